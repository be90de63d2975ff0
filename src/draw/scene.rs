//! The placed tree figure: every line, node mark and label with its position, shared by the
//! SVG ([`super::svg`]) and TikZ ([`super::tikz`]) renderers so both draw the same picture.
//!
//! Rows and columns come from [`super::layout()`]; each leaf's row is as tall as its label
//! (a payoff vector, or one typeset formula per player), each column as wide as its widest
//! move label. Labels are then placed one by one at the first of a few candidate positions
//! that touches no edge, node, information-set line or earlier label — mover names beside
//! their node, move labels beside their edge on its outer side, payoffs right of their leaf.
//! If some label finds no free place, the whole layout is redone with more room, a few times;
//! the figure records every text's box, so tests check that no two overlap and that no text
//! lies on a line.

use super::typeset::{self, Piece};
use super::{infoset_pairs, layout, Drawing};
use crate::game::tree::NodeKind;
use crate::game::NodeId;
use crate::plot::canvas::{text_width, wrap, Anchor, Rect, TextBox};

/// How a line is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stroke {
    /// An edge on the equilibrium path.
    Path,
    /// An equilibrium move off the path.
    Played,
    /// Any other edge.
    Plain,
    /// An information set's connector.
    Infoset,
}

/// A straight line.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Seg {
    /// One end.
    pub a: (f64, f64),
    /// The other end.
    pub b: (f64, f64),
    /// How it is drawn.
    pub stroke: Stroke,
}

/// What a node mark is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkKind {
    /// A decision node (filled circle).
    Decision,
    /// A chance node (open circle).
    Chance,
    /// A leaf (small square).
    Leaf,
}

/// What a label says, for styling.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The figure's title.
    Title,
    /// A legend entry.
    Legend,
    /// The mover at a node.
    Mover,
    /// A move on an edge.
    Move(Stroke),
    /// A leaf's payoffs.
    Payoff,
    /// A node or outcome identifier.
    Id,
}

/// A placed label: one or more lines of typeset pieces.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    /// Baseline position of the first line.
    pub at: (f64, f64),
    /// Horizontal anchor.
    pub anchor: Anchor,
    /// Font size in pixels.
    pub size: f64,
    /// What it is.
    pub role: Role,
    /// The lines.
    pub lines: Vec<Vec<Piece>>,
    /// Its box.
    pub rect: Rect,
}

/// The whole figure.
#[derive(Clone, Debug, PartialEq)]
pub struct Scene {
    /// Width in pixels.
    pub width: f64,
    /// Height in pixels.
    pub height: f64,
    /// The title (for the document's metadata).
    pub title: String,
    /// Every line: edges, information sets, legend samples.
    pub segs: Vec<Seg>,
    /// Node marks: position and kind; the index of the node (`None` for legend marks).
    pub marks: Vec<((f64, f64), MarkKind)>,
    /// Every label.
    pub labels: Vec<Label>,
    /// How many of `segs` are the tree's (the rest are legend samples).
    pub tree_segs: usize,
    /// Information-set connectors, each a polyline (a dashed arc).
    pub curves: Vec<Vec<(f64, f64)>>,
}

impl Scene {
    /// Every text with its box (for overlap checks).
    pub fn texts(&self) -> Vec<TextBox> {
        self.labels
            .iter()
            .map(|l| TextBox {
                text: l
                    .lines
                    .iter()
                    .map(|x| typeset::plain(x))
                    .collect::<Vec<_>>()
                    .join(" / "),
                rect: l.rect,
            })
            .collect()
    }

