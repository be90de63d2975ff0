//! Standard games used by tests and benchmarks.
//!
//! Solvers are validated on games whose answers are known from the literature: matching
//! pennies, Kuhn poker (value −1/18 for the first player) and Leduc poker (value ≈ −0.0856 for
//! the first player, 9,457 nodes, 468 information sets per player). Tests and benchmarks share
//! these generators so they measure and check the very same trees. Every generator builds its
//! tree with loops over an explicit work list, never by recursion.

use super::ids::PlayerId;
use super::tree::{NodeKind, TreeBuilder};
use super::Game;
use std::sync::Arc;

/// Finishes a builder whose structure is correct by construction.
fn finish(b: TreeBuilder, root: usize) -> Arc<super::Tree> {
    // The generators below add each node exactly once with consistent information sets, so
    // `finish` cannot fail on them.
    Arc::new(b.finish(root).expect("generator builds a valid tree").tree)
}

/// Matching pennies as a tree: player 1 picks H or T, player 2 picks H or T without seeing it;
/// player 1 wins 1 on a match and loses 1 otherwise. Unique equilibrium (½, ½), value 0.
pub fn matching_pennies() -> Game {
    let mut b = TreeBuilder::new("Matching pennies", vec!["1".into(), "2".into()]);
    let r = b.decision("root", PlayerId(0), None);
    let mut leaves = Vec::new();
    for m1 in ["H", "T"] {
        let n = b.decision(m1, PlayerId(1), Some("2".into()));
        b.add_move(r, m1, None, n).expect("fresh node");
        for m2 in ["H", "T"] {
            let l = b.terminal(format!("{m1}{m2}"), vec![]);
            b.add_move(n, m2, None, l).expect("fresh node");
            leaves.push(if m1 == m2 { 1.0 } else { -1.0 });
        }
    }
    let tree = finish(b, r);
    let mut g = Game::zeroed(tree);
    // Leaves are numbered breadth-first, which here is the order they were added.
    g.payoffs = leaves.iter().flat_map(|&v| [v, -v]).collect();
    g
}

/// Kuhn poker: deck {J, Q, K}, ante 1, bet size 1, one betting round (H. W. Kuhn 1950).
///
/// Player 1 acts first (check or bet); the value of the game to player 1 is −1/18.
pub fn kuhn_poker() -> Game {
    let cards = ["J", "Q", "K"];
    let mut b = TreeBuilder::new("Kuhn poker", vec!["1".into(), "2".into()]);
    let root = b.chance("deal");
    // (builder node, payoff to player 1)
    let mut pay: Vec<(usize, f64)> = Vec::new();
    let mut probs: Vec<(usize, f64)> = Vec::new();
    for (c1, n1) in cards.iter().enumerate() {
        for (c2, n2) in cards.iter().enumerate() {
            if c1 == c2 {
                continue;
            }
            let win = if c1 > c2 { 1.0 } else { -1.0 };
            let p1 = b.decision(format!("{n1}{n2}"), PlayerId(0), Some(format!("1:{n1}")));
            b.add_move(root, format!("{n1}{n2}"), None, p1)
                .expect("fresh node");
            probs.push((p1, 1.0 / 6.0));
            // Check: player 2 may check (showdown for 1) or bet.
            let c = b.decision(format!("{n1}{n2}c"), PlayerId(1), Some(format!("2:{n2}:c")));
            b.add_move(p1, "check", None, c).expect("fresh node");
            let cc = b.terminal(format!("{n1}{n2}cc"), vec![]);
            b.add_move(c, "check", None, cc).expect("fresh node");
            pay.push((cc, win));
            let cb = b.decision(
                format!("{n1}{n2}cb"),
                PlayerId(0),
                Some(format!("1:{n1}:cb")),
            );
            b.add_move(c, "bet", None, cb).expect("fresh node");
            let cbf = b.terminal(format!("{n1}{n2}cbf"), vec![]);
            b.add_move(cb, "fold", None, cbf).expect("fresh node");
            pay.push((cbf, -1.0));
            let cbc = b.terminal(format!("{n1}{n2}cbc"), vec![]);
            b.add_move(cb, "call", None, cbc).expect("fresh node");
            pay.push((cbc, 2.0 * win));
            // Bet: player 2 folds or calls.
            let bt = b.decision(format!("{n1}{n2}b"), PlayerId(1), Some(format!("2:{n2}:b")));
            b.add_move(p1, "bet", None, bt).expect("fresh node");
            let bf = b.terminal(format!("{n1}{n2}bf"), vec![]);
            b.add_move(bt, "fold", None, bf).expect("fresh node");
            pay.push((bf, 1.0));
            let bc = b.terminal(format!("{n1}{n2}bc"), vec![]);
            b.add_move(bt, "call", None, bc).expect("fresh node");
            pay.push((bc, 2.0 * win));
        }
    }
    zero_sum_game(b, root, &pay, &probs)
}

