//! Each regime's conditions in the model's symbols, as a reader of the literature writes them.
//!
//! [`super::derive`] turns one equilibrium into polynomial inequalities in the parameters.
//! This module collects them for every regime at a point (an equilibrium of each regime,
//! several when several equilibria share a regime) and states them for a map or a line over
//! some *mapped* parameters, the others at a base point:
//!
//! - a condition on the mapped parameters that holds on the whole map is dropped (checked
//!   exactly: a condition of degree at most one in each mapped parameter is at its smallest at
//!   a corner of the map); one on the other parameters alone is listed apart, as holding at
//!   the base point;
//! - a condition linear in a mapped parameter `x` whose coefficient does not involve the map
//!   is solved for it: `x < N/D` with `N` and `D` polynomials in the other parameters
//!   (`p_Def < (1 - s)/(1 - c_H)`), and of two bounds of the same direction only the tighter
//!   at the base point is kept;
//! - anything else is printed as `polynomial > 0`.
//!
//! Where the derivation fails, the reason is kept and callers show numbers instead.

use super::derive::{corner_range, derive, symbolic_numbers, Cond, Derived, CONTINUUM, DEGENERATE};
use super::factor::{factor, gcd, show_product};
use super::rational::show;
use super::spoly::SPoly;
use super::{component_regime, component_supports, RegimeError};
use crate::exact::{self, Rational};
use crate::game::tree::NodeKind;
use crate::model::GameTemplate;
use crate::solve::pbe::{self, Component};
use crate::solve::SolveOptions;
use num_traits::{Signed, Zero};

/// One alternative's conditions, or why they could not be derived.
type Alternative = Result<Vec<Cond>, String>;

/// The conditions of one regime at a point.
#[derive(Clone, Debug, PartialEq)]
pub struct RegimeConditions {
    /// The regime's label.
    pub label: String,
    /// One list of conditions per alternative (the regime holds where one of the lists
    /// holds), or why they could not be derived.
    pub alternatives: Vec<Result<Vec<Cond>, String>>,
    /// For each alternative, the off-path beliefs that support it, in words ("believing,
    /// after Challenger initiates, that the challenger is hard"); empty when nothing is off
    /// the path.
    pub supports: Vec<Vec<String>>,
    /// False if some alternatives are only sufficient (an off-path belief that could not be
    /// quantified: the regime may also hold elsewhere).
    pub exact: bool,
}

/// The belief concentrated on member `k` of information set `si`, in words: where the set
/// is, then what sets the member apart from the others (Nature's moves on its path that the
/// other members do not share, else the moves themselves).
pub fn belief_words(tree: &crate::game::tree::Tree, si: usize, k: usize) -> String {
    use crate::game::NodeId;
    use crate::output::words::{move_phrase, move_words, set_place};
    let set = crate::game::InfosetId::from(si);
    let members = tree.members(set);
    let path = |x: NodeId| -> Vec<(bool, NodeId)> {
        let mut out = Vec::new();
        let mut cur = x;
        while let Some(par) = tree.node(cur).parent() {
            let chance = matches!(tree.node(par).kind, NodeKind::Chance);
            out.push((chance, cur));
            cur = par;
        }
        out.reverse();
        out
    };
    let paths: Vec<Vec<(bool, NodeId)>> = members.iter().map(|&m| path(m)).collect();
    let Some(mine) = paths.get(k) else {
        return "an unknown member".into();
    };
    let said = |n: NodeId| (move_words(tree, n).to_string(), move_phrase(tree, n));
    let shared = |n: NodeId| {
        paths
            .iter()
            .all(|p| p.iter().any(|&(_, m)| said(m).1 == said(n).1))
    };
    let own: Vec<String> = mine
        .iter()
        .filter(|&&(chance, n)| chance && !shared(n))
        .map(|&(_, n)| said(n).0)
        .collect();
    let what = if own.is_empty() {
        mine.iter()
            .filter(|&&(_, n)| !shared(n))
            .map(|&(_, n)| said(n).1)
            .collect::<Vec<_>>()
            .join(" → ")
    } else {
        own.join(" and ")
    };
    match set_place(tree, set) {
        Some(place) => format!("believing, {place}, that {what}"),
        None => format!("believing that {what}"),
    }
}

