//! The sequence form of a two-player extensive game with perfect recall.
//!
//! Solving a game tree through its strategic form blows up exponentially; the sequence form
//! (Koller, Megiddo and von Stengel 1996) stays linear in the tree. A player's *sequence* is
//! the list of its own moves on the path to a node; with perfect recall it is identified by its
//! last move, so a player has one sequence per action plus the empty sequence. A *realization
//! plan* gives each sequence the probability that the player's own moves follow it; it
//! satisfies `E x = e, x ≥ 0` (player 1) and `F y = f, y ≥ 0` (player 2), one row for the empty
//! sequence and one per information set. Expected payoffs are bilinear: `xᵀ A y` and `xᵀ B y`,
//! with `A`, `B` sparse (one term per leaf, weighted by the chance probability of reaching it).
//!
//! Everything is computed in loops over the breadth-first arena, never by recursion.

use super::ids::{InfosetId, LeafId, PlayerId};
use super::numeric::Game;
use super::tree::{NodeKind, Tree};

/// A sparse matrix as sorted, duplicate-free `(row, column, value)` triplets.
#[derive(Clone, Debug, PartialEq)]
pub struct SparseMatrix {
    /// Number of rows.
    pub rows: usize,
    /// Number of columns.
    pub cols: usize,
    /// Non-zero entries sorted by row then column, each position at most once.
    pub entries: Vec<(u32, u32, f64)>,
}

impl SparseMatrix {
    /// A matrix from triplets; entries at the same position are summed, zeros dropped.
    pub fn from_triplets(rows: usize, cols: usize, mut t: Vec<(u32, u32, f64)>) -> Self {
        t.sort_by_key(|&(r, c, _)| (r, c));
        let mut entries: Vec<(u32, u32, f64)> = Vec::with_capacity(t.len());
        for (r, c, v) in t {
            match entries.last_mut() {
                Some(last) if last.0 == r && last.1 == c => last.2 += v,
                _ => entries.push((r, c, v)),
            }
        }
        entries.retain(|e| e.2 != 0.0);
        SparseMatrix {
            rows,
            cols,
            entries,
        }
    }

    /// The transpose.
    pub fn transpose(&self) -> Self {
        let t = self.entries.iter().map(|&(r, c, v)| (c, r, v)).collect();
        SparseMatrix::from_triplets(self.cols, self.rows, t)
    }

    /// `xᵀ M y`.
    pub fn bilinear(&self, x: &[f64], y: &[f64]) -> f64 {
        self.entries
            .iter()
            .map(|&(r, c, v)| x[r as usize] * v * y[c as usize])
            .sum()
    }
}

/// Why a game has no sequence form.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SequenceError {
    /// The sequence form here is for two players.
    #[error("the sequence form needs two players, the game has {0}")]
    NotTwoPlayers(usize),
    /// Two members of an information set are reached by different own moves of the mover
    /// (or the set is reached again below itself).
    #[error("player {player} does not have perfect recall at information set `{infoset}`")]
    NoPerfectRecall {
        /// Player name.
        player: String,
        /// Information-set name.
        infoset: String,
    },
}

/// One leaf's contribution to the payoff matrices.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LeafTerm {
    /// Player 1's sequence leading to the leaf.
    pub seq1: u32,
    /// Player 2's sequence leading to the leaf.
    pub seq2: u32,
    /// Product of the chance probabilities on the path.
    pub chance: f64,
    /// The leaf.
    pub leaf: LeafId,
}

/// The sequence form of a two-player game with perfect recall.
#[derive(Clone, Debug, PartialEq)]
pub struct SequenceForm {
    /// Number of sequences of each player (the empty sequence is number 0).
    pub n_seqs: [usize; 2],
    /// The sequence ending with each action (indexed like a behaviour profile), for the
    /// action's owner.
    pub seq_of_action: Vec<u32>,
    /// The mover's sequence leading to each information set.
    pub parent_seq: Vec<u32>,
    /// Row of each information set in its player's constraint matrix (row 0 is the empty
    /// sequence).
    pub infoset_row: Vec<u32>,
    /// Information sets of each player in row order (row `k + 1` is `infosets_of[p][k]`).
    pub infosets_of: [Vec<InfosetId>; 2],
    /// Constraint matrices `E` (player 1) and `F` (player 2); right-hand sides are the unit
    /// vector on row 0.
    pub constraints: [SparseMatrix; 2],
    /// Leaves with their sequences and chance weights, in leaf order.
    pub leaf_terms: Vec<LeafTerm>,
}

