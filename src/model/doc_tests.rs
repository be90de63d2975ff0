//! `model::doc` against `toml`: on a corpus of small TOML texts (valid and invalid) and on
//! random documents, the compact document has the same keys, values, order and spans as
//! `toml::de::DeTable::parse_recoverable`, and the same errors at the same places.

use super::doc::{self, Val};
use std::ops::Range;
use toml::de::{DeTable, DeValue};

/// A document in a form both parsers map to.
#[derive(Debug, PartialEq)]
enum T {
    Str(String),
    Int(String, u32),
    Float(String),
    Bool(bool),
    Date(String),
    Array(Vec<(Range<usize>, T)>),
    Table(Vec<(String, Range<usize>, Range<usize>, T)>),
}

fn from_toml(v: &DeValue<'_>) -> T {
    match v {
        DeValue::String(s) => T::Str(s.to_string()),
        DeValue::Integer(i) => T::Int(i.as_str().to_string(), i.radix()),
        DeValue::Float(f) => T::Float(f.as_str().to_string()),
        DeValue::Boolean(b) => T::Bool(*b),
        DeValue::Datetime(d) => T::Date(d.to_string()),
        DeValue::Array(a) => T::Array(
            a.iter()
                .map(|x| (x.span(), from_toml(x.get_ref())))
                .collect(),
        ),
        DeValue::Table(t) => from_toml_table(t),
    }
}

fn from_toml_table(t: &DeTable<'_>) -> T {
    T::Table(
        t.iter()
            .map(|(k, v)| {
                (
                    k.get_ref().to_string(),
                    k.span(),
                    v.span(),
                    from_toml(v.get_ref()),
                )
            })
            .collect(),
    )
}

fn from_doc(v: Val<'_>) -> T {
    match v {
        Val::String(s) => T::Str(s.to_string()),
        Val::Integer(i) => T::Int(i.as_str().to_string(), i.radix()),
        Val::Float(f) => T::Float(f.as_str().to_string()),
        Val::Boolean(b) => T::Bool(b),
        Val::Datetime(d) => T::Date(
            d.parse::<toml_datetime::Datetime>()
                .map(|d| d.to_string())
                .unwrap_or_else(|_| {
                    toml_datetime::Datetime {
                        date: None,
                        time: None,
                        offset: None,
                    }
                    .to_string()
                }),
        ),
        Val::Array(a) => T::Array(a.iter().map(|x| (x.span(), from_doc(x.get()))).collect()),
        Val::Table(t) => from_doc_table(t),
    }
}

fn from_doc_table(t: doc::Table<'_>) -> T {
    T::Table(
        t.iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    k.span(),
                    v.span(),
                    from_doc(v.get()),
                )
            })
            .collect(),
    )
}

/// Asserts both parsers read `text` alike; returns whether it had errors. `doc`'s reading
/// through `toml_parser` is compared with `toml`; then the hand-written reader, where it takes
/// the text, must give the same document (and take only texts without errors); and
/// `doc::parse` must give what the two together give.
fn same(text: &str) -> bool {
    let (theirs, their_errors) = DeTable::parse_recoverable(text);
    let theirs = from_toml_table(theirs.get_ref());
    let their_errors: Vec<(Option<Range<usize>>, String)> = their_errors
        .iter()
        .map(|e| (e.span(), e.message().to_string()))
        .collect();
    let (ours, our_errors) = doc::parse_events(text);
    let ours = from_doc_table(ours.root());
    let our_errors: Vec<(Option<Range<usize>>, String)> = our_errors
        .into_iter()
        .map(|e| (e.span, e.message))
        .collect();
    assert_eq!(our_errors, their_errors, "errors differ on:\n{text}");
    assert_eq!(ours, theirs, "documents differ on:\n{text}");
    if let Some(fast) = doc::parse_fast(text) {
        assert!(
            their_errors.is_empty(),
            "the fast reader took a text with errors:\n{text}"
        );
        assert_eq!(
            from_doc_table(fast.root()),
            theirs,
            "the fast reader's document differs on:\n{text}"
        );
    }
    let (both, both_errors) = doc::parse(text);
    assert_eq!(
        from_doc_table(both.root()),
        theirs,
        "parse differs on:\n{text}"
    );
    assert_eq!(both_errors.len(), their_errors.len());
    !their_errors.is_empty()
}

/// Whether the hand-written reader takes `text`.
fn fast(text: &str) -> bool {
    doc::parse_fast(text).is_some()
}

