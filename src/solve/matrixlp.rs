//! Maximin strategies and the value of a two-player constant-sum game by linear programming.
//!
//! For the first player's payoff matrix `A` (m × n) the row player's maximin strategy solves
//! `max v  s.t.  Σ_i x_i A_ij ≥ v for every column j, Σ x = 1, x ≥ 0`, and the column player's
//! solves the dual `min w  s.t.  Σ_j A_ij y_j ≤ w for every row i, Σ y = 1, y ≥ 0`; by the
//! minimax theorem `v = w` is the value (von Neumann 1928; Dantzig 1951). In a constant-sum
//! game the pair is a Nash equilibrium. The LPs are solved by `good_lp` with its pure-Rust
//! `microlp` backend, on payoffs mapped affinely onto `[-1, 1]` (so games with payoffs of
//! 1e19 or 1e-19 solve as well as any), and the value is mapped back.
//!
//! When the payoffs are exact, the float answer is confirmed exactly
//! ([`reconstruct::mixed`]); if no exact equilibrium lies near it (the float LP cannot see
//! payoff differences far below the payoff scale), the LPs are solved again in rationals
//! ([`exactlp`]). Trees are solved through their reduced strategic form.

use super::exactlp::{self, Lp, Rel};
use super::strategic_input::{bimatrix, bimatrix_in, is_constant_sum, need_two_players, Input};
use super::*;
use crate::exact::Rational;
use crate::game::strategic::expected_payoffs_in;
use good_lp::{microlp, variable, Expression, ProblemVariables, Solution as _, SolverModel};
use num_traits::{One, Zero};

/// Matrix-game LP for two-player constant-sum games.
pub struct MatrixLp;

impl Solver for MatrixLp {
    fn name(&self) -> &'static str {
        "matrix-lp"
    }
    fn describe(&self) -> &'static str {
        "maximin strategies and value of a two-player constant-sum game (linear programming)"
    }
    fn supports(&self, game: GameRef<'_>) -> Result<(), Unsupported> {
        need_two_players("matrix-lp", game, "correlated")?;
        let constant = match game {
            GameRef::Strategic(g) => is_constant_sum(g, certificate::DEFAULT_TOL),
            GameRef::Tree(g) => g.is_constant_sum(certificate::DEFAULT_TOL),
        };
        if constant {
            Ok(())
        } else {
            Err(Unsupported {
                reason: "matrix-lp needs a constant-sum game; the players' payoffs do not sum to a constant".into(),
                suggest: Some("enummixed"),
            })
        }
    }
    fn uses_strategic_form(&self) -> bool {
        true
    }
    fn solve(&self, game: GameRef<'_>, opts: &SolveOptions) -> Result<Solution, SolveError> {
        self.supports(game)?;
        let input = Input::new(game, opts)?;
        let g = input.game();
        let (a, _) = bimatrix(g);
        let float = float_solution(&a);
        if let Some(ex) = &g.exact {
            let confirmed = float
                .as_ref()
                .ok()
                .and_then(|(x, y, _)| reconstruct::mixed(g, &[x.clone(), y.clone()]));
            let exact = match confirmed {
                Some(m) => Some(m),
                None => exact_solution(g, ex),
            };
            if let Some(m) = exact {
                let value = expected_payoffs_in(&g.shape(), ex, &m).swap_remove(0);
                let mut sol = Solution::new(self.name(), vec![input.exact_equilibrium(m)]);
                sol.value = Some(crate::exact::to_f64(&value));
                sol.exact_value = Some(value);
                return Ok(sol);
            }
        }
        let (x, y, v) = float?;
        let mut sol = Solution::new(
            self.name(),
            vec![Equilibrium::new(input.profile(vec![x, y]))],
        );
        sol.value = Some(v);
        Ok(sol)
    }
}

/// Both players' maximin strategies and the value, in floating point on rescaled payoffs.
fn float_solution(a: &[Vec<f64>]) -> Result<(Vec<f64>, Vec<f64>, f64), SolveError> {
    let lo = a.iter().flatten().cloned().fold(f64::INFINITY, f64::min);
    let hi = a
        .iter()
        .flatten()
        .cloned()
        .fold(f64::NEG_INFINITY, f64::max);
    let (mid, half) = if hi > lo {
        (lo / 2.0 + hi / 2.0, hi / 2.0 - lo / 2.0)
    } else {
        (lo, 1.0)
    };
    let scaled: Vec<Vec<f64>> = a
        .iter()
        .map(|r| r.iter().map(|v| (v - mid) / half).collect())
        .collect();
    let (x, _) = maximin(&scaled)?;
    // The column player minimises the row player's payoff: maximin of -Aᵀ.
    let at: Vec<Vec<f64>> = (0..scaled.first().map_or(0, Vec::len))
        .map(|j| scaled.iter().map(|row| -row[j]).collect())
        .collect();
    let (y, _) = maximin(&at)?;
    // The value of x in the original payoffs: its worst column.
    let n = a.first().map_or(0, Vec::len);
    let v = (0..n)
        .map(|j| x.iter().zip(a).map(|(p, row)| p * row[j]).sum::<f64>())
        .fold(f64::INFINITY, f64::min);
    Ok((x, y, v))
}

