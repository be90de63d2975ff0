//! Lemke's algorithm on the sequence-form LCP: an equilibrium of a two-player general-sum
//! tree with imperfect information (Koller, Megiddo and von Stengel 1996; Gambit's `lcp`).
//!
//! Equilibrium realization plans `x`, `y` and best-response values `p`, `q` solve
//!
//! ```text
//! x ≥ 0 ⊥ Eᵀp − A y ≥ 0,   y ≥ 0 ⊥ Fᵀq − Bᵀx ≥ 0,   E x = e,   F y = f,   p, q free.
//! ```
//!
//! Payoffs are shifted to be negative (every leaf pays less than 0; equilibria do not change)
//! and converted exactly to rationals, scaled to integers, and pivoted fraction-free with the
//! lexicographic rule (see [`linalg`](super::linalg)). The path starts at a pure pair of
//! plans: the free variables `p`, `q` and the plans' sequences are pivoted in first, which
//! leaves a standard almost-complementary basis; the artificial `z0` covers every violated
//! best-response row, and complementary pivoting runs until `z0` leaves.
//!
//! Beyond [`MAX_ENTRIES`] tableau entries (Leduc poker's sequence form has 3,124 rows: 19·10⁶
//! entries of growing integers) the same path runs in revised form in floating point
//! ([`linalg::revised`](super::linalg::revised): the sparse constraint matrix, a sparse LU of
//! the basis with eta updates); its plans become a behaviour profile that the common
//! certificate checks like any other floating-point solver's.

use super::linalg::revised::{RevisedEnd, RevisedPath, SparseLcp};
use super::linalg::{complementary_path, PathEnd, Tableau};
use super::seqlp::two_player_tree;
use super::Unsupported;
use super::{Equilibrium, GameRef, Profile, Solution, SolveError, SolveOptions, Solver, Status};
use crate::game::sequence::SequenceForm;
use crate::game::{Game, NodeKind};
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};

/// Lemke's algorithm on the sequence form for two-player trees with perfect recall.
pub struct SequenceLcp;

/// Dense exact tableaus are used up to this many entries (memory and time grow with its
/// square); larger sequence forms take the sparse floating-point path.
pub const MAX_ENTRIES: usize = 8_000_000;

/// Sequence forms beyond this many LCP rows are refused.
const MAX_SPARSE_ROWS: usize = 1_000_000;

/// Default pivot limit when the options give none.
const DEFAULT_MAX_PIVOTS: usize = 1_000_000;

impl Solver for SequenceLcp {
    fn name(&self) -> &'static str {
        "lcp"
    }

    fn describe(&self) -> &'static str {
        "one equilibrium of a two-player tree with imperfect information (Lemke's algorithm \
         on the sequence form, exact arithmetic; large trees in sparse floating point)"
    }

    fn supports(&self, game: GameRef<'_>) -> Result<(), Unsupported> {
        let (_, sf) = two_player_tree(game, None)?;
        let n = lcp_rows(&sf);
        if n > MAX_SPARSE_ROWS {
            return Err(Unsupported {
                reason: format!("the sequence-form LCP has {n} rows, more than {MAX_SPARSE_ROWS}"),
                suggest: None,
            });
        }
        Ok(())
    }

    fn solve(&self, game: GameRef<'_>, opts: &SolveOptions) -> Result<Solution, SolveError> {
        self.supports(game)?;
        let (g, sf) = two_player_tree(game, None)?;
        let max = opts.max_pivots.unwrap_or(DEFAULT_MAX_PIVOTS);
        let n = lcp_rows(&sf);
        if n * (2 * n + 2) > MAX_ENTRIES {
            return solve_sparse(self.name(), g, &sf, max);
        }
        let mut last_err = None;
        // A start that ends on a ray is retried from another pure pair.
        for start in [Start::First, Start::Last] {
            match lemke_sequence_form(g, &sf, start, max)? {
                LcpResult::Plans(x, y) => {
                    let xf: Vec<f64> = x.iter().map(to_f64).collect();
                    let yf: Vec<f64> = y.iter().map(to_f64).collect();
                    let profile = sf.behavior_from_realization(&g.tree, &xf, &yf);
                    let eq = Equilibrium::new(Profile::Behavior(profile));
                    return Ok(Solution::new(self.name(), vec![eq]));
                }
                LcpResult::PivotLimit => {
                    let mut s = Solution::new(self.name(), Vec::new());
                    s.status = Status::PivotLimit;
                    return Ok(s);
                }
                LcpResult::Ray => {
                    last_err = Some(SolveError::Numerical(
                        "Lemke's path ended on a ray from every starting pair tried".into(),
                    ))
                }
            }
        }
        Err(last_err.unwrap_or_else(|| SolveError::Numerical("no start tried".into())))
    }
}

