//! The tokenizer shared by the `.efg` and `.nfg` readers.
//!
//! Both Gambit formats are white-space separated streams of quoted strings, numbers (integers,
//! decimals, rationals `a/b`), braces and a few bare words (`EFG`, `R`, `p`, `c`, `t`). Every
//! token carries its line and column so a parse error can point at the exact place.

use super::FormatError;
use crate::exact::{self, Rational};

/// What a token is.
#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    /// A quoted string, unescaped.
    Str(String),
    /// A number with its value (rationals already divided).
    Num(f64),
    /// A bare word such as `EFG`, `R`, `p`.
    Word(String),
    /// `{`
    Open,
    /// `}`
    Close,
    /// `,` (allowed between payoffs)
    Comma,
}

impl Tok {
    /// A short description for error messages.
    pub fn describe(&self) -> String {
        match self {
            Tok::Str(s) => format!("string \"{s}\""),
            Tok::Num(x) => format!("number {x}"),
            Tok::Word(w) => format!("`{w}`"),
            Tok::Open => "`{`".into(),
            Tok::Close => "`}`".into(),
            Tok::Comma => "`,`".into(),
        }
    }
}

/// A token and where it starts (1-based line and column, columns counted in characters).
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned {
    /// The token.
    pub tok: Tok,
    /// Line of its first character.
    pub line: usize,
    /// Column of its first character.
    pub col: usize,
}

/// Splits `src` into tokens.
pub fn tokenize(src: &str) -> Result<Vec<Spanned>, FormatError> {
    Ok(lex(src)?.0)
}

/// Exact values of the number tokens whose `f64` is not exactly the number written
/// (`(token index, value)`, in token order). Integers and binary fractions such as `0.5` need
/// no entry: their float is exact.
type ExactSide = Vec<(usize, Rational)>;

/// Splits `src` into tokens, keeping the exact value of every number.
fn lex(src: &str) -> Result<(Vec<Spanned>, ExactSide), FormatError> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut side = ExactSide::new();
    let (mut i, mut line, mut col) = (0usize, 1usize, 1usize);
    while i < chars.len() {
        let c = chars[i];
        let (tl, tc) = (line, col);
        if c == '\n' {
            i += 1;
            line += 1;
            col = 1;
            continue;
        }
        if c.is_whitespace() {
            i += 1;
            col += 1;
            continue;
        }
        let tok = match c {
            '{' | '}' | ',' => {
                i += 1;
                col += 1;
                match c {
                    '{' => Tok::Open,
                    '}' => Tok::Close,
                    _ => Tok::Comma,
                }
            }
            '"' => {
                let mut s = String::new();
                i += 1;
                col += 1;
                loop {
                    let Some(&d) = chars.get(i) else {
                        return Err(FormatError::new(tl, tc, "unterminated string"));
                    };
                    i += 1;
                    col += 1;
                    match d {
                        '"' => break,
                        '\\' if chars.get(i).is_some_and(|&e| e == '"' || e == '\\') => {
                            s.push(chars[i]);
                            i += 1;
                            col += 1;
                        }
                        '\n' => {
                            s.push(d);
                            line += 1;
                            col = 1;
                        }
                        _ => s.push(d),
                    }
                }
                Tok::Str(s)
            }
            _ if c.is_ascii_digit() || c == '-' || c == '+' || c == '.' => {
                let start = i;
                while i < chars.len() && is_number_char(chars[i]) {
                    i += 1;
                }
                col += i - start;
                let text: String = chars[start..i].iter().collect();
                let Some(v) = parse_number(&text) else {
                    let msg = match exact::parse_fraction(&text) {
                        Some(_) => format!(
                            "`{text}` is too large for this tool's floating-point numbers \
                                 (beyond ±1.8e308)"
                        ),
                        None => format!("`{text}` is not a number"),
                    };
                    return Err(FormatError::new(tl, tc, msg));
                };
                if !is_small_integer(&text) {
                    if let Some(q) = exact::parse_fraction(&text) {
                        if exact::from_f64(v).as_ref() != Some(&q) {
                            side.push((out.len(), q));
                        }
                    }
                }
                Tok::Num(v)
            }
            _ if c.is_alphabetic() => {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                col += i - start;
                Tok::Word(chars[start..i].iter().collect())
            }
            _ => {
                return Err(FormatError::new(
                    tl,
                    tc,
                    format!("unexpected character `{c}`"),
                ))
            }
        };
        out.push(Spanned {
            tok,
            line: tl,
            col: tc,
        });
    }
    Ok((out, side))
}

