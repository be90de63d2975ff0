//! Checking a model and building its [`GameTemplate`].
//!
//! One pass over the [`ModelAst`] resolves every name (players, nodes, outcomes, parameters),
//! checks the tree's shape (a node reached twice, cycles, unreachable nodes, nodes without
//! moves, information sets whose members differ), compiles every formula, and then evaluates all
//! formulas at the check points — the defaults, every scenario, and both ends of every
//! parameter's range — so a division by zero or a chance distribution that does not sum to one
//! is reported before any solve. Every problem becomes a located [`Diagnostic`]; the template is
//! produced only when there are no errors.

use super::ast::*;
use super::template::{FormulaInfo, GameTemplate, InstantiateError, Params, Scenario};
use crate::diag::{did_you_mean, has_errors, Diagnostic};
use crate::expr::{self, ParamId};
use crate::game::tree::TreeBuilder;
use crate::game::{NodeId, NodeKind, PlayerId};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Names that cannot be parameters (they are formula functions).
const RESERVED: &[&str] = &["min", "max", "abs", "exp", "ln", "sqrt", "if"];

/// Checks `ast` and builds its template; `cf` removes or forces moves (a counterfactual game).
/// Returns the template if there is no error, and every diagnostic found.
pub fn build(ast: &ModelAst, cf: &Counterfactual) -> (Option<GameTemplate>, Vec<Diagnostic>) {
    let mut d = Vec::new();
    let counterfactual = !cf.force.is_empty() || !cf.remove.is_empty();

    // Players.
    let mut players: Vec<String> = Vec::new();
    for p in &ast.players {
        if players.contains(&p.v) {
            d.push(Diagnostic::error(
                p.span.clone(),
                format!("player `{}` is listed twice", p.v),
            ));
        }
        players.push(p.v.clone());
    }
    if ast.players.is_empty() && ast.players_span.is_some() {
        d.push(Diagnostic::error(
            ast.players_span.clone(),
            "the model has no players",
        ));
    }

    let params = build_params(ast, &mut d);
    let scenarios = build_scenarios(ast, &params, &mut d);

    // Node and outcome names share one namespace.
    let mut names: HashMap<&str, Target> = HashMap::new();
    for (i, n) in ast.nodes.iter().enumerate() {
        names.insert(n.name.v.as_str(), Target::Node(i));
    }
    for (i, o) in ast.outcomes.iter().enumerate() {
        if names.contains_key(o.name.v.as_str()) {
            d.push(
                Diagnostic::error(
                    o.name.span.clone(),
                    format!("`{}` is both a node and an outcome", o.name.v),
                )
                .with_hint("rename one of them"),
            );
        }
        names.insert(o.name.v.as_str(), Target::Outcome(i));
    }
    let all_names: Vec<&str> = names.keys().copied().collect();

    // Moves of each node after the counterfactual.
    let moves = apply_counterfactual(ast, cf, &mut d);

    // Players and move targets. A move into a node or outcome that could not be read (its
    // error is already reported) leaves the tree unbuildable: `unresolved` stops the build
    // before the tree is assembled.
    let mut unresolved = false;
    let mut parent_of: HashMap<Target, (usize, &Sp<String>)> = HashMap::new();
    for (i, n) in ast.nodes.iter().enumerate() {
        if let Mover::Player { player, .. } = &n.mover {
            if !players.contains(&player.v) {
                d.push(
                    Diagnostic::error(
                        player.span.clone(),
                        format!("unknown player `{}`", player.v),
                    )
                    .with_label("not in `players`")
                    .with_hint_opt(did_you_mean(&player.v, players.iter().map(String::as_str)))
                    .with_hint(format!("the players are {}", players.join(", "))),
                );
            }
        }
        if moves[i].is_empty() {
            d.push(
                Diagnostic::error(
                    n.moves_span.clone(),
                    format!("node `{}` has no moves", n.name.v),
                )
                .with_hint("a node needs at least one move; an end of the game is an outcome"),
            );
        }
        for m in &moves[i] {
            match names.get(m.to.v.as_str()) {
                None if ast.broken.contains(&m.to.v) => unresolved = true,
                None => d.push(
                    Diagnostic::error(
                        m.to.span.clone(),
                        format!(
                            "move `{}` of node `{}` leads to unknown `{}`",
                            m.label.v, n.name.v, m.to.v
                        ),
                    )
                    .with_label("no node or outcome of this name")
                    .with_hint_opt(did_you_mean(&m.to.v, all_names.iter().copied())),
                ),
                Some(&t) => {
                    if let Some((first, _)) = parent_of.get(&t) {
                        d.push(
                            Diagnostic::error(
                                m.to.span.clone(),
                                format!("`{}` is reached by more than one move", m.to.v),
                            )
                            .with_label("second move into it")
                            .with_hint(format!(
                                "node `{}` already leads to it; a game tree gives every node one parent, so copy the subtree under a new name",
                                ast.nodes[*first].name.v
                            )),
                        );
                    } else {
                        parent_of.insert(t, (i, &m.to));
                    }
                }
            }
        }
    }

    // Root, reachability and cycles.
    let root = root_node(ast, &names, &all_names, &mut d);
    if let Some(r) = root {
        if let Some((_, into)) = parent_of.get(&Target::Node(r)) {
            d.push(
                Diagnostic::error(
                    into.span.clone(),
                    format!("a move leads back to the root `{}`", into.v),
                )
                .with_label("this move makes a cycle"),
            );
        }
    }
    let reachable = reachability(ast, &moves, &names, root);
    // With nodes that could not be read, what they lead to is unknown: no unreachable noise.
    if !counterfactual && ast.broken.is_empty() {
        report_unreachable(ast, &names, &parent_of, &reachable, &mut d);
    }

    // Outcomes' payoffs.
    for o in &ast.outcomes {
        for (p, _) in &o.payoffs {
            if !players.contains(&p.v) {
                d.push(
                    Diagnostic::error(
                        p.span.clone(),
                        format!(
                            "payoff for unknown player `{}` at outcome `{}`",
                            p.v, o.name.v
                        ),
                    )
                    .with_hint_opt(did_you_mean(&p.v, players.iter().map(String::as_str))),
                );
            }
        }
        let missing: Vec<&str> = players
            .iter()
            .filter(|p| !o.payoffs.iter().any(|(q, _)| &q.v == *p))
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            d.push(
                Diagnostic::error(
                    o.payoffs_span.clone(),
                    format!(
                        "outcome `{}` has no payoff for {}",
                        o.name.v,
                        missing.join(", ")
                    ),
                )
                .with_hint(format!("add `{} = \"…\"` to its payoffs", missing[0])),
            );
        }
    }

    check_infosets(ast, &moves, &reachable, &mut d);

    // Formulas: parse and compile (all of them, so every error is reported).
    let mut resolve = |name: &str| params.id(name).map(|i| ParamId(i as u32));
    let mut compiled: HashMap<(usize, usize), (expr::Expr, expr::Ast)> = HashMap::new(); // (outcome, player) / chance
    let mut chance_compiled: HashMap<(usize, usize), (expr::Expr, expr::Ast)> = HashMap::new();
    for (oi, o) in ast.outcomes.iter().enumerate() {
        for (p, f) in &o.payoffs {
            if let Some(pi) = players.iter().position(|q| q == &p.v) {
                if let Some(c) = compile_formula(f, &params, &mut resolve, &mut d) {
                    compiled.insert((oi, pi), c);
                }
            }
        }
    }
    for (ni, n) in ast.nodes.iter().enumerate() {
        for (mi, m) in moves[ni].iter().enumerate() {
            if let Some(f) = &m.prob {
                if let Some(c) = compile_formula(f, &params, &mut resolve, &mut d) {
                    chance_compiled.insert((ni, mi), c);
                }
            }
        }
        let _ = n;
    }

    if has_errors(&d) || unresolved {
        return (None, d);
    }
    let Some(root) = root else {
        return (None, d);
    };

    // Tree.
    let mut b = TreeBuilder::new(ast.title.clone(), players.clone());
    let mut bnode: HashMap<Target, usize> = HashMap::new();
    for (i, n) in ast.nodes.iter().enumerate() {
        if !reachable.contains(&Target::Node(i)) {
            continue;
        }
        let id = match &n.mover {
            Mover::Player { player, infoset } => {
                let p = PlayerId::from(players.iter().position(|q| q == &player.v).unwrap_or(0));
                b.decision(n.name.v.clone(), p, infoset.as_ref().map(|s| s.v.clone()))
            }
            Mover::Chance => b.chance(n.name.v.clone()),
        };
        bnode.insert(Target::Node(i), id);
    }
    for (i, o) in ast.outcomes.iter().enumerate() {
        if reachable.contains(&Target::Outcome(i)) {
            let ev = o.events.iter().map(|e| e.v.clone()).collect();
            bnode.insert(Target::Outcome(i), b.terminal(o.name.v.clone(), ev));
        }
    }
    for (i, _) in ast.nodes.iter().enumerate() {
        let Some(&from) = bnode.get(&Target::Node(i)) else {
            continue;
        };
        for m in &moves[i] {
            let Some(&to) = names.get(m.to.v.as_str()).and_then(|t| bnode.get(t)) else {
                // Unknown and unread targets were reported above and stop the build first.
                d.push(Diagnostic::error(
                    m.to.span.clone(),
                    format!(
                        "move `{}` leads to `{}`, which is not in the tree",
                        m.label.v, m.to.v
                    ),
                ));
                return (None, d);
            };
            if let Err(e) = b.add_move(from, m.label.v.clone(), m.say.clone(), to) {
                d.push(Diagnostic::error(m.to.span.clone(), e.to_string()));
            }
        }
    }
    let Some(&root_id) = bnode.get(&Target::Node(root)) else {
        return (None, d);
    };
    let built = match b.finish(root_id) {
        Ok(b) => b,
        Err(e) => {
            d.push(Diagnostic::error(
                ast.root.as_ref().map(|r| r.span.clone()),
                e.to_string(),
            ));
            return (None, d);
        }
    };
    let tree = Arc::new(built.tree);

    // Spans per arena node; formulas in evaluation order.
    let mut node_spans = vec![0..0; tree.nodes.len()];
    let mut target_of_node: Vec<Option<Target>> = vec![None; tree.nodes.len()];
    for (t, &bi) in &bnode {
        if let Some(id) = built.node_of[bi] {
            node_spans[id.ix()] = match *t {
                Target::Node(i) => ast.nodes[i].name.span.clone(),
                Target::Outcome(i) => ast.outcomes[i].name.span.clone(),
            };
            target_of_node[id.ix()] = Some(*t);
        }
    }
    let np = players.len();
    let mut formulas = Vec::new();
    let mut exprs = Vec::new();
    for leaf in &tree.leaves {
        let Some(Target::Outcome(oi)) = target_of_node[leaf.node.ix()] else {
            unreachable!("every leaf comes from an outcome")
        };
        let o = &ast.outcomes[oi];
        for (pi, pname) in players.iter().enumerate() {
            let (e, a) = compiled[&(oi, pi)].clone();
            let src = o
                .payoffs
                .iter()
                .find(|(q, _)| &q.v == pname)
                .map(|(_, f)| f.clone());
            formulas.push(FormulaInfo {
                src: src.unwrap_or_else(|| unreachable!("missing payoffs were reported")),
                what: format!("the payoff of {pname} at outcome `{}`", o.name.v),
                ast: a,
            });
            exprs.push(e);
        }
    }
    let n_payoffs = exprs.len();
    debug_assert_eq!(n_payoffs, tree.leaves.len() * np);
    let mut chance_targets = Vec::new();
    let mut chance_nodes = Vec::new();
    for (id, node) in tree.nodes.iter().enumerate() {
        if node.kind != NodeKind::Chance {
            continue;
        }
        chance_nodes.push(NodeId::from(id));
        let Some(Target::Node(ni)) = target_of_node[id] else {
            unreachable!("chance nodes come from model nodes")
        };
        for (mi, c) in node.children().enumerate() {
            let (e, a) = chance_compiled[&(ni, mi)].clone();
            let m = &moves[ni][mi];
            formulas.push(FormulaInfo {
                src: m
                    .prob
                    .clone()
                    .unwrap_or_else(|| unreachable!("chance moves have prob")),
                what: format!(
                    "the probability of move `{}` at chance node `{}`",
                    m.label.v, ast.nodes[ni].name.v
                ),
                ast: a,
            });
            exprs.push(e);
            chance_targets.push(NodeId::from(c));
        }
    }

    let template = GameTemplate {
        title: ast.title.clone(),
        about: ast.about.clone(),
        tree,
        params,
        scenarios,
        formulas,
        exprs,
        n_payoffs,
        chance_targets,
        chance_nodes,
        node_spans,
        ast: Arc::new(ast.clone()),
    };
    check_points(&template, &mut d);
    if has_errors(&d) {
        (None, d)
    } else {
        (Some(template), d)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Target {
    Node(usize),
    Outcome(usize),
}

fn build_params(ast: &ModelAst, d: &mut Vec<Diagnostic>) -> Params {
    let mut p = Params::default();
    for def in &ast.params {
        let name = &def.name.v;
        if RESERVED.contains(&name.as_str()) {
            d.push(Diagnostic::error(
                def.name.span.clone(),
                format!("`{name}` is a formula function and cannot name a parameter"),
            ));
        } else if !is_identifier(name) {
            d.push(
                Diagnostic::error(
                    def.name.span.clone(),
                    format!("parameter name `{name}` cannot be used in formulas"),
                )
                .with_hint("use letters, digits and `_`, starting with a letter or `_`"),
            );
        }
        if let Some(r) = &def.range {
            let (lo, hi) = r.v;
            if def.value.v < lo || def.value.v > hi {
                d.push(
                    Diagnostic::error(
                        def.value.span.clone(),
                        format!(
                            "the default of `{name}` ({}) is outside its range [{lo}, {hi}]",
                            def.value.v
                        ),
                    )
                    .with_label("outside the range"),
                );
            }
        }
        p.names.push(name.clone());
        p.defaults.push(def.value.v);
        p.ranges.push(def.range.as_ref().map(|r| r.v));
        p.about.push(def.about.clone());
        p.spans.push(def.name.span.clone());
    }
    p
}

fn build_scenarios(ast: &ModelAst, params: &Params, d: &mut Vec<Diagnostic>) -> Vec<Scenario> {
    let mut out = Vec::new();
    for s in &ast.scenarios {
        let mut values = Vec::new();
        for (k, v) in &s.values {
            match params.id(&k.v) {
                None => d.push(
                    Diagnostic::error(
                        k.span.clone(),
                        format!("scenario `{}` sets unknown parameter `{}`", s.name.v, k.v),
                    )
                    .with_hint_opt(did_you_mean(&k.v, params.names.iter().map(String::as_str))),
                ),
                Some(id) => {
                    if let Err(m) = params.check_range(id, v.v) {
                        d.push(Diagnostic::error(
                            v.span.clone(),
                            format!("scenario `{}`: {m}", s.name.v),
                        ));
                    }
                    values.push((id, v.v));
                }
            }
        }
        out.push(Scenario {
            name: s.name.v.clone(),
            about: s.about.clone(),
            values,
        });
    }
    out
}

fn is_identifier(s: &str) -> bool {
    let mut c = s.chars();
    matches!(c.next(), Some(ch) if ch.is_ascii_alphabetic() || ch == '_')
        && c.all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
}

fn apply_counterfactual<'a>(
    ast: &'a ModelAst,
    cf: &Counterfactual,
    d: &mut Vec<Diagnostic>,
) -> Vec<Vec<&'a MoveDef>> {
    let mut moves: Vec<Vec<&MoveDef>> =
        ast.nodes.iter().map(|n| n.moves.iter().collect()).collect();
    let node_ix = |name: &Sp<String>, d: &mut Vec<Diagnostic>| {
        let i = ast.nodes.iter().position(|n| n.name.v == name.v);
        if i.is_none() {
            d.push(
                Diagnostic::error(name.span.clone(), format!("unknown node `{}`", name.v))
                    .with_hint_opt(did_you_mean(
                        &name.v,
                        ast.nodes.iter().map(|n| n.name.v.as_str()),
                    )),
            );
        }
        i
    };
    let check_move = |i: usize, m: &Sp<String>, d: &mut Vec<Diagnostic>| {
        let ok = ast.nodes[i].moves.iter().any(|x| x.label.v == m.v);
        if !ok {
            d.push(
                Diagnostic::error(
                    m.span.clone(),
                    format!("node `{}` has no move `{}`", ast.nodes[i].name.v, m.v),
                )
                .with_hint_opt(did_you_mean(
                    &m.v,
                    ast.nodes[i].moves.iter().map(|x| x.label.v.as_str()),
                )),
            );
        }
    };
    for (node, m) in &cf.force {
        if let Some(i) = node_ix(node, d) {
            check_move(i, m, d);
            moves[i].retain(|x| x.label.v == m.v);
        }
    }
    for (node, ms) in &cf.remove {
        if let Some(i) = node_ix(node, d) {
            for m in ms {
                check_move(i, m, d);
            }
            moves[i].retain(|x| !ms.iter().any(|m| m.v == x.label.v));
        }
    }
    moves
}

