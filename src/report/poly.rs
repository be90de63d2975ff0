//! Polynomials in the model's parameters: the exact form of the conditions a report prints.
//!
//! Payoff and probability formulas built from `+ - * /` by numbers and small integer powers are
//! polynomials; comparing two of them (a mover's value of one move against another) gives a
//! polynomial inequality that cancels like terms — `(-e_D - c_D) - (-e_D - (a - lambda*T) - L)`
//! becomes `-c_D + a - lambda*T + L` — and can be solved for a parameter whose coefficient is a
//! single term, giving `c_D < a - lambda*T + L`. Terms keep the order in which they first
//! appear, so printed conditions read like the model's own formulas. Formulas using functions,
//! comparisons or `if` have no polynomial form; reports then print numbers only.
//!
//! The conversion from a formula tree recurses over the formula (not the game tree); formulas
//! are depth-limited by the parser.

use crate::expr::{Ast, AstKind, BinOp};
use crate::output::words::num;

/// A product of parameters with exponents, factors in order of first appearance.
pub type Mono = Vec<(String, u32)>;

/// A polynomial: terms (monomial, coefficient), no two with the same monomial.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Poly {
    /// Terms in order of first appearance; the constant term has the empty monomial.
    pub terms: Vec<(Mono, f64)>,
}

const EPS: f64 = 1e-12;

fn same(a: &Mono, b: &Mono) -> bool {
    a.len() == b.len() && a.iter().all(|f| b.contains(f))
}

fn mul_mono(a: &Mono, b: &Mono) -> Mono {
    let mut out = a.clone();
    for (n, e) in b {
        match out.iter_mut().find(|(m, _)| m == n) {
            Some(f) => f.1 += e,
            None => out.push((n.clone(), *e)),
        }
    }
    out
}

impl Poly {
    /// The constant `c`.
    pub fn constant(c: f64) -> Poly {
        let mut p = Poly::default();
        p.add_term(Vec::new(), c);
        p
    }

    /// The parameter `name`.
    pub fn param(name: &str) -> Poly {
        Poly {
            terms: vec![(vec![(name.to_string(), 1)], 1.0)],
        }
    }

    fn add_term(&mut self, m: Mono, c: f64) {
        match self.terms.iter_mut().find(|(x, _)| same(x, &m)) {
            Some(t) => t.1 += c,
            None => self.terms.push((m, c)),
        }
    }

    fn tidy(mut self) -> Poly {
        self.terms.retain(|(_, c)| c.abs() > EPS);
        self
    }

    /// `self + k·other`.
    pub fn add_scaled(&self, other: &Poly, k: f64) -> Poly {
        let mut out = self.clone();
        for (m, c) in &other.terms {
            out.add_term(m.clone(), k * c);
        }
        out.tidy()
    }

    /// `self · k`.
    pub fn scale(&self, k: f64) -> Poly {
        Poly::default().add_scaled(self, k)
    }

    /// `self · other`.
    pub fn mul(&self, other: &Poly) -> Poly {
        let mut out = Poly::default();
        for (a, x) in &self.terms {
            for (b, y) in &other.terms {
                out.add_term(mul_mono(a, b), x * y);
            }
        }
        out.tidy()
    }

    /// The value if the polynomial is a constant.
    pub fn as_constant(&self) -> Option<f64> {
        match self.terms.as_slice() {
            [] => Some(0.0),
            [(m, c)] if m.is_empty() => Some(*c),
            _ => None,
        }
    }

    /// The polynomial of a formula, if it has one.
    pub fn from_ast(ast: &Ast) -> Option<Poly> {
        Some(match &ast.kind {
            AstKind::Num(v) => Poly::constant(*v).tidy(),
            AstKind::Param(n) => Poly::param(n),
            AstKind::Neg(x) => Poly::from_ast(x)?.scale(-1.0),
            AstKind::Bin(op, a, b) => {
                let (a, b) = (Poly::from_ast(a)?, Poly::from_ast(b)?);
                match op {
                    BinOp::Add => a.add_scaled(&b, 1.0),
                    BinOp::Sub => a.add_scaled(&b, -1.0),
                    BinOp::Mul => a.mul(&b),
                    BinOp::Div => match b.as_constant() {
                        Some(k) if k != 0.0 => a.scale(1.0 / k),
                        _ => return None,
                    },
                    BinOp::Pow => {
                        let k = b.as_constant()?;
                        if !(0.0..=4.0).contains(&k) || k.fract() != 0.0 {
                            return None;
                        }
                        let mut out = Poly::constant(1.0);
                        for _ in 0..k as u32 {
                            out = out.mul(&a);
                        }
                        out
                    }
                }
            }
            _ => return None,
        })
    }

