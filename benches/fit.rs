//! Strategic estimation benchmarks: a whole `deter fit` (design, BFGS, Newton polish, Hessian
//! standard errors) on simulated data.
//!
//! - `fit/crisis_100k`: the three-move crisis game (`models/crisis.toml`, agent logit, nine
//!   coefficients) on 10^5 simulated crises; goal < 1 s.
//! - `fit/hedging_10k`: `models/hedging.toml` with the specification of
//!   `models/data/hedging.fit.toml` (four coefficients, two covariates, `T` per row) on 10^4
//!   simulated crises; goal < 2 s.
//!
//! The data are drawn once, before timing, from known coefficients (covariates continuous, so
//! nearly every row is its own covariate pattern: no help from grouping identical rows).
//!
//! Run: `cargo bench --bench fit`. Results are written up in docs/benchmarks.md.

use criterion::{criterion_group, criterion_main, Criterion};
use deter::fit::data::Data;
use deter::fit::design::{self, Design};
use deter::fit::estimate::{self, estimate, Settings};
use deter::fit::likelihood::Likelihood;
use deter::fit::rng::Rng;
use deter::fit::simulate;
use deter::fit::spec::{self, FitSpec};
use deter::model::{self, GameTemplate};
use std::hint::black_box;
use std::time::Duration;

fn read(rel: &str) -> String {
    let path = format!("{}/{rel}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn setup(model_rel: &str, spec_rel: Option<&str>) -> (GameTemplate, FitSpec) {
    let text = read(model_rel);
    let template = model::load(model_rel, text.clone())
        .template
        .expect("the model loads");
    let spec_text = spec_rel.map(read).unwrap_or(text);
    let (spec, diags) = spec::read(&spec_text);
    assert!(diags.is_empty(), "{diags:?}");
    let spec = spec.expect("a [fit] section");
    assert!(spec::check(&spec, &template).is_empty());
    (template, spec)
}

/// A covariate column: its name and how a value is drawn.
type Column = (&'static str, fn(&mut Rng) -> f64);

/// `n` rows of covariates drawn by `cols`, then an `outcome` column drawn from the model at
/// the coefficients `truth`.
fn simulated(
    t: &GameTemplate,
    s: &FitSpec,
    n: usize,
    cols: &[Column],
    truth: &[(&str, f64)],
) -> Data {
    let mut rng = Rng::new(7);
    let mut rows: Vec<String> = Vec::with_capacity(n);
    for _ in 0..n {
        let r: Vec<String> = cols
            .iter()
            .map(|c| format!("{}", (c.1)(&mut rng)))
            .collect();
        rows.push(r.join(","));
    }
    let head = cols.iter().map(|c| c.0).collect::<Vec<_>>().join(",");
    let cov = format!("{head}\n{}\n", rows.join("\n"));
    let data = Data::read("cov.csv", cov.as_bytes()).expect("covariates parse");
    let opts = design::Options {
        cluster: None,
        no_outcome: true,
    };
    let d: Design = design::build(t, s, &data, &t.defaults(), &opts).expect("design");
    let f = estimate::formulas(t, &d).unwrap_or_else(|_| panic!("formulas"));
    let lik = Likelihood::new(&t.tree, f, &d, s.errors.v, s.link.v);
    let beta: Vec<f64> = d
        .coefs
        .iter()
        .map(|c| truth.iter().find(|(n, _)| *n == c.name).expect("truth").1)
        .collect();
    let leaves = simulate::outcomes(&t.tree, &lik, &beta, 8).expect("simulation");
    let mut csv = format!("{head},outcome\n");
    for (r, l) in rows.iter().zip(&leaves) {
        csv.push_str(&format!("{r},{}\n", &t.tree.node_names[*l as usize]));
    }
    Data::read("data.csv", csv.as_bytes()).expect("data parse")
}

fn normal(r: &mut Rng) -> f64 {
    r.normal()
}

fn coin(r: &mut Rng) -> f64 {
    f64::from(u8::from(r.uniform() < 0.4))
}

fn unit(r: &mut Rng) -> f64 {
    r.uniform()
}

fn bench(c: &mut Criterion, name: &str, t: &GameTemplate, s: &FitSpec, data: &Data) {
    let theta = t.defaults();
    let mut group = c.benchmark_group("fit");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.bench_function(name, |b| {
        b.iter(|| {
            let e = estimate(t, s, black_box(data), &theta, &Settings::default(), &|| {})
                .expect("the fit succeeds");
            assert!(e.optimum.converged);
            black_box(e.loglik)
        })
    });
    group.finish();
}

fn crisis(c: &mut Criterion) {
    let (t, s) = setup("models/crisis.toml", None);
    let cols: [Column; 3] = [("balance", normal), ("democracy", coin), ("alliance", coin)];
    let truth = [
        ("v0", 1.0),
        ("c0", 0.5),
        ("c1", 1.0),
        ("a0", -0.5),
        ("a1", 1.0),
        ("d0", 1.0),
        ("t0", -0.5),
        ("t1", -1.0),
        ("t2", 1.0),
    ];
    let data = simulated(&t, &s, 100_000, &cols, &truth);
    bench(c, "crisis_100k", &t, &s, &data);
}

fn hedging(c: &mut Criterion) {
    let (t, s) = setup("models/hedging.toml", Some("models/data/hedging.fit.toml"));
    let cols: [Column; 3] = [("trade", normal), ("rivalry", normal), ("ties", unit)];
    let truth = [("d0", 1.2), ("d1", 0.5), ("k0", 0.8), ("k1", -0.6)];
    let data = simulated(&t, &s, 10_000, &cols, &truth);
    bench(c, "hedging_10k", &t, &s, &data);
}

criterion_group!(benches, crisis, hedging);
criterion_main!(benches);
