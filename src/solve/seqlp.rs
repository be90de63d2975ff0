//! Sequence-form linear programming for two-player zero-sum trees (Koller, Megiddo and
//! von Stengel 1996).
//!
//! With imperfect information backward induction does not apply, and the strategic form is
//! exponential in the tree. In sequence form a zero-sum game is one LP of the tree's size:
//! player 1 maximises the value `q₀` its realization plan `x` guarantees,
//!
//! ```text
//! max q₀   s.t.  Fᵀq − Aᵀx ≤ 0,  E x = e,  x ≥ 0,  q free
//! ```
//!
//! and player 2's plan solves the mirror LP (`min p₀ s.t. Eᵀp − A y ≥ 0, F y = f, y ≥ 0`).
//! Both are built straight from the sparse matrices of [`SequenceForm`] and solved with
//! good_lp's pure-Rust `microlp` backend. Constant-sum games are zero-sum games in disguise:
//! player 2's payoff `c − u₁` has the same best responses as `−u₁`.

use super::{
    Equilibrium, GameRef, Profile, Solution, SolveError, SolveOptions, Solver, Unsupported,
};
use crate::game::sequence::{SequenceForm, SparseMatrix};
use crate::game::{Game, PlayerId};
use good_lp::{microlp, variable, Expression, ProblemVariables, SolverModel, Variable};
use good_lp::{Solution as _, SolutionStatus};

/// The sequence-form LP solver for two-player constant-sum trees with perfect recall.
pub struct SequenceLp;

/// Checks the game class shared by the sequence-form solvers: a two-player tree with perfect
/// recall. Returns the game and its sequence form.
pub(crate) fn two_player_tree<'a>(
    game: GameRef<'a>,
    suggest_strategic: Option<&'static str>,
) -> Result<(&'a Game, SequenceForm), Unsupported> {
    let g = match game {
        GameRef::Tree(g) => g,
        GameRef::Strategic(_) => {
            return Err(Unsupported {
                reason: "this solver takes extensive-form games, not strategic forms".into(),
                suggest: suggest_strategic,
            })
        }
    };
    if g.n_players() != 2 {
        return Err(Unsupported {
            reason: format!(
                "the sequence form needs two players, the game has {}",
                g.n_players()
            ),
            suggest: None,
        });
    }
    let sf = SequenceForm::new(g).map_err(|e| Unsupported {
        reason: e.to_string(),
        suggest: None,
    })?;
    Ok((g, sf))
}

/// Refuses a two-player tree whose leaf payoffs do not sum to one constant.
pub(crate) fn check_constant_sum(g: &Game, tol: f64) -> Result<(), Unsupported> {
    let tree = &g.tree;
    let sum = |l: usize| g.payoffs[2 * l] + g.payoffs[2 * l + 1];
    if tree.leaves.is_empty() {
        return Ok(());
    }
    let c = sum(0);
    let scale = g.payoff_scale();
    for l in 1..tree.leaves.len() {
        if (sum(l) - c).abs() > tol * scale {
            let name = |l: usize| {
                let n = tree.leaves[l].node.ix();
                if tree.node_names[n].is_empty() {
                    format!("#{n}")
                } else {
                    tree.node_names[n].clone()
                }
            };
            return Err(Unsupported {
                reason: format!(
                    "not zero-sum: payoffs at leaf `{}` sum to {} but at leaf `{}` to {}",
                    name(0),
                    c,
                    name(l),
                    sum(l)
                ),
                suggest: Some("lcp"),
            });
        }
    }
    Ok(())
}

impl Solver for SequenceLp {
    fn name(&self) -> &'static str {
        "seqform-lp"
    }

    fn describe(&self) -> &'static str {
        "equilibrium and value of two-player zero-sum trees with imperfect information \
         (sequence-form LP)"
    }

    fn supports(&self, game: GameRef<'_>) -> Result<(), Unsupported> {
        let (g, _) = two_player_tree(game, None)?;
        check_constant_sum(g, 1e-9)
    }

    fn solve(&self, game: GameRef<'_>, opts: &SolveOptions) -> Result<Solution, SolveError> {
        let (g, sf) = two_player_tree(game, None)?;
        check_constant_sum(g, opts.tol.max(1e-12))?;
        let out = solve_zero_sum(g, &sf)?;
        let mut sol = Solution::new(
            self.name(),
            vec![Equilibrium::new(Profile::Behavior(out.profile))],
        );
        sol.value = Some(out.value);
        Ok(sol)
    }
}

