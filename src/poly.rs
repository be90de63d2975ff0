//! Polynomials in the model's parameters: the symbolic normal form behind readable conditions.
//!
//! A payoff comparison such as `-e_D - c_D > -e_D - (a - lambda*T) - L` becomes readable only
//! after common terms cancel and one parameter is isolated: `c_D < a - lambda*T + L`. [`Poly`]
//! is that normal form: a sum of monomials (products of parameters with integer powers) with
//! `f64` coefficients, built from formulas that use `+`, `-`, `*`, division by constants and
//! integer powers ([`Poly::from_ast`]); anything else (`min`, `if`, comparisons, division by a
//! parameter) has no polynomial form and callers fall back to the formula as written.
//!
//! Monomials print in parameter declaration order, the constant last, so conditions read in the
//! order the model file introduces its parameters.

use crate::expr::{Ast, AstKind, BinOp};
use crate::output::words::num;
use std::collections::BTreeMap;

/// A product of parameters: `(parameter id, power)` pairs sorted by id, powers ≥ 1.
pub type Mono = Vec<(usize, u32)>;

/// Coefficients at most this large in absolute value are treated as zero after cancellation.
pub const ZERO: f64 = 1e-12;

/// Largest integer power expanded symbolically (`x^8`); larger powers are not polynomial here.
const MAX_POW: f64 = 8.0;

/// Largest number of monomials kept; beyond it a formula counts as not polynomial.
const MAX_TERMS: usize = 512;

/// A polynomial in the parameters (indexed by parameter id).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Poly {
    /// Coefficient of each monomial; the empty monomial is the constant term.
    pub terms: BTreeMap<Mono, f64>,
}

impl Poly {
    /// The constant `c`.
    pub fn constant(c: f64) -> Poly {
        let mut p = Poly::default();
        p.add_term(Vec::new(), c);
        p
    }

    /// The parameter with id `id`.
    pub fn param(id: usize) -> Poly {
        let mut p = Poly::default();
        p.add_term(vec![(id, 1)], 1.0);
        p
    }

    /// True if every coefficient is (numerically) zero.
    pub fn is_zero(&self) -> bool {
        self.terms.is_empty()
    }

    /// The constant value, if the polynomial mentions no parameter.
    pub fn as_constant(&self) -> Option<f64> {
        match self.terms.len() {
            0 => Some(0.0),
            1 => self.terms.get(&Vec::new()).copied(),
            _ => None,
        }
    }

    fn add_term(&mut self, m: Mono, c: f64) {
        let v = self.terms.entry(m.clone()).or_insert(0.0);
        *v += c;
        if v.abs() <= ZERO {
            self.terms.remove(&m);
        }
    }

    /// `self + k·other`.
    pub fn add_scaled(&self, other: &Poly, k: f64) -> Poly {
        let mut out = self.clone();
        for (m, c) in &other.terms {
            out.add_term(m.clone(), k * c);
        }
        out
    }

    /// `self - other`.
    pub fn sub(&self, other: &Poly) -> Poly {
        self.add_scaled(other, -1.0)
    }

    /// `k·self`.
    pub fn scale(&self, k: f64) -> Poly {
        Poly::default().add_scaled(self, k)
    }

    /// `self · other`.
    pub fn mul(&self, other: &Poly) -> Poly {
        let mut out = Poly::default();
        for (ma, ca) in &self.terms {
            for (mb, cb) in &other.terms {
                out.add_term(mono_mul(ma, mb), ca * cb);
            }
        }
        out
    }

