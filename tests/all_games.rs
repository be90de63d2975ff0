//! The default `deter solve` on Gambit's example games (`shared/games`), as a new user would
//! run it: every game gets a certified answer, a clear refusal up front, or (games whose
//! equilibria are all mixed, with three or more players) the plain statement that no pure
//! equilibrium exists — within a per-game time budget. Every answer marked certified is
//! checked again here, independently of the tool's own certificate, in exact arithmetic: the
//! exact profile of the JSON output must have zero regret; a tolerance certificate's float
//! profile must have (exactly computed) regrets within the stated per-player tolerances.
//!
//! All 202 games take about ten seconds (release build), so the suite runs every one. The
//! test fails loudly when the games are missing under CI (`CI` or `DETER_E2E` set) and prints
//! SKIPPED otherwise.

use deter::exact::{self, Rational};
use deter::format::{efg, nfg};
use deter::game::reduce::reduced_strategic_form;
use deter::game::strategic::regrets_in;
use deter::game::{profile, Game, StrategicGame};
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The games folder, or `None` after printing SKIPPED where the test harness cannot hide it;
/// under CI a missing folder is a failure.
pub fn games_dir(test: &str) -> Option<PathBuf> {
    if let Ok(d) = std::env::var("DETER_GAMES_DIR") {
        return Some(PathBuf::from(d));
    }
    let mut dir = Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    while let Some(d) = dir {
        let cand = d.join("shared").join("games");
        if cand.is_dir() {
            return Some(cand);
        }
        dir = d.parent().map(PathBuf::from);
    }
    let ci = ["CI", "DETER_E2E"]
        .iter()
        .any(|k| std::env::var_os(k).is_some_and(|v| !v.is_empty()));
    assert!(
        !ci,
        "{test}: shared/games not found; under CI it must be present (set DETER_GAMES_DIR to \
         the folder of Gambit's example games)"
    );
    // Written to the process's stderr directly, so the harness does not capture it.
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED {test}: shared/games not found (set DETER_GAMES_DIR to run it)"
    );
    None
}

/// Every `.efg` and `.nfg` file of the folder, sorted.
pub fn game_files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("games folder is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "efg" || x == "nfg"))
        .collect();
    out.sort();
    out
}

/// What one `deter solve --format json` run did.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    seconds: f64,
}

/// Runs the default solve on `path`, killed after `budget`.
fn run(path: &Path, budget: Duration) -> Run {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_deter"))
        .args(["solve", "--format", "json"])
        .arg(path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("deter runs");
    // Drain both pipes on threads so a large output cannot block the child.
    let mut out = child.stdout.take().expect("piped stdout");
    let mut err = child.stderr.take().expect("piped stderr");
    let t_out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut out, &mut s);
        s
    });
    let t_err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut err, &mut s);
        s
    });
    let code = loop {
        match child.try_wait().expect("wait works") {
            Some(status) => break status.code(),
            None if start.elapsed() > budget => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            None => std::thread::sleep(Duration::from_millis(20)),
        }
    };
    Run {
        code,
        stdout: t_out.join().unwrap_or_default(),
        stderr: t_err.join().unwrap_or_default(),
        seconds: start.elapsed().as_secs_f64(),
    }
}

fn rationals(v: &Value) -> Option<Vec<Rational>> {
    v.as_array()?
        .iter()
        .map(|x| exact::parse_fraction(x.as_str()?))
        .collect()
}

fn floats(v: &Value) -> Option<Vec<f64>> {
    v.as_array()?.iter().map(Value::as_f64).collect()
}

fn nested<T>(v: &Value, f: impl Fn(&Value) -> Option<Vec<T>>) -> Option<Vec<Vec<T>>> {
    v.as_array()?.iter().map(f).collect()
}

/// The game of a file, with its exact numbers.
enum Loaded {
    Tree(Game),
    Strategic(StrategicGame),
}

/// Regrets of a profile in exact arithmetic: behaviour (flat) for trees, mixed (nested) for
/// strategic games and for trees over their reduced strategic form, or a correlated
/// distribution (flat, strategic games).
fn exact_regrets(
    game: &Loaded,
    prof: &Value,
    exact_strings: bool,
) -> Result<Vec<Rational>, String> {
    let flat = |v: &Value| -> Option<Vec<Rational>> {
        if exact_strings {
            rationals(v)
        } else {
            floats(v)?.iter().map(|&x| exact::from_f64(x)).collect()
        }
    };
    let is_nested = prof
        .as_array()
        .and_then(|a| a.first())
        .is_some_and(Value::is_array);
    let bad = || "unreadable profile".to_string();
    match game {
        Loaded::Tree(g) => {
            let ex = g.exact.as_ref().ok_or("the tree has no exact numbers")?;
            if is_nested {
                let m = nested(prof, flat).ok_or_else(bad)?;
                let red = reduced_strategic_form(g).map_err(|e| e.to_string())?;
                let table = red.game.exact.as_ref().ok_or("no exact reduced form")?;
                check_distributions(m.iter().map(Vec::as_slice))?;
                Ok(regrets_in(&red.game.shape(), table, &m))
            } else {
                let b = flat(prof).ok_or_else(bad)?;
                check_distributions(g.tree.infosets.iter().map(|s| {
                    &b[s.first_action as usize..(s.first_action + s.n_actions) as usize]
                }))?;
                profile::regrets_in(&g.tree, &ex.chance().to_vec(), &ex.payoffs().to_vec(), &b)
                    .map_err(|e| e.to_string())
            }
        }
        Loaded::Strategic(g) => {
            let table = g.exact.as_ref().ok_or("the game has no exact numbers")?;
            if is_nested {
                let m = nested(prof, flat).ok_or_else(bad)?;
                check_distributions(m.iter().map(Vec::as_slice))?;
                Ok(regrets_in(&g.shape(), table, &m))
            } else {
                let d = flat(prof).ok_or_else(bad)?;
                check_distributions(std::iter::once(d.as_slice()))?;
                Ok(deter::solve::correlated::regrets_in(g, table, &d))
            }
        }
    }
}