/// Rows of the sequence-form LCP: both players' sequences and constraint rows.
fn lcp_rows(sf: &SequenceForm) -> usize {
    sf.n_seqs[0] + sf.n_seqs[1] + sf.n_rows()[0] + sf.n_rows()[1]
}

/// The sparse floating-point path from each start in turn.
fn solve_sparse(
    name: &'static str,
    g: &Game,
    sf: &SequenceForm,
    max: usize,
) -> Result<Solution, SolveError> {
    let mut last = "no start tried";
    for start in [Start::First, Start::Last] {
        match sparse_lemke_sequence_form(g, sf, start, max)? {
            SparseResult::Plans(x, y) => {
                let profile = sf.behavior_from_realization(&g.tree, &x, &y);
                let eq = Equilibrium::new(Profile::Behavior(profile));
                return Ok(Solution::new(name, vec![eq]));
            }
            SparseResult::End(RevisedEnd::PivotLimit) => {
                let mut s = Solution::new(name, Vec::new());
                s.status = Status::PivotLimit;
                return Ok(s);
            }
            SparseResult::End(RevisedEnd::Ray) => {
                last = "Lemke's path ended on a ray from every starting pair tried";
            }
            SparseResult::End(_) => {
                last = "the basis of Lemke's path became numerically singular";
            }
        }
    }
    Err(SolveError::Numerical(last.into()))
}

fn to_f64(r: &BigRational) -> f64 {
    r.to_f64().unwrap_or(0.0)
}

/// Which pure plan the path starts from: each information set's first or last action.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Start {
    /// First action everywhere.
    First,
    /// Last action everywhere.
    Last,
}

/// The outcome of one Lemke run on the sequence form.
#[derive(Clone, Debug, PartialEq)]
pub enum LcpResult {
    /// Equilibrium realization plans of players 1 and 2, exact.
    Plans(Vec<BigRational>, Vec<BigRational>),
    /// The path ended on a secondary ray.
    Ray,
    /// The pivot limit was reached.
    PivotLimit,
}

/// The rational with the smallest denominator (up to 10⁹) that rounds to exactly `v`, or
/// `v`'s exact binary value if there is none. Model numbers such as 1/3 or 0.1 arrive as the
/// nearest double; recovering the short fraction keeps the integers in the tableau small
/// and makes the LCP the one the model meant, at no loss: both round to the same `f64`.
pub fn short_rational(v: f64) -> BigRational {
    let exact = BigRational::from_float(v).unwrap_or_default();
    if !v.is_finite() || v.fract() == 0.0 {
        return exact;
    }
    // Continued-fraction convergents of |v|.
    let (neg, mut x) = (v < 0.0, v.abs());
    let (mut h0, mut h1, mut k0, mut k1) = (0i128, 1i128, 1i128, 0i128);
    for _ in 0..40 {
        let a = x.floor();
        if a > 1e15 {
            break;
        }
        let a = a as i128;
        let (h2, k2) = (a * h1 + h0, a * k1 + k0);
        if k2 > 1_000_000_000 {
            break;
        }
        (h0, h1, k0, k1) = (h1, h2, k1, k2);
        if (h1 as f64) / (k1 as f64) == v.abs() {
            let r = BigRational::new(BigInt::from(h1), BigInt::from(k1));
            return if neg { -r } else { r };
        }
        let f = x - x.floor();
        if f == 0.0 {
            break;
        }
        x = 1.0 / f;
    }
    exact
}

