//! Exact division, greatest common divisors and factors of the conditions' polynomials.
//!
//! A regime's conditions come out of Cramer's rule and substitution as expanded polynomials in
//! which a common factor hides in every term: `c_hi*g_P - c_hi*c_P - a*g_P + …` is
//! `(g_P - c_P)·(c_hi - a + lambda*T)`. To print `q_res < (c_hi - a + lambda*T)/L` the
//! factors must be found and cancelled, exactly. This module does the algebra over
//! [`SPoly`]: exact multivariate division (recursive in the variables), the greatest common
//! divisor by primitive pseudo-remainder sequences, and a *partial* factorisation — monomial
//! factors, the content of the polynomial in each variable, repeated factors (through the gcd
//! with a derivative) and trial division by candidate factors the caller knows (those of
//! other conditions). Every factor found is an exact divisor; a factor left unsplit may still
//! be reducible, which costs readability, never correctness. Work is bounded: polynomials
//! beyond [`MAX_TERMS`] terms, or intermediate results beyond it, are left as they are.

use super::spoly::SPoly;
use crate::exact::Rational;
use num_traits::{One, Signed};

/// Largest number of terms an operand or an intermediate result may have.
pub const MAX_TERMS: usize = 600;

/// The largest variable `p` mentions.
fn main_var(p: &SPoly) -> Option<usize> {
    p.terms
        .keys()
        .filter_map(|m| m.last().map(|&(v, _)| v))
        .max()
}

/// The coefficient of `v^k` in `p` (a polynomial free of `v`).
fn coeff(p: &SPoly, v: usize, k: u32) -> SPoly {
    let mut out = SPoly::zero();
    for (m, c) in &p.terms {
        let e = m.iter().find(|(w, _)| *w == v).map_or(0, |(_, e)| *e);
        if e == k {
            let rest = m.iter().filter(|(w, _)| *w != v).cloned().collect();
            out.terms.insert(rest, c.clone());
        }
    }
    out
}

fn too_big(p: &SPoly) -> bool {
    p.terms.len() > MAX_TERMS
}

/// `a / b` when `b` divides `a` exactly (as polynomials with rational coefficients), else
/// `None` (also when the work grows beyond [`MAX_TERMS`]).
pub fn divide(a: &SPoly, b: &SPoly) -> Option<SPoly> {
    if b.is_zero() {
        return None;
    }
    if a.is_zero() {
        return Some(SPoly::zero());
    }
    if let Some(c) = b.as_constant() {
        return Some(a.scale(&c.recip()));
    }
    // Division in the main variable of `b`, each leading coefficient divided recursively
    // (those are free of `v`, so the recursion runs over fewer variables).
    let v = main_var(b)?;
    let db = b.degree_of(v);
    let lb = coeff(b, v, db);
    let mut r = a.clone();
    let mut q = SPoly::zero();
    while !r.is_zero() {
        let dr = r.degree_of(v);
        if dr < db {
            return None;
        }
        let c = divide(&coeff(&r, v, dr), &lb)?;
        let t = c.mul(&SPoly::var(v).pow(dr - db));
        r = r.sub(&t.mul(b));
        q = q.add(&t);
        if too_big(&r) || too_big(&q) {
            return None;
        }
    }
    Some(q)
}

/// `p` with integer coefficients without a common factor and a positive coefficient on the
/// first term [`SPoly::show`] prints (its first monomial that is not the constant; the zero
/// polynomial stays zero): the form in which two polynomials that differ by a constant factor
/// are equal, and which reads `g_P - c_P` rather than `c_P - g_P`.
pub fn normal(p: &SPoly) -> SPoly {
    if p.is_zero() {
        return SPoly::zero();
    }
    let mut k = p.content_scale();
    let lead = p
        .terms
        .iter()
        .find(|(m, _)| !m.is_empty())
        .or_else(|| p.terms.iter().next());
    if lead.is_some_and(|(_, c)| c.is_negative()) {
        k = -k;
    }
    p.scale(&k)
}

/// The pseudo-remainder of `a` by `b` in `v`: `a` multiplied by powers of `b`'s leading
/// coefficient until the division in `v` leaves a remainder of lower degree than `b`.
fn prem(a: &SPoly, b: &SPoly, v: usize) -> Option<SPoly> {
    let db = b.degree_of(v);
    let lb = coeff(b, v, db);
    let mut r = a.clone();
    while !r.is_zero() && r.degree_of(v) >= db {
        let dr = r.degree_of(v);
        let lr = coeff(&r, v, dr);
        r = r.mul(&lb).sub(&lr.mul(&SPoly::var(v).pow(dr - db)).mul(b));
        if too_big(&r) {
            return None;
        }
    }
    Some(r)
}

