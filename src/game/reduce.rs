//! The reduced strategic form of an extensive game, for any number of players.
//!
//! A reduced pure strategy (a "plan") chooses an action only at the information sets its own
//! earlier choices leave reachable; elsewhere it says nothing. Strategic-form solvers
//! (pure enumeration, vertex enumeration, Lemke–Howson, correlated equilibrium) reach trees
//! through this form, and [`ReducedForm::behavior_from_mixed`] maps their answers back to
//! behaviour strategies.
//!
//! Strategy names follow Gambit: one character per information set of the player, in prefix
//! (depth-first) order of the sets' first members — the 1-based action number, or `*` where the
//! plan makes the set unreachable (`"11"`, `"2*"`). Strategies are listed with the first
//! information set's choice changing slowest. [`ReducedForm::move_names`] gives the same plans
//! spelled with move labels (`hedge/realign/*`).
//!
//! When the tree's numbers are exact ([`Game::exact`]), the form's payoffs are computed in
//! exact rationals too (and the floats are their roundings), so degenerate games stay
//! degenerate: a float sum such as `2.4999999999999996` never stands in for `5/2`.
//!
//! Every traversal is a loop with an explicit stack; the form is refused beyond a budget of
//! payoff cells (profiles × players, [`MAX_CELLS`] by default) before anything is allocated,
//! instead of running out of memory or time.

use super::ids::{InfosetId, PlayerId};
use super::strategic::StrategicGame;
use super::tree::{NodeKind, Tree};
use super::Game;
use crate::exact::Scalar;
use std::ops::{AddAssign, ControlFlow, Mul};
use std::sync::Arc;

/// The default budget: at most this many payoff cells (profiles × players), about 80 MB of
/// floats. `--allow-large` lifts it.
pub const MAX_CELLS: usize = 10_000_000;

/// Why the reduced strategic form was not built.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReduceError {
    /// The form would be too large.
    #[error("the reduced strategic form has more than {cap} payoff cells ({what}); use a sequence-form solver, or `--allow-large` to lift the limit")]
    TooLarge {
        /// The limit.
        cap: usize,
        /// Which count went over.
        what: String,
    },
}

/// The reduced strategic form and the plans behind its strategies.
#[derive(Clone, Debug, PartialEq)]
pub struct ReducedForm {
    /// The strategic game (players and title as in the tree).
    pub game: StrategicGame,
    /// Each player's information sets, in prefix order of their first member.
    pub infosets: Vec<Vec<InfosetId>>,
    /// `plans[player][strategy][k]`: the action at `infosets[player][k]`, or `None` where the
    /// plan makes that set unreachable.
    pub plans: Vec<Vec<Vec<Option<usize>>>>,
}

/// Builds the reduced strategic form of `game` within the default budget ([`MAX_CELLS`]).
pub fn reduced_strategic_form(game: &Game) -> Result<ReducedForm, ReduceError> {
    reduced_strategic_form_within(game, MAX_CELLS)
}

/// Each player's information sets in prefix order, the position of every set in its
/// player's list, and each player's reduced plans — refused, before any plan is stored, when
/// the product of the plan counts times the number of players exceeds `max_cells`.
type PlanSets = (
    Vec<Vec<InfosetId>>,
    Vec<usize>,
    Vec<Vec<Vec<Option<usize>>>>,
);

fn plan_sets(tree: &Tree, max_cells: usize) -> Result<PlanSets, ReduceError> {
    let np = tree.n_players();
    let infosets = infosets_in_prefix_order(tree);
    let mut pos_of = vec![0usize; tree.infosets.len()];
    for sets in &infosets {
        for (k, s) in sets.iter().enumerate() {
            pos_of[s.ix()] = k;
        }
    }
    let anc = own_ancestors(tree);
    let cap = (max_cells / np.max(1)).max(1);
    let counts = plan_counts(tree, &infosets, &pos_of, &anc, cap);
    let perfect_recall = super::recall::check(tree).is_ok();
    let bound: f64 = counts.iter().product();
    if bound > cap as f64 {
        return Err(ReduceError::TooLarge {
            cap: max_cells,
            what: format!(
                "the players have {} reduced strategies",
                counts
                    .iter()
                    .map(|&n| if n > cap as f64 && !perfect_recall {
                        format!("over {cap}")
                    } else if n < 1e15 {
                        format!("{n}")
                    } else {
                        format!("{n:.3e}")
                    })
                    .collect::<Vec<_>>()
                    .join(" × ")
            ),
        });
    }
    let mut plans = Vec::with_capacity(np);
    for (p, sets) in infosets.iter().enumerate().take(np) {
        plans.push(enumerate_plans(tree, p, sets, &pos_of, &anc, cap)?);
    }
    Ok((infosets, pos_of, plans))
}

