//! Subtrees in model files: written once, used at several places, expanded at load time with
//! spans that still point at the subtree's text.

use crate::util::{deter_ok, repo};
use deter::model;

/// Every diagnostic of a model text, one `file:line:col: severity: message` line each.
fn problems(text: &str) -> String {
    let loaded = model::load("m.toml", text);
    deter::diag::render_short(&loaded.source, &loaded.diags)
}

const HEDGING_FLAT: &str = "tests/models/hedging_flat.toml";
const HEDGING: &str = "models/hedging.toml";

/// `deter ARGS FILE` on the shipped model (written with a subtree) and on the same model with
/// the crisis copied out by hand: the outputs agree byte for byte, but for the file name.
fn same_output(args: &[&str]) {
    let run = |file: &str| {
        let mut a = args.to_vec();
        a.push(file);
        deter_ok(&a).replace(file, "FILE")
    };
    assert_eq!(run(HEDGING), run(HEDGING_FLAT), "deter {args:?} differs");
}

#[test]
fn hedging_written_with_a_subtree_is_the_hand_copied_game() {
    same_output(&["convert", "--to", "efg"]);
    same_output(&["solve"]);
    same_output(&["solve", "--format", "json"]);
    for s in ["cold_war", "post_2001"] {
        same_output(&["solve", "--scenario", s, "--format", "json"]);
    }
    for set in ["T=0.7", "c_D=0.4", "rho=-1.5", "L=0.1"] {
        same_output(&["solve", "--set", set]);
    }
    same_output(&["thresholds", "--vary", "c_D"]);
    same_output(&["regions"]);
    same_output(&[
        "regions", "--map", "T=0.25:1", "--map", "c_D=0:3", "--cells", "8",
    ]);
}

#[test]
fn the_subtree_is_written_once_in_the_shipped_model() {
    let text = std::fs::read_to_string(repo(HEDGING)).unwrap();
    assert_eq!(text.matches("[subtrees.crisis.outcomes.").count(), 4);
    assert!(
        !text.contains("[outcomes."),
        "outcomes are all in the subtree"
    );
    let loaded = model::load(HEDGING, text);
    assert!(loaded.template.is_some());
    let copies: Vec<&str> = loaded
        .ast
        .instances
        .iter()
        .map(|i| i.name.as_str())
        .collect();
    assert_eq!(copies, ["a", "h"]);
}

/// The challenger's wedge offer before the crisis: the extension the subtree makes short.
const WEDGE: &str = r#"
[nodes.wedge]
player = "Challenger"
moves  = { offer = { to = "protege_w", say = "offers a wedge deal" }, no_offer = { to = "protege", say = "makes no offer" } }

[nodes.protege_w]
player = "Protege"
moves  = { align = { to = "a_w", say = "aligns" }, hedge = { to = "h_w", say = "hedges" } }

[nodes.a_w]
subtree = "crisis"
args    = { psi = "psi0", a_D = "a", e_P = 0, e_C = 0, e_D = 0 }

[nodes.h_w]
subtree = "crisis"
args    = { psi = "psi0 + beta*T", a_D = "a - lambda*T", e_P = "e_P + w", e_C = "e_C - w", e_D = "e_D" }
"#;

#[test]
fn the_wedge_extension_is_fifteen_lines() {
    let base = std::fs::read_to_string(repo(HEDGING)).unwrap();
    let lines = WEDGE.trim().lines().count() + 2; // + the parameter `w`, + the new root
    assert!(lines <= 17, "{lines} lines");
    let text = base.replace("root    = \"protege\"", "root    = \"wedge\"").replace(
        "[parameters]\n",
        "[parameters]\nw = { value = 0.5, range = [0, 2], about = \"the wedge deal's transfer\" }\n",
    ) + WEDGE;
    let loaded = model::load("wedge.toml", text.clone());
    let t = loaded.template.unwrap_or_else(|| {
        panic!(
            "{}",
            deter::diag::render_short(&loaded.source, &loaded.diags)
        )
    });
    // Four copies of the crisis: 1 + 1 + 1 + 4·3 decision nodes, 16 outcomes.
    let g = t.instantiate(&t.defaults()).unwrap();
    let tree = &g.tree;
    let names = &tree.node_names;
    for n in ["challenger_h_w", "defender_a_w", "realign_h_w", "war_h"] {
        assert!(names.iter().any(|x| x == n), "no node {n} in {names:?}");
    }
    let leaves = tree
        .nodes
        .iter()
        .filter(|n| matches!(n.kind, deter::game::NodeKind::Terminal { .. }))
        .count();
    assert_eq!(leaves, 16);
    // The transfer reaches the hedger's payoff in the wedge copy only.
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("wedge.toml");
    std::fs::write(&f, &text).unwrap();
    deter_ok(&["solve", f.to_str().unwrap(), "--format", "json"]);
}

