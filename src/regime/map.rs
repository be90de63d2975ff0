//! Regimes over two parameters: a map whose boundaries sit at exact breakpoints.
//!
//! A sampled map of regimes draws every boundary as a staircase at the grid's resolution. Here
//! the boundaries are found first: along several rows (the vertical parameter fixed) and
//! several columns, [`super::along`] locates every change exactly (verified rational points
//! where it can). Those breakpoints join the uniform grid's edges, so a boundary parallel to
//! an axis — such as p_Def = π_H in the unilateral deterrence game — is a cell edge, drawn at
//! its exact value, and the cells on either side are solved at their centres. A slanted
//! boundary is still a staircase (finer near the rows and columns scanned), and the map says
//! so: each regime's extent is stated as inequalities only when its cells form a rectangle.

use super::along::{along, Along, AlongOptions};
use super::rational::{grid_point, show};
use super::{Evaluator, RegimeError, RegimeSet};
use crate::exact::{self, Rational};
use crate::plot::{colour, map, Figure};
use rayon::prelude::*;

/// Settings of [`regime_map`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MapOptions {
    /// Uniform cells per axis (`nx`, `ny`) before the breakpoints are added.
    pub cells: (usize, usize),
    /// Rows and columns scanned for exact breakpoints.
    pub lines: usize,
    /// Settings of each scan.
    pub along: AlongOptions,
}

impl Default for MapOptions {
    fn default() -> Self {
        MapOptions {
            cells: (32, 24),
            lines: 4,
            along: AlongOptions {
                grid: 24,
                ..AlongOptions::default()
            },
        }
    }
}

/// One axis of a map.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    /// The parameter.
    pub param: usize,
    /// Its name.
    pub name: String,
    /// The interval.
    pub lo: Rational,
    /// The interval.
    pub hi: Rational,
    /// Cell edges (the uniform grid and every breakpoint), increasing.
    pub edges: Vec<Rational>,
    /// Exact breakpoints found by the scans.
    pub breaks: Vec<Rational>,
    /// Breakpoints located only to a tolerance (their bracket's middle).
    pub approx: Vec<Rational>,
}

/// One regime set on the map.
#[derive(Clone, Debug, PartialEq)]
pub struct Area {
    /// The regime set.
    pub set: RegimeSet,
    /// Its share of the map's area (of the cells, each solved at its centre).
    pub share: f64,
    /// Its extent as inequalities on the two parameters, when its cells form one rectangle
    /// bounded by breakpoints or the map's edges (empty: the whole map); `None` otherwise.
    pub conditions: Option<Vec<String>>,
}

/// Regimes over two parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct RegimeMap {
    /// Horizontal axis.
    pub x: Axis,
    /// Vertical axis.
    pub y: Axis,
    /// Index into `areas` of each cell, `ix * ny + iy`.
    pub cells: Vec<usize>,
    /// The distinct regime sets, in order of first appearance.
    pub areas: Vec<Area>,
    /// Each area's exact polygon, when the regimes' conditions give them
    /// ([`crate::geometry::regimes`]); the map is then drawn from these and the shares are
    /// their areas.
    pub exact: Option<crate::geometry::regimes::Exact>,
    /// Why the areas are not drawn from their conditions (when `exact` is `None` and the
    /// conditions were tried): the map's note says so.
    pub inexact: Option<String>,
}

