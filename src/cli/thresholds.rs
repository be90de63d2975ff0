//! `deter thresholds` and `deter regions`: where the equilibrium changes, and why each move is
//! chosen (docs/thresholds.md).

use super::args::{RegionsArgs, SolveFormat, ThresholdsArgs};
use super::input;
use anyhow::{bail, Context, Result};
use deter::model::GameTemplate;
use deter::output::words::num;
use deter::questions;
use deter::regions::{self, node_conditions};
use deter::thresholds::{thresholds, ThresholdOptions};
use serde_json::json;
use std::process::ExitCode;

/// Parses `name=lo:hi` (or `name` alone: the declared range) into `(id, lo, hi)`.
fn parse_vary(t: &GameTemplate, s: &str) -> Result<(usize, f64, f64)> {
    let (name, range) = match s.split_once('=') {
        Some((n, r)) => (n.trim(), Some(r)),
        None => (s.trim(), None),
    };
    let id = t.params.lookup(name).map_err(anyhow::Error::msg)?;
    let (lo, hi) = match range {
        Some(r) => {
            let (a, b) = r
                .split_once(':')
                .with_context(|| format!("`--vary {s}`: expected NAME=LO:HI, e.g. T=0:1"))?;
            let p = |x: &str| -> Result<f64> {
                x.trim()
                    .parse()
                    .with_context(|| format!("`--vary {s}`: `{}` is not a number", x.trim()))
            };
            (p(a)?, p(b)?)
        }
        None => t.params.ranges[id].with_context(|| {
            format!(
                "`--vary {name}`: the parameter has no declared range; give one as {name}=LO:HI"
            )
        })?,
    };
    if lo >= hi || !lo.is_finite() || !hi.is_finite() {
        bail!("`--vary {s}`: the interval needs finite LO < HI");
    }
    Ok((id, lo, hi))
}

/// True if the regimes (equilibrium sets) are analysed rather than the backward-induction
/// equilibrium: games with information sets, a refinement, or a selection other than the tie
/// rule (which is what backward induction computes).
fn regimes_path(t: &GameTemplate, c: super::regimes::Choice) -> bool {
    !t.tree.is_perfect_information()
        || c.refine.is_some()
        || !matches!(
            c.select,
            deter::regime::Selection::All | deter::regime::Selection::FirstListed
        )
}

/// The line saying that `--select first-listed` is backward induction's tie rule.
const TIE_RULE: &str = "Selection: the tie rule's equilibrium (first listed best move; \
                        --select first-listed), which is what backward induction follows here.";

