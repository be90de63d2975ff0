//! Answers to a model's questions: does a counterfactual raise or lower an event's probability?
//!
//! A question (`[questions.*]` in a model file, [`QuestionDef`]) names a *treatment* and a
//! *control* — the game with moves forced or removed at named nodes — and an event tag. At a
//! parameter point θ both games are solved by backward induction and the probability of the
//! event compared: lower under the treatment is the question's `lower` word ("deters"), higher
//! is its `higher` word ("provokes"), equal is no effect. The same mechanism answers "does
//! hedging deter?", "does a commitment restrain?", "does an audience cost deter?".
//!
//! Where a mover is indifferent, the tie rule (first listed move) gives one answer, and every
//! way of breaking the ties gives a subgame-perfect equilibrium: [`Answer`] carries the answer
//! over all of them ([`EffectSet`]: the effect holds in every equilibrium, in some or in none)
//! and [`PreparedQuestion::verdict`] says so, naming the tie that decides (see [`set`]).
//!
//! Explanations come from [`crate::regions`]: the condition behind every node's move in each
//! game. [`question_map`] samples the answer over two parameters with an [`Evaluator`] (both
//! games solved at each point, nothing written out) and groups the points by their *signature*
//! (every node's move in both games); [`map_regions`] states where the answer is yes as the
//! conditions of those groups — exact inequalities, with the other parameters' values filled
//! in — and [`region_sentences`] puts them in sentences. [`question_thresholds`] finds where the answer changes along one parameter,
//! exactly, from the equilibrium thresholds of the two games.

use crate::game::profile::event_probabilities;
use crate::model::ast::{Counterfactual, QuestionDef};
use crate::model::{build, GameTemplate};
use crate::output::words::{move_phrase, num};
use crate::regions::{self, RegionError};
use crate::solve::backward;
use crate::thresholds::{thresholds, ThresholdError, ThresholdOptions};

/// The answer at one point.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Effect {
    /// The treatment lowers the event's probability.
    Lower,
    /// The treatment raises it.
    Higher,
    /// No difference.
    None,
    /// The model cannot be evaluated here (a point of a map where a formula fails).
    Unknown,
}

/// Why a question cannot be answered.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum QuestionError {
    /// A counterfactual game could not be built.
    #[error("question `{question}`: the {which} game cannot be built: {message}")]
    Build {
        /// The question.
        question: String,
        /// `treatment` or `control`.
        which: &'static str,
        /// The first error.
        message: String,
    },
    /// The event tag is on no outcome.
    #[error("question `{question}`: no outcome has the event `{event}`")]
    UnknownEvent {
        /// The question.
        question: String,
        /// The tag.
        event: String,
    },
    /// A parameter to vary does not exist.
    #[error("question `{question}`: {message}")]
    UnknownParam {
        /// The question.
        question: String,
        /// The message with a suggestion.
        message: String,
    },
    /// Solving failed.
    #[error(transparent)]
    Region(#[from] RegionError),
    /// Thresholds failed.
    #[error(transparent)]
    Threshold(#[from] ThresholdError),
}

/// A question with its two games built.
#[derive(Clone, Debug)]
pub struct PreparedQuestion {
    /// The question as written.
    pub def: QuestionDef,
    /// The treatment game.
    pub treatment: GameTemplate,
    /// The control game.
    pub control: GameTemplate,
    /// Ids of the parameters to map the answer over (`vary`).
    pub vary: Vec<usize>,
    /// "if Protégé hedges": the treatment in words.
    pub treatment_label: String,
    /// "if Protégé aligns": the control in words.
    pub control_label: String,
}

/// The answer to a question at one point.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    /// Lower, higher or no effect, in the tie rule's selection (first listed best move).
    pub effect: Effect,
    /// The effects over every pair of subgame-perfect equilibria of the two games.
    pub effects: EffectSet,
    /// The treatment game's equilibria (the selection first).
    pub treatment_set: SideSet,
    /// The control game's equilibria (the selection first).
    pub control_set: SideSet,
    /// Probability of the event in the treatment game's equilibrium.
    pub p_treatment: f64,
    /// Probability of the event in the control game's equilibrium.
    pub p_control: f64,
    /// Why: each game's moves and the conditions that decide them.
    pub why: String,
    /// Every node's move in the treatment and the control game.
    pub signature: (Vec<u32>, Vec<u32>),
}