    /// Labels of the tree (not the title or legend) that a line of the tree passes through:
    /// `(label, line index)`.
    pub fn labels_on_lines(&self) -> Vec<(String, usize)> {
        let mut out = Vec::new();
        for l in &self.labels {
            if matches!(l.role, Role::Title | Role::Legend) {
                continue;
            }
            let curve_segs = self
                .curves
                .iter()
                .flat_map(|c| c.windows(2).map(|w| (w[0], w[1])));
            let all = self.segs[..self.tree_segs]
                .iter()
                .map(|s| (s.a, s.b))
                .chain(curve_segs);
            for (k, (a, b)) in all.enumerate() {
                if l.rect.hits_segment(a, b) {
                    out.push((l.lines.iter().map(|x| typeset::plain(x)).collect(), k));
                }
            }
        }
        out
    }
}

/// Line height as a multiple of the font size (room for subscripts).
pub const LEADING: f64 = 1.45;
const MOVER: f64 = 13.0;
const MOVE: f64 = 12.0;
const PAYOFF: f64 = 12.0;
const GAP: f64 = 2.0;

fn block(lines: &[Vec<Piece>], size: f64) -> (f64, f64) {
    let w = lines
        .iter()
        .map(|l| typeset::width(l, size))
        .fold(0.0, f64::max);
    (w, size * (1.0 + LEADING * (lines.len().max(1) - 1) as f64))
}

/// The box of a label whose block's top-left corner is `(x0, y0)`.
fn label_at(
    (x0, y0): (f64, f64),
    (w, h): (f64, f64),
    size: f64,
    anchor: Anchor,
    role: Role,
    lines: Vec<Vec<Piece>>,
) -> Label {
    let ax = match anchor {
        Anchor::Start => x0,
        Anchor::Middle => x0 + w / 2.0,
        Anchor::End => x0 + w,
    };
    Label {
        at: (ax, y0 + 0.78 * size),
        anchor,
        size,
        role,
        lines,
        rect: Rect {
            x0,
            y0,
            x1: x0 + w,
            y1: y0 + h + 0.02 * size,
        },
    }
}

/// Obstacles with a coarse grid index, so each placement looks only nearby.
struct Obstacles {
    cell: f64,
    /// Per cell: keys `2k` (rectangle `k`) and `2k + 1` (segment `k`).
    grid: std::collections::HashMap<(i64, i64), Vec<usize>>,
    rects: Vec<Rect>,
    segs: Vec<(f64, f64, f64, f64)>,
}

impl Obstacles {
    fn new() -> Obstacles {
        Obstacles {
            cell: 64.0,
            grid: Default::default(),
            rects: Vec::new(),
            segs: Vec::new(),
        }
    }

    fn cells(&self, r: &Rect) -> impl Iterator<Item = (i64, i64)> {
        let c = self.cell;
        let (i0, i1) = ((r.x0 / c).floor() as i64, (r.x1 / c).floor() as i64);
        let (j0, j1) = ((r.y0 / c).floor() as i64, (r.y1 / c).floor() as i64);
        (i0..=i1).flat_map(move |i| (j0..=j1).map(move |j| (i, j)))
    }

    fn add_rect(&mut self, r: Rect) {
        let key = self.rects.len() * 2;
        self.rects.push(r);
        let cells: Vec<_> = self.cells(&r).collect();
        for c in cells {
            self.grid.entry(c).or_default().push(key);
        }
    }

    fn add_seg(&mut self, a: (f64, f64), b: (f64, f64)) {
        let key = self.segs.len() * 2 + 1;
        self.segs.push((a.0, a.1, b.0, b.1));
        let r = Rect {
            x0: a.0.min(b.0),
            y0: a.1.min(b.1),
            x1: a.0.max(b.0),
            y1: a.1.max(b.1),
        };
        let cells: Vec<_> = self.cells(&r).collect();
        for c in cells {
            self.grid.entry(c).or_default().push(key);
        }
    }

    fn free(&self, r: &Rect) -> bool {
        let probe = r.grow(GAP);
        for c in self.cells(&probe) {
            for &key in self.grid.get(&c).map_or(&[][..], |v| &v[..]) {
                let hit = if key % 2 == 0 {
                    self.rects[key / 2].intersects(&probe)
                } else {
                    let s = self.segs[key / 2];
                    probe.hits_segment((s.0, s.1), (s.2, s.3))
                };
                if hit {
                    return false;
                }
            }
        }
        true
    }
}

