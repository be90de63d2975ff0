//! Exact linear algebra for equilibrium conditions that are linear in their unknowns: Gaussian
//! elimination of the equalities, and a small exact simplex for the inequalities (is the set of
//! solutions empty, does it have a point where the strict inequalities hold, how far does each
//! unknown range).
//!
//! The systems are tiny (a handful of unknowns and a few dozen constraints), so a dense tableau
//! over exact rationals with Bland's rule is fast enough and never cycles; no tolerance is used
//! anywhere, so a tie at a boundary is decided exactly.

use super::poly::Q;
use num_traits::{One, Signed, Zero};

/// A linear form `Σ coef[v]·z_v + constant`.
#[derive(Clone, Debug, PartialEq)]
pub struct Lin {
    /// One coefficient per unknown.
    pub coef: Vec<Q>,
    /// The constant.
    pub constant: Q,
}

impl Lin {
    /// The zero form in `n` unknowns.
    pub fn zero(n: usize) -> Lin {
        Lin {
            coef: vec![Q::zero(); n],
            constant: Q::zero(),
        }
    }

    /// True if every coefficient is zero.
    pub fn is_constant(&self) -> bool {
        self.coef.iter().all(Zero::is_zero)
    }

    /// Value at a point.
    pub fn eval(&self, z: &[Q]) -> Q {
        let mut s = self.constant.clone();
        for (c, x) in self.coef.iter().zip(z) {
            if !c.is_zero() {
                s += c * x;
            }
        }
        s
    }

    /// `self + k·other`.
    pub fn add_scaled(&self, other: &Lin, k: &Q) -> Lin {
        Lin {
            coef: self
                .coef
                .iter()
                .zip(&other.coef)
                .map(|(a, b)| a + b * k)
                .collect(),
            constant: &self.constant + &other.constant * k,
        }
    }
}

/// How a linear form is constrained.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rel {
    /// `= 0`.
    Eq,
    /// `≥ 0`.
    Ge,
    /// `> 0`.
    Gt,
}

/// The result of a linear program.
#[derive(Clone, Debug, PartialEq)]
pub enum Lp {
    /// No point satisfies the constraints.
    Infeasible,
    /// The objective grows without bound.
    Unbounded,
    /// The optimum and a point attaining it.
    Optimal {
        /// The optimal value.
        value: Q,
        /// A point attaining it.
        x: Vec<Q>,
    },
}

/// Maximises `c·x` subject to `a·x ≤ b`, with `x` free (any sign).
pub fn maximize(c: &[Q], a: &[Vec<Q>], b: &[Q]) -> Lp {
    let n = c.len();
    let m = a.len();
    // Columns: x⁺ (n), x⁻ (n), slacks (m), artificials (one per row with b < 0).
    let neg_rows: Vec<usize> = (0..m).filter(|&r| b[r].is_negative()).collect();
    let n_art = neg_rows.len();
    let cols = 2 * n + m + n_art;
    let mut t: Vec<Vec<Q>> = Vec::with_capacity(m);
    let mut basis = vec![0usize; m];
    let mut art_k = 0;
    for r in 0..m {
        let mut row = vec![Q::zero(); cols + 1];
        let sign = if b[r].is_negative() {
            -Q::one()
        } else {
            Q::one()
        };
        for j in 0..n {
            row[j] = &a[r][j] * &sign;
            row[n + j] = -&row[j];
        }
        row[2 * n + r] = sign.clone();
        row[cols] = &b[r] * &sign;
        if b[r].is_negative() {
            let col = 2 * n + m + art_k;
            row[col] = Q::one();
            basis[r] = col;
            art_k += 1;
        } else {
            basis[r] = 2 * n + r;
        }
        t.push(row);
    }
    let mut tab = Tableau { t, basis, cols };
    if n_art > 0 {
        // Phase 1: maximise −Σ artificials.
        let mut obj = vec![Q::zero(); cols];
        for k in 0..n_art {
            obj[2 * n + m + k] = -Q::one();
        }
        match tab.run(&obj) {
            Some(v) if v.is_zero() => {}
            _ => return Lp::Infeasible,
        }
        // Drive zero-level artificials out of the basis; drop rows that are redundant.
        let mut r = 0;
        while r < tab.t.len() {
            if tab.basis[r] >= 2 * n + m {
                match (0..2 * n + m).find(|&j| !tab.t[r][j].is_zero()) {
                    Some(j) => tab.pivot(r, j),
                    None => {
                        tab.t.remove(r);
                        tab.basis.remove(r);
                        continue;
                    }
                }
            }
            r += 1;
        }
        // Forget the artificial columns.
        let keep = 2 * n + m;
        for row in &mut tab.t {
            let rhs = row[cols].clone();
            row.truncate(keep);
            row.push(rhs);
        }
        tab.cols = keep;
    }
    let mut obj = vec![Q::zero(); tab.cols];
    for j in 0..n {
        obj[j] = c[j].clone();
        obj[n + j] = -&c[j];
    }
    match tab.run(&obj) {
        None => Lp::Unbounded,
        Some(value) => {
            let mut x = vec![Q::zero(); n];
            for (r, &bcol) in tab.basis.iter().enumerate() {
                let v = &tab.t[r][tab.cols];
                if bcol < n {
                    x[bcol] += v;
                } else if bcol < 2 * n {
                    x[bcol - n] -= v;
                }
            }
            Lp::Optimal { value, x }
        }
    }
}

