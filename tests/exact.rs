//! Exact arithmetic and honest certificates: games whose payoffs are tiny, huge or of mixed
//! scales are solved and certified exactly, and a tolerance, where one is needed, is relative
//! to each player's payoff range.

use approx::assert_relative_eq;
use deter::exact::{self, Rational};
use deter::format::{efg, nfg};
use deter::game::StrategicGame;
use deter::solve::{
    self, certify, enumpure::EnumPure, Certificate, Equilibrium, ExactProfile, GameRef, Profile,
    SolveOptions, Solver,
};
use num_traits::Zero;

fn q(s: &str) -> Rational {
    exact::parse_fraction(s).unwrap()
}

/// A 2×2 `.nfg` with these payoffs (profiles first player fastest), each scaled by `scale`
/// written as an exponent (`e-10`), so the file holds the exact scaled numbers.
fn nfg2(payoffs: &[i64], scale: &str) -> StrategicGame {
    let nums: Vec<String> = payoffs.iter().map(|p| format!("{p}{scale}")).collect();
    let shape = if payoffs.len() == 8 { "2 2" } else { "6 6" };
    nfg::read(&format!(
        "NFG 1 R \"g\" {{ \"1\" \"2\" }} {{ {shape} }}\n{}",
        nums.join(" ")
    ))
    .unwrap()
}

/// The default solver's certified answer.
fn default_solve(g: GameRef<'_>) -> solve::Solution {
    let s = solve::pick(g).unwrap();
    let mut sol = s.solve(g, &SolveOptions::default()).unwrap();
    certify(g, &mut sol).unwrap();
    sol
}

fn mixed_exact(e: &Equilibrium) -> Vec<Vec<Rational>> {
    match &e.exact {
        Some(ExactProfile::Mixed(m)) => m.clone(),
        x => panic!("expected an exact mixed profile, got {x:?}"),
    }
}

/// Certifies a hand-made profile.
fn verdict(g: &StrategicGame, m: Vec<Vec<f64>>) -> Certificate {
    let mut sol = solve::Solution::new("hand", vec![Equilibrium::new(Profile::Mixed(m))]);
    certify(GameRef::Strategic(g), &mut sol).unwrap();
    sol.equilibria[0].certificate.clone()
}

const PENNIES: [i64; 8] = [1, -1, -1, 1, -1, 1, 1, -1];
const PD: [i64; 8] = [3, 3, 5, 0, 0, 5, 1, 1];

#[test]
fn matching_pennies_at_1e_minus_10_is_mixed_half_half() {
    let g = nfg2(&PENNIES, "e-10");
    let sol = default_solve(GameRef::Strategic(&g));
    assert_eq!(sol.equilibria.len(), 1);
    let e = &sol.equilibria[0];
    assert_eq!(e.certificate, Certificate::Exact { passed: true });
    let half = q("1/2");
    assert_eq!(mixed_exact(e), vec![vec![half.clone(), half.clone()]; 2]);
    assert_eq!(sol.exact_value, Some(Rational::zero()));
    // A pure profile is not an equilibrium, however small the payoffs.
    assert!(!verdict(&g, vec![vec![1.0, 0.0], vec![1.0, 0.0]]).passed());
    // Without exact numbers the tolerance is relative to the payoff range (2e-10), so the
    // pure profile's regret 2e-10 still fails.
    let mut float_only = g.clone();
    float_only.exact = None;
    let c = verdict(&float_only, vec![vec![1.0, 0.0], vec![1.0, 0.0]]);
    let Certificate::Tolerance { tol, passed, .. } = c else {
        panic!("expected a tolerance certificate")
    };
    assert!(!passed);
    assert_relative_eq!(tol[0], 2e-19, max_relative = 1e-9);
    assert!(verdict(&float_only, vec![vec![0.5, 0.5], vec![0.5, 0.5]]).passed());
}

