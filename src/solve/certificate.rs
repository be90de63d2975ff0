//! The certificate: every equilibrium is checked by an independent regret computation, exactly
//! whenever the game's numbers are rational.
//!
//! Solvers hand over profiles; [`certify_equilibrium`] recomputes payoffs, event probabilities
//! and each player's regret (the gain from the best unilateral deviation) with the routines of
//! [`crate::game::profile`] and [`crate::game::strategic`], never with the solver's own
//! bookkeeping. The verdict is recorded on the equilibrium as a [`Certificate`]:
//!
//! - **Exact** — the game is exact ([`Game::exact`](crate::game::Game::exact)) and so is the
//!   profile: handed over by an exact solver ([`Equilibrium::exact`]), or recovered from a
//!   floating-point profile by [`reconstruct`] (small fractions near the
//!   floats, or the exact solution of the indifference system on the float profile's support).
//!   It passes only if every regret is exactly zero.
//! - **Tolerance** — only floats are known (a model evaluated with `exp`, `ln`, `sqrt`), or the
//!   game has three or more players and the equilibrium may be irrational (then the float
//!   profile's regret is computed exactly from its binary values, so the bound is rigorous).
//!   Player `p` passes when its regret is at most `tol × (max_p − min_p)`, its payoff range,
//!   with a floor of a few hundred units of f64 rounding of its largest payoff. Never absolute,
//!   never scaled by other players' payoffs.
//!
//! A two-player exact game whose float answer cannot be confirmed exactly fails: every
//! two-player game with rational payoffs has rational equilibria near any float one, so a
//! float answer that has no exact counterpart is not an equilibrium of the game.

use super::{reconstruct, Equilibrium, GameRef, Profile, SolveError};
use crate::exact::{self, Rational};
use crate::game::numeric::{ExactVec, Fraction};
use crate::game::reduce::{reduced_strategic_form, ReducedForm};
use crate::game::strategic::{expected_payoffs_in, regrets_in};
use crate::game::{profile, Game, StrategicGame};
use num_traits::{Signed, Zero};

/// The relative regret tolerance used when none is given: `1e-9` of a player's payoff range.
pub const DEFAULT_TOL: f64 = 1e-9;

/// The floor of a tolerance, in units of f64 rounding (`f64::EPSILON`) of the player's largest
/// absolute payoff: the error a float regret computation can make on its own.
pub const FLOOR_ULPS: f64 = 512.0;

/// Exact games up to this size (tree nodes, or payoff cells of a strategic form) are held to an
/// exact certificate; beyond it a float answer without an exact counterpart is judged to
/// tolerance (with its regrets computed exactly up to this size, in floats beyond).
pub const STRICT_SIZE: usize = 5_000;

/// Beyond this many tree nodes no exact profile is recovered from a float one (exact
/// solvers' profiles are still checked exactly): products of fractions along deep paths make
/// exact regrets slow.
pub const RECOVER_NODES: usize = STRICT_SIZE;

/// Beyond this many payoff cells no exact profile is recovered from a float one.
pub const RECOVER_CELLS: usize = 200_000;

/// A profile in exact rationals, in the same layout as the [`Profile`] it accompanies.
#[derive(Clone, Debug, PartialEq)]
pub enum ExactProfile {
    /// Behaviour strategies of a tree, indexed by action, as compact fractions (16 bytes an
    /// action, no heap block unless a number does not fit in machine integers).
    Behavior(ExactVec),
    /// Mixed strategies, `mixed[player][strategy]` (of a strategic game, or of the reduced
    /// strategic form of a tree).
    Mixed(Vec<Vec<Rational>>),
    /// A distribution over pure profiles.
    Correlated(Vec<Rational>),
}

