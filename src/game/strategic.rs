//! The strategic (normal) form: players, named strategies, and a payoff table.
//!
//! Strategic-form solvers (support enumeration, matrix LP, pure enumeration, correlated
//! equilibrium) see only this type. Profiles are numbered with the first player's strategy
//! changing fastest, as in Gambit's `.nfg` files.

use crate::exact::{Rational, Scalar};

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

    /// Each player's smallest and largest payoff (`(0, 0)` for a game without profiles): the
    /// ranges that tolerances are relative to.
    pub fn payoff_ranges(&self) -> Vec<(f64, f64)> {
        ranges(&self.payoffs, self.n_players())
    }

    /// Expected payoff of every player under a mixed profile (`mixed[p][s]`).
    pub fn expected_payoffs(&self, mixed: &[Vec<f64>]) -> Vec<f64> {
        expected_payoffs_in(&self.shape(), &self.payoffs, mixed)
    }

    /// Each player's regret under a mixed profile: the best pure deviation's payoff minus the
    /// current expected payoff. Independent of any solver.
    pub fn regrets(&self, mixed: &[Vec<f64>]) -> Vec<f64> {
        regrets_in(&self.shape(), &self.payoffs, mixed)
    }

    /// Each player's regret computed exactly, when the payoffs are exact (`None` otherwise).
    pub fn exact_regrets(&self, mixed: &[Vec<Rational>]) -> Option<Vec<Rational>> {
        let ex = self.exact.as_ref()?;
        Some(regrets_in(&self.shape(), ex, mixed))
    }
}

/// Each player's `(min, max)` over a payoff table laid out `[profile * np + player]`.
pub fn ranges(payoffs: &[f64], np: usize) -> Vec<(f64, f64)> {
    let mut out = vec![(f64::INFINITY, f64::NEG_INFINITY); np];
    for row in payoffs.chunks_exact(np.max(1)) {
        for (r, &x) in out.iter_mut().zip(row) {
            r.0 = r.0.min(x);
            r.1 = r.1.max(x);
        }
    }
    for r in &mut out {
        if r.0 > r.1 {
            *r = (0.0, 0.0);
        }
    }
    out
}

/// Calls `f(index, probability, pure)` for every pure profile in the support of `mixed`
/// (entries that are exactly zero are skipped), where `index` numbers the profile as in the
/// payoff table of a game with this `shape`. Player `free` (if any) ranges over all its
/// strategies with weight one instead.
fn for_support<T: Scalar>(
    shape: &[usize],
    mixed: &[Vec<T>],
    free: Option<usize>,
    mut f: impl FnMut(usize, &T, &[usize]),
) {
    let np = shape.len();
    let support: Vec<Vec<usize>> = (0..np)
        .map(|p| {
            if Some(p) == free {
                (0..shape[p]).collect()
            } else {
                (0..shape[p])
                    .filter(|&s| mixed[p].get(s).is_some_and(|x| !x.is_zero()))
                    .collect()
            }
        })
        .collect();
    if support.iter().any(Vec::is_empty) {
        return;
    }
    let mut stride = vec![1usize; np];
    for p in 1..np {
        stride[p] = stride[p - 1] * shape[p - 1];
    }
    let mut k = vec![0usize; np];
    let mut pure = vec![0usize; np];
    loop {
        let mut ix = 0;
        let mut pr = T::one();
        for p in 0..np {
            let s = support[p][k[p]];
            pure[p] = s;
            ix += s * stride[p];
            if Some(p) != free {
                pr = pr * mixed[p][s].clone();
            }
        }
        f(ix, &pr, &pure);
        let mut p = 0;
        loop {
            if p == np {
                return;
            }
            k[p] += 1;
            if k[p] < support[p].len() {
                break;
            }
            k[p] = 0;
            p += 1;
        }
    }
}

/// Expected payoffs under a mixed profile, over any scalar type, for a payoff table of this
/// `shape` laid out as [`StrategicGame::payoffs`].
pub fn expected_payoffs_in<T: Scalar>(shape: &[usize], payoffs: &[T], mixed: &[Vec<T>]) -> Vec<T> {
    let np = shape.len();
    let mut out = vec![T::zero(); np];
    for_support(shape, mixed, None, |ix, pr, _| {
        for (p, o) in out.iter_mut().enumerate() {
            *o = o.clone() + pr.clone() * payoffs[ix * np + p].clone();
        }
    });
    out
}

/// Each player's regret under a mixed profile, over any scalar type (see
/// [`StrategicGame::regrets`]).
pub fn regrets_in<T: Scalar>(shape: &[usize], payoffs: &[T], mixed: &[Vec<T>]) -> Vec<T> {
    let np = shape.len();
    let current = expected_payoffs_in(shape, payoffs, mixed);
    (0..np)
        .map(|p| {
            // dev[s]: payoff of p playing s against the others' mixture.
            let mut dev = vec![T::zero(); shape[p]];
            for_support(shape, mixed, Some(p), |ix, pr, pure| {
                let d = &mut dev[pure[p]];
                *d = d.clone() + pr.clone() * payoffs[ix * np + p].clone();
            });
            let best = dev
                .into_iter()
                .reduce(|a, b| if b > a { b } else { a })
                .unwrap_or_else(T::zero);
            let r = best - current[p].clone();
            if r < T::zero() {
                T::zero()
            } else {
                r
            }
        })
        .collect()
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
