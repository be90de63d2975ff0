//! `deter report`: a model's analysis as Markdown and self-contained HTML.
//!
//! [`build()`] computes a [`Report`] — the model (players, parameters, scenarios), the tree with
//! the equilibrium path, the equilibrium at the baseline and in each scenario, comparative
//! statics for every parameter with a range, and the answer to each of the model's questions
//! (a map, the regions in sentences with exact conditions, and the answer in each scenario).
//! [`doc::document`] turns it into a list of blocks (headings, paragraphs, tables, figures)
//! that [`render`] writes as Markdown (figures as separate SVG files) or as one HTML file
//! with everything inline. Output is deterministic: no timestamps, numbers via
//! [`crate::output::words::num`].
//!
//! The computations live in [`analysis`] (equilibria at a point, comparative statics and
//! thresholds), [`question`] (maps and regions of a question), [`cond`] (the inequality behind
//! each equilibrium choice) and [`poly`] (their exact polynomial form); they solve
//! perfect-information games by backward induction. These modules are the report's whole
//! interface to the analysis, so another implementation of thresholds or question regions can
//! replace them without touching the document or the renderers. A game with information sets
//! gets [`regimes`] instead: every perfect Bayesian equilibrium with its beliefs (or those a
//! `--select` names), the regime map, the regime changes and conditions, and the questions
//! answered in every equilibrium.

pub mod analysis;
pub mod build;
pub mod doc;
pub mod question;
pub mod regimes;
pub mod render;
pub mod slices;

pub use build::{build, Options};

use analysis::Threshold;
use question::{Effect, MapRegion};

/// Why a report cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The baseline point is invalid (unknown scenario, bad `--set`).
    #[error("{0}")]
    Point(String),
    /// The model cannot be evaluated at the baseline.
    #[error("the model cannot be evaluated at the baseline point: {0}")]
    Baseline(String),
    /// Writing a file failed.
    #[error("cannot write `{path}`")]
    Io {
        /// The file.
        path: String,
        /// The failure.
        source: std::io::Error,
    },
}

/// One row of the parameters table.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamRow {
    /// Name.
    pub name: String,
    /// Baseline value.
    pub value: f64,
    /// Range, if declared.
    pub range: Option<(f64, f64)>,
    /// Meaning.
    pub about: String,
}

/// The equilibrium at one point (the baseline or a scenario).
#[derive(Clone, Debug, PartialEq)]
pub struct PointReport {
    /// `baseline` or the scenario's name.
    pub name: String,
    /// The scenario's description.
    pub about: String,
    /// Parameters that differ from the baseline.
    pub changes: Vec<(String, f64)>,
    /// The path of play in words (empty when not solved).
    pub path: String,
    /// The outcome reached.
    pub outcome: String,
    /// Expected payoffs, by player.
    pub payoffs: Vec<f64>,
    /// Probability of each event.
    pub events: Vec<(String, f64)>,
    /// The equilibrium's moves off the path of play, each as a sentence that names the node by
    /// the moves leading to it ("after Protege aligns, Challenger challenges").
    pub off_path: Vec<String>,
    /// Ties, in words.
    pub ties: Vec<String>,
}

/// Comparative statics of one parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct StaticsReport {
    /// The parameter.
    pub param: String,
    /// Its range.
    pub range: (f64, f64),
    /// Its baseline value.
    pub base: f64,
    /// Where the equilibrium changes.
    pub thresholds: Vec<Threshold>,
    /// Intervals between thresholds with the path of play in each.
    pub segments: Vec<(f64, f64, String)>,
    /// The plot (only when something changes).
    pub svg: Option<String>,
    /// Why the comparative statics could not be computed, if they could not.
    pub error: Option<String>,
}

/// The answer at one scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioAnswer {
    /// Scenario name (or `baseline`).
    pub name: String,
    /// The effect there.
    pub effect: Effect,
    /// The event's probability with the treatment and with the control.
    pub p: (f64, f64),
    /// The deciding conditions, with values.
    pub why: Vec<String>,
    /// The answer over every subgame-perfect equilibrium, in words (see
    /// [`crate::questions::PreparedQuestion::verdict`]); empty if it cannot be evaluated.
    pub verdict: String,
    /// True when the equilibria disagree on the answer (a tie decides it).
    pub tied: bool,
    /// The event's distinct probabilities over the equilibria, with the treatment and with the
    /// control.
    pub p_sets: (Vec<f64>, Vec<f64>),
}

/// One question answered.
#[derive(Clone, Debug, PartialEq)]
pub struct QuestionReport {
    /// The key in `[questions]`.
    pub name: String,
    /// The question.
    pub ask: String,
    /// The treatment as a noun phrase.
    pub subject: String,
    /// The event compared.
    pub event: String,
    /// Word for a lower probability.
    pub lower: String,
    /// Word for a higher probability.
    pub higher: String,
    /// The desirable answer, if the question names one (it decides the map's colours).
    pub good: Option<Effect>,
    /// The treatment and control in words ("Protege hedges").
    pub treatment: String,
    /// The control in words.
    pub control: String,
    /// The mapped parameters.
    pub axes: Option<(String, String)>,
    /// The map at the baseline's parameters (with the scenarios that differ from it in the
    /// mapped parameters alone).
    pub map_svg: Option<String>,
    /// The maps of the other scenarios, each at its own parameters: `(points, svg)`.
    pub scenario_maps: Vec<(String, String)>,
    /// The answer drawn under each point's dot on its map: `(point, answer)`.
    pub under_dots: Vec<(String, Effect)>,
    /// Regions where the treatment lowers the event's probability.
    pub lower_regions: Vec<MapRegion>,
    /// Regions where it raises it.
    pub higher_regions: Vec<MapRegion>,
    /// Baseline values of the other parameters named in the exact conditions.
    pub given: Vec<(String, f64)>,
    /// Share of the map where a tie decides the answer (the equilibria disagree).
    pub tied_share: f64,
    /// The answer at the baseline and in each scenario.
    pub answers: Vec<ScenarioAnswer>,
    /// Why something is missing.
    pub note: Option<String>,
}

/// Everything a report says.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// The model file as named.
    pub file: String,
    /// Title.
    pub title: String,
    /// Description.
    pub about: String,
    /// The model's source (a citation), if the file gives one.
    pub source: String,
    /// Players in payoff order (display names).
    pub players: Vec<String>,
    /// The parameters.
    pub params: Vec<ParamRow>,
    /// The baseline then each scenario.
    pub points: Vec<PointReport>,
    /// The tree at the baseline with the equilibrium path.
    pub tree_svg: Option<String>,
    /// Why the tree or equilibria are missing, if they are.
    pub notes: Vec<String>,
    /// Comparative statics.
    pub statics: Vec<StaticsReport>,
    /// The questions.
    pub questions: Vec<QuestionReport>,
    /// Games with information sets: equilibria with beliefs, regimes, the regime map.
    pub regimes: Option<regimes::RegimesSection>,
    /// The selection named by `--select`, in words (`None`: every equilibrium).
    pub selection: Option<String>,
}
