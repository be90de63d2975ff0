//! Rendering quantal response equilibria and logit paths.
//!
//! A QRE at finite λ is not a Nash equilibrium — players err, more the less the stakes — so it
//! is printed with its own certificate (the fixed-point residual `max |p − logit_λ(p)|`) and
//! never with "no player gains by deviating". The path (`deter qre`) is a table of λ against
//! every action's probability, written as CSV with one column per action.

use super::words::{self, num};
use super::{clean, named};
use crate::game::{Game, InfosetId};
use crate::solve::logit::{PathPoint, Qre};
use crate::solve::{GameRef, Profile};
use serde_json::{json, Map, Value};

/// Version tag of the QRE JSON schema.
pub const QRE_SCHEMA: &str = "deter.qre/1";

/// Residual below which a QRE counts as solved, relative to 1 (probabilities).
pub const QRE_TOL: f64 = 1e-10;

/// A name for every action, in profile order: `Player: strategy` for strategic games,
/// `Player: set: move` for trees.
pub fn action_labels(game: GameRef<'_>) -> Vec<String> {
    match game {
        GameRef::Strategic(g) => g
            .strategies
            .iter()
            .enumerate()
            .flat_map(|(p, ss)| ss.iter().map(move |s| format!("{}: {}", g.players[p], s)))
            .collect(),
        GameRef::Tree(g) => {
            let t = &g.tree;
            (0..t.infosets.len())
                .flat_map(|s| {
                    let set = InfosetId::from(s);
                    let k = t.infosets[s].n_actions as usize;
                    (0..k).map(move |a| {
                        format!(
                            "{}: {}: {}",
                            t.players[t.infosets[s].player.ix()],
                            t.infoset_display(set),
                            t.action_label(set, a)
                        )
                    })
                })
                .collect()
        }
    }
}

/// Everything a QRE renderer needs.
#[derive(Clone, Copy, Debug)]
pub struct QreReport<'a> {
    /// The input file as the user named it.
    pub file: &'a str,
    /// Title of the game.
    pub title: &'a str,
    /// The game.
    pub game: GameRef<'a>,
    /// Parameter names and values (models only).
    pub params: Option<(&'a [String], &'a [f64])>,
    /// The QRE.
    pub qre: &'a Qre,
}

fn players(game: GameRef<'_>) -> &[String] {
    match game {
        GameRef::Tree(g) => &g.tree.players,
        GameRef::Strategic(g) => &g.players,
    }
}

/// Beliefs at every information set with more than one member, one line each.
pub fn belief_lines(g: &Game, beliefs: &[f64]) -> Vec<String> {
    let t = &g.tree;
    (0..t.infosets.len())
        .filter(|&s| t.infosets[s].n_members > 1)
        .map(|s| {
            let set = InfosetId::from(s);
            let parts: Vec<String> = t
                .members(set)
                .iter()
                .map(|h| format!("{} {}", t.node_label(*h), num(beliefs[h.ix()])))
                .collect();
            format!(
                "{} at {}: {}",
                t.players[t.infosets[s].player.ix()],
                t.infoset_display(set),
                parts.join(", ")
            )
        })
        .collect()
}

/// Beliefs as a JSON object: every decision node's label and its probability within its
/// information set.
pub fn beliefs_json(g: &Game, beliefs: &[f64]) -> Value {
    let mut m = Map::new();
    for s in 0..g.tree.infosets.len() {
        for h in g.tree.members(InfosetId::from(s)) {
            m.insert(g.tree.node_label(*h), json!(clean(beliefs[h.ix()])));
        }
    }
    Value::Object(m)
}

