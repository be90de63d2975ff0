//! Simplex dictionaries for reverse search: only the non-basic columns are stored.
//!
//! A dictionary over variables `z ≥ 0` holds one row per constraint, `z_B(r) + Σ_p t_rp z_N(p)
//! = b_r`, where `B(r)` is the basic variable of row `r` and `N(p)` the non-basic variable at
//! column position `p`, plus an objective row (index `m`, the number of constraint rows) and
//! the right-hand side as the last column (index [`Pivoting::n_cols`]). Storing only the
//! non-basic columns halves a pivot's work against a full tableau (Avis's lrs does the same).
//!
//! [`ExactDict`] is fraction-free: its integers are the true entries times a common positive
//! `det`, pivoted in the narrowest of `i64`, `i128` and `BigInt` that holds them (see
//! [`int`](super::int)). [`FloatDict`] is ordinary floating-point Gauss–Jordan with a
//! tolerance, for the fast variants.
//!
//! A pivot on `(r, p)` swaps `B(r)` and `N(p)`: in integers, every other row `i` becomes
//! `(T_ij·T_rp − T_ip·T_rj) / det`, row `r` keeps its entries, the pivot column becomes
//! `det` in row `r` and `−T_ip` elsewhere, and `det` becomes `T_rp`.

use super::int::PivotInt;
use num_bigint::BigInt;
use num_rational::BigRational;
use std::cmp::Ordering;

/// Where a variable is in a dictionary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Loc {
    /// Basic in this row.
    Row(usize),
    /// Non-basic at this column position.
    Col(usize),
    /// Removed from the problem.
    Gone,
}

/// Which variable is where.
#[derive(Debug, PartialEq, Eq)]
pub struct Basis {
    /// The basic variable of each row.
    pub rows: Vec<usize>,
    /// The non-basic variable at each column position.
    pub cols: Vec<usize>,
    /// Where each variable is.
    pub loc: Vec<Loc>,
}

impl Clone for Basis {
    fn clone(&self) -> Self {
        Basis {
            rows: self.rows.clone(),
            cols: self.cols.clone(),
            loc: self.loc.clone(),
        }
    }
    fn clone_from(&mut self, src: &Self) {
        self.rows.clone_from(&src.rows);
        self.cols.clone_from(&src.cols);
        self.loc.clone_from(&src.loc);
    }
}

impl Basis {
    /// Bookkeeping for rows with basic variables `rows` and columns `cols` over `n_vars`
    /// variables (variables in neither list are [`Loc::Gone`]).
    pub fn new(rows: Vec<usize>, cols: Vec<usize>, n_vars: usize) -> Self {
        let mut loc = vec![Loc::Gone; n_vars];
        for (r, &v) in rows.iter().enumerate() {
            loc[v] = Loc::Row(r);
        }
        for (p, &v) in cols.iter().enumerate() {
            loc[v] = Loc::Col(p);
        }
        Basis { rows, cols, loc }
    }

    fn swap(&mut self, r: usize, p: usize) {
        let (v, c) = (self.rows[r], self.cols[p]);
        self.rows[r] = c;
        self.cols[p] = v;
        self.loc[c] = Loc::Row(r);
        self.loc[v] = Loc::Col(p);
    }

    fn remove_row(&mut self, r: usize) {
        let v = self.rows.remove(r);
        self.loc[v] = Loc::Gone;
        for (i, &u) in self.rows.iter().enumerate().skip(r) {
            self.loc[u] = Loc::Row(i);
        }
    }

    fn remove_col(&mut self, p: usize) {
        let v = self.cols.remove(p);
        self.loc[v] = Loc::Gone;
        for (i, &u) in self.cols.iter().enumerate().skip(p) {
            self.loc[u] = Loc::Col(i);
        }
    }

    /// Renames every variable `v` to `new_id[v]` (a permutation of the remaining variables).
    pub fn relabel(&mut self, new_id: &[usize]) {
        for v in self.rows.iter_mut().chain(self.cols.iter_mut()) {
            *v = new_id[*v];
        }
        let n = self.loc.len();
        *self = Basis::new(
            std::mem::take(&mut self.rows),
            std::mem::take(&mut self.cols),
            n,
        );
    }
}

