//! Following the logit path to its limit, and stopping as soon as the limit is known exactly.
//!
//! Gambit follows the path until the regret of the current QRE falls below a tolerance, which
//! near a mixed or degenerate limit takes λ of order 1/tolerance (the QRE approaches its limit
//! only like 1/λ, or (log λ)/λ). Here the path is solved exactly at checkpoints
//! λ = 1, 2, 4, …, and at each checkpoint the limit is *guessed* and *polished*:
//!
//! 1. starting points: the QRE itself and its Richardson extrapolations to λ = ∞ in powers of
//!    1/λ from the last two and three checkpoints;
//! 2. best responses in the limit: the actions whose value is within `(ln λ + c)/λ` of the best
//!    in their group (along the path, a best response loses only O((log λ)/λ), a worse action a
//!    fixed amount), for a few values of `c`;
//! 3. Newton polishing ([`crate::solve::polish`]) of every guess, each result certified by the
//!    caller (the common regret certificate, and in trees sequential rationality under the
//!    beliefs).
//!
//! A certified candidate is accepted once it is confirmed: the same point came out of the
//! previous checkpoint too, and the path moved towards it. The beliefs of information sets
//! that the limit reaches only through moves of probability zero cannot come from Bayes' rule
//! on the limit alone; while polishing, those moves keep their log-probabilities on the path as
//! weights (see [`crate::solve::values::agent`]), so such beliefs are the path's, and Bayes'
//! rule still applies below them.

use super::homotopy::QreHomotopy;
use crate::solve::polish::{polish, PolishModel};
use crate::solve::trace::{correct_fixed, Homotopy, TraceError, TraceParams, Tracer};
use crate::solve::values::{AgentValues, Group, StrategicValues, ValueModel};

/// What the limit driver needs from a model beyond its values: beliefs, for the agent form.
pub trait LimitModel: PolishModel {
    /// Beliefs (per node) at the profile of the last `values` call, if the model has any.
    fn path_beliefs(&self) -> Option<Vec<f64>> {
        None
    }
    /// Before polishing: the log-probabilities of all actions on the path (beliefs behind
    /// moves of probability zero), or `None` to go back to plain Bayes' rule.
    fn use_path_weights(&mut self, _x: Option<&[f64]>) {}
}

impl LimitModel for StrategicValues {}

impl LimitModel for AgentValues {
    fn path_beliefs(&self) -> Option<Vec<f64>> {
        Some(self.beliefs().to_vec())
    }
    fn use_path_weights(&mut self, x: Option<&[f64]>) {
        self.set_path_weights(x.map(<[f64]>::to_vec));
    }
}

/// Settings of the limit driver.
#[derive(Clone, Debug)]
pub struct LimitParams {
    /// Give up beyond this λ (normalised payoffs).
    pub max_lambda: f64,
    /// Path-following settings (its deadline applies to the whole run).
    pub trace: TraceParams,
}

impl Default for LimitParams {
    fn default() -> Self {
        LimitParams {
            max_lambda: 2f64.powi(34),
            trace: TraceParams::default(),
        }
    }
}

/// A QRE on the path, solved exactly at its λ.
#[derive(Clone, Debug)]
pub struct Checkpoint {
    /// λ (normalised payoffs).
    pub lambda: f64,
    /// Probabilities.
    pub p: Vec<f64>,
    /// Log-probabilities (finite even where the probability underflows).
    pub x: Vec<f64>,
    /// Action values (normalised).
    pub u: Vec<f64>,
    /// Beliefs per node (trees).
    pub beliefs: Option<Vec<f64>>,
}

/// The limit found, with what the caller's acceptance test returned for it.
#[derive(Clone, Debug)]
pub struct Limit<T> {
    /// The polished limit profile.
    pub p: Vec<f64>,
    /// The caller's certified result for it.
    pub accepted: T,
    /// The λ of the checkpoint that confirmed it (normalised payoffs).
    pub lambda: f64,
    /// False if polishing from successive checkpoints never reproduced the candidate exactly:
    /// the path approaches a continuum of equilibria, or the budget ran out first.
    pub confirmed: bool,
    /// How far apart the last two polished candidates were (∞ if there was no second one).
    pub spread: f64,
    /// Accepted path steps.
    pub steps: usize,
}

