//! Free beliefs beyond one deviator with two types. A deviator with three types
//! (tests/models/three_types.toml): after an initiation that no type of the challenger makes,
//! the defender's belief is free over a triangle, and with three replies its conditions are two
//! inequalities in the belief. Two typed deviators (tests/models/two_deviators.toml): after
//! both push, the third player's belief is free over both players' types. Extended deterrence
//! (models/extended_deterrence.toml): after a demand nobody makes and a resistance no protégé
//! makes, the defender's belief is free over the challenger's and the protégé's types, and its
//! gains depend on the challenger's alone. Every regime met must be derived exactly (no
//! "sufficient only") and its conditions must hold exactly where the `pbe` solver finds it, at
//! points across the parameter space.

use super::conditions::{conditions_at, regime_lines};
use super::derive::Cond;
use super::tests::Draw;
use super::*;

fn model(file: &str) -> (GameTemplate, String) {
    let path = if file.contains('/') {
        format!("{}/{file}", env!("CARGO_MANIFEST_DIR"))
    } else {
        format!("{}/tests/models/{file}", env!("CARGO_MANIFEST_DIR"))
    };
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
    let (words, _) = check("three_types.toml", ["q1", "q2"], 70);
    assert!(
        words.iter().any(|w| w.contains("type is mixed")),
        "some regime is supported by a belief inside the triangle: {words:?}"
    );
}

// Its derivations are many (every choice of C's three replies, beliefs over two deviators):
// fewer random points keep its run time reasonable.
#[test]
fn beliefs_about_two_deviators_are_eliminated_exactly() {
    let (words, _) = check("two_deviators.toml", ["pA", "pB"], 20);
    assert!(
        words.iter().any(|w| w.contains("pushes → B pushes")),
        "some regime is supported by a belief after both pushed: {words:?}"
    );
}

#[test]
fn extended_deterrence_pooling_is_derived_exactly() {
    // 10 points over the priors and 100 over the whole parameter space.
    let (words, regimes) = check("models/extended_deterrence.toml", ["p_Def", "p_Ch"], 100);
    assert!(
        words
            .iter()
            .any(|w| w.contains("Protege resists, that the protégé is firm")),
        "some regime is supported by a belief after the protégé resisted: {words:?}"
    );
    // MODELS.md §1.1 with the protégé: a weak protégé (probability w) yields, a firm one
    // resists; hard types fight and defend. Off the path the soft defender defends (a belief
    // μ ≤ μ̄ = 1/(1 − d_S) that the challenger is hard, always available) or capitulates (μ ≥ μ̄);
    // nobody demands iff for one of the two neither type gains from a demand over s.
    let (t, text) = model("models/extended_deterrence.toml");
    let pooling = &regimes
        .iter()
        .find(|r| r.0 == "pooling: SQ")
        .expect("pooling: SQ is met")
        .1;
    let mut pts = points(&t, &text, ["p_Def", "p_Ch"], 100);
    pts.extend(points(&t, &text, ["w", "s"], 0));
    let (mut yes, mut no) = (0, 0);
    for theta in &pts {
        let v = |n: &str| theta[t.params.id(n).expect("parameter")].clone();
        let one = Rational::from_integer(1.into());
        let (w, y, s, c_h, p_def) = (v("w"), v("y"), v("s"), v("c_H"), v("p_Def"));
        let firm = &one - &w;
        let held_by_defence = &w * &y + &firm * &c_h <= s && &w * &y <= s;
        let capitulation = &one - &p_def;
        let held_by_capitulation = &w * &y + &firm * (&p_def * &c_h + &capitulation) <= s
            && &w * &y + &firm * &capitulation <= s;
        let oracle = held_by_defence || held_by_capitulation;
        let derived = pooling.iter().any(|a| a.iter().all(|c| c.holds(theta)));
        assert_eq!(derived, oracle, "pooling: SQ at {theta:?}");
        if oracle {
            yes += 1;
        } else {
            no += 1;
        }
    }
    assert!(yes > 0 && no > 0, "both cases met: {yes} {no}");
}

/// Checks every regime of the model `file` (under tests/models, or a path from the crate's
/// root) at points over `priors` and `n` points of the whole parameter space; returns the
/// words of every supporting belief met, and each regime's alternatives.
#[allow(clippy::type_complexity)]
fn check(file: &str, priors: [&str; 2], n: usize) -> (Vec<String>, Vec<(String, Vec<Vec<Cond>>)>) {
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
    (words, regimes)
}
