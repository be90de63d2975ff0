//! One equilibrium's conditions as inequalities in the model's parameters.
//!
//! The `pbe` solver finds an equilibrium at one parameter point, in numbers. Where does the
//! same equilibrium — the same actions played at every information set, the same off-path
//! beliefs — exist? Fix its supports and redo its conditions with the model's formulas in
//! place of numbers: every payoff and chance probability becomes a polynomial in the
//! parameters ([`SPoly::from_ast`]), the mixing probabilities become unknowns, and
//!
//! - at every information set where the mover mixes, the actions of the support give equal
//!   expected payoffs (with the belief in each member written as the probability that chance
//!   and the *other* players lead there, common factors cancelled);
//! - every action outside the support gives no more;
//! - every mixing probability is positive and the support's probabilities sum to one.
//!
//! The equalities are linear in the unknowns in the games this is for (one mixing player per
//! information set, perfect recall); Cramer's rule solves them as rational functions of the
//! parameters, `u = N(θ)/D(θ)`, and substituting into the inequalities gives polynomial
//! conditions `g(θ) > 0` or `g(θ) ≥ 0` — where the equilibrium's support is an equilibrium.
//! Positive factors of a condition (a probability parameter `p` or `1 − p` inside its range)
//! are divided out.
//!
//! Off the path the belief is free, and a regime exists where *some* belief supports it, so
//! the belief is quantified existentially rather than kept at the number the solver happened
//! to pick ([`derive_all`]). At an information set off the path the mover's gain from one
//! action over another is linear in the belief, whose set is a simplex; with two actions the
//! reply is optimal under some belief iff it is optimal under a belief concentrated on one
//! member (a vertex of the simplex). So each off-path information set contributes a choice of
//! reply and of vertex, and the regime holds where one of the combinations' conditions holds:
//! the conditions are a disjunction, each alternative named by the belief that supports it.
//! With three or more actions off the path a vertex is only sufficient, and the alternatives
//! say so ([`Derived::exact`]); a game with many off-path information sets falls back to the
//! equilibrium's own belief, also marked sufficient only.
//!
//! The derivation fails — and callers fall back to numbers — when a formula is not a
//! polynomial, an equation is not linear in the unknowns, or the solution is not unique (a
//! continuum). Only the equilibrium's support enters (its mixing probabilities are unknowns),
//! so one the solver found as a float root is derived exactly too. As a check, every
//! condition must hold at the point the equilibrium was found at.

use super::spoly::{det, SPoly};
use crate::exact::Rational;
use crate::game::tree::NodeKind;
use crate::game::Game;
use crate::model::GameTemplate;
use crate::solve::pbe::structure::{Class, Structure};
use crate::solve::pbe::system::Problem;
use crate::solve::pbe::Component;
use num_traits::{One, Signed, Zero};

/// One condition `poly > 0` (strict) or `poly ≥ 0`, in the parameters.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cond {
    /// The polynomial (variables are parameter ids).
    pub poly: SPoly,
    /// `> 0` when true, `≥ 0` otherwise.
    pub strict: bool,
}

impl Cond {
    /// True if the condition holds at `theta`.
    pub fn holds(&self, theta: &[Rational]) -> bool {
        let v = self.poly.eval(theta);
        if self.strict {
            v.is_positive()
        } else {
            !v.is_negative()
        }
    }
}

/// Why a support is not derived when its equations leave some mixing probability free: its
/// equilibria form a continuum within the support (stated under the continuum's label).
pub const CONTINUUM: &str = "the equilibrium is one of a continuum";

/// Why a support is not derived when its equations are singular at the point only (a point
/// on the boundary of the support's regime, where a continuum passes through it).
pub const DEGENERATE: &str = "its equations are degenerate at the point";

/// Payoffs and chance probabilities of `t`'s tree as polynomials in the parameters (a
/// parameter a counterfactual fixes is replaced by its value); `None` if a formula is not a
/// polynomial.
pub fn symbolic_numbers(t: &GameTemplate) -> Option<(Vec<SPoly>, Vec<SPoly>)> {
    let id_of = |n: &str| t.params.id(n);
    let fixed = |v: usize| t.overrides.iter().find(|o| o.0 == v).map(|o| o.2.clone());
    let mut pay = Vec::with_capacity(t.n_payoffs);
    let mut chance = vec![SPoly::zero(); t.tree.nodes.len()];
    for (i, f) in t.formulas.iter().enumerate() {
        let p = SPoly::from_ast(&f.ast, &f.src.text, &id_of)?.substitute(&fixed);
        if i < t.n_payoffs {
            pay.push(p);
        } else {
            chance[t.chance_targets[i - t.n_payoffs].ix()] = p;
        }
    }
    Some((pay, chance))
}

/// The conditions under which `c` (an equilibrium of `game`, `t` instantiated at `theta`)
/// is an equilibrium with its own off-path beliefs, as polynomial inequalities in the
/// parameters; `Err` says why they could not be derived.
pub fn derive(
    t: &GameTemplate,
    numbers: &(Vec<SPoly>, Vec<SPoly>),
    game: &Game,
    c: &Component,
    theta: &[Rational],
) -> Result<Vec<Cond>, String> {
    let b = exact_behaviour(c)?;
    derive_with(t, numbers, game, &b, OffPath::Own(c), theta).map_err(Fail::message)
}

/// One alternative of a regime's conditions: where it holds, the regime is an equilibrium.
#[derive(Clone, Debug, PartialEq)]
pub struct Derived {
    /// The conditions (all must hold).
    pub conds: Vec<Cond>,
    /// The off-path beliefs that support it: `(information set, member)` — the belief is
    /// concentrated on that member. Empty when nothing is off the path, or when the
    /// equilibrium's own beliefs were kept.
    pub beliefs: Vec<(usize, usize)>,
    /// Free beliefs about a deviator's type that support it, in words (games with observed
    /// actions, where they replace `beliefs`).
    pub said: Vec<String>,
    /// True if the alternatives together are exact (the regime holds iff one of them does);
    /// false if they are only sufficient.
    pub exact: bool,
}

/// Conditions, each with the off-path information set whose belief it comes from.
type Tagged = Vec<(Cond, Option<usize>)>;

/// Off-path beliefs, each concentrated on one member: `(information set, member)`.
type Beliefs = Vec<(usize, usize)>;

/// One vertex of an off-path information set's beliefs, `(information set, member)`, with the
/// conditions it puts on that set's reply.
type Vertex = ((usize, usize), Vec<Cond>);

/// Most derivations (one per choice of off-path replies, plus one per other belief vertex of
/// each off-path information set whose belief matters) tried for one equilibrium.
const MAX_DERIVATIONS: usize = 256;

/// Most derivations (one per choice of replies at the information sets off the path) tried
/// for one equilibrium of a game with observed actions, where each choice is derived once
/// and its free beliefs quantified exactly.
const MAX_FREE_DERIVATIONS: usize = 4096;

/// Most alternatives (combinations of beliefs that can hold, over every choice of replies)
/// written out for one equilibrium.
const MAX_ALTERNATIVES: usize = 1024;

