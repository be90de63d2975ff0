//! A question's answer: the map over its two `vary` parameters, the regions in sentences with
//! exact conditions, and the answer at each scenario with the conditions that decide it.
//!
//! The treatment and control are counterfactual games built from the model
//! ([`crate::model::build::build`]); at each point both are solved and the event's probability
//! compared. Grid points with the same pair of equilibria form a *regime*; a regime's
//! conditions are those of both equilibria ([`super::cond`]) that involve the mapped parameters,
//! without the ones that hold everywhere on the map or follow from the others there.

use super::analysis::Solver;
use super::cond::{self, Shown};
use super::poly::Poly;
use crate::model::ast::QuestionDef;
use crate::model::{build::build, GameTemplate};
use crate::output::words::{num, path_in_words};

/// The effect of the treatment on the event's probability.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Effect {
    /// Lower with the treatment (e.g. hedging deters).
    Lower,
    /// Higher with the treatment (e.g. hedging provokes).
    Higher,
    /// The same.
    None,
    /// The model cannot be evaluated here.
    Unknown,
}

/// A question compiled for evaluation.
pub struct Prepared<'a> {
    /// The declaration.
    pub def: &'a QuestionDef,
    /// The treatment game.
    pub treatment: GameTemplate,
    /// The control game.
    pub control: GameTemplate,
}

/// Builds the counterfactual games of a question.
pub fn prepare<'a>(t: &GameTemplate, q: &'a QuestionDef) -> Result<Prepared<'a>, String> {
    let one = |cf| {
        build(&t.ast, cf).0.ok_or_else(|| {
            format!(
                "question `{}`: its counterfactual game has errors",
                q.name.v
            )
        })
    };
    Ok(Prepared {
        def: q,
        treatment: one(&q.treatment)?,
        control: one(&q.control)?,
    })
}

/// The answer at one point.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    /// The effect.
    pub effect: Effect,
    /// The event's probability with the treatment and with the control.
    pub p: (f64, f64),
    /// Choices in the treatment and control games.
    pub choices: (Vec<u32>, Vec<u32>),
}

/// Solvers for the two games of a question.
pub struct Pair<'a> {
    t: Solver<'a>,
    c: Solver<'a>,
    ev: (Option<usize>, Option<usize>),
}

impl<'a> Pair<'a> {
    /// Solvers for a prepared question.
    pub fn new(p: &'a Prepared<'_>) -> Self {
        let e = &p.def.event.v;
        Pair {
            t: Solver::new(&p.treatment),
            c: Solver::new(&p.control),
            ev: (
                p.treatment.tree.event_id(e).map(|x| x.ix()),
                p.control.tree.event_id(e).map(|x| x.ix()),
            ),
        }
    }

    /// The answer at `theta`.
    pub fn answer(&mut self, theta: &[f64]) -> Answer {
        let ct = self.t.choices(theta).map(<[u32]>::to_vec);
        let cc = self.c.choices(theta).map(<[u32]>::to_vec);
        let pt = self.t.events(theta);
        let pc = self.c.events(theta);
        let prob = |e: Option<Vec<f64>>, i: Option<usize>| e.map(|v| i.map_or(0.0, |i| v[i]));
        match (ct, cc, prob(pt, self.ev.0), prob(pc, self.ev.1)) {
            (Some(ct), Some(cc), Some(a), Some(b)) => Answer {
                effect: if a < b - 1e-9 {
                    Effect::Lower
                } else if a > b + 1e-9 {
                    Effect::Higher
                } else {
                    Effect::None
                },
                p: (a, b),
                choices: (ct, cc),
            },
            _ => Answer {
                effect: Effect::Unknown,
                p: (f64::NAN, f64::NAN),
                choices: (Vec::new(), Vec::new()),
            },
        }
    }
}

/// A regime: its effect, the choices in the treatment and control games, and its grid cells.
pub type Regime = (Effect, (Vec<u32>, Vec<u32>), Vec<usize>);

