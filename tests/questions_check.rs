//! Report questions checked with the model (`deter check`), counterfactuals that fix
//! parameters, and parameter values written as fractions (`--set p_Def=2/3`, `"2/3"` in a
//! scenario), kept exact.

use crate::util::repo;
use deter::exact::{self, Rational};
use deter::model::{self, build, Counterfactual};
use std::process::Command;

fn hedging_text() -> String {
    std::fs::read_to_string(repo("models/hedging.toml")).expect("models/hedging.toml")
}

/// Loads `text` and returns each error as (the text it points at, message, hints).
fn errors(text: &str) -> Vec<(String, String, String)> {
    let loaded = model::load("q.toml", text.to_string());
    loaded
        .diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| {
            let at = d
                .span
                .as_ref()
                .map(|s| text[s.clone()].to_string())
                .unwrap_or_default();
            (at, d.message.clone(), d.hints.join(" | "))
        })
        .collect()
}

fn replace(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "the model no longer contains `{from}`");
    text.replacen(from, to, 1)
}

#[test]
fn every_misspelt_name_in_a_question_is_located_with_a_suggestion() {
    let t = hedging_text();
    let t = replace(
        &t,
        r#"event     = "challenge""#,
        r#"event     = "challeng""#,
    );
    let t = replace(
        &t,
        r#"treatment = { force = { protege = "hedge" } }"#,
        r#"treatment = { force = { protegee = "hedge" }, set = { c_DD = 1 } }"#,
    );
    let t = replace(
        &t,
        r#"control   = { force = { protege = "align" } }"#,
        r#"control   = { force = { protege = "algn" } }"#,
    );
    let t = replace(
        &t,
        r#"vary      = ["T", "c_D"]"#,
        r#"vary      = ["T", "c_d"]"#,
    );
    let errs = errors(&t);
    let find = |at: &str| {
        errs.iter()
            .find(|e| e.0 == at)
            .unwrap_or_else(|| panic!("no error at `{at}` in {errs:#?}"))
    };
    let (_, m, h) = find(r#""challeng""#);
    assert!(m.contains("event `challeng`"), "{m}");
    assert!(h.contains("`challenge`"), "{h}");
    let (_, m, h) = find("protegee");
    assert!(m.contains("unknown node"), "{m}");
    assert!(h.contains("`protege`"), "{h}");
    let (_, m, h) = find(r#""algn""#);
    assert!(m.contains("no move `algn`"), "{m}");
    assert!(h.contains("`align`"), "{h}");
    let (_, m, h) = find("c_DD");
    assert!(m.contains("unknown parameter"), "{m}");
    assert!(h.contains("`c_D`"), "{h}");
    let (_, m, h) = find(r#""c_d""#);
    assert!(m.contains("unknown parameter"), "{m}");
    assert!(h.contains("`c_D`"), "{h}");
    // Nothing else: a forced move that does not exist leaves the node as written.
    assert_eq!(errs.len(), 5, "{errs:#?}");
    // `deter check` says so, with file:line:col, and fails.
    let dir = std::env::temp_dir().join(format!("deter-qcheck-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("misspelt.toml");
    std::fs::write(&path, &t).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_deter"))
        .args(["check", "--short"])
        .arg(&path)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    let line = t
        .lines()
        .position(|l| l.contains("protegee"))
        .expect("the line")
        + 1;
    assert!(
        err.contains(&format!("misspelt.toml:{line}:")),
        "no location for the node: {err}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_typed_player_cannot_be_forced_and_the_hint_names_its_prior() {
    let t = std::fs::read_to_string(repo("models/unilateral_deterrence.toml")).unwrap();
    let t = replace(
        &t,
        r#"treatment = { remove = { defender = ["capitulate"] } }"#,
        r#"treatment = { force = { Challenger = "hard" } }"#,
    );
    let errs = errors(&t);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert_eq!(errs[0].0, "Challenger");
    assert!(errs[0].1.contains("private types"), "{}", errs[0].1);
    assert!(errs[0].2.contains("set = { p_Ch = 1 }"), "{}", errs[0].2);
}

#[test]
fn a_counterfactual_may_fix_parameters_exactly() {
    let text = hedging_text();
    let loaded = model::load("hedging.toml", text.clone());
    let base = loaded.template.expect("hedging loads");
    let mut cf = Counterfactual::default();
    let t_span = 0..0;
    cf.set.push((
        model::ast::Sp::new("T".to_string(), t_span.clone()),
        model::ast::Sp::new(1.0 / 3.0, t_span),
        Rational::new(1.into(), 3.into()),
    ));
    let (fixed, d) = build::build(&loaded.ast, &cf);
    let fixed = fixed.unwrap_or_else(|| panic!("{d:?}"));
    let t_id = base.params.lookup("T").unwrap();
    // Wherever the point puts T, the fixed game plays at T = 1/3.
    let mut theta = base.defaults();
    theta[t_id] = 0.9;
    let mut at_third = base.defaults();
    at_third[t_id] = 1.0 / 3.0;
    assert_eq!(
        fixed.instantiate(&theta).unwrap().payoffs,
        base.instantiate(&at_third).unwrap().payoffs
    );
    // Exactly: the payoffs are those at T = 1/3, not at the double nearest to it.
    let exact_theta: Vec<Rational> = theta.iter().map(|&x| exact::from_f64(x).unwrap()).collect();
    let mut third = exact_theta.clone();
    third[t_id] = Rational::new(1.into(), 3.into());
    let got = fixed.instantiate_exact(&exact_theta).unwrap().unwrap();
    let want = base.instantiate_exact(&third).unwrap().unwrap();
    assert_eq!(got.payoffs(), want.payoffs());
    // The parsed formulas no longer mention T (symbolic analyses see the value).
    assert!(fixed
        .formulas
        .iter()
        .all(|f| !format!("{:?}", f.ast).contains("Param(\"T\")")));
    assert!(base
        .formulas
        .iter()
        .any(|f| format!("{:?}", f.ast).contains("Param(\"T\")")));
}

#[test]
fn a_question_may_compare_parameter_values() {
    let t = hedging_text();
    let t = replace(
        &t,
        r#"treatment = { force = { protege = "hedge" } }"#,
        r#"treatment = { force = { protege = "hedge" }, set = { T = "1/3" } }"#,
    );
    let loaded = model::load("q.toml", t);
    assert!(
        loaded.diags.iter().all(|d| !d.is_error()),
        "{:?}",
        loaded.diags
    );
    let q = &loaded.ast.questions[0];
    assert_eq!(q.treatment.set.len(), 1);
    assert_eq!(q.treatment.set[0].2, Rational::new(1.into(), 3.into()));
    let prepared = deter::questions::prepare(loaded.template.as_ref().unwrap()).unwrap();
    assert!(
        prepared[0].treatment_label.contains("T = 0.333333"),
        "{}",
        prepared[0].treatment_label
    );
}

#[test]
fn fractions_in_set_and_in_scenarios_are_exact() {
    let text = std::fs::read_to_string(repo("models/unilateral_deterrence.toml")).unwrap();
    let text = replace(
        &text,
        "[scenarios.deterrence]\n",
        "[scenarios.at_pi_h]\np_Def = \"2/3\"\n\n[scenarios.deterrence]\n",
    );
    let loaded = model::load("u.toml", text.clone());
    let t = loaded
        .template
        .unwrap_or_else(|| panic!("{:?}", loaded.diags));
    let id = t.params.lookup("p_Def").unwrap();
    let two_thirds = Rational::new(2.into(), 3.into());
    let th = t.exact_point(&text, Some("at_pi_h"), &[]).unwrap();
    assert_eq!(th[id], two_thirds);
    // On the command line.
    let o = Command::new(env!("CARGO_BIN_EXE_deter"))
        .args(["solve", "--format", "json", "--set", "p_Def=2/3"])
        .arg(repo("models/unilateral_deterrence.toml"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let p = v["parameters"]["p_Def"]
        .as_f64()
        .expect("p_Def in the JSON");
    assert_eq!(p, 2.0 / 3.0);
    // The exact point is the boundary π_H = 2/3, where deterrence and separating meet in a
    // continuum: one component, which the double nearest 2/3 would not give.
    let near = Command::new(env!("CARGO_BIN_EXE_deter"))
        .args([
            "solve",
            "--format",
            "json",
            "--set",
            "p_Def=0.6666666666666666",
        ])
        .arg(repo("models/unilateral_deterrence.toml"))
        .output()
        .unwrap();
    let w: serde_json::Value = serde_json::from_slice(&near.stdout).unwrap();
    assert_ne!(
        v["equilibria"].as_array().map(Vec::len),
        w["equilibria"].as_array().map(Vec::len),
        "2/3 and the double nearest it solve alike: the fraction was not kept exact"
    );
    // A malformed value says what is accepted.
    let bad = Command::new(env!("CARGO_BIN_EXE_deter"))
        .args(["solve", "--set", "p_Def=2/0"])
        .arg(repo("models/unilateral_deterrence.toml"))
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("fraction such as 2/3"));
}
