//! Writing an [`Estimate`]: the coefficient table as text, JSON (`deter.fit/1`, documented in
//! `docs/fit.md`) and CSV, and each row's fitted outcome probabilities.

use super::estimate::Estimate;
use super::likelihood::Likelihood;
use crate::game::Tree;
use serde_json::{json, Value};

/// Formats a number for the table: fixed decimals in a readable range, else scientific.
fn num(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    if x.is_nan() {
        return "NaN".into();
    }
    let a = x.abs();
    if (1e-3..1e6).contains(&a) {
        format!("{x:.4}")
    } else {
        format!("{x:.3e}")
    }
}

fn pval(p: f64) -> String {
    if p < 0.001 {
        "<0.001".into()
    } else {
        format!("{p:.3}")
    }
}

/// What the text header names.
#[derive(Clone, Debug)]
pub struct Header<'a> {
    /// Model title.
    pub title: &'a str,
    /// Model file as given.
    pub model: &'a str,
    /// Data file as given.
    pub data: &'a str,
    /// `agent` or `private`.
    pub errors: &'a str,
    /// `logit` or `probit`.
    pub link: &'a str,
}

/// The readable report.
pub fn text(e: &Estimate, h: &Header<'_>) -> String {
    let mut s = String::new();
    s.push_str(&format!(
        "Strategic estimation: {} ({})\n",
        h.title, h.model
    ));
    let dropped: Vec<String> = e
        .columns
        .iter()
        .filter(|c| c.missing > 0)
        .map(|c| format!("{} {}", c.name, c.missing))
        .collect();
    s.push_str(&format!(
        "data: {}: {} rows used of {} read",
        h.data, e.n, e.n_read
    ));
    if e.n_dropped > 0 {
        s.push_str(&format!(
            "; {} dropped for missing values (missing cells by column: {})",
            e.n_dropped,
            dropped.join(", ")
        ));
    }
    s.push('\n');
    s.push_str(&format!(
        "errors: {} error, {} link; estimated: {}\n",
        h.errors,
        h.link,
        e.estimated.join(", ")
    ));
    for c in &e.columns {
        if let Some((levels, base)) = &c.factor {
            s.push_str(&format!(
                "factor {}: baseline `{base}` (levels {})\n",
                c.name,
                levels.join(", ")
            ));
        }
    }
    s.push('\n');
    let w = e
        .coefs
        .iter()
        .map(|c| c.name.len())
        .max()
        .unwrap_or(0)
        .max(11);
    s.push_str(&format!(
        "{:<w$}  {:>11}  {:>11}  {:>8}  {:>7}  enters\n",
        "coefficient", "estimate", "std. err.", "z", "P>|z|"
    ));
    for c in &e.coefs {
        s.push_str(&format!(
            "{:<w$}  {:>11}  {:>11}  {:>8.2}  {:>7}  {}\n",
            c.name,
            num(c.estimate),
            num(c.se),
            c.z,
            pval(c.p),
            c.enters.join(", ")
        ));
    }
    s.push('\n');
    s.push_str(&format!(
        "log-likelihood {:.3}   AIC {:.2}   BIC {:.2}   n {}   coefficients {}\n",
        e.loglik,
        e.aic(),
        e.bic(),
        e.n,
        e.coefs.len()
    ));
    s.push_str(&format!("standard errors: {}\n", e.se_kind));
    let o = &e.optimum;
    let gmax = o.grad.iter().fold(0.0f64, |m, g| m.max(g.abs()));
    s.push_str(&format!(
        "{}: BFGS {} iterations ({}), {} Newton step{}; max |gradient| {:.1e}, Newton decrement {:.1e}; {} likelihood evaluations\n",
        if o.converged { "converged" } else { "NOT CONVERGED" },
        o.iterations,
        o.bfgs_status,
        o.newton_steps,
        if o.newton_steps == 1 { "" } else { "s" },
        gmax,
        o.decrement,
        o.evaluations
    ));
    s.push('\n');
    let ow = e
        .fit_table
        .iter()
        .map(|r| r.0.len())
        .max()
        .unwrap_or(0)
        .max(7);
    s.push_str(&format!(
        "{:<ow$}  {:>8}  {:>9}\n",
        "outcome", "observed", "predicted"
    ));
    for (name, obs, pred) in &e.fit_table {
        s.push_str(&format!("{name:<ow$}  {obs:>8.4}  {pred:>9.4}\n"));
    }
    s
}

