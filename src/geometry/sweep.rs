//! A sweep's outcome map over two parameters as exact polygons instead of its swept cells.
//!
//! In a game of perfect information solved by backward induction, the equilibrium at a point
//! changes only where some mover's best move changes: where one of the node conditions of
//! [`crate::regions::node_conditions`] (the chosen move's value minus an alternative's)
//! changes sign (and, when the map is coloured by a question's answer, one of the question's
//! games' conditions). When those margins are linear in the two swept parameters (the other
//! parameters at the sweep's base point), the lines where they vanish cut the swept
//! rectangle into convex pieces ([`super::arrangement`]) inside each of which every mover
//! keeps its move: a piece's class is the sweep's class (outcome, and the first question's
//! answer) at one interior point, found by solving there. The margins are collected at a
//! sample of the swept points and at the first point of every class; the pieces are accepted
//! only if every swept point (off the lines) lies in a piece of its own class, so a boundary
//! the sample missed makes the map keep its cells. A piece whose class no swept point has (a
//! region thinner than the grid) is kept, as a class of its own, only when the choices solved
//! at its centroid hold on the whole piece and a second solve inside it finds the same class
//! ([`super::verify`]).

use super::{arrangement, centroid, half_plane, HalfPlane, Point};
use crate::model::GameTemplate;
use crate::regime::rational::of_f64;
use num_traits::Signed;
use std::collections::HashMap;

/// Most swept values per axis at which the margins are collected.
const SAMPLE: usize = 16;

/// Most distinct lines (beyond them the cells are kept).
const MAX_LINES: usize = 64;

/// A ring of a class's region: the class and its vertices in floating point.
pub type ClassRing = (usize, Vec<(f64, f64)>);

/// Most swept points of a regime map's class tried for deriving its conditions.
const CANDIDATES: usize = 8;

