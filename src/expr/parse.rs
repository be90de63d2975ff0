//! Formula text to [`Ast`]: a recursive-descent parser over the tokens of [`super::lex`],
//! with byte spans and helpful messages.
//!
//! Nesting is bounded twice, so hostile input cannot overflow the stack: the parser's own
//! recursion (each parenthesis, call, unary minus and `^` operand is one level) and the height
//! of the resulting tree (which also grows with each operator of a long `a + b + c + …` chain)
//! may not exceed [`MAX_DEPTH`]. The recursive tree walks of [`super::ast`] and
//! [`super::compile()`] rely on the second bound.

use std::ops::Range;

use super::ast::{Ast, AstKind, BinOp, Func};
use super::lex::{lex, Tok, Token};

/// The deepest nesting a formula may have (see the module doc for what counts as a level).
pub const MAX_DEPTH: usize = 256;

/// A formula that could not be parsed.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    /// What went wrong, e.g. "unexpected `*`".
    pub message: String,
    /// Byte range of the offending text in the formula string.
    pub span: Range<usize>,
    /// A suggestion, e.g. "did you mean `sqrt`?".
    pub hint: Option<String>,
}

pub(super) fn err<T>(
    message: impl Into<String>,
    span: Range<usize>,
    hint: Option<String>,
) -> Result<T, ParseError> {
    Err(ParseError {
        message: message.into(),
        span,
        hint,
    })
}

/// Parses a formula. See the [module doc](super) for the grammar; errors carry the byte span
/// of the offending text and, where one helps, a hint.
pub fn parse(src: &str) -> Result<Ast, ParseError> {
    if let Some(v) = plain_number(src) {
        return Ok(Ast::new(AstKind::Num(v), 0..src.len()));
    }
    let tokens = lex(src)?;
    if tokens.len() == 1 {
        return err("empty formula", 0..src.len(), None);
    }
    let mut p = Parser {
        src,
        tokens,
        pos: 0,
        depth: 0,
    };
    let (ast, _) = p.expr()?;
    let t = p.peek().clone();
    if t.tok != Tok::End {
        let hint = match t.tok {
            Tok::RParen => "this `)` has no matching `(`",
            Tok::Comma => "a `,` only separates function arguments",
            _ => "is an operator missing?",
        };
        let span = t.span.start..src.trim_end().len();
        let text = &src[span.clone()];
        return err(format!("trailing input `{text}`"), span, Some(hint.into()));
    }
    Ok(ast)
}

/// The value of a formula that is only a number without sign or exponent (`3`, `0.25`): most
/// payoffs of a big model are, and they need no tokens. The value is the one the lexer would
/// read (the same conversion of the same text); anything else returns `None`.
fn plain_number(src: &str) -> Option<f64> {
    let b = src.as_bytes();
    let digits = b.iter().filter(|c| c.is_ascii_digit()).count();
    let dots = b.iter().filter(|&&c| c == b'.').count();
    if digits == 0 || dots > 1 || digits + dots != b.len() {
        return None;
    }
    src.parse::<f64>().ok().filter(|v| v.is_finite())
}

