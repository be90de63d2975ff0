//! Private types in model files: the tree `deter` builds from `[types]` is the game the modeler
//! means — nature draws the types, each player knows only its own type and what it observed —
//! and it is the same game as the one written out by hand.

use crate::util::{repo, template, theta};
use deter::format::efg;
use deter::game::{Game, NodeKind, Tree};
use deter::model::{self, build, Counterfactual};

/// The members of the information set of the node with this name, by name.
fn infoset_of(tree: &Tree, node: &str) -> Vec<String> {
    let id = tree
        .node_names
        .iter()
        .position(|n| n == node)
        .unwrap_or_else(|| panic!("no node {node}"));
    let NodeKind::Decision { infoset, .. } = tree.nodes[id].kind else {
        panic!("{node} is not a decision node")
    };
    let mut m: Vec<String> = tree
        .members(infoset)
        .iter()
        .map(|n| tree.node_names[n.ix()].to_string())
        .collect();
    m.sort();
    m
}

fn payoffs_at(game: &Game, outcome: &str) -> Vec<f64> {
    let tree = &game.tree;
    let id = tree.node_names.iter().position(|n| n == outcome).unwrap();
    let NodeKind::Terminal { leaf } = tree.nodes[id].kind else {
        panic!("{outcome} is not an outcome")
    };
    game.leaf_payoffs(leaf).to_vec()
}

#[test]
fn each_player_knows_its_own_type_and_what_it_observed() {
    let t = template("models/unilateral_deterrence.toml");
    let tree = &t.tree;
    // Two independent binary types: four copies of the written tree (3 nodes, 4 outcomes) under
    // three chance nodes.
    assert_eq!(tree.leaves.len(), 16);
    assert_eq!(
        tree.nodes
            .iter()
            .filter(|n| n.kind == NodeKind::Chance)
            .count(),
        3
    );
    // The challenger knows its type, not the defender's.
    assert_eq!(
        infoset_of(tree, "challenger[hard,soft]"),
        ["challenger[hard,hard]", "challenger[hard,soft]"]
    );
    // The defender knows its type, not the challenger's.
    assert_eq!(
        infoset_of(tree, "defender[hard,soft]"),
        ["defender[hard,soft]", "defender[soft,soft]"]
    );
    assert_eq!(
        infoset_of(tree, "escalation[soft,hard]"),
        ["escalation[soft,hard]", "escalation[soft,soft]"]
    );
    assert_eq!(tree.infosets.len(), 6);
    // Per-type payoff tables: each copy gets its own type's formula.
    let g = t.instantiate(&t.defaults()).unwrap();
    assert_eq!(payoffs_at(&g, "DD[hard,soft]"), [0.25, -2.0]);
    assert_eq!(payoffs_at(&g, "DD[soft,hard]"), [-0.5, 0.5]);
    assert_eq!(payoffs_at(&g, "SQ[soft,soft]"), [0.5, 1.0]);
    // The prior: P(challenger soft, defender hard) = 0.5 * 0.7.
    let reach = deter::game::profile::reach_probabilities(&g, &vec![0.5; tree.n_actions()]);
    let id = tree
        .node_names
        .iter()
        .position(|n| n == "challenger[soft,hard]")
        .unwrap();
    assert!((reach[id] - 0.35).abs() < 1e-12);
}

#[test]
fn typed_beer_quiche_is_the_hand_written_tree() {
    let typed = template("models/beer_quiche.toml");
    let hand = template("tests/models/beer_quiche.toml");
    for p in [0.9, 0.3] {
        let a = typed
            .instantiate(&theta(&typed, None, &[("p_strong", p)]))
            .unwrap();
        let b = hand
            .instantiate(&theta(&hand, None, &[("p_strong", p)]))
            .unwrap();
        // Same shape: a chance root, two sender sets, two receiver sets of two nodes each.
        assert_eq!(a.tree.nodes.len(), b.tree.nodes.len());
        assert_eq!(a.tree.infosets.len(), b.tree.infosets.len());
        for (x, y) in a.tree.infosets.iter().zip(&b.tree.infosets) {
            assert_eq!(
                (x.player, x.n_members, x.n_actions),
                (y.player, y.n_members, y.n_actions)
            );
        }
        // Same numbers, node for node (both trees list strong before weak, beer before quiche).
        assert_eq!(a.payoffs, b.payoffs);
        assert_eq!(a.chance, b.chance);
    }
}

