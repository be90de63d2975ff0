//! Exact region geometry: maps drawn as polygons from the regions' conditions, their shares
//! exact and the same as the text's.

use crate::util::{template, theta};
use deter::exact::{self, Rational};
use deter::geometry::regimes::Exact;
use deter::questions::{self, Effect};
use deter::regime::map::{regime_map, MapOptions};
use deter::regime::rational::of_f64;
use deter::regime::Evaluator;
use deter::report::{self, Options};
use deter::solve::SolveOptions;

/// The share of [0, 1] × [0, 3] (T × c_D) where hedging deters at `cold_war`, integrated
/// numerically from the region of docs/models/hedging.md: T > −psi0/beta and
/// a < c_D < a − lambda·T + L.
fn hedging_share_by_integration(th: &[f64], id: &dyn Fn(&str) -> usize) -> f64 {
    let v = |n: &str| th[id(n)];
    let n = 200_000;
    let mut s = 0.0;
    for i in 0..n {
        let t = (i as f64 + 0.5) / n as f64;
        if t <= -v("psi0") / v("beta") {
            continue;
        }
        let lo = v("a").max(0.0);
        let hi = (v("a") - v("lambda") * t + v("L")).min(3.0);
        s += (hi - lo).max(0.0) / n as f64;
    }
    s / 3.0
}

#[test]
fn hedging_share_is_the_exact_integral_everywhere_it_is_printed() {
    let t = template("models/hedging.toml");
    let th = theta(&t, Some("cold_war"), &[]);
    let id = |n: &str| t.params.id(n).expect("a parameter of hedging.toml");
    let want = hedging_share_by_integration(&th, &id);
    assert!((want - 0.4533).abs() < 1e-3, "integral {want}");
    let p = questions::prepare(&t).unwrap().remove(0);
    let axes = (id("T"), id("c_D"));
    let ranges = ((0.0, 1.0), (0.0, 3.0));
    for n in [81, 121] {
        let m = questions::question_map(&p, &th, axes, ranges, n).unwrap();
        let r = questions::map_regions(&p, &th, &m, Effect::Lower);
        assert_eq!(r.len(), 1, "one region where hedging deters");
        assert!((r[0].share - want).abs() < 1e-6, "{} vs {want}", r[0].share);
        // The polygon drawn has that area, whatever the grid.
        let exact = m.exact_regions(&p, &th).expect("linear conditions");
        let area: Rational = exact
            .iter()
            .filter(|e| e.effect == Effect::Lower && !e.tied)
            .map(|e| deter::geometry::area(&e.polygon))
            .sum();
        assert_eq!(
            area / exact::parse("3").unwrap(),
            exact::parse("1.36").unwrap() / exact::parse("3").unwrap()
        );
    }
    let s = questions::region_sentences(&p, &th, axes.0, axes.1, ranges.0, ranges.1, 40).unwrap();
    assert!(
        s.iter()
            .any(|l| l.contains("Hedging deters (45.3% of the map")),
        "{s:#?}"
    );
}

/// The `d` attributes of the filled paths of an SVG.
fn paths(svg: &str) -> Vec<&str> {
    svg.split("<path d=\"")
        .skip(1)
        .filter_map(|p| p.split('"').next())
        .collect()
}

#[test]
fn a_slanted_boundary_is_one_edge_not_a_staircase() {
    let t = template("models/hedging.toml");
    let r = report::build(&t, "models/hedging.toml", &Options::default()).unwrap();
    let q = &r.questions[0];
    let svg = q.map_svg.as_ref().expect("a question map");
    assert!(svg.contains("Regions drawn exactly"), "{svg}");
    let ps = paths(svg);
    assert!(!ps.is_empty());
    // c_D < 3 − 0.5·T crosses the map diagonally: as cells on the report's 121 × 121 grid it
    // would take ~121 steps; as a polygon every region has a handful of vertices.
    for d in &ps {
        let vertices = d.matches(['M', 'L']).count();
        assert!(vertices <= 8, "{vertices} vertices: {d}");
    }
    // No cells: the only rectangles are the frame and the legend's keys.
    assert!(svg.matches("<rect").count() < 12);
    // The scenario maps (a slice of their own) are drawn the same way.
    for (_, m) in &q.scenario_maps {
        assert!(m.contains("Regions drawn exactly"));
    }
}

#[test]
fn unilateral_regimes_have_vertices_at_pi_s_pi_h_and_mu_bar() {
    let t = template("models/unilateral_deterrence.toml");
    let base: Vec<Rational> = t.defaults().iter().map(|&v| of_f64(v).unwrap()).collect();
    let id = |n: &str| t.params.id(n).unwrap();
    let v = |n: &str| base[id(n)].clone();
    let one = Rational::from_integer(1.into());
    // MODELS.md §1.1: π_S = 1 − s, π_H = (1 − s)/(1 − c_H), μ̄ = 1/(1 − d_S).
    let pi_s = &one - v("s");
    let pi_h = (&one - v("s")) / (&one - v("c_H"));
    let mu = &one / (&one - v("d_S"));
    let zero = Rational::from_integer(0.into());
    let mut ev = Evaluator::new(&t, SolveOptions::default());
    let m = regime_map(
        &mut ev,
        &base,
        (id("p_Def"), zero.clone(), one.clone()),
        (id("p_Ch"), zero.clone(), one.clone()),
        &MapOptions::default(),
    )
    .unwrap();
    let Some(Exact::Polygons(polys)) = m.exact.as_ref() else {
        panic!("linear regime conditions give polygons: {:?}", m.exact)
    };
    let mut xs: Vec<Rational> = polys
        .iter()
        .flatten()
        .flatten()
        .map(|p| p.0.clone())
        .collect();
    let mut ys: Vec<Rational> = polys
        .iter()
        .flatten()
        .flatten()
        .map(|p| p.1.clone())
        .collect();
    for v in [&mut xs, &mut ys] {
        v.sort();
        v.dedup();
    }
    assert_eq!(xs, [zero.clone(), pi_s, pi_h, one.clone()]);
    assert_eq!(ys, [zero, mu, one]);
    // Shares are the polygons' areas and add up to the whole map.
    let total: f64 = m.areas.iter().map(|a| a.share).sum();
    assert!((total - 1.0).abs() < 1e-12);
    for (a, p) in m.areas.iter().zip(polys) {
        assert_eq!(p.len(), 1, "each area one conjunction: one polygon");
        assert_eq!(a.share, exact::to_f64(&deter::geometry::area(&p[0])));
    }
    let svg = m.figure("regimes", &[]).svg;
    assert!(svg.contains("Regions drawn exactly"));
    assert!(paths(&svg)
        .iter()
        .all(|d| d.matches(['M', 'L']).count() <= 6));
}