const VALID: &[&str] = &[
    "",
    "a = 1",
    "a = 1\nb = 'two'\nc = \"three\"\n",
    "# comment\n\n  a = true # trailing\nb=false",
    "n = [1_000, 0x1F, 0o17, 0b101, +5, -0, 1e3, 1.5E-3, -2.5, +inf, -inf, nan, inf, 6_626e-3]",
    "s = [\"tab\\tnew\\nline\", \"\\u00e9\\U0001F600\", 'lit\\no', \"\"\"\nml\nbasic\\\n   cont\"\"\", '''\nml lit''']",
    "\"quoted key\" = 1\n'lit key' = 2\n\"esc\\u0041\" = 3\n\"\" = 4",
    "a.b.c = 1\na.b.d = 2\na.e = 3",
    "[x]\ny = 1\n[x.z]\nw = 2",
    "[a.b]\nx = 1\n[c]\n[a]\ny = 2",
    "[a.b.c]\n[a]\nq = 1\n[a.d]",
    "[[fruit]]\nname = 'apple'\n[fruit.physical]\ncolor = 'red'\n[[fruit.variety]]\nname = 'red delicious'\n[[fruit]]\nname = 'banana'",
    "t = { a = 1, b.c = 2, b.d = { e = 3 } }",
    "t = {}\nu = { x = [], y = [[1], [2, 3]] }",
    "arr = [\n  1, # one\n  2,\n]\n",
    "d = 1979-05-27T07:32:00Z\ne = 1979-05-27\nf = 07:32:00\ng = 1979-05-27 07:32:00.999-07:00",
    "[nodes.n0]\nplayer = \"P0\"\nmoves = { a = { to = \"n1\" }, b = { to = \"o2\" } }\n[outcomes.o2]\npayoffs = { P0 = 1.5, P1 = \"2*x\" }",
    "[ a . \"b\" . 'c' ]\nk = 1",
    "a.b = 1\n[a.c]\nd = 2",
    "[a]\nb.c = 1\nb.d = 2\n[a.e]",
    "x = { y = { z = 1 } }",
    "many = { k0 = 0, k1 = 1, k2 = 2, k3 = 3, k4 = 4, k5 = 5, k6 = 6, k7 = 7, k8 = 8, k9 = 9, k10 = 10 }",
    "t = {\n  a = 1,\n  b = 2,\n}",
    "a = 1\r\nb = 2\r\n",
];

const INVALID: &[&str] = &[
    "a = 1\na = 2",
    "[a]\n[a]",
    "[a]\nb = 1\n[a.b]",
    "a = {b = 1}\n[a]",
    "a = {b = 1}\na.c = 2",
    "t = { a.b = 1, a = 2 }",
    "t = { a = { x = 1 }, a.y = 2 }",
    "[a.b]\n[a]\n[a]",
    "a.b = 1\n[a]",
    "a.b = 1\n[a.b]",
    "[[a]]\n[a]",
    "a = [1]\n[[a]]",
    "a = [1]\na.b = 2",
    "a = 1\na.b = 2",
    "[[a]]\nb = 1\n[a.b]",
    "a = ",
    "a",
    "a = \"unterminated",
    "a = 'x\nb = 1",
    "= 1",
    "[a\nb = 1",
    "[]\nx = 1",
    "a = [1, 2\nb = 3",
    "a = { b = 1\nc = 2",
    "a = 0X1F",
    "a = 1__000",
    "a = 01",
    "a = +0x1",
    "a = 1979-13-27",
    "a = 1979-05-27T25:00:00",
    "a = tru",
    "a = \"\\q\"",
    "a = \"\\uD800\"",
    "a = 1 b = 2",
    "a = [1,,2]",
    "a = { , }",
    "\"a\nb\" = 1",
    "a = 1\n\u{7f} = 2",
    "a = \"tab\u{1}\"",
    "# comment \u{0}\n",
    "a.b.c = 1\na.b = 2",
    "[x]\n[x.y]\n[x]",
    "k = 1\n[k.z]",
    "[a]\nb = [1]\n[a.b.c]",
    "a = {}\n[a.b]",
    "x = [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
];

#[test]
fn valid_texts_read_as_toml_reads_them() {
    for text in VALID {
        assert!(!same(text), "expected no errors on:\n{text}");
    }
    // The hand-written reader takes every valid text but those with what it leaves to
    // `toml_parser` (dates, multi-line strings).
    let left: Vec<&str> = VALID.iter().copied().filter(|t| !fast(t)).collect();
    assert_eq!(left, [VALID[5], VALID[15]]);
}

