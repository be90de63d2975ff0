//! # deter
//!
//! Equilibria of game-theoretic models of alliances and deterrence.
//!
//! ```text
//! model file (.toml) ─parse─► Ast ─check─► GameTemplate ─instantiate(θ)─► Game ─Solver─► Solution
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod diag;
pub mod draw;
pub mod expr;
pub mod game;
pub mod model;
pub mod output;
pub mod report;
pub mod solve;
pub mod source;
