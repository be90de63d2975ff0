//! Exact rationals that stay on machine integers while they can.
//!
//! The equilibrium conditions of a model with parameters such as 7/10 or 1/4 involve small
//! fractions: a pair of `i128` holds them, and adding or multiplying them costs a few integer
//! operations and a gcd. Arbitrary precision ([`crate::exact::Rational`]) is needed only when a
//! number outgrows that (the exact value of a float input such as 0.7 is a fraction over
//! 2⁵², whose products soon do). `Q` switches to it on overflow, never rounding, so every
//! result is the exact rational either way; only the speed differs.

use crate::exact::Rational;
use num_bigint::BigInt;
use num_traits::{Num, One, Signed, ToPrimitive, Zero};
use std::cmp::Ordering;
use std::fmt;
use std::ops::{Add, AddAssign, Div, Mul, MulAssign, Neg, Rem, Sub, SubAssign};

/// An exact rational number.
#[derive(Clone)]
pub enum Q {
    /// `n / d` with `d > 0` and `gcd(n, d) = 1`.
    Small(i128, i128),
    /// Anything larger.
    Big(Box<Rational>),
}

fn gcd(a: i128, b: i128) -> i128 {
    // At most 2^127 (gcd(i128::MIN, 0)), which the callers never pass: their denominators
    // are positive.
    crate::game::numeric::gcd128(a.unsigned_abs(), b.unsigned_abs()) as i128
}

/// Magnitude limit for the small representation, so that negation never overflows.
const LIMIT: i128 = i128::MAX;

impl Q {
    /// `n / d` (d ≠ 0), reduced.
    fn small(n: i128, d: i128) -> Q {
        debug_assert!(d != 0);
        if n == i128::MIN || d == i128::MIN {
            return Q::from_big(Rational::new(BigInt::from(n), BigInt::from(d)));
        }
        let g = gcd(n, d);
        let (mut n, mut d) = (n / g, d / g);
        if d < 0 {
            match (n.checked_neg(), d.checked_neg()) {
                (Some(a), Some(b)) => {
                    n = a;
                    d = b;
                }
                _ => return Q::from_big(Rational::new(BigInt::from(n), BigInt::from(d))),
            }
        }
        Q::Small(n, d)
    }

    /// From an arbitrary-precision rational (kept small when it fits).
    pub fn from_big(r: Rational) -> Q {
        match (r.numer().to_i128(), r.denom().to_i128()) {
            (Some(n), Some(d)) if n > -LIMIT && d < LIMIT => Q::Small(n, d),
            _ => Q::Big(Box::new(r)),
        }
    }

    /// As an arbitrary-precision rational.
    pub fn to_big(&self) -> Rational {
        match self {
            Q::Small(n, d) => Rational::new_raw(BigInt::from(*n), BigInt::from(*d)),
            Q::Big(b) => (**b).clone(),
        }
    }

    /// An integer.
    pub fn from_integer(n: BigInt) -> Q {
        Q::from_big(Rational::from_integer(n))
    }

    /// The nearest double.
    pub fn to_f64(&self) -> f64 {
        match self {
            Q::Small(n, d) => {
                if n.unsigned_abs() < (1u128 << 53) && *d < (1i128 << 53) {
                    *n as f64 / *d as f64
                } else {
                    crate::exact::to_f64(&self.to_big())
                }
            }
            Q::Big(b) => crate::exact::to_f64(b),
        }
    }

    /// The exact value of a finite double (zero for infinities and NaN).
    pub fn from_f64(x: f64) -> Q {
        crate::exact::from_f64(x).map_or_else(Q::zero, Q::from_big)
    }

