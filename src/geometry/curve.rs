//! Regions bounded by polynomial curves, drawn as polylines through computed boundary points.
//!
//! Where a region's conditions are polynomial but not linear in the two mapped parameters
//! (`p_Def·(1 − k²) ≥ 1 − s`), no polygon describes it. It is sliced instead: at each of many
//! values of `x`, every condition becomes a polynomial in `y` whose real roots in the map's
//! range are isolated exactly (Sturm sequences, [`crate::regime::sturm`]) and narrowed far
//! below a pixel. Between consecutive roots every condition keeps its sign, so a rule that
//! depends only on the conditions' signs — "these regimes exist and the others do not", a
//! union of several conjunctions and negations — is decided by evaluating it once, exactly,
//! at a rational point of each gap. Each slice is thereby cut into *segments* of constant
//! class, whose ends are the frame or roots of named conditions.
//!
//! Consecutive slices whose segments end on the same curves (the same *signature*) form a
//! run; each segment's band across a run is a ring whose lower and upper edges are polylines
//! through the roots — smooth at any zoom, no staircase. Where the signature changes between
//! two slices (a vertical boundary, a curve leaving through the frame, two curves crossing),
//! the change is located by bisection in `x` to 2⁻³⁰ of the map's width, so such a boundary
//! is drawn where it is, not halfway between slices. Points on a straight edge are dropped
//! (an edge is then one segment however many slices cross it). A class's area is its bands'
//! area (the trapezoid rule between slices); its error is estimated by halving the number of
//! slices (Richardson: the trapezoid rule's error shrinks with the square of the width).

use super::partition::Rect;
use crate::exact::{self, Rational};
use crate::regime::rational::simplest_inside;
use crate::regime::spoly::SPoly;
use crate::regime::sturm::{eval, roots_in};
use num_traits::{Signed, Zero};
use rayon::prelude::*;

/// Where an end of a segment lies: the map's lower or upper edge, or root `j` (counted from
/// below, in the map's range) of condition `i`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    /// The map's lower edge.
    Bottom,
    /// The map's upper edge.
    Top,
    /// Root `.1` of condition `.0`.
    Root(usize, usize),
}

/// A maximal interval of one slice where the class is the same.
#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    /// Lower end (decimal).
    pub lo: f64,
    /// Upper end (decimal).
    pub hi: f64,
    /// The class the rule gives inside.
    pub class: usize,
    /// What the ends are.
    pub ends: (End, End),
    /// A rational point strictly inside (of its widest gap between roots).
    pub inside: Rational,
}

/// The segments of `y ∈ [y0, y1]` (conditions `conds`, polynomials in `y` alone with
/// coefficients ascending), each gap between consecutive roots classified by `class_at` at a
/// rational point inside it; neighbouring gaps of the same class are merged.
pub fn segments(
    conds: &[Vec<Rational>],
    y0: &Rational,
    y1: &Rational,
    class_at: &dyn Fn(&Rational) -> usize,
) -> Vec<Segment> {
    let width = (y1 - y0) / Rational::from_integer((1u64 << 30).into());
    // (isolating interval, decimal value, what it is)
    let mut cuts: Vec<(Rational, Rational, f64, End)> =
        vec![(y0.clone(), y0.clone(), exact::to_f64(y0), End::Bottom)];
    for (i, c) in conds.iter().enumerate() {
        if c.iter().skip(1).all(Zero::is_zero) {
            continue;
        }
        for (j, r) in roots_in(c, y0, y1, &width).into_iter().enumerate() {
            let v = r.approx();
            cuts.push((r.lo, r.hi, v, End::Root(i, j)));
        }
    }
    cuts.push((y1.clone(), y1.clone(), exact::to_f64(y1), End::Top));
    cuts.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out: Vec<Segment> = Vec::new();
    let mut widest = Rational::zero();
    for w in cuts.windows(2) {
        // Two conditions with a common root give overlapping intervals: no gap between them.
        if w[0].1 >= w[1].0 {
            continue;
        }
        let gap = &w[1].0 - &w[0].1;
        let inside = simplest_inside(&w[0].1, &w[1].0);
        let class = class_at(&inside);
        match out.last_mut() {
            Some(last) if last.class == class && last.hi == w[0].2 => {
                last.hi = w[1].2;
                last.ends.1 = w[1].3;
                if gap > widest {
                    widest = gap;
                    last.inside = inside;
                }
            }
            _ => {
                widest = gap;
                out.push(Segment {
                    lo: w[0].2,
                    hi: w[1].2,
                    class,
                    ends: (w[0].3, w[1].3),
                    inside,
                });
            }
        }
    }
    out
}

