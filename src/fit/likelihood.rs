//! The log-likelihood of the observed outcomes and its exact gradient.
//!
//! For one row (a covariate pattern), with parameters θ from the coefficients β:
//!
//! 1. payoffs `u` and chance probabilities from the model's formulas at θ, and each player's
//!    shock scale `σ_i = exp(log_scale_i)`;
//! 2. **from the leaves up**, each node's continuation value `V(n)` for every player; at a
//!    decision node of player `i` with children `c_a`, the choice probabilities
//!    `p_a = F(V_i(c_1), …, V_i(c_k); s)` ([`crate::fit::choice`]) with shock scales
//!    - agent error: `s_a = σ_i` (one shock per move);
//!    - private information: `s_a = σ_i √S(c_a)`, where `S(n) = Σ_ℓ q(ℓ | n)²` sums the
//!      squared probabilities of reaching each leaf below `n`, since the move's value is the
//!      sum of the mover's outcome shocks weighted by those probabilities;
//! 3. **from the root down**, the probability `R(n)` of reaching each node;
//! 4. the likelihood of an observation is `Σ R(n)` over its nodes (an outcome, a node reached
//!    before the record stops, or every leaf carrying an event).
//!
//! The gradient is reverse-mode differentiation of exactly these steps: adjoints of `R`
//! bottom-up, then of `V` (and `S`) top-down, then through the choice rule, the formulas'
//! symbolic derivatives and the linear predictors. It costs about twice the likelihood and no
//! allocation: every buffer lives in a reused [`Work`].

use super::choice;
use super::design::Design;
use super::formulas::Formulas;
use super::qre::{AgentQre, QreWork};
use super::spec::{ErrorModel, Link};
use crate::expr::EvalError;
use crate::game::{NodeKind, Tree};
use rayon::prelude::*;

/// Patterns per parallel work unit (fixed, so sums are the same on any number of threads).
const CHUNK: usize = 256;

#[derive(Clone, Copy, Debug)]
pub(super) struct NodeInfo {
    /// 0 leaf, 1 chance, 2 decision.
    pub(super) kind: u8,
    /// Mover (decision), leaf index (leaf), unused (chance).
    pub(super) who: u32,
    pub(super) first: u32,
    pub(super) n: u32,
    pub(super) parent: u32,
    /// Chance item index of the move into this node, or `u32::MAX`.
    pub(super) chance_item: u32,
}

/// Why the likelihood is not finite at some coefficients.
#[derive(Clone, Debug, PartialEq)]
pub enum Failure {
    /// A payoff or chance formula failed at a row.
    Formula {
        /// Index into the template's formulas.
        formula: usize,
        /// The failure.
        error: EvalError,
        /// A row (its index among used rows' patterns) where it failed.
        pattern: usize,
    },
    /// A chance probability is negative at a row.
    Chance {
        /// The pattern.
        pattern: usize,
    },
    /// The agent quantal response equilibrium (games with information sets) was not found.
    NoEquilibrium {
        /// The pattern.
        pattern: usize,
    },
    /// An observed outcome has probability zero (or it underflows).
    ZeroProbability {
        /// The pattern.
        pattern: usize,
        /// The observation.
        obs: usize,
    },
}

/// The log-likelihood (and gradient) at some coefficients.
#[derive(Clone, Debug)]
pub struct Eval {
    /// `Σ_rows w · ln P(observed)`, or −∞ on failure.
    pub loglik: f64,
    /// Its gradient in the coefficients (empty when not asked for).
    pub grad: Vec<f64>,
    /// The first failure, if any.
    pub failure: Option<Failure>,
}