#[test]
fn questions_force_a_node_in_every_copy_of_a_subtree() {
    let base = std::fs::read_to_string(repo(HEDGING)).unwrap();
    let text = base
        + r#"
[questions.support_matters]
ask       = "Does a defender that always supports deter the challenger?"
subject   = "guaranteed support"
event     = "challenge"
treatment = { force = { crisis.defender = "support" } }
control   = { remove = { crisis.defender = ["support"] } }
"#;
    let loaded = model::load("q.toml", text);
    assert!(
        loaded.template.is_some(),
        "{}",
        deter::diag::render_short(&loaded.source, &loaded.diags)
    );
    let q = loaded
        .ast
        .questions
        .iter()
        .find(|q| q.name.v == "support_matters")
        .unwrap();
    let (tpl, d) = model::build::build(&loaded.ast, &q.treatment);
    assert!(d.iter().all(|d| !d.is_error()), "{d:?}");
    let g = tpl
        .unwrap()
        .instantiate(&loaded.template.unwrap().defaults())
        .unwrap();
    // Both defender copies lost `abandon`: a defender node has one move.
    for n in ["defender_a", "defender_h"] {
        let id = g.tree.node_names.iter().position(|x| x == n).unwrap();
        let node = g.tree.nodes[id];
        assert_eq!(node.n_children, 1, "{n}");
    }
    // A misspelt copy name is a located error that names the forms a name may take.
    let bad = std::fs::read_to_string(repo(HEDGING)).unwrap()
        + "\n[questions.x]\nask = \"?\"\nsubject = \"s\"\nevent = \"challenge\"\ntreatment = { force = { crisis.defendr = \"support\" } }\ncontrol = {}\n";
    let loaded = model::load("bad.toml", bad);
    let q = loaded
        .ast
        .questions
        .iter()
        .find(|q| q.name.v == "x")
        .unwrap();
    let (_, d) = model::build::build(&loaded.ast, &q.treatment);
    let p = deter::diag::render_short(&loaded.source, &d);
    assert!(p.contains("unknown node `crisis.defendr`"), "{p}");
    assert!(p.contains("did you mean"), "{p}");
}

const SMALL: &str = r#"
title = "t"
players = ["A", "B"]
root = "start"
[parameters]
x = { value = 1 }
[nodes.start]
player = "A"
moves = { l = "one", r = "two" }
[nodes.one]
subtree = "sub"
args = { v = "x" }
[nodes.two]
subtree = "sub"
args = { v = "2*x" }
[subtrees.sub]
args = ["v"]
root = "b"
[subtrees.sub.nodes.b]
player = "B"
moves = { u = "up", d = "down" }
[subtrees.sub.outcomes.up]
payoffs = { A = "v", B = "1" }
[subtrees.sub.outcomes.down]
payoffs = { A = "0", B = "v" }
"#;

/// The first player's payoff at the outcome of this name.
fn first_payoff(g: &deter::game::Game, name: &str) -> f64 {
    let id = g
        .tree
        .node_names
        .iter()
        .position(|x| x == name)
        .unwrap_or_else(|| panic!("no node {name}"));
    match g.tree.nodes[id].kind {
        deter::game::NodeKind::Terminal { leaf } => g.payoff(leaf, deter::game::PlayerId(0)),
        _ => panic!("{name} is not an outcome"),
    }
}

