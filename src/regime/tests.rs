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

/// A small deterministic generator of rationals in `(lo, hi)`; each call uses the next of a
/// list of prime denominators, so that two parameters drawn together never meet on a
/// boundary such as p_Def = 1 − s by coincidence.
pub(super) struct Draw(pub(super) u64, pub(super) usize);

impl Draw {
    /// The next rational in `(lo, hi)`.
    pub(super) fn next(&mut self, lo: i64, hi: i64) -> Rational {
        const PRIMES: [i64; 7] = [97, 89, 83, 79, 73, 71, 67];
        let p = PRIMES[self.1 % PRIMES.len()];
        self.1 += 1;
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let k = 1 + (self.0 >> 33) as i64 % (p - 1);
        q(&lo.to_string()) + Rational::new(((hi - lo) * k).into(), p.into())
    }

    /// A random point of the §1.1 game's parameter space (probabilities in (0, 1), the
    /// challenger's costs and the defender's payoffs in the ranges of MODELS.md), the other
    /// parameters as in `base`.
    fn point(&mut self, t: &GameTemplate, base: &[Rational]) -> Vec<Rational> {
        let id = |n: &str| t.params.id(n).expect("parameter");
        self.1 = 0;
        let mut theta = base.to_vec();
        for (name, lo, hi) in [
            ("p_Def", 0, 1),
            ("p_Ch", 0, 1),
            ("s", 0, 1),
            ("c_H", 0, 1),
            ("c_S", -5, 0),
            ("d_H", 0, 5),
            ("d_S", -10, 0),
        ] {
            theta[id(name)] = self.next(lo, hi);
        }
        theta
    }
}

/// The four regimes of §1.1 (with D1): their conditions in the model's symbols, derived at
/// the scenario points, are the table's π_S = 1 − s, π_H = (1 − s)/(1 − c_H) and
/// μ̄ = 1/(1 − d_S) as formulas, and they hold at random parameter points exactly where the
/// numeric solver finds the regime.
#[test]
fn regime_conditions_are_the_table_formulas() {
    use super::conditions::{conditions_at, state};
    let (t, base, _) = setup();
    let id = |n: &str| t.params.id(n).expect("parameter");
    let (p_def, p_ch) = (id("p_Def"), id("p_Ch"));
    let o = opts(Some(Refinement::D1));
    let mut regimes: Vec<(String, Vec<super::derive::Cond>)> = Vec::new();
    for (pd, pc) in [
        ("7/10", "1/2"),
        ("3/5", "1/2"),
        ("2/5", "1/2"),
        ("2/5", "1/4"),
    ] {
        let mut theta = base.clone();
        theta[p_def] = q(pd);
        theta[p_ch] = q(pc);
        let found = conditions_at(&t, &theta, &o).expect("conditions");
        assert_eq!(
            found.len(),
            1,
            "one regime with D1 at p_Def = {pd}, p_Ch = {pc}"
        );
        let r = &found[0];
        assert_eq!(r.alternatives.len(), 1, "{}", r.label);
        let conds = r.alternatives[0].clone().expect("derived");
        regimes.push((r.label.clone(), conds));
    }
    // The bounds on p_Def and p_Ch as functions of s, c_H and d_S.
    let mapped = [(p_def, q("0"), q("1")), (p_ch, q("0"), q("1"))];
    let mut draw = Draw(7, 0);
    let table = |theta: &[Rational]| {
        let one = Rational::one();
        let pi_s = &one - &theta[id("s")];
        let pi_h = &pi_s / (&one - &theta[id("c_H")]);
        let mu = &one / (&one - &theta[id("d_S")]);
        (pi_s, pi_h, mu)
    };
    let expect: [&[(usize, bool, usize)]; 4] = [
        // (parameter, lower bound?, which of π_S, π_H, μ̄)
        &[(p_def, true, 1)],
        &[(p_def, true, 0), (p_def, false, 1)],
        &[(p_def, false, 0), (p_ch, true, 2)],
        &[(p_def, false, 0), (p_ch, false, 2)],
    ];
    for ((label, conds), want) in regimes.iter().zip(expect) {
        let s = state(conds, &t.params.names, &base, &mapped);
        assert_eq!(s.bounds.len(), want.len(), "{label}: {:?}", s.on_map);
        for _ in 0..10 {
            let mut theta = base.clone();
            theta[id("s")] = draw.next(0, 1);
            theta[id("c_H")] = draw.next(0, 1);
            theta[id("d_S")] = draw.next(-10, 0);
            let (pi_s, pi_h, mu) = table(&theta);
            for &(param, lower, which) in want {
                let b = s
                    .bounds
                    .iter()
                    .find(|b| b.param == param && b.lower == lower)
                    .unwrap_or_else(|| panic!("{label}: no bound on {}", t.params.names[param]));
                let v = b.value(&theta).expect("a value");
                assert_eq!(
                    v,
                    [&pi_s, &pi_h, &mu][which].clone(),
                    "{label}: {}",
                    b.formula(&t.params.names)
                );
            }
        }
    }
    // At random points of the parameter space: the conditions hold iff the solver finds the
    // regime there.
    let mut ev = Evaluator::new(&t, o.clone());
    for _ in 0..40 {
        let theta = draw.point(&t, &base);
        let set = ev.at(&theta).expect("solved");
        for (label, conds) in &regimes {
            let holds = conds.iter().all(|c| c.holds(&theta));
            let found = set.key().contains(&label.as_str());
            assert_eq!(
                holds,
                found,
                "{label} at {:?}: conditions {holds}, solver {}",
                theta.iter().map(crate::exact::display).collect::<Vec<_>>(),
                set.describe()
            );
        }
    }
}

