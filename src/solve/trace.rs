//! Following a curve of solutions: predictor–corrector continuation with adaptive step size.
//!
//! A homotopy `H: ℝⁿ⁺¹ → ℝⁿ` whose zeros form a curve (the logit correspondence, the global
//! Newton path) is followed by pseudo-arclength continuation (Allgower & Georg, *Introduction
//! to Numerical Continuation Methods*, ch. 2 and 6): from a point `y` with unit tangent `t`,
//! predict `y + h t`, then correct with Newton steps on the augmented system
//! `[H'(y); tᵀ] Δ = [−H(y); 0]`, which moves orthogonally to the old tangent and so passes turning
//! points (where the curve folds back in its last coordinate) without trouble. The new tangent
//! solves `[H'(y); tᵀ] τ = e_{n+1}`, which keeps the orientation (`tᵀτ > 0`) without computing
//! determinants. One Jacobian and one LU factorisation per step serve the corrector (a chord
//! method) and the tangent.
//!
//! Step size adapts to the corrector's behaviour: a step is rejected and halved when the first
//! correction is too large or the Newton steps fail to contract; otherwise the next step grows
//! by up to a factor of two when correction was easy. The caller drives the tracer one step at
//! a time ([`Tracer::step`]), so stopping rules (a target value of the last coordinate, a
//! deadline, convergence of a limit) live with the caller; [`correct_fixed`] then solves
//! `H = 0` with one coordinate held at a target value, to full precision.

use nalgebra::{DMatrix, DVector};
use std::time::Instant;

/// A map `H: ℝⁿ⁺¹ → ℝⁿ` whose zero set is followed.
pub trait Homotopy {
    /// `n`, the number of equations (the point has `n + 1` coordinates).
    fn n_eq(&self) -> usize;
    /// `H(y)` into `h`.
    fn residual(&mut self, y: &[f64], h: &mut [f64]);
    /// `H(y)` into `h` and its Jacobian (`n × (n+1)`) into `jac`.
    fn jacobian(&mut self, y: &[f64], h: &mut [f64], jac: &mut DMatrix<f64>);
}

/// Step-size and accuracy settings of a [`Tracer`].
#[derive(Clone, Debug, PartialEq)]
pub struct TraceParams {
    /// Length of the first step.
    pub first_step: f64,
    /// Longest step.
    pub max_step: f64,
    /// Below this step length the tracer gives up ([`TraceError::StepTooSmall`]).
    pub min_step: f64,
    /// Largest first Newton correction accepted (distance of the prediction from the curve).
    pub max_dist: f64,
    /// Largest ratio of successive Newton corrections accepted.
    pub max_contraction: f64,
    /// The corrector stops when a correction is below `tol · (1 + |y|∞)`.
    pub tol: f64,
    /// Newton iterations per corrector at most.
    pub max_newton: usize,
    /// Recompute the Jacobian at every Newton iteration (for piecewise-smooth homotopies)
    /// instead of reusing the one at the predicted point.
    pub full_newton: bool,
    /// Keep the orientation by the sign of `det [H'(y); tᵀ]` rather than by `tᵀτ > 0` alone:
    /// on a piecewise-smooth curve the direction may turn by more than a right angle where two
    /// pieces meet, and only the determinant tells which way is forward.
    pub orient_by_det: bool,
    /// Stop at this instant ([`TraceError::Deadline`]).
    pub deadline: Option<Instant>,
}

impl Default for TraceParams {
    fn default() -> Self {
        TraceParams {
            first_step: 0.03,
            max_step: 1e9,
            min_step: 1e-11,
            max_dist: 0.4,
            max_contraction: 0.5,
            tol: 1e-9,
            max_newton: 8,
            full_newton: false,
            orient_by_det: false,
            deadline: None,
        }
    }
}

/// Why a tracer stopped.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TraceError {
    /// No step above the minimum length could be corrected back to the curve.
    #[error("the step size fell below its minimum (the curve could not be followed further)")]
    StepTooSmall,
    /// The deadline passed.
    #[error("the time budget ran out")]
    Deadline,
    /// The augmented Jacobian was singular at the start.
    #[error("the Jacobian is singular at the starting point")]
    Singular,
}