/// Each player's number of reduced plans: exactly by the sequence structure under perfect
/// recall, else by walking them (stopping past `cap`).
fn plan_counts(
    tree: &Tree,
    infosets: &[Vec<InfosetId>],
    pos_of: &[usize],
    anc: &[(u32, u32)],
    cap: usize,
) -> Vec<f64> {
    let perfect_recall = super::recall::check(tree).is_ok();
    infosets
        .iter()
        .enumerate()
        .take(tree.n_players())
        .map(|(p, sets)| {
            if perfect_recall {
                count_plans(tree, p, sets, pos_of, anc)
            } else {
                count_by_enumeration(tree, p, sets, pos_of, anc, cap)
            }
        })
        .collect()
}

/// The number of payoff cells (profiles × players) of the reduced strategic form of `tree`,
/// without building it (a float; beyond [`MAX_CELLS`] it may be a lower bound). Cheap: solvers
/// are picked by it.
pub fn reduced_cells(tree: &Tree) -> f64 {
    let np = tree.n_players();
    let infosets = infosets_in_prefix_order(tree);
    let mut pos_of = vec![0usize; tree.infosets.len()];
    for sets in &infosets {
        for (k, s) in sets.iter().enumerate() {
            pos_of[s.ix()] = k;
        }
    }
    let anc = own_ancestors(tree);
    let counts = plan_counts(tree, &infosets, &pos_of, &anc, MAX_CELLS);
    counts.iter().product::<f64>() * np as f64
}

/// Each player's reduced strategies spelled with move labels (as
/// [`ReducedForm::move_names`]), in the order of the reduced strategic form, within the
/// default budget.
pub fn strategy_labels(tree: &Tree) -> Result<Vec<Vec<String>>, ReduceError> {
    let (infosets, _, plans) = plan_sets(tree, MAX_CELLS)?;
    Ok(plans
        .iter()
        .enumerate()
        .map(|(p, pl)| {
            pl.iter()
                .map(|plan| spell(tree, plan, &infosets[p]))
                .collect()
        })
        .collect())
}

/// A plan with move labels joined by `/`, `*` at unreachable sets.
fn spell(tree: &Tree, plan: &[Option<usize>], sets: &[InfosetId]) -> String {
    plan.iter()
        .zip(sets)
        .map(|(a, &set)| a.map_or("*".to_string(), |a| tree.action_label(set, a).to_string()))
        .collect::<Vec<_>>()
        .join("/")
}

/// Builds the reduced strategic form of `game` if it has at most `max_cells` payoff cells
/// (profiles × players); checked before the payoff table is allocated.
pub fn reduced_strategic_form_within(
    game: &Game,
    max_cells: usize,
) -> Result<ReducedForm, ReduceError> {
    let tree = &game.tree;
    let (infosets, pos_of, plans) = plan_sets(tree, max_cells)?;
    let strategies: Vec<Vec<String>> = plans
        .iter()
        .map(|pl| pl.iter().map(|plan| gambit_name(plan)).collect())
        .collect();
    let mut sg = StrategicGame {
        title: tree.title.clone(),
        players: tree.players.clone(),
        strategies,
        payoffs: Vec::new(),
        exact: None,
    };
    let shape = sg.shape();
    if let Some(ex) = &game.exact {
        let exact = payoff_table(
            tree,
            &plans,
            &pos_of,
            &shape,
            &ex.chance().to_vec(),
            &ex.payoffs().to_vec(),
        );
        sg.payoffs = exact.iter().map(crate::exact::to_f64).collect();
        sg.exact = Some(Arc::new(exact));
    } else {
        sg.payoffs = payoff_table(tree, &plans, &pos_of, &shape, &game.chance, &game.payoffs);
    }
    Ok(ReducedForm {
        game: sg,
        infosets,
        plans,
    })
}

