//! Simplex tableaus for the pivoting methods on bimatrix games (vertex enumeration and
//! Lemke–Howson), in exact integer arithmetic and in floating point.
//!
//! Both describe a polytope `{z ≥ 0 : M z = rhs}` written with one basic variable per row. The
//! exact tableau is *fraction-free* (integer entries, all divided by a common positive
//! determinant `D`, as in Avis's lrs and Gambit): a pivot on `(r, c)` replaces every other row
//! `i` by `(p·M_i − M_ic·M_r) / D`, which divides exactly, and makes `D = p`. Entries stay
//! integers bounded by sub-determinants of the input, so degenerate games are decided exactly.
//! The floating tableau is ordinary Gauss–Jordan and is used where speed matters (Lemke–Howson
//! on large games), with the exact one as a fallback.
//!
//! Pivots are only ever taken on positive entries (minimum-ratio tests), so `D > 0` throughout
//! and signs of entries are the signs of the real tableau.

use num_bigint::BigInt;
use num_traits::{One, Signed, Zero};
use std::cmp::Ordering;

/// Operations the pivoting algorithms need from a tableau.
pub(crate) trait Tableau {
    /// Number of rows (constraints).
    fn rows(&self) -> usize;
    /// Basic variable of each row.
    fn basis(&self) -> &[usize];
    /// Pivots variable `c` into the basis at row `r` (the entry must be positive).
    fn pivot(&mut self, r: usize, c: usize);
    /// True if the entry of variable `c` in row `r` is positive.
    fn positive(&self, r: usize, c: usize) -> bool;
    /// Compares `t_{r1}/M_{r1,c}` with `t_{r2}/M_{r2,c}` where `t` is column `col` (`None`: the
    /// right-hand side); both entries in column `c` must be positive.
    fn cmp_ratio(&self, r1: usize, r2: usize, c: usize, col: Option<usize>) -> Ordering;
    /// Value of row `r`'s basic variable.
    fn rhs_value(&self, r: usize) -> f64;

    /// The lexicographic minimum-ratio row for entering column `c`, breaking ties by the
    /// columns `lex` (the initial basis, whose columns form the basis inverse), or `None` if no
    /// entry is positive (unbounded ray). One pass, no allocation.
    fn lex_min_ratio_row(&self, c: usize, lex: &[usize]) -> Option<usize> {
        let mut best: Option<usize> = None;
        for r in (0..self.rows()).filter(|&r| self.positive(r, c)) {
            let Some(b) = best else {
                best = Some(r);
                continue;
            };
            let mut ord = self.cmp_ratio(r, b, c, None);
            for &col in lex {
                if ord != Ordering::Equal {
                    break;
                }
                ord = self.cmp_ratio(r, b, c, Some(col));
            }
            if ord == Ordering::Less {
                best = Some(r);
            }
        }
        best
    }
}

/// Exact fraction-free integer tableau.
#[derive(Clone, Debug)]
pub(crate) struct IntTableau {
    /// `rows × (vars + 1)`; the last column is the right-hand side.
    m: Vec<Vec<BigInt>>,
    d: BigInt,
    basis: Vec<usize>,
}

impl IntTableau {
    /// A tableau with rows `m` (last entry the right-hand side) and the given basis; the basis
    /// columns must form an identity matrix.
    pub(crate) fn new(m: Vec<Vec<BigInt>>, basis: Vec<usize>) -> Self {
        IntTableau {
            m,
            d: BigInt::one(),
            basis,
        }
    }

    /// Exact value of row `r`'s basic variable as (numerator, denominator).
    pub(crate) fn rhs_exact(&self, r: usize) -> (BigInt, BigInt) {
        let row = &self.m[r];
        (row[row.len() - 1].clone(), self.d.clone())
    }
}

