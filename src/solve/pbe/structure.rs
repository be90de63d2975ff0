//! What the players know: types, public histories, and the class of the game.
//!
//! The solver sees only the numeric tree, so the private information is read off its shape.
//! Nature's moves before anyone acts (the *initial chance phase*) end in *states*; a player's
//! *types* are the classes of states it cannot tell apart at some information set (states whose
//! nodes share one of its information sets are one type, closed transitively). A *public
//! history* is the sequence of move labels after the initial phase.
//!
//! The game is a *multi-stage game with observed actions and independent types* (Fudenberg and
//! Tirole 1991) when every information set is exactly "one public history, one type of its
//! mover", the states are the product of the players' types, and the prior is the product of
//! its marginals. In that class beliefs about each player's type can be kept per public
//! history and updated only by that player's own moves, which is what makes the perfect
//! Bayesian equilibria found sequential; outside it the solver falls back to weak perfect
//! Bayesian equilibrium and says so.
//!
//! ## Reference
//! D. Fudenberg and J. Tirole, "Perfect Bayesian equilibrium and sequential equilibrium",
//! Journal of Economic Theory 53 (1991) 236–260.

use super::poly::Q;
use crate::game::{Game, InfosetId, NodeId, NodeKind, Tree};
use num_traits::{One, Zero};
use std::collections::HashMap;

/// Marks a node inside the initial chance phase (it has no state yet).
pub const NO_STATE: u32 = u32::MAX;

/// The class of a game, which decides what the equilibria found are.
#[derive(Clone, Debug, PartialEq)]
pub enum Class {
    /// Every information set is a singleton: perfect Bayesian = subgame perfect.
    PerfectInformation,
    /// Observed actions and independent types: the equilibria are sequential.
    ObservedActions,
    /// Anything else: weak perfect Bayesian equilibrium, with the reason.
    General(String),
}

/// A public history: a class of nodes that followed the same public moves.
#[derive(Clone, Debug, PartialEq)]
pub struct History {
    /// The nodes (one per state that reaches it).
    pub nodes: Vec<NodeId>,
    /// The parent history and the action index leading here (`None` at the start).
    pub parent: Option<(usize, usize)>,
    /// Who moves here.
    pub mover: Mover,
    /// The child history of each action (empty at terminal histories).
    pub children: Vec<usize>,
}

/// Who moves at a public history.
#[derive(Clone, Debug, PartialEq)]
pub enum Mover {
    /// A player; `agent[t]` is the information set of its type `t` here, if that type can
    /// be here.
    Player {
        /// The player.
        player: usize,
        /// Information set per type of the player.
        agent: Vec<Option<InfosetId>>,
    },
    /// Nature, publicly, with these probabilities.
    Chance(Vec<Q>),
    /// The game ends.
    End,
}

/// What the players know, read off the tree.
#[derive(Clone, Debug)]
pub struct Structure {
    /// States: the first nodes after the initial chance phase.
    pub states: Vec<NodeId>,
    /// Prior probability of each state.
    pub prior: Vec<Q>,
    /// State of each node ([`NO_STATE`] inside the initial phase).
    pub state_of: Vec<u32>,
    /// `type_of[player][state]`: the player's type in each state.
    pub type_of: Vec<Vec<usize>>,
    /// `type_names[player][type]`.
    pub type_names: Vec<Vec<String>>,
    /// The class of the game.
    pub class: Class,
    /// Public histories (observed-action games only; empty otherwise), parents first.
    pub histories: Vec<History>,
    /// History of each node (observed-action games; `u32::MAX` elsewhere).
    pub history_of: Vec<u32>,
    /// `marginal[player][type]`: prior probability of each type.
    pub marginal: Vec<Vec<Q>>,
    /// Observed-action games: `movers_below[h]` is the set of players (bit set) who move at
    /// `h` or after it.
    pub movers_below: Vec<u64>,
}

impl Structure {
    /// Number of types of a player.
    pub fn n_types(&self, player: usize) -> usize {
        self.type_names[player].len()
    }

