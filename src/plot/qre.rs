//! The logit path as SVG: every action's probability against the precision λ, in the house
//! style of [`super::line`] (ticks ≥ 11 px, legend outside the data, a dash pattern per curve,
//! a title that wraps).
//!
//! λ runs from 0 to values in the thousands while the interesting changes happen near the
//! start, so the horizontal axis is `log₁₀(1 + λ)`, with ticks at round values of λ itself
//! (0, 1, 10, 100, …, and 2 and 5 times those while they fit). One line per action (the
//! profile's order); a legend when there are few enough lines to read one.

use super::axis::label;
use super::canvas::{text_width, Anchor, Canvas, Rect};
use super::colour::{dash, series as colour};
use super::{Figure, PlotError};
use std::fmt::Write;

/// Most lines that get a legend.
const LEGEND_MAX: usize = 16;
const W: f64 = 780.0;
const ML: f64 = 70.0;
const PANEL_H: f64 = 300.0;
const TICK: f64 = 12.0;
const LEGEND: f64 = 12.0;

/// Round values of λ to mark on a log axis reaching `log₁₀(1 + λ) = x1`.
fn lambda_ticks(x1: f64) -> Vec<f64> {
    let max = 10f64.powf(x1) - 1.0;
    let mut out = vec![0.0];
    let mut decade = 1.0;
    while decade <= max * (1.0 + 1e-9) {
        out.push(decade);
        decade *= 10.0;
    }
    // Few decades: add 2× and 5× marks for a readable axis.
    if out.len() < 5 {
        let extra: Vec<f64> = out
            .iter()
            .skip(1)
            .flat_map(|&d| [2.0 * d, 5.0 * d])
            .filter(|&v| v <= max * (1.0 + 1e-9))
            .collect();
        out.extend(extra);
        out.sort_by(f64::total_cmp);
    }
    out
}

