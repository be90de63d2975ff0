//! A fast reader for the TOML of model files: one pass over the text into a compact document.
//!
//! The `toml` crate's span-keeping parser first turns the whole text into a vector of tokens,
//! then builds a document of hash maps: about 4 KB and tens of thousands of instructions per
//! node of a model, 4 GB and 15 s of CPU for a model of 10^6 nodes. Model files use a small,
//! regular part of TOML: this reader handles that part in one pass, borrowing strings from the
//! text, with the spans `toml` gives (so diagnostics point at the same places). Anything else
//! it declines rather than guess — arrays of tables, multi-line strings, dates, numbers that
//! are not plain decimals, inline tables over several lines, any syntax error or redefinition
//! — and the caller reads the text with `toml` instead ([`Document::from_toml`]), which
//! reports the errors as before.

use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::ops::Range;

/// A value with its byte range in the text (as `toml::Spanned`).
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    start: u32,
    end: u32,
    value: T,
}

impl<T> Spanned<T> {
    fn new(span: Range<usize>, value: T) -> Self {
        // Texts over 4 GiB are declined before parsing (`parse`), so offsets fit.
        Spanned {
            start: span.start as u32,
            end: span.end as u32,
            value,
        }
    }

    /// The value.
    pub fn get_ref(&self) -> &T {
        &self.value
    }

    /// Its byte range in the text.
    pub fn span(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// A number as written, without its underscores (and with a radix prefix `0x` for integers), as
/// `toml`'s `DeInteger` and `DeFloat`.
#[derive(Clone, Debug, PartialEq)]
pub struct Number<'i>(Cow<'i, str>, u32);

impl Number<'_> {
    /// The number's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The radix of an integer (10 for floats).
    pub fn radix(&self) -> u32 {
        self.1
    }
}

/// A TOML value (the variants of `toml::de::DeValue`).
#[derive(Clone, Debug, PartialEq)]
pub enum DeValue<'i> {
    /// A string.
    String(Cow<'i, str>),
    /// An integer.
    Integer(Number<'i>),
    /// A float.
    Float(Number<'i>),
    /// A boolean.
    Boolean(bool),
    /// A date or time, as written.
    Datetime(String),
    /// An array.
    Array(Vec<Spanned<DeValue<'i>>>),
    /// A table.
    Table(DeTable<'i>),
}

/// How a table came to be, which decides whether later lines may add to it.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    /// Named on the way to a header's table (`a` in `[a.b]`).
    Implicit,
    /// Defined by a header.
    Header,
    /// Made by a dotted key (`a` in `a.b = 1`).
    Dotted,
    /// Written inline, `{ … }`: closed.
    Inline,
}

/// Tables longer than this keep a hash index of their keys.
const INDEXED: usize = 16;

/// A table, its entries in the order written (as `toml::de::DeTable` with `preserve_order`).
#[derive(Clone, Debug)]
pub struct DeTable<'i> {
    entries: Vec<(Spanned<Cow<'i, str>>, Spanned<DeValue<'i>>)>,
    index: Option<Box<FxHashMap<Box<str>, u32>>>,
    kind: Kind,
}

impl PartialEq for DeTable<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries
    }
}

impl<'i> DeTable<'i> {
    fn new(kind: Kind) -> Self {
        DeTable {
            entries: Vec::new(),
            index: None,
            kind,
        }
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Spanned<DeValue<'i>>> {
        self.position(key).map(|i| &self.entries[i].1)
    }

    /// The entries in order.
    pub fn iter(
        &self,
    ) -> impl Iterator<Item = (&Spanned<Cow<'i, str>>, &Spanned<DeValue<'i>>)> + '_ {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    fn position(&self, key: &str) -> Option<usize> {
        match &self.index {
            Some(ix) => ix.get(key).map(|&i| i as usize),
            None => self.entries.iter().position(|(k, _)| k.value == key),
        }
    }

    fn push(&mut self, key: Spanned<Cow<'i, str>>, value: Spanned<DeValue<'i>>) -> usize {
        let i = self.entries.len();
        if let Some(ix) = &mut self.index {
            ix.insert(key.value.as_ref().into(), i as u32);
        }
        self.entries.push((key, value));
        if self.index.is_none() && self.entries.len() > INDEXED {
            let ix = self
                .entries
                .iter()
                .enumerate()
                .map(|(j, (k, _))| (k.value.as_ref().into(), j as u32))
                .collect();
            self.index = Some(Box::new(ix));
        }
        i
    }

    fn table_mut(&mut self, i: usize) -> Option<&mut DeTable<'i>> {
        match &mut self.entries[i].1.value {
            DeValue::Table(t) => Some(t),
            _ => None,
        }
    }
}

