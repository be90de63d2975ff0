//! A compact, span-keeping TOML document that borrows from the file's text.
//!
//! Model files can have millions of values, and `toml`'s document costs about 48 bytes of memory
//! per byte of input (a token vector of the whole file, then index maps with a span and a `Cow`
//! per key and value). This module drives `toml_parser` (the lexer, push parser and decoders
//! under `toml`) in chunks of whole top-level lines and builds its own document: one 32-byte
//! [`Node`] per value (with the key it is stored under), children linked in file order, strings
//! as byte ranges of the source (or of one buffer for the few that have escapes), and one hash
//! index shared by all tables with more than a handful of keys.
//!
//! It owns TOML's table semantics (headers, dotted keys, arrays of tables, inline tables, the
//! "defined twice" rules), written to give the same document and the same errors, at the same
//! spans and with the same messages, as `toml::de::DeTable::parse_recoverable` (`doc_tests`
//! compares the two on a corpus of valid and invalid texts and on random ones).
//!
//! Model files never reach `toml_parser`: a hand-written reader (`doc_fast.rs`) takes the
//! ordinary TOML model files are written in, in one pass over the bytes, and calls the same
//! builder methods in the same order; it gives up on anything else (dates, multi-line strings)
//! and on any error, and the text is then read again as below, so errors keep `toml`'s
//! messages and places.
//!
//! Through `toml_parser`, chunks are cut at a newline outside any brackets once about 65,000
//! tokens are lexed, where a valid text is between two top-level lines. Texts shorter than that
//! are parsed in one piece, exactly as `toml` does; in longer ones, the syntax errors of each
//! chunk come before the table errors of that chunk (the model reader sorts diagnostics by
//! place anyway), and a bracket closed by the wrong kind (`{ a = ]`) can let the parser resume
//! at the next line where `toml`'s would still be inside the inline table.

#[path = "doc_fast.rs"]
mod fast;

use hashbrown::HashTable;
use rustc_hash::{FxHashMap, FxHasher};
use std::borrow::Cow;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use toml_parser::decoder::ScalarKind;
use toml_parser::parser::{Event, EventKind, RecursionGuard, ValidateWhitespace};
use toml_parser::{ErrorSink, ParseError, Source, Span};

/// A TOML syntax or structure error: where, and the message `toml` gives for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// The byte range it points at (`None` when the parser gives no place).
    pub span: Option<Range<usize>>,
    /// The message, as `toml` words it ("duplicate key", "invalid string, expected …").
    pub message: String,
}

/// Nesting limit of arrays and inline tables (as `toml`'s).
const LIMIT: u32 = 80;

/// Tables with more keys than this get their keys in the shared hash index.
const SCAN_MAX: u8 = 8;

/// Tokens lexed before the parser runs on them (cut at the next top-level newline).
const CHUNK_TOKENS: usize = 1 << 16;

/// No node.
const NONE: u32 = u32::MAX;

/// What a node holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
enum Kind {
    String,
    Integer,
    Float,
    Boolean,
    Datetime,
    Array,
    Table,
}

// Node flags.
const IMPLICIT: u8 = 1;
const DOTTED: u8 = 2;
const INLINE: u8 = 4;
/// An array made by `[[header]]`s.
const AOT: u8 = 8;
/// Removed from its table (a table re-opened by a header moves to the end of its parent).
const DEAD: u8 = 16;
/// `a`/`b` index `Doc::decoded`, not the source.
const DECODED: u8 = 32;
/// A boolean's value.
const TRUE: u8 = 64;

// How a node's key text is found.
/// The key text is its span (a bare key).
const KEY_BARE: u8 = 0;
/// The key text is its span without the first and last byte (a quoted key without escapes).
const KEY_QUOTED: u8 = 1;
/// The key text is in `Doc::decoded`, at `Doc::keys[node]`.
const KEY_DECODED: u8 = 2;

/// One value, with the key it is stored under in its table (none for array elements).
#[derive(Clone, Copy, Debug)]
struct Node {
    key: [u32; 2],
    span: [u32; 2],
    /// Scalars: start and length of the decoded text. Arrays and tables: first and last child.
    a: u32,
    b: u32,
    /// The next child of the same parent.
    next: u32,
    kind: Kind,
    flags: u8,
    /// Integers: the radix. Tables and arrays: children added (saturating).
    extra: u8,
    key_form: u8,
}

// The memory of a big model's document is this size times its number of values.
const _: () = assert!(std::mem::size_of::<Node>() == 32);

impl Node {
    fn new(kind: Kind, span: [u32; 2]) -> Self {
        Node {
            key: [0, 0],
            span,
            a: NONE,
            b: NONE,
            next: NONE,
            kind,
            flags: 0,
            extra: 0,
            key_form: KEY_BARE,
        }
    }
}

/// A parsed TOML document. Values are read through [`Doc::root`].
pub struct Doc<'s> {
    src: &'s str,
    nodes: Vec<Node>,
    /// Decoded text of the strings and keys that are not verbatim slices of the source.
    decoded: String,
    /// Where a `KEY_DECODED` node's key is in `decoded`.
    keys: FxHashMap<u32, [u32; 2]>,
    /// `(group, child)` for the children of tables with more than [`SCAN_MAX`] keys, where a
    /// table's group is its own node, or for a table re-opened by a header (copied to a new
    /// node), the group of the node it was copied from.
    /// Each entry keeps its key's hash, so growing the index and looking up a new key (most
    /// lookups) do not read the key text.
    index: HashTable<Indexed>,
    /// The group of each re-opened table's copy (see `index`).
    alias: FxHashMap<u32, u32>,
    root: u32,
}

