//! All Nash equilibria of small games with any number of players, by support enumeration.
//!
//! For every support profile (the strategies, or in a tree the move sequences, each player uses
//! with positive probability) the equilibrium conditions are a square polynomial system:
//! indifference among the support's strategies, probabilities summing to one. Its solutions
//! with positive probabilities on the support and no better strategy outside it are exactly
//! the equilibria with that support, so visiting every support finds every isolated
//! equilibrium, each exactly once. This is what Gambit's `enumpoly` computes (Gambit solves
//! the systems by polyhedral homotopy or Bernstein subdivision); here each system is decided
//!
//! - exactly, by Gaussian elimination over the rationals, when it is linear (two players, or
//!   when no more than one opponent of a mixing player mixes);
//! - otherwise by certified root isolation: interval Krawczyk tests on subdivided boxes
//!   ([`isolate`]) prove each root unique in its box, and the box proves its probabilities
//!   positive.
//!
//! A support whose equations have a continuum of solutions is reported as such ("a
//! d-dimensional family"), with one certified member when a linear program finds one; a
//! nonlinear system whose solutions cannot be isolated is reported as unresolved. Either way
//! the answer says so instead of silently listing points. Every equilibrium is then certified
//! by the common regret certificate.
//!
//! Strategic games are enumerated in [`strategic`]; trees in the sequence form, [`tree`].

pub mod interval;
pub mod isolate;
pub mod linear;
pub mod poly;
pub mod strategic;
pub mod tree;

use super::*;
use crate::exact::Rational;
use interval::Interval;
use isolate::{isolate, IsolateParams};
use linear::Linear;
use num_traits::Signed;
use poly::{Poly, System};
use std::time::Instant;

/// The most support profiles enumerated (larger games are refused up front).
pub const MAX_SUPPORTS: u128 = 2_000_000;

/// All equilibria by support enumeration.
pub struct EnumPoly;

/// Settings of one run.
#[derive(Clone, Debug)]
pub struct Params {
    /// Stop at this instant.
    pub deadline: Option<Instant>,
    /// Root isolation limits per support.
    pub isolate: IsolateParams,
}

/// A solution of a support system that may be an equilibrium.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    /// Values of the system's variables.
    pub x: Vec<f64>,
    /// The exact values, when the system was solved in rational arithmetic.
    pub exact: Option<Vec<Rational>>,
}

/// Linear forms that must be positive at an equilibrium: the support's probabilities
/// (realization probabilities, in trees) written in the system's variables.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Positivity {
    /// The forms, each of degree at most one.
    pub forms: Vec<Poly>,
}

impl Positivity {
    fn exact(&self, x: &[Rational]) -> bool {
        self.forms.iter().all(|f| f.eval_exact(x).is_positive())
    }
    fn surely(&self, x: &[Interval]) -> bool {
        self.forms.iter().all(|f| f.eval_interval(x).lo > 0.0)
    }
    fn impossible(&self, x: &[Interval]) -> bool {
        self.forms.iter().any(|f| f.eval_interval(x).hi <= 0.0)
    }
}

/// How one support's system came out.
#[derive(Clone, Debug, PartialEq)]
pub enum SystemResult {
    /// Its isolated solutions that are equilibrium candidates (possibly none).
    Points(Vec<Candidate>),
    /// Its equations have a family of solutions of this dimension; a member that satisfies
    /// every condition, if one was found; `decided` is false when the off-support conditions
    /// could not be checked over the family.
    Family {
        /// Dimension.
        dim: usize,
        /// One equilibrium in it.
        member: Option<Candidate>,
        /// Whether the absence of a member is proven.
        decided: bool,
    },
    /// Isolation left boxes undecided (a singular solution or a continuum), or stopped early.
    Unresolved {
        /// Candidates certified before.
        points: Vec<Candidate>,
        /// Undecided boxes.
        boxes: usize,
        /// Stopped by a budget.
        aborted: bool,
    },
}

/// One support's contribution to the answer.
#[derive(Clone, Debug, PartialEq)]
pub struct SupportReport {
    /// The support in words.
    pub label: String,
    /// Candidate profiles (mixed strategies per player, or realization plans), each with
    /// whether it was decided exactly.
    pub profiles: Vec<(Vec<Vec<f64>>, bool)>,
    /// The equations have a family of solutions of this dimension; the last profile is a
    /// member if `member`; `decided` says whether "no member" is proven.
    pub family: Option<(usize, bool, bool)>,
    /// Root isolation left this many boxes undecided (and whether it hit a budget).
    pub unresolved: Option<(usize, bool)>,
}

impl SupportReport {
    fn skipped(label: String) -> Self {
        SupportReport {
            label,
            profiles: Vec::new(),
            family: None,
            unresolved: None,
        }
    }

