//! How an equilibrium's certificate is shown: one line of text, a few JSON fields.
//!
//! The certificate itself is computed by [`crate::solve::certify`]; this module only says what
//! it found, in the terms a reader needs: "certified exactly" (every regret is exactly zero in
//! rational arithmetic) or "certified to tolerance" (each player's regret within a stated
//! fraction of that player's payoff range), and plainly when an answer failed.

use super::words::small;
use crate::solve::{Certificate, Equilibrium};
use serde_json::{json, Map, Value};

/// A short phrase for the certificate: `certified exactly`, `certified to tolerance 1e-9 of each
/// player's payoff range`, or why it failed.
pub fn summary(eq: &Equilibrium) -> String {
    match &eq.certificate {
        Certificate::Pending => "not certified".into(),
        Certificate::Exact { passed: true } => "certified exactly: every regret is 0".into(),
        Certificate::Exact { passed: false } => format!(
            "the exact check fails: the largest regret is {:.3e}",
            eq.max_regret()
        ),
        Certificate::Tolerance {
            relative, passed, ..
        } => {
            if *passed {
                format!(
                    "certified to tolerance: each regret is at most {relative:e} of its \
                     player's payoff range"
                )
            } else {
                format!(
                    "a regret of {:.3e} exceeds {relative:e} of its player's payoff range",
                    eq.max_regret()
                )
            }
        }
    }
}

/// The certificate line of the text output (without indentation or newline).
pub fn text_line(eq: &Equilibrium, players: &[String]) -> String {
    let regs = |with_tol: Option<&[f64]>| -> String {
        players
            .iter()
            .enumerate()
            .map(|(p, n)| {
                let r = eq.regret.get(p).copied().unwrap_or(f64::NAN);
                match with_tol.and_then(|t| t.get(p)) {
                    Some(t) => format!("{n} {} ≤ {}", small(r), small(*t)),
                    None => format!("{n} {}", small(r)),
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    match &eq.certificate {
        Certificate::Exact { passed: true } => {
            "Regret certificate: ✓ no player gains by deviating — certified exactly (every regret is exactly 0)"
                .into()
        }
        Certificate::Exact { passed: false } => format!(
            "Regret certificate: ✗ NOT AN EQUILIBRIUM — the exact check fails ({})",
            regs(None)
        ),
        Certificate::Tolerance {
            tol,
            relative,
            passed: true,
            ..
        } => format!(
            "Regret certificate: ✓ no player gains by deviating — certified to tolerance, at most \
             {relative:e} of each player's payoff range ({})",
            regs(Some(tol))
        ),
        Certificate::Tolerance {
            tol, passed: false, ..
        } => format!(
            "Regret certificate: ✗ NOT AN EQUILIBRIUM — regrets exceed the tolerance ({})",
            regs(Some(tol))
        ),
        Certificate::Pending => "Regret certificate: not computed".into(),
    }
}

/// The JSON fields of an equilibrium's certificate: `certified` (bool) and `certificate`
/// (`method`, `passed`, and for tolerances the relative and per-player absolute values).
pub fn json_fields(eq: &Equilibrium, players: &[String]) -> Vec<(String, Value)> {
    let cert = match &eq.certificate {
        Certificate::Pending => json!({"method": "none", "passed": false}),
        Certificate::Exact { passed } => json!({"method": "exact", "passed": passed}),
        Certificate::Tolerance {
            tol,
            relative,
            exact_regrets,
            passed,
        } => {
            let mut abs = Map::new();
            for (n, t) in players.iter().zip(tol) {
                abs.insert(n.clone(), json!(t));
            }
            json!({
                "method": "tolerance",
                "passed": passed,
                "relative_tolerance": relative,
                "tolerance": Value::Object(abs),
                "regrets_computed_exactly": exact_regrets,
            })
        }
    };
    vec![
        ("certified".into(), json!(eq.is_certified())),
        ("certificate".into(), cert),
    ]
}
