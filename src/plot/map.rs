//! Maps over two parameters: a sweep's outcome classes ([`super::region_svg`]), a question's
//! answers ([`super::question_map_svg`]) and regimes, drawn the same way: axes with round
//! ticks, a title that wraps, and the legend below the map, outside the data. Answers are
//! coloured by [`super::colour::answer`].
//!
//! A region is drawn either as exact [`Shape`]s — polygons whose vertices are exact points of
//! its boundary (a straight boundary is one edge however fine the zoom; a curved one is a
//! polyline through many points computed on the curve) — or, where no symbolic description of
//! the region exists, as grid cells coloured by the class sampled there (runs of equal cells
//! merged into one rectangle). Shapes are drawn over the cells, so a map can mix both.

use super::axis::{label, ticks};
use super::canvas::{text_width, wrap, Anchor, Canvas, Rect};
use super::Figure;

const W: f64 = 780.0;
const ML: f64 = 74.0;
const MAP_W: f64 = 560.0;
const MAP_H: f64 = 400.0;
const TICK: f64 = 12.0;
const LEGEND: f64 = 12.0;

/// One legend entry: colour and text.
pub struct Key {
    /// Fill colour.
    pub fill: String,
    /// Text (wrapped to the figure's width).
    pub text: String,
}

/// A labelled point drawn on the map.
pub struct Point {
    /// Label.
    pub name: String,
    /// Coordinates in parameter units.
    pub x: f64,
    /// Coordinates in parameter units.
    pub y: f64,
}

/// A closed ring of `(x, y)` vertices in parameter units.
pub type Ring = Vec<(f64, f64)>;

/// A region drawn exactly: one or more closed rings (vertices in parameter units), filled with
/// the even-odd rule so a ring inside another is a hole.
#[derive(Clone, Debug, PartialEq)]
pub struct Shape {
    /// Fill colour.
    pub fill: String,
    /// Closed rings of `(x, y)` vertices.
    pub rings: Vec<Ring>,
}

/// What a map shows: cell edges on both axes (the first and last are the map's range), each
/// cell's fill (`fills[ix * ny + iy]`; empty when the map is drawn by shapes alone), the
/// legend and the points.
pub struct Map<'a> {
    /// Title (wrapped).
    pub title: &'a str,
    /// Horizontal axis name and cell edges.
    pub x: (&'a str, &'a [f64]),
    /// Vertical axis name and cell edges.
    pub y: (&'a str, &'a [f64]),
    /// Fill of each cell, `ix * ny + iy`.
    pub fills: &'a [&'a str],
    /// Legend entries, in order.
    pub keys: &'a [Key],
    /// Labelled points.
    pub points: &'a [Point],
    /// A note under the legend (empty for none).
    pub note: &'a str,
}

/// Draws a map of cells; see the module doc.
pub fn figure(m: &Map<'_>) -> Figure {
    figure_with(m, &[])
}

