//! models/hedging_private.toml against its derivation (docs/models/hedging_private.md): on a
//! grid of priors, exactly, every equilibrium `pbe` reports is one the derivation predicts,
//! with the predicted mixing probabilities and beliefs, and every predicted one is reported;
//! D1 keeps exactly the predicted regime. The predicted assessments are also checked on their
//! own by the independent assessment certificate.

use crate::pbe::{exact_game, q};
use crate::util::template;
use deter::exact::Rational as Q;
use deter::game::{Game, InfosetId, NodeKind};
use deter::solve::assessment;
use deter::solve::pbe::component::Component;
use deter::solve::pbe::refine::Refinement;
use deter::solve::pbe::Pbe;
use deter::solve::{self as solver, GameRef, SolveOptions, Solver};

/// The model's default parameters, exactly (as written in the file).
fn params(q_res: Q, p_res: Q) -> Vec<(&'static str, Q)> {
    vec![
        ("q_res", q_res),
        ("p_res", p_res),
        ("g", q(1, 1)),
        ("c_C", q(1, 1)),
        ("c_lo", q(1, 2)),
        ("c_hi", q(13, 10)),
        ("a", q(1, 1)),
        ("lambda", q(1, 2)),
        ("T", q(2, 5)),
        ("L", q(1, 1)),
        ("psi0", q(-1, 5)),
        ("beta_R", q(5, 4)),
        ("beta_I", q(1, 4)),
        ("rho", q(0, 1)),
        ("g_P", q(1, 1)),
        ("c_P", q(1, 2)),
        ("e_P", q(-1, 5)),
        ("e_C", q(0, 1)),
        ("e_D", q(0, 1)),
    ]
}

fn get(ps: &[(&str, Q)], k: &str) -> Q {
    ps.iter().find(|(n, _)| *n == k).unwrap().1.clone()
}

/// What the derivation predicts at a point: the protégé types' hedging probabilities, the
/// challenger's probability of challenging a hedger and an aligned protégé, and the
/// irresolute defender's probability of supporting a challenged hedger (`None`: off the path
/// and not pinned down).
#[derive(Debug, Clone, PartialEq)]
struct Regime {
    name: &'static str,
    hedge_res: Q,
    hedge_irr: Q,
    challenge_h: Option<Q>,
    challenge_a: Option<Q>,
    support_irr: Option<Q>,
    survives_d1: bool,
}

fn predict(ps: &[(&str, Q)]) -> Vec<Regime> {
    let (qr, p) = (get(ps, "q_res"), get(ps, "p_res"));
    let one = q(1, 1);
    let zero = q(0, 1);
    let (g, c_c) = (get(ps, "g"), get(ps, "c_C"));
    let (g_p, c_p, e_p) = (get(ps, "g_P"), get(ps, "c_P"), get(ps, "e_P"));
    let a_h = get(ps, "a") - get(ps, "lambda") * get(ps, "T");
    let mu_star = (get(ps, "c_hi") - a_h) / get(ps, "L");
    let p_star = &g / (&g + &c_c);
    let psi_r = get(ps, "psi0") + get(ps, "beta_R") * get(ps, "T");
    let rho = get(ps, "rho");
    let k_a = &p * &c_p + (&one - &p) * &g_p;
    let mut out = Vec::new();
    if p > p_star {
        // Nobody challenges an aligned protégé; hedging only costs: both align.
        out.push(Regime {
            name: "unchallenged",
            hedge_res: zero.clone(),
            hedge_irr: zero.clone(),
            challenge_h: None,
            challenge_a: Some(zero.clone()),
            support_irr: None,
            survives_d1: true,
        });
        return out;
    }
    if qr > mu_star {
        // Both hedge; the irresolute defender would support; the challenger holds back.
        out.push(Regime {
            name: "deterrence",
            hedge_res: one.clone(),
            hedge_irr: one.clone(),
            challenge_h: Some(zero.clone()),
            challenge_a: Some(one.clone()),
            support_irr: Some(one.clone()),
            survives_d1: true,
        });
    } else {
        // Bluffing: the irresolute protégé hedges just often enough that the defender's belief
        // is μ*.
        let sigma = &qr * (&one - &mu_star) / ((&one - &qr) * &mu_star);
        let s_c = ((&one - &p) * (&g + &rho * &mu_star) - &p * &c_c)
            / ((&one - &p) * (&c_c + &g + &rho * &mu_star));
        let k_h_irr = &k_a - (&one - &p) * &s_c * (&g_p - &c_p);
        let x_h = (&e_p + &k_a) / &k_h_irr;
        let (x_h, s) = if x_h < one {
            (x_h, s_c)
        } else {
            (one.clone(), -&e_p / ((&one - &p) * (&g_p - &c_p)))
        };
        out.push(Regime {
            name: "bluffing",
            hedge_res: one.clone(),
            hedge_irr: sigma,
            challenge_h: Some(x_h),
            challenge_a: Some(one.clone()),
            support_irr: Some(s),
            survives_d1: true,
        });
    }
    if &e_p + (&one - &p) * &psi_r < zero {
        // Both align and are challenged, held up by the belief that a hedger is irresolute.
        out.push(Regime {
            name: "pessimistic pool",
            hedge_res: zero.clone(),
            hedge_irr: zero.clone(),
            challenge_h: None,
            challenge_a: Some(one.clone()),
            support_irr: None,
            survives_d1: false,
        });
    }
    out
}

