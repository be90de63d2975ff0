//! Where the regime changes along one parameter, located at exact rational points.
//!
//! The other parameters stay at a base point (exact rationals). The interval is scanned on a
//! grid of exact points; each pair of neighbours with different regime sets is a bracket,
//! narrowed by bisection that alternates the *simplest* rational inside the bracket (which lands
//! exactly on a small-denominator boundary such as 2/3) with the midpoint (which guarantees
//! the bracket halves). A point whose regime set matches neither end splits the bracket in
//! two, so a regime that lives only at a point, or between two close changes, is kept.
//!
//! When the bracket is narrower than `2⁻⁴⁰` of the interval, the change is placed at the
//! simplest rational `r` of the bracket and **verified** there: the equilibrium set at `r` is
//! solved exactly and must show the boundary — a regime set different from both sides (both
//! sides' equilibria coexist, or a continuum joins them), or a player indifferent on the path
//! where the two sides are not. Then the change is reported as exactly `r`; otherwise it is
//! reported as the bracket, bisected to its width. A change narrower than a grid cell whose
//! ends agree can be missed; refine the grid.

use super::rational::{grid_point, simplest_in, simplest_inside};
use super::{Evaluator, RegimeError, RegimeSet};
use crate::exact::Rational;
use num_traits::One;

/// Settings of [`along`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AlongOptions {
    /// Grid cells scanned before narrowing each change.
    pub grid: usize,
    /// Bisection steps per bracket at most.
    pub max_steps: usize,
    /// Brackets are narrowed to this fraction of the interval (a power of two: `2^-bits`).
    pub bits: u32,
}

impl Default for AlongOptions {
    fn default() -> Self {
        AlongOptions {
            grid: 200,
            max_steps: 160,
            bits: 40,
        }
    }
}

/// One change of the regime set.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    /// Where: the exact point when `exact`, else the middle of `bracket`.
    pub value: Rational,
    /// True if verified exactly at `value` (see the module docs).
    pub exact: bool,
    /// The bracket the change lies in (`value` itself when exact).
    pub bracket: (Rational, Rational),
    /// The regime set just below.
    pub left: RegimeSet,
    /// The regime set just above.
    pub right: RegimeSet,
    /// The regime set at `value` itself, when solved there.
    pub at: Option<RegimeSet>,
    /// For a change not found at a rational: the boundary as the only root of a regime
    /// condition's polynomial in an isolating interval whose ends are solved and show the two
    /// sides (filled by [`super::conditions::algebraic_changes`]).
    pub root: Option<super::sturm::RealRoot>,
}

/// The regimes along one parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Along {
    /// The parameter.
    pub param: usize,
    /// The interval.
    pub lo: Rational,
    /// The interval.
    pub hi: Rational,
    /// The changes, in increasing order.
    pub changes: Vec<Change>,
    /// The stretches between changes with their regime set, in order: `(from, to, set)`.
    pub segments: Vec<(Rational, Rational, RegimeSet)>,
}

/// Every change of the regime set of `ev`'s model along parameter `param` over `[lo, hi]`, the
/// others at `base`.
pub fn along(
    ev: &mut Evaluator<'_>,
    base: &[Rational],
    param: usize,
    lo: &Rational,
    hi: &Rational,
    opts: &AlongOptions,
) -> Result<Along, RegimeError> {
    if param >= base.len() {
        return Err(RegimeError::BadRange(format!(
            "parameter index {param} does not fit a point of {} values",
            base.len()
        )));
    }
    let mut theta = base.to_vec();
    let eval = |x: &Rational| {
        theta[param] = x.clone();
        ev.at(&theta)
    };
    along_by(eval, param, lo, hi, opts)
}

