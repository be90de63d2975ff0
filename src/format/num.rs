//! Numbers as a Gambit file writes them, parsed once into an exact value and its float.
//!
//! A big `.efg` holds millions of payoffs such as `3.47`; building an arbitrary-precision
//! rational for each while reading (and another for every sum of outcomes along a path) costs
//! more than the rest of the reader. [`Q`] keeps a value as a reduced fraction of machine
//! integers when it fits and as a [`Rational`] only when it does not, so the reader works in
//! machine arithmetic and builds the rationals of [`ExactNumbers`](crate::game::ExactNumbers)
//! once, at the end. Plain decimals and integers of up to 18 digits take a fast path; every
//! other spelling (exponents, fractions, long digit strings) goes through the general parser
//! of [`lexer`](super::lexer), so both readers accept and reject the same texts.

use super::lexer::{is_small_integer, parse_number};
use crate::exact::{self, Rational};
use num_bigint::BigInt;
use num_traits::{ToPrimitive, Zero};

/// An exact rational: a reduced fraction of machine integers when it fits, else a
/// [`Rational`]. The representation is canonical (a value that fits is always `Small`), so
/// `==` is equality of values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Q {
    /// `n / d` in lowest terms, `d > 0`.
    Small(i64, u64),
    /// Anything that does not fit (normalised; boxed so that a token stays small).
    Big(Box<Rational>),
}

/// 2^53: integers up to this size are exact in an `f64`.
const EXACT_F64: u64 = 1 << 53;

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl Q {
    /// Zero.
    pub const ZERO: Q = Q::Small(0, 1);

    /// `n / d` (any signs, `d != 0`), reduced; `Big` only if it does not fit.
    fn from_i128(n: i128, d: i128) -> Q {
        let (n, d) = if d < 0 { (-n, -d) } else { (n, d) };
        let g = gcd128(n.unsigned_abs(), d.unsigned_abs());
        let (n, d) = (n / g as i128, d / g as i128);
        match (i64::try_from(n), u64::try_from(d)) {
            (Ok(n), Ok(d)) => Q::Small(n, d),
            _ => Q::Big(Box::new(Rational::new(BigInt::from(n), BigInt::from(d)))),
        }
    }

    /// The canonical form of a rational.
    pub fn from_rational(q: Rational) -> Q {
        match (q.numer().to_i64(), q.denom().to_u64()) {
            (Some(n), Some(d)) => Q::Small(n, d),
            _ => Q::Big(Box::new(q)),
        }
    }

    /// The value as a [`Rational`].
    pub fn to_rational(&self) -> Rational {
        match self {
            // Already in lowest terms with a positive denominator.
            Q::Small(n, d) => Rational::new_raw(BigInt::from(*n), BigInt::from(*d)),
            Q::Big(q) => (**q).clone(),
        }
    }

    /// The nearest `f64` (as [`exact::to_f64`]; infinite if out of range).
    pub fn to_f64(&self) -> f64 {
        match self {
            // Both exact in f64, so one correctly rounded division.
            Q::Small(n, d) if n.unsigned_abs() <= EXACT_F64 && *d <= EXACT_F64 => {
                *n as f64 / *d as f64
            }
            _ => exact::to_f64(&self.to_rational()),
        }
    }

    /// True if zero.
    pub fn is_zero(&self) -> bool {
        matches!(self, Q::Small(0, _)) || matches!(self, Q::Big(q) if q.is_zero())
    }

    /// `self + other`.
    pub fn add(&self, other: &Q) -> Q {
        match (self, other) {
            (Q::Small(a, b), Q::Small(c, d)) => {
                let (a, b, c, d) = (*a as i128, *b as i128, *c as i128, *d as i128);
                // |a·d + c·b| < 2^127 and b·d < 2^128 fit; b·d may exceed i128 only when both
                // are near 2^64, in which case the slow path takes it.
                match (a * d).checked_add(c * b).zip(b.checked_mul(d)) {
                    Some((n, den)) => Q::from_i128(n, den),
                    None => Q::from_rational(self.to_rational() + other.to_rational()),
                }
            }
            _ => Q::from_rational(self.to_rational() + other.to_rational()),
        }
    }
}

fn gcd128(mut a: u128, mut b: u128) -> u128 {
    if a <= u64::MAX as u128 && b <= u64::MAX as u128 {
        return gcd(a as u64, b as u64).max(1) as u128;
    }
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.max(1)
}

/// Parses a number token: its exact value and its float (the float as the general parser
/// gives it: the correctly rounded decimal, or the quotient of the two rounded halves of a
/// fraction). `None` when the text is not a number or is beyond the range of `f64`; the caller
/// words the error.
pub fn parse(text: &str) -> Option<(Q, f64)> {
    if let Some(x) = parse_decimal(text) {
        return Some(x);
    }
    let v = parse_number(text)?;
    if !is_small_integer(text) {
        if let Some(q) = exact::parse_fraction(text) {
            return Some((Q::from_rational(q), v));
        }
    }
    // An integer of at most 15 digits, or a spelling only the float parser accepts (an
    // exponent beyond the exact parser's range): the float is the value.
    Some((Q::from_rational(exact::from_f64(v)?), v))
}