    /// Players with at least two types.
    pub fn typed_players(&self) -> Vec<usize> {
        (0..self.type_names.len())
            .filter(|&p| self.n_types(p) > 1)
            .collect()
    }

    /// Reads the structure of `game` with exact chance probabilities `chance` (by node).
    pub fn of(game: &Game, chance: &[Q]) -> Structure {
        let tree = &*game.tree;
        let n = tree.nodes.len();
        let np = tree.n_players();
        // Initial chance phase and states.
        let mut in_phase = vec![false; n];
        let mut state_of = vec![NO_STATE; n];
        let mut states = Vec::new();
        let mut prior = Vec::new();
        let mut reach = vec![Q::zero(); n];
        if n > 0 {
            reach[0] = Q::one();
        }
        for i in 0..n {
            let node = tree.nodes[i];
            let parent_in_phase = node.parent().is_none_or(|p| in_phase[p.ix()]);
            if parent_in_phase {
                if i > 0 {
                    let p = node.parent().map_or(0, |p| p.ix());
                    reach[i] = &reach[p] * &chance[i];
                }
                if node.kind == NodeKind::Chance {
                    in_phase[i] = true;
                } else {
                    state_of[i] = states.len() as u32;
                    states.push(NodeId::from(i));
                    prior.push(reach[i].clone());
                }
            } else if let Some(p) = node.parent() {
                state_of[i] = state_of[p.ix()];
            }
        }
        // Types: union states that share an information set of the player.
        let ns = states.len();
        let mut type_of = vec![vec![0usize; ns]; np];
        for (p, tp) in type_of.iter_mut().enumerate() {
            let mut uf: Vec<usize> = (0..ns).collect();
            fn find(uf: &mut [usize], x: usize) -> usize {
                let mut r = x;
                while uf[r] != r {
                    r = uf[r];
                }
                let mut y = x;
                while uf[y] != r {
                    let nxt = uf[y];
                    uf[y] = r;
                    y = nxt;
                }
                r
            }
            for (s, set) in tree.infosets.iter().enumerate() {
                if set.player.ix() != p {
                    continue;
                }
                let members = tree.members(InfosetId::from(s));
                let first = state_of[members[0].ix()];
                for m in &members[1..] {
                    let a = find(&mut uf, first as usize);
                    let b = find(&mut uf, state_of[m.ix()] as usize);
                    if a != b {
                        uf[a.max(b)] = a.min(b);
                    }
                }
            }
            // Number the classes in order of their first state.
            let mut class_of_root: HashMap<usize, usize> = HashMap::new();
            for (s, t) in tp.iter_mut().enumerate() {
                let r = find(&mut uf, s);
                let k = class_of_root.len();
                *t = *class_of_root.entry(r).or_insert(k);
            }
        }
        let type_names = (0..np)
            .map(|p| name_types(tree, &states, &type_of[p]))
            .collect();
        let mut marginal = vec![Vec::new(); np];
        for p in 0..np {
            let k = type_of[p].iter().max().map_or(1, |m| m + 1);
            let mut m = vec![Q::zero(); k];
            for s in 0..ns {
                m[type_of[p][s]] += &prior[s];
            }
            marginal[p] = m;
        }
        let mut st = Structure {
            states,
            prior,
            state_of,
            type_of,
            type_names,
            class: Class::PerfectInformation,
            histories: Vec::new(),
            history_of: vec![u32::MAX; n],
            marginal,
            movers_below: Vec::new(),
        };
        st.class = if tree.is_perfect_information() {
            Class::PerfectInformation
        } else {
            match st.observed_actions(tree, chance) {
                Ok(()) => Class::ObservedActions,
                Err(why) => {
                    st.histories.clear();
                    st.history_of = vec![u32::MAX; n];
                    Class::General(why)
                }
            }
        };
        st
    }

