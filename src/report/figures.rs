//! The report's plots as plain SVG: event probabilities along a parameter, and a question's
//! answer as a coloured map over two parameters.
//!
//! Drawn directly (no plotting crate) so the output is small, deterministic text that inlines
//! in HTML. The map merges runs of equal cells in each row into one rectangle, so a 121 × 121
//! map is a few hundred elements.

use super::question::{Effect, QuestionMap};
use crate::draw::svg::esc;
use crate::output::words::num;
use std::fmt::Write;

const W: f64 = 640.0;
const H: f64 = 300.0;
const ML: f64 = 60.0;
const MR: f64 = 170.0;
const MT: f64 = 30.0;
const MB: f64 = 48.0;

/// Line colours for series, in order.
pub const SERIES: [&str; 8] = [
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf",
];

fn open(o: &mut String, w: f64, h: f64, title: &str) {
    let _ = writeln!(
        o,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0}" height="{h:.0}" viewBox="0 0 {w:.0} {h:.0}" font-family="Helvetica, Arial, sans-serif" font-size="12">"#
    );
    let _ = writeln!(o, "<title>{}</title>", esc(title));
    let _ = writeln!(o, r#"<rect width="100%" height="100%" fill="white"/>"#);
}

fn axes(o: &mut String, (x0, x1): (f64, f64), (y0, y1): (f64, f64), xl: &str, yl: &str) {
    let (pw, ph) = (W - ML - MR, H - MT - MB);
    let _ = writeln!(
        o,
        r#"<rect x="{ML}" y="{MT}" width="{pw}" height="{ph}" fill="none" stroke="black"/>"#
    );
    for k in 0..=4 {
        let f = k as f64 / 4.0;
        let (x, y) = (ML + f * pw, MT + ph - f * ph);
        let _ = writeln!(
            o,
            r#"<text x="{x:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            MT + ph + 16.0,
            num(x0 + f * (x1 - x0))
        );
        let _ = writeln!(
            o,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
            ML - 6.0,
            y + 4.0,
            num(y0 + f * (y1 - y0))
        );
    }
    let _ = writeln!(
        o,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-style="italic">{}</text>"#,
        ML + pw / 2.0,
        H - 10.0,
        esc(xl)
    );
    let _ = writeln!(
        o,
        r#"<text transform="translate(16,{:.1}) rotate(-90)" text-anchor="middle" font-style="italic">{}</text>"#,
        MT + ph / 2.0,
        esc(yl)
    );
}

/// Event probabilities along a parameter, thresholds dashed, the baseline value marked.
pub fn statics_svg(
    param: &str,
    xs: &[f64],
    series: &[(String, Vec<f64>)],
    thresholds: &[f64],
    base: f64,
) -> String {
    let mut o = String::new();
    open(
        &mut o,
        W,
        H,
        &format!("Equilibrium events as {param} varies"),
    );
    let (x0, x1) = (
        xs.first().copied().unwrap_or(0.0),
        xs.last().copied().unwrap_or(1.0),
    );
    let span = if x1 > x0 { x1 - x0 } else { 1.0 };
    let (pw, ph) = (W - ML - MR, H - MT - MB);
    let px = |x: f64| ML + (x - x0) / span * pw;
    let py = |y: f64| MT + ph - y * ph;
    axes(&mut o, (x0, x1), (0.0, 1.0), param, "probability");
    for &t in thresholds {
        let _ = writeln!(
            o,
            r##"<line class="threshold" x1="{x:.1}" y1="{MT}" x2="{x:.1}" y2="{:.1}" stroke="#555" stroke-dasharray="4,3"/><text x="{x:.1}" y="{:.1}" text-anchor="middle" font-size="11">{}</text>"##,
            MT + ph,
            MT - 6.0,
            num(t),
            x = px(t)
        );
    }
    for (k, (name, ys)) in series.iter().enumerate() {
        let colour = SERIES[k % SERIES.len()];
        // A small vertical offset per series keeps overlapping 0/1 lines visible.
        let off = (k as f64 - (series.len() as f64 - 1.0) / 2.0) * 2.0;
        let pts: Vec<String> = xs
            .iter()
            .zip(ys)
            .filter(|(_, y)| y.is_finite())
            .map(|(x, y)| format!("{:.1},{:.1}", px(*x), py(*y) + off))
            .collect();
        let _ = writeln!(
            o,
            r#"<polyline fill="none" stroke="{colour}" stroke-width="2" points="{}"/>"#,
            pts.join(" ")
        );
        let ly = MT + 14.0 + 18.0 * k as f64;
        let _ = writeln!(
            o,
            r#"<line x1="{:.1}" y1="{ly:.1}" x2="{:.1}" y2="{ly:.1}" stroke="{colour}" stroke-width="3"/><text x="{:.1}" y="{:.1}">P({})</text>"#,
            W - MR + 12.0,
            W - MR + 32.0,
            W - MR + 38.0,
            ly + 4.0,
            esc(name)
        );
    }
    let _ = writeln!(
        o,
        r#"<path d="M{:.1},{:.1} l-5,9 h10 z" fill="black"/><text x="{:.1}" y="{:.1}" font-size="10" text-anchor="middle">baseline</text>"#,
        px(base),
        MT + ph + 22.0,
        px(base),
        MT + ph + 42.0
    );
    o.push_str("</svg>\n");
    o
}