/// The conditions of every regime at the exact point `theta`, from every perfect Bayesian
/// equilibrium `pbe` finds there (refined as `opts` says); `Err` when `pbe` does not take
/// the game.
pub fn conditions_at(
    t: &GameTemplate,
    theta: &[Rational],
    opts: &SolveOptions,
) -> Result<Vec<RegimeConditions>, RegimeError> {
    // The map, the scans and the statements ask for the same points again: remembered per
    // thread, by model (its address and counterfactual overrides), point and options.
    type Key = (usize, String, Vec<Rational>, String);
    type Memo = Vec<(Key, Vec<RegimeConditions>)>;
    thread_local! {
        static SEEN: std::cell::RefCell<Memo> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let key: Key = (
        t as *const GameTemplate as usize,
        model_print(t),
        theta.to_vec(),
        format!("{opts:?}"),
    );
    if let Some(found) = SEEN.with(|m| {
        m.borrow()
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.clone())
    }) {
        return Ok(found);
    }
    let out = conditions_uncached(t, theta, opts)?;
    SEEN.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= 256 {
            m.remove(0);
        }
        m.push((key, out.clone()));
    });
    Ok(out)
}

/// What tells one model from another at the same address: its formulas, parameters, ranges
/// and counterfactual overrides, hashed.
fn model_print(t: &GameTemplate) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for f in t.formulas.iter() {
        f.src.text.hash(&mut h);
        f.what.hash(&mut h);
    }
    t.params.names.hash(&mut h);
    format!("{:x} {:?} {:?}", h.finish(), t.params.ranges, t.overrides)
}

/// [`conditions_at`], computed.
fn conditions_uncached(
    t: &GameTemplate,
    theta: &[Rational],
    opts: &SolveOptions,
) -> Result<Vec<RegimeConditions>, RegimeError> {
    let floats: Vec<f64> = theta.iter().map(exact::to_f64).collect();
    let fail = |e: &crate::model::InstantiateError| RegimeError::Instantiate {
        point: t.describe_point(&floats),
        message: t.diagnose(e, &floats).message,
    };
    let mut game = t.instantiate(&floats).map_err(|e| fail(&e))?;
    t.fill_exact(&mut game, theta).map_err(|e| fail(&e))?;
    let (comps, found, p) =
        pbe::components(&game, opts).map_err(|e| RegimeError::Solve(e.to_string()))?;
    let numbers = symbolic_numbers(t);
    let mut out: Vec<RegimeConditions> = Vec::new();
    // Each component under its own label, and each support a continuum passes through under
    // that support's label: the solver finds that regime here too (as part of the continuum),
    // so its conditions must cover this point.
    // A support whose own equations leave a mixing probability free (its equilibria are a
    // continuum within it) has no conditions of its own: the continuum's label states them.
    let mut each: Vec<(String, Component, bool)> = Vec::new();
    for c in &comps {
        let label = component_regime(&game, c).label;
        each.push((label.clone(), c.clone(), false));
        if c.pieces.len() > 1 {
            for s in component_supports(&p, &found.pieces, c) {
                // The supports of the component's own regime are stated by the component.
                let l = component_regime(&game, &s).label;
                if l != label {
                    each.push((l, s, true));
                }
            }
        }
    }
    for (label, c, on_path) in &each {
        let label = label.clone();
        let derived = match &numbers {
            // A refinement fixes the off-path belief: the equilibrium's own is the one.
            Some(n) if opts.refine.is_some() => derive(t, n, &game, c, theta).map(|conds| {
                vec![Derived {
                    conds,
                    beliefs: Vec::new(),
                    said: Vec::new(),
                    exact: true,
                }]
            }),
            Some(n) => super::eval::derive_all(t, n, &game, c, theta),
            None => Err("a payoff or probability formula is not a polynomial".into()),
        };
        if *on_path && matches!(&derived, Err(e) if e == CONTINUUM || e == DEGENERATE) {
            continue;
        }
        let i = match out.iter().position(|r| r.label == label) {
            Some(i) => i,
            None => {
                out.push(RegimeConditions {
                    label,
                    alternatives: Vec::new(),
                    supports: Vec::new(),
                    exact: true,
                });
                out.len() - 1
            }
        };
        let r = &mut out[i];
        let items: Vec<(Alternative, Vec<String>)> = match derived {
            Ok(ds) => ds
                .into_iter()
                .map(|d| {
                    r.exact &= d.exact;
                    let words = d
                        .beliefs
                        .iter()
                        .map(|&(si, k)| belief_words(&game.tree, si, k))
                        .chain(d.said)
                        .collect();
                    (Ok(d.conds), words)
                })
                .collect(),
            Err(e) => {
                r.exact = false;
                vec![(Err(e), Vec::new())]
            }
        };
        for (a, w) in items {
            if !r.alternatives.contains(&a) {
                r.alternatives.push(a);
                r.supports.push(w);
            }
        }
    }
    out.sort_by(|a, b| a.label.cmp(&b.label));
    Ok(out)
}

