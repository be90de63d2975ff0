//! Every figure except the tree, in one house style: the line chart of a parameter's
//! comparative statics ([`line_svg`]), the map of a sweep's outcomes over two parameters
//! ([`region_svg`]) and the map of a question's answers ([`question_map_svg`]); the report and
//! the command line draw through these functions only.
//!
//! The SVG is written directly ([`canvas`]): small deterministic text, fonts named rather than
//! embedded, every text's box recorded so tests can check that no two overlap. Ticks are round
//! and at least 11 px ([`axis`]); titles wrap; legends and notes sit outside the data; one
//! colour meaning per answer across figures ([`colour`]); equilibrium quantities jump as steps
//! at thresholds and coinciding curves are told apart ([`line`]). Thresholds are an input of
//! [`line_svg`] — from a symbolic analysis, or from [`outcome_changes`] on the grid itself. A
//! sweep's plot is assembled in bounded memory by [`crate::sweep::aggregate`]. [`pdf`] turns any
//! figure into a PDF.

pub mod axis;
pub mod band;
pub mod canvas;
pub mod colour;
pub mod frame;
pub mod line;
pub mod map;
pub mod pdf;
pub mod qre;

pub use band::{band_svg, Band, BandChart};
pub use canvas::{overlaps, Rect, TextBox};

use crate::questions::Effect;

/// Why a plot could not be drawn.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PlotError {
    /// The data do not fit the plot.
    #[error("{0}")]
    Data(String),
    /// The drawing backend failed.
    #[error("drawing the plot: {0}")]
    Draw(String),
}

/// A drawn figure: the SVG and the box of every text on it.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    /// The SVG document.
    pub svg: String,
    /// Every text drawn, with its box.
    pub texts: Vec<TextBox>,
}

/// One named curve.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// Legend text.
    pub name: String,
    /// One value per x (NaN leaves a gap).
    pub values: Vec<f64>,
}

/// A line chart over one parameter: probabilities on top, payoffs below.
#[derive(Clone, Copy, Debug)]
pub struct LineChart<'a> {
    /// Title.
    pub title: &'a str,
    /// The parameter's name (x-axis label).
    pub x_name: &'a str,
    /// The parameter's values, increasing.
    pub xs: &'a [f64],
    /// Event probabilities (top panel, 0 to 1).
    pub probs: &'a [Series],
    /// Expected payoffs (bottom panel).
    pub payoffs: &'a [Series],
    /// Parameter values to mark with vertical dashed lines.
    pub thresholds: &'a [f64],
}

/// A map of outcomes over two parameters.
#[derive(Clone, Copy, Debug)]
pub struct RegionMap<'a> {
    /// Title.
    pub title: &'a str,
    /// Horizontal parameter's name and cell edges (increasing, one more than the cells).
    pub x: (&'a str, &'a [f64]),
    /// Vertical parameter's name and cell edges (increasing, one more than the cells).
    pub y: (&'a str, &'a [f64]),
    /// Class of each cell, `cells[ix * ny + iy]` (the sweep's order: y fastest).
    pub cells: &'a [usize],
    /// Legend text of each class (e.g. `outcome — path in words`).
    pub legend: &'a [String],
    /// The question's answer in each class, when the map answers one (empty otherwise): the
    /// classes are then coloured by answer ([`colour::answer`]), shades telling outcomes apart.
    pub answers: &'a [Effect],
    /// The desirable answer, if the question names one.
    pub good: Option<Effect>,
}

/// Midpoints between adjacent x values where the label changes (`xs` and `labels` parallel).
pub fn outcome_changes<S: PartialEq>(xs: &[f64], labels: &[S]) -> Vec<f64> {
    xs.windows(2)
        .zip(labels.windows(2))
        .filter(|(_, l)| l[0] != l[1])
        .map(|(x, _)| (x[0] + x[1]) / 2.0)
        .collect()
}

/// Cell edges around each value: midpoints inside, half a step beyond the ends.
pub fn edges(v: &[f64]) -> Vec<f64> {
    match v.len() {
        0 => vec![],
        1 => vec![v[0] - 0.5, v[0] + 0.5],
        n => {
            let mut e = Vec::with_capacity(n + 1);
            e.push(v[0] - (v[1] - v[0]) / 2.0);
            e.extend(v.windows(2).map(|w| (w[0] + w[1]) / 2.0));
            e.push(v[n - 1] + (v[n - 1] - v[n - 2]) / 2.0);
            e
        }
    }
}

/// The line chart as SVG: event probabilities against the parameter on top, expected payoffs
/// below, each threshold a vertical dashed line on both panels ([`line`]).
pub fn line_svg(c: &LineChart<'_>) -> Result<String, PlotError> {
    Ok(line::figure(c)?.svg)
}