/// Why no limit was found.
#[derive(Clone, Debug, PartialEq)]
pub struct NoLimit {
    /// Why the tracing stopped.
    pub reason: StopReason,
    /// The largest λ reached (normalised payoffs).
    pub lambda: f64,
}

/// Why a trace ended without a certified limit.
#[derive(Clone, Debug, PartialEq)]
pub enum StopReason {
    /// The path could not be followed further.
    Trace(TraceError),
    /// λ passed the maximum without a polishable limit.
    MaxLambda,
}

/// Follows the path until its last coordinate (λ) first rises through `target`, and solves
/// the QRE there exactly. Returns the point; `observe` sees every accepted step.
pub fn advance_to<M: ValueModel>(
    tracer: &mut Tracer<'_, QreHomotopy<M>>,
    target: f64,
    observe: &mut dyn FnMut(&[f64]),
) -> Result<Vec<f64>, TraceError> {
    let n = tracer.point().len() - 1;
    loop {
        let prev = tracer.point().to_vec();
        if prev[n] == target {
            return Ok(prev);
        }
        // Do not overshoot the target by much: interpolation needs a short last step.
        let t_lambda = tracer.tangent()[n];
        if prev[n] < target && t_lambda > 0.0 {
            let need = (target - prev[n]) / t_lambda;
            if need < tracer.step_length() {
                tracer.limit_step(need * 1.05);
            }
        }
        tracer.step()?;
        let cur = tracer.point().to_vec();
        observe(&cur);
        if prev[n] < target && cur[n] >= target {
            let s = (target - prev[n]) / (cur[n] - prev[n]);
            let mut y: Vec<f64> = prev
                .iter()
                .zip(&cur)
                .map(|(a, b)| a + s * (b - a))
                .collect();
            y[n] = target;
            let r = correct_fixed(tracer.homotopy(), &mut y, n, 1e-14, 40);
            // Rounding in log-reach grows with λ (ulps of numbers of size λ), so the attainable
            // residual does too.
            let ok = 1e-10 * (1.0 + target);
            if r <= ok {
                return Ok(y);
            }
            // Interpolation failed (a sharp turn): start from the point past the target.
            let mut y = cur.clone();
            y[n] = target;
            let r = correct_fixed(tracer.homotopy(), &mut y, n, 1e-14, 40);
            if r <= ok {
                return Ok(y);
            }
            return Err(TraceError::StepTooSmall);
        }
    }
}

/// The checkpoint at point `y`.
pub fn checkpoint<M: LimitModel>(hom: &mut QreHomotopy<M>, y: &[f64]) -> Checkpoint {
    let n = y.len() - 1;
    let u = hom.values_at(y);
    Checkpoint {
        lambda: y[n],
        p: y[..n].iter().map(|x| x.exp()).collect(),
        x: y[..n].to_vec(),
        u,
        beliefs: hom.model_ref().path_beliefs(),
    }
}

