//! `deter thresholds` and `deter regions` for games with information sets: regimes (the
//! equilibrium sets reduced to class and outcomes) along one parameter and over two
//! (docs/thresholds.md).

use super::args::{PointArgs, Refine, SolveFormat};
use anyhow::{Context, Result};
use deter::exact::Rational;
use deter::model::{GameTemplate, Loaded};
use deter::output::words::num;
use deter::regime::along::{along, Along, AlongOptions};
use deter::regime::conditions::{
    algebraic_changes, change_formulas, describe_changes, map_conditions,
};
use deter::regime::map::{regime_map, share_words, MapOptions, RegimeMap};
use deter::regime::rational::{of_f64, show};
use deter::regime::{Evaluator, RegimeSet, Selection};
use deter::solve::pbe::Refinement;
use deter::solve::SolveOptions;
use serde_json::json;

/// The equilibria an analysis describes: a refinement (`--refine`, or `--select intuitive`
/// and `--select d1`) and the selection named by `--select`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Choice {
    /// The refinement of off-path beliefs.
    pub refine: Option<Refine>,
    /// The selection (`All` without `--select`).
    pub select: Selection,
}

/// The choice made by `--refine` and `--select`; they must not disagree.
pub fn choice(refine: Option<Refine>, select: Option<&str>) -> Result<Choice> {
    let sel = match select {
        Some(n) => Selection::parse(n)?,
        None => Selection::All,
    };
    let implied = match sel {
        Selection::Intuitive => Some(Refine::Intuitive),
        Selection::D1 => Some(Refine::D1),
        _ => None,
    };
    let refine = match (refine, implied) {
        (Some(a), Some(b)) if a != b => anyhow::bail!(
            "`--select {}` and `--refine {}` name different refinements; give one",
            sel.name(),
            refine_name(a)
        ),
        (a, b) => a.or(b),
    };
    Ok(Choice {
        refine,
        select: sel,
    })
}

fn refine_name(r: Refine) -> &'static str {
    match r {
        Refine::D1 => "d1",
        Refine::Intuitive => "intuitive",
    }
}

/// The evaluator of `t` for a choice.
pub fn evaluator(t: &GameTemplate, c: Choice) -> Evaluator<'_> {
    Evaluator::new(t, options(c.refine)).with_select(c.select)
}

/// Solver options with the refinement asked for.
pub fn options(refine: Option<Refine>) -> SolveOptions {
    SolveOptions {
        refine: refine.map(|r| match r {
            Refine::Intuitive => Refinement::Intuitive,
            Refine::D1 => Refinement::D1,
        }),
        ..SolveOptions::default()
    }
}

/// The exact base point: the file's values as written, the scenario, then `--set` values as
/// typed (a value that is not a plain number falls back to its float's shortest decimal).
pub fn exact_base(loaded: &Loaded, t: &GameTemplate, point: &PointArgs) -> Result<Vec<Rational>> {
    let sets: Vec<(String, Rational)> = point
        .all_sets()?
        .iter()
        .filter_map(|s| {
            let (k, v) = s.split_once('=')?;
            let q = deter::exact::parse(v.trim()).or_else(|| of_f64(v.trim().parse().ok()?))?;
            Some((k.trim().to_string(), q))
        })
        .collect();
    t.exact_point(&loaded.source.text, point.scenario.as_deref(), &sets)
        .map_err(anyhow::Error::msg)
}

fn rational(x: f64, what: &str) -> Result<Rational> {
    of_f64(x).ok_or_else(|| anyhow::anyhow!("{what} `{x}` is not a finite number"))
}

/// What the equilibria are: "every perfect Bayesian equilibrium (pbe)", refined and selected
/// as asked.
pub fn concept(set: &RegimeSet, c: Choice) -> String {
    let base = match c.select {
        Selection::LogitLimit => {
            return "the limit of the principal logit branch (--select logit-limit; a regime is                     the outcomes it reaches)"
                .into()
        }
        Selection::FirstListed if set.solver == "pbe" => {
            "the first perfect Bayesian equilibrium pbe lists (--select first-listed)".to_string()
        }
        Selection::FirstListed => format!(
            "the first equilibrium {} lists (--select first-listed)",
            set.solver
        ),
        _ if set.solver == "pbe" => "every perfect Bayesian equilibrium (solver pbe)".to_string(),
        _ => format!("the equilibria found by {}", set.solver),
    };
    let how = match c.select {
        Selection::D1 | Selection::Intuitive => " (--select)",
        _ => "",
    };
    match c.refine {
        Some(Refine::D1) => format!("{base} that passes D1{how}"),
        Some(Refine::Intuitive) => format!("{base} that passes the Intuitive Criterion{how}"),
        None => base,
    }
}