#[test]
fn prisoners_dilemma_at_1e_minus_19_has_only_defection() {
    let g = nfg2(&PD, "e-19");
    assert_eq!(g.exact.as_ref().unwrap()[0], q("3/10000000000000000000"));
    let sol = default_solve(GameRef::Strategic(&g));
    for e in &sol.equilibria {
        assert!(e.is_certified());
        assert_eq!(mixed_exact(e)[0], vec![q("0"), q("1")], "{e:?}");
    }
    let pure = EnumPure
        .solve(GameRef::Strategic(&g), &SolveOptions::default())
        .unwrap();
    assert_eq!(pure.equilibria.len(), 1, "only (D, D)");
    assert!(!verdict(&g, vec![vec![1.0, 0.0], vec![1.0, 0.0]]).passed());
}

/// Von Stengel's 6×6 game with 75 equilibria (small payoffs, Savani and von Stengel 2006;
/// Gambit's catalog), payoffs in profile order.
const SEVENTY_FIVE: [i64; 72] = [
    -81, 72, -180, -180, 20, 297, -30, -333, 270, 270, 90, -153, 36, 36, 72, -81, -3, 126, 17,
    -126, -153, 90, -36, -36, -126, 17, -333, -30, 42, 42, -33, -33, 297, 20, 126, -3, 126, -3,
    297, 20, -33, -33, 42, 42, -333, -30, -126, 17, -36, -36, -153, 90, 17, -126, -3, 126, 72, -81,
    36, 36, 90, -153, 270, 270, -30, -333, 20, 297, -180, -180, -81, 72,
];

#[test]
fn seventy_five_equilibria_game_scaled_by_1e_minus_19() {
    let big = nfg2(&SEVENTY_FIVE, "");
    let tiny = nfg2(&SEVENTY_FIVE, "e-19");
    let pure_of = |g: &StrategicGame| {
        let mut s = EnumPure
            .solve(GameRef::Strategic(g), &SolveOptions::default())
            .unwrap();
        certify(GameRef::Strategic(g), &mut s).unwrap();
        s.equilibria
            .iter()
            .map(|e| {
                assert!(e.certificate.is_exact() && e.is_certified());
                mixed_exact(e)
            })
            .collect::<Vec<_>>()
    };
    let (a, b) = (pure_of(&big), pure_of(&tiny));
    // Scaling changes nothing: the same pure equilibria, far fewer than the 36 profiles.
    assert_eq!(a, b);
    assert!(a.len() < 36, "{} pure equilibria", a.len());
    // Every answer of the default solver on the scaled game is exactly an equilibrium.
    let sol = default_solve(GameRef::Strategic(&tiny));
    assert!(!sol.equilibria.is_empty());
    for e in &sol.equilibria {
        let x = mixed_exact(e);
        assert!(tiny.exact_regrets(&x).unwrap().iter().all(Zero::is_zero));
    }
}

/// Gambit's `tests/test_games/large_payoff_game.efg`: payoffs ±1e19 next to ±1, one
/// equilibrium, which is pure.
const LARGE_PAYOFF_GAME: &str = r#"EFG 2 R "Large payoff game" { "1" "2" }
""
c "" 1 "" { "L" 1/2 "R" 1/2 } 0
p "" 1 1 "" { "A" "B" } 0
p "" 2 1 "" { "X" "Y" } 0
t "" 1 "large payoff" { 10000000000000000000, -10000000000000000000 }
t "" 2 "1" { 1, -1 }
p "" 2 2 "" { "X" "Y" } 0
t "" 3 "-1" { -1, 1 }
t "" 4 "0" { 0, 0 }
p "" 1 2 "" { "A" "B" } 0
p "" 2 1 "" { "X" "Y" } 0
t "" 3 "-1" { -1, 1 }
t "" 2 "1" { 1, -1 }
p "" 2 2 "" { "X" "Y" } 0
t "" 4 "0" { 0, 0 }
t "" 1 "large payoff" { 10000000000000000000, -10000000000000000000 }
"#;

