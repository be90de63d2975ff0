//! `deter convert`: the tree of a model drawn as SVG or Graphviz DOT.

use super::args::{ConvertArgs, ConvertFormat};
use super::input;
use anyhow::{bail, Context, Result};
use deter::diag::render;
use deter::draw::{self, Drawing, Marks};
use deter::output::write_atomic;
use deter::solve::backward::{check_perfect_information, profile_of, solve_into, Workspace};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

/// Runs `deter convert`.
pub fn run(args: &ConvertArgs) -> Result<ExitCode> {
    let (loaded, t) = input::load_model(&args.file)?;
    let theta = input::point(&t, args.point.scenario.as_deref(), &args.point.sets)?;
    let game = match t.instantiate(&theta) {
        Ok(g) => g,
        Err(e) => {
            let d = t.diagnose(&e, &theta);
            eprint!(
                "{}",
                render(&loaded.source, &[d], std::io::stderr().is_terminal())
            );
            bail!("the model cannot be evaluated at this parameter point");
        }
    };
    let marks = if args.path {
        check_perfect_information(&game.tree).map_err(|u| {
            anyhow::anyhow!(
                "--path highlights the subgame-perfect path, but {}",
                u.reason
            )
        })?;
        let mut ws = Workspace::default();
        solve_into(&game, 1e-9, &mut ws);
        Some(Marks::of(&game, &profile_of(&game.tree, &ws))?)
    } else {
        None
    };
    let d = Drawing {
        game: &game,
        marks: marks.as_ref(),
    };
    let text = match args.to {
        ConvertFormat::Svg => draw::svg::svg(&d)?,
        ConvertFormat::Dot => draw::dot::dot(&d)?,
    };
    match &args.out {
        Some(path) => write_atomic(path, text.as_bytes())
            .with_context(|| format!("cannot write `{}`", path.display()))?,
        None => std::io::stdout()
            .write_all(text.as_bytes())
            .context("writing output")?,
    }
    Ok(ExitCode::SUCCESS)
}
