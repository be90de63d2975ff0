//! Conditions solved for one parameter, for sentences that state ranges: a [`Condition`] as a
//! bound (`c_D < a - lambda*T + L`), as an equation at a threshold (`c_D = a`), with both
//! sides' values at a point (`c_D = 1.5 < a - lambda*T + L = 2.85`), and bounds on the same
//! parameter chained (`1 < c_D < 3 - 0.5*T`, [`chain`]).
//!
//! Unlike [`Condition::render`], a bound divided by a parameter carries no sign note
//! (`T > -psi0/beta`): the sign is that of the coefficient at the point given, and the
//! sentences using these forms state that point.

use super::Condition;
use crate::game::tree::NodeKind;
use crate::game::NodeId;
use crate::model::GameTemplate;
use crate::output::words::num;
use crate::poly::{Poly, ZERO};

/// A condition `margin > 0` solved for a parameter, or left as it is.
#[derive(Clone, Debug, PartialEq)]
pub enum Shown {
    /// `var > rhs` (`upper` false) or `var < rhs` (`upper` true).
    Bound {
        /// The parameter's name.
        var: String,
        /// True for `var < rhs`.
        upper: bool,
        /// The right-hand side as text.
        rhs: String,
    },
    /// `text > 0`.
    Positive(String),
}

impl Shown {
    /// The condition as text: `c_D < a - lambda*T + L`.
    pub fn text(&self) -> String {
        match self {
            Shown::Bound { var, upper, rhs } => {
                format!("{var} {} {rhs}", if *upper { "<" } else { ">" })
            }
            Shown::Positive(s) => format!("{s} > 0"),
        }
    }
}

impl Condition {
    /// The margin (chosen minus alternative) as a polynomial, when both sides are polynomial.
    pub fn margin_poly(&self) -> Option<Poly> {
        let (l, r) = self.polys.as_ref()?;
        Some(l.sub(r))
    }

    fn show(&self, p: &Poly) -> String {
        p.show_ranked(&self.names, &self.rank)
    }

    /// Like `show`, with the constant term first when `first` (`0.5 + alpha`: a bound whose
    /// other terms are all on the map's axes).
    fn show_first(&self, p: &Poly, first: bool) -> String {
        let c = p.terms.get(&Vec::new()).copied().unwrap_or(0.0);
        let mut rest = p.clone();
        rest.terms.remove(&Vec::new());
        if !first || c.abs() <= ZERO || rest.is_zero() {
            return self.show(p);
        }
        let r = self.show(&rest);
        match r.strip_prefix('-') {
            Some(r) => format!("{} - {r}", num(c)),
            None => format!("{} + {r}", num(c)),
        }
    }

    /// Solves `d > 0` for the first of `vars` whose coefficient is a single term with a nonzero
    /// value at `theta` (its sign gives the direction): `(var, upper, coef, rest)`.
    fn isolate(&self, d: &Poly, vars: &[usize], theta: &[f64]) -> Option<(usize, Poly, Poly)> {
        vars.iter().find_map(|&v| {
            let (coef, rest) = d.split_linear(v)?;
            let s = coef.eval(theta);
            (coef.terms.len() == 1 && s.is_finite() && s.abs() > ZERO).then_some((v, coef, rest))
        })
    }

    /// The exact condition solved for the first of `vars` it can be (the sign of a parameter
    /// coefficient taken at `theta`): `c_D < a - lambda*T + L`, `T > -psi0/beta`. `None` if
    /// the condition is not polynomial.
    pub fn shown(&self, vars: &[usize], theta: &[f64]) -> Option<Shown> {
        let d = self.margin_poly()?;
        let first = d.terms.keys().flatten().all(|(p, _)| vars.contains(p));
        let Some((v, coef, rest)) = self.isolate(&d, vars, theta) else {
            return Some(Shown::Positive(self.show_first(&d, first)));
        };
        let name = self.names.get(v).cloned().unwrap_or_default();
        let upper = coef.eval(theta) < 0.0;
        let show = |p: &Poly| self.show_first(p, first);
        let rhs = match coef.as_constant() {
            Some(k) => show(&rest.scale(-1.0 / k)),
            None => {
                // d = coef·v + rest; the bound is −rest/coef, printed with a positive leading
                // coefficient in the denominator.
                let (coef, r) = match coef.single_term() {
                    Some((_, c)) if c < 0.0 => (coef.scale(-1.0), rest),
                    _ => (coef, rest.scale(-1.0)),
                };
                let top = if r.terms.len() > 1 {
                    format!("({})", show(&r))
                } else {
                    show(&r)
                };
                let den = self.show(&coef);
                let den = if den.contains(['+', ' ', '*']) {
                    format!("({den})")
                } else {
                    den
                };
                format!("{top}/{den}")
            }
        };
        Some(Shown::Bound {
            var: name,
            upper,
            rhs,
        })
    }

