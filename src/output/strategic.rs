//! Mixed and correlated profiles in words: labelled strategies, exact probabilities, and the
//! distribution of a correlated equilibrium over pure profiles.
//!
//! A strategic game's players and strategies are often bare numbers (`.nfg` files name them
//! `1`, `2`, …); the lines here always say which number is a player and which a strategy.
//! Mixed profiles of a tree (strategic-form solvers on games without perfect recall) are mixed
//! strategies over the reduced strategic form, spelled with move labels, and the output says
//! that they are not behaviour strategies.

use super::exact::rational;
use super::words::num;
use crate::exact::{self, Rational};
use crate::game::reduce::strategy_labels;
use crate::game::{Game, StrategicGame};
use crate::solve::{Equilibrium, ExactProfile};
use serde_json::{json, Map, Value};

/// A player's name for a sentence: `Player 2` when the name is a bare number or empty.
fn who(name: &str, p: usize) -> String {
    if name.is_empty() {
        format!("Player {}", p + 1)
    } else if name.chars().all(|c| c.is_ascii_digit()) {
        format!("Player {name}")
    } else {
        name.to_string()
    }
}

/// A strategy's name for a sentence: `strategy 3` when it is a bare number or empty.
fn strategy(name: &str, s: usize) -> String {
    if name.is_empty() {
        format!("strategy {}", s + 1)
    } else if name.chars().all(|c| c.is_ascii_digit()) {
        format!("strategy {name}")
    } else {
        name.to_string()
    }
}

