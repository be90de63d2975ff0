//! Sweep plots in bounded memory: points are aggregated per plot cell while they stream.
//!
//! A plot has at most a few thousand distinct positions across, so a sweep of 10⁶ or 10⁸
//! points need not be held in memory to be drawn. [`Aggregate`] receives every point once, in
//! index order ([`Aggregate::add`]), and keeps:
//!
//! - for a **line chart** (one varied parameter): the outcome of every point (an interned
//!   `u32`, for the thresholds between neighbouring values) and, per horizontal bin of at most
//!   [`LINE_BINS`], the values of the bin's first point in increasing order of the parameter;
//! - for a **region map** (two varied parameters): per cell of a grid of at most
//!   [`MAP_BINS`] × [`MAP_BINS`] bins, the class (answer and outcome) of the bin's first point;
//!   the legend lists every class met, also those too small to fill a bin. A sweep of a game
//!   with information sets (rows with a `regime`) is a *regime map*: one class, colour and
//!   legend entry per regime set, points on a boundary showing the set that holds there.
//!
//! A line chart of such a sweep marks where the regime set changes instead of the outcome.
//!
//! Up to those sizes every point has its own bin, so small sweeps are drawn point by point.
//! Values are taken as the sweep file prints them (six decimals), so the plot drawn while a
//! sweep runs and the plot `deter plot` draws from its file are the same bytes. The drawing
//! itself is [`crate::plot`]'s.

use super::format::push_num;
use super::read::ParsedRow;
use super::Sweeper;
use crate::plot::line::{figure_with_bands, Interval};
use crate::plot::{line_svg, outcome_changes, region_svg, LineChart, PlotError, RegionMap, Series};
use std::collections::HashMap;

/// Most horizontal bins of a line chart.
pub const LINE_BINS: usize = 2048;

/// Most bins along each axis of a region map.
pub const MAP_BINS: usize = 1024;

/// What a plot shows, independent of where the points come from.
#[derive(Clone, Debug, PartialEq)]
pub struct PlotSpec {
    /// The model's title.
    pub title: String,
    /// Each varied parameter's name and values, in grid order.
    pub axes: Vec<(String, Vec<f64>)>,
    /// Player names (payoff order).
    pub players: Vec<String>,
    /// Event tags.
    pub events: Vec<String>,
    /// The first question's name and wording (a region map is coloured by its answer).
    pub question: Option<(String, String)>,
    /// The first question's `lower` and `higher` words and its desirable answer (`good`), to
    /// colour answers as every figure does ([`crate::plot::colour::answer`]).
    pub answer_words: Option<(String, String, Option<String>)>,
}

impl PlotSpec {
    /// The plot of a running sweep.
    pub fn of(sw: &Sweeper<'_>) -> PlotSpec {
        PlotSpec {
            title: sw.template.title.clone(),
            axes: (sw.grid.axes.iter())
                .map(|a| (a.name.clone(), a.values.clone()))
                .collect(),
            players: sw.template.tree.players.clone(),
            events: sw.template.tree.events.clone(),
            question: (sw.questions.first()).map(|q| (q.def.name.v.clone(), q.def.ask.clone())),
            answer_words: sw.questions.first().map(|q| {
                (
                    q.def.lower.clone(),
                    q.def.higher.clone(),
                    q.def.good.as_ref().map(|g| g.v.clone()),
                )
            }),
        }
    }
}

/// A regime map's grid: the horizontal and vertical values, each bin's class and each
/// class's regime set ([`Aggregate::regime_grid`]).
pub type RegimeGrid = (Vec<f64>, Vec<f64>, Vec<u32>, Vec<String>);

/// One point as the plot needs it.
#[derive(Clone, Copy, Debug)]
pub struct PointData<'a> {
    /// Its index in the grid.
    pub index: u64,
    /// The outcome label.
    pub outcome: &'a str,
    /// The path of play in words.
    pub path: &'a str,
    /// The regime set, for rows of a set of equilibria (registry solvers).
    pub regime: Option<&'a str>,
    /// Expected payoffs by player.
    pub payoffs: &'a [f64],
    /// Event probabilities.
    pub events: &'a [f64],
    /// The first question's answer word (as the sweep file writes it).
    pub answer: Option<&'a str>,
}

