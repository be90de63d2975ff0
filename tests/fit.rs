//! Strategic estimation (`deter fit`): the likelihood against independent computations, its
//! gradient against finite differences, and Monte Carlo recovery of known coefficients.

use crate::util::repo;
use deter::fit::data::Data;
use deter::fit::design::{self, Design};
use deter::fit::estimate::{self, estimate, Estimate, FitError, Settings};
use deter::fit::likelihood::Likelihood;
use deter::fit::rng::Rng;
use deter::fit::spec::{self, FitSpec};
use deter::fit::{choice, simulate};
use deter::model::{self, GameTemplate};

/// A model and its `[fit]` section (from the model file, or from a separate spec file).
pub struct Setup {
    pub template: GameTemplate,
    pub spec: FitSpec,
}

pub fn setup_text(model_text: &str, spec_text: Option<&str>) -> Setup {
    let loaded = model::load("model.toml", model_text.to_string());
    let template = loaded.template.unwrap_or_else(|| {
        panic!(
            "{}",
            deter::diag::render_short(&loaded.source, &loaded.diags)
        )
    });
    let (spec, diags) = spec::read(spec_text.unwrap_or(model_text));
    assert!(diags.is_empty(), "{diags:?}");
    let spec = spec.expect("a [fit] section");
    let more = spec::check(&spec, &template);
    assert!(more.is_empty(), "{more:?}");
    Setup { template, spec }
}

pub fn setup(model_rel: &str, spec_rel: Option<&str>) -> Setup {
    let m = std::fs::read_to_string(repo(model_rel)).unwrap();
    let s = spec_rel.map(|p| std::fs::read_to_string(repo(p)).unwrap());
    setup_text(&m, s.as_deref())
}

