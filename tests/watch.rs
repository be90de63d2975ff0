//! `deter watch`: re-checks and re-solves on every save and says what changed. The test waits
//! for the program's own output after each save (generous timeouts, no sleeps that guess).

use crate::util::repo;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

struct Watch {
    child: Child,
    lines: Receiver<String>,
    seen: Vec<String>,
}

impl Watch {
    fn start(file: &std::path::Path, extra: &[&str]) -> Watch {
        let mut child = Command::new(env!("CARGO_BIN_EXE_deter"))
            .arg("watch")
            .arg(file)
            .args(["--interval", "50"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, rx) = channel();
        for pipe in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(pipe).lines() {
                    let Ok(line) = line else { break };
                    if tx.send(line).is_err() {
                        break;
                    }
                }
            });
        }
        Watch {
            child,
            lines: rx,
            seen: Vec::new(),
        }
    }

    /// Waits until a line contains `want` (up to two minutes); returns it.
    fn wait_for(&mut self, want: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.contains(want) {
                        return line;
                    }
                }
                Err(_) => panic!(
                    "no line with {want:?} within two minutes; output so far:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }
}

impl Watch {
    /// Waits until every one of `wants` has appeared, in any order (standard output and
    /// standard error are read apart, so their lines interleave arbitrarily).
    fn wait_for_all(&mut self, wants: &[&str]) {
        let mut left: Vec<&str> = wants.to_vec();
        let deadline = Instant::now() + Duration::from_secs(120);
        while !left.is_empty() {
            let wait = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(wait) {
                Ok(line) => {
                    left.retain(|w| !line.contains(w));
                    self.seen.push(line);
                }
                Err(_) => panic!(
                    "no line with {left:?} within two minutes; output so far:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Replaces the file's content the way editors do: a new file renamed over the old one.
fn save(path: &std::path::Path, text: &str) {
    let tmp = path.with_extension("toml.new");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

#[test]
fn watch_reports_each_save_and_what_changed() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hedging.toml");
    let original = std::fs::read_to_string(repo("models/hedging.toml")).unwrap();
    std::fs::write(&file, &original).unwrap();
    let report = dir.path().join("report");
    let mut w = Watch::start(&file, &["--report", report.to_str().unwrap()]);
    // At the defaults hedging deters (docs/models/hedging.md: T = 0.3 > T* = −psi0/beta = 0.2).
    let path = w.wait_for("Path of play:");
    assert!(
        path.contains("Protégé hedges → Challenger does not challenge"),
        "{path}"
    );
    w.wait_for("report:");
    let html = std::fs::read_to_string(report.join("report.html")).unwrap();
    assert!(html.contains("stamp.js"), "the page reloads itself");
    let stamp1 = std::fs::read_to_string(report.join("stamp.js")).unwrap();

    // psi0 = -0.5 puts T* = 0.5 above T = 0.3: the abandoned hedger would acquiesce, so the
    // challenger challenges.
    save(
        &file,
        &original.replace("psi0   = { value = -0.2", "psi0   = { value = -0.5"),
    );
    let changed = w.wait_for("Changed since the last save");
    assert!(
        changed.contains("path of play: Protégé hedges → Challenger challenges"),
        "{changed}"
    );
    w.wait_for("report:");
    let stamp2 = std::fs::read_to_string(report.join("stamp.js")).unwrap();
    assert_ne!(stamp1, stamp2, "the open page sees a new version");

    // A mistake: the diagnostic with its location, and the loop goes on.
    save(&file, &original.replace("\"e_P - c_P\"", "\"e_P - c_Q\""));
    w.wait_for_all(&["unknown parameter `c_Q`", "fix and save again"]);
    // Fixed again: back to the first equilibrium.
    save(&file, &original);
    let changed = w.wait_for("Changed since the last save");
    assert!(
        changed.contains("Challenger does not challenge"),
        "{changed}"
    );
}
