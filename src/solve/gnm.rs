//! One Nash equilibrium of an n-player strategic game by the global Newton method.
//!
//! Govindan & Wilson (2003), "A global Newton method to compute Nash equilibria", *J. Econ.
//! Theory* 110. Give every player a bonus `λ` on one strategy (`Δ`); for λ large enough the
//! perturbed game has a unique equilibrium (everyone takes the bonus). Their structure theorem
//! makes the equilibria of the perturbed games, as λ falls, one path that reaches λ = 0 — an
//! equilibrium of the game itself. The path is written with the Gul–Pearce–Stacchetti
//! retraction: `z ∈ ℝᴺ` stands for the profile `σ = r(z)` (the Euclidean projection of each
//! player's block of `z` onto that player's simplex), and the equilibria of the game with
//! bonus `λΔ` are the zeros of
//!
//! ```text
//! H(z, λ) = z − r(z) − V(r(z)) − λΔ,
//! ```
//!
//! `V(σ)` being each strategy's value against the others' mixtures. `H` is smooth between the
//! places where a strategy enters or leaves a support, so the path is followed with the same
//! predictor–corrector engine as the logit path ([`crate::solve::trace`]), recomputing the
//! Jacobian at every Newton step and keeping the orientation by the sign of the augmented
//! determinant (the path may turn back in λ; such turns are where the method gets its name).
//! When λ crosses zero the point is solved at λ = 0 exactly, and the profile is polished on its
//! support ([`crate::solve::polish`]) and certified.
//!
//! Compared with simplicial subdivision (Gambit's `simpdiv`, van der Laan, Talman & van der
//! Heyden 1987), which walks a triangulation at a fixed grid size and must restart on finer
//! grids to reach precision — each restart a full walk over a payoff evaluation per pivot —
//! the global Newton path is followed with steps that grow where it is straight and ends with
//! quadratic convergence, so it is the faster of the two in Gambit's own comparisons and here
//! gets an exact equilibrium from the polish. If a start fails (the path cannot be followed),
//! the method restarts with the bonus on other strategies.

use super::polish::polish;
use super::strategic_input::Input;
use super::trace::{correct_fixed, Homotopy, TraceError, TraceParams, Tracer};
use super::values::{logs, max_gain, Coords, Group, StrategicValues, ValueModel};
use super::*;
use nalgebra::DMatrix;

/// Accepted path steps per start, at most.
pub const MAX_STEPS: usize = 20_000;

/// The global Newton method (strategic form; trees through the reduced strategic form).
pub struct GlobalNewton;

