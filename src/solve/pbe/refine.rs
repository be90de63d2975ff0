//! Refinements of off-path beliefs: the Intuitive Criterion and D1.
//!
//! A perfect Bayesian equilibrium may be held up by a belief no sensible observer would hold:
//! in Beer–Quiche, a quiche-eating pool is sustained by the receiver believing that a beer
//! drinker is weak, although only the strong type could gain from beer. Both tests look at
//! each move off the path of play by a privately informed player `j` (at a public history on
//! the path) and at every continuation the others could play after it under *some* belief
//! about `j`'s type — every perfect Bayesian continuation, computed exactly by solving the
//! continuation game with the belief as an unknown:
//!
//! - **Intuitive Criterion** (Cho–Kreps): a type whose equilibrium payoff beats the deviation
//!   under every such continuation would never deviate; if some remaining type gains from the
//!   deviation under every continuation that follows beliefs on the remaining types, the
//!   equilibrium fails.
//! - **D1** (Banks–Sobel, Cho–Kreps): type `t` is ruled out when every continuation that would
//!   make `t` deviate (weakly) makes another type `t'` deviate strictly; the equilibrium passes if
//!   a sustaining belief puts no weight on ruled-out types. Zagare and Kilgour use this choice
//!   for off-path beliefs.
//!
//! If every type is ruled out, the tests impose nothing (the usual convention).
//!
//! ## Reference
//! I.-K. Cho and D. M. Kreps, "Signaling games and stable equilibria", QJE 102 (1987)
//! 179–221; J. S. Banks and J. Sobel, "Equilibrium selection in signaling games",
//! Econometrica 55 (1987) 647–661.

use super::component::{self, Component, Val};
use super::linear::{Lin, Rel};
use super::poly::{Poly, Q};
use super::solve::{linear, Solved};
use super::structure::{Class, Mover};
use super::system::{Problem, Region};
use super::Piece;
use crate::game::{InfosetId, NodeKind};
use num_traits::Zero;

/// A refinement of off-path beliefs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refinement {
    /// The Intuitive Criterion (Cho–Kreps 1987).
    Intuitive,
    /// Criterion D1 (Banks–Sobel 1987; Cho–Kreps 1987).
    D1,
}

impl Refinement {
    /// The name printed for it.
    pub fn name(self) -> &'static str {
        match self {
            Refinement::Intuitive => "Intuitive Criterion",
            Refinement::D1 => "D1",
        }
    }
}

/// The result of one test at one deviation.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The equilibrium survives.
    Passes,
    /// It fails; these types would deviate under every continuation the test allows (may be
    /// empty for D1 when no sustaining belief avoids the ruled-out types).
    Fails {
        /// Types that gain from the deviation whatever the others then do.
        gaining: Vec<usize>,
    },
    /// The test could not be decided (nonlinear continuation, or a continuation game that
    /// could not be solved).
    Undecided(String),
}

/// One refinement test at one off-path move.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    /// Which test.
    pub refinement: Refinement,
    /// The deviating player.
    pub player: usize,
    /// The public history reached by the deviation.
    pub history: usize,
    /// The deviation in words ("Challenger initiates").
    pub deviation: String,
    /// Types ruled out after the deviation.
    pub ruled_out: Vec<usize>,
    /// The result.
    pub outcome: Outcome,
}

