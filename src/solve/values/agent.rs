//! Values of actions at information sets: the agent form of a tree.
//!
//! In the agent form every information set is its own player, choosing with the payoff of the
//! set's owner. The value of action `a` at set `I` is `u_a = Σ_{h∈I} μ(h) V(h·a)`: the owner's
//! expected payoff after taking `a` at member `h` (everyone's later play as in the profile),
//! weighted by the belief `μ(h)` — the probability of `h` given that `I` is reached, by Bayes'
//! rule from the reach probabilities. Every traversal is a loop over the breadth-first arena.
//!
//! Beliefs come from the logarithms of the reach probabilities in [`Coords::Log`] mode (a
//! log-sum-exp per set), so they stay exact when every member is reached with probability
//! 10⁻⁴⁰⁰ — which is what happens off the path as the logit precision grows. In
//! [`Coords::Linear`] mode (Newton polishing of a limit, where some probabilities are exactly
//! zero) an action of probability zero can still carry a *path weight* (its log-probability on
//! the logit path, [`AgentValues::set_path_weights`]): reach is then a product of the nonzero
//! probabilities times `e^{Σ weights}`, so a set reached only through vanishing moves gets the
//! beliefs the path converges to, while Bayes' rule from the polished probabilities still
//! applies within it (beliefs in a subgame off the path follow the subgame's own play, as
//! consistency requires). A set no profile reaches (a chance move of probability zero leads
//! to it) gets uniform beliefs.
//!
//! The Jacobian has two parts. Through the continuation values: for every decision node `g`
//! in set `J`, each ancestor `n ∈ I` gains `μ(n) · P(n·a → g) · V(g·b)` in entry `(a, b)` for
//! every action `b` of `J` (times `p_b` in log coordinates). Through the beliefs: for every
//! member `h` of `I` and every move `b` on the path to `h`, entry `(a, b)` gains
//! `μ(h) (V(h·a) − u_a)` in log coordinates, `reach_without_b(h) (V(h·a) − u_a) / reach(I)` in
//! linear ones. Both are walks up from a node, so the cost is (nodes × depth × actions). In
//! linear mode with path weights, the column of a zero-probability action is the derivative
//! with respect to its *weight* (log coordinates, belief part only): Newton polishing adjusts
//! those weights to find the beliefs that a limit's off-path indifference needs.

use super::{Coords, Group, ValueModel};
use crate::game::{Game, NodeKind, Tree};
use nalgebra::DMatrix;
use std::sync::Arc;

/// How play moves into a node.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Edge {
    /// The root.
    Root,
    /// A chance move of this probability.
    Chance(f64),
    /// A player's action: its index in the behaviour profile.
    Action(usize),
}

/// A tree's normalised payoffs and structure, laid out for [`ValueModel`] in the agent form.
#[derive(Clone, Debug)]
pub struct AgentValues {
    tree: Arc<Tree>,
    np: usize,
    groups: Vec<Group>,
    /// `pay[leaf * np + i]`, normalised.
    pay: Vec<f64>,
    scale: f64,
    edge: Vec<Edge>,
    /// Information set of each decision node (`usize::MAX` elsewhere).
    set_of: Vec<usize>,
    /// Log-probabilities of actions on the logit path (linear mode: weights of actions whose
    /// probability is zero).
    weights: Option<Vec<f64>>,
    // Workspace, filled by `values`.
    /// Log mode: log-reach. Linear mode: the product of nonzero move probabilities.
    reach: Vec<f64>,
    /// Linear mode: the sum of path weights of zero-probability moves above each node.
    elog: Vec<f64>,
    /// Linear mode: the number of zero-probability (weighted) moves above each node.
    wcount: Vec<u32>,
    value: Vec<f64>,
    belief: Vec<f64>,
    /// Linear mode: `belief[h] = bscale[h] · reach[h]` (the member's weight over the set's
    /// total), for the belief part of the Jacobian.
    bscale: Vec<f64>,
    /// Per set: true if its beliefs follow Bayes' rule from the profile (not uniform).
    bayes: Vec<bool>,
}

