//! Sequence-form solvers against Gambit's results on its own example games
//! (`shared/games/reference.json`, computed with Gambit 16.7 / pygambit).
//!
//! - `seqform-lp`: on every tree with a usable Gambit `lp` entry (two-player constant-sum,
//!   perfect recall) the value equals the payoff of Gambit's `lp` equilibrium to player 1, and
//!   the equilibrium passes the regret certificate. `subgame` reaches the same value.
//! - `lcp`: wherever Gambit's `lcp` found an equilibrium (or ran out of time) on a two-player
//!   tree with perfect recall, ours returns one that passes the certificate.
//! - Trees Gambit refused for imperfect recall are refused here too, naming where recall fails.
//! - Kuhn poker (none of Gambit's examples is Kuhn poker) ships as `tests/models/kuhn.efg`,
//!   written by `format::efg::write` from `game::examples::kuhn_poker`; `deter solve` on it
//!   prints the value −1/18.
//!
//! Certificates are relative to the payoff scale (regret ≤ 1e-9 × largest |payoff|).

use crate::gambit_games::{entry, games_with_ext, reference};
use crate::util::{deter_ok, repo};
use deter::format::efg;
use deter::game::examples::kuhn_poker;
use deter::game::sequence::SequenceForm;
use deter::game::Game;
use deter::solve::{self, certify, GameRef, SolveOptions, Solver};
use serde_json::Value;

const TOL: f64 = 1e-6;

/// Payoffs of ±1e19 next to ±1: Gambit's own `lp` answer here is no equilibrium (reference
/// `max_regret` 5e18, the large payoffs overwhelm its floating-point LP); ours is exact (see
/// [`seqform_lp_on_the_large_payoff_game`]).
const LARGE_PAYOFF_GAME: &str = "tests_test_games_large_payoff_game.efg";

/// Solves, certifies, and asserts one equilibrium that passed its certificate (exact for these
/// games, whose numbers are all rational).
fn solve_certified(s: &dyn Solver, g: &Game, what: &str) -> solve::Solution {
    let gr = GameRef::Tree(g);
    let mut sol = s
        .solve(gr, &SolveOptions::default())
        .unwrap_or_else(|e| panic!("{what} {}: {e}", s.name()));
    certify(gr, &mut sol).unwrap_or_else(|e| panic!("{what} {}: {e}", s.name()));
    assert_eq!(sol.equilibria.len(), 1, "{what} {}: {sol:?}", s.name());
    for e in &sol.equilibria {
        assert!(
            e.is_certified(),
            "{what} {}: {:?}, regret {:?}",
            s.name(),
            e.certificate,
            e.regret
        );
    }
    sol
}

/// Player 1's payoff in the first equilibrium of a reference entry.
fn first_payoff(e: &Value, what: &str) -> f64 {
    e["equilibria"][0]["payoffs"][0]
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: no payoff in {e}"))
}

fn assert_close(got: f64, want: f64, what: &str) {
    assert!(
        (got - want).abs() <= TOL * want.abs().max(1.0),
        "{what}: value {got} vs Gambit {want}"
    );
}

/// True when Gambit refused the solver because the game lacks perfect recall.
fn refused_for_recall(r: &Value, name: &str, solver: &str) -> bool {
    r[name][solver]["error"]
        .as_str()
        .is_some_and(|m| m.contains("imperfect recall"))
}

/// More of the shipped games than this means the full set is present (the count assertions
/// below hold for it; a trimmed `DETER_GAMES_DIR` only runs what it holds).
fn full_set() -> bool {
    games_with_ext("efg").len() > 100
}

