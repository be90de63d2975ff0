//! Matrix kernels for the pivoting solvers, free of game types.
//!
//! Pivoting methods (Lemke's algorithm) are combinatorial: a wrong sign from rounding sends
//! them down the wrong path or round in a cycle. The kernels here therefore pivot in exact
//! integer arithmetic, fraction-free (each pivot divides by the previous one, so entries stay
//! the size of minors of the input instead of doubling every step), with a lexicographic
//! minimum-ratio rule so degenerate problems neither cycle nor stall.

pub mod lemke;

pub use lemke::{complementary_path, PathEnd, Tableau};
