//! Integers for fraction-free pivoting, fast while they are small and exact when they grow.
//!
//! A fraction-free tableau holds integers (minors of the input) and every pivot computes
//! `(a·p − f·y) / det`, a division that is always exact. Most entries of the games solved here
//! fit in a machine word, and arbitrary-precision integers (heap-allocated limbs) cost ten to
//! fifty times more per operation, so the kernels work in three widths, as Avis's lrs does since
//! version 7: `i64` entries with `i128` products, `i128` entries with 256-bit products
//! ([`I256`]), and `BigInt`. [`PivotInt::fused`] reports an entry leaving its width (`None`),
//! and the caller redoes the pivot one width up; it moves back down when the entries shrink.
//!
//! The exact division by `det` is done without a division instruction: `det = 2^t·d` with `d`
//! odd, and for a quotient known to fit the width, `q = (n >> t) · d⁻¹ mod 2^w` (Jebelean 1993).
//! Whether it fits is decided conservatively from bit lengths; when the bit lengths of the
//! operands already bound the quotient, even the numerator is only needed modulo `2^w`, so
//! the common case costs three wrapping multiplications.

use num_bigint::BigInt;
use num_traits::{One, Signed, ToPrimitive, Zero};
use std::cmp::Ordering;
use std::fmt::Debug;

/// An integer type the fraction-free kernels can pivot in.
pub trait PivotInt: Clone + Debug + PartialEq {
    /// The type of a product of two entries (compared, never stored).
    type Wide: Ord;
    /// What [`PivotInt::fused`] needs to know about the divisor, computed once per pivot.
    type Div;
    /// Zero.
    fn zero() -> Self;
    /// Whether the value is zero.
    fn is_zero(&self) -> bool;
    /// The sign.
    fn sign(&self) -> Ordering;
    /// The exact product of two entries.
    fn wide_mul(&self, other: &Self) -> Self::Wide;
    /// Negation (entries never reach the type's minimum, so this cannot overflow).
    fn neg(&self) -> Self;
    /// Prepares exact division by a positive `d`.
    fn divisor(d: &Self) -> Self::Div;
    /// `(a·p − f·y) / d`, exact; `None` if the result would leave the type's range.
    fn fused(a: &Self, p: &Self, f: &Self, y: &Self, d: &Self::Div) -> Option<Self>;
    /// `a·p / d`, exact; `None` if the result would leave the type's range.
    fn scaled(a: &Self, p: &Self, d: &Self::Div) -> Option<Self>;
    /// The value as a `BigInt`.
    fn to_big(&self) -> BigInt;
    /// The value, if it fits the type's range for entries.
    fn from_big(b: &BigInt) -> Option<Self>;
    /// The value, if it fits comfortably (with room to grow before the next conversion).
    fn from_big_small(b: &BigInt) -> Option<Self>;
    /// Number of bits of the absolute value.
    fn bits(&self) -> u64;
    /// The value as the nearest `f64`.
    fn to_f64(&self) -> f64;
    /// The sum (callers keep it within range).
    fn plus(&self, other: &Self) -> Self;
    /// Whether every `fused` and `scaled` result of a pivot is certain to fit when no operand
    /// has more than `bits` bits (then [`PivotInt::fused_fast`] may be used throughout).
    fn fast_ok(bits: u64, d: &Self::Div) -> bool;
    /// [`PivotInt::fused`] without the range check (see [`PivotInt::fast_ok`]).
    fn fused_fast(a: &Self, p: &Self, f: &Self, y: &Self, d: &Self::Div) -> Self;
    /// [`PivotInt::scaled`] without the range check (see [`PivotInt::fast_ok`]).
    fn scaled_fast(a: &Self, p: &Self, d: &Self::Div) -> Self;
    /// The sign of `a·b − c·d`.
    fn cmp_products(a: &Self, b: &Self, c: &Self, d: &Self) -> Ordering {
        a.wide_mul(b).cmp(&c.wide_mul(d))
    }
}

/// Largest bit length an `i64` entry may have (products and their difference stay in `i128`).
const SMALL_BITS: u32 = 62;
/// Largest bit length an `i128` entry may have (products and their difference stay in 256 bits).
const MEDIUM_BITS: u32 = 126;