    /// The condition with every parameter outside `keep` at its value in `theta`, solved for
    /// the first of `vars` with a constant coefficient: on a map over `T` and `c_D`,
    /// `c_D < 3 - 0.5*T`. `None` if the condition is not polynomial.
    pub fn shown_at(&self, vars: &[usize], theta: &[f64], keep: &[usize]) -> Option<Shown> {
        let d = self.margin_in(theta, keep)?;
        for &v in vars {
            let Some((coef, rest)) = d.split_linear(v) else {
                continue;
            };
            if let Some(k) = coef.as_constant().filter(|k| k.abs() > ZERO) {
                return Some(Shown::Bound {
                    var: self.names.get(v).cloned().unwrap_or_default(),
                    upper: k < 0.0,
                    rhs: self.show_first(&rest.scale(-1.0 / k), true),
                });
            }
        }
        Some(Shown::Positive(self.show_first(&d, true)))
    }

    /// The condition at a point with both sides' values: `c_D = 1.5 < a - lambda*T + L =
    /// 2.85` (solved for the first of `vars` it can be), or `… = 0.3 > 0`.
    pub fn at_point(&self, vars: &[usize], theta: &[f64]) -> Option<String> {
        let d = self.margin_poly()?;
        Some(
            match (self.shown(vars, theta)?, self.isolate(&d, vars, theta)) {
                (Shown::Bound { var, upper, rhs }, Some((v, coef, rest))) => {
                    let lhs = theta.get(v).map_or_else(|| "?".into(), |x| num(*x));
                    let rv = num(-rest.eval(theta) / coef.eval(theta));
                    let op = if upper { "<" } else { ">" };
                    if rhs == rv {
                        format!("{var} = {lhs} {op} {rhs}")
                    } else {
                        format!("{var} = {lhs} {op} {rhs} = {rv}")
                    }
                }
                (shown, _) => {
                    let s = shown.text();
                    let s = s.strip_suffix(" > 0").unwrap_or(&s);
                    format!("{s} = {} > 0", num(d.eval(theta)))
                }
            },
        )
    }

    /// Where the condition turns, solved for `var`: `c_D = a`, `beta = -psi0/T` (the sign of a
    /// parameter coefficient taken at `theta`). `None` unless `var` can be isolated.
    pub fn equation(&self, var: usize, theta: &[f64]) -> Option<String> {
        match self.shown(&[var], theta)? {
            Shown::Bound { var, rhs, .. } => Some(format!("{var} = {rhs}")),
            Shown::Positive(_) => None,
        }
    }
}

/// Every condition of the pure strategy profile `choice` (a move per node, as in
/// [`crate::solve::backward::Workspace::choice`]): for each decision node, in id order, the
/// chosen move against each other move, `(node, chosen, other, condition)`. Comparisons whose
/// continuation is too large for a formula are left out.
pub fn choice_conditions(
    t: &GameTemplate,
    choice: &[u32],
) -> Vec<(NodeId, usize, usize, Condition)> {
    let mut out = Vec::new();
    for (i, node) in t.tree.nodes.iter().enumerate() {
        if !matches!(node.kind, NodeKind::Decision { .. }) {
            continue;
        }
        let Some(&c) = choice.get(i) else { continue };
        let c = c as usize;
        for m in (0..node.n_children as usize).filter(|&m| m != c) {
            if let Some(cond) = super::compare(t, choice, NodeId::from(i), c, m, false) {
                out.push((NodeId::from(i), c, m, cond));
            }
        }
    }
    out
}

