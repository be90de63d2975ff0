//! Sweeps: the hedging regions of MODELS.md §4 point by point, resume, shards and merge, plots.

use crate::util::{repo, solve_bi, template, Hedge};
use deter::model::GameTemplate;
use deter::output::words;
use deter::solve::Profile;
use deter::sweep::file::{self, manifest_path, partial_path};
use deter::sweep::{Effect, Format, Grid, Hooks, Shard, Sweeper, VarySpec};
use std::path::Path;
use std::process::Command;

fn grid(t: &GameTemplate, axes: &[&str]) -> Grid {
    Grid::new(
        axes.iter()
            .map(|a| VarySpec::parse(a, &t.params).unwrap())
            .collect(),
    )
    .unwrap()
}

fn base(t: &GameTemplate, scenario: &str) -> Vec<f64> {
    t.point(Some(scenario), &[]).unwrap()
}

#[test]
fn hedging_sweeps_reproduce_the_regions_of_models_section_4() {
    let t = template("models/hedging.toml");
    for scenario in ["cold_war", "post_2001"] {
        let g = grid(&t, &["T=0:1:41", "c_D=0:3:61"]);
        let sw = Sweeper::new(&t, base(&t, scenario), g.clone(), None).unwrap();
        assert_eq!(sw.questions[0].def.name.v, "hedging_deters");
        let rows = sw.rows(0..g.len()).unwrap();
        assert_eq!(rows.len(), 41 * 61);
        let mut theta = vec![0.0; t.params.len()];
        let (mut deters, mut provokes, mut checked) = (0, 0, 0);
        for r in &rows {
            g.point(r.index, &sw.base, &mut theta);
            assert_eq!(r.params, g.values_at(r.index));
            let h = Hedge::of(&t, &theta);
            // Every point, boundary or not, agrees with a fresh certified solve.
            let game = t.instantiate(&theta).unwrap();
            let sol = solve_bi(&game);
            let Profile::Behavior(p) = &sol.equilibria[0].profile else {
                panic!("backward induction gives behaviour profiles")
            };
            assert_eq!(&*r.outcome, words::outcome_label(&game, p));
            assert_eq!(r.events, sol.equilibria[0].events);
            assert!(r.max_regret <= 1e-9, "regret {}", r.max_regret);
            if h.margin() < 1e-9 {
                continue;
            }
            checked += 1;
            let what = t.describe_point(&theta);
            assert_eq!(r.answers[0] == Effect::Lower, h.deters(), "deters {what}");
            assert_eq!(
                r.answers[0] == Effect::Higher,
                h.provokes(),
                "provokes {what}"
            );
            deters += usize::from(h.deters());
            provokes += usize::from(h.provokes());
        }
        // Both regions are crossed by this grid (the regions are not empty at either setting).
        assert!(
            checked > 2000 && deters > 0 && provokes > 0,
            "{scenario}: {checked} {deters} {provokes}"
        );
    }
}

fn sweep_to(t: &GameTemplate, axes: &[&str], fmt: Format, shard: Shard, path: &Path, resume: bool) {
    let sw = Sweeper::new(t, base(t, "cold_war"), grid(t, axes), None).unwrap();
    file::run_to_file(
        &sw,
        ("hedging.toml", "model text"),
        fmt,
        shard,
        path,
        resume,
        Hooks::default(),
    )
    .unwrap();
}

