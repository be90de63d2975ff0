//! The logit path as SVG: every action's probability against the precision λ.
//!
//! λ runs from 0 to values in the thousands while the interesting changes happen near the
//! start, so the horizontal axis is `log₁₀(1 + λ)`, labelled with λ itself. One line per action
//! (the profile's order); a legend when there are few enough lines to read one.

use super::{color, draw_err, PlotError};
use plotters::prelude::*;

/// Most lines that get a legend.
const LEGEND_MAX: usize = 16;

/// The path as SVG text: `lambdas[k]` and `probs[k][a]` for every point `k` (non-finite λ, such
/// as the limit's, are left out), `labels[a]` naming each action.
pub fn path_svg(
    title: &str,
    labels: &[String],
    lambdas: &[f64],
    probs: &[Vec<f64>],
) -> Result<String, PlotError> {
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
    let mut s = String::new();
    {
        let root = SVGBackend::with_string(&mut s, (900, 560)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        let root = root.titled(title, ("sans-serif", 20)).map_err(draw_err)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(55)
            .right_y_label_area_size(if labels.len() <= LEGEND_MAX { 0 } else { 10 })
            .build_cartesian_2d(0.0..x1, -0.02..1.02)
            .map_err(draw_err)?;
        let fmt = |v: &f64| {
            let l = 10f64.powf(*v) - 1.0;
            if l < 10.0 {
                format!("{l:.1}")
            } else {
                format!("{l:.0}")
            }
        };
        chart
            .configure_mesh()
            .x_desc("λ (logit precision, log scale)")
            .y_desc("probability")
            .x_label_formatter(&fmt)
            .label_style(("sans-serif", 13))
            .draw()
            .map_err(draw_err)?;
        for (a, name) in labels.iter().enumerate() {
            let col = color(a);
            let line: Vec<(f64, f64)> = pts
                .iter()
                .filter_map(|(x, p)| p.get(a).map(|&y| (*x, y)))
                .collect();
            let series = chart
                .draw_series(LineSeries::new(line, col.stroke_width(2)))
                .map_err(draw_err)?;
            if labels.len() <= LEGEND_MAX {
                series.label(name.as_str()).legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 18, y)], col.stroke_width(2))
                });
            }
        }
        if labels.len() <= LEGEND_MAX {
            chart
                .configure_series_labels()
                .background_style(WHITE.mix(0.85))
                .border_style(BLACK)
                .label_font(("sans-serif", 13))
                .position(SeriesLabelPosition::UpperLeft)
                .draw()
                .map_err(draw_err)?;
        }
        root.present().map_err(draw_err)?;
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_every_action() {
        let labels = vec!["P1: H".to_string(), "P1: T".to_string()];
        let lambdas = [0.0, 1.0, 10.0, f64::INFINITY];
        let probs = vec![
            vec![0.5, 0.5],
            vec![0.6, 0.4],
            vec![0.9, 0.1],
            vec![1.0, 0.0],
        ];
        let svg = path_svg("pennies", &labels, &lambdas, &probs).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("P1: T"));
        assert!(path_svg("x", &labels, &lambdas[..1], &probs[..1]).is_err());
    }
}
