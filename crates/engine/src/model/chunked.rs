//! A vector whose full chunks are shared between copies.
//!
//! Time travel keeps copies of the whole world. Logs, checker mirrors and client histories only
//! grow at the end, so copying them in full for every snapshot would cost memory proportional to
//! the run's length per snapshot. A [`ChunkedVec`] stores its elements in fixed-size chunks behind
//! reference counts: cloning copies only the list of chunk pointers, and a write to a shared chunk
//! copies that one chunk first (copy-on-write). Snapshots therefore share everything but the few
//! chunks that changed since.

use std::hash::{Hash, Hasher};
use std::rc::Rc;

/// Elements per chunk.
pub const CHUNK: usize = 256;

/// A growable vector with copy-on-write chunks; see the module documentation.
#[derive(Clone, Debug)]
pub struct ChunkedVec<T> {
    chunks: Vec<Rc<Vec<T>>>,
    len: usize,
}

impl<T> Default for ChunkedVec<T> {
    fn default() -> Self {
        ChunkedVec {
            chunks: Vec::new(),
            len: 0,
        }
    }
}

impl<T: Clone> ChunkedVec<T> {
    /// An empty vector.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The element at `i`.
    pub fn get(&self, i: usize) -> Option<&T> {
        (i < self.len).then(|| &self.chunks[i / CHUNK][i % CHUNK])
    }

    /// The element at `i`, mutably (copies its chunk first if it is shared).
    pub fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        if i >= self.len {
            return None;
        }
        Some(&mut Rc::make_mut(&mut self.chunks[i / CHUNK])[i % CHUNK])
    }

    /// The last element.
    pub fn last(&self) -> Option<&T> {
        self.len.checked_sub(1).and_then(|i| self.get(i))
    }

    /// Appends an element.
    pub fn push(&mut self, value: T) {
        if self.len.is_multiple_of(CHUNK) {
            self.chunks.push(Rc::new(Vec::with_capacity(CHUNK)));
        }
        let last = self.chunks.last_mut().expect("a chunk with room");
        Rc::make_mut(last).push(value);
        self.len += 1;
    }

    /// Keeps the first `len` elements.
    pub fn truncate(&mut self, len: usize) {
        if len >= self.len {
            return;
        }
        self.chunks.truncate(len.div_ceil(CHUNK));
        if !len.is_multiple_of(CHUNK) {
            if let Some(last) = self.chunks.last_mut() {
                Rc::make_mut(last).truncate(len % CHUNK);
            }
        }
        self.len = len;
    }

    /// Grows to `len` elements, filling with `value`.
    pub fn resize(&mut self, len: usize, value: T) {
        if len <= self.len {
            return self.truncate(len);
        }
        while self.len < len {
            self.push(value.clone());
        }
    }

    /// The elements in order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + '_ {
        self.chunks.iter().flat_map(|c| c.iter())
    }

    /// Clones of the elements in `range`.
    pub fn to_vec(&self, start: usize, end: usize) -> Vec<T> {
        (start..end.min(self.len))
            .filter_map(|i| self.get(i).cloned())
            .collect()
    }
}

impl<T: PartialEq + Clone> PartialEq for ChunkedVec<T> {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl<T: Eq + Clone> Eq for ChunkedVec<T> {}

impl<T: Hash + Clone> Hash for ChunkedVec<T> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.len.hash(h);
        for x in self.iter() {
            x.hash(h);
        }
    }
}

/// Counts the bytes held by a set of values, counting each shared chunk once.
#[derive(Debug, Default)]
pub struct Meter {
    seen: std::collections::HashSet<usize>,
    /// Bytes counted so far.
    pub bytes: usize,
}

impl Meter {
    /// A meter at zero.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a plain number of bytes.
    pub fn add(&mut self, bytes: usize) {
        self.bytes += bytes;
    }

    /// Adds a chunked vector: its chunk list, and each chunk not counted before.
    pub fn chunked<T>(&mut self, v: &ChunkedVec<T>) {
        self.bytes += v.chunks.len() * std::mem::size_of::<Rc<Vec<T>>>();
        for c in &v.chunks {
            if self.seen.insert(Rc::as_ptr(c) as usize) {
                self.bytes += c.capacity() * std::mem::size_of::<T>() + 32;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_behaves_like_a_vec() {
        let mut c = ChunkedVec::new();
        let mut v = Vec::new();
        for i in 0..1000u32 {
            c.push(i);
            v.push(i);
        }
        c.truncate(517);
        v.truncate(517);
        c.push(9);
        v.push(9);
        *c.get_mut(3).unwrap() = 77;
        v[3] = 77;
        assert_eq!(c.iter().copied().collect::<Vec<_>>(), v);
        assert_eq!(c.len(), v.len());
        assert_eq!(c.last(), v.last());
        assert_eq!(c.to_vec(510, 600), v[510..].to_vec());
        c.truncate(512);
        assert_eq!(c.len(), 512);
        c.resize(520, 1);
        assert_eq!(c.get(519), Some(&1));
    }

    #[test]
    fn clones_share_chunks_until_written() {
        let mut a = ChunkedVec::new();
        for i in 0..600u32 {
            a.push(i);
        }
        let b = a.clone();
        assert!(Rc::ptr_eq(&a.chunks[0], &b.chunks[0]));
        *a.get_mut(5).unwrap() = 0;
        assert!(!Rc::ptr_eq(&a.chunks[0], &b.chunks[0]));
        assert!(Rc::ptr_eq(&a.chunks[1], &b.chunks[1]));
        assert_eq!(b.get(5), Some(&5));
        assert_ne!(a, b);
    }

    #[test]
    fn the_meter_counts_shared_chunks_once() {
        let mut a = ChunkedVec::new();
        for i in 0..(3 * CHUNK as u64) {
            a.push(i);
        }
        let b = a.clone();
        let mut one = Meter::new();
        one.chunked(&a);
        let mut both = Meter::new();
        both.chunked(&a);
        both.chunked(&b);
        assert!(
            both.bytes < one.bytes + 100,
            "{} vs {}",
            both.bytes,
            one.bytes
        );
    }
}
