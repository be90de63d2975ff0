//! The sparse LU factorization of a revised complementary path's basis, refactorized many
//! times along one path.
//!
//! A general-purpose sparse LU (faer's `sp_lu`) computes a fill-reducing column ordering
//! (COLAMD) at every call; on the basis of a sequence-form LCP that ordering costs several
//! times the numeric factorization itself, and a path refactorizes dozens of times. Between
//! two factorizations only a few percent of the basis columns change, so the ordering found
//! for one basis serves the next ones nearly as well: this module keeps it and refactorizes
//! numerically with it (simplicial LU, partial pivoting by rows, so numerical stability does
//! not depend on the ordering), and computes a new ordering only when the factors have grown
//! by two fifths since the last one, or when the kept ordering meets a singular basis. The
//! factors' storage and the solve's scratch column are kept across calls.

use faer::dyn_stack::{MemBuffer, MemStack, StackReq};
use faer::perm::PermRef;
use faer::sparse::linalg::colamd;
use faer::sparse::linalg::lu::simplicial::{self, SimplicialLu};
use faer::sparse::SparseColMatRef;
use faer::{Conj, MatMut, Par};

/// Factors `P·B·Q = L·U` of an `n × n` basis `B`, with the column ordering `Q` kept between
/// factorizations.
pub struct BasisLu {
    n: usize,
    lu: SimplicialLu<usize, f64>,
    row_fwd: Vec<usize>,
    row_inv: Vec<usize>,
    col_fwd: Vec<usize>,
    col_inv: Vec<usize>,
    /// Nonzeros of `L + U` just after the ordering was computed (0: no ordering yet).
    ordered_nnz: usize,
    /// Scratch column for the solve.
    work: Vec<f64>,
}

/// Fill growth (numerator, denominator) over the ordering's first factorization that makes a
/// new ordering worth computing.
const REORDER_GROWTH: (usize, usize) = (7, 5);

impl BasisLu {
    /// An empty factorization of an `n × n` basis.
    pub fn new(n: usize) -> Self {
        BasisLu {
            n,
            lu: SimplicialLu::new(),
            row_fwd: vec![0; n],
            row_inv: vec![0; n],
            col_fwd: vec![0; n],
            col_inv: vec![0; n],
            ordered_nnz: 0,
            work: vec![0.0; n],
        }
    }

    /// Factorizes `b`; false if it is singular.
    pub fn factorize(&mut self, b: SparseColMatRef<'_, usize, f64>) -> bool {
        debug_assert!(b.nrows() == self.n && b.ncols() == self.n);
        // With a kept ordering: done, unless the factors grew too much or the ordering met a
        // singular basis; then start afresh.
        let (num, den) = REORDER_GROWTH;
        if self.ordered_nnz > 0 && self.numeric(b) && self.nnz() * den <= self.ordered_nnz * num {
            return true;
        }
        if !self.order(b) || !self.numeric(b) {
            self.ordered_nnz = 0;
            return false;
        }
        self.ordered_nnz = self.nnz().max(1);
        true
    }

    /// `v ← B⁻¹ v` with the last factorization.
    pub fn solve(&mut self, v: &mut [f64]) {
        let n = self.n;
        let row = PermRef::new_checked(&self.row_fwd, &self.row_inv, n);
        let col = PermRef::new_checked(&self.col_fwd, &self.col_inv, n);
        let rhs = MatMut::from_column_major_slice_mut(v, n, 1);
        let work = MatMut::from_column_major_slice_mut(&mut self.work, n, 1);
        self.lu
            .solve_in_place_with_conj(row, col, Conj::No, rhs, Par::Seq, work);
    }

