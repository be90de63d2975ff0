//! Subgame decomposition: subgame-perfect equilibria of trees with imperfect information.
//!
//! A Nash equilibrium of the whole tree may rest on threats that would not be carried out if
//! a subgame were actually reached. Subgame perfection asks for an equilibrium in every proper
//! subgame: a node whose subtree is closed under information sets (every information set that
//! meets the subtree lies inside it). This solver finds those roots, then solves them
//! bottom-up: each subgame, with the subgames below it already replaced by their equilibrium
//! payoffs, is solved by backward induction if it has perfect information, by the
//! sequence-form LP if it is two-player constant-sum, and by Lemke's algorithm if it is
//! two-player general-sum; anything else is refused, naming the subgame.

use super::lemke::SequenceLcp;
use super::seqlp::{check_constant_sum, SequenceLp};
use super::Unsupported;
use super::{
    backward, reconstruct, Equilibrium, ExactProfile, GameRef, Profile, Solution, SolveError,
    SolveOptions, Solver, Status, Tie,
};
use crate::exact::{self, Rational};
use crate::game::profile::{exact_expected_payoffs, expected_payoffs};
use crate::game::sequence::SequenceForm;
use crate::game::{
    ExactNumbers, ExactVec, Game, InfosetId, NodeId, NodeKind, PlayerId, Tree, TreeBuilder,
};
use std::sync::Arc;

/// Subgame decomposition solver.
pub struct SubgameDecomposition;

/// Roots of the proper subgames of `tree` that have at least one move (the root included), in
/// increasing id order.
pub fn subgame_roots(tree: &Tree) -> Vec<NodeId> {
    let n = tree.nodes.len();
    if n == 0 {
        return Vec::new();
    }
    // Depth-first pre-order numbers: a subtree is the interval [pre, pre + size).
    let mut pre = vec![0usize; n];
    let mut stack = vec![0usize];
    let mut next = 0;
    while let Some(v) = stack.pop() {
        pre[v] = next;
        next += 1;
        stack.extend(tree.nodes[v].children().rev());
    }
    let mut size = vec![1usize; n];
    // Range of pre-order numbers spanned by the members of each information set.
    let mut set_lo = vec![usize::MAX; tree.infosets.len()];
    let mut set_hi = vec![0usize; tree.infosets.len()];
    for (v, node) in tree.nodes.iter().enumerate() {
        if let NodeKind::Decision { infoset, .. } = node.kind {
            set_lo[infoset.ix()] = set_lo[infoset.ix()].min(pre[v]);
            set_hi[infoset.ix()] = set_hi[infoset.ix()].max(pre[v]);
        }
    }
    let mut lo = vec![usize::MAX; n];
    let mut hi = vec![0usize; n];
    for v in (0..n).rev() {
        let node = tree.nodes[v];
        if let NodeKind::Decision { infoset, .. } = node.kind {
            lo[v] = set_lo[infoset.ix()];
            hi[v] = set_hi[infoset.ix()];
        }
        for c in node.children() {
            size[v] += size[c];
            lo[v] = lo[v].min(lo[c]);
            hi[v] = hi[v].max(hi[c]);
        }
    }
    (0..n)
        .filter(|&v| {
            tree.nodes[v].n_children > 0
                && (lo[v] == usize::MAX || (lo[v] >= pre[v] && hi[v] < pre[v] + size[v]))
        })
        .map(NodeId::from)
        .collect()
}

impl Solver for SubgameDecomposition {
    fn name(&self) -> &'static str {
        "subgame"
    }

    fn describe(&self) -> &'static str {
        "subgame-perfect equilibrium: every proper subgame solved bottom-up by backward \
         induction, the sequence-form LP or Lemke's algorithm"
    }

    fn supports(&self, game: GameRef<'_>) -> Result<(), Unsupported> {
        let GameRef::Tree(g) = game else {
            return Err(Unsupported {
                reason: "subgame decomposition takes extensive-form games".into(),
                suggest: None,
            });
        };
        let tree = &g.tree;
        let Some(set) = tree.first_nonsingleton_infoset() else {
            return Ok(());
        };
        if g.n_players() != 2 {
            return Err(Unsupported {
                reason: format!(
                    "information set `{}` is not a singleton and the game has {} players; \
                     imperfect-information subgames are solved for two players only",
                    tree.infoset_display(set),
                    g.n_players()
                ),
                suggest: None,
            });
        }
        if let Err(r) = crate::game::recall::check(tree) {
            return Err(Unsupported {
                reason: format!(
                    "subgame decomposition needs perfect recall; {}",
                    r.describe(tree)
                ),
                suggest: Some(if g.is_constant_sum(super::certificate::DEFAULT_TOL) {
                    "matrix-lp"
                } else {
                    "lemke-howson"
                }),
            });
        }
        SequenceForm::new(g).map(|_| ()).map_err(|e| Unsupported {
            reason: e.to_string(),
            suggest: None,
        })
    }

    fn solve(&self, game: GameRef<'_>, opts: &SolveOptions) -> Result<Solution, SolveError> {
        self.supports(game)?;
        let GameRef::Tree(g) = game else {
            return Err(self
                .supports(game)
                .err()
                .unwrap_or(Unsupported {
                    reason: "not a tree".into(),
                    suggest: None,
                })
                .into());
        };
        solve_subgames(g, opts)
    }
}

