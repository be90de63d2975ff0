//! Core benchmarks: backward induction on large generated trees, parsing and building a model,
//! and the unit of work of a sweep (instantiate a template at a new point and solve it).
//!
//! Run: `cargo bench --bench core`. Results are written up in docs/benchmarks.md.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use deter::model;
use deter::solve::backward::{solve_into, Workspace};
use std::hint::black_box;

#[path = "gen.rs"]
mod gen;

fn backward_induction(c: &mut Criterion) {
    let mut group = c.benchmark_group("backward_induction");
    group.sample_size(10);
    for &n in &[100_000usize, 1_000_000, 10_000_000] {
        let g = gen::random_tree(n, 3, 42);
        let mut ws = Workspace::default();
        solve_into(&g, 1e-9, &mut ws); // warm the workspace: later solves reuse its buffers
        group.throughput(Throughput::Elements(g.tree.nodes.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &g, |b, g| {
            b.iter(|| {
                solve_into(black_box(g), 1e-9, &mut ws);
                black_box(ws.values[0])
            })
        });
    }
    group.finish();
}

fn hedging(c: &mut Criterion) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/models/hedging.toml");
    let text = std::fs::read_to_string(path).unwrap();
    c.bench_function("hedging/parse_and_build", |b| {
        b.iter(|| {
            let l = model::load("hedging.toml", black_box(text.clone()));
            black_box(l.template.is_some())
        })
    });
    let t = model::load("hedging.toml", text).template.unwrap();
    let mut theta = t.defaults();
    let ti = t.params.id("T").unwrap();
    let ci = t.params.id("c_D").unwrap();
    let mut game = t.empty_game();
    let mut stack = Vec::new();
    let mut ws = Workspace::default();
    t.instantiate_into(&theta, &mut game, &mut stack).unwrap();
    solve_into(&game, 1e-9, &mut ws);
    let mut k = 0u64;
    c.bench_function("hedging/instantiate_and_solve", |b| {
        b.iter(|| {
            // A new parameter point each iteration, as in a sweep.
            k = k.wrapping_add(1);
            theta[ti] = (k % 1000) as f64 / 1000.0;
            theta[ci] = 3.0 * ((k / 1000) % 1000) as f64 / 1000.0;
            t.instantiate_into(black_box(&theta), &mut game, &mut stack)
                .unwrap();
            solve_into(&game, 1e-9, &mut ws);
            black_box(ws.choice[0])
        })
    });
}

criterion_group!(benches, backward_induction, hedging);
criterion_main!(benches);
