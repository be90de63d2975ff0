//! Exact division, gcds and factors: every result multiplies back to its input exactly, and
//! the simplified conditions hold exactly where the originals do over a map.

use super::*;
use crate::regime::derive::Cond;
use crate::regime::simplify::over_map;
use crate::regime::tests::Draw;

fn names() -> Vec<String> {
    ["q_res", "g_P", "c_P", "c_hi", "a", "lambda", "T", "L"]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

fn p(src: &str) -> SPoly {
    let n = names();
    SPoly::from_ast(&crate::expr::parse(src).expect("parses"), src, &|s| {
        n.iter().position(|m| m == s)
    })
    .expect("polynomial")
}

#[test]
fn division_and_gcd_are_exact() {
    let a = p("(g_P - c_P)*(c_hi - a + lambda*T - L*q_res)");
    let b = p("(L*g_P - L*c_P)");
    assert_eq!(gcd(&a, &b), p("g_P - c_P"));
    assert_eq!(
        divide(&a, &p("c_P - g_P")),
        Some(p("L*q_res - c_hi + a - lambda*T"))
    );
    assert_eq!(divide(&a, &p("c_P + g_P")), None);
    assert_eq!(divide(&a, &p("L")), None);
    // Shared factors of several variables and powers.
    let f = p("(q_res*T - 2*a + 1)");
    let x = f.mul(&f).mul(&p("L - 3"));
    let y = f.mul(&p("(L + g_P)*(c_hi - 1/2)"));
    assert_eq!(gcd(&x, &y), normal(&f));
    assert_eq!(gcd(&p("q_res + 1"), &p("q_res - 1")), SPoly::one());
}

#[test]
fn factors_multiply_back_and_split_products() {
    let cases = [
        ("(g_P - c_P)*(c_hi - a + lambda*T - L*q_res)", 2),
        ("-3*q_res^2*(g_P - c_P)*(L + 1)", 3),
        ("(2*q_res - 1)*(2*T - 1)", 2),
        ("(q_res*T + a - 1)^2*(c_hi - a)", 2),
        ("(q_res*T + a - 1)*(q_res*a + T - 1)", 2),
        ("q_res*T + a - 1", 1),
        ("7/3", 0),
    ];
    for (src, n) in cases {
        let poly = p(src);
        let cands = [p("q_res*a + T - 1")];
        let f = factor(&poly, &cands);
        assert_eq!(f.expand(), poly, "{src}: {f:?}");
        assert_eq!(f.factors.len(), n, "{src}: {f:?}");
        for (g, k) in &f.factors {
            assert!(g.as_constant().is_none() && *k >= 1);
            assert_eq!(normal(g), *g);
        }
    }
    let f = factor(&p("-(g_P - c_P)*(c_hi - a + lambda*T)"), &[]);
    assert_eq!(
        show_product(&f, &names()),
        "-(g_P - c_P)*(c_hi - a + lambda*T)"
    );
}

/// Conditions over the map of `q_res` and `T`, with factors free of the map whose signs at the
/// base point are positive and negative, one that another condition gives, and one on the
/// map of unknown sign.
fn conditions() -> Vec<Cond> {
    let c = |s: &str, strict: bool| Cond { poly: p(s), strict };
    vec![
        // g_P − c_P: positive at the base point.
        c("(g_P - c_P)*(c_hi - a + lambda*T - L*q_res)", true),
        // c_P − g_P: negative there (the inequality flips).
        c("(c_P - g_P)*(q_res - T)*L", false),
        // a − c_hi is given strictly by another condition.
        c("a - c_hi", true),
        c("(c_hi - a)*(2*q_res - 1)*(2*T - 1)", false),
        // Free of the map: stated at the base point.
        c("(c_hi - 1)*(g_P - c_P)", false),
    ]
}

fn holds(cs: &[Cond], theta: &[Rational]) -> bool {
    cs.iter().all(|c| c.holds(theta))
}

#[test]
fn simplified_conditions_hold_exactly_where_the_originals_do() {
    let q = |s: &str| crate::exact::parse(s).expect("number");
    // q_res, g_P, c_P, c_hi, a, lambda, T, L
    let mut base: Vec<Rational> = ["1/3", "1", "1/2", "5/4", "3/2", "1/2", "2/5", "1"]
        .iter()
        .map(|s| q(s))
        .collect();
    let mapped = [(0, q("0"), q("1")), (6, q("0"), q("1"))];
    for flip in [false, true] {
        if flip {
            // The other case: c_P above g_P at the base point (and c_hi below 1, so that the
            // condition free of the map still holds there).
            base.swap(1, 2);
            base[3] = q("3/4");
        }
        let conds = conditions();
        let s = over_map(&conds, &base, &mapped);
        // The map-free factors were divided out and their signs stated as cases.
        let gp_cp = p("g_P - c_P");
        let want = if flip {
            gp_cp.scale(&-Rational::one())
        } else {
            gp_cp
        };
        assert!(s.cases.iter().any(|c| c.poly == want && c.strict), "{s:?}");
        assert!(s.conds.iter().all(|c| c.poly.terms.len() <= 4), "{s:?}");
        assert!(holds(&s.cases, &base));
        let mut draw = Draw(7, 0);
        let (mut yes, mut no) = (0, 0);
        for _ in 0..400 {
            let mut theta = base.clone();
            theta[0] = draw.next(0, 1);
            theta[6] = draw.next(0, 1);
            let before = holds(&conds, &theta);
            assert_eq!(before, holds(&s.conds, &theta), "at {theta:?}");
            if before {
                yes += 1
            } else {
                no += 1
            }
        }
        assert!(yes > 0 && no > 0, "both cases met: {yes} {no}");
        // Anywhere in the base point's case, the same.
        for _ in 0..400 {
            let theta: Vec<Rational> = (0..8).map(|_| draw.next(-1, 3)).collect();
            if holds(&s.cases, &theta) {
                assert_eq!(
                    holds(&conds, &theta),
                    holds(&s.conds, &theta),
                    "at {theta:?}"
                );
            }
        }
    }
}

#[test]
fn a_bound_prints_with_its_common_factor_cancelled() {
    let q = |s: &str| crate::exact::parse(s).expect("number");
    let base: Vec<Rational> = ["1/3", "1", "1/2", "13/10", "1", "1/2", "2/5", "1"]
        .iter()
        .map(|s| q(s))
        .collect();
    let mapped = [(0, q("0"), q("1")), (6, q("0"), q("1"))];
    let conds = [Cond {
        poly: p("c_hi*g_P - c_hi*c_P - a*g_P + a*c_P + lambda*T*g_P - lambda*T*c_P - L*g_P*q_res + L*c_P*q_res"),
        strict: true,
    }];
    let mapped1 = [mapped[0].clone()];
    let s = crate::regime::conditions::state(&conds, &names(), &base, &mapped1);
    assert_eq!(
        s.on_map,
        vec!["q_res < (c_hi - a + lambda*T)/L".to_string()],
        "{s:?}"
    );
    assert_eq!(s.elsewhere, vec!["c_P < g_P".to_string()], "{s:?}");
}
