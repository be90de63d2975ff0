//! Gambit `.nfg` files: the strategic form, in its payoff and outcome versions.
//!
//! Both versions read into a [`StrategicGame`]; outcome names are not kept (the game holds only
//! payoffs). Payoffs are kept exactly as written ([`StrategicGame::exact`]) for tables of up to
//! [`EXACT_MAX_CELLS`] cells; larger tables keep only the floats. The size a file declares is
//! checked before anything is allocated: against a budget of payoff cells (profiles ×
//! players, [`MAX_CELLS`] unless the caller lifts it) and against the numbers the file actually
//! holds, so a few bytes declaring fifty million strategies are refused at once.
//! [`write()`] always produces the outcome-free payoff version with strategy names.

use super::lexer::{format_number, quote, Cursor, Tok};
use super::FormatError;
use crate::exact::{self, Rational};
use crate::game::StrategicGame;
use num_traits::Zero;
use std::sync::Arc;

/// The default budget of payoff cells (profiles × players): about 80 MB of floats.
pub const MAX_CELLS: usize = crate::game::reduce::MAX_CELLS;

/// Tables with at most this many cells keep their exact payoffs (a rational takes about 16
/// times the memory of a float).
pub const EXACT_MAX_CELLS: usize = 2_000_000;

/// Reads a `.nfg` file within the default budget ([`MAX_CELLS`]).
pub fn read(src: &str) -> Result<StrategicGame, FormatError> {
    read_within(src, MAX_CELLS)
}

/// Reads a `.nfg` file whose payoff table has at most `max_cells` cells (profiles × players).
pub fn read_within(src: &str, max_cells: usize) -> Result<StrategicGame, FormatError> {
    let mut c = Cursor::new(src)?;
    let magic = c.word("`NFG`")?;
    if magic != "NFG" {
        return Err(c.error_prev(format!("expected `NFG`, found `{magic}`")));
    }
    let version = c.number("the format version `1`")?;
    if version != 1.0 {
        return Err(c.error_prev(format!("unsupported .nfg version {version}; expected 1")));
    }
    if let Some(Tok::Word(_)) = c.peek() {
        c.word("`R` or `D`")?;
    }
    let title = c.string("the game title")?;
    let players = c.string_list("player list")?;
    if players.is_empty() {
        return Err(c.error_prev("the game has no players"));
    }
    let np = players.len();
    let lists = strategy_lists(&mut c, np)?;
    let counts: Vec<usize> = lists.iter().map(StrategyList::len).collect();
    let cells = counts
        .iter()
        .try_fold(np, |acc, &n| acc.checked_mul(n))
        .filter(|&n| n <= max_cells)
        .ok_or_else(|| {
            c.error_prev(format!(
                "the strategic form declared here has {} strategies, more than {max_cells} \
                 payoff cells (profiles × players); pass `--allow-large` to lift the limit",
                counts
                    .iter()
                    .map(|n| n.to_string())
                    .collect::<Vec<_>>()
                    .join(" × "),
            ))
        })?;
    let n_profiles = cells / np;
    let _comment = c.opt_string();
    let outcome_version = c.peek() == Some(&Tok::Open);
    // Every profile needs its numbers in the file: a payoff per player, or an outcome index.
    let need = if outcome_version { n_profiles } else { cells };
    if c.remaining() < need {
        return Err(c.error(format!(
            "the game has {n_profiles} strategy profiles, which need {need} {}, but the rest \
             of the file holds only {} values",
            if outcome_version {
                "outcome numbers"
            } else {
                "payoffs"
            },
            c.remaining()
        )));
    }
    let keep_exact = cells <= EXACT_MAX_CELLS;
    let (payoffs, exact) = if outcome_version {
        outcome_payoffs(&mut c, np, n_profiles, keep_exact)?
    } else {
        let mut p = Vec::with_capacity(cells);
        let mut q = Vec::with_capacity(if keep_exact { cells } else { 0 });
        for _ in 0..cells {
            let (x, f) = c.number_exact("a payoff")?;
            p.push(f);
            if keep_exact {
                q.push(x);
            }
            c.eat_comma();
        }
        (p, keep_exact.then_some(q))
    };
    if !c.at_end() {
        return Err(c.error("unexpected text after the last profile"));
    }
    let strategies = lists.into_iter().map(StrategyList::names).collect();
    Ok(StrategicGame {
        title,
        players,
        strategies,
        payoffs,
        exact: exact.map(Arc::new),
    })
}

