//! Multilinear polynomials with exact rational coefficients: the language of equilibrium
//! conditions.
//!
//! Every condition of a perfect Bayesian equilibrium with a fixed support is a sum, over the
//! members of an information set, of a belief weight (a product of the probabilities of moves
//! *before* the set) times a continuation value (a sum of products of probabilities of moves
//! *after* it). With perfect recall each unknown — a mixing probability of one information set,
//! or a free belief — appears at most once along any play, so every monomial is a product of
//! distinct unknowns: a monomial is a bit set (`u64`, so at most 64 unknowns per system), and
//! substituting known values can only lower degrees. A system whose polynomials all have degree
//! at most one is linear and is solved exactly ([`super::linear`]).

pub use super::num::Q;
use num_traits::{One, Signed, Zero};

/// A multilinear polynomial: `(monomial, coefficient)` pairs sorted by monomial, no zero
/// coefficients. Bit `v` of a monomial is unknown `v`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Poly {
    /// Terms sorted by monomial; coefficients are non-zero.
    pub terms: Vec<(u64, Q)>,
}

impl Poly {
    /// The zero polynomial.
    pub fn zero() -> Poly {
        Poly { terms: Vec::new() }
    }

    /// A constant.
    pub fn constant(c: Q) -> Poly {
        if c.is_zero() {
            Poly::zero()
        } else {
            Poly {
                terms: vec![(0, c)],
            }
        }
    }

    /// The unknown `v`.
    pub fn var(v: usize) -> Poly {
        Poly {
            terms: vec![(1u64 << v, Q::one())],
        }
    }

    /// `1 - Σ vars`: the probability of the first action of a mixed support.
    pub fn one_minus(vars: &[usize]) -> Poly {
        let mut terms = vec![(0, Q::one())];
        for &v in vars {
            terms.push((1u64 << v, -Q::one()));
        }
        terms.sort_by_key(|t| t.0);
        Poly { terms }
    }

    /// True if zero.
    pub fn is_zero(&self) -> bool {
        self.terms.is_empty()
    }

    /// The constant term.
    pub fn constant_term(&self) -> Q {
        match self.terms.first() {
            Some((0, c)) => c.clone(),
            _ => Q::zero(),
        }
    }

    /// The value if the polynomial is constant.
    pub fn as_constant(&self) -> Option<Q> {
        match self.terms.as_slice() {
            [] => Some(Q::zero()),
            [(0, c)] => Some(c.clone()),
            _ => None,
        }
    }

    /// The largest number of unknowns in one monomial.
    pub fn degree(&self) -> u32 {
        self.terms
            .iter()
            .map(|(m, _)| m.count_ones())
            .max()
            .unwrap_or(0)
    }

    /// The unknowns that appear.
    pub fn support(&self) -> u64 {
        self.terms.iter().fold(0, |acc, (m, _)| acc | m)
    }

    /// Coefficient of the unknown `v` alone (the linear part).
    pub fn linear_coeff(&self, v: usize) -> Q {
        let m = 1u64 << v;
        self.terms
            .iter()
            .find(|(x, _)| *x == m)
            .map_or_else(Q::zero, |(_, c)| c.clone())
    }

    fn normalize(mut terms: Vec<(u64, Q)>) -> Poly {
        terms.sort_by_key(|t| t.0);
        let mut out: Vec<(u64, Q)> = Vec::with_capacity(terms.len());
        for (m, c) in terms {
            match out.last_mut() {
                Some((lm, lc)) if *lm == m => *lc += c,
                _ => out.push((m, c)),
            }
        }
        out.retain(|(_, c)| !c.is_zero());
        Poly { terms: out }
    }

    /// `self + other`.
    pub fn add(&self, other: &Poly) -> Poly {
        if other.is_zero() {
            return self.clone();
        }
        if self.is_zero() {
            return other.clone();
        }
        let mut terms = self.terms.clone();
        terms.extend(other.terms.iter().cloned());
        Poly::normalize(terms)
    }

    /// `self - other`.
    pub fn sub(&self, other: &Poly) -> Poly {
        self.add(&other.scale(&-Q::one()))
    }

    /// `c · self`.
    pub fn scale(&self, c: &Q) -> Poly {
        if c.is_zero() {
            return Poly::zero();
        }
        Poly {
            terms: self.terms.iter().map(|(m, x)| (*m, x * c)).collect(),
        }
    }

    /// `self · other`. The factors must not share unknowns (true of a belief weight and a
    /// continuation value, which involve moves before and after a set); shared unknowns would
    /// square, which a multilinear monomial cannot hold, so such products are refused.
    pub fn mul(&self, other: &Poly) -> Option<Poly> {
        if self.is_zero() || other.is_zero() {
            return Some(Poly::zero());
        }
        if let Some(c) = self.as_constant() {
            return Some(if c.is_one() {
                other.clone()
            } else {
                other.scale(&c)
            });
        }
        if let Some(c) = other.as_constant() {
            return Some(if c.is_one() {
                self.clone()
            } else {
                self.scale(&c)
            });
        }
        let mut terms = Vec::with_capacity(self.terms.len() * other.terms.len());
        for (ma, ca) in &self.terms {
            for (mb, cb) in &other.terms {
                if ma & mb != 0 {
                    return None;
                }
                terms.push((ma | mb, ca * cb));
            }
        }
        Some(Poly::normalize(terms))
    }

