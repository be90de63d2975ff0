//! `pbe` against the analytic solutions of MODELS.md §1.1 (Zagare–Kilgour unilateral
//! deterrence, derived in docs/models/unilateral_deterrence.md) and §3 (Beer–Quiche), at the
//! oracle points and exactly at the regime boundaries, with the refinements; and on random
//! games, against the independent assessment certificate and backward induction.

use crate::util::{deter, deter_ok, template};
use deter::exact::{self, Rational as Q};
use deter::expr::{Ast, AstKind, BinOp};
use deter::game::{ExactNumbers, Game, InfosetId, NodeKind};
use deter::model::GameTemplate;
use deter::solve::pbe::component::{Component, Concept, Range};
use deter::solve::pbe::refine::{Outcome, Refinement};
use deter::solve::pbe::Pbe;
use deter::solve::{self as solver, GameRef, SolveOptions, Solver};
use std::sync::Arc;

pub fn q(n: i64, d: i64) -> Q {
    Q::new(n.into(), d.into())
}

fn eval_q(a: &Ast, names: &[String], theta: &[Q]) -> Q {
    match &a.kind {
        AstKind::Num(x) => exact::from_f64(*x).unwrap(),
        AstKind::Param(p) => theta[names.iter().position(|n| n == p).unwrap()].clone(),
        AstKind::Neg(x) => -eval_q(x, names, theta),
        AstKind::Bin(op, x, y) => {
            let (x, y) = (eval_q(x, names, theta), eval_q(y, names, theta));
            match op {
                BinOp::Add => x + y,
                BinOp::Sub => x - y,
                BinOp::Mul => x * y,
                BinOp::Div => x / y,
                BinOp::Pow => panic!("not needed by the models tested"),
            }
        }
        other => panic!("not needed by the models tested: {other:?}"),
    }
}

/// The game of a template at exact parameter values (every parameter must be given): every
/// formula evaluated in rationals, the floats set to the nearest doubles.
pub fn exact_game(t: &GameTemplate, theta: &[(&str, Q)]) -> Game {
    let names = &t.params.names;
    let th: Vec<Q> = names
        .iter()
        .map(|n| {
            theta
                .iter()
                .find(|(k, _)| k == n)
                .unwrap_or_else(|| panic!("give {n}"))
                .1
                .clone()
        })
        .collect();
    let mut g = t.empty_game();
    let values: Vec<Q> = t
        .formulas
        .iter()
        .map(|f| eval_q(&f.ast, names, &th))
        .collect();
    let n_pay = g.payoffs.len();
    let payoffs = values[..n_pay].to_vec();
    let mut chance = vec![Q::from_integer(0.into()); g.tree.nodes.len()];
    let mut k = n_pay;
    for node in g.tree.nodes.iter() {
        if node.kind == NodeKind::Chance {
            for c in node.children() {
                chance[c] = values[k].clone();
                k += 1;
            }
        }
    }
    g.payoffs = payoffs.iter().map(exact::to_f64).collect();
    g.chance = chance.iter().map(exact::to_f64).collect();
    g.exact = Some(Arc::new(ExactNumbers::new(chance, payoffs)));
    g
}

/// The §1.1 game at (p_Def, p_Ch) with the default payoffs, exactly.
fn zk(p_def: Q, p_ch: Q) -> Game {
    let t = template("models/unilateral_deterrence.toml");
    exact_game(
        &t,
        &[
            ("p_Ch", p_ch),
            ("p_Def", p_def),
            ("s", q(1, 2)),
            ("c_H", q(1, 4)),
            ("c_S", q(-1, 2)),
            ("d_H", q(1, 2)),
            ("d_S", q(-2, 1)),
            ("s_D", q(1, 1)),
        ],
    )
}

