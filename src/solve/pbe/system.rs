//! The conditions of a perfect Bayesian equilibrium with given supports, as polynomials.
//!
//! Fix, at every information set, the set of actions played with positive probability (its
//! *support*). The unknowns are then the mixing probabilities of the sets that mix, and the
//! beliefs that Bayes' rule leaves free. At every information set `I` of player `i` with more
//! than one sensible action, the expected continuation payoff of action `a`,
//! `U(a) = Σ_{x∈I} w(x)·v_i(x, a)`, must be equal across the support and at least as large as
//! outside it, where `w(x)` is the (unnormalised) belief in member `x`:
//!
//! - in games with observed actions and independent types, the belief about each other
//!   player's type is kept per public history and updated by Bayes' rule on that player's own
//!   moves; after a move its types play with probability zero, it is a free distribution (the
//!   Fudenberg–Tirole conditions), and `w(x)` is the product over the other players;
//! - otherwise, `w(x)` is the probability that chance and the other players lead to `x` where
//!   the set is reached, and a free distribution over the members where it is not (weak perfect
//!   Bayesian equilibrium).
//!
//! Mixing probabilities must be positive, beliefs non-negative. Everything is exact.

use super::poly::{Poly, Q};
use super::structure::{Class, Mover, Structure};
use crate::game::{Game, InfosetId, NodeKind};
use num_traits::{One, Signed, Zero};
use std::rc::Rc;

/// At most this many unknowns in one system (monomials are 64-bit sets).
pub const MAX_UNKNOWNS: usize = 64;

/// An unknown of a system.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Var {
    /// Probability of `action` at information set `set` (not the first action of its support,
    /// whose probability is one minus the others).
    Prob {
        /// The information set.
        set: InfosetId,
        /// The action.
        action: usize,
    },
    /// The free belief at a free point that the player has type `ty` (not type 0).
    Belief {
        /// Index into [`Conditions::points`].
        point: usize,
        /// The type.
        ty: usize,
    },
    /// The free belief in member `member` of an unreached information set (weak mode; not
    /// member 0).
    Member {
        /// The information set.
        set: InfosetId,
        /// The member's index in the set.
        member: usize,
    },
}

/// Where beliefs about a player's type are not given by Bayes' rule: after a move that its
/// types play with probability zero (observed-action games).
#[derive(Clone, Debug, PartialEq)]
pub struct FreePoint {
    /// The public history reached by the move.
    pub history: usize,
    /// The player whose type is uncertain.
    pub player: usize,
    /// The belief in each type as a polynomial (a free unknown per type but the first).
    pub belief: Vec<Poly>,
}

/// How a condition is constrained.
pub use super::linear::Rel;

/// One condition and what it says.
#[derive(Clone, Debug)]
pub struct Condition {
    /// The polynomial.
    pub poly: Poly,
    /// `= 0`, `≥ 0` or `> 0`.
    pub rel: Rel,
    /// What it is.
    pub what: What,
}

/// What a condition expresses (for ties and explanations).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum What {
    /// `U(a) = U(b)` or `U(a) ≥ U(b)` at an information set (`a` played).
    Payoff {
        /// The set.
        set: InfosetId,
        /// The action played.
        a: usize,
        /// The action compared.
        b: usize,
    },
    /// A probability or belief bound, or a positive belief total.
    Bound,
}

/// The conditions of one support, with what is needed to read a solution.
#[derive(Clone, Debug)]
pub struct Conditions {
    /// The unknowns.
    pub vars: Vec<Var>,
    /// Probability of every action (indexed like a behaviour profile).
    pub prob: Vec<Poly>,
    /// Unnormalised belief in every member of every information set, by set.
    pub weights: Vec<Vec<Poly>>,
    /// Free belief points.
    pub points: Vec<FreePoint>,
    /// The conditions.
    pub conditions: Vec<Condition>,
    /// Each player's expected payoff from each node on, `[node * n_players + player]`.
    pub values: Vec<Poly>,
    /// Observed-action games: unnormalised belief about each typed player's type at each
    /// public history, `[history][player][type]` (empty rows for untyped players).
    pub by_history: Vec<Vec<Rc<Vec<Poly>>>>,
}

