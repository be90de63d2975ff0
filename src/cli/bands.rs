//! `--bands N` of `deter sweep`: confidence bands of the swept curves at fitted parameters
//! (flags to [`deter::fit::bands`], which does the work; docs/fit.md).

use super::input::read_text;
use anyhow::{bail, Context, Result};
use deter::fit::bands::{self, Sampling};
use deter::plot::line::Interval;
use deter::sweep::Sweeper;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// A band asked for and checked before any work starts.
pub struct Plan {
    sampling: Sampling,
    fit: PathBuf,
    draws: usize,
    seed: u64,
}

/// Checks `--bands N` against the other flags and reads the fit's sampling distribution from
/// `--params FIT.json`; `None` without `--bands`.
pub fn plan(
    draws: Option<usize>,
    seed: u64,
    params: Option<&Path>,
    plot: bool,
    axes: usize,
) -> Result<Option<Plan>> {
    let Some(draws) = draws else {
        return Ok(None);
    };
    let Some(fit) = params else {
        bail!(
            "--bands draws the parameters from a fit's estimates: give the fit with \
             `--params FIT.json` (written by `deter fit … --out FIT.json`)"
        );
    };
    if !plot {
        bail!("--bands draws confidence bands on the plot: add `--plot FILE.svg`");
    }
    if axes != 1 {
        bail!("--bands draws bands on a line chart: vary one parameter (this sweep varies {axes})");
    }
    if draws < 20 {
        bail!("--bands {draws}: a 95% band needs at least 20 draws (200 or more is usual)");
    }
    let text = read_text(fit)?;
    let v: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("`{}` is not JSON", fit.display()))?;
    let sampling = Sampling::from_json(&v).with_context(|| {
        format!(
            "--bands: `{}` gives no sampling distribution of the estimates",
            fit.display()
        )
    })?;
    Ok(Some(Plan {
        sampling,
        fit: fit.to_path_buf(),
        draws,
        seed,
    }))
}

/// The band of every event probability of `sw` (one interval per event, by grid index) and
/// the note the plot prints under its legend. `sets` are the `--set NAME=VALUE` pairs (those
/// parameters are not drawn).
pub fn sweep_band(
    plan: &Plan,
    sw: &Sweeper<'_>,
    sets: &[String],
    quiet: bool,
) -> Result<(Vec<Interval>, String)> {
    let t = sw.template;
    let axes: Vec<&str> = sw.grid.axes.iter().map(|a| a.name.as_str()).collect();
    let set_names: Vec<&str> = sets
        .iter()
        .filter_map(|s| s.split_once('=').map(|(k, _)| k.trim()))
        .collect();
    let fixed = |name: &str| axes.contains(&name) || set_names.contains(&name);
    let draws = bands::points(t, &sw.base, &plan.sampling, &fixed, plan.draws, plan.seed)
        .with_context(|| format!("--bands: `{}`", plan.fit.display()))?;
    if draws.drawn.is_empty() {
        bail!(
            "--bands: every parameter `{}` estimated is varied or set here, so nothing is drawn",
            plan.fit.display()
        );
    }
    let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
        let b = ProgressBar::new(draws.points.len() as u64);
        if let Ok(s) = ProgressStyle::with_template("{bar:40} {pos}/{len} band draws  ETA {eta}") {
            b.set_style(s);
        }
        b
    });
    let tick = || {
        if let Some(b) = &bar {
            b.inc(1);
        }
    };
    let n = sw.grid.len();
    let curves = |p: &[f64]| -> Result<Vec<Vec<f64>>, deter::sweep::SweepError> {
        let mut s = sw.clone();
        s.base = p.to_vec();
        s.questions.clear();
        let rows = s.rows(0..n)?;
        let n_ev = t.tree.events.len();
        Ok((0..n_ev)
            .map(|e| rows.iter().map(|r| r.events[e]).collect())
            .collect())
    };
    let band = bands::band(&draws.points, &curves, &tick);
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    if band.used == 0 {
        bail!(
            "--bands: no draw could be evaluated ({} outside the parameters' ranges, {} failed)",
            draws.outside,
            band.failed
        );
    }
    let left_out = draws.outside + band.failed;
    if !quiet {
        errln!(
            "bands: {} draws of {} from the estimates' normal distribution (seed {}){}",
            band.used,
            draws.drawn.join(", "),
            plan.seed,
            if left_out > 0 {
                format!(
                    "; {left_out} left out ({} outside the parameters' ranges, {} failed)",
                    draws.outside, band.failed
                )
            } else {
                String::new()
            }
        );
    }
    let note = format!("Shaded: 95% bands, {} draws of the estimates.", band.used);
    let bands = band
        .lo
        .into_iter()
        .zip(band.hi)
        .map(|(lo, hi)| Interval { lo, hi })
        .collect();
    Ok((bands, note))
}

/// Draws per comparative-statics plot of `deter report --params FIT.json`.
pub const REPORT_DRAWS: usize = 200;

/// The report's bands from `--params FIT.json`: `None` without it, or (with a note on
/// standard error) when the file gives no sampling distribution. `sets` are the report's
/// `--set` pairs (not drawn).
pub fn statics(params: Option<&Path>, sets: &[String]) -> Result<Option<bands::StaticsBands>> {
    let Some(fit) = params else {
        return Ok(None);
    };
    let text = read_text(fit)?;
    let v: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("`{}` is not JSON", fit.display()))?;
    match Sampling::from_json(&v) {
        Ok(sampling) => Ok(Some(bands::StaticsBands {
            sampling,
            draws: REPORT_DRAWS,
            seed: 1,
            fixed: sets
                .iter()
                .filter_map(|s| s.split_once('=').map(|(k, _)| k.trim().to_string()))
                .collect(),
        })),
        Err(e) => {
            errln!(
                "note: the comparative-statics plots have no confidence bands: `{}`: {e}",
                fit.display()
            );
            Ok(None)
        }
    }
}
