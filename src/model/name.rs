//! [`Name`]: a short string kept inline, for the names a model file writes by the million.
//!
//! A big model names every node, outcome, move, move target and payoff key, and writes most
//! payoffs as short numbers. As `String`s each would be its own heap block (32 bytes at least,
//! and a call to the allocator to make and to free); a [`Name`] is the size of a `String` and
//! holds up to 16 bytes in place, so those names cost no allocation at all. Longer texts go to
//! the heap. It reads as a `&str` (`Deref`), and compares, hashes and prints as one.

use arrayvec::ArrayString;
use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

/// Bytes held in place (with the length and the variant's tag, 24 bytes: a `String`'s size).
const CAP: usize = 16;

/// A string of up to 16 bytes kept inline, longer ones on the heap.
#[derive(Clone)]
pub struct Name(Repr);

#[derive(Clone)]
enum Repr {
    Inline(ArrayString<CAP>),
    /// Longer texts.
    Heap(Box<str>),
}

impl Name {
    /// The name as a `&str`.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Inline(s) => s.as_str(),
            Repr::Heap(s) => s,
        }
    }
}

impl From<&str> for Name {
    fn from(s: &str) -> Self {
        match ArrayString::from(s) {
            Ok(a) => Name(Repr::Inline(a)),
            Err(_) => Name(Repr::Heap(s.into())),
        }
    }
}

impl From<String> for Name {
    fn from(s: String) -> Self {
        if s.len() <= CAP {
            Name::from(s.as_str())
        } else {
            Name(Repr::Heap(s.into_boxed_str()))
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
        self.as_str() == other.as_str()
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
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for Name {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<Name> for String {
    fn eq(&self, other: &Name) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<Name> for str {
    fn eq(&self, other: &Name) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Name> for &str {
    fn eq(&self, other: &Name) -> bool {
        *self == other.as_str()
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
        assert_eq!(std::mem::size_of::<Name>(), std::mem::size_of::<String>());
        let (a, b) = (Name::from("a"), Name::from("b"));
        assert!(a < b);
    }
}
