//! Backward induction: the subgame-perfect equilibrium of a perfect-information game.
//!
//! One loop over the arena in reverse id order (children before parents, see
//! [`crate::game::tree`]): a leaf's value is its payoff vector, a chance node's the
//! probability-weighted sum of its children's, and a decision node takes the child whose value is
//! best for the mover. The loop is linear in the tree, reads and writes flat `f64` slices, and
//! reuses a caller-owned [`Workspace`], so a sweep solving the same tree at many parameter
//! points allocates nothing per solve.
//!
//! Ties (moves whose values differ by at most `tol` times the mover's payoff range, see
//! [`tolerance`]) are reported with the node, the moves and the indifferent player; the first
//! best move is played. When the game's numbers are exact ([`Game::exact`]) the solver works in
//! rationals and a tie is an exact tie, so the profile it hands over is exact. With
//! [`TieMode::All`] the solver enumerates every pure subgame-perfect equilibrium the ties allow,
//! up to a cap, bottom-up over per-node lists of continuation equilibria (see [`enumerate`]).
//!
//! ## Requirements
//! Perfect information (every information set a singleton); any number of players; chance
//! nodes allowed. A game with a larger information set is refused, naming it.
//!
//! ## Reference
//! Zermelo (1913); Kuhn (1953); Selten (1965) for subgame perfection.

use super::certificate::tolerance;
use super::{
    Equilibrium, ExactProfile, GameRef, Profile, Solution, SolveError, SolveOptions, Solver,
    Status, Tie, TieMode, Unsupported,
};
use crate::exact::{self, Rational, Scalar};
use crate::game::numeric::{ExactVec, Fraction};
use crate::game::profile::{pure_profile_in, Sources};
use crate::game::tree::{NodeKind, Tree};
use crate::game::{Game, NodeId, PlayerId};

/// Backward induction for perfect-information games with chance.
#[derive(Clone, Copy, Debug, Default)]
pub struct BackwardInduction;

/// Reusable buffers for [`solve_into`].
#[derive(Clone, Debug, Default)]
pub struct Workspace {
    /// `values[node * n_players + p]`: value of each node to each player under the solution.
    pub values: Vec<f64>,
    /// The chosen action at each node (`u32::MAX` at chance and terminal nodes).
    pub choice: Vec<u32>,
    /// Ties found by the last solve.
    pub ties: Vec<Tie>,
    /// Each player's tie tolerance in the last solve (absolute).
    pub eps: Vec<f64>,
}

/// Each player's tie tolerance for `game`: `tol` times its payoff range, with the rounding floor
/// of [`tolerance`]. Fills `eps` in place (no allocation once it has the right length).
pub fn tie_tolerances(game: &Game, tol: f64, eps: &mut Vec<f64>) {
    let np = game.n_players();
    eps.clear();
    eps.resize(np * 2, 0.0);
    let (lo, hi) = eps.split_at_mut(np);
    lo.fill(f64::INFINITY);
    hi.fill(f64::NEG_INFINITY);
    for row in game.payoffs.chunks_exact(np.max(1)) {
        for (p, &x) in row.iter().enumerate() {
            lo[p] = lo[p].min(x);
            hi[p] = hi[p].max(x);
        }
    }
    for p in 0..np {
        let (l, h) = if lo[p] <= hi[p] {
            (lo[p], hi[p])
        } else {
            (0.0, 0.0)
        };
        lo[p] = tolerance(l, h, tol);
    }
    eps.truncate(np);
}

/// Why the tree is not perfect information, if it is not.
pub fn check_perfect_information(tree: &Tree) -> Result<(), Unsupported> {
    match tree.first_nonsingleton_infoset() {
        None => Ok(()),
        Some(set) => {
            let s = &tree.infosets[set.ix()];
            let members: Vec<&str> = tree
                .members(set)
                .iter()
                .map(|m| &tree.node_names[m.ix()])
                .collect();
            Err(Unsupported {
                reason: format!(
                    "backward induction needs perfect information, but information set `{}` of \
                     {} contains {} nodes ({}) that the mover cannot tell apart",
                    tree.infoset_display(set),
                    tree.players[s.player.ix()],
                    s.n_members,
                    members.join(", ")
                ),
                suggest: Some("subgame"),
            })
        }
    }
}

