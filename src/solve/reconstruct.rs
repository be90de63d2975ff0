//! Recovering the exact equilibrium behind a floating-point profile.
//!
//! Floating-point solvers (LPs, Lemke–Howson's float path, float vertex enumeration, logit)
//! return `0.33333333333333331` where the equilibrium is `1/3`. When the game is exact, the
//! certificate wants the exact profile. Two ways to get it, each only a *candidate* that is
//! then checked with exact regrets:
//!
//! 1. **Small fractions**: each probability replaced by the simplest fraction within a
//!    tolerance of it (continued fractions, [`exact::approximate`]), each distribution rescaled
//!    to sum to exactly 1; tried at several tolerances.
//! 2. **The support system** (two-player strategic games): each player's mixture, zero off its
//!    float support, must make the other player indifferent among all the strategies that are
//!    best replies to the floats (at a vertex of a degenerate game these include strategies
//!    outside the support); that linear system is solved exactly
//!    ([`super::exactlp::solve_linear`]), free variables pinned to their small-fraction values.
//!    If the near-ties make it inconsistent, the support alone is tried.
//!
//! A candidate that fails the exact check is discarded; if none passes, the certificate is
//! computed on the floats themselves.

use super::certificate::{tolerances, RECOVER_CELLS, RECOVER_NODES};
use super::exactlp::solve_linear;
use crate::exact::{self, Rational};
use crate::game::strategic::regrets_in;
use crate::game::{profile, Game, StrategicGame};
use num_traits::{One, Signed, Zero};

/// Tolerances at which probabilities are matched to small fractions, tightest first.
const ERRS: [f64; 5] = [0.0, 1e-12, 1e-9, 1e-7, 1e-5];

/// Largest denominator tried.
const MAX_DEN: u64 = 1 << 40;

/// A candidate is checked exactly only if its float regrets are within this fraction of each
/// player's payoff range.
const PLAUSIBLE: f64 = 1e-7;

/// Probabilities below this count as zero when reading a float profile's support.
const SUPPORT_EPS: f64 = 1e-9;

/// The simplest fractions within `err` of a distribution, rescaled to sum to exactly 1
/// (`None` if an entry has no such fraction or all are zero).
pub fn rationalize(xs: &[f64], err: f64) -> Option<Vec<Rational>> {
    let mut out = Vec::with_capacity(xs.len());
    for &x in xs {
        let q = exact::approximate(x, MAX_DEN, err)?;
        out.push(if q.is_negative() { Rational::zero() } else { q });
    }
    let sum = out.iter().fold(Rational::zero(), |a, x| a + x);
    if sum.is_zero() {
        return None;
    }
    if !sum.is_one() {
        out.iter_mut().for_each(|x| *x = &*x / &sum);
    }
    Some(out)
}

/// An exact behaviour profile of `g` near `p` with zero regret, if small fractions give one
/// (not tried on trees beyond [`RECOVER_NODES`] nodes).
pub fn behavior(g: &Game, p: &[f64]) -> Option<Vec<Rational>> {
    let ex = g.exact.as_ref()?;
    let tree = &g.tree;
    if p.len() != tree.n_actions() || tree.nodes.len() > RECOVER_NODES {
        return None;
    }
    // A candidate must first look like an equilibrium in floats (cheap), then be one exactly.
    let tol = tolerances(&g.payoff_ranges(), PLAUSIBLE);
    let plausible = |c: &[Rational]| {
        let f: Vec<f64> = c.iter().map(exact::to_f64).collect();
        profile::regrets(g, &f).is_ok_and(|r| r.iter().zip(&tol).all(|(x, t)| x <= t))
    };
    let mut last: Option<Vec<Rational>> = None;
    'errs: for err in ERRS {
        let mut cand = Vec::with_capacity(p.len());
        for s in &tree.infosets {
            let a = s.first_action as usize;
            let Some(q) = rationalize(&p[a..a + s.n_actions as usize], err) else {
                continue 'errs;
            };
            cand.extend(q);
        }
        if last.as_ref() == Some(&cand) || !plausible(&cand) {
            continue;
        }
        let r =
            profile::regrets_in(tree, &ex.chance().to_vec(), &ex.payoffs().to_vec(), &cand).ok()?;
        if r.iter().all(Zero::is_zero) {
            return Some(cand);
        }
        last = Some(cand);
    }
    None
}

