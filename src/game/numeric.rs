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

    /// True if payoffs of two players sum to a constant at every leaf (within `tol`).
    pub fn is_constant_sum(&self, tol: f64) -> bool {
        if self.n_players() != 2 || self.tree.leaves.is_empty() {
            return false;
        }
        let c = self.payoffs[0] + self.payoffs[1];
        self.payoffs
            .chunks_exact(2)
            .all(|p| (p[0] + p[1] - c).abs() <= tol * self.payoff_scale())
    }
}
