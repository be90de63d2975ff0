//! Rendering solutions: text for people, JSON for programs, and whole-or-nothing file writes.
//!
//! Both renderers take a [`SolveReport`] — the game, the parameter point, and a certified
//! [`Solution`] — and never compute equilibria themselves. Numbers are printed with
//! [`words::num`] so output is deterministic (fixed precision, no negative zero). The JSON
//! schema is documented in `docs/json.md` and versioned by its `schema` field.

pub mod beliefs;
pub mod certificate;
pub mod dir;
pub mod exact;
pub mod file;
pub mod json_nodes;

#[cfg(test)]
mod json_oracle;
pub mod pretty;
pub mod qre;
pub mod strategic;
pub mod stream;
pub mod words;

use crate::game::tree::Tree;
use crate::game::NodeId;
use crate::solve::{GameRef, Profile, Solution, Status};
use serde_json::{json, Map, Value};
use std::path::Path;
use stream::Field;
use words::num;

/// Version tag of the solution JSON schema.
pub const SOLUTION_SCHEMA: &str = "deter.solution/1";

/// Everything a solution renderer needs.
#[derive(Clone, Copy, Debug)]
pub struct SolveReport<'a> {
    /// The input file as the user named it.
    pub file: &'a str,
    /// Title of the game.
    pub title: &'a str,
    /// The game at this parameter point.
    pub game: GameRef<'a>,
    /// Parameter names and values (parametric models only).
    pub params: Option<(&'a [String], &'a [f64])>,
    /// The scenario, if one was chosen.
    pub scenario: Option<&'a str>,
    /// Whether the solver was picked automatically.
    pub auto_picked: bool,
    /// What the solver does (its `describe()`).
    pub solver_about: &'a str,
    /// The certified solution.
    pub solution: &'a Solution,
    /// Relative regret tolerance (a fraction of each player's payoff range) where the
    /// certificate cannot be exact.
    pub tol: f64,
}

fn status_word(s: Status) -> &'static str {
    match s {
        Status::Solved => "solved",
        Status::Truncated => "truncated",
        Status::PivotLimit => "pivot-limit",
        Status::TimeLimit => "time-limit",
        Status::StepLimit => "step-limit",
        Status::Unresolved => "unresolved",
    }
}

fn players(game: GameRef<'_>) -> &[String] {
    match game {
        GameRef::Tree(g) => &g.tree.players,
        GameRef::Strategic(g) => &g.players,
    }
}

/// How text names the players: a model's display names (`names = { … }`), else their names.
fn display_players(game: GameRef<'_>) -> &[String] {
    match game {
        GameRef::Tree(g) => &g.tree.player_names,
        GameRef::Strategic(g) => &g.players,
    }
}

fn events(game: GameRef<'_>) -> &[String] {
    match game {
        GameRef::Tree(g) => &g.tree.events,
        GameRef::Strategic(_) => &[],
    }
}