/// Follows the zero curve of a [`Homotopy`] one accepted step at a time.
pub struct Tracer<'a, H: Homotopy> {
    hom: &'a mut H,
    params: TraceParams,
    y: DVector<f64>,
    t: DVector<f64>,
    h: f64,
    steps: usize,
    /// Sign of `det [H'(y); tᵀ]` at the current point (with `orient_by_det`).
    orientation: f64,
    // Workspace.
    res: Vec<f64>,
    jac: DMatrix<f64>,
}

impl<'a, H: Homotopy> Tracer<'a, H> {
    /// Starts at `y0` (on the curve) heading in the direction whose last coordinate has the
    /// sign of `orientation` (or, if the tangent is orthogonal to it, the sign of `guide · t`).
    pub fn new(
        hom: &'a mut H,
        y0: &[f64],
        guide: &[f64],
        params: TraceParams,
    ) -> Result<Self, TraceError> {
        let n = hom.n_eq();
        let mut res = vec![0.0; n];
        let mut jac = DMatrix::zeros(n, n + 1);
        hom.jacobian(y0, &mut res, &mut jac);
        let g = DVector::from_column_slice(guide);
        let t = tangent(&jac, &g).ok_or(TraceError::Singular)?;
        let h = params.first_step;
        let orientation = augmented(&jac, &t).determinant().signum();
        Ok(Tracer {
            orientation,
            hom,
            params,
            y: DVector::from_column_slice(y0),
            t,
            h,
            steps: 0,
            res,
            jac,
        })
    }

    /// The current point.
    pub fn point(&self) -> &[f64] {
        self.y.as_slice()
    }

    /// The current unit tangent.
    pub fn tangent(&self) -> &[f64] {
        self.t.as_slice()
    }

    /// Accepted steps so far.
    pub fn steps(&self) -> usize {
        self.steps
    }

    /// The step length the next step will try.
    pub fn step_length(&self) -> f64 {
        self.h
    }

    /// Caps the next step's length (e.g. to approach a target value gently).
    pub fn limit_step(&mut self, h: f64) {
        self.h = self.h.min(h.max(self.params.min_step));
    }

    /// The homotopy (for evaluating extra quantities at the current point).
    pub fn homotopy(&mut self) -> &mut H {
        self.hom
    }

    /// Takes one accepted step along the curve.
    pub fn step(&mut self) -> Result<(), TraceError> {
        let n = self.hom.n_eq();
        let p = self.params.clone();
        loop {
            if self.h < p.min_step {
                // On a piecewise-smooth curve a failure at a tiny step is a corner where the
                // next piece turns back: step across the corner onto it.
                if p.orient_by_det && self.cross_corner() {
                    return Ok(());
                }
                return Err(TraceError::StepTooSmall);
            }
            if p.deadline.is_some_and(|d| Instant::now() >= d) {
                return Err(TraceError::Deadline);
            }
            let mut z = &self.y + &self.t * self.h;
            self.hom
                .jacobian(z.as_slice(), &mut self.res, &mut self.jac);
            let mut lu = augmented(&self.jac, &self.t).lu();
            let mut ok = false;
            let mut dist0 = 0.0;
            let mut prev = f64::INFINITY;
            let mut contraction: f64 = 0.0;
            for it in 0..p.max_newton {
                if it > 0 {
                    if p.full_newton {
                        self.hom
                            .jacobian(z.as_slice(), &mut self.res, &mut self.jac);
                        lu = augmented(&self.jac, &self.t).lu();
                    } else {
                        self.hom.residual(z.as_slice(), &mut self.res);
                    }
                }
                if self.res.iter().any(|v| !v.is_finite()) {
                    break;
                }
                let mut rhs = DVector::zeros(n + 1);
                for (r, v) in rhs.iter_mut().zip(&self.res) {
                    *r = -v;
                }
                let Some(d) = lu.solve(&rhs) else { break };
                let dist = d.norm();
                if !dist.is_finite() {
                    break;
                }
                if it == 0 {
                    dist0 = dist;
                    if dist > p.max_dist {
                        break;
                    }
                } else {
                    let c = dist / prev.max(1e-300);
                    if c > p.max_contraction && dist > p.tol * 10.0 {
                        break;
                    }
                    contraction = contraction.max(c);
                }
                z += &d;
                let scale = 1.0 + z.amax();
                if dist <= p.tol * scale {
                    ok = true;
                    break;
                }
                prev = dist;
            }
            if !ok {
                self.h *= 0.5;
                continue;
            }
            // New tangent from the same factorisation (the Jacobian at the prediction).
            if p.full_newton {
                self.hom
                    .jacobian(z.as_slice(), &mut self.res, &mut self.jac);
                lu = augmented(&self.jac, &self.t).lu();
            }
            let mut e = DVector::zeros(n + 1);
            e[n] = 1.0;
            let Some(tau) = lu.solve(&e) else {
                self.h *= 0.5;
                continue;
            };
            let norm = tau.norm();
            if !norm.is_finite() || norm == 0.0 {
                self.h *= 0.5;
                continue;
            }
            let mut tau = tau / norm;
            if p.orient_by_det {
                // det [J; τᵀ] has the sign of det [J; tᵀ] (as tᵀτ > 0).
                let sign = lu.determinant().signum();
                if sign != 0.0 && sign != self.orientation {
                    tau = -tau;
                }
            }
            // Step-size control: aim for a first correction near a quarter of the maximum and
            // a contraction rate well below the maximum.
            let d_ratio = (dist0 / (p.max_dist * 0.25)).sqrt();
            let c_ratio = (contraction / (p.max_contraction * 0.25)).sqrt();
            let decel = d_ratio.max(c_ratio).clamp(0.5, 2.0);
            self.y = z;
            self.t = tau;
            self.h = (self.h / decel).min(p.max_step);
            self.steps += 1;
            return Ok(());
        }
    }
}

