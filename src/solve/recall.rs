//! Perfect recall, checked up front.
//!
//! A player has perfect recall when all nodes of each of its information sets are preceded by
//! the same sequence of its own moves. By induction over the tree it is enough that they share
//! the player's *last* own move (information set and action), which one top-down pass computes
//! for every node and player. This also catches absent-mindedness (a set met twice on one
//! path: the later member's last own move is at the set itself, the earlier member's is not).
//! Behaviour-strategy certificates (best responses information set by information set) need
//! perfect recall, so behaviour-strategy methods refuse games without it before doing any work.

use crate::game::{InfosetId, NodeKind, PlayerId, Tree};

/// The first information set (and its player) whose members differ in the player's own
/// earlier moves, if any.
pub fn first_violation(tree: &Tree) -> Option<(PlayerId, InfosetId)> {
    let np = tree.n_players();
    let n = tree.nodes.len();
    // last[node * np + p]: 1 + the action index (in the behaviour profile) of p's last move
    // before `node`, or 0 if p has not moved.
    let mut last = vec![0u32; n * np];
    for (i, node) in tree.nodes.iter().enumerate() {
        for (k, c) in node.children().enumerate() {
            for p in 0..np {
                last[c * np + p] = last[i * np + p];
            }
            if let NodeKind::Decision { player, infoset } = node.kind {
                let a = tree.infosets[infoset.ix()].first_action + k as u32;
                last[c * np + player.ix()] = a + 1;
            }
        }
    }
    for (s, set) in tree.infosets.iter().enumerate() {
        let members = tree.members(InfosetId::from(s));
        let p = set.player.ix();
        let first = last[members[0].ix() * np + p];
        if members.iter().any(|h| last[h.ix() * np + p] != first) {
            return Some((set.player, InfosetId::from(s)));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::TreeBuilder;

    #[test]
    fn forgetting_ones_own_move_is_detected() {
        // Player 1 moves, then moves again without seeing its first move.
        let mut b = TreeBuilder::new("forget", vec!["1".into()]);
        let r = b.decision("r", PlayerId(0), None);
        let x = b.decision("x", PlayerId(0), Some("I".into()));
        let y = b.decision("y", PlayerId(0), Some("I".into()));
        b.add_move(r, "L", None, x).unwrap();
        b.add_move(r, "R", None, y).unwrap();
        for n in [x, y] {
            for m in ["l", "r"] {
                let t = b.terminal("", vec![]);
                b.add_move(n, m, None, t).unwrap();
            }
        }
        let tree = b.finish(r).unwrap().tree;
        assert_eq!(first_violation(&tree).map(|v| v.0), Some(PlayerId(0)));
        // The same shape with the second move by another player is perfect recall.
        let mut b = TreeBuilder::new("ok", vec!["1".into(), "2".into()]);
        let r = b.decision("r", PlayerId(0), None);
        let x = b.decision("x", PlayerId(1), Some("I".into()));
        let y = b.decision("y", PlayerId(1), Some("I".into()));
        b.add_move(r, "L", None, x).unwrap();
        b.add_move(r, "R", None, y).unwrap();
        for n in [x, y] {
            for m in ["l", "r"] {
                let t = b.terminal("", vec![]);
                b.add_move(n, m, None, t).unwrap();
            }
        }
        assert_eq!(first_violation(&b.finish(r).unwrap().tree), None);
    }
}
