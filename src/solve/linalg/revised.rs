//! Lemke's complementary pivoting in revised form, in floating point, for large sparse LCPs.
//!
//! The exact dense tableau of [`super::Tableau`] stores every entry of `B⁻¹[I | −M | −d]`; on
//! a sequence form with thousands of rows that is tens of millions of big integers, updated at
//! every pivot. Lemke's algorithm never needs the whole tableau: a pivot needs only the
//! entering column `B⁻¹a` (for the ratio test) and the basic values `B⁻¹b`. This module keeps
//! the constraint matrix sparse, factorizes the basis with a sparse LU ([`super::basis_lu`]), applies the
//! pivots since the last factorization as eta transformations (the product form of the
//! inverse), and refactorizes every [`REFACTOR`] pivots, recomputing the basic values from
//! scratch so rounding does not accumulate.
//!
//! Degenerate ties in the ratio test are broken towards the artificial variable (so the path
//! ends as soon as it can), then towards the largest pivot element (numerical stability). The
//! result is a floating-point solution: callers certify it independently (the solver module
//! converts it to a profile whose regrets the common certificate checks).

use super::basis_lu::BasisLu;
use faer::sparse::{SparseColMat, Triplet};

/// Pivots between two factorizations of the basis. Fewer pivots mean a shorter eta file to
/// apply at every pivot, more mean fewer factorizations; on raked Leduc poker 50–70 pivots
/// take about 10% fewer instructions than 100 (callgrind), and the shorter eta file also
/// fits the cache better.
pub const REFACTOR: usize = 70;

/// Entries of an entering column below this fraction of its largest entry are treated as zero
/// in the ratio test.
const PIVOT_TOL: f64 = 1e-9;

/// Ratios within this relative distance of the minimum count as tied.
const TIE_TOL: f64 = 1e-12;

/// A sparse LCP in tableau form: `Σ_v col(v)·value(v) = rhs`, variables `0..2n` in
/// complementary pairs `v ↔ (v + n) mod 2n`, plus the artificial variable `2n`.
#[derive(Clone, Debug)]
pub struct SparseLcp {
    /// Number of rows (and of complementary pairs).
    pub n: usize,
    /// Column of each variable `0..2n` as (row, value) pairs. The artificial variable's
    /// column is made by [`RevisedPath::run`] from the positions it covers.
    pub cols: Vec<Vec<(usize, f64)>>,
    /// Right-hand side.
    pub rhs: Vec<f64>,
    /// Variables that never leave the basis once in it (free variables).
    pub free: Vec<bool>,
}

/// How a path ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RevisedEnd {
    /// The artificial variable left: a complementary solution.
    Solved,
    /// The entering column has no positive entry: a secondary ray.
    Ray,
    /// The pivot limit was reached.
    PivotLimit,
    /// The basis became numerically singular.
    Singular,
}

/// The pivots since the last factorization as eta transformations, in one flat store.
///
/// The entering columns `d = B⁻¹a` of a sequence-form LCP are mostly dense (on raked Leduc
/// poker about 85% of the entries are nonzero), so an eta is kept as a dense column when more
/// than a quarter of its entries are nonzero — a contiguous `v −= t·d` the compiler vectorizes —
/// and as (index, value) pairs otherwise. The buffers keep their capacity across
/// factorizations, so a pivot allocates nothing.
#[derive(Clone, Debug, Default)]
struct EtaFile {
    /// Each eta: position `r`, pivot element, and where its column starts in `dense`
    /// (`Dense`) or in `sparse` (`Sparse`, with its length).
    etas: Vec<(usize, f64, EtaCol)>,
    /// Dense columns, `n` entries each (entry `r` zero).
    dense: Vec<f64>,
    /// Sparse columns' nonzeros (entry `r` left out).
    sparse: Vec<(usize, f64)>,
}

#[derive(Clone, Copy, Debug)]
enum EtaCol {
    Dense(usize),
    Sparse(usize, usize),
}

impl EtaFile {
    fn len(&self) -> usize {
        self.etas.len()
    }

    fn clear(&mut self) {
        self.etas.clear();
        self.dense.clear();
        self.sparse.clear();
    }

    /// Records the pivot on position `r` of the entering column `d`.
    fn push(&mut self, r: usize, d: &[f64]) {
        let nnz = d.iter().filter(|&&x| x != 0.0).count();
        let col = if 4 * nnz > d.len() {
            let at = self.dense.len();
            self.dense.extend_from_slice(d);
            self.dense[at + r] = 0.0;
            EtaCol::Dense(at)
        } else {
            let at = self.sparse.len();
            self.sparse.extend(
                d.iter()
                    .enumerate()
                    .filter(|&(i, &x)| i != r && x != 0.0)
                    .map(|(i, &x)| (i, x)),
            );
            EtaCol::Sparse(at, self.sparse.len() - at)
        };
        self.etas.push((r, d[r], col));
    }

