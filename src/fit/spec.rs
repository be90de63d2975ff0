//! The model file's `[fit]` section: what is estimated, what is observed, and the error
//! structure.
//!
//! The model reader accepts a top-level `fit` table and leaves it alone; this module reads it
//! from the same text (with spans, so every mistake is reported at its line and column through
//! [`crate::diag`]) and checks it against the compiled model ([`check`]). Formulas are parsed
//! here; which of their names are data columns and which are coefficients is only known once
//! the data's header is read ([`crate::fit::design`]).
//!
//! ```toml
//! [fit]
//! outcome   = "outcome"          # the data column naming what each row reached
//! errors    = "agent"            # or "private"
//! link      = "logit"            # or "probit"
//! log_scale = "0"                # log σ, a formula (or a table by player)
//! cluster   = "dyad"             # optional: clustered standard errors by default
//! factors   = ["decade"]         # numeric columns to treat as factors
//! baseline  = { region = "Europe" }
//! codes     = { "1" = "status_quo", "2" = "concession" }
//!
//! [fit.parameters]
//! c_D = "b0 + b1*trade + b2*cold_war"
//! T   = "ties"                   # given per row by a column
//! ```

use crate::diag::{did_you_mean, Diagnostic};
use crate::expr::{parse, Ast};
use crate::model::ast::{FormulaSrc, Sp};
use crate::model::doc::{self, Key, Val};
use crate::model::GameTemplate;
use std::ops::Range;

type V<'a> = doc::Value<'a>;

/// Keys allowed in `[fit]`.
pub const KEYS: [&str; 9] = [
    "outcome",
    "errors",
    "link",
    "log_scale",
    "cluster",
    "factors",
    "baseline",
    "codes",
    "parameters",
];

/// Where the random utility shocks sit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorModel {
    /// An independent shock on each move's expected utility at each decision node (agent
    /// quantal response; Signorino's "agent error").
    Agent,
    /// Shocks on each player's utility for each outcome, known to that player only
    /// (Signorino's "private information"); normal shocks only.
    Private,
}

impl ErrorModel {
    /// The word used in files and output.
    pub fn name(self) -> &'static str {
        match self {
            ErrorModel::Agent => "agent",
            ErrorModel::Private => "private",
        }
    }
}

/// The distribution of the shocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Link {
    /// Type-I extreme value shocks: logit choice probabilities.
    Logit,
    /// Normal shocks: probit choice probabilities.
    Probit,
}

impl Link {
    /// The word used in files and output.
    pub fn name(self) -> &'static str {
        match self {
            Link::Logit => "logit",
            Link::Probit => "probit",
        }
    }
}

/// A formula of the `[fit]` section: its source and parsed form.
#[derive(Clone, Debug, PartialEq)]
pub struct FitFormula {
    /// Text and location.
    pub src: FormulaSrc,
    /// Parsed form.
    pub ast: Ast,
}

/// The `[fit]` section as written.
#[derive(Clone, Debug, PartialEq)]
pub struct FitSpec {
    /// Span of the whole section.
    pub span: Range<usize>,
    /// The data column naming the outcome (or node, or event) each row reached.
    pub outcome: Option<Sp<String>>,
    /// Error structure.
    pub errors: Sp<ErrorModel>,
    /// Shock distribution.
    pub link: Sp<Link>,
    /// Log scale of the shocks: one formula for every player (`None`) or one per player.
    pub log_scale: Vec<(Option<Sp<String>>, FitFormula)>,
    /// Default cluster column for standard errors.
    pub cluster: Option<Sp<String>>,
    /// Numeric columns to treat as factors.
    pub factors: Vec<Sp<String>>,
    /// Baseline level of factors (`column = level`).
    pub baseline: Vec<(Sp<String>, Sp<String>)>,
    /// Data codes and the outcome, node or event names they stand for.
    pub codes: Vec<(Sp<String>, Vec<Sp<String>>)>,
    /// Parameter formulas, in file order.
    pub parameters: Vec<(Sp<String>, FitFormula)>,
}

/// Reads the `[fit]` section of a model file's text, if it has one.
pub fn read(text: &str) -> (Option<FitSpec>, Vec<Diagnostic>) {
    let (doc, _) = doc::parse(text);
    let Some(v) = doc.root().get("fit") else {
        return (None, Vec::new());
    };
    let mut r = Reader {
        text,
        diags: Vec::new(),
    };
    let spec = r.section(v);
    (spec, r.diags)
}

