//! A game at one parameter point: the shared tree plus its numbers.
//!
//! `Game` is what every extensive-form solver receives. Its numeric vectors are indexed by arena
//! ids (chance probabilities by the child node a chance move leads to, payoffs by leaf and
//! player), so a sweep refills them in place with no allocation.

use super::ids::{LeafId, NodeId, PlayerId};
use super::tree::Tree;
use crate::exact::Rational;
use num_bigint::BigInt;
use num_traits::{Num, One, Signed, ToPrimitive, Zero};
use std::cmp::Ordering;
use std::num::NonZeroU64;
use std::ops::{Add, Div, Mul, Neg, Rem, Sub};
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
/// [`ExactNumbers::chance`] and [`ExactNumbers::payoffs`]. A game without chance moves
/// ([`ExactNumbers::without_chance`]) stores no probabilities at all (16 bytes a node in a
/// big tree): the hot loops read [`ExactNumbers::chance_values`], empty then, and the zeros
/// are made only if something asks for [`ExactNumbers::chance`].
#[derive(Clone, Debug)]
pub struct ExactNumbers {
    chance: std::sync::OnceLock<ExactVec>,
    /// The length of the chance vector (the number of nodes).
    n_chance: usize,
    payoffs: ExactVec,
}

impl PartialEq for ExactNumbers {
    fn eq(&self, other: &Self) -> bool {
        let chance_eq = match (self.chance.get(), other.chance.get()) {
            (None, None) => self.n_chance == other.n_chance,
            _ => self.chance() == other.chance(),
        };
        chance_eq && self.payoffs == other.payoffs
    }
}

impl ExactNumbers {
    /// The numbers `chance` (as [`Game::chance`]) and `payoffs` (as [`Game::payoffs`]).
    pub fn new(chance: impl Into<ExactVec>, payoffs: impl Into<ExactVec>) -> Self {
        let chance = chance.into();
        ExactNumbers {
            n_chance: chance.len(),
            chance: chance.into(),
            payoffs: payoffs.into(),
        }
    }

    /// The numbers of a game of `n_nodes` nodes none of which is a chance node: every chance
    /// probability is zero.
    pub fn without_chance(n_nodes: usize, payoffs: impl Into<ExactVec>) -> Self {
        ExactNumbers {
            chance: std::sync::OnceLock::new(),
            n_chance: n_nodes,
            payoffs: payoffs.into(),
        }
    }

    /// As [`Game::chance`].
    pub fn chance(&self) -> &ExactVec {
        self.chance.get_or_init(|| ExactVec::zeros(self.n_chance))
    }

    /// The chance probabilities for loops that read them only at the children of chance
    /// nodes: as [`ExactNumbers::chance`], or empty for a game made
    /// [`without_chance`](ExactNumbers::without_chance) (which has no such node).
    #[inline]
    pub fn chance_values(&self) -> &[Fraction] {
        self.chance.get().map_or(&[], ExactVec::values)
    }

    /// As [`Game::payoffs`].
    pub fn payoffs(&self) -> &ExactVec {
        &self.payoffs
    }

    /// As [`Game::chance`], to change.
    pub fn chance_mut(&mut self) -> &mut ExactVec {
        self.chance();
        self.chance.get_mut().expect("made just above")
    }

    /// As [`Game::payoffs`], to change.
    pub fn payoffs_mut(&mut self) -> &mut ExactVec {
        &mut self.payoffs
    }
}

/// A compact exact rational: a reduced fraction of machine integers when the value fits (16
/// bytes, no heap), else a boxed [`Rational`].
///
/// The representation is canonical (a value that fits is always `Small`), so `==` is equality
/// of values. Arithmetic runs in `i128` and falls back to [`Rational`] when a result does not
/// fit, so every result is exact; only the speed differs. It implements
/// [`Scalar`](crate::exact::Scalar), so the generic exact routines (regrets, expected payoffs,
/// backward induction) run on it directly over an [`ExactVec`]'s entries, without building a
/// big rational per number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fraction {
    /// `n / d` in lowest terms.
    Small(i64, NonZeroU64),
    /// A value that does not fit (normalised).
    Big(Box<Rational>),
}

