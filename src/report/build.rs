//! Computing a [`Report`] from a model template.

use super::analysis::{self, Solver};
use super::question::{self, Effect};
use super::{
    ParamRow, PointReport, QuestionReport, Report, ReportError, ScenarioAnswer, StaticsReport,
};
use crate::draw::{self, Drawing, Marks};
use crate::game::profile::expected_payoffs;
use crate::model::ast::Counterfactual;
use crate::model::GameTemplate;
use crate::output::words::{
    and_unique, choice_sentence, move_words, node_strategies, outcome_label, path_in_words,
    player_name,
};
use crate::plot::{line_svg, LineChart, Series};
use crate::solve::backward::check_perfect_information;

/// What to put in a report.
#[derive(Clone, Debug)]
pub struct Options {
    /// Scenarios to include (`None`: all).
    pub scenarios: Option<Vec<String>>,
    /// Changes to the baseline (the model's defaults).
    pub sets: Vec<(String, f64)>,
    /// Grid points per axis of question maps.
    pub grid: usize,
    /// Grid points of comparative-statics curves.
    pub statics_points: usize,
    /// Show the payoff formulas at the tree's leaves instead of the numbers.
    pub formulas: bool,
    /// Which equilibria the analysis of a game with information sets describes (`--select`).
    pub select: crate::regime::Selection,
    /// Confidence bands on the comparative-statics plots, from a fit's estimates.
    pub bands: Option<crate::fit::bands::StaticsBands>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            scenarios: None,
            sets: Vec::new(),
            grid: 121,
            statics_points: 201,
            formulas: false,
            select: crate::regime::Selection::All,
            bands: None,
        }
    }
}

/// Computes the report of template `t` (loaded from `file`).
pub fn build(t: &GameTemplate, file: &str, opts: &Options) -> Result<Report, ReportError> {
    let base = t.point(None, &opts.sets).map_err(ReportError::Point)?;
    let mut scen: Vec<(String, String, Vec<f64>)> = Vec::new();
    for s in &t.scenarios {
        if opts
            .scenarios
            .as_ref()
            .is_some_and(|l| !l.contains(&s.name))
        {
            continue;
        }
        // `--set` changes the baseline only: a scenario keeps its own values, and takes the
        // changed baseline for the parameters it does not set.
        let sets: Vec<(String, f64)> = opts
            .sets
            .iter()
            .filter(|(n, _)| !s.values.iter().any(|&(id, _)| t.params.names[id] == *n))
            .cloned()
            .collect();
        let th = t.point(Some(&s.name), &sets).map_err(ReportError::Point)?;
        scen.push((s.name.clone(), s.about.clone(), th));
    }
    if let Some(l) = &opts.scenarios {
        for n in l {
            t.scenario(n).map_err(ReportError::Point)?;
        }
    }
    t.instantiate(&base)
        .map_err(|e| ReportError::Baseline(t.diagnose(&e, &base).message))?;
    let mut notes = Vec::new();
    let pi = check_perfect_information(&t.tree);
    let selection = selection_words(opts.select, pi.is_ok())?;
    let regimes = pi
        .is_err()
        .then(|| super::regimes::build(t, &base, &scen, opts.select));
    if let (Err(u), None) = (&pi, &regimes) {
        notes.push(format!(
            "Equilibria, comparative statics and questions are omitted: the report computes them \
             by backward induction, and {}. `deter solve` picks a solver that fits this game.",
            u.reason
                .trim_start_matches("backward induction needs perfect information, but ")
        ));
    }
    let solvable = pi.is_ok();
    let mut points = vec![point_report(t, "baseline", "", &base, &base, solvable)];
    for (name, about, th) in &scen {
        points.push(point_report(t, name, about, th, &base, solvable));
    }
    let tree_svg = tree(t, &base, solvable, opts.formulas, &mut notes);
    let statics = if solvable {
        statics(t, &base, opts)
    } else {
        Vec::new()
    };
    let questions = t
        .ast
        .questions
        .iter()
        .map(|q| question_report(t, q, &base, &scen, opts, solvable))
        .collect();
    Ok(Report {
        file: file.to_string(),
        title: t.title.clone(),
        about: t.about.clone(),
        source: t.ast.source.clone(),
        players: t.tree.player_names.clone(),
        params: (0..t.params.len())
            .map(|k| ParamRow {
                name: t.params.names[k].clone(),
                value: base[k],
                range: t.params.ranges[k],
                about: t.params.about[k].clone(),
            })
            .collect(),
        points,
        tree_svg,
        notes,
        statics,
        questions,
        regimes,
        selection,
    })
}

