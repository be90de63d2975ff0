//! The first `.efg` reader, kept as the oracle for [`super::efg`]'s streaming reader.
//!
//! It tokenizes the whole file ([`Cursor`]) and builds the tree through [`TreeBuilder`]: simple
//! to check by reading, and slow and memory-hungry on big files. Tests read every file with
//! both and require equal games, positions and errors.

use super::efg::PROB_SUM_TOL;
use super::lexer::{Cursor, Tok};
use super::FormatError;
use crate::exact::{self, Rational};
use crate::game::{ExactNumbers, Game, NodeKind, PlayerId, TreeBuilder};
use num_traits::{One, Zero};
use std::collections::HashMap;
use std::sync::Arc;

/// An information set's description, as first given.
#[derive(Clone, Debug, PartialEq)]
struct SetDesc {
    name: String,
    actions: Vec<String>,
    probs: Vec<Rational>,
}

/// A node waiting for its children.
struct Frame {
    node: usize,
    labels: Vec<String>,
    probs: Vec<Rational>,
    next: usize,
    /// Sum of outcomes on the path down to and including this node.
    acc: Vec<Rational>,
}

/// One parsed node.
struct Parsed {
    id: usize,
    labels: Vec<String>,
    probs: Vec<Rational>,
    own: Option<Vec<Rational>>,
}

/// State of one read.
struct Reader {
    c: Cursor,
    np: usize,
    player_sets: HashMap<(usize, usize), SetDesc>,
    chance_sets: HashMap<usize, SetDesc>,
    outcomes: HashMap<usize, (String, Vec<Rational>)>,
    /// By builder node: probability of the chance move into it.
    prob_of: Vec<Rational>,
    /// By builder node: payoffs at a terminal node.
    payoff_of: Vec<Option<Vec<Rational>>>,
    /// By builder node: the Gambit name of a decision node's information set.
    set_name_of: Vec<Option<String>>,
    /// By builder node: line and column of its first token.
    pos_of: Vec<(usize, usize)>,
}

/// Reads a `.efg` file.
#[allow(dead_code)]
pub fn read(src: &str) -> Result<Game, FormatError> {
    Ok(read_located(src)?.0)
}

/// Reads a `.efg` file; also returns the line and column of every node of the game, by arena
/// id (for messages that point into the file, such as imperfect recall).
pub fn read_located(src: &str) -> Result<(Game, Vec<(usize, usize)>), FormatError> {
    let mut c = Cursor::new(src)?;
    let magic = c.word("`EFG`")?;
    if magic != "EFG" {
        return Err(c.error_prev(format!("expected `EFG`, found `{magic}`")));
    }
    let version = c.number("the format version `2`")?;
    if version != 2.0 {
        return Err(c.error_prev(format!("unsupported .efg version {version}; expected 2")));
    }
    if let Some(Tok::Word(_)) = c.peek() {
        c.word("`R` or `D`")?;
    }
    let title = c.string("the game title")?;
    let players = c.string_list("player list")?;
    let _comment = c.opt_string();
    let np = players.len();
    let mut r = Reader {
        c,
        np,
        player_sets: HashMap::new(),
        chance_sets: HashMap::new(),
        outcomes: HashMap::new(),
        prob_of: Vec::new(),
        payoff_of: Vec::new(),
        set_name_of: Vec::new(),
        pos_of: Vec::new(),
    };
    let mut b = TreeBuilder::new(title, players);
    let mut stack: Vec<Frame> = Vec::new();
    let mut root = 0;
    loop {
        let node = r.node(&mut b)?;
        let mut acc = stack
            .last()
            .map_or_else(|| vec![Rational::zero(); np], |f| f.acc.clone());
        if let Some(o) = &node.own {
            for (a, x) in acc.iter_mut().zip(o) {
                *a += x;
            }
        }
        match stack.last_mut() {
            None => root = node.id,
            Some(f) => {
                b.add_move(f.node, f.labels[f.next].clone(), None, node.id)
                    .map_err(|e| r.c.error_prev(e.to_string()))?;
                if let Some(p) = f.probs.get(f.next) {
                    r.prob_of[node.id] = p.clone();
                }
                f.next += 1;
            }
        }
        if node.labels.is_empty() {
            r.payoff_of[node.id] = Some(acc);
        } else {
            stack.push(Frame {
                node: node.id,
                labels: node.labels,
                probs: node.probs,
                next: 0,
                acc,
            });
        }
        while stack.last().is_some_and(|f| f.next == f.labels.len()) {
            stack.pop();
        }
        if stack.is_empty() {
            break;
        }
    }
    if !r.c.at_end() {
        return Err(r.c.error("unexpected text after the last node of the tree"));
    }
    r.finish(b, root)
}

