//! Gambit `.efg` files: extensive-form games.
//!
//! The reader streams: each node is read straight from the bytes when it has one of the
//! one-line shapes big files are written in (the `fast` submodule), else through one token of
//! lookahead ([`Scan`]), into per-node tables in file (prefix) order, with an explicit stack (no
//! recursion, so a chain a million moves deep reads fine); information-set descriptions, move
//! labels and outcomes are stored once and nodes point at them (found by number in dense
//! vectors), and payoffs stay compact fractions (an
//! [`ExactVec`]) until the game is laid out breadth-first into the [`Tree`] arena at the end.
//! The tables do not borrow the text, so [`read_located_owned`] drops it before the layout.
//! Within one depth, breadth-first order is file order, so the layout reads the file-order
//! tables forward, one depth after another, rather than at random. A 10^6-node file thus
//! costs a few tens of bytes per node beyond the game itself (docs/benchmarks.md). Gambit lets
//! an outcome sit on any node and a play's payoff is the sum of the outcomes along its path; the
//! reader pushes those sums down onto the leaves, since a [`Game`] holds payoffs at leaves only.
//! Node names, move labels and information-set names are kept; a terminal node without a name
//! takes its outcome's name. Leaves carry no event tags.
//!
//! [`write`] produces a valid `.efg` with one outcome per leaf, so reading it back gives an
//! equal [`Game`].
//!
//! Numbers are kept exactly as written ([`Game::exact`]): payoffs, their sums along paths and
//! chance probabilities are rationals, and the floats are their roundings. A payoff, or a sum
//! of outcomes along a path, beyond the range of `f64` is an error located at its node; chance
//! probabilities that sum to 1 only within [`PROB_SUM_TOL`] (decimals rounded by hand) are
//! rescaled to sum to exactly 1.

use super::lexer::{format_number, quote};
use super::num::Q;
use super::scan::{Kind, Scan};
use super::FormatError;
use crate::exact::{self, Rational};
use crate::game::tree::{Leaf, NO_PARENT};
use crate::game::{
    ExactNumbers, ExactVec, Game, Infoset, InfosetId, Labels, LabelsBuilder, LeafId, Node, NodeId,
    NodeKind, PlayerId, TextLabels, Tree, TreeError,
};
use num_traits::{One, Zero};
use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

mod fast;

/// Chance probabilities may miss 1 by this much (rationals written as rounded decimals).
pub const PROB_SUM_TOL: f64 = 1e-6;

/// Who moves at a node, in the reader's per-node table.
const TERMINAL: u32 = 0;
const CHANCE: u32 = 1;
/// Player `p` (0-based) is stored as `PLAYER0 + p`.
const PLAYER0: u32 = 2;
/// "None" in the reader's `u32` links.
const NONE: u32 = u32::MAX;

/// An information set's description, as first given: its name (an id of
/// [`Reader::strings`]), its labels (a range of [`Reader::set_labels`]: start and count) and,
/// for chance, the start of its probabilities in [`Reader::probs`] (else [`NONE`]).
struct Desc {
    name: u32,
    labels: (u32, u32),
    probs: u32,
}

/// A node waiting for its children.
struct Frame {
    n_children: u32,
    next: u32,
    last_child: u32,
    /// Entry of [`Reader::sums`] holding the outcomes summed down to this node.
    sum: u32,
}

/// The numbers a file gives information sets and outcomes, mapped to the reader's ids: a
/// vector while the numbers are dense (as Gambit writes them: 1, 2, …), a hash table for
/// numbers far beyond what has been read (so that one huge number cannot take memory).
#[derive(Default)]
struct NumMap {
    dense: Vec<u32>,
    sparse: HashMap<usize, u32>,
}

impl NumMap {
    #[inline]
    fn get(&self, k: usize) -> Option<u32> {
        match self.dense.get(k) {
            Some(&v) if v != NONE => Some(v),
            _ if self.sparse.is_empty() => None,
            _ => self.sparse.get(&k).copied(),
        }
    }

    /// Maps `k` (not mapped yet) to `v`; the vector grows up to index `limit`.
    fn insert(&mut self, k: usize, v: u32, limit: usize) {
        if k >= self.dense.len() && k <= limit {
            self.dense.resize(k + 1, NONE);
        }
        match self.dense.get_mut(k) {
            Some(slot) => *slot = v,
            None => {
                self.sparse.insert(k, v);
            }
        }
    }
}

/// Distinct strings (information-set and outcome names) with 4-byte ids; id 0 is `""`.
struct Strings {
    values: Vec<String>,
    ix: HashMap<String, u32>,
}

impl Strings {
    fn new() -> Self {
        Strings {
            values: vec![String::new()],
            ix: HashMap::default(),
        }
    }

    #[inline]
    fn id(&mut self, s: &str) -> u32 {
        if s.is_empty() {
            return 0;
        }
        if let Some(&id) = self.ix.get(s) {
            return id;
        }
        let id = self.values.len() as u32;
        self.values.push(s.to_string());
        self.ix.insert(s.to_string(), id);
        id
    }
}

/// Entry `i` of an exact vector as a [`Q`].
#[inline]
fn q_at(v: &ExactVec, i: usize) -> Q {
    match v.fraction(i) {
        Some((n, d)) => Q::Small(n, d),
        None => Q::Big(Box::new(v.get(i))),
    }
}

/// Appends a [`Q`] to an exact vector.
#[inline]
fn push_q(v: &mut ExactVec, q: &Q) {
    match q {
        Q::Small(n, d) => v.push_fraction(*n, *d),
        Q::Big(b) => v.push(b),
    }
}

