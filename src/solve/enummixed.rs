//! All extreme Nash equilibria of a two-player game by vertex enumeration, in exact arithmetic.
//!
//! With payoffs made positive, the best-response polytopes are
//! `P = {x ≥ 0 : Bᵀx ≤ 1}` and `Q = {y ≥ 0 : Ay ≤ 1}`. Label a point of `P` by the strategies
//! `i` with `x_i = 0` and the columns `j` where `(Bᵀx)_j = 1` (best responses of the column
//! player), and likewise for `Q`. The extreme equilibria are exactly the completely labelled
//! vertex pairs `(x, y) ≠ (0, 0)`, normalised (Mangasarian 1964; Avis, Rosenberg, Savani and
//! von Stengel 2010, "Enumeration of Nash equilibria for two-player games"). This is the
//! method of Gambit's `enummixed`.
//!
//! Vertices are enumerated by a depth-first walk over the lexicographically feasible bases of
//! each polytope — the vertices of its lexicographic perturbation, a simple polytope whose
//! vertices map onto all vertices of the original — with one lexicographic pivot per entering
//! column, undoing each pivot on the way back.
//! Arithmetic is exact (fraction-free integer tableaus, see [`super::tableau`]): payoffs are
//! read as rationals, so "zero probability" and "tight constraint" are decided exactly and
//! degenerate games lose no equilibria. Trees go through their reduced strategic form.

use super::strategic_input::{bimatrix, need_two_players, Input};
use super::tableau::{positive_integer_matrix, FloatTableau, IntTableau, Tableau};
use super::*;
use num_bigint::BigInt;
use num_traits::{One, Zero};
use std::collections::{HashMap, HashSet};

/// Default limit on the number of feasible bases visited per polytope.
pub const DEFAULT_MAX_BASES: usize = 2_000_000;

/// Extreme-equilibrium enumeration for two-player games.
pub struct EnumMixed;

impl Solver for EnumMixed {
    fn name(&self) -> &'static str {
        "enummixed"
    }
    fn describe(&self) -> &'static str {
        "all extreme Nash equilibria of a two-player game (exact vertex enumeration)"
    }
    fn supports(&self, game: GameRef<'_>) -> Result<(), Unsupported> {
        need_two_players("enummixed", game, "enumpure")
    }
    fn solve(&self, game: GameRef<'_>, opts: &SolveOptions) -> Result<Solution, SolveError> {
        self.supports(game)?;
        let input = Input::new(game, opts)?;
        let (a, b) = bimatrix(input.game());
        let limit = opts.max_pivots.unwrap_or(DEFAULT_MAX_BASES);
        let (eqs, complete) = extreme_equilibria(&a, &b, limit);
        Ok(finish(self.name(), &input, eqs, complete, opts))
    }
}

/// The floating-point variant of [`EnumMixed`], for large games in general position.
pub struct EnumMixedFloat;

impl Solver for EnumMixedFloat {
    fn name(&self) -> &'static str {
        "enummixed-float"
    }
    fn describe(&self) -> &'static str {
        "all extreme Nash equilibria of a two-player game (floating-point vertex enumeration; fast, for games in general position)"
    }
    fn supports(&self, game: GameRef<'_>) -> Result<(), Unsupported> {
        need_two_players("enummixed-float", game, "enumpure")
    }
    fn solve(&self, game: GameRef<'_>, opts: &SolveOptions) -> Result<Solution, SolveError> {
        self.supports(game)?;
        let input = Input::new(game, opts)?;
        let (a, b) = bimatrix(input.game());
        let limit = opts.max_pivots.unwrap_or(DEFAULT_MAX_BASES);
        // Payoffs are mapped onto [1, 2], so the tolerance is relative to the payoff range.
        let tol = opts.tol.max(1e-12);
        let (eqs, complete) = extreme_equilibria_float(&a, &b, tol, limit);
        Ok(finish(self.name(), &input, eqs, complete, opts))
    }
}

