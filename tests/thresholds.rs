//! Thresholds, regions and questions against the analytic results of docs/models/hedging.md and docs/models/deterrence_dialogue.md.

use crate::util::{template, theta};
use deter::questions::{self, question_thresholds, region_sentences, Effect, PreparedQuestion};
use deter::regions::node_conditions;
use deter::thresholds::{thresholds, Threshold, ThresholdOptions};

fn along(file: &str, scenario: Option<&str>, sets: &[(&str, f64)], name: &str) -> Vec<Threshold> {
    let t = template(file);
    let base = theta(&t, scenario, sets);
    let p = t.params.id(name).unwrap();
    let (lo, hi) = t.params.ranges[p].unwrap();
    thresholds(&t, &base, p, lo, hi, &ThresholdOptions::default()).unwrap()
}

/// The threshold nearest `want`, asserted within 1e-9 and exact.
fn has(ts: &[Threshold], want: f64) -> &Threshold {
    let th = ts
        .iter()
        .min_by(|a, b| (a.value - want).abs().total_cmp(&(b.value - want).abs()))
        .unwrap_or_else(|| panic!("no thresholds; want {want}"));
    assert!(
        (th.value - want).abs() <= 1e-9,
        "nearest threshold to {want} is {}: {ts:#?}",
        th.value
    );
    assert!(th.exact, "threshold {want} not exact");
    th
}

const HEDGING: &str = "models/hedging.toml";
const DIALOGUE: &str = "models/deterrence_dialogue.toml";

#[test]
fn hedging_thresholds_along_ties() {
    // docs/models/hedging.md: T* = -psi0/beta = 0.2/1 = 0.2 (P's realignment becomes credible).
    let ts = along(HEDGING, Some("cold_war"), &[], "T");
    let th = has(&ts, 0.2);
    assert_eq!(th.labels, ("acquiesce".into(), "realign".into()));
    // Post-2001 with c_D = 1.05: the window's upper end (L - (c_D - a))/lambda
    // = (0.5 - 0.05)/1 = 0.45 (docs/models/hedging.md, "the window is T ∈ (.2, .45)").
    let ts = along(HEDGING, Some("post_2001"), &[("c_D", 1.05)], "T");
    has(&ts, 0.2);
    let th = has(&ts, 0.45);
    assert_eq!(th.labels, ("support".into(), "abandon".into()));
}

#[test]
fn hedging_thresholds_along_cost_of_support() {
    // docs/models/hedging.md: D supports an aligned P iff c_D < a = 1; a hedger iff
    // c_D < a + L - lambda*T: cold war 1 + 2 - 0.5*0.3 = 2.85, post-2001 1 + 0.5 - 0.8 = 0.7.
    let ts = along(HEDGING, Some("cold_war"), &[], "c_D");
    has(&ts, 1.0);
    let th = has(&ts, 2.85);
    assert_eq!(th.condition.as_deref(), Some("c_D > a - lambda*T + L"));
    assert!(th.outcome_changes);
    let ts = along(HEDGING, Some("post_2001"), &[], "c_D");
    has(&ts, 1.0);
    has(&ts, 0.7);
}

#[test]
fn dialogue_thresholds() {
    // docs/models/deterrence_dialogue.md oracle point (a0 = 1, sigma = .5, c_D = 1.2): D responds after commitment
    // and dialogue iff c_D < a0 + alpha - sigma, i.e. alpha > sigma + c_D - a0 = 0.7.
    let ts = along(DIALOGUE, None, &[], "alpha");
    has(&ts, 0.7);
    // Along c_D (alpha = 1): a0 - sigma = 0.5, a0 = 1, a0 + alpha - sigma = 1.5.
    let ts = along(DIALOGUE, None, &[], "c_D");
    for want in [0.5, 1.0, 1.5] {
        has(&ts, want);
    }
}

