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
//!
//! The LP is solved on payoffs mapped affinely onto `[-1, 1]`, so trees with payoffs of 1e19 or
//! 1e-19 solve as well as any, and the value is mapped back. When the game is exact, the float
//! answer is confirmed in rationals ([`reconstruct::behavior`]);
//! if no exact equilibrium lies near it (a float LP cannot see payoff differences far below the
//! payoff scale), both LPs are solved again in rationals ([`exactlp`]).

use super::exactlp::{self, Lp, Rel};
use super::{
    reconstruct, Equilibrium, ExactProfile, GameRef, Profile, Solution, SolveError, SolveOptions,
    Solver, Unsupported,
};
use crate::exact::{self, Rational};
use crate::game::profile::exact_expected_payoffs;
use crate::game::sequence::{SequenceForm, SparseMatrix};
use crate::game::{recall, Game, NodeKind, PlayerId};
use good_lp::{microlp, variable, Expression, ProblemVariables, SolverModel, Variable};
use good_lp::{Solution as _, SolutionStatus};
use num_traits::{One, Zero};

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
    if let Err(r) = recall::check(&g.tree) {
        return Err(Unsupported {
            reason: format!(
                "the sequence form needs perfect recall; {}",
                r.describe(&g.tree)
            ),
            suggest: Some(if g.is_constant_sum(super::certificate::DEFAULT_TOL) {
                "matrix-lp"
            } else {
                "lemke-howson"
            }),
        });
    }
    let sf = SequenceForm::new(g).map_err(|e| Unsupported {
        reason: e.to_string(),
        suggest: None,
    })?;
    Ok((g, sf))
}

