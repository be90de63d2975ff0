//! The logit QRE correspondence as a homotopy in log-probabilities.
//!
//! A point is `y = (x, λ)` with `x_a = ln p_a` for every action. In each group (a player's
//! strategies, or an information set's actions) with reference action `r` (its first), the
//! equations are `Σ_a e^{x_a} − 1 = 0` and, for every other action `a`,
//! `x_a − x_r − λ (u_a − u_r) = 0`: the logit choice rule `p_a ∝ e^{λ u_a}` written as ratios,
//! which is how McKelvey & Palfrey (1995) and Turocy (2005) trace it. In log coordinates a
//! probability of 10⁻³⁰⁰ is an ordinary number (−690), so the path stays well conditioned as
//! λ grows and actions become unlikely; the values and beliefs behind `u` are computed from
//! the same logarithms (see [`crate::solve::values`]). Equation rows are numbered like the
//! actions (a group's first row is its sum equation).

use crate::solve::trace::Homotopy;
use crate::solve::values::{Coords, Group, ValueModel};
use nalgebra::DMatrix;

/// The QRE homotopy of a [`ValueModel`] (λ in normalised payoff units).
pub struct QreHomotopy<M: ValueModel> {
    model: M,
    groups: Vec<Group>,
    p: Vec<f64>,
    u: Vec<f64>,
    ju: DMatrix<f64>,
}

impl<M: ValueModel> QreHomotopy<M> {
    /// The homotopy of `model`.
    pub fn new(model: M) -> Self {
        let n = model.n_actions();
        let groups = model.groups().to_vec();
        QreHomotopy {
            model,
            groups,
            p: vec![0.0; n],
            u: vec![0.0; n],
            ju: DMatrix::zeros(n, n),
        }
    }

    /// The value model.
    pub fn model(&mut self) -> &mut M {
        &mut self.model
    }

    /// The value model (shared).
    pub fn model_ref(&self) -> &M {
        &self.model
    }

    /// The groups of the model.
    pub fn groups(&self) -> &[Group] {
        &self.groups
    }

    /// The starting point: the uniform profile at λ = 0.
    pub fn start(&self) -> Vec<f64> {
        let n = self.p.len();
        let mut y = vec![0.0; n + 1];
        for g in &self.groups {
            let v = -(g.actions.len() as f64).ln();
            for a in g.actions.clone() {
                y[a] = v;
            }
        }
        y
    }

    /// The values `u` at point `y` (normalised payoffs).
    pub fn values_at(&mut self, y: &[f64]) -> Vec<f64> {
        let n = self.p.len();
        self.fill_p(y);
        let mut u = vec![0.0; n];
        self.model.values(&self.p, &y[..n], Coords::Log, &mut u);
        u
    }

    fn fill_p(&mut self, y: &[f64]) {
        for (p, x) in self.p.iter_mut().zip(y) {
            *p = x.exp();
        }
    }

    fn rows(&self, y: &[f64], h: &mut [f64]) {
        let n = self.p.len();
        let lambda = y[n];
        for g in &self.groups {
            let r = g.actions.start;
            h[r] = g.actions.clone().map(|a| self.p[a]).sum::<f64>() - 1.0;
            for a in g.actions.clone().skip(1) {
                h[a] = y[a] - y[r] - lambda * (self.u[a] - self.u[r]);
            }
        }
    }
}

impl<M: ValueModel> Homotopy for QreHomotopy<M> {
    fn n_eq(&self) -> usize {
        self.p.len()
    }

    fn residual(&mut self, y: &[f64], h: &mut [f64]) {
        let n = self.p.len();
        self.fill_p(y);
        self.model
            .values(&self.p, &y[..n], Coords::Log, &mut self.u);
        self.rows(y, h);
    }

    fn jacobian(&mut self, y: &[f64], h: &mut [f64], jac: &mut DMatrix<f64>) {
        let n = self.p.len();
        self.fill_p(y);
        self.model
            .jacobian(&self.p, &y[..n], Coords::Log, &mut self.u, &mut self.ju);
        self.rows(y, h);
        let lambda = y[n];
        jac.fill(0.0);
        for g in &self.groups {
            let r = g.actions.start;
            for b in g.actions.clone() {
                jac[(r, b)] = self.p[b];
            }
            for a in g.actions.clone().skip(1) {
                for b in 0..n {
                    let d = self.ju[(a, b)] - self.ju[(r, b)];
                    if d != 0.0 {
                        jac[(a, b)] = -lambda * d;
                    }
                }
                jac[(a, a)] += 1.0;
                jac[(a, r)] -= 1.0;
                jac[(a, n)] = -(self.u[a] - self.u[r]);
            }
        }
    }
}