    /// Substitutes values for the parameters `keep` does not accept.
    pub fn substitute(&self, value: &dyn Fn(&str) -> Option<f64>, keep: &[&str]) -> Poly {
        let mut out = Poly::default();
        for (m, c) in &self.terms {
            let mut k = *c;
            let mut rest = Vec::new();
            for (n, e) in m {
                match (keep.contains(&n.as_str()), value(n)) {
                    (false, Some(v)) => k *= v.powi(*e as i32),
                    _ => rest.push((n.clone(), *e)),
                }
            }
            out.add_term(rest, k);
        }
        out.tidy()
    }

    /// Evaluates with every parameter's value.
    pub fn eval(&self, value: &dyn Fn(&str) -> Option<f64>) -> f64 {
        self.terms
            .iter()
            .map(|(m, c)| {
                m.iter().fold(*c, |acc, (n, e)| {
                    acc * value(n).unwrap_or(f64::NAN).powi(*e as i32)
                })
            })
            .sum()
    }

    /// Whether the polynomial mentions `name`.
    pub fn mentions(&self, name: &str) -> bool {
        self.terms
            .iter()
            .any(|(m, _)| m.iter().any(|(n, _)| n == name))
    }

    /// Splits `self = coef·name + rest` when `name` appears only to the first power; `coef` is
    /// then a polynomial free of `name`.
    pub fn split(&self, name: &str) -> Option<(Poly, Poly)> {
        let mut coef = Poly::default();
        let mut rest = Poly::default();
        for (m, c) in &self.terms {
            match m.iter().find(|(n, _)| n == name) {
                Some((_, 1)) => {
                    let others: Mono = m.iter().filter(|(n, _)| n != name).cloned().collect();
                    coef.add_term(others, *c);
                }
                Some(_) => return None,
                None => rest.add_term(m.clone(), *c),
            }
        }
        Some((coef.tidy(), rest.tidy()))
    }

    /// Readable text: `a - lambda*T + L`, with the constant first when `constant_first`.
    pub fn text(&self, constant_first: bool) -> String {
        let mut terms = self.terms.clone();
        if constant_first {
            terms.sort_by_key(|(m, _)| !m.is_empty());
        }
        let mut o = String::new();
        for (m, c) in &terms {
            let neg = *c < 0.0;
            let mag = c.abs();
            let body = if m.is_empty() {
                num(mag)
            } else {
                let f: Vec<String> = m
                    .iter()
                    .map(|(n, e)| {
                        if *e == 1 {
                            n.clone()
                        } else {
                            format!("{n}^{e}")
                        }
                    })
                    .collect();
                if (mag - 1.0).abs() < EPS {
                    f.join("*")
                } else {
                    format!("{}*{}", num(mag), f.join("*"))
                }
            };
            match (o.is_empty(), neg) {
                (true, true) => o.push_str(&format!("-{body}")),
                (true, false) => o.push_str(&body),
                (false, true) => o.push_str(&format!(" - {body}")),
                (false, false) => o.push_str(&format!(" + {body}")),
            }
        }
        if o.is_empty() {
            "0".into()
        } else {
            o
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Poly {
        Poly::from_ast(&crate::expr::parse(s).unwrap()).unwrap()
    }

    #[test]
    fn cancels_and_keeps_order() {
        // Defender's support-minus-abandon in hedging.toml's hedge subtree (MODELS.md §4).
        let d = p("-e_D - c_D").add_scaled(&p("-e_D - (a - lambda*T) - L"), -1.0);
        assert_eq!(d.text(false), "-c_D + a - lambda*T + L");
        let (coef, rest) = d.split("c_D").unwrap();
        assert_eq!(coef.as_constant(), Some(-1.0));
        assert_eq!(rest.text(false), "a - lambda*T + L");
        let vals = |n: &str| match n {
            "a" => Some(1.0),
            "lambda" => Some(0.5),
            "L" => Some(2.0),
            _ => None,
        };
        assert_eq!(rest.substitute(&vals, &["T"]).text(true), "3 - 0.5*T");
        // Terms keep their order of first appearance: x·x comes before x·1 + 1·x.
        assert_eq!(p("(x + 1)^2").text(true), "1 + x^2 + 2*x");
        assert!(Poly::from_ast(&crate::expr::parse("max(a, b)").unwrap()).is_none());
    }
}
