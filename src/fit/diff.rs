//! Symbolic derivatives of formulas, so the likelihood's gradient is exact.
//!
//! A payoff formula may be any formula of the model language (`e_P - g_P + psi0 + beta*T`,
//! `if(T > 0.2, a - lambda*T, a)`); the likelihood needs its derivative with respect to each
//! estimated parameter. [`diff`] returns that derivative as another formula, which is compiled
//! and evaluated like any other; when it mentions no parameter that varies across rows it is a
//! constant, and the payoff is affine in the varying parameters (the fast path of
//! [`crate::fit::formulas`]).
//!
//! Kinks and jumps (`min`, `max`, `abs`, comparisons, the condition of `if`) are differentiated
//! piecewise: the derivative of `max(a, b)` is that of the larger argument, of `abs(x)` is
//! `±x'`, and of a comparison is 0. At the kink itself the derivative is one-sided.

use crate::expr::{Ast, AstKind, BinOp, CmpOp, Func};

fn num(v: f64) -> Ast {
    Ast::new(AstKind::Num(v), 0..0)
}

fn bin(op: BinOp, a: Ast, b: Ast) -> Ast {
    Ast::new(AstKind::Bin(op, Box::new(a), Box::new(b)), 0..0)
}

fn neg(a: Ast) -> Ast {
    Ast::new(AstKind::Neg(Box::new(a)), 0..0)
}

fn is_zero(a: &Ast) -> bool {
    matches!(a.kind, AstKind::Num(v) if v == 0.0)
}

fn is_one(a: &Ast) -> bool {
    matches!(a.kind, AstKind::Num(v) if v == 1.0)
}

fn add(a: Ast, b: Ast) -> Ast {
    match (is_zero(&a), is_zero(&b)) {
        (true, _) => b,
        (_, true) => a,
        _ => bin(BinOp::Add, a, b),
    }
}

fn sub(a: Ast, b: Ast) -> Ast {
    match (is_zero(&a), is_zero(&b)) {
        (_, true) => a,
        (true, _) => neg(b),
        _ => bin(BinOp::Sub, a, b),
    }
}

/// `a * b`, dropping the product when either factor is the constant 0 (the factors here are
/// derivatives and finite sub-formulas, so `0 * x` is 0 wherever the formula itself is defined).
fn mul(a: Ast, b: Ast) -> Ast {
    if is_zero(&a) || is_zero(&b) {
        return num(0.0);
    }
    match (is_one(&a), is_one(&b)) {
        (true, _) => b,
        (_, true) => a,
        _ => bin(BinOp::Mul, a, b),
    }
}

fn div(a: Ast, b: Ast) -> Ast {
    if is_zero(&a) {
        return num(0.0);
    }
    bin(BinOp::Div, a, b)
}

fn call(f: Func, args: Vec<Ast>) -> Ast {
    Ast::new(AstKind::Call(f, args), 0..0)
}

fn iff(c: Ast, a: Ast, b: Ast) -> Ast {
    if is_zero(&a) && is_zero(&b) {
        return num(0.0);
    }
    Ast::new(AstKind::If(Box::new(c), Box::new(a), Box::new(b)), 0..0)
}

fn cmp(op: CmpOp, a: Ast, b: Ast) -> Ast {
    Ast::new(AstKind::Cmp(op, Box::new(a), Box::new(b)), 0..0)
}

/// The derivative of `f` with respect to parameter `p`, simplified.
pub fn diff(f: &Ast, p: &str) -> Ast {
    d(f, p).simplify()
}

