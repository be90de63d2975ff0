//! The likelihood of games with information sets: the agent quantal response equilibrium at
//! each row, and its derivative by the implicit function theorem.
//!
//! With perfect information each node's choice probabilities follow from the values below it,
//! so [`crate::fit::likelihood`] computes them from the leaves up. At an information set of
//! several nodes the mover weighs its members by its beliefs, `μ(x) = R(x) / Σ_{y∈h} R(y)`
//! (Bayes' rule from the probabilities `R` of reaching them), and those depend on the choice
//! probabilities above — which depend on the values below. The choice probabilities `q` (one
//! per action of every information set) are then a fixed point `q = F(q; θ)` of the agent
//! quantal response map (McKelvey & Palfrey 1998):
//!
//! 1. move probabilities from `q`, reach probabilities `R` from the root down and values `V`
//!    from the leaves up;
//! 2. at each information set `h` of player `i`, the expected value of each action
//!    `U(a) = Σ_{x∈h} μ(x) V_i(x·a)` (uniform beliefs where `h` cannot be reached);
//! 3. `F_h(q) = choice(U / σ_i)` — logit or probit, as with perfect information.
//!
//! The fixed point is the one on the **principal branch**: continuation in the payoffs' scale
//! from uniform play (`t·U`, `t` from 0 to 1), each step predicted along the branch's
//! tangent and corrected by chord (simplified Newton) iterations on `q − F(q)`, with steps
//! small enough to stay on the branch where a row has several QREs. It depends on the row's
//! parameters alone. The
//! gradient of `ln L(q*(θ), θ)` uses the implicit function theorem in adjoint form: solve
//! `(I − ∂F/∂q)ᵀ λ = ∂ln L/∂q`, then `d ln L/dθ = ∂ln L/∂θ + λᵀ ∂F/∂θ`; every product with a
//! Jacobian is one reverse pass through steps 1–3, and `∂F/∂q` (needed densely by the continuation
//! method) is one pass per action.

use super::choice;
use super::likelihood::{Failure, Likelihood, Work};
use crate::game::{NodeKind, Tree};

/// Residual `max |q − F(q)|` at which the fixed point is accepted.
const TOL: f64 = 1e-13;
/// Chord iterations per continuation step: more means the step went too far.
const CHORD_ITER: usize = 40;
/// Step of the forward difference in the payoff scale giving the tangent's `∂F/∂t`.
const TANGENT_H: f64 = 1e-7;
/// The largest change of a choice probability accepted in one continuation step.
const STEP_MOVE: f64 = 0.2;

/// An information set, as the fixed point sees it.
#[derive(Clone, Debug)]
struct Set {
    player: usize,
    first_action: usize,
    n_actions: usize,
    first_member: usize,
    n_members: usize,
}

/// The structure of the fixed point for one tree.
#[derive(Clone, Debug)]
pub struct AgentQre {
    sets: Vec<Set>,
    members: Vec<u32>,
    /// For each node, the action (profile index) of the move into it when its parent is a
    /// decision node, else `u32::MAX`.
    action_into: Vec<u32>,
    n_actions: usize,
}

/// Buffers of the fixed point (part of the likelihood's [`Work`]).
#[derive(Clone, Debug, Default)]
pub struct QreWork {
    /// The profile: the solution after a forward pass.
    q: Vec<f64>,
    /// `F(q)`.
    f: Vec<f64>,
    trial: Vec<f64>,
    f_trial: Vec<f64>,
    /// The last point of the continuation, its factored `I − ∂F/∂q` and the tangent there.
    last: Vec<f64>,
    lu_last: Vec<f64>,
    piv_last: Vec<usize>,
    tangent: Vec<f64>,
    /// `I − ∂F/∂q`, row-major, factored in place with `piv` (LU with partial pivoting).
    lu: Vec<f64>,
    piv: Vec<usize>,
    /// Whether `lu` holds the factored matrix at the current solution.
    lu_ready: bool,
    step: Vec<f64>,
    /// Adjoints of one reverse pass.
    fbar: Vec<f64>,
    qbar: Vec<f64>,
    vbar: Vec<f64>,
    rbar: Vec<f64>,
    pbar: Vec<f64>,
}

