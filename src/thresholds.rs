//! Thresholds: the parameter values where the equilibrium changes, located exactly.
//!
//! Along one parameter `x ∈ [lo, hi]` (the others fixed at a base point), [`thresholds`] scans a
//! grid, solving the game by backward induction at each point and comparing the *whole* choice
//! vector — every decision node, on and off the path, so an off-path change counts as an
//! equilibrium change (each [`Threshold`] says whether the outcome changes too). Each bracket of
//! the grid where the choices differ is then resolved:
//!
//! 1. the flipping node with no flipping descendant (the largest id: descendants have larger
//!    ids) is the cause; downstream of it nothing changes, so the two moves' continuation
//!    values are fixed formulas of `x` ([`crate::regions::compare`]);
//! 2. if their difference is a polynomial of degree one in `x` (after fixing the other
//!    parameters), the root is solved for exactly (`exact = true`); otherwise the difference is
//!    bisected numerically to [`ThresholdOptions::tol`];
//! 3. the root is verified by solving just left and right of it; if the choices there are not
//!    the bracket's two ends, the bracket holds several changes and is subdivided.
//!
//! A change narrower than the grid step can be missed entirely if the choices at both ends of
//! its cell agree; refine with [`ThresholdOptions::grid`]. Only perfect-information games.

use crate::game::tree::NodeKind;
use crate::game::{Game, NodeId, PlayerId};
use crate::model::GameTemplate;
use crate::output::words::{outcome_label, path_in_words};
use crate::regions;
use crate::solve::backward::{self, Workspace};

/// Settings of [`thresholds`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ThresholdOptions {
    /// Number of grid cells scanned over `[lo, hi]`.
    pub grid: usize,
    /// Width to which a non-linear root is bisected.
    pub tol: f64,
    /// Relative tolerance under which two continuation values tie when solving.
    pub tie_tol: f64,
}

impl Default for ThresholdOptions {
    fn default() -> Self {
        ThresholdOptions {
            grid: 2000,
            tol: 1e-12,
            tie_tol: 1e-12,
        }
    }
}

/// Why thresholds could not be computed.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ThresholdError {
    /// The game has an information set with several nodes.
    #[error("{0}")]
    NotPerfectInformation(String),
    /// The interval or parameter is unusable.
    #[error("{0}")]
    BadRange(String),
    /// A formula failed at a point of the scan.
    #[error("{0}")]
    Instantiate(String),
}

/// One node whose move changes at a threshold.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeChange {
    /// The node.
    pub node: NodeId,
    /// Its mover.
    pub player: PlayerId,
    /// Move index below the threshold.
    pub from: usize,
    /// Move index above it.
    pub to: usize,
}

/// A parameter value where the equilibrium changes.
#[derive(Clone, Debug, PartialEq)]
pub struct Threshold {
    /// The value of the parameter.
    pub value: f64,
    /// True if solved as the root of a linear payoff difference (exact up to rounding).
    pub exact: bool,
    /// The node whose choice flips (the cause: nothing downstream of it changes).
    pub node: NodeId,
    /// The mover there.
    pub player: PlayerId,
    /// Move indices `(below, above)` at `node`.
    pub moves: (usize, usize),
    /// Move labels `(below, above)`.
    pub labels: (String, String),
    /// Other nodes whose choice changes at the same value (in consequence).
    pub also: Vec<NodeChange>,
    /// True if the outcome (path of play) differs on the two sides.
    pub outcome_changes: bool,
    /// Outcome label below the threshold.
    pub left: String,
    /// Outcome label above it.
    pub right: String,
    /// Path of play below, in words.
    pub left_path: String,
    /// Path of play above, in words.
    pub right_path: String,
    /// When the move above beats the move below, as an inequality (isolating the parameter
    /// when possible).
    pub condition: Option<String>,
    /// Where the cause's mover is indifferent, solved for the parameter in the model's terms
    /// (`c_D = a`), when it can be.
    pub equation: Option<String>,
}

/// A reusable solver of one template along one parameter.
pub(crate) struct Scan<'a> {
    pub(crate) t: &'a GameTemplate,
    pub(crate) theta: Vec<f64>,
    pub(crate) param: usize,
    game: Game,
    pub(crate) ws: Workspace,
    stack: Vec<f64>,
    tie_tol: f64,
}

