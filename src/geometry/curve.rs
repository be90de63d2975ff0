//! Regions bounded by polynomial curves, drawn as polylines through computed boundary points.
//!
//! Where a region's conditions are polynomial but not linear in the two mapped parameters
//! (`p_Def·(1 − k²) ≥ 1 − s`), no polygon describes it. It is sliced instead: at each of many
//! values of `x`, every condition becomes a polynomial in `y` whose real roots in the map's
//! range are isolated exactly (Sturm sequences, [`crate::regime::sturm`]) and narrowed far
//! below a pixel; between consecutive roots the conditions' signs are constant, so the
//! region's intersection with the vertical line is a union of intervals with those roots for
//! ends. Consecutive slices with as many intervals are joined into bands whose upper and
//! lower edges are polylines through the roots — smooth at any zoom, no staircase — and the
//! region's area is the bands' area (the trapezoid rule between slices: its error shrinks with
//! the square of the slice width, stated by the caller).

use super::partition::Rect;
use crate::exact::{self, Rational};
use crate::regime::spoly::SPoly;
use crate::regime::sturm::{eval, roots_in};
use num_traits::{Signed, Zero};

/// A region sliced along `x`: its closed rings (vertices in parameter units) and its area.
#[derive(Clone, Debug, PartialEq)]
pub struct Sliced {
    /// Rings to fill (bands between slices).
    pub rings: Vec<Vec<(f64, f64)>>,
    /// The bands' total area, in parameter units.
    pub area: f64,
}

/// The intervals of `y ∈ [y0, y1]` where every condition `c ≥ 0` holds (`c` a polynomial in
/// `y` alone, coefficients ascending), ends as decimals.
pub fn intervals(conds: &[Vec<Rational>], y0: &Rational, y1: &Rational) -> Vec<(f64, f64)> {
    let width = (y1 - y0) / Rational::from_integer((1u64 << 30).into());
    let mut cuts: Vec<(Rational, f64)> = vec![(y0.clone(), exact::to_f64(y0))];
    for c in conds {
        if c.iter().skip(1).all(Zero::is_zero) {
            continue;
        }
        for r in roots_in(c, y0, y1, &width) {
            cuts.push((r.lo.clone(), r.approx()));
        }
    }
    cuts.push((y1.clone(), exact::to_f64(y1)));
    cuts.sort_by(|a, b| a.0.cmp(&b.0));
    let two = Rational::from_integer(2.into());
    let mut out: Vec<(f64, f64)> = Vec::new();
    for w in cuts.windows(2) {
        if w[0].0 == w[1].0 {
            continue;
        }
        // Between two consecutive roots (isolated in intervals much narrower than the gap)
        // every condition keeps its sign: test the middle.
        let mid = (&w[0].0 + &w[1].0) / &two;
        if conds.iter().all(|c| !eval(c, &mid).is_negative()) {
            match out.last_mut() {
                Some(last) if last.1 == w[0].1 => last.1 = w[1].1,
                _ => out.push((w[0].1, w[1].1)),
            }
        }
    }
    out
}

/// The region of `rect` where every condition `c ≥ 0` holds (`conds` polynomials in the
/// parameters `x` and `y` only), sliced at `columns + 1` values of `x`.
pub fn sliced(conds: &[SPoly], x: usize, y: usize, rect: &Rect, columns: usize) -> Sliced {
    let columns = columns.max(1);
    let ((x0, x1), (y0, y1)) = rect;
    let slices: Vec<(f64, Vec<(f64, f64)>)> = (0..=columns)
        .map(|k| {
            let xv = x0
                + (x1 - x0) * Rational::from_integer(k.into())
                    / Rational::from_integer(columns.into());
            let in_y: Vec<Vec<Rational>> = conds
                .iter()
                .map(|c| {
                    c.substitute(&|v| (v == x).then(|| xv.clone()))
                        .coefficients_in(y)
                        .iter()
                        .map(|k| k.as_constant().unwrap_or_default())
                        .collect()
                })
                .collect();
            (exact::to_f64(&xv), intervals(&in_y, y0, y1))
        })
        .collect();
    let mut rings = Vec::new();
    let mut area = 0.0;
    let mut k = 0;
    while k < columns {
        // A run of slices with as many intervals: each interval's band is one ring.
        let n = slices[k].1.len();
        let mut end = k;
        while end < columns && slices[end + 1].1.len() == n {
            end += 1;
        }
        if end > k {
            for j in 0..n {
                let lower = (k..=end).map(|i| (slices[i].0, slices[i].1[j].0));
                let upper = (k..=end).rev().map(|i| (slices[i].0, slices[i].1[j].1));
                rings.push(lower.chain(upper).collect());
            }
            for i in k..end {
                let dx = slices[i + 1].0 - slices[i].0;
                for j in 0..n {
                    let (a, b) = (slices[i].1[j], slices[i + 1].1[j]);
                    area += dx * ((a.1 - a.0) + (b.1 - b.0)) / 2.0;
                }
            }
        }
        if end < columns {
            // Where the number of intervals changes, each side's intervals reach halfway.
            let (xa, xb) = (slices[end].0, slices[end + 1].0);
            let mid = (xa + xb) / 2.0;
            for (xs, ivs) in [((xa, mid), &slices[end].1), ((mid, xb), &slices[end + 1].1)] {
                for &(lo, hi) in ivs {
                    rings.push(vec![(xs.0, lo), (xs.1, lo), (xs.1, hi), (xs.0, hi)]);
                    area += (xs.1 - xs.0) * (hi - lo);
                }
            }
        }
        k = end + 1;
    }
    Sliced { rings, area }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Rational {
        crate::exact::parse(s).expect("a number")
    }

    #[test]
    fn a_disc_is_drawn_through_points_on_its_circle() {
        // 1/4 − (x − 1/2)² − (y − 1/2)² ≥ 0 on the unit square: a disc of radius 1/2, area π/4.
        let (x, y) = (0, 1);
        let dx = SPoly::var(x).sub(&SPoly::constant(q("1/2")));
        let dy = SPoly::var(y).sub(&SPoly::constant(q("1/2")));
        let c = SPoly::constant(q("1/4"))
            .sub(&dx.mul(&dx))
            .sub(&dy.mul(&dy));
        let rect = ((q("0"), q("1")), (q("0"), q("1")));
        let s = sliced(std::slice::from_ref(&c), x, y, &rect, 200);
        assert!(
            (s.area - std::f64::consts::PI / 4.0).abs() < 1e-3,
            "{}",
            s.area
        );
        let on_circle = s.rings.iter().flatten().filter(|(px, py)| {
            let r = ((px - 0.5).powi(2) + (py - 0.5).powi(2)).sqrt();
            (r - 0.5).abs() < 1e-8
        });
        assert!(on_circle.count() > 300);
    }
}
