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
//! side tables that solvers never touch, each distinct string stored once: node names and move
//! labels end to end in one string ([`TextLabels`]), move phrases in a [`Labels`].
//!
//! [`Game`]: crate::game::Game

use super::ids::{EventId, InfosetId, LeafId, NodeId, PlayerId};
use super::labels::{Labels, Pool, TextLabels};
use std::hash::BuildHasher;

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

/// A terminal node (its event tags are in [`Tree::leaf_tags`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Leaf {
    /// The terminal node.
    pub node: NodeId,
}

/// The event tags of every leaf, in one list.
///
/// Most trees tag no leaf, and a big one has a million leaves: a vector per leaf would cost 24
/// bytes each even when empty. Leaf `l`'s tags are `ids[start[l]..start[l + 1]]`; `start` ends
/// at the last tagged leaf (leaves after it have none), so a tree without tags holds nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LeafEvents {
    start: Vec<u32>,
    ids: Vec<EventId>,
}

impl LeafEvents {
    /// Records the tags of `leaf`. Leaves must be given in increasing order; a leaf never
    /// given has no tags.
    pub fn push(&mut self, leaf: LeafId, tags: &[EventId]) {
        if tags.is_empty() {
            return;
        }
        debug_assert!(leaf.ix() + 1 >= self.start.len(), "leaves out of order");
        if self.start.is_empty() {
            self.start.push(0);
        }
        let at = self.ids.len() as u32;
        self.start.resize(leaf.ix() + 1, at);
        self.ids.extend_from_slice(tags);
        self.start.push(self.ids.len() as u32);
    }

    /// The tags of `leaf` (empty if it has none).
    #[inline]
    pub fn of(&self, leaf: LeafId) -> &[EventId] {
        match (self.start.get(leaf.ix()), self.start.get(leaf.ix() + 1)) {
            (Some(&a), Some(&b)) => &self.ids[a as usize..b as usize],
            _ => &[],
        }
    }

    /// True if no leaf is tagged.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
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
    /// The event tags of each leaf (see [`Tree::leaf_events`]).
    pub leaf_tags: LeafEvents,
    /// Event tag names.
    pub events: Vec<String>,
    /// Name of each node (the model's node or outcome name; may be empty).
    pub node_names: TextLabels,
    /// Label of the move leading into each node (empty at the root).
    pub move_labels: TextLabels,
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

    /// Event tags of the outcome at a leaf.
    #[inline]
    pub fn leaf_events(&self, leaf: LeafId) -> &[EventId] {
        self.leaf_tags.of(leaf)
    }

