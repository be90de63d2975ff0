//! Comparative statics by brute force: solve a model at every point of a parameter grid.
//!
//! A [`Sweeper`] holds a template, a base parameter point and a [`Grid`]. It solves any index
//! range of the grid in parallel (rayon), each worker thread reusing one [`crate::game::Game`],
//! one evaluation stack and one backward-induction workspace, so the hot path allocates nothing
//! per point beyond the output text. Outcome labels and paths in words are interned per reached
//! outcome. Games that are not of perfect information are solved by a registry solver, one
//! solve per point — by default `pbe` for a game of private types, so that a row describes
//! *every* perfect Bayesian equilibrium at the point ([`set`] says how a set fills a row), or
//! one equilibrium named by a [`Selection`] (`--select`).
//!
//! Results come out as [`Row`]s ([`Sweeper::rows`]) or stream as CSV / JSON Lines in index order
//! to any writer ([`Sweeper::stream`]); [`file`] adds whole-or-nothing output files, `--resume`
//! and the shard merge, [`read`] reads output files back, and [`aggregate`] draws a sweep in
//! bounded memory ([`plot`] with exact regions where it can). Column names are in [`format`]; the CLI and file layout are documented in
//! `docs/sweep.md`.

pub mod aggregate;
pub mod file;
pub mod format;
pub mod grid;
pub mod plot;
pub mod read;
pub mod select;
pub mod set;
mod worker;

pub use crate::questions::{Effect, PreparedQuestion};
pub use format::Format;
pub use grid::{Grid, Shard, Spacing, VarySpec};
pub use select::Selection;

use crate::model::GameTemplate;
use crate::solve::{self, GameRef};
use rayon::prelude::*;
use std::io::Write;
use std::ops::Range;
use std::sync::Arc;
use worker::Worker;

/// Why a sweep could not be set up, run, resumed or merged.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SweepError {
    /// A `--vary` axis is malformed or out of range.
    #[error("`--vary {spec}`: {message}")]
    Vary {
        /// The axis as written.
        spec: String,
        /// What is wrong.
        message: String,
    },
    /// A `--shard` is malformed.
    #[error("`--shard {spec}`: {message}")]
    Shard {
        /// The shard as written.
        spec: String,
        /// What is wrong.
        message: String,
    },
    /// The grid as a whole is invalid.
    #[error("{0}")]
    Grid(String),
    /// The solver cannot be used.
    #[error("{0}")]
    Solver(String),
    /// The model fails at a grid point.
    #[error("at point {index} ({at}): {message}")]
    Point {
        /// The point's index.
        index: u64,
        /// Its parameter values in words.
        at: String,
        /// What went wrong.
        message: String,
    },
    /// A previous partial output cannot be resumed.
    #[error("cannot resume `{path}`: {message}")]
    Resume {
        /// The partial file.
        path: String,
        /// Why.
        message: String,
    },
    /// Shard outputs cannot be merged.
    #[error("cannot merge: {0}")]
    Merge(String),
    /// Another process is writing the same output.
    #[error("{0}")]
    Locked(String),
    /// A sweep file read back does not have the expected layout.
    #[error("{0}")]
    Read(String),
    /// Reading or writing failed.
    #[error("{context}")]
    Io {
        /// What was being done.
        context: String,
        /// The error.
        source: std::io::Error,
    },
}

impl SweepError {
    pub(crate) fn io(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> SweepError {
        let context = context.into();
        move |source| SweepError::Io { context, source }
    }
}

/// One grid point's result.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The point's index in the grid.
    pub index: u64,
    /// The varied parameters' values, in axis order.
    pub params: Vec<f64>,
    /// Short outcome label: the reached outcome's name (`name (p) + …` when play is random);
    /// for a set of equilibria, the distinct labels joined by ` | `.
    pub outcome: Arc<str>,
    /// The path of play in words (random plays joined by `; `).
    pub path: Arc<str>,
    /// The regime set (registry solvers only, see [`set`]; empty otherwise).
    pub regime: Arc<str>,
    /// Each player's expected payoff (NaN if no equilibrium was found, or if the equilibria
    /// of a set disagree).
    pub payoffs: Vec<f64>,
    /// Each event tag's probability, by event id (NaN if no equilibrium was found, or if the
    /// equilibria of a set disagree).
    pub events: Vec<f64>,
    /// Number of equilibria the solver reported.
    pub n_equilibria: usize,
    /// Number of nodes where a mover was indifferent.
    pub n_ties: usize,
    /// Largest regret over players (the certificate; ≈ 0).
    pub max_regret: f64,
    /// The answer to each of [`Sweeper::questions`] (the first pair of equilibria's).
    pub answers: Vec<Effect>,
    /// The effects over every pair of equilibria of each question's two games.
    pub effect_sets: Vec<crate::questions::EffectSet>,
    /// Whether each answer holds in every equilibrium at the point, in only some, or in none
    /// (`None` where there is no answer).
    pub modalities: Vec<Option<crate::questions::Modality>>,
}