impl AgentQre {
    /// The fixed point's structure, or `None` for a game of perfect information (which the
    /// recursion from the leaves handles).
    pub fn new(tree: &Tree) -> Option<AgentQre> {
        if tree.is_perfect_information() {
            return None;
        }
        let sets: Vec<Set> = tree
            .infosets
            .iter()
            .map(|s| Set {
                player: s.player.ix(),
                first_action: s.first_action as usize,
                n_actions: s.n_actions as usize,
                first_member: s.first_member as usize,
                n_members: s.n_members as usize,
            })
            .collect();
        let mut action_into = vec![u32::MAX; tree.nodes.len()];
        for n in &tree.nodes {
            if let NodeKind::Decision { infoset, .. } = n.kind {
                let first = tree.infosets[infoset.ix()].first_action;
                for (a, c) in n.children().enumerate() {
                    action_into[c] = first + a as u32;
                }
            }
        }
        Some(AgentQre {
            members: tree.infoset_members.iter().map(|m| m.0).collect(),
            sets,
            action_into,
            n_actions: tree.n_actions(),
        })
    }

    /// Fresh buffers for a likelihood with `n_nodes` nodes and `np` players.
    pub fn work(&self, n_nodes: usize, np: usize) -> QreWork {
        let n = self.n_actions;
        QreWork {
            q: vec![0.0; n],
            f: vec![0.0; n],
            trial: vec![0.0; n],
            f_trial: vec![0.0; n],
            last: vec![0.0; n],
            lu_last: vec![0.0; n * n],
            piv_last: vec![0; n],
            tangent: vec![0.0; n],
            lu: vec![0.0; n * n],
            piv: vec![0; n],
            lu_ready: false,
            step: vec![0.0; n],
            fbar: vec![0.0; n],
            qbar: vec![0.0; n],
            vbar: vec![0.0; n_nodes * np],
            rbar: vec![0.0; n_nodes],
            pbar: vec![0.0; n_nodes],
        }
    }
}

/// Which profile is evaluated by [`Likelihood::qre_map`].
#[derive(Clone, Copy, PartialEq)]
enum Which {
    Q,
    Trial,
}