    /// The terminal nodes whose outcome is tagged with `event`, in id order.
    pub fn tagged_leaves(&self, event: EventId) -> impl Iterator<Item = NodeId> + '_ {
        self.leaves
            .iter()
            .enumerate()
            .filter(move |&(k, _)| self.leaf_events(LeafId::from(k)).contains(&event))
            .map(|(_, l)| l.node)
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
            first.to_string()
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

/// No id (no parent, no information-set key, no phrase).
const NONE: u32 = u32::MAX;

/// Where the move labels are in [`TreeBuilder::per_node`].
const LABEL: usize = 5;

/// What a builder node is (12 bytes: a big tree has millions).
#[derive(Clone, Copy, Debug)]
enum BKind {
    /// `key` indexes the builder's information-set keys, or is [`NONE`] (a singleton).
    Decision {
        player: PlayerId,
        key: u32,
    },
    Chance,
    /// The node's event tags are `tags[first..first + n]`.
    Terminal {
        first: u32,
        n: u32,
    },
}

/// Distinct strings, each stored once, numbered in order of first use.
#[derive(Clone, Debug, Default)]
struct Interner {
    values: Vec<String>,
    index: rustc_hash::FxHashMap<String, u32>,
}

impl Interner {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.index.get(s) {
            return id;
        }
        let id = self.values.len() as u32;
        self.values.push(s.to_string());
        self.index.insert(s.to_string(), id);
        id
    }
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
///
/// A model file or a generated game adds millions of nodes, so the builder keeps flat arrays:
/// names end to end in one string, a small `Copy` record per node, children as a linked list
/// of ids, and move labels, phrases, information-set keys and event tags each stored once
/// (a node holds their ids). Nothing is allocated per node.
#[derive(Clone, Debug)]
pub struct TreeBuilder {
    title: String,
    players: Vec<String>,
    player_names: Option<Vec<String>>,
    /// The nodes' names end to end; node `b`'s ends at `name_end[b]`.
    names: String,
    name_end: Vec<usize>,
    kind: Vec<BKind>,
    /// The node whose move leads here ([`NONE`]: none yet).
    parent: Vec<u32>,
    /// First and last child, and the next sibling ([`NONE`]: none).
    first_child: Vec<u32>,
    last_child: Vec<u32>,
    next_sibling: Vec<u32>,
    /// The label and phrase of the move into each node (ids into `labels` and `phrases`; the
    /// phrase is [`NONE`] when there is none).
    label_in: Vec<u32>,
    phrase_in: Vec<u32>,
    labels: Interner,
    phrases: Interner,
    keys: Interner,
    events: Interner,
    /// Event ids of terminal nodes, node after node.
    tags: Vec<u32>,
}

impl Default for TreeBuilder {
    /// A builder with no title and no players.
    fn default() -> Self {
        TreeBuilder::new(String::new(), Vec::new())
    }
}

impl TreeBuilder {
    /// A builder for a game with these players.
    pub fn new(title: impl Into<String>, players: Vec<String>) -> Self {
        let mut b = TreeBuilder {
            title: title.into(),
            players,
            player_names: None,
            names: String::new(),
            name_end: Vec::new(),
            kind: Vec::new(),
            parent: Vec::new(),
            first_child: Vec::new(),
            last_child: Vec::new(),
            next_sibling: Vec::new(),
            label_in: Vec::new(),
            phrase_in: Vec::new(),
            labels: Interner::default(),
            phrases: Interner::default(),
            keys: Interner::default(),
            events: Interner::default(),
            tags: Vec::new(),
        };
        // Label 0 is the empty one, which the root (no move into it) shows.
        b.labels.id("");
        b
    }

    /// Room for `n` more nodes (and their names, about `name_bytes` long in all).
    pub fn reserve(&mut self, n: usize, name_bytes: usize) {
        self.names.reserve(name_bytes);
        for v in self.per_node() {
            v.reserve(n);
        }
        self.name_end.reserve(n);
        self.kind.reserve(n);
    }

    /// How sentences and figures name the players (one per player; see [`Tree::player_names`]).
    pub fn set_player_names(&mut self, names: Vec<String>) {
        if names.len() == self.players.len() {
            self.player_names = Some(names);
        }
    }

    fn push(&mut self, name: &str, kind: BKind) -> usize {
        self.names.push_str(name);
        self.name_end.push(self.names.len());
        self.kind.push(kind);
        for (k, v) in self.per_node().into_iter().enumerate() {
            // Every link starts at "none"; the label at the empty one.
            v.push(if k == LABEL { 0 } else { NONE });
        }
        self.kind.len() - 1
    }

    /// The per-node ids: parent, first and last child, next sibling, phrase and (at [`LABEL`])
    /// label of the move into the node.
    fn per_node(&mut self) -> [&mut Vec<u32>; 6] {
        [
            &mut self.parent,
            &mut self.first_child,
            &mut self.last_child,
            &mut self.next_sibling,
            &mut self.phrase_in,
            &mut self.label_in,
        ]
    }

    /// The name of builder node `b`.
    fn name(&self, b: usize) -> &str {
        let start = if b == 0 { 0 } else { self.name_end[b - 1] };
        &self.names[start..self.name_end[b]]
    }

    /// Adds a decision node of `player`, in the information set keyed `infoset` (or a singleton).
    pub fn decision(
        &mut self,
        name: impl AsRef<str>,
        player: PlayerId,
        infoset: Option<String>,
    ) -> usize {
        let key = infoset.map_or(NONE, |k| self.keys.id(&k));
        self.push(name.as_ref(), BKind::Decision { player, key })
    }

