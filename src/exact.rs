//! Exact rational numbers: the judge of every answer whose inputs are rational.
//!
//! Numbers written in model files, `.efg` and `.nfg` files are decimals or fractions, so they
//! are rationals; a game whose payoffs and chance probabilities are all rational can be solved
//! and certified without rounding. Floating point (`f64`) stays the fast path everywhere; this
//! module holds the exact type and the conversions between the two worlds.
//!
//! [`Rational`] is `num_rational::BigRational` (arbitrary precision, always normalised).

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};

/// An exact rational number (arbitrary-precision numerator and denominator).
pub type Rational = num_rational::BigRational;

/// The numbers the generic game routines compute with: `f64` on the fast path and
/// [`Rational`] for the exact certificate. Routines written once over `Scalar` give both.
pub trait Scalar: Clone + PartialOrd + num_traits::Num + std::fmt::Debug {}

impl<T: Clone + PartialOrd + num_traits::Num + std::fmt::Debug> Scalar for T {}

/// Parses a number as written in a file, exactly: an integer (`-3`), a decimal with optional
/// exponent (`0.85`, `-1.25e3`, `1e-19`) or a fraction of integers (`1/3`, `-5/2`).
///
/// Returns `None` for anything else (including `inf` and `nan`) and for exponents whose
/// magnitude exceeds 4096 (such a number would not fit an `f64` anyway).
pub fn parse(text: &str) -> Option<Rational> {
    let s = text.trim();
    if let Some((n, d)) = s.split_once('/') {
        let n: BigInt = parse_int(n)?;
        let d: BigInt = parse_int(d)?;
        if d.is_zero() {
            return None;
        }
        return Some(Rational::new(n, d));
    }
    let (mantissa, exp) = match s.find(['e', 'E']) {
        Some(i) => {
            let e: i64 = s[i + 1..].parse().ok()?;
            (&s[..i], e)
        }
        None => (s, 0),
    };
    if exp.abs() > 4096 {
        return None;
    }
    let (neg, digits) = match mantissa.as_bytes().first()? {
        b'-' => (true, &mantissa[1..]),
        b'+' => (false, &mantissa[1..]),
        _ => (false, mantissa),
    };
    let (int_part, frac_part) = digits.split_once('.').unwrap_or((digits, ""));
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    if !int_part
        .bytes()
        .chain(frac_part.bytes())
        .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let all: String = [int_part, frac_part].concat();
    let mut num: BigInt = if all.is_empty() {
        BigInt::zero()
    } else {
        all.parse().ok()?
    };
    if neg {
        num = -num;
    }
    let scale = exp - frac_part.len() as i64;
    let ten = BigInt::from(10);
    Some(if scale >= 0 {
        Rational::from_integer(num * num_traits::pow(ten, scale as usize))
    } else {
        Rational::new(num, num_traits::pow(ten, (-scale) as usize))
    })
}

/// Parses a number as Gambit's `.efg`/`.nfg` files write it: like [`parse`], and also a
/// fraction of decimals (`1.5/2`).
pub fn parse_fraction(text: &str) -> Option<Rational> {
    match text.trim().split_once('/') {
        Some((n, d)) if !n.contains('/') && !d.contains('/') => {
            let (n, d) = (parse(n)?, parse(d)?);
            (!d.is_zero()).then(|| n / d)
        }
        Some(_) => None,
        None => parse(text),
    }
}