/// [`line_svg`] with the box of every text.
pub fn line_figure(c: &LineChart<'_>) -> Result<Figure, PlotError> {
    line::figure(c)
}

/// The region map as SVG: each grid cell filled with its class's colour (runs of equal cells
/// merged), and the legend in words below the map.
pub fn region_svg(m: &RegionMap<'_>) -> Result<String, PlotError> {
    Ok(region_figure(m)?.svg)
}

/// [`region_svg`] with the box of every text.
pub fn region_figure(m: &RegionMap<'_>) -> Result<Figure, PlotError> {
    region_figure_with(m, &[], "")
}

/// The region map drawn from exact regions: each `(class, ring)` filled with its class's
/// colour over the range `m.x`, `m.y` (their first and last edges; `m.cells` may be empty),
/// `note` under the legend. With no rings, the cells as [`region_figure`] draws them.
pub fn region_figure_with(
    m: &RegionMap<'_>,
    exact: &[(usize, map::Ring)],
    note: &str,
) -> Result<Figure, PlotError> {
    let (nx, ny) = (m.x.1.len().saturating_sub(1), m.y.1.len().saturating_sub(1));
    if nx == 0 || ny == 0 || (exact.is_empty() && m.cells.len() != nx * ny) {
        return Err(PlotError::Data(format!(
            "a region map needs {nx} × {ny} cells, got {}",
            m.cells.len()
        )));
    }
    let by_answer = !m.answers.is_empty() && m.answers.len() >= m.legend.len();
    let n_classes = m
        .legend
        .len()
        .max(m.cells.iter().map(|&c| c + 1).max().unwrap_or(0));
    let fills: Vec<String> = (0..n_classes)
        .map(|k| {
            if by_answer && k < m.answers.len() {
                let e = m.answers[k];
                // The k-th class with this answer gets the k-th shade of the answer's colour.
                let nth = m.answers[..k].iter().filter(|&&x| x == e).count();
                colour::shade(colour::answer(e, m.good).0, nth)
            } else {
                colour::series(k).to_string()
            }
        })
        .collect();
    let cell_fills: Vec<&str> = m.cells.iter().map(|&c| fills[c].as_str()).collect();
    let keys: Vec<map::Key> = m
        .legend
        .iter()
        .enumerate()
        .map(|(k, t)| map::Key {
            fill: fills[k].clone(),
            text: t.clone(),
        })
        .collect();
    let mut shapes: Vec<map::Shape> = Vec::new();
    for (k, ring) in exact {
        let Some(fill) = fills.get(*k) else { continue };
        match shapes.iter_mut().find(|s| &s.fill == fill) {
            Some(s) => s.rings.push(ring.clone()),
            None => shapes.push(map::Shape {
                fill: fill.clone(),
                rings: vec![ring.clone()],
            }),
        }
    }
    Ok(map::figure_with(
        &map::Map {
            title: m.title,
            x: m.x,
            y: m.y,
            fills: if exact.is_empty() { &cell_fills } else { &[] },
            keys: &keys,
            points: &[],
            note,
        },
        &shapes,
    ))
}