struct Reader<'t> {
    text: &'t str,
    diags: Vec<Diagnostic>,
}

fn key_sp(k: Key<'_>) -> Sp<String> {
    Sp::new(k.as_str().to_string(), k.span())
}

impl Reader<'_> {
    fn wrong(&mut self, v: V<'_>, what: &str, want: &str) {
        let got = v.get().type_name();
        self.diags.push(
            Diagnostic::error(v.span(), format!("{what} must be {want}, not {got}"))
                .with_label(got),
        );
    }

    fn string(&mut self, v: V<'_>, what: &str) -> Option<Sp<String>> {
        match v.get() {
            Val::String(s) => Some(Sp::new(s.to_string(), v.span())),
            Val::Integer(i) => Some(Sp::new(i.as_str().to_string(), v.span())),
            _ => {
                self.wrong(v, what, "a string");
                None
            }
        }
    }

    fn strings(&mut self, v: V<'_>, what: &str) -> Vec<Sp<String>> {
        match v.get() {
            Val::Array(a) => a.iter().filter_map(|x| self.string(x, what)).collect(),
            Val::String(_) => self.string(v, what).into_iter().collect(),
            _ => {
                self.wrong(v, what, "a string or an array of strings");
                Vec::new()
            }
        }
    }

    fn formula(&mut self, v: V<'_>, what: &str) -> Option<FitFormula> {
        let span = v.span();
        let src = match v.get() {
            Val::String(s) => {
                let raw = self.text.get(span.clone()).unwrap_or("");
                let verbatim = raw.len() == s.len() + 2
                    && (raw.starts_with('"') || raw.starts_with('\''))
                    && &raw[1..raw.len() - 1] == s;
                FormulaSrc {
                    text: s.into(),
                    base: verbatim.then_some(span.start + 1),
                    span,
                    args: None,
                }
            }
            Val::Integer(i) => FormulaSrc {
                text: i.as_str().replace('_', "").into(),
                base: None,
                span,
                args: None,
            },
            Val::Float(f) => FormulaSrc {
                text: f.as_str().replace('_', "").into(),
                base: None,
                span,
                args: None,
            },
            _ => {
                self.wrong(v, what, "a formula (a string such as \"b0 + b1*trade\")");
                return None;
            }
        };
        match parse(&src.text) {
            Ok(ast) => Some(FitFormula { src, ast }),
            Err(e) => {
                self.diags.push(
                    Diagnostic::error(src.file_span(&e.span), format!("{what}: {}", e.message))
                        .with_label("here")
                        .with_hint_opt(e.hint),
                );
                None
            }
        }
    }

    fn section(&mut self, v: V<'_>) -> Option<FitSpec> {
        let Val::Table(t) = v.get() else {
            self.wrong(v, "`fit`", "a table");
            return None;
        };
        for (k, _) in t.iter() {
            if !KEYS.contains(&k.as_str()) {
                let hint = did_you_mean(k.as_str(), KEYS.iter().copied())
                    .unwrap_or_else(|| format!("known keys here: {}", KEYS.join(", ")));
                self.diags.push(
                    Diagnostic::error(k.span(), format!("unknown key `{}` in [fit]", k.as_str()))
                        .with_label("unknown key")
                        .with_hint(hint),
                );
            }
        }
        let mut spec = FitSpec {
            span: v.span(),
            outcome: None,
            errors: Sp::new(ErrorModel::Agent, v.span()),
            link: Sp::new(Link::Logit, v.span()),
            log_scale: Vec::new(),
            cluster: None,
            factors: Vec::new(),
            baseline: Vec::new(),
            codes: Vec::new(),
            parameters: Vec::new(),
        };
        let section_start = v.span().start..v.span().start;
        match t.get("outcome") {
            Some(x) => spec.outcome = self.string(x, "`outcome`"),
            None => self.diags.push(
                Diagnostic::error(section_start.clone(), "[fit] has no `outcome`").with_hint(
                    "name the data column that says what each row reached, e.g. \
                     `outcome = \"outcome\"`",
                ),
            ),
        }
        if let Some(x) = t.get("errors") {
            if let Some(s) = self.string(x, "`errors`") {
                match s.v.as_str() {
                    "agent" => spec.errors = Sp::new(ErrorModel::Agent, s.span),
                    "private" => spec.errors = Sp::new(ErrorModel::Private, s.span),
                    other => self.diags.push(
                        Diagnostic::error(s.span, format!("unknown error structure `{other}`"))
                            .with_hint("`agent` (a shock on each move at each node) or `private` (shocks on outcome utilities, known to the mover)"),
                    ),
                }
            }
        }
        let mut link_given = false;
        if let Some(x) = t.get("link") {
            if let Some(s) = self.string(x, "`link`") {
                link_given = true;
                match s.v.as_str() {
                    "logit" => spec.link = Sp::new(Link::Logit, s.span),
                    "probit" => spec.link = Sp::new(Link::Probit, s.span),
                    other => self.diags.push(
                        Diagnostic::error(s.span, format!("unknown link `{other}`")).with_hint(
                            "`logit` (extreme-value shocks) or `probit` (normal shocks)",
                        ),
                    ),
                }
            }
        }
        if spec.errors.v == ErrorModel::Private && !link_given {
            // Private information is Signorino's strategic probit: normal shocks by default.
            spec.link = Sp::new(Link::Probit, spec.errors.span.clone());
        }
        if let Some(x) = t.get("log_scale") {
            match x.get() {
                Val::Table(pt) => {
                    for (k, fv) in pt.iter() {
                        let who = key_sp(k);
                        let what = format!("the log scale of `{}`", who.v);
                        if let Some(f) = self.formula(fv, &what) {
                            spec.log_scale.push((Some(who), f));
                        }
                    }
                }
                _ => {
                    if let Some(f) = self.formula(x, "`log_scale`") {
                        spec.log_scale.push((None, f));
                    }
                }
            }
        }
        if let Some(x) = t.get("cluster") {
            spec.cluster = self.string(x, "`cluster`");
        }
        if let Some(x) = t.get("factors") {
            spec.factors = self.strings(x, "each entry of `factors`");
        }
        if let Some(x) = t.get("baseline") {
            match x.get() {
                Val::Table(bt) => {
                    for (k, lv) in bt.iter() {
                        if let Some(l) = self.string(lv, "a baseline level") {
                            spec.baseline.push((key_sp(k), l));
                        }
                    }
                }
                _ => self.wrong(x, "`baseline`", "a table (`{ column = \"level\" }`)"),
            }
        }
        if let Some(x) = t.get("codes") {
            match x.get() {
                Val::Table(ct) => {
                    for (k, nv) in ct.iter() {
                        let names = self.strings(nv, "a code's outcome");
                        if !names.is_empty() {
                            spec.codes.push((key_sp(k), names));
                        }
                    }
                }
                _ => self.wrong(x, "`codes`", "a table (`{ \"1\" = \"status_quo\" }`)"),
            }
        }
        match t.get("parameters") {
            Some(x) => match x.get() {
                Val::Table(pt) => {
                    for (k, fv) in pt.iter() {
                        let name = key_sp(k);
                        let what = format!("the formula of `{}`", name.v);
                        if let Some(f) = self.formula(fv, &what) {
                            spec.parameters.push((name, f));
                        }
                    }
                }
                _ => self.wrong(x, "`parameters`", "a table (`[fit.parameters]`)"),
            },
            None => self.diags.push(
                Diagnostic::error(section_start, "[fit] has no `parameters`").with_hint(
                    "add a `[fit.parameters]` table: each estimated parameter as a formula in \
                     coefficients and data columns, e.g. `c_D = \"b0 + b1*trade\"`",
                ),
            ),
        }
        Some(spec)
    }
}

