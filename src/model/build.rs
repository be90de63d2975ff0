//! Checking a model and building its [`GameTemplate`].
//!
//! One pass over the [`ModelAst`] resolves every name (players, nodes, outcomes, parameters),
//! checks the tree's shape (a node reached twice, cycles, unreachable nodes, nodes without
//! moves, information sets whose members differ), compiles every formula, and then evaluates all
//! formulas at the check points — the defaults, every scenario, and both ends of every
//! parameter's range — so a division by zero or a chance distribution that does not sum to one
//! is reported before any solve. Every problem becomes a located [`Diagnostic`]; the template is
//! produced only when there are no errors.
//!
//! Players with private types (`[types]`, checked in [`super::types`]) make the model stand for
//! a larger tree: nature draws the types first and the written tree is copied once per type
//! profile, with each name a type binds substituted into the copy's formulas. The checks run on
//! the written model, so each mistake is reported once, at the line the modeler wrote.

use super::ast::*;
use super::bind;
use super::index::{Moves, Names};
use super::sources::payoff_what;
use super::targets::{Target, TargetMap, TargetSet};
use super::template::{FormulaInfo, Formulas, GameTemplate, InstantiateError, Params, Scenario};
use super::types::{self, TypeSpace};
use crate::diag::{did_you_mean, has_errors, Diagnostic};
use crate::expr::{self, ParamId};
use crate::game::tree::TreeBuilder;
use crate::game::{NodeId, NodeKind, PlayerId, Tree};
use rustc_hash::FxHashMap;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

/// Names that cannot be parameters (they are formula functions).
const RESERVED: &[&str] = &["min", "max", "abs", "exp", "ln", "sqrt", "if"];

/// Checks `ast` and builds its template; `cf` removes or forces moves (a counterfactual game).
/// Returns the template if there is no error, and every diagnostic found.
pub fn build(ast: &ModelAst, cf: &Counterfactual) -> (Option<GameTemplate>, Vec<Diagnostic>) {
    build_with(ast, cf, || Arc::new(ast.clone()))
}

/// [`build`] for a model already shared: the template keeps `ast` itself rather than a copy
/// (for a big model the copy would cost as much as reading it).
pub fn build_shared(
    ast: &Arc<ModelAst>,
    cf: &Counterfactual,
) -> (Option<GameTemplate>, Vec<Diagnostic>) {
    build_with(ast, cf, || Arc::clone(ast))
}

/// [`build`], with `shared` giving the model the template keeps (called only when there is
/// a template to keep it).
fn build_with(
    ast: &ModelAst,
    cf: &Counterfactual,
    shared: impl FnOnce() -> Arc<ModelAst>,
) -> (Option<GameTemplate>, Vec<Diagnostic>) {
    let mut d = Vec::new();
    let counterfactual = !cf.force.is_empty() || !cf.remove.is_empty() || !cf.set.is_empty();
    let players = check_players(ast, &mut d);
    let params = build_params(ast, &mut d);
    let scenarios = build_scenarios(ast, &params, &mut d);
    let overrides = counterfactual_values(cf, &params, &mut d);
    let names = name_table(ast, &mut d);
    let mut moves = apply_counterfactual(ast, cf, &mut d);
    moves.resolve(&names);
    let parent_of = check_moves(ast, &players, &names, &moves, &mut d);
    let root = check_root(ast, &names, &parent_of, &mut d);
    let reachable = reachability(&moves, ast.outcomes.len(), root);
    // With nodes that could not be read, what they lead to is unknown: no unreachable noise.
    if !counterfactual && ast.broken.is_empty() {
        report_unreachable(ast, &parent_of, &reachable, &mut d);
    }
    // Not needed below; a big model's is tens of megabytes.
    drop(parent_of);
    check_payoff_players(ast, &players, &mut d);
    check_infosets(ast, &moves, &reachable, &mut d);
    let space = types::check(ast, &players, &params, &mut d);
    check_infoset_names(ast, &space, &mut d);
    let parsed = parse_formulas(ast, &moves, &params, &space, &mut d);

    // A model whose reading failed somewhere (`broken`) may have moves into nodes that were
    // never read; the reader has reported them, and no tree is built from such a model.
    if has_errors(&d) || !ast.broken.is_empty() {
        return (None, d);
    }
    let Some(root) = root else {
        return (None, d);
    };
    let shape = Shape {
        ast,
        players: &players,
        moves: &moves,
        reachable: &reachable,
        space: &space,
    };
    let Some((tree, origin)) = build_tree(&shape, root, &mut d) else {
        return (None, d);
    };
    let parts = Parts {
        tree,
        params,
        scenarios,
        ast: shared(),
    };
    let Some(mut template) = assemble(&shape, parts, &origin, &parsed, &mut d) else {
        return (None, d);
    };
    fix_parameters(&mut template, overrides);
    check_points(&template, &shape, &origin, &parsed, &mut d);
    if has_errors(&d) {
        (None, d)
    } else {
        (Some(template), d)
    }
}

/// The checked model as the tree builder reads it.
struct Shape<'a> {
    ast: &'a ModelAst,
    players: &'a [String],
    moves: &'a Moves<'a>,
    reachable: &'a TargetSet,
    space: &'a TypeSpace<'a>,
}

/// Players in order; duplicates and an empty list are errors.
fn check_players(ast: &ModelAst, d: &mut Vec<Diagnostic>) -> Vec<String> {
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
    players
}

/// Node and outcome names (one namespace) to what they name.
/// Each target's (first) parent node and the move into it.
type Parents<'a> = TargetMap<(usize, &'a Sp<Name, Span>)>;

/// Every node and outcome name, sorted (for suggestions after a mistake; made only then).
fn sorted_names<'a>(names: &Names<'a>) -> Vec<&'a str> {
    let mut all: Vec<&str> = names.keys().collect();
    all.sort_unstable();
    all
}

