//! Sparse multilinear polynomial systems with exact coefficients.
//!
//! The equilibrium conditions on a support are polynomial: each player's indifference
//! conditions are linear in its own probabilities and multilinear in the others'. A [`Poly`]
//! is a sum of terms `c · x_{v1} · … · x_{vk}` with rational `c` and distinct variables. The
//! same system is evaluated exactly (rationals, for the linear case), in floating point (Newton
//! refinement) and in interval arithmetic (root isolation), with its Jacobian.

use super::interval::Interval;
use crate::exact::{to_f64, Rational};
use num_traits::Zero;

/// Polynomials with at most this many variables are bounded by their corners.
pub const CORNER_VARS: usize = 10;

/// One term: a coefficient times a product of distinct variables.
#[derive(Clone, Debug, PartialEq)]
pub struct Term {
    /// Exact coefficient.
    pub coef: Rational,
    /// Its nearest float.
    pub coef_f: f64,
    /// Variables, sorted, distinct (empty for a constant).
    pub vars: Vec<u32>,
}

/// A multilinear polynomial.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Poly {
    /// Terms with distinct variable sets and nonzero coefficients.
    pub terms: Vec<Term>,
}

impl Poly {
    /// Adds `coef · Π vars` (merging with an existing term of the same variables).
    pub fn add_term(&mut self, coef: Rational, mut vars: Vec<u32>) {
        if coef.is_zero() {
            return;
        }
        vars.sort_unstable();
        if let Some(t) = self.terms.iter_mut().find(|t| t.vars == vars) {
            t.coef += coef;
            t.coef_f = to_f64(&t.coef);
        } else {
            let coef_f = to_f64(&coef);
            self.terms.push(Term { coef, coef_f, vars });
        }
    }

    /// Drops terms whose coefficients cancelled.
    pub fn tidy(&mut self) {
        self.terms.retain(|t| !t.coef.is_zero());
    }

    /// The highest number of variables in a term.
    pub fn degree(&self) -> usize {
        self.terms.iter().map(|t| t.vars.len()).max().unwrap_or(0)
    }

    /// Value at `x` in floating point.
    pub fn eval(&self, x: &[f64]) -> f64 {
        self.terms
            .iter()
            .map(|t| t.coef_f * t.vars.iter().map(|&v| x[v as usize]).product::<f64>())
            .sum()
    }

    /// Exact value at rational `x`.
    pub fn eval_exact(&self, x: &[Rational]) -> Rational {
        let mut s = Rational::zero();
        for t in &self.terms {
            let mut p = t.coef.clone();
            for &v in &t.vars {
                p *= &x[v as usize];
            }
            s += p;
        }
        s
    }

    /// An enclosure of the values over the box `x`.
    pub fn eval_interval(&self, x: &[Interval]) -> Interval {
        let mut s = Interval::point(0.0);
        for t in &self.terms {
            let mut p = Interval::around(t.coef_f);
            for &v in &t.vars {
                p = p * x[v as usize];
            }
            s = s + p;
        }
        s
    }

