//! Command-line flags as clap parses them (raw, before validation).

use clap::{Args, FromArgMatches, Parser, Subcommand, ValueEnum};
use std::ffi::OsString;
use std::path::PathBuf;

/// Equilibria of game-theoretic models of alliances and deterrence.
#[derive(Parser, Debug)]
#[command(name = "deter", version, about, long_about = None)]
pub struct Cli {
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Parses the process's command line, as [`Parser::parse`] does but faster.
    ///
    /// Building clap's parser for all twelve subcommands costs more than a small solve. The
    /// commonest line, `deter solve FILE` with `--format` or `--solver`, is read without clap
    /// ([`super::quick_args`]); otherwise clap's parser is first built for the subcommand
    /// named by the first argument alone. Whenever that does not give a plain success (help,
    /// `--version`, an unknown subcommand, any error), the whole parser runs on the same
    /// arguments, so help texts and error messages are exactly those of the complete command.
    pub fn parse_fast() -> Cli {
        let args: Vec<OsString> = std::env::args_os().collect();
        super::quick_args::parse(&args)
            .or_else(|| Self::try_parse_fast(&args))
            .unwrap_or_else(|| Cli::parse_from(args))
    }

    /// The quick parse of [`Cli::parse_fast`]; `None` when the whole parser must decide.
    fn try_parse_fast(args: &[OsString]) -> Option<Cli> {
        let name = args.get(1)?.to_str()?;
        let sub = subcommand(name)?;
        let root = clap::Command::new("deter")
            .subcommand(sub)
            .subcommand_required(true);
        let mut matches = root.try_get_matches_from(args).ok()?;
        let command = Command::from_arg_matches_mut(&mut matches).ok()?;
        Some(Cli { command })
    }
}

/// clap's parser of one subcommand, built as the full command builds it; `None` for a name that
/// is not a subcommand.
fn subcommand(name: &str) -> Option<clap::Command> {
    use clap::Command as C;
    Some(match name {
        "check" => CheckArgs::augment_args(C::new("check")),
        "solve" => SolveArgs::augment_args(C::new("solve")),
        "convert" => ConvertArgs::augment_args(C::new("convert")),
        "report" => ReportArgs::augment_args(C::new("report")),
        "sweep" => SweepArgs::augment_args(C::new("sweep")),
        "merge" => MergeArgs::augment_args(C::new("merge")),
        "plot" => PlotArgs::augment_args(C::new("plot")),
        "thresholds" => ThresholdsArgs::augment_args(C::new("thresholds")),
        "regions" => RegionsArgs::augment_args(C::new("regions")),
        "watch" => WatchArgs::augment_args(C::new("watch")),
        "fit" => FitArgs::augment_args(C::new("fit")),
        "qre" => QreArgs::augment_args(C::new("qre")),
        _ => return None,
    })
}

/// Subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Parse and validate a model file; report every problem with its line and column.
    Check(CheckArgs),
    /// Compute equilibria of a model (.toml) or a Gambit game (.efg, .nfg).
    Solve(SolveArgs),
    /// Draw a model's game tree (SVG, TikZ, PDF, Graphviz DOT) or write it in another format.
    Convert(ConvertArgs),
    /// Write a report (Markdown and self-contained HTML): model, tree, scenarios, comparative
    /// statics and the answers to the model's questions.
    Report(ReportArgs),
    /// Solve a model at every point of a parameter grid (CSV or JSON Lines; see docs/sweep.md).
    Sweep(SweepArgs),
    /// Join the outputs of `deter sweep --shard` runs, checking every point appears once.
    Merge(MergeArgs),
    /// Draw a finished (for example merged) sweep file as `sweep --plot` would.
    Plot(PlotArgs),
    /// Parameter values where the equilibrium changes along one parameter (perfect information).
    Thresholds(ThresholdsArgs),
    /// Each decision node's move and the inequality under which it is chosen.
    Regions(RegionsArgs),
    /// Re-check and re-solve a model on every save: diagnostics, the equilibrium and what
    /// changed since the last save (optionally keeping a report fresh).
    Watch(WatchArgs),
    /// Estimate a model's parameters from observed cases by maximum likelihood (strategic
    /// estimation; see docs/fit.md).
    Fit(FitArgs),
    /// Follow the logit quantal response equilibrium path from λ = 0 to its limit; write it as
    /// CSV (and SVG).
    Qre(QreArgs),
}

