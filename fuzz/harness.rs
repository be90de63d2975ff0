//! What each fuzz target does with its input, shared with the regression test that replays
//! every input kept in `tests/fuzz/` (`tests/fuzz_regressions.rs` includes this file), so a
//! crash found by fuzzing stays fixed.
//!
//! Each function must return normally on any input: errors are expected, panics, hangs and
//! memory blow-ups are bugs. Inputs are bytes; text formats take them as UTF-8 (anything else
//! is an I/O-level error the CLI reports before parsing, so it is skipped here).

#![allow(dead_code)]

use deter::game::Game;
use deter::solve::{self, GameRef, SolveOptions};
use std::time::{Duration, Instant};

/// Games larger than this are not solved (the solvers' own size budgets are exercised by
/// their tests; here a big game would only make the fuzzer slow).
const MAX_NODES: usize = 400;
const MAX_CELLS: usize = 20_000;

fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// A model file: read, check, build, render the diagnostics, and evaluate at the defaults and
/// every scenario.
pub fn model(data: &[u8]) {
    let Some(src) = text(data) else { return };
    let loaded = deter::model::load("fuzz.toml", src);
    let _ = deter::diag::render_short(&loaded.source, &loaded.diags);
    let _ = deter::diag::render(&loaded.source, &loaded.diags, false);
    if let Some(t) = &loaded.template {
        let mut points = vec![t.defaults()];
        for s in &t.scenarios {
            if let Ok(p) = t.point(Some(&s.name), &[]) {
                points.push(p);
            }
        }
        for p in points {
            if let Err(e) = t.instantiate(&p) {
                let _ = t.diagnose(&e, &p);
            }
        }
    }
}

/// A Gambit .efg file: read; what is read is written back and read again.
pub fn efg(data: &[u8]) {
    let Some(src) = text(data) else { return };
    if let Ok(g) = deter::format::efg::read(src) {
        let again = deter::format::efg::write(&g);
        if let Err(e) = deter::format::efg::read(&again) {
            panic!("deter cannot read its own .efg output ({e:?}):\n{again}");
        }
    }
}

/// A Gambit .nfg file: read; what is read is written back and read again.
pub fn nfg(data: &[u8]) {
    let Some(src) = text(data) else { return };
    if let Ok(g) = deter::format::nfg::read(src) {
        let again = deter::format::nfg::write(&g);
        if let Err(e) = deter::format::nfg::read(&again) {
            panic!("deter cannot read its own .nfg output ({e:?}):\n{again}");
        }
    }
}

/// Load → solve → certify: the first byte picks the format (model, .efg, .nfg), the rest is
/// the file; small games are solved by the solver `deter solve` would pick, then certified.
pub fn load_solve(data: &[u8]) {
    let Some((&kind, rest)) = data.split_first() else {
        return;
    };
    let Some(src) = text(rest) else { return };
    match kind % 3 {
        0 => {
            let loaded = deter::model::load("fuzz.toml", src);
            if let Some(t) = loaded.template {
                if let Ok(g) = t.instantiate(&t.defaults()) {
                    solve_tree(&g);
                }
            }
        }
        1 => {
            if let Ok(g) = deter::format::efg::read(src) {
                solve_tree(&g);
            }
        }
        _ => {
            if let Ok(g) = deter::format::nfg::read(src) {
                let cells: usize = g.strategies.iter().map(Vec::len).product();
                if cells <= MAX_CELLS {
                    solve_ref(GameRef::Strategic(&g));
                }
            }
        }
    }
}

fn solve_tree(g: &Game) {
    if g.tree.nodes.len() <= MAX_NODES {
        solve_ref(GameRef::Tree(g));
    }
}

fn solve_ref(g: GameRef<'_>) {
    let Ok(solver) = solve::pick(g) else { return };
    let opts = SolveOptions {
        max_equilibria: Some(20),
        deadline: Some(Instant::now() + Duration::from_secs(2)),
        ..SolveOptions::default()
    };
    if let Ok(mut sol) = solver.solve(g, &opts) {
        let _ = solve::certify(g, &mut sol);
    }
}
