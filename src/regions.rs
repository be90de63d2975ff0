//! Why each move is chosen: the condition on the parameters under which the equilibrium keeps
//! a node's move, as a readable inequality between payoff formulas.
//!
//! At a parameter point θ, backward induction fixes a move at every decision node. For a node
//! and an alternative move, each move's *continuation value* to the mover is a formula: the
//! payoff formula of the leaf reached when everyone downstream plays their equilibrium move, or
//! with chance nodes the probability-weighted sum of such leaves. The node keeps its move while
//! the chosen continuation beats the alternative's: a [`Condition`]. It is valid in the region
//! where the downstream choices stay the same (so a whole outcome's region is the conjunction of
//! every node's conditions, [`outcome_region`]).
//!
//! Conditions are put in a polynomial normal form ([`crate::poly`]), common terms cancel, and a
//! parameter is isolated when it appears linearly: at `defender_h` of `models/hedging.toml`,
//! `-e_D - c_D > -e_D - (a - lambda*T) - L` prints as `c_D < a - lambda*T + L`. A formula that is
//! not polynomial (`min`, `if`, division by a parameter) is printed as written. Only
//! perfect-information games are handled.

use crate::expr::{self, Ast, AstKind, BinOp};
use crate::game::tree::{NodeKind, Tree};
use crate::game::{Game, NodeId, PlayerId};
use crate::model::GameTemplate;
use crate::poly::{mono_show, Poly, ZERO};
use crate::solve::backward::{self, Workspace};
use std::fmt;

mod bound;
mod ties;
pub use bound::{chain, choice_conditions, Shown};
pub use ties::{exact_theta, profile_of_choices, settle, spe_set, SpeSet, SET_CAP};

/// Most leaves a continuation value may sum over before it is left without a formula.
const MAX_LEAVES: usize = 256;

/// Relative tolerance under which two continuation values count as a tie.
pub const TIE_TOL: f64 = 1e-9;

/// Why conditions could not be computed.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum RegionError {
    /// The game has an information set with several nodes.
    #[error("{0}")]
    NotPerfectInformation(String),
    /// A formula failed at the parameter point.
    #[error("the game cannot be instantiated at this point: {0}")]
    Instantiate(String),
}

/// A condition "the chosen move's continuation beats the alternative's", as formulas.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// The chosen move's continuation value to the mover, as a formula.
    pub lhs: Ast,
    /// The alternative's continuation value, as a formula.
    pub rhs: Ast,
    /// Both sides as polynomials, when they are polynomial.
    pub polys: Option<(Poly, Poly)>,
    /// True when the two values tie at the point the condition was made (the mover is
    /// indifferent and the tie rule picked the move).
    pub tie: bool,
    /// Parameter names (for printing).
    pub names: Vec<String>,
    /// Print rank of each parameter id: order of first appearance in `lhs`, then `rhs`.
    pub rank: Vec<usize>,
    /// How many of the model's payoff formulas mention each parameter (the default choice of
    /// which parameter to isolate prefers the most specific one).
    pub uses: Vec<usize>,
}

impl Condition {
    /// The chosen move's value minus the alternative's at `theta` (positive: the move is kept).
    pub fn margin(&self, theta: &[f64]) -> Option<f64> {
        if let Some((l, r)) = &self.polys {
            return Some(l.eval(theta) - r.eval(theta));
        }
        let names = &self.names;
        let mut resolve = |n: &str| {
            names
                .iter()
                .position(|m| m == n)
                .map(|i| expr::ParamId(i as u32))
        };
        let l = expr::compile(&self.lhs, &mut resolve).ok()?;
        let r = expr::compile(&self.rhs, &mut resolve).ok()?;
        Some(l.eval_alloc(theta).ok()? - r.eval_alloc(theta).ok()?)
    }