struct Tableau {
    t: Vec<Vec<Q>>,
    basis: Vec<usize>,
    cols: usize,
}

impl Tableau {
    fn pivot(&mut self, r: usize, j: usize) {
        let p = self.t[r][j].clone();
        for x in self.t[r].iter_mut() {
            *x = &*x / &p;
        }
        let prow = self.t[r].clone();
        for (i, row) in self.t.iter_mut().enumerate() {
            if i == r || row[j].is_zero() {
                continue;
            }
            let f = row[j].clone();
            for (x, y) in row.iter_mut().zip(&prow) {
                if !y.is_zero() {
                    *x -= &f * y;
                }
            }
        }
        self.basis[r] = j;
    }

    /// Maximises `obj·x` from the current basic feasible solution (Bland's rule). Returns the
    /// optimum, or `None` if unbounded.
    fn run(&mut self, obj: &[Q]) -> Option<Q> {
        loop {
            // Reduced costs d_j = obj_j − Σ_r obj_{basis r} t_rj.
            let mut entering = None;
            for j in 0..self.cols {
                if self.basis.contains(&j) {
                    continue;
                }
                let mut d = obj[j].clone();
                for (r, &bc) in self.basis.iter().enumerate() {
                    if !obj[bc].is_zero() && !self.t[r][j].is_zero() {
                        d -= &obj[bc] * &self.t[r][j];
                    }
                }
                if d.is_positive() {
                    entering = Some(j);
                    break;
                }
            }
            let Some(j) = entering else {
                let mut v = Q::zero();
                for (r, &bc) in self.basis.iter().enumerate() {
                    if !obj[bc].is_zero() {
                        v += &obj[bc] * &self.t[r][self.cols];
                    }
                }
                return Some(v);
            };
            let mut leave: Option<(usize, Q)> = None;
            for r in 0..self.t.len() {
                if self.t[r][j].is_positive() {
                    let ratio = &self.t[r][self.cols] / &self.t[r][j];
                    let better = match &leave {
                        None => true,
                        Some((lr, lv)) => {
                            ratio < *lv || (ratio == *lv && self.basis[r] < self.basis[*lr])
                        }
                    };
                    if better {
                        leave = Some((r, ratio));
                    }
                }
            }
            let (r, _) = leave?;
            self.pivot(r, j);
        }
    }
}

/// A set `{z : forms[k] rel[k] 0}` in `n` unknowns, with the equalities solved.
#[derive(Clone, Debug)]
pub struct Polytope {
    /// Number of unknowns.
    pub n: usize,
    /// Unknowns left free by the equalities.
    pub free: Vec<usize>,
    /// Every unknown as an affine form of the free ones (in the original coordinates: a free
    /// unknown maps to itself).
    pub param: Vec<Lin>,
    /// The inequalities, in terms of the free unknowns (coefficients on bound unknowns are 0).
    pub ineq: Vec<(Lin, Rel)>,
}

