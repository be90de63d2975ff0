//! Behaviour profiles: expected payoffs, event probabilities and the regret certificate.
//!
//! A behaviour profile is one `Vec<f64>` indexed by action: information set `I`'s action `a`
//! sits at `tree.infosets[I].first_action + a`. Everything here is independent of the solvers:
//! the regret certificate recomputes each player's best response from scratch, so a solver bug
//! cannot hide behind its own bookkeeping.
//!
//! All traversals are loops over the breadth-first arena (parents before children), never
//! recursion.

use super::ids::{InfosetId, LeafId, NodeId, PlayerId};
use super::numeric::{ExactNumbers, Fraction, Game};
use super::tree::{NodeKind, Tree};
use crate::exact::{Rational, Scalar};

/// Probability of the move into `child` under `profile` (chance or player move).
#[inline(always)]
fn move_prob<T: Scalar>(
    tree: &Tree,
    chance: &[T],
    profile: &[T],
    parent: NodeKind,
    child: usize,
    first: usize,
) -> T {
    match parent {
        NodeKind::Chance => chance[child].clone(),
        NodeKind::Decision { infoset, .. } => {
            let s = &tree.infosets[infoset.ix()];
            profile[s.first_action as usize + (child - first)].clone()
        }
        NodeKind::Terminal { .. } => T::zero(),
    }
}

/// Probability that play reaches each node under `profile`.
pub fn reach_probabilities(game: &Game, profile: &[f64]) -> Vec<f64> {
    reach_in(&game.tree, &game.chance, profile)
}

/// [`reach_probabilities`] over any scalar type, with the chance probabilities given.
pub fn reach_in<T: Scalar>(tree: &Tree, chance: &[T], profile: &[T]) -> Vec<T> {
    let mut reach = vec![T::zero(); tree.nodes.len()];
    if reach.is_empty() {
        return reach;
    }
    reach[0] = T::one();
    for (i, n) in tree.nodes.iter().enumerate() {
        let first = n.first_child as usize;
        for c in n.children() {
            let p = move_prob(tree, chance, profile, n.kind, c, first);
            reach[c] = if p.is_zero() {
                T::zero()
            } else {
                reach[i].clone() * p
            };
        }
    }
    reach
}

/// Expected payoff of each player under `profile`.
pub fn expected_payoffs(game: &Game, profile: &[f64]) -> Vec<f64> {
    expected_payoffs_in(&game.tree, &game.chance, &game.payoffs, profile)
}

/// [`expected_payoffs`] over any scalar type, with the numbers given (`payoffs` laid out as
/// [`Game::payoffs`]).
pub fn expected_payoffs_in<T: Scalar>(
    tree: &Tree,
    chance: &[T],
    payoffs: &[T],
    profile: &[T],
) -> Vec<T> {
    let reach = reach_in(tree, chance, profile);
    let np = tree.n_players();
    let mut out = vec![T::zero(); np];
    for (l, leaf) in tree.leaves.iter().enumerate() {
        let r = &reach[leaf.node.ix()];
        if !r.is_zero() {
            for (p, o) in out.iter_mut().enumerate() {
                *o = o.clone() + r.clone() * payoffs[l * np + p].clone();
            }
        }
    }
    out
}