/// The content of `p` in `v`: the gcd of its coefficients as a polynomial in `v`.
fn content_in(p: &SPoly, v: usize) -> Option<SPoly> {
    let mut g = SPoly::zero();
    for k in (0..=p.degree_of(v)).rev() {
        let c = coeff(p, v, k);
        if c.is_zero() {
            continue;
        }
        g = gcd_checked(&g, &c)?;
        if g.as_constant().is_some() {
            return Some(SPoly::one());
        }
    }
    Some(g)
}

/// The greatest common divisor of `a` and `b`, [`normal`]ised; `1` when none is found within
/// the work bound (so a cancellation by it is always exact).
pub fn gcd(a: &SPoly, b: &SPoly) -> SPoly {
    gcd_checked(a, b).unwrap_or_else(SPoly::one)
}

/// [`gcd`], `None` when the work bound is reached.
fn gcd_checked(a: &SPoly, b: &SPoly) -> Option<SPoly> {
    if a.is_zero() {
        return Some(normal(b));
    }
    if b.is_zero() {
        return Some(normal(a));
    }
    if a.as_constant().is_some() || b.as_constant().is_some() {
        return Some(SPoly::one());
    }
    if too_big(a) || too_big(b) {
        return None;
    }
    let v = main_var(a)?.max(main_var(b)?);
    if !a.mentions(v) {
        return gcd_checked(a, &content_in(b, v)?);
    }
    if !b.mentions(v) {
        return gcd_checked(&content_in(a, v)?, b);
    }
    let (ca, cb) = (content_in(a, v)?, content_in(b, v)?);
    let c = gcd_checked(&ca, &cb)?;
    let mut p = divide(a, &ca)?;
    let mut q = divide(b, &cb)?;
    if p.degree_of(v) < q.degree_of(v) {
        std::mem::swap(&mut p, &mut q);
    }
    // Primitive remainder sequence: the last non-zero remainder, made primitive, is the gcd
    // of the primitive parts; a remainder free of `v` means they are coprime.
    while !q.is_zero() {
        let r = prem(&p, &q, v)?;
        p = q;
        if r.is_zero() {
            break;
        }
        if !r.mentions(v) {
            return Some(normal(&c));
        }
        q = divide(&r, &content_in(&r, v)?)?;
    }
    let pp = divide(&p, &content_in(&p, v)?)?;
    Some(normal(&c.mul(&pp)))
}

/// `∂p/∂v`.
fn derivative(p: &SPoly, v: usize) -> SPoly {
    let mut out = SPoly::zero();
    for (m, c) in &p.terms {
        let Some(&(_, e)) = m.iter().find(|(w, _)| *w == v) else {
            continue;
        };
        let m2: Vec<(usize, u32)> = m
            .iter()
            .filter_map(|&(w, k)| match (w == v, k) {
                (true, 1) => None,
                (true, k) => Some((w, k - 1)),
                _ => Some((w, k)),
            })
            .collect();
        let k = c * Rational::from_integer(i64::from(e).into());
        out = out.add(&SPoly {
            terms: [(m2, k)].into_iter().collect(),
        });
    }
    out
}

/// A polynomial as a constant times a product of factors with powers.
#[derive(Clone, Debug, PartialEq)]
pub struct Factored {
    /// The constant.
    pub unit: Rational,
    /// The factors, each [`normal`] and not constant, with their powers (≥ 1), distinct,
    /// sorted (fewest terms first, then by the polynomial's order).
    pub factors: Vec<(SPoly, u32)>,
}

impl Factored {
    /// The product, expanded.
    pub fn expand(&self) -> SPoly {
        self.factors
            .iter()
            .fold(SPoly::constant(self.unit.clone()), |acc, (f, k)| {
                acc.mul(&f.pow(*k))
            })
    }
}

