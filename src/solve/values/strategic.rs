//! Values of pure strategies in a strategic game with any number of players.
//!
//! `u[(i, s)]` is player `i`'s expected payoff from strategy `s` against the others' mixtures:
//! one pass over the payoff table, each profile weighted by the product of the other players'
//! probabilities (prefix and suffix products, so no division by a probability that may be
//! zero). The Jacobian `∂u[(i, s)] / ∂p[(j, t)]` (zero for `j = i`) is a second pass with the
//! products that leave out two players.

use super::{Coords, Group, ValueModel};
use crate::game::StrategicGame;
use nalgebra::DMatrix;

/// A strategic game's payoffs, normalised to the unit range, laid out for [`ValueModel`].
#[derive(Clone, Debug)]
pub struct StrategicValues {
    shape: Vec<usize>,
    /// First index of each player's strategies in the probability vector.
    offset: Vec<usize>,
    groups: Vec<Group>,
    /// `pay[profile * n + i]`, normalised.
    pay: Vec<f64>,
    scale: f64,
    n_actions: usize,
}

impl StrategicValues {
    /// The model of `game`.
    pub fn new(game: &StrategicGame) -> Self {
        let shape = game.shape();
        let mut offset = Vec::with_capacity(shape.len());
        let mut groups = Vec::with_capacity(shape.len());
        let mut n = 0;
        for (i, &k) in shape.iter().enumerate() {
            offset.push(n);
            groups.push(Group {
                actions: n..n + k,
                player: i,
            });
            n += k;
        }
        let (lo, hi) = game
            .payoffs
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &x| {
                (l.min(x), h.max(x))
            });
        let scale = if hi > lo { hi - lo } else { 1.0 };
        let lo = if lo.is_finite() { lo } else { 0.0 };
        let pay = game.payoffs.iter().map(|&x| (x - lo) / scale).collect();
        StrategicValues {
            shape,
            offset,
            groups,
            pay,
            scale,
            n_actions: n,
        }
    }

    /// Number of strategies of each player.
    pub fn shape(&self) -> &[usize] {
        &self.shape
    }

    /// The index in the probability vector of player `i`'s strategy `s`.
    pub fn index(&self, i: usize, s: usize) -> usize {
        self.offset[i] + s
    }

    /// Splits a probability vector into one mixed strategy per player.
    pub fn split(&self, p: &[f64]) -> Vec<Vec<f64>> {
        self.groups
            .iter()
            .map(|g| p[g.actions.clone()].to_vec())
            .collect()
    }

    fn n_profiles(&self) -> usize {
        self.shape.iter().product()
    }
}

/// Steps `pure` to the next profile, first player fastest.
fn advance(pure: &mut [usize], shape: &[usize]) {
    for (s, &k) in pure.iter_mut().zip(shape) {
        *s += 1;
        if *s < k {
            return;
        }
        *s = 0;
    }
}

impl ValueModel for StrategicValues {
    fn n_actions(&self) -> usize {
        self.n_actions
    }
    fn groups(&self) -> &[Group] {
        &self.groups
    }
    fn n_players(&self) -> usize {
        self.shape.len()
    }
    fn scale(&self) -> f64 {
        self.scale
    }

    fn values(&mut self, p: &[f64], _x: &[f64], _mode: Coords, u: &mut [f64]) {
        let n = self.shape.len();
        u.iter_mut().for_each(|v| *v = 0.0);
        let mut pure = vec![0usize; n];
        let mut q = vec![0.0; n];
        let mut suf = vec![1.0; n + 1];
        for prof in 0..self.n_profiles() {
            for i in 0..n {
                q[i] = p[self.offset[i] + pure[i]];
            }
            for i in (0..n).rev() {
                suf[i] = suf[i + 1] * q[i];
            }
            let mut pre = 1.0;
            for i in 0..n {
                let w = pre * suf[i + 1];
                if w != 0.0 {
                    u[self.offset[i] + pure[i]] += w * self.pay[prof * n + i];
                }
                pre *= q[i];
            }
            advance(&mut pure, &self.shape);
        }
    }

