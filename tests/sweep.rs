//! Sweeps: the hedging regions of docs/models/hedging.md point by point, resume, shards and merge, plots.

use crate::util::{deter, deter_ok, repo, solve_bi, stderr, stdout, template, Hedge};
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

/// Leaves `out` as a run killed after a checkpoint of `rows` rows would: the manifest records
/// the prefix holding them, and the partial file holds that prefix plus `tail`.
fn interrupted(whole: &Path, out: &Path, rows: u64, tail: &[u8]) -> Vec<u8> {
    let want = std::fs::read(whole).unwrap();
    let mut m = file::read_manifest(whole).unwrap();
    let header = m.header().len();
    let ends: Vec<usize> = want[header..]
        .iter()
        .enumerate()
        .filter(|(_, &b)| b == b'\n')
        .map(|(i, _)| header + i + 1)
        .collect();
    let cut = if rows == 0 {
        header
    } else {
        ends[rows as usize - 1]
    };
    m.data = file::DataSum::of(&want[..cut], rows);
    let json = serde_json::to_vec_pretty(&m.to_json()).unwrap();
    std::fs::write(manifest_path(out), json).unwrap();
    let mut partial = want[..cut].to_vec();
    partial.extend_from_slice(tail);
    std::fs::write(partial_path(out), &partial).unwrap();
    want
}

fn resume_to(
    t: &GameTemplate,
    axes: &[&str],
    fmt: Format,
    out: &Path,
) -> Result<file::FileSummary, deter::sweep::SweepError> {
    let sw = Sweeper::new(t, base(t, "cold_war"), grid(t, axes), None).unwrap();
    file::run_to_file(
        &sw,
        ("hedging.toml", "model text"),
        fmt,
        Shard::ALL,
        out,
        true,
        Hooks::default(),
    )
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
        assert!(!partial_path(&whole).exists());
        // Rows after the last checkpoint (a torn row, a damaged one) are computed again.
        for (rows, tail) in [
            (0, &b""[..]),
            (7, b"12,0.1,torn"),
            (5000, b"garbage\n"),
            (11_999, b""),
            (12_000, b""),
        ] {
            let out = dir.path().join("run");
            let want = interrupted(&whole, &out, rows, tail);
            let s = resume_to(&t, &axes, fmt, &out).unwrap();
            assert_eq!((s.resumed, s.resumed + s.computed), (rows, 12_000));
            assert_eq!(
                std::fs::read(&out).unwrap(),
                want,
                "resumed after {rows} rows"
            );
            assert!(!partial_path(&out).exists());
            assert_eq!(
                std::fs::read(manifest_path(&out)).unwrap(),
                std::fs::read(manifest_path(&whole)).unwrap()
            );
        }
        // A checkpointed row edited afterwards is refused, not continued.
        let out = dir.path().join("edited");
        interrupted(&whole, &out, 5000, b"");
        let mut p = std::fs::read(partial_path(&out)).unwrap();
        let at = p.len() / 2;
        p[at] = if p[at] == b'1' { b'2' } else { b'1' };
        std::fs::write(partial_path(&out), &p).unwrap();
        let e = resume_to(&t, &axes, fmt, &out).unwrap_err().to_string();
        assert!(e.contains("edited or damaged"), "{e}");
        // A partial file shorter than its checkpoint is refused.
        interrupted(&whole, &out, 5000, b"");
        std::fs::write(partial_path(&out), &p[..1000]).unwrap();
        let e = resume_to(&t, &axes, fmt, &out).unwrap_err().to_string();
        assert!(e.contains("shorter"), "{e}");
        // Nothing checkpointed and even the header torn: start over.
        if fmt == Format::Csv {
            let want = interrupted(&whole, &out, 0, b"");
            std::fs::write(partial_path(&out), &want[..3]).unwrap();
            let s = resume_to(&t, &axes, fmt, &out).unwrap();
            assert_eq!(s.resumed, 0);
            assert_eq!(std::fs::read(&out).unwrap(), want);
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
    // A shard whose values were edited (same length), or with a column added, is refused.
    let text = std::fs::read_to_string(&parts[1]).unwrap();
    let edited = dir.path().join("edited.csv");
    std::fs::copy(manifest_path(&parts[1]), manifest_path(&edited)).unwrap();
    let row = text.lines().nth(5).unwrap();
    let changed = row.replacen(",0,", ",1,", 1);
    assert_ne!(row, changed);
    std::fs::write(&edited, text.replacen(row, &changed, 1)).unwrap();
    let e = file::merge(&bad, &[parts[0].clone(), edited.clone(), parts[2].clone()])
        .unwrap_err()
        .to_string();
    assert!(e.contains("edited"), "{e}");
    let widened: String = text.lines().map(|l| format!("{l},x\n")).collect();
    std::fs::write(&edited, widened).unwrap();
    let e = file::merge(&bad, &[parts[0].clone(), edited, parts[2].clone()])
        .unwrap_err()
        .to_string();
    assert!(e.contains("changed after deter wrote it"), "{e}");
    assert!(!bad.exists() && !partial_path(&bad).exists());
    // An unfinished shard is refused.
    let cut = dir.path().join("cut.csv");
    interrupted(&parts[1], &cut, 10, b"");
    std::fs::copy(partial_path(&cut), &cut).unwrap();
    let e = file::merge(&bad, &[parts[0].clone(), cut, parts[2].clone()])
        .unwrap_err()
        .to_string();
    assert!(e.contains("not finished"), "{e}");
}

#[test]
fn a_second_sweep_to_the_same_output_is_refused_while_the_first_runs() {
    let t = template("models/hedging.toml");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o.csv");
    // The first writer's lock, held as a running sweep holds it.
    let lock = deter::output::file::OutputLock::acquire(&out).unwrap();
    let sw = Sweeper::new(&t, base(&t, "cold_war"), grid(&t, &["T=0:1:3"]), None).unwrap();
    let run = |sw: &Sweeper<'_>| {
        file::run_to_file(
            sw,
            ("h", "x"),
            Format::Csv,
            Shard::ALL,
            &out,
            false,
            Hooks::default(),
        )
    };
    let e = run(&sw).unwrap_err().to_string();
    assert!(e.contains("another deter process is writing"), "{e}");
    assert!(!out.exists() && !partial_path(&out).exists() && !manifest_path(&out).exists());
    let e = file::merge(&out, std::slice::from_ref(&out))
        .unwrap_err()
        .to_string();
    assert!(e.contains("another deter process"), "{e}");
    drop(lock);
    run(&sw).unwrap();
    assert!(out.exists());
}

