//! A sweep's figure, its region map drawn from exact regions where they can be found.
//!
//! `sweep --plot` and `deter plot` (from the sweep file) draw the same figure through
//! [`figure`]: a line chart for one varied parameter; for two, a region map whose regions are
//! exact polygons (or curves) when the equilibrium conditions are derived exactly and agree
//! with every swept point — [`crate::geometry::sweep::outcome_pieces`] for games of perfect
//! information, [`crate::geometry::sweep::regime_areas`] for regime maps of games with
//! information sets — else the swept cells with a note saying why. A region no swept point
//! has (thinner than the grid) is kept, with a legend entry of its own, when a solve inside it
//! confirms the class its conditions predict ([`crate::geometry::verify`]). Everything the exact
//! regions depend on (the model, the base point, the solver, the selection, the questions)
//! is in the [`Sweeper`] given, so a sweep file whose manifest records them
//! ([`super::file::Source`]) is drawn to the same bytes.

use super::aggregate::Aggregate;
use super::{Grid, Sweeper};
use crate::plot::PlotError;
use crate::solve::SolveOptions;

/// The figure of `a` (every point added): exact regions on a two-parameter map where they can
/// be found for `sw`, whose parameters `axes` are the map's (horizontal, vertical). Also
/// returns, for a map drawn from its cells, why (the note under it).
pub fn figure(
    sw: &Sweeper<'_>,
    axes: (usize, usize),
    a: &Aggregate,
) -> Result<(String, Option<String>), PlotError> {
    let names = &sw.template.params.names;
    let (xn, yn) = (&names[axes.0], &names[axes.1]);
    if let Some((xs, ys, cells, labels)) = a.regime_grid() {
        let why = if sw.selection.single() {
            format!(
                "one equilibrium per point is selected ({}), and regime conditions describe \
                 every equilibrium",
                sw.selection.name()
            )
        } else {
            let opts = SolveOptions {
                tol: sw.tol,
                refine: sw.selection.refinement(),
                ..SolveOptions::default()
            };
            let swept = crate::geometry::sweep::Swept {
                x: (axes.0, &xs),
                y: (axes.1, &ys),
                cells: &cells,
            };
            match crate::geometry::sweep::regime_areas(
                sw.template,
                &opts,
                &sw.base,
                &swept,
                &labels,
            ) {
                Ok(r) => {
                    let extra: Vec<LegendEntry> =
                        r.unsampled.into_iter().map(|l| (l, None)).collect();
                    return Ok((a.svg_exact_with(&r.rings, &extra, &r.note)?, None));
                }
                Err(why) => why,
            }
        };
        return cells_drawn(a, &why);
    }
    if a.map_grid().is_none() {
        // A line chart.
        return Ok((a.svg()?, None));
    }
    match outcome_pieces(sw, axes, a) {
        Some((pieces, extra)) => {
            let note = crate::geometry::sweep::note(xn, yn, extra.len());
            let rings = crate::geometry::sweep::rings(&pieces);
            Ok((a.svg_exact_with(&rings, &extra, &note)?, None))
        }
        None => cells_drawn(
            a,
            &format!(
                "the movers' best-move conditions are not all linear in {xn} and {yn}, or the \
                 regions they cut do not agree with every swept point"
            ),
        ),
    }
}

/// The exact convex pieces of a perfect-information sweep's region map (`a`, every point
/// added) with their classes ([`crate::geometry::sweep::outcome_pieces`]), each piece's class
/// found by solving at a point inside it as `sw` solves; `None` where they cannot be found.
/// A class no swept point has (a region thinner than the grid, confirmed by a solve inside
/// it) is numbered after the swept ones: the second list gives their legend entries
/// ([`super::aggregate::legend_entry`]), class `a.legend().len() + i` the `i`-th.
pub fn outcome_pieces(
    sw: &Sweeper<'_>,
    axes: (usize, usize),
    a: &Aggregate,
) -> Option<(Pieces, Vec<LegendEntry>)> {
    let (xs, ys, cells) = a.map_grid()?;
    let solver = sw.method.name().to_string();
    let mut extra: Vec<LegendEntry> = Vec::new();
    let known = a.legend().len();
    // The class the sweep gives a point: a one-point sweep there, with the same questions
    // and selection.
    let mut class_at = |theta: &[f64]| -> Option<u32> {
        let mut one = Sweeper::new(
            sw.template,
            theta.to_vec(),
            Grid::new(vec![]).ok()?,
            Some(&solver),
        )
        .ok()?;
        if sw.questions.is_empty() {
            one.questions.clear();
        }
        one.selection = sw.selection;
        let rows = one.rows(0..1).ok()?;
        let point = one.point_data(rows.first()?);
        if let Some(c) = a.class_of(&point) {
            return Some(c);
        }
        let entry = super::aggregate::legend_entry(&point);
        let i = match extra.iter().position(|e| *e == entry) {
            Some(i) => i,
            None => {
                extra.push(entry);
                extra.len() - 1
            }
        };
        u32::try_from(known + i).ok()
    };
    let swept = crate::geometry::sweep::Swept {
        x: (axes.0, &xs),
        y: (axes.1, &ys),
        cells: &cells,
    };
    let pieces = crate::geometry::sweep::outcome_pieces(
        sw.template,
        &sw.base,
        sw.questions.first(),
        &swept,
        &mut class_at,
    )?;
    // Every class numbered here is some piece's: a second solve finding another class
    // refuses the whole map.
    Some((pieces, extra))
}

/// Convex pieces of a map with their classes, vertices exact.
pub type Pieces = Vec<(u32, Vec<crate::geometry::Point>)>;

/// A class's legend text and answer word ([`super::aggregate::legend_entry`]).
pub type LegendEntry = (String, Option<String>);

/// The map drawn from its swept cells, the note saying why.
pub fn cells_drawn(a: &Aggregate, why: &str) -> Result<(String, Option<String>), PlotError> {
    let note = cells_note(why);
    Ok((a.svg_noted(&note)?, Some(why.to_string())))
}

/// The note under a map drawn from its swept cells.
pub fn cells_note(why: &str) -> String {
    format!("Regions drawn from the swept points (each cell shows its point's class): {why}.")
}