/// The conditions under which `c`'s regime — its supports on the path — is an equilibrium
/// with *some* off-path beliefs (see the module docs): one [`Derived`] per combination of
/// off-path replies and beliefs at the simplex's vertices that can hold, redundant ones
/// dropped. Falls back to the equilibrium's own beliefs (marked not exact) where the
/// combinations are too many or cannot be derived.
///
/// A belief enters only the conditions of its own information set, so the combinations are
/// not derived one by one: for each choice of off-path replies the conditions are derived
/// once, and again for each other vertex of each information set whose belief matters (its
/// own conditions change, nothing else does); an information set's vertices that cannot hold
/// on the parameters' ranges are dropped before the combinations are formed.
pub fn derive_all(
    t: &GameTemplate,
    numbers: &(Vec<SPoly>, Vec<SPoly>),
    game: &Game,
    c: &Component,
    theta: &[Rational],
) -> Result<Vec<Derived>, String> {
    let tree = &*game.tree;
    let b0 = exact_behaviour(c)?;
    let st0 = Problem::new(game).st;
    let observed = st0.class == Class::ObservedActions;
    let own = || -> Result<Vec<Derived>, String> {
        let conds =
            derive_with(t, numbers, game, &b0, OffPath::Own(c), theta).map_err(Fail::message)?;
        Ok(vec![Derived {
            conds,
            beliefs: Vec::new(),
            said: Vec::new(),
            exact: false,
        }])
    };
    // A condition true wherever the declared ranges allow is dropped; `None` if one is false
    // wherever they allow (the list never holds).
    let ranged = std::cell::RefCell::new(std::collections::BTreeMap::<Cond, Option<bool>>::new());
    let judge = |conds: Vec<Cond>| -> Option<Vec<Cond>> {
        let mut kept = Vec::with_capacity(conds.len());
        for c in conds {
            let known = ranged.borrow().get(&c).copied();
            let verdict = known.unwrap_or_else(|| {
                let v = by_ranges(t, &c);
                ranged.borrow_mut().insert(c.clone(), v);
                v
            });
            match verdict {
                Some(false) => return None,
                Some(true) => {}
                None => kept.push(c),
            }
        }
        Some(kept)
    };
    // Each choice of off-path replies: the behaviour, with member 0 as a placeholder vertex
    // at each information set whose belief matters.
    let mut work: Vec<(Vec<Rational>, Beliefs)> = vec![(b0.clone(), Vec::new())];
    let mut out: Vec<Derived> = Vec::new();
    let mut exact = true;
    let mut runs = 0;
    while let Some((b, v)) = work.pop() {
        runs += 1;
        if runs
            > if observed {
                MAX_FREE_DERIVATIONS
            } else {
                MAX_DERIVATIONS
            }
        {
            return own();
        }
        let open = match derive_tagged(t, numbers, game, &b, OffPath::Vertex(&v), theta, Some(&st0))
        {
            // Observed actions: each free belief quantified exactly, for this choice of
            // replies.
            Ok((tagged, frees)) if observed => {
                let Some(alts) = free_alternatives(t, game, &st0, &tagged, &frees, &judge) else {
                    return own();
                };
                for (mut conds, said) in alts {
                    conds.sort();
                    conds.dedup();
                    // Kept only if no alternative so far is implied by it; those it
                    // implies go.
                    let within = |a: &[Cond], b: &[Cond]| {
                        a.len() <= b.len() && a.iter().all(|c| b.binary_search(c).is_ok())
                    };
                    if out.iter().any(|k| within(&k.conds, &conds)) {
                        continue;
                    }
                    out.retain(|k| !within(&conds, &k.conds));
                    out.push(Derived {
                        conds,
                        beliefs: Vec::new(),
                        said,
                        exact: true,
                    });
                }
                if out.len() > MAX_ALTERNATIVES {
                    return own();
                }
                None
            }
            Ok((tagged, _)) => {
                let local = |tagged: &[(Cond, Option<usize>)], si: usize| -> Vec<Cond> {
                    tagged
                        .iter()
                        .filter(|(_, o)| *o == Some(si))
                        .map(|(c, _)| c.clone())
                        .collect()
                };
                let common: Vec<Cond> = tagged
                    .iter()
                    .filter(|(_, o)| o.is_none())
                    .map(|(c, _)| c.clone())
                    .collect();
                let Some(common) = judge(common) else {
                    continue;
                };
                // Each information set's vertices that can hold: `(member, own conditions)`.
                let mut choices: Vec<Vec<Vertex>> = Vec::new();
                for &(si, _) in &v {
                    let mut alts = Vec::new();
                    for k in 0..tree.infosets[si].n_members as usize {
                        let conds = if k == 0 {
                            local(&tagged, si)
                        } else {
                            runs += 1;
                            if runs > MAX_DERIVATIONS {
                                return own();
                            }
                            let v2: Beliefs = v
                                .iter()
                                .map(|&x| if x.0 == si { (si, k) } else { x })
                                .collect();
                            let off = OffPath::Vertex(&v2);
                            match derive_tagged(t, numbers, game, &b, off, theta, Some(&st0)) {
                                Ok(t2) => local(&t2.0, si),
                                Err(_) => return own(),
                            }
                        };
                        if let Some(conds) = judge(conds) {
                            alts.push(((si, k), conds));
                        }
                    }
                    choices.push(alts);
                }
                let combos = choices.iter().map(Vec::len).product::<usize>();
                if combos == 0 {
                    continue;
                }
                if out.len() + combos > MAX_ALTERNATIVES {
                    return own();
                }
                // Every combination of the sets' vertices.
                let mut pick = vec![0usize; choices.len()];
                loop {
                    let mut conds = common.clone();
                    let mut beliefs = Vec::with_capacity(choices.len());
                    for (set, &i) in choices.iter().zip(&pick) {
                        beliefs.push(set[i].0);
                        conds.extend(set[i].1.iter().cloned());
                    }
                    conds.sort();
                    conds.dedup();
                    beliefs.sort();
                    out.push(Derived {
                        conds,
                        beliefs,
                        said: Vec::new(),
                        exact: true,
                    });
                    // The next combination, odometer-wise.
                    let mut j = 0;
                    while j < pick.len() {
                        pick[j] += 1;
                        if pick[j] < choices[j].len() {
                            break;
                        }
                        pick[j] = 0;
                        j += 1;
                    }
                    if j == pick.len() {
                        break;
                    }
                }
                None
            }
            Err(Fail::Need(si)) => Some(si),
            // Every combination of replies at once.
            Err(Fail::NeedMany(sets)) => {
                let n = |s: usize| tree.infosets[s].n_actions as usize;
                let combos = sets.iter().map(|&s| n(s)).product::<usize>();
                if runs + work.len() + combos > MAX_FREE_DERIVATIONS {
                    return own();
                }
                let mut pick = vec![0usize; sets.len()];
                loop {
                    let mut b2 = b.clone();
                    let mut v2 = v.clone();
                    for (&si, &a) in sets.iter().zip(&pick) {
                        let first = tree.infosets[si].first_action as usize;
                        for x in 0..n(si) {
                            b2[first + x] = if x == a {
                                Rational::one()
                            } else {
                                Rational::zero()
                            };
                        }
                        v2.push((si, 0));
                    }
                    work.push((b2, v2));
                    let mut j = 0;
                    while j < pick.len() {
                        pick[j] += 1;
                        if pick[j] < n(sets[j]) {
                            break;
                        }
                        pick[j] = 0;
                        j += 1;
                    }
                    if j == pick.len() {
                        break;
                    }
                }
                None
            }
            // The equilibrium's own belief there holds the other players' types at the
            // probabilities of one point, which other points' priors do not allow: no
            // conditions rather than overstated ones.
            Err(f @ Fail::Joint) => return Err(f.message()),
            Err(Fail::Msg(m)) if v.is_empty() => return Err(m),
            Err(Fail::Msg(_)) => return own(),
        };
        // An off-path information set still open: one branch per reply, with a placeholder
        // vertex.
        let Some(si) = open else {
            continue;
        };
        let s = &tree.infosets[si];
        // Beliefs at vertices decide a reply among two actions only (with free beliefs
        // quantified exactly, any number will do).
        if s.n_actions > 2 && !observed {
            exact = false;
        }
        let first = s.first_action as usize;
        for a in 0..s.n_actions as usize {
            let mut b2 = b.clone();
            for x in 0..s.n_actions as usize {
                b2[first + x] = if x == a {
                    Rational::one()
                } else {
                    Rational::zero()
                };
            }
            let mut v2 = v.clone();
            v2.push((si, 0));
            work.push((b2, v2));
        }
    }
    // The equilibrium exists at `theta`, so some alternative holds there; if none does, the
    // enumeration missed something: keep the equilibrium's own beliefs instead.
    if !out.iter().any(|d| d.conds.iter().all(|c| c.holds(theta))) {
        return own();
    }
    merge_free_beliefs(game, &mut out);
    // Drop an alternative implied by another (its conditions include the other's).
    out.sort_by(|a, b| {
        a.conds
            .len()
            .cmp(&b.conds.len())
            .then(a.beliefs.cmp(&b.beliefs))
    });
    let mut kept: Vec<Derived> = Vec::new();
    for d in out {
        if !kept
            .iter()
            .any(|k| k.conds.iter().all(|c| d.conds.contains(c)))
        {
            kept.push(d);
        }
    }
    for d in &mut kept {
        d.exact = exact;
    }
    Ok(kept)
}

/// One choice of off-path replies in a game with observed actions: its conditions `tagged`
/// (those of off-path sets linear in the free beliefs `frees`), with each free belief
/// quantified existentially and exactly. With two types a free belief is one unknown
/// `μ ∈ [0, 1]` and each condition that mentions it is `a·μ + b ≥ 0`; where the conditions
/// can all hold, they hold at the smallest `μ` they allow, which is 0 or the root `−b/a` of
/// one with `a > 0` (a lower bound). So the alternatives are `μ = 0`, `μ = 1` and (with two
/// or more conditions) each such root, substituted into every condition. Returns the
/// alternatives (conditions, beliefs in words) that can hold on the declared ranges, or
/// `None` where a condition is not of that form.
fn free_alternatives(
    t: &GameTemplate,
    game: &Game,
    st: &Structure,
    tagged: &[(Cond, Option<usize>)],
    frees: &[FreeBelief],
    judge: &dyn Fn(Vec<Cond>) -> Option<Vec<Cond>>,
) -> Option<Vec<(Vec<Cond>, Vec<String>)>> {
    let tagged: Tagged = tagged
        .iter()
        .map(|(c, o)| (split_free_factors(t, frees, c.clone()), *o))
        .collect();
    let mut out = Vec::new();
    for (conds, said) in lone_vertices(&game.tree, st, &tagged, frees)? {
        for (c, mut s) in single_alternatives(t, game, st, &conds, frees, judge)? {
            let mut words = said.clone();
            words.append(&mut s);
            out.push((c, words));
        }
    }
    Some(out)
}