/// Checks the section against the model: parameter and player names, code targets, and the
/// error structure's requirements on the tree.
pub fn check(spec: &FitSpec, t: &GameTemplate) -> Vec<Diagnostic> {
    let mut d = Vec::new();
    let tree = &t.tree;
    let mut seen: Vec<&str> = Vec::new();
    for (name, _) in &spec.parameters {
        if t.params.id(&name.v).is_none() {
            d.push(
                Diagnostic::error(
                    name.span.clone(),
                    format!("`{}` is not a parameter of the model", name.v),
                )
                .with_label("unknown parameter")
                .with_hint(
                    did_you_mean(&name.v, t.params.names.iter().map(String::as_str))
                        .unwrap_or_else(|| {
                            format!("the parameters are {}", t.params.names.join(", "))
                        }),
                ),
            );
        }
        if seen.contains(&name.v.as_str()) {
            d.push(Diagnostic::error(
                name.span.clone(),
                format!("`{}` is given twice", name.v),
            ));
        }
        seen.push(&name.v);
    }
    let mut all_players = false;
    for (who, _) in &spec.log_scale {
        match who {
            None => all_players = true,
            Some(w) if tree.player_id(&w.v).is_none() => d.push(
                Diagnostic::error(w.span.clone(), format!("`{}` is not a player", w.v)).with_hint(
                    did_you_mean(&w.v, tree.players.iter().map(String::as_str))
                        .unwrap_or_else(|| format!("the players are {}", tree.players.join(", "))),
                ),
            ),
            Some(_) => {}
        }
    }
    let _ = all_players;
    for (_, names) in &spec.codes {
        for n in names {
            if observed_nodes(tree, &n.v).is_none() {
                d.push(unknown_observation(tree, n));
            }
        }
    }
    if spec.errors.v == ErrorModel::Private && spec.link.v == Link::Logit {
        d.push(
            Diagnostic::error(
                spec.link.span.clone(),
                "private-information errors are normal: a player's value of a move is a weighted \
                 sum of its outcome shocks, which is normal for normal shocks but has no closed \
                 form for extreme-value ones",
            )
            .with_hint("use `link = \"probit\"`, or `errors = \"agent\"` for logit"),
        );
    }
    if let (ErrorModel::Private, Some(s)) = (spec.errors.v, tree.first_nonsingleton_infoset()) {
        d.push(
            Diagnostic::error(
                spec.errors.span.clone(),
                format!(
                    "private-information errors need a game of perfect information; information \
                     set `{}` has several nodes",
                    tree.infoset_display(s)
                ),
            )
            .with_label("private information")
            .with_hint(
                "use `errors = \"agent\"`: the likelihood is then the agent quantal response \
                 equilibrium at each row",
            ),
        );
    }
    if spec.errors.v == ErrorModel::Private {
        if let Some((node, player)) = repeated_mover(tree) {
            d.push(
                // Located at `errors = "private"`: the [fit] section may be in another file
                // (`--spec`) than the node, and the message names the node.
                Diagnostic::error(
                    spec.errors.span.clone(),
                    format!(
                        "with private-information errors each player may move at most once on \
                         any path, but {} moves again at `{}`",
                        tree.players[player], &tree.node_names[node]
                    ),
                )
                .with_label("private information")
                .with_hint(
                    "a player who moves twice knows its own shocks at both moves, so its moves \
                     are correlated and the others would learn about its shocks from its first \
                     move; that Bayesian updating is not implemented. Use `errors = \"agent\"`",
                ),
            );
        }
    }
    d
}