    /// Whether the condition holds at `theta`: the chosen move strictly better (or, for a tie
    /// condition, the two equal within [`TIE_TOL`]).
    pub fn holds(&self, theta: &[f64]) -> bool {
        match self.margin(theta) {
            Some(m) if self.tie => m.abs() <= TIE_TOL,
            Some(m) => m > 0.0,
            None => false,
        }
    }

    /// The margin (chosen minus alternative) as a polynomial in the parameters `keep`, the
    /// others replaced by their values in `theta`; `None` if not polynomial.
    pub fn margin_in(&self, theta: &[f64], keep: &[usize]) -> Option<Poly> {
        let (l, r) = self.polys.as_ref()?;
        Some(l.sub(r).substitute(theta, keep))
    }

    /// True if the condition holds for every parameter value: a positive constant margin, or
    /// (for a tie) a margin that is identically zero.
    pub fn always(&self) -> bool {
        match &self.polys {
            Some((l, r)) if self.tie => l.sub(r).is_zero(),
            Some((l, r)) => l.sub(r).as_constant().is_some_and(|c| c > ZERO),
            None => false,
        }
    }

    /// The parameters the condition depends on.
    pub fn mentions(&self, id: usize) -> bool {
        match &self.polys {
            Some((l, r)) => l.sub(r).mentions(id),
            None => self
                .names
                .get(id)
                .is_some_and(|n| self.lhs.mentions(n) || self.rhs.mentions(n)),
        }
    }

    /// The condition in words, isolating the first parameter of `prefer` (ids) that can be
    /// isolated; `theta`, if given, decides the sign of a parameter coefficient when dividing by
    /// it (`T > -psi0/beta (beta > 0)`).
    pub fn render(&self, prefer: &[usize], theta: Option<&[f64]>) -> String {
        self.render_inner(prefer, theta, None)
    }

    /// [`render`](Self::render) after replacing every parameter not in `keep` by its value in
    /// `theta` (on a map over `T` and `c_D`: `c_D < 3 - 0.5*T`).
    pub fn render_at(&self, prefer: &[usize], theta: &[f64], keep: &[usize]) -> String {
        self.render_inner(prefer, Some(theta), Some(keep))
    }

    fn render_inner(
        &self,
        prefer: &[usize],
        theta: Option<&[f64]>,
        keep: Option<&[usize]>,
    ) -> String {
        let rel = if self.tie { "=" } else { ">" };
        let Some((l0, r0)) = &self.polys else {
            let s = format!("{} {rel} {}", self.lhs, self.rhs);
            return if self.tie {
                format!("{s} (indifferent)")
            } else {
                s
            };
        };
        if l0.sub(r0).is_zero() {
            return if self.lhs == self.rhs {
                format!("indifferent, both moves give {}", self.lhs)
            } else {
                format!("indifferent ({} = {} everywhere)", self.lhs, self.rhs)
            };
        }
        let (l, r) = match (theta, keep) {
            (Some(theta), Some(keep)) => (l0.substitute(theta, keep), r0.substitute(theta, keep)),
            _ => (l0.clone(), r0.clone()),
        };
        let names = Names {
            names: &self.names,
            rank: &self.rank,
            uses: &self.uses,
        };
        let s = render_polys(&l, &r, self.tie, prefer, theta, &names);
        if self.tie {
            format!("{s} (indifferent)")
        } else {
            s
        }
    }
}

/// Displays [`Condition::render`] with no preferred parameter.
impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(&[], None))
    }
}

/// Drops monomials with equal coefficients on both sides.
fn cancel(l: &Poly, r: &Poly) -> (Poly, Poly) {
    let mut l = l.clone();
    let mut r = r.clone();
    let common: Vec<_> = l
        .terms
        .iter()
        .filter(|(m, c)| r.terms.get(*m).is_some_and(|d| (*c - d).abs() <= ZERO))
        .map(|(m, _)| m.clone())
        .collect();
    for m in common {
        l.terms.remove(&m);
        r.terms.remove(&m);
    }
    (l, r)
}

