//! Certified isolation of the solutions of nonlinear equilibrium conditions.
//!
//! When a support's conditions stay nonlinear after the exact stages of [`super::solve`] — two
//! mixing players whose probabilities multiply in one indifference condition — the remaining
//! square system `f(z) = 0` on the unit box is searched by branch and prune with the Krawczyk
//! operator: a box is discarded when interval evaluation shows a condition cannot hold in it,
//! and accepted when `K(B) = c − Y f(c) + (I − Y f'(B))(B − c)` lies inside `B`, which proves
//! that `B` holds exactly one solution (Newton's method then polishes it). Interval arithmetic
//! rounds outward by one unit in the last place after every operation, so the proofs hold in
//! floating point. No random starts are used: every solution in the box is found, or the
//! system is reported as unresolved (a continuum, or a solution on a constraint's boundary).
//!
//! ## Reference
//! R. Krawczyk, "Newton-Algorithmen zur Bestimmung von Nullstellen mit Fehlerschranken",
//! Computing 4 (1969) 187–201; R. E. Moore, *Interval Analysis* (1966).

use super::linear::Rel;
use super::poly::{Poly, Q};
use super::solve::Solved;
use nalgebra::DMatrix;
use num_traits::Zero;

/// Boxes narrower than this are not split further.
const MIN_WIDTH: f64 = 1e-12;
/// At most this many boxes are examined.
const MAX_BOXES: usize = 200_000;

#[derive(Clone, Copy, Debug, PartialEq)]
struct I {
    lo: f64,
    hi: f64,
}

impl I {
    fn point(x: f64) -> I {
        I { lo: x, hi: x }
    }
    fn widen(self) -> I {
        I {
            lo: self.lo.next_down(),
            hi: self.hi.next_up(),
        }
    }
    fn add(self, o: I) -> I {
        I {
            lo: self.lo + o.lo,
            hi: self.hi + o.hi,
        }
        .widen()
    }
    fn mul(self, o: I) -> I {
        let c = [
            self.lo * o.lo,
            self.lo * o.hi,
            self.hi * o.lo,
            self.hi * o.hi,
        ];
        I {
            lo: c.iter().cloned().fold(f64::INFINITY, f64::min),
            hi: c.iter().cloned().fold(f64::NEG_INFINITY, f64::max),
        }
        .widen()
    }
    fn of(q: &Q) -> I {
        I::point(q.to_f64()).widen()
    }
}

/// Interval value of a polynomial over a box (unknowns not in the box are not present).
fn eval(p: &Poly, b: &[I]) -> I {
    let mut s = I::point(0.0);
    for (m, c) in &p.terms {
        let mut t = I::of(c);
        let mut bits = *m;
        while bits != 0 {
            t = t.mul(b[bits.trailing_zeros() as usize]);
            bits &= bits - 1;
        }
        s = s.add(t);
    }
    s
}

/// Partial derivative with respect to unknown `v`.
fn derivative(p: &Poly, v: usize) -> Poly {
    let bit = 1u64 << v;
    Poly {
        terms: p
            .terms
            .iter()
            .filter(|(m, _)| m & bit != 0)
            .map(|(m, c)| (m & !bit, c.clone()))
            .collect::<Vec<_>>(),
    }
    .add(&Poly::zero())
}