impl<'a> PointData<'a> {
    /// A row read back from a sweep file.
    pub fn of_parsed(r: &'a ParsedRow) -> PointData<'a> {
        PointData {
            index: r.index,
            outcome: &r.outcome,
            path: &r.path,
            regime: r.regime.as_deref(),
            payoffs: &r.payoffs,
            events: &r.events,
            answer: r.answer.as_deref(),
        }
    }
}

/// `x` as the sweep file prints it, read back.
fn as_printed(x: f64) -> f64 {
    let mut b = Vec::with_capacity(24);
    push_num(x, b"", &mut b);
    std::str::from_utf8(&b)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(f64::NAN)
}

/// Bin `i` of `n` items in `bins` bins.
fn bin_of(i: usize, n: usize, bins: usize) -> usize {
    (i as u128 * bins as u128 / n as u128) as usize
}

/// The first item of bin `b` (`n` for `b = bins`).
fn bin_start(b: usize, n: usize, bins: usize) -> usize {
    ((b as u128 * n as u128).div_ceil(bins as u128)) as usize
}

struct Line {
    /// Rank of each point by its parameter value (stable).
    rank: Vec<u32>,
    /// The values in increasing order.
    sorted: Vec<f64>,
    bins: usize,
    /// Outcome class by rank.
    class: Vec<u32>,
    labels: HashMap<String, u32>,
    /// Per bin: the first point's x, events, then payoffs.
    bin_x: Vec<f64>,
    bin_vals: Vec<f64>,
}

struct Map {
    nx: usize,
    ny: usize,
    bx: usize,
    by: usize,
    cells: Vec<u32>,
    classes: HashMap<(Option<String>, String), u32>,
    legend: Vec<String>,
    /// The answer word of each class, in legend order.
    answers: Vec<Option<String>>,
    /// True if the classes are regime sets.
    regimes: bool,
}

enum Kind {
    Line(Line),
    Map(Map),
}

/// A plot being filled point by point (see the module docs).
pub struct Aggregate {
    spec: PlotSpec,
    kind: Kind,
    seen: u64,
    points: u64,
}

/// A point's class on a region map in words: its legend text and its answer word, if any.
pub fn legend_entry(p: &PointData<'_>) -> (String, Option<String>) {
    let text = match (p.regime, p.answer) {
        (Some(r), _) => r.to_string(),
        (None, Some(a)) => format!("{a} — {}: {}", p.outcome, p.path),
        (None, None) => format!("{} — {}", p.outcome, p.path),
    };
    (text, p.answer.map(str::to_string))
}

impl Aggregate {
    /// An empty plot of `spec`: a line chart for one axis, a region map for two.
    pub fn new(spec: PlotSpec) -> Result<Aggregate, PlotError> {
        let points = spec.axes.iter().map(|a| a.1.len() as u64).product();
        let kind = match &spec.axes[..] {
            [(_, xs)] => {
                let n = xs.len();
                let mut order: Vec<u32> = (0..n as u32).collect();
                order.sort_by(|&a, &b| xs[a as usize].total_cmp(&xs[b as usize]));
                let mut rank = vec![0u32; n];
                for (r, &i) in order.iter().enumerate() {
                    rank[i as usize] = r as u32;
                }
                let sorted = order.iter().map(|&i| xs[i as usize]).collect();
                let bins = n.min(LINE_BINS);
                let width = spec.events.len() + spec.players.len();
                Kind::Line(Line {
                    rank,
                    sorted,
                    bins,
                    class: vec![u32::MAX; n],
                    labels: HashMap::new(),
                    bin_x: vec![f64::NAN; bins],
                    bin_vals: vec![f64::NAN; bins * width],
                })
            }
            [(_, xs), (_, ys)] => {
                let increasing = |v: &[f64]| v.windows(2).all(|w| w[0] < w[1]);
                if !increasing(xs) || !increasing(ys) {
                    return Err(PlotError::Data(
                        "a region map needs increasing values on both axes".into(),
                    ));
                }
                let (bx, by) = (xs.len().min(MAP_BINS), ys.len().min(MAP_BINS));
                Kind::Map(Map {
                    nx: xs.len(),
                    ny: ys.len(),
                    bx,
                    by,
                    cells: vec![u32::MAX; bx * by],
                    classes: HashMap::new(),
                    legend: Vec::new(),
                    answers: Vec::new(),
                    regimes: false,
                })
            }
            axes => {
                return Err(PlotError::Data(format!(
                    "--plot draws one or two varied parameters, this sweep varies {}",
                    axes.len()
                )))
            }
        };
        Ok(Aggregate {
            spec,
            kind,
            seen: 0,
            points,
        })
    }