/// The intervals of `y ∈ [y0, y1]` where every condition `c ≥ 0` holds (`c` a polynomial in
/// `y` alone, coefficients ascending), ends as decimals.
pub fn intervals(conds: &[Vec<Rational>], y0: &Rational, y1: &Rational) -> Vec<(f64, f64)> {
    let all = |y: &Rational| usize::from(!conds.iter().all(|c| !eval(c, y).is_negative()));
    segments(conds, y0, y1, &all)
        .into_iter()
        .filter(|s| s.class == 0)
        .map(|s| (s.lo, s.hi))
        .collect()
}

/// A closed ring of `(x, y)` vertices in parameter units.
type Ring = Vec<(f64, f64)>;

/// One slice: `x` exactly and as a decimal, and its segments.
type Slice = (Rational, f64, Vec<Segment>);

/// A slice's signature: each segment's class and ends.
fn signature(s: &[Segment]) -> Vec<(usize, End, End)> {
    s.iter().map(|g| (g.class, g.ends.0, g.ends.1)).collect()
}

/// Most signature changes located by bisection on one map (beyond them a change is drawn
/// between the slices that bracket it).
const MAX_CHANGES: usize = 256;

/// Bisection steps per change: 2⁻³⁰ of the map's width.
const BISECT: usize = 30;

/// The classes of a rectangle, cut by a rule on polynomial conditions.
#[derive(Clone, Debug, PartialEq)]
pub struct Classified {
    /// Each class's rings (bands between slices; vertices in parameter units), by class.
    pub rings: Vec<Vec<Vec<(f64, f64)>>>,
    /// Each class's area in parameter units (trapezoid rule), by class.
    pub area: Vec<f64>,
    /// Each class's estimated area error (the difference from half as many slices, over 3).
    pub error: Vec<f64>,
    /// For each class, a rational point strictly inside its widest segment on a slice between
    /// the grid's (off the frame and off every boundary).
    pub inside: Vec<Option<(Rational, Rational)>>,
    /// A rational point strictly inside every band (each run of slices' segment), with the
    /// band's class: where a map drawn from the bands is checked by a solve.
    pub pieces: Vec<(usize, (Rational, Rational))>,
}

/// The rectangle `rect` cut by `class_at` (a rule on the point `(x, y)` that depends only on
/// the signs of `conds`, polynomials in the parameters `x` and `y` only) into classes
/// `0..classes`, sliced at `columns + 1` values of `x`.
pub fn classify(
    conds: &[SPoly],
    (x, y): (usize, usize),
    rect: &Rect,
    columns: usize,
    classes: usize,
    class_at: &(dyn Fn(&Rational, &Rational) -> usize + Sync),
) -> Classified {
    let columns = columns.max(2);
    let fine = slices(conds, (x, y), rect, columns, class_at);
    let coarse = slices(conds, (x, y), rect, columns / 2, class_at);
    let (rings, area) = bands(&fine, classes, rect);
    let (_, area2) = bands(&coarse, classes, rect);
    let error = area
        .iter()
        .zip(&area2)
        .map(|(a, b)| (a - b).abs() / 3.0)
        .collect();
    // A point inside every band: on a slice strictly between two slices of its run (a slice
    // of the grid may lie on the frame, or on a boundary bisection located), strictly between
    // the roots that bound its segment.
    let two = Rational::from_integer(2.into());
    let mids: Vec<Rational> = runs(&fine)
        .into_iter()
        .map(|(k, end)| {
            let i = ((k + end) / 2).min(end - 1);
            (&fine[i].0 + &fine[i + 1].0) / &two
        })
        .collect();
    let mid_slices: Vec<Slice> = mids
        .par_iter()
        .map(|xv| slice_at(conds, (x, y), rect, class_at, xv))
        .collect();
    let mut pieces = Vec::new();
    let mut inside: Vec<Option<(Rational, Rational, f64)>> = vec![None; classes];
    for (xv, _, segs) in &mid_slices {
        for s in segs.iter().filter(|s| s.class < classes) {
            pieces.push((s.class, (xv.clone(), s.inside.clone())));
            let w = s.hi - s.lo;
            if inside[s.class].as_ref().is_none_or(|b| w > b.2) {
                inside[s.class] = Some((xv.clone(), s.inside.clone(), w));
            }
        }
    }
    Classified {
        rings,
        area,
        error,
        pieces,
        inside: inside
            .into_iter()
            .map(|o| o.map(|(a, b, _)| (a, b)))
            .collect(),
    }
}