struct Parser<'a> {
    src: &'a str,
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> &Token {
        // The token list always ends with `End`, and `pos` never moves past it.
        &self.tokens[self.pos.min(self.tokens.len() - 1)]
    }

    fn bump(&mut self) -> Token {
        let t = self.peek().clone();
        if t.tok != Tok::End {
            self.pos += 1;
        }
        t
    }

    fn text(&self, span: &Range<usize>) -> &str {
        &self.src[span.clone()]
    }

    /// Enters one level of parser recursion; callers decrement `depth` when done.
    fn descend(&mut self, at: &Range<usize>) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(too_deep(at.clone()));
        }
        Ok(())
    }

    fn unexpected(&self, t: &Token) -> ParseError {
        let hint = Some("expected a number, a parameter, `(` or a function call".to_string());
        let message = match t.tok {
            Tok::End => "unexpected end of formula".to_string(),
            _ => format!("unexpected `{}`", self.text(&t.span)),
        };
        ParseError {
            message,
            span: t.span.clone(),
            hint,
        }
    }

    /// comparison := sum (cmp sum)?
    fn expr(&mut self) -> PResult {
        let (lhs, hl) = self.sum()?;
        let Tok::Cmp(op) = self.peek().tok else {
            return Ok((lhs, hl));
        };
        self.bump();
        let (rhs, hr) = self.sum()?;
        let t = self.peek().clone();
        if let Tok::Cmp(_) = t.tok {
            return err(
                "comparisons cannot be chained",
                t.span,
                Some("add parentheses, e.g. `(a < b) == 1`".into()),
            );
        }
        let span = lhs.span.start..rhs.span.end;
        node(
            AstKind::Cmp(op, Box::new(lhs), Box::new(rhs)),
            span,
            hl.max(hr),
        )
    }

    /// sum := product (('+' | '-') product)*
    fn sum(&mut self) -> PResult {
        self.chain(&[BinOp::Add, BinOp::Sub], Self::product)
    }

    /// product := unary (('*' | '/') unary)*
    fn product(&mut self) -> PResult {
        self.chain(&[BinOp::Mul, BinOp::Div], Self::unary)
    }

    /// A left-associative chain of `ops` between operands parsed by `operand`.
    fn chain(&mut self, ops: &[BinOp], operand: fn(&mut Self) -> PResult) -> PResult {
        let (mut lhs, mut h) = operand(self)?;
        while let Tok::Op(op) = self.peek().tok {
            if !ops.contains(&op) {
                break;
            }
            self.bump();
            let (rhs, hr) = operand(self)?;
            let span = lhs.span.start..rhs.span.end;
            (lhs, h) = node(
                AstKind::Bin(op, Box::new(lhs), Box::new(rhs)),
                span,
                h.max(hr),
            )?;
        }
        Ok((lhs, h))
    }

    /// unary := ('-' | '+') unary | power
    fn unary(&mut self) -> PResult {
        let t = self.peek().clone();
        match t.tok {
            Tok::Op(op @ (BinOp::Sub | BinOp::Add)) => {
                self.bump();
                self.descend(&t.span)?;
                let (x, h) = self.unary()?;
                self.depth -= 1;
                if op == BinOp::Add {
                    return Ok((x, h));
                }
                let span = t.span.start..x.span.end;
                node(AstKind::Neg(Box::new(x)), span, h)
            }
            _ => self.power(),
        }
    }

    /// power := primary ('^' unary)?
    fn power(&mut self) -> PResult {
        let (base, hb) = self.primary()?;
        let t = self.peek().clone();
        if t.tok != Tok::Op(BinOp::Pow) {
            return Ok((base, hb));
        }
        self.bump();
        self.descend(&t.span)?;
        let (exp, he) = self.unary()?;
        self.depth -= 1;
        let span = base.span.start..exp.span.end;
        node(
            AstKind::Bin(BinOp::Pow, Box::new(base), Box::new(exp)),
            span,
            hb.max(he),
        )
    }

    /// primary := number | name | name '(' args ')' | '(' comparison ')'
    fn primary(&mut self) -> PResult {
        let t = self.bump();
        match t.tok {
            Tok::Num(v) => Ok((Ast::new(AstKind::Num(v), t.span), 1)),
            Tok::Ident => self.name(t),
            Tok::LParen => {
                self.descend(&t.span)?;
                let inner = self.expr()?;
                self.depth -= 1;
                let close = self.bump();
                if close.tok != Tok::RParen {
                    return Err(self.unclosed(&t, &close, None));
                }
                // Parentheses only group; the span grows to include them, so an enclosing
                // node's span covers its closing `)`.
                let (mut ast, h) = inner;
                ast.span = t.span.start..close.span.end;
                Ok((ast, h))
            }
            _ => Err(self.unexpected(&t)),
        }
    }

    fn unclosed(&self, open: &Token, found: &Token, func: Option<&str>) -> ParseError {
        let col = self.src[..open.span.start].chars().count() + 1;
        let what = match func {
            Some(name) => format!("expected `,` or `)` in `{name}(` opened at column {col}"),
            None => format!("expected `)` to close `(` opened at column {col}"),
        };
        let hint = match found.tok {
            Tok::End => "the formula ends here".to_string(),
            _ => format!("found `{}`", self.text(&found.span)),
        };
        ParseError {
            message: what,
            span: found.span.clone(),
            hint: Some(hint),
        }
    }

    fn name(&mut self, t: Token) -> PResult {
        let name = self.text(&t.span).to_string();
        let func = Func::ALL.iter().find(|(_, n)| *n == name).map(|(f, _)| *f);
        let is_func = func.is_some() || name == "if";
        if self.peek().tok != Tok::LParen {
            if is_func {
                return err(
                    format!("`{name}` is a function, not a parameter"),
                    t.span,
                    Some(format!("call it as `{name}(...)`")),
                );
            }
            return Ok((Ast::new(AstKind::Param(name), t.span), 1));
        }
        if !is_func {
            return Err(unknown_function(&name, t.span));
        }
        let open = self.bump();
        let (args, h, close) = self.args(&open, &name)?;
        let span = t.span.start..close;
        let (min, max, rule) = match func {
            Some(Func::Min | Func::Max) => (2, usize::MAX, "at least 2 arguments"),
            Some(_) => (1, 1, "exactly 1 argument"),
            None => (3, 3, "exactly 3 arguments (condition, then, else)"),
        };
        if args.len() < min || args.len() > max {
            let n = args.len();
            let hint = format!("found {n} argument{}", if n == 1 { "" } else { "s" });
            return err(format!("`{name}` takes {rule}"), span, Some(hint));
        }
        let Some(f) = func else {
            let mut it = args.into_iter().map(Box::new);
            return match (it.next(), it.next(), it.next()) {
                (Some(c), Some(a), Some(b)) => node(AstKind::If(c, a, b), span, h),
                // Unreachable: the arity check above guarantees three arguments.
                _ => err("`if` takes exactly 3 arguments", span, None),
            };
        };
        node(AstKind::Call(f, args), span, h)
    }

    /// Parses call arguments after `open`; returns them, their greatest height and the end of
    /// the closing `)`.
    fn args(&mut self, open: &Token, name: &str) -> Result<(Vec<Ast>, usize, usize), ParseError> {
        self.descend(&open.span)?;
        let mut args = Vec::new();
        let mut h = 0;
        if self.peek().tok == Tok::RParen {
            let close = self.bump();
            self.depth -= 1;
            return Ok((args, h, close.span.end));
        }
        loop {
            let (arg, ha) = self.expr()?;
            args.push(arg);
            h = h.max(ha);
            let t = self.bump();
            match t.tok {
                Tok::Comma => continue,
                Tok::RParen => {
                    self.depth -= 1;
                    return Ok((args, h, t.span.end));
                }
                _ => return Err(self.unclosed(open, &t, Some(name))),
            }
        }
    }
}