#[test]
fn resume_after_an_interruption_gives_the_uninterrupted_bytes() {
    let t = template("models/hedging.toml");
    let dir = tempfile::tempdir().unwrap();
    // 12 000 points: several chunks of parallel work.
    let axes = ["T=0:1:40", "c_D=0:3:300"];
    for fmt in [Format::Csv, Format::Jsonl] {
        let whole = dir.path().join("whole");
        sweep_to(&t, &axes, fmt, Shard::ALL, &whole, false);
        let want = std::fs::read(&whole).unwrap();
        assert!(!partial_path(&whole).exists());
        let lines: Vec<usize> = want
            .iter()
            .enumerate()
            .filter(|(_, &b)| b == b'\n')
            .map(|(i, _)| i + 1)
            .collect();
        // Cut: nothing, mid-header, after the header, mid-row, after a row, before the last.
        let cuts = [
            0,
            3,
            lines[0],
            lines[7] + 5,
            lines[5000],
            lines[lines.len() - 2] + 1,
        ];
        for cut in cuts {
            let out = dir.path().join("run");
            std::fs::copy(manifest_path(&whole), manifest_path(&out)).unwrap();
            std::fs::write(partial_path(&out), &want[..cut]).unwrap();
            let sw = Sweeper::new(&t, base(&t, "cold_war"), grid(&t, &axes), None).unwrap();
            let r = file::run_to_file(
                &sw,
                ("hedging.toml", "model text"),
                fmt,
                Shard::ALL,
                &out,
                true,
                Hooks::default(),
            );
            if fmt == Format::Csv && cut < lines[0] {
                // A torn header is not this sweep's header: refused, not guessed at.
                assert!(r.unwrap_err().to_string().contains("header"));
                continue;
            }
            let s = r.unwrap();
            assert_eq!(s.resumed + s.computed, 12_000);
            assert_eq!(std::fs::read(&out).unwrap(), want, "cut at byte {cut}");
            assert!(!partial_path(&out).exists());
        }
    }
    // A partial file of another sweep is refused.
    let out = dir.path().join("other");
    sweep_to(&t, &["T=0:1:3"], Format::Csv, Shard::ALL, &out, false);
    std::fs::copy(&out, partial_path(&out)).unwrap();
    let sw = Sweeper::new(&t, base(&t, "cold_war"), grid(&t, &["T=0:1:4"]), None).unwrap();
    let e = file::run_to_file(
        &sw,
        ("hedging.toml", "model text"),
        Format::Csv,
        Shard::ALL,
        &out,
        true,
        Hooks::default(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("different sweep"), "{e}");
}

#[test]
fn shards_merge_into_the_single_run_and_gaps_are_refused() {
    let t = template("models/hedging.toml");
    let dir = tempfile::tempdir().unwrap();
    let axes = ["T=0:1:31", "c_D=0:3:101"];
    let whole = dir.path().join("whole.csv");
    sweep_to(&t, &axes, Format::Csv, Shard::ALL, &whole, false);
    let parts: Vec<_> = (1..=3)
        .map(|i| {
            let p = dir.path().join(format!("part-{i}.csv"));
            sweep_to(&t, &axes, Format::Csv, Shard { i, n: 3 }, &p, false);
            p
        })
        .collect();
    let merged = dir.path().join("merged.csv");
    // Given out of order: merge sorts by index.
    let s = file::merge(
        &merged,
        &[parts[2].clone(), parts[0].clone(), parts[1].clone()],
    )
    .unwrap();
    assert_eq!(s.rows, 31 * 101);
    assert_eq!(
        std::fs::read(&merged).unwrap(),
        std::fs::read(&whole).unwrap()
    );
    assert_eq!(
        std::fs::read(manifest_path(&merged)).unwrap(),
        std::fs::read(manifest_path(&whole)).unwrap()
    );
    let bad = dir.path().join("bad.csv");
    let e = file::merge(&bad, &[parts[0].clone(), parts[2].clone()])
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("missing") && e.contains("shard 2/3 not given"),
        "{e}"
    );
    let e = file::merge(
        &bad,
        &[
            parts[0].clone(),
            parts[1].clone(),
            parts[1].clone(),
            parts[2].clone(),
        ],
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("appear in both"), "{e}");
    assert!(!bad.exists(), "a refused merge writes nothing");
    // A shard of another sweep is refused.
    let other = dir.path().join("other.csv");
    sweep_to(
        &t,
        &["T=0:1:31", "c_D=0:3:100"],
        Format::Csv,
        Shard { i: 2, n: 3 },
        &other,
        false,
    );
    let e = file::merge(&bad, &[parts[0].clone(), other, parts[2].clone()])
        .unwrap_err()
        .to_string();
    assert!(e.contains("different sweeps"), "{e}");
}

fn deter(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_deter"))
        .args(args)
        .current_dir(repo(""))
        .output()
        .unwrap()
}