impl Solver for GlobalNewton {
    fn name(&self) -> &'static str {
        "gnm"
    }
    fn describe(&self) -> &'static str {
        "one Nash equilibrium by the global Newton method (Govindan–Wilson), any number of players; strategic form (trees via the reduced form; mixed strategies without perfect recall)"
    }
    fn supports(&self, game: GameRef<'_>) -> Result<(), Unsupported> {
        if game.n_players() == 0 {
            return Err(Unsupported {
                reason: "gnm needs at least one player".into(),
                suggest: None,
            });
        }
        if let GameRef::Strategic(g) = game {
            let n: usize = g.shape().iter().sum();
            if n > super::logit::MAX_ACTIONS
                || g.n_profiles().saturating_mul(g.n_players()) > super::logit::MAX_CELLS
            {
                return Err(Unsupported {
                    reason: format!(
                        "gnm: the game has {n} strategies and {} profiles, too many for its dense algebra",
                        g.n_profiles()
                    ),
                    suggest: None,
                });
            }
        }
        Ok(())
    }
    fn solve(&self, game: GameRef<'_>, opts: &SolveOptions) -> Result<Solution, SolveError> {
        self.supports(game)?;
        let input = Input::new(game, opts)?;
        let g = input.game();
        let model = StrategicValues::new(g);
        let groups = model.groups().to_vec();
        let mut last_err = None;
        // Restarts: the bonus on each player's first strategy, then on the others in turn.
        let max_k = groups.iter().map(|gr| gr.actions.len()).max().unwrap_or(1);
        for k in 0..max_k.min(4) {
            let bonus: Vec<usize> = groups
                .iter()
                .map(|gr| gr.actions.start + k % gr.actions.len())
                .collect();
            let accept = |p: &[f64]| {
                let mixed = m_split(&groups, p);
                let mut sol = Solution::new("gnm", vec![Equilibrium::new(input.profile(mixed))]);
                certify_with(game, &mut sol, opts.tol.min(super::logit::LIMIT_TOL * 1e3)).ok()?;
                let eq = sol.equilibria.pop()?;
                eq.is_certified().then_some(eq)
            };
            let mut m = model.clone();
            match follow(model.clone(), &bonus, opts.deadline) {
                Ok(sigma) => {
                    if let Some(eq) = finish(&mut m, &sigma, accept) {
                        return Ok(Solution::new("gnm", vec![eq]));
                    }
                    last_err = Some(
                        "the end of the path could not be polished to a certified equilibrium"
                            .to_string(),
                    );
                }
                Err((TraceError::Deadline, _)) => {
                    let mut sol = Solution::new("gnm", Vec::new());
                    sol.status = Status::TimeLimit;
                    sol.notes.push(
                        "the global Newton path was not finished when the time budget ran out; \
                         try `--solver logit`"
                            .into(),
                    );
                    return Ok(sol);
                }
                Err((e, sigma)) => {
                    // A degenerate game can stall the path on a continuum of equilibria: the
                    // point where it stalled may be one.
                    if let Some(eq) = finish(&mut m, &sigma, accept) {
                        return Ok(Solution::new("gnm", vec![eq]));
                    }
                    last_err = Some(e.to_string());
                }
            }
        }
        let mut sol = Solution::new("gnm", Vec::new());
        sol.status = Status::StepLimit;
        sol.notes.push(format!(
            "the global Newton method found no equilibrium from its starts ({}); try `--solver logit` or `--solver enumpoly`",
            last_err.unwrap_or_default()
        ));
        Ok(sol)
    }
}

fn m_split(groups: &[Group], p: &[f64]) -> Vec<Vec<f64>> {
    groups
        .iter()
        .map(|g| p[g.actions.clone()].to_vec())
        .collect()
}

/// Polishes the end of the path on its support and certifies it with `accept`.
fn finish<T>(
    model: &mut StrategicValues,
    sigma: &[f64],
    mut accept: impl FnMut(&[f64]) -> Option<T>,
) -> Option<T> {
    let n = sigma.len();
    let mut u = vec![0.0; n];
    model.values(sigma, &logs(sigma), Coords::Linear, &mut u);
    let groups = model.groups().to_vec();
    if max_gain(&groups, sigma, &u) <= 1e-13 {
        if let Some(t) = accept(sigma) {
            return Some(t);
        }
    }
    for margin in [1e-9, 1e-7, 1e-5] {
        let mut best = vec![false; n];
        for g in &groups {
            let top = g
                .actions
                .clone()
                .map(|a| u[a])
                .fold(f64::NEG_INFINITY, f64::max);
            for a in g.actions.clone() {
                best[a] = u[a] >= top - margin || sigma[a] > 0.0;
            }
        }
        if let Some(p) = polish(model, sigma, &best) {
            if let Some(t) = accept(&p) {
                return Some(t);
            }
        }
    }
    None
}

/// The global Newton homotopy of a strategic game.
struct GnmHomotopy {
    model: StrategicValues,
    groups: Vec<Group>,
    delta: Vec<f64>,
    sigma: Vec<f64>,
    u: Vec<f64>,
    ju: DMatrix<f64>,
}

