//! A streaming tokenizer for large Gambit files: one token of lookahead, no token list.
//!
//! [`lexer`](super::lexer) turns the whole text into a vector of owned tokens first, which is
//! simple and fine for the small `.nfg` tables, but a 10^6-node `.efg` then holds a string per
//! name and label and a few hundred bytes per node before the tree exists. [`Scan`] reads the
//! same token language (same strings, numbers, words and errors) straight from the text.
//!
//! A token is small and `Copy`: its [`Kind`], its byte range and where it starts. Nothing is
//! decoded while lexing: a string is unescaped (and borrowed when it has no escapes) only when
//! the reader asks for it, a number is parsed only where the reader expects one, and a column
//! is counted only when a message or a position needs it. Lexing never fails; a character no
//! token starts with, an unterminated string or a malformed number becomes a token that is an
//! error when the reader looks at it (consumes it, or reports an error at it), so the reader
//! meets the same located errors the list tokenizer gives.

use super::num::{self, Q};
use super::FormatError;
use crate::exact;
use std::borrow::Cow;

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A quoted string.
    Str,
    /// A number (parsed when read).
    Num,
    /// A bare word.
    Word,
    /// `{`
    Open,
    /// `}`
    Close,
    /// `,`
    Comma,
    /// The end of the text.
    End,
    /// A character no token starts with: an error when read.
    Bad,
    /// A string without its closing quote: an error when read.
    Unterminated,
}

/// Where a token starts: its line, the byte offset of that line, and its own byte offset.
#[derive(Clone, Copy, Debug, Default)]
struct At {
    line: u32,
    line_start: u32,
    at: u32,
}

/// A token: its kind, its text (`from..to`; inside the quotes for a string) and its start.
#[derive(Clone, Copy, Debug)]
struct Tok {
    kind: Kind,
    /// A string with `\"` or `\\` escapes.
    esc: bool,
    from: u32,
    to: u32,
    at: At,
}

/// The bytes a number token is made of: digits and `-+.eE/`.
pub(crate) const NUMBER_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = b'0';
    while c <= b'9' {
        t[c as usize] = true;
        c += 1;
    }
    t[b'-' as usize] = true;
    t[b'+' as usize] = true;
    t[b'.' as usize] = true;
    t[b'e' as usize] = true;
    t[b'E' as usize] = true;
    t[b'/' as usize] = true;
    t
};

/// Where the scanner stands, for a reader that reads bytes directly (see [`Scan::cursor`]):
/// the offset of the next token or of the white space before it, the line there and the
/// offset at which that line starts.
#[derive(Clone, Copy, Debug)]
pub struct Cursor {
    /// Byte offset.
    pub i: usize,
    /// 1-based line at `i`.
    pub line: u32,
    /// Byte offset of the start of that line.
    pub line_start: usize,
}

/// The largest text the scanner reads: its byte offsets are `u32`.
pub const MAX_TEXT: usize = u32::MAX as usize - 1;

/// The tokenizer state; see the module docs.
pub struct Scan<'a> {
    src: &'a str,
    i: usize,
    line: u32,
    line_start: usize,
    next: Tok,
    peeked: bool,
    prev: Option<At>,
}

impl<'a> Scan<'a> {
    /// A scanner at the start of `src`, or an error if the text is beyond [`MAX_TEXT`] bytes.
    pub fn new(src: &'a str) -> Result<Self, FormatError> {
        if src.len() > MAX_TEXT {
            return Err(FormatError::new(
                1,
                1,
                format!(
                    "the file is {} bytes; this reader takes files of up to 4 GiB",
                    src.len()
                ),
            ));
        }
        Ok(Scan {
            src,
            i: 0,
            line: 1,
            line_start: 0,
            next: Tok {
                kind: Kind::End,
                esc: false,
                from: 0,
                to: 0,
                at: At::default(),
            },
            peeked: false,
            prev: None,
        })
    }

    fn col(&self, a: At) -> usize {
        let (s, e) = (a.line_start as usize, a.at as usize);
        let b = &self.src.as_bytes()[s..e];
        if b.is_ascii() {
            b.len() + 1
        } else {
            self.src[s..e].chars().count() + 1
        }
    }

