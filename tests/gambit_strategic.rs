//! Strategic-form solvers against Gambit's results on its own example games
//! (`shared/games/reference.json`, computed with Gambit 16.7 / pygambit).
//!
//! For each game with a usable reference entry: `enumpure` and `enummixed` must find the same
//! set of equilibria as Gambit within 1e-6; `matrix-lp`'s value must equal the payoff of
//! Gambit's `lp` equilibrium; `lemke-howson` must return a genuine equilibrium wherever Gambit's
//! `lcp` found one. Trees are compared through the reduced strategic form, whose strategy names
//! must be exactly Gambit's. Every equilibrium passes the regret certificate (≤ 1e-9).

use crate::gambit_games::{entry, games_with_ext, reference};
use deter::format::{efg, nfg};
use deter::game::reduce::reduced_strategic_form;
use deter::game::StrategicGame;
use deter::solve::{self, certify, GameRef, Profile, SolveOptions, Solver};
use serde_json::Value;

const TOL: f64 = 1e-6;

/// Gambit's equilibria as mixed profiles over `g`'s strategies (keys `player|strategy`, with
/// the player names Gambit used, listed in the entry: it calls nameless players `_1`, `_2`).
pub fn gambit_profiles(e: &Value, g: &StrategicGame, name: &str) -> Vec<Vec<Vec<f64>>> {
    let eqs = e["equilibria"].as_array().expect("equilibria list");
    let players: Vec<String> = e["players"]
        .as_array()
        .expect("players list")
        .iter()
        .map(|p| p.as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(players.len(), g.n_players(), "{name}: player count");
    eqs.iter()
        .map(|eq| {
            let probs = &eq["probs"];
            players
                .iter()
                .zip(&g.strategies)
                .map(|(p, strats)| {
                    strats
                        .iter()
                        .enumerate()
                        .map(|(k, s)| {
                            // Gambit numbers repeated strategy names: `defect_1`, `defect_2`.
                            let same = strats.iter().filter(|t| *t == s).count();
                            let nth = strats[..k].iter().filter(|t| *t == s).count() + 1;
                            let key = if same > 1 {
                                format!("{p}|{s}_{nth}")
                            } else {
                                format!("{p}|{s}")
                            };
                            // A player without moves has one empty plan; Gambit lists none.
                            if s.is_empty() && strats.len() == 1 && probs.get(&key).is_none() {
                                return 1.0;
                            }
                            probs[key.as_str()]
                                .as_f64()
                                .unwrap_or_else(|| panic!("{name}: no key {p}|{s} in {probs}"))
                        })
                        .collect()
                })
                .collect()
        })
        .collect()
}

fn dist(a: &[Vec<f64>], b: &[Vec<f64>]) -> f64 {
    a.iter()
        .flatten()
        .zip(b.iter().flatten())
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}

/// Same set of profiles within `TOL` (each matched both ways). Gambit may list one equilibrium
/// more than once (its floating-point vertex enumeration reaches a degenerate vertex through
/// several bases), so its list is deduplicated; ours must have no duplicates at all.
fn assert_same_set(mine: &[Vec<Vec<f64>>], theirs: &[Vec<Vec<f64>>], what: &str) {
    let mut uniq: Vec<&Vec<Vec<f64>>> = Vec::new();
    for t in theirs {
        if !uniq.iter().any(|u| dist(u, t) <= TOL) {
            uniq.push(t);
        }
    }
    for (i, a) in mine.iter().enumerate() {
        for b in &mine[i + 1..] {
            assert!(dist(a, b) > TOL, "{what}: duplicate equilibrium {a:?}");
        }
    }
    assert_eq!(
        mine.len(),
        uniq.len(),
        "{what}: counts differ\nmine {mine:?}\ngambit {uniq:?}"
    );
    for m in mine {
        assert!(
            theirs.iter().any(|t| dist(m, t) <= TOL),
            "{what}: {m:?} not in Gambit's {theirs:?}"
        );
    }
    for t in theirs {
        assert!(
            mine.iter().any(|m| dist(m, t) <= TOL),
            "{what}: Gambit's {t:?} missing from {mine:?}"
        );
    }
}

fn mixed_of(sol: &solve::Solution) -> Vec<Vec<Vec<f64>>> {
    sol.equilibria
        .iter()
        .map(|e| match &e.profile {
            Profile::Mixed(m) => m.clone(),
            p => panic!("expected a mixed profile, got {p:?}"),
        })
        .collect()
}

fn solve_certified(s: &dyn Solver, g: GameRef<'_>, what: &str) -> solve::Solution {
    let mut sol = s
        .solve(g, &SolveOptions::default())
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    certify(g, &mut sol).unwrap_or_else(|e| panic!("{what}: {e}"));
    for e in &sol.equilibria {
        // Gambit's games have rational payoffs: every answer is certified exactly.
        assert!(
            e.certificate.is_exact() && e.is_certified(),
            "{what}: {:?}, regret {:?}",
            e.certificate,
            e.regret
        );
    }
    sol
}

#[test]
fn nfg_games_agree_with_gambit() {
    let Some(r) = reference() else { return };
    let mut checked = [0usize; 4];
    for (name, text) in games_with_ext("nfg") {
        let g = nfg::read(&text).unwrap();
        let gr = GameRef::Strategic(&g);
        if let Some(e) = entry(&r, &name, "enumpure") {
            let sol = solve_certified(&solve::enumpure::EnumPure, gr, &name);
            assert_same_set(
                &mixed_of(&sol),
                &gambit_profiles(e, &g, &name),
                &format!("{name} enumpure"),
            );
            checked[0] += 1;
        }
        if let Some(e) = entry(&r, &name, "enummixed") {
            let theirs = gambit_profiles(e, &g, &name);
            let sol = solve_certified(&solve::enummixed::EnumMixed, gr, &name);
            assert_same_set(&mixed_of(&sol), &theirs, &format!("{name} enummixed"));
            // The floating-point variant's answers are confirmed exactly too (the von Stengel
            // 6x6 game has payoffs up to 1.4e6).
            let mut sol = solve::enummixed::EnumMixedFloat
                .solve(gr, &SolveOptions::default())
                .unwrap();
            certify(gr, &mut sol).unwrap();
            for e in &sol.equilibria {
                assert!(
                    e.is_certified(),
                    "{name}: {:?} {:?}",
                    e.certificate,
                    e.regret
                );
            }
            assert_same_set(&mixed_of(&sol), &theirs, &format!("{name} enummixed-float"));
            checked[1] += 1;
        }
        if let Some(e) = entry(&r, &name, "lp") {
            let sol = solve_certified(&solve::matrixlp::MatrixLp, gr, &name);
            let want = e["equilibria"][0]["payoffs"][0].as_f64().unwrap();
            let got = sol.value.unwrap();
            assert!(
                (got - want).abs() <= TOL * want.abs().max(1.0),
                "{name}: value {got} vs Gambit {want}"
            );
            checked[2] += 1;
        }
        if let Some(e) = entry(&r, &name, "lcp") {
            if e["count"].as_u64().unwrap_or(0) > 0 {
                let sol = solve_certified(&solve::lemkehowson::LemkeHowson, gr, &name);
                assert_eq!(
                    sol.equilibria.len(),
                    1,
                    "{name}: lemke-howson found nothing"
                );
                checked[3] += 1;
            }
        }
    }
    eprintln!(
        "nfg checked: enumpure {}, enummixed {}, lp {}, lcp {}",
        checked[0], checked[1], checked[2], checked[3]
    );
    if games_with_ext("nfg").len() > 40 {
        // The shipped set: 51 enumpure, 38 enummixed, 9 lp and 37 lcp entries are usable.
        assert!(
            checked[0] >= 51 && checked[1] >= 38 && checked[2] >= 9 && checked[3] >= 36,
            "{checked:?}"
        );
    }
}

#[test]
fn efg_games_agree_with_gambit_through_the_reduced_form() {
    let Some(r) = reference() else { return };
    let mut checked = [0usize; 2];
    for (name, text) in games_with_ext("efg") {
        let Some(pure_ref) = entry(&r, &name, "enumpure") else {
            continue;
        };
        let game = efg::read(&text).unwrap();
        if game.payoff_scale() > 2f64.powi(53) {
            // Payoffs beyond 2^53 (`tests_test_games_large_payoff_game.efg`, 1e19): the reduced
            // form is exact, but `enummixed` still reads its floats. Its single pure
            // equilibrium is checked by the seqform tests.
            continue;
        }
        let red = reduced_strategic_form(&game).unwrap_or_else(|e| panic!("{name}: {e}"));
        // Gambit's reduced strategies must be ours, by name (every key found, none extra).
        let theirs = gambit_profiles(pure_ref, &red.game, &name);
        if let Some(eq) = pure_ref["equilibria"].get(0) {
            let keys = eq["probs"].as_object().map_or(0, |o| o.len());
            let ours: usize = red
                .game
                .strategies
                .iter()
                .filter(|s| !(s.len() == 1 && s[0].is_empty()))
                .map(Vec::len)
                .sum();
            assert_eq!(
                keys, ours,
                "{name}: Gambit has {keys} strategies, we have {ours}"
            );
        }
        if red.game.n_players() == 2 {
            // Lemke–Howson through the reduced form yields a certified behaviour profile.
            let lh = solve_certified(
                &solve::lemkehowson::LemkeHowson,
                GameRef::Tree(&game),
                &name,
            );
            assert_eq!(lh.equilibria.len(), 1, "{name}: lemke-howson found nothing");
        }
        let mine = solve_certified(&solve::enumpure::EnumPure, GameRef::Tree(&game), &name);
        let mine_b: Vec<Vec<f64>> = mine
            .equilibria
            .iter()
            .map(|e| match &e.profile {
                Profile::Behavior(b) => b.clone(),
                p => panic!("{name}: expected behaviour, got {p:?}"),
            })
            .collect();
        let theirs_b: Vec<Vec<f64>> = theirs
            .iter()
            .map(|m| red.behavior_from_mixed(&game.tree, m))
            .collect();
        assert_same_set(
            &mine_b.iter().map(|b| vec![b.clone()]).collect::<Vec<_>>(),
            &theirs_b.iter().map(|b| vec![b.clone()]).collect::<Vec<_>>(),
            &format!("{name} enumpure"),
        );
        checked[0] += 1;
        // Every game with a reference, Gambit's slowest (`contrib_games_bcp4.efg`, 23 s in
        // Gambit) included: the reverse search takes milliseconds on each.
        if let Some(e) = entry(&r, &name, "enummixed") {
            let theirs = gambit_profiles(e, &red.game, &name);
            let sg = GameRef::Strategic(&red.game);
            let sol = solve_certified(&solve::enummixed::EnumMixed, sg, &name);
            assert_same_set(&mixed_of(&sol), &theirs, &format!("{name} enummixed"));
            // The same equilibria as behaviour profiles of the tree pass the tree certificate.
            solve_certified(&solve::enummixed::EnumMixed, GameRef::Tree(&game), &name);
            checked[1] += 1;
        }
    }
    eprintln!(
        "efg checked: enumpure {}, enummixed {}",
        checked[0], checked[1]
    );
}
