//! Naming an equilibrium: pooling, separating or semi-separating, and which types pool.
//!
//! The literature names signalling equilibria by what the informed player's first move reveals:
//! *pooling* when all its types make the same move (nothing is learnt), *separating* when no
//! two types share a move (the type is revealed), *semi-separating* otherwise (some types mix,
//! beliefs move without settling). The class is read at each typed player's first information
//! sets on the path, in games with observed actions and independent types.

use super::component::Component;
use super::structure::{Class, Mover};
use super::system::Problem;

/// The class of an equilibrium, per privately informed player.
#[derive(Clone, Debug, PartialEq)]
pub struct ClassName {
    /// One entry per typed player that moves on the path: its class at its first move (at
    /// the component's representative point).
    pub players: Vec<PlayerClass>,
    /// The classes of the first informed mover across the component, when a continuum passes
    /// through several (e.g. separating, semi-separating and pooling at a regime boundary).
    pub span: Vec<Kind>,
}

impl ClassName {
    /// The headline: the class of the first informed mover ("pooling", …), or the classes a
    /// continuum passes through.
    pub fn headline(&self) -> String {
        if self.span.len() > 1 {
            let names: Vec<&str> = self.span.iter().map(|k| k.name()).collect();
            return format!("a continuum through {}", names.join(", "));
        }
        self.players
            .first()
            .map_or("no private information on the path", |p| p.kind.name())
            .to_string()
    }
}

/// How one informed player's first move sorts its types.
#[derive(Clone, Debug, PartialEq)]
pub struct PlayerClass {
    /// The player.
    pub player: usize,
    /// The public history where it first moves on the path.
    pub history: usize,
    /// Pooling, separating or semi-separating.
    pub kind: Kind,
    /// Groups of types that make the same (possibly mixed) move, each with the move named by
    /// its labels ("initiate", "status_quo 1/2, initiate 1/2"): the JSON form.
    pub groups: Vec<(Vec<usize>, String)>,
    /// Each group's move in the model's own words (`say` phrases, where moves have them),
    /// parallel to `groups`: the prose form.
    pub said: Vec<String>,
}

/// The three classes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Every type makes the same move.
    Pooling,
    /// No two types share a move.
    Separating,
    /// Otherwise.
    SemiSeparating,
}

impl Kind {
    /// The class's name.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Pooling => "pooling",
            Kind::Separating => "separating",
            Kind::SemiSeparating => "semi-separating",
        }
    }
}

/// The class of a component (`None` when the game has no types or is outside the class of
/// observed actions).
pub fn classify(p: &Problem<'_>, c: &Component) -> Option<ClassName> {
    let st = &p.st;
    if st.class != Class::ObservedActions {
        return None;
    }
    let typed = st.typed_players();
    let mut players = Vec::new();
    for &j in &typed {
        // First on-path history (breadth-first order) where j moves with ≥ 2 types present.
        let found = st.histories.iter().enumerate().find_map(|(h, hist)| {
            let Mover::Player { player, agent } = &hist.mover else {
                return None;
            };
            if *player != j {
                return None;
            }
            let on: Vec<(usize, crate::game::InfosetId)> = agent
                .iter()
                .enumerate()
                .filter_map(|(t, s)| s.map(|s| (t, s)))
                .filter(|(_, s)| c.sets[s.ix()].on_path)
                .collect();
            (on.len() >= 2).then_some((h, on))
        });
        let Some((h, on)) = found else { continue };
        // Each type's move: its action probabilities at the representative point.
        let moves = type_moves(p, &c.point.behaviour, &on);
        let kind = kind_of(&moves);
        let mut groups: Vec<(Vec<usize>, String)> = Vec::new();
        let mut said: Vec<String> = Vec::new();
        for (t, probs, _, _) in &moves {
            let set = on.iter().find(|x| x.0 == *t).map(|x| x.1);
            let words = set.map_or_else(String::new, |s| move_words(p, c, s, probs, false));
            match groups.iter_mut().find(|g| g.1 == words) {
                Some(g) => g.0.push(*t),
                None => {
                    groups.push((vec![*t], words));
                    said.push(set.map_or_else(String::new, |s| move_words(p, c, s, probs, true)));
                }
            }
        }
        players.push(PlayerClass {
            player: j,
            history: h,
            kind,
            groups,
            said,
        });
    }
    if players.is_empty() {
        return None;
    }
    // The first informed mover's class at every support of the component.
    let first = &players[0];
    let on: Vec<(usize, crate::game::InfosetId)> = match &st.histories[first.history].mover {
        Mover::Player { agent, .. } => agent
            .iter()
            .enumerate()
            .filter_map(|(t, s)| s.map(|s| (t, s)))
            .filter(|(_, s)| c.sets[s.ix()].on_path)
            .collect(),
        _ => Vec::new(),
    };
    let mut span: Vec<Kind> = Vec::new();
    for alt in &c.alternatives {
        let k = kind_of(&type_moves(p, &alt.point, &on));
        if !span.contains(&k) {
            span.push(k);
        }
    }
    span.sort_by_key(|k| match k {
        Kind::Separating => 0,
        Kind::SemiSeparating => 1,
        Kind::Pooling => 2,
    });
    Some(ClassName { players, span })
}

