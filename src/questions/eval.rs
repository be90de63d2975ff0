//! The answer at many points, cheaply: a map of 121 × 121 points needs two backward-induction
//! solves per point, so [`Evaluator`] keeps both games and their workspaces between points and
//! writes nothing out in words (unlike [`PreparedQuestion::answer`]). Ties are re-decided
//! exactly ([`crate::regions::settle`]); only at a point with a tie are the equilibrium sets
//! listed, so the answer over every equilibrium ([`Evaluator::effects`]) costs nothing elsewhere.

use super::{set, Effect, EffectSet, PreparedQuestion, QuestionError};
use crate::game::profile::event_probabilities;
use crate::game::{ExactNumbers, Game};
use crate::model::GameTemplate;
use crate::regions::{profile_of_choices, settle, spe_set, RegionError, SET_CAP, TIE_TOL};
use crate::solve::backward::{self, profile_of, solve_into, Workspace};

/// One game of a question, with its reusable buffers.
struct Side<'a> {
    t: &'a GameTemplate,
    event: Option<usize>,
    game: Game,
    ws: Workspace,
    stack: Vec<f64>,
    p: f64,
    exact: Option<ExactNumbers>,
}

impl<'a> Side<'a> {
    fn new(t: &'a GameTemplate, event: &str) -> Result<Self, RegionError> {
        backward::check_perfect_information(&t.tree)
            .map_err(|u| RegionError::NotPerfectInformation(u.reason))?;
        Ok(Side {
            t,
            event: t.tree.event_id(event).map(|e| e.ix()),
            game: t.empty_game(),
            ws: Workspace::default(),
            stack: Vec::new(),
            p: 0.0,
            exact: None,
        })
    }

    /// Solves at `theta` and records the event's probability.
    fn solve(&mut self, theta: &[f64]) -> Result<(), RegionError> {
        self.t
            .instantiate_into(theta, &mut self.game, &mut self.stack)
            .map_err(|e| RegionError::Instantiate(self.t.diagnose(&e, theta).message))?;
        solve_into(&self.game, TIE_TOL, &mut self.ws);
        self.exact = settle(self.t, &self.game, theta, &mut self.ws);
        self.p = match self.event {
            Some(e) => event_probabilities(&self.game, &profile_of(&self.game.tree, &self.ws))[e],
            None => 0.0,
        };
        Ok(())
    }

    /// The event's probability in every equilibrium the ties allow (only called at a tie).
    fn probabilities(&self) -> Vec<f64> {
        let Some(e) = self.event else {
            return vec![0.0];
        };
        spe_set(&self.game, &self.ws, self.exact.as_ref(), SET_CAP)
            .choices
            .iter()
            .map(|c| event_probabilities(&self.game, &profile_of_choices(&self.game.tree, c))[e])
            .collect()
    }
}

/// Solves a question's two games at point after point, reusing the games and workspaces.
pub struct Evaluator<'a> {
    treatment: Side<'a>,
    control: Side<'a>,
    effects: EffectSet,
}

impl<'a> Evaluator<'a> {
    /// An evaluator for `q`; fails if a game is not of perfect information.
    pub fn new(q: &'a PreparedQuestion) -> Result<Self, QuestionError> {
        let e = &q.def.event.v;
        Ok(Evaluator {
            treatment: Side::new(&q.treatment, e)?,
            control: Side::new(&q.control, e)?,
            effects: EffectSet::default(),
        })
    }

    /// The effect at `theta` (the same as [`PreparedQuestion::answer`]'s).
    pub fn effect_at(&mut self, theta: &[f64]) -> Result<Effect, QuestionError> {
        self.treatment.solve(theta)?;
        self.control.solve(theta)?;
        let e = Effect::compare(self.treatment.p, self.control.p, 1e-9);
        self.effects = if self.treatment.ws.ties.is_empty() && self.control.ws.ties.is_empty() {
            EffectSet::of(e)
        } else {
            set::effects(
                &self.treatment.probabilities(),
                &self.control.probabilities(),
                1e-9,
            )
        };
        Ok(e)
    }

    /// The effects over every pair of subgame-perfect equilibria at the last point (the same as
    /// [`PreparedQuestion::answer`]'s `effects`).
    pub fn effects(&self) -> EffectSet {
        self.effects
    }

    /// The event's probability with the treatment and with the control, at the last point.
    pub fn probabilities(&self) -> (f64, f64) {
        (self.treatment.p, self.control.p)
    }

    /// Every node's move in the treatment and control games at the last point.
    pub fn signature(&self) -> (&[u32], &[u32]) {
        (&self.treatment.ws.choice, &self.control.ws.choice)
    }

    /// The treatment and control games with their equilibrium profiles, at the last point.
    pub fn games(&self) -> [(&Game, Vec<f64>); 2] {
        [&self.treatment, &self.control].map(|s| (&s.game, profile_of(&s.game.tree, &s.ws)))
    }

    /// The treatment and control games with every equilibrium profile the ties allow (the tie
    /// rule's selection first), at the last point.
    pub fn all_games(&self) -> [(&Game, Vec<Vec<f64>>); 2] {
        [&self.treatment, &self.control].map(|s| {
            let set = spe_set(&s.game, &s.ws, s.exact.as_ref(), SET_CAP);
            let profiles = set
                .choices
                .iter()
                .map(|c| profile_of_choices(&s.game.tree, c))
                .collect();
            (&s.game, profiles)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_the_worded_answer() {
        // The lean path must give PreparedQuestion::answer's effect, probabilities and moves
        // at every node of an 11 × 11 grid over hedging.toml's T and c_D ranges and at the
        // Cold War and 2001–2014 scenarios.
        let t = crate::model::load("h.toml", include_str!("../../models/hedging.toml"))
            .template
            .unwrap();
        let q = crate::questions::prepare(&t).unwrap().remove(0);
        let mut ev = Evaluator::new(&q).unwrap();
        let (ti, ci) = (t.params.id("T").unwrap(), t.params.id("c_D").unwrap());
        let (tr, cr) = (t.params.ranges[ti].unwrap(), t.params.ranges[ci].unwrap());
        let mut points = Vec::new();
        for i in 0..=10 {
            for j in 0..=10 {
                let mut theta = t.defaults();
                theta[ti] = tr.0 + (tr.1 - tr.0) * i as f64 / 10.0;
                theta[ci] = cr.0 + (cr.1 - cr.0) * j as f64 / 10.0;
                points.push(theta);
            }
        }
        for s in ["cold_war", "post_2001"] {
            points.push(t.point(Some(s), &[]).unwrap());
        }
        let mut seen = Vec::new();
        for theta in &points {
            let e = ev.effect_at(theta).unwrap();
            let a = q.answer(theta).unwrap();
            assert_eq!(e, a.effect);
            assert_eq!(ev.effects(), a.effects);
            assert_eq!(ev.probabilities(), (a.p_treatment, a.p_control));
            let (st, sc) = ev.signature();
            assert_eq!((st.to_vec(), sc.to_vec()), a.signature);
            seen.push(e);
        }
        // Cold War deters, 2001–2014 provokes (docs/models/hedging.md), and the grid has no-effect points.
        assert_eq!(seen[seen.len() - 2..], [Effect::Lower, Effect::Higher]);
        assert!(seen.contains(&Effect::None));
    }
}