/// One player's strategies: named, or only counted (named `1`, `2`, … once the size is
/// known to be within budget).
enum StrategyList {
    Named(Vec<String>),
    Counted(usize),
}

impl StrategyList {
    fn len(&self) -> usize {
        match self {
            StrategyList::Named(v) => v.len(),
            StrategyList::Counted(n) => *n,
        }
    }

    fn names(self) -> Vec<String> {
        match self {
            StrategyList::Named(v) => v,
            StrategyList::Counted(n) => (1..=n).map(|i| i.to_string()).collect(),
        }
    }
}

/// `{ n1 n2 … }` or `{ { "s" … } { … } }`.
fn strategy_lists(c: &mut Cursor, np: usize) -> Result<Vec<StrategyList>, FormatError> {
    c.open("`{` opening the strategy counts or lists")?;
    let mut out = Vec::with_capacity(np.min(c.remaining()));
    while !c.eat_close() {
        if c.peek() == Some(&Tok::Open) {
            out.push(StrategyList::Named(c.string_list("strategy list")?));
        } else {
            out.push(StrategyList::Counted(c.index("a number of strategies")?));
        }
        if out.last().is_some_and(|l| l.len() == 0) {
            return Err(c.error_prev("a player has no strategies"));
        }
    }
    if out.len() != np {
        return Err(c.error_prev(format!("{} strategy lists for {np} players", out.len())));
    }
    Ok(out)
}

/// The payoff table (floats, and exact values if `keep_exact`).
type Table = (Vec<f64>, Option<Vec<Rational>>);

/// The outcome list and one outcome index per profile.
fn outcome_payoffs(
    c: &mut Cursor,
    np: usize,
    n_profiles: usize,
    keep_exact: bool,
) -> Result<Table, FormatError> {
    c.open("`{` opening the outcome list")?;
    let mut outcomes: Vec<Vec<(Rational, f64)>> = Vec::new();
    while !c.eat_close() {
        c.open("`{` opening an outcome or `}`")?;
        c.string("the outcome name")?;
        let mut pay = Vec::with_capacity(np);
        while !c.eat_close() {
            pay.push(c.number_exact("a payoff or `}`")?);
            c.eat_comma();
        }
        if pay.len() != np {
            return Err(c.error_prev(format!(
                "outcome has {} payoffs for {np} players",
                pay.len()
            )));
        }
        outcomes.push(pay);
    }
    if c.remaining() < n_profiles {
        return Err(c.error(format!(
            "the game has {n_profiles} strategy profiles, but only {} outcome numbers follow",
            c.remaining()
        )));
    }
    let mut payoffs = Vec::with_capacity(n_profiles * np);
    let mut exact = Vec::with_capacity(if keep_exact { n_profiles * np } else { 0 });
    for _ in 0..n_profiles {
        let k = c.index("an outcome number")?;
        match k {
            0 => {
                payoffs.extend(std::iter::repeat_n(0.0, np));
                if keep_exact {
                    exact.extend(std::iter::repeat_n(Rational::zero(), np));
                }
            }
            k if k <= outcomes.len() => {
                for (q, f) in &outcomes[k - 1] {
                    payoffs.push(*f);
                    if keep_exact {
                        exact.push(q.clone());
                    }
                }
            }
            k => {
                return Err(c.error_prev(format!(
                    "outcome {k} does not exist (there are {})",
                    outcomes.len()
                )))
            }
        }
    }
    Ok((payoffs, keep_exact.then_some(exact)))
}

