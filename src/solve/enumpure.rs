//! Pure-strategy Nash equilibria by enumeration, for any number of players.
//!
//! Every pure profile of the strategic form (for a tree: its reduced strategic form) is checked:
//! it is an equilibrium when each player's strategy attains that player's best payoff against
//! the others. The best payoffs are tabulated once per player and "profile of the others", so
//! the work is linear in the size of the payoff table. Ties are decided with a tolerance scaled
//! by the largest payoff. This is what Gambit's `enumpure` computes.

use super::strategic_input::Input;
use super::*;

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
    fn solve(&self, game: GameRef<'_>, opts: &SolveOptions) -> Result<Solution, SolveError> {
        self.supports(game)?;
        let input = Input::new(game)?;
        let cap = match opts.ties {
            TieMode::All { cap } => cap,
            TieMode::Report => usize::MAX,
        };
        let (found, truncated) = pure_equilibria(input.game(), opts.tol, cap);
        let shape = input.game().shape();
        let eqs = found
            .into_iter()
            .map(|pure| {
                let mixed = pure
                    .iter()
                    .zip(&shape)
                    .map(|(&s, &n)| (0..n).map(|k| if k == s { 1.0 } else { 0.0 }).collect())
                    .collect();
                Equilibrium::new(input.profile(mixed))
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
/// says whether the cap cut the list short. `tol` is relative to the payoff scale.
pub fn pure_equilibria(g: &StrategicGame, tol: f64, cap: usize) -> (Vec<Vec<usize>>, bool) {
    let np = g.n_players();
    let shape = g.shape();
    let total = g.n_profiles();
    let eps = tol * g.payoff_scale();
    // best[p][others]: p's best payoff against the others' profile `others` (p's coordinate
    // removed from the profile index).
    let mut stride = 1usize;
    let mut best: Vec<Vec<f64>> = Vec::with_capacity(np);
    let mut strides = Vec::with_capacity(np);
    for (p, &len) in shape.iter().enumerate().take(np) {
        let n = len.max(1);
        let mut b = vec![f64::NEG_INFINITY; total / n];
        for prof in 0..total {
            let o = prof % stride + (prof / (stride * n)) * stride;
            let u = g.payoffs[prof * np + p];
            if u > b[o] {
                b[o] = u;
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
            g.payoffs[prof * np + p] >= best[p][o] - eps
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
}
