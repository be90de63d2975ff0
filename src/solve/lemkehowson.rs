//! One Nash equilibrium of a two-player game by the Lemke–Howson algorithm.
//!
//! Complementary pivoting on the best-response polytopes `P = {x ≥ 0 : Bᵀx ≤ 1}` and
//! `Q = {y ≥ 0 : Ay ≤ 1}` (payoffs shifted positive), from the artificial equilibrium `(0, 0)`:
//! drop a label `k`, then alternately pivot in `P` and `Q`, each entering variable being the one
//! whose label the other polytope just picked up, until label `k` is picked up again
//! (Lemke and Howson 1964; von Stengel 2007, *Algorithmic Game Theory* ch. 3). The
//! minimum-ratio test is lexicographic (ties broken by the rows of the basis inverse), which
//! makes every step well defined on degenerate games and rules out cycling.
//!
//! The path is first followed in floating point; if the result is not an equilibrium (checked
//! exactly when the payoffs are exact — [`reconstruct::mixed`] — else within the tolerance of
//! each player's payoff range), it is followed again in exact integer arithmetic. Trees go
//! through their reduced strategic form.

use super::enummixed::{polytope_rows, unit_range};
use super::strategic_input::{bimatrix, need_two_players, Input};
use super::tableau::{positive_integer_matrix, FloatTableau, IntTableau, Tableau};
use super::*;
use num_bigint::BigInt;

/// Default pivot limit.
pub const DEFAULT_MAX_PIVOTS: usize = 1_000_000;

/// Lemke–Howson for two-player games.
pub struct LemkeHowson;

impl Solver for LemkeHowson {
    fn name(&self) -> &'static str {
        "lemke-howson"
    }
    fn describe(&self) -> &'static str {
        "one Nash equilibrium of a two-player game (Lemke–Howson, lexicographic pivoting)"
    }
    fn supports(&self, game: GameRef<'_>) -> Result<(), Unsupported> {
        need_two_players("lemke-howson", game, "enumpure")
    }
    fn uses_strategic_form(&self) -> bool {
        true
    }
    fn solve(&self, game: GameRef<'_>, opts: &SolveOptions) -> Result<Solution, SolveError> {
        self.supports(game)?;
        let input = Input::new(game, opts)?;
        let g = input.game();
        let (a, b) = bimatrix(g);
        let limit = opts.max_pivots.unwrap_or(DEFAULT_MAX_PIVOTS);
        let mut status = Status::Solved;
        let tol = certificate::tolerances(&g.payoff_ranges(), opts.tol);
        // The equilibrium behind a candidate: exact if the game is, else the floats if they
        // pass the tolerance.
        let accept = |x: Vec<f64>, y: Vec<f64>| -> Option<Equilibrium> {
            let m = vec![x, y];
            if g.exact.is_some() {
                return reconstruct::mixed(g, &m).map(|e| input.exact_equilibrium(e));
            }
            let fine = g.regrets(&m).iter().zip(&tol).all(|(r, t)| r <= t);
            fine.then(|| Equilibrium::new(input.profile(m)))
        };
        let found = float_path(&a, &b, 0, limit)
            .and_then(|(x, y)| accept(x, y))
            .or_else(|| {
                exact_path(&a, &b, 0, limit).map(|(x, y)| {
                    let m = vec![x.clone(), y.clone()];
                    accept(x, y).unwrap_or_else(|| Equilibrium::new(input.profile(m)))
                })
            });
        let eqs = match found {
            Some(eq) => vec![eq],
            None => {
                status = Status::PivotLimit;
                Vec::new()
            }
        };
        let mut sol = Solution::new(self.name(), eqs);
        sol.status = status;
        Ok(sol)
    }
}

/// Follows the path in floating point (payoffs shifted to `[1, 2]`).
pub fn float_path(
    a: &[Vec<f64>],
    b: &[Vec<f64>],
    drop: usize,
    limit: usize,
) -> Option<(Vec<f64>, Vec<f64>)> {
    let m = a.len();
    let n = a.first().map_or(0, Vec::len);
    let (p, q) = polytope_rows(&unit_range(a), &unit_range(b), 0.0, 1.0);
    let eps = 1e-11;
    let tp = FloatTableau::new(p, (m..m + n).collect(), eps);
    let tq = FloatTableau::new(q, (0..m).collect(), eps);
    follow(tp, tq, m, n, drop, limit)
}

