//! Rendering assessments: play and beliefs at every information set, what sustains the play off
//! the path, the equilibrium's class, ties, refinements and the assessment certificate.
//!
//! A perfect Bayesian equilibrium is not just a profile: at every information set the mover
//! holds a belief, and off the path a prescription is only as good as the beliefs that sustain
//! it. This module prints what [`crate::solve::pbe`] reports — exact numbers where the solution
//! is exact, ranges where the equilibrium is a continuum — for people (text) and programs
//! (JSON, documented in `docs/json.md`). It never recomputes an equilibrium.

use super::words;
use crate::game::{Game, InfosetId};
use crate::solve::assessment::Check;
use crate::solve::pbe::classify::ClassName;
use crate::solve::pbe::component::{show_q, Alternative, Component, Coord, Range};
use crate::solve::pbe::linear::{Lin, Rel};
use crate::solve::pbe::refine::{Outcome, Verdict};
use serde_json::{json, Map, Value};

/// What the equilibria of a non-belief-aware solver are, for a tree with hidden information
/// (`None` when there is nothing to warn about, or the equilibria carry beliefs): "subgame
/// perfect" means nothing where the only subgame is the whole game, and off-path moves carry no
/// belief.
pub fn nash_note(game: crate::solve::GameRef<'_>, sol: &crate::solve::Solution) -> Option<String> {
    let crate::solve::GameRef::Tree(g) = game else {
        return None;
    };
    let solver = sol.solver;
    let with_beliefs =
        !sol.equilibria.is_empty() && sol.equilibria.iter().all(|e| e.beliefs.is_some());
    if g.tree.is_perfect_information() || solver == "pbe" || with_beliefs {
        return None;
    }
    let roots = crate::solve::subgame::subgame_roots(&g.tree);
    let what = if solver == "subgame" && roots.len() <= 1 {
        "the whole game is its only subgame, so subgame perfection adds nothing to Nash \
         equilibrium"
    } else {
        "these are Nash equilibria"
    };
    Some(format!(
        "Note: {what}; a move off the path of play need not be rational under any belief \
         (`--solver pbe` gives perfect Bayesian equilibria with beliefs)."
    ))
}

/// The concept and class after "Equilibrium k": ` — sequential, semi-separating`.
pub fn header(c: &Component) -> String {
    match &c.class {
        Some(k) => format!(" — {}, {}", c.concept.name(), k.headline()),
        None => format!(" — {}", c.concept.name()),
    }
}

/// A probability or its range; one that rounds to 0 or 1 but is neither in scientific form
/// ([`words::prob_shown`]).
fn range_text(r: &Range) -> String {
    let show = |v: &crate::solve::pbe::component::Val| words::prob_shown(v.x, v.show());
    if r.is_point() {
        show(&r.lo)
    } else {
        format!("[{}, {}]", show(&r.lo), show(&r.hi))
    }
}