/// The selection's name for JSON (`null` without `--select`).
pub fn select_json(c: Choice) -> serde_json::Value {
    match c.select {
        Selection::All => serde_json::Value::Null,
        s => json!(s.name()),
    }
}

/// `deter thresholds` on a game with information sets.
#[allow(clippy::too_many_arguments)]
pub fn thresholds(
    loaded: &Loaded,
    t: &GameTemplate,
    point: &PointArgs,
    (param, lo, hi): (usize, f64, f64),
    grid: usize,
    c: Choice,
    format: SolveFormat,
    questions: bool,
) -> Result<()> {
    let base = exact_base(loaded, t, point)?;
    let (qlo, qhi) = (rational(lo, "LO")?, rational(hi, "HI")?);
    let mut ev = evaluator(t, c);
    let opts = AlongOptions {
        grid: grid.clamp(1, 2000),
        ..AlongOptions::default()
    };
    let mut a = along(&mut ev, &base, param, &qlo, &qhi, &opts)?;
    algebraic_changes(&mut ev, &base, &mut a);
    let name = &t.params.names[param];
    let floats: Vec<f64> = base.iter().map(deter::exact::to_f64).collect();
    let first = &a.segments[0].2;
    let qs = if questions {
        let o = options(c.refine);
        super::thresholds::type_questions(t, &base, (param, &qlo, &qhi), grid, &o)?
    } else {
        Vec::new()
    };
    match format {
        SolveFormat::Json => {
            let formulas = change_formulas(t, &ev.opts, &base, &a);
            let doc = json!({
                "schema": "deter.regimes/1",
                "parameter": name,
                "lo": lo, "hi": hi,
                "point": t.params.names.iter().cloned().zip(floats.iter().map(|&v| json!(v))).collect::<serde_json::Map<String, serde_json::Value>>(),
                "solver": first.solver,
                "refine": c.refine.map(refine_name),
                "select": select_json(c),
                "changes": a.changes.iter().zip(&formulas).map(|(c, f)| json!({
                    "value": deter::exact::to_f64(&c.value),
                    "formula": f,
                    "root": c.root.as_ref().map(|r| json!({
                        "polynomial": deter::regime::sturm::show_poly(&r.poly, name),
                        "lo": deter::exact::display(&r.lo),
                        "hi": deter::exact::display(&r.hi),
                        "approx": r.approx(),
                    })),
                    "exact_value": c.exact.then(|| deter::exact::display(&c.value)),
                    "exact": c.exact,
                    "bracket": [deter::exact::to_f64(&c.bracket.0), deter::exact::to_f64(&c.bracket.1)],
                    "left": set_json(&c.left),
                    "right": set_json(&c.right),
                    "at": c.at.as_ref().map(set_json),
                })).collect::<Vec<_>>(),
                "segments": a.segments.iter().map(|(f, to, s)| json!({
                    "from": deter::exact::to_f64(f), "to": deter::exact::to_f64(to),
                    "regimes": set_json(s),
                })).collect::<Vec<_>>(),
                "questions": super::thresholds::type_questions_json(&qs),
            });
            outln!("{}", serde_json::to_string_pretty(&doc)?)?;
        }
        SolveFormat::Text => {
            outln!(
                "Regime changes of {name} over [{}, {}] ({}; {}):",
                num(lo),
                num(hi),
                t.describe_point(&floats),
                concept(first, c)
            )?;
            let lines = describe_changes(t, &ev.opts, &base, &a);
            print_along(name, &a, &lines)?;
            super::thresholds::print_type_questions(name, &qs)?;
        }
    }
    Ok(())
}

