//! The strategic form a strategic-form solver works on: the game itself, or the reduced
//! strategic form of a tree, plus the way back from mixed strategies to the solver's profile.
//!
//! Solvers written for [`StrategicGame`]s take trees through this module, so they all reduce a
//! tree the same way and all return behaviour profiles for trees.

use super::{Equilibrium, ExactProfile, GameRef, Profile, SolveError, SolveOptions, Unsupported};
use crate::exact::{Rational, Scalar};
use crate::game::reduce::{reduced_strategic_form_within, ReducedForm};
use crate::game::{recall, Game, StrategicGame};

/// A strategic game, either given or derived from a tree.
pub(crate) enum Input<'a> {
    /// A strategic game handed in directly.
    Direct(&'a StrategicGame),
    /// The reduced strategic form of a tree; the flag says whether the tree has perfect
    /// recall (then answers are behaviour profiles; otherwise mixed profiles of the form).
    Reduced(Box<ReducedForm>, &'a Game, bool),
}

impl<'a> Input<'a> {
    /// Builds the strategic form (reducing a tree; a form beyond the options' cell budget is
    /// refused).
    pub(crate) fn new(game: GameRef<'a>, opts: &SolveOptions) -> Result<Self, SolveError> {
        match game {
            GameRef::Strategic(g) => Ok(Input::Direct(g)),
            GameRef::Tree(g) => match reduced_strategic_form_within(g, opts.max_cells) {
                Ok(r) => Ok(Input::Reduced(
                    Box::new(r),
                    g,
                    recall::check(&g.tree).is_ok(),
                )),
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
            Input::Reduced(r, _, _) => &r.game,
        }
    }

    /// The profile to report for a mixed profile of [`Input::game`]: the mixed profile itself
    /// for strategic games and trees without perfect recall, else the equivalent behaviour
    /// profile.
    pub(crate) fn profile(&self, mixed: Vec<Vec<f64>>) -> Profile {
        match self {
            Input::Reduced(r, g, true) => Profile::Behavior(r.behavior_from_mixed(&g.tree, &mixed)),
            _ => Profile::Mixed(mixed),
        }
    }

    /// The equilibrium to report for an exact mixed profile of [`Input::game`] (see
    /// [`Input::profile`]), carrying its exact form.
    pub(crate) fn exact_equilibrium(&self, mixed: Vec<Vec<Rational>>) -> Equilibrium {
        match self {
            Input::Reduced(r, g, true) => Equilibrium::with_exact(ExactProfile::Behavior(
                r.behavior_from_mixed_in(&g.tree, &mixed).into(),
            )),
            _ => Equilibrium::with_exact(ExactProfile::Mixed(mixed)),
        }
    }
}

/// True if the two players' payoffs sum to the same constant in every profile: exactly when
/// the payoffs are exact, else within `tol` relative to the players' payoff ranges.
pub(crate) fn is_constant_sum(g: &StrategicGame, tol: f64) -> bool {
    if g.n_players() != 2 || g.payoffs.len() < 2 {
        return false;
    }
    match &g.exact {
        Some(ex) => crate::game::numeric::constant_sum_exact(ex),
        None => crate::game::numeric::constant_sum_float(&g.payoffs, tol),
    }
}

/// The two payoff matrices of a two-player table laid out as [`StrategicGame::payoffs`]
/// (`shape` = (rows, columns)), over any scalar type.
pub(crate) fn bimatrix_in<T: Scalar>(
    shape: (usize, usize),
    table: &[T],
) -> (Vec<Vec<T>>, Vec<Vec<T>>) {
    let (m, n) = shape;
    let mut a = vec![vec![T::zero(); n]; m];
    let mut b = vec![vec![T::zero(); n]; m];
    for j in 0..n {
        for i in 0..m {
            let k = (j * m + i) * 2;
            a[i][j] = table[k].clone();
            b[i][j] = table[k + 1].clone();
        }
    }
    (a, b)
}

/// The two payoff matrices of a two-player game, `a[i][j]` and `b[i][j]` for row strategy `i`
/// of the first player and column strategy `j` of the second.
pub(crate) fn bimatrix(g: &StrategicGame) -> (Vec<Vec<f64>>, Vec<Vec<f64>>) {
    bimatrix_in((g.strategies[0].len(), g.strategies[1].len()), &g.payoffs)
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
