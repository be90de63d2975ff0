//! Ties decided exactly, and the set of subgame-perfect equilibria the ties allow.
//!
//! Backward induction in floating point calls two moves tied when their continuation values
//! differ by at most the tolerance, and plays the first listed of them (the stated tie rule).
//! Rounding must not decide what the model means: when a solve at a point finds a near tie, the
//! point is solved again in exact rationals ([`settle`]: each parameter value read as the
//! shortest decimal that prints it, the formulas evaluated exactly by
//! [`GameTemplate::instantiate_exact`]), so a tie is an exact tie and a strict preference stays
//! strict. Where a formula has no exact value (`exp`, `ln`), the float decision stands.
//!
//! An analysis that asks *whether* something holds consumes the whole set ([`spe_set`]): every
//! pure subgame-perfect equilibrium the ties allow (the branching at tied nodes), the tie rule's
//! selection first, capped at [`SET_CAP`] and marked when capped. Points without ties skip all of
//! this: the set is the one solve, and the hot path allocates nothing more.

use crate::exact::{self, Rational, Scalar};
use crate::game::tree::{NodeKind, Tree};
use crate::game::{ExactNumbers, Game};
use crate::model::GameTemplate;
use crate::solve::backward::{self, Workspace};

/// Most equilibria listed at one point; beyond it the set is marked truncated.
pub const SET_CAP: usize = 64;

/// The pure subgame-perfect equilibria at a point, each as every node's move.
#[derive(Clone, Debug, PartialEq)]
pub struct SpeSet {
    /// Each equilibrium's move at every node (`u32::MAX` at chance and terminal nodes); the
    /// tie rule's selection (first listed best move everywhere) comes first.
    pub choices: Vec<Vec<u32>>,
    /// True if the ties allow more equilibria than [`SET_CAP`].
    pub truncated: bool,
}

/// The exact point meant by a float point: each value as the shortest decimal that prints it
/// (`0.2`, not the binary double nearest to it); `None` for a value that is not finite.
pub fn exact_theta(theta: &[f64]) -> Option<Vec<Rational>> {
    theta
        .iter()
        .map(|&v| exact::parse(&format!("{v}")).or_else(|| exact::from_f64(v)))
        .collect()
}

/// Re-decides the ties of a float solve `ws` of `game` (the template at `theta`) in exact
/// arithmetic: choices, ties and values are replaced by the exact solve's. Returns the exact
/// numbers when they were used (`None`: no near tie, or no exact value).
pub fn settle(
    t: &GameTemplate,
    game: &Game,
    theta: &[f64],
    ws: &mut Workspace,
) -> Option<ExactNumbers> {
    if ws.ties.is_empty() {
        return None;
    }
    let ex = t.instantiate_exact(&exact_theta(theta)?).ok()??;
    let tree = &*game.tree;
    let (choice, ties) = backward::first_best(tree, &ex.chance().to_vec(), &ex.payoffs().to_vec());
    for (i, n) in tree.nodes.iter().enumerate() {
        if let NodeKind::Decision { infoset, .. } = n.kind {
            ws.choice[i] = choice[infoset.ix()] as u32;
        }
    }
    ws.ties = ties;
    values_of_choices(game, &ws.choice, &mut ws.values);
    Some(ex)
}

/// The float values of every node to every player when every decision node plays `choice`.
fn values_of_choices(game: &Game, choice: &[u32], values: &mut [f64]) {
    let tree = &*game.tree;
    let np = game.n_players();
    for i in (0..tree.nodes.len()).rev() {
        let node = tree.nodes[i];
        let first = node.first_child as usize;
        for p in 0..np {
            values[i * np + p] = match node.kind {
                NodeKind::Terminal { leaf } => game.payoffs[leaf.ix() * np + p],
                NodeKind::Chance => node
                    .children()
                    .map(|c| game.chance[c] * values[c * np + p])
                    .sum(),
                NodeKind::Decision { .. } => values[(first + choice[i] as usize) * np + p],
            };
        }
    }
}

/// Every pure subgame-perfect equilibrium of a solved game (`ws` from [`settle`]d backward
/// induction; `exact` its exact numbers, if [`settle`] used them): with no tie, the solve alone.
pub fn spe_set(game: &Game, ws: &Workspace, exact: Option<&ExactNumbers>, cap: usize) -> SpeSet {
    if ws.ties.is_empty() {
        return SpeSet {
            choices: vec![ws.choice.clone()],
            truncated: false,
        };
    }
    let tree = &*game.tree;
    let (mut choices, truncated) = match exact {
        Some(ex) => {
            let zeros = vec![Rational::default(); game.n_players()];
            let (ps, tr) = backward::enumerate_in(
                tree,
                &ex.chance().to_vec(),
                &ex.payoffs().to_vec(),
                &zeros,
                cap,
            );
            (ps.iter().map(|p| choices_of(tree, p)).collect(), tr)
        }
        None => {
            let (ps, tr) = backward::enumerate_in(tree, &game.chance, &game.payoffs, &ws.eps, cap);
            (
                ps.iter().map(|p| choices_of(tree, p)).collect::<Vec<_>>(),
                tr,
            )
        }
    };
    match choices.iter().position(|c| *c == ws.choice) {
        Some(k) => {
            let first = choices.remove(k);
            choices.insert(0, first);
        }
        None => choices.insert(0, ws.choice.clone()),
    }
    SpeSet { choices, truncated }
}

/// Every node's move in a pure behaviour profile.
fn choices_of<T: Scalar>(tree: &Tree, profile: &[T]) -> Vec<u32> {
    tree.nodes
        .iter()
        .map(|n| match n.kind {
            NodeKind::Decision { infoset, .. } => {
                let s = &tree.infosets[infoset.ix()];
                let a = s.first_action as usize;
                (0..n.n_children as usize)
                    .find(|&k| profile[a + k] != T::zero())
                    .unwrap_or(0) as u32
            }
            _ => u32::MAX,
        })
        .collect()
}

/// The behaviour profile in which every decision node plays `choice`.
pub fn profile_of_choices(tree: &Tree, choice: &[u32]) -> Vec<f64> {
    let mut prof = vec![0.0; tree.n_actions()];
    for (i, node) in tree.nodes.iter().enumerate() {
        if let NodeKind::Decision { infoset, .. } = node.kind {
            let s = &tree.infosets[infoset.ix()];
            prof[s.first_action as usize + choice[i] as usize] = 1.0;
        }
    }
    prof
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_near_tie_that_is_not_exact_is_strict() {
        // Two payoffs 1e-12 apart are a tie for the float tolerance but not exactly: the exact
        // re-decision plays the better move, and the set has one equilibrium.
        let text = r#"
title = "near"
players = ["A"]
root = "a"
[parameters]
e = { value = 0.000000000001, range = [0, 1] }
[nodes.a]
player = "A"
moves = { low = { to = "l" }, high = { to = "h" } }
[outcomes.l]
payoffs = { A = 1 }
[outcomes.h]
payoffs = { A = "1 + e" }
"#;
        let t = crate::model::load("near.toml", text).template.unwrap();
        let theta = t.defaults();
        let (game, ws) = crate::regions::solve_at(&t, &theta, crate::regions::TIE_TOL).unwrap();
        assert_eq!(ws.choice[0], 1, "high is strictly better");
        assert!(ws.ties.is_empty());
        assert_eq!(spe_set(&game, &ws, None, SET_CAP).choices.len(), 1);
    }
}
