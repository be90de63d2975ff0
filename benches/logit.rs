//! The limit of the logit QRE path (`deter solve --solver logit`) on games from the shared
//! Gambit collection: `shohamleytonbrown2008_fig6_8.efg`, the tree Gambit's `logit` takes
//! longest on (4.9 s for its in-process `logit_solve`), and three-player games (two trees with
//! information sets and a strategic game). Each iteration traces the path, polishes the limit
//! and certifies it, as the solver does.
//!
//! The games are read from `DETER_GAMES_DIR` or the `shared/games` folder beside the
//! repository; the bench stops with a message if they are missing.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use deter::format::{efg, nfg};
use deter::game::{Game, StrategicGame};
use deter::solve::{logit::Logit, GameRef, SolveOptions, Solver};
use std::hint::black_box;
use std::path::PathBuf;

fn games_dir() -> PathBuf {
    if let Ok(d) = std::env::var("DETER_GAMES_DIR") {
        return PathBuf::from(d);
    }
    let mut dir = Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    while let Some(d) = dir {
        let g = d.join("shared/games");
        if g.is_dir() {
            return g;
        }
        dir = d.parent().map(PathBuf::from);
    }
    panic!("the shared games are missing: set DETER_GAMES_DIR=/path/to/games");
}

fn read(name: &str) -> String {
    let path = games_dir().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn tree(name: &str) -> Game {
    efg::read(&read(name)).unwrap_or_else(|e| panic!("{name}: {e:?}"))
}

fn strategic(name: &str) -> StrategicGame {
    nfg::read(&read(name)).unwrap_or_else(|e| panic!("{name}: {e:?}"))
}

fn bench(c: &mut Criterion) {
    let opts = SolveOptions::default();
    let mut g = c.benchmark_group("logit-limit");
    g.sample_size(10);
    for name in [
        "catalog_books_shohamleytonbrown2008_fig6_8.efg",
        "contrib_games_condjury.efg",
        "contrib_games_2s2x2x2.efg",
    ] {
        let game = tree(name);
        let sol = Logit.solve(GameRef::Tree(&game), &opts).expect(name);
        assert_eq!(sol.equilibria.len(), 1, "{name}: no limit");
        g.bench_with_input(BenchmarkId::from_parameter(name), &game, |b, game| {
            b.iter(|| Logit.solve(GameRef::Tree(black_box(game)), &opts))
        });
    }
    let name = "contrib_games_2x2x2.nfg";
    let game = strategic(name);
    let sol = Logit.solve(GameRef::Strategic(&game), &opts).expect(name);
    assert_eq!(sol.equilibria.len(), 1, "{name}: no limit");
    g.bench_with_input(BenchmarkId::from_parameter(name), &game, |b, game| {
        b.iter(|| Logit.solve(GameRef::Strategic(black_box(game)), &opts))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
