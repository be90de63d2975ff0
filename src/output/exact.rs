//! Exact numbers in the output: `1/3` rather than `0.333333` wherever an equilibrium is known
//! exactly (its profile, payoffs, the game value).
//!
//! Text shows the exact value alone (a short decimal when it terminates, else a fraction);
//! JSON keeps every float and adds the exact value as a string beside it, in keys ending in
//! `_exact` (documented in `docs/json.md`).

use super::json_nodes;
use super::stream::Field;
use super::words::{self, num};
use crate::exact::{self, Rational};
use crate::game::numeric::Fraction;
use crate::game::{Game, NodeId, NodeKind};
use crate::solve::{Equilibrium, ExactProfile, Profile, Solution};
use num_traits::Zero;
use serde_json::{json, Map, Value};

/// A rational for people: an integer, a terminating decimal of at most 12 significant digits
/// (`0.1`, `-2.5`, `3e-19`), or a fraction (`1/3`).
pub fn rational(q: &Rational) -> String {
    if q.is_zero() {
        return "0".into();
    }
    if q.denom() == &1.into() {
        return q.numer().to_string();
    }
    match exact::decimal(q, 60) {
        Some(d) => {
            let neg = d.starts_with('-');
            let body = d.trim_start_matches('-');
            let sign = if neg { "-" } else { "" };
            if let Some(frac) = body.strip_prefix("0.") {
                let zeros = frac.len() - frac.trim_start_matches('0').len();
                let digits = frac.trim_start_matches('0');
                if zeros >= 4 && digits.len() <= 12 {
                    let (h, t) = digits.split_at(1);
                    return if t.is_empty() {
                        format!("{sign}{h}e-{}", zeros + 1)
                    } else {
                        format!("{sign}{h}.{t}e-{}", zeros + 1)
                    };
                }
            }
            let significant = body.trim_start_matches(['0', '.']).replace('.', "").len();
            if significant <= 12 {
                return d;
            }
            exact::display(q)
        }
        None => exact::display(q),
    }
}

/// The value for people: exact when known, else the float as [`num`] prints it.
pub fn value(x: f64, exact: Option<&Rational>) -> String {
    match exact {
        Some(q) => rational(q),
        None => num(x),
    }
}

/// Player `p`'s expected payoff for the text output.
pub fn payoff(eq: &Equilibrium, p: usize) -> String {
    value(
        eq.payoffs.get(p).copied().unwrap_or(f64::NAN),
        eq.exact_payoffs.as_ref().and_then(|v| v.get(p)),
    )
}

/// The game value for the text output.
pub fn game_value(sol: &Solution, v: f64) -> String {
    value(v, sol.exact_value.as_ref())
}

/// The exact behaviour probabilities of a node's moves, if the equilibrium is exact.
pub(super) fn node_exact<'a>(
    game: &Game,
    eq: &'a Equilibrium,
    node: crate::game::NodeId,
) -> Option<&'a [Fraction]> {
    let Some(ExactProfile::Behavior(b)) = &eq.exact else {
        return None;
    };
    let NodeKind::Decision { infoset, .. } = game.tree.node(node).kind else {
        return None;
    };
    let s = &game.tree.infosets[infoset.ix()];
    b.values()
        .get(s.first_action as usize..(s.first_action + s.n_actions) as usize)
}

/// A decision node's strategy in words (as [`words::strategy_words`]), with exact
/// probabilities when the equilibrium is exact.
pub fn strategy_words(game: &Game, eq: &Equilibrium, s: &words::NodeStrategy) -> String {
    let names = s.probs.iter().map(|(m, _)| m.as_str());
    match node_exact(game, eq, s.node) {
        Some(x) => exact_strategy_text(names.zip(x)),
        None => words::strategy_words(s),
    }
}

/// A node's strategy in the words of its moves (`move_words`), exact where the equilibrium
/// is: the same text as [`strategy_words`] of [`words::said_strategy`], without building
/// either.
pub fn said_strategy_text(game: &Game, eq: &Equilibrium, node: NodeId, probs: &[f64]) -> String {
    let tree = &game.tree;
    let first = tree.node(node).first_child as usize;
    let names = (0..probs.len()).map(|a| words::move_words(tree, NodeId::from(first + a)));
    match node_exact(game, eq, node) {
        Some(x) => exact_strategy_text(names.zip(x)),
        None => words::strategy_text(names.zip(probs.iter().copied())),
    }
}

