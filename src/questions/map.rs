//! A question's answer mapped over two parameters, for figures and for regions stated in
//! words. The map samples the nodes of an `n × n` grid (so its edges are the parameters'
//! range ends) with an [`Evaluator`]; grid points with the same pair of equilibria form a
//! *regime*. A regime's conditions are those of both equilibria
//! ([`crate::regions::choice_conditions`]) that involve the mapped parameters, without the
//! ones that hold everywhere on the map or follow from the others there; regimes with the same
//! effect are stated as one region when their shared conditions select exactly their points.
//!
//! A point where the subgame-perfect equilibria disagree on the answer (a tie decides it) is
//! marked [`QuestionMap::tied`] and belongs to no effect's region: the regions say where the
//! answer holds in every equilibrium, so they do not depend on the order of the file's moves.

use super::{Effect, Evaluator, PreparedQuestion, QuestionError};
use crate::output::words::path_in_words;
use crate::poly::Poly;
use crate::regions::{chain, Condition};

/// A regime: its effect, the choices in the treatment and control games, and its grid cells.
pub type Regime = (Effect, (Vec<u32>, Vec<u32>), Vec<usize>);

/// The map of a question over two parameters.
#[derive(Clone, Debug)]
pub struct QuestionMap {
    /// Indices of the x and y parameters.
    pub axes: (usize, usize),
    /// Grid values along x and y.
    pub xs: Vec<f64>,
    /// Grid values along y.
    pub ys: Vec<f64>,
    /// Effect at `[j * xs.len() + i]` (row j = y, column i = x), in the tie rule's selection.
    pub effect: Vec<Effect>,
    /// True where the equilibria disagree on the answer (how a tie is broken decides it).
    pub tied: Vec<bool>,
    /// Regime of each cell (index into `regimes`).
    pub regime: Vec<usize>,
    /// The regimes: their effect, the choices in both games, and their cells.
    pub regimes: Vec<Regime>,
}

/// Maps the question over `x ∈ rx`, `y ∈ ry` (`axes = (x, y)`), other parameters at `base`,
/// at the nodes of an `n × n` grid; points where the model cannot be evaluated are
/// [`Effect::Unknown`].
pub fn question_map(
    p: &PreparedQuestion,
    base: &[f64],
    axes: (usize, usize),
    (rx, ry): ((f64, f64), (f64, f64)),
    n: usize,
) -> Result<QuestionMap, QuestionError> {
    let n = n.max(2);
    let grid = |(lo, hi): (f64, f64)| -> Vec<f64> {
        (0..n)
            .map(|i| lo + (hi - lo) * i as f64 / (n - 1) as f64)
            .collect()
    };
    let (xs, ys) = (grid(rx), grid(ry));
    let mut ev = Evaluator::new(p)?;
    let mut theta = base.to_vec();
    let mut m = QuestionMap {
        axes,
        effect: Vec::with_capacity(n * n),
        tied: Vec::with_capacity(n * n),
        regime: Vec::with_capacity(n * n),
        regimes: Vec::new(),
        xs,
        ys,
    };
    let mut index = std::collections::HashMap::new();
    for j in 0..n {
        for i in 0..n {
            theta[axes.0] = m.xs[i];
            theta[axes.1] = m.ys[j];
            let (effect, tied, key) = match ev.effect_at(&theta) {
                Ok(e) => {
                    let (ct, cc) = ev.signature();
                    (e, ev.effects().tied(), (ct.to_vec(), cc.to_vec()))
                }
                Err(_) => (Effect::Unknown, false, (Vec::new(), Vec::new())),
            };
            let r = match index.get(&(effect, tied, key.clone())) {
                Some(&r) => r,
                None => {
                    m.regimes.push((effect, key.clone(), Vec::new()));
                    index.insert((effect, tied, key), m.regimes.len() - 1);
                    m.regimes.len() - 1
                }
            };
            m.regimes[r].2.push(j * n + i);
            m.effect.push(effect);
            m.tied.push(tied);
            m.regime.push(r);
        }
    }
    Ok(m)
}

