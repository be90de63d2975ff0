//! Tests across the whole pipeline: parse → compile → eval, checked against a plain
//! tree-walking reference evaluator that exists only here.

use std::ops::Range;

use proptest::prelude::*;

use super::eval::{apply_bin, apply_func};
use super::*;

const NAMES: [&str; 4] = ["a", "b", "c", "x_1"];

fn resolve(name: &str) -> Option<ParamId> {
    NAMES
        .iter()
        .position(|&n| n == name)
        .map(|i| ParamId(i as u32))
}

fn compiled(src: &str) -> Expr {
    compile(&parse(src).unwrap(), &mut resolve).unwrap()
}

fn value(src: &str, params: &[f64]) -> Result<f64, EvalError> {
    compiled(src).eval(params, &mut Vec::new())
}

/// Straightforward recursive evaluation of the tree, with the same error rules as the
/// bytecode (left operand first, first error wins, non-finite final result is an error).
fn reference(ast: &Ast, params: &[f64]) -> Result<f64, EvalError> {
    let v = walk(ast, params)?;
    if v.is_finite() {
        Ok(v)
    } else {
        Err(EvalError {
            kind: EvalErrorKind::NotFinite,
            span: ast.span.clone(),
        })
    }
}

fn walk(ast: &Ast, params: &[f64]) -> Result<f64, EvalError> {
    let at = |kind| EvalError {
        kind,
        span: ast.span.clone(),
    };
    match &ast.kind {
        AstKind::Num(v) => Ok(*v),
        AstKind::Param(n) => Ok(params[resolve(n).unwrap().0 as usize]),
        AstKind::Neg(x) => Ok(-walk(x, params)?),
        AstKind::Bin(op, a, b) => {
            let (x, y) = (walk(a, params)?, walk(b, params)?);
            apply_bin(*op, x, y).map_err(at)
        }
        AstKind::Cmp(op, a, b) => Ok(op.apply(walk(a, params)?, walk(b, params)?)),
        AstKind::Call(f, args) => {
            let vals: Result<Vec<f64>, _> = args.iter().map(|a| walk(a, params)).collect();
            apply_func(*f, &vals?).map_err(at)
        }
        AstKind::If(c, a, b) => {
            if walk(c, params)? != 0.0 {
                walk(a, params)
            } else {
                walk(b, params)
            }
        }
    }
}

#[test]
fn precedence_and_associativity() {
    // Values worked by hand from the precedence rules in the module doc; a=2, b=3, c=4.
    let p = [2.0, 3.0, 4.0, 0.0];
    let cases: &[(&str, f64)] = &[
        ("1 + 2*3", 7.0),
        ("(1 + 2)*3", 9.0),
        ("10 - 4 - 3", 3.0),
        ("24/4/3", 2.0),
        ("24/4*3", 18.0),
        ("-2^2", -4.0),
        ("(-2)^2", 4.0),
        ("2^3^2", 512.0),
        ("(2^3)^2", 64.0),
        ("2^-1", 0.5),
        ("-a^2", -4.0),
        ("--a", 2.0),
        ("+a - -b", 5.0),
        ("a*-b", -6.0),
        ("a - b*c", -10.0),
        ("a^b*c", 32.0),
        ("1 + 2 < 4", 1.0),
        ("a + 1 >= b", 1.0),
        ("a == 2", 1.0),
        ("a != 2", 0.0),
        ("a > b", 0.0),
        ("(a < b) + (b <= 3)", 2.0),
        ("min(a, b, c) + max(a, b, c)", 6.0),
        ("abs(a - c)", 2.0),
        ("exp(0) + ln(1) + sqrt(c)", 3.0),
        (".5 + 1e-1 + 2.5E1", 25.6),
        ("max(0, 1 - a*c)", 0.0),
        ("if(a > 1, b, c)", 3.0),
        ("if(a - 2, b, c)", 4.0),
        ("x_1 + 1", 1.0),
        ("a + if(b > 5, c, b)", 5.0),
        ("1 - if(a > 1, b, 0)", -2.0),
        ("max(a, b) - min(c, 1)*2", 1.0),
    ];
    for (src, want) in cases {
        assert_eq!(value(src, &p), Ok(*want), "{src}");
    }
}

#[test]
fn if_is_lazy() {
    // `if(a > 0, 1/a, 0)` at a = 0 takes the else branch and never divides.
    assert_eq!(value("if(a > 0, 1/a, 0)", &[0.0]), Ok(0.0));
    assert_eq!(value("if(a > 0, 1/a, 0)", &[4.0]), Ok(0.25));
    assert_eq!(value("if(a, ln(-1), 7)", &[0.0]), Ok(7.0));
}