/// An equilibrium of a zero-sum game in sequence form.
#[derive(Clone, Debug, PartialEq)]
pub struct ZeroSumSolution {
    /// Player 1's realization plan.
    pub x: Vec<f64>,
    /// Player 2's realization plan.
    pub y: Vec<f64>,
    /// The behaviour profile of the two plans.
    pub profile: Vec<f64>,
    /// The game value for player 1.
    pub value: f64,
}

/// Solves a two-player zero-sum game given player 1's payoffs (player 2 gets their negative,
/// or a constant minus them).
pub fn solve_zero_sum(g: &Game, sf: &SequenceForm) -> Result<ZeroSumSolution, SolveError> {
    let a = sf.payoff_matrix(g, PlayerId(0), 0.0);
    let at = a.transpose();
    #[cfg(feature = "clarabel")]
    let (x, y, value) = interior::maximin_with_dual(&sf.constraints[0], &sf.constraints[1], &at)?;
    #[cfg(not(feature = "clarabel"))]
    let (x, y, value) = {
        let (x, v1) = maximin(&sf.constraints[0], &sf.constraints[1], &at, 1.0)?;
        // Player 2 maximises −(xᵀ A y): the same LP with the roles and the sign swapped.
        let (y, v2) = maximin(&sf.constraints[1], &sf.constraints[0], &a, -1.0)?;
        if (v1 + v2).abs() > 1e-6 * g.payoff_scale() {
            return Err(SolveError::Numerical(format!(
                "the two LPs disagree on the value ({v1} vs {})",
                -v2
            )));
        }
        (x, y, v1)
    };
    for (p, plan) in [&x, &y].into_iter().enumerate() {
        if sf.plan_violation(p, plan) > 1e-6 {
            return Err(SolveError::Numerical(format!(
                "the LP returned an infeasible plan for player {}",
                p + 1
            )));
        }
    }
    let profile = sf.behavior_from_realization(&g.tree, &x, &y);
    Ok(ZeroSumSolution {
        x,
        y,
        profile,
        value,
    })
}

/// The left-hand sides of the maximin LP's inequalities, one per opponent sequence j:
/// `Σ_k O[k][j] q_k − sign Σ_i M[i][j] x_i` (each must be ≤ 0). Shared by both LP backends.
fn inequality_rows(
    opp: &SparseMatrix,
    mt: &SparseMatrix,
    sign: f64,
    q: &[Variable],
    x: &[Variable],
) -> Vec<Expression> {
    let mut rows: Vec<Expression> = (0..opp.cols)
        .map(|_| Expression::with_capacity(4))
        .collect();
    for &(k, j, v) in &opp.entries {
        rows[j as usize].add_mul(v, q[k as usize]);
    }
    for &(j, i, v) in &mt.entries {
        rows[j as usize].add_mul(-sign * v, x[i as usize]);
    }
    rows
}

/// `max q₀ s.t. Oᵀq − sign·Mᵀx ≤ 0 (one row per opponent sequence), Own x = e, x ≥ 0`, where
/// `mt` is the payoff matrix with rows = opponent sequences and columns = own sequences.
/// Returns the plan and the optimum.
#[cfg_attr(feature = "clarabel", allow(dead_code))]
fn maximin(
    own: &SparseMatrix,
    opp: &SparseMatrix,
    mt: &SparseMatrix,
    sign: f64,
) -> Result<(Vec<f64>, f64), SolveError> {
    let mut vars = ProblemVariables::new();
    let x: Vec<Variable> = vars.add_vector(variable().min(0.0), own.cols);
    let q: Vec<Variable> = vars.add_vector(variable(), opp.rows);
    let mut model = vars.maximise(q[0]).using(microlp);
    let rows = inequality_rows(opp, mt, sign, &q, &x);
    for r in rows {
        model = model.with(r.leq(0.0));
    }
    let mut eq: Vec<Expression> = (0..own.rows)
        .map(|_| Expression::with_capacity(4))
        .collect();
    for &(k, i, v) in &own.entries {
        eq[k as usize].add_mul(v, x[i as usize]);
    }
    for (k, r) in eq.into_iter().enumerate() {
        model = model.with(r.eq(if k == 0 { 1.0 } else { 0.0 }));
    }
    let sol = model.solve().map_err(|e| SolveError::Lp(e.to_string()))?;
    if !matches!(sol.status(), SolutionStatus::Optimal) {
        return Err(SolveError::Lp(
            "the LP solver stopped before optimality".into(),
        ));
    }
    let plan = x.iter().map(|&v| sol.value(v)).collect();
    Ok((plan, sol.value(q[0])))
}

