//! Per-node strings of a [`Tree`](super::Tree) stored once each.
//!
//! A big tree has millions of nodes but few distinct names and move labels (a Gambit file of
//! 10^6 nodes uses four labels and no names). Keeping a `String` per node cost 24 bytes and
//! often a heap block each; [`Labels`] keeps each distinct value once and a 4-byte id per
//! node, and still reads like the vector it replaces (`labels[i]`, `len`, `iter`).

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;

/// A vector of values, each distinct value stored once: entry `i` is `values[ids[i]]`.
#[derive(Clone, Eq)]
pub struct Labels<T = String> {
    values: Vec<T>,
    ids: Vec<u32>,
}

impl<T> Labels<T> {
    /// From a table of distinct values and an id into it per entry (ids must be in range).
    ///
    /// # Panics
    /// If an id is not an index of `values`.
    pub fn from_parts(values: Vec<T>, ids: Vec<u32>) -> Self {
        assert!(
            ids.iter().all(|&i| (i as usize) < values.len()),
            "label id out of range"
        );
        Labels { values, ids }
    }

    /// `n` entries, all `value`.
    pub fn repeat(value: T, n: usize) -> Self {
        Labels {
            values: vec![value],
            ids: vec![0; n],
        }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True if there is no entry.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Entry `i`, if in range.
    pub fn get(&self, i: usize) -> Option<&T> {
        self.ids.get(i).map(|&k| &self.values[k as usize])
    }

    /// The entries in order.
    pub fn iter(&self) -> Iter<'_, T> {
        Iter {
            values: &self.values,
            ids: self.ids.iter(),
        }
    }

    /// The distinct values (in order of first use).
    pub fn distinct(&self) -> &[T] {
        &self.values
    }

    /// The distinct values and the id of each entry (as [`Labels::from_parts`] takes them).
    pub fn into_parts(self) -> (Vec<T>, Vec<u32>) {
        (self.values, self.ids)
    }
}

impl<T: Eq + Hash + Clone> Labels<T> {
    /// Interns each value of an iterator.
    pub fn interned(it: impl IntoIterator<Item = T>) -> Self {
        let mut b = LabelsBuilder::default();
        for v in it {
            b.push(v);
        }
        b.finish()
    }
}

impl<T> Default for Labels<T> {
    fn default() -> Self {
        Labels {
            values: Vec::new(),
            ids: Vec::new(),
        }
    }
}

impl<T> std::ops::Index<usize> for Labels<T> {
    type Output = T;

    #[inline]
    fn index(&self, i: usize) -> &T {
        &self.values[self.ids[i] as usize]
    }
}

impl<T: PartialEq> PartialEq for Labels<T> {
    /// Equal entries in order (however the values are shared).
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().zip(other.iter()).all(|(a, b)| a == b)
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Labels<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'a, T> IntoIterator for &'a Labels<T> {
    type Item = &'a T;
    type IntoIter = Iter<'a, T>;

    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

/// The entries of [`Labels`] in order.
#[derive(Clone, Debug)]
pub struct Iter<'a, T> {
    values: &'a [T],
    ids: std::slice::Iter<'a, u32>,
}

impl<'a, T> Iterator for Iter<'a, T> {
    type Item = &'a T;

    fn next(&mut self) -> Option<&'a T> {
        self.ids.next().map(|&k| &self.values[k as usize])
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.ids.size_hint()
    }
}

impl<T> DoubleEndedIterator for Iter<'_, T> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.ids.next_back().map(|&k| &self.values[k as usize])
    }
}

impl<T> ExactSizeIterator for Iter<'_, T> {}

impl<T: Eq + Hash + Clone> From<Vec<T>> for Labels<T> {
    fn from(v: Vec<T>) -> Self {
        Labels::interned(v)
    }
}

impl<T: Eq + Hash + Clone> FromIterator<T> for Labels<T> {
    fn from_iter<I: IntoIterator<Item = T>>(it: I) -> Self {
        Labels::interned(it)
    }
}

/// Builds [`Labels`] one entry at a time, looking each value up in a hash table.
#[derive(Clone, Debug)]
pub struct LabelsBuilder<T> {
    labels: Labels<T>,
    index: HashMap<T, u32>,
}

impl<T> Default for LabelsBuilder<T> {
    fn default() -> Self {
        LabelsBuilder {
            labels: Labels::default(),
            index: HashMap::new(),
        }
    }
}

impl<T: Eq + Hash + Clone> LabelsBuilder<T> {
    /// An empty builder with room for `n` entries.
    pub fn with_capacity(n: usize) -> Self {
        let mut b = LabelsBuilder::default();
        b.labels.ids.reserve(n);
        b
    }

