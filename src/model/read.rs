//! Reading a model file: TOML text → [`ModelAst`], with every problem located.
//!
//! The text is parsed into [`super::doc`]'s compact span-keeping document (the same document and
//! the same syntax errors as `toml`'s recoverable parser, at a fraction of its memory), so TOML
//! syntax errors are all reported, and the typed walk below keeps going after a bad entry: an
//! unknown key, a string where a number belongs, or a missing field each become one
//! [`Diagnostic`] and the rest of the file is still read. Keys are checked against the known ones
//! with "did you mean".

use super::ast::*;
use super::doc::{self, Key, Table, Val};
use crate::diag::{did_you_mean, Diagnostic};
use std::ops::Range;

type V<'a> = doc::Value<'a>;

/// Reads a model file's text. The AST holds everything that could be read; the diagnostics say
/// what could not.
pub fn read(text: &str) -> (ModelAst, Vec<Diagnostic>) {
    let mut r = Reader {
        text,
        diags: Vec::new(),
        payoff_keys: Vec::new(),
        key_ids: std::collections::HashMap::new(),
    };
    if u32::try_from(text.len()).is_err() {
        r.diags.push(Diagnostic::error(
            None,
            "the file is 4 GiB or more; model files must be smaller",
        ));
        return (ModelAst::default(), r.diags);
    }
    let (doc, errors) = doc::parse(text);
    for e in errors {
        let span = e.span.unwrap_or(0..0);
        r.diags.push(
            Diagnostic::error(span, format!("TOML syntax: {}", e.message.trim()))
                .with_label("here"),
        );
    }
    let mut ast = ModelAst::default();
    let table = doc.root();
    r.keys(
        table,
        &[
            "title",
            "about",
            "source",
            "names",
            "players",
            "root",
            "parameters",
            "scenarios",
            "nodes",
            "outcomes",
            "questions",
            "types",
            "prior",
            "subtrees",
            // Read by `crate::fit::spec`.
            "fit",
        ],
        "the top level",
    );
    if let Some(v) = get(table, "title") {
        ast.title = r.string(v, "title").map(|s| s.v).unwrap_or_default();
    }
    if let Some(v) = get(table, "about") {
        ast.about = r.string(v, "about").map(|s| s.v).unwrap_or_default();
    }
    match get(table, "players") {
        Some(v) => {
            ast.players_span = Some(v.span());
            ast.players = r.string_list(v, "players");
        }
        None => r
            .diags
            .push(Diagnostic::error(0..0, "missing `players`").with_hint(
                "list the players in order, e.g. `players = [\"Protege\", \"Challenger\"]`",
            )),
    }
    if let Some(v) = get(table, "source") {
        ast.source = r.string(v, "source").map(|s| s.v).unwrap_or_default();
    }
    if let Some(t) = get(table, "names").and_then(|v| r.table(v, "names")) {
        for (k, v) in t.iter() {
            let player = key_sp(k);
            if !ast.players.iter().any(|p| p.v == player.v) {
                let d = Diagnostic::error(
                    player.span.clone(),
                    format!(
                        "`names` gives a name to `{}`, which is not a player",
                        player.v
                    ),
                )
                .with_label("not in `players`");
                let hint = did_you_mean(&player.v, ast.players.iter().map(|p| p.v.as_str()));
                r.diags.push(match hint {
                    Some(h) => d.with_hint(h),
                    None => d,
                });
            } else if let Some(name) = r.string(v, "a display name") {
                ast.names.push((player, name.v));
            }
        }
    }
    match get(table, "root") {
        Some(v) => ast.root = r.string(v, "root"),
        None => r.diags.push(
            Diagnostic::error(0..0, "missing `root`")
                .with_hint("name the node where play starts, e.g. `root = \"protege\"`"),
        ),
    }
    if let Some(t) = table
        .get("parameters")
        .and_then(|v| r.table(v, "parameters"))
    {
        for (k, v) in t.iter() {
            ast.params.extend(r.param(k, v));
        }
    }
    if let Some(t) = get(table, "scenarios").and_then(|v| r.table(v, "scenarios")) {
        for (k, v) in t.iter() {
            ast.scenarios.extend(r.scenario(k, v));
        }
    }
    if let Some(t) = get(table, "nodes").and_then(|v| r.table(v, "nodes")) {
        r.nodes(t, &mut ast.nodes, &mut ast.uses, &mut ast.broken);
    }
    if let Some(t) = get(table, "outcomes").and_then(|v| r.table(v, "outcomes")) {
        r.outcomes(t, &mut ast.outcomes, &mut ast.broken);
    }
    if let Some(t) = get(table, "subtrees").and_then(|v| r.table(v, "subtrees")) {
        for (k, v) in t.iter() {
            if let Some(st) = r.subtree(k, v, &mut ast.broken) {
                ast.subtrees.push(st);
            }
        }
    }
    if let Some(t) = get(table, "questions").and_then(|v| r.table(v, "questions")) {
        for (k, v) in t.iter() {
            ast.questions.extend(r.question(k, v));
        }
    }
    if let Some(t) = get(table, "types").and_then(|v| r.table(v, "types")) {
        for (k, v) in t.iter() {
            ast.types.extend(r.player_types(k, v));
        }
    }
    if let Some(v) = get(table, "prior") {
        if let Some(t) = r.table(v, "prior") {
            let mut entries = Vec::new();
            for (k, x) in t.iter() {
                let what = format!("the prior probability of `{}`", k.as_str());
                if let Some(prob) = r.formula(x, &what) {
                    entries.push(PriorEntry {
                        key: key_sp(k),
                        prob,
                    });
                }
            }
            ast.prior = Some((entries, v.span()));
        }
    }
    ast.fit_span = get(table, "fit").map(|v| v.span());
    ast.payoff_keys = r.payoff_keys;
    (ast, r.diags)
}

