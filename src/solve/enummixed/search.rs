//! The search behind [`enummixed`](super): reverse search over the first polytope's vertices,
//! and for each the face of the second polytope that completes its labels, in exact or
//! floating-point arithmetic (the [`Kernel`]).

use super::{Limits, Outcome, Progress, CHECK_EVERY, REPORT_EVERY};
use crate::exact::Rational;
use crate::solve::linalg::dict::{
    square_system_feasible, square_system_feasible_f64, Entry, ExactDict, FloatDict, Pivoting,
};
use crate::solve::linalg::revsearch;
use num_bigint::BigInt;
use num_traits::Zero;
use std::cmp::Ordering;
use std::ops::ControlFlow;
use std::time::Instant;

/// A completely labelled vertex pair found by the search (unnormalised values dropped).
pub(super) struct Found {
    /// The first player's strategy, normalised: floats, and exact when the kernel is.
    pub x: (Vec<f64>, Option<Vec<Rational>>),
    /// The second player's strategy, likewise.
    pub y: (Vec<f64>, Option<Vec<Rational>>),
    /// Labels of `x` that hold by construction (its basis's non-basic variables: `x_i = 0` at
    /// `i`, a tight column `j` of `Bᵀx ≤ 1` at `m + j`); they determine `x`.
    pub x_labels: Vec<bool>,
    /// Likewise for `y` (a tight row `i` of `Ay ≤ 1` at `i`, `y_j = 0` at `m + j`).
    pub y_labels: Vec<bool>,
}

/// What the caller made of a [`Found`] pair.
pub(super) enum Verdict {
    /// An equilibrium; keep going.
    Counted,
    /// Not an equilibrium after all (a floating-point pair that failed its exact check).
    Rejected,
    /// Stop the search with this outcome.
    Stop(Outcome),
}

/// The arithmetic a run pivots in.
pub(super) trait Kernel {
    type Num: Clone;
    type Dict: Pivoting + Clone;
    fn dict(
        &self,
        rows: Vec<Vec<Self::Num>>,
        objective: Vec<Self::Num>,
        basic: Vec<usize>,
        cols: Vec<usize>,
        n_vars: usize,
    ) -> Self::Dict;
    fn int(&self, v: i64) -> Self::Num;
    fn add(&self, a: &Self::Num, b: &Self::Num) -> Self::Num;
    /// For rows `[M | b]` then `[A_i | c_i]` (each `k + 1` long, `k` rows of `M`): whether the
    /// solution of `M y = b` satisfies `y ≥ 0` and `A_i y ≤ c_i`; `None` if `M` is singular.
    fn square_feasible(&self, k: usize, rows: Vec<Self::Num>) -> Option<bool>;
}

/// Exact pivoting, with payoffs given in integer type `E`.
pub(super) struct ExactKernel<E>(pub std::marker::PhantomData<E>);

impl<E: Entry> Kernel for ExactKernel<E> {
    type Num = E;
    type Dict = ExactDict;
    fn dict(
        &self,
        rows: Vec<Vec<E>>,
        objective: Vec<E>,
        basic: Vec<usize>,
        cols: Vec<usize>,
        n_vars: usize,
    ) -> ExactDict {
        ExactDict::new(rows, objective, basic, cols, n_vars)
    }
    fn int(&self, v: i64) -> E {
        E::from_big(&BigInt::from(v)).expect("small integers fit every width")
    }
    fn add(&self, a: &E, b: &E) -> E {
        a.plus(b)
    }
    fn square_feasible(&self, k: usize, rows: Vec<E>) -> Option<bool> {
        square_system_feasible(k, rows)
    }
}

pub(super) struct FloatKernel {
    /// Entries within this of zero count as zero.
    pub eps: f64,
}

impl Kernel for FloatKernel {
    type Num = f64;
    type Dict = FloatDict;
    fn dict(
        &self,
        rows: Vec<Vec<f64>>,
        objective: Vec<f64>,
        basic: Vec<usize>,
        cols: Vec<usize>,
        n_vars: usize,
    ) -> FloatDict {
        FloatDict::new(rows, objective, basic, cols, n_vars, self.eps)
    }
    fn int(&self, v: i64) -> f64 {
        v as f64
    }
    fn add(&self, a: &f64, b: &f64) -> f64 {
        a + b
    }
    fn square_feasible(&self, k: usize, mut rows: Vec<f64>) -> Option<bool> {
        square_system_feasible_f64(k, &mut rows, self.eps)
    }
}