/// The slice at `x = xv`: its segments, each classified by `class_at`.
fn slice_at(
    conds: &[SPoly],
    (x, y): (usize, usize),
    rect: &Rect,
    class_at: &(dyn Fn(&Rational, &Rational) -> usize + Sync),
    xv: &Rational,
) -> Slice {
    let (y0, y1) = &rect.1;
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
    let rule = |yv: &Rational| class_at(xv, yv);
    (
        xv.clone(),
        exact::to_f64(xv),
        segments(&in_y, y0, y1, &rule),
    )
}

/// The slices at `columns + 1` evenly spaced values of `x`, with the slices that bracket each
/// change of signature (to 2⁻³⁰ of the width) inserted.
fn slices(
    conds: &[SPoly],
    (x, y): (usize, usize),
    rect: &Rect,
    columns: usize,
    class_at: &(dyn Fn(&Rational, &Rational) -> usize + Sync),
) -> Vec<Slice> {
    let (x0, x1) = &rect.0;
    let at = |xv: &Rational| slice_at(conds, (x, y), rect, class_at, xv);
    let uniform: Vec<Slice> = (0..=columns)
        .into_par_iter()
        .map(|k| {
            at(&(x0
                + (x1 - x0) * Rational::from_integer(k.into())
                    / Rational::from_integer(columns.into())))
        })
        .collect();
    let two = Rational::from_integer(2.into());
    let tiny = (x1 - x0) / Rational::from_integer((1u64 << BISECT).into());
    let mut out: Vec<Slice> = Vec::with_capacity(uniform.len());
    let mut changes = 0;
    let mut it = uniform.into_iter();
    let Some(first) = it.next() else {
        return out;
    };
    out.push(first);
    for next in it {
        // Locate every change between the last slice kept and `next`.
        while let Some(last) = out.last() {
            if signature(&last.2) == signature(&next.2) || changes >= MAX_CHANGES {
                break;
            }
            changes += 1;
            let (mut a, mut b) = (last.clone(), next.clone());
            let want = signature(&a.2);
            while &b.0 - &a.0 > tiny {
                let m = at(&((&a.0 + &b.0) / &two));
                if signature(&m.2) == want {
                    a = m;
                } else {
                    b = m;
                }
            }
            let done = signature(&b.2) == signature(&next.2);
            if a.0 != out.last().map(|l| l.0.clone()).unwrap_or_default() {
                out.push(a);
            }
            if b.0 != next.0 {
                out.push(b);
            }
            if done {
                break;
            }
        }
        out.push(next);
    }
    out
}

/// The runs of consecutive slices with the same signature, as (first, last) indices, each
/// spanning at least two slices.
fn runs(sl: &[Slice]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut k = 0;
    while k < sl.len() {
        let sig = signature(&sl[k].2);
        let mut end = k;
        while end + 1 < sl.len() && signature(&sl[end + 1].2) == sig {
            end += 1;
        }
        if end > k {
            out.push((k, end));
        }
        k = end + 1;
    }
    out
}

/// Each class's rings and area from consecutive slices of the same signature.
fn bands(sl: &[Slice], classes: usize, rect: &Rect) -> (Vec<Vec<Ring>>, Vec<f64>) {
    let mut rings = vec![Vec::new(); classes];
    let mut area = vec![0.0; classes];
    let scale = (
        exact::to_f64(&(&rect.0 .1 - &rect.0 .0)),
        exact::to_f64(&(&rect.1 .1 - &rect.1 .0)),
    );
    for (k, end) in runs(sl) {
        for (j, seg) in sl[k].2.iter().enumerate() {
            if seg.class >= classes {
                continue;
            }
            let lower = (k..=end).map(|i| (sl[i].1, sl[i].2[j].lo));
            let upper = (k..=end).rev().map(|i| (sl[i].1, sl[i].2[j].hi));
            let ring: Vec<(f64, f64)> = lower.chain(upper).collect();
            for i in k..end {
                let dx = sl[i + 1].1 - sl[i].1;
                let (a, b) = (&sl[i].2[j], &sl[i + 1].2[j]);
                area[seg.class] += dx * ((a.hi - a.lo) + (b.hi - b.lo)) / 2.0;
            }
            rings[seg.class].push(simplify(&ring, scale));
        }
    }
    (rings, area)
}