/// The outcome of one sparse floating-point Lemke run.
#[derive(Clone, Debug, PartialEq)]
pub enum SparseResult {
    /// Realization plans of players 1 and 2 (floating point).
    Plans(Vec<f64>, Vec<f64>),
    /// The path did not reach a solution.
    End(RevisedEnd),
}

/// The sparse LCP `w_x + A y − Eᵀp = 0`, `w_y + Bᵀx − Fᵀq = 0`, `a − E x = −e`,
/// `a' − F y = −f` (the same rows and columns as the exact tableau), payoffs shifted below 0.
fn sparse_lcp(g: &Game, sf: &SequenceForm, l: &Layout) -> SparseLcp {
    let n = l.n;
    let mut cols: Vec<Vec<(usize, f64)>> = vec![Vec::new(); 2 * n];
    for (i, c) in cols.iter_mut().enumerate().take(n) {
        c.push((i, 1.0));
    }
    let max = g.payoffs.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let shift = max.floor() + 1.0;
    let payoff = |i: usize, p: usize| {
        let t = &sf.leaf_terms[i];
        t.chance * (g.payoffs[t.leaf.ix() * 2 + p] - shift)
    };
    lcp_entries(sf, l, payoff, |e| e, |r, c, v| cols[c].push((r, v)));
    for c in &mut cols {
        c.sort_by_key(|&(r, _)| r);
        c.dedup_by(|b, a| {
            if a.0 == b.0 {
                a.1 += b.1;
                true
            } else {
                false
            }
        });
        c.retain(|&(_, v)| v != 0.0);
    }
    let mut rhs = vec![0.0; n];
    for r in l.rhs_rows() {
        rhs[r] = -1.0;
    }
    let free = (0..=2 * n).map(|v| l.is_free(v)).collect();
    SparseLcp { n, cols, rhs, free }
}

/// Runs Lemke's algorithm on the sequence-form LCP of `g` in sparse floating point, from the
/// same pure pair of plans as [`lemke_sequence_form`].
pub fn sparse_lemke_sequence_form(
    g: &Game,
    sf: &SequenceForm,
    start: Start,
    max_pivots: usize,
) -> Result<SparseResult, SolveError> {
    let l = Layout::new(sf);
    let lcp = sparse_lcp(g, sf, &l);
    let (s1, s2) = (pure_plan(g, sf, 0, start), pure_plan(g, sf, 1, start));
    // The start basis: the plans' sequences, every free value, and the slacks of the other
    // best-response rows (the basis `pivot_to_start` reaches).
    let mut basis = Vec::with_capacity(l.n);
    let mut in_plan = vec![false; l.n1 + l.n2];
    for &s in &s1 {
        basis.push(l.x(s));
        in_plan[s] = true;
    }
    for &s in &s2 {
        basis.push(l.y(s));
        in_plan[l.n1 + s] = true;
    }
    basis.extend((0..s1.len()).map(|k| l.p(k)));
    basis.extend((0..s2.len()).map(|k| l.q(k)));
    let covered_start = basis.len();
    basis.extend((0..l.n1 + l.n2).filter(|&i| !in_plan[i]));
    let covered: Vec<usize> = (covered_start..basis.len()).collect();
    let mut path = RevisedPath::new(&lcp, basis)
        .ok_or_else(|| SolveError::Numerical("singular start in the sequence-form LCP".into()))?;
    if let Some(end) = path.run(&covered, max_pivots) {
        if end != RevisedEnd::Solved {
            return Ok(SparseResult::End(end));
        }
    }
    let plan = |n: usize, var: &dyn Fn(usize) -> usize| -> Vec<f64> {
        (0..n).map(|s| path.value(var(s)).max(0.0)).collect()
    };
    let x = plan(l.n1, &|s| l.x(s));
    let y = plan(l.n2, &|s| l.y(s));
    Ok(SparseResult::Plans(x, y))
}