    /// The polynomial form of a formula, resolving parameter names with `id_of`; `None` when
    /// the formula is not polynomial (see the module docs) or names an unknown parameter.
    pub fn from_ast(ast: &Ast, id_of: &dyn Fn(&str) -> Option<usize>) -> Option<Poly> {
        // Recursion is bounded: parsed formulas are at most `expr::MAX_DEPTH` deep, and the
        // sums built by `regions` are flat lists of terms.
        let p = match &ast.kind {
            AstKind::Num(v) => Poly::constant(*v),
            AstKind::Param(n) => Poly::param(id_of(n)?),
            AstKind::Neg(x) => Poly::from_ast(x, id_of)?.scale(-1.0),
            AstKind::Bin(op, a, b) => {
                let a = Poly::from_ast(a, id_of)?;
                match op {
                    BinOp::Add => a.add_scaled(&Poly::from_ast(b, id_of)?, 1.0),
                    BinOp::Sub => a.sub(&Poly::from_ast(b, id_of)?),
                    BinOp::Mul => a.mul(&Poly::from_ast(b, id_of)?),
                    BinOp::Div => {
                        let d = Poly::from_ast(b, id_of)?.as_constant()?;
                        if d == 0.0 {
                            return None;
                        }
                        a.scale(1.0 / d)
                    }
                    BinOp::Pow => {
                        let e = Poly::from_ast(b, id_of)?.as_constant()?;
                        if !(0.0..=MAX_POW).contains(&e) || e.fract() != 0.0 {
                            return None;
                        }
                        let mut out = Poly::constant(1.0);
                        for _ in 0..e as u32 {
                            out = out.mul(&a);
                        }
                        out
                    }
                }
            }
            AstKind::Cmp(..) | AstKind::Call(..) | AstKind::If(..) => return None,
        };
        (p.terms.len() <= MAX_TERMS).then_some(p)
    }

    /// The value at parameter point `theta`.
    pub fn eval(&self, theta: &[f64]) -> f64 {
        self.terms
            .iter()
            .map(|(m, c)| c * mono_eval(m, theta))
            .sum()
    }

    /// Every parameter not in `keep` replaced by its value in `theta`.
    pub fn substitute(&self, theta: &[f64], keep: &[usize]) -> Poly {
        let mut out = Poly::default();
        for (m, c) in &self.terms {
            let mut k = *c;
            let mut rest = Vec::new();
            for &(id, pw) in m {
                if keep.contains(&id) {
                    rest.push((id, pw));
                } else {
                    k *= theta.get(id).copied().unwrap_or(f64::NAN).powi(pw as i32);
                }
            }
            out.add_term(rest, k);
        }
        out
    }

    /// True if the polynomial mentions parameter `id`.
    pub fn mentions(&self, id: usize) -> bool {
        self.terms.keys().any(|m| m.iter().any(|&(p, _)| p == id))
    }

    /// Splits `self = coef·x + rest` with `coef` and `rest` free of `x`; `None` if `x` appears
    /// with a power above one.
    pub fn split_linear(&self, x: usize) -> Option<(Poly, Poly)> {
        let mut coef = Poly::default();
        let mut rest = Poly::default();
        for (m, c) in &self.terms {
            match m.iter().position(|&(p, _)| p == x) {
                None => rest.add_term(m.clone(), *c),
                Some(i) if m[i].1 == 1 => {
                    let mut mm = m.clone();
                    mm.remove(i);
                    coef.add_term(mm, *c);
                }
                Some(_) => return None,
            }
        }
        Some((coef, rest))
    }

    /// The single monomial, if the polynomial has exactly one term.
    pub fn single_term(&self) -> Option<(&Mono, f64)> {
        match self.terms.len() {
            1 => self.terms.iter().next().map(|(m, c)| (m, *c)),
            _ => None,
        }
    }

    /// Prints with parameter names (`a - lambda*T + L`): monomials in parameter order, the
    /// constant last, coefficients via [`num`].
    pub fn show(&self, names: &[String]) -> String {
        self.show_ranked(names, &[])
    }

