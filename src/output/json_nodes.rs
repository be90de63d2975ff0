//! The per-node arrays of a tree solution's JSON (`strategies`, `profile`, `profile_exact`,
//! `strategies_exact`), serialized straight from the game and the profile.
//!
//! A solution of a 10^6-node tree has millions of entries in these arrays. Building a
//! `serde_json::Value` for each (an ordered map per node, a `String` per move label and per
//! exact number) cost ten times the solve itself; these types write the same bytes with no
//! allocation per entry. The value-building renderer is kept as the test oracle
//! (`output::json_oracle`), which the streamed document must equal byte for byte.

use crate::exact::{Rational, Shown};
use crate::game::numeric::Fraction;
use crate::game::profile::reach_probabilities;
use crate::game::{Game, NodeId, NodeKind, Tree};
use num_traits::ToPrimitive;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

/// One of the big arrays, serialized with the writer's own serializer (no dynamic dispatch
/// per element).
pub enum NodeArray<'a> {
    /// `profile` of a behaviour or correlated profile.
    Floats(Floats<'a>),
    /// `profile_exact` of a mixed or correlated profile.
    Exacts(Exacts<'a>),
    /// `profile_exact` of a behaviour profile.
    Fractions(Exacts<'a, Fraction>),
    /// `strategies`.
    Strategies(Strategies<'a>),
    /// `strategies_exact`.
    ExactStrategies(ExactStrategies<'a>),
}

impl Serialize for NodeArray<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            NodeArray::Floats(x) => x.serialize(s),
            NodeArray::Exacts(x) => x.serialize(s),
            NodeArray::Fractions(x) => x.serialize(s),
            NodeArray::Strategies(x) => x.serialize(s),
            NodeArray::ExactStrategies(x) => x.serialize(s),
        }
    }
}

/// `-0.0` written as `0.0`, as everywhere in the output.
fn clean(x: f64) -> f64 {
    if x == 0.0 {
        0.0
    } else {
        x
    }
}

/// Floats in order (`profile`).
pub struct Floats<'a>(pub &'a [f64]);

impl Serialize for Floats<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut q = s.serialize_seq(Some(self.0.len()))?;
        for &x in self.0 {
            q.serialize_element(&clean(x))?;
        }
        q.end()
    }
}

/// An exact number that can be written as its string: a big rational or a compact fraction.
pub trait ExactNumber {
    /// The number as a machine fraction `(n, d)` in lowest terms, when it fits.
    fn small(&self) -> Option<(i64, u64)>;
    /// The number as a rational (for the numbers that do not fit).
    fn rational(&self) -> std::borrow::Cow<'_, Rational>;
}

impl ExactNumber for Rational {
    fn small(&self) -> Option<(i64, u64)> {
        Some((self.numer().to_i64()?, self.denom().to_u64()?))
    }
    fn rational(&self) -> std::borrow::Cow<'_, Rational> {
        std::borrow::Cow::Borrowed(self)
    }
}

impl ExactNumber for Fraction {
    fn small(&self) -> Option<(i64, u64)> {
        match self {
            Fraction::Small(n, d) => Some((*n, d.get())),
            Fraction::Big(_) => None,
        }
    }
    fn rational(&self) -> std::borrow::Cow<'_, Rational> {
        match self {
            Fraction::Big(q) => std::borrow::Cow::Borrowed(q),
            Fraction::Small(..) => std::borrow::Cow::Owned(self.to_rational()),
        }
    }
}

/// One exact number as its string (`"1/3"`).
struct Exact<'a, T>(&'a T);

impl<T: ExactNumber> Serialize for Exact<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Most numbers of a solution fit in 64 bits (0, 1, 1/3): written from a stack buffer.
        if let Some((n, d)) = self.0.small() {
            let mut a = itoa::Buffer::new();
            let n = a.format(n);
            if d == 1 {
                return s.serialize_str(n);
            }
            let mut b = itoa::Buffer::new();
            let d = b.format(d);
            let mut buf = [0u8; 41];
            let len = n.len() + 1 + d.len();
            buf[..n.len()].copy_from_slice(n.as_bytes());
            buf[n.len()] = b'/';
            buf[n.len() + 1..len].copy_from_slice(d.as_bytes());
            // The bytes are ASCII digits, a sign and a slash.
            return s.serialize_str(std::str::from_utf8(&buf[..len]).unwrap_or_default());
        }
        s.collect_str(&Shown(&self.0.rational()))
    }
}

/// Exact numbers in order, as strings (`profile_exact`).
pub struct Exacts<'a, T = Rational>(pub &'a [T]);

impl<T: ExactNumber> Serialize for Exacts<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut q = s.serialize_seq(Some(self.0.len()))?;
        for x in self.0 {
            q.serialize_element(&Exact(x))?;
        }
        q.end()
    }
}

