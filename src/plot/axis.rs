//! Axis ticks a reader can use: round values (1, 2, 2.5 or 5 times a power of ten), printed
//! without trailing zeros and never as "-0".

use crate::output::words::num;

/// Round tick values covering `[lo, hi]`: about `target` of them, all inside the range.
pub fn ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return if lo.is_finite() { vec![lo] } else { vec![] };
    }
    let raw = (hi - lo) / target.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let first = (lo / step - 1e-9).ceil();
    let mut out = Vec::new();
    let mut k = first;
    while k * step <= hi + step * 1e-9 {
        // Multiplying the integer index keeps values round (no accumulated error).
        out.push(k * step);
        k += 1.0;
    }
    out
}

/// A tick label: [`num`] with the step's precision, never "-0".
pub fn label(x: f64, step: f64) -> String {
    let digits = if step > 0.0 {
        (-step.log10().floor()).clamp(0.0, 6.0) as i32 + 1
    } else {
        6
    };
    let scale = 10f64.powi(digits);
    num((x * scale).round() / scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_ticks_and_labels() {
        assert_eq!(
            ticks(0.0, 1.0, 5),
            vec![0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0]
        );
        let t = ticks(-3.0, 1.2, 5);
        assert_eq!(t.first(), Some(&-3.0));
        let labels: Vec<String> = t.iter().map(|&x| label(x, 1.0)).collect();
        assert!(labels.contains(&"0".to_string()), "{labels:?}");
        assert!(!labels.iter().any(|l| l == "-0"));
        assert_eq!(label(-1e-17, 0.5), "0");
        assert_eq!(label(0.6000000000000001, 0.2), "0.6");
        assert_eq!(label(2.5, 0.5), "2.5");
    }
}