/// A condition solved for a mapped parameter: `param rel num/den`.
#[derive(Clone, Debug, PartialEq)]
pub struct Bound {
    /// The parameter.
    pub param: usize,
    /// True for a lower bound (`param > …`).
    pub lower: bool,
    /// True for a strict bound.
    pub strict: bool,
    /// Numerator (free of `param`).
    pub num: SPoly,
    /// Denominator (free of the mapped parameters, positive at the base point).
    pub den: SPoly,
}

impl Bound {
    /// The bound's value at `theta`, when its denominator is not zero there.
    pub fn value(&self, theta: &[Rational]) -> Option<Rational> {
        let d = self.den.eval(theta);
        (!d.is_zero()).then(|| self.num.eval(theta) / d)
    }

    /// The bound's right-hand side in symbols: `1 - s`, `(1 - s)/(1 - c_H)`, `1/(1 - d_S)`.
    pub fn formula(&self, names: &[String]) -> String {
        if let Some(d) = self.den.as_constant() {
            return self.num.scale(&d.recip()).show(names);
        }
        // A product prints as its factors, in parentheses (`((g_P - c_P)*(c_hi - a))`: a
        // denominator needs them), a sum in parentheses.
        let wrap = |p: &SPoly| {
            let f = factor(p, &[]);
            if f.factors.len() > 1 || f.factors.iter().any(|x| x.1 > 1) {
                return format!("({})", show_product(&f, names));
            }
            let s = p.show(names);
            if p.is_monomial() {
                s
            } else {
                format!("({s})")
            }
        };
        format!("{}/{}", wrap(&self.num), wrap(&self.den))
    }

    fn sign(&self) -> &'static str {
        match (self.lower, self.strict) {
            (true, true) => ">",
            (true, false) => "≥",
            (false, true) => "<",
            (false, false) => "≤",
        }
    }
}

/// One regime's conditions stated over the mapped parameters.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Stated {
    /// Conditions that vary on the map, in words (`1 - s ≤ p_Def < (1 - s)/(1 - c_H)`).
    pub on_map: Vec<String>,
    /// The same with the other parameters at the base point (`1/2 ≤ p_Def < 2/3`).
    pub at_base: Vec<String>,
    /// Conditions on the other parameters alone, which hold at the base point.
    pub elsewhere: Vec<String>,
    /// The bounds solved for a mapped parameter.
    pub bounds: Vec<Bound>,
}

