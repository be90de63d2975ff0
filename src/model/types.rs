//! Private types: checking `[types]` and `[prior]`, and the type profiles a model expands into.
//!
//! A modeler writes the tree once and declares which players have private types, with their
//! prior probabilities and the names each type binds (`let = { c = "c_H" }`) or per-type payoff
//! tables. The model then stands for a larger game: nature first draws a type profile (one
//! chance node per typed player when types are independent, one chance node over the listed
//! profiles for a joint `[prior]`), and the written tree is copied once per profile. Each
//! player knows its own type and the moves it has observed, nothing else: a copy of a decision
//! node goes into the information set of its written node (or written `infoset`) *and* its
//! mover's type, so the copies that differ only in other players' types are indistinguishable
//! to the mover.
//!
//! This module checks the declarations (every mistake located) and answers the questions the
//! builder asks while copying: which profiles exist, what a name means in a profile, and how
//! copies and information sets are named.

use super::ast::{ModelAst, PayoffSrc, PlayerTypes, PriorEntry, Sp, TypeDef};
use super::template::Params;
use crate::diag::{did_you_mean, Diagnostic};
use std::collections::{HashMap, HashSet};

/// Names that cannot be bound (they are formula functions).
const RESERVED: &[&str] = &["min", "max", "abs", "exp", "ln", "sqrt", "if"];

/// The checked type declarations of a model.
#[derive(Debug, Default)]
pub(crate) struct TypeSpace<'a> {
    /// Typed players, in the order of `[types]`: (player index, declaration).
    pub players: Vec<(usize, &'a PlayerTypes)>,
    /// Type profiles: one type index per typed player. A single empty profile when no player
    /// has types.
    pub profiles: Vec<Vec<usize>>,
    /// The joint prior's entry for each profile; `None` for independent types.
    pub joint: Option<Vec<&'a PriorEntry>>,
    /// Bound name → position of the typed player whose types bind it.
    pub let_owner: HashMap<&'a str, usize>,
}

impl<'a> TypeSpace<'a> {
    /// True if some player has types.
    pub fn is_typed(&self) -> bool {
        !self.players.is_empty()
    }

    /// Position in [`Self::players`] of a player index, if that player has types.
    pub fn position(&self, player: usize) -> Option<usize> {
        self.players.iter().position(|(p, _)| *p == player)
    }

    /// The type (declaration) of `player` in profile `profile`, if the player has types.
    pub fn type_of(&self, profile: usize, player: usize) -> Option<&'a TypeDef> {
        let k = self.position(player)?;
        Some(&self.players[k].1.types[self.profiles[profile][k]])
    }

    /// Suffix naming a copy of the tree: `[hard,soft]` (types in `[types]` order), or empty.
    pub fn suffix(&self, profile: usize) -> String {
        if !self.is_typed() {
            return String::new();
        }
        let names: Vec<&str> = self
            .players
            .iter()
            .zip(&self.profiles[profile])
            .map(|((_, pt), &t)| pt.types[t].name.v.as_str())
            .collect();
        format!("[{}]", names.join(","))
    }

    /// Words for a profile: "Challenger hard, Defender soft" (empty without types).
    pub fn describe(&self, profile: usize) -> String {
        self.players
            .iter()
            .zip(&self.profiles[profile])
            .map(|((_, pt), &t)| format!("{} {}", pt.player.v, pt.types[t].name.v))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The phrase for nature's move drawing a profile of a joint prior.
    pub fn joint_phrase(&self, profile: usize) -> String {
        self.players
            .iter()
            .zip(&self.profiles[profile])
            .map(|((_, pt), &t)| phrase(&pt.player.v, &pt.types[t]))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The phrase for nature's move giving `player` type `t`: its `say`, or "Challenger is hard".
pub fn phrase(player: &str, t: &TypeDef) -> String {
    t.say
        .clone()
        .unwrap_or_else(|| format!("{player} is {}", t.name.v))
}

fn is_identifier(s: &str) -> bool {
    let mut c = s.chars();
    matches!(c.next(), Some(ch) if ch.is_ascii_alphabetic() || ch == '_')
        && c.all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
}

/// Checks `[types]` and `[prior]` and returns the type space (empty when there are no types).
pub(crate) fn check<'a>(
    ast: &'a ModelAst,
    players: &[String],
    params: &Params,
    d: &mut Vec<Diagnostic>,
) -> TypeSpace<'a> {
    let mut space = TypeSpace::default();
    for pt in &ast.types {
        let Some(p) = players.iter().position(|q| q == &pt.player.v) else {
            d.push(
                Diagnostic::error(
                    pt.player.span.clone(),
                    format!("types for unknown player `{}`", pt.player.v),
                )
                .with_label("not in `players`")
                .with_hint_opt(did_you_mean(
                    &pt.player.v,
                    players.iter().map(String::as_str),
                ))
                .with_hint(format!("the players are {}", players.join(", "))),
            );
            continue;
        };
        if check_type_names(pt, d) {
            space.players.push((p, pt));
        }
    }
    check_priors(ast, &space, d);
    check_lets(&mut space, params, d);
    check_payoff_tables(ast, players, &space, d);
    space.profiles = profiles(ast, &space, d);
    if let (Some((entries, _)), true) = (&ast.prior, space.is_typed()) {
        // `profiles` follows the prior's entries one to one when they are all valid.
        if space.profiles.len() == entries.len() {
            space.joint = Some(entries.iter().collect());
        }
    }
    space
}

