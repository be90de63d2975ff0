//! The unilateral deterrence game (docs/models/unilateral_deterrence.md): its regime
//! boundaries π_S = 1 − s, π_H = (1 − s)/(1 − c_H) and μ̄ = 1/(1 − d_S), found exactly.

use super::along::{along, AlongOptions};
use super::map::{regime_map, MapOptions};
use super::*;
use crate::solve::pbe::Refinement;
use num_traits::One;

fn model() -> (GameTemplate, String) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/models/unilateral_deterrence.toml"
    );
    let text = std::fs::read_to_string(path).expect("models/unilateral_deterrence.toml");
    let loaded = crate::model::load(path, text.clone());
    (loaded.template.expect("a valid model"), text)
}

fn q(s: &str) -> Rational {
    crate::exact::parse(s).expect("a number")
}

/// The base point and the three boundaries, from the model's own parameter values.
fn setup() -> (GameTemplate, Vec<Rational>, [Rational; 3]) {
    let (t, text) = model();
    let base = t.exact_point(&text, None, &[]).expect("base point");
    let v = |n: &str| base[t.params.id(n).expect("parameter")].clone();
    let one = Rational::one();
    let pi_s = &one - v("s");
    let pi_h = &pi_s / (&one - v("c_H"));
    let mu = &one / (&one - v("d_S"));
    (t, base, [pi_s, pi_h, mu])
}

fn opts(refine: Option<Refinement>) -> SolveOptions {
    SolveOptions {
        refine,
        ..SolveOptions::default()
    }
}

#[test]
fn p_def_boundaries_are_pi_s_and_pi_h_exactly() {
    let (t, base, [pi_s, pi_h, _]) = setup();
    assert_ne!(pi_s, pi_h);
    let p_def = t.params.id("p_Def").expect("p_Def");
    for refine in [None, Some(Refinement::D1)] {
        let mut ev = Evaluator::new(&t, opts(refine));
        let a = along(
            &mut ev,
            &base,
            p_def,
            &q("0"),
            &q("1"),
            &AlongOptions::default(),
        )
        .expect("scan");
        // Inside the interval (at p_Def = 0 the hard defender does not exist, and some
        // outcomes with it: a change at the end itself).
        let inside = |c: &&along::Change| c.value > q("0") && c.value < q("1");
        let at: Vec<&Rational> = a.changes.iter().filter(inside).map(|c| &c.value).collect();
        assert_eq!(at, vec![&pi_s, &pi_h], "{refine:?}: {:#?}", a.changes);
        assert!(a.changes.iter().all(|c| c.exact), "{:#?}", a.changes);
        // Above π_H nobody initiates: the status quo in every equilibrium.
        let segs: Vec<_> = a.segments.iter().filter(|s| s.0 < s.1).collect();
        let top = &segs.last().expect("segments").2;
        assert!(top.regimes.iter().all(|r| r.outcomes == ["SQ"]), "{top:?}");
        // Between π_S and π_H a separating equilibrium exists; below π_S it is gone.
        let has = |s: &RegimeSet, c: &str| s.regimes.iter().any(|r| r.class.as_deref() == Some(c));
        assert!(has(&segs[1].2, "separating"), "{:?}", segs[1].2);
        assert!(!has(&segs[0].2, "separating"), "{:?}", segs[0].2);
        if refine.is_some() {
            // D1 leaves one regime on each stretch.
            assert!(segs.iter().all(|s| s.2.regimes.len() == 1), "{segs:#?}");
        } else {
            // Without a refinement, pessimistic off-path beliefs sustain no initiation
            // everywhere (c_H ≤ s): the stretches below π_H have two regimes, and say so.
            assert!(segs[..2].iter().all(|s| s.2.regimes.len() == 2));
            assert!(segs[0].2.describe().contains(" or "));
        }
    }
}

