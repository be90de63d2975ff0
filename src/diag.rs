//! Diagnostics: located errors and warnings about a model file, and their rendering.
//!
//! Reading and checking a model gathers every problem it finds as a [`Diagnostic`] (a primary
//! span, a message, an optional label under the underlined text, and hints) instead of stopping
//! at the first. Rendering is separate: [`render`] draws the snippet with the offending text
//! underlined (codespan-reporting), [`render_short`] prints one `file:line:col: error: message`
//! line per problem for editors and golden files.

use crate::source::SourceFile;
use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor};
use std::ops::Range;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The model is usable but probably not what was meant.
    Warning,
    /// The model cannot be used.
    Error,
}

/// One problem found in a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The message.
    pub message: String,
    /// Where (byte span in the file), if known.
    pub span: Option<Range<usize>>,
    /// Short text shown under the underlined span.
    pub label: Option<String>,
    /// Suggestions, e.g. "did you mean `Defender`?".
    pub hints: Vec<String>,
}

impl Diagnostic {
    /// An error at a span.
    pub fn error(span: impl Into<Option<Range<usize>>>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            span: span.into(),
            label: None,
            hints: Vec::new(),
        }
    }

    /// A warning at a span.
    pub fn warning(span: impl Into<Option<Range<usize>>>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(span, message)
        }
    }

    /// Adds a label shown under the span.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// Adds a hint if there is one.
    pub fn with_hint_opt(mut self, hint: Option<String>) -> Self {
        self.hints.extend(hint);
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// True if any diagnostic is an error.
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(Diagnostic::is_error)
}

/// Renders diagnostics with source snippets (underlined spans, labels, hints).
pub fn render(file: &SourceFile, diags: &[Diagnostic], color: bool) -> String {
    let files = SimpleFile::new(file.name.as_str(), file.text.as_str());
    let mut buf = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    let config = term::Config::default();
    for d in diags {
        let cs = match d.severity {
            Severity::Error => CsDiagnostic::error(),
            Severity::Warning => CsDiagnostic::warning(),
        };
        let mut cs = cs.with_message(&d.message);
        if let Some(span) = &d.span {
            let span = span.start.min(file.text.len())..span.end.min(file.text.len());
            cs = cs.with_labels(vec![
                Label::primary((), span).with_message(d.label.clone().unwrap_or_default())
            ]);
        }
        cs = cs.with_notes(d.hints.iter().map(|h| format!("hint: {h}")).collect());
        // Writing to an in-memory buffer only fails on invalid spans, which are clamped above.
        let _ = term::emit(&mut buf, &config, &files, &cs);
    }
    String::from_utf8_lossy(buf.as_slice()).into_owned()
}

/// Renders one line per diagnostic: `file:line:col: error: message (hint: …)`.
pub fn render_short(file: &SourceFile, diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        let (l, c) = d.span.as_ref().map_or((1, 1), |s| file.line_col(s.start));
        let sev = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        out.push_str(&format!("{}:{l}:{c}: {sev}: {}", file.name, d.message));
        for h in &d.hints {
            out.push_str(&format!(" (hint: {h})"));
        }
        out.push('\n');
    }
    out
}

/// The closest candidate to `name` by edit distance, if it is close enough to be a likely typo.
pub fn did_you_mean<'a, I>(name: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let limit = (name.chars().count() / 3).max(1) + usize::from(name.len() > 5);
    candidates
        .into_iter()
        .map(|c| (edit_distance(&name.to_lowercase(), &c.to_lowercase()), c))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| format!("did you mean `{c}`?"))
}

/// Edit distance between two strings, by characters: insertions, deletions, substitutions and
/// swaps of two adjacent characters each count one (optimal string alignment).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for (j, x) in d.iter_mut().take(w).enumerate() {
        *x = j;
    }
    for i in 1..=a.len() {
        d[i * w] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(
            did_you_mean("Defnder", ["Protege", "Defender"]),
            Some("did you mean `Defender`?".into())
        );
        assert_eq!(did_you_mean("zzz", ["Protege", "Defender"]), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("cots", "cost"), 1);
    }

    #[test]
    fn short_rendering_has_position() {
        let f = SourceFile::new("m.toml", "a = 1\nb = 2\n");
        let d = Diagnostic::error(6..7, "bad b").with_hint("fix it");
        assert_eq!(
            render_short(&f, &[d]),
            "m.toml:2:1: error: bad b (hint: fix it)\n"
        );
    }
}
