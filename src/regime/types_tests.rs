//! Free beliefs beyond one deviator with two types. A deviator with three types
//! (tests/models/three_types.toml): after an initiation that no type of the challenger makes,
//! the defender's belief is free over a triangle, and with three replies its conditions are two
//! inequalities in the belief. Two typed deviators (tests/models/two_deviators.toml): after
//! both push, the third player's belief is free over both players' types. Every regime met
//! must be derived exactly (no "sufficient only") and its conditions must hold exactly where
//! the `pbe` solver finds it, at points across the parameter space.

use super::conditions::{conditions_at, regime_lines};
use super::derive::Cond;
use super::tests::Draw;
use super::*;

fn model(file: &str) -> (GameTemplate, String) {
    let path = format!("{}/tests/models/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("a test model");
    let loaded = crate::model::load(&path, text.clone());
    (loaded.template.expect("a valid model"), text)
}

/// The base point, points over the two priors, then `n` points with every parameter drawn
/// inside its declared range (rationals with prime denominators).
fn points(t: &GameTemplate, text: &str, priors: [&str; 2], n: usize) -> Vec<Vec<Rational>> {
    let base = t.exact_point(text, None, &[]).expect("base point");
    let mut out = vec![base.clone()];
    let id = |n: &str| t.params.id(n).expect("parameter");
    let mut draw = Draw(23, 0);
    for _ in 0..10 {
        let mut theta = base.clone();
        theta[id(priors[0])] = draw.next(0, 1);
        theta[id(priors[1])] = draw.next(0, 1);
        out.push(theta);
    }
    for _ in 0..n {
        let mut theta = base.clone();
        for (v, r) in t.params.ranges.iter().enumerate() {
            let (lo, hi) = r.expect("every parameter has a range");
            theta[v] = draw.next(lo as i64, hi as i64);
        }
        out.push(theta);
    }
    out
}

#[test]
fn three_type_beliefs_are_eliminated_exactly() {
    let words = check("three_types.toml", ["q1", "q2"], 70);
    assert!(
        words.iter().any(|w| w.contains("type is mixed")),
        "some regime is supported by a belief inside the triangle: {words:?}"
    );
}

// Its derivations are many (every choice of C's three replies, beliefs over two deviators):
// fewer random points keep its run time reasonable.
#[test]
fn beliefs_about_two_deviators_are_eliminated_exactly() {
    let words = check("two_deviators.toml", ["pA", "pB"], 20);
    assert!(
        words.iter().any(|w| w.contains("pushes → B pushes")),
        "some regime is supported by a belief after both pushed: {words:?}"
    );
}

/// Checks every regime of the model `file` at points over `priors` and `n` points of the whole
/// parameter space; returns the words of every supporting belief met.
fn check(file: &str, priors: [&str; 2], n: usize) -> Vec<String> {
    let (t, text) = model(file);
    let o = SolveOptions::default();
    let pts = points(&t, &text, priors, n);
    let mut regimes: Vec<(String, Vec<Vec<Cond>>)> = Vec::new();
    let mut words: Vec<String> = Vec::new();
    for theta in &pts {
        for r in conditions_at(&t, theta, &o).expect("conditions") {
            assert!(
                r.exact,
                "{}: sufficient only at {theta:?}: {:?}",
                r.label,
                r.alternatives
                    .iter()
                    .filter_map(|a| a.as_ref().err())
                    .collect::<Vec<_>>()
            );
            for w in r.supports.iter().flatten() {
                if !words.contains(w) {
                    words.push(w.clone());
                }
            }
            let i = match regimes.iter().position(|x| x.0 == r.label) {
                Some(i) => i,
                None => {
                    regimes.push((r.label.clone(), Vec::new()));
                    regimes.len() - 1
                }
            };
            for a in &r.alternatives {
                let a = a.clone().unwrap_or_else(|e| panic!("{}: {e}", r.label));
                if !regimes[i].1.contains(&a) {
                    regimes[i].1.push(a);
                }
            }
        }
    }
    assert!(
        regimes.len() >= 3,
        "{:?}",
        regimes.iter().map(|r| &r.0).collect::<Vec<_>>()
    );
    let mut ev = Evaluator::new(&t, o.clone());
    let (mut held, mut failed) = (0, 0);
    for theta in &pts {
        let set = ev.at(theta).expect("solved");
        for (label, alts) in &regimes {
            // A continuum's label names the classes its component passes through, which the
            // conditions of its representative's supports do not decide.
            if label.starts_with("a continuum") {
                continue;
            }
            let holds = alts.iter().any(|a| a.iter().all(|c| c.holds(theta)));
            // A support a continuum passes through is found there too.
            let found = set.has(label);
            assert_eq!(
                holds,
                found,
                "{label} at {theta:?}: solver {}",
                set.describe()
            );
            if holds {
                held += 1;
            } else {
                failed += 1;
            }
        }
    }
    assert!(held > 0 && failed > 0, "both cases met");
    // In words, on a map of the priors: nothing is "sufficient only".
    let base = &pts[0];
    let id = |n: &str| t.params.id(n).expect("parameter");
    let (zero, one) = (
        Rational::from_integer(0.into()),
        Rational::from_integer(1.into()),
    );
    let mapped = [
        (id(priors[0]), zero.clone(), one.clone()),
        (id(priors[1]), zero, one),
    ];
    for theta in &pts[..11] {
        let found = conditions_at(&t, theta, &o).expect("conditions");
        let labels: Vec<&str> = found.iter().map(|r| r.label.as_str()).collect();
        for line in regime_lines(&t, &o, theta, &labels, base, &mapped) {
            assert!(
                !line.contains("sufficient") && !line.contains("not derived"),
                "{line}"
            );
        }
    }
    words
}
