//! The model's questions at each grid point: does the treatment lower or raise an event?
//!
//! A model may declare questions (`[questions.NAME]`: a treatment and a control counterfactual,
//! an event, and words for "lowers" and "raises", e.g. `deters` / `provokes`). A sweep answers
//! each at every point by solving both counterfactual games and comparing the event's
//! probability — the map of these answers is the model's deterrence / provocation regions.

use super::SweepError;
use crate::model::{build, GameTemplate};

/// One declared question, with its two counterfactual games compiled.
#[derive(Clone, Debug)]
pub struct Question {
    /// The question's name (column `question:<name>`).
    pub name: String,
    /// The question in words.
    pub ask: String,
    /// The event compared.
    pub event: String,
    /// Word when the treatment lowers the event's probability.
    pub lower: String,
    /// Word when it raises it.
    pub higher: String,
    /// The treatment game.
    pub treatment: GameTemplate,
    /// The control game.
    pub control: GameTemplate,
}

/// The answer at one point.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Answer {
    /// The treatment lowers the event's probability.
    Lower,
    /// The treatment raises it.
    Higher,
    /// No difference (within tolerance).
    Neither,
}

/// The word printed for an answer that neither lowers nor raises.
pub const NO_EFFECT: &str = "no effect";

impl Question {
    /// The answer's word.
    pub fn word(&self, a: Answer) -> &str {
        match a {
            Answer::Lower => &self.lower,
            Answer::Higher => &self.higher,
            Answer::Neither => NO_EFFECT,
        }
    }

    /// The answer, from the event's probability under treatment and control.
    pub fn answer(treated: f64, control: f64, tol: f64) -> Answer {
        if treated < control - tol {
            Answer::Lower
        } else if treated > control + tol {
            Answer::Higher
        } else {
            Answer::Neither
        }
    }
}

/// Compiles every question `t`'s model declares.
pub fn questions(t: &GameTemplate) -> Result<Vec<Question>, SweepError> {
    t.ast
        .questions
        .iter()
        .map(|q| {
            let name = q.name.v.clone();
            let make = |cf, which: &str| {
                build::build(&t.ast, cf).0.ok_or_else(|| {
                    SweepError::Grid(format!(
                        "question `{name}`: its {which} game cannot be built; run `deter check`"
                    ))
                })
            };
            Ok(Question {
                treatment: make(&q.treatment, "treatment")?,
                control: make(&q.control, "control")?,
                name: name.clone(),
                ask: q.ask.clone(),
                event: q.event.v.clone(),
                lower: q.lower.clone(),
                higher: q.higher.clone(),
            })
        })
        .collect()
}
