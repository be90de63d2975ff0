//! Names bound to formulas: substituting them into a formula before it is compiled.
//!
//! A model can give a name a different formula in different copies of its tree — a player's
//! type binds `c = "c_H"` in the copy where that player is hard and `c = "c_S"` where it is
//! soft — so one payoff formula, written once, means a different formula in each copy. The
//! substitution happens on the parsed formula ([`Ast`]), so it respects precedence without
//! any text surgery, and the substituted part takes the span of the name it replaces: an
//! evaluation error inside it points at that name in the formula the modeler wrote.

use crate::expr::{Ast, AstKind};
use std::ops::Range;

/// `ast` with every parameter that `lookup` binds replaced by its formula.
///
/// The replacement is not substituted again (bound formulas may not use bound names), and its
/// spans are those of the replaced name.
pub fn substitute<'b>(ast: &Ast, lookup: &dyn Fn(&str) -> Option<&'b Ast>) -> Ast {
    let kind = match &ast.kind {
        AstKind::Param(name) => match lookup(name) {
            Some(bound) => return respan(bound, &ast.span),
            None => AstKind::Param(name.clone()),
        },
        AstKind::Num(x) => AstKind::Num(*x),
        AstKind::Neg(x) => AstKind::Neg(Box::new(substitute(x, lookup))),
        AstKind::Bin(op, a, b) => AstKind::Bin(
            *op,
            Box::new(substitute(a, lookup)),
            Box::new(substitute(b, lookup)),
        ),
        AstKind::Cmp(op, a, b) => AstKind::Cmp(
            *op,
            Box::new(substitute(a, lookup)),
            Box::new(substitute(b, lookup)),
        ),
        AstKind::Call(f, args) => {
            AstKind::Call(*f, args.iter().map(|a| substitute(a, lookup)).collect())
        }
        AstKind::If(c, a, b) => AstKind::If(
            Box::new(substitute(c, lookup)),
            Box::new(substitute(a, lookup)),
            Box::new(substitute(b, lookup)),
        ),
    };
    Ast::new(kind, ast.span.clone())
}

/// A copy of `ast` with every span set to `span`.
fn respan(ast: &Ast, span: &Range<usize>) -> Ast {
    let kind = match &ast.kind {
        AstKind::Num(x) => AstKind::Num(*x),
        AstKind::Param(n) => AstKind::Param(n.clone()),
        AstKind::Neg(x) => AstKind::Neg(Box::new(respan(x, span))),
        AstKind::Bin(op, a, b) => {
            AstKind::Bin(*op, Box::new(respan(a, span)), Box::new(respan(b, span)))
        }
        AstKind::Cmp(op, a, b) => {
            AstKind::Cmp(*op, Box::new(respan(a, span)), Box::new(respan(b, span)))
        }
        AstKind::Call(f, args) => AstKind::Call(*f, args.iter().map(|a| respan(a, span)).collect()),
        AstKind::If(c, a, b) => AstKind::If(
            Box::new(respan(c, span)),
            Box::new(respan(a, span)),
            Box::new(respan(b, span)),
        ),
    };
    Ast::new(kind, span.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::parse;

    #[test]
    fn substitutes_by_structure_and_keeps_the_names_span() {
        let bound = parse("c_H - 1").unwrap();
        let ast = parse("2 * c + x").unwrap();
        let out = substitute(&ast, &|n| (n == "c").then_some(&bound));
        assert_eq!(out.to_string(), "2*(c_H - 1) + x");
        // The substituted part points at `c` (bytes 4..5) in the written formula.
        let AstKind::Bin(_, lhs, _) = &out.kind else {
            panic!()
        };
        let AstKind::Bin(_, _, c) = &lhs.kind else {
            panic!()
        };
        assert_eq!(c.span, 4..5);
    }
}
