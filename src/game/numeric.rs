//! A game at one parameter point: the shared tree plus its numbers.
//!
//! `Game` is what every extensive-form solver receives. Its numeric vectors are indexed by arena
//! ids (chance probabilities by the child node a chance move leads to, payoffs by leaf and
//! player), so a sweep refills them in place with no allocation.

use super::ids::{LeafId, NodeId, PlayerId};
use super::tree::Tree;
use crate::exact::Rational;
use num_bigint::BigInt;
use num_traits::ToPrimitive;
use std::sync::Arc;

/// An extensive-form game with numeric payoffs and chance probabilities.
#[derive(Clone, Debug, PartialEq)]
pub struct Game {
    /// The structure, shared by all instantiations of a model.
    pub tree: Arc<Tree>,
    /// `chance[c]` is the probability of the chance move leading into node `c`; 0 for nodes
    /// whose parent is not a chance node.
    pub chance: Vec<f64>,
    /// `payoffs[leaf * n_players + player]`.
    pub payoffs: Vec<f64>,
    /// The same numbers as exact rationals, when every payoff and chance probability is
    /// rational (read from a file, or a model whose formulas are rational at this point).
    /// `None` means only the floats are known; the floats are then the game.
    pub exact: Option<Arc<ExactNumbers>>,
}

/// Exact payoffs and chance probabilities of a [`Game`], laid out as its float vectors.
///
/// The numbers are kept compactly ([`ExactVec`]: machine fractions, a big rational only for a
/// number that does not fit), since a big tree holds millions of them; read them through
/// [`ExactNumbers::chance`] and [`ExactNumbers::payoffs`].
#[derive(Clone, Debug, PartialEq)]
pub struct ExactNumbers {
    chance: ExactVec,
    payoffs: ExactVec,
}

impl ExactNumbers {
    /// The numbers `chance` (as [`Game::chance`]) and `payoffs` (as [`Game::payoffs`]).
    pub fn new(chance: impl Into<ExactVec>, payoffs: impl Into<ExactVec>) -> Self {
        ExactNumbers {
            chance: chance.into(),
            payoffs: payoffs.into(),
        }
    }

    /// As [`Game::chance`].
    pub fn chance(&self) -> &ExactVec {
        &self.chance
    }

    /// As [`Game::payoffs`].
    pub fn payoffs(&self) -> &ExactVec {
        &self.payoffs
    }

    /// As [`Game::chance`], to change.
    pub fn chance_mut(&mut self) -> &mut ExactVec {
        &mut self.chance
    }

    /// As [`Game::payoffs`], to change.
    pub fn payoffs_mut(&mut self) -> &mut ExactVec {
        &mut self.payoffs
    }
}

/// A vector of exact rationals stored in 16 bytes a number: a reduced fraction of machine
/// integers when the number fits, else an index into a side list of [`Rational`]s. Values are
/// produced on demand ([`ExactVec::get`], [`ExactVec::to_vec`]).
#[derive(Clone, Debug, Default)]
pub struct ExactVec {
    /// `(n, d)`: the value `n / d` in lowest terms with `d > 0`; `d == 0` means `big[n]`.
    small: Vec<(i64, u64)>,
    /// The numbers that do not fit, normalised.
    big: Vec<Rational>,
}

/// 2^53: integers up to this size are exact in an `f64`.
const EXACT_F64: u64 = 1 << 53;

impl ExactVec {
    /// `n` zeros.
    pub fn zeros(n: usize) -> Self {
        ExactVec {
            small: vec![(0, 1); n],
            big: Vec::new(),
        }
    }

    /// An empty vector with room for `n` numbers.
    pub fn with_capacity(n: usize) -> Self {
        ExactVec {
            small: Vec::with_capacity(n),
            big: Vec::new(),
        }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.small.len()
    }

    /// True if there is no entry.
    pub fn is_empty(&self) -> bool {
        self.small.is_empty()
    }

    fn encode(&mut self, q: &Rational) -> (i64, u64) {
        match (q.numer().to_i64(), q.denom().to_u64()) {
            (Some(n), Some(d)) => (n, d),
            _ => {
                self.big.push(q.clone());
                ((self.big.len() - 1) as i64, 0)
            }
        }
    }

