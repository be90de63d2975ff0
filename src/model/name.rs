//! [`Name`]: a short string kept inline, for the names a model file writes by the million.
//!
//! A big model names every node, outcome, move, move target and payoff key, and writes most
//! payoffs as short numbers. As `String`s each would be its own heap block (32 bytes at least,
//! and a call to the allocator to make and to free) behind 24 bytes; a [`Name`] is 16 bytes and
//! holds up to 15 bytes in place, so those names cost no allocation at all. Longer texts go to
//! the heap. It reads as a `&str` (`Deref`), and compares, hashes and prints as one.

use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

/// Bytes held in place (with the length, 16 bytes).
const CAP: usize = 15;

/// A string of up to 15 bytes kept inline, longer ones on the heap; 16 bytes either way.
#[derive(Clone)]
pub struct Name(Repr);

/// The two forms. The length of an inline text is a [`Len`], whose unused values tell the
/// forms apart, so the enum needs no tag of its own: with the heap form a thin pointer (a box
/// holding the boxed text), both fit in 16 bytes.
#[derive(Clone)]
enum Repr {
    Inline(Inline),
    /// Longer texts (rare: a thin pointer keeps the enum at 16 bytes).
    #[allow(clippy::redundant_allocation)]
    Heap(Box<Box<str>>),
}

/// Up to [`CAP`] bytes of UTF-8 in place.
#[derive(Clone, Copy)]
struct Inline {
    len: Len,
    bytes: [u8; CAP],
}

/// The length of an inline text, `0..=CAP`.
#[derive(Clone, Copy)]
#[repr(u8)]
#[rustfmt::skip]
enum Len {
    L0, L1, L2, L3, L4, L5, L6, L7, L8, L9, L10, L11, L12, L13, L14, L15,
}

impl Len {
    /// The length as a number.
    fn get(self) -> usize {
        self as usize
    }

    /// `n` as a length, if it fits in place.
    fn new(n: usize) -> Option<Len> {
        use Len::*;
        const ALL: [Len; CAP + 1] = [
            L0, L1, L2, L3, L4, L5, L6, L7, L8, L9, L10, L11, L12, L13, L14, L15,
        ];
        ALL.get(n).copied()
    }
}

impl Name {
    /// The name as a `&str`.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            // The bytes were copied from a `&str` (whole, so they are UTF-8); the check is
            // short (at most 15 bytes) and never fails.
            Repr::Inline(s) => std::str::from_utf8(&s.bytes[..s.len.get()]).unwrap_or_default(),
            Repr::Heap(s) => s,
        }
    }

    /// The name's bytes (UTF-8), without the check [`as_str`](Self::as_str) makes: what
    /// comparisons read, so comparing names costs no more than comparing `&str`s.
    pub fn as_bytes(&self) -> &[u8] {
        match &self.0 {
            Repr::Inline(s) => &s.bytes[..s.len.get()],
            Repr::Heap(s) => s.as_bytes(),
        }
    }
}

impl From<&str> for Name {
    fn from(s: &str) -> Self {
        match Len::new(s.len()) {
            Some(len) => {
                let mut bytes = [0; CAP];
                bytes[..s.len()].copy_from_slice(s.as_bytes());
                Name(Repr::Inline(Inline { len, bytes }))
            }
            None => Name(Repr::Heap(Box::new(s.into()))),
        }
    }
}

impl From<String> for Name {
    fn from(s: String) -> Self {
        if s.len() <= CAP {
            Name::from(s.as_str())
        } else {
            Name(Repr::Heap(Box::new(s.into_boxed_str())))
        }
    }
}

impl From<&String> for Name {
    fn from(s: &String) -> Self {
        Name::from(s.as_str())
    }
}

impl From<Name> for String {
    fn from(n: Name) -> Self {
        n.as_str().to_string()
    }
}

impl Default for Name {
    fn default() -> Self {
        Name::from("")
    }
}

impl Deref for Name {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Name {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq for Name {
    fn eq(&self, other: &Name) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for Name {}

impl PartialOrd for Name {
    fn partial_cmp(&self, other: &Name) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Name {
    fn cmp(&self, other: &Name) -> std::cmp::Ordering {
        // `str` orders by bytes too.
        self.as_bytes().cmp(other.as_bytes())
    }
}

impl Hash for Name {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl PartialEq<Name> for String {
    fn eq(&self, other: &Name) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl PartialEq<Name> for str {
    fn eq(&self, other: &Name) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl PartialEq<Name> for &str {
    fn eq(&self, other: &Name) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::Name;

    #[test]
    fn short_and_long_names_read_back() {
        for s in [
            "",
            "n0",
            "the payoff of P",
            "the payoff of P0",
            &"x".repeat(22),
            &"y".repeat(23),
            &"é".repeat(40),
        ] {
            let n = Name::from(s);
            assert_eq!(n.as_str(), s);
            assert_eq!(n, s);
            assert_eq!(format!("{n}"), s);
            assert_eq!(format!("{n:?}"), format!("{s:?}"));
            assert_eq!(String::from(n.clone()), s);
        }
        assert_eq!(std::mem::size_of::<Name>(), 16);
        assert_eq!(std::mem::size_of::<Option<Name>>(), 16);
        let (a, b) = (Name::from("a"), Name::from("b"));
        assert!(a < b);
        // Compared by bytes, names order and compare as their texts do.
        let texts = [
            "",
            "a",
            "ab",
            "b",
            "é",
            "z",
            &"x".repeat(15),
            &"x".repeat(16),
        ];
        for x in texts {
            for y in texts {
                let (nx, ny) = (Name::from(x), Name::from(y));
                assert_eq!(nx.cmp(&ny), x.cmp(y), "{x} {y}");
                assert_eq!(nx == ny, x == y);
                assert_eq!(nx == *y, x == y);
                assert_eq!(nx.as_bytes(), x.as_bytes());
            }
        }
    }
}
