//! Backward induction (placeholder while the crate is assembled).
use super::*;

/// Backward induction for perfect-information games.
pub struct BackwardInduction;

impl Solver for BackwardInduction {
    fn name(&self) -> &'static str {
        "backward"
    }
    fn describe(&self) -> &'static str {
        "subgame-perfect equilibrium of perfect-information games"
    }
    fn supports(&self, _game: GameRef<'_>) -> Result<(), Unsupported> {
        Err(Unsupported {
            reason: "not yet".into(),
            suggest: None,
        })
    }
    fn solve(&self, game: GameRef<'_>, _opts: &SolveOptions) -> Result<Solution, SolveError> {
        Err(self.supports(game).unwrap_err().into())
    }
}