/// Player `p`'s pure plan: the empty sequence, then each information set's first or last
/// action's sequence, in constraint-row order.
fn pure_plan(g: &Game, sf: &SequenceForm, p: usize, start: Start) -> Vec<usize> {
    let mut v = vec![0usize];
    for &s in &sf.infosets_of[p] {
        let set = &g.tree.infosets[s.ix()];
        let a = match start {
            Start::First => 0,
            // Every information set has at least one action (the builder checks).
            Start::Last => set.n_actions as usize - 1,
        };
        v.push(sf.seq_of_action[(set.first_action as usize) + a] as usize);
    }
    v
}

/// Exact chance probability of reaching each leaf (product of the moves' probabilities, each
/// converted exactly from `f64`).
fn exact_leaf_chance(g: &Game) -> Vec<BigRational> {
    let tree = &g.tree;
    let mut reach = vec![BigRational::one(); tree.nodes.len()];
    for (i, node) in tree.nodes.iter().enumerate() {
        for c in node.children() {
            reach[c] = if node.kind == NodeKind::Chance {
                &reach[i] * short_rational(g.chance[c])
            } else {
                reach[i].clone()
            };
        }
    }
    tree.leaves
        .iter()
        .map(|l| reach[l.node.ix()].clone())
        .collect()
}

/// Exact shifted payoffs of each leaf term (every leaf pays less than zero) weighted by the
/// exact chance of reaching the leaf, in [`SequenceForm::leaf_terms`] order, and the common
/// denominator of them all.
fn exact_payoffs(g: &Game, sf: &SequenceForm) -> (Vec<[BigRational; 2]>, BigInt) {
    let chance = exact_leaf_chance(g);
    let max = g.payoffs.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let shift = short_rational(max).floor() + BigRational::one();
    let terms: Vec<[BigRational; 2]> = sf
        .leaf_terms
        .iter()
        .map(|t| {
            [0, 1].map(|p| {
                let u = short_rational(g.payoffs[t.leaf.ix() * 2 + p]);
                &chance[t.leaf.ix()] * (u - &shift)
            })
        })
        .collect();
    let mut den = BigInt::one();
    for v in terms.iter().flatten() {
        den = num_integer::Integer::lcm(&den, v.denom());
    }
    (terms, den)
}

/// The entries of the LCP's matrix beyond the slacks' identity, in the columns of `l`, each
/// passed to `put(row, column, value)` in the numbers of the caller (exact or floating
/// point), in one order for the dense and the sparse builder: for each leaf term its payoffs
/// `A` (row `s1`, column `y(s2)`) and `Bᵀ` (row `n1 + s2`, column `x(s1)`) as
/// `payoff(term, player)`; then for each entry `e` of `E` (as `unit(e)`) the entries `−e` of
/// `−Eᵀp` and of `−E x`; then likewise for `F`. Entries at one place are to be summed. The
/// right-hand side is `−1` (scaled alike) in the rows [`Layout::rhs_rows`].
fn lcp_entries<T: Clone + std::ops::Neg<Output = T>>(
    sf: &SequenceForm,
    l: &Layout,
    payoff: impl Fn(usize, usize) -> T,
    unit: impl Fn(f64) -> T,
    mut put: impl FnMut(usize, usize, T),
) {
    for (i, t) in sf.leaf_terms.iter().enumerate() {
        let (s1, s2) = (t.seq1 as usize, t.seq2 as usize);
        put(s1, l.y(s2), payoff(i, 0));
        put(l.n1 + s2, l.x(s1), payoff(i, 1));
    }
    for &(k, s, v) in &sf.constraints[0].entries {
        let (k, s, e) = (k as usize, s as usize, -unit(v));
        put(s, l.p(k), e.clone());
        put(l.eq1(k), l.x(s), e);
    }
    for &(k, s, v) in &sf.constraints[1].entries {
        let (k, s, f) = (k as usize, s as usize, -unit(v));
        put(l.n1 + s, l.q(k), f.clone());
        put(l.eq2(k), l.y(s), f);
    }
}

