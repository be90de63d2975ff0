//! Index newtypes for the game arena.
//!
//! Every object of a game tree (node, player, information set, leaf, event) lives in a `Vec`
//! and is addressed by a `Copy` id wrapping a `u32`, so a tree is one flat allocation that the
//! solvers walk by index, with no pointers, reference counts or string look-ups.

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
        pub struct $name(pub u32);

        impl $name {
            /// The id as an index into its arena.
            #[inline(always)]
            pub fn ix(self) -> usize {
                self.0 as usize
            }
        }

        impl From<usize> for $name {
            #[inline(always)]
            fn from(i: usize) -> Self {
                // Arenas are limited to u32::MAX entries by the builders.
                $name(i as u32)
            }
        }
    };
}

id_type!(
    /// A node of the game tree. Nodes are numbered breadth-first, so a parent's id is smaller
    /// than its children's and the children of a node are consecutive.
    NodeId
);
id_type!(
    /// A player, in the order the model lists them.
    PlayerId
);
id_type!(
    /// An information set of a (non-chance) player.
    InfosetId
);
id_type!(
    /// A terminal node, numbered in node order.
    LeafId
);
id_type!(
    /// An event tag (`challenge`, `war`, …) attached to outcomes.
    EventId
);
