//! Strategic estimation of games with information sets: the likelihood (the agent QRE at each
//! row) against the logit solver, its gradient against finite differences, and Monte Carlo
//! recovery of known coefficients.

use crate::fit::{beta_of, covariates, design_for, fit_csv, setup_text, simulate_csv, Gen, Setup};
use crate::util::repo;
use deter::fit::data::Data;
use deter::fit::estimate::{self, Settings};
use deter::fit::likelihood::Likelihood;
use deter::fit::rng::Rng;
use deter::game::profile::reach_probabilities;
use deter::solve::{logit, GameRef, Profile};

/// The unilateral deterrence game (two-sided incomplete information: each side knows only its
/// own type), with the challenger's values of the status quo and of war depending on
/// covariates, and the hard defender's value of war estimated.
const SPEC: &str = r#"
[fit]
outcome = "outcome"
[fit.parameters]
s   = "s0 + s1*x"
c_H = "c0 + c1*z"
d_H = "h0"
"#;

const TRUTH: [(&str, f64); 5] = [
    ("s0", 0.5),
    ("s1", 1.0),
    ("c0", 0.5),
    ("c1", 1.0),
    ("h0", 1.5),
];

fn normal(r: &mut Rng) -> f64 {
    r.normal()
}

const COLS: [Gen; 2] = [("x", normal), ("z", normal)];

fn setup() -> Setup {
    let m = std::fs::read_to_string(repo("models/unilateral_deterrence.toml"))
        .expect("models/unilateral_deterrence.toml");
    setup_text(&m, Some(SPEC))
}

/// The log-likelihood computed independently: at each row, the game instantiated at the row's
/// parameters, its logit QRE at λ = 1 (σ = 1) traced from λ = 0 by the logit solver, and the
/// observed outcome's probability under it.
fn loglik_through_the_logit_solver(su: &Setup, csv: &str, b: &[(&str, f64)]) -> f64 {
    let g = |n: &str| b.iter().find(|(m, _)| *m == n).unwrap().1;
    let t = &su.template;
    let id = |n: &str| t.params.id(n).unwrap();
    let mut ll = 0.0;
    for line in csv.lines().skip(1) {
        let v: Vec<&str> = line.split(',').collect();
        let (x, z) = (v[0].parse::<f64>().unwrap(), v[1].parse::<f64>().unwrap());
        let mut theta = t.defaults();
        theta[id("s")] = g("s0") + g("s1") * x;
        theta[id("c_H")] = g("c0") + g("c1") * z;
        theta[id("d_H")] = g("h0");
        let game = t.instantiate(&theta).unwrap();
        let q = logit::qre(GameRef::Tree(&game), 1.0, None).unwrap();
        let Profile::Behavior(p) = &q.profile else {
            panic!("a behaviour profile")
        };
        let reach = reach_probabilities(&game, p);
        let leaf = t
            .tree
            .leaves
            .iter()
            .map(|l| l.node)
            .filter(|n| t.tree.node_names[n.ix()].split('[').next() == Some(v[2]))
            .map(|n| reach[n.ix()])
            .sum::<f64>();
        ll += leaf.ln();
    }
    ll
}

#[test]
fn information_set_loglik_equals_the_logit_solver_and_gradient_matches() {
    let su = setup();
    let cov = covariates(200, 41, &COLS);
    let csv = simulate_csv(&su, &cov, &TRUTH, 42);
    let data = Data::read("data.csv", csv.as_bytes()).unwrap();
    let d = design_for(&su, &data, false);
    let lik = Likelihood::new(
        &su.template.tree,
        estimate::formulas(&su.template, &d).unwrap_or_else(|_| panic!("formulas")),
        &d,
        su.spec.errors.v,
        su.spec.link.v,
    );
    // Away from the truth, so that nothing is at an optimum.
    let at: Vec<(&str, f64)> = TRUTH.iter().map(|(n, v)| (*n, v * 0.7 - 0.2)).collect();
    let beta = beta_of(&d, &at);
    let e = lik.eval(&beta, true);
    assert!(e.failure.is_none(), "{:?}", e.failure);
    let direct = loglik_through_the_logit_solver(&su, &csv, &at);
    assert!(
        (e.loglik - direct).abs() < 1e-9 * direct.abs(),
        "{} vs {direct}",
        e.loglik
    );
    // Central differences.
    for k in 0..beta.len() {
        let h = 1e-6;
        let (mut up, mut dn) = (beta.clone(), beta.clone());
        up[k] += h;
        dn[k] -= h;
        let fd = (lik.eval(&up, false).loglik - lik.eval(&dn, false).loglik) / (2.0 * h);
        assert!(
            (e.grad[k] - fd).abs() <= 1e-5 * (1.0 + fd.abs()),
            "{}: analytic {}, finite difference {fd}",
            d.coefs[k].name,
            e.grad[k]
        );
    }
}