/// The report header's sentence on `--select`, or why the selection does not apply to a game
/// with perfect information (its analysis is backward induction: the tie rule, with every
/// subgame-perfect equilibrium stated where a tie decides an answer).
fn selection_words(
    sel: crate::regime::Selection,
    perfect: bool,
) -> Result<Option<String>, ReportError> {
    use crate::regime::Selection as S;
    Ok(match (sel, perfect) {
        (S::All, _) => None,
        (S::FirstListed, true) => Some(
            "Selection: the tie rule's equilibrium (first listed best move; --select \
             first-listed), which is what backward induction computes; answers that a tie \
             decides still say so."
                .into(),
        ),
        (s, true) => {
            return Err(ReportError::Point(format!(
                "--select {}: the report analyses a game with perfect information by backward \
                 induction; this selection applies to games with information sets (use --select \
                 first-listed, or `deter sweep --select {}`)",
                s.name(),
                s.name()
            )))
        }
        (s, false) => Some(format!(
            "Selection: {}.",
            s.describe("pbe")
                .replace(" at each point", " at each point of every section")
        )),
    })
}

fn tree(
    t: &GameTemplate,
    base: &[f64],
    solvable: bool,
    formulas: bool,
    notes: &mut Vec<String>,
) -> Option<String> {
    let game = t.instantiate(base).ok()?;
    let solved = if solvable {
        Solver::new(t).solve(base)
    } else {
        None
    };
    let marks = solved.and_then(|s| Marks::of(&s.game, &s.profile).ok());
    let typeset = formulas.then(|| draw::scene::payoff_formulas(t));
    let mut d = Drawing::new(&game);
    d.marks = marks.as_ref();
    d.formulas = typeset.as_deref();
    match draw::svg::svg(&d) {
        Ok(s) => Some(s),
        Err(e) => {
            notes.push(format!("The tree is not drawn: {e}."));
            None
        }
    }
}

fn point_report(
    t: &GameTemplate,
    name: &str,
    about: &str,
    th: &[f64],
    base: &[f64],
    solvable: bool,
) -> PointReport {
    let changes = (0..t.params.len())
        .filter(|&k| th[k] != base[k])
        .map(|k| (t.params.names[k].clone(), th[k]))
        .collect();
    let mut r = PointReport {
        name: name.into(),
        about: about.into(),
        changes,
        path: String::new(),
        outcome: String::new(),
        payoffs: Vec::new(),
        events: Vec::new(),
        off_path: Vec::new(),
        ties: Vec::new(),
    };
    if !solvable {
        return r;
    }
    let Some(s) = Solver::new(t).solve(th) else {
        r.path = "the model cannot be evaluated here".into();
        return r;
    };
    let tree = &*s.game.tree;
    r.path = path_in_words(&s.game, &s.profile).replace('\n', "; ");
    r.outcome = outcome_label(&s.game, &s.profile);
    r.payoffs = expected_payoffs(&s.game, &s.profile);
    let ev = crate::game::profile::event_probabilities(&s.game, &s.profile);
    r.events = tree.events.iter().cloned().zip(ev).collect();
    r.off_path = node_strategies(&s.game, &s.profile)
        .iter()
        .filter(|ns| !ns.on_path)
        .map(|ns| choice_sentence(tree, ns))
        .collect();
    r.ties = s.ties;
    r
}

fn statics(t: &GameTemplate, base: &[f64], opts: &Options) -> Vec<StaticsReport> {
    let mut out = Vec::new();
    for k in 0..t.params.len() {
        let Some((lo, hi)) = t.params.ranges[k] else {
            continue;
        };
        let s = analysis::statics(t, base, k, lo, hi, opts.statics_points);
        let mut cuts = vec![lo];
        cuts.extend(s.thresholds.iter().map(|x| x.value));
        cuts.push(hi);
        let mut solver = Solver::new(t);
        let mut th = base.to_vec();
        let segments = cuts
            .windows(2)
            .map(|w| {
                th[k] = (w[0] + w[1]) / 2.0;
                let path = solver
                    .solve(&th)
                    .map(|s| path_in_words(&s.game, &s.profile).replace('\n', "; "))
                    .unwrap_or_else(|| "cannot be evaluated".into());
                (w[0], w[1], path)
            })
            .collect();
        let svg = if s.thresholds.is_empty() {
            None
        } else {
            let events = |th: &[f64]| Solver::new(t).outcomes(th).map(|o| o.0);
            let bands = (opts.bands.as_ref())
                .and_then(|b| b.statics(t, base, k, &s.xs, &events).ok().flatten());
            statics_plot(t, &s, bands)
        };
        out.push(StaticsReport {
            param: t.params.names[k].clone(),
            range: (lo, hi),
            base: base[k],
            thresholds: s.thresholds,
            segments,
            svg,
            error: s.error,
        });
    }
    out
}