/// Conditions as text, bounds on the same parameter chained (`1 < c_D < 3 - 0.5*T`), the
/// parameters of `order` first, in that order; conditions left as `… > 0` last.
pub fn chain(shown: Vec<Shown>, order: &[&str]) -> Vec<String> {
    let mut lower: Vec<(String, String)> = Vec::new();
    let mut upper: Vec<(String, String)> = Vec::new();
    let mut other = Vec::new();
    for s in shown {
        match s {
            Shown::Bound { var, upper: u, rhs } => {
                if u {
                    upper.push((var, rhs))
                } else {
                    lower.push((var, rhs))
                }
            }
            Shown::Positive(s) => other.push(s),
        }
    }
    let mut vars: Vec<String> = order.iter().map(|s| s.to_string()).collect();
    for (v, _) in lower.iter().chain(&upper) {
        if !vars.contains(v) {
            vars.push(v.clone());
        }
    }
    let mut out = Vec::new();
    for var in &vars {
        let lo: Vec<&String> = lower.iter().filter(|b| &b.0 == var).map(|b| &b.1).collect();
        let hi: Vec<&String> = upper.iter().filter(|b| &b.0 == var).map(|b| &b.1).collect();
        if let ([l], [h]) = (&lo[..], &hi[..]) {
            out.push(format!("{l} < {var} < {h}"));
            continue;
        }
        out.extend(lo.iter().map(|r| format!("{var} > {r}")));
        out.extend(hi.iter().map(|r| format!("{var} < {r}")));
    }
    out.extend(other.into_iter().map(|s| format!("{s} > 0")));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hedging() -> GameTemplate {
        crate::model::load("hedging.toml", include_str!("../../models/hedging.toml"))
            .template
            .expect("models/hedging.toml is valid")
    }

    fn find<'a>(
        t: &GameTemplate,
        cs: &'a [(NodeId, usize, usize, Condition)],
        node: &str,
    ) -> &'a Condition {
        let id = t.tree.node_names.iter().position(|n| n == node).unwrap();
        &cs.iter().find(|c| c.0.ix() == id).unwrap().3
    }

    #[test]
    fn bounds_points_and_equations() {
        // docs/models/hedging.md at the cold_war point (c_D = 1.5, a = 1, lambda = 0.5, T = 0.3, L = 2,
        // psi0 = -0.2, beta = 1): D supports a hedger iff c_D < a - lambda*T + L = 2.85; P
        // realigns iff T > -psi0/beta = 0.2.
        let t = hedging();
        let theta = t.point(Some("cold_war"), &[]).unwrap();
        let (game, ws) = super::super::solve_at(&t, &theta, super::super::TIE_TOL).unwrap();
        drop(game);
        let cs = choice_conditions(&t, &ws.choice);
        let id = |n: &str| t.params.id(n).unwrap();
        let (c_d, tt) = (id("c_D"), id("T"));
        let d = find(&t, &cs, "defender_h");
        assert_eq!(
            d.shown(&[c_d], &theta).unwrap().text(),
            "c_D < a - lambda*T + L"
        );
        assert_eq!(
            d.at_point(&[c_d], &theta).unwrap(),
            "c_D = 1.5 < a - lambda*T + L = 2.85"
        );
        assert_eq!(
            d.shown_at(&[c_d, tt], &theta, &[tt, c_d]).unwrap().text(),
            "c_D < 3 - 0.5*T"
        );
        let p = find(&t, &cs, "protege_h");
        assert_eq!(p.shown(&[tt], &theta).unwrap().text(), "T > -psi0/beta");
        assert_eq!(p.equation(id("beta"), &theta).unwrap(), "beta = -psi0/T");
        let a = find(&t, &cs, "defender_a");
        assert_eq!(a.equation(c_d, &theta).unwrap(), "c_D = a");
        let shown = vec![
            d.shown_at(&[c_d], &theta, &[tt, c_d]).unwrap(),
            a.shown_at(&[c_d], &theta, &[tt, c_d]).unwrap(),
        ];
        assert_eq!(chain(shown, &["T", "c_D"]), ["1 < c_D < 3 - 0.5*T"]);
    }
}