/// One subgame with its nested subgames cut off and replaced by their payoffs.
struct Reduced {
    game: Game,
    /// Original information set of each information set of the reduced tree.
    set_of: Vec<InfosetId>,
    /// Original node of each node of the reduced tree.
    node_of: Vec<NodeId>,
}

/// Solves every proper subgame bottom-up and assembles the behaviour profile.
fn solve_subgames(g: &Game, opts: &SolveOptions) -> Result<Solution, SolveError> {
    let tree = &g.tree;
    let roots = subgame_roots(tree);
    let mut is_root = vec![false; tree.nodes.len()];
    for r in &roots {
        is_root[r.ix()] = true;
    }
    let np = g.n_players();
    let mut value: Vec<Option<Vec<f64>>> = vec![None; tree.nodes.len()];
    let mut exact_value: Vec<Option<Vec<Rational>>> = vec![None; tree.nodes.len()];
    let mut profile = vec![0.0; tree.n_actions()];
    // The exact profile, while every subgame so far was solved exactly.
    let mut exact_profile = g
        .exact
        .as_ref()
        .map(|_| vec![Rational::default(); tree.n_actions()]);
    let mut status = Status::Solved;
    let mut ties = Vec::new();
    // Deeper roots have larger ids: reverse order solves nested subgames first.
    for &r in roots.iter().rev() {
        let red = reduce(g, r, &is_root, &value, &exact_value);
        let local = solve_one(&red, tree, r, opts)?;
        let Some((local, local_exact, local_ties)) = local else {
            status = Status::PivotLimit;
            break;
        };
        for (s, set) in red.game.tree.infosets.iter().enumerate() {
            let orig = &tree.infosets[red.set_of[s].ix()];
            for a in 0..set.n_actions as usize {
                let (to, from) = (
                    orig.first_action as usize + a,
                    set.first_action as usize + a,
                );
                profile[to] = local[from];
                if let (Some(xp), Some(lx)) = (exact_profile.as_mut(), local_exact.as_ref()) {
                    xp[to] = lx[from].clone();
                }
            }
        }
        if local_exact.is_none() {
            exact_profile = None;
        }
        ties.extend(local_ties);
        let v = expected_payoffs(&red.game, &local);
        value[r.ix()] = Some(v[..np].to_vec());
        if let (Some(ex), Some(lx)) = (red.game.exact.as_ref(), local_exact.as_ref()) {
            let v = exact_expected_payoffs(&red.game.tree, ex, lx);
            value[r.ix()] = Some(v.iter().map(exact::to_f64).collect());
            exact_value[r.ix()] = Some(v);
        }
    }
    let mut sol = Solution::new(
        "subgame",
        match (status, exact_profile) {
            (Status::Solved, Some(x)) => {
                vec![Equilibrium::with_exact(ExactProfile::Behavior(x.into()))]
            }
            (Status::Solved, None) => vec![Equilibrium::new(Profile::Behavior(profile))],
            _ => Vec::new(),
        },
    );
    sol.status = status;
    sol.ties = ties;
    if status == Status::Solved && g.is_constant_sum(opts.tol.max(1e-12)) {
        sol.value = value[0].as_ref().map(|v| v[0]);
        sol.exact_value = exact_value[0].as_ref().map(|v| v[0].clone());
    }
    Ok(sol)
}