#[test]
fn large_payoff_game_has_exactly_its_one_pure_equilibrium() {
    let g = efg::read(LARGE_PAYOFF_GAME).unwrap();
    let gr = GameRef::Tree(&g);
    let mut pure = EnumPure.solve(gr, &SolveOptions::default()).unwrap();
    certify(gr, &mut pure).unwrap();
    assert_eq!(pure.equilibria.len(), 1, "exactly one pure equilibrium");
    let want = vec![q("1"), q("-1")];
    assert_eq!(pure.equilibria[0].exact_payoffs.as_ref(), Some(&want));
    // The default (and each LP/LCP method) finds it, certified exactly, value exactly 1.
    let sol = default_solve(gr);
    assert_eq!(sol.exact_value, Some(q("1")));
    for s in ["seqform-lp", "lcp", "subgame", "matrix-lp", "lemke-howson"] {
        let solver = solve::by_name(s).unwrap();
        let mut sol = solver.solve(gr, &SolveOptions::default()).unwrap();
        certify(gr, &mut sol).unwrap();
        let e = &sol.equilibria[0];
        assert!(
            e.certificate.is_exact() && e.is_certified(),
            "{s}: {:?}",
            e.certificate
        );
        assert_eq!(e.exact_payoffs.as_ref(), Some(&want), "{s}");
    }
}

#[test]
fn mixed_scales_judge_each_player_by_its_own_range() {
    // Row 2 pays player 1 1e19 more than row 1, whatever player 2 does; player 2 gets 1 for
    // matching player 1's row and 0 otherwise. (2, 2) is the equilibrium; (2, 1) is not:
    // player 2 would gain 1, a sliver of player 1's range but all of player 2's.
    let pay = [
        "1e19", "1", "2e19", "0", "1e19", "0", "2e19", "1", // first player fastest
    ];
    let g = nfg::read(&format!(
        "NFG 1 R \"m\" {{ \"1\" \"2\" }} {{ 2 2 }}\n{}",
        pay.join(" ")
    ))
    .unwrap();
    let sol = default_solve(GameRef::Strategic(&g));
    for e in &sol.equilibria {
        assert!(e.is_certified());
        assert_eq!(
            mixed_exact(e),
            vec![vec![q("0"), q("1")], vec![q("0"), q("1")]]
        );
    }
    assert!(!verdict(&g, vec![vec![0.0, 1.0], vec![1.0, 0.0]]).passed());
    // Floats only: player 2's tolerance comes from its own range (1), not player 1's (1e19).
    let mut float_only = g.clone();
    float_only.exact = None;
    let c = verdict(&float_only, vec![vec![0.0, 1.0], vec![1.0, 0.0]]);
    let Certificate::Tolerance { tol, passed, .. } = c else {
        panic!("expected a tolerance certificate")
    };
    assert!(!passed);
    assert_relative_eq!(tol[1], 1e-9, max_relative = 1e-6);
    assert_relative_eq!(tol[0], 1e10, max_relative = 1e-6);
}

#[test]
fn fourteen_player_all_ties_game_stops_at_the_cap() {
    let np = 14;
    let text = format!(
        "NFG 1 R \"ties\" {{ {} }} {{ {} }}\n{}",
        (1..=np)
            .map(|p| format!("\"{p}\""))
            .collect::<Vec<_>>()
            .join(" "),
        vec!["2"; np].join(" "),
        vec!["0"; (1 << np) * np].join(" ")
    );
    let g = nfg::read(&text).unwrap();
    let opts = SolveOptions {
        max_equilibria: Some(1000),
        ..SolveOptions::default()
    };
    let sol = EnumPure.solve(GameRef::Strategic(&g), &opts).unwrap();
    assert_eq!(sol.equilibria.len(), 1000);
    assert_eq!(sol.status, solve::Status::Truncated);
}

