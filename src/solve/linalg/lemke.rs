//! A fraction-free integer tableau and Lemke's complementary pivoting on it.
//!
//! The tableau holds a system `T · v = rhs` over variables `v` (columns) with one basic
//! variable per row. Entries are integers; the true tableau is `T / det`, where `det` is the
//! last pivot element (kept positive). A pivot on `(r, c)` replaces every other row `i` by
//! `(T[i] · T[r][c] − T[i][c] · T[r]) / det`, a division that is always exact (Edmonds 1967;
//! Bareiss 1968), so no rational arithmetic and no rounding is involved.

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, Zero};
use std::cmp::Ordering;

/// A dense fraction-free tableau `T · v = rhs` with a basis.
#[derive(Clone, Debug, PartialEq)]
pub struct Tableau {
    rows: usize,
    cols: usize,
    /// Row-major, `cols + 1` entries per row; the last is the right-hand side.
    t: Vec<BigInt>,
    det: BigInt,
    basis: Vec<usize>,
    row_of: Vec<Option<usize>>,
}

impl Tableau {
    /// A tableau from integer rows (each `cols + 1` long, right-hand side last) and the basic
    /// column of each row. The basic columns must form an identity matrix; returns `None`
    /// otherwise or if the shapes disagree.
    pub fn new(cols: usize, rows: Vec<Vec<BigInt>>, basis: Vec<usize>) -> Option<Self> {
        let n = rows.len();
        if basis.len() != n || rows.iter().any(|r| r.len() != cols + 1) {
            return None;
        }
        let mut row_of = vec![None; cols];
        for (r, &b) in basis.iter().enumerate() {
            if b >= cols || row_of[b].is_some() {
                return None;
            }
            row_of[b] = Some(r);
        }
        for (r, &b) in basis.iter().enumerate() {
            for (i, row) in rows.iter().enumerate() {
                let want = if i == r { One::one() } else { BigInt::zero() };
                if row[b] != want {
                    return None;
                }
            }
        }
        Some(Tableau {
            rows: n,
            cols,
            t: rows.into_iter().flatten().collect(),
            det: BigInt::one(),
            basis,
            row_of,
        })
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The basic variable of each row.
    pub fn basis(&self) -> &[usize] {
        &self.basis
    }

    /// The row where variable `v` is basic, if it is.
    pub fn row_of(&self, v: usize) -> Option<usize> {
        self.row_of[v]
    }

    /// Integer entry `(r, c)`; `c == cols` is the right-hand side.
    #[inline]
    pub fn entry(&self, r: usize, c: usize) -> &BigInt {
        &self.t[r * (self.cols + 1) + c]
    }

    /// The value of variable `v` in the current basic solution (zero if non-basic).
    pub fn value(&self, v: usize) -> BigRational {
        match self.row_of[v] {
            Some(r) => BigRational::new(self.entry(r, self.cols).clone(), self.det.clone()),
            None => BigRational::zero(),
        }
    }

    /// Overwrites non-basic column `col` so that its true (divided by `det`) entry in row `r`
    /// is `value(r)`. The caller vouches that the column is an integer combination of the
    /// original columns (e.g. a covering vector chosen in the current basis), which keeps
    /// later fraction-free divisions exact.
    pub fn set_column(&mut self, col: usize, value: impl Fn(usize) -> BigInt) {
        let w = self.cols + 1;
        for r in 0..self.rows {
            self.t[r * w + col] = value(r) * &self.det;
        }
    }

    /// Pivots variable `col` into the basis at row `row` (whose entry must be non-zero).
    /// Returns the variable that left, or `None` if the entry is zero.
    pub fn pivot(&mut self, row: usize, col: usize) -> Option<usize> {
        let w = self.cols + 1;
        let p = self.t[row * w + col].clone();
        if p.is_zero() {
            return None;
        }
        let pivot_row: Vec<BigInt> = self.t[row * w..(row + 1) * w].to_vec();
        for i in 0..self.rows {
            if i == row {
                continue;
            }
            let f = self.t[i * w + col].clone();
            let r = &mut self.t[i * w..(i + 1) * w];
            if f.is_zero() {
                for x in r.iter_mut() {
                    if !x.is_zero() {
                        *x = &*x * &p / &self.det;
                    }
                }
            } else {
                for (x, pr) in r.iter_mut().zip(&pivot_row) {
                    match (x.is_zero(), pr.is_zero()) {
                        (true, true) => {}
                        (false, true) => *x = &*x * &p / &self.det,
                        (true, false) => *x = -(&f * pr) / &self.det,
                        (false, false) => *x = (&*x * &p - &f * pr) / &self.det,
                    }
                }
            }
        }
        self.det = p;
        if self.det.is_negative() {
            // Keep det > 0 so that signs of entries are signs of the true tableau.
            for x in self.t.iter_mut() {
                *x = -&*x;
            }
            self.det = -&self.det;
        }
        let left = self.basis[row];
        self.row_of[left] = None;
        self.row_of[col] = Some(row);
        self.basis[row] = col;
        Some(left)
    }

    /// Lexicographic minimum-ratio test for entering column `col`: among rows with a positive
    /// entry in `col` for which `eligible(basic variable)` holds, the row minimising
    /// `(rhs, T[·][lex[0]], T[·][lex[1]], …) / T[·][col]` lexicographically. `None` if no row
    /// bounds the entering variable (a ray).
    pub fn lex_min_ratio(
        &self,
        col: usize,
        lex: &[usize],
        eligible: impl Fn(usize) -> bool,
    ) -> Option<usize> {
        let mut best: Option<usize> = None;
        for r in 0..self.rows {
            if !self.entry(r, col).is_positive() || !eligible(self.basis[r]) {
                continue;
            }
            best = match best {
                None => Some(r),
                Some(b) if self.lex_less(r, b, col, lex) => Some(r),
                keep => keep,
            };
        }
        best
    }

    /// True if row `a`'s ratio vector is lexicographically smaller than row `b`'s.
    fn lex_less(&self, a: usize, b: usize, col: usize, lex: &[usize]) -> bool {
        let (ca, cb) = (self.entry(a, col), self.entry(b, col));
        let cmp = |c: usize| (self.entry(a, c) * cb).cmp(&(self.entry(b, c) * ca));
        std::iter::once(self.cols)
            .chain(lex.iter().copied())
            .map(cmp)
            .find(|o| *o != Ordering::Equal)
            .is_some_and(|o| o == Ordering::Less)
    }
}

/// How a complementary path ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathEnd {
    /// The artificial variable left the basis: the basis is complementary.
    Solved,
    /// The entering variable is unbounded (secondary ray).
    Ray,
    /// The pivot limit was reached.
    PivotLimit,
}