fn set_json(s: &RegimeSet) -> serde_json::Value {
    json!({
        "regimes": s.regimes.iter().map(|r| json!({
            "label": r.label, "class": r.class, "outcomes": r.outcomes,
        })).collect::<Vec<_>>(),
        "equilibria": s.equilibria,
        "tie": s.tie,
        "complete": s.complete,
    })
}

/// The changes and the stretches between them, as text.
pub fn print_along(name: &str, a: &Along, changes: &[String]) -> Result<()> {
    if a.changes.is_empty() {
        outln!("  none: the regimes are the same throughout")?;
    }
    for c in changes {
        outln!("  {c}")?;
    }
    outln!("Regimes by stretch:")?;
    for line in a.stretches(name) {
        outln!("  {line}")?;
    }
    Ok(())
}

/// A mapped parameter: `(id, lo, hi)`.
pub type Vary = (usize, f64, f64);

/// `deter regions` on a game with information sets: the regimes at the point, and with `--map`
/// the regime map with each regime's extent.
pub fn regions(
    loaded: &Loaded,
    t: &GameTemplate,
    point: &PointArgs,
    map: Option<(Vary, Vary)>,
    (cells, plot): (usize, Option<&std::path::Path>),
    c: Choice,
) -> Result<()> {
    let base = exact_base(loaded, t, point)?;
    let mut ev = evaluator(t, c);
    let here = ev.at(&base)?;
    let floats: Vec<f64> = base.iter().map(deter::exact::to_f64).collect();
    outln!(
        "Regimes {} ({}): {}",
        t.describe_point(&floats),
        concept(&here, c),
        here.describe()
    )?;
    outln!(
        "A regime is an equilibrium's class (how the first privately informed mover's types \
         sort) and the outcomes it reaches."
    )?;
    let Some(((x, xlo, xhi), (y, ylo, yhi))) = map else {
        if plot.is_some() {
            anyhow::bail!("`--plot` draws the map: give `--map X=LO:HI --map Y=LO:HI` too");
        }
        return Ok(());
    };
    let opts = MapOptions {
        cells: (cells.clamp(2, 400), (cells * 3 / 4).clamp(2, 300)),
        ..MapOptions::default()
    };
    let m = regime_map(
        &mut ev,
        &base,
        (x, rational(xlo, "LO")?, rational(xhi, "HI")?),
        (y, rational(ylo, "LO")?, rational(yhi, "HI")?),
        &opts,
    )?;
    print_map(&m)?;
    if c.select == Selection::LogitLimit {
        outln!(
            "Conditions in the model's symbols are not derived for the logit limit (it is not an \
             equilibrium whose support's equations give it)."
        )?;
    } else {
        print_conditions(t, &ev.opts, &base, &m)?;
    }
    if let Some(path) = plot {
        let title = format!("Regimes over {} and {}", m.x.name, m.y.name);
        let fig = m.figure(&title, &[]);
        deter::output::write_atomic(path, fig.svg.as_bytes())
            .with_context(|| format!("cannot write `{}`", path.display()))?;
        errln!("wrote {}", path.display());
    }
    Ok(())
}

/// Each area's regimes with their conditions in the model's symbols.
pub fn print_conditions(
    t: &GameTemplate,
    opts: &SolveOptions,
    base: &[Rational],
    m: &RegimeMap,
) -> Result<()> {
    outln!(
        "Conditions of each regime, in the model's symbols (other parameters as at the point):"
    )?;
    for line in map_conditions(t, opts, base, m) {
        outln!("  {line}")?;
    }
    Ok(())
}

/// The map's regimes with their shares and extents.
pub fn print_map(m: &RegimeMap) -> Result<()> {
    outln!(
        "\nRegimes over {} in [{}, {}] and {} in [{}, {}]:",
        m.x.name,
        show(&m.x.lo),
        show(&m.x.hi),
        m.y.name,
        show(&m.y.lo),
        show(&m.y.hi)
    )?;
    for a in &m.areas {
        let when = m.extent(a);
        outln!(
            "  {} ({} of the map): {when}",
            a.set.describe(),
            share_words(a.share)
        )?;
    }
    if let Some(s) = m.multiplicity() {
        outln!("  {s}")?;
    }
    outln!("  {}", m.note())?;
    Ok(())
}
