//! The default method for games of three or more players with simultaneous moves or hidden
//! information.
//!
//! Backward induction covers perfect information and the two-player methods cover two
//! players; for the rest the only exhaustive method is support enumeration, whose cost is hard
//! to predict (a support's polynomial system may take milliseconds or seconds). So the default
//! enumerates all equilibria with [`EnumPoly`] under a time budget, and if that finds none —
//! out of time, or every equilibrium lies in a continuum it does not list — falls back to the
//! limit of the logit path ([`Logit`]: always an equilibrium, sequential in trees), and for
//! strategic games to the global Newton method ([`GlobalNewton`]). The solution names the
//! method that produced it, and its notes say what was not completed.
//!
//! The enumeration's budget is [`ENUMERATION_BUDGET`] when the caller set no deadline, and
//! [`ENUMERATION_SHARE`] of the time left when it did, so that a fallback has time to run.

use super::enumpoly::{self, isolate::IsolateParams, EnumPoly};
use super::gnm::GlobalNewton;
use super::logit::Logit;
use super::*;
use std::time::{Duration, Instant};

/// How long the default lets support enumeration run when the caller set no deadline.
pub const ENUMERATION_BUDGET: Duration = Duration::from_secs(5);

/// The share of the caller's remaining time that support enumeration may use.
pub const ENUMERATION_SHARE: f64 = 0.75;

/// What the default is doing, for a progress display.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Stage {
    /// Support enumeration, this far.
    Enumeration(enumpoly::Progress),
    /// Tracing the logit path, at this precision λ (on the game's payoffs).
    Logit(f64),
    /// The global Newton method.
    GlobalNewton,
}

/// Support enumeration, then the logit limit (and global Newton) if it found nothing.
pub struct NPlayerDefault;

/// True for the games this default is for: three or more players, and either a strategic
/// game or a tree with an information set that is not a singleton.
pub fn applies(game: GameRef<'_>) -> bool {
    game.n_players() >= 3
        && match game {
            GameRef::Strategic(_) => true,
            GameRef::Tree(g) => !g.tree.is_perfect_information(),
        }
}

impl Solver for NPlayerDefault {
    fn name(&self) -> &'static str {
        "enumpoly"
    }
    fn describe(&self) -> &'static str {
        "all isolated Nash equilibria by support enumeration (enumpoly), within a time budget; if it finds none, the limit of the logit path (trees: a sequential equilibrium) or the global Newton method"
    }
    fn supports(&self, game: GameRef<'_>) -> Result<(), Unsupported> {
        Logit
            .supports(game)
            .or_else(|_| GlobalNewton.supports(game))
            .or_else(|_| EnumPoly.supports(game))
    }
    fn solve(&self, game: GameRef<'_>, opts: &SolveOptions) -> Result<Solution, SolveError> {
        self.solve_with_progress(game, opts, &mut |_| {})
    }
}

impl NPlayerDefault {
    /// [`Solver::solve`], telling `on_stage` what it is doing (for a progress display).
    pub fn solve_with_progress(
        &self,
        game: GameRef<'_>,
        opts: &SolveOptions,
        on_stage: &mut dyn FnMut(Stage),
    ) -> Result<Solution, SolveError> {
        let mut notes = Vec::new();
        if EnumPoly.supports(game).is_ok() {
            let now = Instant::now();
            let deadline = match opts.deadline {
                Some(d) => now + d.saturating_duration_since(now).mul_f64(ENUMERATION_SHARE),
                None => now + ENUMERATION_BUDGET,
            };
            let sub = SolveOptions {
                deadline: Some(deadline),
                ..opts.clone()
            };
            on_stage(Stage::Enumeration(enumpoly::Progress::default()));
            let sol =
                EnumPoly.solve_with_progress(game, &sub, IsolateParams::default(), &mut |p| {
                    on_stage(Stage::Enumeration(*p))
                })?;
            if !sol.equilibria.is_empty() {
                return Ok(sol);
            }
            notes.extend(sol.notes);
            notes.push("support enumeration listed no equilibrium; the logit limit follows".into());
        }
        let out_of_time = |s: &Solution| s.status == Status::TimeLimit;
        let mut tried = Vec::new();
        for fallback in [&Logit as &dyn Solver, &GlobalNewton] {
            if fallback.supports(game).is_err() {
                continue;
            }
            let mut sol = if fallback.name() == Logit.name() {
                on_stage(Stage::Logit(0.0));
                Logit.solve_with_progress(game, opts, &mut |l| on_stage(Stage::Logit(l)))?
            } else {
                on_stage(Stage::GlobalNewton);
                fallback.solve(game, opts)?
            };
            if !sol.equilibria.is_empty() || out_of_time(&sol) {
                notes.append(&mut sol.notes);
                sol.notes = notes;
                return Ok(sol);
            }
            tried.push(fallback.name());
            notes.append(&mut sol.notes);
        }
        let mut sol = Solution::new("enumpoly", Vec::new());
        sol.status = Status::StepLimit;
        notes.push(format!(
            "no method found an equilibrium (tried enumpoly, {}); every finite game has one — \
             please report this game",
            tried.join(", ")
        ));
        sol.notes = notes;
        Ok(sol)
    }
}
