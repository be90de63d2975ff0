//! Equilibrium components: the solutions with the same play on the path, described as sets.
//!
//! One support's solutions form a polytope (or isolated points); solutions that agree on the
//! path of play and touch each other are one *component*. A component is reported as what a
//! modeler asks of it: the play on the path (exact, or the range a continuum spans), the belief
//! at every information set (Bayes' rule on the path), and, off the path, each alternative
//! prescription together with the set of beliefs that sustains it (inequalities in the free
//! beliefs, found by projecting the polytope) and the range of any off-path mixture. A
//! representative point — central in every range, so it shows no arbitrary extreme — is what
//! the certificates check.

use super::linear::{Lin, Polytope, Rel};
use super::poly::Q;
use super::refine::Verdict;
use super::solve::Solved;
use super::structure::{Class, Mover, Structure};
use super::system::{FreePoint, Problem, Var, What};
use super::Piece;
use crate::exact;
use crate::game::{InfosetId, NodeId};
use num_traits::{One, Signed, Zero};

/// What kind of equilibrium a component is, given the class of the game.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Concept {
    /// Perfect information: perfect Bayesian equilibria are the subgame-perfect ones.
    SubgamePerfect,
    /// Observed actions, independent types, at most two types per player (or two stages):
    /// the Fudenberg–Tirole conditions make the equilibria sequential.
    Sequential,
    /// Observed actions and independent types, beyond the cases where the Fudenberg–Tirole
    /// conditions are known to give sequential equilibria.
    PerfectBayesian,
    /// Outside that class: weak perfect Bayesian equilibria (Bayes' rule on the path only).
    WeakPerfectBayesian,
}

impl Concept {
    /// The name printed for it.
    pub fn name(self) -> &'static str {
        match self {
            Concept::SubgamePerfect => "subgame perfect",
            Concept::Sequential => "sequential",
            Concept::PerfectBayesian => "perfect Bayesian",
            Concept::WeakPerfectBayesian => "weak perfect Bayesian",
        }
    }
}

/// A number: exact when the solution is, and its float.
#[derive(Clone, Debug, PartialEq)]
pub struct Val {
    /// The float value.
    pub x: f64,
    /// The exact value, if known.
    pub q: Option<exact::Rational>,
}

impl Val {
    /// An exact value.
    pub fn exact(q: Q) -> Val {
        Val {
            x: q.to_f64(),
            q: Some(q.to_big()),
        }
    }

    /// The exact value in the solver's number type.
    pub fn q(&self) -> Option<Q> {
        self.q.clone().map(Q::from_big)
    }

    /// A float value.
    pub fn float(x: f64) -> Val {
        Val { x, q: None }
    }

    /// `2/3`, or the float in fixed precision (also for exact values whose fraction would not
    /// be readable, such as the exact value of a float input).
    pub fn show(&self) -> String {
        match self.q() {
            Some(q) => show_q(&q),
            None => crate::output::words::num(self.x),
        }
    }

    fn le(&self, o: &Val) -> bool {
        match (&self.q, &o.q) {
            (Some(a), Some(b)) => a <= b,
            _ => self.x <= o.x,
        }
    }
}

/// An exact number for people: `2/3`, or its decimal when the fraction is not readable (a
/// denominator above a million, as the exact value of a float such as 0.4 has).
pub fn show_q(q: &Q) -> String {
    if q.denom_at_most(1_000_000) {
        q.display()
    } else {
        crate::output::words::num(q.to_f64())
    }
}

/// A closed range `[lo, hi]` (a point when equal).
#[derive(Clone, Debug, PartialEq)]
pub struct Range {
    /// Smallest value.
    pub lo: Val,
    /// Largest value.
    pub hi: Val,
}

impl Range {
    /// A single value.
    pub fn point(v: Val) -> Range {
        Range {
            lo: v.clone(),
            hi: v,
        }
    }

    /// True if `lo == hi`.
    pub fn is_point(&self) -> bool {
        match (&self.lo.q, &self.hi.q) {
            (Some(a), Some(b)) => a == b,
            _ => (self.lo.x - self.hi.x).abs() <= 1e-12,
        }
    }

    fn join(&mut self, o: &Range) {
        if o.lo.le(&self.lo) {
            self.lo = o.lo.clone();
        }
        if self.hi.le(&o.hi) {
            self.hi = o.hi.clone();
        }
    }
}