/// Names of one player's types: at least one, identifiers, no repeats. False if unusable.
fn check_type_names(pt: &PlayerTypes, d: &mut Vec<Diagnostic>) -> bool {
    if pt.types.is_empty() {
        d.push(
            Diagnostic::error(pt.span.clone(), format!("`{}` has no types", pt.player.v))
                .with_hint("list its types, e.g. `hard = \"p\"` and `soft = \"1 - p\"`"),
        );
        return false;
    }
    let mut ok = true;
    let mut seen = HashSet::new();
    for t in &pt.types {
        if !is_identifier(&t.name.v) {
            d.push(
                Diagnostic::error(
                    t.name.span.clone(),
                    format!("type name `{}` is not a plain name", t.name.v),
                )
                .with_hint("use letters, digits and `_`, starting with a letter or `_`"),
            );
            ok = false;
        }
        if !seen.insert(t.name.v.as_str()) {
            d.push(Diagnostic::error(
                t.name.span.clone(),
                format!("`{}` has type `{}` twice", pt.player.v, t.name.v),
            ));
            ok = false;
        }
    }
    if pt.types.len() == 1 {
        d.push(
            Diagnostic::warning(
                pt.span.clone(),
                format!(
                    "`{}` has only one type, so it has no private information",
                    pt.player.v
                ),
            )
            .with_hint("add a second type, or remove the player's types"),
        );
    }
    ok
}

/// Independent priors on every type, or a joint `[prior]` and none on the types.
fn check_priors(ast: &ModelAst, space: &TypeSpace<'_>, d: &mut Vec<Diagnostic>) {
    match &ast.prior {
        Some((_, span)) if ast.types.is_empty() => d.push(
            Diagnostic::error(span.clone(), "`[prior]` without `[types]`")
                .with_hint("declare the players' types in `[types.PLAYER]`"),
        ),
        Some(_) => {
            for (_, pt) in &space.players {
                for t in &pt.types {
                    if let Some(f) = &t.prob {
                        d.push(
                            Diagnostic::error(
                                f.span.clone(),
                                format!(
                                    "type `{}` of `{}` has its own prior probability, but `[prior]` gives a joint one",
                                    t.name.v, pt.player.v
                                ),
                            )
                            .with_hint("give the probability of each type profile in `[prior]` only"),
                        );
                    }
                }
            }
        }
        None => {
            for (_, pt) in &space.players {
                for t in &pt.types {
                    if t.prob.is_none() {
                        d.push(
                            Diagnostic::error(
                                t.name.span.clone(),
                                format!(
                                    "type `{}` of `{}` has no prior probability",
                                    t.name.v, pt.player.v
                                ),
                            )
                            .with_hint(format!(
                                "write `{} = \"…\"` or `{} = {{ prob = \"…\" }}`, or give a joint `[prior]`",
                                t.name.v, t.name.v
                            )),
                        );
                    }
                }
            }
        }
    }
}