    /// What to tell the user about this support, given whether its family member (if any)
    /// was certified.
    pub fn remark(&self, member_certified: bool) -> Option<Remark> {
        if let Some((_, member, decided)) = self.family {
            return if member && member_certified {
                Some(Remark::Continuum)
            } else if !decided {
                Some(Remark::FamilyUndecided)
            } else {
                None
            };
        }
        match self.unresolved {
            Some((_, true)) => Some(Remark::Budget),
            Some((_, false)) => Some(Remark::Unresolved),
            None => None,
        }
    }
}

/// A kind of remark about a support.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Remark {
    /// A continuum of equilibria; one member listed.
    Continuum,
    /// A family of solutions to the equations, not checked for equilibria.
    FamilyUndecided,
    /// Root isolation left regions undecided.
    Unresolved,
    /// Root isolation stopped at its budget.
    Budget,
}

/// The notes for all remarks of a run, one per kind, naming a few supports.
fn summarise(remarks: &[(Remark, String)]) -> Vec<String> {
    let mut out = Vec::new();
    for (kind, what) in [
        (
            Remark::Continuum,
            "a continuum of equilibria (one member of each is listed)",
        ),
        (
            Remark::FamilyUndecided,
            "equations with a continuum of solutions that could not be checked for equilibria \
             (nonlinear conditions); any equilibria there are not listed",
        ),
        (
            Remark::Unresolved,
            "regions that root isolation could not decide (a continuum of solutions or a \
             singular one); any equilibria there are not listed",
        ),
        (
            Remark::Budget,
            "root isolation stopped at its box budget; equilibria there may be missing",
        ),
    ] {
        let labels: Vec<&str> = remarks
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, l)| l.as_str())
            .collect();
        if labels.is_empty() {
            continue;
        }
        let shown: Vec<&str> = labels.iter().take(3).copied().collect();
        let more = if labels.len() > 3 {
            format!(" and {} more", labels.len() - 3)
        } else {
            String::new()
        };
        out.push(format!(
            "{} support{} with {what}: {}{more}",
            labels.len(),
            if labels.len() == 1 { "" } else { "s" },
            shown.join("; ")
        ));
    }
    out
}

impl SystemResult {
    /// Turns candidates into profiles with `to_profile`.
    pub fn into_report(
        self,
        label: String,
        to_profile: &dyn Fn(&[f64]) -> Vec<Vec<f64>>,
    ) -> SupportReport {
        let mut rep = SupportReport::skipped(label);
        match self {
            SystemResult::Points(c) => {
                rep.profiles = c
                    .iter()
                    .map(|c| (to_profile(&c.x), c.exact.is_some()))
                    .collect();
            }
            SystemResult::Family {
                dim,
                member,
                decided,
            } => {
                rep.family = Some((dim, member.is_some(), decided));
                if let Some(c) = member {
                    rep.profiles.push((to_profile(&c.x), false));
                }
            }
            SystemResult::Unresolved {
                points,
                boxes,
                aborted,
            } => {
                rep.profiles = points
                    .iter()
                    .map(|c| (to_profile(&c.x), c.exact.is_some()))
                    .collect();
                rep.unresolved = Some((boxes, aborted));
            }
        }
        rep
    }
}

/// Decides one support system with inequality conditions `ineqs ≤ 0` and positivity `pos`.
/// `complete` says whether `ineqs` are all the off-support conditions (otherwise the
/// certificate checks the rest, and "no equilibrium in a family" cannot be decided here).
pub fn solve_system(
    sys: &System,
    ineqs: &[Poly],
    complete: bool,
    pos: &Positivity,
    range: f64,
    params: &Params,
) -> SystemResult {
    if sys.degree() <= 1 {
        return match linear::solve(sys) {
            Linear::None => SystemResult::Points(Vec::new()),
            Linear::Unique(x) => {
                let ok = pos.exact(&x) && !ineqs.iter().any(|p| p.eval_exact(&x).is_positive());
                SystemResult::Points(if ok {
                    vec![Candidate {
                        x: x.iter().map(crate::exact::to_f64).collect(),
                        exact: Some(x),
                    }]
                } else {
                    Vec::new()
                })
            }
            Linear::Family { dim, .. } => family_member(sys, ineqs, complete, pos, dim),
        };
    }
    let prune = |x: &[Interval]| pos.impossible(x);
    let iso = isolate(sys, &params.isolate, &prune);
    let tol = 1e-9 * range;
    let mut points = Vec::new();
    for r in &iso.roots {
        if !pos.surely(&r.enclosure) {
            continue;
        }
        if ineqs
            .iter()
            .any(|p| p.eval_interval(&r.enclosure).lo > 0.0 || p.eval(&r.x) > tol)
        {
            continue;
        }
        points.push(Candidate {
            x: r.x.clone(),
            exact: None,
        });
    }
    if iso.unresolved > 0 || iso.aborted {
        SystemResult::Unresolved {
            points,
            boxes: iso.unresolved,
            aborted: iso.aborted,
        }
    } else {
        SystemResult::Points(points)
    }
}