/// Flags of `deter watch` (see docs/cli.md).
#[derive(Args, Debug)]
pub struct WatchArgs {
    /// The model file to watch.
    pub file: PathBuf,
    /// Parameter point to solve at.
    #[command(flatten)]
    pub point: PointArgs,
    /// Also rewrite the report into this directory on every save; its `report.html` reloads
    /// itself in the browser when the report changes.
    #[arg(long, value_name = "DIR")]
    pub report: Option<PathBuf>,
    /// How often to look at the file, in milliseconds.
    #[arg(long, default_value_t = 250, value_name = "MS")]
    pub interval: u64,
}

/// Output formats of `deter fit`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FitFormat {
    /// The coefficient table and fit statistics.
    Text,
    /// JSON (schema `deter.fit/1`, see docs/fit.md).
    Json,
    /// The coefficient table as CSV.
    Csv,
}

/// Flags of `deter fit` (see docs/fit.md).
#[derive(Args, Debug)]
pub struct FitArgs {
    /// The model (.toml), with a [fit] section unless --spec gives one.
    pub model: PathBuf,
    /// The observed cases: a CSV file with a header line.
    pub data: PathBuf,
    /// Read the [fit] section from this file instead of the model file.
    #[arg(long, value_name = "FILE")]
    pub spec: Option<PathBuf>,
    /// Values of the parameters that are not estimated.
    #[command(flatten)]
    pub point: PointArgs,
    /// Output format on standard output.
    #[arg(long, value_enum, default_value = "text")]
    pub format: FitFormat,
    /// Also write the result to this file: JSON (for `--params`), or CSV if it ends in .csv.
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Write each row's fitted outcome probabilities to this CSV file.
    #[arg(long, value_name = "FILE.csv")]
    pub predict: Option<PathBuf>,
    /// Cluster standard errors by this data column.
    #[arg(long, value_name = "COLUMN")]
    pub cluster: Option<String>,
    /// Bootstrap standard errors from N refits on resampled rows (clusters with --cluster).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub bootstrap: usize,
    /// Seed of the bootstrap's resampling.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Start value of a coefficient: `--start b0=1` (repeatable; others start at 0).
    #[arg(long = "start", value_name = "COEF=VALUE")]
    pub start: Vec<String>,
    /// Largest number of BFGS iterations.
    #[arg(long, default_value_t = 1000)]
    pub max_iter: u64,
    /// Fitted outcome probabilities along a covariate, other covariates at their means, with
    /// 95% delta-method bands: `--effects balance=-2:2` or `balance=-2:2:N` (CSV after the
    /// table; in the document with --format json; refused with --format csv).
    #[arg(long, value_name = "COLUMN=LO:HI[:N]")]
    pub effects: Option<String>,
    /// Draw the --effects curves as SVG to this file.
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,
    /// Never show a progress bar.
    #[arg(long)]
    pub quiet: bool,
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
    /// Games with information sets: keep only the perfect Bayesian equilibria that pass a
    /// refinement when computing regimes.
    #[arg(long, value_enum)]
    pub refine: Option<Refine>,
    /// Describe the equilibria a selection names instead of the whole set: `first-listed`,
    /// `intuitive`, `d1` or `logit-limit` (as in `deter sweep`).
    #[arg(long, value_name = "NAME")]
    pub select: Option<String>,
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
    /// Games with information sets: keep only the perfect Bayesian equilibria that pass a
    /// refinement when computing regimes.
    #[arg(long, value_enum)]
    pub refine: Option<Refine>,
    /// Describe the equilibria a selection names instead of the whole set: `first-listed`,
    /// `intuitive`, `d1` or `logit-limit` (as in `deter sweep`).
    #[arg(long, value_name = "NAME")]
    pub select: Option<String>,
    /// Games with information sets: also write the regime map drawn by `--map` as SVG.
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,
}

/// Flags of `deter check`.
#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Model file(s), or Gambit games (.efg, .nfg) to read and check.
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

/// Refinements of off-path beliefs (`deter solve --refine`).
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refine {
    /// The Intuitive Criterion (Cho and Kreps 1987).
    Intuitive,
    /// Criterion D1 (Banks and Sobel 1987; the choice of Zagare and Kilgour).
    D1,
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
    /// Parameter values estimated by `deter fit --out FILE.json` (applied after --scenario,
    /// before --set).
    #[arg(long, value_name = "FIT.json")]
    pub params: Option<PathBuf>,
}