#[test]
fn defender_condition_prints_as_inequality() {
    // docs/models/hedging.md: D supports a hedger iff c_D < a_H + L with a_H = a - lambda*T.
    let t = template(HEDGING);
    let th = theta(&t, Some("cold_war"), &[]);
    let id = t
        .tree
        .node_names
        .iter()
        .position(|n| n == "defender_h")
        .unwrap();
    let ncs = node_conditions(&t, &th).unwrap();
    let nc = ncs.iter().find(|c| c.node.ix() == id).unwrap();
    assert_eq!(nc.alternatives[0].1.to_string(), "c_D < a - lambda*T + L");
    assert_eq!(
        nc.describe(&t.tree, &[], None),
        "Defender supports at `defender_h` iff c_D < a - lambda*T + L"
    );
}

fn question(file: &str, name: &str) -> (deter::model::GameTemplate, PreparedQuestion) {
    let t = template(file);
    let q = questions::prepare(&t)
        .unwrap()
        .into_iter()
        .find(|q| q.def.name.v == name)
        .unwrap();
    (t, q)
}

#[test]
fn hedging_deters_in_cold_war_and_provokes_after_2001() {
    // docs/models/hedging.md calibration: cold war (c_D = 1.5 in (1, 2.85)) hedging deters; post-2001
    // (c_D = .85 in (.7, 1)) hedging provokes.
    let (t, q) = question(HEDGING, "hedging_deters");
    let a = q.answer(&theta(&t, Some("cold_war"), &[])).unwrap();
    assert_eq!(a.effect, Effect::Lower, "{}", a.why);
    assert_eq!((a.p_control, a.p_treatment), (1.0, 0.0));
    assert!(a.why.contains("c_D > a"), "{}", a.why);
    assert!(a.why.contains("c_D < a - lambda*T + L"), "{}", a.why);
    let a = q.answer(&theta(&t, Some("post_2001"), &[])).unwrap();
    assert_eq!(a.effect, Effect::Higher, "{}", a.why);
}

#[test]
fn hedging_region_sentences_state_the_deterrence_region() {
    // docs/models/hedging.md: hedging deters iff T > T* = 0.2, c_D > a = 1 and c_D < a + L - lambda*T.
    let (t, q) = question(HEDGING, "hedging_deters");
    let base = theta(&t, Some("cold_war"), &[]);
    let (x, y) = (q.vary[0], q.vary[1]);
    let s = region_sentences(&q, &base, x, y, (0.0, 1.0), (0.0, 3.0), 40).unwrap();
    let deters = s.iter().find(|s| s.starts_with("Hedging deters")).unwrap();
    for part in [
        "T > 0.2 and 1 < c_D < 3 - 0.5*T",
        "(in the model's terms: T > -psi0/beta and a < c_D < a - lambda*T + L)",
    ] {
        assert!(deters.contains(part), "{part} missing from {deters}");
    }
    assert!(
        s.iter().any(|s| s.starts_with("Hedging provokes")),
        "{s:#?}"
    );
}