#[test]
fn information_set_coefficients_are_recovered_from_10k_simulated_crises() {
    let su = setup();
    let cov = covariates(10_000, 7, &COLS);
    let csv = simulate_csv(&su, &cov, &TRUTH, 8);
    let e = fit_csv(&su, &csv, &Settings::default()).unwrap();
    assert!(e.optimum.converged, "{:?}", e.optimum);
    assert_eq!(e.n, 10_000);
    for c in &e.coefs {
        let t = TRUTH.iter().find(|(n, _)| *n == c.name).unwrap().1;
        assert!(
            (c.estimate - t).abs() <= 3.0 * c.se && c.se > 0.0 && c.se < 0.5,
            "{}: estimate {} (se {}), truth {t}",
            c.name,
            c.estimate,
            c.se
        );
    }
}

/// `deter fit` from the command line on a model with types: data simulated from the unilateral
/// deterrence game (types unobserved), the `[fit]` section in its own file, the estimates read
/// back from `--out FIT.json` and from the printed table.
#[test]
fn deter_fit_on_a_model_with_types_recovers_the_coefficients_from_the_command_line() {
    let su = setup();
    let dir = tempfile::tempdir().unwrap();
    let cov = covariates(5_000, 11, &COLS);
    let csv = simulate_csv(&su, &cov, &TRUTH, 12);
    let (data, spec, out) = (
        dir.path().join("crises.csv"),
        dir.path().join("spec.toml"),
        dir.path().join("fit.json"),
    );
    std::fs::write(&data, &csv).unwrap();
    std::fs::write(&spec, SPEC).unwrap();
    let path = |p: &std::path::Path| p.to_str().expect("a UTF-8 temporary path").to_string();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_deter"))
        .args(["fit", "models/unilateral_deterrence.toml", &path(&data)])
        .args(["--spec", &path(&spec), "--out", &path(&out)])
        .current_dir(repo(""))
        .output()
        .expect("deter runs");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr),
    );
    assert!(o.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("5000 rows used of 5000 read"), "{stdout}");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["convergence"]["converged"], true, "{}", v["convergence"]);
    let coefs = v["coefficients"].as_array().expect("coefficients");
    assert_eq!(coefs.len(), TRUTH.len());
    for (name, truth) in TRUTH {
        let c = coefs.iter().find(|c| c["name"] == name).expect(name);
        let (b, se) = (c["estimate"].as_f64().unwrap(), c["se"].as_f64().unwrap());
        assert!(
            se > 0.0 && (b - truth).abs() <= 3.0 * se,
            "{name}: estimate {b} (se {se}), truth {truth}"
        );
        // The printed table shows the same estimate.
        let row = stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("no row for {name}:\n{stdout}"));
        let printed: f64 = row.split_whitespace().nth(1).unwrap().parse().unwrap();
        assert!((printed - b).abs() < 1e-4, "{row} vs {b}");
    }
    // The estimates go back to `solve`: the hard defender's value of war is h0's estimate.
    let h0 = coefs.iter().find(|c| c["name"] == "h0").unwrap()["estimate"]
        .as_f64()
        .unwrap();
    let params = &v["parameters"];
    assert!(
        (params["d_H"].as_f64().unwrap() - h0).abs() < 1e-12,
        "{params}"
    );
}

/// A coordination game with simultaneous moves: with payoffs this large the logit QRE at
/// λ = 1 has three solutions (near either pure equilibrium and a mixed one in between), and
/// the asymmetry `d` decides which side the principal branch goes to.
const COORDINATION: &str = r#"
title = "Coordination"
players = ["P1", "P2"]
root = "p1"

[parameters]
c = { value = 5 }
d = { value = 0 }

[nodes.p1]
player = "P1"
moves = { a = "p2_a", b = "p2_b" }

[nodes.p2_a]
player = "P2"
infoset = "guess"
moves = { a = "aa", b = "ab" }

[nodes.p2_b]
player = "P2"
infoset = "guess"
moves = { a = "ba", b = "bb" }

[outcomes.aa]
payoffs = { P1 = "c + d", P2 = "c + d" }
[outcomes.ab]
payoffs = { P1 = 0, P2 = 0 }
[outcomes.ba]
payoffs = { P1 = 0, P2 = 0 }
[outcomes.bb]
payoffs = { P1 = "c", P2 = "c" }