impl PointArgs {
    /// The `--set` pairs with those of `--params` first.
    pub fn all_sets(&self) -> anyhow::Result<Vec<String>> {
        let mut v = match &self.params {
            Some(p) => super::input::params_sets(p)?,
            None => Vec::new(),
        };
        v.extend(self.sets.iter().cloned());
        Ok(v)
    }
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
    /// Stop long enumerations after this many seconds and print what was found (the output
    /// says the list is incomplete).
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds)]
    pub time_limit: Option<std::time::Duration>,
    /// Relative tolerance for ties and for the regret certificate.
    #[arg(long, default_value_t = 1e-9)]
    pub tol: f64,
    /// Objective for the correlated-equilibrium solver: `welfare` or a player's name.
    #[arg(long)]
    pub objective: Option<String>,
    /// Keep only the perfect Bayesian equilibria that pass a refinement of off-path beliefs
    /// (the `pbe` solver; both are reported for every equilibrium anyway).
    #[arg(long, value_enum)]
    pub refine: Option<Refine>,
    /// List the solvers and the games each handles.
    #[arg(long)]
    pub list_solvers: bool,
    /// Accept strategic forms beyond 10^7 payoff cells (profiles × players).
    #[arg(long)]
    pub allow_large: bool,
    /// Print the logit quantal response equilibrium at this precision λ (on the game's
    /// payoffs) instead of a Nash equilibrium; certified by its fixed-point residual.
    #[arg(long, value_name = "LAMBDA", conflicts_with_all = ["solver", "ties", "objective"])]
    pub lambda: Option<f64>,
}

/// Flags of `deter qre` (see docs/cli.md).
#[derive(Args, Debug)]
pub struct QreArgs {
    /// The game: a model (.toml) or a Gambit file (.efg, .nfg).
    pub file: PathBuf,
    /// Parameter point.
    #[command(flatten)]
    pub point: PointArgs,
    /// Write the path here as CSV: λ, then every move's probability (written whole or not at
    /// all).
    #[arg(long, value_name = "FILE.csv")]
    pub out: PathBuf,
    /// Also draw the path as SVG.
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,
    /// Stop at this λ instead of following the path to its limit.
    #[arg(long, value_name = "LAMBDA")]
    pub max_lambda: Option<f64>,
    /// Never show a progress bar.
    #[arg(long)]
    pub quiet: bool,
}

/// Output formats of `deter convert`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConvertFormat {
    /// The tree drawn as SVG.
    Svg,
    /// The tree in Graphviz DOT (`dot -Tpdf`).
    Dot,
    /// The tree as a standalone LaTeX document with a TikZ picture (compiles with pdflatex).
    Tikz,
    /// The tree drawn as a PDF (the SVG drawing, converted in pure Rust).
    Pdf,
    /// Gambit extensive form (a strategic game becomes a tree of simultaneous moves).
    Efg,
    /// Gambit strategic form (a tree becomes its reduced strategic form).
    Nfg,
    /// A deter model file with the numbers at the chosen point.
    Toml,
}

/// Flags of `deter convert`.
#[derive(Args, Debug)]
pub struct ConvertArgs {
    /// The game: a model (.toml) or a Gambit file (.efg, .nfg).
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
    /// Drawings: show the payoff formulas at the leaves, typeset (models only).
    #[arg(long)]
    pub formulas: bool,
    /// Drawings: show node and outcome identifiers.
    #[arg(long)]
    pub ids: bool,
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
    /// Baseline at the parameter values estimated by `deter fit --out FILE.json` (before --set).
    #[arg(long, value_name = "FIT.json")]
    pub params: Option<PathBuf>,
    /// Grid points per axis for the question maps (each question solves 2 × N² games).
    #[arg(long, default_value_t = 121)]
    pub grid: usize,
    /// Also write every figure as PDF (tree.pdf, statics-PARAM.pdf, question-NAME.pdf).
    #[arg(long)]
    pub pdf: bool,
    /// Show the payoff formulas at the tree's leaves, typeset, instead of the numbers.
    #[arg(long)]
    pub formulas: bool,
    /// Games with information sets: describe the equilibria a selection names instead of the
    /// whole set: `first-listed`, `intuitive`, `d1` or `logit-limit` (as in `deter sweep`).
    #[arg(long, value_name = "NAME")]
    pub select: Option<String>,
}

/// Output formats of `deter sweep`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SweepFormat {
    /// Comma-separated values with a header line.
    Csv,
    /// JSON Lines: one object per point.
    Jsonl,
}

