//! A game at one parameter point: the shared tree plus its numbers.
//!
//! `Game` is what every extensive-form solver receives. Its numeric vectors are indexed by arena
//! ids (chance probabilities by the child node a chance move leads to, payoffs by leaf and
//! player), so a sweep refills them in place with no allocation.

use super::ids::{LeafId, NodeId, PlayerId};
use super::tree::Tree;
use crate::exact::Rational;
use std::sync::Arc;

/// An extensive-form game with numeric payoffs and chance probabilities.
#[derive(Clone, Debug, PartialEq)]
pub struct Game {
    /// The structure, shared by all instantiations of a model.
    pub tree: Arc<Tree>,
    /// `chance[c]` is the probability of the chance move leading into node `c`; 0 for nodes
    /// whose parent is not a chance node.
    pub chance: Vec<f64>,
    /// `payoffs[leaf * n_players + player]`.
    pub payoffs: Vec<f64>,
    /// The same numbers as exact rationals, when every payoff and chance probability is
    /// rational (read from a file, or a model whose formulas are rational at this point).
    /// `None` means only the floats are known; the floats are then the game.
    pub exact: Option<Arc<ExactNumbers>>,
}

/// Exact payoffs and chance probabilities of a [`Game`], laid out as its float vectors.
#[derive(Clone, Debug, PartialEq)]
pub struct ExactNumbers {
    /// As [`Game::chance`].
    pub chance: Vec<Rational>,
    /// As [`Game::payoffs`].
    pub payoffs: Vec<Rational>,
}

impl Game {
    /// A game with all payoffs and probabilities zero (to be filled in).
    pub fn zeroed(tree: Arc<Tree>) -> Self {
        let n = tree.nodes.len();
        let m = tree.leaves.len() * tree.n_players();
        Game {
            tree,
            chance: vec![0.0; n],
            payoffs: vec![0.0; m],
            exact: None,
        }
    }

    /// Number of players.
    #[inline(always)]
    pub fn n_players(&self) -> usize {
        self.tree.players.len()
    }

    /// Payoffs of all players at a leaf.
    #[inline(always)]
    pub fn leaf_payoffs(&self, leaf: LeafId) -> &[f64] {
        let np = self.n_players();
        &self.payoffs[leaf.ix() * np..(leaf.ix() + 1) * np]
    }

    /// One player's payoff at a leaf.
    #[inline(always)]
    pub fn payoff(&self, leaf: LeafId, player: PlayerId) -> f64 {
        self.payoffs[leaf.ix() * self.n_players() + player.ix()]
    }

    /// Probability of the chance move into `child`.
    #[inline(always)]
    pub fn chance_prob(&self, child: NodeId) -> f64 {
        self.chance[child.ix()]
    }

    /// Largest absolute payoff (at least 1): the scale for tolerances.
    pub fn payoff_scale(&self) -> f64 {
        self.payoffs.iter().fold(1.0f64, |m, &x| m.max(x.abs()))
    }

    /// Each player's smallest and largest payoff over the leaves: the ranges that tolerances
    /// are relative to.
    pub fn payoff_ranges(&self) -> Vec<(f64, f64)> {
        super::strategic::ranges(&self.payoffs, self.n_players())
    }

    /// True if the payoffs of two players sum to one constant at every leaf: decided exactly
    /// when the numbers are exact, else within `tol` relative to the players' payoff ranges.
    pub fn is_constant_sum(&self, tol: f64) -> bool {
        if self.n_players() != 2 || self.tree.leaves.is_empty() {
            return false;
        }
        if let Some(ex) = &self.exact {
            return constant_sum_exact(&ex.payoffs);
        }
        constant_sum_float(&self.payoffs, tol)
    }
}

/// Two players' payoffs (`[profile * 2 + player]`) sum to one constant, exactly.
pub fn constant_sum_exact(payoffs: &[Rational]) -> bool {
    let mut rows = payoffs.chunks_exact(2);
    let Some(first) = rows.next() else {
        return true;
    };
    let c = &first[0] + &first[1];
    rows.all(|p| &p[0] + &p[1] == c)
}

/// Two players' payoffs sum to one constant within `tol` times the larger payoff range (with
/// a floor from floating-point precision).
pub fn constant_sum_float(payoffs: &[f64], tol: f64) -> bool {
    let r = super::strategic::ranges(payoffs, 2);
    let width = (r[0].1 - r[0].0).max(r[1].1 - r[1].0);
    let mag = payoffs.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    let eps = (tol * width).max(16.0 * f64::EPSILON * mag);
    let Some(first) = payoffs.chunks_exact(2).next() else {
        return true;
    };
    let c = first[0] + first[1];
    payoffs
        .chunks_exact(2)
        .all(|p| (p[0] + p[1] - c).abs() <= eps)
}
