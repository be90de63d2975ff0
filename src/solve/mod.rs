//! The common solver interface, the solution type, and the registry the CLI picks from.
//!
//! Every method is a struct implementing [`Solver`]: a stable name, a cheap `supports` check
//! that refuses a game up front with a reason and the solver that would fit, and a one-shot
//! `solve`. Solvers return profiles only; [`certify`] then computes every equilibrium's payoffs,
//! event probabilities and regret with the independent routines of [`crate::game::profile`],
//! so the certificate never trusts the solver that produced the profile.

pub mod assessment;
pub mod backward;
pub mod certificate;
pub mod correlated;
pub mod enummixed;
pub mod enumpoly;
pub mod enumpure;
pub mod exactlp;
pub mod gnm;
pub mod lemke;
pub mod lemkehowson;
pub mod linalg;
pub mod logit;
pub mod matrixlp;
pub mod nplayer;
pub mod pbe;
pub mod polish;
pub mod reconstruct;
pub mod select;
pub mod seqlp;
pub mod staged;
mod strategic_input;
pub mod subgame;
mod tableau;
pub mod trace;
pub mod values;

use crate::game::{profile, Game, NodeId, PlayerId, StrategicGame};
pub use certificate::{Certificate, ExactProfile};

/// A game handed to a solver: an extensive-form tree or a strategic form.
#[derive(Clone, Copy, Debug)]
pub enum GameRef<'a> {
    /// An extensive-form game.
    Tree(&'a Game),
    /// A strategic-form game.
    Strategic(&'a StrategicGame),
}

impl GameRef<'_> {
    /// Number of players.
    pub fn n_players(&self) -> usize {
        match self {
            GameRef::Tree(g) => g.n_players(),
            GameRef::Strategic(g) => g.n_players(),
        }
    }
}

/// A strategy profile in the form its solver produced.
#[derive(Clone, Debug, PartialEq)]
pub enum Profile {
    /// Behaviour strategies of an extensive game, indexed by action
    /// (`infosets[I].first_action + a`).
    Behavior(Vec<f64>),
    /// Mixed strategies, `mixed[player][strategy]`: of a strategic game, or, for a tree, over
    /// the strategies of its reduced strategic form
    /// ([`reduced_strategic_form`](crate::game::reduce::reduced_strategic_form)) — the form
    /// strategic-form solvers answer in when the tree lacks perfect recall, where mixed and
    /// behaviour strategies differ.
    Mixed(Vec<Vec<f64>>),
    /// A correlated distribution over the pure profiles of a strategic game, numbered as in its
    /// payoff table (first player fastest); see [`correlated`].
    Correlated(Vec<f64>),
}

/// A node where the mover was indifferent between several best moves.
#[derive(Clone, Debug, PartialEq)]
pub struct Tie {
    /// The decision node.
    pub node: NodeId,
    /// The indifferent player.
    pub player: PlayerId,
    /// Indices of the moves that tie for best.
    pub moves: Vec<usize>,
    /// The player's value of each tied move.
    pub value: f64,
}

/// One equilibrium with its certificate.
#[derive(Clone, Debug, PartialEq)]
pub struct Equilibrium {
    /// The strategy profile.
    pub profile: Profile,
    /// Expected payoff per player (filled by [`certify`]).
    pub payoffs: Vec<f64>,
    /// Probability of each event tag, by `EventId` (filled by [`certify`]; empty for strategic
    /// games).
    pub events: Vec<f64>,
    /// Each player's gain from the best unilateral deviation (filled by [`certify`]).
    pub regret: Vec<f64>,
    /// Beliefs at information-set members (belief-aware solvers only), by node id.
    pub beliefs: Option<Vec<f64>>,
    /// The equilibrium component it represents, with its belief sets, class and refinement
    /// results (`pbe` only).
    pub component: Option<Box<pbe::Component>>,
    /// The certificate of the assessment, when the equilibrium carries beliefs (filled by
    /// [`certify`]).
    pub sequential: Option<assessment::Check>,
    /// The profile in exact rationals: set by exact solvers, or by [`certify`] when it
    /// recovers and confirms an exact equilibrium behind a float profile.
    pub exact: Option<ExactProfile>,
    /// Exact expected payoffs (filled by [`certify`] when the certificate is exact).
    pub exact_payoffs: Option<Vec<crate::exact::Rational>>,
    /// How the equilibrium was certified and whether it passed (filled by [`certify`]).
    pub certificate: Certificate,
}

