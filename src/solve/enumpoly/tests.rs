//! Unit tests of support enumeration on games with known equilibrium sets.

use super::*;
use crate::game::StrategicGame;

fn game(shape: &[usize], payoffs: Vec<f64>) -> StrategicGame {
    StrategicGame {
        title: String::new(),
        players: (1..=shape.len()).map(|p| p.to_string()).collect(),
        strategies: shape
            .iter()
            .map(|&k| (0..k).map(|s| format!("s{s}")).collect())
            .collect(),
        payoffs,
        exact: None,
    }
}

fn solve(g: &StrategicGame) -> Solution {
    let mut sol = EnumPoly
        .solve(GameRef::Strategic(g), &SolveOptions::default())
        .unwrap();
    certify(GameRef::Strategic(g), &mut sol).unwrap();
    for e in &sol.equilibria {
        assert!(e.max_regret() <= 1e-9, "regret {}", e.max_regret());
    }
    sol
}

fn mixed(e: &Equilibrium) -> Vec<Vec<f64>> {
    match &e.profile {
        Profile::Mixed(m) => m.clone(),
        p => panic!("{p:?}"),
    }
}

/// Seeded pseudo-random payoffs in 0..100.
fn random(shape: &[usize], seed: u64) -> StrategicGame {
    let mut s = seed;
    let n: usize = shape.iter().product::<usize>() * shape.len();
    let pay = (0..n)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s % 100) as f64
        })
        .collect();
    game(shape, pay)
}

#[test]
fn battle_of_the_sexes_has_three_equilibria() {
    // (2,1) (0,0) / (0,0) (1,2): two pure, one mixed ((2/3,1/3), (1/3,2/3)).
    let g = game(&[2, 2], vec![2., 1., 0., 0., 0., 0., 1., 2.]);
    let sol = solve(&g);
    assert_eq!(sol.equilibria.len(), 3);
    let m = mixed(&sol.equilibria[2]);
    assert!((m[0][0] - 2.0 / 3.0).abs() < 1e-15 && (m[1][0] - 1.0 / 3.0).abs() < 1e-15);
    assert!(sol.notes.is_empty());
}

#[test]
fn random_three_player_games_contain_every_pure_and_path_equilibrium() {
    for seed in 1..8u64 {
        let g = random(&[2, 2, 3], seed * 7919);
        let sol = solve(&g);
        // Every pure equilibrium is listed.
        let (pure, _) = crate::solve::enumpure::pure_equilibria(&g, 1e-9, usize::MAX);
        for p in &pure {
            assert!(
                sol.equilibria.iter().any(|e| mixed(e)
                    .iter()
                    .zip(p)
                    .all(|(m, &s)| (m[s] - 1.0).abs() < 1e-12)),
                "seed {seed}: pure {p:?} missing"
            );
        }
        // The equilibria found by the path methods are listed too (generic games: isolated).
        for other in [
            Box::new(crate::solve::gnm::GlobalNewton) as Box<dyn Solver>,
            Box::new(crate::solve::logit::Logit),
        ] {
            let s = other
                .solve(GameRef::Strategic(&g), &SolveOptions::default())
                .unwrap();
            let m = mixed(&s.equilibria[0]);
            assert!(
                sol.equilibria.iter().any(|e| mixed(e)
                    .iter()
                    .flatten()
                    .zip(m.iter().flatten())
                    .all(|(a, b)| (a - b).abs() < 1e-9)),
                "seed {seed}: {} equilibrium {m:?} missing from {:?}",
                other.name(),
                sol.equilibria.iter().map(mixed).collect::<Vec<_>>()
            );
        }
        // No equilibrium twice.
        for (i, a) in sol.equilibria.iter().enumerate() {
            for b in &sol.equilibria[i + 1..] {
                let d = mixed(a)
                    .iter()
                    .flatten()
                    .zip(mixed(b).iter().flatten())
                    .map(|(x, y)| (x - y).abs())
                    .fold(0.0, f64::max);
                assert!(d > 1e-9, "seed {seed}: duplicate");
            }
        }
    }
}