/// What the pivoting algorithms need from a dictionary.
pub trait Pivoting {
    /// The variable bookkeeping.
    fn basis(&self) -> &Basis;
    /// Renames the variables (see [`Basis::relabel`]).
    fn relabel(&mut self, new_id: &[usize]);
    /// Number of constraint rows (the objective row has this index).
    fn m(&self) -> usize {
        self.basis().rows.len()
    }
    /// Number of non-basic column positions (the right-hand side has this index).
    fn n_cols(&self) -> usize {
        self.basis().cols.len()
    }
    /// Sign of entry `(r, c)`.
    fn sign(&self, r: usize, c: usize) -> Ordering;
    /// Sign of `a_x·a_y − a_u·a_v` for entries given as `(row, column)`.
    fn cmp_prod(
        &self,
        x: (usize, usize),
        y: (usize, usize),
        u: (usize, usize),
        v: (usize, usize),
    ) -> Ordering;
    /// Pivots the non-basic variable at position `p` into row `r` (entry must be non-zero).
    fn pivot(&mut self, r: usize, p: usize);
    /// The value of row `r`'s basic variable (`m` gives the objective value).
    fn value(&self, r: usize) -> f64;
    /// The exact value of row `r`'s basic variable, when the dictionary is exact.
    fn exact_value(&self, r: usize) -> Option<BigRational>;
    /// Row `r`'s right-hand side times the common denominator, when the dictionary is exact.
    fn exact_numerator(&self, r: usize) -> Option<BigInt>;
    /// Deletes row `r` (a redundant equation).
    fn remove_row(&mut self, r: usize);
    /// Deletes the non-basic column at position `p` (the variable is fixed at zero).
    fn remove_col(&mut self, p: usize);
    /// Replaces the objective row: coefficient `coef(v)` for each non-basic variable `v` in
    /// `w + Σ coef·z = 0` (so a positive coefficient means raising `z` lowers `w`).
    fn set_objective(&mut self, coef: &dyn Fn(usize) -> i64);
}

/// Fraction-free integer storage of one width.
#[derive(Debug)]
#[doc(hidden)]
pub struct Store<E> {
    /// Rows (including the objective row), each `width` long.
    rows: usize,
    width: usize,
    a: Vec<E>,
    scratch: Vec<E>,
    det: E,
    /// The largest bit length of an entry or of `det`, once computed since the last change.
    bits: std::cell::Cell<Option<u64>>,
}

/// An entry left the storage width during a pivot.
struct Overflow;

/// The arithmetic of one pivot: [`Checked`] returns `None` when a result leaves the width,
/// [`Unchecked`] is used when [`PivotInt::fast_ok`] says none can.
trait Arith<E: PivotInt> {
    /// Whether `(x·p − f·y)/d` with `y = 0` is computed as the cheaper `x·p/d` (and skipped
    /// when `x = 0` too); the unchecked loop runs without that branch.
    const SKIP_ZEROS: bool;
    /// `(a·p − f·y) / d`.
    fn fused(a: &E, p: &E, f: &E, y: &E, d: &E::Div) -> Option<E>;
    /// `a·p / d`.
    fn scaled(a: &E, p: &E, d: &E::Div) -> Option<E>;
}

/// Range-checked pivot arithmetic.
struct Checked;

/// Pivot arithmetic without range checks.
struct Unchecked;

impl<E: PivotInt> Arith<E> for Checked {
    const SKIP_ZEROS: bool = true;
    #[inline(always)]
    fn fused(a: &E, p: &E, f: &E, y: &E, d: &E::Div) -> Option<E> {
        E::fused(a, p, f, y, d)
    }
    #[inline(always)]
    fn scaled(a: &E, p: &E, d: &E::Div) -> Option<E> {
        E::scaled(a, p, d)
    }
}

