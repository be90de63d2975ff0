//! Logit quantal response equilibria: the path, its points, and its limit.
//!
//! McKelvey & Palfrey (1995): players choose every action with a probability proportional to
//! `e^{λ u}`, where `u` is the action's expected payoff and λ ≥ 0 the precision. For each λ
//! there is at least one such profile (a QRE); from the uniform profile at λ = 0 a unique
//! branch leads, for almost every game, to a Nash equilibrium as λ → ∞ (Turocy 2005, "A
//! dynamic homotopy interpretation of the logistic quantal response equilibrium
//! correspondence"). In a tree, each information set chooses for itself (the agent form,
//! McKelvey & Palfrey 1998), and the limit is a sequential equilibrium: its beliefs, limits of
//! the fully mixed path's, come with it.
//!
//! - [`Logit`] (`--solver logit`) returns the limit, polished by Newton's method on its
//!   support and certified (regret ≤ 1e-12 of the payoff range; see [`limit`]).
//! - [`qre`] returns the QRE at one λ (`--lambda`), certified by its fixed-point residual
//!   ([`residual`]), not by regret.
//! - [`path`] reports every point of the path (`deter qre`).
//!
//! λ is given on the game's own payoffs; internally payoffs are normalised to the unit range,
//! so the path is traced in `λ · range`.
//!
//! # For estimation
//!
//! Strategic estimation needs agent QREs at fixed λ for many payoff vectors. Build a
//! [`crate::solve::values::AgentValues`] (or `StrategicValues`) for the game, wrap it in a
//! [`QreHomotopy`], and call [`fixed_point`] from a nearby profile (the previous row's
//! solution), falling back to [`qre_of`] (tracing from λ = 0) when Newton's method does not
//! converge. [`QreHomotopy`] implements [`crate::solve::trace::Homotopy`], whose Jacobian gives
//! the derivatives of the equilibrium conditions needed for implicit differentiation.

pub mod homotopy;
pub mod limit;
pub mod residual;

pub use homotopy::QreHomotopy;

use super::trace::{correct_fixed, Homotopy, TraceError, TraceParams, Tracer};
use super::values::{logs, max_gain, AgentValues, Coords, StrategicValues, ValueModel};
use super::*;
use limit::{advance_to, trace_limit, LimitModel, LimitParams, NoLimit, StopReason};

/// Largest number of actions (or strategies) the dense linear algebra takes.
pub const MAX_ACTIONS: usize = 2000;

/// Largest strategic payoff table (profiles × players) taken.
pub const MAX_CELLS: usize = 20_000_000;

/// Regret (relative to each player's payoff range) a polished limit must reach to be returned
/// when it cannot be certified exactly.
pub const LIMIT_TOL: f64 = 1e-12;

/// The limit of the logit QRE path.
pub struct Logit;

impl Solver for Logit {
    fn name(&self) -> &'static str {
        "logit"
    }
    fn describe(&self) -> &'static str {
        "one Nash equilibrium, the limit of the logit QRE path (in trees: a sequential equilibrium of the agent form, with beliefs); any number of players"
    }
    fn supports(&self, game: GameRef<'_>) -> Result<(), Unsupported> {
        supports(game, "logit")
    }
    fn solve(&self, game: GameRef<'_>, opts: &SolveOptions) -> Result<Solution, SolveError> {
        self.solve_with_progress(game, opts, &mut |_| {})
    }
}

