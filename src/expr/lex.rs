//! Formula text to tokens with byte spans. Only ASCII is accepted outside of error messages,
//! so every position the lexer stops at is a `char` boundary.

use std::ops::Range;

use super::ast::{BinOp, CmpOp};
use super::parse::{err, ParseError};

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Tok {
    Num(f64),
    Ident,
    Op(BinOp),
    Cmp(CmpOp),
    LParen,
    RParen,
    Comma,
    End,
}

#[derive(Clone, Debug)]
pub(super) struct Token {
    pub(super) tok: Tok,
    pub(super) span: Range<usize>,
}

pub(super) fn lex(src: &str) -> Result<Vec<Token>, ParseError> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let tok = if c.is_ascii_digit() || c == b'.' {
            let (tok, end) = lex_number(src, start)?;
            i = end;
            tok
        } else if c.is_ascii_alphabetic() || c == b'_' {
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            Tok::Ident
        } else {
            let next = bytes.get(i + 1).copied();
            let (tok, len) = match (c, next) {
                (b'<', Some(b'=')) => (Tok::Cmp(CmpOp::Le), 2),
                (b'>', Some(b'=')) => (Tok::Cmp(CmpOp::Ge), 2),
                (b'=', Some(b'=')) => (Tok::Cmp(CmpOp::Eq), 2),
                (b'!', Some(b'=')) => (Tok::Cmp(CmpOp::Ne), 2),
                (b'<', _) => (Tok::Cmp(CmpOp::Lt), 1),
                (b'>', _) => (Tok::Cmp(CmpOp::Gt), 1),
                (b'+', _) => (Tok::Op(BinOp::Add), 1),
                (b'-', _) => (Tok::Op(BinOp::Sub), 1),
                (b'*', _) => (Tok::Op(BinOp::Mul), 1),
                (b'/', _) => (Tok::Op(BinOp::Div), 1),
                (b'^', _) => (Tok::Op(BinOp::Pow), 1),
                (b'(', _) => (Tok::LParen, 1),
                (b')', _) => (Tok::RParen, 1),
                (b',', _) => (Tok::Comma, 1),
                _ => return Err(bad_char(src, i)),
            };
            i += len;
            tok
        };
        out.push(Token {
            tok,
            span: start..i,
        });
    }
    out.push(Token {
        tok: Tok::End,
        span: src.len()..src.len(),
    });
    Ok(out)
}

fn bad_char(src: &str, i: usize) -> ParseError {
    // `i` is a char boundary: the lexer only advances over ASCII bytes.
    let ch = src[i..].chars().next().unwrap_or('?');
    let span = i..i + ch.len_utf8();
    let hint = match ch {
        '=' => Some("did you mean `==`?".to_string()),
        '!' => Some("did you mean `!=`?".to_string()),
        '&' | '|' => Some("formulas have no logical operators; use `if` or `min`/`max`".into()),
        _ => None,
    };
    ParseError {
        message: format!("unexpected character `{ch}`"),
        span,
        hint,
    }
}

/// Lexes the number starting at byte `start`; returns its value and end.
fn lex_number(src: &str, start: usize) -> Result<(Tok, usize), ParseError> {
    let bytes = src.as_bytes();
    let digits = |mut i: usize| {
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        i
    };
    let mut i = digits(start);
    let int_digits = i - start;
    let mut frac_digits = 0;
    if bytes.get(i) == Some(&b'.') {
        let j = digits(i + 1);
        frac_digits = j - i - 1;
        i = j;
    }
    let mut bad = int_digits + frac_digits == 0;
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(bytes.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let k = digits(j);
        bad |= k == j;
        i = k;
    }
    // Swallow trailing identifier characters so `2x` or `1e` is reported whole.
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
        i += 1;
        bad = true;
    }
    let text = &src[start..i];
    let value: Option<f64> = if bad { None } else { text.parse().ok() };
    match value {
        Some(v) if v.is_finite() => Ok((Tok::Num(v), i)),
        Some(_) => err(format!("number `{text}` is too large"), start..i, None),
        None => err(
            format!("malformed number `{text}`"),
            start..i,
            Some("numbers look like `2`, `0.5`, `.5` or `1e-3`; write `2*x`, not `2x`".into()),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<Tok> {
        lex(src).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn numbers_in_every_accepted_form() {
        // Each literal and the value Rust's own `f64` parser gives its text.
        for (src, v) in [
            ("1", 1.0),
            ("0.5", 0.5),
            (".5", 0.5),
            ("1e-3", 1e-3),
            ("2.", 2.0),
            ("3E+2", 300.0),
        ] {
            assert_eq!(kinds(src), vec![Tok::Num(v), Tok::End], "{src}");
        }
    }

    #[test]
    fn two_character_operators_win() {
        use CmpOp::*;
        let got = kinds("a<=b>=c==d!=e<f>g");
        let cmps: Vec<Tok> = got
            .into_iter()
            .filter(|t| matches!(t, Tok::Cmp(_)))
            .collect();
        let want = [Le, Ge, Eq, Ne, Lt, Gt].map(Tok::Cmp);
        assert_eq!(cmps, want);
    }

    #[test]
    fn spans_are_byte_ranges() {
        let spans: Vec<Range<usize>> = lex(" ab_1 *(2.5)")
            .unwrap()
            .into_iter()
            .map(|t| t.span)
            .collect();
        assert_eq!(spans, vec![1..5, 6..7, 7..8, 8..11, 11..12, 12..12]);
    }
}
