//! The immutable game-tree arena and the builder that produces it.
//!
//! A [`Tree`] is built once per model and shared (behind an `Arc`) by every numeric [`Game`]
//! instantiated from it, so a sweep over a million parameter points never rebuilds structure.
//! Nodes are numbered breadth-first: children of a node are consecutive ids, every child has a
//! larger id than its parent, and so iterating ids in reverse visits children before parents.
//! That order is what lets every traversal in the crate be a plain loop — no recursion, hence no
//! stack overflow on a chain a million moves deep.
//!
//! Per-node data used by solvers (`Node`) is kept small and `Copy`; names and labels live in
//! side tables that solvers never touch, each distinct string stored once ([`Labels`]).
//!
//! [`Game`]: crate::game::Game

use super::ids::{EventId, InfosetId, LeafId, NodeId, PlayerId};
use super::labels::{Labels, LabelsBuilder};
use std::collections::HashMap;

/// Sentinel for "no parent" in [`Node::parent`].
pub const NO_PARENT: u32 = u32::MAX;

/// What happens at a node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    /// A player moves; the node belongs to an information set of that player.
    Decision {
        /// The mover.
        player: PlayerId,
        /// The information set (a singleton in perfect-information games).
        infoset: InfosetId,
    },
    /// Nature moves with the probabilities held by the numeric [`Game`](crate::game::Game).
    Chance,
    /// The game ends; payoffs are held by the numeric game.
    Terminal {
        /// Index into [`Tree::leaves`].
        leaf: LeafId,
    },
}

/// One node of the arena (24 bytes, `Copy`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Node {
    /// Decision, chance or terminal.
    pub kind: NodeKind,
    /// The parent's id, or [`NO_PARENT`] at the root.
    pub parent: u32,
    /// Id of the first child; children are `first_child .. first_child + n_children`.
    pub first_child: u32,
    /// Number of children (moves). Zero exactly at terminal nodes.
    pub n_children: u32,
}

impl Node {
    /// The ids of this node's children, in move order.
    #[inline(always)]
    pub fn children(&self) -> std::ops::Range<usize> {
        self.first_child as usize..(self.first_child + self.n_children) as usize
    }

    /// The parent, if any.
    #[inline(always)]
    pub fn parent(&self) -> Option<NodeId> {
        (self.parent != NO_PARENT).then_some(NodeId(self.parent))
    }
}

/// An information set: decision nodes of one player that the player cannot tell apart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Infoset {
    /// The player who moves.
    pub player: PlayerId,
    /// Number of actions (the same at every member node).
    pub n_actions: u32,
    /// Offset of this set's first action in a behaviour-profile vector
    /// (see [`Tree::n_actions`]).
    pub first_action: u32,
    /// Offset of this set's first member in [`Tree::infoset_members`].
    pub first_member: u32,
    /// Number of member nodes.
    pub n_members: u32,
}

/// A terminal node and its tags.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Leaf {
    /// The terminal node.
    pub node: NodeId,
    /// Event tags of the outcome at this leaf.
    pub events: Vec<EventId>,
}

/// The immutable structure of an extensive-form game.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tree {
    /// Title of the game.
    pub title: String,
    /// Player names, in the model's order (payoff vectors follow this order).
    pub players: Vec<String>,
    /// How sentences and figures name each player (the model's display names; by default the
    /// same as [`Tree::players`], which JSON and CSV keep as keys).
    pub player_names: Vec<String>,
    /// The arena, breadth-first; `nodes[0]` is the root.
    pub nodes: Vec<Node>,
    /// Information sets of the players (chance has none).
    pub infosets: Vec<Infoset>,
    /// Members of all information sets, grouped by set.
    pub infoset_members: Vec<NodeId>,
    /// Terminal nodes in id order.
    pub leaves: Vec<Leaf>,
    /// Event tag names.
    pub events: Vec<String>,
    /// Name of each node (the model's node or outcome name; may be empty).
    pub node_names: Labels,
    /// Label of the move leading into each node (empty at the root).
    pub move_labels: Labels,
    /// Optional phrase for the move leading into each node ("hedges"), used in prose.
    pub move_phrases: Labels<Option<String>>,
    /// Name of each information set (may be empty).
    pub infoset_names: Vec<String>,
}