/// Reusable buffers for one thread.
#[derive(Clone, Debug)]
pub struct Work {
    pub(super) theta: Vec<f64>,
    pub(super) theta_bar: Vec<f64>,
    pub(super) items: Vec<f64>,
    pub(super) items_bar: Vec<f64>,
    pub(super) v: Vec<f64>,
    pub(super) v_bar: Vec<f64>,
    pub(super) s: Vec<f64>,
    pub(super) s_bar: Vec<f64>,
    pub(super) p: Vec<f64>,
    pub(super) p_bar: Vec<f64>,
    pub(super) r: Vec<f64>,
    pub(super) r_bar: Vec<f64>,
    pub(super) sigma: Vec<f64>,
    pub(super) sigma_bar: Vec<f64>,
    pub(super) m: Vec<f64>,
    pub(super) sd: Vec<f64>,
    pub(super) mbar: Vec<f64>,
    pub(super) sdbar: Vec<f64>,
    pub(super) pb: Vec<f64>,
    pub(super) stack: Vec<f64>,
    /// The agent QRE's buffers (games with information sets).
    pub(super) qw: QreWork,
}

/// The likelihood of a design under a model and an error structure.
#[derive(Clone, Debug)]
pub struct Likelihood<'a> {
    /// The data side.
    pub design: &'a Design,
    /// The model's formulas as functions of the parameters.
    pub formulas: Formulas,
    /// Error structure.
    pub errors: ErrorModel,
    /// Shock distribution.
    pub link: Link,
    pub(super) nodes: Vec<NodeInfo>,
    pub(super) n_players: usize,
    max_children: usize,
    /// The agent QRE fixed point, for games with information sets.
    pub(super) qre: Option<AgentQre>,
    /// Each player's shock scale when it is the same at every row (no `exp` per row).
    fixed_sigma: Vec<Option<f64>>,
    /// Weight of each cell (by default its count; the bootstrap reweights).
    pub weights: Vec<f64>,
}

