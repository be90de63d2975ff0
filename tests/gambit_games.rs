//! Locating Gambit's example games (`shared/games`) and their reference equilibria.

use std::path::PathBuf;

/// The games folder: `$DETER_GAMES_DIR`, or the first `shared/games` found walking up from the
/// crate root. `None` (with a message) if it cannot be found.
pub fn games_dir() -> Option<PathBuf> {
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
    eprintln!("shared/games not found (set DETER_GAMES_DIR); skipping");
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

/// The parsed `reference.json`, if present.
pub fn reference() -> Option<serde_json::Value> {
    let dir = games_dir()?;
    let text = std::fs::read_to_string(dir.join("reference.json")).ok()?;
    serde_json::from_str(&text).ok()
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
