//! `pbe` benchmarks: every perfect Bayesian equilibrium (with beliefs, belief sets, class and
//! both refinements at every deviation) of the Zagare–Kilgour deterrence game at one parameter
//! point, and of the private-information hedging game.
//!
//! Run: `cargo bench --bench pbe`. Results are written up in docs/benchmarks.md.

use criterion::{criterion_group, criterion_main, Criterion};
use deter::exact::{self, Rational};
use deter::expr::{Ast, AstKind, BinOp};
use deter::game::{ExactNumbers, Game, NodeKind};
use deter::model;
use deter::solve::pbe;
use deter::solve::SolveOptions;
use std::hint::black_box;
use std::sync::Arc;

fn eval(a: &Ast, names: &[String], theta: &[Rational]) -> Rational {
    match &a.kind {
        AstKind::Num(x) => exact::from_f64(*x).unwrap(),
        AstKind::Param(p) => theta[names.iter().position(|n| n == p).unwrap()].clone(),
        AstKind::Neg(x) => -eval(x, names, theta),
        AstKind::Bin(op, x, y) => {
            let (x, y) = (eval(x, names, theta), eval(y, names, theta));
            match op {
                BinOp::Add => x + y,
                BinOp::Sub => x - y,
                BinOp::Mul => x * y,
                BinOp::Div => x / y,
                BinOp::Pow => unimplemented!(),
            }
        }
        _ => unimplemented!(),
    }
}

/// The game at exact parameter values given as decimal strings (the defaults otherwise),
/// every formula evaluated in rationals — what a model with decimal inputs means.
fn exact_game(t: &model::GameTemplate, sets: &[(&str, &str)]) -> Game {
    let th: Vec<Rational> = t
        .params
        .names
        .iter()
        .zip(&t.params.defaults)
        .map(|(n, d)| match sets.iter().find(|(k, _)| k == n) {
            Some((_, v)) => exact::parse(v).unwrap(),
            None => exact::parse(&format!("{d}")).unwrap(),
        })
        .collect();
    let mut g = t.empty_game();
    let vals: Vec<Rational> = t
        .formulas
        .iter()
        .map(|f| eval(&f.ast, &t.params.names, &th))
        .collect();
    let np = g.payoffs.len();
    let mut chance = vec![Rational::from_integer(0.into()); g.tree.nodes.len()];
    let mut k = np;
    for node in g.tree.nodes.iter() {
        if node.kind == NodeKind::Chance {
            for c in node.children() {
                chance[c] = vals[k].clone();
                k += 1;
            }
        }
    }
    let payoffs = vals[..np].to_vec();
    g.payoffs = payoffs.iter().map(exact::to_f64).collect();
    g.chance = chance.iter().map(exact::to_f64).collect();
    g.exact = Some(Arc::new(ExactNumbers::new(chance, payoffs)));
    g
}

fn load(name: &str) -> model::GameTemplate {
    let path = format!("{}/models/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    model::load(name, text).template.expect("a valid model")
}

fn bench(c: &mut Criterion) {
    let opts = SolveOptions::default();
    let ud = load("unilateral_deterrence.toml");
    for (name, sets) in [
        ("deterrence", &[("p_Def", "0.7")][..]),
        ("bluff", &[("p_Def", "0.4"), ("p_Ch", "0.25")][..]),
    ] {
        let game = exact_game(&ud, sets);
        c.bench_function(&format!("pbe/unilateral_deterrence/{name}/exact"), |b| {
            b.iter(|| {
                let (comps, _, _) = pbe::components(black_box(&game), &opts).unwrap();
                black_box(comps.len())
            })
        });
    }
    for scenario in ["deterrence", "bluff"] {
        let theta = ud.point(Some(scenario), &[]).unwrap();
        let game = ud.instantiate(&theta).unwrap();
        c.bench_function(
            &format!("pbe/unilateral_deterrence/{scenario}/floats"),
            |b| {
                b.iter(|| {
                    let (comps, _, _) = pbe::components(black_box(&game), &opts).unwrap();
                    black_box(comps.len())
                })
            },
        );
    }
    let path = format!("{}/models/hedging_private.toml", env!("CARGO_MANIFEST_DIR"));
    if std::path::Path::new(&path).exists() {
        let hp = load("hedging_private.toml");
        let game = exact_game(&hp, &[]);
        c.bench_function("pbe/hedging_private/exact", |b| {
            b.iter(|| {
                let (comps, _, _) = pbe::components(black_box(&game), &opts).unwrap();
                black_box(comps.len())
            })
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