impl<'a> Likelihood<'a> {
    /// Sets up the likelihood of `design` for a tree (with information sets, the agent QRE at
    /// each row: [`crate::fit::qre`]).
    pub fn new(
        tree: &Tree,
        formulas: Formulas,
        design: &'a Design,
        errors: ErrorModel,
        link: Link,
    ) -> Likelihood<'a> {
        let mut chance_item = vec![u32::MAX; tree.nodes.len()];
        for (k, &c) in formulas.chance_targets.iter().enumerate() {
            chance_item[c as usize] = (formulas.n_payoffs + k) as u32;
        }
        let nodes: Vec<NodeInfo> = tree
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let (kind, who) = match n.kind {
                    NodeKind::Terminal { leaf } => (0, leaf.0),
                    NodeKind::Chance => (1, 0),
                    NodeKind::Decision { player, .. } => (2, player.0),
                };
                NodeInfo {
                    kind,
                    who,
                    first: n.first_child,
                    n: n.n_children,
                    parent: n.parent,
                    chance_item: chance_item[i],
                }
            })
            .collect();
        let max_children = nodes.iter().map(|n| n.n as usize).max().unwrap_or(0);
        Likelihood {
            design,
            formulas,
            errors,
            link,
            nodes,
            n_players: tree.n_players(),
            max_children,
            qre: AgentQre::new(tree),
            fixed_sigma: (0..tree.n_players())
                .map(|pl| {
                    let e = design.n_params + pl;
                    (!design.varying[e]).then(|| design.theta_base[e].exp())
                })
                .collect(),
            weights: design.cells.iter().map(|c| c.count).collect(),
        }
    }

    /// Number of coefficients.
    pub fn n_coefs(&self) -> usize {
        self.design.coefs.len()
    }

    /// Fresh buffers.
    pub fn work(&self) -> Work {
        let n = self.nodes.len();
        let np = self.n_players;
        let ne = self.design.theta_base.len();
        let ni = self.formulas.items.len();
        let k = self.max_children.max(1);
        Work {
            theta: vec![0.0; ne],
            theta_bar: vec![0.0; ne],
            items: vec![0.0; ni],
            items_bar: vec![0.0; ni],
            v: vec![0.0; n * np],
            v_bar: vec![0.0; n * np],
            s: vec![0.0; n],
            s_bar: vec![0.0; n],
            p: vec![0.0; n],
            p_bar: vec![0.0; n],
            r: vec![0.0; n],
            r_bar: vec![0.0; n],
            sigma: vec![0.0; np],
            sigma_bar: vec![0.0; np],
            m: vec![0.0; k],
            sd: vec![0.0; k],
            mbar: vec![0.0; k],
            sdbar: vec![0.0; k],
            pb: vec![0.0; k],
            stack: Vec::new(),
            qw: self
                .qre
                .as_ref()
                .map_or_else(QreWork::default, |q| q.work(n, np)),
        }
    }

    /// Forward pass at pattern `i`: values, choice probabilities, reach probabilities.
    fn forward(&self, i: usize, beta: &[f64], w: &mut Work) -> Result<(), Failure> {
        let d = self.design;
        let np = self.n_players;
        w.theta.copy_from_slice(&d.theta_base);
        d.theta(i, beta, &mut w.theta);
        self.formulas
            .eval(&w.theta, &mut w.items, &mut w.stack)
            .map_err(|(formula, error)| Failure::Formula {
                formula,
                error,
                pattern: i,
            })?;
        for pl in 0..np {
            w.sigma[pl] = self.fixed_sigma[pl].unwrap_or_else(|| w.theta[d.n_params + pl].exp());
        }
        if self.qre.is_some() {
            return self.qre_forward(i, w);
        }
        let private = self.errors == ErrorModel::Private;
        for (n, node) in self.nodes.iter().enumerate().rev() {
            let vn = n * np;
            match node.kind {
                0 => {
                    let l = node.who as usize * np;
                    w.v[vn..vn + np].copy_from_slice(&w.items[l..l + np]);
                    w.s[n] = 1.0;
                }
                1 => {
                    let (f, k) = (node.first as usize, node.n as usize);
                    let (mut sv, mut ss) = (0.0, 0.0);
                    for c in f..f + k {
                        let pc = w.items[self.nodes[c].chance_item as usize];
                        if pc < 0.0 {
                            return Err(Failure::Chance { pattern: i });
                        }
                        w.p[c] = pc;
                        ss += pc * pc * w.s[c];
                        sv += pc;
                    }
                    let _ = sv;
                    for j in 0..np {
                        let mut acc = 0.0;
                        for c in f..f + k {
                            acc += w.p[c] * w.v[c * np + j];
                        }
                        w.v[vn + j] = acc;
                    }
                    w.s[n] = ss;
                }
                _ => {
                    let (f, k, mover) = (node.first as usize, node.n as usize, node.who as usize);
                    for a in 0..k {
                        let c = f + a;
                        w.m[a] = w.v[c * np + mover];
                        w.sd[a] = if private {
                            w.sigma[mover] * w.s[c].sqrt()
                        } else {
                            w.sigma[mover]
                        };
                    }
                    choice::probs(self.link, &w.m[..k], &w.sd[..k], &mut w.p[f..f + k]);
                    for j in 0..np {
                        let mut acc = 0.0;
                        for c in f..f + k {
                            acc += w.p[c] * w.v[c * np + j];
                        }
                        w.v[vn + j] = acc;
                    }
                    if private {
                        let mut ss = 0.0;
                        for c in f..f + k {
                            ss += w.p[c] * w.p[c] * w.s[c];
                        }
                        w.s[n] = ss;
                    }
                }
            }
        }
        w.r[0] = 1.0;
        for (n, node) in self.nodes.iter().enumerate() {
            let rn = w.r[n];
            for c in node.first as usize..(node.first + node.n) as usize {
                w.r[c] = rn * w.p[c];
            }
        }
        Ok(())
    }

    /// Reverse pass at pattern `i` (after [`forward`](Self::forward)), seeded by `w.r_bar`;
    /// adds the coefficient gradient to `grad`.
    fn reverse(&self, i: usize, w: &mut Work, grad: &mut [f64]) -> Result<(), Failure> {
        let np = self.n_players;
        let private = self.errors == ErrorModel::Private;
        w.p_bar.iter_mut().for_each(|x| *x = 0.0);
        w.v_bar.iter_mut().for_each(|x| *x = 0.0);
        if private {
            w.s_bar.iter_mut().for_each(|x| *x = 0.0);
        }
        w.items_bar.iter_mut().for_each(|x| *x = 0.0);
        w.sigma_bar.iter_mut().for_each(|x| *x = 0.0);
        w.theta_bar.iter_mut().for_each(|x| *x = 0.0);
        if self.qre.is_some() {
            self.qre_reverse(i, w)?;
            return self.reverse_params(i, w, grad);
        }
        // Reach, children before parents.
        for c in (1..self.nodes.len()).rev() {
            let par = self.nodes[c].parent as usize;
            w.p_bar[c] += w.r_bar[c] * w.r[par];
            w.r_bar[par] += w.r_bar[c] * w.p[c];
        }
        // Values, parents before children.
        for (n, node) in self.nodes.iter().enumerate() {
            let vn = n * np;
            match node.kind {
                0 => {
                    let l = node.who as usize * np;
                    for j in 0..np {
                        w.items_bar[l + j] += w.v_bar[vn + j];
                    }
                }
                1 => {
                    for c in node.first as usize..(node.first + node.n) as usize {
                        let mut pb = w.p_bar[c];
                        for j in 0..np {
                            pb += w.v_bar[vn + j] * w.v[c * np + j];
                            w.v_bar[c * np + j] += w.p[c] * w.v_bar[vn + j];
                        }
                        if private {
                            pb += 2.0 * w.p[c] * w.s[c] * w.s_bar[n];
                            w.s_bar[c] += w.p[c] * w.p[c] * w.s_bar[n];
                        }
                        w.items_bar[self.nodes[c].chance_item as usize] += pb;
                    }
                }
                _ => {
                    let (f, k, mover) = (node.first as usize, node.n as usize, node.who as usize);
                    for a in 0..k {
                        let c = f + a;
                        let mut pb = w.p_bar[c];
                        for j in 0..np {
                            pb += w.v_bar[vn + j] * w.v[c * np + j];
                            w.v_bar[c * np + j] += w.p[c] * w.v_bar[vn + j];
                        }
                        if private {
                            pb += 2.0 * w.p[c] * w.s[c] * w.s_bar[n];
                            w.s_bar[c] += w.p[c] * w.p[c] * w.s_bar[n];
                        }
                        w.pb[a] = pb;
                        w.m[a] = w.v[c * np + mover];
                        w.sd[a] = if private {
                            w.sigma[mover] * w.s[c].sqrt()
                        } else {
                            w.sigma[mover]
                        };
                        w.mbar[a] = 0.0;
                        w.sdbar[a] = 0.0;
                    }
                    choice::probs_vjp(
                        self.link,
                        &w.m[..k],
                        &w.sd[..k],
                        &w.p[f..f + k],
                        &w.pb[..k],
                        &mut w.mbar[..k],
                        &mut w.sdbar[..k],
                    );
                    for a in 0..k {
                        let c = f + a;
                        w.v_bar[c * np + mover] += w.mbar[a];
                        if private {
                            let rs = w.s[c].sqrt();
                            w.sigma_bar[mover] += w.sdbar[a] * rs;
                            if rs > 0.0 {
                                w.s_bar[c] += w.sdbar[a] * w.sigma[mover] / (2.0 * rs);
                            }
                        } else {
                            w.sigma_bar[mover] += w.sdbar[a];
                        }
                    }
                }
            }
        }
        self.reverse_params(i, w, grad)
    }

    /// The last steps of the reverse pass: from the adjoints of the formula items and the
    /// shock scales to the coefficient gradient.
    fn reverse_params(&self, i: usize, w: &mut Work, grad: &mut [f64]) -> Result<(), Failure> {
        let d = self.design;
        for pl in 0..self.n_players {
            w.theta_bar[d.n_params + pl] += w.sigma_bar[pl] * w.sigma[pl];
        }
        self.formulas
            .backprop(&w.theta, &w.items_bar, &mut w.theta_bar, &mut w.stack)
            .map_err(|(formula, error)| Failure::Formula {
                formula,
                error,
                pattern: i,
            })?;
        d.backprop(i, &w.theta_bar, grad);
        Ok(())
    }

    /// Log-likelihood of the cells of pattern `i` (after the forward pass); seeds `r_bar`.
    fn cells_loglik(&self, i: usize, w: &mut Work) -> Result<f64, Failure> {
        let d = self.design;
        w.r_bar.iter_mut().for_each(|x| *x = 0.0);
        let mut ll = 0.0;
        for ci in d.pattern_cells[i] as usize..d.pattern_cells[i + 1] as usize {
            let wt = self.weights[ci];
            if wt == 0.0 {
                continue;
            }
            let obs = &d.obs[d.cells[ci].obs as usize];
            let l: f64 = obs.iter().map(|&n| w.r[n as usize]).sum();
            if l <= 0.0 || l.is_nan() {
                return Err(Failure::ZeroProbability {
                    pattern: i,
                    obs: d.cells[ci].obs as usize,
                });
            }
            ll += wt * l.ln();
            for &n in obs {
                w.r_bar[n as usize] += wt / l;
            }
        }
        Ok(ll)
    }

    fn eval_range(
        &self,
        range: std::ops::Range<usize>,
        beta: &[f64],
        want_grad: bool,
        w: &mut Work,
    ) -> (f64, Vec<f64>, Option<Failure>) {
        let mut grad = vec![0.0; if want_grad { self.n_coefs() } else { 0 }];
        let mut ll = 0.0;
        for i in range {
            let res = self.forward(i, beta, w).and_then(|_| {
                let l = self.cells_loglik(i, w)?;
                if want_grad {
                    self.reverse(i, w, &mut grad)?;
                }
                Ok(l)
            });
            match res {
                Ok(l) => ll += l,
                Err(f) => return (f64::NEG_INFINITY, grad, Some(f)),
            }
        }
        (ll, grad, None)
    }

    /// The log-likelihood at `beta`, with its gradient if `want_grad`.
    pub fn eval(&self, beta: &[f64], want_grad: bool) -> Eval {
        let np = self.design.n_patterns();
        let chunks: Vec<std::ops::Range<usize>> = (0..np.div_ceil(CHUNK))
            .map(|c| c * CHUNK..((c + 1) * CHUNK).min(np))
            .collect();
        let parts: Vec<(f64, Vec<f64>, Option<Failure>)> = if chunks.len() > 1 {
            chunks
                .into_par_iter()
                .map_init(
                    || self.work(),
                    |w, r| self.eval_range(r, beta, want_grad, w),
                )
                .collect()
        } else {
            let mut w = self.work();
            chunks
                .into_iter()
                .map(|r| self.eval_range(r, beta, want_grad, &mut w))
                .collect()
        };
        let mut out = Eval {
            loglik: 0.0,
            grad: vec![0.0; if want_grad { self.n_coefs() } else { 0 }],
            failure: None,
        };
        for (ll, g, f) in parts {
            if out.failure.is_none() && f.is_some() {
                out.failure = f;
            }
            out.loglik += ll;
            for (a, b) in out.grad.iter_mut().zip(&g) {
                *a += b;
            }
        }
        if out.failure.is_some() {
            out.loglik = f64::NEG_INFINITY;
        }
        out
    }

    /// The gradient of each cell's `ln P(observation)` (one row of `n_coefs` per cell): the
    /// per-row scores behind clustered standard errors. Chunks of patterns run in parallel;
    /// each cell's row is computed alone, so the result does not depend on the thread count.
    pub fn cell_scores(&self, beta: &[f64]) -> Result<Vec<f64>, Failure> {
        let d = self.design;
        let k = self.n_coefs();
        let np = d.n_patterns();
        let parts: Vec<Result<Vec<f64>, Failure>> = (0..np.div_ceil(CHUNK))
            .into_par_iter()
            .map_init(
                || self.work(),
                |w, c| self.scores_range(c * CHUNK..((c + 1) * CHUNK).min(np), beta, w),
            )
            .collect();
        let mut out = Vec::with_capacity(d.cells.len() * k);
        for p in parts {
            out.extend_from_slice(&p?);
        }
        Ok(out)
    }

    /// [`cell_scores`](Self::cell_scores) for the cells of the patterns in `range`.
    fn scores_range(
        &self,
        range: std::ops::Range<usize>,
        beta: &[f64],
        w: &mut Work,
    ) -> Result<Vec<f64>, Failure> {
        let d = self.design;
        let k = self.n_coefs();
        let (lo, hi) = (
            d.pattern_cells[range.start] as usize,
            d.pattern_cells[range.end] as usize,
        );
        let mut out = vec![0.0; (hi - lo) * k];
        for i in range {
            self.forward(i, beta, w)?;
            for ci in d.pattern_cells[i] as usize..d.pattern_cells[i + 1] as usize {
                w.r_bar.iter_mut().for_each(|x| *x = 0.0);
                let obs = &d.obs[d.cells[ci].obs as usize];
                let l: f64 = obs.iter().map(|&n| w.r[n as usize]).sum();
                if l <= 0.0 {
                    return Err(Failure::ZeroProbability {
                        pattern: i,
                        obs: d.cells[ci].obs as usize,
                    });
                }
                for &n in obs {
                    w.r_bar[n as usize] = 1.0 / l;
                }
                let g = &mut out[(ci - lo) * k..(ci - lo + 1) * k];
                self.reverse(i, w, g)?;
            }
        }
        Ok(out)
    }

    /// The probability of reaching every node at pattern `i` (leaves: outcome probabilities).
    pub fn reach(&self, i: usize, beta: &[f64], w: &mut Work) -> Result<Vec<f64>, Failure> {
        self.forward(i, beta, w)?;
        Ok(w.r.clone())
    }

    /// The probability of reaching `node` at pattern `i` and its gradient in the coefficients
    /// (for delta-method bands).
    pub fn reach_grad(
        &self,
        i: usize,
        beta: &[f64],
        node: usize,
        w: &mut Work,
    ) -> Result<(f64, Vec<f64>), Failure> {
        self.forward(i, beta, w)?;
        w.r_bar.iter_mut().for_each(|x| *x = 0.0);
        w.r_bar[node] = 1.0;
        let mut g = vec![0.0; self.n_coefs()];
        self.reverse(i, w, &mut g)?;
        Ok((w.r[node], g))
    }

    /// The observed and the predicted count of each observation (one per [`Design::obs`]) at
    /// `beta`, over the rows used (patterns where the model fails are left out of both).
    /// Chunks of patterns run in parallel and are summed in order.
    pub fn frequencies(&self, beta: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let d = self.design;
        let (no, np) = (d.obs.len(), d.n_patterns());
        let parts: Vec<(Vec<f64>, Vec<f64>)> = (0..np.div_ceil(CHUNK))
            .into_par_iter()
            .map_init(
                || (self.work(), vec![0.0; no]),
                |(w, probs), c| {
                    let mut observed = vec![0.0; no];
                    let mut predicted = vec![0.0; no];
                    for i in c * CHUNK..((c + 1) * CHUNK).min(np) {
                        if self.obs_probs(i, beta, w, probs).is_err() {
                            continue;
                        }
                        let cells = d.pattern_cells[i] as usize..d.pattern_cells[i + 1] as usize;
                        for cell in &d.cells[cells] {
                            observed[cell.obs as usize] += cell.count;
                            for (p, q) in predicted.iter_mut().zip(probs.iter()) {
                                *p += cell.count * q;
                            }
                        }
                    }
                    (observed, predicted)
                },
            )
            .collect();
        let mut observed = vec![0.0; no];
        let mut predicted = vec![0.0; no];
        for (o, p) in parts {
            observed.iter_mut().zip(&o).for_each(|(a, b)| *a += b);
            predicted.iter_mut().zip(&p).for_each(|(a, b)| *a += b);
        }
        (observed, predicted)
    }

    /// The probability of every observation at pattern `i`, into `out` (one per
    /// [`Design::obs`]).
    pub fn obs_probs(
        &self,
        i: usize,
        beta: &[f64],
        w: &mut Work,
        out: &mut [f64],
    ) -> Result<(), Failure> {
        self.forward(i, beta, w)?;
        for (o, nodes) in out.iter_mut().zip(&self.design.obs) {
            *o = nodes.iter().map(|&n| w.r[n as usize]).sum();
        }
        Ok(())
    }
}
