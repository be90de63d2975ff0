//! All extreme equilibria of two-player games (`enummixed`, `enummixed-float`), against an
//! independent exact support enumeration, on degenerate games, under caps and deadlines, and
//! the default solve's quick first answer.

use deter::exact::Rational;
use deter::solve::enummixed::{self, bimatrix_game, Arithmetic, Extreme, Limits, Outcome};
use deter::solve::{self, certify, GameRef, SolveOptions, Solver, Status};
use num_traits::{One, Signed, Zero};
use std::process::Command;
use std::time::Instant;

/// A seeded `m × n` game with integer payoffs in `[0, range)`.
fn random_game(m: usize, n: usize, range: u64, mut s: u64) -> (Vec<Vec<f64>>, Vec<Vec<f64>>) {
    s |= 1;
    let mut next = || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s % range) as f64
    };
    let a = (0..m).map(|_| (0..n).map(|_| next()).collect()).collect();
    let b = (0..m).map(|_| (0..n).map(|_| next()).collect()).collect();
    (a, b)
}

/// Every extreme equilibrium, exactly, in a canonical order.
fn exact_set(
    a: &[Vec<f64>],
    b: &[Vec<f64>],
    arith: Arithmetic,
) -> Vec<(Vec<Rational>, Vec<Rational>)> {
    let g = bimatrix_game(a, b);
    let mut out = Vec::new();
    let outcome = enummixed::stream(
        &g,
        arith,
        &Limits::default(),
        &mut |e: Extreme| out.push(e.exact.expect("exact values")),
        &mut |_| {},
    );
    assert_eq!(outcome, Outcome::Complete);
    out.sort();
    for w in out.windows(2) {
        assert_ne!(w[0], w[1], "duplicate equilibrium");
    }
    out
}

fn q(v: f64) -> Rational {
    Rational::from_float(v).expect("finite payoff")
}

/// Solves the square system `m z = rhs` exactly; `None` if singular.
fn solve(mut m: Vec<Vec<Rational>>, mut rhs: Vec<Rational>) -> Option<Vec<Rational>> {
    let k = rhs.len();
    for c in 0..k {
        let p = (c..k).find(|&r| !m[r][c].is_zero())?;
        m.swap(c, p);
        rhs.swap(c, p);
        let pivot = m[c].clone();
        for r in 0..k {
            if r != c && !m[r][c].is_zero() {
                let f = &m[r][c] / &pivot[c];
                for (x, p) in m[r].iter_mut().zip(&pivot).skip(c) {
                    *x -= &f * p;
                }
                let d = &f * &rhs[c];
                rhs[r] -= d;
            }
        }
    }
    Some((0..k).map(|i| &rhs[i] / &m[i][i]).collect())
}

/// The equilibria of a non-degenerate game by support enumeration (equal-size supports, the
/// indifference equations solved exactly, best responses checked exactly) — a method that
/// shares nothing with the reverse search.
fn support_enumeration(a: &[Vec<f64>], b: &[Vec<f64>]) -> Vec<(Vec<Rational>, Vec<Rational>)> {
    let (m, n) = (a.len(), a[0].len());
    let subsets = |len: usize, k: usize| -> Vec<Vec<usize>> {
        (0u32..1 << len)
            .filter(|s| s.count_ones() as usize == k)
            .map(|s| (0..len).filter(|i| s >> i & 1 == 1).collect())
            .collect()
    };
    let mut out = Vec::new();
    for k in 1..=m.min(n) {
        for s in subsets(m, k) {
            for t in subsets(n, k) {
                // y on t makes the rows of s indifferent at value v: A[s,t] y − v = 0, Σ y = 1.
                let sys = |rows: &[usize], cols: &[usize], pay: &dyn Fn(usize, usize) -> f64| {
                    let mut mat: Vec<Vec<Rational>> = rows
                        .iter()
                        .map(|&i| {
                            let mut r: Vec<Rational> = cols.iter().map(|&j| q(pay(i, j))).collect();
                            r.push(-Rational::one());
                            r
                        })
                        .collect();
                    let mut last = vec![Rational::one(); cols.len()];
                    last.push(Rational::zero());
                    mat.push(last);
                    let mut rhs = vec![Rational::zero(); rows.len()];
                    rhs.push(Rational::one());
                    solve(mat, rhs)
                };
                let Some(yv) = sys(&s, &t, &|i, j| a[i][j]) else {
                    continue;
                };
                let Some(xu) = sys(&t, &s, &|j, i| b[i][j]) else {
                    continue;
                };
                if yv[..k].iter().chain(&xu[..k]).any(|p| !p.is_positive()) {
                    continue;
                }
                let mut x = vec![Rational::zero(); m];
                let mut y = vec![Rational::zero(); n];
                s.iter().zip(&xu).for_each(|(&i, p)| x[i] = p.clone());
                t.iter().zip(&yv).for_each(|(&j, p)| y[j] = p.clone());
                let best_rows = (0..m).all(|i| {
                    let r: Rational = (0..n).map(|j| q(a[i][j]) * &y[j]).sum();
                    r <= yv[k]
                });
                let best_cols = (0..n).all(|j| {
                    let c: Rational = (0..m).map(|i| q(b[i][j]) * &x[i]).sum();
                    c <= xu[k]
                });
                if best_rows && best_cols {
                    out.push((x, y));
                }
            }
        }
    }
    out.sort();
    out
}