#[test]
fn invalid_texts_fail_as_toml_fails() {
    for text in INVALID {
        assert!(same(text), "expected errors on:\n{text}");
    }
}

#[test]
fn big_tables_use_the_index_and_keep_the_rules() {
    // Past the scanned size, keys are found through the hash index: duplicates, re-opened
    // implicit tables and dotted keys still behave as in `toml`.
    let mut text = String::new();
    for i in 0..40 {
        text.push_str(&format!("[t.k{i}.x]\nv = {i}\n"));
    }
    for i in (0..40).step_by(3) {
        text.push_str(&format!("[t.k{i}]\nw = {i}\n"));
    }
    text.push_str("[t.k3]\n[t.k39.x]\n[t]\nz = 1\n");
    for i in 0..20 {
        text.push_str(&format!("q.\"k{i}\" = {i}\n"));
    }
    assert!(same(&text));
    let mut big = String::from("[p]\n");
    for i in 0..100 {
        big.push_str(&format!("a{i} = {i}\n"));
    }
    big.push_str("a57 = 1\n");
    assert!(same(&big));
}

#[test]
fn chunked_reading_matches_one_pass() {
    // Longer than one chunk of tokens: the document is read in chunks of whole lines.
    let mut text = String::new();
    let mut i = 0;
    while text.len() < 600_000 {
        text.push_str(&format!(
            "[nodes.n{i}]\nplayer = \"P{}\"\nmoves = {{ a = {{ to = \"n{}\" }}, b = {{ to = \"o{}\" }} }}\n\
             list = [\n  1,\n  2,\n]\n\n",
            i % 3,
            i + 1,
            i + 2
        ));
        i += 1;
    }
    assert!(
        fast(&text),
        "the fast reader gave up on a long ordinary text"
    );
    assert!(!same(&text));
    text.push_str("[nodes.n5]\n");
    assert!(same(&text));
}

/// A small random TOML-ish text from a few fragments that exercise the table rules.
fn random_text(seed: &mut u64) -> String {
    const KEYS: &[&str] = &[
        "a", "b", "c", "\"a\"", "'b'", "a.b", "b.c", "a.c.d", "\"x y\"",
    ];
    const VALUES: &[&str] = &[
        "1",
        "0x1F",
        "1_000",
        "1e3",
        "+inf",
        "'s'",
        "\"\\u00e9\"",
        "true",
        "[1, 2]",
        "[]",
        "{ a = 1 }",
        "{ b.c = 2, d = [] }",
        "1979-05-27",
        "{}",
    ];
    let mut next = || {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    };
    let mut out = String::new();
    let lines = next() % 12 + 1;
    for _ in 0..lines {
        let k = KEYS[(next() % KEYS.len() as u64) as usize];
        match next() % 4 {
            0 => out.push_str(&format!("[{k}]\n")),
            1 => out.push_str(&format!("[[{k}]]\n")),
            _ => {
                let v = VALUES[(next() % VALUES.len() as u64) as usize];
                out.push_str(&format!("{k} = {v}\n"));
            }
        }
    }
    out
}

#[test]
fn random_documents_read_as_toml_reads_them() {
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut with_errors = 0;
    for _ in 0..5000 {
        let text = random_text(&mut seed);
        with_errors += usize::from(same(&text));
    }
    // Both kinds were exercised.
    assert!(
        with_errors > 500 && with_errors < 4500,
        "{with_errors} of 5000 had errors"
    );
}

/// The xorshift64 generator of the random texts.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
    /// True one time in `n`.
    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }
}

/// Spaces and tabs, and (one time in `4 * lines`, never when `lines` is 0) a line break, now
/// and then after a comment.
fn gap(r: &mut Rng, lines: usize) -> String {
    let mut out = String::from(r.pick(&["", "", " ", "  ", "\t", " \t"]));
    if lines > 0 && r.one_in(4 * lines) {
        if r.one_in(2) {
            out.push_str(&comment(r));
        }
        out.push_str(r.pick(&["\n", "\n", "\r\n", "\n\n  "]));
    }
    out
}

/// A comment, now and then with a character comments may not hold.
fn comment(r: &mut Rng) -> String {
    let mut out = String::from("#");
    for _ in 0..r.below(6) {
        out.push_str(r.pick(&[
            " ", "x", "'", "\"", "#", "é", "\t", "=", "[", "\\", "\u{7f}", "\u{1}",
        ]));
        if out.ends_with(['\u{7f}', '\u{1}']) && !r.one_in(8) {
            out.pop();
        }
    }
    out
}