/// How an equilibrium was certified, and whether it passed.
#[derive(Clone, Debug, PartialEq)]
pub enum Certificate {
    /// Not certified yet ([`certify`](super::certify) fills this in).
    Pending,
    /// Regrets computed in exact rational arithmetic on an exact profile; passed iff every
    /// regret is exactly zero.
    Exact {
        /// Whether every regret is zero.
        passed: bool,
    },
    /// Regrets compared with a tolerance relative to each player's payoff range.
    Tolerance {
        /// The tolerance of each player (absolute, in that player's payoff units).
        tol: Vec<f64>,
        /// The relative tolerance the absolute ones were derived from.
        relative: f64,
        /// Whether the regrets were computed exactly (from the profile's binary values).
        exact_regrets: bool,
        /// Whether every player's regret is within its tolerance.
        passed: bool,
    },
}

impl Certificate {
    /// True if the equilibrium passed its certificate.
    pub fn passed(&self) -> bool {
        match self {
            Certificate::Pending => false,
            Certificate::Exact { passed } | Certificate::Tolerance { passed, .. } => *passed,
        }
    }

    /// True for an exact certificate.
    pub fn is_exact(&self) -> bool {
        matches!(self, Certificate::Exact { .. })
    }
}

/// Each player's absolute tolerance: `rel` times its payoff range, at least [`FLOOR_ULPS`]
/// roundings of its largest absolute payoff.
pub fn tolerances(ranges: &[(f64, f64)], rel: f64) -> Vec<f64> {
    ranges
        .iter()
        .map(|&(lo, hi)| tolerance(lo, hi, rel))
        .collect()
}

/// One player's tolerance given its payoff range `[lo, hi]` (see [`tolerances`]).
#[inline]
pub fn tolerance(lo: f64, hi: f64, rel: f64) -> f64 {
    let mag = lo.abs().max(hi.abs());
    (rel * (hi - lo)).max(FLOOR_ULPS * f64::EPSILON * mag)
}

/// Certifies one equilibrium of `game` with relative tolerance `rel` (used where the answer
/// cannot be exact). `reduced` caches the reduced strategic form of a tree, needed for mixed
/// profiles of trees (imperfect recall).
pub fn certify_equilibrium(
    game: GameRef<'_>,
    eq: &mut Equilibrium,
    rel: f64,
    reduced: &mut Option<ReducedForm>,
) -> Result<(), SolveError> {
    match (&eq.profile, game) {
        (Profile::Behavior(p), GameRef::Tree(g)) => {
            let p = p.clone();
            certify_behavior(g, eq, &p, rel)
        }
        (Profile::Mixed(m), GameRef::Strategic(g)) => {
            let m = m.clone();
            eq.events = Vec::new();
            certify_mixed(g, eq, &m, rel);
            Ok(())
        }
        (Profile::Mixed(m), GameRef::Tree(g)) => {
            let m = m.clone();
            if reduced.is_none() {
                *reduced = Some(reduced_strategic_form(g).map_err(|e| {
                    SolveError::Numerical(format!("certifying in the strategic form: {e}"))
                })?);
            }
            let r = reduced.as_ref().ok_or_else(|| {
                SolveError::Numerical("the reduced strategic form is missing".into())
            })?;
            certify_mixed(&r.game, eq, &m, rel);
            eq.events = r.event_probabilities(g, &m);
            Ok(())
        }
        (Profile::Correlated(d), GameRef::Strategic(g)) => {
            let d = d.clone();
            eq.events = Vec::new();
            certify_correlated(g, eq, &d, rel);
            Ok(())
        }
        (Profile::Correlated(_), GameRef::Tree(_))
        | (Profile::Behavior(_), GameRef::Strategic(_)) => Err(SolveError::Numerical(
            "solver returned a profile of the wrong form".into(),
        )),
    }
}

fn to_f64s(v: &[Rational]) -> Vec<f64> {
    v.iter().map(exact::to_f64).collect()
}

/// Exact values of a float vector (every finite float is a dyadic rational); non-finite
/// entries become zero (the float check fails on them anyway).
fn dyadic(v: &[f64]) -> Vec<Rational> {
    v.iter()
        .map(|&x| exact::from_f64(x).unwrap_or_else(Rational::zero))
        .collect()
}

fn all_zero(r: &[Rational]) -> bool {
    r.iter().all(Zero::is_zero)
}