/// Flags of `deter sweep`.
#[derive(Args, Debug)]
pub struct SweepArgs {
    /// The model (.toml).
    pub file: PathBuf,
    /// An axis: `NAME=LO:HI:N`, `NAME=LO:HI:N:log` or `NAME=V1,V2,...` (repeatable; the last
    /// --vary varies fastest).
    #[arg(long, value_name = "AXIS", required = true)]
    pub vary: Vec<String>,
    /// Values of the parameters not varied.
    #[command(flatten)]
    pub point: PointArgs,
    /// Solver (default: backward induction when the game has perfect information, `pbe` for a
    /// small game of private types, else the solver `deter solve` picks).
    #[arg(long)]
    pub solver: Option<String>,
    /// Describe one selected equilibrium per point instead of the set: `first-listed`,
    /// `intuitive`, `d1` or `logit-limit` (docs/sweep.md).
    #[arg(long, value_name = "NAME")]
    pub select: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: SweepFormat,
    /// Write to this file (whole or not at all, with a PATH.sweep.json manifest) instead of
    /// stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Continue an interrupted run of the same sweep from PATH.partial (needs --out).
    #[arg(long, requires = "out")]
    pub resume: bool,
    /// Compute only part I of N of the grid (`--shard 3/16`; numbered from 1; needs --out).
    #[arg(long, value_name = "I/N", requires = "out")]
    pub shard: Option<String>,
    /// Also draw the sweep as SVG: a line chart for one parameter, a region map for two.
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,
    /// With `--params FIT.json` and `--plot`: 95% confidence bands of the event probabilities
    /// from N draws of the estimates (a parametric bootstrap; docs/fit.md).
    #[arg(long, value_name = "N")]
    pub bands: Option<usize>,
    /// Seed of the `--bands` draws.
    #[arg(long, default_value_t = 1, requires = "bands")]
    pub seed: u64,
    /// Skip the model's questions (no `question:*` columns; a third of the work per point).
    #[arg(long)]
    pub no_questions: bool,
    /// Never show a progress bar.
    #[arg(long)]
    pub quiet: bool,
}

/// Flags of `deter merge`.
#[derive(Args, Debug)]
pub struct MergeArgs {
    /// The merged output file.
    pub out: PathBuf,
    /// The shard outputs (each with its PATH.sweep.json manifest).
    #[arg(required = true)]
    pub shards: Vec<PathBuf>,
}

/// Flags of `deter plot`.
#[derive(Args, Debug)]
pub struct PlotArgs {
    /// A finished sweep output (with its PATH.sweep.json manifest), e.g. from `deter merge`.
    pub file: PathBuf,
    /// Write the SVG to this file (written whole or not at all) instead of standard output.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

/// A positive number of seconds.
fn parse_seconds(s: &str) -> Result<std::time::Duration, String> {
    let v: f64 = s
        .parse()
        .map_err(|_| format!("`{s}` is not a number of seconds"))?;
    if v.is_finite() && v > 0.0 && v < 1e9 {
        Ok(std::time::Duration::from_secs_f64(v))
    } else {
        Err(format!(
            "the time limit must be a positive number of seconds, not `{s}`"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn os(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    #[test]
    fn every_subcommand_has_a_quick_parser_with_the_same_arguments() {
        let full = Cli::command();
        let mut n = 0;
        for sub in full.get_subcommands() {
            let quick = subcommand(sub.get_name())
                .unwrap_or_else(|| panic!("no quick parser for `{}`", sub.get_name()));
            let ids = |c: &clap::Command| {
                c.get_arguments()
                    .map(|a| format!("{a:?}"))
                    .collect::<Vec<_>>()
            };
            assert_eq!(ids(&quick), ids(sub), "arguments of `{}`", sub.get_name());
            n += 1;
        }
        assert_eq!(n, 12);
        assert!(subcommand("help").is_none() && subcommand("solv").is_none());
    }

    #[test]
    fn quick_parse_equals_the_full_parse() {
        for args in [
            &[
                "deter", "solve", "g.nfg", "--format", "json", "--set", "a=1",
            ][..],
            &["deter", "check", "a.toml", "b.efg", "--short"],
            &[
                "deter", "sweep", "m.toml", "--vary", "T=0:1:3", "--out", "o.csv", "--resume",
            ],
            &["deter", "solve", "--list-solvers"],
            &["deter", "merge", "o.csv", "a.csv", "b.csv"],
        ] {
            let quick = Cli::try_parse_fast(&os(args)).expect("quick parse");
            let full = Cli::try_parse_from(os(args)).expect("full parse");
            assert_eq!(format!("{quick:?}"), format!("{full:?}"), "{args:?}");
        }
    }

    #[test]
    fn help_version_and_errors_are_left_to_the_full_parser() {
        for args in [
            &["deter"][..],
            &["deter", "--help"],
            &["deter", "--version"],
            &["deter", "solve", "--help"],
            &["deter", "solve"],
            &["deter", "solve", "g.nfg", "--time-limit", "-1"],
            &["deter", "solve", "g.nfg", "--bogus"],
            &["deter", "help", "solve"],
            &["deter", "nosuch"],
        ] {
            assert!(Cli::try_parse_fast(&os(args)).is_none(), "{args:?}");
        }
    }
}
