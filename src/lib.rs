//! # deter
//!
//! Equilibria of game-theoretic models of alliances and deterrence.
//!
//! ```text
//! model file (.toml) ─read─► ModelAst ─build─► GameTemplate ─instantiate(θ)─► Game ─Solver─► Solution
//! ```
//!
//! A model is read and checked once into a [`model::GameTemplate`]; the template is instantiated
//! at any parameter point θ into a numeric [`game::Game`]; a [`solve::Solver`] computes
//! equilibria, and [`solve::certify`] checks each with an independent regret computation.
//!
//! ```
//! use deter::{model, solve};
//! use deter::solve::{GameRef, Solver, SolveOptions};
//!
//! let loaded = model::load("hedging.toml", include_str!("../models/hedging.toml"));
//! let template = loaded.template.expect("the shipped model is valid");
//! let theta = template.point(Some("post_2001"), &[]).unwrap();
//! let game = template.instantiate(&theta).unwrap();
//! let mut sol = solve::backward::BackwardInduction
//!     .solve(GameRef::Tree(&game), &SolveOptions::default())
//!     .unwrap();
//! solve::certify(GameRef::Tree(&game), &mut sol).unwrap();
//! let eq = &sol.equilibria[0];
//! assert!(eq.max_regret() <= 1e-9);
//! // The hedging protégé is challenged and abandoned, and realigns: payoffs (.1, 1.5, -.7).
//! assert!((eq.payoffs[1] - 1.5).abs() < 1e-12);
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod diag;
pub mod draw;
pub mod exact;
pub mod expr;
pub mod fit;
pub mod format;
pub mod game;
pub mod geometry;
pub mod model;
pub mod output;
pub mod plot;
pub mod poly;
pub mod questions;
pub mod regime;
pub mod regions;
pub mod report;
pub mod solve;
pub mod source;
pub mod sweep;
pub mod thresholds;