/// The interior-point backend (cargo feature `clarabel`): one LP, the opponent's plan read
/// from its dual values.
#[cfg(feature = "clarabel")]
mod interior {
    use super::*;
    use good_lp::{clarabel, DualValues, SolutionWithDual};

    /// Like [`maximin`](super::maximin) with `sign = 1`, also returning the duals of the
    /// inequality rows, which form the opponent's realization plan.
    pub(super) fn maximin_with_dual(
        own: &SparseMatrix,
        opp: &SparseMatrix,
        mt: &SparseMatrix,
    ) -> Result<(Vec<f64>, Vec<f64>, f64), SolveError> {
        let mut vars = ProblemVariables::new();
        let x: Vec<Variable> = vars.add_vector(variable().min(0.0), own.cols);
        let q: Vec<Variable> = vars.add_vector(variable(), opp.rows);
        let mut model = vars.maximise(q[0]).using(clarabel);
        model
            .settings()
            .tol_feas(1e-12)
            .tol_gap_abs(1e-12)
            .tol_gap_rel(1e-12);
        let rows = inequality_rows(opp, mt, 1.0, &q, &x);
        let refs: Vec<_> = rows
            .into_iter()
            .map(|r| model.add_constraint(r.leq(0.0)))
            .collect();
        let mut eq: Vec<Expression> = (0..own.rows)
            .map(|_| Expression::with_capacity(4))
            .collect();
        for &(k, i, v) in &own.entries {
            eq[k as usize].add_mul(v, x[i as usize]);
        }
        for (k, r) in eq.into_iter().enumerate() {
            model.add_constraint(r.eq(if k == 0 { 1.0 } else { 0.0 }));
        }
        let mut sol = model.solve().map_err(|e| SolveError::Lp(e.to_string()))?;
        let plan: Vec<f64> = x.iter().map(|&v| sol.value(v)).collect();
        let value = sol.value(q[0]);
        let duals = sol.compute_dual();
        let mut y: Vec<f64> = refs.into_iter().map(|r| duals.dual(r)).collect();
        if y.first().is_some_and(|&y0| y0 < 0.0) {
            y.iter_mut().for_each(|v| *v = -*v);
        }
        Ok((plan, y, value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::examples::{kuhn_poker, matching_pennies};
    use crate::solve::certify;

    #[test]
    fn pennies_value_zero_and_half_half() {
        let g = matching_pennies();
        let mut s = SequenceLp
            .solve(GameRef::Tree(&g), &SolveOptions::default())
            .unwrap();
        certify(GameRef::Tree(&g), &mut s).unwrap();
        // MODELS.md §3: unique equilibrium (½, ½), value 0.
        assert!(s.value.unwrap().abs() < 1e-9);
        let Profile::Behavior(b) = &s.equilibria[0].profile else {
            panic!("behaviour profile expected")
        };
        for p in b {
            assert!((p - 0.5).abs() < 1e-9);
        }
        assert!(s.equilibria[0].max_regret() <= 1e-9);
    }

    #[test]
    fn kuhn_value() {
        let g = kuhn_poker();
        let s = SequenceLp
            .solve(GameRef::Tree(&g), &SolveOptions::default())
            .unwrap();
        // MODELS.md §3: value −1/18 for player 1.
        assert!((s.value.unwrap() + 1.0 / 18.0).abs() < 1e-9);
    }
}
