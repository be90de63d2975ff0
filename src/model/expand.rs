//! Subtrees: a part of the tree written once and used at several places.
//!
//! Models repeat themselves: the hedging game plays the same crisis after the protégé aligns
//! and after it hedges, with payoffs that differ only in a few terms. A `[subtrees.NAME]`
//! table writes such a part once, with `args` standing for what differs; a node
//! `{ subtree = "NAME", args = { … } }` uses it. [`expand`] copies every use into ordinary
//! nodes and outcomes before the model is checked, so everything after reading — checks,
//! types, counterfactuals, the tree builder — sees a plain model.
//!
//! A copy of the subtree's `defender` in the use `h` is named `defender_h` (nested uses add
//! their own name: `defender_inner_h`). Copied nodes and outcomes keep the spans of the
//! subtree's text, so an error inside a subtree points at the line where it is written; the
//! formulas carry the use's arguments ([`FormulaSrc::args`]), substituted when they are
//! parsed. Information-set names are not renamed: two uses whose nodes name the same
//! information set are one information set (a move the next player does not see).

use super::ast::*;
use crate::diag::{did_you_mean, Diagnostic};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Most nodes and outcomes the copies may create (uses inside uses multiply).
const MAX_COPIED: usize = 1_000_000;
/// Deepest nesting of uses.
const MAX_DEPTH: usize = 32;

/// Replaces every use of a subtree in `ast` by copies of the subtree's nodes and outcomes,
/// records the copies in `ast.instances`, and redirects moves (and the root) that lead to a
/// use to the copy of its root. Problems are added to `d`; a use that cannot be expanded is
/// recorded in `ast.broken`, so moves into it are not reported again.
pub fn expand(ast: &mut ModelAst, d: &mut Vec<Diagnostic>) {
    if ast.subtrees.is_empty() && ast.uses.is_empty() {
        return;
    }
    let mut seen = HashSet::new();
    for st in &ast.subtrees {
        if !seen.insert(st.name.v.clone()) {
            d.push(
                Diagnostic::error(
                    st.name.span.clone(),
                    format!("subtree `{}` is declared twice", st.name.v),
                )
                .with_label("second declaration"),
            );
        }
    }
    let subtrees = std::mem::take(&mut ast.subtrees);
    let uses = std::mem::take(&mut ast.uses);
    let mut x = Expander {
        subtrees: &subtrees,
        taken: ast
            .nodes
            .iter()
            .map(|n| n.name.v.to_string())
            .chain(ast.outcomes.iter().map(|o| o.name.v.to_string()))
            .chain(uses.iter().map(|u| u.name.v.clone()))
            .collect(),
        nodes: Vec::new(),
        outcomes: Vec::new(),
        instances: Vec::new(),
        broken: Vec::new(),
        copied: 0,
        d,
    };
    let mut roots: HashMap<String, String> = HashMap::new();
    for u in &uses {
        match x.instantiate(u, &u.name.v, None, &mut Vec::new()) {
            Some(root) => {
                roots.insert(u.name.v.clone(), root);
            }
            None => x.broken.push(u.name.v.clone()),
        }
    }
    for n in &mut ast.nodes {
        for m in &mut n.moves {
            if let Some(r) = roots.get(m.to.v.as_str()) {
                m.to.v = Name::from(r);
            }
        }
    }
    if let Some(r) = &mut ast.root {
        if let Some(to) = roots.get(&r.v) {
            r.v = to.clone();
        }
    }
    let over = x.copied > MAX_COPIED;
    let Expander {
        mut nodes,
        mut outcomes,
        instances,
        broken,
        ..
    } = x;
    if over {
        // Refused: the partial copies would only make every later check slow and noisy.
        nodes.clear();
        outcomes.clear();
        ast.broken.extend(uses.iter().map(|u| u.name.v.clone()));
    }
    ast.nodes.extend(nodes);
    ast.outcomes.extend(outcomes);
    ast.instances = instances;
    ast.broken.extend(broken);
    ast.subtrees = subtrees;
    ast.uses = uses;
}