impl<H: Homotopy> Tracer<'_, H> {
    /// Crosses a corner of a piecewise-smooth curve: from just past the current point along
    /// the old tangent (inside the next piece), takes the next piece's tangent (oriented by the
    /// determinant), corrects onto it orthogonally to that tangent, and continues from there.
    fn cross_corner(&mut self) -> bool {
        let n = self.hom.n_eq();
        for eps in [1e-9, 1e-7, 1e-5] {
            let scale = eps * (1.0 + self.y.amax());
            let mut z = &self.y + &self.t * scale;
            self.hom
                .jacobian(z.as_slice(), &mut self.res, &mut self.jac);
            let a = augmented(&self.jac, &self.t);
            let sign = a.clone().determinant().signum();
            let mut e = DVector::zeros(n + 1);
            e[n] = 1.0;
            let Some(tau) = a.lu().solve(&e) else {
                continue;
            };
            let norm = tau.norm();
            if !norm.is_finite() || norm == 0.0 {
                continue;
            }
            let mut tau = tau / norm;
            if sign != 0.0 && sign != self.orientation {
                tau = -tau;
            }
            let mut ok = false;
            for _ in 0..self.params.max_newton * 2 {
                self.hom
                    .jacobian(z.as_slice(), &mut self.res, &mut self.jac);
                let lu = augmented(&self.jac, &tau).lu();
                let mut rhs = DVector::zeros(n + 1);
                for (r, v) in rhs.iter_mut().zip(&self.res) {
                    *r = -v;
                }
                let Some(d) = lu.solve(&rhs) else { break };
                z += &d;
                if d.norm() <= self.params.tol * (1.0 + z.amax()) {
                    ok = true;
                    break;
                }
            }
            if ok {
                self.y = z;
                self.t = tau;
                self.h = scale.max(self.params.min_step * 1e3);
                self.steps += 1;
                return true;
            }
        }
        false
    }
}

/// `[J; tᵀ]`.
fn augmented(jac: &DMatrix<f64>, t: &DVector<f64>) -> DMatrix<f64> {
    let n = jac.nrows();
    let mut a = DMatrix::zeros(n + 1, n + 1);
    a.view_mut((0, 0), (n, n + 1)).copy_from(jac);
    for k in 0..=n {
        a[(n, k)] = t[k];
    }
    a
}