impl SequenceForm {
    /// The sequence form of `game`; errors name a player and an information set without
    /// perfect recall.
    pub fn new(game: &Game) -> Result<Self, SequenceError> {
        let tree = &game.tree;
        if tree.n_players() != 2 {
            return Err(SequenceError::NotTwoPlayers(tree.n_players()));
        }
        let (seq_of_action, infoset_row, infosets_of, n_seqs) = number_sequences(tree);
        // Top-down: each node's last own sequence for both players, and chance reach.
        let n = tree.nodes.len();
        let mut last = vec![[0u32; 2]; n];
        let mut chance = vec![1.0f64; n];
        let mut parent_seq: Vec<Option<u32>> = vec![None; tree.infosets.len()];
        for (i, node) in tree.nodes.iter().enumerate() {
            match node.kind {
                NodeKind::Decision { player, infoset } => {
                    let p = player.ix();
                    match parent_seq[infoset.ix()] {
                        None => parent_seq[infoset.ix()] = Some(last[i][p]),
                        Some(s) if s != last[i][p] => {
                            return Err(SequenceError::NoPerfectRecall {
                                player: tree.players[p].clone(),
                                infoset: tree.infoset_display(infoset).to_string(),
                            })
                        }
                        Some(_) => {}
                    }
                    let first = tree.infosets[infoset.ix()].first_action as usize;
                    for (a, c) in node.children().enumerate() {
                        last[c] = last[i];
                        last[c][p] = seq_of_action[first + a];
                        chance[c] = chance[i];
                    }
                }
                NodeKind::Chance => {
                    for c in node.children() {
                        last[c] = last[i];
                        chance[c] = chance[i] * game.chance[c];
                    }
                }
                NodeKind::Terminal { .. } => {}
            }
        }
        // A set reached below itself shows up as members with different last sequences,
        // except when all members lie below one of its own actions: impossible, since the
        // top member's last sequence is the set's parent and the lower one's is not.
        let parent_seq: Vec<u32> = parent_seq.into_iter().map(|s| s.unwrap_or(0)).collect();
        let leaf_terms = tree
            .leaves
            .iter()
            .enumerate()
            .map(|(l, leaf)| {
                let i = leaf.node.ix();
                LeafTerm {
                    seq1: last[i][0],
                    seq2: last[i][1],
                    chance: chance[i],
                    leaf: LeafId::from(l),
                }
            })
            .collect();
        let constraints = [0, 1].map(|p| {
            let mut t = vec![(0u32, 0u32, 1.0)];
            for (k, &s) in infosets_of[p].iter().enumerate() {
                let row = k as u32 + 1;
                t.push((row, parent_seq[s.ix()], -1.0));
                let set = &tree.infosets[s.ix()];
                for a in 0..set.n_actions {
                    t.push((row, seq_of_action[(set.first_action + a) as usize], 1.0));
                }
            }
            SparseMatrix::from_triplets(infosets_of[p].len() + 1, n_seqs[p], t)
        });
        Ok(SequenceForm {
            n_seqs,
            seq_of_action,
            parent_seq,
            infoset_row,
            infosets_of,
            constraints,
            leaf_terms,
        })
    }

    /// The payoff matrix of `player` (rows: player 1's sequences, columns: player 2's), with
    /// `shift` subtracted from every leaf payoff: `Σ_leaves chance · (u − shift)`.
    pub fn payoff_matrix(&self, game: &Game, player: PlayerId, shift: f64) -> SparseMatrix {
        let t = self
            .leaf_terms
            .iter()
            .map(|t| {
                let u = game.payoff(t.leaf, player) - shift;
                (t.seq1, t.seq2, t.chance * u)
            })
            .collect();
        SparseMatrix::from_triplets(self.n_seqs[0], self.n_seqs[1], t)
    }

    /// Number of constraint rows of each player (1 + number of information sets).
    pub fn n_rows(&self) -> [usize; 2] {
        [self.constraints[0].rows, self.constraints[1].rows]
    }

    /// Largest violation of `E x = e, x ≥ 0` by a candidate realization plan of `player`.
    pub fn plan_violation(&self, player: usize, plan: &[f64]) -> f64 {
        let m = &self.constraints[player];
        let mut row = vec![0.0; m.rows];
        for &(r, c, v) in &m.entries {
            row[r as usize] += v * plan[c as usize];
        }
        row[0] -= 1.0;
        let eq = row.iter().fold(0.0f64, |a, &v| a.max(v.abs()));
        plan.iter().fold(eq, |a, &v| a.max(-v))
    }

    /// The behaviour profile of a pair of realization plans.
    ///
    /// At an information set the moves get probabilities proportional to their sequences'
    /// weights (negative rounding noise is clipped); where the plan gives the set's sequences no
    /// weight (the player's own moves avoid it) the moves are uniform.
    pub fn behavior_from_realization(&self, tree: &Tree, x: &[f64], y: &[f64]) -> Vec<f64> {
        let mut b = vec![0.0; tree.n_actions()];
        for set in &tree.infosets {
            let plan = if set.player.ix() == 0 { x } else { y };
            let first = set.first_action as usize;
            let k = set.n_actions as usize;
            let w: Vec<f64> = (first..first + k)
                .map(|a| plan[self.seq_of_action[a] as usize].max(0.0))
                .collect();
            let total: f64 = w.iter().sum();
            for (a, wa) in w.iter().enumerate() {
                b[first + a] = if total > 0.0 {
                    wa / total
                } else {
                    1.0 / k as f64
                };
            }
        }
        b
    }

