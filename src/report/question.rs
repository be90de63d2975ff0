//! A question's answer at each scenario, with the conditions that decide it. The map and its
//! regions come from [`crate::questions::question_map`] and [`crate::questions::map_regions`].

use crate::output::words::num;
use crate::questions::{Evaluator, PreparedQuestion};

pub use crate::questions::{Effect, MapRegion, QuestionMap};

/// The answer at one point (a scenario) in words, with the deciding conditions.
pub fn explain(
    p: &PreparedQuestion,
    theta: &[f64],
    axes: &[usize],
) -> (Effect, (f64, f64), Vec<String>) {
    let Some((effect, ev)) = Evaluator::new(p)
        .ok()
        .and_then(|mut ev| Some((ev.effect_at(theta).ok()?, ev)))
    else {
        return (Effect::Unknown, (f64::NAN, f64::NAN), Vec::new());
    };
    let vars: Vec<usize> = axes.iter().rev().copied().collect();
    (
        effect,
        ev.probabilities(),
        p.deciding(ev.signature(), theta, &vars),
    )
}

/// The answer at one point over every subgame-perfect equilibrium: the verdict in words
/// ([`PreparedQuestion::verdict`]), whether a tie decides it, and the event's distinct
/// probabilities with the treatment and with the control (sorted).
pub fn over_equilibria(
    p: &PreparedQuestion,
    theta: &[f64],
) -> (String, bool, (Vec<f64>, Vec<f64>)) {
    match p.answer(theta) {
        Ok(a) => {
            let distinct = |v: &[f64]| {
                let mut v = v.to_vec();
                v.sort_by(f64::total_cmp);
                v.dedup_by(|a, b| (*a - *b).abs() <= 1e-9);
                v
            };
            (
                p.verdict(&a),
                a.effects.tied(),
                (
                    distinct(&a.treatment_set.probs),
                    distinct(&a.control_set.probs),
                ),
            )
        }
        Err(_) => (String::new(), false, (Vec::new(), Vec::new())),
    }
}

/// `0.25` → `25%`.
pub fn percent(x: f64) -> String {
    format!("{}%", num((x * 1000.0).round() / 10.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(f: &str) -> crate::model::GameTemplate {
        let path = format!("{}/models/{f}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(path).unwrap();
        crate::model::load(f, text).template.unwrap()
    }

    #[test]
    fn hedging_scenarios_explained() {
        // docs/models/hedging.md: Cold War deters (c_D = 1.5 ∈ (a, a + L − λT) = (1, 2.85)); 2001–2014
        // provokes (c_D = .85 ∈ (a + L − λT, a) = (.7, 1)).
        let t = load("hedging.toml");
        let p = crate::questions::prepare(&t).unwrap().remove(0);
        let axes = [t.params.id("T").unwrap(), t.params.id("c_D").unwrap()];
        let cold = explain(&p, &t.point(Some("cold_war"), &[]).unwrap(), &axes);
        assert_eq!((cold.0, cold.1), (Effect::Lower, (0.0, 1.0)));
        assert!(cold
            .2
            .contains(&"c_D = 1.5 < a - lambda*T + L = 2.85".to_string()));
        let post = explain(&p, &t.point(Some("post_2001"), &[]).unwrap(), &axes);
        assert_eq!((post.0, post.1), (Effect::Higher, (1.0, 0.0)));
        assert!(post.2.contains(&"c_D = 0.85 < a = 1".to_string()));
    }
}