struct Texts {
    mover: Vec<Option<Vec<Piece>>>,
    edge: Vec<Option<Vec<Piece>>>,
    leaf: Vec<Option<Vec<Vec<Piece>>>>,
}

fn texts(d: &Drawing<'_>) -> Texts {
    let tree = &*d.game.tree;
    let n = tree.nodes.len();
    let np = tree.n_players();
    let mut t = Texts {
        mover: vec![None; n],
        edge: vec![None; n],
        leaf: vec![None; n],
    };
    for i in 0..n {
        match tree.nodes[i].kind {
            NodeKind::Terminal { leaf } => {
                let mut lines: Vec<Vec<Piece>> = match d.formulas {
                    Some(f) if f.len() >= (leaf.ix() + 1) * np => {
                        (0..np).map(|p| f[leaf.ix() * np + p].clone()).collect()
                    }
                    _ => vec![vec![Piece::Text(d.payoff_label(i))]],
                };
                if d.ids {
                    lines.insert(0, vec![Piece::Text(tree.node_names[i].to_string())]);
                }
                t.leaf[i] = Some(lines);
            }
            _ => {
                let mut who = d.mover(i).to_string();
                if d.ids {
                    who = format!("{who} ({})", tree.node_label(NodeId::from(i)));
                }
                t.mover[i] = Some(vec![Piece::Text(who)]);
            }
        }
        if i > 0 {
            t.edge[i] = Some(vec![Piece::Text(d.edge_label(i))]);
        }
    }
    t
}

/// Layouts tried, each with more room than the last (geometrically more, so a dense tree with
/// long labels — node ids on a 79-node tree of types — finds room in a few).
const ATTEMPTS: usize = 9;

/// Lays the figure out (see the module doc).
pub fn scene(d: &Drawing<'_>) -> Scene {
    let tx = texts(d);
    let mut last = None;
    for attempt in 0..ATTEMPTS {
        let (s, ok) = attempt_layout(d, &tx, attempt);
        if ok {
            return s;
        }
        last = Some(s);
    }
    // No placement found even with the most room: the last attempt, with its overlaps.
    last.unwrap_or_else(|| attempt_layout(d, &tx, ATTEMPTS - 1).0)
}

fn stroke_of(d: &Drawing<'_>, i: usize) -> Stroke {
    match d.marks {
        Some(m) if m.played[i] && m.on_path[i] => Stroke::Path,
        Some(m) if m.played[i] => Stroke::Played,
        _ => Stroke::Plain,
    }
}

