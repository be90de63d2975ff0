//! Property tests: random perfect-information trees with chance nodes and random payoffs.
//!
//! Backward induction must return a profile with zero regret, and on small trees it must be
//! exactly the set of subgame-perfect pure profiles found by brute force: every pure profile is
//! enumerated, and a profile is subgame perfect when, in every subgame, no player gains by
//! switching to any other pure strategy of its own inside that subgame.

use deter::game::profile::{max_regret, pure_profile};
use deter::game::tree::{NodeKind, TreeBuilder};
use deter::game::{Game, PlayerId};
use deter::solve::backward::{profile_of, solve_into, Workspace};
use proptest::prelude::*;
use std::sync::Arc;

/// xorshift64* — a tiny deterministic generator driven by proptest's seed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A random tree: at most `max_decisions` internal nodes, branching 2–3, some chance nodes.
fn random_game(seed: u64, n_players: usize, max_decisions: usize) -> Game {
    let mut rng = Rng(seed | 1);
    let players = (0..n_players).map(|p| format!("P{p}")).collect();
    let mut b = TreeBuilder::new("random", players);
    let mut decisions = 0;
    let root = b.decision("root", PlayerId(0), None);
    decisions += 1;
    let mut open = vec![(root, true)];
    let mut chance_nodes = Vec::new();
    while let Some((node, is_decision)) = open.pop() {
        let k = 2 + rng.below(2) as usize;
        for a in 0..k {
            let r = rng.below(10);
            let child = if r < 4 && decisions < max_decisions {
                decisions += 1;
                let p = PlayerId(rng.below(n_players as u64) as u32);
                let c = b.decision(format!("d{}", b.len()), p, None);
                open.push((c, true));
                c
            } else if r < 5 && decisions < max_decisions {
                decisions += 1; // counts every internal node, so the tree stays small
                let c = b.chance(format!("c{}", b.len()));
                chance_nodes.push(c);
                open.push((c, false));
                c
            } else {
                b.terminal(format!("t{}", b.len()), vec![])
            };
            b.add_move(node, format!("m{a}"), None, child).unwrap();
        }
        let _ = is_decision;
    }
    let built = b.finish(root).unwrap();
    let mut g = Game::zeroed(Arc::new(built.tree));
    for x in g.payoffs.iter_mut() {
        *x = (rng.unit() * 20.0 - 10.0).round() / 4.0 + rng.unit() * 1e-3;
    }
    for (i, n) in g.tree.clone().nodes.iter().enumerate() {
        if n.kind == NodeKind::Chance {
            let w: Vec<f64> = n.children().map(|_| 0.1 + rng.unit()).collect();
            let s: f64 = w.iter().sum();
            for (c, wi) in n.children().zip(w) {
                g.chance[c] = wi / s;
            }
        }
        let _ = i;
    }
    g
}

/// Values of every node to every player under a pure profile (choice per information set).
fn values(g: &Game, choice: &[usize]) -> Vec<f64> {
    let np = g.n_players();
    let mut v = vec![0.0; g.tree.nodes.len() * np];
    for i in (0..g.tree.nodes.len()).rev() {
        let n = g.tree.nodes[i];
        for p in 0..np {
            v[i * np + p] = match n.kind {
                NodeKind::Terminal { leaf } => g.payoff(leaf, PlayerId(p as u32)),
                NodeKind::Chance => n.children().map(|c| g.chance[c] * v[c * np + p]).sum(),
                NodeKind::Decision { infoset, .. } => {
                    v[(n.first_child as usize + choice[infoset.ix()]) * np + p]
                }
            };
        }
    }
    v
}

/// All pure profiles (choice per information set).
fn all_profiles(g: &Game) -> Vec<Vec<usize>> {
    let sizes: Vec<usize> = g
        .tree
        .infosets
        .iter()
        .map(|s| s.n_actions as usize)
        .collect();
    let mut out = vec![vec![0; sizes.len()]];
    for (k, &s) in sizes.iter().enumerate() {
        out = out
            .into_iter()
            .flat_map(|p| {
                (0..s).map(move |a| {
                    let mut q = p.clone();
                    q[k] = a;
                    q
                })
            })
            .collect();
    }
    out
}

/// Is `x` subgame perfect? In every subgame (every decision node h), no player i gains by any
/// change of its own choices inside the subtree of h.
fn is_spe(g: &Game, x: &[usize], all: &[Vec<usize>], eps: f64) -> bool {
    let np = g.n_players();
    let tree = &g.tree;
    let vx = values(g, x);
    // Subtree membership: descendants have larger ids; mark by walking parents.
    let n = tree.nodes.len();
    let in_subtree = |h: usize, m: usize| {
        let mut cur = m;
        loop {
            if cur == h {
                return true;
            }
            match tree.nodes[cur].parent() {
                Some(p) if p.ix() >= h => cur = p.ix(),
                _ => return false,
            }
        }
    };
    for y in all {
        let vy = values(g, y);
        for h in 0..n {
            if !matches!(tree.nodes[h].kind, NodeKind::Decision { .. }) {
                continue;
            }
            for i in 0..np {
                // y must differ from x only at i's nodes inside the subtree of h.
                let ok = (0..n).all(|m| match tree.nodes[m].kind {
                    NodeKind::Decision { player, infoset } => {
                        x[infoset.ix()] == y[infoset.ix()] || (player.ix() == i && in_subtree(h, m))
                    }
                    _ => true,
                });
                if ok && vy[h * np + i] > vx[h * np + i] + eps {
                    return false;
                }
            }
        }
    }
    true
}

fn choices_of(g: &Game, ws: &Workspace) -> Vec<usize> {
    let mut c = vec![0; g.tree.infosets.len()];
    for (i, n) in g.tree.nodes.iter().enumerate() {
        if let NodeKind::Decision { infoset, .. } = n.kind {
            c[infoset.ix()] = ws.choice[i] as usize;
        }
    }
    c
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn backward_induction_has_zero_regret(seed in any::<u64>(), np in 1usize..4) {
        let g = random_game(seed, np, 60);
        let mut ws = Workspace::default();
        solve_into(&g, 1e-9, &mut ws);
        let p = profile_of(&g.tree, &ws);
        prop_assert!(max_regret(&g, &p).unwrap() <= 1e-9);
    }

    #[test]
    fn backward_induction_is_the_brute_force_spe(seed in any::<u64>(), np in 1usize..4) {
        let g = random_game(seed, np, 5);
        let mut ws = Workspace::default();
        solve_into(&g, 1e-9, &mut ws);
        prop_assume!(ws.ties.is_empty()); // generic payoffs: a unique SPE
        let x = choices_of(&g, &ws);
        let all = all_profiles(&g);
        prop_assert!(is_spe(&g, &x, &all, 1e-9));
        let spe: Vec<&Vec<usize>> = all.iter().filter(|y| is_spe(&g, y, &all, 1e-9)).collect();
        // Unique up to choices at nodes no subgame can reach differently: there are none in a
        // tree (every decision node is a subgame root), so the SPE is unique.
        prop_assert_eq!(spe.len(), 1);
        prop_assert_eq!(spe[0], &x);
        let _ = pure_profile(&g.tree, &x);
    }
}