/// A condition that mentions the free beliefs about several deviators, as a condition on
/// fewer of them where it is one. The belief about several deviators' types is the product of
/// the free beliefs in each (as the solver has it), so a condition `Σ weight·gain ≥ 0` whose
/// gains do not depend on one deviator's type is `h(x)·g ≥ 0`, with `h` the total weight of
/// that deviator's types under its belief `x` — linear in `x`, positive at every vertex of its
/// simplex (inside the parameters' ranges), so positive for every belief — and `g` free of `x`:
/// `g ≥ 0` is the same condition. Found exactly: `g` is the greatest common divisor of the
/// condition's coefficients in `x`. The sign of `h` is judged on the parameters' declared
/// ranges (as the other range-based steps do): negative everywhere there, the condition becomes
/// `−g ≥ 0`; of unknown or changing sign (or needing a parameter without a declared range), or
/// where no such factor is found, the condition is returned as it is.
fn split_free_factors(t: &GameTemplate, frees: &[FreeBelief], mut c: Cond) -> Cond {
    use super::factor::{divide, gcd};
    let mut tried = vec![false; frees.len()];
    while frees.iter().filter(|f| f.mentioned(&c.poly)).count() > 1 {
        let Some(k) = (0..frees.len()).find(|&k| !tried[k] && frees[k].mentioned(&c.poly)) else {
            break;
        };
        tried[k] = true;
        let f = &frees[k];
        if c.poly.degree_in(&|v| f.vars.contains(&v)) > 1 {
            continue;
        }
        // The condition at each vertex of the simplex: the constant term, then each type's.
        let at = |ty: usize| {
            c.poly.substitute(&|v| {
                let j = f.vars.iter().position(|&w| w == v)?;
                Some(if ty == j + 1 {
                    Rational::one()
                } else {
                    Rational::zero()
                })
            })
        };
        let c0 = at(0);
        let coeffs: Vec<SPoly> = std::iter::once(c0.clone())
            .chain((1..=f.vars.len()).map(|ty| at(ty).sub(&c0)))
            .collect();
        let g = coeffs
            .iter()
            .filter(|x| !x.is_zero())
            .fold(SPoly::zero(), |acc, x| gcd(&acc, x));
        if g.as_constant().is_some() || g.is_zero() {
            continue;
        }
        let Some(h) = coeffs
            .iter()
            .map(|x| divide(x, &g))
            .collect::<Option<Vec<SPoly>>>()
        else {
            continue;
        };
        if h.iter().any(|x| frees.iter().any(|o| o.mentioned(x))) {
            continue;
        }
        // h at each vertex, its sign told by the ranges (one bound of its values there).
        let sign_at = |v: SPoly| -> Option<bool> {
            let v = drop_positive_factors(t, v);
            let (lo, hi) = corner_range(&v, &declared_box(t, &v)?)?;
            if lo.is_positive() {
                Some(true)
            } else if hi.is_negative() {
                Some(false)
            } else {
                None
            }
        };
        let signs: Vec<Option<bool>> = std::iter::once(h[0].clone())
            .chain(h[1..].iter().map(|x| h[0].add(x)))
            .map(sign_at)
            .collect();
        let poly = if signs.iter().all(|s| *s == Some(true)) {
            g
        } else if signs.iter().all(|s| *s == Some(false)) {
            g.scale(&-Rational::one())
        } else {
            continue;
        };
        c = Cond {
            poly,
            strict: c.strict,
        };
        tried = vec![false; frees.len()];
        tried[k] = true;
    }
    c
}

/// Most branches [`lone_vertices`] makes.
const MAX_BRANCHES: usize = 64;

/// Conditions that involve the beliefs about several deviators, made to involve one: a belief
/// that such a condition mentions and no other condition does is put at each vertex of its
/// simplex in turn (the condition is linear in it, so for any values of the other beliefs some
/// belief satisfies it iff a vertex does: the maximum of a linear function over a simplex is at
/// a vertex). Each branch is the conditions with the belief so put, and the belief in words.
/// `None` where a condition still involves several beliefs and none of them is alone in it, or
/// a condition is strict or not linear in such a belief.
#[allow(clippy::type_complexity)]
fn lone_vertices(
    tree: &crate::game::tree::Tree,
    st: &Structure,
    tagged: &[(Cond, Option<usize>)],
    frees: &[FreeBelief],
) -> Option<Vec<(Vec<(Cond, Option<usize>)>, Vec<String>)>> {
    let mut done = Vec::new();
    let mut work = vec![(tagged.to_vec(), Vec::<String>::new())];
    while let Some((conds, said)) = work.pop() {
        let joint = conds
            .iter()
            .position(|(c, _)| frees.iter().filter(|f| f.mentioned(&c.poly)).count() > 1);
        let Some(j) = joint else {
            done.push((conds, said));
            continue;
        };
        let f = frees.iter().find(|f| {
            f.mentioned(&conds[j].0.poly)
                && conds
                    .iter()
                    .enumerate()
                    .all(|(i, (c, _))| i == j || !f.mentioned(&c.poly))
        })?;
        let c = &conds[j].0;
        if c.strict || c.poly.degree_in(&|v| f.vars.contains(&v)) > 1 {
            return None;
        }
        for ty in 0..=f.vars.len() {
            let at = c.poly.substitute(&|v| {
                let k = f.vars.iter().position(|&w| w == v)?;
                Some(if ty == k + 1 {
                    Rational::one()
                } else {
                    Rational::zero()
                })
            });
            let mut next = conds.clone();
            next[j].0 = Cond {
                poly: at,
                strict: false,
            };
            let mut words = said.clone();
            words.push(free_words(tree, st, f, ty));
            work.push((next, words));
        }
        if work.len() + done.len() > MAX_BRANCHES {
            return None;
        }
    }
    Some(done)
}

/// [`free_alternatives`] where every condition involves at most one free belief.
fn single_alternatives(
    t: &GameTemplate,
    game: &Game,
    st: &Structure,
    tagged: &[(Cond, Option<usize>)],
    frees: &[FreeBelief],
    judge: &dyn Fn(Vec<Cond>) -> Option<Vec<Cond>>,
) -> Option<Vec<(Vec<Cond>, Vec<String>)>> {
    let tree = &*game.tree;
    let mut common = Vec::new();
    let mut per: Vec<Vec<(Cond, Option<usize>)>> = vec![Vec::new(); frees.len()];
    for (c, o) in tagged {
        let ks: Vec<usize> = (0..frees.len())
            .filter(|&k| frees[k].mentioned(&c.poly))
            .collect();
        match ks[..] {
            [] => common.push(c.clone()),
            [k] => per[k].push((c.clone(), *o)),
            _ => return None,
        }
    }
    let Some(common) = judge(common) else {
        return Some(Vec::new());
    };
    // Finishes one alternative: positive factors out, true constants dropped; `None` if one
    // is false.
    let finish = |conds: Vec<Cond>| -> Option<Vec<Cond>> {
        let mut kept = Vec::new();
        for c in conds {
            let poly = drop_positive_factors(t, c.poly);
            match poly.as_constant() {
                Some(v) if v.is_negative() || (c.strict && v.is_zero()) => return None,
                Some(_) => {}
                None => kept.push(Cond {
                    poly,
                    strict: c.strict,
                }),
            }
        }
        judge(kept)
    };
    let too_big = |p: &SPoly| p.terms.len() > super::spoly::MAX_TERMS;
    let mut choices: Vec<Vec<(Vec<Cond>, String)>> = Vec::new();
    for (f, cs) in frees.iter().zip(per) {
        if cs.is_empty() {
            continue;
        }
        if f.vars.len() > 1 {
            let alts = simplex_alternatives(tree, st, f, &cs, &finish)?;
            if alts.is_empty() {
                return Some(Vec::new());
            }
            choices.push(alts);
            continue;
        }
        // a·μ + b, each condition.
        let mut ab: Vec<(SPoly, SPoly, Option<usize>)> = Vec::with_capacity(cs.len());
        for (c, o) in &cs {
            if c.strict || c.poly.degree_of(f.var) > 1 {
                return None;
            }
            let co = c.poly.coefficients_in(f.var);
            ab.push((co.get(1).cloned().unwrap_or_default(), co[0].clone(), *o));
        }
        let ge = |poly: SPoly| Cond {
            poly,
            strict: false,
        };
        let mut alts = Vec::new();
        let at0: Vec<Cond> = ab.iter().map(|(_, b, _)| ge(b.clone())).collect();
        let at1: Vec<Cond> = ab.iter().map(|(a, b, _)| ge(a.add(b))).collect();
        for (ty, conds) in [(0, at0), (1, at1)] {
            if let Some(conds) = finish(conds) {
                alts.push((conds, free_words(tree, st, f, ty)));
            }
        }
        if ab.len() >= 2 {
            for (i, (ai, bi, oi)) in ab.iter().enumerate() {
                if ai.is_zero() {
                    continue;
                }
                let mut conds = vec![
                    Cond {
                        poly: ai.clone(),
                        strict: true,
                    },
                    ge(bi.scale(&-Rational::one())),
                    ge(ai.add(bi)),
                ];
                for (j, (aj, bj, _)) in ab.iter().enumerate() {
                    if j != i {
                        let p = ai.mul(bj).sub(&aj.mul(bi));
                        if too_big(&p) {
                            return None;
                        }
                        conds.push(ge(p));
                    }
                }
                if let Some(conds) = finish(conds) {
                    let who = oi.map_or("the mover", |s| {
                        crate::output::words::player_name(tree, tree.infosets[s].player.ix())
                    });
                    let words = format!(
                        "{}, with the probability that leaves {who} indifferent",
                        free_words(tree, st, f, 1)
                    );
                    alts.push((conds, words));
                }
            }
        }
        if alts.is_empty() {
            return Some(Vec::new());
        }
        choices.push(alts);
    }
    // Every combination of the free beliefs' alternatives.
    let mut out = Vec::new();
    let mut pick = vec![0usize; choices.len()];
    loop {
        let mut conds = common.clone();
        let mut said = Vec::new();
        for (set, &i) in choices.iter().zip(&pick) {
            conds.extend(set[i].0.iter().cloned());
            said.push(set[i].1.clone());
        }
        out.push((conds, said));
        let mut j = 0;
        while j < pick.len() {
            pick[j] += 1;
            if pick[j] < choices[j].len() {
                break;
            }
            pick[j] = 0;
            j += 1;
        }
        if j == pick.len() {
            break;
        }
    }
    Some(out)
}