/// The unit tangent of the curve where the Jacobian is `jac`, oriented so that `guide · t > 0`
/// (solving `[J; guideᵀ] t = e_{n+1}`).
fn tangent(jac: &DMatrix<f64>, guide: &DVector<f64>) -> Option<DVector<f64>> {
    let n = jac.nrows();
    let a = augmented(jac, guide);
    let mut e = DVector::zeros(n + 1);
    e[n] = 1.0;
    let t = a.lu().solve(&e)?;
    let norm = t.norm();
    (norm.is_finite() && norm > 0.0).then(|| t / norm)
}

/// Solves `H(y) = 0` by damped Newton's method with coordinate `coord` held at its current
/// value. Returns the final residual `|H(y)|∞` (it stops below `tol`, after `max_iter` steps,
/// or when no step along the Newton direction reduces the residual).
pub fn correct_fixed<H: Homotopy>(
    hom: &mut H,
    y: &mut [f64],
    coord: usize,
    tol: f64,
    max_iter: usize,
) -> f64 {
    let n = hom.n_eq();
    let mut res = vec![0.0; n];
    let mut jac = DMatrix::zeros(n, n + 1);
    let sup = |r: &[f64]| r.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    hom.jacobian(y, &mut res, &mut jac);
    let mut r = sup(&res);
    let mut trial = y.to_vec();
    for _ in 0..max_iter {
        if !r.is_finite() || r <= tol {
            break;
        }
        let mut sq = DMatrix::zeros(n, n);
        let mut k = 0;
        for c in 0..=n {
            if c == coord {
                continue;
            }
            sq.set_column(k, &jac.column(c));
            k += 1;
        }
        let rhs = DVector::from_iterator(n, res.iter().map(|v| -v));
        let Some(d) = sq.lu().solve(&rhs) else {
            break;
        };
        // Backtrack along the Newton direction until the residual decreases.
        let mut t = 1.0;
        let mut improved = false;
        for _ in 0..12 {
            let mut k = 0;
            for (c, (tc, yc)) in trial.iter_mut().zip(y.iter()).enumerate() {
                if c == coord {
                    *tc = *yc;
                    continue;
                }
                *tc = yc + t * d[k];
                k += 1;
            }
            hom.residual(&trial, &mut res);
            let rt = sup(&res);
            if rt.is_finite() && rt < r {
                improved = true;
                break;
            }
            t *= 0.5;
        }
        if !improved {
            hom.residual(y, &mut res);
            break;
        }
        y.copy_from_slice(&trial);
        hom.jacobian(y, &mut res, &mut jac);
        r = sup(&res);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The unit circle x² + y² = 1 in (x, y): the tracer must go round it.
    struct Circle;
    impl Homotopy for Circle {
        fn n_eq(&self) -> usize {
            1
        }
        fn residual(&mut self, y: &[f64], h: &mut [f64]) {
            h[0] = y[0] * y[0] + y[1] * y[1] - 1.0;
        }
        fn jacobian(&mut self, y: &[f64], h: &mut [f64], jac: &mut DMatrix<f64>) {
            self.residual(y, h);
            jac[(0, 0)] = 2.0 * y[0];
            jac[(0, 1)] = 2.0 * y[1];
        }
    }

    #[test]
    fn follows_a_circle_through_its_turning_points() {
        let mut c = Circle;
        let mut tr = Tracer::new(&mut c, &[1.0, 0.0], &[0.0, 1.0], TraceParams::default()).unwrap();
        // Angle travelled, accumulated step by step; the curve turns back in y at (0, 1).
        let mut angle = 0.0;
        let mut last = 0.0f64;
        while angle < 2.0 * std::f64::consts::PI - 0.3 {
            tr.step().unwrap();
            let p = tr.point();
            assert!((p[0] * p[0] + p[1] * p[1] - 1.0).abs() < 1e-8);
            let a = p[1].atan2(p[0]);
            let mut da = a - last;
            if da < -std::f64::consts::PI {
                da += 2.0 * std::f64::consts::PI;
            }
            assert!(da > 0.0, "went backwards");
            angle += da;
            last = a;
        }
        let mut y = tr.point().to_vec();
        y[1] = -0.6;
        let r = correct_fixed(&mut c, &mut y, 1, 1e-14, 20);
        assert!(r < 1e-14 && (y[0] - 0.8).abs() < 1e-12);
    }
}