/// Instantiates a two-player zero-sum game from builder-indexed payoffs and chance moves.
fn zero_sum_game(
    b: TreeBuilder,
    root: usize,
    pay: &[(usize, f64)],
    probs: &[(usize, f64)],
) -> Game {
    let built = b.finish(root).expect("generator builds a valid tree");
    let node_of = built.node_of;
    let tree = Arc::new(built.tree);
    let mut g = Game::zeroed(tree.clone());
    for &(bn, p) in probs {
        let id = node_of[bn].expect("every generated node is reachable");
        g.chance[id.ix()] = p;
    }
    for &(bn, v) in pay {
        let id = node_of[bn].expect("every generated node is reachable");
        if let NodeKind::Terminal { leaf } = tree.node(id).kind {
            g.payoffs[leaf.ix() * 2] = v;
            g.payoffs[leaf.ix() * 2 + 1] = -v;
        }
    }
    g
}

/// One Leduc betting state, waiting in the generator's work list.
#[derive(Clone, Debug)]
struct LeducState {
    node: usize,
    c1: usize,
    c2: usize,
    public: Option<usize>,
    round: u8,
    history: String,
    bets: [u32; 2],
    raises: u8,
    to_move: usize,
    /// Number of actions taken in this round.
    acted: u8,
}

const LEDUC_CARDS: [&str; 6] = ["J1", "J2", "Q1", "Q2", "K1", "K2"];

/// The information-set key of the mover in Leduc: own card, public card, betting history.
fn leduc_key(
    to_move: usize,
    c1: usize,
    c2: usize,
    public: Option<usize>,
    history: &str,
) -> Option<String> {
    let own = if to_move == 0 { c1 } else { c2 };
    let public = public.map_or("-", |p| LEDUC_CARDS[p]);
    Some(format!(
        "{}:{}:{}:{}",
        to_move + 1,
        LEDUC_CARDS[own],
        public,
        history
    ))
}

/// Myerson (1991), Figure 4.2, as distributed with Gambit: player 1 moves, player 2 moves
/// unseen, player 1 moves again (imperfect information without a proper subgame).
/// (B1, Z1; W2) is an equilibrium of the agent form held up by a belief at player 1's second
/// set that contradicts W2. Kept in the library so tests need not read `shared/games`.
pub fn myerson_fig4_2() -> Game {
    const EFG: &str = r#"EFG 2 R "Myerson (1991) Figure 4.2" { "Player 1" "Player 2" } ""
p "" 1 1 "" { "A1" "B1" } 0
p "" 2 1 "" { "W2" "X2" } 0
p "" 1 2 "" { "Y1" "Z1" } 0
t "" 1 "" { 3, 0 }
t "" 2 "" { 0, 0 }
p "" 1 2 "" { "Y1" "Z1" } 0
t "" 3 "" { 2, 3 }
t "" 4 "" { 4, 1 }
p "" 2 1 "" { "W2" "X2" } 0
t "" 5 "" { 2, 3 }
t "" 6 "" { 3, 2 }
"#;
    // A fixed, valid file: reading it cannot fail.
    crate::format::efg::read(EFG).expect("the built-in Myerson 4.2 file is valid")
}