impl<'a> Scan<'a> {
    pub(crate) fn new(
        t: &'a GameTemplate,
        base: &[f64],
        param: usize,
        tie_tol: f64,
    ) -> Result<Self, ThresholdError> {
        backward::check_perfect_information(&t.tree)
            .map_err(|u| ThresholdError::NotPerfectInformation(u.reason))?;
        if param >= t.params.len() || base.len() != t.params.len() {
            return Err(ThresholdError::BadRange(format!(
                "parameter index {param} or point of length {} does not fit a model with {} \
                 parameters",
                base.len(),
                t.params.len()
            )));
        }
        Ok(Scan {
            t,
            theta: base.to_vec(),
            param,
            game: t.empty_game(),
            ws: Workspace::default(),
            stack: Vec::new(),
            tie_tol,
        })
    }

    /// Solves at `x`; the choices are left in `self.ws`.
    pub(crate) fn solve(&mut self, x: f64) -> Result<&[u32], ThresholdError> {
        self.solve_tol(x, self.tie_tol)
    }

    /// Solves at `x` with tie tolerance `tol`.
    fn solve_tol(&mut self, x: f64, tol: f64) -> Result<&[u32], ThresholdError> {
        self.theta[self.param] = x;
        self.t
            .instantiate_into(&self.theta, &mut self.game, &mut self.stack)
            .map_err(|e| ThresholdError::Instantiate(self.t.diagnose(&e, &self.theta).message))?;
        backward::solve_into(&self.game, tol, &mut self.ws);
        Ok(&self.ws.choice)
    }

    /// Solves at `x` with strict comparisons (so a point a hair from a root is not taken for
    /// a tie) and returns the choices, the outcome label and the path in words.
    fn describe(&mut self, x: f64) -> Result<(Vec<u32>, String, String), ThresholdError> {
        let c = self.solve_tol(x, 0.0)?.to_vec();
        let prof = backward::profile_of(&self.game.tree, &self.ws);
        Ok((
            c,
            outcome_label(&self.game, &prof),
            path_in_words(&self.game, &prof),
        ))
    }

    /// The mover's value of move `to` minus move `from` at `node`, everyone playing `choice`.
    fn gap(
        &mut self,
        x: f64,
        choice: &[u32],
        node: usize,
        from: usize,
        to: usize,
    ) -> Result<f64, ThresholdError> {
        self.solve(x)?;
        let tree = &*self.game.tree;
        let n = tree.nodes[node];
        let NodeKind::Decision { player, .. } = n.kind else {
            return Ok(0.0);
        };
        let p = player.ix();
        let np = tree.n_players();
        // Values of every node for player p under `choice` (children before parents).
        let mut v = vec![0.0; tree.nodes.len()];
        for i in (node..tree.nodes.len()).rev() {
            let m = tree.nodes[i];
            v[i] = match m.kind {
                NodeKind::Terminal { leaf } => self.game.payoffs[leaf.ix() * np + p],
                NodeKind::Decision { .. } => v[m.first_child as usize + choice[i] as usize],
                NodeKind::Chance => m.children().map(|c| self.game.chance[c] * v[c]).sum(),
            };
        }
        let first = n.first_child as usize;
        Ok(v[first + to] - v[first + from])
    }
}

/// Every equilibrium change of `template` along parameter `param` over `[lo, hi]`, the other
/// parameters at `base`, in increasing order. See the module docs for the method.
pub fn thresholds(
    template: &GameTemplate,
    base: &[f64],
    param: usize,
    lo: f64,
    hi: f64,
    opts: &ThresholdOptions,
) -> Result<Vec<Threshold>, ThresholdError> {
    if !(lo.is_finite() && hi.is_finite() && lo < hi) {
        return Err(ThresholdError::BadRange(format!(
            "the interval [{lo}, {hi}] is empty or not finite"
        )));
    }
    let mut scan = Scan::new(template, base, param, opts.tie_tol)?;
    let n = opts.grid.max(1);
    let at = |i: usize| lo + (hi - lo) * i as f64 / n as f64;
    let mut out = Vec::new();
    let mut prev = scan.solve(lo)?.to_vec();
    for i in 1..=n {
        let x = at(i);
        let cur = scan.solve(x)?.to_vec();
        if cur != prev {
            resolve(
                &mut scan,
                (at(i - 1), prev),
                (x, cur.clone()),
                opts,
                &mut out,
            )?;
        }
        prev = cur;
    }
    out.sort_by(|a, b| a.value.total_cmp(&b.value));
    Ok(out)
}

