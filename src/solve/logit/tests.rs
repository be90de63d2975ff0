//! Unit tests of the logit methods on small games with known answers.

use super::*;
use crate::game::StrategicGame;

fn strategic(shape: &[usize], payoffs: Vec<f64>) -> StrategicGame {
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

/// Each of three players wants to differ from the next: the unique equilibrium is 50:50.
fn cyclic_pennies() -> StrategicGame {
    let mut pay = Vec::new();
    for prof in 0..8usize {
        let s = [prof & 1, (prof >> 1) & 1, (prof >> 2) & 1];
        for i in 0..3 {
            pay.push(if s[i] != s[(i + 1) % 3] { 1.0 } else { 0.0 });
        }
    }
    strategic(&[2, 2, 2], pay)
}

fn mixed(sol: &Solution) -> Vec<Vec<f64>> {
    match &sol.equilibria[0].profile {
        Profile::Mixed(m) => m.clone(),
        p => panic!("not mixed: {p:?}"),
    }
}

#[test]
fn three_player_mixed_limit_is_exact() {
    let g = cyclic_pennies();
    let mut sol = Logit
        .solve(GameRef::Strategic(&g), &SolveOptions::default())
        .unwrap();
    certify(GameRef::Strategic(&g), &mut sol).unwrap();
    assert_eq!(sol.equilibria.len(), 1);
    assert!(sol.equilibria[0].max_regret() <= 1e-12);
    for v in mixed(&sol).iter().flatten() {
        assert!((v - 0.5).abs() < 1e-12, "{v}");
    }
}

#[test]
fn asymmetric_two_by_two_limit() {
    // Row: (3,0 / 0,1) vs column: (0,1 / 2,0): unique mixed equilibrium.
    // Payoffs profile-major, first player fastest: (0,0) (1,0) (0,1) (1,1).
    let g = strategic(&[2, 2], vec![3., 0., 0., 2., 0., 1., 1., 0.]);
    let sol = Logit
        .solve(GameRef::Strategic(&g), &SolveOptions::default())
        .unwrap();
    let m = mixed(&sol);
    // Column mixes to make row indifferent: 3q = 1 - q → q = 1/4; row: 2(1-p) = p → p = 2/3.
    assert!((m[0][0] - 2.0 / 3.0).abs() < 1e-12, "{m:?}");
    assert!((m[1][0] - 0.25).abs() < 1e-12, "{m:?}");
}

/// Direct solution of the logit fixed point by damped iteration (a contraction at small λ).
fn direct_fixed_point(g: &StrategicGame, lambda: f64) -> Vec<Vec<f64>> {
    let mut m: Vec<Vec<f64>> = g.shape().iter().map(|&k| vec![1.0 / k as f64; k]).collect();
    for _ in 0..200_000 {
        let np = g.n_players();
        let mut next = m.clone();
        for p in 0..np {
            let k = g.shape()[p];
            let u: Vec<f64> = (0..k)
                .map(|s| {
                    let mut dev = m.clone();
                    dev[p] = (0..k).map(|t| if t == s { 1.0 } else { 0.0 }).collect();
                    g.expected_payoffs(&dev)[p]
                })
                .collect();
            let mx = u.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            let e: Vec<f64> = u.iter().map(|x| (lambda * (x - mx)).exp()).collect();
            let t: f64 = e.iter().sum();
            for (s, es) in e.iter().enumerate() {
                next[p][s] = 0.5 * m[p][s] + 0.5 * es / t;
            }
        }
        let d = next
            .iter()
            .flatten()
            .zip(m.iter().flatten())
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        m = next;
        if d < 1e-16 {
            break;
        }
    }
    m
}

#[test]
fn qre_at_lambda_matches_direct_fixed_point() {
    let g = strategic(
        &[2, 3],
        vec![3., 1., 0., 2., 1., 0., 0., 3., 2., 1., 1., 2.],
    );
    for lambda in [0.0, 0.3, 1.0, 2.5] {
        let q = qre(GameRef::Strategic(&g), lambda, None).unwrap();
        let Profile::Mixed(m) = &q.profile else {
            panic!()
        };
        let d = direct_fixed_point(&g, lambda);
        for (a, b) in m.iter().flatten().zip(d.iter().flatten()) {
            assert!((a - b).abs() < 1e-10, "λ={lambda}: {m:?} vs {d:?}");
        }
        assert!(q.residual < 1e-13, "residual {}", q.residual);
    }
}

#[test]
fn tree_limit_is_sequential_with_beliefs() {
    let g = crate::solve::values::agent::tests::signalling();
    let mut sol = Logit
        .solve(GameRef::Tree(&g), &SolveOptions::default())
        .unwrap();
    certify(GameRef::Tree(&g), &mut sol).unwrap();
    let eq = &sol.equilibria[0];
    assert!(eq.max_regret() <= 1e-12, "regret {}", eq.max_regret());
    let beliefs = eq.beliefs.as_ref().expect("beliefs");
    for s in 0..g.tree.infosets.len() {
        let tot: f64 = g
            .tree
            .members(crate::game::InfosetId::from(s))
            .iter()
            .map(|h| beliefs[h.ix()])
            .sum();
        assert!((tot - 1.0).abs() < 1e-9);
    }
}

#[test]
fn path_reports_points_and_limit() {
    let g = cyclic_pennies();
    let mut pts = Vec::new();
    let end = path(GameRef::Strategic(&g), None, None, &mut |p| {
        pts.push(p.clone())
    })
    .unwrap();
    assert!(end.limit.is_some());
    assert!(pts.len() > 2);
    assert_eq!(pts.last().unwrap().lambda, f64::INFINITY);
    assert!(pts
        .windows(2)
        .all(|w| w[0].lambda <= w[1].lambda || w[1].lambda.is_infinite()));
}
