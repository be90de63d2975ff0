//! Generated game trees for benchmarks (not committed as data: built on each run).

use deter::game::tree::{Infoset, Leaf, Node, NodeKind, Tree, NO_PARENT};
use deter::game::{Game, InfosetId, LeafId, NodeId, PlayerId};
use std::sync::Arc;

/// A deterministic xorshift generator.
pub struct Rng(pub u64);

impl Rng {
    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// A perfect-information tree of about `n` nodes: 3 players, branching 2–4, built breadth-first
/// directly into the arena (the builder's per-node bookkeeping would dominate at 10^7 nodes).
pub fn random_tree(n: usize, n_players: usize, seed: u64) -> Game {
    let mut rng = Rng(seed | 1);
    let mut nodes: Vec<Node> = Vec::with_capacity(n + 4);
    nodes.push(Node {
        kind: NodeKind::Terminal { leaf: LeafId(0) },
        parent: NO_PARENT,
        first_child: 0,
        n_children: 0,
    });
    // Expand nodes in BFS order until the budget is used; the rest stay terminal.
    let mut head = 0;
    while head < nodes.len() && nodes.len() < n {
        let k = 2 + (rng.next_u64() % 3) as u32;
        let first = nodes.len() as u32;
        nodes[head].first_child = first;
        nodes[head].n_children = k;
        for _ in 0..k {
            nodes.push(Node {
                kind: NodeKind::Terminal { leaf: LeafId(0) },
                parent: head as u32,
                first_child: 0,
                n_children: 0,
            });
        }
        head += 1;
    }
    let mut infosets = Vec::new();
    let mut members = Vec::new();
    let mut leaves = Vec::new();
    let mut first_action = 0;
    for (i, node) in nodes.iter_mut().enumerate() {
        if node.n_children > 0 {
            let p = PlayerId((rng.next_u64() % n_players as u64) as u32);
            node.kind = NodeKind::Decision {
                player: p,
                infoset: InfosetId(infosets.len() as u32),
            };
            infosets.push(Infoset {
                player: p,
                n_actions: node.n_children,
                first_action,
                first_member: members.len() as u32,
                n_members: 1,
            });
            first_action += node.n_children;
            members.push(NodeId(i as u32));
        } else {
            node.kind = NodeKind::Terminal {
                leaf: LeafId(leaves.len() as u32),
            };
            leaves.push(Leaf {
                node: NodeId(i as u32),
            });
        }
    }
    let total = nodes.len();
    let tree = Tree {
        title: "random".into(),
        players: (0..n_players).map(|p| format!("P{p}")).collect(),
        player_names: (0..n_players).map(|p| format!("P{p}")).collect(),
        nodes,
        infosets,
        infoset_members: members,
        leaves,
        leaf_tags: Default::default(),
        events: Vec::new(),
        node_names: vec![String::new(); total].into(),
        move_labels: vec![String::new(); total].into(),
        move_phrases: vec![None; total].into(),
        infoset_names: Vec::new(),
    };
    let n_infosets = tree.infosets.len();
    let mut tree = tree;
    tree.infoset_names = vec![String::new(); n_infosets];
    let mut g = Game::zeroed(Arc::new(tree));
    for x in g.payoffs.iter_mut() {
        *x = (rng.next_u64() % 1000) as f64 / 100.0;
    }
    g
}
