//! Newton polishing of an approximate equilibrium on its support.
//!
//! Path-following methods (logit tracing, global Newton) end near an equilibrium, not on it:
//! along the logit path the distance to the limit shrinks only like 1/λ. Once it is clear which
//! actions are best responses in the limit, the equilibrium solves a square-ish polynomial
//! system: in every group, the probabilities of the actions kept sum to one, and every best
//! response `a` is exactly as good as the group's reference action (`u_a = u_r`); all other
//! actions have probability zero. A best response may itself have probability zero in the
//! limit (the logit path then keeps its indifference equation but not its probability, which is
//! what pins down the others' mixtures in degenerate games).
//!
//! In the agent form of a tree, an information set that the limit reaches only through moves
//! of probability zero has beliefs that Bayes' rule on the limit cannot give. There those moves
//! carry log-weights (their probabilities on the logit path), which are unknowns too; for two
//! groups of members to keep positive belief, their moves must vanish at the same rate, which
//! adds one *rate-tie* equation per extra group ([`PolishModel::ties`]). This is what pins
//! down, say, a receiver's mixture after an unsent signal in a signalling game.
//!
//! The system is solved by Gauss–Newton with minimum-norm least-squares steps (SVD), which
//! converges quadratically on a regular system and still finds a nearby solution when the
//! system is consistent but rank-deficient (a continuum of equilibria). A probability that goes
//! negative moves its action to the probability-zero best responses and the solve restarts.
//! Whatever comes out is only a candidate: callers certify it independently.

use crate::solve::values::{logs, AgentValues, Coords, Group, StrategicValues, ValueModel};
use nalgebra::{DMatrix, DVector};

/// What polishing needs from a model beyond its values.
pub trait PolishModel: ValueModel {
    /// True if zero-probability actions carry adjustable log-weights (linear-mode Jacobian
    /// columns of such actions are derivatives with respect to them).
    fn has_weights(&self) -> bool {
        false
    }
    /// Adds `d` to the log-weight of action `a`.
    fn shift_weight(&mut self, _a: usize, _d: f64) {}
    /// Extra equations `Σ coefficient · u_action = 0` for the profile `p` (zero pattern) and
    /// the groups' reference actions.
    fn ties(&mut self, _p: &[f64], _refs: &[usize]) -> Vec<Vec<(usize, f64)>> {
        Vec::new()
    }
}

impl PolishModel for StrategicValues {}

impl PolishModel for AgentValues {
    fn has_weights(&self) -> bool {
        self.path_weights().is_some()
    }
    fn shift_weight(&mut self, a: usize, d: f64) {
        AgentValues::shift_weight(self, a, d);
    }
    fn ties(&mut self, p: &[f64], refs: &[usize]) -> Vec<Vec<(usize, f64)>> {
        if self.path_weights().is_none() {
            return Vec::new();
        }
        self.tie_equations(p, refs, 1e-6)
    }
}

/// Residual below which a polished system counts as solved (normalised payoff units).
pub const SOLVED: f64 = 1e-13;

/// Polishes `start` with the best responses `best` (per action). Returns the polished profile,
/// or `None` if the system has no nearby solution.
pub fn polish<M: PolishModel>(model: &mut M, start: &[f64], best: &[bool]) -> Option<Vec<f64>> {
    let n = model.n_actions();
    let groups = model.groups().to_vec();
    let mut zero = vec![false; n];
    let mut start = start.to_vec();
    for _round in 0..6 {
        let sigma = solve_support(model, &groups, &start, best, &zero)?;
        let negative: Vec<usize> = (0..n)
            .filter(|&a| best[a] && !zero[a] && sigma[a] < -1e-10)
            .collect();
        if negative.is_empty() {
            let mut s = sigma;
            for g in &groups {
                for a in g.actions.clone() {
                    s[a] = s[a].max(0.0);
                }
                let tot: f64 = g.actions.clone().map(|a| s[a]).sum();
                if tot <= 0.0 {
                    return None;
                }
                for a in g.actions.clone() {
                    s[a] /= tot;
                }
            }
            return Some(s);
        }
        for a in negative {
            zero[a] = true;
        }
        start = sigma.iter().map(|&v| v.max(0.0)).collect();
    }
    None
}