/// Writes the payoff version of `.nfg`, with strategy names.
pub fn write(game: &StrategicGame) -> String {
    let mut s = format!("NFG 1 R {} {{", quote(&game.title));
    for p in &game.players {
        s.push(' ');
        s.push_str(&quote(p));
    }
    s.push_str(" }\n\n{\n");
    for strats in &game.strategies {
        s.push('{');
        for st in strats {
            s.push(' ');
            s.push_str(&quote(st));
        }
        s.push_str(" }\n");
    }
    s.push_str("}\n\"\"\n\n");
    let np = game.n_players().max(1);
    for (k, prof) in game.payoffs.chunks(np).enumerate() {
        let line: Vec<String> = prof
            .iter()
            .enumerate()
            .map(|(p, &x)| match game.exact.as_deref() {
                Some(ex) => exact::display(&ex[k * np + p]),
                None => format_number(x),
            })
            .collect();
        s.push_str(&line.join(" "));
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payoff_version() {
        let g = read("NFG 1 R \"pd\" { \"A\" \"B\" } { 2 2 }\n3 3 5 0 0 5 1 1").unwrap();
        assert_eq!(g.strategies[0], vec!["1", "2"]);
        // Profile (2,1) is listed second: player 1 fastest.
        assert_eq!(g.payoff(&[1, 0], 0), 5.0);
        assert_eq!(read(&write(&g)).unwrap(), g);
    }

    #[test]
    fn outcome_version() {
        let src = "NFG 1 R \"c\" { \"1\" \"2\" } { { \"a\" \"b\" } { \"x\" \"y\" } } \"\"\n\
                   { { \"W\" 1, 1/2 } { \"L\" 0, 0 } } 1 2 0 1";
        let g = read(src).unwrap();
        assert_eq!(g.payoffs, vec![1.0, 0.5, 0.0, 0.0, 0.0, 0.0, 1.0, 0.5]);
        assert_eq!(read(&write(&g)).unwrap(), g);
    }

    #[test]
    fn errors_are_located() {
        let e = read("NFG 1 R \"t\" { \"1\" } { 2 }\n1 x").unwrap_err();
        assert_eq!((e.line, e.col), (2, 3));
        let e = read("NFG 1 R \"t\" { \"1\" } { 2 }\n1").unwrap_err();
        assert!(e.message.contains("holds only 1"), "{e}");
        assert!(read("NFG 1 R \"t\" { \"1\" \"2\" } { 2 }").is_err());
    }

    #[test]
    fn declared_sizes_are_checked_before_allocating() {
        // 32 bytes declaring fifty million strategies: refused against the budget at once.
        let e = read("NFG 1 R \"\" { \"\" } { 50000000 }").unwrap_err();
        assert!(e.message.contains("more than 10000000"), "{e}");
        // Within the budget, but the file holds far fewer numbers than declared.
        let e = read_within("NFG 1 R \"\" { \"\" } { 50000000 } 1 2", usize::MAX).unwrap_err();
        assert!(e.message.contains("holds only 2"), "{e}");
        // Overflowing products are refused too.
        let e = read("NFG 1 R \"\" { \"a\" \"b\" } { 99999999999 99999999999 }").unwrap_err();
        assert!(e.message.contains("payoff cells"), "{e}");
    }

    #[test]
    fn payoffs_are_exact() {
        let g = read("NFG 1 R \"t\" { \"A\" } { 2 }\n0.1 1e-19").unwrap();
        let ex = g.exact.as_ref().unwrap();
        assert_eq!(ex[0], exact::parse("0.1").unwrap());
        assert_eq!(ex[1], exact::parse("1e-19").unwrap());
        assert!(write(&g).contains("1/10"));
        assert_eq!(read(&write(&g)).unwrap(), g);
    }
}