    fn pos(&self, a: At) -> (usize, usize) {
        (a.line as usize, self.col(a))
    }

    fn here_at(&self) -> At {
        // Offsets fit: the text is at most MAX_TEXT bytes (checked in `new`).
        At {
            line: self.line,
            line_start: self.line_start as u32,
            at: self.i as u32,
        }
    }

    fn text(&self, t: &Tok) -> &'a str {
        &self.src[t.from as usize..t.to as usize]
    }

    /// The text's bytes.
    pub fn bytes(&self) -> &'a [u8] {
        self.src.as_bytes()
    }

    /// The text between byte offsets `from` and `to` (both at character boundaries).
    pub fn slice(&self, from: usize, to: usize) -> &'a str {
        &self.src[from..to]
    }

    /// Where the scanner stands, putting back a token that was peeked (lexing depends only
    /// on the position, so the token will be lexed again alike).
    #[inline]
    pub fn cursor(&mut self) -> Cursor {
        if self.peeked {
            let a = self.next.at;
            self.i = a.at as usize;
            self.line = a.line;
            self.line_start = a.line_start as usize;
            self.peeked = false;
        }
        Cursor {
            i: self.i,
            line: self.line,
            line_start: self.line_start,
        }
    }

    /// Moves on to `c`, past text read directly from [`Scan::bytes`]; `last` is the byte
    /// offset of the last token read there (on the line of `c`), for [`Scan::error_prev`].
    #[inline]
    pub fn advance(&mut self, c: Cursor, last: usize) {
        // Offsets fit: the text is at most MAX_TEXT bytes (checked in `new`).
        self.i = c.i;
        self.line = c.line;
        self.line_start = c.line_start;
        self.peeked = false;
        self.prev = Some(At {
            line: c.line,
            line_start: c.line_start as u32,
            at: last as u32,
        });
    }

    /// The kind of the next token, without consuming it.
    #[inline]
    pub fn peek(&mut self) -> Kind {
        if !self.peeked {
            self.next = self.lex();
            self.peeked = true;
        }
        self.next.kind
    }

    /// True when no token is left.
    pub fn at_end(&mut self) -> bool {
        self.peek() == Kind::End
    }

    /// Line and column of the next token (or of the end of the text).
    pub fn here(&mut self) -> (usize, usize) {
        self.peek();
        self.pos(self.next.at)
    }

    /// Line and column of the next token, as `u32`s (the text is at most [`MAX_TEXT`] bytes,
    /// so both fit).
    pub fn here32(&mut self) -> (u32, u32) {
        let (l, c) = self.here();
        (l as u32, c as u32)
    }

    /// The error a token is by itself (a bad character, an unterminated string, a malformed
    /// number), if any.
    fn own_error(&self, t: &Tok) -> Option<FormatError> {
        let (line, col) = self.pos(t.at);
        let msg = match t.kind {
            Kind::Bad => {
                let ch = self.src[t.from as usize..]
                    .chars()
                    .next()
                    .unwrap_or('\u{fffd}');
                format!("unexpected character `{ch}`")
            }
            Kind::Unterminated => "unterminated string".to_string(),
            Kind::Num => {
                let text = self.text(t);
                if num::parse(text).is_some() {
                    return None;
                }
                match exact::parse_fraction(text) {
                    Some(_) => format!(
                        "`{text}` is too large for this tool's floating-point numbers \
                         (beyond ±1.8e308)"
                    ),
                    None => format!("`{text}` is not a number"),
                }
            }
            _ => return None,
        };
        Some(FormatError::new(line, col, msg))
    }

    /// An error at the next token (or at the end of the text); a token that is an error by
    /// itself reports that error instead.
    pub fn error(&mut self, message: impl Into<String>) -> FormatError {
        self.peek();
        let t = self.next;
        if let Some(e) = self.own_error(&t) {
            return e;
        }
        let (l, c) = self.pos(t.at);
        FormatError::new(l, c, message)
    }

    /// An error at the previously consumed token.
    pub fn error_prev(&self, message: impl Into<String>) -> FormatError {
        let (l, c) = match self.prev {
            Some(a) => self.pos(a),
            None => (1, 1),
        };
        FormatError::new(l, c, message)
    }

    /// Consumes the next token, which must be of kind `want`.
    #[inline]
    fn expect(&mut self, want: Kind, what: &str) -> Result<Tok, FormatError> {
        self.peek();
        let t = self.next;
        if t.kind == want {
            self.peeked = false;
            self.prev = Some(t.at);
            return Ok(t);
        }
        Err(self.unexpected(what))
    }

    /// The error for a next token that is not what the reader wants; consumes it.
    #[cold]
    fn unexpected(&mut self, what: &str) -> FormatError {
        let t = self.next;
        if t.kind == Kind::End {
            return self.error(format!("unexpected end of input, expected {what}"));
        }
        if let Some(e) = self.own_error(&t) {
            return e;
        }
        self.peeked = false;
        self.prev = Some(t.at);
        let got = match t.kind {
            Kind::Str => format!("string \"{}\"", self.unescape(&t)),
            Kind::Num => format!("number {}", num::parse(self.text(&t)).map_or(0.0, |x| x.1)),
            Kind::Word => format!("`{}`", self.text(&t)),
            Kind::Open => "`{`".into(),
            Kind::Close => "`}`".into(),
            _ => "`,`".into(),
        };
        self.error_prev(format!("expected {what}, found {got}"))
    }

    /// A string token's value: borrowed unless it has escapes.
    fn unescape(&self, t: &Tok) -> Cow<'a, str> {
        let s = self.text(t);
        if !t.esc {
            return Cow::Borrowed(s);
        }
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(k) = rest.find('\\') {
            out.push_str(&rest[..k]);
            match rest.as_bytes().get(k + 1) {
                Some(b'"' | b'\\') => {
                    out.push(rest.as_bytes()[k + 1] as char);
                    rest = &rest[k + 2..];
                }
                _ => {
                    out.push('\\');
                    rest = &rest[k + 1..];
                }
            }
        }
        out.push_str(rest);
        Cow::Owned(out)
    }

    /// Consumes a quoted string.
    #[inline]
    pub fn string(&mut self, what: &str) -> Result<Cow<'a, str>, FormatError> {
        let t = self.expect(Kind::Str, what)?;
        Ok(self.unescape(&t))
    }

    /// Consumes a quoted string and tells whether it is empty (without decoding it).
    #[inline]
    pub fn empty_string(&mut self, what: &str) -> Result<bool, FormatError> {
        let t = self.expect(Kind::Str, what)?;
        Ok(t.from == t.to)
    }

    /// Consumes a number: its exact value and its float.
    pub fn number_exact(&mut self, what: &str) -> Result<(Q, f64), FormatError> {
        let t = self.expect(Kind::Num, what)?;
        match num::parse(self.text(&t)) {
            Some(x) => Ok(x),
            None => Err(self
                .own_error(&t)
                .unwrap_or_else(|| self.error_prev("not a number"))),
        }
    }

    /// Consumes a number (its float).
    pub fn number(&mut self, what: &str) -> Result<f64, FormatError> {
        Ok(self.number_exact(what)?.1)
    }

    /// Consumes a non-negative integer.
    #[inline]
    pub fn index(&mut self, what: &str) -> Result<usize, FormatError> {
        let t = self.expect(Kind::Num, what)?;
        let b = &self.src.as_bytes()[t.from as usize..t.to as usize];
        // Plain digits (the usual spelling) need no general parse: at most 12 digits stay
        // within the bound below.
        if b.len() <= 12 && b.iter().all(u8::is_ascii_digit) {
            return Ok(b
                .iter()
                .fold(0usize, |n, &d| n * 10 + usize::from(d - b'0')));
        }
        let x = match num::parse(self.text(&t)) {
            Some((_, x)) => x,
            None => {
                return Err(self
                    .own_error(&t)
                    .unwrap_or_else(|| self.error_prev("not a number")))
            }
        };
        if x < 0.0 || x.fract() != 0.0 || x > 1e12 {
            return Err(self.error_prev(format!("expected {what} (a non-negative integer)")));
        }
        // In range and integral, checked above.
        Ok(x as usize)
    }

    /// Consumes a bare word.
    pub fn word(&mut self, what: &str) -> Result<&'a str, FormatError> {
        let t = self.expect(Kind::Word, what)?;
        Ok(self.text(&t))
    }

    /// Consumes `{`.
    #[inline]
    pub fn open(&mut self, what: &str) -> Result<(), FormatError> {
        self.expect(Kind::Open, what).map(|_| ())
    }

    #[inline]
    fn eat(&mut self, want: Kind) -> bool {
        if self.peek() == want {
            self.peeked = false;
            self.prev = Some(self.next.at);
            true
        } else {
            false
        }
    }

    /// Consumes `}` if it is next.
    #[inline]
    pub fn eat_close(&mut self) -> bool {
        self.eat(Kind::Close)
    }

    /// Consumes `,` if it is next.
    #[inline]
    pub fn eat_comma(&mut self) -> bool {
        self.eat(Kind::Comma)
    }

    /// Consumes a string if one is next.
    pub fn opt_string(&mut self) -> Result<Option<Cow<'a, str>>, FormatError> {
        if self.peek() == Kind::Str {
            return self.string("").map(Some);
        }
        Ok(None)
    }

    /// A `{ "a" "b" … }` list of strings.
    pub fn string_list(&mut self, what: &str) -> Result<Vec<String>, FormatError> {
        self.open(&format!("`{{` opening the {what}"))?;
        let mut out = Vec::new();
        while !self.eat_close() {
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
    #[inline]
    fn lex(&mut self) -> Tok {
        let b = self.src.as_bytes();
        loop {
            // Runs of blanks (the bulk of a file's white space) in one tight loop.
            while matches!(b.get(self.i), Some(b' ' | b'\t' | b'\r')) {
                self.i += 1;
            }
            let at = self.here_at();
            let Some(&c) = b.get(self.i) else {
                return self.tok(Kind::End, at, self.i);
            };
            let from = self.i;
            let kind = match c {
                b'\n' => {
                    self.i += 1;
                    self.line += 1;
                    self.line_start = self.i;
                    continue;
                }
                b'\x0b' | b'\x0c' => {
                    self.i += 1;
                    continue;
                }
                b'{' => {
                    self.i += 1;
                    Kind::Open
                }
                b'}' => {
                    self.i += 1;
                    Kind::Close
                }
                b',' => {
                    self.i += 1;
                    Kind::Comma
                }
                b'"' => return self.quoted(at),
                b'0'..=b'9' | b'-' | b'+' | b'.' => {
                    while b.get(self.i).is_some_and(|&d| NUMBER_BYTE[d as usize]) {
                        self.i += 1;
                    }
                    Kind::Num
                }
                _ if c.is_ascii_alphabetic()
                    || (c >= 0x80 && self.char_at(self.i).is_alphabetic()) =>
                {
                    while let Some(&d) = b.get(self.i) {
                        if d.is_ascii_alphanumeric() || d == b'_' {
                            self.i += 1;
                        } else if d >= 0x80 && self.char_at(self.i).is_alphanumeric() {
                            self.i += self.char_at(self.i).len_utf8();
                        } else {
                            break;
                        }
                    }
                    Kind::Word
                }
                _ if c >= 0x80 && self.char_at(self.i).is_whitespace() => {
                    self.i += self.char_at(self.i).len_utf8();
                    continue;
                }
                _ => {
                    // Stays put: the token is an error, and the reader stops at it.
                    return Tok {
                        kind: Kind::Bad,
                        esc: false,
                        from: from as u32,
                        to: from as u32,
                        at,
                    };
                }
            };
            return Tok {
                kind,
                esc: false,
                from: from as u32,
                to: self.i as u32,
                at,
            };
        }
    }

    fn tok(&self, kind: Kind, at: At, i: usize) -> Tok {
        Tok {
            kind,
            esc: false,
            from: i as u32,
            to: i as u32,
            at,
        }
    }

    /// A quoted string starting at `at` (the opening quote); `\"` and `\\` are escapes, and
    /// a string may span lines.
    fn quoted(&mut self, at: At) -> Tok {
        let b = self.src.as_bytes();
        self.i += 1;
        let from = self.i;
        let mut esc = false;
        loop {
            // Plain characters up to the next quote, backslash or line break.
            self.i += b[self.i..]
                .iter()
                .position(|&d| matches!(d, b'"' | b'\\' | b'\n'))
                .unwrap_or(b.len() - self.i);
            let Some(&d) = b.get(self.i) else {
                return self.tok(Kind::Unterminated, at, from);
            };
            match d {
                b'"' => {
                    let to = self.i;
                    self.i += 1;
                    return Tok {
                        kind: Kind::Str,
                        esc,
                        from: from as u32,
                        to: to as u32,
                        at,
                    };
                }
                b'\\' if matches!(b.get(self.i + 1), Some(b'"' | b'\\')) => {
                    esc = true;
                    self.i += 2;
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
    use super::super::lexer::{tokenize, Tok as LTok};
    use super::*;

    /// Every token, with its position, as the list tokenizer gives it.
    fn all(src: &str) -> Result<Vec<(LTok, usize, usize)>, FormatError> {
        let mut s = Scan::new(src)?;
        let mut out = Vec::new();
        loop {
            let k = s.peek();
            if k == Kind::End {
                return Ok(out);
            }
            let (l, c) = s.here();
            let t = match k {
                Kind::Str => LTok::Str(s.string("")?.into_owned()),
                Kind::Num => LTok::Num(s.number("")?),
                Kind::Word => LTok::Word(s.word("")?.into()),
                Kind::Open => {
                    s.open("")?;
                    LTok::Open
                }
                Kind::Close => {
                    assert!(s.eat_close());
                    LTok::Close
                }
                Kind::Comma => {
                    assert!(s.eat_comma());
                    LTok::Comma
                }
                _ => return Err(s.error("not a token")),
            };
            out.push((t, l, c));
        }
    }

    #[test]
    fn same_tokens_positions_and_errors_as_the_list_tokenizer() {
        let cases = [
            "EFG 2 R \"a \\\"b\\\"\"\n { 1/3 -2.5e1 , }",
            "  p \"é\\\\x\" 1 2\n\t\"multi\nline\" { 0.25 7 } x_1 ü9",
            "\"a\\qb\\\\\" \"\\\"\" \"\\\\\\\"\"",
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
    fn a_bad_token_is_its_own_error_wherever_the_reader_meets_it() {
        // Expecting a word, a string, or reporting something else at the token: the error is
        // the token's own, at its position.
        for src in ["x\n 1/0", "x\n \"open", "x\n @"] {
            let want = tokenize(src).unwrap_err();
            let mut s = Scan::new(src).unwrap();
            s.word("").unwrap();
            assert_eq!(s.word("a word").unwrap_err(), want, "{src:?}");
            let mut s = Scan::new(src).unwrap();
            s.word("").unwrap();
            assert_eq!(s.string("a string").unwrap_err(), want, "{src:?}");
            let mut s = Scan::new(src).unwrap();
            s.word("").unwrap();
            assert_eq!(s.error("something else"), want, "{src:?}");
            assert!(!s.eat_close() && !s.at_end());
        }
        // A good token of the wrong kind is named in the message.
        let mut s = Scan::new("\"a\\\"b\" 2.5").unwrap();
        let e = s.word("a word").unwrap_err();
        assert_eq!(e.message, "expected a word, found string \"a\"b\"");
        let e = s.open("`{`").unwrap_err();
        assert_eq!(
            (e.col, e.message.as_str()),
            (8, "expected `{`, found number 2.5")
        );
    }

    #[test]
    fn indices_are_plain_or_integral_numbers() {
        let mut s = Scan::new("0 17 2.0 4/2 1.5 -1 1e13").unwrap();
        assert_eq!(s.index("").unwrap(), 0);
        assert_eq!(s.index("").unwrap(), 17);
        assert_eq!(s.index("").unwrap(), 2);
        assert_eq!(s.index("").unwrap(), 2);
        for _ in 0..3 {
            let e = s.index("an index").unwrap_err();
            assert!(e.message.contains("non-negative integer"), "{e}");
        }
        assert!(s.at_end());
    }

    #[test]
    fn end_of_input_is_located_after_the_last_line() {
        let mut s = Scan::new("a\nbc").unwrap();
        s.word("").unwrap();
        s.word("").unwrap();
        let e = s.word("a word").unwrap_err();
        assert_eq!((e.line, e.col), (2, 3), "{e}");
        assert!(e.message.contains("end of input"), "{e}");
    }
}
