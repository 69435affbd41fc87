//! Facts kept per slot, transaction or other sequence number by a checker, cheap to copy.
//!
//! Time travel copies the world, checkers included, at every snapshot, so a checker that keeps a
//! fact for every slot of a long run in a map makes each copy, and the run, slower as it grows.
//! [`Slots`] keeps the numbers a run uses one after another in copy-on-write chunks: a copy
//! shares every chunk but the one it changes.

use std::collections::BTreeMap;

use crate::model::chunked::{ChunkedVec, Meter};

/// Facts by number (a slot, a transaction): the numbers a run fills one after another sit in
/// copy-on-write chunks; a number far past them (only a hand-written trace names one) goes to a map.
#[derive(Clone, Debug)]
pub struct Slots<T: Clone> {
    dense: ChunkedVec<Option<T>>,
    sparse: BTreeMap<u64, T>,
}

impl<T: Clone> Default for Slots<T> {
    fn default() -> Self {
        Slots {
            dense: ChunkedVec::new(),
            sparse: BTreeMap::new(),
        }
    }
}

impl<T: Clone> Slots<T> {
    /// How far past the dense slots a new slot may be and still join them.
    const REACH: u64 = 4096;

    /// The fact about `slot`, if any.
    pub fn get(&self, slot: u64) -> Option<&T> {
        let dense = usize::try_from(slot).ok().and_then(|i| self.dense.get(i));
        dense
            .and_then(Option::as_ref)
            .or_else(|| self.sparse.get(&slot))
    }

    /// The fact about `slot`, made with `make` if there is none yet.
    pub fn entry(&mut self, slot: u64, make: impl FnOnce() -> T) -> &mut T {
        let len = self.dense.len() as u64;
        if slot >= len.saturating_add(Self::REACH) {
            return self.sparse.entry(slot).or_insert_with(make);
        }
        let i = slot as usize;
        if i >= self.dense.len() {
            self.dense.resize(i + 1, None);
        }
        let cell = self.dense.get_mut(i).expect("resized");
        cell.get_or_insert_with(make)
    }

    /// Counts the memory held, chunks shared with copies counted before only once; `heap` is
    /// about what one fact holds outside its slot (the elements of a small collection).
    pub fn measure(&self, m: &mut Meter, heap: usize) {
        m.chunked_heap(&self.dense, heap);
        m.add(self.sparse.len() * (std::mem::size_of::<T>() + heap + 48));
    }

    /// Slots with a fact.
    pub fn count(&self) -> usize {
        self.dense.iter().flatten().count() + self.sparse.len()
    }
}
