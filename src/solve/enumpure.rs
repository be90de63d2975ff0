//! Pure-strategy Nash equilibria by enumeration, for any number of players.
//!
//! Every pure profile of the strategic form (for a tree: its reduced strategic form) is checked:
//! it is an equilibrium when each player's strategy attains that player's best payoff against
//! the others. The best payoffs are tabulated once per player and "profile of the others", so
//! the work is linear in the size of the payoff table. When the payoffs are exact, comparisons
//! are exact; otherwise a payoff counts as best within a tolerance relative to that player's
//! payoff range. The listing stops at `--max-equilibria` (or the `--ties all` cap) and says so
//! ([`Status::Truncated`]). This is what Gambit's `enumpure` computes.

use super::strategic_input::Input;
use super::*;
use crate::exact::{Rational, Scalar};
use num_traits::Zero;

/// Pure Nash equilibria by enumeration.
pub struct EnumPure;

impl Solver for EnumPure {
    fn name(&self) -> &'static str {
        "enumpure"
    }
    fn describe(&self) -> &'static str {
        "all pure-strategy Nash equilibria (strategic form or reduced form of a tree), any number of players"
    }
    fn supports(&self, game: GameRef<'_>) -> Result<(), Unsupported> {
        if game.n_players() == 0 {
            return Err(Unsupported {
                reason: "enumpure needs at least one player".into(),
                suggest: None,
            });
        }
        Ok(())
    }
    fn uses_strategic_form(&self) -> bool {
        true
    }
    fn solve(&self, game: GameRef<'_>, opts: &SolveOptions) -> Result<Solution, SolveError> {
        self.supports(game)?;
        let input = Input::new(game, opts)?;
        let cap = match opts.ties {
            TieMode::All { cap } => cap,
            TieMode::Report => usize::MAX,
        }
        .min(opts.max_equilibria.unwrap_or(usize::MAX));
        let g = input.game();
        let (found, truncated) = match &g.exact {
            Some(ex) => pure_equilibria_in(g, ex, &vec![Rational::zero(); g.n_players()], cap),
            None => {
                let eps = certificate::tolerances(&g.payoff_ranges(), opts.tol);
                pure_equilibria_in(g, &g.payoffs, &eps, cap)
            }
        };
        let shape = g.shape();
        let eqs = found
            .into_iter()
            .map(|pure| {
                let mixed: Vec<Vec<Rational>> = pure
                    .iter()
                    .zip(&shape)
                    .map(|(&s, &n)| {
                        (0..n)
                            .map(|k| Rational::from_integer(i64::from(k == s).into()))
                            .collect()
                    })
                    .collect();
                input.exact_equilibrium(mixed)
            })
            .collect();
        let mut sol = Solution::new(self.name(), eqs);
        if truncated {
            sol.status = Status::Truncated;
        }
        Ok(sol)
    }
}

/// All pure equilibria (each a strategy per player), in profile order, at most `cap`; the flag
/// says whether the cap cut the list short. `tol` is relative to each player's payoff range.
pub fn pure_equilibria(g: &StrategicGame, tol: f64, cap: usize) -> (Vec<Vec<usize>>, bool) {
    let eps = certificate::tolerances(&g.payoff_ranges(), tol);
    pure_equilibria_in(g, &g.payoffs, &eps, cap)
}