/// A behaviour-and-belief point: the representative of a component.
#[derive(Clone, Debug, PartialEq)]
pub struct Assessment {
    /// Probability of every action (indexed like a behaviour profile).
    pub behaviour: Vec<Val>,
    /// Belief in every node, within its information set (`None` for nodes that are not
    /// decision nodes, and at sets where any belief will do).
    pub beliefs: Vec<Option<Val>>,
}

impl Assessment {
    /// The behaviour profile as floats.
    pub fn behaviour_f64(&self) -> Vec<f64> {
        self.behaviour.iter().map(|v| v.x).collect()
    }

    /// Beliefs by node as floats (NaN where none is given).
    pub fn beliefs_f64(&self) -> Vec<f64> {
        self.beliefs
            .iter()
            .map(|b| b.as_ref().map_or(f64::NAN, |v| v.x))
            .collect()
    }

    /// True if every number is exact.
    pub fn is_exact(&self) -> bool {
        self.behaviour.iter().all(|v| v.q.is_some())
            && self.beliefs.iter().flatten().all(|v| v.q.is_some())
    }
}

/// What one information set does across a component.
#[derive(Clone, Debug, PartialEq)]
pub struct SetSummary {
    /// Reached with positive probability.
    pub on_path: bool,
    /// Range of each action's probability.
    pub actions: Vec<Range>,
    /// The belief, as `(what, range)`: in games with types, the probability of each
    /// combination of the other players' types ("Challenger hard"); otherwise of each member
    /// node. Empty when any belief will do, or when there is nothing to be uncertain about.
    pub beliefs: Vec<(String, Range)>,
    /// True if the belief here is not given by Bayes' rule (off the path, free).
    pub free_belief: bool,
}

/// A coordinate of the free beliefs, named for people.
#[derive(Clone, Debug, PartialEq)]
pub enum Coord {
    /// `Pr(player has type ty)` after a public history.
    Type {
        /// The moves of the history, in words.
        after: String,
        /// The player.
        player: String,
        /// The type.
        ty: String,
    },
    /// `Pr(node)` at an information set.
    Member {
        /// The information set.
        set: String,
        /// The node.
        node: String,
    },
}

/// One support of the component: its central point, and how it is sustained off the path.
#[derive(Clone, Debug, PartialEq)]
pub struct Alternative {
    /// Probability of every action at the support's central point.
    pub point: Vec<Val>,
    /// Off-path information sets and the range of each action's probability.
    pub play: Vec<(InfosetId, Vec<Range>)>,
    /// The free-belief coordinates the conditions below are written in.
    pub coords: Vec<Coord>,
    /// The beliefs that sustain this play: `Σ coef·coord + constant (≥ | > | =) 0`.
    pub conditions: Vec<(Lin, Rel)>,
}

/// A tie: a player indifferent between the move it makes and another.
#[derive(Clone, Debug, PartialEq)]
pub struct TieSummary {
    /// The information set.
    pub set: InfosetId,
    /// The move played.
    pub played: usize,
    /// The move it ties with.
    pub other: usize,
    /// On the path of play.
    pub on_path: bool,
}

/// One component of perfect Bayesian equilibria.
#[derive(Clone, Debug, PartialEq)]
pub struct Component {
    /// What kind of equilibrium it is.
    pub concept: Concept,
    /// The representative point.
    pub point: Assessment,
    /// Per information set: the play and belief ranges.
    pub sets: Vec<SetSummary>,
    /// The ways it is sustained off the path (one per support in the component).
    pub alternatives: Vec<Alternative>,
    /// Ties at the representative point.
    pub ties: Vec<TieSummary>,
    /// The class name (pooling, separating, …), where the game has types.
    pub class: Option<super::classify::ClassName>,
    /// The Intuitive Criterion and D1 at each deviation from the path.
    pub refinements: Vec<Verdict>,
    /// Indices of its pieces in [`super::Found::pieces`].
    pub pieces: Vec<usize>,
    /// The representative's piece (index into [`super::Found::pieces`]) and the values of its
    /// unknowns.
    pub rep: (usize, Vec<Q>),
    /// Names of each player's types (`[""]` for players without types).
    pub type_names: Vec<Vec<String>>,
}

/// The concept the solver's equilibria satisfy in this game.
pub fn concept(st: &Structure) -> Concept {
    match st.class {
        Class::PerfectInformation => Concept::SubgamePerfect,
        Class::General(_) => Concept::WeakPerfectBayesian,
        Class::ObservedActions => {
            let few_types = st.typed_players().iter().all(|&p| st.n_types(p) <= 2);
            let depth = (0..st.histories.len())
                .map(|h| {
                    let mut d = 0;
                    let mut cur = h;
                    while let Some((p, _)) = st.histories[cur].parent {
                        if matches!(st.histories[p].mover, Mover::Player { .. }) {
                            d += 1;
                        }
                        cur = p;
                    }
                    d
                })
                .max()
                .unwrap_or(0);
            if few_types || depth <= 2 {
                Concept::Sequential
            } else {
                Concept::PerfectBayesian
            }
        }
    }
}