    /// `v ← E_k ⋯ E_1 v`.
    fn apply(&self, v: &mut [f64]) {
        let n = v.len();
        for &(r, pivot, col) in &self.etas {
            let t = v[r] / pivot;
            if t != 0.0 {
                match col {
                    EtaCol::Dense(at) => {
                        for (x, &d) in v.iter_mut().zip(&self.dense[at..at + n]) {
                            *x -= d * t;
                        }
                    }
                    EtaCol::Sparse(at, len) => {
                        for &(i, d) in &self.sparse[at..at + len] {
                            v[i] -= d * t;
                        }
                    }
                }
            }
            v[r] = t;
        }
    }
}

/// The state of a revised complementary path: basis, factorization, etas, basic values.
pub struct RevisedPath<'a> {
    lcp: &'a SparseLcp,
    /// Basic variable at each position.
    basis: Vec<usize>,
    /// Position of each variable in the basis, or `usize::MAX`.
    pos: Vec<usize>,
    lu: BasisLu,
    etas: EtaFile,
    /// Values of the basic variables, by position.
    values: Vec<f64>,
    /// Scratch column.
    work: Vec<f64>,
    /// The artificial variable's column.
    z0col: Vec<(usize, f64)>,
    /// Pivots made.
    pub pivots: usize,
}

impl<'a> RevisedPath<'a> {
    /// A path at the basis `basis` (one variable per row position); `None` if it is singular.
    pub fn new(lcp: &'a SparseLcp, basis: Vec<usize>) -> Option<Self> {
        let mut pos = vec![usize::MAX; 2 * lcp.n + 1];
        for (i, &v) in basis.iter().enumerate() {
            pos[v] = i;
        }
        let mut p = RevisedPath {
            lcp,
            basis,
            pos,
            lu: BasisLu::new(lcp.n),
            etas: EtaFile::default(),
            values: vec![0.0; lcp.n],
            work: vec![0.0; lcp.n],
            z0col: Vec::new(),
            pivots: 0,
        };
        p.refactor().then_some(p)
    }

    /// The value of variable `v` (zero when nonbasic).
    pub fn value(&self, v: usize) -> f64 {
        match self.pos[v] {
            usize::MAX => 0.0,
            i => self.values[i],
        }
    }

    /// Factorizes the current basis and recomputes the basic values; false if singular.
    fn refactor(&mut self) -> bool {
        let n = self.lcp.n;
        let mut trip = Vec::new();
        for (j, &v) in self.basis.iter().enumerate() {
            for &(r, x) in self.column(v) {
                trip.push(Triplet::new(r, j, x));
            }
        }
        let Ok(m) = SparseColMat::<usize, f64>::try_new_from_triplets(n, n, &trip) else {
            return false;
        };
        if !self.lu.factorize(m.as_ref()) {
            return false;
        }
        self.etas.clear();
        let mut v = self.lcp.rhs.clone();
        self.solve(&mut v);
        if v.iter().any(|x| !x.is_finite()) {
            return false;
        }
        self.values = v;
        true
    }

    /// The constraint column of variable `v`.
    fn column(&self, v: usize) -> &[(usize, f64)] {
        if v == 2 * self.lcp.n {
            &self.z0col
        } else {
            &self.lcp.cols[v]
        }
    }

    /// `v ← B⁻¹ v`.
    fn solve(&mut self, v: &mut [f64]) {
        self.lu.solve(v);
        self.etas.apply(v);
    }

    /// The column of variable `var` in the current basis, `B⁻¹ a_var`, into `self.work`.
    fn ftran(&mut self, var: usize) {
        let mut w = std::mem::take(&mut self.work);
        w.iter_mut().for_each(|x| *x = 0.0);
        for &(r, x) in self.column(var) {
            w[r] += x;
        }
        self.solve(&mut w);
        self.work = w;
    }

    /// Brings `var` into the basis at position `r` (its column is in `self.work`); returns
    /// the variable that left.
    fn pivot(&mut self, r: usize, var: usize) -> Option<usize> {
        let d = &self.work;
        let piv = d[r];
        if piv == 0.0 || !piv.is_finite() {
            return None;
        }
        let theta = self.values[r] / piv;
        for (i, x) in self.values.iter_mut().enumerate() {
            if i != r {
                *x -= theta * d[i];
            }
        }
        self.values[r] = theta;
        self.etas.push(r, d);
        let left = self.basis[r];
        self.pos[left] = usize::MAX;
        self.basis[r] = var;
        self.pos[var] = r;
        self.pivots += 1;
        if self.etas.len() >= REFACTOR && !self.refactor() {
            return None;
        }
        Some(left)
    }