impl<E: PivotInt> Arith<E> for Unchecked {
    const SKIP_ZEROS: bool = false;
    #[inline(always)]
    fn fused(a: &E, p: &E, f: &E, y: &E, d: &E::Div) -> Option<E> {
        Some(E::fused_fast(a, p, f, y, d))
    }
    #[inline(always)]
    fn scaled(a: &E, p: &E, d: &E::Div) -> Option<E> {
        Some(E::scaled_fast(a, p, d))
    }
}

impl<E: Clone> Clone for Store<E> {
    fn clone(&self) -> Self {
        Store {
            rows: self.rows,
            width: self.width,
            a: self.a.clone(),
            scratch: Vec::new(),
            det: self.det.clone(),
            bits: self.bits.clone(),
        }
    }
    /// Reuses the allocation (the search keeps a dictionary per level of its path).
    fn clone_from(&mut self, src: &Self) {
        self.rows = src.rows;
        self.width = src.width;
        self.a.clone_from(&src.a);
        self.det.clone_from(&src.det);
        self.bits.set(src.bits.get());
    }
}

impl<E: PivotInt> Store<E> {
    fn empty() -> Self {
        Store::new(0, 0, Vec::new(), E::zero())
    }

    fn new(rows: usize, width: usize, a: Vec<E>, det: E) -> Self {
        Store {
            rows,
            width,
            a,
            scratch: Vec::new(),
            det,
            bits: std::cell::Cell::new(None),
        }
    }

    fn convert<F: PivotInt>(&self, f: impl Fn(&E) -> Option<F>) -> Option<Store<F>> {
        Some(Store::new(
            self.rows,
            self.width,
            self.a.iter().map(&f).collect::<Option<Vec<F>>>()?,
            f(&self.det)?,
        ))
    }

    #[inline]
    fn at(&self, r: usize, c: usize) -> &E {
        &self.a[r * self.width + c]
    }

    fn try_pivot(&mut self, r: usize, c: usize) -> Result<(), Overflow> {
        let dv = E::divisor(&self.det);
        // When the largest entry bounds every result, the numerators are only needed modulo
        // the word size and no entry is checked (the common case).
        if E::fast_ok(self.max_bits(), &dv) {
            self.pivot_with::<Unchecked>(r, c, dv)
        } else {
            self.pivot_with::<Checked>(r, c, dv)
        }
    }

    /// The pivot on `(r, c)` with the arithmetic `A`; on overflow the store is unchanged.
    #[inline(always)]
    fn pivot_with<A: Arith<E>>(&mut self, r: usize, c: usize, dv: E::Div) -> Result<(), Overflow> {
        let w = self.width;
        let prc = self.a[r * w + c].clone();
        let mut out = std::mem::take(&mut self.scratch);
        out.clear();
        out.resize(self.a.len(), E::zero());
        let pr = &self.a[r * w..(r + 1) * w];
        for (i, (row, orow)) in self
            .a
            .chunks_exact(w)
            .zip(out.chunks_exact_mut(w))
            .enumerate()
        {
            if i == r {
                orow.clone_from_slice(row);
                orow[c] = self.det.clone();
                continue;
            }
            let f = &row[c];
            if f.is_zero() {
                for (o, x) in orow.iter_mut().zip(row) {
                    if !x.is_zero() {
                        *o = A::scaled(x, &prc, &dv).ok_or(Overflow)?;
                    }
                }
            } else {
                for ((o, x), y) in orow.iter_mut().zip(row).zip(pr) {
                    if !A::SKIP_ZEROS || !y.is_zero() {
                        *o = A::fused(x, &prc, f, y, &dv).ok_or(Overflow)?;
                    } else if !x.is_zero() {
                        *o = A::scaled(x, &prc, &dv).ok_or(Overflow)?;
                    }
                }
                orow[c] = f.neg();
            }
        }
        self.scratch = std::mem::replace(&mut self.a, out);
        self.bits.set(None);
        self.det = prc;
        if self.det.sign() == Ordering::Less {
            // Keep det > 0 so that signs of entries are the signs of the true dictionary.
            for x in self.a.iter_mut() {
                *x = x.neg();
            }
            self.det = self.det.neg();
        }
        Ok(())
    }

