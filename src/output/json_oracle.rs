//! The solution JSON as it was built before it was streamed: one `serde_json::Value` tree.
//! Kept as the oracle of [`super::json_stream`], which must write the same bytes.

use super::*;
use crate::exact::{self as ex, Rational};
use crate::game::Game;
use crate::solve::{Equilibrium, ExactProfile, SolveOptions};

/// The solution document built as one `Value` (the renderer before streaming).
fn json(r: &SolveReport<'_>) -> Value {
    let sol = r.solution;
    let pl = players(r.game);
    let ev = events(r.game);
    let eqs: Vec<Value> = sol
        .equilibria
        .iter()
        .map(|eq| {
            let mut e = Map::new();
            match (&eq.profile, r.game) {
                (Profile::Behavior(p), GameRef::Tree(g)) => {
                    let plays: Vec<Value> = words::plays(g, p)
                        .iter()
                        .map(|pl| {
                            json!({
                                "outcome": g.tree.node_names[pl.leaf.ix()],
                                "probability": clean(pl.prob),
                                "path": words::play_sentence(&g.tree, pl),
                                "moves": pl.moves.iter().map(|&c| g.tree.move_labels[c.ix()].to_string()).collect::<Vec<_>>(),
                            })
                        })
                        .collect();
                    e.insert("path".into(), json!(words::path_in_words(g, p)));
                    e.insert("outcome".into(), json!(words::outcome_label(g, p)));
                    e.insert("plays".into(), Value::Array(plays));
                    let strat: Vec<Value> = words::node_strategies(g, p)
                        .iter()
                        .map(|s| {
                            let mut mv = Map::new();
                            for (m, x) in &s.probs {
                                mv.insert(m.clone(), json!(clean(*x)));
                            }
                            json!({
                                "node": g.tree.node_label(s.node),
                                "player": mover(&g.tree, s.node),
                                "on_path": s.on_path,
                                "moves": mv,
                            })
                        })
                        .collect();
                    e.insert("strategies".into(), Value::Array(strat));
                    if let Some(c) = &eq.component {
                        e.extend(beliefs::json(g, c, eq.sequential.as_ref()));
                    } else if let Some(b) = &eq.beliefs {
                        e.insert("beliefs".into(), qre::beliefs_json(g, b));
                    }
                }
                (Profile::Mixed(m), GameRef::Strategic(g)) => {
                    e.insert(
                        "strategies".into(),
                        strategic::mixed_json(&g.players, &g.strategies, eq, m),
                    );
                }
                (Profile::Mixed(m), GameRef::Tree(g)) => {
                    let names = strategic::tree_strategy_names(g);
                    e.insert("form".into(), json!("mixed strategies over the reduced strategic form"));
                    e.insert(
                        "mixed_strategies".into(),
                        strategic::mixed_json(&g.tree.players, &names, eq, m),
                    );
                }
                (Profile::Correlated(d), GameRef::Strategic(g)) => {
                    e.insert("distribution".into(), strategic::correlated_json(g, eq, d));
                }
                _ => {}
            }
            e.insert("payoffs".into(), named(pl, &eq.payoffs));
            e.insert("events".into(), named(ev, &eq.events));
            e.insert("regret".into(), named(pl, &eq.regret));
            e.insert("max_regret".into(), json!(eq.max_regret()));
            e.extend(certificate::json_fields(eq, pl));
            let tree = match r.game {
                GameRef::Tree(g) => Some(g),
                GameRef::Strategic(_) => None,
            };
            e.extend(exact_fields(tree, eq, pl));
            Value::Object(e)
        })
        .collect();
    let ties: Vec<Value> = match r.game {
        GameRef::Tree(g) => sol
            .ties
            .iter()
            .map(|t| {
                let n = g.tree.node(t.node);
                json!({
                    "node": g.tree.node_names[t.node.ix()],
                    "player": g.tree.players[t.player.ix()],
                    "moves": t.moves.iter().map(|&m| g.tree.move_labels[n.first_child as usize + m].to_string()).collect::<Vec<_>>(),
                    "value": clean(t.value),
                })
            })
            .collect(),
        GameRef::Strategic(_) => Vec::new(),
    };
    json!({
        "schema": SOLUTION_SCHEMA,
        "file": r.file,
        "title": r.title,
        "players": pl,
        "scenario": r.scenario,
        "parameters": r.params.map(|(n, v)| named(n, v)),
        "solver": sol.solver,
        "auto_picked": r.auto_picked,
        "status": status_word(sol.status),
        "value": sol.value,
        "value_exact": sol.exact_value.as_ref().map(crate::exact::display),
        "tolerance": r.tol,
        "equilibria": eqs,
        "note": if sol.equilibria.is_empty() {
            Some(strategic::none_found(sol, r.game))
        } else {
            beliefs::nash_note(r.game, sol)
        },
        "ties": ties,
        "notes": sol.notes,
    })
}

