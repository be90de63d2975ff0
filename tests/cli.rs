//! The `deter` binary run as a user would, on the shipped models.

use crate::util::{deter, deter_ok, repo, stderr, stdout};
use std::process::{Command, Output};

#[test]
fn solve_hedging_prints_the_path_in_words() {
    let s = deter_ok(&["solve", "models/hedging.toml"]);
    assert!(
        s.contains("Path of play: Protégé hedges → Challenger does not challenge"),
        "{s}"
    );
    assert!(
        s.contains("Expected payoffs: Protégé 0.1, Challenger 0, Defender 0"),
        "{s}"
    );
    // Nodes are named by the moves that lead to them, moves by their `say` phrases.
    let line = s
        .lines()
        .find(|l| l.trim_start().starts_with("after Protégé aligns "))
        .unwrap_or_else(|| panic!("{s}"));
    let words: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(
        words,
        [
            "after",
            "Protégé",
            "aligns",
            "Challenger",
            "challenges",
            "(off",
            "the",
            "path)"
        ],
        "{s}"
    );
    assert!(
        s.contains("Outcome: Challenger does not challenge\n"),
        "{s}"
    );
    for id in ["challenger_a", "status_quo_h", "not_challenge", "Protege "] {
        assert!(!s.contains(id), "`{id}` in the text: {s}");
    }
    assert!(s.contains("✓ no player gains by deviating"), "{s}");
}

#[test]
fn post_2001_hedger_is_challenged_and_abandoned() {
    let s = deter_ok(&["solve", "models/hedging.toml", "--scenario", "post_2001"]);
    assert!(
        s.contains("Protégé hedges → Challenger challenges → Defender abandons → Protégé realigns"),
        "{s}"
    );
    assert!(
        s.contains("Expected payoffs: Protégé 0.1, Challenger 1.5, Defender -0.7"),
        "{s}"
    );
}