/// A point of a piece: its unknowns' values (exact for linear pieces).
#[derive(Clone, Debug)]
pub enum Point {
    /// Exact values.
    Exact(Vec<Q>),
    /// Floats (a nonlinear system's isolated root).
    Float(Vec<f64>),
}

/// The pieces' points and summaries, grouped into components.
pub fn assemble(p: &Problem<'_>, pieces: &[Piece]) -> Vec<Component> {
    // Expand nonlinear pieces with several roots into one entry per root.
    let mut entries: Vec<(usize, Point)> = Vec::new();
    for (i, piece) in pieces.iter().enumerate() {
        match &piece.solved {
            Solved::Linear(poly) => entries.push((i, Point::Exact(central_point(poly)))),
            Solved::Points(pts) => {
                for x in pts {
                    entries.push((i, Point::Float(x.clone())));
                }
            }
            Solved::Unresolved(_) => {}
        }
    }
    // Connect entries whose closures touch: a continuum of equilibria, possibly through
    // several supports, is one component. Two entries whose supports make different pure
    // moves at some set cannot touch; that cheap test comes first.
    let mut group: Vec<usize> = (0..entries.len()).collect();
    fn root(g: &mut [usize], x: usize) -> usize {
        let mut r = x;
        while g[r] != r {
            r = g[r];
        }
        g[x] = r;
        r
    }
    for a in 0..entries.len() {
        for b in 0..a {
            if root(&mut group, a) == root(&mut group, b) {
                continue;
            }
            let (pa, pb) = (&pieces[entries[a].0], &pieces[entries[b].0]);
            let conflict = pa
                .supports
                .iter()
                .zip(&pb.supports)
                .any(|(x, y)| x.len() == 1 && y.len() == 1 && x != y);
            if !conflict && touch(p, pa, &entries[a].1, pb, &entries[b].1) {
                let (ra, rb) = (root(&mut group, a), root(&mut group, b));
                group[ra.max(rb)] = ra.min(rb);
            }
        }
    }
    let mut comps = Vec::new();
    for r in 0..entries.len() {
        if root(&mut group, r) != r {
            continue;
        }
        let members: Vec<usize> = (0..entries.len())
            .filter(|&e| root(&mut group, e) == r)
            .collect();
        comps.push(summarise(p, pieces, &entries, &members));
    }
    comps
}

/// Probability of every action at a point of a piece.
pub fn behaviour(piece: &Piece, pt: &Point) -> Vec<Val> {
    piece
        .conditions
        .prob
        .iter()
        .map(|poly| match pt {
            Point::Exact(z) => Val::exact(poly.eval(z)),
            Point::Float(z) => Val::float(poly.eval_f64(z)),
        })
        .collect()
}

/// Beliefs at every node at a point of a piece (normalised weights of its set).
pub fn beliefs(p: &Problem<'_>, piece: &Piece, pt: &Point) -> Vec<Option<Val>> {
    let tree = &*p.game.tree;
    let mut out = vec![None; tree.nodes.len()];
    for (s, ws) in piece.conditions.weights.iter().enumerate() {
        let members = tree.members(InfosetId::from(s));
        match pt {
            Point::Exact(z) => {
                let w: Vec<Q> = ws.iter().map(|x| x.eval(z)).collect();
                let total: Q = w.iter().fold(Q::zero(), |a, b| a + b);
                if total.is_positive() {
                    for (m, x) in members.iter().zip(w) {
                        out[m.ix()] = Some(Val::exact(x / &total));
                    }
                }
            }
            Point::Float(z) => {
                let w: Vec<f64> = ws.iter().map(|x| x.eval_f64(z)).collect();
                let total: f64 = w.iter().sum();
                if total > 0.0 {
                    for (m, x) in members.iter().zip(w) {
                        out[m.ix()] = Some(Val::float(x / total));
                    }
                }
            }
        }
    }
    out
}

