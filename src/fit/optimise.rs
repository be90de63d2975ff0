//! Maximising the log-likelihood.
//!
//! argmin's BFGS with the Moré–Thuente line search runs on the mean negative log-likelihood
//! (scale-free tolerances) with the analytic gradient. The Hessian is then computed by forward
//! differences of the analytic gradient ([`hessian`]); Newton steps with step halving polish
//! the optimum until the Newton decrement `½ gᵀH⁻¹g` — the log-likelihood a further Newton step
//! would still gain — is below [`DECREMENT_TOL`]. If BFGS's line search meets a point where
//! the likelihood is not finite, the Newton iteration continues from the best point found.
//!
//! Convergence is reported, never assumed: iterations, the largest gradient component and the
//! decrement. A Hessian that is not negative definite at the optimum means some coefficients
//! are not identified; [`identification`] names them.

use super::likelihood::{Eval, Failure, Likelihood};
use argmin::core::{CostFunction, Error as ArgminError, Executor, Gradient, State};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::BFGS;
use std::sync::Mutex;

/// Newton decrement (log-likelihood units) below which the optimum is converged.
pub const DECREMENT_TOL: f64 = 1e-8;

/// Settings of the optimiser.
#[derive(Clone, Debug)]
pub struct Options {
    /// Largest number of BFGS iterations.
    pub max_iter: u64,
    /// Largest number of Newton polishing steps.
    pub max_newton: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_iter: 1000,
            max_newton: 50,
        }
    }
}

/// The result of a maximisation.
#[derive(Clone, Debug)]
pub struct Optimum {
    /// The coefficients.
    pub beta: Vec<f64>,
    /// The log-likelihood there.
    pub loglik: f64,
    /// Its gradient there.
    pub grad: Vec<f64>,
    /// The Hessian of the negative log-likelihood there (row-major `k × k`).
    pub hessian: Vec<f64>,
    /// BFGS iterations.
    pub iterations: u64,
    /// Newton steps after BFGS.
    pub newton_steps: usize,
    /// Log-likelihood (and gradient) evaluations, Hessian columns included.
    pub evaluations: usize,
    /// `½ gᵀH⁻¹g` at the optimum (∞ if the Hessian is not positive definite).
    pub decrement: f64,
    /// True if the decrement is below [`DECREMENT_TOL`].
    pub converged: bool,
    /// How BFGS stopped.
    pub bfgs_status: String,
}

/// Why no optimum was found.
#[derive(Clone, Debug)]
pub enum OptimiseError {
    /// The likelihood is not finite at the start values.
    Start(Failure),
}

struct Problem<'l, 'a> {
    lik: &'l Likelihood<'a>,
    scale: f64,
    cache: Mutex<Cache>,
}

#[derive(Default)]
struct Cache {
    last: Option<(Vec<f64>, f64, Vec<f64>)>,
    /// The best finite point seen: coefficients, scaled cost, and the evaluation there.
    best: Option<(Vec<f64>, f64, Eval)>,
    evals: usize,
}

impl Problem<'_, '_> {
    fn both(&self, beta: &[f64]) -> (f64, Vec<f64>) {
        // The cache only holds plain data; a poisoned lock still holds a usable value.
        let mut c = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((b, f, g)) = &c.last {
            if b.as_slice() == beta {
                return (*f, g.clone());
            }
        }
        let ev = self.lik.eval(beta, true);
        c.evals += 1;
        let f = if ev.loglik.is_finite() {
            -ev.loglik / self.scale
        } else {
            f64::INFINITY
        };
        let g: Vec<f64> = ev.grad.iter().map(|x| -x / self.scale).collect();
        if f.is_finite() && c.best.as_ref().is_none_or(|(_, bf, _)| f < *bf) {
            c.best = Some((beta.to_vec(), f, ev));
        }
        c.last = Some((beta.to_vec(), f, g.clone()));
        (f, g)
    }
}

/// The problem as argmin sees it (borrowed, so the cache survives a failed run).
struct ProblemRef<'p, 'l, 'a>(&'p Problem<'l, 'a>);

impl CostFunction for ProblemRef<'_, '_, '_> {
    type Param = Vec<f64>;
    type Output = f64;
    fn cost(&self, p: &Vec<f64>) -> Result<f64, ArgminError> {
        Ok(self.0.both(p).0)
    }
}

impl Gradient for ProblemRef<'_, '_, '_> {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;
    fn gradient(&self, p: &Vec<f64>) -> Result<Vec<f64>, ArgminError> {
        Ok(self.0.both(p).1)
    }
}