/// Subgame perfection of a behaviour profile of a perfect-information tree, checked by
/// one-shot deviations in one pass: at every decision node, each move played with positive
/// probability is worth its mover at least as much as every other move (values under the
/// profile below). By the one-shot deviation principle such a profile is subgame perfect,
/// hence a Nash equilibrium: every player's regret is zero. Returns the expected payoffs at
/// the root; `None` when some node fails the check (the profile may still be a Nash
/// equilibrium off the path: compute the regrets) or the tree is not of perfect information.
/// Children must follow their parents in the arena (as every tree does).
pub fn one_shot_check_in<T: Scalar>(
    tree: &Tree,
    chance: &[T],
    payoffs: &[T],
    profile: &[T],
) -> Option<Vec<T>> {
    let np = tree.n_players();
    if !tree.is_perfect_information() || profile.len() != tree.n_actions() || np == 0 {
        return None;
    }
    let n = tree.nodes.len();
    // Where each node's value is (see [`Sources`]): a node whose mover plays one move with
    // probability exactly 1 has that child's value, so a pure profile copies no number.
    let mut values = Sources::new(tree.leaves.len(), n, np);
    let mut acc = vec![T::zero(); np];
    for i in (0..n).rev() {
        let node = tree.nodes[i];
        let first = node.first_child as usize;
        if let NodeKind::Terminal { leaf } = node.kind {
            payoffs.get(leaf.ix() * np..(leaf.ix() + 1) * np)?;
            values.set_leaf(i, leaf.ix());
            continue;
        }
        if node.children().any(|c| c <= i) {
            return None;
        }
        if let NodeKind::Decision { player, .. } = node.kind {
            let me = player.ix();
            let mut best: Option<&T> = None;
            for c in node.children() {
                let v = &values.of(c, payoffs)[me];
                if best.is_none_or(|b| v > b) {
                    best = Some(v);
                }
            }
            let best = best?.clone();
            for c in node.children() {
                let p = move_prob(tree, chance, profile, node.kind, c, first);
                if !p.is_zero() && values.of(c, payoffs)[me] < best {
                    return None;
                }
            }
        }
        let mut only = None;
        let mut played = 0;
        for c in node.children() {
            let p = move_prob(tree, chance, profile, node.kind, c, first);
            if !p.is_zero() {
                played += 1;
                only = (p == T::one()).then_some(c);
            }
        }
        match only {
            Some(c) if played == 1 => values.share(i, c),
            _ => {
                acc.iter_mut().for_each(|a| *a = T::zero());
                for c in node.children() {
                    let p = move_prob(tree, chance, profile, node.kind, c, first);
                    if !p.is_zero() {
                        for (a, v) in acc.iter_mut().zip(values.of(c, payoffs)) {
                            *a = a.clone() + p.clone() * v.clone();
                        }
                    }
                }
                values.push(i, &acc);
            }
        }
    }
    Some(values.of(0, payoffs).to_vec())
}

/// Where the value vector of each node of a backward pass is, without a copy per node: a
/// leaf's payoffs (an entry below the number of leaves) or a vector computed for the node
/// (after it). A node whose value is a child's (the move played, or the best one) shares the
/// child's entry. A pass over a pure profile or a tree without chance thus stores 4 bytes a
/// node instead of a number per node and player.
pub(crate) struct Sources<T> {
    n_leaves: usize,
    np: usize,
    at: Vec<u32>,
    computed: Vec<T>,
}

impl<T: Clone> Sources<T> {
    /// For a tree of `n` nodes, `n_leaves` leaves and `np` players.
    pub(crate) fn new(n_leaves: usize, n: usize, np: usize) -> Self {
        Sources {
            n_leaves,
            np,
            at: vec![0; n],
            computed: Vec::new(),
        }
    }

    /// Node `i` is leaf `leaf`.
    #[inline]
    pub(crate) fn set_leaf(&mut self, i: usize, leaf: usize) {
        self.at[i] = leaf as u32;
    }

    /// Node `i` has the value of node `c`.
    #[inline]
    pub(crate) fn share(&mut self, i: usize, c: usize) {
        self.at[i] = self.at[c];
    }

    /// Node `i` has the value `v` (`np` numbers).
    #[inline]
    pub(crate) fn push(&mut self, i: usize, v: &[T]) {
        // Entries are fewer than nodes, which are numbered in u32.
        self.at[i] = (self.n_leaves + self.computed.len() / self.np.max(1)) as u32;
        self.computed.extend_from_slice(v);
    }

    /// The value of node `i` (set before), given the leaves' payoffs.
    #[inline]
    pub(crate) fn of<'a>(&'a self, i: usize, payoffs: &'a [T]) -> &'a [T] {
        let k = self.at[i] as usize;
        let np = self.np;
        if k < self.n_leaves {
            &payoffs[k * np..(k + 1) * np]
        } else {
            let k = k - self.n_leaves;
            &self.computed[k * np..(k + 1) * np]
        }
    }
}

/// Probability of each event tag (indexed by `EventId`) under `profile`.
pub fn event_probabilities(game: &Game, profile: &[f64]) -> Vec<f64> {
    if game.tree.events.is_empty() {
        // No tags (every Gambit file): nothing to reach.
        return Vec::new();
    }
    let reach = reach_probabilities(game, profile);
    event_probabilities_from_reach(&game.tree, &reach)
}

/// Probability of each event tag given precomputed reach probabilities.
pub fn event_probabilities_from_reach(tree: &Tree, reach: &[f64]) -> Vec<f64> {
    let mut ev = vec![0.0; tree.events.len()];
    for (k, leaf) in tree.leaves.iter().enumerate() {
        let r = reach[leaf.node.ix()];
        for e in tree.leaf_events(LeafId::from(k)) {
            ev[e.ix()] += r;
        }
    }
    ev
}