impl Equilibrium {
    /// An equilibrium with only its profile; [`certify`] fills in the rest.
    pub fn new(profile: Profile) -> Self {
        Equilibrium {
            profile,
            payoffs: Vec::new(),
            events: Vec::new(),
            regret: Vec::new(),
            beliefs: None,
            component: None,
            sequential: None,
            exact: None,
            exact_payoffs: None,
            certificate: Certificate::Pending,
        }
    }

    /// An equilibrium with its profile in floats and in exact rationals (exact solvers).
    pub fn with_exact(exact: ExactProfile) -> Self {
        let f = |v: &[crate::exact::Rational]| -> Vec<f64> {
            v.iter().map(crate::exact::to_f64).collect()
        };
        let profile = match &exact {
            ExactProfile::Behavior(b) => Profile::Behavior(b.to_f64s()),
            ExactProfile::Mixed(m) => Profile::Mixed(m.iter().map(|v| f(v)).collect()),
            ExactProfile::Correlated(d) => Profile::Correlated(f(d)),
        };
        let mut eq = Equilibrium::new(profile);
        eq.exact = Some(exact);
        eq
    }

    /// The largest regret over players.
    pub fn max_regret(&self) -> f64 {
        self.regret.iter().cloned().fold(0.0, f64::max)
    }

    /// True if the equilibrium passed its certificate (exactly or to tolerance).
    pub fn is_certified(&self) -> bool {
        self.certificate.passed()
    }
}

/// How a solve ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// The method ran to completion.
    Solved,
    /// An enumeration stopped at its cap; more equilibria exist.
    Truncated,
    /// A pivoting method hit its pivot limit.
    PivotLimit,
    /// The time budget ([`SolveOptions::deadline`]) ran out; the equilibria found so far are
    /// returned.
    TimeLimit,
    /// A path-following or iterative method reached its step limit before it converged, or an
    /// enumeration's root isolation stopped at its box budget (the list may be incomplete).
    StepLimit,
    /// Some supports' conditions could not be resolved (solutions that are not isolated, or one
    /// on a constraint's boundary); the equilibria found are certified, but others may exist.
    /// [`Solution::notes`] says how many supports and why.
    Unresolved,
}

/// The result of a solver run.
#[derive(Clone, Debug, PartialEq)]
pub struct Solution {
    /// Name of the solver that produced it.
    pub solver: &'static str,
    /// How the run ended.
    pub status: Status,
    /// The equilibria found.
    pub equilibria: Vec<Equilibrium>,
    /// Nodes where a mover was indifferent (backward induction).
    pub ties: Vec<Tie>,
    /// The game value for the first player (zero-sum solvers).
    pub value: Option<f64>,
    /// The same value exactly, when the solver computed it in rationals.
    pub exact_value: Option<crate::exact::Rational>,
    /// What the user should know about this run: limits hit and what to try instead, or
    /// parts of the answer left out (printed with the solution).
    pub notes: Vec<String>,
}

impl Solution {
    /// A completed solution with these equilibria.
    pub fn new(solver: &'static str, equilibria: Vec<Equilibrium>) -> Self {
        Solution {
            solver,
            status: Status::Solved,
            equilibria,
            ties: Vec::new(),
            value: None,
            exact_value: None,
            notes: Vec::new(),
        }
    }
}

/// What to do at ties (backward induction and pure enumeration).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TieMode {
    /// Pick the first best move and report the tie.
    Report,
    /// Enumerate every pure equilibrium the ties allow, up to `cap`.
    All {
        /// At most this many equilibria.
        cap: usize,
    },
}

