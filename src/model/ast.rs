//! The model file as written: names, formulas as text, and the byte span of everything.
//!
//! [`read`](super::read) fills these structs from the TOML document; [`check`](super::check)
//! and [`build`](super::build) turn them into a [`GameTemplate`](super::GameTemplate). Keeping
//! the spans here is what lets every later error — an unknown name, a formula that divides by
//! zero at some scenario — point at its line and column.

pub use super::name::Name;
use std::ops::Range;
use std::sync::Arc;

/// A value with the byte span it came from (a compact [`Span`] in the records a big model
/// has by the million).
#[derive(Clone, Debug, PartialEq)]
pub struct Sp<T, S = Range<usize>> {
    /// The value.
    pub v: T,
    /// Its span in the file.
    pub span: S,
}

impl<T> Sp<T> {
    /// Wraps a value with its span.
    pub fn new(v: T, span: Range<usize>) -> Self {
        Sp { v, span }
    }
}

/// A formula's text and where it sits in the file.
#[derive(Clone, Debug, PartialEq)]
pub struct FormulaSrc {
    /// The formula text (for a TOML number, its literal).
    pub text: Name,
    /// Span of the whole TOML value.
    pub span: Range<usize>,
    /// Byte offset in the file of the formula text's first byte, if the text appears verbatim
    /// (no escapes), so offsets inside the formula map to file offsets.
    pub base: Option<usize>,
    /// For a formula inside a subtree, the arguments of the use it was copied into: names the
    /// formula may use, each standing for the use's formula (see [`SubtreeDef`]).
    pub args: Option<Arc<Bindings>>,
}

/// A subtree use's arguments: `(name, formula)` pairs; the formulas may themselves be inside
/// another use (their own `args`).
pub type Bindings = Vec<(String, FormulaSrc)>;

impl FormulaSrc {
    /// The file span of a span inside the formula text.
    pub fn file_span(&self, inner: &Range<usize>) -> Range<usize> {
        match self.base {
            Some(b) => {
                b + inner.start..b + inner.end.max(inner.start + 1).min(self.text.len().max(1))
            }
            None => self.span.clone(),
        }
    }
}

/// A parameter declaration.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamDef {
    /// Name.
    pub name: Sp<String>,
    /// Default value.
    pub value: Sp<f64>,
    /// Optional `[lo, hi]` range.
    pub range: Option<Sp<(f64, f64)>>,
    /// One-line description.
    pub about: String,
}

/// A named set of parameter values.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioDef {
    /// Name.
    pub name: Sp<String>,
    /// Description.
    pub about: String,
    /// Parameter values it sets.
    pub values: Vec<(Sp<String>, Sp<f64>)>,
}

/// A move out of a node.
#[derive(Clone, Debug, PartialEq)]
pub struct MoveDef {
    /// The move's label.
    pub label: Sp<Name, Span>,
    /// The node or outcome it leads to.
    pub to: Sp<Name, Span>,
    /// Its phrase and probability, if it has either (boxed: most moves are a player's and
    /// have neither).
    pub extra: Option<Box<MoveExtra>>,
}

/// What a move may have besides its label and target.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct MoveExtra {
    /// A phrase for prose ("hedges"); optional.
    pub say: Option<String>,
    /// Probability formula (chance moves only).
    pub prob: Option<FormulaSrc>,
}

impl MoveDef {
    /// A phrase for prose ("hedges"), if the move has one.
    pub fn say(&self) -> Option<&String> {
        self.extra.as_ref()?.say.as_ref()
    }

    /// The probability formula (chance moves only).
    pub fn prob(&self) -> Option<&FormulaSrc> {
        self.extra.as_ref()?.prob.as_ref()
    }
}

/// Who moves at a node.
#[derive(Clone, Debug, PartialEq)]
pub enum Mover {
    /// A player, possibly in a named information set.
    Player {
        /// Player name.
        player: Sp<Name>,
        /// Information-set name (nodes sharing it cannot be told apart).
        infoset: Option<Sp<Name>>,
    },
    /// Nature.
    Chance,
}

