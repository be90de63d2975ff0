//! One estimation from start to finish: design, likelihood, optimum, standard errors.
//!
//! This is the library entry point behind `deter fit`; the CLI only reads files, calls
//! [`estimate`] and prints the [`Estimate`] with [`crate::fit::output`].

use super::data::Data;
use super::design::{self, ColumnInfo, Design, DesignError};
use super::formulas::Formulas;
use super::inference::{self, Bootstrap};
use super::likelihood::{Failure, Likelihood};
use super::optimise::{identification, maximise, Optimum, Options};
use super::spec::FitSpec;
use crate::diag::Diagnostic;
use crate::model::{GameTemplate, InstantiateError};

/// How standard errors are computed.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// Cluster column (overrides the `[fit]` section's).
    pub cluster: Option<String>,
    /// Bootstrap replicates (0: none).
    pub bootstrap: usize,
    /// Seed for the bootstrap.
    pub seed: u64,
    /// Start values by coefficient name (others start at 0).
    pub start: Vec<(String, f64)>,
    /// Optimiser settings.
    pub optimiser: Options,
}

/// One coefficient's row of the table.
#[derive(Clone, Debug, PartialEq)]
pub struct CoefRow {
    /// Name.
    pub name: String,
    /// Estimate.
    pub estimate: f64,
    /// Standard error.
    pub se: f64,
    /// `estimate / se`.
    pub z: f64,
    /// Two-sided p-value.
    pub p: f64,
    /// The parameters whose formulas it enters.
    pub enters: Vec<String>,
}

/// A finished estimation.
#[derive(Clone, Debug)]
pub struct Estimate {
    /// The coefficient table.
    pub coefs: Vec<CoefRow>,
    /// Covariance of the estimates (row-major), as used for the standard errors.
    pub vcov: Vec<f64>,
    /// What the standard errors are.
    pub se_kind: String,
    /// Log-likelihood at the estimates.
    pub loglik: f64,
    /// Rows used.
    pub n: usize,
    /// Rows read.
    pub n_read: usize,
    /// Rows dropped for missing values.
    pub n_dropped: usize,
    /// Columns used (with missing counts and factor baselines).
    pub columns: Vec<ColumnInfo>,
    /// The optimum (convergence information, Hessian).
    pub optimum: Optimum,
    /// Bootstrap replicates, if asked for.
    pub bootstrap: Option<Bootstrap>,
    /// Model parameters at the estimates, averaged over the rows used; the point
    /// `--params` hands to `solve`, `sweep` and `report`.
    pub point: Vec<(String, f64)>,
    /// How each estimated model parameter of [`Estimate::point`] moves with the coefficients:
    /// `(name, ∂θ/∂β)` (one entry per coefficient). The averaged parameters are affine in the
    /// coefficients, so coefficients `β` give `θ̂ + L (β − β̂)` exactly — what the parametric
    /// bootstrap of [`crate::fit::bands`] draws from. Parameters no coefficient enters are left
    /// out.
    pub loadings: Vec<(String, Vec<f64>)>,
    /// The shock scale σ of each player at that point.
    pub scales: Vec<(String, f64)>,
    /// Which parameters were estimated or given by the data.
    pub estimated: Vec<String>,
    /// Observed and predicted frequency of each observation value.
    pub fit_table: Vec<(String, f64, f64)>,
}

impl Estimate {
    /// Akaike's information criterion.
    pub fn aic(&self) -> f64 {
        2.0 * self.coefs.len() as f64 - 2.0 * self.loglik
    }

    /// Schwarz's Bayesian information criterion.
    pub fn bic(&self) -> f64 {
        self.coefs.len() as f64 * (self.n as f64).ln() - 2.0 * self.loglik
    }
}

/// Why an estimation failed.
#[derive(Debug)]
pub enum FitError {
    /// The `[fit]` section and the data do not fit together.
    Design(DesignError),
    /// A problem located in the model file.
    Model(Vec<Diagnostic>),
    /// Anything else, in words.
    Other(String),
}

impl From<DesignError> for FitError {
    fn from(e: DesignError) -> Self {
        FitError::Design(e)
    }
}

/// The likelihood's formulas for a design.
pub fn formulas(t: &GameTemplate, d: &Design) -> Result<Formulas, FitError> {
    Formulas::new(t, &d.varying[..d.n_params], &d.theta_base[..d.n_params])
        .map_err(|e| FitError::Model(vec![e]))
}