/// An exact mixed profile of `g` near `m` with zero regret: small fractions, then (two
/// players) the support system.
pub fn mixed(g: &StrategicGame, m: &[Vec<f64>]) -> Option<Vec<Vec<Rational>>> {
    let ex = g.exact.as_ref()?;
    let shape = g.shape();
    if m.len() != shape.len()
        || m.iter().zip(&shape).any(|(v, &n)| v.len() != n)
        || g.payoffs.len() > RECOVER_CELLS
    {
        return None;
    }
    let ok = |x: &[Vec<Rational>]| regrets_in(&shape, ex, x).iter().all(Zero::is_zero);
    let mut last: Option<Vec<Vec<Rational>>> = None;
    for err in ERRS {
        let cand: Option<Vec<Vec<Rational>>> = m.iter().map(|v| rationalize(v, err)).collect();
        let Some(cand) = cand else { continue };
        if last.as_ref() == Some(&cand) {
            continue;
        }
        if ok(&cand) {
            return Some(cand);
        }
        last = Some(cand);
    }
    if g.n_players() == 2 {
        for with_ties in [true, false] {
            if let Some(cand) = support_system(&shape, &g.payoffs, ex, m, with_ties) {
                if ok(&cand) {
                    return Some(cand);
                }
            }
        }
    }
    None
}

/// An exact correlated distribution near `d` with zero regret, if small fractions give one.
pub fn correlated(g: &StrategicGame, d: &[f64]) -> Option<Vec<Rational>> {
    let ex = g.exact.as_ref()?;
    if d.len() != g.n_profiles() || g.payoffs.len() > RECOVER_CELLS {
        return None;
    }
    for err in ERRS {
        let Some(cand) = rationalize(d, err) else {
            continue;
        };
        if super::correlated::regrets_in(g, ex, &cand)
            .iter()
            .all(Zero::is_zero)
        {
            return Some(cand);
        }
    }
    None
}