impl GnmHomotopy {
    fn project(&mut self, z: &[f64]) {
        for g in &self.groups {
            project_simplex(&z[g.actions.clone()], &mut self.sigma[g.actions.clone()]);
        }
    }
}

/// Euclidean projection of `z` onto the probability simplex, into `out`.
fn project_simplex(z: &[f64], out: &mut [f64]) {
    let mut s: Vec<f64> = z.to_vec();
    s.sort_by(|a, b| b.total_cmp(a));
    let mut cum = 0.0;
    let mut theta = 0.0;
    for (j, &v) in s.iter().enumerate() {
        cum += v;
        let t = (cum - 1.0) / (j + 1) as f64;
        if v - t > 0.0 {
            theta = t;
        }
    }
    for (o, &v) in out.iter_mut().zip(z) {
        *o = (v - theta).max(0.0);
    }
}

impl Homotopy for GnmHomotopy {
    fn n_eq(&self) -> usize {
        self.sigma.len()
    }
    fn residual(&mut self, y: &[f64], h: &mut [f64]) {
        let n = self.sigma.len();
        self.project(&y[..n]);
        let x = logs(&self.sigma);
        self.model
            .values(&self.sigma, &x, Coords::Linear, &mut self.u);
        for a in 0..n {
            h[a] = y[a] - self.sigma[a] - self.u[a] - y[n] * self.delta[a];
        }
    }
    fn jacobian(&mut self, y: &[f64], h: &mut [f64], jac: &mut DMatrix<f64>) {
        let n = self.sigma.len();
        self.project(&y[..n]);
        let x = logs(&self.sigma);
        self.model
            .jacobian(&self.sigma, &x, Coords::Linear, &mut self.u, &mut self.ju);
        for a in 0..n {
            h[a] = y[a] - self.sigma[a] - self.u[a] - y[n] * self.delta[a];
        }
        // ∂H/∂z = I − (I + DV) R, R the projection's derivative on each support.
        jac.fill(0.0);
        for a in 0..n {
            jac[(a, a)] = 1.0;
            jac[(a, n)] = -self.delta[a];
        }
        for g in &self.groups {
            let supp: Vec<usize> = g.actions.clone().filter(|&a| self.sigma[a] > 0.0).collect();
            let k = supp.len() as f64;
            for a in 0..n {
                // Row a of (I + DV) restricted to the support, and its mean.
                let m: f64 = supp
                    .iter()
                    .map(|&c| self.ju[(a, c)] + if a == c { 1.0 } else { 0.0 })
                    .sum::<f64>()
                    / k;
                for &b in &supp {
                    let v = self.ju[(a, b)] + if a == b { 1.0 } else { 0.0 };
                    jac[(a, b)] -= v - m;
                }
            }
        }
    }
}