/// Column layout of the LCP tableau: slacks `w` (best-response rows of `x`, of `y`, then the
/// equality rows of `E`, `F`), then their complements `x`, `y`, `p`, `q`, then `z0`.
#[derive(Clone, Copy, Debug)]
struct Layout {
    n1: usize,
    n2: usize,
    m1: usize,
    n: usize,
}

impl Layout {
    fn new(sf: &SequenceForm) -> Self {
        let [n1, n2] = sf.n_seqs;
        let [m1, m2] = sf.n_rows();
        Layout {
            n1,
            n2,
            m1,
            n: n1 + n2 + m1 + m2,
        }
    }
    fn cols(&self) -> usize {
        2 * self.n + 1
    }
    fn z0(&self) -> usize {
        2 * self.n
    }
    fn x(&self, s: usize) -> usize {
        self.n + s
    }
    fn y(&self, s: usize) -> usize {
        self.n + self.n1 + s
    }
    fn p(&self, k: usize) -> usize {
        self.n + self.n1 + self.n2 + k
    }
    fn q(&self, k: usize) -> usize {
        self.n + self.n1 + self.n2 + self.m1 + k
    }
    /// Row (and slack column) of the equality for constraint row `k` of player 1 / 2.
    fn eq1(&self, k: usize) -> usize {
        self.n1 + self.n2 + k
    }
    fn eq2(&self, k: usize) -> usize {
        self.n1 + self.n2 + self.m1 + k
    }
    /// The rows whose right-hand side is not zero (`−e`, `−f` are unit vectors on row 0).
    fn rhs_rows(&self) -> [usize; 2] {
        [self.eq1(0), self.eq2(0)]
    }
    /// Free variables (`p`, `q`) never leave the basis.
    fn is_free(&self, v: usize) -> bool {
        v >= self.p(0) && v < self.z0()
    }
}

/// The integer tableau `w − M z = q` (scaled by the payoffs' common denominator `D`, slacks
/// scaled likewise so the initial basis is the identity):
/// `w_x + A y − Eᵀp = 0`, `w_y + Bᵀx − Fᵀq = 0`, `a − E x = −e`, `a' − F y = −f`.
fn build_tableau(g: &Game, sf: &SequenceForm, l: &Layout) -> Result<Tableau, SolveError> {
    let (terms, d) = exact_payoffs(g, sf);
    let dr = BigRational::from_integer(d.clone());
    let payoff = |i: usize, p: usize| -> BigInt { (&terms[i][p] * &dr).to_integer() };
    let unit = |e: f64| BigInt::from(e as i64) * &d;
    let cols = l.cols();
    let mut rows: Vec<Vec<BigInt>> = (0..l.n)
        .map(|i| {
            let mut r = vec![BigInt::zero(); cols + 1];
            r[i] = BigInt::one();
            r
        })
        .collect();
    lcp_entries(sf, l, payoff, unit, |r, c, v| rows[r][c] += v);
    for r in l.rhs_rows() {
        rows[r][cols] = -d.clone();
    }
    Tableau::new(cols, rows, (0..l.n).collect())
        .ok_or_else(|| SolveError::Numerical("malformed LCP tableau".into()))
}