    fn max_bits(&self) -> u64 {
        if let Some(b) = self.bits.get() {
            return b;
        }
        let b = self
            .a
            .iter()
            .map(E::bits)
            .max()
            .unwrap_or(0)
            .max(self.det.bits());
        self.bits.set(Some(b));
        b
    }

    fn remove_row(&mut self, r: usize) {
        let w = self.width;
        self.a.drain(r * w..(r + 1) * w);
        self.rows -= 1;
        self.bits.set(None);
    }

    fn remove_col(&mut self, c: usize) {
        let w = self.width;
        let mut k = 0;
        self.a.retain(|_| {
            let keep = k % w != c;
            k += 1;
            keep
        });
        self.width -= 1;
        self.bits.set(None);
    }
}

/// An integer type an [`ExactDict`] can be built from.
pub trait Entry: PivotInt + private::Sealed {
    /// One.
    fn one() -> Self;
    /// The storage for entries of this type (narrowed where they fit a smaller width).
    #[doc(hidden)]
    fn width(store: Store<Self>) -> Width;
}

mod private {
    pub trait Sealed {}
    impl Sealed for i64 {}
    impl Sealed for i128 {}
    impl Sealed for num_bigint::BigInt {}
}

impl Entry for i64 {
    fn one() -> Self {
        1
    }
    fn width(store: Store<Self>) -> Width {
        if store.max_bits() <= 62 {
            Width::Small(store)
        } else {
            Width::fitting(store.convert(|x| Some(BigInt::from(*x))).expect("widening"))
        }
    }
}

impl Entry for i128 {
    fn one() -> Self {
        1
    }
    fn width(store: Store<Self>) -> Width {
        Width::fitting(store.convert(|x| Some(BigInt::from(*x))).expect("widening"))
    }
}

impl Entry for BigInt {
    fn one() -> Self {
        BigInt::from(1)
    }
    fn width(store: Store<Self>) -> Width {
        Width::fitting(store)
    }
}

/// The three widths of [`ExactDict`].
#[derive(Debug)]
#[doc(hidden)]
pub enum Width {
    Small(Store<i64>),
    Medium(Store<i128>),
    Large(Store<BigInt>),
}

macro_rules! each_width {
    ($w:expr, $s:ident => $body:expr) => {
        match $w {
            Width::Small($s) => $body,
            Width::Medium($s) => $body,
            Width::Large($s) => $body,
        }
    };
}

/// An exact fraction-free dictionary whose integers change width as they grow and shrink.
#[derive(Debug)]
pub struct ExactDict {
    basis: Basis,
    store: Width,
}

impl Clone for Width {
    fn clone(&self) -> Self {
        match self {
            Width::Small(s) => Width::Small(s.clone()),
            Width::Medium(s) => Width::Medium(s.clone()),
            Width::Large(s) => Width::Large(s.clone()),
        }
    }
    fn clone_from(&mut self, src: &Self) {
        match (self, src) {
            (Width::Small(d), Width::Small(s)) => d.clone_from(s),
            (Width::Medium(d), Width::Medium(s)) => d.clone_from(s),
            (Width::Large(d), Width::Large(s)) => d.clone_from(s),
            (d, s) => *d = s.clone(),
        }
    }
}

impl Clone for ExactDict {
    fn clone(&self) -> Self {
        ExactDict {
            basis: self.basis.clone(),
            store: self.store.clone(),
        }
    }
    fn clone_from(&mut self, src: &Self) {
        self.basis.clone_from(&src.basis);
        self.store.clone_from(&src.store);
    }
}