impl AgentValues {
    /// The agent-form model of `game`.
    pub fn new(game: &Game) -> Self {
        let tree = game.tree.clone();
        let np = game.n_players();
        let groups = tree
            .infosets
            .iter()
            .map(|s| Group {
                actions: s.first_action as usize..(s.first_action + s.n_actions) as usize,
                player: s.player.ix(),
            })
            .collect();
        let (lo, hi) = game
            .payoffs
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &x| {
                (l.min(x), h.max(x))
            });
        let scale = if hi > lo { hi - lo } else { 1.0 };
        let lo = if lo.is_finite() { lo } else { 0.0 };
        let pay = game.payoffs.iter().map(|&x| (x - lo) / scale).collect();
        let n = tree.nodes.len();
        let mut edge = vec![Edge::Root; n];
        let mut set_of = vec![usize::MAX; n];
        for (i, node) in tree.nodes.iter().enumerate() {
            match node.kind {
                NodeKind::Decision { infoset, .. } => {
                    set_of[i] = infoset.ix();
                    let first = tree.infosets[infoset.ix()].first_action as usize;
                    for (k, c) in node.children().enumerate() {
                        edge[c] = Edge::Action(first + k);
                    }
                }
                NodeKind::Chance => {
                    for c in node.children() {
                        edge[c] = Edge::Chance(game.chance[c]);
                    }
                }
                NodeKind::Terminal { .. } => {}
            }
        }
        let n_sets = tree.infosets.len();
        AgentValues {
            np,
            groups,
            pay,
            scale,
            edge,
            set_of,
            weights: None,
            reach: vec![0.0; n],
            elog: vec![0.0; n],
            wcount: vec![0; n],
            value: vec![0.0; n * np],
            belief: vec![0.0; n],
            bscale: vec![0.0; n],
            bayes: vec![false; n_sets],
            tree,
        }
    }

    /// The tree.
    pub fn tree(&self) -> &Tree {
        &self.tree
    }

    /// Sets (or clears) the path weights: log-probabilities of every action on the logit path,
    /// used in linear mode for the beliefs behind moves whose probability is zero.
    pub fn set_path_weights(&mut self, weights: Option<Vec<f64>>) {
        self.weights = weights;
    }

    /// Beliefs at every decision node (probability of the node given its set is reached) as of
    /// the last [`ValueModel::values`] call; 0 at chance and terminal nodes.
    pub fn beliefs(&self) -> &[f64] {
        &self.belief
    }

    #[inline]
    fn edge_prob(&self, c: usize, p: &[f64]) -> f64 {
        match self.edge[c] {
            Edge::Root => 1.0,
            Edge::Chance(q) => q,
            Edge::Action(a) => p[a],
        }
    }

    /// True if action `a` has probability zero and a path weight.
    #[inline]
    fn weighted(&self, a: usize, p: &[f64]) -> bool {
        self.weights.is_some() && p[a] == 0.0
    }

    /// Adds `d` to the path weight of action `a` (no effect without weights).
    pub fn shift_weight(&mut self, a: usize, d: f64) {
        if let Some(w) = &mut self.weights {
            w[a] += d;
        }
    }

    /// The path weights, if set.
    pub fn path_weights(&self) -> Option<&[f64]> {
        self.weights.as_deref()
    }

    /// Rate-tie equations for polishing a logit limit (linear mode with path weights).
    ///
    /// At an information set reached only through zero-probability moves, the members fall
    /// into classes by the multiset of such moves on their paths. For two classes to keep
    /// beliefs bounded away from zero along the path, their moves must vanish at the same
    /// exponential rate: the sums of the moves' value gaps `u_r − u_a` (`r` the reference
    /// action of `a`'s set, from `refs`) must be equal. Each equation is a list of
    /// `(action, coefficient)` with `Σ coefficient · u_action = 0`; classes with belief below
    /// `floor` do not count.
    pub fn tie_equations(
        &mut self,
        p: &[f64],
        refs: &[usize],
        floor: f64,
    ) -> Vec<Vec<(usize, f64)>> {
        let mut u = vec![0.0; p.len()];
        let x = super::logs(p);
        self.compute(p, &x, Coords::Linear, &mut u);
        let tree = self.tree.clone();
        let group_of = |a: usize| -> usize {
            self.groups
                .iter()
                .position(|g| g.actions.contains(&a))
                .unwrap_or(0)
        };
        let mut out: Vec<Vec<(usize, f64)>> = Vec::new();
        for s in 0..tree.infosets.len() {
            if !self.bayes[s] {
                continue;
            }
            // Classes: (sorted zero-probability moves on the path, total belief).
            let mut classes: Vec<(Vec<usize>, f64)> = Vec::new();
            for h in self.members(s).iter().map(|h| h.ix()) {
                let mut sig = Vec::new();
                let mut c = h;
                while let Some(n) = tree.nodes[c].parent().map(|n| n.ix()) {
                    if let Edge::Action(a) = self.edge[c] {
                        if self.weighted(a, p) {
                            sig.push(a);
                        }
                    }
                    c = n;
                }
                sig.sort_unstable();
                match classes.iter_mut().find(|(k, _)| *k == sig) {
                    Some(cl) => cl.1 += self.belief[h],
                    None => classes.push((sig, self.belief[h])),
                }
            }
            classes.retain(|(_, m)| *m >= floor);
            if classes.len() < 2 {
                continue;
            }
            classes.sort_by(|a, b| b.1.total_cmp(&a.1));
            let (base, _) = classes[0].clone();
            for (sig, _) in &classes[1..] {
                let mut coef: Vec<(usize, f64)> = Vec::new();
                let mut put = |a: usize, v: f64| match coef.iter_mut().find(|(b, _)| *b == a) {
                    Some(e) => e.1 += v,
                    None => coef.push((a, v)),
                };
                for &a in sig {
                    put(refs[group_of(a)], 1.0);
                    put(a, -1.0);
                }
                for &a in &base {
                    put(refs[group_of(a)], -1.0);
                    put(a, 1.0);
                }
                coef.retain(|(_, v)| *v != 0.0);
                coef.sort_by_key(|e| e.0);
                if !coef.is_empty() && !out.contains(&coef) {
                    out.push(coef);
                }
            }
        }
        out
    }

    /// The linear factor and the log-weight of the move into `c`: `(p, None)` normally,
    /// `(1, Some(w))` for a zero-probability action with path weight `w`.
    #[inline]
    fn linear_factor(&self, c: usize, p: &[f64]) -> (f64, Option<f64>) {
        match (self.edge[c], &self.weights) {
            (Edge::Action(a), Some(w)) if p[a] == 0.0 => (1.0, Some(w[a])),
            _ => (self.edge_prob(c, p), None),
        }
    }

    #[inline]
    fn edge_log(&self, c: usize, x: &[f64]) -> f64 {
        match self.edge[c] {
            Edge::Root => 0.0,
            Edge::Chance(q) => {
                if q > 0.0 {
                    q.ln()
                } else {
                    f64::NEG_INFINITY
                }
            }
            Edge::Action(a) => x[a],
        }
    }

    fn members(&self, s: usize) -> &[crate::game::NodeId] {
        let set = &self.tree.infosets[s];
        let m = set.first_member as usize;
        &self.tree.infoset_members[m..m + set.n_members as usize]
    }

    fn compute(&mut self, p: &[f64], x: &[f64], mode: Coords, u: &mut [f64]) {
        let tree = self.tree.clone();
        let np = self.np;
        // Reach: logarithmic, or linear with path weights behind zero-probability moves.
        self.reach[0] = if mode == Coords::Log { 0.0 } else { 1.0 };
        self.elog[0] = 0.0;
        self.wcount[0] = 0;
        for (i, node) in tree.nodes.iter().enumerate() {
            let r = self.reach[i];
            let e = self.elog[i];
            let k = self.wcount[i];
            for c in node.children() {
                match mode {
                    Coords::Log => self.reach[c] = r + self.edge_log(c, x),
                    Coords::Linear => {
                        let (f, w) = self.linear_factor(c, p);
                        self.reach[c] = r * f;
                        self.elog[c] = e + w.unwrap_or(0.0);
                        self.wcount[c] = k + u32::from(w.is_some());
                    }
                }
            }
        }
        // Continuation values, children first.
        for i in (0..tree.nodes.len()).rev() {
            let node = tree.nodes[i];
            match node.kind {
                NodeKind::Terminal { leaf } => {
                    let l = leaf.ix();
                    self.value[i * np..(i + 1) * np]
                        .copy_from_slice(&self.pay[l * np..(l + 1) * np]);
                }
                _ => {
                    for k in 0..np {
                        let mut v = 0.0;
                        for c in node.children() {
                            let q = self.edge_prob(c, p);
                            if q != 0.0 {
                                v += q * self.value[c * np + k];
                            }
                        }
                        self.value[i * np + k] = v;
                    }
                }
            }
        }
        // Beliefs and action values, set by set.
        for s in 0..tree.infosets.len() {
            let members: Vec<usize> = self.members(s).iter().map(|h| h.ix()).collect();
            let mut bayes = true;
            match mode {
                Coords::Log => {
                    let m = members
                        .iter()
                        .map(|&h| self.reach[h])
                        .fold(f64::NEG_INFINITY, f64::max);
                    if m == f64::NEG_INFINITY {
                        bayes = false;
                    } else {
                        let tot: f64 = members.iter().map(|&h| (self.reach[h] - m).exp()).sum();
                        for &h in &members {
                            self.belief[h] = (self.reach[h] - m).exp() / tot;
                        }
                    }
                }
                Coords::Linear => {
                    // A zero-probability move is infinitely less likely than any positive
                    // probability: members reached without one, if any, take all the belief;
                    // otherwise the path weights compare them.
                    let fewest = members
                        .iter()
                        .filter(|&&h| self.reach[h] != 0.0)
                        .map(|&h| self.wcount[h].min(1))
                        .min()
                        .unwrap_or(1);
                    let live = |h: usize| self.reach[h] != 0.0 && self.wcount[h].min(1) == fewest;
                    let m = members
                        .iter()
                        .filter(|&&h| live(h))
                        .map(|&h| self.elog[h])
                        .fold(f64::NEG_INFINITY, f64::max);
                    let w: f64 = members
                        .iter()
                        .filter(|&&h| live(h))
                        .map(|&h| (self.elog[h] - m).exp() * self.reach[h])
                        .sum();
                    if m == f64::NEG_INFINITY || w == 0.0 || !w.is_finite() {
                        bayes = false;
                    } else {
                        for &h in &members {
                            self.bscale[h] = if live(h) {
                                (self.elog[h] - m).exp() / w
                            } else {
                                0.0
                            };
                            self.belief[h] = self.bscale[h] * self.reach[h];
                        }
                    }
                }
            }
            if !bayes {
                let k = members.len() as f64;
                for &h in &members {
                    self.belief[h] = 1.0 / k;
                    self.bscale[h] = 0.0;
                }
            }
            self.bayes[s] = bayes;
            let g = &self.groups[s];
            let pl = g.player;
            for (k, a) in g.actions.clone().enumerate() {
                u[a] = members
                    .iter()
                    .map(|&h| {
                        let c = tree.nodes[h].first_child as usize + k;
                        self.belief[h] * self.value[c * np + pl]
                    })
                    .sum();
            }
        }
    }
}