/// Reach probabilities (floats suffice: only positivity is used, and exact zeros stay zero).
fn reach(p: &Problem<'_>, behaviour: &[Val]) -> Vec<f64> {
    let tree = &*p.game.tree;
    let mut r = vec![0.0; tree.nodes.len()];
    if r.is_empty() {
        return r;
    }
    r[0] = 1.0;
    for i in 0..tree.nodes.len() {
        let node = tree.nodes[i];
        for (a, c) in node.children().enumerate() {
            let pr = match node.kind {
                crate::game::NodeKind::Chance => p.chance[c].to_f64(),
                crate::game::NodeKind::Decision { infoset, .. } => {
                    let v = &behaviour[tree.infosets[infoset.ix()].first_action as usize + a];
                    match &v.q {
                        Some(q) if q.is_zero() => 0.0,
                        Some(_) => v.x.max(f64::MIN_POSITIVE),
                        None => v.x,
                    }
                }
                crate::game::NodeKind::Terminal { .. } => 0.0,
            };
            r[c] = r[i] * pr;
        }
    }
    r
}

/// A central point of a polytope: each unknown in turn set to the middle of its range given
/// the ones before.
fn central_point(poly: &Polytope) -> Vec<Q> {
    if poly.free.is_empty() {
        return poly.expand(&[]);
    }
    let two = Q::from_integer(2.into());
    let mut cur = poly.clone();
    for v in 0..poly.n {
        let mut form = Lin::zero(poly.n);
        form.coef[v] = Q::one();
        let (lo, hi) = cur.range(&form);
        let mid = match (lo, hi) {
            (Some(l), Some(h)) => (l + h) / &two,
            (Some(l), None) => l,
            (None, Some(h)) => h,
            (None, None) => Q::zero(),
        };
        let mut fix = form.clone();
        fix.constant = -mid;
        match cur.with(&[(fix, Rel::Eq)]) {
            Some(next) if next.interior_point().is_some() => cur = next,
            _ => break,
        }
    }
    cur.interior_point()
        .or_else(|| poly.interior_point())
        .unwrap_or_else(|| vec![Q::zero(); poly.n])
}

/// True if two entries (same path key) meet: their closures share a behaviour point with the
/// same free beliefs where both have them.
fn touch(p: &Problem<'_>, a: &Piece, pa: &Point, b: &Piece, pb: &Point) -> bool {
    match (&a.solved, &b.solved) {
        (Solved::Linear(x), Solved::Linear(y)) => {
            let na = x.n;
            let nb = y.n;
            let n = na + nb;
            let mut cons: Vec<(Lin, Rel)> = Vec::new();
            let lift = |l: &Lin, off: usize| {
                let mut out = Lin::zero(n);
                for (v, c) in l.coef.iter().enumerate() {
                    out.coef[v + off] = c.clone();
                }
                out.constant = l.constant.clone();
                out
            };
            for (poly, off) in [(x, 0), (y, na)] {
                for (v, l) in poly.param.iter().enumerate() {
                    if !poly.free.contains(&v) {
                        let mut e = lift(l, off);
                        e.coef[v + off] -= Q::one();
                        cons.push((e, Rel::Eq));
                    }
                }
                for (l, _) in &poly.ineq {
                    cons.push((lift(l, off), Rel::Ge));
                }
            }
            for (k, (qa, qb)) in a.conditions.prob.iter().zip(&b.conditions.prob).enumerate() {
                let la = super::solve::linear(qa, na);
                let lb = super::solve::linear(qb, nb);
                let e = lift(&la, 0).add_scaled(&lift(&lb, na), &-Q::one());
                let _ = k;
                cons.push((e, Rel::Eq));
            }
            for (ia, fa) in a.conditions.points.iter().enumerate() {
                let Some(fb) = b
                    .conditions
                    .points
                    .iter()
                    .find(|f| f.history == fa.history && f.player == fa.player)
                else {
                    continue;
                };
                let _ = ia;
                for (ba, bb) in fa.belief.iter().zip(&fb.belief) {
                    let e = lift(&super::solve::linear(ba, na), 0)
                        .add_scaled(&lift(&super::solve::linear(bb, nb), na), &-Q::one());
                    cons.push((e, Rel::Eq));
                }
            }
            Polytope::new(n, &cons).is_some_and(|poly| poly.closure_nonempty())
        }
        _ => {
            let ba = behaviour(a, pa);
            let bb = behaviour(b, pb);
            let _ = p;
            ba.iter().zip(&bb).all(|(x, y)| (x.x - y.x).abs() <= 1e-9)
        }
    }
}