/// Both players' maximin strategies in exact arithmetic (`None` if the LP is too large).
fn exact_solution(g: &StrategicGame, table: &[Rational]) -> Option<Vec<Vec<Rational>>> {
    let (a, _) = bimatrix_in((g.strategies[0].len(), g.strategies[1].len()), table);
    let x = exact_maximin(&a)?;
    let at: Vec<Vec<Rational>> = (0..a.first().map_or(0, Vec::len))
        .map(|j| a.iter().map(|row| -&row[j]).collect())
        .collect();
    let y = exact_maximin(&at)?;
    Some(vec![x, y])
}

/// The row player's maximin strategy for `a`, exactly.
pub fn exact_maximin(a: &[Vec<Rational>]) -> Option<Vec<Rational>> {
    let m = a.len();
    let n = a.first().map_or(0, Vec::len);
    // Variables x_0..x_m, then v (free).
    let mut lp = Lp::new(m + 1);
    lp.free[m] = true;
    lp.objective.push((m, Rational::one()));
    lp.rows.push((
        (0..m).map(|i| (i, Rational::one())).collect(),
        Rel::Eq,
        Rational::one(),
    ));
    for j in 0..n {
        let mut row: Vec<(usize, Rational)> = a
            .iter()
            .enumerate()
            .filter(|(_, r)| !r[j].is_zero())
            .map(|(i, r)| (i, r[j].clone()))
            .collect();
        row.push((m, -Rational::one()));
        lp.rows.push((row, Rel::Ge, Rational::zero()));
    }
    let s = exactlp::maximize(&lp).ok()?;
    Some(s.x[..m].to_vec())
}

/// The row player's maximin strategy and value for payoff matrix `a` (rows × columns).
pub fn maximin(a: &[Vec<f64>]) -> Result<(Vec<f64>, f64), SolveError> {
    let m = a.len();
    let n = a.first().map_or(0, Vec::len);
    if m == 0 || n == 0 {
        return Err(SolveError::Lp("empty payoff matrix".into()));
    }
    let mut vars = ProblemVariables::new();
    let x: Vec<_> = (0..m).map(|_| vars.add(variable().min(0.0))).collect();
    let v = vars.add(variable());
    let mut model = vars.maximise(v).using(microlp);
    let total: Expression = x.iter().sum();
    model = model.with(total.eq(1.0));
    for j in 0..n {
        let col: Expression = x.iter().zip(a).map(|(&xi, row)| row[j] * xi).sum();
        model = model.with(col.geq(v));
    }
    let s = model.solve().map_err(|e| SolveError::Lp(e.to_string()))?;
    let mut xs: Vec<f64> = x.iter().map(|&xi| s.value(xi).max(0.0)).collect();
    let sum: f64 = xs.iter().sum();
    if sum <= 0.0 {
        return Err(SolveError::Lp("LP returned no strategy".into()));
    }
    xs.iter_mut().for_each(|p| *p /= sum);
    // The value of the (renormalised) strategy: its worst column.
    let value = (0..n)
        .map(|j| xs.iter().zip(a).map(|(p, row)| p * row[j]).sum::<f64>())
        .fold(f64::INFINITY, f64::min);
    Ok((xs, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_pennies_value_zero() {
        let g = StrategicGame {
            title: String::new(),
            players: vec!["1".into(), "2".into()],
            strategies: vec![vec!["H".into(), "T".into()]; 2],
            payoffs: vec![1., -1., -1., 1., -1., 1., 1., -1.],
            exact: None,
        };
        let mut sol = MatrixLp
            .solve(GameRef::Strategic(&g), &SolveOptions::default())
            .unwrap();
        certify(GameRef::Strategic(&g), &mut sol).unwrap();
        // Matching pennies: both mix (1/2, 1/2), value 0 (von Neumann–Morgenstern).
        assert!(sol.value.unwrap().abs() < 1e-12);
        assert!(sol.equilibria[0].max_regret() <= 1e-9);
        if let Profile::Mixed(m) = &sol.equilibria[0].profile {
            assert!((m[0][0] - 0.5).abs() < 1e-9 && (m[1][0] - 0.5).abs() < 1e-9);
        }
    }

    #[test]
    fn refuses_general_sum_and_three_players() {
        let pd = StrategicGame {
            title: String::new(),
            players: vec!["1".into(), "2".into()],
            strategies: vec![vec!["C".into(), "D".into()]; 2],
            payoffs: vec![3., 3., 5., 0., 0., 5., 1., 1.],
            exact: None,
        };
        let e = MatrixLp.supports(GameRef::Strategic(&pd)).unwrap_err();
        assert!(e.to_string().contains("constant-sum"), "{e}");
        let three = StrategicGame {
            title: String::new(),
            players: vec!["1".into(), "2".into(), "3".into()],
            strategies: vec![vec!["a".into()]; 3],
            payoffs: vec![0.0; 3],
            exact: None,
        };
        let e = MatrixLp.supports(GameRef::Strategic(&three)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "matrix-lp needs a two-player game; this game has 3 players; use the `correlated` solver"
        );
    }
}
