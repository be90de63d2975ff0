//! Perfect recall: does every player remember everything it knew and did?
//!
//! A player has perfect recall when all nodes of each of its information sets are reached by
//! the same sequence of its own moves (information set and action, in order). Behaviour
//! strategies, the sequence form, backward induction and the regret certificate of
//! [`profile`](super::profile) rely on it; without it (a player forgets a move, or reaches an
//! information set twice on one path) only mixed strategies over the strategic form are
//! meaningful. Games are checked once, when loaded, so solvers that need perfect recall refuse
//! up front and the others can report mixed strategies.
//!
//! The check interns each node's own-move history per player (a hash-consed sequence id), so it
//! is one loop over the breadth-first arena.

use super::ids::{InfosetId, NodeId, PlayerId};
use super::tree::{NodeKind, Tree};
use std::collections::HashMap;

/// A move of a player: its information set and the action's index there.
pub type Move = (InfosetId, usize);

/// Where and how a player forgets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImperfectRecall {
    /// The forgetful player.
    pub player: PlayerId,
    /// The information set whose members the player reaches by different own histories.
    pub infoset: InfosetId,
    /// A member of the set.
    pub first: NodeId,
    /// Another member, reached by a different history of the player's own moves.
    pub second: NodeId,
    /// The two histories differ first here: the move taken on the way to `first` and to
    /// `second` (information set and action; `None` where the history has already ended).
    pub differ: (Option<Move>, Option<Move>),
    /// `second` lies below `first` (the set is reached twice on one path).
    pub absent_minded: bool,
}

impl ImperfectRecall {
    /// A sentence for people, naming the player, the set, the nodes and the forgotten move.
    pub fn describe(&self, tree: &Tree) -> String {
        let player = &tree.players[self.player.ix()];
        let set = tree.infoset_display(self.infoset);
        let a = tree.node_label(self.first);
        let b = tree.node_label(self.second);
        if self.absent_minded {
            return format!(
                "player {player} does not have perfect recall at information set `{set}`: the set \
                 is reached twice on one path (node `{b}` lies below node `{a}`)"
            );
        }
        let mv = |m: Option<Move>| match m {
            Some((s, act)) => format!(
                "after its move `{}` at `{}`",
                tree.action_label(s, act),
                tree.infoset_display(s)
            ),
            None => "without that move".to_string(),
        };
        let (da, db) = self.differ;
        format!(
            "player {player} does not have perfect recall at information set `{set}`: it cannot \
             tell apart nodes `{a}` and `{b}`, though it reaches `{a}` {} and `{b}` {}",
            mv(da),
            mv(db)
        )
    }
}

/// One interned history: the previous history and the move that extends it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Step {
    prev: u32,
    set: u32,
    action: u32,
}