/// The summary of a component made of `members` (indices into `entries`).
fn summarise(
    p: &Problem<'_>,
    pieces: &[Piece],
    entries: &[(usize, Point)],
    members: &[usize],
) -> Component {
    let tree = &*p.game.tree;
    // Representative: the entry with the fewest unknowns (purest play), then its point.
    let rep = *members
        .iter()
        .min_by_key(|&&e| (pieces[entries[e].0].conditions.vars.len(), e))
        .unwrap_or(&members[0]);
    let (ri, rpt) = &entries[rep];
    let point = Assessment {
        behaviour: behaviour(&pieces[*ri], rpt),
        beliefs: beliefs(p, &pieces[*ri], rpt),
    };
    let on_reach = reach(p, &point.behaviour);
    let mut sets: Vec<SetSummary> = Vec::with_capacity(tree.infosets.len());
    for (s, set) in tree.infosets.iter().enumerate() {
        let members_s = tree.members(InfosetId::from(s));
        let on_path = members_s.iter().any(|m| on_reach[m.ix()] > 0.0);
        let first = set.first_action as usize;
        let groups = belief_groups(p, s);
        let mut actions: Option<Vec<Range>> = None;
        let mut bel: Option<Vec<Range>> = None;
        let mut free = false;
        for &e in members {
            let (pi, pt) = &entries[e];
            let piece = &pieces[*pi];
            let a = action_ranges(piece, pt, first, set.n_actions as usize);
            match &mut actions {
                None => actions = Some(a),
                Some(cur) => cur.iter_mut().zip(&a).for_each(|(x, y)| x.join(y)),
            }
            let b = belief_ranges(p, piece, pt, s, &groups);
            if let Some(b) = b {
                match &mut bel {
                    None => bel = Some(b),
                    Some(cur) => cur.iter_mut().zip(&b).for_each(|(x, y)| x.join(y)),
                }
            }
            free |= piece.conditions.weights[s]
                .iter()
                .any(|w| w.support() & belief_mask(piece) != 0);
        }
        let beliefs = if groups.len() < 2 {
            Vec::new()
        } else {
            groups
                .iter()
                .map(|g| g.0.clone())
                .zip(bel.unwrap_or_default())
                .collect()
        };
        sets.push(SetSummary {
            on_path,
            actions: actions.unwrap_or_default(),
            beliefs,
            free_belief: free,
        });
    }
    let alternatives = members
        .iter()
        .map(|&e| alternative(p, &pieces[entries[e].0], &entries[e].1, &sets))
        .collect();
    let ties = ties(p, &pieces[*ri], rpt, &sets);
    let mut piece_ix: Vec<usize> = members.iter().map(|&e| entries[e].0).collect();
    piece_ix.dedup();
    let rep_values = match rpt {
        Point::Exact(z) => z.clone(),
        Point::Float(z) => z.iter().map(|&x| super::system::exact(x)).collect(),
    };
    Component {
        concept: concept(&p.st),
        point,
        sets,
        alternatives,
        ties,
        class: None,
        refinements: Vec::new(),
        pieces: piece_ix,
        rep: (*ri, rep_values),
        type_names: p.st.type_names.clone(),
    }
}

/// Bit set of a piece's belief unknowns.
fn belief_mask(piece: &Piece) -> u64 {
    piece
        .conditions
        .vars
        .iter()
        .enumerate()
        .filter(|(_, v)| !matches!(v, Var::Prob { .. }))
        .fold(0u64, |m, (i, _)| m | (1 << i))
}

/// The range of each action's probability over a piece.
fn action_ranges(piece: &Piece, pt: &Point, first: usize, k: usize) -> Vec<Range> {
    (0..k)
        .map(|a| {
            let poly = &piece.conditions.prob[first + a];
            range_of(piece, pt, poly)
        })
        .collect()
}

fn range_of(piece: &Piece, pt: &Point, poly: &super::poly::Poly) -> Range {
    match (&piece.solved, pt) {
        (Solved::Linear(lp), _) if poly.degree() <= 1 => {
            let l = super::solve::linear(poly, lp.n);
            match lp.range(&l) {
                (Some(lo), Some(hi)) => Range {
                    lo: Val::exact(lo),
                    hi: Val::exact(hi),
                },
                _ => Range::point(Val::exact(match pt {
                    Point::Exact(z) => poly.eval(z),
                    Point::Float(_) => Q::zero(),
                })),
            }
        }
        (_, Point::Exact(z)) => Range::point(Val::exact(poly.eval(z))),
        (_, Point::Float(z)) => Range::point(Val::float(poly.eval_f64(z))),
    }
}