/// Solves the nonlinear rest of a system: `conditions` (already with the `known` unknowns
/// substituted) in the unknowns that still appear.
pub fn solve(n: usize, conditions: &[(Poly, Rel)], known: u64, values: &[Q]) -> Option<Solved> {
    let unknown: Vec<usize> = (0..n).filter(|v| known & (1 << v) == 0).collect();
    let eqs: Vec<&Poly> = conditions
        .iter()
        .filter(|(p, r)| *r == Rel::Eq && !p.is_zero())
        .map(|(p, _)| p)
        .collect();
    let used: u64 = conditions.iter().fold(0, |a, (p, _)| a | p.support());
    let vars: Vec<usize> = unknown
        .iter()
        .copied()
        .filter(|v| used & (1 << v) != 0)
        .collect();
    if eqs.len() != vars.len() {
        return Some(Solved::Unresolved(format!(
            "{} nonlinear equations in {} unknowns",
            eqs.len(),
            vars.len()
        )));
    }
    let jac: Vec<Vec<Poly>> = eqs
        .iter()
        .map(|p| vars.iter().map(|&v| derivative(p, v)).collect())
        .collect();
    let base: Vec<I> = (0..n)
        .map(|v| {
            if known & (1 << v) != 0 {
                I::of(&values[v])
            } else {
                I { lo: 0.0, hi: 1.0 }
            }
        })
        .collect();
    let mut stack = vec![base];
    let mut roots: Vec<Vec<f64>> = Vec::new();
    let mut examined = 0;
    while let Some(b) = stack.pop() {
        examined += 1;
        if examined > MAX_BOXES {
            return Some(Solved::Unresolved(
                "the search for roots did not finish".into(),
            ));
        }
        if eqs.iter().any(|p| {
            let r = eval(p, &b);
            r.lo > 0.0 || r.hi < 0.0
        }) {
            continue;
        }
        if conditions.iter().any(|(p, r)| {
            let x = eval(p, &b);
            match r {
                Rel::Eq => false,
                Rel::Ge => x.hi < 0.0,
                Rel::Gt => x.hi <= 0.0,
            }
        }) {
            continue;
        }
        match krawczyk(&eqs, &jac, &vars, &b) {
            Test::Empty => continue,
            Test::Unique => {
                let root = newton(&eqs, &jac, &vars, &inflate(&b, &vars));
                // The inequalities at the root: strict ones must hold clearly.
                let bad = conditions.iter().any(|(p, r)| {
                    let x = p.eval_f64(&root);
                    match r {
                        Rel::Eq => false,
                        Rel::Ge => x < -1e-9,
                        Rel::Gt => x <= 1e-12,
                    }
                });
                let tight = conditions
                    .iter()
                    .any(|(p, r)| *r != Rel::Eq && !p.is_zero() && p.eval_f64(&root).abs() <= 1e-9);
                if tight && !bad {
                    return Some(Solved::Unresolved(
                        "a solution lies on the boundary of a constraint".into(),
                    ));
                }
                if !bad && !roots.iter().any(|r| close(r, &root)) {
                    roots.push(root);
                }
                continue;
            }
            Test::Split => {}
        }
        let (k, w) = vars
            .iter()
            .map(|&v| (v, b[v].hi - b[v].lo))
            .fold((vars[0], -1.0), |acc, x| if x.1 > acc.1 { x } else { acc });
        if w < MIN_WIDTH {
            return Some(Solved::Unresolved(
                "solutions that are not isolated (a continuum)".into(),
            ));
        }
        let mid = 0.5 * (b[k].lo + b[k].hi);
        let mut left = b.clone();
        left[k].hi = mid;
        let mut right = b;
        right[k].lo = mid;
        stack.push(left);
        stack.push(right);
    }
    if roots.is_empty() {
        None
    } else {
        Some(Solved::Points(roots))
    }
}

fn inflate(b: &[I], vars: &[usize]) -> Vec<I> {
    let mut b = b.to_vec();
    for &v in vars {
        let w = 0.1 * (b[v].hi - b[v].lo);
        b[v] = I {
            lo: b[v].lo - w,
            hi: b[v].hi + w,
        };
    }
    b
}

fn close(a: &[f64], b: &[f64]) -> bool {
    a.iter().zip(b).all(|(x, y)| (x - y).abs() <= 1e-9)
}

enum Test {
    Empty,
    Unique,
    Split,
}

fn mid_point(b: &[I]) -> Vec<f64> {
    b.iter().map(|x| 0.5 * (x.lo + x.hi)).collect()
}