/// A likelihood failure in words, located at a data line (and in the model for formulas).
pub fn describe_failure(
    t: &GameTemplate,
    d: &Design,
    lik: &Likelihood<'_>,
    beta: &[f64],
    f: &Failure,
) -> FitError {
    let line_of = |pattern: usize| {
        let cell = d.pattern_cells[pattern];
        d.row_cell
            .iter()
            .position(|&c| c >= cell && c < d.pattern_cells[pattern + 1])
            .map_or(0, |r| d.row_lines[r])
    };
    match f {
        Failure::Formula {
            formula,
            error,
            pattern,
        } => {
            let mut th = d.theta_base.clone();
            d.theta(*pattern, beta, &mut th);
            let diag = t.diagnose(
                &InstantiateError::Eval {
                    formula: *formula,
                    error: error.clone(),
                },
                &th[..d.n_params],
            );
            FitError::Model(vec![diag.with_hint(format!(
                "at the start values, for the data row on line {}",
                line_of(*pattern)
            ))])
        }
        Failure::Chance { pattern } => FitError::Other(format!(
            "a chance probability is negative for the data row on line {}",
            line_of(*pattern)
        )),
        Failure::NoEquilibrium { pattern } => FitError::Other(format!(
            "no agent quantal response equilibrium found for the data row on line {}: \
             continuation from uniform play could not follow the principal branch to the row's \
             payoffs (it turns back at a fold, or Newton's method failed){}",
            line_of(*pattern),
            if lik.n_coefs() > 0 {
                " at the start values; give other start values with `--start`"
            } else {
                ""
            }
        )),
        Failure::ZeroProbability { pattern, obs } => FitError::Other(format!(
            "the outcome `{}` observed on line {} has probability zero under the model{}",
            d.obs_names[*obs],
            line_of(*pattern),
            if lik.n_coefs() > 0 {
                " at the start values; give start values closer to the data with `--start`"
            } else {
                ""
            }
        )),
    }
}