/// Pivots in a pure pair of plans: each plan's sequences replace the equality slacks, then
/// the free values replace those sequences' best-response slacks. What remains is a standard
/// complementary basis.
fn pivot_to_start(
    tab: &mut Tableau,
    g: &Game,
    sf: &SequenceForm,
    l: &Layout,
    start: Start,
) -> Result<(), SolveError> {
    let (s1, s2) = (pure_plan(g, sf, 0, start), pure_plan(g, sf, 1, start));
    let fail = || SolveError::Numerical("singular start in the sequence-form LCP".into());
    for (k, &s) in s1.iter().enumerate() {
        tab.pivot(l.eq1(k), l.x(s)).ok_or_else(fail)?;
    }
    for (k, &s) in s2.iter().enumerate() {
        tab.pivot(l.eq2(k), l.y(s)).ok_or_else(fail)?;
    }
    for (k, &s) in s1.iter().enumerate().rev() {
        let r = tab.row_of(s).ok_or_else(fail)?;
        tab.pivot(r, l.p(k)).ok_or_else(fail)?;
    }
    for (k, &s) in s2.iter().enumerate().rev() {
        let r = tab.row_of(l.n1 + s).ok_or_else(fail)?;
        tab.pivot(r, l.q(k)).ok_or_else(fail)?;
    }
    Ok(())
}

/// Covers every best-response row with `z0`, brings `z0` in at the most violated one and runs
/// the complementary path. `None` if the start is already an equilibrium.
fn run_path(tab: &mut Tableau, l: &Layout, max_pivots: usize) -> Option<PathEnd> {
    let rhs = l.cols();
    let covered: Vec<bool> = (0..tab.rows())
        .map(|r| tab.basis()[r] < l.n1 + l.n2)
        .collect();
    tab.set_column(l.z0(), |r| {
        if covered[r] {
            -BigInt::one()
        } else {
            BigInt::zero()
        }
    });
    let mut worst: Option<usize> = None;
    for r in (0..tab.rows()).filter(|&r| covered[r]) {
        let v = tab.entry(r, rhs);
        if v.is_negative() && worst.is_none_or(|w| v < tab.entry(w, rhs)) {
            worst = Some(r);
        }
    }
    let r = worst?;
    // The covering entry is −det ≠ 0 in a covered row, so this pivot always happens.
    let Some(left) = tab.pivot(r, l.z0()) else {
        return Some(PathEnd::Ray);
    };
    let n2 = 2 * l.n;
    let mut complement: Vec<usize> = (0..l.cols()).map(|v| (v + l.n) % n2).collect();
    complement[l.z0()] = l.z0();
    let never: Vec<bool> = (0..l.cols()).map(|v| l.is_free(v)).collect();
    let lex: Vec<usize> = (0..l.n).collect();
    let entering = complement[left];
    let (end, _) = complementary_path(tab, &complement, &never, l.z0(), entering, &lex, max_pivots);
    Some(end)
}

