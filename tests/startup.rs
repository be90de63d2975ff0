//! The quick reading of `deter solve FILE [--format …] [--solver …]` (which skips clap) against
//! clap's: whole runs with and without `DETER_ARGS_CLAP` give the same standard output,
//! standard error and exit status, for command lines the quick reader takes and for every
//! shape it must leave to clap (help, errors, other flags).

use crate::util::repo;
use std::process::{Command, Output};

/// Runs `deter` in the repository root, with the quick reader on or off.
fn run(args: &[&str], clap_only: bool) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_deter"));
    cmd.args(args).current_dir(repo(""));
    cmd.env_remove("DETER_ARGS_CLAP");
    if clap_only {
        cmd.env("DETER_ARGS_CLAP", "1");
    }
    cmd.output().expect("runs deter")
}

#[test]
fn quick_and_clap_readings_give_identical_runs() {
    let table: &[&[&str]] = &[
        // Taken by the quick reader.
        &["solve", "tests/models/three_way_pennies.nfg"],
        &["solve", "tests/models/kuhn.efg", "--format", "json"],
        &["solve", "--format=text", "tests/models/kuhn.efg"],
        &["solve", "models/hedging.toml", "--solver", "backward"],
        &[
            "solve",
            "models/hedging.toml",
            "--solver=lcp",
            "--format",
            "json",
        ],
        &["solve", "models/hedging.toml", "--solver", "nosuch"],
        &["solve", "tests/models/missing.nfg"],
        &["solve", "tests/models"],
        // Left to clap.
        &["solve"],
        &["solve", "--help"],
        &["solve", "-h"],
        &["--help"],
        &["--version"],
        &[],
        &["solve", "models/hedging.toml", "--bogus"],
        &["solve", "models/hedging.toml", "--format", "yaml"],
        &["solve", "models/hedging.toml", "--format"],
        &[
            "solve",
            "models/hedging.toml",
            "--format",
            "json",
            "--format",
            "text",
        ],
        &["solve", "models/hedging.toml", "--solver", ""],
        &["solve", "a.nfg", "b.nfg"],
        &[
            "solve",
            "models/hedging.toml",
            "--set",
            "T=0.5",
            "--format",
            "json",
        ],
        &["solve", "--list-solvers"],
        &["solv", "models/hedging.toml"],
    ];
    for args in table {
        let quick = run(args, false);
        let clap = run(args, true);
        assert_eq!(
            quick.status.code(),
            clap.status.code(),
            "exit status of {args:?}"
        );
        assert_eq!(
            String::from_utf8_lossy(&quick.stdout),
            String::from_utf8_lossy(&clap.stdout),
            "stdout of {args:?}"
        );
        assert_eq!(
            String::from_utf8_lossy(&quick.stderr),
            String::from_utf8_lossy(&clap.stderr),
            "stderr of {args:?}"
        );
    }
    // The table exercises both outcomes: successes and clap's usage errors (status 2).
    let codes: Vec<Option<i32>> = table.iter().map(|a| run(a, false).status.code()).collect();
    assert!(
        codes.contains(&Some(0)) && codes.contains(&Some(2)),
        "{codes:?}"
    );
}

#[cfg(unix)]
#[test]
fn closed_standard_streams_are_reopened_on_dev_null() {
    // Run with standard input and output closed (`<&- >&-`): printing must go nowhere
    // rather than fail with a bad descriptor, as for any program started by Rust's runtime.
    let o = Command::new("sh")
        .arg("-c")
        .arg("exec \"$0\" solve tests/models/kuhn.efg <&- >&-")
        .arg(env!("CARGO_BIN_EXE_deter"))
        .current_dir(repo(""))
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
