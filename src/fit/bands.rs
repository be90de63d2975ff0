//! Confidence bands for curves drawn at fitted parameters (`sweep --params fit.json --bands
//! N`, the report's comparative-statics plots): a parametric bootstrap.
//!
//! A sweep's curves are the equilibrium's event probabilities as one parameter moves, the
//! others at the estimates. They are often piecewise constant — an outcome holds until a
//! threshold and then jumps — so the delta method, which linearises the curve at the
//! estimates, gives a zero-width band between jumps and is wrong at them. Instead the
//! estimates' sampling distribution is pushed through the solver: `B` coefficient vectors
//! are drawn from `N(β̂, V̂)` (the estimates and covariance `deter fit` wrote), each gives the
//! model's parameters `θ̂ + L (β − β̂)` (exact: the averaged parameters are affine in the
//! coefficients, `L` being the file's `"loadings"`), the curve is evaluated at each, and the
//! band at every point is the 2.5 % and 97.5 % quantiles of the values there.
//!
//! Draws are seeded ([`super::rng::Rng`], one stream per draw) and evaluated in parallel;
//! the band does not depend on the number of threads.

use super::rng::Rng;
use crate::model::GameTemplate;
use rayon::prelude::*;
use serde_json::Value;

/// What a `deter fit` JSON file says about the sampling distribution of the parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct Sampling {
    /// Coefficient names.
    pub coefs: Vec<String>,
    /// Estimates `β̂`.
    pub beta: Vec<f64>,
    /// Their covariance `V̂` (row-major, `k × k`).
    pub vcov: Vec<f64>,
    /// Each estimated model parameter: its name, value at the estimates and `∂θ/∂β`.
    pub params: Vec<(String, f64, Vec<f64>)>,
}

/// Why a fit file gives no sampling distribution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SamplingError(pub String);

impl std::fmt::Display for SamplingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SamplingError {}

fn err<T>(m: impl Into<String>) -> Result<T, SamplingError> {
    Err(SamplingError(m.into()))
}

impl Sampling {
    /// Reads a `deter.fit/1` document. A file written before the loadings were recorded has
    /// none: that is an error saying to refit.
    pub fn from_json(v: &Value) -> Result<Sampling, SamplingError> {
        let coefs = v.get("coefficients").and_then(Value::as_array);
        let Some(coefs) = coefs else {
            return err("it has no \"coefficients\" (write it with `deter fit … --out FIT.json`)");
        };
        let mut names = Vec::with_capacity(coefs.len());
        let mut beta = Vec::with_capacity(coefs.len());
        for c in coefs {
            match (
                c.get("name").and_then(Value::as_str),
                c.get("estimate").and_then(Value::as_f64),
            ) {
                (Some(n), Some(b)) => {
                    names.push(n.to_string());
                    beta.push(b);
                }
                _ => return err("a coefficient has no name or no numeric estimate"),
            }
        }
        let k = names.len();
        let rows = v.get("vcov").and_then(Value::as_array);
        let Some(rows) = rows.filter(|r| r.len() == k) else {
            return err(format!(
                "it has no {k} × {k} \"vcov\" (the covariance of the estimates)"
            ));
        };
        let mut vcov = Vec::with_capacity(k * k);
        for r in rows {
            let r = r.as_array().filter(|r| r.len() == k);
            let Some(r) = r else {
                return err(format!("its \"vcov\" is not a {k} × {k} matrix"));
            };
            for x in r {
                // A covariance entry JSON could not hold (NaN) is written as null.
                vcov.push(x.as_f64().unwrap_or(f64::NAN));
            }
        }
        if vcov.iter().any(|x| !x.is_finite()) {
            return err("its \"vcov\" has entries that are not numbers");
        }
        let Some(loads) = v.get("loadings").and_then(Value::as_object) else {
            return err(
                "it has no \"loadings\" (how each parameter moves with the coefficients): it was \
                 written by an older `deter fit`; run the fit again to write them",
            );
        };
        let point = v.get("parameters").and_then(Value::as_object);
        let mut params = Vec::with_capacity(loads.len());
        for (p, row) in loads {
            let Some(at) = point.and_then(|o| o.get(p)).and_then(Value::as_f64) else {
                return err(format!("parameter `{p}` has loadings but no value"));
            };
            let Some(row) = row.as_object() else {
                return err(format!("the loadings of `{p}` are not an object"));
            };
            let mut l = vec![0.0; k];
            for (c, x) in row {
                let (Some(j), Some(x)) = (names.iter().position(|n| n == c), x.as_f64()) else {
                    return err(format!(
                        "the loadings of `{p}` name `{c}`, not a numeric loading on a coefficient"
                    ));
                };
                l[j] = x;
            }
            params.push((p.clone(), at, l));
        }
        Ok(Sampling {
            coefs: names,
            beta,
            vcov,
            params,
        })
    }