/// Most choices of active constraints tried for one free belief over three or more types.
const MAX_BASES: usize = 512;

/// The alternatives of one free belief over `k ≥ 3` types, exactly: its conditions `cs` are
/// linear in the belief `x` (a point of the simplex, `x_t` the probability of type `t`), so
/// written homogeneously `G·x ≥ 0` with `G[i][t]` condition `i` at the vertex of type `t`.
/// The beliefs that satisfy them form a polytope inside the simplex; it is not empty iff it
/// has a vertex, and a vertex is where `k − 1` of the constraints (rows of `G` or facets
/// `x_t ≥ 0`), linearly independent together with `Σ x = 1`, are active. So for each choice
/// `S` of `k − 1` constraints the vertex is `x = N/D` by Cramer's rule (`D` the determinant,
/// polynomials in the parameters) and the alternative is `D ≠ 0` — one alternative per sign
/// of `D` — with every other constraint holding at it (`sign(D)·r·N ≥ 0`). A choice of
/// facets alone is a vertex of the simplex (a belief concentrated on one type). `None` where
/// a condition is strict or not linear in the belief, or the choices are too many.
fn simplex_alternatives(
    tree: &crate::game::tree::Tree,
    st: &Structure,
    f: &FreeBelief,
    cs: &[(Cond, Option<usize>)],
    finish: &dyn Fn(Vec<Cond>) -> Option<Vec<Cond>>,
) -> Option<Vec<(Vec<Cond>, String)>> {
    let k = f.vars.len() + 1;
    let is_mu = |v: usize| f.vars.contains(&v);
    // Rows: each condition at the k vertices, then the facets.
    let mut rows: Vec<Vec<SPoly>> = Vec::new();
    let mut origin: Vec<Option<usize>> = Vec::new();
    for (c, o) in cs {
        if c.strict || c.poly.degree_in(&is_mu) > 1 {
            return None;
        }
        let row = (0..k)
            .map(|t| {
                c.poly.substitute(&|v| {
                    let j = f.vars.iter().position(|&w| w == v)?;
                    Some(if t == j + 1 {
                        Rational::one()
                    } else {
                        Rational::zero()
                    })
                })
            })
            .collect();
        rows.push(row);
        origin.push(*o);
    }
    let m = rows.len();
    for t in 0..k {
        rows.push(
            (0..k)
                .map(|j| if j == t { SPoly::one() } else { SPoly::zero() })
                .collect(),
        );
        origin.push(None);
    }
    let n = rows.len();
    let too_big = |p: &SPoly| p.terms.len() > super::spoly::MAX_TERMS;
    let mut out: Vec<(Vec<Cond>, String)> = Vec::new();
    let mut pick: Vec<usize> = (0..k - 1).collect();
    let mut tried = 0;
    loop {
        tried += 1;
        if tried > MAX_BASES {
            return None;
        }
        let mut mat: Vec<Vec<SPoly>> = pick.iter().map(|&r| rows[r].clone()).collect();
        mat.push(vec![SPoly::one(); k]);
        let d = det(&mat)?;
        if !d.is_zero() {
            // x_t = det(mat with column t replaced by e_k)/D.
            let mut num = Vec::with_capacity(k);
            for t in 0..k {
                let mut mt = mat.clone();
                for (j, row) in mt.iter_mut().enumerate() {
                    row[t] = if j == k - 1 {
                        SPoly::one()
                    } else {
                        SPoly::zero()
                    };
                }
                num.push(det(&mt)?);
            }
            let signs: Vec<Rational> = match d.as_constant() {
                Some(c) if c.is_positive() => vec![Rational::one()],
                Some(_) => vec![-Rational::one()],
                None => vec![Rational::one(), -Rational::one()],
            };
            for sgn in signs {
                let mut conds = Vec::new();
                if d.as_constant().is_none() {
                    conds.push(Cond {
                        poly: d.scale(&sgn),
                        strict: true,
                    });
                }
                for r in (0..n).filter(|r| !pick.contains(r)) {
                    let v = rows[r]
                        .iter()
                        .zip(&num)
                        .fold(SPoly::zero(), |acc, (a, b)| acc.add(&a.mul(b)));
                    if too_big(&v) {
                        return None;
                    }
                    conds.push(Cond {
                        poly: v.scale(&sgn),
                        strict: false,
                    });
                }
                let Some(conds) = finish(conds) else { continue };
                let words = if pick.iter().all(|&r| r >= m) {
                    // Every other type's probability zero: concentrated on the one left.
                    let ty = (0..k).find(|t| !pick.contains(&(m + t))).unwrap_or(0);
                    free_words(tree, st, f, ty)
                } else {
                    let mut who: Vec<&str> = pick
                        .iter()
                        .filter(|&&r| r < m)
                        .map(|&r| {
                            origin[r].map_or("the mover", |s| {
                                crate::output::words::player_name(
                                    tree,
                                    tree.infosets[s].player.ix(),
                                )
                            })
                        })
                        .collect();
                    who.dedup();
                    format!(
                        "{}, with the probabilities that leave {} indifferent",
                        free_mix_words(tree, st, f),
                        who.join(" and ")
                    )
                };
                if !out.iter().any(|(c, _)| *c == conds) {
                    out.push((conds, words));
                }
            }
        }
        // The next choice of k − 1 rows of n, in lexicographic order.
        let mut i = k - 1;
        loop {
            if i == 0 {
                return Some(out);
            }
            i -= 1;
            if pick[i] < n - (k - 1 - i) {
                pick[i] += 1;
                for j in i + 1..k - 1 {
                    pick[j] = pick[j - 1] + 1;
                }
                break;
            }
        }
    }
}

/// A free belief over three or more types that mixes them, in words: "believing, after
/// Challenger initiates, that the challenger's type is mixed".
fn free_mix_words(tree: &crate::game::tree::Tree, st: &Structure, f: &FreeBelief) -> String {
    use crate::output::words::player_name;
    let what = format!("{}'s type is mixed", player_name(tree, f.player));
    match after_moves(tree, st, f) {
        Some(m) => format!("believing, after {m}, that {what}"),
        None => format!("believing that {what}"),
    }
}

/// The moves of a free belief's deviation, in words ("Protege hedges → Challenger
/// challenges"), `None` when there are none.
fn after_moves(tree: &crate::game::tree::Tree, st: &Structure, f: &FreeBelief) -> Option<String> {
    use crate::game::NodeId;
    use crate::output::words::move_phrase;
    let (h, a) = f.key;
    let mut moves = Vec::new();
    if let Some(&n) = st.histories[h].nodes.first() {
        let mut cur = NodeId::from(tree.node(n).first_child as usize + a);
        while let Some(par) = tree.node(cur).parent() {
            if !matches!(tree.node(par).kind, NodeKind::Chance) {
                moves.push(move_phrase(tree, cur));
            }
            cur = par;
        }
    }
    moves.reverse();
    (!moves.is_empty()).then(|| moves.join(" → "))
}

/// A free belief at its vertex `ty` (the deviator's type `ty`), in words: "believing, after
/// Protégé hedges, that the protégé is resolute".
fn free_words(tree: &crate::game::tree::Tree, st: &Structure, f: &FreeBelief, ty: usize) -> String {
    use crate::game::NodeId;
    use crate::output::words::{move_words, player_name};
    let nodes = &st.histories[f.key.0].nodes;
    let chance_moves = |n: NodeId| -> Vec<String> {
        let mut out = Vec::new();
        let mut cur = n;
        while let Some(par) = tree.node(cur).parent() {
            if matches!(tree.node(par).kind, NodeKind::Chance) {
                out.push(move_words(tree, cur).to_string());
            }
            cur = par;
        }
        out
    };
    let type_of = |n: &NodeId| st.type_of[f.player][st.state_of[n.ix()] as usize];
    let mine: Vec<Vec<String>> = nodes
        .iter()
        .filter(|n| type_of(n) == ty)
        .map(|&n| chance_moves(n))
        .collect();
    let theirs: Vec<String> = nodes
        .iter()
        .filter(|n| type_of(n) != ty)
        .flat_map(|&n| chance_moves(n))
        .collect();
    let own: Vec<String> = mine.first().map_or(Vec::new(), |m| {
        m.iter()
            .rev()
            .filter(|w| mine.iter().all(|o| o.contains(w)) && !theirs.contains(w))
            .cloned()
            .collect()
    });
    let what = if own.is_empty() {
        format!(
            "{} is {}",
            player_name(tree, f.player),
            st.type_names[f.player].get(ty).map_or("", String::as_str)
        )
    } else {
        own.join(" and ")
    };
    match after_moves(tree, st, f) {
        Some(m) => format!("believing, after {m}, that {what}"),
        None => format!("believing that {what}"),
    }
}