/// The regime map of `ev`'s model over parameters `x` and `y` (each `(param, lo, hi)`), the
/// others at `base`.
pub fn regime_map(
    ev: &mut Evaluator<'_>,
    base: &[Rational],
    x: (usize, Rational, Rational),
    y: (usize, Rational, Rational),
    opts: &MapOptions,
) -> Result<RegimeMap, RegimeError> {
    if x.0 == y.0 {
        return Err(RegimeError::BadRange(
            "the map needs two different parameters".into(),
        ));
    }
    let names = &ev.t.params.names;
    let mut ax = axis(x.clone(), &names[x.0], opts.cells.0);
    let mut ay = axis(y.clone(), &names[y.0], opts.cells.1);
    let lines = opts.lines.max(1);
    // Rows: y fixed at the middle of each of `lines` bands; scan x. Columns likewise.
    breakpoints(ev, base, &mut ax, &ay, lines, opts)?;
    breakpoints(ev, base, &mut ay, &ax, lines, opts)?;
    let (nx, ny) = (ax.edges.len() - 1, ay.edges.len() - 1);
    let mut cells = Vec::with_capacity(nx * ny);
    let mut sets: Vec<RegimeSet> = Vec::new();
    let mut area: Vec<Rational> = Vec::new();
    let two = Rational::from_integer(2.into());
    // Every cell at its centre, in parallel.
    let ev0 = &*ev;
    let solved: Vec<Result<RegimeSet, RegimeError>> = (0..nx * ny)
        .into_par_iter()
        .map(|i| {
            let (ix, iy) = (i / ny, i % ny);
            let mut theta = base.to_vec();
            theta[ax.param] = (&ax.edges[ix] + &ax.edges[ix + 1]) / &two;
            theta[ay.param] = (&ay.edges[iy] + &ay.edges[iy + 1]) / &two;
            ev0.fork().at(&theta)
        })
        .collect();
    let mut solved = solved.into_iter();
    for ix in 0..nx {
        for iy in 0..ny {
            let s = solved
                .next()
                .ok_or_else(|| RegimeError::Solve("a cell of the map was not solved".into()))??;
            let k = match sets.iter().position(|t| t.same(&s)) {
                Some(k) => k,
                None => {
                    sets.push(s);
                    area.push(Rational::from_integer(0.into()));
                    sets.len() - 1
                }
            };
            area[k] += (&ax.edges[ix + 1] - &ax.edges[ix]) * (&ay.edges[iy + 1] - &ay.edges[iy]);
            cells.push(k);
        }
    }
    let total = (&ax.hi - &ax.lo) * (&ay.hi - &ay.lo);
    let areas = sets
        .into_iter()
        .enumerate()
        .map(|(k, set)| Area {
            share: exact::to_f64(&(&area[k] / &total)),
            conditions: rectangle(&cells, k, &ax, &ay, &area[k]),
            set,
        })
        .collect();
    let mut m = RegimeMap {
        x: ax,
        y: ay,
        cells,
        areas,
        exact: None,
        inexact: None,
    };
    crate::geometry::regimes::apply(ev.t, &ev.opts, base, &mut m);
    Ok(m)
}

/// Scans `scan`'s parameter along `lines` lines of `fixed` and adds the breakpoints found.
fn breakpoints(
    ev: &mut Evaluator<'_>,
    base: &[Rational],
    scan: &mut Axis,
    fixed: &Axis,
    lines: usize,
    opts: &MapOptions,
) -> Result<(), RegimeError> {
    // The middle of each band, nudged by 1/7919 of the range so that a line does not sit on a
    // boundary with a small denominator (it would see that boundary's own sets). Lines are
    // scanned in parallel, each with its own evaluator.
    let ev0 = &*ev;
    let found: Vec<Result<Along, RegimeError>> = (0..lines)
        .into_par_iter()
        .map(|k| {
            let v = grid_point(&fixed.lo, &fixed.hi, 2 * k + 1, 2 * lines)
                + (&fixed.hi - &fixed.lo) / Rational::from_integer(7919.into());
            let mut theta = base.to_vec();
            theta[fixed.param] = v;
            let mut e = ev0.fork();
            along(&mut e, &theta, scan.param, &scan.lo, &scan.hi, &opts.along)
        })
        .collect();
    for a in found {
        for c in a?.changes {
            if c.exact {
                scan.breaks.push(c.value);
            } else {
                scan.approx.push(c.value);
            }
        }
    }
    for v in [&mut scan.breaks, &mut scan.approx] {
        v.sort();
        v.dedup();
    }
    scan.edges.extend(scan.breaks.iter().cloned());
    scan.edges.extend(scan.approx.iter().cloned());
    scan.edges.sort();
    scan.edges.dedup();
    Ok(())
}

fn axis((param, lo, hi): (usize, Rational, Rational), name: &str, n: usize) -> Axis {
    let n = n.max(1);
    Axis {
        param,
        name: name.to_string(),
        edges: (0..=n).map(|i| grid_point(&lo, &hi, i, n)).collect(),
        lo,
        hi,
        breaks: Vec::new(),
        approx: Vec::new(),
    }
}

