//! All extreme Nash equilibria of a two-player game by vertex enumeration, as `lrsnash` does.
//!
//! With payoffs made positive, the best-response polytopes are `P = {x ≥ 0 : Bᵀx ≤ 1}` and
//! `Q = {y ≥ 0 : Ay ≤ 1}`. A point's labels are the pure strategies it leaves unused and the
//! other player's best responses to it; the extreme equilibria are exactly the completely
//! labelled vertex pairs `(x, y) ≠ (0, 0)`, normalised (Mangasarian 1964). Following Avis,
//! Rosenberg, Savani and von Stengel (2010, "Enumeration of Nash equilibria for two-player
//! games", the method of `lrsnash`):
//!
//! 1. every vertex `x` of the polytope of the player with fewer strategies is enumerated by
//!    lexicographic reverse search ([`revsearch`](super::linalg::revsearch)): no list of
//!    visited bases, memory linear in the dictionary, each vertex reported once;
//! 2. for each `x`, the vertices `y` of `Q` carrying the labels `x` lacks form a face of `Q`
//!    (`y_j = 0` off `x`'s best responses, `A_i y = 1` on its support). In a non-degenerate
//!    game it is one point or empty, found by a Gauss–Jordan solve; in general a phase-one
//!    simplex finds a vertex of it and a second reverse search lists all of them.
//!
//! Equilibria are streamed as they are found, so a cap (`max_equilibria`) or a deadline stops
//! the enumeration early with everything found so far, and a progress callback sees the count
//! of bases visited. The exact variant pivots fraction-free in integers that start as machine
//! words and widen only when needed ([`int`](super::linalg::int)); payoffs are read as
//! rationals (the game's exact payoffs when it has them), so degenerate games lose no
//! equilibria. The floating-point variant runs the same algorithm in `f64` with a tolerance
//! relative to the payoff range; each equilibrium it reports is confirmed by the exact
//! certificate, but only the exact variant is guaranteed to find all of them. Trees go through
//! their reduced strategic form.

mod confirm;
mod search;

use super::strategic_input::{bimatrix, need_two_players, Input};
use super::tableau::to_rational;
use super::*;
use crate::exact::Rational;
use num_bigint::BigInt;
use num_traits::One;
use search::{ExactKernel, FloatKernel, Found, Verdict};
use std::time::Instant;

/// Extreme-equilibrium enumeration for two-player games, exact.
pub struct EnumMixed;

impl Solver for EnumMixed {
    fn name(&self) -> &'static str {
        "enummixed"
    }
    fn describe(&self) -> &'static str {
        "all extreme Nash equilibria of a two-player game (exact lexicographic reverse search)"
    }
    fn supports(&self, game: GameRef<'_>) -> Result<(), Unsupported> {
        need_two_players("enummixed", game, "enumpure")
    }
    fn uses_strategic_form(&self) -> bool {
        true
    }
    fn solve(&self, game: GameRef<'_>, opts: &SolveOptions) -> Result<Solution, SolveError> {
        solve_with(game, opts, Arithmetic::Exact)
    }
}

/// The floating-point variant of [`EnumMixed`], for large games in general position.
pub struct EnumMixedFloat;

impl Solver for EnumMixedFloat {
    fn name(&self) -> &'static str {
        "enummixed-float"
    }
    fn describe(&self) -> &'static str {
        "all extreme Nash equilibria of a two-player game (floating-point reverse search; for games in general position)"
    }
    fn supports(&self, game: GameRef<'_>) -> Result<(), Unsupported> {
        need_two_players("enummixed-float", game, "enumpure")
    }
    fn uses_strategic_form(&self) -> bool {
        true
    }
    fn solve(&self, game: GameRef<'_>, opts: &SolveOptions) -> Result<Solution, SolveError> {
        solve_with(game, opts, Arithmetic::Float)
    }
}

/// Exact or floating-point pivoting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arithmetic {
    /// Fraction-free integers (exact).
    Exact,
    /// `f64` with a tolerance relative to the payoff range.
    Float,
}

fn solve_with(
    game: GameRef<'_>,
    opts: &SolveOptions,
    arith: Arithmetic,
) -> Result<Solution, SolveError> {
    solve_with_progress(game, opts, arith, &mut |_| {}).map(|(s, _)| s)
}