impl ValueModel for AgentValues {
    fn n_actions(&self) -> usize {
        self.tree.n_actions()
    }
    fn groups(&self) -> &[Group] {
        &self.groups
    }
    fn n_players(&self) -> usize {
        self.np
    }
    fn scale(&self) -> f64 {
        self.scale
    }

    fn values(&mut self, p: &[f64], x: &[f64], mode: Coords, u: &mut [f64]) {
        self.compute(p, x, mode, u);
    }

    fn jacobian(
        &mut self,
        p: &[f64],
        x: &[f64],
        mode: Coords,
        u: &mut [f64],
        jac: &mut DMatrix<f64>,
    ) {
        self.compute(p, x, mode, u);
        jac.fill(0.0);
        let tree = self.tree.clone();
        let np = self.np;
        // Through the continuation values.
        for (g, node) in tree.nodes.iter().enumerate() {
            let NodeKind::Decision { infoset, .. } = node.kind else {
                continue;
            };
            let jset = &self.groups[infoset.ix()];
            let first_child = node.first_child as usize;
            let mut c = g;
            let mut pr = 1.0;
            while let Some(n) = tree.nodes[c].parent().map(|n| n.ix()) {
                if let Edge::Action(a) = self.edge[c] {
                    let mu = self.belief[n];
                    if mu != 0.0 {
                        let pl = self.groups[self.set_of[n]].player;
                        let coef = mu * pr;
                        for (k, b) in jset.actions.clone().enumerate() {
                            let v = self.value[(first_child + k) * np + pl];
                            let w = match mode {
                                Coords::Log => p[b],
                                Coords::Linear if self.weighted(b, p) => 0.0,
                                Coords::Linear => 1.0,
                            };
                            jac[(a, b)] += coef * v * w;
                        }
                    }
                }
                pr *= self.edge_prob(c, p);
                if pr == 0.0 {
                    break;
                }
                c = n;
            }
        }
        // Through the beliefs.
        for s in 0..tree.infosets.len() {
            if !self.bayes[s] || self.groups[s].actions.is_empty() {
                continue;
            }
            let g = self.groups[s].clone();
            let pl = g.player;
            let members: Vec<usize> = self.members(s).iter().map(|h| h.ix()).collect();
            let mut diff = vec![0.0; g.actions.len()];
            for &h in &members {
                if mode == Coords::Log && self.belief[h] == 0.0 {
                    continue;
                }
                let first_child = tree.nodes[h].first_child as usize;
                for (k, a) in g.actions.clone().enumerate() {
                    diff[k] = self.value[(first_child + k) * np + pl] - u[a];
                }
                let mut c = h;
                let mut pr = 1.0;
                while let Some(n) = tree.nodes[c].parent().map(|n| n.ix()) {
                    let (f, wt) = self.linear_factor(c, p);
                    if let Edge::Action(b) = self.edge[c] {
                        let w = match mode {
                            Coords::Log => self.belief[h],
                            Coords::Linear if wt.is_none() => self.bscale[h] * self.reach[n] * pr,
                            // A weighted move: the derivative with respect to its weight.
                            Coords::Linear => self.belief[h],
                        };
                        if w != 0.0 {
                            for (k, a) in g.actions.clone().enumerate() {
                                jac[(a, b)] += w * diff[k];
                            }
                        }
                    }
                    pr *= f;
                    c = n;
                }
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::game::{PlayerId, TreeBuilder};

    /// Nature picks a type; player 1 sees it and moves; player 2 sees only player 1's move and
    /// responds; then player 1 moves again knowing everything (a signalling game with a tail).
    pub(crate) fn signalling() -> Game {
        let mut b = TreeBuilder::new("sig", vec!["1".into(), "2".into()]);
        let root = b.chance("root");
        let mut leaves = 0;
        for t in 0..2 {
            let s = b.decision(format!("t{t}"), PlayerId(0), None);
            b.add_move(root, format!("type{t}"), None, s).unwrap();
            for m in 0..2 {
                let r = b.decision(format!("r{t}{m}"), PlayerId(1), Some(format!("m{m}")));
                b.add_move(s, format!("m{m}"), None, r).unwrap();
                for a in 0..2 {
                    if a == 1 && m == 0 {
                        let z = b.decision(format!("z{t}"), PlayerId(0), None);
                        b.add_move(r, format!("a{a}"), None, z).unwrap();
                        for e in 0..2 {
                            let l = b.terminal("", vec![]);
                            b.add_move(z, format!("e{e}"), None, l).unwrap();
                            leaves += 1;
                        }
                    } else {
                        let l = b.terminal("", vec![]);
                        b.add_move(r, format!("a{a}"), None, l).unwrap();
                        leaves += 1;
                    }
                }
            }
        }
        let tree = Arc::new(b.finish(root).unwrap().tree);
        let mut g = Game::zeroed(tree.clone());
        g.payoffs = (0..leaves * 2)
            .map(|k| ((k * 37) % 11) as f64 - 4.0)
            .collect();
        for c in tree.nodes[0].children() {
            g.chance[c] = if c == 1 { 0.3 } else { 0.7 };
        }
        g
    }

    fn profile(g: &Game) -> Vec<f64> {
        let n = g.tree.n_actions();
        let mut p = vec![0.0; n];
        for set in &g.tree.infosets {
            let f = set.first_action as usize;
            let k = set.n_actions as usize;
            for a in 0..k {
                p[f + a] = 1.0 + a as f64 + f as f64 * 0.37;
            }
            let s: f64 = p[f..f + k].iter().sum();
            for a in 0..k {
                p[f + a] /= s;
            }
        }
        p
    }

    #[test]
    fn values_are_conditional_expected_payoffs() {
        let g = signalling();
        let mut m = AgentValues::new(&g);
        let p = profile(&g);
        let mut u = vec![0.0; p.len()];
        m.values(&p, &super::super::logs(&p), Coords::Log, &mut u);
        // Σ_a p_a u_a at the root set of player 1 (type 0) equals the expected payoff below it.
        let mut u2 = vec![0.0; p.len()];
        m.values(&p, &super::super::logs(&p), Coords::Linear, &mut u2);
        for (a, b) in u.iter().zip(&u2) {
            assert!((a - b).abs() < 1e-12);
        }
        // Beliefs at player 2's sets sum to one.
        for s in 0..g.tree.infosets.len() {
            let tot: f64 = m.members(s).iter().map(|h| m.beliefs()[h.ix()]).sum();
            assert!((tot - 1.0).abs() < 1e-12);
        }
    }

    #[test]
    fn jacobian_matches_finite_differences() {
        let g = signalling();
        let mut m = AgentValues::new(&g);
        let p = profile(&g);
        let n = p.len();
        let x = super::super::logs(&p);
        for mode in [Coords::Linear, Coords::Log] {
            let mut u = vec![0.0; n];
            let mut jac = DMatrix::zeros(n, n);
            m.jacobian(&p, &x, mode, &mut u, &mut jac);
            for b in 0..n {
                let h = 1e-7;
                let mut p2 = p.clone();
                match mode {
                    Coords::Linear => p2[b] += h,
                    Coords::Log => p2[b] *= h.exp(),
                }
                let mut u2 = vec![0.0; n];
                m.values(&p2, &super::super::logs(&p2), mode, &mut u2);
                for a in 0..n {
                    let fd = (u2[a] - u[a]) / h;
                    assert!(
                        (fd - jac[(a, b)]).abs() < 1e-5,
                        "{mode:?} ({a},{b}): fd {fd} jac {}",
                        jac[(a, b)]
                    );
                }
            }
        }
    }
}