/// Where alternatives with the same conditions cover every member of an information set's
/// belief (all else equal), the belief there does not matter: it is dropped from their
/// beliefs, and the duplicates with it.
fn merge_free_beliefs(game: &Game, out: &mut Vec<Derived>) {
    loop {
        let mut changed = false;
        for i in 0..out.len() {
            for &(si, _) in &out[i].beliefs.clone() {
                let n = game.tree.infosets[si].n_members as usize;
                let same: Vec<usize> = (0..out.len())
                    .filter(|&j| out[j].conds == out[i].conds)
                    .collect();
                let has = |v: &[(usize, usize)]| same.iter().any(|&j| out[j].beliefs == v);
                let covered = same.iter().all(|&j| {
                    let v = &out[j].beliefs;
                    !v.iter().any(|x| x.0 == si)
                        || (0..n).all(|k| {
                            let w: Vec<(usize, usize)> = v
                                .iter()
                                .map(|&x| if x.0 == si { (si, k) } else { x })
                                .collect();
                            has(&w)
                        })
                });
                if covered {
                    for &j in &same {
                        out[j].beliefs.retain(|x| x.0 != si);
                    }
                    let mut seen: Vec<(Vec<Cond>, Beliefs)> = Vec::new();
                    out.retain(|d| {
                        let key = (d.conds.clone(), d.beliefs.clone());
                        let fresh = !seen.contains(&key);
                        seen.push(key);
                        fresh
                    });
                    changed = true;
                    break;
                }
            }
            if changed {
                break;
            }
        }
        if !changed {
            return;
        }
    }
}

/// The smallest and largest value of `p` over the box `vars` (`(param, lo, hi)`), when `p`
/// mentions only those parameters with degree at most one in each (its extremes are then at
/// the corners) and they are at most twelve.
pub fn corner_range(
    p: &SPoly,
    vars: &[(usize, Rational, Rational)],
) -> Option<(Rational, Rational)> {
    if let Some(v) = p.as_constant() {
        return Some((v.clone(), v));
    }
    let used: Vec<&(usize, Rational, Rational)> = vars.iter().filter(|m| p.mentions(m.0)).collect();
    if used.len() > 8 || used.iter().any(|m| p.degree_of(m.0) > 1) {
        return None;
    }
    let mentions_other = p
        .terms
        .keys()
        .any(|m| m.iter().any(|&(v, _)| !used.iter().any(|u| u.0 == v)));
    if mentions_other {
        return None;
    }
    let mut lo: Option<Rational> = None;
    let mut hi: Option<Rational> = None;
    for corner in 0..1usize << used.len() {
        let at = |v: usize| {
            let k = used.iter().position(|m| m.0 == v).unwrap_or(0);
            if corner >> k & 1 == 1 {
                &used[k].2
            } else {
                &used[k].1
            }
        };
        let v = p.terms.iter().fold(Rational::zero(), |acc, (m, q)| {
            let mut t = q.clone();
            for &(x, e) in m {
                for _ in 0..e {
                    t *= at(x);
                }
            }
            acc + t
        });
        lo = Some(lo.map_or(v.clone(), |l: Rational| l.min(v.clone())));
        hi = Some(hi.map_or(v.clone(), |h: Rational| h.max(v.clone())));
    }
    Some((lo?, hi?))
}

/// The declared ranges of the parameters `p` mentions, when every one has a range.
fn declared_box(t: &GameTemplate, p: &SPoly) -> Option<Vec<(usize, Rational, Rational)>> {
    (0..t.params.len())
        .filter(|&v| p.mentions(v))
        .map(|v| {
            let (lo, hi) = t.params.ranges[v]?;
            Some((
                v,
                super::rational::of_f64(lo)?,
                super::rational::of_f64(hi)?,
            ))
        })
        .collect()
}

/// `Some(true)` if `c` holds for every value the declared ranges allow, `Some(false)` if for
/// none (inside the ranges), `None` if it depends or cannot be told.
fn by_ranges(t: &GameTemplate, c: &Cond) -> Option<bool> {
    let (lo, hi) = corner_range(&c.poly, &declared_box(t, &c.poly)?)?;
    if lo.is_positive() || (!c.strict && lo.is_zero()) {
        Some(true)
    } else if hi.is_negative() || (hi.is_zero() && c.strict) {
        Some(false)
    } else {
        None
    }
}

/// The equilibrium's support as action weights: its exact probabilities where the solver
/// has them, else 1 for every action played with positive probability and 0 for the others.
/// Only the support matters to a derivation (the mixing probabilities become unknowns and
/// are solved for exactly), so an equilibrium the solver found as a float root of a
/// nonlinear system is derived exactly too.
pub fn support_behaviour(c: &Component) -> Vec<Rational> {
    c.point
        .behaviour
        .iter()
        .map(|v| match &v.q {
            Some(q) => q.clone(),
            None if v.x > 0.0 => Rational::one(),
            None => Rational::zero(),
        })
        .collect()
}

/// The equilibrium's action weights ([`support_behaviour`]); `Err` if it has none.
fn exact_behaviour(c: &Component) -> Result<Vec<Rational>, String> {
    let b = support_behaviour(c);
    if b.is_empty() {
        return Err("the equilibrium has no behaviour".into());
    }
    Ok(b)
}