/// As [`EnumMixed`] (or [`EnumMixedFloat`]) with `on_progress` called every few hundred bases;
/// also returns the final count of bases, vertices and equilibria.
pub fn solve_with_progress(
    game: GameRef<'_>,
    opts: &SolveOptions,
    arith: Arithmetic,
    on_progress: &mut dyn FnMut(&Progress),
) -> Result<(Solution, Progress), SolveError> {
    let name = match arith {
        Arithmetic::Exact => "enummixed",
        Arithmetic::Float => "enummixed-float",
    };
    need_two_players(name, game, "enumpure")?;
    let input = Input::new(game, opts)?;
    let mut eqs = Vec::new();
    let mut last = Progress::default();
    let outcome = stream(
        input.game(),
        arith,
        &Limits::from_options(opts),
        &mut |e| {
            eqs.push(match e.exact {
                // Every reported pair is exact (computed so, or confirmed), so the
                // certificate can be exact too.
                Some((x, y)) => input.exact_equilibrium(vec![x, y]),
                None => Equilibrium::new(input.profile(vec![e.x, e.y])),
            })
        },
        &mut |p| {
            last = *p;
            on_progress(p)
        },
    );
    let mut sol = Solution::new(name, eqs);
    sol.status = outcome.status();
    Ok((sol, last))
}

/// When an enumeration stops early.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Limits {
    /// Stop once this many equilibria are found and another one exists.
    pub max_equilibria: Option<usize>,
    /// Stop at this instant.
    pub deadline: Option<Instant>,
    /// Stop after visiting this many bases of the first polytope.
    pub max_bases: Option<u64>,
}

impl Limits {
    /// The limits set in solver options (`max_pivots` bounds the bases visited).
    pub fn from_options(opts: &SolveOptions) -> Self {
        Limits {
            max_equilibria: opts.max_equilibria,
            deadline: opts.deadline,
            max_bases: opts.max_pivots.map(|p| p as u64),
        }
    }
}

/// How far an enumeration has got.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Bases of the first polytope visited.
    pub bases: u64,
    /// Vertices of the first polytope found (the origin excluded).
    pub vertices: u64,
    /// Equilibria found.
    pub equilibria: u64,
}

/// How an enumeration ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Every extreme equilibrium was found.
    Complete,
    /// Stopped at `max_equilibria`; more exist.
    Truncated,
    /// Stopped at the deadline.
    TimeLimit,
    /// Stopped at `max_bases`.
    BaseLimit,
}

impl Outcome {
    /// The solution status this outcome maps to.
    pub fn status(self) -> Status {
        match self {
            Outcome::Complete => Status::Solved,
            Outcome::Truncated => Status::Truncated,
            Outcome::TimeLimit => Status::TimeLimit,
            Outcome::BaseLimit => Status::PivotLimit,
        }
    }
}

/// One extreme equilibrium: the two players' mixed strategies, and the same as exact
/// rationals when the enumeration was exact.
#[derive(Clone, Debug, PartialEq)]
pub struct Extreme {
    /// The first player's mixed strategy.
    pub x: Vec<f64>,
    /// The second player's mixed strategy.
    pub y: Vec<f64>,
    /// Both, exactly (exact arithmetic only).
    pub exact: Option<(Vec<Rational>, Vec<Rational>)>,
}

/// How often (in bases) the deadline is checked.
const CHECK_EVERY: u64 = 16;
/// How often (in bases) progress is reported.
const REPORT_EVERY: u64 = 1024;

/// Enumerates the extreme equilibria of a two-player strategic game, calling `on_equilibrium`
/// for each as it is found and `on_progress` every few hundred bases.
pub fn stream(
    g: &StrategicGame,
    arith: Arithmetic,
    limits: &Limits,
    on_equilibrium: &mut dyn FnMut(Extreme),
    on_progress: &mut dyn FnMut(&Progress),
) -> Outcome {
    let (m, n) = (g.strategies[0].len(), g.strategies[1].len());
    if m == 0 || n == 0 {
        return Outcome::Complete;
    }
    // Enumerate the polytope of the player with fewer strategies (it has fewer vertices).
    let transposed = m > n;
    let (ai, bi) = integer_bimatrix(g);
    let (ai, bi) = orient(ai, bi, transposed);
    let mut count = 0usize;
    let mut emit = |f: Found| -> Verdict {
        let exact = match f.x.1.zip(f.y.1) {
            Some(xy) => Some(xy),
            // A floating-point pair: recompute it exactly from its labels, or drop it.
            None => match confirm::confirm(&ai, &bi, &f.x_labels, &f.y_labels) {
                Some((x, y)) => Some((normalised(x), normalised(y))),
                None => return Verdict::Rejected,
            },
        };
        if limits.max_equilibria.is_some_and(|cap| count >= cap) {
            return Verdict::Stop(Outcome::Truncated);
        }
        count += 1;
        let (x, y) = exact.expect("exact or confirmed");
        let floats = |v: &[Rational]| v.iter().map(crate::exact::to_f64).collect();
        let e = Extreme {
            x: floats(&x),
            y: floats(&y),
            exact: Some((x, y)),
        };
        on_equilibrium(if transposed {
            Extreme {
                x: e.y,
                y: e.x,
                exact: e.exact.map(|(x, y)| (y, x)),
            }
        } else {
            e
        });
        Verdict::Counted
    };
    match arith {
        Arithmetic::Exact => {
            // Payoffs of up to 40 bits are read as i64 (sums of a row stay far from overflow);
            // the dictionaries widen by themselves as their entries grow.
            let small = |x: &[Vec<BigInt>]| -> Option<Vec<Vec<i64>>> {
                x.iter()
                    .map(|row| {
                        row.iter()
                            .map(|v| (v.bits() <= 40).then(|| i64::try_from(v).ok()).flatten())
                            .collect()
                    })
                    .collect()
            };
            match (small(&ai), small(&bi)) {
                (Some(a), Some(b)) => {
                    let k = ExactKernel::<i64>(std::marker::PhantomData);
                    search::run(&k, &a, &b, limits, &mut emit, on_progress)
                }
                _ => {
                    let k = ExactKernel::<BigInt>(std::marker::PhantomData);
                    let (a, b) = (ai.clone(), bi.clone());
                    search::run(&k, &a, &b, limits, &mut emit, on_progress)
                }
            }
        }
        Arithmetic::Float => {
            let (a, b) = bimatrix(g);
            let (a, b) = orient(unit_range(&a), unit_range(&b), transposed);
            search::run(
                &FloatKernel { eps: 1e-12 },
                &a,
                &b,
                limits,
                &mut emit,
                on_progress,
            )
        }
    }
}