#[test]
fn the_expanded_tree_converts_to_efg_and_back() {
    let t = template("models/unilateral_deterrence.toml");
    let g = t.instantiate(&theta(&t, Some("bluff"), &[])).unwrap();
    let text = efg::write(&g);
    let back = efg::read(&text).unwrap();
    assert_eq!(back.payoffs, g.payoffs);
    assert_eq!(back.chance, g.chance);
    assert_eq!(back.tree.infosets.len(), g.tree.infosets.len());
    assert_eq!(back.tree.infoset_members, g.tree.infoset_members);
}

#[test]
fn a_joint_prior_is_one_chance_node_over_the_listed_profiles() {
    let text = r#"
players = ["A", "B"]
root = "a"
[parameters]
q = { value = 0.4, range = [0, 0.5] }
[types]
A = ["hi", "lo"]
B = ["hi", "lo"]
[prior]
"hi,hi" = "q"
"lo,lo" = "q"
"hi,lo" = "1 - 2*q"
[nodes.a]
player = "A"
moves = { x = "b", y = "o3" }
[nodes.b]
player = "B"
moves = { u = "o1", v = "o2" }
[outcomes.o1]
payoffs = { A = 1, B = 0 }
[outcomes.o2]
payoffs = { A = 0, B = 1 }
[outcomes.o3]
payoffs = { A = 0, B = 0 }
"#;
    let loaded = model::load("joint.toml", text);
    let t = loaded.template.expect("valid");
    let tree = &t.tree;
    assert_eq!(tree.nodes[0].kind, NodeKind::Chance);
    assert_eq!(tree.nodes[0].n_children, 3);
    assert_eq!(&tree.move_labels[1], "hi,hi");
    let g = t.instantiate(&t.defaults()).unwrap();
    assert!((g.chance[3] - 0.2).abs() < 1e-12);
    // B of type lo sees x after A hi or A lo: profiles (lo,lo) and (hi,lo).
    assert_eq!(infoset_of(tree, "b[lo,lo]"), ["b[hi,lo]", "b[lo,lo]"]);
    assert_eq!(infoset_of(tree, "b[hi,hi]"), ["b[hi,hi]"]);
}

#[test]
fn counterfactuals_apply_to_every_copy() {
    let t = template("models/unilateral_deterrence.toml");
    let text = std::fs::read_to_string(repo("models/unilateral_deterrence.toml")).unwrap();
    let loaded = model::load("ud.toml", text);
    let mut cf = Counterfactual::default();
    let q = &loaded.ast.questions[0];
    cf.remove = q.treatment.remove.clone();
    let (tpl, d) = build::build(&loaded.ast, &cf);
    let tpl = tpl.unwrap_or_else(|| panic!("{d:?}"));
    // Each of the four defender copies lost `capitulate`: 4 leaves fewer.
    assert_eq!(tpl.tree.leaves.len(), t.tree.leaves.len() - 4);
}

#[test]
fn a_node_without_moves_that_a_move_enters_is_an_error_not_a_panic() {
    for moves in ["", "move = { x = \"o\" }", "moves = [\"o\"]"] {
        let text = format!(
            "players = [\"A\"]\nroot = \"r\"\n[nodes.r]\nplayer = \"A\"\nmoves = {{ a = \"n\", b = \"o\" }}\n[nodes.n]\nplayer = \"A\"\n{moves}\n[outcomes.o]\npayoffs = {{ A = 1 }}\n"
        );
        let loaded = model::load("m.toml", text);
        assert!(loaded.template.is_none());
        assert!(loaded.diags.iter().any(|d| d.is_error()));
    }
}