    /// A fill-reducing column ordering for `b`'s pattern.
    fn order(&mut self, b: SparseColMatRef<'_, usize, f64>) -> bool {
        let n = self.n;
        let nnz = b.symbolic().compute_nnz();
        let Ok(mut mem) = MemBuffer::try_new(colamd::order_scratch::<usize>(n, n, nnz)) else {
            return false;
        };
        colamd::order(
            &mut self.col_fwd,
            &mut self.col_inv,
            b.symbolic(),
            colamd::Control::default(),
            MemStack::new(&mut mem),
        )
        .is_ok()
    }

    /// The numeric factorization of `b` with the current column ordering.
    fn numeric(&mut self, b: SparseColMatRef<'_, usize, f64>) -> bool {
        let n = self.n;
        let req: StackReq = simplicial::factorize_simplicial_numeric_lu_scratch::<usize, f64>(n, n);
        let Ok(mut mem) = MemBuffer::try_new(req) else {
            return false;
        };
        let col = PermRef::new_checked(&self.col_fwd, &self.col_inv, n);
        simplicial::factorize_simplicial_numeric_lu(
            &mut self.row_fwd,
            &mut self.row_inv,
            &mut self.lu,
            b,
            col,
            MemStack::new(&mut mem),
        )
        .is_ok()
    }

    /// Nonzeros of `L + U`.
    fn nnz(&self) -> usize {
        self.lu.l_factor_unsorted().symbolic().compute_nnz()
            + self.lu.u_factor_unsorted().symbolic().compute_nnz()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use faer::sparse::{SparseColMat, Triplet};

    fn matrix(n: usize, entries: &[(usize, usize, f64)]) -> SparseColMat<usize, f64> {
        let t: Vec<_> = entries
            .iter()
            .map(|&(r, c, x)| Triplet::new(r, c, x))
            .collect();
        SparseColMat::try_new_from_triplets(n, n, &t).expect("valid triplets")
    }

    /// `B·x` for the test's triplets.
    fn times(n: usize, entries: &[(usize, usize, f64)], x: &[f64]) -> Vec<f64> {
        let mut y = vec![0.0; n];
        for &(r, c, v) in entries {
            y[r] += v * x[c];
        }
        y
    }

    #[test]
    fn solves_after_columns_change_with_the_kept_ordering() {
        let n = 5;
        let mut e = vec![
            (0, 0, 2.0),
            (1, 1, 3.0),
            (2, 2, 1.0),
            (3, 3, 4.0),
            (4, 4, 1.0),
            (0, 3, 1.0),
            (4, 1, -2.0),
            (2, 0, 5.0),
        ];
        let mut lu = BasisLu::new(n);
        assert!(lu.factorize(matrix(n, &e).as_ref()));
        let b = [1.0, -2.0, 0.5, 3.0, 7.0];
        let mut x = b;
        lu.solve(&mut x);
        let bx = times(n, &e, &x);
        assert!(bx.iter().zip(&b).all(|(p, q)| (p - q).abs() < 1e-12));
        // Replace column 2 (as a pivot would) and factorize with the kept ordering.
        e.retain(|&(_, c, _)| c != 2);
        e.extend([(1, 2, 1.0), (2, 2, -1.0), (3, 2, 2.0)]);
        assert!(lu.factorize(matrix(n, &e).as_ref()));
        let mut x = b;
        lu.solve(&mut x);
        let bx = times(n, &e, &x);
        assert!(bx.iter().zip(&b).all(|(p, q)| (p - q).abs() < 1e-12));
    }

    #[test]
    fn a_singular_basis_is_refused_and_the_next_one_factorized() {
        let n = 2;
        let mut lu = BasisLu::new(n);
        assert!(lu.factorize(matrix(n, &[(0, 0, 1.0), (1, 1, 1.0)]).as_ref()));
        assert!(!lu.factorize(matrix(n, &[(0, 0, 1.0), (0, 1, 1.0)]).as_ref()));
        assert!(lu.factorize(matrix(n, &[(0, 1, 2.0), (1, 0, 1.0)]).as_ref()));
        let mut x = [4.0, 3.0];
        lu.solve(&mut x);
        assert_eq!(x, [3.0, 2.0]);
    }
}