impl QuestionMap {
    /// The share of the map's points where a tie decides the answer.
    pub fn tied_share(&self) -> f64 {
        self.tied.iter().filter(|t| **t).count() as f64 / self.tied.len().max(1) as f64
    }

    /// Whether cell `c` shows `effect` in every equilibrium.
    pub fn shows(&self, c: usize, effect: Effect) -> bool {
        self.effect[c] == effect && !self.tied[c]
    }
}

/// A regime described: conditions on the map's axes (numbers filled in for the other
/// parameters) and exact (symbolic), plus the paths of play in both games.
#[derive(Clone, Debug, PartialEq)]
pub struct MapRegion {
    /// The effect.
    pub effect: Effect,
    /// Share of the map's cells.
    pub share: f64,
    /// Conditions with the other parameters at their values: `T > 0.2`, `1 < c_D < 3 - 0.5*T`.
    pub numeric: Vec<String>,
    /// The same conditions in the model's symbols: `c_D < a - lambda*T + L`.
    pub exact: Vec<String>,
    /// The event's probability with the treatment and with the control, at a point of the
    /// region.
    pub probabilities: (f64, f64),
    /// The conditions that do not involve the map's axes, at the base point (`T > 0.2` for a
    /// map over other parameters).
    pub background: Vec<String>,
    /// Path of play with the treatment, at a point of the region.
    pub path_treatment: String,
    /// Path of play under the control.
    pub path_control: String,
}

/// A condition of a regime, with its margin as a polynomial in the map's axes.
#[derive(Clone)]
struct Ineq {
    exact: Condition,
    numeric: Poly,
}

/// `base` with the map's axes at grid cell `(i, j)`.
fn at_cell(base: &[f64], m: &QuestionMap, i: usize, j: usize) -> Vec<f64> {
    let mut th = base.to_vec();
    th[m.axes.0] = m.xs[i];
    th[m.axes.1] = m.ys[j];
    th
}

/// Describes where a map shows `effect`: as one region when the conditions shared by all its
/// regimes carve out exactly those grid points (up to one row or column of boundary points),
/// otherwise regime by regime, largest first.
pub fn map_regions(
    p: &PreparedQuestion,
    base: &[f64],
    m: &QuestionMap,
    effect: Effect,
) -> Vec<MapRegion> {
    let names = &p.treatment.params.names;
    let (xn, yn) = (names[m.axes.0].as_str(), names[m.axes.1].as_str());
    let keep = [m.axes.0, m.axes.1];
    let mut regimes: Vec<&Regime> = m
        .regimes
        .iter()
        .filter(|r| r.0 == effect && r.2.first().is_some_and(|&c| !m.tied[c]))
        .collect();
    regimes.sort_by_key(|r| std::cmp::Reverse(r.2.len()));
    let per: Vec<(Vec<Ineq>, &Vec<usize>)> = regimes
        .iter()
        .map(|(_, (ct, cc), cells)| {
            let ineqs = p
                .conditions((ct, cc))
                .into_iter()
                .filter_map(|c| {
                    Some(Ineq {
                        numeric: c.margin_in(base, &keep)?,
                        exact: c,
                    })
                })
                .filter(|q| q.numeric.mentions(keep[0]) || q.numeric.mentions(keep[1]))
                .collect();
            (ineqs, cells)
        })
        .collect();
    let ctx = Ctx { p, base, m, xn, yn };
    if per.len() > 1 {
        if let Some(r) = merged(&ctx, &per, effect) {
            return vec![r];
        }
    }
    per.into_iter()
        .map(|(mut ineqs, cells)| {
            prune(&mut ineqs, base, m);
            ctx.text(effect, &ineqs, &[cells])
        })
        .collect()
}

struct Ctx<'c> {
    p: &'c PreparedQuestion,
    base: &'c [f64],
    m: &'c QuestionMap,
    xn: &'c str,
    yn: &'c str,
}

