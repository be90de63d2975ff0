//! One alternative's conditions made readable over a map, without changing where they hold.
//!
//! Derived conditions are expanded polynomials; many are products in disguise, and a factor
//! often has a sign the reader already knows. This module factors each condition
//! ([`super::factor`]) and divides out
//!
//! - a factor that another condition of the same alternative states on its own, strictly
//!   (`g_P - c_P > 0` elsewhere in the list): its sign is known wherever the alternative
//!   holds, so the inequality keeps (or flips) its direction;
//! - a factor free of the mapped parameters that is not zero at the base point: on the map it
//!   is a constant with the base point's sign. The condition splits into cases by that sign,
//!   and the case that holds at the base point is stated apart (`given c_P < g_P (true at the
//!   base point)`), the factor divided out of the condition.
//!
//! So over the map, with the other parameters at the base point, the simplified conditions
//! hold exactly where the originals do. Conditions free of the mapped parameters (stated as
//! holding at the base point) lose only factors of known sign.

use super::derive::Cond;
use super::factor::{factor, normal, Factored};
use super::spoly::SPoly;
use crate::exact::Rational;
use num_traits::{One, Signed, Zero};

/// An alternative's conditions, simplified over a map.
#[derive(Clone, Debug, PartialEq)]
pub struct Simplified {
    /// The conditions with factors of known sign divided out (a condition left true by that is
    /// dropped).
    pub conds: Vec<Cond>,
    /// The cases the base point is in: each a factor free of the mapped parameters with the
    /// sign it has there (`f > 0`), divided out of some condition.
    pub cases: Vec<Cond>,
}

/// The sign of `x`: 1 or −1 (0 counts as positive; callers exclude it).
fn sign(x: &Rational) -> Rational {
    if x.is_negative() {
        -Rational::one()
    } else {
        Rational::one()
    }
}

/// `conds` (one alternative: all must hold) simplified over the map of `mapped`, the other
/// parameters at `base` (see the module docs).
pub fn over_map(
    conds: &[Cond],
    base: &[Rational],
    mapped: &[(usize, Rational, Rational)],
) -> Simplified {
    let candidates: Vec<SPoly> = conds.iter().map(|c| normal(&c.poly)).collect();
    let factored: Vec<Factored> = conds.iter().map(|c| factor(&c.poly, &candidates)).collect();
    // Known strict signs: conditions that are one factor, strictly.
    let mut facts: Vec<(SPoly, Rational)> = Vec::new();
    for (c, f) in conds.iter().zip(&factored) {
        if let [(p, 1)] = &f.factors[..] {
            if c.strict && !f.unit.is_zero() {
                facts.push((p.clone(), sign(&f.unit)));
            }
        }
    }
    let on_map = |c: &Cond| mapped.iter().any(|m| c.poly.mentions(m.0));
    let mut cases: Vec<Cond> = Vec::new();
    let mut out: Vec<Option<Cond>> = vec![None; conds.len()];
    // Conditions on the map first: their cases are known signs for the others.
    for pass in [true, false] {
        for (i, (c, f)) in conds.iter().zip(&factored).enumerate() {
            if on_map(c) != pass {
                continue;
            }
            let single = f.factors.len() <= 1 && f.factors.iter().all(|x| x.1 == 1);
            let mut unit = sign(&f.unit);
            let mut kept: Vec<(SPoly, u32)> = Vec::new();
            let mut new_cases: Vec<(SPoly, Rational)> = Vec::new();
            for (p, k) in &f.factors {
                let known = facts.iter().find(|(q, _)| q == p).map(|(_, s)| s.clone());
                let at_base = || {
                    (pass && !single && !mapped.iter().any(|m| p.mentions(m.0)))
                        .then(|| p.eval(base))
                        .filter(|v| !v.is_zero())
                };
                match (known, single) {
                    (Some(s), false) => unit *= num_traits::pow(s, *k as usize),
                    _ => match at_base() {
                        Some(v) => {
                            let s = sign(&v);
                            unit *= num_traits::pow(s.clone(), *k as usize);
                            new_cases.push((p.clone(), s));
                        }
                        None => kept.push((p.clone(), *k)),
                    },
                }
            }
            let c2 = rebuilt(c, unit, &kept);
            if let Some(v) = c2.poly.as_constant() {
                if v.is_negative() || (c.strict && v.is_zero()) {
                    // False whatever the factors: kept as derived (it cannot hold at the base
                    // point, where the alternative is stated).
                    out[i] = Some(c.clone());
                    continue;
                }
            }
            for (p, s) in new_cases {
                let nc = Cond {
                    poly: p.scale(&s),
                    strict: true,
                };
                facts.push((p, s));
                if !cases.contains(&nc) {
                    cases.push(nc);
                }
            }
            out[i] = c2.poly.as_constant().is_none().then_some(c2);
        }
    }
    let mut kept: Vec<Cond> = Vec::new();
    for c in out.into_iter().flatten() {
        if !kept.contains(&c) {
            kept.push(c);
        }
    }
    cases.retain(|x| !kept.contains(x));
    Simplified { conds: kept, cases }
}

/// `sign(unit)·Π f^k` as a condition with `c`'s strictness.
fn rebuilt(c: &Cond, unit: Rational, factors: &[(SPoly, u32)]) -> Cond {
    let f = Factored {
        unit: sign(&unit),
        factors: factors.to_vec(),
    };
    Cond {
        poly: f.expand(),
        strict: c.strict,
    }
}