/// An optionally signed integer of at most 15 digits: exactly representable as `f64`.
pub(crate) fn is_small_integer(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    !digits.is_empty() && digits.len() <= 15 && digits.bytes().all(|b| b.is_ascii_digit())
}

fn is_number_char(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E' | '/')
}

/// Parses an integer, a decimal (with optional exponent) or a rational `a/b`.
pub fn parse_number(text: &str) -> Option<f64> {
    let finite = |s: &str| -> Option<f64> {
        if s.is_empty() || s.contains(['/']) {
            return None;
        }
        let x: f64 = s.parse().ok()?;
        x.is_finite().then_some(x)
    };
    match text.split_once('/') {
        Some((a, b)) => {
            let (a, b) = (finite(a)?, finite(b)?);
            (b != 0.0).then(|| a / b).filter(|x| x.is_finite())
        }
        None => finite(text),
    }
}

/// Formats a number so that reading it back gives the same `f64` (shortest round-trip form).
pub fn format_number(x: f64) -> String {
    if x == 0.0 {
        // Also maps -0 to 0, which every reader treats alike.
        "0".into()
    } else {
        format!("{x}")
    }
}

/// A cursor over tokens with position-aware errors.
pub struct Cursor {
    toks: Vec<Spanned>,
    exact: ExactSide,
    pos: usize,
    end: (usize, usize),
}

impl Cursor {
    /// Tokenizes `src` and positions the cursor at the first token.
    pub fn new(src: &str) -> Result<Self, FormatError> {
        let (toks, exact) = lex(src)?;
        let line = src.split('\n').count();
        let col = src.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Ok(Cursor {
            toks,
            exact,
            pos: 0,
            end: (line, col),
        })
    }

    /// Number of tokens not yet consumed.
    pub fn remaining(&self) -> usize {
        self.toks.len().saturating_sub(self.pos)
    }

    /// Consumes a number; returns it as written (exact) and as the nearest `f64`.
    pub fn number_exact(&mut self, what: &str) -> Result<(Rational, f64), FormatError> {
        let v = self.number(what)?;
        let ix = self.pos - 1;
        let q = match self.exact.binary_search_by_key(&ix, |e| e.0) {
            Ok(k) => self.exact[k].1.clone(),
            // The float is finite (checked by the tokenizer) and exact.
            Err(_) => exact::from_f64(v).unwrap_or_default(),
        };
        Ok((q, v))
    }