/// The plot of one parameter's statics: [`crate::plot::line_svg`] (event probabilities above,
/// expected payoffs below).
fn statics_plot(
    t: &GameTemplate,
    s: &analysis::Statics,
    bands: Option<(Vec<crate::plot::line::Interval>, String)>,
) -> Option<String> {
    let name = &t.params.names[s.param];
    let probs: Vec<Series> = t
        .tree
        .events
        .iter()
        .enumerate()
        .map(|(e, n)| Series {
            name: format!("P({n})"),
            values: s.events.iter().map(|v| v[e]).collect(),
        })
        .collect();
    let payoffs: Vec<Series> = t
        .tree
        .player_names
        .iter()
        .enumerate()
        .map(|(p, n)| Series {
            name: n.clone(),
            values: s.payoffs.iter().map(|v| v[p]).collect(),
        })
        .collect();
    let th: Vec<f64> = s.thresholds.iter().map(|x| x.value).collect();
    let title = format!("The equilibrium as {name} varies (other parameters at the baseline)");
    let chart = LineChart {
        title: &title,
        x_name: name,
        xs: &s.xs,
        probs: &probs,
        payoffs: &payoffs,
        thresholds: &th,
    };
    match bands {
        Some((iv, note)) => crate::plot::line::figure_with_bands(&chart, &iv, &note)
            .ok()
            .map(|f| f.svg),
        None => line_svg(&chart).ok(),
    }
}

/// A counterfactual in words with the model's `say` phrases and display names: "Protege
/// hedges", "the option where Defender abandons is removed". A phrase repeated at several nodes
/// (the same move forced in two copies of a subtree) is said once.
pub fn counterfactual_words(t: &GameTemplate, cf: &Counterfactual) -> String {
    let tree = &*t.tree;
    // A node's own name, or `SUBTREE.NODE` / an information set's name: its first node.
    let node_of = |n: &str| {
        tree.node_names.iter().position(|x| x == n).or_else(|| {
            let i = *crate::model::build::nodes_named(&t.ast, n).first()?;
            let name = &t.ast.nodes[i].name.v;
            tree.node_names.iter().position(|x| x == name)
        })
    };
    let child = |n: &str, m: &str| {
        let i = node_of(n)?;
        tree.nodes[i]
            .children()
            .find(|&c| &tree.move_labels[c] == m)
            .map(crate::game::NodeId::from)
    };
    let who = |n: &str| match node_of(n) {
        Some(i) => match tree.nodes[i].kind {
            crate::game::NodeKind::Decision { player, .. } => {
                player_name(tree, player.ix()).to_string()
            }
            _ => "Nature".to_string(),
        },
        None => n.to_string(),
    };
    let said = |n: &str, m: &str| match child(n, m) {
        Some(c) => move_words(tree, c).to_string(),
        None => format!("plays {m}"),
    };
    let mut parts: Vec<String> = cf
        .force
        .iter()
        .map(|(n, m)| format!("{} {}", who(&n.v), said(&n.v, &m.v)))
        .collect();
    for (n, ms) in &cf.remove {
        for m in ms {
            parts.push(format!(
                "the option where {} {} is removed",
                who(&n.v),
                said(&n.v, &m.v)
            ));
        }
    }
    if parts.is_empty() {
        "the game is played as written".into()
    } else {
        and_unique(&parts)
    }
}