impl Reader {
    fn grow(&mut self, n: usize) {
        while self.prob_of.len() < n {
            self.prob_of.push(Rational::zero());
            self.payoff_of.push(None);
            self.set_name_of.push(None);
            self.pos_of.push((1, 1));
        }
    }

    /// Parses one node and adds it to the builder.
    fn node(&mut self, b: &mut TreeBuilder) -> Result<Parsed, FormatError> {
        let at = self.c.here();
        let kind = self.c.word("a node (`p`, `c` or `t`)")?;
        let mut name = self.c.string("the node name")?;
        let (desc, player) = match kind.as_str() {
            "t" => (None, None),
            "c" => {
                let num = self.c.index("a chance information-set number")?;
                (Some(self.set_desc(true, num, 0)?), None)
            }
            "p" => {
                let player = self.c.index("a player number")?;
                if player == 0 || player > self.np {
                    return Err(self.c.error_prev(format!(
                        "player {player} does not exist (players are 1..{})",
                        self.np
                    )));
                }
                let num = self.c.index("an information-set number")?;
                (
                    Some(self.set_desc(false, num, player)?),
                    Some((player, num)),
                )
            }
            w => {
                return Err(self
                    .c
                    .error_prev(format!("expected `p`, `c` or `t`, found `{w}`")))
            }
        };
        let own = self.outcome()?;
        let id = match (&desc, player) {
            (None, _) => {
                if name.is_empty() {
                    name = own.as_ref().map(|o| o.0.clone()).unwrap_or_default();
                }
                b.terminal(name, Vec::new())
            }
            (Some(_), None) => b.chance(name),
            (Some(_), Some((p, num))) => {
                b.decision(name, PlayerId::from(p - 1), Some(format!("{p}:{num}")))
            }
        };
        self.grow(id + 1);
        self.pos_of[id] = at;
        let (labels, probs) = match desc {
            Some(d) => {
                if player.is_some() {
                    self.set_name_of[id] = Some(d.name);
                }
                (d.actions, d.probs)
            }
            None => (Vec::new(), Vec::new()),
        };
        Ok(Parsed {
            id,
            labels,
            probs,
            own: own.map(|o| o.1),
        })
    }

    /// An information set's number has been read; reads or looks up its description.
    fn set_desc(
        &mut self,
        chance: bool,
        num: usize,
        player: usize,
    ) -> Result<SetDesc, FormatError> {
        let given = match self.c.peek() {
            Some(Tok::Str(_)) | Some(Tok::Open) => Some(self.read_desc(chance)?),
            _ => None,
        };
        let known = if chance {
            self.chance_sets.get(&num)
        } else {
            self.player_sets.get(&(player, num))
        };
        match (known, given) {
            (Some(k), Some(g))
                if k.actions != g.actions
                    || k.probs != g.probs
                    || (!g.name.is_empty() && g.name != k.name) =>
            {
                Err(self.c.error_prev(format!(
                    "information set {num} is described differently before"
                )))
            }
            (Some(k), _) => Ok(k.clone()),
            (None, Some(g)) => {
                if chance {
                    self.chance_sets.insert(num, g.clone());
                } else {
                    self.player_sets.insert((player, num), g.clone());
                }
                Ok(g)
            }
            (None, None) => Err(self.c.error(format!(
                "information set {num} appears without its actions for the first time"
            ))),
        }
    }

    /// `["name"] { "a" [prob] … }`.
    fn read_desc(&mut self, chance: bool) -> Result<SetDesc, FormatError> {
        let name = self.c.opt_string().unwrap_or_default();
        self.c.open("`{` opening the action list")?;
        let (mut actions, mut probs) = (Vec::new(), Vec::new());
        while !self.c.eat_close() {
            actions.push(self.c.string("an action name or `}`")?);
            if chance {
                let (p, f) = self.c.number_exact("the action's probability")?;
                if f < 0.0 {
                    return Err(self.c.error_prev("negative chance probability"));
                }
                probs.push(p);
                self.c.eat_comma();
            }
        }
        if actions.is_empty() {
            return Err(self
                .c
                .error_prev("an information set needs at least one action"));
        }
        if chance {
            let sum = probs.iter().fold(Rational::zero(), |a, p| a + p);
            if !sum.is_one() {
                let s = exact::to_f64(&sum);
                if (s - 1.0).abs() > PROB_SUM_TOL {
                    return Err(self
                        .c
                        .error_prev(format!("chance probabilities sum to {s}, not 1")));
                }
                // Rounded decimals (0.333 0.333 0.334 is fine; 0.3333 0.3333 0.3333 is
                // rescaled): the exact probabilities must sum to 1.
                probs.iter_mut().for_each(|p| *p = &*p / &sum);
            }
        }
        Ok(SetDesc {
            name,
            actions,
            probs,
        })
    }

