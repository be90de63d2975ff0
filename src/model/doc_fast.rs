//! A hand-written reader for the ordinary TOML of model files, driving `model::doc`'s builder
//! directly.
//!
//! Lexing and parsing through `toml_parser` (a token per space or punctuation mark, then an event
//! per token, then the builder reading the events) costs about as much as everything after it
//! on a big model file. This reader walks the bytes once and calls the same builder methods the
//! event reader calls, in the same order, so the document is the same, node for node.
//!
//! It reads a strict subset of TOML: headers (`[a.b]`, `[[a]]`), keys (bare, or quoted without
//! being multi-line), inline tables and arrays (with comments and line breaks where `toml`
//! allows them), one-line strings, decimal, hexadecimal, octal and binary integers, decimal
//! floats, `inf`/`nan` and booleans. Whatever else it meets (dates, multi-line strings, a byte
//! order mark, deep nesting, any syntax error) and any error of the table rules (a key defined
//! twice) makes it give up on the whole text, and `doc::parse` reads it again through
//! `toml_parser`, so every error keeps its message and place. Strings with escapes are decoded
//! by `toml_parser`'s own decoder (any error there gives up as well).

use super::{Builder, Header, KeyTok, Kind, Node, TRUE};
use std::borrow::Cow;
use toml_parser::decoder::{Encoding, ScalarKind};
use toml_parser::{ErrorSink, ParseError, Raw, Span};

/// Nesting of arrays and inline tables (and dotted-key length) past which the text is left to
/// `toml_parser`, well below its recursion limit.
const DEPTH: usize = 32;

/// Gives up: the text is read again through `toml_parser`.
type R<T> = Option<T>;

/// Notes whether the decoder reported an error.
struct Failed(bool);

impl ErrorSink for Failed {
    fn report_error(&mut self, _: ParseError) {
        self.0 = true;
    }
}

/// Bytes that end a bare key or a number (`toml_parser`'s token starts, without the dot).
fn ends_atom(b: u8) -> bool {
    matches!(
        b,
        b'=' | b',' | b'[' | b']' | b'{' | b'}' | b' ' | b'\t' | b'#' | b'\r' | b'\n'
    )
}

/// The bytes of bare keys: `A-Z a-z 0-9 - _`.
static BARE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || c == b'-' || c == b'_';
        b += 1;
    }
    t
};

/// A character a one-line basic string may hold as written.
const fn basic_plain(b: u8) -> bool {
    b == b'\t' || (b >= 0x20 && b != b'"' && b != b'\\' && b != 0x7f)
}

/// [`basic_plain`] as a table.
static BASIC_PLAIN: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = basic_plain(b as u8);
        b += 1;
    }
    t
};

/// A character a literal string (or a comment) may hold.
fn literal_plain(b: u8) -> bool {
    b == b'\t' || (b >= 0x20 && b != b'\'' && b != 0x7f)
}

/// Reads `src` into `b` (a fresh builder); `None` when the text is not one this reader takes
/// or has any error.
pub(super) fn read<'s>(b: &mut Builder<'s>, src: &'s str) -> R<()> {
    let mut r = Reader {
        src,
        s: src.as_bytes(),
        pos: 0,
        b,
    };
    if r.s.starts_with(b"\xEF\xBB\xBF") {
        return None;
    }
    r.document()?;
    r.b.finish_table();
    if r.b.errors.list.is_empty() {
        Some(())
    } else {
        None
    }
}

struct Reader<'a, 's> {
    src: &'s str,
    s: &'s [u8],
    pos: usize,
    b: &'a mut Builder<'s>,
}