/// A read in progress: the scanner and the tables it fills.
struct Reader<'a> {
    s: Scan<'a>,
    t: Tables,
    /// Whether nodes are first tried on the byte-level fast path ([`fast`]).
    fast: bool,
}

/// What a read has gathered: the nodes in file (prefix) order, with the interned tables they
/// point into. It does not borrow the text, which can be dropped before the arena is laid out.
struct Tables {
    np: usize,
    /// By player, then by the file's set number: description.
    player_sets: Vec<NumMap>,
    chance_sets: NumMap,
    descs: Vec<Desc>,
    /// Label ids of all descriptions, each a range.
    set_labels: Vec<u32>,
    /// Chance probabilities of all chance descriptions, each a range.
    probs: Vec<Rational>,
    /// Distinct move labels, by id.
    labels: Vec<String>,
    label_ix: HashMap<String, u32>,
    /// Information-set and outcome names.
    strings: Strings,
    /// Outcome number -> index of `outs`: (name, entry of `sums`).
    outcome_ix: NumMap,
    outs: Vec<(u32, u32)>,
    /// Payoff vectors, `np` numbers each: entry 0 is zero, then every outcome and every sum of
    /// outcomes along a path that has more than one.
    sums: ExactVec,
    /// By node (file order): who moves (see [`TERMINAL`]), description, name, next sibling,
    /// payoff entry (leaves), line and column.
    who: Vec<u32>,
    desc_of: Vec<u32>,
    names: LabelsBuilder<String>,
    next_sibling: Vec<u32>,
    sum_of: Vec<u32>,
    pos: Vec<(u32, u32)>,
    n_leaves: usize,
    /// Scratch for a description or an outcome being read.
    scratch_labels: Vec<u32>,
    /// The labels of the description read before (a file usually repeats them, so a label is
    /// first compared with the one at its place there, before any hashing).
    prev_labels: Vec<u32>,
    scratch_probs: Vec<Rational>,
    scratch_pay: Vec<Q>,
    /// Label ranges of a description read by the fast path ([`fast`]).
    fast_labels: Vec<(u32, u32)>,
    /// Nodes the fast path read.
    n_fast: usize,
}

/// Reads a `.efg` file.
pub fn read(src: &str) -> Result<Game, FormatError> {
    Ok(read_located(src)?.0)
}

/// Where each node of a game read from a `.efg` file is in the file.
///
/// The places are kept in file order with the arena's order beside them (both made while
/// reading anyway), rather than copied into arena order: a big tree's positions are read at
/// most once or twice, for a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Positions {
    /// Line and column of each node, in file order.
    by_file: Vec<(u32, u32)>,
    /// The file-order index of each arena node.
    order: Vec<u32>,
}

impl Positions {
    /// Line and column (1-based) of a node, if it is in the game.
    pub fn get(&self, node: NodeId) -> Option<(u32, u32)> {
        let &k = self.order.get(node.ix())?;
        self.by_file.get(k as usize).copied()
    }

    /// Line and column of every node, by arena id.
    pub fn to_vec(&self) -> Vec<(u32, u32)> {
        self.order
            .iter()
            .map(|&k| self.by_file[k as usize])
            .collect()
    }
}

/// Reads a `.efg` file; also returns the line and column of every node of the game (for
/// messages that point into the file, such as imperfect recall).
pub fn read_located(src: &str) -> Result<(Game, Positions), FormatError> {
    let (t, title, players) = parse(src, true)?;
    t.finish(title, players)
}

/// [`read_located`] taking the text: it is dropped as soon as it is parsed, before the arena is
/// laid out, so that the text and the whole arena are never in memory together.
pub fn read_located_owned(src: impl AsRef<str>) -> Result<(Game, Positions), FormatError> {
    let (t, title, players) = parse(src.as_ref(), true)?;
    drop(src);
    t.finish(title, players)
}

