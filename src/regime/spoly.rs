//! Polynomials with exact rational coefficients in the model's parameters and in equilibrium
//! unknowns: the arithmetic behind a regime's conditions in the model's symbols.
//!
//! [`crate::poly::Poly`] keeps `f64` coefficients, enough to print a payoff comparison. A
//! regime's conditions are derived by solving an equilibrium's indifference equations over
//! polynomials (Cramer's rule) and substituting the solution into its inequalities; the
//! results are compared, factored and evaluated at exact points, so they need exact
//! coefficients. Variables are numbered: parameters first (`0..n_params`), then the unknowns
//! of one derivation.

use crate::exact::{self, Rational};
use crate::expr::{Ast, AstKind, BinOp};
use num_traits::{One, Signed, Zero};
use std::collections::BTreeMap;

/// A product of variables: `(variable, power)` pairs sorted by variable, powers ≥ 1.
pub type Mono = Vec<(usize, u32)>;

/// Largest number of terms a polynomial may reach before a derivation gives up.
pub const MAX_TERMS: usize = 4096;

/// A polynomial with exact rational coefficients.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct SPoly {
    /// Non-zero coefficient of each monomial; the empty monomial is the constant term.
    pub terms: BTreeMap<Mono, Rational>,
}

fn mono_mul(a: &Mono, b: &Mono) -> Mono {
    let mut out = a.clone();
    for &(v, p) in b {
        match out.iter_mut().find(|(w, _)| *w == v) {
            Some(e) => e.1 += p,
            None => out.push((v, p)),
        }
    }
    out.sort_unstable();
    out
}

impl SPoly {
    /// The zero polynomial.
    pub fn zero() -> SPoly {
        SPoly::default()
    }

    /// The constant `q`.
    pub fn constant(q: Rational) -> SPoly {
        let mut p = SPoly::zero();
        p.add_term(Vec::new(), q);
        p
    }

    /// The constant one.
    pub fn one() -> SPoly {
        SPoly::constant(Rational::one())
    }

    /// The variable `v`.
    pub fn var(v: usize) -> SPoly {
        let mut p = SPoly::zero();
        p.add_term(vec![(v, 1)], Rational::one());
        p
    }

    /// True if it is the zero polynomial.
    pub fn is_zero(&self) -> bool {
        self.terms.is_empty()
    }

    /// The value when the polynomial is a constant.
    pub fn as_constant(&self) -> Option<Rational> {
        match self.terms.len() {
            0 => Some(Rational::zero()),
            1 => self.terms.get(&Vec::new()).cloned(),
            _ => None,
        }
    }

    fn add_term(&mut self, m: Mono, c: Rational) {
        if c.is_zero() {
            return;
        }
        let e = self.terms.entry(m.clone()).or_insert_with(Rational::zero);
        *e += c;
        if e.is_zero() {
            self.terms.remove(&m);
        }
    }

    /// `self + o`.
    pub fn add(&self, o: &SPoly) -> SPoly {
        let mut out = self.clone();
        for (m, c) in &o.terms {
            out.add_term(m.clone(), c.clone());
        }
        out
    }

    /// `self − o`.
    pub fn sub(&self, o: &SPoly) -> SPoly {
        self.add(&o.scale(&-Rational::one()))
    }

    /// `k·self`.
    pub fn scale(&self, k: &Rational) -> SPoly {
        let mut out = SPoly::zero();
        for (m, c) in &self.terms {
            out.add_term(m.clone(), c * k);
        }
        out
    }

    /// `self·o`.
    pub fn mul(&self, o: &SPoly) -> SPoly {
        let mut out = SPoly::zero();
        for (a, x) in &self.terms {
            for (b, y) in &o.terms {
                out.add_term(mono_mul(a, b), x * y);
            }
        }
        out
    }

    /// `self^k`.
    pub fn pow(&self, k: u32) -> SPoly {
        (0..k).fold(SPoly::one(), |acc, _| acc.mul(self))
    }

    /// The polynomial form of a formula (its text is `text`, for exact literals), resolving
    /// parameter names with `id_of`; `None` when the formula is not a polynomial (`min`,
    /// `if`, comparisons, division by a non-constant, a power that is not a small natural).
    pub fn from_ast(ast: &Ast, text: &str, id_of: &dyn Fn(&str) -> Option<usize>) -> Option<SPoly> {
        // Recursion is bounded: parsed formulas are at most `expr::MAX_DEPTH` deep.
        let p = match &ast.kind {
            AstKind::Num(v) => {
                let written = text.get(ast.span.clone()).and_then(exact::parse);
                let q = written
                    .filter(|q| exact::to_f64(q) == *v)
                    .or_else(|| super::rational::of_f64(*v))?;
                SPoly::constant(q)
            }
            AstKind::Param(n) => SPoly::var(id_of(n)?),
            AstKind::Neg(x) => SPoly::from_ast(x, text, id_of)?.scale(&-Rational::one()),
            AstKind::Bin(op, a, b) => {
                let a = SPoly::from_ast(a, text, id_of)?;
                let b = SPoly::from_ast(b, text, id_of)?;
                match op {
                    BinOp::Add => a.add(&b),
                    BinOp::Sub => a.sub(&b),
                    BinOp::Mul => a.mul(&b),
                    BinOp::Div => {
                        let d = b.as_constant()?;
                        if d.is_zero() {
                            return None;
                        }
                        a.scale(&d.recip())
                    }
                    BinOp::Pow => {
                        let e = b.as_constant()?;
                        if !e.is_integer()
                            || e.is_negative()
                            || e > Rational::from_integer(8.into())
                        {
                            return None;
                        }
                        let k = num_traits::ToPrimitive::to_u32(&e.to_integer())?;
                        a.pow(k)
                    }
                }
            }
            AstKind::Cmp(..) | AstKind::Call(..) | AstKind::If(..) => return None,
        };
        (p.terms.len() <= MAX_TERMS).then_some(p)
    }