/// Names bound by `let`: plain, new, owned by one player, and bound by every type of it.
fn check_lets<'a>(space: &mut TypeSpace<'a>, params: &Params, d: &mut Vec<Diagnostic>) {
    for (k, (_, pt)) in space.players.iter().enumerate() {
        let mut names: Vec<&'a Sp<String>> = Vec::new();
        for t in &pt.types {
            for (n, _) in &t.lets {
                if !names.iter().any(|m| m.v == n.v) {
                    names.push(n);
                }
            }
        }
        for n in names {
            if RESERVED.contains(&n.v.as_str()) || !is_identifier(&n.v) {
                d.push(
                    Diagnostic::error(
                        n.span.clone(),
                        format!("`{}` cannot be bound: it is not a usable name", n.v),
                    )
                    .with_hint("use letters, digits and `_`, and not a formula function"),
                );
                continue;
            }
            if params.id(&n.v).is_some() {
                d.push(
                    Diagnostic::error(
                        n.span.clone(),
                        format!(
                            "`{}` is a parameter; a type's `let` defines a new name",
                            n.v
                        ),
                    )
                    .with_hint("rename it, e.g. after the player: `c_Ch`"),
                );
                continue;
            }
            if let Some(&other) = space.let_owner.get(n.v.as_str()) {
                if other != k {
                    d.push(Diagnostic::error(
                        n.span.clone(),
                        format!(
                            "`{}` is bound by the types of both `{}` and `{}`",
                            n.v, space.players[other].1.player.v, pt.player.v
                        ),
                    ));
                }
                continue;
            }
            space.let_owner.insert(n.v.as_str(), k);
            for t in &pt.types {
                if !t.lets.iter().any(|(m, _)| m.v == n.v) {
                    d.push(
                        Diagnostic::error(
                            t.name.span.clone(),
                            format!(
                                "type `{}` of `{}` does not give `{}` a value",
                                t.name.v, pt.player.v, n.v
                            ),
                        )
                        .with_hint(format!(
                            "every type of `{}` must bind the same names: add `let = {{ {} = \"…\" }}`",
                            pt.player.v, n.v
                        )),
                    );
                }
            }
        }
    }
}