/// A number in one of TOML's forms, valid or nearly so.
fn number(r: &mut Rng) -> String {
    let digits = |r: &mut Rng, set: &[&str]| {
        let mut d = String::new();
        for i in 0..1 + r.below(4) {
            if i > 0 && r.one_in(4) {
                d.push('_');
            }
            d.push_str(r.pick(set));
        }
        if r.one_in(30) {
            d.push('_');
        }
        d
    };
    const DEC: &[&str] = &["0", "1", "2", "5", "9"];
    match r.below(12) {
        0 => format!("0x{}", digits(r, &["0", "7", "a", "F", "e"])),
        1 => format!("0o{}", digits(r, &["0", "1", "7", "8"])),
        2 => format!("0b{}", digits(r, &["0", "1", "2"])),
        3 => r
            .pick(&[
                "inf", "+inf", "-inf", "nan", "+nan", "-nan", "0X1", "+0x1", "infinity", "0d1",
            ])
            .to_string(),
        4 => r.pick(&["true", "false", "tru", "True"]).to_string(),
        5 => r
            .pick(&[
                "1979-05-27",
                "07:32:00",
                "1979-05-27T07:32:00Z",
                "1979-05-27 07:32:00",
            ])
            .to_string(),
        _ => {
            let mut n = String::from(r.pick(&["", "", "+", "-", "--"]));
            n.push_str(&digits(r, DEC));
            if r.one_in(2) {
                n.push('.');
                if !r.one_in(20) {
                    n.push_str(&digits(r, DEC));
                }
            }
            if r.one_in(3) {
                n.push_str(r.pick(&["e", "E", "e+", "e-", "E_"]));
                n.push_str(&digits(r, DEC));
            }
            n
        }
    }
}

/// A string: basic or literal, with escapes (valid or not) and awkward characters.
fn string(r: &mut Rng) -> String {
    const PARTS: &[&str] = &[
        "a",
        " ",
        "é",
        "😀",
        "\t",
        "'",
        "#",
        "=",
        "[",
        "}",
        ",",
        "\\n",
        "\\t",
        "\\\\",
        "\\\"",
        "\\u00e9",
        "\\U0001F600",
        "\\e",
        "\\x41",
        "\\q",
        "\\uD800",
        "\u{1}",
        "\u{7f}",
    ];
    let literal = r.one_in(3);
    let quote = if literal { '\'' } else { '"' };
    let mut out = String::from(quote);
    if r.one_in(40) {
        out.push_str(if literal { "''\n" } else { "\"\"\n" });
    }
    for _ in 0..r.below(5) {
        let p = r.pick(PARTS);
        let bad = matches!(p, "\\q" | "\\uD800" | "\u{1}" | "\u{7f}")
            || (literal && (p == "'" || p.starts_with('\\')));
        if !bad || r.one_in(10) {
            out.push_str(p);
        }
    }
    if !r.one_in(50) {
        out.push(quote);
    }
    out
}

fn lex_key(r: &mut Rng) -> String {
    let mut out = String::new();
    for i in 0..1 + usize::from(r.one_in(3)) {
        if i > 0 {
            out.push_str(&gap(r, 0));
            out.push('.');
            out.push_str(&gap(r, 0));
        }
        match r.below(8) {
            0 => out.push_str(&string(r)),
            1 => out.push_str(r.pick(&["1", "-", "_x", "a-b", "1.5", "true", "é", "a\"b"])),
            _ => out.push_str(r.pick(&["a", "b", "c", "k1", "k-2", "K_3"])),
        }
    }
    out
}

fn lex_value(r: &mut Rng, depth: usize) -> String {
    match r.below(if depth > 2 { 2 } else { 4 }) {
        0 => number(r),
        1 => string(r),
        2 => {
            let mut out = String::from("[");
            for i in 0..r.below(4) {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&gap(r, 1));
                out.push_str(&lex_value(r, depth + 1));
                out.push_str(&gap(r, 1));
            }
            if r.one_in(4) {
                out.push(',');
            }
            out.push_str(&gap(r, 1));
            out.push(']');
            out
        }
        _ => {
            let mut out = String::from("{");
            for i in 0..r.below(4) {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&gap(r, 3));
                out.push_str(&lex_key(r));
                out.push_str(&gap(r, 20));
                out.push('=');
                out.push_str(&gap(r, 20));
                out.push_str(&lex_value(r, depth + 1));
                out.push_str(&gap(r, 3));
            }
            if r.one_in(6) {
                out.push(',');
            }
            out.push('}');
            out
        }
    }
}