/// Text rendering of a solution.
pub fn text(r: &SolveReport<'_>) -> String {
    let mut o = String::new();
    let sol = r.solution;
    o.push_str(&format!("{} — {}\n", r.title, r.file));
    o.push_str(&format!(
        "Solver: {}{} — {}\n",
        sol.solver,
        if r.auto_picked {
            " (picked automatically)"
        } else {
            ""
        },
        r.solver_about
    ));
    if let Some((names, values)) = r.params {
        let ps: Vec<String> = names
            .iter()
            .zip(values)
            .map(|(n, v)| format!("{n} = {}", num(*v)))
            .collect();
        if let Some(s) = r.scenario {
            o.push_str(&format!("Scenario: {s}\n"));
        }
        if !ps.is_empty() {
            o.push_str(&format!("Parameters: {}\n", ps.join(", ")));
        }
    }
    if let Some(note) = beliefs::nash_note(r.game, sol) {
        o.push_str(&format!("{note}\n"));
    }
    if let Some(v) = sol.value {
        o.push_str(&format!(
            "Game value (for {}): {}\n",
            display_players(r.game)[0],
            exact::game_value(sol, v)
        ));
    }
    if sol.status != Status::Solved {
        let list = if sol.status == Status::Unresolved {
            "may be incomplete"
        } else {
            "is incomplete"
        };
        o.push_str(&format!(
            "Status: {} — the list below {list}\n",
            status_word(sol.status)
        ));
    }
    for note in &sol.notes {
        o.push_str(&format!("Note: {note}\n"));
    }
    if sol.equilibria.is_empty() && sol.notes.is_empty() {
        o.push_str(&format!("\n{}\n", strategic::none_found(sol, r.game)));
    }
    let pl = display_players(r.game);
    for (k, eq) in sol.equilibria.iter().enumerate() {
        let concept = eq.component.as_deref().map(beliefs::header);
        o.push_str(&format!(
            "\nEquilibrium {}{}\n",
            k + 1,
            concept.unwrap_or_default()
        ));
        match (&eq.profile, r.game) {
            (Profile::Behavior(p), GameRef::Tree(g)) => {
                let path = words::path_in_words(g, p);
                if path.contains('\n') {
                    o.push_str("  Path of play (random):\n");
                    for line in path.lines() {
                        o.push_str(&format!("    {line}\n"));
                    }
                } else {
                    o.push_str(&format!("  Path of play: {path}\n"));
                }
                o.push_str(&format!("  Outcome: {}\n", words::outcome_words(g, p)));
                if let Some(c) = &eq.component {
                    o.push_str(&beliefs::text(g, c, eq.sequential.as_ref(), r.tol));
                } else {
                    o.push_str("  Strategies (every decision node, on and off the path):\n");
                    // One row per decision node: where, who, what (columns padded to the
                    // widest entry), written into one reused line buffer.
                    let reach = crate::game::profile::reach_probabilities(g, p);
                    // The cells are kept in one buffer (a big tree has a row per node; a
                    // pair of strings per row would hold tens of megabytes in small blocks).
                    let mut cells = String::new();
                    let mut rows: Vec<(NodeId, usize, usize)> = Vec::new();
                    let (mut w, mut ws) = (0, 0);
                    let speaks = words::speaks(&g.tree);
                    for (i, probs) in json_nodes::decisions(&g.tree, p) {
                        let node = NodeId::from(i);
                        let start = cells.len();
                        push_place(&mut cells, &g.tree, speaks, node);
                        let mid = cells.len();
                        exact::push_said_strategy_text(&mut cells, g, eq, node, probs);
                        w = w.max(cells[start..mid].chars().count());
                        ws = ws.max(cells[mid..].chars().count());
                        rows.push((node, mid, cells.len()));
                    }
                    let wp = (0..g.tree.n_players())
                        .map(|p| words::player_name(&g.tree, p).chars().count())
                        .max()
                        .unwrap_or(0);
                    let mut line = String::new();
                    let mut start = 0;
                    for &(node, mid, end) in &rows {
                        let place = &cells[start..mid];
                        let text = &cells[mid..end];
                        start = end;
                        let who = mover_display(&g.tree, node);
                        let on_path = reach[node.ix()] > 1e-12;
                        // `    {place:w$}  {who:wp$}  {text:ws$}{off}`, padded by hand.
                        line.clear();
                        line.push_str("    ");
                        push_padded(&mut line, place, w);
                        line.push_str("  ");
                        push_padded(&mut line, who, wp);
                        line.push_str("  ");
                        push_padded(&mut line, text, ws);
                        if !on_path {
                            line.push_str("  (off the path)");
                        }
                        o.push_str(line.trim_end());
                        o.push('\n');
                    }
                }
                // An assessment's beliefs are printed with its play (exact, with ranges).
                if let Some(bel) = eq.beliefs.as_ref().filter(|_| eq.component.is_none()) {
                    let lines = qre::belief_lines(g, bel);
                    if !lines.is_empty() {
                        o.push_str("  Beliefs (information sets with more than one node):\n");
                        for l in lines {
                            o.push_str(&format!("    {l}\n"));
                        }
                    }
                }
            }
            (Profile::Mixed(m), GameRef::Strategic(g)) => {
                o.push_str(&strategic::mixed_text(g, eq, m));
            }
            (Profile::Mixed(m), GameRef::Tree(g)) => {
                o.push_str(&strategic::tree_mixed_text(g, eq, m));
            }
            (Profile::Correlated(d), GameRef::Strategic(g)) => {
                o.push_str(&strategic::correlated_text(g, eq, d));
            }
            _ => o.push_str("  (profile of a form this game cannot display)\n"),
        }
        let pays: Vec<String> = pl
            .iter()
            .enumerate()
            .map(|(p, n)| format!("{n} {}", exact::payoff(eq, p)))
            .collect();
        o.push_str(&format!("  Expected payoffs: {}\n", pays.join(", ")));
        let ev = events(r.game);
        if !ev.is_empty() {
            let es: Vec<String> = ev
                .iter()
                .zip(&eq.events)
                .map(|(n, v)| format!("{n} {}", num(*v)))
                .collect();
            o.push_str(&format!("  Event probabilities: {}\n", es.join(", ")));
        }
        o.push_str(&format!("  {}\n", certificate::text_line(eq, pl)));
    }
    if let GameRef::Tree(g) = r.game {
        if !sol.ties.is_empty() {
            o.push_str("\nTies (the mover is indifferent; the first move listed was played):\n");
            for t in &sol.ties {
                o.push_str(&format!(
                    "  {} (value {}; node `{}` in the table above)\n",
                    words::tie_sentence(&g.tree, t.node, &t.moves),
                    num(t.value),
                    &g.tree.node_names[t.node.ix()],
                ));
            }
            o.push_str("  Use `--ties all` to list every equilibrium the ties allow.\n");
        }
    }
    o
}