/// States `conds` over the mapped parameters `mapped` (`(param, lo, hi)`), the others at
/// `base`.
pub fn state(
    conds: &[Cond],
    names: &[String],
    base: &[Rational],
    mapped: &[(usize, Rational, Rational)],
) -> Stated {
    let is_mapped = |v: usize| mapped.iter().any(|m| m.0 == v);
    let at_base = |p: &SPoly| p.substitute(&|v| (!is_mapped(v)).then(|| base[v].clone()));
    let mut out = Stated::default();
    let mut other: Vec<(String, String)> = Vec::new();
    let simple = super::simplify::over_map(conds, base, mapped);
    out.elsewhere
        .extend(simple.cases.iter().map(|c| plain(c, names)));
    for c in &simple.conds {
        if !mapped.iter().any(|m| c.poly.mentions(m.0)) {
            out.elsewhere.push(plain(c, names));
            continue;
        }
        let local = at_base(&c.poly);
        if holds_on_box(&local, c.strict, mapped) {
            continue;
        }
        match isolate(c, mapped, base) {
            Some(b) => out.bounds.push(b),
            None => other.push((
                plain(c, names),
                plain(
                    &Cond {
                        poly: local,
                        strict: c.strict,
                    },
                    names,
                ),
            )),
        }
    }
    // Of two bounds of the same direction on the same parameter (both free of the map), keep
    // the tighter at the base point.
    let fixed = |b: &Bound| !mapped.iter().any(|m| b.num.mentions(m.0));
    let mut keep = vec![true; out.bounds.len()];
    for i in 0..out.bounds.len() {
        for j in 0..out.bounds.len() {
            let (a, b) = (&out.bounds[i], &out.bounds[j]);
            if i == j || !keep[j] || a.param != b.param || a.lower != b.lower {
                continue;
            }
            if !(fixed(a) && fixed(b)) {
                continue;
            }
            let (Some(va), Some(vb)) = (a.value(base), b.value(base)) else {
                continue;
            };
            let looser = if a.lower { va < vb } else { va > vb };
            if looser || (va == vb && ((b.strict && !a.strict) || (b.strict == a.strict && j < i)))
            {
                keep[i] = false;
            }
        }
    }
    let mut k = keep.into_iter();
    out.bounds.retain(|_| k.next().unwrap_or(true));
    // Chain a lower and an upper bound on one parameter: `lo < x < hi`.
    for m in mapped {
        let lo: Vec<&Bound> = out
            .bounds
            .iter()
            .filter(|b| b.param == m.0 && b.lower)
            .collect();
        let hi: Vec<&Bound> = out
            .bounds
            .iter()
            .filter(|b| b.param == m.0 && !b.lower)
            .collect();
        let name = &names[m.0];
        let sym = |b: &Bound| b.formula(names);
        let val = |b: &Bound| b.value(base).map_or_else(|| sym(b), |v| show(&v));
        let flip = |b: &Bound| if b.strict { "<" } else { "≤" };
        if lo.len() == 1 && hi.len() == 1 {
            let (l, h) = (lo[0], hi[0]);
            out.on_map.push(format!(
                "{} {} {name} {} {}",
                sym(l),
                flip(l),
                h.sign(),
                sym(h)
            ));
            out.at_base.push(format!(
                "{} {} {name} {} {}",
                val(l),
                flip(l),
                h.sign(),
                val(h)
            ));
        } else {
            for b in lo.into_iter().chain(hi) {
                out.on_map.push(format!("{name} {} {}", b.sign(), sym(b)));
                out.at_base.push(format!("{name} {} {}", b.sign(), val(b)));
            }
        }
    }
    for (s, l) in other {
        out.on_map.push(s);
        out.at_base.push(l);
    }
    out
}

/// `poly > 0` in words, solved for a parameter with a constant coefficient where possible.
fn plain(c: &Cond, names: &[String]) -> String {
    let rel = |lower: bool| match (lower, c.strict) {
        (true, true) => ">",
        (true, false) => "≥",
        (false, true) => "<",
        (false, false) => "≤",
    };
    // Only one variable: `x > 1/2`.
    let vars: Vec<usize> = (0..names.len()).filter(|&v| c.poly.mentions(v)).collect();
    if let [v] = vars[..] {
        let co = c.poly.coefficients_in(v);
        if co.len() == 2 {
            if let (Some(a), Some(b)) = (co[1].as_constant(), co[0].as_constant()) {
                let r = -b / &a;
                return format!("{} {} {}", names[v], rel(a.is_positive()), show(&r));
            }
        }
    }
    // `a - b ≥ 0` with two parameters: `b ≤ a`.
    if let [u, v] = vars[..] {
        for (p, q) in [(u, v), (v, u)] {
            if c.poly == SPoly::var(p).sub(&SPoly::var(q)) {
                return format!("{} {} {}", names[q], rel(false), names[p]);
            }
        }
    }
    // A product: its factors, the constant's sign in the relation (`(2*q_res - 1)*(2*p_res -
    // 1) ≥ 0`).
    let f = factor(&c.poly, &[]);
    if f.factors.len() > 1 || f.factors.iter().any(|x| x.1 > 1) {
        let mut g = f.clone();
        g.unit = Rational::from_integer(1.into());
        return format!(
            "{} {} 0",
            show_product(&g, names),
            rel(f.unit.is_positive())
        );
    }
    format!("{} {} 0", c.poly.show(names), rel(true))
}