#[test]
fn exact_enumeration_matches_support_enumeration_on_random_games() {
    for seed in 1..40u64 {
        let m = 2 + (seed % 5) as usize;
        let n = 2 + (seed * 7 % 6) as usize;
        let (a, b) = random_game(m, n, 1000, seed * 7919);
        let mine = exact_set(&a, &b, Arithmetic::Exact);
        assert_eq!(mine, support_enumeration(&a, &b), "seed {seed}, {m}×{n}");
        assert!(!mine.is_empty(), "every game has an equilibrium");
    }
}

#[test]
fn float_variant_reports_the_exact_equilibria() {
    // Random games in general position and degenerate ones (payoffs from {0, 1, 2}).
    for seed in 1..30u64 {
        let range = if seed % 2 == 0 { 3 } else { 1000 };
        let (m, n) = (3 + (seed % 5) as usize, 3 + (seed * 3 % 6) as usize);
        let (a, b) = random_game(m, n, range, seed * 104_729);
        let exact = exact_set(&a, &b, Arithmetic::Exact);
        let float = exact_set(&a, &b, Arithmetic::Float);
        if range == 1000 {
            assert_eq!(float, exact, "seed {seed}");
        } else {
            // The tolerance may miss degenerate vertices, never invent one.
            assert!(float.iter().all(|e| exact.contains(e)), "seed {seed}");
        }
    }
}

#[test]
fn degenerate_games_lose_no_extreme_equilibrium() {
    // A constant game: every profile is an equilibrium, and the extreme ones are the 3·4 pure
    // profiles (the vertices of the product of the two simplices).
    let a = vec![vec![5.0; 4]; 3];
    let set = exact_set(&a, &a, Arithmetic::Exact);
    assert_eq!(set.len(), 12);
    assert!(set
        .iter()
        .all(|(x, y)| x.iter().chain(y).all(|p| p.is_zero() || p.is_one())));
    // Two copies of each strategy (duplicated rows and columns of a 2×2 coordination game):
    // each pure equilibrium appears once per copy, and the mixed one is a segment whose
    // extreme points mix one copy of each strategy.
    let a = vec![
        vec![2.0, 2.0, 0.0, 0.0],
        vec![2.0, 2.0, 0.0, 0.0],
        vec![0.0, 0.0, 1.0, 1.0],
        vec![0.0, 0.0, 1.0, 1.0],
    ];
    let set = exact_set(&a, &a, Arithmetic::Exact);
    let pure = set
        .iter()
        .filter(|(x, _)| x.iter().any(|p| p.is_one()))
        .count();
    assert_eq!(pure, 8, "{set:?}");
    // Mixed: x puts 1/3 on one copy of the first strategy and 2/3 on one of the second.
    assert_eq!(set.len() - pure, 16, "{set:?}");
}

