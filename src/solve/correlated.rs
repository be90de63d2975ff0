//! Correlated equilibrium by linear programming, for any number of players.
//!
//! A correlated equilibrium (Aumann 1974) is a distribution `p` over pure profiles such that no
//! player gains by deviating from a recommended strategy `s` to any `s'`:
//! `Σ_{π: π_i = s} p(π) (u_i(s', π_{-i}) − u_i(π)) ≤ 0` for every player `i` and pair `s ≠ s'`.
//! These constraints are linear, so the best equilibrium for an objective — total welfare
//! (default) or one named player's payoff — is a linear program (Gilboa–Zemel 1989), solved with
//! `good_lp`'s `microlp` backend.
//!
//! The LP sees each player's incentive constraints divided by that player's payoff range (and
//! the objective by its largest coefficient), so payoffs of 1e19 or 1e-19 solve as well as any.
//! When the payoffs are exact, the float answer is confirmed in rationals
//! ([`reconstruct::correlated`]); failing that, the LP is solved again exactly ([`exactlp`]).
//!
//! The answer is [`Profile::Correlated`]: probabilities over pure profiles numbered as in the
//! payoff table (first player fastest). It is not a product of mixed strategies; its regret
//! ([`regrets`]) is each player's gain from the best deviation plan (one alternative per
//! recommendation). Strategic games only: a tree must be converted to its strategic form first.

use super::exactlp::{self, Lp, Rel};
use super::*;
use crate::exact::{Rational, Scalar};
use crate::game::strategic::advance;
use good_lp::{microlp, variable, Expression, ProblemVariables, Solution as _, SolverModel};
use num_traits::{One, Zero};

/// Correlated equilibrium by LP.
pub struct Correlated;

impl Solver for Correlated {
    fn name(&self) -> &'static str {
        "correlated"
    }
    fn describe(&self) -> &'static str {
        "a correlated equilibrium maximising welfare or one player's payoff (LP), strategic games, any number of players"
    }
    fn supports(&self, game: GameRef<'_>) -> Result<(), Unsupported> {
        match game {
            GameRef::Strategic(g) if g.n_players() > 0 => Ok(()),
            GameRef::Strategic(_) => Err(Unsupported {
                reason: "correlated needs at least one player".into(),
                suggest: None,
            }),
            GameRef::Tree(_) => Err(Unsupported {
                reason: "correlated works on strategic games; convert the tree to its reduced strategic form first (`deter convert`)".into(),
                suggest: Some("enumpure"),
            }),
        }
    }
    fn solve(&self, game: GameRef<'_>, opts: &SolveOptions) -> Result<Solution, SolveError> {
        self.supports(game)?;
        let GameRef::Strategic(g) = game else {
            unreachable!("supports() admits strategic games only")
        };
        let weights = objective_weights(g, opts.objective.as_deref())?;
        let float = solve_lp(g, &weights);
        if let Some(ex) = &g.exact {
            let confirmed = float
                .as_ref()
                .ok()
                .and_then(|p| reconstruct::correlated(g, p));
            if let Some(p) = confirmed.or_else(|| solve_exact(g, ex, &weights)) {
                return Ok(Solution::new(
                    self.name(),
                    vec![Equilibrium::with_exact(ExactProfile::Correlated(p))],
                ));
            }
        }
        Ok(Solution::new(
            self.name(),
            vec![Equilibrium::new(Profile::Correlated(float?))],
        ))
    }
}

/// The same LP in exact arithmetic (`None` if it is too large for exact arithmetic).
fn solve_exact(g: &StrategicGame, table: &[Rational], weights: &[f64]) -> Option<Vec<Rational>> {
    let np = g.n_players();
    let shape = g.shape();
    let total = g.n_profiles();
    let mut lp = Lp::new(total);
    let w: Vec<Rational> = weights
        .iter()
        .map(|&x| crate::exact::from_f64(x).unwrap_or_default())
        .collect();
    for k in 0..total {
        let c = (0..np).fold(Rational::zero(), |a, p| a + &w[p] * &table[k * np + p]);
        if !c.is_zero() {
            lp.objective.push((k, c));
        }
    }
    lp.rows.push((
        (0..total).map(|k| (k, Rational::one())).collect(),
        Rel::Eq,
        Rational::one(),
    ));
    let mut stride = 1;
    for p in 0..np {
        let n = shape[p];
        for s_ in 0..n {
            for t in (0..n).filter(|&t| t != s_) {
                let mut row = Vec::new();
                let mut pure = vec![0usize; np];
                for k in 0..total {
                    if pure[p] == s_ {
                        let alt = k + t * stride - s_ * stride;
                        let d = &table[alt * np + p] - &table[k * np + p];
                        if !d.is_zero() {
                            row.push((k, d));
                        }
                    }
                    advance(&mut pure, &shape);
                }
                lp.rows.push((row, Rel::Le, Rational::zero()));
            }
        }
        stride *= n;
    }
    exactlp::maximize(&lp).ok().map(|s| s.x)
}

