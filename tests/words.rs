//! Words a reader understands: sentences in the model's `say` phrases and display names, never
//! node identifiers; numbers for people; each phrase said once; the model's source cited.

use crate::util::{deter_ok, repo, template};
use deter::report::{self, doc, render, Options};

fn quick() -> Options {
    Options {
        grid: 21,
        statics_points: 41,
        ..Options::default()
    }
}

/// True if `text` contains `word` as a whole identifier (not inside a longer one).
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        let ident = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        !ident(before) && !ident(after)
    })
}

#[test]
fn report_sentences_name_no_node() {
    for model in ["models/hedging.toml", "models/deterrence_dialogue.toml"] {
        let t = template(model);
        let r = report::build(&t, model, &quick()).unwrap();
        let md = render::markdown(&doc::document(&r));
        for name in &t.tree.node_names {
            assert!(
                !has_word(&md, name),
                "{model}: the report names node `{name}`:\n{md}"
            );
        }
        assert!(
            !md.contains("0.0e0") && !md.contains("e0 "),
            "{model}: {md}"
        );
    }
}

#[test]
fn report_uses_display_names_say_phrases_and_cites_its_source() {
    let t = template("models/hedging.toml");
    let r = report::build(&t, "models/hedging.toml", &quick()).unwrap();
    let md = render::markdown(&doc::document(&r));
    assert!(md.contains("Source: Lee (2023)"), "{md}");
    assert!(
        md.contains("Protégé hedges → Challenger does not challenge"),
        "{md}"
    );
    assert!(!md.contains("Protege"), "one name for the protégé:\n{md}");
    // Off-path moves are named by the moves that lead to them.
    assert!(
        md.contains("after Protégé aligns, Challenger challenges"),
        "{md}"
    );
    // A threshold that only restates its value is not repeated ("at psi0 = 0, where psi0 = 0").
    assert!(!md.contains("where psi0 = 0"), "{md}");
    assert!(
        md.contains("only moves off the path of play change"),
        "{md}"
    );
    // Switches are said in the model's words.
    assert!(
        md.contains("Defender switches from “supports” to “abandons”"),
        "{md}"
    );
}

#[test]
fn a_move_forced_at_two_nodes_is_said_once() {
    let text = std::fs::read_to_string(repo("models/hedging.toml"))
        .unwrap()
        .replace(
            "treatment = { force = { protege = \"hedge\" } }",
            "treatment = { force = { protege_a = \"realign\", protege_h = \"realign\" } }",
        );
    let t = deter::model::load("h.toml", text).template.unwrap();
    let r = report::build(&t, "h.toml", &quick()).unwrap();
    let q = &r.questions[0];
    assert_eq!(q.treatment, "Protégé realigns");
    let md = render::markdown(&doc::document(&r));
    assert!(!md.contains("realigns and Protégé realigns"), "{md}");
}

#[test]
fn solve_prints_numbers_for_people() {
    let s = deter_ok(&["solve", "models/hedging.toml", "--scenario", "post_2001"]);
    assert!(!s.contains("0.0e0") && !s.contains(".0e"), "{s}");
    assert!(s.contains("Protégé hedges → Challenger challenges"), "{s}");
}

#[test]
fn a_question_on_a_game_with_types_names_its_counterfactual_in_words() {
    // The question removes a move at `defender`, a node the game copies per type.
    let model = "models/unilateral_deterrence.toml";
    let t = template(model);
    let qs = deter::questions::prepare(&t).unwrap();
    let labels: Vec<&str> = qs
        .iter()
        .flat_map(|q| [q.treatment_label.as_str(), q.control_label.as_str()])
        .collect();
    assert!(
        labels.contains(&"if Defender's move “capitulates” is removed"),
        "{labels:?}"
    );
    assert!(labels.iter().all(|l| !l.contains('`')), "{labels:?}");
}

#[test]
fn the_report_on_a_game_with_types_says_outcomes_and_information_sets_in_words() {
    let model = "models/unilateral_deterrence.toml";
    let t = template(model);
    let r = report::build(&t, model, &quick()).unwrap();
    let md = render::markdown(&doc::document(&r));
    let outcomes: Vec<&str> = md.lines().filter(|l| l.starts_with("- Outcome:")).collect();
    assert!(!outcomes.is_empty(), "{md}");
    for l in &outcomes {
        // Leaves of a game with types are named per type profile (`SQ[hard,soft]`).
        assert!(!l.contains('['), "an outcome by its leaf's name: {l}");
    }
    assert!(
        md.contains("- Challenger at the start (the challenger is hard) — "),
        "{md}"
    );
    assert!(
        !md.lines().any(|l| l.starts_with("- ") && l.contains("   ")),
        "padded columns in a list item:\n{md}"
    );
}