/// The map of a question over two parameters.
#[derive(Clone, Debug)]
pub struct Map {
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

/// Maps the question over its axes' ranges, other parameters at `base`, on an `n × n` grid.
pub fn map(p: &Prepared<'_>, base: &[f64], axes: (usize, usize), n: usize) -> Option<Map> {
    let params = &p.treatment.params;
    let (rx, ry) = (params.ranges[axes.0]?, params.ranges[axes.1]?);
    let n = n.max(2);
    let grid = |(lo, hi): (f64, f64)| -> Vec<f64> {
        (0..n)
            .map(|i| lo + (hi - lo) * i as f64 / (n - 1) as f64)
            .collect()
    };
    let (xs, ys) = (grid(rx), grid(ry));
    let mut pair = Pair::new(p);
    let mut theta = base.to_vec();
    let mut m = Map {
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
            let a = pair.answer(&theta);
            let key = (a.effect, a.choices.clone());
            let r = *index.entry(key).or_insert_with(|| {
                m.regimes.push((a.effect, a.choices.clone(), Vec::new()));
                m.regimes.len() - 1
            });
            m.regimes[r].2.push(j * n + i);
            m.effect.push(a.effect);
            m.regime.push(r);
        }
    }
    Some(m)
}

/// A regime described: conditions on the map's axes (numbers filled in for the other
/// parameters) and exact (symbolic), plus the paths of play in both games.
#[derive(Clone, Debug, PartialEq)]
pub struct RegionText {
    /// The effect.
    pub effect: Effect,
    /// Share of the map's cells.
    pub share: f64,
    /// Conditions with the other parameters at their values: `T > 0.2`, `1 < c_D < 3 - 0.5*T`.
    pub numeric: Vec<String>,
    /// The same conditions in the model's symbols: `c_D < a - lambda*T + L`.
    pub exact: Vec<String>,
    /// Path of play with the treatment, at a point of the region.
    pub path_treatment: String,
    /// Path of play under the control.
    pub path_control: String,
}

#[derive(Clone)]
struct Ineq {
    exact: Poly,
    numeric: Poly,
}

/// Describes where a map shows `effect`: as one region when the conditions shared by all its
/// regimes carve out exactly those grid points (up to one row or column of boundary points),
/// otherwise regime by regime, largest first.
pub fn regions(p: &Prepared<'_>, base: &[f64], m: &Map, effect: Effect) -> Vec<RegionText> {
    let names = &p.treatment.params.names;
    let (xn, yn) = (names[m.axes.0].as_str(), names[m.axes.1].as_str());
    let value = |n: &str| p.treatment.params.id(n).map(|i| base[i]);
    let mut regimes: Vec<&Regime> = m.regimes.iter().filter(|r| r.0 == effect).collect();
    regimes.sort_by_key(|r| std::cmp::Reverse(r.2.len()));
    let per: Vec<(Vec<Ineq>, &Vec<usize>)> = regimes
        .iter()
        .map(|(_, (ct, cc), cells)| {
            let mut conds = cond::conditions(&p.treatment, ct).unwrap_or_default();
            conds.extend(cond::conditions(&p.control, cc).unwrap_or_default());
            let ineqs = conds
                .into_iter()
                .map(|c| Ineq {
                    numeric: c.diff.substitute(&value, &[xn, yn]),
                    exact: c.diff,
                })
                .filter(|q| q.numeric.mentions(xn) || q.numeric.mentions(yn))
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
            prune(&mut ineqs, m, xn, yn);
            ctx.text(effect, &ineqs, &[cells])
        })
        .collect()
}

struct Ctx<'c, 'p> {
    p: &'c Prepared<'p>,
    base: &'c [f64],
    m: &'c Map,
    xn: &'c str,
    yn: &'c str,
}

impl Ctx<'_, '_> {
    /// Whether `q` holds at a grid point, counting equality (a tie, which backward induction
    /// breaks toward the first move) as holding.
    fn holds(&self, q: &Ineq, cell: usize) -> bool {
        let (i, j) = (cell % self.m.xs.len(), cell / self.m.xs.len());
        let v = |n: &str| {
            if n == self.xn {
                Some(self.m.xs[i])
            } else if n == self.yn {
                Some(self.m.ys[j])
            } else {
                None
            }
        };
        q.numeric.eval(&v) > -1e-9
    }