/// A parsed subtree and its height.
type PResult = Result<(Ast, usize), ParseError>;

/// Makes a node whose children have greatest height `child_height`, refusing trees taller than
/// [`MAX_DEPTH`].
fn node(kind: AstKind, span: Range<usize>, child_height: usize) -> PResult {
    let h = child_height + 1;
    if h > MAX_DEPTH {
        return Err(too_deep(span));
    }
    Ok((Ast::new(kind, span), h))
}

fn too_deep(span: Range<usize>) -> ParseError {
    ParseError {
        message: "formula nested too deeply".into(),
        span,
        hint: Some(format!("at most {MAX_DEPTH} levels of nesting are allowed")),
    }
}

fn unknown_function(name: &str, span: Range<usize>) -> ParseError {
    let names = Func::ALL.iter().map(|(_, n)| *n).chain(["if"]);
    let best = names
        .map(|n| (edit_distance(name, n), n))
        .filter(|(d, n)| *d <= 2 && *d < n.len())
        .min_by_key(|(d, _)| *d);
    let message = match best {
        Some((_, n)) => format!("unknown function `{name}`; did you mean `{n}`?"),
        None => format!("unknown function `{name}`"),
    };
    let hint = Some("the functions are min, max, abs, exp, ln, sqrt and if".to_string());
    ParseError {
        message,
        span,
        hint,
    }
}