/// Draws a map: its cells (if any), then `shapes` over them.
pub fn figure_with(m: &Map<'_>, shapes: &[Shape]) -> Figure {
    let (ex, ey) = (m.x.1, m.y.1);
    let (nx, ny) = (ex.len() - 1, ey.len() - 1);
    let mut cv = Canvas::new();
    let y = super::frame::title(&mut cv, &m.title.replace('`', ""), W);
    let top = y + 16.0;
    let bottom = top + MAP_H;
    let right = ML + MAP_W;
    let (x0, x1, y0, y1) = (ex[0], ex[nx], ey[0], ey[ny]);
    let px = |x: f64| ML + (x - x0) / (x1 - x0) * MAP_W;
    let py = |v: f64| bottom - (v - y0) / (y1 - y0) * MAP_H;
    cv.raw(r#"<g shape-rendering="crispEdges">"#);
    for iy in (0..ny).filter(|_| m.fills.len() == nx * ny) {
        let mut ix = 0;
        while ix < nx {
            let f = m.fills[ix * ny + iy];
            let mut jx = ix + 1;
            while jx < nx && m.fills[jx * ny + iy] == f {
                jx += 1;
            }
            // A hair wider than the cell so neighbouring runs leave no gap.
            cv.rect(
                Rect {
                    x0: px(ex[ix]),
                    y0: py(ey[iy + 1]),
                    x1: px(ex[jx]) + 0.3,
                    y1: py(ey[iy]) + 0.3,
                },
                &format!(r#"fill="{f}""#),
            );
            ix = jx;
        }
    }
    cv.raw("</g>");
    for sh in shapes {
        let mut d = String::new();
        for ring in sh.rings.iter().filter(|r| r.len() > 2) {
            for (k, &(x, y)) in ring.iter().enumerate() {
                let op = if k == 0 { 'M' } else { 'L' };
                d.push_str(&format!("{op}{:.2} {:.2}", px(x), py(y)));
            }
            d.push('Z');
        }
        if d.is_empty() {
            continue;
        }
        // The outline in the fill's colour closes the hairline seam that anti-aliasing leaves
        // between two regions sharing an edge.
        cv.raw(&format!(
            r#"<path d="{d}" fill="{f}" fill-rule="evenodd" stroke="{f}" stroke-width="0.5" stroke-linejoin="round"/>"#,
            f = sh.fill
        ));
    }
    super::frame::frame(
        &mut cv,
        Rect {
            x0: ML,
            y0: top,
            x1: right,
            y1: bottom,
        },
    );
    let xt = ticks(x0, x1, 6);
    let xs = if xt.len() > 1 { xt[1] - xt[0] } else { 1.0 };
    for &v in &xt {
        cv.line((px(v), bottom), (px(v), bottom + 5.0), r##"stroke="#333""##);
        cv.text(
            (px(v), bottom + 19.0),
            Anchor::Middle,
            TICK,
            "",
            &label(v, xs),
        );
    }
    let yt = ticks(y0, y1, 6);
    let ys = if yt.len() > 1 { yt[1] - yt[0] } else { 1.0 };
    for &v in &yt {
        cv.line((ML - 5.0, py(v)), (ML, py(v)), r##"stroke="#333""##);
        cv.text(
            (ML - 8.0, py(v) + 4.0),
            Anchor::End,
            TICK,
            "",
            &label(v, ys),
        );
    }
    // Axis names: parameters typeset as in the tree figure (c_D as c with subscript D).
    super::line::axis_name(&mut cv, ((ML + right) / 2.0, bottom + 40.0), m.x.0);
    let y_name = if super::line::is_parameter_name(m.y.0) {
        crate::draw::typeset::svg(&[crate::draw::typeset::variable(m.y.0)])
    } else {
        format!(
            r#"<tspan font-style="italic">{}</tspan>"#,
            super::canvas::esc(m.y.0)
        )
    };
    cv.raw(&format!(
        r#"<text transform="translate(20,{:.1}) rotate(-90)" font-size="13" text-anchor="middle">{y_name}</text>"#,
        (top + bottom) / 2.0,
    ));
    // Points: a dot with a white-haloed label, placed where it stays inside the map and off
    // the other labels.
    let mut taken: Vec<Rect> = Vec::new();
    for p in m.points {
        let (cx, cy) = (px(p.x), py(p.y));
        cv.raw(&format!(
            r##"<circle cx="{cx:.1}" cy="{cy:.1}" r="4.5" fill="black" stroke="white" stroke-width="1.5"/>"##
        ));
        taken.push(Rect {
            x0: cx - 5.0,
            y0: cy - 5.0,
            x1: cx + 5.0,
            y1: cy + 5.0,
        });
        let w = text_width(&p.name, LEGEND, false);
        let candidates = [
            (cx + 8.0, cy - 7.0, Anchor::Start),
            (cx + 8.0, cy + 16.0, Anchor::Start),
            (cx - 8.0, cy - 7.0, Anchor::End),
            (cx - 8.0, cy + 16.0, Anchor::End),
        ];
        let fits = |&(x, yy, a): &(f64, f64, Anchor)| {
            let r = super::canvas::text_rect(x, yy, w, LEGEND, a);
            r.x0 >= ML
                && r.x1 <= right
                && r.y0 >= top
                && r.y1 <= bottom
                && taken.iter().all(|t| !t.intersects(&r))
        };
        let (x, yy, a) = candidates
            .iter()
            .copied()
            .find(|c| fits(c))
            .unwrap_or(candidates[0]);
        let r = cv.text(
            (x, yy),
            a,
            LEGEND,
            r#"stroke="white" stroke-width="3" paint-order="stroke""#,
            &p.name,
        );
        taken.push(r);
    }
    // Legend below the map.
    let mut ly = bottom + 66.0;
    for k in m.keys {
        cv.rect(
            Rect {
                x0: ML,
                y0: ly - 12.0,
                x1: ML + 16.0,
                y1: ly + 2.0,
            },
            &format!(r##"fill="{}" stroke="#777""##, k.fill),
        );
        for line in wrap(&k.text, LEGEND, false, W - ML - 50.0) {
            cv.text((ML + 24.0, ly), Anchor::Start, LEGEND, "", &line);
            ly += 16.0;
        }
        ly += 4.0;
    }
    if !m.note.is_empty() {
        for line in wrap(m.note, 11.0, false, W - ML - 30.0) {
            cv.text((ML, ly), Anchor::Start, 11.0, r##"fill="#444""##, &line);
            ly += 14.0;
        }
    }
    let height = ly + 8.0;
    let texts = cv.texts.clone();
    Figure {
        svg: cv.finish(W, height, &m.title.replace('`', ""), "deter-map"),
        texts,
    }
}
