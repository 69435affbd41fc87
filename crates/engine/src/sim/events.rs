//! The trace's storage: an append-only list kept in chunks of a fixed size ([`EventLog`]), and a
//! borrowed view of its first events ([`Events`]).
//!
//! A trace grows by thousands of events a simulated second, for as long as the run lasts. In one
//! `Vec` it would double its buffer again and again, and each doubling needs the old and the new
//! buffer at once; in WebAssembly the memory never shrinks, so an hour-long run kept about three
//! times its events' size. Chunks are allocated at their full size once and never move.

use std::fmt;
use std::ops::Index;

/// Events per chunk.
pub const CHUNK: usize = 4096;

/// An append-only list of events in chunks of [`CHUNK`] elements (the last one partly filled).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventLog<T> {
    chunks: Vec<Vec<T>>,
    len: usize,
}

impl<T> Default for EventLog<T> {
    fn default() -> Self {
        EventLog {
            chunks: Vec::new(),
            len: 0,
        }
    }
}

impl<T> EventLog<T> {
    /// An empty log.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of events.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends an event.
    pub fn push(&mut self, item: T) {
        if self.len.is_multiple_of(CHUNK) {
            self.chunks.push(Vec::with_capacity(CHUNK));
        }
        self.chunks
            .last_mut()
            .expect("a chunk with room")
            .push(item);
        self.len += 1;
    }

    /// Keeps the first `len` events (no effect if there are not more).
    pub fn truncate(&mut self, len: usize) {
        if len >= self.len {
            return;
        }
        let chunks = len.div_ceil(CHUNK);
        self.chunks.truncate(chunks);
        if let Some(last) = self.chunks.last_mut() {
            last.truncate(len - (chunks - 1) * CHUNK);
        }
        self.len = len;
    }

    /// The event at `i`.
    pub fn get(&self, i: usize) -> Option<&T> {
        self.chunks.get(i / CHUNK)?.get(i % CHUNK)
    }

    /// A view of the first `len` events (all of them if there are fewer).
    pub fn view(&self, len: usize) -> Events<'_, T> {
        Events {
            chunks: &self.chunks,
            len: len.min(self.len),
        }
    }

    /// A view of every event.
    pub fn all(&self) -> Events<'_, T> {
        self.view(self.len)
    }

    /// Bytes the events occupy in place (their own size times the slots allocated; what they
    /// hold on the heap is not counted).
    pub fn bytes(&self) -> usize {
        self.chunks.len() * CHUNK * std::mem::size_of::<T>()
    }
}

impl<T> FromIterator<T> for EventLog<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut log = EventLog::new();
        iter.into_iter().for_each(|e| log.push(e));
        log
    }
}

/// The first events of an [`EventLog`]: what a slice of them would be. Cheap to copy.
pub struct Events<'a, T> {
    chunks: &'a [Vec<T>],
    len: usize,
}

impl<T> Clone for Events<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Events<'_, T> {}

impl<'a, T> Events<'a, T> {
    /// Number of events.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The event at `i`.
    pub fn get(&self, i: usize) -> Option<&'a T> {
        (i < self.len).then(|| &self.chunks[i / CHUNK][i % CHUNK])
    }

    /// The last event.
    pub fn last(&self) -> Option<&'a T> {
        self.len.checked_sub(1).and_then(|i| self.get(i))
    }

    /// Every event, in order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &'a T> + 'a {
        self.range(0, self.len)
    }

    /// The events from index `from` on.
    pub fn since(&self, from: usize) -> impl DoubleEndedIterator<Item = &'a T> + 'a {
        self.range(from, self.len)
    }

    /// The events with indices in `from..to` (clamped to the view).
    pub fn range(&self, from: usize, to: usize) -> impl DoubleEndedIterator<Item = &'a T> + 'a {
        let to = to.min(self.len);
        let from = from.min(to);
        let chunks = self.chunks;
        let end_chunk = to.div_ceil(CHUNK);
        (from / CHUNK..end_chunk).flat_map(move |c| {
            let base = c * CHUNK;
            &chunks[c][from.saturating_sub(base)..(to - base).min(CHUNK)]
        })
    }

    /// The events, copied into a vector.
    pub fn to_vec(&self) -> Vec<T>
    where
        T: Clone,
    {
        self.iter().cloned().collect()
    }
}

impl<T> Index<usize> for Events<'_, T> {
    type Output = T;

    fn index(&self, i: usize) -> &T {
        self.get(i)
            .unwrap_or_else(|| panic!("event {i} of a trace of {}", self.len))
    }
}

impl<T: PartialEq> PartialEq for Events<'_, T> {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl<T: fmt::Debug> fmt::Debug for Events<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chunked_log_reads_like_a_vector_across_chunk_boundaries() {
        let n = 2 * CHUNK + 5;
        let mut log: EventLog<usize> = (0..n).collect();
        assert_eq!(log.len(), n);
        assert_eq!(log.get(CHUNK), Some(&CHUNK));
        let all = log.all();
        assert!(all.iter().copied().eq(0..n));
        assert!(all.iter().rev().copied().eq((0..n).rev()));
        for (from, to) in [
            (0, 0),
            (3, 3),
            (CHUNK - 1, CHUNK + 2),
            (CHUNK, 2 * CHUNK),
            (5, n),
        ] {
            assert!(all.range(from, to).copied().eq(from..to), "{from}..{to}");
        }
        assert!(all.since(n - 2).copied().eq(n - 2..n));
        assert_eq!(all.range(n, n + 9).count(), 0);
        let view = log.view(CHUNK + 1);
        assert_eq!(
            (view.len(), view.last(), view[CHUNK]),
            (CHUNK + 1, Some(&CHUNK), CHUNK)
        );
        assert_eq!(view.get(CHUNK + 1), None);
        for keep in [2 * CHUNK, CHUNK + 1, CHUNK, 1, 0] {
            log.truncate(keep);
            assert!(log.all().iter().copied().eq(0..keep), "truncated to {keep}");
        }
        log.push(7);
        assert_eq!(log.all().to_vec(), [7]);
    }
}
