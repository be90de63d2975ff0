//! The single integration-test target: one binary built from topic modules.

mod all_games;
mod cli;
mod diagnostics;
mod docs;
mod enumeration;
mod exact;
mod figures;
mod fit;
mod fit_qre;
mod fuzz_regressions;
mod gambit_enumpoly;
mod gambit_formats;
mod gambit_games;
mod gambit_logit;
mod gambit_seqform;
mod gambit_strategic;
mod geometry;
mod hedging_private;
mod known_values;
mod nplayer;
mod pbe;
mod pbe_gambit;
mod properties;
mod questions_check;
mod regimes;
mod report;
mod scheduler;
mod seqform;
mod sets;
mod startup;
mod subtrees;
mod sweep;
mod thresholds;
mod ties;
mod types;
mod util;
mod watch;
mod words;

/// Every test file is a module of this binary: a file left out of the list above would
/// silently stop running.
#[test]
fn every_test_file_is_compiled() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let main = std::fs::read_to_string(dir.join("main.rs")).expect("tests/main.rs");
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("tests/") {
        let path = entry.expect("a test file").path();
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if path.extension().is_some_and(|e| e == "rs")
            && stem != "main"
            && !main.lines().any(|l| l.trim() == format!("mod {stem};"))
        {
            missing.push(stem.to_string());
        }
    }
    assert!(
        missing.is_empty(),
        "test files not listed in tests/main.rs (add `mod NAME;`): {missing:?}"
    );
}