/// `p` as a constant times factors found by monomial content, content in each variable,
/// repeated factors and trial division by `candidates` (each tried as a divisor of what is
/// left). The product of the result is exactly `p`; a factor may be reducible.
pub fn factor(p: &SPoly, candidates: &[SPoly]) -> Factored {
    let mut unit = Rational::one();
    let mut found: Vec<SPoly> = Vec::new();
    let mut work = vec![(p.clone(), 1u32)];
    let mut out: Vec<(SPoly, u32)> = Vec::new();
    let push = |f: SPoly, k: u32, unit: &mut Rational, out: &mut Vec<(SPoly, u32)>| {
        let n = normal(&f);
        // f = (f/n)·n, and f/n is a constant.
        if let Some(r) = f
            .terms
            .iter()
            .next()
            .and_then(|(m, c)| n.terms.get(m).map(|d| c / d))
        {
            *unit *= num_traits::pow(r, k as usize);
        }
        match out.iter_mut().find(|(g, _)| *g == n) {
            Some(e) => e.1 += k,
            None => out.push((n, k)),
        }
    };
    'next: while let Some((f, k)) = work.pop() {
        if let Some(c) = f.as_constant() {
            unit *= num_traits::pow(c, k as usize);
            continue;
        }
        if too_big(&f) {
            push(f, k, &mut unit, &mut out);
            continue;
        }
        // Monomial factors: each variable's lowest power over the terms.
        let vars: Vec<usize> = {
            let mut vs: Vec<usize> = f
                .terms
                .keys()
                .flat_map(|m| m.iter().map(|&(v, _)| v))
                .collect();
            vs.sort_unstable();
            vs.dedup();
            vs
        };
        if f.terms.len() > 1 {
            for &v in &vars {
                let low = f
                    .terms
                    .keys()
                    .map(|m| m.iter().find(|(w, _)| *w == v).map_or(0, |(_, e)| *e))
                    .min()
                    .unwrap_or(0);
                if low > 0 {
                    let x = SPoly::var(v).pow(low);
                    if let Some(rest) = divide(&f, &x) {
                        push(SPoly::var(v), low * k, &mut unit, &mut out);
                        work.push((rest, k));
                        continue 'next;
                    }
                }
            }
        } else {
            // One term: a constant times variables.
            let Some((m, c)) = f.terms.iter().next().map(|(m, c)| (m.clone(), c.clone())) else {
                continue;
            };
            unit *= num_traits::pow(c, k as usize);
            for (v, e) in m {
                push(SPoly::var(v), e * k, &mut unit, &mut out);
            }
            continue;
        }
        // Content in each variable: a factor free of that variable.
        for &v in &vars {
            let Some(c) = content_in(&f, v) else { continue };
            if c.as_constant().is_none() {
                if let Some(rest) = divide(&f, &c) {
                    work.push((c, k));
                    work.push((rest, k));
                    continue 'next;
                }
            }
        }
        // Candidates the caller knows, and factors found so far.
        for g in candidates.iter().chain(found.iter()) {
            if g.as_constant().is_some() || g.terms.len() >= f.terms.len() {
                continue;
            }
            if let Some(rest) = divide(&f, g) {
                if rest.as_constant().is_none() {
                    work.push((g.clone(), k));
                    work.push((rest, k));
                    continue 'next;
                }
            }
        }
        // Repeated factors: gcd with a derivative.
        for &v in &vars {
            if f.degree_of(v) < 2 {
                continue;
            }
            let g = gcd(&f, &derivative(&f, v));
            if g.as_constant().is_none() {
                if let Some(rest) = divide(&f, &g) {
                    work.push((g, k));
                    work.push((rest, k));
                    continue 'next;
                }
            }
        }
        found.push(normal(&f));
        push(f, k, &mut unit, &mut out);
    }
    out.sort_by(|a, b| a.0.terms.len().cmp(&b.0.terms.len()).then(a.0.cmp(&b.0)));
    Factored { unit, factors: out }
}

/// Prints a product with the parameters' names: `2*(g_P - c_P)*(c_hi - a)^2`, a factor of
/// several terms in parentheses, a constant first when it is not 1 (`-` when it is −1).
pub fn show_product(f: &Factored, names: &[String]) -> String {
    if f.factors.is_empty() {
        return super::rational::show(&f.unit);
    }
    let mut parts: Vec<String> = Vec::new();
    for (p, k) in &f.factors {
        let s = p.show(names);
        let s = if p.is_monomial() { s } else { format!("({s})") };
        parts.push(if *k == 1 { s } else { format!("{s}^{k}") });
    }
    let body = parts.join("*");
    if f.unit.is_one() {
        body
    } else if f.unit == -Rational::one() {
        format!("-{body}")
    } else {
        format!("{}*{body}", super::rational::show(&f.unit))
    }
}

#[cfg(test)]
mod tests;
