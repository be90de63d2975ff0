//! Every input kept in `tests/fuzz/<target>/` — crashes found by fuzzing (`fuzz/`, see
//! docs/fuzzing.md) and hostile inputs reported by users — replayed through the fuzz targets'
//! own harness: each must return normally (no panic), so a crash once found stays fixed.

#[path = "../fuzz/harness.rs"]
mod harness;

use crate::util::repo;

fn replay(target: &str, run: fn(&[u8])) {
    let dir = repo(&format!("tests/fuzz/{target}"));
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no inputs in {}", dir.display());
    let mut failed = Vec::new();
    for p in &files {
        let data = std::fs::read(p).unwrap();
        if std::panic::catch_unwind(|| run(&data)).is_err() {
            failed.push(p.display().to_string());
        }
    }
    assert!(
        failed.is_empty(),
        "{target} panics on:\n{}",
        failed.join("\n")
    );
}

#[test]
fn model_inputs_do_not_crash() {
    replay("model", harness::model);
}

#[test]
fn efg_inputs_do_not_crash() {
    replay("efg", harness::efg);
}

#[test]
fn nfg_inputs_do_not_crash() {
    replay("nfg", harness::nfg);
}

#[test]
fn load_solve_inputs_do_not_crash() {
    replay("load_solve", harness::load_solve);
}