#[test]
fn commitment_sustains_dialogue_iff_alpha_covers_dilution() {
    // docs/models/deterrence_dialogue.md: dialogue survives under commitment only if alpha > sigma + (c_D - a0)
    // = 0.5 + 0.2 = 0.7 at the oracle point; without commitment it would need
    // c_D < a0 - sigma = 0.5, which fails at c_D = 1.2.
    let (t, q) = question(DIALOGUE, "commitment_sustains_dialogue");
    let alpha = t.params.id("alpha").unwrap();
    let qs = question_thresholds(&q, &t.defaults(), alpha, 0.0, 2.0, &Default::default()).unwrap();
    // The tie rule's answer changes once, at 0.7.
    let pick: Vec<_> = qs.iter().filter(|q| q.left != q.right).collect();
    assert_eq!(pick.len(), 1, "{qs:#?}");
    assert!((pick[0].value - 0.7).abs() <= 1e-9 && pick[0].exact);
    assert_eq!(
        (pick[0].left, pick[0].right),
        (Effect::None, Effect::Higher)
    );
    // The protégé's tie at the baseline (without commitment) lets other equilibria answer
    // differently; the set of answers changes where the defender starts to respond after the
    // protégé declines dialogue (alpha = c_D - a0 = 0.2): "sustains dialogue" is no longer an
    // answer of any equilibrium until 0.7.
    let sets: Vec<_> = qs.iter().filter(|q| q.left == q.right).collect();
    assert_eq!(sets.len(), 1, "{qs:#?}");
    assert!((sets[0].value - 0.2).abs() <= 1e-9 && sets[0].exact);
    assert!(
        sets[0].left_set.higher && !sets[0].right_set.higher,
        "{qs:#?}"
    );
    assert!(pick[0].left_set.tied() && pick[0].right_set.higher);
    for (a, want) in [(0.7 - 1e-6, Effect::None), (0.7 + 1e-6, Effect::Higher)] {
        let th = theta(&t, None, &[("alpha", a)]);
        assert_eq!(q.answer(&th).unwrap().effect, want, "alpha = {a}");
    }
}
#[test]
fn dialogue_region_sentence_states_the_complementarity() {
    // docs/models/deterrence_dialogue.md: with delta_C < g, dialogue is safe under commitment m iff
    // c_D < a0 + alpha*m - sigma; so commitment sustains dialogue when
    // a0 - sigma <= c_D < a0 + alpha - sigma. Above c_D = a0, though, the protégé is
    // indifferent without commitment (provoked and unanswered either way) and that tie decides:
    // in every subgame-perfect equilibrium the region also needs c_D < a0.
    let (t, q) = question(DIALOGUE, "commitment_sustains_dialogue");
    let (x, y) = (q.vary[0], q.vary[1]);
    let s = region_sentences(&q, &t.defaults(), x, y, (0.0, 2.0), (0.0, 3.0), 40).unwrap();
    assert_eq!(s.len(), 2, "{s:#?}");
    assert!(
        s[0].starts_with("A reinforced commitment sustains dialogue"),
        "{}",
        s[0]
    );
    for part in [
        "c_D > 0.5 and c_D < 0.5 + alpha and c_D < 1",
        "(in the model's terms: c_D > a0 - sigma and c_D < a0 + alpha - sigma and c_D < a0)",
    ] {
        assert!(s[0].contains(part), "{part} missing from {}", s[0]);
    }
    assert!(
        s[1].contains("how it breaks the tie decides the answer"),
        "{}",
        s[1]
    );
}

fn deter(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_deter"))
        .args(args)
        .current_dir(crate::util::repo(""))
        .output()
        .unwrap()
}

#[test]
fn cli_thresholds_text_and_json() {
    // docs/models/hedging.md: T* = -psi0/beta = 0.2 at the cold-war point.
    let o = deter(&[
        "thresholds",
        "models/hedging.toml",
        "--vary",
        "T=0:1",
        "--scenario",
        "cold_war",
        "--questions",
    ]);
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        s.contains(
            "T = 0.2 (exact): after Protégé hedges → Challenger challenges → Defender abandons, \
             Protégé switches from “acquiesces” to “realigns”"
        ),
        "{s}"
    );
    // Sentences name players and moves in the model's words, never node ids.
    assert!(!s.contains("protege_h") && !s.contains("Protege "), "{s}");
    assert!(
        s.contains("T = 0.2 (exact): hedging has no effect → deters"),
        "{s}"
    );
    // docs/models/deterrence_dialogue.md: D responds after commitment and dialogue iff alpha > sigma + c_D - a0 = 0.7.
    let o = deter(&[
        "thresholds",
        "models/deterrence_dialogue.toml",
        "--vary",
        "alpha=0:2",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let values: Vec<f64> = v["thresholds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["value"].as_f64().unwrap())
        .collect();
    assert!(values.iter().any(|x| (x - 0.7).abs() <= 1e-9), "{values:?}");
}

#[test]
fn cli_regions_and_errors() {
    let o = deter(&["regions", "models/hedging.toml", "--scenario", "cold_war"]);
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(
        s.contains("Defender supports at `defender_h` iff c_D < a - lambda*T + L"),
        "{s}"
    );
    // docs/models/deterrence_dialogue.md: commitment sustains dialogue iff a0 - sigma < c_D < a0 + alpha - sigma.
    let o = deter(&[
        "regions",
        "models/deterrence_dialogue.toml",
        "--map",
        "alpha=0:2",
        "--map",
        "c_D=0:3",
    ]);
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        s.contains("A reinforced commitment sustains dialogue"),
        "{s}"
    );
    assert!(
        s.contains("c_D > a0 - sigma and c_D < a0 + alpha - sigma and c_D < a0"),
        "{s}"
    );
    assert!(
        s.contains("how it breaks the tie decides the answer"),
        "{s}"
    );
    let o = deter(&["thresholds", "models/hedging.toml", "--vary", "Tee=0:1"]);
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("unknown parameter `Tee`"), "{e}");
}