impl Ctx<'_> {
    /// Whether `q` holds at a grid point, counting equality (a tie, which backward induction
    /// breaks toward the first move) as holding.
    fn holds(&self, q: &Ineq, cell: usize) -> bool {
        let (i, j) = (cell % self.m.xs.len(), cell / self.m.xs.len());
        q.numeric.eval(&at_cell(self.base, self.m, i, j)) > -1e-9
    }

    fn text(&self, effect: Effect, ineqs: &[Ineq], groups: &[&Vec<usize>]) -> MapRegion {
        let (p, m, base) = (self.p, self.m, self.base);
        let (x, y) = m.axes;
        let mut paths_t: Vec<String> = Vec::new();
        let mut paths_c: Vec<String> = Vec::new();
        let mut ev = Evaluator::new(p).ok();
        let mut probabilities = (f64::NAN, f64::NAN);
        let mut background: Vec<String> = Vec::new();
        for cells in groups {
            let cell = cells[cells.len() / 2];
            let mut th = base.to_vec();
            th[m.axes.0] = m.xs[cell % m.xs.len()];
            th[m.axes.1] = m.ys[cell / m.xs.len()];
            let Some(ev) = ev.as_mut() else { continue };
            if ev.effect_at(&th).is_err() {
                continue;
            }
            if probabilities.0.is_nan() {
                probabilities = ev.probabilities();
            }
            for c in p.conditions(ev.signature()) {
                // A move tied with its alternative for every value (both give -g_P) is the
                // tie rule's pick, not a condition.
                let tied = c.polys.as_ref().is_some_and(|(l, r)| l.sub(r).is_zero());
                if !c.always() && !tied && !c.mentions(x) && !c.mentions(y) {
                    let text = c.render(&[y, x], Some(base));
                    if !background.contains(&text) {
                        background.push(text);
                    }
                }
            }
            // Every equilibrium's path (ties broken every way), so the words do not depend on
            // the order of the file's moves.
            for ((game, profiles), out) in
                ev.all_games().into_iter().zip([&mut paths_t, &mut paths_c])
            {
                for profile in profiles {
                    let w = path_in_words(game, &profile).replace('\n', "; ");
                    if !out.contains(&w) {
                        out.push(w);
                    }
                }
            }
        }
        paths_t.sort();
        paths_c.sort();
        background.sort();
        let n: usize = groups.iter().map(|g| g.len()).sum();
        let cells = n as f64 / m.effect.len().max(1) as f64;
        MapRegion {
            effect,
            probabilities,
            background,
            share: exact_share(ineqs, m, cells).unwrap_or(cells),
            numeric: chain(
                ineqs
                    .iter()
                    .filter_map(|q| q.exact.shown_at(&[y, x], base, &[x, y]))
                    .collect(),
                &[self.xn, self.yn],
            ),
            exact: chain(
                ineqs
                    .iter()
                    .filter_map(|q| q.exact.shown(&[y, x], base))
                    .collect(),
                &[self.xn, self.yn],
            ),
            path_treatment: paths_t.join(" or "),
            path_control: paths_c.join(" or "),
        }
    }
}

/// The region's exact share of the map when its conditions are linear in the two axes (the
/// rectangle clipped by them, [`crate::geometry`]), if it agrees with the share of grid points
/// `cells` to within the grid's resolution (else the conditions do not describe the points).
fn exact_share(ineqs: &[Ineq], m: &QuestionMap, cells: f64) -> Option<f64> {
    let margins: Vec<&Poly> = ineqs.iter().map(|q| &q.numeric).collect();
    let (x0, x1) = (*m.xs.first()?, *m.xs.last()?);
    let (y0, y1) = (*m.ys.first()?, *m.ys.last()?);
    let resolution = 2.0 / m.xs.len().max(1) as f64 + 2.0 / m.ys.len().max(1) as f64;
    let s = crate::geometry::share_near(
        &margins,
        (m.axes.0, (x0, x1)),
        (m.axes.1, (y0, y1)),
        cells,
        resolution,
    )?;
    Some(crate::exact::to_f64(&s))
}