/// `[+-]digits[.digits]` with at most 18 digits in all: exact in machine integers.
fn parse_decimal(text: &str) -> Option<(Q, f64)> {
    let b = text.as_bytes();
    let (neg, rest) = match b.first()? {
        b'-' => (true, &b[1..]),
        b'+' => (false, &b[1..]),
        _ => (false, b),
    };
    let (mut m, mut digits, mut scale) = (0u64, 0u32, 0u32);
    let mut seen_dot = false;
    for &c in rest {
        match c {
            b'0'..=b'9' => {
                m = m * 10 + u64::from(c - b'0');
                digits += 1;
                if seen_dot {
                    scale += 1;
                }
                if digits > 18 {
                    return None;
                }
            }
            b'.' if !seen_dot => seen_dot = true,
            _ => return None,
        }
    }
    if digits == 0 {
        return None;
    }
    let f = if m <= EXACT_F64 {
        // m and 10^scale (scale <= 18 < 22) are exact doubles: one correctly rounded division,
        // the same double as parsing the text.
        m as f64 / 10u64.pow(scale) as f64
    } else {
        text.parse::<f64>().ok()?
    };
    Some((decimal(neg, m, scale), if neg { -f } else { f }))
}

/// The most digits a decimal may have for [`decimal`].
pub const DECIMAL_DIGITS: u32 = 18;

/// The exact value of a decimal read digit by digit: `±m / 10^scale` with `m < 10^18` and
/// `scale <= 18` (at most [`DECIMAL_DIGITS`] digits in all), in lowest terms. The value
/// [`parse`] gives the same text.
#[inline]
pub fn decimal(neg: bool, m: u64, scale: u32) -> Q {
    // Lowest terms: d = 2^scale 5^scale, so only those factors can be shared.
    let (mut n, mut d) = (m, 10u64.pow(scale));
    if n == 0 {
        d = 1;
    } else {
        let twos = n.trailing_zeros().min(scale);
        n >>= twos;
        d >>= twos;
        let mut fives = 0;
        while fives < scale && n % 5 == 0 {
            n /= 5;
            d /= 5;
            fives += 1;
        }
    }
    // n <= 10^18 - 1 < 2^63.
    let n = n as i64;
    Q::Small(if neg { -n } else { n }, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn old(text: &str) -> Option<(Rational, f64)> {
        let v = parse_number(text)?;
        let q = if is_small_integer(text) {
            exact::from_f64(v)?
        } else {
            exact::parse_fraction(text).or_else(|| exact::from_f64(v))?
        };
        Some((q, v))
    }

    #[test]
    fn fast_and_general_paths_agree_with_the_general_parser() {
        let texts = [
            "0",
            "-0",
            "+7",
            "3.47",
            "-0.10",
            ".5",
            "5.",
            "123456789012345678",
            "1234567890123456789",
            "0.000000000000000001",
            "9007199254740993",
            "1/3",
            "-2/4",
            "1e-19",
            "2.5E3",
            "1e308",
            "1e-400",
            "00012.5000",
            "-",
            ".",
            "1..2",
            "1/0",
            "1e400",
            "99999999999999999.9",
        ];
        for t in texts {
            let new = parse(t).map(|(q, f)| (q.to_rational(), f.to_bits()));
            let want = old(t).map(|(q, f)| (q, f.to_bits()));
            assert_eq!(new, want, "{t}");
            if let Some((q, f)) = parse(t) {
                assert_eq!(Q::from_rational(q.to_rational()), q, "{t} canonical");
                assert_eq!(
                    q.to_f64().to_bits(),
                    exact::to_f64(&q.to_rational()).to_bits()
                );
                let _ = f;
            }
        }
    }

    #[test]
    fn sums_are_exact_and_canonical() {
        let a = parse("0.1").unwrap().0;
        let b = parse("0.2").unwrap().0;
        assert_eq!(a.add(&b), parse("0.3").unwrap().0);
        let big = Q::Small(i64::MAX, 1);
        let s = big.add(&big);
        assert!(matches!(s, Q::Big(_)));
        assert_eq!(
            s.to_rational(),
            Rational::from_integer(BigInt::from(i64::MAX) * 2)
        );
        let back = s.add(&Q::Small(-i64::MAX, 1));
        assert_eq!(back, big);
        let tiny = Q::Small(1, u64::MAX);
        assert_eq!(
            tiny.add(&tiny).to_rational(),
            Rational::new(2.into(), u64::MAX.into())
        );
        assert!(Q::ZERO.is_zero() && !a.is_zero());
    }
}
