//! Reading sweep output back: the rows of a CSV or JSON Lines file, one at a time.
//!
//! `deter plot` draws a finished (often merged) sweep file, and `sweep --resume --plot` feeds
//! the rows kept from an interrupted run to the plot; both stream the file through a
//! [`RowParser`], so memory does not grow with the file. Values are read from their text
//! exactly as written (`str::parse`, correctly rounded), so a plot drawn from the file is the
//! plot drawn while the sweep ran. The parser expects the columns deter writes (see
//! [`super::format`]): any other layout, a row with a different number of fields or other
//! keys, is an error naming the line.

use super::format::Format;
use super::SweepError;
use std::io::{BufRead, BufReader, Read};

/// One row as read from a file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ParsedRow {
    /// The point's index.
    pub index: u64,
    /// The varied parameters' values, in axis order.
    pub axes: Vec<f64>,
    /// The outcome label.
    pub outcome: String,
    /// The path of play in words.
    pub path: String,
    /// The regime set, in files of sweeps with a registry solver (a `regime` column).
    pub regime: Option<String>,
    /// Each player's expected payoff (NaN where missing).
    pub payoffs: Vec<f64>,
    /// Each event's probability (NaN where missing).
    pub events: Vec<f64>,
    /// The first question's answer word, if the sweep answers questions.
    pub answer: Option<String>,
}

/// Where each kind of value sits among a sweep file's columns.
#[derive(Clone, Debug)]
pub struct RowParser {
    format: Format,
    columns: Vec<String>,
    n_axes: usize,
    n_players: usize,
    n_events: usize,
    n_questions: usize,
    /// The file has a `regime` column after `path`.
    has_regime: bool,
}

fn layout_error(msg: String) -> SweepError {
    SweepError::Read(msg)
}

impl RowParser {
    /// A parser for files with these columns (as deter writes them) and `n_axes` axes.
    pub fn new(format: Format, columns: &[String], n_axes: usize) -> Result<RowParser, SweepError> {
        let count = |prefix: &str| columns.iter().filter(|c| c.starts_with(prefix)).count();
        let (n_players, n_events, n_questions) =
            (count("payoff:"), count("event:"), count("question:"));
        let mut want = vec!["index".to_string()];
        want.extend(columns.iter().skip(1).take(n_axes).cloned());
        want.push("outcome".into());
        want.push("path".into());
        let has_regime = columns.get(n_axes + 3).is_some_and(|c| c == "regime");
        if has_regime {
            want.push("regime".into());
        }
        let fixed = want.len();
        want.extend(
            columns
                .iter()
                .skip(fixed)
                .take(n_players + n_events + n_questions)
                .cloned(),
        );
        for s in ["n_equilibria", "n_ties", "max_regret"] {
            want.push(s.into());
        }
        let ordered = columns
            .iter()
            .skip(fixed)
            .take(n_players)
            .all(|c| c.starts_with("payoff:"))
            && (columns.iter().skip(fixed + n_players).take(n_events))
                .all(|c| c.starts_with("event:"))
            && (columns
                .iter()
                .skip(fixed + n_players + n_events)
                .take(n_questions))
            .all(|c| c.starts_with("question:"));
        if want != columns || !ordered {
            return Err(layout_error(format!(
                "the columns `{}` are not those of a deter sweep with {n_axes} varied \
                 parameter(s)",
                columns.join(",")
            )));
        }
        Ok(RowParser {
            format,
            columns: columns.to_vec(),
            n_axes,
            n_players,
            n_events,
            n_questions,
            has_regime,
        })
    }

    /// The player names (from the `payoff:` columns).
    pub fn players(&self) -> Vec<String> {
        self.named("payoff:")
    }

    /// The event tags (from the `event:` columns).
    pub fn events(&self) -> Vec<String> {
        self.named("event:")
    }

    fn named(&self, prefix: &str) -> Vec<String> {
        (self.columns.iter())
            .filter_map(|c| c.strip_prefix(prefix).map(str::to_string))
            .collect()
    }