/// Each distribution is non-negative and sums to 1 (exactly, for exact profiles; float
/// profiles converted exactly may miss 1 by rounding, which the tolerance absorbs).
fn check_distributions<'a>(groups: impl Iterator<Item = &'a [Rational]>) -> Result<(), String> {
    for g in groups {
        if g.iter().any(|x| *x < Rational::default()) {
            return Err("a negative probability".into());
        }
        let s = g.iter().fold(Rational::default(), |a, x| a + x);
        if (exact::to_f64(&s) - 1.0).abs() > 1e-9 {
            return Err(format!("probabilities sum to {}", exact::to_f64(&s)));
        }
    }
    Ok(())
}

/// Checks one game's run; `Err` explains what is wrong.
fn check(path: &Path, r: &Run, budget: Duration) -> Result<(), String> {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let Some(code) = r.code else {
        return Err(format!("{name}: no answer within {budget:?}"));
    };
    match code {
        0 => {}
        // Three or more players and no pure equilibrium: until a mixed-strategy method for
        // n players joins the registry, the default says so plainly.
        1 if r.stdout.contains("No pure-strategy equilibrium exists") => return Ok(()),
        2 if r.stderr.contains("no solver fits this game") && r.seconds < 5.0 => return Ok(()),
        c => {
            return Err(format!(
                "{name}: exit {c} after {:.1} s: {}",
                r.seconds,
                r.stderr.trim()
            ))
        }
    }
    let json: Value = serde_json::from_str(&r.stdout).map_err(|e| format!("{name}: {e}"))?;
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let game = if path.extension().is_some_and(|x| x == "efg") {
        Loaded::Tree(efg::read(&text).map_err(|e| e.to_string())?)
    } else {
        Loaded::Strategic(nfg::read(&text).map_err(|e| e.to_string())?)
    };
    let players: Vec<String> = json["players"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| p.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    let eqs = json["equilibria"].as_array().ok_or("no equilibria list")?;
    if eqs.is_empty() {
        return Err(format!("{name}: exit 0 without an equilibrium"));
    }
    for (k, e) in eqs.iter().enumerate() {
        if e["certified"] != true {
            return Err(format!(
                "{name}: equilibrium {} printed but not certified",
                k + 1
            ));
        }
        let what = format!("{name} equilibrium {}", k + 1);
        match e["certificate"]["method"].as_str() {
            Some("exact") => {
                let r = exact_regrets(&game, &e["profile_exact"], true)
                    .map_err(|m| format!("{what}: {m}"))?;
                if r.iter().any(|x| *x != Rational::default()) {
                    return Err(format!(
                        "{what}: certified exactly, but its exact regrets are {r:?}"
                    ));
                }
            }
            Some("tolerance") => {
                let r = exact_regrets(&game, &e["profile"], false)
                    .map_err(|m| format!("{what}: {m}"))?;
                for (p, x) in r.iter().enumerate() {
                    let tol = e["certificate"]["tolerance"][&players[p]]
                        .as_f64()
                        .ok_or("no tolerance")?;
                    if exact::to_f64(x) > tol {
                        return Err(format!(
                            "{what}: player {} has exact regret {} over its tolerance {tol}",
                            players[p],
                            exact::to_f64(x)
                        ));
                    }
                }
            }
            m => return Err(format!("{what}: certificate method {m:?}")),
        }
    }
    Ok(())
}

fn run_all(test: &str, budget: Duration) {
    let Some(dir) = games_dir(test) else { return };
    let files = game_files(&dir);
    assert!(!files.is_empty(), "{test}: no games in {}", dir.display());
    let mut failures = Vec::new();
    let n = files.len();
    for path in &files {
        let r = run(path, budget);
        if let Err(e) = check(path, &r, budget) {
            failures.push(e);
        }
    }
    assert!(
        failures.is_empty(),
        "{test}: {} of {n} games failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn default_solve_on_every_game() {
    run_all("default_solve_on_every_game", Duration::from_secs(60));
}