impl Logit {
    /// [`Solver::solve`], calling `on_lambda` with the precision λ (on the game's payoffs) of
    /// every accepted point of the path, for a progress display.
    pub fn solve_with_progress(
        &self,
        game: GameRef<'_>,
        opts: &SolveOptions,
        on_lambda: &mut dyn FnMut(f64),
    ) -> Result<Solution, SolveError> {
        self.supports(game)?;
        let params = LimitParams {
            trace: TraceParams {
                deadline: opts.deadline,
                ..TraceParams::default()
            },
            ..LimitParams::default()
        };
        match game {
            GameRef::Strategic(g) => {
                let model = StrategicValues::new(g);
                let range = model.scale();
                let mut hom = QreHomotopy::new(model);
                let res = trace_limit(
                    &mut hom,
                    &params,
                    |m: &mut StrategicValues, p: &[f64]| {
                        certified(game, Equilibrium::new(Profile::Mixed(m.split(p))), range)
                    },
                    |y: &[f64]| on_lambda(y.last().copied().unwrap_or(0.0) / range),
                );
                Ok(finish(res, range))
            }
            GameRef::Tree(g) => {
                let model = AgentValues::new(g);
                let range = model.scale();
                let mut hom = QreHomotopy::new(model);
                let res = trace_limit(
                    &mut hom,
                    &params,
                    |m: &mut AgentValues, p: &[f64]| {
                        let mut u = vec![0.0; p.len()];
                        m.values(p, &logs(p), Coords::Linear, &mut u);
                        if max_gain(m.groups(), p, &u) > LIMIT_TOL {
                            return None;
                        }
                        let mut eq = Equilibrium::new(Profile::Behavior(p.to_vec()));
                        eq.beliefs = Some(m.beliefs().to_vec());
                        certified(game, eq, range)
                    },
                    |y: &[f64]| on_lambda(y.last().copied().unwrap_or(0.0) / range),
                );
                Ok(finish(res, range))
            }
        }
    }
}

/// The refusal shared by the logit-based methods.
pub(crate) fn supports(game: GameRef<'_>, name: &str) -> Result<(), Unsupported> {
    if game.n_players() == 0 {
        return Err(Unsupported {
            reason: format!("{name} needs at least one player"),
            suggest: None,
        });
    }
    let n = match game {
        GameRef::Strategic(g) => {
            let cells = g.n_profiles().saturating_mul(g.n_players());
            if cells > MAX_CELLS {
                return Err(Unsupported {
                    reason: format!(
                        "{name}: the payoff table has {cells} entries (at most {MAX_CELLS})"
                    ),
                    suggest: None,
                });
            }
            g.shape().iter().sum::<usize>()
        }
        GameRef::Tree(g) => {
            if let Err(r) = crate::game::recall::check(&g.tree) {
                return Err(Unsupported {
                    reason: format!(
                        "{name} works in behaviour strategies, which need perfect recall; {}",
                        r.describe(&g.tree)
                    ),
                    suggest: Some("gnm"),
                });
            }
            g.tree.n_actions()
        }
    };
    if n > MAX_ACTIONS {
        return Err(Unsupported {
            reason: format!("{name}: the game has {n} actions (at most {MAX_ACTIONS})"),
            suggest: None,
        });
    }
    Ok(())
}

/// Certifies one candidate with the common certificate (exactly where it can be, else to
/// [`LIMIT_TOL`] of each player's payoff range); `Some` if it passes.
fn certified(game: GameRef<'_>, eq: Equilibrium, _range: f64) -> Option<Equilibrium> {
    let mut sol = Solution::new("logit", vec![eq]);
    certify_with(game, &mut sol, LIMIT_TOL).ok()?;
    let eq = sol.equilibria.pop()?;
    eq.is_certified().then_some(eq)
}

fn finish(res: Result<limit::Limit<Equilibrium>, NoLimit>, range: f64) -> Solution {
    match res {
        Ok(l) => {
            let mut sol = Solution::new("logit", vec![l.accepted]);
            if !l.confirmed && l.spread.is_finite() {
                sol.notes.push(format!(
                    "the logit path approaches a continuum of equilibria: the certified \
                     equilibrium shown is the polished point nearest the path at λ = {:.3e}, \
                     within about {:.0e} of the path's limit",
                    l.lambda / range,
                    l.spread
                ));
            } else if !l.confirmed {
                sol.notes.push(format!(
                    "the logit path had not settled at λ = {:.3e} when its budget ran out; the \
                     equilibrium shown is certified but may not be the path's limit",
                    l.lambda / range
                ));
            }
            sol
        }
        Err(e) => {
            let mut sol = Solution::new("logit", Vec::new());
            sol.status = match e.reason {
                StopReason::Trace(TraceError::Deadline) => Status::TimeLimit,
                _ => Status::StepLimit,
            };
            let why = match e.reason {
                StopReason::Trace(t) => t.to_string(),
                StopReason::MaxLambda => "λ reached its maximum".to_string(),
            };
            sol.notes.push(format!(
                "logit tracing stopped at λ = {:.3e} ({why}) before its limit could be certified; \
                 try `--solver enumpoly` (every equilibrium of a small game) or `--solver gnm` \
                 (strategic games)",
                e.lambda / range
            ));
            sol
        }
    }
}