    /// Every variable `v` for which `val(v)` is `Some` replaced by that value.
    pub fn substitute(&self, val: &dyn Fn(usize) -> Option<Rational>) -> SPoly {
        let mut out = SPoly::zero();
        for (m, c) in &self.terms {
            let mut k = c.clone();
            let mut rest = Vec::new();
            for &(v, p) in m {
                match val(v) {
                    Some(x) => k *= num_traits::pow(x, p as usize),
                    None => rest.push((v, p)),
                }
            }
            out.add_term(rest, k);
        }
        out
    }

    /// Every variable `v` for which `val(v)` is `Some` replaced by that polynomial.
    pub fn compose(&self, val: &dyn Fn(usize) -> Option<SPoly>) -> SPoly {
        let mut out = SPoly::zero();
        for (m, c) in &self.terms {
            let mut term = SPoly::constant(c.clone());
            for &(v, p) in m {
                let f = val(v).unwrap_or_else(|| SPoly::var(v));
                term = term.mul(&f.pow(p));
            }
            out = out.add(&term);
        }
        out
    }

    /// The value with every variable `v` at `theta[v]` (variables beyond `theta` count as 0).
    pub fn eval(&self, theta: &[Rational]) -> Rational {
        self.substitute(&|v| Some(theta.get(v).cloned().unwrap_or_else(Rational::zero)))
            .as_constant()
            .unwrap_or_else(Rational::zero)
    }

    /// True if the polynomial mentions variable `v`.
    pub fn mentions(&self, v: usize) -> bool {
        self.terms.keys().any(|m| m.iter().any(|&(w, _)| w == v))
    }

    /// Highest total degree of a monomial in the variables selected by `sel`.
    pub fn degree_in(&self, sel: &dyn Fn(usize) -> bool) -> u32 {
        self.terms
            .keys()
            .map(|m| m.iter().filter(|(v, _)| sel(*v)).map(|(_, p)| p).sum())
            .max()
            .unwrap_or(0)
    }

    /// Highest power of variable `v`.
    pub fn degree_of(&self, v: usize) -> u32 {
        self.degree_in(&|w| w == v)
    }

    /// The coefficients of the powers of `v`: `self = Σ_k c_k·v^k`, `c_k` free of `v`.
    pub fn coefficients_in(&self, v: usize) -> Vec<SPoly> {
        let mut out = vec![SPoly::zero(); self.degree_of(v) as usize + 1];
        for (m, c) in &self.terms {
            let k = m.iter().find(|(w, _)| *w == v).map_or(0, |(_, p)| *p) as usize;
            let rest: Mono = m.iter().filter(|(w, _)| *w != v).cloned().collect();
            out[k].add_term(rest, c.clone());
        }
        out
    }

    /// `self / (v − r)` when the division is exact (synthetic division in `v`).
    pub fn div_linear(&self, v: usize, r: &Rational) -> Option<SPoly> {
        self.div_by_line(v, &SPoly::constant(r.clone()))
    }

    /// `self / (v − s)` when the division is exact, `s` free of `v` (synthetic division in
    /// `v`).
    pub fn div_by_line(&self, v: usize, s: &SPoly) -> Option<SPoly> {
        let c = self.coefficients_in(v);
        if c.len() < 2 {
            return None;
        }
        // q_{n-1} = c_n, q_{k-1} = c_k + s·q_k; remainder c_0 + s·q_0 must vanish.
        let n = c.len() - 1;
        let mut q = vec![SPoly::zero(); n];
        q[n - 1] = c[n].clone();
        for k in (1..n).rev() {
            q[k - 1] = c[k].add(&q[k].mul(s));
        }
        if !c[0].add(&q[0].mul(s)).is_zero() {
            return None;
        }
        let mut out = SPoly::zero();
        for (k, qk) in q.iter().enumerate() {
            out = out.add(&qk.mul(&SPoly::var(v).pow(k as u32)));
        }
        Some(out)
    }

