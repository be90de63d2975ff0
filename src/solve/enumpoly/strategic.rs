//! Support enumeration for strategic games with any number of players.
//!
//! A support profile `S = (S_1, …, S_n)` fixes which strategies each player uses. Its
//! equilibria solve: every strategy in `S_i` is as good for player `i` as the first one
//! (`u_i(s) = u_i(r_i)`), with `σ_{i,r_i} = 1 − Σ_{s ≠ r_i} σ_{i,s}`, all probabilities on the
//! support positive, and no strategy outside it better. The equations are multilinear in the
//! other players' probabilities; supports are visited from the smallest, skipping any in which
//! a strategy is strictly worse than some other strategy against every pure profile of the
//! others' supports (it can then never be a best response).

use super::poly::{Poly, System};
use super::{Positivity, SupportReport};
use crate::exact::{from_f64, Rational};
use crate::game::StrategicGame;
use num_traits::{One, Zero};

/// Lower and upper ends of the box searched for each free probability (slightly wider than
/// [0, 1], so roots with a probability of exactly 0 or 1 are inside it, not on its faces).
const MARGIN: f64 = 1e-2;

/// A strategic game prepared for support enumeration.
pub struct StrategicEnum<'a> {
    g: &'a StrategicGame,
    shape: Vec<usize>,
    /// Exact payoffs, `pay[profile * n + i]`.
    pay: Vec<Rational>,
    range: f64,
}