fn set(g: &Game, name: &str) -> InfosetId {
    InfosetId::from(
        (0..g.tree.infosets.len())
            .find(|&s| g.tree.infoset_display(InfosetId::from(s)) == name)
            .unwrap_or_else(|| panic!("no set {name}")),
    )
}

/// The exact probability of `action` at `name` if it is a single value.
fn prob(g: &Game, c: &Component, name: &str, action: usize) -> Option<Q> {
    let r = &c.sets[set(g, name).ix()].actions[action];
    r.is_point().then(|| r.lo.q.clone().unwrap())
}

fn matches(g: &Game, c: &Component, r: &Regime) -> bool {
    let hedge = 1;
    let (challenge, support) = (1, 0);
    prob(g, c, "protege[resolute]", hedge) == Some(r.hedge_res.clone())
        && prob(g, c, "protege[irresolute]", hedge) == Some(r.hedge_irr.clone())
        && r.challenge_h
            .as_ref()
            .is_none_or(|x| prob(g, c, "challenger_h", challenge).as_ref() == Some(x))
        && r.challenge_a
            .as_ref()
            .is_none_or(|x| prob(g, c, "challenger_a", challenge).as_ref() == Some(x))
        && r.support_irr
            .as_ref()
            .is_none_or(|x| prob(g, c, "defender_h[irresolute]", support).as_ref() == Some(x))
}

fn solve(g: &Game, refine: Option<Refinement>) -> Vec<Component> {
    let opts = SolveOptions {
        refine,
        ..SolveOptions::default()
    };
    let mut sol = Pbe.solve(GameRef::Tree(g), &opts).unwrap();
    solver::certify(GameRef::Tree(g), &mut sol).unwrap();
    assert_eq!(sol.status, solver::Status::Solved);
    sol.equilibria
        .into_iter()
        .map(|e| {
            let ch = e.sequential.as_ref().unwrap();
            assert!(ch.ok && ch.exact);
            *e.component.unwrap()
        })
        .collect()
}

#[test]
fn regimes_on_a_grid_of_priors_match_the_derivation_exactly() {
    let t = template("models/hedging_private.toml");
    let mut seen = std::collections::BTreeSet::new();
    // Priors away from the boundaries q = 1/2, p ∈ {1/10, 1/3, 1/2}.
    for (qn, qd) in [(1, 5), (3, 10), (7, 10), (9, 10)] {
        for (pn, pd) in [(1, 20), (1, 5), (3, 10), (2, 5), (9, 20), (7, 10), (9, 10)] {
            let ps = params(q(qn, qd), q(pn, pd));
            let g = exact_game(&t, &ps);
            let want = predict(&ps);
            let got = solve(&g, None);
            assert_eq!(
                got.len(),
                want.len(),
                "q = {qn}/{qd}, p = {pn}/{pd}: {} components, predicted {:?}",
                got.len(),
                want.iter().map(|r| r.name).collect::<Vec<_>>()
            );
            for r in &want {
                seen.insert(r.name);
                assert!(
                    got.iter().any(|c| matches(&g, c, r)),
                    "q = {qn}/{qd}, p = {pn}/{pd}: {r:?} not found"
                );
            }
            let refined = solve(&g, Some(Refinement::D1));
            let survivors: Vec<&Regime> = want.iter().filter(|r| r.survives_d1).collect();
            assert_eq!(
                refined.len(),
                survivors.len(),
                "q = {qn}/{qd}, p = {pn}/{pd}: D1"
            );
            for r in survivors {
                assert!(refined.iter().any(|c| matches(&g, c, r)));
            }
        }
    }
    assert_eq!(seen.len(), 4, "every regime occurs on the grid: {seen:?}");
}

