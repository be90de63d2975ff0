//! Convex pieces of one class merged into one outline per connected region, exactly.
//!
//! A region cut from the faces of a line arrangement ([`super::arrangement`]) is a union of
//! convex pieces; drawn piece by piece it shows the seams between them, and its outline is
//! not the region's. Pieces of a tiling meet along shared edges and never overlap, so their
//! union's boundary is every piece edge not shared with another piece of the same class: the
//! edges are split where a neighbour's vertex lies inside them (so shared parts match
//! exactly), each edge met in both directions is dropped, and what is left is chained into
//! closed rings — counter-clockwise around a region, clockwise around its holes, drawn with
//! the even-odd rule. Pieces sharing an edge belong to one region; each region's rings form
//! one [`Outline`]. Everything is in exact rationals, so the outline's area is the sum of
//! its pieces' areas exactly.

use super::Point;
use crate::exact::Rational;
use num_traits::{Signed, Zero};
use std::collections::HashMap;

/// One connected region: its rings (the outer ones counter-clockwise first, then holes
/// clockwise), vertices exact, no three consecutive vertices on a line.
pub type Outline = Vec<Vec<Point>>;

/// `(b − a) × (c − a)`: positive when `c` lies left of `a → b`, zero on its line.
fn cross(a: &Point, b: &Point, c: &Point) -> Rational {
    (&b.0 - &a.0) * (&c.1 - &a.1) - (&b.1 - &a.1) * (&c.0 - &a.0)
}

/// Twice the signed area of a ring (positive counter-clockwise).
fn signed2(ring: &[Point]) -> Rational {
    let n = ring.len();
    (0..n).fold(Rational::zero(), |s, i| {
        let (p, q) = (&ring[i], &ring[(i + 1) % n]);
        s + &p.0 * &q.1 - &q.0 * &p.1
    })
}

/// The signed area of an outline (its rings' signed areas added: holes subtract).
pub fn area(o: &Outline) -> Rational {
    o.iter().map(|r| signed2(r)).sum::<Rational>() / Rational::from_integer(2.into())
}

fn find(parent: &mut [usize], i: usize) -> usize {
    let mut r = i;
    while parent[r] != r {
        r = parent[r];
    }
    let mut j = i;
    while parent[j] != r {
        let next = parent[j];
        parent[j] = r;
        j = next;
    }
    r
}

/// The outlines of the union of `pieces` (convex polygons that do not overlap, as
/// [`super::arrangement`] cuts them): one per set of pieces connected through shared edges.
pub fn merge(pieces: &[Vec<Point>]) -> Vec<Outline> {
    // Pieces oriented counter-clockwise, without degenerate ones.
    let pieces: Vec<Vec<Point>> = pieces
        .iter()
        .filter(|p| p.len() > 2 && !signed2(p).is_zero())
        .map(|p| {
            let mut p = p.clone();
            if signed2(&p).is_negative() {
                p.reverse();
            }
            p
        })
        .collect();
    // Every vertex with a bounding-box key, to find those inside an edge quickly.
    let f = crate::exact::to_f64;
    let vertices: Vec<(f64, f64, &Point)> = pieces
        .iter()
        .flatten()
        .map(|p| (f(&p.0), f(&p.1), p))
        .collect();
    // Directed edges, split at vertices lying inside them, each with its piece.
    let mut edges: Vec<(Point, Point, usize)> = Vec::new();
    for (k, p) in pieces.iter().enumerate() {
        for i in 0..p.len() {
            let (a, b) = (&p[i], &p[(i + 1) % p.len()]);
            if a == b {
                continue;
            }
            let (ax, ay, bx, by) = (f(&a.0), f(&a.1), f(&b.0), f(&b.1));
            let slack = 1e-9 * (1.0 + ax.abs().max(ay.abs()).max(bx.abs()).max(by.abs()));
            let mut inner: Vec<(Rational, &Point)> = Vec::new();
            let d = (&b.0 - &a.0, &b.1 - &a.1);
            let len2 = &d.0 * &d.0 + &d.1 * &d.1;
            for &(vx, vy, v) in &vertices {
                if vx < ax.min(bx) - slack
                    || vx > ax.max(bx) + slack
                    || vy < ay.min(by) - slack
                    || vy > ay.max(by) + slack
                    || v == a
                    || v == b
                    || !cross(a, b, v).is_zero()
                {
                    continue;
                }
                let t = ((&v.0 - &a.0) * &d.0 + (&v.1 - &a.1) * &d.1) / &len2;
                if t.is_positive() && t < Rational::from_integer(1.into()) {
                    inner.push((t, v));
                }
            }
            inner.sort_by(|x, y| x.0.cmp(&y.0));
            inner.dedup_by(|x, y| x.0 == y.0);
            let mut from = a.clone();
            for (_, v) in inner {
                edges.push((from, v.clone(), k));
                from = v.clone();
            }
            edges.push((from, b.clone(), k));
        }
    }
    // Edges met in both directions are inside the union; their pieces are joined.
    let mut parent: Vec<usize> = (0..pieces.len()).collect();
    let mut index: HashMap<(&Point, &Point), Vec<usize>> = HashMap::new();
    for (i, e) in edges.iter().enumerate() {
        index.entry((&e.0, &e.1)).or_default().push(i);
    }
    let mut inside = vec![false; edges.len()];
    for (i, e) in edges.iter().enumerate() {
        if let Some(back) = index.get(&(&e.1, &e.0)) {
            inside[i] = true;
            for &j in back {
                let (a, b) = (find(&mut parent, e.2), find(&mut parent, edges[j].2));
                parent[a] = b;
            }
        }
    }
    // The boundary edges of each region, chained into rings.
    let mut groups: Vec<usize> = Vec::new();
    let mut by_group: Vec<Vec<usize>> = Vec::new();
    for (i, e) in edges.iter().enumerate().filter(|(i, _)| !inside[*i]) {
        let r = find(&mut parent, e.2);
        let g = match groups.iter().position(|&x| x == r) {
            Some(g) => g,
            None => {
                groups.push(r);
                by_group.push(Vec::new());
                groups.len() - 1
            }
        };
        by_group[g].push(i);
    }
    by_group
        .into_iter()
        .map(|ids| {
            let mut out: HashMap<&Point, Vec<usize>> = HashMap::new();
            for &i in &ids {
                out.entry(&edges[i].0).or_default().push(i);
            }
            let mut used: HashMap<usize, bool> = ids.iter().map(|&i| (i, false)).collect();
            let mut rings: Vec<Vec<Point>> = Vec::new();
            for &start in &ids {
                if used[&start] {
                    continue;
                }
                let mut ring = Vec::new();
                let mut e = start;
                loop {
                    used.insert(e, true);
                    ring.push(edges[e].0.clone());
                    let next = out
                        .get(&edges[e].1)
                        .and_then(|v| v.iter().copied().find(|n| !used[n]));
                    match next {
                        Some(n) => e = n,
                        None => break,
                    }
                }
                let ring = simplify(ring);
                if ring.len() > 2 {
                    rings.push(ring);
                }
            }
            // Outer rings (counter-clockwise) first.
            rings.sort_by_key(|r| signed2(r).is_negative());
            rings
        })
        .collect()
}

