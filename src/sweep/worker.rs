//! One thread's share of a sweep: reused buffers, point evaluation and chunk formatting.
//!
//! The fast path (perfect information) instantiates the game in place, runs
//! [`backward::solve_into`], and then certifies the result independently of the solver: reach
//! probabilities give payoffs and events, and a per-player best-response pass over the same
//! buffers gives each player's regret. Outcome labels and paths are interned per reached leaf
//! when the game has no chance moves (they cannot change between points then).
//!
//! Registry solvers (games with information sets) solve each point in full and certify every
//! equilibrium; the row then describes the whole set, or the equilibrium a [`Selection`]
//! names (see [`super::set`]). `pbe` is given the point's exact numbers where the formulas
//! allow, so a point on a boundary (p = 1/2) is solved exactly there.

use super::format::{self, Format};
use super::{set as rowset, AxisText, ChunkOut, Method, Row, SweepError, Sweeper};
use crate::game::tree::NodeKind;
use crate::game::{EventId, Game, LeafId};
use crate::output::words;
use crate::questions::{set, Effect, EffectSet, Evaluator, Modality};
use crate::solve::backward::{self, Workspace};
use crate::solve::{self, GameRef, Profile, SolveOptions, Solver};
use std::ops::Range;
use std::sync::Arc;

/// Per-thread state, reused across points.
pub(crate) struct Worker<'s, 't> {
    sw: &'s Sweeper<'t>,
    /// Each axis's values as text.
    axis_text: &'s [AxisText],
    /// The current point's position along each axis.
    coords: Vec<usize>,
    game: Game,
    stack: Vec<f64>,
    ws: Workspace,
    theta: Vec<f64>,
    reach: Vec<f64>,
    br: Vec<f64>,
    solver: Option<Box<dyn Solver>>,
    no_chance: bool,
    /// Interned (outcome, path) per leaf index (games without chance moves).
    by_leaf: Vec<Option<(Arc<str>, Arc<str>)>>,
    // The current point's results.
    pub(crate) payoffs: Vec<f64>,
    pub(crate) events: Vec<f64>,
    pub(crate) outcome: Arc<str>,
    pub(crate) path: Arc<str>,
    /// The regime set (registry solvers).
    pub(crate) regime: Arc<str>,
    pub(crate) n_eq: usize,
    pub(crate) n_ties: usize,
    pub(crate) regret: f64,
    /// Each question's treatment and control games.
    qgames: Vec<[QGame; 2]>,
    /// Each question's exact evaluator over equilibrium sets, made at its first tie.
    evaluators: Vec<Option<Evaluator<'s>>>,
    pub(crate) answers: Vec<Effect>,
    /// The effects over every pair of equilibria of each question's two games.
    pub(crate) effect_sets: Vec<EffectSet>,
    /// Whether each answer holds in every equilibrium, some or none (`None`: no answer).
    pub(crate) modalities: Vec<Option<Modality>>,
    /// Options of registry solves (the selection's refinement).
    opts: SolveOptions,
    /// Give `pbe` the point's exact numbers.
    exact: bool,
}

/// A question's counterfactual game, with its own buffers.
struct QGame {
    game: Game,
    ws: Workspace,
    reach: Vec<f64>,
    /// The compared event's id in this game (absent: probability 0).
    event: Option<usize>,
}

impl QGame {
    fn new(t: &crate::model::GameTemplate, event: &str) -> QGame {
        QGame {
            game: t.empty_game(),
            ws: Workspace::default(),
            reach: vec![0.0; t.tree.nodes.len()],
            event: t.tree.event_id(event).map(|e| e.ix()),
        }
    }
}

impl<'s, 't> Worker<'s, 't> {
    pub(crate) fn new(sw: &'s Sweeper<'t>, axis_text: &'s [AxisText]) -> Self {
        let t = sw.template;
        let tree = &t.tree;
        let solver = match &sw.method {
            Method::Backward => None,
            Method::Registry(n) => solve::by_name(n),
        };
        let no_chance = !tree
            .nodes
            .iter()
            .any(|n| matches!(n.kind, NodeKind::Chance));
        Worker {
            sw,
            axis_text,
            coords: vec![0; sw.grid.axes.len()],
            game: t.empty_game(),
            stack: Vec::new(),
            ws: Workspace::default(),
            theta: sw.base.clone(),
            reach: vec![0.0; tree.nodes.len()],
            br: vec![0.0; tree.nodes.len()],
            solver,
            no_chance,
            by_leaf: vec![None; tree.leaves.len()],
            payoffs: vec![0.0; tree.players.len()],
            events: vec![0.0; tree.events.len()],
            outcome: Arc::from(""),
            path: Arc::from(""),
            regime: Arc::from(""),
            n_eq: 0,
            n_ties: 0,
            regret: 0.0,
            qgames: sw
                .questions
                .iter()
                .map(|q| {
                    [
                        QGame::new(&q.treatment, &q.def.event.v),
                        QGame::new(&q.control, &q.def.event.v),
                    ]
                })
                .collect(),
            evaluators: sw.questions.iter().map(|_| None).collect(),
            answers: vec![Effect::None; sw.questions.len()],
            effect_sets: vec![EffectSet::default(); sw.questions.len()],
            modalities: vec![None; sw.questions.len()],
            opts: SolveOptions {
                tol: sw.tol,
                refine: sw.selection.refinement(),
                ..SolveOptions::default()
            },
            exact: sw.method.name() == "pbe",
        }
    }