fn line_col(text: &str, needle: &str) -> String {
    let at = text.find(needle).unwrap_or_else(|| panic!("{needle}"));
    let line = text[..at].matches('\n').count() + 1;
    let col = at - text[..at].rfind('\n').map_or(0, |i| i + 1) + 1;
    format!("m.toml:{line}:{col}")
}

#[test]
fn a_small_model_with_two_uses_solves_with_each_uses_arguments() {
    assert_eq!(problems(SMALL), "");
    let loaded = model::load("m.toml", SMALL);
    let t = loaded.template.unwrap();
    let g = t.instantiate(&t.defaults()).unwrap();
    let names = &g.tree.node_names;
    for n in ["b_one", "b_two", "up_one", "down_two"] {
        assert!(names.iter().any(|x| x == n), "{n} in {names:?}");
    }
    // A's payoff at `up` is x in the first copy and 2x in the second.
    let pay = |n: &str| first_payoff(&g, n);
    assert_eq!(pay("up_one"), 1.0);
    assert_eq!(pay("up_two"), 2.0);
}

#[test]
fn mistakes_in_and_around_subtrees_are_located_once() {
    // An unknown name inside the subtree: one error, at the subtree's formula.
    let t = SMALL.replace("payoffs = { A = \"v\"", "payoffs = { A = \"v + y\"");
    let p = problems(&t);
    assert_eq!(p.matches("unknown parameter `y`").count(), 1, "{p}");
    assert!(p.contains(&line_col(&t, "y\", B")), "{p}");
    // An unknown name in one use's argument: at that argument.
    let t = SMALL.replace("args = { v = \"2*x\" }", "args = { v = \"2*z\" }");
    let p = problems(&t);
    assert!(p.contains("unknown parameter `z`"), "{p}");
    assert!(p.contains(&line_col(&t, "z\" }")), "{p}");
    // A missing and a misspelt argument.
    let t = SMALL.replace("args = { v = \"x\" }", "args = { w = \"x\" }");
    let p = problems(&t);
    assert!(p.contains("subtree `sub` has no argument `w`"), "{p}");
    assert!(
        p.contains("node `one` does not give argument `v` of subtree `sub`"),
        "{p}"
    );
    assert!(p.contains(&line_col(&t, "w = \"x\"")), "{p}");
    // An unknown subtree, with a suggestion.
    let t = SMALL.replace(
        "subtree = \"sub\"\nargs = { v = \"x\" }",
        "subtree = \"sbu\"\nargs = { v = \"x\" }",
    );
    let p = problems(&t);
    assert!(p.contains("unknown subtree `sbu`"), "{p}");
    assert!(p.contains("did you mean `sub`"), "{p}");
    // A root that is not in the subtree.
    let t = SMALL.replace("root = \"b\"", "root = \"c\"");
    let p = problems(&t);
    assert_eq!(p.matches("the root `c` of subtree `sub`").count(), 1, "{p}");
    // A copy's name taken by a written node.
    let t = SMALL.replace(
        "[nodes.two]",
        "[outcomes.up_one]\npayoffs = { A = 0, B = 0 }\n[nodes.two]",
    );
    let p = problems(&t);
    assert!(
        p.contains("would be named `up_one`, a name already taken"),
        "{p}"
    );
}

#[test]
fn a_subtree_that_uses_itself_is_refused_and_nesting_cannot_blow_up() {
    let t = SMALL.replace(
        "[subtrees.sub.outcomes.up]",
        "[subtrees.sub.nodes.again]\nsubtree = \"sub\"\nargs = { v = \"v\" }\n[subtrees.sub.outcomes.up]",
    );
    let p = problems(&t);
    assert!(p.contains("subtree `sub` uses itself"), "{p}");
    // Thirty levels of a subtree using the next one twice would be 2^30 copies: refused at
    // once, without building them.
    let mut m = String::from(
        "title = \"t\"\nplayers = [\"A\"]\nroot = \"top\"\n[nodes.top]\nsubtree = \"s0\"\n",
    );
    for i in 0..30 {
        m += &format!(
            "[subtrees.s{i}]\nroot = \"n\"\n[subtrees.s{i}.nodes.n]\nplayer = \"A\"\nmoves = {{ l = \"x\", r = \"y\" }}\n[subtrees.s{i}.nodes.x]\nsubtree = \"s{j}\"\n[subtrees.s{i}.nodes.y]\nsubtree = \"s{j}\"\n",
            j = i + 1
        );
    }
    m += "[subtrees.s30]\nroot = \"o\"\n[subtrees.s30.outcomes.o]\npayoffs = { A = 0 }\n";
    let p = problems(&m);
    assert!(p.contains("larger than 1000000"), "{p}");
    assert_eq!(
        p.lines().count(),
        1,
        "one error, nothing checked after it: {p}"
    );
}

