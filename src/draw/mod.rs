//! Tree drawings: SVG for reports and `deter convert --to svg`, TikZ for LaTeX papers
//! (`--to tikz`), Graphviz DOT for `--to dot`.
//!
//! A drawing shows who moves at each node (the players' display names), the moves on the edges
//! in the model's own words (`say` phrases), chance probabilities on chance edges, and at each
//! leaf the payoff vector — or, on request, the payoff formulas typeset with proper symbols
//! ([`typeset`]: ψ₀, β·T, subscripts). When a profile is given, the equilibrium shows: edges on
//! the path of play are thick and coloured, equilibrium moves off the path are coloured, and
//! members of an information set are joined by a dashed line. Identifiers of nodes and outcomes
//! appear only when asked for ([`Drawing::ids`]). The layout ([`layout()`]) is computed with
//! loops only; labels are placed so that none overlaps another or lies on a line
//! ([`scene`]). Trees larger than [`MAX_NODES`] are refused with a clear message: a drawing of
//! thousands of nodes is unreadable, and the report says so instead.

pub mod dot;
pub mod layout;
pub mod scene;
pub mod svg;
pub mod tikz;
pub mod typeset;

pub use layout::{layout, Layout};

use crate::game::profile::reach_probabilities;
use crate::game::tree::{NodeKind, Tree};
use crate::game::Game;
use crate::output::words::{move_words, mover_name, num};

/// Largest tree drawn; larger ones are refused with [`DrawError::TooLarge`].
pub const MAX_NODES: usize = 2000;

/// Why a tree cannot be drawn.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum DrawError {
    /// The tree has more nodes than [`MAX_NODES`].
    #[error(
        "the tree has {nodes} nodes; drawings are limited to {max} nodes (a larger drawing \
         is unreadable) — solve it with `deter solve` or export it with `deter convert --to efg`"
    )]
    TooLarge {
        /// Nodes in the tree.
        nodes: usize,
        /// The limit.
        max: usize,
    },
    /// The profile's length does not match the tree.
    #[error("the profile has {got} entries but the tree has {want} actions")]
    ProfileLength {
        /// Entries given.
        got: usize,
        /// Actions in the tree.
        want: usize,
    },
}

/// Which edges an equilibrium marks, by child node id (the edge into the node).
#[derive(Clone, Debug, PartialEq)]
pub struct Marks {
    /// The move into the node is played with positive probability (chance moves: positive
    /// probability).
    pub played: Vec<bool>,
    /// The node is reached with positive probability (so the edge into it is on the path).
    pub on_path: Vec<bool>,
    /// Probability of the move into the node at decision nodes (1 at chance nodes and the
    /// root); drawn on the edge when strictly between 0 and 1 (a mixed equilibrium).
    pub prob: Vec<f64>,
}

impl Marks {
    /// Marks of a behaviour profile on `game`.
    pub fn of(game: &Game, profile: &[f64]) -> Result<Marks, DrawError> {
        let tree = &*game.tree;
        if profile.len() != tree.n_actions() {
            return Err(DrawError::ProfileLength {
                got: profile.len(),
                want: tree.n_actions(),
            });
        }
        let reach = reach_probabilities(game, profile);
        let mut played = vec![false; tree.nodes.len()];
        let mut prob = vec![1.0; tree.nodes.len()];
        for node in &tree.nodes {
            for (a, c) in node.children().enumerate() {
                played[c] = match node.kind {
                    NodeKind::Decision { infoset, .. } => {
                        let s = &tree.infosets[infoset.ix()];
                        prob[c] = profile[s.first_action as usize + a];
                        prob[c] > 1e-12
                    }
                    _ => game.chance[c] > 1e-12,
                };
            }
        }
        let on_path = reach.iter().map(|&r| r > 1e-12).collect();
        Ok(Marks {
            played,
            on_path,
            prob,
        })
    }
}

/// What to draw: the game (structure and numbers), optionally an equilibrium's marks, the
/// payoff formulas, and whether to show identifiers.
#[derive(Clone, Copy, Debug)]
pub struct Drawing<'a> {
    /// The game at one parameter point.
    pub game: &'a Game,
    /// Equilibrium marks, if the path is to be highlighted.
    pub marks: Option<&'a Marks>,
    /// Typeset payoff formulas, leaf-major (`leaf * players + player`;
    /// [`scene::payoff_formulas`]), shown at the leaves instead of the numbers.
    pub formulas: Option<&'a [Vec<typeset::Piece>]>,
    /// Show node and outcome identifiers beside the movers and payoffs.
    pub ids: bool,
}

impl<'a> Drawing<'a> {
    /// A drawing of `game`: no marks, numbers at the leaves, no identifiers.
    pub fn new(game: &'a Game) -> Drawing<'a> {
        Drawing {
            game,
            marks: None,
            formulas: None,
            ids: false,
        }
    }

    /// With an equilibrium's marks.
    pub fn with_marks(self, marks: &'a Marks) -> Drawing<'a> {
        Drawing {
            marks: Some(marks),
            ..self
        }
    }

    /// With payoff formulas at the leaves.
    pub fn with_formulas(self, formulas: &'a [Vec<typeset::Piece>]) -> Drawing<'a> {
        Drawing {
            formulas: Some(formulas),
            ..self
        }
    }

    /// Checks the size limit.
    pub fn check(&self) -> Result<(), DrawError> {
        let n = self.game.tree.nodes.len();
        if n > MAX_NODES {
            return Err(DrawError::TooLarge {
                nodes: n,
                max: MAX_NODES,
            });
        }
        Ok(())
    }

    /// The mover at a decision or chance node, by display name ("Protégé", "Nature"); empty at
    /// leaves.
    pub fn mover(&self, i: usize) -> &str {
        mover_name(&self.game.tree, crate::game::NodeId::from(i))
    }

    /// Label of the edge into node `i`: the move in the model's words (its `say` phrase, else
    /// its label), with the probability on chance edges (`hard (0.3)`) and on moves a mixed
    /// equilibrium plays with probability strictly between 0 and 1 (`heads [0.5]`).
    pub fn edge_label(&self, i: usize) -> String {
        let tree = &*self.game.tree;
        let id = crate::game::NodeId::from(i);
        let label = move_words(tree, id);
        match tree.node(id).parent() {
            Some(p) if matches!(tree.node(p).kind, NodeKind::Chance) => {
                format!("{label} ({})", num(self.game.chance[i]))
            }
            _ => match self.marks.map(|m| m.prob[i]) {
                Some(q) if q > 1e-12 && q < 1.0 - 1e-12 => format!("{label} [{}]", num(q)),
                _ => label.to_string(),
            },
        }
    }

    /// The payoff vector at leaf node `i`: `(0.1, 0, 0)`.
    pub fn payoff_label(&self, i: usize) -> String {
        let tree = &*self.game.tree;
        let NodeKind::Terminal { leaf } = tree.nodes[i].kind else {
            return String::new();
        };
        let np = tree.n_players();
        let v: Vec<String> = (0..np)
            .map(|p| {
                self.game
                    .payoffs
                    .get(leaf.ix() * np + p)
                    .map_or_else(|| "?".into(), |x| num(*x))
            })
            .collect();
        format!("({})", v.join(", "))
    }
}

/// Consecutive pairs of members of each non-singleton information set (the dashed connectors).
pub fn infoset_pairs(tree: &Tree) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for set in 0..tree.infosets.len() {
        let m = tree.members(crate::game::InfosetId::from(set));
        for w in m.windows(2) {
            out.push((w[0].ix(), w[1].ix()));
        }
    }
    out
}