    /// Adds one point (each once, in index order).
    pub fn add(&mut self, p: &PointData<'_>) {
        self.seen += 1;
        match &mut self.kind {
            Kind::Line(l) => {
                let Some(&r) = l.rank.get(p.index as usize) else {
                    return;
                };
                let r = r as usize;
                let next = l.labels.len() as u32;
                let c = *l
                    .labels
                    .entry(p.regime.unwrap_or(p.outcome).to_string())
                    .or_insert(next);
                l.class[r] = c;
                let n = l.rank.len();
                let b = bin_of(r, n, l.bins);
                if bin_start(b, n, l.bins) == r {
                    l.bin_x[b] = l.sorted[r];
                    let width = l.bin_vals.len() / l.bins;
                    let vals = &mut l.bin_vals[b * width..(b + 1) * width];
                    for (k, &x) in p.events.iter().chain(p.payoffs).enumerate().take(width) {
                        vals[k] = as_printed(x);
                    }
                }
            }
            Kind::Map(m) => {
                let (ix, iy) = (
                    (p.index / m.ny as u64) as usize,
                    (p.index % m.ny as u64) as usize,
                );
                if ix >= m.nx {
                    return;
                }
                // A regime map has one class per regime set; otherwise answer and outcome.
                let key = match p.regime {
                    Some(r) => (None, r.to_string()),
                    None => (p.answer.map(str::to_string), p.outcome.to_string()),
                };
                m.regimes |= p.regime.is_some();
                let next = m.classes.len() as u32;
                let c = match m.classes.get(&key) {
                    Some(&c) => c,
                    None => {
                        let (text, answer) = legend_entry(p);
                        m.legend.push(text);
                        m.answers.push(answer);
                        m.classes.insert(key, next);
                        next
                    }
                };
                let (bx, by) = (bin_of(ix, m.nx, m.bx), bin_of(iy, m.ny, m.by));
                if bin_start(bx, m.nx, m.bx) == ix && bin_start(by, m.ny, m.by) == iy {
                    m.cells[bx * m.by + by] = c;
                }
            }
        }
    }

    /// The figure's title, once every point of the grid has been added.
    fn title_when_complete(&self) -> Result<String, PlotError> {
        if self.seen != self.points {
            return Err(PlotError::Data(format!(
                "the plot needs the whole grid ({} points), got {}",
                self.points, self.seen
            )));
        }
        Ok(if self.spec.title.is_empty() {
            "Sweep".to_string()
        } else {
            self.spec.title.clone()
        })
    }

    /// The plot as SVG; every point of the grid must have been added.
    pub fn svg(&self) -> Result<String, PlotError> {
        let title = self.title_when_complete()?;
        match &self.kind {
            Kind::Line(l) => self.line(l, &title, &[], ""),
            Kind::Map(m) => self.map(m, title, &[], ""),
        }
    }