/// Levenshtein distance between two short names.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fails(src: &str) -> ParseError {
        match parse(src) {
            Ok(ast) => panic!("{src:?} parsed as {ast}"),
            Err(e) => e,
        }
    }

    #[test]
    fn every_error_message_and_span() {
        // (formula, message, span, hint); spans are byte ranges into the formula.
        let cases: &[(&str, &str, Range<usize>, Option<&str>)] = &[
            ("", "empty formula", 0..0, None),
            ("   ", "empty formula", 0..3, None),
            (
                "a + * b",
                "unexpected `*`",
                4..5,
                Some("expected a number, a parameter, `(` or a function call"),
            ),
            (
                "a +",
                "unexpected end of formula",
                3..3,
                Some("expected a number, a parameter, `(` or a function call"),
            ),
            (
                "()",
                "unexpected `)`",
                1..2,
                Some("expected a number, a parameter, `(` or a function call"),
            ),
            (
                "(a + b",
                "expected `)` to close `(` opened at column 1",
                6..6,
                Some("the formula ends here"),
            ),
            (
                "2*(a + b c",
                "expected `)` to close `(` opened at column 3",
                9..10,
                Some("found `c`"),
            ),
            (
                "min(a b)",
                "expected `,` or `)` in `min(` opened at column 4",
                6..7,
                Some("found `b`"),
            ),
            (
                "sqr(x)",
                "unknown function `sqr`; did you mean `sqrt`?",
                0..3,
                Some("the functions are min, max, abs, exp, ln, sqrt and if"),
            ),
            (
                "foo(x)",
                "unknown function `foo`",
                0..3,
                Some("the functions are min, max, abs, exp, ln, sqrt and if"),
            ),
            (
                "1 + min(a)",
                "`min` takes at least 2 arguments",
                4..10,
                Some("found 1 argument"),
            ),
            (
                "max()",
                "`max` takes at least 2 arguments",
                0..5,
                Some("found 0 arguments"),
            ),
            (
                "abs(a, b)",
                "`abs` takes exactly 1 argument",
                0..9,
                Some("found 2 arguments"),
            ),
            (
                "if(a, b)",
                "`if` takes exactly 3 arguments (condition, then, else)",
                0..8,
                Some("found 2 arguments"),
            ),
            (
                "min(a,)",
                "unexpected `)`",
                6..7,
                Some("expected a number, a parameter, `(` or a function call"),
            ),
            (
                "a b",
                "trailing input `b`",
                2..3,
                Some("is an operator missing?"),
            ),
            (
                "(a)) + 1 ",
                "trailing input `) + 1`",
                3..8,
                Some("this `)` has no matching `(`"),
            ),
            (
                "a, b",
                "trailing input `, b`",
                1..4,
                Some("a `,` only separates function arguments"),
            ),
            (
                "a < b < c",
                "comparisons cannot be chained",
                6..7,
                Some("add parentheses, e.g. `(a < b) == 1`"),
            ),
            (
                "a = b",
                "unexpected character `=`",
                2..3,
                Some("did you mean `==`?"),
            ),
            (
                "a ! b",
                "unexpected character `!`",
                2..3,
                Some("did you mean `!=`?"),
            ),
            ("a # b", "unexpected character `#`", 2..3, None),
            ("a + é", "unexpected character `é`", 4..6, None),
            (
                "1e + 2",
                "malformed number `1e`",
                0..2,
                Some("numbers look like `2`, `0.5`, `.5` or `1e-3`; write `2*x`, not `2x`"),
            ),
            (
                "2x",
                "malformed number `2x`",
                0..2,
                Some("numbers look like `2`, `0.5`, `.5` or `1e-3`; write `2*x`, not `2x`"),
            ),
            (
                ". + 1",
                "malformed number `.`",
                0..1,
                Some("numbers look like `2`, `0.5`, `.5` or `1e-3`; write `2*x`, not `2x`"),
            ),
            ("1e999", "number `1e999` is too large", 0..5, None),
            (
                "max + 1",
                "`max` is a function, not a parameter",
                0..3,
                Some("call it as `max(...)`"),
            ),
        ];
        for (src, message, span, hint) in cases {
            let e = fails(src);
            assert_eq!(e.message, *message, "message for {src:?}");
            assert_eq!(e.span, *span, "span for {src:?}");
            assert_eq!(e.hint.as_deref(), *hint, "hint for {src:?}");
        }
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        // MAX_DEPTH levels are accepted; far more (in each form of nesting) are refused.
        let ok = format!(
            "{}a{}",
            "(".repeat(MAX_DEPTH - 1),
            ")".repeat(MAX_DEPTH - 1)
        );
        assert!(parse(&ok).is_ok());
        let n = 100_000;
        let hostile = [
            format!("{}a{}", "(".repeat(n), ")".repeat(n)),
            format!("{}a", "-".repeat(n)),
            vec!["2"; n].join("^"),
            vec!["a"; n].join("+"),
            vec!["a"; n].join("*"),
            format!("{}a{}", "abs(".repeat(n), ")".repeat(n)),
        ];
        for src in hostile {
            let e = fails(&src);
            assert_eq!(e.message, "formula nested too deeply");
            assert_eq!(
                e.hint.as_deref(),
                Some("at most 256 levels of nesting are allowed")
            );
        }
    }

    #[test]
    fn spans_cover_node_text() {
        let src = "a - lambda*T + max(L, 1)";
        let ast = parse(src).unwrap();
        assert_eq!(ast.span, 0..src.len());
        let AstKind::Bin(BinOp::Add, lhs, rhs) = &ast.kind else {
            panic!("{ast:?}")
        };
        assert_eq!(&src[lhs.span.clone()], "a - lambda*T");
        assert_eq!(&src[rhs.span.clone()], "max(L, 1)");
        let inner = parse("2 * (a + b)").unwrap();
        let AstKind::Bin(BinOp::Mul, _, sum) = &inner.kind else {
            panic!("{inner:?}")
        };
        assert_eq!(sum.span, 4..11);
    }

    #[test]
    fn edit_distance_matches_hand_counts() {
        // sqr→sqrt: one insertion; mni→min: two substitutions; abs→abs: none.
        assert_eq!(edit_distance("sqr", "sqrt"), 1);
        assert_eq!(edit_distance("mni", "min"), 2);
        assert_eq!(edit_distance("abs", "abs"), 0);
    }
}
