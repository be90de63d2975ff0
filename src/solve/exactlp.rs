//! Exact linear algebra over the rationals: linear systems and small linear programs.
//!
//! The certificate and the exact modes of the LP solvers need answers without rounding:
//! [`solve_linear`] solves a linear system by Gauss–Jordan elimination (free variables of an
//! underdetermined system pinned to given values), and [`maximize`] solves a linear program
//! with the two-phase simplex method under Bland's rule (no cycling), in [`Rational`]s. Both are
//! dense and meant for the small systems of games whose float answers need confirming; a
//! size limit ([`MAX_LP_ENTRIES`]) keeps them from running away on large ones.

use crate::exact::Rational;
use num_traits::{One, Signed, Zero};

/// The largest tableau (rows × columns) [`maximize`] accepts.
pub const MAX_LP_ENTRIES: usize = 60_000;

/// Solves `rows · x = rhs` exactly. Where the system leaves variables free, they take the value
/// in `guess` (which must have one entry per column). `None` if the system is inconsistent.
pub fn solve_linear(
    rows: &[Vec<Rational>],
    rhs: &[Rational],
    guess: &[Rational],
) -> Option<Vec<Rational>> {
    let n = guess.len();
    let m = rows.len();
    if rhs.len() != m || rows.iter().any(|r| r.len() != n) {
        return None;
    }
    // Augmented matrix, reduced to row echelon form.
    let mut a: Vec<Vec<Rational>> = rows
        .iter()
        .zip(rhs)
        .map(|(r, b)| {
            let mut row = r.clone();
            row.push(b.clone());
            row
        })
        .collect();
    let mut pivot_col: Vec<usize> = Vec::new();
    let mut row = 0;
    for col in 0..n {
        if row == m {
            break;
        }
        let Some(p) = (row..m).find(|&i| !a[i][col].is_zero()) else {
            continue;
        };
        a.swap(row, p);
        let inv = a[row][col].recip();
        for v in a[row].iter_mut() {
            *v = &*v * &inv;
        }
        let pivot_row = a[row].clone();
        for (i, r) in a.iter_mut().enumerate() {
            if i != row && !r[col].is_zero() {
                let f = r[col].clone();
                for (k, pk) in pivot_row.iter().enumerate().skip(col) {
                    if !pk.is_zero() {
                        r[k] -= &f * pk;
                    }
                }
            }
        }
        pivot_col.push(col);
        row += 1;
    }
    // Rows without a pivot must read 0 = 0.
    if a[row..].iter().any(|r| !r[n].is_zero()) {
        return None;
    }
    let mut x: Vec<Rational> = guess.to_vec();
    let is_pivot = {
        let mut v = vec![false; n];
        for &c in &pivot_col {
            v[c] = true;
        }
        v
    };
    for (r, &c) in pivot_col.iter().enumerate() {
        let mut v = a[r][n].clone();
        for k in c + 1..n {
            if !is_pivot[k] && !a[r][k].is_zero() {
                v -= &a[r][k] * &x[k];
            }
        }
        x[c] = v;
    }
    Some(x)
}

/// How a constraint relates its left-hand side to its right-hand side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rel {
    /// `≤`
    Le,
    /// `=`
    Eq,
    /// `≥`
    Ge,
}

/// One constraint of an [`Lp`]: sparse left-hand side `(variable, coefficient)`, relation,
/// right-hand side.
pub type Constraint = (Vec<(usize, Rational)>, Rel, Rational);

/// A linear program `max c·x` over variables that are non-negative unless marked free.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Lp {
    /// Number of variables.
    pub n_vars: usize,
    /// Variables without the `x ≥ 0` bound.
    pub free: Vec<bool>,
    /// Constraints.
    pub rows: Vec<Constraint>,
    /// The objective's sparse coefficients.
    pub objective: Vec<(usize, Rational)>,
}

impl Lp {
    /// A program over `n` non-negative variables.
    pub fn new(n: usize) -> Self {
        Lp {
            n_vars: n,
            free: vec![false; n],
            rows: Vec::new(),
            objective: Vec::new(),
        }
    }
}

