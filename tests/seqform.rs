//! Sequence-form LP, Lemke on the sequence-form LCP, and subgame decomposition, checked on
//! games with known answers (docs/models/validation-games.md and small games solved by hand below).

use deter::game::examples::{kuhn_poker, leduc_poker, leduc_poker_raked, matching_pennies};
use deter::game::{Game, InfosetId, NodeKind, PlayerId, TreeBuilder};
use deter::solve::lemke::SequenceLcp;
use deter::solve::seqlp::SequenceLp;
use deter::solve::subgame::{subgame_roots, SubgameDecomposition};
use deter::solve::{certify, GameRef, Profile, Solution, SolveOptions, Solver};
use std::sync::Arc;

/// Runs a solver, certifies the result and checks every equilibrium's regret.
fn solve_certified(s: &dyn Solver, g: &Game) -> (Solution, Vec<f64>) {
    let mut sol = s.solve(GameRef::Tree(g), &SolveOptions::default()).unwrap();
    certify(GameRef::Tree(g), &mut sol).unwrap();
    assert!(!sol.equilibria.is_empty());
    for e in &sol.equilibria {
        assert!(e.max_regret() <= 1e-9, "regret {:?}", e.regret);
    }
    let Profile::Behavior(b) = sol.equilibria[0].profile.clone() else {
        panic!("a tree solver returns behaviour strategies")
    };
    (sol, b)
}

/// Probability of the action labelled `action` at the information set named `set`.
fn prob(g: &Game, b: &[f64], set: &str, action: &str) -> f64 {
    let t = &g.tree;
    let s = t
        .infoset_names
        .iter()
        .position(|n| n == set)
        .unwrap_or_else(|| panic!("no information set {set}"));
    let info = &t.infosets[s];
    let a = (0..info.n_actions as usize)
        .find(|&a| t.action_label(InfosetId::from(s), a) == action)
        .unwrap_or_else(|| panic!("no action {action} at {set}"));
    b[info.first_action as usize + a]
}

/// A 2×2 general-sum game played simultaneously (player 2 does not see player 1's move),
/// optionally preceded by player 1's choice to stay out for `out` (player 2 then gets 0).
/// Stage payoffs (1, 2): (U,L) = (2,0), (U,R) = (0,1), (D,L) = (0,3), (D,R) = (d,0).
fn simultaneous(d: f64, out: Option<f64>) -> Game {
    let mut b = TreeBuilder::new("stage", vec!["1".into(), "2".into()]);
    let stage = b.decision("stage", PlayerId(0), Some("1:stage".into()));
    let mut pay = Vec::new();
    let root = match out {
        Some(v) => {
            let r = b.decision("entry", PlayerId(0), Some("1:entry".into()));
            let o = b.terminal("out", vec![]);
            b.add_move(r, "Out", None, o).unwrap();
            b.add_move(r, "In", None, stage).unwrap();
            pay.push((o, [v, 0.0]));
            r
        }
        None => stage,
    };
    for (m1, row) in [
        ("U", [(2.0, 0.0), (0.0, 1.0)]),
        ("D", [(0.0, 3.0), (d, 0.0)]),
    ] {
        let n = b.decision(m1, PlayerId(1), Some("2".into()));
        b.add_move(stage, m1, None, n).unwrap();
        for (m2, (u1, u2)) in ["L", "R"].into_iter().zip(row) {
            let l = b.terminal(format!("{m1}{m2}"), vec![]);
            b.add_move(n, m2, None, l).unwrap();
            pay.push((l, [u1, u2]));
        }
    }
    let built = b.finish(root).unwrap();
    let tree = Arc::new(built.tree);
    let mut g = Game::zeroed(tree.clone());
    for (bn, p) in pay {
        let id = built.node_of[bn].unwrap();
        let NodeKind::Terminal { leaf } = tree.node(id).kind else {
            unreachable!()
        };
        g.payoffs[leaf.ix() * 2..leaf.ix() * 2 + 2].copy_from_slice(&p);
    }
    g
}