/// The payoff table of the reduced form (profile by profile, player fastest), in the number
/// type of the game's chance probabilities and leaf payoffs (`payoffs[leaf * players + p]`):
/// floating point, or exact for rationals.
fn payoff_table<T>(
    tree: &Tree,
    plans: &[Vec<Vec<Option<usize>>>],
    pos_of: &[usize],
    shape: &[usize],
    chance: &[T],
    payoffs: &[T],
) -> Vec<T>
where
    T: Scalar + AddAssign,
    for<'a> &'a T: Mul<&'a T, Output = T>,
{
    let np = tree.n_players();
    let total: usize = shape.iter().product();
    let mut out = vec![T::zero(); total * np];
    let mut pure = vec![0usize; np];
    let mut stack: Vec<(usize, T)> = Vec::new();
    for prof in 0..total {
        let cell = &mut out[prof * np..(prof + 1) * np];
        stack.push((0, T::one()));
        while let Some((i, pr)) = stack.pop() {
            let node = tree.nodes[i];
            match node.kind {
                NodeKind::Terminal { leaf } => {
                    for (p, o) in cell.iter_mut().enumerate() {
                        *o += &pr * &payoffs[leaf.ix() * np + p];
                    }
                }
                NodeKind::Chance => {
                    for c in node.children() {
                        if !chance[c].is_zero() {
                            stack.push((c, &pr * &chance[c]));
                        }
                    }
                }
                NodeKind::Decision { player, infoset } => {
                    let a = plans[player.ix()][pure[player.ix()]][pos_of[infoset.ix()]];
                    // A reached set always has an action in the plan (see `walk_plans`); the
                    // first action is a harmless fallback.
                    stack.push((node.first_child as usize + a.unwrap_or(0), pr));
                }
            }
        }
        super::strategic::advance(&mut pure, shape);
    }
    out
}

/// Gambit's name for a plan: action numbers from 1, `*` where unreachable.
fn gambit_name(plan: &[Option<usize>]) -> String {
    plan.iter()
        .map(|a| a.map_or("*".to_string(), |a| (a + 1).to_string()))
        .collect()
}

/// Each player's information sets ordered by the prefix (depth-first) rank of their first
/// member.
fn infosets_in_prefix_order(tree: &Tree) -> Vec<Vec<InfosetId>> {
    let mut rank = vec![usize::MAX; tree.infosets.len()];
    let mut stack = vec![0usize];
    let mut r = 0;
    while let Some(i) = stack.pop() {
        let n = tree.nodes[i];
        if let NodeKind::Decision { infoset, .. } = n.kind {
            if rank[infoset.ix()] == usize::MAX {
                rank[infoset.ix()] = r;
                r += 1;
            }
        }
        stack.extend(n.children().rev());
    }
    let mut out = vec![Vec::new(); tree.n_players()];
    let mut ids: Vec<usize> = (0..tree.infosets.len()).collect();
    ids.sort_by_key(|&s| rank[s]);
    for s in ids {
        out[tree.infosets[s].player.ix()].push(InfosetId::from(s));
    }
    out
}

/// `anc[node * np + p]`: the nearest proper ancestor of `node` where player `p` moves, with the
/// action taken towards `node` (node id + 1, action), or `(0, 0)` if there is none.
fn own_ancestors(tree: &Tree) -> Vec<(u32, u32)> {
    let np = tree.n_players();
    let mut anc = vec![(0u32, 0u32); tree.nodes.len() * np];
    for (i, n) in tree.nodes.iter().enumerate() {
        for (a, c) in n.children().enumerate() {
            for p in 0..np {
                anc[c * np + p] = anc[i * np + p];
            }
            if let NodeKind::Decision { player, .. } = n.kind {
                anc[c * np + player.ix()] = (i as u32 + 1, a as u32);
            }
        }
    }
    anc
}