/// The path as a figure: `lambdas[k]` and `probs[k][a]` for every point `k` (non-finite λ, such
/// as the limit's, are left out), `labels[a]` naming each action.
pub fn path_figure(
    title: &str,
    labels: &[String],
    lambdas: &[f64],
    probs: &[Vec<f64>],
) -> Result<Figure, PlotError> {
    let pts: Vec<(f64, &Vec<f64>)> = lambdas
        .iter()
        .zip(probs)
        .filter(|(l, _)| l.is_finite() && **l >= 0.0)
        .map(|(l, p)| ((1.0 + l).log10(), p))
        .collect();
    if pts.len() < 2 {
        return Err(PlotError::Data(
            "nothing to plot: fewer than two points".into(),
        ));
    }
    let x1 = pts.iter().map(|p| p.0).fold(0.0, f64::max).max(1e-3);
    let legend = labels.len() <= LEGEND_MAX;
    let legend_w = if legend {
        labels
            .iter()
            .map(|s| text_width(s, LEGEND, false) + 36.0)
            .fold(150.0f64, f64::max)
            .min(260.0)
    } else {
        0.0
    };
    let plot_r = W - legend_w - 28.0;
    let mut cv = Canvas::new();
    let y = super::frame::title(&mut cv, title, W);
    let top = y + 16.0;
    let bottom = top + PANEL_H;
    let px = |x: f64| ML + x / x1 * (plot_r - ML);
    let py = |v: f64| bottom - (v + 0.05) / 1.1 * PANEL_H;
    super::frame::frame(
        &mut cv,
        Rect {
            x0: ML,
            y0: top,
            x1: plot_r,
            y1: bottom,
        },
    );
    for v in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let yy = py(v);
        cv.line((ML - 5.0, yy), (ML, yy), r##"stroke="#333""##);
        cv.line((ML, yy), (plot_r, yy), r##"stroke="#eeeeee""##);
        cv.text((ML - 8.0, yy + 4.0), Anchor::End, TICK, "", &label(v, 0.25));
    }
    let mut last_right = f64::NEG_INFINITY;
    for l in lambda_ticks(x1) {
        let xx = px((1.0 + l).log10());
        let text = label(l, 1.0);
        let w = text_width(&text, TICK, false);
        // Skip a tick whose label would touch the previous one.
        if xx - w / 2.0 < last_right + 6.0 {
            continue;
        }
        last_right = xx + w / 2.0;
        cv.line((xx, bottom), (xx, bottom + 5.0), r##"stroke="#333""##);
        cv.line((xx, top), (xx, bottom), r##"stroke="#f2f2f2""##);
        cv.text((xx, bottom + 19.0), Anchor::Middle, TICK, "", &text);
    }
    cv.raw(&format!(
        r#"<text transform="translate({:.1},{:.1}) rotate(-90)" font-size="{TICK}" text-anchor="middle" font-style="italic">probability</text>"#,
        18.0,
        (top + bottom) / 2.0,
    ));
    for (a, _) in labels.iter().enumerate() {
        let mut d = String::new();
        for (k, (x, p)) in pts.iter().enumerate() {
            let Some(&v) = p.get(a) else { continue };
            let _ = write!(
                d,
                "{}{:.1},{:.1}",
                if k == 0 { "M" } else { " L" },
                px(*x),
                py(v)
            );
        }
        let dash_attr = match dash(a) {
            "" => String::new(),
            p => format!(r#" stroke-dasharray="{p}""#),
        };
        cv.raw(&format!(
            r#"<path class="curve" d="{d}" fill="none" stroke="{}" stroke-width="2"{dash_attr}/>"#,
            colour(a)
        ));
    }
    if legend {
        super::line::legend(
            &mut cv,
            (plot_r + 16.0, top + 12.0),
            labels.iter().map(String::as_str),
            legend_w,
        );
    }
    let axis_y = bottom + 42.0;
    cv.text(
        ((ML + plot_r) / 2.0, axis_y),
        Anchor::Middle,
        13.0,
        r#"font-style="italic""#,
        "λ (logit precision; the axis is log(1 + λ))",
    );
    let texts = cv.texts.clone();
    Ok(Figure {
        svg: cv.finish(W, axis_y + 16.0, title, "deter-plot"),
        texts,
    })
}

/// [`path_figure`]'s SVG text.
pub fn path_svg(
    title: &str,
    labels: &[String],
    lambdas: &[f64],
    probs: &[Vec<f64>],
) -> Result<String, PlotError> {
    path_figure(title, labels, lambdas, probs).map(|f| f.svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_every_action_without_overlapping_text() {
        let labels = vec!["P1: H".to_string(), "P1: T".to_string()];
        let lambdas = [0.0, 1.0, 10.0, 1000.0, f64::INFINITY];
        let probs = vec![
            vec![0.5, 0.5],
            vec![0.6, 0.4],
            vec![0.9, 0.1],
            vec![0.99, 0.01],
            vec![1.0, 0.0],
        ];
        let f = path_figure("pennies", &labels, &lambdas, &probs).unwrap();
        assert!(f.svg.starts_with("<svg") && f.svg.contains("P1: T"));
        assert_eq!(f.svg.matches(r#"class="curve""#).count(), 2);
        assert!(super::super::overlaps(&f.texts).is_empty());
        // Ticks at round λ, every label at least 11 px.
        for t in ["0", "1", "10", "100", "1000"] {
            assert!(f.texts.iter().any(|b| b.text == t), "tick {t}");
        }
        assert!(f.svg.contains(r#"font-size="12""#));
        assert!(path_svg("x", &labels, &lambdas[..1], &probs[..1]).is_err());
    }

    #[test]
    fn few_decades_get_intermediate_ticks() {
        assert_eq!(
            lambda_ticks((1.0f64 + 20.0).log10()),
            vec![0.0, 1.0, 2.0, 5.0, 10.0, 20.0]
        );
    }
}