    /// The distinct variables of the polynomial.
    pub fn variables(&self) -> Vec<u32> {
        let mut v: Vec<u32> = self
            .terms
            .iter()
            .flat_map(|t| t.vars.iter().copied())
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// The range of values over the box `x`, rigorously enclosed. A multilinear polynomial
    /// takes its extremes over a box at the box's corners, so with few variables the hull of
    /// the corner values (each an interval evaluation of a point) is the exact range up to
    /// rounding — far tighter than [`Poly::eval_interval`], which is used with many
    /// variables.
    pub fn range(&self, x: &[Interval], vars: &[u32]) -> Interval {
        if vars.len() > CORNER_VARS {
            return self.eval_interval(x);
        }
        let mut point: Vec<Interval> = x.to_vec();
        let mut hull: Option<Interval> = None;
        for corner in 0u32..(1 << vars.len()) {
            for (k, &v) in vars.iter().enumerate() {
                let b = x[v as usize];
                point[v as usize] =
                    Interval::point(if corner & (1 << k) == 0 { b.lo } else { b.hi });
            }
            let e = self.eval_interval(&point);
            hull = Some(match hull {
                None => e,
                Some(h) => Interval::new(h.lo.min(e.lo), h.hi.max(e.hi)),
            });
        }
        hull.unwrap_or_else(|| self.eval_interval(x))
    }

    /// An enclosure of the gradient over the box `x` from its corners (see [`Poly::range`]),
    /// into `g`.
    pub fn gradient_range(&self, x: &[Interval], vars: &[u32], g: &mut [Interval]) {
        if vars.len() > CORNER_VARS {
            self.gradient_interval(x, g);
            return;
        }
        let mut point: Vec<Interval> = x.to_vec();
        let mut gp = vec![Interval::point(0.0); g.len()];
        let mut first = true;
        for corner in 0u32..(1 << vars.len()) {
            for (k, &v) in vars.iter().enumerate() {
                let b = x[v as usize];
                point[v as usize] =
                    Interval::point(if corner & (1 << k) == 0 { b.lo } else { b.hi });
            }
            self.gradient_interval(&point, &mut gp);
            for (gi, e) in g.iter_mut().zip(&gp) {
                *gi = if first {
                    *e
                } else {
                    Interval::new(gi.lo.min(e.lo), gi.hi.max(e.hi))
                };
            }
            first = false;
        }
        if first {
            self.gradient_interval(x, g);
        }
    }

    /// Gradient at `x` in floating point, into `g` (length = number of variables).
    pub fn gradient(&self, x: &[f64], g: &mut [f64]) {
        g.iter_mut().for_each(|v| *v = 0.0);
        for t in &self.terms {
            for (k, &v) in t.vars.iter().enumerate() {
                let rest: f64 = t
                    .vars
                    .iter()
                    .enumerate()
                    .filter(|&(j, _)| j != k)
                    .map(|(_, &w)| x[w as usize])
                    .product();
                g[v as usize] += t.coef_f * rest;
            }
        }
    }

    /// An enclosure of the gradient over the box `x`, into `g`.
    pub fn gradient_interval(&self, x: &[Interval], g: &mut [Interval]) {
        g.iter_mut().for_each(|v| *v = Interval::point(0.0));
        for t in &self.terms {
            for (k, &v) in t.vars.iter().enumerate() {
                let mut p = Interval::around(t.coef_f);
                for (j, &w) in t.vars.iter().enumerate() {
                    if j != k {
                        p = p * x[w as usize];
                    }
                }
                g[v as usize] = g[v as usize] + p;
            }
        }
    }
}

/// A square system `F(x) = 0` in a box.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct System {
    /// The equations.
    pub eqs: Vec<Poly>,
    /// Number of variables.
    pub n_vars: usize,
    /// The box the solutions lie in (per variable).
    pub bounds: Vec<(f64, f64)>,
}

impl System {
    /// Each equation's variables (for [`Poly::range`]).
    pub fn variables(&self) -> Vec<Vec<u32>> {
        self.eqs.iter().map(Poly::variables).collect()
    }

    /// The highest degree of any equation.
    pub fn degree(&self) -> usize {
        self.eqs.iter().map(Poly::degree).max().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evaluations_agree() {
        // p = 2 x0 x1 − 3 x2 + 1/3
        let mut p = Poly::default();
        p.add_term(Rational::from_integer(2.into()), vec![1, 0]);
        p.add_term(Rational::from_integer((-3).into()), vec![2]);
        p.add_term(Rational::new(1.into(), 3.into()), vec![]);
        let x = [0.5, 0.25, 0.125];
        let v = p.eval(&x);
        assert!((v - (0.25 - 0.375 + 1.0 / 3.0)).abs() < 1e-15);
        let xi: Vec<Interval> = x.iter().map(|&v| Interval::point(v)).collect();
        let e = p.eval_interval(&xi);
        assert!(e.lo <= v && v <= e.hi);
        let mut g = [0.0; 3];
        p.gradient(&x, &mut g);
        assert_eq!(g, [0.5, 1.0, -3.0]);
        let q: Vec<Rational> = [1, 1, 1]
            .iter()
            .map(|&k| Rational::new(k.into(), 2.into()))
            .collect();
        assert_eq!(p.eval_exact(&q), Rational::new((-2).into(), 3.into()));
        assert_eq!(p.degree(), 2);
    }
}