/// A swept map: each axis's parameter and its values (increasing), and the class of each
/// point (`cells[ix * ny + iy]`).
pub struct Swept<'a> {
    /// Horizontal parameter and its swept values.
    pub x: (usize, &'a [f64]),
    /// Vertical parameter and its swept values.
    pub y: (usize, &'a [f64]),
    /// Class of each swept point.
    pub cells: &'a [u32],
}

/// The map's pieces with their classes (vertices exact, over the swept range), when the
/// conditions are linear and every swept point lies in a piece of its class; `class_at`
/// gives the class the sweep would give a point (parameters as `f64`, every one set; a class
/// no swept point has gets a number of its own), and `question` is the question whose answer
/// is part of the class, if any. A piece of a class no swept point has is kept only when
/// [`super::verify::confirm`] confirms it.
pub fn outcome_pieces(
    t: &GameTemplate,
    base: &[f64],
    question: Option<&crate::questions::PreparedQuestion>,
    m: &Swept<'_>,
    class_at: &mut dyn FnMut(&[f64]) -> Option<u32>,
) -> Option<Vec<(u32, Vec<Point>)>> {
    let (xs, ys) = (m.x.1, m.y.1);
    let (nx, ny) = (xs.len(), ys.len());
    if nx < 2 || ny < 2 || m.cells.len() != nx * ny {
        return None;
    }
    let rect = (
        (of_f64(xs[0])?, of_f64(xs[nx - 1])?),
        (of_f64(ys[0])?, of_f64(ys[ny - 1])?),
    );
    let at = |px: f64, py: f64| {
        let mut th = base.to_vec();
        th[m.x.0] = px;
        th[m.y.0] = py;
        th
    };
    // Where to collect the margins: a sample of the grid and every class's first point.
    let pick = |n: usize| -> Vec<usize> {
        let k = n.min(SAMPLE);
        (0..k).map(|i| i * (n - 1) / (k - 1).max(1)).collect()
    };
    let mut points: Vec<(usize, usize)> = pick(nx)
        .into_iter()
        .flat_map(|i| pick(ny).into_iter().map(move |j| (i, j)))
        .collect();
    let mut seen: Vec<u32> = Vec::new();
    for (c, &k) in m.cells.iter().enumerate() {
        if !seen.contains(&k) {
            seen.push(k);
            points.push((c / ny, c % ny));
        }
    }
    let keep = [m.x.0, m.y.0];
    let mut lines: Vec<HalfPlane> = Vec::new();
    let mut qev = match question {
        Some(q) => Some(crate::questions::Evaluator::new(q).ok()?),
        None => None,
    };
    // The margins of the choices made at `th` (every mover's, and the question's games'), as
    // half-planes in the two parameters; `None` if one is not linear in them.
    let mut choices = |th: &[f64]| -> Option<Vec<HalfPlane>> {
        let mut conds: Vec<crate::regions::Condition> = crate::regions::node_conditions(t, th)
            .ok()?
            .into_iter()
            .flat_map(|nc| nc.alternatives.into_iter().map(|a| a.1))
            .collect();
        // The answer changes where a choice of the question's games does.
        if let (Some(q), Some(ev)) = (question, qev.as_mut()) {
            if ev.effect_at(th).is_ok() {
                conds.extend(q.conditions(ev.signature()));
            }
        }
        let mut hs = Vec::new();
        for c in conds.iter().filter(|c| !c.always()) {
            // A margin that does not involve the two parameters draws no line.
            if let Some(h) = normalise(half_plane(&c.margin_in(th, &keep)?, m.x.0, m.y.0)?) {
                hs.push(h);
            }
        }
        Some(hs)
    };
    for (i, j) in points {
        for h in choices(&at(xs[i], ys[j]))? {
            if !lines.contains(&h) {
                lines.push(h);
            }
        }
        if lines.len() > MAX_LINES {
            return None;
        }
    }
    // Each piece solved at an interior point; pieces named by the sides of the lines.
    let mut pieces = Vec::new();
    let mut by_side: HashMap<Vec<bool>, u32> = HashMap::new();
    let f = |q: &crate::exact::Rational| crate::exact::to_f64(q);
    for p in arrangement(&rect, &lines) {
        let c = centroid(&p);
        let th = at(f(&c.0), f(&c.1));
        let class = class_at(&th)?;
        // A class no swept point has (a region thinner than the grid): kept only if the
        // choices solved at the centroid hold on the whole piece and a second solve inside
        // it finds the same class.
        if !m.cells.contains(&class) {
            let conditions = choices(&th)?;
            let mut solve = |q: &Point| class_at(&at(f(&q.0), f(&q.1)));
            super::verify::confirm(&p, &conditions, &class, &mut solve).ok()?;
        }
        by_side.insert(
            lines.iter().map(|h| h.value(&c).is_positive()).collect(),
            class,
        );
        pieces.push((class, p));
    }
    // Every swept point off the lines lies in a piece of its own class.
    let lf: Vec<(f64, f64, f64)> = lines.iter().map(|h| (f(&h.a), f(&h.b), f(&h.c))).collect();
    for (cell, &k) in m.cells.iter().enumerate() {
        let (px, py) = (xs[cell / ny], ys[cell % ny]);
        let vals: Vec<f64> = lf.iter().map(|(a, b, c)| a * px + b * py + c).collect();
        let scale = |(a, b, c): &(f64, f64, f64)| {
            1e-9 * (a.abs() * px.abs().max(1.0) + b.abs() * py.abs().max(1.0) + c.abs())
        };
        if vals.iter().zip(&lf).any(|(v, l)| v.abs() <= scale(l)) {
            continue;
        }
        let side: Vec<bool> = vals.iter().map(|&v| v > 0.0).collect();
        if by_side.get(&side) != Some(&k) {
            return None;
        }
    }
    Some(pieces)
}

/// `h` scaled so that its first non-zero coefficient is ±1 (the same line, the same side);
/// `None` for a constant.
fn normalise(h: HalfPlane) -> Option<HalfPlane> {
    use num_traits::Zero;
    let k = if !h.a.is_zero() {
        h.a.abs()
    } else if !h.b.is_zero() {
        h.b.abs()
    } else {
        return None;
    };
    Some(HalfPlane {
        a: &h.a / &k,
        b: &h.b / &k,
        c: &h.c / &k,
    })
}

/// The pieces as drawn: each class's regions merged into one outline each
/// ([`super::outline`]), rings in floating point, classes in order of first appearance.
pub fn rings(pieces: &[(u32, Vec<Point>)]) -> Vec<(usize, Vec<(f64, f64)>)> {
    let mut classes: Vec<u32> = Vec::new();
    for (k, _) in pieces {
        if !classes.contains(k) {
            classes.push(*k);
        }
    }
    classes
        .into_iter()
        .flat_map(|k| {
            let of_k: Vec<Vec<Point>> = pieces
                .iter()
                .filter(|(c, _)| *c == k)
                .map(|(_, p)| p.clone())
                .collect();
            super::outline::rings(&of_k)
                .into_iter()
                .map(move |r| (k as usize, r))
        })
        .collect()
}

/// The note under a map drawn from [`outcome_pieces`], `unsampled` of whose classes no swept
/// point has.
pub fn note(x: &str, y: &str, unsampled: usize) -> String {
    format!(
        "Regions drawn exactly: the lines where a mover's best move changes (linear in {x} and \
         {y} here) cut the swept range into pieces, each solved at a point inside, and every \
         swept point lies in a piece of its own class.{}",
        super::verify::note(unsampled, "swept point")
    )
}

/// A sweep's regime map (a game with information sets: one class per regime set) as exact
/// areas, or why not. `labels[k]` is class `k`'s regime set as the sweep writes it; the game
/// is solved as `opts` says, every equilibrium counted. Each class's conditions are derived
/// at a swept point whose neighbours share its class (the first of a few where every
/// alternative of its regimes is derived) ([`super::regimes::areas_from`]); a
/// class with no such point whose regimes tie there, or met only on the map's frame (where a
/// prior of 0 or 1 may change the regimes), is a boundary's (its points must lie where a
/// condition vanishes, or on the frame). The areas are accepted under the rule of `regions --map`:
/// they tile the swept range and every swept point off a boundary lies in its own class's
/// area; an area no swept point has (thinner than the grid) is kept, as a class after the
/// sweep's, only when a solve inside it finds the regimes its conditions predict
/// ([`super::verify`]). Returns each class's rings (one outline per connected region,
/// [`super::outline`]), the unsampled classes' regime sets and the note under the map.
pub fn regime_areas(
    t: &GameTemplate,
    opts: &crate::solve::SolveOptions,
    base: &[f64],
    m: &Swept<'_>,
    labels: &[String],
) -> Result<RegimeAreas, String> {
    use super::regimes::{areas_from, Rep, Sampled};
    let (xs, ys) = (m.x.1, m.y.1);
    let (nx, ny) = (xs.len(), ys.len());
    if nx < 2 || ny < 2 || m.cells.len() != nx * ny {
        return Err("the map has fewer than two values on an axis".into());
    }
    let q = |v: f64| of_f64(v).ok_or_else(|| format!("{v} is not a finite number"));
    let qs = |v: &[f64]| v.iter().map(|&x| q(x)).collect::<Result<Vec<_>, _>>();
    let (qx, qy) = (qs(xs)?, qs(ys)?);
    let base_q = base.iter().map(|&v| q(v)).collect::<Result<Vec<_>, _>>()?;
    let point = |c: usize| (qx[c / ny].clone(), qy[c % ny].clone());
    let interior = |c: usize| {
        let (i, j) = (c / ny, c % ny);
        let k = m.cells[c];
        let same = |i2: usize, j2: usize| m.cells[i2 * ny + j2] == k;
        (i == 0 || same(i - 1, j))
            && (i + 1 == nx || same(i + 1, j))
            && (j == 0 || same(i, j - 1))
            && (j + 1 == ny || same(i, j + 1))
    };
    let mut ev = crate::regime::Evaluator::new(t, opts.clone());
    // Sweep class → area of the sampled map (boundary classes have none).
    let mut area_of: Vec<Option<usize>> = vec![None; labels.len()];
    let mut reps: Vec<Rep> = Vec::new();
    for (k, label) in labels.iter().enumerate() {
        let cells: Vec<usize> = (0..m.cells.len())
            .filter(|&c| m.cells[c] as usize == k)
            .collect();
        let Some(&first) = cells.first() else {
            continue;
        };
        // Conditions are derived where every alternative of every regime can be: the first
        // of a few interior points (the middle one first) where they all are.
        let inners: Vec<usize> = cells.iter().copied().filter(|&c| interior(c)).collect();
        let theta_at = |c: usize| {
            let mut theta = base_q.clone();
            theta[m.x.0] = qx[c / ny].clone();
            theta[m.y.0] = qy[c % ny].clone();
            theta
        };
        let derivable = |c: usize| {
            crate::regime::conditions::conditions_at(t, &theta_at(c), opts).is_ok_and(|found| {
                found
                    .iter()
                    .all(|r| r.exact && r.alternatives.iter().all(Result::is_ok))
            })
        };
        let tries = inners.len().min(CANDIDATES);
        let inner = (0..tries)
            .map(|i| inners[(inners.len() / 2 + i * inners.len() / tries) % inners.len()])
            .find(|&c| derivable(c))
            .or_else(|| inners.first().copied());
        // A set with no interior point met only on the frame is the frame's.
        let frame =
            |c: usize| c / ny == 0 || c / ny == nx - 1 || c.is_multiple_of(ny) || c % ny == ny - 1;
        if inner.is_none() && cells.iter().all(|&c| frame(c)) {
            continue;
        }
        let c = inner.unwrap_or(first);
        let set = ev
            .at(&theta_at(c))
            .map_err(|e| format!("the regimes at a swept point could not be recomputed: {e}"))?;
        if set.describe() != *label {
            return Err(format!(
                "the regimes recomputed at a swept point ({}) differ from the sweep's ({label})",
                set.describe()
            ));
        }
        if set.regimes.is_empty() {
            return Err("some swept point has no equilibrium".into());
        }
        // A set with no interior point whose regimes tie is a boundary's.
        if inner.is_none() && set.tie {
            continue;
        }
        area_of[k] = Some(reps.len());
        reps.push(Rep {
            labels: set.key().into_iter().map(str::to_string).collect(),
            inside: point(c),
        });
    }
    let mut samples = Vec::new();
    let mut on_lines = Vec::new();
    for (c, &k) in m.cells.iter().enumerate() {
        match area_of.get(k as usize).copied().flatten() {
            Some(a) => samples.push((a, point(c))),
            None => on_lines.push(point(c)),
        }
    }
    let sampled = Sampled {
        axes: (m.x.0, m.y.0),
        rect: (
            (qx[0].clone(), qx[nx - 1].clone()),
            (qy[0].clone(), qy[ny - 1].clone()),
        ),
        areas: reps,
        samples,
        on_lines,
        skip_on_lines: true,
    };
    // Regions no swept point has come back confirmed by a solve inside them, after the
    // sampled ones: each a class of its own, after the sweep's.
    let (exact, missed) = areas_from(t, opts, &base_q, &sampled)?;
    // A set the sweep met only on the frame or on a boundary keeps its class (and its
    // legend entry); a set no swept point has gets a new one.
    let mut unsampled: Vec<String> = Vec::new();
    let mut missed_class: Vec<usize> = Vec::with_capacity(missed.len());
    for set in &missed {
        let label = set.describe();
        missed_class.push(match labels.iter().position(|l| *l == label) {
            Some(k) => k,
            None => {
                unsampled.push(label);
                labels.len() + unsampled.len() - 1
            }
        });
    }
    // Areas in the order of the sampled map's; back to the sweep's classes.
    let mut classes: Vec<usize> = vec![0; area_of.iter().flatten().count()];
    for (k, a) in area_of.iter().enumerate() {
        if let Some(a) = a {
            classes[*a] = k;
        }
    }
    classes.extend(missed_class);
    let verified = super::verify::note(missed.len(), "swept point");
    let (x, y) = (&t.params.names[m.x.0], &t.params.names[m.y.0]);
    let mut rings = Vec::new();
    let note = match &exact {
        super::regimes::Exact::Polygons(p) => {
            for (k, pieces) in classes.iter().zip(p) {
                rings.extend(super::outline::rings(pieces).into_iter().map(|r| (*k, r)));
            }
            format!(
                "Regions drawn exactly: each is where its regimes exist and the others do not \
                 (equilibrium conditions linear in {x} and {y} here), and every swept point off \
                 a boundary lies in its own region.{verified}"
            )
        }
        e @ super::regimes::Exact::Curves(areas) => {
            for (k, a) in classes.iter().zip(areas) {
                rings.extend(a.rings.iter().map(|r| (*k, r.clone())));
            }
            format!(
                "Regions drawn from their regimes' equilibrium conditions (each where its \
                 regimes exist and the others do not), curved boundaries through points computed \
                 on the curves ({} slices along {x}); shares to within {}, and every swept point \
                 off a boundary lies in its own region.{verified}",
                super::regimes::COLUMNS + 1,
                crate::output::words::num(100.0 * e.precision()) + "%"
            )
        }
    };
    Ok(RegimeAreas {
        rings,
        unsampled,
        note,
    })
}

/// A sweep's regime map drawn exactly ([`regime_areas`]).
#[derive(Clone, Debug, PartialEq)]
pub struct RegimeAreas {
    /// Each class's rings (one outline per connected region).
    pub rings: Vec<ClassRing>,
    /// The regime sets of the regions no swept point has, confirmed by a solve inside each:
    /// `unsampled[i]` is class `labels.len() + i`.
    pub unsampled: Vec<String>,
    /// The note under the map.
    pub note: String,
}