/// Inverse of an odd `d` modulo 2^64 (Newton's iteration doubles the correct bits).
fn inv_u64(d: u64) -> u64 {
    let mut x = d; // correct to 3 bits: d·d ≡ 1 (mod 8)
    for _ in 0..5 {
        x = x.wrapping_mul(2u64.wrapping_sub(d.wrapping_mul(x)));
    }
    x
}

/// Inverse of an odd `d` modulo 2^128.
fn inv_u128(d: u128) -> u128 {
    let mut x = d;
    for _ in 0..6 {
        x = x.wrapping_mul(2u128.wrapping_sub(d.wrapping_mul(x)));
    }
    x
}

/// Exact division by a positive `i64`: shift and odd-part inverse.
#[derive(Clone, Copy, Debug)]
pub struct Div64 {
    shift: u32,
    odd: i64,
    inv: u64,
    odd_bits: u32,
    bits: u32,
}

fn bitlen_u128(x: u128) -> u32 {
    128 - x.leading_zeros()
}

impl PivotInt for i64 {
    type Wide = i128;
    type Div = Div64;
    fn zero() -> Self {
        0
    }
    fn is_zero(&self) -> bool {
        *self == 0
    }
    fn sign(&self) -> Ordering {
        self.cmp(&0)
    }
    #[inline]
    fn wide_mul(&self, other: &Self) -> i128 {
        *self as i128 * *other as i128
    }
    fn neg(&self) -> Self {
        -*self
    }
    fn divisor(d: &Self) -> Div64 {
        let shift = d.trailing_zeros();
        let odd = d >> shift;
        Div64 {
            shift,
            odd,
            inv: inv_u64(odd as u64),
            odd_bits: 64 - odd.leading_zeros(),
            bits: 64 - d.leading_zeros(),
        }
    }
    #[inline]
    fn fused(a: &Self, p: &Self, f: &Self, y: &Self, d: &Div64) -> Option<Self> {
        let b = (bits64(*a) + bits64(*p)).max(bits64(*f) + bits64(*y)) + 2;
        if b <= d.bits + SMALL_BITS - d.shift {
            // |q| < 2^(62 − shift): the low 64 bits of the numerator determine it.
            let n = (*a as u64)
                .wrapping_mul(*p as u64)
                .wrapping_sub((*f as u64).wrapping_mul(*y as u64));
            return Some(low_quotient64(n, d));
        }
        // |a·p|, |f·y| < 2^124, so the difference fits an i128.
        div_small(*a as i128 * *p as i128 - *f as i128 * *y as i128, d)
    }
    #[inline]
    fn scaled(a: &Self, p: &Self, d: &Div64) -> Option<Self> {
        if bits64(*a) + bits64(*p) < d.bits + SMALL_BITS - d.shift {
            return Some(low_quotient64((*a as u64).wrapping_mul(*p as u64), d));
        }
        div_small(*a as i128 * *p as i128, d)
    }
    fn to_big(&self) -> BigInt {
        BigInt::from(*self)
    }
    fn from_big(b: &BigInt) -> Option<Self> {
        (b.bits() <= SMALL_BITS as u64)
            .then(|| b.to_i64())
            .flatten()
    }
    fn from_big_small(b: &BigInt) -> Option<Self> {
        (b.bits() <= 48).then(|| b.to_i64()).flatten()
    }
    fn bits(&self) -> u64 {
        (64 - self.unsigned_abs().leading_zeros()) as u64
    }
    fn to_f64(&self) -> f64 {
        *self as f64
    }
    fn plus(&self, other: &Self) -> Self {
        self + other
    }
    #[inline]
    fn fast_ok(bits: u64, d: &Div64) -> bool {
        2 * bits + 2 <= (d.bits + SMALL_BITS - d.shift) as u64
    }
    #[inline]
    fn fused_fast(a: &Self, p: &Self, f: &Self, y: &Self, d: &Div64) -> Self {
        let n = (*a as u64)
            .wrapping_mul(*p as u64)
            .wrapping_sub((*f as u64).wrapping_mul(*y as u64));
        low_quotient64(n, d)
    }
    #[inline]
    fn scaled_fast(a: &Self, p: &Self, d: &Div64) -> Self {
        low_quotient64((*a as u64).wrapping_mul(*p as u64), d)
    }
}

#[inline]
fn bits64(x: i64) -> u32 {
    64 - x.unsigned_abs().leading_zeros()
}

