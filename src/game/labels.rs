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
}
