//! Gambit `.nfg` files: the strategic form, in its payoff and outcome versions.
//!
//! Both versions read into a [`StrategicGame`]; outcome names are not kept (the game holds only
//! payoffs). [`write`] always produces the outcome-free payoff version with strategy names.

use super::lexer::{format_number, quote, Cursor, Tok};
use super::FormatError;
use crate::game::StrategicGame;

/// Largest number of pure profiles a file may declare (guards against absurd allocations).
pub const MAX_PROFILES: usize = 50_000_000;

/// Reads a `.nfg` file.
pub fn read(src: &str) -> Result<StrategicGame, FormatError> {
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
    let strategies = strategy_lists(&mut c, players.len())?;
    let n_profiles = strategies
        .iter()
        .try_fold(1usize, |acc, s| acc.checked_mul(s.len()))
        .filter(|&n| n <= MAX_PROFILES)
        .ok_or_else(|| c.error_prev(format!("more than {MAX_PROFILES} strategy profiles")))?;
    let _comment = c.opt_string();
    let np = players.len();
    let payoffs = if c.peek() == Some(&Tok::Open) {
        outcome_payoffs(&mut c, np, n_profiles)?
    } else {
        let mut p = Vec::with_capacity(n_profiles * np);
        for _ in 0..n_profiles * np {
            p.push(c.number("a payoff")?);
            c.eat_comma();
        }
        p
    };
    if !c.at_end() {
        return Err(c.error("unexpected text after the last profile"));
    }
    Ok(StrategicGame {
        title,
        players,
        strategies,
        payoffs,
        exact: None,
    })
}

/// `{ n1 n2 … }` or `{ { "s" … } { … } }`.
fn strategy_lists(c: &mut Cursor, np: usize) -> Result<Vec<Vec<String>>, FormatError> {
    c.open("`{` opening the strategy counts or lists")?;
    let mut out = Vec::with_capacity(np);
    while !c.eat_close() {
        if c.peek() == Some(&Tok::Open) {
            out.push(c.string_list("strategy list")?);
        } else {
            let n = c.index("a number of strategies")?;
            if n > MAX_PROFILES {
                return Err(c.error_prev("too many strategies"));
            }
            out.push((1..=n).map(|i| i.to_string()).collect());
        }
        if out.last().is_some_and(Vec::is_empty) {
            return Err(c.error_prev("a player has no strategies"));
        }
    }
    if out.len() != np {
        return Err(c.error_prev(format!("{} strategy lists for {np} players", out.len())));
    }
    Ok(out)
}

/// The outcome list and one outcome index per profile.
fn outcome_payoffs(c: &mut Cursor, np: usize, n_profiles: usize) -> Result<Vec<f64>, FormatError> {
    c.open("`{` opening the outcome list")?;
    let mut outcomes: Vec<Vec<f64>> = Vec::new();
    while !c.eat_close() {
        c.open("`{` opening an outcome or `}`")?;
        c.string("the outcome name")?;
        let mut pay = Vec::with_capacity(np);
        while !c.eat_close() {
            pay.push(c.number("a payoff or `}`")?);
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
    let mut payoffs = Vec::with_capacity(n_profiles * np);
    for _ in 0..n_profiles {
        let k = c.index("an outcome number")?;
        match k {
            0 => payoffs.extend(std::iter::repeat_n(0.0, np)),
            k if k <= outcomes.len() => payoffs.extend_from_slice(&outcomes[k - 1]),
            k => {
                return Err(c.error_prev(format!(
                    "outcome {k} does not exist (there are {})",
                    outcomes.len()
                )))
            }
        }
    }
    Ok(payoffs)
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
    for prof in game.payoffs.chunks(np) {
        let line: Vec<String> = prof.iter().map(|&x| format_number(x)).collect();
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
        assert!(e.message.contains("end of input"), "{e}");
        assert!(read("NFG 1 R \"t\" { \"1\" \"2\" } { 2 }").is_err());
    }
}