/// A key: its text (unescaped) and where it is written.
#[derive(Clone, Copy, Debug)]
pub struct Key<'d> {
    text: &'d str,
    span: [u32; 2],
}

impl<'d> Key<'d> {
    /// The key's text, unescaped.
    pub fn as_str(&self) -> &'d str {
        self.text
    }
    /// Where the key is written (with its quotes, if any).
    pub fn span(&self) -> Range<usize> {
        self.span[0] as usize..self.span[1] as usize
    }
}

/// A value of the document.
#[derive(Clone, Copy)]
pub struct Value<'d> {
    doc: &'d Doc<'d>,
    id: u32,
}

/// A table of the document.
#[derive(Clone, Copy)]
pub struct Table<'d> {
    doc: &'d Doc<'d>,
    id: u32,
}

/// An array of the document.
#[derive(Clone, Copy)]
pub struct Array<'d> {
    doc: &'d Doc<'d>,
    id: u32,
}

/// A number's decoded literal (sign and underscores kept, as `toml` keeps them) and radix.
#[derive(Clone, Copy, Debug)]
pub struct Number<'d> {
    text: &'d str,
    radix: u32,
}

impl<'d> Number<'d> {
    /// The literal as written, without a radix prefix's validation (`1_000`, `0x1F`, `-inf`).
    pub fn as_str(&self) -> &'d str {
        self.text
    }
    /// 10, 16, 8 or 2 (always 10 for floats).
    pub fn radix(&self) -> u32 {
        self.radix
    }
}

/// What a value is.
#[derive(Clone, Copy)]
pub enum Val<'d> {
    /// A string, unescaped.
    String(&'d str),
    /// An integer.
    Integer(Number<'d>),
    /// A float.
    Float(Number<'d>),
    /// A boolean.
    Boolean(bool),
    /// A date or time, as written.
    Datetime(&'d str),
    /// An array (also an array of tables).
    Array(Array<'d>),
    /// A table (standard, inline or implicit).
    Table(Table<'d>),
}

impl Val<'_> {
    /// What the value is, for messages: "a string", "an integer", ….
    pub fn type_name(self) -> &'static str {
        match self {
            Val::String(_) => "a string",
            Val::Integer(_) => "an integer",
            Val::Float(_) => "a number",
            Val::Boolean(_) => "a boolean",
            Val::Datetime(_) => "a date",
            Val::Array(_) => "an array",
            Val::Table(_) => "a table",
        }
    }
}

impl<'s> Doc<'s> {
    /// The top-level table.
    pub fn root(&self) -> Table<'_> {
        Table {
            doc: self,
            id: self.root,
        }
    }

    fn text(&self, n: &Node) -> &str {
        let (s, l) = (n.a as usize, n.b as usize);
        if n.flags & DECODED != 0 {
            &self.decoded[s..s + l]
        } else {
            &self.src[s..s + l]
        }
    }

    fn key_text(&self, id: u32) -> &str {
        let n = &self.nodes[id as usize];
        let [s, e] = n.key;
        match n.key_form {
            KEY_BARE => &self.src[s as usize..e as usize],
            KEY_QUOTED => &self.src[s as usize + 1..e as usize - 1],
            _ => {
                let [s, l] = self.keys[&id];
                &self.decoded[s as usize..(s + l) as usize]
            }
        }
    }

    fn children(&self, id: u32) -> Children<'_, 's> {
        Children {
            doc: self,
            next: self.nodes[id as usize].a,
        }
    }
}

/// The live children of a table or array, in file order.
struct Children<'d, 's> {
    doc: &'d Doc<'s>,
    next: u32,
}

impl Iterator for Children<'_, '_> {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        while self.next != NONE {
            let id = self.next;
            let n = &self.doc.nodes[id as usize];
            self.next = n.next;
            if n.flags & DEAD == 0 {
                return Some(id);
            }
        }
        None
    }
}

impl<'d> Value<'d> {
    /// Where the value is written (a header's `[…]` for a table it opens; the key for an
    /// implicit table).
    pub fn span(&self) -> Range<usize> {
        let [s, e] = self.doc.nodes[self.id as usize].span;
        s as usize..e as usize
    }

    /// What the value is.
    pub fn get(&self) -> Val<'d> {
        let doc = self.doc;
        let n = &doc.nodes[self.id as usize];
        match n.kind {
            Kind::String => Val::String(doc.text(n)),
            Kind::Integer => Val::Integer(Number {
                text: doc.text(n),
                radix: u32::from(n.extra),
            }),
            Kind::Float => Val::Float(Number {
                text: doc.text(n),
                radix: 10,
            }),
            Kind::Boolean => Val::Boolean(n.flags & TRUE != 0),
            Kind::Datetime => Val::Datetime(doc.text(n)),
            Kind::Array => Val::Array(Array { doc, id: self.id }),
            Kind::Table => Val::Table(Table { doc, id: self.id }),
        }
    }

    /// The table, if it is one.
    pub fn as_table(&self) -> Option<Table<'d>> {
        match self.get() {
            Val::Table(t) => Some(t),
            _ => None,
        }
    }
}