fn parse_int(s: &str) -> Option<BigInt> {
    let s = s.trim();
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// The exact value of a finite float (every finite `f64` is a dyadic rational); `None` for
/// infinities and NaN.
pub fn from_f64(x: f64) -> Option<Rational> {
    Rational::from_float(x)
}

/// The nearest `f64` (infinite if out of range).
pub fn to_f64(q: &Rational) -> f64 {
    // Both parts exact as floats: one correctly rounded division gives the nearest float.
    const EXACT: u64 = 1 << 53;
    if let (Some(n), Some(d)) = (q.numer().to_i64(), q.denom().to_u64()) {
        if n.unsigned_abs() <= EXACT && d <= EXACT {
            return n as f64 / d as f64;
        }
    }
    if let Some(v) = q.to_f64() {
        if v.is_finite() {
            return v;
        }
    }
    // Very large or tiny: scale through the integer parts.
    let n = q.numer().to_f64().unwrap_or(f64::NAN);
    let d = q.denom().to_f64().unwrap_or(f64::NAN);
    if n.is_finite() && d.is_finite() {
        n / d
    } else if q.is_negative() {
        f64::NEG_INFINITY
    } else if q.is_zero() {
        0.0
    } else {
        f64::INFINITY
    }
}

/// The rational with the smallest denominator within `max_err` of `x` whose denominator is at
/// most `max_den` (a convergent of the continued fraction of `x`'s exact binary value), or
/// `None` when no such convergent exists or `x` is not finite.
///
/// Floating-point solvers return `0.33333333333333331` for `1/3`; this recovers the fraction a
/// solver meant, to be checked exactly afterwards (the answer is only a candidate).
pub fn approximate(x: f64, max_den: u64, max_err: f64) -> Option<Rational> {
    let target = from_f64(x)?;
    let max_den = BigInt::from(max_den);
    let tol = from_f64(max_err.abs())?;
    // Convergents h/k of the continued fraction [a0; a1, a2, …] of `target`.
    let (mut h0, mut h1) = (BigInt::zero(), BigInt::one());
    let (mut k0, mut k1) = (BigInt::one(), BigInt::zero());
    let mut rest = target.clone();
    for _ in 0..200 {
        let a = rest.floor().to_integer();
        let h2 = &a * &h1 + &h0;
        let k2 = &a * &k1 + &k0;
        if k2 > max_den {
            return None;
        }
        let cand = Rational::new(h2.clone(), k2.clone());
        if (&cand - &target).abs() <= tol {
            return Some(cand);
        }
        (h0, h1, k0, k1) = (h1, h2, k1, k2);
        let frac = &rest - Rational::from_integer(a);
        if frac.is_zero() {
            return None;
        }
        rest = frac.recip();
    }
    None
}

/// The exact value of an integer-valued [`Rational`] as `BigInt`, or `None` if it is not an
/// integer.
pub fn to_integer(q: &Rational) -> Option<BigInt> {
    q.denom().is_one().then(|| q.numer().clone())
}

/// The least common multiple of the denominators of `qs` (1 for an empty list).
pub fn common_denominator<'a>(qs: impl IntoIterator<Item = &'a Rational>) -> BigInt {
    qs.into_iter().fold(BigInt::one(), |l, q| l.lcm(q.denom()))
}

/// A terminating decimal for `q` (`0.1`, `-2.5`, `3`, `1e-19`), if its denominator has no
/// prime factors but 2 and 5 and the decimal has at most `max_digits` digits.
pub fn decimal(q: &Rational, max_digits: usize) -> Option<String> {
    let mut d = q.denom().clone();
    let (two, five) = (BigInt::from(2), BigInt::from(5));
    let (mut a, mut b) = (0usize, 0usize);
    while (&d % &two).is_zero() {
        d /= &two;
        a += 1;
    }
    while (&d % &five).is_zero() {
        d /= &five;
        b += 1;
    }
    if !d.is_one() {
        return None;
    }
    let k = a.max(b);
    let scaled = q.numer() * num_traits::pow(BigInt::from(10), k) / q.denom();
    let digits = scaled.abs().to_string();
    if digits.len() > max_digits {
        return None;
    }
    let sign = if scaled.is_negative() { "-" } else { "" };
    if k == 0 {
        return Some(format!("{sign}{digits}"));
    }
    if k > 20 {
        // Scientific notation for tiny numbers: `1e-19`, `2.5e-30`.
        let (head, tail) = digits.split_at(1);
        let tail = tail.trim_end_matches('0');
        let exp = digits.len() as i64 - 1 - k as i64;
        return Some(if tail.is_empty() {
            format!("{sign}{head}e{exp}")
        } else {
            format!("{sign}{head}.{tail}e{exp}")
        });
    }
    let padded = format!("{digits:0>width$}", width = k + 1);
    let (int, frac) = padded.split_at(padded.len() - k);
    let frac = frac.trim_end_matches('0');
    Some(if frac.is_empty() {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    })
}

/// `1/3`, `-5/2`, `3`: the shortest exact rendering.
pub fn display(q: &Rational) -> String {
    Shown(q).to_string()
}

/// [`display`] without the allocation: `format!("{}", Shown(&q))`, or written straight into a
/// serializer (`collect_str`). Numbers that fit in 64 bits skip the big-integer formatter.
#[derive(Clone, Copy)]
pub struct Shown<'a>(pub &'a Rational);