/// One player's mixed strategy in words: `Raise` (pure), or `Raise with probability 1/3, Fold
/// with probability 2/3`.
fn mixture(labels: &[String], probs: &[f64], exact: Option<&[Rational]>) -> String {
    let played: Vec<(usize, String)> = (0..probs.len())
        .filter(|&s| match exact {
            Some(x) => x.get(s).is_some_and(|q| *q > Rational::default()),
            None => probs[s] > 1e-12,
        })
        .map(|s| {
            let p = match exact.and_then(|x| x.get(s)) {
                Some(q) => rational(q),
                None => num(probs[s]),
            };
            (s, p)
        })
        .collect();
    if played.len() == 1 && (exact.is_some() || (probs[played[0].0] - 1.0).abs() < 1e-9) {
        return strategy(&labels[played[0].0], played[0].0);
    }
    played
        .iter()
        .map(|(s, p)| format!("{} with probability {p}", strategy(&labels[*s], *s)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn exact_mixed(eq: &Equilibrium) -> Option<&[Vec<Rational>]> {
    match &eq.exact {
        Some(ExactProfile::Mixed(m)) => Some(m),
        _ => None,
    }
}

/// Text lines for a mixed profile of a strategic game.
pub fn mixed_text(g: &StrategicGame, eq: &Equilibrium, m: &[Vec<f64>]) -> String {
    let mut o = String::from("  Strategies (each player's mixed strategy):\n");
    let ex = exact_mixed(eq);
    for (p, probs) in m.iter().enumerate() {
        let x = ex.and_then(|e| e.get(p)).map(Vec::as_slice);
        o.push_str(&format!(
            "    {}: {}\n",
            who(&g.players[p], p),
            mixture(&g.strategies[p], probs, x)
        ));
    }
    o
}

/// Text lines for a mixed profile of a tree over its reduced strategic form (trees without
/// perfect recall).
pub fn tree_mixed_text(g: &Game, eq: &Equilibrium, m: &[Vec<f64>]) -> String {
    let mut o = String::from(
        "  Mixed strategies over the reduced strategic form (plans name a move at each of the \
         player's information sets, in order; `*` where the plan never gets there). This game \
         lacks perfect recall, so these are not behaviour strategies: each player draws one \
         whole plan at the start.\n",
    );
    let labels = strategy_labels(&g.tree).unwrap_or_default();
    let ex = exact_mixed(eq);
    for (p, probs) in m.iter().enumerate() {
        let names: Vec<String> = match labels.get(p) {
            Some(l) if l.len() == probs.len() => l.clone(),
            _ => (1..=probs.len()).map(|s| s.to_string()).collect(),
        };
        let x = ex.and_then(|e| e.get(p)).map(Vec::as_slice);
        o.push_str(&format!(
            "    {}: {}\n",
            who(&g.tree.players[p], p),
            mixture(&names, probs, x)
        ));
    }
    o
}

/// Text lines for a correlated equilibrium: its distribution over pure profiles, most likely
/// first.
pub fn correlated_text(g: &StrategicGame, eq: &Equilibrium, d: &[f64]) -> String {
    let mut o = String::from(
        "  Correlated equilibrium: a mediator draws one pure profile from this distribution and \
         tells each player only its own strategy; no player gains by disobeying.\n",
    );
    for (k, p) in support(eq, d) {
        o.push_str(&format!("    {p:>12}  {}\n", profile_words(g, k)));
    }
    o
}

/// The profiles with positive probability, most likely first, with their probability as
/// text (exact when known).
fn support(eq: &Equilibrium, d: &[f64]) -> Vec<(usize, String)> {
    let ex = match &eq.exact {
        Some(ExactProfile::Correlated(x)) if x.len() == d.len() => Some(x),
        _ => None,
    };
    let mut ks: Vec<usize> = (0..d.len())
        .filter(|&k| match ex {
            Some(x) => x[k] > Rational::default(),
            None => d[k] > 1e-12,
        })
        .collect();
    ks.sort_by(|&a, &b| {
        d[b].partial_cmp(&d[a])
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.cmp(&b))
    });
    ks.into_iter()
        .map(|k| {
            let p = match ex {
                Some(x) => rational(&x[k]),
                None => num(d[k]),
            };
            (k, p)
        })
        .collect()
}

/// The pure strategies of profile `k` of a strategic game (first player fastest).
fn pure_of(g: &StrategicGame, mut k: usize) -> Vec<usize> {
    g.strategies
        .iter()
        .map(|s| {
            let n = s.len().max(1);
            let i = k % n;
            k /= n;
            i
        })
        .collect()
}

fn profile_words(g: &StrategicGame, k: usize) -> String {
    pure_of(g, k)
        .iter()
        .enumerate()
        .map(|(p, &s)| {
            format!(
                "{} {}",
                who(&g.players[p], p),
                strategy(&g.strategies[p][s], s)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// JSON of a correlated equilibrium's distribution: one entry per profile with positive
/// probability, most likely first: `probability` (float), `probability_exact` (when known)
/// and `profile` (each player's strategy name).
pub fn correlated_json(g: &StrategicGame, eq: &Equilibrium, d: &[f64]) -> Value {
    let ex = match &eq.exact {
        Some(ExactProfile::Correlated(x)) if x.len() == d.len() => Some(x),
        _ => None,
    };
    let entries: Vec<Value> = support(eq, d)
        .into_iter()
        .map(|(k, _)| {
            let mut prof = Map::new();
            for (p, s) in pure_of(g, k).into_iter().enumerate() {
                prof.insert(g.players[p].clone(), json!(g.strategies[p][s]));
            }
            let mut e = Map::new();
            e.insert("probability".into(), json!(d[k]));
            if let Some(x) = ex {
                e.insert("probability_exact".into(), json!(exact::display(&x[k])));
            }
            e.insert("profile".into(), Value::Object(prof));
            Value::Object(e)
        })
        .collect();
    Value::Array(entries)
}

/// JSON of a mixed profile: per player, `strategies` (name → probability) and, when known,
/// `strategies_exact` (name → exact string). For trees, strategies are named by their plans.
pub fn mixed_json(
    players: &[String],
    names: &[Vec<String>],
    eq: &Equilibrium,
    m: &[Vec<f64>],
) -> Value {
    let ex = exact_mixed(eq);
    let per: Vec<Value> = m
        .iter()
        .enumerate()
        .map(|(p, probs)| {
            let mut fl = Map::new();
            let mut xs = Map::new();
            for (s, x) in probs.iter().enumerate() {
                let name = names
                    .get(p)
                    .and_then(|n| n.get(s))
                    .cloned()
                    .unwrap_or_else(|| (s + 1).to_string());
                fl.insert(name.clone(), json!(if *x == 0.0 { 0.0 } else { *x }));
                if let Some(q) = ex.and_then(|e| e.get(p)).and_then(|v| v.get(s)) {
                    xs.insert(name, json!(exact::display(q)));
                }
            }
            let mut e = Map::new();
            e.insert(
                "player".into(),
                json!(players.get(p).cloned().unwrap_or_default()),
            );
            e.insert("strategies".into(), Value::Object(fl));
            if ex.is_some() {
                e.insert("strategies_exact".into(), Value::Object(xs));
            }
            Value::Object(e)
        })
        .collect();
    Value::Array(per)
}

/// Strategy names of a tree's reduced strategic form, spelled with move labels (empty if the
/// form is too large to list).
pub fn tree_strategy_names(g: &Game) -> Vec<Vec<String>> {
    strategy_labels(&g.tree).unwrap_or_default()
}

/// What to say when a solve lists no equilibrium.
pub fn none_found(sol: &crate::solve::Solution, game: crate::solve::GameRef<'_>) -> String {
    let complete = sol.status == crate::solve::Status::Solved;
    if sol.solver == "enumpure" && complete {
        let other = if game.n_players() == 2 {
            "`--solver enummixed` lists the mixed ones"
        } else {
            "`--solver logit` or `--solver gnm` finds one"
        };
        format!(
            "No pure-strategy equilibrium exists. `enumpure` looks for pure equilibria only; \
             every finite game has an equilibrium in mixed strategies ({other})."
        )
    } else {
        format!(
            "`{}` returned no equilibrium; every finite game has one: try `--solver logit` or \
             `--solver gnm`.",
            sol.solver
        )
    }
}