/// A decision or chance node.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeDef {
    /// Name (the key in `[nodes]`).
    pub name: Sp<Name>,
    /// Who moves.
    pub mover: Mover,
    /// Moves in file order.
    pub moves: Vec<MoveDef>,
    /// Span of the `moves`/`chance` table (for "no moves" errors).
    pub moves_span: Range<usize>,
}

/// A compact byte span (`u32` offsets: model files are read only below 4 GiB), for the records
/// a big model has by the million.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Span {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// The span as a `Range<usize>`.
    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

impl From<Range<usize>> for Span {
    fn from(r: Range<usize>) -> Self {
        // `read` refuses texts of 4 GiB or more, so offsets fit.
        Span {
            start: r.start as u32,
            end: r.end as u32,
        }
    }
}

/// A player's payoff at an outcome: one formula, or one formula per type of that player.
#[derive(Clone, Debug, PartialEq)]
pub enum PayoffSrc {
    /// A TOML number whose formula text is a plain decimal (`3.47`, `12`): most payoffs of a
    /// big model, kept as their value alone. The formula text is the value's shortest decimal
    /// (`format!("{value}")`), the span the number's; see [`PayoffSrc::formula`].
    Number {
        /// The value.
        value: f64,
        /// Span of the number.
        span: Span,
    },
    /// The same formula whatever the player's type (it may still use names bound by types).
    Formula(Box<FormulaSrc>),
    /// `Player = { type = "formula", … }`: a formula per type of the player it belongs to.
    ByType(Box<ByType>),
}

/// A payoff given per type: `(type name, formula)` in file order, and the table's span.
#[derive(Clone, Debug, PartialEq)]
pub struct ByType {
    /// `(type name, formula)` in file order.
    pub entries: Vec<(Sp<String>, FormulaSrc)>,
    /// Span of the table.
    pub span: Range<usize>,
}

impl PayoffSrc {
    /// The single formula of a number or formula payoff (`None` per type), borrowed when it
    /// is written as a formula record.
    pub fn formula(&self) -> Option<std::borrow::Cow<'_, FormulaSrc>> {
        use std::borrow::Cow;
        match self {
            PayoffSrc::Number { value, span } => Some(Cow::Owned(FormulaSrc {
                text: Name::from(format!("{value}")),
                span: span.range(),
                base: None,
                args: None,
            })),
            PayoffSrc::Formula(f) => Some(Cow::Borrowed(f)),
            PayoffSrc::ByType(_) => None,
        }
    }
}

/// One entry of an outcome's `payoffs` table.
#[derive(Clone, Debug, PartialEq)]
pub struct PayoffEntry {
    /// The key (a player's name, if the file is right), as an id into
    /// [`ModelAst::payoff_keys`]: a big model writes the same few keys at every outcome.
    pub key: u32,
    /// Span of the key.
    pub key_span: Span,
    /// The payoff.
    pub pay: PayoffSrc,
}

/// A terminal outcome.
#[derive(Clone, Debug, PartialEq)]
pub struct OutcomeDef {
    /// Name (the key in `[outcomes]`).
    pub name: Sp<Name>,
    /// One payoff per player, in file order (keys are ids into [`ModelAst::payoff_keys`]).
    pub payoffs: Box<[PayoffEntry]>,
    /// Span of the `payoffs` table.
    pub payoffs_span: Span,
    /// Event tags.
    pub events: Box<[Sp<String>]>,
    /// Optional description.
    pub about: Box<str>,
}

/// One private type of a player: `[types.PLAYER] NAME = { prob = "…", let = { … }, say = "…" }`.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeDef {
    /// The type's name.
    pub name: Sp<String>,
    /// Prior probability (independent types); `None` when a joint `[prior]` gives it.
    pub prob: Option<FormulaSrc>,
    /// Names this type binds (`let = { c = "c_H" }`), usable in payoff and chance formulas.
    pub lets: Vec<(Sp<String>, FormulaSrc)>,
    /// Phrase for nature's move ("Challenger is hard"); optional.
    pub say: Option<String>,
    /// Span of the whole entry.
    pub span: Range<usize>,
}