/// 2^53: integers up to this size are exact in an `f64`.
const EXACT_F64: u64 = 1 << 53;

/// Stein's binary gcd of two unsigned integers of one width.
macro_rules! binary_gcd {
    ($a:expr, $b:expr) => {{
        let (mut a, mut b) = ($a, $b);
        if a == 0 {
            return b;
        }
        if b == 0 {
            return a;
        }
        let shift = (a | b).trailing_zeros();
        a >>= a.trailing_zeros();
        loop {
            b >>= b.trailing_zeros();
            if a > b {
                std::mem::swap(&mut a, &mut b);
            }
            b -= a;
            if b == 0 {
                return a << shift;
            }
        }
    }};
}

fn gcd(a: u64, b: u64) -> u64 {
    binary_gcd!(a, b)
}

/// The gcd of two 128-bit integers (by the 64-bit loop when both fit in 64 bits).
pub(crate) fn gcd128(a: u128, b: u128) -> u128 {
    if a <= u64::MAX as u128 && b <= u64::MAX as u128 {
        return gcd(a as u64, b as u64) as u128;
    }
    binary_gcd!(a, b)
}

impl Fraction {
    /// Zero.
    pub const ZERO: Fraction = Fraction::Small(0, NonZeroU64::MIN);
    /// One.
    pub const ONE: Fraction = Fraction::Small(1, NonZeroU64::MIN);

    /// True if the number is greater than zero.
    pub fn is_positive(&self) -> bool {
        match self {
            Fraction::Small(n, _) => *n > 0,
            Fraction::Big(q) => q.is_positive(),
        }
    }

    /// True if the number is less than zero.
    pub fn is_negative(&self) -> bool {
        match self {
            Fraction::Small(n, _) => *n < 0,
            Fraction::Big(q) => q.is_negative(),
        }
    }

    /// `n / d` with `d > 0`, reduced; `Big` only if it does not fit.
    pub fn from_i128(n: i128, d: u128) -> Fraction {
        debug_assert!(d > 0);
        let g = gcd128(n.unsigned_abs(), d).max(1);
        let (m, d) = (n.unsigned_abs() / g, d / g);
        Fraction::from_reduced(n < 0, m, d)
    }

    /// `±m / d` already in lowest terms (`d > 0`).
    fn from_reduced(neg: bool, m: u128, d: u128) -> Fraction {
        let n = if neg {
            i64::try_from(m)
                .ok()
                .and_then(i64::checked_neg)
                .or_else(|| {
                    // -2^63 fits although 2^63 does not.
                    (m == 1u128 << 63).then_some(i64::MIN)
                })
        } else {
            i64::try_from(m).ok()
        };
        match (n, u64::try_from(d).ok().and_then(NonZeroU64::new)) {
            (Some(n), Some(d)) => Fraction::Small(n, d),
            _ => {
                let m = BigInt::from(m);
                Fraction::Big(Box::new(Rational::new_raw(
                    if neg { -m } else { m },
                    BigInt::from(d),
                )))
            }
        }
    }

    /// The canonical form of a rational.
    pub fn from_rational(q: Rational) -> Fraction {
        match (
            q.numer().to_i64(),
            q.denom().to_u64().and_then(NonZeroU64::new),
        ) {
            (Some(n), Some(d)) => Fraction::Small(n, d),
            _ => Fraction::Big(Box::new(q)),
        }
    }

    /// The canonical form of a borrowed rational.
    pub fn from_ref(q: &Rational) -> Fraction {
        match (
            q.numer().to_i64(),
            q.denom().to_u64().and_then(NonZeroU64::new),
        ) {
            (Some(n), Some(d)) => Fraction::Small(n, d),
            _ => Fraction::Big(Box::new(q.clone())),
        }
    }

    /// The value as a [`Rational`].
    pub fn to_rational(&self) -> Rational {
        match self {
            // Stored in lowest terms with a positive denominator.
            Fraction::Small(n, d) => Rational::new_raw(BigInt::from(*n), BigInt::from(d.get())),
            Fraction::Big(q) => (**q).clone(),
        }
    }

