//! A regime map's areas as exact polygons, from each regime's conditions in the parameters.
//!
//! [`crate::regime::map`] samples cells and places their edges at the breakpoints its scans
//! verify, so a boundary parallel to an axis is exact but a slanted one is a staircase, and a
//! regime's share is a sum of cells. Here each area's regimes are derived at a point inside it
//! ([`crate::regime::conditions::conditions_at`]): every equilibrium of the area's regime set
//! holds where its polynomial conditions do. With the other parameters at the base point, the
//! conditions linear in the two mapped parameters cut the map's rectangle into one convex
//! polygon per area, accepted only when the polygons partition the map and every sampled cell
//! centre lies in its own area's polygon ([`super::partition`]). The shares are then the
//! polygons' exact areas.
//!
//! Where a condition is polynomial but not linear in the two parameters, each area is drawn
//! from its conditions by slicing ([`super::curve`]): curved boundaries are polylines through
//! points computed on the curves, and the shares are the slices' areas (to a stated
//! precision), accepted when every sampled cell centre satisfies its own area's conditions and
//! the areas add up to the map's within that precision.

use super::{curve, partition, HalfPlane, Point};
use crate::exact;
use crate::exact::Rational;
use crate::model::GameTemplate;
use crate::plot::map::Ring;
use crate::regime::derive::Cond;
use crate::regime::map::RegimeMap;
use crate::regime::spoly::SPoly;
use crate::solve::SolveOptions;
use num_traits::{Signed, Zero};

/// The half-plane `cond ≥ 0` in parameters `x` and `y`, every other parameter at `base`;
/// `None` if it is not linear in them.
pub fn half_plane(cond: &Cond, base: &[Rational], x: usize, y: usize) -> Option<HalfPlane> {
    let local = local(&cond.poly, base, x, y);
    let mut h = HalfPlane {
        a: Rational::zero(),
        b: Rational::zero(),
        c: Rational::zero(),
    };
    for (mono, k) in &local.terms {
        match mono.as_slice() {
            [] => h.c += k,
            [(v, 1)] if *v == x => h.a += k,
            [(v, 1)] if *v == y => h.b += k,
            _ => return None,
        }
    }
    Some(h)
}

/// Slices per map width when an area is bounded by curves.
pub const COLUMNS: usize = 400;

/// An area bounded by curves: its rings and its share of the map.
pub type CurvedArea = (Vec<Ring>, f64);

/// A regime map's areas drawn from their conditions.
#[derive(Clone, Debug, PartialEq)]
pub enum Exact {
    /// Every condition linear: one exact convex polygon per area.
    Polygons(Vec<Vec<Point>>),
    /// Some condition curved: each area's rings (curves as polylines through computed points)
    /// and its share of the map (to within [`Exact::precision`]).
    Curves(Vec<CurvedArea>),
}

impl Exact {
    /// The bound on the error of a curved area's share: the slices' width (each change in the
    /// number of a slice's intervals is drawn to the middle between slices).
    pub fn precision(&self) -> f64 {
        match self {
            Exact::Polygons(_) => 0.0,
            Exact::Curves(_) => 1.0 / COLUMNS as f64,
        }
    }
}