/// The Krawczyk test on `b` inflated by a tenth of its width on every side (so a root on the
/// boundary between two boxes is still proven to lie inside one of them).
fn krawczyk(eqs: &[&Poly], jac: &[Vec<Poly>], vars: &[usize], b: &[I]) -> Test {
    let b = &inflate(b, vars)[..];
    let k = vars.len();
    let c = mid_point(b);
    let jc = DMatrix::from_fn(k, k, |i, j| jac[i][j].eval_f64(&c));
    let Some(y) = jc.try_inverse() else {
        return Test::Split;
    };
    let cb: Vec<I> = c.iter().map(|&x| I::point(x)).collect();
    let fc: Vec<I> = eqs.iter().map(|p| eval(p, &cb)).collect();
    let jb: Vec<Vec<I>> = jac
        .iter()
        .map(|row| row.iter().map(|p| eval(p, b)).collect())
        .collect();
    let mut inside = true;
    for i in 0..k {
        // K_i = c_i − Σ_j Y_ij f_j(c) + Σ_j (δ_ij − Σ_l Y_il J_lj(B)) (B_j − c_j)
        let mut s = I::point(c[vars[i]]);
        for j in 0..k {
            s = s.add(I::point(-y[(i, j)]).mul(fc[j]));
        }
        for j in 0..k {
            let mut m = I::point(if i == j { 1.0 } else { 0.0 });
            for l in 0..k {
                m = m.add(I::point(-y[(i, l)]).mul(jb[l][j]));
            }
            let d = I {
                lo: b[vars[j]].lo - c[vars[j]],
                hi: b[vars[j]].hi - c[vars[j]],
            }
            .widen();
            s = s.add(m.mul(d));
        }
        let bi = b[vars[i]];
        if s.hi < bi.lo || s.lo > bi.hi {
            return Test::Empty;
        }
        if !(s.lo > bi.lo && s.hi < bi.hi) {
            inside = false;
        }
    }
    if inside {
        Test::Unique
    } else {
        Test::Split
    }
}

fn newton(eqs: &[&Poly], jac: &[Vec<Poly>], vars: &[usize], b: &[I]) -> Vec<f64> {
    let k = vars.len();
    let mut x = mid_point(b);
    for _ in 0..60 {
        let j = DMatrix::from_fn(k, k, |i, l| jac[i][l].eval_f64(&x));
        let f = nalgebra::DVector::from_fn(k, |i, _| eqs[i].eval_f64(&x));
        let Some(step) = j.lu().solve(&f) else { break };
        let mut moved = 0.0f64;
        for (i, &v) in vars.iter().enumerate() {
            let nx = (x[v] - step[i]).clamp(b[v].lo, b[v].hi);
            moved = moved.max((nx - x[v]).abs());
            x[v] = nx;
        }
        if moved < 1e-16 {
            break;
        }
    }
    let _ = Q::zero();
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(n: i64, d: i64) -> Q {
        Q::from_big(crate::exact::Rational::new(n.into(), d.into()))
    }

    #[test]
    fn isolates_the_roots_of_a_bilinear_system() {
        // x·y = 1/6, x + y = 5/6 on [0,1]²: roots (1/2, 1/3) and (1/3, 1/2).
        let xy = Poly::var(0).mul(&Poly::var(1)).unwrap();
        let e1 = xy.sub(&Poly::constant(q(1, 6)));
        let e2 = Poly::var(0)
            .add(&Poly::var(1))
            .sub(&Poly::constant(q(5, 6)));
        let conds = vec![(e1, Rel::Eq), (e2, Rel::Eq)];
        match solve(2, &conds, 0, &[q(0, 1), q(0, 1)]) {
            Some(Solved::Points(mut r)) => {
                r.sort_by(|a, b| a[0].total_cmp(&b[0]));
                assert_eq!(r.len(), 2);
                assert!((r[0][0] - 1.0 / 3.0).abs() < 1e-12 && (r[0][1] - 0.5).abs() < 1e-12);
                assert!((r[1][0] - 0.5).abs() < 1e-12);
            }
            other => panic!("{other:?}"),
        }
    }
}
