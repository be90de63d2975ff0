//! The strategic (normal) form: players, named strategies, and a payoff table.
//!
//! Strategic-form solvers (support enumeration, matrix LP, pure enumeration, correlated
//! equilibrium) see only this type. Profiles are numbered with the first player's strategy
//! changing fastest, as in Gambit's `.nfg` files.

/// A game in strategic form with any number of players.
#[derive(Clone, Debug, PartialEq)]
pub struct StrategicGame {
    /// Title of the game.
    pub title: String,
    /// Player names.
    pub players: Vec<String>,
    /// Strategy names per player.
    pub strategies: Vec<Vec<String>>,
    /// `payoffs[profile * n_players + player]`, profiles numbered first player fastest.
    pub payoffs: Vec<f64>,
    /// The same payoffs as exact rationals, when they are all rational (`None`: only the
    /// floats are known).
    pub exact: Option<std::sync::Arc<Vec<crate::exact::Rational>>>,
}

impl StrategicGame {
    /// Number of players.
    pub fn n_players(&self) -> usize {
        self.players.len()
    }

    /// Number of strategies of each player.
    pub fn shape(&self) -> Vec<usize> {
        self.strategies.iter().map(Vec::len).collect()
    }

    /// Number of pure-strategy profiles.
    pub fn n_profiles(&self) -> usize {
        self.strategies.iter().map(Vec::len).product()
    }

    /// Index of a pure profile given each player's strategy.
    pub fn profile_index(&self, pure: &[usize]) -> usize {
        let mut ix = 0;
        let mut stride = 1;
        for (p, &s) in pure.iter().enumerate() {
            ix += s * stride;
            stride *= self.strategies[p].len();
        }
        ix
    }

    /// Payoff of `player` at a pure profile.
    pub fn payoff(&self, pure: &[usize], player: usize) -> f64 {
        self.payoffs[self.profile_index(pure) * self.n_players() + player]
    }

    /// Largest absolute payoff (at least 1): the scale for tolerances.
    pub fn payoff_scale(&self) -> f64 {
        self.payoffs.iter().fold(1.0f64, |m, &x| m.max(x.abs()))
    }

    /// Expected payoff of every player under a mixed profile (`mixed[p][s]`).
    pub fn expected_payoffs(&self, mixed: &[Vec<f64>]) -> Vec<f64> {
        let np = self.n_players();
        let shape = self.shape();
        let mut out = vec![0.0; np];
        let mut pure = vec![0usize; np];
        for prof in 0..self.n_profiles() {
            let mut pr = 1.0;
            for p in 0..np {
                pr *= mixed[p][pure[p]];
            }
            if pr != 0.0 {
                for (p, o) in out.iter_mut().enumerate() {
                    *o += pr * self.payoffs[prof * np + p];
                }
            }
            advance(&mut pure, &shape);
        }
        out
    }

    /// Each player's regret under a mixed profile: the best pure deviation's payoff minus the
    /// current expected payoff. Independent of any solver.
    pub fn regrets(&self, mixed: &[Vec<f64>]) -> Vec<f64> {
        let np = self.n_players();
        let shape = self.shape();
        let current = self.expected_payoffs(mixed);
        // dev[p][s]: payoff of p playing s against the others' mixture.
        let mut dev: Vec<Vec<f64>> = shape.iter().map(|&n| vec![0.0; n]).collect();
        let mut pure = vec![0usize; np];
        for prof in 0..self.n_profiles() {
            for p in 0..np {
                let mut pr = 1.0;
                for (q, mq) in mixed.iter().enumerate() {
                    if q != p {
                        pr *= mq[pure[q]];
                    }
                }
                if pr != 0.0 {
                    dev[p][pure[p]] += pr * self.payoffs[prof * np + p];
                }
            }
            advance(&mut pure, &shape);
        }
        (0..np)
            .map(|p| {
                let best = dev[p].iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                (best - current[p]).max(0.0)
            })
            .collect()
    }
}

/// Steps a pure profile to the next one, first player fastest.
pub fn advance(pure: &mut [usize], shape: &[usize]) {
    for (p, s) in pure.iter_mut().enumerate() {
        *s += 1;
        if *s < shape[p] {
            return;
        }
        *s = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pennies() -> StrategicGame {
        StrategicGame {
            title: "pennies".into(),
            players: vec!["1".into(), "2".into()],
            strategies: vec![vec!["H".into(), "T".into()], vec!["H".into(), "T".into()]],
            // (H,H) (T,H) (H,T) (T,T)
            payoffs: vec![1., -1., -1., 1., -1., 1., 1., -1.],
            exact: None,
        }
    }

    #[test]
    fn mixed_half_has_zero_regret() {
        let g = pennies();
        let r = g.regrets(&[vec![0.5, 0.5], vec![0.5, 0.5]]);
        assert!(r.iter().all(|&x| x.abs() < 1e-12));
        let r = g.regrets(&[vec![1.0, 0.0], vec![1.0, 0.0]]);
        assert!((r[1] - 2.0).abs() < 1e-12);
    }
}
