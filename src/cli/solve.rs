//! `deter solve`: equilibria of one game at one parameter point.

use super::args::{SolveArgs, SolveFormat, Ties};
use super::input::{self, GameInput};
use anyhow::{bail, Context, Result};
use deter::diag::did_you_mean;
use deter::output::{self, SolveReport};
use deter::solve::{self, GameRef, SolveOptions, Solver, TieMode};
use std::process::ExitCode;

/// Prints the solver list.
pub fn list_solvers() {
    println!("Solvers (the default is the first that fits the game):");
    for s in solve::registry() {
        println!("  {:14} {}", s.name(), s.describe());
    }
}

/// Chooses the solver: the named one (checked against the game) or the first that fits.
pub fn choose(name: Option<&str>, game: GameRef<'_>) -> Result<(Box<dyn Solver>, bool)> {
    match name {
        Some(n) => {
            let Some(s) = solve::by_name(n) else {
                let names: Vec<&str> = solve::registry().iter().map(|s| s.name()).collect();
                let hint = did_you_mean(n, names.iter().copied())
                    .unwrap_or_else(|| format!("the solvers are {}", names.join(", ")));
                bail!("unknown solver `{n}`; {hint}");
            };
            s.supports(game)
                .map_err(|e| anyhow::anyhow!("solver `{n}` cannot solve this game: {e}"))?;
            Ok((s, false))
        }
        None => Ok((
            solve::pick(game).map_err(|e| anyhow::anyhow!("no solver fits this game: {e}"))?,
            true,
        )),
    }
}

/// Options from the flags.
pub fn options(args: &SolveArgs) -> SolveOptions {
    SolveOptions {
        tol: args.tol,
        ties: match args.ties {
            Ties::Report => TieMode::Report,
            Ties::All => TieMode::All {
                cap: args.max_equilibria,
            },
        },
        max_pivots: None,
        objective: args.objective.clone(),
        max_equilibria: Some(args.max_equilibria),
        deadline: None,
        max_cells: if args.allow_large {
            usize::MAX
        } else {
            deter::game::reduce::MAX_CELLS
        },
    }
}

/// Runs `deter solve`.
pub fn run(args: &SolveArgs) -> Result<ExitCode> {
    if args.list_solvers {
        list_solvers();
        return Ok(ExitCode::SUCCESS);
    }
    let path = args.file.as_ref().context("no input file given")?;
    let file = path.display().to_string();
    let scenario = args.point.scenario.as_deref();
    let input = input::load_game_within(path, scenario, &args.point.sets, options(args).max_cells)?;
    let title = input.title(&file);
    match &input {
        GameInput::Model {
            template,
            theta,
            game,
        } => finish(
            args,
            &file,
            &title,
            GameRef::Tree(game),
            Some((&template.params.names, theta)),
            scenario,
        ),
        GameInput::Efg(g) => finish(args, &file, &title, GameRef::Tree(g), None, None),
        GameInput::Nfg(g) => finish(args, &file, &title, GameRef::Strategic(g), None, None),
    }
}

/// Solves, certifies and prints.
pub fn finish(
    args: &SolveArgs,
    file: &str,
    title: &str,
    game: GameRef<'_>,
    params: Option<(&[String], &[f64])>,
    scenario: Option<&str>,
) -> Result<ExitCode> {
    if let Some(lambda) = args.lambda {
        return super::qre::at_lambda(args, lambda, file, title, game, params);
    }
    let (solver, auto) = choose(args.solver.as_deref(), game)?;
    let opts = options(args);
    let mut sol = solver
        .solve(game, &opts)
        .with_context(|| format!("solver `{}` failed", solver.name()))?;
    solve::certify_with(game, &mut sol, args.tol).context("computing the regret certificate")?;
    let rep = SolveReport {
        file,
        title,
        game,
        params,
        scenario,
        auto_picked: auto,
        solver_about: solver.describe(),
        solution: &sol,
        tol: args.tol,
    };
    let out = match args.format {
        SolveFormat::Text => output::text(&rep),
        SolveFormat::Json => {
            serde_json::to_string_pretty(&output::json(&rep)).context("writing JSON")? + "\n"
        }
    };
    use std::io::Write;
    std::io::stdout()
        .write_all(out.as_bytes())
        .context("writing output")?;
    if let Some(k) = sol.equilibria.iter().position(|e| !e.is_certified()) {
        bail!(
            "equilibrium {} failed the regret certificate ({}); solver `{}` did not find an \
             equilibrium of this game",
            k + 1,
            deter::output::certificate::summary(&sol.equilibria[k]),
            sol.solver
        );
    }
    Ok(if sol.equilibria.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
