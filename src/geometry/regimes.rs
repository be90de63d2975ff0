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
//! An area is a *set* of regimes, and a regime exists where one of its alternatives' lists of
//! conditions holds, so an area is really where its regimes exist **and the others do not**:
//! a rule on the conditions' signs, in general a union of pieces, not one conjunction. When
//! the single-polygon partition above fails, that rule is applied directly: with every
//! condition linear, the lines of all conditions cut the rectangle into exact convex pieces
//! ([`super::arrangement`]) and each piece takes the area the rule gives at its centroid;
//! a condition that is a product of rational lines (`q·p − q/2 − p/2 + 1/4 ≥ 0`, which is
//! `(q − 1/2)(p − 1/2) ≥ 0`; [`super::lines`]) counts as linear here, its lines joining the
//! arrangement, so its areas are exact polygons too;
//! with a condition polynomial otherwise, the rectangle is sliced ([`super::curve`]) and
//! the rule decided between consecutive roots on each slice, curved boundaries drawn as
//! polylines through points computed on the curves and the shares the slices' areas (to an
//! estimated precision the note states). Either way every sampled cell centre must lie in its
//! own area, and every piece drawn (every band, for curves) is solved at a point strictly
//! inside it: the solve must find the regimes the rule predicts there. A piece whose regimes
//! match no sampled area (a regime thinner than the grid) so confirmed becomes an area of its
//! own. A solve that finds other regimes — a band the grid steps over, which the conditions of
//! the regimes sampled do not exclude — adds the conditions of the regimes it found, derived
//! at that point, and the map is cut again (at most [`MAX_ROUNDS`] times). When the conditions
//! are not used, the reason is kept ([`RegimeMap::inexact`]) and the map's note states it.

use super::{curve, partition, HalfPlane, Point};
use crate::exact;
use crate::exact::Rational;
use crate::model::GameTemplate;
use crate::plot::map::Ring;
use crate::regime::derive::Cond;
use crate::regime::map::RegimeMap;
use crate::regime::spoly::SPoly;
use crate::regime::RegimeSet;
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

/// Most regimes on one map whose combinations are classified exactly (each combination is a
/// class: 2¹⁰ of them at most).
const MAX_LABELS: usize = 10;

/// An area bounded by curves, drawn by slicing.
#[derive(Clone, Debug, PartialEq)]
pub struct CurvedArea {
    /// Closed rings (curves as polylines through computed points), in parameter units.
    pub rings: Vec<Ring>,
    /// Its share of the map.
    pub share: f64,
    /// The estimated error of the share (halving the slices changes the area by three times
    /// this).
    pub error: f64,
}

/// A regime map's areas drawn from their conditions.
#[derive(Clone, Debug, PartialEq)]
pub enum Exact {
    /// Every condition linear: each area a union of exact convex polygons (one when the area
    /// is a single conjunction of conditions).
    Polygons(Vec<Vec<Vec<Point>>>),
    /// Some condition curved: each area's rings and its share of the map (to within
    /// [`Exact::precision`]).
    Curves(Vec<CurvedArea>),
}

impl Exact {
    /// The bound stated for the error of an area's share: zero for polygons; for curves the
    /// largest estimated error, rounded up to one significant digit and at least 10⁻⁶.
    pub fn precision(&self) -> f64 {
        match self {
            Exact::Polygons(_) => 0.0,
            Exact::Curves(areas) => {
                let e = areas.iter().map(|a| a.error).fold(1e-6, f64::max);
                let p = 10f64.powf(e.log10().floor());
                (e / p).ceil() * p
            }
        }
    }
}

/// Every regime seen at the areas' centres, with the alternatives under which it exists
/// (conditions in the two mapped parameters, the others at the base point).
struct Table {
    labels: Vec<String>,
    alternatives: Vec<Vec<Vec<Cond>>>,
}

impl Table {
    /// The mask of a regime set's labels; `None` if one is not in the table.
    fn mask_of(&self, key: &[&str]) -> Option<usize> {
        key.iter().try_fold(0, |m, l| {
            Some(m | 1 << self.labels.iter().position(|t| t == l)?)
        })
    }
}

