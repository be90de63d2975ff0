//! The name index and move lists of a model being built, kept small for models of millions of
//! nodes.
//!
//! [`build`](super::build) resolves every move's target by name and walks each node's moves
//! several times. A hash map from `&str` keeps two words per name and a vector per node keeps
//! a heap block each; here the index holds one `u32` per name (the names stay in the
//! [`ModelAst`]) and the moves of all nodes are one vector of references with an end per node.

use super::ast::{ModelAst, MoveDef};
use super::targets::Target;
use hashbrown::HashTable;
use std::hash::BuildHasher;

/// Node and outcome names (one namespace) → the node or outcome, by index into the model.
pub(crate) struct Names<'a> {
    ast: &'a ModelAst,
    /// Node `i` is `i`; outcome `i` is `nodes.len() + i`.
    table: HashTable<u32>,
}

fn hash(s: &str) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(s)
}

impl<'a> Names<'a> {
    /// An empty index for `ast`'s names.
    pub(crate) fn new(ast: &'a ModelAst) -> Self {
        Names {
            ast,
            table: HashTable::with_capacity(ast.nodes.len() + ast.outcomes.len()),
        }
    }

    fn decode(&self, k: u32) -> Target {
        let n = self.ast.nodes.len();
        match k as usize {
            i if i < n => Target::Node(i),
            i => Target::Outcome(i - n),
        }
    }

    fn encode(&self, t: Target) -> u32 {
        match t {
            Target::Node(i) => i as u32,
            Target::Outcome(i) => (self.ast.nodes.len() + i) as u32,
        }
    }

    /// The name of a node or outcome.
    fn name(&self, t: Target) -> &'a str {
        match t {
            Target::Node(i) => &self.ast.nodes[i].name.v,
            Target::Outcome(i) => &self.ast.outcomes[i].name.v,
        }
    }

    /// Whether a name is in the index.
    pub(crate) fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// The node or outcome of this name.
    pub(crate) fn get(&self, name: &str) -> Option<Target> {
        self.table
            .find(hash(name), |&k| self.name(self.decode(k)) == name)
            .map(|&k| self.decode(k))
    }

    /// Names `t` by its own name; a name already there now stands for `t`.
    pub(crate) fn insert(&mut self, t: Target) {
        let name = self.name(t);
        let k = self.encode(t);
        let (ast, n) = (self.ast, self.ast.nodes.len());
        let name_of = |k: u32| match k as usize {
            i if i < n => ast.nodes[i].name.v.as_str(),
            i => ast.outcomes[i - n].name.v.as_str(),
        };
        match self
            .table
            .entry(hash(name), |&j| name_of(j) == name, |&j| hash(name_of(j)))
        {
            hashbrown::hash_table::Entry::Occupied(mut e) => *e.get_mut() = k,
            hashbrown::hash_table::Entry::Vacant(e) => {
                e.insert(k);
            }
        }
    }

    /// Every name in the index (in no particular order).
    pub(crate) fn keys(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.table.iter().map(|&k| self.name(self.decode(k)))
    }
}

/// Each node's moves (all of them, or those a counterfactual leaves), in file order.
pub(crate) struct Moves<'a> {
    all: Vec<&'a MoveDef>,
    /// Node `i`'s moves are `all[end[i - 1]..end[i]]`.
    end: Vec<usize>,
}

impl<'a> Moves<'a> {
    /// The moves of every node of `ast` that `keep(node, move)` keeps.
    pub(crate) fn new(ast: &'a ModelAst, keep: impl Fn(usize, &MoveDef) -> bool) -> Self {
        let mut all = Vec::with_capacity(ast.nodes.iter().map(|n| n.moves.len()).sum());
        let mut end = Vec::with_capacity(ast.nodes.len());
        for (i, n) in ast.nodes.iter().enumerate() {
            all.extend(n.moves.iter().filter(|m| keep(i, m)));
            end.push(all.len());
        }
        Moves { all, end }
    }

    /// Number of nodes.
    pub(crate) fn len(&self) -> usize {
        self.end.len()
    }

    /// The moves of each node in turn.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &[&'a MoveDef]> + '_ {
        (0..self.len()).map(|i| &self[i])
    }
}

impl<'a> std::ops::Index<usize> for Moves<'a> {
    type Output = [&'a MoveDef];

    fn index(&self, i: usize) -> &[&'a MoveDef] {
        let start = if i == 0 { 0 } else { self.end[i - 1] };
        &self.all[start..self.end[i]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::read::read;

    const MODEL: &str = r#"
players = ["A"]
root = "r"
[nodes]
r = { player = "A", moves = { x = "both", y = "leaf", z = "n" } }
n = { player = "A", moves = { u = "leaf2", v = "leaf3" } }
both = { player = "A", moves = { w = "leaf4" } }
[outcomes]
both = { payoffs = { A = 0 } }
leaf = { payoffs = { A = 1 } }
leaf2 = { payoffs = { A = 2 } }
leaf3 = { payoffs = { A = 3 } }
leaf4 = { payoffs = { A = 4 } }
"#;

    #[test]
    fn names_resolve_to_nodes_and_outcomes_and_a_later_name_wins() {
        let (ast, _) = read(MODEL);
        let mut names = Names::new(&ast);
        for i in 0..ast.nodes.len() {
            names.insert(Target::Node(i));
        }
        for i in 0..ast.outcomes.len() {
            names.insert(Target::Outcome(i));
        }
        let node = |n: &str| ast.nodes.iter().position(|x| &*x.name.v == n).unwrap();
        let outcome = |n: &str| ast.outcomes.iter().position(|x| &*x.name.v == n).unwrap();
        assert_eq!(names.get("r"), Some(Target::Node(node("r"))));
        assert_eq!(names.get("n"), Some(Target::Node(node("n"))));
        assert_eq!(names.get("leaf3"), Some(Target::Outcome(outcome("leaf3"))));
        // `both` is a node and an outcome: the outcome, inserted last, is what the name means.
        assert_eq!(names.get("both"), Some(Target::Outcome(outcome("both"))));
        assert_eq!(names.get("nowhere"), None);
        assert!(names.contains_key("leaf") && !names.contains_key("lea"));
        let mut keys: Vec<&str> = names.keys().collect();
        keys.sort_unstable();
        assert_eq!(keys, ["both", "leaf", "leaf2", "leaf3", "leaf4", "n", "r"]);
    }

    #[test]
    fn moves_per_node_in_file_order_filtered() {
        let (ast, _) = read(MODEL);
        let all = Moves::new(&ast, |_, _| true);
        assert_eq!(all.len(), ast.nodes.len());
        for (i, n) in ast.nodes.iter().enumerate() {
            let got: Vec<&str> = all[i].iter().map(|m| &*m.label.v).collect();
            let want: Vec<&str> = n.moves.iter().map(|m| &*m.label.v).collect();
            assert_eq!(got, want);
        }
        let some = Moves::new(&ast, |i, m| i != 0 || &*m.label.v != "y");
        let labels: Vec<Vec<&str>> = some
            .iter()
            .map(|ms| ms.iter().map(|m| &*m.label.v).collect())
            .collect();
        assert_eq!(labels[0], ["x", "z"]);
        assert_eq!(
            labels[1..],
            all.iter()
                .skip(1)
                .map(|ms| ms.iter().map(|m| &*m.label.v).collect::<Vec<_>>())
                .collect::<Vec<_>>()[..]
        );
    }
}