#[test]
fn the_bluff_is_certified_on_its_own() {
    // The bluffing assessment at q = 3/10, p = 3/10, written down from the derivation and
    // checked by the independent certificate (not by pbe): σ = 3/7, x_H = 13/15, s = 2/7,
    // every belief after a hedge at μ* = 1/2.
    let t = template("models/hedging_private.toml");
    let ps = params(q(3, 10), q(3, 10));
    let g = exact_game(&t, &ps);
    let tree = &*g.tree;
    let mut behaviour = vec![q(0, 1); tree.n_actions()];
    let mut put = |name: &str, probs: [Q; 2]| {
        let s = set(&g, name);
        let f = tree.infosets[s.ix()].first_action as usize;
        behaviour[f] = probs[0].clone();
        behaviour[f + 1] = probs[1].clone();
    };
    put("protege[resolute]", [q(0, 1), q(1, 1)]);
    put("protege[irresolute]", [q(4, 7), q(3, 7)]);
    put("challenger_a", [q(0, 1), q(1, 1)]);
    put("challenger_h", [q(2, 15), q(13, 15)]);
    put("defender_a[resolute]", [q(1, 1), q(0, 1)]);
    put("defender_h[resolute]", [q(1, 1), q(0, 1)]);
    put("defender_a[irresolute]", [q(0, 1), q(1, 1)]);
    put("defender_h[irresolute]", [q(2, 7), q(5, 7)]);
    put("protege_a[resolute]", [q(0, 1), q(1, 1)]);
    put("protege_a[irresolute]", [q(0, 1), q(1, 1)]);
    put("protege_h[resolute]", [q(1, 1), q(0, 1)]);
    put("protege_h[irresolute]", [q(0, 1), q(1, 1)]);
    // Beliefs: Bayes' rule everywhere (every set is reached but protege_a[resolute], where the
    // resolute protégé's belief about the defender is taken as the prior's update).
    let reach = {
        let mut r = vec![q(0, 1); tree.nodes.len()];
        r[0] = q(1, 1);
        let chance = g.exact.as_ref().unwrap().chance().to_vec();
        for i in 0..tree.nodes.len() {
            let n = tree.nodes[i];
            for (a, c) in n.children().enumerate() {
                let pr = match n.kind {
                    NodeKind::Chance => chance[c].clone(),
                    NodeKind::Decision { infoset, .. } => {
                        behaviour[tree.infosets[infoset.ix()].first_action as usize + a].clone()
                    }
                    NodeKind::Terminal { .. } => q(0, 1),
                };
                r[c] = &r[i] * pr;
            }
        }
        r
    };
    let mut beliefs = vec![None; tree.nodes.len()];
    for s in 0..tree.infosets.len() {
        let m = tree.members(InfosetId::from(s));
        let total: Q = m.iter().fold(q(0, 1), |a, x| a + &reach[x.ix()]);
        for x in m {
            beliefs[x.ix()] = Some(if total > q(0, 1) {
                &reach[x.ix()] / &total
            } else {
                q(1, m.len() as i64)
            });
        }
    }
    let fix = set(&g, "protege_a[resolute]");
    for (k, x) in tree.members(fix).iter().enumerate() {
        beliefs[x.ix()] = Some(if k == 0 { q(0, 1) } else { q(1, 1) });
    }
    let check = assessment::check(&g, &behaviour, &beliefs, None);
    assert!(check.ok && check.exact, "{check:?}");
    // And a wrong mixture fails it.
    let f = tree.infosets[set(&g, "challenger_h").ix()].first_action as usize;
    behaviour[f] = q(1, 5);
    behaviour[f + 1] = q(4, 5);
    assert!(!assessment::check(&g, &behaviour, &beliefs, None).ok);
}

#[test]
fn hedging_provokes_when_it_pays_and_the_challenger_prizes_a_realigned_protege() {
    // e_P = 3/10 > 0, ρ = 2, p = 3/5 > p* = 1/2, q = 2/5 < μ* = 1/2: an aligned protégé is left
    // alone, a hedger is challenged with x_H = e_P/K_H^I = 9/20, where the irresolute defender
    // supports with s = 1/6 (the challenger's indifference at μ*) and the irresolute protégé
    // hedges with σ = q(1 − μ*)/((1 − q)μ*) = 2/3.
    let t = template("models/hedging_private.toml");
    let mut ps = params(q(2, 5), q(3, 5));
    for (k, v) in ps.iter_mut() {
        match *k {
            "e_P" => *v = q(3, 10),
            "rho" => *v = q(2, 1),
            _ => {}
        }
    }
    let g = exact_game(&t, &ps);
    let refined = solve(&g, Some(Refinement::D1));
    assert_eq!(refined.len(), 1);
    let c = &refined[0];
    assert_eq!(prob(&g, c, "protege[irresolute]", 1), Some(q(2, 3)));
    assert_eq!(prob(&g, c, "challenger_h", 1), Some(q(9, 20)));
    assert_eq!(prob(&g, c, "challenger_a", 1), Some(q(0, 1)));
    assert_eq!(prob(&g, c, "defender_h[irresolute]", 0), Some(q(1, 6)));
    // The option to hedge raises the probability of a challenge from 0 to 0.36.
    let challenge = g.tree.event_id("challenge").unwrap();
    let p = deter::game::profile::event_probabilities(&g, &c.point.behaviour_f64());
    assert!((p[challenge.ix()] - 0.36).abs() < 1e-12);
}