/// The nodes whose reach an observed name stands for: an outcome or node name (its node), or
/// an event tag (every leaf carrying it).
pub fn observed_nodes(tree: &crate::game::Tree, name: &str) -> Option<Vec<u32>> {
    if let Some(i) = tree.node_names.iter().position(|n| n == name) {
        return Some(vec![i as u32]);
    }
    // In a model with types, an outcome or node has one copy per type profile
    // (`SQ[hard,soft]`); the data see the outcome, not the types.
    let copies: Vec<u32> = (0..tree.node_names.len() as u32)
        .filter(|&i| {
            tree.node_names[i as usize]
                .strip_prefix(name)
                .is_some_and(|rest| rest.starts_with('[') && rest.ends_with(']'))
        })
        .collect();
    if !copies.is_empty() {
        return Some(copies);
    }
    let e = tree.event_id(name)?;
    Some(tree.tagged_leaves(e).map(|n| n.0).collect())
}

fn unknown_observation(tree: &crate::game::Tree, n: &Sp<String>) -> Diagnostic {
    let names = tree
        .node_names
        .iter()
        .chain(tree.events.iter().map(String::as_str))
        .filter(|s| !s.is_empty());
    Diagnostic::error(
        n.span.clone(),
        format!("`{}` is not an outcome, node or event of the model", n.v),
    )
    .with_hint_opt(did_you_mean(&n.v, names))
}

/// The first decision node (and its player) whose player already moved above it, if any.
pub fn repeated_mover(tree: &crate::game::Tree) -> Option<(usize, usize)> {
    use crate::game::NodeKind;
    for (i, node) in tree.nodes.iter().enumerate() {
        let NodeKind::Decision { player, .. } = node.kind else {
            continue;
        };
        let mut up = node.parent();
        while let Some(p) = up {
            let pn = tree.node(p);
            if let NodeKind::Decision { player: q, .. } = pn.kind {
                if q == player {
                    return Some((i, player.ix()));
                }
            }
            up = pn.parent();
        }
    }
    None
}
