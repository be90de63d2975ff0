//! Support enumeration for trees, in the sequence form.
//!
//! A player's strategy is a realization plan: the probability `r(σ)` of each of its move
//! sequences (Koller, Megiddo & von Stengel 1996). A support fixes which sequences have
//! positive probability; it must be consistent (a sequence is used only if its information
//! set is reached by the player's own earlier moves, and every reached set uses at least one
//! move). Writing the plan in free variables — at an information set with support moves
//! `a₀, a₁, …`, `r(a_j)` is a variable for `j ≥ 1` and `r(a₀) = r(parent) − Σ_j r(a_j)` — the
//! realization constraints hold by construction, and the equilibrium conditions on the support
//! are: at every information set where the player mixes, each support move is worth the same,
//! where a move is worth `W(I, a) = U(I·a) + Σ_J W(J, first support move of J)` over the sets
//! `J` that follow it, and `U(σ)` is the payoff at the leaves ending in the player's sequence
//! `σ`, weighted by chance and the others' plans. That is a square system, multilinear in the
//! others' plans; off-support optimality is left to the regret certificate.
//!
//! Plans are turned into behaviour strategies by `r(I·a) / r(parent(I))`; at information sets
//! a player's own plan never reaches, the move with the best continuation value is played.

use super::poly::{Poly, System};
use super::strategic::multiply;
use super::{lp_max_min, negate, Candidate, Positivity, SupportReport, SystemResult};
use crate::exact::{from_f64, Rational};
use crate::game::{Game, InfosetId, NodeKind};
use num_traits::{One, Zero};

/// Box searched for each free realization probability.
const MARGIN: f64 = 1e-2;

/// A leaf's data for the sequence form.
#[derive(Clone, Debug)]
struct LeafData {
    /// Chance probability × payoff, per player, exact.
    weight: Vec<Rational>,
    /// Float of the same.
    weight_f: Vec<f64>,
    /// Each player's last action before the leaf (its sequence), if any.
    seq: Vec<Option<usize>>,
}

/// A tree prepared for sequence-form support enumeration.
pub struct TreeEnum<'a> {
    g: &'a Game,
    np: usize,
    /// Each player's information sets, parents before children.
    sets: Vec<Vec<usize>>,
    /// The owner's sequence leading to each information set (`None`: the empty sequence).
    parent: Vec<Option<usize>>,
    /// The owner's information sets that directly follow each action.
    follow: Vec<Vec<usize>>,
    /// Information set of each action.
    set_of_action: Vec<usize>,
    leaves: Vec<LeafData>,
    range: f64,
}

/// An upper bound on the number of support profiles of a tree.
pub fn support_bound(g: &Game) -> u128 {
    g.tree
        .infosets
        .iter()
        .map(|s| {
            let k = s.n_actions;
            if k >= 127 {
                u128::MAX
            } else {
                (1u128 << k) - 1
            }
        })
        .fold(1u128, |a, b| a.saturating_mul(b))
}