/// Traces the logit path of `hom` from λ = 0 and returns its limit, polished and accepted by
/// `accept` (which certifies a candidate profile and returns what the caller keeps, or `None`).
/// `progress` sees every accepted point `(x, λ)` of the path (λ normalised).
pub fn trace_limit<M, T, A, P>(
    hom: &mut QreHomotopy<M>,
    params: &LimitParams,
    mut accept: A,
    mut progress: P,
) -> Result<Limit<T>, NoLimit>
where
    M: LimitModel,
    T: Clone,
    A: FnMut(&mut M, &[f64]) -> Option<T>,
    P: FnMut(&[f64]),
{
    let n = hom.n_eq();
    let y0 = hom.start();
    let mut guide = vec![0.0; n + 1];
    guide[n] = 1.0;
    let groups = hom.groups().to_vec();
    let mut tracer = Tracer::new(hom, &y0, &guide, params.trace.clone()).map_err(|e| NoLimit {
        reason: StopReason::Trace(e),
        lambda: 0.0,
    })?;
    let mut cps: Vec<Checkpoint> = Vec::new();
    let mut prev: Vec<(Vec<f64>, Vec<bool>, T)> = Vec::new();
    let mut target = 1.0;
    // Checkpoints in a row with a candidate the path approaches but polishing does not
    // reproduce exactly.
    let mut unsettled = 0;
    let stop = |reason, lambda, prev: &[(Vec<f64>, Vec<bool>, T)], cps: &[Checkpoint], steps| {
        // Out of budget: the best certified candidate, unconfirmed, if there is one.
        match (prev.first(), cps.last()) {
            (Some((p, _, t)), Some(c)) => Ok(Limit {
                p: p.clone(),
                accepted: t.clone(),
                lambda: c.lambda,
                confirmed: false,
                spread: f64::INFINITY,
                steps,
            }),
            _ => Err(NoLimit { reason, lambda }),
        }
    };
    loop {
        if target > params.max_lambda {
            let l = cps.last().map_or(0.0, |c| c.lambda);
            return stop(StopReason::MaxLambda, l, &prev, &cps, tracer.steps());
        }
        let y = match advance_to(&mut tracer, target, &mut progress) {
            Ok(y) => y,
            Err(e) => {
                let l = tracer.point()[n];
                return stop(StopReason::Trace(e), l, &prev, &cps, tracer.steps());
            }
        };
        let cp = checkpoint(tracer.homotopy(), &y);
        cps.push(cp);
        if params
            .trace
            .deadline
            .is_some_and(|d| std::time::Instant::now() >= d)
        {
            let l = cps[cps.len() - 1].lambda;
            return stop(
                StopReason::Trace(TraceError::Deadline),
                l,
                &prev,
                &cps,
                tracer.steps(),
            );
        }
        let k = cps.len() - 1;
        if cps[k].lambda >= 8.0 && k >= 1 {
            let model = tracer.homotopy().model();
            // Confirmation: a candidate from the previous checkpoint that the path approaches
            // and that polishing from here reproduces.
            let mut tried: Vec<Vec<bool>> = Vec::new();
            for (_, b, _) in &prev {
                if !tried.contains(b) {
                    tried.push(b.clone());
                }
            }
            let mut found: Vec<(Vec<f64>, Vec<bool>, T)> = Vec::new();
            for best in &tried {
                add(
                    &mut found,
                    attempts(model, &cps, &groups, best, &mut accept),
                );
            }
            let mut nearest = f64::INFINITY;
            for (p, _best, t) in &found {
                let d = prev
                    .iter()
                    .map(|(q, _, _)| dist(p, q))
                    .fold(f64::INFINITY, f64::min);
                let toward = approaching(&cps[k - 1].p, &cps[k].p, p);
                if toward {
                    nearest = nearest.min(d);
                }
                // A continuum of equilibria: polishing from successive checkpoints lands on
                // nearby but different points; after a while the nearest one is returned.
                let settled = d <= 1e-9 || (unsettled >= PATIENCE && d <= 1e-6);
                if settled && toward {
                    model.use_path_weights(None);
                    return Ok(Limit {
                        p: p.clone(),
                        accepted: t.clone(),
                        lambda: cps[k].lambda,
                        confirmed: d <= 1e-9,
                        spread: d,
                        steps: tracer.steps(),
                    });
                }
            }
            if nearest.is_finite() {
                unsettled += 1;
            } else {
                unsettled = 0;
                // New guesses, since no known candidate can still be confirmed.
                for best in best_guesses(&cps[k], &groups) {
                    if !tried.contains(&best) {
                        add(
                            &mut found,
                            attempts(model, &cps, &groups, &best, &mut accept),
                        );
                    }
                }
            }
            model.use_path_weights(None);
            prev = found;
        }
        target *= 2.0;
    }
}