/// Builds every question's counterfactual games and checks its event and parameters.
pub fn prepare(template: &GameTemplate) -> Result<Vec<PreparedQuestion>, QuestionError> {
    let ast = &*template.ast;
    let mut out = Vec::new();
    for q in &ast.questions {
        let name = q.name.v.clone();
        if !ast
            .outcomes
            .iter()
            .any(|o| o.events.iter().any(|e| e.v == q.event.v))
        {
            return Err(QuestionError::UnknownEvent {
                question: name,
                event: q.event.v.clone(),
            });
        }
        let game = |cf: &Counterfactual, which| match build::build(ast, cf) {
            (Some(t), _) => Ok(t),
            (None, d) => Err(QuestionError::Build {
                question: name.clone(),
                which,
                message: d
                    .iter()
                    .find(|d| d.is_error())
                    .map_or("unknown error".into(), |d| d.message.clone()),
            }),
        };
        let treatment = game(&q.treatment, "treatment")?;
        let control = game(&q.control, "control")?;
        let vary = q
            .vary
            .iter()
            .map(|v| template.params.lookup(&v.v))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|message| QuestionError::UnknownParam {
                question: name.clone(),
                message,
            })?;
        out.push(PreparedQuestion {
            treatment_label: label(template, &q.treatment),
            control_label: label(template, &q.control),
            def: q.clone(),
            treatment,
            control,
            vary,
        });
    }
    Ok(out)
}

/// A counterfactual in words: "if Protégé hedges", "if Defender's move “abandons” is removed";
/// a phrase repeated at several nodes is said once.
fn label(t: &GameTemplate, cf: &Counterfactual) -> String {
    let tree = &*t.tree;
    // The node of that name, else its copies for the types of a game with private
    // information (`defender[hard,soft]`); copies share their moves' phrases.
    let child = |node: &str, m: &str| {
        let named = |n: &str| {
            n == node
                || n.strip_prefix(node)
                    .is_some_and(|rest| rest.starts_with('[') && rest.ends_with(']'))
        };
        let i = tree
            .node_names
            .iter()
            .position(|n| n == node)
            .or_else(|| tree.node_names.iter().position(named))?;
        tree.nodes[i]
            .children()
            .find(|&c| &tree.move_labels[c] == m)
    };
    let mut parts = Vec::new();
    for (node, m) in &cf.force {
        parts.push(match child(&node.v, &m.v) {
            Some(c) => move_phrase(tree, c.into()),
            None => format!("`{}` is played at `{}`", m.v, node.v),
        });
    }
    for (node, ms) in &cf.remove {
        for m in ms {
            parts.push(match child(&node.v, &m.v) {
                Some(c) => {
                    let c = crate::game::NodeId::from(c);
                    let who = tree
                        .node(c)
                        .parent()
                        .map_or("Nature", |p| crate::output::words::mover_name(tree, p));
                    format!(
                        "{who}'s move “{}” is removed",
                        crate::output::words::move_words(tree, c)
                    )
                }
                None => format!("`{}` is unavailable at `{}`", m.v, node.v),
            });
        }
    }
    for (name, x, _) in &cf.set {
        parts.push(crate::model::questions::set_phrase(&name.v, x.v));
    }
    if parts.is_empty() {
        "in the game as written".into()
    } else {
        format!("if {}", crate::output::words::and_unique(&parts))
    }
}

impl PreparedQuestion {
    /// The conditions of the pure equilibria `choices` (treatment, control) of the two games
    /// (see [`regions::choice_conditions`]), treatment first.
    pub fn conditions(&self, (ct, cc): (&[u32], &[u32])) -> Vec<regions::Condition> {
        let mut out: Vec<regions::Condition> = regions::choice_conditions(&self.treatment, ct)
            .into_iter()
            .map(|c| c.3)
            .collect();
        out.extend(
            regions::choice_conditions(&self.control, cc)
                .into_iter()
                .map(|c| c.3),
        );
        out
    }

    /// The conditions that decide the answer at `theta`, given the two games' choices there:
    /// those involving `vars`, solved for the first of `vars` they can be, with both sides'
    /// values (`c_D = 1.5 < a - lambda*T + L = 2.85`), without repeats.
    pub fn deciding(
        &self,
        choices: (&[u32], &[u32]),
        theta: &[f64],
        vars: &[usize],
    ) -> Vec<String> {
        let mut why = Vec::new();
        for c in self.conditions(choices) {
            if vars.iter().any(|&v| c.mentions(v)) {
                if let Some(s) = c.at_point(vars, theta) {
                    if !why.contains(&s) {
                        why.push(s);
                    }
                }
            }
        }
        // By the words, not the node order, so the file's order of moves does not show.
        why.sort();
        why
    }

    /// The answer at `theta`.
    pub fn answer(&self, theta: &[f64]) -> Result<Answer, QuestionError> {
        answer(&self.def, &self.treatment, &self.control, theta)
    }