/// [`along`] for any classification of points into sets: `eval` gives the set at a value of
/// parameter `param` (e.g. a question's answers over every equilibrium, as labels).
pub fn along_by(
    mut eval: impl FnMut(&Rational) -> Result<RegimeSet, RegimeError>,
    param: usize,
    lo: &Rational,
    hi: &Rational,
    opts: &AlongOptions,
) -> Result<Along, RegimeError> {
    if lo >= hi {
        return Err(RegimeError::BadRange(format!(
            "the interval [{}, {}] is empty",
            super::rational::show(lo),
            super::rational::show(hi)
        )));
    }
    let n = opts.grid.max(1);
    let mut grid: Vec<(Rational, RegimeSet)> = Vec::with_capacity(n + 1);
    for i in 0..=n {
        let x = grid_point(lo, hi, i, n);
        let s = eval(&x)?;
        grid.push((x, s));
    }
    let width = (hi - lo) / Rational::from_integer(num_bigint::BigInt::one() << opts.bits);
    let mut changes = Vec::new();
    for w in grid.windows(2) {
        if !w[0].1.same(&w[1].1) {
            resolve(
                &mut eval,
                (w[0].clone(), w[1].clone()),
                (lo, hi),
                &width,
                opts,
                &mut changes,
            )?;
        }
    }
    changes.sort_by(|a, b| a.value.cmp(&b.value));
    let changes = merge(changes);
    let mut segments = Vec::new();
    let mut from = lo.clone();
    let mut set = grid[0].1.clone();
    for c in &changes {
        segments.push((from, c.value.clone(), set));
        from = c.value.clone();
        set = c.right.clone();
    }
    segments.push((from, hi.clone(), set));
    Ok(Along {
        param,
        lo: lo.clone(),
        hi: hi.clone(),
        changes,
        segments,
    })
}

type End = (Rational, RegimeSet);

/// Probes beside a simplest point per bracket (see [`resolve`]).
const MAX_PROBES: usize = 4;

/// Narrows one bracket whose ends differ into changes.
fn resolve(
    eval: &mut impl FnMut(&Rational) -> Result<RegimeSet, RegimeError>,
    (left, right): (End, End),
    (lo, hi): (&Rational, &Rational),
    width: &Rational,
    opts: &AlongOptions,
    out: &mut Vec<Change>,
) -> Result<(), RegimeError> {
    let mut work = vec![(left, right)];
    'bracket: while let Some(((mut a, mut sa), (mut b, mut sb))) = work.pop() {
        if sa.same(&sb) {
            continue;
        }
        let mut steps = 0;
        let mut probes = 0;
        let half = width / Rational::from_integer(2.into());
        // A change at a bracket's end (a grid point, often a simple rational such as 1/2,
        // whose set is one side's): half a tolerance inside either end decides at once.
        if &b - &a > *width {
            let p = &a + &half;
            let sp = eval(&p)?;
            if sp.same(&sb) {
                (b, sb) = (p, sp);
            } else if sp.same(&sa) {
                let p = &b - &half;
                let sp = eval(&p)?;
                if sp.same(&sa) {
                    (a, sa) = (p, sp);
                }
            }
        }
        while (&b - &a) > *width && steps < opts.max_steps {
            let simplest = steps % 2 == 0;
            let m = if simplest {
                simplest_inside(&a, &b)
            } else {
                (&a + &b) / Rational::from_integer(2.into())
            };
            let s = eval(&m)?;
            if s.same(&sa) || s.same(&sb) {
                let left = s.same(&sa);
                if left {
                    (a, sa) = (m.clone(), s);
                } else {
                    (b, sb) = (m.clone(), s);
                }
                // A change at a simple rational: the simplest point of the bracket is often
                // the change itself. Half a tolerance beyond it on the other side decides at
                // once (the bracket then has the width bisection would reach), instead of
                // some eighty halvings; a few probes per bracket at most, so a change at an
                // irrational point costs little more.
                if simplest && probes < MAX_PROBES {
                    probes += 1;
                    let p = if left { &m + &half } else { &m - &half };
                    if p > a && p < b {
                        let sp = eval(&p)?;
                        if sp.same(&sa) {
                            (a, sa) = (p, sp);
                        } else if sp.same(&sb) {
                            (b, sb) = (p, sp);
                        }
                    }
                }
            } else {
                // A third regime set at `m`. If it holds at `m` alone (the two sides' sets hold
                // at `m ∓ width`), `m` is the change, verified: a set of its own at the point.
                if (&m - width) > a && (&m + width) < b {
                    let below = eval(&(&m - width))?;
                    if below.same(&sa) && eval(&(&m + width))?.same(&sb) {
                        out.push(Change {
                            value: m.clone(),
                            exact: true,
                            bracket: (m.clone(), m),
                            left: sa,
                            right: sb,
                            at: Some(s),
                            root: None,
                        });
                        continue 'bracket;
                    }
                }
                // Otherwise two changes (or one point of its own).
                work.push(((m.clone(), s.clone()), (b, sb)));
                work.push(((a, sa), (m, s)));
                continue 'bracket;
            }
            steps += 1;
        }
        let r = simplest_in(&a, &b);
        let sr = if r == a {
            sa.clone()
        } else if r == b {
            sb.clone()
        } else {
            eval(&r)?
        };
        let differs = !sr.same(&sa) && !sr.same(&sb);
        let new_tie = sr.tie && !(sa.tie && sb.tie);
        // An end of the interval with a set of its own (e.g. a type with prior 0 there): the
        // change is at the end, solved exactly; everything inside is the other side's.
        let at_end = (&r == lo && r == a) || (&r == hi && r == b);
        let exact = differs || new_tie || at_end;
        let value = if exact {
            r.clone()
        } else {
            (&a + &b) / Rational::from_integer(2.into())
        };
        out.push(Change {
            bracket: if exact { (r.clone(), r) } else { (a, b) },
            value,
            exact,
            left: sa,
            right: sb,
            at: Some(sr),
            root: None,
        });
    }
    Ok(())
}