/// Checkpoints with an approaching but unreproduced candidate before it is returned anyway.
const PATIENCE: usize = 16;

/// Adds candidates not already present.
fn add<T>(found: &mut Vec<(Vec<f64>, Vec<bool>, T)>, more: Vec<(Vec<f64>, Vec<bool>, T)>) {
    for c in more {
        if !found.iter().any(|(q, _, _)| dist(&c.0, q) <= 1e-12) {
            found.push(c);
        }
    }
}

/// Polishes every starting guess with the best responses `best`; the certified results.
fn attempts<M, T, A>(
    model: &mut M,
    cps: &[Checkpoint],
    groups: &[Group],
    best: &[bool],
    accept: &mut A,
) -> Vec<(Vec<f64>, Vec<bool>, T)>
where
    M: LimitModel,
    A: FnMut(&mut M, &[f64]) -> Option<T>,
{
    let mut out: Vec<(Vec<f64>, Vec<bool>, T)> = Vec::new();
    for start in starts(cps, groups) {
        // Fresh path weights for every attempt (polishing adjusts them).
        model.use_path_weights(Some(&cps[cps.len() - 1].x));
        if let Some(p) = polish(model, &start, best) {
            if out.iter().any(|(q, _, _)| dist(&p, q) <= 1e-9) {
                continue;
            }
            if let Some(t) = accept(model, &p) {
                out.push((p, best.to_vec(), t));
            }
        }
    }
    out
}

/// Starting guesses for the limit: quadratic and linear extrapolation in 1/λ, then the last
/// checkpoint itself.
fn starts(cps: &[Checkpoint], groups: &[Group]) -> Vec<Vec<f64>> {
    let k = cps.len() - 1;
    let s0 = &cps[k].p;
    let mut out = Vec::new();
    if k >= 2 {
        let (s1, s2) = (&cps[k - 1].p, &cps[k - 2].p);
        let p = (0..s0.len())
            .map(|a| (8.0 * s0[a] - 6.0 * s1[a] + s2[a]) / 3.0)
            .collect();
        out.push(normalise(p, groups));
    }
    if k >= 1 {
        let s1 = &cps[k - 1].p;
        let p = (0..s0.len()).map(|a| 2.0 * s0[a] - s1[a]).collect();
        out.push(normalise(p, groups));
    }
    out.push(s0.clone());
    out
}

/// Clamps to [0, 1] and renormalises each group.
fn normalise(mut p: Vec<f64>, groups: &[Group]) -> Vec<f64> {
    for g in groups {
        for a in g.actions.clone() {
            p[a] = p[a].clamp(0.0, 1.0);
        }
        let tot: f64 = g.actions.clone().map(|a| p[a]).sum();
        for a in g.actions.clone() {
            p[a] = if tot > 0.0 {
                p[a] / tot
            } else {
                1.0 / g.actions.len() as f64
            };
        }
    }
    p
}

/// Guesses of the limit's best responses at a checkpoint, most selective first.
fn best_guesses(c: &Checkpoint, groups: &[Group]) -> Vec<Vec<bool>> {
    let l = c.lambda;
    let base = l.ln().max(0.0);
    let mut out: Vec<Vec<bool>> = Vec::new();
    for margin in [(base + 8.0) / l, 3.0 * (base + 8.0) / l, 12.0 / l] {
        let mut best = vec![false; c.p.len()];
        for g in groups {
            let top = g
                .actions
                .clone()
                .map(|a| c.u[a])
                .fold(f64::NEG_INFINITY, f64::max);
            for a in g.actions.clone() {
                best[a] = c.u[a] >= top - margin;
            }
        }
        if !out.contains(&best) {
            out.push(best);
        }
    }
    out
}

/// True if the path moved towards `target` between two checkpoints (or is already on it).
fn approaching(before: &[f64], after: &[f64], target: &[f64]) -> bool {
    let d1 = dist(after, target);
    d1 <= 1e-10 || d1 <= 0.8 * dist(before, target)
}

/// Largest coordinate difference.
pub fn dist(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}