    /// The nearest `f64` (as [`crate::exact::to_f64`]).
    pub fn to_f64(&self) -> f64 {
        match self {
            // Both exact in f64, so one correctly rounded division.
            Fraction::Small(n, d) if n.unsigned_abs() <= EXACT_F64 && d.get() <= EXACT_F64 => {
                *n as f64 / d.get() as f64
            }
            _ => crate::exact::to_f64(&self.to_rational()),
        }
    }

    fn add_ref(&self, o: &Fraction) -> Fraction {
        match (self, o) {
            (Fraction::Small(0, _), _) => o.clone(),
            (_, Fraction::Small(0, _)) => self.clone(),
            (Fraction::Small(a, b), Fraction::Small(c, d)) => {
                let (a, b, c, d) = (*a as i128, b.get() as i128, *c as i128, d.get() as i128);
                if b == d {
                    // |a + c| < 2^64.
                    return Fraction::from_i128(a + c, b as u128);
                }
                // |a·d|, |c·b| < 2^127; the sum or b·d may overflow, then the slow path.
                match (a * d).checked_add(c * b).zip(b.checked_mul(d)) {
                    Some((n, den)) => Fraction::from_i128(n, den as u128),
                    None => Fraction::from_rational(self.to_rational() + o.to_rational()),
                }
            }
            _ => Fraction::from_rational(self.to_rational() + o.to_rational()),
        }
    }

    fn neg_ref(&self) -> Fraction {
        match self {
            Fraction::Small(n, d) => match n.checked_neg() {
                Some(m) => Fraction::Small(m, *d),
                None => Fraction::from_rational(-self.to_rational()),
            },
            Fraction::Big(q) => Fraction::from_rational(-(**q).clone()),
        }
    }

    fn mul_ref(&self, o: &Fraction) -> Fraction {
        match (self, o) {
            (Fraction::Small(0, _), _) | (_, Fraction::Small(0, _)) => Fraction::ZERO,
            (Fraction::Small(1, d), _) if d.get() == 1 => o.clone(),
            (_, Fraction::Small(1, d)) if d.get() == 1 => self.clone(),
            (Fraction::Small(a, b), Fraction::Small(c, d)) => {
                // Cross-reduce: the product of two reduced fractions is then reduced.
                let (b, d) = (b.get(), d.get());
                let g1 = gcd(a.unsigned_abs(), d);
                let g2 = gcd(c.unsigned_abs(), b);
                let m = (a.unsigned_abs() / g1) as u128 * (c.unsigned_abs() / g2) as u128;
                let den = (b / g2) as u128 * (d / g1) as u128;
                Fraction::from_reduced((*a < 0) != (*c < 0), m, den)
            }
            _ => Fraction::from_rational(self.to_rational() * o.to_rational()),
        }
    }

    fn div_ref(&self, o: &Fraction) -> Fraction {
        match o {
            Fraction::Small(c, d) if *c != 0 => {
                let inv = Fraction::from_reduced(*c < 0, d.get() as u128, c.unsigned_abs() as u128);
                self.mul_ref(&inv)
            }
            // Division by zero panics here, as it does for `Rational`.
            _ => Fraction::from_rational(self.to_rational() / o.to_rational()),
        }
    }
}

impl Ord for Fraction {
    fn cmp(&self, o: &Fraction) -> Ordering {
        match (self, o) {
            (Fraction::Small(a, b), Fraction::Small(c, d)) => {
                if b == d {
                    a.cmp(c)
                } else {
                    // Both products are below 2^127 in magnitude.
                    (*a as i128 * d.get() as i128).cmp(&(*c as i128 * b.get() as i128))
                }
            }
            _ => self.to_rational().cmp(&o.to_rational()),
        }
    }
}