impl<'s> Reader<'_, 's> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        let mut i = self.pos;
        while i < self.s.len() && (self.s[i] == b' ' || self.s[i] == b'\t') {
            i += 1;
        }
        self.pos = i;
    }

    /// A comment from its `#` up to (not including) the line end.
    fn comment(&mut self) -> R<()> {
        self.pos += 1;
        while let Some(c) = self.peek() {
            if c == b'\n' || c == b'\r' {
                break;
            }
            if !literal_plain(c) && c != b'\'' {
                return None;
            }
            self.pos += 1;
        }
        Some(())
    }

    /// A line break, if one is here.
    fn newline(&mut self) -> R<bool> {
        match self.peek() {
            Some(b'\n') => {
                self.pos += 1;
                Some(true)
            }
            Some(b'\r') => {
                if self.s.get(self.pos + 1) != Some(&b'\n') {
                    return None;
                }
                self.pos += 2;
                Some(true)
            }
            _ => Some(false),
        }
    }

    /// Spaces, comments and line breaks (inside arrays and inline tables).
    fn skip_wcn(&mut self) -> R<()> {
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b'#') => self.comment()?,
                Some(b'\n' | b'\r') => {
                    self.newline()?;
                }
                _ => return Some(()),
            }
        }
    }

    /// The rest of a line after a header or a key-value pair.
    fn line_end(&mut self) -> R<()> {
        self.skip_ws();
        if self.peek() == Some(b'#') {
            self.comment()?;
        }
        if self.pos == self.s.len() || self.newline()? {
            Some(())
        } else {
            None
        }
    }

    fn document(&mut self) -> R<()> {
        loop {
            self.skip_ws();
            match self.peek() {
                None => return Some(()),
                Some(b'\n' | b'\r') => {
                    self.newline()?;
                }
                Some(b'#') => self.comment()?,
                Some(b'[') => {
                    let header = self.header()?;
                    self.line_end()?;
                    self.b.finish_table();
                    self.b.start_table(header);
                }
                Some(_) => {
                    let (path, key) = self.key()?;
                    self.skip_ws();
                    if self.peek() != Some(b'=') {
                        return None;
                    }
                    self.pos += 1;
                    self.skip_ws();
                    let value = self.value(0)?;
                    self.line_end()?;
                    self.b.capture_key_value(path, key, value);
                }
            }
        }
    }

    fn header(&mut self) -> R<Header<'s>> {
        let start = self.pos;
        let is_array = self.s.get(self.pos + 1) == Some(&b'[');
        self.pos += if is_array { 2 } else { 1 };
        self.skip_ws();
        let (path, key) = self.key()?;
        self.skip_ws();
        let close: &[u8] = if is_array { b"]]" } else { b"]" };
        if !self.s[self.pos..].starts_with(close) {
            return None;
        }
        self.pos += close.len();
        Some(Header {
            path,
            key: Some(key),
            span: Span::new_unchecked(start, self.pos),
            is_array,
        })
    }

    /// A dotted key: the tables on the way and the last key.
    fn key(&mut self) -> R<(Vec<KeyTok<'s>>, KeyTok<'s>)> {
        let mut path = Vec::new();
        let mut key = self.simple_key()?;
        loop {
            let save = self.pos;
            self.skip_ws();
            if self.peek() != Some(b'.') {
                self.pos = save;
                return Some((path, key));
            }
            self.pos += 1;
            self.skip_ws();
            if path.capacity() == 0 {
                path = std::mem::take(&mut self.b.spare);
            }
            path.push(key);
            if path.len() > DEPTH {
                return None;
            }
            key = self.simple_key()?;
        }
    }

    fn simple_key(&mut self) -> R<KeyTok<'s>> {
        let start = self.pos;
        match self.peek()? {
            b'"' | b'\'' => {
                let text = self.string()?;
                Some(KeyTok {
                    span: Span::new_unchecked(start, self.pos),
                    text,
                })
            }
            _ => {
                let mut i = start;
                while i < self.s.len() && BARE[usize::from(self.s[i])] {
                    i += 1;
                }
                self.pos = i;
                if self.pos == start || self.peek().is_some_and(|c| !ends_atom(c) && c != b'.') {
                    return None;
                }
                Some(KeyTok {
                    span: Span::new_unchecked(start, self.pos),
                    text: Cow::Borrowed(&self.src[start..self.pos]),
                })
            }
        }
    }

    /// A one-line basic or literal string at `pos`, decoded (borrowed from the text when it has
    /// no escapes).
    fn string(&mut self) -> R<Cow<'s, str>> {
        let start = self.pos;
        let quote = self.s[start];
        if self.s[start..].starts_with(if quote == b'"' { b"\"\"\"" } else { b"'''" }) {
            return None;
        }
        self.pos += 1;
        if quote == b'\'' {
            while let Some(c) = self.peek() {
                if c == b'\'' {
                    self.pos += 1;
                    return Some(Cow::Borrowed(&self.src[start + 1..self.pos - 1]));
                }
                if !literal_plain(c) {
                    return None;
                }
                self.pos += 1;
            }
            return None;
        }
        // Plain characters up to the closing quote, most often.
        let mut i = self.pos;
        while i < self.s.len() && BASIC_PLAIN[usize::from(self.s[i])] {
            i += 1;
        }
        self.pos = i;
        let mut escaped = false;
        loop {
            let c = self.peek()?;
            match c {
                b'"' => {
                    self.pos += 1;
                    break;
                }
                b'\\' => {
                    // As `toml_parser`'s lexer: `\\` and `\"` do not end the string.
                    escaped = true;
                    self.pos += 1;
                    if let Some(b'\\' | b'"') = self.peek() {
                        self.pos += 1;
                    }
                }
                b'\n' => return None,
                _ => {
                    if !escaped && !basic_plain(c) {
                        return None;
                    }
                    self.pos += 1;
                }
            }
        }
        let raw = &self.src[start..self.pos];
        if !escaped {
            return Some(Cow::Borrowed(&raw[1..raw.len() - 1]));
        }
        let raw = Raw::new_unchecked(
            raw,
            Some(Encoding::BasicString),
            Span::new_unchecked(start, self.pos),
        );
        let mut out = Cow::Borrowed("");
        let mut failed = Failed(false);
        let kind = raw.decode_scalar(&mut out, &mut failed);
        (kind == ScalarKind::String && !failed.0).then_some(out)
    }

    /// A value; returns its node.
    fn value(&mut self, depth: usize) -> R<u32> {
        let start = self.pos;
        match self.peek()? {
            b'"' | b'\'' => {
                let text = self.string()?;
                let mut n = Node::new(Kind::String, [start as u32, self.pos as u32]);
                self.b.store_text(&mut n, &text);
                Some(self.b.push(n))
            }
            b'[' => self.array(depth + 1),
            b'{' => self.inline_table(depth + 1),
            _ => self.scalar(),
        }
    }

    fn array(&mut self, depth: usize) -> R<u32> {
        if depth > DEPTH {
            return None;
        }
        let start = self.pos;
        self.pos += 1;
        let array = self.b.push(Node::new(Kind::Array, [start as u32, 0]));
        loop {
            self.skip_wcn()?;
            if self.peek() == Some(b']') {
                break;
            }
            let v = self.value(depth)?;
            self.b.push_child(array, v);
            if self.after_item(b']')? {
                break;
            }
        }
        Some(self.close(array))
    }

    /// After an array's element or an inline table's entry: a comma (`false`, more follow) or
    /// the closing bracket `close` (`true`, left for [`Reader::close`]); anything else fails.
    fn after_item(&mut self, close: u8) -> R<bool> {
        self.skip_wcn()?;
        match self.peek() {
            Some(b',') => {
                self.pos += 1;
                Some(false)
            }
            Some(c) if c == close => Some(true),
            _ => None,
        }
    }

    /// Steps over the closing bracket of `node` (an array or an inline table) and ends its
    /// span there.
    fn close(&mut self, node: u32) -> u32 {
        self.pos += 1;
        self.b.doc.nodes[node as usize].span[1] = self.pos as u32;
        node
    }

    fn inline_table(&mut self, depth: usize) -> R<u32> {
        if depth > DEPTH {
            return None;
        }
        let start = self.pos;
        self.pos += 1;
        let mut n = Node::new(Kind::Table, [start as u32, 0]);
        n.flags = super::INLINE;
        let table = self.b.push(n);
        loop {
            self.skip_wcn()?;
            if self.peek() == Some(b'}') {
                break;
            }
            let (path, key) = self.key()?;
            self.skip_ws();
            if self.peek() != Some(b'=') {
                return None;
            }
            self.pos += 1;
            self.skip_ws();
            let value = self.value(depth)?;
            // As `Builder::inline_entry`.
            let t = if path.is_empty() {
                table
            } else {
                self.b.descend_inline(table, &path)?
            };
            self.b.insert_key(t, !path.is_empty(), &key, value);
            if self.after_item(b'}')? {
                break;
            }
        }
        Some(self.close(table))
    }

    /// A number or a boolean.
    fn scalar(&mut self) -> R<u32> {
        let start = self.pos;
        while self.peek().is_some_and(|c| !ends_atom(c)) {
            self.pos += 1;
        }
        let text = &self.src[start..self.pos];
        let mut n = Node::new(Kind::Integer, [start as u32, self.pos as u32]);
        match text {
            "true" | "false" => {
                n.kind = Kind::Boolean;
                if text == "true" {
                    n.flags |= TRUE;
                }
                return Some(self.b.push(n));
            }
            "inf" | "+inf" | "-inf" | "nan" | "+nan" | "-nan" => {
                n.kind = Kind::Float;
                self.b.store_text(&mut n, text);
                return Some(self.b.push(n));
            }
            _ => {}
        }
        let (kind, radix, digits) = number(text.as_bytes())?;
        n.kind = kind;
        n.extra = radix;
        let digits = &text[digits..];
        if digits.contains('_') {
            self.b.store_text(&mut n, &digits.replace('_', ""));
        } else {
            self.b.store_text(&mut n, digits);
        }
        Some(self.b.push(n))
    }
}