    /// Appends a number.
    pub fn push(&mut self, q: &Rational) {
        let e = self.encode(q);
        self.small.push(e);
    }

    /// Appends `n / d`, which must be in lowest terms with `d > 0` (as a reader that reduces
    /// its fractions produces them).
    pub fn push_fraction(&mut self, n: i64, d: u64) {
        debug_assert!(d > 0 && gcd(n.unsigned_abs(), d) == 1);
        self.small.push((n, d));
    }

    /// Entry `i` (panics if out of range, as slice indexing).
    pub fn get(&self, i: usize) -> Rational {
        match self.small[i] {
            (n, 0) => self.big[n as usize].clone(),
            // Stored in lowest terms with a positive denominator.
            (n, d) => Rational::new_raw(BigInt::from(n), BigInt::from(d)),
        }
    }

    /// Entry `i` as the nearest `f64` (as [`crate::exact::to_f64`]).
    pub fn to_f64(&self, i: usize) -> f64 {
        match self.small[i] {
            // Both exact in f64, so one correctly rounded division.
            (n, d) if d != 0 && n.unsigned_abs() <= EXACT_F64 && d <= EXACT_F64 => {
                n as f64 / d as f64
            }
            _ => crate::exact::to_f64(&self.get(i)),
        }
    }

    /// Sets entry `i`.
    pub fn set(&mut self, i: usize, q: &Rational) {
        match (self.small[i], q.numer().to_i64(), q.denom().to_u64()) {
            (_, Some(n), Some(d)) => self.small[i] = (n, d),
            // Reuse the side entry this one already had.
            ((k, 0), _, _) => self.big[k as usize] = q.clone(),
            _ => self.small[i] = self.encode(q),
        }
    }

    /// The entries in order, each built on demand.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Rational> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// All entries as rationals (for the routines that compute on a slice of them).
    pub fn to_vec(&self) -> Vec<Rational> {
        self.iter().collect()
    }

    /// True if some entry equals `q`.
    pub fn contains(&self, q: &Rational) -> bool {
        self.iter().any(|x| &x == q)
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl PartialEq for ExactVec {
    fn eq(&self, other: &Self) -> bool {
        // A value that fits is always stored as a fraction, so a fraction never equals a side
        // entry.
        self.len() == other.len()
            && self
                .small
                .iter()
                .zip(&other.small)
                .all(|(a, b)| match (a, b) {
                    ((x, 0), (y, 0)) => self.big[*x as usize] == other.big[*y as usize],
                    _ => a == b,
                })
    }
}

impl From<Vec<Rational>> for ExactVec {
    fn from(v: Vec<Rational>) -> Self {
        v.iter().collect()
    }
}

impl<'a> FromIterator<&'a Rational> for ExactVec {
    fn from_iter<I: IntoIterator<Item = &'a Rational>>(it: I) -> Self {
        let it = it.into_iter();
        let mut v = ExactVec::with_capacity(it.size_hint().0);
        for q in it {
            v.push(q);
        }
        v
    }
}

impl FromIterator<Rational> for ExactVec {
    fn from_iter<I: IntoIterator<Item = Rational>>(it: I) -> Self {
        let it = it.into_iter();
        let mut v = ExactVec::with_capacity(it.size_hint().0);
        for q in it {
            v.push(&q);
        }
        v
    }
}

impl Game {
    /// A game with all payoffs and probabilities zero (to be filled in).
    pub fn zeroed(tree: Arc<Tree>) -> Self {
        let n = tree.nodes.len();
        let m = tree.leaves.len() * tree.n_players();
        Game {
            tree,
            chance: vec![0.0; n],
            payoffs: vec![0.0; m],
            exact: None,
        }
    }

    /// Number of players.
    #[inline(always)]
    pub fn n_players(&self) -> usize {
        self.tree.players.len()
    }

    /// Payoffs of all players at a leaf.
    #[inline(always)]
    pub fn leaf_payoffs(&self, leaf: LeafId) -> &[f64] {
        let np = self.n_players();
        &self.payoffs[leaf.ix() * np..(leaf.ix() + 1) * np]
    }

