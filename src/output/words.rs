//! Equilibria in words: the path of play, the outcome reached, each node's strategy.
//!
//! These are the sentences every front end shares — `deter solve`'s text output, sweep rows,
//! reports — so the wording lives in one place. They read a behaviour profile on a [`Tree`] and
//! never recompute anything a solver decides.

use crate::game::profile::reach_probabilities;
use crate::game::tree::{NodeKind, Tree};
use crate::game::{Game, NodeId};

/// Formats a number for people and golden files: at most 6 decimals, trailing zeros trimmed,
/// no negative zero.
pub fn num(x: f64) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    let s = format!("{:.6}", x);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" || s.is_empty() {
        "0".into()
    } else {
        s.to_string()
    }
}

/// One reached outcome and the moves leading to it.
#[derive(Clone, Debug, PartialEq)]
pub struct Play {
    /// Probability that play ends here.
    pub prob: f64,
    /// The terminal node.
    pub leaf: NodeId,
    /// The moves from the root, as node ids (the nodes entered).
    pub moves: Vec<NodeId>,
}

/// Phrase for the move into `child`: "Protege hedges", "Nature: hard".
pub fn move_phrase(tree: &Tree, child: NodeId) -> String {
    let parent = tree.node(child).parent().unwrap_or(Tree::ROOT);
    let label = &tree.move_labels[child.ix()];
    let phrase = tree.move_phrases[child.ix()].as_deref();
    match tree.node(parent).kind {
        NodeKind::Decision { player, .. } => {
            let who = &tree.players[player.ix()];
            match phrase {
                Some(p) => format!("{who} {p}"),
                None => format!("{who}: {label}"),
            }
        }
        _ => match phrase {
            Some(p) => format!("Nature: {p}"),
            None => format!("Nature: {label}"),
        },
    }
}

/// Every outcome reached with positive probability, most likely first (ties by node order).
pub fn plays(game: &Game, profile: &[f64]) -> Vec<Play> {
    let tree = &*game.tree;
    let reach = reach_probabilities(game, profile);
    let mut out = Vec::new();
    for leaf in &tree.leaves {
        let p = reach[leaf.node.ix()];
        if p > 1e-12 {
            let mut moves = Vec::new();
            let mut cur = leaf.node;
            while let Some(par) = tree.node(cur).parent() {
                moves.push(cur);
                cur = par;
            }
            moves.reverse();
            out.push(Play {
                prob: p,
                leaf: leaf.node,
                moves,
            });
        }
    }
    out.sort_by(|a, b| b.prob.total_cmp(&a.prob).then(a.leaf.cmp(&b.leaf)));
    out
}

/// A play in words: "Protege hedges → Challenger does not challenge".
pub fn play_sentence(tree: &Tree, play: &Play) -> String {
    play.moves
        .iter()
        .map(|&c| move_phrase(tree, c))
        .collect::<Vec<_>>()
        .join(" → ")
}

/// The path of play in words; several lines when play is random.
pub fn path_in_words(game: &Game, profile: &[f64]) -> String {
    let ps = plays(game, profile);
    if ps.len() == 1 {
        return play_sentence(&game.tree, &ps[0]);
    }
    ps.iter()
        .map(|p| format!("[{}] {}", num(p.prob), play_sentence(&game.tree, p)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A short outcome label: the reached outcome's name, or `name (p) + name (p)` when random.
pub fn outcome_label(game: &Game, profile: &[f64]) -> String {
    let ps = plays(game, profile);
    if ps.len() == 1 {
        return game.tree.node_names[ps[0].leaf.ix()].clone();
    }
    ps.iter()
        .map(|p| format!("{} ({})", game.tree.node_names[p.leaf.ix()], num(p.prob)))
        .collect::<Vec<_>>()
        .join(" + ")
}

/// One node's strategy: who moves, each move's probability, whether play reaches it.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeStrategy {
    /// The decision node.
    pub node: NodeId,
    /// Probability of each move, in move order.
    pub probs: Vec<(String, f64)>,
    /// True if the node is reached with positive probability.
    pub on_path: bool,
}

/// The strategy at every decision node, in node order (on and off the path).
pub fn node_strategies(game: &Game, profile: &[f64]) -> Vec<NodeStrategy> {
    let tree = &*game.tree;
    let reach = reach_probabilities(game, profile);
    let mut out = Vec::new();
    for (i, n) in tree.nodes.iter().enumerate() {
        if let NodeKind::Decision { infoset, .. } = n.kind {
            let s = &tree.infosets[infoset.ix()];
            let probs = n
                .children()
                .enumerate()
                .map(|(a, c)| {
                    (
                        tree.move_labels[c].clone(),
                        profile[s.first_action as usize + a],
                    )
                })
                .collect();
            out.push(NodeStrategy {
                node: NodeId::from(i),
                probs,
                on_path: reach[i] > 1e-12,
            });
        }
    }
    out
}

/// A strategy in words: `hedge`, or `hedge 0.25, align 0.75` when mixed.
pub fn strategy_words(s: &NodeStrategy) -> String {
    let pure: Vec<&(String, f64)> = s.probs.iter().filter(|(_, p)| *p > 1e-12).collect();
    if pure.len() == 1 && (pure[0].1 - 1.0).abs() < 1e-9 {
        return pure[0].0.clone();
    }
    pure.iter()
        .map(|(m, p)| format!("{m} {}", num(*p)))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(num(0.1), "0.1");
        assert_eq!(num(-0.0), "0");
        assert_eq!(num(-1e-9), "0");
        assert_eq!(num(1.5), "1.5");
        assert_eq!(num(-0.7000000000001), "-0.7");
        assert_eq!(num(2.0), "2");
    }
}