impl Likelihood<'_> {
    fn agent(&self) -> &AgentQre {
        // Invariant: the fixed-point methods run only when `self.qre` is set.
        self.qre.as_ref().expect("games with information sets")
    }

    /// `F(q)` (into `f`, or `f_trial` for the trial profile) at payoff scale `t`; leaves the
    /// move, reach and value buffers at that profile.
    fn qre_map(&self, which: Which, t: f64, w: &mut Work) {
        let aq = self.agent();
        let np = self.n_players;
        {
            let q = if which == Which::Q {
                &w.qw.q
            } else {
                &w.qw.trial
            };
            for (c, &a) in aq.action_into.iter().enumerate() {
                if a != u32::MAX {
                    w.p[c] = q[a as usize];
                }
            }
        }
        w.r[0] = 1.0;
        for n in 0..self.nodes.len() {
            let node = self.nodes[n];
            let rn = w.r[n];
            for c in node.first as usize..(node.first + node.n) as usize {
                w.r[c] = rn * w.p[c];
            }
        }
        for (n, node) in self.nodes.iter().enumerate().rev() {
            let vn = n * np;
            if node.kind == 0 {
                let l = node.who as usize * np;
                w.v[vn..vn + np].copy_from_slice(&w.items[l..l + np]);
                continue;
            }
            let (f, k) = (node.first as usize, node.n as usize);
            for j in 0..np {
                let mut acc = 0.0;
                for c in f..f + k {
                    acc += w.p[c] * w.v[c * np + j];
                }
                w.v[vn + j] = acc;
            }
        }
        for h in &aq.sets {
            let k = h.n_actions;
            let mem = &aq.members[h.first_member..h.first_member + h.n_members];
            let tot: f64 = mem.iter().map(|&x| w.r[x as usize]).sum();
            for a in 0..k {
                w.m[a] = 0.0;
            }
            for &x in mem {
                let mu = if tot > 0.0 {
                    w.r[x as usize] / tot
                } else {
                    1.0 / h.n_members as f64
                };
                let first = self.nodes[x as usize].first as usize;
                for a in 0..k {
                    w.m[a] += mu * w.v[(first + a) * np + h.player];
                }
            }
            let sd = w.sigma[h.player] / t;
            for a in 0..k {
                w.sd[a] = sd;
            }
            let out = if which == Which::Q {
                &mut w.qw.f
            } else {
                &mut w.qw.f_trial
            };
            choice::probs(
                self.link,
                &w.m[..k],
                &w.sd[..k],
                &mut out[h.first_action..h.first_action + k],
            );
        }
    }

    /// Reverse pass of [`qre_map`](Self::qre_map) (which must have run at the profile `q`
    /// with `t = 1`) seeded by `w.qw.fbar`: `qbar = fbarᵀ ∂F/∂q`; with `theta`, the parameter
    /// adjoints are added to `w.items_bar` and `w.sigma_bar`. `w.qw.rbar` may carry a seed on
    /// the reach probabilities (the log-likelihood's), which is consumed.
    fn qre_map_vjp(&self, theta: bool, w: &mut Work) {
        let aq = self.agent();
        let np = self.n_players;
        let qw = &mut w.qw;
        qw.vbar.iter_mut().for_each(|x| *x = 0.0);
        qw.pbar.iter_mut().for_each(|x| *x = 0.0);
        qw.qbar.iter_mut().for_each(|x| *x = 0.0);
        // Choice rule and beliefs.
        for h in &aq.sets {
            let k = h.n_actions;
            let fb = &qw.fbar[h.first_action..h.first_action + k];
            if fb.iter().all(|&x| x == 0.0) {
                continue;
            }
            let mem = &aq.members[h.first_member..h.first_member + h.n_members];
            let tot: f64 = mem.iter().map(|&x| w.r[x as usize]).sum();
            for a in 0..k {
                w.m[a] = 0.0;
                w.mbar[a] = 0.0;
                w.sdbar[a] = 0.0;
                w.sd[a] = w.sigma[h.player];
            }
            let mu = |x: u32| {
                if tot > 0.0 {
                    w.r[x as usize] / tot
                } else {
                    1.0 / h.n_members as f64
                }
            };
            for &x in mem {
                let first = self.nodes[x as usize].first as usize;
                for a in 0..k {
                    w.m[a] += mu(x) * w.v[(first + a) * np + h.player];
                }
            }
            choice::probs_vjp(
                self.link,
                &w.m[..k],
                &w.sd[..k],
                &qw.f[h.first_action..h.first_action + k],
                fb,
                &mut w.mbar[..k],
                &mut w.sdbar[..k],
            );
            if theta {
                w.sigma_bar[h.player] += w.sdbar[..k].iter().sum::<f64>();
            }
            // U(a) = Σ_x μ(x) V_i(x·a), μ(x) = R(x) / Σ R.
            let mut avg = 0.0;
            for &x in mem {
                let first = self.nodes[x as usize].first as usize;
                let mut wb = 0.0;
                for a in 0..k {
                    let c = first + a;
                    qw.vbar[c * np + h.player] += mu(x) * w.mbar[a];
                    wb += w.mbar[a] * w.v[c * np + h.player];
                }
                avg += mu(x) * wb;
            }
            if tot > 0.0 {
                for &x in mem {
                    let first = self.nodes[x as usize].first as usize;
                    let wb: f64 = (0..k)
                        .map(|a| w.mbar[a] * w.v[(first + a) * np + h.player])
                        .sum();
                    qw.rbar[x as usize] += (wb - avg) / tot;
                }
            }
        }
        // Values, parents before children.
        for (n, node) in self.nodes.iter().enumerate() {
            let vn = n * np;
            if node.kind == 0 {
                if theta {
                    let l = node.who as usize * np;
                    for j in 0..np {
                        w.items_bar[l + j] += qw.vbar[vn + j];
                    }
                }
                continue;
            }
            for c in node.first as usize..(node.first + node.n) as usize {
                let mut pb = 0.0;
                for j in 0..np {
                    let vb = qw.vbar[vn + j];
                    pb += vb * w.v[c * np + j];
                    qw.vbar[c * np + j] += w.p[c] * vb;
                }
                qw.pbar[c] += pb;
            }
        }
        // Reach, children before parents.
        for c in (1..self.nodes.len()).rev() {
            let par = self.nodes[c].parent as usize;
            qw.pbar[c] += qw.rbar[c] * w.r[par];
            qw.rbar[par] += qw.rbar[c] * w.p[c];
        }
        qw.rbar.iter_mut().for_each(|x| *x = 0.0);
        // Moves: actions of the profile, or chance probabilities.
        for (c, &a) in aq.action_into.iter().enumerate() {
            if a != u32::MAX {
                qw.qbar[a as usize] += qw.pbar[c];
            } else if theta && self.nodes[c].chance_item != u32::MAX {
                w.items_bar[self.nodes[c].chance_item as usize] += qw.pbar[c];
            }
        }
    }

    /// Factors `I − ∂F/∂q` at the current solution (after `qre_map(Q, 1)`).
    fn qre_factor(&self, w: &mut Work) -> bool {
        let n = self.agent().n_actions;
        for row in 0..n {
            w.qw.fbar.iter_mut().for_each(|x| *x = 0.0);
            w.qw.fbar[row] = 1.0;
            w.qw.rbar.iter_mut().for_each(|x| *x = 0.0);
            self.qre_map_vjp(false, w);
            for col in 0..n {
                w.qw.lu[row * n + col] = f64::from(u8::from(row == col)) - w.qw.qbar[col];
            }
        }
        w.qw.lu_ready = lu_factor(&mut w.qw.lu, &mut w.qw.piv, n);
        w.qw.lu_ready
    }

    /// Chord iterations `q ← q + (I − J₀)⁻¹ (F(q) − q)` at payoff scale `t` from `w.qw.q`,
    /// with `I − J₀` the factorisation in `w.qw.lu` (taken at the last point of the
    /// continuation): Newton's method without refactoring, converging linearly as long as the
    /// step is short. True when the residual reaches [`TOL`]; false if an iterate leaves the
    /// simplex, the residual stops decreasing or [`CHORD_ITER`] iterations do not suffice.
    fn qre_chord(&self, t: f64, w: &mut Work) -> bool {
        let n = self.agent().n_actions;
        self.qre_map(Which::Q, t, w);
        let mut res = residual(&w.qw.q, &w.qw.f);
        for _ in 0..CHORD_ITER {
            if res <= TOL {
                return true;
            }
            if !res.is_finite() {
                return false;
            }
            for a in 0..n {
                w.qw.step[a] = w.qw.f[a] - w.qw.q[a];
            }
            lu_solve(&w.qw.lu, &w.qw.piv, n, false, &mut w.qw.step);
            for a in 0..n {
                w.qw.trial[a] = w.qw.q[a] + w.qw.step[a];
            }
            if w.qw.trial.iter().any(|&v| v.is_nan() || v <= 0.0) {
                return false;
            }
            self.qre_map(Which::Trial, t, w);
            let r = residual(&w.qw.trial, &w.qw.f_trial);
            if r.is_nan() || r >= res {
                return false;
            }
            std::mem::swap(&mut w.qw.q, &mut w.qw.trial);
            std::mem::swap(&mut w.qw.f, &mut w.qw.f_trial);
            res = r;
        }
        res <= TOL
    }

    /// Continuation from uniform play along the principal branch: `t` from 0 to 1. Each step
    /// predicts along the branch's tangent `dq/dt = (I − ∂F/∂q)⁻¹ ∂F/∂t` and corrects by
    /// [chord iterations](Self::qre_chord) with the last point's factorisation. A step is
    /// accepted only if they converge, no probability moves by more than [`STEP_MOVE`] from
    /// the last point and `det(I − ∂F/∂q)` stays positive (it is 1 at `t = 0` and changes sign
    /// only where the branch turns back); otherwise it is halved. These keep the path on the
    /// principal branch instead of jumping to another QRE. False if the step falls below
    /// 1e-5 — the branch turns back before `t = 1` (a fold), which following it in `t` cannot
    /// pass. On success `w.qw.lu` holds `I − ∂F/∂q` factored at the solution.
    fn qre_continue(&self, w: &mut Work) -> bool {
        let aq = self.agent();
        let n = aq.n_actions;
        for h in &aq.sets {
            for a in 0..h.n_actions {
                w.qw.q[h.first_action + a] = 1.0 / h.n_actions as f64;
            }
        }
        // At t = 0, F is constant (uniform play): I − ∂F/∂q = I.
        w.qw.lu.iter_mut().for_each(|x| *x = 0.0);
        for a in 0..n {
            w.qw.lu[a * n + a] = 1.0;
            w.qw.piv[a] = a;
        }
        let (mut t, mut dt) = (0.0f64, 0.5);
        while t < 1.0 {
            // The tangent at (q, t): ∂F/∂t by a forward difference, then the solve.
            self.qre_map(Which::Q, t, w);
            w.qw.trial.copy_from_slice(&w.qw.q);
            self.qre_map(Which::Trial, t + TANGENT_H, w);
            for a in 0..n {
                w.qw.tangent[a] = (w.qw.f_trial[a] - w.qw.f[a]) / TANGENT_H;
            }
            lu_solve(&w.qw.lu, &w.qw.piv, n, false, &mut w.qw.tangent);
            w.qw.last.copy_from_slice(&w.qw.q);
            w.qw.lu_last.copy_from_slice(&w.qw.lu);
            w.qw.piv_last.copy_from_slice(&w.qw.piv);
            loop {
                let next = (t + dt).min(1.0);
                let h = next - t;
                for a in 0..n {
                    w.qw.q[a] = w.qw.last[a] + h * w.qw.tangent[a];
                }
                if w.qw.q.iter().any(|&v| v.is_nan() || v <= 0.0) {
                    w.qw.q.copy_from_slice(&w.qw.last);
                }
                let ok = self.qre_chord(next, w) && {
                    let moved = (w.qw.q.iter().zip(&w.qw.last))
                        .fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
                    moved <= STEP_MOVE && self.qre_det_positive(next, w)
                };
                if ok {
                    t = next;
                    dt = (dt * 2.0).min(1.0);
                    break;
                }
                w.qw.q.copy_from_slice(&w.qw.last);
                w.qw.lu.copy_from_slice(&w.qw.lu_last);
                w.qw.piv.copy_from_slice(&w.qw.piv_last);
                dt *= 0.5;
                if dt < 1e-5 {
                    return false;
                }
            }
        }
        true
    }

    /// Factors `I − ∂F/∂q` at `w.qw.q` and payoff scale `t` (leaving `w.qw.f = F(q)`); true
    /// if its determinant is positive (the diagonal's signs and the pivots' parity).
    fn qre_det_positive(&self, t: f64, w: &mut Work) -> bool {
        self.qre_map(Which::Q, t, w);
        if t != 1.0 {
            w.sigma.iter_mut().for_each(|s| *s /= t);
        }
        let ok = self.qre_factor(w);
        if t != 1.0 {
            w.sigma.iter_mut().for_each(|s| *s *= t);
        }
        if !ok {
            return false;
        }
        let n = self.agent().n_actions;
        let mut negative = false;
        for (i, &p) in w.qw.piv.iter().enumerate().take(n) {
            negative ^= p != i;
            negative ^= w.qw.lu[i * n + i] < 0.0;
        }
        !negative
    }

    /// The forward pass at pattern `i` for games with information sets (after the formulas
    /// and scales are evaluated): solves the fixed point on the principal branch
    /// ([`qre_continue`](Self::qre_continue)) and leaves `w.p`, `w.r` and the factored
    /// Jacobian at it. The solution depends on the row's parameters alone, never on other
    /// rows, so the likelihood is continuous wherever the branch is.
    pub(super) fn qre_forward(&self, i: usize, w: &mut Work) -> Result<(), Failure> {
        // Chance moves.
        for (c, node) in self.nodes.iter().enumerate() {
            if node.chance_item != u32::MAX {
                let pc = w.items[node.chance_item as usize];
                if pc < 0.0 {
                    return Err(Failure::Chance { pattern: i });
                }
                w.p[c] = pc;
            }
        }
        w.qw.lu_ready = false;
        if !self.qre_continue(w) {
            return Err(Failure::NoEquilibrium { pattern: i });
        }
        // Leave every buffer at the solution; the last step factored I − ∂F/∂q there.
        self.qre_map(Which::Q, 1.0, w);
        w.qw.lu_ready = true;
        Ok(())
    }

    /// The reverse pass at pattern `i` (after [`qre_forward`](Self::qre_forward)) seeded by
    /// `w.r_bar`: adds the gradient in the parameters to `w.items_bar` and `w.sigma_bar`.
    pub(super) fn qre_reverse(&self, i: usize, w: &mut Work) -> Result<(), Failure> {
        let n = self.agent().n_actions;
        if !w.qw.lu_ready && !self.qre_factor(w) {
            return Err(Failure::NoEquilibrium { pattern: i });
        }
        // ∂ln L/∂q, and the direct adjoints of the chance probabilities, through the reach
        // probabilities alone.
        w.qw.fbar.iter_mut().for_each(|x| *x = 0.0);
        w.qw.rbar.copy_from_slice(&w.r_bar);
        self.qre_map_vjp(true, w);
        // λ = (I − ∂F/∂q)⁻ᵀ ∂ln L/∂q.
        let mut lam = std::mem::take(&mut w.qw.qbar);
        lu_solve(&w.qw.lu, &w.qw.piv, n, true, &mut lam);
        w.qw.fbar.copy_from_slice(&lam);
        w.qw.qbar = lam;
        w.qw.rbar.iter_mut().for_each(|x| *x = 0.0);
        self.qre_map_vjp(true, w);
        Ok(())
    }
}

