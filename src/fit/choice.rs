//! Choice probabilities under random utility shocks, and their derivatives.
//!
//! A mover whose moves are worth `m_a` to it, each perturbed by an independent shock of scale
//! `s_a`, chooses move `a` with probability
//! - **logit** (type-I extreme-value shocks of scale σ, the same for every move):
//!   `p_a = exp(m_a/σ) / Σ_b exp(m_b/σ)`;
//! - **probit** (normal shocks, standard deviation `s_a`): with two moves
//!   `p_1 = Φ((m_1 − m_2) / √(s_1² + s_2²))`; with more,
//!   `p_a = ∫ φ(t) Π_{b≠a} Φ((m_a − m_b + s_a t)/s_b) dt`, computed by Gauss–Hermite quadrature
//!   with [`QUADRATURE_NODES`] nodes (the shocks are independent, so the multivariate normal
//!   probability is a one-dimensional integral).
//!
//! The `*_vjp` functions return the vector–Jacobian products the likelihood's reverse pass
//! needs: given `p̄ = ∂ℓ/∂p`, the adjoints `∂ℓ/∂m` and `∂ℓ/∂s`.

use std::sync::OnceLock;

use super::spec::Link;

/// Gauss–Hermite nodes used for probit choices among three or more moves.
pub const QUADRATURE_NODES: usize = 48;

/// Standard normal density.
#[inline]
pub fn phi(x: f64) -> f64 {
    const INV_SQRT_2PI: f64 = 0.398_942_280_401_432_7;
    INV_SQRT_2PI * (-0.5 * x * x).exp()
}

/// Standard normal distribution function, accurate in both tails.
#[inline]
pub fn big_phi(x: f64) -> f64 {
    0.5 * libm::erfc(-x * std::f64::consts::FRAC_1_SQRT_2)
}

/// Nodes and weights for `∫ φ(t) g(t) dt ≈ Σ w_q g(t_q)` (Golub–Welsch on the probabilists'
/// Hermite recurrence).
pub fn hermite() -> &'static (Vec<f64>, Vec<f64>) {
    static RULE: OnceLock<(Vec<f64>, Vec<f64>)> = OnceLock::new();
    RULE.get_or_init(|| {
        let n = QUADRATURE_NODES;
        let mut j = nalgebra::DMatrix::<f64>::zeros(n, n);
        for i in 1..n {
            let b = (i as f64).sqrt();
            j[(i - 1, i)] = b;
            j[(i, i - 1)] = b;
        }
        let eig = nalgebra::SymmetricEigen::new(j);
        let mut pairs: Vec<(f64, f64)> = (0..n)
            .map(|k| (eig.eigenvalues[k], eig.eigenvectors[(0, k)].powi(2)))
            .collect();
        pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
        pairs.into_iter().unzip()
    })
}

/// Choice probabilities `p` for values `m` and shock scales `s` (for logit only `s[0]` is
/// read: agent shocks share one scale).
#[inline]
pub fn probs(link: Link, m: &[f64], s: &[f64], p: &mut [f64]) {
    match link {
        Link::Logit => logit(m, s[0], p),
        Link::Probit => probit(m, s, p),
    }
}

/// Adjoints of [`probs`]: adds `∂ℓ/∂m` to `mbar` and `∂ℓ/∂s` to `sbar` given `pbar`.
#[inline]
pub fn probs_vjp(
    link: Link,
    m: &[f64],
    s: &[f64],
    p: &[f64],
    pbar: &[f64],
    mbar: &mut [f64],
    sbar: &mut [f64],
) {
    match link {
        Link::Logit => {
            sbar[0] += logit_vjp(m, s[0], p, pbar, mbar);
        }
        Link::Probit => probit_vjp(m, s, p, pbar, mbar, sbar),
    }
}

