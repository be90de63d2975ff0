//! Exact solution of a linear support system.
//!
//! When no equation has a term with two unknowns (two players; or all but one of the mixing
//! players' opponents play pure strategies) the support system is linear, and Gaussian
//! elimination over the rationals decides it exactly: one solution, none, or an affine family
//! (a continuum of candidate equilibria) whose dimension is reported.

use super::poly::System;
use crate::exact::Rational;
use num_traits::{One, Zero};

/// The solution set of a linear system.
#[derive(Clone, Debug, PartialEq)]
pub enum Linear {
    /// Exactly one solution.
    Unique(Vec<Rational>),
    /// No solution.
    None,
    /// An affine family of this dimension; `point` is one member (free variables at zero).
    Family {
        /// Dimension of the solution set.
        dim: usize,
        /// One solution.
        point: Vec<Rational>,
    },
}

/// Solves `sys` (every equation of degree at most one) exactly.
pub fn solve(sys: &System) -> Linear {
    let n = sys.n_vars;
    let m = sys.eqs.len();
    // Augmented matrix [A | −c].
    let mut a: Vec<Vec<Rational>> = vec![vec![Rational::zero(); n + 1]; m];
    for (r, p) in sys.eqs.iter().enumerate() {
        for t in &p.terms {
            match t.vars.as_slice() {
                [] => a[r][n] -= &t.coef,
                [v] => a[r][*v as usize] += &t.coef,
                _ => unreachable!("solve() is only called on linear systems"),
            }
        }
    }
    let mut pivots = Vec::new();
    let mut row = 0;
    for col in 0..n {
        let Some(p) = (row..m).find(|&r| !a[r][col].is_zero()) else {
            continue;
        };
        a.swap(row, p);
        let inv = Rational::one() / &a[row][col];
        for v in a[row][col..].iter_mut() {
            *v = &*v * &inv;
        }
        let pivot_row = a[row].clone();
        for (r, line) in a.iter_mut().enumerate() {
            if r != row && !line[col].is_zero() {
                let f = line[col].clone();
                for (v, p) in line[col..].iter_mut().zip(&pivot_row[col..]) {
                    *v -= &f * p;
                }
            }
        }
        pivots.push(col);
        row += 1;
        if row == m {
            break;
        }
    }
    if a[row..].iter().any(|r| !r[n].is_zero()) {
        return Linear::None;
    }
    let mut x = vec![Rational::zero(); n];
    for (r, &c) in pivots.iter().enumerate() {
        x[c] = a[r][n].clone();
    }
    if pivots.len() == n {
        Linear::Unique(x)
    } else {
        Linear::Family {
            dim: n - pivots.len(),
            point: x,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::enumpoly::poly::Poly;

    fn q(n: i64) -> Rational {
        Rational::from_integer(n.into())
    }

    #[test]
    fn unique_none_and_family() {
        // x + y = 1, x − y = 1/2.
        let mut p = Poly::default();
        p.add_term(q(1), vec![0]);
        p.add_term(q(1), vec![1]);
        p.add_term(q(-1), vec![]);
        let mut r = Poly::default();
        r.add_term(q(1), vec![0]);
        r.add_term(q(-1), vec![1]);
        r.add_term(Rational::new((-1).into(), 2.into()), vec![]);
        let sys = System {
            eqs: vec![p.clone(), r],
            n_vars: 2,
            bounds: vec![(0.0, 1.0); 2],
        };
        assert_eq!(
            solve(&sys),
            Linear::Unique(vec![
                Rational::new(3.into(), 4.into()),
                Rational::new(1.into(), 4.into())
            ])
        );
        // x + y = 1 twice: a line.
        let fam = System {
            eqs: vec![p.clone(), p.clone()],
            n_vars: 2,
            bounds: vec![(0.0, 1.0); 2],
        };
        assert!(matches!(solve(&fam), Linear::Family { dim: 1, .. }));
        // x + y = 1 and x + y = 2: nothing.
        let mut s = Poly::default();
        s.add_term(q(1), vec![0]);
        s.add_term(q(1), vec![1]);
        s.add_term(q(-2), vec![]);
        let none = System {
            eqs: vec![p, s],
            n_vars: 2,
            bounds: vec![(0.0, 1.0); 2],
        };
        assert_eq!(solve(&none), Linear::None);
    }
}