/// A question's answer over two parameters, as the report draws it.
#[derive(Clone, Copy, Debug)]
pub struct QuestionMapPlot<'a> {
    /// Title (wrapped).
    pub title: &'a str,
    /// Horizontal parameter: name and range of the sampled values.
    pub x: (&'a str, (f64, f64)),
    /// Vertical parameter: name and range of the sampled values.
    pub y: (&'a str, (f64, f64)),
    /// Samples per axis (`nx`, `ny`).
    pub n: (usize, usize),
    /// The answer at each sample, `effect[j * nx + i]` (row `j` of `y`, column `i` of `x`).
    pub effect: &'a [Effect],
    /// True at the samples where a tie decides the answer (drawn in their own colour); may be
    /// empty.
    pub tied: &'a [bool],
    /// The answers in words: "hedging deters", "hedging provokes".
    pub words: (&'a str, &'a str),
    /// The desirable answer, if the question names one.
    pub good: Option<Effect>,
    /// Labelled points (the baseline, the scenarios) in parameter units.
    pub points: &'a [(String, f64, f64)],
    /// A note under the legend.
    pub note: &'a str,
    /// The answer's regions drawn exactly, `(answer, tied, rings)` with vertices in
    /// parameter units; when not empty they replace the sampled cells.
    pub exact: &'a [AnswerShape],
}

/// An answer's connected region drawn exactly: the answer, whether a tie decides it, and its
/// outline's rings (holes drawn by the even-odd rule).
pub type AnswerShape = (Effect, bool, Vec<map::Ring>);

/// Fill of the map's cells where a tie decides the answer (pale yellow, apart from the
/// answers' colours and grey).
const TIED_FILL: &str = "#fee391";

/// The question's map as SVG ([`colour::answer`] colours, legend below the map).
pub fn question_map_svg(q: &QuestionMapPlot<'_>) -> Figure {
    let (nx, ny) = q.n;
    let lin = |(a, b): (f64, f64), n: usize| -> Vec<f64> {
        (0..=n).map(|k| a + (b - a) * k as f64 / n as f64).collect()
    };
    let (ex, ey) = (lin(q.x.1, nx), lin(q.y.1, ny));
    let fill = |e: Effect| colour::answer(e, q.good).0;
    let fills: Vec<&str> = (0..nx * ny)
        .filter(|_| q.exact.is_empty())
        .map(|c| {
            let (i, j) = (c / ny, c % ny);
            if q.tied.get(j * nx + i).copied().unwrap_or(false) {
                TIED_FILL
            } else {
                fill(q.effect.get(j * nx + i).copied().unwrap_or(Effect::Unknown))
            }
        })
        .collect();
    let mut keys = vec![
        map::Key {
            fill: fill(Effect::Lower).into(),
            text: q.words.0.into(),
        },
        map::Key {
            fill: fill(Effect::Higher).into(),
            text: q.words.1.into(),
        },
        map::Key {
            fill: fill(Effect::None).into(),
            text: "no difference".into(),
        },
    ];
    if q.tied.contains(&true) || q.exact.iter().any(|r| r.1) {
        keys.push(map::Key {
            fill: TIED_FILL.into(),
            text: "depends on how a tie is broken".into(),
        });
    }
    if q.effect.contains(&Effect::Unknown) {
        keys.push(map::Key {
            fill: fill(Effect::Unknown).into(),
            text: "the model cannot be evaluated".into(),
        });
    }
    let points: Vec<map::Point> = q
        .points
        .iter()
        .map(|(name, x, y)| map::Point {
            name: name.clone(),
            x: *x,
            y: *y,
        })
        .collect();
    let shapes: Vec<map::Shape> = q
        .exact
        .iter()
        .map(|(e, tied, rings)| map::Shape {
            fill: if *tied { TIED_FILL } else { fill(*e) }.to_string(),
            rings: rings.clone(),
        })
        .collect();
    map::figure_with(
        &map::Map {
            title: q.title,
            x: (q.x.0, &ex),
            y: (q.y.0, &ey),
            fills: &fills,
            keys: &keys,
            points: &points,
            note: q.note,
        },
        &shapes,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_marked_at_midpoints() {
        let t = outcome_changes(&[0.0, 1.0, 2.0, 3.0], &["a", "a", "b", "a"]);
        assert_eq!(t, vec![1.5, 2.5]);
    }

    #[test]
    fn region_map_has_rectangles_and_legend_text() {
        let svg = region_svg(&RegionMap {
            title: "t",
            x: ("x", &edges(&[0.0, 1.0, 2.0])),
            y: ("y", &edges(&[0.0, 1.0])),
            cells: &[0, 0, 0, 1, 1, 1],
            legend: &["first outcome".into(), "second outcome".into()],
            answers: &[],
            good: None,
        })
        .unwrap();
        assert!(svg.contains("first outcome") && svg.contains("second outcome"));
        // Two runs per row merge into one rectangle per class and row: 4 cells' rects.
        assert!(svg.matches("<rect").count() >= 4, "{svg}");
        let bad = region_svg(&RegionMap {
            cells: &[0],
            ..RegionMap {
                title: "t",
                x: ("x", &edges(&[0.0, 1.0])),
                y: ("y", &edges(&[0.0])),
                cells: &[],
                legend: &[],
                answers: &[],
                good: None,
            }
        });
        assert!(bad.is_err());
    }

    #[test]
    fn line_chart_marks_thresholds() {
        let svg = line_svg(&LineChart {
            title: "chart",
            x_name: "T",
            xs: &[0.0, 0.5, 1.0],
            probs: &[Series {
                name: "P(challenge)".into(),
                values: vec![1.0, 0.0, 0.0],
            }],
            payoffs: &[Series {
                name: "Protege".into(),
                values: vec![0.1, 0.2, f64::NAN],
            }],
            thresholds: &[0.25],
        })
        .unwrap();
        assert!(
            svg.contains("P(challenge)") && svg.contains("Protege"),
            "{svg}"
        );
        assert!(svg.contains("<svg"));
    }
}