impl ExactDict {
    /// A dictionary with constraint rows `rows` (each `cols.len() + 1` entries, right-hand
    /// side last), objective row `objective` (same length), determinant 1, basic variables
    /// `basic` (one per row) and non-basic `cols`, over `n_vars` variables.
    pub fn new<E: Entry>(
        rows: Vec<Vec<E>>,
        objective: Vec<E>,
        basic: Vec<usize>,
        cols: Vec<usize>,
        n_vars: usize,
    ) -> Self {
        let width = cols.len() + 1;
        debug_assert!(rows.iter().chain([&objective]).all(|r| r.len() == width));
        debug_assert_eq!(rows.len(), basic.len());
        let n_rows = rows.len() + 1;
        let a: Vec<E> = rows.into_iter().flatten().chain(objective).collect();
        let store = Store::new(n_rows, width, a, E::one());
        ExactDict {
            basis: Basis::new(basic, cols, n_vars),
            store: E::width(store),
        }
    }

    /// The common denominator of the dictionary's entries.
    pub fn det(&self) -> BigInt {
        each_width!(&self.store, s => PivotInt::to_big(&s.det))
    }

    /// Entry `(r, c)` (times [`ExactDict::det`]).
    pub fn entry(&self, r: usize, c: usize) -> BigInt {
        each_width!(&self.store, s => PivotInt::to_big(s.at(r, c)))
    }
}

impl Width {
    /// The narrowest width that holds every entry.
    fn fitting(big: Store<BigInt>) -> Width {
        let bits = big.max_bits();
        if bits <= 62 {
            Width::Small(big.convert(i64::from_big).expect("checked bit length"))
        } else if bits <= 126 {
            Width::Medium(big.convert(i128::from_big).expect("checked bit length"))
        } else {
            Width::Large(big)
        }
    }

    /// The narrowest width that holds every entry with room to grow.
    fn narrowest(self) -> Width {
        let bits = each_width!(&self, s => s.max_bits());
        match self {
            Width::Large(s) if bits <= 48 => Width::Small(
                s.convert(i64::from_big_small)
                    .expect("48-bit entries fit an i64"),
            ),
            Width::Large(s) if bits <= 110 => Width::Medium(
                s.convert(i128::from_big_small)
                    .expect("110-bit entries fit an i128"),
            ),
            Width::Medium(s) if bits <= 48 => Width::Small(
                s.convert(|x| i64::try_from(*x).ok())
                    .expect("48-bit entries fit an i64"),
            ),
            other => other,
        }
    }

    /// Pivots on `(r, c)`, redoing the pivot one width up whenever an entry leaves the width
    /// (a failed attempt leaves the store untouched).
    fn pivot(&mut self, r: usize, c: usize) {
        while !each_width!(&mut *self, s => s.try_pivot(r, c).is_ok()) {
            *self = self.wider();
        }
    }

    fn wider(&self) -> Width {
        match self {
            Width::Small(s) => Width::Medium(
                s.convert(|x| Some(*x as i128))
                    .expect("i64 entries fit an i128"),
            ),
            Width::Medium(s) => Width::Large(
                s.convert(|x| Some(BigInt::from(*x)))
                    .expect("i128 entries fit a BigInt"),
            ),
            // BigInt pivots never overflow, so this is not reached.
            Width::Large(s) => Width::Large(s.clone()),
        }
    }
}