/// One description for several regimes: the conditions every regime's points satisfy, if
/// together they select the effect's points.
fn merged(ctx: &Ctx<'_>, per: &[(Vec<Ineq>, &Vec<usize>)], effect: Effect) -> Option<MapRegion> {
    let inside: Vec<usize> = per.iter().flat_map(|(_, c)| c.iter().copied()).collect();
    let mut common: Vec<Ineq> = Vec::new();
    for (ineqs, _) in per {
        for q in ineqs {
            let dup = common.iter().any(|c| c.numeric == q.numeric);
            if !dup && inside.iter().all(|&c| ctx.holds(q, c)) {
                common.push(Ineq {
                    exact: q.exact.clone(),
                    numeric: q.numeric.clone(),
                });
            }
        }
    }
    let stray = (0..ctx.m.effect.len())
        .filter(|&c| !ctx.m.shows(c, effect) && common.iter().all(|q| ctx.holds(q, c)))
        .count();
    if common.is_empty() || stray > ctx.m.xs.len() + ctx.m.ys.len() {
        return None;
    }
    prune(&mut common, ctx.base, ctx.m);
    let groups: Vec<&Vec<usize>> = per.iter().map(|(_, c)| *c).collect();
    Some(ctx.text(effect, &common, &groups))
}

/// Drops conditions that hold on the whole map, duplicates, and those implied (on the map's
/// grid) by the others.
fn prune(ineqs: &mut Vec<Ineq>, base: &[f64], m: &QuestionMap) {
    let holds = |q: &Ineq, i: usize, j: usize| q.numeric.eval(&at_cell(base, m, i, j)) > 0.0;
    let cells: Vec<(usize, usize)> = (0..m.ys.len())
        .flat_map(|j| (0..m.xs.len()).map(move |i| (i, j)))
        .collect();
    ineqs.retain(|q| !cells.iter().all(|&(i, j)| holds(q, i, j)));
    let mut k = 0;
    while k < ineqs.len() {
        let implied = cells.iter().all(|&(i, j)| {
            holds(&ineqs[k], i, j)
                || ineqs
                    .iter()
                    .enumerate()
                    .any(|(l, q)| l != k && !holds(q, i, j))
        });
        if implied {
            ineqs.remove(k);
        } else {
            k += 1;
        }
    }
}

/// Most regions no sample found that [`exact_regions`] solves for.
const MAX_UNSAMPLED: usize = 8;

/// A sample of a question's map: the answer there, whether a tie decides it, the two games'
/// choices (treatment, control), and the point on the map's axes.
pub type Sample = (Effect, bool, (Vec<u32>, Vec<u32>), (f64, f64));

/// One region of a question's map, exactly: where the equilibria of one pair of choices hold.
#[derive(Clone, Debug, PartialEq)]
pub struct ExactRegion {
    /// The answer there.
    pub effect: Effect,
    /// True where a tie decides the answer.
    pub tied: bool,
    /// The region, a convex polygon (vertices counter-clockwise, in the axes' units).
    pub polygon: Vec<crate::geometry::Point>,
}