/// Resolves one bracket whose ends have different choices into thresholds.
fn resolve(
    scan: &mut Scan<'_>,
    left: (f64, Vec<u32>),
    right: (f64, Vec<u32>),
    opts: &ThresholdOptions,
    out: &mut Vec<Threshold>,
) -> Result<(), ThresholdError> {
    let mut work = vec![(left, right)];
    while let Some(((a, ca), (b, cb))) = work.pop() {
        if ca == cb {
            continue;
        }
        let located = locate(scan, a, &ca, b, &cb, opts)?;
        let h = (1e-9 * (b - a)).max(1e-13 * (1.0 + a.abs().max(b.abs())));
        if let Some((r, exact, cond)) = located {
            let (cl, ll, lp) = scan.describe(r - h)?;
            let (cr, rl, rp) = scan.describe(r + h)?;
            if (cl == ca && cr == cb) || b - a <= 4.0 * h {
                out.push(make(scan, r, exact, &ca, &cb, (ll, lp), (rl, rp), cond));
                continue;
            }
        }
        if b - a <= 1e-9 {
            // Unresolvable within rounding: report the midpoint as approximate.
            let m = 0.5 * (a + b);
            let (_, ll, lp) = scan.describe(a)?;
            let (_, rl, rp) = scan.describe(b)?;
            let none = (None, None);
            out.push(make(scan, m, false, &ca, &cb, (ll, lp), (rl, rp), none));
            continue;
        }
        // Several changes in the bracket: subdivide and keep the cells that change.
        let k = 16;
        let mut prev = (a, ca.clone());
        for j in 1..=k {
            let x = if j == k {
                b
            } else {
                a + (b - a) * j as f64 / k as f64
            };
            let c = if j == k {
                cb.clone()
            } else {
                scan.solve(x)?.to_vec()
            };
            if c != prev.1 {
                work.push((prev.clone(), (x, c.clone())));
            }
            prev = (x, c);
        }
    }
    Ok(())
}

/// The deepest flipping node between two choice vectors.
fn cause(ca: &[u32], cb: &[u32]) -> Option<usize> {
    (0..ca.len()).rev().find(|&i| ca[i] != cb[i])
}

/// A located root: `(root, exact, (condition, equation))`.
type Located = (f64, bool, (Option<String>, Option<String>));

/// Locates the root of the cause's payoff difference in `[a, b]`: `(root, exact, (condition,
/// equation))`.
fn locate(
    scan: &mut Scan<'_>,
    a: f64,
    ca: &[u32],
    b: f64,
    cb: &[u32],
    opts: &ThresholdOptions,
) -> Result<Option<Located>, ThresholdError> {
    let Some(node) = cause(ca, cb) else {
        return Ok(None);
    };
    let (from, to) = (ca[node] as usize, cb[node] as usize);
    let cond = regions::compare(scan.t, ca, NodeId::from(node), to, from, false);
    let text = (
        cond.as_ref()
            .map(|c| c.render(&[scan.param], Some(&scan.theta))),
        cond.as_ref()
            .and_then(|c| c.equation(scan.param, &scan.theta)),
    );
    // Exact: the difference is affine in the parameter once the others are fixed.
    if let Some((l, r)) = cond.as_ref().and_then(|c| c.polys.as_ref()) {
        let d = l.sub(r).substitute(&scan.theta, &[scan.param]);
        if let Some((coef, rest)) = d.split_linear(scan.param) {
            if let (Some(k), Some(c0)) = (coef.as_constant(), rest.as_constant()) {
                if k != 0.0 {
                    let root = -c0 / k;
                    let slack = 1e-9 * (b - a);
                    if root >= a - slack && root <= b + slack {
                        return Ok(Some((root, true, text)));
                    }
                }
            }
        }
    }
    // Numeric: bisect the payoff difference.
    let (mut lo, mut hi) = (a, b);
    let mut glo = scan.gap(lo, ca, node, from, to)?;
    let ghi = scan.gap(hi, ca, node, from, to)?;
    // An end that is itself (within the tie tolerance) a root: the grid hit it.
    let eps = opts.tie_tol * scan.game.payoff_scale();
    if glo.abs() <= eps {
        return Ok(Some((a, false, text)));
    }
    if ghi.abs() <= eps {
        return Ok(Some((b, false, text)));
    }
    if glo.signum() == ghi.signum() {
        return Ok(None);
    }
    for _ in 0..200 {
        if hi - lo <= opts.tol {
            break;
        }
        let m = 0.5 * (lo + hi);
        let g = scan.gap(m, ca, node, from, to)?;
        if g == 0.0 {
            lo = m;
            hi = m;
            break;
        }
        if g.signum() == glo.signum() {
            lo = m;
            glo = g;
        } else {
            hi = m;
        }
    }
    Ok(Some((0.5 * (lo + hi), false, text)))
}