    /// Reads `OUTCOME ["name" { payoffs }]`; returns the name and payoffs of a non-zero
    /// outcome.
    fn outcome(&mut self) -> Result<Option<(String, Vec<Rational>)>, FormatError> {
        let num = self.c.index("an outcome number")?;
        let mut given = None;
        if matches!(self.c.peek(), Some(Tok::Str(_)) | Some(Tok::Open)) {
            let name = self.c.opt_string().unwrap_or_default();
            self.c.open("`{` opening the payoffs")?;
            let mut pay = Vec::new();
            while !self.c.eat_close() {
                pay.push(self.c.number_exact("a payoff or `}`")?.0);
                self.c.eat_comma();
            }
            if pay.len() != self.np {
                return Err(self.c.error_prev(format!(
                    "outcome has {} payoffs for {} players",
                    pay.len(),
                    self.np
                )));
            }
            given = Some((name, pay));
        }
        if num == 0 {
            return Ok(None);
        }
        match (self.outcomes.get(&num), given) {
            (Some(k), Some(g)) if *k != g => Err(self
                .c
                .error_prev(format!("outcome {num} is described differently before"))),
            (Some(k), _) => Ok(Some(k.clone())),
            (None, Some(g)) => {
                self.outcomes.insert(num, g.clone());
                Ok(Some(g))
            }
            (None, None) => Err(self.c.error(format!(
                "outcome {num} appears without its payoffs for the first time"
            ))),
        }
    }

    /// Finishes the tree and lays out probabilities and payoffs by arena id.
    fn finish(
        self,
        b: TreeBuilder,
        root: usize,
    ) -> Result<(Game, Vec<(usize, usize)>), FormatError> {
        let built = b
            .finish(root)
            .map_err(|e| FormatError::new(1, 1, e.to_string()))?;
        let mut tree = built.tree;
        let np = self.np;
        let mut chance = vec![Rational::zero(); tree.nodes.len()];
        let mut payoffs = vec![Rational::zero(); tree.leaves.len() * np];
        let mut pos = vec![(1, 1); tree.nodes.len()];
        for (bix, id) in built.node_of.iter().enumerate() {
            let Some(id) = id else { continue };
            pos[id.ix()] = self.pos_of.get(bix).copied().unwrap_or((1, 1));
            if let Some(p) = self.prob_of.get(bix) {
                chance[id.ix()] = p.clone();
            }
            match tree.nodes[id.ix()].kind {
                NodeKind::Terminal { leaf } => {
                    if let Some(Some(p)) = self.payoff_of.get(bix) {
                        for (k, x) in p.iter().enumerate() {
                            if !exact::to_f64(x).is_finite() {
                                let (l, c) = pos[id.ix()];
                                return Err(FormatError::new(
                                    l,
                                    c,
                                    format!(
                                        "the payoff of {} at this node (the sum of the outcomes \
                                         on its path) is {}, beyond the range of \
                                         floating-point numbers (±1.8e308)",
                                        tree.players[k],
                                        if x.numer().bits() > 2000 {
                                            "astronomically large".to_string()
                                        } else {
                                            format!("{:e}", exact::to_f64(x))
                                        }
                                    ),
                                ));
                            }
                        }
                        payoffs[leaf.ix() * np..(leaf.ix() + 1) * np].clone_from_slice(p);
                    }
                }
                NodeKind::Decision { infoset, .. } => {
                    if let Some(Some(n)) = self.set_name_of.get(bix) {
                        tree.infoset_names[infoset.ix()] = n.clone();
                    }
                }
                NodeKind::Chance => {}
            }
        }
        let to_f = |v: &[Rational]| v.iter().map(exact::to_f64).collect::<Vec<f64>>();
        let game = Game {
            tree: Arc::new(tree),
            chance: to_f(&chance),
            payoffs: to_f(&payoffs),
            exact: Some(Arc::new(ExactNumbers::new(chance, payoffs))),
        };
        Ok((game, pos))
    }
}