/// Why [`maximize`] gave no optimum.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LpError {
    /// No point satisfies the constraints.
    #[error("the linear program is infeasible")]
    Infeasible,
    /// The objective is unbounded.
    #[error("the linear program is unbounded")]
    Unbounded,
    /// The tableau would exceed [`MAX_LP_ENTRIES`].
    #[error("the linear program is too large for exact arithmetic ({0} tableau entries)")]
    TooLarge(usize),
}

/// An optimal solution: the variables and the objective value.
#[derive(Clone, Debug, PartialEq)]
pub struct LpSolution {
    /// Optimal values of the variables.
    pub x: Vec<Rational>,
    /// The optimum.
    pub value: Rational,
}

/// Solves `lp` exactly by the two-phase simplex method with Bland's rule.
pub fn maximize(lp: &Lp) -> Result<LpSolution, LpError> {
    // Columns: each variable (free ones split into a positive and a negative part), one slack
    // per inequality, one artificial per row.
    let mut col_of: Vec<(usize, Option<usize>)> = Vec::with_capacity(lp.n_vars);
    let mut n = 0;
    for v in 0..lp.n_vars {
        if lp.free.get(v).copied().unwrap_or(false) {
            col_of.push((n, Some(n + 1)));
            n += 2;
        } else {
            col_of.push((n, None));
            n += 1;
        }
    }
    let m = lp.rows.len();
    let n_slack = lp.rows.iter().filter(|r| r.1 != Rel::Eq).count();
    let width = n + n_slack + m + 1;
    let entries = (m + 2).saturating_mul(width);
    if entries > MAX_LP_ENTRIES {
        return Err(LpError::TooLarge(entries));
    }
    let rhs_col = width - 1;
    let art0 = n + n_slack;
    let mut t: Vec<Vec<Rational>> = vec![vec![Rational::zero(); width]; m];
    let mut basis = vec![0usize; m];
    let mut slack = n;
    for (i, (lhs, rel, b)) in lp.rows.iter().enumerate() {
        for (v, a) in lhs {
            let (pos, neg) = col_of[*v];
            t[i][pos] += a;
            if let Some(neg) = neg {
                t[i][neg] -= a;
            }
        }
        match rel {
            Rel::Le => {
                t[i][slack] = Rational::one();
                slack += 1;
            }
            Rel::Ge => {
                t[i][slack] = -Rational::one();
                slack += 1;
            }
            Rel::Eq => {}
        }
        t[i][rhs_col] = b.clone();
        if b.is_negative() {
            for v in t[i].iter_mut() {
                *v = -&*v;
            }
        }
        t[i][art0 + i] = Rational::one();
        basis[i] = art0 + i;
    }
    // Phase 1: minimise the artificials, i.e. maximise −Σ artificials.
    let mut obj = vec![Rational::zero(); width];
    for row in &t {
        for (k, v) in row.iter().enumerate().take(art0) {
            obj[k] += v;
        }
        obj[rhs_col] += &row[rhs_col];
    }
    // `obj` holds reduced costs with the convention: entering columns have positive entries.
    simplex(&mut t, &mut basis, &mut obj, art0)?;
    if obj[rhs_col].is_positive() {
        return Err(LpError::Infeasible);
    }
    // Drive artificials out of the basis where possible (degenerate rows at zero).
    for i in 0..m {
        if basis[i] >= art0 {
            if let Some(k) = (0..art0).find(|&k| !t[i][k].is_zero()) {
                pivot(&mut t, &mut basis, &mut obj, i, k);
            }
        }
    }
    // Phase 2: the real objective, artificial columns barred from entering.
    let mut obj = vec![Rational::zero(); width];
    for (v, c) in &lp.objective {
        let (pos, neg) = col_of[*v];
        obj[pos] += c;
        if let Some(neg) = neg {
            obj[neg] -= c;
        }
    }
    for i in 0..m {
        let b = basis[i];
        if !obj[b].is_zero() {
            let f = obj[b].clone();
            for k in 0..width {
                if !t[i][k].is_zero() {
                    let d = &f * &t[i][k];
                    obj[k] -= d;
                }
            }
        }
    }
    simplex(&mut t, &mut basis, &mut obj, art0)?;
    let mut cols = vec![Rational::zero(); width];
    for i in 0..m {
        cols[basis[i]] = t[i][rhs_col].clone();
    }
    let x = col_of
        .iter()
        .map(|&(pos, neg)| match neg {
            Some(neg) => &cols[pos] - &cols[neg],
            None => cols[pos].clone(),
        })
        .collect();
    Ok(LpSolution {
        x,
        value: -obj[rhs_col].clone(),
    })
}

