//! Standard errors and intervals for the estimates.
//!
//! - **Hessian** (default): the inverse of the negative log-likelihood's Hessian at the optimum
//!   (computed by forward differences of the analytic gradient, see
//!   [`crate::fit::optimise::hessian`]).
//! - **Clustered**: the sandwich `H⁻¹ (Σ_g s_g s_gᵀ) H⁻¹ · G/(G−1)`, with `s_g` the sum of the
//!   per-row scores (gradients of each row's log-likelihood) in cluster `g`.
//! - **Bootstrap**: the model refitted on `B` resamples of the rows (of whole clusters when
//!   clustering), in parallel; the standard deviation of the replicates, with percentile
//!   intervals.
//! - **Delta method** for any smooth function of the coefficients ([`delta`]).

use super::choice::big_phi;
use super::likelihood::Likelihood;
use super::optimise::{maximise, Options};
use super::rng::Rng;
use rayon::prelude::*;

/// Two-sided p-value of a z statistic.
pub fn p_value(z: f64) -> f64 {
    2.0 * big_phi(-z.abs())
}

/// The inverse of a symmetric positive definite matrix (row-major), if it is one.
pub fn inverse(h: &[f64], k: usize) -> Option<Vec<f64>> {
    let m = nalgebra::DMatrix::from_row_slice(k, k, h);
    let c = nalgebra::Cholesky::new(m)?;
    let inv = c.inverse();
    Some((0..k * k).map(|i| inv[(i / k, i % k)]).collect())
}

/// The clustered covariance from the inverse Hessian, the per-cell scores, and each row's cell
/// and cluster.
pub fn cluster_vcov(
    h_inv: &[f64],
    k: usize,
    cell_scores: &[f64],
    row_cell: &[u32],
    clusters: &[u32],
) -> (Vec<f64>, usize) {
    let g = clusters.iter().copied().max().map_or(0, |m| m as usize + 1);
    let mut sums = vec![0.0; g * k];
    for (r, &c) in row_cell.iter().enumerate() {
        let cl = clusters[r] as usize;
        for j in 0..k {
            sums[cl * k + j] += cell_scores[c as usize * k + j];
        }
    }
    let mut meat = vec![0.0; k * k];
    for s in sums.chunks_exact(k) {
        for i in 0..k {
            for j in 0..k {
                meat[i * k + j] += s[i] * s[j];
            }
        }
    }
    let adj = if g > 1 {
        g as f64 / (g as f64 - 1.0)
    } else {
        1.0
    };
    let a = nalgebra::DMatrix::from_row_slice(k, k, h_inv);
    let b = nalgebra::DMatrix::from_row_slice(k, k, &meat);
    let v = &a * b * &a * adj;
    ((0..k * k).map(|i| v[(i / k, i % k)]).collect(), g)
}

/// Bootstrap replicates of the coefficients.
#[derive(Clone, Debug)]
pub struct Bootstrap {
    /// Successful replicates (each `k` coefficients).
    pub draws: Vec<Vec<f64>>,
    /// Replicates whose fit failed or did not converge.
    pub failed: usize,
    /// Whether whole clusters were resampled.
    pub clustered: bool,
}

impl Bootstrap {
    /// The covariance of the replicates.
    pub fn vcov(&self, k: usize) -> Vec<f64> {
        let n = self.draws.len() as f64;
        let mean: Vec<f64> = (0..k)
            .map(|j| self.draws.iter().map(|d| d[j]).sum::<f64>() / n)
            .collect();
        let mut v = vec![0.0; k * k];
        for d in &self.draws {
            for i in 0..k {
                for j in 0..k {
                    v[i * k + j] += (d[i] - mean[i]) * (d[j] - mean[j]) / (n - 1.0).max(1.0);
                }
            }
        }
        v
    }

    /// The `(α/2, 1 − α/2)` percentile interval of coefficient `j`.
    pub fn percentile(&self, j: usize, alpha: f64) -> (f64, f64) {
        let mut x: Vec<f64> = self.draws.iter().map(|d| d[j]).collect();
        x.sort_by(f64::total_cmp);
        let q = |p: f64| {
            if x.is_empty() {
                return f64::NAN;
            }
            let pos = p * (x.len() - 1) as f64;
            let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
            x[lo] + (x[hi] - x[lo]) * (pos - lo as f64)
        };
        (q(alpha / 2.0), q(1.0 - alpha / 2.0))
    }
}

/// Refits the model on `replicates` resamples, in parallel, calling `progress` after each.
pub fn bootstrap(
    lik: &Likelihood<'_>,
    beta: &[f64],
    replicates: usize,
    seed: u64,
    clusters: Option<&[u32]>,
    progress: &(dyn Fn() + Sync),
) -> Bootstrap {
    let d = lik.design;
    let n = d.n_rows();
    // Rows by cluster (or each row its own cluster).
    let groups: Vec<Vec<u32>> = match clusters {
        Some(cl) => {
            let g = cl.iter().copied().max().map_or(0, |m| m as usize + 1);
            let mut v = vec![Vec::new(); g];
            for (r, &c) in cl.iter().enumerate() {
                v[c as usize].push(r as u32);
            }
            v
        }
        None => (0..n as u32).map(|r| vec![r]).collect(),
    };
    let results: Vec<Option<Vec<f64>>> = (0..replicates)
        .into_par_iter()
        .map(|b| {
            let mut rng = Rng::stream(seed, b as u64);
            let mut weights = vec![0.0; d.cells.len()];
            for _ in 0..groups.len() {
                for &r in &groups[rng.below(groups.len())] {
                    weights[d.row_cell[r as usize] as usize] += 1.0;
                }
            }
            let mut l = lik.clone();
            l.weights = weights;
            let res = maximise(&l, beta, &Options::default())
                .ok()
                .filter(|o| o.converged)
                .map(|o| o.beta);
            progress();
            res
        })
        .collect();
    let failed = results.iter().filter(|r| r.is_none()).count();
    Bootstrap {
        draws: results.into_iter().flatten().collect(),
        failed,
        clustered: clusters.is_some(),
    }
}

/// Delta-method standard error of `f(β)` given its gradient `g` and the covariance `v`.
pub fn delta(g: &[f64], v: &[f64]) -> f64 {
    let k = g.len();
    let mut s = 0.0;
    for i in 0..k {
        for j in 0..k {
            s += g[i] * v[i * k + j] * g[j];
        }
    }
    s.max(0.0).sqrt()
}