#[test]
fn cli_sweep_plots_regions_and_lines_with_words() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("regions.svg");
    let csv = dir.path().join("regions.csv");
    deter_ok(&[
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
    let s = std::fs::read_to_string(&svg).unwrap();
    assert!(s.starts_with("<svg"), "{}", &s[..100.min(s.len())]);
    assert!(s.contains("deters — status_quo_h: Protégé hedges → Challenger does not challenge"));
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
    assert!(o.status.success(), "{}", stderr(&o));
    let s = std::fs::read_to_string(&line).unwrap();
    assert!(s.contains("P(challenge)") && s.contains("Defender"));
    assert!(s.contains("stroke-dasharray") || s.matches("<polyline").count() > 7);
    let stdout = stdout(&o);
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
    let e = stderr(&o);
    assert!(
        e.contains("unknown parameter `c_d`") && e.contains("did you mean `c_D`"),
        "{e}"
    );
    let o = deter(&["sweep", "models/hedging.toml", "--vary", "T=0:2:5"]);
    assert!(stderr(&o).contains("outside its range"));
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
    assert!(o.status.success(), "{}", stderr(&o));
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
    assert!(o.status.success(), "{}", stderr(&o));
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

#[test]
fn cli_plot_draws_a_merged_sweep_as_the_single_run_plot() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name).display().to_string();
    for (axes, fmt) in [
        (&["--vary", "T=0:1:21", "--vary", "c_D=0:3:31"][..], "csv"),
        (&["--vary", "c_D=0:3:61"][..], "jsonl"),
    ] {
        let run = |extra: &[&str]| {
            let mut a = vec!["sweep", "models/hedging.toml", "--format", fmt];
            a.extend_from_slice(axes);
            a.extend_from_slice(extra);
            deter_ok(&a);
        };
        run(&["--out", &p("whole"), "--plot", &p("whole.svg")]);
        run(&["--out", &p("s1"), "--shard", "1/2"]);
        run(&["--out", &p("s2"), "--shard", "2/2"]);
        deter_ok(&["merge", &p("merged"), &p("s2"), &p("s1")]);
        deter_ok(&["plot", &p("merged"), "--out", &p("merged.svg")]);
        // A two-parameter map of a game of perfect information is drawn exactly by the run;
        // `deter plot` finds the model the manifest records and draws the same bytes.
        let whole = std::fs::read_to_string(p("whole.svg")).unwrap();
        if axes.len() == 4 {
            assert!(whole.contains("Regions drawn exactly"), "{whole}");
            deter_ok(&["plot", &p("whole"), "--out", &p("whole-again.svg")]);
            assert_eq!(
                std::fs::read_to_string(p("whole-again.svg")).unwrap(),
                whole
            );
        }
        let single = whole.into_bytes();
        assert_eq!(
            std::fs::read(p("merged.svg")).unwrap(),
            single,
            "deter plot of the merged shards draws the single run's plot ({fmt})"
        );
        // Without --out the SVG goes to standard output.
        let o = deter(&["plot", &p("merged")]);
        assert_eq!(o.stdout, single);
    }
    // The shard message names the way to plot.
    let o = deter(&[
        "sweep",
        "models/hedging.toml",
        "--vary",
        "T=0:1:5",
        "--shard",
        "1/2",
        "--out",
        &p("x"),
        "--plot",
        &p("x.svg"),
    ]);
    let e = stderr(&o);
    assert!(e.contains("deter plot MERGED"), "{e}");
    // A shard alone cannot be plotted.
    let o = deter(&["plot", &p("s1")]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn cli_resumed_sweep_plots_the_same_as_an_uninterrupted_one() {
    let t = template("models/hedging.toml");
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name).display().to_string();
    let args = |out: &str, svg: &str| {
        vec![
            "sweep",
            "models/hedging.toml",
            "--scenario",
            "cold_war",
            "--vary",
            "T=0:1:40",
            "--vary",
            "c_D=0:3:300",
            "--out",
            out,
            "--plot",
            svg,
        ]
        .into_iter()
        .map(str::to_string)
        .collect::<Vec<_>>()
    };
    let a = args(&p("whole.csv"), &p("whole.svg"));
    deter_ok(&a.iter().map(String::as_str).collect::<Vec<_>>());
    let _ = t;
    interrupted(
        Path::new(&p("whole.csv")),
        Path::new(&p("cut.csv")),
        5000,
        b"torn",
    );
    let mut a = args(&p("cut.csv"), &p("cut.svg"));
    a.push("--resume".into());
    let o = deter(&a.iter().map(String::as_str).collect::<Vec<_>>());
    let e = stderr(&o);
    assert!(o.status.success() && e.contains("5000 kept"), "{e}");
    assert_eq!(
        std::fs::read(p("cut.svg")).unwrap(),
        std::fs::read(p("whole.svg")).unwrap()
    );
}

#[cfg(unix)]
#[test]
fn cli_sweep_outputs_are_checked_before_the_work() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name).display().to_string();
    // A directory as --out fails at once, before a long sweep.
    let start = std::time::Instant::now();
    let o = deter(&[
        "sweep",
        "models/hedging.toml",
        "--vary",
        "T=0:1:3000",
        "--vary",
        "c_D=0:3:3000",
        "--out",
        &p(""),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("is a directory"), "{e}");
    assert!(start.elapsed().as_secs() < 5, "failed only after the work");
    let o = deter(&[
        "sweep",
        "models/hedging.toml",
        "--vary",
        "T=0:1:3",
        "--out",
        &p("no/such/dir/x.csv"),
    ]);
    assert!(stderr(&o).contains("does not exist"));
    let o = deter(&[
        "sweep",
        "models/hedging.toml",
        "--vary",
        "T=0:1:3",
        "--plot",
        &p(""),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        o.stdout.is_empty(),
        "no row computed before the plot path was checked"
    );
    // A sweep's output must be a regular file; /dev/stdout is refused, never replaced.
    let o = deter(&[
        "sweep",
        "models/hedging.toml",
        "--vary",
        "T=0:1:3",
        "--out",
        "/dev/stdout",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a regular file"));
    // The same for a device: /dev/null is refused and stays a device.
    let o = deter(&[
        "sweep",
        "models/hedging.toml",
        "--vary",
        "T=0:1:3",
        "--out",
        "/dev/null",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a regular file"));
    assert!(!std::fs::metadata("/dev/null").unwrap().is_file());
    // A symlinked --out is written through: the link stays, its target gets the rows.
    std::fs::create_dir(dir.path().join("real")).unwrap();
    std::os::unix::fs::symlink("real/target.csv", dir.path().join("link.csv")).unwrap();
    deter_ok(&[
        "sweep",
        "models/hedging.toml",
        "--vary",
        "T=0:1:3",
        "--out",
        &p("link.csv"),
    ]);
    let link = std::fs::symlink_metadata(p("link.csv")).unwrap();
    assert!(link.file_type().is_symlink());
    assert_eq!(
        std::fs::read_to_string(p("real/target.csv"))
            .unwrap()
            .lines()
            .count(),
        4
    );
    assert!(Path::new(&p("real/target.csv.sweep.json")).exists());
    // Files are created with the umask's mode (0644 under the usual 022), not 0600.
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(p("real/target.csv"))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    let probe = dir.path().join("probe");
    std::fs::write(&probe, "").unwrap();
    let want = std::fs::metadata(&probe).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, want);
}

#[test]
fn question_modality_says_where_a_tie_decides_the_answer() {
    let dir = tempfile::tempdir().unwrap();
    for (fmt, ext) in [("csv", "csv"), ("jsonl", "jsonl")] {
        let out = dir.path().join(format!("t.{ext}"));
        deter_ok(&[
            "sweep",
            "models/hedging.toml",
            "--vary",
            "T=0.2,0.5",
            "--format",
            fmt,
            "--out",
            out.to_str().unwrap(),
        ]);
        let text = std::fs::read_to_string(&out).unwrap();
        // (answer, modality, n_equilibria) per row.
        let rows: Vec<(String, String, String)> = if fmt == "csv" {
            let mut rd = csv::Reader::from_reader(text.as_bytes());
            let head = rd.headers().unwrap().clone();
            let col = |name: &str| head.iter().position(|h| h == name).unwrap();
            let (a, m, n) = (
                col("question:hedging_deters"),
                col("question:hedging_deters:modality"),
                col("n_equilibria"),
            );
            assert_eq!(m, a + 1, "the modality column follows its question's");
            rd.records()
                .map(|r| {
                    let r = r.unwrap();
                    (r[a].to_string(), r[m].to_string(), r[n].to_string())
                })
                .collect()
        } else {
            text.lines()
                .map(|l| {
                    let v: serde_json::Value = serde_json::from_str(l).unwrap();
                    let s = |k: &str| match &v[k] {
                        serde_json::Value::String(s) => s.clone(),
                        x => x.to_string(),
                    };
                    (
                        s("question:hedging_deters"),
                        s("question:hedging_deters:modality"),
                        s("n_equilibria"),
                    )
                })
                .collect()
        };
        // docs/models/hedging.md: T* = −ψ0/β = 0.2. At T = 0.2 the abandoned hedger is
        // indifferent between realigning and acquiescing: the tie rule's pick (realign) deters,
        // the other equilibrium does not. Above T*, hedging deters in the only equilibrium.
        assert_eq!(
            rows,
            [
                ("deters".into(), "some".into(), "2".into()),
                ("deters".into(), "every".into(), "1".into()),
            ],
            "{fmt}"
        );
    }
}

/// Runs `deter sweep` of the model copied into `dir` (as `name`) over two parameters to
/// `dir/out.csv`, with `--plot dir/out.svg`.
fn sweep_copy(dir: &Path, model: &str, name: &str, axes: [&str; 2]) {
    let copy = dir.join(name);
    std::fs::copy(repo(model), &copy).unwrap();
    let (out, svg) = (dir.join("out.csv"), dir.join("out.svg"));
    deter_ok(&[
        "sweep",
        copy.to_str().unwrap(),
        "--vary",
        axes[0],
        "--vary",
        axes[1],
        "--out",
        out.to_str().unwrap(),
        "--plot",
        svg.to_str().unwrap(),
        "--quiet",
    ]);
}

/// `deter plot dir/out.csv`: the SVG and the standard error.
fn plot_file(dir: &Path) -> (String, String) {
    let o = deter(&["plot", dir.join("out.csv").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    (stdout(&o), stderr(&o))
}

#[test]
fn cli_plot_of_a_regime_sweep_is_the_run_s_exact_map() {
    // A game with private types: the regime map is drawn from the regimes' conditions by
    // the run and again by `deter plot` from the file, to the same bytes.
    let dir = tempfile::tempdir().unwrap();
    sweep_copy(
        dir.path(),
        "models/unilateral_deterrence.toml",
        "u.toml",
        ["p_Def=0:1:11", "p_Ch=0:1:11"],
    );
    let run = std::fs::read_to_string(dir.path().join("out.svg")).unwrap();
    assert!(run.contains("Regions drawn exactly"), "{run}");
    assert!(
        !run.contains("Regions drawn from"),
        "fell back to cells: {run}"
    );
    let (svg, err) = plot_file(dir.path());
    assert_eq!(svg, run);
    assert!(err.is_empty(), "{err}");
    // The manifest records where the model is, relative to the sweep file.
    let m = file::read_manifest(&dir.path().join("out.csv")).unwrap();
    let s = m.source.expect("the run's source");
    assert_eq!(s.relative.as_deref(), Some("u.toml"));
    assert_eq!(s.solver, "pbe");
    // The directory moved as a whole still finds its model (the relative path).
    let moved = tempfile::tempdir().unwrap();
    for f in ["u.toml", "out.csv", "out.csv.sweep.json"] {
        std::fs::rename(dir.path().join(f), moved.path().join(f)).unwrap();
    }
    let (svg, err) = plot_file(moved.path());
    assert_eq!(svg, run, "{err}");
    // Curved boundaries (a squared war value): drawn through points on the curves, again the
    // same bytes from the file.
    let dir = tempfile::tempdir().unwrap();
    sweep_copy(
        dir.path(),
        "tests/models/unilateral_squared.toml",
        "sq.toml",
        ["p_Def=0:1:21", "k=0:1:21"],
    );
    let run = std::fs::read_to_string(dir.path().join("out.svg")).unwrap();
    assert!(
        run.contains("Regions drawn from their regimes"),
        "fell back to cells: {run}"
    );
    let (svg, err) = plot_file(dir.path());
    assert_eq!(svg, run, "{err}");
}

#[test]
fn cli_plot_draws_cells_and_says_why_when_the_model_changed_moved_or_is_not_recorded() {
    let dir = tempfile::tempdir().unwrap();
    sweep_copy(
        dir.path(),
        "models/hedging.toml",
        "h.toml",
        ["T=0:1:11", "c_D=0:3:13"],
    );
    let run = std::fs::read_to_string(dir.path().join("out.svg")).unwrap();
    assert!(run.contains("Regions drawn exactly"), "{run}");
    let cells = |svg: &str| svg.contains("Regions drawn from") && svg.matches("<rect").count() > 12;
    // Edited: a comment is enough, the text's hash differs.
    let model = dir.path().join("h.toml");
    let text = std::fs::read_to_string(&model).unwrap();
    std::fs::write(&model, format!("{text}\n# edited\n")).unwrap();
    let (svg, err) = plot_file(dir.path());
    assert!(err.contains("has changed since the sweep ran"), "{err}");
    assert!(cells(&svg), "{svg}");
    // Moved away: not found.
    std::fs::rename(&model, dir.path().join("elsewhere.toml")).unwrap();
    let (svg, err) = plot_file(dir.path());
    assert!(err.contains("is not found"), "{err}");
    assert!(cells(&svg), "{svg}");
    // Back in place, unchanged: exact again.
    std::fs::write(&model, &text).unwrap();
    std::fs::remove_file(dir.path().join("elsewhere.toml")).unwrap();
    assert_eq!(plot_file(dir.path()).0, run);
    // A manifest from before the source was recorded still plots, from its cells.
    let mp = manifest_path(&dir.path().join("out.csv"));
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&mp).unwrap()).unwrap();
    v.as_object_mut().unwrap().remove("source");
    std::fs::write(&mp, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    let (svg, err) = plot_file(dir.path());
    assert!(err.contains("does not record its model"), "{err}");
    assert!(cells(&svg), "{svg}");
}