#[test]
fn nested_uses_take_their_names_from_both_uses_and_share_named_information_sets() {
    // `inner` is used inside `outer`; B's node names one information set in every copy, so
    // B does not see A's move.
    let m = r#"
title = "t"
players = ["A", "B"]
root = "start"
[parameters]
x = { value = 1 }
[nodes.start]
player = "A"
moves = { l = "left", r = "right" }
[nodes.left]
subtree = "outer"
args = { k = "x" }
[nodes.right]
subtree = "outer"
args = { k = "-x" }
[subtrees.outer]
args = ["k"]
root = "i"
[subtrees.outer.nodes.i]
subtree = "inner"
args = { m = "k + 1" }
[subtrees.inner]
args = ["m"]
root = "b"
[subtrees.inner.nodes.b]
player = "B"
infoset = "blind"
moves = { u = "up", d = "down" }
[subtrees.inner.outcomes.up]
payoffs = { A = "m", B = "m" }
[subtrees.inner.outcomes.down]
payoffs = { A = "0", B = "0" }
"#;
    assert_eq!(problems(m), "");
    let t = model::load("m.toml", m).template.unwrap();
    let g = t.instantiate(&t.defaults()).unwrap();
    let names = &g.tree.node_names;
    let id = |n: &str| {
        names
            .iter()
            .position(|x| x == n)
            .unwrap_or_else(|| panic!("{n}"))
    };
    assert_eq!(first_payoff(&g, "up_i_left"), 2.0);
    assert_eq!(first_payoff(&g, "up_i_right"), 0.0);
    let infoset = |n: &str| match g.tree.nodes[id(n)].kind {
        deter::game::NodeKind::Decision { infoset, .. } => infoset,
        _ => panic!(),
    };
    assert_eq!(infoset("b_i_left"), infoset("b_i_right"));
}

#[test]
fn a_question_forcing_every_copy_reads_once_in_words() {
    let base = std::fs::read_to_string(repo(HEDGING)).unwrap();
    let text = base
        + r#"
[questions.support_matters]
ask       = "Does guaranteed support deter the challenger?"
subject   = "guaranteed support"
event     = "challenge"
treatment = { force = { crisis.defender = "support" } }
control   = { remove = { crisis.defender = ["support"] } }
"#;
    let loaded = model::load("q.toml", text);
    let t = loaded.template.unwrap();
    let q = t
        .ast
        .questions
        .iter()
        .find(|q| q.name.v == "support_matters")
        .unwrap();
    let words = deter::report::build::counterfactual_words(&t, &q.treatment);
    assert_eq!(words.matches("supports").count(), 1, "{words}");
    assert!(!words.contains("crisis.defender"), "{words}");
    assert!(!words.contains("plays support"), "{words}");
}

#[test]
fn decimal_arguments_stay_exact() {
    // An argument `0.1` is one tenth in the exact certificate, as if written in place.
    let m = SMALL.replace("args = { v = \"x\" }", "args = { v = \"0.1\" }");
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("m.toml");
    std::fs::write(&f, m).unwrap();
    let out = deter_ok(&["solve", f.to_str().unwrap(), "--format", "json"]);
    // A takes `l`, B answers `up`: A's payoff is v = 1/10 exactly.
    assert!(out.contains("\"A\": \"1/10\""), "{out}");
}
