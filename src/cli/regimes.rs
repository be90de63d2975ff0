//! `deter thresholds` and `deter regions` for games with information sets: regimes (the
//! equilibrium sets reduced to class and outcomes) along one parameter and over two
//! (docs/thresholds.md).

use super::args::{PointArgs, Refine, SolveFormat};
use anyhow::{Context, Result};
use deter::exact::Rational;
use deter::model::{GameTemplate, Loaded};
use deter::output::words::num;
use deter::regime::along::{along, Along, AlongOptions};
use deter::regime::map::{regime_map, share_words, MapOptions, RegimeMap};
use deter::regime::rational::{of_f64, show};
use deter::regime::{Evaluator, RegimeSet};
use deter::solve::pbe::Refinement;
use deter::solve::SolveOptions;
use serde_json::json;

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

/// What the equilibria are: "every perfect Bayesian equilibrium (pbe)", refined if asked.
fn concept(set: &RegimeSet, refine: Option<Refine>) -> String {
    let base = if set.solver == "pbe" {
        "every perfect Bayesian equilibrium (solver pbe)".to_string()
    } else {
        format!("the equilibria found by {}", set.solver)
    };
    match refine {
        Some(Refine::D1) => format!("{base} that passes D1"),
        Some(Refine::Intuitive) => format!("{base} that passes the Intuitive Criterion"),
        None => base,
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
    refine: Option<Refine>,
    format: SolveFormat,
    questions: bool,
) -> Result<()> {
    let base = exact_base(loaded, t, point)?;
    let (qlo, qhi) = (rational(lo, "LO")?, rational(hi, "HI")?);
    let mut ev = Evaluator::new(t, options(refine));
    let opts = AlongOptions {
        grid: grid.clamp(1, 2000),
        ..AlongOptions::default()
    };
    let a = along(&mut ev, &base, param, &qlo, &qhi, &opts)?;
    let name = &t.params.names[param];
    let floats: Vec<f64> = base.iter().map(deter::exact::to_f64).collect();
    let first = &a.segments[0].2;
    let qs = if questions {
        let o = options(refine);
        super::thresholds::type_questions(t, &base, (param, &qlo, &qhi), grid, &o)?
    } else {
        Vec::new()
    };
    match format {
        SolveFormat::Json => {
            let doc = json!({
                "schema": "deter.regimes/1",
                "parameter": name,
                "lo": lo, "hi": hi,
                "point": t.params.names.iter().cloned().zip(floats.iter().map(|&v| json!(v))).collect::<serde_json::Map<String, serde_json::Value>>(),
                "solver": first.solver,
                "refine": refine.map(|r| match r { Refine::D1 => "d1", Refine::Intuitive => "intuitive" }),
                "changes": a.changes.iter().map(|c| json!({
                    "value": deter::exact::to_f64(&c.value),
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
                concept(first, refine)
            )?;
            print_along(name, &a)?;
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
pub fn print_along(name: &str, a: &Along) -> Result<()> {
    if a.changes.is_empty() {
        outln!("  none: the regimes are the same throughout")?;
    }
    for c in &a.changes {
        outln!("  {}", c.describe(name))?;
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
    refine: Option<Refine>,
) -> Result<()> {
    let base = exact_base(loaded, t, point)?;
    let mut ev = Evaluator::new(t, options(refine));
    let here = ev.at(&base)?;
    let floats: Vec<f64> = base.iter().map(deter::exact::to_f64).collect();
    outln!(
        "Regimes at {} ({}): {}",
        t.describe_point(&floats),
        concept(&here, refine),
        here.describe()
    )?;
    outln!(
        "A regime is an equilibrium's class (how the first privately informed mover's types \
         sort) and the outcomes it reaches. Per-move conditions are given for games of perfect \
         information only."
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
    if let Some(path) = plot {
        let title = format!("Regimes over {} and {}", m.x.name, m.y.name);
        let fig = m.figure(&title, &[]);
        deter::output::write_atomic(path, fig.svg.as_bytes())
            .with_context(|| format!("cannot write `{}`", path.display()))?;
        errln!("wrote {}", path.display());
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
        let when = match &a.conditions {
            Some(c) if c.is_empty() => "everywhere on the map".to_string(),
            Some(c) => format!("where {}", c.join(" and ")),
            None => "its extent is not a rectangle between exact breakpoints; only the \
                     sampled map gives it"
                .to_string(),
        };
        outln!(
            "  {} ({} of the map): {when}",
            a.set.describe(),
            share_words(a.share)
        )?;
    }
    outln!("  {}", m.note())?;
    Ok(())
}