/// Options common to all solvers.
#[derive(Clone, Debug, PartialEq)]
pub struct SolveOptions {
    /// Relative tolerance for ties and "zero probability" where the numbers are floats: a
    /// fraction of each player's payoff range (see [`certificate::tolerance`]). Exact games
    /// decide ties exactly.
    pub tol: f64,
    /// Tie handling.
    pub ties: TieMode,
    /// Pivot limit for pivoting methods.
    pub max_pivots: Option<usize>,
    /// Objective for objective-driven methods (correlated equilibrium): `welfare` or a player.
    pub objective: Option<String>,
    /// Enumerating methods stop after this many equilibria ([`Status::Truncated`]).
    pub max_equilibria: Option<usize>,
    /// Long-running methods stop at this instant ([`Status::TimeLimit`]) and return what they
    /// have found.
    pub deadline: Option<std::time::Instant>,
    /// Keep only the equilibria that pass this refinement of off-path beliefs (`pbe`).
    pub refine: Option<pbe::Refinement>,
    /// Strategic forms (given or reduced from a tree) with more payoff cells (profiles ×
    /// players) than this are refused before they are built.
    pub max_cells: usize,
}

impl Default for SolveOptions {
    fn default() -> Self {
        SolveOptions {
            tol: 1e-9,
            ties: TieMode::Report,
            max_pivots: None,
            objective: None,
            max_equilibria: None,
            deadline: None,
            max_cells: crate::game::reduce::MAX_CELLS,
            refine: None,
        }
    }
}

/// Why a solver will not take a game.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{reason}{}", suggest.map(|s| format!("; use the `{s}` solver")).unwrap_or_default())]
pub struct Unsupported {
    /// Why, naming the offending part of the game.
    pub reason: String,
    /// A solver that would fit, if one exists.
    pub suggest: Option<&'static str>,
}