    /// `n` draws of the parameters (in the order of [`Sampling::params`]) from the normal
    /// sampling distribution of the estimates, seeded: draw `i` depends only on `seed` and `i`.
    pub fn draws(&self, n: usize, seed: u64) -> Result<Vec<Vec<f64>>, SamplingError> {
        let k = self.beta.len();
        let Some(l) = cholesky(&self.vcov, k) else {
            return err("the covariance of the estimates is not positive semi-definite");
        };
        Ok((0..n as u64)
            .map(|i| {
                let mut rng = Rng::stream(seed, i);
                let z: Vec<f64> = (0..k).map(|_| rng.normal()).collect();
                // β − β̂ = L z.
                let d: Vec<f64> = (0..k)
                    .map(|r| (0..=r).map(|c| l[r * k + c] * z[c]).sum())
                    .collect();
                (self.params.iter())
                    .map(|(_, at, row)| at + row.iter().zip(&d).map(|(a, b)| a * b).sum::<f64>())
                    .collect()
            })
            .collect())
    }
}

/// The lower Cholesky factor of a symmetric positive semi-definite `k × k` matrix (row-major);
/// a pivot within rounding of zero gives a zero column. `None` if the matrix is not PSD.
pub fn cholesky(a: &[f64], k: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; k * k];
    let scale = (0..k).map(|i| a[i * k + i].abs()).fold(0.0f64, f64::max);
    let tol = 1e-12 * scale.max(f64::MIN_POSITIVE);
    for j in 0..k {
        let d = a[j * k + j] - (0..j).map(|c| l[j * k + c] * l[j * k + c]).sum::<f64>();
        if d < -tol || !d.is_finite() {
            return None;
        }
        if d <= tol {
            continue;
        }
        let d = d.sqrt();
        l[j * k + j] = d;
        for r in j + 1..k {
            let s = a[r * k + j] - (0..j).map(|c| l[r * k + c] * l[j * k + c]).sum::<f64>();
            l[r * k + j] = s / d;
        }
    }
    Some(l)
}

/// Parameter points for a band: the base point with the fitted parameters replaced by draws.
#[derive(Clone, Debug, PartialEq)]
pub struct Draws {
    /// One full parameter point per kept draw.
    pub points: Vec<Vec<f64>>,
    /// Draws left out because a parameter fell outside its declared range.
    pub outside: usize,
    /// The parameters drawn (the others are fixed).
    pub drawn: Vec<String>,
}

/// `n` draws of `sampling`'s parameters put into `base` (a point of `t`), except those
/// `fixed` says to keep (a varied axis, a `--set`). A draw with a parameter outside its
/// declared range is left out and counted: the model is not defined there.
pub fn points(
    t: &GameTemplate,
    base: &[f64],
    sampling: &Sampling,
    fixed: &dyn Fn(&str) -> bool,
    n: usize,
    seed: u64,
) -> Result<Draws, SamplingError> {
    let mut ids = Vec::new();
    for (j, (name, _, _)) in sampling.params.iter().enumerate() {
        let Some(id) = t.params.id(name) else {
            return err(format!(
                "the fit estimated `{name}`, which this model does not have"
            ));
        };
        if !fixed(name) {
            ids.push((j, id));
        }
    }
    let mut points = Vec::with_capacity(n);
    let mut outside = 0;
    for d in sampling.draws(n, seed)? {
        let mut p = base.to_vec();
        let mut ok = true;
        for &(j, id) in &ids {
            p[id] = d[j];
            ok &= t.params.check_range(id, d[j]).is_ok();
        }
        if ok {
            points.push(p);
        } else {
            outside += 1;
        }
    }
    Ok(Draws {
        points,
        outside,
        drawn: ids
            .iter()
            .map(|&(j, _)| sampling.params[j].0.clone())
            .collect(),
    })
}

/// Pointwise bands of curves over parameter draws.
#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    /// `lo[s][i]`: the lower end (2.5 % quantile) of curve `s` at point `i` (NaN where fewer
    /// than half the draws could be evaluated).
    pub lo: Vec<Vec<f64>>,
    /// The upper end (97.5 % quantile).
    pub hi: Vec<Vec<f64>>,
    /// Draws evaluated.
    pub used: usize,
    /// Draws whose evaluation failed (left out).
    pub failed: usize,
}

