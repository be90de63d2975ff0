//! Writing a numeric game as a `deter` model file, and a strategic game as a tree.
//!
//! `deter convert FILE --to toml` turns a Gambit game, or a parametric model at one parameter
//! point, into a model file a modeler can edit and make parametric again. Names are made safe
//! and unique (Gambit nodes are often unnamed and action labels may repeat), every number is
//! written in shortest round-trip form, and information sets and event tags are kept.

use crate::format::lexer::format_number;
use crate::game::tree::{NodeKind, TreeBuilder};
use crate::game::{Game, PlayerId, StrategicGame};
use std::collections::HashSet;
use std::fmt::Write;
use std::sync::Arc;

/// A TOML basic string literal.
fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// `base`, or `base_2`, `base_3`, … — the first not in `used` — recorded as used.
fn unique(base: &str, used: &mut HashSet<String>) -> String {
    let mut name = base.to_string();
    let mut k = 2;
    while used.contains(&name) {
        name = format!("{base}_{k}");
        k += 1;
    }
    used.insert(name.clone());
    name
}

/// An identifier-like version of a name (letters, digits, `_`), or `fallback` if none is left.
fn ident(s: &str, fallback: &str) -> String {
    let t: String = s
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let t = t.trim_matches('_').to_string();
    if t.is_empty() {
        fallback.to_string()
    } else {
        t
    }
}

/// A number for a model file: the exact value when known (a decimal literal, or a quoted
/// fraction formula such as `"1/3"`), else the shortest float that reads back the same.
fn number(exact: Option<&crate::exact::Rational>, x: f64) -> String {
    match exact {
        Some(v) => crate::exact::decimal(v, 40)
            .unwrap_or_else(|| format!("\"{}\"", crate::exact::display(v))),
        None => format_number(x),
    }
}

/// The model file of a numeric game: every payoff and probability written as a number.
pub fn write(game: &Game) -> String {
    let tree = &*game.tree;
    let mut out = String::new();
    let mut used_players = HashSet::new();
    let players: Vec<String> = tree
        .players
        .iter()
        .enumerate()
        .map(|(p, n)| unique(&ident(n, &format!("P{}", p + 1)), &mut used_players))
        .collect();
    // Node and outcome names share one namespace.
    let mut used = HashSet::new();
    let names: Vec<String> = tree
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let fallback = match n.kind {
                NodeKind::Terminal { leaf } => format!("outcome{}", leaf.0 + 1),
                _ => format!("node{}", i + 1),
            };
            unique(&ident(&tree.node_names[i], &fallback), &mut used)
        })
        .collect();
    let title = if tree.title.is_empty() {
        "Converted game"
    } else {
        &tree.title
    };
    let _ = writeln!(
        out,
        "# Converted by `deter convert --to toml`: numbers at one parameter point."
    );
    let _ = writeln!(out, "title   = {}", q(title));
    let _ = writeln!(
        out,
        "players = [{}]",
        players.iter().map(|p| q(p)).collect::<Vec<_>>().join(", ")
    );
    let _ = writeln!(out, "root    = {}", q(&names[0]));
    for (i, n) in tree.nodes.iter().enumerate() {
        let mut used_moves = HashSet::new();
        let moves: Vec<String> = n
            .children()
            .enumerate()
            .map(|(a, c)| {
                let label = unique(
                    &ident(&tree.move_labels[c], &format!("m{}", a + 1)),
                    &mut used_moves,
                );
                let mut fields = vec![format!("to = {}", q(&names[c]))];
                if n.kind == NodeKind::Chance {
                    let ex = game.exact.as_deref().map(|e| e.chance().get(c));
                    fields.push(format!("prob = {}", number(ex.as_ref(), game.chance[c])));
                }
                if let Some(p) = &tree.move_phrases[c] {
                    fields.push(format!("say = {}", q(p)));
                }
                format!("{} = {{ {} }}", q(&label), fields.join(", "))
            })
            .collect();
        match n.kind {
            NodeKind::Decision { player, infoset } => {
                let _ = writeln!(out, "\n[nodes.{}]", q(&names[i]));
                let _ = writeln!(out, "player = {}", q(&players[player.ix()]));
                if tree.infosets[infoset.ix()].n_members > 1 {
                    let set = format!("{}:{}", players[player.ix()], infoset.0 + 1);
                    let name = &tree.infoset_names[infoset.ix()];
                    let _ = writeln!(
                        out,
                        "infoset = {}",
                        q(if name.is_empty() { &set } else { name })
                    );
                }
                let _ = writeln!(out, "moves = {{ {} }}", moves.join(", "));
            }
            NodeKind::Chance => {
                let _ = writeln!(out, "\n[nodes.{}]", q(&names[i]));
                let _ = writeln!(out, "chance = {{ {} }}", moves.join(", "));
            }
            NodeKind::Terminal { leaf } => {
                let _ = writeln!(out, "\n[outcomes.{}]", q(&names[i]));
                let pays: Vec<String> = players
                    .iter()
                    .enumerate()
                    .map(|(p, name)| {
                        let k = leaf.ix() * tree.n_players() + p;
                        let ex = game.exact.as_deref().map(|e| e.payoffs().get(k));
                        format!(
                            "{} = {}",
                            q(name),
                            number(ex.as_ref(), game.payoff(leaf, PlayerId::from(p)))
                        )
                    })
                    .collect();
                let _ = writeln!(out, "payoffs = {{ {} }}", pays.join(", "));
                let ev = tree.leaf_events(leaf);
                if !ev.is_empty() {
                    let tags: Vec<String> = ev.iter().map(|e| q(&tree.events[e.ix()])).collect();
                    let _ = writeln!(out, "events = [{}]", tags.join(", "));
                }
            }
        }
    }
    out
}

