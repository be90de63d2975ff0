//! The report's section for games with information sets: regimes instead of one backward-
//! induction path.
//!
//! Such a game has a set of perfect Bayesian equilibria at each point, each with beliefs, and
//! backward induction does not apply. This section states, at the baseline and in each
//! scenario, every equilibrium with its class, outcome and beliefs ([`crate::output::beliefs`]);
//! the regime map over two parameters with its exact breakpoints
//! ([`crate::regime::map`]); where the regime changes along each mapped parameter
//! ([`crate::regime::along`]); each regime's extent as inequalities where its region is a
//! rectangle; and each question answered in every equilibrium.

use super::doc::Block;
use crate::exact::{self, Rational};
use crate::game::Game;
use crate::model::GameTemplate;
use crate::regime::along::{along, AlongOptions};
use crate::regime::map::{regime_map, share_words, MapOptions};
use crate::regime::rational::of_f64;
use crate::regime::{Evaluator, RegimeSet, Selection};
use crate::solve::pbe;
use crate::solve::SolveOptions;

/// Solver options for a selection (its refinement, if any).
fn solve_options(sel: Selection) -> SolveOptions {
    SolveOptions {
        refine: sel.refinement(),
        ..SolveOptions::default()
    }
}

/// The perfect Bayesian equilibria (components) a selection keeps.
fn components(game: &Game, sel: Selection) -> Result<Vec<pbe::Component>, String> {
    let (mut comps, _, _) =
        pbe::components(game, &solve_options(sel)).map_err(|e| e.to_string())?;
    if sel.single() {
        comps.truncate(1);
    }
    Ok(comps)
}

/// One equilibrium in words.
#[derive(Clone, Debug, PartialEq)]
pub struct EquilibriumText {
    /// "Equilibrium 1 — sequential, pooling (regime: pooling: SQ)".
    pub title: String,
    /// The outcome, the class, play and beliefs at every information set, one line each.
    pub lines: Vec<String>,
}

/// The regimes at one point.
#[derive(Clone, Debug, PartialEq)]
pub struct PointRegimes {
    /// `baseline` or the scenario's name.
    pub name: String,
    /// The scenario's description.
    pub about: String,
    /// The regime set in words.
    pub regimes: String,
    /// Every equilibrium (components of `pbe`).
    pub equilibria: Vec<EquilibriumText>,
}

/// A question answered at each point, in every equilibrium.
#[derive(Clone, Debug, PartialEq)]
pub struct QuestionRegimes {
    /// The question's key.
    pub name: String,
    /// The question.
    pub ask: String,
    /// `(point, answer)` pairs.
    pub answers: Vec<(String, String)>,
}

/// The section.
#[derive(Clone, Debug, PartialEq)]
pub struct RegimesSection {
    /// What the equilibria are ("every perfect Bayesian equilibrium").
    pub concept: String,
    /// The baseline then each scenario.
    pub points: Vec<PointRegimes>,
    /// The mapped parameters.
    pub axes: Option<(String, String)>,
    /// The regime map.
    pub map_svg: Option<String>,
    /// Each regime on the map: its share and extent.
    pub map_lines: Vec<String>,
    /// Regime changes along each mapped parameter at the baseline: `(parameter, lines)`.
    pub along: Vec<(String, Vec<String>)>,
    /// The questions.
    pub questions: Vec<QuestionRegimes>,
    /// What could not be computed, and why.
    pub notes: Vec<String>,
}

fn exact_point(theta: &[f64]) -> Vec<Rational> {
    theta
        .iter()
        .map(|&x| of_f64(x).unwrap_or_default())
        .collect()
}

fn game_at(t: &GameTemplate, theta: &[f64]) -> Result<Game, String> {
    let mut g = t
        .instantiate(theta)
        .map_err(|e| t.diagnose(&e, theta).message)?;
    t.fill_exact(&mut g, &exact_point(theta))
        .map_err(|e| t.diagnose(&e, theta).message)?;
    Ok(g)
}