    /// Builds the public histories and checks the observed-actions class.
    fn observed_actions(&mut self, tree: &Tree, chance: &[Q]) -> Result<(), String> {
        let typed = self.typed_players();
        // Independence: states ↔ product of types, prior = product of marginals. The prior
        // may fall short of summing to one exactly (float probabilities such as 0.3 and
        // 1 − 0.3), so the test is prior · total^(k−1) = Π marginals, which holds exactly for
        // a product of independent draws whatever their sums.
        let total: Q = self.prior.iter().fold(Q::zero(), |a, x| a + x);
        let mut scale = Q::one();
        for _ in 1..typed.len() {
            scale *= &total;
        }
        let mut seen: HashMap<Vec<usize>, usize> = HashMap::new();
        for s in 0..self.states.len() {
            let key: Vec<usize> = typed.iter().map(|&p| self.type_of[p][s]).collect();
            if seen.insert(key, s).is_some() {
                return Err(
                    "nature moves at the start in a way no player observes apart from the types"
                        .into(),
                );
            }
            let mut prod = Q::one();
            for &p in &typed {
                prod *= &self.marginal[p][self.type_of[p][s]];
            }
            if prod != &self.prior[s] * &scale {
                return Err("the players' types are correlated".into());
            }
        }
        let product: usize = typed.iter().map(|&p| self.n_types(p)).product();
        if seen.len() != product {
            return Err("not every combination of types is possible".into());
        }
        // Public histories, parents first (breadth-first node order).
        let mut index: HashMap<(u32, String), usize> = HashMap::new();
        for i in 0..tree.nodes.len() {
            if self.state_of[i] == NO_STATE {
                continue;
            }
            let node = tree.nodes[i];
            let h = match node.parent() {
                Some(p) if self.state_of[p.ix()] != NO_STATE => {
                    let ph = self.history_of[p.ix()];
                    let label = tree.move_labels[i].to_string();
                    let a = tree.action_index(NodeId::from(i)).unwrap_or(0);
                    let len = self.histories.len();
                    let h = *index.entry((ph, label)).or_insert(len);
                    if h == len {
                        self.histories.push(History {
                            nodes: Vec::new(),
                            parent: Some((ph as usize, a)),
                            mover: Mover::End,
                            children: Vec::new(),
                        });
                    } else if self.histories[h].parent != Some((ph as usize, a)) {
                        return Err(format!(
                            "move `{}` is listed in different places at one history",
                            &tree.move_labels[i]
                        ));
                    }
                    h
                }
                _ => {
                    if self.histories.is_empty() {
                        self.histories.push(History {
                            nodes: Vec::new(),
                            parent: None,
                            mover: Mover::End,
                            children: Vec::new(),
                        });
                    }
                    0
                }
            };
            self.history_of[i] = h as u32;
            self.histories[h].nodes.push(NodeId::from(i));
        }
        // Every history: one kind of node, same moves; information sets = (history, type).
        for h in 0..self.histories.len() {
            let nodes = self.histories[h].nodes.clone();
            let first = tree.nodes[nodes[0].ix()];
            let labels = |x: NodeId| -> Vec<&str> {
                tree.nodes[x.ix()]
                    .children()
                    .map(|c| &tree.move_labels[c])
                    .collect()
            };
            let labels0 = labels(nodes[0]);
            for &x in &nodes[1..] {
                if labels(x) != labels0 {
                    return Err(format!(
                        "nodes `{}` and `{}` follow the same moves but offer different moves",
                        tree.node_label(nodes[0]),
                        tree.node_label(x)
                    ));
                }
            }
            let mover = match first.kind {
                NodeKind::Terminal { .. } => {
                    if nodes
                        .iter()
                        .any(|x| !matches!(tree.nodes[x.ix()].kind, NodeKind::Terminal { .. }))
                    {
                        return Err("play ends after some moves only for some types".into());
                    }
                    Mover::End
                }
                NodeKind::Chance => {
                    let probs: Vec<Q> = first.children().map(|c| chance[c].clone()).collect();
                    for &x in &nodes {
                        let n = tree.nodes[x.ix()];
                        if n.kind != NodeKind::Chance
                            || n.children().map(|c| &chance[c]).ne(probs.iter())
                        {
                            return Err(format!(
                                "nature's move at `{}` is not the same for every type",
                                tree.node_label(x)
                            ));
                        }
                    }
                    Mover::Chance(probs)
                }
                NodeKind::Decision { player, .. } => {
                    let p = player.ix();
                    let mut agent: Vec<Option<InfosetId>> = vec![None; self.n_types(p)];
                    for &x in &nodes {
                        let NodeKind::Decision { player: q, infoset } = tree.nodes[x.ix()].kind
                        else {
                            return Err("players and nature move at one history".into());
                        };
                        if q != player {
                            return Err(format!(
                                "{} and {} move at one history",
                                tree.players[p],
                                tree.players[q.ix()]
                            ));
                        }
                        let t = self.type_of[p][self.state_of[x.ix()] as usize];
                        match agent[t] {
                            None => agent[t] = Some(infoset),
                            Some(s) if s == infoset => {}
                            Some(_) => {
                                return Err(format!(
                                    "{} learns more than its type and the moves at `{}`",
                                    tree.players[p],
                                    tree.node_label(x)
                                ))
                            }
                        }
                    }
                    // An information set may not span histories.
                    for s in agent.iter().flatten() {
                        if tree
                            .members(*s)
                            .iter()
                            .any(|m| self.history_of[m.ix()] != h as u32)
                        {
                            return Err(format!(
                                "{} does not observe every move before `{}`",
                                tree.players[p],
                                tree.infoset_display(*s)
                            ));
                        }
                    }
                    Mover::Player { player: p, agent }
                }
            };
            self.histories[h].mover = mover;
        }
        // Children of each history.
        for h in 1..self.histories.len() {
            let (p, a) = self.histories[h].parent.unwrap_or((0, 0));
            let kids = &mut self.histories[p].children;
            if kids.len() <= a {
                kids.resize(a + 1, usize::MAX);
            }
            kids[a] = h;
        }
        // Who moves at or after each history (children have larger ids).
        self.movers_below = vec![0; self.histories.len()];
        for h in (0..self.histories.len()).rev() {
            let mut m = match &self.histories[h].mover {
                Mover::Player { player, .. } => 1u64 << (*player).min(63),
                _ => 0,
            };
            for &c in &self.histories[h].children {
                if c != usize::MAX {
                    m |= self.movers_below[c];
                }
            }
            self.movers_below[h] = m;
        }
        Ok(())
    }
}