/// The tolerance verdict for float (or exactly computed) regrets.
fn tolerance_verdict(regret: &[f64], ranges: &[(f64, f64)], rel: f64, exact: bool) -> Certificate {
    let tol = tolerances(ranges, rel);
    let passed = regret.iter().zip(&tol).all(|(r, t)| *r <= *t) && regret.len() == tol.len();
    Certificate::Tolerance {
        tol,
        relative: rel,
        exact_regrets: exact,
        passed,
    }
}

/// Probabilities of each distribution are finite, non-negative and sum to 1 (within `slack`).
fn valid_float(groups: &[&[f64]], slack: f64) -> bool {
    groups.iter().all(|g| {
        g.iter().all(|x| x.is_finite() && *x >= -slack)
            && (g.iter().sum::<f64>() - 1.0).abs() <= slack * (g.len() as f64).max(1.0)
    })
}

/// [`valid_exact`] of compact fractions.
fn valid_fractions(groups: &[&[Fraction]]) -> bool {
    groups.iter().all(|g| {
        g.iter().all(|x| !x.is_negative())
            && g.iter().fold(Fraction::ZERO, |a, x| a + x.clone()) == Fraction::ONE
    })
}

/// Probabilities of each distribution are non-negative and sum to exactly 1.
pub(crate) fn valid_exact(groups: &[&[Rational]]) -> bool {
    // Summed as compact fractions: machine arithmetic unless a number does not fit.
    groups.iter().all(|g| {
        g.iter().all(|x| !x.is_negative())
            && g.iter()
                .fold(Fraction::ZERO, |a, x| a + Fraction::from_ref(x))
                == Fraction::ONE
    })
}

/// The behaviour probabilities of each information set, as slices of `p`.
fn infoset_groups<'a, T>(g: &Game, p: &'a [T]) -> Vec<&'a [T]> {
    g.tree
        .infosets
        .iter()
        .map(|s| &p[s.first_action as usize..(s.first_action + s.n_actions) as usize])
        .collect()
}

fn certify_behavior(g: &Game, eq: &mut Equilibrium, p: &[f64], rel: f64) -> Result<(), SolveError> {
    // An exact game is certified exactly first; the float quantities (payoffs, events,
    // regrets) are computed only when that does not succeed, since an exact pass replaces them.
    let Some(ex) = g.exact.clone() else {
        float_quantities(g, eq, p)?;
        let ranges = g.payoff_ranges();
        eq.certificate = tolerance_verdict(&eq.regret, &ranges, rel, false);
        if !valid_behavior(g, p) {
            eq.certificate = failed(eq.certificate.clone());
        }
        return Ok(());
    };
    // An exact profile from the solver (taken, not copied: a big tree's profile is large; it
    // is put back if it fails), else one recovered from the floats.
    let handed = match eq.exact.take() {
        Some(ExactProfile::Behavior(x)) if x.len() == p.len() => Some(x),
        other => {
            eq.exact = other;
            None
        }
    };
    let was_handed = handed.is_some();
    let candidate = handed.or_else(|| reconstruct::behavior(g, p).map(ExactVec::from));
    // The game's exact numbers are read in place as compact fractions (no big rational per
    // number); results are converted to rationals at the end.
    let (chance, payoffs) = (ex.chance_values(), ex.payoffs().values());
    if let Some(x) = candidate {
        let xq = x.values();
        let ok = valid_fractions(&infoset_groups(g, xq));
        // A subgame-perfect profile of a perfect-information tree is certified in one pass
        // (no deviation at any node gains: all regrets are zero); otherwise the regrets are
        // computed by best responses.
        let shot = if ok {
            profile::one_shot_check_in(&g.tree, chance, payoffs, xq)
        } else {
            None
        };
        let r = match shot {
            Some(_) => Ok(Vec::new()),
            None => profile::regrets_in(&g.tree, chance, payoffs, xq),
        };
        if ok && r.as_ref().is_ok_and(|r| r.iter().all(Zero::is_zero)) {
            let pay =
                shot.unwrap_or_else(|| profile::expected_payoffs_in(&g.tree, chance, payoffs, xq));
            let pay = pay.iter().map(Fraction::to_rational).collect();
            exact_pass(eq, ExactProfile::Behavior(x), pay, g.n_players(), |eq| {
                if let Profile::Behavior(xf) = &eq.profile {
                    eq.events = profile::event_probabilities(g, xf);
                }
            });
            return Ok(());
        }
        if was_handed {
            eq.exact = Some(ExactProfile::Behavior(x));
        }
        r?;
    }
    // No exact equilibrium near the floats: regrets of the floats themselves, exactly where
    // that is affordable.
    float_quantities(g, eq, p)?;
    let ranges = g.payoff_ranges();
    let valid = valid_behavior(g, p);
    let size = g.tree.nodes.len();
    if size <= STRICT_SIZE {
        let xq: Vec<Fraction> = dyadic(p).into_iter().map(Fraction::from_rational).collect();
        let r = profile::regrets_in(&g.tree, chance, payoffs, &xq)?;
        eq.regret = r.iter().map(Fraction::to_f64).collect();
    }
    eq.certificate = inexact_verdict(&eq.regret, &ranges, rel, g.n_players(), size);
    if !valid {
        eq.certificate = failed(eq.certificate.clone());
    }
    Ok(())
}