#[test]
fn kuhn_lp_value_and_equilibrium_family() {
    let g = kuhn_poker();
    let (sol, b) = solve_certified(&SequenceLp, &g);
    // docs/models/validation-games.md: value −1/18 for player 1.
    assert!((sol.value.unwrap() + 1.0 / 18.0).abs() < 1e-9);
    assert!((sol.equilibria[0].payoffs[0] + 1.0 / 18.0).abs() < 1e-9);
    // docs/models/validation-games.md, player 2: facing a bet K calls, Q calls 1/3, J folds; after a check
    // K bets, Q checks, J bets 1/3.
    let close = |x: f64, y: f64| (x - y).abs() < 1e-9;
    assert!(close(prob(&g, &b, "2:K:b", "call"), 1.0));
    assert!(close(prob(&g, &b, "2:Q:b", "call"), 1.0 / 3.0));
    assert!(close(prob(&g, &b, "2:J:b", "call"), 0.0));
    assert!(close(prob(&g, &b, "2:K:c", "bet"), 1.0));
    assert!(close(prob(&g, &b, "2:Q:c", "bet"), 0.0));
    assert!(close(prob(&g, &b, "2:J:c", "bet"), 1.0 / 3.0));
    // Player 1 in the α family, α ∈ [0, 1/3]: J bets α, Q checks and calls α + 1/3,
    // K bets 3α, J folds to a bet after checking, K calls.
    let alpha = prob(&g, &b, "1:J", "bet");
    assert!((-1e-9..=1.0 / 3.0 + 1e-9).contains(&alpha));
    assert!(close(prob(&g, &b, "1:Q", "bet"), 0.0));
    assert!(close(prob(&g, &b, "1:Q:cb", "call"), alpha + 1.0 / 3.0));
    assert!(close(prob(&g, &b, "1:K", "bet"), 3.0 * alpha));
    if alpha < 1.0 {
        assert!(close(prob(&g, &b, "1:J:cb", "call"), 0.0));
    }
    if 3.0 * alpha < 1.0 - 1e-9 {
        assert!(close(prob(&g, &b, "1:K:cb", "call"), 1.0));
    }
}

#[test]
fn kuhn_lcp_equilibrium_pays_minus_one_eighteenth() {
    let g = kuhn_poker();
    let (sol, _) = solve_certified(&SequenceLcp, &g);
    // Every equilibrium of a zero-sum game pays the value, −1/18 (docs/models/validation-games.md).
    assert!((sol.equilibria[0].payoffs[0] + 1.0 / 18.0).abs() < 1e-9);
}

#[test]
fn matching_pennies_half_half_from_both() {
    let g = matching_pennies();
    // docs/models/validation-games.md: unique equilibrium (½, ½), value 0.
    for s in [&SequenceLp as &dyn Solver, &SequenceLcp] {
        let (sol, b) = solve_certified(s, &g);
        assert!(
            b.iter().all(|p| (p - 0.5).abs() < 1e-9),
            "{}: {b:?}",
            s.name()
        );
        assert!(sol.equilibria[0].payoffs[0].abs() < 1e-9);
    }
}

#[test]
fn general_sum_unique_mixed_equilibrium() {
    // No pure equilibrium (best responses cycle U→R→D→L→U); indifference gives the unique
    // equilibrium: player 2 plays L with q where 2q = 1 − q (q = 1/3), player 1 plays U with
    // p where 3(1 − p) = p (p = 3/4); payoffs (2/3, 3/4).
    let g = simultaneous(1.0, None);
    assert!(SequenceLp.supports(GameRef::Tree(&g)).is_err());
    let (sol, b) = solve_certified(&SequenceLcp, &g);
    assert!((prob(&g, &b, "1:stage", "U") - 0.75).abs() < 1e-12);
    assert!((prob(&g, &b, "2", "L") - 1.0 / 3.0).abs() < 1e-12);
    let pay = &sol.equilibria[0].payoffs;
    assert!((pay[0] - 2.0 / 3.0).abs() < 1e-12 && (pay[1] - 0.75).abs() < 1e-12);
}

#[test]
fn subgame_decomposition_gives_the_subgame_perfect_equilibrium() {
    // Stage with d = 0.4: unique stage equilibrium q = P(L) from 2q = 0.4(1 − q), q = 1/6,
    // p = P(U) = 3/4 as above; player 1's stage value 2q = 1/3 < 1/2, so the SPE stays Out.
    let g = simultaneous(0.4, Some(0.5));
    let roots = subgame_roots(&g.tree);
    assert_eq!(roots.len(), 2, "the root and the simultaneous stage");
    let (_, b) = solve_certified(&SubgameDecomposition, &g);
    assert!((prob(&g, &b, "1:entry", "Out") - 1.0).abs() < 1e-12);
    assert!((prob(&g, &b, "1:stage", "U") - 0.75).abs() < 1e-9);
    assert!((prob(&g, &b, "2", "L") - 1.0 / 6.0).abs() < 1e-9);
    // A Nash equilibrium that is not subgame perfect: Out, with (D, R) in the stage — a
    // non-equilibrium of the stage, never reached. Zero regret in the whole game.
    let mut other = b.clone();
    let t = &g.tree;
    for (s, set) in t.infosets.iter().enumerate() {
        let want = match t.infoset_names[s].as_str() {
            "1:entry" => "Out",
            "1:stage" => "D",
            _ => "R",
        };
        for a in 0..set.n_actions as usize {
            other[set.first_action as usize + a] =
                f64::from(u8::from(t.action_label(InfosetId::from(s), a) == want));
        }
    }
    let r = deter::game::profile::max_regret(&g, &other).unwrap();
    assert!(r <= 1e-12);
    assert_ne!(other, b);
}

