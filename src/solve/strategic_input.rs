//! The strategic form a strategic-form solver works on: the game itself, or the reduced
//! strategic form of a tree, plus the way back from mixed strategies to the solver's profile.
//!
//! Solvers written for [`StrategicGame`]s take trees through this module, so they all reduce a
//! tree the same way and all return behaviour profiles for trees.

use super::{GameRef, Profile, SolveError, Unsupported};
use crate::game::reduce::{reduced_strategic_form, ReducedForm};
use crate::game::{Game, StrategicGame};

/// A strategic game, either given or derived from a tree.
pub(crate) enum Input<'a> {
    /// A strategic game handed in directly.
    Direct(&'a StrategicGame),
    /// The reduced strategic form of a tree.
    Reduced(Box<ReducedForm>, &'a Game),
}

impl<'a> Input<'a> {
    /// Builds the strategic form (reducing a tree; too large a tree is refused).
    pub(crate) fn new(game: GameRef<'a>) -> Result<Self, SolveError> {
        match game {
            GameRef::Strategic(g) => Ok(Input::Direct(g)),
            GameRef::Tree(g) => match reduced_strategic_form(g) {
                Ok(r) => Ok(Input::Reduced(Box::new(r), g)),
                Err(e) => Err(SolveError::Unsupported(Unsupported {
                    reason: e.to_string(),
                    suggest: None,
                })),
            },
        }
    }

    /// The strategic game to solve.
    pub(crate) fn game(&self) -> &StrategicGame {
        match self {
            Input::Direct(g) => g,
            Input::Reduced(r, _) => &r.game,
        }
    }

    /// The profile to report for a mixed profile of [`Input::game`].
    pub(crate) fn profile(&self, mixed: Vec<Vec<f64>>) -> Profile {
        match self {
            Input::Direct(_) => Profile::Mixed(mixed),
            Input::Reduced(r, g) => Profile::Behavior(r.behavior_from_mixed(&g.tree, &mixed)),
        }
    }
}

/// True if the two players' payoffs sum to the same constant in every profile (within `tol`
/// relative to the payoff scale).
pub(crate) fn is_constant_sum(g: &StrategicGame, tol: f64) -> bool {
    if g.n_players() != 2 || g.payoffs.len() < 2 {
        return false;
    }
    let c = g.payoffs[0] + g.payoffs[1];
    let eps = tol * g.payoff_scale();
    g.payoffs
        .chunks_exact(2)
        .all(|p| (p[0] + p[1] - c).abs() <= eps)
}

/// The two payoff matrices of a two-player game, `a[i][j]` and `b[i][j]` for row strategy `i`
/// of the first player and column strategy `j` of the second.
pub(crate) fn bimatrix(g: &StrategicGame) -> (Vec<Vec<f64>>, Vec<Vec<f64>>) {
    let (m, n) = (g.strategies[0].len(), g.strategies[1].len());
    let mut a = vec![vec![0.0; n]; m];
    let mut b = vec![vec![0.0; n]; m];
    for j in 0..n {
        for i in 0..m {
            let k = (j * m + i) * 2;
            a[i][j] = g.payoffs[k];
            b[i][j] = g.payoffs[k + 1];
        }
    }
    (a, b)
}

/// Refusal unless the game has exactly two players.
pub(crate) fn need_two_players(
    solver: &str,
    game: GameRef<'_>,
    other: &'static str,
) -> Result<(), Unsupported> {
    let n = game.n_players();
    if n == 2 {
        Ok(())
    } else {
        Err(Unsupported {
            reason: format!("{solver} needs a two-player game; this game has {n} players"),
            suggest: Some(other),
        })
    }
}