/// The beliefs used at information sets off the path.
#[derive(Clone, Copy)]
enum OffPath<'a> {
    /// The equilibrium's own.
    Own(&'a Component),
    /// Concentrated on one member: `(information set, member)`.
    Vertex(&'a [(usize, usize)]),
}

/// Why [`derive_with`] stopped.
enum Fail {
    /// An information set off the path needs a reply and a belief.
    Need(usize),
    /// Information sets off the path need replies (their beliefs are free ones).
    NeedMany(Vec<usize>),
    /// An information set off the path whose members differ in several moves of Nature
    /// (several players' types): its beliefs are not a free simplex.
    Joint,
    /// The conditions cannot be derived.
    Msg(String),
}

impl Fail {
    fn message(self) -> String {
        match self {
            Fail::Need(_) | Fail::NeedMany(_) => "a belief off the path is not given".into(),
            Fail::Joint => "a belief off the path is over several players' types, which is not \
                            yet derived"
                .into(),
            Fail::Msg(m) => m,
        }
    }
}

impl From<&str> for Fail {
    fn from(m: &str) -> Self {
        Fail::Msg(m.into())
    }
}

impl From<String> for Fail {
    fn from(m: String) -> Self {
        Fail::Msg(m)
    }
}

/// The conditions of behaviour `b` (exact) with off-path beliefs `off`; checked at `theta`
/// when the beliefs are the equilibrium's own.
fn derive_with(
    t: &GameTemplate,
    numbers: &(Vec<SPoly>, Vec<SPoly>),
    game: &Game,
    b: &[Rational],
    off: OffPath<'_>,
    theta: &[Rational],
) -> Result<Vec<Cond>, Fail> {
    let mut out: Vec<Cond> = derive_tagged(t, numbers, game, b, off, theta, None)?
        .0
        .into_iter()
        .map(|(c, _)| c)
        .collect();
    out.sort();
    out.dedup();
    Ok(out)
}

/// [`derive_with`], each condition tagged with the off-path information set whose belief
/// (given in `off` as a vertex) it comes from, `None` for the others. A belief enters only
/// the conditions of its own information set, so the conditions of one choice of replies are
/// the untagged ones and, for each such set, the tagged ones of the vertex chosen there.
fn derive_tagged(
    t: &GameTemplate,
    numbers: &(Vec<SPoly>, Vec<SPoly>),
    game: &Game,
    b: &[Rational],
    off: OffPath<'_>,
    theta: &[Rational],
    known: Option<&Structure>,
) -> Result<(Tagged, Vec<FreeBelief>), Fail> {
    let tree = &*game.tree;
    let np = tree.n_players();
    let nt = t.params.names.len();
    let (pay, chance) = numbers;
    // Action probabilities: constants, or unknowns (numbered after the parameters) for the
    // support of a mixing set but its first action.
    let mut prob = vec![SPoly::zero(); b.len()];
    let mut supports: Vec<Vec<usize>> = Vec::new();
    let mut unknowns = 0usize;
    for s in &tree.infosets {
        let first = s.first_action as usize;
        let sup: Vec<usize> = (0..s.n_actions as usize)
            .filter(|&a| b[first + a].is_positive())
            .collect();
        if sup.len() > 1 {
            let mut rest = SPoly::one();
            for &a in &sup[1..] {
                let u = SPoly::var(nt + unknowns);
                unknowns += 1;
                rest = rest.sub(&u);
                prob[first + a] = u;
            }
            prob[first + sup[0]] = rest;
        } else if let Some(&a) = sup.first() {
            prob[first + a] = SPoly::one();
        }
        supports.push(sup);
    }
    let is_unknown = |v: usize| v >= nt && v < nt + MU_BASE;
    // Each player's expected payoff from each node on, bottom-up (children follow parents).
    let mut value = vec![SPoly::zero(); tree.nodes.len() * np];
    for (i, n) in tree.nodes.iter().enumerate().rev() {
        for p in 0..np {
            let v = match n.kind {
                NodeKind::Terminal { leaf } => pay[leaf.ix() * np + p].clone(),
                NodeKind::Chance => n.children().fold(SPoly::zero(), |acc, ch| {
                    acc.add(&chance[ch].mul(&value[ch * np + p]))
                }),
                NodeKind::Decision { infoset, .. } => {
                    let first = tree.infosets[infoset.ix()].first_action as usize;
                    let fc = n.first_child as usize;
                    n.children().fold(SPoly::zero(), |acc, ch| {
                        let pr = &prob[first + ch - fc];
                        if pr.is_zero() {
                            acc
                        } else {
                            acc.add(&pr.mul(&value[ch * np + p]))
                        }
                    })
                }
            };
            if v.terms.len() > super::spoly::MAX_TERMS {
                return Err("the expected payoffs are too large to write out".into());
            }
            value[i * np + p] = v;
        }
    }
    // The solver's view of the game (types, public histories), read when first needed.
    let st_cell = std::cell::OnceCell::new();
    let st =
        || -> &Structure { known.unwrap_or_else(|| st_cell.get_or_init(|| Problem::new(game).st)) };
    let observed = || st().class == Class::ObservedActions;
    let mut frees: Vec<FreeBelief> = Vec::new();
    // Off-path information sets whose reply is still to be chosen (observed actions).
    let mut needs: Vec<usize> = Vec::new();
    let mut equations: Vec<SPoly> = Vec::new();
    // Each inequality with the off-path information set whose chosen belief it comes from.
    let mut inequalities: Vec<(Cond, Option<usize>)> = Vec::new();
    for (si, s) in tree.infosets.iter().enumerate() {
        let sup = &supports[si];
        if s.n_actions < 2 || sup.is_empty() {
            continue;
        }
        let player = s.player.ix();
        let members: Vec<usize> = (0..s.n_members as usize)
            .map(|k| tree.infoset_members[s.first_member as usize + k].ix())
            .collect();
        // Each member's weight: the factors along its path other than the mover's own moves.
        let mut factors: Vec<Vec<SPoly>> = members
            .iter()
            .map(|&x| path_factors(tree, &prob, chance, x, player))
            .collect();
        cancel_common(&mut factors);
        let mut weights: Vec<SPoly> = factors
            .iter()
            .map(|f| f.iter().fold(SPoly::one(), |a, x| a.mul(x)))
            .collect();
        let mut per_member = false;
        let mut need = false;
        let mut origin = None;
        if weights.iter().all(SPoly::is_zero) {
            match off {
                // Off the path: the equilibrium's own belief, or (where any belief will do)
                // every member on its own.
                OffPath::Own(c) => {
                    let beliefs: Option<Vec<Rational>> = members
                        .iter()
                        .map(|&x| c.point.beliefs.get(x).cloned().flatten().and_then(|v| v.q))
                        .collect();
                    match beliefs {
                        Some(bs) => weights = bs.into_iter().map(SPoly::constant).collect(),
                        None => per_member = true,
                    }
                }
                // Games with observed actions: the solver's own parametrisation, a free
                // belief about the deviator's type (one unknown per deviation), the other
                // players' types as Bayes' rule has them; the reply is chosen by the caller.
                OffPath::Vertex(v) if observed() => {
                    if v.iter().any(|x| x.0 == si) {
                        origin = Some(si);
                        weights = members
                            .iter()
                            .map(|&x| {
                                free_weight(tree, st(), &prob, chance, x, player, nt, &mut frees)
                            })
                            .collect::<Result<_, Fail>>()?;
                        for f in frees.iter_mut() {
                            if weights.iter().any(|w| f.mentioned(w)) && !f.sets.contains(&si) {
                                f.sets.push(si);
                            }
                        }
                    } else {
                        needs.push(si);
                        continue;
                    }
                }
                // A belief concentrated on one member, chosen by the caller.
                OffPath::Vertex(v) => match v.iter().find(|x| x.0 == si) {
                    Some(&(_, k)) => {
                        origin = Some(si);
                        weights = (0..members.len())
                            .map(|j| if j == k { SPoly::one() } else { SPoly::zero() })
                            .collect()
                    }
                    None => need = true,
                },
            }
        }
        let fc = |x: usize| tree.nodes[x].first_child as usize;
        let gain = |x: usize, a: usize, a0: usize| {
            value[(fc(x) + a) * np + player].sub(&value[(fc(x) + a0) * np + player])
        };
        if need {
            // Where every member gives the mover the same gains (its payoffs do not depend
            // on what it is unsure of), the belief does not matter: any will do, and the
            // equilibrium's own reply stands.
            let n = s.n_actions as usize;
            let same = (1..n).all(|a| {
                let g0 = gain(members[0], a, 0);
                members[1..].iter().all(|&x| gain(x, a, 0) == g0)
            });
            if !same {
                if chance_differences(tree, &members) > 1 {
                    return Err(Fail::Joint);
                }
                return Err(Fail::Need(si));
            }
            weights = (0..members.len())
                .map(|j| if j == 0 { SPoly::one() } else { SPoly::zero() })
                .collect();
        }
        let a0 = sup[0];
        let groups: Vec<Vec<usize>> = if per_member {
            (0..members.len()).map(|k| vec![k]).collect()
        } else {
            vec![(0..members.len()).collect()]
        };
        for g in &groups {
            let w = |k: usize| {
                if per_member {
                    SPoly::one()
                } else {
                    weights[k].clone()
                }
            };
            for &a in &sup[1..] {
                if per_member {
                    return Err("an off-path mixture under any belief".into());
                }
                let e = g.iter().fold(SPoly::zero(), |acc, &k| {
                    acc.add(&w(k).mul(&gain(members[k], a, a0)))
                });
                equations.push(e);
            }
            for a in (0..s.n_actions as usize).filter(|a| !sup.contains(a)) {
                let e = g.iter().fold(SPoly::zero(), |acc, &k| {
                    acc.add(&w(k).mul(&gain(members[k], a0, a)))
                });
                inequalities.push((
                    Cond {
                        poly: e,
                        strict: false,
                    },
                    origin,
                ));
            }
        }
    }
    if !needs.is_empty() {
        return Err(Fail::NeedMany(needs));
    }
    // Positivity of the mixing probabilities.
    for (si, s) in tree.infosets.iter().enumerate() {
        if supports[si].len() > 1 {
            for &a in &supports[si] {
                inequalities.push((
                    Cond {
                        poly: prob[s.first_action as usize + a].clone(),
                        strict: true,
                    },
                    None,
                ));
            }
        }
    }
    // Solve the equalities for the unknowns: A·u + e0 = 0.
    let equations: Vec<SPoly> = equations.into_iter().filter(|e| !e.is_zero()).collect();
    if equations
        .iter()
        .any(|e| frees.iter().any(|f| f.mentioned(e)))
    {
        return Err("an off-path mixture depends on a free belief".into());
    }
    if unknowns >= MU_BASE {
        return Err("too many unknowns to solve symbolically".into());
    }
    if equations.len() != unknowns {
        return Err(if equations.len() < unknowns {
            CONTINUUM.into()
        } else {
            "its equations outnumber its unknowns".into()
        });
    }
    let nonlinear = equations.iter().any(|e| e.degree_in(&is_unknown) > 1);
    let out = if nonlinear {
        solve_in_turn(&equations, inequalities, nt, unknowns, theta)?
    } else {
        let mut a = vec![vec![SPoly::zero(); unknowns]; unknowns];
        let mut rhs = vec![SPoly::zero(); unknowns];
        for (j, e) in equations.iter().enumerate() {
            for (m, q) in &e.terms {
                let term = SPoly {
                    terms: [(
                        m.iter().filter(|(v, _)| *v < nt).cloned().collect(),
                        q.clone(),
                    )]
                    .into_iter()
                    .collect(),
                };
                match m.iter().find(|(v, _)| is_unknown(*v)) {
                    Some(&(v, _)) => a[j][v - nt] = a[j][v - nt].add(&term),
                    None => rhs[j] = rhs[j].sub(&term),
                }
            }
        }
        let d = det(&a).ok_or("too many unknowns to solve symbolically")?;
        let d0 = d.eval(theta);
        if d.is_zero() {
            return Err(CONTINUUM.into());
        }
        if d0.is_zero() {
            return Err(DEGENERATE.into());
        }
        let mut nums = Vec::with_capacity(unknowns);
        for k in 0..unknowns {
            let mut ak = a.clone();
            for (j, row) in ak.iter_mut().enumerate() {
                row[k] = rhs[j].clone();
            }
            nums.push(det(&ak).ok_or("too many unknowns to solve symbolically")?);
        }
        let negative_d = d0.is_negative();
        let mut out = vec![(
            Cond {
                poly: if negative_d {
                    d.scale(&-Rational::one())
                } else {
                    d.clone()
                },
                strict: true,
            },
            None,
        )];
        for (ineq, origin) in inequalities {
            let k = ineq.poly.degree_in(&is_unknown);
            // g(θ, N/D)·D^k, its sign corrected by D's sign at the point.
            let mut g = SPoly::zero();
            for (m, q) in &ineq.poly.terms {
                let mut term = SPoly::constant(q.clone());
                let mut deg = 0;
                for &(v, p) in m {
                    if is_unknown(v) {
                        term = term.mul(&nums[v - nt].pow(p));
                        deg += p;
                    } else {
                        term = term.mul(&SPoly::var(v).pow(p));
                    }
                }
                g = g.add(&term.mul(&d.pow(k - deg)));
                if g.terms.len() > super::spoly::MAX_TERMS {
                    return Err("its conditions are too large to write out".into());
                }
            }
            if negative_d && k % 2 == 1 {
                g = g.scale(&-Rational::one());
            }
            out.push((
                Cond {
                    poly: g,
                    strict: ineq.strict,
                },
                origin,
            ));
        }
        out
    };
    let mut out: Vec<(Cond, Option<usize>)> = out
        .into_iter()
        .map(|(c, o)| {
            (
                Cond {
                    poly: drop_positive_factors(t, c.poly),
                    strict: c.strict,
                },
                o,
            )
        })
        .filter(|(c, _)| match c.poly.as_constant() {
            Some(v) => v.is_negative() || (c.strict && v.is_zero()),
            None => true,
        })
        .collect();
    out.sort();
    out.dedup();
    let check = matches!(off, OffPath::Own(_));
    if let Some((bad, _)) = out.iter().find(|(c, _)| check && !c.holds(theta)) {
        return Err(Fail::Msg(format!(
            "the derived condition {} {} 0 fails at the point",
            bad.poly.show(&t.params.names),
            if bad.strict { ">" } else { "≥" }
        )));
    }
    Ok((out, frees))
}

/// A polynomial with the solved unknowns `sols` (`u_k = N_k/D_k`, parameters only) put in
/// and each one's denominator cleared: `p(θ, N/D)·Π D_k^{deg_k p}`; with whether that
/// multiplied it by a negative number at `theta`.
fn clear_solved(
    p: &SPoly,
    sols: &[Option<(SPoly, SPoly)>],
    nt: usize,
    theta: &[Rational],
) -> Result<(SPoly, bool), Fail> {
    let degs: Vec<u32> = (0..sols.len())
        .map(|k| match sols[k] {
            Some(_) => p.degree_of(nt + k),
            None => 0,
        })
        .collect();
    let mut g = SPoly::zero();
    for (m, q) in &p.terms {
        let mut term = SPoly::constant(q.clone());
        let mut seen = vec![0u32; sols.len()];
        for &(v, e) in m {
            match (v >= nt).then(|| sols.get(v - nt)).flatten() {
                Some(Some((n, _))) => {
                    term = term.mul(&n.pow(e));
                    seen[v - nt] = e;
                }
                _ => term = term.mul(&SPoly::var(v).pow(e)),
            }
        }
        for (k, s) in sols.iter().enumerate() {
            if let Some((_, d)) = s {
                if degs[k] > seen[k] {
                    term = term.mul(&d.pow(degs[k] - seen[k]));
                }
            }
        }
        g = g.add(&term);
        if g.terms.len() > super::spoly::MAX_TERMS {
            return Err("its conditions are too large to write out".into());
        }
    }
    let flips = (0..sols.len())
        .filter(|&k| {
            degs[k] % 2 == 1
                && sols[k]
                    .as_ref()
                    .is_some_and(|(_, d)| d.eval(theta).is_negative())
        })
        .count();
    Ok((g, flips % 2 == 1))
}

/// Equations not linear in the unknowns, solved one unknown at a time: an equation that,
/// with the unknowns solved so far put in, is linear in the one unknown it still mentions
/// (`A·u + B = 0`) gives `u = −B/A` (with `A ≠ 0` at the point, and the sign `A` has there
/// a condition). Then the inequalities with every unknown put in, denominators cleared with
/// their signs. Fails where no equation is left that is linear in a single unknown (a
/// system that would need roots of higher degree).
fn solve_in_turn(
    equations: &[SPoly],
    inequalities: Vec<(Cond, Option<usize>)>,
    nt: usize,
    unknowns: usize,
    theta: &[Rational],
) -> Result<Vec<(Cond, Option<usize>)>, Fail> {
    let mut sols: Vec<Option<(SPoly, SPoly)>> = vec![None; unknowns];
    let mut used = vec![false; equations.len()];
    let mut out = Vec::new();
    for _ in 0..unknowns {
        let mut step = None;
        for (j, e) in equations.iter().enumerate() {
            if used[j] {
                continue;
            }
            let (g, _) = clear_solved(e, &sols, nt, theta)?;
            let open: Vec<usize> = (0..unknowns)
                .filter(|&k| sols[k].is_none() && g.mentions(nt + k))
                .collect();
            if let [k] = open[..] {
                if g.degree_of(nt + k) == 1 {
                    let c = g.coefficients_in(nt + k);
                    if !c[1].eval(theta).is_zero() {
                        step = Some((j, k, c[0].scale(&-Rational::one()), c[1].clone()));
                        break;
                    }
                }
            }
        }
        let Some((j, k, n, d)) = step else {
            return Err(
                "its equations are not linear in the mixing probabilities, one at a \
                        time"
                    .into(),
            );
        };
        used[j] = true;
        out.push((
            Cond {
                poly: if d.eval(theta).is_negative() {
                    d.scale(&-Rational::one())
                } else {
                    d.clone()
                },
                strict: true,
            },
            None,
        ));
        sols[k] = Some((n, d));
    }
    for (ineq, origin) in inequalities {
        let (g, flip) = clear_solved(&ineq.poly, &sols, nt, theta)?;
        out.push((
            Cond {
                poly: if flip { g.scale(&-Rational::one()) } else { g },
                strict: ineq.strict,
            },
            origin,
        ));
    }
    Ok(out)
}

/// Variables from `n_params + MU_BASE` on are free beliefs (the mixing unknowns of one
/// derivation come before them).
const MU_BASE: usize = 64;

/// A belief the solver leaves free in a game with observed actions: about the type of a
/// player whose move all its types play with probability zero, from that move on (until it
/// moves again). With two types it is one unknown `μ`, the probability of the second type;
/// with `k` types, `k − 1` unknowns `μ_1 … μ_{k−1}`, the probabilities of the types but the
/// first (which has `1 − Σ μ`), as the solver has it.
#[derive(Clone, Debug)]
pub(crate) struct FreeBelief {
    /// The variable `μ` (of the second type) stands for.
    pub var: usize,
    /// The variables of the types but the first (`var` is the first of them).
    pub vars: Vec<usize>,
    /// The deviating player.
    pub player: usize,
    /// The public history of the deviation and the move.
    pub key: (usize, usize),
    /// The off-path information sets whose conditions use it.
    pub sets: Vec<usize>,
}

impl FreeBelief {
    /// True if `p` mentions one of the belief's unknowns.
    fn mentioned(&self, p: &SPoly) -> bool {
        self.vars.iter().any(|&v| p.mentions(v))
    }
}

/// The weight of member `x` of an off-path information set of `mover` as the `pbe` solver
/// has it in a game with observed actions: the probability that chance and the other players
/// lead to `x`, where the moves of the deviating player (the typed player whose move there
/// all its types play with probability zero) up to and including the deviation are replaced
/// by the free belief in its type, and the zero-probability moves of players without types
/// (the same at every member: the moves are observed) are left out. Where several typed
/// players deviated, the belief is the product of their free beliefs, as the solver has it.
#[allow(clippy::too_many_arguments)]
fn free_weight(
    tree: &crate::game::tree::Tree,
    st: &Structure,
    prob: &[SPoly],
    chance: &[SPoly],
    x: usize,
    mover: usize,
    nt: usize,
    frees: &mut Vec<FreeBelief>,
) -> Result<SPoly, Fail> {
    let typed = st.typed_players();
    let mut w = SPoly::one();
    // Each deviator's latest deviation: (player, node, action).
    let mut devs: Vec<(usize, usize, usize)> = Vec::new();
    let mut cur = x;
    while let Some(par) = tree.nodes[cur].parent() {
        let pn = &tree.nodes[par.ix()];
        let a = cur - pn.first_child as usize;
        match pn.kind {
            NodeKind::Chance => w = w.mul(&chance[cur]),
            NodeKind::Decision { player: q, infoset } if q.ix() != mover => {
                let q = q.ix();
                let f = &prob[tree.infosets[infoset.ix()].first_action as usize + a];
                if devs.iter().any(|d| d.0 == q) {
                    // Above the deviation, the deviator's moves are in the free belief.
                } else if f.is_zero() {
                    if typed.contains(&q) {
                        devs.push((q, par.ix(), a));
                    }
                    // Else an observed move of a player without types: common to all members.
                } else {
                    w = w.mul(f);
                }
            }
            _ => {}
        }
        cur = par.ix();
    }
    // The solver's belief is the product of the deviators' free beliefs.
    for (i, node, a) in devs {
        w = w.mul(&free_factor(st, i, node, a, nt, frees)?);
    }
    Ok(w)
}

/// The free belief, after the deviation of player `i` at `node` by `action`, in the type `i`
/// has at `node` (allocating the belief's unknowns on its first use).
fn free_factor(
    st: &Structure,
    i: usize,
    node: usize,
    a: usize,
    nt: usize,
    frees: &mut Vec<FreeBelief>,
) -> Result<SPoly, Fail> {
    let types = st.n_types(i);
    if types < 2 {
        return Err("a free belief over fewer than two types".into());
    }
    let h = st.history_of[node] as usize;
    let ty = st.type_of[i][st.state_of[node] as usize];
    let k = match frees.iter().position(|f| f.key == (h, a) && f.player == i) {
        Some(k) => k,
        None => {
            let next = nt + MU_BASE + frees.iter().map(|f| f.vars.len()).sum::<usize>();
            frees.push(FreeBelief {
                var: next,
                vars: (next..next + types - 1).collect(),
                player: i,
                key: (h, a),
                sets: Vec::new(),
            });
            frees.len() - 1
        }
    };
    let f = &frees[k];
    Ok(if ty >= 1 {
        SPoly::var(f.vars[ty - 1])
    } else {
        f.vars
            .iter()
            .fold(SPoly::one(), |acc, &v| acc.sub(&SPoly::var(v)))
    })
}

/// At how many of the moves of Nature on their paths (the first, the second, … counted from
/// the root) the members `members` of an information set differ. With one, a belief is a free
/// point of the simplex over the members; with more (one player's type and another's), the
/// solver keeps the types of players other than the one observed deviating at their
/// probabilities, so a belief concentrated on one member is not one it allows.
fn chance_differences(tree: &crate::game::tree::Tree, members: &[usize]) -> usize {
    let moves = |x: usize| -> Vec<usize> {
        let mut out = Vec::new();
        let mut cur = x;
        while let Some(par) = tree.nodes[cur].parent() {
            let pn = &tree.nodes[par.ix()];
            if matches!(pn.kind, NodeKind::Chance) {
                out.push(cur - pn.first_child as usize);
            }
            cur = par.ix();
        }
        out.reverse();
        out
    };
    let paths: Vec<Vec<usize>> = members.iter().map(|&x| moves(x)).collect();
    let depth = paths.iter().map(Vec::len).max().unwrap_or(0);
    (0..depth)
        .filter(|&k| {
            let first = paths[0].get(k);
            paths.iter().any(|p| p.get(k) != first)
        })
        .count()
}

/// The factors of a member's weight: chance probabilities and other players' action
/// probabilities on the path to node `x`.
fn path_factors(
    tree: &crate::game::tree::Tree,
    prob: &[SPoly],
    chance: &[SPoly],
    x: usize,
    player: usize,
) -> Vec<SPoly> {
    let mut out = Vec::new();
    let mut cur = x;
    while let Some(par) = tree.nodes[cur].parent() {
        let pn = &tree.nodes[par.ix()];
        match pn.kind {
            NodeKind::Chance => out.push(chance[cur].clone()),
            NodeKind::Decision { player: q, infoset } if q.ix() != player => {
                let first = tree.infosets[infoset.ix()].first_action as usize;
                out.push(prob[first + cur - pn.first_child as usize].clone());
            }
            _ => {}
        }
        cur = par.ix();
    }
    out.retain(|f| f.as_constant().is_none_or(|v| !v.is_one()));
    out
}

/// Removes the factors every *reached* member's weight shares (they scale a whole
/// condition). A member with a zero factor (a move off the support on its path) has weight
/// zero whatever the others are, so a factor shared by the others — `1 − u`, the probability
/// of a move of the support, positive wherever the support is an equilibrium — is divided out
/// of theirs alone: without it, the products of two players' mixing probabilities in the
/// belief after both moved would make the indifference equations needlessly nonlinear.
fn cancel_common(factors: &mut [Vec<SPoly>]) {
    let reached: Vec<usize> = (0..factors.len())
        .filter(|&k| !factors[k].iter().any(SPoly::is_zero))
        .collect();
    let Some(&first) = reached.first() else {
        return;
    };
    for f in factors[first].clone() {
        if reached.iter().all(|&k| factors[k].contains(&f)) {
            for &k in &reached {
                if let Some(i) = factors[k].iter().position(|g| g == &f) {
                    factors[k].remove(i);
                }
            }
        }
    }
}

/// Divides out factors `p − lo` and `hi − p` of a parameter `p` with range `[lo, hi]`
/// (positive inside the range), and the coefficients' common factor.
fn drop_positive_factors(t: &GameTemplate, g: SPoly) -> SPoly {
    // The same polynomials come back for every choice of off-path replies: remembered per
    // thread, with the ranges they were divided by.
    type Memo = std::collections::BTreeMap<(Vec<Option<(u64, u64)>>, SPoly), SPoly>;
    thread_local! {
        static SEEN: std::cell::RefCell<Memo> = const { std::cell::RefCell::new(Memo::new()) };
    }
    let ranges = t.params.ranges.iter();
    let key = (
        ranges
            .map(|r| r.map(|(a, b)| (a.to_bits(), b.to_bits())))
            .collect(),
        g,
    );
    if let Some(v) = SEEN.with(|m| m.borrow().get(&key).cloned()) {
        return v;
    }
    let out = drop_positive_factors_uncached(t, key.1.clone());
    SEEN.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= 1 << 16 {
            m.clear();
        }
        m.insert(key, out.clone());
    });
    out
}

