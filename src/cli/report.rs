//! `deter report`: writes the report files.
use super::args::ReportArgs;
use anyhow::Result;
use std::process::ExitCode;

/// Runs `deter report`.
pub fn run(_args: &ReportArgs) -> Result<ExitCode> {
    anyhow::bail!("not yet")
}