    /// The polynomial with the unknowns in `known` (bit set) replaced by `values[v]`.
    pub fn substitute(&self, known: u64, values: &[Q]) -> Poly {
        if self.support() & known == 0 {
            return self.clone();
        }
        let terms = self
            .terms
            .iter()
            .map(|(m, c)| {
                let mut c = c.clone();
                let mut hit = m & known;
                while hit != 0 {
                    let v = hit.trailing_zeros() as usize;
                    c *= &values[v];
                    hit &= hit - 1;
                }
                (m & !known, c)
            })
            .collect();
        Poly::normalize(terms)
    }

    /// Value at a point (every unknown that appears must have a value).
    pub fn eval(&self, values: &[Q]) -> Q {
        let mut s = Q::zero();
        for (m, c) in &self.terms {
            let mut t = c.clone();
            let mut bits = *m;
            while bits != 0 {
                let v = bits.trailing_zeros() as usize;
                t *= &values[v];
                bits &= bits - 1;
            }
            s += t;
        }
        s
    }

    /// Value at a floating point (for the numerical fallback).
    pub fn eval_f64(&self, values: &[f64]) -> f64 {
        self.terms
            .iter()
            .map(|(m, c)| {
                let mut t = c.to_f64();
                let mut bits = *m;
                while bits != 0 {
                    t *= values[bits.trailing_zeros() as usize];
                    bits &= bits - 1;
                }
                t
            })
            .sum()
    }

    /// The polynomial with its factors `v` and `1 − v` divided out, for every unknown `v` of
    /// `pos` (unknowns known to lie strictly between 0 and 1, so those factors are nonzero
    /// wherever the conditions hold): `u·(1 − u)·w − u·(1 − u)` becomes `w − 1`. Writing the
    /// polynomial as `A + v·B` (`A`, `B` free of `v`), the factor is `v` when `A = 0` and
    /// `1 − v` when `B = −A`.
    pub fn divide_positive(&self, pos: u64) -> Poly {
        let mut p = self.clone();
        loop {
            let mut changed = false;
            for v in 0..64 {
                let bit = 1u64 << v;
                if pos & p.support() & bit == 0 {
                    continue;
                }
                let a: Vec<(u64, Q)> = p.terms.iter().filter(|t| t.0 & bit == 0).cloned().collect();
                let b = Poly::normalize(
                    p.terms
                        .iter()
                        .filter(|t| t.0 & bit != 0)
                        .map(|(m, c)| (m & !bit, c.clone()))
                        .collect(),
                );
                let a = Poly { terms: a };
                if a.is_zero() {
                    p = b;
                    changed = true;
                } else if b.add(&a).is_zero() {
                    p = a;
                    changed = true;
                }
            }
            if !changed || p.is_zero() {
                return p;
            }
        }
    }

    /// True if every coefficient is non-negative (so the polynomial is non-negative wherever
    /// the unknowns are).
    pub fn nonnegative_coefficients(&self) -> bool {
        self.terms.iter().all(|(_, c)| !c.is_negative())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(n: i64, d: i64) -> Q {
        Q::from_big(crate::exact::Rational::new(n.into(), d.into()))
    }

    #[test]
    fn arithmetic_and_substitution() {
        let x = Poly::var(0);
        let y = Poly::var(1);
        let p = x.mul(&Poly::one_minus(&[1])).unwrap(); // x(1 - y) = x - xy
        assert_eq!(p.degree(), 2);
        assert!(x.mul(&x).is_none());
        let vals = vec![q(1, 2), q(1, 3)];
        assert_eq!(p.eval(&vals), q(1, 3));
        let s = p.substitute(0b10, &vals); // y = 1/3: (2/3) x
        assert_eq!(s.degree(), 1);
        assert_eq!(s.linear_coeff(0), q(2, 3));
        assert_eq!(p.sub(&p), Poly::zero());
        assert_eq!(y.add(&Poly::constant(q(1, 1))).constant_term(), q(1, 1));
    }

    #[test]
    fn positive_factors_divided_out() {
        let (u, w, z) = (Poly::var(0), Poly::var(1), Poly::var(2));
        let one = Poly::constant(q(1, 1));
        // u·(1 − u)-free form in a multilinear world: (1 − u)·(w − 1)·z·3.
        let p = Poly::one_minus(&[0])
            .mul(&w.sub(&one))
            .unwrap()
            .mul(&z)
            .unwrap()
            .scale(&q(3, 1));
        // Only u and z are known positive: (1 − u) and z go, (w − 1) stays.
        assert_eq!(p.divide_positive(0b101), w.sub(&one).scale(&q(3, 1)));
        // Nothing known: unchanged.
        assert_eq!(p.divide_positive(0), p);
        // w − u is no multiple of u or 1 − u.
        assert_eq!(w.sub(&u).divide_positive(0b111), w.sub(&u));
    }
}