/// A float behaviour profile's expected payoffs, event probabilities and regrets.
fn float_quantities(g: &Game, eq: &mut Equilibrium, p: &[f64]) -> Result<(), SolveError> {
    eq.payoffs = profile::expected_payoffs(g, p);
    eq.events = profile::event_probabilities(g, p);
    eq.regret = profile::regrets(g, p)?;
    Ok(())
}

/// A float behaviour profile has one distribution per information set (within 1e-9).
fn valid_behavior(g: &Game, p: &[f64]) -> bool {
    p.len() == g.tree.n_actions() && valid_float(&infoset_groups(g, p), 1e-9)
}

/// The verdict on an exact game's float answer that has no exact counterpart: a failure for
/// two-player games up to [`STRICT_SIZE`], else a tolerance (regrets computed exactly up to
/// that size).
fn inexact_verdict(
    regret: &[f64],
    ranges: &[(f64, f64)],
    rel: f64,
    np: usize,
    size: usize,
) -> Certificate {
    if np <= 2 && size <= STRICT_SIZE {
        Certificate::Exact { passed: false }
    } else {
        tolerance_verdict(regret, ranges, rel, size <= STRICT_SIZE)
    }
}

/// Records an exact pass: the exact profile and payoffs, zero regrets; `after` refreshes the
/// float fields derived from the exact profile.
fn exact_pass(
    eq: &mut Equilibrium,
    x: ExactProfile,
    payoffs: Vec<Rational>,
    np: usize,
    after: impl FnOnce(&mut Equilibrium),
) {
    eq.profile = match &x {
        ExactProfile::Behavior(b) => Profile::Behavior(b.to_f64s()),
        ExactProfile::Mixed(m) => Profile::Mixed(m.iter().map(|v| to_f64s(v)).collect()),
        ExactProfile::Correlated(d) => Profile::Correlated(to_f64s(d)),
    };
    eq.payoffs = to_f64s(&payoffs);
    eq.exact_payoffs = Some(payoffs);
    eq.exact = Some(x);
    eq.regret = vec![0.0; np];
    eq.certificate = Certificate::Exact { passed: true };
    after(eq);
}

fn failed(c: Certificate) -> Certificate {
    match c {
        Certificate::Tolerance {
            tol,
            relative,
            exact_regrets,
            ..
        } => Certificate::Tolerance {
            tol,
            relative,
            exact_regrets,
            passed: false,
        },
        _ => Certificate::Exact { passed: false },
    }
}

