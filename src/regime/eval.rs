//! Derivations of an equilibrium's conditions, remembered by support and reused wherever
//! they hold.
//!
//! A report asks for the regimes' conditions at many points — the centre of each area of
//! the map, each stretch of the scans along the axes, each bracket of an irrational change —
//! and most of those points have equilibria with the same supports. [`super::derive::derive_all`]
//! turns an equilibrium into polynomial inequalities in the parameters; what it derives
//! depends on the equilibrium's support (which moves are played with positive probability),
//! and on the point only through the signs of a few polynomials (a denominator cleared, a
//! coefficient solved for), each of which becomes a condition itself. So a derivation made
//! at one point for one support is valid at another point with the same support whenever one
//! of its alternatives holds there: that is exactly what a derivation at the new point
//! guarantees (some alternative holds where the equilibrium was found), and the alternatives
//! describe the regime in the parameters, not at a point. [`derive_all`] here looks for such a
//! derivation first and derives only when none applies.
//!
//! The memo is kept per thread (so the order in which a report's points are derived, and with
//! it every text, is the same on every run), by model (its address and a fingerprint of its
//! formulas, ranges and counterfactual overrides) and support; failures are never reused (they
//! may be particular to a point).

use super::derive::Derived;
use super::spoly::SPoly;
use crate::exact::Rational;
use crate::game::Game;
use crate::model::GameTemplate;
use crate::solve::pbe::Component;
use num_traits::Signed;
use std::cell::RefCell;

/// Most derivations remembered per thread.
const MEMO_SIZE: usize = 512;

/// A model and a support: `(model address, fingerprint, positive entries of the behaviour)`.
type Key = (usize, u64, Vec<bool>);

thread_local! {
    static MEMO: RefCell<Vec<(Key, Vec<Derived>)>> = const { RefCell::new(Vec::new()) };
}

/// What tells one model from another at the same address: its formulas, parameter names,
/// ranges and counterfactual overrides.
fn fingerprint(t: &GameTemplate) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for f in t.formulas.iter() {
        f.src.text.hash(&mut h);
        f.what.hash(&mut h);
    }
    t.params.names.hash(&mut h);
    format!("{:?} {:?}", t.params.ranges, t.overrides).hash(&mut h);
    h.finish()
}

/// The support of `c`'s behaviour (exact or float: only the support matters to a derivation).
fn support(c: &Component) -> Option<Vec<bool>> {
    Some(
        super::derive::support_behaviour(c)
            .iter()
            .map(Signed::is_positive)
            .collect(),
    )
}

/// [`super::derive::derive_all`], reusing a derivation made for the same model and support
/// at another point when one of its alternatives holds at `theta`.
pub fn derive_all(
    t: &GameTemplate,
    numbers: &(Vec<SPoly>, Vec<SPoly>),
    game: &Game,
    c: &Component,
    theta: &[Rational],
) -> Result<Vec<Derived>, String> {
    let Some(sup) = support(c) else {
        return super::derive::derive_all(t, numbers, game, c, theta);
    };
    let key: Key = (t as *const GameTemplate as usize, fingerprint(t), sup);
    let found = MEMO.with(|m| {
        m.borrow()
            .iter()
            .filter(|(k, _)| *k == key)
            .find(|(_, ds)| {
                ds.iter()
                    .any(|d| d.conds.iter().all(|cond| cond.holds(theta)))
            })
            .map(|(_, ds)| ds.clone())
    });
    if let Some(ds) = found {
        return Ok(ds);
    }
    let ds = super::derive::derive_all(t, numbers, game, c, theta)?;
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= MEMO_SIZE {
            m.remove(0);
        }
        m.push((key, ds.clone()));
    });
    Ok(ds)
}