/// Checks every player's recall; the first violation found (in information-set order).
pub fn check(tree: &Tree) -> Result<(), ImperfectRecall> {
    let n = tree.nodes.len();
    let np = tree.n_players();
    if n == 0 || tree.is_perfect_information() {
        return Ok(());
    }
    // History 0 is the empty one; steps[h] is how history h + 1 extends its predecessor.
    let mut steps: Vec<Step> = Vec::new();
    let mut ids: HashMap<Step, u32> = HashMap::new();
    let mut hist = vec![0u32; n * np];
    for (i, node) in tree.nodes.iter().enumerate() {
        for (a, c) in node.children().enumerate() {
            for p in 0..np {
                hist[c * np + p] = hist[i * np + p];
            }
            if let NodeKind::Decision { player, infoset } = node.kind {
                let step = Step {
                    prev: hist[i * np + player.ix()],
                    set: infoset.0,
                    action: a as u32,
                };
                let id = *ids.entry(step).or_insert_with(|| {
                    steps.push(step);
                    steps.len() as u32
                });
                hist[c * np + player.ix()] = id;
            }
        }
    }
    for (s, set) in tree.infosets.iter().enumerate() {
        let set_id = InfosetId::from(s);
        let members = tree.members(set_id);
        let p = set.player.ix();
        let h0 = hist[members[0].ix() * np + p];
        if let Some(&other) = members[1..].iter().find(|m| hist[m.ix() * np + p] != h0) {
            let h1 = hist[other.ix() * np + p];
            let (first, second, ha, hb) = (members[0], other, h0, h1);
            let chain = |mut h: u32| {
                let mut out = Vec::new();
                while h != 0 {
                    let st = steps[h as usize - 1];
                    out.push((InfosetId(st.set), st.action as usize));
                    h = st.prev;
                }
                out.reverse();
                out
            };
            let (ca, cb) = (chain(ha), chain(hb));
            let k = ca.iter().zip(&cb).take_while(|(x, y)| x == y).count();
            let absent_minded = is_below(tree, second, first) || is_below(tree, first, second);
            let (first, second) = if is_below(tree, first, second) {
                (second, first)
            } else {
                (first, second)
            };
            return Err(ImperfectRecall {
                player: set.player,
                infoset: set_id,
                first,
                second,
                differ: (ca.get(k).copied(), cb.get(k).copied()),
                absent_minded,
            });
        }
    }
    Ok(())
}

/// True if `node` lies strictly below `ancestor`.
fn is_below(tree: &Tree, node: NodeId, ancestor: NodeId) -> bool {
    let mut cur = tree.node(node).parent();
    while let Some(p) = cur {
        if p == ancestor {
            return true;
        }
        // Parents have smaller ids (breadth-first numbering): stop once above the ancestor.
        if p.0 < ancestor.0 {
            return false;
        }
        cur = tree.node(p).parent();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::examples::kuhn_poker;
    use crate::game::TreeBuilder;

    #[test]
    fn kuhn_has_perfect_recall() {
        assert_eq!(check(&kuhn_poker().tree), Ok(()));
    }

    /// Player 1 moves, then moves again without remembering its first move.
    fn forgetful() -> Tree {
        let mut b = TreeBuilder::new("f", vec!["A".into()]);
        let r = b.decision("r", PlayerId(0), None);
        let x = b.decision("x", PlayerId(0), Some("I".into()));
        let y = b.decision("y", PlayerId(0), Some("I".into()));
        b.add_move(r, "l", None, x).unwrap();
        b.add_move(r, "r", None, y).unwrap();
        for n in [x, y] {
            for a in ["u", "d"] {
                let t = b.terminal("", vec![]);
                b.add_move(n, a, None, t).unwrap();
            }
        }
        b.finish(r).unwrap().tree
    }

    #[test]
    fn a_forgotten_move_is_named() {
        let t = forgetful();
        let e = check(&t).unwrap_err();
        assert!(!e.absent_minded);
        let msg = e.describe(&t);
        assert!(msg.contains("`x` and `y`"), "{msg}");
        assert!(
            msg.contains("move `l` at `r`") && msg.contains("move `r` at `r`"),
            "{msg}"
        );
    }

    #[test]
    fn absent_mindedness_is_named() {
        // The driver who cannot tell the first exit from the second.
        let mut b = TreeBuilder::new("driver", vec!["D".into()]);
        let x = b.decision("x", PlayerId(0), Some("I".into()));
        let y = b.decision("y", PlayerId(0), Some("I".into()));
        let e1 = b.terminal("exit1", vec![]);
        let e2 = b.terminal("exit2", vec![]);
        let go = b.terminal("go", vec![]);
        b.add_move(x, "exit", None, e1).unwrap();
        b.add_move(x, "continue", None, y).unwrap();
        b.add_move(y, "exit", None, e2).unwrap();
        b.add_move(y, "continue", None, go).unwrap();
        let t = b.finish(x).unwrap().tree;
        let e = check(&t).unwrap_err();
        assert!(e.absent_minded);
        assert!(
            e.describe(&t).contains("reached twice"),
            "{}",
            e.describe(&t)
        );
    }
}
