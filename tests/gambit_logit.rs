//! The logit limit against Gambit's `logit` and against `lcp` on Gambit's example games
//! (`shared/games/reference.json`, computed with Gambit 16.7 / pygambit).
//!
//! - Wherever Gambit's `logit` returned an equilibrium, `deter` returns a certified one: the
//!   logit limit itself on every game it takes (perfect recall), and where the path cannot be
//!   followed to a certified limit, the solver says so and the default solver's answer is
//!   certified instead. Games without perfect recall are refused by `logit` with the place
//!   where recall fails (Gambit's `logit` answers there in the agent form, which is not a
//!   Nash equilibrium of the game in behaviour strategies), and the default answers.
//! - Where Gambit's `enummixed` found exactly one equilibrium (two players: the equilibrium is
//!   unique), the logit limit is that equilibrium: the same play distribution (trees) or mixed
//!   profile (strategic games) as `lcp`/`lemke-howson`, and the same payoffs as Gambit's
//!   `logit` answer (Gambit stops the path at a regret tolerance, so its point is only close).

use crate::gambit_games::{entry, games_with_ext, reference};
use deter::format::{efg, nfg};
use deter::game::{Game, StrategicGame};
use deter::output::words;
use deter::solve::{self, certify, logit::Logit, GameRef, Profile, SolveOptions, Solver, Status};
use serde_json::Value;

/// Agreement with the unique equilibrium computed by another method of ours.
const TOL: f64 = 1e-9;

/// Agreement with Gambit's stopped-path answer, relative to the payoff range.
const GAMBIT_TOL: f64 = 1e-4;

enum Loaded {
    Tree(Game),
    Strategic(StrategicGame),
}

impl Loaded {
    fn as_ref(&self) -> GameRef<'_> {
        match self {
            Loaded::Tree(g) => GameRef::Tree(g),
            Loaded::Strategic(g) => GameRef::Strategic(g),
        }
    }
}

/// Every game file, parsed (files our readers refuse are Gambit's refusals too: asserted in
/// `gambit_formats`).
fn games() -> Vec<(String, Loaded)> {
    let mut out = Vec::new();
    for (name, text) in games_with_ext("efg") {
        if let Ok(g) = efg::read(&text) {
            out.push((name, Loaded::Tree(g)));
        }
    }
    for (name, text) in games_with_ext("nfg") {
        if let Ok(g) = nfg::read(&text) {
            out.push((name, Loaded::Strategic(g)));
        }
    }
    out
}

/// Certifies `sol` and asserts every equilibrium in it passed (exactly where payoffs are
/// rational, as in all of Gambit's games).
fn assert_certified(g: GameRef<'_>, sol: &mut solve::Solution, what: &str) {
    certify(g, sol).unwrap_or_else(|e| panic!("{what}: {e}"));
    for e in &sol.equilibria {
        assert!(
            e.is_certified(),
            "{what}: {:?}, regret {:?}",
            e.certificate,
            e.regret
        );
    }
}

/// The default solver's answer, certified, with at least one equilibrium.
fn default_answer(g: GameRef<'_>, what: &str) -> solve::Solution {
    let s = solve::pick(g).unwrap_or_else(|e| panic!("{what}: no default solver: {}", e.reason));
    let mut sol = s
        .solve(g, &SolveOptions::default())
        .unwrap_or_else(|e| panic!("{what} {}: {e}", s.name()));
    assert!(!sol.equilibria.is_empty(), "{what} {}: none", s.name());
    assert_certified(g, &mut sol, &format!("{what} {}", s.name()));
    sol
}

fn payoff_range(g: GameRef<'_>) -> f64 {
    let pays = match g {
        GameRef::Tree(g) => &g.payoffs,
        GameRef::Strategic(g) => &g.payoffs,
    };
    let lo = pays.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = pays.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (hi - lo).max(1.0)
}

/// The logit limit: `Some` (certified) or `None` when the solver stopped, which it must
/// explain.
fn logit_limit(g: GameRef<'_>, what: &str) -> Option<solve::Solution> {
    let mut sol = Logit
        .solve(g, &SolveOptions::default())
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    if sol.equilibria.is_empty() {
        assert!(
            matches!(sol.status, Status::StepLimit | Status::TimeLimit),
            "{what}: no equilibrium and status {:?}",
            sol.status
        );
        assert!(
            sol.notes.iter().any(|n| n.contains("try `--solver")),
            "{what}: stopped without naming what to try: {:?}",
            sol.notes
        );
        return None;
    }
    assert_eq!(sol.equilibria.len(), 1, "{what}: one limit");
    assert_certified(g, &mut sol, &format!("{what} logit"));
    Some(sol)
}

