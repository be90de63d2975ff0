//! Games with three players, through the command line: the default finds a certified mixed
//! equilibrium where there is no pure one, `--solver logit` on a tree prints the limiting
//! sequential equilibrium with its beliefs, `--lambda` prints a QRE that is a fixed point of
//! the logit response (checked against a direct iteration), and `deter qre` writes and plots
//! the path.
//!
//! The game (`tests/models/three_way_pennies.nfg`, and `.efg` played in turn with the moves
//! unseen): each player is paid for differing from the next, player i getting `W[i][s]` for
//! playing s. Player i is indifferent exactly when the next player plays T with probability
//! `W[i][T] / (W[i][H] + W[i][T])`; there is no pure equilibrium, and that mixed one is the
//! only one.

use crate::util::{deter_ok, repo};
use deter::format::nfg;
use serde_json::Value;

/// `W[i] = [pay for H, pay for T]` when player i differs from player i + 1 (mod 3).
const W: [[f64; 2]; 3] = [[1.0, 2.0], [3.0, 1.0], [1.0, 1.0]];

/// The unique equilibrium: probability of T for each player.
fn p_tails() -> [f64; 3] {
    let mut p = [0.0; 3];
    for i in 0..3 {
        p[(i + 1) % 3] = W[i][1] / (W[i][0] + W[i][1]);
    }
    p
}