    /// A region map's grid: each bin's parameter values (its first swept point's) along x and
    /// y, and each bin's class (`cells[bx * by_len + by]`); `None` for a line chart or a
    /// regime map.
    pub fn map_grid(&self) -> Option<(Vec<f64>, Vec<f64>, Vec<u32>)> {
        let Kind::Map(m) = &self.kind else {
            return None;
        };
        if m.regimes || m.cells.contains(&u32::MAX) {
            return None;
        }
        let (xs, ys) = self.bin_values(m);
        Some((xs, ys, m.cells.clone()))
    }

    /// Each map bin's first swept value along x and along y.
    fn bin_values(&self, m: &Map) -> (Vec<f64>, Vec<f64>) {
        let vals = |v: &[f64], n: usize, bins: usize| -> Vec<f64> {
            (0..bins).map(|b| v[bin_start(b, n, bins)]).collect()
        };
        (
            vals(&self.spec.axes[0].1, m.nx, m.bx),
            vals(&self.spec.axes[1].1, m.ny, m.by),
        )
    }

    /// A regime map's grid (a game with information sets): as [`Aggregate::map_grid`], with
    /// each class's regime set as the sweep writes it; `None` for any other plot.
    pub fn regime_grid(&self) -> Option<RegimeGrid> {
        let Kind::Map(m) = &self.kind else {
            return None;
        };
        if !m.regimes || m.cells.contains(&u32::MAX) {
            return None;
        }
        let (xs, ys) = self.bin_values(m);
        Some((xs, ys, m.cells.clone(), m.legend.clone()))
    }

    /// The plot as SVG with `note` under a region map's legend (why its cells are drawn);
    /// a line chart has no note.
    pub fn svg_noted(&self, note: &str) -> Result<String, PlotError> {
        match &self.kind {
            Kind::Map(m) if !note.is_empty() => {
                let title = self.title_when_complete()?;
                self.map(m, title, &[], note)
            }
            _ => self.svg(),
        }
    }

    /// The class a point has on this region map (`None` if no swept point has it).
    pub fn class_of(&self, p: &PointData<'_>) -> Option<u32> {
        let Kind::Map(m) = &self.kind else {
            return None;
        };
        let key = match p.regime {
            Some(r) => (None, r.to_string()),
            None => (p.answer.map(str::to_string), p.outcome.to_string()),
        };
        m.classes.get(&key).copied()
    }

    /// The region map drawn from exact regions (`(class, ring)`, vertices in parameter units,
    /// covering the swept range) instead of its cells, with `note` under the legend.
    pub fn svg_exact(
        &self,
        rings: &[(usize, Vec<(f64, f64)>)],
        note: &str,
    ) -> Result<String, PlotError> {
        self.svg_exact_with(rings, &[], note)
    }

    /// [`Aggregate::svg_exact`] with classes no swept point has (regions thinner than the
    /// grid): `extra[i]` (legend text and answer word, as [`legend_entry`] gives them) is
    /// class `n + i`, `n` the number of classes the swept points have.
    pub fn svg_exact_with(
        &self,
        rings: &[(usize, Vec<(f64, f64)>)],
        extra: &[(String, Option<String>)],
        note: &str,
    ) -> Result<String, PlotError> {
        let Kind::Map(m) = &self.kind else {
            return Err(PlotError::Data(
                "exact regions are drawn on a region map".into(),
            ));
        };
        let title = if self.spec.title.is_empty() {
            "Sweep".to_string()
        } else {
            self.spec.title.clone()
        };
        if extra.is_empty() {
            return self.map(m, title, rings, note);
        }
        let mut legend = m.legend.clone();
        let mut answers = m.answers.clone();
        for (text, answer) in extra {
            legend.push(text.clone());
            answers.push(answer.clone());
        }
        let more = Map {
            nx: m.nx,
            ny: m.ny,
            bx: m.bx,
            by: m.by,
            cells: m.cells.clone(),
            classes: HashMap::new(),
            legend,
            answers,
            regimes: m.regimes,
        };
        self.map(&more, title, rings, note)
    }

    /// The legend of a region map: class `k`'s text at `k`, one per class the swept points
    /// have (empty for a line chart).
    pub fn legend(&self) -> &[String] {
        match &self.kind {
            Kind::Map(m) => &m.legend,
            Kind::Line(_) => &[],
        }
    }