/// Probability of each terminal node (the play distribution) under a behaviour profile.
fn play_distribution(g: &Game, p: &[f64]) -> Vec<f64> {
    let mut d = vec![0.0; g.tree.nodes.len()];
    for pl in words::plays(g, p) {
        d[pl.leaf.ix()] += pl.prob;
    }
    d
}

fn max_dist(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}

/// What can be compared between two equilibria of a game: leaf probabilities (trees) or the
/// mixed profile (strategic games).
fn signature(g: GameRef<'_>, p: &Profile) -> Vec<f64> {
    match (g, p) {
        (GameRef::Tree(g), Profile::Behavior(b)) => play_distribution(g, b),
        (GameRef::Strategic(_), Profile::Mixed(m)) => m.iter().flatten().copied().collect(),
        _ => panic!("profile of the wrong form"),
    }
}

/// Gambit found exactly one equilibrium by enumerating all extreme ones (two players).
fn unique_by_gambit(r: &Value, name: &str) -> bool {
    entry(r, name, "enummixed").is_some_and(|e| e["count"] == 1)
}

#[test]
fn logit_returns_a_certified_equilibrium_wherever_gambit_logit_does() {
    let Some(r) = reference() else { return };
    let (mut by_logit, mut by_default, mut refused) = (0, 0, 0);
    for (name, game) in games() {
        if entry(&r, &name, "logit").is_none() {
            continue;
        }
        let g = game.as_ref();
        if let Err(why) = Logit.supports(g) {
            // The only refusal on these games is for imperfect recall, with the place.
            assert!(
                why.reason.contains("perfect recall at information set `"),
                "{name}: {}",
                why.reason
            );
            default_answer(g, &name);
            refused += 1;
            continue;
        }
        match logit_limit(g, &name) {
            Some(_) => by_logit += 1,
            None => {
                default_answer(g, &name);
                by_default += 1;
            }
        }
    }
    eprintln!(
        "logit limit certified on {by_logit} games; {by_default} left to the default solver; \
         {refused} refused for imperfect recall"
    );
    if games_with_ext("efg").len() > 100 {
        // Measured on the shipped set: 160 limits; the large-payoff game (±1e19 next to ±1)
        // is beyond the path's λ range.
        assert!(by_logit >= 160, "only {by_logit} logit limits");
        assert!(by_default <= 1, "{by_default} games without a logit limit");
    }
}

#[test]
fn logit_limit_is_the_unique_equilibrium_where_there_is_one() {
    let Some(r) = reference() else { return };
    let mut checked = 0;
    for (name, game) in games() {
        let g = game.as_ref();
        if !unique_by_gambit(&r, &name) || Logit.supports(g).is_err() {
            continue;
        }
        let Some(sol) = logit_limit(g, &name) else {
            continue;
        };
        let mine = &sol.equilibria[0];
        // Our own pivoting method on the same game.
        let other = match g {
            GameRef::Tree(_) => solve::by_name("lcp"),
            GameRef::Strategic(_) => solve::by_name("lemke-howson"),
        }
        .expect("registered");
        let mut theirs = other
            .solve(g, &SolveOptions::default())
            .unwrap_or_else(|e| panic!("{name} {}: {e}", other.name()));
        assert_certified(g, &mut theirs, &name);
        let d = max_dist(
            &signature(g, &mine.profile),
            &signature(g, &theirs.equilibria[0].profile),
        );
        assert!(d <= TOL, "{name}: logit and {} differ by {d}", other.name());
        // Gambit's logit answer: the same payoffs, to its tolerance.
        let gl = entry(&r, &name, "logit").expect("logit entry");
        let range = payoff_range(g);
        for (k, want) in gl["equilibria"][0]["payoffs"]
            .as_array()
            .expect("payoffs")
            .iter()
            .enumerate()
        {
            let want = want.as_f64().expect("a number");
            let got = mine.payoffs[k];
            assert!(
                (got - want).abs() <= GAMBIT_TOL * range,
                "{name}: player {k} gets {got}, Gambit's logit {want}"
            );
        }
        checked += 1;
    }
    eprintln!("{checked} games with a unique equilibrium: logit = lcp = Gambit's logit");
    if games_with_ext("efg").len() > 100 {
        assert!(checked >= 15, "only {checked} games checked");
    }
}
