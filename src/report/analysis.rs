//! The computations behind a report, behind one small interface: equilibria at a point,
//! comparative statics along one parameter, and the map of a question's answer over two.
//!
//! Everything here solves perfect-information games by backward induction
//! ([`crate::solve::backward`]) on games instantiated from a template, so a map of 121 × 121
//! points costs two small solves per point and no allocation per solve. Thresholds are located
//! by bisection between grid points whose equilibria differ and printed to six decimals.

use crate::game::profile::{event_probabilities, expected_payoffs};
use crate::game::tree::NodeKind;
use crate::game::{Game, NodeId};
use crate::model::GameTemplate;
use crate::regions;
use crate::solve::backward::{profile_of, solve_into, Workspace};

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
    pub fn choices(&mut self, theta: &[f64]) -> Option<&[u32]> {
        self.t
            .instantiate_into(theta, &mut self.game, &mut self.stack)
            .ok()?;
        solve_into(&self.game, 1e-9, &mut self.ws);
        Some(&self.ws.choice)
    }

    /// Solves at `theta` and returns the probability of each event.
    pub fn events(&mut self, theta: &[f64]) -> Option<Vec<f64>> {
        self.choices(theta)?;
        let p = profile_of(&self.game.tree, &self.ws);
        Some(event_probabilities(&self.game, &p))
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
            .map(|tie| {
                let moves: Vec<&str> = tie
                    .moves
                    .iter()
                    .map(|&a| {
                        let n = tree.node(tie.node);
                        tree.move_labels[n.first_child as usize + a].as_str()
                    })
                    .collect();
                format!(
                    "{} is indifferent at {} between {}",
                    tree.players[tie.player.ix()],
                    tree.node_names[tie.node.ix()],
                    moves.join(" and ")
                )
            })
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
    /// Choices that switch because the mover becomes indifferent here, in words
    /// ("Protege at protege_h switches from acquiesce to realign").
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
}

/// Comparative statics of parameter `k` over `[lo, hi]` from `base`, on `n` grid points.
pub fn statics(t: &GameTemplate, base: &[f64], k: usize, lo: f64, hi: f64, n: usize) -> Statics {
    let mut s = Solver::new(t);
    let mut theta = base.to_vec();
    let n = n.max(2);
    let xs: Vec<f64> = (0..n)
        .map(|i| lo + (hi - lo) * i as f64 / (n - 1) as f64)
        .collect();
    let mut events = Vec::with_capacity(n);
    let mut payoffs = Vec::with_capacity(n);
    let mut choices: Vec<Option<Vec<u32>>> = Vec::with_capacity(n);
    for &x in &xs {
        theta[k] = x;
        choices.push(s.choices(&theta).map(<[u32]>::to_vec));
        let (e, u) = s.outcomes(&theta).unwrap_or_else(|| {
            (
                vec![f64::NAN; t.tree.events.len()],
                vec![f64::NAN; t.tree.n_players()],
            )
        });
        events.push(e);
        payoffs.push(u);
    }
    let mut thresholds = Vec::new();
    for i in 1..n {
        if let (Some(a), Some(b)) = (&choices[i - 1], &choices[i]) {
            if a != b {
                let th = locate(t, &mut s, base, k, (xs[i - 1], xs[i]), a);
                // A switch exactly at an end of the range is a tie there, not a threshold.
                let tol = 1e-9 * (hi - lo).abs().max(1.0);
                if th.value > lo + tol && th.value < hi - tol {
                    thresholds.push(th);
                }
            }
        }
    }
    Statics {
        param: k,
        xs,
        events,
        payoffs,
        thresholds,
    }
}

fn locate(
    t: &GameTemplate,
    s: &mut Solver<'_>,
    base: &[f64],
    k: usize,
    (mut a, mut b): (f64, f64),
    left: &[u32],
) -> Threshold {
    let mut theta = base.to_vec();
    for _ in 0..60 {
        let mid = (a + b) / 2.0;
        theta[k] = mid;
        match s.choices(&theta) {
            Some(c) if c == left => a = mid,
            _ => b = mid,
        }
    }
    theta[k] = b;
    let right = s.choices(&theta).map(<[u32]>::to_vec).unwrap_or_default();
    let tree = &*t.tree;
    let mut out = Threshold {
        value: (a + b) / 2.0,
        causes: Vec::new(),
        consequences: Vec::new(),
        exact: Vec::new(),
    };
    theta[k] = out.value;
    for (i, node) in tree.nodes.iter().enumerate() {
        let NodeKind::Decision { player, .. } = node.kind else {
            continue;
        };
        let (Some(&l), Some(&r)) = (left.get(i), right.get(i)) else {
            continue;
        };
        if l == r {
            continue;
        }
        let f = node.first_child as usize;
        let (lm, rm) = (
            &tree.move_labels[f + l as usize],
            &tree.move_labels[f + r as usize],
        );
        let words = format!(
            "{} at {} switches from {lm} to {rm}",
            tree.players[player.ix()],
            tree.node_names[i]
        );
        // The switch is caused here when the mover is indifferent at the threshold.
        let c = regions::compare(t, &right, NodeId::from(i), r as usize, l as usize, false);
        let scale = 1.0 + theta.iter().fold(0.0f64, |m, x| m.max(x.abs()));
        match c {
            Some(c) if c.margin(&theta).is_some_and(|d| d.abs() <= 1e-6 * scale) => {
                if let Some(e) = c.equation(k, base) {
                    if !out.exact.contains(&e) {
                        out.exact.push(e);
                    }
                }
                out.causes.push(words);
            }
            _ => out.consequences.push(words),
        }
    }
    out
}
