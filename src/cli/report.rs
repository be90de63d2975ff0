//! `deter report`: loads the model, computes the report and writes its files.

use super::args::ReportArgs;
use super::input;
use anyhow::{Context, Result};
use deter::report::{self, Options};
use std::process::ExitCode;

/// Runs `deter report`.
pub fn run(args: &ReportArgs) -> Result<ExitCode> {
    let (_, t) = input::load_model(&args.file)?;
    // The output directory is checked before the (long) computation.
    deter::output::dir::check_dir(&args.out)
        .with_context(|| format!("cannot write the report into `{}`", args.out.display()))?;
    let opts = Options {
        scenarios: (!args.scenarios.is_empty()).then(|| args.scenarios.clone()),
        sets: input::parse_sets(&{
            let mut v = match &args.params {
                Some(p) => input::params_sets(p)?,
                None => Vec::new(),
            };
            v.extend(args.sets.iter().cloned());
            v
        })?,
        grid: args.grid.clamp(2, 1001),
        formulas: args.formulas,
        select: match &args.select {
            Some(n) => deter::regime::Selection::parse(n)?,
            None => deter::regime::Selection::All,
        },
        bands: super::bands::statics(args.params.as_deref(), &args.sets)?,
        ..Options::default()
    };
    let file = args.file.display().to_string();
    let r = report::build(&t, &file, &opts).context("cannot make the report")?;
    let files = report::render::write_with(&r, &args.out, args.pdf)?;
    for f in &files {
        outln!("wrote {}", f.display())?;
    }
    Ok(ExitCode::SUCCESS)
}