/// [`pure_equilibria`] over any scalar type, with the payoff table (laid out as
/// [`StrategicGame::payoffs`]) and each player's absolute tolerance given (zero: exact).
pub fn pure_equilibria_in<T: Scalar>(
    g: &StrategicGame,
    table: &[T],
    eps: &[T],
    cap: usize,
) -> (Vec<Vec<usize>>, bool) {
    let np = g.n_players();
    let shape = g.shape();
    let total = g.n_profiles();
    // best[p][others]: p's best payoff against the others' profile `others` (p's coordinate
    // removed from the profile index).
    let mut stride = 1usize;
    let mut best: Vec<Vec<Option<T>>> = Vec::with_capacity(np);
    let mut strides = Vec::with_capacity(np);
    for (p, &len) in shape.iter().enumerate().take(np) {
        let n = len.max(1);
        let mut b: Vec<Option<T>> = vec![None; total / n];
        for prof in 0..total {
            let o = prof % stride + (prof / (stride * n)) * stride;
            let u = &table[prof * np + p];
            if b[o].as_ref().is_none_or(|v| u > v) {
                b[o] = Some(u.clone());
            }
        }
        best.push(b);
        strides.push(stride);
        stride *= n;
    }
    let mut out = Vec::new();
    let mut pure = vec![0usize; np];
    for prof in 0..total {
        let ok = (0..np).all(|p| {
            let (s, n) = (strides[p], shape[p]);
            let o = prof % s + (prof / (s * n)) * s;
            match &best[p][o] {
                Some(b) => table[prof * np + p].clone() + eps[p].clone() >= *b,
                None => true,
            }
        });
        if ok {
            if out.len() == cap {
                return (out, true);
            }
            out.push(pure.clone());
        }
        crate::game::strategic::advance(&mut pure, &shape);
    }
    (out, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn game(np: usize, shape: Vec<usize>, payoffs: Vec<f64>) -> StrategicGame {
        StrategicGame {
            title: String::new(),
            players: (1..=np).map(|p| p.to_string()).collect(),
            strategies: shape
                .iter()
                .map(|&n| (1..=n).map(|s| s.to_string()).collect())
                .collect(),
            payoffs,
            exact: None,
        }
    }

    #[test]
    fn prisoners_dilemma_and_pennies() {
        // Prisoner's dilemma (C=0, D=1): the unique equilibrium is (D, D).
        let pd = game(2, vec![2, 2], vec![3., 3., 5., 0., 0., 5., 1., 1.]);
        assert_eq!(pure_equilibria(&pd, 1e-9, usize::MAX).0, vec![vec![1, 1]]);
        // Matching pennies has none.
        let mp = game(2, vec![2, 2], vec![1., -1., -1., 1., -1., 1., 1., -1.]);
        assert!(pure_equilibria(&mp, 1e-9, usize::MAX).0.is_empty());
    }

    #[test]
    fn three_player_coordination() {
        // Everyone gets 1 if all choose the same strategy, else 0: two pure equilibria.
        let mut pay = Vec::new();
        for prof in 0..8 {
            let same = prof == 0 || prof == 7;
            pay.extend([f64::from(u8::from(same)); 3]);
        }
        let g = game(3, vec![2, 2, 2], pay);
        let (eqs, _) = pure_equilibria(&g, 1e-9, usize::MAX);
        assert_eq!(eqs, vec![vec![0, 0, 0], vec![1, 1, 1]]);
        let sol = EnumPure
            .solve(GameRef::Strategic(&g), &SolveOptions::default())
            .unwrap();
        let mut sol = sol;
        certify(GameRef::Strategic(&g), &mut sol).unwrap();
        assert!(sol.equilibria.iter().all(|e| e.max_regret() <= 1e-9));
        let (capped, truncated) = pure_equilibria(&g, 1e-9, 1);
        assert_eq!((capped.len(), truncated), (1, true));
    }

    #[test]
    fn max_equilibria_caps_an_all_ties_game() {
        // 14 players with one payoff everywhere: all 2^14 profiles are equilibria.
        let np = 14;
        let pay = vec![0.0; (1 << np) * np];
        let mut g = game(np, vec![2; np], pay);
        g.exact = Some(std::sync::Arc::new(vec![Rational::zero(); (1 << np) * np]));
        let opts = SolveOptions {
            max_equilibria: Some(100),
            ..SolveOptions::default()
        };
        let sol = EnumPure.solve(GameRef::Strategic(&g), &opts).unwrap();
        assert_eq!(sol.equilibria.len(), 100);
        assert_eq!(sol.status, Status::Truncated);
    }
}
