//! The line chart: event probabilities (top panel) and expected payoffs (bottom panel) along
//! one parameter.
//!
//! Equilibrium quantities jump where the equilibrium changes, so a sample pair that straddles a
//! threshold is drawn as a step — flat to the threshold, a vertical jump, flat on — never as a
//! slanted line; between thresholds the samples are joined as they are (smooth curves, such as
//! a logit path, stay smooth). Curves that coincide are told apart: each curve has its own dash
//! pattern, a curve that lies on an earlier one is drawn a few pixels beside it, and a note
//! says which curves are equal. Legends and notes sit outside the data, to the right; a
//! threshold where nothing plotted changes is labelled as a change off the path of play.

use super::axis::{label, ticks};
use super::canvas::{text_width, wrap, Anchor, Canvas, Rect};
use super::colour::{dash, series as colour};
use super::{Figure, LineChart, PlotError, Series};
use std::fmt::Write;

const W: f64 = 780.0;
const ML: f64 = 70.0;
const PANEL_H: f64 = 210.0;
const TICK: f64 = 12.0;
const LEGEND: f64 = 12.0;
const NOTE: f64 = 11.0;
/// Pixels between curves drawn side by side.
const OFFSET: f64 = 2.5;

/// True if `a` and `b` are equal (within rounding).
fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// For each series, how many earlier ones it meets somewhere (its slot beside them), and for
/// each series equal to an earlier one everywhere, that one's index.
fn coincidences(s: &[Series]) -> (Vec<usize>, Vec<Option<usize>>) {
    let mut slot = vec![0usize; s.len()];
    let mut equal = vec![None; s.len()];
    for k in 0..s.len() {
        let mut meets = 0;
        for j in 0..k {
            let pairs: Vec<(f64, f64)> = (s[j].values.iter().zip(&s[k].values))
                .filter(|(a, b)| a.is_finite() && b.is_finite())
                .map(|(a, b)| (*a, *b))
                .collect();
            let n_same = pairs.iter().filter(|(a, b)| same(*a, *b)).count();
            if n_same > 0 {
                meets += 1;
                if n_same == pairs.len() && equal[k].is_none() {
                    equal[k] = Some(equal[j].unwrap_or(j));
                }
            }
        }
        slot[k] = meets;
    }
    (slot, equal)
}

/// Vertical offset in pixels of slot `m`: 0, +1, −1, +2, −2, … steps of [`OFFSET`].
fn offset(m: usize) -> f64 {
    let step = m.div_ceil(2) as f64 * OFFSET;
    if m % 2 == 1 {
        step
    } else {
        -step
    }
}

/// The x-axis name: a parameter typeset as in the tree figure (`c_D` as c with subscript D,
/// `psi0` as ψ₀); any other name (a column heading) as written, in italics.
pub(super) fn axis_name(cv: &mut Canvas, at: (f64, f64), name: &str) {
    use crate::draw::typeset;
    if !is_parameter_name(name) {
        cv.text(at, Anchor::Middle, 13.0, r#"font-style="italic""#, name);
        return;
    }
    let p = [typeset::variable(name)];
    cv.rich_text(
        at,
        Anchor::Middle,
        13.0,
        typeset::width(&p, 13.0),
        "",
        &typeset::svg(&p),
        &typeset::plain(&p),
    );
}

/// True if `name` is an identifier (a parameter), which axes typeset; else a heading.
pub(super) fn is_parameter_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| c.is_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
}

/// A legend at `(lx, ly)`: for each name, in order, a short stroke in the series' colour and
/// dash pattern and the name wrapped to `width`. Returns the baseline below the last entry.
pub(super) fn legend<'n>(
    cv: &mut Canvas,
    (lx, mut ly): (f64, f64),
    names: impl Iterator<Item = &'n str>,
    width: f64,
) -> f64 {
    for (k, name) in names.enumerate() {
        let dash_attr = match dash(k) {
            "" => String::new(),
            p => format!(r#" stroke-dasharray="{p}""#),
        };
        cv.raw(&format!(
            r#"<line x1="{lx:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{}" stroke-width="2.5"{dash_attr}/>"#,
            ly - 4.0,
            lx + 26.0,
            ly - 4.0,
            colour(k)
        ));
        for (i, line) in wrap(name, LEGEND, false, width - 36.0).iter().enumerate() {
            if i > 0 {
                ly += 16.0;
            }
            cv.text((lx + 32.0, ly), Anchor::Start, LEGEND, "", line);
        }
        ly += 18.0;
    }
    ly
}

struct Panel<'a> {
    series: &'a [Series],
    y_name: &'a str,
    range: (f64, f64),
}

