//! Colours with one meaning across every figure.
//!
//! A question's answers are coloured the same way in the report's map and in a sweep's map:
//! when the question says which answer is desirable (`good = "lower"` or `"higher"`), the good
//! answer is blue and the other red; otherwise the two answers get a neutral pair, purple for
//! "lower" and orange for "higher", so no colour suggests a judgement the model did not make.
//! "No difference" is always grey and "cannot be evaluated" white. Several outcomes with the
//! same answer get lighter and darker shades of the answer's colour. Curves and outcome classes
//! without a question use the Okabe–Ito palette, which stays distinguishable for colour-blind
//! readers.

use crate::questions::Effect;

/// Okabe–Ito colours (then a few more) for curves and outcome classes, cycled.
pub const SERIES: [&str; 10] = [
    "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#787878",
    "#000000", "#9650c8",
];

/// Dash patterns for curves, cycled with [`SERIES`] (the first solid), so coinciding or
/// crossing curves stay distinguishable, also in black and white.
pub const DASHES: [&str; 6] = ["", "8,3", "2,3", "8,3,2,3", "14,4", "4,4"];

/// The colour of series `k`.
pub fn series(k: usize) -> &'static str {
    SERIES[k % SERIES.len()]
}

/// The dash pattern of series `k` (`""`: solid).
pub fn dash(k: usize) -> &'static str {
    DASHES[k % DASHES.len()]
}

/// Base colour and its name in captions, for an answer (`good`: the desirable one, if the
/// question names it).
pub fn answer(e: Effect, good: Option<Effect>) -> (&'static str, &'static str) {
    match (e, good) {
        (Effect::None, _) => ("#d9d9d9", "grey"),
        (Effect::Unknown, _) => ("#ffffff", "white"),
        (e, Some(g)) if e == g => ("#4393c3", "blue"),
        (_, Some(_)) => ("#d6604d", "red"),
        (Effect::Lower, None) => ("#8073ac", "purple"),
        (Effect::Higher, None) => ("#e08214", "orange"),
    }
}

/// Shade `k` of a colour: `k = 0` is the colour itself, then alternately lighter and darker.
pub fn shade(hex: &str, k: usize) -> String {
    if k == 0 {
        return hex.to_string();
    }
    let c = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(128) as f64;
    let (r, g, b) = (c(1), c(3), c(5));
    // Lighter: mix with white; darker: mix with black. Steps of a third, at most two thirds.
    let step = k.div_ceil(2);
    let f = (step as f64 / 3.0).min(0.67);
    let mix = |x: f64| {
        if k % 2 == 1 {
            x + (255.0 - x) * f
        } else {
            x * (1.0 - f)
        }
    };
    format!(
        "#{:02x}{:02x}{:02x}",
        mix(r).round() as u8,
        mix(g).round() as u8,
        mix(b).round() as u8
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_meaning_per_answer() {
        assert_eq!(answer(Effect::Lower, Some(Effect::Lower)).1, "blue");
        assert_eq!(answer(Effect::Higher, Some(Effect::Higher)).1, "blue");
        assert_eq!(answer(Effect::Higher, Some(Effect::Lower)).1, "red");
        assert_eq!(answer(Effect::Lower, None).1, "purple");
        assert_eq!(answer(Effect::Higher, None).1, "orange");
        assert_eq!(answer(Effect::None, None).1, "grey");
        assert_eq!(shade("#808080", 0), "#808080");
        assert_ne!(shade("#808080", 1), shade("#808080", 2));
    }
}
