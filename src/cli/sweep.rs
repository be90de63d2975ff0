//! `deter sweep` and `deter merge`: flags to library calls (all logic is in `deter::sweep`).

use super::args::{MergeArgs, SweepArgs, SweepFormat};
use super::input;
use anyhow::{bail, Context, Result};
use deter::sweep::{file, format, Format, Grid, Hooks, Row, Shard, Sweeper, VarySpec};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

/// Sweeps shorter than this run without a progress bar.
const BAR_MIN_POINTS: u64 = 20_000;

fn progress_bar(len: u64, quiet: bool) -> Option<ProgressBar> {
    if quiet || len < BAR_MIN_POINTS || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(len);
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {human_pos}/{human_len} points  ETA {eta}")
    {
        bar.set_style(style);
    }
    Some(bar)
}

/// Runs `deter sweep`.
pub fn run(args: &SweepArgs) -> Result<ExitCode> {
    let (loaded, t) = input::load_model(&args.file)?;
    let base = input::point(&t, args.point.scenario.as_deref(), &args.point.sets)?;
    let axes = args
        .vary
        .iter()
        .map(|v| VarySpec::parse(v, &t.params))
        .collect::<Result<Vec<_>, _>>()?;
    let grid = Grid::new(axes)?;
    let mut sw = Sweeper::new(&t, base, grid, args.solver.as_deref())?;
    if args.no_questions {
        sw.questions.clear();
    }
    let fmt = match args.format {
        SweepFormat::Csv => Format::Csv,
        SweepFormat::Jsonl => Format::Jsonl,
    };
    let shard = match &args.shard {
        Some(s) => Shard::parse(s)?,
        None => Shard::ALL,
    };
    if args.plot.is_some() && shard != Shard::ALL {
        bail!("--plot needs the whole grid; plot the merged output's sweep instead of a shard");
    }
    let range = shard.range(sw.grid.len());
    let bar = progress_bar(range.end - range.start, args.quiet);
    let tick = |done: u64| {
        if let Some(b) = &bar {
            b.set_position(done);
        }
    };
    let mut rows: Vec<Row> = Vec::new();
    let mut keep = |r: &[Row]| rows.extend_from_slice(r);
    let hooks = Hooks {
        progress: Some(&tick),
        rows: if args.plot.is_some() {
            Some(&mut keep)
        } else {
            None
        },
    };
    let mut resumed = 0;
    match &args.out {
        Some(path) => {
            let name = args.file.display().to_string();
            let s = file::run_to_file(
                &sw,
                (&name, &loaded.source.text),
                fmt,
                shard,
                path,
                args.resume,
                hooks,
            )?;
            resumed = s.resumed;
            if let Some(b) = &bar {
                b.finish_and_clear();
            }
            eprintln!(
                "wrote {} rows to {}{}",
                s.resumed + s.computed,
                path.display(),
                if s.resumed > 0 {
                    format!(" ({} kept from the interrupted run)", s.resumed)
                } else {
                    String::new()
                }
            );
        }
        None => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::with_capacity(1 << 20, stdout.lock());
            out.write_all(&format::header(fmt, &sw.columns()))
                .context("writing output")?;
            sw.stream(range, Some(fmt), &mut out, hooks)?;
            out.flush().context("writing output")?;
            if let Some(b) = &bar {
                b.finish_and_clear();
            }
        }
    }
    if let Some(plot) = &args.plot {
        if resumed > 0 {
            rows = sw.rows(0..sw.grid.len())?;
        }
        let svg = deter::plot::sweep_svg(&sw, &rows, None)?;
        deter::output::write_atomic(plot, svg.as_bytes())
            .with_context(|| format!("cannot write `{}`", plot.display()))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `deter merge`.
pub fn merge(args: &MergeArgs) -> Result<ExitCode> {
    let s = file::merge(&args.out, &args.shards)?;
    eprintln!(
        "merged {} files: {} rows to {}",
        s.files,
        s.rows,
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