/// `toml`'s document, as a [`DeTable`] (for texts the fast reader declines).
pub fn from_toml<'i>(doc: toml::Spanned<toml::de::DeTable<'_>>) -> Spanned<DeTable<'i>> {
    fn value<'i>(v: &toml::Spanned<toml::de::DeValue<'_>>) -> Spanned<DeValue<'i>> {
        use toml::de::DeValue as T;
        let x = match v.get_ref() {
            T::String(s) => DeValue::String(Cow::Owned(s.to_string())),
            T::Integer(i) => {
                DeValue::Integer(Number(Cow::Owned(i.as_str().to_string()), i.radix()))
            }
            T::Float(f) => DeValue::Float(Number(Cow::Owned(f.as_str().to_string()), 10)),
            T::Boolean(b) => DeValue::Boolean(*b),
            T::Datetime(d) => DeValue::Datetime(d.to_string()),
            T::Array(a) => DeValue::Array(a.iter().map(value).collect()),
            T::Table(t) => DeValue::Table(table(t)),
        };
        Spanned::new(v.span(), x)
    }
    fn table<'i>(t: &toml::de::DeTable<'_>) -> DeTable<'i> {
        let mut out = DeTable::new(Kind::Header);
        for (k, v) in t.iter() {
            let key = Spanned::new(k.span(), Cow::Owned(k.get_ref().to_string()));
            out.push(key, value(v));
        }
        out
    }
    Spanned::new(doc.span(), table(doc.get_ref()))
}

/// Why the fast reader declined a text (the caller falls back to `toml`).
#[derive(Debug)]
pub struct Declined;

type R<T> = Result<T, Declined>;

/// Reads `text` as TOML, or declines (see the module documentation).
pub fn parse(text: &str) -> R<Spanned<DeTable<'_>>> {
    if text.len() >= u32::MAX as usize || text.starts_with('\u{feff}') {
        return Err(Declined);
    }
    let mut p = Parser {
        text,
        b: text.as_bytes(),
        pos: 0,
    };
    let mut root = DeTable::new(Kind::Header);
    // The path of the table that key/value lines go into.
    let mut current: Vec<usize> = Vec::new();
    loop {
        p.skip_blank_lines()?;
        let Some(c) = p.peek() else { break };
        if c == b'[' {
            current = p.header(&mut root)?;
        } else {
            let table = descend(&mut root, &current)?;
            p.key_value(table)?;
        }
        p.end_of_line()?;
    }
    root.entries.shrink_to_fit();
    Ok(Spanned::new(0..0, root))
}

/// The table at `path` below `root`.
fn descend<'a, 'i>(root: &'a mut DeTable<'i>, path: &[usize]) -> R<&'a mut DeTable<'i>> {
    let mut t = root;
    for &i in path {
        t = t.table_mut(i).ok_or(Declined)?;
    }
    Ok(t)
}

struct Parser<'i> {
    text: &'i str,
    b: &'i [u8],
    pos: usize,
}