/// Without a refinement, a regime exists where *some* off-path belief supports it. §1.1's
/// caveat: with pessimistic beliefs no-initiation is an equilibrium at every p_Def whenever
/// c_H ≤ s; with the belief that an initiator is hard, where p_Def ≥ π_H. The conditions of
/// the pooling regime are that disjunction, each alternative named by its belief, and every
/// regime's conditions hold at random points exactly where the solver finds the regime.
#[test]
fn off_path_beliefs_are_quantified_existentially() {
    use super::conditions::{conditions_at, regime_lines};
    let (t, base, _) = setup();
    let id = |n: &str| t.params.id(n).expect("parameter");
    let (p_def, p_ch) = (id("p_Def"), id("p_Ch"));
    let o = opts(None);
    let mut regimes: Vec<(String, Vec<Vec<super::derive::Cond>>)> = Vec::new();
    for (pd, pc) in [
        ("7/10", "1/2"),
        ("3/5", "1/2"),
        ("2/5", "1/2"),
        ("2/5", "1/4"),
    ] {
        let mut theta = base.clone();
        theta[p_def] = q(pd);
        theta[p_ch] = q(pc);
        for r in conditions_at(&t, &theta, &o).expect("conditions") {
            assert!(r.exact, "{}: exact", r.label);
            if regimes.iter().any(|x| x.0 == r.label) {
                continue;
            }
            let alts: Vec<Vec<super::derive::Cond>> = r
                .alternatives
                .iter()
                .map(|a| a.clone().expect("derived"))
                .collect();
            regimes.push((r.label.clone(), alts));
        }
    }
    let pooling = &regimes
        .iter()
        .find(|r| r.0 == "pooling: SQ")
        .expect("pooling on the status quo")
        .1;
    let mut draw = Draw(11, 0);
    let mut ev = Evaluator::new(&t, o.clone());
    let (mut seen_caveat, mut seen_pi_h, mut seen_none) = (false, false, false);
    for _ in 0..60 {
        let theta = draw.point(&t, &base);
        let one = Rational::one();
        let pi_h = (&one - &theta[id("s")]) / (&one - &theta[id("c_H")]);
        let caveat = theta[id("c_H")] <= theta[id("s")];
        let deters = theta[p_def] >= pi_h;
        // (π_H ≤ p_Def ≤ 1 implies c_H ≤ s: the caveat's region contains π_H's.)
        seen_caveat |= caveat && !deters;
        seen_pi_h |= deters;
        seen_none |= !deters && !caveat;
        let holds = |alts: &[Vec<super::derive::Cond>]| {
            alts.iter().any(|a| a.iter().all(|c| c.holds(&theta)))
        };
        assert_eq!(holds(pooling), caveat || deters, "§1.1 pooling condition");
        let set = ev.at(&theta).expect("solved");
        for (label, alts) in &regimes {
            let found = set.key().contains(&label.as_str());
            assert_eq!(
                holds(alts),
                found,
                "{label} at {:?}: solver {}",
                theta.iter().map(crate::exact::display).collect::<Vec<_>>(),
                set.describe()
            );
        }
    }
    assert!(
        seen_caveat && seen_pi_h && seen_none,
        "the draws cover each case"
    );
    // In words: no number the user never wrote, and each alternative names its belief.
    let mapped = [(p_def, q("0"), q("1")), (p_ch, q("0"), q("1"))];
    let lines = regime_lines(&t, &o, &base, &["pooling: SQ"], &base, &mapped);
    let line = &lines[0];
    assert!(!line.contains("-5"), "{line}");
    assert!(
        line.contains("everywhere on the map, given c_H ≤ s"),
        "{line}"
    );
    assert!(line.contains("p_Def ≥ (1 - s)/(1 - c_H)"), "{line}");
    assert!(line.contains("the challenger is soft"), "{line}");
    assert!(line.contains("the challenger is hard"), "{line}");
    assert!(!line.contains("sufficient"), "{line}");
}