/// Parameter names with their print order.
struct Names<'a> {
    names: &'a [String],
    rank: &'a [usize],
    uses: &'a [usize],
}

impl Names<'_> {
    fn show(&self, p: &Poly) -> String {
        p.show_ranked(self.names, self.rank)
    }
}

fn render_polys(
    l: &Poly,
    r: &Poly,
    tie: bool,
    prefer: &[usize],
    theta: Option<&[f64]>,
    nm: &Names<'_>,
) -> String {
    let names = nm.names;
    let (l, r) = cancel(l, r);
    let diff = l.sub(&r);
    let (gt, lt) = if tie { ("=", "=") } else { (">", "<") };
    if let Some(c) = diff.as_constant() {
        let how = match (tie, c > 0.0) {
            (true, _) => "here",
            (false, true) => "always",
            (false, false) => "never",
        };
        return format!("{} {gt} {} ({how})", nm.show(&l), nm.show(&r));
    }
    let name = |p: usize| names.get(p).map_or("?", String::as_str).to_string();
    // Isolate p in diff = coef·p + rest ≷ 0.
    let isolate = |p: usize| -> Option<String> {
        let (coef, rest) = diff.split_linear(p)?;
        if let Some(k) = coef.as_constant() {
            if k.abs() <= ZERO {
                return None;
            }
            let rhs = nm.show(&rest.scale(-1.0 / k));
            return Some(format!(
                "{} {} {rhs}",
                name(p),
                if k > 0.0 { gt } else { lt }
            ));
        }
        let (m, c) = coef.single_term()?;
        let s = coef.eval(theta?);
        if s == 0.0 || !s.is_finite() {
            return None;
        }
        let num = rest.scale(-1.0 / c);
        let top = if num.terms.len() > 1 {
            format!("({})", nm.show(&num))
        } else {
            nm.show(&num)
        };
        let ms = mono_show(m, names);
        let note = if s * c.signum() > 0.0 { ">" } else { "<" };
        let up = s > 0.0;
        Some(format!(
            "{} {} {top}/{ms} ({ms} {note} 0)",
            name(p),
            if up { gt } else { lt }
        ))
    };
    for &p in prefer {
        if diff.mentions(p) {
            if let Some(s) = isolate(p) {
                return s;
            }
        }
    }
    // A parameter standing alone on one side: the one in the fewest payoff formulas (the
    // most specific quantity), then the one declared last.
    let mut alone: Vec<usize> = Vec::new();
    for (side, other) in [(&l, &r), (&r, &l)] {
        if let Some((m, _)) = side.single_term() {
            if m.len() == 1 && m[0].1 == 1 && !other.mentions(m[0].0) {
                alone.push(m[0].0);
            }
        }
    }
    alone.sort_by_key(|&p| (nm.uses.get(p).copied().unwrap_or(0), std::cmp::Reverse(p)));
    for p in alone {
        if let Some(s) = isolate(p) {
            return s;
        }
    }
    if l.is_zero() || r.is_zero() {
        // One side is zero: move the negative terms across (`p > c`, not `p - c > 0`).
        let d = if r.is_zero() {
            l.clone()
        } else {
            r.scale(-1.0)
        };
        let mut pos = Poly::default();
        let mut neg = Poly::default();
        for (m, c) in &d.terms {
            let side = if *c > 0.0 { &mut pos } else { &mut neg };
            side.terms.insert(m.clone(), c.abs());
        }
        format!("{} {gt} {}", nm.show(&pos), nm.show(&neg))
    } else {
        format!("{} {gt} {}", nm.show(&l), nm.show(&r))
    }
}

/// The condition at one decision node: the chosen move against each alternative.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeCondition {
    /// The decision node.
    pub node: NodeId,
    /// The mover.
    pub player: PlayerId,
    /// The chosen move (index among the node's moves).
    pub chosen: usize,
    /// True if equilibrium play reaches the node.
    pub on_path: bool,
    /// For each other move: the condition under which the chosen move beats it.
    pub alternatives: Vec<(usize, Condition)>,
}

