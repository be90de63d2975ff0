//! A model's numbers in exact arithmetic: parameter values as written, formulas evaluated in
//! rationals.
//!
//! The sweep's path instantiates a [`GameTemplate`] in `f64` with no allocation
//! ([`GameTemplate::instantiate_into`]); a single solve (`deter solve`) additionally fills
//! [`Game::exact`] here, so the certificate can judge the answer exactly. Parameter values are
//! read from the model file's text (`T = { value = 0.1 }` is `1/10`), as are `--set` values;
//! formulas are evaluated with [`crate::expr::eval_exact`]. A formula with no rational value at
//! the point (`exp`, `ln`, a non-integer power) leaves the game without exact numbers, and its
//! certificate is then a tolerance.

use super::sources::Slot;
use super::template::{GameTemplate, InstantiateError};
use crate::exact::{self, Rational};
use crate::expr::{eval_exact, Ast, AstKind, ExactError};
use crate::game::{ExactNumbers, Game};
use num_traits::{One, Zero};
use std::ops::Range;
use std::sync::Arc;

impl GameTemplate {
    /// The exact parameter point: defaults and scenario values read from the model file's text
    /// `source` as written, overridden by `sets` (already validated by
    /// [`GameTemplate::point`]). A value whose text cannot be read exactly takes the exact value
    /// of the shortest decimal of its float.
    pub fn exact_point(
        &self,
        source: &str,
        scenario: Option<&str>,
        sets: &[(String, Rational)],
    ) -> Result<Vec<Rational>, String> {
        let ast = &self.ast;
        let mut theta: Vec<Rational> = self
            .params
            .defaults
            .iter()
            .enumerate()
            .map(|(i, &v)| {
                let span = ast
                    .params
                    .iter()
                    .find(|p| p.name.v == self.params.names[i])
                    .map(|p| p.value.span.clone());
                literal(source, span, v)
            })
            .collect();
        if let Some(name) = scenario {
            let s = self.scenario(name)?;
            let written = ast.scenarios.iter().find(|d| d.name.v == name);
            for &(id, v) in &s.values {
                let span = written.and_then(|d| {
                    d.values
                        .iter()
                        .find(|(k, _)| k.v == self.params.names[id])
                        .map(|(_, x)| x.span.clone())
                });
                theta[id] = literal(source, span, v);
            }
        }
        for (name, v) in sets {
            let id = self.params.lookup(name)?;
            theta[id] = v.clone();
        }
        Ok(theta)
    }

    /// The payoffs and chance probabilities at the exact point `theta`, in rationals; `None`
    /// if a formula has no rational value there, or the chance probabilities of a node do not
    /// sum to exactly 1 (the floats then stand alone).
    pub fn instantiate_exact(
        &self,
        theta: &[Rational],
    ) -> Result<Option<ExactNumbers>, InstantiateError> {
        let value = |name: &str| {
            let i = self.params.id(name)?;
            match self.overrides.iter().find(|o| o.0 == i) {
                Some(o) => Some(o.2.clone()),
                None => theta.get(i).cloned(),
            }
        };
        let mut vals = Vec::with_capacity(self.formulas.len());
        for (i, slot) in self.formulas.slots.iter().enumerate() {
            let got = match *slot {
                Slot::Kept(k) => {
                    let f = &self.formulas.kept[k as usize];
                    eval_exact(&f.ast, &f.src.text, &value)
                }
                Slot::Number { .. } => {
                    // The number spans its whole text (see `Slot::Number`).
                    let src = self.formulas.src(i);
                    let num = Ast::new(AstKind::Num(self.pay_base[i]), 0..src.text.len());
                    eval_exact(&num, &src.text, &value)
                }
            };
            match got {
                Ok(q) => vals.push(q),
                Err(ExactError::Eval(error)) => {
                    return Err(InstantiateError::Eval { formula: i, error })
                }
                Err(ExactError::NotRational { .. }) | Err(ExactError::Unknown { .. }) => {
                    return Ok(None)
                }
            }
        }
        let chance_vals = vals.split_off(self.n_payoffs);
        let mut chance = vec![Rational::zero(); self.tree.nodes.len()];
        for (k, q) in chance_vals.into_iter().enumerate() {
            chance[self.chance_targets[k].ix()] = q;
        }
        for &c in &self.chance_nodes {
            let sum = self
                .tree
                .node(c)
                .children()
                .fold(Rational::zero(), |s, ch| s + &chance[ch]);
            if !sum.is_one() {
                return Ok(None);
            }
        }
        Ok(Some(ExactNumbers::new(chance, vals)))
    }

