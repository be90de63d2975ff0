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

/// Asserts both parsers read `text` alike; returns whether it had errors.
fn same(text: &str) -> bool {
    let (theirs, their_errors) = DeTable::parse_recoverable(text);
    let theirs = from_toml_table(theirs.get_ref());
    let their_errors: Vec<(Option<Range<usize>>, String)> = their_errors
        .iter()
        .map(|e| (e.span(), e.message().to_string()))
        .collect();
    let (ours, our_errors) = doc::parse(text);
    let ours = from_doc_table(ours.root());
    let our_errors: Vec<(Option<Range<usize>>, String)> = our_errors
        .into_iter()
        .map(|e| (e.span, e.message))
        .collect();
    assert_eq!(our_errors, their_errors, "errors differ on:\n{text}");
    assert_eq!(ours, theirs, "documents differ on:\n{text}");
    !their_errors.is_empty()
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