#[test]
fn a_curved_boundary_is_drawn_through_points_on_the_curve() {
    // tests/models/unilateral_squared.toml: a hard challenger initiates against a soft
    // defender that capitulates iff p_Def·(1 − k²) ≥ 1 − s — over p_Def × k a curve.
    use deter::geometry::curve::sliced;
    use deter::regime::spoly::SPoly;
    let q = |s: &str| exact::parse(s).unwrap();
    let (p, k) = (0, 1);
    let s = q("0.5");
    let one = SPoly::constant(q("1"));
    let cond = SPoly::var(p)
        .mul(&one.sub(&SPoly::var(k).mul(&SPoly::var(k))))
        .sub(&SPoly::constant(q("1") - &s));
    let rect = ((q("0"), q("1")), (q("0"), q("1")));
    let r = sliced(std::slice::from_ref(&cond), p, k, &rect, 400);
    // Area: ∫_{1/2}^{1} √(1 − 1/(2p)) dp, by the midpoint rule here.
    let n = 200_000;
    let want: f64 = (0..n)
        .map(|i| 0.5 + 0.5 * (i as f64 + 0.5) / n as f64)
        .map(|x| (1.0 - 0.5 / x).sqrt() * 0.5 / n as f64)
        .sum();
    assert!((r.area - want).abs() < 1.0 / 400.0, "{} vs {want}", r.area);
    // Every vertex off the frame lies on the curve p·(1 − k²) = 1/2.
    let on_curve = |&(x, y): &(f64, f64)| (x * (1.0 - y * y) - 0.5).abs() < 1e-6;
    let frame = |&(x, y): &(f64, f64)| x == 0.0 || x == 1.0 || y == 0.0 || y == 1.0;
    let vs: Vec<(f64, f64)> = r.rings.iter().flatten().copied().collect();
    // One point on the curve per slice across p ∈ [1/2, 1] (200 of the 400 slices).
    assert!(vs.iter().filter(|v| on_curve(v)).count() >= 190);
    // Off the curve and the frame: only the corners of the half-slice where the region
    // begins (p = 1/2, where the interval of k appears).
    let stray = vs.iter().filter(|v| !on_curve(v) && !frame(v)).count();
    assert!(stray <= 4, "{stray} vertices off the curve and the frame");
}

/// The outcome regions of `regions --map` have exact shares where their conditions are linear:
/// at the default point of hedging.toml each outcome's region, integrated numerically from the
/// conditions printed beside it (with a = 1, lambda = 0.5, L = 2, −psi0/beta = 0.2), at every
/// grid, summing to the whole map.
#[test]
fn outcome_shares_are_exact_areas_whatever_the_grid() {
    let t = template("models/hedging.toml");
    let th = theta(&t, None, &[]);
    let id = |n: &str| t.params.id(n).expect("a parameter of hedging.toml");
    let v = |n: &str| th[id(n)];
    assert_eq!(
        (v("a"), v("lambda"), v("L"), -v("psi0") / v("beta")),
        (1.0, 0.5, 2.0, 0.2)
    );
    // Midpoint integration over T of the c_D interval each region's conditions leave.
    let integrate = |f: &dyn Fn(f64) -> (f64, f64)| {
        let n = 100_000;
        (0..n)
            .map(|i| {
                let (lo, hi) = f((i as f64 + 0.5) / n as f64);
                (hi.min(3.0) - lo.max(0.0)).max(0.0)
            })
            .sum::<f64>()
            / n as f64
            / 3.0
    };
    let after = |t: f64, lo: f64, hi: f64| if t > 0.2 { (lo, hi) } else { (0.0, 0.0) };
    let before = |t: f64, lo: f64, hi: f64| if t < 0.2 { (lo, hi) } else { (0.0, 0.0) };
    let want = [
        ("status_quo_h", integrate(&|t| after(t, 0.0, 3.0 - 0.5 * t))),
        ("acquiesce_h", integrate(&|t| before(t, 1.0, 3.0))),
        ("realign_h", integrate(&|t| after(t, 3.0 - 0.5 * t, 3.0))),
        (
            "status_quo_h",
            integrate(&|t| before(t, 0.0, 1.0 - 0.5 * t)),
        ),
        (
            "status_quo_a",
            integrate(&|t| before(t, 1.0 - 0.5 * t, 1.0)),
        ),
    ];
    for n in [41, 121] {
        let got =
            questions::outcome_regions(&t, &th, id("T"), id("c_D"), (0.0, 1.0), (0.0, 3.0), n)
                .unwrap();
        assert_eq!(got.len(), want.len(), "{got:#?}");
        for (w, g) in want.iter().zip(&got) {
            assert_eq!(w.0, g.outcome);
            assert!(
                (w.1 - g.share).abs() < 1e-6,
                "{}: {} vs {}",
                w.0,
                g.share,
                w.1
            );
        }
        let sum: f64 = got.iter().map(|g| g.share).sum();
        assert!((sum - 1.0).abs() < 1e-12, "{sum}");
    }
}

/// The regime map of tests/models/unilateral_squared.toml over `x` × `y` (ranges [0, 1]),
/// other parameters at the defaults changed by `sets`.
fn squared_map(x: &str, y: &str, sets: &[(&str, &str)]) -> (RegimeMapOf, Vec<Rational>) {
    let t = template("tests/models/unilateral_squared.toml");
    let mut base: Vec<Rational> = t.defaults().iter().map(|&v| of_f64(v).unwrap()).collect();
    for (n, v) in sets {
        base[t.params.id(n).unwrap()] = exact::parse(v).unwrap();
    }
    let id = |n: &str| t.params.id(n).unwrap();
    let (zero, one) = (exact::parse("0").unwrap(), exact::parse("1").unwrap());
    let mut ev = Evaluator::new(&t, SolveOptions::default());
    let m = regime_map(
        &mut ev,
        &base,
        (id(x), zero.clone(), one.clone()),
        (id(y), zero, one),
        &MapOptions::default(),
    )
    .unwrap();
    (m, base)
}

type RegimeMapOf = deter::regime::map::RegimeMap;

/// True if `(x, y)` is inside the rings (even-odd rule, as the map fills them).
fn in_rings(rings: &[Vec<(f64, f64)>], (x, y): (f64, f64)) -> bool {
    let mut inside = false;
    for r in rings {
        for i in 0..r.len() {
            let (a, b) = (r[i], r[(i + 1) % r.len()]);
            if (a.1 > y) != (b.1 > y) && x < a.0 + (y - a.1) * (b.0 - a.0) / (b.1 - a.1) {
                inside = !inside;
            }
        }
    }
    inside
}

