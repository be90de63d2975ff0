//! Equilibrium sets in sweeps and question thresholds of games with information sets: the
//! unilateral deterrence game of docs/models/unilateral_deterrence.md (MODELS.md §1.1).

use crate::util::{repo, template};
use deter::exact::Rational;
use deter::regime::rational::of_f64;
use deter::regime::Evaluator;
use deter::solve::SolveOptions;
use deter::sweep::{Grid, Selection, Sweeper, VarySpec};
use std::process::{Command, Output};

const MODEL: &str = "models/unilateral_deterrence.toml";

fn deter(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_deter"))
        .args(args)
        .current_dir(repo(""))
        .output()
        .expect("run deter")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The CSV rows of `out` as maps from column name to field.
fn rows(out: &[u8]) -> Vec<std::collections::HashMap<String, String>> {
    let mut rd = csv::Reader::from_reader(out);
    let head: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
    rd.records()
        .map(|r| {
            let r = r.unwrap();
            head.iter()
                .cloned()
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect()
}

#[test]
fn a_sweep_of_a_game_with_types_reports_every_perfect_bayesian_equilibrium() {
    let t = template(MODEL);
    let p = t.params.id("p_Def").unwrap();
    let grid = Grid::new(vec![VarySpec::parse("p_Def=0:1:9", &t.params).unwrap()]).unwrap();
    let sw = Sweeper::new(&t, t.defaults(), grid, None).unwrap();
    assert_eq!(
        sw.method.name(),
        "pbe",
        "the default for a game of private types"
    );
    assert!(sw.sets());
    // The exact regime sets at the same points, as `deter thresholds` computes them.
    let mut ev = Evaluator::new(&t, SolveOptions::default());
    let base: Vec<Rational> = t.defaults().iter().map(|&x| of_f64(x).unwrap()).collect();
    let mut several = 0;
    for r in sw.rows(0..9).unwrap() {
        let mut theta = base.clone();
        theta[p] = of_f64(r.params[0]).unwrap();
        let want = ev.at(&theta).unwrap();
        assert_eq!(r.n_equilibria, want.equilibria, "p_Def = {}", r.params[0]);
        assert_eq!(&*r.regime, want.describe(), "p_Def = {}", r.params[0]);
        assert!(r.max_regret <= 1e-9);
        if want.regimes.len() > 1 {
            several += 1;
            // Equilibria with different outcomes: the row names each, and leaves the
            // probability of initiation empty rather than showing the first's.
            assert!(r.outcome.contains(" | "), "{}", r.outcome);
            let init = t.tree.event_id("initiate").unwrap().ix();
            assert!(r.events[init].is_nan(), "{:?}", r.events);
        }
    }
    assert!(
        several >= 4,
        "p_Def < 2/3 has several regimes at each point"
    );
}

#[test]
fn cli_sweep_modality_says_where_the_equilibria_disagree() {
    let o = deter(&["sweep", MODEL, "--vary", "p_Def=0:1:3"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("solver pbe (default)"),
        "{}",
        text(&o.stderr)
    );
    let rows = rows(&o.stdout);
    assert_eq!(rows.len(), 3);
    for r in &rows {
        let n: usize = r["n_equilibria"].parse().unwrap();
        let answer = &r["question:commitment_deters"];
        let modality = &r["question:commitment_deters:modality"];
        // Several regimes (p_Def = 0 and 1/2, below π_H = 2/3): the answers differ between
        // the equilibria, and the row says both and "some".
        if r["regime"].contains(" or ") {
            assert!(n > 1, "{r:?}");
            assert_eq!(modality, "some", "{r:?}");
            assert_eq!(answer, "deters or no effect", "{r:?}");
        } else {
            assert_eq!(n, 1, "{r:?}");
            assert_eq!(modality, "every", "{r:?}");
        }
    }
    assert_eq!(rows[2]["regime"], "pooling: SQ");
    assert!(rows[0]["regime"].contains(" or "));
}

#[test]
fn cli_select_first_listed_gives_one_equilibrium_per_point_and_says_so() {
    let o = deter(&[
        "sweep",
        MODEL,
        "--vary",
        "p_Def=0:1:5",
        "--select",
        "first-listed",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("--select first-listed"),
        "{}",
        text(&o.stderr)
    );
    let rows = rows(&o.stdout);
    assert_eq!(rows.len(), 5);
    let mut several = false;
    for r in &rows {
        // One equilibrium described: one regime, one outcome, every value present; the count
        // still says how many there were.
        assert!(!r["regime"].contains(" or "), "{r:?}");
        assert!(!r["outcome"].contains(" | "), "{r:?}");
        assert!(!r["event:initiate"].is_empty(), "{r:?}");
        several |= r["n_equilibria"].parse::<usize>().unwrap() > 1;
        // The selection's answer, and whether it holds in every equilibrium.
        assert!(["deters", "no effect"].contains(&r["question:commitment_deters"].as_str()));
    }
    assert!(several);
    // Unknown selections are refused with the choices.
    let o = deter(&["sweep", MODEL, "--vary", "p_Def=0:1:3", "--select", "first"]);
    assert!(!o.status.success());
    let e = text(&o.stderr);
    assert!(
        e.contains("unknown selection `first`") && e.contains("first-listed, intuitive, d1"),
        "{e}"
    );
    // Refinements need information sets.
    let o = deter(&[
        "sweep",
        "models/hedging.toml",
        "--vary",
        "T=0:1:3",
        "--select",
        "d1",
    ]);
    assert!(!o.status.success());
    assert!(text(&o.stderr).contains("perfect information"));
}

#[test]
fn select_d1_keeps_the_survivors_of_every_point() {
    let t = template(MODEL);
    let grid = Grid::new(vec![VarySpec::parse("p_Def=0.1:0.9:5", &t.params).unwrap()]).unwrap();
    let mut sw = Sweeper::new(&t, t.defaults(), grid, None).unwrap();
    sw.select(Selection::D1).unwrap();
    let all = Sweeper::new(&t, t.defaults(), sw.grid.clone(), None).unwrap();
    for (d1, every) in sw.rows(0..5).unwrap().iter().zip(all.rows(0..5).unwrap()) {
        assert!(d1.n_equilibria >= 1 && d1.n_equilibria <= every.n_equilibria);
        // Each surviving regime is one of the unrefined set's.
        for label in d1.regime.split(" or ") {
            assert!(every.regime.split(" or ").any(|l| l == label), "{d1:?}");
        }
    }
}

#[test]
fn a_question_on_a_game_with_types_changes_its_answer_set_at_pi_h_exactly() {
    // π_H = (1 − s)/(1 − c_H) = 2/3 at the model's defaults (docs/models/unilateral_deterrence.md).
    let t = template(MODEL);
    let s = t.defaults()[t.params.id("s").unwrap()];
    let c_h = t.defaults()[t.params.id("c_H").unwrap()];
    let pi_h = of_f64(1.0 - s).unwrap() / of_f64(1.0 - c_h).unwrap();
    let o = deter(&[
        "thresholds",
        MODEL,
        "--vary",
        "p_Def=0:1",
        "--questions",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let q = &v["questions"][0];
    assert_eq!(q["question"], "commitment_deters");
    let changes = q["changes"].as_array().unwrap();
    let at = changes
        .iter()
        .find(|c| c["exact"] == true && c["exact_value"] == deter::exact::display(&pi_h))
        .unwrap_or_else(|| panic!("no verified change at π_H: {changes:?}"));
    // Below π_H some equilibria deter and some do not; above, none does.
    assert_eq!(at["left"], serde_json::json!(["deters", "has no effect"]));
    assert_eq!(at["right"], serde_json::json!(["has no effect"]));
    let o = deter(&["thresholds", MODEL, "--vary", "p_Def=0:1", "--questions"]);
    let out = text(&o.stdout);
    assert!(
        out.contains("p_Def = 2/3 (exact, verified): deters in some equilibria, has no effect in others → has no effect in every equilibrium"),
        "{out}"
    );
}

#[test]
fn cli_sweep_plot_of_a_game_with_types_is_a_regime_map() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("regimes.svg");
    let csv = dir.path().join("regimes.csv");
    let o = deter(&[
        "sweep",
        MODEL,
        "--vary",
        "p_Def=0:1:11",
        "--vary",
        "p_Ch=0:1:11",
        "--plot",
        svg.to_str().unwrap(),
        "--out",
        csv.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let drawn = std::fs::read_to_string(&svg).unwrap();
    assert!(drawn.contains("regimes (every equilibrium at each point)"));
    // Every regime set of the file is a legend entry.
    let rows = rows(&std::fs::read(&csv).unwrap());
    let mut labels: Vec<&str> = rows.iter().map(|r| r["regime"].as_str()).collect();
    labels.sort();
    labels.dedup();
    assert!(labels.len() >= 4, "{labels:?}");
    for l in &labels {
        let escaped = l.replace('&', "&amp;");
        assert!(drawn.contains(&format!(">{escaped}<")), "legend lacks {l}");
    }
    for regime in ["pooling: SQ", "separating: SQ, DC, DD"] {
        assert!(labels.iter().any(|l| l.contains(regime)), "{labels:?}");
    }
    // `deter plot` of the file draws the same map.
    let again = dir.path().join("again.svg");
    let o = deter(&[
        "plot",
        csv.to_str().unwrap(),
        "--out",
        again.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(std::fs::read(&again).unwrap(), drawn.into_bytes());
}