fn equilibria(
    t: &GameTemplate,
    theta: &[f64],
    sel: Selection,
) -> Result<(RegimeSet, Vec<EquilibriumText>), String> {
    let game = game_at(t, theta)?;
    let opts = solve_options(sel);
    let set = crate::regime::regimes_selected(&game, &opts, sel).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    if set.solver == "pbe" {
        let comps = components(&game, sel)?;
        for (k, c) in comps.iter().enumerate() {
            let regime = crate::regime::component_regime(&game, c);
            let mut lines = vec![format!(
                "Outcome: {}",
                crate::output::words::outcome_words(&game, &c.point.behaviour_f64())
            )];
            lines.extend(
                crate::output::beliefs::text(&game, c, None, 1e-9)
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    // The terminal's padded columns become one sentence-like line.
                    .map(|l| {
                        l.split("  ")
                            .map(str::trim)
                            .filter(|p| !p.is_empty())
                            .collect::<Vec<_>>()
                            .join(" — ")
                    }),
            );
            out.push(EquilibriumText {
                title: format!(
                    "Equilibrium {}{} (regime: {})",
                    k + 1,
                    crate::output::beliefs::header(c),
                    regime.label
                ),
                lines,
            });
        }
    }
    Ok((set, out))
}

/// The axes of the map: the first question's `vary` pair, else the first two parameters with
/// a range.
fn axes(t: &GameTemplate) -> Option<(usize, usize)> {
    let ranged: Vec<usize> = (0..t.params.len())
        .filter(|&k| t.params.ranges[k].is_some())
        .collect();
    let from_q = t.ast.questions.iter().find_map(|q| match &q.vary[..] {
        [a, b] => Some((t.params.id(&a.v)?, t.params.id(&b.v)?)),
        _ => None,
    });
    from_q
        .filter(|(a, b)| ranged.contains(a) && ranged.contains(b))
        .or(match ranged[..] {
            [a, b, ..] => Some((a, b)),
            _ => None,
        })
}

/// The regime map's settings and the grid of the scans along each mapped parameter: a game
/// with many information sets (slower to solve at each point) gets a coarser map, so the
/// report stays within seconds; the choice depends on the game alone, so the report is the
/// same on every run.
pub fn map_options(t: &GameTemplate) -> (MapOptions, usize) {
    let coarse = t.tree.infosets.len() > 8;
    let map_opts = if coarse {
        MapOptions {
            cells: (20, 15),
            lines: 2,
            along: AlongOptions {
                grid: 16,
                ..AlongOptions::default()
            },
        }
    } else {
        MapOptions::default()
    };
    (map_opts, if coarse { 40 } else { 100 })
}

/// Computes the section for `t` at `base` with `scen` (name, description, point).
pub fn build(
    t: &GameTemplate,
    base: &[f64],
    scen: &[(String, String, Vec<f64>)],
    sel: Selection,
) -> RegimesSection {
    let sopts = solve_options(sel);
    let mut s = RegimesSection {
        concept: match sel {
            Selection::All => "every perfect Bayesian equilibrium".into(),
            Selection::FirstListed => {
                "the first perfect Bayesian equilibrium listed (--select first-listed)".into()
            }
            Selection::Intuitive => "every perfect Bayesian equilibrium that passes the \
                                     Intuitive Criterion (--select intuitive)"
                .into(),
            Selection::D1 => {
                "every perfect Bayesian equilibrium that passes D1 (--select d1)".into()
            }
            Selection::LogitLimit => {
                "the limit of the principal logit branch (--select logit-limit)".into()
            }
        },
        points: Vec::new(),
        axes: None,
        map_svg: None,
        map_lines: Vec::new(),
        along: Vec::new(),
        questions: Vec::new(),
        notes: Vec::new(),
    };
    let all: Vec<(String, String, Vec<f64>)> =
        std::iter::once(("baseline".to_string(), String::new(), base.to_vec()))
            .chain(scen.iter().cloned())
            .collect();
    for (name, about, th) in &all {
        match equilibria(t, th, sel) {
            Ok((set, eqs)) => {
                if set.solver != "pbe" && sel != Selection::LogitLimit {
                    s.concept = format!("the equilibria found by {}", set.solver);
                }
                s.points.push(PointRegimes {
                    name: name.clone(),
                    about: about.clone(),
                    regimes: set.describe(),
                    equilibria: eqs,
                });
            }
            Err(e) => s.notes.push(format!("{name}: not solved: {e}")),
        }
    }
    let Some((x, y)) = axes(t) else {
        s.notes
            .push("No regime map: the model has fewer than two parameters with a range.".into());
        return s;
    };
    let names = &t.params.names;
    s.axes = Some((names[x].clone(), names[y].clone()));
    let range = |k: usize| {
        let (lo, hi) = t.params.ranges[k].unwrap_or((0.0, 1.0));
        (
            k,
            of_f64(lo).unwrap_or_default(),
            of_f64(hi).unwrap_or_default(),
        )
    };
    let (map_opts, axis_grid) = map_options(t);
    let qbase = exact_point(base);
    let mut ev = Evaluator::new(t, sopts.clone()).with_select(sel);
    for k in [x, y] {
        let (_, lo, hi) = range(k);
        let opts = AlongOptions {
            grid: axis_grid,
            ..AlongOptions::default()
        };
        match along(&mut ev, &qbase, k, &lo, &hi, &opts) {
            Ok(mut a) => {
                crate::regime::conditions::algebraic_changes(&mut ev, &qbase, &mut a);
                let mut lines: Vec<String> =
                    crate::regime::conditions::describe_changes(t, &sopts, &qbase, &a);
                if lines.is_empty() {
                    lines.push("no change: the regimes are the same throughout".into());
                }
                lines.extend(a.stretches(&names[k]));
                s.along.push((names[k].clone(), lines));
            }
            Err(e) => s.notes.push(format!("Regimes along {}: {e}", names[k])),
        }
    }
    match regime_map(&mut ev, &qbase, range(x), range(y), &map_opts) {
        Ok(m) => {
            // Scenarios lie on this map only if they differ from the baseline in the mapped
            // parameters alone.
            let mut pts = Vec::new();
            for (name, _, th) in &all {
                let same_elsewhere = (0..th.len()).all(|k| k == x || k == y || th[k] == base[k]);
                if same_elsewhere {
                    pts.push((name.clone(), th[x], th[y]));
                } else {
                    s.notes.push(format!(
                        "{name} changes parameters other than {} and {}, so it is not marked on \
                         the map (drawn with the others at the baseline).",
                        names[x], names[y]
                    ));
                }
            }
            let title = format!("Regimes over {} and {}", names[x], names[y]);
            s.map_svg = Some(m.figure(&title, &pts).svg);
            for a in &m.areas {
                let when = m.extent(a);
                s.map_lines.push(format!(
                    "{} ({} of the map): {when}.",
                    a.set.describe(),
                    share_words(a.share)
                ));
            }
            s.map_lines.extend(m.multiplicity());
            s.map_lines.push(m.note());
            let conds = if sel == Selection::LogitLimit {
                Vec::new()
            } else {
                crate::regime::conditions::map_conditions(t, &sopts, &qbase, &m)
            };
            s.map_lines.extend(
                conds
                    .into_iter()
                    .map(|l| format!("In the model's symbols (others at the baseline), {l}.")),
            );
        }
        Err(e) => s.notes.push(format!("No regime map: {e}")),
    }
    s.questions = questions(t, &all, sel);
    s
}

