//! Solving Gambit `.efg`/`.nfg` files (wired in once the format readers are available).

use super::args::SolveArgs;
use anyhow::{bail, Result};
use std::path::Path;
use std::process::ExitCode;

/// Solves a Gambit file.
pub fn solve_file(_args: &SolveArgs, path: &Path) -> Result<ExitCode> {
    bail!("`{}`: Gambit files are not supported yet", path.display())
}