fn root_node(
    ast: &ModelAst,
    names: &HashMap<&str, Target>,
    all_names: &[&str],
    d: &mut Vec<Diagnostic>,
) -> Option<usize> {
    let r = ast.root.as_ref()?;
    match names.get(r.v.as_str()) {
        Some(Target::Node(i)) => Some(*i),
        Some(Target::Outcome(_)) => {
            d.push(Diagnostic::error(
                r.span.clone(),
                format!(
                    "the root `{}` is an outcome; play must start at a node",
                    r.v
                ),
            ));
            None
        }
        None if ast.broken.contains(&r.v) => None,
        None => {
            d.push(
                Diagnostic::error(r.span.clone(), format!("the root `{}` is not a node", r.v))
                    .with_hint_opt(did_you_mean(&r.v, all_names.iter().copied())),
            );
            None
        }
    }
}

fn reachability(
    ast: &ModelAst,
    moves: &[Vec<&MoveDef>],
    names: &HashMap<&str, Target>,
    root: Option<usize>,
) -> HashSet<Target> {
    let mut seen = HashSet::new();
    let Some(r) = root else { return seen };
    let mut stack = vec![Target::Node(r)];
    while let Some(t) = stack.pop() {
        if !seen.insert(t) {
            continue;
        }
        if let Target::Node(i) = t {
            for m in &moves[i] {
                if let Some(&c) = names.get(m.to.v.as_str()) {
                    stack.push(c);
                }
            }
        }
    }
    let _ = ast;
    seen
}

