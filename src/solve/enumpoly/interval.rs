//! Interval arithmetic with outward rounding.
//!
//! Every operation rounds its result outwards by one unit in the last place (`next_down` on
//! the lower end, `next_up` on the upper), so the computed interval always contains the exact
//! result whatever the rounding mode: the enclosures behind the root isolation are rigorous,
//! not merely accurate.

use std::ops::{Add, Mul, Neg, Sub};

/// A closed interval `[lo, hi]`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    /// Lower end.
    pub lo: f64,
    /// Upper end.
    pub hi: f64,
}

impl Interval {
    /// `[lo, hi]`.
    pub fn new(lo: f64, hi: f64) -> Self {
        Interval { lo, hi }
    }

    /// The degenerate interval `[x, x]`.
    pub fn point(x: f64) -> Self {
        Interval { lo: x, hi: x }
    }

    /// An interval surely containing the real number that `x` approximates to within half an
    /// ulp (the result of one correctly rounded operation).
    pub fn around(x: f64) -> Self {
        Interval {
            lo: x.next_down(),
            hi: x.next_up(),
        }
    }

    /// Midpoint.
    pub fn mid(&self) -> f64 {
        0.5 * self.lo + 0.5 * self.hi
    }

    /// Width.
    pub fn width(&self) -> f64 {
        self.hi - self.lo
    }

    /// True if `0 ∈ self`.
    pub fn contains_zero(&self) -> bool {
        self.lo <= 0.0 && 0.0 <= self.hi
    }

    /// True if `self` lies strictly inside `other`.
    pub fn strictly_inside(&self, other: &Interval) -> bool {
        other.lo < self.lo && self.hi < other.hi
    }

    /// `self ∩ other`, if not empty.
    pub fn intersect(&self, other: &Interval) -> Option<Interval> {
        let lo = self.lo.max(other.lo);
        let hi = self.hi.min(other.hi);
        (lo <= hi).then_some(Interval { lo, hi })
    }

    /// True if either end is NaN or infinite.
    pub fn is_bad(&self) -> bool {
        !(self.lo.is_finite() && self.hi.is_finite())
    }
}

impl Add for Interval {
    type Output = Interval;
    fn add(self, o: Interval) -> Interval {
        Interval {
            lo: (self.lo + o.lo).next_down(),
            hi: (self.hi + o.hi).next_up(),
        }
    }
}

impl Sub for Interval {
    type Output = Interval;
    fn sub(self, o: Interval) -> Interval {
        Interval {
            lo: (self.lo - o.hi).next_down(),
            hi: (self.hi - o.lo).next_up(),
        }
    }
}

impl Neg for Interval {
    type Output = Interval;
    fn neg(self) -> Interval {
        Interval {
            lo: -self.hi,
            hi: -self.lo,
        }
    }
}

impl Mul for Interval {
    type Output = Interval;
    fn mul(self, o: Interval) -> Interval {
        let c = [
            self.lo * o.lo,
            self.lo * o.hi,
            self.hi * o.lo,
            self.hi * o.hi,
        ];
        let lo = c.iter().cloned().fold(f64::INFINITY, f64::min);
        let hi = c.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        Interval {
            lo: lo.next_down(),
            hi: hi.next_up(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enclosures_contain_exact_results() {
        let a = Interval::new(-1.0, 2.0);
        let b = Interval::new(3.0, 4.0);
        let p = a * b;
        assert!(p.lo <= -4.0 && p.hi >= 8.0);
        let s = a - b;
        assert!(s.lo <= -5.0 && s.hi >= -1.0);
        // 0.1 + 0.2 is not 0.3 in floating point, but the enclosure contains 0.3.
        let t = Interval::around(0.1) + Interval::around(0.2);
        assert!(t.lo <= 0.3 && 0.3 <= t.hi);
    }
}