/// Parses the text into [`Tables`]; also returns the title and the players. With `fast`,
/// each node is first tried on the byte-level fast path ([`fast`]); either way the result is
/// the same.
fn parse(src: &str, fast: bool) -> Result<(Tables, String, Vec<String>), FormatError> {
    let mut s = Scan::new(src)?;
    let magic = s.word("`EFG`")?;
    if magic != "EFG" {
        return Err(s.error_prev(format!("expected `EFG`, found `{magic}`")));
    }
    let version = s.number("the format version `2`")?;
    if version != 2.0 {
        return Err(s.error_prev(format!("unsupported .efg version {version}; expected 2")));
    }
    if s.peek() == Kind::Word {
        s.word("`R` or `D`")?;
    }
    let title = s.string("the game title")?.into_owned();
    let players = s.string_list("player list")?;
    let _comment = s.opt_string()?;
    let np = players.len();
    // A node takes at least 8 bytes of text (`t "" 0 `): a capacity hint that cannot blow up
    // (capacity not filled is address space, not memory).
    let hint = src.len() / 16;
    // Payoff vectors: at most one per node, and a payoff takes at least 2 bytes of text; the
    // room is reserved so that the vector is never copied as it grows.
    let mut sums = ExactVec::with_capacity((hint * np).min(src.len() / 2) + np);
    (0..np).for_each(|_| sums.push_fraction(0, 1));
    let mut r = Reader {
        s,
        t: Tables {
            np,
            player_sets: (0..np).map(|_| NumMap::default()).collect(),
            chance_sets: NumMap::default(),
            descs: Vec::new(),
            set_labels: Vec::new(),
            probs: Vec::new(),
            labels: Vec::new(),
            label_ix: HashMap::default(),
            strings: Strings::new(),
            outcome_ix: NumMap::default(),
            outs: Vec::new(),
            sums,
            who: Vec::with_capacity(hint),
            desc_of: Vec::with_capacity(hint),
            names: LabelsBuilder::with_capacity(hint),
            next_sibling: Vec::with_capacity(hint),
            sum_of: Vec::with_capacity(hint),
            pos: Vec::with_capacity(hint),
            n_leaves: 0,
            scratch_labels: Vec::new(),
            prev_labels: Vec::new(),
            scratch_probs: Vec::new(),
            scratch_pay: Vec::new(),
            fast_labels: Vec::new(),
            n_fast: 0,
        },
        fast,
    };
    let mut stack: Vec<Frame> = Vec::new();
    loop {
        let fast = if r.fast { r.fast_node() } else { None };
        let (p, outcome) = match fast {
            Some(x) => x,
            None => r.node()?,
        };
        let above = stack.last().map_or(0, |f| f.sum);
        let sum = match outcome {
            None => above,
            Some(e) if above == 0 => e,
            Some(e) => r.add_sums(above, e),
        };
        if let Some(f) = stack.last_mut() {
            if f.next > 0 {
                r.t.next_sibling[f.last_child as usize] = p;
            }
            f.last_child = p;
            f.next += 1;
        }
        let who = r.t.who[p as usize];
        if who == TERMINAL {
            r.t.sum_of[p as usize] = sum;
            r.t.n_leaves += 1;
        } else {
            let d = &r.t.descs[r.t.desc_of[p as usize] as usize];
            stack.push(Frame {
                n_children: d.labels.1,
                next: 0,
                last_child: NONE,
                sum,
            });
        }
        while stack.last().is_some_and(|f| f.next == f.n_children) {
            stack.pop();
        }
        if stack.is_empty() {
            break;
        }
    }
    if !r.s.at_end() {
        return Err(r.s.error("unexpected text after the last node of the tree"));
    }
    Ok((r.t, title, players))
}

impl<'a> Reader<'a> {
    /// How far the dense number maps may grow: proportional to what has been read.
    fn dense_limit(&self) -> usize {
        2 * self.t.who.len() + 1024
    }

    /// Stores the payoffs read into [`Tables::scratch_pay`] as outcome `num` named `name`;
    /// returns its name id and payoff entry.
    fn store_outcome(&mut self, num: usize, name: u32) -> (u32, u32) {
        let e = (self.t.sums.len() / self.t.np.max(1)) as u32;
        for q in &self.t.scratch_pay {
            push_q(&mut self.t.sums, q);
        }
        let o = self.t.outs.len() as u32;
        self.t.outs.push((name, e));
        let limit = self.dense_limit();
        self.t.outcome_ix.insert(num, o, limit);
        (name, e)
    }

    /// Parses one node; returns its index and the payoff entry of its own outcome, if any.
    fn node(&mut self) -> Result<(u32, Option<u32>), FormatError> {
        let at = self.s.here32();
        let kind = self.s.word("a node (`p`, `c` or `t`)")?;
        let name = self.s.string("the node name")?;
        let (who, desc) = match kind {
            "t" => (TERMINAL, NONE),
            "c" => {
                let num = self.s.index("a chance information-set number")?;
                (CHANCE, self.set_desc(true, num, 0)?)
            }
            "p" => {
                let player = self.s.index("a player number")?;
                if player == 0 || player > self.t.np {
                    return Err(self.s.error_prev(format!(
                        "player {player} does not exist (players are 1..{})",
                        self.t.np
                    )));
                }
                let num = self.s.index("an information-set number")?;
                // player <= np, a count of strings in memory.
                (
                    PLAYER0 + (player - 1) as u32,
                    self.set_desc(false, num, player)?,
                )
            }
            w => {
                return Err(self
                    .s
                    .error_prev(format!("expected `p`, `c` or `t`, found `{w}`")))
            }
        };
        let outcome = self.outcome()?;
        let name = match (who, name.is_empty(), outcome) {
            (TERMINAL, true, Some((oname, _))) => self.t.strings.values[oname as usize].clone(),
            _ => name.into_owned(),
        };
        let id = self.t.who.len();
        if id >= (u32::MAX - 1) as usize {
            return Err(FormatError::new(
                at.0 as usize,
                at.1 as usize,
                TreeError::TooLarge.to_string(),
            ));
        }
        self.t.who.push(who);
        self.t.desc_of.push(desc);
        self.t.names.push(name);
        self.t.next_sibling.push(NONE);
        self.t.sum_of.push(0);
        self.t.pos.push(at);
        Ok((id as u32, outcome.map(|o| o.1)))
    }