/// True if `p` (in the mapped parameters only) satisfies the condition on the whole map:
/// exact when `p` has degree at most one in each mapped parameter (its extremes are at the
/// corners; a strict condition may fail on a set of zero area there).
fn holds_on_box(p: &SPoly, strict: bool, mapped: &[(usize, Rational, Rational)]) -> bool {
    if p.is_zero() {
        return !strict;
    }
    if mapped.iter().any(|m| p.degree_of(m.0) > 1) {
        return false;
    }
    let n = mapped.len();
    (0..1usize << n).all(|corner| {
        let v = p
            .substitute(&|v| {
                mapped.iter().position(|m| m.0 == v).map(|k| {
                    if corner >> k & 1 == 1 {
                        mapped[k].2.clone()
                    } else {
                        mapped[k].1.clone()
                    }
                })
            })
            .as_constant()
            .unwrap_or_else(Rational::zero);
        !v.is_negative()
    })
}

/// Solves `c` for a mapped parameter in which it is linear with a coefficient free of the map
/// and not zero at the base point.
fn isolate(c: &Cond, mapped: &[(usize, Rational, Rational)], base: &[Rational]) -> Option<Bound> {
    for m in mapped {
        let co = c.poly.coefficients_in(m.0);
        if co.len() != 2 || mapped.iter().any(|n| co[1].mentions(n.0)) {
            continue;
        }
        let a0 = co[1].eval(base);
        if a0.is_zero() {
            continue;
        }
        // a·x + b ⋈ 0: x ⋈ −b/a when a > 0, x ⋈' b/(−a) when a < 0.
        let (num, den, lower) = if a0.is_positive() {
            (
                co[0].scale(&-Rational::from_integer(1.into())),
                co[1].clone(),
                true,
            )
        } else {
            (
                co[0].clone(),
                co[1].scale(&-Rational::from_integer(1.into())),
                false,
            )
        };
        // Factors common to both cancel (the fraction's value is the same wherever it is
        // defined); the denominator keeps the sign it has at the base point.
        let g = gcd(&num, &den);
        let (mut num, mut den) = match g.as_constant() {
            Some(_) => (num, den),
            None => match (
                super::factor::divide(&num, &g),
                super::factor::divide(&den, &g),
            ) {
                (Some(n), Some(d)) => (n, d),
                _ => (num, den),
            },
        };
        if den.eval(base).is_negative() {
            num = num.scale(&-Rational::from_integer(1.into()));
            den = den.scale(&-Rational::from_integer(1.into()));
        }
        let k = den.content_scale();
        // A constant denominator is folded into the numerator when printed; otherwise make
        // its coefficients whole.
        return Some(Bound {
            param: m.0,
            lower,
            strict: c.strict,
            num: num.scale(&k),
            den: den.scale(&k),
        });
    }
    None
}