/// How the belief at set `s` is shown: in games with types, members grouped by the other
/// players' types ("Challenger hard"); otherwise one group per member node.
fn belief_groups(p: &Problem<'_>, s: usize) -> Vec<(String, Vec<usize>)> {
    let tree = &*p.game.tree;
    let st = &p.st;
    let members = tree.members(InfosetId::from(s));
    let mover = tree.infosets[s].player.ix();
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (k, m) in members.iter().enumerate() {
        if st.class == Class::ObservedActions {
            // Beliefs about the other players' types are independent: one group per player
            // and type (its marginal).
            let state = st.state_of[m.ix()] as usize;
            for j in st.typed_players().into_iter().filter(|&j| j != mover) {
                for t in 0..st.n_types(j) {
                    let label = format!("{} {}", tree.players[j], st.type_names[j][t]);
                    let pos = match groups.iter().position(|g| g.0 == label) {
                        Some(i) => i,
                        None => {
                            groups.push((label, Vec::new()));
                            groups.len() - 1
                        }
                    };
                    if st.type_of[j][state] == t {
                        groups[pos].1.push(k);
                    }
                }
            }
        } else {
            let label = tree.node_label(*m);
            match groups.iter_mut().find(|g| g.0 == label) {
                Some(g) => g.1.push(k),
                None => groups.push((label, vec![k])),
            }
        }
    }
    groups
}

/// Belief ranges at set `s` over a piece, per group of members (`None` where any belief will
/// do). Exact ranges when the belief is linear in the unknowns (a free belief, or Bayes' rule
/// with a fixed denominator); the point's value otherwise.
fn belief_ranges(
    p: &Problem<'_>,
    piece: &Piece,
    pt: &Point,
    s: usize,
    groups: &[(String, Vec<usize>)],
) -> Option<Vec<Range>> {
    let ws = &piece.conditions.weights[s];
    let b = beliefs(p, piece, pt);
    let members = p.game.tree.members(InfosetId::from(s));
    let at: Vec<Option<Val>> = members.iter().map(|m| b[m.ix()].clone()).collect();
    if at.iter().any(Option::is_none) {
        return None;
    }
    let total = ws.iter().fold(super::poly::Poly::zero(), |a, w| a.add(w));
    Some(
        groups
            .iter()
            .map(|(_, g)| {
                let w = g
                    .iter()
                    .fold(super::poly::Poly::zero(), |a, &k| a.add(&ws[k]));
                let v = g.iter().fold(None::<Val>, |acc, &k| {
                    let x = at[k].clone().unwrap_or_else(|| Val::float(f64::NAN));
                    Some(match acc {
                        None => x,
                        Some(a) => match (a.q(), x.q()) {
                            (Some(qa), Some(qx)) => Val::exact(qa + qx),
                            _ => Val::float(a.x + x.x),
                        },
                    })
                });
                let v = v.unwrap_or_else(|| Val::float(f64::NAN));
                match (&piece.solved, total.as_constant()) {
                    (Solved::Linear(_), Some(t)) if t.is_positive() && w.degree() <= 1 => {
                        let r = range_of(piece, pt, &w.scale(&(Q::one() / t)));
                        if r.lo.q.is_some() {
                            r
                        } else {
                            Range::point(v)
                        }
                    }
                    _ => Range::point(v),
                }
            })
            .collect(),
    )
}

/// The off-path play and the beliefs that sustain it in one piece.
fn alternative(p: &Problem<'_>, piece: &Piece, pt: &Point, sets: &[SetSummary]) -> Alternative {
    let tree = &*p.game.tree;
    let play: Vec<(InfosetId, Vec<Range>)> = sets
        .iter()
        .enumerate()
        .filter(|(s, sum)| !sum.on_path && p.remaining[*s].len() > 1)
        .map(|(s, _)| {
            let set = &tree.infosets[s];
            (
                InfosetId::from(s),
                action_ranges(piece, pt, set.first_action as usize, set.n_actions as usize),
            )
        })
        .collect();
    let vars = &piece.conditions.vars;
    let belief_vars: Vec<usize> = (0..vars.len())
        .filter(|&v| !matches!(vars[v], Var::Prob { .. }))
        .collect();
    let points = &piece.conditions.points;
    // A belief over two types is written as the probability of the first type.
    let flip: Vec<bool> = belief_vars
        .iter()
        .map(|&v| match vars[v] {
            Var::Belief { point, .. } => p.st.n_types(points[point].player) == 2,
            _ => false,
        })
        .collect();
    let coords: Vec<Coord> = belief_vars
        .iter()
        .zip(&flip)
        .map(|(&v, &f)| match (vars[v], f) {
            (Var::Belief { point, .. }, true) => coord(p, points, Var::Belief { point, ty: 0 }),
            _ => coord(p, points, vars[v]),
        })
        .collect();
    let mut conditions = match &piece.solved {
        Solved::Linear(poly) if !belief_vars.is_empty() => project(poly, &belief_vars),
        _ => Vec::new(),
    };
    for (l, _) in conditions.iter_mut() {
        for (i, &f) in flip.iter().enumerate() {
            if f && !l.coef[i].is_zero() {
                // c·(1 − x0) + k = −c·x0 + (c + k)
                let c = l.coef[i].clone();
                l.constant += &c;
                l.coef[i] = -c;
            }
        }
    }
    Alternative {
        point: behaviour(piece, pt),
        play,
        coords,
        conditions,
    }
}