/// A set's play: `initiate`, or `status_quo 1/3, initiate 2/3`, or with ranges.
fn play_text(game: &Game, s: InfosetId, actions: &[Range]) -> String {
    let tree = &*game.tree;
    let used: Vec<usize> = (0..actions.len())
        .filter(|&a| actions[a].hi.x > 0.0)
        .collect();
    if used.len() == 1 && actions[used[0]].is_point() {
        return action_words(tree, s, used[0]);
    }
    used.iter()
        .map(|&a| format!("{} {}", action_words(tree, s, a), range_text(&actions[a])))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Action `a` of set `s` as its mover would say it (its `say` phrase where the model gives
/// one, else its label).
fn action_words(tree: &crate::game::Tree, s: InfosetId, a: usize) -> String {
    match tree.members(s).first() {
        Some(&m) if words::speaks(tree) => {
            let c = crate::game::NodeId::from(tree.node(m).first_child as usize + a);
            words::move_words(tree, c).to_string()
        }
        _ => tree.action_label(s, a).to_string(),
    }
}

/// Beliefs in words; beliefs about types read "Challenger hard 1/3, soft 2/3; Defender …".
fn belief_text(b: &[(String, Range)]) -> String {
    let mut out = String::new();
    let mut last: Option<&str> = None;
    for (l, r) in b {
        let (who, what) = match l.split_once(' ') {
            Some((p, t)) => (Some(p), t),
            None => (None, l.as_str()),
        };
        match (who, last) {
            (Some(p), Some(q)) if p == q => out.push_str(&format!(", {what} {}", range_text(r))),
            _ => {
                if !out.is_empty() {
                    out.push_str("; ");
                }
                out.push_str(&format!("{l} {}", range_text(r)));
            }
        }
        last = who;
    }
    out
}

fn coord_text(c: &Coord) -> String {
    match c {
        Coord::Type { after, player, ty } => format!("Pr({player} {ty} | {after})"),
        Coord::Member { set, node } => format!("Pr({node} at {set})"),
    }
}

/// A linear condition on named coordinates, solved for the coordinate when there is one:
/// `Pr(Challenger hard | Challenger initiates) ≥ 1/3`.
pub fn condition_text(l: &Lin, rel: Rel, coords: &[Coord]) -> String {
    use num_traits::{Signed, Zero};
    let nz: Vec<usize> = (0..l.coef.len())
        .filter(|&i| !l.coef[i].is_zero())
        .collect();
    let sym = |r: Rel, flip: bool| match (r, flip) {
        (Rel::Eq, _) => "=",
        (Rel::Ge, false) => "≥",
        (Rel::Ge, true) => "≤",
        (Rel::Gt, false) => ">",
        (Rel::Gt, true) => "<",
    };
    if nz.len() == 1 {
        let c = &l.coef[nz[0]];
        let v = -&l.constant / c;
        return format!(
            "{} {} {}",
            coord_text(&coords[nz[0]]),
            sym(rel, c.is_negative()),
            show_q(&v)
        );
    }
    let lhs: Vec<String> = nz
        .iter()
        .map(|&i| format!("{}·{}", show_q(&l.coef[i]), coord_text(&coords[i])))
        .collect();
    format!(
        "{} {} {}",
        lhs.join(" + "),
        sym(rel, false),
        show_q(&-&l.constant)
    )
}

/// Belief conditions for people: bounds on one probability are merged (`1/3 ≤ Pr(…) ≤ 1`),
/// and the bounds every probability has (0 and 1) are left out.
pub fn conditions_text(conds: &[(Lin, Rel)], coords: &[Coord]) -> Vec<String> {
    use crate::solve::pbe::poly::Q;
    use num_traits::{One, Signed, Zero};
    let mut lo: Vec<Option<(Q, bool)>> = vec![None; coords.len()];
    let mut hi: Vec<Option<(Q, bool)>> = vec![None; coords.len()];
    let mut out = Vec::new();
    for (l, r) in conds {
        let nz: Vec<usize> = (0..l.coef.len())
            .filter(|&i| !l.coef[i].is_zero())
            .collect();
        if nz.len() != 1 || *r == Rel::Eq {
            out.push(condition_text(l, *r, coords));
            continue;
        }
        let i = nz[0];
        let v = -&l.constant / &l.coef[i];
        let strict = *r == Rel::Gt;
        if l.coef[i].is_positive() {
            if !v.is_zero() || strict {
                lo[i] = Some((v, strict));
            }
        } else if !v.is_one() || strict {
            hi[i] = Some((v, strict));
        }
    }
    for i in 0..coords.len() {
        let name = coord_text(&coords[i]);
        let op = |s: bool| if s { "<" } else { "≤" };
        match (&lo[i], &hi[i]) {
            (Some((a, sa)), Some((b, sb))) => out.push(format!(
                "{} {} {name} {} {}",
                show_q(a),
                op(*sa),
                op(*sb),
                show_q(b)
            )),
            (Some((a, sa)), None) => out.push(format!(
                "{name} {} {}",
                if *sa { ">" } else { "≥" },
                show_q(a)
            )),
            (None, Some((b, sb))) => out.push(format!("{name} {} {}", op(*sb), show_q(b))),
            (None, None) => {}
        }
    }
    out
}

fn class_text(game: &Game, c: &Component, k: &ClassName) -> String {
    k.players
        .iter()
        .map(|pc| {
            let groups: Vec<String> = pc
                .groups
                .iter()
                .zip(&pc.said)
                .map(|((types, _), words)| {
                    let names: Vec<&str> = types
                        .iter()
                        .map(|&t| c.type_names[pc.player][t].as_str())
                        .collect();
                    format!("{} → {words}", names.join(" and "))
                })
                .collect();
            format!(
                "{} {} ({})",
                words::player_name(&game.tree, pc.player),
                pc.kind.name(),
                groups.join("; ")
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Off-path sets whose play differs between alternatives (shown per alternative).
fn varying_sets(c: &Component) -> Vec<InfosetId> {
    let Some(first) = c.alternatives.first() else {
        return Vec::new();
    };
    first
        .play
        .iter()
        .map(|(s, _)| *s)
        .filter(|s| {
            c.alternatives.iter().any(|alt| {
                alt.play.iter().find(|(t, _)| t == s).map(|x| &x.1)
                    != first.play.iter().find(|(t, _)| t == s).map(|x| &x.1)
            })
        })
        .collect()
}

fn who(game: &Game, s: InfosetId) -> String {
    let tree = &*game.tree;
    let player = words::player_name(tree, tree.infosets[s.ix()].player.ix());
    match words::set_place(tree, s) {
        Some(place) => format!("{player} {place}"),
        None => format!("{player} at {}", tree.infoset_display(s)),
    }
}

/// The text block of one equilibrium component (after its path and outcome).
pub fn text(game: &Game, c: &Component, check: Option<&Check>, tol: f64) -> String {
    let tree = &*game.tree;
    let mut o = String::new();
    if let Some(k) = &c.class {
        o.push_str(&format!("  Class: {}\n", class_text(game, c, k)));
    }
    o.push_str("  Play and beliefs at every information set:\n");
    let varying = varying_sets(c);
    let rows: Vec<(String, String, String)> = c
        .sets
        .iter()
        .enumerate()
        .map(|(s, sum)| {
            let sid = InfosetId::from(s);
            let play = if varying.contains(&sid) {
                "(see off the path below)".to_string()
            } else {
                play_text(game, sid, &sum.actions)
            };
            let mut note = String::new();
            if !sum.beliefs.is_empty() {
                note.push_str(&format!("believes {}", belief_text(&sum.beliefs)));
                if sum.free_belief {
                    note.push_str(" (free: not given by Bayes' rule)");
                }
            }
            if !sum.on_path {
                note = if note.is_empty() {
                    "(off the path)".into()
                } else {
                    format!("(off the path) {note}")
                };
            }
            (who(game, sid), play, note)
        })
        .collect();
    let w0 = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
    let w1 = rows.iter().map(|r| r.1.chars().count()).max().unwrap_or(0);
    for (a, b, n) in &rows {
        let line = format!("    {a:w0$}  {b:w1$}  {n}");
        o.push_str(line.trim_end());
        o.push('\n');
    }
    let with_beliefs: Vec<&Alternative> = c
        .alternatives
        .iter()
        .filter(|a| !a.conditions.is_empty())
        .collect();
    if !varying.is_empty() || !with_beliefs.is_empty() {
        // Each alternative as printed; supports that differ only where nothing is shown read
        // the same, and are listed once.
        let mut shown: Vec<Vec<String>> = Vec::new();
        for alt in &c.alternatives {
            let mut lines = Vec::new();
            for (s, actions) in alt.play.iter().filter(|(s, _)| varying.contains(s)) {
                lines.push(format!(
                    "{}: {}",
                    who(game, *s),
                    play_text(game, *s, actions)
                ));
            }
            let conds = conditions_text(&alt.conditions, &alt.coords);
            if conds.is_empty() {
                lines.push("beliefs: any".into());
            } else {
                lines.push(format!("beliefs: {}", conds.join(" and ")));
            }
            if !shown.contains(&lines) {
                shown.push(lines);
            }
        }
        o.push_str("  Off the path, the play is sustained by");
        o.push_str(if shown.len() > 1 {
            " any one of:\n"
        } else {
            ":\n"
        });
        for (k, lines) in shown.iter().enumerate() {
            let bullet = if shown.len() > 1 {
                format!("{}. ", k + 1)
            } else {
                String::new()
            };
            for (i, l) in lines.iter().enumerate() {
                let lead = if i == 0 {
                    bullet.clone()
                } else {
                    " ".repeat(bullet.chars().count())
                };
                o.push_str(&format!("    {lead}{l}\n"));
            }
        }
    }
    if !c.ties.is_empty() {
        o.push_str("  Ties (the mover is exactly indifferent):\n");
        for t in &c.ties {
            o.push_str(&format!(
                "    {} is indifferent between “{}” and “{}”{}\n",
                who(game, t.set),
                action_words(tree, t.set, t.played),
                action_words(tree, t.set, t.other),
                if t.on_path { "" } else { " (off the path)" }
            ));
        }
    }
    if !c.refinements.is_empty() {
        o.push_str("  Refinements (at each move off the path):\n");
        for v in &c.refinements {
            o.push_str(&format!("    {}\n", verdict_text(game, c, v)));
        }
    } else if c.class.is_some() {
        o.push_str("  Refinements: no informed player's move is off the path; nothing to test\n");
    }
    if let Some(ch) = check {
        let ok = ch.ok;
        o.push_str(&format!(
            "  Assessment certificate: {} sequential rationality at every information set given the beliefs, and Bayes' rule where it applies ({}; max gain {}, max Bayes error {})\n",
            if ok { "✓" } else { "✗ NOT SATISFIED:" },
            if ch.exact {
                "exact".to_string()
            } else {
                format!("tolerance {tol:.0e} of each player's payoff range")
            },
            crate::output::words::small(ch.gain.iter().cloned().fold(0.0, f64::max)),
            crate::output::words::small(ch.bayes_error)
        ));
    }
    o
}

fn types_text(c: &Component, player: usize, ts: &[usize]) -> String {
    ts.iter()
        .map(|&t| c.type_names[player][t].clone())
        .collect::<Vec<_>>()
        .join(" and ")
}

fn verdict_text(game: &Game, c: &Component, v: &Verdict) -> String {
    let player = words::player_name(&game.tree, v.player);
    let ruled = if v.ruled_out.is_empty() {
        String::new()
    } else {
        format!(
            "; rules out {player} {}",
            types_text(c, v.player, &v.ruled_out)
        )
    };
    let result = match &v.outcome {
        Outcome::Passes => "passes".to_string(),
        Outcome::Fails { gaining } if gaining.is_empty() => {
            "fails: no belief that sustains the play puts its weight on the types left".to_string()
        }
        Outcome::Fails { gaining } => format!(
            "fails: {player} {} would deviate whatever the response",
            types_text(c, v.player, gaining)
        ),
        Outcome::Undecided(why) => format!("not decided ({why})"),
    };
    format!(
        "{}: {result} (after {}{ruled})",
        v.refinement.name(),
        v.deviation
    )
}

fn range_json(r: &Range) -> Value {
    let show = |v: &crate::solve::pbe::component::Val| v.q.as_ref().map(crate::exact::display);
    if r.is_point() {
        json!({ "value": r.lo.x, "exact": show(&r.lo) })
    } else {
        json!({ "min": r.lo.x, "max": r.hi.x, "exact_min": show(&r.lo), "exact_max": show(&r.hi) })
    }
}

/// The JSON fields of one equilibrium component (merged into the equilibrium's object).
pub fn json(game: &Game, c: &Component, check: Option<&Check>) -> Map<String, Value> {
    let tree = &*game.tree;
    let mut m = Map::new();
    m.insert("concept".into(), json!(c.concept.name()));
    m.insert(
        "class".into(),
        match &c.class {
            None => Value::Null,
            Some(k) => json!({
                "headline": k.headline(),
                "players": k.players.iter().map(|pc| json!({
                    "player": tree.players[pc.player],
                    "class": pc.kind.name(),
                    "groups": pc.groups.iter().map(|(ts, words)| json!({
                        "types": ts.iter().map(|&t| c.type_names[pc.player][t].clone()).collect::<Vec<_>>(),
                        "move": words,
                    })).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            }),
        },
    );
    let sets: Vec<Value> = c
        .sets
        .iter()
        .enumerate()
        .map(|(s, sum)| {
            let sid = InfosetId::from(s);
            let mut moves = Map::new();
            for (a, r) in sum.actions.iter().enumerate() {
                moves.insert(tree.action_label(sid, a).to_string(), range_json(r));
            }
            let mut beliefs = Map::new();
            for (l, r) in &sum.beliefs {
                beliefs.insert(l.clone(), range_json(r));
            }
            json!({
                "set": tree.infoset_display(sid),
                "player": tree.players[tree.infosets[s].player.ix()],
                "on_path": sum.on_path,
                "moves": moves,
                "beliefs": beliefs,
                "free_belief": sum.free_belief,
            })
        })
        .collect();
    m.insert("information_sets".into(), Value::Array(sets));
    let alts: Vec<Value> = c
        .alternatives
        .iter()
        .map(|alt| {
            json!({
                "play": alt.play.iter().map(|(s, acts)| {
                    let mut mv = Map::new();
                    for (a, r) in acts.iter().enumerate() {
                        mv.insert(tree.action_label(*s, a).to_string(), range_json(r));
                    }
                    json!({ "set": tree.infoset_display(*s), "moves": mv })
                }).collect::<Vec<_>>(),
                "beliefs": conditions_text(&alt.conditions, &alt.coords),
            })
        })
        .collect();
    m.insert("off_path".into(), Value::Array(alts));
    m.insert(
        "ties".into(),
        Value::Array(
            c.ties
                .iter()
                .map(|t| {
                    json!({
                        "set": tree.infoset_display(t.set),
                        "played": tree.action_label(t.set, t.played),
                        "other": tree.action_label(t.set, t.other),
                        "on_path": t.on_path,
                    })
                })
                .collect(),
        ),
    );
    m.insert(
        "refinements".into(),
        Value::Array(
            c.refinements
                .iter()
                .map(|v| {
                    let (result, gaining, why) = match &v.outcome {
                        Outcome::Passes => ("passes", Vec::new(), None),
                        Outcome::Fails { gaining } => ("fails", gaining.clone(), None),
                        Outcome::Undecided(w) => ("undecided", Vec::new(), Some(w.clone())),
                    };
                    let names = |ts: &[usize]| -> Vec<String> {
                        ts.iter()
                            .map(|&t| c.type_names[v.player][t].clone())
                            .collect()
                    };
                    json!({
                        "test": v.refinement.name(),
                        "player": tree.players[v.player],
                        "after": v.deviation,
                        "result": result,
                        "ruled_out": names(&v.ruled_out),
                        "deviating_types": names(&gaining),
                        "reason": why,
                    })
                })
                .collect(),
        ),
    );
    if let Some(ch) = check {
        m.insert(
            "assessment_certificate".into(),
            json!({
                "ok": ch.ok,
                "exact": ch.exact,
                "max_gain": ch.gain.iter().cloned().fold(0.0, f64::max),
                "bayes_error": ch.bayes_error,
            }),
        );
    }
    m
}
