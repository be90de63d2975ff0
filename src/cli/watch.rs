//! `deter watch FILE`: an editing loop. The modeler edits the model in their own editor; on
//! every save this re-checks it, prints the diagnostics, solves it at the chosen point and says
//! what changed in the equilibrium since the last save; with `--report DIR` it also rewrites the
//! report, whose page reloads itself when the report changes.
//!
//! The file is polled (every `--interval` ms): its content is compared with the last one seen,
//! so a save that replaces the file (most editors write a new file and rename it) and a save
//! within the same second are both noticed, and a save that changes nothing is ignored. The
//! loop runs until interrupted (Ctrl-C).

use super::args::WatchArgs;
use super::input::{parse_sets, print_diags};
use anyhow::Result;
use deter::diag::has_errors;
use deter::model::{self, GameTemplate};
use deter::output::{self, words, SolveReport};
use deter::solve::{self, GameRef, Profile, SolveOptions};
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

/// What one save produced, to compare with the next.
#[derive(Clone, Debug, Default, PartialEq)]
struct Summary {
    /// Per equilibrium: the path of play and the expected payoffs, in words.
    equilibria: Vec<(String, String)>,
}

/// The summary of a solved game.
fn summary(game: &deter::game::Game, sol: &solve::Solution) -> Summary {
    let players = &game.tree.player_names;
    Summary {
        equilibria: sol
            .equilibria
            .iter()
            .map(|eq| {
                let path = match &eq.profile {
                    Profile::Behavior(p) => words::path_in_words(game, p).replace('\n', "; "),
                    _ => String::new(),
                };
                let pays: Vec<String> = players
                    .iter()
                    .zip(&eq.payoffs)
                    .map(|(n, v)| format!("{n} {}", words::num(*v)))
                    .collect();
                (path, pays.join(", "))
            })
            .collect(),
    }
}

/// What changed between two summaries, in words.
fn changes(old: &Summary, new: &Summary) -> Vec<String> {
    if old == new {
        return vec!["no change in the equilibrium".into()];
    }
    let mut out = Vec::new();
    if old.equilibria.len() != new.equilibria.len() {
        out.push(format!(
            "{} equilibria, was {}",
            new.equilibria.len(),
            old.equilibria.len()
        ));
    }
    for (k, (o, n)) in old.equilibria.iter().zip(&new.equilibria).enumerate() {
        let which = if new.equilibria.len() > 1 {
            format!("equilibrium {}: ", k + 1)
        } else {
            String::new()
        };
        if o.0 != n.0 {
            out.push(format!("{which}path of play: {} (was: {})", n.0, o.0));
        }
        if o.1 != n.1 {
            out.push(format!("{which}expected payoffs: {} (was: {})", n.1, o.1));
        }
    }
    out
}

/// Solves `t` at the point, prints the equilibria as `deter solve` does; returns the summary.
fn solve_and_print(
    t: &GameTemplate,
    file: &str,
    args: &WatchArgs,
    sets: &[(String, f64)],
) -> Result<Summary> {
    let scenario = args.point.scenario.as_deref();
    let theta = t.point(scenario, sets).map_err(anyhow::Error::msg)?;
    let game = t
        .instantiate(&theta)
        .map_err(|e| anyhow::anyhow!("{}", t.diagnose(&e, &theta).message))?;
    let g = GameRef::Tree(&game);
    let solver = solve::pick(g).map_err(|e| anyhow::anyhow!("no solver fits this game: {e}"))?;
    let tol = 1e-9;
    let opts = SolveOptions {
        tol,
        ..SolveOptions::default()
    };
    let mut sol = solver.solve(g, &opts)?;
    solve::certify_with(g, &mut sol, tol)?;
    let text = output::text(&SolveReport {
        file,
        title: &t.title,
        game: g,
        params: Some((&t.params.names, &theta)),
        scenario,
        auto_picked: true,
        solver_about: solver.describe(),
        solution: &sol,
        tol,
    });
    outln!("{}", text.trim_end())?;
    Ok(summary(&game, &sol))
}

