//! Regimes: what a game with information sets does at a parameter point, in one phrase.
//!
//! The analyses of perfect-information games compare one choice vector per point (backward
//! induction). A game with private types has a *set* of perfect Bayesian equilibria at a point,
//! each a mix of behaviour and beliefs, so no single choice vector describes it. What the
//! deterrence literature compares instead is the *regime*: the kind of equilibrium (pooling,
//! separating, semi-separating — how the informed player's first move sorts its types) and the
//! outcomes it reaches (status quo, war, capitulation). This module reduces the equilibria at a
//! point to that: one [`Regime`] per equilibrium, and the point's [`RegimeSet`] — the distinct
//! regimes of all equilibria, never just the first ("pooling: SQ or separating: SQ, DD, DC").
//!
//! The equilibria come from the exact `pbe` solver where it applies (every perfect Bayesian
//! equilibrium, with its class), else from the solver `deter solve` would pick (then a regime
//! is the outcome support alone, and the set is only as complete as that solver's list).
//!
//! [`along`] finds where the regime set changes along one parameter (exact rational points,
//! verified), [`map`] draws regimes over two parameters with those exact breakpoints, and
//! [`rational`] holds the small rational helpers both use. [`derive`] turns one equilibrium
//! into polynomial inequalities in the model's parameters (over [`spoly`]'s exact
//! polynomials), and [`conditions`] states each regime's conditions in the model's symbols,
//! made readable by [`simplify`] (factors of known sign divided out, found by [`factor`]);
//! where a boundary along one parameter is irrational, [`sturm`] isolates it exactly.

pub mod along;
pub mod conditions;
pub mod derive;
pub mod eval;
pub mod factor;
pub mod map;
pub mod rational;
pub mod simplify;
pub mod spoly;
pub mod sturm;

use crate::exact::Rational;
use crate::game::profile::reach_in;
use crate::game::tree::NodeKind;
use crate::game::Game;
use crate::model::GameTemplate;
use crate::solve::pbe::{self, Component};
pub use crate::solve::select::Selection;
use crate::solve::{GameRef, Profile, SolveError, SolveOptions, Solver};

/// Why the regimes at a point could not be computed.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum RegimeError {
    /// The model cannot be evaluated at the point.
    #[error("the model cannot be evaluated at {point}: {message}")]
    Instantiate {
        /// The point in words.
        point: String,
        /// What failed.
        message: String,
    },
    /// No solver applies, or the solver failed.
    #[error("{0}")]
    Solve(String),
    /// The interval, parameter or map is unusable.
    #[error("{0}")]
    BadRange(String),
}

/// The regime of one equilibrium: its class and the outcomes it reaches.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Regime {
    /// The label: `class: outcomes` ("pooling: SQ", "semi-separating: SQ, DC, DD, CD"), or
    /// the outcomes alone when the solver gives no class.
    pub label: String,
    /// The equilibrium class of the first privately informed mover (from `pbe`).
    pub class: Option<String>,
    /// The outcomes reached with positive probability, by name (a leaf copied per type
    /// combination counts once, under the outcome's name), in tree order.
    pub outcomes: Vec<String>,
}

/// The regimes of every equilibrium at a point.
#[derive(Clone, Debug, PartialEq)]
pub struct RegimeSet {
    /// Distinct regimes, sorted by label.
    pub regimes: Vec<Regime>,
    /// Number of equilibria (components for `pbe`).
    pub equilibria: usize,
    /// True if some equilibrium has a player indifferent on the path, or is a continuum that
    /// passes through several classes: the mark of a point on a regime boundary.
    pub tie: bool,
    /// The solver used.
    pub solver: &'static str,
    /// True if the solver lists every equilibrium (complete `pbe` enumeration).
    pub complete: bool,
    /// The labels of the supports that continua through several supports pass through, each
    /// a regime found here as part of its continuum ("pooling: SQ", "semi-separating: SQ, DC,
    /// DD, CD" for `a continuum through semi-separating, pooling: SQ`), sorted; empty when no
    /// component is such a continuum. Not part of [`RegimeSet::key`]: the continuum is one
    /// equilibrium component, labelled once.
    pub through: Vec<String>,
}

impl RegimeSet {
    /// The labels, sorted: two points are in the same regime when these agree.
    pub fn key(&self) -> Vec<&str> {
        self.regimes.iter().map(|r| r.label.as_str()).collect()
    }

    /// True if the regime `label` is found at the point: as the label of a component, or as a
    /// support a continuum passes through.
    pub fn has(&self, label: &str) -> bool {
        self.key().contains(&label) || self.through.iter().any(|l| l == label)
    }

    /// True if the two sets name the same regimes.
    pub fn same(&self, o: &RegimeSet) -> bool {
        self.key() == o.key()
    }

    /// The set in words: `pooling: SQ`, `pooling: SQ or separating: SQ, DD, DC`, or `no
    /// equilibrium found`.
    pub fn describe(&self) -> String {
        if self.regimes.is_empty() {
            return "no equilibrium found".into();
        }
        self.key().join(" or ")
    }
}

