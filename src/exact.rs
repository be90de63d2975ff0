//! Exact rational numbers: the judge of every answer whose inputs are rational.
//!
//! Numbers written in model files, `.efg` and `.nfg` files are decimals or fractions, so they
//! are rationals; a game whose payoffs and chance probabilities are all rational can be solved
//! and certified without rounding. Floating point (`f64`) stays the fast path everywhere; this
//! module holds the exact type and the conversions between the two worlds.
//!
//! [`Rational`] is `num_rational::BigRational` (arbitrary precision, always normalised).

use num_bigint::BigInt;
use num_traits::{One, Signed, ToPrimitive, Zero};

/// An exact rational number (arbitrary-precision numerator and denominator).
pub type Rational = num_rational::BigRational;

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

/// `1/3`, `-5/2`, `3`: the shortest exact rendering.
pub fn display(q: &Rational) -> String {
    if q.denom().is_one() {
        q.numer().to_string()
    } else {
        format!("{}/{}", q.numer(), q.denom())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(n: i64, d: i64) -> Rational {
        Rational::new(n.into(), d.into())
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
    fn converts_and_displays() {
        assert_eq!(display(&q(1, 3)), "1/3");
        assert_eq!(display(&q(6, 2)), "3");
        assert_eq!(to_f64(&q(1, 4)), 0.25);
        assert_eq!(from_f64(0.5), Some(q(1, 2)));
        assert_eq!(from_f64(f64::INFINITY), None);
    }
}