/// Per-type payoff tables: the payoff's player has types, and every type has a formula.
fn check_payoff_tables(
    ast: &ModelAst,
    players: &[String],
    space: &TypeSpace<'_>,
    d: &mut Vec<Diagnostic>,
) {
    for o in &ast.outcomes {
        for e in &o.payoffs {
            let PayoffSrc::ByType(b) = &e.pay else {
                continue;
            };
            let (entries, span) = (&b.entries, &b.span);
            let p = ast.payoff_key(e);
            let Some(pi) = players.iter().position(|q| q == p) else {
                continue; // an unknown player is reported elsewhere
            };
            let Some(k) = space.position(pi) else {
                d.push(
                    Diagnostic::error(
                        span.clone(),
                        format!(
                            "`{}` has no types, so its payoff at outcome `{}` cannot be given per type",
                            p, o.name.v
                        ),
                    )
                    .with_hint(format!(
                        "declare `[types.{}]`, or use a name bound by another player's types (`let`)",
                        p
                    )),
                );
                continue;
            };
            let pt = space.players[k].1;
            let known: Vec<&str> = pt.types.iter().map(|t| t.name.v.as_str()).collect();
            for (tn, _) in entries {
                if !known.contains(&tn.v.as_str()) {
                    d.push(
                        Diagnostic::error(
                            tn.span.clone(),
                            format!("`{}` has no type `{}`", p, tn.v),
                        )
                        .with_hint_opt(did_you_mean(&tn.v, known.iter().copied()))
                        .with_hint(format!(
                            "the types of `{}` are {}",
                            p,
                            known.join(", ")
                        )),
                    );
                }
            }
            let missing: Vec<&str> = known
                .iter()
                .filter(|t| !entries.iter().any(|(e, _)| e.v == **t))
                .copied()
                .collect();
            if !missing.is_empty() {
                d.push(
                    Diagnostic::error(
                        span.clone(),
                        format!(
                            "the payoff of `{}` at outcome `{}` has no formula for type {}",
                            p,
                            o.name.v,
                            missing
                                .iter()
                                .map(|m| format!("`{m}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    )
                    .with_hint(format!("add `{} = \"…\"`", missing[0])),
                );
            }
        }
    }
}

/// The type profiles: every combination for independent types (first typed player slowest),
/// or the joint prior's entries in file order.
fn profiles(ast: &ModelAst, space: &TypeSpace<'_>, d: &mut Vec<Diagnostic>) -> Vec<Vec<usize>> {
    if !space.is_typed() {
        return vec![Vec::new()];
    }
    let Some((entries, span)) = &ast.prior else {
        let mut out: Vec<Vec<usize>> = vec![Vec::new()];
        for (_, pt) in &space.players {
            out = out
                .into_iter()
                .flat_map(|pre| {
                    (0..pt.types.len()).map(move |t| {
                        let mut p = pre.clone();
                        p.push(t);
                        p
                    })
                })
                .collect();
        }
        return out;
    };
    if entries.is_empty() {
        d.push(
            Diagnostic::error(span.clone(), "`[prior]` lists no type profile")
                .with_hint("give each type profile's probability, e.g. `\"hard,soft\" = \"0.25\"`"),
        );
        return Vec::new();
    }
    let order: Vec<&str> = space
        .players
        .iter()
        .map(|(_, pt)| pt.player.v.as_str())
        .collect();
    let mut out = Vec::new();
    let mut seen: HashMap<Vec<usize>, &str> = HashMap::new();
    for e in entries {
        let parts: Vec<&str> = e.key.v.split(',').map(str::trim).collect();
        if parts.len() != space.players.len() {
            d.push(
                Diagnostic::error(
                    e.key.span.clone(),
                    format!(
                        "prior entry `{}` names {} type(s), but {} player(s) have types",
                        e.key.v,
                        parts.len(),
                        space.players.len()
                    ),
                )
                .with_hint(format!(
                    "name one type per player, separated by commas, in the order {}",
                    order.join(", ")
                )),
            );
            continue;
        }
        let mut profile = Vec::new();
        for ((_, pt), part) in space.players.iter().zip(&parts) {
            match pt.types.iter().position(|t| t.name.v == *part) {
                Some(t) => profile.push(t),
                None => {
                    let known: Vec<&str> = pt.types.iter().map(|t| t.name.v.as_str()).collect();
                    d.push(
                        Diagnostic::error(
                            e.key.span.clone(),
                            format!(
                                "prior entry `{}`: `{}` has no type `{part}`",
                                e.key.v, pt.player.v
                            ),
                        )
                        .with_hint(format!(
                            "the types of `{}` are {}; the entry lists types in the order {}",
                            pt.player.v,
                            known.join(", "),
                            order.join(", ")
                        )),
                    );
                }
            }
        }
        if profile.len() != parts.len() {
            continue;
        }
        if let Some(first) = seen.get(&profile) {
            d.push(Diagnostic::error(
                e.key.span.clone(),
                format!(
                    "prior entry `{}` repeats the type profile of `{first}`",
                    e.key.v
                ),
            ));
            continue;
        }
        seen.insert(profile.clone(), &e.key.v);
        out.push(profile);
    }
    out
}
