//! Per-node and per-outcome tables indexed by position, for the checks and the tree builder.
//!
//! Nodes and outcomes of a model are numbered by their place in [`ModelAst`](super::ModelAst),
//! so a table keyed by either is two vectors: no hashing, one allocation each however large
//! the model (a 10^6-node file builds several such tables).

/// A node or an outcome of the model, by index in `nodes` or `outcomes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Target {
    /// `ast.nodes[i]`.
    Node(usize),
    /// `ast.outcomes[i]`.
    Outcome(usize),
}

/// A map from [`Target`] to `V`, with room for every node and outcome of one model.
#[derive(Clone, Debug)]
pub(crate) struct TargetMap<V> {
    nodes: Vec<Option<V>>,
    outcomes: Vec<Option<V>>,
    len: usize,
}

impl<V> TargetMap<V> {
    /// An empty map for `nodes` nodes and `outcomes` outcomes.
    pub(crate) fn new(nodes: usize, outcomes: usize) -> Self {
        TargetMap {
            nodes: std::iter::repeat_with(|| None).take(nodes).collect(),
            outcomes: std::iter::repeat_with(|| None).take(outcomes).collect(),
            len: 0,
        }
    }

    fn slot(&self, t: Target) -> Option<&Option<V>> {
        match t {
            Target::Node(i) => self.nodes.get(i),
            Target::Outcome(i) => self.outcomes.get(i),
        }
    }

    /// The value at `t`.
    pub(crate) fn get(&self, t: &Target) -> Option<&V> {
        self.slot(*t).and_then(Option::as_ref)
    }

    /// Whether `t` has a value.
    pub(crate) fn contains(&self, t: &Target) -> bool {
        self.get(t).is_some()
    }

    /// Sets the value at `t`; returns whether it was empty before. A target outside the
    /// model's range (which the callers never pass) is ignored.
    pub(crate) fn insert(&mut self, t: Target, v: V) -> bool {
        let slot = match t {
            Target::Node(i) => self.nodes.get_mut(i),
            Target::Outcome(i) => self.outcomes.get_mut(i),
        };
        match slot {
            Some(s) => {
                let fresh = s.is_none();
                self.len += usize::from(fresh);
                *s = Some(v);
                fresh
            }
            None => false,
        }
    }

    /// Whether no target has a value.
    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// A set of targets.
pub(crate) type TargetSet = TargetMap<()>;