impl<'a> StrategicEnum<'a> {
    /// Prepares `g` (its exact payoffs, or the exact values of its floats).
    pub fn new(g: &'a StrategicGame) -> Option<Self> {
        let pay: Vec<Rational> = match &g.exact {
            Some(e) => e.as_ref().clone(),
            None => g
                .payoffs
                .iter()
                .map(|&x| from_f64(x))
                .collect::<Option<_>>()?,
        };
        let (lo, hi) = g
            .payoffs
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &x| {
                (l.min(x), h.max(x))
            });
        Some(StrategicEnum {
            g,
            shape: g.shape(),
            pay,
            range: if hi > lo { hi - lo } else { 1.0 },
        })
    }

    /// Number of support profiles (saturating).
    pub fn n_supports(&self) -> u128 {
        self.shape
            .iter()
            .map(|&k| {
                if k >= 127 {
                    u128::MAX
                } else {
                    (1u128 << k) - 1
                }
            })
            .fold(1u128, |a, b| a.saturating_mul(b))
    }

    /// Every support profile, smallest first.
    pub fn supports(&self) -> Vec<Vec<u64>> {
        let per: Vec<Vec<u64>> = self
            .shape
            .iter()
            .map(|&k| {
                let mut v: Vec<u64> = (1..(1u64 << k)).collect();
                v.sort_by_key(|m| m.count_ones());
                v
            })
            .collect();
        let mut out: Vec<Vec<u64>> = vec![Vec::new()];
        for choices in &per {
            let mut next = Vec::with_capacity(out.len() * choices.len());
            for prefix in &out {
                for &c in choices {
                    let mut p = prefix.clone();
                    p.push(c);
                    next.push(p);
                }
            }
            out = next;
        }
        out.sort_by_key(|s| s.iter().map(|m| m.count_ones()).sum::<u32>());
        out
    }

    fn index(&self, pure: &[usize]) -> usize {
        self.g.profile_index(pure)
    }

    fn members(mask: u64, k: usize) -> Vec<usize> {
        (0..k).filter(|&s| mask & (1 << s) != 0).collect()
    }

    /// Pure profiles of everyone but `i` within the supports (`i`'s entry left at 0).
    fn others(&self, sup: &[Vec<usize>], i: usize) -> Vec<Vec<usize>> {
        let mut out: Vec<Vec<usize>> = vec![vec![0; self.shape.len()]];
        for (j, s) in sup.iter().enumerate() {
            if j == i {
                continue;
            }
            let mut next = Vec::with_capacity(out.len() * s.len());
            for p in &out {
                for &t in s {
                    let mut q = p.clone();
                    q[j] = t;
                    next.push(q);
                }
            }
            out = next;
        }
        out
    }

    /// True if some strategy of the support is strictly dominated, against the others'
    /// supports, by another strategy.
    fn dominated(&self, sup: &[Vec<usize>]) -> bool {
        let n = self.shape.len();
        let eps = 1e-12 * self.range;
        for i in 0..n {
            let others = self.others(sup, i);
            for &s in &sup[i] {
                for t in (0..self.shape[i]).filter(|&t| t != s) {
                    let beats = others.iter().all(|x| {
                        let mut a = x.clone();
                        a[i] = t;
                        let mut b = x.clone();
                        b[i] = s;
                        self.g.payoffs[self.index(&a) * n + i]
                            > self.g.payoffs[self.index(&b) * n + i] + eps
                    });
                    if beats {
                        return true;
                    }
                }
            }
        }
        false
    }

    /// Solves one support profile.
    pub fn solve_support(&self, masks: &[u64], params: &super::Params) -> SupportReport {
        let n = self.shape.len();
        let sup: Vec<Vec<usize>> = masks
            .iter()
            .zip(&self.shape)
            .map(|(&m, &k)| Self::members(m, k))
            .collect();
        let label = self.label(&sup);
        if self.dominated(&sup) {
            return SupportReport::skipped(label);
        }
        // Variables: every support strategy but the first, for each player.
        let mut var: Vec<Vec<Option<u32>>> = vec![Vec::new(); n];
        let mut nv = 0u32;
        for i in 0..n {
            var[i] = vec![None; self.shape[i]];
            for &s in sup[i].iter().skip(1) {
                var[i][s] = Some(nv);
                nv += 1;
            }
        }
        // σ_{j,t} as a polynomial.
        let prob = |j: usize, t: usize| -> Poly {
            let mut p = Poly::default();
            match var[j][t] {
                Some(v) => p.add_term(Rational::one(), vec![v]),
                None => {
                    // The first support strategy: 1 − Σ others.
                    p.add_term(Rational::one(), vec![]);
                    for &u in sup[j].iter().skip(1) {
                        p.add_term(-Rational::one(), vec![var[j][u].unwrap_or(0)]);
                    }
                }
            }
            p
        };
        // u_i(s) − u_i(r_i) as a polynomial in the others' probabilities.
        let gain = |i: usize, s: usize, r: usize| -> Poly {
            let mut total = Poly::default();
            for x in self.others(&sup, i) {
                let mut a = x.clone();
                a[i] = s;
                let mut b = x.clone();
                b[i] = r;
                let c = &self.pay[self.index(&a) * n + i] - &self.pay[self.index(&b) * n + i];
                if c.is_zero() {
                    continue;
                }
                let mut term = Poly::default();
                term.add_term(c, vec![]);
                for j in (0..n).filter(|&j| j != i) {
                    if sup[j].len() > 1 {
                        term = multiply(&term, &prob(j, x[j]));
                    }
                }
                for t in term.terms {
                    total.add_term(t.coef, t.vars);
                }
            }
            total.tidy();
            total
        };
        let mut eqs = Vec::new();
        for (i, si) in sup.iter().enumerate() {
            for &s in si.iter().skip(1) {
                eqs.push(gain(i, s, si[0]));
            }
        }
        let sys = System {
            eqs,
            n_vars: nv as usize,
            bounds: vec![(-MARGIN, 1.0 + MARGIN); nv as usize],
        };
        // Off-support conditions: u_i(t) − u_i(r_i) ≤ 0.
        let mut ineqs = Vec::new();
        for (i, si) in sup.iter().enumerate() {
            for t in (0..self.shape[i]).filter(|t| !si.contains(t)) {
                ineqs.push(gain(i, t, si[0]));
            }
        }
        let pos = Positivity {
            forms: (0..n)
                .flat_map(|i| sup[i].iter().map(move |&s| (i, s)))
                .filter(|&(i, _)| sup[i].len() > 1)
                .map(|(i, s)| prob(i, s))
                .collect(),
        };
        let to_mixed = |x: &[f64]| -> Vec<Vec<f64>> {
            (0..n)
                .map(|i| {
                    let mut m = vec![0.0; self.shape[i]];
                    let mut rest = 1.0;
                    for &s in sup[i].iter().skip(1) {
                        let v = x[var[i][s].unwrap_or(0) as usize];
                        m[s] = v;
                        rest -= v;
                    }
                    m[sup[i][0]] = rest;
                    m
                })
                .collect()
        };
        let rep = super::solve_system(&sys, &ineqs, true, &pos, self.range, params);
        rep.into_report(label, &to_mixed)
    }

    /// `{a, b} × {c}` in the players' strategy names.
    fn label(&self, sup: &[Vec<usize>]) -> String {
        let parts: Vec<String> = sup
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let names: Vec<&str> = s
                    .iter()
                    .map(|&t| self.g.strategies[i][t].as_str())
                    .collect();
                format!("{{{}}}", names.join(", "))
            })
            .collect();
        parts.join(" × ")
    }
}

/// The product of two polynomials in disjoint variables.
pub(super) fn multiply(a: &Poly, b: &Poly) -> Poly {
    let mut out = Poly::default();
    for s in &a.terms {
        for t in &b.terms {
            let mut vars = s.vars.clone();
            vars.extend_from_slice(&t.vars);
            out.add_term(&s.coef * &t.coef, vars);
        }
    }
    out.tidy();
    out
}