/// Node and outcome names, which share one namespace.
fn name_table<'a>(ast: &'a ModelAst, d: &mut Vec<Diagnostic>) -> Names<'a> {
    let mut names = Names::new(ast);
    for i in 0..ast.nodes.len() {
        names.insert(Target::Node(i));
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
        names.insert(Target::Outcome(i));
    }
    names
}

/// Movers are players, every node has a move, every move leads somewhere known, and nothing
/// is entered twice. Returns each target's (first) parent node and the move into it.
fn check_moves<'a>(
    ast: &'a ModelAst,
    players: &[String],
    names: &Names<'_>,
    moves: &Moves<'a>,
    d: &mut Vec<Diagnostic>,
) -> Parents<'a> {
    let mut all_names: Option<Vec<&str>> = None;
    let mut parent_of: Parents<'a> = TargetMap::new(ast.nodes.len(), ast.outcomes.len());
    for (i, n) in ast.nodes.iter().enumerate() {
        if let Mover::Player { player, .. } = &n.mover {
            if !players.iter().any(|q| *q == player.v) {
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
        for (m, to) in moves.targets(i) {
            match to {
                None if ast.broken.iter().any(|b| *b == m.to.v) => {}
                None => d.push(
                    Diagnostic::error(
                        m.to.span.range(),
                        format!(
                            "move `{}` of node `{}` leads to unknown `{}`",
                            m.label.v, n.name.v, m.to.v
                        ),
                    )
                    .with_label("no node or outcome of this name")
                    .with_hint_opt(did_you_mean(
                        &m.to.v,
                        all_names
                            .get_or_insert_with(|| sorted_names(names))
                            .iter()
                            .copied(),
                    )),
                ),
                Some(t) => {
                    if let Some((first, _)) = parent_of.get(&t) {
                        d.push(
                            Diagnostic::error(
                                m.to.span.range(),
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
    parent_of
}

/// The root node, which no move may lead back to.
fn check_root(
    ast: &ModelAst,
    names: &Names<'_>,
    parent_of: &Parents<'_>,
    d: &mut Vec<Diagnostic>,
) -> Option<usize> {
    let root = root_node(ast, names, d);
    if let Some(r) = root {
        if let Some((_, into)) = parent_of.get(&Target::Node(r)) {
            d.push(
                Diagnostic::error(
                    into.span.range(),
                    format!("a move leads back to the root `{}`", into.v),
                )
                .with_label("this move makes a cycle"),
            );
        }
    }
    root
}

/// Every outcome has a payoff for every player and none for anyone else.
fn check_payoff_players(ast: &ModelAst, players: &[String], d: &mut Vec<Diagnostic>) {
    // Which payoff keys are players (most files write only players' names).
    let key_player: Vec<bool> = ast
        .payoff_keys
        .iter()
        .map(|k| players.iter().any(|q| q == k.as_str()))
        .collect();
    for o in &ast.outcomes {
        for e in &o.payoffs {
            if !key_player[e.key as usize] {
                let p = ast.payoff_key(e);
                d.push(
                    Diagnostic::error(
                        e.key_span.range(),
                        format!(
                            "payoff for unknown player `{}` at outcome `{}`",
                            p, o.name.v
                        ),
                    )
                    .with_hint_opt(did_you_mean(p, players.iter().map(String::as_str))),
                );
            }
        }
        if o.payoffs.len() == players.len() && o.payoffs.iter().all(|e| key_player[e.key as usize])
        {
            continue; // as many distinct players as players (a table's keys are distinct)
        }
        let missing: Vec<&str> = players
            .iter()
            .filter(|p| !o.payoffs.iter().any(|e| ast.payoff_key(e) == p.as_str()))
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            d.push(
                Diagnostic::error(
                    o.payoffs_span.range(),
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
}

/// With types, a singleton node's copies are grouped under the node's name, so a written
/// information set may not carry the name of a node as well.
fn check_infoset_names(ast: &ModelAst, space: &TypeSpace<'_>, d: &mut Vec<Diagnostic>) {
    if !space.is_typed() {
        return;
    }
    for n in &ast.nodes {
        if let Mover::Player {
            infoset: Some(set), ..
        } = &n.mover
        {
            if set.v != n.name.v && ast.nodes.iter().any(|m| m.name.v == set.v) {
                d.push(
                    Diagnostic::error(
                        set.span.clone(),
                        format!(
                            "information set `{}` has the name of a node; with types, information sets are named after nodes",
                            set.v
                        ),
                    )
                    .with_hint("rename the information set"),
                );
            }
        }
    }
}

/// Every formula parsed once, with its names checked: payoffs and chance moves may use
/// parameters and names bound by types; bound values and priors only parameters.
struct Parsed {
    /// `outcome * players + player` → the payoff formula, or one per type of the player, for
    /// the payoffs written as formulas or tables. A payoff written as a plain number (most of a
    /// big model's) is not here: its value is read from the model itself.
    payoffs: FxHashMap<usize, ParsedPayoff>,
    /// `(node, move)` → the chance move's probability.
    chance: HashMap<(usize, usize), expr::Ast>,
    /// `(typed player, type)` → its prior probability (independent types).
    type_prob: HashMap<(usize, usize), expr::Ast>,
    /// Joint prior entries, by position in `[prior]`.
    prior: HashMap<usize, expr::Ast>,
    /// `(typed player, type, name)` → its bound formula.
    lets: HashMap<(usize, usize, String), expr::Ast>,
}

enum ParsedPayoff {
    /// A plain number (see [`plain_number`]): most payoffs of a big model, kept small.
    Number(f64),
    Formula(Box<expr::Ast>),
    // Boxed so that the variant of most payoffs (a number) keeps the enum at 16 bytes.
    #[allow(clippy::box_collection)]
    ByType(Box<HashMap<String, expr::Ast>>),
}

fn parse_formulas(
    ast: &ModelAst,
    moves: &Moves<'_>,
    params: &Params,
    space: &TypeSpace<'_>,
    d: &mut Vec<Diagnostic>,
) -> Parsed {
    let mut out = Parsed {
        payoffs: FxHashMap::default(),
        chance: HashMap::new(),
        type_prob: HashMap::new(),
        prior: HashMap::new(),
        lets: HashMap::new(),
    };
    let players: Vec<&str> = ast.players.iter().map(|p| p.v.as_str()).collect();
    let with_lets = |n: &str| space.let_owner.contains_key(n);
    let no_lets = |_: &str| false;
    // The player of each payoff key, if it is one.
    let key_player: Vec<Option<usize>> = ast
        .payoff_keys
        .iter()
        .map(|k| players.iter().position(|q| *q == k.as_str()))
        .collect();
    for (oi, o) in ast.outcomes.iter().enumerate() {
        for e in &o.payoffs {
            let Some(pi) = key_player[e.key as usize] else {
                continue;
            };
            match &e.pay {
                // Read from the model by `assemble`.
                PayoffSrc::Number { .. } => {}
                PayoffSrc::Formula(f) => {
                    if let Some(v) = plain_decimal(f) {
                        out.payoffs
                            .insert(oi * players.len() + pi, ParsedPayoff::Number(v));
                    } else if let Some(a) = parse_formula(f, params, &with_lets, d) {
                        out.payoffs.insert(
                            oi * players.len() + pi,
                            match plain_number(f, &a) {
                                Some(v) => ParsedPayoff::Number(v),
                                None => ParsedPayoff::Formula(Box::new(a)),
                            },
                        );
                    }
                }
                PayoffSrc::ByType(b) => {
                    let mut m = HashMap::new();
                    for (t, f) in &b.entries {
                        if let Some(a) = parse_formula(f, params, &with_lets, d) {
                            m.insert(t.v.clone(), a);
                        }
                    }
                    out.payoffs
                        .insert(oi * players.len() + pi, ParsedPayoff::ByType(Box::new(m)));
                }
            }
        }
    }
    for (ni, ms) in moves.iter().enumerate() {
        for (mi, m) in ms.iter().enumerate() {
            if let Some(f) = m.prob() {
                if let Some(a) = parse_formula(f, params, &with_lets, d) {
                    out.chance.insert((ni, mi), a);
                }
            }
        }
    }
    for (k, (_, pt)) in space.players.iter().enumerate() {
        for (ti, t) in pt.types.iter().enumerate() {
            if let Some(f) = &t.prob {
                if let Some(a) = parse_formula(f, params, &no_lets, d) {
                    out.type_prob.insert((k, ti), a);
                }
            }
            for (n, f) in &t.lets {
                if let Some(a) = parse_formula(f, params, &no_lets, d) {
                    out.lets.insert((k, ti, n.v.clone()), a);
                }
            }
        }
    }
    if let Some((entries, _)) = &ast.prior {
        for (i, e) in entries.iter().enumerate() {
            if let Some(a) = parse_formula(&e.prob, params, &no_lets, d) {
                out.prior.insert(i, a);
            }
        }
    }
    out
}

/// The value of a formula written as a plain decimal (`3.47`, `12`, `.5`: digits and at most
/// one point), read as the formula parser reads it (a number spanning the whole text; see
/// [`plain_number`]) without running the parser: most payoffs of a big model are such numbers.
pub(super) fn plain_decimal(f: &FormulaSrc) -> Option<f64> {
    let text = f.text.as_bytes();
    if f.args.is_some() || text.is_empty() || text == b"." {
        return None;
    }
    if text.iter().filter(|&&c| c == b'.').count() > 1
        || !text.iter().all(|&c| c.is_ascii_digit() || c == b'.')
    {
        return None;
    }
    f.text.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Parses a formula and checks that every name in it is a parameter or `bound`.
fn parse_formula(
    f: &FormulaSrc,
    params: &Params,
    bound: &dyn Fn(&str) -> bool,
    d: &mut Vec<Diagnostic>,
) -> Option<expr::Ast> {
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
    if f.args.is_none() && matches!(ast.kind, expr::AstKind::Num(_)) {
        // A number (most payoffs of a big model): no names to check.
        return Some(ast);
    }
    // A subtree's arguments shadow parameters of the same name.
    let is_arg = |name: &str| {
        f.args
            .as_ref()
            .is_some_and(|a| a.iter().any(|(n, _)| n == name))
    };
    // Bound names resolve to a placeholder: only the unknown names matter here.
    let mut resolve = |name: &str| {
        if is_arg(name) {
            return Some(ParamId(0));
        }
        params
            .id(name)
            .map(|i| ParamId(i as u32))
            .or_else(|| bound(name).then_some(ParamId(0)))
    };
    match expr::compile(&ast, &mut resolve) {
        Ok(_) => match &f.args {
            None => Some(ast),
            Some(args) => {
                // Each argument's own mistakes are reported where the use writes it.
                let mut parsed = Vec::with_capacity(args.len());
                for (n, af) in args.iter() {
                    parsed.push((n.as_str(), parse_formula(af, params, bound, d)?));
                }
                let lookup = |name: &str| parsed.iter().find(|(n, _)| *n == name).map(|(_, a)| a);
                Some(bind::substitute(&ast, &lookup))
            }
        },
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

/// Where an arena node came from (12 bytes: a big model has millions of nodes).
#[derive(Clone, Copy, Debug)]
enum Origin {
    /// A copy of a written node (or, with `outcome`, outcome) `ix`, in a type profile.
    Written {
        outcome: bool,
        ix: u32,
        profile: u32,
    },
    /// Nature's draw of the types of typed player `level` (independent types).
    Types { level: u32 },
    /// Nature's draw of a type profile (joint prior).
    Joint,
}

impl Origin {
    fn written(target: Target, profile: usize) -> Self {
        let (outcome, ix) = match target {
            Target::Node(i) => (false, i),
            Target::Outcome(i) => (true, i),
        };
        Origin::Written {
            outcome,
            ix: ix as u32,
            profile: profile as u32,
        }
    }

    /// The written node or outcome copied, and the profile.
    fn target(self) -> Option<(Target, usize)> {
        match self {
            Origin::Written {
                outcome,
                ix,
                profile,
            } => {
                let ix = ix as usize;
                let t = if outcome {
                    Target::Outcome(ix)
                } else {
                    Target::Node(ix)
                };
                Some((t, profile as usize))
            }
            _ => None,
        }
    }
}

/// The tree: nature's type draws on top, then one copy of the written tree per type profile.
fn build_tree(
    s: &Shape<'_>,
    root: usize,
    d: &mut Vec<Diagnostic>,
) -> Option<(Arc<Tree>, Vec<Origin>)> {
    let space = s.space;
    let mut b = TreeBuilder::new(s.ast.title.clone(), s.players.to_vec());
    b.set_player_names(s.ast.display_names());
    let mut origin_b: Vec<Origin> =
        Vec::with_capacity(space.profiles.len() * (s.ast.nodes.len() + s.ast.outcomes.len()));
    // Copies of the written tree, one per profile; their roots.
    let mut roots = Vec::with_capacity(space.profiles.len());
    for profile in 0..space.profiles.len() {
        roots.push(copy_tree(s, root, profile, &mut b, &mut origin_b, d)?);
    }
    let top = if !space.is_typed() {
        roots[0]
    } else if space.joint.is_some() {
        let c = b.chance("types");
        origin_b.push(Origin::Joint);
        for (profile, &r) in roots.iter().enumerate() {
            let label = space.suffix(profile);
            let label = label[1..label.len() - 1].to_string();
            add_move(&mut b, c, label, Some(space.joint_phrase(profile)), r, d)?;
        }
        c
    } else {
        type_chain(s, &roots, &mut b, &mut origin_b, d)?
    };
    let built = match b.finish(top) {
        Ok(b) => b,
        Err(e) => {
            d.push(Diagnostic::error(
                s.ast.root.as_ref().map(|r| r.span.clone()),
                e.to_string(),
            ));
            return None;
        }
    };
    let mut origin = vec![Origin::Joint; built.tree.nodes.len()];
    for (bi, id) in built.node_of.iter().enumerate() {
        if let Some(id) = id {
            origin[id.ix()] = origin_b[bi];
        }
    }
    Some((Arc::new(built.tree), origin))
}

fn add_move(
    b: &mut TreeBuilder,
    from: usize,
    label: String,
    say: Option<String>,
    to: usize,
    d: &mut Vec<Diagnostic>,
) -> Option<()> {
    match b.add_move(from, label, say, to) {
        Ok(()) => Some(()),
        Err(e) => {
            d.push(Diagnostic::error(None, e.to_string()));
            None
        }
    }
}

/// Independent types: one chance level per typed player (the first typed player at the top);
/// the leaves of the chain are the copies' roots, in profile order.
fn type_chain(
    s: &Shape<'_>,
    roots: &[usize],
    b: &mut TreeBuilder,
    origin_b: &mut Vec<Origin>,
    d: &mut Vec<Diagnostic>,
) -> Option<usize> {
    let space = s.space;
    // Build bottom-up: level k has one node per prefix of k types.
    let mut below: Vec<usize> = roots.to_vec();
    for level in (0..space.players.len()).rev() {
        let pt = space.players[level].1;
        let n_types = pt.types.len();
        let mut nodes = Vec::with_capacity(below.len() / n_types);
        for (g, group) in below.chunks(n_types).enumerate() {
            let prefix: Vec<&str> = prefix_of(space, level, g);
            let name = if prefix.is_empty() {
                format!("type:{}", pt.player.v)
            } else {
                format!("type:{}[{}]", pt.player.v, prefix.join(","))
            };
            let c = b.chance(name);
            origin_b.push(Origin::Types {
                level: level as u32,
            });
            for (t, &child) in group.iter().enumerate() {
                let ty = &pt.types[t];
                add_move(
                    b,
                    c,
                    ty.name.v.clone(),
                    Some(types::phrase(&pt.player.v, ty)),
                    child,
                    d,
                )?;
            }
            nodes.push(c);
        }
        below = nodes;
    }
    below.first().copied()
}

/// The type names of typed players `0..level` in the `g`-th group of level `level`.
fn prefix_of<'a>(space: &'a TypeSpace<'_>, level: usize, g: usize) -> Vec<&'a str> {
    let mut out = Vec::with_capacity(level);
    let mut rest = g;
    for k in (0..level).rev() {
        let n = space.players[k].1.types.len();
        out.push(space.players[k].1.types[rest % n].name.v.as_str());
        rest /= n;
    }
    out.reverse();
    out
}

/// One copy of the written tree below `root`, in type profile `profile`.
fn copy_tree(
    s: &Shape<'_>,
    root: usize,
    profile: usize,
    b: &mut TreeBuilder,
    origin_b: &mut Vec<Origin>,
    d: &mut Vec<Diagnostic>,
) -> Option<usize> {
    let ast = s.ast;
    let space = s.space;
    let suffix = space.suffix(profile);
    let mut bnode: TargetMap<usize> = TargetMap::new(ast.nodes.len(), ast.outcomes.len());
    b.reserve(ast.nodes.len() + ast.outcomes.len(), 0);
    for (i, n) in ast.nodes.iter().enumerate() {
        if !s.reachable.contains(&Target::Node(i)) {
            continue;
        }
        let name = suffixed(&n.name.v, &suffix);
        let name: &str = &name;
        let id = match &n.mover {
            Mover::Player { player, infoset } => {
                let p = s.players.iter().position(|q| q == &player.v)?;
                b.decision(
                    name,
                    PlayerId::from(p),
                    infoset_key(s, n, infoset, p, profile),
                )
            }
            Mover::Chance => b.chance(name),
        };
        origin_b.push(Origin::written(Target::Node(i), profile));
        bnode.insert(Target::Node(i), id);
    }
    for (i, o) in ast.outcomes.iter().enumerate() {
        if s.reachable.contains(&Target::Outcome(i)) {
            let ev = o.events.iter().map(|e| e.v.clone()).collect();
            bnode.insert(
                Target::Outcome(i),
                b.terminal(suffixed(&o.name.v, &suffix), ev),
            );
            origin_b.push(Origin::written(Target::Outcome(i), profile));
        }
    }
    for (i, _) in ast.nodes.iter().enumerate() {
        let Some(&from) = bnode.get(&Target::Node(i)) else {
            continue;
        };
        for (m, to) in s.moves.targets(i) {
            let to = *to.and_then(|t| bnode.get(&t))?;
            if let Err(e) = b.add_move(from, &*m.label.v, m.say().cloned(), to) {
                d.push(Diagnostic::error(m.to.span.range(), e.to_string()));
            }
        }
    }
    bnode.get(&Target::Node(root)).copied()
}

/// `name` followed by a type profile's suffix (borrowed without types: no copy per node).
fn suffixed<'a>(name: &'a str, suffix: &str) -> std::borrow::Cow<'a, str> {
    if suffix.is_empty() {
        return name.into();
    }
    let mut s = String::with_capacity(name.len() + suffix.len());
    s.push_str(name);
    s.push_str(suffix);
    s.into()
}

/// The information-set key of a copy of decision node `n`: its written information set (or
/// itself), refined by its mover's type. Without types this is the written `infoset` (a
/// singleton when there is none).
fn infoset_key(
    s: &Shape<'_>,
    n: &NodeDef,
    infoset: &Option<Sp<Name>>,
    player: usize,
    profile: usize,
) -> Option<String> {
    let space = s.space;
    if !space.is_typed() {
        return infoset.as_ref().map(|i| i.v.to_string());
    }
    let base: &str = infoset.as_ref().map_or(&n.name.v, |i| &i.v);
    Some(match space.type_of(profile, player) {
        Some(t) => format!("{base}[{}]", t.name.v),
        None => base.to_string(),
    })
}

/// `ast` in type profile `profile`: every name the profile's types bind substituted.
fn in_profile(ast: &expr::Ast, s: &Shape<'_>, parsed: &Parsed, profile: usize) -> expr::Ast {
    let space = s.space;
    if space.let_owner.is_empty() {
        return ast.clone();
    }
    let lookup = |name: &str| {
        let &k = space.let_owner.get(name)?;
        parsed
            .lets
            .get(&(k, space.profiles[profile][k], name.to_string()))
    };
    bind::substitute(ast, &lookup)
}

/// Formulas in evaluation order, compiled, with their sources.
struct Compiled {
    formulas: Formulas,
    pay_base: Vec<f64>,
    pay_exprs: Vec<(usize, expr::Expr)>,
    chance_exprs: Vec<expr::Expr>,
}

impl Compiled {
    /// Compiles `info.ast` (already in its profile) against the parameters.
    fn compile(info: &FormulaInfo, params: &Params, d: &mut Vec<Diagnostic>) -> Option<expr::Expr> {
        match expr::compile(&info.ast, &mut |name| {
            params.id(name).map(|i| ParamId(i as u32))
        }) {
            Ok(e) => Some(e),
            Err(_) => {
                // Names were checked when parsing, so this cannot happen; say so rather than
                // build a wrong template.
                d.push(Diagnostic::error(
                    info.src.span.clone(),
                    format!("{} `{}` could not be compiled", info.what, info.src.text),
                ));
                None
            }
        }
    }

    /// Adds a formula: a payoff (`chance` false) or a chance move's probability (after every
    /// payoff).
    fn push(
        &mut self,
        info: FormulaInfo,
        chance: bool,
        params: &Params,
        d: &mut Vec<Diagnostic>,
    ) -> Option<()> {
        let e = Self::compile(&info, params, d)?;
        if chance {
            self.chance_exprs.push(e);
        } else {
            self.pay_exprs.push((self.pay_base.len(), e));
            self.pay_base.push(0.0);
        }
        self.formulas.push_kept(info);
        Some(())
    }
}

/// The value of a payoff written as a plain number: its text parsed to just a number, spanning
/// the whole text (so its record can be made again from the text alone).
fn plain_number(f: &FormulaSrc, a: &expr::Ast) -> Option<f64> {
    match a.kind {
        expr::AstKind::Num(v) if f.args.is_none() && a.span == (0..f.text.len()) => Some(v),
        _ => None,
    }
}

/// What the template is made of besides its formulas.
struct Parts {
    tree: Arc<Tree>,
    params: Params,
    scenarios: Vec<Scenario>,
    /// The model, shared with the caller or copied.
    ast: Arc<ModelAst>,
}

/// The template: tree, compiled formulas in evaluation order (payoffs leaf-major, then chance
/// moves node by node) and the span of every node.
fn assemble(
    s: &Shape<'_>,
    parts: Parts,
    origin: &[Origin],
    parsed: &Parsed,
    d: &mut Vec<Diagnostic>,
) -> Option<GameTemplate> {
    let Parts {
        tree,
        params,
        scenarios,
        ast: shared,
    } = parts;
    let ast = s.ast;
    let space = s.space;
    let node_spans: Vec<Range<usize>> = origin
        .iter()
        .map(|&o| match (o, o.target()) {
            (_, Some((Target::Node(i), _))) => ast.nodes[i].name.span.clone(),
            (_, Some((Target::Outcome(i), _))) => ast.outcomes[i].name.span.clone(),
            (Origin::Types { level }, _) => space.players[level as usize].1.span.clone(),
            _ => ast.prior.as_ref().map_or(0..0, |(_, sp)| sp.clone()),
        })
        .collect();
    let for_types = |profile: usize| {
        if space.is_typed() {
            format!(" when {}", space.describe(profile))
        } else {
            String::new()
        }
    };
    let n_payoffs = tree.leaves.len() * s.players.len();
    let mut c = Compiled {
        formulas: Formulas::new(Arc::clone(&shared), n_payoffs),
        pay_base: Vec::with_capacity(n_payoffs),
        pay_exprs: Vec::new(),
        chance_exprs: Vec::new(),
    };
    // The payoff key id of each player's name.
    let player_key: Vec<Option<u32>> = s
        .players
        .iter()
        .map(|p| {
            ast.payoff_keys
                .iter()
                .position(|k| k.as_str() == p.as_str())
                .map(|k| k as u32)
        })
        .collect();
    for leaf in &tree.leaves {
        let Some((Target::Outcome(oi), profile)) = origin[leaf.node.ix()].target() else {
            return None; // every leaf is a copy of an outcome
        };
        let o = &ast.outcomes[oi];
        for (pi, pname) in s.players.iter().enumerate() {
            let key = player_key[pi]?;
            let entry = o.payoffs.iter().position(|e| e.key == key)?;
            let pay = &o.payoffs[entry].pay;
            let written;
            let parsed_pay = match pay {
                PayoffSrc::Number { value, .. } => {
                    written = ParsedPayoff::Number(*value);
                    &written
                }
                _ => parsed.payoffs.get(&(oi * s.players.len() + pi))?,
            };
            let number;
            let single;
            let (f, a) = match (pay, parsed_pay) {
                (PayoffSrc::Number { .. } | PayoffSrc::Formula(_), ParsedPayoff::Number(v))
                    if !space.is_typed() =>
                {
                    c.formulas.push_number(oi, entry);
                    c.pay_base.push(*v);
                    continue;
                }
                (PayoffSrc::Number { .. } | PayoffSrc::Formula(_), ParsedPayoff::Number(v)) => {
                    single = pay.formula()?;
                    number = expr::Ast::new(expr::AstKind::Num(*v), 0..single.text.len());
                    (&*single, &number)
                }
                (PayoffSrc::Formula(f), ParsedPayoff::Formula(a)) => (&**f, &**a),
                (PayoffSrc::ByType(b), ParsedPayoff::ByType(m)) => {
                    let t = space.type_of(profile, pi)?;
                    let f = b
                        .entries
                        .iter()
                        .find(|(n, _)| n.v == t.name.v)
                        .map(|e| &e.1)?;
                    (f, m.get(&t.name.v)?)
                }
                _ => return None,
            };
            let info = FormulaInfo {
                src: f.clone(),
                what: payoff_what(pname, &o.name.v, &for_types(profile)),
                ast: in_profile(a, s, parsed, profile),
            };
            c.push(info, false, &params, d)?;
        }
    }
    let mut chance_targets = Vec::new();
    let mut chance_nodes = Vec::new();
    for (id, node) in tree.nodes.iter().enumerate() {
        if node.kind != NodeKind::Chance {
            continue;
        }
        chance_nodes.push(NodeId::from(id));
        for (mi, child) in node.children().enumerate() {
            let (a, src, what, profile) = match (origin[id], origin[id].target()) {
                (_, Some((Target::Node(ni), profile))) => {
                    let m = s.moves[ni].get(mi)?;
                    (
                        parsed.chance.get(&(ni, mi))?,
                        m.prob().cloned()?,
                        format!(
                            "the probability of move `{}` at chance node `{}`{}",
                            m.label.v,
                            ast.nodes[ni].name.v,
                            for_types(profile)
                        ),
                        profile,
                    )
                }
                (Origin::Types { level }, _) => {
                    let level = level as usize;
                    let pt = space.players[level].1;
                    let t = &pt.types[mi];
                    (
                        parsed.type_prob.get(&(level, mi))?,
                        t.prob.clone()?,
                        format!(
                            "the prior probability of type `{}` of {}",
                            t.name.v, pt.player.v
                        ),
                        0,
                    )
                }
                (Origin::Joint, _) => {
                    let e = space.joint.as_ref()?.get(mi)?;
                    (
                        parsed.prior.get(&mi)?,
                        e.prob.clone(),
                        format!("the prior probability of `{}`", e.key.v),
                        0,
                    )
                }
                (Origin::Written { .. }, _) => return None,
            };
            let info = FormulaInfo {
                src,
                what,
                ast: in_profile(a, s, parsed, profile),
            };
            c.push(info, true, &params, d)?;
            chance_targets.push(NodeId::from(child));
        }
    }
    Some(GameTemplate {
        title: ast.title.clone(),
        about: ast.about.clone(),
        tree,
        params,
        scenarios,
        formulas: c.formulas,
        pay_base: c.pay_base,
        pay_exprs: c.pay_exprs,
        chance_exprs: c.chance_exprs,
        n_payoffs,
        chance_targets,
        chance_nodes,
        node_spans,
        ast: shared,
        overrides: Vec::new(),
    })
}

/// Fixes the parameters a counterfactual sets: evaluation takes their values whatever the
/// point ([`GameTemplate::overrides`]), and the parsed formulas, which symbolic analyses read,
/// have the parameter replaced by its exact value (a fraction `n/d` where it is one).
fn fix_parameters(t: &mut GameTemplate, overrides: Vec<(usize, f64, crate::exact::Rational)>) {
    use crate::expr::{Ast, AstKind, BinOp};
    if overrides.is_empty() {
        return;
    }
    let small = |x: &num_bigint::BigInt| -> Option<f64> {
        let f = crate::exact::to_f64(&crate::exact::Rational::from_integer(x.clone()));
        (f.abs() < 9.0e15).then_some(f)
    };
    let values: Vec<(String, Ast)> = overrides
        .iter()
        .map(|(id, v, q)| {
            let num = |x: f64| Ast::new(AstKind::Num(x), 0..0);
            let ast = match (small(q.numer()), small(q.denom())) {
                (Some(n), Some(d)) if d != 1.0 => Ast::new(
                    AstKind::Bin(BinOp::Div, Box::new(num(n)), Box::new(num(d))),
                    0..0,
                ),
                (Some(n), Some(_)) => num(n),
                _ => num(*v),
            };
            (t.params.names[*id].clone(), ast)
        })
        .collect();
    let lookup = |name: &str| values.iter().find(|(n, _)| n == name).map(|(_, a)| a);
    t.formulas.map_kept(|a| bind::substitute(a, &lookup));
    t.overrides = overrides;
}

/// The parameters a counterfactual sets (`set = { p_Pro = 0 }`), checked against the model's
/// parameters and their ranges, with their exact values.
fn counterfactual_values(
    cf: &Counterfactual,
    params: &Params,
    d: &mut Vec<Diagnostic>,
) -> Vec<(usize, f64, crate::exact::Rational)> {
    let mut out = Vec::new();
    for (name, x, q) in &cf.set {
        let Some(id) = params.id(&name.v) else {
            d.push(
                Diagnostic::error(name.span.clone(), format!("unknown parameter `{}`", name.v))
                    .with_label("not a parameter of this model")
                    .with_hint(
                        did_you_mean(&name.v, params.names.iter().map(String::as_str))
                            .unwrap_or_else(|| {
                                format!("the parameters are {}", params.names.join(", "))
                            }),
                    ),
            );
            continue;
        };
        if let Err(m) = params.check_range(id, x.v) {
            d.push(Diagnostic::error(x.span.clone(), m));
            continue;
        }
        out.push((id, x.v, q.clone()));
    }
    out
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

/// The nodes a counterfactual's name stands for: the node of that name; else, for
/// `SUBTREE.NODE`, that node in every copy of the subtree; else every node of the information
/// set of that name. Empty when the name is none of these.
pub fn nodes_named(ast: &ModelAst, name: &str) -> Vec<usize> {
    if let Some(i) = ast.nodes.iter().position(|n| n.name.v == name) {
        return vec![i];
    }
    if let Some((st, local)) = name.split_once('.') {
        let copies: Vec<usize> = ast
            .instances
            .iter()
            .filter(|c| c.subtree == st)
            .filter_map(|c| c.names.iter().find(|(l, _)| l == local))
            .filter_map(|(_, new)| ast.nodes.iter().position(|n| &n.name.v == new))
            .collect();
        if !copies.is_empty() {
            return copies;
        }
    }
    ast.nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| matches!(&n.mover, Mover::Player { infoset: Some(i), .. } if i.v == name))
        .map(|(i, _)| i)
        .collect()
}

/// Every name a counterfactual may use (for suggestions).
fn counterfactual_names(ast: &ModelAst) -> Vec<String> {
    let mut v: Vec<String> = ast.nodes.iter().map(|n| n.name.v.to_string()).collect();
    for c in &ast.instances {
        for (local, _) in &c.names {
            v.push(format!("{}.{local}", c.subtree));
        }
    }
    for n in &ast.nodes {
        if let Mover::Player {
            infoset: Some(i), ..
        } = &n.mover
        {
            v.push(i.v.to_string());
        }
    }
    v.sort();
    v.dedup();
    v
}

fn apply_counterfactual<'a>(
    ast: &'a ModelAst,
    cf: &Counterfactual,
    d: &mut Vec<Diagnostic>,
) -> Moves<'a> {
    // What the counterfactual does at each node it names: only one move is left (`force`), or
    // some are removed (`remove`); applied one after the other.
    let mut only: HashMap<usize, Vec<&str>> = HashMap::new();
    let mut removed: HashMap<usize, Vec<&str>> = HashMap::new();
    let node_ix = |name: &Sp<String>, d: &mut Vec<Diagnostic>| {
        let found = nodes_named(ast, &name.v);
        if found.is_empty() {
            d.push(
                Diagnostic::error(name.span.clone(), format!("unknown node `{}`", name.v))
                    .with_label("not a node, an information set, or SUBTREE.NODE")
                    .with_hint_opt(did_you_mean(
                        &name.v,
                        counterfactual_names(ast).iter().map(String::as_str),
                    )),
            );
        }
        found
    };
    let check_move = |i: usize, m: &Sp<String>, d: &mut Vec<Diagnostic>| -> bool {
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
        ok
    };
    for (node, m) in &cf.force {
        for i in node_ix(node, d) {
            // An unknown move is reported once; the node keeps its moves (no second error
            // about a node left without moves).
            if check_move(i, m, d) {
                only.entry(i).or_default().push(&m.v);
            }
        }
    }
    for (node, ms) in &cf.remove {
        for i in node_ix(node, d) {
            for m in ms {
                check_move(i, m, d);
            }
            removed
                .entry(i)
                .or_default()
                .extend(ms.iter().map(|m| m.v.as_str()));
        }
    }
    Moves::new(ast, |i, m| {
        let label = m.label.v.as_str();
        only.get(&i).is_none_or(|o| o.iter().all(|l| *l == label))
            && removed.get(&i).is_none_or(|r| !r.contains(&label))
    })
}

fn root_node(ast: &ModelAst, names: &Names<'_>, d: &mut Vec<Diagnostic>) -> Option<usize> {
    let r = ast.root.as_ref()?;
    match names.get(r.v.as_str()) {
        Some(Target::Node(i)) => Some(i),
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
                    .with_hint_opt(did_you_mean(&r.v, sorted_names(names).iter().copied())),
            );
            None
        }
    }
}

fn reachability(moves: &Moves<'_>, n_outcomes: usize, root: Option<usize>) -> TargetSet {
    let mut seen = TargetSet::new(moves.len(), n_outcomes);
    let Some(r) = root else { return seen };
    let mut stack = vec![Target::Node(r)];
    while let Some(t) = stack.pop() {
        if !seen.insert(t, ()) {
            continue;
        }
        if let Target::Node(i) = t {
            stack.extend(moves.targets(i).filter_map(|(_, to)| to));
        }
    }
    seen
}

fn report_unreachable(
    ast: &ModelAst,
    parent_of: &Parents<'_>,
    reachable: &TargetSet,
    d: &mut Vec<Diagnostic>,
) {
    if reachable.is_empty() {
        return;
    }
    // Every node has at most one parent, so following parents from an unreachable node either
    // stops at a parentless node or goes round a cycle.
    let mut on_cycle = TargetSet::new(ast.nodes.len(), ast.outcomes.len());
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
                for &x in &path[pos..] {
                    on_cycle.insert(x, ());
                }
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
}

fn check_infosets(
    ast: &ModelAst,
    moves: &Moves<'_>,
    reachable: &TargetSet,
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

/// Evaluates every formula at the defaults, every scenario, and both ends of every range.
///
/// Each written formula is reported once, at its first failing point, however many copies of
/// it the types made. A failing `let` value is reported at the `let`, and the formulas using it
/// are not evaluated at that point (their failure would only repeat it).
fn check_points(
    t: &GameTemplate,
    s: &Shape<'_>,
    origin: &[Origin],
    parsed: &Parsed,
    d: &mut Vec<Diagnostic>,
) {
    let mut points: Vec<Vec<f64>> = vec![t.defaults()];
    for sc in &t.scenarios {
        let mut th = t.defaults();
        for &(id, v) in &sc.values {
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
    let lets = compiled_lets(s, parsed, &t.params);
    let mut game = t.empty_game();
    let mut stack = Vec::new();
    let mut seen: HashSet<(usize, usize)> = HashSet::new();
    for th in &points {
        let mut let_failed = false;
        for (e, src, what) in &lets {
            if let Err(error) = e.eval(th, &mut stack) {
                let_failed = true;
                if seen.insert((src.span.start, src.span.end)) {
                    d.push(
                        Diagnostic::error(
                            src.file_span(&error.span),
                            format!(
                                "{what} `{}` fails {}: {error}",
                                src.text,
                                t.describe_point(th)
                            ),
                        )
                        .with_label(error.to_string()),
                    );
                }
            }
        }
        if let_failed {
            continue;
        }
        let whole = t.instantiate_into(th, &mut game, &mut stack);
        // A game that instantiates has had every formula evaluated at `th` (unless a
        // counterfactual fixes parameters, which the formulas alone do not see). Otherwise
        // evaluate formula by formula, so every failing formula is reported, not just the first.
        if !t.overrides.is_empty() || matches!(whole, Err(InstantiateError::Eval { .. })) {
            for (i, e) in t.compiled() {
                if let Err(error) = e.eval(th, &mut stack) {
                    let span = t.formulas.src(i).span.clone();
                    let err = InstantiateError::Eval { formula: i, error };
                    if seen.insert((span.start, span.end)) {
                        d.push(t.diagnose(&err, th));
                    }
                }
            }
        }
        if let Err(err @ InstantiateError::Chance { node, .. }) = whole {
            let span = &t.node_spans[node.ix()];
            if seen.insert((span.start, span.end)) {
                d.push(chance_diagnostic(t, s, origin, &err, th));
            }
        }
    }
}

/// Every `let` value compiled on its own, with its source and a description.
fn compiled_lets<'a>(
    s: &Shape<'a>,
    parsed: &Parsed,
    params: &Params,
) -> Vec<(expr::Expr, &'a FormulaSrc, String)> {
    let mut out = Vec::new();
    for (k, (_, pt)) in s.space.players.iter().enumerate() {
        for (ti, ty) in pt.types.iter().enumerate() {
            for (n, f) in &ty.lets {
                let Some(a) = parsed.lets.get(&(k, ti, n.v.clone())) else {
                    continue;
                };
                if let Ok(e) =
                    expr::compile(a, &mut |name| params.id(name).map(|i| ParamId(i as u32)))
                {
                    out.push((
                        e,
                        f,
                        format!(
                            "the value of `{}` for type `{}` of {}",
                            n.v, ty.name.v, pt.player.v
                        ),
                    ));
                }
            }
        }
    }
    out
}

/// A chance failure; nature's draw of types is described as a prior.
fn chance_diagnostic(
    t: &GameTemplate,
    s: &Shape<'_>,
    origin: &[Origin],
    err: &InstantiateError,
    th: &[f64],
) -> Diagnostic {
    let InstantiateError::Chance {
        node,
        sum,
        negative,
    } = err
    else {
        return t.diagnose(err, th);
    };
    let whose = match origin[node.ix()] {
        Origin::Types { level } => format!(
            "the types of `{}`",
            s.space.players[level as usize].1.player.v
        ),
        Origin::Joint => "the type profiles in `[prior]`".to_string(),
        Origin::Written { .. } => return t.diagnose(err, th),
    };
    let at = t.describe_point(th);
    let msg = match negative {
        Some(p) => format!(
            "the prior gives {whose} a negative probability ({}) {at}",
            crate::output::words::num(*p)
        ),
        None => format!(
            "the prior probabilities of {whose} sum to {}, not 1, {at}",
            crate::output::words::num(*sum)
        ),
    };
    Diagnostic::error(t.node_spans[node.ix()].clone(), msg)
        .with_hint("write the last probability as 1 minus the others")
}