/// The exact regions of a map over `axes` (ranges `rx`, `ry`; other parameters at `theta`)
/// whose samples are `samples`: one polygon per pair of choices sampled, bounded by the
/// choices' conditions, when every condition is linear in the two axes and the polygons
/// partition the map in agreement with the samples ([`crate::geometry::partition`]); `None`
/// otherwise (the map is then drawn from its samples). Where the sampled regions leave a gap
/// (a region thinner than the grid), the question is solved at a point inside the gap and
/// that point's pair of choices joins the regions.
pub fn exact_regions(
    p: &PreparedQuestion,
    theta: &[f64],
    axes: (usize, usize),
    (rx, ry): ((f64, f64), (f64, f64)),
    samples: &[Sample],
) -> Option<Vec<ExactRegion>> {
    use crate::geometry::{half_plane, partition, HalfPlane};
    use crate::regime::rational::of_f64;
    use num_traits::Signed;
    let keep = [axes.0, axes.1];
    let mut sigs: Vec<(Vec<u32>, Vec<u32>)> = Vec::new();
    let mut at: Vec<(usize, crate::geometry::Point)> = Vec::new();
    for (e, _, sig, (x, y)) in samples {
        if *e == Effect::Unknown {
            return None;
        }
        let k = sigs.iter().position(|s| s == sig).unwrap_or_else(|| {
            sigs.push(sig.clone());
            sigs.len() - 1
        });
        at.push((k, (of_f64(*x)?, of_f64(*y)?)));
    }
    let planes = |(ct, cc): (&[u32], &[u32])| -> Option<Vec<HalfPlane>> {
        let mut hs = Vec::new();
        for c in p.conditions((ct, cc)) {
            if c.always() {
                continue;
            }
            let h = half_plane(&c.margin_in(theta, &keep)?, axes.0, axes.1)?;
            if c.tie {
                hs.push(partition::opposite(&h));
            }
            hs.push(h);
        }
        Some(hs)
    };
    let mut classes: Vec<Vec<HalfPlane>> = Vec::with_capacity(sigs.len());
    for (ct, cc) in &sigs {
        classes.push(planes((ct, cc))?);
    }
    // A region's answer, and whether a tie decides it, are those of its samples strictly
    // inside: on a boundary line a mover is indifferent, which is no property of the region.
    let mut class: Vec<Option<(Effect, bool)>> = vec![None; sigs.len()];
    for ((e, tied, _, _), (k, pt)) in samples.iter().zip(&at) {
        if classes[*k].iter().all(|h| h.value(pt).is_positive()) {
            match class[*k] {
                Some(c) if c != (*e, *tied) => return None,
                _ => class[*k] = Some((*e, *tied)),
            }
        }
    }
    for ((e, tied, _, _), (k, _)) in samples.iter().zip(&at) {
        class[*k].get_or_insert((*e, *tied));
    }
    let rect = (
        (of_f64(rx.0)?, of_f64(rx.1)?),
        (of_f64(ry.0)?, of_f64(ry.1)?),
    );
    // A pair of choices no sample found (a region thinner than the grid) leaves a gap: it is
    // solved at a point inside the gap and joins the classes, as often as gaps remain.
    let mut polys = partition::partition(&rect, &classes, &at);
    let mut ev: Option<super::Evaluator<'_>> = None;
    for _ in 0..MAX_UNSAMPLED {
        if polys.is_some() {
            break;
        }
        let lines: Vec<HalfPlane> = classes.iter().flatten().cloned().collect();
        let inside = |c: &crate::geometry::Point, hs: &[HalfPlane]| {
            hs.iter().all(|h| !h.value(c).is_negative())
        };
        let gap = crate::geometry::arrangement(&rect, &lines)
            .iter()
            .map(|piece| crate::geometry::centroid(piece))
            .find(|c| !classes.iter().any(|hs| inside(c, hs)))?;
        let e = match ev.as_mut() {
            Some(e) => e,
            None => ev.insert(super::Evaluator::new(p).ok()?),
        };
        let mut th = theta.to_vec();
        th[axes.0] = crate::exact::to_f64(&gap.0);
        th[axes.1] = crate::exact::to_f64(&gap.1);
        let effect = e.effect_at(&th).ok()?;
        let (ct, cc) = e.signature();
        let sig = (ct.to_vec(), cc.to_vec());
        let hs = planes((ct, cc))?;
        // The solve must land in a new region that holds its own point.
        if sigs.contains(&sig) || effect == Effect::Unknown || !inside(&gap, &hs) {
            return None;
        }
        class.push(Some((effect, e.effects().tied())));
        sigs.push(sig);
        classes.push(hs);
        polys = partition::partition(&rect, &classes, &at);
    }
    let polys = polys?;
    Some(
        class
            .into_iter()
            .zip(polys)
            .filter(|(_, poly)| poly.len() > 2)
            .filter_map(|(c, polygon)| {
                let (effect, tied) = c?;
                Some(ExactRegion {
                    effect,
                    tied,
                    polygon,
                })
            })
            .collect(),
    )
}