    fn text(&self, effect: Effect, ineqs: &[Ineq], groups: &[&Vec<usize>]) -> RegionText {
        let (p, m, base) = (self.p, self.m, self.base);
        let value = |n: &str| p.treatment.params.id(n).map(|i| base[i]);
        let mut paths_t: Vec<String> = Vec::new();
        let mut paths_c: Vec<String> = Vec::new();
        for cells in groups {
            let cell = cells[cells.len() / 2];
            let mut th = base.to_vec();
            th[m.axes.0] = m.xs[cell % m.xs.len()];
            th[m.axes.1] = m.ys[cell / m.xs.len()];
            for (t, out) in [(&p.treatment, &mut paths_t), (&p.control, &mut paths_c)] {
                if let Some(s) = Solver::new(t).solve(&th) {
                    let w = path_in_words(&s.game, &s.profile).replace('\n', "; ");
                    if !out.contains(&w) {
                        out.push(w);
                    }
                }
            }
        }
        let n: usize = groups.iter().map(|g| g.len()).sum();
        RegionText {
            effect,
            share: n as f64 / m.effect.len().max(1) as f64,
            numeric: numeric_text(ineqs, self.xn, self.yn),
            exact: joined(
                ineqs
                    .iter()
                    .map(|q| cond::show(&q.exact, &[self.yn, self.xn], &value))
                    .collect(),
                self.xn,
                self.yn,
            ),
            path_treatment: paths_t.join(" or "),
            path_control: paths_c.join(" or "),
        }
    }
}

/// One description for several regimes: the conditions every regime's points satisfy, if
/// together they select the effect's points.
fn merged(
    ctx: &Ctx<'_, '_>,
    per: &[(Vec<Ineq>, &Vec<usize>)],
    effect: Effect,
) -> Option<RegionText> {
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
    prune(&mut common, ctx.m, ctx.xn, ctx.yn);
    let groups: Vec<&Vec<usize>> = per.iter().map(|(_, c)| *c).collect();
    Some(ctx.text(effect, &common, &groups))
}