    /// The answer in words over every subgame-perfect equilibrium: "hedging deters" (one
    /// equilibrium), "… in every subgame-perfect equilibrium" (several that agree), or, when a
    /// tie decides, "it depends on a tie: a reinforced commitment sustains dialogue only if
    /// Protégé (ROK), after …, breaks its tie towards “does not open a dialogue”; …". The words
    /// do not depend on the order in which the file lists the moves.
    pub fn verdict(&self, a: &Answer) -> String {
        let d = &self.def;
        let phrase = |e: Effect| match e {
            Effect::Lower => format!("{} {}", d.subject, d.lower),
            Effect::Higher => format!("{} {}", d.subject, d.higher),
            Effect::None => format!("{} makes no difference", d.subject),
            Effect::Unknown => "the model cannot be evaluated".to_string(),
        };
        let n = a.treatment_set.probs.len() * a.control_set.probs.len();
        let more = a.treatment_set.truncated || a.control_set.truncated;
        match a.effects.effects()[..] {
            [] => phrase(Effect::Unknown),
            [e] if n > 1 || more => {
                format!("{} in every subgame-perfect equilibrium", phrase(e))
            }
            [e] => phrase(e),
            ref es => {
                let sides = [
                    (&*self.treatment.tree, &a.treatment_set),
                    (&*self.control.tree, &a.control_set),
                ];
                let parts: Vec<String> = es
                    .iter()
                    .map(|&e| match set::deciding_ties(sides, e, 1e-9) {
                        Some(w) => format!("{} only if {w}", phrase(e)),
                        None => format!("{} in some subgame-perfect equilibria", phrase(e)),
                    })
                    .collect();
                format!("it depends on a tie: {}", parts.join("; "))
            }
        }
    }

    /// The answers over a set of equilibria in words: `deters in every equilibrium`, or
    /// `deters in some equilibria, has no effect in others`.
    pub fn set_words(&self, s: &EffectSet) -> String {
        match &s.effects()[..] {
            [] => "cannot be evaluated".into(),
            [e] => format!("{} in every equilibrium", self.word(*e)),
            [e, rest @ ..] => {
                let rest: Vec<&str> = rest.iter().map(|&r| self.word(r)).collect();
                format!(
                    "{} in some equilibria, {} in others",
                    self.word(*e),
                    rest.join(", ")
                )
            }
        }
    }

    /// The question's word for an effect: its `lower` or `higher` word, or "has no effect".
    pub fn word(&self, e: Effect) -> &str {
        match e {
            Effect::Lower => &self.def.lower,
            Effect::Higher => &self.def.higher,
            Effect::None => "has no effect",
            Effect::Unknown => "cannot be evaluated",
        }
    }
}

/// One game at `theta`: the event's probability, the choices, an account in words, and every
/// equilibrium the ties allow.
fn account(
    t: &GameTemplate,
    event: &str,
    theta: &[f64],
    prefer: &[usize],
) -> Result<(f64, Vec<u32>, String, SideSet), QuestionError> {
    let (game, ws, spe) = regions::spe_at(t, theta, regions::TIE_TOL)?;
    let prof = backward::profile_of(&t.tree, &ws);
    let ev = t.tree.event_id(event);
    let prob = |prof: &[f64]| ev.map_or(0.0, |e| event_probabilities(&game, prof)[e.ix()]);
    let p = prob(&prof);
    let side = SideSet {
        probs: spe
            .choices
            .iter()
            .map(|c| prob(&regions::profile_of_choices(&t.tree, c)))
            .collect(),
        choices: spe.choices,
        ties: ws.ties.clone(),
        truncated: spe.truncated,
    };
    let mut on = Vec::new();
    let mut off = Vec::new();
    for nc in regions::conditions_of(t, &game, &ws) {
        let first = t.tree.node(nc.node).first_child as usize;
        let phrase = move_phrase(&t.tree, (first + nc.chosen).into());
        let conds: Vec<String> = nc
            .alternatives
            .iter()
            .map(|(_, c)| c.render(prefer, Some(theta)))
            .collect();
        let s = format!("{phrase} ({})", conds.join(" and "));
        if nc.on_path {
            on.push(s);
        } else {
            off.push(s);
        }
    }
    let mut text = on.join(", ");
    if !off.is_empty() {
        text.push_str(&format!("; off the path, {}", off.join(", ")));
    }
    Ok((p, ws.choice.clone(), text, side))
}

impl Effect {
    /// The effect of the treatment, from the event's probability under treatment and control:
    /// no effect when they differ by at most `tol`.
    pub fn compare(treated: f64, control: f64, tol: f64) -> Effect {
        if (treated - control).abs() <= tol {
            Effect::None
        } else if treated < control {
            Effect::Lower
        } else {
            Effect::Higher
        }
    }
}

