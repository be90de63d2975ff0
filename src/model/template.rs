//! The parametric game: a tree built once plus compiled formulas, instantiated at any θ.
//!
//! A [`GameTemplate`] holds the shared [`Tree`], the parameter table, the scenarios, and one
//! compiled [`Expr`] per payoff and chance probability. [`GameTemplate::instantiate_into`] fills
//! a [`Game`]'s numeric vectors in place: a loop over compiled formulas reading parameters by
//! integer id from a `&[f64]`, with a reused evaluation stack — no parsing, no string look-up and
//! no allocation per parameter point. That is the unit of work of a sweep.

use super::ast::{FormulaSrc, ModelAst};
pub use super::sources::Formulas;
use crate::diag::{did_you_mean, Diagnostic};
use crate::expr::{EvalError, Expr};
use crate::game::{Game, NodeId, Tree};
use std::ops::Range;
use std::sync::Arc;

/// The model's parameters: names, defaults, ranges, descriptions (indexed by parameter id).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Params {
    /// Names.
    pub names: Vec<String>,
    /// Default values.
    pub defaults: Vec<f64>,
    /// Optional `(lo, hi)` ranges.
    pub ranges: Vec<Option<(f64, f64)>>,
    /// One-line descriptions.
    pub about: Vec<String>,
    /// Declaration spans.
    pub spans: Vec<Range<usize>>,
}

impl Params {
    /// Number of parameters.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True if there are none.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The id of a parameter by name.
    pub fn id(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// The id of a parameter, or an error message with a suggestion.
    pub fn lookup(&self, name: &str) -> Result<usize, String> {
        self.id(name).ok_or_else(|| {
            let mut m = format!("unknown parameter `{name}`");
            match did_you_mean(name, self.names.iter().map(String::as_str)) {
                Some(h) => m.push_str(&format!("; {h}")),
                None => m.push_str(&format!("; the parameters are {}", self.names.join(", "))),
            }
            m
        })
    }

    /// Checks a value against the parameter's range.
    pub fn check_range(&self, id: usize, value: f64) -> Result<(), String> {
        if !value.is_finite() {
            return Err(format!("`{}` must be a finite number", self.names[id]));
        }
        match self.ranges[id] {
            Some((lo, hi)) if value < lo || value > hi => Err(format!(
                "{} = {value} is outside its range [{lo}, {hi}]",
                self.names[id]
            )),
            _ => Ok(()),
        }
    }
}

/// A named set of parameter values.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// Name.
    pub name: String,
    /// Description.
    pub about: String,
    /// `(parameter id, value)` pairs.
    pub values: Vec<(usize, f64)>,
}

/// Where a formula came from, for messages.
#[derive(Clone, Debug, PartialEq)]
pub struct FormulaInfo {
    /// The formula's text and location.
    pub src: FormulaSrc,
    /// What it computes, e.g. "the payoff of Defender at outcome `war_h`".
    pub what: String,
    /// Its parsed form (for display and analysis).
    pub ast: crate::expr::Ast,
}

/// What went wrong instantiating a template at a parameter point.
#[derive(Clone, Debug, PartialEq)]
pub enum InstantiateError {
    /// A formula failed to evaluate.
    Eval {
        /// Index into [`GameTemplate::formulas`].
        formula: usize,
        /// The failure.
        error: EvalError,
    },
    /// Chance probabilities at a node are negative or do not sum to 1.
    Chance {
        /// The chance node.
        node: NodeId,
        /// Their sum.
        sum: f64,
        /// The most negative probability (if any is negative).
        negative: Option<f64>,
    },
}

/// A model compiled for repeated instantiation.
#[derive(Clone, Debug)]
pub struct GameTemplate {
    /// Title.
    pub title: String,
    /// Description.
    pub about: String,
    /// The shared tree.
    pub tree: Arc<Tree>,
    /// Parameters.
    pub params: Params,
    /// Scenarios.
    pub scenarios: Vec<Scenario>,
    /// Every formula's source, in evaluation order: payoffs (leaf-major), then chance moves
    /// (plain-number payoffs keep only where they are written; see [`Formulas`]).
    pub formulas: Formulas,
    /// Every payoff's value where it is a plain number (0 where it is a formula).
    pub(crate) pay_base: Vec<f64>,
    /// The payoffs that are formulas, compiled, by index into the payoffs.
    pub(crate) pay_exprs: Vec<(usize, Expr)>,
    /// Chance-move formulas, compiled (formula `n_payoffs + k`).
    pub(crate) chance_exprs: Vec<Expr>,
    /// Number of payoff formulas (`leaves × players`); the rest are chance moves.
    pub(crate) n_payoffs: usize,
    /// Target node of each chance-move formula.
    pub(crate) chance_targets: Vec<NodeId>,
    /// Chance nodes (for the sum-to-one check).
    pub(crate) chance_nodes: Vec<NodeId>,
    /// Span of each node's definition in the model file.
    pub node_spans: Vec<Range<usize>>,
    /// The model as written (for counterfactual rebuilds and reports).
    pub ast: Arc<ModelAst>,
    /// Parameters a counterfactual fixes (`set = { p_Pro = 0 }`): (parameter, value, exact
    /// value). They replace the point's values whenever the game is instantiated.
    pub overrides: Vec<(usize, f64, crate::exact::Rational)>,
}

/// Tolerance for chance probabilities summing to one.
pub const PROB_TOL: f64 = 1e-9;

impl GameTemplate {
    /// The default parameter values.
    pub fn defaults(&self) -> Vec<f64> {
        self.params.defaults.clone()
    }