/// True if some member of `set` is reachable given the player's choices in `plan` (choices not
/// yet made count as consistent, which only matters without perfect recall).
fn reachable(
    tree: &Tree,
    p: usize,
    set: InfosetId,
    plan: &[Option<usize>],
    decided: usize,
    pos_of: &[usize],
    anc: &[(u32, u32)],
) -> bool {
    let np = tree.n_players();
    tree.members(set).iter().any(|h| {
        let mut cur = anc[h.ix() * np + p];
        while cur.0 != 0 {
            let a = cur.0 as usize - 1;
            if let NodeKind::Decision { infoset, .. } = tree.nodes[a].kind {
                let k = pos_of[infoset.ix()];
                if k < decided && plan[k] != Some(cur.1 as usize) {
                    return false;
                }
            }
            cur = anc[a * np + p];
        }
        true
    })
}

/// The number of reduced plans of player `p` in a tree with perfect recall (as a float, which
/// is exact below 2^53 and saturates gracefully above): a plan chooses one action at each set
/// it reaches, so `N(I) = Σ_a Π_{J after (I, a)} N(J)` over the player's sets, and the total
/// is the product over the sets the player reaches first.
fn count_plans(
    tree: &Tree,
    p: usize,
    sets: &[InfosetId],
    pos_of: &[usize],
    anc: &[(u32, u32)],
) -> f64 {
    let np = tree.n_players();
    // Sets come in prefix order: a set's parent set comes before it.
    let mut count = vec![1.0f64; sets.len()];
    // prod[k][a]: product of the counts of the sets right after action a of set k.
    let mut prod: Vec<Vec<f64>> = sets
        .iter()
        .map(|s| vec![1.0; tree.infosets[s.ix()].n_actions as usize])
        .collect();
    let mut top = 1.0f64;
    for k in (0..sets.len()).rev() {
        count[k] = prod[k].iter().sum();
        let first = tree.members(sets[k])[0];
        let (a1, act) = anc[first.ix() * np + p];
        if a1 == 0 {
            top *= count[k];
        } else if let NodeKind::Decision { infoset, .. } = tree.nodes[a1 as usize - 1].kind {
            prod[pos_of[infoset.ix()]][act as usize] *= count[k];
        }
    }
    top
}

/// The number of reduced plans of player `p` by walking them without storing any, stopping
/// just past `cap` (for trees without perfect recall, where [`count_plans`] does not apply).
fn count_by_enumeration(
    tree: &Tree,
    p: usize,
    sets: &[InfosetId],
    pos_of: &[usize],
    anc: &[(u32, u32)],
    cap: usize,
) -> f64 {
    let mut n = 0usize;
    walk_plans(tree, p, sets, pos_of, anc, |_| {
        n += 1;
        past(n, cap)
    });
    n as f64
}

/// All reduced plans of player `p`, first set's choice slowest.
fn enumerate_plans(
    tree: &Tree,
    p: usize,
    sets: &[InfosetId],
    pos_of: &[usize],
    anc: &[(u32, u32)],
    cap: usize,
) -> Result<Vec<Vec<Option<usize>>>, ReduceError> {
    let mut out = Vec::new();
    walk_plans(tree, p, sets, pos_of, anc, |plan| {
        out.push(plan.to_vec());
        past(out.len(), cap)
    });
    if out.len() > cap {
        return Err(ReduceError::TooLarge {
            cap,
            what: format!("strategies of {}", tree.players[p]),
        });
    }
    Ok(out)
}

/// Stop once `n` has gone past `cap`.
fn past(n: usize, cap: usize) -> ControlFlow<()> {
    if n > cap {
        ControlFlow::Break(())
    } else {
        ControlFlow::Continue(())
    }
}

