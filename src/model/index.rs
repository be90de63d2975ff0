//! The name index and move lists of a model being built, kept small for models of millions of
//! nodes.
//!
//! [`build`](super::build) resolves every move's target by name and walks each node's moves
//! several times. A hash map from `&str` keeps two words per name and a vector per node keeps
//! a heap block each; here the index holds one `u32` per name (the names stay in the
//! [`ModelAst`]) and the moves of all nodes are one vector of references with an end per node.
//! Each move's target is looked up once ([`Moves::resolve`]) and kept as a `u32`: a look-up
//! reads the hash table and the named record at random places, so doing it once per walk was
//! most of a big model's build.

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

/// The hash of a name's bytes (names are compared as bytes too: [`Name::as_bytes`] reads a
/// name without checking it again).
///
/// [`Name::as_bytes`]: super::name::Name::as_bytes
fn hash(s: &[u8]) -> u64 {
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
        decode(self.ast.nodes.len(), k)
    }

    fn encode(&self, t: Target) -> u32 {
        encode(self.ast.nodes.len(), t)
    }

    /// The name of a node or outcome.
    fn name(&self, t: Target) -> &'a str {
        match t {
            Target::Node(i) => &self.ast.nodes[i].name.v,
            Target::Outcome(i) => &self.ast.outcomes[i].name.v,
        }
    }

    /// The name of a node or outcome, as bytes.
    fn name_bytes(&self, t: Target) -> &'a [u8] {
        match t {
            Target::Node(i) => self.ast.nodes[i].name.v.as_bytes(),
            Target::Outcome(i) => self.ast.outcomes[i].name.v.as_bytes(),
        }
    }

    /// Whether a name is in the index.
    pub(crate) fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// The node or outcome of this name.
    pub(crate) fn get(&self, name: &str) -> Option<Target> {
        let name = name.as_bytes();
        self.table
            .find(hash(name), |&k| self.name_bytes(self.decode(k)) == name)
            .map(|&k| self.decode(k))
    }

    /// Names `t` by its own name; a name already there now stands for `t`.
    pub(crate) fn insert(&mut self, t: Target) {
        let name = self.name_bytes(t);
        let k = self.encode(t);
        let (ast, n) = (self.ast, self.ast.nodes.len());
        let name_of = |k: u32| match k as usize {
            i if i < n => ast.nodes[i].name.v.as_bytes(),
            i => ast.outcomes[i - n].name.v.as_bytes(),
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

/// Node `i` of a model of `n` nodes is `i`; outcome `i` is `n + i`.
fn decode(n: usize, k: u32) -> Target {
    match k as usize {
        i if i < n => Target::Node(i),
        i => Target::Outcome(i - n),
    }
}

/// The id [`decode`] reads back as `t`.
fn encode(n: usize, t: Target) -> u32 {
    match t {
        Target::Node(i) => i as u32,
        Target::Outcome(i) => (n + i) as u32,
    }
}

/// A move whose target names no node or outcome.
const UNKNOWN: u32 = u32::MAX;

/// Each node's moves (all of them, or those a counterfactual leaves), in file order.
pub(crate) struct Moves<'a> {
    all: Vec<&'a MoveDef>,
    /// Node `i`'s moves are `all[end[i - 1]..end[i]]`.
    end: Vec<usize>,
    /// The target of each move of `all` ([`encode`]d, [`UNKNOWN`] for a name not found),
    /// once [`resolve`](Self::resolve)d.
    to: Vec<u32>,
    /// Number of nodes of the model (for [`decode`]).
    n_nodes: usize,
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
        Moves {
            all,
            end,
            to: Vec::new(),
            n_nodes: ast.nodes.len(),
        }
    }

    /// Looks up every move's target in `names`, once (see [`targets`](Self::targets)).
    pub(crate) fn resolve(&mut self, names: &Names<'_>) {
        let n = self.n_nodes;
        self.to = self
            .all
            .iter()
            .map(|m| names.get(&m.to.v).map_or(UNKNOWN, |t| encode(n, t)))
            .collect();
    }

    /// Node `i`'s moves, each with the node or outcome it leads to (`None` for a name that
    /// is neither), as [`Names::get`] finds them. Panics before [`resolve`](Self::resolve).
    pub(crate) fn targets(
        &self,
        i: usize,
    ) -> impl Iterator<Item = (&'a MoveDef, Option<Target>)> + '_ {
        let range = self.range(i);
        let n = self.n_nodes;
        self.all[range.clone()]
            .iter()
            .zip(&self.to[range])
            .map(move |(&m, &k)| (m, (k != UNKNOWN).then(|| decode(n, k))))
    }

    /// Where node `i`'s moves are in `all`.
    fn range(&self, i: usize) -> std::ops::Range<usize> {
        let start = if i == 0 { 0 } else { self.end[i - 1] };
        start..self.end[i]
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
        &self.all[self.range(i)]
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
        // Targets resolved once read as the name index reads them, unknown names as `None`.
        let mut names = Names::new(&ast);
        for i in 0..ast.nodes.len() {
            names.insert(Target::Node(i));
        }
        for i in 1..ast.outcomes.len() {
            names.insert(Target::Outcome(i));
        }
        let mut some = some;
        some.resolve(&names);
        for i in 0..some.len() {
            let got: Vec<_> = some.targets(i).map(|(m, t)| (&*m.label.v, t)).collect();
            let want: Vec<_> = some[i]
                .iter()
                .map(|m| (&*m.label.v, names.get(&m.to.v)))
                .collect();
            assert_eq!(got, want);
        }
        let node = |n: &str| ast.nodes.iter().position(|x| &*x.name.v == n).unwrap();
        let r: Vec<_> = some.targets(node("r")).map(|(_, t)| t).collect();
        // `both` (outcome 0, left out of the index) is the node; `n` is a node.
        assert_eq!(
            r,
            [
                Some(Target::Node(node("both"))),
                Some(Target::Node(node("n")))
            ]
        );
        assert!(some
            .targets(node("n"))
            .all(|(_, t)| matches!(t, Some(Target::Outcome(_)))));
        assert_eq!(
            labels[1..],
            all.iter()
                .skip(1)
                .map(|ms| ms.iter().map(|m| &*m.label.v).collect::<Vec<_>>())
                .collect::<Vec<_>>()[..]
        );
    }
}