/// Runs both tests at every deviation from the path of a component.
pub fn check(p: &Problem<'_>, c: &Component, pieces: &[Piece]) -> Vec<Verdict> {
    if p.st.class != Class::ObservedActions {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (h, j) in deviations(p, c, pieces) {
        match continuation(p, c, pieces, h, j) {
            Ok(cont) => {
                out.push(intuitive(p, &cont));
                out.push(d1(p, c, pieces, &cont));
            }
            Err(why) => {
                for r in [Refinement::Intuitive, Refinement::D1] {
                    out.push(Verdict {
                        refinement: r,
                        player: j,
                        history: h,
                        deviation: component::history_words(p, h),
                        ruled_out: Vec::new(),
                        outcome: Outcome::Undecided(why.clone()),
                    });
                }
            }
        }
    }
    out
}

/// Keeps the components that pass `r` at every deviation; for D1, also restricts their off-path
/// beliefs to the types not ruled out.
pub fn select(
    p: &Problem<'_>,
    comps: Vec<Component>,
    pieces: &[Piece],
    r: Refinement,
) -> Vec<Component> {
    let mut out = Vec::new();
    for c in comps {
        let tests: Vec<&Verdict> = c.refinements.iter().filter(|v| v.refinement == r).collect();
        if tests.iter().any(|v| v.outcome != Outcome::Passes) {
            continue;
        }
        if r == Refinement::Intuitive || tests.iter().all(|v| v.ruled_out.is_empty()) {
            out.push(c);
            continue;
        }
        let restricted: Vec<Piece> = c
            .pieces
            .iter()
            .filter_map(|&i| restrict(&pieces[i], &tests))
            .collect();
        let mut again = component::assemble(p, &restricted);
        for mut n in again.drain(..) {
            n.class = c.class.clone();
            n.refinements = c.refinements.clone();
            n.pieces = c.pieces.clone();
            out.push(n);
        }
    }
    out
}

/// A piece with the beliefs at the tested deviations restricted to the types not ruled out.
fn restrict(piece: &Piece, tests: &[&Verdict]) -> Option<Piece> {
    let Solved::Linear(poly) = &piece.solved else {
        return Some(piece.clone());
    };
    let n = poly.n;
    let mut more = Vec::new();
    for v in tests {
        if let Some(fp) = piece
            .conditions
            .points
            .iter()
            .find(|f| f.history == v.history && f.player == v.player)
        {
            for &t in &v.ruled_out {
                more.push((linear(&fp.belief[t], n), Rel::Eq));
            }
        }
    }
    let poly = poly.with(&more)?;
    poly.interior_point()?;
    Some(Piece {
        solved: Solved::Linear(poly),
        ..piece.clone()
    })
}

/// Free belief points of the component whose move leaves the path: (history, player).
fn deviations(p: &Problem<'_>, c: &Component, pieces: &[Piece]) -> Vec<(usize, usize)> {
    let st = &p.st;
    let mut out: Vec<(usize, usize)> = Vec::new();
    for &i in &c.pieces {
        for fp in &pieces[i].conditions.points {
            let Some((ph, _)) = st.histories[fp.history].parent else {
                continue;
            };
            let Mover::Player { agent, .. } = &st.histories[ph].mover else {
                continue;
            };
            let on_path = agent.iter().flatten().any(|s| c.sets[s.ix()].on_path);
            if on_path && !out.contains(&(fp.history, fp.player)) {
                out.push((fp.history, fp.player));
            }
        }
    }
    out
}

/// The continuation after a deviation, solved under every belief about the deviator.
struct Continuation<'p> {
    player: usize,
    history: usize,
    deviation: String,
    /// Types present at the deviation, with their equilibrium continuation payoff.
    types: Vec<(usize, Q)>,
    /// Each present type's payoff from the deviation, by continuation piece.
    payoff: Vec<Vec<Poly>>,
    /// The continuation pieces.
    pieces: Vec<Piece>,
    /// The belief polynomials (one per type of the deviator), in every piece's unknowns.
    belief: Vec<Poly>,
    _p: std::marker::PhantomData<&'p ()>,
}

