//! `deter check`: validate model files and report every problem.

use super::args::CheckArgs;
use super::input::{self, print_diags, read_text, GameInput, Kind};
use anyhow::Result;
use deter::diag::Severity;
use deter::model;
use std::process::ExitCode;

/// Runs `deter check`. Exit status: 0 clean, 1 warnings only, 2 errors.
pub fn run(args: &CheckArgs) -> Result<ExitCode> {
    let mut worst: Option<Severity> = None;
    for (i, path) in args.files.iter().enumerate() {
        // The process exits after the last file: freeing a big game (millions of allocations
        // for a 10^6-node model) would only delay that.
        let last = i + 1 == args.files.len();
        if input::kind(path) != Kind::Model {
            worst = worst.max(check_gambit(path, last)?);
            continue;
        }
        let text = read_text(path)?;
        let loaded = model::load(path.display().to_string(), text);
        print_diags(&loaded, args.short);
        let errors = loaded.diags.iter().filter(|d| d.is_error()).count();
        let warnings = loaded.diags.len() - errors;
        if loaded.diags.is_empty() {
            let t = loaded.template.as_ref();
            outln!(
                "{}: ok ({} players, {} nodes, {} parameters, {} scenarios)",
                path.display(),
                t.map_or(0, |t| t.tree.n_players()),
                t.map_or(0, |t| t.tree.nodes.len()),
                t.map_or(0, |t| t.params.len()),
                t.map_or(0, |t| t.scenarios.len()),
            )?;
        } else {
            outln!(
                "{}: {errors} error{}, {warnings} warning{}",
                path.display(),
                if errors == 1 { "" } else { "s" },
                if warnings == 1 { "" } else { "s" }
            )?;
        }
        for d in &loaded.diags {
            worst = worst.max(Some(d.severity));
        }
        if last {
            std::mem::forget(loaded);
        }
    }
    Ok(match worst {
        None => ExitCode::SUCCESS,
        Some(Severity::Warning) => ExitCode::from(1),
        Some(Severity::Error) => ExitCode::from(2),
    })
}

/// Reads a Gambit `.efg` or `.nfg` file and says what it holds, or where it is wrong.
/// With `last`, the game is not freed (the process exits next).
fn check_gambit(path: &std::path::Path, last: bool) -> Result<Option<Severity>> {
    let game = input::load_game(path, None, &[]);
    let severity = describe_gambit(path, &game);
    if last {
        std::mem::forget(game);
    }
    severity
}

/// Says what a Gambit file holds, or where it is wrong.
fn describe_gambit(path: &std::path::Path, game: &Result<GameInput>) -> Result<Option<Severity>> {
    match game {
        Ok(GameInput::Efg(g)) => {
            let t = &g.tree;
            outln!(
                "{}: ok ({} players, {} nodes, {} information sets)",
                path.display(),
                t.n_players(),
                t.nodes.len(),
                t.infosets.len()
            )?;
            Ok(None)
        }
        Ok(GameInput::Nfg(g)) => {
            let shape: Vec<String> = g.shape().iter().map(ToString::to_string).collect();
            outln!(
                "{}: ok ({} players, {} strategies)",
                path.display(),
                g.n_players(),
                shape.join(" × ")
            )?;
            Ok(None)
        }
        Ok(GameInput::Model { .. }) => Ok(None),
        Err(e) => {
            errln!("error: {e:#}");
            outln!("{}: 1 error, 0 warnings", path.display())?;
            Ok(Some(Severity::Error))
        }
    }
}