impl std::fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let q = self.0;
        match (q.numer().to_i64(), q.denom().to_u64()) {
            (Some(n), Some(1)) => write!(f, "{n}"),
            (Some(n), Some(d)) => write!(f, "{n}/{d}"),
            _ if q.denom().is_one() => write!(f, "{}", q.numer()),
            _ => write!(f, "{}/{}", q.numer(), q.denom()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(n: i64, d: i64) -> Rational {
        Rational::new(n.into(), d.into())
    }

    #[test]
    fn shown_and_to_f64_agree_with_the_big_number_routines() {
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let bits = [3u32, 20, 52, 53, 54, 63];
        for i in 0..20_000 {
            let nb = bits[i % bits.len()];
            let db = bits[(i / bits.len()) % bits.len()];
            let n = BigInt::from(next() >> (64 - nb)) * if next() & 1 == 0 { 1 } else { -1 };
            let d = BigInt::from((next() >> (64 - db)).max(1));
            let mut q = Rational::new(n, d);
            if i % 7 == 0 {
                q *= Rational::from_integer(BigInt::from(u64::MAX)); // past 64 bits
            }
            let slow = if q.denom().is_one() {
                q.numer().to_string()
            } else {
                format!("{}/{}", q.numer(), q.denom())
            };
            assert_eq!(display(&q), slow);
            let f = q.to_f64().unwrap();
            assert_eq!(to_f64(&q).to_bits(), f.to_bits(), "{q}");
        }
        assert_eq!(
            display(&Rational::from_integer(i64::MIN.into())),
            i64::MIN.to_string()
        );
    }

    #[test]
    fn parses_decimals_fractions_and_exponents_exactly() {
        assert_eq!(parse("0.85"), Some(q(17, 20)));
        assert_eq!(parse("-1.25e3"), Some(q(-1250, 1)));
        assert_eq!(parse("1/3"), Some(q(1, 3)));
        assert_eq!(parse("-5/2"), Some(q(-5, 2)));
        assert_eq!(parse(".5"), Some(q(1, 2)));
        assert_eq!(parse("2."), Some(q(2, 1)));
        assert_eq!(
            parse("1e-19"),
            Some(Rational::new(
                1.into(),
                num_traits::pow(BigInt::from(10), 19)
            ))
        );
        for bad in [
            "", "-", ".", "inf", "nan", "1/0", "1e99999", "0x10", "1.2.3", "--1",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn fractions_of_decimals_and_approximations() {
        assert_eq!(parse_fraction("1.5/2"), Some(q(3, 4)));
        assert_eq!(parse_fraction("-1/3"), Some(q(-1, 3)));
        assert_eq!(parse_fraction("1/0"), None);
        assert_eq!(parse_fraction("1/2/3"), None);
        assert_eq!(approximate(1.0 / 3.0, 1000, 1e-12), Some(q(1, 3)));
        assert_eq!(approximate(0.5, 10, 0.0), Some(q(1, 2)));
        assert_eq!(approximate(2.0 / 7.0 + 1e-7, 1000, 1e-12), None);
        assert_eq!(approximate(0.0, 1, 0.0), Some(q(0, 1)));
        assert_eq!(common_denominator(&[q(1, 4), q(1, 6)]), BigInt::from(12));
        assert_eq!(decimal(&q(1, 10), 30).as_deref(), Some("0.1"));
        assert_eq!(decimal(&q(-5, 2), 30).as_deref(), Some("-2.5"));
        assert_eq!(decimal(&q(3, 1), 30).as_deref(), Some("3"));
        assert_eq!(decimal(&q(1, 3), 30), None);
        let tiny = parse("2.5e-30").unwrap();
        assert_eq!(decimal(&tiny, 40).as_deref(), Some("2.5e-30"));
        assert_eq!(parse(&decimal(&tiny, 40).unwrap()), Some(tiny));
    }

    #[test]
    fn converts_and_displays() {
        assert_eq!(display(&q(1, 3)), "1/3");
        assert_eq!(display(&q(6, 2)), "3");
        assert_eq!(to_f64(&q(1, 4)), 0.25);
        assert_eq!(from_f64(0.5), Some(q(1, 2)));
        assert_eq!(from_f64(f64::INFINITY), None);
    }
}