/// Wraps the pairs found into a solution (cap, status).
fn finish(
    name: &'static str,
    input: &Input<'_>,
    eqs: Vec<MixedPair>,
    complete: bool,
    opts: &SolveOptions,
) -> Solution {
    let cap = match opts.ties {
        TieMode::All { cap } => cap,
        TieMode::Report => usize::MAX,
    };
    let truncated = eqs.len() > cap;
    let eqs: Vec<Equilibrium> = eqs
        .into_iter()
        .take(cap)
        .map(|(x, y)| Equilibrium::new(input.profile(vec![x, y])))
        .collect();
    let mut sol = Solution::new(name, eqs);
    if !complete {
        sol.status = Status::PivotLimit;
    } else if truncated {
        sol.status = Status::Truncated;
    }
    sol
}

/// An equilibrium of a bimatrix game: the row player's and the column player's mixed strategy.
pub type MixedPair = (Vec<f64>, Vec<f64>);

/// A depth-first frame: moves `(row, column)` to try, the next one, and the pivot that undoes
/// the move into this basis.
type Frame = (Vec<(usize, usize)>, usize, Option<(usize, usize)>);

/// A vertex of a best-response polytope: its label set and its point (unnormalised).
struct Vertex {
    labels: Vec<u64>,
    point: Vec<f64>,
}

/// All extreme equilibria `(x, y)` of the bimatrix game `(a, b)` (row player `a`), in exact
/// arithmetic, and whether the enumeration finished within `limit` bases per polytope.
pub fn extreme_equilibria(a: &[Vec<f64>], b: &[Vec<f64>], limit: usize) -> (Vec<MixedPair>, bool) {
    let m = a.len();
    let n = a.first().map_or(0, Vec::len);
    if m == 0 || n == 0 {
        return (Vec::new(), true);
    }
    let (p, q) = polytope_rows(
        &positive_integer_matrix(a),
        &positive_integer_matrix(b),
        BigInt::zero(),
        BigInt::one(),
    );
    let (pv, p_done) = vertices(IntTableau::new(p, (m..m + n).collect()), m + n, limit);
    let (qv, q_done) = vertices(IntTableau::new(q, (0..m).collect()), m + n, limit);
    (pair_up(&pv, &qv, m, n), p_done && q_done)
}