    /// The positive rational `k` that makes every coefficient of `k·self` an integer with no
    /// common factor.
    pub fn content_scale(&self) -> Rational {
        use num_integer::Integer;
        let mut num = num_bigint::BigInt::zero();
        let mut den = num_bigint::BigInt::one();
        for c in self.terms.values() {
            num = num.gcd(c.numer());
            den = den.lcm(c.denom());
        }
        if num.is_zero() {
            return Rational::one();
        }
        Rational::new(den, num)
    }

    /// Prints with the parameters' names (`1 - s`, `p_Ch*d_S`, `2/3*x^2`): monomials in
    /// variable order, the constant last, a positive term first when the first would be
    /// negative.
    pub fn show(&self, names: &[String]) -> String {
        let mut order: Vec<(&Mono, &Rational)> =
            self.terms.iter().filter(|(m, _)| !m.is_empty()).collect();
        if let Some((m, c)) = self.terms.get_key_value(&Vec::new()) {
            order.push((m, c));
        }
        if order.first().is_some_and(|(_, c)| c.is_negative()) {
            if let Some(i) = order.iter().position(|(_, c)| c.is_positive()) {
                let t = order.remove(i);
                order.insert(0, t);
            }
        }
        if order.is_empty() {
            return "0".into();
        }
        let mut s = String::new();
        for (i, (m, c)) in order.iter().enumerate() {
            match (i, c.is_negative()) {
                (0, true) => s.push('-'),
                (0, false) => {}
                (_, true) => s.push_str(" - "),
                (_, false) => s.push_str(" + "),
            }
            let a = c.abs();
            if m.is_empty() {
                s.push_str(&super::rational::show(&a));
            } else {
                if !a.is_one() {
                    s.push_str(&super::rational::show(&a));
                    s.push('*');
                }
                let names: Vec<String> = m
                    .iter()
                    .map(|&(v, p)| {
                        let n = names.get(v).map_or("?", String::as_str);
                        if p == 1 {
                            n.to_string()
                        } else {
                            format!("{n}^{p}")
                        }
                    })
                    .collect();
                s.push_str(&names.join("*"));
            }
        }
        s
    }

    /// True if it has one term (a product, which needs no parentheses as a factor).
    pub fn is_monomial(&self) -> bool {
        self.terms.len() <= 1
    }
}

/// The determinant of a square matrix of polynomials, by expansion along the first row (the
/// systems of one support are a handful of unknowns); `None` when larger than `MAX_DET`.
pub fn det(m: &[Vec<SPoly>]) -> Option<SPoly> {
    const MAX_DET: usize = 6;
    let n = m.len();
    if n > MAX_DET {
        return None;
    }
    if n == 0 {
        return Some(SPoly::one());
    }
    if n == 1 {
        return Some(m[0][0].clone());
    }
    let mut out = SPoly::zero();
    for j in 0..n {
        if m[0][j].is_zero() {
            continue;
        }
        let minor: Vec<Vec<SPoly>> = m[1..]
            .iter()
            .map(|row| {
                row.iter()
                    .enumerate()
                    .filter(|(k, _)| *k != j)
                    .map(|(_, x)| x.clone())
                    .collect()
            })
            .collect();
        let t = m[0][j].mul(&det(&minor)?);
        out = if j % 2 == 0 { out.add(&t) } else { out.sub(&t) };
        if out.terms.len() > MAX_TERMS {
            return None;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::parse;

    fn names() -> Vec<String> {
        ["s", "c_H", "d_S"].iter().map(|s| s.to_string()).collect()
    }

    fn p(src: &str) -> SPoly {
        let n = names();
        SPoly::from_ast(&parse(src).expect("parses"), src, &|s| {
            n.iter().position(|m| m == s)
        })
        .expect("polynomial")
    }

    fn q(s: &str) -> Rational {
        exact::parse(s).expect("number")
    }

    #[test]
    fn exact_literals_and_printing() {
        assert_eq!(p("0.1*s").terms[&vec![(0, 1)]], q("1/10"));
        assert_eq!(p("1 - s").show(&names()), "1 - s");
        assert_eq!(p("(1 - s)*(1 - c_H)").show(&names()), "s*c_H - s - c_H + 1");
        assert_eq!(p("s^2/3").show(&names()), "1/3*s^2");
        assert!(SPoly::from_ast(&parse("s/c_H").unwrap(), "s/c_H", &|_| Some(0)).is_none());
    }

    #[test]
    fn division_by_a_linear_factor_and_determinants() {
        let f = p("(1 - s)*(c_H - 2*d_S)");
        let g = f.div_linear(0, &q("1")).expect("divisible");
        assert_eq!(g, p("d_S*2 - c_H"));
        assert!(p("1 - s + c_H").div_linear(0, &q("1")).is_none());
        let m = vec![vec![p("s"), p("1")], vec![p("c_H"), p("d_S")]];
        assert_eq!(det(&m).unwrap(), p("s*d_S - c_H"));
        assert_eq!(p("s*c_H").eval(&[q("1/2"), q("2/3")]), q("1/3"));
        assert_eq!(p("2/3*s - 4/9").content_scale(), q("9/2"));
    }
}
