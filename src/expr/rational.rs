//! Exact evaluation of formulas in rational arithmetic, for the exact certificate.
//!
//! The bytecode of [`super::compile()`] stays the fast `f64` path of sweeps; this evaluator
//! walks the parsed [`Ast`] instead, once per formula, when a single game is solved (`deter
//! solve`). Numeric literals are read from the formula text exactly (`0.1` is `1/10`, not the
//! nearest double); `+ - * /`, `^` with an integer exponent, `min`, `max`, `abs`, comparisons and
//! `if` are exact. `exp`, `ln`, non-integer powers and `sqrt` of a non-square have no rational
//! value in general: the formula is then [`ExactError::NotRational`] and the game is certified
//! with floats (to a tolerance). `sqrt` of a perfect square, `exp(0)` and `ln(1)` are exact.
//!
//! Errors mirror [`super::EvalError`] with their spans: a division by exactly zero is an error
//! here even where rounding let the float evaluation through (`1/(0.1 + 0.2 - 0.3)`).

use super::ast::{Ast, AstKind, BinOp, CmpOp, Func};
use super::eval::{EvalError, EvalErrorKind};
use crate::exact::{self, Rational};
use num_bigint::BigInt;
use num_traits::{One, Signed, ToPrimitive, Zero};
use std::ops::Range;

/// Largest exponent magnitude `^` evaluates exactly (a larger power of a non-trivial base has
/// millions of digits).
pub const MAX_EXACT_EXPONENT: u32 = 4096;

/// Why a formula has no exact value.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ExactError {
    /// A function whose value is (in general) irrational, at this span.
    #[error("`{what}` has no exact rational value")]
    NotRational {
        /// The operation (`exp`, `ln`, `sqrt`, `^`).
        what: &'static str,
        /// Its span in the formula.
        span: Range<usize>,
    },
    /// Evaluation fails (division by zero, a domain error).
    #[error(transparent)]
    Eval(#[from] EvalError),
    /// A parameter the caller did not supply.
    #[error("parameter `{name}` has no exact value")]
    Unknown {
        /// Its name.
        name: String,
    },
}

/// Evaluates `ast` exactly. `text` is the formula string the spans refer to (literals are read
/// from it); `param` gives each parameter's exact value by name.
pub fn eval_exact(
    ast: &Ast,
    text: &str,
    param: &dyn Fn(&str) -> Option<Rational>,
) -> Result<Rational, ExactError> {
    let err = |kind: EvalErrorKind, span: &Range<usize>| {
        ExactError::Eval(EvalError {
            kind,
            span: span.clone(),
        })
    };
    let bool_q = |b: bool| if b { Rational::one() } else { Rational::zero() };
    Ok(match &ast.kind {
        AstKind::Num(v) => literal(text, &ast.span, *v),
        AstKind::Param(name) => {
            param(name).ok_or_else(|| ExactError::Unknown { name: name.clone() })?
        }
        AstKind::Neg(x) => -eval_exact(x, text, param)?,
        AstKind::Bin(op, a, b) => {
            let x = eval_exact(a, text, param)?;
            let y = eval_exact(b, text, param)?;
            match op {
                BinOp::Add => x + y,
                BinOp::Sub => x - y,
                BinOp::Mul => x * y,
                BinOp::Div => {
                    if y.is_zero() {
                        return Err(err(EvalErrorKind::DivisionByZero, &ast.span));
                    }
                    x / y
                }
                BinOp::Pow => power(&x, &y, &ast.span)?,
            }
        }
        AstKind::Cmp(op, a, b) => {
            let x = eval_exact(a, text, param)?;
            let y = eval_exact(b, text, param)?;
            bool_q(match op {
                CmpOp::Lt => x < y,
                CmpOp::Le => x <= y,
                CmpOp::Gt => x > y,
                CmpOp::Ge => x >= y,
                CmpOp::Eq => x == y,
                CmpOp::Ne => x != y,
            })
        }
        AstKind::If(c, a, b) => {
            if !eval_exact(c, text, param)?.is_zero() {
                eval_exact(a, text, param)?
            } else {
                eval_exact(b, text, param)?
            }
        }
        AstKind::Call(f, args) => {
            let vals = args
                .iter()
                .map(|a| eval_exact(a, text, param))
                .collect::<Result<Vec<_>, _>>()?;
            let not_rational = |what| ExactError::NotRational {
                what,
                span: ast.span.clone(),
            };
            match (f, vals.as_slice()) {
                (Func::Min, _) => vals
                    .into_iter()
                    .reduce(|a, b| if b < a { b } else { a })
                    .unwrap_or_default(),
                (Func::Max, _) => vals
                    .into_iter()
                    .reduce(|a, b| if b > a { b } else { a })
                    .unwrap_or_default(),
                (Func::Abs, [x]) => x.abs(),
                (Func::Exp, [x]) if x.is_zero() => Rational::one(),
                (Func::Exp, _) => return Err(not_rational("exp")),
                (Func::Ln, [x]) if !x.is_positive() => {
                    return Err(err(
                        EvalErrorKind::Domain {
                            func: "ln",
                            arg: exact::to_f64(x),
                        },
                        &ast.span,
                    ))
                }
                (Func::Ln, [x]) if x.is_one() => Rational::zero(),
                (Func::Ln, _) => return Err(not_rational("ln")),
                (Func::Sqrt, [x]) if x.is_negative() => {
                    return Err(err(
                        EvalErrorKind::Domain {
                            func: "sqrt",
                            arg: exact::to_f64(x),
                        },
                        &ast.span,
                    ))
                }
                (Func::Sqrt, [x]) => square_root(x).ok_or_else(|| not_rational("sqrt"))?,
                _ => return Err(not_rational(f.name())),
            }
        }
    })
}