/// `max |q − f|`.
fn residual(q: &[f64], f: &[f64]) -> f64 {
    q.iter()
        .zip(f)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max)
}

/// LU factorisation with partial pivoting of the `n × n` row-major `a`, in place; false if
/// singular.
fn lu_factor(a: &mut [f64], piv: &mut [usize], n: usize) -> bool {
    for k in 0..n {
        let mut p = k;
        for r in k + 1..n {
            if a[r * n + k].abs() > a[p * n + k].abs() {
                p = r;
            }
        }
        piv[k] = p;
        if a[p * n + k] == 0.0 || !a[p * n + k].is_finite() {
            return false;
        }
        if p != k {
            for c in 0..n {
                a.swap(k * n + c, p * n + c);
            }
        }
        let d = a[k * n + k];
        for r in k + 1..n {
            let f = a[r * n + k] / d;
            a[r * n + k] = f;
            for c in k + 1..n {
                a[r * n + c] -= f * a[k * n + c];
            }
        }
    }
    true
}

/// Solves `A x = b` (or `Aᵀ x = b` with `transpose`) in place, given [`lu_factor`]'s output.
fn lu_solve(lu: &[f64], piv: &[usize], n: usize, transpose: bool, b: &mut [f64]) {
    if !transpose {
        for (k, &pk) in piv.iter().enumerate().take(n) {
            b.swap(k, pk);
        }
        for r in 0..n {
            for c in 0..r {
                b[r] -= lu[r * n + c] * b[c];
            }
        }
        for r in (0..n).rev() {
            for c in r + 1..n {
                b[r] -= lu[r * n + c] * b[c];
            }
            b[r] /= lu[r * n + r];
        }
    } else {
        // PA = LU, so Aᵀ = Uᵀ Lᵀ P: solve Uᵀ y = b, Lᵀ z = y, x = Pᵀ z.
        for r in 0..n {
            for c in 0..r {
                b[r] -= lu[c * n + r] * b[c];
            }
            b[r] /= lu[r * n + r];
        }
        for r in (0..n).rev() {
            for c in r + 1..n {
                b[r] -= lu[c * n + r] * b[c];
            }
        }
        for k in (0..n).rev() {
            b.swap(k, piv[k]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lu_solves_a_system_and_its_transpose() {
        let a0 = [0.0, 2.0, 1.0, 1.0, 1.0, 0.0, 3.0, 0.0, 1.0];
        let n = 3;
        let x = [1.0, -2.0, 0.5];
        let mut lu = a0.to_vec();
        let mut piv = vec![0; n];
        assert!(lu_factor(&mut lu, &mut piv, n));
        for transpose in [false, true] {
            let mut b: Vec<f64> = (0..n)
                .map(|r| {
                    (0..n)
                        .map(|c| {
                            let a = if transpose {
                                a0[c * n + r]
                            } else {
                                a0[r * n + c]
                            };
                            a * x[c]
                        })
                        .sum()
                })
                .collect();
            lu_solve(&lu, &piv, n, transpose, &mut b);
            for (u, v) in b.iter().zip(&x) {
                assert!((u - v).abs() < 1e-14, "{transpose}: {b:?}");
            }
        }
    }
}