/// Objective weight per player: all 1 for `welfare` (or none given), else 1 for the named
/// player (by name or 1-based number).
fn objective_weights(g: &StrategicGame, objective: Option<&str>) -> Result<Vec<f64>, SolveError> {
    let np = g.n_players();
    match objective {
        None | Some("welfare") => Ok(vec![1.0; np]),
        Some(name) => {
            let p = g
                .players
                .iter()
                .position(|x| x == name)
                .or_else(|| {
                    name.parse::<usize>()
                        .ok()
                        .filter(|&k| k >= 1 && k <= np)
                        .map(|k| k - 1)
                })
                .ok_or_else(|| {
                    SolveError::Unsupported(Unsupported {
                        reason: format!(
                            "objective `{name}` is neither `welfare` nor a player ({})",
                            g.players.join(", ")
                        ),
                        suggest: None,
                    })
                })?;
            let mut w = vec![0.0; np];
            w[p] = 1.0;
            Ok(w)
        }
    }
}

fn solve_lp(g: &StrategicGame, weights: &[f64]) -> Result<Vec<f64>, SolveError> {
    let np = g.n_players();
    let shape = g.shape();
    let total = g.n_profiles();
    // Each player's constraints in units of its payoff range; the objective in units of its
    // largest coefficient.
    let unit: Vec<f64> = g
        .payoff_ranges()
        .iter()
        .map(|&(lo, hi)| if hi > lo { hi - lo } else { 1.0 })
        .collect();
    let coef: Vec<f64> = (0..total)
        .map(|k| (0..np).map(|p| weights[p] * g.payoffs[k * np + p]).sum())
        .collect();
    let big = coef.iter().fold(0.0f64, |m, c| m.max(c.abs()));
    let big = if big > 0.0 && big.is_finite() {
        big
    } else {
        1.0
    };
    let mut vars = ProblemVariables::new();
    let x: Vec<_> = (0..total).map(|_| vars.add(variable().min(0.0))).collect();
    let objective: Expression = (0..total).map(|k| (coef[k] / big) * x[k]).sum();
    let mut model = vars.maximise(objective).using(microlp);
    let sum: Expression = x.iter().sum();
    model = model.with(sum.eq(1.0));
    let mut stride = 1;
    for p in 0..np {
        let n = shape[p];
        for s in 0..n {
            for t in (0..n).filter(|&t| t != s) {
                // Profiles with p playing s: gain from switching to t.
                let mut gain = Expression::from(0.0);
                let mut pure = vec![0usize; np];
                for (k, &xk) in x.iter().enumerate().take(total) {
                    if pure[p] == s {
                        let alt = k + (t * stride) - (s * stride);
                        let d = (g.payoffs[alt * np + p] - g.payoffs[k * np + p]) / unit[p];
                        if d != 0.0 {
                            gain += d * xk;
                        }
                    }
                    advance(&mut pure, &shape);
                }
                model = model.with(gain.leq(0.0));
            }
        }
        stride *= n;
    }
    let sol = model.solve().map_err(|e| SolveError::Lp(e.to_string()))?;
    let mut p: Vec<f64> = x.iter().map(|&v| sol.value(v).max(0.0)).collect();
    let s: f64 = p.iter().sum();
    if s <= 0.0 {
        return Err(SolveError::Lp("LP returned no distribution".into()));
    }
    p.iter_mut().for_each(|v| *v /= s);
    Ok(p)
}

/// Expected payoff of each player under a distribution over pure profiles.
pub fn payoffs(g: &StrategicGame, dist: &[f64]) -> Vec<f64> {
    payoffs_in(g, &g.payoffs, dist)
}

/// [`payoffs`] over any scalar type, with the payoff table given (laid out as
/// [`StrategicGame::payoffs`], e.g. the exact one).
pub fn payoffs_in<T: Scalar>(g: &StrategicGame, table: &[T], dist: &[T]) -> Vec<T> {
    let np = g.n_players();
    let mut out = vec![T::zero(); np];
    for (k, q) in dist.iter().enumerate().take(g.n_profiles()) {
        if q.is_zero() {
            continue;
        }
        for (p, o) in out.iter_mut().enumerate() {
            *o = o.clone() + q.clone() * table[k * np + p].clone();
        }
    }
    out
}

