//! Model files: reading, checking and compiling them into a [`GameTemplate`].
//!
//! ```text
//! text ─read─► ModelAst (spans) ─build─► GameTemplate ─instantiate(θ)─► Game
//! ```
//! The file format is documented in `docs/model-format.md`.

pub mod ast;
pub mod bind;
pub mod build;
pub mod doc;
#[cfg(test)]
mod doc_tests;
pub mod expand;
#[cfg(test)]
mod generated_tests;
mod index;
mod name;
pub mod questions;
pub mod rational;
pub mod read;
mod sources;
mod targets;
pub mod template;
mod types;

pub use ast::{Counterfactual, ModelAst};
pub use template::{GameTemplate, InstantiateError, Params, Scenario};

use crate::diag::{has_errors, Diagnostic};
use crate::source::SourceFile;
use std::sync::Arc;

/// A model file after reading and checking.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The file (for rendering diagnostics).
    pub source: SourceFile,
    /// The model as written (shared with the template, which keeps it too).
    pub ast: Arc<ModelAst>,
    /// The compiled template, if there were no errors.
    pub template: Option<GameTemplate>,
    /// Every problem found, errors and warnings.
    pub diags: Vec<Diagnostic>,
}

/// Reads, checks and compiles a model file's text.
pub fn load(name: impl Into<String>, text: impl Into<String>) -> Loaded {
    let source = SourceFile::new(name, text);
    let (mut ast, mut diags) = read::read(&source.text);
    let syntax_broken = diags.iter().any(|d| d.message.starts_with("TOML syntax"));
    if !syntax_broken {
        expand::expand(&mut ast, &mut diags);
    }
    let ast = Arc::new(ast);
    let (template, more) = if syntax_broken {
        // After a TOML syntax error the document's structure is a guess; checking names and
        // the tree against it would only add noise.
        (None, Vec::new())
    } else {
        // Even after reading errors, check what was read so independent mistakes are all
        // reported; a template is kept only if everything is clean.
        build::build_shared(&ast, &Counterfactual::default())
    };
    diags.extend(more);
    if template.is_some() {
        // The report questions: their events, parameters and counterfactual games.
        diags.extend(questions::check(&ast));
    }
    if let Some(t) = template.as_ref() {
        if let Err(r) = crate::game::recall::check(&t.tree) {
            diags.push(
                Diagnostic::warning(
                    t.node_spans.get(r.second.ix()).cloned(),
                    r.describe(&t.tree),
                )
                .with_label("forgotten here")
                .with_hint(
                    "solvers that need perfect recall refuse this game; strategic-form solvers \
                     answer in mixed strategies over the reduced strategic form",
                ),
            );
        }
    }
    if !syntax_broken && ast.fit_span.is_some() {
        // The `[fit]` section (estimation), read and checked by its own module.
        let (spec, more) = crate::fit::spec::read(&source.text);
        diags.extend(more);
        if let (Some(s), Some(t)) = (&spec, &template) {
            diags.extend(crate::fit::spec::check(s, t));
        }
    }
    diags.sort_by_key(|d| d.span.as_ref().map_or(0, |s| s.start));
    // A mistake inside a subtree is found once per copy; it is reported once.
    let mut seen = std::collections::HashSet::new();
    diags.retain(|d| seen.insert((d.span.clone(), d.message.clone())));
    let template = if has_errors(&diags) { None } else { template };
    Loaded {
        source,
        ast,
        template,
        diags,
    }
}
