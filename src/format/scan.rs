//! A streaming tokenizer for large Gambit files: one token of lookahead, no token list.
//!
//! [`lexer`](super::lexer) turns the whole text into a vector of owned tokens first, which is
//! simple and fine for the small `.nfg` tables, but a 10^6-node `.efg` then holds a string per
//! name and label and a few hundred bytes per node before the tree exists. [`Scan`] reads the
//! same token language (same strings, numbers, words and errors) straight from the text:
//! strings and words are borrowed slices unless they contain escapes, numbers are parsed once
//! into [`Q`] and their float, and a token's column is counted only when a message or a
//! position needs it.

use super::num::{self, Q};
use super::FormatError;
use crate::exact;
use std::borrow::Cow;

/// A token.
#[derive(Clone, Debug, PartialEq)]
pub enum T<'a> {
    /// A quoted string, unescaped.
    Str(Cow<'a, str>),
    /// A number: exact value and float.
    Num(Q, f64),
    /// A bare word.
    Word(&'a str),
    /// `{`
    Open,
    /// `}`
    Close,
    /// `,`
    Comma,
}

impl T<'_> {
    fn describe(&self) -> String {
        match self {
            T::Str(s) => format!("string \"{s}\""),
            T::Num(_, x) => format!("number {x}"),
            T::Word(w) => format!("`{w}`"),
            T::Open => "`{`".into(),
            T::Close => "`}`".into(),
            T::Comma => "`,`".into(),
        }
    }
}

/// Where a token starts: its line, the byte offset of that line, and its own byte offset.
#[derive(Clone, Copy, Debug)]
struct At {
    line: usize,
    line_start: usize,
    at: usize,
}

/// The tokenizer state; see the module docs.
pub struct Scan<'a> {
    src: &'a str,
    i: usize,
    line: usize,
    line_start: usize,
    next: Option<(T<'a>, At)>,
    prev: Option<At>,
}

impl<'a> Scan<'a> {
    /// A scanner at the start of `src`.
    pub fn new(src: &'a str) -> Self {
        Scan {
            src,
            i: 0,
            line: 1,
            line_start: 0,
            next: None,
            prev: None,
        }
    }

    fn col(&self, a: At) -> usize {
        let s = &self.src.as_bytes()[a.line_start..a.at];
        if s.is_ascii() {
            s.len() + 1
        } else {
            self.src[a.line_start..a.at].chars().count() + 1
        }
    }

    fn pos(&self, a: At) -> (usize, usize) {
        (a.line, self.col(a))
    }

    fn here_at(&self) -> At {
        At {
            line: self.line,
            line_start: self.line_start,
            at: self.i,
        }
    }

