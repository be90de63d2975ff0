//! The command-line front end: a thin layer that parses flags, loads files, calls the library
//! and prints. All game logic lives in the library.

#[macro_use]
pub mod out;
pub mod args;
pub mod bands;
pub mod check;
pub mod convert;
pub mod fit;
pub mod input;
pub mod progress;
pub mod qre;
pub mod quick_args;
pub mod regimes;
pub mod report;
pub mod solve;
pub mod sweep;
pub mod thresholds;
pub mod watch;

use anyhow::Result;
use args::{Cli, Command};
use std::process::ExitCode;

/// Parses the command line and runs the subcommand.
pub fn run() -> Result<ExitCode> {
    let cli = Cli::parse_fast();
    let code = match &cli.command {
        Command::Check(a) => check::run(a),
        Command::Solve(a) => solve::run(a),
        Command::Convert(a) => convert::run(a),
        Command::Report(a) => report::run(a),
        Command::Sweep(a) => sweep::run(a),
        Command::Merge(a) => sweep::merge(a),
        Command::Plot(a) => sweep::plot(a),
        Command::Thresholds(a) => thresholds::run(a),
        Command::Regions(a) => thresholds::run_regions(a),
        Command::Watch(a) => watch::run(a),
        Command::Fit(a) => fit::run(a),
        Command::Qre(a) => qre::run(a),
    }?;
    out::flush_stdout()?;
    Ok(code)
}