/// Why a best response could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RegretError {
    /// A player's information set is reached again below itself (absent-mindedness), or the
    /// player forgets an earlier move; best responses need perfect recall.
    #[error("player {player} does not have perfect recall at information set `{infoset}`")]
    NoPerfectRecall {
        /// Player name.
        player: String,
        /// Information-set name.
        infoset: String,
    },
    /// The profile has the wrong length.
    #[error("profile has {got} entries, the game has {want} actions")]
    BadLength {
        /// Entries given.
        got: usize,
        /// Actions in the game.
        want: usize,
    },
}

/// Each player's regret: the best payoff it could get by a unilateral deviation (to any
/// behaviour strategy) minus its expected payoff under `profile`.
///
/// The best response is computed over the player's information sets, each decided once for all
/// its member nodes (so imperfect information is respected). Requires perfect recall.
pub fn regrets(game: &Game, profile: &[f64]) -> Result<Vec<f64>, RegretError> {
    regrets_in(&game.tree, &game.chance, &game.payoffs, profile)
}

/// Each player's regret computed exactly, when the game's numbers are exact (`None` if only
/// the floats are known).
pub fn exact_regrets(
    game: &Game,
    profile: &[Rational],
) -> Option<Result<Vec<Rational>, RegretError>> {
    let ex = game.exact.as_ref()?;
    let x: Vec<Fraction> = profile.iter().map(Fraction::from_ref).collect();
    let r = regrets_in(&game.tree, ex.chance_values(), ex.payoffs().values(), &x);
    Some(r.map(|r| r.iter().map(Fraction::to_rational).collect()))
}

/// Expected payoffs of an exact behaviour profile on a game's exact numbers (read in place as
/// compact fractions, without a rational per number).
pub fn exact_expected_payoffs(
    tree: &Tree,
    ex: &ExactNumbers,
    profile: &[Rational],
) -> Vec<Rational> {
    let x: Vec<Fraction> = profile.iter().map(Fraction::from_ref).collect();
    let v = expected_payoffs_in(tree, ex.chance_values(), ex.payoffs().values(), &x);
    v.iter().map(Fraction::to_rational).collect()
}

/// [`regrets`] over any scalar type, with the numbers given.
pub fn regrets_in<T: Scalar>(
    tree: &Tree,
    chance: &[T],
    payoffs: &[T],
    profile: &[T],
) -> Result<Vec<T>, RegretError> {
    if profile.len() != tree.n_actions() {
        return Err(RegretError::BadLength {
            got: profile.len(),
            want: tree.n_actions(),
        });
    }
    let current = expected_payoffs_in(tree, chance, payoffs, profile);
    current
        .iter()
        .enumerate()
        .map(|(p, cur)| {
            let br = best_response_in(tree, chance, payoffs, profile, PlayerId::from(p))?;
            let r = br - cur.clone();
            Ok(if r < T::zero() { T::zero() } else { r })
        })
        .collect()
}

/// The largest regret over players.
pub fn max_regret(game: &Game, profile: &[f64]) -> Result<f64, RegretError> {
    Ok(regrets(game, profile)?.into_iter().fold(0.0, f64::max))
}

/// Best-response value of `player` against the others' strategies in `profile`.
///
/// Counterfactual values: `w(h)` is the probability that chance and the other players lead to
/// `h`. The value `v(h)` of a node is the `w`-weighted payoff of `player` below `h` when
/// `player` best-responds. At `player`'s information set `I` the chosen action maximises
/// `Σ_{h∈I} v(child(h, a))`, which needs the values of the children of *all* members of `I`.
/// With perfect recall these dependencies form a DAG, evaluated here demand-driven with an
/// explicit stack; a dependency on a node still in progress means no perfect recall.
pub fn best_response_value(
    game: &Game,
    profile: &[f64],
    player: PlayerId,
) -> Result<f64, RegretError> {
    best_response_in(&game.tree, &game.chance, &game.payoffs, profile, player)
}