/// What a value is, for messages ("the payoff of `P` at outcome `o`"): a text, or a way to
/// make one. A big model has millions of values and few mistakes, so the hot paths pass a
/// closure ([`Lazy`]) and the text is made only for a message.
trait What {
    /// The description.
    fn what(&self) -> String;
}

impl What for str {
    fn what(&self) -> String {
        self.to_string()
    }
}

impl What for String {
    fn what(&self) -> String {
        self.clone()
    }
}

impl<F: Fn() -> String> What for F {
    fn what(&self) -> String {
        self()
    }
}

/// A description made only when printed or asked for.
struct Lazy<F>(F);

impl<F: Fn() -> String> What for Lazy<F> {
    fn what(&self) -> String {
        (self.0)()
    }
}

impl<F: Fn() -> String> std::fmt::Display for Lazy<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&(self.0)())
    }
}

/// The formula text of a TOML number literal: what `format!("{}", value)` gives, taken from
/// the literal itself when it is already in that form (`3.47`, `12`, not `0.50` or `1e3`),
/// which most numbers of a big model are. Up to 15 digits, a decimal is the shortest text of
/// its double, so the two agree.
fn number_text(literal: &str, value: f64) -> Name {
    if canonical(literal) {
        Name::from(literal)
    } else {
        Name::from(format!("{value}"))
    }
}

/// Whether a number literal is already what `format!("{}", value)` gives (see [`number_text`]).
fn canonical(literal: &str) -> bool {
    let (int, frac) = match literal.split_once('.') {
        Some((i, f)) => (i.as_bytes(), Some(f.as_bytes())),
        None => (literal.as_bytes(), None),
    };
    !int.is_empty()
        && int.len() + frac.map_or(0, <[u8]>::len) <= 15
        && int.iter().all(u8::is_ascii_digit)
        && (int == b"0" || int[0] != b'0')
        && frac.is_none_or(|f| {
            !f.is_empty() && f.iter().all(u8::is_ascii_digit) && f.last() != Some(&b'0')
        })
}

struct Reader<'t> {
    text: &'t str,
    diags: Vec<Diagnostic>,
    /// The distinct keys of `payoffs` tables ([`ModelAst::payoff_keys`]), and their ids once
    /// there are more than a few.
    payoff_keys: Vec<Name>,
    key_ids: std::collections::HashMap<Name, u32>,
}

/// Payoff keys looked up by a scan before the hash table is used.
const FEW_KEYS: usize = 8;

/// The `node = value` entries of a counterfactual's table, where a dotted key
/// (`crisis.defender = …`, read by TOML as a nested table) names that node of a subtree.
fn node_entries<'a>(t: Table<'a>) -> Vec<(Sp<String>, V<'a>)> {
    let mut out = Vec::new();
    for (nk, nv) in t.iter() {
        match nv.get() {
            Val::Table(inner) => {
                for (ik, iv) in inner.iter() {
                    let name = format!("{}.{}", nk.as_str(), ik.as_str());
                    out.push((Sp::new(name, nk.span().start..ik.span().end), iv));
                }
            }
            _ => out.push((key_sp(nk), nv)),
        }
    }
    out
}

/// `t[key]` (small tables are scanned, big ones looked up in the document's index).
fn get<'a>(t: Table<'a>, key: &str) -> Option<V<'a>> {
    t.get(key)
}

fn key_sp(k: Key<'_>) -> Sp<String> {
    Sp::new(k.as_str().to_string(), k.span())
}

fn name_sp(k: Key<'_>) -> Sp<Name> {
    Sp::new(Name::from(k.as_str()), k.span())
}