impl NodeCondition {
    /// "Defender supports at `defender_h` iff c_D < a - lambda*T + L" (one clause per
    /// alternative, joined by "and"); `prefer` and `theta` as in [`Condition::render`].
    pub fn describe(&self, tree: &Tree, prefer: &[usize], theta: Option<&[f64]>) -> String {
        let first = tree.node(self.node).first_child as usize;
        let phrase = crate::output::words::move_phrase(tree, NodeId::from(first + self.chosen));
        let conds: Vec<String> = self
            .alternatives
            .iter()
            .map(|(_, c)| c.render(prefer, theta))
            .collect();
        let node = &tree.node_names[self.node.ix()];
        if self.alternatives.iter().all(|(_, c)| c.tie && c.always()) {
            // Every alternative ties identically: the tie rule (first best move) decides.
            return format!(
                "{phrase} at `{node}` by the tie rule: {}",
                conds.join(" and ")
            );
        }
        format!("{phrase} at `{node}` iff {}", conds.join(" and "))
    }
}

/// Backward induction at `theta` (ties within `tol`, re-decided exactly by [`settle`]; the first
/// listed of the tied moves is played), refusing imperfect information.
pub fn solve_at(
    template: &GameTemplate,
    theta: &[f64],
    tol: f64,
) -> Result<(Game, Workspace), RegionError> {
    backward::check_perfect_information(&template.tree)
        .map_err(|u| RegionError::NotPerfectInformation(u.reason))?;
    let game = template
        .instantiate(theta)
        .map_err(|e| RegionError::Instantiate(template.diagnose(&e, theta).message))?;
    let mut ws = Workspace::default();
    backward::solve_into(&game, tol, &mut ws);
    settle(template, &game, theta, &mut ws);
    Ok((game, ws))
}

/// [`solve_at`] and the set of pure subgame-perfect equilibria the ties allow there (at most
/// [`SET_CAP`]; the tie rule's selection first).
pub fn spe_at(
    template: &GameTemplate,
    theta: &[f64],
    tol: f64,
) -> Result<(Game, Workspace, SpeSet), RegionError> {
    let (game, ws) = solve_at(template, theta, tol)?;
    // solve_at settled the ties already; the exact numbers are needed again for the set.
    let exact = if ws.ties.is_empty() {
        None
    } else {
        exact_theta(theta).and_then(|q| template.instantiate_exact(&q).ok().flatten())
    };
    let set = spe_set(&game, &ws, exact.as_ref(), SET_CAP);
    Ok((game, ws, set))
}

/// Leaves reached from `start` when every decision node plays `choice`, each with the chance
/// moves (child node ids) on the way; `None` beyond [`MAX_LEAVES`].
fn continuation(tree: &Tree, choice: &[u32], start: usize) -> Option<Vec<(Vec<usize>, usize)>> {
    let mut out = Vec::new();
    let mut stack = vec![(start, Vec::new())];
    while let Some((i, probs)) = stack.pop() {
        let node = tree.nodes[i];
        match node.kind {
            NodeKind::Terminal { leaf } => {
                out.push((probs, leaf.ix()));
                if out.len() > MAX_LEAVES {
                    return None;
                }
            }
            NodeKind::Decision { .. } => {
                stack.push((node.first_child as usize + *choice.get(i)? as usize, probs));
            }
            NodeKind::Chance => {
                for c in node.children() {
                    let mut p = probs.clone();
                    p.push(c);
                    stack.push((c, p));
                }
            }
        }
    }
    Some(out)
}

fn bin(op: BinOp, a: Ast, b: Ast) -> Ast {
    Ast::new(AstKind::Bin(op, Box::new(a), Box::new(b)), 0..0)
}