impl Pivoting for ExactDict {
    fn basis(&self) -> &Basis {
        &self.basis
    }
    fn relabel(&mut self, new_id: &[usize]) {
        self.basis.relabel(new_id);
    }
    #[inline]
    fn sign(&self, r: usize, c: usize) -> Ordering {
        each_width!(&self.store, s => PivotInt::sign(s.at(r, c)))
    }
    #[inline]
    fn cmp_prod(
        &self,
        x: (usize, usize),
        y: (usize, usize),
        u: (usize, usize),
        v: (usize, usize),
    ) -> Ordering {
        each_width!(&self.store, s => PivotInt::cmp_products(
            s.at(x.0, x.1),
            s.at(y.0, y.1),
            s.at(u.0, u.1),
            s.at(v.0, v.1)
        ))
    }
    fn pivot(&mut self, r: usize, p: usize) {
        self.store.pivot(r, p);
        if !matches!(self.store, Width::Small(_)) {
            let store = std::mem::replace(&mut self.store, Width::Small(Store::empty()));
            self.store = store.narrowest();
        }
        self.basis.swap(r, p);
    }
    fn value(&self, r: usize) -> f64 {
        each_width!(&self.store, s => {
            let c = s.width - 1;
            PivotInt::to_f64(s.at(r, c)) / PivotInt::to_f64(&s.det)
        })
    }
    fn exact_value(&self, r: usize) -> Option<BigRational> {
        let c = self.n_cols();
        Some(BigRational::new(self.entry(r, c), self.det()))
    }
    fn exact_numerator(&self, r: usize) -> Option<BigInt> {
        Some(self.entry(r, self.n_cols()))
    }
    fn remove_row(&mut self, r: usize) {
        each_width!(&mut self.store, s => s.remove_row(r));
        self.basis.remove_row(r);
    }
    fn remove_col(&mut self, p: usize) {
        each_width!(&mut self.store, s => s.remove_col(p));
        self.basis.remove_col(p);
    }
    fn set_objective(&mut self, coef: &dyn Fn(usize) -> i64) {
        let m = self.m();
        let cols = self.basis.cols.clone();
        // Coefficients are scaled by det like every other entry; widen first if needed.
        loop {
            let ok = each_width!(&mut self.store, s => set_row(s, m, &cols, coef));
            if ok {
                break;
            }
            self.store = self.store.wider();
        }
    }
}

/// For rows `[M | b]` then `[A_i | c_i]` (each `k + 1` long; the first `k` rows are `M`):
/// whether the solution of `M y = b` satisfies `y ≥ 0` and `A_i y ≤ c_i` for every further
/// row; `None` if `M` is singular. Fraction-free Gauss–Jordan in the narrowest width that
/// holds the numbers, widening as they grow: after pivoting `y` into the first `k` rows, the
/// right-hand sides are `y` and the slacks `c_i − A_i y`, times a positive determinant.
pub fn square_system_feasible<E: Entry>(k: usize, rows: Vec<E>) -> Option<bool> {
    let n_rows = rows.len() / (k + 1);
    let mut w = E::width(Store::new(n_rows, k + 1, rows, E::one()));
    let mut used = vec![false; k];
    for t in 0..k {
        let c = (0..k).find(|&c| {
            !used[c] && each_width!(&w, s => PivotInt::sign(s.at(t, c))) != Ordering::Equal
        })?;
        w.pivot(t, c);
        used[c] = true;
    }
    Some((0..n_rows).all(|t| each_width!(&w, s => PivotInt::sign(s.at(t, k))) != Ordering::Less))
}

/// As [`square_system_feasible`] in floating point (Gaussian elimination with partial
/// pivoting, in place): entries count as zero within `eps` relative to the largest.
pub fn square_system_feasible_f64(k: usize, a: &mut [f64], eps: f64) -> Option<bool> {
    let w = k + 1;
    let n_rows = a.len() / w;
    let scale = a[..k * w]
        .iter()
        .fold(0.0f64, |m, x| m.max(x.abs()))
        .max(f64::MIN_POSITIVE);
    for col in 0..k {
        let (piv, big) = (col..k)
            .map(|r| (r, a[r * w + col].abs()))
            .fold((col, -1.0), |b, x| if x.1 > b.1 { x } else { b });
        if big <= eps * scale {
            return None;
        }
        if piv != col {
            for j in 0..w {
                a.swap(piv * w + j, col * w + j);
            }
        }
        let p = a[col * w + col];
        for r in col + 1..k {
            let f = a[r * w + col] / p;
            if f != 0.0 {
                for j in col..w {
                    a[r * w + j] -= f * a[col * w + j];
                }
            }
        }
    }
    let mut y = vec![0.0; k];
    for r in (0..k).rev() {
        let s: f64 = (r + 1..k).map(|j| a[r * w + j] * y[j]).sum();
        y[r] = (a[r * w + k] - s) / a[r * w + r];
    }
    let top = y.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    if y.iter().any(|&v| v < -eps * top) {
        return Some(false);
    }
    Some((k..n_rows).all(|r| {
        let row = &a[r * w..(r + 1) * w];
        let s: f64 = row[..k].iter().zip(&y).map(|(x, v)| x * v).sum();
        s <= row[k] + eps * row[k].abs().max(s.abs())
    }))
}

