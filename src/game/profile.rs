//! Behaviour profiles: expected payoffs, event probabilities and the regret certificate.
//!
//! A behaviour profile is one `Vec<f64>` indexed by action: information set `I`'s action `a`
//! sits at `tree.infosets[I].first_action + a`. Everything here is independent of the solvers:
//! the regret certificate recomputes each player's best response from scratch, so a solver bug
//! cannot hide behind its own bookkeeping.
//!
//! All traversals are loops over the breadth-first arena (parents before children), never
//! recursion.

use super::ids::{InfosetId, NodeId, PlayerId};
use super::numeric::Game;
use super::tree::{NodeKind, Tree};

/// Probability of the move into `child` under `profile` (chance or player move).
#[inline(always)]
fn move_prob(game: &Game, profile: &[f64], parent: NodeKind, child: usize, first: usize) -> f64 {
    match parent {
        NodeKind::Chance => game.chance[child],
        NodeKind::Decision { infoset, .. } => {
            let s = &game.tree.infosets[infoset.ix()];
            profile[s.first_action as usize + (child - first)]
        }
        NodeKind::Terminal { .. } => 0.0,
    }
}

/// Probability that play reaches each node under `profile`.
pub fn reach_probabilities(game: &Game, profile: &[f64]) -> Vec<f64> {
    let tree = &game.tree;
    let mut reach = vec![0.0; tree.nodes.len()];
    if reach.is_empty() {
        return reach;
    }
    reach[0] = 1.0;
    for (i, n) in tree.nodes.iter().enumerate() {
        let r = reach[i];
        let first = n.first_child as usize;
        for c in n.children() {
            reach[c] = r * move_prob(game, profile, n.kind, c, first);
        }
    }
    reach
}

/// Expected payoff of each player under `profile`.
pub fn expected_payoffs(game: &Game, profile: &[f64]) -> Vec<f64> {
    let reach = reach_probabilities(game, profile);
    let np = game.n_players();
    let mut out = vec![0.0; np];
    for (l, leaf) in game.tree.leaves.iter().enumerate() {
        let r = reach[leaf.node.ix()];
        if r != 0.0 {
            for (p, o) in out.iter_mut().enumerate() {
                *o += r * game.payoffs[l * np + p];
            }
        }
    }
    out
}

/// Probability of each event tag (indexed by `EventId`) under `profile`.
pub fn event_probabilities(game: &Game, profile: &[f64]) -> Vec<f64> {
    let reach = reach_probabilities(game, profile);
    event_probabilities_from_reach(&game.tree, &reach)
}

/// Probability of each event tag given precomputed reach probabilities.
pub fn event_probabilities_from_reach(tree: &Tree, reach: &[f64]) -> Vec<f64> {
    let mut ev = vec![0.0; tree.events.len()];
    for leaf in &tree.leaves {
        let r = reach[leaf.node.ix()];
        for e in &leaf.events {
            ev[e.ix()] += r;
        }
    }
    ev
}

/// Why a best response could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RegretError {
    /// A player's information set is reached again below itself (absent-mindedness), or the
    /// player forgets an earlier move; best responses need perfect recall.
    #[error("player {player} does not have perfect recall at information set `{infoset}`")]
    NoPerfectRecall {
        /// Player name.
        player: String,
        /// Information-set name.
        infoset: String,
    },
    /// The profile has the wrong length.
    #[error("profile has {got} entries, the game has {want} actions")]
    BadLength {
        /// Entries given.
        got: usize,
        /// Actions in the game.
        want: usize,
    },
}

/// Each player's regret: the best payoff it could get by a unilateral deviation (to any
/// behaviour strategy) minus its expected payoff under `profile`.
///
/// The best response is computed over the player's information sets, each decided once for all
/// its member nodes (so imperfect information is respected). Requires perfect recall.
pub fn regrets(game: &Game, profile: &[f64]) -> Result<Vec<f64>, RegretError> {
    let tree = &game.tree;
    if profile.len() != tree.n_actions() {
        return Err(RegretError::BadLength {
            got: profile.len(),
            want: tree.n_actions(),
        });
    }
    let current = expected_payoffs(game, profile);
    current
        .iter()
        .enumerate()
        .map(|(p, &cur)| {
            Ok((best_response_value(game, profile, PlayerId::from(p))? - cur).max(0.0))
        })
        .collect()
}