[fit]
outcome = "outcome"
[fit.parameters]
d = "d0 + d1*x"
"#;

/// The observed outcome's log-probability at each row, computed independently: the game at
/// the row's parameters, its logit QRE at λ = 1 traced from λ = 0 by the logit solver (the
/// principal branch, followed by arc length).
fn coordination_loglik_by_the_logit_solver(su: &Setup, csv: &str, d0: f64, d1: f64) -> f64 {
    let t = &su.template;
    let mut ll = 0.0;
    for line in csv.lines().skip(1) {
        let (x, outcome) = line.split_once(',').unwrap();
        let mut theta = t.defaults();
        theta[t.params.id("d").unwrap()] = d0 + d1 * x.parse::<f64>().unwrap();
        let game = t.instantiate(&theta).unwrap();
        let q = logit::qre(GameRef::Tree(&game), 1.0, None).unwrap();
        let Profile::Behavior(p) = &q.profile else {
            panic!("a behaviour profile")
        };
        let reach = reach_probabilities(&game, p);
        let leaf = t.tree.node_names.iter().position(|n| n == outcome).unwrap();
        ll += reach[leaf].ln();
    }
    ll
}

/// Rows with several agent QREs use the principal branch, whatever the other rows are: the
/// likelihood equals the logit solver's at every row (rows alternating between the two sides,
/// so that a warm start from the previous row would land on the wrong one), and it is smooth
/// in the coefficients across the region of several solutions.
#[test]
fn rows_with_several_qres_use_the_principal_branch_and_the_likelihood_is_smooth() {
    let su = setup_text(COORDINATION, None);
    let xs = [-1.0, 0.8, -0.6, 1.0, -0.3, 0.5, -0.9, 0.25];
    let outcomes = ["bb", "aa", "ab", "aa", "bb", "ba", "bb", "aa"];
    let mut csv = String::from("x,outcome\n");
    for (x, o) in xs.iter().zip(outcomes) {
        csv.push_str(&format!("{x},{o}\n"));
    }
    let data = Data::read("data.csv", csv.as_bytes()).unwrap();
    let d = design_for(&su, &data, false);
    let lik = Likelihood::new(
        &su.template.tree,
        estimate::formulas(&su.template, &d).unwrap_or_else(|_| panic!("formulas")),
        &d,
        su.spec.errors.v,
        su.spec.link.v,
    );
    // Every row has three QREs at (d0, d1) = (0.1, 1): the symmetric ones are the roots of
    // p = Λ((2c + d)p − c), Λ the logistic function, and g = Λ(…) − p changes sign three
    // times as p = Λ(y) runs over (0, 1) (y on a fine grid of log-odds, to see roots near 1).
    let logistic = |y: f64| 1.0 / (1.0 + (-y).exp());
    for x in xs {
        let dd = 0.1 + x;
        let g = |y: f64| logistic((10.0 + dd) * logistic(y) - 5.0) - logistic(y);
        let grid: Vec<f64> = (0..40_000)
            .map(|i| g(-20.0 + f64::from(i) * 0.001))
            .collect();
        let roots = grid.windows(2).filter(|w| w[0] * w[1] < 0.0).count();
        assert_eq!(roots, 3, "x = {x}");
    }
    let at = |d0: f64, d1: f64| lik.eval(&beta_of(&d, &[("d0", d0), ("d1", d1)]), false);
    for (d0, d1) in [(0.1, 1.0), (0.05, 0.7), (-0.2, 1.2)] {
        let e = at(d0, d1);
        assert!(e.failure.is_none(), "{:?}", e.failure);
        let direct = coordination_loglik_by_the_logit_solver(&su, &csv, d0, d1);
        assert!(
            (e.loglik - direct).abs() < 1e-8 * direct.abs(),
            "d0 {d0}, d1 {d1}: {} vs the logit solver's {direct}",
            e.loglik
        );
    }
    // Smooth along d1 while every row keeps its side (no row's d crosses 0).
    let n = 200;
    let ls: Vec<f64> = (0..=n)
        .map(|i| at(0.0, 0.4 + 1.2 * i as f64 / n as f64).loglik)
        .collect();
    let h = 1.2 / n as f64;
    for (i, w) in ls.windows(3).enumerate() {
        let second = (w[0] - 2.0 * w[1] + w[2]) / (h * h);
        assert!(
            w.iter().all(|l| l.is_finite()) && second.abs() < 100.0,
            "a kink or jump at step {i}: {w:?}"
        );
    }
}
