//! Checking the report questions of a model file (`[questions.NAME]`) when it is read.
//!
//! A question names an event, parameters to map over, and two counterfactual games (treatment
//! and control) that force or remove moves and may fix parameters. A misspelt name there would
//! otherwise surface only when a report is drawn — or not at all, as a sentence about a node
//! that does not exist — so every name is checked with the rest of the file, located, with a
//! suggestion. The counterfactual games are built here exactly as the report builds them, so a
//! question that `deter check` accepts is one the report can answer.

use super::ast::{Counterfactual, FormulaSrc, ModelAst, QuestionDef, Sp};
use super::build;
use crate::diag::{did_you_mean, Diagnostic};

/// Every problem in the model's questions (empty when there are none).
pub fn check(ast: &ModelAst) -> Vec<Diagnostic> {
    let mut d = Vec::new();
    let events: Vec<&str> = {
        let mut v: Vec<&str> = ast
            .outcomes
            .iter()
            .flat_map(|o| o.events.iter().map(|e| e.v.as_str()))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let params: Vec<&str> = ast.params.iter().map(|p| p.name.v.as_str()).collect();
    for q in &ast.questions {
        check_event(q, &events, &mut d);
        for v in &q.vary {
            if !params.contains(&v.v.as_str()) {
                d.push(unknown_param(v, &params, "`vary` maps over parameters"));
            }
        }
        for cf in [&q.treatment, &q.control] {
            check_counterfactual(ast, cf, &mut d);
        }
    }
    d
}

/// The words for a parameter a counterfactual fixes: "p_Pro = 0.5".
pub fn set_phrase(name: &str, value: f64) -> String {
    format!("{name} = {}", crate::output::words::num(value))
}

fn check_event(q: &QuestionDef, events: &[&str], d: &mut Vec<Diagnostic>) {
    if events.contains(&q.event.v.as_str()) {
        return;
    }
    let hint = did_you_mean(&q.event.v, events.iter().copied()).unwrap_or_else(|| {
        if events.is_empty() {
            "no outcome carries an event; tag outcomes with `events = [\"…\"]`".into()
        } else {
            format!("the events are {}", events.join(", "))
        }
    });
    d.push(
        Diagnostic::error(
            q.event.span.clone(),
            format!(
                "question `{}` asks about the event `{}`, which no outcome carries",
                q.name.v, q.event.v
            ),
        )
        .with_label("unknown event")
        .with_hint(hint),
    );
}

fn unknown_param(name: &Sp<String>, params: &[&str], label: &str) -> Diagnostic {
    Diagnostic::error(name.span.clone(), format!("unknown parameter `{}`", name.v))
        .with_label(label)
        .with_hint(
            did_you_mean(&name.v, params.iter().copied())
                .unwrap_or_else(|| format!("the parameters are {}", params.join(", "))),
        )
}

/// Checks one counterfactual: a type named where a node is expected gets its own hint; the
/// rest is checked by building the counterfactual game (nodes, moves, fixed parameters).
fn check_counterfactual(ast: &ModelAst, cf: &Counterfactual, d: &mut Vec<Diagnostic>) {
    if cf.force.is_empty() && cf.remove.is_empty() && cf.set.is_empty() {
        return;
    }
    let mut typed = false;
    let nodes = cf
        .force
        .iter()
        .map(|(n, _)| n)
        .chain(cf.remove.iter().map(|(n, _)| n));
    for node in nodes {
        if !build::nodes_named(ast, &node.v).is_empty() {
            continue;
        }
        if let Some(pt) = ast.types.iter().find(|pt| pt.player.v == node.v) {
            typed = true;
            d.push(
                Diagnostic::error(
                    node.span.clone(),
                    format!(
                        "`{}` is a player with private types, not a node; a counterfactual \
                         cannot force nature's draw of a type",
                        node.v
                    ),
                )
                .with_label("a typed player")
                .with_hint(type_hint(pt)),
            );
        }
    }
    if typed {
        return;
    }
    let (_, diags) = build::build(ast, cf);
    d.extend(diags.into_iter().filter(Diagnostic::is_error));
}

/// How to fix a player's type instead: set the parameter its prior is written with.
fn type_hint(pt: &super::ast::PlayerTypes) -> String {
    let bare = |f: &Option<FormulaSrc>| {
        f.as_ref()
            .map(|f| f.text.trim().to_string())
            .filter(|t| t.chars().all(|c| c.is_alphanumeric() || c == '_') && !t.is_empty())
    };
    match pt
        .types
        .iter()
        .find_map(|t| bare(&t.prob).map(|p| (t.name.v.clone(), p)))
    {
        Some((ty, p)) if p.parse::<f64>().is_err() => format!(
            "to fix the type, set its prior: `set = {{ {p} = 1 }}` makes {} `{ty}` for sure",
            pt.player.v
        ),
        _ => "to fix the type, give its prior probability a parameter and set it with \
              `set = { … = 1 }`"
            .into(),
    }
}