/// Digits with single underscores between them (at least one digit), from `i`; where they end.
fn digits(s: &[u8], mut i: usize, ok: fn(u8) -> bool) -> R<usize> {
    if !s.get(i).copied().is_some_and(ok) {
        return None;
    }
    i += 1;
    loop {
        match s.get(i).copied() {
            Some(b'_') => {
                if !s.get(i + 1).copied().is_some_and(ok) {
                    return None;
                }
                i += 2;
            }
            Some(c) if ok(c) => i += 1,
            _ => return Some(i),
        }
    }
}

/// A number literal as TOML writes it: its kind, radix and where its decoded text starts (after
/// a radix prefix). `None` for anything else (dates among them).
fn number(s: &[u8]) -> R<(Kind, u8, usize)> {
    let radix = |r: u8, ok: fn(u8) -> bool| {
        let end = digits(s, 2, ok)?;
        (end == s.len()).then_some((Kind::Integer, r, 2))
    };
    match s {
        [b'0', b'x', ..] => return radix(16, |c| c.is_ascii_hexdigit()),
        [b'0', b'o', ..] => return radix(8, |c| matches!(c, b'0'..=b'7')),
        [b'0', b'b', ..] => return radix(2, |c| matches!(c, b'0' | b'1')),
        _ => {}
    }
    let dec = |c: u8| c.is_ascii_digit();
    let mut i = usize::from(matches!(s.first(), Some(b'+' | b'-')));
    // No leading zero in the integer part.
    if s.get(i) == Some(&b'0') {
        i += 1;
    } else {
        i = digits(s, i, dec)?;
    }
    let mut kind = Kind::Integer;
    if s.get(i) == Some(&b'.') {
        kind = Kind::Float;
        i = digits(s, i + 1, dec)?;
    }
    if let Some(b'e' | b'E') = s.get(i) {
        kind = Kind::Float;
        i += 1;
        if let Some(b'+' | b'-') = s.get(i) {
            i += 1;
        }
        i = digits(s, i, dec)?;
    }
    (i == s.len()).then_some((kind, 10, 0))
}