fn file(name: &str) -> String {
    repo(&format!("tests/models/{name}")).display().to_string()
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

#[test]
fn default_solve_of_a_three_player_game_without_pure_equilibrium() {
    let f = file("three_way_pennies.nfg");
    let text = deter_ok(&["solve", &f]);
    assert!(text.contains("picked automatically"), "{text}");
    assert!(text.contains("certified"), "{text}");
    assert!(!text.contains("No equilibrium found"), "{text}");
    let v: Value =
        serde_json::from_str(&deter_ok(&["solve", &f, "--format", "json"])).expect("json");
    let eqs = v["equilibria"].as_array().expect("equilibria");
    assert_eq!(eqs.len(), 1, "the only equilibrium: {eqs:?}");
    assert_eq!(eqs[0]["certified"], true);
    let want = p_tails();
    for (i, s) in eqs[0]["strategies"].as_array().unwrap().iter().enumerate() {
        let t = s["strategies"]["2"].as_f64().expect("probability of T");
        assert!(close(t, want[i], 1e-12), "player {i}: {t} vs {}", want[i]);
    }
}

#[test]
fn logit_on_a_three_player_tree_prints_the_sequential_equilibrium_with_beliefs() {
    let f = file("three_way_pennies.efg");
    let text = deter_ok(&["solve", &f, "--solver", "logit"]);
    assert!(text.contains("Beliefs"), "{text}");
    assert!(text.contains("3 at three: 3:HH "), "{text}");
    assert!(text.contains("certified"), "{text}");
    let v: Value = serde_json::from_str(&deter_ok(&[
        "solve", &f, "--solver", "logit", "--format", "json",
    ]))
    .expect("json");
    let eq = &v["equilibria"][0];
    assert_eq!(eq["certified"], true);
    // Behaviour: every node of a player's information set plays the equilibrium mix.
    let want = p_tails();
    let mut t_prob = [0.0; 3];
    for s in eq["strategies"].as_array().unwrap() {
        let i: usize = s["player"].as_str().unwrap().parse::<usize>().unwrap() - 1;
        let t = s["moves"]["T"].as_f64().unwrap();
        assert!(close(t, want[i], 1e-12), "{s}");
        t_prob[i] = t;
    }
    // Beliefs by Bayes' rule from the printed strategies (every node is reached).
    let pr = |i: usize, m: char| if m == 'T' { t_prob[i] } else { 1.0 - t_prob[i] };
    let b = &eq["beliefs"];
    for m1 in ['H', 'T'] {
        let got = b[format!("2:{m1}").as_str()].as_f64().unwrap();
        assert!(close(got, pr(0, m1), 1e-12), "2:{m1} {got}");
        for m2 in ['H', 'T'] {
            let got = b[format!("3:{m1}{m2}").as_str()].as_f64().unwrap();
            assert!(close(got, pr(0, m1) * pr(1, m2), 1e-12), "3:{m1}{m2} {got}");
        }
    }
}

/// The logit QRE at λ by damped fixed-point iteration on the strategic game (payoffs from the
/// file): p_i(s) ∝ exp(λ u_i(s, p_−i)).
fn direct_qre(lambda: f64) -> Vec<Vec<f64>> {
    let g = nfg::read(&std::fs::read_to_string(file("three_way_pennies.nfg")).unwrap()).unwrap();
    let mut m = vec![vec![0.5, 0.5]; 3];
    for _ in 0..100_000 {
        let mut next = m.clone();
        for i in 0..3 {
            let u: Vec<f64> = (0..2)
                .map(|s| {
                    let mut dev = m.clone();
                    dev[i] = vec![0.0; 2];
                    dev[i][s] = 1.0;
                    g.expected_payoffs(&dev)[i]
                })
                .collect();
            let e: Vec<f64> = u.iter().map(|x| (lambda * x).exp()).collect();
            for s in 0..2 {
                next[i][s] = 0.5 * m[i][s] + 0.5 * e[s] / (e[0] + e[1]);
            }
        }
        let d = (0..3)
            .map(|i| (next[i][1] - m[i][1]).abs())
            .fold(0.0, f64::max);
        m = next;
        if d < 1e-16 {
            break;
        }
    }
    m
}

#[test]
fn qre_at_lambda_matches_a_direct_fixed_point_in_both_forms() {
    for lambda in ["0.5", "2"] {
        let want = direct_qre(lambda.parse().unwrap());
        // The strategic game, and the tree (moves unseen: the agent QRE is the same profile).
        let strategic = |i: usize| format!("{}: 2", i + 1);
        let tree = |i: usize| format!("{}: {}: T", i + 1, ["one", "two", "three"][i]);
        let forms: [(&str, &dyn Fn(usize) -> String); 2] = [
            ("three_way_pennies.nfg", &strategic),
            ("three_way_pennies.efg", &tree),
        ];
        for (name, key) in forms {
            let f = file(name);
            let v: Value = serde_json::from_str(&deter_ok(&[
                "solve", &f, "--lambda", lambda, "--format", "json",
            ]))
            .expect("json");
            assert_eq!(v["certified"], true, "{v}");
            for (i, w) in want.iter().enumerate() {
                let got = v["probabilities"][key(i).as_str()]
                    .as_f64()
                    .unwrap_or_else(|| panic!("{name}: no {} in {v}", key(i)));
                assert!(
                    close(got, w[1], 1e-10),
                    "{name} λ={lambda} player {i}: {got} vs {}",
                    w[1]
                );
            }
        }
    }
}

#[test]
fn qre_writes_the_path_and_plots_it() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("path.csv");
    let svg = dir.path().join("path.svg");
    let f = file("three_way_pennies.efg");
    deter_ok(&[
        "qre",
        &f,
        "--out",
        csv.to_str().unwrap(),
        "--plot",
        svg.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(head[0], "lambda");
    assert_eq!(head.len(), 7, "{head:?}");
    let rows: Vec<Vec<f64>> = lines
        .map(|l| l.split(',').map(|x| x.parse().unwrap()).collect())
        .collect();
    assert!(rows.len() > 5, "{} rows", rows.len());
    // From the uniform profile at λ = 0 …
    assert_eq!(rows[0][0], 0.0);
    assert!(rows[0][1..].iter().all(|&p| close(p, 0.5, 1e-12)));
    // … with λ increasing, each information set's probabilities summing to one …
    for w in rows.windows(2) {
        assert!(
            w[0][0] < w[1][0],
            "λ not increasing: {} then {}",
            w[0][0],
            w[1][0]
        );
    }
    for r in &rows {
        for k in 0..3 {
            assert!(close(r[1 + 2 * k] + r[2 + 2 * k], 1.0, 1e-9), "{r:?}");
        }
    }
    // … to the limit, the equilibrium.
    let last = rows.last().unwrap();
    assert!(last[0].is_infinite());
    let want = p_tails();
    for i in 0..3 {
        assert!(close(last[2 + 2 * i], want[i], 1e-12), "{last:?}");
    }
    let plot = std::fs::read_to_string(&svg).unwrap();
    assert!(plot.starts_with("<svg") && plot.trim_end().ends_with("</svg>"));
    assert!(
        plot.contains("<path") || plot.contains("<polyline"),
        "no curve drawn"
    );
}