/// The points of one curve as SVG path data, with steps at thresholds.
fn path_data(
    xs: &[f64],
    ys: &[f64],
    thresholds: &[f64],
    px: &dyn Fn(f64) -> f64,
    py: &dyn Fn(f64) -> f64,
    dy: f64,
) -> String {
    let mut d = String::new();
    let mut prev: Option<(f64, f64)> = None;
    for (&x, &y) in xs.iter().zip(ys) {
        if !(x.is_finite() && y.is_finite()) {
            prev = None;
            continue;
        }
        let (sx, sy) = (px(x), py(y) + dy);
        match prev {
            None => {
                let _ = write!(d, "M{sx:.1},{sy:.1}");
            }
            Some((x0, y0)) => {
                // A threshold between the samples, or on one of them (a grid point can be the
                // threshold itself, where the equilibrium is a tie).
                let near = |a: f64, b: f64| (a - b).abs() <= 1e-9 * (x - x0).abs();
                let jump = thresholds
                    .iter()
                    .find(|&&t| (t > x0 || near(t, x0)) && (t < x || near(t, x)));
                match jump {
                    Some(&t) if !same(y0, y) => {
                        let tx = px(t);
                        let _ = write!(d, " H{tx:.1} V{sy:.1} H{sx:.1}");
                    }
                    _ => {
                        let _ = write!(d, " L{sx:.1},{sy:.1}");
                    }
                }
            }
        }
        prev = Some((x, y));
    }
    d
}

fn extent(series: &[Series]) -> (f64, f64) {
    let vals = series.iter().flat_map(|s| s.values.iter().copied());
    let (lo, hi) = vals
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
    if !lo.is_finite() {
        (0.0, 1.0)
    } else if hi - lo < 1e-12 {
        (lo - 0.5, hi + 0.5)
    } else {
        let pad = (hi - lo) * 0.06;
        (lo - pad, hi + pad)
    }
}

/// Thresholds where no plotted value changes between the samples on either side.
fn invisible(c: &LineChart<'_>) -> Vec<bool> {
    c.thresholds
        .iter()
        .map(|&t| {
            let right = c.xs.iter().position(|&x| x > t);
            match right {
                Some(r) if r > 0 => c.probs.iter().chain(c.payoffs).all(|s| {
                    let (a, b) = (s.values[r - 1], s.values[r]);
                    !(a.is_finite() && b.is_finite()) || same(a, b)
                }),
                _ => false,
            }
        })
        .collect()
}

/// Draws the chart; see the module doc.
pub fn figure(c: &LineChart<'_>) -> Result<Figure, PlotError> {
    figure_with_bands(c, &[], "")
}

/// A confidence band around a curve of the probability panel: its lower and upper end at each
/// x.
#[derive(Clone, Debug, PartialEq)]
pub struct Interval {
    /// Lower end at each x (NaN leaves a gap).
    pub lo: Vec<f64>,
    /// Upper end at each x.
    pub hi: Vec<f64>,
}

/// The band of one curve as SVG path data: the upper edge left to right, the lower edge back
/// (one closed polygon per run of finite values), clipped to the panel.
fn band_data(
    xs: &[f64],
    band: &Interval,
    px: &dyn Fn(f64) -> f64,
    py: &dyn Fn(f64) -> f64,
    range: (f64, f64),
) -> String {
    let mut d = String::new();
    let clip = |v: f64| v.clamp(range.0, range.1);
    let ok = |i: usize| xs[i].is_finite() && band.lo[i].is_finite() && band.hi[i].is_finite();
    let n = xs.len().min(band.lo.len()).min(band.hi.len());
    let mut i = 0;
    while i < n {
        if !ok(i) {
            i += 1;
            continue;
        }
        let start = i;
        while i < n && ok(i) {
            i += 1;
        }
        for (j, (&x, &hi)) in xs.iter().zip(&band.hi).enumerate().take(i).skip(start) {
            let c = if j == start { 'M' } else { 'L' };
            let _ = write!(d, "{c}{:.1},{:.1} ", px(x), py(clip(hi)));
        }
        for j in (start..i).rev() {
            let _ = write!(d, "L{:.1},{:.1} ", px(xs[j]), py(clip(band.lo[j])));
        }
        d.push('Z');
    }
    d
}