#[test]
fn seqform_lp_refuses_general_sum_and_suggests_lcp() {
    let g = simultaneous(1.0, None);
    let e = SequenceLp.supports(GameRef::Tree(&g)).unwrap_err();
    assert!(e.reason.starts_with("not zero-sum"), "{}", e.reason);
    assert_eq!(e.suggest, Some("lcp"));
}

/// Three-player matching pennies: players 2 and 3 both move without seeing anything.
fn three_players() -> Game {
    let mut b = TreeBuilder::new("3p", vec!["1".into(), "2".into(), "3".into()]);
    let r = b.decision("r", PlayerId(0), None);
    for m in ["H", "T"] {
        let n = b.decision(m, PlayerId(1), Some("2".into()));
        b.add_move(r, m, None, n).unwrap();
        for m2 in ["H", "T"] {
            let l = b.terminal(format!("{m}{m2}"), vec![]);
            b.add_move(n, m2, None, l).unwrap();
        }
    }
    Game::zeroed(Arc::new(b.finish(r).unwrap().tree))
}

#[test]
fn refusals_name_the_reason() {
    let g = three_players();
    for s in [
        &SequenceLp as &dyn Solver,
        &SequenceLcp,
        &SubgameDecomposition,
    ] {
        let e = s.supports(GameRef::Tree(&g)).unwrap_err();
        assert!(e.reason.contains('3'), "{}: {}", s.name(), e.reason);
    }
    // Player 1 forgets its own first move (MODELS-independent structural check).
    let mut b = TreeBuilder::new("forget", vec!["1".into(), "2".into()]);
    let r = b.decision("r", PlayerId(0), None);
    for m in ["L", "R"] {
        let n = b.decision(m, PlayerId(0), Some("again".into()));
        b.add_move(r, m, None, n).unwrap();
        for m2 in ["a", "b"] {
            let l = b.terminal(format!("{m}{m2}"), vec![]);
            b.add_move(n, m2, None, l).unwrap();
        }
    }
    let g = Game::zeroed(Arc::new(b.finish(r).unwrap().tree));
    for s in [
        &SequenceLp as &dyn Solver,
        &SequenceLcp,
        &SubgameDecomposition,
    ] {
        let e = s.supports(GameRef::Tree(&g)).unwrap_err();
        assert!(
            e.reason.contains("perfect recall") && e.reason.contains("`again`"),
            "{}: {}",
            s.name(),
            e.reason
        );
    }
}

#[test]
fn leduc_lp_value() {
    // The known value of Leduc poker for player 1 under these rules: −0.0856064.
    let g = leduc_poker();
    let (sol, _) = solve_certified(&SequenceLp, &g);
    assert!((sol.value.unwrap() + 0.0856064).abs() < 1e-6);
}

#[test]
fn lcp_solves_general_sum_leduc() {
    // Leduc's sequence-form LCP (3,124 rows) is beyond the dense exact tableau: Lemke's path
    // runs in sparse floating point and the certificate checks the result.
    let g = leduc_poker_raked(0.1);
    assert!(!g.is_constant_sum(1e-9));
    let (sol, b) = solve_certified(&SequenceLcp, &g);
    assert_eq!(sol.status, deter::solve::Status::Solved);
    // Every information set's behaviour is a distribution.
    assert_eq!(b.len(), g.tree.n_actions());
    for set in &g.tree.infosets {
        let first = set.first_action as usize;
        let sum: f64 = b[first..first + set.n_actions as usize].iter().sum();
        assert!((sum - 1.0).abs() < 1e-9, "sum {sum}");
    }
}

#[test]
fn lcp_on_zero_sum_leduc_reaches_the_game_value() {
    // On the zero-sum game every equilibrium has the LP's value.
    let g = leduc_poker();
    let (_, b) = solve_certified(&SequenceLcp, &g);
    let v = deter::game::profile::expected_payoffs(&g, &b)[0];
    assert!((v + 0.0856064).abs() < 1e-6, "value {v}");
}

#[test]
fn cli_solves_general_sum_leduc_with_lcp() {
    // The whole process, as a user runs it, on the game written out as a Gambit .efg file.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("leduc_raked.efg");
    std::fs::write(&path, deter::format::efg::write(&leduc_poker_raked(0.1))).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_deter"))
        .args([
            "solve",
            path.to_str().unwrap(),
            "--solver",
            "lcp",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["status"], "solved", "{stdout}");
    assert_eq!(v["equilibria"].as_array().map(Vec::len), Some(1));
    assert_eq!(v["equilibria"][0]["certified"], true, "{stdout}");
}
