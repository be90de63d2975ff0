//! SVG rendering of a laid-out tree (left to right: the root on the left, leaves on the right).
//!
//! Output is deterministic text with numbers rounded to one decimal, so golden files and
//! reports are stable. [`svg`] writes a standalone file (with the SVG namespace); reports that
//! inline the drawing in HTML strip the namespace attribute, which HTML does not need.

use super::{infoset_pairs, layout, DrawError, Drawing};
use crate::game::tree::NodeKind;
use std::fmt::Write;

/// Colour of edges on the equilibrium path.
pub const PATH_COLOUR: &str = "#c0392b";
/// Colour of equilibrium moves off the path.
pub const OFF_PATH_COLOUR: &str = "#e59866";

const ROW: f64 = 46.0;
const CHAR_W: f64 = 7.2;
const TOP: f64 = 64.0;
const LEFT: f64 = 80.0;

/// Escapes text for XML.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

fn width_of(s: &str) -> f64 {
    s.chars().count() as f64 * CHAR_W
}

/// Draws the tree as a standalone SVG document.
pub fn svg(d: &Drawing<'_>) -> Result<String, DrawError> {
    d.check()?;
    let tree = &*d.game.tree;
    let l = layout(tree);
    let n = tree.nodes.len();
    let edge_w = (1..n)
        .map(|i| width_of(&d.edge_label(i)))
        .fold(0.0, f64::max);
    let col = (edge_w + 48.0).max(130.0);
    let leaf_w = (0..n)
        .filter(|&i| tree.nodes[i].n_children == 0)
        .map(|i| width_of(&tree.node_names[i]) + width_of(&d.payoff_label(i)) + CHAR_W)
        .fold(0.0, f64::max);
    let players = format!("Payoffs: ({})", tree.players.join(", "));
    let width = (LEFT + col * l.max_depth as f64 + leaf_w + 24.0)
        .max(width_of(&players) + 40.0)
        .max(560.0);
    let height = TOP + ROW * (l.n_leaves.max(1) as f64 - 1.0) + 40.0;
    let x = |i: usize| LEFT + col * l.depth[i] as f64;
    let y = |i: usize| TOP + ROW * l.across[i];

    let mut o = String::new();
    let _ = writeln!(
        o,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="deter-tree" width="{w:.0}" height="{h:.0}" viewBox="0 0 {w:.0} {h:.0}" font-family="Helvetica, Arial, sans-serif" font-size="13">"#,
        w = width,
        h = height
    );
    let _ = writeln!(o, "<title>{}</title>", esc(&tree.title));
    let _ = writeln!(o, r#"<rect width="100%" height="100%" fill="white"/>"#);
    legend(&mut o, d, &players);

    // Information sets first, so edges and nodes draw over them.
    for (a, b) in infoset_pairs(tree) {
        let _ = writeln!(
            o,
            r##"<line class="infoset" x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#2471a3" stroke-width="1.5" stroke-dasharray="5,4"/>"##,
            x(a),
            y(a),
            x(b),
            y(b)
        );
    }
    for i in 1..n {
        let Some(p) = tree.node(crate::game::NodeId::from(i)).parent() else {
            continue;
        };
        let p = p.ix();
        let (class, stroke, sw) = match d.marks {
            Some(m) if m.played[i] && m.on_path[i] => ("edge path", PATH_COLOUR, 3.5),
            Some(m) if m.played[i] => ("edge played", OFF_PATH_COLOUR, 2.0),
            _ => ("edge", "#7f8c8d", 1.2),
        };
        let _ = writeln!(
            o,
            r#"<line class="{class}" x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{stroke}" stroke-width="{sw}"/>"#,
            x(p),
            y(p),
            x(i),
            y(i)
        );
        let (mx, my) = ((x(p) + x(i)) / 2.0, (y(p) + y(i)) / 2.0 - 5.0);
        let _ = writeln!(
            o,
            r#"<text class="move" x="{mx:.1}" y="{my:.1}" text-anchor="middle" fill="{}" stroke="white" stroke-width="4" paint-order="stroke">{}</text>"#,
            if stroke == "#7f8c8d" {
                "#34495e"
            } else {
                stroke
            },
            esc(&d.edge_label(i))
        );
    }
    for i in 0..n {
        node(&mut o, d, i, x(i), y(i));
    }
    o.push_str("</svg>\n");
    Ok(o)
}

fn legend(o: &mut String, d: &Drawing<'_>, players: &str) {
    let _ = writeln!(
        o,
        r#"<text x="12" y="20" font-weight="bold">{}</text>"#,
        esc(&d.game.tree.title)
    );
    let mut line = esc(players);
    if d.marks.is_some() {
        line.push_str(&format!(
            r#"   <tspan fill="{PATH_COLOUR}">━ equilibrium path</tspan>   <tspan fill="{OFF_PATH_COLOUR}">━ equilibrium move off the path</tspan>"#
        ));
    }
    if !infoset_pairs(&d.game.tree).is_empty() {
        line.push_str(r##"   <tspan fill="#2471a3">┅ information set</tspan>"##);
    }
    let _ = writeln!(o, r#"<text x="12" y="40" font-size="12">{line}</text>"#);
}

fn node(o: &mut String, d: &Drawing<'_>, i: usize, x: f64, y: f64) {
    let tree = &*d.game.tree;
    match tree.nodes[i].kind {
        NodeKind::Terminal { .. } => {
            let _ = writeln!(
                o,
                r#"<rect class="leaf" x="{:.1}" y="{:.1}" width="7" height="7" fill="black"/>"#,
                x - 3.5,
                y - 3.5
            );
            let _ = writeln!(
                o,
                r##"<text class="payoff" x="{:.1}" y="{:.1}"><tspan fill="#566573">{}</tspan> {}</text>"##,
                x + 10.0,
                y + 4.5,
                esc(&tree.node_names[i]),
                esc(&d.payoff_label(i))
            );
        }
        kind => {
            let fill = if matches!(kind, NodeKind::Chance) {
                "white"
            } else {
                "black"
            };
            let _ = writeln!(
                o,
                r#"<circle class="node" cx="{x:.1}" cy="{y:.1}" r="5" fill="{fill}" stroke="black"/>"#
            );
            let _ = writeln!(
                o,
                r#"<text class="mover" x="{:.1}" y="{:.1}" text-anchor="end" font-weight="bold" stroke="white" stroke-width="4" paint-order="stroke">{}</text>"#,
                x - 8.0,
                y - 6.0,
                esc(d.mover(i))
            );
            let _ = writeln!(
                o,
                r##"<text class="name" x="{:.1}" y="{:.1}" text-anchor="end" font-size="10" fill="#7f8c8d">{}</text>"##,
                x - 8.0,
                y + 14.0,
                esc(&tree.node_names[i])
            );
        }
    }
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
        let s = svg(&Drawing {
            game: &g,
            marks: Some(&m),
        })
        .unwrap();
        for label in [
            "hedge",
            "align",
            "challenge",
            "realign",
            "Protege",
            "Defender",
        ] {
            assert!(s.contains(&format!(">{label}<")), "missing {label}");
        }
        // At the defaults (the cold-war calibration, MODELS.md §4): P hedges, C does not
        // challenge — two path edges.
        assert_eq!(s.matches("class=\"edge path\"").count(), 2);
        assert!(s.contains("status_quo_h</tspan> (0.1, 0, 0)"));
    }
}
