//! Sweep output formats: CSV and JSON Lines, one row per grid point, in index order.
//!
//! Columns (the same names are the keys of each JSON Lines object):
//!
//! | column | meaning |
//! |---|---|
//! | `index` | the point's index in the grid (last `--vary` fastest) |
//! | one per `--vary`, by parameter name | the parameter's value (shortest exact decimal) |
//! | `outcome` | the reached outcome's name, `a (p) + b (q)` when play is random |
//! | `path` | the path of play in words (random plays joined by `; `) |
//! | `regime` | registry solvers only: the regime set at the point (see [`super::set`]) |
//! | `payoff:<player>` | each player's expected payoff |
//! | `event:<tag>` | each event tag's probability |
//! | `question:<name>` | each declared question's answer: its `lower` / `higher` word or `no effect`; for a set of equilibria, every answer that occurs, joined by ` or ` |
//! | `question:<name>:modality` | whether that answer holds in `every` equilibrium at the point, in only `some`, or in `none` |
//! | `n_equilibria`, `n_ties`, `max_regret` | equilibria reported, indifferent movers, certificate |
//!
//! A row for a set of equilibria ([`super::set`]) leaves a payoff or probability empty where
//! the equilibria disagree. Payoffs, probabilities and regrets are printed like [`crate::output::words::num`] (at most
//! 6 decimals, no negative zero) without allocating; a missing value (no equilibrium) is an
//! empty CSV field or JSON `null`. JSON Lines rather than one array, so output streams and a
//! torn last line is recognisable.

use super::worker::Worker;
use super::Sweeper;
use std::io::Write;

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated values with a header line.
    Csv,
    /// One JSON object per line, no header.
    Jsonl,
}

impl Format {
    /// The format's name as the CLI spells it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Jsonl => "jsonl",
        }
    }
}

/// The column names of a sweep, in order.
pub fn columns(sw: &Sweeper<'_>) -> Vec<String> {
    let tree = &sw.template.tree;
    let mut c = vec!["index".to_string()];
    c.extend(sw.grid.axes.iter().map(|a| a.name.clone()));
    c.push("outcome".into());
    c.push("path".into());
    if sw.sets() {
        c.push("regime".into());
    }
    c.extend(tree.players.iter().map(|p| format!("payoff:{p}")));
    c.extend(tree.events.iter().map(|e| format!("event:{e}")));
    for q in &sw.questions {
        c.push(format!("question:{}", q.def.name.v));
        c.push(format!("question:{}:modality", q.def.name.v));
    }
    for s in ["n_equilibria", "n_ties", "max_regret"] {
        c.push(s.into());
    }
    c
}

/// The header: the CSV column line, or nothing for JSON Lines.
pub fn header(format: Format, columns: &[String]) -> Vec<u8> {
    let mut out = Vec::new();
    if format == Format::Csv {
        for (k, c) in columns.iter().enumerate() {
            if k > 0 {
                out.push(b',');
            }
            csv_field(c, &mut out);
        }
        out.push(b'\n');
    }
    out
}

/// The index of a data line (its first field), if it is a complete row of this format.
pub fn line_index(format: Format, line: &str) -> Option<u64> {
    let rest = match format {
        Format::Csv => line,
        Format::Jsonl => line.strip_prefix("{\"index\":")?,
    };
    let end = rest.find(',').unwrap_or(rest.len());
    rest[..end].parse().ok()
}

fn csv_field(s: &str, out: &mut Vec<u8>) {
    if s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        out.push(b'"');
        for b in s.bytes() {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(s.as_bytes());
    }
}

fn json_str(s: &str, out: &mut Vec<u8>) {
    // Writing a &str to a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, s);
}

/// Appends `x` as [`crate::output::words::num`] would print it; NaN as `missing`.
pub fn push_num(x: f64, missing: &[u8], out: &mut Vec<u8>) {
    if x.is_nan() {
        out.extend_from_slice(missing);
        return;
    }
    if !x.is_finite() {
        let _ = write!(out, "{x}");
        return;
    }
    if push_num_fast(x, out) {
        return;
    }
    let start = out.len();
    let _ = write!(out, "{x:.6}");
    while out.last() == Some(&b'0') {
        out.pop();
    }
    if out.last() == Some(&b'.') {
        out.pop();
    }
    let s = &out[start..];
    if s == b"-0" || s.is_empty() {
        out.truncate(start);
        out.push(b'0');
    }
}