fn solve(g: &Game, refine: Option<Refinement>) -> Vec<Component> {
    let opts = SolveOptions {
        refine,
        ..SolveOptions::default()
    };
    let mut sol = Pbe.solve(GameRef::Tree(g), &opts).unwrap();
    solver::certify(GameRef::Tree(g), &mut sol).unwrap();
    for eq in &sol.equilibria {
        assert!(eq.max_regret() <= 1e-12, "regret of a reported equilibrium");
        let check = eq.sequential.as_ref().expect("assessment certificate");
        assert!(check.ok && check.exact, "assessment certificate: {check:?}");
    }
    sol.equilibria
        .into_iter()
        .map(|e| *e.component.unwrap())
        .collect()
}

fn set(g: &Game, name: &str) -> InfosetId {
    InfosetId::from(
        (0..g.tree.infosets.len())
            .find(|&s| g.tree.infoset_display(InfosetId::from(s)) == name)
            .unwrap_or_else(|| panic!("no information set {name}")),
    )
}

/// Range of the probability of `action` at set `name`.
fn play<'c>(g: &Game, c: &'c Component, name: &str, action: &str) -> &'c Range {
    let s = set(g, name);
    let a = (0..g.tree.infosets[s.ix()].n_actions as usize)
        .find(|&a| g.tree.action_label(s, a) == action)
        .unwrap();
    &c.sets[s.ix()].actions[a]
}

fn exactly(r: &Range, v: Q) -> bool {
    r.lo.q.as_ref() == Some(&v) && r.hi.q.as_ref() == Some(&v)
}

fn spans(r: &Range, lo: Q, hi: Q) -> bool {
    r.lo.q.as_ref() == Some(&lo) && r.hi.q.as_ref() == Some(&hi)
}

fn belief<'c>(g: &Game, c: &'c Component, name: &str, label: &str) -> &'c Range {
    let s = set(g, name);
    &c.sets[s.ix()]
        .beliefs
        .iter()
        .find(|(l, _)| l == label)
        .unwrap_or_else(|| panic!("no belief {label} at {name}"))
        .1
}

/// The component in which the challengers play as given (initiate probability per type).
fn find<'c>(g: &Game, cs: &'c [Component], hard: Q, soft: Q) -> Option<&'c Component> {
    cs.iter().find(|c| {
        exactly(play(g, c, "challenger[hard]", "initiate"), hard.clone())
            && exactly(play(g, c, "challenger[soft]", "initiate"), soft.clone())
    })
}

fn d1(c: &Component) -> &Outcome {
    &c.refinements
        .iter()
        .find(|v| v.refinement == Refinement::D1)
        .expect("a D1 verdict")
        .outcome
}

fn zero() -> Q {
    q(0, 1)
}
fn one() -> Q {
    q(1, 1)
}

#[test]
fn deterrence_at_p_def_07_with_the_d1_belief() {
    // p_Def = .7 ≥ π_H = 2/3: nobody initiates; D1 puts the off-path belief on the hard type
    // (μ = 1), so the soft defender would capitulate, and still nobody initiates.
    let g = zk(q(7, 10), q(1, 2));
    let all = solve(&g, None);
    assert_eq!(all.len(), 1, "deterrence is the only equilibrium component");
    let c = &all[0];
    assert_eq!(c.concept, Concept::Sequential);
    assert_eq!(c.class.as_ref().unwrap().headline(), "pooling");
    assert!(exactly(play(&g, c, "challenger[hard]", "initiate"), zero()));
    // Off the path every belief sustains it, with the matching play of the soft defender.
    assert!(spans(
        belief(&g, c, "defender[soft]", "Challenger hard"),
        zero(),
        one()
    ));
    assert_eq!(c.alternatives.len(), 3);
    assert_eq!(d1(c), &Outcome::Passes);
    let refined = solve(&g, Some(Refinement::D1));
    assert_eq!(refined.len(), 1);
    let r = &refined[0];
    assert!(exactly(
        belief(&g, r, "defender[soft]", "Challenger hard"),
        one()
    ));
    assert!(exactly(play(&g, r, "defender[soft]", "capitulate"), one()));
}

