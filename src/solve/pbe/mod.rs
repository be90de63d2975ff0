//! `pbe`: every perfect Bayesian equilibrium of a small game, exactly, with its beliefs.
//!
//! Games of incomplete information are about what the players believe: a challenger weighs
//! initiating against its belief that the defender is resolute, a defender its belief that the
//! challenger is hard. A Nash equilibrium of such a game may rest on moves that no belief could
//! justify, and an information set that play never reaches has no belief at all. This solver
//! returns *assessments* — behaviour and beliefs at every information set — and all of them:
//!
//! 1. **What the players know** ([`structure`]): types, public histories, and whether the game
//!    has observed actions and independent types (then beliefs obey the Fudenberg–Tirole
//!    conditions and the equilibria are sequential; otherwise they are weak perfect Bayesian).
//! 2. **Supports** ([`system`]): actions never sequentially rational under any belief are
//!    pruned; then every combination of supports of the agent form is tried, and its
//!    conditions (indifference on the support, no gain off it, Bayes' rule) are written as
//!    polynomials in the mixing probabilities and the free beliefs.
//! 3. **Solutions** ([`solve`]): exact rational arithmetic where the conditions are linear in
//!    the unknowns (a point or a polytope of solutions), certified root isolation where they are
//!    not ([`roots`]).
//! 4. **Components** ([`component`]): solutions with the same play on the path are one
//!    equilibrium component, reported with the range of every probability and belief, the set of
//!    beliefs that sustains each off-path move, ties, a class name ([`classify`]) and the
//!    Intuitive Criterion and D1 ([`refine`]).
//!
//! The representative point of each component is returned as an ordinary behaviour profile
//! (with beliefs), so [`crate::solve::certify`] checks its regret and
//! [`crate::solve::assessment`] checks sequential rationality and Bayes consistency,
//! independently of this module.
//!
//! ## Reference
//! D. Fudenberg and J. Tirole, *Game Theory* (MIT Press, 1991), ch. 8; I.-K. Cho and D. M.
//! Kreps, "Signaling games and stable equilibria", QJE 102 (1987) 179–221; F. C. Zagare and
//! D. M. Kilgour, *Perfect Deterrence* (CUP, 2000), ch. 5 (the deterrence models).

pub mod classify;
pub mod component;
pub mod linear;
pub mod num;
pub mod poly;
pub mod refine;
pub mod roots;
pub mod solve;
pub mod structure;
pub mod system;

pub use component::{Component, Concept};
pub use refine::Refinement;

use super::{Equilibrium, GameRef, Profile, Solution, SolveError, SolveOptions, Solver, Status};
use crate::game::Game;
use solve::Solved;
use structure::Class;
use system::{BuildError, Conditions, Problem};

/// Games with more support combinations than this are refused (use `logit` or `lcp`).
pub const MAX_SUPPORTS: u64 = 2_000_000;

/// `deter solve` picks `pbe` by default for games with at most this many support combinations
/// (after pruning), which it enumerates in well under a second.
pub const DEFAULT_SUPPORTS: u64 = 5_000;

/// Trees with more nodes than this are refused before any work.
pub const MAX_NODES: usize = 20_000;

/// True if `pbe` is the default for the game: private types with observed actions, and few
/// enough support combinations.
pub fn small_enough(game: &Game) -> bool {
    let tree = &*game.tree;
    // Cheap bounds first: each information set contributes at least a factor of 3 unless
    // pruning fixes its move, so very many sets are never small.
    if tree.nodes.len() > MAX_NODES || tree.infosets.len() > 64 {
        return false;
    }
    if Pbe.supports(GameRef::Tree(game)).is_err() {
        return false;
    }
    // The default is for games of private types with observed actions (signalling, screening,
    // deterrence under uncertainty), where every equilibrium is sequential; other hidden
    // information keeps the registry's order, and `--solver pbe` still takes it. Two-player
    // constant-sum games keep the sequence-form LP, which gives their value.
    if super::seqlp::SequenceLp
        .supports(GameRef::Tree(game))
        .is_ok()
    {
        return false;
    }
    let problem = Problem::new(game);
    matches!(problem.st.class, Class::ObservedActions)
        && !problem.st.typed_players().is_empty()
        && n_supports(&problem) <= DEFAULT_SUPPORTS
}

/// The `pbe` solver.
pub struct Pbe;

/// One support's solution set with its conditions.
#[derive(Clone, Debug)]
pub struct Piece {
    /// The actions played at each information set.
    pub supports: Vec<Vec<usize>>,
    /// The conditions (unknowns, probabilities, belief weights).
    pub conditions: Conditions,
    /// The solutions.
    pub solved: Solved,
}