/// Solves by backward induction into `ws`, picking the first best move at ties and recording
/// every tie. Assumes perfect information (checked by [`BackwardInduction::supports`]).
///
/// `tol` is relative: two moves tie when their values differ by at most `tol` times the
/// mover's payoff range (see [`tie_tolerances`]).
pub fn solve_into(game: &Game, tol: f64, ws: &mut Workspace) {
    let tree = &*game.tree;
    let np = game.n_players();
    let n = tree.nodes.len();
    ws.values.clear();
    ws.values.resize(n * np, 0.0);
    ws.choice.clear();
    ws.choice.resize(n, u32::MAX);
    ws.ties.clear();
    tie_tolerances(game, tol, &mut ws.eps);
    let all_eps = &ws.eps;
    let values = &mut ws.values;
    for i in (0..n).rev() {
        let node = tree.nodes[i];
        let first = node.first_child as usize;
        let k = node.n_children as usize;
        // Children are consecutive and after `i` (breadth-first ids), so the node's own value
        // and its children's values are disjoint slices: no per-element bounds checks.
        let (head, tail) = values.split_at_mut(first.max(i + 1) * np);
        let out = &mut head[i * np..(i + 1) * np];
        match node.kind {
            NodeKind::Terminal { leaf } => {
                let l = leaf.ix() * np;
                out.copy_from_slice(&game.payoffs[l..l + np]);
            }
            NodeKind::Chance => {
                let kids = &tail[(first * np).saturating_sub(head_len(i, first, np))..][..k * np];
                out.fill(0.0);
                for (c, v) in kids.chunks_exact(np).enumerate() {
                    let pr = game.chance[first + c];
                    for (o, x) in out.iter_mut().zip(v) {
                        *o += pr * x;
                    }
                }
            }
            NodeKind::Decision { player, .. } => {
                let p = player.ix();
                let eps = all_eps[p];
                let kids = &tail[(first * np).saturating_sub(head_len(i, first, np))..][..k * np];
                let mut best = 0;
                let mut best_v = kids[p];
                // One pass finds the best move and notices whether any other move comes within
                // `eps` of it (a possible tie); only then is the precise tie scan run.
                let mut near = false;
                for (c, v) in kids.chunks_exact(np).enumerate().skip(1) {
                    let v = v[p];
                    if v > best_v {
                        near |= v - best_v <= eps;
                        best_v = v;
                        best = c;
                    } else if best_v - v <= eps {
                        near = true;
                    }
                }
                if near {
                    let moves: Vec<usize> = (0..k)
                        .filter(|&c| best_v - kids[c * np + p] <= eps)
                        .collect();
                    // The tie rule: the first listed of the tied moves, whatever the noise.
                    best = moves[0];
                    if moves.len() > 1 {
                        ws.ties.push(Tie {
                            node: NodeId::from(i),
                            player,
                            moves,
                            value: best_v,
                        });
                    }
                }
                ws.choice[i] = best as u32;
                out.copy_from_slice(&kids[best * np..(best + 1) * np]);
            }
        }
    }
    ws.ties.reverse(); // report top-down
}

/// Length of the `head` half in [`solve_into`]'s split, as an offset into the tail.
#[inline(always)]
fn head_len(i: usize, first: usize, np: usize) -> usize {
    first.max(i + 1) * np
}

/// The behaviour profile of the choices in a solved workspace.
pub fn profile_of(tree: &Tree, ws: &Workspace) -> Vec<f64> {
    let mut prof = vec![0.0; tree.n_actions()];
    for (i, node) in tree.nodes.iter().enumerate() {
        if let NodeKind::Decision { infoset, .. } = node.kind {
            let s = &tree.infosets[infoset.ix()];
            prof[s.first_action as usize + ws.choice[i] as usize] = 1.0;
        }
    }
    prof
}