    /// Appends an entry.
    pub fn push(&mut self, v: T) {
        // Runs of one value (unnamed nodes) skip the hash table.
        if let Some(&last) = self.labels.ids.last() {
            if self.labels.values[last as usize] == v {
                self.labels.ids.push(last);
                return;
            }
        }
        let id = match self.index.get(&v) {
            Some(&id) => id,
            None => {
                let id = self.labels.values.len() as u32;
                self.labels.values.push(v.clone());
                self.index.insert(v, id);
                id
            }
        };
        self.labels.ids.push(id);
    }

    /// Appends an entry given by reference; it is cloned only when it is new.
    pub fn push_ref<Q>(&mut self, v: &Q)
    where
        T: Borrow<Q>,
        Q: Hash + Eq + ToOwned<Owned = T> + ?Sized,
    {
        if let Some(&last) = self.labels.ids.last() {
            if self.labels.values[last as usize].borrow() == v {
                self.labels.ids.push(last);
                return;
            }
        }
        let id = match self.index.get(v) {
            Some(&id) => id,
            None => {
                let id = self.labels.values.len() as u32;
                let owned = v.to_owned();
                self.labels.values.push(owned.clone());
                self.index.insert(owned, id);
                id
            }
        };
        self.labels.ids.push(id);
    }

    /// The entries pushed.
    pub fn finish(self) -> Labels<T> {
        self.labels
    }
}

impl LabelsBuilder<String> {
    /// Appends a string entry given by reference, as [`LabelsBuilder::push_ref`]; an empty
    /// string after an empty one (unnamed nodes, the common case) is taken without comparing
    /// bytes: a comparison of zero bytes still reads at the empty string's dangling address,
    /// which vectorised `memcmp` pays for with a slow masked load.
    #[inline]
    pub fn push_str(&mut self, v: &str) {
        if let Some(&last) = self.labels.ids.last() {
            let l = &self.labels.values[last as usize];
            if l.len() == v.len() && (v.is_empty() || l.as_str() == v) {
                self.labels.ids.push(last);
                return;
            }
        }
        self.push_ref(v);
    }
}

/// A vector of strings, each distinct string stored once and all of them end to end in one
/// `String`: entry `i` is the text between the ends of distinct string `ids[i]` and the one
/// before it. A million distinct node names cost their bytes and 8 bytes each, not a `String`
/// (24 bytes) and a heap block each.
#[derive(Clone, Default, Eq)]
pub struct TextLabels {
    pool: Pool,
    ids: Vec<u32>,
}

impl TextLabels {
    /// From a table of distinct strings and an id into it per entry (ids must be in range).
    ///
    /// # Panics
    /// If an id is not an index of `values`, or the strings are 4 GB or more in all.
    pub fn from_parts(values: Vec<String>, ids: Vec<u32>) -> Self {
        let mut pool = Pool::default();
        for v in &values {
            pool.push(v);
        }
        pool.with_ids(ids)
    }

    /// `n` entries, all `value`.
    pub fn repeat(value: &str, n: usize) -> Self {
        let mut pool = Pool::default();
        pool.push(value);
        pool.with_ids(vec![0; n])
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True if there is no entry.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Distinct string `k`.
    #[inline]
    fn value(&self, k: u32) -> &str {
        self.pool.get(k)
    }

    /// Entry `i`, if in range.
    pub fn get(&self, i: usize) -> Option<&str> {
        self.ids.get(i).map(|&k| self.value(k))
    }

    /// The entries in order.
    pub fn iter(&self) -> TextIter<'_> {
        TextIter {
            labels: self,
            ids: self.ids.iter(),
        }
    }

    /// The distinct strings (in order of first use).
    pub fn distinct(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.pool.len() as u32).map(|k| self.value(k))
    }

    /// The distinct strings and the id of each entry (as [`TextLabels::from_parts`] takes them).
    pub fn into_parts(self) -> (Vec<String>, Vec<u32>) {
        let values = self.distinct().map(str::to_string).collect();
        (values, self.ids)
    }
}

impl std::ops::Index<usize> for TextLabels {
    type Output = str;

    #[inline]
    fn index(&self, i: usize) -> &str {
        self.value(self.ids[i])
    }
}

impl PartialEq for TextLabels {
    /// Equal entries in order (however the strings are shared).
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().zip(other.iter()).all(|(a, b)| a == b)
    }
}

impl std::fmt::Debug for TextLabels {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'a> IntoIterator for &'a TextLabels {
    type Item = &'a str;
    type IntoIter = TextIter<'a>;

    fn into_iter(self) -> TextIter<'a> {
        self.iter()
    }
}