/// [`drop_positive_factors`], computed.
fn drop_positive_factors_uncached(t: &GameTemplate, mut g: SPoly) -> SPoly {
    for (v, r) in t.params.ranges.iter().enumerate() {
        let Some((lo, hi)) = r else { continue };
        if !g.mentions(v) {
            continue;
        }
        for end in [lo, hi] {
            let Some(e) = super::rational::of_f64(*end) else {
                continue;
            };
            while g.mentions(v) {
                match g.div_linear(v, &e) {
                    // g = (v − e)·h: v − e has the sign of (v − lo) > 0 or (v − hi) < 0.
                    Some(h) => {
                        g = if end == hi {
                            h.scale(&-Rational::one())
                        } else {
                            h
                        }
                    }
                    None => break,
                }
            }
        }
    }
    let k = g.content_scale();
    g.scale(&k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_hold_exactly_where_they_should() {
        let c = Cond {
            poly: SPoly::var(0).sub(&SPoly::constant(Rational::new(1.into(), 2.into()))),
            strict: true,
        };
        assert!(c.holds(&[Rational::new(2.into(), 3.into())]));
        assert!(!c.holds(&[Rational::new(1.into(), 2.into())]));
    }

    /// models/unilateral_deterrence.toml: eight parameters, `p_Ch`, `p_Def`, `s` and `c_H`
    /// (ids 0 to 3) in `[0, 1]`.
    fn unilateral() -> GameTemplate {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/models/unilateral_deterrence.toml"
        );
        let text = std::fs::read_to_string(path).expect("models/unilateral_deterrence.toml");
        crate::model::load(path, text)
            .template
            .expect("a valid model")
    }

    /// Two free beliefs about two-type deviators: `x` (variable 8) and `y` (variable 9).
    fn two_frees() -> Vec<FreeBelief> {
        [8, 9]
            .into_iter()
            .enumerate()
            .map(|(k, v)| FreeBelief {
                var: v,
                vars: vec![v],
                player: k,
                key: (k, 0),
                sets: Vec::new(),
            })
            .collect()
    }

    fn q(n: i64, d: i64) -> Rational {
        Rational::new(n.into(), d.into())
    }

    fn k(n: i64) -> SPoly {
        SPoly::constant(q(n, 1))
    }

    /// `h(x)·(y − p_Def)`, with `h` the total weight `(1 − x)·h0 + x·h1` of the first
    /// deviator's types.
    fn product(h0: &SPoly, h1: &SPoly) -> Cond {
        let x = SPoly::var(8);
        let h = k(1).sub(&x).mul(h0).add(&x.mul(h1));
        Cond {
            poly: h.mul(&SPoly::var(9).sub(&SPoly::var(1))),
            strict: false,
        }
    }

    /// Points over `p_Ch`, `p_Def` (inside `[0, 1]`) and both beliefs, the rest at 0.
    fn grid() -> Vec<Vec<Rational>> {
        let v = [q(0, 1), q(1, 7), q(1, 2), q(5, 6), q(1, 1)];
        let mut out = Vec::new();
        for a in &v {
            for b in &v {
                for x in &v {
                    for y in &v {
                        let mut t = vec![q(0, 1); 10];
                        (t[0], t[1], t[8], t[9]) = (a.clone(), b.clone(), x.clone(), y.clone());
                        out.push(t);
                    }
                }
            }
        }
        out
    }

    #[test]
    fn a_weight_positive_on_the_ranges_is_divided_out() {
        let t = unilateral();
        let frees = two_frees();
        // h = (1 − x)·(1 + p_Ch) + x·2: positive for every p_Ch in [0, 1].
        let c = product(&k(1).add(&SPoly::var(0)), &k(2));
        let out = split_free_factors(&t, &frees, c.clone());
        assert!(!frees[0].mentioned(&out.poly), "x is still there: {out:?}");
        // y ≥ p_Def, as h·(y − p_Def) ≥ 0 with h > 0 says.
        for theta in grid() {
            assert_eq!(out.holds(&theta), c.holds(&theta), "at {theta:?}");
        }
    }

    #[test]
    fn a_weight_negative_on_the_ranges_flips_the_condition() {
        let t = unilateral();
        let frees = two_frees();
        // h = (1 − x)·(p_Ch − 2) + x·(p_Def − 3): negative for every p_Ch, p_Def in [0, 1].
        let h0 = SPoly::var(0).sub(&k(2));
        let h1 = SPoly::var(1).sub(&k(3));
        let c = product(&h0, &h1);
        let out = split_free_factors(&t, &frees, c.clone());
        assert!(!frees[0].mentioned(&out.poly), "x is still there: {out:?}");
        // p_Def ≥ y now, as h·(y − p_Def) ≥ 0 with h < 0 says.
        for theta in grid() {
            assert_eq!(out.holds(&theta), c.holds(&theta), "at {theta:?}");
        }
    }

    #[test]
    fn a_weight_of_either_sign_is_left_alone() {
        let t = unilateral();
        let frees = two_frees();
        // h = (1 − x)·1 + x·(p_Ch − 1/2): its sign at x = 1 depends on p_Ch, so the
        // condition keeps both beliefs (the vertices, or the equilibrium's own beliefs, are
        // used instead).
        let c = product(&k(1), &SPoly::var(0).sub(&SPoly::constant(q(1, 2))));
        let out = split_free_factors(&t, &frees, c.clone());
        assert_eq!(out, c);
        // h = 1 − 2x: of either sign over the simplex whatever the parameters.
        let c = product(&k(1), &k(-1));
        assert_eq!(split_free_factors(&t, &frees, c.clone()), c);
    }

    #[test]
    fn a_weight_whose_sign_needs_an_undeclared_range_is_left_alone() {
        let mut t = unilateral();
        let frees = two_frees();
        // h = (1 − x)·(1 + p_Ch) + x·2 is positive on p_Ch's declared range [0, 1]; without
        // the range its sign is not known, and nothing is divided out.
        t.params.ranges[0] = None;
        let c = product(&k(1).add(&SPoly::var(0)), &k(2));
        assert_eq!(split_free_factors(&t, &frees, c.clone()), c);
    }
}