    /// One player's payoff at a leaf.
    #[inline(always)]
    pub fn payoff(&self, leaf: LeafId, player: PlayerId) -> f64 {
        self.payoffs[leaf.ix() * self.n_players() + player.ix()]
    }

    /// Probability of the chance move into `child`.
    #[inline(always)]
    pub fn chance_prob(&self, child: NodeId) -> f64 {
        self.chance[child.ix()]
    }

    /// Largest absolute payoff (at least 1): the scale for tolerances.
    pub fn payoff_scale(&self) -> f64 {
        self.payoffs.iter().fold(1.0f64, |m, &x| m.max(x.abs()))
    }

    /// Each player's smallest and largest payoff over the leaves: the ranges that tolerances
    /// are relative to.
    pub fn payoff_ranges(&self) -> Vec<(f64, f64)> {
        super::strategic::ranges(&self.payoffs, self.n_players())
    }

    /// True if the payoffs of two players sum to one constant at every leaf: decided exactly
    /// when the numbers are exact, else within `tol` relative to the players' payoff ranges.
    pub fn is_constant_sum(&self, tol: f64) -> bool {
        if self.n_players() != 2 || self.tree.leaves.is_empty() {
            return false;
        }
        if let Some(ex) = &self.exact {
            return constant_sum_exact(&ex.payoffs.to_vec());
        }
        constant_sum_float(&self.payoffs, tol)
    }
}

/// Two players' payoffs (`[profile * 2 + player]`) sum to one constant, exactly.
pub fn constant_sum_exact(payoffs: &[Rational]) -> bool {
    let mut rows = payoffs.chunks_exact(2);
    let Some(first) = rows.next() else {
        return true;
    };
    let c = &first[0] + &first[1];
    rows.all(|p| &p[0] + &p[1] == c)
}

/// Two players' payoffs sum to one constant within `tol` times the larger payoff range (with
/// a floor from floating-point precision).
pub fn constant_sum_float(payoffs: &[f64], tol: f64) -> bool {
    let r = super::strategic::ranges(payoffs, 2);
    let width = (r[0].1 - r[0].0).max(r[1].1 - r[1].0);
    let mag = payoffs.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    let eps = (tol * width).max(16.0 * f64::EPSILON * mag);
    let Some(first) = payoffs.chunks_exact(2).next() else {
        return true;
    };
    let c = first[0] + first[1];
    payoffs
        .chunks_exact(2)
        .all(|p| (p[0] + p[1] - c).abs() <= eps)
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_traits::One;

    fn q(n: i128, d: i128) -> Rational {
        Rational::new(BigInt::from(n), BigInt::from(d))
    }

    #[test]
    fn compact_store_keeps_every_value_exactly() {
        let huge = q(i128::MAX, 3);
        let wide = q(1, u64::MAX as i128 + 2);
        let vals = vec![
            q(0, 1),
            q(-347, 100),
            q(i64::MIN as i128, 1),
            q(1, u64::MAX as i128),
            huge.clone(),
            wide.clone(),
            q(2, 6),
        ];
        let v = ExactVec::from(vals.clone());
        assert_eq!(v.to_vec(), vals);
        assert_eq!(v.len(), vals.len());
        assert!(v.contains(&huge) && !v.contains(&q(5, 7)));
        for (i, x) in vals.iter().enumerate() {
            assert_eq!(v.to_f64(i).to_bits(), crate::exact::to_f64(x).to_bits());
        }
        // Setting: small over big, big over big, big over small; equality is by value.
        let mut w = v.clone();
        w.set(4, &Rational::one());
        w.set(5, &huge);
        w.set(0, &wide);
        assert_eq!(w.get(4), Rational::one());
        assert_eq!(w.get(5), huge);
        assert_eq!(w.get(0), wide);
        assert_ne!(w, v);
        w.set(0, &q(0, 1));
        w.set(4, &huge);
        w.set(5, &wide);
        assert_eq!(w, v);
        let mut z = ExactVec::zeros(2);
        z.push_fraction(-1, 2);
        assert_eq!(z.to_vec(), vec![q(0, 1), q(0, 1), q(-1, 2)]);
    }
}