/// The Hessian of the negative log-likelihood at `beta` (row-major), by forward differences of
/// the analytic gradient from `grad` (the log-likelihood's gradient at `beta`), with steps
/// `h_j = 1e-7 · max(1, |β_j|)`, symmetrised. One gradient evaluation per coefficient; the
/// truncation error `h/2 · ∂³ℓ` and the rounding error of the summed gradient (about
/// `ε √n / h`) are both near 1e-7 relative, far below the sampling error of any estimate.
/// Also returns the number of evaluations.
pub fn hessian(lik: &Likelihood<'_>, beta: &[f64], grad: &[f64]) -> (Vec<f64>, usize) {
    let k = beta.len();
    let mut h = vec![0.0; k * k];
    let mut b = beta.to_vec();
    let mut evals = 0;
    for j in 0..k {
        b[j] = beta[j] + 1e-7 * beta[j].abs().max(1.0);
        // The step actually taken, exactly representable.
        let step = b[j] - beta[j];
        let up = lik.eval(&b, true);
        b[j] = beta[j];
        evals += 1;
        if !up.loglik.is_finite() || grad.len() != k {
            for i in 0..k {
                h[i * k + j] = f64::NAN;
            }
            continue;
        }
        for i in 0..k {
            h[i * k + j] = -(up.grad[i] - grad[i]) / step;
        }
    }
    for i in 0..k {
        for j in 0..i {
            let m = 0.5 * (h[i * k + j] + h[j * k + i]);
            h[i * k + j] = m;
            h[j * k + i] = m;
        }
    }
    (h, evals)
}

/// Solves `H x = g` for a symmetric positive definite `H` (Cholesky); `None` if it is not.
pub fn solve_spd(h: &[f64], g: &[f64]) -> Option<Vec<f64>> {
    let k = g.len();
    let m = nalgebra::DMatrix::from_row_slice(k, k, h);
    let c = nalgebra::Cholesky::new(m)?;
    Some(
        c.solve(&nalgebra::DVector::from_column_slice(g))
            .as_slice()
            .to_vec(),
    )
}

/// Maximises the likelihood from `start`.
pub fn maximise(
    lik: &Likelihood<'_>,
    start: &[f64],
    opts: &Options,
) -> Result<Optimum, OptimiseError> {
    let first = lik.eval(start, true);
    if let Some(f) = first.failure {
        return Err(OptimiseError::Start(f));
    }
    let k = start.len();
    let scale = lik.weights.iter().sum::<f64>().max(1.0);
    let problem = Problem {
        lik,
        scale,
        cache: Mutex::new(Cache::default()),
    };
    let mut iterations = 0;
    let bfgs_status;
    let mut beta = start.to_vec();
    {
        let ls = MoreThuenteLineSearch::new();
        let inv_h0 = start_inverse_hessian(lik, start, scale).unwrap_or_else(|| {
            (0..k)
                .map(|i| (0..k).map(|j| f64::from(u8::from(i == j))).collect())
                .collect()
        });
        let solver = BFGS::new(ls)
            .with_tolerance_grad(1e-9)
            .and_then(|s| s.with_tolerance_cost(0.0));
        let run = solver.and_then(|solver| {
            Executor::new(ProblemRef(&problem), solver)
                .configure(|s| {
                    s.param(start.to_vec())
                        .inv_hessian(inv_h0)
                        .max_iters(opts.max_iter)
                })
                .ctrlc(false)
                .timer(false)
                .run()
        });
        match run {
            Ok(res) => {
                iterations = res.state.get_iter();
                bfgs_status = res
                    .state
                    .get_termination_reason()
                    .map_or_else(|| "stopped".to_string(), |r| r.text().to_string());
                if let Some(b) = res.state.get_best_param() {
                    beta = b.clone();
                }
            }
            Err(e) => {
                bfgs_status = format!("line search failed ({e}); continued by Newton steps");
            }
        }
    }
    let cache = problem
        .cache
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    // The start, and the scores pass for BFGS's first inverse Hessian.
    let mut evaluations = cache.evals + 2;
    // Newton polishing, from the best finite point seen (BFGS's own best is among them, as
    // every point it looks at is evaluated here).
    let mut at = match cache.best {
        Some((b, _, ev)) => {
            beta = b;
            ev
        }
        None => {
            evaluations += 1;
            lik.eval(&beta, true)
        }
    };
    let mut newton_steps = 0;
    let (mut h, e) = hessian(lik, &beta, &at.grad);
    evaluations += e;
    let mut decrement;
    loop {
        let dir = solve_spd(&h, &at.grad);
        decrement = match &dir {
            Some(d) => 0.5 * d.iter().zip(&at.grad).map(|(a, b)| a * b).sum::<f64>(),
            None => f64::INFINITY,
        };
        if decrement < DECREMENT_TOL || newton_steps >= opts.max_newton {
            break;
        }
        // A Newton step where the Hessian is positive definite, otherwise a gradient step
        // scaled by the Hessian's diagonal.
        let d = dir.unwrap_or_else(|| {
            at.grad
                .iter()
                .enumerate()
                .map(|(i, g)| g / h[i * k + i].abs().max(1e-8 * scale))
                .collect()
        });
        let mut t = 1.0;
        let mut moved = false;
        for _ in 0..60 {
            let trial: Vec<f64> = beta.iter().zip(&d).map(|(b, s)| b + t * s).collect();
            let ev = lik.eval(&trial, true);
            evaluations += 1;
            if ev.loglik.is_finite() && ev.loglik >= at.loglik {
                beta = trial;
                at = ev;
                moved = true;
                break;
            }
            t *= 0.5;
        }
        newton_steps += 1;
        if !moved {
            break;
        }
        let (h2, e) = hessian(lik, &beta, &at.grad);
        h = h2;
        evaluations += e;
    }
    Ok(Optimum {
        loglik: at.loglik,
        grad: at.grad,
        hessian: h,
        iterations,
        newton_steps,
        evaluations,
        converged: decrement < DECREMENT_TOL,
        decrement,
        bfgs_status,
        beta,
    })
}

