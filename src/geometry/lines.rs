//! A polynomial in the two mapped parameters written as a product of lines, when it is one.
//!
//! A regime's conditions are polynomials; with every other parameter at the base point, many
//! that are not linear still vanish only on straight lines: `q·p − q/2 − p/2 + 1/4` is
//! `(q − 1/2)(p − 1/2)`, a product of two boundaries of the map's regions. Drawn by slicing
//! ([`super::curve`]) such a region is only approximated (its share to a stated precision),
//! though it is a union of exact polygons. [`lines`] finds the factors: lines `x = r` divide
//! the polynomial's leading coefficient in `y`, so they are among that coefficient's rational
//! roots; every other linear factor is `y − s(x)` with `s` linear, and `s(0)`, `s(1)` are
//! rational roots of the polynomial at `x = 0` and `x = 1`. Each candidate is confirmed by an
//! exact division, and the polynomial must be left a constant. Then its sign is constant on
//! each face of the lines' arrangement ([`super::arrangement`]).

use super::HalfPlane;
use crate::exact::Rational;
use crate::regime::rational::simplest_in;
use crate::regime::spoly::SPoly;
use crate::regime::sturm::roots_in;
use num_traits::{One, Signed, Zero};

/// Most factors looked for in one polynomial.
const MAX_DEGREE: u32 = 12;

/// The lines whose product (times a constant) is `p`, a polynomial in variables `x` and `y`
/// only, each as the half-plane `line ≥ 0` (its side does not matter: only the line does);
/// `None` if `p` is not such a product (a factor of degree two or more, or an irrational
/// line). A constant has no lines.
pub fn lines(p: &SPoly, x: usize, y: usize) -> Option<Vec<HalfPlane>> {
    if p.terms.keys().flatten().any(|&(v, _)| v != x && v != y) || p.is_zero() {
        return None;
    }
    if p.degree_of(x) + p.degree_of(y) > MAX_DEGREE {
        return None;
    }
    let mut f = p.clone();
    let mut out = Vec::new();
    // Lines x = r: rational roots of the leading coefficient in y.
    let lead = f.coefficients_in(y).pop()?;
    for r in rational_roots(&univariate(&lead, x)?) {
        while let Some(g) = f.div_linear(x, &r) {
            f = g;
            out.push(HalfPlane {
                a: Rational::one(),
                b: Rational::zero(),
                c: -&r,
            });
        }
    }
    // Lines y = s(x) = s0 + (s1 − s0)·x.
    while f.degree_of(y) > 0 {
        let at = |v: i64| {
            let q = Rational::from_integer(v.into());
            univariate(&f.substitute(&|w| (w == x).then(|| q.clone())), y)
        };
        let (r0, r1) = (rational_roots(&at(0)?), rational_roots(&at(1)?));
        let mut found = None;
        'pairs: for s0 in &r0 {
            for s1 in &r1 {
                let s = SPoly::constant(s0.clone()).add(&SPoly::var(x).scale(&(s1 - s0)));
                if let Some(g) = f.div_by_line(y, &s) {
                    found = Some((g, s0.clone(), s1 - s0));
                    break 'pairs;
                }
            }
        }
        let (g, s0, slope) = found?;
        f = g;
        // y − s0 − slope·x ≥ 0.
        out.push(HalfPlane {
            a: -slope,
            b: Rational::one(),
            c: -s0,
        });
    }
    f.as_constant().filter(|c| !c.is_zero()).map(|_| out)
}

/// `p`, a polynomial in variable `v` alone, as coefficients ascending; `None` if another
/// variable appears.
fn univariate(p: &SPoly, v: usize) -> Option<Vec<Rational>> {
    p.coefficients_in(v)
        .iter()
        .map(SPoly::as_constant)
        .collect::<Option<Vec<_>>>()
}

/// The distinct rational roots of `p` (coefficients ascending): each real root isolated
/// (Sturm) to far below the gap between rationals of moderate denominator, then the simplest
/// rational of its interval confirmed by evaluating `p` there exactly.
pub fn rational_roots(p: &[Rational]) -> Vec<Rational> {
    let Some(n) = p.iter().rposition(|c| !c.is_zero()) else {
        return Vec::new();
    };
    if n == 0 {
        return Vec::new();
    }
    // Cauchy's bound: every root lies within 1 + max |p_k / p_n|.
    let bound = p[..n]
        .iter()
        .map(|c| (c / &p[n]).abs())
        .fold(Rational::zero(), |m, c| if c > m { c } else { m })
        + Rational::one();
    let width = &bound / Rational::from_integer((1i64 << 62).into());
    let value = |x: &Rational| p.iter().rev().fold(Rational::zero(), |acc, c| acc * x + c);
    let mut out: Vec<Rational> = Vec::new();
    for r in roots_in(&p[..=n], &-&bound, &bound, &width) {
        let q = if r.is_rational() {
            r.lo
        } else {
            simplest_in(&r.lo, &r.hi)
        };
        if value(&q).is_zero() && !out.contains(&q) {
            out.push(q);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Rational {
        crate::exact::parse(s).expect("a number")
    }

    fn c(s: &str) -> SPoly {
        SPoly::constant(q(s))
    }

    #[test]
    fn a_product_of_lines_is_found_and_a_curve_is_not() {
        let (x, y) = (SPoly::var(0), SPoly::var(1));
        // (x − 1/2)(y − 1/2) = xy − x/2 − y/2 + 1/4.
        let p = x.sub(&c("1/2")).mul(&y.sub(&c("1/2")));
        let ls = lines(&p, 0, 1).expect("two lines");
        assert_eq!(ls.len(), 2);
        let on = |h: &HalfPlane, px: &str, py: &str| h.value(&(q(px), q(py))).is_zero();
        assert!(ls.iter().any(|h| on(h, "1/2", "0") && on(h, "1/2", "1")));
        assert!(ls.iter().any(|h| on(h, "0", "1/2") && on(h, "1", "1/2")));
        // A slanted line squared, times a constant: y − 2x/3 − 1/7.
        let l = y.sub(&x.scale(&q("2/3"))).sub(&c("1/7"));
        let ls = lines(&l.mul(&l).scale(&q("-5")), 0, 1).expect("one line twice");
        assert_eq!(ls.len(), 2);
        assert!(ls.iter().all(|h| on(h, "0", "1/7") && on(h, "3/2", "8/7")));
        // A circle and an irrational line are not products of rational lines.
        let circle = x.mul(&x).add(&y.mul(&y)).sub(&c("1/4"));
        assert!(lines(&circle, 0, 1).is_none());
        let irrational = x.mul(&x).sub(&c("2"));
        assert!(lines(&irrational, 0, 1).is_none());
        // A constant has no lines.
        assert_eq!(lines(&c("3"), 0, 1), Some(Vec::new()));
    }

    #[test]
    fn rational_roots_are_exact() {
        // (7x − 3)(x + 2)(x² − 2) = 7x⁴ + 11x³ − 20x² − 22x + 12.
        let p = [q("12"), q("-22"), q("-20"), q("11"), q("7")];
        let mut r = rational_roots(&p);
        r.sort();
        assert_eq!(r, [q("-2"), q("3/7")]);
    }
}