/// The outcome name of a leaf: its node name without the type suffix `[hard,soft]` that
/// models with types give each copy.
pub fn outcome_name(name: &str) -> &str {
    match name.find('[') {
        Some(i) if name.ends_with(']') && i > 0 => &name[..i],
        _ => name,
    }
}

/// Outcomes reached with positive probability, given each node's reach flag.
fn outcomes(game: &Game, reached: impl Fn(usize) -> bool) -> Vec<String> {
    let tree = &*game.tree;
    let mut out: Vec<String> = Vec::new();
    for (i, n) in tree.nodes.iter().enumerate() {
        if matches!(n.kind, NodeKind::Terminal { .. }) && reached(i) {
            let name = outcome_name(&tree.node_names[i]).to_string();
            if !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}

fn label(class: Option<&str>, outs: &[String]) -> String {
    let o = if outs.is_empty() {
        "no outcome".to_string()
    } else {
        outs.join(", ")
    };
    match class {
        Some(c) => format!("{c}: {o}"),
        None => o,
    }
}

/// The regime of one `pbe` component: its class and outcome support (exact when the component
/// and the game's numbers are).
pub fn component_regime(game: &Game, c: &Component) -> Regime {
    let class = c.class.as_ref().map(|n| n.headline());
    let exact_profile: Option<Vec<Rational>> =
        c.point.behaviour.iter().map(|v| v.q.clone()).collect();
    let outs = match (exact_profile, &game.exact) {
        (Some(p), Some(ex)) => {
            let reach = reach_in(&game.tree, &ex.chance().to_vec(), &p);
            outcomes(game, |i| reach[i] > Rational::from_integer(0.into()))
        }
        _ => {
            let reach = reach_in(&game.tree, &game.chance, &c.point.behaviour_f64());
            outcomes(game, |i| reach[i] > 0.0)
        }
    };
    Regime {
        label: label(class.as_deref(), &outs),
        class,
        outcomes: outs,
    }
}

/// The supports a component passes through, each as a component of its own (classified, its
/// `pieces` and `rep` indexing `pieces`, the solver's [`pbe::Found::pieces`]): the component
/// itself unless it is a continuum through several supports. A support is kept only where
/// one of the component's alternatives is at its point (a nonlinear support with several
/// roots contributes only the roots on this component).
pub fn component_supports(
    p: &pbe::system::Problem<'_>,
    pieces: &[pbe::Piece],
    c: &Component,
) -> Vec<Component> {
    if c.pieces.len() < 2 {
        return vec![c.clone()];
    }
    let same = |a: &[pbe::component::Val], b: &[pbe::component::Val]| {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x.x - y.x).abs() <= 1e-9)
    };
    let mut out = Vec::new();
    for &i in &c.pieces {
        let Some(piece) = pieces.get(i) else { continue };
        for mut s in pbe::component::assemble(p, std::slice::from_ref(piece)) {
            if !c
                .alternatives
                .iter()
                .any(|a| same(&a.point, &s.point.behaviour))
            {
                continue;
            }
            s.class = pbe::classify::classify(p, &s);
            s.pieces = vec![i];
            s.rep.0 = i;
            out.push(s);
        }
    }
    out
}