#[test]
fn the_cap_and_the_deadline_stop_with_what_was_found() {
    // A coordination bonus on the diagonal: 9 pure equilibria and many mixed ones.
    let (mut a, mut b) = random_game(9, 9, 1000, 4242);
    for i in 0..9 {
        a[i][i] += 5000.0;
        b[i][i] += 5000.0;
    }
    let g = bimatrix_game(&a, &b);
    let all = exact_set(&a, &b, Arithmetic::Exact).len();
    assert!(
        all > 3,
        "the test game needs more than 3 equilibria, has {all}"
    );
    let gr = GameRef::Strategic(&g);
    let capped = SolveOptions {
        max_equilibria: Some(3),
        ..SolveOptions::default()
    };
    let mut sol = solve::enummixed::EnumMixed.solve(gr, &capped).unwrap();
    assert_eq!((sol.status, sol.equilibria.len()), (Status::Truncated, 3));
    certify(gr, &mut sol).unwrap();
    assert!(sol
        .equilibria
        .iter()
        .all(|e| e.max_regret() <= 1e-9 * g.payoff_scale()));
    // A cap equal to the number of equilibria is not a truncation.
    let exact_cap = SolveOptions {
        max_equilibria: Some(all),
        ..SolveOptions::default()
    };
    let sol = solve::enummixed::EnumMixed.solve(gr, &exact_cap).unwrap();
    assert_eq!((sol.status, sol.equilibria.len()), (Status::Solved, all));
    let expired = SolveOptions {
        deadline: Some(Instant::now()),
        ..SolveOptions::default()
    };
    for s in [
        &solve::enummixed::EnumMixed as &dyn Solver,
        &solve::enummixed::EnumMixedFloat,
    ] {
        let sol = s.solve(gr, &expired).unwrap();
        assert_eq!(sol.status, Status::TimeLimit, "{}", s.name());
        assert!(sol.equilibria.len() < all);
    }
}

#[test]
#[ignore = "needs Gambit's contrib/games/pvw.efg (not in shared/games) and exact reduced \
            strategic forms (Game::exact); run with `cargo test --release --test main pvw -- \
            --ignored` once both are in place"]
fn pvw_has_19_extreme_equilibria() {
    let path = crate::gambit_games::games_dir()
        .expect("shared/games")
        .join("contrib_games_pvw.efg");
    let text = std::fs::read_to_string(&path).expect("pvw.efg in shared/games");
    let game = deter::format::efg::read(&text).unwrap();
    let gr = GameRef::Tree(&game);
    let mut sol = solve::enummixed::EnumMixed
        .solve(gr, &SolveOptions::default())
        .unwrap();
    certify(gr, &mut sol).unwrap();
    assert_eq!(sol.status, Status::Solved);
    assert_eq!(sol.equilibria.len(), 19);
}

/// Writes a random `n × n` game as an `.nfg` file and returns its path.
fn nfg_file(dir: &tempfile::TempDir, n: usize, seed: u64) -> std::path::PathBuf {
    let (a, b) = random_game(n, n, 1000, seed);
    let mut pay = Vec::new();
    for j in 0..n {
        for i in 0..n {
            pay.push(format!("{} {}", a[i][j], b[i][j]));
        }
    }
    let text = format!(
        "NFG 1 R \"random {n}x{n}\" {{ \"1\" \"2\" }} {{ {n} {n} }}\n{}\n",
        pay.join(" ")
    );
    let path = dir.path().join(format!("r{n}.nfg"));
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn the_default_solve_answers_first_and_says_what_it_completed() {
    let dir = tempfile::tempdir().unwrap();
    let path = nfg_file(&dir, 10, 77);
    let run = |extra: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_deter"))
            .arg("solve")
            .arg(&path)
            .args(extra)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let full = run(&[]);
    let first = full.find("a first answer").expect("a first answer");
    let all = full
        .find("Solver: enummixed (picked automatically)")
        .expect("the enumeration");
    assert!(first < all, "{full}");
    assert!(
        full.contains("Completed: `lemke-howson` found its equilibrium"),
        "{full}"
    );
    assert!(full.contains("Completed: `enummixed` found all"), "{full}");
    // With a time limit too short for the enumeration, the answer is still there and the
    // output says the list is incomplete.
    let cut = run(&["--time-limit", "0.000001"]);
    assert!(
        cut.contains("Status: time-limit — the list below is incomplete"),
        "{cut}"
    );
    assert!(
        cut.contains("Not completed: `enummixed` stopped at the time limit"),
        "{cut}"
    );
    assert!(
        cut.matches("✓ no player gains by deviating").count() >= 2,
        "{cut}"
    );
    // An explicit solver runs alone.
    let alone = run(&["--solver", "enummixed"]);
    assert!(!alone.contains("a first answer"), "{alone}");
}
