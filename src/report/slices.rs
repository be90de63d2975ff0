//! One question map per slice: the baseline and every scenario on a map computed at its own
//! parameters, so a dot can never sit in a region whose answer contradicts its sentence.
//!
//! A question map varies two parameters; the others are fixed. A scenario that also changes
//! another parameter (post_2001 changes L, λ and ρ, not only T and c_D) does not lie on the
//! baseline's map at all, and a dot placed there by its two coordinates shows the baseline's
//! answer, not the scenario's. Here the points (the baseline, the scenarios) are grouped by
//! their values of the other parameters — a *slice* — and each slice gets its own map. On
//! each map, the grid row and column nearest each dot are moved onto the dot's own
//! coordinates, so the cell drawn under a dot is solved at the dot's exact point (the column
//! is drawn at its grid place, within half a cell of the dot).
//!
//! Where the answer's regions are known exactly (every condition of the equilibria sampled is
//! linear in the two parameters, [`crate::questions::exact_regions`]), the map draws them
//! instead of cells: each answer's convex polygons merged into one outline per connected
//! region ([`crate::questions::map::answer_outlines`], holes included), so no seam shows
//! inside a region. The answer under a dot is still decided on the convex polygons, by exact
//! point location: the one of the polygon it lies in.

use crate::geometry::partition::to_f64;
use crate::geometry::{locate, Place};
use crate::plot::{question_map_svg, QuestionMapPlot};
use crate::questions::map::{answer_outlines, exact_regions, Sample};
use crate::questions::{Effect, Evaluator, PreparedQuestion};
use crate::regime::rational::of_f64;

/// One slice's map.
#[derive(Clone, Debug, PartialEq)]
pub struct SliceMap {
    /// The points on it (`baseline`, scenario names), in order.
    pub names: Vec<String>,
    /// True if the slice is the baseline's.
    pub baseline: bool,
    /// The map.
    pub svg: String,
    /// The answer drawn under each point's dot (same order as `names`).
    pub under_dots: Vec<Effect>,
}

/// What a map needs besides its points.
pub struct MapSpec<'a> {
    /// The question.
    pub p: &'a PreparedQuestion,
    /// The mapped parameters.
    pub axes: (usize, usize),
    /// Their ranges.
    pub ranges: ((f64, f64), (f64, f64)),
    /// Samples per axis.
    pub n: usize,
    /// Title of the baseline's map (a scenario's adds its name).
    pub title: &'a str,
    /// The answers in words (lower, higher).
    pub words: (&'a str, &'a str),
    /// The desirable answer, if named.
    pub good: Option<Effect>,
}

/// The maps of every slice of `points` (`(name, θ)`, the baseline first).
pub fn slice_maps(spec: &MapSpec<'_>, points: &[(String, Vec<f64>)]) -> Vec<SliceMap> {
    let (x, y) = spec.axes;
    let mut slices: Vec<(Vec<f64>, Vec<usize>)> = Vec::new();
    for (k, (_, th)) in points.iter().enumerate() {
        let same = |o: &Vec<f64>| (0..th.len()).all(|i| i == x || i == y || o[i] == th[i]);
        match slices.iter_mut().find(|s| same(&s.0)) {
            Some(s) => s.1.push(k),
            None => slices.push((th.clone(), vec![k])),
        }
    }
    slices
        .into_iter()
        .map(|(theta, members)| one(spec, points, &theta, &members))
        .collect()
}

fn grid((lo, hi): (f64, f64), n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| lo + (hi - lo) * i as f64 / (n - 1) as f64)
        .collect()
}

/// Index of the grid value nearest `v`.
fn nearest(g: &[f64], v: f64) -> usize {
    (0..g.len())
        .min_by(|&a, &b| (g[a] - v).abs().total_cmp(&(g[b] - v).abs()))
        .unwrap_or(0)
}

