//! Thresholds, regions and questions against the analytic results of MODELS.md §4 and §5.

use crate::util::{template, theta};
use deter::thresholds::{thresholds, Threshold, ThresholdOptions};

fn along(file: &str, scenario: Option<&str>, sets: &[(&str, f64)], name: &str) -> Vec<Threshold> {
    let t = template(file);
    let base = theta(&t, scenario, sets);
    let p = t.params.id(name).unwrap();
    let (lo, hi) = t.params.ranges[p].unwrap();
    thresholds(&t, &base, p, lo, hi, &ThresholdOptions::default()).unwrap()
}

/// The threshold nearest `want`, asserted within 1e-9 and exact.
fn has(ts: &[Threshold], want: f64) -> &Threshold {
    let th = ts
        .iter()
        .min_by(|a, b| (a.value - want).abs().total_cmp(&(b.value - want).abs()))
        .unwrap_or_else(|| panic!("no thresholds; want {want}"));
    assert!(
        (th.value - want).abs() <= 1e-9,
        "nearest threshold to {want} is {}: {ts:#?}",
        th.value
    );
    assert!(th.exact, "threshold {want} not exact");
    th
}

#[test]
fn debug_print() {
    let t = template("models/hedging.toml");
    let p = t.params.id("T").unwrap();
    for th in along("models/hedging.toml", Some("cold_war"), &[], "T") {
        println!("{}", th.describe(&t, p));
    }
    let p = t.params.id("c_D").unwrap();
    for th in along("models/hedging.toml", Some("cold_war"), &[], "c_D") {
        println!("{}", th.describe(&t, p));
    }
    let _ = has;
}
