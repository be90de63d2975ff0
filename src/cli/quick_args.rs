//! A hand-written parser for the commonest command line, `deter solve FILE` with `--format`
//! and `--solver`.
//!
//! Building even one subcommand's clap parser and running it costs about 0.1 M instructions,
//! a quarter of a whole small `deter solve` (docs/benchmarks.md, "Tiny games"). This parser
//! accepts only command lines whose meaning is plain: `solve`, one file name that does not
//! start with `-`, and at most one each of `--format text|json` and `--solver NAME` (also
//! written `--flag=value`). Anything else — other flags, repeated or empty values, values
//! starting with `-`, `--`, help, text that is not UTF-8 in a flag — gets `None` and goes to
//! clap, so help, errors and every other shape behave exactly as clap makes them. Setting
//! `DETER_ARGS_CLAP` in the environment turns this parser off, which lets the tests compare
//! the two paths on whole runs.

use super::args::{Cli, Command, PointArgs, SolveArgs, SolveFormat, Ties};
use std::ffi::OsString;
use std::path::PathBuf;

/// The environment variable that turns the quick parser off.
pub const OFF: &str = "DETER_ARGS_CLAP";

/// The parsed command line (`args[0]` is the program) when it has one of the shapes above;
/// `None` otherwise, including when [`OFF`] is set.
pub fn parse(args: &[OsString]) -> Option<Cli> {
    if std::env::var_os(OFF).is_some() {
        return None;
    }
    parse_args(args)
}

/// [`parse`] without looking at the environment.
pub fn parse_args(args: &[OsString]) -> Option<Cli> {
    let mut rest = args.get(1..)?.iter();
    if rest.next()?.to_str()? != "solve" {
        return None;
    }
    let mut file: Option<PathBuf> = None;
    let mut format: Option<SolveFormat> = None;
    let mut solver: Option<String> = None;
    while let Some(arg) = rest.next() {
        if !arg.as_encoded_bytes().starts_with(b"-") {
            // clap refuses an empty path and a second file.
            if arg.is_empty() || file.is_some() {
                return None;
            }
            file = Some(PathBuf::from(arg));
            continue;
        }
        let text = arg.to_str()?;
        let (flag, value) = match text.split_once('=') {
            Some((flag, value)) => (flag, value),
            None => (text, rest.next()?.to_str()?),
        };
        if value.is_empty() || value.starts_with('-') {
            return None;
        }
        match flag {
            "--format" if format.is_none() => {
                format = Some(match value {
                    "text" => SolveFormat::Text,
                    "json" => SolveFormat::Json,
                    _ => return None,
                })
            }
            "--solver" if solver.is_none() => solver = Some(value.to_string()),
            _ => return None,
        }
    }
    Some(Cli {
        command: Command::Solve(SolveArgs {
            file: Some(file?),
            point: PointArgs::default(),
            solver,
            format: format.unwrap_or(SolveFormat::Text),
            ties: Ties::Report,
            max_equilibria: 1000,
            time_limit: None,
            tol: 1e-9,
            objective: None,
            refine: None,
            list_solvers: false,
            allow_large: false,
            lambda: None,
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn os(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    #[test]
    fn accepted_lines_parse_as_clap_parses_them() {
        for args in [
            &["deter", "solve", "g.nfg"][..],
            &["deter", "solve", "g.nfg", "--format", "json"],
            &["deter", "solve", "--format", "text", "g.nfg"],
            &["deter", "solve", "--format=json", "g.nfg"],
            &[
                "deter", "solve", "g.efg", "--solver", "lcp", "--format", "json",
            ],
            &[
                "deter",
                "solve",
                "--solver=enummixed",
                "dir/with space/g.nfg",
            ],
            &["deter", "solve", "g.nfg", "--solver", "a=b"],
            &["deter", "solve", "g.nfg", "--solver", "nosuch"],
        ] {
            let quick = parse_args(&os(args)).unwrap_or_else(|| panic!("not quick: {args:?}"));
            let clap = Cli::try_parse_from(os(args)).expect("clap parses it");
            assert_eq!(format!("{quick:?}"), format!("{clap:?}"), "{args:?}");
        }
    }

    #[test]
    fn every_other_line_is_left_to_clap() {
        for args in [
            &["deter"][..],
            &["deter", "solve"],
            &["deter", "solve", ""],
            &["deter", "solve", "-"],
            &["deter", "solve", "--", "g.nfg"],
            &["deter", "solve", "a.nfg", "b.nfg"],
            &["deter", "solve", "g.nfg", "--help"],
            &["deter", "solve", "g.nfg", "-h"],
            &["deter", "solve", "g.nfg", "--format"],
            &["deter", "solve", "g.nfg", "--format", "JSON"],
            &["deter", "solve", "g.nfg", "--format="],
            &[
                "deter", "solve", "g.nfg", "--format", "json", "--format", "text",
            ],
            &["deter", "solve", "g.nfg", "--solver", "--format"],
            &["deter", "solve", "g.nfg", "--solver", ""],
            &["deter", "solve", "g.nfg", "--solver", "a", "--solver", "b"],
            &["deter", "solve", "g.nfg", "--tol", "1e-6"],
            &["deter", "solve", "g.nfg", "--set", "a=1"],
            &["deter", "solve", "g.nfg", "--form", "json"],
            &["deter", "solve", "--list-solvers"],
            &["deter", "check", "g.nfg"],
            &["deter", "solv", "g.nfg"],
        ] {
            assert!(parse_args(&os(args)).is_none(), "{args:?}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn file_names_need_not_be_utf8_but_flags_must_be() {
        use std::os::unix::ffi::OsStringExt;
        let odd = OsString::from_vec(b"g\xff.nfg".to_vec());
        let mut args = os(&["deter", "solve"]);
        args.push(odd.clone());
        let quick = parse_args(&args).expect("a file name is taken as bytes");
        let clap = Cli::try_parse_from(&args).expect("clap takes it too");
        assert_eq!(format!("{quick:?}"), format!("{clap:?}"));
        let mut args = os(&["deter", "solve", "g.nfg", "--solver"]);
        args.push(odd);
        assert!(parse_args(&args).is_none());
    }
}