/// The exact quotient `n / d` from `n mod 2^64`, for a quotient known to satisfy
/// `|q| < 2^(63 − shift)`: the odd part's inverse gives `q mod 2^(64 − shift)`, sign-extended.
#[inline]
fn low_quotient64(n: u64, d: &Div64) -> i64 {
    if d.shift == 0 {
        return n.wrapping_mul(d.inv) as i64;
    }
    let q = (n >> d.shift).wrapping_mul(d.inv);
    ((q << d.shift) as i64) >> d.shift
}

#[inline]
fn div_small(n: i128, d: &Div64) -> Option<i64> {
    let n = n >> d.shift;
    // |q| = |n| / odd < 2^SMALL_BITS is guaranteed when bitlen(n) ≤ SMALL_BITS + bitlen(odd) − 1.
    if bitlen_u128(n.unsigned_abs()) > SMALL_BITS + d.odd_bits - 1 {
        return None;
    }
    let q = (n as u64).wrapping_mul(d.inv) as i64;
    debug_assert_eq!(q as i128 * d.odd as i128, n);
    Some(q)
}

/// A signed 256-bit integer (two's complement: `hi·2^128 + lo`), only as wide as the products
/// of two `i128` entries need: multiplication of two `i128`s, subtraction, shifts, comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct I256 {
    hi: i128,
    lo: u128,
}

impl I256 {
    /// The exact product of two `i128`s.
    #[inline]
    pub fn mul(a: i128, b: i128) -> I256 {
        let (hi, lo) = mul_u128(a.unsigned_abs(), b.unsigned_abs());
        let p = I256 { hi: hi as i128, lo };
        if (a < 0) != (b < 0) {
            p.negate()
        } else {
            p
        }
    }

    #[inline]
    fn negate(self) -> I256 {
        let lo = (!self.lo).wrapping_add(1);
        let hi = (!self.hi).wrapping_add((lo == 0) as i128);
        I256 { hi, lo }
    }

    #[inline]
    fn sub(self, o: I256) -> I256 {
        let (lo, borrow) = self.lo.overflowing_sub(o.lo);
        I256 {
            hi: self.hi.wrapping_sub(o.hi).wrapping_sub(borrow as i128),
            lo,
        }
    }

    /// Arithmetic shift right by `t < 128`.
    #[inline]
    fn shr(self, t: u32) -> I256 {
        if t == 0 {
            return self;
        }
        I256 {
            hi: self.hi >> t,
            lo: (self.lo >> t) | ((self.hi as u128) << (128 - t)),
        }
    }

    /// Bit length of the absolute value.
    #[inline]
    fn bitlen(self) -> u32 {
        let a = if self.hi < 0 { self.negate() } else { self };
        if a.hi != 0 {
            128 + bitlen_u128(a.hi as u128)
        } else {
            bitlen_u128(a.lo)
        }
    }
}

/// The full 256-bit product of two `u128`s as (high, low).
#[inline]
fn mul_u128(a: u128, b: u128) -> (u128, u128) {
    let (a1, a0) = (a >> 64, a & u64::MAX as u128);
    let (b1, b0) = (b >> 64, b & u64::MAX as u128);
    let p00 = a0 * b0;
    let p01 = a0 * b1;
    let p10 = a1 * b0;
    let p11 = a1 * b1;
    let mid = (p00 >> 64) + (p01 & u64::MAX as u128) + (p10 & u64::MAX as u128);
    let lo = (p00 & u64::MAX as u128) | (mid << 64);
    let hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
    (hi, lo)
}

/// Exact division by a positive `i128`.
#[derive(Clone, Copy, Debug)]
pub struct Div128 {
    shift: u32,
    inv: u128,
    odd_bits: u32,
    bits: u32,
}

#[inline]
fn bits128(x: i128) -> u32 {
    128 - x.unsigned_abs().leading_zeros()
}

/// As [`low_quotient64`], in 128 bits.
#[inline]
fn low_quotient128(n: u128, d: &Div128) -> i128 {
    if d.shift == 0 {
        return n.wrapping_mul(d.inv) as i128;
    }
    let q = (n >> d.shift).wrapping_mul(d.inv);
    ((q << d.shift) as i128) >> d.shift
}

#[inline]
fn div_medium(n: I256, d: &Div128) -> Option<i128> {
    let n = n.shr(d.shift);
    if n.bitlen() > MEDIUM_BITS + d.odd_bits - 1 {
        return None;
    }
    Some(n.lo.wrapping_mul(d.inv) as i128)
}

