//! The hedging game with a privately resolute protégé and defender
//! (models/hedging_private.toml): two players' types, so some information sets off the path
//! (the challenger's, over both types) have beliefs that are not a free simplex; its off-path
//! beliefs elsewhere need more combinations than the §1.1 game's. Every regime whose
//! conditions are derived must hold exactly where the `pbe` solver finds it, at points across
//! the parameter space.

use super::conditions::{conditions_at, regime_lines};
use super::derive::Cond;
use super::tests::Draw;
use super::*;
use num_traits::One;

fn model() -> (GameTemplate, String) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/models/hedging_private.toml");
    let text = std::fs::read_to_string(path).expect("models/hedging_private.toml");
    let loaded = crate::model::load(path, text.clone());
    (loaded.template.expect("a valid model"), text)
}

/// The scenarios' points, then points drawn over the two priors (others at the baseline),
/// then points with every parameter drawn inside its declared range (integer ranges; the
/// draws are rationals with prime denominators, so no boundary is hit by accident).
fn points(t: &GameTemplate, text: &str) -> Vec<Vec<Rational>> {
    let base = t.exact_point(text, None, &[]).expect("base point");
    let mut out = vec![base.clone()];
    for s in t.ast.scenarios.iter() {
        out.push(t.exact_point(text, Some(&s.name.v), &[]).expect("scenario"));
    }
    let id = |n: &str| t.params.id(n).expect("parameter");
    let mut draw = Draw(19, 0);
    for _ in 0..12 {
        let mut theta = base.clone();
        theta[id("q_res")] = draw.next(0, 1);
        theta[id("p_res")] = draw.next(0, 1);
        out.push(theta);
    }
    for _ in 0..POINTS {
        let mut theta = base.clone();
        for (v, r) in t.params.ranges.iter().enumerate() {
            let (lo, hi) = r.expect("every parameter has a range");
            theta[v] = draw.next(lo as i64, hi as i64);
        }
        out.push(theta);
    }
    out
}

/// Points drawn over the whole parameter space.
const POINTS: usize = 40;

/// Regimes the points meet (each derived exactly).
const DERIVED: usize = 11;

#[test]
fn hedging_private_conditions_never_overstate_at_random_points() {
    let (t, text) = model();
    let o = SolveOptions::default();
    let pts = points(&t, &text);
    // Every regime met anywhere, with its alternatives (the union over the points).
    // Label, alternatives, and whether every derivation of it was exact.
    let mut regimes: Vec<(String, Vec<Vec<Cond>>, bool)> = Vec::new();
    // Regimes whose conditions were not derived somewhere, with why.
    let mut missing: Vec<(String, String)> = Vec::new();
    for theta in &pts {
        for r in conditions_at(&t, theta, &o).expect("conditions") {
            if let Some(Err(e)) = r.alternatives.iter().find(|a| a.is_err()) {
                missing.push((r.label.clone(), e.clone()));
                continue;
            }
            let i = match regimes.iter().position(|x| x.0 == r.label) {
                Some(i) => i,
                None => {
                    regimes.push((r.label.clone(), Vec::new(), true));
                    regimes.len() - 1
                }
            };
            regimes[i].2 &= r.exact;
            for a in &r.alternatives {
                let a = a.clone().expect("derived");
                if !regimes[i].1.contains(&a) {
                    regimes[i].1.push(a);
                }
            }
        }
    }
    // Every regime met is derived, everywhere it is met.
    assert!(missing.is_empty(), "not derived: {missing:?}");
    assert!(
        regimes.len() >= DERIVED,
        "{} regimes derived: {:?}",
        regimes.len(),
        regimes.iter().map(|r| &r.0).collect::<Vec<_>>()
    );
    assert!(
        regimes.iter().all(|r| r.2) && !regimes.is_empty(),
        "exact regimes: {:?}",
        regimes.iter().map(|r| (&r.0, r.2)).collect::<Vec<_>>()
    );
    // At every point: each regime's conditions (derived wherever it was met) hold iff the
    // solver finds it there.
    let mut ev = Evaluator::new(&t, o.clone());
    let (mut held, mut failed) = (0, 0);
    for theta in &pts {
        let set = ev.at(theta).expect("solved");
        for l in set.key() {
            assert!(regimes.iter().any(|r| r.0 == l), "{l}: conditions derived");
        }
        for (label, alts, exact) in &regimes {
            let holds = alts.iter().any(|a| a.iter().all(|c| c.holds(theta)));
            let found = set.key().contains(&label.as_str());
            let at = || theta.iter().map(crate::exact::display).collect::<Vec<_>>();
            if *exact {
                assert_eq!(
                    holds,
                    found,
                    "{label} at {:?}: solver {}",
                    at(),
                    set.describe()
                );
            } else {
                assert!(
                    !holds || found,
                    "{label} at {:?}: solver {}",
                    at(),
                    set.describe()
                );
            }
            if holds {
                held += 1;
            } else {
                failed += 1;
            }
        }
    }
    assert!(held > 0 && failed > 0, "both cases met");
    // In words, on the report's map: nothing is "sufficient only".
    let base = &pts[0];
    let id = |n: &str| t.params.id(n).expect("parameter");
    let one = Rational::one();
    let zero = Rational::from_integer(0.into());
    let mapped = [
        (id("q_res"), zero.clone(), one.clone()),
        (id("p_res"), zero, one),
    ];
    for (label, _, exact) in &regimes {
        for line in regime_lines(&t, &o, base, &[label.as_str()], base, &mapped) {
            assert!(*exact && !line.contains("sufficient"), "{line}");
        }
    }
}

/// The conditions print factored and cancelled: at the scenarios' points, over the map of the
/// two priors, the statements are shorter than the derived polynomials written out, and the
/// bound on the protégé's prior reads as in docs/models/hedging_private.md.
#[test]
fn hedging_private_conditions_print_cancelled() {
    let (t, text) = model();
    let o = SolveOptions::default();
    let names = &t.params.names;
    let base = t.exact_point(&text, None, &[]).expect("base point");
    let id = |n: &str| t.params.id(n).expect("parameter");
    let (zero, one) = (Rational::from_integer(0.into()), Rational::one());
    let mapped = [
        (id("q_res"), zero.clone(), one.clone()),
        (id("p_res"), zero, one),
    ];
    let (mut raw, mut stated) = (0usize, 0usize);
    let mut lines: Vec<String> = Vec::new();
    for s in t.ast.scenarios.iter() {
        let theta = t
            .exact_point(&text, Some(&s.name.v), &[])
            .expect("scenario");
        for r in conditions_at(&t, &theta, &o).expect("conditions") {
            for conds in r.alternatives.iter().flatten() {
                raw += conds
                    .iter()
                    .map(|c| c.poly.show(names).len())
                    .sum::<usize>();
                let st = super::conditions::state(conds, names, &base, &mapped);
                stated += st
                    .on_map
                    .iter()
                    .chain(&st.elsewhere)
                    .map(String::len)
                    .sum::<usize>();
            }
            lines.extend(regime_lines(
                &t,
                &o,
                &theta,
                &[r.label.as_str()],
                &base,
                &mapped,
            ));
        }
    }
    assert!(stated < raw, "stated {stated} characters, derived {raw}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("q_res < (c_hi - a + lambda*T)/L")),
        "{lines:#?}"
    );
}