/// Leduc poker with a rake: the house keeps `rake` (a fraction) of the winner's gain, the
/// loser pays in full. A general-sum game the size of Leduc poker (no zero-sum method
/// applies), for the sparse sequence-form Lemke path.
pub fn leduc_poker_raked(rake: f64) -> Game {
    let mut g = leduc_poker();
    for u in g.payoffs.iter_mut() {
        if *u > 0.0 {
            *u *= 1.0 - rake;
        }
    }
    g.exact = None;
    g
}

/// Leduc poker (Southey et al. 2005): a six-card deck (two suits of J, Q, K), antes 1, one
/// private card each, two betting rounds with raise sizes 2 then 4 and at most two raises per
/// round, one public card dealt between the rounds; a pair with the public card wins,
/// otherwise the higher card; equal ranks split.
///
/// Cards are told apart by suit, as in OpenSpiel's `leduc_poker`: the tree has 9,457 nodes
/// (counting the two chance nodes of the private deal, the public-card chance nodes and the
/// terminals) and 468 information sets per player. Actions are `fold`, `call` (a check when
/// nothing is owed) and `raise`, in that order, `fold` only when facing a raise.
pub fn leduc_poker() -> Game {
    let names = LEDUC_CARDS;
    let mut l = Leduc {
        b: TreeBuilder::new("Leduc poker", vec!["1".into(), "2".into()]),
        probs: Vec::new(),
        pay: Vec::new(),
        work: Vec::new(),
    };
    let root = l.b.chance("deal 1");
    for c1 in 0..6 {
        let d2 = l.b.chance(format!("deal 2 {}", names[c1]));
        l.b.add_move(root, names[c1], None, d2).expect("fresh node");
        l.probs.push((d2, 1.0 / 6.0));
        for c2 in (0..6).filter(|&c| c != c1) {
            let key = leduc_key(0, c1, c2, None, "");
            let n =
                l.b.decision(format!("{} {}", names[c1], names[c2]), PlayerId(0), key);
            l.b.add_move(d2, names[c2], None, n).expect("fresh node");
            l.probs.push((n, 1.0 / 5.0));
            l.work.push(LeducState {
                node: n,
                c1,
                c2,
                public: None,
                round: 0,
                history: String::new(),
                bets: [1, 1],
                raises: 0,
                to_move: 0,
                acted: 0,
            });
        }
    }
    while let Some(s) = l.work.pop() {
        l.expand(&s);
    }
    zero_sum_game(l.b, root, &l.pay, &l.probs)
}

/// The Leduc generator's builder and work list.
struct Leduc {
    b: TreeBuilder,
    probs: Vec<(usize, f64)>,
    pay: Vec<(usize, f64)>,
    work: Vec<LeducState>,
}