    /// An information set's number has been read; reads or looks up its description.
    fn set_desc(&mut self, chance: bool, num: usize, player: usize) -> Result<u32, FormatError> {
        let given = match self.s.peek() {
            Kind::Str | Kind::Open => Some(self.read_desc(chance)?),
            _ => None,
        };
        let known = if chance {
            self.t.chance_sets.get(num)
        } else {
            self.t.player_sets[player - 1].get(num)
        };
        match (known, given) {
            (Some(k), Some(name)) => {
                let d = &self.t.descs[k as usize];
                let (a, n) = (d.labels.0 as usize, d.labels.1 as usize);
                let probs_differ = d.probs != NONE
                    && self.t.probs[d.probs as usize..d.probs as usize + n]
                        != self.t.scratch_probs[..];
                if self.t.set_labels[a..a + n] != self.t.scratch_labels[..]
                    || probs_differ
                    || (name != 0 && name != d.name)
                {
                    return Err(self.s.error_prev(format!(
                        "information set {num} is described differently before"
                    )));
                }
                Ok(k)
            }
            (Some(k), None) => Ok(k),
            (None, Some(name)) => {
                let k = self.t.descs.len() as u32;
                let start = self.t.set_labels.len() as u32;
                self.t.set_labels.extend_from_slice(&self.t.scratch_labels);
                let probs = if chance {
                    let p = self.t.probs.len() as u32;
                    self.t.probs.append(&mut self.t.scratch_probs);
                    p
                } else {
                    NONE
                };
                self.t.descs.push(Desc {
                    name,
                    labels: (start, self.t.scratch_labels.len() as u32),
                    probs,
                });
                let limit = self.dense_limit();
                if chance {
                    self.t.chance_sets.insert(num, k, limit);
                } else {
                    self.t.player_sets[player - 1].insert(num, k, limit);
                }
                Ok(k)
            }
            (None, None) => Err(self.s.error(format!(
                "information set {num} appears without its actions for the first time"
            ))),
        }
    }

    /// `["name"] { "a" [prob] … }` into the scratch label and probability lists; returns the
    /// name's id.
    fn read_desc(&mut self, chance: bool) -> Result<u32, FormatError> {
        let name = match self.s.opt_string()? {
            Some(s) => self.t.strings.id(&s),
            None => 0,
        };
        self.s.open("`{` opening the action list")?;
        std::mem::swap(&mut self.t.scratch_labels, &mut self.t.prev_labels);
        self.t.scratch_labels.clear();
        self.t.scratch_probs.clear();
        while !self.s.eat_close() {
            let label = self.s.string("an action name or `}`")?;
            let at = self.t.scratch_labels.len();
            let id = match self.t.prev_labels.get(at) {
                Some(&id) if self.t.labels[id as usize] == label => Some(id),
                _ => self.t.label_ix.get(label.as_ref()).copied(),
            };
            let id = match id {
                Some(id) => id,
                None => {
                    let id = self.t.labels.len() as u32;
                    self.t.labels.push(label.to_string());
                    self.t.label_ix.insert(label.into_owned(), id);
                    id
                }
            };
            self.t.scratch_labels.push(id);
            if chance {
                let (p, f) = self.s.number_exact("the action's probability")?;
                if f < 0.0 {
                    return Err(self.s.error_prev("negative chance probability"));
                }
                self.t.scratch_probs.push(p.to_rational());
                self.s.eat_comma();
            }
        }
        if self.t.scratch_labels.is_empty() {
            return Err(self
                .s
                .error_prev("an information set needs at least one action"));
        }
        if chance {
            let sum = self
                .t
                .scratch_probs
                .iter()
                .fold(Rational::zero(), |a, p| a + p);
            if !sum.is_one() {
                let s = exact::to_f64(&sum);
                if (s - 1.0).abs() > PROB_SUM_TOL {
                    return Err(self
                        .s
                        .error_prev(format!("chance probabilities sum to {s}, not 1")));
                }
                // Rounded decimals (0.333 0.333 0.334 is fine; 0.3333 0.3333 0.3333 is
                // rescaled): the exact probabilities must sum to 1.
                self.t
                    .scratch_probs
                    .iter_mut()
                    .for_each(|p| *p = &*p / &sum);
            }
        }
        Ok(name)
    }

    /// Reads `OUTCOME ["name" { payoffs }]`; returns the name's id and the payoff entry of a
    /// non-zero outcome.
    fn outcome(&mut self) -> Result<Option<(u32, u32)>, FormatError> {
        let num = self.s.index("an outcome number")?;
        let mut given = None;
        if matches!(self.s.peek(), Kind::Str | Kind::Open) {
            let name = match self.s.opt_string()? {
                Some(s) => self.t.strings.id(&s),
                None => 0,
            };
            self.s.open("`{` opening the payoffs")?;
            self.t.scratch_pay.clear();
            while !self.s.eat_close() {
                self.t
                    .scratch_pay
                    .push(self.s.number_exact("a payoff or `}`")?.0);
                self.s.eat_comma();
            }
            if self.t.scratch_pay.len() != self.t.np {
                return Err(self.s.error_prev(format!(
                    "outcome has {} payoffs for {} players",
                    self.t.scratch_pay.len(),
                    self.t.np
                )));
            }
            given = Some(name);
        }
        if num == 0 {
            return Ok(None);
        }
        let np = self.t.np;
        match (self.t.outcome_ix.get(num), given) {
            (Some(o), Some(name)) => {
                let (kname, e) = self.t.outs[o as usize];
                let e0 = e as usize * np;
                if kname != name
                    || (0..np).any(|k| q_at(&self.t.sums, e0 + k) != self.t.scratch_pay[k])
                {
                    return Err(self
                        .s
                        .error_prev(format!("outcome {num} is described differently before")));
                }
                Ok(Some((name, e)))
            }
            (Some(o), None) => Ok(Some(self.t.outs[o as usize])),
            (None, Some(name)) => Ok(Some(self.store_outcome(num, name))),
            (None, None) => Err(self.s.error(format!(
                "outcome {num} appears without its payoffs for the first time"
            ))),
        }
    }

    /// A new payoff entry: the sum of entries `a` and `b`.
    fn add_sums(&mut self, a: u32, b: u32) -> u32 {
        let np = self.t.np;
        let e = (self.t.sums.len() / np.max(1)) as u32;
        for k in 0..np {
            let x = q_at(&self.t.sums, a as usize * np + k)
                .add(&q_at(&self.t.sums, b as usize * np + k));
            push_q(&mut self.t.sums, &x);
        }
        e
    }
}

