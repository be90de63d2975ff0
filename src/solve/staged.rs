//! The default solve of a game whose exhaustive method may take long: one certified equilibrium
//! first, then the exhaustive enumeration with progress, within a time budget.
//!
//! Vertex enumeration lists every extreme equilibrium of a two-player game, but its work grows
//! exponentially with the number of strategies, while Lemke–Howson finds one equilibrium in
//! milliseconds even at 200×200. A user who asked for "the equilibria" of a large game should
//! not wait with nothing on the screen: when the default solver is `enummixed` and the game is
//! large enough for that to matter ([`quick_method`]), [`run`] first solves with Lemke–Howson,
//! hands its certified equilibrium to the caller, and only then enumerates, reporting progress
//! and stopping at the deadline. The result says which stage completed: the caller prints it.
//!
//! This is a policy on top of the registry, kept out of [`pick`](super::pick): `pick` still
//! names the exhaustive method, and an explicit `--solver` runs that method alone.

use super::enummixed::{self, Arithmetic, Progress};
use super::strategic_input::Input;
use super::*;
use std::time::{Duration, Instant};

/// Two-player games whose smaller player has at least this many strategies (in the reduced
/// strategic form, for trees) get a Lemke–Howson answer before the enumeration: below it the
/// enumeration itself takes a few milliseconds.
pub const QUICK_FIRST_MIN_STRATEGIES: usize = 8;

/// The fast method to run before `picked`, when `picked` is an enumeration that may be slow on
/// `game`.
pub fn quick_method(game: GameRef<'_>, picked: &dyn Solver) -> Option<Box<dyn Solver>> {
    if picked.name() != "enummixed" || game.n_players() != 2 {
        return None;
    }
    let smaller = match game {
        GameRef::Strategic(g) => g.shape().into_iter().min()?,
        GameRef::Tree(_) => {
            let input = Input::new(game, &SolveOptions::default()).ok()?;
            input.game().shape().into_iter().min()?
        }
    };
    (smaller >= QUICK_FIRST_MIN_STRATEGIES)
        .then(|| by_name("lemke-howson"))
        .flatten()
}

/// A stage's certified solution and how long it took.
#[derive(Clone, Debug)]
pub struct Timed {
    /// The certified solution.
    pub solution: Solution,
    /// Wall-clock time of the solve and its certificate.
    pub time: Duration,
}

/// What a staged solve did.
#[derive(Clone, Debug)]
pub struct Staged {
    /// The quick stage, if one ran.
    pub quick: Option<Timed>,
    /// The exhaustive stage. When it stopped early (time limit, cap), the quick stage's
    /// equilibrium is added to its list if it was not found.
    pub full: Timed,
    /// Bases visited by the enumeration, when the exhaustive method is `enummixed`.
    pub progress: Option<Progress>,
}

/// Solves `game` with `picked`, first with [`quick_method`] if `quick` is set and one applies
/// (its certified solution goes to `on_quick` at once), reporting the enumeration's progress to
/// `on_progress`. Every returned equilibrium is certified (relative tolerance `rel_tol`).
pub fn run(
    game: GameRef<'_>,
    picked: &dyn Solver,
    opts: &SolveOptions,
    rel_tol: f64,
    quick: bool,
    on_quick: &mut dyn FnMut(&Timed),
    on_progress: &mut dyn FnMut(&Progress),
) -> Result<Staged, SolveError> {
    let first = match quick.then(|| quick_method(game, picked)).flatten() {
        Some(q) => {
            let t = Instant::now();
            let mut s = q.solve(game, opts)?;
            certify_with(game, &mut s, rel_tol)?;
            let timed = Timed {
                solution: s,
                time: t.elapsed(),
            };
            on_quick(&timed);
            Some(timed)
        }
        None => None,
    };
    let t = Instant::now();
    let (mut full, progress) = if picked.name() == "enummixed" {
        let (s, p) = enummixed::solve_with_progress(game, opts, Arithmetic::Exact, on_progress)?;
        (s, Some(p))
    } else {
        (picked.solve(game, opts)?, None)
    };
    certify_with(game, &mut full, rel_tol)?;
    let time = t.elapsed();
    if full.status != Status::Solved {
        let missing: Vec<Equilibrium> = first
            .iter()
            .flat_map(|q| &q.solution.equilibria)
            .filter(|e| {
                !full
                    .equilibria
                    .iter()
                    .any(|f| same_profile(&f.profile, &e.profile))
            })
            .cloned()
            .collect();
        full.equilibria.extend(missing);
    }
    Ok(Staged {
        quick: first,
        full: Timed {
            solution: full,
            time,
        },
        progress,
    })
}

/// Equal profiles up to rounding.
fn same_profile(a: &Profile, b: &Profile) -> bool {
    let close = |x: &[f64], y: &[f64]| {
        x.len() == y.len() && x.iter().zip(y).all(|(p, q)| (p - q).abs() <= 1e-9)
    };
    match (a, b) {
        (Profile::Behavior(x), Profile::Behavior(y))
        | (Profile::Correlated(x), Profile::Correlated(y)) => close(x, y),
        (Profile::Mixed(x), Profile::Mixed(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| close(p, q))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::enummixed::bimatrix_game;

    /// A seeded n×n game with integer payoffs in [0, 1000).
    fn random(n: usize, mut s: u64) -> StrategicGame {
        let mut next = || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s % 1000) as f64
        };
        let a: Vec<Vec<f64>> = (0..n).map(|_| (0..n).map(|_| next()).collect()).collect();
        let b: Vec<Vec<f64>> = (0..n).map(|_| (0..n).map(|_| next()).collect()).collect();
        bimatrix_game(&a, &b)
    }

    #[test]
    fn large_games_get_a_quick_answer_small_ones_do_not() {
        let em = by_name("enummixed").unwrap();
        let big = random(QUICK_FIRST_MIN_STRATEGIES, 7);
        let small = random(QUICK_FIRST_MIN_STRATEGIES - 1, 7);
        assert_eq!(
            quick_method(GameRef::Strategic(&big), em.as_ref()).map(|s| s.name()),
            Some("lemke-howson")
        );
        assert!(quick_method(GameRef::Strategic(&small), em.as_ref()).is_none());
        let lh = by_name("lemke-howson").unwrap();
        assert!(quick_method(GameRef::Strategic(&big), lh.as_ref()).is_none());
    }

    #[test]
    fn an_expired_deadline_still_answers_with_the_quick_equilibrium() {
        let g = random(12, 99);
        let gr = GameRef::Strategic(&g);
        let em = by_name("enummixed").unwrap();
        let opts = SolveOptions {
            deadline: Some(Instant::now()),
            ..SolveOptions::default()
        };
        let mut seen = 0;
        let s = run(
            gr,
            em.as_ref(),
            &opts,
            1e-9,
            true,
            &mut |q| seen += q.solution.equilibria.len(),
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(seen, 1);
        assert_eq!(s.full.solution.status, Status::TimeLimit);
        assert!(!s.full.solution.equilibria.is_empty());
        assert!(s.full.solution.equilibria.iter().all(|e| e.is_certified()));
        // Without the deadline the enumeration completes and contains the quick equilibrium.
        let s = run(
            gr,
            em.as_ref(),
            &SolveOptions::default(),
            1e-9,
            true,
            &mut |_| {},
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(s.full.solution.status, Status::Solved);
        let q = &s.quick.unwrap().solution.equilibria[0];
        assert!(s
            .full
            .solution
            .equilibria
            .iter()
            .any(|e| same_profile(&e.profile, &q.profile)));
    }
}
