//! Choice probabilities under random utility shocks, and their derivatives.
//!
//! A mover whose moves are worth `m_a` to it, each perturbed by an independent shock of scale
//! `s_a`, chooses move `a` with probability
//! - **logit** (type-I extreme-value shocks of scale σ, the same for every move):
//!   `p_a = exp(m_a/σ) / Σ_b exp(m_b/σ)`;
//! - **probit** (normal shocks, standard deviation `s_a`): with two moves
//!   `p_1 = Φ((m_1 − m_2) / √(s_1² + s_2²))`; with more,
//!   `p_a = ∫ φ(t) Π_{b≠a} Φ((m_a − m_b + s_a t)/s_b) dt` (the shocks are independent, so the
//!   multivariate normal probability is a one-dimensional integral). When no other move's scale
//!   is smaller than `s_a` (always so under agent error, where the scales are equal) the factors
//!   are no steeper than the weight and Gauss–Hermite quadrature with [`QUADRATURE_NODES`] nodes
//!   is exact to rounding. When `r = max_b s_a/s_b > 1` (private information, moves leading to
//!   subtrees of different sizes) a factor rises over a width `1/r` of `t`, where Gauss–Hermite
//!   converges slowly (48 nodes: error 4·10⁻⁹ at `r = 2.2`, 3·10⁻⁴ at `r = 10`); those integrals
//!   use composite 8-point Gauss–Legendre on panels of width `1/r` over `|t| ≤ 8.7`, accurate
//!   to about 10⁻¹⁵.
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

/// Half-width of the `t` range integrated by the composite rule (`P(|t| > 8.7) < 4·10⁻¹⁸`).
const PANEL_RANGE: f64 = 8.7;

/// Largest number of panels of the composite rule (`r` is at most √(number of leaves) under
/// private information, so this binds only beyond 10⁵ leaves below one node).
const MAX_PANELS: f64 = 4096.0;

/// 8-point Gauss–Legendre nodes and weights on [−1, 1].
const LEGENDRE_8: [(f64, f64); 8] = [
    (-0.960_289_856_497_536_3, 0.101_228_536_290_376_3),
    (-0.796_666_477_413_626_7, 0.222_381_034_453_374_5),
    (-0.525_532_409_916_329, 0.313_706_645_877_887_3),
    (-0.183_434_642_495_649_8, 0.362_683_783_378_362),
    (0.183_434_642_495_649_8, 0.362_683_783_378_362),
    (0.525_532_409_916_329, 0.313_706_645_877_887_3),
    (0.796_666_477_413_626_7, 0.222_381_034_453_374_5),
    (0.960_289_856_497_536_3, 0.101_228_536_290_376_3),
];

