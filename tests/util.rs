//! Shared helpers for the integration tests.

use deter::game::{Game, NodeKind};
use deter::model::{self, GameTemplate};
use deter::solve::{
    self, backward::BackwardInduction, GameRef, Profile, Solution, SolveOptions, Solver,
};
use std::path::PathBuf;
use std::process::{Command, Output};

/// Path of a file relative to the repository root.
pub fn repo(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Runs the `deter` binary with these arguments in the repository root and waits for it: its
/// exit status, standard output and standard error.
pub fn deter(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_deter"))
        .args(args)
        .current_dir(repo(""))
        .output()
        .expect("runs deter")
}

/// Runs `deter` like [`deter`], expecting it to succeed (panics with the exit status and both
/// streams otherwise); its standard output, which must be UTF-8.
pub fn deter_ok(args: &[&str]) -> String {
    let o = deter(args);
    assert!(
        o.status.success(),
        "deter {args:?}: exit {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status,
        stdout(&o),
        stderr(&o)
    );
    String::from_utf8(o.stdout).expect("deter writes UTF-8")
}

/// A finished run's standard output as text (bytes that are not UTF-8 replaced).
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A finished run's standard error as text (bytes that are not UTF-8 replaced).
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Loads a model from models/ (panics with the rendered diagnostics if it has errors).
pub fn template(rel: &str) -> GameTemplate {
    let path = repo(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    let loaded = model::load(rel, text);
    match loaded.template {
        Some(t) => t,
        None => panic!(
            "{}",
            deter::diag::render_short(&loaded.source, &loaded.diags)
        ),
    }
}

/// Solves by backward induction and certifies; asserts the certificate (regret ≤ 1e-9).
pub fn solve_bi(game: &Game) -> Solution {
    let mut sol = BackwardInduction
        .solve(GameRef::Tree(game), &SolveOptions::default())
        .unwrap();
    solve::certify(GameRef::Tree(game), &mut sol).unwrap();
    for eq in &sol.equilibria {
        assert!(eq.max_regret() <= 1e-9, "regret {} > 1e-9", eq.max_regret());
    }
    sol
}

/// The move chosen (with probability one) at the node with this name.
pub fn choice(game: &Game, sol: &Solution, node: &str) -> String {
    let Profile::Behavior(p) = &sol.equilibria[0].profile else {
        panic!("not a behaviour profile")
    };
    let tree = &game.tree;
    let id = tree
        .node_names
        .iter()
        .position(|n| n == node)
        .unwrap_or_else(|| panic!("no node {node}"));
    let n = tree.nodes[id];
    let NodeKind::Decision { infoset, .. } = n.kind else {
        panic!("{node} is not a decision node")
    };
    let s = &tree.infosets[infoset.ix()];
    let a = (0..s.n_actions as usize)
        .find(|&a| p[s.first_action as usize + a] > 0.5)
        .expect("a pure choice");
    tree.move_labels[n.first_child as usize + a].to_string()
}

/// Parameter vector: defaults with some values replaced.
pub fn theta(t: &GameTemplate, scenario: Option<&str>, sets: &[(&str, f64)]) -> Vec<f64> {
    let sets: Vec<(String, f64)> = sets.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    t.point(scenario, &sets).unwrap()
}

/// Asserts two float slices are equal within `tol`.
pub fn assert_close(got: &[f64], want: &[f64], tol: f64) {
    assert_eq!(got.len(), want.len(), "lengths differ: {got:?} vs {want:?}");
    for (g, w) in got.iter().zip(want) {
        assert!((g - w).abs() <= tol, "got {got:?}, want {want:?}");
    }
}

/// The docs/models/hedging.md parameters, read from a parameter vector by name.
pub struct Hedge {
    pub c_d: f64,
    pub a: f64,
    pub lambda: f64,
    pub t: f64,
    pub l: f64,
    pub psi0: f64,
    pub beta: f64,
    pub rho: f64,
    pub g: f64,
}

impl Hedge {
    pub fn of(t: &GameTemplate, th: &[f64]) -> Hedge {
        let p = |n: &str| th[t.params.id(n).unwrap()];
        Hedge {
            c_d: p("c_D"),
            a: p("a"),
            lambda: p("lambda"),
            t: p("T"),
            l: p("L"),
            psi0: p("psi0"),
            beta: p("beta"),
            rho: p("rho"),
            g: p("g"),
        }
    }
    /// T* = −ψ0/β.
    pub fn t_star(&self) -> f64 {
        -self.psi0 / self.beta
    }
    /// Λ = L − λT.
    pub fn big_lambda(&self) -> f64 {
        self.l - self.lambda * self.t
    }
    /// §4 "Hedging deters": T > T* and c_D > a and (c_D < a + Λ, or g + ρ < 0).
    pub fn deters(&self) -> bool {
        self.t > self.t_star()
            && self.c_d > self.a
            && (self.c_d < self.a + self.big_lambda() || self.g + self.rho < 0.0)
    }
    /// §4 "Hedging provokes": if T > T*, a + Λ < c_D < a and g + ρ > 0; if T ≤ T*,
    /// a − λT < c_D < a.
    pub fn provokes(&self) -> bool {
        if self.t > self.t_star() {
            self.a + self.big_lambda() < self.c_d && self.c_d < self.a && self.g + self.rho > 0.0
        } else {
            self.a - self.lambda * self.t < self.c_d && self.c_d < self.a
        }
    }
    /// Distance to the nearest boundary of the two regions (to skip near-ties).
    pub fn margin(&self) -> f64 {
        [
            self.t - self.t_star(),
            self.c_d - self.a,
            self.c_d - self.a - self.big_lambda(),
            self.g + self.rho,
            self.c_d - (self.a - self.lambda * self.t),
        ]
        .iter()
        .fold(f64::INFINITY, |m, x| m.min(x.abs()))
    }
}