    /// The next token without consuming it (`None` at the end of the text).
    pub fn peek(&mut self) -> Result<Option<&T<'a>>, FormatError> {
        if self.next.is_none() {
            self.next = self.lex()?;
        }
        Ok(self.next.as_ref().map(|t| &t.0))
    }

    /// True when no token is left.
    pub fn at_end(&mut self) -> Result<bool, FormatError> {
        Ok(self.peek()?.is_none())
    }

    /// Line and column of the next token (or of the end of the text).
    pub fn here(&mut self) -> Result<(usize, usize), FormatError> {
        self.peek()?;
        Ok(match &self.next {
            Some((_, a)) => self.pos(*a),
            None => self.pos(self.here_at()),
        })
    }

    /// An error at the next token (or at the end of the text).
    pub fn error(&mut self, message: impl Into<String>) -> FormatError {
        let message = message.into();
        match self.here() {
            Ok((l, c)) => FormatError::new(l, c, message),
            Err(e) => e,
        }
    }

    /// An error at the previously consumed token.
    pub fn error_prev(&self, message: impl Into<String>) -> FormatError {
        let (l, c) = match self.prev {
            Some(a) => self.pos(a),
            None => (1, 1),
        };
        FormatError::new(l, c, message)
    }

    /// Consumes and returns the next token.
    pub fn next_tok(&mut self, what: &str) -> Result<T<'a>, FormatError> {
        self.peek()?;
        match self.next.take() {
            Some((t, a)) => {
                self.prev = Some(a);
                Ok(t)
            }
            None => Err(self.error(format!("unexpected end of input, expected {what}"))),
        }
    }

    fn unexpected(&self, got: &T, what: &str) -> FormatError {
        self.error_prev(format!("expected {what}, found {}", got.describe()))
    }

    /// Consumes a quoted string.
    pub fn string(&mut self, what: &str) -> Result<Cow<'a, str>, FormatError> {
        match self.next_tok(what)? {
            T::Str(s) => Ok(s),
            t => Err(self.unexpected(&t, what)),
        }
    }

    /// Consumes a number: its exact value and its float.
    pub fn number_exact(&mut self, what: &str) -> Result<(Q, f64), FormatError> {
        match self.next_tok(what)? {
            T::Num(q, x) => Ok((q, x)),
            t => Err(self.unexpected(&t, what)),
        }
    }

    /// Consumes a number (its float).
    pub fn number(&mut self, what: &str) -> Result<f64, FormatError> {
        Ok(self.number_exact(what)?.1)
    }

    /// Consumes a non-negative integer.
    pub fn index(&mut self, what: &str) -> Result<usize, FormatError> {
        let x = self.number(what)?;
        if x < 0.0 || x.fract() != 0.0 || x > 1e12 {
            return Err(self.error_prev(format!("expected {what} (a non-negative integer)")));
        }
        // In range and integral, checked above.
        Ok(x as usize)
    }

    /// Consumes a bare word.
    pub fn word(&mut self, what: &str) -> Result<&'a str, FormatError> {
        match self.next_tok(what)? {
            T::Word(w) => Ok(w),
            t => Err(self.unexpected(&t, what)),
        }
    }

    /// Consumes `{`.
    pub fn open(&mut self, what: &str) -> Result<(), FormatError> {
        match self.next_tok(what)? {
            T::Open => Ok(()),
            t => Err(self.unexpected(&t, what)),
        }
    }

    fn eat(&mut self, want: &T) -> Result<bool, FormatError> {
        if self.peek()? == Some(want) {
            self.next_tok("")?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    /// Consumes `}` if it is next.
    pub fn eat_close(&mut self) -> Result<bool, FormatError> {
        self.eat(&T::Close)
    }

    /// Consumes `,` if it is next.
    pub fn eat_comma(&mut self) -> Result<bool, FormatError> {
        self.eat(&T::Comma)
    }

    /// Consumes a string if one is next.
    pub fn opt_string(&mut self) -> Result<Option<Cow<'a, str>>, FormatError> {
        if let Some(T::Str(_)) = self.peek()? {
            return self.string("").map(Some);
        }
        Ok(None)
    }

    /// A `{ "a" "b" … }` list of strings.
    pub fn string_list(&mut self, what: &str) -> Result<Vec<String>, FormatError> {
        self.open(&format!("`{{` opening the {what}"))?;
        let mut out = Vec::new();
        while !self.eat_close()? {
            out.push(
                self.string(&format!("a string in the {what} or `}}`"))?
                    .into_owned(),
            );
        }
        Ok(out)
    }

    /// The character at byte `i` (not ASCII), decoded.
    fn char_at(&self, i: usize) -> char {
        // `i` is always at a character boundary: the scanner advances by whole characters.
        self.src[i..].chars().next().unwrap_or('\u{fffd}')
    }

    /// Lexes one token, skipping white space.
    fn lex(&mut self) -> Result<Option<(T<'a>, At)>, FormatError> {
        let b = self.src.as_bytes();
        loop {
            // Runs of blanks (the bulk of a file's white space) in one tight loop.
            while matches!(b.get(self.i), Some(b' ' | b'\t' | b'\r')) {
                self.i += 1;
            }
            let Some(&c) = b.get(self.i) else {
                return Ok(None);
            };
            let start = self.here_at();
            let tok = match c {
                b'\n' => {
                    self.i += 1;
                    self.line += 1;
                    self.line_start = self.i;
                    continue;
                }
                b' ' | b'\t' | b'\r' | b'\x0b' | b'\x0c' => {
                    self.i += 1;
                    continue;
                }
                b'{' | b'}' | b',' => {
                    self.i += 1;
                    match c {
                        b'{' => T::Open,
                        b'}' => T::Close,
                        _ => T::Comma,
                    }
                }
                b'"' => T::Str(self.quoted(start)?),
                b'0'..=b'9' | b'-' | b'+' | b'.' => {
                    let from = self.i;
                    while b
                        .get(self.i)
                        .is_some_and(|&d| d.is_ascii_digit() || b"-+.eE/".contains(&d))
                    {
                        self.i += 1;
                    }
                    let text = &self.src[from..self.i];
                    match num::parse(text) {
                        Some((q, x)) => T::Num(q, x),
                        None => {
                            let msg = match exact::parse_fraction(text) {
                                Some(_) => format!(
                                    "`{text}` is too large for this tool's floating-point \
                                     numbers (beyond ±1.8e308)"
                                ),
                                None => format!("`{text}` is not a number"),
                            };
                            return Err(FormatError::new(start.line, self.col(start), msg));
                        }
                    }
                }
                _ if c.is_ascii_alphabetic()
                    || (c >= 0x80 && self.char_at(self.i).is_alphabetic()) =>
                {
                    let from = self.i;
                    while let Some(&d) = b.get(self.i) {
                        if d.is_ascii_alphanumeric() || d == b'_' {
                            self.i += 1;
                        } else if d >= 0x80 && self.char_at(self.i).is_alphanumeric() {
                            self.i += self.char_at(self.i).len_utf8();
                        } else {
                            break;
                        }
                    }
                    T::Word(&self.src[from..self.i])
                }
                _ if c >= 0x80 && self.char_at(self.i).is_whitespace() => {
                    self.i += self.char_at(self.i).len_utf8();
                    continue;
                }
                _ => {
                    let ch = if c < 0x80 {
                        c as char
                    } else {
                        self.char_at(self.i)
                    };
                    return Err(FormatError::new(
                        start.line,
                        self.col(start),
                        format!("unexpected character `{ch}`"),
                    ));
                }
            };
            return Ok(Some((tok, start)));
        }
    }

    /// A quoted string starting at `start` (the opening quote); `\"` and `\\` are escapes, and
    /// a string may span lines.
    fn quoted(&mut self, start: At) -> Result<Cow<'a, str>, FormatError> {
        let b = self.src.as_bytes();
        self.i += 1;
        let from = self.i;
        let mut owned: Option<String> = None;
        let mut run = from;
        loop {
            // Plain characters up to the next quote, backslash or line break.
            self.i += b[self.i..]
                .iter()
                .position(|&d| matches!(d, b'"' | b'\\' | b'\n'))
                .unwrap_or(b.len() - self.i);
            let Some(&d) = b.get(self.i) else {
                return Err(FormatError::new(
                    start.line,
                    self.col(start),
                    "unterminated string",
                ));
            };
            match d {
                b'"' => {
                    let s = match owned {
                        Some(mut s) => {
                            s.push_str(&self.src[run..self.i]);
                            Cow::Owned(s)
                        }
                        None => Cow::Borrowed(&self.src[from..self.i]),
                    };
                    self.i += 1;
                    return Ok(s);
                }
                b'\\' if matches!(b.get(self.i + 1), Some(b'"' | b'\\')) => {
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(&self.src[run..self.i]);
                    self.i += 1;
                    run = self.i;
                    self.i += 1;
                }
                b'\n' => {
                    self.i += 1;
                    self.line += 1;
                    self.line_start = self.i;
                }
                _ => self.i += 1,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::lexer::{tokenize, Tok};
    use super::*;

    /// Every token, with its position, as the list tokenizer gives it.
    fn all(src: &str) -> Result<Vec<(Tok, usize, usize)>, FormatError> {
        let mut s = Scan::new(src);
        let mut out = Vec::new();
        while !s.at_end()? {
            let (l, c) = s.here()?;
            let t = match s.next_tok("")? {
                T::Str(x) => Tok::Str(x.into_owned()),
                T::Num(_, x) => Tok::Num(x),
                T::Word(w) => Tok::Word(w.into()),
                T::Open => Tok::Open,
                T::Close => Tok::Close,
                T::Comma => Tok::Comma,
            };
            out.push((t, l, c));
        }
        Ok(out)
    }

    #[test]
    fn same_tokens_positions_and_errors_as_the_list_tokenizer() {
        let cases = [
            "EFG 2 R \"a \\\"b\\\"\"\n { 1/3 -2.5e1 , }",
            "  p \"é\\\\x\" 1 2\n\t\"multi\nline\" { 0.25 7 } x_1 ü9",
            "EFG\n  \"open",
            "1/0",
            "x @",
            "1e400",
            "a \u{a0}b ∑",
            "1-2",
            "",
            "\n\n",
        ];
        for src in cases {
            let old = tokenize(src).map(|v| {
                v.into_iter()
                    .map(|t| (t.tok, t.line, t.col))
                    .collect::<Vec<_>>()
            });
            assert_eq!(all(src), old, "{src:?}");
        }
    }

    #[test]
    fn end_of_input_is_located_after_the_last_line() {
        let mut s = Scan::new("a\nbc");
        s.word("").unwrap();
        s.word("").unwrap();
        let e = s.word("a word").unwrap_err();
        assert_eq!((e.line, e.col), (2, 3), "{e}");
        assert!(e.message.contains("end of input"), "{e}");
    }
}
