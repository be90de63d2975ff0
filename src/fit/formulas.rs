//! The model's payoffs and chance probabilities as functions of the parameters that vary across
//! rows, with their exact derivatives.
//!
//! Each formula falls into one of three cases, decided once before fitting:
//! - it mentions no varying parameter: a constant, evaluated once;
//! - its derivative with respect to every varying parameter is a constant: it is affine,
//!   `c + Σ a_p θ_p`, and each row costs a short dot product (the common case: utilities
//!   written as sums of parameters);
//! - otherwise it and its derivatives ([`crate::fit::diff`]) are compiled and evaluated at each
//!   row's parameters.

use super::diff::diff;
use crate::diag::Diagnostic;
use crate::expr::{compile, EvalError, Expr, ParamId};
use crate::model::{GameTemplate, InstantiateError};

/// A derivative: constant, or a compiled formula.
#[derive(Clone, Debug)]
pub enum Deriv {
    /// The same at every row.
    Const(f64),
    /// Evaluated at each row.
    Expr(Expr),
}

/// One payoff or chance probability.
#[derive(Clone, Debug)]
pub enum Item {
    /// The same at every row.
    Const(f64),
    /// `c + Σ a_p θ_p` over varying parameters `p`.
    Affine {
        /// The constant.
        c: f64,
        /// `(parameter, coefficient)` pairs.
        a: Vec<(u32, f64)>,
    },
    /// Any other formula, with its derivative in each varying parameter it mentions.
    General {
        /// The formula.
        f: Expr,
        /// `(parameter, derivative)` pairs.
        d: Vec<(u32, Deriv)>,
        /// Index into the template's formulas (for messages).
        formula: usize,
    },
}

/// Every payoff and chance probability of a model as a function of the parameter vector.
#[derive(Clone, Debug)]
pub struct Formulas {
    /// `payoffs[leaf * players + player]`, then one item per chance move.
    pub items: Vec<Item>,
    /// Number of payoff items.
    pub n_payoffs: usize,
    /// The node each chance item is the probability of moving into.
    pub chance_targets: Vec<u32>,
}

impl Formulas {
    /// Classifies and compiles the template's formulas. `varying[p]` says whether parameter
    /// `p` changes across rows or with the coefficients; `theta` holds every parameter's value
    /// (the fixed ones are used, the varying ones only as a reference point).
    pub fn new(t: &GameTemplate, varying: &[bool], theta: &[f64]) -> Result<Formulas, Diagnostic> {
        let names = &t.params.names;
        let eval_at = |e: &Expr, k: usize| -> Result<f64, Diagnostic> {
            e.eval_alloc(theta)
                .map_err(|error| t.diagnose(&InstantiateError::Eval { formula: k, error }, theta))
        };
        let mut items = Vec::with_capacity(t.formulas.len());
        for (k, info) in t.formulas.iter().enumerate() {
            let ast = &info.ast;
            let vary: Vec<usize> = ast
                .params()
                .into_iter()
                .filter_map(|n| names.iter().position(|m| m == n))
                .filter(|&p| varying[p])
                .collect();
            let f = compile(ast, &mut |n: &str| {
                names.iter().position(|m| m == n).map(|i| ParamId(i as u32))
            })
            // Every name in a built template's formulas is one of its parameters.
            .expect("formulas of a built template resolve");
            if vary.is_empty() {
                items.push(Item::Const(eval_at(&f, k)?));
                continue;
            }
            let mut ds = Vec::new();
            let mut affine = true;
            for &p in &vary {
                let da = diff(ast, &names[p]);
                let de = compile(&da, &mut |n: &str| {
                    names.iter().position(|m| m == n).map(|i| ParamId(i as u32))
                })
                .expect("derivatives mention only the formula's parameters");
                let is_const = da
                    .params()
                    .into_iter()
                    .filter_map(|n| names.iter().position(|m| m == n))
                    .all(|q| !varying[q]);
                if is_const {
                    ds.push((p as u32, Deriv::Const(eval_at(&de, k)?)));
                } else {
                    affine = false;
                    ds.push((p as u32, Deriv::Expr(de)));
                }
            }
            if affine {
                let v = eval_at(&f, k)?;
                let mut c = v;
                let mut a = Vec::new();
                for (p, d) in ds {
                    if let Deriv::Const(x) = d {
                        c -= x * theta[p as usize];
                        if x != 0.0 {
                            a.push((p, x));
                        }
                    }
                }
                items.push(Item::Affine { c, a });
            } else {
                items.push(Item::General {
                    f,
                    d: ds,
                    formula: k,
                });
            }
        }
        Ok(Formulas {
            items,
            n_payoffs: t.n_payoffs,
            chance_targets: t.chance_targets.iter().map(|n| n.0).collect(),
        })
    }

    /// True if every item is constant or affine (no per-row formula evaluation).
    pub fn all_affine(&self) -> bool {
        self.items
            .iter()
            .all(|i| !matches!(i, Item::General { .. }))
    }

    /// Evaluates every item at `theta` into `out`. On failure, the index into the template's
    /// formulas and the error.
    #[inline]
    pub fn eval(
        &self,
        theta: &[f64],
        out: &mut [f64],
        stack: &mut Vec<f64>,
    ) -> Result<(), (usize, EvalError)> {
        for (o, item) in out.iter_mut().zip(&self.items) {
            *o = match item {
                Item::Const(c) => *c,
                Item::Affine { c, a } => a.iter().fold(*c, |s, &(p, x)| s + x * theta[p as usize]),
                Item::General { f, formula, .. } => {
                    f.eval(theta, stack).map_err(|e| (*formula, e))?
                }
            };
        }
        Ok(())
    }

    /// Adds `Σ_j bar[j] · ∂item_j/∂θ_p` to `theta_bar[p]` for every varying `p`.
    #[inline]
    pub fn backprop(
        &self,
        theta: &[f64],
        bar: &[f64],
        theta_bar: &mut [f64],
        stack: &mut Vec<f64>,
    ) -> Result<(), (usize, EvalError)> {
        for (&b, item) in bar.iter().zip(&self.items) {
            if b == 0.0 {
                continue;
            }
            match item {
                Item::Const(_) => {}
                Item::Affine { a, .. } => {
                    for &(p, x) in a {
                        theta_bar[p as usize] += b * x;
                    }
                }
                Item::General { d, formula, .. } => {
                    for (p, dv) in d {
                        let x = match dv {
                            Deriv::Const(x) => *x,
                            Deriv::Expr(e) => e.eval(theta, stack).map_err(|e| (*formula, e))?,
                        };
                        theta_bar[*p as usize] += b * x;
                    }
                }
            }
        }
        Ok(())
    }
}
