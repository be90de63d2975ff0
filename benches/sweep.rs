//! Sweep throughput: hedging.toml over a T × c_D grid, CSV streamed to `io::sink()`, with and
//! without the model's question (which solves two counterfactual games per point as well).
//! Target (issue): 10^6 points in under 2 s on 2 cores.

use criterion::{criterion_group, criterion_main, Criterion};
use deter::sweep::{Format, Grid, Hooks, Sweeper, VarySpec};
use std::time::Duration;

fn template() -> deter::model::GameTemplate {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/models/hedging.toml");
    let text = std::fs::read_to_string(path).expect("models/hedging.toml is readable");
    deter::model::load("hedging.toml", text)
        .template
        .expect("hedging.toml has no errors")
}

fn bench_sweep(c: &mut Criterion) {
    let t = template();
    let mut g = c.benchmark_group("sweep/hedging");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(20));
    for (name, n, questions) in [
        ("1e5_points", 316, true),
        ("1e6_points", 1000, true),
        ("1e6_points_no_questions", 1000, false),
    ] {
        let grid = Grid::new(vec![
            VarySpec::parse(&format!("T=0:1:{n}"), &t.params).expect("valid axis"),
            VarySpec::parse(&format!("c_D=0:3:{n}"), &t.params).expect("valid axis"),
        ])
        .expect("valid grid");
        let mut sw = Sweeper::new(&t, t.defaults(), grid, None).expect("perfect information");
        if !questions {
            sw.questions.clear();
        }
        let len = sw.grid.len();
        g.bench_function(name, |b| {
            b.iter(|| {
                sw.stream(
                    0..len,
                    Some(Format::Csv),
                    &mut std::io::sink(),
                    Hooks::default(),
                )
                .expect("every point solves")
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench_sweep);
criterion_main!(benches);