fn continuation<'p>(
    p: &'p Problem<'_>,
    c: &Component,
    pieces: &[Piece],
    h: usize,
    j: usize,
) -> Result<Continuation<'p>, String> {
    let st = &p.st;
    let tree = &*p.game.tree;
    let np = tree.n_players();
    let (ph, a) = st.histories[h].parent.ok_or("no move leads here")?;
    let Mover::Player { agent, .. } = &st.histories[ph].mover else {
        return Err("nature's move".into());
    };
    let point = &c.point;
    let behaviour: Vec<Q> = point.behaviour.iter().map(val_q).collect();
    // Types present, their beliefs about the others, their equilibrium continuation values.
    let values = node_values(p, &behaviour);
    let mut types = Vec::new();
    let mut beliefs_of: Vec<Vec<(usize, Q)>> = Vec::new();
    for (t, s) in agent.iter().enumerate() {
        let Some(s) = s else { continue };
        if !c.sets[s.ix()].on_path {
            continue;
        }
        let members = tree.members(*s);
        let mut bel = Vec::new();
        let mut star = Q::zero();
        for m in members {
            let b = point.beliefs[m.ix()].as_ref().map_or_else(Q::zero, val_q);
            star += &b * &values[m.ix() * np + j];
            bel.push((m.ix(), b));
        }
        types.push((t, star));
        beliefs_of.push(bel);
    }
    if types.len() < 2 {
        return Err("only one type could deviate here".into());
    }
    // Beliefs at the deviation: free about j, the equilibrium's about the others.
    let rep = &pieces[c.rep.0];
    let z = &c.rep.1;
    let nt = st.n_types(j);
    let vars: Vec<usize> = (0..nt - 1).collect();
    let mut init: Vec<Vec<Poly>> = rep.conditions.by_history[ph]
        .iter()
        .map(|row| row.iter().map(|w| Poly::constant(w.eval(z))).collect())
        .collect();
    let mut belief = vec![Poly::one_minus(&vars)];
    belief.extend(vars.iter().map(|&v| Poly::var(v)));
    init[j] = belief.clone();
    let active: Vec<bool> = (0..tree.infosets.len())
        .map(|s| {
            let m = tree.members(InfosetId::from(s))[0];
            let mut cur = st.history_of[m.ix()] as usize;
            loop {
                if cur == h {
                    break true;
                }
                match st.histories[cur].parent {
                    Some((q, _)) => cur = q,
                    None => break false,
                }
            }
        })
        .collect();
    let region = Region {
        root: h,
        init,
        n_vars: nt - 1,
        player: j,
        active,
        fixed: behaviour,
    };
    // Beliefs only on the types present at the deviation.
    let present: Vec<usize> = types.iter().map(|x| x.0).collect();
    let extra: Vec<super::system::Condition> = (0..nt)
        .filter(|t| !present.contains(t))
        .map(|t| super::system::Condition {
            poly: belief[t].clone(),
            rel: Rel::Eq,
            what: super::system::What::Bound,
        })
        .collect();
    let found = super::enumerate_in(p, Some(&region), &extra, None).map_err(|e| e.to_string())?;
    if !found.unresolved.is_empty() {
        return Err("the continuation has conditions that could not be solved".into());
    }
    // Each type's payoff from the deviation: its belief over its members, times the value of
    // the deviation's child there.
    let payoff = found
        .pieces
        .iter()
        .map(|piece| {
            beliefs_of
                .iter()
                .map(|bel| {
                    bel.iter().fold(Poly::zero(), |acc, (m, b)| {
                        let child = tree.nodes[*m].first_child as usize + a;
                        acc.add(&piece.conditions.values[child * np + j].scale(b))
                    })
                })
                .collect()
        })
        .collect();
    Ok(Continuation {
        player: j,
        history: h,
        deviation: component::history_words(p, h),
        types,
        payoff,
        pieces: found.pieces,
        belief,
        _p: std::marker::PhantomData,
    })
}

fn val_q(v: &Val) -> Q {
    v.q().unwrap_or_else(|| super::system::exact(v.x))
}

/// Every player's expected payoff from every node under an exact behaviour profile.
fn node_values(p: &Problem<'_>, behaviour: &[Q]) -> Vec<Q> {
    let tree = &*p.game.tree;
    let np = tree.n_players();
    let n = tree.nodes.len();
    let mut v = vec![Q::zero(); n * np];
    for i in (0..n).rev() {
        let node = tree.nodes[i];
        for pl in 0..np {
            v[i * np + pl] = match node.kind {
                NodeKind::Terminal { leaf } => p.pay[leaf.ix() * np + pl].clone(),
                NodeKind::Chance => node
                    .children()
                    .fold(Q::zero(), |acc, c| acc + &p.chance[c] * &v[c * np + pl]),
                NodeKind::Decision { infoset, .. } => {
                    let f = tree.infosets[infoset.ix()].first_action as usize;
                    node.children().enumerate().fold(Q::zero(), |acc, (a, c)| {
                        if behaviour[f + a].is_zero() {
                            acc
                        } else {
                            acc + &behaviour[f + a] * &v[c * np + pl]
                        }
                    })
                }
            };
        }
    }
    v
}