/// How points are solved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Method {
    /// Allocation-free backward induction (perfect-information games).
    Backward,
    /// A registry solver by name, one full solve and certificate per point.
    Registry(String),
}

impl Method {
    /// The solver's name.
    pub fn name(&self) -> &str {
        match self {
            Method::Backward => "backward",
            Method::Registry(n) => n,
        }
    }
}

/// An axis's values as text, each printed once (shortest exact decimal) rather than once per
/// row, packed into one string: a few bytes per value, so a 10⁷-value axis stays small.
pub(crate) struct AxisText {
    text: String,
    ends: Vec<u32>,
}

impl AxisText {
    fn new(values: &[f64]) -> AxisText {
        use std::fmt::Write;
        let mut text = String::new();
        let mut ends = Vec::with_capacity(values.len());
        for v in values {
            let _ = write!(text, "{v}");
            // At most 10⁷ values of at most 24 bytes each: the offsets fit in u32.
            ends.push(text.len() as u32);
        }
        AxisText { text, ends }
    }

    /// The text of value `k`.
    pub(crate) fn get(&self, k: usize) -> &str {
        let start = if k == 0 { 0 } else { self.ends[k - 1] as usize };
        &self.text[start..self.ends[k] as usize]
    }
}

/// Points per unit of parallel work.
const CHUNK: u64 = 4096;

/// A sweep over a grid: what to solve and how.
#[derive(Clone, Debug)]
pub struct Sweeper<'t> {
    /// The model.
    pub template: &'t GameTemplate,
    /// Parameter values of the parameters not varied.
    pub base: Vec<f64>,
    /// The grid.
    pub grid: Grid,
    /// The solving method.
    pub method: Method,
    /// Relative tolerance for ties.
    pub tol: f64,
    /// The model's questions answered at every point (all it declares, by default).
    pub questions: Vec<PreparedQuestion>,
    /// Which equilibria a row describes ([`Sweeper::select`]).
    pub selection: Selection,
    /// True if the solver was named by the caller (not the default).
    pub solver_named: bool,
}

/// A callback receiving each batch's rows.
pub type RowHook<'a> = &'a mut dyn FnMut(&[Row]);

/// A callback receiving each point of the output, in index order.
pub type PointHook<'a> = &'a mut dyn FnMut(&aggregate::PointData<'_>);

/// Callbacks while streaming.
#[derive(Default)]
pub struct Hooks<'a> {
    /// Called with the number of points finished so far (in this call), after each batch.
    pub progress: Option<&'a (dyn Fn(u64) + Sync)>,
    /// Called with each batch's rows, in index order (rows are only built when this or
    /// `points` is set).
    pub rows: Option<RowHook<'a>>,
    /// Called with every point of the output in index order — with a file output, also the
    /// points kept from an interrupted run (read back from the file).
    pub points: Option<PointHook<'a>>,
}

/// The output of one chunk.
pub(crate) struct ChunkOut {
    bytes: Vec<u8>,
    rows: Vec<Row>,
}

