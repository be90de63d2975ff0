//! Command-line flags as clap parses them (raw, before validation).

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Equilibria of game-theoretic models of alliances and deterrence.
#[derive(Parser, Debug)]
#[command(name = "deter", version, about, long_about = None)]
pub struct Cli {
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Parse and validate a model file; report every problem with its line and column.
    Check(CheckArgs),
    /// Compute equilibria of a model (.toml) or a Gambit game (.efg, .nfg).
    Solve(SolveArgs),
    /// Draw a model's game tree (SVG, Graphviz DOT).
    Convert(ConvertArgs),
    /// Write a report (Markdown and self-contained HTML): model, tree, scenarios, comparative
    /// statics and the answers to the model's questions.
    Report(ReportArgs),
}

/// Flags of `deter check`.
#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Model file(s).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// One line per problem (`file:line:col: error: message`) instead of snippets.
    #[arg(long)]
    pub short: bool,
}

/// Output formats of `deter solve`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SolveFormat {
    /// Readable text.
    Text,
    /// JSON (schema `deter.solution/1`, see docs/json.md).
    Json,
}

/// Tie handling.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ties {
    /// Play the first best move and report the tie.
    Report,
    /// Enumerate every pure subgame-perfect equilibrium the ties allow (up to --max-equilibria).
    All,
}

/// Parameter point selection shared by solve, sweep, thresholds and report.
#[derive(Args, Debug, Clone, Default)]
pub struct PointArgs {
    /// Set a parameter: `--set name=value` (repeatable; applied after --scenario).
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub sets: Vec<String>,
    /// Start from a named scenario's parameter values.
    #[arg(long)]
    pub scenario: Option<String>,
}

/// Flags of `deter solve`.
#[derive(Args, Debug)]
pub struct SolveArgs {
    /// The game: a model (.toml) or a Gambit file (.efg, .nfg).
    #[arg(required_unless_present = "list_solvers")]
    pub file: Option<PathBuf>,
    /// Parameter point.
    #[command(flatten)]
    pub point: PointArgs,
    /// Solver to use (default: the first that fits; see --list-solvers).
    #[arg(long)]
    pub solver: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: SolveFormat,
    /// What to do when a mover is indifferent.
    #[arg(long, value_enum, default_value = "report")]
    pub ties: Ties,
    /// Cap on the number of equilibria listed by enumerating methods.
    #[arg(long, default_value_t = 1000)]
    pub max_equilibria: usize,
    /// Relative tolerance for ties and for the regret certificate.
    #[arg(long, default_value_t = 1e-9)]
    pub tol: f64,
    /// Objective for the correlated-equilibrium solver: `welfare` or a player's name.
    #[arg(long)]
    pub objective: Option<String>,
    /// List the solvers and the games each handles.
    #[arg(long)]
    pub list_solvers: bool,
}

/// Output formats of `deter convert`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConvertFormat {
    /// The tree drawn as SVG.
    Svg,
    /// The tree in Graphviz DOT (`dot -Tpdf`).
    Dot,
}

/// Flags of `deter convert`.
#[derive(Args, Debug)]
pub struct ConvertArgs {
    /// The model file.
    pub file: PathBuf,
    /// Output format.
    #[arg(long, value_enum)]
    pub to: ConvertFormat,
    /// Parameter point (payoffs and chance probabilities are drawn at this point).
    #[command(flatten)]
    pub point: PointArgs,
    /// Highlight the equilibrium path (subgame perfect by backward induction when the game has
    /// perfect information; otherwise the solver `deter solve` would pick).
    #[arg(long)]
    pub path: bool,
    /// Write to this file instead of standard output (written atomically).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

/// Flags of `deter report`.
#[derive(Args, Debug)]
pub struct ReportArgs {
    /// The model file.
    pub file: PathBuf,
    /// Directory to write report.md, report.html and the SVG figures into (created if missing).
    #[arg(long, default_value = "report")]
    pub out: PathBuf,
    /// Scenarios to include (repeatable; default: every scenario in the file).
    #[arg(long = "scenario", value_name = "NAME")]
    pub scenarios: Vec<String>,
    /// Change the baseline point: `--set name=value` (repeatable).
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub sets: Vec<String>,
    /// Grid points per axis for the question maps (each question solves 2 × N² games).
    #[arg(long, default_value_t = 121)]
    pub grid: usize,
}