/// The inequalities of area `k` when its cells fill their bounding box exactly.
fn rectangle(cells: &[usize], k: usize, ax: &Axis, ay: &Axis, a: &Rational) -> Option<Vec<String>> {
    let ny = ay.edges.len() - 1;
    let mut bx = (usize::MAX, 0);
    let mut by = (usize::MAX, 0);
    for (i, _) in cells.iter().enumerate().filter(|(_, &c)| c == k) {
        let (ix, iy) = (i / ny, i % ny);
        bx = (bx.0.min(ix), bx.1.max(ix + 1));
        by = (by.0.min(iy), by.1.max(iy + 1));
    }
    if bx.0 == usize::MAX {
        return None;
    }
    let (x0, x1) = (&ax.edges[bx.0], &ax.edges[bx.1]);
    let (y0, y1) = (&ay.edges[by.0], &ay.edges[by.1]);
    if (x1 - x0) * (y1 - y0) != *a {
        return None;
    }
    // Every inner side must be an exact breakpoint, or the rectangle is only the grid's.
    let inner = |v: &Rational, ax: &Axis| v == &ax.lo || v == &ax.hi || ax.breaks.contains(v);
    if !(inner(x0, ax) && inner(x1, ax) && inner(y0, ay) && inner(y1, ay)) {
        return None;
    }
    Some(box_text((x0, x1), (y0, y1), ax, ay))
}

/// The rectangle `x0 < x < x1`, `y0 < y < y1` as inequalities (a side on the map's edge
/// states nothing).
fn box_text(
    (x0, x1): (&Rational, &Rational),
    (y0, y1): (&Rational, &Rational),
    ax: &Axis,
    ay: &Axis,
) -> Vec<String> {
    let mut out = Vec::new();
    for (lo, hi, axis) in [(x0, x1, ax), (y0, y1, ay)] {
        match (lo == &axis.lo, hi == &axis.hi) {
            (true, true) => {}
            (false, true) => out.push(format!("{} > {}", axis.name, show(lo))),
            (true, false) => out.push(format!("{} < {}", axis.name, show(hi))),
            (false, false) => out.push(format!("{} < {} < {}", show(lo), axis.name, show(hi))),
        }
    }
    out
}

/// The inequalities of an area drawn as exact polygons when together they fill their
/// bounding box (a rectangle whose sides need not be breakpoints the scans found).
fn polygons_box(
    pieces: &[Vec<crate::geometry::Point>],
    ax: &Axis,
    ay: &Axis,
) -> Option<Vec<String>> {
    let points: Vec<&crate::geometry::Point> = pieces.iter().flatten().collect();
    let (x0, x1) = (
        points.iter().map(|p| &p.0).min()?,
        points.iter().map(|p| &p.0).max()?,
    );
    let (y0, y1) = (
        points.iter().map(|p| &p.1).min()?,
        points.iter().map(|p| &p.1).max()?,
    );
    let sum: Rational = pieces.iter().map(|p| crate::geometry::area(p)).sum();
    (sum == (x1 - x0) * (y1 - y0)).then(|| box_text((x0, x1), (y0, y1), ax, ay))
}

impl RegimeMap {
    /// The centre of the first cell of area `k` (a point inside it).
    pub fn centre(&self, k: usize) -> Option<(Rational, Rational)> {
        let ny = self.y.edges.len() - 1;
        let i = self.cells.iter().position(|&c| c == k)?;
        let (ix, iy) = (i / ny, i % ny);
        let two = Rational::from_integer(2.into());
        Some((
            (&self.x.edges[ix] + &self.x.edges[ix + 1]) / &two,
            (&self.y.edges[iy] + &self.y.edges[iy + 1]) / &two,
        ))
    }

    /// The map as a figure: cells coloured by regime set, the legend with each set's share,
    /// and `points` (e.g. scenarios) marked.
    pub fn figure(&self, title: &str, points: &[(String, f64, f64)]) -> Figure {
        let fills: Vec<String> = (0..self.areas.len())
            .map(|k| colour::series(k).to_string())
            .collect();
        let cell_fills: Vec<&str> = self.cells.iter().map(|&c| fills[c].as_str()).collect();
        let keys: Vec<map::Key> = self
            .areas
            .iter()
            .zip(&fills)
            .map(|(a, f)| map::Key {
                fill: f.clone(),
                text: format!("{} ({})", a.set.describe(), share_words(a.share)),
            })
            .collect();
        let pts: Vec<map::Point> = points
            .iter()
            .map(|(name, x, y)| map::Point {
                name: name.clone(),
                x: *x,
                y: *y,
            })
            .collect();
        let xe: Vec<f64> = self.x.edges.iter().map(exact::to_f64).collect();
        let ye: Vec<f64> = self.y.edges.iter().map(exact::to_f64).collect();
        let shapes = crate::geometry::regimes::shapes(self, &fills);
        map::figure_with(
            &map::Map {
                title,
                x: (&self.x.name, &xe),
                y: (&self.y.name, &ye),
                fills: if shapes.is_empty() { &cell_fills } else { &[] },
                keys: &keys,
                points: &pts,
                note: &self.note(),
            },
            &shapes,
        )
    }

