//! The certificate of an assessment: sequential rationality given the beliefs, and Bayes'
//! consistency, checked independently of the solver that produced them.
//!
//! An assessment is a behaviour profile together with a belief at every information set. It is
//! a (weak) perfect Bayesian equilibrium when
//!
//! - **sequential rationality** holds: at every information set, on the path or off it, the
//!   mover's continuation strategy is a best response given its belief there and everyone
//!   else's strategy. The best continuation is recomputed here from scratch — the player may
//!   change its move at this set and at every later set of its own, each later set deciding
//!   once for all its members — and compared with the value of the prescribed play;
//! - **Bayes' rule** holds wherever it applies: at every information set reached with positive
//!   probability, the belief in each member is its probability of being reached divided by the
//!   set's.
//!
//! The check is exact when the assessment is given in exact rationals (the payoffs are then the
//! game's exact numbers, or the exact values of its floats); otherwise a gain counts only if it
//! exceeds `tol` times the player's payoff range, and a belief error only if it exceeds `tol`.
//! A set whose belief is not given ("any belief") must be rational under every belief: the
//! check tries each member with probability one, which suffices because the gain of a fixed
//! strategy is convex in the belief.

use super::pbe::component::Component;
use crate::exact::{self, Rational as Q};
use crate::game::{Game, InfosetId, NodeKind};
use num_traits::{Signed, Zero};

/// The result of the certificate.
#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    /// True if the check was done in exact arithmetic.
    pub exact: bool,
    /// Largest gain from deviating at an information set, per player.
    pub gain: Vec<f64>,
    /// Largest difference between a belief and Bayes' rule at a reached set.
    pub bayes_error: f64,
    /// The information set with the largest gain relative to its player's payoff range.
    pub worst: Option<InfosetId>,
    /// True if both conditions hold (exactly, or within the tolerance).
    pub ok: bool,
}

/// Checks an equilibrium that carries beliefs: its component's exact point if it has one,
/// otherwise its float profile and beliefs.
pub fn check_equilibrium(
    game: &Game,
    profile: &[f64],
    beliefs: &[f64],
    component: Option<&Component>,
    tol: f64,
) -> Check {
    match component {
        Some(c) if c.point.is_exact() => {
            let b: Vec<Q> = c
                .point
                .behaviour
                .iter()
                .map(|v| v.q.clone().unwrap_or_else(Q::zero))
                .collect();
            let mu: Vec<Option<Q>> = c
                .point
                .beliefs
                .iter()
                .map(|v| v.as_ref().and_then(|v| v.q.clone()))
                .collect();
            check(game, &b, &mu, None)
        }
        _ => {
            let b: Vec<Q> = profile.iter().map(|&x| from_float(x)).collect();
            let mu: Vec<Option<Q>> = beliefs
                .iter()
                .map(|&x| (!x.is_nan()).then(|| from_float(x)))
                .collect();
            check(game, &b, &mu, Some(tol))
        }
    }
}

fn from_float(x: f64) -> Q {
    exact::from_f64(x).unwrap_or_else(Q::zero)
}