impl PartialOrd for Fraction {
    fn partial_cmp(&self, o: &Fraction) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl Default for Fraction {
    fn default() -> Self {
        Fraction::ZERO
    }
}

impl Zero for Fraction {
    fn zero() -> Self {
        Fraction::ZERO
    }
    fn is_zero(&self) -> bool {
        matches!(self, Fraction::Small(0, _))
    }
}

impl One for Fraction {
    fn one() -> Self {
        Fraction::ONE
    }
}

impl Num for Fraction {
    type FromStrRadixErr = <Rational as Num>::FromStrRadixErr;
    fn from_str_radix(s: &str, radix: u32) -> Result<Self, Self::FromStrRadixErr> {
        Rational::from_str_radix(s, radix).map(Fraction::from_rational)
    }
}

impl Neg for Fraction {
    type Output = Fraction;
    fn neg(self) -> Fraction {
        self.neg_ref()
    }
}

impl Add for Fraction {
    type Output = Fraction;
    fn add(self, o: Fraction) -> Fraction {
        self.add_ref(&o)
    }
}

impl Sub for Fraction {
    type Output = Fraction;
    fn sub(self, o: Fraction) -> Fraction {
        self.add_ref(&o.neg_ref())
    }
}

impl Mul for Fraction {
    type Output = Fraction;
    fn mul(self, o: Fraction) -> Fraction {
        self.mul_ref(&o)
    }
}

impl Div for Fraction {
    type Output = Fraction;
    fn div(self, o: Fraction) -> Fraction {
        self.div_ref(&o)
    }
}

impl Rem for Fraction {
    type Output = Fraction;
    fn rem(self, o: Fraction) -> Fraction {
        Fraction::from_rational(self.to_rational() % o.to_rational())
    }
}

/// A vector of exact rationals stored in 16 bytes a number ([`Fraction`]: a reduced fraction
/// of machine integers when the number fits, a boxed [`Rational`] otherwise). Read entries as
/// [`Fraction`]s ([`ExactVec::values`], [`ExactVec::at`]) to compute without building big
/// rationals, or as rationals on demand ([`ExactVec::get`], [`ExactVec::to_vec`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExactVec {
    values: Vec<Fraction>,
}

impl ExactVec {
    /// `n` zeros.
    pub fn zeros(n: usize) -> Self {
        ExactVec {
            values: vec![Fraction::ZERO; n],
        }
    }

    /// An empty vector with room for `n` numbers.
    pub fn with_capacity(n: usize) -> Self {
        ExactVec {
            values: Vec::with_capacity(n),
        }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// True if there is no entry.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The entries, as compact fractions (no copy).
    #[inline]
    pub fn values(&self) -> &[Fraction] {
        &self.values
    }

    /// A vector of the given fractions.
    pub fn from_values(values: Vec<Fraction>) -> Self {
        ExactVec { values }
    }

    /// The entries, as a vector of fractions.
    pub fn into_values(self) -> Vec<Fraction> {
        self.values
    }

    /// Entry `i` as a compact fraction (panics if out of range, as slice indexing).
    #[inline]
    pub fn at(&self, i: usize) -> &Fraction {
        &self.values[i]
    }

    /// Appends a number.
    pub fn push(&mut self, q: &Rational) {
        self.values.push(Fraction::from_ref(q));
    }

    /// Appends a compact fraction.
    #[inline]
    pub fn push_value(&mut self, q: Fraction) {
        self.values.push(q);
    }

    /// Appends `n / d`, which must be in lowest terms with `d > 0` (as a reader that reduces
    /// its fractions produces them).
    #[inline]
    pub fn push_fraction(&mut self, n: i64, d: u64) {
        debug_assert!(d > 0 && gcd(n.unsigned_abs(), d) == 1);
        self.values.push(match NonZeroU64::new(d) {
            Some(d) => Fraction::Small(n, d),
            // Not reached under the contract above; still exact if it were.
            None => Fraction::from_rational(Rational::from_integer(n.into()) / Rational::zero()),
        });
    }

    /// Appends entry `i` of `other`.
    #[inline]
    pub fn push_from(&mut self, other: &ExactVec, i: usize) {
        self.values.push(other.values[i].clone());
    }

    /// Entry `i` as a machine fraction `(n, d)` (lowest terms, `d > 0`), or `None` when it
    /// does not fit (then [`ExactVec::get`] builds it).
    #[inline]
    pub fn fraction(&self, i: usize) -> Option<(i64, u64)> {
        match &self.values[i] {
            Fraction::Small(n, d) => Some((*n, d.get())),
            Fraction::Big(_) => None,
        }
    }

    /// The entries as the nearest `f64`s.
    pub fn to_f64s(&self) -> Vec<f64> {
        self.values.iter().map(Fraction::to_f64).collect()
    }

    /// Entry `i` (panics if out of range, as slice indexing).
    pub fn get(&self, i: usize) -> Rational {
        self.values[i].to_rational()
    }

    /// Entry `i` as the nearest `f64` (as [`crate::exact::to_f64`]).
    pub fn to_f64(&self, i: usize) -> f64 {
        self.values[i].to_f64()
    }

    /// Sets entry `i`.
    pub fn set(&mut self, i: usize, q: &Rational) {
        self.values[i] = Fraction::from_ref(q);
    }

    /// The entries in order, each built on demand.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Rational> + '_ {
        self.values.iter().map(Fraction::to_rational)
    }