impl Solver for BackwardInduction {
    fn name(&self) -> &'static str {
        "backward"
    }

    fn describe(&self) -> &'static str {
        "subgame-perfect equilibrium of a perfect-information game by backward induction \
         (any number of players, chance nodes; ties reported, `--ties all` lists every pure SPE)"
    }

    fn supports(&self, game: GameRef<'_>) -> Result<(), Unsupported> {
        match game {
            GameRef::Tree(g) => check_perfect_information(&g.tree),
            GameRef::Strategic(_) => Err(Unsupported {
                reason: "backward induction needs a game tree; this is a strategic-form game"
                    .into(),
                suggest: Some("enumpure"),
            }),
        }
    }

    fn solve(&self, game: GameRef<'_>, opts: &SolveOptions) -> Result<Solution, SolveError> {
        self.supports(game)?;
        let GameRef::Tree(g) = game else {
            unreachable!("supports() accepted only trees")
        };
        if let Some(ex) = &g.exact {
            // Compact fractions read in place: no big rational per number.
            return Ok(solve_exact(
                self.name(),
                g,
                ex.chance_values(),
                ex.payoffs().values(),
                opts,
            ));
        }
        let mut ws = Workspace::default();
        solve_into(g, opts.tol, &mut ws);
        let mut sol = Solution::new(self.name(), Vec::new());
        sol.ties = std::mem::take(&mut ws.ties);
        match opts.ties {
            TieMode::Report => {
                sol.equilibria
                    .push(Equilibrium::new(Profile::Behavior(profile_of(
                        &g.tree, &ws,
                    ))));
            }
            TieMode::All { cap } => {
                let mut eps = Vec::new();
                tie_tolerances(g, opts.tol, &mut eps);
                let (profiles, truncated) =
                    enumerate_in(&g.tree, &g.chance, &g.payoffs, &eps, cap.max(1));
                sol.equilibria = profiles
                    .into_iter()
                    .map(|p| Equilibrium::new(Profile::Behavior(p)))
                    .collect();
                if truncated {
                    sol.status = Status::Truncated;
                }
            }
        }
        Ok(sol)
    }
}

/// Backward induction in exact arithmetic: ties are exact ties, and the profile (or, with
/// [`TieMode::All`], every pure subgame-perfect profile) is handed over exactly.
fn solve_exact(
    name: &'static str,
    g: &Game,
    chance: &[Fraction],
    payoffs: &[Fraction],
    opts: &SolveOptions,
) -> Solution {
    let tree = &*g.tree;
    let zeros = vec![Fraction::ZERO; g.n_players()];
    let mut sol = Solution::new(name, Vec::new());
    let (choice, ties) = first_best_in(tree, chance, payoffs, Fraction::to_f64);
    sol.ties = ties;
    match opts.ties {
        TieMode::Report => {
            let b: Vec<Fraction> = pure_profile_in(tree, &choice);
            sol.equilibria
                .push(Equilibrium::with_exact(ExactProfile::Behavior(
                    ExactVec::from_values(b),
                )));
        }
        TieMode::All { cap } => {
            let (profiles, truncated) = enumerate_in(tree, chance, payoffs, &zeros, cap.max(1));
            sol.equilibria = profiles
                .into_iter()
                .map(|p| Equilibrium::with_exact(ExactProfile::Behavior(ExactVec::from_values(p))))
                .collect();
            if truncated {
                sol.status = Status::Truncated;
            }
        }
    }
    sol
}

/// The first best move at every decision node (exact comparisons), indexed by information set,
/// and the exact ties, top-down.
pub fn first_best(
    tree: &Tree,
    chance: &[Rational],
    payoffs: &[Rational],
) -> (Vec<usize>, Vec<Tie>) {
    first_best_in(tree, chance, payoffs, exact::to_f64)
}