fn attempt_layout(d: &Drawing<'_>, tx: &Texts, attempt: usize) -> (Scene, bool) {
    let tree = &*d.game.tree;
    let l = layout(tree);
    let n = tree.nodes.len();
    let grow = 1.6f64.powi(attempt as i32);
    let row_gap = 12.0 * grow;
    let col_extra = 30.0 * grow;
    // Leaves in row order, each as tall as its label.
    let mut leaves: Vec<usize> = (0..n).filter(|&i| tree.nodes[i].n_children == 0).collect();
    leaves.sort_by(|&a, &b| l.across[a].total_cmp(&l.across[b]));
    let mut y = vec![0.0f64; n];
    let mut cursor = 0.0;
    for &i in &leaves {
        let h = tx.leaf[i]
            .as_ref()
            .map_or(PAYOFF, |ls| block(ls, PAYOFF).1)
            .max(18.0);
        y[i] = cursor + h / 2.0;
        cursor += h + row_gap;
    }
    for i in (0..n).rev() {
        let node = &tree.nodes[i];
        if node.n_children > 0 {
            let r = node.children();
            y[i] = (y[r.start] + y[r.end - 1]) / 2.0;
        }
    }
    // Columns as wide as their move labels.
    let depth = l.depth.clone();
    let maxd = l.max_depth as usize;
    let mut col = vec![110.0f64; maxd.max(1)];
    for (d, e) in depth.iter().zip(&tx.edge).take(n).skip(1) {
        let dd = *d as usize - 1;
        let w = e.as_ref().map_or(0.0, |p| typeset::width(p, MOVE));
        col[dd] = col[dd].max(w + col_extra);
    }
    let root_w = tx.mover[0]
        .as_ref()
        .map_or(0.0, |p| text_width(&typeset::plain(p), MOVER, true));
    let left = root_w + 24.0;
    let mut xcol = vec![left; maxd + 1];
    for dd in 1..=maxd {
        xcol[dd] = xcol[dd - 1] + col[dd - 1];
    }
    let top = 16.0;
    let pos = |i: usize| (xcol[depth[i] as usize], top + y[i]);

    let mut obs = Obstacles::new();
    let mut segs = Vec::new();
    for i in 1..n {
        let p = tree.node(NodeId::from(i)).parent().map_or(0, |p| p.ix());
        segs.push(Seg {
            a: pos(p),
            b: pos(i),
            stroke: stroke_of(d, i),
        });
    }
    for s in &segs {
        obs.add_seg(s.a, s.b);
    }
    // Information sets: a dashed arc bulging to the left of the members, so it passes beside
    // the nodes between them rather than through them.
    let mut curves = Vec::new();
    for (a, b) in infoset_pairs(tree) {
        let (pa, pb) = (pos(a), pos(b));
        let len = ((pb.0 - pa.0).powi(2) + (pb.1 - pa.1).powi(2)).sqrt();
        let bulge = (0.18 * len).clamp(8.0, 28.0);
        let ctrl = ((pa.0 + pb.0) / 2.0 - 2.0 * bulge, (pa.1 + pb.1) / 2.0);
        let pts: Vec<(f64, f64)> = (0..=12)
            .map(|k| {
                let t = k as f64 / 12.0;
                let u = 1.0 - t;
                (
                    u * u * pa.0 + 2.0 * u * t * ctrl.0 + t * t * pb.0,
                    u * u * pa.1 + 2.0 * u * t * ctrl.1 + t * t * pb.1,
                )
            })
            .collect();
        for w in pts.windows(2) {
            obs.add_seg(w[0], w[1]);
        }
        curves.push(pts);
    }
    let mut marks = Vec::new();
    for i in 0..n {
        let kind = match tree.nodes[i].kind {
            NodeKind::Terminal { .. } => MarkKind::Leaf,
            NodeKind::Chance => MarkKind::Chance,
            NodeKind::Decision { .. } => MarkKind::Decision,
        };
        let (x, yy) = pos(i);
        obs.add_rect(Rect {
            x0: x - 5.5,
            y0: yy - 5.5,
            x1: x + 5.5,
            y1: yy + 5.5,
        });
        marks.push(((x, yy), kind));
    }
    let mut labels = Vec::new();
    let mut ok = true;
    // Leaves: right of the node, centred on its row.
    for &i in &leaves {
        let Some(lines) = tx.leaf[i].clone() else {
            continue;
        };
        let (w, h) = block(&lines, PAYOFF);
        let (x, yy) = pos(i);
        let lab = label_at(
            (x + 10.0, yy - h / 2.0),
            (w, h),
            PAYOFF,
            Anchor::Start,
            Role::Payoff,
            lines,
        );
        ok &= obs.free(&lab.rect);
        obs.add_rect(lab.rect);
        labels.push(lab);
    }
    // Movers: beside the node, away from the incoming edge.
    for i in 0..n {
        let Some(line) = tx.mover[i].clone() else {
            continue;
        };
        let lines = vec![line];
        let (w, h) = block(&lines, MOVER);
        let w = w * 1.07; // bold
        let (x, yy) = pos(i);
        let above_parent = tree
            .node(NodeId::from(i))
            .parent()
            .is_some_and(|p| pos(p.ix()).1 > yy);
        // Clear of the node's mark (5.5 px) by more than the gap every placement keeps.
        let c = 5.5 + GAP + 1.5;
        let left_mid = (x - c - 2.0 - w, yy - h / 2.0);
        let above_left = (x - c - w, yy - c - h);
        let below_left = (x - c - w, yy + c);
        let above = (x - w / 2.0, yy - c - h);
        let below = (x - w / 2.0, yy + c);
        let above_right = (x + c, yy - c - h);
        let below_right = (x + c, yy + c);
        let order = if i == 0 {
            [
                left_mid,
                above_left,
                below_left,
                above,
                below,
                above_right,
                below_right,
            ]
        } else if above_parent {
            [
                above_left,
                above,
                left_mid,
                below_left,
                below,
                above_right,
                below_right,
            ]
        } else {
            [
                below_left,
                below,
                left_mid,
                above_left,
                above,
                below_right,
                above_right,
            ]
        };
        // Then farther out, past an information set's arc that bulges beside the node.
        let mut cands = order.to_vec();
        for k in 1..=4 {
            let dx = 12.0 * k as f64;
            cands.push((left_mid.0 - dx, left_mid.1));
            cands.push((above_left.0 - dx, above_left.1));
            cands.push((below_left.0 - dx, below_left.1));
        }
        let lab = place(&obs, &cands, (w, h), MOVER, Role::Mover, &lines, &mut ok);
        obs.add_rect(lab.rect);
        labels.push(lab);
    }
    // Moves: beside their edge, outer side first.
    for i in 1..n {
        let Some(line) = tx.edge[i].clone() else {
            continue;
        };
        let lines = vec![line];
        let p = tree.node(NodeId::from(i)).parent().map_or(0, |p| p.ix());
        let (a, b) = (pos(p), pos(i));
        let (w, h) = block(&lines, MOVE);
        let up = b.1 <= a.1;
        let slope = ((b.1 - a.1) / (b.0 - a.0).max(1e-9)).abs();
        let mut cands = Vec::new();
        for side in [if up { -1.0 } else { 1.0 }, if up { 1.0 } else { -1.0 }] {
            for t in [0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78] {
                let (mx, my) = (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
                // Lift clear of the line vertically, or shift clear of it sideways, keeping the
                // gap every placement keeps (on both axes, hence the slope terms).
                let lift = h / 2.0 + slope * (w / 2.0 + GAP) + GAP + 1.5;
                cands.push((mx - w / 2.0, my + side * lift - h / 2.0));
                if slope > 0.05 {
                    let shift = w / 2.0 + (h / 2.0 + GAP) / slope + GAP + 1.5;
                    // Above a rising line is to its left; above a falling line, to its right.
                    let dir = if (side < 0.0) == up { -1.0 } else { 1.0 };
                    cands.push((mx + dir * shift - w / 2.0, my - h / 2.0));
                }
            }
        }
        let lab = place(
            &obs,
            &cands,
            (w, h),
            MOVE,
            Role::Move(stroke_of(d, i)),
            &lines,
            &mut ok,
        );
        obs.add_rect(lab.rect);
        labels.push(lab);
    }
    // Extent, then the header (title and legend) above the tree.
    let (mut x_max, mut y_max) = (0.0f64, 0.0f64);
    for lab in &labels {
        x_max = x_max.max(lab.rect.x1);
        y_max = y_max.max(lab.rect.y1);
    }
    for ((x, yy), _) in &marks {
        x_max = x_max.max(*x + 6.0);
        y_max = y_max.max(*yy + 6.0);
    }
    let width = (x_max + 16.0).max(560.0);
    let tree_segs = segs.len();
    let (header, legend_segs, head_h) = header(d, width);
    let shift = |r: Rect| Rect {
        x0: r.x0,
        y0: r.y0 + head_h,
        x1: r.x1,
        y1: r.y1 + head_h,
    };
    for lab in &mut labels {
        lab.at.1 += head_h;
        lab.rect = shift(lab.rect);
    }
    for s in &mut segs {
        s.a.1 += head_h;
        s.b.1 += head_h;
    }
    for m in &mut marks {
        m.0 .1 += head_h;
    }
    for c in &mut curves {
        for p in c.iter_mut() {
            p.1 += head_h;
        }
    }
    let mut all = header;
    all.extend(labels);
    segs.extend(legend_segs);
    (
        Scene {
            width,
            height: y_max + head_h + 16.0,
            title: tree.title.clone(),
            segs,
            marks,
            labels: all,
            tree_segs,
            curves,
        },
        ok,
    )
}

fn place(
    obs: &Obstacles,
    cands: &[(f64, f64)],
    (w, h): (f64, f64),
    size: f64,
    role: Role,
    lines: &[Vec<Piece>],
    ok: &mut bool,
) -> Label {
    for &c in cands {
        let lab = label_at(c, (w, h), size, Anchor::Start, role, lines.to_vec());
        if lab.rect.x0 >= 2.0 && lab.rect.y0 >= 0.0 && obs.free(&lab.rect) {
            return lab;
        }
    }
    *ok = false;
    label_at(cands[0], (w, h), size, Anchor::Start, role, lines.to_vec())
}

/// The title, the payoff order and the legend, wrapped to `width`: labels, sample lines and
/// the height they take.
fn header(d: &Drawing<'_>, width: f64) -> (Vec<Label>, Vec<Seg>, f64) {
    let tree = &*d.game.tree;
    let mut labels = Vec::new();
    let mut segs = Vec::new();
    let mut y = 8.0;
    for line in wrap(&tree.title, 14.0, true, width - 24.0) {
        let w = text_width(&line, 14.0, true);
        labels.push(label_at(
            (12.0, y),
            (w, 14.0),
            14.0,
            Anchor::Start,
            Role::Title,
            vec![vec![Piece::Text(line)]],
        ));
        y += 19.0;
    }
    let mut items: Vec<(Option<Stroke>, String)> =
        vec![(None, format!("Payoffs: ({})", tree.player_names.join(", ")))];
    if d.marks.is_some() {
        items.push((Some(Stroke::Path), "equilibrium path".into()));
        items.push((Some(Stroke::Played), "equilibrium move off the path".into()));
    }
    if !infoset_pairs(tree).is_empty() {
        items.push((Some(Stroke::Infoset), "information set".into()));
    }
    let mut x = 12.0;
    y += 4.0;
    for (stroke, text) in items {
        let sample = if stroke.is_some() { 28.0 } else { 0.0 };
        let w = text_width(&text, 12.0, false);
        if x > 12.0 && x + sample + w > width - 12.0 {
            x = 12.0;
            y += 18.0;
        }
        if let Some(s) = stroke {
            segs.push(Seg {
                a: (x, y + 6.0),
                b: (x + 22.0, y + 6.0),
                stroke: s,
            });
        }
        labels.push(label_at(
            (x + sample, y),
            (w, 12.0),
            12.0,
            Anchor::Start,
            Role::Legend,
            vec![vec![Piece::Text(text)]],
        ));
        x += sample + w + 22.0;
    }
    (labels, segs, y + 26.0)
}

/// Payoff formulas of a model, typeset, leaf-major (`leaf * players + player`): the input of
/// [`Drawing::formulas`].
pub fn payoff_formulas(t: &crate::model::GameTemplate) -> Vec<Vec<Piece>> {
    t.formulas
        .iter()
        .take(t.n_payoffs)
        .map(|f| typeset::typeset(&f.ast))
        .collect()
}