    /// The line chart as SVG with a band under each event probability: `bands[e]` holds the
    /// lower and upper end of event `e` at every point of the grid (by index), `note` says what
    /// the bands are. A region map has no bands (an error).
    pub fn svg_with_bands(&self, bands: &[Interval], note: &str) -> Result<String, PlotError> {
        let Kind::Line(l) = &self.kind else {
            return Err(PlotError::Data(
                "bands are drawn on a line chart (one varied parameter)".into(),
            ));
        };
        if self.seen != self.points {
            return Err(PlotError::Data(format!(
                "the plot needs the whole grid ({} points), got {}",
                self.points, self.seen
            )));
        }
        // Each bin shows its first point in increasing order of the parameter.
        let n = l.rank.len();
        let mut order = vec![0usize; n];
        for (i, &r) in l.rank.iter().enumerate() {
            order[r as usize] = i;
        }
        let at = |v: &[f64], b: usize| v.get(order[bin_start(b, n, l.bins)]).copied();
        let binned: Vec<Interval> = (bands.iter())
            .map(|iv| Interval {
                lo: (0..l.bins)
                    .map(|b| at(&iv.lo, b).unwrap_or(f64::NAN))
                    .collect(),
                hi: (0..l.bins)
                    .map(|b| at(&iv.hi, b).unwrap_or(f64::NAN))
                    .collect(),
            })
            .collect();
        let title = if self.spec.title.is_empty() {
            "Sweep"
        } else {
            &self.spec.title
        };
        self.line(l, title, &binned, note)
    }

    fn line(
        &self,
        l: &Line,
        title: &str,
        bands: &[Interval],
        note: &str,
    ) -> Result<String, PlotError> {
        let width = self.spec.events.len() + self.spec.players.len();
        let series = |k: usize, name: String| Series {
            name,
            values: (0..l.bins).map(|b| l.bin_vals[b * width + k]).collect(),
        };
        let n_ev = self.spec.events.len();
        let probs: Vec<Series> = (self.spec.events.iter().enumerate())
            .map(|(k, e)| series(k, format!("P({e})")))
            .collect();
        let payoffs: Vec<Series> = (self.spec.players.iter().enumerate())
            .map(|(k, p)| series(n_ev + k, p.clone()))
            .collect();
        let found = outcome_changes(&l.sorted, &l.class);
        let chart = LineChart {
            title,
            x_name: &self.spec.axes[0].0,
            xs: &l.bin_x,
            probs: &probs,
            payoffs: &payoffs,
            thresholds: &found,
        };
        if bands.is_empty() {
            line_svg(&chart)
        } else {
            Ok(figure_with_bands(&chart, bands, note)?.svg)
        }
    }