/// The same enumeration in floating point: payoffs are mapped to `[1, 2]` and entries below
/// `tol` count as zero (ties, tight constraints). Much faster; exact only for games in general
/// position.
pub fn extreme_equilibria_float(
    a: &[Vec<f64>],
    b: &[Vec<f64>],
    tol: f64,
    limit: usize,
) -> (Vec<MixedPair>, bool) {
    let m = a.len();
    let n = a.first().map_or(0, Vec::len);
    if m == 0 || n == 0 {
        return (Vec::new(), true);
    }
    let (p, q) = polytope_rows(&unit_range(a), &unit_range(b), 0.0, 1.0);
    let (pv, p_done) = vertices(
        FloatTableau::new(p, (m..m + n).collect(), tol),
        m + n,
        limit,
    );
    let (qv, q_done) = vertices(FloatTableau::new(q, (0..m).collect(), tol), m + n, limit);
    (pair_up(&pv, &qv, m, n), p_done && q_done)
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
/// `y_j`), so that a variable's index is its label.
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

/// Completely labelled pairs of non-zero vertices, normalised.
fn pair_up(pv: &[Vertex], qv: &[Vertex], m: usize, n: usize) -> Vec<MixedPair> {
    let k = m + n;
    let full = label_set(k, 0..k);
    // x = 0 carries all labels 0..m; y = 0 all labels m..k.
    let xs = label_set(k, 0..m);
    let ys = label_set(k, m..k);
    let has_all = |l: &[u64], s: &[u64]| l.iter().zip(s).all(|(a, b)| a & b == *b);
    let mut out = Vec::new();
    for x in pv.iter().filter(|v| !has_all(&v.labels, &xs)) {
        for y in qv.iter().filter(|v| !has_all(&v.labels, &ys)) {
            let complete = x
                .labels
                .iter()
                .zip(&y.labels)
                .zip(&full)
                .all(|((p, q), f)| (p | q) == *f);
            if complete {
                out.push((normalise(&x.point[..m]), normalise(&y.point[m..])));
            }
        }
    }
    out
}

fn label_set(k: usize, labels: impl Iterator<Item = usize>) -> Vec<u64> {
    let mut s = vec![0u64; k.div_ceil(64)];
    for l in labels {
        s[l / 64] |= 1 << (l % 64);
    }
    s
}

fn normalise(v: &[f64]) -> Vec<f64> {
    let sum: f64 = v.iter().sum();
    v.iter().map(|z| z / sum).collect()
}

/// Every vertex of the polytope of tableau `t` (over `k` variables), by a depth-first walk over
/// its feasible bases; the flag is false if the walk stopped at `limit` bases.
fn vertices<T: Tableau>(mut t: T, k: usize, limit: usize) -> (Vec<Vertex>, bool) {
    let mut seen: HashSet<Vec<u64>> = HashSet::new();
    let mut by_labels: HashMap<Vec<u64>, usize> = HashMap::new();
    let mut out: Vec<Vertex> = Vec::new();
    let record = |t: &T, out: &mut Vec<Vertex>, by: &mut HashMap<Vec<u64>, usize>| {
        let positive: Vec<usize> = (0..t.rows())
            .filter(|&r| !t.rhs_zero(r))
            .map(|r| t.basis()[r])
            .collect();
        let mut labels = label_set(k, 0..k);
        for v in &positive {
            labels[v / 64] &= !(1 << (v % 64));
        }
        if by.contains_key(&labels) {
            return;
        }
        let mut point = vec![0.0; k];
        for r in (0..t.rows()).filter(|&r| !t.rhs_zero(r)) {
            point[t.basis()[r]] = t.rhs_value(r);
        }
        by.insert(labels.clone(), out.len());
        out.push(Vertex { labels, point });
    };
    // The initial basis columns: the lexicographic ratio test on them is the simplex method on
    // the perturbed polytope (right-hand side 1 + (ε, ε², …)), which is simple; its vertices
    // are the lexicographically feasible bases, and every vertex of the original polytope is
    // the limit of at least one of them. Walking only those bases, one pivot per entering
    // column, visits every vertex while skipping most of the bases of degenerate vertices.
    let lex: Vec<usize> = t.basis().to_vec();
    let moves = |t: &T| -> Vec<(usize, usize)> {
        let basic = label_set(k, t.basis().iter().copied());
        (0..k)
            .filter(|&c| basic[c / 64] & (1 << (c % 64)) == 0)
            .filter_map(|c| t.lex_min_ratio_row(c, &lex).map(|r| (r, c)))
            .collect()
    };
    seen.insert(label_set(k, t.basis().iter().copied()));
    record(&t, &mut out, &mut by_labels);
    let mut stack: Vec<Frame> = vec![(moves(&t), 0, None)];
    while let Some(frame) = stack.last_mut() {
        if frame.1 < frame.0.len() {
            let (r, c) = frame.0[frame.1];
            frame.1 += 1;
            let leaving = t.basis()[r];
            t.pivot(r, c);
            if seen.insert(label_set(k, t.basis().iter().copied())) {
                if seen.len() > limit {
                    return (out, false);
                }
                record(&t, &mut out, &mut by_labels);
                stack.push((moves(&t), 0, Some((r, leaving))));
            } else {
                t.pivot(r, leaving);
            }
        } else if let Some((_, _, Some((r, v)))) = stack.pop() {
            t.pivot(r, v);
        }
    }
    (out, true)
}

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
        let (eqs, done) = extreme_equilibria(&a, &b, 1000);
        assert!(done);
        let eqs = sorted(eqs);
        assert_eq!(eqs.len(), 3);
        assert_eq!(eqs[0], (vec![0.0, 1.0], vec![0.0, 1.0]));
        assert!((eqs[1].0[0] - 2.0 / 3.0).abs() < 1e-15 && (eqs[1].1[0] - 1.0 / 3.0).abs() < 1e-15);
        assert_eq!(eqs[2], (vec![1.0, 0.0], vec![1.0, 0.0]));
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
        let (eqs, done) = extreme_equilibria(&a, &b, 1000);
        assert!(done);
        let g = StrategicGame {
            title: String::new(),
            players: vec!["1".into(), "2".into()],
            strategies: vec![vec!["T".into(), "B".into()], vec!["l".into(), "r".into()]],
            payoffs: vec![1., 1., 0., 0., 1., 1., 2., 1.],
            exact: None,
        };
        for (x, y) in &eqs {
            let r = g.regrets(&[x.clone(), y.clone()]);
            assert!(r.iter().all(|&v| v <= 1e-12), "{x:?} {y:?} {r:?}");
        }
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
