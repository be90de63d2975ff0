//! Standard output and standard error without panics.
//!
//! `println!` panics when stdout cannot be written (a closed pipe: `deter check … | head`; a
//! full disk: `> /dev/full`). Every command therefore prints through `outln!` (or [`write_stdout_bytes`]),
//! which return the I/O error tagged as a [`StdoutError`] so `main` can tell the two cases
//! apart, as ripgrep does: a broken pipe means the reader has seen enough and exits quietly
//! with status 0; any other failure is a clear error with status 2. Messages to stderr go
//! through `errln!` / `err!`, which drop write errors: there is nowhere left to report them.

use std::io::Write;

/// A failed write to standard output (the cause is the I/O error).
#[derive(Debug, thiserror::Error)]
#[error("cannot write to standard output")]
pub struct StdoutError(#[source] pub std::io::Error);

/// Writes formatted text to stdout; `Err` carries a [`StdoutError`].
pub fn write_stdout(args: std::fmt::Arguments<'_>) -> anyhow::Result<()> {
    std::io::stdout()
        .lock()
        .write_fmt(args)
        .map_err(|e| StdoutError(e).into())
}

/// Writes bytes to stdout; `Err` carries a [`StdoutError`].
pub fn write_stdout_bytes(bytes: &[u8]) -> anyhow::Result<()> {
    std::io::stdout()
        .lock()
        .write_all(bytes)
        .map_err(|e| StdoutError(e).into())
}

/// Writes `value` to stdout as pretty-printed JSON and a final newline, streamed through a
/// buffer rather than built as one string first (a 10^6-node solution is hundreds of MB of
/// text); the bytes are those of `serde_json::to_string_pretty`. `Err` carries a
/// [`StdoutError`].
pub fn write_stdout_json(value: &impl serde::Serialize) -> anyhow::Result<()> {
    let mut w = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    deter::output::pretty::to_writer(&mut w, value)
        .map_err(std::io::Error::from)
        .and_then(|()| w.write_all(b"\n"))
        .and_then(|()| w.flush())
        .map_err(|e| StdoutError(e).into())
}

/// Flushes stdout (its buffer would otherwise be flushed at exit, where errors are lost).
pub fn flush_stdout() -> anyhow::Result<()> {
    std::io::stdout()
        .lock()
        .flush()
        .map_err(|e| StdoutError(e).into())
}

/// Writes formatted text to stderr, ignoring failures.
pub fn write_stderr(args: std::fmt::Arguments<'_>) {
    let _ = std::io::stderr().lock().write_fmt(args);
}

/// `println!` that returns an error instead of panicking (use with `?`).
macro_rules! outln {
    () => {
        $crate::cli::out::write_stdout(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::cli::out::write_stdout(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `eprint!` that never panics.
macro_rules! err {
    ($($arg:tt)*) => {
        $crate::cli::out::write_stderr(format_args!($($arg)*))
    };
}

/// `eprintln!` that never panics.
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::cli::out::write_stderr(format_args!("{}\n", format_args!($($arg)*)))
    };
}

pub(crate) use errln;