    /// Fills `row` from the fields of one line (as text, in column order).
    fn fill<'a>(
        &self,
        mut fields: impl Iterator<Item = Option<std::borrow::Cow<'a, str>>>,
        row: &mut ParsedRow,
        line: u64,
    ) -> Result<(), SweepError> {
        let bad = |what: &str| layout_error(format!("line {line}: {what}"));
        let mut next = |what: &str| fields.next().ok_or_else(|| bad(&format!("no {what}")));
        let num = |s: Option<std::borrow::Cow<'_, str>>| -> Result<f64, SweepError> {
            match s.as_deref() {
                None | Some("") => Ok(f64::NAN),
                Some(t) => t
                    .parse()
                    .map_err(|_| bad(&format!("`{t}` is not a number"))),
            }
        };
        row.index = next("index")?
            .as_deref()
            .and_then(|t| t.parse().ok())
            .ok_or_else(|| bad("the index is not a whole number"))?;
        row.axes.clear();
        for _ in 0..self.n_axes {
            let v = num(next("parameter value")?)?;
            row.axes.push(v);
        }
        row.outcome = next("outcome")?.unwrap_or_default().into_owned();
        row.path = next("path")?.unwrap_or_default().into_owned();
        row.regime = match self.has_regime {
            true => Some(next("regime")?.unwrap_or_default().into_owned()),
            false => None,
        };
        row.payoffs.clear();
        for _ in 0..self.n_players {
            let v = num(next("payoff")?)?;
            row.payoffs.push(v);
        }
        row.events.clear();
        for _ in 0..self.n_events {
            let v = num(next("event probability")?)?;
            row.events.push(v);
        }
        row.answer = None;
        for k in 0..self.n_questions {
            let a = next("answer")?.unwrap_or_default().into_owned();
            if k == 0 {
                row.answer = Some(a);
            }
        }
        for _ in 0..3 {
            next("count")?;
        }
        if fields.next().is_some() {
            return Err(bad("more fields than columns"));
        }
        Ok(())
    }

    /// Reads every row of `r` (positioned after the header, if any) in order, calling `f` on
    /// each; `first_line` numbers the first row's line in messages. Returns the rows read.
    pub fn for_each(
        &self,
        r: impl Read,
        first_line: u64,
        mut f: impl FnMut(&ParsedRow) -> Result<(), SweepError>,
    ) -> Result<u64, SweepError> {
        let mut row = ParsedRow::default();
        let mut n = 0;
        match self.format {
            Format::Csv => {
                let mut rd = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .from_reader(r);
                let mut rec = csv::StringRecord::new();
                loop {
                    let more = rd
                        .read_record(&mut rec)
                        .map_err(|e| layout_error(format!("line {}: {e}", first_line + n)))?;
                    if !more {
                        break;
                    }
                    if rec.len() != self.columns.len() {
                        return Err(layout_error(format!(
                            "line {}: {} fields, but the file has {} columns",
                            first_line + n,
                            rec.len(),
                            self.columns.len()
                        )));
                    }
                    let fields = rec.iter().map(|s| Some(std::borrow::Cow::Borrowed(s)));
                    self.fill(fields, &mut row, first_line + n)?;
                    f(&row)?;
                    n += 1;
                }
            }
            Format::Jsonl => {
                let keys: Vec<String> = (self.columns.iter())
                    .map(|c| serde_json::to_string(c).unwrap_or_default())
                    .collect();
                let mut text = String::new();
                let mut r = BufReader::new(r);
                loop {
                    text.clear();
                    let got = r
                        .read_line(&mut text)
                        .map_err(SweepError::io("cannot read"))?;
                    if got == 0 {
                        break;
                    }
                    let line = text.trim_end_matches('\n');
                    let fields = json_fields(line, &keys)
                        .map_err(|e| layout_error(format!("line {}: {e}", first_line + n)))?;
                    self.fill(fields.into_iter().map(Some), &mut row, first_line + n)?;
                    f(&row)?;
                    n += 1;
                }
            }
        }
        Ok(n)
    }
}