/// A mixed strategy from the right-hand sides of some rows of a dictionary (the others
/// zero), normalised: floats, and exact rationals when the dictionary is exact. The common
/// denominator cancels, so only the integer right-hand sides are needed.
fn strategy<D: Pivoting>(
    d: &D,
    coords: &[(usize, usize)],
    len: usize,
) -> (Vec<f64>, Option<Vec<Rational>>) {
    let exact: Option<Vec<(usize, BigInt)>> = coords
        .iter()
        .map(|&(i, r)| d.exact_numerator(r).map(|v| (i, v)))
        .collect();
    match exact {
        Some(nums) => {
            let sum: BigInt = nums.iter().map(|(_, v)| v).sum();
            let mut q = vec![Rational::zero(); len];
            for (i, v) in nums {
                q[i] = Rational::new(v, sum.clone());
            }
            (q.iter().map(crate::exact::to_f64).collect(), Some(q))
        }
        None => {
            let sum: f64 = coords.iter().map(|&(_, r)| d.value(r)).sum();
            let mut f = vec![0.0; len];
            for &(i, r) in coords {
                f[i] = d.value(r) / sum;
            }
            (f, None)
        }
    }
}

/// The enumeration proper, on matrices oriented so that the first player is enumerated:
/// `a` is its payoff matrix and `b` the other player's, both positive.
pub(super) fn run<K: Kernel>(
    k: &K,
    a: &[Vec<K::Num>],
    b: &[Vec<K::Num>],
    limits: &Limits,
    emit: &mut dyn FnMut(Found) -> Verdict,
    on_progress: &mut dyn FnMut(&Progress),
) -> Outcome {
    let (m, n) = (a.len(), a[0].len());
    // P: rows j: s_j + Σ_i b_ij x_i = 1; variables x_i = i, s_j = m + j.
    let rows: Vec<Vec<K::Num>> = (0..n)
        .map(|j| {
            let mut row: Vec<K::Num> = (0..m).map(|i| b[i][j].clone()).collect();
            row.push(k.int(1));
            row
        })
        .collect();
    let objective = vec![k.int(0); m + 1];
    let mut p = k.dict(
        rows,
        objective,
        (m..m + n).collect(),
        (0..m).collect(),
        m + n,
    );
    let p_vars = revsearch::prepare(&mut p);
    let mut progress = Progress::default();
    let mut outcome = Outcome::Complete;
    let mut visit = |d: &K::Dict, lexmin: bool| -> ControlFlow<()> {
        progress.bases += 1;
        if limits.max_bases.is_some_and(|cap| progress.bases > cap) {
            outcome = Outcome::BaseLimit;
            return ControlFlow::Break(());
        }
        if progress.bases % CHECK_EVERY == 0 {
            if limits.deadline.is_some_and(|t| Instant::now() >= t) {
                outcome = Outcome::TimeLimit;
                return ControlFlow::Break(());
            }
            if progress.bases % REPORT_EVERY == 0 {
                on_progress(&progress);
            }
        }
        if !lexmin {
            return ControlFlow::Continue(());
        }
        // The vertex x: its support (with the rows holding it) and the other player's best
        // responses.
        let rhs = d.n_cols();
        let mut x_rows = Vec::new();
        let mut supp = vec![false; m];
        let mut br = vec![true; n];
        for r in 0..d.m() {
            if d.sign(r, rhs) != Ordering::Greater {
                continue;
            }
            let v = p_vars[d.basis().rows[r]];
            if v < m {
                supp[v] = true;
                x_rows.push((v, r));
            } else {
                br[v - m] = false;
            }
        }
        if x_rows.is_empty() {
            return ControlFlow::Continue(()); // the origin
        }
        progress.vertices += 1;
        let mut x = None;
        let mut x_labels = vec![false; m + n];
        for &v in &d.basis().cols {
            x_labels[p_vars[v]] = true;
        }
        face(
            k,
            a,
            &supp,
            &br,
            &mut |fd: &K::Dict, y_rows: &[(usize, usize)], y_labels| {
                let found = Found {
                    x: x.get_or_insert_with(|| strategy(d, &x_rows, m)).clone(),
                    y: strategy(fd, y_rows, n),
                    x_labels: x_labels.clone(),
                    y_labels,
                };
                match emit(found) {
                    Verdict::Counted => {
                        progress.equilibria += 1;
                        ControlFlow::Continue(())
                    }
                    Verdict::Rejected => ControlFlow::Continue(()),
                    Verdict::Stop(o) => {
                        outcome = o;
                        ControlFlow::Break(())
                    }
                }
            },
        )
    };
    revsearch::reverse_search(&mut p, &mut visit);
    on_progress(&progress);
    outcome
}