    /// The next token without consuming it.
    pub fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|t| &t.tok)
    }

    /// True when every token was consumed.
    pub fn at_end(&self) -> bool {
        self.pos >= self.toks.len()
    }

    /// Position of the next token (or the end of input).
    pub fn here(&self) -> (usize, usize) {
        self.toks
            .get(self.pos)
            .map_or(self.end, |t| (t.line, t.col))
    }

    /// An error at the next token.
    pub fn error(&self, message: impl Into<String>) -> FormatError {
        let (l, c) = self.here();
        FormatError::new(l, c, message)
    }

    /// An error at the previously consumed token.
    pub fn error_prev(&self, message: impl Into<String>) -> FormatError {
        let (l, c) = self
            .pos
            .checked_sub(1)
            .and_then(|p| self.toks.get(p))
            .map_or(self.end, |t| (t.line, t.col));
        FormatError::new(l, c, message)
    }

    /// Consumes and returns the next token.
    pub fn next_tok(&mut self, what: &str) -> Result<Tok, FormatError> {
        match self.toks.get(self.pos) {
            Some(t) => {
                self.pos += 1;
                Ok(t.tok.clone())
            }
            None => Err(self.error(format!("unexpected end of input, expected {what}"))),
        }
    }

    fn unexpected(&self, got: &Tok, what: &str) -> FormatError {
        self.error_prev(format!("expected {what}, found {}", got.describe()))
    }

    /// Consumes a quoted string.
    pub fn string(&mut self, what: &str) -> Result<String, FormatError> {
        match self.next_tok(what)? {
            Tok::Str(s) => Ok(s),
            t => Err(self.unexpected(&t, what)),
        }
    }

    /// Consumes a number.
    pub fn number(&mut self, what: &str) -> Result<f64, FormatError> {
        match self.next_tok(what)? {
            Tok::Num(x) => Ok(x),
            t => Err(self.unexpected(&t, what)),
        }
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
    pub fn word(&mut self, what: &str) -> Result<String, FormatError> {
        match self.next_tok(what)? {
            Tok::Word(w) => Ok(w),
            t => Err(self.unexpected(&t, what)),
        }
    }

    /// Consumes `{`.
    pub fn open(&mut self, what: &str) -> Result<(), FormatError> {
        match self.next_tok(what)? {
            Tok::Open => Ok(()),
            t => Err(self.unexpected(&t, what)),
        }
    }

    /// Consumes `}` if it is next.
    pub fn eat_close(&mut self) -> bool {
        if self.peek() == Some(&Tok::Close) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Consumes `,` if it is next.
    pub fn eat_comma(&mut self) -> bool {
        if self.peek() == Some(&Tok::Comma) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Consumes a string if one is next.
    pub fn opt_string(&mut self) -> Option<String> {
        if let Some(Tok::Str(s)) = self.peek() {
            let s = s.clone();
            self.pos += 1;
            Some(s)
        } else {
            None
        }
    }

    /// A `{ "a" "b" … }` list of strings.
    pub fn string_list(&mut self, what: &str) -> Result<Vec<String>, FormatError> {
        self.open(&format!("`{{` opening the {what}"))?;
        let mut out = Vec::new();
        while !self.eat_close() {
            out.push(self.string(&format!("a string in the {what} or `}}`"))?);
        }
        Ok(out)
    }
}

/// Writes `s` as a quoted string, escaping `"` and `\`.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_line_and_column() {
        let t = tokenize("EFG 2 R \"a \\\"b\\\"\"\n { 1/3 -2.5e1 , }").unwrap();
        assert_eq!(t[3].tok, Tok::Str("a \"b\"".into()));
        assert_eq!((t[4].line, t[4].col), (2, 2));
        assert_eq!(t[5].tok, Tok::Num(1.0 / 3.0));
        assert_eq!(t[6].tok, Tok::Num(-25.0));
        assert_eq!(t[7].tok, Tok::Comma);
    }

    #[test]
    fn bad_input_is_located() {
        let e = tokenize("EFG\n  \"open").unwrap_err();
        assert_eq!((e.line, e.col), (2, 3));
        let e = tokenize("1/0").unwrap_err();
        assert_eq!((e.line, e.col), (1, 1));
        assert!(tokenize("x @").is_err());
    }

    #[test]
    fn numbers_keep_their_exact_value() {
        let mut c = Cursor::new("0.1 1/3 7 1e-19 0.5").unwrap();
        let q = |n: i64, d: i64| Rational::new(n.into(), d.into());
        assert_eq!(c.number_exact("x").unwrap().0, q(1, 10));
        assert_eq!(c.number_exact("x").unwrap().0, q(1, 3));
        assert_eq!(c.number_exact("x").unwrap(), (q(7, 1), 7.0));
        let (tiny, f) = c.number_exact("x").unwrap();
        assert_eq!(tiny, exact::parse("1e-19").unwrap());
        assert_eq!(f, 1e-19);
        assert_eq!(c.number_exact("x").unwrap().0, q(1, 2));
        let e = tokenize("1e400").unwrap_err();
        assert!(e.message.contains("too large"), "{e}");
    }

    #[test]
    fn numbers_round_trip() {
        for x in [0.1, 1.0 / 3.0, -2.5e-300, 1e300, 7.0] {
            assert_eq!(parse_number(&format_number(x)), Some(x));
        }
    }
}