fn report_unreachable(
    ast: &ModelAst,
    names: &HashMap<&str, Target>,
    parent_of: &HashMap<Target, (usize, &Sp<String>)>,
    reachable: &HashSet<Target>,
    d: &mut Vec<Diagnostic>,
) {
    if reachable.is_empty() {
        return;
    }
    // Every node has at most one parent, so following parents from an unreachable node either
    // stops at a parentless node or goes round a cycle.
    let mut on_cycle: HashSet<Target> = HashSet::new();
    for (i, n) in ast.nodes.iter().enumerate() {
        let t = Target::Node(i);
        if reachable.contains(&t) || on_cycle.contains(&t) {
            continue;
        }
        let mut path = vec![t];
        let mut cur = t;
        while let Some(&(p, _)) = parent_of.get(&cur) {
            let pt = Target::Node(p);
            if let Some(pos) = path.iter().position(|&x| x == pt) {
                let cyc: Vec<&str> = path[pos..]
                    .iter()
                    .rev()
                    .map(|&x| match x {
                        Target::Node(k) => ast.nodes[k].name.v.as_str(),
                        Target::Outcome(k) => ast.outcomes[k].name.v.as_str(),
                    })
                    .collect();
                on_cycle.extend(path[pos..].iter().copied());
                d.push(
                    Diagnostic::error(
                        n.name.span.clone(),
                        format!(
                            "nodes {} form a cycle",
                            cyc.iter()
                                .map(|c| format!("`{c}`"))
                                .collect::<Vec<_>>()
                                .join(" → ")
                        ),
                    )
                    .with_hint("a game tree has no cycles: every play must end at an outcome"),
                );
                break;
            }
            path.push(pt);
            cur = pt;
        }
    }
    for (i, n) in ast.nodes.iter().enumerate() {
        let t = Target::Node(i);
        if !reachable.contains(&t) && !on_cycle.contains(&t) {
            d.push(
                Diagnostic::warning(
                    n.name.span.clone(),
                    format!("node `{}` cannot be reached from the root", n.name.v),
                )
                .with_hint("no move leads to it; it is ignored"),
            );
        }
    }
    for (i, o) in ast.outcomes.iter().enumerate() {
        let t = Target::Outcome(i);
        if !reachable.contains(&t)
            && !parent_of
                .get(&t)
                .is_some_and(|(p, _)| on_cycle.contains(&Target::Node(*p)))
        {
            d.push(
                Diagnostic::warning(
                    o.name.span.clone(),
                    format!("outcome `{}` cannot be reached from the root", o.name.v),
                )
                .with_hint("no move leads to it; it is ignored"),
            );
        }
    }
    let _ = names;
}