/// Receives each vertex of a face: its dictionary, the `(j, row)` pairs holding the positive
/// `y_j`, and the labels of `y` that hold by construction.
type FaceVisitor<'a, D> = dyn FnMut(&D, &[(usize, usize)], Vec<bool>) -> ControlFlow<()> + 'a;

/// Lists the vertices `y` of the face of `Q = {y ≥ 0 : Ay ≤ 1}` where `A_i y = 1` for `i` in
/// `supp` and `y_j = 0` for `j` outside `br`, calling `found` with each: the face's
/// dictionary, the `(j, row)` pairs holding the positive `y_j`, and the labels of `y`.
fn face<K: Kernel>(
    k: &K,
    a: &[Vec<K::Num>],
    supp: &[bool],
    br: &[bool],
    found: &mut FaceVisitor<'_, K::Dict>,
) -> ControlFlow<()> {
    let (m, n) = (a.len(), a[0].len());
    let is_art = |v: usize| v >= m + n;
    let k_supp = supp.iter().filter(|&&s| s).count();
    let k_br = br.iter().filter(|&&b| b).count();
    if k_supp == k_br && !square_solution_in_q(k, a, supp, br) {
        // A non-degenerate vertex x: the face's affine hull is a single point outside Q.
        return ControlFlow::Continue(());
    }
    // Pivot a y into each equation's row (Gauss–Jordan). A feasible result is a vertex of the
    // face; with no y left over it is the only one.
    let mut d = face_dict(k, a, supp, br, true);
    let solved = gauss_jordan(&mut d, is_art);
    let rhs = d.n_cols();
    let feasible = solved && (0..d.m()).all(|r| d.sign(r, rhs) != Ordering::Less);
    if solved && !feasible && k_supp == k_br {
        return ControlFlow::Continue(()); // the only point of the affine hull is infeasible
    }
    if !feasible {
        // Phase one: minimise the artificials' sum from the all-slack basis.
        d = face_dict(k, a, supp, br, true);
        if revsearch::simplex(&mut d).is_err() {
            return ControlFlow::Continue(()); // cannot happen: the sum is bounded below by 0
        }
        let obj = d.m();
        if d.sign(obj, d.n_cols()) == Ordering::Greater {
            return ControlFlow::Continue(()); // the face is empty
        }
        // Drive artificials at level zero out of the basis; a row where none can leave is a
        // combination of the others.
        for r in (0..d.m()).rev() {
            if !is_art(d.basis().rows[r]) {
                continue;
            }
            let q = (0..d.n_cols())
                .find(|&q| !is_art(d.basis().cols[q]) && d.sign(r, q) != Ordering::Equal);
            match q {
                Some(q) => d.pivot(r, q),
                None => d.remove_row(r),
            }
        }
    }
    while let Some(q) = d.basis().cols.iter().position(|&v| is_art(v)) {
        d.remove_col(q);
    }
    let vars = revsearch::prepare(&mut d);
    let mut status = ControlFlow::Continue(());
    revsearch::reverse_search(&mut d, &mut |d: &K::Dict, lexmin| {
        if !lexmin {
            return ControlFlow::Continue(());
        }
        let rhs = d.n_cols();
        // Everything outside the basis is zero by construction (including what the face
        // fixes: y_j off the best responses, the slacks of the support's rows).
        let mut labels = vec![true; m + n];
        let mut y_rows = Vec::new();
        for r in 0..d.m() {
            let v = vars[d.basis().rows[r]];
            labels[v] = false;
            if v >= m && d.sign(r, rhs) == Ordering::Greater {
                y_rows.push((v - m, r));
            }
        }
        status = found(d, &y_rows, labels);
        status
    });
    status
}