impl Polytope {
    /// Solves the equalities by Gaussian elimination; `None` if they are inconsistent.
    pub fn new(n: usize, constraints: &[(Lin, Rel)]) -> Option<Polytope> {
        let mut eqs: Vec<Lin> = constraints
            .iter()
            .filter(|(_, r)| *r == Rel::Eq)
            .map(|(l, _)| l.clone())
            .collect();
        // Row reduction: pivot[v] = index of the equation solved for v.
        let mut pivots: Vec<(usize, Lin)> = Vec::new();
        while let Some(e) = eqs.pop() {
            let Some(v) = (0..n).find(|&v| !e.coef[v].is_zero()) else {
                if e.constant.is_zero() {
                    continue;
                }
                return None;
            };
            // v = −(Σ_{u≠v} c_u z_u + k) / c_v
            let cv = e.coef[v].clone();
            let mut sol = Lin::zero(n);
            for u in 0..n {
                if u != v && !e.coef[u].is_zero() {
                    sol.coef[u] = -&e.coef[u] / &cv;
                }
            }
            sol.constant = -&e.constant / &cv;
            // Eliminate v from the remaining equations and earlier solutions.
            for other in eqs.iter_mut() {
                if !other.coef[v].is_zero() {
                    let k = other.coef[v].clone();
                    let mut o = other.add_scaled(&sol, &k);
                    o.coef[v] = Q::zero();
                    *other = o;
                }
            }
            for (_, s) in pivots.iter_mut() {
                if !s.coef[v].is_zero() {
                    let k = s.coef[v].clone();
                    let mut o = s.add_scaled(&sol, &k);
                    o.coef[v] = Q::zero();
                    *s = o;
                }
            }
            pivots.push((v, sol));
        }
        let mut param: Vec<Lin> = (0..n)
            .map(|v| {
                let mut l = Lin::zero(n);
                l.coef[v] = Q::one();
                l
            })
            .collect();
        for (v, s) in &pivots {
            param[*v] = s.clone();
        }
        let free: Vec<usize> = (0..n)
            .filter(|v| !pivots.iter().any(|(p, _)| p == v))
            .collect();
        let ineq = constraints
            .iter()
            .filter(|(_, r)| *r != Rel::Eq)
            .map(|(l, r)| (compose(l, &param), *r))
            .collect();
        Some(Polytope {
            n,
            free,
            param,
            ineq,
        })
    }

    /// The free-unknown rows `A y ≤ b` of the closure (`form ≥ 0` becomes `−form ≤ const`),
    /// with an extra column for a slack `t` on the strict rows when `slack` is set.
    fn rows(&self, slack: bool) -> (Vec<Vec<Q>>, Vec<Q>) {
        let k = self.free.len() + usize::from(slack);
        let mut a = Vec::new();
        let mut b = Vec::new();
        for (l, r) in &self.ineq {
            let mut row: Vec<Q> = self.free.iter().map(|&v| -&l.coef[v]).collect();
            if slack {
                row.push(if *r == Rel::Gt { Q::one() } else { Q::zero() });
            }
            debug_assert_eq!(row.len(), k);
            a.push(row);
            b.push(l.constant.clone());
        }
        if slack {
            let mut row = vec![Q::zero(); k];
            row[k - 1] = Q::one();
            a.push(row);
            b.push(Q::one());
        }
        (a, b)
    }

    /// One free unknown: its interval `[lo, hi]` with strictness flags (`None` = unbounded), or
    /// `Err` if a constant inequality fails.
    #[allow(clippy::type_complexity)]
    fn interval(&self) -> Result<(Option<(Q, bool)>, Option<(Q, bool)>), ()> {
        let v = self.free[0];
        let mut lo: Option<(Q, bool)> = None;
        let mut hi: Option<(Q, bool)> = None;
        for (l, r) in &self.ineq {
            let c = &l.coef[v];
            let strict = *r == Rel::Gt;
            if c.is_zero() {
                let ok = if strict {
                    l.constant.is_positive()
                } else {
                    !l.constant.is_negative()
                };
                if !ok {
                    return Err(());
                }
                continue;
            }
            let b = -&l.constant / c;
            if c.is_positive() {
                let tighter = match &lo {
                    None => true,
                    Some((x, sx)) => b > *x || (b == *x && strict && !sx),
                };
                if tighter {
                    lo = Some((b, strict));
                }
            } else {
                let tighter = match &hi {
                    None => true,
                    Some((x, sx)) => b < *x || (b == *x && strict && !sx),
                };
                if tighter {
                    hi = Some((b, strict));
                }
            }
        }
        Ok((lo, hi))
    }