    fn both<'a>(a: &'a Q, b: &'a Q) -> Option<(i128, i128, i128, i128)> {
        match (a, b) {
            (Q::Small(n1, d1), Q::Small(n2, d2)) => Some((*n1, *d1, *n2, *d2)),
            _ => None,
        }
    }

    fn add_ref(&self, o: &Q) -> Q {
        if let Some((a, b, c, d)) = Q::both(self, o) {
            let g = gcd(b, d);
            let r = (|| {
                let n = a.checked_mul(d / g)?.checked_add(c.checked_mul(b / g)?)?;
                let den = b.checked_mul(d / g)?;
                Some(Q::small(n, den))
            })();
            if let Some(r) = r {
                return r;
            }
        }
        Q::from_big(self.to_big() + o.to_big())
    }

    fn mul_ref(&self, o: &Q) -> Q {
        if let Some((a, b, c, d)) = Q::both(self, o) {
            if a == 0 || c == 0 {
                return Q::Small(0, 1);
            }
            let g1 = gcd(a, d);
            let g2 = gcd(c, b);
            let r = (|| {
                let n = (a / g1).checked_mul(c / g2)?;
                let den = (b / g2).checked_mul(d / g1)?;
                (n != i128::MIN && den != i128::MIN).then_some(Q::Small(n, den))
            })();
            if let Some(r) = r {
                return r;
            }
        }
        Q::from_big(self.to_big() * o.to_big())
    }

    fn recip(&self) -> Q {
        match self {
            Q::Small(n, d) => Q::small(*d, *n),
            Q::Big(b) => Q::from_big(b.recip()),
        }
    }

    /// `1/3`, `-5/2`, `3`.
    pub fn display(&self) -> String {
        match self {
            Q::Small(n, 1) => n.to_string(),
            Q::Small(n, d) => format!("{n}/{d}"),
            Q::Big(b) => crate::exact::display(b),
        }
    }

    /// The denominator is at most `k`.
    pub fn denom_at_most(&self, k: i128) -> bool {
        match self {
            Q::Small(_, d) => *d <= k,
            Q::Big(b) => b.denom() <= &BigInt::from(k),
        }
    }
}

impl fmt::Debug for Q {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.display())
    }
}

impl PartialEq for Q {
    fn eq(&self, o: &Q) -> bool {
        match (self, o) {
            (Q::Small(a, b), Q::Small(c, d)) => a == c && b == d,
            _ => self.to_big() == o.to_big(),
        }
    }
}

impl Eq for Q {}