    /// Fills `game.exact` (for a game instantiated at the float point of `theta`) when every
    /// number is rational; the floats are replaced by the roundings of the exact values, so the
    /// two agree.
    pub fn fill_exact(&self, game: &mut Game, theta: &[Rational]) -> Result<(), InstantiateError> {
        game.exact = None;
        if let Some(ex) = self.instantiate_exact(theta)? {
            for (i, f) in game.payoffs.iter_mut().enumerate() {
                *f = ex.payoffs().to_f64(i);
            }
            for (i, f) in game.chance.iter_mut().enumerate() {
                if !ex.chance().get(i).is_zero() {
                    *f = ex.chance().to_f64(i);
                }
            }
            game.exact = Some(Arc::new(ex));
        }
        Ok(())
    }
}

/// The exact value of a number literal at `span` of `source` (TOML syntax: underscores and a
/// leading `+` allowed), if it reads back to `v`; else the shortest decimal of `v`.
fn literal(source: &str, span: Option<Range<usize>>, v: f64) -> Rational {
    span.and_then(|s| source.get(s))
        .map(|t| {
            t.trim()
                .trim_matches(['"', '\''])
                .trim_start_matches('+')
                .replace('_', "")
        })
        .and_then(|t| exact::parse_fraction(&t))
        .filter(|q| exact::to_f64(q) == v)
        .or_else(|| exact::parse(&format!("{v}")))
        .or_else(|| exact::from_f64(v))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use crate::exact::{self, Rational};
    use crate::model;

    const SRC: &str = r#"
title = "exact"
players = ["A", "B"]
root = "a"

[parameters]
p = { value = 0.1 }
c = { value = 1_000 }

[scenarios.s]
p = 0.3

[nodes.a]
chance = { x = { to = "o1", prob = "p" }, y = { to = "o2", prob = "1 - p" } }

[outcomes.o1]
payoffs = { A = "p + 0.2", B = "c / 3" }

[outcomes.o2]
payoffs = { A = 1, B = "exp(p)" }
"#;

    fn q(s: &str) -> Rational {
        exact::parse_fraction(s).unwrap()
    }

    #[test]
    fn parameters_are_read_as_written() {
        let t = model::load("t.toml", SRC).template.unwrap();
        let th = t.exact_point(SRC, None, &[]).unwrap();
        assert_eq!(th, vec![q("1/10"), q("1000")]);
        let th = t
            .exact_point(SRC, Some("s"), &[("c".into(), q("7"))])
            .unwrap();
        assert_eq!(th, vec![q("3/10"), q("7")]);
    }

    #[test]
    fn irrational_formulas_leave_the_game_inexact() {
        let t = model::load("t.toml", SRC).template.unwrap();
        let th = t.exact_point(SRC, None, &[]).unwrap();
        // B's payoff at o2 is exp(p): no exact game.
        assert_eq!(t.instantiate_exact(&th), Ok(None));
    }

    #[test]
    fn rational_models_are_exact() {
        let src = SRC.replace("exp(p)", "p^2");
        let t = model::load("t.toml", src.as_str()).template.unwrap();
        let th = t.exact_point(&src, None, &[]).unwrap();
        let ex = t.instantiate_exact(&th).unwrap().unwrap();
        assert!(ex.payoffs().contains(&q("3/10")));
        assert!(ex.payoffs().contains(&q("1000/3")));
        assert!(ex.payoffs().contains(&q("1/100")));
        let mut g = t.instantiate(&t.defaults()).unwrap();
        t.fill_exact(&mut g, &th).unwrap();
        assert!(g.exact.is_some());
    }
}
