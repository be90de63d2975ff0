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

use super::{partition, HalfPlane, Point};
use crate::exact::Rational;
use crate::model::GameTemplate;
use crate::regime::derive::Cond;
use crate::regime::map::RegimeMap;
use crate::solve::SolveOptions;
use num_traits::Zero;

/// The half-plane `cond ≥ 0` in parameters `x` and `y`, every other parameter at `base`;
/// `None` if it is not linear in them.
pub fn half_plane(cond: &Cond, base: &[Rational], x: usize, y: usize) -> Option<HalfPlane> {
    let local = cond
        .poly
        .substitute(&|v| (v != x && v != y).then(|| base.get(v).cloned().unwrap_or_default()));
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

/// The exact polygon of each of `m`'s areas (same order as `m.areas`), the game `t` solved
/// as `opts` says, other parameters at `base`; `None` where a regime's conditions cannot be
/// derived, are not linear in the two axes, or do not partition the map in agreement with its
/// cells.
pub fn exact_areas(
    t: &GameTemplate,
    opts: &SolveOptions,
    base: &[Rational],
    m: &RegimeMap,
) -> Option<Vec<Vec<Point>>> {
    let (x, y) = (m.x.param, m.y.param);
    let mut classes: Vec<Vec<HalfPlane>> = Vec::with_capacity(m.areas.len());
    for (k, area) in m.areas.iter().enumerate() {
        let (cx, cy) = m.centre(k)?;
        let mut theta = base.to_vec();
        theta[x] = cx;
        theta[y] = cy;
        let found = crate::regime::conditions::conditions_at(t, &theta, opts).ok()?;
        let mut hs = Vec::new();
        for label in area.set.key() {
            let r = found.iter().find(|r| r.label == label)?;
            // The regime's equilibria that exist here; each holds where its conditions do.
            let mut any = false;
            for alt in &r.alternatives {
                let conds = alt.as_ref().ok()?;
                if conds.iter().all(|c| c.holds(&theta)) {
                    any = true;
                    for c in conds {
                        hs.push(half_plane(c, base, x, y)?);
                    }
                }
            }
            if !any {
                return None;
            }
        }
        if found.len() != area.set.regimes.len() {
            return None;
        }
        classes.push(hs);
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
    partition::partition(&rect, &classes, &samples)
}

/// Sets `m.exact` to [`exact_areas`] and, when found, each area's share to its polygon's
/// exact share of the map.
pub fn apply(t: &GameTemplate, opts: &SolveOptions, base: &[Rational], m: &mut RegimeMap) {
    m.exact = exact_areas(t, opts, base, m);
    let Some(polys) = &m.exact else { return };
    let total = (&m.x.hi - &m.x.lo) * (&m.y.hi - &m.y.lo);
    for (a, p) in m.areas.iter_mut().zip(polys) {
        a.share = crate::exact::to_f64(&(super::area(p) / &total));
    }
}

/// The map's exact areas as shapes filled with `fills` (one per area); empty when the map
/// has no exact areas.
pub fn shapes(m: &RegimeMap, fills: &[String]) -> Vec<crate::plot::map::Shape> {
    m.exact
        .iter()
        .flatten()
        .zip(fills)
        .filter(|(p, _)| p.len() > 2)
        .map(|(p, f)| crate::plot::map::Shape {
            fill: f.clone(),
            rings: vec![partition::to_f64(p)],
        })
        .collect()
}

/// The note of a map drawn from exact areas: where the boundaries come from.
pub fn note(m: &RegimeMap) -> Option<String> {
    m.exact.as_ref()?;
    Some(format!(
        "Regions drawn exactly: each is where its regimes' equilibrium conditions hold (linear \
         in {} and {} here), and every sampled cell lies in its own region.",
        m.x.name, m.y.name
    ))
}