impl<'d> Table<'d> {
    /// The entries, in the order `toml` gives them (file order; a table re-opened by a header
    /// after being made implicitly comes last).
    pub fn iter(&self) -> impl Iterator<Item = (Key<'d>, Value<'d>)> + 'd {
        let doc = self.doc;
        doc.children(self.id).map(move |id| {
            (
                Key {
                    text: doc.key_text(id),
                    span: doc.nodes[id as usize].key,
                },
                Value { doc, id },
            )
        })
    }

    /// The value under `key`.
    pub fn get(&self, key: &str) -> Option<Value<'d>> {
        find(self.doc, self.id, key).map(|id| Value { doc: self.doc, id })
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.doc.children(self.id).count()
    }

    /// Whether the table has no entries.
    pub fn is_empty(&self) -> bool {
        self.doc.children(self.id).next().is_none()
    }
}

impl<'d> Array<'d> {
    /// The elements, in order.
    pub fn iter(&self) -> impl Iterator<Item = Value<'d>> + 'd {
        let doc = self.doc;
        doc.children(self.id).map(move |id| Value { doc, id })
    }

    /// The number of elements.
    pub fn len(&self) -> usize {
        self.doc.children(self.id).count()
    }

    /// Whether the array has no elements.
    pub fn is_empty(&self) -> bool {
        self.doc.children(self.id).next().is_none()
    }

    /// The `i`-th element.
    pub fn get(&self, i: usize) -> Option<Value<'d>> {
        self.iter().nth(i)
    }
}

fn key_hash(table: u32, key: &str) -> u64 {
    let mut h = FxHasher::default();
    table.hash(&mut h);
    key.hash(&mut h);
    h.finish()
}

/// The group of table `id` in the hash index.
fn group(alias: &FxHashMap<u32, u32>, id: u32) -> u32 {
    if alias.is_empty() {
        id
    } else {
        alias.get(&id).copied().unwrap_or(id)
    }
}

/// The live child of table `table` under `key`.
fn find(doc: &Doc<'_>, table: u32, key: &str) -> Option<u32> {
    let t = &doc.nodes[table as usize];
    if t.extra > SCAN_MAX {
        let g = group(&doc.alias, table);
        let h = key_hash(g, key);
        doc.index
            .find(h, |e| {
                e.hash == h && e.group == g && key_is(doc, e.child, key)
            })
            .map(|e| e.child)
    } else {
        let mut c = t.a;
        while c != NONE {
            let n = &doc.nodes[c as usize];
            if n.flags & DEAD == 0 && key_is(doc, c, key) {
                return Some(c);
            }
            c = n.next;
        }
        None
    }
}

/// Whether node `id` is stored under `key`: the length from the key's span first, then the
/// bytes (short keys compared in place, without a call to `memcmp`).
#[inline(always)]
fn key_is(doc: &Doc<'_>, id: u32, key: &str) -> bool {
    let n = &doc.nodes[id as usize];
    let [s, e] = n.key;
    let (s, e) = (s as usize, e as usize);
    let text = match n.key_form {
        KEY_BARE if e - s == key.len() => &doc.src.as_bytes()[s..e],
        KEY_QUOTED if e - s == key.len() + 2 => &doc.src.as_bytes()[s + 1..e - 1],
        KEY_DECODED => doc.key_text(id).as_bytes(),
        _ => return false,
    };
    let key = key.as_bytes();
    if key.len() <= 16 {
        text.len() == key.len() && text.iter().zip(key).all(|(a, b)| a == b)
    } else {
        text == key
    }
}

/// An entry of the hash index: the table's group, the child and the hash of its key.
#[derive(Clone, Copy)]
struct Indexed {
    group: u32,
    child: u32,
    hash: u64,
}

/// A key as read: its span and unescaped text.
#[derive(Clone, Debug)]
struct KeyTok<'s> {
    span: Span,
    text: Cow<'s, str>,
}

struct Header<'s> {
    path: Vec<KeyTok<'s>>,
    key: Option<KeyTok<'s>>,
    span: Span,
    is_array: bool,
}

/// Events of one chunk, read front to back.
struct Input<'e> {
    ev: &'e [Event],
    pos: usize,
}

impl<'e> Input<'e> {
    fn next_token(&mut self) -> Option<&'e Event> {
        let e = self.ev.get(self.pos)?;
        self.pos += 1;
        Some(e)
    }
    fn get(&self, i: usize) -> Option<&'e Event> {
        self.ev.get(self.pos + i)
    }
}

/// Collects the parser's and the builder's errors in `toml`'s wording.
struct Errors {
    list: Vec<SyntaxError>,
}

impl ErrorSink for Errors {
    fn report_error(&mut self, error: ParseError) {
        let mut message = String::from(error.description());
        if let Some(expected) = error.expected() {
            message.push_str(", expected ");
            if expected.is_empty() {
                message.push_str("nothing");
            } else {
                for (i, e) in expected.iter().enumerate() {
                    if i != 0 {
                        message.push_str(", ");
                    }
                    match e {
                        toml_parser::Expected::Literal(desc) => {
                            message.push_str(&render_literal(desc))
                        }
                        toml_parser::Expected::Description(desc) => message.push_str(desc),
                        _ => message.push_str("etc"),
                    }
                }
            }
        }
        let span = error.unexpected().map(|s| s.start()..s.end());
        self.list.push(SyntaxError { span, message });
    }
}