#[test]
fn seqform_lp_value_agrees_with_gambit_lp() {
    let Some(r) = reference() else { return };
    let mut checked = 0;
    for (name, text) in games_with_ext("efg") {
        let Some(e) = entry(&r, &name, "lp") else {
            continue;
        };
        if name == LARGE_PAYOFF_GAME {
            // Every equilibrium of a zero-sum game pays the value: the exact `lcp` one must
            // pay what Gambit's single pure equilibrium pays.
            let g = efg::read(&text).unwrap_or_else(|err| panic!("{name}: {err}"));
            let pure = entry(&r, &name, "enumpure").expect("enumpure entry");
            assert_eq!(pure["count"], 1, "{name}: one pure equilibrium");
            let sol = solve_certified(&solve::lemke::SequenceLcp, &g, &name);
            let want = first_payoff(pure, &name);
            assert_close(sol.equilibria[0].payoffs[0], want, &format!("{name} lcp"));
            // Gambit's `lp` value (0) is wrong here; see seqform_lp_on_the_large_payoff_game.
            let sol = solve_certified(&solve::seqlp::SequenceLp, &g, &name);
            assert_close(
                sol.value.expect("value"),
                want,
                &format!("{name} seqform-lp"),
            );
            checked += 1;
            continue;
        }
        let g = efg::read(&text).unwrap_or_else(|err| panic!("{name}: {err}"));
        let want = first_payoff(e, &name);
        let sol = solve_certified(&solve::seqlp::SequenceLp, &g, &name);
        let value = sol.value.expect("seqform-lp reports the value");
        assert_close(value, want, &format!("{name} seqform-lp"));
        // The certified equilibrium pays the value (a sanity check on the LP's own number).
        assert_close(
            sol.equilibria[0].payoffs[0],
            want,
            &format!("{name} payoff"),
        );
        // A subgame-perfect equilibrium of a zero-sum game pays the value too.
        let sub = solve_certified(&solve::subgame::SubgameDecomposition, &g, &name);
        assert_close(
            sub.equilibria[0].payoffs[0],
            want,
            &format!("{name} subgame"),
        );
        checked += 1;
    }
    eprintln!("seqform-lp and subgame agree with Gambit's lp on {checked} trees");
    if full_set() {
        // Measured on the shipped set: 24 trees have a usable `lp` entry.
        assert!(checked >= 24, "only {checked} trees checked");
    }
}

#[test]
fn lcp_finds_a_certified_equilibrium_where_gambit_lcp_does() {
    let Some(r) = reference() else { return };
    let (mut checked, mut too_big, mut timed_out) = (0, Vec::new(), Vec::new());
    for (name, text) in games_with_ext("efg") {
        let Some(raw) = r.get(&name).and_then(|x| x.get("lcp")) else {
            continue;
        };
        let found = entry(&r, &name, "lcp").is_some_and(|e| e["count"].as_u64() > Some(0));
        let timeout = raw.get("timeout_s").is_some();
        if !(found || timeout) {
            continue;
        }
        let g = efg::read(&text).unwrap_or_else(|err| panic!("{name}: {err}"));
        if g.n_players() != 2 || SequenceForm::new(&g).is_err() {
            // Gambit's time-outs may include games outside the sequence form's class.
            assert!(
                !found,
                "{name}: Gambit's lcp solved it, so it is in the class"
            );
            continue;
        }
        if let Err(u) = solve::lemke::SequenceLcp.supports(GameRef::Tree(&g)) {
            too_big.push(format!("{name}: {}", u.reason));
            continue;
        }
        solve_certified(&solve::lemke::SequenceLcp, &g, &name);
        if timeout {
            timed_out.push(name);
        }
        checked += 1;
    }
    eprintln!(
        "lcp certified on {checked} trees ({} where Gambit's lcp timed out: {}); {} skipped",
        timed_out.len(),
        timed_out.join(", "),
        too_big.len()
    );
    for s in &too_big {
        eprintln!("  skip (too large for the exact tableau) {s}");
    }
    if full_set() {
        // Measured on the shipped set: 93 two-player trees with perfect recall, 7 of them
        // Gambit time-outs, none too large.
        assert!(checked >= 93, "only {checked} trees checked");
        assert!(timed_out.len() >= 7, "{timed_out:?}");
    }
}

