//! A region of an exact map that no sampled point lies in, kept only when a solve confirms it.
//!
//! Exact maps are cut from conditions collected at sampled points, then checked against the
//! samples. A region thinner than the grid has no sample to check it against: rather than
//! give up the exact map (and draw cells, where the region is not visible at all), the game
//! is solved at a point strictly inside the region, and the region is kept only if that
//! solve finds exactly the class its conditions predict. `regions --map` and the sweep's
//! regime maps confirm their unsampled regimes this way inside
//! [`super::regimes::areas_from`]; the sweep's outcome maps ([`super::sweep`]) through
//! [`confirm`].

use super::{centroid, HalfPlane, Point};
use crate::exact;
use num_traits::Signed;

/// Whether every half-plane holds on the whole convex `piece`: each is non-negative at every
/// vertex (a linear function's minimum on a convex polygon is at a vertex), exactly.
pub fn holds_on(piece: &[Point], hs: &[HalfPlane]) -> bool {
    hs.iter()
        .all(|h| piece.iter().all(|v| !h.value(v).is_negative()))
}

/// A point strictly inside the convex `piece` other than its centroid (halfway from the
/// centroid to the first vertex), for a second solve.
pub fn second_point(piece: &[Point]) -> Option<Point> {
    let c = centroid(piece);
    let v = piece.first()?;
    let two = exact::Rational::from_integer(2.into());
    Some(((&c.0 + &v.0) / &two, (&c.1 + &v.1) / &two))
}

/// Why an unsampled region is refused (the wording every exact map uses).
pub fn unconfirmed(p: &Point) -> String {
    format!(
        "a region no sample has, at ({}, {}), is not confirmed by a solve there",
        exact::to_f64(&p.0),
        exact::to_f64(&p.1)
    )
}

/// The sentence a map's note adds for `n` regions with no `sample` ("swept point", "cell")
/// strictly inside, each confirmed by a solve inside it (empty for none; starts with a
/// space).
pub fn note(n: usize, sample: &str) -> String {
    match n {
        0 => String::new(),
        1 => format!(
            " 1 region thinner than the grid (no {sample} inside it) was verified by a solve \
             at a point inside."
        ),
        _ => format!(
            " {n} regions thinner than the grid (no {sample} inside them) were verified by a \
             solve at a point inside each."
        ),
    }
}

/// Confirms an unsampled convex `piece` whose class is predicted to be `predicted` throughout
/// (its conditions, `conditions`, hold on the whole piece): `solve` at a point strictly inside
/// the piece must find exactly `predicted`. Otherwise why not.
pub fn confirm<C: PartialEq>(
    piece: &[Point],
    conditions: &[HalfPlane],
    predicted: &C,
    solve: &mut dyn FnMut(&Point) -> Option<C>,
) -> Result<(), String> {
    let p = second_point(piece).ok_or("an empty region")?;
    if !holds_on(piece, conditions) {
        return Err(format!(
            "{}: its choices' conditions do not hold on the whole region",
            unconfirmed(&p)
        ));
    }
    match solve(&p) {
        Some(c) if c == *predicted => Ok(()),
        _ => Err(unconfirmed(&p)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> exact::Rational {
        exact::parse(s).expect("a number")
    }

    #[test]
    fn a_piece_is_confirmed_only_by_its_own_class_and_conditions() {
        let sq = vec![
            (q("0"), q("0")),
            (q("1"), q("0")),
            (q("1"), q("1")),
            (q("0"), q("1")),
        ];
        // x ≥ 0 holds on the square; x ≥ 1/2 does not.
        let ok = HalfPlane {
            a: q("1"),
            b: q("0"),
            c: q("0"),
        };
        let half = HalfPlane {
            a: q("1"),
            b: q("0"),
            c: q("-1/2"),
        };
        let inside = second_point(&sq).unwrap();
        assert_eq!(inside, (q("1/4"), q("1/4")));
        let mut solve = |p: &Point| Some(if p.0 < q("1/2") { 1 } else { 2 });
        assert!(confirm(&sq, std::slice::from_ref(&ok), &1, &mut solve).is_ok());
        assert!(confirm(&sq, std::slice::from_ref(&ok), &2, &mut solve).is_err());
        assert!(confirm(&sq, &[ok, half], &1, &mut solve).is_err());
    }
}