    /// Adds a chance node.
    pub fn chance(&mut self, name: impl AsRef<str>) -> usize {
        self.push(name.as_ref(), BKind::Chance)
    }

    /// Adds a terminal node with event tags.
    pub fn terminal(&mut self, name: impl AsRef<str>, events: Vec<String>) -> usize {
        let first = self.tags.len() as u32;
        for e in &events {
            let id = self.events.id(e);
            self.tags.push(id);
        }
        let n = events.len() as u32;
        self.push(name.as_ref(), BKind::Terminal { first, n })
    }

    /// Adds a move from `parent` to `child`, after the parent's earlier moves.
    pub fn add_move(
        &mut self,
        parent: usize,
        label: impl AsRef<str>,
        phrase: Option<String>,
        child: usize,
    ) -> Result<(), TreeError> {
        if self.parent[child] != NONE {
            return Err(TreeError::ReachedTwice(self.name(child).to_string()));
        }
        self.parent[child] = parent as u32;
        self.label_in[child] = self.labels.id(label.as_ref());
        self.phrase_in[child] = phrase.map_or(NONE, |p| self.phrases.id(&p));
        match self.last_child[parent] {
            NONE => self.first_child[parent] = child as u32,
            last => self.next_sibling[last as usize] = child as u32,
        }
        self.last_child[parent] = child as u32;
        Ok(())
    }

    /// Number of nodes added so far.
    pub fn len(&self) -> usize {
        self.kind.len()
    }

    /// True if no node was added.
    pub fn is_empty(&self) -> bool {
        self.kind.is_empty()
    }

    /// The children of builder node `b`, in move order.
    fn children(&self, b: usize) -> impl Iterator<Item = usize> + '_ {
        let mut c = self.first_child[b];
        std::iter::from_fn(move || {
            (c != NONE).then(|| {
                let here = c as usize;
                c = self.next_sibling[here];
                here
            })
        })
    }