/// [`first_best`] over any exact scalar type (such as the compact
/// [`Fraction`]s of [`ExactVec::values`](crate::game::ExactVec::values)); `to_f64` rounds a
/// tie's value for the report.
pub fn first_best_in<T: Scalar>(
    tree: &Tree,
    chance: &[T],
    payoffs: &[T],
    to_f64: impl Fn(&T) -> f64,
) -> (Vec<usize>, Vec<Tie>) {
    let np = tree.n_players();
    let n = tree.nodes.len();
    // A node's values are its best child's (or, below chance, a vector of their own): kept
    // as where they are, not copied per node.
    let mut values = Sources::new(tree.leaves.len(), n, np);
    let mut choice = vec![0usize; tree.infosets.len()];
    let mut ties = Vec::new();
    for i in (0..n).rev() {
        let node = tree.nodes[i];
        match node.kind {
            NodeKind::Terminal { leaf } => values.set_leaf(i, leaf.ix()),
            NodeKind::Chance => {
                let mut v = vec![T::zero(); np];
                for c in node.children() {
                    for (o, x) in v.iter_mut().zip(values.of(c, payoffs)) {
                        *o = o.clone() + chance[c].clone() * x.clone();
                    }
                }
                values.push(i, &v);
            }
            NodeKind::Decision { player, infoset } => {
                let p = player.ix();
                let first = node.first_child as usize;
                let at = |c: usize| &values.of(c, payoffs)[p];
                let best = node
                    .children()
                    .fold(first, |b, c| if at(c) > at(b) { c } else { b });
                let top = at(best);
                if node.children().filter(|&c| at(c) == top).count() > 1 {
                    ties.push(Tie {
                        node: NodeId::from(i),
                        player,
                        moves: node
                            .children()
                            .filter(|&c| at(c) == top)
                            .map(|c| c - first)
                            .collect(),
                        value: to_f64(top),
                    });
                }
                choice[infoset.ix()] = best - first;
                values.share(i, best);
            }
        }
    }
    ties.reverse();
    (choice, ties)
}

/// One continuation equilibrium of the subtree at a node: its values, the move at the node, and
/// which continuation of each child it uses.
#[derive(Clone, Debug)]
struct Entry<T> {
    values: Vec<T>,
    choice: u32,
    kids: Vec<u32>,
}

/// Every pure subgame-perfect equilibrium, up to `cap`, and whether the cap cut the list; ties
/// within `tol` times each mover's payoff range.
pub fn enumerate(game: &Game, tol: f64, cap: usize) -> (Vec<Vec<f64>>, bool) {
    let mut eps = Vec::new();
    tie_tolerances(game, tol, &mut eps);
    enumerate_in(&game.tree, &game.chance, &game.payoffs, &eps, cap)
}

