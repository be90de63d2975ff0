//! Formula cost: parsing and compiling a typical payoff formula once, and evaluating compiled
//! formulas at a parameter point (the inner loop of a sweep).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use deter::expr::{compile, parse, Expr, ParamId};

const NAMES: [&str; 8] = ["e_P", "c_P", "a", "lambda", "T", "L", "psi0", "beta"];

fn resolve(name: &str) -> Option<ParamId> {
    NAMES
        .iter()
        .position(|&n| n == name)
        .map(|i| ParamId(i as u32))
}

fn build(src: &str) -> Expr {
    compile(&parse(src).expect("bench formula parses"), &mut resolve).expect("names resolve")
}

const FORMULAS: [(&str, &str); 4] = [
    ("difference", "e_P - c_P"),
    ("threshold_if", "if(T > 0.2, a - lambda*T + L, a)"),
    ("ten_ops", "max(0, psi0 + beta*T) - c_P*(1 - T) + e_P/2"),
    (
        "nonlinear",
        "a*exp(-lambda*T) + sqrt(L^2 + 1) - ln(1 + psi0)",
    ),
];

fn bench_parse_compile(c: &mut Criterion) {
    let mut g = c.benchmark_group("expr/parse_compile");
    for (name, src) in FORMULAS {
        g.bench_function(name, |b| b.iter(|| build(black_box(src))));
    }
    g.finish();
}

fn bench_eval(c: &mut Criterion) {
    let mut g = c.benchmark_group("expr/eval");
    let params = [3.0, 1.0, 2.0, 0.5, 0.4, 1.5, 0.1, 0.7];
    for (name, src) in FORMULAS {
        let e = build(src);
        let mut stack = Vec::new();
        g.bench_function(name, |b| b.iter(|| e.eval(black_box(&params), &mut stack)));
    }
    // Reference point for the machine's speed: the same difference as compiled Rust.
    g.bench_function("native_difference", |b| {
        b.iter(|| {
            let p = black_box(&params);
            p[0] - p[1]
        })
    });
    g.finish();
}

criterion_group!(benches, bench_parse_compile, bench_eval);
criterion_main!(benches);
