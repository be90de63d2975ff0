//! A progress line on standard error for long computations (the logit path, support
//! enumeration): shown only when standard error is a terminal and the work has already taken a
//! moment, so short runs and redirected output stay clean.

use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::time::{Duration, Instant};

/// Work shorter than this never shows a progress line.
const DELAY: Duration = Duration::from_millis(300);

/// A lazily created spinner with the elapsed time and a message.
pub struct Progress {
    bar: Option<ProgressBar>,
    start: Instant,
    off: bool,
}

impl Progress {
    /// A progress line, never shown if `quiet` or when standard error is not a terminal.
    pub fn new(quiet: bool) -> Self {
        Progress {
            bar: None,
            start: Instant::now(),
            off: quiet || !std::io::stderr().is_terminal(),
        }
    }

    /// Shows `msg()` (evaluated only when the line is shown).
    pub fn update(&mut self, msg: impl FnOnce() -> String) {
        if self.off {
            return;
        }
        if self.bar.is_none() && self.start.elapsed() > DELAY {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {elapsed} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            // Keeps the clock moving while one long step runs.
            bar.enable_steady_tick(Duration::from_millis(200));
            self.bar = Some(bar);
        }
        if let Some(b) = &self.bar {
            b.set_message(msg());
        }
    }

    /// Removes the line.
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