/// Checks sequential rationality and Bayes' rule of `behaviour` (by action) and `beliefs` (by
/// node; `None` = any belief). `tol = None` asks for an exact check.
pub fn check(game: &Game, behaviour: &[Q], beliefs: &[Option<Q>], tol: Option<f64>) -> Check {
    let tree = &*game.tree;
    let np = tree.n_players();
    let n = tree.nodes.len();
    let (pay, chance): (Vec<Q>, Vec<Q>) = match &game.exact {
        Some(x) => (x.payoffs().to_vec(), x.chance().to_vec()),
        None => (
            game.payoffs.iter().map(|&x| from_float(x)).collect(),
            game.chance.iter().map(|&x| from_float(x)).collect(),
        ),
    };
    let prob = |node: usize, a: usize, c: usize| -> Q {
        match tree.nodes[node].kind {
            NodeKind::Chance => chance[c].clone(),
            NodeKind::Decision { infoset, .. } => {
                behaviour[tree.infosets[infoset.ix()].first_action as usize + a].clone()
            }
            NodeKind::Terminal { .. } => Q::zero(),
        }
    };
    // Reach probabilities and values under the profile.
    let mut reach = vec![Q::zero(); n];
    if n > 0 {
        reach[0] = Q::from_integer(1.into());
    }
    for i in 0..n {
        for (a, c) in tree.nodes[i].children().enumerate() {
            reach[c] = &reach[i] * prob(i, a, c);
        }
    }
    let mut value = vec![Q::zero(); n * np];
    for i in (0..n).rev() {
        let node = tree.nodes[i];
        for p in 0..np {
            value[i * np + p] = match node.kind {
                NodeKind::Terminal { leaf } => pay[leaf.ix() * np + p].clone(),
                _ => node.children().enumerate().fold(Q::zero(), |acc, (a, c)| {
                    acc + prob(i, a, c) * &value[c * np + p]
                }),
            };
        }
    }
    // Each player's payoff range (the scale of the tolerance).
    let range: Vec<f64> = (0..np)
        .map(|p| {
            let xs = game.payoffs.iter().skip(p).step_by(np.max(1));
            let (lo, hi) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &x| {
                (l.min(x), h.max(x))
            });
            if hi > lo {
                hi - lo
            } else {
                1.0
            }
        })
        .collect();
    let mut gain = vec![0.0f64; np];
    let mut bayes_error = 0.0f64;
    let mut worst: Option<(InfosetId, f64)> = None;
    let mut ok = true;
    for (s, set) in tree.infosets.iter().enumerate() {
        let sid = InfosetId::from(s);
        let members = tree.members(sid);
        let p = set.player.ix();
        // Bayes' rule where the set is reached.
        let total: Q = members.iter().fold(Q::zero(), |a, m| a + &reach[m.ix()]);
        let given: Vec<Option<Q>> = members.iter().map(|m| beliefs[m.ix()].clone()).collect();
        if total.is_positive() {
            for (m, b) in members.iter().zip(&given) {
                let want = &reach[m.ix()] / &total;
                let err = match b {
                    Some(b) => (b - &want).abs(),
                    None => Q::from_integer(1.into()),
                };
                let e = exact::to_f64(&err);
                bayes_error = bayes_error.max(e);
                if !within(&err, tol, 1.0) {
                    ok = false;
                }
            }
        }
        // Beliefs to test: the given one, or every point mass.
        let tests: Vec<Vec<Q>> = if given.iter().all(Option::is_some) {
            let b: Vec<Q> = given.into_iter().flatten().collect();
            let sum: Q = b.iter().fold(Q::zero(), |a, x| a + x);
            let bad = b.iter().any(|x| x.is_negative())
                || !within(&(sum - Q::from_integer(1.into())).abs(), tol, 1.0);
            if bad {
                ok = false;
            }
            vec![b]
        } else {
            (0..members.len())
                .map(|k| {
                    (0..members.len())
                        .map(|j| Q::from_integer(i64::from(j == k).into()))
                        .collect()
                })
                .collect()
        };
        for mu in tests {
            let prescribed: Q = members
                .iter()
                .zip(&mu)
                .fold(Q::zero(), |a, (m, w)| a + w * &value[m.ix() * np + p]);
            let best = best_continuation(tree, &prob, &pay, np, p, members, &mu);
            let g = (best - prescribed).max(Q::zero());
            let gf = exact::to_f64(&g);
            gain[p] = gain[p].max(gf);
            if !within(&g, tol, range[p]) {
                ok = false;
            }
            let rel = gf / range[p];
            if rel > worst.map_or(0.0, |w| w.1) {
                worst = Some((sid, rel));
            }
        }
    }
    Check {
        exact: tol.is_none(),
        gain,
        bayes_error,
        worst: worst.map(|w| w.0),
        ok,
    }
}

fn within(err: &Q, tol: Option<f64>, scale: f64) -> bool {
    match tol {
        None => err.is_zero(),
        Some(t) => exact::to_f64(err) <= t * scale,
    }
}

/// The best value player `p` can get from a set with belief `mu` over its `members`, choosing
/// at this set and every later set of its own (each later set decides once for all of its
/// members below this set), against the others' behaviour.
fn best_continuation(
    tree: &crate::game::Tree,
    prob: &dyn Fn(usize, usize, usize) -> Q,
    pay: &[Q],
    np: usize,
    p: usize,
    members: &[crate::game::NodeId],
    mu: &[Q],
) -> Q {
    // Weights: the belief at the members, then chance and the others' probabilities.
    let n = tree.nodes.len();
    let mut weight: Vec<Option<Q>> = vec![None; n];
    for (m, w) in members.iter().zip(mu) {
        weight[m.ix()] = Some(w.clone());
    }
    let lo = members.iter().map(|m| m.ix()).min().unwrap_or(0);
    for i in lo..n {
        let Some(w) = weight[i].clone() else { continue };
        let node = tree.nodes[i];
        for (a, c) in node.children().enumerate() {
            weight[c] = Some(match node.kind {
                NodeKind::Decision { player, .. } if player.ix() == p => w.clone(),
                _ => &w * prob(i, a, c),
            });
        }
    }
    let mut memo_node: Vec<Option<Q>> = vec![None; n];
    let mut memo_set: Vec<Option<usize>> = vec![None; tree.infosets.len()];
    members.iter().fold(Q::zero(), |acc, m| {
        acc + weighted(
            tree,
            pay,
            np,
            p,
            &weight,
            m.ix(),
            &mut memo_node,
            &mut memo_set,
            true,
        )
    })
}

