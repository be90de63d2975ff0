//! Figures a journal would print: the tree (the model's words, typeset formulas, no text on
//! text or on a line), the comparative-statics plots (steps, coinciding curves told apart,
//! legends outside the data, readable ticks, off-path changes annotated), one colour meaning
//! per answer across maps, PDF export and TikZ that pdflatex compiles.

use crate::util::{repo, template};
use deter::draw::{self, scene, Drawing, Marks};
use deter::game::Game;
use deter::plot::{self, LineChart, Series};
use deter::report::{self, Options};
use deter::solve::{self, GameRef, Profile, SolveOptions};
use std::process::Command;

/// Every shipped model (models/) and the valid test models, with a game at the defaults.
fn every_game() -> Vec<(String, Option<deter::model::GameTemplate>, Game)> {
    let mut out = Vec::new();
    for dir in ["models", "tests/models"] {
        let mut files: Vec<_> = std::fs::read_dir(repo(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        for p in files {
            let rel = format!("{dir}/{}", p.file_name().unwrap().to_string_lossy());
            match p.extension().and_then(|e| e.to_str()) {
                Some("toml") => {
                    let t = template(&rel);
                    let g = t.instantiate(&t.defaults()).unwrap();
                    out.push((rel, Some(t), g));
                }
                Some("efg") => {
                    let text = std::fs::read_to_string(&p).unwrap();
                    let g = deter::format::efg::read(&text).unwrap();
                    out.push((rel, None, g));
                }
                _ => {}
            }
        }
    }
    assert!(
        out.iter().any(|(n, ..)| n.ends_with("hedging.toml")),
        "the shipped models are found"
    );
    out
}

/// The equilibrium `deter solve` would print first, as marks.
fn marks(g: &Game) -> Marks {
    let game = GameRef::Tree(g);
    let s = solve::pick(game).unwrap();
    let mut sol = s.solve(game, &SolveOptions::default()).unwrap();
    solve::certify(game, &mut sol).unwrap();
    let Profile::Behavior(b) = &sol.equilibria[0].profile else {
        panic!("a behaviour profile")
    };
    Marks::of(g, b).unwrap()
}

#[test]
fn tree_text_never_overlaps_and_never_lies_on_a_line() {
    let games = every_game();
    // Chance nodes and information sets are among them (beer–quiche, matching pennies, Kuhn).
    assert!(games
        .iter()
        .any(|(_, _, g)| !g.tree.is_perfect_information()));
    for (name, t, g) in &games {
        let m = marks(g);
        let formulas = t.as_ref().map(scene::payoff_formulas);
        for (with_formulas, ids) in [(false, false), (true, false), (false, true), (true, true)] {
            if with_formulas && formulas.is_none() {
                continue;
            }
            let mut d = Drawing::new(g).with_marks(&m);
            d.ids = ids;
            if with_formulas {
                d.formulas = formulas.as_deref();
            }
            let s = scene::scene(&d);
            let overlaps = plot::overlaps(&s.texts());
            assert!(
                overlaps.is_empty(),
                "{name} (formulas {with_formulas}, ids {ids}): overlapping text {overlaps:?}"
            );
            let on_lines = s.labels_on_lines();
            assert!(
                on_lines.is_empty(),
                "{name} (formulas {with_formulas}, ids {ids}): text on a line {on_lines:?}"
            );
        }
    }
}

#[test]
fn leaves_show_typeset_formulas_on_request() {
    let t = template("models/hedging.toml");
    let g = t.instantiate(&t.defaults()).unwrap();
    let f = scene::payoff_formulas(&t);
    let s = draw::svg::svg(&Drawing::new(&g).with_formulas(&f)).unwrap();
    // realign_h: Protege = e_P - g_P + psi0 + beta*T → e_P − g_P + ψ₀ + β·T.
    assert!(s.contains("ψ</tspan>"), "Greek letters");
    assert!(
        s.contains("β</tspan>·<tspan font-style=\"italic\">T</tspan>"),
        "β·T"
    );
    assert!(s.contains(r#"baseline-shift="sub""#), "subscripts");
    assert!(s.contains(" − "), "a real minus sign");
    let tikz = draw::tikz::tikz(&Drawing::new(&g).with_formulas(&f)).unwrap();
    assert!(tikz.contains("\\psi_{\\mathrm{0}}") && tikz.contains("\\beta\\cdot T"));
}

/// The texts of an SVG, in order, joined by spaces (wrapped lines read as one).
fn words(svg: &str) -> String {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| Some(t.split_once('>')?.1.split("</text>").next()?.to_string()))
        .collect::<Vec<_>>()
        .join(" ")
}

fn font_sizes(svg: &str) -> Vec<f64> {
    svg.split("font-size=\"")
        .skip(1)
        .filter_map(|r| r.split('"').next()?.parse().ok())
        .collect()
}

#[test]
fn statics_plots_read_well() {
    let t = template("models/hedging.toml");
    let opts = Options {
        grid: 11,
        ..Options::default()
    };
    let r = report::build(&t, "models/hedging.toml", &opts).unwrap();
    let plots: Vec<(&str, &str)> = r
        .statics
        .iter()
        .filter_map(|s| Some((s.param.as_str(), s.svg.as_deref()?)))
        .collect();
    assert!(plots.len() >= 4, "{}", plots.len());
    for (param, svg) in &plots {
        let sizes = font_sizes(svg);
        assert!(
            sizes.iter().all(|&s| s >= 11.0),
            "{param}: text below 11 px: {sizes:?}"
        );
        assert!(
            !svg.contains(">-0<") && !svg.contains(">-0.0<"),
            "{param}: a -0 tick"
        );
        assert!(!svg.contains('`'), "{param}: raw backticks");
        // Jumps are vertical: a step, not a slanted line (where the path of play changes).
        let st = r.statics.iter().find(|s| s.param == *param).unwrap();
        let path_of = |p: &str| p.split(" (the same path").next().unwrap().to_string();
        let jumps = st
            .segments
            .windows(2)
            .any(|w| path_of(&w[0].2) != path_of(&w[1].2));
        assert_eq!(
            svg.contains(" V"),
            jumps,
            "{param}: vertical jumps where the path changes"
        );
    }
    let c_d = plots.iter().find(|p| p.0 == "c_D").unwrap().1;
    // P(challenge), P(abandon) and P(realign) coincide over c_D: said, and drawn apart.
    assert!(
        words(c_d).contains("P(abandon) and P(realign) are equal to P(challenge) everywhere."),
        "{c_d}"
    );
    // At psi0 = 0 only off-path moves change (docs/models/hedging.md): annotated.
    let psi0 = plots.iter().find(|p| p.0 == "psi0").unwrap().1;
    assert!(psi0.contains("(off the path)"), "{psi0}");
}

#[test]
fn line_charts_keep_text_apart_and_legends_outside_the_data() {
    let xs: Vec<f64> = (0..=100).map(|i| i as f64 / 100.0).collect();
    let step = |at: f64| xs.iter().map(|&x| f64::from(u8::from(x > at))).collect();
    let probs = vec![
        Series {
            name: "P(challenge)".into(),
            values: step(0.5),
        },
        Series {
            name: "P(abandon)".into(),
            values: step(0.5),
        },
        Series {
            name: "P(a rather long event name that needs wrapping in the legend)".into(),
            values: step(0.25),
        },
    ];
    let payoffs = vec![Series {
        name: "Protégé".into(),
        values: xs.iter().map(|x| -x).collect(),
    }];
    let title = "A very long title that cannot fit on one line of the figure, so it has to \
                 wrap onto a second line rather than run off both ends of the canvas";
    let f = plot::line_figure(&LineChart {
        title,
        x_name: "c_D",
        xs: &xs,
        probs: &probs,
        payoffs: &payoffs,
        thresholds: &[0.25, 0.255, 0.5],
    })
    .unwrap();
    assert_eq!(plot::overlaps(&f.texts), vec![]);
    let width: f64 = f
        .svg
        .split("width=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    for t in &f.texts {
        assert!(
            t.rect.x0 >= 0.0 && t.rect.x1 <= width,
            "{} runs off the canvas",
            t.text
        );
    }
    let title_lines = f
        .texts
        .iter()
        .filter(|t| title.contains(t.text.as_str()))
        .count();
    assert!(title_lines >= 2, "the title wraps");
    // The frames of the two panels: no text inside the data.
    let frames: Vec<plot::Rect> = f
        .svg
        .lines()
        .filter(|l| l.starts_with("<rect") && l.contains("fill=\"none\""))
        .map(|l| {
            let a = |k: &str| -> f64 {
                l.split(&format!(" {k}=\""))
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap()
            };
            plot::Rect {
                x0: a("x"),
                y0: a("y"),
                x1: a("x") + a("width"),
                y1: a("y") + a("height"),
            }
        })
        .collect();
    assert_eq!(frames.len(), 2);
    for t in &f.texts {
        for fr in &frames {
            assert!(
                !t.rect.intersects(&fr.grow(-1.0)),
                "{} lies on the data",
                t.text
            );
        }
    }
}

#[test]
fn answers_have_one_colour_in_every_map() {
    // hedging.toml says `good = "lower"`: "deters" is blue in the report's map and in the
    // sweep's map, "provokes" red, "no difference" grey.
    let (blue, red, grey) = (
        plot::colour::answer(
            deter::questions::Effect::Lower,
            Some(deter::questions::Effect::Lower),
        )
        .0,
        plot::colour::answer(
            deter::questions::Effect::Higher,
            Some(deter::questions::Effect::Lower),
        )
        .0,
        plot::colour::answer(deter::questions::Effect::None, None).0,
    );
    let t = template("models/hedging.toml");
    let r = report::build(
        &t,
        "models/hedging.toml",
        &Options {
            grid: 31,
            statics_points: 11,
            ..Options::default()
        },
    )
    .unwrap();
    let map = r.questions[0].map_svg.as_deref().unwrap();
    for c in [blue, red, grey] {
        assert!(
            map.contains(&format!("fill=\"{c}\"")),
            "report map lacks {c}"
        );
    }
    let md = report::render::markdown(&report::doc::document(&r));
    assert!(
        md.contains("Where hedging deters (blue) and where it provokes (red)"),
        "{md}"
    );
    let dir = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_deter"))
        .args([
            "sweep",
            "models/hedging.toml",
            "--vary",
            "T=0:1:21",
            "--vary",
            "c_D=0:3:21",
            "--plot",
        ])
        .arg(dir.path().join("map.svg"))
        .arg("--out")
        .arg(dir.path().join("map.csv"))
        .current_dir(repo(""))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let sweep = std::fs::read_to_string(dir.path().join("map.svg")).unwrap();
    for c in [blue, grey] {
        assert!(
            sweep.contains(&format!("fill=\"{c}\"")),
            "sweep map lacks {c}"
        );
    }
    assert!(!sweep.contains('`'));
    // The dialogue's "sustains dialogue" is the good answer there: blue, never red.
    let t = template("models/deterrence_dialogue.toml");
    let r = report::build(
        &t,
        "models/deterrence_dialogue.toml",
        &Options {
            grid: 31,
            statics_points: 11,
            ..Options::default()
        },
    )
    .unwrap();
    let md = report::render::markdown(&report::doc::document(&r));
    assert!(
        md.contains("forecloses dialogue (red) and where it sustains dialogue (blue)"),
        "{md}"
    );
}

#[test]
fn figures_export_to_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("tree.pdf");
    let o = Command::new(env!("CARGO_BIN_EXE_deter"))
        .args([
            "convert",
            "models/hedging.toml",
            "--to",
            "pdf",
            "--path",
            "-o",
        ])
        .arg(&pdf)
        .current_dir(repo(""))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"), "a PDF");
    // The report writes every figure as PDF too when asked.
    let out = dir.path().join("report");
    let o = Command::new(env!("CARGO_BIN_EXE_deter"))
        .args([
            "report",
            "models/entry_deterrence.toml",
            "--pdf",
            "--grid",
            "11",
            "--out",
        ])
        .arg(&out)
        .current_dir(repo(""))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(std::fs::read(out.join("tree.pdf"))
        .unwrap()
        .starts_with(b"%PDF-"));
}

fn skipped(test: &str, why: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
}

/// Runs scripts/e2e-latex.sh (every model's tree as TikZ, compiled with pdflatex) when
/// `DETER_E2E=1` (CI sets it) or pdflatex is installed. Asked for and unable to run is a
/// failure; not asked for and no pdflatex is a visible skip.
#[test]
fn tikz_compiles_with_pdflatex() {
    let asked = std::env::var("DETER_E2E").is_ok_and(|v| v == "1");
    let have = Command::new("sh")
        .args(["-c", "command -v pdflatex"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !asked && !have {
        skipped(
            "tikz_compiles_with_pdflatex",
            "no pdflatex installed; set DETER_E2E=1 to let scripts/e2e-latex.sh install TeX \
             Live (needs root and apt-get)",
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let o = Command::new(repo("scripts/e2e-latex.sh"))
        .arg(dir.path())
        .env("DETER_BIN", env!("CARGO_BIN_EXE_deter"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    if o.status.code() == Some(77) {
        assert!(
            !asked,
            "DETER_E2E=1 asked for the pdflatex test, but it could not run: {err}"
        );
        skipped("tikz_compiles_with_pdflatex", &err);
        return;
    }
    assert!(
        o.status.success(),
        "{err}\n{}",
        String::from_utf8_lossy(&o.stdout)
    );
}
