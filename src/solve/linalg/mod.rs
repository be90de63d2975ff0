//! Matrix kernels for the pivoting solvers, free of game types.
//!
//! Pivoting methods (Lemke's algorithm, vertex enumeration) are combinatorial: a wrong sign
//! from rounding sends them down the wrong path or round in a cycle. The kernels here therefore
//! pivot in exact integer arithmetic, fraction-free (each pivot divides by the previous one, so
//! entries stay the size of minors of the input instead of doubling every step), with a
//! lexicographic minimum-ratio rule so degenerate problems neither cycle nor stall. The
//! integers are machine words while they fit ([`int`]); floating-point dictionaries serve the
//! fast variants, and [`revised`] runs Lemke's path on large sparse problems in floating
//! point (sparse LU with eta updates), for sizes where the exact dense tableau cannot go.

pub mod basis_lu;
pub mod dict;
pub mod int;
pub mod lemke;
pub mod revised;
pub mod revsearch;

pub use lemke::{complementary_path, PathEnd, Tableau};