impl Tables {
    /// Numbers the nodes breadth-first (the arena's order), groups information sets and lays
    /// out probabilities and payoffs by arena id.
    fn finish(self, title: String, players: Vec<String>) -> Result<(Game, Positions), FormatError> {
        let np = self.np;
        let Tables {
            who,
            desc_of,
            names,
            next_sibling,
            sum_of,
            pos: pos_pre,
            descs,
            set_labels,
            probs,
            labels,
            sums,
            strings,
            n_leaves,
            ..
        } = self;
        let n = who.len();
        let mut order: Vec<u32> = Vec::with_capacity(n);
        let mut nodes: Vec<Node> = Vec::with_capacity(n);
        let (name_values, names_pre) = names.finish().into_parts();
        // Per-node tables are gathered into arena order as the breadth-first loop visits the
        // nodes: within one depth, breadth-first order is file order, so every read below
        // runs forward through the file-order tables, one depth after another (a permutation
        // followed in place would miss the caches at nearly every step).
        let mut node_names: Vec<u32> = Vec::with_capacity(n);
        // Move labels are ids into `labels`, plus one for the root's empty label.
        let mut labels = labels;
        let no_label = match labels.iter().position(String::is_empty) {
            Some(k) => k as u32,
            None => {
                labels.push(String::new());
                labels.len() as u32 - 1
            }
        };
        let mut move_labels = Vec::with_capacity(n);
        // Without chance nodes every probability is zero: the floats are then one zeroed
        // allocation at the end (pages the solvers never touch stay unmapped), and no exact
        // probability is stored (`ExactNumbers::without_chance`).
        let any_chance = !probs.is_empty();
        let mut chance = ExactVec::with_capacity(if any_chance { n } else { 0 });
        let mut chance_f = Vec::with_capacity(if any_chance { n } else { 0 });
        let mut leaves = Vec::with_capacity(n_leaves);
        // Each leaf's payoff entry, in arena order.
        let mut leaf_entry: Vec<u32> = Vec::with_capacity(n_leaves);
        let mut payoffs_f = Vec::with_capacity(n_leaves * np);
        // The first leaf in file order (and player) whose payoff is beyond f64.
        let mut overflow: Option<(usize, usize)> = None;
        let mut set_of_desc = vec![NONE; descs.len()];
        let mut set_desc: Vec<u32> = Vec::new();
        let mut set_player: Vec<PlayerId> = Vec::new();
        let mut set_count: Vec<u32> = Vec::new();
        order.push(0);
        move_labels.push(no_label);
        if any_chance {
            chance.push_fraction(0, 1);
            chance_f.push(0.0);
        }
        // A node is pushed with its parent when its parent is visited (so the arena doubles as
        // the queue); the rest is filled in when it is visited itself.
        let queued = |parent: u32| Node {
            kind: NodeKind::Chance,
            parent,
            first_child: 0,
            n_children: 0,
        };
        nodes.push(queued(NO_PARENT));
        let mut head = 0;
        while head < order.len() {
            let i = head;
            let p = order[head] as usize;
            head += 1;
            node_names.push(names_pre[p]);
            let kind = match who[p] {
                TERMINAL => {
                    let entry = sum_of[p] as usize;
                    leaf_entry.push(entry as u32);
                    let e = entry * np;
                    for k in 0..np {
                        let f = sums.to_f64(e + k);
                        if !f.is_finite() && overflow.is_none_or(|o| (p, k) < o) {
                            overflow = Some((p, k));
                        }
                        payoffs_f.push(f);
                    }
                    leaves.push(Leaf {
                        node: NodeId::from(i),
                    });
                    NodeKind::Terminal {
                        leaf: LeafId::from(leaves.len() - 1),
                    }
                }
                CHANCE => NodeKind::Chance,
                w => {
                    let d = desc_of[p] as usize;
                    let player = PlayerId(w - PLAYER0);
                    if set_of_desc[d] == NONE {
                        set_of_desc[d] = set_desc.len() as u32;
                        set_desc.push(d as u32);
                        set_player.push(player);
                        set_count.push(0);
                    }
                    let set = set_of_desc[d];
                    set_count[set as usize] += 1;
                    NodeKind::Decision {
                        player,
                        infoset: InfosetId(set),
                    }
                }
            };
            let (first_child, n_children) = if who[p] == TERMINAL {
                (0, 0)
            } else {
                let d = &descs[desc_of[p] as usize];
                let first = order.len() as u32;
                let mut c = p + 1;
                for k in 0..d.labels.1 as usize {
                    order.push(c as u32);
                    nodes.push(queued(i as u32));
                    let l = set_labels[d.labels.0 as usize + k];
                    move_labels.push(l);
                    if d.probs == NONE {
                        if any_chance {
                            chance_f.push(0.0);
                            chance.push_fraction(0, 1);
                        }
                    } else {
                        let q = &probs[d.probs as usize + k];
                        chance_f.push(exact::to_f64(q));
                        chance.push(q);
                    }
                    c = next_sibling[c] as usize;
                }
                (first, d.labels.1)
            };
            let node = &mut nodes[i];
            node.kind = kind;
            node.first_child = first_child;
            node.n_children = n_children;
        }
        if let Some((p, k)) = overflow {
            let x = sums.get(sum_of[p] as usize * np + k);
            let (l, c) = pos_pre[p];
            return Err(FormatError::new(
                l as usize,
                c as usize,
                format!(
                    "the payoff of {} at this node (the sum of the outcomes on its path) \
                     is {}, beyond the range of floating-point numbers (±1.8e308)",
                    players[k],
                    if x.numer().bits() > 2000 {
                        "astronomically large".to_string()
                    } else {
                        format!("{:e}", exact::to_f64(&x))
                    }
                ),
            ));
        }
        drop((who, desc_of, next_sibling, sum_of, names_pre));
        let pos = Positions {
            by_file: pos_pre,
            order,
        };
        // Payoffs by leaf in arena order; like the tables above, read forward by depth.
        let mut payoffs = ExactVec::with_capacity(n_leaves * np);
        for &e in &leaf_entry {
            for k in 0..np {
                payoffs.push_from(&sums, e as usize * np + k);
            }
        }
        drop((leaf_entry, sums));
        // Information sets: members grouped by set, each group in arena order.
        let mut infosets = Vec::with_capacity(set_desc.len());
        let mut first_action = 0u32;
        let mut first_member = 0u32;
        for (s, &d) in set_desc.iter().enumerate() {
            let n_actions = descs[d as usize].labels.1;
            infosets.push(Infoset {
                player: set_player[s],
                n_actions,
                first_action,
                first_member,
                n_members: set_count[s],
            });
            first_action += n_actions;
            first_member += set_count[s];
        }
        let mut fill: Vec<u32> = infosets.iter().map(|s| s.first_member).collect();
        let mut infoset_members = vec![NodeId(0); first_member as usize];
        for (i, node) in nodes.iter().enumerate() {
            if let NodeKind::Decision { infoset, .. } = node.kind {
                let f = &mut fill[infoset.ix()];
                infoset_members[*f as usize] = NodeId::from(i);
                *f += 1;
            }
        }
        let infoset_names = set_desc
            .iter()
            .map(|&d| strings.values[descs[d as usize].name as usize].clone())
            .collect();
        let tree = Tree {
            title,
            player_names: players.clone(),
            players,
            infosets,
            infoset_members,
            leaves,
            leaf_tags: Default::default(),
            events: Vec::new(),
            node_names: TextLabels::from_parts(name_values, node_names),
            move_labels: TextLabels::from_parts(labels, move_labels),
            move_phrases: Labels::repeat(None, nodes.len()),
            infoset_names,
            nodes,
        };
        if !any_chance {
            chance_f = vec![0.0; tree.nodes.len()];
        }
        let game = Game {
            tree: Arc::new(tree),
            chance: chance_f,
            payoffs: payoffs_f,
            exact: Some(Arc::new(if any_chance {
                ExactNumbers::new(chance, payoffs)
            } else {
                ExactNumbers::without_chance(n, payoffs)
            })),
        };
        Ok((game, pos))
    }
}