/// Each player's regret under a correlated distribution: the gain from the best deviation plan
/// (for every recommended strategy, the best alternative, or obeying), `Σ_s max(0, max_t
/// Σ_{π: π_i = s} p(π)(u_i(t, π_{-i}) − u_i(π)))`. Zero for every player exactly at a
/// correlated equilibrium. A distribution of the wrong length gives infinite regret.
pub fn regrets(g: &StrategicGame, dist: &[f64]) -> Vec<f64> {
    if dist.len() != g.n_profiles() {
        return vec![f64::INFINITY; g.n_players()];
    }
    regrets_in(g, &g.payoffs, dist)
}

/// [`regrets`] over any scalar type, with the payoff table given. The distribution must have
/// one entry per pure profile (entries beyond are ignored, missing ones count as zero).
pub fn regrets_in<T: Scalar>(g: &StrategicGame, table: &[T], dist: &[T]) -> Vec<T> {
    let np = g.n_players();
    let shape = g.shape();
    let total = g.n_profiles();
    let mut stride = 1;
    let mut out = Vec::with_capacity(np);
    for p in 0..np {
        let n = shape[p];
        // gain[s][t]
        let mut gain = vec![vec![T::zero(); n]; n];
        let mut pure = vec![0usize; np];
        for (k, dk) in dist.iter().enumerate().take(total) {
            let s = pure[p];
            if !dk.is_zero() {
                let base = k - s * stride;
                for (t, gt) in gain[s].iter_mut().enumerate() {
                    let alt = base + t * stride;
                    let d = table[alt * np + p].clone() - table[k * np + p].clone();
                    *gt = gt.clone() + dk.clone() * d;
                }
            }
            advance(&mut pure, &shape);
        }
        out.push(gain.into_iter().fold(T::zero(), |acc, row| {
            let best = row
                .into_iter()
                .fold(T::zero(), |m, x| if x > m { x } else { m });
            acc + best
        }));
        stride *= n;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The game of chicken with payoffs (C,C)=(6,6), (C,D)=(2,7), (D,C)=(7,2), (D,D)=(0,0), as in
    /// the Wikipedia article "Correlated equilibrium": the welfare-maximising correlated
    /// equilibrium puts 1/2 on (C,C) and 1/4 on each asymmetric profile, 5.25 each, welfare 10.5.
    fn chicken() -> StrategicGame {
        StrategicGame {
            title: "chicken".into(),
            players: vec!["1".into(), "2".into()],
            strategies: vec![vec!["C".into(), "D".into()]; 2],
            // (C,C) (D,C) (C,D) (D,D)
            payoffs: vec![6., 6., 7., 2., 2., 7., 0., 0.],
            exact: None,
        }
    }

    #[test]
    fn chicken_welfare_optimum() {
        let g = chicken();
        let mut sol = Correlated
            .solve(GameRef::Strategic(&g), &SolveOptions::default())
            .unwrap();
        certify(GameRef::Strategic(&g), &mut sol).unwrap();
        let e = &sol.equilibria[0];
        assert!(e.max_regret() <= 1e-9, "{:?}", e.regret);
        let welfare: f64 = e.payoffs.iter().sum();
        assert!((welfare - 10.5).abs() < 1e-9, "{welfare}");
    }

    #[test]
    fn named_player_objective() {
        let g = chicken();
        let opts = SolveOptions {
            objective: Some("1".into()),
            ..SolveOptions::default()
        };
        let mut sol = Correlated.solve(GameRef::Strategic(&g), &opts).unwrap();
        certify(GameRef::Strategic(&g), &mut sol).unwrap();
        // Player 1's best equilibrium is the pure equilibrium (D, C), worth 7.
        assert!((sol.equilibria[0].payoffs[0] - 7.0).abs() < 1e-9);
        let bad = SolveOptions {
            objective: Some("nobody".into()),
            ..SolveOptions::default()
        };
        assert!(Correlated.solve(GameRef::Strategic(&g), &bad).is_err());
    }

    #[test]
    fn regret_detects_a_bad_recommendation() {
        let g = chicken();
        // Always recommending (D, D) pays 0; swerving to C against D pays 2, so regret 2 each.
        let r = regrets(&g, &[0.0, 0.0, 0.0, 1.0]);
        assert_eq!(r, vec![2.0, 2.0]);
    }
}