#[test]
fn p_ch_boundary_is_mu_bar_exactly_with_the_bluff_below() {
    let (t, mut base, [pi_s, _, mu]) = setup();
    let p_def = t.params.id("p_Def").expect("p_Def");
    let p_ch = t.params.id("p_Ch").expect("p_Ch");
    base[p_def] = &pi_s * q("4/5");
    let mut ev = Evaluator::new(&t, opts(Some(Refinement::D1)));
    let a = along(
        &mut ev,
        &base,
        p_ch,
        &q("0.05"),
        &q("0.95"),
        &AlongOptions::default(),
    )
    .expect("scan");
    assert_eq!(a.changes.len(), 1, "{:#?}", a.changes);
    assert_eq!(a.changes[0].value, mu);
    assert!(a.changes[0].exact);
    let below = &a.changes[0].left.regimes;
    let above = &a.changes[0].right.regimes;
    assert_eq!(below.len(), 1);
    assert_eq!(above.len(), 1);
    // Bluff: the soft challenger mixes (semi-separating), and every outcome occurs.
    assert_eq!(below[0].class.as_deref(), Some("semi-separating"));
    assert_eq!(below[0].outcomes.len(), 4, "{below:?}");
    // Attack: both types initiate (pooling), the status quo never happens.
    assert_eq!(above[0].class.as_deref(), Some("pooling"));
    assert!(!above[0].outcomes.contains(&"SQ".to_string()), "{above:?}");
}

#[test]
fn the_map_has_four_rectangles_with_exact_shares() {
    let (t, base, [pi_s, pi_h, mu]) = setup();
    let p_def = t.params.id("p_Def").expect("p_Def");
    let p_ch = t.params.id("p_Ch").expect("p_Ch");
    let mut ev = Evaluator::new(&t, opts(Some(Refinement::D1)));
    let o = MapOptions {
        cells: (8, 6),
        lines: 3,
        along: AlongOptions {
            grid: 12,
            ..AlongOptions::default()
        },
    };
    let m = regime_map(
        &mut ev,
        &base,
        (p_def, q("0"), q("1")),
        (p_ch, q("0"), q("1")),
        &o,
    )
    .expect("map");
    // Inside the map (the ends, where a type has prior 0, may have sets of their own).
    let inner = |v: &[Rational]| -> Vec<Rational> {
        v.iter()
            .filter(|x| **x > q("0") && **x < q("1"))
            .cloned()
            .collect()
    };
    assert_eq!(inner(&m.x.breaks), vec![pi_s.clone(), pi_h.clone()]);
    assert_eq!(inner(&m.y.breaks), vec![mu.clone()]);
    assert!(
        m.x.approx.is_empty() && m.y.approx.is_empty(),
        "{:?} {:?}",
        m.x.approx,
        m.y.approx
    );
    assert_eq!(m.areas.len(), 4, "{:#?}", m.areas);
    let one = Rational::one();
    // Deterrence, separating, attack and bluff: rectangles cut at π_S, π_H and μ̄.
    let want = [
        (&pi_s * (&one - &mu)),
        (&pi_s * &mu),
        (&pi_h - &pi_s),
        (&one - &pi_h),
    ];
    let mut got: Vec<f64> = m.areas.iter().map(|a| a.share).collect();
    let mut want: Vec<f64> = want.iter().map(crate::exact::to_f64).collect();
    got.sort_by(f64::total_cmp);
    want.sort_by(f64::total_cmp);
    for (g, w) in got.iter().zip(&want) {
        assert!((g - w).abs() < 1e-12, "{got:?} vs {want:?}");
    }
    assert!(
        m.areas.iter().all(|a| a.conditions.is_some()),
        "{:#?}",
        m.areas
    );
    let conds: Vec<String> = m
        .areas
        .iter()
        .flat_map(|a| a.conditions.clone().unwrap_or_default())
        .collect();
    assert!(conds.contains(&"p_Def > 2/3".to_string()), "{conds:?}");
    assert!(
        conds.contains(&"1/2 < p_Def < 2/3".to_string()),
        "{conds:?}"
    );
    assert!(conds.contains(&"p_Ch < 1/3".to_string()), "{conds:?}");
}