/// Runs `deter thresholds`.
pub fn run(args: &ThresholdsArgs) -> Result<ExitCode> {
    let (loaded, t) = input::load_model(&args.file)?;
    let base = input::point(&t, args.point.scenario.as_deref(), &args.point.all_sets()?)?;
    let (id, lo, hi) = parse_vary(&t, &args.vary)?;
    let c = super::regimes::choice(args.refine, args.select.as_deref())?;
    if regimes_path(&t, c) {
        super::regimes::thresholds(
            &loaded,
            &t,
            &args.point,
            (id, lo, hi),
            args.grid.min(200),
            c,
            args.format,
            args.questions,
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let opts = ThresholdOptions {
        grid: args.grid.max(1),
        ..Default::default()
    };
    let ts = thresholds(&t, &base, id, lo, hi, &opts)?;
    let qs = if args.questions {
        let mut out = Vec::new();
        for q in questions::prepare(&t)? {
            let found = questions::question_thresholds(&q, &base, id, lo, hi, &opts)?;
            out.push((q, found));
        }
        out
    } else {
        Vec::new()
    };
    let name = &t.params.names[id];
    match args.format {
        SolveFormat::Json => {
            let items: Vec<_> = ts
                .iter()
                .map(|th| {
                    json!({
                        "value": th.value, "exact": th.exact,
                        "node": t.tree.node_names[th.node.ix()],
                        "player": t.tree.players[th.player.ix()],
                        "from": th.labels.0, "to": th.labels.1,
                        "condition": th.condition,
                        "equation": th.equation,
                        "outcome_changes": th.outcome_changes,
                        "left": th.left, "right": th.right,
                        "also": th.also.iter().map(|c| t.tree.node_names[c.node.ix()].to_string()).collect::<Vec<_>>(),
                    })
                })
                .collect();
            let qitems: Vec<_> = qs
                .iter()
                .map(|(q, found)| {
                    json!({
                        "question": q.def.name.v,
                        "changes": found.iter().map(|f| json!({
                            "value": f.value, "exact": f.exact,
                            "left": q.word(f.left), "right": q.word(f.right), "cause": f.cause,
                            "left_set": f.left_set.effects().into_iter().map(|e| q.word(e)).collect::<Vec<_>>(),
                            "right_set": f.right_set.effects().into_iter().map(|e| q.word(e)).collect::<Vec<_>>(),
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect();
            let doc = json!({
                "schema": "deter.thresholds/1",
                "parameter": name, "lo": lo, "hi": hi,
                "select": super::regimes::select_json(c),
                "point": t.params.names.iter().cloned().zip(base.iter().map(|&v| json!(v))).collect::<serde_json::Map<String, serde_json::Value>>(),
                "thresholds": items,
                "questions": qitems,
            });
            outln!("{}", serde_json::to_string_pretty(&doc)?)?;
        }
        SolveFormat::Text => {
            outln!(
                "Thresholds of {name} over [{}, {}] ({}):",
                num(lo),
                num(hi),
                t.describe_point(&base)
            )?;
            if c.select == deter::regime::Selection::FirstListed {
                outln!("{TIE_RULE}")?;
            }
            if ts.is_empty() {
                outln!("  none: the equilibrium is the same throughout")?;
            }
            for th in &ts {
                outln!("  {}", th.describe(&t, id))?;
            }
            for (q, found) in &qs {
                outln!("\nQuestion `{}`: {}", q.def.name.v, q.def.ask)?;
                if found.is_empty() {
                    outln!("  the answer does not change along {name}")?;
                }
                for f in found {
                    // Over every equilibrium when some point has several answers.
                    let (l, r) = if f.left_set.len() > 1 || f.right_set.len() > 1 {
                        (q.set_words(&f.left_set), q.set_words(&f.right_set))
                    } else {
                        (q.word(f.left).to_string(), q.word(f.right).to_string())
                    };
                    outln!(
                        "  {name} = {} ({}): {} {l} → {r}",
                        num(f.value),
                        if f.exact { "exact" } else { "numeric" },
                        q.def.subject,
                    )?;
                }
            }
            if args.regions {
                outln!("\nConditions at the base point:")?;
                print_conditions(&t, &base, &[id])?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_conditions(t: &GameTemplate, theta: &[f64], prefer: &[usize]) -> Result<()> {
    for nc in node_conditions(t, theta)? {
        let mark = if nc.on_path { "" } else { " (off the path)" };
        outln!("  {}{mark}", nc.describe(&t.tree, prefer, Some(theta)))?;
    }
    let region = regions::outcome_region(t, theta)?;
    let conds: Vec<String> = region
        .iter()
        .map(|c| c.render(prefer, Some(theta)))
        .collect();
    outln!(
        "  The equilibrium stays the same while: {}",
        conds.join(" and ")
    )?;
    Ok(())
}

/// Runs `deter regions`.
pub fn run_regions(args: &RegionsArgs) -> Result<ExitCode> {
    let (loaded, t) = input::load_model(&args.file)?;
    let base = input::point(&t, args.point.scenario.as_deref(), &args.point.all_sets()?)?;
    let c = super::regimes::choice(args.refine, args.select.as_deref())?;
    if regimes_path(&t, c) {
        let map = match &args.map[..] {
            [] => None,
            [a, b] => Some((parse_vary(&t, a)?, parse_vary(&t, b)?)),
            _ => bail!("`--map` is given twice, once per axis: `--map p_Def=0:1 --map p_Ch=0:1`"),
        };
        super::regimes::regions(
            &loaded,
            &t,
            &args.point,
            map,
            (args.cells, args.plot.as_deref()),
            c,
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let prefer = args
        .prefer
        .iter()
        .map(|p| t.params.lookup(p).map_err(anyhow::Error::msg))
        .collect::<Result<Vec<_>>>()?;
    outln!(
        "Each move and the condition under which it is chosen ({}; valid while the moves \
         after it stay the same):",
        t.describe_point(&base)
    )?;
    if c.select == deter::regime::Selection::FirstListed {
        outln!("{TIE_RULE}")?;
    }
    print_conditions(&t, &base, &prefer)?;
    match &args.map[..] {
        [] => {}
        [a, b] => print_map(
            &t,
            &base,
            parse_vary(&t, a)?,
            parse_vary(&t, b)?,
            args.cells,
        )?,
        _ => bail!("`--map` is given twice, once per axis: `--map T=0:1 --map c_D=0:3`"),
    }
    Ok(ExitCode::SUCCESS)
}

/// The outcome regions and the questions' answer regions on a two-parameter map.
fn print_map(
    t: &GameTemplate,
    base: &[f64],
    (x, xlo, xhi): (usize, f64, f64),
    (y, ylo, yhi): (usize, f64, f64),
    cells: usize,
) -> Result<()> {
    let names = &t.params.names;
    outln!(
        "\nOutcomes over {} in [{}, {}] and {} in [{}, {}]:",
        names[x],
        num(xlo),
        num(xhi),
        names[y],
        num(ylo),
        num(yhi)
    )?;
    let rs = questions::outcome_regions(t, base, x, y, (xlo, xhi), (ylo, yhi), cells)?;
    for r in rs {
        let when = if r.conditions.is_empty() {
            "everywhere on the map".to_string()
        } else {
            r.conditions.join(" and ")
        };
        let share = deter::regime::map::share_words(r.share);
        outln!(
            "  {} ({share} of the map): {}; when {when}",
            r.outcome,
            r.path.replace('\n', "; ")
        )?;
    }
    for q in questions::prepare(t)? {
        outln!("\nQuestion `{}`: {}", q.def.name.v, q.def.ask)?;
        let s = questions::region_sentences(&q, base, x, y, (xlo, xhi), (ylo, yhi), cells)?;
        if s.is_empty() {
            outln!("  {} has no effect anywhere on the map", q.def.subject)?;
        }
        for line in s {
            outln!("  {line}")?;
        }
    }
    Ok(())
}

/// The model's questions along one parameter of a game with information sets: where each
/// answer's set over every equilibrium changes (`deter thresholds --questions`).
pub fn type_questions(
    t: &GameTemplate,
    base: &[deter::exact::Rational],
    (param, lo, hi): (usize, &deter::exact::Rational, &deter::exact::Rational),
    grid: usize,
    solve_opts: &deter::solve::SolveOptions,
) -> Result<Vec<(questions::PreparedQuestion, deter::regime::along::Along)>> {
    let opts = deter::regime::along::AlongOptions {
        grid: grid.clamp(1, 2000),
        ..Default::default()
    };
    let mut out = Vec::new();
    for q in questions::prepare(t)? {
        let a = questions::along::answer_along(&q, base, param, (lo, hi), solve_opts, &opts)?;
        out.push((q, a));
    }
    Ok(out)
}

/// [`type_questions`] as text.
pub fn print_type_questions(
    name: &str,
    found: &[(questions::PreparedQuestion, deter::regime::along::Along)],
) -> Result<()> {
    use deter::questions::along::{describe_change, set_words};
    for (q, a) in found {
        outln!("\nQuestion `{}`: {}", q.def.name.v, q.def.ask)?;
        outln!(
            "  {} (answers over every pair of equilibria of the two games):",
            q.def.subject
        )?;
        if a.changes.is_empty() {
            outln!("  the answers do not change along {name}")?;
        }
        for c in &a.changes {
            outln!("  {}", describe_change(c, name))?;
        }
        for (f, to, s) in a.segments.iter().filter(|(f, to, _)| f != to) {
            outln!(
                "  {} < {name} < {}: {}",
                deter::regime::rational::show(f),
                deter::regime::rational::show(to),
                set_words(s)
            )?;
        }
    }
    Ok(())
}

/// [`type_questions`] as JSON.
pub fn type_questions_json(
    found: &[(questions::PreparedQuestion, deter::regime::along::Along)],
) -> serde_json::Value {
    let words = |s: &deter::regime::RegimeSet| -> Vec<String> {
        s.regimes.iter().map(|r| r.label.clone()).collect()
    };
    json!(found
        .iter()
        .map(|(q, a)| json!({
            "question": q.def.name.v,
            "changes": a.changes.iter().map(|c| json!({
                "value": deter::exact::to_f64(&c.value),
                "exact_value": c.exact.then(|| deter::exact::display(&c.value)),
                "exact": c.exact,
                "left": words(&c.left),
                "right": words(&c.right),
                "at": c.at.as_ref().map(words),
            })).collect::<Vec<_>>(),
            "segments": a.segments.iter().map(|(f, to, s)| json!({
                "from": deter::exact::to_f64(f), "to": deter::exact::to_f64(to),
                "answers": words(s),
            })).collect::<Vec<_>>(),
        }))
        .collect::<Vec<_>>())
}