/// Each question at each point: the event's probability in every equilibrium, with the
/// treatment and with the control.
fn questions(
    t: &GameTemplate,
    all: &[(String, String, Vec<f64>)],
    sel: Selection,
) -> Vec<QuestionRegimes> {
    let Ok(prepared) = crate::questions::prepare(t) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for q in prepared {
        let mut answers = Vec::new();
        for (name, _, th) in all {
            let probs = |tt: &GameTemplate| -> Result<Vec<Rational>, String> {
                let g = game_at(tt, th)?;
                event_probs(&g, &q.def.event.v, sel)
            };
            let text = match (probs(&q.treatment), probs(&q.control)) {
                (Ok(a), Ok(b)) => answer(&q, &a, &b),
                (Err(e), _) | (_, Err(e)) => format!("not solved: {e}"),
            };
            answers.push((name.clone(), text));
        }
        out.push(QuestionRegimes {
            name: q.def.name.v.clone(),
            ask: q.def.ask.clone(),
            answers,
        });
    }
    out
}

/// The event's probability in every perfect Bayesian equilibrium of `g` that `sel` keeps
/// (exactly), or in the logit limit.
fn event_probs(g: &Game, event: &str, sel: Selection) -> Result<Vec<Rational>, String> {
    let tree = &*g.tree;
    let ev = tree
        .event_id(event)
        .ok_or_else(|| format!("no event `{event}`"))?;
    let zero = Rational::from_integer(0.into());
    if sel == Selection::LogitLimit {
        let solver = crate::solve::by_name("logit").ok_or("the `logit` solver is not available")?;
        let sol = solver
            .solve(crate::solve::GameRef::Tree(g), &SolveOptions::default())
            .map_err(|e| e.to_string())?;
        let Some(crate::solve::Profile::Behavior(b)) = sol.equilibria.first().map(|e| &e.profile)
        else {
            return Ok(Vec::new());
        };
        let reach = crate::game::profile::reach_probabilities(g, b);
        let p: f64 = tree.tagged_leaves(ev).map(|n| reach[n.ix()]).sum();
        return Ok(vec![exact::from_f64(p).unwrap_or_default()]);
    }
    let comps = components(g, sel)?;
    let mut out = Vec::new();
    for c in &comps {
        let reach: Vec<Rational> = match (
            c.point
                .behaviour
                .iter()
                .map(|v| v.q.clone())
                .collect::<Option<Vec<_>>>(),
            &g.exact,
        ) {
            (Some(p), Some(ex)) => crate::game::profile::reach_in(tree, &ex.chance().to_vec(), &p),
            _ => crate::game::profile::reach_probabilities(g, &c.point.behaviour_f64())
                .iter()
                .map(|&x| exact::from_f64(x).unwrap_or_default())
                .collect(),
        };
        let p = tree
            .tagged_leaves(ev)
            .fold(zero.clone(), |acc, n| acc + &reach[n.ix()]);
        out.push(p);
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn answer(
    q: &crate::questions::PreparedQuestion,
    with: &[Rational],
    without: &[Rational],
) -> String {
    let show = |v: &[Rational]| -> String {
        let s: Vec<String> = v.iter().map(crate::regime::rational::show).collect();
        if s.len() == 1 {
            s[0].clone()
        } else {
            format!("{} (one per equilibrium)", s.join(", "))
        }
    };
    let (Some(tmin), Some(tmax), Some(cmin), Some(cmax)) =
        (with.first(), with.last(), without.first(), without.last())
    else {
        return "no equilibrium found".into();
    };
    let verdict = if tmax < cmin {
        format!("{} {} in every equilibrium", q.def.subject, q.def.lower)
    } else if tmin > cmax {
        format!("{} {} in every equilibrium", q.def.subject, q.def.higher)
    } else if with.len() == 1 && without.len() == 1 {
        format!("{} makes no difference", q.def.subject)
    } else if tmax <= cmin {
        format!(
            "{} {} or makes no difference, depending on which equilibrium is played; it never {}",
            q.def.subject, q.def.lower, q.def.higher
        )
    } else if tmin >= cmax {
        format!(
            "{} {} or makes no difference, depending on which equilibrium is played; it never {}",
            q.def.subject, q.def.higher, q.def.lower
        )
    } else {
        "the answer depends on which equilibrium is played".to_string()
    };
    format!(
        "{verdict}: P({}) is {} {}, and {} {}",
        q.def.event.v,
        show(with),
        q.treatment_label,
        show(without),
        q.control_label
    )
}

/// The section's blocks.
pub fn blocks(s: &RegimesSection, d: &mut Vec<Block>) {
    d.push(Block::Heading(2, "Equilibria and regimes".into()));
    d.push(Block::Para(format!(
        "The game has information sets, so each point has a set of equilibria with beliefs: \
         {} is listed. A regime is an equilibrium's class (how the first privately informed \
         mover's types sort: pooling, separating, semi-separating) and the outcomes it \
         reaches; where several equilibria exist, every regime is named.",
        s.concept
    )));
    for p in &s.points {
        let head = if p.name == "baseline" {
            "At the baseline".to_string()
        } else if p.about.is_empty() {
            format!("In {}", p.name)
        } else {
            format!("In {} ({})", p.name, p.about)
        };
        d.push(Block::Heading(3, head));
        d.push(Block::Para(format!("Regimes: {}.", p.regimes)));
        for e in &p.equilibria {
            d.push(Block::Para(format!("{}:", e.title)));
            d.push(Block::Bullets(e.lines.clone()));
        }
    }
    if let Some((x, y)) = &s.axes {
        d.push(Block::Heading(2, format!("Regime map over {x} and {y}")));
        if let Some(svg) = &s.map_svg {
            d.push(Block::Figure(
                "regimes.svg".into(),
                svg.clone(),
                format!(
                    "Regimes over {x} and {y}, the other parameters at the baseline; \
                     boundaries parallel to an axis are drawn at their exact values."
                ),
            ));
        }
        if !s.map_lines.is_empty() {
            d.push(Block::Bullets(s.map_lines.clone()));
        }
        for (param, lines) in &s.along {
            d.push(Block::Heading(
                3,
                format!("Where the regime changes along {param}"),
            ));
            d.push(Block::Bullets(lines.clone()));
        }
    }
    for q in &s.questions {
        d.push(Block::Heading(2, format!("Question: {}", q.ask)));
        d.push(Block::Bullets(
            q.answers
                .iter()
                .map(|(n, a)| {
                    format!(
                        "{}: {a}.",
                        if n == "baseline" {
                            "At the baseline"
                        } else {
                            n
                        }
                    )
                })
                .collect(),
        ));
    }
    for n in &s.notes {
        d.push(Block::Para(n.clone()));
    }
}