    /// All entries as rationals (for the routines that compute on a slice of them).
    pub fn to_vec(&self) -> Vec<Rational> {
        self.iter().collect()
    }

    /// True if some entry equals `q`.
    pub fn contains(&self, q: &Rational) -> bool {
        let q = Fraction::from_ref(q);
        self.values.contains(&q)
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
            return constant_sum_exact(ex.payoffs.values());
        }
        constant_sum_float(&self.payoffs, tol)
    }
}

/// Two players' payoffs (`[profile * 2 + player]`) sum to one constant, exactly.
pub fn constant_sum_exact<T: crate::exact::Scalar>(payoffs: &[T]) -> bool {
    let mut rows = payoffs.chunks_exact(2);
    let Some(first) = rows.next() else {
        return true;
    };
    let c = first[0].clone() + first[1].clone();
    rows.all(|p| p[0].clone() + p[1].clone() == c)
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
    fn fractions_are_sixteen_bytes() {
        assert_eq!(std::mem::size_of::<Fraction>(), 16);
    }

    #[test]
    fn fraction_arithmetic_equals_rational_arithmetic() {
        let m = i64::MAX as i128;
        let u = u64::MAX as i128;
        let vals = [
            q(0, 1),
            q(1, 1),
            q(-1, 1),
            q(-347, 100),
            q(1, 3),
            q(2, 3),
            q(i64::MIN as i128, 1),
            q(m, 1),
            q(1, u),
            q(-1, u),
            q(m, u),
            q(i64::MIN as i128, u - 2),
            q(u, 1),
            q(1, u + 2),
            q(i128::MAX, 7),
            q(3, 1 << 62),
            q(-5, 1 << 63),
        ];
        for a in &vals {
            let fa = Fraction::from_ref(a);
            assert_eq!(fa.to_rational(), *a);
            assert_eq!(Fraction::from_rational(a.clone()), fa, "canonical {a}");
            assert_eq!(fa.to_f64().to_bits(), crate::exact::to_f64(a).to_bits());
            assert_eq!(-fa.clone(), Fraction::from_rational(-a.clone()));
            for b in &vals {
                let fb = Fraction::from_ref(b);
                let sum = fa.clone() + fb.clone();
                assert_eq!(sum, Fraction::from_rational(a + b), "{a} + {b}");
                assert_eq!(
                    fa.clone() - fb.clone(),
                    Fraction::from_rational(a - b),
                    "{a} - {b}"
                );
                assert_eq!(
                    fa.clone() * fb.clone(),
                    Fraction::from_rational(a * b),
                    "{a} * {b}"
                );
                if !b.is_zero() {
                    assert_eq!(
                        fa.clone() / fb.clone(),
                        Fraction::from_rational(a / b),
                        "{a} / {b}"
                    );
                }
                assert_eq!(fa.cmp(&fb), a.cmp(b), "{a} <> {b}");
                assert_eq!(fa == fb, a == b);
            }
        }
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