fn render_literal(literal: &str) -> String {
    match literal {
        "\n" => "newline".to_owned(),
        "`" => "'`'".to_owned(),
        s if s.chars().all(|c| c.is_ascii_control()) => format!("`{}`", s.escape_debug()),
        s => format!("`{s}`"),
    }
}

fn sp(s: Span) -> [u32; 2] {
    // `parse` refuses texts longer than `u32::MAX` bytes, so every offset fits.
    [s.start() as u32, s.end() as u32]
}

/// Parses a TOML text. The document holds everything that could be read; the errors say what
/// could not (the same errors as `toml`'s recoverable parser; see the module docs for the order
/// in texts longer than one chunk).
///
/// Texts [`parse_fast`] takes are read by it; the others (and any text with an error) through
/// `toml_parser`.
pub fn parse(src: &str) -> (Doc<'_>, Vec<SyntaxError>) {
    match parse_fast(src) {
        Some(doc) => (doc, Vec::new()),
        None => parse_events(src),
    }
}

/// Reads a text of ordinary TOML (what model files use; see `doc_fast`) with the hand-written
/// reader: `None` when the text has anything that reader leaves to `toml_parser`, or any
/// error. When it answers, the document is the one [`parse`] gives through `toml_parser`.
pub fn parse_fast(src: &str) -> Option<Doc<'_>> {
    u32::try_from(src.len()).ok()?;
    let mut b = Builder::new(src);
    fast::read(&mut b, src)?;
    Some(b.doc)
}

/// [`parse`] through `toml_parser`'s lexer, parser and decoders, whatever the text.
pub(crate) fn parse_events(src: &str) -> (Doc<'_>, Vec<SyntaxError>) {
    if u32::try_from(src.len()).is_err() {
        let mut b = Builder::new("");
        b.doc.src = src;
        b.errors.list.push(SyntaxError {
            span: Some(0..0),
            message: "the file is larger than 4 GiB".into(),
        });
        b.doc.nodes.truncate(1);
        return (b.doc, b.errors.list);
    }
    let mut b = Builder::new(src);
    let source = Source::new(src);
    let mut tokens = Vec::with_capacity(CHUNK_TOKENS + 1024);
    let mut events = Vec::new();
    let mut depth = 0i64;
    let mut lexer = source.lex();
    loop {
        let token = lexer.next();
        let done = token.is_none();
        if let Some(t) = token {
            use toml_parser::lexer::TokenKind as T;
            match t.kind() {
                T::LeftSquareBracket | T::LeftCurlyBracket => depth += 1,
                T::RightSquareBracket | T::RightCurlyBracket => depth = (depth - 1).max(0),
                _ => {}
            }
            let cut = t.kind() == T::Newline && depth == 0 && tokens.len() >= CHUNK_TOKENS;
            tokens.push(t);
            if !cut {
                continue;
            }
        }
        // A chunk of whole top-level lines (or the rest of the text): parse it.
        events.clear();
        {
            let mut receiver = ValidateWhitespace::new(&mut events, source);
            let mut guard = RecursionGuard::new(&mut receiver, LIMIT);
            toml_parser::parser::parse_document(&tokens, &mut guard, &mut b.errors);
        }
        tokens.clear();
        if !b.stopped {
            let mut input = Input {
                ev: &events,
                pos: 0,
            };
            b.document(&mut input, source);
        }
        if done {
            break;
        }
    }
    b.finish_table();
    (b.doc, b.errors.list)
}

struct Builder<'s> {
    doc: Doc<'s>,
    errors: Errors,
    /// The table the lines under the current header go to (not yet in its parent).
    current_table: u32,
    current_header: Option<Header<'s>>,
    /// `toml` stops building at a key with no `=`; so does this.
    stopped: bool,
    /// An empty vector with room, for the next header's path (one allocation for them all).
    spare: Vec<KeyTok<'s>>,
}

impl<'s> Builder<'s> {
    /// A builder with the root table and the table of the lines before any header.
    fn new(src: &'s str) -> Self {
        let mut b = Builder {
            doc: Doc {
                src,
                // Model files hold about one value per 11 bytes: no copy while the arena
                // grows (pages reserved but not used are never touched).
                nodes: Vec::with_capacity(src.len() / 8 + 2),
                decoded: String::new(),
                keys: FxHashMap::default(),
                index: HashTable::new(),
                alias: FxHashMap::default(),
                root: 0,
            },
            errors: Errors { list: Vec::new() },
            current_table: 0,
            current_header: None,
            stopped: false,
            spare: Vec::new(),
        };
        b.doc.root = b.new_table(Span::new_unchecked(0, 0));
        b.current_table = b.new_table(Span::new_unchecked(0, 0));
        b
    }

    fn err(&mut self, e: ParseError) {
        self.errors.report_error(e);
    }

    fn push(&mut self, n: Node) -> u32 {
        let id = self.doc.nodes.len() as u32;
        self.doc.nodes.push(n);
        id
    }

    fn new_table(&mut self, span: Span) -> u32 {
        self.push(Node::new(Kind::Table, sp(span)))
    }