/// The values of a JSON Lines row written by deter — `{"k1":v1,"k2":v2,…}` with exactly the
/// keys `keys` (JSON-encoded) in order — as text: strings decoded, numbers as written, `null`
/// as empty.
fn json_fields<'a>(
    line: &'a str,
    keys: &[String],
) -> Result<Vec<std::borrow::Cow<'a, str>>, String> {
    let mut rest = line
        .strip_prefix('{')
        .ok_or_else(|| "not a JSON object".to_string())?;
    let mut out = Vec::with_capacity(keys.len());
    for (k, key) in keys.iter().enumerate() {
        if k > 0 {
            rest = rest
                .strip_prefix(',')
                .ok_or_else(|| "fields are not separated by commas".to_string())?;
        }
        rest = rest
            .strip_prefix(key.as_str())
            .and_then(|r| r.strip_prefix(':'))
            .ok_or_else(|| format!("expected the key {key} here"))?;
        if rest.starts_with('"') {
            // The closing quote is the first one not escaped by a backslash.
            let b = rest.as_bytes();
            let mut i = 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            if i >= b.len() {
                return Err("a string is not closed".into());
            }
            let s: String = serde_json::from_str(&rest[..=i]).map_err(|e| e.to_string())?;
            out.push(std::borrow::Cow::Owned(s));
            rest = &rest[i + 1..];
        } else {
            let end = rest.find([',', '}']).unwrap_or(rest.len());
            let v = &rest[..end];
            out.push(std::borrow::Cow::Borrowed(if v == "null" { "" } else { v }));
            rest = &rest[end..];
        }
    }
    if rest != "}" {
        return Err("more keys than columns, or text after the object".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols(s: &str) -> Vec<String> {
        s.split(',').map(str::to_string).collect()
    }

    #[test]
    fn csv_and_jsonl_rows_read_back_exactly() {
        let c = cols(
            "index,T,outcome,path,payoff:A,event:war,question:q,n_equilibria,n_ties,max_regret",
        );
        let p = RowParser::new(Format::Csv, &c, 1).unwrap();
        let text = "7,0.1,\"a, b\",x → y,1.5,,lower,1,0,0\n";
        let mut got = Vec::new();
        p.for_each(text.as_bytes(), 2, |r| {
            got.push(r.clone());
            Ok(())
        })
        .unwrap();
        assert_eq!(got[0].index, 7);
        assert_eq!(got[0].axes, vec![0.1]);
        assert_eq!(got[0].outcome, "a, b");
        assert!(got[0].events[0].is_nan());
        assert_eq!(got[0].answer.as_deref(), Some("lower"));
        let p = RowParser::new(Format::Jsonl, &c, 1).unwrap();
        let text = "{\"index\":7,\"T\":0.1,\"outcome\":\"a, \\\"b\\\"\",\"path\":\"x\",\"payoff:A\":1.5,\"event:war\":null,\"question:q\":\"lower\",\"n_equilibria\":1,\"n_ties\":0,\"max_regret\":0}\n";
        let mut got = Vec::new();
        p.for_each(text.as_bytes(), 1, |r| {
            got.push(r.clone());
            Ok(())
        })
        .unwrap();
        assert_eq!(got[0].outcome, "a, \"b\"");
        assert_eq!(got[0].payoffs, vec![1.5]);
        // An extra key or field is refused.
        let extra = text.replace("\"max_regret\":0}", "\"max_regret\":0,\"x\":1}");
        assert!(p.for_each(extra.as_bytes(), 1, |_| Ok(())).is_err());
        let p = RowParser::new(Format::Csv, &c, 1).unwrap();
        assert!(p
            .for_each("7,0.1,a,b,1,2,x,1,0,0,9\n".as_bytes(), 1, |_| Ok(()))
            .is_err());
        assert!(RowParser::new(Format::Csv, &cols("index,outcome"), 1).is_err());
    }
}