/// A member of a linear family that satisfies positivity and the (linear) off-support
/// conditions, by a linear program maximising the smallest support probability.
fn family_member(
    sys: &System,
    ineqs: &[Poly],
    complete: bool,
    pos: &Positivity,
    dim: usize,
) -> SystemResult {
    let linear_ineqs = ineqs.iter().all(|p| p.degree() <= 1);
    let decided = complete && linear_ineqs;
    let ge: Vec<Poly> = if linear_ineqs {
        ineqs.iter().map(negate).collect()
    } else {
        Vec::new()
    };
    let member = lp_max_min(sys.n_vars, &sys.eqs, &ge, &pos.forms)
        .filter(|(t, x)| *t > 1e-9 && ineqs.iter().all(|p| p.eval(x) <= 1e-9))
        .map(|(_, x)| Candidate { x, exact: None });
    SystemResult::Family {
        dim,
        member,
        decided,
    }
}

/// `−p`.
pub(super) fn negate(p: &Poly) -> Poly {
    let mut q = p.clone();
    for t in &mut q.terms {
        t.coef = -t.coef.clone();
        t.coef_f = -t.coef_f;
    }
    q
}

/// Maximises `t = min_f f(x)` over the forms `pos` (capped at 1) subject to `eqs = 0` and
/// `ge ≥ 0`, all of degree at most one in `n` free variables; `(t, x)` at the optimum. Terms
/// of higher degree are ignored (callers pass linear systems).
pub(super) fn lp_max_min(
    n: usize,
    eqs: &[Poly],
    ge: &[Poly],
    pos: &[Poly],
) -> Option<(f64, Vec<f64>)> {
    use good_lp::{microlp, variable, Expression, ProblemVariables, Solution as _, SolverModel};
    let mut vars = ProblemVariables::new();
    let x: Vec<_> = (0..n).map(|_| vars.add(variable())).collect();
    let t = vars.add(variable().max(1.0));
    let lin = |p: &Poly| -> Expression {
        let mut e = Expression::from(0.0);
        for term in &p.terms {
            match term.vars.as_slice() {
                [] => e += term.coef_f,
                [v] => e += term.coef_f * x[*v as usize],
                _ => {}
            }
        }
        e
    };
    let mut model = vars.maximise(t).using(microlp);
    for p in eqs {
        model = model.with(lin(p).eq(0.0));
    }
    for p in ge {
        model = model.with(lin(p).geq(0.0));
    }
    for f in pos {
        model = model.with((lin(f) - t).geq(0.0));
    }
    let s = model.solve().ok()?;
    Some((s.value(t), x.iter().map(|&v| s.value(v)).collect()))
}

impl Solver for EnumPoly {
    fn name(&self) -> &'static str {
        "enumpoly"
    }
    fn describe(&self) -> &'static str {
        "all isolated Nash equilibria by support enumeration with exact or certified polynomial solving, any number of players (small games); reports continua"
    }
    fn supports(&self, game: GameRef<'_>) -> Result<(), Unsupported> {
        let count = match game {
            GameRef::Strategic(g) => match strategic::StrategicEnum::new(g) {
                Some(e) => e.n_supports(),
                None => {
                    return Err(Unsupported {
                        reason: "enumpoly needs finite payoffs".into(),
                        suggest: None,
                    })
                }
            },
            GameRef::Tree(g) => {
                if let Err(r) = crate::game::recall::check(&g.tree) {
                    return Err(Unsupported {
                        reason: format!(
                            "enumpoly works in the sequence form, which needs perfect recall; {}",
                            r.describe(&g.tree)
                        ),
                        suggest: Some("enumpure"),
                    });
                }
                tree::support_bound(g)
            }
        };
        if game.n_players() == 0 {
            return Err(Unsupported {
                reason: "enumpoly needs at least one player".into(),
                suggest: None,
            });
        }
        if count > MAX_SUPPORTS {
            return Err(Unsupported {
                reason: format!(
                    "enumpoly would examine up to {count} support profiles (at most {MAX_SUPPORTS})"
                ),
                suggest: Some("logit"),
            });
        }
        Ok(())
    }
    fn solve(&self, game: GameRef<'_>, opts: &SolveOptions) -> Result<Solution, SolveError> {
        self.solve_with_progress(game, opts, IsolateParams::default(), &mut |_| {})
    }
}

/// How far a run has got, for a progress display.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Support profiles examined.
    pub supports: usize,
    /// Certified equilibria found.
    pub equilibria: usize,
}