/// The exact fields built as `Value`s.
fn exact_fields(game: Option<&Game>, eq: &Equilibrium, players: &[String]) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    // The profile in its machine layout: behaviour probabilities by action (information sets
    // in arena order), mixed probabilities `[player][strategy]`, or a correlated distribution
    // by pure profile (first player fastest).
    let floats = |v: &[f64]| -> Value {
        json!(v
            .iter()
            .map(|&x| if x == 0.0 { 0.0 } else { x })
            .collect::<Vec<_>>())
    };
    out.push((
        "profile".into(),
        match &eq.profile {
            Profile::Behavior(b) | Profile::Correlated(b) => floats(b),
            Profile::Mixed(m) => json!(m.iter().map(|v| floats(v)).collect::<Vec<_>>()),
        },
    ));
    let strings =
        |v: &[Rational]| -> Value { json!(v.iter().map(ex::display).collect::<Vec<_>>()) };
    if let Some(x) = &eq.exact {
        out.push((
            "profile_exact".into(),
            match x {
                ExactProfile::Behavior(b) => strings(&b.to_vec()),
                ExactProfile::Correlated(b) => strings(b),
                ExactProfile::Mixed(m) => json!(m.iter().map(|v| strings(v)).collect::<Vec<_>>()),
            },
        ));
    }
    if let Some(pay) = &eq.exact_payoffs {
        let mut m = Map::new();
        for (n, q) in players.iter().zip(pay) {
            m.insert(n.clone(), json!(ex::display(q)));
        }
        out.push(("payoffs_exact".into(), Value::Object(m)));
    }
    if let (Some(g), Some(ExactProfile::Behavior(_))) = (game, &eq.exact) {
        if let Profile::Behavior(p) = &eq.profile {
            let strat: Vec<Value> = words::node_strategies(g, p)
                .iter()
                .filter_map(|s| {
                    let x = super::exact::node_exact(g, eq, s.node)?;
                    let mut mv = Map::new();
                    for ((m, _), q) in s.probs.iter().zip(x) {
                        mv.insert(m.clone(), json!(ex::display(&q.to_rational())));
                    }
                    Some(json!({"node": g.tree.node_label(s.node), "moves": mv}))
                })
                .collect();
            out.push(("strategies_exact".into(), Value::Array(strat)));
        }
    }
    out
}

/// Solves `game` with `solver` (or the default), certified, and checks both renderings.
fn same_bytes(name: &str, game: GameRef<'_>, solver: Option<&str>) -> usize {
    let s = match solver {
        Some(n) => crate::solve::by_name(n).unwrap(),
        None => crate::solve::pick(game).unwrap(),
    };
    if s.supports(game).is_err() {
        return 0;
    }
    let Ok(mut sol) = s.solve(game, &SolveOptions::default()) else {
        return 0;
    };
    crate::solve::certify(game, &mut sol).unwrap();
    let params = (vec!["p".to_string()], vec![0.5]);
    let rep = SolveReport {
        file: name,
        title: "t",
        game,
        params: Some((&params.0, &params.1)),
        scenario: Some("s"),
        auto_picked: solver.is_none(),
        solver_about: s.describe(),
        solution: &sol,
        tol: 1e-9,
    };
    let want = serde_json::to_string_pretty(&json(&rep)).unwrap();
    let got = serde_json::to_string_pretty(&json_stream(rep)).unwrap();
    assert!(
        got == want,
        "{name} with {}: streamed JSON differs",
        s.name()
    );
    assert_eq!(super::json(&rep), json(&rep));
    want.len()
}

/// Every model file in `models/` that loads: its path, its text and its template (for tests
/// that hold an output path to its oracle on the shipped models).
pub(super) fn shipped_models() -> Vec<(String, String, crate::model::GameTemplate)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("models");
    let mut out = Vec::new();
    for e in std::fs::read_dir(&dir).unwrap().flatten() {
        let path = e.path();
        if path.extension().is_none_or(|x| x != "toml") {
            continue;
        }
        let src = std::fs::read_to_string(&path).unwrap();
        let name = path.display().to_string();
        if let Some(t) = crate::model::load(&name, src.as_str()).template {
            out.push((name, src, t));
        }
    }
    out
}

#[test]
fn streamed_json_equals_the_value_tree_on_models() {
    let mut n = 0;
    for (name, src, t) in shipped_models() {
        let mut g = t.instantiate(&t.defaults()).unwrap();
        for solver in [None, Some("backward"), Some("pbe"), Some("enumpure")] {
            n += usize::from(same_bytes(&name, GameRef::Tree(&g), solver) > 0);
        }
        // With exact numbers: exact profiles and `strategies_exact`.
        if let Ok(th) = t.exact_point(&src, None, &[]) {
            t.fill_exact(&mut g, &th).unwrap();
            for solver in [None, Some("backward"), Some("seqform-lp")] {
                n += usize::from(same_bytes(&name, GameRef::Tree(&g), solver) > 0);
            }
        }
    }
    assert!(n >= 15, "only {n} solutions compared");
}