/// The continuation value of node `start` to player `p` as one formula.
fn continuation_formula(t: &GameTemplate, choice: &[u32], start: usize, p: usize) -> Option<Ast> {
    let np = t.tree.n_players();
    let terms = continuation(&t.tree, choice, start)?;
    let mut sum: Option<Ast> = None;
    for (probs, leaf) in terms {
        let mut term = t.formulas.get(leaf * np + p)?.ast.simplify();
        for c in probs {
            let k = t.chance_targets.iter().position(|x| x.ix() == c)?;
            let pr = t.formulas.get(t.n_payoffs + k)?.ast.simplify();
            term = bin(BinOp::Mul, pr, term);
        }
        sum = Some(match sum {
            None => term,
            Some(s) => bin(BinOp::Add, s, term),
        });
    }
    sum
}

/// The condition under which move `a` beats move `b` at `node`, everyone downstream playing
/// `choice`; `tie` marks a condition made where the two tie. `None` if the node is not a
/// decision node or a continuation sums over more than 256 leaves.
pub fn compare(
    t: &GameTemplate,
    choice: &[u32],
    node: NodeId,
    a: usize,
    b: usize,
    tie: bool,
) -> Option<Condition> {
    let n = *t.tree.nodes.get(node.ix())?;
    let NodeKind::Decision { player, .. } = n.kind else {
        return None;
    };
    let first = n.first_child as usize;
    let lhs = continuation_formula(t, choice, first + a, player.ix())?;
    let rhs = continuation_formula(t, choice, first + b, player.ix())?;
    let names = t.params.names.clone();
    let id_of = |s: &str| names.iter().position(|m| m == s);
    let polys = Poly::from_ast(&lhs, &id_of).zip(Poly::from_ast(&rhs, &id_of));
    let mut rank = vec![usize::MAX; names.len()];
    let mut next = 0;
    for n in lhs.params().into_iter().chain(rhs.params()) {
        if let Some(i) = id_of(n) {
            if rank[i] == usize::MAX {
                rank[i] = next;
                next += 1;
            }
        }
    }
    for r in rank.iter_mut().filter(|r| **r == usize::MAX) {
        *r = next;
        next += 1;
    }
    let uses = (0..names.len())
        .map(|i| {
            t.formulas[..t.n_payoffs]
                .iter()
                .filter(|f| f.ast.mentions(&names[i]))
                .count()
        })
        .collect();
    Some(Condition {
        uses,
        lhs: lhs.simplify(),
        rhs: rhs.simplify(),
        polys,
        tie,
        names,
        rank,
    })
}

/// Every decision node's condition at `theta` (nodes with one move are skipped), top-down.
pub fn node_conditions(
    template: &GameTemplate,
    theta: &[f64],
) -> Result<Vec<NodeCondition>, RegionError> {
    let (game, ws) = solve_at(template, theta, TIE_TOL)?;
    Ok(conditions_of(template, &game, &ws))
}

/// [`node_conditions`] for an already solved game.
pub fn conditions_of(t: &GameTemplate, game: &Game, ws: &Workspace) -> Vec<NodeCondition> {
    let tree = &*t.tree;
    let reach = crate::game::profile::reach_probabilities(game, &backward::profile_of(tree, ws));
    let mut out = Vec::new();
    for (i, n) in tree.nodes.iter().enumerate() {
        let NodeKind::Decision { player, .. } = n.kind else {
            continue;
        };
        if n.n_children < 2 {
            continue;
        }
        let chosen = ws.choice[i] as usize;
        let mut alternatives = Vec::new();
        for b in 0..n.n_children as usize {
            if b == chosen {
                continue;
            }
            let tie = ws
                .ties
                .iter()
                .any(|x| x.node.ix() == i && x.moves.contains(&b));
            if let Some(c) = compare(t, &ws.choice, NodeId::from(i), chosen, b, tie) {
                alternatives.push((b, c));
            }
        }
        out.push(NodeCondition {
            node: NodeId::from(i),
            player,
            chosen,
            on_path: reach[i] > 1e-12,
            alternatives,
        });
    }
    out
}