#[test]
fn hedging_answer_changes_at_the_analytic_boundaries() {
    // docs/models/hedging.md: cold war, hedging deters for c_D in (a, a + L - lambda*T) = (1, 2.85);
    // post-2001, it provokes for c_D in (a + L - lambda*T, a) = (0.7, 1); with c_D = 1.05
    // after 2001 it deters in the window of ties T in (T*, (L - (c_D - a))/lambda)
    // = (0.2, 0.45).
    let (t, q) = question(HEDGING, "hedging_deters");
    let c_d = t.params.id("c_D").unwrap();
    let tt = t.params.id("T").unwrap();
    let cases = [
        (
            "cold_war",
            vec![],
            c_d,
            (0.0, 3.0),
            [
                (1.0, Effect::None, Effect::Lower),
                (2.85, Effect::Lower, Effect::None),
            ],
        ),
        (
            "post_2001",
            vec![],
            c_d,
            (0.0, 3.0),
            [
                (0.7, Effect::None, Effect::Higher),
                (1.0, Effect::Higher, Effect::None),
            ],
        ),
        (
            "post_2001",
            vec![("c_D", 1.05)],
            tt,
            (0.0, 1.0),
            [
                (0.2, Effect::None, Effect::Lower),
                (0.45, Effect::Lower, Effect::None),
            ],
        ),
    ];
    for (scenario, sets, p, (lo, hi), want) in cases {
        let base = theta(&t, Some(scenario), &sets);
        let got = question_thresholds(&q, &base, p, lo, hi, &Default::default()).unwrap();
        assert_eq!(got.len(), want.len(), "{scenario}: {got:#?}");
        for (g, (v, l, r)) in got.iter().zip(want) {
            assert!((g.value - v).abs() <= 1e-9 && g.exact, "{scenario}: {g:#?}");
            assert_eq!((g.left, g.right), (l, r), "{scenario} at {v}");
        }
    }
}

#[test]
fn hedging_outcome_regions() {
    // docs/models/hedging.md calibration: at the cold-war point the SPE is "P hedges, C does not
    // challenge" (status_quo_h) for c_D in (1, 2.85) once T > T* = 0.2.
    let t = template(HEDGING);
    let base = theta(&t, Some("cold_war"), &[]);
    let (x, y) = (t.params.id("T").unwrap(), t.params.id("c_D").unwrap());
    let rs = questions::outcome_regions(&t, &base, x, y, (0.0, 1.0), (0.0, 3.0), 40).unwrap();
    let sq = rs.iter().find(|r| r.outcome == "status_quo_h").unwrap();
    let all = sq.conditions.join(" and ");
    for part in ["c_D < a - lambda*T + L", "(here T > 0.2)"] {
        assert!(all.contains(part), "{part} missing from {all}");
    }
    let total: f64 = rs.iter().map(|r| r.share).sum();
    assert!((total - 1.0).abs() < 1e-12);
}