/// `v / Σv`.
fn normalised(v: Vec<Rational>) -> Vec<Rational> {
    let sum: Rational = v.iter().sum();
    v.into_iter().map(|x| x / &sum).collect()
}

/// `(a, b)` as seen by the enumerated player: unchanged, or both transposed with the players
/// swapped.
fn orient<T: Clone>(
    a: Vec<Vec<T>>,
    b: Vec<Vec<T>>,
    transposed: bool,
) -> (Vec<Vec<T>>, Vec<Vec<T>>) {
    if !transposed {
        return (a, b);
    }
    let t = |x: &[Vec<T>]| -> Vec<Vec<T>> {
        (0..x[0].len())
            .map(|j| x.iter().map(|row| row[j].clone()).collect())
            .collect()
    };
    (t(&b), t(&a))
}

/// The payoff matrices as positive integers (`k·(a − min) + 1` per player, `k` clearing the
/// denominators), from the game's exact payoffs when it has them.
pub(crate) fn integer_bimatrix(g: &StrategicGame) -> (Vec<Vec<BigInt>>, Vec<Vec<BigInt>>) {
    let (m, n) = (g.strategies[0].len(), g.strategies[1].len());
    let value = |k: usize| -> Rational {
        match &g.exact {
            Some(ex) => ex[k].clone(),
            None => to_rational(g.payoffs[k]),
        }
    };
    let mat = |p: usize| -> Vec<Vec<Rational>> {
        (0..m)
            .map(|i| (0..n).map(|j| value((j * m + i) * 2 + p)).collect())
            .collect()
    };
    (positive_integers(&mat(0)), positive_integers(&mat(1)))
}

fn positive_integers(x: &[Vec<Rational>]) -> Vec<Vec<BigInt>> {
    let mut lcm = <BigInt as One>::one();
    for v in x.iter().flatten() {
        lcm = num_integer::Integer::lcm(&lcm, v.denom());
    }
    let l = Rational::from_integer(lcm);
    let ints: Vec<Vec<BigInt>> = x
        .iter()
        .map(|row| row.iter().map(|v| (v * &l).to_integer()).collect())
        .collect();
    let min = ints.iter().flatten().min().cloned().unwrap_or_default();
    ints.into_iter()
        .map(|row| row.into_iter().map(|v| v - &min + 1).collect())
        .collect()
}

/// A matrix mapped affinely onto `[1, 2]` (constant matrices to all 1).
pub(crate) fn unit_range(x: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let lo = x.iter().flatten().cloned().fold(f64::INFINITY, f64::min);
    let hi = x
        .iter()
        .flatten()
        .cloned()
        .fold(f64::NEG_INFINITY, f64::max);
    let span = if hi > lo { hi - lo } else { 1.0 };
    x.iter()
        .map(|r| r.iter().map(|v| (v - lo) / span + 1.0).collect())
        .collect()
}