impl Tree {
    /// The root node (always id 0).
    pub const ROOT: NodeId = NodeId(0);

    /// Number of players (chance excluded).
    #[inline(always)]
    pub fn n_players(&self) -> usize {
        self.players.len()
    }

    /// Total number of actions over all information sets: the length of a behaviour profile.
    pub fn n_actions(&self) -> usize {
        self.infosets
            .last()
            .map_or(0, |s| (s.first_action + s.n_actions) as usize)
    }

    /// The node with this id.
    #[inline(always)]
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.ix()]
    }

    /// Members of an information set.
    pub fn members(&self, set: InfosetId) -> &[NodeId] {
        let s = &self.infosets[set.ix()];
        &self.infoset_members[s.first_member as usize..(s.first_member + s.n_members) as usize]
    }

    /// Label of action `a` of an information set (taken from its first member's children).
    pub fn action_label(&self, set: InfosetId, a: usize) -> &str {
        let first = self.members(set)[0];
        let child = self.node(first).first_child as usize + a;
        &self.move_labels[child]
    }

    /// True if every information set is a singleton.
    pub fn is_perfect_information(&self) -> bool {
        self.infosets.iter().all(|s| s.n_members == 1)
    }

    /// The first information set with more than one member, if any.
    pub fn first_nonsingleton_infoset(&self) -> Option<InfosetId> {
        self.infosets
            .iter()
            .position(|s| s.n_members > 1)
            .map(InfosetId::from)
    }

    /// Index of the event with this name.
    pub fn event_id(&self, name: &str) -> Option<EventId> {
        self.events
            .iter()
            .position(|e| e == name)
            .map(EventId::from)
    }

    /// Index of the player with this name.
    pub fn player_id(&self, name: &str) -> Option<PlayerId> {
        self.players
            .iter()
            .position(|p| p == name)
            .map(PlayerId::from)
    }

    /// Which child of its parent a node is (its action index), or `None` at the root.
    pub fn action_index(&self, id: NodeId) -> Option<usize> {
        let n = self.node(id);
        n.parent()
            .map(|p| id.ix() - self.node(p).first_child as usize)
    }

    /// A display name for a node: its own name, or (for unnamed nodes, common in Gambit files)
    /// its information set's name and id, or `#id`.
    pub fn node_label(&self, id: NodeId) -> String {
        self.node_label_shown(id).to_string()
    }

    /// [`Tree::node_label`] without the allocation, for writers of big outputs.
    pub fn node_label_shown(&self, id: NodeId) -> NodeLabel<'_> {
        NodeLabel { tree: self, id }
    }

    /// A display name for an information set: its own name, else its first member's name,
    /// else (unnamed sets are common in Gambit files) `#N`, its number in the arena.
    pub fn infoset_display(&self, set: InfosetId) -> String {
        let name = &self.infoset_names[set.ix()];
        let first = &self.node_names[self.members(set)[0].ix()];
        if !name.is_empty() {
            name.clone()
        } else if !first.is_empty() {
            first.clone()
        } else {
            format!("#{}", set.0)
        }
    }
}

/// Why a [`TreeBuilder`] could not produce a tree.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TreeError {
    /// A node is the child of two moves (or of a move and the root).
    #[error("node `{0}` is reached by more than one move")]
    ReachedTwice(String),
    /// Following moves from a node leads back to it.
    #[error("node `{0}` is part of a cycle")]
    Cycle(String),
    /// A decision or chance node has no moves.
    #[error("node `{0}` has no moves")]
    NoMoves(String),
    /// Members of one information set disagree.
    #[error("information set `{set}`: {why}")]
    Infoset {
        /// The set's name.
        set: String,
        /// What differs.
        why: String,
    },
    /// A player index is out of range.
    #[error("node `{0}` names a player that does not exist")]
    BadPlayer(String),
    /// Too many nodes for 32-bit ids.
    #[error("the tree has more than 4 billion nodes")]
    TooLarge,
}

/// What a builder node is.
#[derive(Clone, Debug)]
enum BKind {
    Decision {
        player: PlayerId,
        infoset: Option<String>,
    },
    Chance,
    Terminal {
        events: Vec<String>,
    },
}

#[derive(Clone, Debug)]
struct BNode {
    name: String,
    kind: BKind,
    children: Vec<usize>,
}

