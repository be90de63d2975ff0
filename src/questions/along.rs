//! Where a question's answer over *every* equilibrium changes along one parameter.
//!
//! At a point a question's answer is a set of effects: the effects over every pair (treatment
//! equilibrium, control equilibrium) — one effect in every pair, or several, each in some
//! ([`super::EffectSet`]). For games with information sets each game's equilibria are every
//! perfect Bayesian equilibrium (`pbe`, on the point's exact numbers; refined if asked), for
//! games of perfect information every subgame-perfect equilibrium the ties allow. The set is
//! written as a [`RegimeSet`] whose labels are the effects' words, so the exact scan of
//! [`crate::regime::along::along_by`] finds its changes: rational breakpoints, verified by
//! solving at the point itself ("every → some at p_Def = 1/2").

use super::{set::effects, EffectSet, PreparedQuestion};
use crate::exact::{self, Rational};
use crate::game::Game;
use crate::model::GameTemplate;
use crate::regime::along::{along_by, Along, AlongOptions, Change};
use crate::regime::{Regime, RegimeError, RegimeSet};
use crate::solve::{self, GameRef, SolveOptions, Solver, Status};

/// The effects of `q` over every pair of equilibria at the exact point `theta`, as a set of
/// labels (the effects' words, [`PreparedQuestion::word`]).
pub fn answer_set(
    q: &PreparedQuestion,
    theta: &[Rational],
    opts: &SolveOptions,
) -> Result<(EffectSet, RegimeSet), RegimeError> {
    let floats: Vec<f64> = theta.iter().map(exact::to_f64).collect();
    let (set, n, tie, complete, solver) = if q.treatment.tree.is_perfect_information()
        && q.control.tree.is_perfect_information()
        && opts.refine.is_none()
    {
        let a = q
            .answer(&floats)
            .map_err(|e| RegimeError::Solve(e.to_string()))?;
        let n = a.treatment_set.probs.len() * a.control_set.probs.len();
        let tie = !(a.treatment_set.ties.is_empty() && a.control_set.ties.is_empty());
        let complete = !(a.treatment_set.truncated || a.control_set.truncated);
        (a.effects, n, tie, complete, "backward")
    } else {
        let t = side(q, &q.treatment, theta, &floats, opts)?;
        let c = side(q, &q.control, theta, &floats, opts)?;
        (
            effects(&t.0, &c.0, 1e-9),
            t.0.len() * c.0.len(),
            t.1 || c.1,
            t.2 && c.2,
            "pbe",
        )
    };
    let regimes = set
        .effects()
        .into_iter()
        .map(|e| Regime {
            label: q.word(e).to_string(),
            class: None,
            outcomes: Vec::new(),
        })
        .collect::<Vec<_>>();
    let mut regimes = regimes;
    regimes.sort();
    Ok((
        set,
        RegimeSet {
            regimes,
            equilibria: n,
            tie,
            solver,
            complete,
            through: Vec::new(),
        },
    ))
}

/// One game of the question at the exact point: the event's probability in every equilibrium,
/// whether one marks a boundary, and whether the list is complete.
fn side(
    q: &PreparedQuestion,
    t: &GameTemplate,
    theta: &[Rational],
    floats: &[f64],
    opts: &SolveOptions,
) -> Result<(Vec<f64>, bool, bool), RegimeError> {
    let fail = |e: &crate::model::InstantiateError| RegimeError::Instantiate {
        point: t.describe_point(floats),
        message: t.diagnose(e, floats).message,
    };
    let mut game: Game = t.instantiate(floats).map_err(|e| fail(&e))?;
    t.fill_exact(&mut game, theta).map_err(|e| fail(&e))?;
    let gref = GameRef::Tree(&game);
    let solver: Box<dyn Solver> = if crate::solve::pbe::Pbe.supports(gref).is_ok() {
        Box::new(crate::solve::pbe::Pbe)
    } else {
        solve::pick(gref).map_err(|u| RegimeError::Solve(u.reason))?
    };
    let mut sol = solver
        .solve(gref, opts)
        .map_err(|e| RegimeError::Solve(e.to_string()))?;
    solve::certify(gref, &mut sol).map_err(|e| RegimeError::Solve(e.to_string()))?;
    let ev = t.tree.event_id(&q.def.event.v);
    let probs = sol
        .equilibria
        .iter()
        .map(|e| ev.map_or(0.0, |k| e.events[k.ix()]))
        .collect();
    let tie = !sol.ties.is_empty() || sol.equilibria.iter().any(crate::sweep::set::on_boundary);
    Ok((probs, tie, sol.status == Status::Solved))
}

/// Every change of `q`'s answer set along parameter `param` over `[lo, hi]`, the others at
/// `base` (exact), located and verified as [`along_by`] does.
pub fn answer_along(
    q: &PreparedQuestion,
    base: &[Rational],
    param: usize,
    (lo, hi): (&Rational, &Rational),
    solve_opts: &SolveOptions,
    opts: &AlongOptions,
) -> Result<Along, RegimeError> {
    if param >= base.len() {
        return Err(RegimeError::BadRange(format!(
            "parameter index {param} does not fit a point of {} values",
            base.len()
        )));
    }
    let mut theta = base.to_vec();
    along_by(
        |x| {
            theta[param] = x.clone();
            answer_set(q, &theta, solve_opts).map(|r| r.1)
        },
        param,
        lo,
        hi,
        opts,
    )
}

/// An answer set in words: `deters in every equilibrium`, or `deters in some equilibria, has
/// no effect in others` (`none found` for an empty set).
pub fn set_words(s: &RegimeSet) -> String {
    match &s.regimes[..] {
        [] => "no equilibrium found".into(),
        [one] => format!("{} in every equilibrium", one.label),
        [first, rest @ ..] => {
            let rest: Vec<&str> = rest.iter().map(|r| r.label.as_str()).collect();
            format!(
                "{} in some equilibria, {} in others",
                first.label,
                rest.join(", ")
            )
        }
    }
}

/// One change of a question's answer set in words: `p_Def = 1/2 (exact, verified): deters in
/// every equilibrium → deters in some equilibria, has no effect in others`.
pub fn describe_change(c: &Change, name: &str) -> String {
    use crate::regime::rational::show;
    let how = if c.exact {
        format!("{name} = {} (exact, verified)", show(&c.value))
    } else {
        format!(
            "{name} ≈ {} (numeric: within {:.0e})",
            crate::output::words::num(exact::to_f64(&c.value)),
            exact::to_f64(&(&c.bracket.1 - &c.bracket.0))
        )
    };
    if c.left.same(&c.right) {
        return format!(
            "{how}: at this point only, {}",
            c.at.as_ref().map_or_else(String::new, set_words)
        );
    }
    let mut s = format!("{how}: {} → {}", set_words(&c.left), set_words(&c.right));
    if let Some(a) = &c.at {
        if c.exact && !a.same(&c.left) && !a.same(&c.right) {
            s.push_str(&format!("; at the point itself: {}", set_words(a)));
        }
    }
    s
}

/// Whether the effect `e` holds in every equilibrium, some or none, of an answer set.
pub fn modality_of(s: &RegimeSet, word: &str) -> super::Modality {
    let has = s.regimes.iter().any(|r| r.label == word);
    match (has, s.regimes.len()) {
        (false, _) => super::Modality::No,
        (true, 1) => super::Modality::Every,
        (true, _) => super::Modality::Some,
    }
}