    /// Where area `a` lies, in words: its inequalities when it is a rectangle between
    /// breakpoints; otherwise whether the map draws it exactly (from its regimes' conditions,
    /// printed with them) or only sampled.
    pub fn extent(&self, a: &Area) -> String {
        match (&a.conditions, &self.exact) {
            (Some(c), _) if c.is_empty() => "everywhere on the map".to_string(),
            (Some(c), _) => format!("where {}", c.join(" and ")),
            (None, Some(crate::geometry::regimes::Exact::Polygons(p))) => {
                // Areas and their pieces are listed in the same order.
                let mine = self
                    .areas
                    .iter()
                    .position(|x| std::ptr::eq(x, a))
                    .and_then(|i| p.get(i));
                if let Some(c) = mine.and_then(|ps| polygons_box(ps, &self.x, &self.y)) {
                    return if c.is_empty() {
                        "everywhere on the map".to_string()
                    } else {
                        format!("where {}", c.join(" and "))
                    };
                }
                let pieces = mine.map_or(1, Vec::len);
                if pieces > 1 {
                    format!(
                        "an exact polygonal region ({pieces} convex pieces): where its \
                         regimes' conditions (below) hold"
                    )
                } else {
                    "an exact polygon: where its regimes' conditions (below) hold".to_string()
                }
            }
            (None, Some(crate::geometry::regimes::Exact::Curves(_))) => {
                "a region with curved edges: where its regimes' conditions (below) hold".to_string()
            }
            (None, None) => "its region is not a rectangle between exact breakpoints; the map \
                             shows it sampled"
                .to_string(),
        }
    }

    /// Where the answer depends on which equilibrium is played, in one sentence: the share of
    /// the map whose points have equilibria of several regimes (the regions named with
    /// "or"); `None` where every point has one regime.
    pub fn multiplicity(&self) -> Option<String> {
        let several: Vec<&Area> = self
            .areas
            .iter()
            .filter(|a| a.set.regimes.len() > 1)
            .collect();
        if several.is_empty() {
            return None;
        }
        let share: f64 = several.iter().map(|a| a.share).sum();
        Some(format!(
            "Equilibria of several regimes coexist on {} of the map (the regions named with \
             \"or\"): there, which regime is seen depends on which equilibrium is played.",
            share_words(share)
        ))
    }

    /// How the boundaries were found, in one sentence.
    pub fn note(&self) -> String {
        if let Some(n) = crate::geometry::regimes::note(self) {
            return n;
        }
        let list = |a: &Axis| {
            if a.breaks.is_empty() {
                String::new()
            } else {
                format!(
                    " {} = {}",
                    a.name,
                    a.breaks.iter().map(show).collect::<Vec<_>>().join(", ")
                )
            }
        };
        let found: Vec<String> = [list(&self.x), list(&self.y)]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        let mut s = if found.is_empty() {
            "No regime boundary parallel to an axis was found; cells are solved at their centres."
                .to_string()
        } else {
            format!(
                "Boundaries verified exactly at{}; other cells are solved at their centres.",
                found.join(" and")
            )
        };
        if !(self.x.approx.is_empty() && self.y.approx.is_empty()) {
            s.push_str(
                " Some boundaries were located only numerically (bisected to 2⁻⁴⁰ of the range).",
            );
        }
        if let Some(why) = &self.inexact {
            s.push_str(&format!(
                " The regions are not drawn from their regimes' conditions: {why}."
            ));
        }
        s
    }
}

/// A share in words: `45.3%`, `under 0.1%`.
pub fn share_words(share: f64) -> String {
    if share > 0.0 && share < 0.0005 {
        "under 0.1%".into()
    } else {
        format!(
            "{}%",
            crate::output::words::num((1000.0 * share).round() / 10.0)
        )
    }
}
