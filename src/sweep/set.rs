//! A sweep row for a set of equilibria: what every equilibrium at a point has in common.
//!
//! Registry solvers return every equilibrium they find (`pbe`: every perfect Bayesian
//! equilibrium of a game with private types). A row must not silently describe the first, so
//! the set is summarised with one convention, the same in CSV and JSON Lines:
//!
//! - `regime`: the distinct regimes (class and outcomes reached, as [`crate::regime`] names
//!   them), sorted, joined by ` or ` — the label `deter thresholds` prints;
//! - `outcome` and `path`: the distinct outcome labels and paths, in the solver's order,
//!   joined by ` | ` (one value when every equilibrium agrees);
//! - `payoff:*` and `event:*`: the value when every equilibrium agrees (within the tolerance),
//!   else empty (JSON `null`), so the columns stay numeric; `n_equilibria` and `regime` then
//!   say that the equilibria differ;
//! - `max_regret`: the largest over the set.

use crate::game::profile::reach_in;
use crate::game::tree::NodeKind;
use crate::game::Game;
use crate::regime::{component_regime, component_tie, outcome_name};
use crate::solve::{Equilibrium, Profile};

/// The regime label of one equilibrium: `class: outcomes` for `pbe` components, else the
/// outcomes it reaches (probability above 1e-9), by name.
pub fn regime_label(game: &Game, eq: &Equilibrium) -> String {
    if let Some(c) = &eq.component {
        return component_regime(game, c).label;
    }
    let Profile::Behavior(b) = &eq.profile else {
        return "no outcome".into();
    };
    let tree = &*game.tree;
    let reach = reach_in(tree, &game.chance, b);
    let mut outs: Vec<&str> = Vec::new();
    for (i, n) in tree.nodes.iter().enumerate() {
        if matches!(n.kind, NodeKind::Terminal { .. }) && reach[i] > 1e-9 {
            let name = outcome_name(&tree.node_names[i]);
            if !outs.contains(&name) {
                outs.push(name);
            }
        }
    }
    if outs.is_empty() {
        "no outcome".into()
    } else {
        outs.join(", ")
    }
}

/// True if an equilibrium marks a regime boundary (a player indifferent on the path, or a
/// continuum through several classes).
pub fn on_boundary(eq: &Equilibrium) -> bool {
    eq.component.as_deref().is_some_and(component_tie)
}

/// The regime set of `eqs` in words: the distinct labels, sorted, joined by ` or `.
pub fn regime_set(game: &Game, eqs: &[Equilibrium]) -> String {
    if eqs.is_empty() {
        return "no equilibrium found".into();
    }
    let mut labels: Vec<String> = eqs.iter().map(|e| regime_label(game, e)).collect();
    labels.sort();
    labels.dedup();
    labels.join(" or ")
}

/// Distinct strings in order of first appearance, joined by ` | `.
pub fn distinct_joined<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for s in items {
        if !seen.contains(&s) {
            seen.push(s);
        }
    }
    seen.join(" | ")
}

/// Fills `out[k]` with the `k`-th value of `of(eq)` when every equilibrium agrees on it within
/// `tol`, else NaN (printed empty). `eqs` is not empty.
pub fn agreed(eqs: &[Equilibrium], of: impl Fn(&Equilibrium) -> &[f64], tol: f64, out: &mut [f64]) {
    for (k, o) in out.iter_mut().enumerate() {
        let mut lo = f64::INFINITY;
        let mut hi = f64::NEG_INFINITY;
        for e in eqs {
            let v = of(e).get(k).copied().unwrap_or(f64::NAN);
            lo = lo.min(v);
            hi = hi.max(v);
        }
        *o = if hi - lo <= tol {
            of(&eqs[0])[k]
        } else {
            f64::NAN
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_kept_only_where_every_equilibrium_agrees() {
        let eq = |events: Vec<f64>| {
            let mut e = Equilibrium::new(Profile::Behavior(vec![]));
            e.events = events;
            e
        };
        let eqs = [eq(vec![0.5, 1.0]), eq(vec![0.5, 0.0])];
        let mut out = [0.0; 2];
        agreed(&eqs, |e| &e.events, 1e-9, &mut out);
        assert_eq!(out[0], 0.5);
        assert!(out[1].is_nan());
        assert_eq!(distinct_joined(["a", "b", "a"]), "a | b");
    }
}