/// Follows the path from the bonus on `bonus` (one strategy per player) to λ = 0; the profile
/// there, or why it stopped and the profile where it did.
fn follow(
    model: StrategicValues,
    bonus: &[usize],
    deadline: Option<std::time::Instant>,
) -> Result<Vec<f64>, (TraceError, Vec<f64>)> {
    let n = model.n_actions();
    let groups = model.groups().to_vec();
    // A small pseudo-random part of the bonus keeps the path generic (no two strategies
    // entering or leaving supports at the same λ), which integer payoffs would otherwise break.
    let mut state = 0x2545F4914F6CDD1Du64 ^ (bonus.iter().sum::<usize>() as u64);
    let mut delta: Vec<f64> = (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            1e-3 * (state >> 11) as f64 / (1u64 << 53) as f64
        })
        .collect();
    let mut sigma = vec![0.0; n];
    for &b in bonus {
        delta[b] += 1.0;
        sigma[b] = 1.0;
    }
    let mut hom = GnmHomotopy {
        model,
        groups,
        delta,
        sigma: sigma.clone(),
        u: vec![0.0; n],
        ju: DMatrix::zeros(n, n),
    };
    // With payoffs in the unit range a bonus of 2 makes the bonus strategies strictly dominant
    // by more than the simplex's width: the start is inside a smooth piece of the path.
    let lambda0 = 2.0;
    let mut u = vec![0.0; n];
    hom.model
        .values(&sigma, &logs(&sigma), Coords::Linear, &mut u);
    let mut y: Vec<f64> = (0..n)
        .map(|a| sigma[a] + u[a] + lambda0 * hom.delta[a])
        .collect();
    y.push(lambda0);
    let mut guide = vec![0.0; n + 1];
    guide[n] = -1.0;
    let params = TraceParams {
        full_newton: true,
        orient_by_det: true,
        first_step: 0.1,
        max_step: 10.0,
        deadline,
        ..TraceParams::default()
    };
    let mut tracer = Tracer::new(&mut hom, &y, &guide, params).map_err(|e| (e, sigma.clone()))?;
    for _ in 0..MAX_STEPS {
        let prev = tracer.point().to_vec();
        if let Err(e) = tracer.step() {
            let hom = tracer.homotopy();
            hom.project(&prev[..n]);
            return Err((e, hom.sigma.clone()));
        }
        let cur = tracer.point().to_vec();
        if prev[n] > 0.0 && cur[n] <= 0.0 {
            let s = prev[n] / (prev[n] - cur[n]);
            let mut z: Vec<f64> = prev
                .iter()
                .zip(&cur)
                .map(|(a, b)| a + s * (b - a))
                .collect();
            z[n] = 0.0;
            let hom = tracer.homotopy();
            let r = correct_fixed(hom, &mut z, n, 1e-15, 50);
            if r > 1e-9 {
                z = cur.clone();
                z[n] = 0.0;
                correct_fixed(hom, &mut z, n, 1e-15, 50);
            }
            hom.project(&z[..n]);
            return Ok(hom.sigma.clone());
        }
    }
    let cur = tracer.point().to_vec();
    let hom = tracer.homotopy();
    hom.project(&cur[..n]);
    Err((TraceError::StepTooSmall, hom.sigma.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::StrategicGame;

    fn game(shape: &[usize], payoffs: Vec<f64>) -> StrategicGame {
        StrategicGame {
            title: String::new(),
            players: (1..=shape.len()).map(|p| p.to_string()).collect(),
            strategies: shape
                .iter()
                .map(|&k| (0..k).map(|s| s.to_string()).collect())
                .collect(),
            payoffs,
            exact: None,
        }
    }

    #[test]
    fn projection_onto_the_simplex() {
        let mut out = [0.0; 3];
        project_simplex(&[0.5, 0.5, 0.5], &mut out);
        assert!(out.iter().all(|&v| (v - 1.0 / 3.0).abs() < 1e-15));
        project_simplex(&[3.0, 0.0, 1.0], &mut out);
        assert_eq!(out, [1.0, 0.0, 0.0]);
        project_simplex(&[0.7, 0.1, 0.5], &mut out);
        assert!((out[0] - 0.6).abs() < 1e-15 && (out[2] - 0.4).abs() < 1e-15 && out[1] < 1e-15);
    }

    #[test]
    fn random_three_player_games_are_solved_and_certified() {
        // Seeded pseudo-random 3×3×3 games.
        let mut state = 0x9E3779B97F4A7C15u64;
        for _ in 0..10 {
            let pay: Vec<f64> = (0..27 * 3)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    (state % 100) as f64
                })
                .collect();
            let g = game(&[3, 3, 3], pay);
            let mut sol = GlobalNewton
                .solve(GameRef::Strategic(&g), &SolveOptions::default())
                .unwrap();
            certify(GameRef::Strategic(&g), &mut sol).unwrap();
            assert_eq!(sol.equilibria.len(), 1, "{:?}", sol.notes);
            assert!(sol.equilibria[0].max_regret() <= 1e-9);
        }
    }
}