    /// True if the row describes a set of equilibria (registry solver, no single selection).
    pub(crate) fn set_row(&self) -> bool {
        self.sw.sets() && !self.sw.selection.single()
    }

    /// The sweep this worker serves.
    pub(crate) fn sw(&self) -> &'s Sweeper<'t> {
        self.sw
    }

    /// The parameter values of the current point along the grid's axes.
    pub(crate) fn axis_value(&self, axis: usize) -> f64 {
        self.theta[self.sw.grid.axes[axis].param]
    }

    /// The current point's value along an axis, as text.
    pub(crate) fn axis_text(&self, axis: usize) -> &str {
        self.axis_text[axis].get(self.coords[axis])
    }

    /// Solves and formats the points `range`.
    pub(crate) fn chunk(
        &mut self,
        range: Range<u64>,
        fmt: Option<Format>,
        keep: bool,
    ) -> Result<ChunkOut, SweepError> {
        let n = (range.end - range.start) as usize;
        let mut bytes = Vec::with_capacity(if fmt.is_some() { n * 160 } else { 0 });
        let mut rows = Vec::with_capacity(if keep { n } else { 0 });
        for index in range {
            self.eval(index)?;
            if let Some(f) = fmt {
                format::write_row(f, self, index, &mut bytes);
            }
            if keep {
                rows.push(self.row(index));
            }
        }
        Ok(ChunkOut { bytes, rows })
    }

    fn row(&self, index: u64) -> Row {
        Row {
            index,
            params: (0..self.sw.grid.axes.len())
                .map(|a| self.axis_value(a))
                .collect(),
            outcome: self.outcome.clone(),
            path: self.path.clone(),
            regime: self.regime.clone(),
            payoffs: self.payoffs.clone(),
            events: self.events.clone(),
            n_equilibria: self.n_eq,
            n_ties: self.n_ties,
            max_regret: self.regret,
            answers: self.answers.clone(),
            effect_sets: self.effect_sets.clone(),
            modalities: self.modalities.clone(),
        }
    }

    fn point_error(&self, index: u64, message: String) -> SweepError {
        SweepError::Point {
            index,
            at: self.sw.template.describe_point(&self.theta),
            message,
        }
    }

    /// Solves point `index` into the result fields.
    pub(crate) fn eval(&mut self, index: u64) -> Result<(), SweepError> {
        let sw = self.sw;
        sw.grid.point(index, &sw.base, &mut self.theta);
        sw.grid.coords(index, &mut self.coords);
        if let Err(e) = sw
            .template
            .instantiate_into(&self.theta, &mut self.game, &mut self.stack)
        {
            let d = sw.template.diagnose(&e, &self.theta);
            return Err(self.point_error(index, d.message));
        }
        if self.exact {
            fill_exact(sw.template, &self.theta, &mut self.game);
        }
        let solver = self.solver.take();
        let r = match &solver {
            None => {
                self.eval_backward();
                Ok(())
            }
            Some(s) => self.eval_registry(&**s, index),
        };
        let r = r.and_then(|_| self.eval_questions(solver.as_deref(), index));
        self.solver = solver;
        r
    }