/// Tableau rows of `P` (rows `j`: `Σ_i B_ij x_i + s_j = 1`; variable `i` is `x_i`, `m + j` is
/// `s_j`) and `Q` (rows `i`: `r_i + Σ_j A_ij y_j = 1`; variable `i` is `r_i`, `m + j` is
/// `y_j`), so that a variable's index is its label (used by Lemke–Howson).
pub(crate) fn polytope_rows<T: Clone>(
    a: &[Vec<T>],
    b: &[Vec<T>],
    zero: T,
    one: T,
) -> (Vec<Vec<T>>, Vec<Vec<T>>) {
    let m = a.len();
    let n = a.first().map_or(0, Vec::len);
    let p = (0..n)
        .map(|j| {
            let mut row: Vec<T> = (0..m).map(|i| b[i][j].clone()).collect();
            row.extend((0..n).map(|jj| if jj == j { one.clone() } else { zero.clone() }));
            row.push(one.clone());
            row
        })
        .collect();
    let q = (0..m)
        .map(|i| {
            let mut row: Vec<T> = (0..m)
                .map(|ii| if ii == i { one.clone() } else { zero.clone() })
                .collect();
            row.extend(a[i].iter().cloned());
            row.push(one.clone());
            row
        })
        .collect();
    (p, q)
}

/// All extreme equilibria `(x, y)` of the bimatrix game `(a, b)` (row player `a`), exact or in
/// floating point, and whether the enumeration finished within `max_bases` bases.
pub fn extreme_equilibria(
    a: &[Vec<f64>],
    b: &[Vec<f64>],
    arith: Arithmetic,
    max_bases: Option<u64>,
) -> (Vec<MixedPair>, bool) {
    let g = bimatrix_game(a, b);
    let mut out = Vec::new();
    let limits = Limits {
        max_bases,
        ..Limits::default()
    };
    let outcome = stream(
        &g,
        arith,
        &limits,
        &mut |e| out.push((e.x, e.y)),
        &mut |_| {},
    );
    (out, outcome == Outcome::Complete)
}

/// The strategic game with payoff matrices `a` (row player) and `b`.
pub fn bimatrix_game(a: &[Vec<f64>], b: &[Vec<f64>]) -> StrategicGame {
    let (m, n) = (a.len(), a.first().map_or(0, Vec::len));
    let names = |k: usize| (1..=k).map(|s| s.to_string()).collect();
    StrategicGame {
        title: String::new(),
        players: vec!["1".into(), "2".into()],
        strategies: vec![names(m), names(n)],
        payoffs: (0..m * n)
            .flat_map(|k| [a[k % m][k / m], b[k % m][k / m]])
            .collect(),
        exact: None,
    }
}

/// An equilibrium of a bimatrix game: the row player's and the column player's mixed strategy.
pub type MixedPair = (Vec<f64>, Vec<f64>);

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(mut v: Vec<MixedPair>) -> Vec<MixedPair> {
        v.sort_by(|p, q| p.partial_cmp(q).unwrap_or(std::cmp::Ordering::Equal));
        v
    }

    #[test]
    fn battle_of_the_sexes_has_three() {
        // Battle of the sexes: two pure equilibria and the mixed one ((2/3,1/3), (1/3,2/3)).
        let a = vec![vec![2.0, 0.0], vec![0.0, 1.0]];
        let b = vec![vec![1.0, 0.0], vec![0.0, 2.0]];
        for arith in [Arithmetic::Exact, Arithmetic::Float] {
            let (eqs, done) = extreme_equilibria(&a, &b, arith, None);
            assert!(done);
            let eqs = sorted(eqs);
            assert_eq!(eqs.len(), 3);
            assert_eq!(eqs[0], (vec![0.0, 1.0], vec![0.0, 1.0]));
            assert!(
                (eqs[1].0[0] - 2.0 / 3.0).abs() < 1e-15 && (eqs[1].1[0] - 1.0 / 3.0).abs() < 1e-15
            );
            assert_eq!(eqs[2], (vec![1.0, 0.0], vec![1.0, 0.0]));
        }
    }

    #[test]
    fn degenerate_game_unequal_supports() {
        // A degenerate game: row T pays (1,1) against both columns, row B pays (0,0) against l
        // and (2,1) against r. Worked by hand: against T the column player is indifferent, and
        // T is a best reply iff y_r <= 1/2, giving the segment from (T, l) to (T, (1/2, 1/2));
        // any weight on B makes r strictly better, and against r, B is better: (B, r). So the
        // extreme equilibria are (T, l), (T, (1/2, 1/2)) — supports of sizes 1 and 2 — and (B, r).
        let a = vec![vec![1.0, 1.0], vec![0.0, 2.0]];
        let b = vec![vec![1.0, 1.0], vec![0.0, 1.0]];
        let (eqs, done) = extreme_equilibria(&a, &b, Arithmetic::Exact, None);
        assert!(done);
        let eqs = sorted(eqs);
        assert_eq!(
            eqs,
            vec![
                (vec![0.0, 1.0], vec![0.0, 1.0]),
                (vec![1.0, 0.0], vec![0.5, 0.5]),
                (vec![1.0, 0.0], vec![1.0, 0.0]),
            ]
        );
    }
}
