//! A byte-level fast path for the node lines big `.efg` files are made of.
//!
//! Gambit and tree generators write one node a line in a few shapes:
//! `p "" 1 7 "" { "a" "b" } 0`, `p "" 2 4 0`, `c "" 3 0`, `t "" 9 "" { 3.68 1.86 1.49 }`,
//! `t "" 9`. Through the general token stream ([`Scan`](crate::format::scan::Scan)) such a
//! line costs about 3,000 instructions; this path reads it straight from the bytes (no token
//! per field, plain integers read in place, payoffs parsed once by [`num::parse`]) and fills
//! the same tables the general reader fills, in the same order.
//!
//! It takes only what it recognises. At anything else — a line break or a comma where the
//! general reader takes none, an escape in a string, a name of a node that does not start its
//! line after ASCII text, a chance node's description, a player beyond the list, a description
//! or outcome that differs from an earlier one, a number token the parser refuses, a wrong
//! count of payoffs — it changes nothing (the tables and the scanner are as before) and
//! returns `None`, and the general reader reads the node from the same place. So a file reads
//! to the same game, positions and located errors either way; tests read random files and
//! damaged copies both ways (`fast_path_equals_the_general_reader_*`).

use super::{q_at, Desc, Reader, CHANCE, NONE, PLAYER0, TERMINAL};
use crate::format::num::{self, Q};
use crate::format::scan::{Cursor, NUMBER_BYTE};

/// Skips blanks inside a line (not line breaks: a node that spans lines takes the general
/// path).
#[inline]
fn blanks(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\r')) {
        i += 1;
    }
    i
}

/// A quoted string at `i` without escapes or line breaks: its content's range and the
/// offset after the closing quote.
#[inline]
fn string(b: &[u8], i: usize) -> Option<(usize, usize, usize)> {
    if b.get(i) != Some(&b'"') {
        return None;
    }
    let from = i + 1;
    let mut j = from;
    loop {
        match *b.get(j)? {
            b'"' => return Some((from, j, j + 1)),
            b'\\' | b'\n' => return None,
            _ => j += 1,
        }
    }
}

/// A number token of plain digits at `i` (at most 12, so the value stays within the general
/// reader's bound for an index): its value and the offset after it.
#[inline]
fn index(b: &[u8], i: usize) -> Option<(usize, usize)> {
    let mut j = i;
    let mut n = 0usize;
    while let Some(&d) = b.get(j) {
        if !d.is_ascii_digit() {
            break;
        }
        if j - i == 12 {
            return None;
        }
        n = n * 10 + usize::from(d - b'0');
        j += 1;
    }
    // The token must end here (`1.5`, `1e3` and `1/2` are the general reader's).
    if j == i || b.get(j).is_some_and(|&d| NUMBER_BYTE[d as usize]) {
        return None;
    }
    Some((n, j))
}

/// A `{ … }` list at `i` (after blanks): the offset after `{`, or `None`.
#[inline]
fn open(b: &[u8], i: usize) -> Option<usize> {
    (b.get(i) == Some(&b'{')).then_some(i + 1)
}

/// An optional name and a `{` at `i` (after blanks): the name's range (empty when absent)
/// and the offset after `{`.
#[inline]
fn named_open(b: &[u8], i: usize) -> Option<(usize, usize, usize)> {
    match b.get(i) {
        Some(b'{') => Some((i, i, i + 1)),
        _ => {
            let (from, to, j) = string(b, i)?;
            Some((from, to, open(b, blanks(b, j))?))
        }
    }
}