/// Why a supported game could not be solved.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SolveError {
    /// The game is outside the solver's class.
    #[error(transparent)]
    Unsupported(#[from] Unsupported),
    /// The LP backend failed.
    #[error("linear program failed: {0}")]
    Lp(String),
    /// Numerical trouble (e.g. a singular basis).
    #[error("numerical failure: {0}")]
    Numerical(String),
    /// The certificate could not be computed.
    #[error(transparent)]
    Regret(#[from] profile::RegretError),
}

/// A method that computes equilibria.
pub trait Solver: Sync {
    /// Stable short name used by the CLI and in reports, e.g. `backward`.
    fn name(&self) -> &'static str;
    /// One line: what it computes and for which games.
    fn describe(&self) -> &'static str;
    /// Cheap check on the game class, before any work.
    fn supports(&self, game: GameRef<'_>) -> Result<(), Unsupported>;
    /// Computes equilibria (profiles only; see [`certify`]).
    fn solve(&self, game: GameRef<'_>, opts: &SolveOptions) -> Result<Solution, SolveError>;
    /// True for methods that work on the (reduced) strategic form: on a tree they build it,
    /// so [`pick`] passes them over when it would exceed the default budget
    /// ([`crate::game::reduce::MAX_CELLS`]).
    fn uses_strategic_form(&self) -> bool {
        false
    }
}

/// Fills in payoffs, event probabilities, regrets and the [`Certificate`] of every equilibrium,
/// independently of the solver that produced them, with the default relative tolerance
/// ([`certificate::DEFAULT_TOL`]) where the certificate cannot be exact.
pub fn certify(game: GameRef<'_>, solution: &mut Solution) -> Result<(), SolveError> {
    certify_with(game, solution, certificate::DEFAULT_TOL)
}

/// [`certify`] with relative tolerance `rel` (a fraction of each player's payoff range).
pub fn certify_with(
    game: GameRef<'_>,
    solution: &mut Solution,
    rel: f64,
) -> Result<(), SolveError> {
    let mut reduced = None;
    for eq in &mut solution.equilibria {
        certificate::certify_equilibrium(game, eq, rel, &mut reduced)?;
        // Assessments of belief-aware solvers that report components (`pbe`).
        if let (Profile::Behavior(p), GameRef::Tree(g), Some(b), Some(_)) =
            (&eq.profile, game, &eq.beliefs, &eq.component)
        {
            eq.sequential = Some(assessment::check_equilibrium(
                g,
                p,
                b,
                eq.component.as_deref(),
                rel,
            ));
        }
    }
    Ok(())
}

/// Relative tolerance of the assessment certificate when an equilibrium is given in floats.
pub const ASSESSMENT_TOL: f64 = 1e-9;

/// All solvers, in the order `deter solve` tries them by default.
pub fn registry() -> Vec<Box<dyn Solver>> {
    vec![
        Box::new(backward::BackwardInduction),
        Box::new(pbe::Pbe),
        Box::new(subgame::SubgameDecomposition),
        Box::new(seqlp::SequenceLp),
        Box::new(lemke::SequenceLcp),
        Box::new(matrixlp::MatrixLp),
        Box::new(enummixed::EnumMixed),
        Box::new(lemkehowson::LemkeHowson),
        Box::new(enumpure::EnumPure),
        Box::new(enummixed::EnumMixedFloat),
        Box::new(correlated::Correlated),
        Box::new(logit::Logit),
        Box::new(gnm::GlobalNewton),
        Box::new(enumpoly::EnumPoly),
    ]
}

/// The solver with this name.
pub fn by_name(name: &str) -> Option<Box<dyn Solver>> {
    registry().into_iter().find(|s| s.name() == name)
}

/// The solver `deter solve` uses by default: `pbe` (every perfect Bayesian equilibrium) for a
/// small game of private types with observed actions ([`pbe::small_enough`]); the n-player
/// default for three or more players with hidden information; otherwise the first solver in the
/// registry that supports the game.
pub fn pick(game: GameRef<'_>) -> Result<Box<dyn Solver>, Unsupported> {
    if let GameRef::Tree(g) = game {
        if !g.tree.is_perfect_information() && pbe::small_enough(g) {
            return Ok(Box::new(pbe::Pbe));
        }
    }
    // Three or more players with simultaneous moves or hidden information: pure enumeration
    // (next in the registry) may find nothing, so enumerate all equilibria, falling back to
    // the logit limit — a method that always returns an equilibrium.
    if nplayer::applies(game) && nplayer::NPlayerDefault.supports(game).is_ok() {
        return Ok(Box::new(nplayer::NPlayerDefault));
    }
    first_supporting(game)
}

/// The first solver in the registry that supports the game (`pbe` is skipped: it is picked
/// only where it is small enough; strategic-form methods only if a tree's reduced strategic form
/// fits the default budget). If none does, the refusal lists every solver's reason.
fn first_supporting(game: GameRef<'_>) -> Result<Box<dyn Solver>, Unsupported> {
    let mut reasons: Vec<String> = Vec::new();
    let mut cells: Option<f64> = None;
    let budget = crate::game::reduce::MAX_CELLS as f64;
    for s in registry().into_iter().filter(|s| s.name() != "pbe") {
        match s.supports(game) {
            Ok(()) => {
                if let (true, GameRef::Tree(g)) = (s.uses_strategic_form(), game) {
                    let n =
                        *cells.get_or_insert_with(|| crate::game::reduce::reduced_cells(&g.tree));
                    if n > budget {
                        reasons.push(format!(
                            "{}: the reduced strategic form has about {n:.2e} payoff cells, \
                             over the budget of {budget:.0e} (`--solver {}` with `--allow-large` \
                             lifts it)",
                            s.name(),
                            s.name()
                        ));
                        continue;
                    }
                }
                return Ok(s);
            }
            Err(e) => reasons.push(format!("{}: {e}", s.name())),
        }
    }
    Err(Unsupported {
        reason: format!("every solver refuses it:\n  {}", reasons.join("\n  ")),
        suggest: None,
    })
}