impl<'t> Reader<'t> {
    fn err(&mut self, span: Range<usize>, msg: impl Into<String>) -> &mut Diagnostic {
        self.diags.push(Diagnostic::error(span, msg));
        // Just pushed, so `last_mut` exists.
        self.diags.last_mut().expect("just pushed")
    }

    fn wrong_type(&mut self, v: V<'_>, what: &(impl What + ?Sized), want: &str) {
        let got = v.get().type_name();
        let what = what.what();
        self.err(v.span(), format!("{what} must be {want}, not {got}"))
            .label = Some(got.to_string());
    }

    /// Reports keys of `t` not in `allowed`.
    fn keys(&mut self, t: Table<'_>, allowed: &[&str], context: &(impl What + ?Sized)) {
        for (k, _) in t.iter() {
            if !allowed.contains(&k.as_str()) {
                self.unknown_key(k, allowed, context);
            }
        }
    }

    /// The values of `t` under the keys `allowed` (the first of each), in one pass over the
    /// table; every other key is reported as [`keys`](Self::keys) reports it. The tables of
    /// nodes, moves and outcomes are read this way: a big model has millions.
    fn fields<'a, const N: usize>(
        &mut self,
        t: Table<'a>,
        allowed: &[&str; N],
        context: &(impl What + ?Sized),
    ) -> [Option<V<'a>>; N] {
        let mut out = [None; N];
        for (k, v) in t.iter() {
            match allowed.iter().position(|a| *a == k.as_str()) {
                Some(i) => {
                    out[i].get_or_insert(v);
                }
                None => self.unknown_key(k, allowed, context),
            }
        }
        out
    }

    fn unknown_key(&mut self, k: Key<'_>, allowed: &[&str], context: &(impl What + ?Sized)) {
        let context = context.what();
        let hint = did_you_mean(k.as_str(), allowed.iter().copied())
            .unwrap_or_else(|| format!("known keys here: {}", allowed.join(", ")));
        let d = Diagnostic::error(
            k.span(),
            format!("unknown key `{}` in {context}", k.as_str()),
        )
        .with_label("unknown key")
        .with_hint(hint);
        self.diags.push(d);
    }

    fn table<'a>(&mut self, v: V<'a>, what: &(impl What + ?Sized)) -> Option<Table<'a>> {
        match v.get() {
            Val::Table(t) => Some(t),
            _ => {
                self.wrong_type(v, what, "a table");
                None
            }
        }
    }

    fn string(&mut self, v: V<'_>, what: &(impl What + ?Sized)) -> Option<Sp<String>> {
        match v.get() {
            Val::String(s) => Some(Sp::new(s.to_string(), v.span())),
            _ => {
                self.wrong_type(v, what, "a string");
                None
            }
        }
    }

    /// A string kept as a [`Name`] (node, move and outcome names: no allocation when short).
    fn name(&mut self, v: V<'_>, what: &(impl What + ?Sized)) -> Option<Sp<Name>> {
        match v.get() {
            Val::String(s) => Some(Sp::new(Name::from(s), v.span())),
            _ => {
                self.wrong_type(v, what, "a string");
                None
            }
        }
    }

    fn string_list(&mut self, v: V<'_>, what: &(impl What + ?Sized)) -> Vec<Sp<String>> {
        match v.get() {
            Val::Array(a) => a
                .iter()
                .filter_map(|x| self.string(x, &|| format!("each entry of {}", what.what())))
                .collect(),
            Val::String(s) => vec![Sp::new(s.to_string(), v.span())],
            _ => {
                self.wrong_type(v, what, "an array of strings");
                Vec::new()
            }
        }
    }

    fn number(&mut self, v: V<'_>, what: &(impl What + ?Sized)) -> Option<Sp<f64>> {
        let parsed = match v.get() {
            Val::Integer(i) if i.radix() == 10 && !i.as_str().contains('_') => {
                i.as_str().parse::<i64>().ok().map(|x| x as f64)
            }
            Val::Integer(i) => {
                let s = i.as_str().replace('_', "");
                i64::from_str_radix(
                    s.trim_start_matches("0x")
                        .trim_start_matches("0o")
                        .trim_start_matches("0b"),
                    i.radix(),
                )
                .ok()
                .map(|x| x as f64)
            }
            Val::Float(f) if !f.as_str().contains('_') => f.as_str().parse::<f64>().ok(),
            Val::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
            // A fraction in quotes (`"2/3"`), kept exact by `exact_point`.
            Val::String(s) if crate::exact::parse_fraction(s).is_some() => {
                crate::exact::parse_fraction(s).map(|q| crate::exact::to_f64(&q))
            }
            _ => {
                self.wrong_type(v, what, "a number (or a fraction in quotes, e.g. \"2/3\")");
                return None;
            }
        };
        match parsed {
            Some(x) if x.is_finite() => Some(Sp::new(x, v.span())),
            _ => {
                let what = what.what();
                self.err(v.span(), format!("{what} must be a finite number"));
                None
            }
        }
    }

    /// A formula: a string, or a number (whose literal becomes the formula text).
    fn formula(&mut self, v: V<'_>, what: &(impl What + ?Sized)) -> Option<FormulaSrc> {
        let span = v.span();
        match v.get() {
            Val::String(s) => {
                let raw = self.text.get(span.clone()).unwrap_or("");
                let verbatim = raw.len() == s.len() + 2
                    && (raw.starts_with('"') || raw.starts_with('\''))
                    && &raw[1..raw.len() - 1] == s;
                Some(FormulaSrc {
                    text: Name::from(s),
                    base: verbatim.then_some(span.start + 1),
                    span,
                    args: None,
                })
            }
            Val::Integer(_) | Val::Float(_) => {
                let n = self.number(v, what)?;
                let literal = match v.get() {
                    Val::Integer(i) if i.radix() == 10 => i.as_str(),
                    Val::Float(f) => f.as_str(),
                    _ => "",
                };
                Some(FormulaSrc {
                    text: number_text(literal, n.v),
                    base: None,
                    span,
                    args: None,
                })
            }
            _ => {
                self.wrong_type(
                    v,
                    what,
                    "a formula (a string such as \"c_D - a\", or a number)",
                );
                None
            }
        }
    }

    /// A payoff formula: a number whose formula text is a plain decimal is kept as its value
    /// (the text is then the value's shortest decimal, as [`number_text`] makes it).
    fn payoff(&mut self, v: V<'_>, what: &(impl What + ?Sized)) -> Option<PayoffSrc> {
        let literal = match v.get() {
            Val::Integer(i) if i.radix() == 10 => i.as_str(),
            Val::Float(f) => f.as_str(),
            Val::Integer(_) => "",
            _ => return Some(PayoffSrc::Formula(Box::new(self.formula(v, what)?))),
        };
        let n = self.number(v, what)?;
        let plain = canonical(literal) || {
            let text = format!("{}", n.v);
            text != "."
                && text.bytes().filter(|&c| c == b'.').count() <= 1
                && text.bytes().all(|c| c.is_ascii_digit() || c == b'.')
        };
        Some(if plain {
            PayoffSrc::Number {
                value: n.v,
                span: Span::from(n.span),
            }
        } else {
            PayoffSrc::Formula(Box::new(FormulaSrc {
                text: number_text(literal, n.v),
                base: None,
                span: n.span,
                args: None,
            }))
        })
    }

    /// The id of a payoff key in [`ModelAst::payoff_keys`].
    fn payoff_key(&mut self, k: &str) -> u32 {
        if self.payoff_keys.len() <= FEW_KEYS {
            if let Some(i) = self.payoff_keys.iter().position(|x| x == k) {
                return i as u32;
            }
        } else if let Some(&i) = self.key_ids.get(k) {
            return i;
        }
        let id = self.payoff_keys.len() as u32;
        self.payoff_keys.push(Name::from(k));
        if self.payoff_keys.len() > FEW_KEYS {
            if self.key_ids.is_empty() {
                for (i, x) in self.payoff_keys.iter().enumerate() {
                    self.key_ids.insert(x.clone(), i as u32);
                }
            } else {
                self.key_ids.insert(Name::from(k), id);
            }
        }
        id
    }

    fn param(&mut self, k: Key<'_>, v: V<'_>) -> Option<ParamDef> {
        let name = key_sp(k);
        let what = format!("parameter `{}`", name.v);
        // `T = 0.3` is shorthand for `T = { value = 0.3 }`.
        let t = match v.get() {
            Val::Table(t) => t,
            Val::Integer(_) | Val::Float(_) => {
                let value = self.number(v, &what)?;
                return Some(ParamDef {
                    name,
                    value,
                    range: None,
                    about: String::new(),
                });
            }
            _ => {
                self.wrong_type(
                    v,
                    &what,
                    "a table such as `{ value = 0.3, range = [0, 1] }`",
                );
                return None;
            }
        };
        self.keys(t, &["value", "range", "about"], &what);
        let value = match get(t, "value") {
            Some(x) => self.number(x, &format!("the value of {what}"))?,
            None => {
                self.err(v.span(), format!("{what} has no `value`"))
                    .hints
                    .push("give its default, e.g. `{ value = 0.5 }`".into());
                return None;
            }
        };
        let range = get(t, "range").and_then(|r| self.range(r, &what));
        let about = t
            .get("about")
            .and_then(|a| self.string(a, "about"))
            .map(|s| s.v)
            .unwrap_or_default();
        Some(ParamDef {
            name,
            value,
            range,
            about,
        })
    }

    fn range(&mut self, r: V<'_>, what: &str) -> Option<Sp<(f64, f64)>> {
        let Val::Array(a) = r.get() else {
            self.wrong_type(r, &format!("the range of {what}"), "an array `[lo, hi]`");
            return None;
        };
        if a.len() != 2 {
            self.err(
                r.span(),
                format!("the range of {what} must have two numbers `[lo, hi]`"),
            );
            return None;
        }
        // Two elements, checked above.
        let (Some(lo), Some(hi)) = (a.get(0), a.get(1)) else {
            return None;
        };
        let lo = self.number(lo, "a range bound")?;
        let hi = self.number(hi, "a range bound")?;
        if lo.v > hi.v {
            self.err(
                r.span(),
                format!("the range of {what} is empty: {} > {}", lo.v, hi.v),
            )
            .hints
            .push("write the smaller bound first".into());
            return None;
        }
        Some(Sp::new((lo.v, hi.v), r.span()))
    }

    fn scenario(&mut self, k: Key<'_>, v: V<'_>) -> Option<ScenarioDef> {
        let name = key_sp(k);
        let t = self.table(v, &format!("scenario `{}`", name.v))?;
        let mut sc = ScenarioDef {
            name,
            about: String::new(),
            values: Vec::new(),
        };
        for (pk, pv) in t.iter() {
            if pk.as_str() == "about" {
                sc.about = self.string(pv, "about").map(|s| s.v).unwrap_or_default();
            } else if let Some(x) = self.number(
                pv,
                &format!("`{}` in scenario `{}`", pk.as_str(), sc.name.v),
            ) {
                sc.values.push((key_sp(pk), x));
            }
        }
        Some(sc)
    }

    /// The entries of a `nodes` table: decision and chance nodes, and uses of subtrees.
    fn nodes(
        &mut self,
        t: Table<'_>,
        nodes: &mut Vec<NodeDef>,
        uses: &mut Vec<UseDef>,
        broken: &mut Vec<String>,
    ) {
        nodes.reserve_exact(t.len());
        for (k, v) in t.iter() {
            let is_use = matches!(v.get(), Val::Table(x) if get(x, "subtree").is_some());
            let ok = if is_use {
                self.use_def(k, v).map(|u| uses.push(u)).is_some()
            } else {
                self.node(k, v).map(|n| nodes.push(n)).is_some()
            };
            if !ok {
                broken.push(k.as_str().to_string());
            }
        }
    }

    /// The entries of an `outcomes` table.
    fn outcomes(&mut self, t: Table<'_>, out: &mut Vec<OutcomeDef>, broken: &mut Vec<String>) {
        out.reserve_exact(t.len());
        for (k, v) in t.iter() {
            match self.outcome(k, v) {
                Some(o) => out.push(o),
                None => broken.push(k.as_str().to_string()),
            }
        }
    }

    /// `[subtrees.NAME]`: `args`, `root`, and its own `nodes` and `outcomes`.
    fn subtree(&mut self, k: Key<'_>, v: V<'_>, broken: &mut Vec<String>) -> Option<SubtreeDef> {
        let name = key_sp(k);
        let what = format!("subtree `{}`", name.v);
        let t = self.table(v, &what)?;
        self.keys(t, &["args", "root", "nodes", "outcomes", "about"], &what);
        let mut st = SubtreeDef {
            name,
            args: Vec::new(),
            root: None,
            nodes: Vec::new(),
            outcomes: Vec::new(),
            uses: Vec::new(),
            span: v.span(),
        };
        if let Some(a) = get(t, "args") {
            st.args = self.string_list(a, &format!("the args of {what}"));
        }
        match get(t, "root") {
            Some(r) => st.root = self.string(r, "root"),
            None => {
                self.err(st.name.span.clone(), format!("{what} has no `root`"))
                    .hints
                    .push("name its first node: `root = \"…\"`".into());
            }
        }
        if let Some(n) = get(t, "nodes").and_then(|x| self.table(x, "nodes")) {
            self.nodes(n, &mut st.nodes, &mut st.uses, broken);
        }
        if let Some(o) = get(t, "outcomes").and_then(|x| self.table(x, "outcomes")) {
            self.outcomes(o, &mut st.outcomes, broken);
        }
        Some(st)
    }

    /// A node that uses a subtree: `subtree = "NAME"`, `args = { name = "formula", … }`.
    fn use_def(&mut self, k: Key<'_>, v: V<'_>) -> Option<UseDef> {
        let name = key_sp(k);
        let what = format!("node `{}`", name.v);
        let t = self.table(v, &what)?;
        self.keys(t, &["subtree", "args", "about"], &what);
        let subtree = self.string(get(t, "subtree")?, "subtree")?;
        let mut args = Vec::new();
        if let Some(a) = get(t, "args") {
            if let Some(at) = self.table(a, &format!("the args of {what}")) {
                for (ak, av) in at.iter() {
                    let w = format!("argument `{}` of {what}", ak.as_str());
                    if let Some(f) = self.formula(av, &w) {
                        args.push((key_sp(ak), f));
                    }
                }
            }
        }
        Some(UseDef {
            name,
            subtree,
            args,
            span: v.span(),
        })
    }

    fn node(&mut self, k: Key<'_>, v: V<'_>) -> Option<NodeDef> {
        let name = name_sp(k);
        let key: &str = k.as_str();
        let what = Lazy(|| format!("node `{key}`"));
        let t = self.table(v, &what)?;
        let [player_v, moves_v, chance, infoset_v, _] =
            self.fields(t, &["player", "moves", "chance", "infoset", "about"], &what);
        let (mover, mv) = match (player_v, chance, moves_v) {
            (Some(p), None, Some(m)) => {
                let player = self.name(p, "player")?;
                let infoset = infoset_v.and_then(|i| self.name(i, "infoset"));
                (Mover::Player { player, infoset }, m)
            }
            (None, Some(c), None) => {
                if infoset_v.is_some() {
                    self.err(
                        v.span(),
                        format!("{what}: a chance node has no information set"),
                    );
                }
                (Mover::Chance, c)
            }
            (Some(_), Some(c), _) => {
                self.err(c.span(), format!("{what} has both `player` and `chance`"))
                    .hints
                    .push(
                        "a decision node has `player` and `moves`; a chance node has only `chance`"
                            .into(),
                    );
                return None;
            }
            (None, None, Some(m)) => {
                self.err(m.span(), format!("{what} has `moves` but no `player`"))
                    .hints
                    .push(
                        "add `player = \"…\"`, or write `chance = { … }` for a move by nature"
                            .into(),
                    );
                return None;
            }
            (Some(p), None, None) => {
                self.err(p.span(), format!("{what} has no moves"))
                    .hints
                    .push("add `moves = { move = \"next_node\", … }`".into());
                return None;
            }
            _ => {
                self.err(
                    k.span(),
                    format!("{what} has neither `player` and `moves` nor `chance`"),
                );
                return None;
            }
        };
        let is_chance = matches!(mover, Mover::Chance);
        let Some(mt) = self.table(mv, &|| format!("the moves of {what}")) else {
            if let Some(d) = self.diags.last_mut() {
                d.hints.push(if is_chance {
                    "chance moves are a table from each move's label to where it leads and its \
                     probability: `chance = { hard = { to = \"h\", prob = \"p\" }, … }`"
                        .into()
                } else {
                    "moves are a table from each move's label to where it leads: \
                     `moves = { fight = \"war\", yield = \"peace\" }`"
                        .into()
                });
            }
            return None;
        };
        let mut moves = Vec::with_capacity(mt.len());
        for (mk, mvv) in mt.iter() {
            moves.extend(self.move_def(mk, mvv, &what, is_chance));
        }
        Some(NodeDef {
            name,
            mover,
            moves,
            moves_span: mv.span(),
        })
    }

    fn move_def(
        &mut self,
        k: Key<'_>,
        v: V<'_>,
        node: &impl std::fmt::Display,
        chance: bool,
    ) -> Option<MoveDef> {
        let label = Sp {
            v: Name::from(k.as_str()),
            span: Span::from(k.span()),
        };
        let key: &str = k.as_str();
        let what = Lazy(|| format!("move `{key}` of {node}"));
        match v.get() {
            Val::String(s) if !chance => Some(MoveDef {
                label,
                to: Sp {
                    v: Name::from(s),
                    span: Span::from(v.span()),
                },
                extra: None,
            }),
            Val::Table(t) => {
                let (to_v, prob_v, say_v) = if chance {
                    let [to, prob, say] = self.fields(t, &["to", "prob", "say"], &what);
                    (to, prob, say)
                } else {
                    let [to, say] = self.fields(t, &["to", "say"], &what);
                    (to, None, say)
                };
                let to = match to_v {
                    Some(x) => self.name(x, "to")?,
                    None => {
                        self.err(v.span(), format!("{what} has no `to`"))
                            .hints
                            .push("name the node or outcome it leads to: `to = \"…\"`".into());
                        return None;
                    }
                };
                let say = say_v.and_then(|x| self.string(x, "say")).map(|s| s.v);
                let prob = if chance {
                    match prob_v {
                        Some(x) => Some(self.formula(x, &|| format!("the probability of {what}"))?),
                        None => {
                            self.err(v.span(), format!("chance {what} has no `prob`"));
                            return None;
                        }
                    }
                } else {
                    None
                };
                Some(MoveDef {
                    label,
                    to: Sp {
                        v: to.v,
                        span: Span::from(to.span),
                    },
                    extra: (say.is_some() || prob.is_some())
                        .then(|| Box::new(MoveExtra { say, prob })),
                })
            }
            _ if chance => {
                self.wrong_type(v, &what, "a table `{ to = \"…\", prob = \"…\" }`");
                None
            }
            _ => {
                self.wrong_type(
                    v,
                    &what,
                    "a node name, or a table `{ to = \"…\", say = \"…\" }`",
                );
                None
            }
        }
    }

    fn outcome(&mut self, k: Key<'_>, v: V<'_>) -> Option<OutcomeDef> {
        let name = name_sp(k);
        let key: &str = k.as_str();
        let what = Lazy(|| format!("outcome `{key}`"));
        let t = self.table(v, &what)?;
        let [payoffs_v, events_v, about_v] = self.fields(t, &["payoffs", "events", "about"], &what);
        let mut payoffs = Vec::new();
        let mut payoffs_span = v.span();
        match payoffs_v {
            Some(p) => {
                payoffs_span = p.span();
                if let Some(pt) = self.table(p, &|| format!("the payoffs of {what}")) {
                    payoffs.reserve_exact(pt.len());
                    let mut unreadable = false;
                    for (pk, pv) in pt.iter() {
                        let player: &str = pk.as_str();
                        let whose = Lazy(|| format!("the payoff of `{player}` at {what}"));
                        let pay = if let Val::Table(by_type) = pv.get() {
                            // `Player = { type = "formula", … }`: one formula per type.
                            let mut entries = Vec::new();
                            for (tk, tv) in by_type.iter() {
                                let w = format!("{whose} for type `{}`", tk.as_str());
                                match self.formula(tv, &w) {
                                    Some(f) => entries.push((key_sp(tk), f)),
                                    None => unreadable = true,
                                }
                            }
                            Some(PayoffSrc::ByType(Box::new(ByType {
                                entries,
                                span: pv.span(),
                            })))
                        } else {
                            let p = self.payoff(pv, &whose);
                            unreadable |= p.is_none();
                            p
                        };
                        if let Some(pay) = pay {
                            payoffs.push(PayoffEntry {
                                key: self.payoff_key(player),
                                key_span: Span::from(pk.span()),
                                pay,
                            });
                        }
                    }
                    // A payoff that could not be read is reported once, here; the outcome is
                    // then left out (as `broken`) rather than reported again as missing it.
                    if unreadable {
                        return None;
                    }
                }
            }
            None => {
                self.err(name.span.clone(), format!("{what} has no `payoffs`"))
                    .hints
                    .push("add `payoffs = { Player = \"formula\", … }`".into());
            }
        }
        let mut out = OutcomeDef {
            name,
            payoffs: payoffs.into_boxed_slice(),
            payoffs_span: Span::from(payoffs_span),
            events: Box::default(),
            about: Box::default(),
        };
        if let Some(e) = events_v {
            out.events = self.string_list(e, "events").into_boxed_slice();
        }
        if let Some(a) = about_v {
            out.about = self
                .string(a, "about")
                .map(|s| s.v)
                .unwrap_or_default()
                .into_boxed_str();
        }
        Some(out)
    }

    /// `[types.PLAYER]`: a table of types (each a prior formula or a table), or an array of
    /// type names (for a joint `[prior]`).
    fn player_types(&mut self, k: Key<'_>, v: V<'_>) -> Option<PlayerTypes> {
        let player = key_sp(k);
        let what = format!("the types of `{}`", player.v);
        let mut out = PlayerTypes {
            player,
            types: Vec::new(),
            span: v.span(),
        };
        match v.get() {
            Val::Array(a) => {
                for x in a.iter() {
                    if let Some(name) = self.string(x, &format!("each entry of {what}")) {
                        out.types.push(TypeDef {
                            span: name.span.clone(),
                            name,
                            prob: None,
                            lets: Vec::new(),
                            say: None,
                        });
                    }
                }
            }
            Val::Table(t) => {
                for (tk, tv) in t.iter() {
                    out.types.extend(self.type_def(tk, tv, &out.player.v));
                }
            }
            _ => {
                self.wrong_type(
                    v,
                    &what,
                    "a table such as `{ hard = \"p\", soft = \"1 - p\" }`, or an array of type names",
                );
                return None;
            }
        }
        Some(out)
    }

    fn type_def(&mut self, k: Key<'_>, v: V<'_>, player: &str) -> Option<TypeDef> {
        let name = key_sp(k);
        let what = format!("type `{}` of `{player}`", name.v);
        let mut out = TypeDef {
            name,
            prob: None,
            lets: Vec::new(),
            say: None,
            span: v.span(),
        };
        let t = match v.get() {
            Val::Table(t) => t,
            Val::String(_) | Val::Integer(_) | Val::Float(_) => {
                // `hard = "p_Ch"`: the prior probability only.
                out.prob = Some(self.formula(v, &format!("the prior probability of {what}"))?);
                return Some(out);
            }
            _ => {
                self.wrong_type(
                    v,
                    &what,
                    "a prior probability, or a table `{ prob = \"…\", let = { … } }`",
                );
                return None;
            }
        };
        self.keys(t, &["prob", "let", "say"], &what);
        if let Some(p) = get(t, "prob") {
            out.prob = self.formula(p, &format!("the prior probability of {what}"));
        }
        if let Some(s) = get(t, "say") {
            out.say = self.string(s, "say").map(|s| s.v);
        }
        if let Some(l) = get(t, "let") {
            if let Some(lt) = self.table(l, &format!("`let` of {what}")) {
                for (nk, nv) in lt.iter() {
                    let w = format!("the value of `{}` for {what}", nk.as_str());
                    if let Some(f) = self.formula(nv, &w) {
                        out.lets.push((key_sp(nk), f));
                    }
                }
            }
        }
        Some(out)
    }

    fn counterfactual(&mut self, v: V<'_>, what: &str) -> Counterfactual {
        let mut cf = Counterfactual::default();
        let Some(t) = self.table(v, what) else {
            return cf;
        };
        self.keys(t, &["force", "remove", "set"], what);
        if let Some(f) = get(t, "force").and_then(|f| self.table(f, "force")) {
            for (node, mv) in node_entries(f) {
                if let Some(m) = self.string(mv, "a forced move") {
                    cf.force.push((node, m));
                }
            }
        }
        if let Some(r) = get(t, "remove").and_then(|r| self.table(r, "remove")) {
            for (node, mv) in node_entries(r) {
                let moves = self.string_list(mv, "removed moves");
                cf.remove.push((node, moves));
            }
        }
        if let Some(s) = get(t, "set").and_then(|s| self.table(s, "set")) {
            for (k, x) in s.iter() {
                let w = format!("the value of `{}` in `set`", k.as_str());
                if let Some(x) = self.number(x, &w) {
                    let raw = self.text.get(x.span.clone()).unwrap_or("");
                    let q = crate::exact::parse_fraction(raw.trim().trim_matches(['"', '\'']))
                        .filter(|q| crate::exact::to_f64(q) == x.v)
                        .or_else(|| crate::exact::from_f64(x.v))
                        .unwrap_or_default();
                    cf.set.push((key_sp(k), x, q));
                }
            }
        }
        cf
    }

    fn question(&mut self, k: Key<'_>, v: V<'_>) -> Option<QuestionDef> {
        let name = key_sp(k);
        let what = format!("question `{}`", name.v);
        let t = self.table(v, &what)?;
        self.keys(
            t,
            &[
                "ask",
                "subject",
                "event",
                "treatment",
                "control",
                "lower",
                "higher",
                "good",
                "vary",
            ],
            &what,
        );
        let s = |r: &mut Self, key: &str| t.get(key).and_then(|x| r.string(x, key)).map(|s| s.v);
        let ask = s(self, "ask").unwrap_or_else(|| name.v.clone());
        let subject = s(self, "subject").unwrap_or_else(|| "the treatment".into());
        let lower = s(self, "lower").unwrap_or_else(|| "deters".into());
        let higher = s(self, "higher").unwrap_or_else(|| "provokes".into());
        let event = match get(t, "event") {
            Some(e) => self.string(e, "event")?,
            None => {
                self.err(name.span.clone(), format!("{what} has no `event`"))
                    .hints
                    .push("name the event tag whose probability is compared, e.g. `event = \"challenge\"`".into());
                return None;
            }
        };
        let treatment = t
            .get("treatment")
            .map(|x| self.counterfactual(x, "treatment"))
            .unwrap_or_default();
        let control = t
            .get("control")
            .map(|x| self.counterfactual(x, "control"))
            .unwrap_or_default();
        let vary = t
            .get("vary")
            .map(|x| self.string_list(x, "vary"))
            .unwrap_or_default();
        let good = get(t, "good").and_then(|x| self.string(x, "good"));
        if let Some(g) = good.as_ref().filter(|g| g.v != "lower" && g.v != "higher") {
            self.err(
                g.span.clone(),
                format!("`good` is `{}`; it must be \"lower\" or \"higher\"", g.v),
            )
            .hints
            .push(format!(
                "`good = \"lower\"` when a lower probability of the event is the desirable \
                 answer (`{lower}`), `good = \"higher\"` when a higher one is (`{higher}`)"
            ));
        }
        Some(QuestionDef {
            name,
            ask,
            subject,
            event,
            treatment,
            control,
            lower,
            higher,
            good,
            vary,
        })
    }
}
