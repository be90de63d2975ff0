//! The single integration-test target: one binary built from topic modules.

mod all_games;
mod cli;
mod diagnostics;
mod docs;
mod enumeration;
mod exact;
mod figures;
mod fit;
mod fuzz_regressions;
mod gambit_formats;
mod gambit_games;
mod gambit_seqform;
mod gambit_strategic;
mod hedging_private;
mod known_values;
mod pbe;
mod properties;
mod report;
mod scheduler;
mod seqform;
mod sweep;
mod thresholds;
mod types;
mod util;
mod watch;
mod words;