impl PivotInt for i128 {
    type Wide = I256;
    type Div = Div128;
    fn zero() -> Self {
        0
    }
    fn is_zero(&self) -> bool {
        *self == 0
    }
    fn sign(&self) -> Ordering {
        self.cmp(&0)
    }
    #[inline]
    fn wide_mul(&self, other: &Self) -> I256 {
        I256::mul(*self, *other)
    }
    fn neg(&self) -> Self {
        -*self
    }
    fn divisor(d: &Self) -> Div128 {
        let shift = d.trailing_zeros();
        let odd = d >> shift;
        Div128 {
            shift,
            inv: inv_u128(odd as u128),
            odd_bits: 128 - odd.leading_zeros(),
            bits: 128 - d.leading_zeros(),
        }
    }
    #[inline]
    fn fused(a: &Self, p: &Self, f: &Self, y: &Self, d: &Div128) -> Option<Self> {
        let b = (bits128(*a) + bits128(*p)).max(bits128(*f) + bits128(*y)) + 2;
        if b <= d.bits + MEDIUM_BITS - d.shift {
            // |q| < 2^(126 − shift): the low 128 bits of the numerator determine it.
            let n = (*a as u128)
                .wrapping_mul(*p as u128)
                .wrapping_sub((*f as u128).wrapping_mul(*y as u128));
            return Some(low_quotient128(n, d));
        }
        div_medium(I256::mul(*a, *p).sub(I256::mul(*f, *y)), d)
    }
    #[inline]
    fn scaled(a: &Self, p: &Self, d: &Div128) -> Option<Self> {
        if bits128(*a) + bits128(*p) < d.bits + MEDIUM_BITS - d.shift {
            return Some(low_quotient128((*a as u128).wrapping_mul(*p as u128), d));
        }
        div_medium(I256::mul(*a, *p), d)
    }
    fn to_big(&self) -> BigInt {
        BigInt::from(*self)
    }
    fn from_big(b: &BigInt) -> Option<Self> {
        (b.bits() <= MEDIUM_BITS as u64)
            .then(|| b.to_i128())
            .flatten()
    }
    fn from_big_small(b: &BigInt) -> Option<Self> {
        (b.bits() <= 110).then(|| b.to_i128()).flatten()
    }
    fn bits(&self) -> u64 {
        bitlen_u128(self.unsigned_abs()) as u64
    }
    fn to_f64(&self) -> f64 {
        *self as f64
    }
    fn plus(&self, other: &Self) -> Self {
        self + other
    }
    #[inline]
    fn fast_ok(bits: u64, d: &Div128) -> bool {
        2 * bits + 2 <= (d.bits + MEDIUM_BITS - d.shift) as u64
    }
    #[inline]
    fn fused_fast(a: &Self, p: &Self, f: &Self, y: &Self, d: &Div128) -> Self {
        let n = (*a as u128)
            .wrapping_mul(*p as u128)
            .wrapping_sub((*f as u128).wrapping_mul(*y as u128));
        low_quotient128(n, d)
    }
    #[inline]
    fn scaled_fast(a: &Self, p: &Self, d: &Div128) -> Self {
        low_quotient128((*a as u128).wrapping_mul(*p as u128), d)
    }
    #[inline]
    fn cmp_products(a: &Self, b: &Self, c: &Self, d: &Self) -> Ordering {
        if bits128(*a) + bits128(*b) <= 126 && bits128(*c) + bits128(*d) <= 126 {
            (a * b).cmp(&(c * d))
        } else {
            I256::mul(*a, *b).cmp(&I256::mul(*c, *d))
        }
    }
}