/// [`best_response_value`] over any scalar type, with the numbers given.
pub fn best_response_in<T: Scalar>(
    tree: &Tree,
    chance: &[T],
    payoffs: &[T],
    profile: &[T],
    player: PlayerId,
) -> Result<T, RegretError> {
    let n = tree.nodes.len();
    let np = tree.n_players();
    if n == 0 {
        return Ok(T::zero());
    }
    // Opponents' and chance's reach.
    let mut w = vec![T::zero(); n];
    w[0] = T::one();
    for (i, node) in tree.nodes.iter().enumerate() {
        let first = node.first_child as usize;
        for c in node.children() {
            w[c] = match node.kind {
                NodeKind::Decision { player: q, .. } if q == player => w[i].clone(),
                k => {
                    let p = move_prob(tree, chance, profile, k, c, first);
                    if p.is_zero() {
                        T::zero()
                    } else {
                        w[i].clone() * p
                    }
                }
            };
        }
    }
    // Values, computed children-first: reverse id order handles everything except the
    // coupling through information sets, which `decide` resolves.
    const UNSET: u8 = 0;
    const BUSY: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![UNSET; n];
    let mut value = vec![T::zero(); n];
    let mut choice: Vec<Option<usize>> = vec![None; tree.infosets.len()];
    let mut stack: Vec<NodeId> = Vec::new();

    // Helper closure semantics implemented inline in a loop over a work stack.
    for start in (0..n).rev() {
        if state[start] == DONE {
            continue;
        }
        stack.push(NodeId::from(start));
        while let Some(&h) = stack.last() {
            let hi = h.ix();
            if state[hi] == DONE {
                stack.pop();
                continue;
            }
            let node = tree.nodes[hi];
            // Dependencies of h.
            let deps_ready = match node.kind {
                NodeKind::Decision { player: q, infoset } if q == player => {
                    if choice[infoset.ix()].is_some() {
                        node.children().all(|c| state[c] == DONE)
                    } else {
                        tree.members(infoset)
                            .iter()
                            .all(|m| tree.nodes[m.ix()].children().all(|c| state[c] == DONE))
                    }
                }
                _ => node.children().all(|c| state[c] == DONE),
            };
            if !deps_ready {
                if state[hi] == BUSY {
                    // Came back to h with dependencies still pending: they include h's own
                    // ancestor chain, so h's information set is reached from within itself.
                    return Err(no_recall(tree, node.kind, player));
                }
                state[hi] = BUSY;
                let push = |c: usize, stack: &mut Vec<NodeId>| -> Result<(), RegretError> {
                    match state[c] {
                        DONE => Ok(()),
                        BUSY => Err(no_recall(tree, tree.nodes[c].kind, player)),
                        _ => {
                            stack.push(NodeId::from(c));
                            Ok(())
                        }
                    }
                };
                match node.kind {
                    NodeKind::Decision { player: q, infoset }
                        if q == player && choice[infoset.ix()].is_none() =>
                    {
                        for m in tree.members(infoset) {
                            for c in tree.nodes[m.ix()].children() {
                                push(c, &mut stack)?;
                            }
                        }
                    }
                    _ => {
                        for c in node.children() {
                            push(c, &mut stack)?;
                        }
                    }
                }
                continue;
            }
            // All dependencies done: compute v(h).
            value[hi] = match node.kind {
                NodeKind::Terminal { leaf } => {
                    if w[hi].is_zero() {
                        T::zero()
                    } else {
                        w[hi].clone() * payoffs[leaf.ix() * np + player.ix()].clone()
                    }
                }
                NodeKind::Decision { player: q, infoset } if q == player => {
                    let a = match choice[infoset.ix()] {
                        Some(a) => a,
                        None => {
                            let a = decide(tree, infoset, &value);
                            choice[infoset.ix()] = Some(a);
                            a
                        }
                    };
                    value[node.first_child as usize + a].clone()
                }
                _ => node
                    .children()
                    .fold(T::zero(), |acc, c| acc + value[c].clone()),
            };
            state[hi] = DONE;
            stack.pop();
        }
    }
    Ok(value[0].clone())
}

/// The best action at a player's information set given its members' children values.
fn decide<T: Scalar>(tree: &Tree, set: InfosetId, value: &[T]) -> usize {
    let k = tree.infosets[set.ix()].n_actions as usize;
    let total = |a: usize| -> T {
        tree.members(set).iter().fold(T::zero(), |acc, m| {
            acc + value[tree.nodes[m.ix()].first_child as usize + a].clone()
        })
    };
    let mut best = 0;
    let mut best_v = total(0);
    for a in 1..k {
        let v = total(a);
        if v > best_v {
            best_v = v;
            best = a;
        }
    }
    best
}

fn no_recall(tree: &Tree, kind: NodeKind, player: PlayerId) -> RegretError {
    let infoset = match kind {
        NodeKind::Decision { infoset, .. } => tree.infoset_display(infoset).to_string(),
        _ => String::from("?"),
    };
    RegretError::NoPerfectRecall {
        player: tree.players[player.ix()].clone(),
        infoset,
    }
}