/// A logit quantal response equilibrium at one precision.
#[derive(Clone, Debug, PartialEq)]
pub struct Qre {
    /// The precision λ (on the game's payoffs).
    pub lambda: f64,
    /// The profile (mixed for strategic games, behaviour for trees).
    pub profile: Profile,
    /// Beliefs at every decision node (trees), as [`Equilibrium::beliefs`].
    pub beliefs: Option<Vec<f64>>,
    /// Each player's expected payoff.
    pub payoffs: Vec<f64>,
    /// The fixed-point residual `max |p − logit_λ(p)|`, recomputed independently.
    pub residual: f64,
}

/// The QRE at precision `lambda` on the principal branch (traced from λ = 0).
pub fn qre(
    game: GameRef<'_>,
    lambda: f64,
    deadline: Option<std::time::Instant>,
) -> Result<Qre, SolveError> {
    supports(game, "logit").map_err(SolveError::Unsupported)?;
    if !(lambda >= 0.0 && lambda.is_finite()) {
        return Err(SolveError::Numerical(format!(
            "λ must be a non-negative number, not {lambda}"
        )));
    }
    let params = TraceParams {
        deadline,
        ..TraceParams::default()
    };
    let numerical = |e: TraceError| SolveError::Numerical(format!("logit path: {e}"));
    match game {
        GameRef::Strategic(g) => {
            let model = StrategicValues::new(g);
            let lam = lambda * model.scale();
            let mut hom = QreHomotopy::new(model);
            let (p, _) = qre_of(&mut hom, lam, params).map_err(numerical)?;
            let mixed = hom.model_ref().split(&p);
            let residual = residual::strategic_residual(g, &mixed, lambda);
            Ok(Qre {
                lambda,
                payoffs: g.expected_payoffs(&mixed),
                profile: Profile::Mixed(mixed),
                beliefs: None,
                residual,
            })
        }
        GameRef::Tree(g) => {
            let model = AgentValues::new(g);
            let lam = lambda * model.scale();
            let mut hom = QreHomotopy::new(model);
            let (p, beliefs) = qre_of(&mut hom, lam, params).map_err(numerical)?;
            let residual = residual::agent_residual(g, &p, lambda);
            Ok(Qre {
                lambda,
                payoffs: crate::game::profile::expected_payoffs(g, &p),
                profile: Profile::Behavior(p),
                beliefs,
                residual,
            })
        }
    }
}

/// The QRE of `hom` at `lambda` (normalised payoffs), traced from λ = 0: probabilities and, for
/// trees, beliefs per node.
pub fn qre_of<M: LimitModel>(
    hom: &mut QreHomotopy<M>,
    lambda: f64,
    params: TraceParams,
) -> Result<(Vec<f64>, Option<Vec<f64>>), TraceError> {
    let n = hom.n_eq();
    let y0 = hom.start();
    let y = if lambda == 0.0 {
        y0
    } else {
        let mut guide = vec![0.0; n + 1];
        guide[n] = 1.0;
        let mut tracer = Tracer::new(hom, &y0, &guide, params)?;
        advance_to(&mut tracer, lambda, &mut |_| {})?
    };
    let cp = limit::checkpoint(hom, &y);
    Ok((cp.p, cp.beliefs))
}

/// The QRE of `hom` at `lambda` (normalised) by Newton's method from the profile `start`
/// (no tracing): `None` if it does not converge to a residual of 1e-12.
pub fn fixed_point<M: ValueModel>(
    hom: &mut QreHomotopy<M>,
    start: &[f64],
    lambda: f64,
) -> Option<Vec<f64>> {
    let n = hom.n_eq();
    let mut y: Vec<f64> = logs(start);
    if y.iter().any(|v| !v.is_finite()) {
        return None;
    }
    y.push(lambda);
    let r = correct_fixed(hom, &mut y, n, 1e-14, 50);
    (r <= 1e-12).then(|| y[..n].iter().map(|x| x.exp()).collect())
}

