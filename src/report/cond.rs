//! Why a subgame-perfect equilibrium is what it is: one inequality per decision node and
//! rejected move, in exact (symbolic) and numeric form.
//!
//! Given a game's pure choices, each node's value to each player is the polynomial of the leaf
//! its continuation reaches (chance nodes: probability-weighted sums), computed in one reverse
//! pass over the breadth-first arena. The mover at a node prefers the chosen move `c` to a
//! rejected move `m` exactly when `V_c − V_m > 0` for the mover: that polynomial is a
//! [`Cond`]. [`Shown`] solves it for a parameter when it can (`c_D < a - lambda*T + L`).

use super::poly::Poly;
use crate::game::tree::NodeKind;
use crate::model::GameTemplate;
use crate::output::words::num;

/// One condition of an equilibrium: the mover at `node` prefers `chosen` to `other`.
#[derive(Clone, Debug, PartialEq)]
pub struct Cond {
    /// Node name.
    pub node: String,
    /// The mover.
    pub player: String,
    /// Label of the chosen move.
    pub chosen: String,
    /// Label of the rejected move.
    pub other: String,
    /// `V_chosen − V_other` for the mover; the condition is `diff > 0`.
    pub diff: Poly,
}

/// The value polynomials of every node under pure `choice` (per node, `u32::MAX` where no
/// choice), or `None` if some formula has no polynomial form.
pub fn values(t: &GameTemplate, choice: &[u32]) -> Option<Vec<Vec<Poly>>> {
    let tree = &*t.tree;
    let np = tree.n_players();
    let n = tree.nodes.len();
    let mut chance_formula = vec![usize::MAX; n];
    for (k, c) in t.chance_targets.iter().enumerate() {
        chance_formula[c.ix()] = t.n_payoffs + k;
    }
    let mut v: Vec<Vec<Poly>> = vec![Vec::new(); n];
    for i in (0..n).rev() {
        let node = &tree.nodes[i];
        v[i] = match node.kind {
            NodeKind::Terminal { leaf } => (0..np)
                .map(|p| Poly::from_ast(&t.formulas.get(leaf.ix() * np + p)?.ast))
                .collect::<Option<Vec<_>>>()?,
            NodeKind::Chance => {
                let mut acc = vec![Poly::default(); np];
                for c in node.children() {
                    let prob = Poly::from_ast(&t.formulas.get(chance_formula[c])?.ast)?;
                    for p in 0..np {
                        acc[p] = acc[p].add_scaled(&prob.mul(&v[c][p]), 1.0);
                    }
                }
                acc
            }
            NodeKind::Decision { .. } => {
                let a = *choice.get(i)? as usize;
                v[node.first_child as usize + a].clone()
            }
        };
    }
    Some(v)
}

/// Every condition of the pure equilibrium `choice` (see the module doc).
pub fn conditions(t: &GameTemplate, choice: &[u32]) -> Option<Vec<Cond>> {
    let tree = &*t.tree;
    let v = values(t, choice)?;
    let mut out = Vec::new();
    for (i, node) in tree.nodes.iter().enumerate() {
        let NodeKind::Decision { player, .. } = node.kind else {
            continue;
        };
        let c = node.first_child as usize + choice[i] as usize;
        for m in node.children().filter(|&m| m != c) {
            out.push(Cond {
                node: tree.node_names[i].clone(),
                player: tree.players[player.ix()].clone(),
                chosen: tree.move_labels[c].clone(),
                other: tree.move_labels[m].clone(),
                diff: v[c][player.ix()].add_scaled(&v[m][player.ix()], -1.0),
            });
        }
    }
    Some(out)
}

/// A condition `diff > 0` solved for a parameter, or left as it is.
#[derive(Clone, Debug, PartialEq)]
pub enum Shown {
    /// `var > rhs` (`upper` false) or `var < rhs` (`upper` true).
    Bound {
        /// The parameter.
        var: String,
        /// True for `var < rhs`.
        upper: bool,
        /// The right-hand side as text.
        rhs: String,
        /// The right-hand side as a polynomial, when it is one.
        rhs_poly: Option<Poly>,
    },
    /// `text > 0`.
    Positive(String),
}

impl Shown {
    /// The condition as text: `c_D < a - lambda*T + L`.
    pub fn text(&self) -> String {
        match self {
            Shown::Bound {
                var, upper, rhs, ..
            } => format!("{var} {} {rhs}", if *upper { "<" } else { ">" }),
            Shown::Positive(s) => format!("{s} > 0"),
        }
    }
}

/// Solves `diff > 0` for the first of `vars` it can (a coefficient that is one term, whose sign
/// at the point `value` gives the direction).
pub fn show(diff: &Poly, vars: &[&str], value: &dyn Fn(&str) -> Option<f64>) -> Shown {
    let constant_first = diff.terms.iter().all(|(m, _)| {
        m.iter()
            .all(|(n, _)| vars.contains(&n.as_str()) || value(n).is_none())
    });
    for var in vars {
        let Some((coef, rest)) = diff.split(var) else {
            continue;
        };
        if coef.terms.len() != 1 {
            continue;
        }
        let sign = coef.eval(value);
        if !sign.is_finite() || sign == 0.0 {
            continue;
        }
        let upper = sign < 0.0;
        let (rhs, rhs_poly) = match coef.as_constant() {
            Some(k) => {
                let r = rest.scale(-1.0 / k);
                (r.text(constant_first), Some(r))
            }
            None => {
                // diff = coef·var + rest; the bound is −rest/coef. Print a positive leading
                // coefficient in the denominator: −rest/coef = rest/(−coef).
                let neg = coef.terms[0].1 < 0.0;
                let (coef, r) = if neg {
                    (coef.scale(-1.0), rest.clone())
                } else {
                    (coef.clone(), rest.scale(-1.0))
                };
                let num_text = if r.terms.len() > 1 {
                    format!("({})", r.text(constant_first))
                } else {
                    r.text(constant_first)
                };
                let den = coef.text(false);
                let den = if den.contains(['+', ' ', '*']) {
                    format!("({den})")
                } else {
                    den
                };
                (format!("{num_text}/{den}"), None)
            }
        };
        return Shown::Bound {
            var: var.to_string(),
            upper,
            rhs,
            rhs_poly,
        };
    }
    Shown::Positive(diff.text(constant_first))
}

/// A condition at a point, with both sides' values: `c_D = 1.5 < a - lambda*T + L = 2.85`.
pub fn at_point(diff: &Poly, vars: &[&str], value: &dyn Fn(&str) -> Option<f64>) -> String {
    match show(diff, vars, value) {
        Shown::Bound {
            var, upper, rhs, ..
        } => {
            let lhs = value(&var).map_or_else(|| "?".into(), num);
            let (coef, rest) = diff.split(&var).unwrap_or_default();
            let r = -rest.eval(value) / coef.eval(value);
            let rv = num(r);
            let op = if upper { "<" } else { ">" };
            if rhs == rv {
                format!("{var} = {lhs} {op} {rhs}")
            } else {
                format!("{var} = {lhs} {op} {rhs} = {rv}")
            }
        }
        Shown::Positive(s) => format!("{s} = {} > 0", num(diff.eval(value))),
    }
}