impl Leduc {
    /// Adds the moves of the player to move in state `s`.
    fn expand(&mut self, s: &LeducState) {
        let me = s.to_move;
        let facing = s.bets[1 - me] > s.bets[me];
        let raise_size = if s.round == 0 { 2 } else { 4 };
        let mut actions: Vec<char> = Vec::new();
        if facing {
            actions.push('f');
        }
        actions.push('c');
        if s.raises < 2 {
            actions.push('r');
        }
        for a in actions {
            let label = match a {
                'f' => "fold",
                'c' => "call",
                _ => "raise",
            };
            let history = format!("{}{}", s.history, a);
            let mut bets = s.bets;
            match a {
                'f' => {
                    let t = self.b.terminal(history, vec![]);
                    self.b.add_move(s.node, label, None, t).expect("fresh node");
                    let v = if me == 0 {
                        -f64::from(bets[0])
                    } else {
                        f64::from(bets[1])
                    };
                    self.pay.push((t, v));
                    continue;
                }
                'c' => bets[me] = bets[1 - me],
                _ => bets[me] = bets[1 - me] + raise_size,
            }
            let round_over = a == 'c' && (facing || s.acted >= 1);
            if !round_over {
                let key = leduc_key(1 - me, s.c1, s.c2, s.public, &history);
                let n = self
                    .b
                    .decision(history.clone(), PlayerId::from(1 - me), key);
                self.b.add_move(s.node, label, None, n).expect("fresh node");
                self.work.push(LeducState {
                    node: n,
                    history,
                    bets,
                    raises: s.raises + u8::from(a == 'r'),
                    to_move: 1 - me,
                    acted: s.acted + 1,
                    ..s.clone()
                });
            } else if s.round == 0 {
                self.deal_public(s, label, history, bets);
            } else {
                self.showdown(s, label, history, bets);
            }
        }
    }

    /// The first round ended with a call: deal the public card, player 1 opens round two.
    fn deal_public(&mut self, s: &LeducState, label: &str, history: String, bets: [u32; 2]) {
        let ch = self.b.chance(history.clone());
        self.b
            .add_move(s.node, label, None, ch)
            .expect("fresh node");
        let h = format!("{history}/");
        for p in (0..6).filter(|&p| p != s.c1 && p != s.c2) {
            let key = leduc_key(0, s.c1, s.c2, Some(p), &h);
            let n = self
                .b
                .decision(format!("{h}{}", LEDUC_CARDS[p]), PlayerId(0), key);
            self.b
                .add_move(ch, LEDUC_CARDS[p], None, n)
                .expect("fresh node");
            self.probs.push((n, 1.0 / 4.0));
            self.work.push(LeducState {
                node: n,
                c1: s.c1,
                c2: s.c2,
                public: Some(p),
                round: 1,
                history: h.clone(),
                bets,
                raises: 0,
                to_move: 0,
                acted: 0,
            });
        }
    }

    /// The second round ended with a call: a pair with the public card wins, else the higher
    /// rank; equal ranks split.
    fn showdown(&mut self, s: &LeducState, label: &str, history: String, bets: [u32; 2]) {
        let t = self.b.terminal(history, vec![]);
        self.b.add_move(s.node, label, None, t).expect("fresh node");
        let rank = |c: usize| c / 2; // cards 0..6: J J Q Q K K
        let p = rank(s.public.unwrap_or(0));
        let strength = |c: usize| if rank(c) == p { 10 } else { rank(c) };
        let v = match strength(s.c1).cmp(&strength(s.c2)) {
            std::cmp::Ordering::Greater => f64::from(bets[1]),
            std::cmp::Ordering::Less => -f64::from(bets[0]),
            std::cmp::Ordering::Equal => 0.0,
        };
        self.pay.push((t, v));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kuhn_shape() {
        let g = kuhn_poker();
        // 1 deal + 6 × (P1, P2 after check, P1 after check-bet, P2 after bet + 5 leaves).
        assert_eq!(g.tree.nodes.len(), 1 + 6 * 9);
        assert_eq!(g.tree.infosets.len(), 12);
        assert!(g.is_constant_sum(0.0));
    }

    #[test]
    fn leduc_shape() {
        // Counts from the rules: 6·5 private deals, 15 nodes per betting round, 5 public-card
        // chance nodes per deal with 4 cards each (see `leduc_poker` docs).
        let g = leduc_poker();
        assert_eq!(g.tree.nodes.len(), 9457);
        for p in 0..2 {
            let n = g
                .tree
                .infosets
                .iter()
                .filter(|s| s.player.ix() == p)
                .count();
            assert_eq!(n, 468);
        }
        assert!(g.is_constant_sum(0.0));
    }
}