#[allow(clippy::too_many_arguments)]
fn make(
    scan: &Scan<'_>,
    value: f64,
    exact: bool,
    ca: &[u32],
    cb: &[u32],
    left: (String, String),
    right: (String, String),
    (condition, equation): (Option<String>, Option<String>),
) -> Threshold {
    let tree = &*scan.t.tree;
    let changes: Vec<NodeChange> = (0..ca.len())
        .rev()
        .filter(|&i| ca[i] != cb[i])
        .filter_map(|i| match tree.nodes[i].kind {
            NodeKind::Decision { player, .. } => Some(NodeChange {
                node: NodeId::from(i),
                player,
                from: ca[i] as usize,
                to: cb[i] as usize,
            }),
            _ => None,
        })
        .collect();
    // `changes` is non-empty: `resolve` only handles brackets whose choices differ, and only
    // decision nodes carry a choice.
    let main = changes.first().cloned().unwrap_or(NodeChange {
        node: NodeId(0),
        player: PlayerId(0),
        from: 0,
        to: 0,
    });
    let label = |i: usize| {
        let first = tree.nodes[main.node.ix()].first_child as usize;
        tree.move_labels
            .get(first + i)
            .map(str::to_string)
            .unwrap_or_default()
    };
    Threshold {
        value,
        exact,
        node: main.node,
        player: main.player,
        moves: (main.from, main.to),
        labels: (label(main.from), label(main.to)),
        also: changes.into_iter().skip(1).collect(),
        outcome_changes: left.0 != right.0 || left.1 != right.1,
        left: left.0,
        right: right.0,
        left_path: left.1,
        right_path: right.1,
        condition,
        equation,
    }
}

