//! Sequence-form solvers on the standard poker games: the LP on Kuhn and Leduc poker, Lemke's
//! algorithm on Kuhn poker (exact dense tableau) and on general-sum (raked) Leduc poker (sparse
//! floating-point revised path), and the construction of the sequence form itself.

use criterion::{criterion_group, criterion_main, Criterion};
use deter::game::examples::{kuhn_poker, leduc_poker, leduc_poker_raked};
use deter::game::sequence::SequenceForm;
use deter::solve::lemke::SequenceLcp;
use deter::solve::seqlp::SequenceLp;
use deter::solve::{GameRef, SolveOptions, Solver};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let kuhn = kuhn_poker();
    let leduc = leduc_poker();
    let raked = leduc_poker_raked(0.1);
    let opts = SolveOptions::default();
    let mut g = c.benchmark_group("seqform");
    g.sample_size(10);
    g.bench_function("sequence form/leduc", |b| {
        b.iter(|| SequenceForm::new(black_box(&leduc)).map(|s| s.n_seqs))
    });
    g.bench_function("seqform-lp/kuhn", |b| {
        b.iter(|| {
            SequenceLp
                .solve(GameRef::Tree(black_box(&kuhn)), &opts)
                .is_ok()
        })
    });
    g.bench_function("seqform-lp/leduc", |b| {
        b.iter(|| {
            SequenceLp
                .solve(GameRef::Tree(black_box(&leduc)), &opts)
                .is_ok()
        })
    });
    g.bench_function("lcp/kuhn", |b| {
        b.iter(|| {
            SequenceLcp
                .solve(GameRef::Tree(black_box(&kuhn)), &opts)
                .is_ok()
        })
    });
    g.bench_function("lcp/leduc-raked", |b| {
        b.iter(|| {
            SequenceLcp
                .solve(GameRef::Tree(black_box(&raked)), &opts)
                .is_ok()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
