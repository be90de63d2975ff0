//! `enumpoly` against Gambit's enumeration on its small games with three or more players
//! (`shared/games/reference.json`, Gambit 16.7's `enumpure`): every equilibrium Gambit lists
//! is among ours, and every one of ours passes the certificate.
//!
//! Strategic games are compared profile by profile (within 1e-6); trees by the players'
//! payoffs (Gambit keys behaviour probabilities by information-set numbers of its own). Trees
//! whose support enumeration runs long (more than [`MAX_TREE_ACTIONS`] actions) are left to the
//! benchmarks.

use crate::gambit_games::{entry, games_dir, games_with_ext, reference};
use crate::gambit_strategic::gambit_profiles;
use deter::format::{efg, nfg};
use deter::solve::{self, certify, enumpoly::EnumPoly, GameRef, Profile, SolveOptions, Solver};
use serde_json::Value;

const TOL: f64 = 1e-6;

/// Trees with more actions than this are not enumerated here.
const MAX_TREE_ACTIONS: usize = 12;

fn solve_certified(g: GameRef<'_>, what: &str) -> solve::Solution {
    let mut sol = EnumPoly
        .solve(g, &SolveOptions::default())
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    certify(g, &mut sol).unwrap_or_else(|e| panic!("{what}: {e}"));
    for e in &sol.equilibria {
        assert!(
            e.is_certified(),
            "{what}: {:?}, regret {:?}",
            e.certificate,
            e.regret
        );
    }
    sol
}

fn n_players(e: &Value) -> usize {
    e["players"].as_array().map_or(0, Vec::len)
}

#[test]
fn enumpoly_finds_every_equilibrium_gambit_finds_in_strategic_games() {
    let Some(r) = reference() else { return };
    let mut checked = 0;
    for (name, text) in games_with_ext("nfg") {
        let Some(e) = entry(&r, &name, "enumpure") else {
            continue;
        };
        if n_players(e) < 3 {
            continue;
        }
        let g = nfg::read(&text).unwrap();
        let sol = solve_certified(GameRef::Strategic(&g), &name);
        let mine: Vec<Vec<f64>> = sol
            .equilibria
            .iter()
            .map(|eq| match &eq.profile {
                Profile::Mixed(m) => m.iter().flatten().copied().collect(),
                p => panic!("{name}: {p:?}"),
            })
            .collect();
        for t in gambit_profiles(e, &g, &name) {
            let t: Vec<f64> = t.into_iter().flatten().collect();
            assert!(
                mine.iter()
                    .any(|m| m.iter().zip(&t).all(|(a, b)| (a - b).abs() <= TOL)),
                "{name}: Gambit's {t:?} missing from {mine:?}"
            );
        }
        checked += 1;
    }
    eprintln!("{checked} strategic games with three or more players: enumpoly ⊇ Gambit");
    if games_with_ext("nfg").len() > 40 {
        assert!(checked >= 13, "only {checked} games checked");
    }
}

#[test]
fn enumpoly_finds_every_equilibrium_gambit_finds_in_small_trees() {
    let Some(r) = reference() else { return };
    let mut checked = 0;
    for (name, text) in games_with_ext("efg") {
        let Some(e) = entry(&r, &name, "enumpure") else {
            continue;
        };
        if n_players(e) < 3 {
            continue;
        }
        let g = efg::read(&text).unwrap();
        if g.tree.n_actions() > MAX_TREE_ACTIONS {
            continue;
        }
        let t0 = std::time::Instant::now();
        let sol = solve_certified(GameRef::Tree(&g), &name);
        eprintln!("{name}: {} actions, {:?}", g.tree.n_actions(), t0.elapsed());
        let range = {
            let lo = g.payoffs.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = g.payoffs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            (hi - lo).max(1.0)
        };
        for eq in e["equilibria"].as_array().expect("equilibria") {
            let want: Vec<f64> = eq["payoffs"]
                .as_array()
                .expect("payoffs")
                .iter()
                .map(|v| v.as_f64().expect("a number"))
                .collect();
            assert!(
                sol.equilibria.iter().any(|m| m
                    .payoffs
                    .iter()
                    .zip(&want)
                    .all(|(a, b)| (a - b).abs() <= TOL * range)),
                "{name}: no equilibrium of ours pays {want:?}"
            );
        }
        checked += 1;
    }
    eprintln!("{checked} trees with three or more players: enumpoly ⊇ Gambit");
    if games_with_ext("efg").len() > 100 {
        assert!(checked >= 8, "only {checked} trees checked");
    }
}

/// A three-player tree whose full enumeration takes minutes (Myerson's exercise 2.8: most of
/// its supports have continua or nonlinear systems).
const SLOW_TREE: &str = "contrib_games_my_2-8.efg";

#[test]
fn a_time_limit_stops_enumpoly_with_certified_equilibria_and_says_so() {
    let Some(dir) = games_dir() else { return };
    let path = dir.join(SLOW_TREE);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{SLOW_TREE}: {e}"));
    let g = efg::read(&text).unwrap();
    let opts = SolveOptions {
        deadline: Some(std::time::Instant::now() + std::time::Duration::from_millis(300)),
        ..SolveOptions::default()
    };
    let mut sol = EnumPoly.solve(GameRef::Tree(&g), &opts).unwrap();
    assert_eq!(sol.status, solve::Status::TimeLimit, "{:?}", sol.notes);
    assert!(sol.notes.iter().any(|n| n.contains("incomplete")));
    certify(GameRef::Tree(&g), &mut sol).unwrap();
    assert!(sol.equilibria.iter().all(|e| e.is_certified()));

    // The command line says the list is incomplete and why, and still exits successfully
    // when it found equilibria.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_deter"))
        .args(["solve", "--solver", "enumpoly", "--time-limit", "0.3"])
        .arg(&path)
        .output()
        .expect("runs deter");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Status: time-limit — the list below is incomplete"),
        "{text}"
    );
    assert!(
        text.contains("Not completed: `enumpoly` stopped at the time limit (300.0 ms)"),
        "{text}"
    );
    assert_eq!(
        out.status.success(),
        text.contains("Equilibrium 1\n"),
        "{text}"
    );
}