impl Reader<'_> {
    /// Reads the next node straight from the bytes when it has one of the common shapes;
    /// returns what [`Reader::node`] returns, or `None` (having changed nothing) when the
    /// general reader must read it.
    pub(super) fn fast_node(&mut self) -> Option<(u32, Option<u32>)> {
        let c = self.s.cursor();
        let b = self.s.bytes();
        let np = self.t.np;
        let (mut i, mut line, mut line_start) = (c.i, c.line, c.line_start);
        // White space before the node, across lines.
        loop {
            match *b.get(i)? {
                b' ' | b'\t' | b'\r' => i += 1,
                b'\n' => {
                    i += 1;
                    line += 1;
                    line_start = i;
                }
                _ => break,
            }
        }
        let start = i;
        let col = if start == line_start {
            1
        } else {
            let before = &b[line_start..start];
            if !before.is_ascii() {
                return None;
            }
            before.len() + 1
        };
        let kind = b[start];
        if !matches!(b.get(start + 1), Some(b' ' | b'\t')) {
            return None;
        }
        let (name_from, name_to, mut i) = string(b, blanks(b, start + 1))?;
        let (who, set) = match kind {
            b't' => (TERMINAL, None),
            b'c' => {
                let (num, j) = index(b, blanks(b, i))?;
                i = j;
                (CHANCE, Some(num))
            }
            b'p' => {
                let (player, j) = index(b, blanks(b, i))?;
                if player == 0 || player > np {
                    return None;
                }
                let (num, j) = index(b, blanks(b, j))?;
                i = j;
                (PLAYER0 + (player - 1) as u32, Some(num))
            }
            _ => return None,
        };
        let mut last = start;
        // A decision node's description: `["name"] { "a" "b" … }`.
        let mut desc_name = None;
        self.t.fast_labels.clear();
        if set.is_some() {
            let j = blanks(b, i);
            if matches!(b.get(j), Some(b'"' | b'{')) {
                if who == CHANCE {
                    return None;
                }
                let (nf, nt, mut j) = named_open(b, j)?;
                loop {
                    j = blanks(b, j);
                    if b.get(j) == Some(&b'}') {
                        last = j;
                        i = j + 1;
                        break;
                    }
                    let (lf, lt, k) = string(b, j)?;
                    self.t.fast_labels.push((lf as u32, lt as u32));
                    j = k;
                }
                if self.t.fast_labels.is_empty() {
                    return None;
                }
                desc_name = Some((nf, nt));
            }
        }
        // The outcome: `N ["name" { payoffs }]`.
        let j = blanks(b, i);
        let (onum, k) = index(b, j)?;
        last = last.max(j);
        i = k;
        let mut out_name = None;
        let j = blanks(b, i);
        if matches!(b.get(j), Some(b'"' | b'{')) {
            if onum == 0 {
                return None;
            }
            let (of, ot, mut j) = named_open(b, j)?;
            self.t.scratch_pay.clear();
            loop {
                j = blanks(b, j);
                match b.get(j) {
                    Some(b'}') => {
                        last = j;
                        i = j + 1;
                        break;
                    }
                    Some(b'0'..=b'9' | b'-' | b'+' | b'.') => {
                        let (q, k) = self.payoff(b, j)?;
                        self.t.scratch_pay.push(q);
                        j = blanks(b, k);
                        if b.get(j) == Some(&b',') {
                            j += 1;
                        }
                    }
                    _ => return None,
                }
            }
            if self.t.scratch_pay.len() != np {
                return None;
            }
            out_name = Some((of, ot));
        } else {
            // The node ends here unless its outcome's name or payoffs follow on a later line
            // (or after white space this path does not read).
            let mut k = j;
            while matches!(b.get(k), Some(b' ' | b'\t' | b'\r' | b'\n')) {
                k += 1;
            }
            if matches!(b.get(k), Some(b'"' | b'{' | b'\x0b' | b'\x0c' | 0x80..)) {
                return None;
            }
        }

        // Everything is read; decide against the tables before changing any.
        let id = self.t.who.len();
        if id >= (u32::MAX - 1) as usize {
            return None;
        }
        let known_set = match set {
            None => None,
            Some(num) if who == CHANCE => Some((num, self.t.chance_sets.get(num))),
            Some(num) => Some((num, self.t.player_sets[(who - PLAYER0) as usize].get(num))),
        };
        if let Some((_, known)) = known_set {
            match (known, desc_name) {
                (None, None) => return None,
                (Some(k), Some((nf, nt))) if !self.same_desc(k, nf, nt) => return None,
                _ => {}
            }
        }
        let known_out = if onum == 0 {
            None
        } else {
            let o = self.t.outcome_ix.get(onum);
            match (o, out_name) {
                (None, None) => return None,
                (Some(o), Some((of, ot))) if !self.same_outcome(o, of, ot) => return None,
                _ => {}
            }
            o
        };

        // Commit, in the general reader's order: the description, the outcome, the node.
        let desc = match known_set {
            None => NONE,
            Some((_, Some(k))) => k,
            Some((num, None)) => {
                // Checked above: a new set comes with its description.
                let (nf, nt) = desc_name.unwrap_or((0, 0));
                self.new_desc(num, who, nf, nt)
            }
        };
        let outcome = match (onum, known_out, out_name) {
            (0, _, _) => None,
            (_, Some(o), _) => Some(self.t.outs[o as usize]),
            (_, None, Some((of, ot))) => Some(self.new_outcome(onum, of, ot)),
            // Checked above: a new outcome comes with its payoffs.
            (_, None, None) => return None,
        };
        match (who, name_from == name_to, outcome) {
            (TERMINAL, true, Some((oname, _))) => {
                let name = &self.t.strings.values[oname as usize];
                self.t.names.push_str(name);
            }
            _ => self.t.names.push_str(self.s.slice(name_from, name_to)),
        }
        self.t.who.push(who);
        self.t.desc_of.push(desc);
        self.t.next_sibling.push(NONE);
        self.t.sum_of.push(0);
        // The text is at most MAX_TEXT bytes, so a column fits.
        self.t.pos.push((line, col as u32));
        self.t.n_fast += 1;
        self.s.advance(
            Cursor {
                i,
                line,
                line_start,
            },
            last,
        );
        Some((id as u32, outcome.map(|o| o.1)))
    }

    /// The number token at `j` (which starts like a number): its exact value and the offset
    /// after it, or `None` when the parser refuses it. Decimals of up to
    /// [`num::DECIMAL_DIGITS`] digits are read as the bytes go by; any other spelling goes
    /// through [`num::parse`], as in the general reader.
    #[inline]
    fn payoff(&self, b: &[u8], j: usize) -> Option<(Q, usize)> {
        let neg = b[j] == b'-';
        let mut k = j + usize::from(neg);
        let (mut m, mut digits, mut scale, mut dot) = (0u64, 0u32, 0u32, false);
        let plain = loop {
            match b.get(k) {
                Some(&d @ b'0'..=b'9') => {
                    if digits == num::DECIMAL_DIGITS {
                        break false;
                    }
                    m = m * 10 + u64::from(d - b'0');
                    digits += 1;
                    scale += u32::from(dot);
                }
                Some(b'.') if !dot => dot = true,
                Some(&d) => break !NUMBER_BYTE[d as usize],
                None => break true,
            }
            k += 1;
        };
        if plain && digits > 0 {
            return Some((num::decimal(neg, m, scale), k));
        }
        let mut k = j + 1;
        while b.get(k).is_some_and(|&d| NUMBER_BYTE[d as usize]) {
            k += 1;
        }
        Some((num::parse(self.s.slice(j, k))?.0, k))
    }

    /// The label id of the text `from..to`, if it has one (the label at the same place of
    /// the description read before is tried first).
    #[inline]
    fn label_id(&self, at: usize, from: u32, to: u32) -> Option<u32> {
        let s = self.s.slice(from as usize, to as usize);
        match self.t.prev_labels.get(at) {
            Some(&id) if self.t.labels[id as usize] == s => Some(id),
            _ => self.t.label_ix.get(s).copied(),
        }
    }

    /// The string id of the text `from..to`, if it has one.
    #[inline]
    fn string_id(&self, from: usize, to: usize) -> Option<u32> {
        if from == to {
            return Some(0);
        }
        self.t.strings.ix.get(self.s.slice(from, to)).copied()
    }

    /// Whether the description read into [`Tables::fast_labels`] with the name `nf..nt` is
    /// that of description `k` (an empty name matches any).
    fn same_desc(&self, k: u32, nf: usize, nt: usize) -> bool {
        let d: &Desc = &self.t.descs[k as usize];
        let (a, n) = (d.labels.0 as usize, d.labels.1 as usize);
        if d.probs != NONE || self.t.fast_labels.len() != n {
            return false;
        }
        if nf != nt && self.string_id(nf, nt) != Some(d.name) {
            return false;
        }
        self.t
            .fast_labels
            .iter()
            .enumerate()
            .all(|(at, &(f, t))| self.label_id(at, f, t) == Some(self.t.set_labels[a + at]))
    }

    /// Whether the payoffs read into [`Tables::scratch_pay`] with the name `of..ot` are those
    /// of outcome `o`.
    fn same_outcome(&self, o: u32, of: usize, ot: usize) -> bool {
        let (kname, e) = self.t.outs[o as usize];
        let e0 = e as usize * self.t.np;
        self.string_id(of, ot) == Some(kname)
            && (0..self.t.np).all(|k| q_at(&self.t.sums, e0 + k) == self.t.scratch_pay[k])
    }

    /// Stores the description read into [`Tables::fast_labels`] as that of set `num` of the
    /// player `who`; returns its id.
    fn new_desc(&mut self, num: usize, who: u32, nf: usize, nt: usize) -> u32 {
        let name = self.t.strings.id(self.s.slice(nf, nt));
        let start = self.t.set_labels.len() as u32;
        std::mem::swap(&mut self.t.scratch_labels, &mut self.t.prev_labels);
        self.t.scratch_labels.clear();
        for at in 0..self.t.fast_labels.len() {
            let (f, t) = self.t.fast_labels[at];
            let id = match self.label_id(at, f, t) {
                Some(id) => id,
                None => {
                    let s = self.s.slice(f as usize, t as usize);
                    let id = self.t.labels.len() as u32;
                    self.t.labels.push(s.to_string());
                    self.t.label_ix.insert(s.to_string(), id);
                    id
                }
            };
            self.t.scratch_labels.push(id);
        }
        self.t.set_labels.extend_from_slice(&self.t.scratch_labels);
        let k = self.t.descs.len() as u32;
        self.t.descs.push(Desc {
            name,
            labels: (start, self.t.fast_labels.len() as u32),
            probs: NONE,
        });
        let limit = self.dense_limit();
        self.t.player_sets[(who - PLAYER0) as usize].insert(num, k, limit);
        k
    }

    /// Stores the payoffs read into [`Tables::scratch_pay`] as outcome `num` named `of..ot`;
    /// returns its name id and payoff entry.
    fn new_outcome(&mut self, num: usize, of: usize, ot: usize) -> (u32, u32) {
        let name = self.t.strings.id(self.s.slice(of, ot));
        self.store_outcome(num, name)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{parse, tests::random_efg};
    use crate::format::FormatError;
    use crate::game::Game;

    type Read = Result<(Game, super::super::Positions), FormatError>;

    /// Reads `src` with or without the fast path; also returns how many nodes it read.
    fn read_with(src: &str, fast: bool) -> (Read, usize) {
        match parse(src, fast) {
            Ok((t, title, players)) => {
                let n = t.n_fast;
                (t.finish(title, players), n)
            }
            Err(e) => (Err(e), 0),
        }
    }

    /// Both ways agree on `src`; returns the number of nodes the fast path read.
    fn agree(src: &str, what: &str) -> usize {
        let (fast, n) = read_with(src, true);
        let (general, n0) = read_with(src, false);
        assert_eq!(n0, 0);
        assert_eq!(fast, general, "{what}\n{src}");
        n
    }

    /// A deterministic xorshift generator.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }

        fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
            xs[self.below(xs.len())]
        }
    }

    /// A random valid `.efg` written mostly one node a line, as big files are, with every
    /// payoff spelling (integers, negatives, decimals, fractions, exponents, signs, long
    /// digit strings), names empty, plain, non-ASCII and with escapes, separators of blanks,
    /// tabs and commas, information sets and outcomes described again or reused by number,
    /// chance nodes, and now and then a node over two lines, CRLF line ends or two nodes on
    /// a line.
    fn fast_corpus(seed: u64, size: usize) -> String {
        let mut r = Rng(seed * 2 + 1);
        let np = 1 + r.below(3);
        let nums = [
            "3",
            "-1",
            "0",
            "-0",
            "3.68",
            "-0.25",
            "5.",
            ".5",
            "+4",
            "007",
            "1/3",
            "-2/5",
            "2e-3",
            "1E2",
            "12345678901.25",
            "123456789012345678",
            "1234567890123456789",
            "0.0000000000000000001",
            "99999999999999999999999",
        ];
        let names = ["", "", "", "n", "x y", "é", "q\\\"\\\\"];
        let seps = [" ", " ", " ", "  ", "\t", ", ", ","];
        let mut s = format!("EFG 2 R \"g{seed}\" {{");
        for p in 0..np {
            s.push_str(&format!(" \"P{p}\""));
        }
        s.push_str(" }\n\"\"\n\n");
        // (player or 0 for chance, number, description, actions).
        let mut sets: Vec<(usize, usize, String, usize)> = Vec::new();
        let mut outcomes: Vec<String> = Vec::new();
        let mut pending = 1usize;
        let mut made = 0;
        while pending > 0 {
            pending -= 1;
            made += 1;
            let name = r.pick(&names);
            if r.below(8) == 0 {
                s.push(' ');
            }
            let terminal = made + pending >= size || r.below(3) == 0;
            if terminal {
                s.push_str(&format!("t \"{name}\" "));
            } else if r.below(6) == 0 {
                let known: Vec<_> = sets.iter().filter(|x| x.0 == 0).cloned().collect();
                if !known.is_empty() && r.below(2) == 0 {
                    let k = &known[r.below(known.len())];
                    s.push_str(&format!("c \"{name}\" {} ", k.1));
                    pending += k.3;
                } else {
                    let num = sets.iter().filter(|x| x.0 == 0).count() + 1;
                    let desc =
                        r.pick(&["{ \"h\" 1/3 \"l\" 2/3 }", "\"N\" { \"x\" 0.5 \"y\" 0.5 }"]);
                    s.push_str(&format!("c \"{name}\" {num} {desc} "));
                    sets.push((0, num, desc.to_string(), 2));
                    pending += 2;
                }
            } else {
                let p = 1 + r.below(np);
                let known: Vec<_> = sets.iter().filter(|x| x.0 == p).cloned().collect();
                if !known.is_empty() && r.below(2) == 0 {
                    let k = &known[r.below(known.len())];
                    // Reused by number, or described again identically.
                    let again = if r.below(3) == 0 {
                        format!("{} ", k.2)
                    } else {
                        String::new()
                    };
                    s.push_str(&format!("p \"{name}\" {p} {} {again}", k.1));
                    pending += k.3;
                } else {
                    let num = known.len() + 1;
                    let n = 1 + r.below(4);
                    let acts: Vec<String> = (0..n)
                        .map(|a| format!("\"m{}\"", ["a", "b", "é", "c"][(a + r.below(2)) % 4]))
                        .collect();
                    let set_name = r.pick(&["", "\"\" ", "\"S\" ", "\"S\\\"\" "]);
                    let desc = format!("{set_name}{{ {} }}", acts.join(r.pick(&[" ", "  ", "\t"])));
                    s.push_str(&format!("p \"{name}\" {p} {num} {desc} "));
                    sets.push((p, num, desc, n));
                    pending += n;
                }
            }
            if r.below(40) == 0 {
                s.push('\n');
            }
            match r.below(5) {
                0 if !terminal => s.push('0'),
                1 if !outcomes.is_empty() => {
                    let o = r.below(outcomes.len());
                    s.push_str(&(o + 1).to_string());
                    if r.below(3) == 0 {
                        s.push_str(&format!(" {}", outcomes[o]));
                    }
                }
                _ => {
                    let sep = r.pick(&seps);
                    let pay: Vec<&str> = (0..np).map(|_| r.pick(&nums)).collect();
                    let oname = r.pick(&["\"\" ", "", "\"o\" ", "\"o\\\\\" "]);
                    let desc = format!("{oname}{{ {} }}", pay.join(sep));
                    outcomes.push(desc.clone());
                    s.push_str(&format!("{} {desc}", outcomes.len()));
                }
            }
            s.push_str(r.pick(&["\n", "\n", "\n", "\n", "\r\n", " "]));
        }
        s
    }

    #[test]
    fn fast_path_equals_the_general_reader_on_random_files() {
        let (mut fast, mut all) = (0, 0);
        for seed in 0..300 {
            let src = fast_corpus(seed, 2 + seed as usize % 80);
            let (g, _) = read_with(&src, false);
            let g = g.unwrap_or_else(|e| panic!("generator made a bad file: {e}\n{src}"));
            fast += agree(&src, &format!("seed {seed}"));
            all += g.0.tree.nodes.len();
        }
        // The fast path must take most nodes, or this test would not be testing it.
        assert!(fast * 2 > all, "fast path read {fast} of {all} nodes");
        // The general files of the oracle tests (descriptions of all kinds, escapes).
        for seed in 0..200 {
            let src = random_efg(seed, 2 + seed as usize % 60);
            agree(&src, &format!("random_efg seed {seed}"));
        }
    }

    #[test]
    fn fast_path_equals_the_general_reader_on_damaged_files() {
        for seed in 0..200 {
            let src = fast_corpus(seed, 2 + seed as usize % 40);
            let mut r = Rng(seed + 11);
            for _ in 0..12 {
                let mut bad = src.clone();
                let at = r.below(bad.len());
                let at = (0..=at)
                    .rev()
                    .find(|&i| bad.is_char_boundary(i))
                    .unwrap_or(0);
                match r.below(3) {
                    0 => bad.truncate(at),
                    1 => bad.insert_str(
                        at,
                        r.pick(&[
                            "}",
                            "{",
                            "\"",
                            "1",
                            ".",
                            "-",
                            "e",
                            ",",
                            "\\",
                            "\n",
                            "t \"\" 0 ",
                            " 9 ",
                            "x",
                        ]),
                    ),
                    _ => {
                        let end = (at + 1 + r.below(6)).min(bad.len());
                        if bad.is_char_boundary(end) {
                            bad.replace_range(at..end, "");
                        }
                    }
                }
                agree(&bad, &format!("damaged seed {seed}"));
            }
        }
    }

    /// A file of fast-path lines; `{}` marks where a test puts its line.
    const BASE: &str = "EFG 2 R \"t\" { \"A\" \"B\" \"C\" } \"\"\n\
p \"\" 1 1 \"\" { \"a\" \"b\" } 0\n\
p \"\" 2 1 \"I\" { \"a\" \"b\" } 0\n\
t \"\" 1 \"\" { 3.68 1.86 1.49 }\n\
{}\n\
p \"\" 2 1 0\n\
t \"\" 3 \"\" { 1 2 3 }\n\
t \"\" 1\n";

    #[test]
    fn malformed_lines_give_the_general_readers_errors() {
        let ok = "t \"\" 2 \"\" { -1, 2/3 4e1 }";
        let (g, n) = read_with(&BASE.replace("{}", ok), true);
        assert!(g.is_ok(), "{g:?}");
        assert_eq!(n, 7);
        // (what replaces `{}`, line:col of the error, part of its message); the last case
        // takes the rest of the file as a string.
        let cases = [
            (
                "t \"\" 2 \"\" { 3.68 1.86 }",
                (5, 23),
                "2 payoffs for 3 players",
            ),
            (
                "t \"\" 2 \"\" { 3.68 1.8.6 1.49 }",
                (5, 18),
                "`1.8.6` is not a number",
            ),
            ("t \"\" 2 \"\" { 3.68 1e999 1.49 }", (5, 18), "too large"),
            (
                "t \"\" 2 \"\" { 3.68 , , 1.49 }",
                (5, 20),
                "expected a payoff",
            ),
            (
                "t \"\" 2 \"\" { 3.68 x 1.49 }",
                (5, 18),
                "expected a payoff",
            ),
            (
                "t \"\" 1 \"\" { 3.68 1.86 1.5 }",
                (5, 27),
                "outcome 1 is described differently",
            ),
            (
                "t \"\" 1 \"o\" { 3.68 1.86 1.49 }",
                (5, 29),
                "outcome 1 is described differently",
            ),
            ("t \"\" 9", (6, 1), "outcome 9 appears without its payoffs"),
            ("p \"\" 4 1 0", (5, 6), "player 4 does not exist"),
            ("p \"\" 0 1 0", (5, 6), "player 0 does not exist"),
            (
                "p \"\" 2 1 \"I\" { \"a\" \"c\" } 0",
                (5, 24),
                "information set 1 is described differently",
            ),
            (
                "p \"\" 2 1 \"J\" { \"a\" \"b\" } 0",
                (5, 24),
                "information set 1 is described differently",
            ),
            (
                "p \"\" 2 1 { \"a\" } 0",
                (5, 16),
                "information set 1 is described differently",
            ),
            (
                "p \"\" 3 1 0",
                (5, 10),
                "information set 1 appears without its actions",
            ),
            ("p \"\" 3 1 { } 0", (5, 12), "at least one action"),
            (
                "p \"\" 3 1 { \"a\", \"b\" } 0",
                (5, 15),
                "expected an action name",
            ),
            ("p \"\" 1 2.5 { \"a\" } 0", (5, 8), "non-negative integer"),
            ("q \"\" 1 1 0", (5, 3), "expected `p`, `c` or `t`"),
            ("t \"\" 2 \"\" { 1 2 3 ", (6, 1), "expected a payoff"),
            ("t \"\" 2 \"\" { 1 2 3 } \"", (5, 21), "expected a node"),
            (
                "t \"unended 2 \"\" { 1 2 3 }",
                (5, 15),
                "expected an outcome number",
            ),
        ];
        for (line, at, msg) in cases {
            let src = BASE.replace("{}", line);
            let (fast, _) = read_with(&src, true);
            let (general, _) = read_with(&src, false);
            assert_eq!(fast, general, "{line}");
            let e = fast.expect_err(line);
            assert_eq!((e.line, e.col), at, "{line}: {e}");
            assert!(e.message.contains(msg), "{line}: {e}");
        }
    }
}