/// One line per regime of `labels` (the regimes of an area of a map, solved at `theta`, a
/// point inside it): its conditions over the mapped parameters in the model's symbols, with
/// their values at the base point (`separating: SQ, DC, DD when 1 - s ≤ p_Def < (1 - s)/(1 -
/// c_H), here 1/2 ≤ p_Def < 2/3`), or why they are not derived.
pub fn regime_lines(
    t: &GameTemplate,
    opts: &SolveOptions,
    theta: &[Rational],
    labels: &[&str],
    base: &[Rational],
    mapped: &[(usize, Rational, Rational)],
) -> Vec<String> {
    let names = &t.params.names;
    let found = match conditions_at(t, theta, opts) {
        Ok(f) => f,
        Err(e) => return vec![format!("conditions not derived: {e}")],
    };
    let mut out = Vec::new();
    for label in labels {
        let Some(r) = found.iter().find(|r| r.label == *label) else {
            out.push(format!(
                "{label}: conditions not derived (not found again inside the area)"
            ));
            continue;
        };
        let mut alts: Vec<String> = Vec::new();
        let mut supported: Vec<Vec<String>> = Vec::new();
        let mut failed: Vec<String> = Vec::new();
        for (a, sup) in r.alternatives.iter().zip(&r.supports) {
            match a {
                Ok(conds) => {
                    let Some(conds) = on_this_map(t, conds, base, mapped) else {
                        continue;
                    };
                    let s = state(&conds, names, base, mapped);
                    if empty_on_map(&s.bounds, base, mapped) {
                        continue;
                    }
                    let mut line = if s.on_map.is_empty() {
                        "everywhere on the map".to_string()
                    } else if s.on_map == s.at_base {
                        format!("when {}", s.on_map.join(" and "))
                    } else {
                        format!(
                            "when {} (here {})",
                            s.on_map.join(" and "),
                            s.at_base.join(" and ")
                        )
                    };
                    if !s.elsewhere.is_empty() {
                        line.push_str(&format!(
                            ", given {} (true at the base point)",
                            s.elsewhere.join(" and ")
                        ));
                    }
                    let words = if sup.is_empty() {
                        String::new()
                    } else {
                        sup.join(" and ")
                    };
                    match alts.iter().position(|l| *l == line) {
                        Some(i) => {
                            if !supported[i].contains(&words) {
                                supported[i].push(words)
                            }
                        }
                        None => {
                            alts.push(line);
                            supported.push(vec![words]);
                        }
                    }
                }
                Err(e) => failed.push(e.clone()),
            }
        }
        let alts: Vec<String> = alts
            .into_iter()
            .zip(supported)
            .map(|(line, sup)| {
                if sup.iter().any(String::is_empty) {
                    line
                } else {
                    format!("{line} (supported by {})", sup.join(", or by "))
                }
            })
            .collect();
        let sufficient = if r.exact {
            ""
        } else {
            " — sufficient only: an off-path belief is kept at the equilibrium's number, so \
             the regime may hold elsewhere too"
        };
        if alts.is_empty() && failed.is_empty() {
            out.push(format!(
                "{label}: no combination of off-path beliefs supports it on this map with the \
                 other parameters as at the point (found only where they differ)"
            ));
        } else if alts.is_empty() {
            out.push(format!(
                "{label}: conditions not derived ({}); the map's numbers stand",
                failed.join("; ")
            ));
        } else {
            out.push(format!("{label}: {}{sufficient}", alts.join("; or ")));
        }
    }
    out
}

/// True if the bounds on one mapped parameter that do not depend on the map leave no value
/// of it inside the map (`1 ≤ T ≤ 4/25`).
fn empty_on_map(
    bounds: &[Bound],
    base: &[Rational],
    mapped: &[(usize, Rational, Rational)],
) -> bool {
    mapped.iter().any(|(v, lo, hi)| {
        // (value, strict) of the tightest lower and upper bound.
        let mut low = (lo.clone(), false);
        let mut high = (hi.clone(), false);
        for b in bounds.iter().filter(|b| b.param == *v) {
            if mapped
                .iter()
                .any(|m| b.num.mentions(m.0) || b.den.mentions(m.0))
            {
                continue;
            }
            let Some(x) = b.value(base) else { continue };
            if b.lower && (x > low.0 || (x == low.0 && b.strict)) {
                low = (x, b.strict);
            } else if !b.lower && (x < high.0 || (x == high.0 && b.strict)) {
                high = (x, b.strict);
            }
        }
        low.0 > high.0 || (low.0 == high.0 && (low.1 || high.1))
    })
}