/// The largest regret over players.
pub fn max_regret(game: &Game, profile: &[f64]) -> Result<f64, RegretError> {
    Ok(regrets(game, profile)?.into_iter().fold(0.0, f64::max))
}

/// Best-response value of `player` against the others' strategies in `profile`.
///
/// Counterfactual values: `w(h)` is the probability that chance and the other players lead to
/// `h`. The value `v(h)` of a node is the `w`-weighted payoff of `player` below `h` when
/// `player` best-responds. At `player`'s information set `I` the chosen action maximises
/// `Σ_{h∈I} v(child(h, a))`, which needs the values of the children of *all* members of `I`.
/// With perfect recall these dependencies form a DAG, evaluated here demand-driven with an
/// explicit stack; a dependency on a node still in progress means no perfect recall.
pub fn best_response_value(
    game: &Game,
    profile: &[f64],
    player: PlayerId,
) -> Result<f64, RegretError> {
    let tree = &game.tree;
    let n = tree.nodes.len();
    let np = game.n_players();
    // Opponents' and chance's reach.
    let mut w = vec![0.0; n];
    w[0] = 1.0;
    for (i, node) in tree.nodes.iter().enumerate() {
        let first = node.first_child as usize;
        for c in node.children() {
            w[c] = match node.kind {
                NodeKind::Decision { player: q, .. } if q == player => w[i],
                k => w[i] * move_prob(game, profile, k, c, first),
            };
        }
    }
    // Values, computed children-first: reverse id order handles everything except the
    // coupling through information sets, which `decide` resolves.
    const UNSET: u8 = 0;
    const BUSY: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![UNSET; n];
    let mut value = vec![0.0; n];
    let mut choice: Vec<Option<usize>> = vec![None; tree.infosets.len()];
    let mut stack: Vec<NodeId> = Vec::new();

    // Helper closure semantics implemented inline in a loop over a work stack.
    for start in (0..n).rev() {
        if state[start] == DONE {
            continue;
        }
        stack.push(NodeId::from(start));
        while let Some(&h) = stack.last() {
            let hi = h.ix();
            if state[hi] == DONE {
                stack.pop();
                continue;
            }
            let node = tree.nodes[hi];
            // Dependencies of h.
            let deps_ready = match node.kind {
                NodeKind::Decision { player: q, infoset } if q == player => {
                    if choice[infoset.ix()].is_some() {
                        node.children().all(|c| state[c] == DONE)
                    } else {
                        tree.members(infoset)
                            .iter()
                            .all(|m| tree.nodes[m.ix()].children().all(|c| state[c] == DONE))
                    }
                }
                _ => node.children().all(|c| state[c] == DONE),
            };
            if !deps_ready {
                if state[hi] == BUSY {
                    // Came back to h with dependencies still pending: they include h's own
                    // ancestor chain, so h's information set is reached from within itself.
                    return Err(no_recall(tree, node.kind, player));
                }
                state[hi] = BUSY;
                let push = |c: usize, stack: &mut Vec<NodeId>| -> Result<(), RegretError> {
                    match state[c] {
                        DONE => Ok(()),
                        BUSY => Err(no_recall(tree, tree.nodes[c].kind, player)),
                        _ => {
                            stack.push(NodeId::from(c));
                            Ok(())
                        }
                    }
                };
                match node.kind {
                    NodeKind::Decision { player: q, infoset }
                        if q == player && choice[infoset.ix()].is_none() =>
                    {
                        for m in tree.members(infoset) {
                            for c in tree.nodes[m.ix()].children() {
                                push(c, &mut stack)?;
                            }
                        }
                    }
                    _ => {
                        for c in node.children() {
                            push(c, &mut stack)?;
                        }
                    }
                }
                continue;
            }
            // All dependencies done: compute v(h).
            value[hi] = match node.kind {
                NodeKind::Terminal { leaf } => w[hi] * game.payoffs[leaf.ix() * np + player.ix()],
                NodeKind::Decision { player: q, infoset } if q == player => {
                    let a = match choice[infoset.ix()] {
                        Some(a) => a,
                        None => {
                            let a = decide(tree, infoset, &value);
                            choice[infoset.ix()] = Some(a);
                            a
                        }
                    };
                    value[node.first_child as usize + a]
                }
                _ => node.children().map(|c| value[c]).sum(),
            };
            state[hi] = DONE;
            stack.pop();
        }
    }
    Ok(value[0])
}

