//! The computations behind a report, behind one small interface: equilibria at a point,
//! and comparative statics along one parameter (the map of a question's answer is
//! [`crate::questions::question_map`]).
//!
//! Everything here solves perfect-information games by backward induction
//! ([`crate::solve::backward`]) on games instantiated from a template, reusing the game and
//! workspace from one point to the next. Thresholds come from
//! [`crate::thresholds`] (exact where the deciding comparison is linear).

use crate::game::profile::{event_probabilities, expected_payoffs};
use crate::game::{Game, NodeId};
use crate::model::GameTemplate;
use crate::output::words::{switch_sentence, tie_sentence};
use crate::solve::backward::{profile_of, solve_into, Workspace};
use crate::thresholds::{self, thresholds, ThresholdOptions};

/// The subgame-perfect equilibrium at one point.
#[derive(Clone, Debug)]
pub struct Solved {
    /// The game at the point.
    pub game: Game,
    /// The behaviour profile.
    pub profile: Vec<f64>,
    /// The chosen action per node (`u32::MAX` off decision nodes).
    pub choice: Vec<u32>,
    /// Ties found, in words.
    pub ties: Vec<String>,
}

/// A reusable solver for one template.
pub struct Solver<'a> {
    t: &'a GameTemplate,
    game: Game,
    ws: Workspace,
    stack: Vec<f64>,
}

impl<'a> Solver<'a> {
    /// A solver for `t` (which must be perfect information).
    pub fn new(t: &'a GameTemplate) -> Self {
        Solver {
            t,
            game: t.empty_game(),
            ws: Workspace::default(),
            stack: Vec::new(),
        }
    }

    /// Solves at `theta`; returns the choices, or `None` if the model cannot be evaluated.
    fn choices(&mut self, theta: &[f64]) -> Option<&[u32]> {
        self.t
            .instantiate_into(theta, &mut self.game, &mut self.stack)
            .ok()?;
        solve_into(&self.game, 1e-9, &mut self.ws);
        Some(&self.ws.choice)
    }

    /// Solves at `theta` and returns the event probabilities and the expected payoffs.
    pub fn outcomes(&mut self, theta: &[f64]) -> Option<(Vec<f64>, Vec<f64>)> {
        self.choices(theta)?;
        let p = profile_of(&self.game.tree, &self.ws);
        Some((
            event_probabilities(&self.game, &p),
            expected_payoffs(&self.game, &p),
        ))
    }

    /// Solves at `theta`, keeping everything.
    pub fn solve(&mut self, theta: &[f64]) -> Option<Solved> {
        self.choices(theta)?;
        let tree = &*self.game.tree;
        let ties = self
            .ws
            .ties
            .iter()
            .map(|tie| tie_sentence(tree, tie.node, &tie.moves))
            .collect();
        Some(Solved {
            profile: profile_of(tree, &self.ws),
            choice: self.ws.choice.clone(),
            game: self.game.clone(),
            ties,
        })
    }
}

/// Where the equilibrium changes along one parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Threshold {
    /// The parameter value.
    pub value: f64,
    /// Choices that switch because the mover becomes indifferent here, in words ("after
    /// Protege hedges → Challenger challenges → Defender abandons, Protege switches from
    /// “acquiesces” to “realigns”").
    pub causes: Vec<String>,
    /// Choices that switch in consequence (their mover's options changed value).
    pub consequences: Vec<String>,
    /// The exact condition, solved for the parameter, when it has a closed form.
    pub exact: Vec<String>,
}

/// The comparative statics of one parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Statics {
    /// Parameter index.
    pub param: usize,
    /// Grid of values.
    pub xs: Vec<f64>,
    /// Event probabilities at each grid value (`NaN` where the model cannot be evaluated).
    pub events: Vec<Vec<f64>>,
    /// Expected payoffs at each grid value, by player (`NaN` likewise).
    pub payoffs: Vec<Vec<f64>>,
    /// Thresholds in increasing order.
    pub thresholds: Vec<Threshold>,
    /// Why the thresholds could not be located (then `thresholds` is empty and says nothing).
    pub error: Option<String>,
}

/// Comparative statics of parameter `k` over `[lo, hi]` from `base`, on `n` grid points: the
/// curves on the grid, the thresholds located exactly by [`crate::thresholds::thresholds`].
pub fn statics(t: &GameTemplate, base: &[f64], k: usize, lo: f64, hi: f64, n: usize) -> Statics {
    let mut s = Solver::new(t);
    let mut theta = base.to_vec();
    let n = n.max(2);
    let xs: Vec<f64> = (0..n)
        .map(|i| lo + (hi - lo) * i as f64 / (n - 1) as f64)
        .collect();
    let mut events = Vec::with_capacity(n);
    let mut payoffs = Vec::with_capacity(n);
    for &x in &xs {
        theta[k] = x;
        let (e, u) = s.outcomes(&theta).unwrap_or_else(|| {
            (
                vec![f64::NAN; t.tree.events.len()],
                vec![f64::NAN; t.tree.n_players()],
            )
        });
        events.push(e);
        payoffs.push(u);
    }
    let opts = ThresholdOptions {
        grid: n - 1,
        ..ThresholdOptions::default()
    };
    // A switch exactly at an end of the range is a tie there, not a threshold.
    let tol = 1e-9 * (hi - lo).abs().max(1.0);
    let (thresholds, error) = match thresholds(t, base, k, lo, hi, &opts) {
        Ok(found) => (
            found
                .iter()
                .filter(|th| th.value > lo + tol && th.value < hi - tol)
                .map(|th| in_words(t, th))
                .collect(),
            None,
        ),
        // An analysis that fails must say so: no thresholds found is not "nothing changes".
        Err(e) => (Vec::new(), Some(e.to_string())),
    };
    Statics {
        param: k,
        xs,
        events,
        payoffs,
        thresholds,
        error,
    }
}

/// A threshold in words: the cause's switch, the switches in consequence (top-down), and the
/// cause's indifference in the model's terms.
fn in_words(t: &GameTemplate, th: &thresholds::Threshold) -> Threshold {
    let tree = &*t.tree;
    let words = |node: NodeId, from: usize, to: usize| switch_sentence(tree, node, from, to);
    let mut also = th.also.clone();
    also.sort_by_key(|c| c.node.ix());
    Threshold {
        value: th.value,
        causes: vec![words(th.node, th.moves.0, th.moves.1)],
        consequences: also.iter().map(|c| words(c.node, c.from, c.to)).collect(),
        exact: th.equation.iter().cloned().collect(),
    }
}