/// The conjunction of conditions that keeps the equilibrium at `theta`: every node's
/// conditions, without those that always hold and without repeats (by their printed form).
pub fn outcome_region(
    template: &GameTemplate,
    theta: &[f64],
) -> Result<Vec<Condition>, RegionError> {
    let mut out: Vec<Condition> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for nc in node_conditions(template, theta)? {
        for (_, c) in nc.alternatives {
            let s = c.to_string();
            if c.always() || seen.contains(&s) {
                continue;
            }
            seen.push(s);
            out.push(c);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hedging() -> GameTemplate {
        let text = include_str!("../models/hedging.toml");
        crate::model::load("hedging.toml", text)
            .template
            .expect("models/hedging.toml is valid")
    }

    fn by_node<'a>(t: &GameTemplate, ncs: &'a [NodeCondition], name: &str) -> &'a NodeCondition {
        let id = t.tree.node_names.iter().position(|n| n == name).unwrap();
        ncs.iter().find(|c| c.node.ix() == id).unwrap()
    }

    #[test]
    fn hedging_conditions_print_as_inequalities() {
        // Cold war (docs/models/hedging.md): D supports a hedger iff c_D < a_H + L; P realigns iff
        // psi0 + beta*T > 0; D abandons an aligned P (who would acquiesce) iff c_D > a.
        let t = hedging();
        let theta = t.point(Some("cold_war"), &[]).unwrap();
        let ncs = node_conditions(&t, &theta).unwrap();
        let show = |n: &str| by_node(&t, &ncs, n).alternatives[0].1.to_string();
        assert_eq!(show("defender_h"), "c_D < a - lambda*T + L");
        assert_eq!(show("protege_h"), "psi0 + beta*T > 0");
        assert_eq!(show("defender_a"), "c_D > a");
        assert_eq!(show("protege_a"), "psi0 < 0");
        let t_id = t.params.id("T").unwrap();
        let c = &by_node(&t, &ncs, "protege_h").alternatives[0].1;
        assert_eq!(c.render(&[t_id], Some(&theta)), "T > -psi0/beta (beta > 0)");
        let d = &by_node(&t, &ncs, "defender_h").alternatives[0].1;
        assert_eq!(d.render_at(&[t_id], &theta, &[t_id]), "T < 3");
        assert!(d.holds(&theta));
        let mut far = theta.clone();
        far[t.params.id("c_D").unwrap()] = 2.9; // above a - lambda*T + L = 2.85
        assert!(!d.holds(&far));
    }

    #[test]
    fn chance_weighted_continuations_are_polynomial() {
        // A risks a lottery (win 1 - c with probability p, lose c otherwise) or takes 0:
        // the lottery's value is p*(1 - c) + (1 - p)*(-c) = p - c, so A gambles iff c < p.
        let text = r#"
title = "lottery"
players = ["A"]
root = "a"
[parameters]
p = { value = 0.6, range = [0, 1] }
c = { value = 0.5, range = [0, 1] }
[nodes.a]
player = "A"
moves = { gamble = { to = "n" }, safe = { to = "s" } }
[nodes.n]
chance = { win = { to = "w", prob = "p" }, lose = { to = "l", prob = "1 - p" } }
[outcomes.w]
payoffs = { A = "1 - c" }
[outcomes.l]
payoffs = { A = "-c" }
[outcomes.s]
payoffs = { A = 0 }
"#;
        let loaded = crate::model::load("lottery.toml", text);
        let t = loaded
            .template
            .unwrap_or_else(|| panic!("{:?}", loaded.diags));
        let ncs = node_conditions(&t, &[0.6, 0.5]).unwrap();
        let c = &ncs[0].alternatives[0].1;
        assert_eq!(c.to_string(), "p > c");
        assert!(c.holds(&[0.6, 0.5]) && !c.holds(&[0.4, 0.5]));
        let region = outcome_region(&t, &[0.6, 0.5]).unwrap();
        assert_eq!(region.len(), 1);
    }
}