/// The subgame at `r` as a game of its own, nested subgame roots turned into leaves paying
/// their solved values (exact numbers kept while the game and those values are exact).
fn reduce(
    g: &Game,
    r: NodeId,
    is_root: &[bool],
    value: &[Option<Vec<f64>>],
    exact_value: &[Option<Vec<Rational>>],
) -> Reduced {
    let tree = &g.tree;
    let np = g.n_players();
    let mut b = TreeBuilder::new(tree.title.clone(), tree.players.clone());
    let mut leaf_pay: Vec<(usize, Vec<f64>)> = Vec::new();
    let mut chance: Vec<(usize, f64)> = Vec::new();
    // Exact counterparts (`None` once an exact number is missing).
    let mut ex_pay: Option<Vec<(usize, Vec<Rational>)>> = g.exact.as_ref().map(|_| Vec::new());
    let mut ex_chance: Vec<(usize, Rational)> = Vec::new();
    let mut set_of_builder: Vec<(usize, InfosetId)> = Vec::new();
    // Original node of each builder node (builder nodes are numbered in creation order).
    let mut orig: Vec<usize> = Vec::new();
    let mut stack: Vec<(usize, Option<usize>)> = vec![(r.ix(), None)];
    while let Some((v, parent)) = stack.pop() {
        let node = tree.nodes[v];
        let name = tree.node_names[v].to_string();
        let solved = v != r.ix() && is_root[v];
        let bn = match (solved, node.kind) {
            (true, _) => {
                let bn = b.terminal(name, vec![]);
                let pay = value[v].clone().unwrap_or_else(|| vec![0.0; np]);
                leaf_pay.push((bn, pay));
                match (ex_pay.as_mut(), &exact_value[v]) {
                    (Some(e), Some(x)) => e.push((bn, x.clone())),
                    _ => ex_pay = None,
                }
                bn
            }
            (false, NodeKind::Terminal { leaf }) => {
                let bn = b.terminal(name, vec![]);
                leaf_pay.push((bn, g.leaf_payoffs(leaf).to_vec()));
                if let (Some(e), Some(x)) = (ex_pay.as_mut(), g.exact.as_ref()) {
                    e.push((
                        bn,
                        (leaf.ix() * np..(leaf.ix() + 1) * np)
                            .map(|k| x.payoffs().get(k))
                            .collect(),
                    ));
                }
                bn
            }
            (false, NodeKind::Chance) => b.chance(name),
            (false, NodeKind::Decision { player, infoset }) => {
                let bn = b.decision(name, player, Some(infoset.0.to_string()));
                set_of_builder.push((bn, infoset));
                bn
            }
        };
        orig.push(v);
        if let Some(p) = parent {
            // Children are pushed in reverse below, so moves are added in order.
            // The builder node is fresh, so the move cannot reach it twice.
            let _ = b.add_move(p, &tree.move_labels[v], None, bn);
            if tree.nodes[tree.nodes[v].parent as usize].kind == NodeKind::Chance {
                chance.push((bn, g.chance[v]));
                if let Some(x) = g.exact.as_ref() {
                    ex_chance.push((bn, x.chance().get(v)));
                }
            }
        }
        if !solved {
            for c in node.children().rev() {
                stack.push((c, Some(bn)));
            }
        }
    }
    // The builder nodes form a tree by construction (each added once, moves in order).
    let built = b.finish(0).expect("a subtree is a valid tree");
    let sub = Arc::new(built.tree);
    let mut game = Game::zeroed(sub.clone());
    for (bn, p) in chance {
        if let Some(id) = built.node_of[bn] {
            game.chance[id.ix()] = p;
        }
    }
    for (bn, pay) in leaf_pay {
        if let Some(id) = built.node_of[bn] {
            if let NodeKind::Terminal { leaf } = sub.node(id).kind {
                game.payoffs[leaf.ix() * np..(leaf.ix() + 1) * np].copy_from_slice(&pay);
            }
        }
    }
    if let Some(ex_pay) = ex_pay {
        let mut ex = ExactNumbers::new(
            ExactVec::zeros(game.chance.len()),
            ExactVec::zeros(game.payoffs.len()),
        );
        for (bn, p) in ex_chance {
            if let Some(id) = built.node_of[bn] {
                ex.chance_mut().set(id.ix(), &p);
            }
        }
        for (bn, pay) in ex_pay {
            if let Some(id) = built.node_of[bn] {
                if let NodeKind::Terminal { leaf } = sub.node(id).kind {
                    for (k, q) in pay.iter().enumerate() {
                        ex.payoffs_mut().set(leaf.ix() * np + k, q);
                    }
                }
            }
        }
        game.exact = Some(Arc::new(ex));
    }
    let mut set_of = vec![InfosetId(0); sub.infosets.len()];
    for (bn, orig) in set_of_builder {
        if let Some(id) = built.node_of[bn] {
            if let NodeKind::Decision { infoset, .. } = sub.node(id).kind {
                set_of[infoset.ix()] = orig;
            }
        }
    }
    let mut node_of = vec![r; sub.nodes.len()];
    for (bn, &v) in orig.iter().enumerate() {
        if let Some(id) = built.node_of[bn] {
            node_of[id.ix()] = NodeId::from(v);
        }
    }
    Reduced {
        game,
        set_of,
        node_of,
    }
}