/// Pivots until no column below `limit` has a positive reduced cost (Bland's rule: the lowest
/// such column enters, the lowest-indexed basic variable among the minimum ratios leaves).
fn simplex(
    t: &mut [Vec<Rational>],
    basis: &mut [usize],
    obj: &mut [Rational],
    limit: usize,
) -> Result<(), LpError> {
    let rhs = obj.len() - 1;
    loop {
        let Some(enter) = (0..limit).find(|&k| obj[k].is_positive()) else {
            return Ok(());
        };
        let mut best: Option<(usize, Rational)> = None;
        for i in 0..t.len() {
            if t[i][enter].is_positive() {
                let ratio = &t[i][rhs] / &t[i][enter];
                let better = match &best {
                    None => true,
                    Some((bi, br)) => ratio < *br || (ratio == *br && basis[i] < basis[*bi]),
                };
                if better {
                    best = Some((i, ratio));
                }
            }
        }
        let Some((row, _)) = best else {
            return Err(LpError::Unbounded);
        };
        pivot(t, basis, obj, row, enter);
    }
}

fn pivot(
    t: &mut [Vec<Rational>],
    basis: &mut [usize],
    obj: &mut [Rational],
    row: usize,
    col: usize,
) {
    let inv = t[row][col].recip();
    for v in t[row].iter_mut() {
        if !v.is_zero() {
            *v = &*v * &inv;
        }
    }
    let pivot_row = t[row].clone();
    let nz: Vec<usize> = (0..pivot_row.len())
        .filter(|&k| !pivot_row[k].is_zero())
        .collect();
    for (i, r) in t.iter_mut().enumerate() {
        if i != row && !r[col].is_zero() {
            let f = r[col].clone();
            for &k in &nz {
                let d = &f * &pivot_row[k];
                r[k] -= d;
            }
        }
    }
    if !obj[col].is_zero() {
        let f = obj[col].clone();
        for &k in &nz {
            let d = &f * &pivot_row[k];
            obj[k] -= d;
        }
    }
    basis[row] = col;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(n: i64) -> Rational {
        Rational::from_integer(n.into())
    }

    #[test]
    fn linear_system_with_a_free_variable() {
        // x + y = 1; one equation, two unknowns: y takes its guess 1/3.
        let rows = vec![vec![q(1), q(1)]];
        let x = solve_linear(&rows, &[q(1)], &[q(0), q(1) / q(3)]).unwrap();
        assert_eq!(x, vec![q(2) / q(3), q(1) / q(3)]);
        // Inconsistent: x = 1 and x = 2.
        assert!(solve_linear(&[vec![q(1)], vec![q(1)]], &[q(1), q(2)], &[q(0)]).is_none());
    }

    #[test]
    fn matching_pennies_maximin() {
        // max v s.t. x1 - x2 >= v, -x1 + x2 >= v, x1 + x2 = 1, v free: x = (1/2, 1/2), v = 0.
        let mut lp = Lp::new(3);
        lp.free[2] = true;
        lp.rows
            .push((vec![(0, q(1)), (1, q(-1)), (2, q(-1))], Rel::Ge, q(0)));
        lp.rows
            .push((vec![(0, q(-1)), (1, q(1)), (2, q(-1))], Rel::Ge, q(0)));
        lp.rows.push((vec![(0, q(1)), (1, q(1))], Rel::Eq, q(1)));
        lp.objective.push((2, q(1)));
        let s = maximize(&lp).unwrap();
        assert_eq!(s.value, q(0));
        assert_eq!(s.x[0], q(1) / q(2));
        assert_eq!(s.x[1], q(1) / q(2));
    }

    #[test]
    fn infeasible_and_unbounded() {
        let mut lp = Lp::new(1);
        lp.rows.push((vec![(0, q(1))], Rel::Le, q(-1)));
        assert_eq!(maximize(&lp), Err(LpError::Infeasible));
        let mut lp = Lp::new(1);
        lp.objective.push((0, q(1)));
        assert_eq!(maximize(&lp), Err(LpError::Unbounded));
    }
}