/// The labels of the supports a continuum through several supports passes through (sorted,
/// distinct); empty for a component of one support.
pub fn component_through(
    game: &Game,
    p: &pbe::system::Problem<'_>,
    pieces: &[pbe::Piece],
    c: &Component,
) -> Vec<String> {
    if c.pieces.len() < 2 {
        return Vec::new();
    }
    let mut out: Vec<String> = component_supports(p, pieces, c)
        .iter()
        .map(|s| component_regime(game, s).label)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// True if a component marks a regime boundary: a player indifferent on the path, or a
/// continuum through several classes.
pub fn component_tie(c: &Component) -> bool {
    c.ties.iter().any(|t| t.on_path) || c.class.as_ref().is_some_and(|n| n.span.len() > 1)
}

fn collect(regimes: Vec<Regime>) -> Vec<Regime> {
    let mut r = regimes;
    r.sort();
    r.dedup_by(|a, b| a.label == b.label);
    r
}

/// The regimes of every equilibrium of `game`: all perfect Bayesian equilibria where `pbe`
/// applies (refined by `opts.refine` if set), else the equilibria of the solver `deter solve`
/// picks.
pub fn regimes_at(game: &Game, opts: &SolveOptions) -> Result<RegimeSet, RegimeError> {
    regimes_selected(game, opts, Selection::All)
}

/// [`regimes_at`] for the equilibria `sel` names: every one (`All`), the refinement's
/// survivors (`Intuitive`, `D1`: `pbe` refined), the first listed, or the limit of the
/// principal logit branch (its regime is the outcomes it reaches, without a class).
pub fn regimes_selected(
    game: &Game,
    opts: &SolveOptions,
    sel: Selection,
) -> Result<RegimeSet, RegimeError> {
    let gref = GameRef::Tree(game);
    if sel == Selection::LogitLimit {
        let solver = crate::solve::by_name("logit")
            .ok_or_else(|| RegimeError::Solve("the `logit` solver is not available".into()))?;
        solver
            .supports(gref)
            .map_err(|u| RegimeError::Solve(format!("--select logit-limit: {}", u.reason)))?;
        let mut sol = solver.solve(gref, opts).map_err(solve_error)?;
        sol.equilibria.truncate(1);
        return Ok(profile_regimes(game, &sol, false));
    }
    let mut refined;
    let opts = match sel.refinement() {
        Some(r) => {
            refined = opts.clone();
            refined.refine = Some(r);
            &refined
        }
        None => opts,
    };
    let use_pbe = (!game.tree.is_perfect_information() && pbe::Pbe.supports(gref).is_ok())
        || opts.refine.is_some();
    if use_pbe {
        let (mut comps, found, p) = pbe::components(game, opts).map_err(solve_error)?;
        if sel.single() {
            comps.truncate(1);
        }
        let tie = comps.iter().any(component_tie);
        let regimes = comps.iter().map(|c| component_regime(game, c)).collect();
        let mut through: Vec<String> = comps
            .iter()
            .flat_map(|c| component_through(game, &p, &found.pieces, c))
            .collect();
        through.sort();
        through.dedup();
        return Ok(RegimeSet {
            regimes: collect(regimes),
            equilibria: comps.len(),
            tie,
            solver: "pbe",
            complete: !found.stopped && found.unresolved.is_empty(),
            through,
        });
    }
    let solver = crate::solve::pick(gref).map_err(|u| RegimeError::Solve(u.reason))?;
    let mut sol = solver.solve(gref, opts).map_err(solve_error)?;
    if sel.single() {
        sol.equilibria.truncate(1);
    }
    let complete = solver.name() == "pbe";
    Ok(profile_regimes(game, &sol, complete))
}

/// The regimes of a solver's equilibria: the outcomes each reaches.
fn profile_regimes(game: &Game, sol: &crate::solve::Solution, complete: bool) -> RegimeSet {
    let mut regimes = Vec::new();
    for e in &sol.equilibria {
        let outs = match &e.profile {
            Profile::Behavior(b) => {
                let reach = reach_in(&game.tree, &game.chance, b);
                // Float solvers: a leaf reached with probability below 1e-9 is not reached.
                outcomes(game, |i| reach[i] > 1e-9)
            }
            _ => Vec::new(),
        };
        regimes.push(Regime {
            label: label(None, &outs),
            class: None,
            outcomes: outs,
        });
    }
    RegimeSet {
        regimes: collect(regimes),
        equilibria: sol.equilibria.len(),
        tie: !sol.ties.is_empty(),
        solver: sol.solver,
        complete: sol.status == crate::solve::Status::Solved && complete,
        through: Vec::new(),
    }
}

fn solve_error(e: SolveError) -> RegimeError {
    RegimeError::Solve(e.to_string())
}

/// Evaluates a model's regimes at exact parameter points (reusing one game).
pub struct Evaluator<'a> {
    /// The model.
    pub t: &'a GameTemplate,
    /// Solver options (`refine` selects a refinement).
    pub opts: SolveOptions,
    /// Number of points solved so far.
    pub solves: usize,
    /// Which equilibria count (`--select`; every one by default).
    pub select: Selection,
}

impl<'a> Evaluator<'a> {
    /// An evaluator of `t` with `opts`, over every equilibrium.
    pub fn new(t: &'a GameTemplate, opts: SolveOptions) -> Self {
        Evaluator {
            t,
            opts,
            solves: 0,
            select: Selection::All,
        }
    }

    /// The same evaluator over the equilibria `sel` names.
    pub fn with_select(mut self, sel: Selection) -> Self {
        self.select = sel;
        self
    }

    /// A fresh evaluator with the same model, options and selection (for a parallel worker).
    pub fn fork(&self) -> Evaluator<'a> {
        Evaluator::new(self.t, self.opts.clone()).with_select(self.select)
    }

    /// The regimes at the exact point `theta`.
    pub fn at(&mut self, theta: &[Rational]) -> Result<RegimeSet, RegimeError> {
        let floats: Vec<f64> = theta.iter().map(crate::exact::to_f64).collect();
        let fail = |e: &crate::model::InstantiateError| RegimeError::Instantiate {
            point: self.t.describe_point(&floats),
            message: self.t.diagnose(e, &floats).message,
        };
        let mut game = self.t.instantiate(&floats).map_err(|e| fail(&e))?;
        self.t.fill_exact(&mut game, theta).map_err(|e| fail(&e))?;
        self.solves += 1;
        regimes_selected(&game, &self.opts, self.select)
    }
}

#[cfg(test)]
mod private_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod types_tests;
