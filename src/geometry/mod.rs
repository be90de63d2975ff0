//! Exact region geometry: a map's rectangle clipped by linear inequalities, in rationals.
//!
//! A region of a two-parameter map that is described by inequalities linear in the two mapped
//! parameters (`c_D < 3 − 0.5·T`, `T > 0.2`) is a convex polygon. Counting grid cells measures
//! its share of the map only to the grid's resolution — 43%, 44.3% or 46% of the same region,
//! depending on the grid — while clipping the rectangle by each half-plane (Sutherland–Hodgman,
//! exact in rationals) gives the polygon itself and its area by the shoelace formula: one
//! number, the same wherever it is printed. The inequalities' coefficients come from the
//! model's formulas with the other parameters substituted (`f64`); each is read back as the
//! shortest decimal that prints it, which is exact for the decimals model files hold.
//!
//! Regions that are unions of such pieces are cut from the faces of all their lines
//! ([`arrangement`]) and drawn as one outline per connected region ([`outline`]); [`regimes`]
//! draws regime maps (with curved boundaries by [`curve`]) and [`sweep`] a sweep's outcome or
//! regime map.

pub mod curve;
pub mod lines;
pub mod outline;
pub mod partition;
pub mod regimes;
pub mod sweep;
pub mod verify;

use crate::exact::Rational;
use crate::poly::Poly;
use crate::regime::rational::of_f64;
use num_traits::{Signed, Zero};

/// A closed half-plane `a·x + b·y + c ≥ 0`.
#[derive(Clone, Debug, PartialEq)]
pub struct HalfPlane {
    /// Coefficient of `x`.
    pub a: Rational,
    /// Coefficient of `y`.
    pub b: Rational,
    /// Constant.
    pub c: Rational,
}

impl HalfPlane {
    /// `a·x + b·y + c` at `p` (non-negative inside).
    pub fn value(&self, p: &Point) -> Rational {
        &self.a * &p.0 + &self.b * &p.1 + &self.c
    }
}

/// A point `(x, y)`.
pub type Point = (Rational, Rational);

/// The half-plane `margin ≥ 0` of a polynomial margin in parameters `x` and `y` (every other
/// parameter already substituted), or `None` if it is not linear in them.
pub fn half_plane(margin: &Poly, x: usize, y: usize) -> Option<HalfPlane> {
    let mut h = HalfPlane {
        a: Rational::zero(),
        b: Rational::zero(),
        c: Rational::zero(),
    };
    for (mono, &k) in &margin.terms {
        let q = of_f64(k)?;
        match mono.as_slice() {
            [] => h.c += q,
            [(v, 1)] if *v == x => h.a += q,
            [(v, 1)] if *v == y => h.b += q,
            _ => return None,
        }
    }
    Some(h)
}

/// The rectangle `[x0, x1] × [y0, y1]` clipped by every half-plane: a convex polygon, its
/// vertices counter-clockwise (empty when nothing is left).
pub fn clip(x: (Rational, Rational), y: (Rational, Rational), hs: &[HalfPlane]) -> Vec<Point> {
    let rect: Vec<Point> = vec![
        (x.0.clone(), y.0.clone()),
        (x.1.clone(), y.0.clone()),
        (x.1.clone(), y.1.clone()),
        (x.0, y.1),
    ];
    clip_polygon(rect, hs)
}

/// A convex polygon (counter-clockwise) clipped by every half-plane (Sutherland–Hodgman).
pub fn clip_polygon(mut poly: Vec<Point>, hs: &[HalfPlane]) -> Vec<Point> {
    for h in hs {
        if poly.is_empty() {
            break;
        }
        let mut out = Vec::with_capacity(poly.len() + 1);
        for i in 0..poly.len() {
            let p = &poly[i];
            let q = &poly[(i + 1) % poly.len()];
            let (vp, vq) = (h.value(p), h.value(q));
            let (ip, iq) = (!vp.is_negative(), !vq.is_negative());
            if ip {
                out.push(p.clone());
            }
            if ip != iq && !(vp.is_zero() || vq.is_zero()) {
                // The crossing point: p + t (q − p) with t = vp / (vp − vq).
                let t = &vp / (&vp - &vq);
                out.push((&p.0 + &t * (&q.0 - &p.0), &p.1 + &t * (&q.1 - &p.1)));
            }
        }
        out.dedup();
        if out.len() > 1 && out.first() == out.last() {
            out.pop();
        }
        poly = out;
    }
    poly
}

/// The rectangle `rect` cut by every line `h = 0` into convex pieces of positive area (the
/// faces of the lines' arrangement), exactly. Inside a piece no `h` changes sign, so any
/// rule on their signs is decided at one point of it ([`centroid`]).
pub fn arrangement(rect: &partition::Rect, lines: &[HalfPlane]) -> Vec<Vec<Point>> {
    let mut pieces = vec![clip(rect.0.clone(), rect.1.clone(), &[])];
    for h in lines {
        if h.a.is_zero() && h.b.is_zero() {
            continue;
        }
        let other = partition::opposite(h);
        pieces = pieces
            .into_iter()
            .flat_map(|p| {
                [
                    clip_polygon(p.clone(), std::slice::from_ref(h)),
                    clip_polygon(p, std::slice::from_ref(&other)),
                ]
            })
            .filter(|p| area(p).is_positive())
            .collect();
    }
    pieces
}