impl<'a> TreeEnum<'a> {
    /// Prepares `g` (exact numbers if known, else the exact values of its floats).
    pub fn new(g: &'a Game) -> Option<Self> {
        let tree = &g.tree;
        let np = g.n_players();
        let n = tree.nodes.len();
        let (chance, pay): (Vec<Rational>, Vec<Rational>) = match &g.exact {
            Some(e) => (e.chance().to_vec(), e.payoffs().to_vec()),
            None => (
                g.chance
                    .iter()
                    .map(|&x| from_f64(x))
                    .collect::<Option<_>>()?,
                g.payoffs
                    .iter()
                    .map(|&x| from_f64(x))
                    .collect::<Option<_>>()?,
            ),
        };
        // Chance reach and each player's last action, top-down.
        let mut reach: Vec<Rational> = vec![Rational::zero(); n];
        reach[0] = Rational::one();
        let mut last: Vec<Option<usize>> = vec![None; n * np];
        let mut parent = vec![None; tree.infosets.len()];
        let mut set_of_action = vec![0; tree.n_actions()];
        for (i, node) in tree.nodes.iter().enumerate() {
            if let NodeKind::Decision { infoset, player } = node.kind {
                parent[infoset.ix()] = last[i * np + player.ix()];
            }
            for (k, c) in node.children().enumerate() {
                for p in 0..np {
                    last[c * np + p] = last[i * np + p];
                }
                match node.kind {
                    NodeKind::Chance => reach[c] = &reach[i] * &chance[c],
                    NodeKind::Decision { player, infoset } => {
                        reach[c] = reach[i].clone();
                        let a = tree.infosets[infoset.ix()].first_action as usize + k;
                        last[c * np + player.ix()] = Some(a);
                        set_of_action[a] = infoset.ix();
                    }
                    NodeKind::Terminal { .. } => {}
                }
            }
        }
        let mut follow = vec![Vec::new(); tree.n_actions()];
        for (s, p) in parent.iter().enumerate() {
            if let Some(a) = p {
                follow[*a].push(s);
            }
        }
        let mut sets = vec![Vec::new(); np];
        let mut order: Vec<usize> = (0..tree.infosets.len()).collect();
        order.sort_by_key(|&s| tree.members(InfosetId::from(s))[0].0);
        for s in order {
            sets[tree.infosets[s].player.ix()].push(s);
        }
        let leaves = tree
            .leaves
            .iter()
            .enumerate()
            .map(|(l, leaf)| {
                let h = leaf.node.ix();
                let weight: Vec<Rational> = (0..np).map(|p| &reach[h] * &pay[l * np + p]).collect();
                LeafData {
                    weight_f: weight.iter().map(crate::exact::to_f64).collect(),
                    weight,
                    seq: (0..np).map(|p| last[h * np + p]).collect(),
                }
            })
            .collect();
        let (lo, hi) = g
            .payoffs
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &x| {
                (l.min(x), h.max(x))
            });
        Some(TreeEnum {
            g,
            np,
            sets,
            parent,
            follow,
            set_of_action,
            leaves,
            range: if hi > lo { hi - lo } else { 1.0 },
        })
    }

    /// Every consistent support of player `p` (the actions used), fewest actions first.
    fn player_supports(&self, p: usize) -> Vec<Vec<usize>> {
        let tree = &self.g.tree;
        let mut out: Vec<Vec<usize>> = vec![Vec::new()];
        for &s in &self.sets[p] {
            let set = &tree.infosets[s];
            let f = set.first_action as usize;
            let k = set.n_actions as usize;
            let mut next = Vec::new();
            for partial in out {
                let reached = match self.parent[s] {
                    None => true,
                    Some(a) => partial.contains(&a),
                };
                if !reached {
                    next.push(partial);
                    continue;
                }
                for mask in 1u64..(1u64 << k.min(63)) {
                    let mut q = partial.clone();
                    q.extend((0..k).filter(|&a| mask & (1 << a) != 0).map(|a| f + a));
                    next.push(q);
                }
            }
            out = next;
        }
        out.sort_by_key(Vec::len);
        out
    }

    /// Calls `visit` with every support profile (one action list per player), smallest first,
    /// until it returns false.
    pub fn for_each_support(&self, visit: &mut dyn FnMut(&[Vec<usize>]) -> bool) {
        let per: Vec<Vec<Vec<usize>>> = (0..self.np).map(|p| self.player_supports(p)).collect();
        let mut all: Vec<Vec<usize>> = vec![Vec::new()];
        for choices in &per {
            let mut next = Vec::with_capacity(all.len() * choices.len());
            for prefix in &all {
                for c in 0..choices.len() {
                    let mut q = prefix.clone();
                    q.push(c);
                    next.push(q);
                }
            }
            all = next;
        }
        all.sort_by_key(|ix| {
            ix.iter()
                .enumerate()
                .map(|(p, &c)| per[p][c].len())
                .sum::<usize>()
        });
        for ix in all {
            let sup: Vec<Vec<usize>> = ix
                .iter()
                .enumerate()
                .map(|(p, &c)| per[p][c].clone())
                .collect();
            if !visit(&sup) {
                return;
            }
        }
    }

    /// Solves one support profile.
    pub fn solve_support(&self, sup: &[Vec<usize>], params: &super::Params) -> SupportReport {
        let tree = &self.g.tree;
        let n_act = tree.n_actions();
        let mut in_sup = vec![false; n_act];
        for a in sup.iter().flatten() {
            in_sup[*a] = true;
        }
        let label = self.label(sup);
        // Realization polynomials per action (zero off the support), top-down.
        let mut r: Vec<Poly> = vec![Poly::default(); n_act];
        let mut nv = 0u32;
        let one = || {
            let mut p = Poly::default();
            p.add_term(Rational::one(), vec![]);
            p
        };
        for p in 0..self.np {
            for &s in &self.sets[p] {
                let set = &tree.infosets[s];
                let f = set.first_action as usize;
                let acts: Vec<usize> = (f..f + set.n_actions as usize)
                    .filter(|&a| in_sup[a])
                    .collect();
                if acts.is_empty() {
                    continue;
                }
                let base = match self.parent[s] {
                    None => one(),
                    Some(a) => r[a].clone(),
                };
                let mut first = base;
                for &a in &acts[1..] {
                    let mut v = Poly::default();
                    v.add_term(Rational::one(), vec![nv]);
                    first.add_term(-Rational::one(), vec![nv]);
                    r[a] = v;
                    nv += 1;
                }
                first.tidy();
                r[acts[0]] = first;
            }
        }
        // U(σ) for every action: leaves ending in it, weighted by the others' plans.
        let mut u: Vec<Poly> = vec![Poly::default(); n_act];
        for leaf in &self.leaves {
            for p in 0..self.np {
                let Some(a) = leaf.seq[p] else { continue };
                if leaf.weight[p].is_zero() {
                    continue;
                }
                let mut term = Poly::default();
                term.add_term(leaf.weight[p].clone(), vec![]);
                let mut dead = false;
                for q in (0..self.np).filter(|&q| q != p) {
                    if let Some(b) = leaf.seq[q] {
                        if !in_sup[b] {
                            dead = true;
                            break;
                        }
                        term = multiply(&term, &r[b]);
                    }
                }
                if dead {
                    continue;
                }
                for t in term.terms {
                    u[a].add_term(t.coef, t.vars);
                }
            }
        }
        // W(I, a) bottom-up; equations where a player mixes.
        let mut w: Vec<Poly> = vec![Poly::default(); n_act];
        let mut eqs = Vec::new();
        for p in 0..self.np {
            for &s in self.sets[p].iter().rev() {
                let set = &tree.infosets[s];
                let f = set.first_action as usize;
                let acts: Vec<usize> = (f..f + set.n_actions as usize)
                    .filter(|&a| in_sup[a])
                    .collect();
                for &a in &acts {
                    let mut v = u[a].clone();
                    for &j in &self.follow[a] {
                        let js = &tree.infosets[j];
                        let jf = js.first_action as usize;
                        if let Some(b) = (jf..jf + js.n_actions as usize).find(|&b| in_sup[b]) {
                            for t in &w[b].terms {
                                v.add_term(t.coef.clone(), t.vars.clone());
                            }
                        }
                    }
                    v.tidy();
                    w[a] = v;
                }
                for &a in acts.iter().skip(1) {
                    let mut e = w[a].clone();
                    for t in &w[acts[0]].terms {
                        e.add_term(-t.coef.clone(), t.vars.clone());
                    }
                    e.tidy();
                    eqs.push(e);
                }
            }
        }
        let sys = System {
            eqs,
            n_vars: nv as usize,
            bounds: vec![(-MARGIN, 1.0 + MARGIN); nv as usize],
        };
        let pos = Positivity {
            forms: (0..n_act)
                .filter(|&a| in_sup[a] && r[a].degree() >= 1)
                .map(|a| r[a].clone())
                .collect(),
        };
        let to_plans = |x: &[f64]| -> Vec<Vec<f64>> {
            vec![(0..n_act)
                .map(|a| if in_sup[a] { r[a].eval(x) } else { 0.0 })
                .collect()]
        };
        let rep = match super::solve_system(&sys, &[], false, &pos, self.range, params) {
            SystemResult::Points(c) => SystemResult::Points(
                c.into_iter()
                    .filter(|c| {
                        c.exact
                            .as_ref()
                            .is_none_or(|x| self.exact_equilibrium(&r, x))
                    })
                    .collect(),
            ),
            SystemResult::Family { dim, .. } => self.family(&sys, &pos, &u, &in_sup, dim),
            other => other,
        };
        rep.into_report(label, &to_plans)
    }

    /// Decides a linear family by the sequence-form optimality conditions: with a value
    /// `v_I` per information set, `v_I ≥ U(I·a) + Σ_{J after a} v_J` for every move, with
    /// equality for support moves at sets the player's plan reaches (complementary
    /// slackness), and every support probability at least `t`; the family holds an equilibrium
    /// with exactly this support iff the largest `t` is positive.
    fn family(
        &self,
        sys: &System,
        pos: &Positivity,
        u: &[Poly],
        in_sup: &[bool],
        dim: usize,
    ) -> SystemResult {
        if u.iter().any(|p| p.degree() > 1) {
            return SystemResult::Family {
                dim,
                member: None,
                decided: false,
            };
        }
        let tree = &self.g.tree;
        let nx = sys.n_vars as u32;
        let value = |s: usize| nx + s as u32;
        let mut eqs = sys.eqs.clone();
        let mut ge = Vec::new();
        for (s, set) in tree.infosets.iter().enumerate() {
            let reached = self.parent[s].is_none_or(|a| in_sup[a]);
            let f = set.first_action as usize;
            for a in f..f + set.n_actions as usize {
                // v_I − U(a) − Σ_J v_J
                let mut c = negate(&u[a]);
                c.add_term(Rational::one(), vec![value(s)]);
                for &j in &self.follow[a] {
                    c.add_term(-Rational::one(), vec![value(j)]);
                }
                if reached && in_sup[a] {
                    eqs.push(c);
                } else {
                    ge.push(c);
                }
            }
        }
        let n = sys.n_vars + tree.infosets.len();
        let member = lp_max_min(n, &eqs, &ge, &pos.forms)
            .filter(|(t, _)| *t > 1e-9)
            .map(|(_, x)| Candidate {
                x: x[..sys.n_vars].to_vec(),
                exact: None,
            });
        SystemResult::Family {
            dim,
            member,
            decided: true,
        }
    }

    /// True if the exact plans (`r` evaluated at `x`) leave no player a profitable deviation:
    /// each player's best-response value, by backward induction over its information sets,
    /// equals its payoff.
    fn exact_equilibrium(&self, r: &[Poly], x: &[Rational]) -> bool {
        let tree = &self.g.tree;
        let n_act = tree.n_actions();
        let plan: Vec<Rational> = (0..n_act).map(|a| r[a].eval_exact(x)).collect();
        for p in 0..self.np {
            let mut u = vec![Rational::zero(); n_act];
            let mut base = Rational::zero();
            for leaf in &self.leaves {
                if leaf.weight[p].is_zero() {
                    continue;
                }
                let mut w = leaf.weight[p].clone();
                for q in (0..self.np).filter(|&q| q != p) {
                    if let Some(b) = leaf.seq[q] {
                        w *= &plan[b];
                    }
                }
                match leaf.seq[p] {
                    Some(a) => u[a] += w,
                    None => base += w,
                }
            }
            let mut best = vec![Rational::zero(); tree.infosets.len()];
            for &s in self.sets[p].iter().rev() {
                let set = &tree.infosets[s];
                let f = set.first_action as usize;
                best[s] = (f..f + set.n_actions as usize)
                    .map(|a| {
                        let mut v = u[a].clone();
                        for &j in &self.follow[a] {
                            v += &best[j];
                        }
                        v
                    })
                    .max()
                    .unwrap_or_else(Rational::zero);
            }
            let mut br = base.clone();
            let mut val = base;
            for &s in &self.sets[p] {
                if self.parent[s].is_none() {
                    br += &best[s];
                }
                let set = &tree.infosets[s];
                let f = set.first_action as usize;
                for a in f..f + set.n_actions as usize {
                    val += &plan[a] * &u[a];
                }
            }
            if br != val {
                return false;
            }
        }
        true
    }

    /// Behaviour strategies from realization plans (`plans[0]`: `r` per action): ratios where
    /// a player's own plan reaches the set, the best continuation elsewhere.
    pub fn behavior(&self, plans: &[Vec<f64>]) -> Vec<f64> {
        let tree = &self.g.tree;
        let r = &plans[0];
        let n_act = tree.n_actions();
        // Float U(σ) for every action against the others' plans.
        let mut u = vec![0.0; n_act];
        for leaf in &self.leaves {
            for p in 0..self.np {
                let Some(a) = leaf.seq[p] else { continue };
                let others: f64 = (0..self.np)
                    .filter(|&q| q != p)
                    .map(|q| leaf.seq[q].map_or(1.0, |b| r[b]))
                    .product();
                u[a] += leaf.weight_f[p] * others;
            }
        }
        let mut beh = vec![0.0; n_act];
        let mut value = vec![0.0; tree.infosets.len()];
        for p in 0..self.np {
            for &s in self.sets[p].iter().rev() {
                let set = &tree.infosets[s];
                let f = set.first_action as usize;
                let k = set.n_actions as usize;
                let wv: Vec<f64> = (f..f + k)
                    .map(|a| u[a] + self.follow[a].iter().map(|&j| value[j]).sum::<f64>())
                    .collect();
                let reach = self.parent[s].map_or(1.0, |a| r[a]);
                if reach > 0.0 {
                    for a in f..f + k {
                        beh[a] = (r[a] / reach).max(0.0);
                    }
                    let tot: f64 = beh[f..f + k].iter().sum();
                    beh[f..f + k].iter_mut().for_each(|b| *b /= tot);
                    value[s] = (0..k).map(|j| beh[f + j] * wv[j]).sum();
                } else {
                    let best = (0..k).max_by(|&x, &y| wv[x].total_cmp(&wv[y])).unwrap_or(0);
                    beh[f + best] = 1.0;
                    value[s] = wv[best];
                }
            }
        }
        beh
    }

    fn label(&self, sup: &[Vec<usize>]) -> String {
        let tree = &self.g.tree;
        let parts: Vec<String> = sup
            .iter()
            .enumerate()
            .map(|(p, acts)| {
                let names: Vec<String> = acts
                    .iter()
                    .map(|&a| {
                        let s = self.set_of_action[a];
                        let k = a - tree.infosets[s].first_action as usize;
                        format!(
                            "{}:{}",
                            tree.infoset_display(InfosetId::from(s)),
                            tree.action_label(InfosetId::from(s), k)
                        )
                    })
                    .collect();
                format!("{} {{{}}}", tree.players[p], names.join(", "))
            })
            .collect();
        parts.join(" × ")
    }
}