/// A part of the game solved on its own: the continuation after a public history, with given
/// beliefs there (used by the refinements, which ask what follows a deviation under every
/// belief).
#[derive(Clone, Debug)]
pub struct Region {
    /// The public history where the region starts.
    pub root: usize,
    /// Beliefs at the root, `[player][type]` as polynomials (free unknowns `0..n_vars`).
    pub init: Vec<Vec<Poly>>,
    /// Number of unknowns the initial beliefs use (numbered first).
    pub n_vars: usize,
    /// The player whose type the unknowns are beliefs about.
    pub player: usize,
    /// Information sets inside the region.
    pub active: Vec<bool>,
    /// Behaviour outside the region (exact probabilities by action).
    pub fixed: Vec<Q>,
}

/// Why conditions could not be written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BuildError {
    /// More unknowns than a system can hold.
    TooManyUnknowns,
    /// A product of two polynomials sharing an unknown: the tree lacks perfect recall.
    NoPerfectRecall,
}

/// The exact numbers of a game and what its players know.
#[derive(Clone, Debug)]
pub struct Problem<'a> {
    /// The game.
    pub game: &'a Game,
    /// Its structure.
    pub st: Structure,
    /// Exact payoffs, leaf-major.
    pub pay: Vec<Q>,
    /// Exact chance probabilities, by node.
    pub chance: Vec<Q>,
    /// Actions at each information set that are not conditionally dominated.
    pub remaining: Vec<Vec<usize>>,
}