#[test]
fn eval_errors_name_the_failing_subformula() {
    let span_of = |src: &str, p: &[f64]| {
        let e = value(src, p).unwrap_err();
        (e.kind, src[e.span].to_string())
    };
    assert_eq!(
        span_of("1 + a/(b - 1)", &[1.0, 1.0]),
        (EvalErrorKind::DivisionByZero, "a/(b - 1)".into())
    );
    assert_eq!(
        span_of("a/b", &[1.0, -0.0]),
        (EvalErrorKind::DivisionByZero, "a/b".into())
    );
    assert_eq!(
        span_of("2 + ln(a)", &[0.0]),
        (
            EvalErrorKind::Domain {
                func: "ln",
                arg: 0.0
            },
            "ln(a)".into()
        )
    );
    assert_eq!(
        span_of("sqrt(a - 3)", &[1.0]),
        (
            EvalErrorKind::Domain {
                func: "sqrt",
                arg: -2.0
            },
            "sqrt(a - 3)".into()
        )
    );
    assert_eq!(
        span_of("b + a^0.5", &[-1.0, 0.0]),
        (
            EvalErrorKind::Domain {
                func: "^",
                arg: -1.0
            },
            "a^0.5".into()
        )
    );
    assert_eq!(
        span_of("1 + exp(a)", &[1000.0]),
        (EvalErrorKind::NotFinite, "1 + exp(a)".into())
    );
    // A constant error is not folded away: it is reported when evaluated.
    assert_eq!(
        span_of("a + 1/0", &[1.0]),
        (EvalErrorKind::DivisionByZero, "1/0".into())
    );
    // `(-8)^(1/3)` has no real value under `powf`.
    assert_eq!(
        span_of("(-8)^(1/3)", &[]).0,
        EvalErrorKind::Domain {
            func: "^",
            arg: -8.0
        }
    );
}

#[test]
fn too_few_params_is_an_error_not_a_panic() {
    let e = value("a + c", &[1.0]).unwrap_err();
    assert_eq!(e.kind, EvalErrorKind::ParamOutOfRange { id: 2, len: 1 });
    assert_eq!(e.span, 4..5);
}

#[test]
fn display_messages() {
    let e = value("ln(a)", &[-1.0]).unwrap_err();
    assert_eq!(e.to_string(), "`ln` is undefined at -1");
    assert_eq!(
        value("1/a", &[0.0]).unwrap_err().to_string(),
        "division by zero"
    );
    let p = parse("sqr(a)").unwrap_err();
    assert_eq!(
        p.to_string(),
        "unknown function `sqr`; did you mean `sqrt`?"
    );
}

#[test]
fn no_allocation_after_warm_up() {
    let e = compiled("if(a > 0.2, max(b, c*a, 1) - a*b + (c - (a - (b - 1))), a)");
    let mut stack = Vec::new();
    e.eval(&[0.5, 1.0, 2.0], &mut stack).unwrap();
    let cap = stack.capacity();
    assert!(cap >= e.max_stack());
    let ptr = stack.as_ptr();
    for i in 0..100 {
        let a = f64::from(i) / 50.0;
        e.eval(&[a, 1.0, 2.0], &mut stack).unwrap();
        assert_eq!(stack.capacity(), cap);
        assert_eq!(stack.as_ptr(), ptr);
    }
}

#[test]
fn affine_coefficients() {
    // a - b*c + 1 with b = 3: intercept a + 1 = 3 at a = 2, slope -3 in c.
    let src = "a - b*c + 1";
    assert!(parse(src).unwrap().is_affine_in("c"));
    let e = compiled(src);
    let mut params = [2.0, 3.0, 9.0];
    let got = e.affine_coeffs(ParamId(2), &mut params, &mut Vec::new());
    assert_eq!(got, Ok((3.0, -3.0)));
    assert_eq!(params, [2.0, 3.0, 9.0]);
}

#[test]
fn constant_expr() {
    let e = Expr::constant(2.5);
    assert_eq!(e.is_constant(), Some(2.5));
    assert!(e.params().is_empty());
    assert_eq!(e.eval_alloc(&[]), Ok(2.5));
}