/// Covariate columns: `(name, draw)`.
pub type Gen = (&'static str, fn(&mut Rng) -> f64);

/// A CSV of `n` rows of covariates.
pub fn covariates(n: usize, seed: u64, cols: &[Gen]) -> String {
    let mut rng = Rng::new(seed);
    let mut s = cols.iter().map(|c| c.0).collect::<Vec<_>>().join(",");
    s.push('\n');
    for _ in 0..n {
        let row: Vec<String> = cols
            .iter()
            .map(|c| format!("{}", (c.1)(&mut rng)))
            .collect();
        s.push_str(&row.join(","));
        s.push('\n');
    }
    s
}

pub fn design_for(su: &Setup, data: &Data, no_outcome: bool) -> Design {
    let theta = su.template.defaults();
    match design::build(
        &su.template,
        &su.spec,
        data,
        &theta,
        &design::Options {
            cluster: None,
            no_outcome,
        },
    ) {
        Ok(d) => d,
        Err(e) => panic!("{:?} {:?}", e.model, e.data),
    }
}

/// Coefficient values in the design's order from `(name, value)` pairs.
pub fn beta_of(d: &Design, named: &[(&str, f64)]) -> Vec<f64> {
    assert_eq!(d.coefs.len(), named.len(), "{:?}", d.coefs);
    d.coefs
        .iter()
        .map(|c| {
            named
                .iter()
                .find(|(n, _)| *n == c.name)
                .unwrap_or_else(|| panic!("no value for {}", c.name))
                .1
        })
        .collect()
}

/// Appends an `outcome` column drawn from the model at the named coefficients.
pub fn simulate_csv(su: &Setup, cov: &str, truth: &[(&str, f64)], seed: u64) -> String {
    let data = Data::read("cov.csv", cov.as_bytes()).unwrap();
    let d = design_for(su, &data, true);
    let lik = Likelihood::new(
        &su.template.tree,
        estimate::formulas(&su.template, &d).unwrap_or_else(|_| panic!("formulas")),
        &d,
        su.spec.errors.v,
        su.spec.link.v,
    );
    let beta = beta_of(&d, truth);
    let leaves = simulate::outcomes(&su.template.tree, &lik, &beta, seed).unwrap();
    let mut out = String::new();
    for (i, line) in cov.lines().enumerate() {
        out.push_str(line);
        if i == 0 {
            out.push_str(",outcome\n");
        } else {
            out.push(',');
            // The outcome without the type profile (`SQ[hard,soft]` is recorded as `SQ`):
            // the types are not observed.
            let name = &su.template.tree.node_names[leaves[i - 1] as usize];
            out.push_str(name.split('[').next().unwrap_or(name));
            out.push('\n');
        }
    }
    out
}

pub fn fit_csv(su: &Setup, csv: &str, settings: &Settings) -> Result<Estimate, FitError> {
    let data = Data::read("data.csv", csv.as_bytes()).unwrap();
    estimate(
        &su.template,
        &su.spec,
        &data,
        &su.template.defaults(),
        settings,
        &|| {},
    )
}

fn normal(r: &mut Rng) -> f64 {
    r.normal()
}

fn coin(r: &mut Rng) -> f64 {
    f64::from(u8::from(r.uniform() < 0.4))
}

fn unit(r: &mut Rng) -> f64 {
    r.uniform()
}

/// The crisis game's covariates.
pub const CRISIS_COLS: [Gen; 3] = [("balance", normal), ("democracy", coin), ("alliance", coin)];

/// True coefficients of the Monte Carlo studies of the crisis game.
pub const CRISIS_TRUTH: [(&str, f64); 9] = [
    ("v0", 1.0),
    ("c0", 0.5),
    ("c1", 1.0),
    ("a0", -0.5),
    ("a1", 1.0),
    ("d0", 1.0),
    ("t0", -0.5),
    ("t1", -1.0),
    ("t2", 1.0),
];

fn crisis_data(su: &Setup, n: usize, seed: u64) -> String {
    let cov = covariates(n, seed, &CRISIS_COLS);
    simulate_csv(su, &cov, &CRISIS_TRUTH, seed.wrapping_add(1))
}

fn assert_recovered(e: &Estimate, truth: &[(&str, f64)], within: f64) {
    assert!(e.optimum.converged, "{:?}", e.optimum);
    for c in &e.coefs {
        let t = truth.iter().find(|(n, _)| *n == c.name).unwrap().1;
        assert!(
            (c.estimate - t).abs() <= within * c.se,
            "{}: estimate {} (se {}), truth {t}",
            c.name,
            c.estimate,
            c.se
        );
        assert!(c.se > 0.0 && c.se < 1.0, "{}: se {}", c.name, c.se);
    }
}

#[test]
fn crisis_game_coefficients_are_recovered_from_10k_simulated_crises() {
    let su = setup("models/crisis.toml", None);
    let csv = crisis_data(&su, 10_000, 11);
    let e = fit_csv(&su, &csv, &Settings::default()).unwrap();
    assert_eq!(e.n, 10_000);
    assert_recovered(&e, &CRISIS_TRUTH, 3.0);
    // Predicted outcome shares match the observed ones (a property of the logit MLE with
    // intercepts).
    for (name, obs, pred) in &e.fit_table {
        assert!((obs - pred).abs() < 0.01, "{name}: {obs} vs {pred}");
    }
}

const HEDGING_SPEC: &str = r#"
[fit]
outcome = "outcome"
[fit.parameters]
c_D = "d0 + d1*trade"
c_C = "k0 + k1*rivalry"
T   = "ties"
"#;

const HEDGING_TRUTH: [(&str, f64); 4] = [("d0", 1.2), ("d1", 0.5), ("k0", 0.8), ("k1", -0.6)];

const HEDGING_COLS: [Gen; 3] = [("trade", normal), ("rivalry", normal), ("ties", unit)];

#[test]
fn hedging_coefficients_are_recovered_from_10k_simulated_crises() {
    let m = std::fs::read_to_string(repo("models/hedging.toml")).unwrap();
    let su = setup_text(&m, Some(HEDGING_SPEC));
    let cov = covariates(10_000, 5, &HEDGING_COLS);
    let csv = simulate_csv(&su, &cov, &HEDGING_TRUTH, 6);
    let e = fit_csv(&su, &csv, &Settings::default()).unwrap();
    assert_recovered(&e, &HEDGING_TRUTH, 3.0);
    // T is given by the data, the other parameters are fixed at their defaults.
    assert_eq!(e.estimated, vec!["c_C", "c_D", "T"]);
}

/// The crisis game's log-likelihood written out by hand, as Signorino (1999) writes it.
fn crisis_loglik_by_hand(csv: &str, b: &[(&str, f64)], probit: bool) -> f64 {
    let g = |n: &str| b.iter().find(|(m, _)| *m == n).unwrap().1;
    // Agent error: a binary choice between values x and y has P(x) = F(x − y).
    let f = |x: f64| {
        if probit {
            choice::big_phi(x / 2f64.sqrt())
        } else {
            1.0 / (1.0 + (-x).exp())
        }
    };
    let mut ll = 0.0;
    for line in csv.lines().skip(1) {
        let v: Vec<&str> = line.split(',').collect();
        let (bal, dem, all) = (
            v[0].parse::<f64>().unwrap(),
            v[1].parse::<f64>().unwrap(),
            v[2].parse::<f64>().unwrap(),
        );
        let v_c = g("v0");
        let a_c = g("c0") + g("c1") * dem;
        let w_c = g("a0") + g("a1") * bal;
        let b_t = g("d0");
        let w_t = g("t0") + g("t1") * bal + g("t2") * all;
        let p_fight = f(w_c + a_c);
        let v_t_resist = (1.0 - p_fight) * b_t + p_fight * w_t;
        let p_resist = f(v_t_resist - 0.0);
        let v_c_challenge =
            (1.0 - p_resist) * v_c + p_resist * ((1.0 - p_fight) * -a_c + p_fight * w_c);
        let p_ch = f(v_c_challenge - 0.0);
        let p = match v[3] {
            "status_quo" => 1.0 - p_ch,
            "concession" => p_ch * (1.0 - p_resist),
            "back_down" => p_ch * p_resist * (1.0 - p_fight),
            "war" => p_ch * p_resist * p_fight,
            o => panic!("{o}"),
        };
        ll += p.ln();
    }
    ll
}

fn lik_at(su: &Setup, csv: &str, named: &[(&str, f64)]) -> (f64, Vec<f64>, Vec<f64>) {
    let data = Data::read("data.csv", csv.as_bytes()).unwrap();
    let d = design_for(su, &data, false);
    let lik = Likelihood::new(
        &su.template.tree,
        estimate::formulas(&su.template, &d).unwrap_or_else(|_| panic!("formulas")),
        &d,
        su.spec.errors.v,
        su.spec.link.v,
    );
    let beta = beta_of(&d, named);
    let e = lik.eval(&beta, true);
    // Central differences of the log-likelihood.
    let fd: Vec<f64> = (0..beta.len())
        .map(|k| {
            let h = 1e-6;
            let (mut up, mut dn) = (beta.clone(), beta.clone());
            up[k] += h;
            dn[k] -= h;
            (lik.eval(&up, false).loglik - lik.eval(&dn, false).loglik) / (2.0 * h)
        })
        .collect();
    (e.loglik, e.grad, fd)
}

fn assert_grad_close(grad: &[f64], fd: &[f64]) {
    for (k, (a, b)) in grad.iter().zip(fd).enumerate() {
        assert!(
            (a - b).abs() <= 1e-5 * (1.0 + b.abs()),
            "coefficient {k}: analytic {a}, finite difference {b}"
        );
    }
}

#[test]
fn crisis_loglik_equals_the_direct_computation_and_gradient_matches() {
    let mut su = setup("models/crisis.toml", None);
    let csv = crisis_data(&su, 300, 3);
    let at: Vec<(&str, f64)> = CRISIS_TRUTH
        .iter()
        .map(|(n, v)| (*n, v * 0.8 + 0.1))
        .collect();
    for probit in [false, true] {
        su.spec.link.v = if probit {
            spec::Link::Probit
        } else {
            spec::Link::Logit
        };
        let (ll, grad, fd) = lik_at(&su, &csv, &at);
        let direct = crisis_loglik_by_hand(&csv, &at, probit);
        assert!(
            (ll - direct).abs() < 1e-9 * direct.abs(),
            "probit {probit}: {ll} vs {direct}"
        );
        assert_grad_close(&grad, &fd);
    }
}

/// Signorino's two-move game with three players' worth of private information: player 1
/// ends the game or passes; player 2 chooses between two outcomes.
const EGAME12: &str = r#"
title = "egame12"
players = ["P1", "P2"]
root = "n1"
[parameters]
u11 = { value = 0 }
u13 = { value = 0 }
u14 = { value = 0 }
u24 = { value = 0 }
[nodes.n1]
player = "P1"
moves = { left = "o1", right = "n2" }
[nodes.n2]
player = "P2"
moves = { left = "o3", right = "o4" }
[outcomes.o1]
payoffs = { P1 = "u11", P2 = 0 }
[outcomes.o3]
payoffs = { P1 = "u13", P2 = 0 }
[outcomes.o4]
payoffs = { P1 = "u14", P2 = "u24" }
[fit]
outcome = "outcome"
errors = "private"
log_scale = "s0"
[fit.parameters]
u11 = "b11*x"
u13 = "b13"
u14 = "b14 + c14*x"
u24 = "b24 + c24*x"
"#;

#[test]
fn private_information_loglik_equals_signorinos_formula_and_gradient_matches() {
    let su = setup_text(EGAME12, None);
    let cov = covariates(200, 9, &[("x", normal)]);
    let truth = [
        ("b11", 0.3),
        ("b13", -0.2),
        ("b14", 0.5),
        ("c14", 0.7),
        ("b24", 0.1),
        ("c24", -0.8),
        ("s0", 0.2),
    ];
    let csv = simulate_csv(&su, &cov, &truth, 10);
    let (ll, grad, fd) = lik_at(&su, &csv, &truth);
    // Signorino (2003) / games::egame12 with type = "private": P2's choice compares
    // u24 + ε24 with ε23; P1 compares u11 + ε11 with p3 (u13 + ε13) + p4 (u14 + ε14).
    let sigma = 0.2f64.exp();
    let mut direct = 0.0;
    for line in csv.lines().skip(1) {
        let v: Vec<&str> = line.split(',').collect();
        let x: f64 = v[0].parse().unwrap();
        let (u11, u13, u14, u24) = (0.3 * x, -0.2, 0.5 + 0.7 * x, 0.1 - 0.8 * x);
        let p4 = choice::big_phi(u24 / (sigma * 2f64.sqrt()));
        let p3 = 1.0 - p4;
        let p2 = choice::big_phi(
            (p3 * u13 + p4 * u14 - u11) / (sigma * (1.0 + p3 * p3 + p4 * p4).sqrt()),
        );
        direct += match v[1] {
            "o1" => (1.0 - p2).ln(),
            "o3" => (p2 * p3).ln(),
            "o4" => (p2 * p4).ln(),
            o => panic!("{o}"),
        };
    }
    assert!(
        (ll - direct).abs() < 1e-9 * direct.abs(),
        "{ll} vs {direct}"
    );
    assert_grad_close(&grad, &fd);
}

#[test]
fn gradient_matches_finite_differences_through_nonlinear_payoffs() {
    // Estimating lambda while T comes from the data makes `a - lambda*T` a product of a
    // varying and an estimated parameter (the general, per-row formula path), and a per-player
    // log scale with a covariate.
    let m = std::fs::read_to_string(repo("models/hedging.toml")).unwrap();
    let spec = r#"
[fit]
outcome = "outcome"
link = "probit"
log_scale = { Defender = "s0 + s1*trade" }
[fit.parameters]
c_D = "d0 + d1*trade"
lambda = "l0"
T = "ties"
"#;
    let su = setup_text(&m, Some(spec));
    let cov = covariates(150, 2, &HEDGING_COLS);
    let truth = [
        ("d0", 1.0),
        ("d1", 0.5),
        ("l0", 0.7),
        ("s0", -0.3),
        ("s1", 0.2),
    ];
    let csv = simulate_csv(&su, &cov, &truth, 4);
    let (_, grad, fd) = lik_at(&su, &csv, &truth);
    assert_grad_close(&grad, &fd);
}

#[test]
fn a_coefficient_the_data_cannot_separate_is_named() {
    // Two intercepts in one formula: only their sum is identified.
    let m = std::fs::read_to_string(repo("models/crisis.toml"))
        .unwrap()
        .replace("b_T = \"d0\"", "b_T = \"d0 + e0\"");
    let su = setup_text(&m, None);
    let csv = crisis_data(&setup("models/crisis.toml", None), 2000, 21);
    match fit_csv(&su, &csv, &Settings::default()) {
        Err(FitError::Other(msg)) => {
            assert!(msg.contains("`d0`") && msg.contains("`e0`"), "{msg}");
            assert!(msg.contains("not identified"), "{msg}");
        }
        r => panic!(
            "expected an identification error, got {:?}",
            r.map(|e| e.coefs)
        ),
    }
}

#[test]
fn factors_missing_values_and_bad_rows() {
    let su = setup("models/crisis.toml", None);
    let mut csv = crisis_data(&su, 600, 31);
    // A factor column replacing `alliance`, with a stated baseline, and some missing cells.
    let mut rng = Rng::new(3);
    let lines: Vec<String> = csv.lines().map(str::to_string).collect();
    csv = String::new();
    for (i, l) in lines.iter().enumerate() {
        if i == 0 {
            csv.push_str(&format!("{l},region\n"));
        } else {
            let region = ["Asia", "Europe", "Africa"][rng.below(3)];
            let l = if i % 50 == 0 {
                l.replacen(',', ",NA,", 1)
            } else {
                l.clone()
            };
            csv.push_str(&format!("{l},{region}\n"));
        }
    }
    // Every 50th row has an extra field: reported as a bad row, by line.
    let data = Data::read("data.csv", csv.as_bytes()).unwrap();
    assert_eq!(data.bad_rows.len(), 600 / 50);
    assert_eq!(data.bad_rows[0].line, Some(51));
    let m = std::fs::read_to_string(repo("models/crisis.toml"))
        .unwrap()
        .replace("b_T = \"d0\"", "b_T = \"d0 + r*region\"")
        .replace(
            "[fit.parameters]",
            "baseline = { region = \"Europe\" }\n\n[fit.parameters]",
        );
    let su2 = setup_text(&m, None);
    let good: String = csv
        .lines()
        .enumerate()
        .filter(|(i, _)| i % 50 != 0 || *i == 0)
        .map(|(i, l)| {
            if i % 7 == 3 {
                // A missing balance.
                let mut f: Vec<&str> = l.split(',').collect();
                f[0] = "";
                f.join(",") + "\n"
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    let e = fit_csv(&su2, &good, &Settings::default()).unwrap();
    let dropped = (1..=600).filter(|i| i % 50 != 0 && i % 7 == 3).count();
    assert_eq!(e.n_dropped, dropped);
    assert_eq!(e.n, 600 - 12 - dropped);
    let names: Vec<&str> = e.coefs.iter().map(|c| c.name.as_str()).collect();
    assert!(
        names.contains(&"r[Africa]") && names.contains(&"r[Asia]"),
        "{names:?}"
    );
    assert!(!names.contains(&"r[Europe]"));
    let region = e.columns.iter().find(|c| c.name == "region").unwrap();
    assert_eq!(region.factor.as_ref().unwrap().1, "Europe");
    let balance = e.columns.iter().find(|c| c.name == "balance").unwrap();
    assert_eq!(balance.missing, dropped);
}

#[test]
fn unknown_outcomes_and_stray_strings_are_reported_by_line() {
    let su = setup("models/crisis.toml", None);
    let csv = "balance,democracy,alliance,outcome\n0.1,1,0,war\n0.2,0,1,wr\nabc,1,1,status_quo\n0.3,0,0,concession\n0.5,1,0,back_down\n0.1,0,0,war\n0.7,1,1,war\n0.2,0,1,status_quo\n0.4,0,1,war\n1.1,1,0,war\n0.9,0,0,war\n";
    match fit_csv(&su, csv, &Settings::default()) {
        Err(FitError::Design(e)) => {
            let msgs: Vec<String> = e.data.iter().map(|p| p.render("d.csv")).collect();
            assert!(
                msgs.contains(&"d.csv:4: column `balance`: `abc` is not a number".to_string()),
                "{msgs:?}"
            );
        }
        r => panic!("{:?}", r.map(|e| e.coefs)),
    }
    let csv = csv.replace("abc", "0.5");
    match fit_csv(&su, &csv, &Settings::default()) {
        Err(FitError::Design(e)) => {
            let msgs: Vec<String> = e.data.iter().map(|p| p.render("d.csv")).collect();
            assert_eq!(
                msgs,
                vec!["d.csv:3: column `outcome`: `wr` is not an outcome, node or event of the model; did you mean `war`?"]
            );
        }
        r => panic!("{:?}", r.map(|e| e.coefs)),
    }
}

#[test]
fn partially_observed_rows_and_event_codes() {
    // Rows that record only that the target resisted (node `challenger_again`), or only that
    // there was a challenge (event), contribute the probability of reaching that far.
    let su = setup("models/crisis.toml", None);
    let csv = crisis_data(&su, 400, 41);
    let partial: String = csv
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i > 0 && i % 5 == 0 && (l.ends_with(",war") || l.ends_with(",back_down")) {
                let cut = l.rfind(',').unwrap();
                format!("{},challenger_again\n", &l[..cut])
            } else if i > 0 && i % 7 == 0 && !l.ends_with(",status_quo") {
                let cut = l.rfind(',').unwrap();
                format!("{},challenge\n", &l[..cut])
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    let (ll, grad, fd) = lik_at(&su, &partial, &CRISIS_TRUTH);
    assert!(ll.is_finite());
    assert_grad_close(&grad, &fd);
    let e = fit_csv(&su, &partial, &Settings::default()).unwrap();
    assert!(e.optimum.converged);
    assert!(e.fit_table.iter().any(|r| r.0 == "challenger_again"));
}

#[test]
fn clustered_and_bootstrap_standard_errors() {
    let su = setup("models/crisis.toml", None);
    let csv = crisis_data(&su, 1500, 51);
    // Clusters of 10 consecutive rows (independent draws, so clustering changes little).
    let mut with_cluster = String::new();
    for (i, l) in csv.lines().enumerate() {
        if i == 0 {
            with_cluster.push_str(&format!("{l},dyad\n"));
        } else {
            with_cluster.push_str(&format!("{l},d{}\n", (i - 1) / 10));
        }
    }
    let plain = fit_csv(&su, &with_cluster, &Settings::default()).unwrap();
    let cl = fit_csv(
        &su,
        &with_cluster,
        &Settings {
            cluster: Some("dyad".into()),
            ..Settings::default()
        },
    )
    .unwrap();
    assert!(cl.se_kind.contains("150 clusters"), "{}", cl.se_kind);
    for (a, b) in plain.coefs.iter().zip(&cl.coefs) {
        assert_eq!(a.estimate, b.estimate);
        let r = b.se / a.se;
        assert!((0.7..1.4).contains(&r), "{}: {} vs {}", a.name, a.se, b.se);
    }
    let boot = fit_csv(
        &su,
        &with_cluster,
        &Settings {
            bootstrap: 40,
            seed: 7,
            ..Settings::default()
        },
    )
    .unwrap();
    let b = boot.bootstrap.as_ref().unwrap();
    assert_eq!(b.draws.len() + b.failed, 40);
    for (a, c) in plain.coefs.iter().zip(&boot.coefs) {
        let r = c.se / a.se;
        assert!((0.6..1.6).contains(&r), "{}: {} vs {}", a.name, a.se, c.se);
    }
    // The same seed gives the same replicates.
    let again = fit_csv(
        &su,
        &with_cluster,
        &Settings {
            bootstrap: 40,
            seed: 7,
            ..Settings::default()
        },
    )
    .unwrap();
    assert_eq!(again.vcov, boot.vcov);
}

/// Coverage of 95% intervals over repeated samples (slow: `cargo test --release -- --ignored`).
#[test]
#[ignore = "slow (repeated 10^4-row fits): cargo test --release --test main ninety_five -- --ignored"]
fn ninety_five_percent_intervals_cover_the_truth_95_percent_of_the_time() {
    let su = setup("models/crisis.toml", None);
    let reps = 200;
    let mut covered = 0usize;
    let mut total = 0usize;
    for r in 0..reps {
        let csv = crisis_data(&su, 2000, 1000 + r);
        let e = fit_csv(&su, &csv, &Settings::default()).unwrap();
        for c in &e.coefs {
            let t = CRISIS_TRUTH.iter().find(|(n, _)| *n == c.name).unwrap().1;
            total += 1;
            if (c.estimate - t).abs() <= 1.959964 * c.se {
                covered += 1;
            }
        }
    }
    let rate = covered as f64 / total as f64;
    eprintln!("coverage of 95% intervals: {covered}/{total} = {rate:.4}");
    // 1800 intervals: the standard error of the rate is about 0.005 (more with dependence
    // within a sample).
    assert!((0.93..=0.97).contains(&rate), "coverage {rate}");
}

/// The example data in models/data/ is simulated from the models with the seeds below;
/// `BLESS=1` rewrites it.
#[test]
fn example_data_is_reproducible() {
    let su = setup("models/crisis.toml", None);
    let mut cov = covariates(1000, 2024, &CRISIS_COLS);
    // Round the covariates to readable precision.
    cov = cov
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                format!("{l}\n")
            } else {
                let f: Vec<String> = l
                    .split(',')
                    .map(|x| format!("{:.3}", x.parse::<f64>().unwrap()))
                    .collect();
                format!("{}\n", f.join(","))
            }
        })
        .collect();
    let sim = simulate_csv(&su, &cov, &CRISIS_TRUTH, 2025);
    // A dyad id per row (for clustered errors) and a few missing values.
    let crises: String = sim
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                format!("dyad,{l}\n")
            } else if i % 97 == 0 {
                let mut f: Vec<&str> = l.split(',').collect();
                f[1] = "NA";
                format!("D{:03},{}\n", (i - 1) % 150, f.join(","))
            } else {
                format!("D{:03},{l}\n", (i - 1) % 150)
            }
        })
        .collect();
    let m = std::fs::read_to_string(repo("models/hedging.toml")).unwrap();
    let spec = std::fs::read_to_string(repo("models/data/hedging.fit.toml")).unwrap();
    let hs = setup_text(&m, Some(&spec));
    let hcov: String = covariates(2000, 77, &HEDGING_COLS)
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                format!("{l}\n")
            } else {
                let f: Vec<String> = l
                    .split(',')
                    .map(|x| format!("{:.3}", x.parse::<f64>().unwrap()))
                    .collect();
                format!("{}\n", f.join(","))
            }
        })
        .collect();
    let hedging = simulate_csv(&hs, &hcov, &HEDGING_TRUTH, 78);
    for (rel, text) in [
        ("models/data/crises.csv", crises),
        ("models/data/hedging.csv", hedging),
    ] {
        let path = repo(rel);
        if std::env::var_os("BLESS").is_some() {
            std::fs::write(&path, &text).unwrap();
        }
        let have = std::fs::read_to_string(&path)
            .unwrap_or_else(|_| panic!("{rel} is missing; run with BLESS=1 to write it"));
        assert!(
            have == text,
            "{rel} differs from its simulation; BLESS=1 rewrites it"
        );
    }
}