impl Threshold {
    /// One line, in the model's words: `T = 0.2 (exact): after Protégé hedges → Challenger
    /// challenges → Defender abandons, Protégé switches from “acquiesces” to “realigns”
    /// (“realigns” iff T > -psi0/beta (beta > 0)); …; the path of play changes from … to …`.
    pub fn describe(&self, template: &GameTemplate, param: usize) -> String {
        use crate::output::words::{move_words, num, switch_sentence};
        let tree = &*template.tree;
        let name = template.params.names.get(param).map_or("?", String::as_str);
        let mut s = format!(
            "{name} = {} ({}): {}",
            num(self.value),
            if self.exact { "exact" } else { "numeric" },
            switch_sentence(tree, self.node, self.moves.0, self.moves.1)
        );
        if let Some(c) = &self.condition {
            let first = tree.nodes[self.node.ix()].first_child as usize;
            let to = move_words(tree, (first + self.moves.1).into());
            s.push_str(&format!(" (“{to}” iff {c})"));
        }
        for ch in &self.also {
            s.push_str(&format!(
                "; then {}",
                switch_sentence(tree, ch.node, ch.from, ch.to)
            ));
        }
        if self.outcome_changes {
            s.push_str(&format!(
                "; the path of play changes from “{}” to “{}”",
                self.left_path, self.right_path
            ));
        } else {
            s.push_str(&format!(
                "; the path of play stays “{}” (the change is off the path)",
                self.left_path
            ));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A and B each compare a formula of `x` with 0: B plays `u` iff `b_pay > 0`, A plays `r`
    /// iff `a_pay > 0` (both other leaves pay 0).
    fn model(a_pay: &str, b_pay: &str) -> GameTemplate {
        let text = format!(
            r#"
title = "two switches"
players = ["A", "B"]
root = "a"
[parameters]
x = {{ value = 0.5, range = [0, 2] }}
[nodes.a]
player = "A"
moves = {{ l = {{ to = "b" }}, r = {{ to = "o3" }} }}
[nodes.b]
player = "B"
moves = {{ d = {{ to = "o2" }}, u = {{ to = "o1" }} }}
[outcomes.o1]
payoffs = {{ A = 0, B = "{b_pay}" }}
[outcomes.o2]
payoffs = {{ A = 0, B = 0 }}
[outcomes.o3]
payoffs = {{ A = "{a_pay}", B = 0 }}
"#
        );
        let loaded = crate::model::load("t.toml", text);
        match loaded.template {
            Some(t) => t,
            None => panic!("{:?}", loaded.diags),
        }
    }

    #[test]
    fn two_changes_in_one_grid_cell_are_separated() {
        // B switches at x = 0.51, A at x = 0.52 (by construction); with 10 cells over [0, 1]
        // both fall in the cell (0.5, 0.6).
        let t = model("x - 0.52", "x - 0.51");
        let opts = ThresholdOptions {
            grid: 10,
            ..Default::default()
        };
        let ts = thresholds(&t, &[0.5], 0, 0.0, 1.0, &opts).unwrap();
        let v: Vec<f64> = ts.iter().map(|t| t.value).collect();
        assert_eq!(v.len(), 2, "{ts:#?}");
        assert!(
            (v[0] - 0.51).abs() <= 1e-12 && (v[1] - 0.52).abs() <= 1e-12,
            "{v:?}"
        );
        assert!(ts.iter().all(|t| t.exact));
        assert_eq!(ts[1].labels, ("l".to_string(), "r".to_string()));
        // Below 0.52 A plays `l`, so B's switch at 0.51 is on the path and changes the outcome.
        assert!(ts[0].outcome_changes);
        assert_eq!((ts[0].left.as_str(), ts[0].right.as_str()), ("o2", "o1"));
    }

    #[test]
    fn nonlinear_roots_are_bisected() {
        // A switches where x^2 = 2 (x = sqrt 2) and where max(x, 1.5) = 1.7 (x = 1.7):
        // neither is linear, so both are bisected and flagged numeric.
        for (f, want) in [("x^2 - 2", 2f64.sqrt()), ("max(x, 1.5) - 1.7", 1.7)] {
            let t = model(f, "1");
            let ts = thresholds(&t, &[0.5], 0, 0.0, 2.0, &Default::default()).unwrap();
            assert_eq!(ts.len(), 1, "{f}: {ts:#?}");
            assert!((ts[0].value - want).abs() <= 1e-10, "{f}: {}", ts[0].value);
            assert!(!ts[0].exact);
        }
    }

    #[test]
    fn bad_intervals_are_refused() {
        let t = model("x", "x");
        assert!(matches!(
            thresholds(&t, &[0.5], 0, 1.0, 0.0, &Default::default()),
            Err(ThresholdError::BadRange(_))
        ));
        assert!(matches!(
            thresholds(&t, &[0.5], 3, 0.0, 1.0, &Default::default()),
            Err(ThresholdError::BadRange(_))
        ));
    }

    #[test]
    fn imperfect_information_is_refused() {
        // Matching pennies as a tree: B cannot tell A's moves apart.
        let text = r#"
players = ["A", "B"]
root = "start"
[parameters]
x = { value = 1, range = [0, 2] }
[nodes.start]
player = "A"
moves = { l = "p", r = "q" }
[nodes.p]
player = "B"
infoset = "guess"
moves = { u = "o1", d = "o2" }
[nodes.q]
player = "B"
infoset = "guess"
moves = { u = "o3", d = "o4" }
[outcomes.o1]
payoffs = { A = "x", B = 0 }
[outcomes.o2]
payoffs = { A = 0, B = 1 }
[outcomes.o3]
payoffs = { A = 0, B = 1 }
[outcomes.o4]
payoffs = { A = 1, B = 0 }
"#;
        let t = crate::model::load("mp.toml", text)
            .template
            .expect("valid model");
        let err = thresholds(&t, &[1.0], 0, 0.0, 2.0, &Default::default()).unwrap_err();
        assert!(matches!(err, ThresholdError::NotPerfectInformation(_)));
        assert!(err.to_string().contains("information set `guess`"), "{err}");
    }
}