/// A number for a written file: exact when known, else the shortest float that reads back the
/// same.
fn number(exact: Option<&Rational>, x: f64) -> String {
    match exact {
        Some(q) => exact::display(q),
        None => format_number(x),
    }
}

/// Writes a game as `.efg`.
pub fn write(game: &Game) -> String {
    let t: &Tree = &game.tree;
    let mut s = format!("EFG 2 R {} {{", quote(&t.title));
    for p in &t.players {
        s.push(' ');
        s.push_str(&quote(p));
    }
    s.push_str(" }\n\"\"\n\n");
    // Infoset numbers per player: 1, 2, … in infoset-id order.
    let mut count = vec![0usize; t.n_players()];
    let set_num: Vec<usize> = t
        .infosets
        .iter()
        .map(|set| {
            count[set.player.ix()] += 1;
            count[set.player.ix()]
        })
        .collect();
    let mut described = vec![false; t.infosets.len()];
    let mut chance_num = 0;
    let np = t.n_players();
    let mut stack = vec![0usize];
    while let Some(i) = stack.pop() {
        let n = t.nodes[i];
        let labels = || {
            n.children()
                .map(|c| quote(&t.move_labels[c]))
                .collect::<Vec<_>>()
        };
        match n.kind {
            NodeKind::Terminal { leaf } => {
                let ex = game.exact.as_deref();
                let pay: Vec<String> = (leaf.ix() * np..(leaf.ix() + 1) * np)
                    .map(|k| number(ex.map(|e| e.payoffs().get(k)).as_ref(), game.payoffs[k]))
                    .collect();
                let name = quote(&t.node_names[i]);
                s.push_str(&format!(
                    "t {name} {} {name} {{ {} }}\n",
                    leaf.ix() + 1,
                    pay.join(" ")
                ));
            }
            NodeKind::Chance => {
                chance_num += 1;
                let acts: Vec<String> = n
                    .children()
                    .zip(labels())
                    .map(|(c, l)| {
                        let ex = game.exact.as_deref().map(|e| e.chance().get(c));
                        format!("{l} {}", number(ex.as_ref(), game.chance[c]))
                    })
                    .collect();
                s.push_str(&format!(
                    "c {} {chance_num} \"\" {{ {} }} 0\n",
                    quote(&t.node_names[i]),
                    acts.join(" ")
                ));
            }
            NodeKind::Decision { player, infoset } => {
                let k = infoset.ix();
                let desc = if described[k] {
                    String::new()
                } else {
                    described[k] = true;
                    format!(
                        " {} {{ {} }}",
                        quote(&t.infoset_names[k]),
                        labels().join(" ")
                    )
                };
                s.push_str(&format!(
                    "p {} {} {}{desc} 0\n",
                    quote(&t.node_names[i]),
                    player.ix() + 1,
                    set_num[k]
                ));
            }
        }
        stack.extend(n.children().rev());
    }
    s
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::format::efg_oracle;

    /// [`read_located`] with the oracle's position type.
    fn located(src: &str) -> Result<(Game, Vec<(usize, usize)>), FormatError> {
        read_located(src).map(|(g, p)| {
            let p = p
                .to_vec()
                .into_iter()
                .map(|(l, c)| (l as usize, c as usize));
            (g, p.collect())
        })
    }

    /// A deterministic xorshift generator.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n
        }
    }

    /// A random valid `.efg` of up to about `size` nodes: chance nodes, shared information
    /// sets (described once, or again identically), outcomes on inner nodes and reused by
    /// number, names with escapes and non-ASCII letters, integers, decimals and fractions.
    pub(crate) fn random_efg(seed: u64, size: usize) -> String {
        let mut r = Rng(seed * 2 + 1);
        let np = 1 + r.below(3) as usize;
        let nums = [
            "3",
            "-1.5",
            "1/3",
            "0.1",
            "2e-3",
            "7",
            "-2/5",
            "12345678901.25",
        ];
        let mut s = format!("EFG 2 R \"g{seed}\" {{");
        for p in 0..np {
            s.push_str(&format!(" \"P{p}\""));
        }
        s.push_str(" }\n\"a comment\"\n");
        // Known sets: (player or 0 for chance, number, actions).
        let mut sets: Vec<(usize, usize, usize)> = Vec::new();
        let mut n_outcomes = 0;
        let mut pending = 1usize;
        let mut made = 0;
        while pending > 0 {
            pending -= 1;
            made += 1;
            let name = ["", "n", "é\\\"q\\\\"][r.below(3) as usize];
            if made + pending >= size || r.below(3) == 0 {
                s.push_str(&format!("t \"{name}\" "));
            } else if r.below(4) == 0 {
                let known: Vec<_> = sets.iter().filter(|x| x.0 == 0).copied().collect();
                if !known.is_empty() && r.below(2) == 0 {
                    let k = known[r.below(known.len() as u64) as usize];
                    s.push_str(&format!("c \"{name}\" {} ", k.1));
                    pending += k.2;
                } else {
                    let num = sets.iter().filter(|x| x.0 == 0).count() + 1;
                    let (desc, k) = [
                        ("{ \"h\" 1/3 \"l\" 2/3 }", 2),
                        ("{ \"x\" 0.5, \"y\" 0.25 \"z\" 0.25 }", 3),
                        ("\"nat\" { \"u\" 0.3333333 \"v\" 0.6666667 }", 2),
                    ][r.below(3) as usize];
                    s.push_str(&format!("c \"{name}\" {num} {desc} "));
                    sets.push((0, num, k));
                    pending += k;
                }
            } else {
                let p = 1 + r.below(np as u64) as usize;
                let known: Vec<_> = sets.iter().filter(|x| x.0 == p).copied().collect();
                if !known.is_empty() && r.below(2) == 0 {
                    let k = known[r.below(known.len() as u64) as usize];
                    s.push_str(&format!("p \"{name}\" {p} {} ", k.1));
                    pending += k.2;
                } else {
                    let num = known.len() + 1;
                    let k = 1 + r.below(3) as usize;
                    let acts: Vec<String> = (0..k).map(|a| format!("\"m{a}\"")).collect();
                    let set_name = if r.below(2) == 0 { "\"S\" " } else { "" };
                    s.push_str(&format!(
                        "p \"{name}\" {p} {num} {set_name}{{ {} }} ",
                        acts.join(" ")
                    ));
                    sets.push((p, num, k));
                    pending += k;
                }
            }
            match r.below(4) {
                0 => s.push_str("0\n"),
                1 if n_outcomes > 0 => {
                    s.push_str(&format!("{}\n", 1 + r.below(n_outcomes)));
                }
                _ => {
                    n_outcomes += 1;
                    let pay: Vec<&str> = (0..np)
                        .map(|_| nums[r.below(nums.len() as u64) as usize])
                        .collect();
                    let oname = ["", "o"][r.below(2) as usize];
                    s.push_str(&format!(
                        "{n_outcomes} \"{oname}\" {{ {} }}\n",
                        pay.join(", ")
                    ));
                }
            }
        }
        s
    }

    #[test]
    fn one_outcome_per_leaf_and_shared_outcomes_read_alike() {
        // Every leaf its own outcome, then the same payoffs with
        // one outcome reused by two leaves (payoffs copied): the oracle agrees on both.
        let own = r#"EFG 2 R "t" { "A" "B" } ""
p "" 1 1 "" { "x" "y" "z" } 0
p "" 2 1 "" { "u" "v" } 0
t "" 1 "" { 1/3, 2 }
t "" 2 "" { -4, 5.5 }
t "" 3 "" { 7, 8 }
t "" 4 "" { 9, 12345678901234567890 }
"#;
        let shared = own.replace("t \"\" 3 \"\" { 7, 8 }", "t \"\" 1");
        for src in [own.to_string(), shared] {
            let new = located(&src).unwrap();
            assert_eq!(Ok(new.clone()), efg_oracle::read_located(&src), "{src}");
            let ex = new.0.exact.as_ref().unwrap();
            assert_eq!(ex.payoffs().len(), 8);
        }
    }

    #[test]
    fn streaming_reader_equals_the_oracle_on_random_files() {
        for seed in 0..400 {
            let src = random_efg(seed, 2 + seed as usize % 60);
            let new = located(&src);
            let old = efg_oracle::read_located(&src);
            assert!(old.is_ok(), "generator made a bad file: {old:?}\n{src}");
            assert_eq!(new, old, "seed {seed}\n{src}");
            // Damaged copies: both readers accept or both refuse, and agree when accepting.
            let mut r = Rng(seed + 7);
            for _ in 0..8 {
                let mut bad = src.clone();
                let at = r.below(bad.len() as u64) as usize;
                let at = (0..=at)
                    .rev()
                    .find(|&i| bad.is_char_boundary(i))
                    .unwrap_or(0);
                match r.below(3) {
                    0 => bad.truncate(at),
                    1 => bad.insert_str(
                        at,
                        ["}", "{", "\"", "1", "t \"\" 0 ", " 9 "][r.below(6) as usize],
                    ),
                    _ => {
                        let end = (at + 1 + r.below(6) as usize).min(bad.len());
                        if bad.is_char_boundary(end) {
                            bad.replace_range(at..end, "");
                        }
                    }
                }
                let new = located(&bad);
                let old = efg_oracle::read_located(&bad);
                assert_eq!(
                    new.is_ok(),
                    old.is_ok(),
                    "seed {seed}\n{bad}\n{new:?}\n{old:?}"
                );
                if new.is_ok() {
                    assert_eq!(new, old, "seed {seed}\n{bad}");
                }
            }
        }
    }

    #[test]
    fn streaming_reader_equals_the_oracle_on_the_gambit_games() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/games");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            assert!(
                std::env::var_os("DETER_REQUIRE_GAMES").is_none(),
                "DETER_REQUIRE_GAMES is set but {} is missing",
                dir.display()
            );
            eprintln!(
                "SKIPPED: {} not found (set DETER_REQUIRE_GAMES=1 to require it)",
                dir.display()
            );
            return;
        };
        let mut n = 0;
        for e in entries.flatten() {
            let path = e.path();
            if path.extension().is_some_and(|x| x == "efg") {
                let src = std::fs::read_to_string(&path).unwrap();
                let new = located(&src);
                assert_eq!(new, efg_oracle::read_located(&src), "{}", path.display());
                n += 1;
            }
        }
        assert!(n > 0, "no .efg files in {}", dir.display());
        eprintln!("{n} .efg files read alike by both readers");
    }

    const SRC: &str = r#"EFG 2 R "t" { "A" "B" } ""