#[test]
fn separating_at_p_def_06() {
    // π_S ≤ .6 < π_H: the hard challenger initiates, the soft one does not; the soft defender,
    // facing a hard challenger for sure, capitulates.
    let g = zk(q(3, 5), q(1, 2));
    let all = solve(&g, None);
    let sep = find(&g, &all, one(), zero()).expect("the separating equilibrium");
    assert_eq!(sep.class.as_ref().unwrap().headline(), "separating");
    assert!(exactly(
        play(&g, sep, "defender[soft]", "capitulate"),
        one()
    ));
    assert!(exactly(
        belief(&g, sep, "defender[soft]", "Challenger hard"),
        one()
    ));
    // The no-initiation pool survives only on pessimistic beliefs, and D1 removes it.
    let pool = find(&g, &all, zero(), zero()).expect("the pessimistic pool");
    assert!(matches!(d1(pool), Outcome::Fails { gaining } if gaining == &vec![0]));
    let refined = solve(&g, Some(Refinement::D1));
    assert_eq!(refined.len(), 1);
    assert!(find(&g, &refined, one(), zero()).is_some());
}

#[test]
fn attack_at_p_def_04_p_ch_05() {
    // p_Def < π_S and p_Ch = .5 > μ̄ = 1/3: both types initiate; the soft defender capitulates.
    let g = zk(q(2, 5), q(1, 2));
    let refined = solve(&g, Some(Refinement::D1));
    assert_eq!(refined.len(), 1);
    let c = find(&g, &refined, one(), one()).expect("attack");
    assert_eq!(c.class.as_ref().unwrap().headline(), "pooling");
    assert!(exactly(play(&g, c, "defender[soft]", "capitulate"), one()));
    assert!(exactly(
        belief(&g, c, "defender[soft]", "Challenger hard"),
        q(1, 2)
    ));
}

#[test]
fn bluff_at_p_def_04_p_ch_025_mixes_two_thirds_and_one_sixth() {
    // p_Def < π_S, p_Ch = 1/4 < μ̄: the soft challenger bluffs with σ = p(1−μ̄)/((1−p)μ̄) = 2/3
    // and the soft defender defends with r = (π_S − p_Def)/(1 − p_Def) = 1/6, so that the
    // defender's belief in a hard challenger is exactly μ̄ = 1/3.
    let g = zk(q(2, 5), q(1, 4));
    let all = solve(&g, None);
    let c = find(&g, &all, one(), q(2, 3)).expect("the bluff");
    assert_eq!(c.class.as_ref().unwrap().headline(), "semi-separating");
    assert!(exactly(play(&g, c, "defender[soft]", "defend"), q(1, 6)));
    assert!(exactly(play(&g, c, "defender[hard]", "defend"), one()));
    assert!(exactly(
        belief(&g, c, "defender[soft]", "Challenger hard"),
        q(1, 3)
    ));
    // The caveat: with pessimistic off-path beliefs nobody initiates (c_H ≤ s), a weak
    // equilibrium that D1 removes.
    let pool = find(&g, &all, zero(), zero()).expect("the pessimistic pool");
    assert!(matches!(d1(pool), Outcome::Fails { .. }));
    let refined = solve(&g, Some(Refinement::D1));
    assert_eq!(refined.len(), 1);
    assert!(find(&g, &refined, one(), q(2, 3)).is_some());
}

#[test]
fn at_pi_h_deterrence_and_separating_meet_in_one_continuum() {
    // p_Def = π_H = 2/3 exactly: against a capitulating soft defender (the D1 belief μ = 1
    // after an initiation) the hard challenger gets exactly s from initiating, so it may
    // initiate with any probability: deterrence (0) and separating (1) are the ends of one
    // component, and the tie is reported.
    let g = zk(q(2, 3), q(1, 2));
    let refined = solve(&g, Some(Refinement::D1));
    let hard = set(&g, "challenger[hard]");
    let c = refined
        .iter()
        .find(|c| spans(play(&g, c, "challenger[hard]", "initiate"), zero(), one()))
        .expect("one component with the hard challenger's initiation in [0, 1]");
    assert!(exactly(play(&g, c, "challenger[soft]", "initiate"), zero()));
    assert!(exactly(play(&g, c, "defender[soft]", "capitulate"), one()));
    assert_eq!(
        c.class.as_ref().unwrap().headline(),
        "a continuum through separating, semi-separating, pooling"
    );
    assert!(c.ties.iter().any(|t| t.set == hard && t.on_path));
    // Just inside either side there is neither the continuum nor the tie.
    for p in [q(2, 3) + q(1, 1000), q(2, 3) - q(1, 1000)] {
        let g = zk(p, q(1, 2));
        let cs = solve(&g, Some(Refinement::D1));
        assert_eq!(cs.len(), 1);
        assert!(cs[0].ties.iter().all(|t| t.set != hard));
        assert!(cs[0].sets[hard.ix()].actions[1].is_point());
    }
}