struct Expander<'a, 'd> {
    subtrees: &'a [SubtreeDef],
    /// Every name declared so far (written or copied): a copy must not reuse one.
    taken: HashSet<String>,
    nodes: Vec<NodeDef>,
    outcomes: Vec<OutcomeDef>,
    instances: Vec<Instance>,
    broken: Vec<String>,
    copied: usize,
    d: &'d mut Vec<Diagnostic>,
}

impl Expander<'_, '_> {
    /// Copies the subtree that `u` uses, naming the copies `LOCAL_suffix`; `outer` binds the
    /// arguments of the subtree that `u` is written in (if any). Returns the name of the copy
    /// of the subtree's root.
    fn instantiate(
        &mut self,
        u: &UseDef,
        suffix: &str,
        outer: Option<&Arc<Bindings>>,
        stack: &mut Vec<String>,
    ) -> Option<String> {
        if self.copied > MAX_COPIED {
            // Already refused (and said so) where the budget ran out.
            return None;
        }
        let Some(st) = self.subtrees.iter().find(|s| s.name.v == u.subtree.v) else {
            self.d.push(
                Diagnostic::error(
                    u.subtree.span.clone(),
                    format!("unknown subtree `{}`", u.subtree.v),
                )
                .with_label("not declared in [subtrees]")
                .with_hint_opt(did_you_mean(
                    &u.subtree.v,
                    self.subtrees.iter().map(|s| s.name.v.as_str()),
                )),
            );
            return None;
        };
        if stack.contains(&st.name.v) {
            self.d.push(
                Diagnostic::error(
                    u.subtree.span.clone(),
                    format!(
                        "subtree `{}` uses itself ({} → {})",
                        st.name.v,
                        stack.join(" → "),
                        st.name.v
                    ),
                )
                .with_label("a use inside its own subtree")
                .with_hint("a tree is finite: a subtree cannot contain itself"),
            );
            return None;
        }
        if stack.len() >= MAX_DEPTH {
            self.d.push(Diagnostic::error(
                u.span.clone(),
                format!("subtrees are nested more than {MAX_DEPTH} deep here"),
            ));
            return None;
        }
        let bindings = Arc::new(self.bindings(u, st, outer)?);
        stack.push(st.name.v.clone());
        let root = self.copy(st, suffix, &bindings, stack);
        stack.pop();
        root
    }

    /// The use's arguments, checked against the subtree's `args`.
    fn bindings(
        &mut self,
        u: &UseDef,
        st: &SubtreeDef,
        outer: Option<&Arc<Bindings>>,
    ) -> Option<Bindings> {
        let mut ok = true;
        for (a, _) in &u.args {
            if !st.args.iter().any(|x| x.v == a.v) {
                ok = false;
                self.d.push(
                    Diagnostic::error(
                        a.span.clone(),
                        format!("subtree `{}` has no argument `{}`", st.name.v, a.v),
                    )
                    .with_label("not in its `args`")
                    .with_hint_opt(did_you_mean(&a.v, st.args.iter().map(|x| x.v.as_str()))),
                );
            }
        }
        for a in &st.args {
            if !u.args.iter().any(|(x, _)| x.v == a.v) {
                ok = false;
                self.d.push(
                    Diagnostic::error(
                        u.name.span.clone(),
                        format!(
                            "node `{}` does not give argument `{}` of subtree `{}`",
                            u.name.v, a.v, st.name.v
                        ),
                    )
                    .with_label("in this use")
                    .with_hint(format!("add it: `args = {{ {} = \"…\", … }}`", a.v)),
                );
            }
        }
        ok.then(|| {
            u.args
                .iter()
                .map(|(a, f)| {
                    let mut f = f.clone();
                    f.args = outer.cloned();
                    (a.v.clone(), f)
                })
                .collect()
        })
    }