/// A condition in the two mapped parameters: terms `(coefficient, power of x, power of y)`,
/// and whether it is strict.
type LocalCond = (Vec<(Rational, u32, u32)>, bool);

/// A [`Table`] made quick to evaluate: its distinct conditions as polynomials in the two
/// mapped parameters, each regime's alternatives as lists of indices into them. A map asks
/// for the regimes at thousands of points, and regimes held up by several off-path beliefs
/// have hundreds of alternatives that share a few dozen conditions.
struct Fast {
    conds: Vec<LocalCond>,
    alts: Vec<Vec<Vec<usize>>>,
    degree: usize,
}

impl Fast {
    fn new(table: &Table, x: usize, y: usize) -> Fast {
        let mut distinct: Vec<&Cond> = Vec::new();
        let alts = table
            .alternatives
            .iter()
            .map(|alts| {
                alts.iter()
                    .map(|cs| {
                        cs.iter()
                            .map(|c| match distinct.iter().position(|d| *d == c) {
                                Some(i) => i,
                                None => {
                                    distinct.push(c);
                                    distinct.len() - 1
                                }
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect();
        let conds: Vec<LocalCond> = distinct
            .iter()
            .map(|c| {
                let terms = c
                    .poly
                    .terms
                    .iter()
                    .map(|(mono, k)| {
                        let pow = |v: usize| {
                            mono.iter()
                                .filter(|(w, _)| *w == v)
                                .map(|(_, e)| *e)
                                .sum::<u32>()
                        };
                        (k.clone(), pow(x), pow(y))
                    })
                    .collect();
                (terms, c.strict)
            })
            .collect();
        let degree = conds
            .iter()
            .flat_map(|(ts, _)| ts.iter().map(|(_, a, b)| (*a).max(*b) as usize))
            .max()
            .unwrap_or(0);
        Fast {
            conds,
            alts,
            degree,
        }
    }

    /// The labels (bit `i`: the table's label `i`) whose regime exists at `(px, py)`.
    fn mask(&self, px: &Rational, py: &Rational) -> usize {
        let powers = |v: &Rational| {
            let mut out = vec![Rational::from_integer(1.into())];
            for k in 0..self.degree {
                let next = &out[k] * v;
                out.push(next);
            }
            out
        };
        let (xs, ys) = (powers(px), powers(py));
        let holds: Vec<bool> = self
            .conds
            .iter()
            .map(|(terms, strict)| {
                let v: Rational = terms
                    .iter()
                    .map(|(k, a, b)| k * &xs[*a as usize] * &ys[*b as usize])
                    .sum();
                if *strict {
                    v.is_positive()
                } else {
                    !v.is_negative()
                }
            })
            .collect();
        self.alts
            .iter()
            .enumerate()
            .filter(|(_, alts)| alts.iter().any(|cs| cs.iter().all(|&i| holds[i])))
            .fold(0, |m, (i, _)| m | 1 << i)
    }
}

/// Each of `m`'s areas (same order as `m.areas`, followed by any area the cells missed) from
/// its regimes' conditions, the game `t` solved as `opts` says, other parameters at `base`:
/// exact polygons when every condition is linear in the two axes, else sliced shapes; `Err`
/// (saying why) where a regime's conditions cannot be derived or do not agree with the map's
/// cells. An area the cells missed is accepted only when a solve at a point inside it finds
/// the regimes its conditions predict; it is returned with that solve's regime set.
pub fn exact_areas(
    t: &GameTemplate,
    opts: &SolveOptions,
    base: &[Rational],
    m: &RegimeMap,
) -> Result<(Exact, Vec<RegimeSet>), String> {
    let mut areas = Vec::with_capacity(m.areas.len());
    for (k, area) in m.areas.iter().enumerate() {
        let (cx, cy) = m.centre(k).ok_or("an area has no cell")?;
        areas.push(Rep {
            labels: area.set.key().into_iter().map(str::to_string).collect(),
            inside: (cx, cy),
        });
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
    let sampled = Sampled {
        axes: (m.x.param, m.y.param),
        rect: (
            (m.x.lo.clone(), m.x.hi.clone()),
            (m.y.lo.clone(), m.y.hi.clone()),
        ),
        areas,
        samples,
        on_lines: Vec::new(),
        skip_on_lines: false,
    };
    areas_from(t, opts, base, &sampled)
}

/// An area of a sampled map: its regimes' labels and a point inside it (where its
/// conditions are derived).
#[derive(Clone, Debug, PartialEq)]
pub struct Rep {
    /// The labels of the regimes that exist in the area, sorted ([`RegimeSet::key`]).
    pub labels: Vec<String>,
    /// A sampled point of the area, away from its boundary.
    pub inside: Point,
}

/// A sampled regime map, as [`areas_from`] checks exact areas against it.
#[derive(Clone, Debug, PartialEq)]
pub struct Sampled {
    /// The horizontal and vertical parameters.
    pub axes: (usize, usize),
    /// The map's rectangle.
    pub rect: partition::Rect,
    /// The areas met by the samples.
    pub areas: Vec<Rep>,
    /// Sampled points and the area each lies in.
    pub samples: Vec<(usize, Point)>,
    /// Sampled points that lie on a boundary (their regimes exist only there): each must lie
    /// where some condition vanishes (or, with `skip_on_lines`, on the map's frame).
    pub on_lines: Vec<Point>,
    /// True if samples where some condition vanishes, or on the map's frame, are not checked
    /// (a swept grid may hold points exactly on a boundary, where the regimes of both sides or
    /// a tie hold, and on the frame, where a prior of 0 or 1 may change the regimes).
    pub skip_on_lines: bool,
}

/// Most rounds of adding the conditions of regimes that a solve inside a piece found but no
/// sample met (a band thinner than the grid), before the map keeps its cells.
pub const MAX_ROUNDS: usize = 8;

/// Why a round of [`areas_from`] stopped short of a map.
enum Stop {
    /// The conditions cannot give the map (why).
    Fail(String),
    /// A solve inside a piece found regimes other than its conditions predict there: the
    /// regimes found and that point, whose conditions join the next round.
    Missed(Box<Rep>),
}

impl From<String> for Stop {
    fn from(why: String) -> Stop {
        Stop::Fail(why)
    }
}

impl From<&str> for Stop {
    fn from(why: &str) -> Stop {
        Stop::Fail(why.to_string())
    }
}

/// The areas of a sampled map from their regimes' conditions ([`exact_areas`] for any set of
/// samples): each area's conditions are derived at its `inside` point, and the result is
/// accepted only if every sample (off the boundaries when `skip_on_lines`) lies in its own
/// area, every `on_lines` point on a boundary, and a solve at a point inside every piece drawn
/// finds the regimes the conditions give there; otherwise why not. A solve that finds regimes
/// no sample met (a band the grid steps over) adds their conditions, derived at that point,
/// and the map is cut again, at most [`MAX_ROUNDS`] times.
pub fn areas_from(
    t: &GameTemplate,
    opts: &SolveOptions,
    base: &[Rational],
    s: &Sampled,
) -> Result<(Exact, Vec<RegimeSet>), String> {
    let mut ev = crate::regime::Evaluator::new(t, opts.clone());
    let mut extra: Vec<Rep> = Vec::new();
    for _ in 0..=MAX_ROUNDS {
        match cut(t, opts, base, s, &extra, &mut ev) {
            Ok(found) => return Ok(found),
            Err(Stop::Fail(why)) => return Err(why),
            Err(Stop::Missed(rep)) => extra.push(*rep),
        }
    }
    Err(format!(
        "solves inside the pieces kept finding regimes the conditions do not give there, after \
         {MAX_ROUNDS} rounds of adding the conditions of the regimes found"
    ))
}

/// Derives the conditions of `area`'s regimes at its `inside` point into `table`: returns the
/// conditions of the alternatives that hold there and how many alternatives were new.
fn derive(
    t: &GameTemplate,
    opts: &SolveOptions,
    base: &[Rational],
    (x, y): (usize, usize),
    area: &Rep,
    table: &mut Table,
) -> Result<(Vec<Cond>, usize), String> {
    let (cx, cy) = area.inside.clone();
    let mut theta = base.to_vec();
    theta[x] = cx;
    theta[y] = cy;
    let here = || {
        format!(
            "({}, {})",
            exact::to_f64(&theta[x]),
            exact::to_f64(&theta[y])
        )
    };
    let found = crate::regime::conditions::conditions_at(t, &theta, opts).map_err(|e| {
        format!(
            "the regimes' conditions at {} could not be derived: {e}",
            here()
        )
    })?;
    if found.len() != area.labels.len() {
        return Err(format!(
            "the regimes whose conditions are derived at {} are not the sampled ones",
            here()
        ));
    }
    let mut conds = Vec::new();
    let mut added = 0;
    for label in &area.labels {
        let r = found
            .iter()
            .find(|r| &r.label == label)
            .ok_or_else(|| format!("no conditions were derived for {label} at {}", here()))?;
        let i = match table.labels.iter().position(|l| l == label) {
            Some(i) => i,
            None => {
                table.labels.push(label.to_string());
                table.alternatives.push(Vec::new());
                table.labels.len() - 1
            }
        };
        // The regime's equilibria that exist here; each holds where its conditions do.
        let mut any = false;
        for alt in &r.alternatives {
            let cs = alt
                .as_ref()
                .map_err(|e| format!("the conditions of {label} could not be derived ({e})"))?;
            let local: Vec<Cond> = cs
                .iter()
                .map(|c| Cond {
                    poly: local(&c.poly, base, x, y),
                    strict: c.strict,
                })
                .collect();
            if cs.iter().all(|c| c.holds(&theta)) {
                any = true;
                conds.extend(local.iter().cloned());
            }
            if !table.alternatives[i].contains(&local) {
                table.alternatives[i].push(local);
                added += 1;
            }
        }
        // Alternatives that are only sufficient cannot say where the regime is absent.
        if !any {
            return Err(format!(
                "no equilibrium of {label} meets its conditions at {}",
                here()
            ));
        }
        if !r.exact {
            return Err(format!(
                "the conditions of {label} are only sufficient (an off-path belief could \
                 not be quantified)"
            ));
        }
    }
    Ok((conds, added))
}

/// One round of [`areas_from`]: the map cut by the conditions of the sampled areas' regimes
/// and of the regimes `extra` solves found, every piece solved at a point inside it.
fn cut(
    t: &GameTemplate,
    opts: &SolveOptions,
    base: &[Rational],
    s: &Sampled,
    extra: &[Rep],
    ev: &mut crate::regime::Evaluator<'_>,
) -> Result<(Exact, Vec<RegimeSet>), Stop> {
    let (x, y) = s.axes;
    let mut classes: Vec<Vec<Cond>> = Vec::with_capacity(s.areas.len());
    let mut table = Table {
        labels: Vec::new(),
        alternatives: Vec::new(),
    };
    for area in &s.areas {
        classes.push(derive(t, opts, base, (x, y), area, &mut table)?.0);
    }
    for (i, rep) in extra.iter().enumerate() {
        let (_, added) = derive(t, opts, base, (x, y), rep, &mut table)?;
        // The latest regimes found add nothing: their conditions already gave another answer.
        if added == 0 && i + 1 == extra.len() {
            return Err(Stop::Fail(format!(
                "the regimes a solve finds at ({}, {}) are not those their conditions give there",
                exact::to_f64(&rep.inside.0),
                exact::to_f64(&rep.inside.1)
            )));
        }
    }
    let at = |px: &Rational, py: &Rational| {
        let mut theta = base.to_vec();
        theta[x] = px.clone();
        theta[y] = py.clone();
        theta
    };
    let conds: Vec<&Cond> = table.alternatives.iter().flatten().flatten().collect();
    // True where some condition vanishes: on a boundary; with `skip_on_lines` the map's
    // frame counts as one (where a prior is 0 or 1 the regimes may differ from inside).
    let on_line = |p: &Point| {
        let r = &s.rect;
        if s.skip_on_lines && (p.0 == r.0 .0 || p.0 == r.0 .1 || p.1 == r.1 .0 || p.1 == r.1 .1) {
            return true;
        }
        let theta = at(&p.0, &p.1);
        conds
            .iter()
            .any(|c| c.poly.as_constant().is_none() && c.poly.eval(&theta).is_zero())
    };
    if let Some(p) = s.on_lines.iter().find(|p| !on_line(p)) {
        return Err(Stop::Fail(format!(
            "the regimes at ({}, {}), met only where some player is indifferent, lie off every \
             boundary the conditions give",
            exact::to_f64(&p.0),
            exact::to_f64(&p.1)
        )));
    }
    let samples: Vec<(usize, Point)> = s
        .samples
        .iter()
        .filter(|(_, p)| !(s.skip_on_lines && on_line(p)))
        .cloned()
        .collect();
    let rect = &s.rect;
    if table.labels.len() > MAX_LABELS {
        return Err(Stop::Fail(format!(
            "more than {MAX_LABELS} regimes are met"
        )));
    }
    let masks: Vec<usize> = s
        .areas
        .iter()
        .map(|a| {
            let key: Vec<&str> = a.labels.iter().map(String::as_str).collect();
            table.mask_of(&key)
        })
        .collect::<Option<_>>()
        .ok_or("a sampled regime has no conditions")?;
    // A solve at `p`, inside a piece where the conditions give the regimes `mask`: the
    // regimes found, or the point and its regimes when they are others.
    let mut solve = |mask: usize, p: &Point| -> Result<RegimeSet, Stop> {
        let set = ev
            .at(&at(&p.0, &p.1))
            .map_err(|_| Stop::Fail(super::verify::unconfirmed(p)))?;
        if table.mask_of(&set.key()) == Some(mask) {
            return Ok(set);
        }
        Err(Stop::Missed(Box::new(Rep {
            labels: set.key().into_iter().map(str::to_string).collect(),
            inside: p.clone(),
        })))
    };
    // Every condition linear, or a product of lines (`(q − 1/2)(p − 1/2) ≥ 0`): the lines
    // cut the map into pieces on which no condition changes sign.
    let lines: Option<Vec<HalfPlane>> = conds
        .iter()
        .map(|c| match half_plane(c, base, x, y) {
            Some(h) => Some(vec![h]),
            None => super::lines::lines(&c.poly, x, y),
        })
        .collect::<Option<Vec<Vec<HalfPlane>>>>()
        .map(|ls| {
            let mut out: Vec<HalfPlane> = Vec::new();
            for h in ls.into_iter().flatten() {
                if !out.iter().any(|o| same_line(o, &h)) {
                    out.push(h);
                }
            }
            out
        });
    let planes: Option<Vec<Vec<HalfPlane>>> = classes
        .iter()
        .map(|cs| cs.iter().map(|c| half_plane(c, base, x, y)).collect())
        .collect();
    // Each area one conjunction: one convex polygon per area, every piece of the lines
    // inside it (or, with curved conditions elsewhere, the polygon itself) solved.
    if let Some(p) = planes
        .as_ref()
        .filter(|_| extra.is_empty())
        .and_then(|planes| partition::partition(rect, planes, &samples))
    {
        let probes: Vec<Point> = match &lines {
            Some(ls) => super::arrangement(rect, ls)
                .iter()
                .map(|q| super::centroid(q))
                .collect(),
            None => p
                .iter()
                .filter(|q| super::area(q).is_positive())
                .map(|q| super::centroid(q))
                .collect(),
        };
        for c in &probes {
            let k = p
                .iter()
                .position(|q| super::locate(q, c) == super::Place::Inside)
                .ok_or("a piece of the map lies in no region's polygon")?;
            solve(masks[k], c)?;
        }
        let polys = p.into_iter().map(|p| vec![p]).collect();
        return Ok((Exact::Polygons(polys), Vec::new()));
    }
    // Otherwise an area is where its regimes exist and the others do not: a union of pieces.
    let fast = Fast::new(&table, x, y);
    // Every sample lies in its own area.
    if let Some((_, p)) = samples
        .iter()
        .find(|(k, p)| fast.mask(&p.0, &p.1) != masks[*k])
    {
        return Err(Stop::Fail(format!(
            "the conditions place the point ({}, {}) in another region than its own",
            exact::to_f64(&p.0),
            exact::to_f64(&p.1)
        )));
    }
    let mut new_sets: Vec<RegimeSet> = Vec::new();
    let mut order = masks.clone();
    if let Some(lines) = lines {
        let mut pieces: Vec<Vec<Vec<Point>>> = vec![Vec::new(); masks.len()];
        for piece in super::arrangement(rect, &lines) {
            // Every piece solved inside: a band the samples missed shows here.
            let c = super::centroid(&piece);
            let mask = fast.mask(&c.0, &c.1);
            let set = solve(mask, &c)?;
            let k = match order.iter().position(|&o| o == mask) {
                Some(k) => k,
                None => {
                    new_sets.push(set);
                    order.push(mask);
                    pieces.push(Vec::new());
                    order.len() - 1
                }
            };
            pieces[k].push(piece);
        }
        return Ok((Exact::Polygons(pieces), new_sets));
    }
    let mut polys: Vec<SPoly> = Vec::new();
    for c in &conds {
        let p = c.poly.scale(&c.poly.content_scale());
        if p.as_constant().is_none() && !polys.contains(&p) {
            polys.push(p);
        }
    }
    let rule = |px: &Rational, py: &Rational| fast.mask(px, py);
    let c = curve::classify(
        &polys,
        (x, y),
        rect,
        COLUMNS,
        1 << table.labels.len(),
        &rule,
    );
    let total = exact::to_f64(&((&rect.0 .1 - &rect.0 .0) * (&rect.1 .1 - &rect.1 .0)));
    // Every band solved at a point inside it (off the frame and the slices).
    for (mask, p) in &c.pieces {
        let set = solve(*mask, p)?;
        if !order.contains(mask) {
            new_sets.push(set);
            order.push(*mask);
        }
    }
    if let Some(mask) = (0..c.area.len()).find(|m| c.area[*m] > 0.0 && !order.contains(m)) {
        let p = c.inside[mask]
            .as_ref()
            .ok_or("a sliced region has no point inside")?;
        new_sets.push(solve(mask, p)?);
        order.push(mask);
    }
    let areas = order
        .iter()
        .map(|&mask| CurvedArea {
            rings: c.rings[mask].clone(),
            share: c.area[mask] / total,
            error: c.error[mask] / total,
        })
        .collect();
    Ok((Exact::Curves(areas), new_sets))
}

/// True if two half-planes have the same boundary line.
fn same_line(a: &HalfPlane, b: &HalfPlane) -> bool {
    // (a, b, c) proportional: every 2×2 minor vanishes.
    (&a.a * &b.b - &a.b * &b.a).is_zero()
        && (&a.a * &b.c - &a.c * &b.a).is_zero()
        && (&a.b * &b.c - &a.c * &b.b).is_zero()
}

/// `p` with every parameter other than `x` and `y` at its value in `base`.
fn local(p: &SPoly, base: &[Rational], x: usize, y: usize) -> SPoly {
    p.substitute(&|v| (v != x && v != y).then(|| base.get(v).cloned().unwrap_or_default()))
}

/// Sets `m.exact` to [`exact_areas`] and, when found, each area's share to its exact share
/// of the map (for curves, the slices' estimate); areas the cells missed are added, with no
/// cells and their verified regime sets.
pub fn apply(t: &GameTemplate, opts: &SolveOptions, base: &[Rational], m: &mut RegimeMap) {
    let (exact, new_sets) = match exact_areas(t, opts, base, m) {
        Ok(found) => found,
        Err(why) => {
            m.exact = None;
            m.inexact = Some(why);
            return;
        }
    };
    for set in new_sets {
        m.areas.push(crate::regime::map::Area {
            set,
            share: 0.0,
            conditions: None,
        });
    }
    let total = (&m.x.hi - &m.x.lo) * (&m.y.hi - &m.y.lo);
    match &exact {
        Exact::Polygons(polys) => {
            for (a, p) in m.areas.iter_mut().zip(polys) {
                let sum: Rational = p.iter().map(|p| super::area(p)).sum();
                a.share = exact::to_f64(&(sum / &total));
            }
        }
        Exact::Curves(areas) => {
            for (a, c) in m.areas.iter_mut().zip(areas) {
                a.share = c.share;
            }
        }
    }
    m.exact = Some(exact);
}

/// The map's exact areas as shapes filled with `fills` (one per area, polygons merged into
/// one outline per connected region); empty when the map has no exact areas.
pub fn shapes(m: &RegimeMap, fills: &[String]) -> Vec<crate::plot::map::Shape> {
    let rings: Vec<Vec<Vec<(f64, f64)>>> = match &m.exact {
        None => return Vec::new(),
        // Each area's convex pieces merged: one outline per connected region, no seams.
        Some(Exact::Polygons(polys)) => polys.iter().map(|ps| super::outline::rings(ps)).collect(),
        Some(Exact::Curves(areas)) => areas.iter().map(|a| a.rings.clone()).collect(),
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
    let mut s = match m.exact.as_ref()? {
        Exact::Polygons(_) => format!(
            "Regions drawn exactly: each is where its regimes' equilibrium conditions hold \
             (their boundaries are lines in {} and {} here), and every sampled cell lies in its \
             own region.",
            m.x.name, m.y.name
        ),
        e @ Exact::Curves(_) => format!(
            "Regions drawn from their regimes' equilibrium conditions (each where its regimes \
             exist and the others do not), curved boundaries through points computed on the \
             curves ({} slices along {}, changes between slices located to 2⁻³⁰ of its range); \
             shares to within {} (estimated by halving the slices), and every sampled cell \
             lies in its own region.",
            COLUMNS + 1,
            m.x.name,
            crate::output::words::num(100.0 * e.precision()) + "%"
        ),
    };
    let unsampled = (0..m.areas.len()).filter(|k| !m.cells.contains(k)).count();
    if unsampled > 0 {
        s.push_str(&format!(
            " {unsampled} region{} no cell sampled (thinner than the grid) {} verified by a solve \
             at a point inside.",
            if unsampled == 1 { "" } else { "s" },
            if unsampled == 1 { "was" } else { "were" }
        ));
    }
    Some(s)
}

/// Which of the map's areas the exact areas place `p` in: for polygons exactly (`None` on a
/// boundary between areas); for curves by the rings drawn (even-odd), `None` when the point
/// is within `margin` (in parameter units) of a ring's edge, where the polylines through the
/// computed boundary points may stray from the curve. `None` too when the map has no exact
/// areas.
pub fn area_at(m: &RegimeMap, p: &Point, margin: f64) -> Option<usize> {
    match m.exact.as_ref()? {
        Exact::Polygons(polys) => {
            let mut found = None;
            for (k, pieces) in polys.iter().enumerate() {
                for piece in pieces {
                    match super::locate(piece, p) {
                        super::Place::Inside => return Some(k),
                        super::Place::Boundary => found = Some(k),
                        super::Place::Outside => {}
                    }
                }
            }
            // On an edge: only when every piece it touches is of one area.
            let k = found?;
            polys
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != k)
                .all(|(_, ps)| {
                    ps.iter()
                        .all(|q| super::locate(q, p) == super::Place::Outside)
                })
                .then_some(k)
        }
        Exact::Curves(areas) => {
            let (x, y) = (exact::to_f64(&p.0), exact::to_f64(&p.1));
            let mut hit = None;
            for (k, a) in areas.iter().enumerate() {
                let mut inside = false;
                for r in &a.rings {
                    for i in 0..r.len() {
                        let (u, v) = (r[i], r[(i + 1) % r.len()]);
                        if segment_distance((x, y), u, v) <= margin {
                            return None;
                        }
                        if (u.1 > y) != (v.1 > y) && x < u.0 + (y - u.1) * (v.0 - u.0) / (v.1 - u.1)
                        {
                            inside = !inside;
                        }
                    }
                }
                if inside {
                    hit = Some(k);
                }
            }
            hit
        }
    }
}

/// The distance from `p` to the segment `u`–`v`.
fn segment_distance(p: (f64, f64), u: (f64, f64), v: (f64, f64)) -> f64 {
    let (dx, dy) = (v.0 - u.0, v.1 - u.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p.0 - u.0) * dx + (p.1 - u.1) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (cx, cy) = (u.0 + t * dx, u.1 + t * dy);
    ((p.0 - cx).powi(2) + (p.1 - cy).powi(2)).sqrt()
}