/// Hands each reduced plan of player `p` to `visit`, first set's choice slowest, until every
/// plan has been seen or `visit` breaks. A plan holds, for each of `sets`, the action taken,
/// or `None` where the player's own earlier choices never reach the set. The one walk behind
/// both counting and listing the plans.
fn walk_plans(
    tree: &Tree,
    p: usize,
    sets: &[InfosetId],
    pos_of: &[usize],
    anc: &[(u32, u32)],
    mut visit: impl FnMut(&[Option<usize>]) -> ControlFlow<()>,
) {
    let k_max = sets.len();
    let mut plan: Vec<Option<usize>> = vec![None; k_max];
    let mut n_opt = vec![1usize; k_max];
    let mut k = 0;
    loop {
        if k == k_max {
            if visit(&plan).is_break() {
                return;
            }
            // Backtrack to the last set with an untried action.
            loop {
                if k == 0 {
                    return;
                }
                k -= 1;
                if let Some(a) = plan[k] {
                    if a + 1 < n_opt[k] {
                        plan[k] = Some(a + 1);
                        k += 1;
                        break;
                    }
                }
            }
        } else {
            let set = sets[k];
            if reachable(tree, p, set, &plan, k, pos_of, anc) {
                plan[k] = Some(0);
                n_opt[k] = tree.infosets[set.ix()].n_actions as usize;
            } else {
                plan[k] = None;
                n_opt[k] = 1;
            }
            k += 1;
        }
    }
}

impl ReducedForm {
    /// A behaviour profile realization-equivalent to the mixed profile `mixed` (over this
    /// form's strategies): at each information set, the probability of an action is the mass
    /// of plans choosing it divided by the mass of plans reaching the set. Where the player's
    /// own mixture never reaches a set, the first action is played (this cannot change any
    /// payoff, and keeps pure strategies pure).
    pub fn behavior_from_mixed(&self, tree: &Tree, mixed: &[Vec<f64>]) -> Vec<f64> {
        self.behavior_from_mixed_in(tree, mixed)
    }

    /// [`ReducedForm::behavior_from_mixed`] over any scalar type (exact for rationals).
    pub fn behavior_from_mixed_in<T: Scalar>(&self, tree: &Tree, mixed: &[Vec<T>]) -> Vec<T> {
        let mut out = vec![T::zero(); tree.n_actions()];
        for (p, sets) in self.infosets.iter().enumerate() {
            for (k, set) in sets.iter().enumerate() {
                let info = &tree.infosets[set.ix()];
                let first = info.first_action as usize;
                let n = info.n_actions as usize;
                let mut den = T::zero();
                for (s, plan) in self.plans[p].iter().enumerate() {
                    if let Some(a) = plan[k] {
                        let w = mixed
                            .get(p)
                            .and_then(|m| m.get(s))
                            .cloned()
                            .unwrap_or_else(T::zero);
                        out[first + a] = out[first + a].clone() + w.clone();
                        den = den + w;
                    }
                }
                if den > T::zero() {
                    for x in &mut out[first..first + n] {
                        *x = x.clone() / den.clone();
                    }
                } else {
                    out[first..first + n]
                        .iter_mut()
                        .for_each(|x| *x = T::zero());
                    out[first] = T::one();
                }
            }
        }
        out
    }

    /// The pure behaviour profile of one pure profile of this form (`pure[player]` is a
    /// strategy index); unreachable sets play their first action.
    pub fn pure_behavior(&self, tree: &Tree, pure: &[usize]) -> Vec<f64> {
        let mut out = vec![0.0; tree.n_actions()];
        for (p, sets) in self.infosets.iter().enumerate() {
            let plan = &self.plans[p][pure[p]];
            for (k, set) in sets.iter().enumerate() {
                let first = tree.infosets[set.ix()].first_action as usize;
                out[first + plan[k].unwrap_or(0)] = 1.0;
            }
        }
        out
    }

    /// Probability of each event tag of `game` (this form's tree) when the players mix over
    /// this form's strategies independently as in `mixed`.
    pub fn event_probabilities(&self, game: &Game, mixed: &[Vec<f64>]) -> Vec<f64> {
        let tree = &game.tree;
        let mut ev = vec![0.0; tree.events.len()];
        if ev.is_empty() || mixed.len() != self.plans.len() {
            return ev;
        }
        let support: Vec<Vec<usize>> = mixed
            .iter()
            .map(|m| (0..m.len()).filter(|&s| m[s] > 0.0).collect())
            .collect();
        if support.iter().any(Vec::is_empty) {
            return ev;
        }
        let np = support.len();
        let mut k = vec![0usize; np];
        loop {
            let pure: Vec<usize> = (0..np).map(|p| support[p][k[p]]).collect();
            let w: f64 = (0..np).map(|p| mixed[p][pure[p]]).product();
            let b = self.pure_behavior(tree, &pure);
            for (e, x) in ev
                .iter_mut()
                .zip(super::profile::event_probabilities(game, &b))
            {
                *e += w * x;
            }
            let mut p = 0;
            loop {
                if p == np {
                    return ev;
                }
                k[p] += 1;
                if k[p] < support[p].len() {
                    break;
                }
                k[p] = 0;
                p += 1;
            }
        }
    }

