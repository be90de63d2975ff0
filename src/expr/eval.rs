//! Evaluation of compiled formulas: a stack machine over a caller-owned scratch buffer, so a
//! sweep evaluates millions of parameter points with no allocation and no string look-up.
//!
//! The arithmetic of each operator lives in [`apply_bin`] and [`apply_func`], shared with
//! constant folding in [`super::compile`] and [`super::Ast::simplify`], so a folded constant is
//! bit-for-bit the value evaluation would compute.

use std::ops::Range;

use super::ast::{BinOp, Func};
use super::compile::{Expr, Op, ParamId};

/// A formula that has no finite value at a parameter point.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{kind}")]
pub struct EvalError {
    /// What went wrong.
    pub kind: EvalErrorKind,
    /// Byte span, in the formula string, of the sub-formula that failed (the whole formula for
    /// [`EvalErrorKind::NotFinite`]).
    pub span: Range<usize>,
}

/// The ways evaluation can fail.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum EvalErrorKind {
    /// A division by exactly zero (either sign).
    #[error("division by zero")]
    DivisionByZero,
    /// A function outside its domain: `ln` of a number <= 0, `sqrt` of a negative number, or
    /// `^` giving NaN from non-NaN operands (e.g. `(-1)^0.5`; `arg` is then the base).
    #[error("`{func}` is undefined at {arg}")]
    Domain {
        /// `"ln"`, `"sqrt"` or `"^"`.
        func: &'static str,
        /// The offending argument.
        arg: f64,
    },
    /// The result is infinite or NaN (e.g. `exp(1000)`, or `0*x` with `x` infinite).
    #[error("the result is not a finite number")]
    NotFinite,
    /// The formula reads a parameter id beyond the end of the `params` slice.
    #[error("parameter #{id} is missing: only {len} values were given")]
    ParamOutOfRange {
        /// The parameter id read.
        id: u32,
        /// Length of the `params` slice.
        len: usize,
    },
}

/// `a op b`, with the error checks of evaluation.
pub(crate) fn apply_bin(op: BinOp, a: f64, b: f64) -> Result<f64, EvalErrorKind> {
    Ok(match op {
        BinOp::Add => a + b,
        BinOp::Sub => a - b,
        BinOp::Mul => a * b,
        BinOp::Div => div(a, b)?,
        BinOp::Pow => pow(a, b)?,
    })
}

#[inline]
fn div(a: f64, b: f64) -> Result<f64, EvalErrorKind> {
    if b == 0.0 {
        Err(EvalErrorKind::DivisionByZero)
    } else {
        Ok(a / b)
    }
}

#[inline]
fn pow(a: f64, b: f64) -> Result<f64, EvalErrorKind> {
    let r = a.powf(b);
    if r.is_nan() && !a.is_nan() && !b.is_nan() {
        Err(EvalErrorKind::Domain { func: "^", arg: a })
    } else {
        Ok(r)
    }
}

/// Minimum or maximum that propagates NaN (unlike `f64::min`, which would hide it).
#[inline]
fn extreme(values: &[f64], max: bool) -> f64 {
    let mut acc = if max {
        f64::NEG_INFINITY
    } else {
        f64::INFINITY
    };
    for &v in values {
        if v.is_nan() {
            return v;
        }
        acc = if max { acc.max(v) } else { acc.min(v) };
    }
    acc
}

#[inline]
fn unary(f: Func, x: f64) -> Result<f64, EvalErrorKind> {
    match f {
        Func::Abs => Ok(x.abs()),
        Func::Exp => Ok(x.exp()),
        Func::Ln if x <= 0.0 => Err(EvalErrorKind::Domain { func: "ln", arg: x }),
        Func::Ln => Ok(x.ln()),
        Func::Sqrt if x < 0.0 => Err(EvalErrorKind::Domain {
            func: "sqrt",
            arg: x,
        }),
        Func::Sqrt => Ok(x.sqrt()),
        Func::Min | Func::Max => Ok(extreme(&[x], f == Func::Max)),
    }
}

/// A function applied to its arguments, with the error checks of evaluation.
pub(crate) fn apply_func(f: Func, args: &[f64]) -> Result<f64, EvalErrorKind> {
    match (f, args) {
        (Func::Min, _) => Ok(extreme(args, false)),
        (Func::Max, _) => Ok(extreme(args, true)),
        (_, [x]) => unary(f, *x),
        _ => Ok(f64::NAN),
    }
}