/// BFGS's first inverse Hessian of the mean negative log-likelihood: the inverse of the
/// outer product of the per-row scores at the start (BHHH; the information matrix estimate),
/// times the number of rows (its diagonal if it is singular). Started from the identity
/// instead, BFGS first spends many iterations learning the coefficients' scales. `None` if a
/// coefficient's score is zero at the start (BFGS then starts from the identity).
fn start_inverse_hessian(lik: &Likelihood<'_>, start: &[f64], scale: f64) -> Option<Vec<Vec<f64>>> {
    let k = start.len();
    let scores = lik.cell_scores(start).ok()?;
    let mut b = vec![0.0; k * k];
    for (c, &w) in lik.weights.iter().enumerate() {
        if w == 0.0 {
            continue;
        }
        let s = &scores[c * k..(c + 1) * k];
        for i in 0..k {
            for j in 0..=i {
                b[i * k + j] += w * s[i] * s[j];
            }
        }
    }
    for i in 0..k {
        for j in 0..i {
            b[j * k + i] = b[i * k + j];
        }
    }
    if let Some(inv) = super::inference::inverse(&b, k) {
        return Some(
            (0..k)
                .map(|i| (0..k).map(|j| inv[i * k + j] * scale).collect())
                .collect(),
        );
    }
    // Singular at the start (at zero coefficients utilities tie, and intercepts' scores can be
    // proportional): its diagonal still gives each coefficient's scale.
    (0..k).all(|i| b[i * k + i] > 0.0).then(|| {
        (0..k)
            .map(|i| {
                (0..k)
                    .map(|j| if i == j { scale / b[i * k + i] } else { 0.0 })
                    .collect()
            })
            .collect()
    })
}

/// A direction along which the likelihood is (numerically) flat.
#[derive(Clone, Debug, PartialEq)]
pub struct FlatDirection {
    /// Coefficients involved and their weights in the direction (largest first).
    pub coefs: Vec<(usize, f64)>,
    /// The smallest eigenvalue of the scaled Hessian.
    pub eigenvalue: f64,
}

/// Checks that the Hessian of the negative log-likelihood is positive definite after scaling to
/// unit diagonal; otherwise returns the flattest direction.
pub fn identification(h: &[f64], k: usize) -> Option<FlatDirection> {
    if h.iter().any(|x| !x.is_finite()) {
        return Some(FlatDirection {
            coefs: Vec::new(),
            eigenvalue: f64::NAN,
        });
    }
    // A coefficient without curvature is its own culprit.
    for i in 0..k {
        let scale: f64 = (0..k).map(|j| h[j * k + j].abs()).fold(0.0, f64::max);
        if h[i * k + i] <= 1e-12 * scale.max(f64::MIN_POSITIVE) {
            return Some(FlatDirection {
                coefs: vec![(i, 1.0)],
                eigenvalue: h[i * k + i],
            });
        }
    }
    let d: Vec<f64> = (0..k).map(|i| 1.0 / h[i * k + i].sqrt()).collect();
    let m = nalgebra::DMatrix::from_fn(k, k, |i, j| h[i * k + j] * d[i] * d[j]);
    let eig = nalgebra::SymmetricEigen::new(m);
    let (imin, &lmin) = eig
        .eigenvalues
        .iter()
        .enumerate()
        .min_by(|a, b| a.1.total_cmp(b.1))?;
    if lmin > 1e-7 {
        return None;
    }
    let v = eig.eigenvectors.column(imin);
    let mut coefs: Vec<(usize, f64)> = (0..k)
        .filter(|&i| v[i].abs() > 0.2)
        .map(|i| (i, v[i]))
        .collect();
    coefs.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
    Some(FlatDirection {
        coefs,
        eigenvalue: lmin,
    })
}
