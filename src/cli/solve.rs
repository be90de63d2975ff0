//! `deter solve`: equilibria of one game at one parameter point.

use super::args::{SolveArgs, SolveFormat, Ties};
use super::input::{self, GameInput};
use anyhow::{bail, Context, Result};
use deter::diag::did_you_mean;
use deter::output::{self, SolveReport};
use deter::solve::{
    self, enumpoly::EnumPoly, logit::Logit, nplayer, staged, GameRef, Solution, SolveError,
    SolveOptions, Solver, Status, TieMode, Unsupported,
};
use std::process::ExitCode;

/// Prints the solver list.
pub fn list_solvers() -> Result<()> {
    outln!("Solvers (the default is the first that fits the game):")?;
    for s in solve::registry() {
        outln!("  {:14} {}", s.name(), s.describe())?;
    }
    Ok(())
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
        deadline: args.time_limit.map(|d| std::time::Instant::now() + d),
        max_cells: if args.allow_large {
            usize::MAX
        } else {
            deter::game::reduce::MAX_CELLS
        },
        refine: args.refine.map(|r| match r {
            super::args::Refine::Intuitive => deter::solve::pbe::Refinement::Intuitive,
            super::args::Refine::D1 => deter::solve::pbe::Refinement::D1,
        }),
    }
}

/// Runs `deter solve`.
pub fn run(args: &SolveArgs) -> Result<ExitCode> {
    if args.list_solvers {
        list_solvers()?;
        return Ok(ExitCode::SUCCESS);
    }
    let path = args.file.as_ref().context("no input file given")?;
    let file = path.display().to_string();
    let scenario = args.point.scenario.as_deref();
    let input = input::load_game_within(
        path,
        scenario,
        &args.point.all_sets()?,
        options(args).max_cells,
    )?;
    let title = input.title(&file);
    let code = match &input {
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
    };
    // The process exits next: the game is left to the exit rather than freed.
    std::mem::forget(input);
    code
}

/// Solves, certifies and prints. When the default solver is an enumeration that may be slow,
/// a quick certified equilibrium is printed first ([`deter::solve::staged`]); the enumeration
/// shows its progress on a terminal and stops at `--time-limit`.
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
    // Prints one solution; `tail` follows a text rendering.
    let print = |sol: &Solution, auto_picked: bool, about: &str, tail: &str| -> Result<()> {
        let rep = SolveReport {
            file,
            title,
            game,
            params,
            scenario,
            auto_picked,
            solver_about: about,
            solution: sol,
            tol: args.tol,
        };
        match args.format {
            SolveFormat::Text => {
                super::out::write_stdout_bytes((output::text(&rep) + tail).as_bytes())
            }
            SolveFormat::Json => super::out::write_stdout_json(&output::json_stream(rep)),
        }
    };
    let text = args.format == SolveFormat::Text;
    let mut quick_out = Ok(());
    let spinner = progress_line(solver.name());
    let watched = Watched(solver.as_ref());
    let staged = staged::run(
        game,
        &watched,
        &opts,
        args.tol,
        auto,
        &mut |q| {
            // The first answer is printed at once, before the enumeration starts (text only:
            // a JSON document is printed whole at the end).
            if text {
                let about = format!(
                    "{} — a first answer; all extreme equilibria follow (`{}`)",
                    solve::by_name(q.solution.solver).map_or("", |s| s.describe()),
                    solver.name()
                );
                quick_out = print(&q.solution, false, &about, "\n");
            }
        },
        &mut |p| {
            if let Some(bar) = &spinner {
                bar.set_message(format!(
                    "{}: {} bases, {} vertices, {} equilibria",
                    solver.name(),
                    p.bases,
                    p.vertices,
                    p.equilibria
                ));
            }
        },
    );
    if let Some(bar) = &spinner {
        bar.finish_and_clear();
    }
    quick_out?;
    let staged = staged.with_context(|| format!("solver `{}` failed", solver.name()))?;
    let sol = &staged.full.solution;
    let tail = if text {
        completion(&staged, solver.name(), args)
    } else {
        String::new()
    };
    print(sol, auto, solver.describe(), &tail)?;
    for st in staged.quick.iter().chain([&staged.full]) {
        let eqs = &st.solution.equilibria;
        if let Some(k) = eqs.iter().position(|e| !e.is_certified()) {
            bail!(
                "equilibrium {} failed the regret certificate ({}); solver `{}` did not find an \
                 equilibrium of this game",
                k + 1,
                deter::output::certificate::summary(&eqs[k]),
                st.solution.solver
            );
        }
    }
    let code = if sol.equilibria.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    // `deter solve` exits next: the solutions are left to the exit rather than freed block by
    // block (an exact profile of a big tree is millions of small blocks).
    std::mem::forget(staged);
    Ok(code)
}

