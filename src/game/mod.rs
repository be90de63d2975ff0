//! The numeric game: tree structure, parameter-free numbers, strategic form and profiles.
//!
//! [`Tree`] is the immutable structure shared by every instantiation of a model; [`Game`] is
//! that structure with numbers (payoffs, chance probabilities) at one parameter point;
//! [`StrategicGame`] is the strategic (normal) form. Solvers see only these types.

pub mod examples;
pub mod ids;
pub mod labels;
pub mod numeric;
pub mod profile;
pub mod recall;
pub mod reduce;
pub mod sequence;
pub mod strategic;
pub mod tree;

pub use ids::{EventId, InfosetId, LeafId, NodeId, PlayerId};
pub use labels::{Labels, LabelsBuilder, Pool, TextLabels};
pub use numeric::{ExactNumbers, ExactVec, Game};
pub use strategic::StrategicGame;
pub use tree::{Infoset, LeafEvents, Node, NodeKind, Tree, TreeBuilder, TreeError};
