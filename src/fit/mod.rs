//! Strategic estimation: a model file's parameters fitted to observed crises by maximum
//! likelihood (`deter fit`).
//!
//! International-relations scholars test game-theoretic models of crises by *strategic
//! estimation* (Signorino 1999, 2003; Lewis & Schultz 2003; Signorino & Tarar 2006): the
//! players' utilities are linear functions of case covariates, each choice carries a random
//! utility shock, and the coefficients are the values that make the outcomes observed across
//! many crises most likely under the game's equilibrium choice probabilities. The R package
//! `games` (Kenkel & Signorino) does this for four fixed tree shapes; this module does it for
//! any model file (with information sets, through the agent quantal response equilibrium at
//! each row).
//!
//! ```text
//! [fit] section ─spec─► FitSpec ─┐
//! data.csv ─────data─► Data ─────┴─design─► Design ─likelihood─► ℓ(β), ∇ℓ(β)
//!                                                    └─optimise─► β̂ ─inference─► SEs ─output
//! ```
//!
//! - [`spec`] reads the model file's `[fit]` section, with located diagnostics;
//! - [`data`] reads the CSV (factors, missing values, bad rows by line number);
//! - [`design`] resolves the formulas against the data: coefficients, covariate terms, rows
//!   grouped by identical covariate patterns, observations as sets of tree nodes;
//! - [`formulas`] turns the model's payoff and chance formulas into functions of the parameters
//!   with exact derivatives ([`diff`] differentiates formulas symbolically);
//! - [`likelihood`] computes the log-likelihood and its gradient (reverse mode through the
//!   recursion from the leaves), using the choice rules of [`choice`]; with information sets,
//!   [`qre`] solves each row's agent QRE and differentiates it implicitly;
//! - [`optimise`] maximises it (argmin's BFGS, then Newton steps on the Hessian);
//! - [`inference`] gives standard errors (Hessian, clustered, bootstrap) and the delta method;
//! - [`output`] writes the table, JSON, CSV and per-row predictions; [`simulate`] draws
//!   outcomes from a fitted model (Monte Carlo tests, example data); [`effects`] draws outcome
//!   probabilities along a covariate with delta-method bands; [`bands`] draws confidence
//!   bands of curves computed at the estimates (sweeps, comparative statics) by a parametric
//!   bootstrap.
//!
//! The mathematics is written up in `docs/fit.md`.

pub mod bands;
pub mod choice;
pub mod data;
pub mod design;
pub mod diff;
pub mod effects;
pub mod estimate;
pub mod formulas;
pub mod inference;
pub mod likelihood;
pub mod optimise;
pub mod output;
pub mod qre;
pub mod rng;
pub mod simulate;
pub mod spec;

pub use data::Data;
pub use design::Design;
pub use estimate::{estimate, Estimate, FitError, Settings};
pub use likelihood::Likelihood;
pub use spec::{ErrorModel, FitSpec, Link};