    /// Renumbers breadth-first from `root`, groups information sets and checks the structure.
    /// Nodes not reachable from `root` are dropped (`node_of` is `None` for them).
    pub fn finish(self, root: usize) -> Result<Built, TreeError> {
        if self.kind.len() >= u32::MAX as usize || self.tags.len() >= u32::MAX as usize {
            return Err(TreeError::TooLarge);
        }
        if self.parent[root] != NONE {
            return Err(TreeError::Cycle(self.name(root).to_string()));
        }
        let n_players = self.players.len();
        // Breadth-first order; a node can only be entered once (checked in add_move), so a
        // visit count above the node count cannot happen and cycles not through the root are
        // unreachable from it.
        let mut order: Vec<u32> = Vec::with_capacity(self.kind.len());
        let mut node_of: Vec<Option<NodeId>> = vec![None; self.kind.len()];
        order.push(root as u32);
        node_of[root] = Some(NodeId(0));
        let mut head = 0;
        while head < order.len() {
            let b = order[head] as usize;
            head += 1;
            for c in self.children(b) {
                if node_of[c].is_some() {
                    return Err(TreeError::Cycle(self.name(c).to_string()));
                }
                node_of[c] = Some(NodeId::from(order.len()));
                order.push(c as u32);
            }
        }

        let mut nodes = Vec::with_capacity(order.len());
        let n_terminal = order
            .iter()
            .filter(|&&b| matches!(self.kind[b as usize], BKind::Terminal { .. }))
            .count();
        let mut leaves = Vec::with_capacity(n_terminal);
        let mut leaf_tags = LeafEvents::default();
        let mut ev: Vec<EventId> = Vec::new();
        // Events, information sets, labels and phrases are numbered in breadth-first order of
        // first use: `*_out[builder id]` is the tree's id ([`NONE`] until used).
        let mut events: Vec<String> = Vec::new();
        let mut event_out = vec![NONE; self.events.values.len()];
        let mut set_out = vec![NONE; self.keys.values.len()];
        let mut set_player: Vec<PlayerId> = Vec::new();
        let mut set_names: Vec<String> = Vec::new();
        // Each decision node's set, in node order (for grouping members by set below).
        let mut member_set: Vec<u32> = Vec::new();
        let mut names = NameTable::default();
        let mut labels = Remap::new(self.labels.values.len());
        let mut phrases = Remap::new(self.phrases.values.len() + 1);
        let (mut label_ids, mut phrase_ids) = (Vec::with_capacity(order.len()), Vec::new());
        phrase_ids.reserve(order.len());

        for (i, &b) in order.iter().enumerate() {
            let b = b as usize;
            let id = NodeId::from(i);
            let first_child = self
                .children(b)
                .next()
                .map_or(0, |c| node_of[c].map_or(0, |n| n.0));
            let n_children = self.children(b).count() as u32;
            let parent = NO_PARENT; // filled in below from the children ranges
            let kind = match self.kind[b] {
                BKind::Decision { player, key } => {
                    if player.ix() >= n_players {
                        return Err(TreeError::BadPlayer(self.name(b).to_string()));
                    }
                    if n_children == 0 {
                        return Err(TreeError::NoMoves(self.name(b).to_string()));
                    }
                    let new_set = |set_player: &mut Vec<PlayerId>,
                                   set_names: &mut Vec<String>,
                                   name: String| {
                        set_player.push(player);
                        set_names.push(name);
                        (set_player.len() - 1) as u32
                    };
                    let set = if key == NONE {
                        new_set(&mut set_player, &mut set_names, String::new())
                    } else if set_out[key as usize] == NONE {
                        let name = self.keys.values[key as usize].clone();
                        let s = new_set(&mut set_player, &mut set_names, name);
                        set_out[key as usize] = s;
                        s
                    } else {
                        set_out[key as usize]
                    };
                    let set = InfosetId(set);
                    if set_player[set.ix()] != player {
                        return Err(TreeError::Infoset {
                            set: set_names[set.ix()].clone(),
                            why: format!(
                                "node `{}` is moved by {}, other members by {}",
                                self.name(b),
                                self.players[player.ix()],
                                self.players[set_player[set.ix()].ix()]
                            ),
                        });
                    }
                    member_set.push(set.0);
                    NodeKind::Decision {
                        player,
                        infoset: set,
                    }
                }
                BKind::Chance => {
                    if n_children == 0 {
                        return Err(TreeError::NoMoves(self.name(b).to_string()));
                    }
                    NodeKind::Chance
                }
                BKind::Terminal { first, n } => {
                    ev.clear();
                    for &t in &self.tags[first as usize..(first + n) as usize] {
                        if event_out[t as usize] == NONE {
                            event_out[t as usize] = events.len() as u32;
                            events.push(self.events.values[t as usize].clone());
                        }
                        let e = EventId(event_out[t as usize]);
                        if !ev.contains(&e) {
                            ev.push(e);
                        }
                    }
                    leaf_tags.push(LeafId::from(leaves.len()), &ev);
                    leaves.push(Leaf { node: id });
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
            names.push(self.name(b));
            label_ids.push(labels.id(self.label_in[b]));
            // Phrase id 0 is "none"; builder phrase k is 1 + k.
            phrase_ids.push(phrases.id(self.phrase_in[b].wrapping_add(1)));
        }
        let node_names = names.finish();
        let label_values = labels.values(&self.labels.values);
        let phrase_values = phrases
            .order
            .iter()
            .map(|&k| (k != 0).then(|| self.phrases.values[k as usize - 1].clone()))
            .collect();
        let move_phrases = Labels::from_parts(phrase_values, phrase_ids);
        // Parents: set from the children ranges.
        for i in 0..nodes.len() {
            let r = nodes[i].children();
            for c in r {
                nodes[c].parent = i as u32;
            }
        }

        // Information sets: members grouped by set (in node order within a set), equal move
        // counts and labels.
        let n_sets = set_player.len();
        let mut first_member = vec![0u32; n_sets + 1];
        for &s in &member_set {
            first_member[s as usize + 1] += 1;
        }
        for s in 0..n_sets {
            first_member[s + 1] += first_member[s];
        }
        let mut infoset_members = vec![NodeId(0); member_set.len()];
        let mut fill = first_member.clone();
        for (i, n) in nodes.iter().enumerate() {
            if let NodeKind::Decision { infoset, .. } = n.kind {
                infoset_members[fill[infoset.ix()] as usize] = NodeId::from(i);
                fill[infoset.ix()] += 1;
            }
        }
        drop((member_set, fill));
        // Move labels compare by id: equal labels have equal ids.
        let move_ids = &label_ids;
        let mut infosets = Vec::with_capacity(n_sets);
        let mut first_action = 0u32;
        for s in 0..n_sets {
            let members = &infoset_members[first_member[s] as usize..first_member[s + 1] as usize];
            let n0 = &nodes[members[0].ix()];
            let ids0 = &move_ids[n0.children()];
            for &m in &members[1..] {
                if &move_ids[nodes[m.ix()].children()] != ids0 {
                    let list = |n: NodeId| {
                        nodes[n.ix()]
                            .children()
                            .map(|c| label_values[label_ids[c] as usize].as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    };
                    return Err(TreeError::Infoset {
                        set: set_names[s].clone(),
                        why: format!(
                            "node `{}` has moves [{}] but node `{}` has [{}]",
                            &node_names[members[0].ix()],
                            list(members[0]),
                            &node_names[m.ix()],
                            list(m)
                        ),
                    });
                }
            }
            infosets.push(Infoset {
                player: set_player[s],
                n_actions: n0.n_children,
                first_action,
                first_member: first_member[s],
                n_members: members.len() as u32,
            });
            first_action += n0.n_children;
        }

        let move_labels = TextLabels::from_parts(label_values, label_ids);
        Ok(Built {
            tree: Tree {
                title: self.title,
                player_names: self.player_names.unwrap_or_else(|| self.players.clone()),
                players: self.players,
                nodes,
                infosets,
                infoset_members,
                leaves,
                leaf_tags,
                events,
                node_names,
                move_labels,
                move_phrases,
                infoset_names: set_names,
            },
            node_of,
        })
    }
}

/// Ids of a builder table renumbered in order of first use.
struct Remap {
    /// `out[builder id]`: the new id, or [`NONE`].
    out: Vec<u32>,
    /// `order[new id]`: the builder id.
    order: Vec<u32>,
}

impl Remap {
    fn new(n: usize) -> Self {
        Remap {
            out: vec![NONE; n],
            order: Vec::new(),
        }
    }

    fn id(&mut self, k: u32) -> u32 {
        let o = &mut self.out[k as usize];
        if *o == NONE {
            *o = self.order.len() as u32;
            self.order.push(k);
        }
        *o
    }

    /// The values in the new order.
    fn values(&self, src: &[String]) -> Vec<String> {
        self.order
            .iter()
            .map(|&k| src[k as usize].clone())
            .collect()
    }
}

/// Node names as [`TextLabels`], each distinct name stored once, looked up by a table of ids
/// (the names are not stored a second time as keys).
#[derive(Default)]
struct NameTable {
    values: Pool,
    ids: Vec<u32>,
    index: hashbrown::HashTable<u32>,
}

impl NameTable {
    fn push(&mut self, name: &str) {
        // Runs of one name (unnamed nodes) skip the table.
        if let Some(&last) = self.ids.last() {
            if self.values.get(last) == name {
                self.ids.push(last);
                return;
            }
        }
        let hash = |s: &str| rustc_hash::FxBuildHasher.hash_one(s);
        let values = &self.values;
        let found = self
            .index
            .find(hash(name), |&k| values.get(k) == name)
            .copied();
        let id = match found {
            Some(id) => id,
            None => {
                self.index
                    .insert_unique(hash(name), values.len() as u32, |&k| hash(values.get(k)));
                self.values.push(name)
            }
        };
        self.ids.push(id);
    }

    fn finish(self) -> TextLabels {
        self.values.with_ids(self.ids)
    }
}

#[cfg(test)]
mod builder_tests {
    use super::*;
    use std::collections::{HashMap, HashSet};

    /// What one builder node was given.
    struct Given {
        name: String,
        kind: u8, // 0 decision, 1 chance, 2 terminal
        player: u32,
        key: Option<String>,
        events: Vec<String>,
        children: Vec<usize>,
        label: String,
        phrase: Option<String>,
    }

    /// Random trees whose nodes are added in a shuffled order: the arena keeps every name,
    /// label, phrase, information set and event tag the builder was given, numbers sets and
    /// events in breadth-first order of first use, and stores each distinct string once.
    #[test]
    fn random_trees_keep_what_was_added() {
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut rnd = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..200 {
            let n = 2 + rnd(40);
            let mut g: Vec<Given> = (0..n)
                .map(|k| Given {
                    name: ["", "dup", "x"][rnd(3)].to_string() + &"'".repeat(rnd(2) * k),
                    kind: 2,
                    player: 0,
                    key: None,
                    events: Vec::new(),
                    children: Vec::new(),
                    label: String::new(),
                    phrase: None,
                })
                .collect();
            for k in 1..n {
                let p = rnd(k);
                g[p].children.push(k);
            }
            for k in 0..n {
                let nc = g[k].children.len();
                if nc == 0 {
                    g[k].events = (0..rnd(3))
                        .map(|_| ["war", "peace"][rnd(2)].into())
                        .collect();
                    continue;
                }
                g[k].kind = rnd(2) as u8;
                g[k].player = rnd(2) as u32;
                // Members of a set agree on mover and move labels.
                let keyed = g[k].kind == 0 && rnd(2) == 0;
                if keyed {
                    g[k].key = Some(format!("p{}n{nc}", g[k].player));
                }
                for (j, &c) in g[k].children.clone().iter().enumerate() {
                    g[c].label = if keyed {
                        format!("m{j}")
                    } else {
                        ["a", "b", ""][rnd(3)].into()
                    };
                    g[c].phrase = (rnd(3) == 0).then(|| ["goes", "stays"][rnd(2)].into());
                }
            }
            // Add the nodes in a shuffled order, and one node nothing leads to.
            let mut perm: Vec<usize> = (0..n).collect();
            for i in (1..n).rev() {
                perm.swap(i, rnd(i + 1));
            }
            let mut b = TreeBuilder::new("t", vec!["A".into(), "B".into()]);
            let mut bid = vec![0; n];
            for &k in &perm {
                let x = &g[k];
                bid[k] = match x.kind {
                    0 => b.decision(&x.name, PlayerId(x.player), x.key.clone()),
                    1 => b.chance(&x.name),
                    _ => b.terminal(&x.name, x.events.clone()),
                };
            }
            let stray = b.terminal("stray", vec!["lost".into()]);
            for (k, x) in g.iter().enumerate() {
                let from = bid[k];
                for &c in &x.children {
                    b.add_move(from, &g[c].label, g[c].phrase.clone(), bid[c])
                        .unwrap();
                }
            }
            let built = b.finish(bid[0]).unwrap();
            let t = &built.tree;
            assert_eq!(built.node_of[stray], None);
            assert_eq!(t.nodes.len(), n);
            let id = |k: usize| built.node_of[bid[k]].unwrap();
            let mut set_of_key = HashMap::new();
            for (k, x) in g.iter().enumerate() {
                let i = id(k);
                assert_eq!(t.node_names[i.ix()], x.name);
                assert_eq!(t.move_labels[i.ix()], x.label);
                assert_eq!(t.move_phrases[i.ix()], x.phrase);
                let kids: Vec<NodeId> = x.children.iter().map(|&c| id(c)).collect();
                let arena: Vec<NodeId> = t.node(i).children().map(NodeId::from).collect();
                assert_eq!(arena, kids);
                match (t.node(i).kind, x.kind) {
                    (NodeKind::Decision { player, infoset }, 0) => {
                        assert_eq!(player, PlayerId(x.player));
                        assert_eq!(
                            t.infoset_names[infoset.ix()],
                            x.key.clone().unwrap_or_default()
                        );
                        assert!(t.members(infoset).contains(&i));
                        match &x.key {
                            Some(key) => {
                                assert_eq!(
                                    *set_of_key.entry(key.clone()).or_insert(infoset),
                                    infoset
                                )
                            }
                            None => assert_eq!(t.members(infoset), [i]),
                        }
                    }
                    (NodeKind::Chance, 1) => {}
                    (NodeKind::Terminal { leaf }, 2) => {
                        let mut want: Vec<&str> = Vec::new();
                        for e in &x.events {
                            if !want.contains(&e.as_str()) {
                                want.push(e);
                            }
                        }
                        let got: Vec<&str> = t
                            .leaf_events(leaf)
                            .iter()
                            .map(|e| t.events[e.ix()].as_str())
                            .collect();
                        assert_eq!(got, want);
                    }
                    (k, want) => panic!("node {k:?}, given kind {want}"),
                }
            }
            // Sets and events are numbered in breadth-first order of first use.
            let (mut next_set, mut next_event) = (0, 0);
            for node in &t.nodes {
                match node.kind {
                    NodeKind::Decision { infoset, .. } if infoset.0 >= next_set => {
                        assert_eq!(infoset.0, next_set);
                        next_set += 1;
                    }
                    NodeKind::Terminal { leaf } => {
                        for e in t.leaf_events(leaf) {
                            if e.0 >= next_event {
                                assert_eq!(e.0, next_event);
                                next_event += 1;
                            }
                        }
                    }
                    _ => {}
                }
            }
            assert_eq!(next_set as usize, t.infosets.len());
            assert_eq!(next_event as usize, t.events.len());
            for l in [&t.node_names, &t.move_labels] {
                let d: Vec<&str> = l.distinct().collect();
                assert_eq!(d.iter().collect::<HashSet<_>>().len(), d.len());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaf_tags_are_kept_per_leaf_and_untagged_leaves_cost_nothing() {
        let mut t = LeafEvents::default();
        for l in 0..5 {
            t.push(LeafId(l), &[]);
        }
        assert!(t.is_empty() && t == LeafEvents::default());
        let (war, peace) = (EventId(0), EventId(1));
        t.push(LeafId(2), &[war, peace]);
        t.push(LeafId(3), &[]);
        t.push(LeafId(6), &[peace]);
        let got: Vec<&[EventId]> = (0..9).map(|l| t.of(LeafId(l))).collect();
        let none: &[EventId] = &[];
        assert_eq!(
            got,
            [
                none,
                none,
                &[war, peace],
                none,
                none,
                none,
                &[peace],
                none,
                none
            ]
        );
        assert!(!t.is_empty());
    }

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
        assert_eq!(&t.node_names[1], "x");
        assert_eq!(t.node(NodeId(3)).parent(), Some(NodeId(1)));
        assert_eq!(t.leaves.len(), 3);
        assert_eq!(t.events, vec!["war".to_string()]);
        assert_eq!(t.n_actions(), 4);
        assert!(t.is_perfect_information());
        assert_eq!(t.action_index(NodeId(4)), Some(1));
    }

    #[test]
    fn a_default_builder_builds() {
        let mut b = TreeBuilder::default();
        let r = b.chance("r");
        let l = b.terminal("l", vec![]);
        b.add_move(r, "a", None, l).unwrap();
        let t = b.finish(r).unwrap().tree;
        assert_eq!(t.move_labels.iter().collect::<Vec<_>>(), ["", "a"]);
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

impl NodeLabel<'_> {
    /// Writes the label to `w` piece by piece (ids through `itoa`), so a writer of a big
    /// table can append it to its buffer without the formatting machinery.
    pub fn write_to<W: std::fmt::Write>(&self, w: &mut W) -> std::fmt::Result {
        let (t, id) = (self.tree, self.id);
        let name = &t.node_names[id.ix()];
        if !name.is_empty() {
            return w.write_str(name);
        }
        if let NodeKind::Decision { infoset, .. } = t.node(id).kind {
            w.write_str(&t.infoset_names[infoset.ix()])?;
        }
        w.write_char('#')?;
        w.write_str(itoa::Buffer::new().format(id.0))
    }
}

impl std::fmt::Display for NodeLabel<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.write_to(f)
    }
}
