//! Graphviz DOT rendering of a tree: `dot -Tsvg tree.dot` lays it out with Graphviz's own engine.
//!
//! Nodes are `n0`, `n1`, … by id; decision nodes are labelled with the mover and the node name,
//! chance nodes with `Nature`, leaves with the outcome name and payoff vector. Equilibrium edges
//! are coloured like the SVG drawing; information sets are dashed undirected edges that do not
//! constrain the layout.

use super::svg::{OFF_PATH_COLOUR, PATH_COLOUR};
use super::{infoset_pairs, DrawError, Drawing};
use crate::game::tree::NodeKind;
use std::fmt::Write;

/// Escapes a string for a double-quoted DOT identifier.
pub fn quote(s: &str) -> String {
    let mut o = String::from("\"");
    for ch in s.chars() {
        match ch {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

/// Draws the tree as a DOT `digraph`.
pub fn dot(d: &Drawing<'_>) -> Result<String, DrawError> {
    d.check()?;
    let tree = &*d.game.tree;
    let mut o = String::new();
    let _ = writeln!(o, "digraph {} {{", quote(&tree.title));
    o.push_str("  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=11];\n");
    o.push_str("  edge [fontname=\"Helvetica\", fontsize=10];\n");
    let _ = writeln!(
        o,
        "  label={}; labelloc=t;",
        quote(&format!("Payoffs: ({})", tree.players.join(", ")))
    );
    for (i, node) in tree.nodes.iter().enumerate() {
        let name = &tree.node_names[i];
        let attrs = match node.kind {
            NodeKind::Terminal { .. } => format!(
                "shape=box, style=rounded, label={}",
                quote(&format!("{name}\n{}", d.payoff_label(i)))
            ),
            NodeKind::Chance => {
                format!("shape=circle, label={}", quote(&format!("Nature\n{name}")))
            }
            NodeKind::Decision { .. } => format!(
                "shape=ellipse, label={}",
                quote(&format!("{}\n{name}", d.mover(i)))
            ),
        };
        let _ = writeln!(o, "  n{i} [{attrs}];");
    }
    for (i, node) in tree.nodes.iter().enumerate() {
        for c in node.children() {
            let style = match d.marks {
                Some(m) if m.played[c] && m.on_path[c] => {
                    format!(", color=\"{PATH_COLOUR}\", fontcolor=\"{PATH_COLOUR}\", penwidth=3")
                }
                Some(m) if m.played[c] => format!(", color=\"{OFF_PATH_COLOUR}\", penwidth=2"),
                _ => String::new(),
            };
            let _ = writeln!(
                o,
                "  n{i} -> n{c} [label={}{style}];",
                quote(&d.edge_label(c))
            );
        }
    }
    for (a, b) in infoset_pairs(tree) {
        let _ = writeln!(
            o,
            "  n{a} -> n{b} [style=dashed, dir=none, constraint=false, color=\"#2471a3\"];"
        );
    }
    o.push_str("}\n");
    Ok(o)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(quote("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
    }
}