impl PartialOrd for Q {
    fn partial_cmp(&self, o: &Q) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl Ord for Q {
    fn cmp(&self, o: &Q) -> Ordering {
        if let Some((a, b, c, d)) = Q::both(self, o) {
            if let (Some(x), Some(y)) = (a.checked_mul(d), c.checked_mul(b)) {
                return x.cmp(&y);
            }
        }
        self.to_big().cmp(&o.to_big())
    }
}

impl Zero for Q {
    fn zero() -> Q {
        Q::Small(0, 1)
    }
    fn is_zero(&self) -> bool {
        match self {
            Q::Small(n, _) => *n == 0,
            Q::Big(b) => b.is_zero(),
        }
    }
}

impl One for Q {
    fn one() -> Q {
        Q::Small(1, 1)
    }
}

macro_rules! binop {
    ($tr:ident, $m:ident, $f:expr) => {
        impl $tr<&Q> for &Q {
            type Output = Q;
            fn $m(self, o: &Q) -> Q {
                $f(self, o)
            }
        }
        impl $tr<Q> for Q {
            type Output = Q;
            fn $m(self, o: Q) -> Q {
                $f(&self, &o)
            }
        }
        impl $tr<&Q> for Q {
            type Output = Q;
            fn $m(self, o: &Q) -> Q {
                $f(&self, o)
            }
        }
        impl $tr<Q> for &Q {
            type Output = Q;
            fn $m(self, o: Q) -> Q {
                $f(self, &o)
            }
        }
    };
}

binop!(Add, add, |a: &Q, b: &Q| a.add_ref(b));
binop!(Sub, sub, |a: &Q, b: &Q| a.add_ref(&-b));
binop!(Mul, mul, |a: &Q, b: &Q| a.mul_ref(b));
binop!(Div, div, |a: &Q, b: &Q| a.mul_ref(&b.recip()));
binop!(Rem, rem, |a: &Q, b: &Q| Q::from_big(
    a.to_big() % b.to_big()
));

impl Neg for &Q {
    type Output = Q;
    fn neg(self) -> Q {
        match self {
            Q::Small(n, d) => Q::Small(-*n, *d),
            Q::Big(b) => Q::from_big(-(**b).clone()),
        }
    }
}

impl Neg for Q {
    type Output = Q;
    fn neg(self) -> Q {
        -&self
    }
}

impl AddAssign<Q> for Q {
    fn add_assign(&mut self, o: Q) {
        *self = self.add_ref(&o);
    }
}
impl AddAssign<&Q> for Q {
    fn add_assign(&mut self, o: &Q) {
        *self = self.add_ref(o);
    }
}
impl SubAssign<Q> for Q {
    fn sub_assign(&mut self, o: Q) {
        *self = self.add_ref(&-o);
    }
}
impl SubAssign<&Q> for Q {
    fn sub_assign(&mut self, o: &Q) {
        *self = self.add_ref(&-o);
    }
}
impl MulAssign<&Q> for Q {
    fn mul_assign(&mut self, o: &Q) {
        *self = self.mul_ref(o);
    }
}
impl MulAssign<Q> for Q {
    fn mul_assign(&mut self, o: Q) {
        *self = self.mul_ref(&o);
    }
}

impl Num for Q {
    type FromStrRadixErr = ();
    fn from_str_radix(s: &str, radix: u32) -> Result<Q, ()> {
        let _ = radix;
        crate::exact::parse(s).map(Q::from_big).ok_or(())
    }
}

impl Signed for Q {
    fn abs(&self) -> Q {
        if self.is_negative() {
            -self
        } else {
            self.clone()
        }
    }
    fn abs_sub(&self, o: &Q) -> Q {
        if self <= o {
            Q::zero()
        } else {
            self - o
        }
    }
    fn signum(&self) -> Q {
        if self.is_positive() {
            Q::one()
        } else if self.is_negative() {
            -Q::one()
        } else {
            Q::zero()
        }
    }
    fn is_positive(&self) -> bool {
        match self {
            Q::Small(n, _) => *n > 0,
            Q::Big(b) => b.is_positive(),
        }
    }
    fn is_negative(&self) -> bool {
        match self {
            Q::Small(n, _) => *n < 0,
            Q::Big(b) => b.is_negative(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(n: i64, d: i64) -> Q {
        Q::from_big(Rational::new(n.into(), d.into()))
    }

    #[test]
    fn small_arithmetic_is_exact_and_reduced() {
        assert_eq!(q(1, 3) + q(1, 6), q(1, 2));
        assert_eq!(q(2, 3) * q(3, 4), q(1, 2));
        assert_eq!(q(1, 2) / q(-1, 4), q(-2, 1));
        assert!(q(1, 3) < q(1, 2));
        assert_eq!((q(1, 3) - q(1, 3)), Q::zero());
        assert_eq!(q(3, 6).display(), "1/2");
    }

    #[test]
    fn overflow_goes_to_big_and_back() {
        let x = Q::from_f64(0.7);
        let mut p = Q::one();
        for _ in 0..5 {
            p = &p * &x;
        }
        let big = x.to_big().pow(5);
        assert_eq!(p.to_big(), big);
        assert!(matches!(p, Q::Big(_)));
        // (0.7^5) / (0.7^5) = 1 comes back small.
        assert!(matches!(&p / &p, Q::Small(1, 1)));
        let m = Q::Small(i128::MAX / 2, 1);
        assert_eq!(
            (&m + &m).to_big(),
            m.to_big() * Rational::from_integer(2.into())
        );
    }
}