/// The best action at a player's information set given its members' children values.
fn decide(tree: &Tree, set: InfosetId, value: &[f64]) -> usize {
    let k = tree.infosets[set.ix()].n_actions as usize;
    let mut best = 0;
    let mut best_v = f64::NEG_INFINITY;
    for a in 0..k {
        let v: f64 = tree
            .members(set)
            .iter()
            .map(|m| value[tree.nodes[m.ix()].first_child as usize + a])
            .sum();
        if v > best_v {
            best_v = v;
            best = a;
        }
    }
    best
}

fn no_recall(tree: &Tree, kind: NodeKind, player: PlayerId) -> RegretError {
    let infoset = match kind {
        NodeKind::Decision { infoset, .. } => tree.infoset_display(infoset).to_string(),
        _ => String::from("?"),
    };
    RegretError::NoPerfectRecall {
        player: tree.players[player.ix()].clone(),
        infoset,
    }
}

/// A pure behaviour profile (probability 1 on `choice[set]` at every information set).
pub fn pure_profile(tree: &Tree, choice: &[usize]) -> Vec<f64> {
    let mut p = vec![0.0; tree.n_actions()];
    for (s, set) in tree.infosets.iter().enumerate() {
        p[set.first_action as usize + choice[s]] = 1.0;
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::tree::TreeBuilder;
    use std::sync::Arc;

    /// Matching pennies as a tree: player 2 cannot see player 1's move.
    fn pennies() -> Game {
        let mut b = TreeBuilder::new("mp", vec!["1".into(), "2".into()]);
        let r = b.decision("r", PlayerId(0), None);
        let h = b.decision("h", PlayerId(1), Some("I".into()));
        let t = b.decision("t", PlayerId(1), Some("I".into()));
        b.add_move(r, "H", None, h).unwrap();
        b.add_move(r, "T", None, t).unwrap();
        for x in [h, t] {
            for lab in ["H", "T"] {
                let l = b.terminal("", vec![]);
                b.add_move(x, lab, None, l).unwrap();
            }
        }
        let tree = Arc::new(b.finish(r).unwrap().tree);
        let mut g = Game::zeroed(tree);
        // leaves in BFS order: hH, hT, tH, tT
        g.payoffs = vec![1., -1., -1., 1., -1., 1., 1., -1.];
        g
    }

    #[test]
    fn pennies_regret() {
        let g = pennies();
        let half = vec![0.5; 4];
        assert!(max_regret(&g, &half).unwrap() < 1e-12);
        // P1 plays H; P2 plays H: P1 fine, P2 gains 2 by switching to T (infoset-wide).
        let pure = vec![1.0, 0.0, 1.0, 0.0];
        let r = regrets(&g, &pure).unwrap();
        assert!(r[0].abs() < 1e-12);
        assert!((r[1] - 2.0).abs() < 1e-12);
        // P2's best response must respect the information set: against 50/50, nothing to gain.
        let p = vec![0.5, 0.5, 1.0, 0.0];
        assert!(regrets(&g, &p).unwrap()[1].abs() < 1e-12);
    }

    #[test]
    fn expected_and_events() {
        let g = pennies();
        let e = expected_payoffs(&g, &[0.5; 4]);
        assert!(e[0].abs() < 1e-12 && e[1].abs() < 1e-12);
    }
}
