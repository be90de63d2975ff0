//! The set-up every figure shares: the bold title wrapped across the figure's width above the
//! plot, and the dark frame around a plot area. Line charts, maps and the logit path draw
//! them the same way, so they are drawn here once.

use super::canvas::{wrap, Anchor, Canvas, Rect};

/// Title size in pixels.
const TITLE: f64 = 15.0;

/// Draws `title` (already stripped of markup) in bold, centred on a figure `width` wide and
/// wrapped 20 px inside each side, from the top; returns the baseline of its last line.
pub fn title(cv: &mut Canvas, title: &str, width: f64) -> f64 {
    let mut y = 8.0;
    for line in wrap(title, TITLE, true, width - 40.0) {
        y += 19.0;
        cv.text(
            (width / 2.0, y),
            Anchor::Middle,
            TITLE,
            r#"font-weight="bold""#,
            &line,
        );
    }
    y
}

/// Draws the frame around the plot area `r`.
pub fn frame(cv: &mut Canvas, r: Rect) {
    cv.rect(r, r##"fill="none" stroke="#333""##);
}
