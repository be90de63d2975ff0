//! Reading and writing Gambit's `.efg` (extensive form) and `.nfg` (strategic form) files.
//!
//! Gambit's formats are the lingua franca of equilibrium software; reading them lets `deter`
//! be checked against Gambit's own example games and results, and writing them lets a model be
//! handed to Gambit. Both readers share one tokenizer ([`lexer`]) and report errors by line
//! and column; neither panics on any input.

pub mod efg;
#[cfg(test)]
mod efg_oracle;
pub mod lexer;
pub mod model;
pub mod nfg;
pub mod num;
pub mod scan;

/// A parse error, located by 1-based line and column.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}:{col}: {message}")]
pub struct FormatError {
    /// Line of the offending token.
    pub line: usize,
    /// Column of the offending token (in characters).
    pub col: usize,
    /// What is wrong.
    pub message: String,
}

impl FormatError {
    /// An error at `line:col`.
    pub fn new(line: usize, col: usize, message: impl Into<String>) -> Self {
        FormatError {
            line,
            col,
            message: message.into(),
        }
    }
}