impl Tableau for IntTableau {
    fn rows(&self) -> usize {
        self.m.len()
    }
    fn basis(&self) -> &[usize] {
        &self.basis
    }
    fn pivot(&mut self, r: usize, c: usize) {
        let p = self.m[r][c].clone();
        let pivot_row = std::mem::take(&mut self.m[r]);
        let mut tmp = BigInt::zero();
        for row in self.m.iter_mut() {
            if row.is_empty() {
                continue; // the pivot row, taken out above
            }
            let f = row[c].clone();
            for (x, y) in row.iter_mut().zip(&pivot_row) {
                // x ← (p·x − f·y) / D, in place.
                *x *= &p;
                if !f.is_zero() && !y.is_zero() {
                    tmp.clone_from(y);
                    tmp *= &f;
                    *x -= &tmp;
                }
                if !self.d.is_one() {
                    *x /= &self.d;
                }
            }
        }
        self.m[r] = pivot_row;
        self.d = p;
        self.basis[r] = c;
    }
    fn positive(&self, r: usize, c: usize) -> bool {
        self.m[r][c].is_positive()
    }
    fn cmp_ratio(&self, r1: usize, r2: usize, c: usize, col: Option<usize>) -> Ordering {
        let t = col.unwrap_or(self.m[r1].len() - 1);
        (&self.m[r1][t] * &self.m[r2][c]).cmp(&(&self.m[r2][t] * &self.m[r1][c]))
    }
    fn rhs_value(&self, r: usize) -> f64 {
        let (n, d) = self.rhs_exact(r);
        num_rational::BigRational::new(n, d).to_f64_lossy()
    }
}

/// Conversion of an exact rational to the nearest `f64`.
trait ToF64Lossy {
    fn to_f64_lossy(&self) -> f64;
}

impl ToF64Lossy for num_rational::BigRational {
    fn to_f64_lossy(&self) -> f64 {
        num_traits::ToPrimitive::to_f64(self).unwrap_or(f64::NAN)
    }
}

/// Floating-point Gauss–Jordan tableau.
#[derive(Clone, Debug)]
pub(crate) struct FloatTableau {
    m: Vec<Vec<f64>>,
    basis: Vec<usize>,
    eps: f64,
}

impl FloatTableau {
    /// A tableau with rows `m` (last entry the right-hand side) and the given basis (identity
    /// columns). Entries below `eps` in magnitude count as zero.
    pub(crate) fn new(m: Vec<Vec<f64>>, basis: Vec<usize>, eps: f64) -> Self {
        FloatTableau { m, basis, eps }
    }
}

impl Tableau for FloatTableau {
    fn rows(&self) -> usize {
        self.m.len()
    }
    fn basis(&self) -> &[usize] {
        &self.basis
    }
    fn pivot(&mut self, r: usize, c: usize) {
        let p = self.m[r][c];
        let mut pivot_row = std::mem::take(&mut self.m[r]);
        pivot_row.iter_mut().for_each(|x| *x /= p);
        pivot_row[c] = 1.0;
        for row in self.m.iter_mut() {
            if row.is_empty() {
                continue; // the pivot row, taken out above
            }
            let f = row[c];
            if f != 0.0 {
                for (x, y) in row.iter_mut().zip(&pivot_row) {
                    *x -= f * y;
                }
                row[c] = 0.0;
            }
        }
        self.m[r] = pivot_row;
        self.basis[r] = c;
    }
    fn positive(&self, r: usize, c: usize) -> bool {
        self.m[r][c] > self.eps
    }
    fn cmp_ratio(&self, r1: usize, r2: usize, c: usize, col: Option<usize>) -> Ordering {
        let t = col.unwrap_or(self.m[r1].len() - 1);
        let a = self.m[r1][t] / self.m[r1][c];
        let b = self.m[r2][t] / self.m[r2][c];
        if (a - b).abs() <= self.eps * (1.0 + a.abs().max(b.abs())) {
            Ordering::Equal
        } else {
            a.total_cmp(&b)
        }
    }
    fn rhs_value(&self, r: usize) -> f64 {
        self.m[r].last().copied().unwrap_or(0.0)
    }
}