/// A model whose payoffs need `exp` has no exact numbers: certified to a tolerance relative to
/// each player's range, and said so.
#[test]
fn irrational_models_are_certified_to_tolerance() {
    let src = r#"
title = "t"
players = ["A", "B"]
root = "a"
[parameters]
k = { value = 0.5 }
[nodes.a]
player = "A"
moves = { l = { to = "x" }, r = { to = "y" } }
[outcomes.x]
payoffs = { A = "exp(k)", B = 0 }
[outcomes.y]
payoffs = { A = 1, B = "k/3" }
"#;
    let loaded = deter::model::load("t.toml", src);
    let t = loaded.template.unwrap();
    let mut g = t.instantiate(&t.defaults()).unwrap();
    let th = t.exact_point(src, None, &[]).unwrap();
    t.fill_exact(&mut g, &th).unwrap();
    assert!(g.exact.is_none(), "exp(1/2) is irrational");
    let sol = default_solve(GameRef::Tree(&g));
    let e = &sol.equilibria[0];
    let Certificate::Tolerance { tol, passed, .. } = &e.certificate else {
        panic!("expected a tolerance certificate, got {:?}", e.certificate)
    };
    assert!(passed);
    assert_relative_eq!(tol[0], 1e-9 * (0.5f64.exp() - 1.0), max_relative = 1e-6);
    // With `exp` replaced by a rational formula the same model is exact.
    let src2 = src.replace("exp(k)", "k^2 + 1");
    let t2 = deter::model::load("t.toml", src2.as_str())
        .template
        .unwrap();
    let mut g2 = t2.instantiate(&t2.defaults()).unwrap();
    t2.fill_exact(&mut g2, &t2.exact_point(&src2, None, &[]).unwrap())
        .unwrap();
    let sol = default_solve(GameRef::Tree(&g2));
    assert!(sol.equilibria[0].certificate.is_exact());
    assert_eq!(
        sol.equilibria[0].exact_payoffs.as_ref().unwrap()[0],
        q("5/4")
    );
}

#[test]
fn cli_prints_exact_numbers_and_the_certificate_kind() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pennies.nfg");
    let nums: Vec<String> = PENNIES.iter().map(|p| format!("{p}e-10")).collect();
    std::fs::write(
        &path,
        format!(
            "NFG 1 R \"mp\" {{ \"1\" \"2\" }} {{ 2 2 }}\n{}",
            nums.join(" ")
        ),
    )
    .unwrap();
    let run = |extra: &[&str]| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_deter"))
            .arg("solve")
            .arg(&path)
            .args(extra)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let text = run(&[]);
    assert!(
        text.contains("Player 1: strategy 1 with probability 0.5, strategy 2 with probability 0.5"),
        "{text}"
    );
    assert!(text.contains("certified exactly"), "{text}");
    let json: serde_json::Value = serde_json::from_str(&run(&["--format", "json"])).unwrap();
    let e = &json["equilibria"][0];
    assert_eq!(e["certificate"]["method"], "exact");
    assert_eq!(e["profile_exact"][0][0], "1/2");
    assert_eq!(e["payoffs_exact"]["1"], "0");
    assert_eq!(json["value_exact"], "0");
}