/// Runs Lemke's algorithm on the sequence-form LCP of `g` from a pure pair of plans.
pub fn lemke_sequence_form(
    g: &Game,
    sf: &SequenceForm,
    start: Start,
    max_pivots: usize,
) -> Result<LcpResult, SolveError> {
    let l = Layout::new(sf);
    let mut tab = build_tableau(g, sf, &l)?;
    pivot_to_start(&mut tab, g, sf, &l, start)?;
    match run_path(&mut tab, &l, max_pivots) {
        None | Some(PathEnd::Solved) => {}
        Some(PathEnd::Ray) => return Ok(LcpResult::Ray),
        Some(PathEnd::PivotLimit) => return Ok(LcpResult::PivotLimit),
    }
    let x = (0..l.n1).map(|s| tab.value(l.x(s))).collect();
    let y = (0..l.n2).map(|s| tab.value(l.y(s))).collect();
    Ok(LcpResult::Plans(x, y))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::examples::kuhn_poker;
    use crate::game::{PlayerId, TreeBuilder};
    use crate::solve::certify;
    use std::sync::Arc;

    fn next(s: &mut u64) -> u64 {
        *s ^= *s << 13;
        *s ^= *s >> 7;
        *s ^= *s << 17;
        *s
    }

    /// A signalling-style tree: chance picks player 1's type, player 1 acts knowing it,
    /// player 2 answers seeing only the action, and after player 2's first answer player 1
    /// moves once more. Payoffs are random integers in `[-range/2, range/2)`; small ranges
    /// make degenerate games with many ties.
    fn random_game(seed: u64, types: usize, a1: usize, a2: usize, range: u64) -> Game {
        let mut b = TreeBuilder::new("random", vec!["1".into(), "2".into()]);
        let root = b.chance("c");
        for t in 0..types {
            let n1 = b.decision("", PlayerId(0), Some(format!("1:{t}")));
            b.add_move(root, format!("t{t}"), None, n1).unwrap();
            for i in 0..a1 {
                let n2 = b.decision("", PlayerId(1), Some(format!("2:{i}")));
                b.add_move(n1, format!("a{i}"), None, n2).unwrap();
                for j in 0..a2 {
                    let child = if j == 0 {
                        let n3 = b.decision("", PlayerId(0), Some(format!("1:{t}:{i}")));
                        for k in 0..2 {
                            let l = b.terminal("", vec![]);
                            b.add_move(n3, format!("c{k}"), None, l).unwrap();
                        }
                        n3
                    } else {
                        b.terminal("", vec![])
                    };
                    b.add_move(n2, format!("b{j}"), None, child).unwrap();
                }
            }
        }
        let tree = Arc::new(b.finish(root).unwrap().tree);
        let mut g = Game::zeroed(tree.clone());
        for c in tree.nodes[0].children() {
            g.chance[c] = 1.0 / types as f64;
        }
        let mut s = seed;
        for x in g.payoffs.iter_mut() {
            *x = (next(&mut s) % range) as f64 - (range / 2) as f64;
        }
        g
    }

    #[test]
    fn random_games_reach_certified_equilibria() {
        for seed in 1..60u64 {
            let g = random_game(
                seed * 7919,
                1 + (seed % 3) as usize,
                2 + (seed % 2) as usize,
                2 + (seed % 3) as usize,
                if seed % 2 == 0 { 3 } else { 100 },
            );
            let mut s = SequenceLcp
                .solve(GameRef::Tree(&g), &SolveOptions::default())
                .unwrap();
            certify(GameRef::Tree(&g), &mut s).unwrap();
            assert_eq!(s.status, Status::Solved);
            assert!(s.equilibria[0].max_regret() <= 1e-9, "seed {seed}");
        }
    }

    #[test]
    fn sparse_path_reaches_certified_equilibria() {
        // The floating-point revised path on the same games as the exact one.
        for seed in 1..60u64 {
            let g = random_game(
                seed * 7919,
                1 + (seed % 3) as usize,
                2 + (seed % 2) as usize,
                2 + (seed % 3) as usize,
                if seed % 2 == 0 { 3 } else { 100 },
            );
            let sf = SequenceForm::new(&g).unwrap();
            let mut s = solve_sparse("lcp", &g, &sf, 100_000).unwrap();
            certify(GameRef::Tree(&g), &mut s).unwrap();
            assert_eq!(s.status, Status::Solved);
            assert!(s.equilibria[0].max_regret() <= 1e-9, "seed {seed}");
        }
    }

    #[test]
    fn dense_and_sparse_lcps_have_the_same_entries() {
        // The exact tableau is the floating-point LCP times the payoffs' common denominator
        // (the slack columns excepted, which are the identity in both).
        let games = [kuhn_poker()]
            .into_iter()
            .chain((1..8u64).map(|seed| random_game(seed * 31, 2, 2, 3, 100)));
        for (i, g) in games.enumerate() {
            let sf = SequenceForm::new(&g).unwrap();
            let l = Layout::new(&sf);
            let tab = build_tableau(&g, &sf, &l).unwrap();
            let d = to_f64(&BigRational::from_integer(exact_payoffs(&g, &sf).1));
            let lcp = sparse_lcp(&g, &sf, &l);
            assert_eq!((lcp.n, lcp.cols.len()), (l.n, 2 * l.n), "game {i}");
            let dense = |r: usize, c: usize| {
                let v = tab.entry(r, c).to_f64().unwrap();
                if c < l.n {
                    v
                } else {
                    v / d
                }
            };
            let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0);
            let mut nonzero = 0;
            for (c, col) in lcp.cols.iter().enumerate() {
                let mut sparse = vec![0.0; l.n];
                for &(r, v) in col {
                    sparse[r] = v;
                }
                for (r, &v) in sparse.iter().enumerate() {
                    assert!(
                        close(v, dense(r, c)),
                        "game {i}: ({r}, {c}) {v} vs {}",
                        dense(r, c)
                    );
                    nonzero += usize::from(v != 0.0);
                }
            }
            for (r, &v) in lcp.rhs.iter().enumerate() {
                assert!(
                    close(v, dense(r, l.cols())),
                    "game {i}: right-hand side {r}"
                );
            }
            assert!(
                nonzero > 2 * l.n,
                "game {i}: the payoffs and constraints are there"
            );
        }
    }

    #[test]
    fn sparse_path_solves_kuhn_poker_to_its_value() {
        // Kuhn poker's value to player 1 is −1/18 in every equilibrium.
        let g = kuhn_poker();
        let sf = SequenceForm::new(&g).unwrap();
        let SparseResult::Plans(x, y) =
            sparse_lemke_sequence_form(&g, &sf, Start::First, 10_000).unwrap()
        else {
            panic!("Kuhn poker is solved")
        };
        let v: f64 = sf
            .leaf_terms
            .iter()
            .map(|t| {
                t.chance * g.payoffs[t.leaf.ix() * 2] * x[t.seq1 as usize] * y[t.seq2 as usize]
            })
            .sum();
        assert!((v + 1.0 / 18.0).abs() < 1e-12, "value {v}");
    }

    #[test]
    fn short_rationals_round_trip() {
        let r = |n: i64, d: i64| BigRational::new(BigInt::from(n), BigInt::from(d));
        assert_eq!(short_rational(1.0 / 3.0), r(1, 3));
        assert_eq!(short_rational(-0.1), r(-1, 10));
        assert_eq!(short_rational(2.5), r(5, 2));
        assert_eq!(short_rational(7.0), r(7, 1));
        // Whatever fraction is found rounds back to the same double.
        let v = std::f64::consts::PI;
        assert_eq!(short_rational(v).to_f64(), Some(v));
    }

    #[test]
    fn pivot_limit_is_reported_not_looped() {
        let g = kuhn_poker();
        let opts = SolveOptions {
            max_pivots: Some(1),
            ..SolveOptions::default()
        };
        let s = SequenceLcp.solve(GameRef::Tree(&g), &opts).unwrap();
        assert_eq!(s.status, Status::PivotLimit);
        assert!(s.equilibria.is_empty());
    }

    #[test]
    fn plans_are_exact_rationals() {
        // Kuhn poker's equilibrium plans satisfy E x = e exactly.
        let g = kuhn_poker();
        let sf = SequenceForm::new(&g).unwrap();
        let LcpResult::Plans(x, _) = lemke_sequence_form(&g, &sf, Start::First, 10_000).unwrap()
        else {
            panic!("Kuhn poker is solved")
        };
        assert_eq!(x[0], BigRational::one());
        let mut rows = vec![BigRational::zero(); sf.n_rows()[0]];
        for &(r, c, v) in &sf.constraints[0].entries {
            rows[r as usize] += BigRational::from_integer(BigInt::from(v as i64)) * &x[c as usize];
        }
        assert!(rows[1..].iter().all(Zero::is_zero));
    }
}
