//! Tree layout: each node's depth (column) and position across (row), computed with loops.
//!
//! The drawing runs left to right: depth is the column, and leaves take evenly spaced rows in
//! depth-first order, so a subtree's leaves sit together. Every inner node is centred between
//! its first and last child. Depth comes from one forward pass over the breadth-first ids
//! (parents before children); leaf order from an explicit stack; centring from one reverse pass
//! (children before parents). Nothing recurses, so a chain a million moves deep lays out fine.

use crate::game::tree::Tree;

/// Positions of the nodes of a tree, in abstract units (one unit per depth level and per leaf).
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// Depth of each node (root 0).
    pub depth: Vec<u32>,
    /// Position across of each node: leaves at 0, 1, 2, …; inner nodes centred over children.
    pub across: Vec<f64>,
    /// Greatest depth.
    pub max_depth: u32,
    /// Number of leaves.
    pub n_leaves: usize,
}

/// Lays out `tree` (see the module doc).
pub fn layout(tree: &Tree) -> Layout {
    let n = tree.nodes.len();
    let mut depth = vec![0u32; n];
    for i in 0..n {
        for c in tree.nodes[i].children() {
            depth[c] = depth[i] + 1;
        }
    }
    let mut across = vec![0.0; n];
    let mut next_leaf = 0usize;
    // Depth-first, children in move order: push them reversed so the first pops first.
    let mut stack = Vec::new();
    if n > 0 {
        stack.push(0usize);
    }
    while let Some(i) = stack.pop() {
        let node = &tree.nodes[i];
        if node.n_children == 0 {
            across[i] = next_leaf as f64;
            next_leaf += 1;
        } else {
            stack.extend(node.children().rev());
        }
    }
    for i in (0..n).rev() {
        let node = &tree.nodes[i];
        if node.n_children > 0 {
            let r = node.children();
            across[i] = (across[r.start] + across[r.end - 1]) / 2.0;
        }
    }
    Layout {
        max_depth: depth.iter().copied().max().unwrap_or(0),
        depth,
        across,
        n_leaves: next_leaf,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model;

    #[test]
    fn parents_centred_and_leaves_evenly_spaced() {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/models/hedging.toml"))
                .unwrap();
        let t = model::load("hedging.toml", text).template.unwrap();
        let l = layout(&t.tree);
        // hedging.toml: 8 outcomes (docs/models/hedging.md tree, two subtrees of 4 outcomes each).
        assert_eq!(l.n_leaves, 8);
        assert_eq!(l.max_depth, 4);
        let mut leaf_rows: Vec<f64> = t
            .tree
            .leaves
            .iter()
            .map(|x| l.across[x.node.ix()])
            .collect();
        leaf_rows.sort_by(f64::total_cmp);
        assert_eq!(leaf_rows, (0..8).map(|i| i as f64).collect::<Vec<_>>());
        for (i, node) in t.tree.nodes.iter().enumerate() {
            if node.n_children > 0 {
                let r = node.children();
                let mid = (l.across[r.start] + l.across[r.end - 1]) / 2.0;
                assert_eq!(l.across[i], mid);
                assert!(r.clone().all(|c| l.depth[c] == l.depth[i] + 1));
            }
        }
    }
}
