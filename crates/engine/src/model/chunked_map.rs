//! A map from sequence numbers to values whose memory time-travel snapshots share.
//!
//! Two-phase commit's coordinator keeps a record per transaction and each participant one per
//! transaction it decided, for the whole run; checkers keep a fact per slot, transaction or epoch.
//! In a `BTreeMap` every world snapshot would copy all of them, so a long run's history would
//! grow with the square of its length (and each copy would make the run slower). Such ids are
//! handed out one after another, so a [`ChunkedMap`] keeps the values in a [`ChunkedVec`] indexed
//! by id: a copy shares every chunk but the few it writes. An id far past the dense ones (only a
//! hand-written trace or scenario names one) goes to a small `BTreeMap` instead.
//!
//! It reads like the `BTreeMap` it replaces: ordered iteration, `get`, `insert`, `remove`; equal
//! maps compare and hash equal to the `BTreeMap` of the same entries, so a world's digest does not
//! depend on which of the two holds them.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};

use super::chunked::{ChunkedVec, Meter};

/// An ordered map from `u64` ids to values, dense ids in copy-on-write chunks; see the module
/// documentation.
#[derive(Clone)]
pub struct ChunkedMap<T: Clone> {
    dense: ChunkedVec<Option<T>>,
    sparse: BTreeMap<u64, T>,
    len: usize,
}

impl<T: Clone> Default for ChunkedMap<T> {
    fn default() -> Self {
        ChunkedMap {
            dense: ChunkedVec::new(),
            sparse: BTreeMap::new(),
            len: 0,
        }
    }
}

impl<T: Clone> ChunkedMap<T> {
    /// How far past the dense ids a new id may be and still join them.
    const REACH: u64 = 4096;

    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn index(&self, id: u64) -> Option<usize> {
        usize::try_from(id).ok().filter(|i| *i < self.dense.len())
    }

    /// The value of `id`.
    pub fn get(&self, id: &u64) -> Option<&T> {
        let dense = self.index(*id).and_then(|i| self.dense.get(i));
        dense
            .and_then(Option::as_ref)
            .or_else(|| self.sparse.get(id))
    }

    /// The value of `id`, mutably (copies its chunk first if it is shared).
    pub fn get_mut(&mut self, id: &u64) -> Option<&mut T> {
        if self.sparse.contains_key(id) {
            return self.sparse.get_mut(id);
        }
        let i = self.index(*id)?;
        self.dense.get_mut(i).and_then(Option::as_mut)
    }

    /// Is there a value for `id`?
    pub fn contains_key(&self, id: &u64) -> bool {
        self.get(id).is_some()
    }

    /// Sets the value of `id`, returning the one it replaces.
    pub fn insert(&mut self, id: u64, value: T) -> Option<T> {
        let dense_len = self.dense.len() as u64;
        let far = self.index(id).is_none() && id >= dense_len.saturating_add(Self::REACH);
        let old = if far || self.sparse.contains_key(&id) {
            self.sparse.insert(id, value)
        } else {
            let i = id as usize;
            if i >= self.dense.len() {
                self.dense.resize(i + 1, None);
            }
            self.dense.get_mut(i).expect("resized").replace(value)
        };
        if old.is_none() {
            self.len += 1;
        }
        old
    }

    /// The value of `id`, made with `make` if there is none yet.
    pub fn entry(&mut self, id: u64, make: impl FnOnce() -> T) -> &mut T {
        if !self.contains_key(&id) {
            self.insert(id, make());
        }
        self.get_mut(&id).expect("inserted")
    }

    /// Removes the value of `id`, returning it.
    pub fn remove(&mut self, id: &u64) -> Option<T> {
        let old = match self.index(*id) {
            _ if self.sparse.contains_key(id) => self.sparse.remove(id),
            Some(i) => self.dense.get_mut(i).and_then(Option::take),
            None => None,
        };
        if old.is_some() {
            self.len -= 1;
        }
        old
    }

    /// The entries in id order (from either end).
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (u64, &T)> + '_ {
        let dense = (0..self.dense.len()).filter_map(move |i| {
            let value = self.dense.get(i).and_then(Option::as_ref);
            value.map(|v| (i as u64, v))
        });
        let sparse = self.sparse.iter().map(|(k, v)| (*k, v));
        Merge {
            a: dense,
            b: sparse,
            front: (None, None),
            back: (None, None),
        }
    }

    /// The ids in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = u64> + '_ {
        self.iter().map(|(k, _)| k)
    }

    /// The values in id order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &T> + '_ {
        self.iter().map(|(_, v)| v)
    }

    /// Counts the memory held, chunks shared with copies counted before only once; `heap` is
    /// about what one value holds outside its slot (the elements of a small collection).
    pub fn measure(&self, m: &mut Meter, heap: usize) {
        m.chunked_heap(&self.dense, heap);
        m.add(self.sparse.len() * (std::mem::size_of::<T>() + heap + 48));
    }
}