impl<'t> Sweeper<'t> {
    /// A sweep of `template` over `grid`, other parameters at `base` (from
    /// [`GameTemplate::point`]). `solver` is a registry name or `None` for the first that fits;
    /// backward induction uses the fast allocation-free path.
    pub fn new(
        template: &'t GameTemplate,
        base: Vec<f64>,
        grid: Grid,
        solver: Option<&str>,
    ) -> Result<Sweeper<'t>, SweepError> {
        if base.len() != template.params.len() {
            return Err(SweepError::Grid(format!(
                "the base point has {} values, the model {} parameters",
                base.len(),
                template.params.len()
            )));
        }
        let pi = solve::backward::check_perfect_information(&template.tree);
        let method = match solver {
            None if pi.is_ok() => Method::Backward,
            Some("backward") => {
                pi.map_err(|e| SweepError::Solver(format!("solver `backward`: {e}")))?;
                Method::Backward
            }
            name => {
                // The default is decided on the game at the base point (`pbe` for a small game
                // of private types), as `deter solve` decides it.
                let game = template
                    .instantiate(&base)
                    .unwrap_or_else(|_| template.empty_game());
                let s = match name {
                    Some(n) => {
                        let s = solve::by_name(n).ok_or_else(|| {
                            let names: Vec<&str> =
                                solve::registry().iter().map(|s| s.name()).collect();
                            let hint = crate::diag::did_you_mean(n, names.iter().copied())
                                .unwrap_or_else(|| format!("the solvers are {}", names.join(", ")));
                            SweepError::Solver(format!("unknown solver `{n}`; {hint}"))
                        })?;
                        s.supports(GameRef::Tree(&game)).map_err(|e| {
                            SweepError::Solver(format!("solver `{n}` cannot solve this game: {e}"))
                        })?;
                        s
                    }
                    None => solve::pick(GameRef::Tree(&game)).map_err(|e| {
                        SweepError::Solver(format!("no solver fits this game: {e}"))
                    })?,
                };
                Method::Registry(s.name().to_string())
            }
        };
        Ok(Sweeper {
            template,
            base,
            grid,
            method,
            tol: 1e-9,
            questions: crate::questions::prepare(template)
                .map_err(|e| SweepError::Grid(e.to_string()))?,
            selection: Selection::All,
            solver_named: solver.is_some(),
        })
    }

    /// True if rows describe a set of equilibria from a registry solver (with a `regime`
    /// column), false for the backward-induction fast path.
    pub fn sets(&self) -> bool {
        matches!(self.method, Method::Registry(_))
    }

    /// Selects which equilibria each row describes. `first-listed` keeps the solver;
    /// `intuitive` and `d1` need `pbe` (the default for games of private types), `logit-limit`
    /// the `logit` solver (taken when no solver was named). A selection that cannot apply is an
    /// error saying why.
    pub fn select(&mut self, sel: Selection) -> Result<(), SweepError> {
        let game = self
            .template
            .instantiate(&self.base)
            .unwrap_or_else(|_| self.template.empty_game());
        let want = match sel {
            Selection::All | Selection::FirstListed => None,
            Selection::Intuitive | Selection::D1 => Some("pbe"),
            Selection::LogitLimit => Some("logit"),
        };
        if let Some(w) = want {
            if w == "pbe" && game.tree.is_perfect_information() {
                return Err(SweepError::Solver(format!(
                    "--select {}: refinements of off-path beliefs apply to games with information \
                     sets; this game has perfect information (use --select first-listed)",
                    sel.name()
                )));
            }
            if self.method.name() != w {
                if self.solver_named {
                    return Err(SweepError::Solver(format!(
                        "--select {} uses the `{w}` solver, and --solver {} was given; drop one",
                        sel.name(),
                        self.method.name()
                    )));
                }
                let s = solve::by_name(w).ok_or_else(|| {
                    SweepError::Solver(format!("the `{w}` solver is not available"))
                })?;
                s.supports(GameRef::Tree(&game)).map_err(|e| {
                    SweepError::Solver(format!(
                        "--select {} needs the `{w}` solver, which cannot solve this game: {e}",
                        sel.name()
                    ))
                })?;
                self.method = Method::Registry(w.to_string());
            }
        }
        self.selection = sel;
        Ok(())
    }

    /// What the rows describe, in one line: the solver and the selection.
    pub fn describe_rows(&self) -> String {
        let solver = self.method.name();
        let how = match self.selection {
            _ if self.solver_named => "named",
            Selection::Intuitive | Selection::D1 | Selection::LogitLimit => "taken by --select",
            _ => "default",
        };
        format!(
            "solver {solver} ({how}); each row describes {}",
            self.selection.describe(solver)
        )
    }

    /// A row as the plot sees it (the first question's answer as the file writes it).
    pub fn point_data<'r>(&'r self, r: &'r Row) -> aggregate::PointData<'r> {
        aggregate::PointData {
            index: r.index,
            outcome: &r.outcome,
            path: &r.path,
            regime: self.sets().then_some(&*r.regime),
            payoffs: &r.payoffs,
            events: &r.events,
            answer: (self.questions.first())
                .zip(r.answers.first())
                .map(|(q, &a)| format::answer_word(q, a)),
        }
    }

    /// The output columns, in order (see [`format::columns`]).
    pub fn columns(&self) -> Vec<String> {
        format::columns(self)
    }

    /// Solves the points `range` (clamped to the grid) in parallel; rows in index order.
    pub fn rows(&self, range: Range<u64>) -> Result<Vec<Row>, SweepError> {
        let mut all = Vec::new();
        let mut keep = |rows: &[Row]| all.extend_from_slice(rows);
        self.stream(
            range,
            None,
            &mut std::io::sink(),
            Hooks {
                progress: None,
                rows: Some(&mut keep),
                points: None,
            },
        )?;
        Ok(all)
    }

    /// Solves the points `range` (clamped to the grid) in parallel and writes them in index
    /// order to `out` as `format` (no header; see [`format::header`]). With `format = None`
    /// nothing is formatted (use the row hook). Memory is bounded by one batch of chunks,
    /// independent of the range's length. Returns the number of points written.
    pub fn stream(
        &self,
        range: Range<u64>,
        format: Option<Format>,
        out: &mut dyn Write,
        mut hooks: Hooks<'_>,
    ) -> Result<u64, SweepError> {
        let range = range.start.min(self.grid.len())..range.end.min(self.grid.len());
        let keep = hooks.rows.is_some() || hooks.points.is_some();
        let n_chunks = (range.end - range.start).div_ceil(CHUNK);
        let axis_text: Vec<AxisText> = (self.grid.axes.iter())
            .map(|a| AxisText::new(&a.values))
            .collect();
        let batch = (rayon::current_num_threads() as u64 * 4).max(1);
        let mut c0 = 0;
        while c0 < n_chunks {
            let c1 = (c0 + batch).min(n_chunks);
            let outs: Vec<Result<ChunkOut, SweepError>> = (c0..c1)
                .into_par_iter()
                .map_init(
                    || Worker::new(self, &axis_text),
                    |w, c| {
                        let a = range.start + c * CHUNK;
                        let b = (a + CHUNK).min(range.end);
                        w.chunk(a..b, format, keep)
                    },
                )
                .collect();
            for o in outs {
                let o = o?;
                out.write_all(&o.bytes)
                    .map_err(SweepError::io("writing sweep output"))?;
                if let Some(f) = hooks.rows.as_mut() {
                    f(&o.rows);
                }
                if let Some(f) = hooks.points.as_mut() {
                    for r in &o.rows {
                        f(&self.point_data(r));
                    }
                }
            }
            // Whole batches reach the writer: a file writer checkpoints here.
            out.flush()
                .map_err(SweepError::io("writing sweep output"))?;
            let done = (c1 * CHUNK).min(range.end - range.start);
            if let Some(p) = hooks.progress {
                p(done);
            }
            c0 = c1;
        }
        Ok(range.end - range.start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hedging() -> GameTemplate {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/models/hedging.toml");
        let text = std::fs::read_to_string(path).unwrap();
        crate::model::load("hedging.toml", text).template.unwrap()
    }

    #[test]
    fn rows_agree_with_the_registry_solver() {
        let t = hedging();
        let grid = Grid::new(vec![
            VarySpec::parse("T=0:1:7", &t.params).unwrap(),
            VarySpec::parse("c_D=0:3:9", &t.params).unwrap(),
        ])
        .unwrap();
        let fast = Sweeper::new(&t, t.defaults(), grid.clone(), None).unwrap();
        assert_eq!(fast.method, Method::Backward);
        let mut slow = fast.clone();
        slow.method = Method::Registry("backward".into());
        let a = fast.rows(0..grid.len()).unwrap();
        let b = slow.rows(0..grid.len()).unwrap();
        assert_eq!(a.len(), 63);
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x.outcome, y.outcome);
            assert_eq!(x.path, y.path);
            assert_eq!(x.n_ties, y.n_ties);
            for (p, q) in x.payoffs.iter().zip(&y.payoffs) {
                assert!((p - q).abs() <= 1e-12);
            }
            assert_eq!(x.events, y.events);
            assert!(x.max_regret <= 1e-9 && y.max_regret <= 1e-9);
        }
    }

    #[test]
    fn unknown_solver_is_refused_with_a_hint() {
        let t = hedging();
        let grid = Grid::new(vec![]).unwrap();
        let e = Sweeper::new(&t, t.defaults(), grid, Some("backwards")).unwrap_err();
        assert!(e.to_string().contains("did you mean `backward`"), "{e}");
    }
}