    /// The minimum-ratio position for the entering column in `self.work`: ties go to the
    /// position of `prefer`, then to the largest pivot element.
    fn ratio_test(&self, prefer: usize) -> Option<usize> {
        let d = &self.work;
        let big = d.iter().fold(0.0f64, |m, x| m.max(x.abs()));
        if big == 0.0 {
            return None;
        }
        let tol = PIVOT_TOL * big;
        let mut best: Option<(usize, f64)> = None;
        for (i, &di) in d.iter().enumerate() {
            if di <= tol || self.lcp.free[self.basis[i]] {
                continue;
            }
            let ratio = self.values[i].max(0.0) / di;
            best = match best {
                None => Some((i, ratio)),
                Some((j, rj)) => {
                    let scale = rj.abs().max(ratio.abs()).max(1e-300);
                    if ratio < rj - TIE_TOL * scale {
                        Some((i, ratio))
                    } else if ratio <= rj + TIE_TOL * scale {
                        let better =
                            self.basis[i] == prefer || (self.basis[j] != prefer && di > d[j]);
                        Some(if better { (i, ratio) } else { (j, rj) })
                    } else {
                        Some((j, rj))
                    }
                }
            };
        }
        best.map(|(i, _)| i)
    }

    /// Runs Lemke's path: the artificial variable `z0` (the last column) covers the positions
    /// `covered`, enters at the most negative of them, and complementary pivoting follows
    /// until `z0` leaves. `None` if no covered value is negative (the basis already solves the
    /// LCP).
    pub fn run(&mut self, covered: &[usize], max_pivots: usize) -> Option<RevisedEnd> {
        let n2 = 2 * self.lcp.n;
        let z0 = n2;
        let worst = covered
            .iter()
            .copied()
            .filter(|&i| self.values[i] < 0.0)
            .min_by(|&a, &b| self.values[a].total_cmp(&self.values[b]))?;
        // z0's column in the current basis is −1 at the covered positions: B·(−1_covered).
        let mut a = vec![0.0; self.lcp.n];
        for &i in covered {
            for &(r, x) in &self.lcp.cols[self.basis[i]] {
                a[r] -= x;
            }
        }
        self.z0col = a
            .iter()
            .enumerate()
            .filter(|&(_, &x)| x != 0.0)
            .map(|(r, &x)| (r, x))
            .collect();
        self.ftran(z0);
        let Some(mut left) = self.pivot(worst, z0) else {
            return Some(RevisedEnd::Singular);
        };
        loop {
            if left == z0 {
                return Some(RevisedEnd::Solved);
            }
            if self.pivots >= max_pivots {
                return Some(RevisedEnd::PivotLimit);
            }
            let entering = (left + self.lcp.n) % n2;
            self.ftran(entering);
            let Some(r) = self.ratio_test(z0) else {
                return Some(RevisedEnd::Ray);
            };
            match self.pivot(r, entering) {
                Some(l) => left = l,
                None => return Some(RevisedEnd::Singular),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `w = q + M z` for a 2×2 LCP written as `w − M z = q` with the identity basis.
    fn lcp(m: [[f64; 2]; 2], q: [f64; 2]) -> SparseLcp {
        let n = 2;
        let mut cols = vec![Vec::new(); 2 * n];
        for i in 0..n {
            cols[i].push((i, 1.0));
            for j in 0..n {
                if m[i][j] != 0.0 {
                    cols[n + j].push((i, -m[i][j]));
                }
            }
        }
        SparseLcp {
            n,
            cols,
            rhs: q.to_vec(),
            free: vec![false; 2 * n + 1],
        }
    }

    #[test]
    fn solves_a_small_lcp() {
        // w = q + M z with M = [[2, 1], [1, 2]], q = (−5, −6): z = (4/3, 7/3), w = 0.
        let l = lcp([[2.0, 1.0], [1.0, 2.0]], [-5.0, -6.0]);
        let mut p = RevisedPath::new(&l, vec![0, 1]).unwrap();
        assert_eq!(p.run(&[0, 1], 100), Some(RevisedEnd::Solved));
        let z = [p.value(2), p.value(3)];
        assert!((z[0] - 4.0 / 3.0).abs() < 1e-12 && (z[1] - 7.0 / 3.0).abs() < 1e-12);
        assert_eq!(p.value(4), 0.0);
    }

    #[test]
    fn a_feasible_start_needs_no_path() {
        let l = lcp([[1.0, 0.0], [0.0, 1.0]], [1.0, 2.0]);
        let mut p = RevisedPath::new(&l, vec![0, 1]).unwrap();
        assert_eq!(p.run(&[0, 1], 100), None);
    }

    #[test]
    fn refactorization_keeps_values() {
        // A chain of pivots longer than REFACTOR on a diagonal LCP: each z_i enters once.
        let n = REFACTOR + 10;
        let mut cols = vec![Vec::new(); 2 * n];
        for i in 0..n {
            cols[i].push((i, 1.0));
            cols[n + i].push((i, -(1.0 + i as f64)));
        }
        let rhs: Vec<f64> = (0..n).map(|i| -(1.0 + i as f64)).collect();
        let l = SparseLcp {
            n,
            cols,
            rhs,
            free: vec![false; 2 * n + 1],
        };
        let covered: Vec<usize> = (0..n).collect();
        let mut p = RevisedPath::new(&l, (0..n).collect()).unwrap();
        assert_eq!(p.run(&covered, 10_000), Some(RevisedEnd::Solved));
        for i in 0..n {
            assert!(
                (p.value(n + i) - 1.0).abs() < 1e-9,
                "z_{i} = {}",
                p.value(n + i)
            );
        }
    }
}