/// Drops conditions that hold on the whole map, duplicates, and those implied (on the map's
/// grid) by the others.
fn prune(ineqs: &mut Vec<Ineq>, m: &Map, xn: &str, yn: &str) {
    let holds = |q: &Ineq, i: usize, j: usize| {
        let v = |n: &str| {
            if n == xn {
                Some(m.xs[i])
            } else if n == yn {
                Some(m.ys[j])
            } else {
                None
            }
        };
        q.numeric.eval(&v) > 0.0
    };
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

/// Numeric conditions: each solved for y, else x, else left as `… > 0`.
fn numeric_text(ineqs: &[Ineq], xn: &str, yn: &str) -> Vec<String> {
    let shown = ineqs
        .iter()
        .map(|q| {
            solve_numeric(&q.numeric, xn, yn)
                .unwrap_or_else(|| Shown::Positive(q.numeric.text(true)))
        })
        .collect();
    joined(shown, xn, yn)
}

/// Conditions as text, bounds on the same parameter joined (`1 < c_D < 3 - 0.5*T`), those on
/// the x axis first.
fn joined(shown: Vec<Shown>, xn: &str, yn: &str) -> Vec<String> {
    let mut lower: Vec<(String, String)> = Vec::new();
    let mut upper: Vec<(String, String)> = Vec::new();
    let mut other = Vec::new();
    for s in shown {
        match s {
            Shown::Bound {
                var, upper: u, rhs, ..
            } => {
                if u {
                    upper.push((var, rhs))
                } else {
                    lower.push((var, rhs))
                }
            }
            Shown::Positive(s) => other.push(s),
        }
    }
    let mut vars: Vec<String> = vec![xn.to_string(), yn.to_string()];
    for (v, _) in lower.iter().chain(&upper) {
        if !vars.contains(v) {
            vars.push(v.clone());
        }
    }
    let mut out = Vec::new();
    for var in &vars {
        let lo: Vec<&String> = lower.iter().filter(|b| &b.0 == var).map(|b| &b.1).collect();
        let hi: Vec<&String> = upper.iter().filter(|b| &b.0 == var).map(|b| &b.1).collect();
        if lo.len() == 1 && hi.len() == 1 {
            out.push(format!("{} < {var} < {}", lo[0], hi[0]));
            continue;
        }
        out.extend(lo.iter().map(|r| format!("{var} > {r}")));
        out.extend(hi.iter().map(|r| format!("{var} < {r}")));
    }
    out.extend(other.into_iter().map(|s| format!("{s} > 0")));
    out
}

/// Solves a polynomial in the two axes for y (constant coefficient), else for x.
fn solve_numeric(p: &Poly, xn: &str, yn: &str) -> Option<Shown> {
    for var in [yn, xn] {
        if let Some((coef, rest)) = p.split(var) {
            if let Some(k) = coef.as_constant() {
                if k != 0.0 {
                    let r = rest.scale(-1.0 / k);
                    return Some(Shown::Bound {
                        var: var.to_string(),
                        upper: k < 0.0,
                        rhs: r.text(true),
                        rhs_poly: Some(r),
                    });
                }
            }
        }
    }
    None
}

/// The answer at one point (a scenario) in words, with the deciding conditions.
pub fn explain(
    p: &Prepared<'_>,
    theta: &[f64],
    axes: &[usize],
) -> (Effect, (f64, f64), Vec<String>) {
    let mut pair = Pair::new(p);
    let a = pair.answer(theta);
    if a.effect == Effect::Unknown {
        return (a.effect, a.p, Vec::new());
    }
    let names = &p.treatment.params.names;
    let vars: Vec<&str> = axes.iter().rev().map(|&k| names[k].as_str()).collect();
    let value = |n: &str| p.treatment.params.id(n).map(|i| theta[i]);
    let mut conds = cond::conditions(&p.treatment, &a.choices.0).unwrap_or_default();
    conds.extend(cond::conditions(&p.control, &a.choices.1).unwrap_or_default());
    let mut why = Vec::new();
    for c in conds {
        if vars.iter().any(|v| c.diff.mentions(v)) {
            let s = cond::at_point(&c.diff, &vars, &value);
            if !why.contains(&s) {
                why.push(s);
            }
        }
    }
    (a.effect, a.p, why)
}

/// `0.25` → `25%`.
pub fn percent(x: f64) -> String {
    format!("{}%", num((x * 1000.0).round() / 10.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(f: &str) -> GameTemplate {
        let path = format!("{}/models/{f}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(path).unwrap();
        crate::model::load(f, text).template.unwrap()
    }

    #[test]
    fn dialogue_regions_merge_into_one() {
        // MODELS.md §5: commitment sustains dialogue iff a0 − σ < c_D < a0 + α − σ; the two
        // regimes inside (the challenger provokes or not without commitment) merge into one.
        let t = load("deterrence_dialogue.toml");
        let p = prepare(&t, &t.ast.questions[0]).unwrap();
        let base = t.defaults();
        let axes = (t.params.id("alpha").unwrap(), t.params.id("c_D").unwrap());
        let m = map(&p, &base, axes, 61).unwrap();
        let r = regions(&p, &base, &m, Effect::Higher);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].exact, ["a0 - sigma < c_D < a0 + alpha - sigma"]);
        assert!(regions(&p, &base, &m, Effect::Lower).is_empty());
    }

    #[test]
    fn hedging_scenarios_explained() {
        // MODELS.md §4: Cold War deters (c_D = 1.5 ∈ (a, a + L − λT) = (1, 2.85)); 2001–2014
        // provokes (c_D = .85 ∈ (a + L − λT, a) = (.7, 1)).
        let t = load("hedging.toml");
        let p = prepare(&t, &t.ast.questions[0]).unwrap();
        let axes = [t.params.id("T").unwrap(), t.params.id("c_D").unwrap()];
        let cold = explain(&p, &t.point(Some("cold_war"), &[]).unwrap(), &axes);
        assert_eq!((cold.0, cold.1), (Effect::Lower, (0.0, 1.0)));
        assert!(cold
            .2
            .contains(&"c_D = 1.5 < a - lambda*T + L = 2.85".to_string()));
        let post = explain(&p, &t.point(Some("post_2001"), &[]).unwrap(), &axes);
        assert_eq!((post.0, post.1), (Effect::Higher, (1.0, 0.0)));
        assert!(post.2.contains(&"c_D = 0.85 < a = 1".to_string()));
    }
}
