//! The single integration-test target: one binary built from topic modules.

mod cli;
mod diagnostics;
mod known_values;
mod properties;
mod report;
mod seqform;
mod sweep;
mod util;