#[derive(Clone, Debug)]
struct BEdge {
    label: String,
    phrase: Option<String>,
}

/// The result of [`TreeBuilder::finish`]: the tree and where each builder node went.
#[derive(Clone, Debug)]
pub struct Built {
    /// The tree.
    pub tree: Tree,
    /// `node_of[b]` is the arena id of builder node `b`, or `None` if it was unreachable.
    pub node_of: Vec<Option<NodeId>>,
}

/// Builds a [`Tree`] from nodes added in any order; `finish` renumbers them breadth-first.
///
/// Builder nodes are addressed by the `usize` returned when they are added. Decision nodes that
/// name the same information-set key share an information set; `None` makes a singleton.
#[derive(Clone, Debug, Default)]
pub struct TreeBuilder {
    title: String,
    players: Vec<String>,
    player_names: Option<Vec<String>>,
    nodes: Vec<BNode>,
    /// Edge into node b (label, phrase); set by `add_move`.
    edge_in: Vec<Option<BEdge>>,
}

impl TreeBuilder {
    /// A builder for a game with these players.
    pub fn new(title: impl Into<String>, players: Vec<String>) -> Self {
        TreeBuilder {
            title: title.into(),
            players,
            player_names: None,
            nodes: Vec::new(),
            edge_in: Vec::new(),
        }
    }

    /// How sentences and figures name the players (one per player; see [`Tree::player_names`]).
    pub fn set_player_names(&mut self, names: Vec<String>) {
        if names.len() == self.players.len() {
            self.player_names = Some(names);
        }
    }

    fn push(&mut self, name: String, kind: BKind) -> usize {
        self.nodes.push(BNode {
            name,
            kind,
            children: Vec::new(),
        });
        self.edge_in.push(None);
        self.nodes.len() - 1
    }

    /// Adds a decision node of `player`, in the information set keyed `infoset` (or a singleton).
    pub fn decision(
        &mut self,
        name: impl Into<String>,
        player: PlayerId,
        infoset: Option<String>,
    ) -> usize {
        self.push(name.into(), BKind::Decision { player, infoset })
    }

    /// Adds a chance node.
    pub fn chance(&mut self, name: impl Into<String>) -> usize {
        self.push(name.into(), BKind::Chance)
    }

    /// Adds a terminal node with event tags.
    pub fn terminal(&mut self, name: impl Into<String>, events: Vec<String>) -> usize {
        self.push(name.into(), BKind::Terminal { events })
    }

    /// Adds a move from `parent` to `child`, after the parent's earlier moves.
    pub fn add_move(
        &mut self,
        parent: usize,
        label: impl Into<String>,
        phrase: Option<String>,
        child: usize,
    ) -> Result<(), TreeError> {
        if self.edge_in[child].is_some() {
            return Err(TreeError::ReachedTwice(self.nodes[child].name.clone()));
        }
        self.edge_in[child] = Some(BEdge {
            label: label.into(),
            phrase,
        });
        self.nodes[parent].children.push(child);
        Ok(())
    }