#[test]
fn json_output_follows_the_schema() {
    let o = deter(&[
        "solve",
        "models/hedging.toml",
        "--format",
        "json",
        "--set",
        "c_D=0.85",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["schema"], "deter.solution/1");
    assert_eq!(v["solver"], "backward");
    assert_eq!(v["parameters"]["c_D"], 0.85);
    let eq = &v["equilibria"][0];
    assert_eq!(eq["certified"], true);
    assert!(eq["max_regret"].as_f64().unwrap() <= 1e-9);
    assert!(eq["strategies"].as_array().unwrap().len() == 7);
    assert!(eq["events"]["challenge"].is_number());
}

#[test]
fn bad_set_and_scenario_are_located_errors() {
    let o = deter(&["solve", "models/hedging.toml", "--set", "Tt=0.5"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown parameter `Tt`; did you mean `T`?"),
        "{}",
        stderr(&o)
    );
    let o = deter(&["solve", "models/hedging.toml", "--set", "T=1.5"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("T = 1.5 is outside its range [0, 1]"),
        "{}",
        stderr(&o)
    );
    let o = deter(&["solve", "models/hedging.toml", "--scenario", "cold_wa"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean `cold_war`?"),
        "{}",
        stderr(&o)
    );
    let o = deter(&["solve", "models/hedging.toml", "--set", "T"]);
    assert!(stderr(&o).contains("expected NAME=VALUE"), "{}", stderr(&o));
}

#[test]
fn check_exit_codes() {
    assert_eq!(
        deter(&["check", "models/hedging.toml"]).status.code(),
        Some(0)
    );
    let o = deter(&["check", "tests/models/invalid/unreachable.toml"]);
    assert_eq!(o.status.code(), Some(1));
    let o = deter(&["check", "tests/models/invalid/unknown_player.toml"]);
    assert_eq!(o.status.code(), Some(2));
    // The snippet form underlines the offending text.
    let e = stderr(&o);
    assert!(e.contains("unknown_player.toml:6:10"), "{e}");
    assert!(e.contains("^^^^^^^^^"), "{e}");
    assert!(e.contains("did you mean `Defender`?"), "{e}");
}

#[test]
fn check_reads_gambit_files() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("g.efg");
    std::fs::write(
        &good,
        "EFG 2 R \"g\" { \"A\" \"B\" } \"\"\np \"\" 1 1 \"\" { \"l\" \"r\" } 0\n\
         t \"\" 1 \"\" { 1 2 }\np \"\" 2 1 \"\" { \"x\" } 0\nt \"\" 2 \"\" { 0.1 1/3 }\n",
    )
    .unwrap();
    let o = deter(&["check", good.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("ok (2 players, 4 nodes, 2 information sets)"),
        "{}",
        stdout(&o)
    );
    let bad = dir.path().join("b.efg");
    std::fs::write(
        &bad,
        "EFG 2 R \"g\" { \"A\" }\np \"\" 2 1 \"\" { \"l\" } 0\n",
    )
    .unwrap();
    let o = deter(&["check", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("b.efg:2:6") && e.contains("player 2 does not exist"),
        "{e}"
    );
}

#[test]
fn ties_are_reported_and_enumerated() {
    // Deterrence and dialogue, α = .4: without commitment the protégé is provoked whatever it
    // does, so it is indifferent at rok_0 (docs/models/deterrence_dialogue.md breaks the tie towards no dialogue).
    let o = deter(&[
        "solve",
        "models/deterrence_dialogue.toml",
        "--scenario",
        "thin_architecture",
    ]);
    let s = stdout(&o);
    assert!(
        s.contains(
            "after Defender (US) does not reinforce its commitment, Protégé (ROK) is indifferent \
             between “does not open a dialogue” and “opens a dialogue” (value -1; node `rok_0` in the table above)"
        ),
        "{s}"
    );
    let o = deter(&[
        "solve",
        "models/deterrence_dialogue.toml",
        "--scenario",
        "thin_architecture",
        "--ties",
        "all",
    ]);
    let s = stdout(&o);
    assert!(s.contains("Equilibrium 2"), "{s}");
    assert!(!s.contains("Equilibrium 3"), "{s}");
}

#[test]
fn solver_refusal_names_the_information_set() {
    let o = deter(&[
        "solve",
        "tests/models/matching_pennies.toml",
        "--solver",
        "backward",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("information set `guess` of P2 contains 2 nodes"),
        "{e}"
    );
    assert!(e.contains("use the `subgame` solver"), "{e}");
}

#[test]
fn ties_all_says_when_the_cap_cuts_the_list() {
    let o = deter(&[
        "solve",
        "models/deterrence_dialogue.toml",
        "--scenario",
        "thin_architecture",
        "--ties",
        "all",
        "--max-equilibria",
        "1",
    ]);
    let s = stdout(&o);
    assert!(s.contains("Status: truncated"), "{s}");
    assert!(s.contains("Equilibrium 1"), "{s}");
    assert!(!s.contains("Equilibrium 2"), "{s}");
}

/// Runs deter with its standard output connected to `out`.
fn deter_to(args: &[&str], out: std::process::Stdio) -> Output {
    Command::new(env!("CARGO_BIN_EXE_deter"))
        .args(args)
        .current_dir(repo(""))
        .stdout(out)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap()
}

/// Commands whose output a reader may stop reading early.
const PRINTING: &[&[&str]] = &[
    &["check", "models/hedging.toml"],
    &["regions", "models/hedging.toml"],
    &["thresholds", "models/hedging.toml", "--vary", "c_D"],
    &["solve", "--list-solvers"],
    &["solve", "models/hedging.toml", "--format", "json"],
    &["sweep", "models/hedging.toml", "--vary", "T=0:1:50000"],
    &["convert", "models/hedging.toml", "--to", "svg"],
];

#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    // `deter … | head` with head already gone: every write fails with a broken pipe.
    for args in PRINTING {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let o = deter_to(args, writer.into());
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert!(o.stderr.is_empty(), "{args:?}: {}", stderr(&o));
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_a_clear_error() {
    for args in PRINTING {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let o = deter_to(args, full.into());
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {e}");
        assert!(e.contains("No space left on device"), "{args:?}: {e}");
        assert!(!e.contains("panicked"), "{args:?}: {e}");
    }
}

#[test]
fn inputs_that_used_to_panic_are_located_errors() {
    for f in [
        "moves_absent_target",
        "moves_typo",
        "moves_array",
        "payoff_not_finite",
    ] {
        let path = format!("tests/models/invalid/{f}.toml");
        for cmd in ["check", "solve", "report"] {
            let o = deter(&[cmd, &path]);
            let e = stderr(&o);
            assert_eq!(o.status.code(), Some(2), "{cmd} {f}: {e}");
            assert!(!e.contains("panicked"), "{cmd} {f}: {e}");
            assert!(e.contains(&format!("{f}.toml:")), "{cmd} {f}: located: {e}");
        }
    }
}

#[cfg(unix)]
#[test]
fn convert_out_writes_through_links_and_into_devices() {
    // `-o /dev/stdout` writes into the standard output (here a pipe) and never replaces the
    // link or the device behind it.
    let o = deter(&[
        "convert",
        "models/hedging.toml",
        "--to",
        "efg",
        "-o",
        "/dev/stdout",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("EFG 2 R"), "{}", stdout(&o));
    let link = std::fs::symlink_metadata("/dev/stdout").unwrap();
    assert!(link.file_type().is_symlink());
    // A symlinked -o: the link stays, its target is written.
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("tree.svg", dir.path().join("link.svg")).unwrap();
    let link = dir.path().join("link.svg");
    deter_ok(&[
        "convert",
        "models/hedging.toml",
        "--to",
        "svg",
        "-o",
        link.to_str().unwrap(),
    ]);
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(std::fs::read_to_string(dir.path().join("tree.svg"))
        .unwrap()
        .starts_with("<svg"));
    // A directory is refused before anything is computed.
    let o = deter(&[
        "convert",
        "models/hedging.toml",
        "--to",
        "svg",
        "-o",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is a directory"), "{}", stderr(&o));
}