impl<'a> Problem<'a> {
    /// Reads a game: its exact numbers (the exact ones it carries, or the floats' exact
    /// values), its structure, and the actions that survive conditional dominance.
    pub fn new(game: &'a Game) -> Problem<'a> {
        let (pay, chance): (Vec<Q>, Vec<Q>) = match &game.exact {
            Some(x) => (
                x.payoffs().iter().map(Q::from_big).collect(),
                x.chance().iter().map(Q::from_big).collect(),
            ),
            None => (
                game.payoffs.iter().map(|&x| exact(x)).collect(),
                game.chance.iter().map(|&x| exact(x)).collect(),
            ),
        };
        let st = Structure::of(game, &chance);
        let remaining = game
            .tree
            .infosets
            .iter()
            .map(|s| (0..s.n_actions as usize).collect())
            .collect();
        let mut p = Problem {
            game,
            st,
            pay,
            chance,
            remaining,
        };
        p.prune();
        p
    }

    /// Removes actions that are worse than another action of the same set at every member,
    /// whatever anyone does afterwards (the best they could yield is below the worst the other
    /// could); repeats until nothing changes. Such an action is never sequentially rational
    /// under any belief.
    fn prune(&mut self) {
        let tree = &*self.game.tree;
        let np = tree.n_players();
        let n = tree.nodes.len();
        loop {
            // Bounds of every player's continuation payoff at every node.
            let mut lo = vec![Q::zero(); n * np];
            let mut hi = vec![Q::zero(); n * np];
            for i in (0..n).rev() {
                let node = tree.nodes[i];
                for p in 0..np {
                    let (l, h) = match node.kind {
                        NodeKind::Terminal { leaf } => {
                            let v = self.pay[leaf.ix() * np + p].clone();
                            (v.clone(), v)
                        }
                        NodeKind::Chance => {
                            let mut l = Q::zero();
                            let mut h = Q::zero();
                            for c in node.children() {
                                if !self.chance[c].is_zero() {
                                    l += &self.chance[c] * &lo[c * np + p];
                                    h += &self.chance[c] * &hi[c * np + p];
                                }
                            }
                            (l, h)
                        }
                        NodeKind::Decision { infoset, .. } => {
                            let first = node.first_child as usize;
                            let rem = &self.remaining[infoset.ix()];
                            let mut l = lo[(first + rem[0]) * np + p].clone();
                            let mut h = hi[(first + rem[0]) * np + p].clone();
                            for &a in &rem[1..] {
                                let c = first + a;
                                if lo[c * np + p] < l {
                                    l = lo[c * np + p].clone();
                                }
                                if hi[c * np + p] > h {
                                    h = hi[c * np + p].clone();
                                }
                            }
                            (l, h)
                        }
                    };
                    lo[i * np + p] = l;
                    hi[i * np + p] = h;
                }
            }
            let mut changed = false;
            for (s, set) in tree.infosets.iter().enumerate() {
                let p = set.player.ix();
                let members = tree.members(InfosetId::from(s));
                let rem = self.remaining[s].clone();
                let dominated = |a: usize, b: usize| {
                    members.iter().all(|m| {
                        let f = tree.nodes[m.ix()].first_child as usize;
                        hi[(f + a) * np + p] < lo[(f + b) * np + p]
                    })
                };
                let keep: Vec<usize> = rem
                    .iter()
                    .copied()
                    .filter(|&a| !rem.iter().any(|&b| b != a && dominated(a, b)))
                    .collect();
                if keep.len() < rem.len() {
                    self.remaining[s] = keep;
                    changed = true;
                }
            }
            if !changed {
                return;
            }
        }
    }

    /// True in games with observed actions and independent types (beliefs per history).
    pub fn observed_actions(&self) -> bool {
        self.st.class == Class::ObservedActions
    }

    /// The conditions of the support `supports` (per information set, its actions played with
    /// positive probability, a non-empty subset of `remaining`).
    pub fn conditions(&self, supports: &[Vec<usize>]) -> Result<Conditions, BuildError> {
        self.conditions_in(supports, None)
    }

    /// The conditions of a support in a region (the whole game when `None`).
    pub fn conditions_in(
        &self,
        supports: &[Vec<usize>],
        region: Option<&Region>,
    ) -> Result<Conditions, BuildError> {
        self.conditions_ws(supports, region, &mut Workspace::default())
    }

    /// [`Self::conditions_in`], reusing the continuation values of `ws` (from the previous
    /// support of an enumeration) wherever no support below a node changed.
    pub fn conditions_ws(
        &self,
        supports: &[Vec<usize>],
        region: Option<&Region>,
        ws: &mut Workspace,
    ) -> Result<Conditions, BuildError> {
        let tree = &*self.game.tree;
        let mut vars = Vec::new();
        let mut points = Vec::new();
        if let Some(r) = region {
            for ty in 0..r.n_vars {
                vars.push(Var::Belief {
                    point: 0,
                    ty: ty + 1,
                });
            }
            points.push(FreePoint {
                history: r.root,
                player: r.player,
                belief: r.init[r.player].clone(),
            });
        }
        let active = |s: usize| region.is_none_or(|r| r.active[s]);
        // Action probabilities. Unknowns are numbered from the deepest sets up, so that a
        // change of support at a set leaves the numbering below it, and the values cached for
        // nodes below it, as they were.
        let mut prob = vec![Poly::zero(); tree.n_actions()];
        for (s, set) in tree.infosets.iter().enumerate().rev() {
            let sup = &supports[s];
            let first = set.first_action as usize;
            if let (false, Some(r)) = (active(s), region) {
                for a in 0..set.n_actions as usize {
                    prob[first + a] = Poly::constant(r.fixed[first + a].clone());
                }
                continue;
            }
            if sup.len() == 1 {
                prob[first + sup[0]] = Poly::constant(Q::one());
                continue;
            }
            let mut vs = Vec::new();
            for &a in &sup[1..] {
                let v = vars.len();
                vars.push(Var::Prob {
                    set: InfosetId::from(s),
                    action: a,
                });
                prob[first + a] = Poly::var(v.min(MAX_UNKNOWNS - 1));
                vs.push(v);
            }
            if vars.len() > MAX_UNKNOWNS {
                return Err(BuildError::TooManyUnknowns);
            }
            prob[first + sup[0]] = Poly::one_minus(&vs);
        }
        self.update_values(supports, &prob, ws)?;
        let values = &ws.values;
        let mut by_history = Vec::new();
        let weights = if self.observed_actions() {
            let (w, h) =
                self.weights_by_history(supports, &prob, &mut vars, &mut points, region)?;
            by_history = h;
            w
        } else {
            self.weights_by_set(supports, &prob, &mut vars)?
        };
        if vars.len() > MAX_UNKNOWNS {
            return Err(BuildError::TooManyUnknowns);
        }
        let mut conditions = Vec::new();
        // Bounds on the unknowns.
        for (s, set) in tree.infosets.iter().enumerate() {
            if supports[s].len() > 1 && active(s) {
                for &a in &supports[s] {
                    conditions.push(Condition {
                        poly: prob[set.first_action as usize + a].clone(),
                        rel: Rel::Gt,
                        what: What::Bound,
                    });
                }
            }
        }
        for pt in &points {
            for b in &pt.belief {
                conditions.push(Condition {
                    poly: b.clone(),
                    rel: Rel::Ge,
                    what: What::Bound,
                });
            }
        }
        for (s, w) in weights.iter().enumerate() {
            if vars
                .iter()
                .any(|v| matches!(v, Var::Member { set, .. } if set.ix() == s))
            {
                for x in w {
                    conditions.push(Condition {
                        poly: x.clone(),
                        rel: Rel::Ge,
                        what: What::Bound,
                    });
                }
            }
        }
        // Sequential rationality.
        let np = tree.n_players();
        for (s, set) in tree.infosets.iter().enumerate() {
            let rem = &self.remaining[s];
            if rem.len() < 2 || !active(s) {
                continue;
            }
            let p = set.player.ix();
            let members = tree.members(InfosetId::from(s));
            let u = |a: usize| -> Result<Poly, BuildError> {
                let mut total = Poly::zero();
                for (k, m) in members.iter().enumerate() {
                    if weights[s][k].is_zero() {
                        continue;
                    }
                    let c = tree.nodes[m.ix()].first_child as usize + a;
                    let t = weights[s][k]
                        .mul(&values[c * np + p])
                        .ok_or(BuildError::NoPerfectRecall)?;
                    total = total.add(&t);
                }
                Ok(total)
            };
            let total: Poly = weights[s].iter().fold(Poly::zero(), |acc, w| acc.add(w));
            if total.support() != 0 && !self.is_simplex_total(&total) {
                conditions.push(Condition {
                    poly: total,
                    rel: Rel::Gt,
                    what: What::Bound,
                });
            }
            let sup = &supports[s];
            let u0 = u(sup[0])?;
            for &a in &sup[1..] {
                conditions.push(Condition {
                    poly: u(a)?.sub(&u0),
                    rel: Rel::Eq,
                    what: What::Payoff {
                        set: InfosetId::from(s),
                        a,
                        b: sup[0],
                    },
                });
            }
            for &b in rem.iter().filter(|b| !sup.contains(b)) {
                conditions.push(Condition {
                    poly: u0.sub(&u(b)?),
                    rel: Rel::Ge,
                    what: What::Payoff {
                        set: InfosetId::from(s),
                        a: sup[0],
                        b,
                    },
                });
            }
        }
        Ok(Conditions {
            vars,
            prob,
            weights,
            points,
            conditions,
            values: if region.is_some() {
                values.clone()
            } else {
                Vec::new()
            },
            by_history,
        })
    }

    /// True if a belief total is identically one (a free distribution summing to one).
    fn is_simplex_total(&self, total: &Poly) -> bool {
        total.as_constant().is_some_and(|c| c.is_positive())
    }

    /// Fills `ws.values[node * n_players + player]`, each player's expected payoff from each
    /// node on, recomputing only nodes below a set whose support differs from `ws.supports`.
    fn update_values(
        &self,
        supports: &[Vec<usize>],
        prob: &[Poly],
        ws: &mut Workspace,
    ) -> Result<(), BuildError> {
        let tree = &*self.game.tree;
        let np = tree.n_players();
        let n = tree.nodes.len();
        let cacheable = tree.infosets.len() <= 64 && ws.values.len() == n * np;
        if ws.below.len() != n {
            ws.below = subtree_sets(tree);
        }
        let changed: u64 = if cacheable && ws.supports.len() == supports.len() {
            supports
                .iter()
                .zip(&ws.supports)
                .enumerate()
                .filter(|(_, (a, b))| a != b)
                .fold(0, |m, (s, _)| m | (1u64 << s))
        } else {
            u64::MAX
        };
        if ws.values.len() != n * np {
            ws.values = vec![Poly::zero(); n * np];
        }
        let v = &mut ws.values;
        for i in (0..n).rev() {
            let node = tree.nodes[i];
            if changed != u64::MAX && ws.below[i] & changed == 0 {
                continue;
            }
            match node.kind {
                NodeKind::Terminal { leaf } => {
                    for p in 0..np {
                        v[i * np + p] = Poly::constant(self.pay[leaf.ix() * np + p].clone());
                    }
                }
                NodeKind::Chance => {
                    for p in 0..np {
                        let mut acc = Poly::zero();
                        for c in node.children() {
                            if !self.chance[c].is_zero() {
                                acc = acc.add(&v[c * np + p].scale(&self.chance[c]));
                            }
                        }
                        v[i * np + p] = acc;
                    }
                }
                NodeKind::Decision { infoset, .. } => {
                    let first_action = tree.infosets[infoset.ix()].first_action as usize;
                    for p in 0..np {
                        let mut acc = Poly::zero();
                        for (a, c) in node.children().enumerate() {
                            let pr = &prob[first_action + a];
                            if pr.is_zero() {
                                continue;
                            }
                            let t = match pr.as_constant() {
                                Some(k) if k == Q::one() => v[c * np + p].clone(),
                                _ => pr.mul(&v[c * np + p]).ok_or(BuildError::NoPerfectRecall)?,
                            };
                            acc = if acc.is_zero() { t } else { acc.add(&t) };
                        }
                        v[i * np + p] = acc;
                    }
                }
            }
        }
        ws.supports = supports.to_vec();
        Ok(())
    }

    /// Beliefs kept per public history and player type (observed-action games).
    #[allow(clippy::type_complexity)]
    fn weights_by_history(
        &self,
        supports: &[Vec<usize>],
        prob: &[Poly],
        vars: &mut Vec<Var>,
        points: &mut Vec<FreePoint>,
        region: Option<&Region>,
    ) -> Result<(Vec<Vec<Poly>>, Vec<Vec<Rc<Vec<Poly>>>>), BuildError> {
        let tree = &*self.game.tree;
        let st = &self.st;
        let np = tree.n_players();
        let typed = st.typed_players();
        // w[h][p][t]: unnormalised belief that player p has type t at history h. Rows are
        // shared between a history and its children until the mover's row changes.
        let empty: Rc<Vec<Poly>> = Rc::new(Vec::new());
        let mut w: Vec<Vec<Rc<Vec<Poly>>>> = Vec::with_capacity(st.histories.len());
        for (h, hist) in st.histories.iter().enumerate() {
            let inside = region.is_none_or(|r| {
                let mut cur = h;
                loop {
                    if cur == r.root {
                        break true;
                    }
                    match st.histories[cur].parent {
                        Some((p, _)) => cur = p,
                        None => break false,
                    }
                }
            });
            if !inside {
                w.push(vec![empty.clone(); np]);
                continue;
            }
            if let Some(r) = region.filter(|r| r.root == h) {
                w.push(r.init.iter().map(|x| Rc::new(x.clone())).collect());
                continue;
            }
            let row: Vec<Rc<Vec<Poly>>> = match hist.parent {
                None => (0..np)
                    .map(|p| {
                        if typed.contains(&p) {
                            Rc::new(st.marginal[p].iter().cloned().map(Poly::constant).collect())
                        } else {
                            empty.clone()
                        }
                    })
                    .collect(),
                Some((ph, a)) => {
                    let mut row = w[ph].clone();
                    if let Mover::Player { player, agent } = &st.histories[ph].mover {
                        let i = *player;
                        if typed.contains(&i) {
                            let pr = |t: usize| -> Poly {
                                agent[t].map_or(Poly::zero(), |s| {
                                    prob[tree.infosets[s.ix()].first_action as usize + a].clone()
                                })
                            };
                            let bayes = (0..st.n_types(i)).any(|t| {
                                !w[ph][i][t].is_zero()
                                    && agent[t].is_some_and(|s| supports[s.ix()].contains(&a))
                            });
                            // Beliefs about i matter only if someone else moves later.
                            let needed = st.movers_below[h] & !(1u64 << i.min(63)) != 0;
                            row[i] = Rc::new(if bayes || !needed {
                                (0..st.n_types(i))
                                    .map(|t| w[ph][i][t].mul(&pr(t)))
                                    .collect::<Option<Vec<Poly>>>()
                                    .ok_or(BuildError::NoPerfectRecall)?
                            } else {
                                let mut vs = Vec::new();
                                let point = points.len();
                                for ty in 1..st.n_types(i) {
                                    vs.push(vars.len());
                                    vars.push(Var::Belief { point, ty });
                                }
                                if vars.len() > MAX_UNKNOWNS {
                                    return Err(BuildError::TooManyUnknowns);
                                }
                                let mut belief = vec![Poly::one_minus(&vs)];
                                belief.extend(vs.iter().map(|&v| Poly::var(v)));
                                points.push(FreePoint {
                                    history: h,
                                    player: i,
                                    belief: belief.clone(),
                                });
                                belief
                            });
                        }
                    }
                    row
                }
            };
            w.push(row);
        }
        // The weight of each member: the product over the other typed players.
        let mut out = Vec::with_capacity(tree.infosets.len());
        for (s, set) in tree.infosets.iter().enumerate() {
            let i = set.player.ix();
            let mut ws = Vec::new();
            for m in tree.members(InfosetId::from(s)) {
                let h = st.history_of[m.ix()] as usize;
                let state = st.state_of[m.ix()] as usize;
                let mut x = Poly::constant(Q::one());
                for &j in typed.iter().filter(|&&j| j != i) {
                    let Some(wj) = w[h][j].get(st.type_of[j][state]) else {
                        x = Poly::zero();
                        break;
                    };
                    x = x.mul(wj).ok_or(BuildError::NoPerfectRecall)?;
                }
                ws.push(x);
            }
            out.push(ws);
        }
        Ok((out, w))
    }

    /// Beliefs per information set (weak perfect Bayesian equilibrium), consistent with the
    /// mover's own deviations.
    ///
    /// The weight of a member `x` of a set of player `i` is the probability that chance and the
    /// other players lead to it from the previous set of `i` on its path (the root when there is
    /// none), times the weight of the member of that previous set above `x` — Bayes' rule with
    /// `i`'s own moves taken as given. Where every weight is zero (the others' play excludes the
    /// set, whatever `i` did), the belief is a free distribution. Tying a later set's belief to
    /// an earlier one of the same player is what makes the one-shot conditions enough: without
    /// it, a player could keep an off-path belief at a later set that contradicts what it knows
    /// of the others' play, and prefer a joint deviation at both sets that no local condition
    /// sees (Myerson 1991, Figure 4.2).
    fn weights_by_set(
        &self,
        _supports: &[Vec<usize>],
        prob: &[Poly],
        vars: &mut Vec<Var>,
    ) -> Result<Vec<Vec<Poly>>, BuildError> {
        let tree = &*self.game.tree;
        let ns = tree.infosets.len();
        // For each member: the previous node of its own player on its path and the probability that chance and the others lead from it (or from the
        // root) to the member.
        let mut above: Vec<Vec<(Option<crate::game::NodeId>, Poly)>> = Vec::with_capacity(ns);
        let mut prev_set: Vec<Option<usize>> = vec![None; ns];
        for (s, set) in tree.infosets.iter().enumerate() {
            let i = set.player;
            let mut row = Vec::new();
            for m in tree.members(InfosetId::from(s)) {
                let mut x = Poly::constant(Q::one());
                let mut cur = *m;
                let mut own = None;
                while let Some(p) = tree.node(cur).parent() {
                    let pn = tree.node(p);
                    let a = cur.ix() - pn.first_child as usize;
                    match pn.kind {
                        NodeKind::Chance => x = x.scale(&self.chance[cur.ix()]),
                        NodeKind::Decision { player, infoset } if player != i => {
                            let pr = &prob[tree.infosets[infoset.ix()].first_action as usize + a];
                            x = x.mul(pr).ok_or(BuildError::NoPerfectRecall)?;
                        }
                        NodeKind::Decision { infoset, .. } => {
                            own = Some(p);
                            prev_set[s] = Some(infoset.ix());
                            break;
                        }
                        NodeKind::Terminal { .. } => {}
                    }
                    cur = p;
                }
                row.push((own, x));
            }
            above.push(row);
        }
        // Sets whose belief a later set of the same player inherits.
        let mut has_successor = vec![false; ns];
        for p in prev_set.iter().flatten() {
            has_successor[*p] = true;
        }
        // Earlier sets first: a set's first member comes after its previous set's members.
        let mut order: Vec<usize> = (0..ns).collect();
        order.sort_by_key(|&s| tree.members(InfosetId::from(s)).first().map(|m| m.ix()));
        let mut out: Vec<Vec<Poly>> = vec![Vec::new(); ns];
        for s in order {
            let members = tree.members(InfosetId::from(s));
            let mut ws = Vec::with_capacity(members.len());
            for (own, x) in &above[s] {
                let w = match own {
                    None => x.clone(),
                    Some(node) => {
                        let ps = prev_set[s].unwrap_or(s);
                        let k = tree
                            .members(InfosetId::from(ps))
                            .iter()
                            .position(|m| m == node)
                            .unwrap_or(0);
                        match out[ps].get(k) {
                            Some(wp) if !wp.is_zero() && !x.is_zero() => {
                                wp.mul(x).ok_or(BuildError::NoPerfectRecall)?
                            }
                            _ => Poly::zero(),
                        }
                    }
                };
                ws.push(w);
            }
            if ws.iter().any(|w| !w.is_zero()) {
                out[s] = ws;
            } else if members.len() == 1 || (self.remaining[s].len() < 2 && !has_successor[s]) {
                out[s] = vec![Poly::constant(Q::one()); members.len()];
            } else {
                let mut vs = Vec::new();
                for member in 1..members.len() {
                    vs.push(vars.len());
                    vars.push(Var::Member {
                        set: InfosetId::from(s),
                        member,
                    });
                }
                if vars.len() > MAX_UNKNOWNS {
                    return Err(BuildError::TooManyUnknowns);
                }
                let mut w = vec![Poly::one_minus(&vs)];
                w.extend(vs.iter().map(|&v| Poly::var(v)));
                out[s] = w;
            }
        }
        Ok(out)
    }
}

/// Reusable state of a support enumeration: the last support and its continuation values.
#[derive(Clone, Debug, Default)]
pub struct Workspace {
    supports: Vec<Vec<usize>>,
    values: Vec<Poly>,
    /// Per node: the information sets at or below it (bit set; sets numbered below 64).
    below: Vec<u64>,
}

/// For every node, the bit set of the information sets at or below it (all bits when a set's
/// number is 64 or more, which disables reuse).
fn subtree_sets(tree: &crate::game::Tree) -> Vec<u64> {
    let n = tree.nodes.len();
    let mut m = vec![0u64; n];
    for i in (0..n).rev() {
        let node = tree.nodes[i];
        let mut x = match node.kind {
            NodeKind::Decision { infoset, .. } => {
                if infoset.ix() < 64 {
                    1u64 << infoset.ix()
                } else {
                    u64::MAX
                }
            }
            _ => 0,
        };
        for c in node.children() {
            x |= m[c];
        }
        m[i] = x;
    }
    m
}

/// The exact value of a finite float (infinities and NaN, which a valid game never holds,
/// become zero).
pub fn exact(x: f64) -> Q {
    Q::from_f64(x)
}