/// A subgame's behaviour profile, its exact form when known, and the ties met solving it.
type Local = (Vec<f64>, Option<Vec<Rational>>, Vec<Tie>);

/// Solves one reduced subgame by the fitting method: its profile and (perfect information
/// only) the ties met, at original nodes; `None` if a pivot limit was hit.
fn solve_one(
    red: &Reduced,
    whole: &Tree,
    root: NodeId,
    opts: &SolveOptions,
) -> Result<Option<Local>, SolveError> {
    let g = &red.game;
    if g.tree.is_perfect_information() {
        if g.exact.is_some() {
            let once = SolveOptions {
                ties: super::TieMode::Report,
                ..opts.clone()
            };
            let sol = backward::BackwardInduction.solve(GameRef::Tree(g), &once)?;
            let mut ties = sol.ties;
            for t in &mut ties {
                t.node = red.node_of[t.node.ix()];
            }
            return Ok(sol.equilibria.into_iter().next().and_then(|e| {
                let exact = match e.exact {
                    Some(ExactProfile::Behavior(x)) => Some(x.to_vec()),
                    _ => None,
                };
                match e.profile {
                    Profile::Behavior(b) => Some((b, exact, ties)),
                    _ => None,
                }
            }));
        }
        let mut eps = Vec::new();
        backward::tie_tolerances(g, opts.tol, &mut eps);
        let (profile, mut ties) = perfect_information(g, &eps);
        for t in &mut ties {
            t.node = red.node_of[t.node.ix()];
        }
        return Ok(Some((profile, None, ties)));
    }
    let name = || {
        let n = &whole.node_names[root.ix()];
        if n.is_empty() {
            format!("#{}", root.0)
        } else {
            n.to_string()
        }
    };
    if g.n_players() != 2 {
        return Err(Unsupported {
            reason: format!(
                "the subgame at node `{}` has imperfect information and {} players",
                name(),
                g.n_players()
            ),
            suggest: None,
        }
        .into());
    }
    let gr = GameRef::Tree(g);
    let sol = if check_constant_sum(g, opts.tol.max(1e-12)).is_ok() {
        SequenceLp.solve(gr, opts)?
    } else {
        SequenceLcp.solve(gr, opts).map_err(|e| match e {
            SolveError::Unsupported(u) => SolveError::Unsupported(Unsupported {
                reason: format!("the subgame at node `{}`: {}", name(), u.reason),
                suggest: u.suggest,
            }),
            e => e,
        })?
    };
    Ok(sol.equilibria.into_iter().next().and_then(|e| {
        let exact = match e.exact {
            Some(ExactProfile::Behavior(x)) => Some(x.to_vec()),
            _ => None,
        };
        match e.profile {
            Profile::Behavior(b) => {
                let exact = exact.or_else(|| reconstruct::behavior(g, &b));
                Some((b, exact, Vec::new()))
            }
            Profile::Mixed(_) | Profile::Correlated(_) => None,
        }
    }))
}

