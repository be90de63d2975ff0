//! Where each formula of a template came from, kept compact for plain numbers.
//!
//! Most payoffs of a big model are plain numbers (`P0 = 3.47`). A full [`FormulaInfo`] for each
//! — its source text, a description such as "the payoff of P0 at outcome `o17`", its syntax
//! tree — would cost more memory than the game tree itself, and nothing needs it on the paths
//! that check, solve or sweep a model: a number cannot fail to evaluate. So [`Formulas`] keeps a
//! record only for real formulas and, for a number, where the model wrote it; a number's record
//! is made when asked for ([`Formulas::info`] for one, and the whole list, made once, when the
//! list is read as a slice by symbolic analyses and drawings).

use super::ast::{FormulaSrc, ModelAst};
use super::template::FormulaInfo;
use std::borrow::Cow;
use std::ops::{Deref, Range};
use std::sync::{Arc, OnceLock};

/// One formula of the template, in evaluation order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Slot {
    /// A formula whose record is kept: index into [`Formulas::kept`].
    Kept(u32),
    /// A plain-number payoff: the `entry`-th payoff of outcome `outcome` of the model (a
    /// [`PayoffSrc::Formula`] whose text parses to just that number, spanning the whole text).
    Number {
        /// Index into [`ModelAst::outcomes`].
        outcome: u32,
        /// Index into that outcome's `payoffs`.
        entry: u32,
    },
}

/// Every formula's source, in evaluation order: payoffs (leaf-major), then chance moves.
///
/// Reads as a slice of [`FormulaInfo`] (the whole list is then made once and kept); the
/// methods answer for one formula without making the list.
#[derive(Clone, Debug, Default)]
pub struct Formulas {
    /// One per formula.
    pub(crate) slots: Vec<Slot>,
    /// Records of the formulas that are not plain numbers.
    pub(crate) kept: Vec<FormulaInfo>,
    /// The model the numbers are read from.
    pub(crate) ast: Arc<ModelAst>,
    /// The whole list, made when first read as a slice.
    all: OnceLock<Vec<FormulaInfo>>,
}

impl Formulas {
    /// An empty list reading numbers from `ast`.
    pub(crate) fn new(ast: Arc<ModelAst>, capacity: usize) -> Self {
        Formulas {
            slots: Vec::with_capacity(capacity),
            kept: Vec::new(),
            ast,
            all: OnceLock::new(),
        }
    }

    /// Adds a formula with its record.
    pub(crate) fn push_kept(&mut self, info: FormulaInfo) {
        self.slots.push(Slot::Kept(self.kept.len() as u32));
        self.kept.push(info);
    }

    /// Adds a plain-number payoff (see [`Slot::Number`]).
    pub(crate) fn push_number(&mut self, outcome: usize, entry: usize) {
        self.slots.push(Slot::Number {
            outcome: outcome as u32,
            entry: entry as u32,
        });
    }

    /// Number of formulas.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// True if there are none.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// The source of formula `i` (its text and where it is written; made if it is a
    /// number's).
    pub fn src(&self, i: usize) -> Cow<'_, FormulaSrc> {
        match self.slots[i] {
            Slot::Kept(k) => Cow::Borrowed(&self.kept[k as usize].src),
            Slot::Number { outcome, entry } => self.number_src(outcome, entry),
        }
    }

    /// The record of formula `i`, made if it is a number's.
    pub fn info(&self, i: usize) -> Cow<'_, FormulaInfo> {
        if let Some(all) = self.all.get() {
            return Cow::Borrowed(&all[i]);
        }
        match self.slots[i] {
            Slot::Kept(k) => Cow::Borrowed(&self.kept[k as usize]),
            Slot::Number { outcome, entry } => Cow::Owned(self.number_info(outcome, entry)),
        }
    }

    /// Changes the syntax tree of every kept record (numbers have nothing to change).
    pub(crate) fn map_kept(&mut self, mut f: impl FnMut(&crate::expr::Ast) -> crate::expr::Ast) {
        for info in &mut self.kept {
            info.ast = f(&info.ast);
        }
        self.all = OnceLock::new();
    }

    fn number_src(&self, outcome: u32, entry: u32) -> Cow<'_, FormulaSrc> {
        // `Slot::Number` is made only for single-formula entries.
        self.ast.outcomes[outcome as usize].payoffs[entry as usize]
            .pay
            .formula()
            .expect("a number slot names a single formula")
    }

    fn number_info(&self, outcome: u32, entry: u32) -> FormulaInfo {
        let o = &self.ast.outcomes[outcome as usize];
        let player = self.ast.payoff_key(&o.payoffs[entry as usize]);
        let src = self.number_src(outcome, entry);
        FormulaInfo {
            src: src.clone().into_owned(),
            what: payoff_what(player, &o.name.v, ""),
            // The text parsed to a number when the template was built, so it parses again.
            ast: crate::expr::parse(&src.text).unwrap_or_else(|_| {
                crate::expr::Ast::new(crate::expr::AstKind::Num(f64::NAN), whole(&src.text))
            }),
        }
    }
}

impl Deref for Formulas {
    type Target = [FormulaInfo];

    fn deref(&self) -> &[FormulaInfo] {
        self.all.get_or_init(|| {
            (0..self.slots.len())
                .map(|i| match self.slots[i] {
                    Slot::Kept(k) => self.kept[k as usize].clone(),
                    Slot::Number { outcome, entry } => self.number_info(outcome, entry),
                })
                .collect()
        })
    }
}

/// The span of a whole text.
pub(crate) fn whole(text: &str) -> Range<usize> {
    0..text.len()
}

/// "the payoff of P at outcome `o`" and `when` (built without the formatting machinery: a big
/// model has millions of payoffs).
pub(crate) fn payoff_what(player: &str, outcome: &str, when: &str) -> String {
    let parts = [
        "the payoff of ",
        player,
        " at outcome `",
        outcome,
        "`",
        when,
    ];
    let mut w = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        w.push_str(p);
    }
    w
}