/// Writes `coef(v)·det` into row `m` for each column variable `v`, right-hand side 0; false if
/// an entry does not fit the width.
fn set_row<E: PivotInt>(
    s: &mut Store<E>,
    m: usize,
    cols: &[usize],
    coef: &dyn Fn(usize) -> i64,
) -> bool {
    let w = s.width;
    let det = s.det.to_big();
    let mut row = Vec::with_capacity(w);
    for &v in cols {
        let Some(x) = E::from_big(&(BigInt::from(coef(v)) * &det)) else {
            return false;
        };
        row.push(x);
    }
    row.push(E::zero());
    s.a[m * w..(m + 1) * w].clone_from_slice(&row);
    s.bits.set(None);
    true
}

/// A floating-point dictionary (Gauss–Jordan, `det` = 1); entries within `eps` of zero count
/// as zero and products within `eps` relative as equal.
#[derive(Debug, PartialEq)]
pub struct FloatDict {
    basis: Basis,
    rows: usize,
    width: usize,
    a: Vec<f64>,
    eps: f64,
}

impl Clone for FloatDict {
    fn clone(&self) -> Self {
        FloatDict {
            basis: self.basis.clone(),
            rows: self.rows,
            width: self.width,
            a: self.a.clone(),
            eps: self.eps,
        }
    }
    fn clone_from(&mut self, src: &Self) {
        self.basis.clone_from(&src.basis);
        self.rows = src.rows;
        self.width = src.width;
        self.a.clone_from(&src.a);
        self.eps = src.eps;
    }
}

impl FloatDict {
    /// As [`ExactDict::new`], in floating point with tolerance `eps`.
    pub fn new(
        rows: Vec<Vec<f64>>,
        objective: Vec<f64>,
        basic: Vec<usize>,
        cols: Vec<usize>,
        n_vars: usize,
        eps: f64,
    ) -> Self {
        let width = cols.len() + 1;
        let n_rows = rows.len() + 1;
        FloatDict {
            basis: Basis::new(basic, cols, n_vars),
            rows: n_rows,
            width,
            a: rows.into_iter().flatten().chain(objective).collect(),
            eps,
        }
    }

    #[inline]
    fn at(&self, r: usize, c: usize) -> f64 {
        self.a[r * self.width + c]
    }
}