/// [`said_strategy_text`] appended to `out`. A node of an exact profile where one move is
/// played (every node of a pure equilibrium) gets that move's words in place, without a
/// `String` per node of a big table.
pub fn push_said_strategy_text(
    out: &mut String,
    game: &Game,
    eq: &Equilibrium,
    node: NodeId,
    probs: &[f64],
) {
    if let Some(x) = node_exact(game, eq, node) {
        let mut played = x.iter().enumerate().filter(|(_, q)| q.is_positive());
        if let (Some((a, _)), None) = (played.next(), played.next()) {
            let first = game.tree.node(node).first_child as usize;
            out.push_str(words::move_words(&game.tree, NodeId::from(first + a)));
            return;
        }
    }
    out.push_str(&said_strategy_text(game, eq, node, probs));
}

/// The moves played with positive exact probability: the move alone when it is the only
/// one, else `move probability` joined by commas.
fn exact_strategy_text<'n>(moves: impl Iterator<Item = (&'n str, &'n Fraction)> + Clone) -> String {
    words::played_text(
        moves.filter(|(_, q)| q.is_positive()),
        |_| true,
        |q| rational(&q.to_rational()),
    )
}

/// Exact fields for an equilibrium's JSON: `profile` (floats in the machine layout),
/// `profile_exact` (the same as exact strings, when known), `payoffs_exact` (by player) and,
/// for behaviour profiles, `strategies_exact` (parallel to `strategies`: node and move
/// probabilities).
pub fn json_fields<'a>(
    game: Option<&'a Game>,
    eq: &'a Equilibrium,
    players: &[String],
) -> Vec<(String, Field<'a>)> {
    let mut out: Vec<(String, Field<'a>)> = Vec::new();
    // The profile in its machine layout: behaviour probabilities by action (information sets
    // in arena order), mixed probabilities `[player][strategy]`, or a correlated distribution
    // by pure profile (first player fastest).
    fn floats(v: &[f64]) -> Field<'_> {
        Field::Nodes(json_nodes::NodeArray::Floats(json_nodes::Floats(v)))
    }
    out.push((
        "profile".into(),
        match &eq.profile {
            Profile::Behavior(b) | Profile::Correlated(b) => floats(b),
            Profile::Mixed(m) => Field::seq(move || m.iter().map(|v| floats(v))),
        },
    ));
    fn strings(v: &[Rational]) -> Field<'_> {
        Field::Nodes(json_nodes::NodeArray::Exacts(json_nodes::Exacts(v)))
    }
    if let Some(x) = &eq.exact {
        out.push((
            "profile_exact".into(),
            match x {
                ExactProfile::Behavior(b) => Field::Nodes(json_nodes::NodeArray::Fractions(
                    json_nodes::Exacts(b.values()),
                )),
                ExactProfile::Correlated(b) => strings(b),
                ExactProfile::Mixed(m) => Field::seq(move || m.iter().map(|v| strings(v))),
            },
        ));
    }
    if let Some(pay) = &eq.exact_payoffs {
        let mut m = Map::new();
        for (n, q) in players.iter().zip(pay) {
            m.insert(n.clone(), json!(exact::display(q)));
        }
        out.push(("payoffs_exact".into(), Value::Object(m).into()));
    }
    if let (Some(g), Some(ExactProfile::Behavior(x))) = (game, &eq.exact) {
        if let Profile::Behavior(_) = &eq.profile {
            let strat = json_nodes::ExactStrategies {
                tree: &g.tree,
                exact: x.values(),
            };
            out.push((
                "strategies_exact".into(),
                Field::Nodes(json_nodes::NodeArray::ExactStrategies(strat)),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Rational {
        exact::parse_fraction(s).unwrap()
    }

    #[test]
    fn numbers_for_people() {
        assert_eq!(rational(&q("1/3")), "1/3");
        assert_eq!(rational(&q("-5/2")), "-2.5");
        assert_eq!(rational(&q("0.1")), "0.1");
        assert_eq!(rational(&q("3e-19")), "3e-19");
        assert_eq!(rational(&q("-2.5e-10")), "-2.5e-10");
        assert_eq!(rational(&q("7")), "7");
        assert_eq!(rational(&q("0")), "0");
        assert_eq!(rational(&q("1/1024")), "0.0009765625");
    }
}