fn d(f: &Ast, p: &str) -> Ast {
    if !f.mentions(p) {
        return num(0.0);
    }
    match &f.kind {
        AstKind::Num(_) => num(0.0),
        AstKind::Param(n) => num(if n == p { 1.0 } else { 0.0 }),
        AstKind::Neg(x) => {
            let dx = d(x, p);
            if is_zero(&dx) {
                dx
            } else {
                neg(dx)
            }
        }
        AstKind::Cmp(..) => num(0.0),
        AstKind::Bin(op, a, b) => {
            let (a, b) = (a.as_ref(), b.as_ref());
            match op {
                BinOp::Add => add(d(a, p), d(b, p)),
                BinOp::Sub => sub(d(a, p), d(b, p)),
                BinOp::Mul => add(mul(d(a, p), b.clone()), mul(a.clone(), d(b, p))),
                BinOp::Div => {
                    // (a/b)' = a'/b - a b' / b²
                    let first = div(d(a, p), b.clone());
                    let db = d(b, p);
                    if is_zero(&db) {
                        first
                    } else {
                        sub(
                            first,
                            div(mul(a.clone(), db), bin(BinOp::Mul, b.clone(), b.clone())),
                        )
                    }
                }
                BinOp::Pow => {
                    let db = d(b, p);
                    let da = d(a, p);
                    if is_zero(&db) {
                        // (a^c)' = c a^(c-1) a'
                        mul(
                            mul(
                                b.clone(),
                                bin(BinOp::Pow, a.clone(), sub(b.clone(), num(1.0))),
                            ),
                            da,
                        )
                    } else {
                        // (a^b)' = a^b (b' ln a + b a'/a)
                        mul(
                            f.clone(),
                            add(
                                mul(db, call(Func::Ln, vec![a.clone()])),
                                div(mul(b.clone(), da), a.clone()),
                            ),
                        )
                    }
                }
            }
        }
        AstKind::If(c, a, b) => iff((**c).clone(), d(a, p), d(b, p)),
        AstKind::Call(func, args) => match func {
            Func::Exp => mul(f.clone(), d(&args[0], p)),
            Func::Ln => div(d(&args[0], p), args[0].clone()),
            Func::Sqrt => div(d(&args[0], p), mul(num(2.0), f.clone())),
            Func::Abs => {
                let x = &args[0];
                let dx = d(x, p);
                iff(cmp(CmpOp::Lt, x.clone(), num(0.0)), neg(dx.clone()), dx)
            }
            Func::Min | Func::Max => {
                // The derivative of the first argument attaining the extreme.
                let op = if *func == Func::Min {
                    CmpOp::Le
                } else {
                    CmpOp::Ge
                };
                let mut out = d(args.last().expect("min/max have two or more arguments"), p);
                for (i, x) in args.iter().enumerate().rev().skip(1) {
                    let mut cond: Option<Ast> = None;
                    for y in args.iter().skip(i + 1) {
                        let c = cmp(op, x.clone(), y.clone());
                        cond = Some(match cond {
                            None => c,
                            // Both hold: c1 * c2 is 1 exactly when both are 1.
                            Some(prev) => bin(BinOp::Mul, prev, c),
                        });
                    }
                    out = iff(cond.expect("one argument follows"), d(x, p), out);
                }
                out
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::{compile, parse, ParamId};

    fn eval(f: &Ast, names: &[&str], at: &[f64]) -> f64 {
        let e = compile(f, &mut |n| {
            names
                .iter()
                .position(|&m| m == n)
                .map(|i| ParamId(i as u32))
        })
        .unwrap();
        e.eval_alloc(at).unwrap()
    }

    #[test]
    fn derivatives_match_finite_differences() {
        let names = ["x", "y", "z"];
        let at = [0.7, -1.3, 2.1];
        for text in [
            "x*y + 3*x - z/x",
            "-(a_ - x*z)",
            "x^3 + y^2*z",
            "z^x",
            "exp(x*y) + ln(z) + sqrt(z + x)",
            "max(x, y, z*x) + min(y, 2) + abs(y - x)",
            "if(x > 0, x*z, y)",
            "(x - y)/(z + x)",
        ] {
            let f = parse(&text.replace("a_", "1.5")).unwrap();
            for (k, p) in names.iter().enumerate() {
                let df = diff(&f, p);
                let h = 1e-6;
                let mut up = at;
                up[k] += h;
                let mut dn = at;
                dn[k] -= h;
                let fd = (eval(&f, &names, &up) - eval(&f, &names, &dn)) / (2.0 * h);
                let an = eval(&df, &names, &at);
                assert!(
                    (fd - an).abs() < 1e-6 * (1.0 + fd.abs()),
                    "d/d{p} of {text}: analytic {an}, finite difference {fd}"
                );
            }
        }
    }

    #[test]
    fn affine_derivatives_are_constants() {
        let f = parse("e_P - g_P + psi0 + beta*T").unwrap();
        assert_eq!(diff(&f, "psi0").kind, AstKind::Num(1.0));
        assert_eq!(diff(&f, "g_P").kind, AstKind::Num(-1.0));
        // beta*T: the derivative in beta is T, a parameter.
        assert_eq!(diff(&f, "beta").kind, AstKind::Param("T".into()));
    }
}
