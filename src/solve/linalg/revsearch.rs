//! Lexicographic reverse search: every vertex of a polytope, once each, in memory linear in the
//! dictionary (Avis and Fukuda 1992; Avis 2000, "lrs: a revised implementation of the reverse
//! search vertex enumeration algorithm").
//!
//! The polytope is `{z ≥ 0 : equations of the dictionary}`, started from a feasible basis. Its
//! lexicographic perturbation (variable `k`'s bound moved to `−ε^k`) is simple, and its
//! vertices are the *lexicographically feasible* bases of the original: those whose rows
//! `(b_r, entries in variable order)` are lexicographically positive. The simplex method with
//! Bland's rule and the lexicographic ratio test, minimising the sum of the start's non-basic
//! variables, leads every such basis to the start (the unique optimum of the perturbed
//! problem). Reversing those pivots spans a tree over all of them, walked depth-first with
//! nothing stored but the dictionary and the path of pivots back to the root. A vertex is
//! reported at its *lexicographically minimal* basis only (no degenerate row whose basic
//! variable could be swapped for a smaller non-basic one), which is lexicographically feasible,
//! so every vertex is reported exactly once.
//!
//! The start basis must be lexicographically feasible: [`prepare`] renumbers the variables so
//! the basic ones come first, which makes any feasible basis so, and sets the objective.

use super::dict::{Loc, Pivoting};
use std::cmp::Ordering;
use std::ops::ControlFlow;

/// The objective row's index.
fn obj<D: Pivoting + ?Sized>(d: &D) -> usize {
    d.m()
}

/// The lexicographic minimum-ratio row for the non-basic variable at position `p`, or `None`
/// if no row bounds it (an unbounded ray). `cand` is scratch space.
pub fn lex_min_ratio<D: Pivoting + ?Sized>(
    d: &D,
    p: usize,
    cand: &mut Vec<usize>,
) -> Option<usize> {
    cand.clear();
    cand.extend((0..d.m()).filter(|&r| d.sign(r, p) == Ordering::Greater));
    if cand.len() <= 1 {
        return cand.first().copied();
    }
    keep_min(d, p, d.n_cols(), cand);
    let b = d.basis();
    let mut var = 0;
    while cand.len() > 1 && var < b.loc.len() {
        match b.loc[var] {
            // A basic variable's column is a unit vector: its own row has the larger ratio.
            Loc::Row(rho) => cand.retain(|&r| r != rho),
            Loc::Col(q) => keep_min(d, p, q, cand),
            Loc::Gone => {}
        }
        var += 1;
    }
    cand.first().copied()
}

/// Keeps the candidate rows `r` minimising `a[r][c] / a[r][p]` (all `a[r][p] > 0`).
fn keep_min<D: Pivoting + ?Sized>(d: &D, p: usize, c: usize, cand: &mut Vec<usize>) {
    let mut best = cand[0];
    let mut n = 1;
    for k in 1..cand.len() {
        let r = cand[k];
        // a[r][c]/a[r][p] vs a[best][c]/a[best][p] ⟺ a[r][c]·a[best][p] vs a[best][c]·a[r][p].
        match d.cmp_prod((r, c), (best, p), (best, c), (r, p)) {
            Ordering::Less => {
                best = r;
                cand[0] = r;
                n = 1;
            }
            Ordering::Equal => {
                cand[n] = r;
                n += 1;
            }
            Ordering::Greater => {}
        }
    }
    cand.truncate(n);
}

/// Bland's rule: the smallest non-basic variable whose entry improves the objective, with its
/// lexicographic ratio row, as `(row, position)`. `None` at the optimum; `Some((None, p))` if
/// the improving column is unbounded.
pub fn select_pivot<D: Pivoting + ?Sized>(
    d: &D,
    cand: &mut Vec<usize>,
) -> Option<(Option<usize>, usize)> {
    let b = d.basis();
    let o = obj(d);
    b.loc.iter().find_map(|l| match *l {
        Loc::Col(p) if d.sign(o, p) == Ordering::Greater => Some((lex_min_ratio(d, p, cand), p)),
        _ => None,
    })
}

