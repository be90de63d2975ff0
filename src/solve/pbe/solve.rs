//! Solving one support's conditions: exactly where they are linear, by certified root
//! isolation where they are not.
//!
//! The equalities are first solved *in stages*: those linear in the unknowns left are solved by
//! exact Gaussian elimination, every unknown they pin down is substituted into the rest, and
//! the process repeats. Conditions that are bilinear at first (a belief weight times a
//! continuation value, both unknown) usually become linear once one side is known, so the
//! typical signalling game is solved exactly. If everything is then linear, the solution set is
//! a polytope ([`Polytope`]): a point, or a continuum described exactly. If not, the remaining
//! system goes to [`super::roots`].

use super::linear::{Lin, Polytope, Rel};
use super::poly::{Poly, Q};
use super::roots;
use super::system::{Condition, What};
use num_traits::{Signed, Zero};

/// The solution set of one support.
#[derive(Clone, Debug)]
pub enum Solved {
    /// A polytope, exact (possibly a single point).
    Linear(Polytope),
    /// Isolated solutions of a nonlinear system, each certified to be the only root in a small
    /// box, given as floating-point points.
    Points(Vec<Vec<f64>>),
    /// A nonlinear system whose solutions could not be isolated (a continuum, or a root on
    /// the boundary of the constraints); the reason.
    Unresolved(String),
}

/// Solves `conditions` in `n` unknowns; `None` if they have no solution.
pub fn solve(n: usize, conditions: &[Condition]) -> Option<Solved> {
    // Mixing probabilities are strictly positive, and so is one minus each (the support's
    // other moves are played): factors `u` and `1 − u` of an equation are divided out first.
    // Left in, they make an equation nonlinear and put roots on the faces `u = 0`, `u = 1`
    // of the search box, where the root search cannot isolate the solutions inside.
    let pos: u64 = conditions
        .iter()
        .filter(|c| c.rel == Rel::Gt && c.what == What::Bound)
        .filter_map(|c| match c.poly.terms.as_slice() {
            [(m, k)] if m.count_ones() == 1 && k.is_positive() => Some(*m),
            _ => None,
        })
        .fold(0, |a, m| a | m);
    let divided: Vec<Condition>;
    let conditions = if pos == 0 {
        conditions
    } else {
        divided = conditions
            .iter()
            .map(|c| match c.rel {
                Rel::Eq => Condition {
                    poly: c.poly.divide_positive(pos),
                    ..c.clone()
                },
                _ => c.clone(),
            })
            .collect();
        &divided
    };
    let mut values = vec![Q::zero(); n];
    let mut known: u64 = 0;
    loop {
        let mut eqs = Vec::new();
        for c in conditions.iter().filter(|c| c.rel == Rel::Eq) {
            let p = c.poly.substitute(known, &values);
            if let Some(k) = p.as_constant() {
                if !k.is_zero() {
                    return None;
                }
                continue;
            }
            if p.degree() <= 1 {
                eqs.push((linear(&p, n), Rel::Eq));
            }
        }
        for (v, val) in values.iter().enumerate() {
            if known & (1 << v) != 0 {
                let mut l = Lin::zero(n);
                l.coef[v] = Q::from_integer(1.into());
                l.constant = -val.clone();
                eqs.push((l, Rel::Eq));
            }
        }
        let poly = Polytope::new(n, &eqs)?;
        let mut new = false;
        for (v, val) in values.iter_mut().enumerate() {
            if known & (1 << v) == 0 && poly.param[v].is_constant() {
                *val = poly.param[v].constant.clone();
                known |= 1 << v;
                new = true;
            }
        }
        if !new {
            break;
        }
    }
    // Quick exit: a violated condition among those fully determined.
    let subst: Vec<(Poly, Rel)> = conditions
        .iter()
        .map(|c| (c.poly.substitute(known, &values), c.rel))
        .collect();
    for (p, r) in &subst {
        if let Some(k) = p.as_constant() {
            let ok = match r {
                Rel::Eq => k.is_zero(),
                Rel::Ge => !k.is_negative(),
                Rel::Gt => k.is_positive(),
            };
            if !ok {
                return None;
            }
        }
    }
    if subst.iter().all(|(p, _)| p.degree() <= 1) {
        let mut cons: Vec<(Lin, Rel)> = subst.iter().map(|(p, r)| (linear(p, n), *r)).collect();
        for (v, val) in values.iter().enumerate() {
            if known & (1 << v) != 0 {
                let mut l = Lin::zero(n);
                l.coef[v] = Q::from_integer(1.into());
                l.constant = -val.clone();
                cons.push((l, Rel::Eq));
            }
        }
        let poly = Polytope::new(n, &cons)?;
        poly.interior_point()?;
        return Some(Solved::Linear(poly));
    }
    roots::solve(n, &subst, known, &values)
}

/// The linear form of a polynomial of degree at most one.
pub fn linear(p: &Poly, n: usize) -> Lin {
    let mut l = Lin::zero(n);
    for (m, c) in &p.terms {
        if *m == 0 {
            l.constant = c.clone();
        } else {
            l.coef[m.trailing_zeros() as usize] = c.clone();
        }
    }
    l
}