/// The answer to `question` at `theta`, given its treatment and control games.
pub fn answer(
    question: &QuestionDef,
    treatment: &GameTemplate,
    control: &GameTemplate,
    theta: &[f64],
) -> Result<Answer, QuestionError> {
    let ev = &question.event.v;
    let (pt, ct, wt, st) = account(treatment, ev, theta, &[])?;
    let (pc, cc, wc, sc) = account(control, ev, theta, &[])?;
    let why = format!(
        "{}, P({ev}) = {}: {wc}. {}, P({ev}) = {}: {wt}",
        capital(&label(control, &question.control)),
        num(pc),
        capital(&label(treatment, &question.treatment)),
        num(pt)
    );
    Ok(Answer {
        effect: Effect::compare(pt, pc, 1e-9),
        effects: set::effects(&st.probs, &sc.probs, 1e-9),
        treatment_set: st,
        control_set: sc,
        p_treatment: pt,
        p_control: pc,
        why,
        signature: (ct, cc),
    })
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Where the answer to a question changes along one parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct QuestionThreshold {
    /// The parameter value.
    pub value: f64,
    /// True if located exactly (a linear payoff comparison).
    pub exact: bool,
    /// The answer just below.
    pub left: Effect,
    /// The answer just above.
    pub right: Effect,
    /// The effects over every pair of equilibria just below.
    pub left_set: EffectSet,
    /// The effects over every pair of equilibria just above.
    pub right_set: EffectSet,
    /// The equilibrium change that causes it, in words.
    pub cause: String,
}

/// Every change of the question's answer along parameter `param` over `[lo, hi]`, the others
/// at `base`. The answer can only change where one of the two games' equilibria changes, so
/// the candidates are the [`thresholds`] of both games; the answer is evaluated between them,
/// over every subgame-perfect equilibrium: a change of the tie rule's answer or of the set of
/// answers the equilibria give (e.g. from every equilibrium to some) is a threshold.
pub fn question_thresholds(
    q: &PreparedQuestion,
    base: &[f64],
    param: usize,
    lo: f64,
    hi: f64,
    opts: &ThresholdOptions,
) -> Result<Vec<QuestionThreshold>, QuestionError> {
    let mut cands = Vec::new();
    for t in [&q.treatment, &q.control] {
        for th in thresholds(t, base, param, lo, hi, opts)? {
            cands.push((th.value, th.exact, th.describe(t, param)));
        }
    }
    cands.sort_by(|a, b| a.0.total_cmp(&b.0));
    cands.dedup_by(|b, a| (a.0 - b.0).abs() <= 1e-12);
    let mut theta = base.to_vec();
    let mut effect_at = |x: f64| -> Result<(Effect, EffectSet), QuestionError> {
        theta[param] = x;
        let a = q.answer(&theta)?;
        Ok((a.effect, a.effects))
    };
    let mut out = Vec::new();
    let mut prev_x = lo;
    let mut prev = None;
    for (k, (v, exact, cause)) in cands.iter().enumerate() {
        let left = match prev {
            Some(e) => e,
            None => effect_at(0.5 * (prev_x + v))?,
        };
        let next = cands.get(k + 1).map_or(hi, |c| c.0);
        let right = effect_at(0.5 * (v + next))?;
        if left != right {
            out.push(QuestionThreshold {
                value: *v,
                exact: *exact,
                left: left.0,
                right: right.0,
                left_set: left.1,
                right_set: right.1,
                cause: cause.clone(),
            });
        }
        prev = Some(right);
        prev_x = *v;
    }
    Ok(out)
}

pub mod along;
mod eval;
pub mod map;
mod sentences;
pub mod set;
pub use eval::Evaluator;
pub use map::{map_regions, question_map, MapRegion, QuestionMap, Regime};
pub use sentences::{outcome_regions, region_sentences, OutcomeRegion};
pub use set::{EffectSet, Modality, SideSet};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_event_names_the_question() {
        let text = include_str!("../models/hedging.toml")
            .replace("event     = \"challenge\"", "event     = \"challange\"");
        // Loading the model reports it at its place (as `deter check` does)…
        let loaded = crate::model::load("h.toml", text);
        assert!(loaded
            .diags
            .iter()
            .any(|d| d.is_error() && d.message.contains("`challange`")));
        // …and `prepare` refuses it on its own too.
        let (t, _) = crate::model::build::build(&loaded.ast, &Default::default());
        let err = prepare(&t.expect("the event is only read by questions")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "question `hedging_deters`: no outcome has the event `challange`"
        );
    }

    #[test]
    fn labels_describe_the_counterfactuals() {
        let t = crate::model::load("h.toml", include_str!("../models/hedging.toml"))
            .template
            .expect("models/hedging.toml is valid");
        let q = &prepare(&t).unwrap()[0];
        assert_eq!(q.treatment_label, "if Protégé hedges");
        assert_eq!(q.control_label, "if Protégé aligns");
        assert_eq!(q.word(Effect::Lower), "deters");
    }
}