    /// A plan spelled with move labels joined by `/`, `*` at unreachable sets.
    pub fn move_names(&self, tree: &Tree, player: PlayerId, strategy: usize) -> String {
        spell(
            tree,
            &self.plans[player.ix()][strategy],
            &self.infosets[player.ix()],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gambit_names_and_payoffs() {
        let g = crate::game::examples::myerson_fig4_2();
        let r = reduced_strategic_form(&g).unwrap();
        // Gambit's reduced form of this game has strategies 11, 12, 2* and 1, 2
        // (reference.json, catalog_books_myerson1991_fig4_2.efg).
        assert_eq!(r.game.strategies[0], vec!["11", "12", "2*"]);
        assert_eq!(r.game.strategies[1], vec!["1", "2"]);
        // (12, 2): A1, X2, Z1 -> leaf (4, 1), Gambit's pure equilibrium payoff.
        assert_eq!(r.game.payoff(&[1, 1], 0), 4.0);
        assert_eq!(r.game.payoff(&[1, 1], 1), 1.0);
        assert_eq!(r.move_names(&g.tree, PlayerId(0), 2), "B1/*");
        let b = r.behavior_from_mixed(&g.tree, &[vec![0.0, 0.0, 1.0], vec![0.5, 0.5]]);
        // Player 1 plays B1; its second set is unreached by its own play: first action.
        let i0 = &g.tree.infosets[r.infosets[0][0].ix()];
        let i1 = &g.tree.infosets[r.infosets[0][1].ix()];
        assert_eq!(b[i0.first_action as usize + 1], 1.0);
        assert_eq!(b[i1.first_action as usize], 1.0);
    }

    #[test]
    fn mixed_and_behaviour_payoffs_agree() {
        let g = crate::game::examples::myerson_fig4_2();
        let r = reduced_strategic_form(&g).unwrap();
        let mixed = vec![vec![0.2, 0.3, 0.5], vec![0.6, 0.4]];
        let b = r.behavior_from_mixed(&g.tree, &mixed);
        let u1 = r.game.expected_payoffs(&mixed);
        let u2 = crate::game::profile::expected_payoffs(&g, &b);
        for (x, y) in u1.iter().zip(&u2) {
            assert!((x - y).abs() < 1e-12, "{u1:?} {u2:?}");
        }
    }

    #[test]
    fn too_large_forms_are_refused() {
        // Chance picks one of 24 nodes, each a separate binary choice of one player:
        // 2^24 > 10^7 reduced strategies.
        use crate::game::{PlayerId, TreeBuilder};
        use std::sync::Arc;
        let mut b = TreeBuilder::new("wide", vec!["P".into()]);
        let root = b.chance("root");
        for k in 0..24 {
            let d = b.decision(format!("d{k}"), PlayerId(0), None);
            b.add_move(root, format!("c{k}"), None, d).unwrap();
            for a in ["l", "r"] {
                let t = b.terminal(format!("t{k}{a}"), vec![]);
                b.add_move(d, a, None, t).unwrap();
            }
        }
        let tree = b.finish(root).unwrap().tree;
        let mut g = Game::zeroed(Arc::new(tree));
        for c in g.tree.nodes[0].children() {
            g.chance[c] = 1.0 / 24.0;
        }
        let e = reduced_strategic_form(&g).unwrap_err();
        assert!(e.to_string().contains("16777216 reduced strategies"), "{e}");
        assert!(e.to_string().contains("more than 10000000"), "{e}");
        assert_eq!(reduced_cells(&g.tree), 16777216.0);
    }
}