/// The conditions of one alternative as they matter on a map (`mapped`, the others at
/// `base`): `None` if the alternative cannot hold there — a condition on the other parameters
/// alone fails at `base`, or one fails everywhere on the map (checked at the corners where it
/// has degree at most one in each mapped parameter) — else the conditions without those that
/// the parameters' declared ranges make true everywhere.
fn on_this_map(
    t: &GameTemplate,
    conds: &[Cond],
    base: &[Rational],
    mapped: &[(usize, Rational, Rational)],
) -> Option<Vec<Cond>> {
    let is_mapped = |v: usize| mapped.iter().any(|m| m.0 == v);
    let mut kept = Vec::new();
    for c in conds {
        let on_map = mapped.iter().any(|m| c.poly.mentions(m.0));
        if !on_map && !c.holds(base) {
            return None;
        }
        if on_map {
            let local = c
                .poly
                .substitute(&|v| (!is_mapped(v)).then(|| base[v].clone()));
            if let Some((_, hi)) = corner_range(&local, mapped) {
                if hi.is_negative() || (c.strict && hi.is_zero()) {
                    return None;
                }
            }
        }
        // True for every value the declared ranges allow: not worth saying.
        let ranges: Vec<(usize, Rational, Rational)> = (0..t.params.len())
            .filter(|&v| c.poly.mentions(v))
            .filter_map(|v| {
                let (lo, hi) = t.params.ranges[v]?;
                let m = mapped.iter().find(|m| m.0 == v);
                Some(match m {
                    Some(m) => m.clone(),
                    None => (
                        v,
                        super::rational::of_f64(lo)?,
                        super::rational::of_f64(hi)?,
                    ),
                })
            })
            .collect();
        let all_ranged = (0..t.params.len())
            .filter(|&v| c.poly.mentions(v))
            .all(|v| ranges.iter().any(|r| r.0 == v));
        if all_ranged {
            if let Some((lo, _)) = corner_range(&c.poly, &ranges) {
                if lo.is_positive() || (!c.strict && lo.is_zero()) {
                    continue;
                }
            }
        }
        kept.push(c.clone());
    }
    Some(kept)
}

/// [`regime_lines`] for every regime of a map, each stated once (solved inside the first
/// area it appears in).
pub fn map_conditions(
    t: &GameTemplate,
    opts: &SolveOptions,
    base: &[Rational],
    m: &super::map::RegimeMap,
) -> Vec<String> {
    let mapped = [
        (m.x.param, m.x.lo.clone(), m.x.hi.clone()),
        (m.y.param, m.y.lo.clone(), m.y.hi.clone()),
    ];
    let mut done: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for (k, a) in m.areas.iter().enumerate() {
        let Some((cx, cy)) = m.centre(k) else {
            continue;
        };
        let mut theta = base.to_vec();
        theta[m.x.param] = cx;
        theta[m.y.param] = cy;
        let labels: Vec<&str> = a
            .set
            .key()
            .into_iter()
            .filter(|l| !done.iter().any(|d| d == l))
            .collect();
        if labels.is_empty() {
            continue;
        }
        out.extend(regime_lines(t, opts, &theta, &labels, base, &mapped));
        done.extend(labels.iter().map(|l| l.to_string()));
    }
    out
}