    /// The realization plan of `player` under a behaviour profile.
    pub fn realization_from_behavior(&self, tree: &Tree, player: usize, b: &[f64]) -> Vec<f64> {
        let mut plan = vec![0.0; self.n_seqs[player]];
        plan[0] = 1.0;
        // Rows are in breadth-first order of first members, so a set's parent sequence
        // belongs to an earlier row and is already filled.
        for &s in &self.infosets_of[player] {
            let set = &tree.infosets[s.ix()];
            let parent = plan[self.parent_seq[s.ix()] as usize];
            for a in 0..set.n_actions as usize {
                let ix = set.first_action as usize + a;
                plan[self.seq_of_action[ix] as usize] = parent * b[ix];
            }
        }
        plan
    }
}

type Numbering = (Vec<u32>, Vec<u32>, [Vec<InfosetId>; 2], [usize; 2]);

/// Numbers each player's sequences and constraint rows in breadth-first order of the
/// information sets' first members (so a set's parent sequence comes before it).
fn number_sequences(tree: &Tree) -> Numbering {
    let mut seq_of_action = vec![0u32; tree.n_actions()];
    let mut infoset_row = vec![0u32; tree.infosets.len()];
    let mut infosets_of: [Vec<InfosetId>; 2] = [Vec::new(), Vec::new()];
    let mut seen = vec![false; tree.infosets.len()];
    let mut next = [1usize; 2];
    for node in &tree.nodes {
        if let NodeKind::Decision { player, infoset } = node.kind {
            if seen[infoset.ix()] {
                continue;
            }
            seen[infoset.ix()] = true;
            let p = player.ix();
            infosets_of[p].push(infoset);
            infoset_row[infoset.ix()] = infosets_of[p].len() as u32;
            let set = &tree.infosets[infoset.ix()];
            for a in 0..set.n_actions {
                seq_of_action[(set.first_action + a) as usize] = next[p] as u32;
                next[p] += 1;
            }
        }
    }
    (seq_of_action, infoset_row, infosets_of, next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::examples::{kuhn_poker, matching_pennies};
    use crate::game::profile::expected_payoffs;
    use crate::game::TreeBuilder;
    use std::sync::Arc;

    #[test]
    fn kuhn_dimensions_and_payoff_agree_with_tree() {
        let g = kuhn_poker();
        let sf = SequenceForm::new(&g).unwrap();
        // 6 information sets of 2 actions per player: 13 sequences, 7 constraint rows.
        assert_eq!(sf.n_seqs, [13, 13]);
        assert_eq!(sf.n_rows(), [7, 7]);
        let b: Vec<f64> = (0..g.tree.n_actions())
            .map(|a| if a % 2 == 0 { 0.3 } else { 0.7 })
            .collect();
        let x = sf.realization_from_behavior(&g.tree, 0, &b);
        let y = sf.realization_from_behavior(&g.tree, 1, &b);
        assert!(sf.plan_violation(0, &x) < 1e-15 && sf.plan_violation(1, &y) < 1e-15);
        let a = sf.payoff_matrix(&g, PlayerId(0), 0.0);
        let direct = expected_payoffs(&g, &b);
        assert!((a.bilinear(&x, &y) - direct[0]).abs() < 1e-12);
        let back = sf.behavior_from_realization(&g.tree, &x, &y);
        for (u, v) in back.iter().zip(&b) {
            assert!((u - v).abs() < 1e-12);
        }
    }

    #[test]
    fn pennies_has_one_set_each() {
        let sf = SequenceForm::new(&matching_pennies()).unwrap();
        assert_eq!(sf.n_seqs, [3, 3]);
    }

    #[test]
    fn forgetting_own_move_is_refused() {
        // Player 1 moves, then moves again without knowing its first move.
        let mut b = TreeBuilder::new("forget", vec!["1".into(), "2".into()]);
        let r = b.decision("r", PlayerId(0), None);
        let l = b.decision("l", PlayerId(0), Some("I".into()));
        let m = b.decision("m", PlayerId(0), Some("I".into()));
        b.add_move(r, "L", None, l).unwrap();
        b.add_move(r, "R", None, m).unwrap();
        for x in [l, m] {
            for lab in ["a", "b"] {
                let t = b.terminal("t", vec![]);
                b.add_move(x, lab, None, t).unwrap();
            }
        }
        let g = Game::zeroed(Arc::new(b.finish(r).unwrap().tree));
        let e = SequenceForm::new(&g).unwrap_err();
        assert_eq!(
            e,
            SequenceError::NoPerfectRecall {
                player: "1".into(),
                infoset: "I".into()
            }
        );
    }
}