    fn map(
        &self,
        m: &Map,
        title: String,
        exact: &[(usize, Vec<(f64, f64)>)],
        note: &str,
    ) -> Result<String, PlotError> {
        let bin_edges = |vals: &[f64], bins: usize| -> Vec<f64> {
            let e = crate::plot::edges(vals);
            (0..=bins)
                .map(|b| e[bin_start(b, vals.len(), bins)])
                .collect()
        };
        let (xs, ys) = (&self.spec.axes[0], &self.spec.axes[1]);
        let title = match &self.spec.question {
            _ if m.regimes => format!("{title} — regimes (every equilibrium at each point)"),
            Some((name, ask)) => {
                let ask = if ask.is_empty() { name } else { ask };
                format!("{title} — {ask}: the answer and the outcome")
            }
            None => title,
        };
        let cells: Vec<usize> = m.cells.iter().map(|&c| c as usize).collect();
        use crate::questions::Effect;
        let (answers, good) = match &self.spec.answer_words {
            // Regime maps are coloured by regime set, one colour each.
            _ if m.regimes => (Vec::new(), None),
            Some((lower, higher, good)) => {
                let effect = |w: &Option<String>| match w.as_deref() {
                    Some(w) if w == lower => Effect::Lower,
                    Some(w) if w == higher => Effect::Higher,
                    Some("no effect") => Effect::None,
                    _ => Effect::Unknown,
                };
                let good = match good.as_deref() {
                    Some("lower") => Some(Effect::Lower),
                    Some("higher") => Some(Effect::Higher),
                    _ => None,
                };
                (m.answers.iter().map(effect).collect(), good)
            }
            None => (Vec::new(), None),
        };
        // Exact regions cover the swept range itself; cells reach half a step beyond it.
        let range = |v: &[f64]| vec![v[0], v[v.len() - 1]];
        let (ex, ey) = if exact.is_empty() {
            (bin_edges(&xs.1, m.bx), bin_edges(&ys.1, m.by))
        } else {
            (range(&xs.1), range(&ys.1))
        };
        let rm = RegionMap {
            title: &title,
            x: (&xs.0, &ex),
            y: (&ys.0, &ey),
            cells: &cells,
            legend: &m.legend,
            answers: &answers,
            good,
        };
        if exact.is_empty() && note.is_empty() {
            region_svg(&rm)
        } else {
            Ok(crate::plot::region_figure_with(&rm, exact, note)?.svg)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(axes: Vec<(String, Vec<f64>)>) -> PlotSpec {
        PlotSpec {
            title: "t".into(),
            axes,
            players: vec!["A".into()],
            events: vec!["war".into()],
            question: None,
            answer_words: None,
        }
    }

    #[test]
    fn bins_cover_every_item_once() {
        for (n, bins) in [(10, 10), (10, 3), (1_000_003, 1024), (7, 1)] {
            assert_eq!(bin_start(0, n, bins), 0);
            assert_eq!(bin_start(bins, n, bins), n);
            for i in [0, n / 2, n - 1] {
                let b = bin_of(i, n, bins);
                assert!(bin_start(b, n, bins) <= i && i < bin_start(b + 1, n, bins));
            }
        }
    }

    #[test]
    fn a_large_map_is_drawn_from_bounded_bins() {
        let n = 3000;
        let xs: Vec<f64> = (0..n).map(|i| i as f64).collect();
        let mut a = Aggregate::new(spec(vec![("x".into(), xs.clone()), ("y".into(), xs)])).unwrap();
        for i in 0..(n * n) as u64 {
            let (x, y) = (i / n as u64, i % n as u64);
            let o = if x + y < n as u64 { "low" } else { "high" };
            a.add(&PointData {
                index: i,
                outcome: o,
                path: "p",
                regime: None,
                payoffs: &[0.0],
                events: &[0.0],
                answer: None,
            });
        }
        let Kind::Map(m) = &a.kind else { panic!() };
        assert_eq!(m.cells.len(), MAP_BINS * MAP_BINS);
        assert!(m.cells.iter().all(|&c| c != u32::MAX));
        let svg = a.svg().unwrap();
        assert!(svg.contains("low — p") && svg.contains("high — p"));
    }

    #[test]
    fn a_line_keeps_thresholds_between_neighbouring_values() {
        // Values given in decreasing order: the chart is drawn in increasing order.
        let xs: Vec<f64> = (0..5000).rev().map(|i| i as f64 / 10.0).collect();
        let mut a = Aggregate::new(spec(vec![("x".into(), xs.clone())])).unwrap();
        for (i, &x) in xs.iter().enumerate() {
            let o = if x < 123.45 { "a" } else { "b" };
            a.add(&PointData {
                index: i as u64,
                outcome: o,
                path: "p",
                regime: None,
                payoffs: &[x],
                events: &[if x < 123.45 { 1.0 } else { 0.0 }],
                answer: None,
            });
        }
        let Kind::Line(l) = &a.kind else { panic!() };
        assert_eq!(l.bins, LINE_BINS);
        assert_eq!(
            outcome_changes(&l.sorted, &l.class),
            vec![(123.4 + 123.5) / 2.0]
        );
        assert!(a.svg().unwrap().contains("P(war)"));
    }
}