/// The common case of [`push_num`] without the float formatter: round `x × 10⁶` to an integer
/// and print it with six implied decimals. Declines (returns false, writing nothing) when the
/// product is large or so close to a rounding tie that the multiplication's own rounding error
/// could decide it; `{:.6}` (exact decimal rounding) handles those.
fn push_num_fast(x: f64, out: &mut Vec<u8>) -> bool {
    let y = x * 1e6;
    if y.abs() >= 1e15 {
        return false;
    }
    let frac = (y - y.trunc()).abs();
    // |error of y| ≤ ulp(y)/2 ≤ |y|·2⁻⁵³; stay well clear of the tie at .5.
    if (frac - 0.5).abs() <= y.abs() * 1e-15 + 1e-12 {
        return false;
    }
    let m = y.round() as i64;
    if m == 0 {
        out.push(b'0');
        return true;
    }
    if m < 0 {
        out.push(b'-');
    }
    let m = m.unsigned_abs();
    let (int, mut frac) = (m / 1_000_000, m % 1_000_000);
    push_uint(int, out);
    if frac != 0 {
        out.push(b'.');
        let mut digits = 6;
        while frac % 10 == 0 {
            frac /= 10;
            digits -= 1;
        }
        let mut buf = [b'0'; 6];
        for d in buf[..digits].iter_mut().rev() {
            *d = b'0' + (frac % 10) as u8;
            frac /= 10;
        }
        out.extend_from_slice(&buf[..digits]);
    }
    true
}

/// Appends an unsigned integer in decimal.
fn push_uint(mut v: u64, out: &mut Vec<u8>) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

/// Appends one row for the worker's current point.
pub(crate) fn write_row(format: Format, w: &Worker<'_, '_>, index: u64, out: &mut Vec<u8>) {
    let sw = w.sw();
    let tree = &sw.template.tree;
    let n_axes = sw.grid.axes.len();
    match format {
        Format::Csv => {
            let _ = write!(out, "{index}");
            for a in 0..n_axes {
                out.push(b',');
                out.extend_from_slice(w.axis_text(a).as_bytes());
            }
            out.push(b',');
            csv_field(&w.outcome, out);
            out.push(b',');
            csv_field(&w.path, out);
            if sw.sets() {
                out.push(b',');
                csv_field(&w.regime, out);
            }
            for &x in w.payoffs.iter().chain(&w.events) {
                out.push(b',');
                push_num(x, b"", out);
            }
            for (k, (q, &m)) in sw.questions.iter().zip(&w.modalities).enumerate() {
                out.push(b',');
                csv_field(&answer_text(w, q, k), out);
                out.push(b',');
                out.extend_from_slice(m.map_or("", modality_word).as_bytes());
            }
            let _ = write!(out, ",{},{},", w.n_eq, w.n_ties);
            push_num(w.regret, b"", out);
            out.push(b'\n');
        }
        Format::Jsonl => {
            let _ = write!(out, "{{\"index\":{index}");
            for (a, axis) in sw.grid.axes.iter().enumerate() {
                out.push(b',');
                json_str(&axis.name, out);
                out.push(b':');
                out.extend_from_slice(w.axis_text(a).as_bytes());
            }
            out.extend_from_slice(b",\"outcome\":");
            json_str(&w.outcome, out);
            out.extend_from_slice(b",\"path\":");
            json_str(&w.path, out);
            if sw.sets() {
                out.extend_from_slice(b",\"regime\":");
                json_str(&w.regime, out);
            }
            let named = tree
                .players
                .iter()
                .map(|p| ("payoff:", p))
                .chain(tree.events.iter().map(|e| ("event:", e)));
            for ((kind, name), &x) in named.zip(w.payoffs.iter().chain(&w.events)) {
                out.push(b',');
                json_str(&format!("{kind}{name}"), out);
                out.push(b':');
                push_num(x, b"null", out);
            }
            for (k, (q, &m)) in sw.questions.iter().zip(&w.modalities).enumerate() {
                out.push(b',');
                json_str(&format!("question:{}", q.def.name.v), out);
                out.push(b':');
                json_str(&answer_text(w, q, k), out);
                out.push(b',');
                json_str(&format!("question:{}:modality", q.def.name.v), out);
                out.push(b':');
                match m {
                    Some(m) => json_str(modality_word(m), out),
                    None => out.extend_from_slice(b"null"),
                }
            }
            let _ = write!(
                out,
                ",\"n_equilibria\":{},\"n_ties\":{},\"max_regret\":",
                w.n_eq, w.n_ties
            );
            push_num(w.regret, b"null", out);
            out.extend_from_slice(b"}\n");
        }
    }
}