/// The exact value of the literal at `span` of `text` (parentheses around it allowed); the
/// float's exact value if the text cannot be read (it always can for parsed formulas).
fn literal(text: &str, span: &Range<usize>, v: f64) -> Rational {
    text.get(span.clone())
        .map(|s| s.trim_matches(|c: char| c == '(' || c == ')' || c.is_whitespace()))
        .and_then(exact::parse)
        .filter(|q| exact::to_f64(q) == v)
        // A literal substituted from elsewhere (a subtree's argument) has no text here: its
        // shortest decimal form is what was written (0.1 is 1/10, not the binary double).
        .or_else(|| exact::parse(&v.to_string()).filter(|q| exact::to_f64(q) == v))
        .or_else(|| exact::from_f64(v))
        .unwrap_or_default()
}

/// `x ^ y` for an integer `y` (bounded by [`MAX_EXACT_EXPONENT`]).
fn power(x: &Rational, y: &Rational, span: &Range<usize>) -> Result<Rational, ExactError> {
    let not_rational = || ExactError::NotRational {
        what: "^",
        span: span.clone(),
    };
    if !y.is_integer() {
        return Err(not_rational());
    }
    let e = y.to_integer();
    let n = e.abs().to_u32().filter(|&n| n <= MAX_EXACT_EXPONENT);
    let Some(n) = n else {
        return if x.is_zero() || x.abs().is_one() {
            let even = (&e % BigInt::from(2)).is_zero();
            Ok(if x.is_zero() {
                if e.is_negative() {
                    return Err(ExactError::Eval(EvalError {
                        kind: EvalErrorKind::DivisionByZero,
                        span: span.clone(),
                    }));
                }
                Rational::zero()
            } else if x.is_negative() && !even {
                -Rational::one()
            } else {
                Rational::one()
            })
        } else {
            Err(not_rational())
        };
    };
    if e.is_negative() {
        if x.is_zero() {
            return Err(ExactError::Eval(EvalError {
                kind: EvalErrorKind::DivisionByZero,
                span: span.clone(),
            }));
        }
        Ok(num_traits::pow(x.recip(), n as usize))
    } else {
        Ok(num_traits::pow(x.clone(), n as usize))
    }
}

/// The exact square root of a non-negative rational whose numerator and denominator are
/// perfect squares.
fn square_root(x: &Rational) -> Option<Rational> {
    let (n, d) = (x.numer().sqrt(), x.denom().sqrt());
    (&n * &n == *x.numer() && &d * &d == *x.denom()).then(|| Rational::new(n, d))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::parse;

    fn ev(src: &str, vars: &[(&str, &str)]) -> Result<Rational, ExactError> {
        let ast = parse(src).unwrap();
        let vals: Vec<(String, Rational)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), exact::parse(v).unwrap()))
            .collect();
        eval_exact(&ast, src, &|n| {
            vals.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone())
        })
    }

    fn q(s: &str) -> Rational {
        exact::parse_fraction(s).unwrap()
    }

    #[test]
    fn arithmetic_is_exact() {
        assert_eq!(ev("0.1 + 0.2", &[]).unwrap(), q("3/10"));
        assert_eq!(ev("1/3 * 3", &[]).unwrap(), q("1"));
        assert_eq!(
            ev("a - 2*b", &[("a", "0.3"), ("b", "0.15")]).unwrap(),
            q("0")
        );
        assert_eq!(ev("2^-2 + (1/2)^3", &[]).unwrap(), q("3/8"));
        assert_eq!(ev("-x^2", &[("x", "3")]).unwrap(), q("-9"));
        assert_eq!(ev("if(T > 0.2, 1, 2)", &[("T", "0.2")]).unwrap(), q("2"));
        assert_eq!(
            ev("max(1, 2.5, 2) + min(3, -1) + abs(-1/4)", &[]).unwrap(),
            q("7/4")
        );
        assert_eq!(ev("sqrt(9/4) + exp(0) + ln(1)", &[]).unwrap(), q("5/2"));
        assert_eq!(ev("1e-19 * 10", &[]).unwrap(), q("1/1000000000000000000"));
    }

    #[test]
    fn irrational_and_failing_formulas() {
        assert!(matches!(
            ev("exp(1)", &[]),
            Err(ExactError::NotRational { what: "exp", .. })
        ));
        assert!(matches!(
            ev("2^0.5", &[]),
            Err(ExactError::NotRational { what: "^", .. })
        ));
        assert!(matches!(
            ev("sqrt(2)", &[]),
            Err(ExactError::NotRational { .. })
        ));
        // Rounding hides this division by zero from floats; exactly, it is one.
        let e = ev("1/(0.1 + 0.2 - 0.3)", &[]).unwrap_err();
        assert!(matches!(
            e,
            ExactError::Eval(EvalError {
                kind: EvalErrorKind::DivisionByZero,
                ..
            })
        ));
        assert!(matches!(ev("ln(0)", &[]), Err(ExactError::Eval(_))));
    }
}
