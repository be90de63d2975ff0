//! Regimes of games with information sets (thresholds, regions, the report) and the exact
//! share of a linear region of a question map.

use crate::util::{repo, template, theta};
use deter::report::{self, doc, Options};
use std::process::{Command, Output};

fn deter(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_deter"))
        .args(args)
        .current_dir(repo(""))
        .output()
        .expect("run deter")
}

#[test]
fn thresholds_of_a_game_with_types_are_the_regime_boundaries_exactly() {
    // docs/models/unilateral_deterrence.md: π_S = 1 − s and π_H = (1 − s)/(1 − c_H) at the
    // model's s = 0.5, c_H = 0.25.
    let o = deter(&[
        "thresholds",
        "models/unilateral_deterrence.toml",
        "--vary",
        "p_Def",
        "--format",
        "json",
        "--refine",
        "d1",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["schema"], "deter.regimes/1");
    let inside: Vec<&serde_json::Value> = v["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter(|c| c["value"].as_f64().is_some_and(|x| x > 0.0 && x < 1.0))
        .collect();
    let exact: Vec<&str> = inside
        .iter()
        .map(|c| c["exact_value"].as_str().unwrap_or("not exact"))
        .collect();
    assert_eq!(exact, ["1/2", "2/3"], "{v:#}");
    // In the model's symbols: π_S = 1 − s and π_H = (1 − s)/(1 − c_H).
    let formulas: Vec<&str> = inside
        .iter()
        .map(|c| c["formula"].as_str().unwrap_or("none"))
        .collect();
    assert_eq!(formulas, ["1 - s", "(1 - s)/(1 - c_H)"], "{v:#}");
    // D1: one regime on each side of each change.
    for c in &inside {
        assert_eq!(
            c["left"]["regimes"].as_array().map(Vec::len),
            Some(1),
            "{c:#}"
        );
        assert_eq!(
            c["right"]["regimes"].as_array().map(Vec::len),
            Some(1),
            "{c:#}"
        );
    }
    // Text: several equilibria are named, never only the first.
    let o = deter(&[
        "thresholds",
        "models/unilateral_deterrence.toml",
        "--vary",
        "p_Def=0.55:0.65",
    ]);
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(s.contains("pooling: SQ or separating: SQ, DC, DD"), "{s}");
}

#[test]
fn an_irrational_boundary_is_isolated_exactly() {
    // tests/models/unilateral_squared.toml: the hard challenger values war at k², so with D1
    // deterrence ends where p_Def·(1 − k²) = 1 − s, at k = √(2/7) for p_Def = 0.7, s = 0.5.
    let o = deter(&[
        "thresholds",
        "tests/models/unilateral_squared.toml",
        "--vary",
        "k",
        "--refine",
        "d1",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let roots: Vec<&serde_json::Value> = v["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter(|c| !c["root"].is_null())
        .collect();
    assert_eq!(roots.len(), 1, "{v:#}");
    let r = &roots[0]["root"];
    assert_eq!(r["polynomial"], "k^2 - 2/7", "{v:#}");
    let q = |k: &str| deter::exact::parse(r[k].as_str().expect("exact end")).expect("rational");
    let (lo, hi) = (q("lo"), q("hi"));
    let two_sevenths = deter::exact::parse("2/7").expect("2/7");
    // The interval holds √(2/7), exactly, and is narrow.
    assert!(
        &lo * &lo < two_sevenths && two_sevenths < &hi * &hi,
        "{r:#}"
    );
    assert!(r["approx"]
        .as_f64()
        .is_some_and(|x| (x - (2.0f64 / 7.0).sqrt()).abs() < 1e-6));
    assert_eq!(roots[0]["exact"], false);
    let o = deter(&[
        "thresholds",
        "tests/models/unilateral_squared.toml",
        "--vary",
        "k",
        "--refine",
        "d1",
    ]);
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(s.contains("k = the root of k^2 - 2/7 in [0.534522"), "{s}");
    assert!(
        s.contains("(exact: Sturm isolation, verified at both ends)"),
        "{s}"
    );
}

#[test]
fn regions_map_states_each_regime_as_inequalities() {
    let o = deter(&[
        "regions",
        "models/unilateral_deterrence.toml",
        "--map",
        "p_Def=0:1",
        "--map",
        "p_Ch=0:1",
        "--cells",
        "12",
        "--refine",
        "d1",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let s = String::from_utf8_lossy(&o.stdout);
    for want in [
        "(16.7% of the map): where p_Def < 1/2 and p_Ch < 1/3",
        "(33.3% of the map): where p_Def < 1/2 and p_Ch > 1/3",
        "(16.7% of the map): where 1/2 < p_Def < 2/3",
        "(33.3% of the map): where p_Def > 2/3",
        // The same regimes in the model's symbols (π_S, π_H, μ̄ of MODELS.md §1.1).
        "semi-separating: SQ, DC, DD, CD: when p_Def < 1 - s and p_Ch < 1/(1 - d_S)",
        "pooling: DC, DD, CD: when p_Def ≤ 1 - s and p_Ch ≥ 1/(1 - d_S)",
        "separating: SQ, DC, DD: when 1 - s ≤ p_Def ≤ (1 - s)/(1 - c_H)",
        "pooling: SQ: when p_Def ≥ (1 - s)/(1 - c_H)",
    ] {
        assert!(s.contains(want), "missing `{want}` in\n{s}");
    }
    // With D1 each point has one regime: nothing coexists.
    assert!(!s.contains("coexist"), "{s}");
}

#[test]
fn extended_deterrence_map_is_drawn_from_exact_conditions() {
    // After a demand and a resistance nobody makes, the defender's belief is free over two
    // players' types: eliminated exactly, so pooling: SQ has exact conditions (MODELS.md §1.1
    // with the protégé) and the regions are drawn from them.
    let o = deter(&[
        "regions",
        "models/extended_deterrence.toml",
        "--map",
        "p_Def=0:1",
        "--map",
        "p_Ch=0:1",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(!s.contains("sufficient") && !s.contains("not drawn"), "{s}");
    for want in [
        "Regions drawn exactly",
        "pooling: SQ or separating: SQ, PY, DC, DD (20.8% of the map): where 5/8 < p_Def < 5/6",
        "pooling: SQ (16.7% of the map): where p_Def > 5/6",
        // Where the regime depends on the equilibrium played, as the report says it.
        "Equilibria of several regimes coexist on 83.3% of the map (the regions named with \"or\"): \
         there, which regime is seen depends on which equilibrium is played.",
        "pooling: SQ: everywhere on the map, given w*c_H - w*y + s - c_H ≥ 0 and s - w*y ≥ 0",
        "or when p_Def ≥ (w*y - w - s + 1)/((w - 1)*(c_H - 1)) (here p_Def ≥ 5/6)",
    ] {
        assert!(s.contains(want), "missing `{want}` in\n{s}");
    }
    // The report states the same, and where the answer depends on the equilibrium played.
    let out = std::env::temp_dir().join(format!("deter-extended-{}", std::process::id()));
    let o = deter(&[
        "report",
        "models/extended_deterrence.toml",
        "--out",
        out.to_str().expect("a path"),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let md = std::fs::read_to_string(out.join("report.md")).expect("report.md");
    let _ = std::fs::remove_dir_all(&out);
    assert!(
        !md.contains("sufficient only") && !md.contains("not drawn"),
        "{md}"
    );
    assert!(md.contains("Regions drawn exactly"), "{md}");
    assert!(
        md.contains("Equilibria of several regimes coexist on 83.3% of the map"),
        "{md}"
    );
}

#[test]
fn report_on_a_game_with_types_fills_every_section() {
    let t = template("models/unilateral_deterrence.toml");
    let r = report::build(&t, "models/unilateral_deterrence.toml", &Options::default())
        .expect("report");
    let s = r.regimes.as_ref().expect("a regimes section");
    assert!(s.map_svg.is_some(), "{:?}", s.notes);
    // Every point is solved, with its equilibria (baseline and four scenarios).
    assert_eq!(s.points.len(), 1 + t.scenarios.len());
    assert!(s.points.iter().all(|p| !p.equilibria.is_empty()));
    // The map's regimes: rectangles cut at π_S = 1/2, π_H = 2/3 and μ̄ = 1/3.
    let lines = s.map_lines.join("\n");
    for want in [
        "where p_Def < 1/2 and p_Ch < 1/3",
        "where p_Def < 1/2 and p_Ch > 1/3",
        "where 1/2 < p_Def < 2/3",
        "where p_Def > 2/3",
    ] {
        assert!(lines.contains(want), "missing `{want}` in\n{lines}");
    }
    // Scenarios differ from the baseline only in the mapped parameters: all marked.
    assert!(s.notes.is_empty(), "{:?}", s.notes);
    let text: String = doc::document(&r)
        .iter()
        .map(|b| format!("{b:?}"))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(!text.contains("backward induction"), "{text}");
    assert!(!text.contains("omitted"), "{text}");
    assert!(!text.contains("not computed"), "{text}");
    assert!(text.contains("Regime map over p_Def and p_Ch"));
    // The question is answered at every point, in every equilibrium.
    assert_eq!(s.questions.len(), 1);
    assert!(s.questions[0]
        .answers
        .iter()
        .all(|(_, a)| a.contains("P(initiate)")));
}

#[test]
fn hedging_deters_on_an_exact_share_of_its_map() {
    // models/hedging.toml at cold_war: hedging deters where T > 0.2 and 1 < c_D < 3 − 0.5·T,
    // on T ∈ [0, 1], c_D ∈ [0, 3]: ∫_{0.2}^{1} (2 − 0.5·T) dT / 3 = 1.36 / 3.
    let t = template("models/hedging.toml");
    let q = deter::questions::prepare(&t).expect("questions").remove(0);
    let base = theta(&t, Some("cold_war"), &[]);
    let (tt, cd) = (
        t.params.id("T").expect("T"),
        t.params.id("c_D").expect("c_D"),
    );
    let want = 1.36 / 3.0;
    for n in [21, 41, 121] {
        let m = deter::questions::question_map(&q, &base, (tt, cd), ((0.0, 1.0), (0.0, 3.0)), n)
            .expect("map");
        let r = deter::questions::map_regions(&q, &base, &m, deter::questions::Effect::Lower);
        assert_eq!(r.len(), 1, "{r:#?}");
        assert!((r[0].share - want).abs() < 1e-12, "{n}: {}", r[0].share);
        let s = deter::questions::region_sentences(&q, &base, tt, cd, (0.0, 1.0), (0.0, 3.0), n)
            .expect("sentences");
        assert!(s[0].contains("(45.3% of the map"), "{s:?}");
    }
}

/// `--select` names which equilibria `thresholds`, `regions` and `report` describe, with the
/// same names and meaning as in `sweep`, and the output says which.
#[test]
fn select_names_the_equilibria_described_everywhere() {
    // first-listed: one regime per stretch, from the first equilibrium pbe lists.
    let o = deter(&[
        "thresholds",
        "models/unilateral_deterrence.toml",
        "--vary",
        "p_Def",
        "--grid",
        "24",
        "--select",
        "first-listed",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["select"], "first-listed");
    for seg in v["segments"].as_array().expect("segments") {
        assert_eq!(
            seg["regimes"]["regimes"].as_array().map(Vec::len),
            Some(1),
            "{seg:#}"
        );
    }
    // d1 is the refinement: the same boundaries as --refine d1, said in the first line.
    let o = deter(&[
        "thresholds",
        "models/unilateral_deterrence.toml",
        "--vary",
        "p_Def",
        "--grid",
        "24",
        "--select",
        "d1",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(s.lines().next().unwrap_or("").contains("passes D1"), "{s}");
    assert!(s.contains("p_Def = 2/3 (exact, verified)"), "{s}");
    // Two different refinements: an error that says so.
    let o = deter(&[
        "regions",
        "models/unilateral_deterrence.toml",
        "--select",
        "d1",
        "--refine",
        "intuitive",
    ]);
    assert!(!o.status.success());
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("name different refinements"), "{e}");
    // An unknown name lists the choices.
    let o = deter(&[
        "regions",
        "models/unilateral_deterrence.toml",
        "--select",
        "logit_limit",
    ]);
    assert!(!o.status.success());
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("did you mean `logit-limit`"), "{e}");
    // A perfect-information game: first-listed is the tie rule, said so.
    let o = deter(&[
        "thresholds",
        "models/hedging.toml",
        "--vary",
        "T",
        "--select",
        "first-listed",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("the tie rule's equilibrium"));
}

#[test]
fn report_header_names_the_selection() {
    let t = template("models/unilateral_deterrence.toml");
    let opts = Options {
        select: deter::regime::Selection::D1,
        grid: 8,
        ..Options::default()
    };
    let r = report::build(&t, "models/unilateral_deterrence.toml", &opts).expect("report");
    let sel = r.selection.as_deref().expect("a selection sentence");
    assert!(sel.contains("D1"), "{sel}");
    let s = r.regimes.as_ref().expect("a regimes section");
    assert!(s.concept.contains("D1"), "{}", s.concept);
    // D1 leaves one regime at every point of the unilateral game's scenarios.
    for p in &s.points {
        assert!(!p.regimes.contains(" or "), "{}: {}", p.name, p.regimes);
    }
    // A refinement on a perfect-information game is refused with a hint.
    let h = template("models/hedging.toml");
    let e = report::build(&h, "models/hedging.toml", &opts)
        .expect_err("refused")
        .to_string();
    assert!(e.contains("--select first-listed"), "{e}");
}
