//! Gambit file formats: every example game reads, writes and reads back to an equal game, and
//! no input — random bytes or truncated files — makes a reader panic.

use crate::gambit_games::games_with_ext;
use deter::format::{efg, nfg};
use proptest::prelude::*;

#[test]
fn every_efg_round_trips() {
    let games = games_with_ext("efg");
    for (name, text) in &games {
        let g = efg::read(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let out = efg::write(&g);
        let g2 = efg::read(&out).unwrap_or_else(|e| panic!("{name} (written): {e}\n{out}"));
        assert_eq!(g, g2, "{name}");
    }
    eprintln!("{} .efg files round-tripped", games.len());
}

#[test]
fn every_nfg_round_trips() {
    let games = games_with_ext("nfg");
    for (name, text) in &games {
        let g = nfg::read(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let out = nfg::write(&g);
        let g2 = nfg::read(&out).unwrap_or_else(|e| panic!("{name} (written): {e}"));
        assert_eq!(g, g2, "{name}");
    }
    eprintln!("{} .nfg files round-tripped", games.len());
}

#[test]
fn truncated_files_error_without_panic() {
    for ext in ["efg", "nfg"] {
        for (name, text) in games_with_ext(ext).iter().take(40) {
            let chars: Vec<char> = text.chars().collect();
            let step = (chars.len() / 25).max(1);
            for cut in (0..chars.len()).step_by(step) {
                let t: String = chars[..cut].iter().collect();
                // Most prefixes are errors; a prefix that happens to be a complete game (e.g.
                // cut after a repeated outcome number) must still round-trip.
                if let Ok(g) = efg::read(&t) {
                    assert_eq!(
                        efg::read(&efg::write(&g)).as_ref(),
                        Ok(&g),
                        "{name} cut {cut}"
                    );
                }
                if let Ok(g) = nfg::read(&t) {
                    assert_eq!(
                        nfg::read(&nfg::write(&g)).as_ref(),
                        Ok(&g),
                        "{name} cut {cut}"
                    );
                }
            }
        }
    }
}

proptest! {
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let s = String::from_utf8_lossy(&bytes);
        let _ = efg::read(&s);
        let _ = nfg::read(&s);
    }

    #[test]
    fn random_tokens_never_panic(toks in proptest::collection::vec(
        prop_oneof![Just("EFG 2 R"), Just("NFG 1 R"), Just("\"x\""), Just("{"), Just("}"),
                    Just("p"), Just("c"), Just("t"), Just("1"), Just("0"), Just("2"),
                    Just("1/2"), Just("-1"), Just(",")], 0..60)) {
        let s = toks.join(" ");
        let _ = efg::read(&s);
        let _ = nfg::read(&s);
    }
}