/// Backward induction on a perfect-information game: each mover takes its first best move;
/// moves within `eps[player]` of the best are reported as ties (node ids of `g`).
fn perfect_information(g: &Game, eps: &[f64]) -> (Vec<f64>, Vec<Tie>) {
    let tree = &g.tree;
    let np = g.n_players();
    let mut val = vec![0.0; tree.nodes.len() * np];
    let mut profile = vec![0.0; tree.n_actions()];
    let mut ties = Vec::new();
    for v in (0..tree.nodes.len()).rev() {
        let node = tree.nodes[v];
        match node.kind {
            NodeKind::Terminal { leaf } => {
                val[v * np..(v + 1) * np].copy_from_slice(g.leaf_payoffs(leaf));
            }
            NodeKind::Chance => {
                for c in node.children() {
                    for p in 0..np {
                        val[v * np + p] += g.chance[c] * val[c * np + p];
                    }
                }
            }
            NodeKind::Decision { player, infoset } => {
                let PlayerId(p) = player;
                let first = node.first_child as usize;
                let best = node.children().fold(first, |b, c| {
                    if val[c * np + p as usize] > val[b * np + p as usize] {
                        c
                    } else {
                        b
                    }
                });
                let top = val[best * np + p as usize];
                let tol = eps[p as usize];
                let tied: Vec<usize> = node
                    .children()
                    .filter(|&c| val[c * np + p as usize] >= top - tol)
                    .map(|c| c - first)
                    .collect();
                if tied.len() > 1 {
                    ties.push(Tie {
                        node: NodeId::from(v),
                        player,
                        moves: tied,
                        value: top,
                    });
                }
                let (head, tail) = val.split_at_mut(best * np);
                head[v * np..(v + 1) * np].copy_from_slice(&tail[..np]);
                let set = &tree.infosets[infoset.ix()];
                profile[set.first_action as usize + (best - first)] = 1.0;
            }
        }
    }
    (profile, ties)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::examples::kuhn_poker;
    use crate::solve::certify;

    #[test]
    fn kuhn_has_only_the_whole_game() {
        // Player 2's information sets span different deals, so no deal starts a subgame.
        assert_eq!(subgame_roots(&kuhn_poker().tree), vec![NodeId(0)]);
    }

    /// Three players in a chain with perfect information: every decision node is a subgame.
    /// `cy` is C's payoff for its move y (x pays C 1).
    fn chain(cy: f64) -> Game {
        let mut b = TreeBuilder::new("chain", vec!["A".into(), "B".into(), "C".into()]);
        let a = b.decision("a", PlayerId(0), None);
        let bn = b.decision("b", PlayerId(1), None);
        let c = b.decision("c", PlayerId(2), None);
        let l: Vec<usize> = (0..4)
            .map(|i| b.terminal(format!("l{i}"), vec![]))
            .collect();
        b.add_move(a, "stop", None, l[0]).unwrap();
        b.add_move(a, "go", None, bn).unwrap();
        b.add_move(bn, "stop", None, l[1]).unwrap();
        b.add_move(bn, "go", None, c).unwrap();
        b.add_move(c, "x", None, l[2]).unwrap();
        b.add_move(c, "y", None, l[3]).unwrap();
        let built = b.finish(a).unwrap();
        let tree = Arc::new(built.tree);
        let mut g = Game::zeroed(tree.clone());
        let pays = [
            [1.0, 0.0, 0.0],
            [0.0, 1.0, 0.0],
            [2.0, 0.0, 1.0],
            [0.0, 2.0, cy],
        ];
        for (i, p) in pays.iter().enumerate() {
            let id = built.node_of[l[i]].unwrap();
            if let NodeKind::Terminal { leaf } = tree.node(id).kind {
                g.payoffs[leaf.ix() * 3..leaf.ix() * 3 + 3].copy_from_slice(p);
            }
        }
        g
    }

    #[test]
    fn three_player_perfect_information_by_backward_steps() {
        let g = chain(0.0);
        assert_eq!(subgame_roots(&g.tree).len(), 3);
        let mut s = SubgameDecomposition
            .solve(GameRef::Tree(&g), &SolveOptions::default())
            .unwrap();
        certify(GameRef::Tree(&g), &mut s).unwrap();
        // By hand: C picks x (1 > 0); B then compares stop (1) with go (0): stop;
        // A compares stop (1) with go (0): stop. Payoffs (1, 0, 0).
        assert_eq!(s.equilibria[0].payoffs, vec![1.0, 0.0, 0.0]);
        assert!(s.ties.is_empty());
        assert!(s.equilibria[0].max_regret() <= 1e-12);
    }

    #[test]
    fn ties_are_reported_at_original_nodes() {
        // C gets 1 from x and from y: a tie at node `c`, whose first move x is taken.
        let g = chain(1.0);
        let s = SubgameDecomposition
            .solve(GameRef::Tree(&g), &SolveOptions::default())
            .unwrap();
        assert_eq!(s.ties.len(), 1);
        assert_eq!(&g.tree.node_names[s.ties[0].node.ix()], "c");
        assert_eq!(s.ties[0].moves, vec![0, 1]);
        assert_eq!(s.ties[0].player, PlayerId(2));
    }
}