/// Names for a player's types from nature's move labels: the labels (or comma-separated parts
/// of labels) that all states of a type share and that tell types apart; `type 1`, … if none.
fn name_types(tree: &Tree, states: &[NodeId], type_of: &[usize]) -> Vec<String> {
    let k = type_of.iter().max().map_or(1, |m| m + 1);
    if k == 1 {
        return vec![String::new()];
    }
    // Label parts along each state's path from the root.
    let parts: Vec<Vec<String>> = states
        .iter()
        .map(|&s| {
            let mut out = Vec::new();
            let mut cur = s;
            let mut path = Vec::new();
            while let Some(p) = tree.node(cur).parent() {
                path.push(cur);
                cur = p;
            }
            for c in path.into_iter().rev() {
                out.extend(
                    tree.move_labels[c.ix()]
                        .split(',')
                        .map(|x| x.trim().to_string()),
                );
            }
            out
        })
        .collect();
    let width = parts.iter().map(Vec::len).min().unwrap_or(0);
    (0..k)
        .map(|t| {
            let mine: Vec<usize> = (0..states.len()).filter(|&s| type_of[s] == t).collect();
            let mut name = Vec::new();
            for (pos, l) in parts[mine[0]].iter().enumerate().take(width) {
                let shared = mine.iter().all(|&s| &parts[s][pos] == l);
                let tells = (0..states.len()).any(|s| type_of[s] != t && &parts[s][pos] != l);
                if shared && tells {
                    name.push(l.clone());
                }
            }
            if name.is_empty() {
                format!("type {}", t + 1)
            } else {
                name.join(",")
            }
        })
        .collect()
}
