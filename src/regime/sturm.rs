//! Real roots of a polynomial in one variable with rational coefficients, isolated exactly by
//! Sturm sequences.
//!
//! A regime boundary along one parameter is where one of the regime's conditions — a
//! polynomial in that parameter, the others fixed — changes sign. When the boundary is
//! rational, [`super::along`] lands on it and verifies it; when it is irrational (a square
//! root), bisection alone can only narrow it. Here it is described exactly instead: as *the*
//! root of a square-free polynomial in an interval with rational ends that contains no other
//! root, which Sturm's theorem certifies (the number of sign changes of the Sturm sequence
//! drops by exactly one across the interval), and narrowed to any width by exact bisection.

use super::rational::show;
use crate::exact::Rational;
use num_traits::{One, Signed, Zero};

/// A polynomial in one variable: coefficients from the constant up, no trailing zeros.
pub type UPoly = Vec<Rational>;

fn trim(mut p: UPoly) -> UPoly {
    while p.last().is_some_and(Zero::is_zero) {
        p.pop();
    }
    p
}

/// The value of `p` at `x` (Horner).
pub fn eval(p: &[Rational], x: &Rational) -> Rational {
    p.iter().rev().fold(Rational::zero(), |acc, c| acc * x + c)
}

fn derivative(p: &[Rational]) -> UPoly {
    trim(
        p.iter()
            .enumerate()
            .skip(1)
            .map(|(k, c)| c * Rational::from_integer((k as i64).into()))
            .collect(),
    )
}

/// The remainder of `a` divided by `b` (`b` not zero).
fn rem(a: &[Rational], b: &[Rational]) -> UPoly {
    let mut r = trim(a.to_vec());
    let lead = b.last().cloned().unwrap_or_else(Rational::one);
    while r.len() >= b.len() && !r.is_empty() {
        let k = r.len() - b.len();
        let f = r[r.len() - 1].clone() / &lead;
        for (i, c) in b.iter().enumerate() {
            r[k + i] -= &f * c;
        }
        r.pop();
        r = trim(r);
    }
    r
}

/// The quotient of `a` divided by `b` (`b` not zero).
fn quo(a: &[Rational], b: &[Rational]) -> UPoly {
    let mut r = trim(a.to_vec());
    let lead = b.last().cloned().unwrap_or_else(Rational::one);
    if r.len() < b.len() {
        return Vec::new();
    }
    let mut q = vec![Rational::zero(); r.len() - b.len() + 1];
    while r.len() >= b.len() && !r.is_empty() {
        let k = r.len() - b.len();
        let f = r[r.len() - 1].clone() / &lead;
        for (i, c) in b.iter().enumerate() {
            r[k + i] -= &f * c;
        }
        q[k] = f;
        r.pop();
        r = trim(r);
    }
    trim(q)
}

fn monic(p: UPoly) -> UPoly {
    match p.last().cloned() {
        Some(l) if !l.is_zero() => p.into_iter().map(|c| c / &l).collect(),
        _ => p,
    }
}

/// The square-free part of `p` (same roots, each simple), monic.
pub fn square_free(p: &[Rational]) -> UPoly {
    let p = trim(p.to_vec());
    if p.len() < 2 {
        return p;
    }
    let (mut a, mut b) = (p.clone(), derivative(&p));
    while !b.is_empty() {
        let r = rem(&a, &b);
        a = b;
        b = r;
    }
    monic(quo(&p, &a))
}

/// The Sturm sequence of a square-free `p`: `p, p', −rem(p, p'), …`.
fn sequence(p: &[Rational]) -> Vec<UPoly> {
    let mut s = vec![p.to_vec(), derivative(p)];
    while s.last().is_some_and(|q| !q.is_empty()) {
        let n = s.len();
        let r: UPoly = rem(&s[n - 2], &s[n - 1]).into_iter().map(|c| -c).collect();
        if r.is_empty() {
            break;
        }
        s.push(r);
    }
    s.retain(|q| !q.is_empty());
    s
}

fn sign_changes(seq: &[UPoly], x: &Rational) -> usize {
    let signs: Vec<bool> = seq
        .iter()
        .map(|q| eval(q, x))
        .filter(|v| !v.is_zero())
        .map(|v| v.is_positive())
        .collect();
    signs.windows(2).filter(|w| w[0] != w[1]).count()
}

/// Number of distinct real roots of `p` in the half-open interval `(a, b]`.
pub fn count_roots(p: &[Rational], a: &Rational, b: &Rational) -> usize {
    let sf = square_free(p);
    if sf.len() < 2 {
        return 0;
    }
    let seq = sequence(&sf);
    sign_changes(&seq, a).saturating_sub(sign_changes(&seq, b))
}

/// A real root, exactly: the only root of the square-free `poly` in `[lo, hi]`, or the
/// rational `exact` itself.
#[derive(Clone, Debug, PartialEq)]
pub struct RealRoot {
    /// The square-free, monic polynomial.
    pub poly: UPoly,
    /// Isolating interval (ends rational; equal when the root is rational).
    pub lo: Rational,
    /// Isolating interval.
    pub hi: Rational,
}

impl RealRoot {
    /// True if the root is the rational `lo` (= `hi`).
    pub fn is_rational(&self) -> bool {
        self.lo == self.hi
    }

    /// The root's decimal value (the middle of its interval).
    pub fn approx(&self) -> f64 {
        crate::exact::to_f64(&((&self.lo + &self.hi) / Rational::from_integer(2.into())))
    }

