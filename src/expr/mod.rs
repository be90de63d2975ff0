//! Formulas for payoffs and chance probabilities, such as `e_P - c_P` or
//! `if(T > 0.2, a - lambda*T + L, a)`.
//!
//! A sweep evaluates the same formulas at millions of parameter points, so a formula is
//! [`parse()`]d once into an [`Ast`] (kept for diagnostics and reports), [`compile()`]d once into
//! an [`Expr`] — flat bytecode with parameter names resolved to [`ParamId`]s and constant
//! subtrees folded — and then evaluated with [`Expr::eval`], which does no string look-up and,
//! given a reused scratch buffer, no allocation.
//!
//! ```
//! use deter::expr::{compile, parse, ParamId};
//!
//! let names = ["a", "lambda", "T", "L"];
//! let ast = parse("if(T > 0.2, a - lambda*T + L, a)").unwrap();
//! let expr = compile(&ast, &mut |n| {
//!     names.iter().position(|&m| m == n).map(|i| ParamId(i as u32))
//! })
//! .unwrap();
//! let mut stack = Vec::new();
//! assert_eq!(expr.eval(&[1.0, 2.0, 0.5, 3.0], &mut stack), Ok(3.0)); // 1 - 2*0.5 + 3
//! assert_eq!(expr.eval(&[1.0, 2.0, 0.1, 3.0], &mut stack), Ok(1.0));
//! ```
//!
//! # Grammar
//!
//! From lowest to highest precedence:
//!
//! ```text
//! formula    := sum (cmp sum)?                 comparisons do not chain: `a < b < c` is an error
//! cmp        := "<" | "<=" | ">" | ">=" | "==" | "!="
//! sum        := product (("+" | "-") product)*              left-associative
//! product    := unary (("*" | "/") unary)*                  left-associative
//! unary      := ("-" | "+") unary | power
//! power      := primary ("^" unary)?          right-associative: 2^3^2 = 2^(3^2) = 512
//! primary    := number | name | call | "(" formula ")"
//! call       := function "(" formula ("," formula)* ")"
//! number     := digits ("." digits?)? exponent? | "." digits exponent?     (1, 0.5, .5, 1e-3)
//! exponent   := ("e" | "E") ("+" | "-")? digits
//! name       := [A-Za-z_][A-Za-z0-9_]*        a parameter, unless it is a function name
//! function   := "min" | "max" | "abs" | "exp" | "ln" | "sqrt" | "if"
//! ```
//!
//! - `^` binds tighter than unary minus: `-x^2` is `-(x^2)`, and `2^-1` is `0.5`.
//! - A comparison is 1 when it holds and 0 otherwise.
//! - `min` and `max` take two or more arguments; `abs`, `exp`, `ln` and `sqrt` take one.
//! - `if(cond, a, b)` is `a` when `cond` is non-zero and `b` otherwise; the untaken branch is
//!   not evaluated, so `if(x > 0, 1/x, 0)` is fine at `x = 0`.
//! - Evaluation fails ([`EvalError`]) on division by exactly zero, `ln` of a number <= 0,
//!   `sqrt` of a negative number, `^` with no real value (`(-1)^0.5`), and a final result that
//!   is infinite or NaN.
//! - A formula nested deeper than [`MAX_DEPTH`] levels is refused when parsing; each
//!   operator of a chain `a + b + c + …` counts as a level, as the tree leans one deeper.
//!
//! There are no logical operators; `min`, `max` and `if` combine conditions.
//!
//! [`eval_exact`] evaluates a parsed formula in exact rational arithmetic (literals read as
//! written), for the exact certificate of a single solve; it is not on the sweep's path.

mod ast;
mod compile;
mod eval;
mod lex;
mod parse;
mod rational;

pub use ast::{Ast, AstKind, BinOp, CmpOp, Func};
pub use compile::{compile, Expr, ParamId, UnknownName};
pub use eval::{EvalError, EvalErrorKind};
pub use parse::{parse, ParseError, MAX_DEPTH};
pub use rational::{eval_exact, ExactError, MAX_EXACT_EXPONENT};

#[cfg(test)]
mod tests;