/// Everything `pbe` found in a game.
#[derive(Clone, Debug)]
pub struct Found {
    /// The solution pieces, one per support (or per isolated root).
    pub pieces: Vec<Piece>,
    /// Supports whose nonlinear conditions could not be resolved: (supports, reason).
    pub unresolved: Vec<(Vec<Vec<usize>>, String)>,
    /// True if the enumeration stopped early (deadline).
    pub stopped: bool,
}

/// Number of support combinations left after pruning.
pub fn n_supports(p: &Problem<'_>) -> u64 {
    p.remaining.iter().fold(1u64, |acc, r| {
        acc.saturating_mul((1u64 << r.len().min(63)).saturating_sub(1))
    })
}

/// Enumerates every support and solves it.
pub fn enumerate(p: &Problem<'_>, opts: &SolveOptions) -> Result<Found, SolveError> {
    enumerate_in(p, None, &[], opts.deadline)
}

/// Enumerates the supports of the information sets of a region (all when `None`), solving each
/// with `extra` conditions added.
pub fn enumerate_in(
    p: &Problem<'_>,
    region: Option<&system::Region>,
    extra: &[system::Condition],
    deadline: Option<std::time::Instant>,
) -> Result<Found, SolveError> {
    let sets = p.remaining.len();
    // Subsets of each set's remaining actions, as sorted action lists (singletons first).
    let choices: Vec<Vec<Vec<usize>>> = p
        .remaining
        .iter()
        .enumerate()
        .map(|(s, r)| {
            if region.is_some_and(|g| !g.active[s]) {
                return vec![vec![r[0]]];
            }
            let mut subs: Vec<Vec<usize>> = (1u64..(1 << r.len()))
                .map(|mask| {
                    r.iter()
                        .enumerate()
                        .filter(|(i, _)| mask & (1 << i) != 0)
                        .map(|(_, &a)| a)
                        .collect()
                })
                .collect();
            subs.sort_by_key(|s: &Vec<usize>| s.len());
            subs
        })
        .collect::<Vec<_>>();
    let mut found = Found {
        pieces: Vec::new(),
        unresolved: Vec::new(),
        stopped: false,
    };
    let mut idx = vec![0usize; sets];
    let mut ws = system::Workspace::default();
    loop {
        if let Some(d) = deadline {
            if std::time::Instant::now() >= d {
                found.stopped = true;
                return Ok(found);
            }
        }
        let supports: Vec<Vec<usize>> = (0..sets).map(|s| choices[s][idx[s]].clone()).collect();
        let conditions = p
            .conditions_ws(&supports, region, &mut ws)
            .map_err(|e| match e {
                BuildError::TooManyUnknowns => SolveError::Unsupported(super::Unsupported {
                    reason: "a support has more than 64 unknowns".into(),
                    suggest: Some("lcp"),
                }),
                BuildError::NoPerfectRecall => SolveError::Unsupported(super::Unsupported {
                    reason: "the game does not have perfect recall".into(),
                    suggest: None,
                }),
            })?;
        let mut conditions = conditions;
        conditions.conditions.extend(extra.iter().cloned());
        match solve::solve(conditions.vars.len(), &conditions.conditions) {
            None => {}
            Some(Solved::Unresolved(why)) => found.unresolved.push((supports, why)),
            Some(solved) => found.pieces.push(Piece {
                supports,
                conditions,
                solved,
            }),
        }
        // Next combination (odometer).
        let mut s = 0;
        loop {
            if s == sets {
                return Ok(found);
            }
            idx[s] += 1;
            if idx[s] < choices[s].len() {
                break;
            }
            idx[s] = 0;
            s += 1;
        }
    }
}

/// All components of perfect Bayesian equilibria of `game`, refined if asked.
pub fn components<'g>(
    game: &'g Game,
    opts: &SolveOptions,
) -> Result<(Vec<Component>, Found, Problem<'g>), SolveError> {
    let p = Problem::new(game);
    if let (Some(r), Class::General(why)) = (opts.refine, &p.st.class) {
        return Err(SolveError::Unsupported(super::Unsupported {
            reason: format!(
                "{} is defined here for moves off the path in games of private types with                  observed actions; this game is outside that class ({why}), and its equilibria                  are weak perfect Bayesian; solve it without --refine",
                r.name()
            ),
            suggest: None,
        }));
    }
    let n = n_supports(&p);
    if n > MAX_SUPPORTS {
        return Err(SolveError::Unsupported(super::Unsupported {
            reason: format!(
                "the game has {n} support combinations to try, more than {MAX_SUPPORTS}"
            ),
            suggest: Some("lcp"),
        }));
    }
    let found = enumerate(&p, opts)?;
    let mut comps = component::assemble(&p, &found.pieces);
    for c in &mut comps {
        c.class = classify::classify(&p, c);
        c.refinements = refine::check(&p, c, &found.pieces);
    }
    if let Some(r) = opts.refine {
        comps = refine::select(&p, comps, &found.pieces, r);
    }
    Ok((comps, found, p))
}