/// Extreme value of a polynomial over a continuation piece's closure with `more` constraints:
/// `Ok(None)` if that set is empty, `Err` if the polynomial is not linear there.
fn extreme(piece: &Piece, f: &Poly, more: &[(Lin, Rel)], max: bool) -> Result<Option<Q>, ()> {
    match &piece.solved {
        Solved::Linear(poly) => {
            let Some(pl) = poly.with(more) else {
                return Ok(None);
            };
            if !pl.closure_nonempty() {
                return Ok(None);
            }
            let mut f = f.clone();
            if f.degree() > 1 {
                // Substitute the unknowns the piece pins down; what is left must be linear.
                let pinned: u64 = (0..pl.n)
                    .filter(|&v| pl.param[v].is_constant())
                    .fold(0, |m, v| m | (1 << v));
                let vals: Vec<Q> = pl.param.iter().map(|l| l.constant.clone()).collect();
                f = f.substitute(pinned, &vals);
                if f.degree() > 1 {
                    return Err(());
                }
            }
            let (lo, hi) = pl.range(&linear(&f, pl.n));
            Ok(if max { hi } else { lo })
        }
        Solved::Points(_) | Solved::Unresolved(_) => Err(()),
    }
}

/// A polynomial with the unknowns a linear piece pins down substituted, if what is left is
/// linear.
fn pinned_linear(piece: &Piece, f: &Poly) -> Option<Poly> {
    if f.degree() <= 1 {
        return Some(f.clone());
    }
    let Solved::Linear(pl) = &piece.solved else {
        return None;
    };
    let pinned: u64 = (0..pl.n)
        .filter(|&v| pl.param[v].is_constant())
        .fold(0, |m, v| m | (1 << v));
    let vals: Vec<Q> = pl.param.iter().map(|l| l.constant.clone()).collect();
    let g = f.substitute(pinned, &vals);
    (g.degree() <= 1).then_some(g)
}

fn ruled_out_constraints(cont: &Continuation<'_>, ruled: &[usize], n: usize) -> Vec<(Lin, Rel)> {
    ruled
        .iter()
        .map(|&t| (linear(&cont.belief[t], n), Rel::Eq))
        .collect()
}

fn n_of(piece: &Piece) -> usize {
    piece.conditions.vars.len()
}

/// Types that gain from the deviation under every continuation with beliefs off `ruled`.
fn always_gaining(cont: &Continuation<'_>, ruled: &[usize]) -> Result<Vec<usize>, ()> {
    let mut out = Vec::new();
    for (k, (t, star)) in cont.types.iter().enumerate() {
        if ruled.contains(t) {
            continue;
        }
        let mut any = false;
        let mut gains = true;
        for (pi, piece) in cont.pieces.iter().enumerate() {
            let more = ruled_out_constraints(cont, ruled, n_of(piece));
            match extreme(piece, &cont.payoff[pi][k], &more, false)? {
                None => {}
                Some(lo) => {
                    any = true;
                    if lo <= *star {
                        gains = false;
                    }
                }
            }
        }
        if any && gains {
            out.push(*t);
        }
    }
    Ok(out)
}

fn intuitive(_p: &Problem<'_>, cont: &Continuation<'_>) -> Verdict {
    let verdict = |ruled_out, outcome| Verdict {
        refinement: Refinement::Intuitive,
        player: cont.player,
        history: cont.history,
        deviation: cont.deviation.clone(),
        ruled_out,
        outcome,
    };
    // Equilibrium dominance: the best the deviation could give is below the equilibrium.
    let mut ruled = Vec::new();
    for (k, (t, star)) in cont.types.iter().enumerate() {
        let mut best: Option<Q> = None;
        for (pi, piece) in cont.pieces.iter().enumerate() {
            match extreme(piece, &cont.payoff[pi][k], &[], true) {
                Ok(Some(hi)) => {
                    if best.as_ref().is_none_or(|b| hi > *b) {
                        best = Some(hi);
                    }
                }
                Ok(None) => {}
                Err(()) => {
                    return verdict(Vec::new(), Outcome::Undecided(nonlinear()));
                }
            }
        }
        if best.is_some_and(|b| b < *star) {
            ruled.push(*t);
        }
    }
    if ruled.len() == cont.types.len() {
        return verdict(ruled, Outcome::Passes);
    }
    match always_gaining(cont, &ruled) {
        Ok(g) if g.is_empty() => verdict(ruled, Outcome::Passes),
        Ok(g) => verdict(ruled, Outcome::Fails { gaining: g }),
        Err(()) => verdict(ruled, Outcome::Undecided(nonlinear())),
    }
}

