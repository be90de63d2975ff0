//! Outcomes drawn from a fitted (or hypothesised) model: for Monte Carlo studies, power
//! analysis and example data.

use super::likelihood::{Failure, Likelihood};
use super::rng::Rng;
use crate::game::Tree;

/// For each row of the design, the leaf (node id) reached in one draw from the model at
/// coefficients `beta`. The same seed gives the same draws.
pub fn outcomes(
    tree: &Tree,
    lik: &Likelihood<'_>,
    beta: &[f64],
    seed: u64,
) -> Result<Vec<u32>, Failure> {
    let d = lik.design;
    let mut w = lik.work();
    let leaves: Vec<usize> = tree.leaves.iter().map(|l| l.node.ix()).collect();
    let mut probs = vec![0.0; d.n_patterns() * leaves.len()];
    for i in 0..d.n_patterns() {
        let r = lik.reach(i, beta, &mut w)?;
        for (j, &l) in leaves.iter().enumerate() {
            probs[i * leaves.len() + j] = r[l];
        }
    }
    let mut rng = Rng::new(seed);
    Ok(d.row_cell
        .iter()
        .map(|&c| {
            let i = d.cells[c as usize].pattern as usize;
            let p = &probs[i * leaves.len()..(i + 1) * leaves.len()];
            let u = rng.uniform();
            let mut acc = 0.0;
            let mut pick = leaves.len() - 1;
            for (j, &pj) in p.iter().enumerate() {
                acc += pj;
                if u < acc {
                    pick = j;
                    break;
                }
            }
            leaves[pick] as u32
        })
        .collect())
}