#[test]
fn at_pi_s_the_soft_challenger_is_indifferent_along_a_continuum() {
    // p_Def = π_S = 1/2 with p_Ch = 1/2 > μ̄: the soft challenger is indifferent between the
    // status quo and initiating against a capitulating soft defender; every σ ∈ [0, 1] keeps the
    // defender's belief above μ̄. One component spans separating, semi-separating and attack.
    let g = zk(q(1, 2), q(1, 2));
    let all = solve(&g, None);
    let cont = all
        .iter()
        .find(|c| spans(play(&g, c, "challenger[soft]", "initiate"), zero(), one()))
        .expect("one component with the soft challenger's initiation in [0, 1]");
    assert!(exactly(
        play(&g, cont, "challenger[hard]", "initiate"),
        one()
    ));
    assert!(exactly(
        play(&g, cont, "defender[soft]", "capitulate"),
        one()
    ));
    let soft = set(&g, "challenger[soft]");
    assert!(cont.ties.iter().any(|t| t.set == soft && t.on_path));
}

#[test]
fn at_mu_bar_the_soft_defender_mixes_along_a_continuum() {
    // p_Ch = μ̄ = 1/3 (p_Def = .4): both challengers initiate, the defender's belief is exactly
    // μ̄, and the soft defender may defend with any r ∈ [0, 1/6] (attack at r = 0, the bluff's
    // r = 1/6 at the other end).
    let g = zk(q(2, 5), q(1, 3));
    let all = solve(&g, None);
    let c = find(&g, &all, one(), one()).expect("both challengers initiate");
    assert!(spans(
        play(&g, c, "defender[soft]", "defend"),
        zero(),
        q(1, 6)
    ));
    assert!(exactly(
        belief(&g, c, "defender[soft]", "Challenger hard"),
        q(1, 3)
    ));
    let ds = set(&g, "defender[soft]");
    assert!(c.ties.iter().any(|t| t.set == ds && t.on_path));
}

fn beer_quiche(path: &str) -> Game {
    let t = template(path);
    exact_game(&t, &[("p_strong", q(9, 10))])
}

