//! Evaluation of compiled formulas: a stack machine over a caller-owned scratch buffer, so a
//! sweep evaluates millions of parameter points with no allocation and no string look-up.
//!
//! The arithmetic of each operator lives in [`apply_bin`] and [`apply_func`], shared with
//! constant folding in [`super::compile()`] and [`super::Ast::simplify`], so a folded constant is
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
    /// `stack` is scratch space owned by the caller and reused across calls: on the first call
    /// (or when a formula needs more room than any before) it grows to [`Expr::max_stack`];
    /// later calls do not allocate. Its contents are meaningless between calls.
    pub fn eval(&self, params: &[f64], stack: &mut Vec<f64>) -> Result<f64, EvalError> {
        if params.len() < self.n_params {
            return Err(self.missing_param(params.len()));
        }
        if stack.len() < self.max_stack {
            stack.resize(self.max_stack, 0.0);
        }
        // The top of the stack lives in `top`; `below[..sp]` holds the values under it. The
        // first push parks a dummy in `below[0]`, so `max_stack` slots suffice. Compiled code
        // never over- or underflows, and `params` was checked to cover every parameter read;
        // were either broken, `get`/`get_mut` would turn it into a NaN (reported as
        // `NotFinite`) rather than a panic.
        let below = stack.as_mut_slice();
        let mut sp = 0usize;
        let mut top = f64::NAN;
        let ops = self.ops.as_slice();
        let mut pc = 0;
        macro_rules! push {
            ($v:expr) => {{
                let v = $v;
                if let Some(slot) = below.get_mut(sp) {
                    *slot = top;
                }
                sp += 1;
                top = v;
            }};
        }
        macro_rules! param {
            ($i:expr) => {
                params.get($i as usize).copied().unwrap_or(f64::NAN)
            };
        }
        macro_rules! pop {
            () => {{
                sp = sp.wrapping_sub(1);
                below.get(sp).copied().unwrap_or(f64::NAN)
            }};
        }
        macro_rules! check {
            ($r:expr) => {
                match $r {
                    Ok(v) => v,
                    Err(kind) => return Err(self.error(kind, pc.wrapping_sub(1))),
                }
            };
        }
        while let Some(&op) = ops.get(pc) {
            pc += 1;
            match op {
                Op::Const(v) => push!(v),
                Op::Param(i) => push!(param!(i)),
                Op::AddP(i) => top += param!(i),
                Op::SubP(i) => top -= param!(i),
                Op::MulP(i) => top *= param!(i),
                Op::DivP(i) => top = check!(div(top, param!(i))),
                Op::AddC(c) => top += c,
                Op::SubC(c) => top -= c,
                Op::MulC(c) => top *= c,
                Op::DivC(c) => top = check!(div(top, c)),
                Op::PowC(c) => top = check!(pow(top, c)),
                Op::CmpC(cmp, c) => top = cmp.apply(top, c),
                // `a + b` and `a * b` with `a` below the top (IEEE `+` and `*` commute).
                Op::Add => top += pop!(),
                Op::Sub => top = pop!() - top,
                Op::Mul => top *= pop!(),
                Op::Div => top = check!(div(pop!(), top)),
                Op::Pow => top = check!(pow(pop!(), top)),
                Op::Cmp(cmp) => top = cmp.apply(pop!(), top),
                Op::Neg => top = -top,
                Op::Abs => top = top.abs(),
                Op::Exp => top = top.exp(),
                Op::Ln => top = check!(unary(Func::Ln, top)),
                Op::Sqrt => top = check!(unary(Func::Sqrt, top)),
                Op::Min(n) | Op::Max(n) => {
                    // `top` and the `n - 1` values below it.
                    let k = sp.saturating_sub((n as usize).saturating_sub(1));
                    let rest = below.get(k..sp).unwrap_or(&[]);
                    let is_max = matches!(op, Op::Max(_));
                    let v = extreme(rest, is_max);
                    sp = k;
                    top = extreme(&[v, top], is_max);
                }
                Op::JumpIfZero(to) => {
                    if top == 0.0 {
                        pc = to as usize;
                    }
                    top = pop!();
                }
                Op::Jump(to) => pc = to as usize,
            }
        }
        if top.is_finite() && sp == 1 {
            Ok(top)
        } else {
            Err(self.error(EvalErrorKind::NotFinite, usize::MAX))
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

    /// The error for a `params` slice of length `len`, too short for this formula: names the
    /// first read of the lowest missing parameter.
    #[cold]
    fn missing_param(&self, len: usize) -> EvalError {
        let missing = self.params().iter().filter(|p| p.0 as usize >= len).min();
        let id = missing.map_or(u32::MAX, |p| p.0);
        let span = missing
            .and_then(|&p| self.param_span(p))
            .unwrap_or_else(|| self.span());
        EvalError {
            kind: EvalErrorKind::ParamOutOfRange { id, len },
            span,
        }
    }

    /// The error `kind` at instruction `at` (the whole formula when `at` is out of range).
    #[cold]
    fn error(&self, kind: EvalErrorKind, at: usize) -> EvalError {
        let span = self.spans.get(at).cloned().unwrap_or_else(|| self.span());
        EvalError { kind, span }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operator_rules() {
        assert_eq!(
            apply_bin(BinOp::Div, 1.0, 0.0),
            Err(EvalErrorKind::DivisionByZero)
        );
        assert_eq!(
            apply_bin(BinOp::Div, 1.0, -0.0),
            Err(EvalErrorKind::DivisionByZero)
        );
        assert_eq!(apply_bin(BinOp::Pow, 2.0, -1.0), Ok(0.5));
        assert_eq!(
            apply_bin(BinOp::Pow, -1.0, 0.5),
            Err(EvalErrorKind::Domain {
                func: "^",
                arg: -1.0
            })
        );
        // NaN in, NaN out: not a domain error of `^` itself.
        assert!(apply_bin(BinOp::Pow, f64::NAN, 2.0).unwrap().is_nan());
        assert_eq!(
            apply_func(Func::Ln, &[0.0]),
            Err(EvalErrorKind::Domain {
                func: "ln",
                arg: 0.0
            })
        );
        assert_eq!(apply_func(Func::Sqrt, &[-0.0]), Ok(-0.0));
        assert_eq!(
            apply_func(Func::Sqrt, &[-1.0]),
            Err(EvalErrorKind::Domain {
                func: "sqrt",
                arg: -1.0
            })
        );
    }

    #[test]
    fn min_and_max_propagate_nan() {
        // `f64::min(NaN, 1)` is 1; a formula's `min` must not hide the NaN.
        assert!(apply_func(Func::Min, &[f64::NAN, 1.0]).unwrap().is_nan());
        assert!(apply_func(Func::Max, &[1.0, f64::NAN, 3.0])
            .unwrap()
            .is_nan());
        assert_eq!(apply_func(Func::Max, &[1.0, 4.0, 3.0]), Ok(4.0));
        assert_eq!(apply_func(Func::Min, &[1.0, -4.0, 3.0]), Ok(-4.0));
    }
}