fn question_report(
    t: &GameTemplate,
    q: &crate::model::ast::QuestionDef,
    base: &[f64],
    scen: &[(String, String, Vec<f64>)],
    opts: &Options,
    solvable: bool,
) -> QuestionReport {
    let mut r = QuestionReport {
        name: q.name.v.clone(),
        ask: q.ask.clone(),
        subject: q.subject.clone(),
        event: q.event.v.clone(),
        lower: q.lower.clone(),
        higher: q.higher.clone(),
        good: match q.good.as_ref().map(|g| g.v.as_str()) {
            Some("lower") => Some(Effect::Lower),
            Some("higher") => Some(Effect::Higher),
            _ => None,
        },
        treatment: counterfactual_words(t, &q.treatment),
        control: counterfactual_words(t, &q.control),
        axes: None,
        map_svg: None,
        scenario_maps: Vec::new(),
        under_dots: Vec::new(),
        lower_regions: Vec::new(),
        higher_regions: Vec::new(),
        given: Vec::new(),
        tied_share: 0.0,
        answers: Vec::new(),
        note: None,
    };
    if !solvable {
        r.note = Some("not computed: the game has imperfect information".into());
        return r;
    }
    let prepared =
        crate::questions::prepare(t).map(|v| v.into_iter().find(|p| p.def.name.v == q.name.v));
    let p = match prepared {
        Ok(Some(p)) => p,
        Ok(None) => {
            r.note = Some(format!("question `{}` is not declared", q.name.v));
            return r;
        }
        Err(e) => {
            r.note = Some(e.to_string());
            return r;
        }
    };
    let axes: Vec<usize> = q.vary.iter().filter_map(|v| t.params.id(&v.v)).collect();
    if let [x, y] = axes[..] {
        answer_map(t, &p, base, scen, opts, (x, y), &mut r);
    } else {
        r.note =
            Some("no map: the question needs `vary` with two parameters that have ranges".into());
    }
    let mut pts = vec![("baseline".to_string(), base.to_vec())];
    pts.extend(scen.iter().map(|(n, _, th)| (n.clone(), th.clone())));
    for (name, th) in pts {
        let (effect, pr, why) = question::explain(&p, &th, &axes);
        let (verdict, tied, p_sets) = question::over_equilibria(&p, &th);
        r.answers.push(ScenarioAnswer {
            name,
            effect,
            p: pr,
            why,
            verdict,
            tied,
            p_sets,
        });
    }
    r
}

fn answer_map(
    t: &GameTemplate,
    p: &crate::questions::PreparedQuestion,
    base: &[f64],
    scen: &[(String, String, Vec<f64>)],
    opts: &Options,
    (x, y): (usize, usize),
    r: &mut QuestionReport,
) {
    let names = &t.params.names;
    r.axes = Some((names[x].clone(), names[y].clone()));
    let ranges = (t.params.ranges[x], t.params.ranges[y]);
    let (Some(rx), Some(ry)) = ranges else {
        r.note = Some(format!(
            "no map: `{}` and `{}` both need a range",
            names[x], names[y]
        ));
        return;
    };
    let m = match crate::questions::question_map(p, base, (x, y), (rx, ry), opts.grid) {
        Ok(m) => m,
        Err(e) => {
            r.note = Some(e.to_string());
            return;
        }
    };
    r.lower_regions = crate::questions::map_regions(p, base, &m, Effect::Lower);
    r.higher_regions = crate::questions::map_regions(p, base, &m, Effect::Higher);
    let mut given: Vec<(String, f64)> = Vec::new();
    for reg in r.lower_regions.iter().chain(&r.higher_regions) {
        for text in &reg.exact {
            for w in text.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
                if let Some(k) = t.params.id(w) {
                    if k != x && k != y && !given.iter().any(|g| g.0 == w) {
                        given.push((w.to_string(), base[k]));
                    }
                }
            }
        }
    }
    r.given = given;
    r.tied_share = m.tied_share();
    let title = format!(
        "{} ({} over {} and {})",
        q_title(r),
        r.subject,
        names[x],
        names[y]
    );
    let (lower, higher) = (
        format!("{} {}", r.subject, r.lower),
        format!("{} {}", r.subject, r.higher),
    );
    let spec = super::slices::MapSpec {
        p,
        axes: (x, y),
        ranges: (rx, ry),
        n: opts.grid,
        title: &title,
        words: (&lower, &higher),
        good: r.good,
    };
    let mut pts = vec![("baseline".to_string(), base.to_vec())];
    pts.extend(scen.iter().map(|(n, _, th)| (n.clone(), th.clone())));
    for m in super::slices::slice_maps(&spec, &pts) {
        r.under_dots
            .extend(m.names.iter().cloned().zip(m.under_dots.iter().copied()));
        if m.baseline {
            r.map_svg = Some(m.svg);
        } else {
            r.scenario_maps.push((m.names.join(", "), m.svg));
        }
    }
}

fn q_title(r: &QuestionReport) -> &str {
    if r.ask.is_empty() {
        &r.name
    } else {
        &r.ask
    }
}