#[test]
fn a_continuum_is_reported_with_one_member() {
    // The row player strictly prefers its first row; the column player is indifferent
    // everywhere: every mixture of the columns is an equilibrium.
    let g = game(&[2, 2], vec![1., 0., 0., 0., 1., 0., 0., 0.]);
    let sol = solve(&g);
    assert!(
        sol.notes.iter().any(|n| n.contains("continuum")),
        "{:?}",
        sol.notes
    );
    // The two pure equilibria and one member of the continuum.
    assert_eq!(sol.equilibria.len(), 3, "{:?}", sol.equilibria);
}

#[test]
fn tree_equilibria_are_certified_and_include_the_logit_limit() {
    let g = crate::solve::values::agent::tests::signalling();
    let mut sol = EnumPoly
        .solve(GameRef::Tree(&g), &SolveOptions::default())
        .unwrap();
    certify(GameRef::Tree(&g), &mut sol).unwrap();
    assert!(!sol.equilibria.is_empty());
    for e in &sol.equilibria {
        assert!(e.max_regret() <= 1e-9);
    }
    let mut lim = crate::solve::logit::Logit
        .solve(GameRef::Tree(&g), &SolveOptions::default())
        .unwrap();
    certify(GameRef::Tree(&g), &mut lim).unwrap();
    let want = &lim.equilibria[0].payoffs;
    assert!(sol.equilibria.iter().any(|e| e
        .payoffs
        .iter()
        .zip(want)
        .all(|(a, b)| (a - b).abs() < 1e-9)));
}

#[test]
fn a_passed_deadline_stops_with_the_time_limit_status() {
    let g = random(&[3, 3, 3], 17);
    let opts = SolveOptions {
        deadline: Some(Instant::now()),
        ..SolveOptions::default()
    };
    let sol = EnumPoly.solve(GameRef::Strategic(&g), &opts).unwrap();
    assert_eq!(sol.status, Status::TimeLimit);
    assert!(
        sol.notes.iter().any(|n| n.contains("incomplete")),
        "{:?}",
        sol.notes
    );
}

#[test]
fn a_support_cut_at_the_box_budget_makes_the_list_incomplete() {
    // Three players with two strategies each: the full support's indifference conditions are
    // bilinear, so they go to root isolation, which a budget of one box cannot finish unless
    // the first box is excluded outright.
    let tight = IsolateParams {
        max_boxes: 1,
        ..IsolateParams::default()
    };
    let mut cut = 0;
    for seed in 1..12u64 {
        let g = random(&[2, 2, 2], seed * 104_729);
        let game = GameRef::Strategic(&g);
        let opts = SolveOptions::default();
        let full = EnumPoly.solve(game, &opts).unwrap();
        let mut seen = 0;
        let sol = EnumPoly
            .solve_with_progress(game, &opts, tight.clone(), &mut |p| seen = p.supports)
            .unwrap();
        // Every support is still examined (3 × 3 × 3 nonempty supports).
        assert_eq!(seen, 27, "seed {seed}");
        let budget = sol.notes.iter().any(|n| n.contains("box budget"));
        if budget {
            cut += 1;
            assert_eq!(
                sol.status,
                Status::StepLimit,
                "seed {seed}: {:?}",
                sol.notes
            );
        } else {
            assert_eq!(sol.status, Status::Solved, "seed {seed}");
        }
        // What was found under the budget is certified and among the full list.
        let mut sol = sol;
        certify(game, &mut sol).unwrap();
        for e in &sol.equilibria {
            assert!(e.is_certified(), "seed {seed}");
            assert!(
                full.equilibria.iter().any(|f| mixed(f)
                    .iter()
                    .flatten()
                    .zip(mixed(e).iter().flatten())
                    .all(|(a, b)| (a - b).abs() < 1e-9)),
                "seed {seed}"
            );
        }
    }
    assert!(cut > 0, "no seed reached the box budget");
}