/// Calls `f(t, w)` for each node of a rule for `∫ φ(t) g(t) dt` suited to move `a`'s integral:
/// Gauss–Hermite when no other scale is smaller than `s[a]`, else composite Gauss–Legendre on
/// panels as narrow as the steepest factor (see the module documentation).
#[inline]
fn for_each_node(a: usize, s: &[f64], mut f: impl FnMut(f64, f64)) {
    let r = s
        .iter()
        .enumerate()
        .filter(|&(b, _)| b != a)
        .fold(0.0f64, |r, (_, &sb)| r.max(s[a] / sb));
    if r.is_nan() || r <= 1.0 {
        let (t, w) = hermite();
        for (&tq, &wq) in t.iter().zip(w) {
            f(tq, wq);
        }
        return;
    }
    let panels = (2.0 * PANEL_RANGE * r).ceil().min(MAX_PANELS);
    let h = 2.0 * PANEL_RANGE / panels;
    for j in 0..panels as usize {
        let lo = -PANEL_RANGE + h * j as f64;
        for &(x, w) in &LEGENDRE_8 {
            let t = lo + 0.5 * h * (x + 1.0);
            f(t, 0.5 * h * w * phi(t));
        }
    }
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
    if m.len() == 2 {
        // One exponential: p_1 = 1 / (1 + e^{(m_2 - m_1)/σ}), computed on the side where the
        // exponent is negative so neither probability loses precision.
        let d = (m[0] - m[1]) / sigma;
        let e = (-d.abs()).exp();
        let big = 1.0 / (1.0 + e);
        let small = e * big;
        if d >= 0.0 {
            p[0] = big;
            p[1] = small;
        } else {
            p[0] = small;
            p[1] = big;
        }
        return;
    }
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
    if m.len() == 2 {
        // z̄_1 = p_1 p_2 (p̄_1 − p̄_2) = −z̄_2.
        let z = p[0] * p[1] * (pbar[0] - pbar[1]);
        mbar[0] += z / sigma;
        mbar[1] -= z / sigma;
        return -z * (m[0] - m[1]) / (sigma * sigma);
    }
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
    for a in 0..k {
        let mut acc = 0.0;
        for_each_node(a, s, |tq, wq| {
            let mut prod = 1.0;
            for b in 0..k {
                if b != a {
                    prod *= big_phi((m[a] - m[b] + s[a] * tq) / s[b]);
                }
            }
            acc += wq * prod;
        });
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
        for_each_node(a, s, |tq, wq| {
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
        });
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

    /// `p_a` by the trapezoid rule on a very fine grid (an independent computation).
    fn probit_by_trapezoid(m: &[f64], s: &[f64], a: usize) -> f64 {
        let (lo, hi, n) = (-12.0, 12.0, 48_000);
        let h = (hi - lo) / n as f64;
        (0..=n)
            .map(|i| {
                let t = lo + h * i as f64;
                let g: f64 = (0..m.len())
                    .filter(|&b| b != a)
                    .map(|b| big_phi((m[a] - m[b] + s[a] * t) / s[b]))
                    .product();
                let end = if i == 0 || i == n { 0.5 } else { 1.0 };
                end * h * phi(t) * g
            })
            .sum()
    }

    #[test]
    fn probit_with_unequal_scales_is_accurate() {
        // Scale ratios up to 10, where Gauss–Hermite alone is off by 3·10⁻⁴.
        for s in [
            [1.0, 0.6, 1.3],
            [1.0, 0.3, 1.5],
            [1.0, 0.2, 2.0],
            [1.0, 1.0, 1.0],
        ] {
            for m in [[0.3, -1.2, 0.8], [5.0, -3.0, 0.2], [0.0, 0.0, 0.0]] {
                let mut p = [0.0; 3];
                probit(&m, &s, &mut p);
                assert!(
                    (p.iter().sum::<f64>() - 1.0).abs() < 1e-13,
                    "{s:?} {m:?}: {p:?}"
                );
                for (a, &pa) in p.iter().enumerate() {
                    let q = probit_by_trapezoid(&m, &s, a);
                    assert!((pa - q).abs() < 1e-12, "{s:?} {m:?} p[{a}]: {pa} vs {q}");
                }
            }
        }
        check_vjp(Link::Probit, &[0.3, -1.2, 0.8], &[1.0, 0.2, 2.0]);
    }

    #[test]
    fn two_move_logit_agrees_with_the_general_softmax() {
        // The general formula, written out (as a third move worth −∞ leaves it unchanged).
        let softmax = |m: [f64; 2], sigma: f64| {
            let mut p = [0.0; 3];
            logit(&[m[0], m[1], f64::NEG_INFINITY], sigma, &mut p);
            assert_eq!(p[2], 0.0);
            [p[0], p[1]]
        };
        for &(m, sigma) in &[
            ([0.3, -1.2], 1.0),
            ([-1.2, 0.3], 1.0),
            ([2.0, 2.0], 0.5),
            ([0.0, 35.0], 1.0),
            ([700.0, -700.0], 1.0),
            ([-4.0, 3.0], 0.01),
        ] {
            let mut p = [0.0; 2];
            logit(&m, sigma, &mut p);
            let q = softmax(m, sigma);
            for a in 0..2 {
                // Relative agreement, also for probabilities far in the tail.
                assert!(
                    (p[a] - q[a]).abs() <= 1e-15 * q[a].max(1e-300) + 1e-300,
                    "{m:?}/{sigma}: {p:?} vs {q:?}"
                );
            }
            assert!((p[0] + p[1] - 1.0).abs() <= f64::EPSILON);
        }
        // The smaller probability keeps full precision where 1 − p would round to 0.
        let mut p = [0.0; 2];
        logit(&[0.0, 50.0], 1.0, &mut p);
        assert!((p[0] / (-50.0f64).exp() - 1.0).abs() < 1e-14, "{p:?}");
        // A move worth infinitely more is chosen for sure.
        logit(&[f64::INFINITY, 0.0], 1.0, &mut p);
        assert_eq!(p, [1.0, 0.0]);
    }

    #[test]
    fn normal_tails_are_accurate() {
        assert!((big_phi(0.0) - 0.5).abs() < 1e-16);
        assert!((big_phi(1.959963984540054) - 0.975).abs() < 1e-15);
        // Φ(-10) = 7.619853024160527e-24
        assert!((big_phi(-10.0) / 7.619853024160527e-24 - 1.0).abs() < 1e-12);
    }
}