c "root" 1 "" { "h" 1/3 "l" 2/3 } 1 "fee" { -1 0 }
p "a" 1 1 "I" { "x" "y" } 0
t "" 2 "end" { 2, 1 }
p "b" 2 1 "J" { "u" "v" } 0
t "" 3 "" { 0 0 }
t "leaf" 4 "" { 1 1 }
p "a2" 1 1 { "x" "y" } 0
t "" 2
t "" 0
"#;

    #[test]
    fn outcomes_on_inner_nodes_are_summed_onto_leaves() {
        let g = read(SRC).unwrap();
        let t = &g.tree;
        assert_eq!(t.leaves.len(), 5);
        assert_eq!(t.infosets.len(), 2);
        assert_eq!(t.infosets[0].n_members, 2);
        assert_eq!(t.infoset_names[0], "I");
        // The root's outcome (-1, 0) is added to every play: leaf "end" pays (2,1) + (-1,0).
        let end = t
            .leaves
            .iter()
            .position(|l| &t.node_names[l.node.ix()] == "end");
        assert_eq!(g.leaf_payoffs(end.unwrap().into()), &[1.0, 1.0]);
        assert_eq!(g.chance[1], 1.0 / 3.0);
        let ex = g.exact.as_ref().unwrap();
        assert_eq!(ex.chance().get(1), Rational::new(1.into(), 3.into()));
        assert_eq!(read(&write(&g)).unwrap(), g);
    }

    #[test]
    fn overflowing_path_sums_are_located_errors() {
        let src = r#"EFG 2 R "t" { "A" "B" } ""
p "" 1 1 "" { "x" "y" } 1 "big" { 1e308, 0 }
t "" 2 "" { 1e308, 0 }
t "" 3 "" { 1, 1 }
"#;
        let e = read(src).unwrap_err();
        assert_eq!((e.line, e.col), (3, 1), "{e}");
        assert!(e.message.contains("beyond the range"), "{e}");
    }

    #[test]
    fn rounded_probabilities_are_rescaled_exactly() {
        let src = SRC.replace("1/3", "0.3333333").replace("2/3", "0.6666667");
        let g = read(&src).unwrap();
        let ex = g.exact.as_ref().unwrap();
        assert_eq!(ex.chance().get(1) + ex.chance().get(2), Rational::one());
    }

    #[test]
    fn bad_probabilities_are_located() {
        let bad = SRC.replace("2/3", "1/3");
        let e = read(&bad).unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        assert!(e.message.contains("sum"), "{e}");
        let neg = SRC.replace("\"l\" 2/3", "\"l\" -2/3");
        let e = read(&neg).unwrap_err();
        assert_eq!((e.line, e.col), (2, 29), "{e}");
    }

    #[test]
    fn structural_errors() {
        // Player 3 does not exist.
        assert!(read(&SRC.replace("p \"b\" 2", "p \"b\" 3")).is_err());
        // A new information set without actions.
        assert!(read(&SRC.replace("p \"a2\" 1 1 { \"x\" \"y\" }", "p \"a2\" 1 7")).is_err());
        // Missing the last node.
        let cut = SRC.trim_end().rsplit_once('\n').unwrap().0;
        let e = read(cut).unwrap_err();
        assert!(e.message.contains("end of input"), "{e}");
    }
}