/// An entry an iterator has taken out but not yet given.
type Held<'a, T> = Option<(u64, &'a T)>;

/// Two iterators ascending by id, merged (ids are never in both).
struct Merge<'a, T, A, B> {
    a: A,
    b: B,
    front: (Held<'a, T>, Held<'a, T>),
    back: (Held<'a, T>, Held<'a, T>),
}

impl<'a, T, A, B> Iterator for Merge<'a, T, A, B>
where
    A: DoubleEndedIterator<Item = (u64, &'a T)>,
    B: DoubleEndedIterator<Item = (u64, &'a T)>,
{
    type Item = (u64, &'a T);

    fn next(&mut self) -> Option<Self::Item> {
        if self.front.0.is_none() {
            self.front.0 = self.a.next().or_else(|| self.back.0.take());
        }
        if self.front.1.is_none() {
            self.front.1 = self.b.next().or_else(|| self.back.1.take());
        }
        match (self.front.0, self.front.1) {
            (Some((x, _)), Some((y, _))) if y < x => self.front.1.take(),
            (Some(_), _) => self.front.0.take(),
            (None, _) => self.front.1.take(),
        }
    }
}

impl<'a, T, A, B> DoubleEndedIterator for Merge<'a, T, A, B>
where
    A: DoubleEndedIterator<Item = (u64, &'a T)>,
    B: DoubleEndedIterator<Item = (u64, &'a T)>,
{
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.back.0.is_none() {
            self.back.0 = self.a.next_back().or_else(|| self.front.0.take());
        }
        if self.back.1.is_none() {
            self.back.1 = self.b.next_back().or_else(|| self.front.1.take());
        }
        match (self.back.0, self.back.1) {
            (Some((x, _)), Some((y, _))) if y > x => self.back.1.take(),
            (Some(_), _) => self.back.0.take(),
            (None, _) => self.back.1.take(),
        }
    }
}

impl<T: Clone> std::ops::Index<&u64> for ChunkedMap<T> {
    type Output = T;

    fn index(&self, id: &u64) -> &T {
        self.get(id).expect("no entry for this id")
    }
}

impl<T: Clone + std::fmt::Debug> std::fmt::Debug for ChunkedMap<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<T: Clone + PartialEq> PartialEq for ChunkedMap<T> {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl<T: Clone + Eq> Eq for ChunkedMap<T> {}

/// Hashes as a `BTreeMap<u64, T>` of the same entries does.
impl<T: Clone + Hash> Hash for ChunkedMap<T> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        h.write_usize(self.len);
        for (k, v) in self.iter() {
            k.hash(h);
            v.hash(h);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::hash::digest;

    #[test]
    fn it_behaves_like_a_btree_map_and_hashes_like_one() {
        let mut c = ChunkedMap::new();
        let mut b = BTreeMap::new();
        for (id, v) in [(3, 30), (1, 10), (90_000, 9), (2, 20), (3, 31), (5_000, 5)] {
            assert_eq!(c.insert(id, v), b.insert(id, v));
        }
        for id in [2, 7, 90_000] {
            assert_eq!(c.remove(&id), b.remove(&id));
        }
        *c.entry(4_000, || 0) += 4;
        *b.entry(4_000).or_insert(0) += 4;
        *c.entry(4_000, || 0) += 0;
        *c.get_mut(&1).unwrap() += 1;
        *b.get_mut(&1).unwrap() += 1;
        let pairs: Vec<(u64, i32)> = c.iter().map(|(k, v)| (k, *v)).collect();
        let expected: Vec<(u64, i32)> = b.iter().map(|(k, v)| (*k, *v)).collect();
        assert_eq!(pairs, expected);
        let backwards: Vec<u64> = c.keys().rev().collect();
        let expected: Vec<u64> = b.keys().rev().copied().collect();
        assert_eq!(backwards, expected);
        let mut both = c.keys();
        let ends = (both.next(), both.next_back(), both.next_back(), both.next());
        assert_eq!(ends, (Some(1), Some(5_000), Some(4_000), Some(3)));
        assert_eq!(both.next(), None);
        assert_eq!(c.len(), b.len());
        assert_eq!(c[&3], 31);
        assert!(!c.contains_key(&2) && c.contains_key(&5_000));
        assert_eq!(digest(&c), digest(&b));
        assert_eq!(format!("{c:?}"), format!("{b:?}"));
    }
}