/// A node's moves as an object `{label: value}`. A label that occurs twice at one node keeps
/// its first place and its last value (as an ordered map built by inserting in move order).
struct Moves<'a, T, F: Fn(&'a T) -> V, V> {
    tree: &'a Tree,
    node: NodeId,
    values: &'a [T],
    value: F,
}

impl<'a, T, F: Fn(&'a T) -> V, V: Serialize> Serialize for Moves<'a, T, F, V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let first = self.tree.node(self.node).first_child as usize;
        let labels = |a: usize| -> &str { &self.tree.move_labels[first + a] };
        let k = self.values.len();
        let mut m = s.serialize_map(None)?;
        for a in 0..k {
            let l = labels(a);
            if (0..a).any(|b| labels(b) == l) {
                continue;
            }
            let last = (a..k).rev().find(|&b| labels(b) == l).unwrap_or(a);
            m.serialize_entry(l, &(self.value)(&self.values[last]))?;
        }
        m.end()
    }
}

/// The decision nodes of a tree, with each node's slice of a per-action vector.
pub(super) fn decisions<'a, T>(
    tree: &'a Tree,
    per_action: &'a [T],
) -> impl Iterator<Item = (usize, &'a [T])> + 'a {
    tree.nodes.iter().enumerate().filter_map(move |(i, n)| {
        let NodeKind::Decision { infoset, .. } = n.kind else {
            return None;
        };
        let s = &tree.infosets[infoset.ix()];
        let lo = s.first_action as usize;
        Some((i, per_action.get(lo..lo + s.n_actions as usize)?))
    })
}

/// The strategy at every decision node (`strategies`): node, mover, whether it is reached,
/// and each move's probability.
pub struct Strategies<'a> {
    /// The game.
    pub game: &'a Game,
    /// The behaviour profile, by action.
    pub profile: &'a [f64],
}

impl Serialize for Strategies<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let tree = &*self.game.tree;
        let reach = reach_probabilities(self.game, self.profile);
        let mut q = s.serialize_seq(None)?;
        for (i, probs) in decisions(tree, self.profile) {
            let node = NodeId::from(i);
            let NodeKind::Decision { player, .. } = tree.nodes[i].kind else {
                continue;
            };
            q.serialize_element(&Entry {
                tree,
                node,
                player: Some(&tree.players[player.ix()]),
                on_path: Some(reach[i] > 1e-12),
                moves: Moves {
                    tree,
                    node,
                    values: probs,
                    value: |x: &f64| clean(*x),
                },
            })?;
        }
        q.end()
    }
}

/// The exact strategy at every decision node (`strategies_exact`): node and each move's
/// probability as a string.
pub struct ExactStrategies<'a> {
    /// The tree.
    pub tree: &'a Tree,
    /// The exact behaviour profile, by action.
    pub exact: &'a [Fraction],
}

impl Serialize for ExactStrategies<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let tree = self.tree;
        let mut q = s.serialize_seq(None)?;
        for (i, probs) in decisions(tree, self.exact) {
            let node = NodeId::from(i);
            q.serialize_element(&Entry {
                tree,
                node,
                player: None,
                on_path: None,
                moves: Moves {
                    tree,
                    node,
                    values: probs,
                    value: |x: &Fraction| Exact(x),
                },
            })?;
        }
        q.end()
    }
}

/// One node's object: `node`, then `player` and `on_path` where given, then `moves`.
struct Entry<'a, M> {
    tree: &'a Tree,
    node: NodeId,
    player: Option<&'a str>,
    on_path: Option<bool>,
    moves: M,
}

impl<M: Serialize> Serialize for Entry<'_, M> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_key("node")?;
        m.serialize_value(&Label(self.tree, self.node))?;
        if let Some(p) = self.player {
            m.serialize_entry("player", p)?;
        }
        if let Some(r) = self.on_path {
            m.serialize_entry("on_path", &r)?;
        }
        m.serialize_entry("moves", &self.moves)?;
        m.end()
    }
}

/// A node's label, written without a `String`.
struct Label<'a>(&'a Tree, NodeId);

impl Serialize for Label<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (tree, id) = (self.0, self.1);
        let name = &tree.node_names[id.ix()];
        if !name.is_empty() {
            return s.serialize_str(name);
        }
        if let NodeKind::Decision { infoset, .. } = tree.node(id).kind {
            if !tree.infoset_names[infoset.ix()].is_empty() {
                return s.collect_str(&tree.node_label_shown(id));
            }
        }
        // `#id`, the label of an unnamed node in an unnamed set.
        let mut a = itoa::Buffer::new();
        let digits = a.format(id.0);
        let mut buf = [b'#'; 21];
        buf[1..=digits.len()].copy_from_slice(digits.as_bytes());
        s.serialize_str(std::str::from_utf8(&buf[..=digits.len()]).unwrap_or_default())
    }
}