/// Curves (series × points) at a parameter point, or why they could not be computed.
pub type Curves<'a, E> = dyn Fn(&[f64]) -> Result<Vec<Vec<f64>>, E> + Sync + 'a;

/// The `q` quantile (linear interpolation between order statistics, R's type 7) of sorted
/// `xs`.
pub fn quantile(xs: &[f64], q: f64) -> f64 {
    match xs.len() {
        0 => f64::NAN,
        1 => xs[0],
        n => {
            let h = (n - 1) as f64 * q;
            let i = (h.floor() as usize).min(n - 2);
            xs[i] + (h - i as f64) * (xs[i + 1] - xs[i])
        }
    }
}

/// Evaluates `curves` (series × points) at every draw in parallel, calling `tick` after each,
/// and returns the pointwise 95 % band. A draw whose evaluation fails is left out and counted;
/// a non-finite value (the model undefined there) is left out of that point's quantiles.
pub fn band<E: Send>(draws: &[Vec<f64>], curves: &Curves<'_, E>, tick: &(dyn Fn() + Sync)) -> Band {
    let all: Vec<Option<Vec<Vec<f64>>>> = draws
        .par_iter()
        .map(|p| {
            let c = curves(p).ok();
            tick();
            c
        })
        .collect();
    let ok: Vec<&Vec<Vec<f64>>> = all.iter().flatten().collect();
    let failed = all.len() - ok.len();
    let (ns, np) = ok
        .first()
        .map_or((0, 0), |c| (c.len(), c.first().map_or(0, Vec::len)));
    let mut lo = vec![vec![f64::NAN; np]; ns];
    let mut hi = vec![vec![f64::NAN; np]; ns];
    let mut vals = Vec::with_capacity(ok.len());
    for s in 0..ns {
        for i in 0..np {
            vals.clear();
            vals.extend(
                (ok.iter())
                    .filter_map(|c| c.get(s).and_then(|v| v.get(i)).copied())
                    .filter(|x| x.is_finite()),
            );
            if 2 * vals.len() < ok.len() || vals.is_empty() {
                continue;
            }
            vals.sort_by(f64::total_cmp);
            lo[s][i] = quantile(&vals, 0.025);
            hi[s][i] = quantile(&vals, 0.975);
        }
    }
    Band {
        lo,
        hi,
        used: ok.len(),
        failed,
    }
}

/// Bands for the report's comparative-statics plots: `draws` draws (seed `seed`) of a fit's
/// estimates, the parameters named in `fixed` (`--set`) kept at the baseline.
#[derive(Clone, Debug, PartialEq)]
pub struct StaticsBands {
    /// The fit's sampling distribution.
    pub sampling: Sampling,
    /// Draws per plot.
    pub draws: usize,
    /// Seed of the draws (the same draws for every plot).
    pub seed: u64,
    /// Parameters not drawn.
    pub fixed: Vec<String>,
}