/// The areas of the map of tests/models/unilateral_squared.toml over p_Def × k (s = 1/2):
/// from its regimes' conditions (derived by hand from the game: a hard challenger initiates
/// against a soft defender that capitulates iff p_Def·(1 − k²) ≥ 1 − s), which regimes
/// exist at `(p, k)`.
fn squared_regimes(p: f64, k: f64) -> Vec<&'static str> {
    let mut out = Vec::new();
    if p < 0.5 {
        out.push("pooling: DC, DD, CD");
    }
    if k * k < 0.5 || (p > 0.5 && p * (1.0 - k * k) > 0.5) {
        out.push("pooling: SQ");
    }
    if p > 0.5 && p * (1.0 - k * k) < 0.5 {
        out.push("separating: SQ, DC, DD");
    }
    out
}

#[test]
fn the_squared_war_value_map_is_drawn_with_curves() {
    let (m, _) = squared_map("p_Def", "k", &[]);
    let Some(Exact::Curves(areas)) = m.exact.as_ref() else {
        panic!("curved regime conditions give curves: {:?}", m.note())
    };
    assert_eq!(areas.len(), m.areas.len());
    assert_eq!(m.areas.len(), 5, "{:#?}", m.areas);
    // Every vertex lies on the frame, on p_Def = 1/2, on k² = 1/2 or on the curve
    // p_Def·(1 − k²) = 1/2 (k² = 2/7 at p_Def = 0.7).
    let curve = |&(p, k): &(f64, f64)| (p * (1.0 - k * k) - 0.5).abs() < 1e-6;
    let flat = |&(_, k): &(f64, f64)| (k * k - 0.5).abs() < 1e-6;
    let vertical = |&(p, _): &(f64, f64)| (p - 0.5).abs() < 1e-6;
    let frame = |&(p, k): &(f64, f64)| p == 0.0 || p == 1.0 || k == 0.0 || k == 1.0;
    let mut on_curve = 0;
    for a in areas {
        for r in &a.rings {
            for v in r {
                assert!(curve(v) || flat(v) || vertical(v) || frame(v), "{v:?}");
                on_curve += usize::from(curve(v) && !flat(v) && !frame(v));
            }
            // A straight edge carries its two ends only: few vertices off the curve.
            let straight = r.iter().filter(|v| !curve(v)).count();
            assert!(
                straight <= 8,
                "{straight} vertices on straight edges: {r:?}"
            );
        }
    }
    // p_Def·(1 − k²) = 1/2 crosses the map from (1/2, 0) to (1, √(1/2)): one point per slice
    // on each of the two areas it separates.
    assert!(on_curve >= 300, "{on_curve} vertices on the curve");
    // The shares agree with a fine sample of the regions' conditions.
    let n = 1000;
    for (a, c) in m.areas.iter().zip(areas) {
        let key = a.set.key();
        let mut hits = 0;
        for i in 0..n {
            for j in 0..n {
                let (p, k) = ((i as f64 + 0.5) / n as f64, (j as f64 + 0.5) / n as f64);
                hits += usize::from(squared_regimes(p, k) == key);
            }
        }
        let want = hits as f64 / (n * n) as f64;
        assert!(
            (a.share - want).abs() < 2e-3,
            "{key:?}: {} vs {want}",
            a.share
        );
        assert_eq!(a.share, c.share);
        assert!(c.error < 1e-4, "{}", c.error);
    }
    let total: f64 = m.areas.iter().map(|a| a.share).sum();
    assert!((total - 1.0).abs() < 1e-4, "{total}");
    // Points drawn in an area hold its regimes when solved there (seeded points).
    let t = template("tests/models/unilateral_squared.toml");
    let mut ev = Evaluator::new(&t, SolveOptions::default());
    let mut base: Vec<Rational> = t.defaults().iter().map(|&v| of_f64(v).unwrap()).collect();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 11) % 997) as f64 / 997.0 + 0.0005
    };
    for _ in 0..30 {
        let (p, k) = (next(), next());
        let Some((a, _)) = m
            .areas
            .iter()
            .zip(areas)
            .find(|(_, c)| in_rings(&c.rings, (p, k)))
        else {
            continue;
        };
        base[t.params.id("p_Def").unwrap()] = of_f64(p).unwrap();
        base[t.params.id("k").unwrap()] = of_f64(k).unwrap();
        let set = ev.at(&base).unwrap();
        assert_eq!(set.key(), a.set.key(), "at p_Def = {p}, k = {k}");
    }
    let note = m.note();
    assert!(note.contains("curved boundaries"), "{note}");
    assert!(note.contains("every sampled cell lies in its own region"));
    let svg = m.figure("regimes", &[]).svg;
    assert_eq!(paths(&svg).len(), 5, "one path per area, no cells");
}

#[test]
fn a_regime_thinner_than_the_grid_is_verified_and_drawn() {
    // With k = 0.03 the separating regime lives between p_Def = 1 − s and
    // p_Def·(1 − k²) = 1 − s: a slanted wedge under 0.1% of the map wide, which the map's
    // cells (1/24 of the range tall) miss.
    let (m, _) = squared_map("p_Def", "s", &[("k", "0.03")]);
    let Some(Exact::Polygons(pieces)) = m.exact.as_ref() else {
        panic!("linear conditions give polygons: {}", m.note())
    };
    let thin: Vec<usize> = (0..m.areas.len())
        .filter(|k| !m.cells.contains(k))
        .collect();
    assert!(
        !thin.is_empty(),
        "the grid should miss the wedge: {:#?}",
        m.areas
    );
    for &k in &thin {
        let key = m.areas[k].set.key();
        assert!(key.contains(&"separating: SQ, DC, DD"), "{key:?}");
        assert!(m.areas[k].share > 0.0 && m.areas[k].share < 0.01);
        assert!(!pieces[k].is_empty());
    }
    // Wedge area: ∫ over s of the p_Def interval [1 − s, (1 − s)/(1 − k²)] ∩ [0, 1], exactly
    // ∫_{k²}^{1} (1 − s)·k²/(1 − k²) ds + ∫_0^{k²} (1 − (1 − s)) ds… by the midpoint rule:
    let k2 = 0.0009;
    let n = 200_000;
    let want: f64 = (0..n)
        .map(|i| (i as f64 + 0.5) / n as f64)
        .map(|s| ((1.0 - s) / (1.0 - k2)).min(1.0) - (1.0 - s))
        .sum::<f64>()
        / n as f64;
    let got: f64 = thin.iter().map(|&k| m.areas[k].share).sum();
    let sep: f64 = m
        .areas
        .iter()
        .filter(|a| a.set.key().contains(&"separating: SQ, DC, DD"))
        .map(|a| a.share)
        .sum();
    assert!(
        (sep - want).abs() < 1e-6,
        "{sep} vs {want} ({got} unsampled)"
    );
    let total: f64 = m.areas.iter().map(|a| a.share).sum();
    assert!((total - 1.0).abs() < 1e-12, "{total}");
    assert!(m.note().contains("verified by a solve"), "{}", m.note());
}