fn nonlinear() -> String {
    "a deviation payoff is not linear over the continuation's solutions".into()
}

/// Types `t` for which another type `t'` gains strictly more from the deviation (relative to
/// their equilibrium payoffs) under every continuation.
fn most_eager(cont: &Continuation<'_>) -> Result<Vec<usize>, ()> {
    let mut out = Vec::new();
    for (k, (t, star)) in cont.types.iter().enumerate() {
        let beaten = cont.types.iter().enumerate().any(|(k2, (t2, star2))| {
            if t2 == t {
                return false;
            }
            cont.pieces.iter().enumerate().all(|(pi, piece)| {
                // (u_t' − u*_t') − (u_t − u*_t) > 0 everywhere on the piece.
                let d = cont.payoff[pi][k2].sub(&cont.payoff[pi][k]);
                match extreme(piece, &d, &[], false) {
                    Ok(None) => true,
                    Ok(Some(lo)) => lo - star2 + star > Q::zero(),
                    Err(()) => false,
                }
            })
        });
        if beaten {
            out.push(*t);
        }
    }
    Ok(out)
}

fn d1(p: &Problem<'_>, c: &Component, pieces: &[Piece], cont: &Continuation<'_>) -> Verdict {
    let verdict = |ruled_out, outcome| Verdict {
        refinement: Refinement::D1,
        player: cont.player,
        history: cont.history,
        deviation: cont.deviation.clone(),
        ruled_out,
        outcome,
    };
    // t is ruled out by t' if wherever t (weakly) gains, t' strictly gains.
    let mut ruled = Vec::new();
    for (k, (t, star)) in cont.types.iter().enumerate() {
        let mut by_some = false;
        for (k2, (t2, star2)) in cont.types.iter().enumerate() {
            if t2 == t {
                continue;
            }
            let mut contained = true;
            for (pi, piece) in cont.pieces.iter().enumerate() {
                let Some(f) = pinned_linear(piece, &cont.payoff[pi][k]) else {
                    return verdict(Vec::new(), Outcome::Undecided(nonlinear()));
                };
                let n = n_of(piece);
                let mut gain = linear(&f, n);
                gain.constant -= star;
                match extreme(piece, &cont.payoff[pi][k2], &[(gain, Rel::Ge)], false) {
                    Ok(None) => {}
                    Ok(Some(lo)) => {
                        if lo <= *star2 {
                            contained = false;
                        }
                    }
                    Err(()) => return verdict(Vec::new(), Outcome::Undecided(nonlinear())),
                }
            }
            if contained {
                by_some = true;
                break;
            }
        }
        if by_some {
            ruled.push(*t);
        }
    }
    if ruled.len() == cont.types.len() {
        // No type could gain: D1 as stated imposes nothing. Keep the types most eager to
        // deviate instead — t is ruled out if another type gains strictly more than t under
        // every continuation (the D1 choice of Zagare and Kilgour's deterrence models).
        ruled = match most_eager(cont) {
            Ok(r) => r,
            Err(()) => return verdict(Vec::new(), Outcome::Undecided(nonlinear())),
        };
    }
    if ruled.is_empty() || ruled.len() == cont.types.len() {
        return verdict(Vec::new(), Outcome::Passes);
    }
    // Does a sustaining belief avoid the ruled-out types?
    let sustained = c.pieces.iter().any(|&i| {
        let piece = &pieces[i];
        let Some(fp) = piece
            .conditions
            .points
            .iter()
            .find(|f| f.history == cont.history && f.player == cont.player)
        else {
            return false;
        };
        let Solved::Linear(poly) = &piece.solved else {
            return false;
        };
        let more: Vec<(Lin, Rel)> = ruled
            .iter()
            .map(|&t| (linear(&fp.belief[t], poly.n), Rel::Eq))
            .collect();
        poly.with(&more)
            .is_some_and(|x| x.interior_point().is_some())
    });
    let _ = p;
    if sustained {
        verdict(ruled, Outcome::Passes)
    } else {
        let gaining = always_gaining(cont, &ruled).unwrap_or_default();
        verdict(ruled, Outcome::Fails { gaining })
    }
}