/// Weighted value of node `i` when `p` best-responds (`first`: `i` is a member of the set being
/// checked, whose move is chosen jointly over its members by the caller's set choice).
#[allow(clippy::too_many_arguments)]
fn weighted(
    tree: &crate::game::Tree,
    pay: &[Q],
    np: usize,
    p: usize,
    weight: &[Option<Q>],
    i: usize,
    memo_node: &mut Vec<Option<Q>>,
    memo_set: &mut Vec<Option<usize>>,
    first: bool,
) -> Q {
    let _ = first;
    if let Some(v) = &memo_node[i] {
        return v.clone();
    }
    let node = tree.nodes[i];
    let w = weight[i].clone().unwrap_or_else(Q::zero);
    let v = match node.kind {
        NodeKind::Terminal { leaf } => &w * &pay[leaf.ix() * np + p],
        NodeKind::Decision { player, infoset } if player.ix() == p => {
            let a = match memo_set[infoset.ix()] {
                Some(a) => a,
                None => {
                    // Choose once for all members below the checked set (those with weights).
                    let k = tree.infosets[infoset.ix()].n_actions as usize;
                    let mut best: Option<(usize, Q)> = None;
                    for a in 0..k {
                        let mut total = Q::zero();
                        for m in tree.members(infoset) {
                            if weight[m.ix()].is_none() {
                                continue;
                            }
                            let c = tree.nodes[m.ix()].first_child as usize + a;
                            total +=
                                weighted(tree, pay, np, p, weight, c, memo_node, memo_set, false);
                        }
                        if best.as_ref().is_none_or(|b| total > b.1) {
                            best = Some((a, total));
                        }
                    }
                    let a = best.map_or(0, |b| b.0);
                    memo_set[infoset.ix()] = Some(a);
                    a
                }
            };
            weighted(
                tree,
                pay,
                np,
                p,
                weight,
                node.first_child as usize + a,
                memo_node,
                memo_set,
                false,
            )
        }
        _ => node.children().fold(Q::zero(), |acc, c| {
            acc + weighted(tree, pay, np, p, weight, c, memo_node, memo_set, false)
        }),
    };
    memo_node[i] = Some(v.clone());
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::{PlayerId, TreeBuilder};
    use std::sync::Arc;

    /// Entry: Out (1, 5); In → Fight (0, 0) or Accommodate (2, 2).
    fn entry() -> Game {
        let mut b = TreeBuilder::new("entry", vec!["E".into(), "I".into()]);
        let r = b.decision("e", PlayerId(0), None);
        let out = b.terminal("out", vec![]);
        let i = b.decision("i", PlayerId(1), None);
        let f = b.terminal("fight", vec![]);
        let a = b.terminal("acc", vec![]);
        b.add_move(r, "out", None, out).unwrap();
        b.add_move(r, "in", None, i).unwrap();
        b.add_move(i, "fight", None, f).unwrap();
        b.add_move(i, "accommodate", None, a).unwrap();
        let mut g = Game::zeroed(Arc::new(b.finish(r).unwrap().tree));
        g.payoffs = vec![1., 5., 0., 0., 2., 2.];
        g
    }

    fn q(n: i64) -> Q {
        Q::from_integer(n.into())
    }

    #[test]
    fn an_incredible_threat_fails_sequential_rationality_off_the_path() {
        let g = entry();
        // (Out, Fight) is a Nash equilibrium but Fight is irrational at the unreached node.
        let nash = check(&g, &[q(1), q(0), q(1), q(0)], &vec![Some(q(1)); 5], None);
        assert!(!nash.ok);
        assert_eq!(nash.gain[1], 2.0);
        let spe = check(&g, &[q(0), q(1), q(0), q(1)], &vec![Some(q(1)); 5], None);
        assert!(spe.ok && spe.exact);
        // A wrong belief at a reached set fails Bayes' rule.
        let mut wrong = vec![Some(q(1)); 5];
        wrong[2] = Some(Q::new(1.into(), 2.into()));
        assert!(!check(&g, &[q(0), q(1), q(0), q(1)], &wrong, None).ok);
    }
}
