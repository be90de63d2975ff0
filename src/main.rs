//! The `deter` binary: runs the CLI and maps errors to exit codes.
//!
//! Exit status: 0 success; 1 no equilibrium found (or, for `check`, warnings only); 2 error.
//! Errors print with their cause chain; a closed pipe (`deter … | head`) exits quietly.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    match cli::run() {
        Ok(code) => code,
        Err(err) => {
            if err.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}
