//! Locating Gambit's example games (`shared/games`) and their reference equilibria.
//!
//! The comparison tests need the games, which live outside the repository. When they are
//! missing the tests must not pass silently: under CI (`CI` set, as CI runners do, or
//! `DETER_REQUIRE_GAMES=1`) they fail, saying how to get the games; elsewhere each prints a
//! `SKIPPED` line to the process's real standard error, which the test harness does not
//! capture, so it shows in `cargo test`'s output.

use std::io::Write;
use std::path::PathBuf;

/// True when missing games must fail the tests.
fn required() -> bool {
    let set = |k: &str| std::env::var(k).is_ok_and(|v| !v.is_empty() && v != "0" && v != "false");
    set("CI") || set("DETER_REQUIRE_GAMES")
}

/// Fails (under CI) or prints a visible SKIPPED line naming the running test.
pub fn missing(what: &str) {
    let how = "the games are Gambit's example games with reference.json, kept in the project's \
               shared folder beside the repository (../shared/games); copy or link them there, \
               or set DETER_GAMES_DIR=/path/to/games";
    assert!(
        !required(),
        "{what}: {how} (required because CI or DETER_REQUIRE_GAMES is set)"
    );
    let test = std::thread::current()
        .name()
        .unwrap_or("a Gambit comparison test")
        .to_string();
    // Written to the real stderr, past the harness's capture of `eprintln!`.
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {what}; {how}");
}

/// The games folder: `$DETER_GAMES_DIR`, or the first `shared/games` found walking up from the
/// crate root. `None` (after [`missing`]) if it cannot be found.
pub fn games_dir() -> Option<PathBuf> {
    if let Ok(d) = std::env::var("DETER_GAMES_DIR") {
        let d = PathBuf::from(d);
        if d.is_dir() {
            return Some(d);
        }
        missing(&format!(
            "DETER_GAMES_DIR={} is not a directory",
            d.display()
        ));
        return None;
    }
    let mut dir = Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    while let Some(d) = dir {
        let cand = d.join("shared").join("games");
        if cand.is_dir() {
            return Some(cand);
        }
        dir = d.parent().map(PathBuf::from);
    }
    missing("shared/games not found");
    None
}

/// Every file in the games folder with this extension, sorted, with its contents.
pub fn games_with_ext(ext: &str) -> Vec<(String, String)> {
    let Some(dir) = games_dir() else {
        return Vec::new();
    };
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("games dir is readable")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&p).expect("game file is readable");
            (name, text)
        })
        .collect();
    out.sort();
    out
}

/// The parsed `reference.json`, if present (see [`missing`] otherwise).
pub fn reference() -> Option<serde_json::Value> {
    let dir = games_dir()?;
    let path = dir.join("reference.json");
    let parsed = std::fs::read_to_string(&path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok());
    if parsed.is_none() {
        missing(&format!("{} is missing or not JSON", path.display()));
    }
    parsed
}

/// The reference entry of a solver for a game, unless Gambit skipped it, failed or timed out.
pub fn entry<'a>(
    r: &'a serde_json::Value,
    game: &str,
    solver: &str,
) -> Option<&'a serde_json::Value> {
    let e = r.get(game)?.get(solver)?;
    let unusable = ["skipped", "error", "timeout_s"]
        .iter()
        .any(|k| e.get(k).is_some());
    (!unusable).then_some(e)
}