/// The JSON document (`deter.fit/1`).
pub fn json(e: &Estimate, h: &Header<'_>) -> Value {
    let k = e.coefs.len();
    let o = &e.optimum;
    json!({
        "schema": "deter.fit/1",
        "model": h.model,
        "title": h.title,
        "data": h.data,
        "errors": h.errors,
        "link": h.link,
        "n": e.n,
        "rows_read": e.n_read,
        "rows_dropped": e.n_dropped,
        "missing": e.columns.iter().filter(|c| c.missing > 0)
            .map(|c| (c.name.clone(), json!(c.missing))).collect::<serde_json::Map<_, _>>(),
        "factors": e.columns.iter().filter_map(|c| c.factor.as_ref().map(|(levels, base)|
            (c.name.clone(), json!({"levels": levels, "baseline": base}))))
            .collect::<serde_json::Map<_, _>>(),
        "coefficients": e.coefs.iter().map(|c| json!({
            "name": c.name, "estimate": c.estimate, "se": c.se, "z": c.z, "p": c.p,
            "enters": c.enters,
        })).collect::<Vec<_>>(),
        "vcov": (0..k).map(|i| e.vcov[i * k..(i + 1) * k].to_vec()).collect::<Vec<_>>(),
        "standard_errors": e.se_kind,
        "loglik": e.loglik,
        "aic": e.aic(),
        "bic": e.bic(),
        "convergence": {
            "converged": o.converged,
            "bfgs_iterations": o.iterations,
            "bfgs_status": o.bfgs_status,
            "newton_steps": o.newton_steps,
            "evaluations": o.evaluations,
            "max_abs_gradient": o.grad.iter().fold(0.0f64, |m, g| m.max(g.abs())),
            "newton_decrement": o.decrement,
        },
        "estimated": e.estimated,
        "parameters": e.point.iter().map(|(n, v)| (n.clone(), json!(v)))
            .collect::<serde_json::Map<_, _>>(),
        "parameters_note": "model parameters at the estimates, averaged over the rows used",
        "loadings": e.loadings.iter().map(|(n, row)| (n.clone(), json!(e.coefs.iter().zip(row)
            .filter(|(_, &x)| x != 0.0).map(|(c, &x)| (c.name.clone(), json!(x)))
            .collect::<serde_json::Map<_, _>>()))).collect::<serde_json::Map<_, _>>(),
        "scales": e.scales.iter().map(|(n, v)| (n.clone(), json!(v)))
            .collect::<serde_json::Map<_, _>>(),
        "outcomes": e.fit_table.iter().map(|(n, a, b)| json!({"value": n, "observed": a, "predicted": b}))
            .collect::<Vec<_>>(),
    })
}

/// The coefficient table as CSV.
pub fn csv(e: &Estimate) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["coefficient", "estimate", "se", "z", "p", "enters"]);
    for c in &e.coefs {
        let _ = w.write_record([
            c.name.clone(),
            format!("{}", c.estimate),
            format!("{}", c.se),
            format!("{}", c.z),
            format!("{}", c.p),
            c.enters.join(" "),
        ]);
    }
    // Writing to a Vec cannot fail.
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Each used row's fitted probability of every outcome (leaf) and of its observation, as CSV:
/// `line, observed, p_observed, p_<outcome>…`.
pub fn predictions(tree: &Tree, lik: &Likelihood<'_>, beta: &[f64]) -> Result<String, String> {
    let d = lik.design;
    let leaves: Vec<usize> = tree.leaves.iter().map(|l| l.node.ix()).collect();
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut head = vec![
        "line".to_string(),
        d.outcome_column
            .clone()
            .unwrap_or_else(|| "observed".into()),
        "p_observed".to_string(),
    ];
    head.extend(leaves.iter().map(|&l| format!("p_{}", &tree.node_names[l])));
    w.write_record(&head).map_err(|e| e.to_string())?;
    let mut work = lik.work();
    let mut cache: Vec<Option<Vec<f64>>> = vec![None; d.n_patterns()];
    for (r, &c) in d.row_cell.iter().enumerate() {
        let cell = d.cells[c as usize];
        let i = cell.pattern as usize;
        if cache[i].is_none() {
            let reach = lik
                .reach(i, beta, &mut work)
                .map_err(|f| format!("{f:?}"))?;
            cache[i] = Some(reach);
        }
        let reach = cache[i].as_ref().expect("filled above");
        let obs = &d.obs[cell.obs as usize];
        let p_obs: f64 = obs.iter().map(|&n| reach[n as usize]).sum();
        let mut rec = vec![
            d.row_lines[r].to_string(),
            d.obs_names[cell.obs as usize].clone(),
            format!("{p_obs}"),
        ];
        rec.extend(leaves.iter().map(|&l| format!("{}", reach[l])));
        w.write_record(&rec).map_err(|e| e.to_string())?;
    }
    let bytes = w.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}
