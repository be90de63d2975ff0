//! `--select` for sweeps: the shared selection rules of [`crate::solve::select`].
//!
//! A sweep row describes the whole set of equilibria at its point, or the equilibria a
//! [`Selection`] names when one row per point is wanted; the rules and their names are the
//! ones every command uses.

pub use crate::solve::select::{SelectError, Selection};

impl From<SelectError> for super::SweepError {
    fn from(e: SelectError) -> Self {
        super::SweepError::Solver(e.0)
    }
}