    /// Like [`show`](Self::show), but parameters are ordered by `rank[id]` (e.g. their order of
    /// first appearance in the formulas being compared) instead of by id; ids beyond `rank`
    /// come after, in id order.
    pub fn show_ranked(&self, names: &[String], rank: &[usize]) -> String {
        let key = |id: usize| rank.get(id).copied().unwrap_or(rank.len() + id);
        let mut order: Vec<(Vec<(usize, u32)>, f64)> = self
            .terms
            .iter()
            .filter(|(m, _)| !m.is_empty())
            .map(|(m, c)| {
                let mut f: Vec<(usize, u32)> = m.clone();
                f.sort_by_key(|&(id, _)| key(id));
                (f, *c)
            })
            .collect();
        order.sort_by(|(a, _), (b, _)| {
            let ka: Vec<(usize, u32)> = a.iter().map(|&(i, p)| (key(i), p)).collect();
            let kb: Vec<(usize, u32)> = b.iter().map(|&(i, p)| (key(i), p)).collect();
            ka.cmp(&kb)
        });
        if let Some(c) = self.terms.get(&Vec::new()) {
            order.push((Vec::new(), *c));
        }
        // A positive term goes first when the first would be negative: `3 - 0.5*T` rather
        // than `-0.5*T + 3`, `a + L - c_D` rather than `-c_D + a + L`.
        if order.first().is_some_and(|(_, k)| *k < 0.0) {
            if let Some(i) = order.iter().position(|(_, k)| *k > 0.0) {
                let t = order.remove(i);
                order.insert(0, t);
            }
        }
        if order.is_empty() {
            return "0".into();
        }
        let mut s = String::new();
        for (i, (m, c)) in order.iter().enumerate() {
            let neg = *c < 0.0;
            match (i, neg) {
                (0, true) => s.push('-'),
                (0, false) => {}
                (_, true) => s.push_str(" - "),
                (_, false) => s.push_str(" + "),
            }
            let a = c.abs();
            if m.is_empty() {
                s.push_str(&num(a));
            } else {
                if (a - 1.0).abs() > ZERO {
                    s.push_str(&num(a));
                    s.push('*');
                }
                s.push_str(&mono_show(m, names));
            }
        }
        s
    }

    /// Whether this is a single term that is not a plain constant (a "simple" side).
    pub fn is_simple(&self) -> bool {
        self.terms.len() <= 1
    }
}

fn mono_mul(a: &Mono, b: &Mono) -> Mono {
    let mut out: Mono = a.clone();
    for &(id, pw) in b {
        match out.iter_mut().find(|(p, _)| *p == id) {
            Some(e) => e.1 += pw,
            None => out.push((id, pw)),
        }
    }
    out.sort_unstable();
    out
}

fn mono_eval(m: &Mono, theta: &[f64]) -> f64 {
    m.iter()
        .map(|&(id, pw)| theta.get(id).copied().unwrap_or(f64::NAN).powi(pw as i32))
        .product()
}

/// A monomial with names: `lambda*T`, `x^2`.
pub fn mono_show(m: &Mono, names: &[String]) -> String {
    m.iter()
        .map(|&(id, pw)| {
            let n = names.get(id).map_or("?", String::as_str);
            if pw == 1 {
                n.to_string()
            } else {
                format!("{n}^{pw}")
            }
        })
        .collect::<Vec<_>>()
        .join("*")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::parse;

    fn names() -> Vec<String> {
        ["e_D", "c_D", "a", "lambda", "T", "L"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    fn poly(src: &str) -> Option<Poly> {
        let n = names();
        Poly::from_ast(&parse(src).unwrap(), &|s| n.iter().position(|m| m == s))
    }

    #[test]
    fn cancels_and_prints_in_parameter_order() {
        // The defender's comparison at `defender_h` in models/hedging.toml (docs/models/hedging.md).
        let lhs = poly("-e_D - c_D").unwrap();
        let rhs = poly("-e_D - (a - lambda*T) - L").unwrap();
        assert_eq!(rhs.sub(&lhs).show(&names()), "c_D - a + lambda*T - L");
        assert_eq!(lhs.sub(&rhs).show(&names()), "a - c_D - lambda*T + L");
    }

    #[test]
    fn products_powers_and_division_by_constants() {
        let p = poly("(T + 1)^2/2").unwrap();
        assert_eq!(p.show(&names()), "T + 0.5*T^2 + 0.5");
        assert_eq!(p.eval(&[0.0, 0.0, 0.0, 0.0, 3.0, 0.0]), 8.0);
        assert!(poly("a/T").is_none());
        assert!(poly("max(a, T)").is_none());
        assert!(poly("T^0.5").is_none());
    }

    #[test]
    fn split_and_substitute() {
        let p = poly("a - lambda*T + L").unwrap();
        let (coef, rest) = p.split_linear(4).unwrap();
        assert_eq!(coef.show(&names()), "-lambda");
        assert_eq!(rest.show(&names()), "a + L");
        let theta = [0.0, 1.5, 1.0, 0.5, 0.3, 2.0];
        assert_eq!(p.substitute(&theta, &[4]).show(&names()), "3 - 0.5*T");
        assert!(poly("T^2 + T").unwrap().split_linear(4).is_none());
    }
}
