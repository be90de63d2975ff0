//! `deter qre` (the logit path) and `deter solve --lambda` (one QRE).

use super::args::{QreArgs, SolveArgs, SolveFormat};
use super::input::{self, GameInput};
use super::progress::Progress;
use anyhow::{bail, Context, Result};
use deter::output::qre::{self as render, QreReport, QRE_TOL};
use deter::output::write_atomic;
use deter::solve::logit::{self, PathPoint};
use deter::solve::GameRef;
use std::io::Write;
use std::process::ExitCode;

/// Prints the QRE at `lambda` (`deter solve --lambda`).
pub fn at_lambda(
    args: &SolveArgs,
    lambda: f64,
    file: &str,
    title: &str,
    game: GameRef<'_>,
    params: Option<(&[String], &[f64])>,
) -> Result<ExitCode> {
    let q = logit::qre(game, lambda, None).context("computing the QRE")?;
    let rep = QreReport {
        file,
        title,
        game,
        params,
        qre: &q,
    };
    let out = match args.format {
        SolveFormat::Text => render::text(&rep),
        SolveFormat::Json => {
            serde_json::to_string_pretty(&render::json(&rep)).context("writing JSON")? + "\n"
        }
    };
    std::io::stdout()
        .write_all(out.as_bytes())
        .context("writing output")?;
    if q.residual > QRE_TOL {
        bail!(
            "the QRE's fixed-point residual {:.1e} exceeds {QRE_TOL:.0e}; this is a bug in the logit tracer",
            q.residual
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `deter qre`.
pub fn run(args: &QreArgs) -> Result<ExitCode> {
    if let Some(m) = args.max_lambda {
        if !(m > 0.0 && m.is_finite()) {
            bail!("`--max-lambda {m}`: give a positive number");
        }
    }
    let file = args.file.display().to_string();
    let scenario = args.point.scenario.as_deref();
    let input = input::load_game(&args.file, scenario, &args.point.all_sets()?)?;
    let title = input.title(&file);
    let game = match &input {
        GameInput::Model { game, .. } | GameInput::Efg(game) => GameRef::Tree(game),
        GameInput::Nfg(g) => GameRef::Strategic(g),
    };
    let labels = render::action_labels(game);
    let mut points: Vec<PathPoint> = Vec::new();
    let mut progress = Progress::new(args.quiet);
    let end = logit::path(game, args.max_lambda, None, &mut |p| {
        points.push(p.clone());
        let n = points.len();
        progress.update(|| format!("tracing the logit path: λ = {:.4e}, {n} points", p.lambda));
    })
    .context("tracing the logit path")?;
    progress.finish();
    let csv = render::path_csv(&labels, &points).context("formatting the CSV")?;
    write_atomic(&args.out, &csv)
        .with_context(|| format!("cannot write `{}`", args.out.display()))?;
    if let Some(plot) = &args.plot {
        let lambdas: Vec<f64> = points.iter().map(|p| p.lambda).collect();
        let probs: Vec<Vec<f64>> = points.iter().map(|p| p.probs.clone()).collect();
        let svg = deter::plot::qre::path_svg(
            &format!("Logit QRE path — {title}"),
            &labels,
            &lambdas,
            &probs,
        )
        .context("drawing the path")?;
        write_atomic(plot, svg.as_bytes())
            .with_context(|| format!("cannot write `{}`", plot.display()))?;
    }
    let finite: Vec<f64> = points
        .iter()
        .map(|p| p.lambda)
        .filter(|l| l.is_finite())
        .collect();
    let top = finite.iter().cloned().fold(0.0, f64::max);
    println!(
        "{title} — {file}\nLogit path: {} points, λ from 0 to {} → {}{}",
        points.len(),
        deter::output::words::num(top),
        args.out.display(),
        args.plot
            .as_ref()
            .map(|p| format!(", {}", p.display()))
            .unwrap_or_default()
    );
    if let Some(eq) = &end.limit {
        println!(
            "Limit (λ → ∞, last row `inf`): a Nash equilibrium{}, regret {} ({})",
            if matches!(game, GameRef::Tree(_)) {
                " (sequential, in the agent form)"
            } else {
                ""
            },
            deter::output::words::small(eq.max_regret()),
            if eq.is_certified() {
                "certified"
            } else {
                "NOT certified"
            }
        );
    }
    if let Some(why) = &end.stopped {
        println!("Note: {why}");
    }
    Ok(ExitCode::SUCCESS)
}