/// Joins exact changes at the same point: `L → S` and `S → R` at `r` (where `S` holds only at
/// `r`) are one change `L → R` at `r`, with `S` at the point.
fn merge(changes: Vec<Change>) -> Vec<Change> {
    let mut out: Vec<Change> = Vec::new();
    for c in changes {
        if let Some(last) = out.last_mut() {
            if last.exact && c.exact && last.value == c.value {
                last.right = c.right;
                if last.at.is_none() {
                    last.at = c.at;
                }
                continue;
            }
        }
        out.push(c);
    }
    // A change whose two sides agree is a point of its own regime (or a tie): keep it, its
    // `at` says what holds there, unless nothing happens at the point at all.
    out.retain(|c| {
        let nothing = match &c.at {
            None => true,
            Some(s) => s.same(&c.left) && !s.tie,
        };
        !(c.left.same(&c.right) && nothing)
    });
    out
}

impl Change {
    /// One line: `p_Def = 2/3 (exact, verified): A → B; at the point itself: C`, or
    /// `p_Def ≈ 0.41 (numeric: in [a, b]): …`, or `… : at this point only, C`.
    pub fn describe(&self, name: &str) -> String {
        use super::rational::show;
        use crate::output::words::num;
        let f = crate::exact::to_f64;
        let how = if self.exact {
            format!("{name} = {} (exact, verified)", show(&self.value))
        } else if let Some(r) = &self.root {
            format!(
                "{name} = {} ≈ {} (exact: Sturm isolation, verified at both ends)",
                r.describe(name),
                num(r.approx())
            )
        } else {
            format!(
                "{name} ≈ {} (numeric: within {:.0e})",
                num(f(&self.value)),
                f(&(&self.bracket.1 - &self.bracket.0))
            )
        };
        let at = self.at.as_ref();
        if self.left.same(&self.right) {
            return format!(
                "{how}: at this point only, {}",
                at.map_or_else(String::new, |s| s.describe())
            );
        }
        let mut s = format!(
            "{how}: {} → {}",
            self.left.describe(),
            self.right.describe()
        );
        if let Some(a) = at {
            if self.exact && !a.same(&self.left) && !a.same(&self.right) {
                s.push_str(&format!("; at the point itself: {}", a.describe()));
            }
        }
        s
    }
}

impl Along {
    /// The stretches between changes, one line each: `1/2 < p_Def < 2/3: …` (stretches of
    /// zero width, at a change, are left to the change's own line).
    pub fn stretches(&self, name: &str) -> Vec<String> {
        use super::rational::show;
        self.segments
            .iter()
            .filter(|(f, t, _)| f != t)
            .map(|(f, t, s)| {
                let note = if s.complete {
                    ""
                } else {
                    " (the solver's list may be incomplete)"
                };
                format!("{} < {name} < {}: {}{note}", show(f), show(t), s.describe())
            })
            .collect()
    }
}