    /// Number of nodes added so far.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// True if no node was added.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Renumbers breadth-first from `root`, groups information sets and checks the structure.
    /// Nodes not reachable from `root` are dropped (`node_of` is `None` for them).
    pub fn finish(self, root: usize) -> Result<Built, TreeError> {
        if self.nodes.len() >= u32::MAX as usize {
            return Err(TreeError::TooLarge);
        }
        if self.edge_in[root].is_some() {
            return Err(TreeError::Cycle(self.nodes[root].name.clone()));
        }
        let n_players = self.players.len();
        // Breadth-first order; a node can only be entered once (checked in add_move), so a
        // visit count above the node count cannot happen and cycles not through the root are
        // unreachable from it.
        let mut order: Vec<usize> = Vec::with_capacity(self.nodes.len());
        let mut node_of: Vec<Option<NodeId>> = vec![None; self.nodes.len()];
        order.push(root);
        node_of[root] = Some(NodeId(0));
        let mut head = 0;
        while head < order.len() {
            let b = order[head];
            head += 1;
            for &c in &self.nodes[b].children {
                if node_of[c].is_some() {
                    return Err(TreeError::Cycle(self.nodes[c].name.clone()));
                }
                node_of[c] = Some(NodeId::from(order.len()));
                order.push(c);
            }
        }

        let mut nodes = Vec::with_capacity(order.len());
        let mut node_names = LabelsBuilder::with_capacity(order.len());
        let mut move_labels = LabelsBuilder::with_capacity(order.len());
        let mut move_phrases = LabelsBuilder::with_capacity(order.len());
        let mut leaves = Vec::new();
        let mut events: Vec<String> = Vec::new();
        let mut event_ix: HashMap<String, EventId> = HashMap::new();
        // infoset key -> (id, player, first builder node)
        let mut set_of_key: HashMap<String, InfosetId> = HashMap::new();
        let mut set_members: Vec<Vec<NodeId>> = Vec::new();
        let mut set_player: Vec<PlayerId> = Vec::new();
        let mut set_names: Vec<String> = Vec::new();

        for (i, &b) in order.iter().enumerate() {
            let bn = &self.nodes[b];
            let id = NodeId::from(i);
            let first_child = bn
                .children
                .first()
                .map_or(0, |&c| node_of[c].map_or(0, |n| n.0));
            let n_children = bn.children.len() as u32;
            let parent = NO_PARENT; // filled in below from the children ranges
            let kind = match &bn.kind {
                BKind::Decision { player, infoset } => {
                    if player.ix() >= n_players {
                        return Err(TreeError::BadPlayer(bn.name.clone()));
                    }
                    if n_children == 0 {
                        return Err(TreeError::NoMoves(bn.name.clone()));
                    }
                    let set = match infoset {
                        Some(key) => *set_of_key.entry(key.clone()).or_insert_with(|| {
                            set_members.push(Vec::new());
                            set_player.push(*player);
                            set_names.push(key.clone());
                            InfosetId::from(set_members.len() - 1)
                        }),
                        None => {
                            set_members.push(Vec::new());
                            set_player.push(*player);
                            set_names.push(String::new());
                            InfosetId::from(set_members.len() - 1)
                        }
                    };
                    if set_player[set.ix()] != *player {
                        return Err(TreeError::Infoset {
                            set: set_names[set.ix()].clone(),
                            why: format!(
                                "node `{}` is moved by {}, other members by {}",
                                bn.name,
                                self.players[player.ix()],
                                self.players[set_player[set.ix()].ix()]
                            ),
                        });
                    }
                    set_members[set.ix()].push(id);
                    NodeKind::Decision {
                        player: *player,
                        infoset: set,
                    }
                }
                BKind::Chance => {
                    if n_children == 0 {
                        return Err(TreeError::NoMoves(bn.name.clone()));
                    }
                    NodeKind::Chance
                }
                BKind::Terminal { events: tags } => {
                    let mut ev = Vec::with_capacity(tags.len());
                    for t in tags {
                        let e = *event_ix.entry(t.clone()).or_insert_with(|| {
                            events.push(t.clone());
                            EventId::from(events.len() - 1)
                        });
                        if !ev.contains(&e) {
                            ev.push(e);
                        }
                    }
                    leaves.push(Leaf {
                        node: id,
                        events: ev,
                    });
                    NodeKind::Terminal {
                        leaf: LeafId::from(leaves.len() - 1),
                    }
                }
            };
            nodes.push(Node {
                kind,
                parent,
                first_child,
                n_children,
            });
            node_names.push(bn.name.clone());
            let e = self.edge_in[b].as_ref();
            move_labels.push(e.map_or(String::new(), |e| e.label.clone()));
            move_phrases.push(e.and_then(|e| e.phrase.clone()));
        }
        let (node_names, move_labels) = (node_names.finish(), move_labels.finish());
        // Parents: set from the children ranges.
        for i in 0..nodes.len() {
            let r = nodes[i].children();
            for c in r {
                nodes[c].parent = i as u32;
            }
        }

        // Information sets: equal move counts and labels.
        let mut infosets = Vec::with_capacity(set_members.len());
        let mut infoset_members = Vec::new();
        let mut first_action = 0u32;
        for (s, members) in set_members.iter().enumerate() {
            let n0 = &nodes[members[0].ix()];
            let labels0: Vec<&str> = n0.children().map(|c| move_labels[c].as_str()).collect();
            for &m in &members[1..] {
                let labels: Vec<&str> = nodes[m.ix()]
                    .children()
                    .map(|c| move_labels[c].as_str())
                    .collect();
                if labels != labels0 {
                    return Err(TreeError::Infoset {
                        set: set_names[s].clone(),
                        why: format!(
                            "node `{}` has moves [{}] but node `{}` has [{}]",
                            node_names[members[0].ix()],
                            labels0.join(", "),
                            node_names[m.ix()],
                            labels.join(", ")
                        ),
                    });
                }
            }
            infosets.push(Infoset {
                player: set_player[s],
                n_actions: n0.n_children,
                first_action,
                first_member: infoset_members.len() as u32,
                n_members: members.len() as u32,
            });
            first_action += n0.n_children;
            infoset_members.extend_from_slice(members);
        }

        Ok(Built {
            tree: Tree {
                title: self.title,
                player_names: self.player_names.unwrap_or_else(|| self.players.clone()),
                players: self.players,
                nodes,
                infosets,
                infoset_members,
                leaves,
                events,
                node_names,
                move_labels,
                move_phrases: move_phrases.finish(),
                infoset_names: set_names,
            },
            node_of,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breadth_first_numbering_and_parents() {
        let mut b = TreeBuilder::new("t", vec!["A".into(), "B".into()]);
        let r = b.decision("r", PlayerId(0), None);
        let x = b.decision("x", PlayerId(1), None);
        let l1 = b.terminal("l1", vec!["war".into()]);
        let l2 = b.terminal("l2", vec![]);
        let l3 = b.terminal("l3", vec!["war".into()]);
        b.add_move(r, "go", None, x).unwrap();
        b.add_move(r, "stop", None, l1).unwrap();
        b.add_move(x, "a", None, l2).unwrap();
        b.add_move(x, "b", Some("fights".into()), l3).unwrap();
        let t = b.finish(r).unwrap().tree;
        assert_eq!(t.nodes.len(), 5);
        assert_eq!(t.node(NodeId(0)).children(), 1..3);
        assert_eq!(t.node_names[1], "x");
        assert_eq!(t.node(NodeId(3)).parent(), Some(NodeId(1)));
        assert_eq!(t.leaves.len(), 3);
        assert_eq!(t.events, vec!["war".to_string()]);
        assert_eq!(t.n_actions(), 4);
        assert!(t.is_perfect_information());
        assert_eq!(t.action_index(NodeId(4)), Some(1));
    }

    #[test]
    fn node_reached_twice_is_refused() {
        let mut b = TreeBuilder::new("t", vec!["A".into()]);
        let r = b.decision("r", PlayerId(0), None);
        let l = b.terminal("l", vec![]);
        b.add_move(r, "a", None, l).unwrap();
        assert_eq!(
            b.add_move(r, "b", None, l),
            Err(TreeError::ReachedTwice("l".into()))
        );
    }

    #[test]
    fn infoset_with_different_moves_is_refused() {
        let mut b = TreeBuilder::new("t", vec!["A".into(), "B".into()]);
        let r = b.decision("r", PlayerId(0), None);
        let x = b.decision("x", PlayerId(1), Some("I".into()));
        let y = b.decision("y", PlayerId(1), Some("I".into()));
        b.add_move(r, "l", None, x).unwrap();
        b.add_move(r, "r", None, y).unwrap();
        for (n, lab) in [(x, "u"), (y, "v")] {
            let t = b.terminal("t", vec![]);
            b.add_move(n, lab, None, t).unwrap();
        }
        assert!(matches!(b.finish(r), Err(TreeError::Infoset { .. })));
    }
}

/// A node's display name (see [`Tree::node_label`]), written when formatted.
#[derive(Clone, Copy)]
pub struct NodeLabel<'a> {
    tree: &'a Tree,
    id: NodeId,
}

impl std::fmt::Display for NodeLabel<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (t, id) = (self.tree, self.id);
        let name = &t.node_names[id.ix()];
        if !name.is_empty() {
            return f.write_str(name);
        }
        match t.node(id).kind {
            NodeKind::Decision { infoset, .. } if !t.infoset_names[infoset.ix()].is_empty() => {
                write!(f, "{}#{}", t.infoset_names[infoset.ix()], id.0)
            }
            _ => write!(f, "#{}", id.0),
        }
    }
}