/// A payoff matrix scaled to positive integers: `k·(a − min) + 1` with `k` clearing the
/// denominators of the entries (recovered as small-denominator rationals where the `f64` is
/// one, else taken exactly). A positive affine map, so best responses are unchanged.
pub(crate) fn positive_integer_matrix(a: &[Vec<f64>]) -> Vec<Vec<BigInt>> {
    use num_integer::Integer;
    use num_rational::BigRational;
    let rat: Vec<Vec<BigRational>> = a
        .iter()
        .map(|row| row.iter().map(|&x| to_rational(x)).collect())
        .collect();
    let mut lcm = BigInt::one();
    for x in rat.iter().flatten() {
        lcm = lcm.lcm(x.denom());
    }
    let ints: Vec<Vec<BigInt>> = rat
        .iter()
        .map(|row| row.iter().map(|x| (x * &lcm).to_integer()).collect())
        .collect();
    let min = ints.iter().flatten().min().cloned().unwrap_or_default();
    ints.into_iter()
        .map(|row| row.into_iter().map(|x| x - &min + 1).collect())
        .collect()
}

/// The rational a float stands for: the simplest fraction with denominator up to 10^9 that
/// rounds to exactly `x` (so `0.1` is 1/10 and `1/3` read from a file is 1/3), else the exact
/// binary value. Non-finite input maps to 0.
pub(crate) fn to_rational(x: f64) -> num_rational::BigRational {
    use num_rational::BigRational;
    if !x.is_finite() {
        return BigRational::zero();
    }
    // Continued-fraction convergents.
    let (mut h0, mut h1) = (0i128, 1i128);
    let (mut k0, mut k1) = (1i128, 0i128);
    let mut v = x;
    for _ in 0..64 {
        let a = v.floor();
        if a.abs() > 1e18 {
            break;
        }
        let ai = a as i128;
        let (h2, k2) = (ai * h1 + h0, ai * k1 + k0);
        if k2 > 1_000_000_000 {
            break;
        }
        (h0, h1, k0, k1) = (h1, h2, k1, k2);
        if (h1 as f64) / (k1 as f64) == x {
            return BigRational::new(BigInt::from(h1), BigInt::from(k1));
        }
        let f = v - a;
        if f == 0.0 {
            break;
        }
        v = 1.0 / f;
    }
    BigRational::from_float(x).unwrap_or_else(BigRational::zero)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rationals_are_recovered() {
        let third = to_rational(1.0 / 3.0);
        assert_eq!(
            (third.numer().clone(), third.denom().clone()),
            (1.into(), 3.into())
        );
        assert_eq!(
            to_rational(-2.5),
            num_rational::BigRational::new((-5).into(), 2.into())
        );
        assert_eq!(to_rational(0.0), num_rational::BigRational::zero());
    }

    #[test]
    fn integer_and_float_pivots_agree() {
        // x1 + 2 x2 + s1 = 4, 3 x1 + x2 + s2 = 6; pivot x1 into row 1 (ratio 2 < 4).
        let im = vec![
            vec![1, 2, 1, 0, 4].into_iter().map(BigInt::from).collect(),
            vec![3, 1, 0, 1, 6].into_iter().map(BigInt::from).collect(),
        ];
        let fm = vec![vec![1., 2., 1., 0., 4.], vec![3., 1., 0., 1., 6.]];
        let mut it = IntTableau::new(im, vec![2, 3]);
        let mut ft = FloatTableau::new(fm, vec![2, 3], 1e-12);
        assert_eq!(it.lex_min_ratio_row(0, &[2, 3]), Some(1));
        assert_eq!(ft.lex_min_ratio_row(0, &[2, 3]), Some(1));
        it.pivot(1, 0);
        ft.pivot(1, 0);
        for r in 0..2 {
            assert!((it.rhs_value(r) - ft.rhs_value(r)).abs() < 1e-12);
        }
        // x1 = 2, s1 = 2.
        assert_eq!(it.rhs_value(1), 2.0);
        assert_eq!(it.rhs_value(0), 2.0);
    }
}