/// Refuses a two-player tree whose leaf payoffs do not sum to one constant (exactly when the
/// numbers are exact, else within `tol` relative to the payoff ranges).
pub(crate) fn check_constant_sum(g: &Game, tol: f64) -> Result<(), Unsupported> {
    let tree = &g.tree;
    let sum = |l: usize| g.payoffs[2 * l] + g.payoffs[2 * l + 1];
    if tree.leaves.is_empty() || g.is_constant_sum(tol) {
        return Ok(());
    }
    let c = sum(0);
    let exact_sum = |l: usize| {
        g.exact
            .as_ref()
            .map(|e| e.payoffs().get(2 * l) + e.payoffs().get(2 * l + 1))
    };
    for l in 1..tree.leaves.len() {
        let differs = match (exact_sum(0), exact_sum(l)) {
            (Some(a), Some(b)) => a != b,
            _ => (sum(l) - c).abs() > 0.0,
        };
        if differs {
            let name = |l: usize| {
                let n = tree.leaves[l].node.ix();
                if tree.node_names[n].is_empty() {
                    format!("#{n}")
                } else {
                    tree.node_names[n].to_string()
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
        check_constant_sum(g, super::certificate::DEFAULT_TOL)
    }

    fn solve(&self, game: GameRef<'_>, opts: &SolveOptions) -> Result<Solution, SolveError> {
        let (g, sf) = two_player_tree(game, None)?;
        check_constant_sum(g, opts.tol.max(1e-12))?;
        let float = solve_zero_sum(g, &sf);
        if g.exact.is_some() {
            let confirmed = float
                .as_ref()
                .ok()
                .and_then(|out| reconstruct::behavior(g, &out.profile));
            if let Some(b) = confirmed.or_else(|| solve_zero_sum_exact(g, &sf)) {
                let ex = g
                    .exact
                    .as_ref()
                    .map(|e| exact_expected_payoffs(&g.tree, e, &b).swap_remove(0));
                let mut sol = Solution::new(
                    self.name(),
                    vec![Equilibrium::with_exact(ExactProfile::Behavior(b.into()))],
                );
                sol.value = ex.as_ref().map(exact::to_f64);
                sol.exact_value = ex;
                return Ok(sol);
            }
        }
        let out = float?;
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
/// or a constant minus them). The LPs see player 1's payoffs mapped affinely onto `[-1, 1]`;
/// the value is mapped back.
pub fn solve_zero_sum(g: &Game, sf: &SequenceForm) -> Result<ZeroSumSolution, SolveError> {
    let (lo, hi) = g.payoff_ranges().first().copied().unwrap_or((0.0, 0.0));
    let (mid, half) = if hi > lo {
        (lo / 2.0 + hi / 2.0, hi / 2.0 - lo / 2.0)
    } else {
        (lo, 1.0)
    };
    let mut scaled = Game {
        tree: g.tree.clone(),
        chance: g.chance.clone(),
        payoffs: g.payoffs.clone(),
        exact: None,
    };
    for row in scaled.payoffs.chunks_exact_mut(2) {
        row[0] = (row[0] - mid) / half;
        row[1] = -row[0];
    }
    let mut out = solve_scaled(&scaled, sf)?;
    out.value = out.value * half + mid;
    Ok(out)
}

/// [`solve_zero_sum`] on payoffs already scaled to about `[-1, 1]`.
fn solve_scaled(g: &Game, sf: &SequenceForm) -> Result<ZeroSumSolution, SolveError> {
    let a = sf.payoff_matrix(g, PlayerId(0), 0.0);
    let at = a.transpose();
    #[cfg(feature = "clarabel")]
    let (x, y, value) = interior::maximin_with_dual(&sf.constraints[0], &sf.constraints[1], &at)?;
    #[cfg(not(feature = "clarabel"))]
    let (x, y, value) = {
        let (x, v1) = maximin(&sf.constraints[0], &sf.constraints[1], &at, 1.0)?;
        // Player 2 maximises −(xᵀ A y): the same LP with the roles and the sign swapped.
        let (y, v2) = maximin(&sf.constraints[1], &sf.constraints[0], &a, -1.0)?;
        if (v1 + v2).abs() > 1e-6 * g.payoff_scale().max(1.0) {
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

/// Player 1's payoff matrix of the sequence form in exact arithmetic, as `(row, column, value)`
/// triplets with rows player 1's sequences and columns player 2's (duplicates summed).
fn exact_payoff_matrix(g: &Game, sf: &SequenceForm) -> Option<Vec<(usize, usize, Rational)>> {
    let ex = g.exact.as_ref()?;
    let tree = &g.tree;
    // Exact chance reach of every node.
    let mut reach = vec![Rational::one(); tree.nodes.len()];
    for (i, node) in tree.nodes.iter().enumerate() {
        for c in node.children() {
            reach[c] = if node.kind == NodeKind::Chance {
                &reach[i] * &ex.chance().get(c)
            } else {
                reach[i].clone()
            };
        }
    }
    let mut m: std::collections::BTreeMap<(usize, usize), Rational> = Default::default();
    for t in &sf.leaf_terms {
        let leaf = &tree.leaves[t.leaf.ix()];
        let v = &reach[leaf.node.ix()] * &ex.payoffs().get(t.leaf.ix() * 2);
        if !v.is_zero() {
            *m.entry((t.seq1 as usize, t.seq2 as usize)).or_default() += v;
        }
    }
    Some(m.into_iter().map(|((r, c), v)| (r, c, v)).collect())
}

/// The exact maximin realization plan of the player with constraint matrix `own` against the
/// opponent's `opp`, its payoff being `sign × (x_row · M · x_col)` with `m` indexed (own
/// sequence, opponent sequence).
fn exact_plan(
    own: &SparseMatrix,
    opp: &SparseMatrix,
    m: &[(usize, usize, Rational)],
) -> Option<Vec<Rational>> {
    // Variables: own sequences x, then one free q per opponent constraint row.
    let (nx, nq) = (own.cols, opp.rows);
    let mut lp = Lp::new(nx + nq);
    for k in 0..nq {
        lp.free[nx + k] = true;
    }
    lp.objective.push((nx, Rational::one()));
    let int = |v: f64| Rational::from_integer((v as i64).into());
    // Oᵀq − Mᵀx ≤ 0: one row per opponent sequence j.
    let mut rows: Vec<Vec<(usize, Rational)>> = vec![Vec::new(); opp.cols];
    for &(k, j, v) in &opp.entries {
        rows[j as usize].push((nx + k as usize, int(v)));
    }
    for (i, j, v) in m {
        rows[*j].push((*i, -v.clone()));
    }
    for r in rows {
        lp.rows.push((r, Rel::Le, Rational::zero()));
    }
    let mut eq: Vec<Vec<(usize, Rational)>> = vec![Vec::new(); own.rows];
    for &(k, i, v) in &own.entries {
        eq[k as usize].push((i as usize, int(v)));
    }
    for (k, r) in eq.into_iter().enumerate() {
        let rhs = if k == 0 {
            Rational::one()
        } else {
            Rational::zero()
        };
        lp.rows.push((r, Rel::Eq, rhs));
    }
    let s = exactlp::maximize(&lp).ok()?;
    Some(s.x[..nx].to_vec())
}

/// An exact equilibrium of a zero-sum tree from the two exact LPs (`None` if the game has no
/// exact numbers or the LPs are too large for exact arithmetic).
pub fn solve_zero_sum_exact(g: &Game, sf: &SequenceForm) -> Option<Vec<Rational>> {
    let a = exact_payoff_matrix(g, sf)?;
    let x = exact_plan(&sf.constraints[0], &sf.constraints[1], &a)?;
    // Player 2 maximises −xᵀAy: its own sequences index the columns of A.
    let neg_at: Vec<(usize, usize, Rational)> = a.iter().map(|(i, j, v)| (*j, *i, -v)).collect();
    let y = exact_plan(&sf.constraints[1], &sf.constraints[0], &neg_at)?;
    let tree = &g.tree;
    let mut b = vec![Rational::zero(); tree.n_actions()];
    for set in &tree.infosets {
        let plan = if set.player.ix() == 0 { &x } else { &y };
        let first = set.first_action as usize;
        let k = set.n_actions as usize;
        let w: Vec<Rational> = (first..first + k)
            .map(|a| plan[sf.seq_of_action[a] as usize].clone())
            .collect();
        let total = w.iter().fold(Rational::zero(), |s, v| s + v);
        for (a, wa) in w.into_iter().enumerate() {
            b[first + a] = if total.is_zero() {
                if a == 0 {
                    Rational::one()
                } else {
                    Rational::zero()
                }
            } else {
                wa / &total
            };
        }
    }
    Some(b)
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
        // docs/models/validation-games.md: unique equilibrium (½, ½), value 0.
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
        // docs/models/validation-games.md: value −1/18 for player 1.
        assert!((s.value.unwrap() + 1.0 / 18.0).abs() < 1e-9);
    }
}
