//! `--select`: which equilibria an analysis describes at each point.
//!
//! At a point with several equilibria an analysis (a sweep row, the regimes of `thresholds`,
//! `regions` and `report`) can describe the whole set — the default — or the equilibria a
//! selection rule names. The rules are the documented ones the rest of the tool uses: the tie
//! rule of backward induction (the first listed best move), the refinements of off-path
//! beliefs that `pbe` computes, and the limit of the principal branch of the logit
//! correspondence. A refinement can leave several survivors; the analysis then still describes
//! their set. One type and one spelling for every command, so `--select d1` means the same in
//! `sweep` as in `report`.

/// An unknown selection name (the message lists the choices).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SelectError(pub String);

/// A selection from the equilibria at each point.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Selection {
    /// No selection: the row describes every equilibrium the solver returns.
    #[default]
    All,
    /// The first equilibrium listed: the tie rule (first listed best move) under backward
    /// induction, the solver's first equilibrium otherwise.
    FirstListed,
    /// The perfect Bayesian equilibria that pass the Intuitive Criterion (`pbe`).
    Intuitive,
    /// The perfect Bayesian equilibria that pass D1 (`pbe`).
    D1,
    /// The limit of the principal branch of the logit quantal response correspondence.
    LogitLimit,
}

impl Selection {
    /// Every selection with its name, in the order the help lists them.
    pub const CHOICES: [(Selection, &'static str); 4] = [
        (Selection::FirstListed, "first-listed"),
        (Selection::Intuitive, "intuitive"),
        (Selection::D1, "d1"),
        (Selection::LogitLimit, "logit-limit"),
    ];

    /// The selection named `name`; an unknown name is an error listing the choices.
    pub fn parse(name: &str) -> Result<Selection, SelectError> {
        let n = name.trim();
        if let Some((s, _)) = Self::CHOICES.iter().find(|(_, k)| *k == n) {
            return Ok(*s);
        }
        let names: Vec<&str> = Self::CHOICES.iter().map(|c| c.1).collect();
        let hint = crate::diag::did_you_mean(n, names.iter().copied())
            .map(|h| format!("{h}; "))
            .unwrap_or_default();
        Err(SelectError(format!(
            "unknown selection `{n}`; {hint}the selections are {}",
            names.join(", ")
        )))
    }

    /// The name as `--select` spells it (`all` for no selection).
    pub fn name(self) -> &'static str {
        match self {
            Selection::All => "all",
            s => Self::CHOICES
                .iter()
                .find(|c| c.0 == s)
                .map_or("all", |c| c.1),
        }
    }

    /// True if the row describes one equilibrium (the rule picks exactly one).
    pub fn single(self) -> bool {
        matches!(self, Selection::FirstListed | Selection::LogitLimit)
    }

    /// The refinement of off-path beliefs the selection asks `pbe` for.
    pub fn refinement(self) -> Option<crate::solve::pbe::Refinement> {
        match self {
            Selection::Intuitive => Some(crate::solve::pbe::Refinement::Intuitive),
            Selection::D1 => Some(crate::solve::pbe::Refinement::D1),
            _ => None,
        }
    }

    /// What a row describes, in words (for the note a sweep prints and the docs).
    pub fn describe(self, solver: &str) -> String {
        match self {
            Selection::All => format!(
                "every equilibrium {solver} returns at each point (values shown where they all \
                 agree)"
            ),
            Selection::FirstListed if solver == "backward" => {
                "the tie rule's equilibrium (first listed best move) at each point".into()
            }
            Selection::FirstListed => {
                format!(
                    "the first equilibrium {solver} lists at each point (--select first-listed)"
                )
            }
            Selection::Intuitive => "the perfect Bayesian equilibria that pass the Intuitive \
                                     Criterion at each point (--select intuitive)"
                .into(),
            Selection::D1 => {
                "the perfect Bayesian equilibria that pass D1 at each point (--select d1)".into()
            }
            Selection::LogitLimit => {
                "the limit of the principal logit branch at each point (--select logit-limit)"
                    .into()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_list_the_choices() {
        for (s, n) in Selection::CHOICES {
            assert_eq!(Selection::parse(n).unwrap(), s);
            assert_eq!(s.name(), n);
        }
        let e = Selection::parse("first").unwrap_err().to_string();
        assert!(e.contains("unknown selection `first`"), "{e}");
        assert!(
            e.contains("first-listed, intuitive, d1, logit-limit"),
            "{e}"
        );
        let e = Selection::parse("logit_limit").unwrap_err().to_string();
        assert!(e.contains("did you mean `logit-limit`"), "{e}");
    }
}