impl EnumPoly {
    /// [`Solver::solve`] with root isolation limits `isolate` (its deadline is replaced by
    /// `opts.deadline`), reporting to `on_progress` after every support.
    ///
    /// The status says whether the list is complete: [`Status::TimeLimit`] when the deadline
    /// stopped the enumeration, [`Status::Truncated`] at `opts.max_equilibria`, and
    /// [`Status::StepLimit`] when every support was examined but root isolation stopped at its
    /// box budget on some of them (equilibria there may be missing). Equilibria found before
    /// a stop are kept.
    pub fn solve_with_progress(
        &self,
        game: GameRef<'_>,
        opts: &SolveOptions,
        isolate: IsolateParams,
        on_progress: &mut dyn FnMut(&Progress),
    ) -> Result<Solution, SolveError> {
        self.supports(game)?;
        let params = Params {
            deadline: opts.deadline,
            isolate: IsolateParams {
                deadline: opts.deadline,
                ..isolate
            },
        };
        let cap = opts.max_equilibria.unwrap_or(usize::MAX);
        let mut sol = Solution::new("enumpoly", Vec::new());
        let mut notes: Vec<(Remark, String)> = Vec::new();
        let mut progress = Progress::default();
        // Root isolation of a support cut short by the deadline (not by its box budget).
        let mut interrupted = false;
        // Candidates that pass the support's own conditions are kept if the regret certificate
        // confirms them (in trees it is what checks the moves outside the support).
        let push = |sol: &mut Solution, profile: Profile| -> bool {
            let mut one = Solution::new("enumpoly", vec![Equilibrium::new(profile)]);
            if certify_with(game, &mut one, opts.tol).is_err() || !one.equilibria[0].is_certified()
            {
                return false;
            }
            sol.equilibria.append(&mut one.equilibria);
            true
        };
        let mut stop = |rep: &SupportReport,
                        sol: &mut Solution,
                        notes: &mut Vec<(Remark, String)>,
                        to_profile: &dyn Fn(&[Vec<f64>]) -> Profile|
         -> bool {
            let mut last_ok = false;
            let mut full = false;
            for (p, _) in &rep.profiles {
                if full {
                    sol.status = Status::Truncated;
                    return true;
                }
                last_ok = push(sol, to_profile(p));
                full = sol.equilibria.len() >= cap;
            }
            match rep.remark(last_ok) {
                Some(Remark::Budget) if opts.deadline.is_some_and(|d| Instant::now() >= d) => {
                    interrupted = true;
                }
                Some(k) => notes.push((k, rep.label.clone())),
                None => {}
            }
            if full {
                sol.status = Status::Truncated;
            }
            progress.supports += 1;
            progress.equilibria = sol.equilibria.len();
            on_progress(&progress);
            full
        };
        match game {
            GameRef::Strategic(g) => {
                let e = strategic::StrategicEnum::new(g).ok_or_else(|| {
                    SolveError::Numerical("payoffs must be finite numbers".into())
                })?;
                for masks in e.supports() {
                    if opts.deadline.is_some_and(|d| Instant::now() >= d) {
                        sol.status = Status::TimeLimit;
                        break;
                    }
                    let rep = e.solve_support(&masks, &params);
                    if stop(&rep, &mut sol, &mut notes, &|m| Profile::Mixed(m.to_vec())) {
                        break;
                    }
                }
            }
            GameRef::Tree(g) => {
                let e = tree::TreeEnum::new(g).ok_or_else(|| {
                    SolveError::Numerical("payoffs must be finite numbers".into())
                })?;
                let mut timed_out = false;
                e.for_each_support(&mut |sup| {
                    if opts.deadline.is_some_and(|d| Instant::now() >= d) {
                        timed_out = true;
                        return false;
                    }
                    let rep = e.solve_support(sup, &params);
                    !stop(&rep, &mut sol, &mut notes, &|plans| {
                        Profile::Behavior(e.behavior(plans))
                    })
                });
                if timed_out {
                    sol.status = Status::TimeLimit;
                }
            }
        }
        if sol.status == Status::Solved && interrupted {
            sol.status = Status::TimeLimit;
        }
        if sol.status == Status::Solved && notes.iter().any(|(k, _)| *k == Remark::Budget) {
            sol.status = Status::StepLimit;
        }
        sol.notes = summarise(&notes);
        match sol.status {
            Status::TimeLimit => sol.notes.push(
                "the time budget ran out before every support was examined; the list is \
                 incomplete (raise --time-limit to continue)"
                    .into(),
            ),
            Status::StepLimit => sol.notes.push(
                "every support was examined, but the list may be incomplete where root \
                 isolation stopped at its box budget"
                    .into(),
            ),
            _ => {}
        }
        Ok(sol)
    }
}

#[cfg(test)]
mod tests;