/// Text rendering of a QRE.
pub fn text(r: &QreReport<'_>) -> String {
    let q = r.qre;
    let mut o = format!("{} — {}\n", r.title, r.file);
    if let Some((names, values)) = r.params {
        let ps: Vec<String> = names
            .iter()
            .zip(values)
            .map(|(n, v)| format!("{n} = {}", num(*v)))
            .collect();
        if !ps.is_empty() {
            o.push_str(&format!("Parameters: {}\n", ps.join(", ")));
        }
    }
    o.push_str(&format!(
        "Logit quantal response equilibrium at λ = {} (players choose each move with probability \
         ∝ e^(λ·payoff); not a Nash equilibrium — `--solver logit` gives the limit λ → ∞)\n",
        num(q.lambda)
    ));
    match (&q.profile, r.game) {
        (Profile::Mixed(m), GameRef::Strategic(g)) => {
            o.push_str("  Strategies:\n");
            for (p, probs) in m.iter().enumerate() {
                let parts: Vec<String> = probs
                    .iter()
                    .enumerate()
                    .map(|(s, &x)| format!("{} {}", g.strategies[p][s], num(x)))
                    .collect();
                o.push_str(&format!("    {:12} {}\n", g.players[p], parts.join(", ")));
            }
        }
        (Profile::Behavior(b), GameRef::Tree(g)) => {
            o.push_str("  Moves at every decision node:\n");
            for s in words::node_strategies(g, b) {
                let parts: Vec<String> = s
                    .probs
                    .iter()
                    .map(|(m, x)| format!("{m} {}", num(*x)))
                    .collect();
                o.push_str(&format!(
                    "    {}  {}\n",
                    g.tree.node_label(s.node),
                    parts.join(", ")
                ));
            }
            if let Some(bel) = &q.beliefs {
                let lines = belief_lines(g, bel);
                if !lines.is_empty() {
                    o.push_str("  Beliefs:\n");
                    for l in lines {
                        o.push_str(&format!("    {l}\n"));
                    }
                }
            }
        }
        _ => {}
    }
    let pays: Vec<String> = players(r.game)
        .iter()
        .zip(&q.payoffs)
        .map(|(n, v)| format!("{n} {}", num(*v)))
        .collect();
    o.push_str(&format!("  Expected payoffs: {}\n", pays.join(", ")));
    o.push_str(&format!(
        "  QRE certificate: fixed-point residual max |p − logit_λ(p)| = {} {}\n",
        super::words::small(q.residual),
        if q.residual <= QRE_TOL {
            "✓ the profile is its own logit response"
        } else {
            "✗ NOT A QRE"
        }
    ));
    o
}

/// JSON rendering of a QRE (schema [`QRE_SCHEMA`], documented in `docs/json.md`).
pub fn json(r: &QreReport<'_>) -> Value {
    let q = r.qre;
    let labels = action_labels(r.game);
    let probs: Vec<f64> = match &q.profile {
        Profile::Mixed(m) => m.iter().flatten().copied().collect(),
        Profile::Behavior(b) => b.clone(),
        Profile::Correlated(d) => d.clone(),
    };
    let mut moves = Map::new();
    for (l, p) in labels.iter().zip(&probs) {
        moves.insert(l.clone(), json!(clean(*p)));
    }
    let beliefs: Option<Value> = match (r.game, &q.beliefs) {
        (GameRef::Tree(g), Some(b)) => Some(beliefs_json(g, b)),
        _ => None,
    };
    json!({
        "schema": QRE_SCHEMA,
        "file": r.file,
        "title": r.title,
        "players": players(r.game),
        "parameters": r.params.map(|(n, v)| named(n, v)),
        "lambda": q.lambda,
        "probabilities": moves,
        "beliefs": beliefs,
        "payoffs": named(players(r.game), &q.payoffs),
        "residual": q.residual,
        "certified": q.residual <= QRE_TOL,
    })
}

/// The path as CSV: a `lambda` column, then one per action (λ of the limit is `inf`).
pub fn path_csv(labels: &[String], points: &[PathPoint]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut head = vec!["lambda".to_string()];
    head.extend(labels.iter().cloned());
    w.write_record(&head)?;
    for p in points {
        let mut row = vec![if p.lambda.is_finite() {
            format!("{}", p.lambda)
        } else {
            "inf".to_string()
        }];
        row.extend(p.probs.iter().map(|x| format!("{}", clean(*x))));
        w.write_record(&row)?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}