fn one(
    spec: &MapSpec<'_>,
    points: &[(String, Vec<f64>)],
    theta: &[f64],
    members: &[usize],
) -> SliceMap {
    let (x, y) = spec.axes;
    let n = spec.n.max(2);
    let (mut xs, mut ys) = (grid(spec.ranges.0, n), grid(spec.ranges.1, n));
    let plain = (xs.clone(), ys.clone());
    // The dots' rows and columns, on the dots.
    let mut at: Vec<(usize, usize)> = Vec::new();
    for &k in members {
        let th = &points[k].1;
        let (i, j) = (nearest(&plain.0, th[x]), nearest(&plain.1, th[y]));
        xs[i] = th[x];
        ys[j] = th[y];
        at.push((i, j));
    }
    let mut effect = Vec::with_capacity(n * n);
    let mut tied = Vec::with_capacity(n * n);
    let mut samples: Vec<Sample> = Vec::with_capacity(n * n);
    let mut theta = theta.to_vec();
    match Evaluator::new(spec.p) {
        Ok(mut ev) => {
            for &yv in &ys {
                for &xv in &xs {
                    theta[x] = xv;
                    theta[y] = yv;
                    match ev.effect_at(&theta) {
                        Ok(e) => {
                            effect.push(e);
                            tied.push(ev.effects().tied());
                            let (ct, cc) = ev.signature();
                            samples.push((
                                e,
                                ev.effects().tied(),
                                (ct.to_vec(), cc.to_vec()),
                                (xv, yv),
                            ));
                        }
                        Err(_) => {
                            effect.push(Effect::Unknown);
                            tied.push(false);
                            samples.push((Effect::Unknown, false, Default::default(), (xv, yv)));
                        }
                    }
                }
            }
        }
        Err(_) => {
            effect = vec![Effect::Unknown; n * n];
            tied = vec![false; n * n];
        }
    }
    let exact = if samples.is_empty() {
        None
    } else {
        exact_regions(spec.p, &theta, spec.axes, spec.ranges, &samples)
    };
    let names: Vec<String> = members.iter().map(|&k| points[k].0.clone()).collect();
    let baseline = names.first().is_some_and(|s| s == "baseline");
    // Points at the same place share one dot: "baseline, cold_war".
    let mut dots: Vec<(String, f64, f64)> = Vec::new();
    for &k in members {
        let (name, th) = &points[k];
        match dots.iter_mut().find(|d| d.1 == th[x] && d.2 == th[y]) {
            Some(d) => d.0 = format!("{}, {name}", d.0),
            None => dots.push((name.clone(), th[x], th[y])),
        }
    }
    let title = if baseline {
        spec.title.to_string()
    } else {
        format!("{} — in {}", spec.title, names.join(", "))
    };
    let others = if baseline {
        "Other parameters at the baseline".to_string()
    } else {
        format!("Other parameters as in {}", names.join(", "))
    };
    let note = match &exact {
        Some(_) => format!(
            "{others}. Regions drawn exactly: each is where one set of equilibrium choices holds, \
             its boundaries the lines where a mover is indifferent."
        ),
        None => format!(
            "{others}. Regions sampled on a {n} × {n} grid (their conditions are not all linear \
             in the two parameters); the row and column through each dot are solved at its own \
             values."
        ),
    };
    // One outline per connected region of one answer: no seams between its convex pieces.
    let drawn: Vec<crate::plot::AnswerShape> = exact
        .as_deref()
        .map(answer_outlines)
        .unwrap_or_default()
        .into_iter()
        .map(|r| {
            let rings = r.outline.iter().map(|ring| to_f64(ring)).collect();
            (r.effect, r.tied, rings)
        })
        .collect();
    let fig = question_map_svg(&QuestionMapPlot {
        title: &title,
        x: (&spec.p.control.params.names[x], spec.ranges.0),
        y: (&spec.p.control.params.names[y], spec.ranges.1),
        n: (n, n),
        effect: &effect,
        tied: &tied,
        words: spec.words,
        good: spec.good,
        points: &dots,
        note: &note,
        exact: &drawn,
    });
    let under = |&(i, j): &(usize, usize)| {
        let solved = effect[j * n + i];
        let Some(regions) = &exact else {
            return solved;
        };
        // The polygon the dot lies strictly inside; on a boundary, the answer solved there.
        let dot = (of_f64(xs[i]), of_f64(ys[j]));
        let (Some(dx), Some(dy)) = dot else {
            return solved;
        };
        regions
            .iter()
            .find(|r| locate(&r.polygon, &(dx.clone(), dy.clone())) == Place::Inside)
            .map_or(solved, |r| r.effect)
    };
    SliceMap {
        under_dots: at.iter().map(under).collect(),
        names,
        baseline,
        svg: fig.svg,
    }
}