    fn flags(&self, id: u32) -> u8 {
        self.doc.nodes[id as usize].flags
    }

    fn set_key(&mut self, id: u32, key: &KeyTok<'s>) {
        let src = self.doc.src;
        let [s, e] = sp(key.span);
        let form = match &key.text {
            Cow::Borrowed(t) => {
                let off = (t.as_ptr() as usize).wrapping_sub(src.as_ptr() as usize);
                if off == s as usize && t.len() == (e - s) as usize {
                    Some(KEY_BARE)
                } else if off == s as usize + 1 && t.len() + 2 == (e - s) as usize {
                    Some(KEY_QUOTED)
                } else {
                    None
                }
            }
            Cow::Owned(_) => None,
        };
        let form = form.unwrap_or_else(|| {
            let start = self.doc.decoded.len() as u32;
            self.doc.decoded.push_str(&key.text);
            self.doc.keys.insert(id, [start, key.text.len() as u32]);
            KEY_DECODED
        });
        let n = &mut self.doc.nodes[id as usize];
        n.key = [s, e];
        n.key_form = form;
    }

    /// Appends `child` to the table or array `parent`.
    fn push_child(&mut self, parent: u32, child: u32) {
        let p = self.doc.nodes[parent as usize];
        if p.b == NONE {
            self.doc.nodes[parent as usize].a = child;
        } else {
            self.doc.nodes[p.b as usize].next = child;
        }
        let pn = &mut self.doc.nodes[parent as usize];
        pn.b = child;
        let before = pn.extra;
        pn.extra = before.saturating_add(1);
        if p.kind != Kind::Table || pn.extra <= SCAN_MAX {
            return;
        }
        let doc = &mut self.doc;
        let (nodes, keys, decoded, src) = (&doc.nodes, &doc.keys, &doc.decoded, doc.src);
        let key_of = |c: u32| key_text_raw(nodes, keys, decoded, src, c);
        let hasher = |e: &Indexed| e.hash;
        let g = group(&doc.alias, parent);
        let mut add = |c: u32| {
            let hash = key_hash(g, key_of(c));
            let e = Indexed {
                group: g,
                child: c,
                hash,
            };
            doc.index.insert_unique(hash, e, hasher);
        };
        if before == SCAN_MAX {
            // Just grown past scanning: index every live child.
            let mut c = nodes[parent as usize].a;
            while c != NONE {
                let n = &nodes[c as usize];
                if n.flags & DEAD == 0 {
                    add(c);
                }
                c = n.next;
            }
        } else {
            add(child);
        }
    }

    /// Takes the live child `child` out of table `parent` (it stays in the list, dead).
    fn remove_child(&mut self, parent: u32, child: u32) {
        let doc = &mut self.doc;
        doc.nodes[child as usize].flags |= DEAD;
        if doc.nodes[parent as usize].extra > SCAN_MAX {
            let g = group(&doc.alias, parent);
            let key = key_text_raw(&doc.nodes, &doc.keys, &doc.decoded, doc.src, child);
            if let Ok(e) = doc
                .index
                .find_entry(key_hash(g, key), |e| e.group == g && e.child == child)
            {
                e.remove();
            }
        }
    }

    /// Stores a decoded scalar's text in node `n`: as a range of the source when it is a slice
    /// of it, else copied to `decoded`.
    fn store_text(&mut self, n: &mut Node, text: &str) {
        let src = self.doc.src;
        let off = (text.as_ptr() as usize).wrapping_sub(src.as_ptr() as usize);
        if off <= src.len() && text.len() <= src.len() - off {
            n.a = off as u32;
            n.b = text.len() as u32;
            return;
        }
        n.a = self.doc.decoded.len() as u32;
        n.b = text.len() as u32;
        n.flags |= DECODED;
        self.doc.decoded.push_str(text);
    }

    /// Reports a dotted key or header `key` that would extend value `id`, which is not a
    /// table (defined at `old`, where that is said).
    fn cannot_extend(&mut self, id: u32, key: Span, old: Option<Span>) {
        let ty = self.type_str(id);
        let mut e = ParseError::new(format!(
            "cannot extend value of type {ty} with a dotted key"
        ))
        .with_unexpected(key);
        if let Some(old) = old {
            e = e.with_context(old);
        }
        self.err(e);
    }