/// The private types of one player (`[types.PLAYER]`).
#[derive(Clone, Debug, PartialEq)]
pub struct PlayerTypes {
    /// The player (the key under `[types]`).
    pub player: Sp<String>,
    /// Its types in file order.
    pub types: Vec<TypeDef>,
    /// Span of the player's table or array.
    pub span: Range<usize>,
}

/// One entry of a joint prior: `"hard,soft" = "formula"` (one type per typed player, in the
/// order of `[types]`).
#[derive(Clone, Debug, PartialEq)]
pub struct PriorEntry {
    /// The key: type names separated by commas.
    pub key: Sp<String>,
    /// The probability of this type profile.
    pub prob: FormulaSrc,
}

/// Moves removed or forced at named nodes: a counterfactual version of the game.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Counterfactual {
    /// `node = move`: only this move is available at the node.
    pub force: Vec<(Sp<String>, Sp<String>)>,
    /// `node = [moves]`: these moves are removed.
    pub remove: Vec<(Sp<String>, Vec<Sp<String>>)>,
    /// `parameter = value`: the parameter takes this value in this game, whatever the point
    /// (with the value's exact rational, as written).
    pub set: Vec<(Sp<String>, Sp<f64>, crate::exact::Rational)>,
}

/// A question for the report: does the treatment raise or lower an event's probability compared
/// with the control?
#[derive(Clone, Debug, PartialEq)]
pub struct QuestionDef {
    /// Name (the key in `[questions]`).
    pub name: Sp<String>,
    /// The question in words.
    pub ask: String,
    /// What the treatment is, as a noun phrase ("hedging").
    pub subject: String,
    /// The event tag whose probability is compared.
    pub event: Sp<String>,
    /// The counterfactual whose effect is asked about.
    pub treatment: Counterfactual,
    /// The baseline it is compared with.
    pub control: Counterfactual,
    /// Word for "the treatment lowers the event's probability" (default `deters`).
    pub lower: String,
    /// Word for "the treatment raises it" (default `provokes`).
    pub higher: String,
    /// Which answer is the desirable one (`good = "lower"` or `"higher"`), if the file says:
    /// figures then colour it as good (blue) and the other as bad (red); otherwise both get a
    /// neutral pair of colours.
    pub good: Option<Sp<String>>,
    /// Parameters to map the answer over.
    pub vary: Vec<Sp<String>>,
}

/// A named subtree (`[subtrees.NAME]`): nodes and outcomes written once and used at several
/// places of the tree, each use giving its own values to the subtree's arguments.
#[derive(Clone, Debug, PartialEq)]
pub struct SubtreeDef {
    /// Name (the key in `[subtrees]`).
    pub name: Sp<String>,
    /// Names the subtree's formulas use for values each use supplies.
    pub args: Vec<Sp<String>>,
    /// The subtree's first node (one of its own nodes, outcomes or uses).
    pub root: Option<Sp<String>>,
    /// Its decision and chance nodes, in file order.
    pub nodes: Vec<NodeDef>,
    /// Its outcomes, in file order.
    pub outcomes: Vec<OutcomeDef>,
    /// Subtrees used inside it.
    pub uses: Vec<UseDef>,
    /// Span of the whole entry.
    pub span: Range<usize>,
}

/// A use of a subtree in place of a node: `[nodes.NAME] subtree = "…", args = { … }`.
#[derive(Clone, Debug, PartialEq)]
pub struct UseDef {
    /// The use's name: moves lead to it as to a node, and the copied nodes and outcomes are
    /// named `LOCAL_NAME` (e.g. `defender_h` for the subtree's `defender` in use `h`).
    pub name: Sp<String>,
    /// The subtree used.
    pub subtree: Sp<String>,
    /// `(argument, formula)` in file order.
    pub args: Vec<(Sp<String>, FormulaSrc)>,
    /// Span of the whole entry.
    pub span: Range<usize>,
}

/// One copy of a subtree made when the model was read: which written names became which.
#[derive(Clone, Debug, PartialEq)]
pub struct Instance {
    /// The subtree copied.
    pub subtree: String,
    /// The use's full name (nested uses join names with `_`).
    pub name: String,
    /// `(name in the subtree, name in the tree)` for each of its nodes and outcomes.
    pub names: Vec<(String, String)>,
}