/// [`enumerate`] over any scalar type, with the numbers and each player's absolute tie
/// tolerance given (zero for exact ties).
///
/// Bottom-up, each node keeps the list of continuation equilibria of its subtree: the cartesian
/// product of its children's lists, and at a decision node one entry per best move of each
/// combination. Lists are cut at `cap` entries (then the result is marked truncated).
pub fn enumerate_in<T: Scalar>(
    tree: &Tree,
    chance: &[T],
    payoffs: &[T],
    eps: &[T],
    cap: usize,
) -> (Vec<Vec<T>>, bool) {
    let np = tree.n_players();
    let n = tree.nodes.len();
    let mut entries: Vec<Vec<Entry<T>>> = vec![Vec::new(); n];
    let mut truncated = false;
    for i in (0..n).rev() {
        let node = tree.nodes[i];
        let mut list = Vec::new();
        match node.kind {
            NodeKind::Terminal { leaf } => list.push(Entry {
                values: payoffs[leaf.ix() * np..(leaf.ix() + 1) * np].to_vec(),
                choice: u32::MAX,
                kids: Vec::new(),
            }),
            _ => {
                let kids: Vec<usize> = node.children().collect();
                let sizes: Vec<usize> = kids.iter().map(|&c| entries[c].len()).collect();
                let mut combo = vec![0usize; kids.len()];
                'combos: loop {
                    match node.kind {
                        NodeKind::Chance => {
                            let mut v = vec![T::zero(); np];
                            for (k, &c) in kids.iter().enumerate() {
                                let pr = &chance[c];
                                for (o, x) in v.iter_mut().zip(&entries[c][combo[k]].values) {
                                    *o = o.clone() + pr.clone() * x.clone();
                                }
                            }
                            list.push(Entry {
                                values: v,
                                choice: u32::MAX,
                                kids: combo.iter().map(|&x| x as u32).collect(),
                            });
                        }
                        NodeKind::Decision { player, .. } => {
                            let p = player.ix();
                            let val = |k: usize| entries[kids[k]][combo[k]].values[p].clone();
                            let best = (0..kids.len())
                                .map(val)
                                .reduce(|a, b| if b > a { b } else { a })
                                .unwrap_or_else(T::zero);
                            for k in 0..kids.len() {
                                if best.clone() - val(k) <= eps[p] {
                                    list.push(Entry {
                                        values: entries[kids[k]][combo[k]].values.clone(),
                                        choice: k as u32,
                                        kids: combo.iter().map(|&x| x as u32).collect(),
                                    });
                                }
                            }
                        }
                        NodeKind::Terminal { .. } => unreachable!("handled above"),
                    }
                    if list.len() >= cap {
                        truncated |= list.len() > cap || has_next(&combo, &sizes);
                        list.truncate(cap);
                        break 'combos;
                    }
                    if !step(&mut combo, &sizes) {
                        break;
                    }
                }
            }
        }
        entries[i] = list;
        // Children's lists are still referenced by index from this node's entries.
    }
    let mut out = Vec::with_capacity(entries[0].len());
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for root_entry in 0..entries[0].len() {
        let mut choice = vec![0usize; tree.infosets.len()];
        stack.push((0, root_entry));
        while let Some((i, e)) = stack.pop() {
            let entry = &entries[i][e];
            let node = tree.nodes[i];
            if let NodeKind::Decision { infoset, .. } = node.kind {
                choice[infoset.ix()] = entry.choice as usize;
            }
            for (k, c) in node.children().enumerate() {
                stack.push((c, entry.kids[k] as usize));
            }
        }
        out.push(pure_profile_in(tree, &choice));
    }
    (out, truncated)
}

/// Advances a mixed-radix counter; false when it wraps around.
fn step(combo: &mut [usize], sizes: &[usize]) -> bool {
    for (k, c) in combo.iter_mut().enumerate() {
        *c += 1;
        if *c < sizes[k] {
            return true;
        }
        *c = 0;
    }
    false
}

fn has_next(combo: &[usize], sizes: &[usize]) -> bool {
    combo.iter().zip(sizes).any(|(&c, &s)| c + 1 < s)
}