fn certify_mixed(g: &StrategicGame, eq: &mut Equilibrium, m: &[Vec<f64>], rel: f64) {
    let shape = g.shape();
    let well_formed = m.len() == shape.len() && m.iter().zip(&shape).all(|(v, &n)| v.len() == n);
    if !well_formed {
        eq.payoffs = vec![f64::NAN; g.n_players()];
        eq.regret = vec![f64::INFINITY; g.n_players()];
        eq.certificate = Certificate::Exact { passed: false };
        return;
    }
    eq.payoffs = g.expected_payoffs(m);
    eq.regret = g.regrets(m);
    let ranges = g.payoff_ranges();
    let groups: Vec<&[f64]> = m.iter().map(Vec::as_slice).collect();
    let valid = valid_float(&groups, 1e-9);
    let Some(ex) = g.exact.clone() else {
        eq.certificate = tolerance_verdict(&eq.regret, &ranges, rel, false);
        if !valid {
            eq.certificate = failed(eq.certificate.clone());
        }
        return;
    };
    let handed = match &eq.exact {
        Some(ExactProfile::Mixed(x)) if x.len() == m.len() => Some(x.clone()),
        _ => None,
    };
    let candidate = handed.or_else(|| reconstruct::mixed(g, m));
    if let Some(x) = candidate {
        let groups: Vec<&[Rational]> = x.iter().map(Vec::as_slice).collect();
        let shaped = x.iter().zip(&shape).all(|(v, &n)| v.len() == n);
        if shaped && valid_exact(&groups) && all_zero(&regrets_in(&shape, &ex, &x)) {
            let pay = expected_payoffs_in(&shape, &ex, &x);
            exact_pass(eq, ExactProfile::Mixed(x), pay, g.n_players(), |_| {});
            return;
        }
    }
    let size = g.payoffs.len();
    if size <= STRICT_SIZE {
        let xf: Vec<Vec<Rational>> = m.iter().map(|v| dyadic(v)).collect();
        eq.regret = to_f64s(&regrets_in(&shape, &ex, &xf));
    }
    eq.certificate = inexact_verdict(&eq.regret, &ranges, rel, g.n_players(), size);
    if !valid {
        eq.certificate = failed(eq.certificate.clone());
    }
}

fn certify_correlated(g: &StrategicGame, eq: &mut Equilibrium, d: &[f64], rel: f64) {
    eq.payoffs = super::correlated::payoffs(g, d);
    eq.regret = super::correlated::regrets(g, d);
    let ranges = g.payoff_ranges();
    let valid = d.len() == g.n_profiles() && valid_float(&[d], 1e-9);
    let Some(ex) = g.exact.clone() else {
        eq.certificate = tolerance_verdict(&eq.regret, &ranges, rel, false);
        if !valid {
            eq.certificate = failed(eq.certificate.clone());
        }
        return;
    };
    let handed = match &eq.exact {
        Some(ExactProfile::Correlated(x)) if x.len() == d.len() => Some(x.clone()),
        _ => None,
    };
    let candidate = handed.or_else(|| reconstruct::correlated(g, d));
    if let Some(x) = candidate {
        if x.len() == g.n_profiles()
            && valid_exact(&[&x])
            && all_zero(&super::correlated::regrets_in(g, &ex, &x))
        {
            let pay = super::correlated::payoffs_in(g, &ex, &x);
            exact_pass(eq, ExactProfile::Correlated(x), pay, g.n_players(), |_| {});
            return;
        }
    }
    let size = g.payoffs.len();
    if d.len() == g.n_profiles() && size <= STRICT_SIZE {
        eq.regret = to_f64s(&super::correlated::regrets_in(g, &ex, &dyadic(d)));
    }
    eq.certificate = inexact_verdict(&eq.regret, &ranges, rel, g.n_players(), size);
    if !valid {
        eq.certificate = failed(eq.certificate.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerance_is_relative_to_each_range_with_a_floor() {
        // ±1e-10 payoffs: a tolerance of 1e-9 × 2e-10, not 1e-9.
        let t = tolerances(&[(-1e-10, 1e-10), (0.0, 1.0), (1e19, 1e19)], 1e-9);
        assert!((t[0] - 2e-19).abs() < 1e-30, "{t:?}");
        assert!((t[1] - 1e-9).abs() < 1e-20);
        // A constant payoff: only the rounding floor.
        assert!(t[2] > 0.0 && t[2] < 1e19 * 1e-12, "{t:?}");
        assert_eq!(tolerance(0.0, 0.0, 1e-9), 0.0);
    }
}
