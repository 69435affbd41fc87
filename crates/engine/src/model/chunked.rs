//! A vector whose full chunks are shared between copies.
//!
//! Time travel keeps copies of the whole world. Logs, checker mirrors and client histories only
//! grow at the end, so copying them in full for every snapshot would cost memory proportional to
//! the run's length per snapshot. A [`ChunkedVec`] stores its elements in small fixed-size chunks
//! (leaves of [`CHUNK`] elements), grouped [`FANOUT`] to a node, each behind a reference count:
//! cloning copies only the list of node pointers (one per `CHUNK * FANOUT` elements), and a write
//! to a shared leaf copies that leaf and its node's list of leaf pointers first (copy-on-write).
//! Snapshots therefore share everything but the last node and leaf they wrote, so what a snapshot
//! costs hardly grows with the run: a one-level list of big chunks would have each snapshot copy
//! a long pointer list and a big half-filled last chunk.

use std::hash::{Hash, Hasher};
use std::rc::Rc;

/// Elements per leaf.
pub const CHUNK: usize = 32;

/// Leaves per node.
pub const FANOUT: usize = 32;

/// Elements per node.
const NODE: usize = CHUNK * FANOUT;

/// A leaf: up to [`CHUNK`] elements, copied with room for all of them.
#[derive(Debug)]
struct Leaf<T>(Vec<T>);

impl<T: Clone> Clone for Leaf<T> {
    fn clone(&self) -> Self {
        let mut v = Vec::with_capacity(CHUNK);
        v.extend_from_slice(&self.0);
        Leaf(v)
    }
}

/// A node: up to [`FANOUT`] leaves.
type Node<T> = Vec<Rc<Leaf<T>>>;

/// A growable vector with copy-on-write chunks; see the module documentation.
#[derive(Clone, Debug)]
pub struct ChunkedVec<T> {
    nodes: Vec<Rc<Node<T>>>,
    len: usize,
}

impl<T> Default for ChunkedVec<T> {
    fn default() -> Self {
        ChunkedVec {
            nodes: Vec::new(),
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
        (i < self.len).then(|| &self.nodes[i / NODE][i % NODE / CHUNK].0[i % CHUNK])
    }

    /// The element at `i`, mutably (copies its leaf, and its node's leaf list, first if shared).
    pub fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        if i >= self.len {
            return None;
        }
        let node = Rc::make_mut(&mut self.nodes[i / NODE]);
        Some(&mut Rc::make_mut(&mut node[i % NODE / CHUNK]).0[i % CHUNK])
    }

    /// The last element.
    pub fn last(&self) -> Option<&T> {
        self.len.checked_sub(1).and_then(|i| self.get(i))
    }

    /// Appends an element.
    pub fn push(&mut self, value: T) {
        if self.len.is_multiple_of(NODE) {
            self.nodes.push(Rc::new(Vec::with_capacity(FANOUT)));
        }
        let node = Rc::make_mut(self.nodes.last_mut().expect("a node with room"));
        if self.len.is_multiple_of(CHUNK) {
            node.push(Rc::new(Leaf(Vec::with_capacity(CHUNK))));
        }
        let leaf = node.last_mut().expect("a leaf with room");
        Rc::make_mut(leaf).0.push(value);
        self.len += 1;
    }

    /// Keeps the first `len` elements.
    pub fn truncate(&mut self, len: usize) {
        if len >= self.len {
            return;
        }
        self.nodes.truncate(len.div_ceil(NODE));
        self.len = len;
        let in_node = len % NODE;
        if in_node == 0 {
            return;
        }
        let node = Rc::make_mut(self.nodes.last_mut().expect("a node holds element len - 1"));
        node.truncate(in_node.div_ceil(CHUNK));
        if !len.is_multiple_of(CHUNK) {
            let leaf = node.last_mut().expect("a leaf holds element len - 1");
            Rc::make_mut(leaf).0.truncate(len % CHUNK);
        }
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
        self.nodes
            .iter()
            .flat_map(|node| node.iter())
            .flat_map(|leaf| leaf.0.iter())
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

    /// Adds a chunked vector: its node list, and each node and leaf not counted before (a node
    /// counted before shares all its leaves with the one counted).
    pub fn chunked<T>(&mut self, v: &ChunkedVec<T>) {
        self.chunked_heap(v, 0);
    }

    /// Adds a chunked vector whose elements each hold about `heap` bytes more outside it (a
    /// small collection), counted with the element's leaf.
    pub fn chunked_heap<T>(&mut self, v: &ChunkedVec<T>, heap: usize) {
        self.bytes += v.nodes.len() * std::mem::size_of::<Rc<Node<T>>>();
        for node in &v.nodes {
            if !self.seen.insert(Rc::as_ptr(node) as usize) {
                continue;
            }
            self.bytes += node.capacity() * std::mem::size_of::<Rc<Leaf<T>>>() + 32;
            for leaf in node.iter() {
                if self.seen.insert(Rc::as_ptr(leaf) as usize) {
                    self.bytes += leaf.0.capacity() * std::mem::size_of::<T>() + 32;
                    self.bytes += leaf.0.len() * heap;
                }
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

    fn leaf(v: &ChunkedVec<u32>, i: usize) -> &Rc<Leaf<u32>> {
        &v.nodes[i / NODE][i % NODE / CHUNK]
    }

    #[test]
    fn clones_share_chunks_until_written() {
        let mut a = ChunkedVec::new();
        for i in 0..(2 * NODE as u32 + 70) {
            a.push(i);
        }
        let b = a.clone();
        assert!(Rc::ptr_eq(leaf(&a, 5), leaf(&b, 5)));
        *a.get_mut(5).unwrap() = 0;
        assert!(!Rc::ptr_eq(leaf(&a, 5), leaf(&b, 5)));
        assert!(Rc::ptr_eq(leaf(&a, CHUNK), leaf(&b, CHUNK)));
        assert!(Rc::ptr_eq(&a.nodes[1], &b.nodes[1]));
        assert_eq!(b.get(5), Some(&5));
        assert_ne!(a, b);
    }

    #[test]
    fn truncating_and_growing_across_leaf_and_node_edges_matches_a_vec() {
        let edges = [
            0,
            1,
            CHUNK - 1,
            CHUNK,
            CHUNK + 1,
            NODE - 1,
            NODE,
            NODE + 1,
            2 * NODE,
        ];
        for &cut in &edges {
            for &grow in &edges {
                let mut c = ChunkedVec::new();
                let mut v = Vec::new();
                for i in 0..(2 * NODE as u32 + 3) {
                    c.push(i);
                    v.push(i);
                }
                let kept = c.clone();
                c.truncate(cut);
                v.truncate(cut);
                c.resize(cut + grow, 7);
                v.resize(cut + grow, 7);
                assert_eq!(
                    c.iter().copied().collect::<Vec<_>>(),
                    v,
                    "cut {cut} grow {grow}"
                );
                assert_eq!(c.len(), v.len());
                assert_eq!(kept.len(), 2 * NODE + 3, "the copy is untouched");
                assert_eq!(kept.get(2 * NODE + 2), Some(&(2 * NODE as u32 + 2)));
            }
        }
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