#[test]
fn beer_quiche_has_two_pools_and_the_intuitive_criterion_keeps_beer() {
    for path in ["models/beer_quiche.toml", "tests/models/beer_quiche.toml"] {
        let g = beer_quiche(path);
        let all = solve(&g, None);
        assert_eq!(all.len(), 2, "{path}: the beer pool and the quiche pool");
        let (strong, weak, off) = if path.starts_with("models") {
            (
                "sender[strong]",
                "sender[weak]",
                ("after_quiche", "after_beer"),
            )
        } else {
            ("strong", "weak", ("after_quiche", "after_beer"))
        };
        let beer = all
            .iter()
            .find(|c| exactly(play(&g, c, strong, "beer"), one()))
            .expect("beer pool");
        let quiche = all
            .iter()
            .find(|c| exactly(play(&g, c, weak, "quiche"), one()))
            .expect("quiche pool");
        assert_eq!(beer.class.as_ref().unwrap().headline(), "pooling");
        // Payoffs (2.9, .9) and (2.1, .9).
        let pay =
            |c: &Component| deter::game::profile::expected_payoffs(&g, &c.point.behaviour_f64());
        assert!((pay(beer)[0] - 2.9).abs() < 1e-12 && (pay(beer)[1] - 0.9).abs() < 1e-12);
        assert!((pay(quiche)[0] - 2.1).abs() < 1e-12);
        // Off the path the receiver duels, sustained exactly by Pr(weak | deviation) ≥ 1/2.
        for (c, at) in [(beer, off.0), (quiche, off.1)] {
            let s = set(&g, at);
            assert!(!c.sets[s.ix()].on_path);
            let pure_duel = c
                .alternatives
                .iter()
                .find(|a| {
                    a.play
                        .iter()
                        .any(|(x, acts)| *x == s && exactly(&acts[0], one()))
                })
                .expect("the receiver duels");
            let text =
                deter::output::beliefs::conditions_text(&pure_duel.conditions, &pure_duel.coords);
            assert_eq!(text.len(), 1);
            assert!(text[0].ends_with("≤ 1/2"), "{text:?}");
        }
        let ic = |c: &Component| {
            c.refinements
                .iter()
                .find(|v| v.refinement == Refinement::Intuitive)
                .unwrap()
                .outcome
                .clone()
        };
        assert_eq!(ic(beer), Outcome::Passes);
        assert!(matches!(ic(quiche), Outcome::Fails { ref gaining } if gaining == &vec![0]));
        let refined = solve(&g, Some(Refinement::Intuitive));
        assert_eq!(refined.len(), 1);
        assert!(exactly(play(&g, &refined[0], strong, "beer"), one()));
    }
}