/// Logit probabilities `softmax(m/σ)`.
#[inline]
pub fn logit(m: &[f64], sigma: f64, p: &mut [f64]) {
    let mx = m.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut tot = 0.0;
    for (pa, &ma) in p.iter_mut().zip(m) {
        *pa = ((ma - mx) / sigma).exp();
        tot += *pa;
    }
    for pa in p.iter_mut() {
        *pa /= tot;
    }
}

/// Adds `∂ℓ/∂m` to `mbar`; returns `∂ℓ/∂σ`.
#[inline]
pub fn logit_vjp(m: &[f64], sigma: f64, p: &[f64], pbar: &[f64], mbar: &mut [f64]) -> f64 {
    let avg: f64 = p.iter().zip(pbar).map(|(a, b)| a * b).sum();
    let mut sig_bar = 0.0;
    for a in 0..m.len() {
        let zbar = p[a] * (pbar[a] - avg);
        mbar[a] += zbar / sigma;
        sig_bar -= zbar * m[a] / (sigma * sigma);
    }
    sig_bar
}

/// Probit probabilities with independent normal shocks of standard deviations `s`.
pub fn probit(m: &[f64], s: &[f64], p: &mut [f64]) {
    let k = m.len();
    if k == 1 {
        p[0] = 1.0;
        return;
    }
    if k == 2 {
        let sd = (s[0] * s[0] + s[1] * s[1]).sqrt();
        let d = (m[0] - m[1]) / sd;
        p[0] = big_phi(d);
        p[1] = big_phi(-d);
        return;
    }
    let (t, w) = hermite();
    for a in 0..k {
        let mut acc = 0.0;
        for (tq, wq) in t.iter().zip(w) {
            let mut prod = 1.0;
            for b in 0..k {
                if b != a {
                    prod *= big_phi((m[a] - m[b] + s[a] * tq) / s[b]);
                }
            }
            acc += wq * prod;
        }
        p[a] = acc;
    }
}