    fn eval_questions(
        &mut self,
        solver: Option<&dyn Solver>,
        index: u64,
    ) -> Result<(), SweepError> {
        let sw = self.sw;
        for (k, q) in sw.questions.iter().enumerate() {
            // The event's probability in each game: the first equilibrium's, then (registry
            // solvers) every other equilibrium's.
            let mut p: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
            for (j, t) in [&q.treatment, &q.control].into_iter().enumerate() {
                let qg = &mut self.qgames[k][j];
                if let Err(e) = t.instantiate_into(&self.theta, &mut qg.game, &mut self.stack) {
                    let d = t.diagnose(&e, &self.theta);
                    return Err(self.point_error(
                        index,
                        format!("question `{}`: {}", q.def.name.v, d.message),
                    ));
                }
                if self.exact {
                    fill_exact(t, &self.theta, &mut qg.game);
                }
                p[j] = match solver {
                    None => vec![qg.event_prob_backward(sw.tol)],
                    Some(s) => match qg.event_probs_registry(s, &self.opts) {
                        Ok(x) => x,
                        Err(e) => {
                            return Err(self
                                .point_error(index, format!("question `{}`: {e}", q.def.name.v)))
                        }
                    },
                };
            }
            let first = |v: &[f64]| v.first().copied().unwrap_or(f64::NAN);
            let answer = if p.iter().any(|v| v.is_empty()) {
                Effect::Unknown
            } else {
                Effect::compare(first(&p[0]), first(&p[1]), sw.tol)
            };
            self.answers[k] = answer;
            let tied = self.qgames[k].iter().any(|g| !g.ws.ties.is_empty());
            let set = match solver {
                // Registry solvers: over every pair of the two games' equilibria.
                Some(_) => set::effects(&p[0], &p[1], sw.tol),
                // Backward induction without a tie: one equilibrium in each game.
                None if !tied => set::EffectSet::of(answer),
                // At a tie: the exact equilibrium sets, as the report and regions decide them.
                None => {
                    if self.evaluators[k].is_none() {
                        let ev = Evaluator::new(q).map_err(|e| {
                            self.point_error(index, format!("question `{}`: {e}", q.def.name.v))
                        })?;
                        self.evaluators[k] = Some(ev);
                    }
                    let ev = self.evaluators[k]
                        .as_mut()
                        .expect("the evaluator was just made");
                    if let Err(e) = ev.effect_at(&self.theta) {
                        return Err(
                            self.point_error(index, format!("question `{}`: {e}", q.def.name.v))
                        );
                    }
                    ev.effects()
                }
            };
            self.effect_sets[k] = set;
            self.modalities[k] = (answer != Effect::Unknown && !p.iter().any(|v| v.is_empty()))
                .then(|| match (self.set_row(), set.len()) {
                    // A set row answers with every effect that occurs: it holds in every pair
                    // when there is one, in some when there are several.
                    (true, 1) => Modality::Every,
                    (true, _) => Modality::Some,
                    (false, _) => set.modality(answer),
                });
        }
        Ok(())
    }

    fn eval_backward(&mut self) {
        let sw = self.sw;
        let tree = &*sw.template.tree; // the same tree as `self.game.tree`
        let g = &self.game;
        let np = g.n_players();
        backward::solve_into(g, sw.tol, &mut self.ws);
        // Reach probabilities of the chosen pure profile (with chance).
        let reach = &mut self.reach;
        reach[0] = 1.0;
        for (i, node) in tree.nodes.iter().enumerate() {
            let r = reach[i];
            let first = node.first_child as usize;
            for c in node.children() {
                reach[c] = match node.kind {
                    NodeKind::Chance => r * g.chance[c],
                    _ if c - first == self.ws.choice[i] as usize => r,
                    _ => 0.0,
                };
            }
        }
        self.payoffs.fill(0.0);
        self.events.fill(0.0);
        let mut reached = 0;
        for (l, leaf) in tree.leaves.iter().enumerate() {
            let r = reach[leaf.node.ix()];
            if r != 0.0 {
                reached = l;
                for (p, o) in self.payoffs.iter_mut().enumerate() {
                    *o += r * g.payoffs[l * np + p];
                }
                for e in tree.leaf_events(LeafId::from(l)) {
                    self.events[e.ix()] += r;
                }
            }
        }
        self.regret = self.best_response_regret();
        // The row shows the tie rule's selection; at a tie it counts every pure subgame-perfect
        // equilibrium the ties allow (capped), so a point with several is never silent.
        self.n_eq = if self.ws.ties.is_empty() {
            1
        } else {
            backward::enumerate(&self.game, sw.tol, crate::regions::SET_CAP)
                .0
                .len()
        };
        self.n_ties = self.ws.ties.len();
        if self.no_chance {
            let (o, p) = match &self.by_leaf[reached] {
                Some(x) => x.clone(),
                None => {
                    let x = self.words_of(&backward::profile_of(tree, &self.ws));
                    self.by_leaf[reached] = Some(x.clone());
                    x
                }
            };
            self.outcome = o;
            self.path = p;
        } else {
            let x = self.words_of(&backward::profile_of(tree, &self.ws));
            (self.outcome, self.path) = x;
        }
    }

    /// The largest regret of the chosen pure profile: for each player, the value of a best
    /// response against the others' choices (computed afresh) minus the expected payoff.
    fn best_response_regret(&mut self) -> f64 {
        let g = &self.game;
        let tree = &*g.tree;
        let np = g.n_players();
        let mut worst: f64 = 0.0;
        for p in 0..np {
            for i in (0..tree.nodes.len()).rev() {
                let node = tree.nodes[i];
                self.br[i] = match node.kind {
                    NodeKind::Terminal { leaf } => g.payoffs[leaf.ix() * np + p],
                    NodeKind::Chance => node.children().map(|c| g.chance[c] * self.br[c]).sum(),
                    NodeKind::Decision { player, .. } if player.ix() == p => node
                        .children()
                        .map(|c| self.br[c])
                        .fold(f64::NEG_INFINITY, f64::max),
                    NodeKind::Decision { .. } => {
                        self.br[node.first_child as usize + self.ws.choice[i] as usize]
                    }
                };
            }
            worst = worst.max(self.br[0] - self.payoffs[p]);
        }
        worst
    }

