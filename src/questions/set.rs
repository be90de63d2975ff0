//! A question's answer over every subgame-perfect equilibrium, not only the tie rule's pick.
//!
//! Where a mover is indifferent, each way of breaking the tie is a subgame-perfect equilibrium,
//! and the treatment and control games are separate counterfactuals: the answer is compared for
//! every pair (treatment equilibrium, control equilibrium). It then holds in every pair, in some,
//! or in none ([`Modality`]); [`EffectSet`] records which effects occur. When only some pairs
//! give an effect, [`deciding_ties`] looks for the one tie whose breaking decides it, so the
//! answer can say "… only if the protégé breaks its tie towards “does not open a dialogue”".
//! Everything here is stated without reference to the order in which moves are written.

use super::Effect;
use crate::game::tree::Tree;
use crate::game::NodeId;
use crate::output::words::{context, move_words, mover_name};
use crate::solve::Tie;

/// Whether an effect holds in every equilibrium, in some, or in none.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Modality {
    /// In every pair of subgame-perfect equilibria of the two games.
    Every,
    /// In some pairs but not all: how a tie is broken decides it.
    Some,
    /// In none.
    No,
}

/// Which effects occur over the pairs of equilibria at a point.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct EffectSet {
    /// Some pair has the treatment lower the event's probability.
    pub lower: bool,
    /// Some pair has it raise the probability.
    pub higher: bool,
    /// Some pair shows no difference.
    pub none: bool,
}

impl EffectSet {
    /// The set holding `e` alone ([`Effect::Unknown`] gives the empty set).
    pub fn of(e: Effect) -> Self {
        let mut s = EffectSet::default();
        s.insert(e);
        s
    }

    /// Adds an effect.
    pub fn insert(&mut self, e: Effect) {
        match e {
            Effect::Lower => self.lower = true,
            Effect::Higher => self.higher = true,
            Effect::None => self.none = true,
            Effect::Unknown => {}
        }
    }

    /// Whether `e` occurs.
    pub fn contains(&self, e: Effect) -> bool {
        match e {
            Effect::Lower => self.lower,
            Effect::Higher => self.higher,
            Effect::None => self.none,
            Effect::Unknown => false,
        }
    }

    /// How many different effects occur.
    pub fn len(&self) -> usize {
        [self.lower, self.higher, self.none]
            .iter()
            .filter(|b| **b)
            .count()
    }

    /// True when no effect occurs (the point could not be evaluated).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True when the equilibria disagree on the answer.
    pub fn tied(&self) -> bool {
        self.len() > 1
    }

    /// Whether `e` holds in every pair, some, or none.
    pub fn modality(&self, e: Effect) -> Modality {
        match (self.contains(e), self.len()) {
            (false, _) => Modality::No,
            (true, 1) => Modality::Every,
            (true, _) => Modality::Some,
        }
    }

    /// The effects that occur, in the fixed order lower, higher, none.
    pub fn effects(&self) -> Vec<Effect> {
        [Effect::Lower, Effect::Higher, Effect::None]
            .into_iter()
            .filter(|&e| self.contains(e))
            .collect()
    }
}

/// One game's equilibria at a point: the event's probability and every node's move in each
/// (the tie rule's selection first), and the game's ties.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SideSet {
    /// The event's probability in each equilibrium.
    pub probs: Vec<f64>,
    /// Every node's move in each equilibrium.
    pub choices: Vec<Vec<u32>>,
    /// The ties (decided exactly where the formulas allow).
    pub ties: Vec<Tie>,
    /// True if there were more equilibria than were listed.
    pub truncated: bool,
}

/// The effects over every pair of the two games' equilibria, `tol` as in [`Effect::compare`].
pub fn effects(treatment: &[f64], control: &[f64], tol: f64) -> EffectSet {
    let mut s = EffectSet::default();
    for &t in treatment {
        for &c in control {
            s.insert(Effect::compare(t, c, tol));
        }
    }
    s
}

/// For an effect that holds in only some pairs: the one tie whose breaking decides it, in
/// words ("Protégé (ROK), after Defender (US) does not reinforce its commitment, breaks its tie
/// towards “does not open a dialogue”"); `None` when no single tie decides.
///
/// `sides` are the treatment's and control's trees and equilibrium sets. A tie decides `e`
/// when the pairs with effect `e` are exactly those in which the tied node plays one of a
/// subset of its tied moves. Candidates are tried by node name, so the result does not depend
/// on the order of the file.
pub fn deciding_ties(sides: [(&Tree, &SideSet); 2], e: Effect, tol: f64) -> Option<String> {
    let mut cands: Vec<(usize, &Tie)> = Vec::new();
    for (k, (_, s)) in sides.iter().enumerate() {
        cands.extend(s.ties.iter().map(|t| (k, t)));
    }
    cands.sort_by(|a, b| {
        let name = |(k, t): &(usize, &Tie)| &sides[*k].0.node_names[t.node.ix()];
        name(a).cmp(name(b))
    });
    let (st, sc) = (sides[0].1, sides[1].1);
    for (k, tie) in cands {
        let node = tie.node.ix();
        let side = sides[k].1;
        // Moves at the tied node in pairs with and without the effect.
        let mut with: Vec<u32> = Vec::new();
        let mut without: Vec<u32> = Vec::new();
        for (i, pt) in st.probs.iter().enumerate() {
            for (j, pc) in sc.probs.iter().enumerate() {
                let m = side.choices[if k == 0 { i } else { j }][node];
                let list = if Effect::compare(*pt, *pc, tol) == e {
                    &mut with
                } else {
                    &mut without
                };
                if !list.contains(&m) {
                    list.push(m);
                }
            }
        }
        if with.is_empty() || with.iter().any(|m| without.contains(m)) {
            continue;
        }
        let tree = sides[k].0;
        let first = tree.node(tie.node).first_child as usize;
        let mut said: Vec<String> = with
            .iter()
            .map(|&m| format!("“{}”", move_words(tree, NodeId::from(first + m as usize))))
            .collect();
        said.sort();
        let ctx = context(tree, tie.node);
        let who = mover_name(tree, tie.node);
        let who = if ctx.is_empty() {
            who.to_string()
        } else {
            format!("{who}, {ctx},")
        };
        return Some(format!(
            "{who} breaks its tie towards {}",
            said.join(" or ")
        ));
    }
    None
}