#[cfg(test)]
fn mover(tree: &Tree, node: crate::game::NodeId) -> &str {
    match tree.node(node).kind {
        crate::game::NodeKind::Decision { player, .. } => &tree.players[player.ix()],
        _ => "Nature",
    }
}

/// [`words::node_place`] appended to `out`; a tree that does not speak (`speaks` is
/// [`words::speaks`] of `tree`) has its node's label written in place, without a `String`
/// per node of a big table.
fn push_place(out: &mut String, tree: &Tree, speaks: bool, node: NodeId) {
    if speaks {
        out.push_str(&words::node_place(tree, node));
    } else {
        // Writing into a `String` cannot fail.
        let _ = tree.node_label_shown(node).write_to(out);
    }
}

/// `s` padded with spaces to `width` characters (as `{s:width$}` formats it).
fn push_padded(out: &mut String, s: &str, width: usize) {
    out.push_str(s);
    let n = s.chars().count();
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(n)));
}

/// The mover at `node` as text names it (its display name).
fn mover_display(tree: &Tree, node: crate::game::NodeId) -> &str {
    match tree.node(node).kind {
        crate::game::NodeKind::Decision { player, .. } => &tree.player_names[player.ix()],
        _ => "Nature",
    }
}

fn named(names: &[String], values: &[f64]) -> Value {
    let mut m = Map::new();
    for (n, v) in names.iter().zip(values) {
        m.insert(n.clone(), json!(clean(*v)));
    }
    Value::Object(m)
}

/// A float for JSON: negative zero becomes zero.
fn clean(x: f64) -> f64 {
    if x == 0.0 {
        0.0
    } else {
        x
    }
}

/// JSON rendering of a solution (schema [`SOLUTION_SCHEMA`], documented in `docs/json.md`) as
/// a [`Value`]; [`json_stream`] writes the same bytes without building it.
pub fn json(r: &SolveReport<'_>) -> Value {
    json_stream(*r).to_value()
}