/// Estimates the coefficients.
pub fn estimate(
    t: &GameTemplate,
    spec: &FitSpec,
    data: &Data,
    theta: &[f64],
    settings: &Settings,
    progress: &(dyn Fn() + Sync),
) -> Result<Estimate, FitError> {
    let d = design::build(
        t,
        spec,
        data,
        theta,
        &design::Options {
            cluster: settings.cluster.clone(),
            no_outcome: false,
        },
    )?;
    let lik = Likelihood::new(&t.tree, formulas(t, &d)?, &d, spec.errors.v, spec.link.v);
    let k = lik.n_coefs();
    let mut start = vec![0.0; k];
    for (name, v) in &settings.start {
        match d.coefs.iter().position(|c| &c.name == name) {
            Some(i) => start[i] = *v,
            None => {
                return Err(FitError::Other(format!(
                    "`--start {name}=…`: `{name}` is not a coefficient{}",
                    crate::diag::did_you_mean(name, d.coefs.iter().map(|c| c.name.as_str()))
                        .map(|h| format!("; {h}"))
                        .unwrap_or_default()
                )))
            }
        }
    }
    let opt = match maximise(&lik, &start, &settings.optimiser) {
        Ok(o) => o,
        Err(super::optimise::OptimiseError::Start(f)) => {
            return Err(describe_failure(t, &d, &lik, &start, &f))
        }
    };
    if let Some(flat) = identification(&opt.hessian, k) {
        let names: Vec<String> = flat
            .coefs
            .iter()
            .map(|&(i, _)| format!("`{}`", d.coefs[i].name))
            .collect();
        let msg = match names.len() {
            0 => {
                "the Hessian of the log-likelihood could not be computed at the optimum".to_string()
            }
            1 => format!(
                "the coefficient {} is not identified: the log-likelihood does not change with it",
                names[0]
            ),
            _ => {
                let dir: Vec<String> = flat
                    .coefs
                    .iter()
                    .map(|&(i, w)| format!("{w:+.2}·{}", d.coefs[i].name))
                    .collect();
                format!(
                    "the coefficients {} are not identified: the log-likelihood is flat along {} \
                     (they enter the model only in a combination the data cannot separate)",
                    names.join(", "),
                    dir.join(" ")
                )
            }
        };
        let enters: Vec<String> = flat
            .coefs
            .iter()
            .map(|&(i, _)| {
                format!(
                    "{} enters {}",
                    d.coefs[i].name,
                    d.coefs[i].enters.join(", ")
                )
            })
            .collect();
        return Err(FitError::Other(format!(
            "{msg}\n  hint: {}; fix one of them, drop one, or normalise a utility to 0",
            enters.join("; ")
        )));
    }
    let h_inv = inference::inverse(&opt.hessian, k)
        .ok_or_else(|| FitError::Other("the Hessian at the optimum is not invertible".into()))?;
    let mut vcov = h_inv.clone();
    let mut se_kind = "inverse Hessian (forward differences of the analytic gradient)".to_string();
    if let Some((name, clusters)) = &d.clusters {
        let scores = lik
            .cell_scores(&opt.beta)
            .map_err(|f| describe_failure(t, &d, &lik, &opt.beta, &f))?;
        let (v, g) = inference::cluster_vcov(&h_inv, k, &scores, &d.row_cell, clusters);
        vcov = v;
        se_kind = format!("clustered by `{name}` ({g} clusters; sandwich with G/(G-1))");
    }
    let mut boot = None;
    if settings.bootstrap > 0 {
        let b = inference::bootstrap(
            &lik,
            &opt.beta,
            settings.bootstrap,
            settings.seed,
            d.clusters.as_ref().map(|(_, c)| c.as_slice()),
            progress,
        );
        if b.draws.len() >= 2 {
            vcov = b.vcov(k);
            se_kind = format!(
                "bootstrap: {} replicates{}{}, seed {}",
                b.draws.len(),
                if b.clustered {
                    " resampling clusters"
                } else {
                    ""
                },
                if b.failed > 0 {
                    format!(" ({} more failed to converge and are left out)", b.failed)
                } else {
                    String::new()
                },
                settings.seed
            );
        }
        boot = Some(b);
    }
    let coefs = (0..k)
        .map(|i| {
            let se = vcov[i * k + i].max(0.0).sqrt();
            let z = opt.beta[i] / se;
            CoefRow {
                name: d.coefs[i].name.clone(),
                estimate: opt.beta[i],
                se,
                z,
                p: inference::p_value(z),
                enters: d.coefs[i].enters.clone(),
            }
        })
        .collect();
    let mean = d.mean_theta(&opt.beta);
    let point = (0..d.n_params)
        .map(|p| (d.ext_names[p].clone(), mean[p]))
        .collect();
    let loadings = loadings(&d, k);
    let scales = t
        .tree
        .players
        .iter()
        .enumerate()
        .map(|(i, p)| (p.clone(), mean[d.n_params + i].exp()))
        .collect();
    let estimated = (0..d.n_params + d.n_players)
        .filter(|&p| d.varying[p])
        .map(|p| d.ext_names[p].clone())
        .collect();
    // Observed and predicted frequencies.
    let (observed, predicted) = lik.frequencies(&opt.beta);
    let n = d.n_rows();
    let fit_table = d
        .obs_names
        .iter()
        .enumerate()
        .map(|(o, name)| {
            (
                name.clone(),
                observed[o] / n as f64,
                predicted[o] / n as f64,
            )
        })
        .collect();
    Ok(Estimate {
        coefs,
        vcov,
        se_kind,
        loglik: opt.loglik,
        n,
        n_read: d.n_read,
        n_dropped: d.n_dropped,
        columns: d.columns.clone(),
        optimum: opt,
        bootstrap: boot,
        point,
        loadings,
        scales,
        estimated,
        fit_table,
    })
}

/// `∂θ̄/∂β` of each model parameter averaged over the rows ([`Design::mean_theta`], affine in
/// `β`): a coefficient's loading on a parameter is the mean of its covariate term there.
/// Parameters no coefficient enters are left out.
fn loadings(d: &Design, k: usize) -> Vec<(String, Vec<f64>)> {
    let mut rows = vec![vec![0.0; k]; d.n_params];
    let mut n = 0.0;
    for i in 0..d.n_patterns() {
        let w: f64 = d.cells[d.pattern_cells[i] as usize..d.pattern_cells[i + 1] as usize]
            .iter()
            .map(|c| c.count)
            .sum();
        n += w;
        let z = d.pattern(i);
        for (t, term) in d.terms.iter().enumerate() {
            if let Some(row) = rows.get_mut(term.param as usize) {
                row[term.coef as usize] += w * z[t];
            }
        }
    }
    (0..d.n_params)
        .filter(|&p| rows[p].iter().any(|&x| x != 0.0))
        .map(|p| {
            let row = rows[p].iter().map(|x| x / f64::max(n, 1.0)).collect();
            (d.ext_names[p].clone(), row)
        })
        .collect()
}