/// `ring` without the vertices that lie on the straight line through their neighbours (to
/// 10⁻⁷ of the map's size; roots are located to 2⁻³⁰ of it).
pub fn simplify(ring: &[(f64, f64)], (sx, sy): (f64, f64)) -> Vec<(f64, f64)> {
    let n = ring.len();
    if n < 4 {
        return ring.to_vec();
    }
    let norm = |p: (f64, f64)| (p.0 / sx, p.1 / sy);
    let off_line = |a: (f64, f64), b: (f64, f64), c: (f64, f64)| {
        let (a, b, c) = (norm(a), norm(b), norm(c));
        let (dx, dy) = (c.0 - a.0, c.1 - a.1);
        let len = (dx * dx + dy * dy).sqrt();
        let cross = dx * (b.1 - a.1) - dy * (b.0 - a.0);
        if len == 0.0 {
            ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt()
        } else {
            cross.abs() / len
        }
    };
    let mut out: Vec<(f64, f64)> = vec![ring[0]];
    for i in 1..n {
        let (b, c) = (ring[i], ring[(i + 1) % n]);
        let a = *out.last().unwrap_or(&ring[0]);
        if b != a && off_line(a, b, c) > 1e-7 {
            out.push(b);
        }
    }
    out
}

/// A region sliced along `x`: its closed rings (vertices in parameter units) and its area.
#[derive(Clone, Debug, PartialEq)]
pub struct Sliced {
    /// Rings to fill (bands between slices).
    pub rings: Vec<Vec<(f64, f64)>>,
    /// The bands' total area, in parameter units.
    pub area: f64,
}

/// The region of `rect` where every condition `c ≥ 0` holds (`conds` polynomials in the
/// parameters `x` and `y` only), sliced at `columns + 1` values of `x`.
pub fn sliced(conds: &[SPoly], x: usize, y: usize, rect: &Rect, columns: usize) -> Sliced {
    let n = conds
        .iter()
        .flat_map(|c| c.terms.keys().flatten().map(|v| v.0))
        .max()
        .unwrap_or(0)
        .max(x)
        .max(y);
    let rule = |xv: &Rational, yv: &Rational| {
        let mut theta = vec![Rational::zero(); n + 1];
        theta[x] = xv.clone();
        theta[y] = yv.clone();
        usize::from(!conds.iter().all(|c| !c.eval(&theta).is_negative()))
    };
    let mut c = classify(conds, (x, y), rect, columns, 1, &rule);
    Sliced {
        rings: c.rings.remove(0),
        area: c.area[0],
    }
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

    #[test]
    fn a_union_rule_and_a_vertical_edge_located_exactly() {
        // Class 0 where y ≥ x² or x ≥ 3/4 (a union), class 1 elsewhere, on the unit square.
        let (x, y) = (0, 1);
        let para = SPoly::var(y).sub(&SPoly::var(x).mul(&SPoly::var(x)));
        let vert = SPoly::var(x).sub(&SPoly::constant(q("3/4")));
        let conds = [para.clone(), vert.clone()];
        let rule = |xv: &Rational, yv: &Rational| {
            let th = [xv.clone(), yv.clone()];
            usize::from(!(!para.eval(&th).is_negative() || !vert.eval(&th).is_negative()))
        };
        let rect = ((q("0"), q("1")), (q("0"), q("1")));
        let c = classify(&conds, (x, y), &rect, 100, 2, &rule);
        // Class 1: below the parabola left of 3/4, area (3/4)³/3 = 9/64.
        assert!((c.area[1] - 9.0 / 64.0).abs() < 1e-4, "{}", c.area[1]);
        assert!((c.area[0] + c.area[1] - 1.0).abs() < 1e-6);
        assert!(c.error[1] < 1e-4);
        // The vertical edge x = 3/4 is drawn at 3/4 (to 2⁻³⁰), not between slices.
        let right = c.rings[1].iter().flatten().map(|p| p.0).fold(0.0, f64::max);
        assert!((right - 0.75).abs() < 1e-8, "{right}");
        // Every band's point lies strictly inside the map, off the slices' frame, in its class.
        assert!(c.pieces.len() >= 2);
        for (k, (px, py)) in &c.pieces {
            assert!(px > &q("0") && px < &q("1") && py > &q("0") && py < &q("1"));
            assert_eq!(rule(px, py), *k);
        }
        // The straight edges (y = 0, x = 3/4) carry no vertices between their ends.
        let on_bottom = c.rings[1].iter().flatten().filter(|p| p.1 == 0.0).count();
        assert!(on_bottom <= 2 * c.rings[1].len(), "{on_bottom}");
    }
}
