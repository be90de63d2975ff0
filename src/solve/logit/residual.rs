//! The certificate of a quantal response equilibrium at a given λ: its fixed-point residual.
//!
//! A logit QRE at precision λ is a profile that equals its own logit response: in every group
//! (player, or information set in the agent form), `p_a = e^{λ u_a} / Σ_b e^{λ u_b}`. It is not
//! a Nash equilibrium — players make costly mistakes — so its certificate is not the regret but
//! the largest difference between the profile and its logit response. This module recomputes
//! the action values from the game directly (raw payoffs, reach probabilities from
//! [`crate::game::profile`]), independently of the tracing code.

use crate::game::{profile, Game, NodeKind, StrategicGame};

/// `max_a |p_a − logit_λ(p)_a|` for a mixed profile of a strategic game (λ on raw payoffs).
pub fn strategic_residual(game: &StrategicGame, mixed: &[Vec<f64>], lambda: f64) -> f64 {
    let np = game.n_players();
    let shape = game.shape();
    let mut dev: Vec<Vec<f64>> = shape.iter().map(|&k| vec![0.0; k]).collect();
    let mut pure = vec![0usize; np];
    for prof in 0..game.n_profiles() {
        for p in 0..np {
            let w: f64 = (0..np)
                .filter(|&q| q != p)
                .map(|q| mixed[q][pure[q]])
                .product();
            dev[p][pure[p]] += w * game.payoffs[prof * np + p];
        }
        crate::game::strategic::advance(&mut pure, &shape);
    }
    dev.iter()
        .zip(mixed)
        .map(|(u, m)| gap(u, m, lambda))
        .fold(0.0, f64::max)
}

/// `max_a |p_a − logit_λ(p)_a|` for a behaviour profile of a tree in the agent form: at each
/// information set reached with positive probability, the values of its actions given the set
/// (beliefs by Bayes' rule). Sets no play reaches (after a chance move of probability zero,
/// or reached with a probability that underflows) have no logit response and are skipped.
pub fn agent_residual(game: &Game, behavior: &[f64], lambda: f64) -> f64 {
    let tree = &game.tree;
    let np = game.n_players();
    let reach = profile::reach_probabilities(game, behavior);
    // Expected payoff of every player below every node, children first.
    let n = tree.nodes.len();
    let mut v = vec![0.0; n * np];
    for i in (0..n).rev() {
        let node = tree.nodes[i];
        match node.kind {
            NodeKind::Terminal { leaf } => {
                v[i * np..(i + 1) * np].copy_from_slice(game.leaf_payoffs(leaf));
            }
            NodeKind::Chance => {
                for c in node.children() {
                    for p in 0..np {
                        v[i * np + p] += game.chance[c] * v[c * np + p];
                    }
                }
            }
            NodeKind::Decision { infoset, .. } => {
                let f = tree.infosets[infoset.ix()].first_action as usize;
                for (k, c) in node.children().enumerate() {
                    for p in 0..np {
                        v[i * np + p] += behavior[f + k] * v[c * np + p];
                    }
                }
            }
        }
    }
    let mut worst: f64 = 0.0;
    for (s, set) in tree.infosets.iter().enumerate() {
        let members = tree.members(crate::game::InfosetId::from(s));
        let w: f64 = members.iter().map(|h| reach[h.ix()]).sum();
        if w <= 0.0 {
            continue;
        }
        let k = set.n_actions as usize;
        let pl = set.player.ix();
        let u: Vec<f64> = (0..k)
            .map(|a| {
                members
                    .iter()
                    .map(|h| {
                        let c = tree.nodes[h.ix()].first_child as usize + a;
                        reach[h.ix()] / w * v[c * np + pl]
                    })
                    .sum()
            })
            .collect();
        let f = set.first_action as usize;
        worst = worst.max(gap(&u, &behavior[f..f + k], lambda));
    }
    worst
}

/// `max_a |p_a − e^{λ u_a} / Σ e^{λ u_b}|`.
fn gap(u: &[f64], p: &[f64], lambda: f64) -> f64 {
    let m = u.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let e: Vec<f64> = u.iter().map(|&x| (lambda * (x - m)).exp()).collect();
    let tot: f64 = e.iter().sum();
    e.iter()
        .zip(p)
        .map(|(x, q)| (x / tot - q).abs())
        .fold(0.0, f64::max)
}
