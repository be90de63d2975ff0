//! `deter convert`: a game drawn (SVG, TikZ, PDF, Graphviz DOT) or written in another format (Gambit
//! `.efg`/`.nfg`, a deter model with numbers at one parameter point).

use super::args::{ConvertArgs, ConvertFormat};
use super::input::{self, GameInput};
use anyhow::{bail, Context, Result};
use deter::draw::{self, Drawing, Marks};
use deter::format::{efg, model, nfg};
use deter::game::reduce::reduced_strategic_form;
use deter::game::Game;
use deter::output::write_atomic;
use deter::solve::backward::{check_perfect_information, profile_of, solve_into, Workspace};
use deter::solve::{self, GameRef, Profile, SolveOptions};
use std::process::ExitCode;

/// Runs `deter convert`.
pub fn run(args: &ConvertArgs) -> Result<ExitCode> {
    if let Some(path) = &args.out {
        deter::output::file::check_target(path)
            .with_context(|| format!("cannot write `{}`", path.display()))?;
    }
    let input = input::load_game(
        &args.file,
        args.point.scenario.as_deref(),
        &args.point.all_sets()?,
    )?;
    let drawing = matches!(
        args.to,
        ConvertFormat::Svg | ConvertFormat::Dot | ConvertFormat::Tikz | ConvertFormat::Pdf
    );
    if !drawing && (args.path || args.formulas || args.ids) {
        bail!(
            "`--path`, `--formulas` and `--ids` change a drawing; they apply to `--to svg`, \
             `tikz`, `pdf` and `dot`"
        );
    }
    let bytes: Vec<u8> = match (args.to, &input) {
        (_, GameInput::Nfg(_)) if drawing => {
            bail!("a strategic-form game has no tree to draw; convert it `--to efg` first")
        }
        (to, GameInput::Model { game, .. } | GameInput::Efg(game)) if drawing => {
            let marks = if args.path {
                Some(equilibrium_marks(game)?)
            } else {
                None
            };
            let formulas = match (&input, args.formulas) {
                (GameInput::Model { template, .. }, true) => {
                    Some(draw::scene::payoff_formulas(template))
                }
                (_, true) => {
                    bail!("`--formulas` needs a model file: a Gambit file has numbers only")
                }
                _ => None,
            };
            let mut d = Drawing::new(game);
            d.marks = marks.as_ref();
            d.formulas = formulas.as_deref();
            d.ids = args.ids;
            match to {
                ConvertFormat::Svg => draw::svg::svg(&d)?.into_bytes(),
                ConvertFormat::Tikz => draw::tikz::tikz(&d)?.into_bytes(),
                ConvertFormat::Pdf => deter::plot::pdf::svg_to_pdf(&draw::svg::svg(&d)?)?,
                _ => draw::dot::dot(&d)?.into_bytes(),
            }
        }
        (ConvertFormat::Efg, GameInput::Model { game, .. } | GameInput::Efg(game)) => {
            efg::write(game).into_bytes()
        }
        (ConvertFormat::Efg, GameInput::Nfg(g)) => {
            efg::write(&model::strategic_tree(g)).into_bytes()
        }
        (ConvertFormat::Nfg, GameInput::Nfg(g)) => nfg::write(g).into_bytes(),
        (ConvertFormat::Nfg, GameInput::Model { game, .. } | GameInput::Efg(game)) => {
            let rf = reduced_strategic_form(game)
                .map_err(|e| anyhow::anyhow!("cannot form the strategic form: {e}"))?;
            nfg::write(&rf.game).into_bytes()
        }
        (ConvertFormat::Toml, GameInput::Model { game, .. } | GameInput::Efg(game)) => {
            model::write(game).into_bytes()
        }
        (ConvertFormat::Toml, GameInput::Nfg(g)) => {
            model::write(&model::strategic_tree(g)).into_bytes()
        }
        // Every drawing format was matched by the two guarded arms above.
        _ => unreachable!("drawings are handled above"),
    };
    match &args.out {
        Some(path) => write_atomic(path, &bytes)
            .with_context(|| format!("cannot write `{}`", path.display()))?,
        None => super::out::write_stdout_bytes(&bytes)?,
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
    match sol.equilibria.first() {
        Some(eq) if eq.is_certified() => match &eq.profile {
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