/// The row `r` such that pivoting the non-basic variable `var` (at position `p`) into `r`
/// moves to a child in the reverse-search tree, if there is one: after the pivot, Bland's
/// rule must choose the variable that left, i.e. it improves and no smaller variable does.
fn reverse<D: Pivoting + ?Sized>(
    d: &D,
    var: usize,
    p: usize,
    cand: &mut Vec<usize>,
) -> Option<usize> {
    let o = obj(d);
    if d.sign(o, p) != Ordering::Less {
        return None;
    }
    let r = lex_min_ratio(d, p, cand)?;
    let b = d.basis();
    let left = b.rows[r];
    for (j, l) in b.loc.iter().enumerate().take(left) {
        let Loc::Col(q) = *l else { continue };
        if j == var {
            continue;
        }
        // After the pivot, entry (o, q) is (a_oq·a_rp − a_op·a_rq)/det; it must not be > 0.
        let (eo, er) = (d.sign(o, q), d.sign(r, q));
        let improves = match (eo, er) {
            // a_op < 0 and a_rp > 0: the sign follows a_oq·a_rp − a_op·a_rq.
            (Ordering::Greater, Ordering::Greater | Ordering::Equal) => true,
            (Ordering::Less | Ordering::Equal, Ordering::Less | Ordering::Equal) => false,
            _ => d.cmp_prod((o, q), (r, p), (o, p), (r, q)) == Ordering::Greater,
        };
        if improves {
            return None;
        }
    }
    Some(r)
}

/// True if the current basis is the lexicographically minimal one of its vertex.
pub fn is_lexmin<D: Pivoting + ?Sized>(d: &D) -> bool {
    let b = d.basis();
    let rhs = d.n_cols();
    (0..d.m()).all(|r| {
        d.sign(r, rhs) != Ordering::Equal
            || b.loc[..b.rows[r]]
                .iter()
                .all(|l| !matches!(*l, Loc::Col(q) if d.sign(r, q) != Ordering::Equal))
    })
}

/// Renumbers the variables so that the current basic ones come first (in row order), then the
/// non-basic ones (in position order), and sets the objective to the sum of the non-basic
/// ones, so that the current basis is the root of the reverse search. Returns the map from
/// new variable numbers to the old ones.
pub fn prepare<D: Pivoting + ?Sized>(d: &mut D) -> Vec<usize> {
    let b = d.basis();
    let old: Vec<usize> = b.rows.iter().chain(&b.cols).copied().collect();
    let mut new_id = vec![usize::MAX; b.loc.len()];
    for (k, &v) in old.iter().enumerate() {
        new_id[v] = k;
    }
    // Removed variables keep numbers after the live ones (they are never looked at).
    let unused = new_id.iter_mut().filter(|id| **id == usize::MAX);
    for (next, id) in (old.len()..).zip(unused) {
        *id = next;
    }
    d.relabel(&new_id);
    // Minimise Σ z_N: in the row `w + Σ coef·z = 0`, coef = −1 (raising z_N raises w).
    d.set_objective(&|_| -1);
    old
}

/// How a search ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    /// Every basis was visited.
    Done,
    /// The visitor asked to stop.
    Stopped,
}

/// Visits every lexicographically feasible basis reachable from the root (the current basis,
/// which must be the optimum of the dictionary's objective, see [`prepare`]), calling
/// `visit(dictionary, lexmin)`. The dictionary is left at the root when the search is done,
/// and where it stopped otherwise.
///
/// The dictionaries on the path from the root are kept (lrs keeps a cache of them too), so
/// going back up costs a swap instead of a pivot; memory is the depth times one dictionary.
pub fn reverse_search<D: Pivoting + Clone>(
    d: &mut D,
    visit: &mut dyn FnMut(&D, bool) -> ControlFlow<()>,
) -> End {
    let mut cand = Vec::with_capacity(d.m());
    // saved[k]: the dictionary at depth k while a descendant is visited; entered[k]: the
    // variable pivoted in to go from depth k to k + 1.
    let mut saved: Vec<D> = Vec::new();
    let mut entered: Vec<usize> = Vec::new();
    if visit(d, is_lexmin(d)).is_break() {
        return End::Stopped;
    }
    let n_vars = d.basis().loc.len();
    let mut next = 0;
    loop {
        let mut child = None;
        for var in next..n_vars {
            if let Loc::Col(p) = d.basis().loc[var] {
                if let Some(r) = reverse(d, var, p, &mut cand) {
                    child = Some((r, p, var));
                    break;
                }
            }
        }
        if let Some((r, p, var)) = child {
            let depth = entered.len();
            if saved.len() == depth {
                saved.push(d.clone());
            } else {
                saved[depth].clone_from(d);
            }
            d.pivot(r, p);
            entered.push(var);
            if visit(d, is_lexmin(d)).is_break() {
                return End::Stopped;
            }
            next = 0;
        } else {
            let Some(var) = entered.pop() else {
                return End::Done;
            };
            std::mem::swap(d, &mut saved[entered.len()]);
            next = var + 1;
        }
    }
}

/// The objective of a dictionary is unbounded below.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unbounded;

/// The simplex method with Bland's rule and the lexicographic ratio test, from a
/// lexicographically feasible basis to the optimum of the dictionary's objective.
pub fn simplex<D: Pivoting>(d: &mut D) -> Result<(), Unbounded> {
    let mut cand = Vec::with_capacity(d.m());
    while let Some((r, p)) = select_pivot(d, &mut cand) {
        d.pivot(r.ok_or(Unbounded)?, p);
    }
    Ok(())
}
