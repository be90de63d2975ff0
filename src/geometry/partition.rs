//! A map's rectangle cut into the exact regions of its classes, or a refusal.
//!
//! Each class found on a map (a question's regime, an equilibrium's regime) holds where all of
//! its conditions hold; when they are linear in the two mapped parameters, its region is the
//! rectangle clipped by them ([`super::clip`]), a convex polygon with exact vertices. Drawing
//! those polygons instead of the sampled cells is right only if they tell the same story as
//! the samples, so the polygons are accepted only when they *partition* the map — no two
//! overlap (the area of each pair's intersection is exactly zero) and their areas add up to
//! the rectangle's exactly — and every sample lies in the polygon of its own class. Otherwise
//! (a class the samples missed, a condition that is not linear, conditions that do not match
//! the samples) the caller keeps the cells and says so.

use super::{area, clip, HalfPlane, Point};
use crate::exact::Rational;
use num_traits::{Signed, Zero};

/// The rectangle `[x0, x1] × [y0, y1]` in exact numbers.
pub type Rect = ((Rational, Rational), (Rational, Rational));

/// The polygon of each class (`classes[k]`: its half-planes), if together they partition
/// `rect` and every sample `(class, point)` lies in its class's polygon (boundary included).
pub fn partition(
    rect: &Rect,
    classes: &[Vec<HalfPlane>],
    samples: &[(usize, Point)],
) -> Option<Vec<Vec<Point>>> {
    let polys: Vec<Vec<Point>> = classes
        .iter()
        .map(|hs| clip(rect.0.clone(), rect.1.clone(), hs))
        .collect();
    let total = (&rect.0 .1 - &rect.0 .0) * (&rect.1 .1 - &rect.1 .0);
    let sum = polys.iter().fold(Rational::zero(), |s, p| s + area(p));
    if sum != total {
        return None;
    }
    for i in 0..classes.len() {
        for j in i + 1..classes.len() {
            let both: Vec<HalfPlane> = classes[i].iter().chain(&classes[j]).cloned().collect();
            if !area(&clip(rect.0.clone(), rect.1.clone(), &both)).is_zero() {
                return None;
            }
        }
    }
    let inside = |k: usize, p: &Point| classes[k].iter().all(|h| !h.value(p).is_negative());
    samples
        .iter()
        .all(|(k, p)| *k < classes.len() && inside(*k, p))
        .then_some(polys)
}

/// The half-plane `h` reversed (`−h ≥ 0`): with `h`, the line `h = 0`.
pub fn opposite(h: &HalfPlane) -> HalfPlane {
    HalfPlane {
        a: -&h.a,
        b: -&h.b,
        c: -&h.c,
    }
}

/// A polygon's vertices in floating point, for drawing.
pub fn to_f64(poly: &[Point]) -> Vec<(f64, f64)> {
    poly.iter()
        .map(|(x, y)| (crate::exact::to_f64(x), crate::exact::to_f64(y)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Rational {
        crate::exact::parse(s).expect("a number")
    }

    fn h(a: &str, b: &str, c: &str) -> HalfPlane {
        HalfPlane {
            a: q(a),
            b: q(b),
            c: q(c),
        }
    }

    #[test]
    fn two_triangles_partition_the_square_and_one_does_not() {
        let rect = ((q("0"), q("1")), (q("0"), q("1")));
        // y ≤ x and y ≥ x.
        let below = vec![h("1", "-1", "0")];
        let above = vec![opposite(&below[0])];
        let samples = [(0, (q("0.9"), q("0.1"))), (1, (q("0.1"), q("0.9")))];
        let p = partition(&rect, &[below.clone(), above.clone()], &samples).expect("a partition");
        assert_eq!(p[0].len(), 3);
        assert_eq!(area(&p[0]), q("1/2"));
        // A sample on the wrong side refuses.
        let wrong = [(0, (q("0.1"), q("0.9")))];
        assert!(partition(&rect, &[below.clone(), above], &wrong).is_none());
        // A gap (y ≥ x + 1/2) refuses; so does an overlap.
        let gap = vec![h("-1", "1", "-1/2")];
        assert!(partition(&rect, &[below.clone(), gap], &[]).is_none());
        let whole = vec![];
        assert!(partition(&rect, &[below, whole], &[]).is_none());
    }
}