/// A free-belief unknown, named.
fn coord(p: &Problem<'_>, points: &[FreePoint], v: Var) -> Coord {
    let tree = &*p.game.tree;
    match v {
        Var::Belief { point, ty } => {
            let fp = &points[point];
            Coord::Type {
                after: history_words(p, fp.history),
                player: tree.players[fp.player].clone(),
                ty: p.st.type_names[fp.player][ty].clone(),
            }
        }
        Var::Member { set, member } => Coord::Member {
            set: tree.infoset_display(set),
            node: tree.node_label(tree.members(set)[member]),
        },
        Var::Prob { .. } => Coord::Member {
            set: String::new(),
            node: String::new(),
        },
    }
}

/// The moves of a public history in words: "Challenger initiates → Defender defends".
pub fn history_words(p: &Problem<'_>, h: usize) -> String {
    let st = &p.st;
    let tree = &*p.game.tree;
    let mut parts = Vec::new();
    let mut cur = h;
    while st.histories[cur].parent.is_some() {
        let node = st.histories[cur].nodes[0];
        parts.push(crate::output::words::move_phrase(tree, node));
        cur = st.histories[cur].parent.map_or(0, |x| x.0);
    }
    parts.reverse();
    if parts.is_empty() {
        "the start".into()
    } else {
        parts.join(" → ")
    }
}

/// The closure of a polytope projected onto `keep` (Fourier–Motzkin on the other free
/// unknowns, redundant inequalities removed), in coordinates `0..keep.len()`.
pub fn project(poly: &Polytope, keep: &[usize]) -> Vec<(Lin, Rel)> {
    let n = poly.n;
    // Inequalities and equalities of the closure in the original unknowns.
    let mut rows: Vec<(Lin, Rel)> = Vec::new();
    for (v, l) in poly.param.iter().enumerate() {
        if !poly.free.contains(&v) {
            let mut e = l.clone();
            e.coef[v] -= Q::one();
            rows.push((e, Rel::Eq));
        }
    }
    for (l, r) in &poly.ineq {
        rows.push((l.clone(), *r));
    }
    // Eliminate the unknowns not kept: equalities by substitution, then Fourier–Motzkin.
    for v in 0..n {
        if keep.contains(&v) {
            continue;
        }
        if let Some(k) = rows
            .iter()
            .position(|(l, r)| *r == Rel::Eq && !l.coef[v].is_zero())
        {
            let (e, _) = rows.remove(k);
            let c = e.coef[v].clone();
            rows = rows
                .into_iter()
                .map(|(l, r)| {
                    if l.coef[v].is_zero() {
                        (l, r)
                    } else {
                        let f = -&l.coef[v] / &c;
                        let mut out = l.add_scaled(&e, &f);
                        out.coef[v] = Q::zero();
                        (out, r)
                    }
                })
                .collect();
            continue;
        }
        let (with, without): (Vec<_>, Vec<_>) =
            rows.into_iter().partition(|(l, _)| !l.coef[v].is_zero());
        rows = without;
        let pos: Vec<&(Lin, Rel)> = with
            .iter()
            .filter(|(l, _)| l.coef[v].is_positive())
            .collect();
        let neg: Vec<&(Lin, Rel)> = with
            .iter()
            .filter(|(l, _)| l.coef[v].is_negative())
            .collect();
        for (lp, rp) in &pos {
            for (ln, rn) in &neg {
                // lp/cp + ln/|cn| eliminates v.
                let a = Q::one() / &lp.coef[v];
                let b = Q::one() / -&ln.coef[v];
                let mut out = lp.add_scaled(ln, &(b / &a));
                out.coef[v] = Q::zero();
                let rel = if *rp == Rel::Gt || *rn == Rel::Gt {
                    Rel::Gt
                } else {
                    Rel::Ge
                };
                rows.push((out, rel));
            }
        }
    }
    // Re-index to the kept coordinates and drop constant or redundant rows.
    let m = keep.len();
    let mut out: Vec<(Lin, Rel)> = Vec::new();
    for (l, r) in rows {
        let mut k = Lin::zero(m);
        for (i, &v) in keep.iter().enumerate() {
            k.coef[i] = l.coef[v].clone();
        }
        k.constant = l.constant.clone();
        if k.is_constant() {
            continue;
        }
        // Normalise: first non-zero coefficient ±1.
        let lead = k
            .coef
            .iter()
            .find(|c| !c.is_zero())
            .cloned()
            .unwrap_or_else(Q::one);
        let scale = Q::one() / lead.abs();
        let k = Lin {
            coef: k.coef.iter().map(|c| c * &scale).collect(),
            constant: &k.constant * &scale,
        };
        if !out.iter().any(|(x, y)| x == &k && *y == r) {
            out.push((k, r));
        }
    }
    if m == 1 {
        // One coordinate: keep the tightest bound on each side (and any equality).
        return tightest(out);
    }
    if let Some(pl) = Polytope::new(m, &out) {
        // Keep equalities, and inequalities not implied by the others.
        let facets = pl.facets();
        let eqs: Vec<(Lin, Rel)> = out.iter().filter(|(_, r)| *r == Rel::Eq).cloned().collect();
        let mut kept = eqs;
        for (l, r) in out.into_iter().filter(|(_, r)| *r != Rel::Eq) {
            let composed = l.clone();
            if facets.iter().any(|f| same_direction(f, &pl, &composed)) {
                kept.push((l, r));
            }
        }
        kept
    } else {
        out
    }
}

