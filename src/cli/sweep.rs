//! `deter sweep`, `deter merge` and `deter plot`: flags to library calls (all logic is in
//! `deter::sweep`).

use super::args::{MergeArgs, PlotArgs, SweepArgs, SweepFormat};
use super::input;
use super::out::StdoutError;
use anyhow::{bail, Context, Result};
use deter::output::file::check_target;
use deter::output::write_atomic;
use deter::sweep::aggregate::{Aggregate, PlotSpec, PointData};
use deter::sweep::{file, format, Format, Grid, Hooks, Shard, SweepError, Sweeper, VarySpec};
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
    let base = input::point(&t, args.point.scenario.as_deref(), &args.point.all_sets()?)?;
    let axes = args
        .vary
        .iter()
        .map(|v| VarySpec::parse(v, &t.params))
        .collect::<Result<Vec<_>, _>>()?;
    let grid = Grid::new(axes)?;
    let mut sw = Sweeper::new(&t, base, grid, args.solver.as_deref())?;
    if let Some(name) = &args.select {
        sw.select(deter::sweep::Selection::parse(name)?)?;
    }
    if args.no_questions {
        sw.questions.clear();
    }
    // Say what a row describes whenever it is not plain backward induction.
    if (sw.sets() || args.select.is_some()) && !args.quiet {
        errln!("sweep: {}", sw.describe_rows());
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
        bail!(
            "--plot needs the whole grid, and a shard holds part of it; merge the shards with \
             `deter merge MERGED SHARD…` and draw the merged file with \
             `deter plot MERGED --out FILE.svg`"
        );
    }
    let bands = super::bands::plan(
        args.bands,
        args.seed,
        args.point.params.as_deref(),
        args.plot.is_some(),
        sw.grid.axes.len(),
    )?;
    // Every output is checked before the work starts, so a bad path fails at once.
    if let Some(path) = &args.out {
        file::check_out(path)?;
    }
    let mut plot = match &args.plot {
        Some(path) => {
            check_target(path).with_context(|| format!("cannot write `{}`", path.display()))?;
            Some(Aggregate::new(PlotSpec::of(&sw))?)
        }
        None => None,
    };
    let range = shard.range(sw.grid.len());
    let bar = progress_bar(range.end - range.start, args.quiet);
    let tick = |done: u64| {
        if let Some(b) = &bar {
            b.set_position(done);
        }
    };
    let mut feed = |p: &PointData<'_>| {
        if let Some(a) = plot.as_mut() {
            a.add(p);
        }
    };
    let hooks = Hooks {
        progress: Some(&tick),
        rows: None,
        points: if args.plot.is_some() {
            Some(&mut feed)
        } else {
            None
        },
    };
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
            if let Some(b) = &bar {
                b.finish_and_clear();
            }
            errln!(
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
            let to_stdout = |e: std::io::Error| anyhow::Error::from(StdoutError(e));
            out.write_all(&format::header(fmt, &sw.columns()))
                .map_err(to_stdout)?;
            sw.stream(range, Some(fmt), &mut out, hooks)
                .map_err(|e| match e {
                    SweepError::Io { source, .. } => to_stdout(source),
                    e => e.into(),
                })?;
            out.flush().map_err(to_stdout)?;
            if let Some(b) = &bar {
                b.finish_and_clear();
            }
        }
    }
    if let (Some(path), Some(a)) = (&args.plot, &plot) {
        let svg = match &bands {
            Some(b) => {
                let (iv, note) = super::bands::sweep_band(b, &sw, &args.point.sets, args.quiet)?;
                a.svg_with_bands(&iv, &note)?
            }
            None => match &sw.grid.axes[..] {
                [ax, ay] => deter::sweep::plot::figure(&sw, (ax.param, ay.param), a)?.0,
                _ => a.svg()?,
            },
        };
        write_atomic(path, &figure_bytes(path, svg)?)
            .with_context(|| format!("cannot write `{}`", path.display()))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `deter merge`.
pub fn merge(args: &MergeArgs) -> Result<ExitCode> {
    let s = file::merge(&args.out, &args.shards)?;
    errln!(
        "merged {} files: {} rows to {}",
        s.files,
        s.rows,
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Runs `deter plot`: draws a finished sweep file (a single run's or a merge's) as
/// `sweep --plot` would have, reading it twice in bounded memory (the axes' values, then the
/// points).
pub fn plot(args: &PlotArgs) -> Result<ExitCode> {
    if let Some(path) = &args.out {
        check_target(path).with_context(|| format!("cannot write `{}`", path.display()))?;
    }
    let m = file::read_manifest(&args.file)?;
    if !(1..=2).contains(&m.axes.len()) {
        bail!(
            "`{}` varies {} parameters; a plot draws one (a line chart) or two (a region map)",
            args.file.display(),
            m.axes.len()
        );
    }
    let sizes: Vec<u64> = m.axes.iter().map(|a| a.1).collect();
    let product = sizes.iter().try_fold(1u64, |acc, &k| acc.checked_mul(k));
    if sizes
        .iter()
        .any(|&k| k == 0 || k > deter::sweep::grid::MAX_AXIS as u64)
        || product != Some(m.points)
    {
        bail!(
            "`{}`: its axes ({sizes:?} values) do not make its {} points; the manifest is damaged",
            file::manifest_path(&args.file).display(),
            m.points
        );
    }
    let mut axes: Vec<(String, Vec<f64>)> = (m.axes.iter())
        .map(|(n, k)| Ok((n.clone(), vec![f64::NAN; usize::try_from(*k)?])))
        .collect::<Result<_>>()?;
    file::for_each_row(&args.file, &m, |r| {
        let mut index = r.index;
        for (k, (_, vals)) in axes.iter_mut().enumerate().rev() {
            let n = vals.len() as u64;
            vals[(index % n) as usize] = r.axes[k];
            index /= n;
        }
        Ok(())
    })?;
    let parser = deter::sweep::read::RowParser::new(m.format, &m.columns, m.axes.len())?;
    let spec = PlotSpec {
        title: m.title.clone(),
        axes,
        players: parser.players(),
        events: parser.events(),
        question: m.question.clone(),
        answer_words: m.answer_words.clone(),
    };
    let mut agg = Aggregate::new(spec)?;
    file::for_each_row(&args.file, &m, |r| {
        agg.add(&PointData::of_parsed(r));
        Ok(())
    })?;
    let svg = if m.axes.len() == 2 {
        let (svg, why) = plot_map(args, &m, &agg)?;
        if let Some(why) = why {
            errln!("plot: the regions are drawn from the swept points: {why}");
        }
        svg
    } else {
        agg.svg()?
    };
    match &args.out {
        Some(path) => write_atomic(path, &figure_bytes(path, svg)?)
            .with_context(|| format!("cannot write `{}`", path.display()))?,
        None => super::out::write_stdout_bytes(svg.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}

/// A sweep file's region map: exact regions when the manifest's model is found unchanged
/// (solved again as the sweep did), else the swept cells; also why the cells are drawn.
fn plot_map(
    args: &PlotArgs,
    m: &file::Manifest,
    agg: &Aggregate,
) -> Result<(String, Option<String>)> {
    use deter::sweep::plot::{cells_drawn, figure};
    let found = match &m.source {
        Some(s) => s.find_model(&args.file),
        None => Err(
            "the sweep file does not record its model and base point (it was written \
                     by an older deter); run the sweep again with --plot"
                .to_string(),
        ),
    };
    let (path, text) = match found {
        Ok(f) => f,
        Err(why) => return Ok(cells_drawn(agg, &why)?),
    };
    let loaded = deter::model::load(path.display().to_string(), text);
    let Some(t) = loaded.template.as_ref() else {
        let why = format!("the model `{}` has errors", path.display());
        return Ok(cells_drawn(agg, &why)?);
    };
    // The source was read back with the manifest, whose axes name the model's parameters.
    let sw = match m.source.as_ref().map(|s| s.sweeper(t)) {
        Some(Ok(sw)) => sw,
        Some(Err(why)) => return Ok(cells_drawn(agg, &why)?),
        None => {
            return Ok(cells_drawn(
                agg,
                "the sweep file does not record its model",
            )?)
        }
    };
    let param = |k: usize| t.params.names.iter().position(|n| *n == m.axes[k].0);
    match (param(0), param(1)) {
        (Some(x), Some(y)) => Ok(figure(&sw, (x, y), agg)?),
        _ => Ok(cells_drawn(
            agg,
            "the manifest's axes are not parameters of the model",
        )?),
    }
}

/// A figure's bytes for `path`: PDF when the name ends in `.pdf`, else the SVG.
fn figure_bytes(path: &std::path::Path, svg: String) -> Result<Vec<u8>> {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
    {
        Ok(deter::plot::pdf::svg_to_pdf(&svg)?)
    } else {
        Ok(svg.into_bytes())
    }
}