    /// The scenario with this name.
    pub fn scenario(&self, name: &str) -> Result<&Scenario, String> {
        self.scenarios
            .iter()
            .find(|s| s.name == name)
            .ok_or_else(|| {
                let mut m = format!("unknown scenario `{name}`");
                match did_you_mean(name, self.scenarios.iter().map(|s| s.name.as_str())) {
                    Some(h) => m.push_str(&format!("; {h}")),
                    None if self.scenarios.is_empty() => m.push_str("; the model has no scenarios"),
                    None => m.push_str(&format!(
                        "; the scenarios are {}",
                        self.scenarios
                            .iter()
                            .map(|s| s.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                }
                m
            })
    }

    /// Parameter values: defaults, overridden by a scenario, overridden by `name=value` pairs.
    /// Every name and value is validated (unknown names get a suggestion; ranges are enforced).
    pub fn point(
        &self,
        scenario: Option<&str>,
        sets: &[(String, f64)],
    ) -> Result<Vec<f64>, String> {
        let mut theta = self.defaults();
        if let Some(s) = scenario {
            for &(id, v) in &self.scenario(s)?.values {
                theta[id] = v;
            }
        }
        for (name, v) in sets {
            let id = self.params.lookup(name)?;
            self.params.check_range(id, *v)?;
            theta[id] = *v;
        }
        Ok(theta)
    }

    /// Every compiled formula with its index in [`formulas`](Self::formulas) (plain-number
    /// payoffs have none: they cannot fail).
    pub(crate) fn compiled(&self) -> impl Iterator<Item = (usize, &Expr)> {
        let n = self.n_payoffs;
        self.pay_exprs.iter().map(|(i, e)| (*i, e)).chain(
            self.chance_exprs
                .iter()
                .enumerate()
                .map(move |(k, e)| (n + k, e)),
        )
    }

    /// A fresh game with this template's tree (numbers zero until instantiated).
    pub fn empty_game(&self) -> Game {
        Game::zeroed(self.tree.clone())
    }

    /// The game at parameter point `theta`.
    pub fn instantiate(&self, theta: &[f64]) -> Result<Game, InstantiateError> {
        let mut g = self.empty_game();
        let mut stack = Vec::new();
        self.instantiate_into(theta, &mut g, &mut stack)?;
        Ok(g)
    }

    /// Fills `game` (made by [`empty_game`](Self::empty_game)) at parameter point `theta`,
    /// reusing `stack` for evaluation. Allocation-free after the first call (unless a
    /// counterfactual fixes parameters).
    pub fn instantiate_into(
        &self,
        theta: &[f64],
        game: &mut Game,
        stack: &mut Vec<f64>,
    ) -> Result<(), InstantiateError> {
        let fixed;
        let theta = if self.overrides.is_empty() {
            theta
        } else {
            let mut t = theta.to_vec();
            for (id, v, _) in &self.overrides {
                if let Some(x) = t.get_mut(*id) {
                    *x = *v;
                }
            }
            fixed = t;
            &fixed[..]
        };
        if self.pay_exprs.len() < self.n_payoffs {
            game.payoffs[..self.n_payoffs].copy_from_slice(&self.pay_base);
        }
        for (i, e) in &self.pay_exprs {
            game.payoffs[*i] = e
                .eval(theta, stack)
                .map_err(|error| InstantiateError::Eval { formula: *i, error })?;
        }
        for (k, e) in self.chance_exprs.iter().enumerate() {
            game.chance[self.chance_targets[k].ix()] =
                e.eval(theta, stack)
                    .map_err(|error| InstantiateError::Eval {
                        formula: self.n_payoffs + k,
                        error,
                    })?;
        }
        for &c in &self.chance_nodes {
            let node = self.tree.node(c);
            let mut sum = 0.0;
            let mut neg: Option<f64> = None;
            for ch in node.children() {
                let p = game.chance[ch];
                sum += p;
                if p < 0.0 {
                    neg = Some(neg.map_or(p, |m: f64| m.min(p)));
                }
            }
            if neg.is_some() || (sum - 1.0).abs() > PROB_TOL {
                return Err(InstantiateError::Chance {
                    node: c,
                    sum,
                    negative: neg,
                });
            }
        }
        Ok(())
    }

    /// Describes parameter values `theta` briefly: the ones that differ from the defaults.
    pub fn describe_point(&self, theta: &[f64]) -> String {
        let diffs: Vec<String> = self
            .params
            .names
            .iter()
            .zip(theta.iter().zip(&self.params.defaults))
            .filter(|(_, (v, d))| v != d)
            .map(|(n, (v, _))| format!("{n} = {v}"))
            .collect();
        if diffs.is_empty() {
            "at the default parameter values".into()
        } else {
            format!("at {}", diffs.join(", "))
        }
    }

    /// A located diagnostic for an instantiation failure at `theta`.
    pub fn diagnose(&self, err: &InstantiateError, theta: &[f64]) -> Diagnostic {
        let at = self.describe_point(theta);
        match err {
            InstantiateError::Eval { formula, error } => {
                let f = self.formulas.info(*formula);
                Diagnostic::error(
                    f.src.file_span(&error.span),
                    format!("{} `{}` fails {at}: {error}", f.what, f.src.text),
                )
                .with_label(error.to_string())
            }
            InstantiateError::Chance {
                node,
                sum,
                negative,
            } => {
                let name = &self.tree.node_names[node.ix()];
                let msg = match negative {
                    Some(p) => format!(
                        "chance node `{name}` has a negative probability ({}) {at}",
                        crate::output::words::num(*p)
                    ),
                    None => format!(
                        "the probabilities of chance node `{name}` sum to {}, not 1, {at}",
                        crate::output::words::num(*sum)
                    ),
                };
                Diagnostic::error(self.node_spans[node.ix()].clone(), msg)
                    .with_hint("write the last probability as 1 minus the others")
            }
        }
    }
}