    fn jacobian(
        &mut self,
        p: &[f64],
        x: &[f64],
        mode: Coords,
        u: &mut [f64],
        jac: &mut DMatrix<f64>,
    ) {
        self.values(p, x, mode, u);
        let n = self.shape.len();
        jac.fill(0.0);
        let mut pure = vec![0usize; n];
        let mut q = vec![0.0; n];
        let mut r = vec![0.0; n];
        let mut pre = vec![1.0; n + 1];
        let mut suf = vec![1.0; n + 1];
        for prof in 0..self.n_profiles() {
            for k in 0..n {
                q[k] = p[self.offset[k] + pure[k]];
            }
            for i in 0..n {
                let pay = self.pay[prof * n + i];
                if pay == 0.0 {
                    continue;
                }
                // Products of the others' probabilities leaving out player i and one more.
                r.copy_from_slice(&q);
                r[i] = 1.0;
                for k in 0..n {
                    pre[k + 1] = pre[k] * r[k];
                }
                for k in (0..n).rev() {
                    suf[k] = suf[k + 1] * r[k];
                }
                let row = self.offset[i] + pure[i];
                for j in (0..n).filter(|&j| j != i) {
                    let w = pre[j] * suf[j + 1];
                    if w != 0.0 {
                        jac[(row, self.offset[j] + pure[j])] += w * pay;
                    }
                }
            }
            advance(&mut pure, &self.shape);
        }
        if mode == Coords::Log {
            for (b, &pb) in p.iter().enumerate() {
                jac.column_mut(b).scale_mut(pb);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 3-player game with 2, 3 and 2 strategies and arbitrary payoffs.
    pub(crate) fn game() -> StrategicGame {
        let shape = [2usize, 3, 2];
        let np: usize = shape.iter().product();
        let payoffs = (0..np * 3)
            .map(|k| ((k * 7919) % 23) as f64 - 11.0)
            .collect();
        StrategicGame {
            title: String::new(),
            players: vec!["a".into(), "b".into(), "c".into()],
            strategies: shape
                .iter()
                .map(|&k| (0..k).map(|s| s.to_string()).collect())
                .collect(),
            payoffs,
            exact: None,
        }
    }

    #[test]
    fn values_match_the_games_expected_payoffs() {
        let g = game();
        let mut m = StrategicValues::new(&g);
        let p = vec![0.3, 0.7, 0.2, 0.5, 0.3, 0.9, 0.1];
        let mut u = vec![0.0; 7];
        m.values(&p, &super::super::logs(&p), Coords::Linear, &mut u);
        let mixed = m.split(&p);
        let pays = g.expected_payoffs(&mixed);
        // Σ_s p_s u_s is the player's expected (normalised) payoff.
        for (i, gr) in m.groups().to_vec().iter().enumerate() {
            let e: f64 = gr.actions.clone().map(|a| p[a] * u[a]).sum();
            let lo = g.payoffs.iter().cloned().fold(f64::INFINITY, f64::min);
            assert!((e * m.scale() + lo - pays[i]).abs() < 1e-12);
        }
    }

    #[test]
    fn jacobian_matches_finite_differences() {
        let g = game();
        let mut m = StrategicValues::new(&g);
        let p = vec![0.3, 0.7, 0.2, 0.5, 0.3, 0.9, 0.1];
        let x = super::super::logs(&p);
        let mut u = vec![0.0; 7];
        for mode in [Coords::Linear, Coords::Log] {
            let mut jac = DMatrix::zeros(7, 7);
            m.jacobian(&p, &x, mode, &mut u, &mut jac);
            for b in 0..7 {
                let h = 1e-6;
                let mut p2 = p.clone();
                match mode {
                    Coords::Linear => p2[b] += h,
                    Coords::Log => p2[b] *= h.exp(),
                }
                let mut u2 = vec![0.0; 7];
                m.values(&p2, &super::super::logs(&p2), mode, &mut u2);
                for a in 0..7 {
                    let fd = (u2[a] - u[a]) / h;
                    assert!((fd - jac[(a, b)]).abs() < 1e-5, "{mode:?} ({a},{b})");
                }
            }
        }
    }
}