/// Whether an answer holds in every equilibrium, some or none, as a sweep value.
pub(crate) fn modality_word(m: crate::questions::Modality) -> &'static str {
    match m {
        crate::questions::Modality::Every => "every",
        crate::questions::Modality::Some => "some",
        crate::questions::Modality::No => "none",
    }
}

/// Question `k`'s answer at the worker's point as the row writes it: the answer's word, or
/// for a set of equilibria every effect that occurs (lower, higher, no effect), joined by
/// ` or `.
pub(crate) fn answer_text<'q>(
    w: &Worker<'_, '_>,
    q: &'q crate::questions::PreparedQuestion,
    k: usize,
) -> std::borrow::Cow<'q, str> {
    set_answer(q, w.answers[k], &w.effect_sets[k], w.set_row())
}

/// A question's answer as a row writes it (see [`answer_text`]).
pub fn set_answer<'q>(
    q: &'q crate::questions::PreparedQuestion,
    answer: crate::questions::Effect,
    effects: &crate::questions::EffectSet,
    set_row: bool,
) -> std::borrow::Cow<'q, str> {
    if answer == crate::questions::Effect::Unknown && effects.is_empty() {
        // No equilibrium in one of the games (e.g. none passes a refinement): no answer.
        return std::borrow::Cow::Borrowed("");
    }
    if !set_row || effects.len() < 2 {
        // One effect over the set: that one (the first pair's answer otherwise).
        let a = match set_row.then(|| effects.effects()) {
            Some(v) if v.len() == 1 => v[0],
            _ => answer,
        };
        return std::borrow::Cow::Borrowed(answer_word(q, a));
    }
    let words: Vec<&str> = effects
        .effects()
        .into_iter()
        .map(|e| answer_word(q, e))
        .collect();
    std::borrow::Cow::Owned(words.join(" or "))
}

/// A question's answer as a sweep value: its `lower` or `higher` word, or `no effect`.
pub(crate) fn answer_word(
    q: &crate::questions::PreparedQuestion,
    a: crate::questions::Effect,
) -> &str {
    match a {
        crate::questions::Effect::None => "no effect",
        e => q.word(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::words::num;

    #[test]
    fn numbers_print_like_words_num() {
        for x in [
            0.0,
            -0.0,
            0.1,
            -1e-9,
            1.5,
            -0.7000000000001,
            2.0,
            1e6,
            123.4567891,
            -3.25,
            1e-7,
        ] {
            let mut v = Vec::new();
            push_num(x, b"", &mut v);
            assert_eq!(String::from_utf8(v).unwrap(), num(x), "{x}");
        }
        // Pseudo-random values of every magnitude, and values near rounding ties.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        for k in 0..200_000 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let u = (state >> 11) as f64 / (1u64 << 53) as f64;
            let x = match k % 4 {
                0 => (u - 0.5) * 10f64.powi((k % 31) - 12),
                1 => ((u * 2e7).round() + 0.5) / 1e6 * if k % 8 == 1 { -1.0 } else { 1.0 },
                2 => (u * 1e4).round() / 1e4 - 0.5,
                _ => (u - 0.5) * 3.0,
            };
            let mut v = Vec::new();
            push_num(x, b"", &mut v);
            assert_eq!(String::from_utf8(v).unwrap(), num(x), "{x:e}");
        }
        let mut v = Vec::new();
        push_num(f64::NAN, b"null", &mut v);
        assert_eq!(v, b"null");
    }

    #[test]
    fn csv_fields_are_quoted_when_needed() {
        let mut v = Vec::new();
        csv_field("a, \"b\"", &mut v);
        assert_eq!(v, b"\"a, \"\"b\"\"\"");
        assert_eq!(line_index(Format::Csv, "12,0.5,x"), Some(12));
        assert_eq!(line_index(Format::Jsonl, "{\"index\":7,\"T\":1}"), Some(7));
        assert_eq!(line_index(Format::Jsonl, "{\"ind"), None);
    }
}