/// The strategic game as a tree: players move in turn, each without seeing the earlier moves
/// (one information set per player), so the tree has the same equilibria.
pub fn strategic_tree(g: &StrategicGame) -> Game {
    let np = g.n_players();
    let mut b = TreeBuilder::new(g.title.clone(), g.players.clone());
    // Level by level: the nodes of player p are indexed by the strategies of players 0..p.
    let root = b.decision(
        g.players.first().cloned().unwrap_or_default(),
        PlayerId(0),
        Some("set1".into()),
    );
    let mut level = vec![(root, Vec::<usize>::new())];
    for p in 0..np {
        let mut next = Vec::new();
        for (node, prefix) in &level {
            for (s, label) in g.strategies[p].iter().enumerate() {
                let mut pure = prefix.clone();
                pure.push(s);
                let child = if p + 1 < np {
                    b.decision(
                        String::new(),
                        PlayerId::from(p + 1),
                        Some(format!("set{}", p + 2)),
                    )
                } else {
                    b.terminal(String::new(), Vec::new())
                };
                // Labels are the game's own strategy names; the builder cannot fail here because
                // every child is new.
                let _ = b.add_move(*node, label.clone(), None, child);
                next.push((child, pure));
            }
        }
        level = next;
    }
    let built = match b.finish(root) {
        Ok(b) => b,
        Err(_) => unreachable!("a fresh layered tree is well formed"),
    };
    let mut game = Game::zeroed(Arc::new(built.tree));
    let mut exact = g.exact.as_ref().map(|_| {
        crate::game::ExactNumbers::new(
            crate::game::ExactVec::zeros(game.chance.len()),
            crate::game::ExactVec::zeros(game.payoffs.len()),
        )
    });
    for (bnode, pure) in &level {
        let Some(id) = built.node_of[*bnode] else {
            continue;
        };
        if let NodeKind::Terminal { leaf } = game.tree.node(id).kind {
            let prof = g.profile_index(pure);
            for p in 0..np {
                game.payoffs[leaf.ix() * np + p] = g.payoffs[prof * np + p];
                if let (Some(e), Some(src)) = (exact.as_mut(), g.exact.as_ref()) {
                    e.payoffs_mut().set(leaf.ix() * np + p, &src[prof * np + p]);
                }
            }
        }
    }
    game.exact = exact.map(Arc::new);
    game
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model;

    #[test]
    fn a_converted_model_reads_back_to_the_same_game() {
        let t = model::load("h.toml", include_str!("../../models/hedging.toml"))
            .template
            .unwrap();
        let g = t
            .instantiate(&t.point(Some("post_2001"), &[]).unwrap())
            .unwrap();
        let text = write(&g);
        let back = model::load("back.toml", text.clone());
        assert!(back.diags.is_empty(), "{text}\n{:?}", back.diags);
        let t2 = back.template.unwrap();
        let g2 = t2.instantiate(&t2.defaults()).unwrap();
        assert_eq!(g2.payoffs, g.payoffs);
        assert_eq!(g2.tree.nodes, g.tree.nodes);
        assert_eq!(g2.tree.move_labels, g.tree.move_labels);
    }

    #[test]
    fn strategic_tree_keeps_payoffs() {
        let g = StrategicGame {
            title: "pd".into(),
            players: vec!["A".into(), "B".into()],
            strategies: vec![
                vec!["C".into(), "D".into()],
                vec!["C".into(), "D".into(), "E".into()],
            ],
            payoffs: (0..12).map(|x| x as f64).collect(),
            exact: None,
        };
        let t = strategic_tree(&g);
        assert_eq!(t.tree.leaves.len(), 6);
        assert_eq!(t.tree.infosets.len(), 2);
        assert_eq!(t.tree.infosets[1].n_members, 2);
        // Leaf (A plays D, B plays E): profile index 1 + 2*2 = 5.
        let leaf = t.tree.leaves.iter().position(|l| {
            let n = l.node;
            &t.tree.move_labels[n.ix()] == "E"
                && &t.tree.move_labels[t.tree.node(n).parent().unwrap().ix()] == "D"
        });
        let l = leaf.unwrap();
        assert_eq!(&t.payoffs[l * 2..l * 2 + 2], &[10.0, 11.0]);
        // The converted model is valid and keeps the information set.
        let back = model::load("s.toml", write(&t));
        assert!(back.diags.is_empty(), "{:?}", back.diags);
        assert!(!back.template.unwrap().tree.is_perfect_information());
    }
}
