//! `deter convert`: the tree of a model drawn as SVG or Graphviz DOT.

use super::args::{ConvertArgs, ConvertFormat};
use super::input;
use anyhow::{bail, Context, Result};
use deter::diag::render;
use deter::draw::{self, Drawing, Marks};
use deter::game::Game;
use deter::output::write_atomic;
use deter::solve::backward::{check_perfect_information, profile_of, solve_into, Workspace};
use deter::solve::{self, GameRef, Profile, SolveOptions};
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
        Some(equilibrium_marks(&game)?)
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

/// Marks of the equilibrium to highlight: the subgame-perfect one by backward induction when the
/// game has perfect information, otherwise the first equilibrium of the solver `deter solve`
/// would pick (certified before it is drawn).
fn equilibrium_marks(game: &Game) -> Result<Marks> {
    if check_perfect_information(&game.tree).is_ok() {
        let mut ws = Workspace::default();
        solve_into(game, 1e-9, &mut ws);
        return Ok(Marks::of(game, &profile_of(&game.tree, &ws))?);
    }
    let g = GameRef::Tree(game);
    let solver = solve::pick(g).map_err(|e| anyhow::anyhow!("--path: no solver fits: {e}"))?;
    let mut sol = solver
        .solve(g, &SolveOptions::default())
        .with_context(|| format!("--path: solver `{}` failed", solver.name()))?;
    solve::certify(g, &mut sol).context("--path: computing the regret certificate")?;
    let tol = 1e-9 * game.payoff_scale();
    match sol.equilibria.first() {
        Some(eq) if eq.max_regret() <= tol => match &eq.profile {
            Profile::Behavior(p) => Ok(Marks::of(game, p)?),
            _ => bail!(
                "--path: solver `{}` gave no behaviour profile",
                solver.name()
            ),
        },
        Some(_) => bail!(
            "--path: the equilibrium of solver `{}` failed the regret certificate",
            solver.name()
        ),
        None => bail!("--path: solver `{}` found no equilibrium", solver.name()),
    }
}