fn is_bare(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

impl<'i> Parser<'i> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t') = self.peek() {
            self.pos += 1;
        }
    }

    /// A comment, from `#` to the end of the line (not included).
    fn comment(&mut self) -> R<()> {
        if self.peek() != Some(b'#') {
            return Ok(());
        }
        while let Some(c) = self.peek() {
            match c {
                b'\n' => break,
                b'\r' => break,
                b'\t' => {}
                0..=0x1f | 0x7f => return Err(Declined),
                _ => {}
            }
            self.pos += 1;
        }
        Ok(())
    }

    /// A newline (`\n` or `\r\n`), or `false` if there is none here.
    fn newline(&mut self) -> R<bool> {
        match self.peek() {
            Some(b'\n') => {
                self.pos += 1;
                Ok(true)
            }
            Some(b'\r') if self.b.get(self.pos + 1) == Some(&b'\n') => {
                self.pos += 2;
                Ok(true)
            }
            Some(b'\r') => Err(Declined),
            _ => Ok(false),
        }
    }

    fn skip_blank_lines(&mut self) -> R<()> {
        loop {
            self.skip_ws();
            self.comment()?;
            if !self.newline()? {
                return Ok(());
            }
        }
    }

    /// Spaces, a comment, then a newline or the end of the text.
    fn end_of_line(&mut self) -> R<()> {
        self.skip_ws();
        self.comment()?;
        if self.pos == self.b.len() || self.newline()? {
            Ok(())
        } else {
            Err(Declined)
        }
    }

    /// One key (bare, or a quoted string without escapes), with its span.
    fn key(&mut self) -> R<Spanned<Cow<'i, str>>> {
        let start = self.pos;
        match self.peek() {
            Some(q @ (b'"' | b'\'')) => {
                self.pos += 1;
                let from = self.pos;
                loop {
                    match self.peek() {
                        Some(c) if c == q => break,
                        Some(b'\\') if q == b'"' => return Err(Declined),
                        Some(b'\t') => {}
                        Some(0..=0x1f | 0x7f) | None => return Err(Declined),
                        Some(_) => {}
                    }
                    self.pos += 1;
                }
                let s = &self.text[from..self.pos];
                self.pos += 1;
                Ok(Spanned::new(start..self.pos, Cow::Borrowed(s)))
            }
            Some(c) if is_bare(c) => {
                while self.peek().is_some_and(is_bare) {
                    self.pos += 1;
                }
                Ok(Spanned::new(
                    start..self.pos,
                    Cow::Borrowed(&self.text[start..self.pos]),
                ))
            }
            _ => Err(Declined),
        }
    }

    /// A dotted key `a . b . c` (at least one part).
    fn key_path(&mut self) -> R<Vec<Spanned<Cow<'i, str>>>> {
        let mut path = vec![self.key()?];
        loop {
            self.skip_ws();
            if self.peek() != Some(b'.') {
                return Ok(path);
            }
            self.pos += 1;
            self.skip_ws();
            path.push(self.key()?);
        }
    }

    /// A table header `[a.b]`; returns the path of the new table.
    fn header(&mut self, root: &mut DeTable<'i>) -> R<Vec<usize>> {
        let start = self.pos;
        self.pos += 1;
        if self.peek() == Some(b'[') {
            return Err(Declined);
        }
        self.skip_ws();
        let mut keys = self.key_path()?;
        if self.peek() != Some(b']') {
            return Err(Declined);
        }
        self.pos += 1;
        let span = start..self.pos;
        // `key_path` returns at least one key.
        let last = keys.pop().ok_or(Declined)?;
        let mut path = Vec::with_capacity(keys.len() + 1);
        let mut t = root;
        for k in keys {
            let i = match t.position(&k.value) {
                Some(i) => i,
                None => {
                    let span = k.span();
                    t.push(
                        k,
                        Spanned::new(span, DeValue::Table(DeTable::new(Kind::Implicit))),
                    )
                }
            };
            path.push(i);
            t = match t.table_mut(i) {
                Some(x) if matches!(x.kind, Kind::Implicit | Kind::Header) => x,
                _ => return Err(Declined),
            };
        }
        if t.position(&last.value).is_some() {
            return Err(Declined);
        }
        path.push(t.push(
            last,
            Spanned::new(span, DeValue::Table(DeTable::new(Kind::Header))),
        ));
        Ok(path)
    }

    /// `key = value` into `table` (dotted keys make tables on the way).
    fn key_value(&mut self, table: &mut DeTable<'i>) -> R<()> {
        let mut keys = self.key_path()?;
        if self.peek() != Some(b'=') {
            return Err(Declined);
        }
        self.pos += 1;
        self.skip_ws();
        let value = self.value()?;
        let last = keys.pop().ok_or(Declined)?;
        let mut t = table;
        for k in keys {
            let i = match t.position(&k.value) {
                Some(i) => i,
                None => {
                    let span = k.span();
                    t.push(
                        k,
                        Spanned::new(span, DeValue::Table(DeTable::new(Kind::Dotted))),
                    )
                }
            };
            t = match t.table_mut(i) {
                Some(x) if x.kind == Kind::Dotted => x,
                _ => return Err(Declined),
            };
        }
        if t.position(&last.value).is_some() {
            return Err(Declined);
        }
        t.push(last, value);
        Ok(())
    }

    fn value(&mut self) -> R<Spanned<DeValue<'i>>> {
        let start = self.pos;
        let v = match self.peek() {
            Some(b'"') => DeValue::String(self.basic_string()?),
            Some(b'\'') => DeValue::String(self.literal_string()?),
            Some(b'[') => DeValue::Array(self.array()?),
            Some(b'{') => DeValue::Table(self.inline_table()?),
            Some(b't') if self.word("true") => DeValue::Boolean(true),
            Some(b'f') if self.word("false") => DeValue::Boolean(false),
            Some(b'+' | b'-' | b'0'..=b'9') => self.number()?,
            _ => return Err(Declined),
        };
        Ok(Spanned::new(start..self.pos, v))
    }

    /// `w` followed by a delimiter; consumed if so.
    fn word(&mut self, w: &str) -> bool {
        let end = self.pos + w.len();
        if self.b.get(self.pos..end) == Some(w.as_bytes())
            && self.b.get(end).is_none_or(|&c| !is_bare(c) && c != b'.')
        {
            self.pos = end;
            true
        } else {
            false
        }
    }

    fn basic_string(&mut self) -> R<Cow<'i, str>> {
        self.pos += 1;
        if self.b.get(self.pos..self.pos + 2) == Some(b"\"\"") {
            return Err(Declined);
        }
        let from = self.pos;
        let mut owned: Option<String> = None;
        let mut run = from;
        loop {
            match self.peek() {
                Some(b'"') => break,
                Some(b'\\') => {
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(&self.text[run..self.pos]);
                    self.pos += 1;
                    let c = match self.peek() {
                        Some(b'b') => '\u{8}',
                        Some(b't') => '\t',
                        Some(b'n') => '\n',
                        Some(b'f') => '\u{c}',
                        Some(b'r') => '\r',
                        Some(b'e') => '\u{1b}',
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(u @ (b'u' | b'U')) => {
                            let n = if u == b'u' { 4 } else { 8 };
                            let hex = self
                                .text
                                .get(self.pos + 1..self.pos + 1 + n)
                                .ok_or(Declined)?;
                            if !hex.bytes().all(|h| h.is_ascii_hexdigit()) {
                                return Err(Declined);
                            }
                            let code = u32::from_str_radix(hex, 16).map_err(|_| Declined)?;
                            self.pos += n;
                            char::from_u32(code).ok_or(Declined)?
                        }
                        _ => return Err(Declined),
                    };
                    s.push(c);
                    self.pos += 1;
                    run = self.pos;
                    continue;
                }
                Some(b'\t') => {}
                Some(0..=0x1f | 0x7f) | None => return Err(Declined),
                Some(_) => {}
            }
            self.pos += 1;
        }
        let s = match owned {
            Some(mut s) => {
                s.push_str(&self.text[run..self.pos]);
                Cow::Owned(s)
            }
            None => Cow::Borrowed(&self.text[from..self.pos]),
        };
        self.pos += 1;
        Ok(s)
    }

    fn literal_string(&mut self) -> R<Cow<'i, str>> {
        self.pos += 1;
        if self.b.get(self.pos..self.pos + 2) == Some(b"''") {
            return Err(Declined);
        }
        let from = self.pos;
        loop {
            match self.peek() {
                Some(b'\'') => break,
                Some(b'\t') => {}
                Some(0..=0x1f | 0x7f) | None => return Err(Declined),
                Some(_) => {}
            }
            self.pos += 1;
        }
        let s = &self.text[from..self.pos];
        self.pos += 1;
        Ok(Cow::Borrowed(s))
    }

    /// Blanks inside an array: spaces, newlines and comments.
    fn skip_array_blanks(&mut self) -> R<()> {
        loop {
            self.skip_ws();
            self.comment()?;
            if !self.newline()? {
                return Ok(());
            }
        }
    }

    fn array(&mut self) -> R<Vec<Spanned<DeValue<'i>>>> {
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.skip_array_blanks()?;
            if self.peek() == Some(b']') {
                break;
            }
            items.push(self.value()?);
            self.skip_array_blanks()?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => break,
                _ => return Err(Declined),
            }
        }
        self.pos += 1;
        items.shrink_to_fit();
        Ok(items)
    }

    /// `{ k = v, … }` on one line, without a trailing comma.
    fn inline_table(&mut self) -> R<DeTable<'i>> {
        self.pos += 1;
        let mut t = DeTable::new(Kind::Inline);
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(t);
        }
        loop {
            self.skip_ws();
            self.key_value(&mut t)?;
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => break,
                _ => return Err(Declined),
            }
        }
        self.pos += 1;
        t.entries.shrink_to_fit();
        Ok(t)
    }

    /// A decimal integer or float (`-1_000`, `0.25`, `1e-3`); other forms are declined.
    fn number(&mut self) -> R<DeValue<'i>> {
        let start = self.pos;
        if let Some(b'+' | b'-') = self.peek() {
            self.pos += 1;
        }
        let int_start = self.pos;
        self.digits()?;
        let int = &self.b[int_start..self.pos];
        if int.len() > 1 && int[0] == b'0' {
            // Leading zeros, `0x…`, and dates (`2024-01-01`) are not read here.
            return Err(Declined);
        }
        let mut float = false;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            self.digits()?;
            float = true;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            self.digits()?;
            float = true;
        }
        match self.peek() {
            None | Some(b' ' | b'\t' | b',' | b']' | b'}' | b'#' | b'\n' | b'\r') => {}
            _ => return Err(Declined),
        }
        let s = &self.text[start..self.pos];
        let clean = if s.contains('_') {
            Cow::Owned(s.replace('_', ""))
        } else {
            Cow::Borrowed(s)
        };
        if float {
            match clean.parse::<f64>() {
                Ok(x) if x.is_finite() => Ok(DeValue::Float(Number(clean, 10))),
                _ => Err(Declined),
            }
        } else {
            clean.parse::<i64>().map_err(|_| Declined)?;
            Ok(DeValue::Integer(Number(clean, 10)))
        }
    }

    /// Digits with single underscores between them (at least one digit).
    fn digits(&mut self) -> R<()> {
        let mut prev_digit = false;
        let start = self.pos;
        while let Some(c) = self.peek() {
            match c {
                b'0'..=b'9' => prev_digit = true,
                b'_' if prev_digit && self.b.get(self.pos + 1).is_some_and(u8::is_ascii_digit) => {
                    prev_digit = false
                }
                _ => break,
            }
            self.pos += 1;
        }
        if self.pos == start {
            Err(Declined)
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `toml`'s reading of `text`: the document, if there were no errors.
    fn oracle(text: &str) -> Option<Spanned<DeTable<'static>>> {
        let (doc, errors) = toml::de::DeTable::parse_recoverable(text);
        errors.is_empty().then(|| from_toml(doc))
    }

    /// Accepted texts read as `toml` reads them; declined ones are only texts `toml` may
    /// reject or that are outside the fast reader's part of TOML.
    fn agrees(text: &str) -> bool {
        match parse(text) {
            Ok(doc) => {
                let want = oracle(text);
                assert!(want.is_some(), "accepted a text toml rejects:\n{text}");
                assert!(want.unwrap() == doc, "read differently from toml:\n{text}");
                true
            }
            Err(Declined) => false,
        }
    }

    fn model_texts() -> Vec<(String, String)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut out = Vec::new();
        let mut dirs = vec![root.join("models"), root.join("tests")];
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(&d).expect("model directory").flatten() {
                let p = e.path();
                if p.is_dir() {
                    dirs.push(p);
                } else if p.extension().is_some_and(|x| x == "toml") {
                    let text = std::fs::read_to_string(&p).expect("model file");
                    out.push((p.display().to_string(), text));
                }
            }
        }
        out.sort();
        out
    }

    #[test]
    fn every_model_file_reads_as_toml_reads_it() {
        let texts = model_texts();
        let shipped = format!("{}/models/", env!("CARGO_MANIFEST_DIR"));
        assert!(texts.len() > 20, "only {} model files found", texts.len());
        let mut accepted = 0;
        for (name, text) in &texts {
            if agrees(text) {
                accepted += 1;
            } else {
                assert!(
                    !name.starts_with(&shipped),
                    "declined a shipped model: {name}"
                );
            }
        }
        assert!(accepted * 2 > texts.len(), "{accepted} of {}", texts.len());
    }

    #[test]
    fn damaged_model_files_are_read_as_toml_reads_them_or_declined() {
        let pieces = [
            "",
            "\"",
            "'",
            "[",
            "]",
            "{",
            "}",
            ",",
            "=",
            ".",
            "#",
            "\n",
            "\r",
            "\t",
            " ",
            "_",
            "0",
            "1",
            "-",
            "+",
            "e",
            "x",
            "\\",
            "\\u00e9",
            "\\q",
            "[[",
            "\"\"\"",
            "1979-05-27",
            "inf",
            "0x1F",
            "true",
            "a.b",
            "\u{1}",
            "é",
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut accepted = 0;
        let mut tried = 0;
        let shipped = format!("{}/models/", env!("CARGO_MANIFEST_DIR"));
        for (_, text) in model_texts()
            .iter()
            .filter(|(n, _)| n.starts_with(&shipped))
        {
            for _ in 0..400 {
                let mut t = text.clone();
                for _ in 0..1 + next() % 2 {
                    let mut at = (next() % (t.len() as u64 + 1)) as usize;
                    while !t.is_char_boundary(at) {
                        at -= 1;
                    }
                    let mut end = at + (next() % 3) as usize;
                    while end > t.len() || !t.is_char_boundary(end) {
                        end -= 1;
                    }
                    let piece = pieces[(next() % pieces.len() as u64) as usize];
                    t.replace_range(at..end, piece);
                }
                tried += 1;
                accepted += usize::from(agrees(&t));
            }
        }
        // Most damage leaves a valid file (a comment or a string changed): those are read.
        assert!(accepted > tried / 5, "{accepted} of {tried} accepted");
    }

    #[test]
    fn the_part_of_toml_read_here() {
        for text in [
            "a = 1\nb = -2_000\nc = 0.5\nd = 1e-3\ne = +3.25E+2\nf = true\ng = false\n",
            "s = \"x \\\"q\\\" \\u00e9 \\n\"\nl = 'C:\\path'\n\"k y\" = 1\n'z' = 2\n",
            "arr = [1, 2,\n  3, # three\n]\nnested = [[1], [\"a\", 'b'], []]\n",
            "[t]\nx = { y.z = 3, \"w\" = 4 }\n[u.v.w]\n[u.v.x]\np.q = 1\np.r = 2\n",
            "# comment\r\n[a]\r\nb = { }\r\n",
            "[nodes.n1]\nplayer = \"P\"\nmoves = { a = { to = \"o1\" }, b = { to = \"o2\" } }\n",
        ] {
            assert!(agrees(text), "declined:\n{text}");
        }
        for text in [
            "a = 1\na = 2\n",
            "[a]\n[a]\n",
            "a = { b = 1 }\n[a.c]\n",
            "a.b = 1\n[a]\n",
            "a = 0x10\n",
            "a = 1979-05-27\n",
            "a = \"\"\"x\"\"\"\n",
            "[[a]]\n",
            "a = { b = 1, }\n",
            "a = { b = 1,\n c = 2 }\n",
            "a = 99999999999999999999\n",
            "a = 01\n",
            "a = 1__0\n",
            "a = \"\\q\"\n",
            "a = 1 b = 2\n",
            "a = inf\n",
            "\u{feff}a = 1\n",
        ] {
            assert!(!agrees(text), "accepted:\n{text}");
        }
    }
}