    fn type_str(&self, id: u32) -> &'static str {
        match self.doc.nodes[id as usize].kind {
            Kind::String => "string",
            Kind::Integer => "integer",
            Kind::Float => "float",
            Kind::Boolean => "boolean",
            Kind::Datetime => "datetime",
            Kind::Array => "array",
            Kind::Table => "table",
        }
    }

    /// The top-level lines of one chunk of events.
    fn document(&mut self, input: &mut Input<'_>, source: Source<'s>) {
        while let Some(event) = input.next_token() {
            match event.kind() {
                EventKind::InlineTableOpen
                | EventKind::InlineTableClose
                | EventKind::ArrayOpen
                | EventKind::ArrayClose
                | EventKind::Scalar
                | EventKind::ValueSep
                | EventKind::Error
                | EventKind::KeySep
                | EventKind::KeyValSep
                | EventKind::StdTableClose
                | EventKind::ArrayTableClose => continue,
                EventKind::StdTableOpen | EventKind::ArrayTableOpen => {
                    self.finish_table();
                    let header = self.on_table(event, input, source);
                    self.start_table(header);
                }
                EventKind::SimpleKey => {
                    let (path, key) = self.on_key(event, input, source);
                    let Some(key) = key else {
                        self.stopped = true;
                        return;
                    };
                    let Some(next) = input.next_token() else {
                        self.stopped = true;
                        return;
                    };
                    let next = if next.kind() == EventKind::Whitespace {
                        let Some(n) = input.next_token() else {
                            self.stopped = true;
                            return;
                        };
                        n
                    } else {
                        next
                    };
                    if next.kind() != EventKind::KeyValSep {
                        self.stopped = true;
                        return;
                    }
                    if input
                        .get(0)
                        .is_some_and(|e| e.kind() == EventKind::Whitespace)
                    {
                        input.next_token();
                    }
                    let value = self.value(input, source);
                    self.capture_key_value(path, key, value);
                }
                EventKind::Whitespace | EventKind::Comment | EventKind::Newline => {}
            }
        }
    }

    fn on_table(&mut self, open: &Event, input: &mut Input<'_>, source: Source<'s>) -> Header<'s> {
        let is_array = open.kind() == EventKind::ArrayTableOpen;
        let mut path = Vec::new();
        let mut key = None;
        let mut span = open.span();
        while let Some(event) = input.next_token() {
            match event.kind() {
                EventKind::ArrayTableClose | EventKind::StdTableClose => {
                    span = span.append(event.span());
                    break;
                }
                EventKind::SimpleKey => {
                    let (p, k) = self.on_key(event, input, source);
                    path = p;
                    key = k;
                }
                _ => continue,
            }
        }
        Header {
            path,
            key,
            span,
            is_array,
        }
    }

    fn on_key(
        &mut self,
        first: &Event,
        input: &mut Input<'_>,
        source: Source<'s>,
    ) -> (Vec<KeyTok<'s>>, Option<KeyTok<'s>>) {
        let mut path = Vec::new();
        let mut result: Option<KeyTok<'s>> = None;
        let mut current = Some(*first);
        let more_key = |input: &Input<'_>| {
            let first = input.get(0).map(|e| e.kind());
            let second = input.get(1).map(|e| e.kind());
            first == Some(EventKind::KeySep)
                || (first == Some(EventKind::Whitespace) && second == Some(EventKind::KeySep))
        };
        let mut close =
            |b: &mut Self, current: &mut Option<Event>, result: &mut Option<KeyTok<'s>>| {
                let Some(key) = current.take() else {
                    return;
                };
                // The event's span is within the source it was lexed from.
                let raw = source.get(key).expect("event span within the source");
                let mut decoded = Cow::Borrowed("");
                raw.decode_key(&mut decoded, &mut b.errors);
                if let Some(last) = result.replace(KeyTok {
                    span: key.span(),
                    text: decoded,
                }) {
                    path.push(last);
                }
            };
        if more_key(input) {
            while let Some(event) = input.next_token() {
                match event.kind() {
                    EventKind::SimpleKey => {
                        current = Some(*event);
                        if !more_key(input) {
                            break;
                        }
                    }
                    EventKind::KeySep => close(self, &mut current, &mut result),
                    _ => continue,
                }
            }
        }
        close(self, &mut current, &mut result);
        if LIMIT as usize <= path.len() {
            self.err(ParseError::new("recursion limit"));
            return (Vec::new(), None);
        }
        (path, result)
    }

    /// Puts `value` under `key` in `table` (reached through a dotted path when `dotted`),
    /// or reports the duplicate: a key defined twice, or a table of dotted keys extended by a
    /// plain key (and the other way round).
    fn insert_key(&mut self, table: u32, dotted: bool, key: &KeyTok<'s>, value: u32) {
        if (self.flags(table) & DOTTED != 0) != dotted {
            self.err(ParseError::new("duplicate key").with_unexpected(key.span));
            return;
        }
        match find(&self.doc, table, &key.text) {
            None => {
                self.set_key(value, key);
                self.push_child(table, value);
            }
            Some(old) => {
                let [s, e] = self.doc.nodes[old as usize].key;
                self.err(
                    ParseError::new("duplicate key")
                        .with_unexpected(key.span)
                        .with_context(Span::new_unchecked(s as usize, e as usize)),
                );
            }
        }
    }

    fn capture_key_value(&mut self, path: Vec<KeyTok<'s>>, key: KeyTok<'s>, value: u32) {
        let Some(parent) = self.descend_path(self.current_table, &path, true) else {
            return;
        };
        self.insert_key(parent, !path.is_empty(), &key, value);
    }

    fn finish_table(&mut self) {
        let prev = self.current_table;
        self.current_table = self.new_table(Span::new_unchecked(0, 0));
        let Some(header) = self.current_header.take() else {
            self.doc.root = prev;
            return;
        };
        self.attach(prev, &header);
        let mut path = header.path;
        path.clear();
        self.spare = path;
    }

    /// Puts table `prev`, the lines under `header`, where the header says.
    fn attach(&mut self, prev: u32, header: &Header<'s>) {
        let Some(key) = &header.key else {
            return;
        };
        self.doc.nodes[prev as usize].span = sp(header.span);
        let Some(parent) = self.descend_path(self.doc.root, &header.path, false) else {
            return;
        };
        if header.is_array {
            let array = match find(&self.doc, parent, &key.text) {
                Some(a) => a,
                None => {
                    let mut n = Node::new(Kind::Array, sp(header.span));
                    n.flags = AOT;
                    let a = self.push(n);
                    self.set_key(a, key);
                    self.push_child(parent, a);
                    a
                }
            };
            let n = self.doc.nodes[array as usize];
            if n.kind != Kind::Array || n.flags & AOT == 0 {
                let [s, e] = n.span;
                self.err(
                    ParseError::new("duplicate key")
                        .with_unexpected(key.span)
                        .with_context(Span::new_unchecked(s as usize, e as usize)),
                );
                return;
            }
            self.push_child(array, prev);
        } else {
            self.set_key(prev, key);
            self.push_child(parent, prev);
        }
    }

    fn start_table(&mut self, header: Header<'s>) {
        if !header.is_array {
            if let (Some(parent), Some(key)) = (
                self.descend_path(self.doc.root, &header.path, false),
                &header.key,
            ) {
                if let Some(old) = find(&self.doc, parent, &key.text) {
                    self.remove_child(parent, old);
                    let n = self.doc.nodes[old as usize];
                    let reuse = n.kind == Kind::Table;
                    if !(reuse && n.flags & IMPLICIT != 0 && n.flags & DOTTED == 0) {
                        let [s, e] = n.key;
                        self.err(
                            ParseError::new("duplicate key")
                                .with_unexpected(key.span)
                                .with_context(Span::new_unchecked(s as usize, e as usize)),
                        );
                    }
                    if reuse {
                        // A copy: the old node stays (dead) in its parent's list.
                        let mut copy = n;
                        copy.flags &= !DEAD;
                        copy.next = NONE;
                        let id = self.push(copy);
                        let g = group(&self.doc.alias, old);
                        self.doc.alias.insert(id, g);
                        self.current_table = id;
                    }
                }
            }
        }
        let t = &mut self.doc.nodes[self.current_table as usize];
        t.flags &= !(IMPLICIT | DOTTED);
        self.current_header = Some(header);
    }

    /// The table at `path` under `table` (made implicitly where missing), for a header
    /// (`dotted == false`) or a dotted key outside inline tables.
    fn descend_path(&mut self, mut table: u32, path: &[KeyTok<'s>], dotted: bool) -> Option<u32> {
        for key in path {
            table = match find(&self.doc, table, &key.text) {
                None => {
                    let mut n = Node::new(Kind::Table, sp(key.span));
                    n.flags = IMPLICIT | if dotted { DOTTED } else { 0 };
                    let t = self.push(n);
                    self.set_key(t, key);
                    self.push_child(table, t);
                    t
                }
                Some(e) => {
                    let n = self.doc.nodes[e as usize];
                    let old = Span::new_unchecked(n.span[0] as usize, n.span[1] as usize);
                    match n.kind {
                        Kind::Array => {
                            if n.flags & AOT == 0 {
                                self.cannot_extend(e, key.span, Some(old));
                                return None;
                            }
                            let last = n.b;
                            if self.doc.nodes[last as usize].kind == Kind::Table {
                                last
                            } else {
                                self.cannot_extend(last, key.span, Some(old));
                                return None;
                            }
                        }
                        Kind::Table => {
                            if n.flags & INLINE != 0 {
                                self.err(
                                    ParseError::new(
                                        "cannot extend value of type inline table with a dotted key",
                                    )
                                    .with_unexpected(key.span),
                                );
                                return None;
                            }
                            if dotted && n.flags & IMPLICIT == 0 {
                                self.err(
                                    ParseError::new("duplicate key").with_unexpected(key.span),
                                );
                                return None;
                            }
                            e
                        }
                        _ => {
                            self.cannot_extend(e, key.span, Some(old));
                            return None;
                        }
                    }
                }
            };
        }
        Some(table)
    }

    /// The table at `path` under an inline table's `table`.
    fn descend_inline(&mut self, mut table: u32, path: &[KeyTok<'s>]) -> Option<u32> {
        for key in path {
            table = match find(&self.doc, table, &key.text) {
                None => {
                    let mut n = Node::new(Kind::Table, sp(key.span));
                    n.flags = IMPLICIT | DOTTED | INLINE;
                    let t = self.push(n);
                    self.set_key(t, key);
                    self.push_child(table, t);
                    t
                }
                Some(e) => {
                    let n = self.doc.nodes[e as usize];
                    if n.kind == Kind::Table {
                        if n.flags & IMPLICIT == 0 {
                            self.err(ParseError::new("duplicate key").with_unexpected(key.span));
                            return None;
                        }
                        e
                    } else {
                        self.cannot_extend(e, key.span, None);
                        return None;
                    }
                }
            };
        }
        Some(table)
    }

    fn value(&mut self, input: &mut Input<'_>, source: Source<'s>) -> u32 {
        if let Some(event) = input.next_token() {
            match event.kind() {
                EventKind::InlineTableOpen => return self.on_inline_table(event, input, source),
                EventKind::ArrayOpen => return self.on_array(event, input, source),
                EventKind::Scalar => return self.on_scalar(event, source),
                _ => {}
            }
        }
        // `toml` reads a missing value as the integer 0, at 0..0.
        let mut n = Node::new(Kind::Integer, [0, 0]);
        n.extra = 10;
        self.store_text(&mut n, "0");
        self.push(n)
    }

    fn on_scalar(&mut self, event: &Event, source: Source<'s>) -> u32 {
        // The event's span is within the source it was lexed from.
        let raw = source.get(event).expect("event span within the source");
        let mut decoded = Cow::Borrowed("");
        let kind = raw.decode_scalar(&mut decoded, &mut self.errors);
        let mut n = Node::new(Kind::String, sp(event.span()));
        match kind {
            ScalarKind::String => {}
            ScalarKind::Boolean(v) => {
                n.kind = Kind::Boolean;
                if v {
                    n.flags |= TRUE;
                }
            }
            ScalarKind::DateTime => {
                n.kind = Kind::Datetime;
                if let Err(e) = decoded.parse::<toml_datetime::Datetime>() {
                    self.err(ParseError::new(e.to_string()).with_unexpected(event.span()));
                }
            }
            ScalarKind::Float => n.kind = Kind::Float,
            ScalarKind::Integer(radix) => {
                n.kind = Kind::Integer;
                n.extra = radix.value() as u8;
            }
        }
        if n.kind != Kind::Boolean {
            self.store_text(&mut n, &decoded);
        }
        self.push(n)
    }

    fn on_array(&mut self, open: &Event, input: &mut Input<'_>, source: Source<'s>) -> u32 {
        let array = self.push(Node::new(Kind::Array, sp(open.span())));
        let mut close_span = open.span();
        let mut current = None;
        while let Some(event) = input.next_token() {
            close_span = event.span();
            match event.kind() {
                EventKind::StdTableOpen
                | EventKind::ArrayTableOpen
                | EventKind::InlineTableClose
                | EventKind::SimpleKey
                | EventKind::KeySep
                | EventKind::KeyValSep
                | EventKind::StdTableClose
                | EventKind::ArrayTableClose => break,
                EventKind::Error => continue,
                EventKind::InlineTableOpen => {
                    current = Some(self.on_inline_table(event, input, source));
                }
                EventKind::ArrayOpen => current = Some(self.on_array(event, input, source)),
                EventKind::Scalar => current = Some(self.on_scalar(event, source)),
                EventKind::ValueSep => {
                    if let Some(v) = current.take() {
                        self.push_child(array, v);
                    }
                }
                EventKind::Whitespace | EventKind::Comment | EventKind::Newline => {}
                EventKind::ArrayClose => {
                    if let Some(v) = current.take() {
                        self.push_child(array, v);
                    }
                    break;
                }
            }
        }
        self.doc.nodes[array as usize].span = [open.span().start() as u32, close_span.end() as u32];
        array
    }

    fn on_inline_table(&mut self, open: &Event, input: &mut Input<'_>, source: Source<'s>) -> u32 {
        let mut n = Node::new(Kind::Table, sp(open.span()));
        n.flags = INLINE;
        let table = self.push(n);
        let mut close_span = open.span();
        let mut key: Option<(Vec<KeyTok<'s>>, KeyTok<'s>)> = None;
        let mut current = None;
        while let Some(event) = input.next_token() {
            close_span = event.span();
            match event.kind() {
                EventKind::StdTableOpen
                | EventKind::ArrayTableOpen
                | EventKind::StdTableClose
                | EventKind::ArrayClose
                | EventKind::ArrayTableClose
                | EventKind::KeySep => break,
                EventKind::Error => continue,
                EventKind::SimpleKey => {
                    let (path, k) = self.on_key(event, input, source);
                    if let Some(k) = k {
                        key = Some((path, k));
                    }
                }
                EventKind::KeyValSep => {}
                EventKind::InlineTableOpen => {
                    current = Some(self.on_inline_table(event, input, source));
                }
                EventKind::ArrayOpen => current = Some(self.on_array(event, input, source)),
                EventKind::Scalar => current = Some(self.on_scalar(event, source)),
                EventKind::ValueSep => self.inline_entry(table, &mut key, &mut current),
                EventKind::Whitespace | EventKind::Comment | EventKind::Newline => {}
                EventKind::InlineTableClose => {
                    self.inline_entry(table, &mut key, &mut current);
                    break;
                }
            }
        }
        self.doc.nodes[table as usize].span = [open.span().start() as u32, close_span.end() as u32];
        table
    }

    fn inline_entry(
        &mut self,
        table: u32,
        key: &mut Option<(Vec<KeyTok<'s>>, KeyTok<'s>)>,
        current: &mut Option<u32>,
    ) {
        let (Some((path, key)), Some(value)) = (key.take(), current.take()) else {
            return;
        };
        let Some(t) = self.descend_inline(table, &path) else {
            return;
        };
        self.insert_key(t, !path.is_empty(), &key, value);
    }
}

fn key_text_raw<'a>(
    nodes: &'a [Node],
    keys: &'a FxHashMap<u32, [u32; 2]>,
    decoded: &'a str,
    src: &'a str,
    id: u32,
) -> &'a str {
    let n = &nodes[id as usize];
    let [s, e] = n.key;
    match n.key_form {
        KEY_BARE => &src[s as usize..e as usize],
        KEY_QUOTED => &src[s as usize + 1..e as usize - 1],
        _ => {
            let [s, l] = keys[&id];
            &decoded[s as usize..(s + l) as usize]
        }
    }
}