#[test]
fn streamed_json_equals_the_value_tree_on_generated_trees() {
    let mut n = 0;
    for seed in 0..12 {
        let src = crate::format::efg::tests::random_efg(seed, 60);
        let g = crate::format::efg::read(&src).unwrap();
        for solver in [None, Some("backward"), Some("lcp"), Some("enummixed")] {
            n += usize::from(same_bytes(&format!("g{seed}.efg"), GameRef::Tree(&g), solver) > 0);
        }
        if let Ok(rf) = crate::game::reduce::reduced_strategic_form(&g) {
            n += usize::from(same_bytes("s.nfg", GameRef::Strategic(&rf.game), None) > 0);
        }
    }
    assert!(n >= 20, "only {n} solutions compared");
}

/// A perfect-information tree of `3^depth` leaves as `.efg` text: a chance move at the root,
/// then the two players alternate; payoffs are two-decimal numbers from a fixed sequence.
pub(super) fn layered_efg(depth: u32) -> String {
    let mut s = String::from("EFG 2 R \"layered\" { \"A\" \"B\" } \"\"\n");
    let (mut set, mut outcome, mut x) = (0, 0, 12345u64);
    s.push_str("c \"\" 1 \"\" { \"h\" 1/3 \"l\" 2/3 } 0\n");
    let mut stack = vec![1u32, 1];
    while let Some(d) = stack.pop() {
        if d == depth {
            outcome += 1;
            let mut pay = || {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                format!("{}.{:02}", (x >> 40) % 10, (x >> 20) % 100)
            };
            let (a, b) = (pay(), pay());
            s.push_str(&format!("t \"\" {outcome} \"\" {{ {a} {b} }}\n"));
        } else {
            set += 1;
            let p = 1 + d % 2;
            s.push_str(&format!(
                "p \"\" {p} {set} \"\" {{ \"a\" \"b\" \"c\" }} 0\n"
            ));
            stack.extend([d + 1; 3]);
        }
    }
    s
}

#[test]
fn streamed_json_equals_the_value_tree_on_a_big_tree() {
    let g = crate::format::efg::read(&layered_efg(8)).unwrap();
    assert!(g.tree.nodes.len() > 6000, "{}", g.tree.nodes.len());
    assert!(g.exact.is_some());
    assert!(same_bytes("big.efg", GameRef::Tree(&g), Some("backward")) > 100_000);
}

#[test]
fn streamed_json_equals_the_value_tree_with_repeated_and_empty_labels() {
    // Moves of one node sharing a label (an ordered map keeps the first place and the last
    // value), empty labels, unnamed nodes in named and unnamed sets, a named node.
    let perfect = "EFG 2 R \"dups\" { \"A\" \"B\" } \"\"\n\
        p \"\" 1 1 \"s\" { \"x\" \"x\" \"\" } 0\n\
        p \"\" 2 1 \"\" { \"\" \"\" } 0\n\
        t \"\" 1 \"\" { 3, 4 }\n\
        t \"\" 2 \"\" { 0, 1 }\n\
        p \"named\" 2 2 \"t\" { \"y\" \"y\" } 0\n\
        t \"\" 3 \"\" { 5, 5 }\n\
        t \"\" 4 \"\" { 2, 2 }\n\
        t \"\" 5 \"\" { 1, 7 }\n";
    let pennies = "EFG 2 R \"pennies\" { \"A\" \"B\" } \"\"\n\
        p \"\" 1 1 \"\" { \"h\" \"h\" } 0\n\
        p \"\" 2 1 \"\" { \"h\" \"\" } 0\n\
        t \"\" 1 \"\" { 1, -1 }\n\
        t \"\" 2 \"\" { -1, 1 }\n\
        p \"\" 2 1 \"\" { \"h\" \"\" } 0\n\
        t \"\" 3 \"\" { -1, 1 }\n\
        t \"\" 4 \"\" { 1, -1 }\n";
    let mut n = 0;
    for (name, src, solvers) in [
        ("dups.efg", perfect, &[Some("backward"), None][..]),
        (
            "pennies.efg",
            pennies,
            &[Some("lcp"), Some("enummixed"), None][..],
        ),
    ] {
        let g = crate::format::efg::read(src).unwrap();
        for &solver in solvers {
            n += usize::from(same_bytes(name, GameRef::Tree(&g), solver) > 0);
        }
    }
    assert_eq!(n, 5, "every solve compared");
}
