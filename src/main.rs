//! The `deter` binary: runs the CLI and maps errors to exit codes.
//!
//! Exit status: 0 success; 1 no equilibrium found (or, for `check`, warnings only); 2 error.
//! Errors print with their cause chain. A closed pipe (`deter … | head`) exits quietly with
//! status 0: the reader has what it wanted. Any other failure to write the output (a full disk)
//! is an error like any other. Nothing is printed with `println!`, which would panic instead
//! (see `cli::out`).
//!
//! On Linux with glibc the binary starts at its own C `main` ([`start`]) rather than through
//! the standard library's runtime, whose set-up of a guard page for the main thread's stack
//! reads `/proc/self/maps` and took a sixth of the instructions of a small `deter solve`
//! (docs/benchmarks.md, "Tiny games").

// Unit tests keep the test harness's own `main`.
#![cfg_attr(all(target_os = "linux", target_env = "gnu", not(test)), no_main)]

mod cli;

use std::process::ExitCode;

/// Runs the command line; the exit status.
fn run() -> ExitCode {
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

#[cfg(not(all(target_os = "linux", target_env = "gnu", not(test))))]
fn main() -> ExitCode {
    run()
}

#[cfg(all(target_os = "linux", target_env = "gnu", not(test)))]
mod start {
    //! The C entry point, doing what the standard library's start would do that `deter`
    //! needs: standard input, output and error are opened on `/dev/null` if they are closed
    //! (so no file the command opens takes their place), SIGPIPE is ignored (a closed pipe
    //! becomes an error `run` handles), a panic ends the process with status 101 after the
    //! usual message, and standard output is flushed at the end. Not done: the guard page
    //! and the handler that print "has overflowed its stack" (an overflow, which no input
    //! should cause, ends the process with SIGSEGV instead), and the main thread's name, so a
    //! panic message names the thread `<unnamed>` rather than `main`. Arguments and the
    //! environment need nothing: glibc hands them to the standard library before `main`.

    use std::ffi::{c_char, c_int, c_short};
    use std::process::ExitCode;

    #[repr(C)]
    struct PollFd {
        fd: c_int,
        events: c_short,
        revents: c_short,
    }

    const POLLNVAL: c_short = 0x20;
    const O_RDWR: c_int = 2;
    const F_GETFD: c_int = 1;
    const SIGPIPE: c_int = 13;
    const SIG_IGN: usize = 1;

    unsafe extern "C" {
        fn poll(fds: *mut PollFd, nfds: u64, timeout: c_int) -> c_int;
        fn fcntl(fd: c_int, cmd: c_int, ...) -> c_int;
        fn open(path: *const c_char, flags: c_int, ...) -> c_int;
        fn signal(signum: c_int, handler: usize) -> usize;
    }

    /// The process's entry point, called by glibc.
    #[unsafe(no_mangle)]
    extern "C" fn main(_argc: c_int, _argv: *const *const c_char) -> c_int {
        open_standard_streams();
        // SAFETY: setting a signal's disposition to "ignore" involves no handler code.
        unsafe { signal(SIGPIPE, SIG_IGN) };
        let code = std::panic::catch_unwind(super::run).unwrap_or(ExitCode::from(101));
        // A flush error has nowhere left to be reported (the standard library ignores it too).
        let _ = std::io::Write::flush(&mut std::io::stdout());
        status(code)
    }

    /// Opens `/dev/null` in place of each closed standard stream (descriptors 0, 1, 2, in
    /// order, so `open` returns the lowest free one).
    fn open_standard_streams() {
        let mut fds = [0, 1, 2].map(|fd| PollFd {
            fd,
            events: 0,
            revents: 0,
        });
        // SAFETY: `fds` is a valid array of three `pollfd`s for the duration of the call.
        let polled = unsafe { poll(fds.as_mut_ptr(), 3, 0) } != -1;
        for f in &fds {
            let closed = if polled {
                f.revents & POLLNVAL != 0
            } else {
                // SAFETY: F_GETFD only reads the descriptor's flags.
                (unsafe { fcntl(f.fd, F_GETFD) }) == -1
            };
            // SAFETY: the path is a NUL-terminated string that outlives the call.
            if closed && unsafe { open(c"/dev/null".as_ptr(), O_RDWR) } == -1 {
                std::process::abort();
            }
        }
    }

    /// The numeric exit status of `code` (`ExitCode` offers no stable conversion; every
    /// status `deter` uses is one byte).
    fn status(code: ExitCode) -> c_int {
        (0..=255u8)
            .find(|&n| ExitCode::from(n) == code)
            .map_or(1, c_int::from)
    }
}