/// [`figure`] with a shaded confidence band under curve `k` of the probability panel for each
/// `bands[k]` (fewer bands than curves: the rest have none), and `note` (what the bands are)
/// under that panel's legend.
pub fn figure_with_bands(
    c: &LineChart<'_>,
    bands: &[Interval],
    note: &str,
) -> Result<Figure, PlotError> {
    if c.xs.is_empty() {
        return Err(PlotError::Data("nothing to plot: no points".into()));
    }
    let mut cv = Canvas::new();
    let legend_w = c
        .probs
        .iter()
        .chain(c.payoffs)
        .map(|s| text_width(&s.name, LEGEND, false) + 36.0)
        .fold(150.0f64, f64::max)
        .min(260.0);
    let plot_r = W - legend_w - 28.0;
    let pw = plot_r - ML;
    // Title, wrapped.
    let mut y = super::frame::title(&mut cv, &c.title.replace('`', ""), W);
    let (x0, x1) = {
        let lo = c.xs.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = c.xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if hi > lo {
            (lo, hi)
        } else {
            (lo - 0.5, lo + 0.5)
        }
    };
    let px = move |x: f64| ML + (x - x0) / (x1 - x0) * pw;
    // Threshold labels above the first panel, in as many rows as they need.
    let hidden = invisible(c);
    let mut rows: Vec<Vec<Rect>> = Vec::new();
    let mut placed: Vec<(f64, usize, String)> = Vec::new();
    for (k, &t) in c.thresholds.iter().enumerate() {
        let text = if hidden[k] {
            format!("{} (off the path)", label(t, (x1 - x0) / 1000.0))
        } else {
            label(t, (x1 - x0) / 1000.0)
        };
        let w = text_width(&text, TICK, false);
        let r = Rect {
            x0: px(t) - w / 2.0 - 3.0,
            y0: 0.0,
            x1: px(t) + w / 2.0 + 3.0,
            y1: 1.0,
        };
        let row = (0..)
            .find(|&i| {
                rows.get(i)
                    .is_none_or(|v: &Vec<Rect>| v.iter().all(|o| !o.intersects(&r)))
            })
            .unwrap_or(0);
        if rows.len() <= row {
            rows.resize(row + 1, Vec::new());
        }
        rows[row].push(r);
        placed.push((t, row, text));
    }
    y += 14.0;
    let label_top = y;
    y += 16.0 * rows.len() as f64 + if rows.is_empty() { 0.0 } else { 4.0 };
    let panels = [
        Panel {
            series: c.probs,
            y_name: "probability",
            range: (-0.05, 1.05),
        },
        Panel {
            series: c.payoffs,
            y_name: "expected payoff",
            range: extent(c.payoffs),
        },
    ];
    let mut notes: Vec<String> = Vec::new();
    let mut first_top = None;
    let mut last_bottom = y;
    for (pi, panel) in panels.iter().enumerate() {
        if panel.series.is_empty() {
            continue;
        }
        let top = y;
        let bottom = top + PANEL_H;
        first_top.get_or_insert(top);
        let (y0, y1) = panel.range;
        let py = move |v: f64| bottom - (v - y0) / (y1 - y0) * PANEL_H;
        super::frame::frame(
            &mut cv,
            Rect {
                x0: ML,
                y0: top,
                x1: plot_r,
                y1: bottom,
            },
        );
        // Ticks.
        let yt = if pi == 0 {
            vec![0.0, 0.25, 0.5, 0.75, 1.0]
        } else {
            ticks(y0, y1, 5)
        };
        let ystep = if yt.len() > 1 { yt[1] - yt[0] } else { 1.0 };
        for &v in &yt {
            let yy = py(v);
            cv.line((ML - 5.0, yy), (ML, yy), r##"stroke="#333""##);
            cv.line((ML, yy), (plot_r, yy), r##"stroke="#eeeeee""##);
            cv.text(
                (ML - 8.0, yy + 4.0),
                Anchor::End,
                TICK,
                "",
                &label(v, ystep),
            );
        }
        let xt = ticks(x0, x1, 6);
        let xstep = if xt.len() > 1 { xt[1] - xt[0] } else { 1.0 };
        for &v in &xt {
            let xx = px(v);
            cv.line((xx, bottom), (xx, bottom + 5.0), r##"stroke="#333""##);
            cv.text(
                (xx, bottom + 19.0),
                Anchor::Middle,
                TICK,
                "",
                &label(v, xstep),
            );
        }
        cv.raw(&format!(
            r#"<text transform="translate({:.1},{:.1}) rotate(-90)" font-size="{TICK}" text-anchor="middle" font-style="italic">{}</text>"#,
            18.0,
            (top + bottom) / 2.0,
            super::canvas::esc(panel.y_name)
        ));
        // Thresholds.
        for (k, &t) in c.thresholds.iter().enumerate() {
            let colour = if hidden[k] { "#999999" } else { "#444444" };
            cv.line(
                (px(t), top),
                (px(t), bottom),
                &format!(r#"class="threshold" stroke="{colour}" stroke-dasharray="5,4""#),
            );
        }
        // Confidence bands, under the curves.
        if pi == 0 {
            for (k, b) in bands.iter().enumerate().take(panel.series.len()) {
                cv.raw(&format!(
                    r#"<path class="band" d="{}" fill="{}" fill-opacity="0.18" stroke="none"/>"#,
                    band_data(c.xs, b, &px, &py, panel.range),
                    colour(k)
                ));
            }
        }
        // Curves.
        let (slot, equal) = coincidences(panel.series);
        for (k, s) in panel.series.iter().enumerate() {
            let d = path_data(c.xs, &s.values, c.thresholds, &px, &py, offset(slot[k]));
            let dash_attr = match dash(k) {
                "" => String::new(),
                p => format!(r#" stroke-dasharray="{p}""#),
            };
            cv.raw(&format!(
                r#"<path class="curve" d="{d}" fill="none" stroke="{}" stroke-width="2"{dash_attr}/>"#,
                colour(k)
            ));
        }
        // Legend, right of the plot.
        let mut ly = legend(
            &mut cv,
            (plot_r + 16.0, top + 12.0),
            panel.series.iter().map(|s| s.name.as_str()),
            legend_w,
        );
        let lx = plot_r + 16.0;
        let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
        for (k, e) in equal.iter().enumerate() {
            if let Some(j) = e {
                match groups.iter_mut().find(|g| g.0 == *j) {
                    Some(g) => g.1.push(k),
                    None => groups.push((*j, vec![k])),
                }
            }
        }
        let mut panel_notes = Vec::new();
        for (j, ks) in &groups {
            let names: Vec<&str> = ks.iter().map(|&k| panel.series[k].name.as_str()).collect();
            panel_notes.push(format!(
                "{} {} equal to {} everywhere.",
                crate::output::words::and_unique(
                    &names.iter().map(|s| s.to_string()).collect::<Vec<_>>()
                ),
                if names.len() == 1 { "is" } else { "are" },
                panel.series[*j].name
            ));
        }
        if slot.iter().any(|&m| m > 0) {
            panel_notes.push(format!("Curves that coincide are drawn {OFFSET} px apart."));
        }
        if pi == 0 && !bands.is_empty() && !note.is_empty() {
            panel_notes.push(note.to_string());
        }
        ly += 4.0;
        for n in panel_notes {
            for line in wrap(&n, NOTE, false, legend_w) {
                cv.text((lx, ly), Anchor::Start, NOTE, r##"fill="#444""##, &line);
                ly += 14.0;
            }
        }
        let _ = &mut notes;
        y = bottom + 40.0;
        last_bottom = bottom;
    }
    // Threshold labels, then the x-axis name below the last panel.
    for (t, row, text) in &placed {
        let colour = if text.contains("off the path") {
            "#777777"
        } else {
            "#222222"
        };
        cv.text(
            (px(*t), label_top + 12.0 + 16.0 * *row as f64),
            Anchor::Middle,
            TICK,
            &format!(r#"fill="{colour}""#),
            text,
        );
    }
    let mut bottom_y = last_bottom + 40.0;
    axis_name(&mut cv, ((ML + plot_r) / 2.0, bottom_y), c.x_name);
    if hidden.iter().any(|&h| h) {
        for line in wrap(
            "“off the path”: the equilibrium changes only in moves off the path of play, so \
             nothing plotted changes there.",
            NOTE,
            false,
            W - 40.0,
        ) {
            bottom_y += 16.0;
            cv.text(
                (20.0, bottom_y),
                Anchor::Start,
                NOTE,
                r##"fill="#444""##,
                &line,
            );
        }
    }
    let height = bottom_y + 14.0;
    let texts = cv.texts.clone();
    Ok(Figure {
        svg: cv.finish(W, height, &c.title.replace('`', ""), "deter-plot"),
        texts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_at_thresholds_and_straight_elsewhere() {
        let px = |x: f64| x * 100.0;
        let py = |y: f64| 100.0 - y * 100.0;
        let d = path_data(&[0.0, 1.0, 2.0], &[0.0, 0.0, 1.0], &[1.5], &px, &py, 0.0);
        assert_eq!(d, "M0.0,100.0 L100.0,100.0 H150.0 V0.0 H200.0");
        let d = path_data(&[0.0, 1.0], &[0.0, 0.5], &[], &px, &py, 0.0);
        assert_eq!(d, "M0.0,100.0 L100.0,50.0");
        // A threshold on a sample: the jump is vertical there.
        let d = path_data(&[0.0, 1.0, 2.0], &[0.0, 0.0, 1.0], &[1.0], &px, &py, 0.0);
        assert_eq!(d, "M0.0,100.0 L100.0,100.0 H100.0 V0.0 H200.0");
    }

    #[test]
    fn a_parameter_on_the_axis_is_typeset_and_a_heading_is_not() {
        let mut cv = Canvas::new();
        axis_name(&mut cv, (10.0, 10.0), "psi0");
        axis_name(&mut cv, (10.0, 30.0), "c_D");
        axis_name(&mut cv, (10.0, 50.0), "share (%)");
        let svg = cv.finish(100.0, 100.0, "t", "deter-plot");
        assert!(
            svg.contains(r#"<tspan font-style="italic">ψ</tspan>"#),
            "{svg}"
        );
        assert!(
            svg.contains(r#"<tspan font-style="italic">c</tspan>"#),
            "{svg}"
        );
        assert!(!svg.contains(">c_D<") && !svg.contains(">psi0<"), "{svg}");
        assert!(svg.contains(">share (%)<"), "{svg}");
    }

    #[test]
    fn a_band_is_one_closed_polygon_per_run_clipped_to_the_panel() {
        let px = |x: f64| x * 100.0;
        let py = |y: f64| 100.0 - y * 100.0;
        let b = Interval {
            lo: vec![-0.2, 0.1, f64::NAN, 0.5],
            hi: vec![0.5, 0.6, 0.7, 1.5],
        };
        let d = band_data(&[0.0, 1.0, 2.0, 3.0], &b, &px, &py, (-0.05, 1.05));
        assert_eq!(
            d,
            "M0.0,50.0 L100.0,40.0 L100.0,90.0 L0.0,105.0 ZM300.0,-5.0 L300.0,50.0 Z"
        );
    }

    #[test]
    fn coinciding_curves_are_found() {
        let s = |v: &[f64]| Series {
            name: "s".into(),
            values: v.to_vec(),
        };
        let (slot, equal) = coincidences(&[s(&[0.0, 1.0]), s(&[0.0, 1.0]), s(&[0.0, 0.5])]);
        assert_eq!(equal, vec![None, Some(0), None]);
        assert_eq!(slot, vec![0, 1, 2]);
        assert_eq!((offset(0), offset(1), offset(2)), (0.0, OFFSET, -OFFSET));
    }
}
