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
    /// Parameter values where the equilibrium changes along one parameter (perfect information).
    Thresholds(ThresholdsArgs),
    /// Each decision node's move and the inequality under which it is chosen.
    Regions(RegionsArgs),
}

/// Flags of `deter thresholds` (see docs/thresholds.md).
#[derive(Args, Debug)]
pub struct ThresholdsArgs {
    /// Model file.
    pub file: PathBuf,
    /// The parameter and interval: `--vary name=lo:hi` (default interval: its declared range).
    #[arg(long, value_name = "NAME=LO:HI")]
    pub vary: String,
    /// Parameter point for the other parameters.
    #[command(flatten)]
    pub point: PointArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: SolveFormat,
    /// Number of grid cells scanned before locating each change.
    #[arg(long, default_value_t = 2000)]
    pub grid: usize,
    /// Also print each node's condition at the base point.
    #[arg(long)]
    pub regions: bool,
    /// Also answer the model's questions along the parameter.
    #[arg(long)]
    pub questions: bool,
}

/// Flags of `deter regions` (see docs/thresholds.md).
#[derive(Args, Debug)]
pub struct RegionsArgs {
    /// Model file.
    pub file: PathBuf,
    /// Parameter point.
    #[command(flatten)]
    pub point: PointArgs,
    /// Isolate these parameters in the inequalities where possible (repeatable, in order).
    #[arg(long, value_name = "NAME")]
    pub prefer: Vec<String>,
    /// Map two parameters (give twice: `--map T=0:1 --map c_D=0:3`): print the region of
    /// each outcome and of each question's answers.
    #[arg(long, value_name = "NAME=LO:HI")]
    pub map: Vec<String>,
    /// Cells per side of the sampled map.
    #[arg(long, default_value_t = 40)]
    pub cells: usize,
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