/// Solves the indifference system of a two-player game on the support of `m`: player 2's
/// mixture `y` (zero off its support, summing to 1) makes player 1's payoff equal on player 1's
/// best replies to the floats (`with_ties`; else on player 1's support), and vice versa. Free
/// variables of a degenerate system take their small-fraction values. Returns `None` if the
/// system has no non-negative solution.
fn support_system(
    shape: &[usize],
    fpay: &[f64],
    pay: &[Rational],
    m: &[Vec<f64>],
    with_ties: bool,
) -> Option<Vec<Vec<Rational>>> {
    let (r, c) = (shape[0], shape[1]);
    let supp = |v: &[f64]| -> Vec<usize> { (0..v.len()).filter(|&i| v[i] > SUPPORT_EPS).collect() };
    let (s2, s1) = (supp(&m[1]), supp(&m[0]));
    if s1.is_empty() || s2.is_empty() {
        return None;
    }
    // Each player's best replies to the other's floats, within a tolerance of its range.
    let ranges = crate::game::strategic::ranges(fpay, 2);
    let best_replies = |p: usize| -> Vec<usize> {
        let (own, other) = if p == 0 { (r, &m[1]) } else { (c, &m[0]) };
        let val: Vec<f64> = (0..own)
            .map(|i| {
                other
                    .iter()
                    .enumerate()
                    .map(|(j, w)| {
                        let (row, col) = if p == 0 { (i, j) } else { (j, i) };
                        w * fpay[(col * r + row) * 2 + p]
                    })
                    .sum()
            })
            .collect();
        let top = val.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let (lo, hi) = ranges[p];
        let eps = 1e-7 * (hi - lo) + 1e-12 * lo.abs().max(hi.abs());
        (0..own).filter(|&i| val[i] >= top - eps).collect()
    };
    let (rows1, rows2) = if with_ties {
        (best_replies(0), best_replies(1))
    } else {
        (s1.clone(), s2.clone())
    };
    // u(i, j, p): payoff of player p at row i, column j.
    let u = |i: usize, j: usize, p: usize| &pay[(j * r + i) * 2 + p];
    // y on s2 and a value v: Σ_j u1(i, j) y_j − v = 0 for i in s1; Σ y_j = 1.
    let solve_side = |own: &[usize], other: &[usize], hint: &[f64], p: usize| {
        let n = other.len() + 1;
        let mut rows: Vec<Vec<Rational>> = Vec::with_capacity(own.len() + 1);
        let mut rhs = Vec::with_capacity(own.len() + 1);
        for &i in own {
            let mut row: Vec<Rational> = other
                .iter()
                .map(|&j| {
                    if p == 0 {
                        u(i, j, 0).clone()
                    } else {
                        u(j, i, 1).clone()
                    }
                })
                .collect();
            row.push(-Rational::one());
            rows.push(row);
            rhs.push(Rational::zero());
        }
        let mut sum = vec![Rational::one(); other.len()];
        sum.push(Rational::zero());
        rows.push(sum);
        rhs.push(Rational::one());
        let mut guess: Vec<Rational> = other
            .iter()
            .map(|&j| exact::approximate(hint[j], MAX_DEN, 1e-7).unwrap_or_else(Rational::zero))
            .collect();
        guess.push(Rational::zero());
        let sol = solve_linear(&rows, &rhs, &guess)?;
        debug_assert_eq!(sol.len(), n);
        Some(sol)
    };
    let y = solve_side(&rows1, &s2, &m[1], 0)?;
    let x = solve_side(&rows2, &s1, &m[0], 1)?;
    let spread = |supp: &[usize], vals: &[Rational], len: usize| -> Option<Vec<Rational>> {
        let mut out = vec![Rational::zero(); len];
        for (k, &i) in supp.iter().enumerate() {
            if vals[k].is_negative() {
                return None;
            }
            out[i] = vals[k].clone();
        }
        Some(out)
    };
    Some(vec![spread(&s1, &x, r)?, spread(&s2, &y, c)?])
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn q(n: i64, d: i64) -> Rational {
        Rational::new(n.into(), d.into())
    }

    #[test]
    fn fractions_are_recovered_and_rescaled() {
        let v = rationalize(&[1.0 / 3.0, 2.0 / 3.0], 1e-12).unwrap();
        assert_eq!(v, vec![q(1, 3), q(2, 3)]);
        let v = rationalize(&[0.5 + 1e-13, 0.5], 1e-9).unwrap();
        assert_eq!(v, vec![q(1, 2), q(1, 2)]);
        assert!(rationalize(&[0.0, 0.0], 1e-9).is_none());
    }

    #[test]
    fn degenerate_support_system_is_solved_exactly() {
        // Row T pays (1,1) against both columns, B pays (0,0) / (2,1): (T, (1/2, 1/2)) is an
        // equilibrium with unequal supports; from a float guess far from any small fraction
        // the support system finds an exact point of the equilibrium segment.
        let payoffs = [1, 1, 0, 0, 1, 1, 2, 1];
        let g = StrategicGame {
            title: String::new(),
            players: vec!["1".into(), "2".into()],
            strategies: vec![vec!["T".into(), "B".into()], vec!["l".into(), "r".into()]],
            payoffs: payoffs.iter().map(|&x| x as f64).collect(),
            exact: Some(Arc::new(payoffs.iter().map(|&x| q(x, 1)).collect())),
        };
        let m = vec![vec![1.0, 0.0], vec![0.7310585786300049, 0.2689414213699951]];
        let x = mixed(&g, &m).unwrap();
        assert_eq!(x[0], vec![q(1, 1), q(0, 1)]);
        assert!(g.exact_regrets(&x).unwrap().iter().all(Zero::is_zero));
    }
}
