//! The single integration-test target: one binary built from topic modules.

mod all_games;
mod cli;
mod diagnostics;
mod enumeration;
mod exact;
mod fuzz_regressions;
mod gambit_enumpoly;
mod gambit_formats;
mod gambit_games;
mod gambit_logit;
mod gambit_seqform;
mod gambit_strategic;
mod known_values;
mod nplayer;
mod properties;
mod report;
mod scheduler;
mod seqform;
mod sweep;
mod thresholds;
mod util;