/// The player indifferent at a tie, by name (for messages).
pub fn tie_player<'a>(tree: &'a Tree, tie: &Tie) -> &'a str {
    let PlayerId(p) = tie.player;
    &tree.players[p as usize]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::profile::max_regret;
    use crate::game::tree::TreeBuilder;
    use std::sync::Arc;

    /// Selten's chain-store stage (docs/models/validation-games.md): E: Out (1,5); In → I: Fight (0,0) or
    /// Accommodate (2,2).
    fn chain_store() -> Game {
        let mut b = TreeBuilder::new("chain", vec!["Entrant".into(), "Incumbent".into()]);
        let e = b.decision("entrant", PlayerId(0), None);
        let i = b.decision("incumbent", PlayerId(1), None);
        let out = b.terminal("out", vec![]);
        let fight = b.terminal("fight", vec!["war".into()]);
        let acc = b.terminal("accommodate", vec![]);
        b.add_move(e, "Out", None, out).unwrap();
        b.add_move(e, "In", None, i).unwrap();
        b.add_move(i, "Fight", None, fight).unwrap();
        b.add_move(i, "Accommodate", None, acc).unwrap();
        let built = b.finish(e).unwrap();
        let mut g = Game::zeroed(Arc::new(built.tree));
        let pay = |b: usize| built.node_of[b].unwrap();
        for (bn, v) in [(out, [1.0, 5.0]), (fight, [0.0, 0.0]), (acc, [2.0, 2.0])] {
            let NodeKind::Terminal { leaf } = g.tree.node(pay(bn)).kind else {
                panic!()
            };
            g.payoffs[leaf.ix() * 2..leaf.ix() * 2 + 2].copy_from_slice(&v);
        }
        g
    }

    #[test]
    fn chain_store_spe_is_in_accommodate() {
        let g = chain_store();
        let sol = BackwardInduction
            .solve(GameRef::Tree(&g), &SolveOptions::default())
            .unwrap();
        let Profile::Behavior(p) = &sol.equilibria[0].profile else {
            panic!()
        };
        // Entrant's set is 0 (Out, In), incumbent's set 1 (Fight, Accommodate).
        assert_eq!(p, &vec![0.0, 1.0, 0.0, 1.0]);
        assert!(max_regret(&g, p).unwrap() <= 1e-12);
        assert!(sol.ties.is_empty());
    }

    #[test]
    fn ties_are_reported_and_enumerated() {
        let mut g = chain_store();
        // Make the incumbent indifferent: Fight (0,2) vs Accommodate (2,2).
        let leaf_fight = 1; // leaves in BFS order: out, fight, accommodate
        g.payoffs[leaf_fight * 2 + 1] = 2.0;
        let sol = BackwardInduction
            .solve(GameRef::Tree(&g), &SolveOptions::default())
            .unwrap();
        assert_eq!(sol.ties.len(), 1);
        assert_eq!(sol.ties[0].moves, vec![0, 1]);
        let opts = SolveOptions {
            ties: TieMode::All { cap: 10 },
            ..Default::default()
        };
        let all = BackwardInduction.solve(GameRef::Tree(&g), &opts).unwrap();
        // Fight → entrant stays out (1 > 0); Accommodate → entrant enters (2 > 1).
        assert_eq!(all.equilibria.len(), 2);
        assert_eq!(all.status, Status::Solved);
        let capped = SolveOptions {
            ties: TieMode::All { cap: 1 },
            ..Default::default()
        };
        let one = BackwardInduction.solve(GameRef::Tree(&g), &capped).unwrap();
        assert_eq!(one.equilibria.len(), 1);
        assert_eq!(one.status, Status::Truncated);
    }

    #[test]
    fn deep_chain_does_not_overflow() {
        // A chain 10^6 moves deep: each node continues or stops.
        let depth = 1_000_000;
        let mut b = TreeBuilder::new("chain", vec!["A".into()]);
        let root = b.decision("n0", PlayerId(0), None);
        let mut cur = root;
        for k in 1..depth {
            let stop = b.terminal("", vec![]);
            let next = b.decision("", PlayerId(0), None);
            b.add_move(cur, "stop", None, stop).unwrap();
            b.add_move(cur, "go", None, next).unwrap();
            cur = next;
            let _ = k;
        }
        let last = b.terminal("", vec![]);
        b.add_move(cur, "end", None, last).unwrap();
        let tree = Arc::new(b.finish(root).unwrap().tree);
        let mut g = Game::zeroed(tree);
        let nl = g.tree.leaves.len();
        g.payoffs[nl - 1] = 1.0; // only going all the way pays
        let mut ws = Workspace::default();
        solve_into(&g, 1e-9, &mut ws);
        assert_eq!(ws.values[0], 1.0);
        let p = profile_of(&g.tree, &ws);
        assert!(max_regret(&g, &p).unwrap() <= 1e-12);
    }
}
