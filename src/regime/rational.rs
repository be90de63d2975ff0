//! Rational points for exact scans: the simplest rational in an interval, grid points, and
//! parsing the bounds a user typed.
//!
//! Regime boundaries of models with rational parameters are, as a rule, rationals with small
//! denominators (π_H = (1 − s)/(1 − c_H) = 2/3 at the defaults of the unilateral deterrence
//! game). Bisecting at the *simplest* rational of the current bracket (smallest denominator,
//! the Stern–Brocot choice) lands on such a boundary exactly after a few steps, where plain
//! midpoints never would; the solver then verifies the equilibrium set at that point exactly.

use crate::exact::{self, Rational};
use num_traits::{One, Signed, Zero};

/// The rational with the smallest denominator (then smallest magnitude) in the closed
/// interval `[a, b]` (`a ≤ b`).
pub fn simplest_in(a: &Rational, b: &Rational) -> Rational {
    if a > b {
        return simplest_in(b, a);
    }
    if !a.is_positive() && !b.is_negative() {
        return Rational::zero();
    }
    if b.is_negative() {
        return -simplest_in(&-b, &-a);
    }
    // 0 < a ≤ b: continued-fraction descent, iteratively. Each level maps the interval to
    // the reciprocals of its fractional parts; the answer is rebuilt from the integer parts.
    let mut parts: Vec<Rational> = Vec::new();
    let (mut lo, mut hi) = (a.clone(), b.clone());
    let tail = loop {
        let fl = lo.floor();
        if fl == lo {
            break lo;
        }
        let up = &fl + Rational::one();
        if up <= hi {
            break up;
        }
        parts.push(fl.clone());
        let (nlo, nhi) = ((&hi - &fl).recip(), (&lo - &fl).recip());
        lo = nlo;
        hi = nhi;
    };
    parts
        .into_iter()
        .rev()
        .fold(tail, |acc, fl| fl + acc.recip())
}

/// The simplest rational strictly inside `(a, b)` (`a < b`), kept a quarter of the width away
/// from both ends so a bisection always makes progress.
pub fn simplest_inside(a: &Rational, b: &Rational) -> Rational {
    let w = (b - a) / Rational::from_integer(4.into());
    simplest_in(&(a + &w), &(b - &w))
}

/// `lo + (hi − lo)·i/n`, exactly.
pub fn grid_point(lo: &Rational, hi: &Rational, i: usize, n: usize) -> Rational {
    lo + (hi - lo) * Rational::new((i as i64).into(), (n.max(1) as i64).into())
}

/// The exact value of a bound as the user or the model wrote it: the shortest decimal that
/// reads back to `x` (so `0.1` is `1/10`).
pub fn of_f64(x: f64) -> Option<Rational> {
    if !x.is_finite() {
        return None;
    }
    exact::parse(&format!("{x}")).or_else(|| exact::from_f64(x))
}

/// A readable exact number: `2/3`, or the decimal when the fraction is long.
pub fn show(q: &Rational) -> String {
    if q.denom() <= &num_bigint::BigInt::from(1_000_000) {
        exact::display(q)
    } else {
        crate::output::words::num(exact::to_f64(q))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Rational {
        exact::parse(s).expect("a number")
    }

    #[test]
    fn simplest_rationals() {
        assert_eq!(simplest_in(&q("0.6"), &q("0.7")), q("2/3"));
        assert_eq!(simplest_in(&q("0.3"), &q("0.34")), q("1/3"));
        assert_eq!(simplest_in(&q("1/3"), &q("1/3")), q("1/3"));
        assert_eq!(simplest_in(&q("-0.7"), &q("-0.6")), q("-2/3"));
        assert_eq!(simplest_in(&q("-1"), &q("0.5")), q("0"));
        assert_eq!(simplest_in(&q("2.2"), &q("3.5")), q("3"));
        assert_eq!(simplest_in(&q("0.7"), &q("0.6")), q("2/3"));
        // Strictly inside: never an end.
        let s = simplest_inside(&q("0"), &q("1"));
        assert!(s > q("0") && s < q("1"));
        assert_eq!(s, q("1/2"));
        // A brute-force check of minimality on small intervals.
        for (a, b) in [("0.41", "0.42"), ("0.142", "0.143"), ("5/7", "0.72")] {
            let (a, b) = (q(a), q(b));
            let s = simplest_in(&a, &b);
            assert!(a <= s && s <= b);
            let d = num_traits::ToPrimitive::to_i64(s.denom()).expect("small");
            for den in 1..d {
                let k = Rational::from_integer(den.into());
                let n = (&a * &k).ceil();
                assert!(n / &k > b, "a smaller denominator {den} fits [{a}, {b}]");
            }
        }
    }

    #[test]
    fn grid_points_are_exact() {
        assert_eq!(grid_point(&q("0"), &q("1"), 1, 3), q("1/3"));
        assert_eq!(of_f64(0.1), Some(q("1/10")));
        assert_eq!(show(&q("2/3")), "2/3");
    }
}