impl<S: AsRef<str>> FromIterator<S> for TextLabels {
    fn from_iter<I: IntoIterator<Item = S>>(it: I) -> Self {
        let mut b = LabelsBuilder::<String>::default();
        for v in it {
            b.push_str(v.as_ref());
        }
        let (values, ids) = b.finish().into_parts();
        TextLabels::from_parts(values, ids)
    }
}

impl<S: AsRef<str>> From<Vec<S>> for TextLabels {
    fn from(v: Vec<S>) -> Self {
        v.into_iter().collect()
    }
}

/// The entries of [`TextLabels`] in order.
#[derive(Clone, Debug)]
pub struct TextIter<'a> {
    labels: &'a TextLabels,
    ids: std::slice::Iter<'a, u32>,
}

impl<'a> Iterator for TextIter<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        self.ids.next().map(|&k| self.labels.value(k))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.ids.size_hint()
    }
}

impl DoubleEndedIterator for TextIter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.ids.next_back().map(|&k| self.labels.value(k))
    }
}

impl ExactSizeIterator for TextIter<'_> {}

/// Distinct strings end to end, as [`TextLabels`] keeps them, built one string at a time.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pool {
    text: String,
    /// `ends[k]`: where string `k` ends in `text` (it starts where `k - 1` ends).
    ends: Vec<u32>,
}

impl Pool {
    /// Number of strings.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True if there is no string.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// String `k`.
    #[inline]
    pub fn get(&self, k: u32) -> &str {
        let k = k as usize;
        let start = if k == 0 { 0 } else { self.ends[k - 1] as usize };
        &self.text[start..self.ends[k] as usize]
    }

    /// Appends a string; its id is the number of strings before it.
    ///
    /// # Panics
    /// If the strings come to 4 GB or more in all.
    pub fn push(&mut self, s: &str) -> u32 {
        self.text.push_str(s);
        let end = u32::try_from(self.text.len()).expect("labels of 4 GB or more");
        self.ends.push(end);
        self.ends.len() as u32 - 1
    }

    /// These strings with an id per entry.
    ///
    /// # Panics
    /// If an id is not an index of a string.
    pub fn with_ids(mut self, ids: Vec<u32>) -> TextLabels {
        assert!(
            ids.iter().all(|&i| (i as usize) < self.ends.len()),
            "label id out of range"
        );
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
        TextLabels { pool: self, ids }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_like_the_vector_it_replaces() {
        let v: Vec<String> = ["a", "", "b", "a", "", "a"].map(String::from).to_vec();
        let l = Labels::from(v.clone());
        assert_eq!(l.len(), v.len());
        assert_eq!(l.distinct().len(), 3);
        for (i, s) in v.iter().enumerate() {
            assert_eq!(&l[i], s);
            assert_eq!(l.get(i), Some(s));
        }
        assert_eq!(l.get(v.len()), None);
        assert!(l.iter().eq(v.iter()));
        assert_eq!(format!("{l:?}"), format!("{v:?}"));
        // Equality is of entries, not of how they are shared.
        let other = Labels::from_parts(
            vec!["".to_string(), "b".into(), "a".into()],
            vec![2, 0, 1, 2, 0, 2],
        );
        assert_eq!(l, other);
        assert_ne!(l, Labels::from(v[..5].to_vec()));
        let p: Labels<Option<String>> = vec![None, Some("x".into()), None].into();
        assert_eq!(p[1].as_deref(), Some("x"));
        assert!(p.iter().any(Option::is_some));
    }

    #[test]
    fn text_labels_read_like_the_vector_they_replace() {
        let v: Vec<String> = ["a", "", "bc", "a", "", "déjà"].map(String::from).to_vec();
        let l = TextLabels::from(v.clone());
        assert_eq!(l.len(), v.len());
        assert_eq!(l.distinct().collect::<Vec<_>>(), ["a", "", "bc", "déjà"]);
        for (i, s) in v.iter().enumerate() {
            assert_eq!(&l[i], s);
            assert_eq!(l.get(i), Some(s.as_str()));
        }
        assert_eq!(l.get(v.len()), None);
        assert!(l.iter().eq(v.iter().map(String::as_str)));
        assert!(l.iter().rev().eq(v.iter().rev().map(String::as_str)));
        assert_eq!(format!("{l:?}"), format!("{v:?}"));
        let other = TextLabels::from_parts(
            vec!["".to_string(), "bc".into(), "a".into(), "déjà".into()],
            vec![2, 0, 1, 2, 0, 3],
        );
        assert_eq!(l, other);
        assert_ne!(l, TextLabels::from(v[..5].to_vec()));
        let (values, ids) = other.clone().into_parts();
        assert_eq!(TextLabels::from_parts(values, ids), other);
        assert!(TextLabels::repeat("x", 3).iter().eq(["x"; 3]));
    }
}