/// One connected region of a question's exact map: the answer, whether a tie decides it, and
/// its outline (rings exact, holes included).
#[derive(Clone, Debug, PartialEq)]
pub struct AnswerOutline {
    /// The answer there.
    pub effect: Effect,
    /// True where a tie decides the answer.
    pub tied: bool,
    /// The region's rings ([`crate::geometry::outline::Outline`]).
    pub outline: crate::geometry::outline::Outline,
}

/// The exact regions merged: each answer's polygons (same answer, same tie) joined into one
/// outline per connected region ([`crate::geometry::outline::merge`]), so the map shows no
/// seam inside a region. Answers in order of first appearance.
pub fn answer_outlines(regions: &[ExactRegion]) -> Vec<AnswerOutline> {
    let mut keys: Vec<(Effect, bool)> = Vec::new();
    for r in regions {
        if !keys.contains(&(r.effect, r.tied)) {
            keys.push((r.effect, r.tied));
        }
    }
    keys.into_iter()
        .flat_map(|(effect, tied)| {
            let polys: Vec<Vec<crate::geometry::Point>> = regions
                .iter()
                .filter(|r| (r.effect, r.tied) == (effect, tied))
                .map(|r| r.polygon.clone())
                .collect();
            crate::geometry::outline::merge(&polys)
                .into_iter()
                .map(move |outline| AnswerOutline {
                    effect,
                    tied,
                    outline,
                })
        })
        .collect()
}

impl QuestionMap {
    /// The map's exact regions ([`exact_regions`]), the other parameters at `base`.
    pub fn exact_regions(&self, p: &PreparedQuestion, base: &[f64]) -> Option<Vec<ExactRegion>> {
        let nx = self.xs.len();
        let samples: Vec<Sample> = self
            .regime
            .iter()
            .enumerate()
            .map(|(c, &r)| {
                let (e, sig, _) = &self.regimes[r];
                (
                    *e,
                    self.tied[c],
                    sig.clone(),
                    (self.xs[c % nx], self.ys[c / nx]),
                )
            })
            .collect();
        let range = |v: &[f64]| Some((*v.first()?, *v.last()?));
        exact_regions(
            p,
            base,
            self.axes,
            (range(&self.xs)?, range(&self.ys)?),
            &samples,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dialogue_regions_merge_into_one() {
        // docs/models/deterrence_dialogue.md: commitment sustains dialogue iff a0 − σ < c_D < a0 + α − σ; the two
        // regimes inside (the challenger provokes or not without commitment) merge into one.
        let text = include_str!("../../models/deterrence_dialogue.toml");
        let t = crate::model::load("d.toml", text).template.unwrap();
        let p = crate::questions::prepare(&t).unwrap().remove(0);
        let base = t.defaults();
        let axes = (t.params.id("alpha").unwrap(), t.params.id("c_D").unwrap());
        let r = |k: usize| t.params.ranges[k].unwrap();
        let m = question_map(&p, &base, axes, (r(axes.0), r(axes.1)), 61).unwrap();
        // Above c_D = a0 the defender answers no provocation, so the protégé (whose dialogue
        // is then provoked either way) is indifferent without commitment: a tie decides there,
        // and in every equilibrium commitment sustains dialogue only below a0 as well.
        let r = map_regions(&p, &base, &m, Effect::Higher);
        assert_eq!(r.len(), 1);
        assert_eq!(
            r[0].exact,
            ["c_D > a0 - sigma", "c_D < a0 + alpha - sigma", "c_D < a0"]
        );
        assert!(map_regions(&p, &base, &m, Effect::Lower).is_empty());
        let a0 = base[t.params.id("a0").unwrap()];
        let off = |c: usize| m.ys[c / m.xs.len()] - a0;
        assert!((0..m.tied.len())
            .filter(|&c| off(c) > 1e-9)
            .all(|c| m.tied[c]));
        // Below a0 only points on boundary lines (c_D = a0 - sigma, c_D = a0 + alpha - sigma:
        // the defender indifferent there) can be tied.
        let below = (0..m.tied.len()).filter(|&c| off(c) < -1e-9 && m.tied[c]);
        assert!(below.count() <= m.xs.len() + m.ys.len());
    }
}
