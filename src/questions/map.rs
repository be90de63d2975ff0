//! A question's answer mapped over two parameters, for figures and for regions stated in
//! words. The map samples the nodes of an `n × n` grid (so its edges are the parameters'
//! range ends) with an [`Evaluator`]; grid points with the same pair of equilibria form a
//! *regime*. A regime's conditions are those of both equilibria
//! ([`crate::regions::choice_conditions`]) that involve the mapped parameters, without the
//! ones that hold everywhere on the map or follow from the others there; regimes with the same
//! effect are stated as one region when their shared conditions select exactly their points.

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
    /// Effect at `[j * xs.len() + i]` (row j = y, column i = x).
    pub effect: Vec<Effect>,
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
            let (effect, key) = match ev.effect_at(&theta) {
                Ok(e) => {
                    let (ct, cc) = ev.signature();
                    (e, (ct.to_vec(), cc.to_vec()))
                }
                Err(_) => (Effect::Unknown, (Vec::new(), Vec::new())),
            };
            let r = match index.get(&(effect, key.clone())) {
                Some(&r) => r,
                None => {
                    m.regimes.push((effect, key.clone(), Vec::new()));
                    index.insert((effect, key), m.regimes.len() - 1);
                    m.regimes.len() - 1
                }
            };
            m.regimes[r].2.push(j * n + i);
            m.effect.push(effect);
            m.regime.push(r);
        }
    }
    Ok(m)
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
    let mut regimes: Vec<&Regime> = m.regimes.iter().filter(|r| r.0 == effect).collect();
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
            for ((game, profile), out) in ev.games().into_iter().zip([&mut paths_t, &mut paths_c]) {
                let w = path_in_words(game, &profile).replace('\n', "; ");
                if !out.contains(&w) {
                    out.push(w);
                }
            }
        }
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
    let s = crate::geometry::share(&margins, (m.axes.0, (x0, x1)), (m.axes.1, (y0, y1)))?;
    let s = crate::exact::to_f64(&s);
    let resolution = 2.0 / m.xs.len().max(1) as f64 + 2.0 / m.ys.len().max(1) as f64;
    ((s - cells).abs() <= resolution).then_some(s)
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
        .filter(|&c| ctx.m.effect[c] != effect && common.iter().all(|q| ctx.holds(q, c)))
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
        let r = map_regions(&p, &base, &m, Effect::Higher);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].exact, ["a0 - sigma < c_D < a0 + alpha - sigma"]);
        assert!(map_regions(&p, &base, &m, Effect::Lower).is_empty());
    }
}