/// Lemke's complementary pivoting from an almost-complementary basis.
///
/// `entering` is the first variable to enter; after each pivot the complement
/// (`complement[v]`) of the variable that left enters next, until the artificial variable
/// `z0` leaves. Basic variables with `never_leave[v]` (free variables) are skipped by the
/// ratio test. `lex` lists the columns of the initial basis, for the lexicographic rule.
pub fn complementary_path(
    tab: &mut Tableau,
    complement: &[usize],
    never_leave: &[bool],
    z0: usize,
    mut entering: usize,
    lex: &[usize],
    max_pivots: usize,
) -> (PathEnd, usize) {
    for pivots in 0..max_pivots {
        let Some(row) = tab.lex_min_ratio(entering, lex, |v| !never_leave[v]) else {
            return (PathEnd::Ray, pivots);
        };
        // The ratio test only returns rows with a positive (hence non-zero) entry.
        let Some(left) = tab.pivot(row, entering) else {
            return (PathEnd::Ray, pivots);
        };
        if left == z0 {
            return (PathEnd::Solved, pivots + 1);
        }
        entering = complement[left];
    }
    (PathEnd::PivotLimit, max_pivots)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(v: i64) -> BigInt {
        BigInt::from(v)
    }

    #[test]
    fn pivot_solves_a_small_system() {
        // x + y = 3, x − y = 1 with slacks s1, s2 basic: columns s1 s2 x y | rhs.
        let rows = vec![
            vec![int(1), int(0), int(1), int(1), int(3)],
            vec![int(0), int(1), int(1), int(-1), int(1)],
        ];
        let mut t = Tableau::new(4, rows, vec![0, 1]).unwrap();
        assert_eq!(t.pivot(0, 2), Some(0));
        assert_eq!(t.pivot(1, 3), Some(1));
        assert_eq!(t.value(2), BigRational::from_integer(int(2)));
        assert_eq!(t.value(3), BigRational::from_integer(int(1)));
    }

    #[test]
    fn lemke_solves_a_standard_lcp() {
        // w = q + M z with M = [[2,1],[1,2]], q = (−5, −6): solution z = (4/3, 7/3).
        // Rows: w − M z − d z0 = q; columns w1 w2 z1 z2 z0 | rhs.
        let rows = vec![
            vec![int(1), int(0), int(-2), int(-1), int(-1), int(-5)],
            vec![int(0), int(1), int(-1), int(-2), int(-1), int(-6)],
        ];
        let mut t = Tableau::new(5, rows, vec![0, 1]).unwrap();
        // z0 enters at the most negative right-hand side (row 1), w2 leaves.
        assert_eq!(t.pivot(1, 4), Some(1));
        let complement = [2, 3, 0, 1, 4];
        let (end, _) = complementary_path(&mut t, &complement, &[false; 5], 4, 3, &[0, 1], 50);
        assert_eq!(end, PathEnd::Solved);
        assert_eq!(t.value(2), BigRational::new(int(4), int(3)));
        assert_eq!(t.value(3), BigRational::new(int(7), int(3)));
    }
}