    fn words_of(&self, profile: &[f64]) -> (Arc<str>, Arc<str>) {
        let label = words::outcome_label(&self.game, profile);
        let path = words::path_in_words(&self.game, profile).replace('\n', "; ");
        (Arc::from(label), Arc::from(path))
    }

    fn eval_registry(&mut self, s: &dyn Solver, index: u64) -> Result<(), SweepError> {
        let game = GameRef::Tree(&self.game);
        let mut sol = s
            .solve(game, &self.opts)
            .map_err(|e| self.point_error(index, format!("solver `{}`: {e}", s.name())))?;
        solve::certify(game, &mut sol)
            .map_err(|e| self.point_error(index, format!("certificate: {e}")))?;
        // The count is the solver's whole set, also when the row shows one selected member.
        self.n_eq = sol.equilibria.len();
        self.n_ties = sol.ties.len();
        if self.sw.selection.single() {
            sol.equilibria.truncate(1);
        }
        let eqs = &sol.equilibria;
        if eqs.is_empty() {
            self.payoffs.fill(f64::NAN);
            self.events.fill(f64::NAN);
            self.regret = f64::NAN;
            self.outcome = Arc::from("none");
            self.path = Arc::from("no equilibrium found");
            self.regime = Arc::from("no equilibrium found");
            return Ok(());
        }
        let mut words = Vec::with_capacity(eqs.len());
        for eq in eqs {
            let Profile::Behavior(p) = &eq.profile else {
                return Err(self.point_error(index, "solver returned a mixed profile".into()));
            };
            words.push(self.words_of(p));
        }
        self.outcome = Arc::from(rowset::distinct_joined(words.iter().map(|w| &*w.0)));
        self.path = Arc::from(rowset::distinct_joined(words.iter().map(|w| &*w.1)));
        self.regime = Arc::from(rowset::regime_set(&self.game, eqs));
        let tol = self.sw.tol;
        let scale = self.game.payoff_scale();
        rowset::agreed(eqs, |e| &e.payoffs, tol * scale, &mut self.payoffs);
        rowset::agreed(eqs, |e| &e.events, tol, &mut self.events);
        self.regret = eqs.iter().map(|e| e.max_regret()).fold(0.0, f64::max);
        Ok(())
    }
}

/// Gives `game` the exact numbers of the point `theta` (each value read as its shortest
/// decimal) where the model's formulas are rational; otherwise the float game stands.
fn fill_exact(t: &crate::model::GameTemplate, theta: &[f64], game: &mut Game) {
    let q: Option<Vec<crate::exact::Rational>> = theta
        .iter()
        .map(|&x| crate::regime::rational::of_f64(x))
        .collect();
    match q {
        // The float game was built from the same point; a formula without an exact value
        // leaves `game.exact` empty, and the solver works in floats.
        Some(q) => {
            let _ = t.fill_exact(game, &q);
        }
        None => game.exact = None,
    }
}

impl QGame {
    /// Probability of the compared event under backward induction.
    fn event_prob_backward(&mut self, tol: f64) -> f64 {
        backward::solve_into(&self.game, tol, &mut self.ws);
        let Some(e) = self.event else { return 0.0 };
        let g = &self.game;
        let tree = &*g.tree;
        self.reach[0] = 1.0;
        for (i, node) in tree.nodes.iter().enumerate() {
            let r = self.reach[i];
            let first = node.first_child as usize;
            for c in node.children() {
                self.reach[c] = match node.kind {
                    NodeKind::Chance => r * g.chance[c],
                    _ if c - first == self.ws.choice[i] as usize => r,
                    _ => 0.0,
                };
            }
        }
        tree.tagged_leaves(EventId::from(e))
            .map(|n| self.reach[n.ix()])
            .sum()
    }

    /// Probability of the compared event in each of the solver's equilibria (the first is the
    /// one the sweep reports; empty if none).
    fn event_probs_registry(
        &self,
        s: &dyn Solver,
        opts: &SolveOptions,
    ) -> Result<Vec<f64>, crate::solve::SolveError> {
        let game = GameRef::Tree(&self.game);
        let mut sol = s.solve(game, opts)?;
        solve::certify(game, &mut sol)?;
        Ok(sol
            .equilibria
            .iter()
            .map(|eq| self.event.map_or(0.0, |e| eq.events[e]))
            .collect())
    }
}