impl Expr {
    /// Evaluates the formula with parameter `ParamId(i)` equal to `params[i]`.
    ///
    /// `stack` is scratch space owned by the caller and reused across calls: it is cleared and,
    /// on the first call only, grown to [`Expr::max_stack`], so later calls do not allocate.
    pub fn eval(&self, params: &[f64], stack: &mut Vec<f64>) -> Result<f64, EvalError> {
        stack.clear();
        stack.reserve(self.max_stack);
        let ops = self.ops.as_slice();
        let mut pc = 0;
        while let Some(&op) = ops.get(pc) {
            let at = pc;
            let fail = |kind| EvalError {
                kind,
                span: self.op_span(at),
            };
            pc += 1;
            match op {
                Op::Const(v) => stack.push(v),
                Op::Param(i) => match params.get(i as usize) {
                    Some(&v) => stack.push(v),
                    None => {
                        return Err(fail(EvalErrorKind::ParamOutOfRange {
                            id: i,
                            len: params.len(),
                        }))
                    }
                },
                Op::Add => bin(stack, |a, b| a + b),
                Op::Sub => bin(stack, |a, b| a - b),
                Op::Mul => bin(stack, |a, b| a * b),
                Op::Div => try_bin(stack, div).map_err(fail)?,
                Op::Pow => try_bin(stack, pow).map_err(fail)?,
                Op::Cmp(c) => bin(stack, |a, b| c.apply(a, b)),
                Op::Neg => top(stack, |x| Ok(-x)).map_err(fail)?,
                Op::Abs => top(stack, |x| Ok(x.abs())).map_err(fail)?,
                Op::Exp => top(stack, |x| Ok(x.exp())).map_err(fail)?,
                Op::Ln => top(stack, |x| unary(Func::Ln, x)).map_err(fail)?,
                Op::Sqrt => top(stack, |x| unary(Func::Sqrt, x)).map_err(fail)?,
                Op::Min(n) => fold_top(stack, n, false),
                Op::Max(n) => fold_top(stack, n, true),
                Op::JumpIfZero(to) => {
                    if stack.pop().unwrap_or(0.0) == 0.0 {
                        pc = to as usize;
                    }
                }
                Op::Jump(to) => pc = to as usize,
            }
        }
        // Compiled code leaves exactly one value; an empty stack cannot happen and would be
        // reported as a non-finite result.
        match stack.pop() {
            Some(v) if v.is_finite() => Ok(v),
            _ => Err(EvalError {
                kind: EvalErrorKind::NotFinite,
                span: self.span(),
            }),
        }
    }

    /// [`Expr::eval`] with a fresh scratch buffer: convenient, but allocates on every call.
    pub fn eval_alloc(&self, params: &[f64]) -> Result<f64, EvalError> {
        self.eval(params, &mut Vec::with_capacity(self.max_stack))
    }

    /// The intercept and slope `(α, β)` with `f = α + β·p`, from evaluating at `p = 0` and
    /// `p = 1` (other parameters as in `params`, whose entry for `p` is restored afterwards).
    /// Meaningful only when the formula is affine in `p`, which
    /// [`super::Ast::is_affine_in`] checks.
    pub fn affine_coeffs(
        &self,
        p: ParamId,
        params: &mut [f64],
        stack: &mut Vec<f64>,
    ) -> Result<(f64, f64), EvalError> {
        let len = params.len();
        let Some(saved) = params.get(p.0 as usize).copied() else {
            let kind = EvalErrorKind::ParamOutOfRange { id: p.0, len };
            return Err(EvalError {
                kind,
                span: self.span(),
            });
        };
        let i = p.0 as usize;
        params[i] = 0.0;
        let at0 = self.eval(params, stack);
        params[i] = 1.0;
        let at1 = self.eval(params, stack);
        params[i] = saved;
        let at0 = at0?;
        Ok((at0, at1? - at0))
    }

    fn op_span(&self, pc: usize) -> Range<usize> {
        self.spans.get(pc).cloned().unwrap_or_else(|| self.span())
    }
}

// The stack helpers below never panic: compiled code always has enough operands on the stack,
// and if it did not, a missing operand reads as NaN and surfaces as `NotFinite`.

#[inline(always)]
fn bin(stack: &mut Vec<f64>, f: impl Fn(f64, f64) -> f64) {
    let b = stack.pop().unwrap_or(f64::NAN);
    if let Some(a) = stack.last_mut() {
        *a = f(*a, b);
    }
}

#[inline(always)]
fn try_bin(
    stack: &mut Vec<f64>,
    f: impl Fn(f64, f64) -> Result<f64, EvalErrorKind>,
) -> Result<(), EvalErrorKind> {
    let b = stack.pop().unwrap_or(f64::NAN);
    if let Some(a) = stack.last_mut() {
        *a = f(*a, b)?;
    }
    Ok(())
}

#[inline(always)]
fn top(
    stack: &mut [f64],
    f: impl Fn(f64) -> Result<f64, EvalErrorKind>,
) -> Result<(), EvalErrorKind> {
    if let Some(x) = stack.last_mut() {
        *x = f(*x)?;
    }
    Ok(())
}

#[inline]
fn fold_top(stack: &mut Vec<f64>, n: u32, max: bool) {
    let k = stack.len().saturating_sub(n as usize);
    let v = extreme(&stack[k..], max);
    stack.truncate(k);
    stack.push(v);
}