impl PivotInt for BigInt {
    type Wide = BigInt;
    type Div = BigInt;
    fn zero() -> Self {
        Zero::zero()
    }
    fn is_zero(&self) -> bool {
        Zero::is_zero(self)
    }
    fn sign(&self) -> Ordering {
        if self.is_positive() {
            Ordering::Greater
        } else if self.is_negative() {
            Ordering::Less
        } else {
            Ordering::Equal
        }
    }
    fn wide_mul(&self, other: &Self) -> BigInt {
        self * other
    }
    fn neg(&self) -> Self {
        -self
    }
    fn divisor(d: &Self) -> BigInt {
        d.clone()
    }
    fn fused(a: &Self, p: &Self, f: &Self, y: &Self, d: &BigInt) -> Option<Self> {
        let n = a * p - f * y;
        Some(if d.is_one() { n } else { n / d })
    }
    fn scaled(a: &Self, p: &Self, d: &BigInt) -> Option<Self> {
        let n = a * p;
        Some(if d.is_one() { n } else { n / d })
    }
    fn to_big(&self) -> BigInt {
        self.clone()
    }
    fn from_big(b: &BigInt) -> Option<Self> {
        Some(b.clone())
    }
    fn from_big_small(b: &BigInt) -> Option<Self> {
        Some(b.clone())
    }
    fn bits(&self) -> u64 {
        BigInt::bits(self)
    }
    fn to_f64(&self) -> f64 {
        crate::exact::to_f64(&crate::exact::Rational::from_integer(self.clone()))
    }
    fn plus(&self, other: &Self) -> Self {
        self + other
    }
    fn fast_ok(_bits: u64, _d: &BigInt) -> bool {
        false
    }
    fn fused_fast(a: &Self, p: &Self, f: &Self, y: &Self, d: &BigInt) -> Self {
        let n = a * p - f * y;
        if d.is_one() {
            n
        } else {
            n / d
        }
    }
    fn scaled_fast(a: &Self, p: &Self, d: &BigInt) -> Self {
        let n = a * p;
        if d.is_one() {
            n
        } else {
            n / d
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn next(s: &mut u64) -> u64 {
        *s ^= *s << 13;
        *s ^= *s >> 7;
        *s ^= *s << 17;
        *s
    }

    #[test]
    fn wide_products_match_bigint() {
        let mut s = 0x1234_5678_9abc_def1u64;
        for _ in 0..2000 {
            let bits = 1 + next(&mut s) % 126;
            let a = ((next(&mut s) as i128) << 64 | next(&mut s) as i128) >> (127 - bits);
            let b = ((next(&mut s) as i128) << 64 | next(&mut s) as i128) >> (127 - bits);
            let w = I256::mul(a, b);
            let big = BigInt::from(a) * BigInt::from(b);
            let back = (BigInt::from(w.hi) << 128) + BigInt::from(w.lo);
            assert_eq!(back, big, "{a} * {b}");
            assert_eq!(w.bitlen() as u64, big.bits());
            let c = I256::mul(b, 3);
            assert_eq!(w.cmp(&c), big.cmp(&(BigInt::from(b) * 3)));
        }
    }

    #[test]
    fn fused_division_is_exact_or_refused() {
        // (a·p − f·y) is made divisible by d by construction: a·p − f·y = q·d.
        let mut s = 0xdead_beef_u64;
        for _ in 0..5000 {
            let d = (next(&mut s) % (1 << 40)) as i64 + 1;
            let q = (next(&mut s) % (1 << 50)) as i64 - (1 << 49);
            let f = (next(&mut s) % 1000) as i64 - 500;
            let y = (next(&mut s) % 1000) as i64;
            // Choose a, p with a·p = q·d + f·y: p = 1, a = q·d + f·y when it fits.
            let n = q as i128 * d as i128 + f as i128 * y as i128;
            let want = BigInt::from(q);
            if let Ok(a) = i64::try_from(n) {
                if a.unsigned_abs() < 1 << 61 {
                    let got = i64::fused(&a, &1, &f, &y, &i64::divisor(&d));
                    assert!(got.is_none_or(|g| BigInt::from(g) == want));
                    assert!(got.is_some() || q.unsigned_abs() >= 1 << 30);
                }
            }
            let a = n;
            let got = i128::fused(
                &a,
                &1,
                &(f as i128),
                &(y as i128),
                &i128::divisor(&(d as i128)),
            );
            assert_eq!(got.map(BigInt::from), Some(want));
        }
        // A quotient too large for i64 is refused.
        let d = i64::divisor(&3);
        assert_eq!(i64::scaled(&(3i64 << 61), &1, &d), Some(1i64 << 61));
        assert_eq!(i64::scaled(&(1i64 << 61), &(3 << 10), &d), None);
        let d = i128::divisor(&6);
        assert_eq!(
            i128::scaled(&(1i128 << 120), &(3 << 4), &d),
            Some(1i128 << 123)
        );
        assert_eq!(i128::scaled(&(1i128 << 125), &(3 << 4), &d), None);
    }
}