/// A random text aimed at the lexers: every form of number, strings with escapes, keys of all
/// kinds, and spaces, comments and line breaks wherever they may go (and now and then where
/// they may not).
fn lexer_text(r: &mut Rng) -> String {
    let mut out = String::new();
    if r.one_in(100) {
        out.push('\u{feff}');
    }
    for _ in 0..1 + r.below(6) {
        out.push_str(&gap(r, 0));
        match r.below(6) {
            0 => {
                let array = r.one_in(3);
                out.push_str(if array { "[[" } else { "[" });
                out.push_str(&gap(r, 0));
                out.push_str(&lex_key(r));
                out.push_str(&gap(r, 0));
                out.push_str(if array { "]]" } else { "]" });
            }
            1 => out.push_str(&comment(r)),
            _ => {
                out.push_str(&lex_key(r));
                out.push_str(&gap(r, 0));
                out.push('=');
                out.push_str(&gap(r, 0));
                out.push_str(&lex_value(r, 0));
            }
        }
        out.push_str(&gap(r, 0));
        if r.one_in(3) {
            out.push_str(&comment(r));
        }
        out.push_str(if r.one_in(40) {
            "\r"
        } else {
            r.pick(&["\n", "\n", "\r\n", "\n\n"])
        });
    }
    out
}

#[test]
fn random_lexer_texts_read_as_toml_reads_them() {
    let mut r = Rng(0x2545_F491_4F6C_DD1D);
    let (mut with_errors, mut taken) = (0, 0);
    let n = 5000;
    for _ in 0..n {
        let text = lexer_text(&mut r);
        with_errors += usize::from(same(&text));
        taken += usize::from(fast(&text));
    }
    // Valid and invalid texts, and most valid ones taken by the hand-written reader (it leaves
    // dates and multi-line strings to `toml_parser`).
    eprintln!("{with_errors} of {n} with errors; the fast reader took {taken}");
    assert!(
        with_errors > n / 10 && with_errors < n * 9 / 10,
        "{with_errors} of {n} had errors"
    );
    assert!(
        taken * 2 > n - with_errors,
        "the fast reader took {taken} of {} valid texts",
        n - with_errors
    );
}

/// A model file as `benches/gen_model.py` writes it (`nodes` decision nodes and their leaves).
fn generated_model(nodes: usize) -> String {
    let mut r = Rng(42);
    let mut out = String::from(
        "title = \"random\"\nplayers = [\"P0\", \"P1\", \"P2\"]\nroot = \"n0\"\n\n\
         [parameters]\nscale = { value = 1, range = [0, 2] }\n\n",
    );
    let mut next = 1;
    for i in 0..nodes {
        let k = 2 + r.below(3);
        let moves: Vec<String> = (0..k)
            .map(|m| {
                let j = next + m;
                let to = if j < nodes {
                    format!("n{j}")
                } else {
                    format!("o{j}")
                };
                format!("{} = {{ to = \"{to}\" }}", ["a", "b", "c", "d"][m])
            })
            .collect();
        out.push_str(&format!(
            "[nodes.n{i}]\nplayer = \"P{}\"\nmoves = {{ {} }}\n\n",
            r.below(3),
            moves.join(", ")
        ));
        for j in next..next + k {
            if j >= nodes {
                let pays: Vec<String> = (0..3)
                    .map(|p| {
                        let v = format!("{:.2}", r.below(1000) as f64 / 100.0);
                        if p == 0 && j % 10 == 0 {
                            format!("P{p} = \"{v}*scale\"")
                        } else {
                            format!("P{p} = {v}")
                        }
                    })
                    .collect();
                out.push_str(&format!(
                    "[outcomes.o{j}]\npayoffs = {{ {} }}\n\n",
                    pays.join(", ")
                ));
            }
        }
        next += k;
    }
    out
}

#[test]
fn the_fast_reader_takes_model_files() {
    // Fails when the hand-written reader stops being taken on what model files hold: the
    // generated big model and every model shipped in models/.
    let text = generated_model(2000);
    assert!(
        fast(&text),
        "the fast reader gave up on the generated model"
    );
    assert!(!same(&text));
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/models");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("models/ is in the repository")
        .chain(std::fs::read_dir(format!("{dir}/data")).expect("models/data is in the repository"))
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 9, "{} model files", files.len());
    for path in files {
        let text = std::fs::read_to_string(&path).expect("a model file reads");
        assert!(fast(&text), "the fast reader gave up on {}", path.display());
        assert!(!same(&text), "{} has errors", path.display());
    }
}