/// Follows the path in exact integer arithmetic.
pub fn exact_path(
    a: &[Vec<f64>],
    b: &[Vec<f64>],
    drop: usize,
    limit: usize,
) -> Option<(Vec<f64>, Vec<f64>)> {
    let m = a.len();
    let n = a.first().map_or(0, Vec::len);
    let (ai, bi) = (positive_integer_matrix(a), positive_integer_matrix(b));
    let (p, q) = polytope_rows(&ai, &bi, BigInt::from(0), BigInt::from(1));
    let tp = IntTableau::new(p, (m..m + n).collect());
    let tq = IntTableau::new(q, (0..m).collect());
    follow(tp, tq, m, n, drop, limit)
}

/// The complementary pivoting itself, on any tableau type. `None` at the pivot limit or on an
/// unbounded ray (impossible with positive payoffs).
fn follow<T: Tableau>(
    mut tp: T,
    mut tq: T,
    m: usize,
    n: usize,
    drop: usize,
    limit: usize,
) -> Option<(Vec<f64>, Vec<f64>)> {
    if m == 0 || n == 0 || drop >= m + n {
        return None;
    }
    let lex_p: Vec<usize> = (m..m + n).collect();
    let lex_q: Vec<usize> = (0..m).collect();
    let mut entering = drop;
    // x_i (labels < m) live in P; y_j (labels >= m) live in Q.
    let mut in_p = drop < m;
    for _ in 0..limit {
        let (t, lex) = if in_p {
            (&mut tp, &lex_p)
        } else {
            (&mut tq, &lex_q)
        };
        let r = t.lex_min_ratio_row(entering, lex)?;
        let leaving = t.basis()[r];
        t.pivot(r, entering);
        if leaving == drop {
            let x = values(&tp, 0..m);
            let y = values(&tq, m..m + n);
            return Some((normalise(x), normalise(y)));
        }
        entering = leaving;
        in_p = !in_p;
    }
    None
}

fn values<T: Tableau>(t: &T, vars: std::ops::Range<usize>) -> Vec<f64> {
    let mut out = vec![0.0; vars.len()];
    for r in 0..t.rows() {
        let v = t.basis()[r];
        if vars.contains(&v) {
            out[v - vars.start] = t.rhs_value(r).max(0.0);
        }
    }
    out
}

fn normalise(mut v: Vec<f64>) -> Vec<f64> {
    let s: f64 = v.iter().sum();
    if s > 0.0 {
        v.iter_mut().for_each(|x| *x /= s);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pennies_and_degenerate() {
        // Matching pennies: the unique equilibrium is (1/2, 1/2) for both.
        let a = vec![vec![1.0, -1.0], vec![-1.0, 1.0]];
        let b = vec![vec![-1.0, 1.0], vec![1.0, -1.0]];
        for path in [float_path, exact_path] {
            let (x, y) = path(&a, &b, 0, 100).unwrap();
            assert!((x[0] - 0.5).abs() < 1e-12 && (y[0] - 0.5).abs() < 1e-12);
        }
        // A degenerate game (every payoff equal): any profile is an equilibrium; the path must
        // still end, at a pure profile.
        let z = vec![vec![0.0; 3]; 3];
        for path in [float_path, exact_path] {
            let (x, y) = path(&z, &z, 0, 100).unwrap();
            assert_eq!(x.iter().sum::<f64>(), 1.0);
            assert_eq!(y.iter().sum::<f64>(), 1.0);
        }
    }

    #[test]
    fn every_dropped_label_reaches_an_equilibrium() {
        // Battle of the sexes with a third, dominated row.
        let a = vec![vec![2.0, 0.0], vec![0.0, 1.0], vec![0.0, 0.0]];
        let b = vec![vec![1.0, 0.0], vec![0.0, 2.0], vec![3.0, 0.0]];
        let g = StrategicGame {
            title: String::new(),
            players: vec!["1".into(), "2".into()],
            strategies: vec![
                vec!["a".into(), "b".into(), "c".into()],
                vec!["l".into(), "r".into()],
            ],
            payoffs: (0..6)
                .flat_map(|k| [a[k % 3][k / 3], b[k % 3][k / 3]])
                .collect(),
            exact: None,
        };
        for drop in 0..5 {
            for path in [float_path, exact_path] {
                let (x, y) = path(&a, &b, drop, 100).unwrap();
                let r = g.regrets(&[x.clone(), y.clone()]);
                assert!(r.iter().all(|&v| v <= 1e-12), "drop {drop}: {x:?} {y:?}");
            }
        }
    }
}
