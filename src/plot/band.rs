//! Fitted outcome probabilities with confidence bands against one variable (`deter fit
//! --plot`), drawn by the line chart ([`super::line`]) with a band under each curve.

use super::PlotError;

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

/// The band chart as SVG, in the house style of [`super::line`]: each curve over its shaded
/// band, on the 0–1 probability panel, legend outside the data.
pub fn band_svg(c: &BandChart<'_>) -> Result<String, PlotError> {
    if c.xs.len() < 2 {
        return Err(PlotError::Data(
            "nothing to plot: fewer than two points".into(),
        ));
    }
    let series: Vec<super::Series> = c
        .bands
        .iter()
        .map(|b| super::Series {
            name: b.name.clone(),
            values: b.values.clone(),
        })
        .collect();
    let bands: Vec<super::line::Interval> = c
        .bands
        .iter()
        .map(|b| super::line::Interval {
            lo: b.lo.clone(),
            hi: b.hi.clone(),
        })
        .collect();
    let fig = super::line::figure_with_bands(
        &super::LineChart {
            title: c.title,
            x_name: c.x_name,
            xs: c.xs,
            probs: &series,
            payoffs: &[],
            thresholds: &[],
        },
        &bands,
        "Shaded: 95% confidence bands.",
    )?;
    Ok(fig.svg)
}