fn check_infosets(
    ast: &ModelAst,
    moves: &[Vec<&MoveDef>],
    reachable: &HashSet<Target>,
    d: &mut Vec<Diagnostic>,
) {
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (i, n) in ast.nodes.iter().enumerate() {
        let Mover::Player {
            player,
            infoset: Some(set),
        } = &n.mover
        else {
            continue;
        };
        if !reachable.contains(&Target::Node(i)) {
            continue;
        }
        let Some(&f) = first.get(set.v.as_str()) else {
            first.insert(set.v.as_str(), i);
            continue;
        };
        let fnode = &ast.nodes[f];
        if let Mover::Player { player: fp, .. } = &fnode.mover {
            if fp.v != player.v {
                d.push(
                    Diagnostic::error(
                        player.span.clone(),
                        format!(
                            "information set `{}` mixes movers: node `{}` is moved by {}, node `{}` by {}",
                            set.v, fnode.name.v, fp.v, n.name.v, player.v
                        ),
                    )
                    .with_hint("all nodes of an information set belong to one player"),
                );
            }
        }
        let la: Vec<&str> = moves[f].iter().map(|m| m.label.v.as_str()).collect();
        let lb: Vec<&str> = moves[i].iter().map(|m| m.label.v.as_str()).collect();
        if la != lb {
            d.push(
                Diagnostic::error(
                    n.moves_span.clone(),
                    format!(
                        "information set `{}`: node `{}` offers moves [{}] but node `{}` offers [{}]",
                        set.v,
                        n.name.v,
                        lb.join(", "),
                        fnode.name.v,
                        la.join(", ")
                    ),
                )
                .with_hint("the mover cannot tell these nodes apart, so they must offer the same moves in the same order"),
            );
        }
    }
}

