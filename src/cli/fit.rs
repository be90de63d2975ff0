//! `deter fit`: strategic estimation of a model's parameters from a CSV of observed cases (all
//! logic is in `deter::fit`).

use super::args::{FitArgs, FitFormat};
use super::input;
use anyhow::{bail, Context, Result};
use deter::diag::{self, has_errors};
use deter::fit::data::Data;
use deter::fit::estimate::{self, FitError, Settings};
use deter::fit::{design, effects, output, spec, Likelihood};
use deter::output::write_atomic;
use deter::source::SourceFile;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::process::ExitCode;

fn parse_start(v: &[String]) -> Result<Vec<(String, f64)>> {
    v.iter()
        .map(|s| {
            let (k, x) = s.split_once('=').with_context(|| {
                format!("`--start {s}`: expected COEF=VALUE, e.g. `--start b0=1`")
            })?;
            let x: f64 = x
                .trim()
                .parse()
                .with_context(|| format!("`--start {s}`: `{}` is not a number", x.trim()))?;
            Ok((k.trim().to_string(), x))
        })
        .collect()
}

/// Runs `deter fit`. Exit status: 0 converged, 1 printed but not converged, 2 error.
pub fn run(args: &FitArgs) -> Result<ExitCode> {
    let (loaded, t) = input::load_model(&args.model)?;
    // The [fit] section: from the model file, or from --spec.
    let (spec_source, spec) = match &args.spec {
        Some(p) => {
            let src = SourceFile::new(p.display().to_string(), input::read_text(p)?);
            let (s, mut d) = spec::read(&src.text);
            if let Some(s) = &s {
                d.extend(spec::check(s, &t));
            }
            if s.is_none() && d.is_empty() {
                bail!("`{}` has no [fit] section", p.display());
            }
            print(&src, &d);
            if has_errors(&d) {
                bail!("`{}` has errors in its [fit] section", p.display());
            }
            (src, s)
        }
        None => {
            let (s, _) = spec::read(&loaded.source.text);
            (loaded.source.clone(), s)
        }
    };
    let Some(spec) = spec else {
        bail!(
            "`{}` has no [fit] section: add one (see docs/fit.md) or give it with --spec FILE",
            args.model.display()
        );
    };
    if args.plot.is_some() && args.effects.is_none() {
        bail!("--plot draws the curves of --effects COLUMN=LO:HI; give --effects too");
    }
    if args.effects.is_some() && args.format == FitFormat::Csv {
        bail!(
            "--effects with --format csv would put two tables on stdout; use --format json \
             (the curves go inside the document as \"effects\") or the text format (the curves \
             follow the table as CSV)"
        );
    }
    let axis = args
        .effects
        .as_deref()
        .map(effects::Axis::parse)
        .transpose()
        .map_err(anyhow::Error::msg)?;
    let sets = args.point.all_sets()?;
    let theta = input::point(&t, args.point.scenario.as_deref(), &sets)?;
    let data = Data::read_file(&args.data).map_err(anyhow::Error::msg)?;
    if !data.bad_rows.is_empty() {
        bail!(
            "{}",
            deter::fit::data::DataError {
                file: data.name.clone(),
                problems: data.bad_rows.clone(),
            }
        );
    }
    for p in [&args.out, &args.predict, &args.plot].into_iter().flatten() {
        deter::output::file::check_target(p)
            .with_context(|| format!("cannot write `{}`", p.display()))?;
    }
    let settings = Settings {
        cluster: args.cluster.clone(),
        bootstrap: args.bootstrap,
        seed: args.seed,
        start: parse_start(&args.start)?,
        optimiser: deter::fit::optimise::Options {
            max_iter: args.max_iter,
            ..Default::default()
        },
    };
    let bar = (args.bootstrap > 0 && !args.quiet && std::io::stderr().is_terminal()).then(|| {
        let b = ProgressBar::new(args.bootstrap as u64);
        if let Ok(style) =
            ProgressStyle::with_template("{bar:40} {pos}/{len} bootstrap fits  ETA {eta}")
        {
            b.set_style(style);
        }
        b
    });
    let tick = || {
        if let Some(b) = &bar {
            b.inc(1);
        }
    };
    let result = estimate::estimate(&t, &spec, &data, &theta, &settings, &tick);
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let est = match result {
        Ok(e) => e,
        Err(FitError::Design(e)) => {
            print(&spec_source, &e.model);
            if !e.data.is_empty() {
                err!(
                    "{}\n",
                    deter::fit::data::DataError {
                        file: data.name.clone(),
                        problems: e.data,
                    }
                );
            }
            bail!(
                "cannot fit `{}` to `{}`",
                args.model.display(),
                args.data.display()
            );
        }
        Err(FitError::Model(d)) => {
            print(&loaded.source, &d);
            bail!(
                "cannot fit `{}` to `{}`",
                args.model.display(),
                args.data.display()
            );
        }
        Err(FitError::Other(m)) => bail!("{m}"),
    };
    let (model_name, data_name) = (
        args.model.display().to_string(),
        args.data.display().to_string(),
    );
    let header = output::Header {
        title: &t.title,
        model: &model_name,
        data: &data_name,
        errors: spec.errors.v.name(),
        link: spec.link.v.name(),
    };
    // Predictions and effects are computed before anything is printed, so that a JSON
    // document on stdout carries the effects inside it.
    let mut curves = None;
    if args.predict.is_some() || axis.is_some() {
        let d = design::build(
            &t,
            &spec,
            &data,
            &theta,
            &design::Options {
                cluster: None,
                no_outcome: false,
            },
        )
        .map_err(|_| anyhow::anyhow!("internal: the design could not be rebuilt"))?;
        let formulas =
            estimate::formulas(&t, &d).map_err(|_| anyhow::anyhow!("internal: formulas"))?;
        let lik = Likelihood::new(&t.tree, formulas, &d, spec.errors.v, spec.link.v);
        let beta: Vec<f64> = est.coefs.iter().map(|c| c.estimate).collect();
        if let Some(p) = &args.predict {
            let csv = output::predictions(&t.tree, &lik, &beta).map_err(anyhow::Error::msg)?;
            write_atomic(p, csv.as_bytes())
                .with_context(|| format!("cannot write `{}`", p.display()))?;
        }
        if let Some(axis) = &axis {
            let c = effects::compute(&t, &spec, &data, &theta, axis, &beta, &est.vcov)
                .map_err(anyhow::Error::msg)?;
            if let Some(p) = &args.plot {
                let svg = c.svg(&t.title).map_err(anyhow::Error::msg)?;
                write_atomic(p, svg.as_bytes())
                    .with_context(|| format!("cannot write `{}`", p.display()))?;
            }
            curves = Some(c);
        }
    }
    let json = || {
        let mut v = output::json(&est, &header);
        if let (Some(c), Some(obj)) = (&curves, v.as_object_mut()) {
            obj.insert("effects".to_string(), c.json());
        }
        v
    };
    match args.format {
        FitFormat::Text => {
            outln!("{}", output::text(&est, &header).trim_end())?;
            if let Some(c) = &curves {
                outln!()?;
                outln!("{}", c.csv().trim_end())?;
            }
        }
        FitFormat::Json => outln!("{}", serde_json::to_string_pretty(&json())?)?,
        FitFormat::Csv => super::out::write_stdout_bytes(output::csv(&est).as_bytes())?,
    }
    if let Some(p) = &args.out {
        let bytes = if p.extension().is_some_and(|e| e == "csv") {
            output::csv(&est).into_bytes()
        } else {
            let mut s = serde_json::to_string_pretty(&json())?;
            s.push('\n');
            s.into_bytes()
        };
        write_atomic(p, &bytes).with_context(|| format!("cannot write `{}`", p.display()))?;
    }
    Ok(if est.optimum.converged {
        ExitCode::SUCCESS
    } else {
        errln!(
            "warning: the optimiser did not converge (Newton decrement {:.1e}); the estimates \
             above may not be the maximum. Try --start values or --max-iter.",
            est.optimum.decrement
        );
        ExitCode::from(1)
    })
}

fn print(src: &SourceFile, d: &[diag::Diagnostic]) {
    if !d.is_empty() {
        err!("{}", diag::render(src, d, std::io::stderr().is_terminal()));
    }
}