    /// A point where every strict inequality holds, as deep inside them as possible (the
    /// slack is maximised); `None` if there is none.
    pub fn interior_point(&self) -> Option<Vec<Q>> {
        if self.free.len() == 1 {
            let (lo, hi) = self.interval().ok()?;
            let y = match (lo, hi) {
                (Some((a, sa)), Some((b, sb))) => {
                    if a > b || (a == b && (sa || sb)) {
                        return None;
                    }
                    (a + b) / Q::from_integer(2.into())
                }
                (Some((a, _)), None) => a + Q::one(),
                (None, Some((b, _))) => b - Q::one(),
                (None, None) => Q::zero(),
            };
            return Some(self.expand(&[y]));
        }
        if self.free.is_empty() {
            // A single point: the inequalities are constants.
            let ok = self.ineq.iter().all(|(l, r)| match r {
                Rel::Gt => l.constant.is_positive(),
                _ => !l.constant.is_negative(),
            });
            return ok.then(|| self.expand(&[]));
        }
        let (a, b) = self.rows(true);
        let k = self.free.len();
        let mut c = vec![Q::zero(); k + 1];
        c[k] = Q::one();
        match maximize(&c, &a, &b) {
            Lp::Optimal { value, x } => {
                let strict = self.ineq.iter().any(|(_, r)| *r == Rel::Gt);
                if strict && !value.is_positive() {
                    return None;
                }
                Some(self.expand(&x[..k]))
            }
            Lp::Unbounded => {
                // The slack is capped at 1, so only the free part can be unbounded; a
                // feasible point still exists. Find one with a zero objective.
                let c0 = vec![Q::zero(); k + 1];
                match maximize(&c0, &a, &b) {
                    Lp::Optimal { x, .. } => Some(self.expand(&x[..k])),
                    _ => None,
                }
            }
            Lp::Infeasible => None,
        }
    }

    /// True if the closure (strict inequalities relaxed) has a point.
    pub fn closure_nonempty(&self) -> bool {
        if self.free.is_empty() {
            return self.ineq.iter().all(|(l, _)| !l.constant.is_negative());
        }
        if self.free.len() == 1 {
            return match self.relaxed().interval() {
                Ok((Some((a, _)), Some((b, _)))) => a <= b,
                Ok(_) => true,
                Err(()) => false,
            };
        }
        let (a, b) = self.rows(false);
        let c = vec![Q::zero(); self.free.len()];
        !matches!(maximize(&c, &a, &b), Lp::Infeasible)
    }

    /// The full vector of unknowns at free values `y`.
    pub fn expand(&self, y: &[Q]) -> Vec<Q> {
        let mut z = vec![Q::zero(); self.n];
        for (i, &v) in self.free.iter().enumerate() {
            z[v] = y[i].clone();
        }
        self.param.iter().map(|l| l.eval(&z)).collect()
    }

    /// Minimum and maximum of a form over the closure (`None` for an unbounded side).
    pub fn range(&self, form: &Lin) -> (Option<Q>, Option<Q>) {
        let f = compose(form, &self.param);
        if self.free.iter().all(|&v| f.coef[v].is_zero()) {
            return (Some(f.constant.clone()), Some(f.constant));
        }
        if self.free.len() == 1 {
            let c = &f.coef[self.free[0]];
            let Ok((lo, hi)) = self.relaxed().interval() else {
                return (None, None);
            };
            let at = |y: Option<(Q, bool)>| y.map(|(y, _)| c * &y + &f.constant);
            return if c.is_positive() {
                (at(lo), at(hi))
            } else {
                (at(hi), at(lo))
            };
        }
        let (a, b) = self.rows(false);
        let c: Vec<Q> = self.free.iter().map(|&v| f.coef[v].clone()).collect();
        let neg: Vec<Q> = c.iter().map(|x| -x).collect();
        let hi = match maximize(&c, &a, &b) {
            Lp::Optimal { value, .. } => Some(value + &f.constant),
            _ => None,
        };
        let lo = match maximize(&neg, &a, &b) {
            Lp::Optimal { value, .. } => Some(-value + &f.constant),
            _ => None,
        };
        (lo, hi)
    }

    /// The closure: strict inequalities made weak.
    fn relaxed(&self) -> Polytope {
        let mut p = self.clone();
        for (_, r) in p.ineq.iter_mut() {
            if *r == Rel::Gt {
                *r = Rel::Ge;
            }
        }
        p
    }

    /// Adds constraints (in the original unknowns).
    pub fn with(&self, more: &[(Lin, Rel)]) -> Option<Polytope> {
        let mut all: Vec<(Lin, Rel)> = self
            .param
            .iter()
            .enumerate()
            .filter(|(v, _)| !self.free.contains(v))
            .map(|(v, l)| {
                let mut e = l.clone();
                e.coef[v] -= Q::one();
                (e, Rel::Eq)
            })
            .collect();
        all.extend(self.ineq.iter().cloned());
        all.extend(more.iter().cloned());
        Polytope::new(self.n, &all)
    }