/// Adjoints of [`probit`].
pub fn probit_vjp(
    m: &[f64],
    s: &[f64],
    _p: &[f64],
    pbar: &[f64],
    mbar: &mut [f64],
    sbar: &mut [f64],
) {
    let k = m.len();
    if k == 1 {
        return;
    }
    if k == 2 {
        let sd = (s[0] * s[0] + s[1] * s[1]).sqrt();
        let d = (m[0] - m[1]) / sd;
        let dbar = (pbar[0] - pbar[1]) * phi(d);
        mbar[0] += dbar / sd;
        mbar[1] -= dbar / sd;
        let sd_bar = -dbar * d / sd;
        sbar[0] += sd_bar * s[0] / sd;
        sbar[1] += sd_bar * s[1] / sd;
        return;
    }
    let (t, w) = hermite();
    const MAX_K: usize = 64;
    let mut cdf = [0.0f64; MAX_K];
    let mut h = [0.0f64; MAX_K];
    let mut pre = [0.0f64; MAX_K + 1];
    let mut suf = [0.0f64; MAX_K + 1];
    assert!(k <= MAX_K, "probit choice among more than {MAX_K} moves");
    for a in 0..k {
        if pbar[a] == 0.0 {
            continue;
        }
        for (tq, wq) in t.iter().zip(w) {
            for b in 0..k {
                if b == a {
                    cdf[b] = 1.0;
                    h[b] = 0.0;
                } else {
                    h[b] = (m[a] - m[b] + s[a] * tq) / s[b];
                    cdf[b] = big_phi(h[b]);
                }
            }
            pre[0] = 1.0;
            for b in 0..k {
                pre[b + 1] = pre[b] * cdf[b];
            }
            suf[k] = 1.0;
            for b in (0..k).rev() {
                suf[b] = suf[b + 1] * cdf[b];
            }
            for b in 0..k {
                if b == a {
                    continue;
                }
                // ∂p_a/∂h_ab at this node, times the weight and p̄_a.
                let g = pbar[a] * wq * phi(h[b]) * pre[b] * suf[b + 1];
                mbar[a] += g / s[b];
                mbar[b] -= g / s[b];
                sbar[a] += g * tq / s[b];
                sbar[b] -= g * h[b] / s[b];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_vjp(link: Link, m: &[f64], s: &[f64]) {
        let k = m.len();
        let mut p = vec![0.0; k];
        probs(link, m, s, &mut p);
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-10, "{p:?}");
        // ℓ = Σ c_a p_a with arbitrary weights.
        let c: Vec<f64> = (0..k)
            .map(|a| 0.3 + a as f64 * 0.7 - (a % 2) as f64)
            .collect();
        let mut mbar = vec![0.0; k];
        let mut sbar = vec![0.0; k];
        probs_vjp(link, m, s, &p, &c, &mut mbar, &mut sbar);
        let f = |m: &[f64], s: &[f64]| {
            let mut q = vec![0.0; k];
            probs(link, m, s, &mut q);
            q.iter().zip(&c).map(|(a, b)| a * b).sum::<f64>()
        };
        let h = 1e-6;
        for a in 0..k {
            let (mut up, mut dn) = (m.to_vec(), m.to_vec());
            up[a] += h;
            dn[a] -= h;
            let fd = (f(&up, s) - f(&dn, s)) / (2.0 * h);
            assert!(
                (fd - mbar[a]).abs() < 1e-7,
                "{link:?} m[{a}]: {fd} vs {}",
                mbar[a]
            );
        }
        let ns = if link == Link::Logit { 1 } else { k };
        for a in 0..ns {
            let (mut up, mut dn) = (s.to_vec(), s.to_vec());
            if link == Link::Logit {
                up.iter_mut().for_each(|x| *x += h);
                dn.iter_mut().for_each(|x| *x -= h);
            } else {
                up[a] += h;
                dn[a] -= h;
            }
            let fd = (f(m, &up) - f(m, &dn)) / (2.0 * h);
            assert!(
                (fd - sbar[a]).abs() < 1e-7,
                "{link:?} s[{a}]: {fd} vs {}",
                sbar[a]
            );
        }
    }

    #[test]
    fn derivatives_match_finite_differences() {
        check_vjp(Link::Logit, &[0.3, -1.2], &[1.0, 1.0]);
        check_vjp(Link::Logit, &[0.3, -1.2, 2.0, 0.1], &[0.7; 4]);
        check_vjp(Link::Probit, &[0.3, -1.2], &[1.0, 0.6]);
        check_vjp(Link::Probit, &[0.3, -1.2, 0.8], &[1.0, 0.6, 1.3]);
        check_vjp(Link::Probit, &[0.0, 0.5, -0.4, 1.1], &[1.0, 1.0, 1.0, 1.0]);
    }

    #[test]
    fn probit_with_many_moves_agrees_with_two() {
        // A third move that can never win leaves the two-move probabilities.
        let mut p3 = [0.0; 3];
        probit(&[0.4, -0.3, -60.0], &[1.0, 1.0, 1.0], &mut p3);
        let mut p2 = [0.0; 2];
        probit(&[0.4, -0.3], &[1.0, 1.0], &mut p2);
        assert!((p3[0] - p2[0]).abs() < 1e-12 && p3[2] < 1e-300);
        // Symmetric moves are equally likely.
        probit(&[0.2, 0.2, 0.2], &[1.0, 1.0, 1.0], &mut p3);
        assert!(p3.iter().all(|p| (p - 1.0 / 3.0).abs() < 1e-12));
    }

    #[test]
    fn normal_tails_are_accurate() {
        assert!((big_phi(0.0) - 0.5).abs() < 1e-16);
        assert!((big_phi(1.959963984540054) - 0.975).abs() < 1e-15);
        // Φ(-10) = 7.619853024160527e-24
        assert!((big_phi(-10.0) / 7.619853024160527e-24 - 1.0).abs() < 1e-12);
    }
}