fn compile_formula(
    f: &FormulaSrc,
    params: &Params,
    resolve: &mut dyn FnMut(&str) -> Option<ParamId>,
    d: &mut Vec<Diagnostic>,
) -> Option<(expr::Expr, expr::Ast)> {
    let ast = match expr::parse(&f.text) {
        Ok(a) => a,
        Err(e) => {
            d.push(
                Diagnostic::error(
                    f.file_span(&e.span),
                    format!("formula `{}`: {}", f.text, e.message),
                )
                .with_label("here")
                .with_hint_opt(e.hint.clone()),
            );
            return None;
        }
    };
    match expr::compile(&ast, resolve) {
        Ok(e) => Some((e, ast)),
        Err(unknown) => {
            for u in unknown {
                d.push(
                    Diagnostic::error(
                        f.file_span(&u.span),
                        format!("unknown parameter `{}` in formula `{}`", u.name, f.text),
                    )
                    .with_label("not declared in [parameters]")
                    .with_hint_opt(did_you_mean(
                        &u.name,
                        params.names.iter().map(String::as_str),
                    )),
                );
            }
            None
        }
    }
}

/// Evaluates every formula at the defaults, every scenario, and both ends of every range.
fn check_points(t: &GameTemplate, d: &mut Vec<Diagnostic>) {
    let mut points: Vec<Vec<f64>> = vec![t.defaults()];
    for s in &t.scenarios {
        let mut th = t.defaults();
        for &(id, v) in &s.values {
            th[id] = v;
        }
        points.push(th);
    }
    for (id, r) in t.params.ranges.iter().enumerate() {
        if let Some((lo, hi)) = *r {
            for v in [lo, hi] {
                let mut th = t.defaults();
                th[id] = v;
                points.push(th);
            }
        }
    }
    let mut game = t.empty_game();
    let mut stack = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for th in &points {
        // Evaluate formula by formula so every failing formula is reported, not just the first.
        for (i, e) in t.exprs.iter().enumerate() {
            if let Err(error) = e.eval(th, &mut stack) {
                let err = InstantiateError::Eval { formula: i, error };
                if seen.insert(format!("f{i}")) {
                    d.push(t.diagnose(&err, th));
                }
            }
        }
        if let Err(err @ InstantiateError::Chance { node, .. }) =
            t.instantiate_into(th, &mut game, &mut stack)
        {
            if seen.insert(format!("c{}", node.ix())) {
                d.push(t.diagnose(&err, th));
            }
        }
    }
}