/// Every game of `shared/games` without perfect recall: solvers that need it refuse up front
/// naming one that fits; the default answers in mixed strategies over the reduced strategic
/// form, certified exactly there.
#[test]
fn imperfect_recall_games_are_refused_or_solved_in_mixed_strategies() {
    let test = "imperfect_recall_games_are_refused_or_solved_in_mixed_strategies";
    let Some(dir) = crate::all_games::games_dir(test) else {
        return;
    };
    let mut seen = 0;
    for path in crate::all_games::game_files(&dir) {
        if path.extension().is_none_or(|x| x != "efg") {
            continue;
        }
        let (g, pos) = efg::read_located(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let Err(forgets) = deter::game::recall::check(&g.tree) else {
            continue;
        };
        seen += 1;
        let name = path.display();
        // Located: the node is in the file at the reported place.
        assert!(pos.get(forgets.second).unwrap().0 > 1, "{name}");
        let gr = GameRef::Tree(&g);
        for s in ["backward", "subgame", "seqform-lp", "lcp"] {
            let why = solve::by_name(s).unwrap().supports(gr).unwrap_err();
            if g.n_players() == 2 && s != "backward" {
                // Refused for the recall, naming the place and a solver that fits.
                assert!(
                    why.reason.contains("perfect recall at"),
                    "{name} {s}: {why}"
                );
                assert!(why.suggest.is_some(), "{name} {s}: {why}");
            }
        }
        let sol = default_solve(gr);
        for e in &sol.equilibria {
            assert!(
                matches!(e.profile, Profile::Mixed(_)),
                "{name}: {:?}",
                e.profile
            );
            assert!(e.certificate.is_exact() && e.is_certified(), "{name}");
        }
        assert!(!sol.equilibria.is_empty(), "{name}");
    }
    // Measured on the shipped set: 27 trees lack perfect recall.
    if seen > 0 {
        assert!(seen >= 27, "only {seen} trees without perfect recall");
    }
}

#[test]
fn imperfect_recall_in_a_model_is_a_located_warning() {
    let src = r#"
title = "forgetful"
players = ["A", "B"]
root = "a"
[nodes.a]
player = "A"
moves = { l = { to = "b1" }, r = { to = "b2" } }
[nodes.b1]
player = "A"
infoset = "I"
moves = { u = { to = "o1" }, d = { to = "o2" } }
[nodes.b2]
player = "A"
infoset = "I"
moves = { u = { to = "o3" }, d = { to = "o4" } }
[outcomes.o1]
payoffs = { A = 1, B = 0 }
[outcomes.o2]
payoffs = { A = 0, B = 0 }
[outcomes.o3]
payoffs = { A = 0, B = 0 }
[outcomes.o4]
payoffs = { A = 1, B = 0 }
"#;
    let loaded = deter::model::load("f.toml", src);
    let w = loaded
        .diags
        .iter()
        .find(|d| d.message.contains("perfect recall"))
        .expect("a warning about recall");
    assert!(!w.is_error());
    let span = w.span.clone().expect("located");
    assert!(
        src[span].contains("b"),
        "points at a member of the information set"
    );
    // The strategic-form solvers take it: A's best plan is (l, u) or (r, d), payoff 1.
    let t = loaded.template.unwrap();
    let mut g = t.instantiate(&t.defaults()).unwrap();
    t.fill_exact(&mut g, &t.exact_point(src, None, &[]).unwrap())
        .unwrap();
    let sol = default_solve(GameRef::Tree(&g));
    assert!(sol.equilibria.iter().all(|e| e.is_certified()));
    assert_eq!(sol.equilibria[0].exact_payoffs.as_ref().unwrap()[0], q("1"));
}

/// Chicken (C, D per player; (C,C) = (6,6), (C,D) = (2,7), (D,C) = (7,2), (D,D) = (0,0)): the
/// welfare-maximising correlated equilibrium puts 1/2 on (C, C) and 1/4 on each asymmetric
/// profile; the output lists that distribution, exactly, with labelled strategies.
#[test]
fn correlated_equilibria_are_shown_as_distributions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chicken.nfg");
    std::fs::write(
        &path,
        "NFG 1 R \"chicken\" { \"Row\" \"Col\" } { { \"C\" \"D\" } { \"C\" \"D\" } } \"\"\n\
         6 6 7 2 2 7 0 0\n",
    )
    .unwrap();
    let run = |extra: &[&str]| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_deter"))
            .args(["solve", "--solver", "correlated"])
            .arg(&path)
            .args(extra)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let text = run(&[]);
    assert!(text.contains("0.5  Row C, Col C"), "{text}");
    assert!(text.contains("0.25  Row D, Col C"), "{text}");
    assert!(!text.contains("cannot display"), "{text}");
    let json: serde_json::Value = serde_json::from_str(&run(&["--format", "json"])).unwrap();
    let d = &json["equilibria"][0]["distribution"];
    assert_eq!(d[0]["probability_exact"], "1/2");
    assert_eq!(d[0]["profile"]["Row"], "C");
    assert_eq!(d.as_array().unwrap().len(), 3);
    assert_eq!(json["equilibria"][0]["payoffs_exact"]["Row"], "21/4");
}
