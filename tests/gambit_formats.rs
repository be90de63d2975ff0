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

/// A large `.efg` is read from a memory map (`cli::input::map_text`): it must solve exactly as
/// the same game in a small file, locate its errors as a small file does, and refuse text that
/// is not UTF-8 with the same message.
#[test]
fn large_efg_files_read_from_a_map_as_small_ones() {
    use crate::util::{deter, deter_ok, stderr};
    let dir = tempfile::tempdir().unwrap();
    let game =
        "p \"\" 1 1 \"\" { \"L\" \"R\" } 0\nt \"\" 1 \"o\" { 1, 2 }\nt \"\" 2 \"p\" { 3, 4 }\n";
    let head = "EFG 2 R \"g\" { \"A\" \"B\" }\n";
    // Past the size from which files are mapped (1 MiB).
    let comment = "x".repeat(3 << 19);
    let small = dir.path().join("small.efg");
    let big = dir.path().join("big.efg");
    std::fs::write(&small, format!("{head}\"\"\n{game}")).unwrap();
    std::fs::write(&big, format!("{head}\"{comment}\"\n{game}")).unwrap();
    assert!(std::fs::metadata(&big).unwrap().len() > 1 << 20);
    let solve = |p: &std::path::Path| {
        deter_ok(&["solve", p.to_str().unwrap(), "--format", "json"])
            .replace(p.to_str().unwrap(), "FILE")
    };
    assert_eq!(solve(&small), solve(&big));
    assert!(solve(&big).contains("\"R\""), "{}", solve(&big));

    // An error after the long line is located as in a small file.
    let check = |name: &str, comment: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, format!("{head}\"{comment}\"\nq \"\" 1\n")).unwrap();
        let o = deter(&["check", p.to_str().unwrap()]);
        assert!(!o.status.success());
        stderr(&o).replace(p.to_str().unwrap(), "FILE")
    };
    let located = check("bad_big.efg", &comment);
    assert_eq!(located, check("bad_small.efg", "x"));
    assert!(located.contains("FILE:3:"), "{located}");

    let mut bytes = format!("{head}\"{comment}\"\n{game}").into_bytes();
    bytes[head.len() + 10] = 0xff;
    let latin = dir.path().join("latin.efg");
    std::fs::write(&latin, bytes).unwrap();
    let o = deter(&["check", latin.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("latin.efg`: stream did not contain valid UTF-8"),
        "{}",
        stderr(&o)
    );
}