/// One point of the logit path.
#[derive(Clone, Debug, PartialEq)]
pub struct PathPoint {
    /// λ on the game's payoffs (`f64::INFINITY` for the limit).
    pub lambda: f64,
    /// Probabilities of every action (behaviour profile order, or the players' strategies
    /// concatenated for strategic games).
    pub probs: Vec<f64>,
}

/// How a path trace ended.
#[derive(Clone, Debug, PartialEq)]
pub struct PathEnd {
    /// The certified limit, when the trace ran to it (no `max_lambda`).
    pub limit: Option<Equilibrium>,
    /// Why it stopped early, if it did.
    pub stopped: Option<String>,
}

/// Follows the logit path from λ = 0, calling `on_point` at every accepted step: up to
/// `max_lambda` (on the game's payoffs) if given, otherwise to its certified limit (reported
/// last, with λ = ∞).
pub fn path(
    game: GameRef<'_>,
    max_lambda: Option<f64>,
    deadline: Option<std::time::Instant>,
    on_point: &mut dyn FnMut(&PathPoint),
) -> Result<PathEnd, SolveError> {
    supports(game, "logit").map_err(SolveError::Unsupported)?;
    let trace = TraceParams {
        deadline,
        ..TraceParams::default()
    };
    match game {
        GameRef::Strategic(g) => {
            let model = StrategicValues::new(g);
            let range = model.scale();
            let hom = QreHomotopy::new(model);
            run_path(game, hom, range, max_lambda, trace, on_point, |m, p| {
                certified(game, Equilibrium::new(Profile::Mixed(m.split(p))), range)
            })
        }
        GameRef::Tree(g) => {
            let model = AgentValues::new(g);
            let range = model.scale();
            let hom = QreHomotopy::new(model);
            run_path(game, hom, range, max_lambda, trace, on_point, |m, p| {
                let mut u = vec![0.0; p.len()];
                m.values(p, &logs(p), Coords::Linear, &mut u);
                if max_gain(m.groups(), p, &u) > LIMIT_TOL {
                    return None;
                }
                let mut eq = Equilibrium::new(Profile::Behavior(p.to_vec()));
                eq.beliefs = Some(m.beliefs().to_vec());
                certified(game, eq, range)
            })
        }
    }
}

fn run_path<M, A>(
    _game: GameRef<'_>,
    mut hom: QreHomotopy<M>,
    range: f64,
    max_lambda: Option<f64>,
    trace: TraceParams,
    on_point: &mut dyn FnMut(&PathPoint),
    accept: A,
) -> Result<PathEnd, SolveError>
where
    M: LimitModel,
    A: FnMut(&mut M, &[f64]) -> Option<Equilibrium>,
{
    let n = hom.n_eq();
    let mut emit = |y: &[f64]| {
        on_point(&PathPoint {
            lambda: y[n] / range,
            probs: y[..n].iter().map(|x| x.exp()).collect(),
        })
    };
    emit(&hom.start());
    match max_lambda {
        Some(ml) => {
            let y0 = hom.start();
            let mut guide = vec![0.0; n + 1];
            guide[n] = 1.0;
            let mut tracer = Tracer::new(&mut hom, &y0, &guide, trace)
                .map_err(|e| SolveError::Numerical(e.to_string()))?;
            match advance_to(&mut tracer, ml * range, &mut emit) {
                Ok(y) => {
                    emit(&y);
                    Ok(PathEnd {
                        limit: None,
                        stopped: None,
                    })
                }
                Err(e) => Ok(PathEnd {
                    limit: None,
                    stopped: Some(e.to_string()),
                }),
            }
        }
        None => {
            let params = LimitParams {
                trace,
                ..LimitParams::default()
            };
            let res = trace_limit(&mut hom, &params, accept, |y| emit(y));
            let sol = finish(res, range);
            let stopped = sol.notes.first().cloned();
            let limit = sol.equilibria.into_iter().next();
            if let Some(eq) = &limit {
                let probs = match &eq.profile {
                    Profile::Mixed(m) => m.iter().flatten().copied().collect(),
                    Profile::Behavior(b) => b.clone(),
                    Profile::Correlated(_) => Vec::new(),
                };
                on_point(&PathPoint {
                    lambda: f64::INFINITY,
                    probs,
                });
            }
            Ok(PathEnd { limit, stopped })
        }
    }
}

#[cfg(test)]
mod tests;