/// A spinner line on standard error for the enumeration (terminal only).
fn progress_line(solver: &str) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if solver != "enummixed" || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new_spinner();
    if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {elapsed} {msg}") {
        bar.set_style(style);
    }
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    Some(bar)
}

/// The chosen solver, showing the progress of the long-running ones (the logit path, support
/// enumeration and the default that chains them) on a terminal.
struct Watched<'a>(&'a dyn Solver);

impl Solver for Watched<'_> {
    fn name(&self) -> &'static str {
        self.0.name()
    }
    fn describe(&self) -> &'static str {
        self.0.describe()
    }
    fn supports(&self, game: GameRef<'_>) -> Result<(), Unsupported> {
        self.0.supports(game)
    }
    fn uses_strategic_form(&self) -> bool {
        self.0.uses_strategic_form()
    }
    fn solve(&self, game: GameRef<'_>, opts: &SolveOptions) -> Result<Solution, SolveError> {
        let mut bar = super::progress::Progress::new(false);
        let lambda = |l: f64| format!("logit: tracing the path, λ = {l:.4e}");
        let supports = |p: &solve::enumpoly::Progress| {
            format!(
                "enumpoly: {} supports examined, {} equilibria",
                p.supports, p.equilibria
            )
        };
        // The default for three or more players shares its name with `enumpoly`.
        let res = if self.0.describe() == nplayer::NPlayerDefault.describe() {
            nplayer::NPlayerDefault.solve_with_progress(game, opts, &mut |s| {
                bar.update(|| match s {
                    nplayer::Stage::Enumeration(p) => supports(&p),
                    nplayer::Stage::Logit(l) => lambda(l),
                    nplayer::Stage::GlobalNewton => "gnm: following the global Newton path".into(),
                })
            })
        } else if self.0.name() == Logit.name() {
            Logit.solve_with_progress(game, opts, &mut |l| bar.update(|| lambda(l)))
        } else if self.0.name() == EnumPoly.name() {
            EnumPoly.solve_with_progress(game, opts, Default::default(), &mut |p| {
                bar.update(|| supports(p))
            })
        } else {
            self.0.solve(game, opts)
        };
        bar.finish();
        res
    }
}

/// What was and was not completed, when there was more than one stage or the last one stopped
/// early.
fn completion(s: &staged::Staged, name: &str, args: &SolveArgs) -> String {
    let full = &s.full.solution;
    if s.quick.is_none() && full.status == Status::Solved {
        return String::new();
    }
    let mut o = String::from("\n");
    if let Some(q) = &s.quick {
        o.push_str(&format!(
            "Completed: `{}` found its equilibrium in {}.\n",
            q.solution.solver,
            secs(q.time)
        ));
    }
    let bases = s
        .progress
        .map(|p| format!(" after {} bases", p.bases))
        .unwrap_or_default();
    let n = full.equilibria.len();
    match full.status {
        Status::Solved => o.push_str(&format!(
            "Completed: `{name}` found all {n} extreme equilibria in {}{bases}.\n",
            secs(s.full.time)
        )),
        Status::TimeLimit => o.push_str(&format!(
            "Not completed: `{name}` stopped at {}{bases}; the {n} equilibria above are \
             certified, but others may exist. {} --time-limit to continue.\n",
            args.time_limit.map_or_else(
                || format!(
                    "its default time budget ({})",
                    secs(nplayer::ENUMERATION_BUDGET)
                ),
                |t| format!("the time limit ({})", secs(t))
            ),
            if args.time_limit.is_some() {
                "Raise"
            } else {
                "Set"
            }
        )),
        Status::Truncated => o.push_str(&format!(
            "Not completed: `{name}` stopped at --max-equilibria {}{bases}; more equilibria exist.\n",
            args.max_equilibria
        )),
        Status::PivotLimit => o.push_str(&format!(
            "Not completed: `{name}` stopped at its pivot limit{bases}; others may exist.\n"
        )),
        Status::StepLimit => o.push_str(&format!(
            "Not completed: `{name}` stopped at its step limit{bases} (see the notes above); the \
             {n} equilibria above are certified, but others may exist.\n"
        )),
        Status::Unresolved => o.push_str(&format!(
            "Not completed: `{name}` left the conditions of some supports unresolved{bases} (see \
             the notes above); the {n} {} certified, but others may exist.\n",
            if n == 1 {
                "equilibrium above is"
            } else {
                "equilibria above are"
            }
        )),
    }
    o
}

fn secs(d: std::time::Duration) -> String {
    let s = d.as_secs_f64();
    if s < 1.0 {
        format!("{:.1} ms", s * 1e3)
    } else {
        format!("{s:.2} s")
    }
}