/// Colour and legend word of an effect on the map.
pub fn effect_style(e: Effect, lower: &str, higher: &str) -> (&'static str, String) {
    match e {
        Effect::Lower => ("#5dade2", lower.to_string()),
        Effect::Higher => ("#ec7063", higher.to_string()),
        Effect::None => ("#eaeded", "no difference".to_string()),
        Effect::Unknown => ("#ffffff", "cannot be evaluated".to_string()),
    }
}

/// A question's map: cells coloured by effect, a legend, and labelled points (scenarios, the
/// baseline) drawn on top.
pub fn region_svg(
    m: &QuestionMap,
    (xl, yl): (&str, &str),
    (lower, higher): (&str, &str),
    points: &[(String, f64, f64)],
    title: &str,
) -> String {
    let mut o = String::new();
    open(&mut o, W, H, title);
    let (pw, ph) = (W - ML - MR, H - MT - MB);
    let (nx, ny) = (m.xs.len(), m.ys.len());
    let (cw, ch) = (pw / nx as f64, ph / ny as f64);
    o.push_str("<g shape-rendering=\"crispEdges\">\n");
    for j in 0..ny {
        let mut i = 0;
        while i < nx {
            let e = m.effect[j * nx + i];
            let mut k = i + 1;
            while k < nx && m.effect[j * nx + k] == e {
                k += 1;
            }
            let (fill, _) = effect_style(e, lower, higher);
            let _ = writeln!(
                o,
                r#"<rect x="{:.2}" y="{:.2}" width="{:.2}" height="{:.2}" fill="{fill}"/>"#,
                ML + i as f64 * cw,
                MT + ph - (j + 1) as f64 * ch,
                (k - i) as f64 * cw + 0.3,
                ch + 0.3
            );
            i = k;
        }
    }
    o.push_str("</g>\n");
    let xr = (m.xs[0], m.xs[nx - 1]);
    let yr = (m.ys[0], m.ys[ny - 1]);
    axes(&mut o, xr, yr, xl, yl);
    let px = |x: f64| ML + (x - xr.0) / (xr.1 - xr.0).max(1e-300) * pw;
    let py = |y: f64| MT + ph - (y - yr.0) / (yr.1 - yr.0).max(1e-300) * ph;
    for (name, x, y) in points {
        let _ = writeln!(
            o,
            r#"<circle cx="{:.1}" cy="{:.1}" r="4" fill="black"/><text x="{:.1}" y="{:.1}" font-size="11" stroke="white" stroke-width="3" paint-order="stroke">{}</text>"#,
            px(*x),
            py(*y),
            px(*x) + 6.0,
            py(*y) - 6.0,
            esc(name)
        );
    }
    for (k, e) in [Effect::Lower, Effect::Higher, Effect::None]
        .iter()
        .enumerate()
    {
        let (fill, word) = effect_style(*e, lower, higher);
        let ly = MT + 8.0 + 22.0 * k as f64;
        let _ = writeln!(
            o,
            r##"<rect x="{:.1}" y="{ly:.1}" width="16" height="14" fill="{fill}" stroke="#999"/><text x="{:.1}" y="{:.1}">{}</text>"##,
            W - MR + 12.0,
            W - MR + 34.0,
            ly + 11.0,
            esc(&word)
        );
    }
    o.push_str("</svg>\n");
    o
}