#[test]
fn a_sweep_map_of_hedging_is_drawn_as_exact_polygons() {
    // Two varied parameters of a game of perfect information: the outcome regions bounded by
    // c_D = 3 − 0.5·T (slanted), c_D = 1 − 0.5·T, c_D = 1 and T = 0.2 are polygons, each
    // slanted edge one segment, instead of 41 × 31 cells.
    let dir = std::env::temp_dir().join(format!("deter-geometry-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let svg_path = dir.join("hedging.svg");
    let model = crate::util::repo("models/hedging.toml");
    let out = crate::util::deter(&[
        "sweep",
        model.to_str().unwrap(),
        "--vary",
        "T=0:1:41",
        "--vary",
        "c_D=0:3:31",
        "--plot",
        svg_path.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(out.status.success(), "{}", crate::util::stderr(&out));
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    assert!(svg.contains("Regions drawn exactly"), "{svg}");
    let ps = paths(&svg);
    assert!(!ps.is_empty());
    for d in &ps {
        // A path is one class's pieces: each convex piece a handful of vertices.
        let pieces = d.matches('M').count();
        let vertices = d.matches(['M', 'L']).count();
        assert!(
            vertices <= 6 * pieces && pieces <= 6,
            "{pieces} pieces, {vertices} vertices: {d}"
        );
    }
    // No cells: the only rectangles are the background, the frame and the legend's keys.
    assert!(svg.matches("<rect").count() < 12, "cells drawn");
    // The slanted edge c_D = 3 − 0.5·T meets the frame at T = 0 (c_D = 3) and T = 1
    // (c_D = 2.5): the vertices of the polygons, in pixels, include the map's corners and a
    // point a sixth of the map's height below its top right corner.
    let vertices: Vec<(f64, f64)> = ps
        .iter()
        .flat_map(|d| d.split(['M', 'L', 'Z']))
        .filter_map(|v| {
            let mut it = v.split_whitespace().map(|n| n.parse::<f64>());
            Some((it.next()?.ok()?, it.next()?.ok()?))
        })
        .collect();
    let xs = vertices.iter().map(|v| v.0);
    let (left, right) = (xs.clone().fold(f64::MAX, f64::min), xs.fold(0.0, f64::max));
    let ys = vertices.iter().map(|v| v.1);
    let (top, bottom) = (ys.clone().fold(f64::MAX, f64::min), ys.fold(0.0, f64::max));
    let want = top + (bottom - top) / 6.0;
    assert!(
        vertices
            .iter()
            .any(|v| (v.0 - right).abs() < 0.02 && (v.1 - want).abs() < 0.02),
        "no vertex at (T, c_D) = (1, 2.5): {vertices:?} ({left}, {top}) – ({right}, {bottom})"
    );
}

#[test]
fn a_question_region_the_grid_misses_is_solved_inside_and_drawn() {
    // On a coarse grid some pairs of choices of hedging.toml's question are never sampled
    // (thin regions near T = 0.2); the exact regions still tile the map, the missing ones
    // solved at a point inside the gap, and each answer's area is the fine grid's.
    let t = template("models/hedging.toml");
    let th = theta(&t, Some("cold_war"), &[]);
    let id = |n: &str| t.params.id(n).expect("a parameter of hedging.toml");
    let p = questions::prepare(&t).unwrap().remove(0);
    let axes = (id("T"), id("c_D"));
    let ranges = ((0.0, 1.0), (0.0, 3.0));
    let by_effect = |r: &[deter::questions::map::ExactRegion]| {
        let mut out: Vec<(String, bool, Rational)> = Vec::new();
        for e in r {
            let a = deter::geometry::area(&e.polygon);
            let key = (format!("{:?}", e.effect), e.tied);
            match out.iter_mut().find(|o| (o.0.clone(), o.1) == key) {
                Some(o) => o.2 += a,
                None => out.push((key.0, key.1, a)),
            }
        }
        out.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
        out
    };
    let fine = questions::question_map(&p, &th, axes, ranges, 121).unwrap();
    let want = by_effect(&fine.exact_regions(&p, &th).expect("linear conditions"));
    let mut missed = 0;
    for n in [3, 4, 5, 6] {
        let m = questions::question_map(&p, &th, axes, ranges, n).unwrap();
        missed += fine.regimes.len().saturating_sub(m.regimes.len());
        let got = m.exact_regions(&p, &th).expect("gaps solved inside");
        assert_eq!(by_effect(&got), want, "{n} × {n} grid");
    }
    assert!(missed > 0, "the coarse grids should miss a region");
}

/// A two-parameter sweep of `model` (`axes` as `--vary` spells them, other parameters at the
/// defaults) aggregated as `sweep --plot` aggregates it.
fn swept_map<'t>(
    t: &'t deter::model::GameTemplate,
    axes: &[&str],
) -> (
    deter::sweep::Sweeper<'t>,
    deter::sweep::aggregate::Aggregate,
) {
    use deter::sweep::aggregate::{Aggregate, PlotSpec};
    use deter::sweep::{Grid, Sweeper, VarySpec};
    let grid = Grid::new(
        axes.iter()
            .map(|a| VarySpec::parse(a, &t.params).unwrap())
            .collect(),
    )
    .unwrap();
    let sw = Sweeper::new(t, t.defaults(), grid, None).unwrap();
    let rows = sw.rows(0..sw.grid.len()).unwrap();
    let mut a = Aggregate::new(PlotSpec::of(&sw)).unwrap();
    for r in &rows {
        a.add(&sw.point_data(r));
    }
    (sw, a)
}

#[test]
fn a_sweep_regime_map_of_unilateral_deterrence_has_vertices_at_pi_s_pi_h_and_mu_bar() {
    // MODELS.md §1.1 with the file's values: π_S = 1 − s = 1/2 (swept exactly: points on
    // the boundary), π_H = (1 − s)/(1 − c_H) = 2/3 and μ̄ = 1/(1 − d_S) = 1/3 (between
    // swept values).
    let t = template("models/unilateral_deterrence.toml");
    let v = |n: &str| of_f64(t.defaults()[t.params.id(n).unwrap()]).unwrap();
    let one = Rational::from_integer(1.into());
    let zero = Rational::from_integer(0.into());
    let pi_s = &one - v("s");
    let pi_h = (&one - v("s")) / (&one - v("c_H"));
    let mu = &one / (&one - v("d_S"));
    let (sw, a) = swept_map(&t, &["p_Def=0:1:21", "p_Ch=0:1:21"]);
    assert!(sw.sets(), "a game with types is swept by a registry solver");
    let (xs, ys, cells, labels) = a.regime_grid().expect("a regime map");
    let swept = deter::geometry::sweep::Swept {
        x: (t.params.id("p_Def").unwrap(), &xs),
        y: (t.params.id("p_Ch").unwrap(), &ys),
        cells: &cells,
    };
    let opts = SolveOptions {
        tol: sw.tol,
        ..SolveOptions::default()
    };
    let deter::geometry::sweep::RegimeAreas {
        rings,
        unsampled,
        note,
    } = deter::geometry::sweep::regime_areas(&t, &opts, &sw.base, &swept, &labels)
        .unwrap_or_else(|why| panic!("fell back to cells: {why}"));
    assert!(unsampled.is_empty(), "{unsampled:?}");
    assert!(note.starts_with("Regions drawn exactly"), "{note}");
    let distinct = |vals: Vec<f64>| {
        let mut v = vals;
        v.sort_by(f64::total_cmp);
        v.dedup();
        v
    };
    let f = exact::to_f64;
    let vx = distinct(rings.iter().flat_map(|r| &r.1).map(|p| p.0).collect());
    let vy = distinct(rings.iter().flat_map(|r| &r.1).map(|p| p.1).collect());
    assert_eq!(vx, [f(&zero), f(&pi_s), f(&pi_h), f(&one)]);
    assert_eq!(vy, [f(&zero), f(&mu), f(&one)]);
    // Every region is one rectangle: merged outlines have four vertices each.
    assert!(rings.iter().all(|r| r.1.len() == 4), "{rings:?}");
    // The same through the whole figure: exact regions, no cells, no fallback note.
    let (svg, why) = deter::sweep::plot::figure(&sw, (swept.x.0, swept.y.0), &a).unwrap();
    assert_eq!(why, None);
    assert!(svg.contains("Regions drawn exactly") && !svg.contains("Regions drawn from"));
    // No cells: the only rectangles are the background, the frame and the legend's keys.
    assert!(
        svg.matches("<rect").count() <= labels.len() + 3,
        "cells drawn"
    );
}

#[test]
fn merged_outlines_keep_their_pieces_area_and_one_per_connected_region() {
    use deter::geometry::outline;
    let t = template("models/hedging.toml");
    let (sw, a) = swept_map(&t, &["T=0:1:41", "c_D=0:3:61"]);
    let axes = (t.params.id("T").unwrap(), t.params.id("c_D").unwrap());
    let (pieces, extra) = deter::sweep::plot::outcome_pieces(&sw, axes, &a).expect("exact pieces");
    assert!(extra.is_empty(), "{extra:?}");
    let mut classes: Vec<u32> = pieces.iter().map(|p| p.0).collect();
    classes.sort();
    classes.dedup();
    let mut outlines = 0;
    for k in &classes {
        let of_k: Vec<Vec<deter::geometry::Point>> = pieces
            .iter()
            .filter(|p| p.0 == *k)
            .map(|p| p.1.clone())
            .collect();
        let merged = outline::merge(&of_k);
        let sum: Rational = of_k.iter().map(|p| deter::geometry::area(p)).sum();
        let total: Rational = merged.iter().map(outline::area).sum();
        assert_eq!(
            total, sum,
            "class {k}: the outlines' area is the pieces' exactly"
        );
        assert!(merged.len() <= of_k.len());
        outlines += merged.len();
    }
    assert!(outlines < pieces.len(), "some pieces merge");
    // Connected regions counted on a fine grid set off every boundary (no point on a
    // line), four-neighbour flood fill.
    let (_, fine) = swept_map(&t, &["T=0.0007:0.9993:150", "c_D=0.0011:2.9989:150"]);
    let (fx, fy, cells) = fine.map_grid().expect("a map");
    let (nx, ny) = (fx.len(), fy.len());
    let mut seen = vec![false; cells.len()];
    let mut regions = 0;
    for start in 0..cells.len() {
        if seen[start] {
            continue;
        }
        regions += 1;
        let mut stack = vec![start];
        seen[start] = true;
        while let Some(c) = stack.pop() {
            let (i, j) = (c / ny, c % ny);
            let mut near = Vec::new();
            if i > 0 {
                near.push(c - ny);
            }
            if i + 1 < nx {
                near.push(c + ny);
            }
            if j > 0 {
                near.push(c - 1);
            }
            if j + 1 < ny {
                near.push(c + 1);
            }
            for n in near {
                if !seen[n] && cells[n] == cells[c] {
                    seen[n] = true;
                    stack.push(n);
                }
            }
        }
    }
    assert_eq!(outlines, regions, "one outline per connected region");
}

/// The number of connected regions of same-answer polygons: two polygons of one answer are
/// joined when an edge of one overlaps an edge of the other along a segment of positive
/// length (exact, pairwise; independent of [`deter::geometry::outline`]).
fn connected_regions(regions: &[deter::questions::map::ExactRegion]) -> usize {
    use num_traits::{Signed, Zero};
    type P = deter::geometry::Point;
    let cross = |a: &P, b: &P, c: &P| (&b.0 - &a.0) * (&c.1 - &a.1) - (&b.1 - &a.1) * (&c.0 - &a.0);
    let edges = |poly: &[P]| -> Vec<(P, P)> {
        (0..poly.len())
            .map(|i| (poly[i].clone(), poly[(i + 1) % poly.len()].clone()))
            .collect()
    };
    // Two segments on one line overlap with positive length: project on the line's direction.
    let overlap = |(a, b): &(P, P), (c, d): &(P, P)| {
        if !cross(a, b, c).is_zero() || !cross(a, b, d).is_zero() {
            return false;
        }
        let dir = (&b.0 - &a.0, &b.1 - &a.1);
        let t = |p: &P| (&p.0 - &a.0) * &dir.0 + (&p.1 - &a.1) * &dir.1;
        let (t0, t1) = (t(a), t(b));
        let (s0, s1) = (t(c), t(d));
        let (lo1, hi1) = if t0 < t1 { (t0, t1) } else { (t1, t0) };
        let (lo2, hi2) = if s0 < s1 { (s0, s1) } else { (s1, s0) };
        let lo = if lo1 > lo2 { lo1 } else { lo2 };
        let hi = if hi1 < hi2 { hi1 } else { hi2 };
        (hi - lo).is_positive()
    };
    let n = regions.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(p: &mut [usize], i: usize) -> usize {
        let mut r = i;
        while p[r] != r {
            r = p[r];
        }
        r
    }
    for i in 0..n {
        for j in i + 1..n {
            let (a, b) = (&regions[i], &regions[j]);
            if (a.effect, a.tied) != (b.effect, b.tied) {
                continue;
            }
            let (ea, eb) = (edges(&a.polygon), edges(&b.polygon));
            if ea.iter().any(|e| eb.iter().any(|f| overlap(e, f))) {
                let (ri, rj) = (root(&mut parent, i), root(&mut parent, j));
                parent[ri] = rj;
            }
        }
    }
    (0..n).filter(|&i| root(&mut parent, i) == i).count()
}

#[test]
fn question_maps_draw_one_outline_per_connected_region() {
    use deter::questions::map::answer_outlines;
    for model in ["models/hedging.toml", "models/deterrence_dialogue.toml"] {
        let t = template(model);
        let r = report::build(&t, model, &Options::default()).unwrap();
        let th = t.defaults();
        for (p, q) in questions::prepare(&t).unwrap().iter().zip(&r.questions) {
            let Some((xn, yn)) = &q.axes else { continue };
            let axes = (t.params.id(xn).unwrap(), t.params.id(yn).unwrap());
            let ranges = (
                t.params.ranges[axes.0].unwrap(),
                t.params.ranges[axes.1].unwrap(),
            );
            let m = questions::question_map(p, &th, axes, ranges, 61).unwrap();
            let exact = m
                .exact_regions(p, &th)
                .unwrap_or_else(|| panic!("{model} {}: linear conditions", q.name));
            let outlines = answer_outlines(&exact);
            assert_eq!(
                outlines.len(),
                connected_regions(&exact),
                "{model} {}: one outline per connected region",
                q.name
            );
            assert!(outlines.len() < exact.len(), "{model} {}: no merge", q.name);
            // Each answer's outlines cover exactly its polygons' area.
            for o in &outlines {
                let (e, tied) = (o.effect, o.tied);
                let want: Rational = exact
                    .iter()
                    .filter(|r| (r.effect, r.tied) == (e, tied))
                    .map(|r| deter::geometry::area(&r.polygon))
                    .sum();
                let got: Rational = outlines
                    .iter()
                    .filter(|o| (o.effect, o.tied) == (e, tied))
                    .map(|o| deter::geometry::outline::area(&o.outline))
                    .sum();
                assert_eq!(got, want, "{model} {}: {e:?} tied {tied}", q.name);
            }
            // The report's baseline map draws one filled path per outline.
            let svg = q.map_svg.as_ref().expect("a question map");
            assert!(svg.contains("Regions drawn exactly"), "{model} {}", q.name);
            assert_eq!(paths(svg).len(), outlines.len(), "{model} {}", q.name);
        }
    }
}

/// Each class's exact area on an outcome map, by its legend text.
fn areas_by_label(
    pieces: &[(u32, Vec<deter::geometry::Point>)],
    legend: &[String],
    extra: &[(String, Option<String>)],
) -> Vec<(String, Rational)> {
    let mut out: Vec<(String, Rational)> = Vec::new();
    for (k, p) in pieces {
        let k = *k as usize;
        let label = match legend.get(k) {
            Some(l) => l.clone(),
            None => extra[k - legend.len()].0.clone(),
        };
        let a = deter::geometry::area(p);
        match out.iter_mut().find(|o| o.0 == label) {
            Some(o) => o.1 += a,
            None => out.push((label, a)),
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn a_sweep_outcome_region_thinner_than_the_grid_is_verified_and_drawn() {
    // On coarse grids of hedging.toml some outcome regions hold no swept point (the triangle
    // T < 0.2, 1 − 0.5·T < c_D < 1 where hedging provokes): each is solved inside, kept as a
    // class of its own, and every class's area is the fine grid's, exactly.
    let t = template("models/hedging.toml");
    let axes = (t.params.id("T").unwrap(), t.params.id("c_D").unwrap());
    let mut thin = 0;
    for (coarse, fine) in [
        (["T=0:1:3", "c_D=0.2:2.9:3"], ["T=0:1:41", "c_D=0.2:2.9:28"]),
        (["T=0:1:5", "c_D=0.2:2.9:4"], ["T=0:1:41", "c_D=0.2:2.9:28"]),
        (["T=0:1:2", "c_D=0:3:3"], ["T=0:1:41", "c_D=0:3:61"]),
    ] {
        let (fsw, fa) = swept_map(&t, &fine);
        let (fp, fe) = deter::sweep::plot::outcome_pieces(&fsw, axes, &fa).expect("exact");
        assert!(
            fe.is_empty(),
            "the fine grid {fine:?} meets every region: {fe:?}"
        );
        let want = areas_by_label(&fp, fa.legend(), &fe);
        let (sw, a) = swept_map(&t, &coarse);
        let (pieces, extra) = deter::sweep::plot::outcome_pieces(&sw, axes, &a)
            .unwrap_or_else(|| panic!("{coarse:?}: exact pieces"));
        assert_eq!(
            areas_by_label(&pieces, a.legend(), &extra),
            want,
            "{coarse:?}"
        );
        thin += extra.len();
        // The figure: exact, each thin class in the legend, the note says it was verified.
        let (svg, why) = deter::sweep::plot::figure(&sw, axes, &a).unwrap();
        assert_eq!(why, None, "{coarse:?}");
        assert!(svg.contains("Regions drawn exactly"), "{coarse:?}");
        for (label, _) in &extra {
            let shown = label.replace('→', "").replace("  ", " ");
            let words: Vec<&str> = shown.split_whitespace().take(3).collect();
            assert!(
                words.iter().all(|w| svg.contains(w)),
                "{coarse:?}: {label} in the legend"
            );
        }
        if !extra.is_empty() {
            assert!(svg.contains("verified"), "{coarse:?}");
        }
    }
    assert!(thin > 0, "the coarse grids should miss a region");
}

#[test]
fn a_sweep_regime_thinner_than_the_grid_is_verified_and_drawn() {
    // k = 0.03: below s = k² (a hard challenger values war above the status quo) both
    // challengers initiate whatever the defender's prior, a strip 0.0009 tall that holds no
    // swept point of this grid (s = 0 is the frame, s = 0.05 the next row); it is confirmed
    // by a solve inside and drawn as a region of its own.
    let t = template("tests/models/unilateral_squared.toml");
    let (sw, a) = {
        use deter::sweep::aggregate::{Aggregate, PlotSpec};
        use deter::sweep::{Grid, Sweeper, VarySpec};
        let grid = Grid::new(
            ["p_Def=0.01:0.99:21", "s=0:1:21"]
                .iter()
                .map(|a| VarySpec::parse(a, &t.params).unwrap())
                .collect(),
        )
        .unwrap();
        let mut base = t.defaults();
        base[t.params.id("k").unwrap()] = 0.03;
        let sw = Sweeper::new(&t, base, grid, None).unwrap();
        let rows = sw.rows(0..sw.grid.len()).unwrap();
        let mut a = Aggregate::new(PlotSpec::of(&sw)).unwrap();
        for r in &rows {
            a.add(&sw.point_data(r));
        }
        (sw, a)
    };
    let (xs, ys, cells, labels) = a.regime_grid().expect("a regime map");
    let axes = (t.params.id("p_Def").unwrap(), t.params.id("s").unwrap());
    let swept = deter::geometry::sweep::Swept {
        x: (axes.0, &xs),
        y: (axes.1, &ys),
        cells: &cells,
    };
    let opts = SolveOptions {
        tol: sw.tol,
        ..SolveOptions::default()
    };
    let r = deter::geometry::sweep::regime_areas(&t, &opts, &sw.base, &swept, &labels)
        .unwrap_or_else(|why| panic!("fell back to cells: {why}"));
    // The strip's regimes are met on the frame (s = 0) only, where they have no area: the
    // strip keeps that class and its legend entry, no new one. (The separating wedge between
    // p_Def = 1 − s and p_Def·(1 − k²) = 1 − s, which no swept point has either, is found by a
    // solve inside its piece and is the only new one.)
    assert!(
        r.unsampled
            .iter()
            .all(|l| l.split(" or ").any(|p| p == "separating: SQ, DC, DD")),
        "{:?}",
        r.unsampled
    );
    let k2 = 0.03f64 * 0.03;
    let strip = labels
        .iter()
        .position(|l| l == "pooling: DC, DD, CD")
        .expect("the frame's regimes");
    assert!(
        (0..cells.len()).all(|c| cells[c] as usize != strip || c % ys.len() == 0),
        "met off the frame"
    );
    {
        let label = &labels[strip];
        let rings: Vec<&Vec<(f64, f64)>> = r
            .rings
            .iter()
            .filter(|c| c.0 == strip)
            .map(|c| &c.1)
            .collect();
        assert_eq!(rings.len(), 1, "{label}: {rings:?}");
        let mut corners = rings[0].clone();
        corners.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let want = [(0.01, 0.0), (0.01, k2), (0.99, 0.0), (0.99, k2)];
        assert!(
            corners.len() == 4
                && corners
                    .iter()
                    .zip(want)
                    .all(|(a, b)| (a.0 - b.0).abs() < 1e-12 && (a.1 - b.1).abs() < 1e-12),
            "{label}: {corners:?}"
        );
    }
    assert!(r.note.contains("verified by a solve"), "{}", r.note);
    let (svg, why) = deter::sweep::plot::figure(&sw, axes, &a).unwrap();
    assert_eq!(why, None);
    assert!(svg.contains("verified") && svg.contains("Regions drawn exactly"));
}

/// A sweep's regime map of `model` over `axes` (other parameters at the defaults, `sets`
/// changed), drawn from its regimes' conditions: the sweep, its aggregate, its class labels
/// and the exact areas (or why the map keeps its cells).
fn swept_regimes<'t>(
    t: &'t deter::model::GameTemplate,
    axes: &[&str],
    sets: &[(&str, f64)],
) -> (
    deter::sweep::Sweeper<'t>,
    deter::sweep::aggregate::Aggregate,
    Vec<String>,
    Result<deter::geometry::sweep::RegimeAreas, String>,
) {
    use deter::sweep::aggregate::{Aggregate, PlotSpec};
    use deter::sweep::{Grid, Sweeper, VarySpec};
    let grid = Grid::new(
        axes.iter()
            .map(|a| VarySpec::parse(a, &t.params).unwrap())
            .collect(),
    )
    .unwrap();
    let mut base = t.defaults();
    for (n, v) in sets {
        base[t.params.id(n).unwrap()] = *v;
    }
    let sw = Sweeper::new(t, base, grid, None).unwrap();
    let rows = sw.rows(0..sw.grid.len()).unwrap();
    let mut a = Aggregate::new(PlotSpec::of(&sw)).unwrap();
    for r in &rows {
        a.add(&sw.point_data(r));
    }
    let (xs, ys, cells, labels) = a.regime_grid().expect("a regime map");
    let id = |spec: &str| t.params.id(spec.split('=').next().unwrap()).unwrap();
    let swept = deter::geometry::sweep::Swept {
        x: (id(axes[0]), &xs),
        y: (id(axes[1]), &ys),
        cells: &cells,
    };
    let opts = SolveOptions {
        tol: sw.tol,
        ..SolveOptions::default()
    };
    let r = deter::geometry::sweep::regime_areas(t, &opts, &sw.base, &swept, &labels);
    (sw, a, labels, r)
}

/// The regime set a solve finds at `(x, y)` of the two mapped parameters, as a sweep labels it.
fn solved_label(
    t: &deter::model::GameTemplate,
    base: &[f64],
    axes: (usize, usize),
    p: (f64, f64),
) -> String {
    let mut theta: Vec<Rational> = base.iter().map(|&v| of_f64(v).unwrap()).collect();
    theta[axes.0] = of_f64(p.0).unwrap();
    theta[axes.1] = of_f64(p.1).unwrap();
    Evaluator::new(t, SolveOptions::default())
        .at(&theta)
        .unwrap()
        .describe()
}

/// The label of class `k` of a drawn sweep regime map.
fn class_label(labels: &[String], r: &deter::geometry::sweep::RegimeAreas, k: usize) -> String {
    if k < labels.len() {
        labels[k].clone()
    } else {
        r.unsampled[k - labels.len()].clone()
    }
}

/// True if a regime set (as a sweep labels it) holds the separating regime.
fn has_separating(label: &str) -> bool {
    label.split(" or ").any(|p| p == "separating: SQ, DC, DD")
}

#[test]
fn a_coarse_grid_draws_the_band_it_steps_over_with_edges_at_pi_s_and_pi_h() {
    // p_Def = 0.1, 0.4, 0.7, 1: no swept point lies in π_S ≤ p_Def < π_H (1/2 to 2/3 here),
    // where a separating equilibrium exists; a solve inside the piece finds it, its
    // conditions join the cut, and the band is drawn with its exact edges.
    let t = template("models/unilateral_deterrence.toml");
    let v = |n: &str| of_f64(t.defaults()[t.params.id(n).unwrap()]).unwrap();
    let one = Rational::from_integer(1.into());
    let pi_s = &one - v("s");
    let pi_h = (&one - v("s")) / (&one - v("c_H"));
    let (sw, a, labels, r) = swept_regimes(&t, &["p_Def=0.1:1:4", "p_Ch=0.05:0.95:5"], &[]);
    let r = r.unwrap_or_else(|why| panic!("fell back to cells: {why}"));
    assert!(r.note.starts_with("Regions drawn exactly"), "{}", r.note);
    assert!(
        labels.iter().all(|l| !has_separating(l)),
        "the grid should step over the band: {labels:?}"
    );
    let band: Vec<usize> = (0..labels.len() + r.unsampled.len())
        .filter(|&k| has_separating(&class_label(&labels, &r, k)))
        .collect();
    assert_eq!(band.len(), 1, "{:?}", r.unsampled);
    let xs: Vec<f64> = r
        .rings
        .iter()
        .filter(|c| c.0 == band[0])
        .flat_map(|c| c.1.iter().map(|p| p.0))
        .collect();
    let f = exact::to_f64;
    let lo = xs.iter().cloned().fold(f64::INFINITY, f64::min);
    let hi = xs.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    assert_eq!((lo, hi), (f(&pi_s), f(&pi_h)), "{:?}", r.rings);
    // Every vertex of the band on one of its two edges: a rectangle across the map.
    assert!(xs.iter().all(|&x| x == lo || x == hi), "{xs:?}");
    let axes = (t.params.id("p_Def").unwrap(), t.params.id("p_Ch").unwrap());
    assert_eq!(
        solved_label(&t, &sw.base, axes, (0.6, 0.5)),
        class_label(&labels, &r, band[0])
    );
    let (svg, why) = deter::sweep::plot::figure(&sw, axes, &a).unwrap();
    assert_eq!(why, None);
    assert!(svg.contains("Regions drawn exactly") && svg.contains("separating: SQ, DC, DD"));
}

#[test]
fn a_corner_thinner_than_the_grid_is_drawn_with_its_own_regimes() {
    // k = 0.03: near (p_Def, s) = (1, 0) regions narrower than a grid step meet in a corner;
    // each is confirmed by a solve strictly inside it (off the frame, where a prior of 1
    // changes the regimes), and the map is drawn exactly.
    let t = template("tests/models/unilateral_squared.toml");
    let (sw, a, labels, r) = swept_regimes(&t, &["p_Def=0:1:21", "s=0:1:21"], &[("k", 0.03)]);
    let r = r.unwrap_or_else(|why| panic!("fell back to cells: {why}"));
    assert!(r.note.contains("verified by a solve"), "{}", r.note);
    let axes = (t.params.id("p_Def").unwrap(), t.params.id("s").unwrap());
    let corner = (0.9997, 0.0006);
    let here: Vec<usize> = (0..labels.len() + r.unsampled.len())
        .filter(|&k| {
            let rings: Vec<Vec<(f64, f64)>> = r
                .rings
                .iter()
                .filter(|c| c.0 == k)
                .map(|c| c.1.clone())
                .collect();
            in_rings(&rings, corner)
        })
        .collect();
    assert_eq!(here.len(), 1, "{here:?}");
    assert_eq!(
        class_label(&labels, &r, here[0]),
        solved_label(&t, &sw.base, axes, corner)
    );
    let (svg, why) = deter::sweep::plot::figure(&sw, axes, &a).unwrap();
    assert_eq!(why, None);
    assert!(svg.contains("Regions drawn exactly"), "cells drawn");
}

#[test]
fn coarse_regime_maps_claimed_exact_agree_with_solves_inside_every_region() {
    // Seeded random coarse grids over unilateral deterrence: wherever the map is drawn
    // exactly, a solve at a point inside each drawn region (away from every edge) finds the
    // regimes the region is labelled with.
    let t = template("models/unilateral_deterrence.toml");
    let axes = (t.params.id("p_Def").unwrap(), t.params.id("p_Ch").unwrap());
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut exact_maps = 0;
    let mut checked = 0;
    for _ in 0..16 {
        let (nx, ny) = (2 + (next() * 4.0) as usize, 2 + (next() * 4.0) as usize);
        let mut range = |n: usize| {
            let a = (next() * 50.0).round() / 100.0;
            let b = 0.55 + (next() * 45.0).round() / 100.0;
            format!("{a}:{b}:{n}")
        };
        let sx = format!("p_Def={}", range(nx));
        let sy = format!("p_Ch={}", range(ny));
        let (sw, _, labels, r) = swept_regimes(&t, &[&sx, &sy], &[]);
        let Ok(r) = r else { continue };
        if !r.note.starts_with("Regions drawn exactly") {
            continue;
        }
        exact_maps += 1;
        let all: Vec<&Vec<(f64, f64)>> = r.rings.iter().map(|c| &c.1).collect();
        let near_edge = |p: (f64, f64)| {
            all.iter().any(|ring| {
                (0..ring.len()).any(|i| {
                    let (u, w) = (ring[i], ring[(i + 1) % ring.len()]);
                    let (dx, dy) = (w.0 - u.0, w.1 - u.1);
                    let l2 = dx * dx + dy * dy;
                    let s = if l2 > 0.0 {
                        (((p.0 - u.0) * dx + (p.1 - u.1) * dy) / l2).clamp(0.0, 1.0)
                    } else {
                        0.0
                    };
                    ((p.0 - u.0 - s * dx).powi(2) + (p.1 - u.1 - s * dy).powi(2)).sqrt() < 1e-6
                })
            })
        };
        for (k, ring) in &r.rings {
            let mine: Vec<Vec<(f64, f64)>> = r
                .rings
                .iter()
                .filter(|c| c.0 == *k)
                .map(|c| c.1.clone())
                .collect();
            // A point inside the ring: the first of a fine lattice over its bounding box.
            let (x0, x1) = ring
                .iter()
                .fold((f64::MAX, f64::MIN), |a, p| (a.0.min(p.0), a.1.max(p.0)));
            let (y0, y1) = ring
                .iter()
                .fold((f64::MAX, f64::MIN), |a, p| (a.0.min(p.1), a.1.max(p.1)));
            let n = 23;
            let inside = (1..n)
                .flat_map(|i| (1..n).map(move |j| (i, j)))
                .map(|(i, j)| {
                    (
                        x0 + (x1 - x0) * i as f64 / n as f64,
                        y0 + (y1 - y0) * j as f64 / n as f64,
                    )
                })
                .find(|&p| {
                    in_rings(std::slice::from_ref(ring), p) && in_rings(&mine, p) && !near_edge(p)
                });
            let Some(p) = inside else { continue };
            assert_eq!(
                class_label(&labels, &r, *k),
                solved_label(&t, &sw.base, axes, p),
                "{sx} {sy} at {p:?}: {}",
                r.note
            );
            checked += 1;
        }
    }
    assert!(
        exact_maps >= 8 && checked >= 20,
        "{exact_maps} maps, {checked} regions"
    );
}