/// `ring` without vertices on the line through their neighbours.
fn simplify(mut ring: Vec<Point>) -> Vec<Point> {
    loop {
        let n = ring.len();
        if n < 3 {
            return ring;
        }
        let drop =
            (0..n).find(|&i| cross(&ring[(i + n - 1) % n], &ring[i], &ring[(i + 1) % n]).is_zero());
        match drop {
            Some(i) => {
                ring.remove(i);
            }
            None => return ring,
        }
    }
}

/// The rings of [`merge`]'s outlines in floating point, for drawing (all regions' rings, in
/// order).
pub fn rings(pieces: &[Vec<Point>]) -> Vec<Vec<(f64, f64)>> {
    merge(pieces)
        .iter()
        .flatten()
        .map(|r| super::partition::to_f64(r))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Rational {
        crate::exact::parse(s).expect("a number")
    }

    fn sq(x0: &str, y0: &str, x1: &str, y1: &str) -> Vec<Point> {
        vec![
            (q(x0), q(y0)),
            (q(x1), q(y0)),
            (q(x1), q(y1)),
            (q(x0), q(y1)),
        ]
    }

    #[test]
    fn two_squares_make_one_rectangle() {
        let o = merge(&[sq("0", "0", "1", "1"), sq("1", "0", "2", "1")]);
        assert_eq!(o.len(), 1);
        assert_eq!(o[0].len(), 1);
        assert_eq!(o[0][0].len(), 4);
        assert_eq!(area(&o[0]), q("2"));
    }

    #[test]
    fn a_t_junction_is_split_and_a_ring_with_a_hole_kept() {
        // A big square beside two small ones (a vertex of theirs inside its edge).
        let o = merge(&[
            sq("0", "0", "2", "2"),
            sq("2", "0", "3", "1"),
            sq("2", "1", "3", "2"),
        ]);
        assert_eq!(o.len(), 1);
        assert_eq!(o[0].len(), 1);
        assert_eq!(o[0][0].len(), 4);
        assert_eq!(area(&o[0]), q("6"));
        // Eight squares around a missing centre: one region with a hole.
        let mut ring = Vec::new();
        for (x, y) in [
            (0, 0),
            (1, 0),
            (2, 0),
            (0, 1),
            (2, 1),
            (0, 2),
            (1, 2),
            (2, 2),
        ] {
            let (a, b) = (x.to_string(), y.to_string());
            ring.push(sq(&a, &b, &(x + 1).to_string(), &(y + 1).to_string()));
        }
        let o = merge(&ring);
        assert_eq!(o.len(), 1);
        assert_eq!(o[0].len(), 2);
        assert!(signed2(&o[0][0]).is_positive() && signed2(&o[0][1]).is_negative());
        assert_eq!(area(&o[0]), q("8"));
    }

    #[test]
    fn pieces_touching_at_a_corner_are_two_regions() {
        let o = merge(&[sq("0", "0", "1", "1"), sq("1", "1", "2", "2")]);
        assert_eq!(o.len(), 2);
        assert!(o.iter().all(|r| area(r) == q("1")));
    }
}