#[test]
fn games_without_perfect_recall_are_refused_with_the_place() {
    let Some(r) = reference() else { return };
    let mut checked = 0;
    for (name, text) in games_with_ext("efg") {
        if !(refused_for_recall(&r, &name, "lp") || refused_for_recall(&r, &name, "lcp")) {
            continue;
        }
        let g = efg::read(&text).unwrap_or_else(|err| panic!("{name}: {err}"));
        let solvers: [&dyn Solver; 3] = [
            &solve::seqlp::SequenceLp,
            &solve::lemke::SequenceLcp,
            &solve::subgame::SubgameDecomposition,
        ];
        for s in solvers {
            let gr = GameRef::Tree(&g);
            let why = s
                .supports(gr)
                .expect_err(&format!("{name}: {} accepts", s.name()));
            // The message names the player who forgets and the information set where.
            let names_player = g
                .tree
                .players
                .iter()
                .any(|p| why.reason.contains(&format!("player {p} ")));
            assert!(
                names_player && why.reason.contains("perfect recall at information set `"),
                "{name} {}: {}",
                s.name(),
                why.reason
            );
            // `solve` refuses the same way rather than computing something.
            assert!(s.solve(gr, &SolveOptions::default()).is_err(), "{name}");
        }
        checked += 1;
    }
    eprintln!("{checked} trees without perfect recall refused by seqform-lp, lcp and subgame");
    if full_set() {
        // Measured on the shipped set: Gambit refused 21 trees for imperfect recall.
        assert!(checked >= 21, "only {checked} trees checked");
    }
}

/// Gambit's `tests/test_games/large_payoff_game.efg` has a pure saddle point, so its value is
/// the payoff of Gambit's single `enumpure` equilibrium (1 to player 1); Gambit's `lp` answer
/// (value 0, regret 5e18) is wrong. The LP runs on rescaled payoffs and its answer is confirmed
/// (or recomputed) in exact arithmetic, so the value is exactly 1.
#[test]
fn seqform_lp_on_the_large_payoff_game() {
    let Some(r) = reference() else { return };
    let Some((name, text)) = games_with_ext("efg")
        .into_iter()
        .find(|(n, _)| n == LARGE_PAYOFF_GAME)
    else {
        return;
    };
    let pure = entry(&r, &name, "enumpure").expect("enumpure entry");
    assert_eq!(pure["count"], 1, "{name}: one pure equilibrium");
    let want = first_payoff(pure, &name);
    let g = efg::read(&text).unwrap_or_else(|err| panic!("{name}: {err}"));
    let sol = solve_certified(&solve::seqlp::SequenceLp, &g, &name);
    assert_close(sol.value.expect("value"), want, &name);
    assert!(sol.equilibria[0].certificate.is_exact(), "{name}");
    assert_eq!(
        sol.exact_value
            .as_ref()
            .map(deter::exact::display)
            .as_deref(),
        Some("1")
    );
}

/// `tests/models/kuhn.efg` is exactly what the writer makes of the built-in Kuhn poker (so the
/// file cannot drift from the example). `DETER_BLESS=1` rewrites it.
#[test]
fn kuhn_efg_is_the_built_in_kuhn_poker() {
    let path = repo("tests/models/kuhn.efg");
    let text = efg::write(&kuhn_poker());
    if std::env::var_os("DETER_BLESS").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let file = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        file,
        text,
        "{} differs from the writer's output",
        path.display()
    );
    // And it reads back to the same game value (−1/18, Kuhn 1950).
    let g = efg::read(&file).unwrap();
    let sol = solve_certified(&solve::seqlp::SequenceLp, &g, "kuhn.efg");
    assert_close(sol.value.unwrap(), -1.0 / 18.0, "kuhn.efg");
}

#[test]
fn deter_solve_kuhn_efg_prints_minus_one_eighteenth() {
    let out = deter_ok(&["solve", "tests/models/kuhn.efg"]);
    // "Game value (for 1): -1/18", exactly; Kuhn (1950): the value to player 1 is −1/18.
    let value = out
        .lines()
        .find_map(|l| l.strip_prefix("Game value (for "))
        .and_then(|l| l.split_once("): "))
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_else(|| panic!("no game value in\n{out}"));
    assert_eq!(value, "-1/18", "{out}");
    assert!(out.contains("✓ no player gains by deviating"), "{out}");
}