/// Pivots a non-artificial column into every row whose basic variable is artificial
/// (`is_art`); false if some row has no such column with a non-zero entry.
fn gauss_jordan<D: Pivoting>(d: &mut D, is_art: impl Fn(usize) -> bool) -> bool {
    for r in 0..d.m() {
        if !is_art(d.basis().rows[r]) {
            continue;
        }
        let q = (0..d.n_cols())
            .find(|&q| !is_art(d.basis().cols[q]) && d.sign(r, q) != Ordering::Equal);
        match q {
            Some(q) => d.pivot(r, q),
            None => return false,
        }
    }
    true
}

/// For a non-degenerate vertex (`|supp| = |br|`): false if `A[supp, br] y = 1` has a unique
/// solution that is not in `Q` (a negative `y`, or `A_i y > 1` elsewhere), true otherwise (in
/// `Q`, or singular). The support's rows are solved first: most vertices of the first
/// polytope are ruled out by a negative `y`, before the other rows are looked at.
fn square_solution_in_q<K: Kernel>(k: &K, a: &[Vec<K::Num>], supp: &[bool], br: &[bool]) -> bool {
    let size = supp.iter().filter(|&&s| s).count();
    let row = |out: &mut Vec<K::Num>, i: usize| {
        out.extend(
            a[i].iter()
                .zip(br)
                .filter(|(_, &b)| b)
                .map(|(v, _)| v.clone()),
        );
        out.push(k.int(1));
    };
    let mut rows = Vec::with_capacity(a.len() * (size + 1));
    (0..a.len())
        .filter(|&i| supp[i])
        .for_each(|i| row(&mut rows, i));
    if k.square_feasible(size, rows.clone()) == Some(false) {
        return false;
    }
    (0..a.len())
        .filter(|&i| !supp[i])
        .for_each(|i| row(&mut rows, i));
    k.square_feasible(size, rows).unwrap_or(true)
}

/// The dictionary of the face: rows `i` of `Q` with basic `r_i` (variable `i`), or an
/// artificial (variable `m + n + i`) where `A_i y = 1` is required; columns `y_j` (variable
/// `m + j`) for `j` in `br`; objective the artificials' sum. Without `all_rows`, only the
/// rows of `supp`.
fn face_dict<K: Kernel>(
    k: &K,
    a: &[Vec<K::Num>],
    supp: &[bool],
    br: &[bool],
    all_rows: bool,
) -> K::Dict {
    let (m, n) = (a.len(), a[0].len());
    let cols: Vec<usize> = (0..n).filter(|&j| br[j]).collect();
    let kept: Vec<usize> = (0..m).filter(|&i| all_rows || supp[i]).collect();
    let rows: Vec<Vec<K::Num>> = kept
        .iter()
        .map(|&i| {
            let mut row: Vec<K::Num> = cols.iter().map(|&j| a[i][j].clone()).collect();
            row.push(k.int(1));
            row
        })
        .collect();
    // w + Σ_j (Σ_{i∈supp} a_ij) y_j = |supp| (not needed for the quick check).
    let mut objective: Vec<K::Num> = cols
        .iter()
        .map(|&j| {
            (0..m)
                .filter(|&i| all_rows && supp[i])
                .fold(k.int(0), |s, i| k.add(&s, &a[i][j]))
        })
        .collect();
    objective.push(k.int(if all_rows {
        supp.iter().filter(|&&s| s).count() as i64
    } else {
        0
    }));
    let basic: Vec<usize> = kept
        .iter()
        .map(|&i| if supp[i] { m + n + i } else { i })
        .collect();
    let col_vars: Vec<usize> = cols.iter().map(|&j| m + j).collect();
    k.dict(rows, objective, basic, col_vars, 2 * m + n)
}