/// JSON rendering of a solution, its per-node arrays computed while they are written (the same
/// document as [`json`]; serialize it with `serde_json::to_writer*`).
pub fn json_stream(r: SolveReport<'_>) -> Field<'_> {
    let sol = r.solution;
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
    let note = if sol.equilibria.is_empty() {
        Some(strategic::none_found(sol, r.game))
    } else {
        beliefs::nash_note(r.game, sol)
    };
    let v = |k: &str, v: Value| (k.to_string(), Field::from(v));
    Field::map(vec![
        v("schema", json!(SOLUTION_SCHEMA)),
        v("file", json!(r.file)),
        v("title", json!(r.title)),
        v("players", json!(players(r.game))),
        v("scenario", json!(r.scenario)),
        v("parameters", json!(r.params.map(|(n, v)| named(n, v)))),
        v("solver", json!(sol.solver)),
        v("auto_picked", json!(r.auto_picked)),
        v("status", json!(status_word(sol.status))),
        v("value", json!(sol.value)),
        v(
            "value_exact",
            json!(sol.exact_value.as_ref().map(crate::exact::display)),
        ),
        v("tolerance", json!(r.tol)),
        (
            "equilibria".into(),
            Field::seq(move || sol.equilibria.iter().map(move |eq| equilibrium_json(r, eq))),
        ),
        v("note", json!(note)),
        v("ties", Value::Array(ties)),
        v("notes", json!(sol.notes)),
    ])
}

/// One equilibrium of [`json_stream`].
fn equilibrium_json<'a>(r: SolveReport<'a>, eq: &'a crate::solve::Equilibrium) -> Field<'a> {
    let pl = players(r.game);
    let ev = events(r.game);
    let mut e: Vec<(String, Field<'a>)> = Vec::new();
    let mut put = |k: &str, v: Value| e.push((k.to_string(), Field::from(v)));
    match (&eq.profile, r.game) {
        (Profile::Behavior(p), GameRef::Tree(g)) => {
            put("path", json!(words::path_in_words(g, p)));
            put("outcome", json!(words::outcome_label(g, p)));
            e.push((
                "plays".into(),
                Field::seq(move || {
                    words::plays(g, p).into_iter().map(move |pl| {
                        Field::from(json!({
                            "outcome": g.tree.node_names[pl.leaf.ix()],
                            "probability": clean(pl.prob),
                            "path": words::play_sentence(&g.tree, &pl),
                            "moves": pl.moves.iter().map(|&c| g.tree.move_labels[c.ix()].to_string()).collect::<Vec<_>>(),
                        }))
                    })
                }),
            ));
            e.push((
                "strategies".into(),
                Field::Nodes(json_nodes::NodeArray::Strategies(json_nodes::Strategies {
                    game: g,
                    profile: p,
                })),
            ));
            if let Some(c) = &eq.component {
                let fields = beliefs::json(g, c, eq.sequential.as_ref());
                e.extend(fields.into_iter().map(|(k, v)| (k, Field::from(v))));
            } else if let Some(b) = &eq.beliefs {
                e.push(("beliefs".into(), qre::beliefs_json(g, b).into()));
            }
        }
        (Profile::Mixed(m), GameRef::Strategic(g)) => {
            put(
                "strategies",
                strategic::mixed_json(&g.players, &g.strategies, eq, m),
            );
        }
        (Profile::Mixed(m), GameRef::Tree(g)) => {
            let names = strategic::tree_strategy_names(g);
            put(
                "form",
                json!("mixed strategies over the reduced strategic form"),
            );
            put(
                "mixed_strategies",
                strategic::mixed_json(&g.tree.players, &names, eq, m),
            );
        }
        (Profile::Correlated(d), GameRef::Strategic(g)) => {
            put("distribution", strategic::correlated_json(g, eq, d));
        }
        _ => {}
    }
    let mut put = |k: &str, v: Value| e.push((k.to_string(), Field::from(v)));
    put("payoffs", named(pl, &eq.payoffs));
    put("events", named(ev, &eq.events));
    put("regret", named(pl, &eq.regret));
    put("max_regret", json!(eq.max_regret()));
    e.extend(
        certificate::json_fields(eq, pl)
            .into_iter()
            .map(|(k, v)| (k, Field::from(v))),
    );
    let tree = match r.game {
        GameRef::Tree(g) => Some(g),
        GameRef::Strategic(_) => None,
    };
    e.extend(exact::json_fields(tree, eq, pl));
    Field::map(e)
}

/// Writes a file whole or not at all: into a temporary file beside it, then renamed over it
/// (through symlinks, never replacing a device; see [`file::write_whole`]).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    file::write_whole(path, bytes)
}

#[cfg(test)]
mod table_tests {
    use super::*;
    use crate::solve::{certify, SolveOptions};

    /// Every decision node's cells as the table writes them in place equal the words built
    /// as strings ([`words::node_place`], [`exact::said_strategy_text`]).
    fn same_cells(g: &crate::game::Game, solver: &str) -> usize {
        let s = crate::solve::by_name(solver).unwrap();
        let game = GameRef::Tree(g);
        if s.supports(game).is_err() {
            return 0;
        }
        let Ok(mut sol) = s.solve(game, &SolveOptions::default()) else {
            return 0;
        };
        certify(game, &mut sol).unwrap();
        let speaks = words::speaks(&g.tree);
        let mut n = 0;
        for eq in &sol.equilibria {
            let Profile::Behavior(p) = &eq.profile else {
                continue;
            };
            for (i, probs) in json_nodes::decisions(&g.tree, p) {
                let node = NodeId::from(i);
                let mut cells = String::from("x");
                push_place(&mut cells, &g.tree, speaks, node);
                assert_eq!(cells[1..], words::node_place(&g.tree, node));
                cells.truncate(1);
                exact::push_said_strategy_text(&mut cells, g, eq, node, probs);
                assert_eq!(
                    cells[1..],
                    exact::said_strategy_text(g, eq, node, probs),
                    "{solver} at node {i}"
                );
                n += 1;
            }
        }
        n
    }

    #[test]
    fn padding_by_hand_equals_the_formatter() {
        for s in ["", "a", "Protégé", "→ x", "long enough"] {
            for w in [0, 1, 5, 7, 12] {
                let mut out = String::from("x");
                push_padded(&mut out, s, w);
                assert_eq!(out[1..], format!("{s:w$}"), "{s:?} to {w}");
            }
        }
    }

    #[test]
    fn table_cells_written_in_place_equal_the_words() {
        let mut n = 0;
        for (_, src, t) in json_oracle::shipped_models() {
            let mut g = t.instantiate(&t.defaults()).unwrap();
            if let Ok(th) = t.exact_point(&src, None, &[]) {
                t.fill_exact(&mut g, &th).unwrap();
            }
            for solver in ["backward", "seqform-lp", "lcp"] {
                n += same_cells(&g, solver);
            }
        }
        for seed in 0..12 {
            let src = crate::format::efg::tests::random_efg(seed, 60);
            let g = crate::format::efg::read(&src).unwrap();
            for solver in ["backward", "lcp", "seqform-lp"] {
                n += same_cells(&g, solver);
            }
        }
        let g = crate::format::efg::read(&json_oracle::layered_efg(6)).unwrap();
        n += same_cells(&g, "backward");
        assert!(n >= 150, "only {n} nodes compared");
    }
}