/// The mean of a convex polygon's vertices: a point strictly inside it when its area is
/// positive.
pub fn centroid(poly: &[Point]) -> Point {
    let n = Rational::from_integer((poly.len().max(1) as i64).into());
    let (sx, sy) = poly
        .iter()
        .fold((Rational::zero(), Rational::zero()), |s, p| {
            (s.0 + &p.0, s.1 + &p.1)
        });
    (sx / &n, sy / n)
}

/// Where a point lies with respect to a convex polygon (vertices counter-clockwise).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// Strictly inside.
    Inside,
    /// On an edge or a vertex.
    Boundary,
    /// Outside.
    Outside,
}

/// Where `p` lies with respect to the convex polygon `poly` (counter-clockwise, as [`clip`]
/// returns it), exactly. A polygon of fewer than three vertices has no inside.
pub fn locate(poly: &[Point], p: &Point) -> Place {
    let n = poly.len();
    if n < 3 {
        return Place::Outside;
    }
    let mut on_edge = false;
    for i in 0..n {
        let (a, b) = (&poly[i], &poly[(i + 1) % n]);
        let cross = (&b.0 - &a.0) * (&p.1 - &a.1) - (&b.1 - &a.1) * (&p.0 - &a.0);
        if cross.is_negative() {
            return Place::Outside;
        }
        on_edge |= cross.is_zero();
    }
    if on_edge {
        Place::Boundary
    } else {
        Place::Inside
    }
}

/// The area of a simple polygon (shoelace formula), exactly.
pub fn area(poly: &[Point]) -> Rational {
    let n = poly.len();
    if n < 3 {
        return Rational::zero();
    }
    let twice = (0..n).fold(Rational::zero(), |s, i| {
        let (p, q) = (&poly[i], &poly[(i + 1) % n]);
        s + &p.0 * &q.1 - &q.0 * &p.1
    });
    (twice / Rational::from_integer(2.into())).abs()
}

/// The exact share of the rectangle `x × y` (parameter ids and ranges) where every margin is
/// positive, when each is linear in the two parameters; `None` otherwise.
pub fn share(
    margins: &[&Poly],
    (xid, x): (usize, (f64, f64)),
    (yid, y): (usize, (f64, f64)),
) -> Option<Rational> {
    let hs: Vec<HalfPlane> = margins
        .iter()
        .map(|m| half_plane(m, xid, yid))
        .collect::<Option<_>>()?;
    let (x0, x1, y0, y1) = (of_f64(x.0)?, of_f64(x.1)?, of_f64(y.0)?, of_f64(y.1)?);
    let total = (&x1 - &x0) * (&y1 - &y0);
    if !total.is_positive() {
        return None;
    }
    Some(area(&clip((x0, x1), (y0, y1), &hs)) / total)
}

/// [`share`], when it agrees with `sampled` (the share of a grid's points found in the region)
/// to within `resolution`; else the conditions do not describe the sampled points, and `None`.
pub fn share_near(
    margins: &[&Poly],
    x: (usize, (f64, f64)),
    y: (usize, (f64, f64)),
    sampled: f64,
    resolution: f64,
) -> Option<Rational> {
    let s = share(margins, x, y)?;
    ((crate::exact::to_f64(&s) - sampled).abs() <= resolution).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Rational {
        crate::exact::parse(s).expect("a number")
    }

    #[test]
    fn a_triangle_and_a_trapezoid() {
        // x + y ≤ 1 on the unit square: half of it.
        let h = HalfPlane {
            a: q("-1"),
            b: q("-1"),
            c: q("1"),
        };
        let p = clip((q("0"), q("1")), (q("0"), q("1")), std::slice::from_ref(&h));
        assert_eq!(area(&p), q("1/2"));
        // And y ≥ 1/4 cuts a further trapezoid of area (3/4)^2/2 left.
        let h2 = HalfPlane {
            a: q("0"),
            b: q("1"),
            c: q("-1/4"),
        };
        let p = clip((q("0"), q("1")), (q("0"), q("1")), &[h, h2]);
        assert_eq!(area(&p), q("9/32"));
        // Nothing left.
        let none = HalfPlane {
            a: q("0"),
            b: q("0"),
            c: q("-1"),
        };
        assert!(clip((q("0"), q("1")), (q("0"), q("1")), &[none]).is_empty());
    }

    #[test]
    fn linear_margins_only() {
        // c_D < 3 − 0.5·T (T = 0, c_D = 1), T > 0.2 and c_D > 1 on [0, 1] × [0, 3].
        let m1 = Poly::constant(3.0)
            .add_scaled(&Poly::param(0), -0.5)
            .add_scaled(&Poly::param(1), -1.0);
        let m2 = Poly::param(0).add_scaled(&Poly::constant(0.2), -1.0);
        let m3 = Poly::param(1).add_scaled(&Poly::constant(1.0), -1.0);
        let s = share(&[&m1, &m2, &m3], (0, (0.0, 1.0)), (1, (0.0, 3.0))).expect("linear");
        // ∫_{0.2}^{1} (2 − 0.5 T) dT / 3 = (1.6 − 0.25·0.96) / 3 = 1.36 / 3.
        assert_eq!(s, q("1.36") / q("3"));
        assert!(share(&[&m1.mul(&m2)], (0, (0.0, 1.0)), (1, (0.0, 3.0))).is_none());
    }
}