    /// The inequalities of the closure with the redundant ones removed (each remaining one is
    /// not implied by the others).
    pub fn facets(&self) -> Vec<Lin> {
        let mut keep: Vec<Lin> = self
            .ineq
            .iter()
            .filter(|(l, _)| !self.free.iter().all(|&v| l.coef[v].is_zero()))
            .map(|(l, _)| l.clone())
            .collect();
        let mut i = 0;
        while i < keep.len() {
            let others: Vec<Lin> = keep
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, l)| l.clone())
                .collect();
            let mut a = Vec::new();
            let mut b = Vec::new();
            for l in &others {
                a.push(self.free.iter().map(|&v| -&l.coef[v]).collect::<Vec<_>>());
                b.push(l.constant.clone());
            }
            // Minimise keep[i] over the others: implied if the minimum is ≥ 0.
            let neg: Vec<Q> = self.free.iter().map(|&v| -&keep[i].coef[v]).collect();
            let implied = match maximize(&neg, &a, &b) {
                Lp::Optimal { value, .. } => !(-value + &keep[i].constant).is_negative(),
                _ => false,
            };
            if implied {
                keep.remove(i);
            } else {
                i += 1;
            }
        }
        keep
    }
}

/// `form` with every unknown replaced by its affine expression.
fn compose(form: &Lin, param: &[Lin]) -> Lin {
    let n = form.coef.len();
    let mut out = Lin::zero(n);
    out.constant = form.constant.clone();
    for (v, c) in form.coef.iter().enumerate() {
        if !c.is_zero() {
            out = out.add_scaled(&param[v], c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(n: i64, d: i64) -> Q {
        Q::from_big(crate::exact::Rational::new(n.into(), d.into()))
    }

    fn lin(coef: &[i64], c: i64) -> Lin {
        Lin {
            coef: coef.iter().map(|&x| q(x, 1)).collect(),
            constant: q(c, 1),
        }
    }

    #[test]
    fn simplex_finds_the_optimum_exactly() {
        // max x + y s.t. x + 2y ≤ 4, 3x + y ≤ 6, x ≥ 0, y ≥ 0 → (8/5, 6/5), value 14/5.
        let a = vec![
            vec![q(1, 1), q(2, 1)],
            vec![q(3, 1), q(1, 1)],
            vec![q(-1, 1), q(0, 1)],
            vec![q(0, 1), q(-1, 1)],
        ];
        let b = vec![q(4, 1), q(6, 1), q(0, 1), q(0, 1)];
        match maximize(&[q(1, 1), q(1, 1)], &a, &b) {
            Lp::Optimal { value, x } => {
                assert_eq!(value, q(14, 5));
                assert_eq!(x, vec![q(8, 5), q(6, 5)]);
            }
            other => panic!("{other:?}"),
        }
        // x ≥ 1 and x ≤ 0: infeasible (needs phase 1).
        let a = vec![vec![q(-1, 1)], vec![q(1, 1)]];
        assert_eq!(
            maximize(&[q(1, 1)], &a, &[q(-1, 1), q(0, 1)]),
            Lp::Infeasible
        );
        assert_eq!(
            maximize(&[q(1, 1)], &[vec![q(-1, 1)]], &[q(0, 1)]),
            Lp::Unbounded
        );
    }

    #[test]
    fn polytope_ranges_and_strictness() {
        // z0 + z1 = 1, z0 ≥ 1/3·(3) i.e. 3 z0 − 1 ≥ 0, z1 > 0.
        let cons = vec![
            (lin(&[1, 1], -1), Rel::Eq),
            (lin(&[3, 0], -1), Rel::Ge),
            (lin(&[0, 1], 0), Rel::Gt),
        ];
        let p = Polytope::new(2, &cons).unwrap();
        assert_eq!(p.free.len(), 1);
        let (lo, hi) = p.range(&lin(&[1, 0], 0));
        assert_eq!((lo, hi), (Some(q(1, 3)), Some(q(1, 1))));
        let z = p.interior_point().unwrap();
        assert!(z[1] > q(0, 1));
        // Strictly positive z1 impossible when z0 = 1 is forced.
        let p2 = p.with(&[(lin(&[1, 0], -1), Rel::Eq)]).unwrap();
        assert!(p2.interior_point().is_none());
        assert!(p2.closure_nonempty());
        // Inconsistent equalities.
        assert!(Polytope::new(1, &[(lin(&[0], 1), Rel::Eq)]).is_none());
        assert_eq!(p.facets().len(), 2);
    }
}
