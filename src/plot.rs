//! Sweep plots as SVG text: a line chart over one parameter, a region map over two.
//!
//! Drawn with plotters' SVG backend without any font feature: text is emitted as SVG `<text>`
//! elements for the viewer to render, so no font file is needed. Both functions return the SVG
//! as a `String`; callers write it (the CLI atomically). Thresholds are an input of
//! [`line_svg`] — from a symbolic analysis, or from [`outcome_changes`] on the grid itself.
//! A sweep's plot is assembled in bounded memory by [`crate::sweep::aggregate`].

pub mod qre;

use plotters::prelude::*;

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

fn draw_err<E: std::fmt::Debug>(e: E) -> PlotError {
    PlotError::Draw(format!("{e:?}"))
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

fn color(k: usize) -> RGBColor {
    PALETTE[k % PALETTE.len()]
}

/// Midpoints between adjacent x values where the label changes (`xs` and `labels` parallel).
pub fn outcome_changes<S: PartialEq>(xs: &[f64], labels: &[S]) -> Vec<f64> {
    xs.windows(2)
        .zip(labels.windows(2))
        .filter(|(_, l)| l[0] != l[1])
        .map(|(x, _)| (x[0] + x[1]) / 2.0)
        .collect()
}

fn extent(v: &[f64]) -> (f64, f64) {
    let lo = v
        .iter()
        .copied()
        .filter(|x| x.is_finite())
        .fold(f64::INFINITY, f64::min);
    let hi = v
        .iter()
        .copied()
        .filter(|x| x.is_finite())
        .fold(f64::NEG_INFINITY, f64::max);
    if !lo.is_finite() {
        (0.0, 1.0)
    } else if hi - lo < 1e-12 {
        (lo - 0.5, hi + 0.5)
    } else {
        let pad = (hi - lo) * 0.05;
        (lo - pad, hi + pad)
    }
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

type Area<'b> = DrawingArea<SVGBackend<'b>, plotters::coord::Shift>;

fn panel(
    area: &Area<'_>,
    c: &LineChart<'_>,
    series: &[Series],
    y_name: &str,
    y_range: (f64, f64),
) -> Result<(), PlotError> {
    let (x0, x1) = extent(c.xs);
    let mut chart = ChartBuilder::on(area)
        .margin(10)
        .x_label_area_size(35)
        .y_label_area_size(55)
        .build_cartesian_2d(x0..x1, y_range.0..y_range.1)
        .map_err(draw_err)?;
    chart
        .configure_mesh()
        .x_desc(c.x_name)
        .y_desc(y_name)
        .draw()
        .map_err(draw_err)?;
    for &t in c.thresholds {
        let pts = [(t, y_range.0), (t, y_range.1)];
        chart
            .draw_series(DashedLineSeries::new(pts, 6, 4, BLACK.stroke_width(1)))
            .map_err(draw_err)?;
    }
    for (k, s) in series.iter().enumerate() {
        let col = color(k);
        let pts: Vec<(f64, f64)> =
            c.xs.iter()
                .zip(&s.values)
                .filter(|(_, y)| y.is_finite())
                .map(|(&x, &y)| (x, y))
                .collect();
        chart
            .draw_series(LineSeries::new(pts, col.stroke_width(2)))
            .map_err(draw_err)?
            .label(s.name.as_str())
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], col.stroke_width(2)));
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .position(SeriesLabelPosition::UpperRight)
        .draw()
        .map_err(draw_err)?;
    Ok(())
}

/// The line chart as SVG: event probabilities against the parameter on top, expected payoffs
/// below, each threshold a vertical dashed line on both panels.
pub fn line_svg(c: &LineChart<'_>) -> Result<String, PlotError> {
    if c.xs.is_empty() {
        return Err(PlotError::Data("nothing to plot: no points".into()));
    }
    let mut s = String::new();
    {
        let root = SVGBackend::with_string(&mut s, (900, 700)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        let root = root.titled(c.title, ("sans-serif", 20)).map_err(draw_err)?;
        let (top, bottom) = root.split_vertically(330);
        panel(&top, c, c.probs, "probability", (-0.02, 1.02))?;
        let all: Vec<f64> = c
            .payoffs
            .iter()
            .flat_map(|s| s.values.iter().copied())
            .collect();
        panel(&bottom, c, c.payoffs, "expected payoff", extent(&all))?;
        root.present().map_err(draw_err)?;
    }
    Ok(s)
}

/// The region map as SVG: each grid cell filled with its class's colour (runs of equal cells
/// merged), and a legend in words below the map.
pub fn region_svg(m: &RegionMap<'_>) -> Result<String, PlotError> {
    let (nx, ny) = (m.x.1.len().saturating_sub(1), m.y.1.len().saturating_sub(1));
    if nx == 0 || ny == 0 || m.cells.len() != nx * ny {
        return Err(PlotError::Data(format!(
            "a region map needs {nx} × {ny} cells, got {}",
            m.cells.len()
        )));
    }
    let (ex, ey) = (m.x.1, m.y.1);
    let legend_h = 30 + 22 * m.legend.len() as u32;
    let mut s = String::new();
    {
        let root = SVGBackend::with_string(&mut s, (900, 640 + legend_h)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        let root = root.titled(m.title, ("sans-serif", 20)).map_err(draw_err)?;
        let (map, legend) = root.split_vertically(620);
        let mut chart = ChartBuilder::on(&map)
            .margin(15)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(ex[0]..ex[nx], ey[0]..ey[ny])
            .map_err(draw_err)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc(m.x.0)
            .y_desc(m.y.0)
            .draw()
            .map_err(draw_err)?;
        let mut rects = Vec::new();
        for iy in 0..ny {
            let mut ix = 0;
            while ix < nx {
                let k = m.cells[ix * ny + iy];
                let mut jx = ix + 1;
                while jx < nx && m.cells[jx * ny + iy] == k {
                    jx += 1;
                }
                rects.push(Rectangle::new(
                    [(ex[ix], ey[iy]), (ex[jx], ey[iy + 1])],
                    color(k).filled(),
                ));
                ix = jx;
            }
        }
        chart.draw_series(rects).map_err(draw_err)?;
        for (k, text) in m.legend.iter().enumerate() {
            let y = 10 + 22 * k as i32;
            legend
                .draw(&Rectangle::new([(70, y), (86, y + 16)], color(k).filled()))
                .map_err(draw_err)?;
            legend
                .draw(&Text::new(text.as_str(), (95, y + 2), ("sans-serif", 15)))
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