/// Bounds on one coordinate: the equalities, and the tightest lower and upper bound.
fn tightest(rows: Vec<(Lin, Rel)>) -> Vec<(Lin, Rel)> {
    let mut eqs = Vec::new();
    let mut lo: Option<(Q, Lin, Rel)> = None;
    let mut hi: Option<(Q, Lin, Rel)> = None;
    for (l, r) in rows {
        if r == Rel::Eq {
            if !eqs.iter().any(|(e, _)| e == &l) {
                eqs.push((l, r));
            }
            continue;
        }
        let c = l.coef[0].clone();
        let b = -&l.constant / &c;
        let strict = r == Rel::Gt;
        let slot = if c.is_positive() { &mut lo } else { &mut hi };
        let better = match slot {
            None => true,
            Some((x, _, xr)) => {
                if c.is_positive() {
                    b > *x || (b == *x && strict && *xr != Rel::Gt)
                } else {
                    b < *x || (b == *x && strict && *xr != Rel::Gt)
                }
            }
        };
        if better {
            *slot = Some((b, l, r));
        }
    }
    if !eqs.is_empty() {
        return eqs;
    }
    lo.into_iter().chain(hi).map(|(_, l, r)| (l, r)).collect()
}

/// True if `f` (a facet, in free coordinates) is `l` composed with the parametrisation.
fn same_direction(f: &Lin, pl: &Polytope, l: &Lin) -> bool {
    let mut c = Lin::zero(l.coef.len());
    c.constant = l.constant.clone();
    for (v, k) in l.coef.iter().enumerate() {
        if !k.is_zero() {
            c = c.add_scaled(&pl.param[v], k);
        }
    }
    c == *f
}

/// Ties at a point: a weak payoff condition that holds with equality.
fn ties(p: &Problem<'_>, piece: &Piece, pt: &Point, sets: &[SetSummary]) -> Vec<TieSummary> {
    let mut out = Vec::new();
    for c in &piece.conditions.conditions {
        let What::Payoff { set, a, b } = c.what else {
            continue;
        };
        if c.rel != Rel::Ge {
            continue;
        }
        let zero = match pt {
            Point::Exact(z) => c.poly.eval(z).is_zero(),
            Point::Float(z) => c.poly.eval_f64(z).abs() <= 1e-9 * p.game.payoff_scale(),
        };
        if zero {
            out.push(TieSummary {
                set,
                played: a,
                other: b,
                on_path: sets[set.ix()].on_path,
            });
        }
    }
    out
}

/// Node ids of the members of a set (for renderers).
pub fn members(p: &Problem<'_>, s: InfosetId) -> Vec<NodeId> {
    p.game.tree.members(s).to_vec()
}