/// Gauss–Newton on the support system; `None` if it does not converge.
fn solve_support<M: PolishModel>(
    model: &mut M,
    groups: &[Group],
    start: &[f64],
    best: &[bool],
    zero: &[bool],
) -> Option<Vec<f64>> {
    let n = model.n_actions();
    let unknown: Vec<usize> = (0..n).filter(|&a| best[a] && !zero[a]).collect();
    let mut is_unknown = vec![false; n];
    for &a in &unknown {
        is_unknown[a] = true;
    }
    // Reference action per group: the likeliest unknown.
    let mut refs = Vec::with_capacity(groups.len());
    for g in groups {
        let r = g
            .actions
            .clone()
            .filter(|&a| is_unknown[a])
            .max_by(|&a, &b| start[a].total_cmp(&start[b]))?;
        refs.push(r);
    }
    let mut sigma = vec![0.0; n];
    for g in groups {
        let tot: f64 = g
            .actions
            .clone()
            .filter(|&a| is_unknown[a])
            .map(|a| start[a].max(0.0))
            .sum();
        let k = g.actions.clone().filter(|&a| is_unknown[a]).count() as f64;
        for a in g.actions.clone().filter(|&a| is_unknown[a]) {
            sigma[a] = if tot > 0.0 {
                start[a].max(0.0) / tot
            } else {
                1.0 / k
            };
        }
    }
    // Unknown log-weights of the zero-probability actions (agent form), then the equations
    // that tie their rates. An unknown whose start is zero would be a weighted action too; give
    // it a tiny positive start instead so the zero pattern is the polish's own.
    for &a in &unknown {
        if sigma[a] == 0.0 {
            sigma[a] = 1e-12;
        }
    }
    let weights: Vec<usize> = if model.has_weights() {
        (0..n).filter(|&a| !is_unknown[a]).collect()
    } else {
        Vec::new()
    };
    let ties = model.ties(&sigma, &refs);
    let n_rows: usize = groups
        .iter()
        .map(|g| g.actions.clone().filter(|&a| best[a]).count())
        .sum::<usize>()
        + ties.len();
    let n_cols = unknown.len() + weights.len();
    let mut u = vec![0.0; n];
    let mut ju = DMatrix::zeros(n, n);
    let residual = |u: &[f64], ju: Option<&DMatrix<f64>>, sigma: &[f64]| {
        let mut f = DVector::zeros(n_rows);
        let mut jf = DMatrix::zeros(if ju.is_some() { n_rows } else { 0 }, n_cols);
        let mut row = 0;
        let put_row = |row: usize, coef: &[(usize, f64)], jf: &mut DMatrix<f64>| {
            if let Some(ju) = ju {
                for (k, &b) in unknown.iter().chain(&weights).enumerate() {
                    jf[(row, k)] = coef.iter().map(|&(a, c)| c * ju[(a, b)]).sum();
                }
            }
        };
        for (g, &r) in groups.iter().zip(&refs) {
            f[row] = g.actions.clone().map(|a| sigma[a]).sum::<f64>() - 1.0;
            if ju.is_some() {
                for (k, &a) in unknown.iter().enumerate() {
                    if g.actions.contains(&a) {
                        jf[(row, k)] = 1.0;
                    }
                }
            }
            row += 1;
            for a in g.actions.clone().filter(|&a| best[a] && a != r) {
                f[row] = u[a] - u[r];
                put_row(row, &[(a, 1.0), (r, -1.0)], &mut jf);
                row += 1;
            }
        }
        for t in &ties {
            f[row] = t.iter().map(|&(a, c)| c * u[a]).sum();
            put_row(row, t, &mut jf);
            row += 1;
        }
        (f, jf)
    };
    let mut best_res = f64::INFINITY;
    let mut stalls = 0;
    for _ in 0..200 {
        model.jacobian(&sigma, &logs(&sigma), Coords::Linear, &mut u, &mut ju);
        let (f, jf) = residual(&u, Some(&ju), &sigma);
        let res = f.amax();
        if !res.is_finite() {
            return None;
        }
        if res <= 1e-15 {
            break;
        }
        // Singular (but consistent) systems converge only linearly: keep going while the
        // residual still falls.
        if res < best_res * 0.9 {
            stalls = 0;
        } else {
            stalls += 1;
            if stalls >= 4 {
                break;
            }
        }
        best_res = best_res.min(res);
        let svd = jf.svd(true, true);
        let smax = svd.singular_values.max();
        let d = svd.solve(&(-f), smax * 1e-11).ok()?;
        for (k, &a) in unknown.iter().enumerate() {
            sigma[a] += d[k];
            // A probability that reaches zero exactly would turn into a weighted move.
            if sigma[a] == 0.0 {
                sigma[a] = 1e-300;
            }
        }
        for (k, &a) in weights.iter().enumerate() {
            model.shift_weight(a, d[unknown.len() + k]);
        }
    }
    // Final residual at the last iterate.
    model.values(&sigma, &logs(&sigma), Coords::Linear, &mut u);
    let (f, _) = residual(&u, None, &sigma);
    (f.amax() <= SOLVED).then_some(sigma)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::StrategicGame;
    use crate::solve::values::StrategicValues;

    #[test]
    fn polishes_a_three_player_mixed_equilibrium() {
        // Each player wants to mismatch the next one (a cyclic pennies game): the unique
        // equilibrium is everyone mixing 50:50.
        let mut pay = Vec::new();
        for prof in 0..8usize {
            let s = [prof & 1, (prof >> 1) & 1, (prof >> 2) & 1];
            for i in 0..3 {
                pay.push(if s[i] != s[(i + 1) % 3] { 1.0 } else { 0.0 });
            }
        }
        let g = StrategicGame {
            title: String::new(),
            players: vec!["a".into(), "b".into(), "c".into()],
            strategies: vec![vec!["0".into(), "1".into()]; 3],
            payoffs: pay,
            exact: None,
        };
        let mut m = StrategicValues::new(&g);
        let start = [0.45, 0.55, 0.6, 0.4, 0.52, 0.48];
        let s = polish(&mut m, &start, &[true; 6]).expect("converges");
        for v in s {
            assert!((v - 0.5).abs() < 1e-14);
        }
    }
}
