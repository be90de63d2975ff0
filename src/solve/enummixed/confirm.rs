//! Exact confirmation of a vertex pair found in floating point.
//!
//! The floating-point search decides "zero" with a tolerance, so a pair it reports may be a
//! near-miss. A vertex is determined by a basis (the constraints it makes tight by
//! construction), so each pair is recomputed exactly from the bases the search stood at, in
//! rationals, and kept only if the exact points lie in the polytopes and the pair is
//! completely labelled. What is printed is then exact; what the tolerance may have made the
//! search miss is not recovered (the exact variant finds everything).

use crate::exact::Rational;
use num_bigint::BigInt;
use num_traits::{One, Signed, Zero};

/// The exact equilibrium `(x, y)` (unnormalised) with the labels `x_labels` (over `x_i`, then
/// `m + j` for the tight columns of `Bᵀx ≤ 1`) and `y_labels` (over the tight rows of
/// `Ay ≤ 1`, then `m + j` for `y_j = 0`) — tight by construction, more may be — if there is
/// one. `a` and `b` are the positive
/// integer payoff matrices (`m × n`).
pub(super) fn confirm(
    a: &[Vec<BigInt>],
    b: &[Vec<BigInt>],
    x_labels: &[bool],
    y_labels: &[bool],
) -> Option<(Vec<Rational>, Vec<Rational>)> {
    let (m, n) = (a.len(), a[0].len());
    // P = {x ≥ 0 : Bᵀx ≤ 1}: label i is x_i = 0, label m + j is (Bᵀx)_j = 1.
    let bt: Vec<Vec<BigInt>> = (0..n)
        .map(|j| (0..m).map(|i| b[i][j].clone()).collect())
        .collect();
    let x = vertex(&bt, x_labels)?;
    // Q = {y ≥ 0 : Ay ≤ 1}: label i is (Ay)_i = 1, label m + j is y_j = 0. Reorder the labels
    // as `vertex` expects them: coordinates first, then constraints.
    let yl: Vec<bool> = y_labels[m..]
        .iter()
        .chain(&y_labels[..m])
        .copied()
        .collect();
    let y = vertex(a, &yl)?;
    // Completely labelled, exactly: every i has x_i = 0 or (Ay)_i = 1, every j has y_j = 0 or
    // (Bᵀx)_j = 1.
    let ay: Vec<Rational> = a.iter().map(|row| dot(row, &y)).collect();
    let bx: Vec<Rational> = bt.iter().map(|row| dot(row, &x)).collect();
    let one = Rational::one();
    let complete = (0..m).all(|i| x[i].is_zero() || ay[i] == one)
        && (0..n).all(|j| y[j].is_zero() || bx[j] == one);
    (complete && x.iter().any(|v| !v.is_zero()) && y.iter().any(|v| !v.is_zero())).then_some((x, y))
}

fn dot(row: &[BigInt], z: &[Rational]) -> Rational {
    row.iter()
        .zip(z)
        .filter(|(_, v)| !v.is_zero())
        .map(|(c, v)| Rational::from_integer(c.clone()) * v)
        .sum()
}

/// The point of `{z ≥ 0 : M z ≤ 1}` (`M` is `c × d`) where the labelled constraints are tight
/// (`labels[i]` for `z_i = 0`, `labels[d + j]` for `M_j z = 1`), if they determine a single
/// point and it lies in the polytope.
fn vertex(mat: &[Vec<BigInt>], labels: &[bool]) -> Option<Vec<Rational>> {
    let d = mat.first().map_or(0, Vec::len);
    // Equations [coefficients | right-hand side] over rationals.
    let mut eqs: Vec<Vec<Rational>> = Vec::new();
    for i in (0..d).filter(|&i| labels[i]) {
        let mut row = vec![Rational::zero(); d + 1];
        row[i] = Rational::one();
        eqs.push(row);
    }
    for (_, mrow) in mat.iter().enumerate().filter(|(j, _)| labels[d + j]) {
        let mut row: Vec<Rational> = mrow
            .iter()
            .map(|c| Rational::from_integer(c.clone()))
            .collect();
        row.push(Rational::one());
        eqs.push(row);
    }
    let z = solve_unique(eqs, d)?;
    let inside =
        z.iter().all(|v| !v.is_negative()) && mat.iter().all(|row| dot(row, &z) <= Rational::one());
    inside.then_some(z)
}

/// The unique solution of a consistent system of rows `[coefficients | rhs]` in `d` unknowns,
/// by Gauss–Jordan elimination; `None` if it is inconsistent or under-determined.
fn solve_unique(mut eqs: Vec<Vec<Rational>>, d: usize) -> Option<Vec<Rational>> {
    let mut pivot_rows = Vec::with_capacity(d);
    let mut r = 0;
    for c in 0..d {
        let p = (r..eqs.len()).find(|&i| !eqs[i][c].is_zero())?;
        eqs.swap(r, p);
        let inv = eqs[r][c].recip();
        for v in eqs[r].iter_mut() {
            *v *= &inv;
        }
        let pivot = eqs[r].clone();
        for (i, row) in eqs.iter_mut().enumerate() {
            if i != r && !row[c].is_zero() {
                let f = row[c].clone();
                for (v, pv) in row.iter_mut().zip(&pivot) {
                    *v -= &f * pv;
                }
            }
        }
        pivot_rows.push(r);
        r += 1;
    }
    // Rows beyond the pivots must read 0 = 0.
    if eqs[r..].iter().any(|row| !row[d].is_zero()) {
        return None;
    }
    Some((0..d).map(|c| eqs[pivot_rows[c]][d].clone()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ints(rows: &[&[i64]]) -> Vec<Vec<BigInt>> {
        rows.iter()
            .map(|r| r.iter().map(|&v| BigInt::from(v)).collect())
            .collect()
    }

    #[test]
    fn recomputes_a_mixed_equilibrium_and_rejects_a_near_miss() {
        // Battle of the sexes shifted positive: a = [[3,1],[1,2]], b = [[2,1],[1,3]].
        let a = ints(&[&[3, 1], &[1, 2]]);
        let b = ints(&[&[2, 1], &[1, 3]]);
        // The mixed equilibrium: x has both strategies and makes both columns tight.
        let (x, y) = confirm(
            &a,
            &b,
            &[false, false, true, true],
            &[true, true, false, false],
        )
        .expect("the mixed equilibrium");
        let fifth = |n: i64| Rational::new(n.into(), 5.into());
        assert_eq!(x, vec![fifth(2), fifth(1)]);
        assert_eq!(y, vec![fifth(1), fifth(2)]);
        // x = pure row 0 (label 1: x_1 = 0) with column 0 tight, paired with a y claiming both
        // rows tight: no such exact point is complementary.
        assert_eq!(
            confirm(
                &a,
                &b,
                &[false, true, true, false],
                &[true, true, false, false]
            ),
            None
        );
    }
}