    /// Copies `st`'s nodes and outcomes under `suffix`; returns the copy of its root.
    fn copy(
        &mut self,
        st: &SubtreeDef,
        suffix: &str,
        bindings: &Arc<Bindings>,
        stack: &mut Vec<String>,
    ) -> Option<String> {
        let rename = |local: &str| format!("{local}_{suffix}");
        // Counted before the uses inside are copied, so a nest of uses that would multiply
        // past the budget stops at the first copy beyond it.
        let size = st.nodes.len() + st.outcomes.len() + st.uses.len();
        self.copied += size;
        if self.copied > MAX_COPIED {
            self.d.push(
                Diagnostic::error(
                    st.name.span.clone(),
                    format!(
                        "using subtree `{}` here makes the tree larger than {MAX_COPIED} \
                         nodes and outcomes",
                        st.name.v
                    ),
                )
                .with_hint("uses inside uses multiply: check the nesting of subtrees"),
            );
            return None;
        }
        // Uses inside the subtree first: moves to them lead to their roots.
        let mut local: HashMap<&str, String> = HashMap::new();
        for nu in &st.uses {
            let inner = rename(&nu.name.v);
            match self.instantiate(nu, &inner, Some(bindings), stack) {
                Some(root) => {
                    local.insert(&nu.name.v, root);
                }
                None => self.broken.push(inner),
            }
        }
        if self.copied > MAX_COPIED {
            return None;
        }
        for name in st
            .nodes
            .iter()
            .map(|n| &n.name)
            .chain(st.outcomes.iter().map(|o| &o.name))
        {
            let new = rename(&name.v);
            if !self.taken.insert(new.clone()) {
                self.d.push(
                    Diagnostic::error(
                        name.span.clone(),
                        format!(
                            "the copy of `{}` in use `{suffix}` of subtree `{}` would be named \
                             `{new}`, a name already taken",
                            name.v, st.name.v
                        ),
                    )
                    .with_hint("rename the use or the node it collides with"),
                );
                return None;
            }
            local.insert(&name.v, new);
        }
        let to = |m: &Sp<Name, Span>| Sp {
            v: local
                .get(m.v.as_str())
                .map_or_else(|| m.v.clone(), Name::from),
            span: m.span,
        };
        let mut names = Vec::with_capacity(size);
        for n in &st.nodes {
            let mut c = n.clone();
            c.name.v = Name::from(&local[n.name.v.as_str()]);
            for m in &mut c.moves {
                m.to = to(&m.to);
                if let Some(p) = m.extra.as_mut().and_then(|x| x.prob.as_mut()) {
                    p.args = Some(bindings.clone());
                }
            }
            names.push((n.name.v.to_string(), c.name.v.to_string()));
            self.nodes.push(c);
        }
        for o in &st.outcomes {
            let mut c = o.clone();
            c.name.v = Name::from(&local[o.name.v.as_str()]);
            for e in &mut c.payoffs {
                if let PayoffSrc::Number { .. } = e.pay {
                    // A number in a copy is read as a formula with the use's arguments.
                    let f = e.pay.formula().map(std::borrow::Cow::into_owned);
                    e.pay = PayoffSrc::Formula(Box::new(f.expect("a number is one formula")));
                }
                match &mut e.pay {
                    PayoffSrc::Number { .. } => {}
                    PayoffSrc::Formula(f) => f.args = Some(bindings.clone()),
                    PayoffSrc::ByType(b) => {
                        for (_, f) in &mut b.entries {
                            f.args = Some(bindings.clone());
                        }
                    }
                }
            }
            names.push((o.name.v.to_string(), c.name.v.to_string()));
            self.outcomes.push(c);
        }
        self.instances.push(Instance {
            subtree: st.name.v.clone(),
            name: suffix.to_string(),
            names,
        });
        let root = st.root.as_ref()?;
        match local.get(root.v.as_str()) {
            Some(r) => Some(r.clone()),
            None => {
                self.d.push(
                    Diagnostic::error(
                        root.span.clone(),
                        format!(
                            "the root `{}` of subtree `{}` is not one of its nodes",
                            root.v, st.name.v
                        ),
                    )
                    .with_hint_opt(did_you_mean(
                        &root.v,
                        st.nodes
                            .iter()
                            .map(|n| n.name.v.as_str())
                            .chain(st.outcomes.iter().map(|o| o.name.v.as_str())),
                    )),
                );
                None
            }
        }
    }
}
