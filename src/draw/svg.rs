//! SVG rendering of a placed tree ([`super::scene`]): left to right, the root on the left.
//!
//! Output is deterministic text with coordinates rounded to one decimal, so golden files and
//! reports are stable. [`svg`] writes a standalone file (with the SVG namespace); reports that
//! inline the drawing in HTML strip the namespace attribute, which HTML does not need.

use super::scene::{scene, MarkKind, Role, Scene, Stroke};
use super::typeset;
use super::{DrawError, Drawing};
use crate::plot::canvas::{Anchor, FONTS};
use std::fmt::Write;

pub use crate::plot::canvas::esc;

/// Colour of edges on the equilibrium path.
pub const PATH_COLOUR: &str = "#c0392b";
/// Colour of equilibrium moves off the path.
pub const OFF_PATH_COLOUR: &str = "#e59866";
/// Colour of information-set connectors.
pub const INFOSET_COLOUR: &str = "#2471a3";

fn stroke_attrs(s: Stroke) -> (&'static str, &'static str, f64, &'static str) {
    match s {
        Stroke::Path => ("edge path", PATH_COLOUR, 3.5, ""),
        Stroke::Played => ("edge played", OFF_PATH_COLOUR, 2.0, ""),
        Stroke::Plain => ("edge", "#7f8c8d", 1.2, ""),
        Stroke::Infoset => ("infoset", INFOSET_COLOUR, 1.5, r#" stroke-dasharray="5,4""#),
    }
}

/// Renders a placed scene.
pub fn render(s: &Scene) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="deter-tree" width="{w:.0}" height="{h:.0}" viewBox="0 0 {w:.0} {h:.0}" font-family="{FONTS}" font-size="13">"#,
        w = s.width,
        h = s.height
    );
    let _ = writeln!(o, "<title>{}</title>", esc(&s.title));
    let _ = writeln!(o, r#"<rect width="100%" height="100%" fill="white"/>"#);
    // Information sets first, so edges and nodes draw over them; legend samples last.
    let mut order: Vec<usize> = (0..s.segs.len()).collect();
    order.sort_by_key(|&k| (k >= s.tree_segs, s.segs[k].stroke != Stroke::Infoset));
    for k in order {
        let seg = &s.segs[k];
        let (class, colour, width, dash) = stroke_attrs(seg.stroke);
        let class = if k >= s.tree_segs { "legend" } else { class };
        let _ = writeln!(
            o,
            r#"<line class="{class}" x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{colour}" stroke-width="{width}"{dash}/>"#,
            seg.a.0, seg.a.1, seg.b.0, seg.b.1
        );
    }
    for c in &s.curves {
        let d: Vec<String> = c
            .iter()
            .enumerate()
            .map(|(k, (x, y))| format!("{}{x:.1},{y:.1}", if k == 0 { "M" } else { "L" }))
            .collect();
        let _ = writeln!(
            o,
            r#"<path class="infoset" d="{}" fill="none" stroke="{INFOSET_COLOUR}" stroke-width="1.5" stroke-dasharray="5,4"/>"#,
            d.join(" ")
        );
    }
    for ((x, y), kind) in &s.marks {
        match kind {
            MarkKind::Leaf => {
                let _ = writeln!(
                    o,
                    r#"<rect class="leaf" x="{:.1}" y="{:.1}" width="7" height="7" fill="black"/>"#,
                    x - 3.5,
                    y - 3.5
                );
            }
            k => {
                let fill = if *k == MarkKind::Chance {
                    "white"
                } else {
                    "black"
                };
                let _ = writeln!(
                    o,
                    r#"<circle class="node" cx="{x:.1}" cy="{y:.1}" r="5" fill="{fill}" stroke="black"/>"#
                );
            }
        }
    }
    for l in &s.labels {
        let (class, attrs) = match l.role {
            Role::Title => ("title", r#" font-weight="bold""#.to_string()),
            Role::Legend => ("legend", String::new()),
            Role::Mover => ("mover", r#" font-weight="bold""#.to_string()),
            Role::Move(st) => (
                "move",
                format!(
                    r#" fill="{}""#,
                    match st {
                        Stroke::Path => PATH_COLOUR,
                        Stroke::Played => "#a04000",
                        _ => "#34495e",
                    }
                ),
            ),
            Role::Payoff => ("payoff", String::new()),
            Role::Id => ("name", r##" fill="#7f8c8d""##.to_string()),
        };
        let anchor = match l.anchor {
            Anchor::Start => "",
            Anchor::Middle => r#" text-anchor="middle""#,
            Anchor::End => r#" text-anchor="end""#,
        };
        for (k, line) in l.lines.iter().enumerate() {
            let y = l.at.1 + k as f64 * l.size * super::scene::LEADING;
            let _ = writeln!(
                o,
                r#"<text class="{class}" x="{:.1}" y="{y:.1}" font-size="{}"{anchor}{attrs}>{}</text>"#,
                l.at.0,
                l.size,
                typeset::svg(line)
            );
        }
    }
    o.push_str("</svg>\n");
    o
}

/// Draws the tree as a standalone SVG document.
pub fn svg(d: &Drawing<'_>) -> Result<String, DrawError> {
    d.check()?;
    Ok(render(&scene(d)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draw::Marks;
    use crate::model;
    use crate::solve::backward::{profile_of, solve_into, Workspace};

    #[test]
    fn labels_and_path() {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/models/hedging.toml"))
                .unwrap();
        let t = model::load("hedging.toml", text).template.unwrap();
        let g = t.instantiate(&t.defaults()).unwrap();
        let mut ws = Workspace::default();
        solve_into(&g, 1e-9, &mut ws);
        let p = profile_of(&g.tree, &ws);
        let m = Marks::of(&g, &p).unwrap();
        let s = svg(&Drawing::new(&g).with_marks(&m)).unwrap();
        // The model's `say` phrases and display names, not identifiers.
        for label in ["hedges", "aligns", "challenges", "realigns", "Defender"] {
            assert!(s.contains(&format!(">{label}<")), "missing {label}");
        }
        assert!(!s.contains(">not_challenge<") && !s.contains("status_quo_h"));
        // At the defaults (the cold-war calibration, docs/models/hedging.md): P hedges, C does not
        // challenge — two path edges.
        assert_eq!(s.matches("class=\"edge path\"").count(), 2);
        assert!(s.contains(">(0.1, 0, 0)<"));
    }
}