/// A pure behaviour profile (probability 1 on `choice[set]` at every information set).
pub fn pure_profile(tree: &Tree, choice: &[usize]) -> Vec<f64> {
    pure_profile_in(tree, choice)
}

/// [`pure_profile`] over any scalar type.
pub fn pure_profile_in<T: Scalar>(tree: &Tree, choice: &[usize]) -> Vec<T> {
    let mut p = vec![T::zero(); tree.n_actions()];
    for (s, set) in tree.infosets.iter().enumerate() {
        p[set.first_action as usize + choice[s]] = T::one();
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::tree::TreeBuilder;
    use std::sync::Arc;

    #[test]
    fn the_one_shot_check_certifies_mixed_subgame_perfect_profiles() {
        // Backward induction that mixes uniformly over every tied best move: a subgame-perfect
        // profile in which nodes with ties take a computed value (not a child's), which the
        // check must certify with the payoffs of the general expected-payoff routine.
        use crate::game::numeric::Fraction;
        use num_traits::{One, Zero};
        let mut mixed = 0;
        for seed in 0..400 {
            let src = crate::format::efg::tests::random_efg(seed, 40);
            let Ok(g) = crate::format::efg::read(&src) else {
                continue;
            };
            let Some(ex) = g.exact.as_ref() else { continue };
            if !g.tree.is_perfect_information() {
                continue;
            }
            let (chance, pay) = (ex.chance_values(), ex.payoffs().values());
            let (t, np) = (&g.tree, g.tree.n_players());
            let mut value = vec![Fraction::zero(); t.nodes.len() * np];
            let mut prof = vec![Fraction::zero(); t.n_actions()];
            for i in (0..t.nodes.len()).rev() {
                let node = t.nodes[i];
                let weights: Vec<(usize, Fraction)> = match node.kind {
                    NodeKind::Terminal { leaf } => {
                        let l = leaf.ix();
                        value[i * np..(i + 1) * np].clone_from_slice(&pay[l * np..(l + 1) * np]);
                        continue;
                    }
                    NodeKind::Chance => node.children().map(|c| (c, chance[c].clone())).collect(),
                    NodeKind::Decision { player, infoset } => {
                        let me = player.ix();
                        let top = node
                            .children()
                            .map(|c| value[c * np + me].clone())
                            .max()
                            .unwrap();
                        let tied: Vec<usize> = node
                            .children()
                            .filter(|&c| value[c * np + me] == top)
                            .collect();
                        mixed += usize::from(tied.len() > 1);
                        let w = Fraction::one() / Fraction::from_i128(tied.len() as i128, 1);
                        let first = t.infosets[infoset.ix()].first_action as usize;
                        for &c in &tied {
                            prof[first + c - node.first_child as usize] = w.clone();
                        }
                        tied.into_iter().map(|c| (c, w.clone())).collect()
                    }
                };
                for k in 0..np {
                    value[i * np + k] = weights.iter().fold(Fraction::zero(), |a, (c, w)| {
                        a + w.clone() * value[c * np + k].clone()
                    });
                }
            }
            let v = one_shot_check_in(t, chance, pay, &prof);
            assert_eq!(v.as_deref(), Some(&value[..np]), "seed {seed}");
            assert_eq!(v.unwrap(), expected_payoffs_in(t, chance, pay, &prof));
        }
        // The seeds are fixed: 7 nodes with tied best moves among them.
        assert!(mixed >= 5, "only {mixed} nodes mixed");
    }

    #[test]
    fn the_one_shot_check_certifies_only_subgame_perfect_profiles_and_agrees_on_payoffs() {
        use crate::game::numeric::Fraction;
        use num_traits::{One, Zero};
        let (mut certified, mut refused) = (0, 0);
        for seed in 0..400 {
            let src = crate::format::efg::tests::random_efg(seed, 40);
            let Ok(g) = crate::format::efg::read(&src) else {
                continue;
            };
            let Some(ex) = g.exact.as_ref() else { continue };
            if !g.tree.is_perfect_information() {
                continue;
            }
            let (chance, pay) = (ex.chance_values(), ex.payoffs().values());
            // Pure profiles: the first move everywhere, then seeded choices.
            let mut x = seed * 7 + 3;
            for round in 0..6 {
                let mut prof = vec![Fraction::zero(); g.tree.n_actions()];
                for s in &g.tree.infosets {
                    x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
                    let a = if round == 0 {
                        0
                    } else {
                        (x >> 33) as usize % s.n_actions as usize
                    };
                    prof[s.first_action as usize + a] = Fraction::one();
                }
                let regrets = regrets_in(&g.tree, chance, pay, &prof).unwrap();
                match one_shot_check_in(&g.tree, chance, pay, &prof) {
                    Some(v) => {
                        certified += 1;
                        assert!(regrets.iter().all(|r| r.is_zero()), "seed {seed}");
                        assert_eq!(v, expected_payoffs_in(&g.tree, chance, pay, &prof));
                    }
                    None => refused += 1,
                }
            }
            // Backward induction's answer always passes.
            let sol = crate::solve::by_name("backward")
                .unwrap()
                .solve(crate::solve::GameRef::Tree(&g), &Default::default())
                .unwrap();
            let Some(crate::solve::ExactProfile::Behavior(b)) = &sol.equilibria[0].exact else {
                panic!("seed {seed}: no exact profile");
            };
            assert!(
                one_shot_check_in(&g.tree, chance, pay, b.values()).is_some(),
                "seed {seed}"
            );
        }
        assert!(
            certified > 20 && refused > 20,
            "{certified} certified, {refused} refused"
        );
    }

    #[test]
    fn a_nash_equilibrium_with_an_incredible_threat_is_left_to_the_regrets() {
        // Entry: the entrant stays out because the incumbent would fight, which it would not.
        let src = "EFG 2 R \"entry\" { \"E\" \"I\" } \"\"\n\
            p \"\" 1 1 \"\" { \"out\" \"in\" } 0\n\
            t \"\" 1 \"\" { 0, 2 }\n\
            p \"\" 2 1 \"\" { \"fight\" \"yield\" } 0\n\
            t \"\" 2 \"\" { -1, -1 }\n\
            t \"\" 3 \"\" { 1, 1 }\n";
        let g = crate::format::efg::read(src).unwrap();
        let ex = g.exact.as_ref().unwrap();
        let (chance, pay) = (ex.chance_values(), ex.payoffs().values());
        use crate::game::numeric::Fraction;
        use num_traits::Zero;
        let prof: Vec<Fraction> = [1, 0, 1, 0]
            .into_iter()
            .map(|k| Fraction::from_i128(k, 1))
            .collect();
        assert!(one_shot_check_in(&g.tree, chance, pay, &prof).is_none());
        let r = regrets_in(&g.tree, chance, pay, &prof).unwrap();
        assert!(r.iter().all(|r| r.is_zero()));
    }

    /// Matching pennies as a tree: player 2 cannot see player 1's move.
    fn pennies() -> Game {
        let mut b = TreeBuilder::new("mp", vec!["1".into(), "2".into()]);
        let r = b.decision("r", PlayerId(0), None);
        let h = b.decision("h", PlayerId(1), Some("I".into()));
        let t = b.decision("t", PlayerId(1), Some("I".into()));
        b.add_move(r, "H", None, h).unwrap();
        b.add_move(r, "T", None, t).unwrap();
        for x in [h, t] {
            for lab in ["H", "T"] {
                let l = b.terminal("", vec![]);
                b.add_move(x, lab, None, l).unwrap();
            }
        }
        let tree = Arc::new(b.finish(r).unwrap().tree);
        let mut g = Game::zeroed(tree);
        // leaves in BFS order: hH, hT, tH, tT
        g.payoffs = vec![1., -1., -1., 1., -1., 1., 1., -1.];
        g
    }

    #[test]
    fn pennies_regret() {
        let g = pennies();
        let half = vec![0.5; 4];
        assert!(max_regret(&g, &half).unwrap() < 1e-12);
        // P1 plays H; P2 plays H: P1 fine, P2 gains 2 by switching to T (infoset-wide).
        let pure = vec![1.0, 0.0, 1.0, 0.0];
        let r = regrets(&g, &pure).unwrap();
        assert!(r[0].abs() < 1e-12);
        assert!((r[1] - 2.0).abs() < 1e-12);
        // P2's best response must respect the information set: against 50/50, nothing to gain.
        let p = vec![0.5, 0.5, 1.0, 0.0];
        assert!(regrets(&g, &p).unwrap()[1].abs() < 1e-12);
    }

    #[test]
    fn expected_and_events() {
        let g = pennies();
        let e = expected_payoffs(&g, &[0.5; 4]);
        assert!(e[0].abs() < 1e-12 && e[1].abs() < 1e-12);
    }
}