#[test]
fn cli_sweep_plots_regions_and_lines_with_words() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("regions.svg");
    let csv = dir.path().join("regions.csv");
    let o = deter(&[
        "sweep",
        "models/hedging.toml",
        "--vary",
        "T=0:1:21",
        "--vary",
        "c_D=0:3:31",
        "--plot",
        svg.to_str().unwrap(),
        "--out",
        csv.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let s = std::fs::read_to_string(&svg).unwrap();
    assert!(s.starts_with("<svg"), "{}", &s[..100.min(s.len())]);
    assert!(s.contains("deters — status_quo_h: Protege hedges → Challenger does not challenge"));
    assert!(
        s.contains("provokes — "),
        "the default point's grid crosses the provocation region"
    );
    assert_eq!(
        std::fs::read_to_string(&csv).unwrap().lines().count(),
        1 + 21 * 31
    );

    let line = dir.path().join("line.svg");
    let o = deter(&[
        "sweep",
        "models/hedging.toml",
        "--vary",
        "c_D=0:3:61",
        "--plot",
        line.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let s = std::fs::read_to_string(&line).unwrap();
    assert!(s.contains("P(challenge)") && s.contains("Defender"));
    assert!(s.contains("stroke-dasharray") || s.matches("<polyline").count() > 7);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.starts_with("index,c_D,outcome,path,payoff:Protege"),
        "{stdout}"
    );
    assert_eq!(stdout.lines().count(), 62);
}

#[test]
fn cli_vary_errors_are_clear() {
    let o = deter(&["sweep", "models/hedging.toml", "--vary", "c_d=0:3:5"]);
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("unknown parameter `c_d`") && e.contains("did you mean `c_D`"),
        "{e}"
    );
    let o = deter(&["sweep", "models/hedging.toml", "--vary", "T=0:2:5"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("outside its range"));
    let o = deter(&["merge", "out.csv", "does-not-exist.csv"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn cli_killed_mid_run_resumes_to_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let (whole, cut) = (dir.path().join("whole.csv"), dir.path().join("cut.csv"));
    let args = |out: &Path| {
        vec![
            "sweep".to_string(),
            "models/hedging.toml".into(),
            "--vary".into(),
            "T=0:1:300".into(),
            "--vary".into(),
            "c_D=0:3:500".into(),
            "--out".into(),
            out.display().to_string(),
        ]
    };
    let o = Command::new(env!("CARGO_BIN_EXE_deter"))
        .args(args(&whole))
        .current_dir(repo(""))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Kill a second run once its partial file has some rows (if it finishes first, the resumed
    // run below simply starts over; the bytes must match either way).
    let mut child = Command::new(env!("CARGO_BIN_EXE_deter"))
        .args(args(&cut))
        .current_dir(repo(""))
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let partial = partial_path(&cut);
    for _ in 0..2000 {
        let len = std::fs::metadata(&partial).map(|m| m.len()).unwrap_or(0);
        if len > 1 << 20 || child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    child.kill().ok();
    child.wait().unwrap();
    let mut resume = args(&cut);
    resume.push("--resume".into());
    let o = Command::new(env!("CARGO_BIN_EXE_deter"))
        .args(&resume)
        .current_dir(repo(""))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(std::fs::read(&cut).unwrap() == std::fs::read(&whole).unwrap());
}

#[test]
fn imperfect_information_sweeps_use_the_registry_solver() {
    // Matching pennies with P1's (heads, heads) payoff x: value (x − 1)/(x + 3) for P1
    // (2×2 zero-sum game with payoffs [[x, −1], [−1, 1]]: v = (x·1 − (−1)(−1)) / (x + 1 + 1 + 1)).
    let text = std::fs::read_to_string(repo("tests/models/matching_pennies.toml"))
        .unwrap()
        .replacen(
            "root = \"p1\"\n",
            "root = \"p1\"\n\n[parameters]\nx = { value = 1, range = [0, 5] }\n",
            1,
        )
        .replacen(
            "[outcomes.hh]\npayoffs = { P1 = 1, P2 = -1 }",
            "[outcomes.hh]\npayoffs = { P1 = \"x\", P2 = \"-x\" }",
            1,
        );
    let loaded = deter::model::load("pennies.toml", text);
    let t = loaded.template.expect("the edited model is valid");
    assert!(Sweeper::new(&t, t.defaults(), grid(&t, &["x=0:4:5"]), Some("backward")).is_err());
    let sw = Sweeper::new(&t, t.defaults(), grid(&t, &["x=0:4:5"]), None).unwrap();
    assert_ne!(sw.method.name(), "backward");
    for r in sw.rows(0..5).unwrap() {
        let x = r.params[0];
        assert!(
            (r.payoffs[0] - (x - 1.0) / (x + 3.0)).abs() <= 1e-9,
            "x = {x}: {:?}",
            r.payoffs
        );
        assert!(r.max_regret <= 1e-9);
        assert!(r.outcome.contains(" + "), "play is random: {}", r.outcome);
    }
}
