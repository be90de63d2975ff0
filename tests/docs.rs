//! The documentation runs: every command shown in a `console` block of README.md and the docs
//! (`$ deter …`) is run and its output compared with the block. `BLESS=1 cargo test --release
//! --test main docs::` rewrites the outputs of blocks that show them whole.
//!
//! Conventions in the Markdown, invisible to readers where they are comments:
//! - a line `…` in an output stands for any number of lines, and `…` inside a line for any
//!   text (`Solver: backward …`); blocks that use it are compared, never rewritten;
//! - `<!-- doctest: file NAME -->` before a ```toml block writes the block to `NAME` in the
//!   working directory; `<!-- doctest: replace NAME "OLD" "NEW" -->` edits that file;
//! - `<!-- doctest: skip -->` before a block leaves it out (commands that need what a reader
//!   has but a test does not).
//!
//! Commands run in a scratch directory holding a copy of `models/` and `tests/models/`, with
//! `../shared` pointing at the repository's `../shared`, so documented outputs (`--out out/`)
//! land there and never in the repository.

use crate::util::{deter, repo};
use std::path::Path;
use std::process::Command;

/// One block: the line where it starts, its commands with their documented outputs.
struct Block {
    line: usize,
    runs: Vec<(String, Vec<String>)>,
    /// Byte range of the block's body in the file (for rewriting).
    body: std::ops::Range<usize>,
}

enum Step {
    File(String, String),
    Replace(String, String, String),
    Run(Block),
}

/// Splits a quoted directive argument list: `NAME "OLD" "NEW"`.
fn args(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut it = s.chars().peekable();
    while let Some(&c) = it.peek() {
        if c == ' ' {
            it.next();
        } else if c == '"' {
            it.next();
            let mut w = String::new();
            for c in it.by_ref() {
                if c == '"' {
                    break;
                }
                w.push(c);
            }
            out.push(w);
        } else {
            let mut w = String::new();
            while let Some(&c) = it.peek() {
                if c == ' ' {
                    break;
                }
                w.push(c);
                it.next();
            }
            out.push(w);
        }
    }
    out
}

fn steps(text: &str) -> Vec<Step> {
    let mut out = Vec::new();
    let mut pending: Option<String> = None;
    let mut skip = false;
    let mut offset = 0;
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i].trim_end_matches('\n');
        let start = offset;
        offset += lines[i].len();
        i += 1;
        if let Some(d) = l
            .trim()
            .strip_prefix("<!-- doctest:")
            .and_then(|d| d.strip_suffix("-->"))
        {
            let a = args(d.trim());
            match a.first().map(String::as_str) {
                Some("file") => pending = a.get(1).cloned(),
                Some("replace") if a.len() == 4 => {
                    out.push(Step::Replace(a[1].clone(), a[2].clone(), a[3].clone()))
                }
                Some("skip") => skip = true,
                _ => panic!("unknown doctest directive: {l}"),
            }
            continue;
        }
        let _ = start;
        let fence = l.trim_start();
        if !fence.starts_with("```") {
            continue;
        }
        let lang = fence.trim_start_matches('`').trim();
        let body_start = offset;
        let mut body = Vec::new();
        while i < lines.len() && !lines[i].trim_start().starts_with("```") {
            body.push(lines[i].trim_end_matches('\n').to_string());
            offset += lines[i].len();
            i += 1;
        }
        let body_end = offset;
        if i < lines.len() {
            offset += lines[i].len();
            i += 1;
        }
        if std::mem::take(&mut skip) {
            pending = None;
            continue;
        }
        if let Some(name) = pending.take() {
            out.push(Step::File(name, body.join("\n") + "\n"));
            continue;
        }
        if lang != "console" {
            continue;
        }
        let mut runs: Vec<(String, Vec<String>)> = Vec::new();
        for b in body {
            match b.strip_prefix("$ ") {
                Some(cmd) => runs.push((cmd.to_string(), Vec::new())),
                None => match runs.last_mut() {
                    Some(r) => r.1.push(b),
                    None => panic!("a console block must start with `$ `: {b}"),
                },
            }
        }
        let line = text[..body_start].lines().count();
        out.push(Step::Run(Block {
            line,
            runs,
            body: body_start..body_end,
        }));
    }
    out
}