#[test]
fn cli_bluff_prints_mixing_beliefs_and_class() {
    let text = deter_ok(&[
        "solve",
        "models/unilateral_deterrence.toml",
        "--set",
        "p_Def=0.4",
        "--set",
        "p_Ch=0.25",
    ]);
    assert!(text.contains("semi-separating"), "{text}");
    assert!(
        text.contains("keeps the status quo 1/3, initiates 2/3"),
        "{text}"
    );
    assert!(text.contains("believes Challenger hard 1/3"), "{text}");
    // Decimal inputs are exact: p_Def = 2/5 gives r = 1/6, certified exactly.
    assert!(text.contains("capitulates 5/6, defends 1/6"), "{text}");
    assert!(text.contains("certified exactly"), "{text}");
    assert!(text.contains("Assessment certificate: ✓"), "{text}");
    let out = deter(&[
        "solve",
        "models/beer_quiche.toml",
        "--refine",
        "intuitive",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let eqs = v["equilibria"].as_array().unwrap();
    assert_eq!(eqs.len(), 1);
    assert_eq!(eqs[0]["concept"], "sequential");
    assert_eq!(eqs[0]["class"]["headline"], "pooling");
    assert_eq!(eqs[0]["assessment_certificate"]["ok"], true);
    assert!(eqs[0]["off_path"][0]["beliefs"][0]
        .as_str()
        .unwrap()
        .contains("1/2"));
}

#[test]
fn cli_d1_at_p_def_07_prints_only_deterrence_with_its_off_path_belief() {
    let text = deter_ok(&[
        "solve",
        "models/unilateral_deterrence.toml",
        "--set",
        "p_Def=0.7",
        "--refine",
        "d1",
    ]);
    assert!(
        text.contains("Equilibrium 1 — sequential, pooling"),
        "{text}"
    );
    assert!(!text.contains("Equilibrium 2"), "{text}");
    assert!(
        text.lines().any(|l| l
            .trim_start()
            .starts_with("Challenger at the start (the challenger is soft)")
            && l.contains("keeps the status quo")),
        "{text}"
    );
    assert!(
        text.contains("beliefs: Pr(Challenger hard | Challenger initiates) = 1"),
        "{text}"
    );
    assert!(text.contains("D1: passes"), "{text}");
}

#[test]
fn cli_at_pi_h_reports_one_continuum_and_the_tie() {
    // π_H = (1 − s)/(1 − c_H) = 0.5/0.625 = 0.8: the hard challenger is exactly indifferent.
    let text = deter_ok(&[
        "solve",
        "models/unilateral_deterrence.toml",
        "--set",
        "p_Def=0.8",
        "--set",
        "c_H=0.375",
    ]);
    assert!(text.contains("a continuum through"), "{text}");
    assert!(!text.contains("Equilibrium 2"), "{text}");
    assert!(
        text.contains(
            "Challenger at the start (the challenger is hard) is indifferent between “initiates” and “keeps the status quo”"
        ),
        "{text}"
    );
    assert!(
        text.contains("keeps the status quo [0, 1], initiates [0, 1]"),
        "{text}"
    );
}

#[test]
fn nash_solvers_on_hidden_information_say_what_their_equilibria_are() {
    let text = deter_ok(&["solve", "models/beer_quiche.toml", "--solver", "subgame"]);
    assert!(
        text.contains("the whole game is its only subgame, so subgame perfection adds nothing"),
        "{text}"
    );
    let v: serde_json::Value = serde_json::from_str(&deter_ok(&[
        "solve",
        "models/beer_quiche.toml",
        "--solver",
        "lcp",
        "--format",
        "json",
    ]))
    .unwrap();
    assert!(v["note"].as_str().unwrap().contains("Nash equilibria"));
    let text = deter_ok(&["solve", "models/beer_quiche.toml"]);
    assert!(!text.contains("Note:"), "{text}");
    let text = deter_ok(&["solve", "models/hedging.toml"]);
    assert!(!text.contains("Note:"), "{text}");
}

#[test]
fn three_privately_informed_players_written_once_solve_to_the_bluff() {
    // Challenger, protégé and defender each with two types: 8 copies, 79 nodes, from a tree of
    // four nodes and five outcomes. The soft challenger demands with probability 2/3 (the
    // defender's belief in a hard challenger is then μ̄ = 1/3) and the soft defender defends
    // with r solving w·y + (1−w)(1−p_Def)(1−r) = s: r = 3/8.
    let t = template("models/extended_deterrence.toml");
    assert_eq!(t.tree.nodes.len(), 79);
    let g = exact_game(
        &t,
        &[
            ("p_Ch", q(1, 4)),
            ("p_Def", q(2, 5)),
            ("w", q(1, 5)),
            ("s", q(1, 2)),
            ("y", q(1, 1)),
            ("c_H", q(1, 4)),
            ("c_S", q(-1, 2)),
            ("d_H", q(1, 2)),
            ("d_S", q(-2, 1)),
        ],
    );
    let refined = solve(&g, Some(Refinement::D1));
    assert_eq!(refined.len(), 1);
    let c = &refined[0];
    assert!(exactly(play(&g, c, "challenger[soft]", "demand"), q(2, 3)));
    assert!(exactly(play(&g, c, "challenger[hard]", "demand"), one()));
    assert!(exactly(play(&g, c, "defender[soft]", "defend"), q(3, 8)));
    assert!(exactly(play(&g, c, "protege[weak]", "yield"), one()));
    assert!(exactly(
        belief(&g, c, "defender[soft]", "Challenger hard"),
        q(1, 3)
    ));
    assert!(exactly(
        belief(&g, c, "defender[soft]", "Protege firm"),
        one()
    ));
    assert_eq!(c.class.as_ref().unwrap().headline(), "semi-separating");
}

mod random {
    //! Property tests on random games: every equilibrium `pbe` reports passes the independent
    //! assessment certificate exactly; on perfect-information trees it is backward induction.

    use super::q;
    use deter::exact::Rational as Q;
    use deter::game::tree::TreeBuilder;
    use deter::game::{ExactNumbers, Game, NodeKind, PlayerId};
    use deter::solve::backward::BackwardInduction;
    use deter::solve::pbe::Pbe;
    use deter::solve::{self as solver, GameRef, Profile, SolveOptions, Solver};
    use proptest::prelude::*;
    use std::sync::Arc;

    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    fn exact(mut g: Game, payoffs: Vec<Q>, chance: Vec<Q>) -> Game {
        g.payoffs = payoffs.iter().map(deter::exact::to_f64).collect();
        g.chance = chance.iter().map(deter::exact::to_f64).collect();
        g.exact = Some(Arc::new(ExactNumbers::new(chance, payoffs)));
        g
    }

    /// A sender with 2–3 types (integer prior weights), two messages, a receiver with 2–3
    /// responses who sees the message only; integer payoffs in [−3, 3].
    fn signalling(seed: u64) -> Game {
        let mut rng = Rng(seed | 1);
        let types = 2 + rng.below(2) as usize;
        let responses = 2 + rng.below(2) as usize;
        let mut b = TreeBuilder::new("signalling", vec!["S".into(), "R".into()]);
        let root = b.chance("nature");
        for t in 0..types {
            let s = b.decision(format!("s{t}"), PlayerId(0), None);
            b.add_move(root, format!("t{t}"), None, s).unwrap();
            for m in 0..2 {
                let r = b.decision(format!("r{t}{m}"), PlayerId(1), Some(format!("after{m}")));
                b.add_move(s, format!("m{m}"), None, r).unwrap();
                for a in 0..responses {
                    let leaf = b.terminal(format!("o{t}{m}{a}"), vec![]);
                    b.add_move(r, format!("a{a}"), None, leaf).unwrap();
                }
            }
        }
        let g = Game::zeroed(Arc::new(b.finish(root).unwrap().tree));
        let weights: Vec<i64> = (0..types).map(|_| 1 + rng.below(4) as i64).collect();
        let total: i64 = weights.iter().sum();
        let mut chance = vec![q(0, 1); g.tree.nodes.len()];
        for (t, c) in g.tree.nodes[0].children().enumerate() {
            chance[c] = q(weights[t], total);
        }
        let payoffs = (0..g.payoffs.len())
            .map(|_| q(rng.below(7) as i64 - 3, 1))
            .collect();
        exact(g, payoffs, chance)
    }

    /// A random perfect-information tree with generic payoffs (distinct fractions).
    fn perfect(seed: u64) -> Game {
        let mut rng = Rng(seed | 1);
        let mut b = TreeBuilder::new("pi", vec!["A".into(), "B".into()]);
        let root = b.decision("root", PlayerId(0), None);
        let mut open = vec![root];
        let mut decisions = 1;
        while let Some(node) = open.pop() {
            for a in 0..2 + rng.below(2) {
                let child = if rng.below(10) < 4 && decisions < 7 {
                    decisions += 1;
                    let c =
                        b.decision(format!("d{}", b.len()), PlayerId(rng.below(2) as u32), None);
                    open.push(c);
                    c
                } else {
                    b.terminal(format!("t{}", b.len()), vec![])
                };
                b.add_move(node, format!("m{a}"), None, child).unwrap();
            }
        }
        let g = Game::zeroed(Arc::new(b.finish(root).unwrap().tree));
        let n = g.payoffs.len() as i64;
        let payoffs = (0..n)
            .map(|i| q(rng.below(20) as i64 * 64 + i, 64))
            .collect();
        let chance = vec![q(0, 1); g.tree.nodes.len()];
        exact(g, payoffs, chance)
    }

    /// Nature picks one of two states that only the first player sees; it moves; the second
    /// player sees nothing and responds (not an observed-action game: weak PBE).
    fn hidden(seed: u64) -> Game {
        let mut rng = Rng(seed | 1);
        let mut b = TreeBuilder::new("hidden", vec!["A".into(), "B".into()]);
        let root = b.chance("nature");
        for t in 0..2 {
            let a = b.decision(format!("a{t}"), PlayerId(0), None);
            b.add_move(root, format!("t{t}"), None, a).unwrap();
            for m in 0..2 {
                let r = b.decision(format!("b{t}{m}"), PlayerId(1), Some("blind".into()));
                b.add_move(a, format!("m{m}"), None, r).unwrap();
                for x in 0..2 {
                    let leaf = b.terminal(format!("o{t}{m}{x}"), vec![]);
                    b.add_move(r, format!("x{x}"), None, leaf).unwrap();
                }
            }
        }
        let g = Game::zeroed(Arc::new(b.finish(root).unwrap().tree));
        let w = 1 + rng.below(3) as i64;
        let mut chance = vec![q(0, 1); g.tree.nodes.len()];
        for (t, c) in g.tree.nodes[0].children().enumerate() {
            chance[c] = if t == 0 { q(w, w + 1) } else { q(1, w + 1) };
        }
        let payoffs = (0..g.payoffs.len())
            .map(|_| q(rng.below(7) as i64 - 3, 1))
            .collect();
        exact(g, payoffs, chance)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn weak_pbe_outside_observed_actions_passes_the_certificate(seed in any::<u64>()) {
            let g = hidden(seed);
            let mut sol = Pbe.solve(GameRef::Tree(&g), &SolveOptions::default()).unwrap();
            solver::certify(GameRef::Tree(&g), &mut sol).unwrap();
            for eq in &sol.equilibria {
                let c = eq.component.as_ref().unwrap();
                prop_assert_eq!(c.concept, deter::solve::pbe::component::Concept::WeakPerfectBayesian);
                let ch = eq.sequential.as_ref().unwrap();
                prop_assert!(ch.ok, "{:?}", ch);
            }
            if sol.status == solver::Status::Solved {
                prop_assert!(!sol.equilibria.is_empty());
            }
        }

        #[test]
        fn every_reported_equilibrium_passes_the_assessment_certificate(seed in any::<u64>()) {
            let g = signalling(seed);
            let mut sol = Pbe.solve(GameRef::Tree(&g), &SolveOptions::default()).unwrap();
            solver::certify(GameRef::Tree(&g), &mut sol).unwrap();
            prop_assert_eq!(sol.status, solver::Status::Solved);
            prop_assert!(!sol.equilibria.is_empty(), "a perfect Bayesian equilibrium exists");
            for eq in &sol.equilibria {
                let ch = eq.sequential.as_ref().unwrap();
                prop_assert!(ch.ok && ch.exact, "{:?}", ch);
                prop_assert!(eq.max_regret() <= 1e-9);
            }
        }

        #[test]
        fn on_perfect_information_pbe_is_backward_induction(seed in any::<u64>()) {
            let g = perfect(seed);
            let gr = GameRef::Tree(&g);
            let bi = BackwardInduction.solve(gr, &SolveOptions::default()).unwrap();
            let pbe = Pbe.solve(gr, &SolveOptions::default()).unwrap();
            prop_assert_eq!(pbe.equilibria.len(), 1);
            let (Profile::Behavior(a), Profile::Behavior(b)) =
                (&bi.equilibria[0].profile, &pbe.equilibria[0].profile) else { unreachable!() };
            prop_assert_eq!(a, b);
            let c = pbe.equilibria[0].component.as_ref().unwrap();
            prop_assert_eq!(c.concept, deter::solve::pbe::component::Concept::SubgamePerfect);
            let _ = NodeKind::Chance;
        }
    }
}

#[test]
fn cli_unresolved_supports_are_not_reported_as_a_cap() {
    // At the model's defaults two supports of the two-deviator game leave more unknowns than
    // equations: pbe must say so, not claim it stopped at --max-equilibria.
    let text = deter_ok(&[
        "solve",
        "tests/models/two_deviators.toml",
        "--solver",
        "pbe",
    ]);
    assert!(
        text.contains("Status: unresolved — the list below may be incomplete"),
        "{text}"
    );
    assert!(
        text.contains(
            "Note: the conditions of 2 supports could not be resolved: 3 nonlinear equations in \
             4 unknowns (2 supports); the equilibria listed are certified"
        ),
        "{text}"
    );
    assert!(
        text.contains("Not completed: `pbe` left the conditions of some supports unresolved"),
        "{text}"
    );
    assert!(text.contains("but others may exist"), "{text}");
    assert!(!text.contains("--max-equilibria"), "{text}");
    let json = deter_ok(&[
        "solve",
        "tests/models/two_deviators.toml",
        "--solver",
        "pbe",
        "--format",
        "json",
    ]);
    assert!(json.contains("\"status\": \"unresolved\""), "{json}");
}