impl Pivoting for FloatDict {
    fn basis(&self) -> &Basis {
        &self.basis
    }
    fn relabel(&mut self, new_id: &[usize]) {
        self.basis.relabel(new_id);
    }
    #[inline]
    fn sign(&self, r: usize, c: usize) -> Ordering {
        let x = self.at(r, c);
        if x.abs() <= self.eps {
            Ordering::Equal
        } else if x > 0.0 {
            Ordering::Greater
        } else {
            Ordering::Less
        }
    }
    #[inline]
    fn cmp_prod(
        &self,
        x: (usize, usize),
        y: (usize, usize),
        u: (usize, usize),
        v: (usize, usize),
    ) -> Ordering {
        let p = self.at(x.0, x.1) * self.at(y.0, y.1);
        let q = self.at(u.0, u.1) * self.at(v.0, v.1);
        if (p - q).abs() <= self.eps * p.abs().max(q.abs()).max(1.0) {
            Ordering::Equal
        } else {
            p.total_cmp(&q)
        }
    }
    fn pivot(&mut self, r: usize, p: usize) {
        let w = self.width;
        let piv = self.a[r * w + p];
        let inv = 1.0 / piv;
        for j in 0..w {
            self.a[r * w + j] *= inv;
        }
        self.a[r * w + p] = inv;
        let (before, rest) = self.a.split_at_mut(r * w);
        let (pr, after) = rest.split_at_mut(w);
        for row in before.chunks_exact_mut(w).chain(after.chunks_exact_mut(w)) {
            let f = row[p];
            if f != 0.0 {
                for (x, y) in row.iter_mut().zip(pr.iter()) {
                    *x -= f * y;
                }
                row[p] = -f * inv;
            }
        }
        self.basis.swap(r, p);
    }
    fn value(&self, r: usize) -> f64 {
        self.at(r, self.width - 1)
    }
    fn exact_value(&self, _r: usize) -> Option<BigRational> {
        None
    }
    fn exact_numerator(&self, _r: usize) -> Option<BigInt> {
        None
    }
    fn remove_row(&mut self, r: usize) {
        let w = self.width;
        self.a.drain(r * w..(r + 1) * w);
        self.rows -= 1;
        self.basis.remove_row(r);
    }
    fn remove_col(&mut self, p: usize) {
        let w = self.width;
        let mut k = 0;
        self.a.retain(|_| {
            let keep = k % w != p;
            k += 1;
            keep
        });
        self.width -= 1;
        self.basis.remove_col(p);
    }
    fn set_objective(&mut self, coef: &dyn Fn(usize) -> i64) {
        let (m, w) = (self.rows - 1, self.width);
        for (p, &v) in self.basis.cols.iter().enumerate() {
            self.a[m * w + p] = coef(v) as f64;
        }
        self.a[m * w + w - 1] = 0.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn big(rows: &[&[i64]]) -> Vec<Vec<BigInt>> {
        rows.iter()
            .map(|r| r.iter().map(|&x| BigInt::from(x)).collect())
            .collect()
    }

    #[test]
    fn exact_and_float_pivots_agree() {
        // s1 + x1 + 2 x2 = 4, s2 + 3 x1 + x2 = 6; variables x1 x2 s1 s2 = 0 1 2 3.
        let rows = big(&[&[1, 2, 4], &[3, 1, 6]]);
        let obj = big(&[&[-1, -1, 0]]).remove(0);
        let mut e = ExactDict::new(rows, obj, vec![2, 3], vec![0, 1], 4);
        let mut f = FloatDict::new(
            vec![vec![1., 2., 4.], vec![3., 1., 6.]],
            vec![-1., -1., 0.],
            vec![2, 3],
            vec![0, 1],
            4,
            1e-12,
        );
        for (r, p) in [(1, 0), (0, 1)] {
            e.pivot(r, p);
            f.pivot(r, p);
        }
        // x1 = 8/5, x2 = 6/5.
        assert_eq!(e.basis().rows, vec![1, 0]);
        assert_eq!(e.exact_value(0), Some(BigRational::new(6.into(), 5.into())));
        assert_eq!(e.exact_value(1), Some(BigRational::new(8.into(), 5.into())));
        for r in 0..=2 {
            assert!((e.value(r) - f.value(r)).abs() < 1e-12, "row {r}");
            for c in 0..2 {
                assert_eq!(e.sign(r, c), f.sign(r, c), "({r}, {c})");
            }
        }
    }

    #[test]
    fn widths_grow_and_shrink_without_changing_values() {
        // Entries near 2^40: products overflow i64 and the dictionary moves up, then back.
        let k = 1i64 << 40;
        let rows = big(&[&[k + 1, 3, k], &[5, k - 1, 7]]);
        let obj = vec![BigInt::zero(); 3];
        let mut e = ExactDict::new(rows, obj, vec![2, 3], vec![0, 1], 4);
        let before = e.clone();
        e.pivot(0, 0);
        assert!(!matches!(e.store, Width::Small(_)));
        e.pivot(0, 0);
        // Pivoting back restores the same basis and the same true entries.
        assert_eq!(e.basis(), before.basis());
        for r in 0..2 {
            assert_eq!(e.exact_value(r), before.exact_value(r));
        }
        assert!(matches!(e.store, Width::Small(_)));
    }
}