/// What to tell the user about supports whose conditions were left unresolved: how many, and
/// why (each reason with its count, in the order first met).
fn unresolved_note(unresolved: &[(Vec<Vec<usize>>, String)]) -> String {
    let mut why: Vec<(&str, usize)> = Vec::new();
    for (_, reason) in unresolved {
        match why.iter_mut().find(|(r, _)| *r == reason.as_str()) {
            Some((_, k)) => *k += 1,
            None => why.push((reason, 1)),
        }
    }
    let n = unresolved.len();
    let reasons: Vec<String> = why
        .iter()
        .map(|(r, k)| format!("{r} ({k} {})", if *k == 1 { "support" } else { "supports" }))
        .collect();
    format!(
        "the conditions of {n} {} could not be resolved: {}; the equilibria listed are \
         certified, but equilibria on {} may be missing",
        if n == 1 { "support" } else { "supports" },
        reasons.join("; "),
        if n == 1 {
            "that support"
        } else {
            "those supports"
        }
    )
}

impl Solver for Pbe {
    fn name(&self) -> &'static str {
        "pbe"
    }

    fn describe(&self) -> &'static str {
        "every perfect Bayesian equilibrium with its beliefs, exactly (small trees with hidden information)"
    }

    fn supports(&self, game: GameRef<'_>) -> Result<(), super::Unsupported> {
        let GameRef::Tree(g) = game else {
            return Err(super::Unsupported {
                reason: "a strategic-form game has no beliefs to compute".into(),
                suggest: Some("enummixed"),
            });
        };
        if g.tree.nodes.len() > MAX_NODES {
            return Err(super::Unsupported {
                reason: format!(
                    "the tree has {} nodes, more than the {MAX_NODES} support enumeration handles",
                    g.tree.nodes.len()
                ),
                suggest: Some("lcp"),
            });
        }
        if let Err(r) = crate::game::recall::check(&g.tree) {
            return Err(super::Unsupported {
                reason: r.describe(&g.tree),
                suggest: Some("enummixed"),
            });
        }
        if let Err(e) = crate::game::profile::best_response_value(
            g,
            &vec![0.0; g.tree.n_actions()],
            crate::game::PlayerId(0),
        ) {
            return Err(super::Unsupported {
                reason: e.to_string(),
                suggest: None,
            });
        }
        let n = n_supports(&Problem::new(g));
        if n > MAX_SUPPORTS {
            return Err(super::Unsupported {
                reason: format!("{n} support combinations are too many to enumerate"),
                suggest: Some("lcp"),
            });
        }
        Ok(())
    }

    fn solve(&self, game: GameRef<'_>, opts: &SolveOptions) -> Result<Solution, SolveError> {
        self.supports(game)?;
        let GameRef::Tree(g) = game else {
            unreachable!("checked by supports")
        };
        let (comps, found, _) = components(g, opts)?;
        let mut sol = Solution::new(
            "pbe",
            comps
                .into_iter()
                .map(|c| {
                    let mut e = Equilibrium::new(Profile::Behavior(c.point.behaviour_f64()));
                    e.exact = c
                        .point
                        .behaviour
                        .iter()
                        .map(|v| v.q.clone())
                        .collect::<Option<Vec<_>>>()
                        .map(|v| super::ExactProfile::Behavior(v.into()));
                    e.beliefs = Some(c.point.beliefs_f64());
                    e.component = Some(Box::new(c));
                    e
                })
                .collect(),
        );
        if found.stopped {
            sol.status = Status::TimeLimit;
        } else if !found.unresolved.is_empty() {
            sol.status = Status::Unresolved;
            sol.notes.push(unresolved_note(&found.unresolved));
        }
        if let Some(cap) = opts.max_equilibria {
            if sol.equilibria.len() > cap {
                sol.equilibria.truncate(cap);
                sol.status = Status::Truncated;
            }
        }
        Ok(sol)
    }
}
