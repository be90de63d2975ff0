//! Action values and their derivatives: the smooth core shared by the logit, global-Newton and
//! polishing methods.
//!
//! Those methods all work with one vector of choice probabilities, split into *groups* (a
//! player's strategies in a strategic game; the actions at one information set of a tree, in
//! the agent form), and with the *value* of every action to the player who takes it: the
//! expected payoff of a pure strategy against the others' mixtures, or, at an information set,
//! the expected payoff of an action given that the set is reached (members weighted by the
//! beliefs that Bayes' rule gives), with everyone's later play as in the profile. A
//! [`ValueModel`] computes these values and their Jacobian, either with respect to the
//! probabilities themselves (Newton polishing on a support) or to their logarithms (logit
//! tracing, where probabilities span hundreds of orders of magnitude and beliefs at rarely
//! reached sets must stay accurate).
//!
//! Payoffs are normalised to the unit range (`(u − min) / (max − min)`), so tolerances inside
//! the methods are relative to the game's payoff range; [`ValueModel::scale`] gives the range
//! to convert back (a logit precision λ on raw payoffs is `λ · scale` on normalised ones).

pub mod agent;
pub mod strategic;

use nalgebra::DMatrix;
use std::ops::Range;

pub use agent::AgentValues;
pub use strategic::StrategicValues;

/// A set of probabilities that sum to one: one player's strategies, or one information set's
/// actions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// The indices of the group's actions in the probability vector.
    pub actions: Range<usize>,
    /// The player who chooses.
    pub player: usize,
}

/// Coordinates of a Jacobian: derivatives with respect to probabilities or log-probabilities.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coords {
    /// `∂u_a / ∂p_b`.
    Linear,
    /// `∂u_a / ∂ln p_b = p_b · ∂u_a / ∂p_b`, computed without dividing by `p_b`.
    Log,
}

/// The values of every action of a game under a profile, and their Jacobian.
///
/// `p` and `x` passed to the methods always describe the same profile: `x[a] = ln p[a]`
/// (`-∞` where `p[a] = 0`). Implementations that compute beliefs take them from `x` in
/// [`Coords::Log`] mode (accurate however small the probabilities) and from `p` in
/// [`Coords::Linear`] mode (where `p` may be slightly negative during a Newton iteration).
pub trait ValueModel {
    /// Length of the probability vector.
    fn n_actions(&self) -> usize;
    /// The groups, in order, covering `0..n_actions()`.
    fn groups(&self) -> &[Group];
    /// Number of players.
    fn n_players(&self) -> usize;
    /// The payoff range the values are divided by (1 if all payoffs are equal).
    fn scale(&self) -> f64;
    /// The value of every action (normalised payoffs).
    fn values(&mut self, p: &[f64], x: &[f64], mode: Coords, u: &mut [f64]);
    /// The values (into `u`) and their Jacobian `jac[(a, b)] = ∂u_a/∂p_b` or `∂u_a/∂ln p_b`.
    fn jacobian(
        &mut self,
        p: &[f64],
        x: &[f64],
        mode: Coords,
        u: &mut [f64],
        jac: &mut DMatrix<f64>,
    );
}

/// `ln p`, with `-∞` for zero (and negative) probabilities.
pub fn logs(p: &[f64]) -> Vec<f64> {
    p.iter()
        .map(|&v| if v > 0.0 { v.ln() } else { f64::NEG_INFINITY })
        .collect()
}

/// The uniform profile: every group's actions equally likely.
pub fn uniform(groups: &[Group], n: usize) -> Vec<f64> {
    let mut p = vec![0.0; n];
    for g in groups {
        let k = g.actions.len() as f64;
        for a in g.actions.clone() {
            p[a] = 1.0 / k;
        }
    }
    p
}

/// The largest gain any player could get at any group by switching to a best action, in
/// normalised payoff units: `max_g (max_a u_a − Σ_a p_a u_a)`. Zero at a Nash equilibrium of
/// the strategic form (and, in the agent form, at a sequentially rational profile).
pub fn max_gain(groups: &[Group], p: &[f64], u: &[f64]) -> f64 {
    groups
        .iter()
        .map(|g| {
            let best = g
                .actions
                .clone()
                .map(|a| u[a])
                .fold(f64::NEG_INFINITY, f64::max);
            let cur: f64 = g.actions.clone().map(|a| p[a] * u[a]).sum();
            best - cur
        })
        .fold(0.0, f64::max)
}