#[test]
fn private_information_with_a_repeated_mover_is_refused_at_the_spec() {
    // The challenger moves twice in the crisis game; with the [fit] section in a file of its
    // own, the error must point into that file (at `errors`), not at a position of the model.
    let m = std::fs::read_to_string(repo("models/crisis.toml")).unwrap();
    let template = model::load("crisis.toml", m).template.unwrap();
    let spec_text =
        "[fit]\noutcome = \"outcome\"\nerrors  = \"private\"\n[fit.parameters]\nv_C = \"v0\"\n";
    let (spec, diags) = spec::read(spec_text);
    assert!(diags.is_empty(), "{diags:?}");
    let d = spec::check(&spec.unwrap(), &template);
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(d[0]
        .message
        .contains("Challenger moves again at `challenger_again`"));
    let span = d[0].span.clone().expect("located");
    assert_eq!(&spec_text[span], "\"private\"");
}

fn deter_fit(args: &[&str]) -> std::process::Output {
    let mut all = vec!["fit", "models/crisis.toml", "models/data/crises.csv"];
    all.extend_from_slice(args);
    std::process::Command::new(env!("CARGO_BIN_EXE_deter"))
        .args(&all)
        .current_dir(repo(""))
        .output()
        .expect("deter runs")
}

#[test]
fn effects_in_json_output_stay_inside_one_document() {
    let o = deter_fit(&["--effects", "balance=-2:2:5", "--format", "json"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    let out = String::from_utf8_lossy(&o.stdout);
    // The whole of stdout is one JSON value (nothing appended after it).
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}\n{out}"));
    assert!(v["coefficients"].is_array(), "{v}");
    let fx = &v["effects"];
    assert_eq!(fx["column"], "balance");
    let xs: Vec<f64> = fx["x"]
        .as_array()
        .expect("x")
        .iter()
        .map(|x| x.as_f64().expect("number"))
        .collect();
    assert_eq!(xs.len(), 5);
    assert!(
        (xs[0] + 2.0).abs() < 1e-12 && (xs[4] - 2.0).abs() < 1e-12,
        "{xs:?}"
    );
    let outcomes = fx["outcomes"].as_array().expect("outcomes");
    let names: Vec<&str> = outcomes
        .iter()
        .map(|b| b["name"].as_str().expect("name"))
        .collect();
    let su = setup("models/crisis.toml", None);
    for leaf in ["status_quo", "concession", "back_down", "war"] {
        assert!(
            su.template.tree.node_names.iter().any(|n| n == leaf),
            "{leaf}"
        );
        assert!(names.contains(&leaf), "{names:?}");
    }
    for i in 0..5 {
        let mut total = 0.0;
        for b in outcomes {
            let at = |k: &str| b[k][i].as_f64().expect("number");
            assert!(at("lo") <= at("p") && at("p") <= at("hi"), "{b}");
            total += at("p");
        }
        assert!((total - 1.0).abs() < 1e-5, "probabilities sum to {total}");
    }
    // The text format keeps the table, then the curves as CSV.
    let o = deter_fit(&["--effects", "balance=-2:2:5"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout);
    let csv_head = out
        .lines()
        .find(|l| l.starts_with("balance,p_"))
        .unwrap_or_else(|| panic!("no curves after the table:\n{out}"));
    assert_eq!(csv_head.split(',').count(), 1 + 3 * outcomes.len());
}

#[test]
fn effects_with_csv_output_are_refused_before_fitting() {
    let o = deter_fit(&["--effects", "balance=-2:2", "--format", "csv"]);
    assert!(!o.status.success());
    assert!(
        o.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("--format json"), "{err}");
}

#[test]
fn private_information_errors_in_games_with_information_sets_are_refused_at_errors() {
    let m = r#"title = "Guess"
players = ["C", "T"]
root = "c"

[parameters]
u = { value = 1 }

[nodes.c]
player = "C"
moves = { a = { to = "t1" }, b = { to = "t2" } }

[nodes.t1]
player = "T"
infoset = "guess"
moves = { x = { to = "ax" }, y = { to = "ay" } }

[nodes.t2]
player = "T"
infoset = "guess"
moves = { x = { to = "bx" }, y = { to = "by" } }

[outcomes.ax]
payoffs = { C = "u", T = 1 }
[outcomes.ay]
payoffs = { C = 0, T = 0 }
[outcomes.bx]
payoffs = { C = 0, T = 0 }
[outcomes.by]
payoffs = { C = 1, T = 1 }

[fit]
outcome = "outcome"
errors = "private"
link = "probit"
[fit.parameters]
u = "u0 + u1*x"
"#;
    // With agent errors the game is accepted (the agent QRE at each row).
    let agent = m.replace("errors = \"private\"\nlink = \"probit\"\n", "");
    let loaded = model::load("guess.toml", agent);
    assert!(loaded.diags.is_empty(), "{:?}", loaded.diags);
    // Loading the model checks its [fit] section: the refusal comes before any data is read.
    let loaded = model::load("guess.toml", m.to_string());
    let d: Vec<_> = loaded
        .diags
        .iter()
        .filter(|d| d.message.contains("perfect information"))
        .collect();
    assert_eq!(d.len(), 1, "{:?}", loaded.diags);
    assert!(d[0].message.contains("`guess`"), "{}", d[0].message);
    // Located at the error structure.
    let span = d[0].span.clone().expect("located");
    assert!(m[span.start..].starts_with("\"private\""), "{span:?}");
}

#[test]
fn effects_plot_draws_a_band_under_each_curve_in_the_house_style() {
    use deter::plot::{band_svg, Band, BandChart};
    let xs = [0.0, 1.0, 2.0];
    let band = |name: &str, v: [f64; 3]| Band {
        name: name.into(),
        values: v.to_vec(),
        lo: v.iter().map(|x| x - 0.1).collect(),
        hi: v.iter().map(|x| x + 0.1).collect(),
    };
    let bands = [
        band("war", [0.2, 0.3, 0.4]),
        band("status_quo", [0.8, 0.7, 0.6]),
    ];
    let svg = band_svg(&BandChart {
        title: "Three-move crisis: fitted outcome probabilities (95% bands)",
        x_name: "balance",
        xs: &xs,
        bands: &bands,
    })
    .unwrap();
    assert_eq!(svg.matches(r#"class="band""#).count(), 2, "{svg}");
    assert_eq!(svg.matches(r#"class="curve""#).count(), 2, "{svg}");
    assert!(svg.contains("Shaded: 95%"), "{svg}");
    // The house style: every text at least 11 px.
    for size in svg.split(r#"font-size=""#).skip(1) {
        let px: f64 = size.split('"').next().unwrap().parse().unwrap();
        assert!(px >= 11.0, "font size {px}");
    }
}

/// A crisis fit written to `dir/fit.json` by the command line.
fn crisis_fit_json(dir: &std::path::Path) -> std::path::PathBuf {
    let out = dir.join("fit.json");
    let o = deter_fit(&["--out", out.to_str().expect("a UTF-8 temporary path")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    out
}

/// The parametric bootstrap behind `sweep --bands`: draws of the fitted parameters pushed
/// through the sweep, against the same draws solved one by one by the report's solver and
/// their quantiles taken by hand.
#[test]
fn sweep_bands_are_quantiles_of_the_curves_at_draws_of_the_estimates() {
    use deter::fit::bands::{self, Sampling};
    use deter::sweep::{Grid, Sweeper, VarySpec};
    let dir = tempfile::tempdir().unwrap();
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(crisis_fit_json(dir.path())).unwrap())
            .unwrap();
    let s = Sampling::from_json(&v).unwrap();
    // The loadings are the covariates' means: a_C = c0 + c1·mean(democracy).
    let a_c = s
        .params
        .iter()
        .find(|p| p.0 == "a_C")
        .expect("a_C is drawn");
    let j = |c: &str| s.coefs.iter().position(|n| n == c).unwrap();
    assert_eq!((a_c.2[j("c0")], a_c.2[j("v0")]), (1.0, 0.0));
    assert!(a_c.2[j("c1")] > 0.0 && a_c.2[j("c1")] < 1.0);
    let t = setup("models/crisis.toml", None).template;
    let mut base = t.defaults();
    for (name, x) in v["parameters"].as_object().unwrap() {
        base[t.params.id(name).unwrap()] = x.as_f64().unwrap();
    }
    let draws = bands::points(&t, &base, &s, &|n| n == "w_T", 300, 9).unwrap();
    assert_eq!(draws.points.len() + draws.outside, 300);
    let mut drawn = draws.drawn.clone();
    drawn.sort();
    assert_eq!(
        drawn,
        ["a_C", "b_T", "v_C", "w_C"],
        "all but the varied w_T"
    );
    let grid = Grid::new(vec![VarySpec::parse("w_T=-2:2:9", &t.params).unwrap()]).unwrap();
    let sw = Sweeper::new(&t, base.clone(), grid, None).unwrap();
    let n_ev = t.tree.events.len();
    let curves = |p: &[f64]| -> Result<Vec<Vec<f64>>, deter::sweep::SweepError> {
        let mut s = sw.clone();
        s.base = p.to_vec();
        let rows = s.rows(0..9)?;
        Ok((0..n_ev)
            .map(|e| rows.iter().map(|r| r.events[e]).collect())
            .collect())
    };
    let b = bands::band(&draws.points, &curves, &|| {});
    assert_eq!((b.used, b.failed), (draws.points.len(), 0));
    let mut solver = deter::report::analysis::Solver::new(&t);
    let mut wide = 0;
    for i in 0..9 {
        let w_t = -2.0 + 0.5 * i as f64;
        let mut at: Vec<Vec<f64>> = vec![Vec::new(); n_ev];
        for p in &draws.points {
            let mut th = p.clone();
            th[t.params.id("w_T").unwrap()] = w_t;
            let (ev, _) = solver.outcomes(&th).expect("solvable");
            for (v, x) in at.iter_mut().zip(ev) {
                v.push(x);
            }
        }
        for (e, v) in at.iter_mut().enumerate() {
            v.sort_by(f64::total_cmp);
            let q = |p: f64| {
                let h = (v.len() - 1) as f64 * p;
                let (lo, hi) = (v[h.floor() as usize], v[h.ceil() as usize]);
                lo + (h - h.floor()) * (hi - lo)
            };
            assert!((b.lo[e][i] - q(0.025)).abs() < 1e-12, "{e} {i}");
            assert!((b.hi[e][i] - q(0.975)).abs() < 1e-12, "{e} {i}");
            wide += usize::from(b.hi[e][i] - b.lo[e][i] > 0.5);
        }
    }
    // Somewhere along w_T the estimates do not settle which side of a threshold the
    // equilibrium is on: a band the delta method would give width zero.
    assert!(wide > 0, "{b:?}");
}

/// `deter sweep --params FIT.json --bands N --plot`: a band under each event's curve,
/// the same bytes for the same seed; refused without a fit, a plot, or loadings.
#[test]
fn sweep_with_bands_draws_them_and_refuses_what_it_cannot_do() {
    let dir = tempfile::tempdir().unwrap();
    let fit = crisis_fit_json(dir.path());
    let fit = fit.to_str().unwrap();
    let svg = |name: &str, seed: &str| {
        let plot = dir.path().join(name);
        let o = crate::util::deter(&[
            "sweep",
            "models/crisis.toml",
            "--params",
            fit,
            "--vary",
            "w_T=-3:2:51",
            "--bands",
            "100",
            "--seed",
            seed,
            "--plot",
            plot.to_str().unwrap(),
        ]);
        let err = String::from_utf8_lossy(&o.stderr).to_string();
        assert!(o.status.success(), "{err}");
        assert!(err.contains("bands: ") && err.contains("(seed "), "{err}");
        std::fs::read_to_string(plot).unwrap()
    };
    let a = svg("a.svg", "4");
    let n_ev = setup("models/crisis.toml", None).template.tree.events.len();
    assert_eq!(a.matches(r#"class="band""#).count(), n_ev);
    assert!(a.contains("95% bands"), "the plot says what the bands are");
    assert_eq!(a, svg("b.svg", "4"), "deterministic for a seed");
    let refuse = |args: &[&str], says: &str| {
        let mut all = vec!["sweep", "models/crisis.toml", "--vary", "w_T=-3:2:5"];
        all.extend_from_slice(args);
        let o = crate::util::deter(&all);
        let err = String::from_utf8_lossy(&o.stderr).to_string();
        assert!(!o.status.success() && err.contains(says), "{args:?}: {err}");
    };
    let plot = dir.path().join("c.svg");
    let plot = plot.to_str().unwrap();
    refuse(&["--bands", "100", "--plot", plot], "--params FIT.json");
    refuse(&["--params", fit, "--bands", "100"], "--plot FILE.svg");
    // A fit file from before the loadings were written still sets the parameters, but gives
    // no bands.
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fit).unwrap()).unwrap();
    v.as_object_mut().unwrap().remove("loadings");
    let old = dir.path().join("old.json");
    std::fs::write(&old, v.to_string()).unwrap();
    let old = old.to_str().unwrap();
    refuse(
        &["--params", old, "--bands", "100", "--plot", plot],
        "run the fit again",
    );
    let o = crate::util::deter(&["solve", "models/crisis.toml", "--params", old]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// `deter report --params FIT.json` shades a band under every event's curve on each
/// comparative-statics plot; without a fit, or with a fit file that has no loadings (which it
/// says), the plots have none.
#[test]
fn report_at_the_estimates_draws_bands_on_its_statics_plots() {
    let dir = tempfile::tempdir().unwrap();
    let fit = dir.path().join("fit.json");
    let fit = fit.to_str().unwrap();
    crate::util::deter_ok(&[
        "fit",
        "models/hedging.toml",
        "models/data/hedging.csv",
        "--spec",
        "models/data/hedging.fit.toml",
        "--out",
        fit,
    ]);
    let n_ev = setup("models/hedging.toml", Some("models/data/hedging.fit.toml"))
        .template
        .tree
        .events
        .len();
    let report = |name: &str, params: Option<&str>| {
        let out = dir.path().join(name);
        let mut args = vec![
            "report",
            "models/hedging.toml",
            "--out",
            out.to_str().unwrap(),
        ];
        if let Some(p) = params {
            args.extend(["--params", p]);
        }
        let o = crate::util::deter(&args);
        let err = String::from_utf8_lossy(&o.stderr).to_string();
        assert!(o.status.success(), "{err}");
        let mut bands = Vec::new();
        for e in std::fs::read_dir(&out).unwrap() {
            let p = e.unwrap().path();
            let file = p.file_name().unwrap().to_str().unwrap().to_string();
            if file.starts_with("statics-") && file.ends_with(".svg") {
                let svg = std::fs::read_to_string(&p).unwrap();
                bands.push((file, svg.matches(r#"class="band""#).count()));
            }
        }
        assert!(!bands.is_empty(), "no statics plots in {}", out.display());
        (bands, err)
    };
    let (with, _) = report("a", Some(fit));
    for (file, n) in &with {
        assert_eq!(*n, n_ev, "{file}");
    }
    let (without, _) = report("b", None);
    assert!(without.iter().all(|b| b.1 == 0), "{without:?}");
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fit).unwrap()).unwrap();
    v.as_object_mut().unwrap().remove("loadings");
    let old = dir.path().join("old.json");
    std::fs::write(&old, v.to_string()).unwrap();
    let (old_bands, err) = report("c", Some(old.to_str().unwrap()));
    assert!(old_bands.iter().all(|b| b.1 == 0), "{old_bands:?}");
    assert!(err.contains("no confidence bands"), "{err}");
}