/// The boundary in the model's symbols of each change of `a` (a scan of one parameter with
/// the others at `base`): the formula of a regime's bound on the parameter, on either side of
/// the change, whose value is the change (`1 - s` for the change at p_Def = 1/2); `None` where
/// no derived bound matches or the change is not exact.
pub fn change_formulas(
    t: &GameTemplate,
    opts: &SolveOptions,
    base: &[Rational],
    a: &super::along::Along,
) -> Vec<Option<String>> {
    let mapped = [(a.param, a.lo.clone(), a.hi.clone())];
    let two = Rational::from_integer(2.into());
    // The bounds on the parameter of every regime in each stretch.
    let bounds: Vec<Vec<Bound>> = a
        .segments
        .iter()
        .map(|(from, to, _)| {
            let mut theta = base.to_vec();
            theta[a.param] = (from + to) / &two;
            let Ok(found) = conditions_at(t, &theta, opts) else {
                return Vec::new();
            };
            found
                .iter()
                .flat_map(|r| r.alternatives.iter().flatten())
                .flat_map(|conds| state(conds, &t.params.names, base, &mapped).bounds)
                .collect()
        })
        .collect();
    let mut k = 0;
    a.changes
        .iter()
        .map(|c| {
            // The stretches on either side of the change.
            while k + 1 < a.segments.len() && a.segments[k].1 < c.value {
                k += 1;
            }
            [k.saturating_sub(1), k, k + 1]
                .iter()
                .filter_map(|&i| bounds.get(i))
                .flatten()
                .find(|b| c.exact && b.value(base).as_ref() == Some(&c.value))
                .map(|b| b.formula(&t.params.names))
        })
        .collect()
}

/// Each change of `a` in words, with its boundary in the model's symbols where
/// [`change_formulas`] finds one: `p_Def = 1/2 (exact, verified), where p_Def = 1 - s: …`.
pub fn describe_changes(
    t: &GameTemplate,
    opts: &SolveOptions,
    base: &[Rational],
    a: &super::along::Along,
) -> Vec<String> {
    let name = &t.params.names[a.param];
    change_formulas(t, opts, base, a)
        .into_iter()
        .zip(&a.changes)
        .map(|(formula, c)| {
            let line = c.describe(name);
            match (formula, line.split_once(": ")) {
                (Some(f), Some((head, tail))) => format!("{head}, where {name} = {f}: {tail}"),
                _ => line,
            }
        })
        .collect()
}

/// Describes every change of `a` that bisection could only narrow (an irrational boundary)
/// exactly, where a condition of a regime on either side is a polynomial in the parameter
/// that changes sign across the bracket with exactly one real root there (Sturm): the root is
/// isolated to 2⁻²⁰ of the interval and the regime sets at the isolating interval's ends are
/// solved exactly; they must be the change's two sides. Other changes are left as they are.
pub fn algebraic_changes(
    ev: &mut super::Evaluator<'_>,
    base: &[Rational],
    a: &mut super::along::Along,
) {
    let t = ev.t;
    let opts = ev.opts.clone();
    let width = (&a.hi - &a.lo) / Rational::from_integer((1i64 << 20).into());
    for c in a.changes.iter_mut().filter(|c| !c.exact) {
        let (l, r) = c.bracket.clone();
        let mut conds: Vec<Cond> = Vec::new();
        for x in [&l, &r] {
            let mut theta = base.to_vec();
            theta[a.param] = x.clone();
            if let Ok(found) = conditions_at(t, &theta, &opts) {
                for f in found {
                    conds.extend(f.alternatives.into_iter().flatten().flatten());
                }
            }
        }
        let mut at = |x: &Rational| {
            let mut theta = base.to_vec();
            theta[a.param] = x.clone();
            ev.at(&theta)
        };
        for cond in &conds {
            let mut tl = base.to_vec();
            tl[a.param] = l.clone();
            let mut tr = base.to_vec();
            tr[a.param] = r.clone();
            if cond.holds(&tl) == cond.holds(&tr) {
                continue;
            }
            let local = cond
                .poly
                .substitute(&|v| (v != a.param).then(|| base[v].clone()));
            let coeffs: Option<Vec<Rational>> = local
                .coefficients_in(a.param)
                .iter()
                .map(SPoly::as_constant)
                .collect();
            let Some(coeffs) = coeffs else { continue };
            let roots = super::sturm::roots_in(&coeffs, &l, &r, &width);
            let [root] = &roots[..] else { continue };
            let sides = if root.is_rational() {
                (Ok(c.left.clone()), Ok(c.right.clone()))
            } else {
                (at(&root.lo), at(&root.hi))
            };
            if let (Ok(sl), Ok(sr)) = sides {
                if sl.same(&c.left) && sr.same(&c.right) {
                    c.root = Some(root.clone());
                    break;
                }
            }
        }
    }
}