/// `deter` arguments of a documented command (`deter …` or `cargo run --release -- …`);
/// `None` for other commands and for `deter watch`, which runs until stopped (its own test is
/// `watch::watch_reports_each_save_and_what_changed`).
fn deter_args(cmd: &str) -> Option<Vec<String>> {
    let cmd = cmd.split(" #").next().unwrap_or(cmd).trim();
    let rest = cmd
        .strip_prefix("deter ")
        .or_else(|| cmd.strip_prefix("cargo run --release -- "))?;
    let a = args(rest);
    (a.first().map(String::as_str) != Some("watch")).then_some(a)
}

/// True if `got` matches the pattern line `want` (`…` stands for any text).
fn line_matches(want: &str, got: &str) -> bool {
    let parts: Vec<&str> = want.split('…').collect();
    if parts.len() == 1 {
        return want == got;
    }
    let mut rest = got;
    for (k, p) in parts.iter().enumerate() {
        if k == 0 {
            match rest.strip_prefix(p) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if k == parts.len() - 1 {
            return rest.ends_with(p);
        } else {
            match rest.find(p) {
                Some(i) => rest = &rest[i + p.len()..],
                None => return false,
            }
        }
    }
    true
}

/// True if the lines `got` match the pattern `want` (a line `…` stands for any lines).
fn matches(want: &[String], got: &[String]) -> bool {
    match want.split_first() {
        None => got.is_empty(),
        Some((w, rest)) if w.trim() == "…" => (0..=got.len()).any(|k| matches(rest, &got[k..])),
        Some((w, rest)) => {
            got.first().is_some_and(|g| line_matches(w, g)) && matches(rest, &got[1..])
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

/// Runs the documented commands of one file; returns the mismatches (and rewrites the file's
/// whole-output blocks under BLESS=1).
fn check(doc: &str) -> Vec<String> {
    let path = repo(doc);
    let text = std::fs::read_to_string(&path).unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let work = scratch.path().join("work");
    copy_dir(&repo("models"), &work.join("models"));
    copy_dir(&repo("tests/models"), &work.join("tests/models"));
    let shared = repo("../shared");
    if shared.exists() {
        #[cfg(unix)]
        std::os::unix::fs::symlink(&shared, scratch.path().join("shared")).unwrap();
    }
    let bless = std::env::var("BLESS").is_ok_and(|v| v == "1");
    let mut problems = Vec::new();
    let mut rewrites: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for step in steps(&text) {
        match step {
            Step::File(name, body) => std::fs::write(work.join(name), body).unwrap(),
            Step::Replace(name, old, new) => {
                let p = work.join(name);
                let t = std::fs::read_to_string(&p).unwrap();
                assert!(
                    t.contains(&old),
                    "{doc}: `{old}` is not in the file to edit"
                );
                std::fs::write(&p, t.replacen(&old, &new, 1)).unwrap();
            }
            Step::Run(block) => {
                let mut new_body = String::new();
                let mut whole = true;
                for (cmd, want) in &block.runs {
                    if let Some(d) = cmd.strip_prefix("mkdir -p ") {
                        std::fs::create_dir_all(work.join(d.trim())).unwrap();
                        new_body.push_str(&format!("$ {cmd}\n"));
                        continue;
                    }
                    let Some(a) = deter_args(cmd) else {
                        // Not a deter command (cargo test, scripts) or `deter watch`: shown,
                        // not run; the block keeps what it shows.
                        new_body.push_str(&format!("$ {cmd}\n"));
                        for w in want {
                            new_body.push_str(w);
                            new_body.push('\n');
                        }
                        continue;
                    };
                    if a.iter().any(|x| x.contains("../shared")) && !shared.exists() {
                        // Gambit's games are missing: the Gambit tests already fail loudly
                        // under CI; here the command cannot run.
                        whole = false;
                        continue;
                    }
                    let o = Command::new(env!("CARGO_BIN_EXE_deter"))
                        .args(&a)
                        .current_dir(&work)
                        .env("NO_COLOR", "1")
                        .output()
                        .unwrap();
                    // Diagnostics go to standard error, before the summary on standard output.
                    let mut got: Vec<String> = String::from_utf8_lossy(&o.stderr)
                        .lines()
                        .map(str::to_string)
                        .collect();
                    got.extend(
                        String::from_utf8_lossy(&o.stdout)
                            .lines()
                            .map(str::to_string),
                    );
                    while got.last().is_some_and(|l| l.trim().is_empty()) {
                        got.pop();
                    }
                    let want: Vec<String> = want.clone();
                    let mut want_trim = want.clone();
                    while want_trim.last().is_some_and(|l| l.trim().is_empty()) {
                        want_trim.pop();
                    }
                    if want.iter().any(|l| l.contains('…')) {
                        whole = false;
                    }
                    new_body.push_str(&format!("$ {cmd}\n"));
                    for g in &got {
                        new_body.push_str(g);
                        new_body.push('\n');
                    }
                    // A documented command succeeds, unless the docs show its error.
                    let shows_error = want.iter().any(|l| l.starts_with("error"));
                    if !o.status.success() && !shows_error {
                        problems.push(format!(
                            "{doc}:{}: `{cmd}` failed ({}):\n{}",
                            block.line,
                            o.status,
                            got.join("\n")
                        ));
                    }
                    if !matches(&want_trim, &got) {
                        problems.push(format!(
                            "{doc}:{}: `{cmd}` printed:\n{}\n--- but the docs show:\n{}\n",
                            block.line,
                            got.join("\n"),
                            want_trim.join("\n")
                        ));
                    }
                }
                if bless && whole {
                    rewrites.push((block.body.clone(), new_body));
                }
            }
        }
    }
    if bless && !rewrites.is_empty() {
        let mut t = text.clone();
        for (range, body) in rewrites.into_iter().rev() {
            t.replace_range(range, &body);
        }
        std::fs::write(&path, t).unwrap();
        problems.retain(|p| p.contains('…'));
    }
    problems
}

fn check_all(docs: &[&str]) {
    let problems: Vec<String> = docs.iter().flat_map(|d| check(d)).collect();
    assert!(
        problems.is_empty(),
        "{} documented output(s) differ (BLESS=1 rewrites whole outputs):\n\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn readme_commands_print_what_the_readme_shows() {
    check_all(&["README.md"]);
}

#[test]
fn tutorial_commands_print_what_the_tutorial_shows() {
    check_all(&["docs/tutorial.md"]);
}

#[test]
fn reference_docs_commands_print_what_they_show() {
    check_all(&[
        "docs/cli.md",
        "docs/report.md",
        "docs/sweep.md",
        "docs/thresholds.md",
        "docs/model-format.md",
        "docs/json.md",
        "docs/fit.md",
    ]);
}

#[test]
fn patterns_match_as_documented() {
    assert!(line_matches(
        "Solver: backward …",
        "Solver: backward (picked) — x"
    ));
    assert!(line_matches("a,…,c", "a,b,b,c"));
    assert!(!line_matches("a,…,c", "a,b,d"));
    let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert!(matches(&v(&["a", "…", "d"]), &v(&["a", "b", "c", "d"])));
    assert!(!matches(&v(&["a", "…", "d"]), &v(&["a", "b"])));
    assert_eq!(
        deter_args("cargo run --release -- solve models/x.toml   # note"),
        Some(v(&["solve", "models/x.toml"]))
    );
}

/// Keys of a JSON object in the order written.
fn keys(v: &serde_json::Value) -> Vec<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

#[test]
fn json_sample_keys_come_in_the_order_produced() {
    let text = std::fs::read_to_string(repo("docs/json.md")).unwrap();
    let sample = text
        .split("```json\n")
        .nth(1)
        .and_then(|r| r.split("```").next())
        .expect("docs/json.md shows a sample");
    let doc: serde_json::Value = serde_json::from_str(sample).unwrap();
    let o = deter(&[
        "solve",
        "models/hedging.toml",
        "--scenario",
        "post_2001",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let got: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(keys(&doc), keys(&got), "top-level keys");
    let (d, g) = (&doc["equilibria"][0], &got["equilibria"][0]);
    assert_eq!(keys(d), keys(g), "an equilibrium's keys");
    assert_eq!(d["path"], g["path"]);
    // Payoffs in player order, as docs/model-format.md promises.
    let players: Vec<String> = got["players"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect();
    assert_eq!(keys(&g["payoffs"]), players);
    assert_eq!(keys(&d["payoffs"]), players);
}