/// One type's move at its set: the type, its action probabilities, its support, and the
/// probabilities exactly where the solver knows them.
type TypeMove = (
    usize,
    Vec<f64>,
    Vec<bool>,
    Option<Vec<crate::exact::Rational>>,
);

/// Each type's action probabilities and support at its set.
fn type_moves(
    p: &Problem<'_>,
    behaviour: &[super::component::Val],
    on: &[(usize, crate::game::InfosetId)],
) -> Vec<TypeMove> {
    let tree = &*p.game.tree;
    on.iter()
        .map(|&(t, s)| {
            let set = &tree.infosets[s.ix()];
            let vals = &behaviour[set.first_action as usize..][..set.n_actions as usize];
            let probs: Vec<f64> = vals.iter().map(|v| v.x).collect();
            let exact: Option<Vec<crate::exact::Rational>> =
                vals.iter().map(|v| v.q.clone()).collect();
            let support: Vec<bool> = match &exact {
                Some(q) => q.iter().map(num_traits::Signed::is_positive).collect(),
                None => probs.iter().map(|&x| x > 0.0).collect(),
            };
            (t, probs, support, exact)
        })
        .collect()
}

/// Pooling if every type moves alike, separating if no two types share a move. Moves are
/// compared exactly where both are known exactly (a type that aligns with probability
/// 10⁻¹³ does not pool), else to within 10⁻¹².
fn kind_of(moves: &[TypeMove]) -> Kind {
    let same = |a: &TypeMove, b: &TypeMove| match (&a.3, &b.3) {
        (Some(x), Some(y)) => x == y,
        _ => a.1.iter().zip(&b.1).all(|(x, y)| (x - y).abs() <= 1e-12),
    };
    if moves.iter().all(|m| same(m, &moves[0])) {
        Kind::Pooling
    } else if moves.iter().enumerate().all(|(i, a)| {
        moves[..i]
            .iter()
            .all(|b| !a.2.iter().zip(&b.2).any(|(x, y)| *x && *y))
    }) {
        Kind::Separating
    } else {
        Kind::SemiSeparating
    }
}

/// A move in words: `initiate`, or `initiate 2/3, status_quo 1/3`.
/// The move made at set `s` with probabilities `probs`: by labels, or (`said`) by the moves'
/// `say` phrases where they have them.
fn move_words(
    p: &Problem<'_>,
    c: &Component,
    s: crate::game::InfosetId,
    probs: &[f64],
    said: bool,
) -> String {
    let tree = &*p.game.tree;
    let first = tree.infosets[s.ix()].first_action as usize;
    let name = |a: usize| -> String {
        if said {
            let member = tree.members(s)[0];
            let child = crate::game::NodeId::from(tree.node(member).first_child as usize + a);
            crate::output::words::move_words(tree, child).to_string()
        } else {
            tree.action_label(s, a).to_string()
        }
    };
    let played: Vec<usize> = (0..probs.len()).filter(|&a| probs[a] > 0.0).collect();
    if played.len() == 1 {
        return name(played[0]);
    }
    played
        .iter()
        .map(|&a| {
            let v = &c.point.behaviour[first + a];
            format!(
                "{} {}",
                name(a),
                crate::output::words::prob_shown(v.x, v.show())
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}
