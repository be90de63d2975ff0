//! The `deter` binary: runs the CLI and maps errors to exit codes.
//!
//! Exit status: 0 success; 1 no equilibrium found (or, for `check`, warnings only); 2 error.
//! Errors print with their cause chain. A closed pipe (`deter … | head`) exits quietly with
//! status 0: the reader has what it wanted. Any other failure to write the output (a full disk)
//! is an error like any other. Nothing is printed with `println!`, which would panic instead
//! (see `cli::out`).

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
            cli::out::errln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}