    /// `root of x^2 - 2/7 in [267/500, 67/125]` with the variable named `name`.
    pub fn describe(&self, name: &str) -> String {
        if self.is_rational() {
            return show(&self.lo);
        }
        // Ends with long fractions print as decimals precise enough to tell them apart.
        let end = |q: &Rational| {
            if q.denom() <= &num_bigint::BigInt::from(1_000_000) {
                show(q)
            } else {
                format!("{:.9}", crate::exact::to_f64(q))
            }
        };
        format!(
            "the root of {} in [{}, {}]",
            show_poly(&self.poly, name),
            end(&self.lo),
            end(&self.hi)
        )
    }
}

/// `x^2 - 2/7` (highest power first).
pub fn show_poly(p: &[Rational], name: &str) -> String {
    let mut s = String::new();
    for (k, c) in p.iter().enumerate().rev() {
        if c.is_zero() {
            continue;
        }
        let neg = c.is_negative();
        if s.is_empty() {
            if neg {
                s.push('-');
            }
        } else {
            s.push_str(if neg { " - " } else { " + " });
        }
        let a = c.abs();
        let coef = if a.is_one() && k > 0 {
            String::new()
        } else if k > 0 {
            format!("{}*", show(&a))
        } else {
            show(&a)
        };
        s.push_str(&coef);
        match k {
            0 => {}
            1 => s.push_str(name),
            _ => s.push_str(&format!("{name}^{k}")),
        }
    }
    if s.is_empty() {
        "0".into()
    } else {
        s
    }
}

/// Every distinct real root of `p` in the open interval `(a, b)`, isolated and narrowed to
/// intervals of width at most `width` (a rational root is found exactly when an interval's
/// simplest rational hits it).
pub fn roots_in(p: &[Rational], a: &Rational, b: &Rational, width: &Rational) -> Vec<RealRoot> {
    let sf = square_free(p);
    if sf.len() < 2 || a >= b {
        return Vec::new();
    }
    let seq = sequence(&sf);
    let two = Rational::from_integer(2.into());
    let mut out = Vec::new();
    // Roots at the end `b` are outside the open interval: count over (a, b) as (a, b] minus b.
    let n = |x: &Rational, y: &Rational| {
        let k = sign_changes(&seq, x).saturating_sub(sign_changes(&seq, y));
        k - usize::from(eval(&sf, y).is_zero() && k > 0)
    };
    let mut work = vec![(a.clone(), b.clone())];
    let mut steps = 0;
    while let Some((x, y)) = work.pop() {
        steps += 1;
        if steps > 100_000 {
            break;
        }
        let k = n(&x, &y);
        if k == 0 {
            continue;
        }
        let m = super::rational::simplest_inside(&x, &y);
        if eval(&sf, &m).is_zero() {
            out.push(RealRoot {
                poly: sf.clone(),
                lo: m.clone(),
                hi: m.clone(),
            });
            work.push((x, m.clone()));
            work.push((m, y));
            continue;
        }
        if k == 1 && &y - &x <= *width {
            out.push(RealRoot {
                poly: sf.clone(),
                lo: x,
                hi: y,
            });
            continue;
        }
        if k == 1 {
            // Narrow by bisection (the root is simple and alone in (x, y)).
            let mid = (&x + &y) / &two;
            if eval(&sf, &mid).is_zero() {
                out.push(RealRoot {
                    poly: sf.clone(),
                    lo: mid.clone(),
                    hi: mid,
                });
                continue;
            }
            work.push((x, mid.clone()));
            work.push((mid, y));
            continue;
        }
        work.push((x, m.clone()));
        work.push((m, y));
    }
    out.sort_by(|p, q| p.lo.cmp(&q.lo));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Rational {
        crate::exact::parse(s).expect("number")
    }

    #[test]
    fn counts_and_isolates_irrational_roots() {
        // 7x² − 2: roots ±√(2/7) ≈ ±0.5345.
        let p = vec![q("-2"), q("0"), q("7")];
        assert_eq!(count_roots(&p, &q("-1"), &q("1")), 2);
        assert_eq!(count_roots(&p, &q("0"), &q("1")), 1);
        let w = q("1/1000000");
        let r = roots_in(&p, &q("0"), &q("1"), &w);
        assert_eq!(r.len(), 1);
        assert!(!r[0].is_rational());
        assert!(&r[0].hi - &r[0].lo <= w);
        assert!((r[0].approx() - (2.0f64 / 7.0).sqrt()).abs() < 1e-6);
        // The interval contains the root: the polynomial changes sign across it.
        assert!(eval(&p, &r[0].lo).is_negative() && eval(&p, &r[0].hi).is_positive());
        assert_eq!(show_poly(&r[0].poly, "k"), "k^2 - 2/7");
    }

    #[test]
    fn rational_and_repeated_roots() {
        // (x − 1/2)²(x − 2/3): two distinct roots, both rational, found exactly.
        let a = [q("1/4"), q("-1"), q("1")];
        let b = vec![q("-2/3"), q("1")];
        let mut p = vec![Rational::zero(); 4];
        for (i, x) in a.iter().enumerate() {
            for (j, y) in b.iter().enumerate() {
                p[i + j] += x * y;
            }
        }
        assert_eq!(count_roots(&p, &q("0"), &q("1")), 2);
        let r = roots_in(&p, &q("0"), &q("1"), &q("1/1000"));
        let v: Vec<Rational> = r.iter().map(|r| r.lo.clone()).collect();
        assert_eq!(v, [q("1/2"), q("2/3")]);
        assert!(r.iter().all(RealRoot::is_rational));
        // A root at an open end is not inside.
        assert!(roots_in(&b, &q("0"), &q("2/3"), &q("1/1000")).is_empty());
    }
}