/// Each of `m`'s areas (same order as `m.areas`) from its regimes' conditions, the game `t`
/// solved as `opts` says, other parameters at `base`: exact polygons when every condition is
/// linear in the two axes, else sliced shapes; `None` where a regime's conditions cannot be
/// derived or do not agree with the map's cells.
pub fn exact_areas(
    t: &GameTemplate,
    opts: &SolveOptions,
    base: &[Rational],
    m: &RegimeMap,
) -> Option<Exact> {
    let (x, y) = (m.x.param, m.y.param);
    let mut classes: Vec<Vec<Cond>> = Vec::with_capacity(m.areas.len());
    for (k, area) in m.areas.iter().enumerate() {
        let (cx, cy) = m.centre(k)?;
        let mut theta = base.to_vec();
        theta[x] = cx;
        theta[y] = cy;
        let found = crate::regime::conditions::conditions_at(t, &theta, opts).ok()?;
        if found.len() != area.set.regimes.len() {
            return None;
        }
        let mut conds = Vec::new();
        for label in area.set.key() {
            let r = found.iter().find(|r| r.label == label)?;
            // The regime's equilibria that exist here; each holds where its conditions do.
            let mut any = false;
            for alt in &r.alternatives {
                let cs = alt.as_ref().ok()?;
                if cs.iter().all(|c| c.holds(&theta)) {
                    any = true;
                    conds.extend(cs.iter().map(|c| Cond {
                        poly: local(&c.poly, base, x, y),
                        strict: c.strict,
                    }));
                }
            }
            if !any {
                return None;
            }
        }
        classes.push(conds);
    }
    let ny = m.y.edges.len() - 1;
    let two = Rational::from_integer(2.into());
    let samples: Vec<(usize, Point)> = m
        .cells
        .iter()
        .enumerate()
        .map(|(i, &k)| {
            let (ix, iy) = (i / ny, i % ny);
            (
                k,
                (
                    (&m.x.edges[ix] + &m.x.edges[ix + 1]) / &two,
                    (&m.y.edges[iy] + &m.y.edges[iy + 1]) / &two,
                ),
            )
        })
        .collect();
    let rect = (
        (m.x.lo.clone(), m.x.hi.clone()),
        (m.y.lo.clone(), m.y.hi.clone()),
    );
    let planes: Option<Vec<Vec<HalfPlane>>> = classes
        .iter()
        .map(|cs| cs.iter().map(|c| half_plane(c, base, x, y)).collect())
        .collect();
    if let Some(planes) = planes {
        return partition::partition(&rect, &planes, &samples).map(Exact::Polygons);
    }
    // Curved: every sample satisfies its own area's conditions (closed), and the sliced areas
    // fill the map.
    let mut theta = base.to_vec();
    for (k, (px, py)) in &samples {
        theta[x] = px.clone();
        theta[y] = py.clone();
        let closed = |c: &Cond| !c.poly.eval(&theta).is_negative();
        if !classes[*k].iter().all(closed) {
            return None;
        }
    }
    let total = exact::to_f64(&((&rect.0 .1 - &rect.0 .0) * (&rect.1 .1 - &rect.1 .0)));
    let areas: Vec<CurvedArea> = classes
        .iter()
        .map(|cs| {
            let ps: Vec<SPoly> = cs.iter().map(|c| c.poly.clone()).collect();
            let s = curve::sliced(&ps, x, y, &rect, COLUMNS);
            (s.rings, s.area / total)
        })
        .collect();
    let sum: f64 = areas.iter().map(|a| a.1).sum();
    let tol = areas.len() as f64 / COLUMNS as f64;
    ((sum - 1.0).abs() <= tol).then_some(Exact::Curves(areas))
}

/// `p` with every parameter other than `x` and `y` at its value in `base`.
fn local(p: &SPoly, base: &[Rational], x: usize, y: usize) -> SPoly {
    p.substitute(&|v| (v != x && v != y).then(|| base.get(v).cloned().unwrap_or_default()))
}

/// Sets `m.exact` to [`exact_areas`] and, when found, each area's share to its polygon's
/// exact share of the map.
pub fn apply(t: &GameTemplate, opts: &SolveOptions, base: &[Rational], m: &mut RegimeMap) {
    m.exact = exact_areas(t, opts, base, m);
    let total = (&m.x.hi - &m.x.lo) * (&m.y.hi - &m.y.lo);
    match &m.exact {
        Some(Exact::Polygons(polys)) => {
            for (a, p) in m.areas.iter_mut().zip(polys) {
                a.share = exact::to_f64(&(super::area(p) / &total));
            }
        }
        Some(Exact::Curves(areas)) => {
            for (a, c) in m.areas.iter_mut().zip(areas) {
                a.share = c.1;
            }
        }
        None => {}
    }
}

/// The map's exact areas as shapes filled with `fills` (one per area); empty when the map
/// has no exact areas.
pub fn shapes(m: &RegimeMap, fills: &[String]) -> Vec<crate::plot::map::Shape> {
    let rings: Vec<Vec<Vec<(f64, f64)>>> = match &m.exact {
        None => return Vec::new(),
        Some(Exact::Polygons(polys)) => polys.iter().map(|p| vec![partition::to_f64(p)]).collect(),
        Some(Exact::Curves(areas)) => areas.iter().map(|a| a.0.clone()).collect(),
    };
    rings
        .into_iter()
        .zip(fills)
        .filter(|(r, _)| !r.is_empty())
        .map(|(rings, f)| crate::plot::map::Shape {
            fill: f.clone(),
            rings,
        })
        .collect()
}

/// The note of a map drawn from exact areas: where the boundaries come from.
pub fn note(m: &RegimeMap) -> Option<String> {
    Some(match m.exact.as_ref()? {
        Exact::Polygons(_) => format!(
            "Regions drawn exactly: each is where its regimes' equilibrium conditions hold \
             (linear in {} and {} here), and every sampled cell lies in its own region.",
            m.x.name, m.y.name
        ),
        e @ Exact::Curves(_) => format!(
            "Regions drawn from their regimes' equilibrium conditions, curved boundaries \
             through points computed on the curves ({} slices along {}); shares to within {}, \
             and every sampled cell lies in its own region.",
            COLUMNS + 1,
            m.x.name,
            crate::output::words::num(100.0 * e.precision()) + "%"
        ),
    })
}