/// One save: check, print, solve, compare, maybe write the report. Returns the new summary
/// (`None` when the model has errors or cannot be solved).
fn on_save(
    path: &Path,
    text: String,
    args: &WatchArgs,
    sets: &[(String, f64)],
    last: &Option<Summary>,
    save: u64,
) -> Result<Option<Summary>> {
    let file = path.display().to_string();
    outln!("── {file}: save {save} ──")?;
    let loaded = model::load(file.clone(), text);
    print_diags(&loaded, false);
    let Some(t) = loaded
        .template
        .as_ref()
        .filter(|_| !has_errors(&loaded.diags))
    else {
        let n = loaded.diags.iter().filter(|d| d.is_error()).count();
        outln!(
            "{file}: {n} error{} — fix and save again",
            if n == 1 { "" } else { "s" }
        )?;
        return Ok(None);
    };
    let now = match solve_and_print(t, &file, args, sets) {
        Ok(s) => s,
        Err(e) => {
            outln!("cannot solve: {e:#}")?;
            return Ok(None);
        }
    };
    match last {
        Some(old) => {
            for c in changes(old, &now) {
                outln!("Changed since the last save: {c}")?;
            }
        }
        None => outln!("(first solution: later saves say what changed)")?,
    }
    if let Some(dir) = &args.report {
        write_report(t, &file, dir, sets, save)?;
    }
    Ok(Some(now))
}

/// Rewrites the report, with a page that reloads itself when `stamp.js` changes.
fn write_report(
    t: &GameTemplate,
    file: &str,
    dir: &Path,
    sets: &[(String, f64)],
    save: u64,
) -> Result<()> {
    let opts = deter::report::Options {
        sets: sets.to_vec(),
        ..deter::report::Options::default()
    };
    match deter::report::build(t, file, &opts) {
        Ok(r) => {
            deter::report::render::write_live(&r, dir, &format!("{save}"))?;
            outln!("report: {}", dir.join("report.html").display())?;
        }
        Err(e) => outln!("report not written: {e}")?,
    }
    Ok(())
}

/// Runs `deter watch`.
pub fn run(args: &WatchArgs) -> Result<ExitCode> {
    let sets = parse_sets(&args.point.all_sets()?)?;
    let path = &args.file;
    let mut seen: Option<Vec<u8>> = None;
    let mut last: Option<Summary> = None;
    let mut save = 0u64;
    let mut missing_said = false;
    outln!(
        "watching {} (every {} ms; Ctrl-C to stop)",
        path.display(),
        args.interval
    )?;
    super::out::flush_stdout()?;
    loop {
        match std::fs::read(path) {
            Ok(bytes) => {
                missing_said = false;
                if seen.as_ref() != Some(&bytes) {
                    save += 1;
                    let text = String::from_utf8_lossy(&bytes).into_owned();
                    seen = Some(bytes);
                    if let Some(s) = on_save(path, text, args, &sets, &last, save)? {
                        last = Some(s);
                    }
                    super::out::flush_stdout()?;
                }
            }
            Err(e) if !missing_said => {
                // An editor may remove the file for a moment while saving: say so once, wait.
                outln!("cannot read {}: {e} (waiting for it)", path.display())?;
                super::out::flush_stdout()?;
                missing_said = true;
            }
            Err(_) => {}
        }
        std::thread::sleep(Duration::from_millis(args.interval.max(20)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_said() {
        let a = Summary {
            equilibria: vec![("P hedges".into(), "P 1".into())],
        };
        let b = Summary {
            equilibria: vec![("P aligns".into(), "P 1".into())],
        };
        assert_eq!(changes(&a, &a), vec!["no change in the equilibrium"]);
        assert_eq!(
            changes(&a, &b),
            vec!["path of play: P aligns (was: P hedges)"]
        );
    }
}