/// A whole model file.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ModelAst {
    /// Title.
    pub title: String,
    /// Longer description.
    pub about: String,
    /// The model's source (a citation), shown in reports.
    pub source: String,
    /// Display names of players (`names = { Protege = "Protégé" }`), used in sentences and
    /// figures; players not listed are called by their name in `players`.
    pub names: Vec<(Sp<String>, String)>,
    /// Players in order.
    pub players: Vec<Sp<String>>,
    /// Span of the `players` array.
    pub players_span: Option<Range<usize>>,
    /// Name of the root node.
    pub root: Option<Sp<String>>,
    /// Parameters in file order.
    pub params: Vec<ParamDef>,
    /// Scenarios in file order.
    pub scenarios: Vec<ScenarioDef>,
    /// Decision and chance nodes in file order.
    pub nodes: Vec<NodeDef>,
    /// Outcomes in file order.
    pub outcomes: Vec<OutcomeDef>,
    /// Report questions.
    pub questions: Vec<QuestionDef>,
    /// Players' private types (`[types.PLAYER]`), in file order.
    pub types: Vec<PlayerTypes>,
    /// A joint prior over type profiles (`[prior]`), and the span of its table.
    pub prior: Option<(Vec<PriorEntry>, Range<usize>)>,
    /// Subtrees (`[subtrees.NAME]`), as written.
    pub subtrees: Vec<SubtreeDef>,
    /// Uses of subtrees among the top-level nodes, as written.
    pub uses: Vec<UseDef>,
    /// The copies of subtrees made by [`expand`](super::expand::expand): their nodes and
    /// outcomes are already in `nodes` and `outcomes`.
    pub instances: Vec<Instance>,
    /// Names of nodes and outcomes that are declared but could not be read (already reported);
    /// references to them are not reported again.
    pub broken: Vec<String>,
    /// Span of the `[fit]` section, if the file has one (read by [`crate::fit::spec`], so a
    /// file without one is not parsed twice).
    pub fit_span: Option<Range<usize>>,
    /// The distinct keys of outcomes' `payoffs` tables, in order of first use
    /// ([`PayoffEntry::key`] is an index here).
    pub payoff_keys: Vec<Name>,
}

impl ModelAst {
    /// The key of a payoff entry (a player's name, if the file is right).
    pub fn payoff_key(&self, e: &PayoffEntry) -> &str {
        &self.payoff_keys[e.key as usize]
    }

    /// How sentences and figures name each player, in `players` order: the display name from
    /// `names`, else the player's own name.
    pub fn display_names(&self) -> Vec<String> {
        self.players
            .iter()
            .map(|p| {
                self.names
                    .iter()
                    .find(|(k, _)| k.v == p.v)
                    .map_or_else(|| p.v.clone(), |(_, n)| n.clone())
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::mem::size_of;

    /// The records a big model has by the million stay compact (see docs/benchmarks.md, "Big
    /// model files").
    #[test]
    fn bulk_records_stay_small() {
        assert_eq!(size_of::<Span>(), 8);
        assert!(
            size_of::<PayoffEntry>() <= 40,
            "{}",
            size_of::<PayoffEntry>()
        );
        assert!(size_of::<MoveDef>() <= 56, "{}", size_of::<MoveDef>());
        assert!(size_of::<OutcomeDef>() <= 88, "{}", size_of::<OutcomeDef>());
        assert!(size_of::<NodeDef>() <= 136, "{}", size_of::<NodeDef>());
    }

    /// A number payoff's formula is its value's shortest decimal, at the number's span.
    #[test]
    fn number_payoffs_read_back_as_formulas() {
        let p = PayoffSrc::Number {
            value: 3.5,
            span: Span::from(10..13),
        };
        let f = p.formula().unwrap();
        assert_eq!(&*f.text, "3.5");
        assert_eq!(f.span, 10..13);
        assert_eq!((f.base, f.args.is_none()), (None, true));
        let b = PayoffSrc::ByType(Box::new(ByType {
            entries: Vec::new(),
            span: 0..1,
        }));
        assert!(b.formula().is_none());
    }
}
