//! Fitted outcome probabilities with confidence bands against one variable (`deter fit
//! --plot`), and the plotters helpers the band chart and the logit path ([`super::qre`]) share.

use super::PlotError;
use plotters::prelude::*;

pub(super) fn draw_err<E: std::fmt::Debug>(e: E) -> PlotError {
    PlotError::Draw(format!("{e:?}"))
}

/// Distinguishable colours (Okabe–Ito, then a few more), cycled.
const PALETTE: [RGBColor; 10] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
    RGBColor(240, 228, 66),
    RGBColor(120, 120, 120),
    RGBColor(0, 0, 0),
    RGBColor(150, 80, 200),
];

pub(super) fn color(k: usize) -> RGBColor {
    PALETTE[k % PALETTE.len()]
}

fn extent(v: &[f64]) -> (f64, f64) {
    let finite = v.iter().copied().filter(|x| x.is_finite());
    let lo = finite.clone().fold(f64::INFINITY, f64::min);
    let hi = finite.fold(f64::NEG_INFINITY, f64::max);
    if !lo.is_finite() {
        (0.0, 1.0)
    } else if hi - lo < 1e-12 {
        (lo - 0.5, hi + 0.5)
    } else {
        let pad = (hi - lo) * 0.05;
        (lo - pad, hi + pad)
    }
}

/// A curve with a confidence band.
#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    /// Legend text.
    pub name: String,
    /// The estimate at each x.
    pub values: Vec<f64>,
    /// Lower end of the band at each x.
    pub lo: Vec<f64>,
    /// Upper end of the band at each x.
    pub hi: Vec<f64>,
}

/// Probabilities with confidence bands against one variable (fitted outcome probabilities).
#[derive(Clone, Copy, Debug)]
pub struct BandChart<'a> {
    /// Title.
    pub title: &'a str,
    /// The x-axis label.
    pub x_name: &'a str,
    /// The x values, increasing.
    pub xs: &'a [f64],
    /// The curves.
    pub bands: &'a [Band],
}

/// The band chart as SVG: each curve a line over its shaded band, on a 0–1 scale.
pub fn band_svg(c: &BandChart<'_>) -> Result<String, PlotError> {
    if c.xs.len() < 2 {
        return Err(PlotError::Data(
            "nothing to plot: fewer than two points".into(),
        ));
    }
    let mut s = String::new();
    {
        let root = SVGBackend::with_string(&mut s, (900, 520)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        let root = root.titled(c.title, ("sans-serif", 20)).map_err(draw_err)?;
        let (x0, x1) = extent(c.xs);
        let mut chart = ChartBuilder::on(&root)
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(x0..x1, -0.02..1.02)
            .map_err(draw_err)?;
        chart
            .configure_mesh()
            .x_desc(c.x_name)
            .y_desc("probability")
            .label_style(("sans-serif", 14))
            .draw()
            .map_err(draw_err)?;
        for (k, b) in c.bands.iter().enumerate() {
            let col = color(k);
            let mut poly: Vec<(f64, f64)> =
                c.xs.iter().copied().zip(b.hi.iter().copied()).collect();
            poly.extend(c.xs.iter().copied().zip(b.lo.iter().copied()).rev());
            chart
                .draw_series(std::iter::once(Polygon::new(poly, col.mix(0.18).filled())))
                .map_err(draw_err)?;
            let pts: Vec<(f64, f64)> = c.xs.iter().copied().zip(b.values.iter().copied()).collect();
            chart
                .draw_series(LineSeries::new(pts, col.stroke_width(2)))
                .map_err(draw_err)?
                .label(b.name.as_str())
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], col.stroke_width(2)));
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .position(SeriesLabelPosition::UpperLeft)
            .draw()
            .map_err(draw_err)?;
        root.present().map_err(draw_err)?;
    }
    Ok(s)
}