impl StaticsBands {
    /// The 95% band of every event probability as parameter `k` of `t` moves over `xs`, the
    /// others at `base` or drawn; `events(θ)` gives the event probabilities at a point
    /// (`None` where the model cannot be solved). Also the note the plot prints. `None` if no
    /// parameter is drawn (every estimated one is `k` or fixed) or no draw could be solved.
    pub fn statics(
        &self,
        t: &GameTemplate,
        base: &[f64],
        k: usize,
        xs: &[f64],
        events: &(dyn Fn(&[f64]) -> Option<Vec<f64>> + Sync),
    ) -> Result<Option<(Vec<crate::plot::line::Interval>, String)>, SamplingError> {
        let name = &t.params.names[k];
        let fixed = |p: &str| p == name || self.fixed.iter().any(|f| f == p);
        let d = points(t, base, &self.sampling, &fixed, self.draws, self.seed)?;
        if d.drawn.is_empty() {
            return Ok(None);
        }
        let curves = |p: &[f64]| -> Result<Vec<Vec<f64>>, ()> {
            let mut th = p.to_vec();
            let at: Vec<Vec<f64>> = (xs.iter())
                .map(|&x| {
                    th[k] = x;
                    events(&th).unwrap_or_else(|| vec![f64::NAN; t.tree.events.len()])
                })
                .collect();
            Ok((0..t.tree.events.len())
                .map(|e| at.iter().map(|v| v[e]).collect())
                .collect())
        };
        let b = band(&d.points, &curves, &|| {});
        if b.used == 0 {
            return Ok(None);
        }
        let note = format!(
            "Shaded: 95% bands, {} draws of the estimates{}.",
            b.used,
            if d.outside > 0 {
                format!(" ({} outside the ranges left out)", d.outside)
            } else {
                String::new()
            }
        );
        let iv = (b.lo.into_iter().zip(b.hi))
            .map(|(lo, hi)| crate::plot::line::Interval { lo, hi })
            .collect();
        Ok(Some((iv, note)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cholesky_reproduces_the_matrix() {
        let a = [4.0, 2.0, 0.6, 2.0, 2.0, 0.5, 0.6, 0.5, 3.0];
        let l = cholesky(&a, 3).unwrap();
        for r in 0..3 {
            for c in 0..3 {
                let x: f64 = (0..3).map(|m| l[r * 3 + m] * l[c * 3 + m]).sum();
                assert!((x - a[r * 3 + c]).abs() < 1e-12, "{r} {c}");
            }
        }
        // Semi-definite (rank 1) works; indefinite does not.
        assert!(cholesky(&[1.0, 1.0, 1.0, 1.0], 2).is_some());
        assert!(cholesky(&[1.0, 2.0, 2.0, 1.0], 2).is_none());
    }

    #[test]
    fn draws_have_the_estimates_covariance() {
        let s = Sampling {
            coefs: vec!["a".into(), "b".into()],
            beta: vec![1.0, -1.0],
            vcov: vec![0.04, 0.018, 0.018, 0.09],
            // θ₁ = 1 + 2(a − 1) + (b + 1), θ₂ = 3 + (b + 1).
            params: vec![
                ("x".into(), 1.0, vec![2.0, 1.0]),
                ("y".into(), 3.0, vec![0.0, 1.0]),
            ],
        };
        let d = s.draws(40_000, 5).unwrap();
        assert_eq!(d, s.draws(40_000, 5).unwrap(), "seeded");
        let n = d.len() as f64;
        let m: Vec<f64> = (0..2)
            .map(|j| d.iter().map(|v| v[j]).sum::<f64>() / n)
            .collect();
        let cov =
            |a: usize, b: usize| d.iter().map(|v| (v[a] - m[a]) * (v[b] - m[b])).sum::<f64>() / n;
        // Var θ₁ = 4·0.04 + 0.09 + 2·2·0.018, Var θ₂ = 0.09, Cov = 2·0.018 + 0.09.
        let want = [(0, 0, 0.322), (1, 1, 0.09), (0, 1, 0.126)];
        for (a, b, w) in want {
            assert!(
                (cov(a, b) - w).abs() < 0.03 * w,
                "{a}{b}: {} vs {w}",
                cov(a, b)
            );
        }
        assert!((m[0] - 1.0).abs() < 0.01 && (m[1] - 3.0).abs() < 0.01);
    }

    #[test]
    fn quantiles_interpolate() {
        let xs: Vec<f64> = (0..=100).map(f64::from).collect();
        assert_eq!(quantile(&xs, 0.025), 2.5);
        assert_eq!(quantile(&xs, 0.975), 97.5);
        assert_eq!(quantile(&[3.0], 0.5), 3.0);
    }

    #[test]
    fn band_of_a_step_covers_the_jump() {
        // A step at a random threshold: the band is [0, 1] where the threshold may fall and
        // collapses to the curve elsewhere — where the delta method would say width zero.
        let draws: Vec<Vec<f64>> = (0..400)
            .map(|i| vec![0.4 + 0.2 * i as f64 / 399.0])
            .collect();
        let xs: Vec<f64> = (0..=10).map(|i| i as f64 / 10.0).collect();
        let step = |p: &[f64]| -> Result<Vec<Vec<f64>>, ()> {
            Ok(vec![xs
                .iter()
                .map(|&x| f64::from(u8::from(x > p[0])))
                .collect()])
        };
        let b = band(&draws, &step, &|| {});
        assert_eq!((b.used, b.failed), (400, 0));
        assert_eq!(b.lo[0][2], 0.0);
        assert_eq!(b.hi[0][2], 0.0);
        assert_eq!(b.lo[0][5], 0.0);
        assert_eq!(b.hi[0][5], 1.0);
        assert_eq!(b.lo[0][8], 1.0);
        // Failed draws are counted and left out.
        let some_fail = |p: &[f64]| if p[0] < 0.5 { Err(()) } else { step(p) };
        let b = band(&draws, &some_fail, &|| {});
        assert_eq!(b.used + b.failed, 400);
        assert!(b.failed > 100);
    }
}