/// Random formulas over the names in [`NAMES`], with non-negative literals (a negative
/// literal only arises from folding).
fn arb_ast() -> impl Strategy<Value = Ast> {
    let num = prop::sample::select(vec![0.0, 0.5, 1.0, 2.0, 3.0, 0.001, 1.5e10, 7.25])
        .prop_map(|v| Ast::new(AstKind::Num(v), 0..0));
    let param = prop::sample::select(NAMES.to_vec())
        .prop_map(|n| Ast::new(AstKind::Param(n.to_string()), 0..0));
    let leaf = prop_oneof![num, param];
    leaf.prop_recursive(6, 48, 3, |inner| {
        let bx = |a: Ast| Box::new(a);
        let node = |k| Ast::new(k, 0..0);
        let bin = prop::sample::select(vec![
            BinOp::Add,
            BinOp::Sub,
            BinOp::Mul,
            BinOp::Div,
            BinOp::Pow,
        ]);
        let cmp = prop::sample::select(vec![
            CmpOp::Lt,
            CmpOp::Le,
            CmpOp::Gt,
            CmpOp::Ge,
            CmpOp::Eq,
            CmpOp::Ne,
        ]);
        let f1 = prop::sample::select(vec![Func::Abs, Func::Exp, Func::Ln, Func::Sqrt]);
        let f2 = prop::sample::select(vec![Func::Min, Func::Max]);
        prop_oneof![
            inner.clone().prop_map(move |x| node(AstKind::Neg(bx(x)))),
            (bin, inner.clone(), inner.clone()).prop_map(move |(op, a, b)| node(AstKind::Bin(
                op,
                bx(a),
                bx(b)
            ))),
            (cmp, inner.clone(), inner.clone()).prop_map(move |(op, a, b)| node(AstKind::Cmp(
                op,
                bx(a),
                bx(b)
            ))),
            (f1, inner.clone()).prop_map(move |(f, x)| node(AstKind::Call(f, vec![x]))),
            (f2, prop::collection::vec(inner.clone(), 2..4))
                .prop_map(move |(f, xs)| node(AstKind::Call(f, xs))),
            (inner.clone(), inner.clone(), inner).prop_map(move |(c, a, b)| node(AstKind::If(
                bx(c),
                bx(a),
                bx(b)
            ))),
        ]
    })
}

fn arb_params() -> impl Strategy<Value = Vec<f64>> {
    let v = prop_oneof![Just(0.0), Just(1.0), Just(-1.0), -3.0..3.0f64];
    prop::collection::vec(v, 4)
}

/// Outcome with spans dropped: random trees carry dummy spans.
fn outcome(r: Result<f64, EvalError>) -> Result<u64, EvalErrorKind> {
    r.map(f64::to_bits).map_err(|e| e.kind)
}

fn check_spans_inside(e: &Result<f64, EvalError>, len: usize) -> bool {
    e.as_ref()
        .err()
        .is_none_or(|e| e.span.end <= len && e.span.start <= e.span.end)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Display → parse → compile → eval agrees bit for bit with the reference walk of the
    /// original tree, and printing is stable.
    #[test]
    fn display_round_trip(ast in arb_ast(), params in arb_params()) {
        let text = ast.to_string();
        let reparsed = parse(&text).map_err(|e| TestCaseError::fail(format!("{text}: {e:?}")))?;
        prop_assert_eq!(reparsed.to_string(), text.clone());
        let expr = compile(&reparsed, &mut resolve).unwrap();
        let got = expr.eval(&params, &mut Vec::new());
        prop_assert!(check_spans_inside(&got, text.len()));
        prop_assert_eq!(outcome(got), outcome(reference(&ast, &params)), "{}", text);
        // The reference on the reparsed tree reports the same span as the bytecode.
        let (got, want) = (expr.eval_alloc(&params), reference(&reparsed, &params));
        let span = |r: &Result<f64, EvalError>| r.as_ref().err().map(|e| e.span.clone());
        prop_assert_eq!(span(&got), span(&want), "{}", text);
    }

    /// Constant folding and `simplify` never change a value (or turn an error into one).
    #[test]
    fn folding_preserves_values(ast in arb_ast(), params in arb_params()) {
        let want = outcome(reference(&ast, &params));
        let simple = ast.simplify();
        let text = simple.to_string();
        let reparsed = parse(&text).map_err(|e| TestCaseError::fail(format!("{text}: {e:?}")))?;
        let expr = compile(&reparsed, &mut resolve).unwrap();
        let got = outcome(expr.eval(&params, &mut Vec::new()));
        // `simplify` may drop an untaken constant-condition branch, never a reachable error,
        // and `x*1`, `x + 0` leave x's bits unchanged except for `-0 + 0`.
        match (&want, &got) {
            (Ok(a), Ok(b)) => prop_assert_eq!(f64::from_bits(*a), f64::from_bits(*b), "{}", text),
            _ => prop_assert_eq!(want, got, "{}", text),
        }
    }
}

#[test]
fn spans_in_range_helper_rejects_bad_spans() {
    let bad: Range<usize> = 3..9;
    let e = Err(EvalError {
        kind: EvalErrorKind::NotFinite,
        span: bad,
    });
    assert!(!check_spans_inside(&e, 5));
}
