//! Messages in flight, keyed by id.
//!
//! Message ids grow by one per send and most messages arrive soon after they leave, so the set of
//! ids in flight is a narrow window near the newest id. A ring buffer indexed by `id - base` gives
//! O(1) insert, lookup and removal, iterates in id order, and copies cheaply into snapshots.

use std::collections::VecDeque;
use std::hash::{Hash, Hasher};

use crate::model::types::MsgId;

/// The in-flight set: a window of optional slots starting at message id `base`.
#[derive(Clone, Debug)]
pub struct Window<T> {
    base: MsgId,
    slots: VecDeque<Option<T>>,
    len: usize,
}

impl<T> Default for Window<T> {
    fn default() -> Self {
        Window {
            base: 1,
            slots: VecDeque::new(),
            len: 0,
        }
    }
}

impl<T> Window<T> {
    /// Inserts `value` under `id`; ids must not go below the window's start.
    pub fn insert(&mut self, id: MsgId, value: T) {
        if self.slots.is_empty() {
            self.base = id;
        }
        assert!(id >= self.base, "message ids only grow");
        let i = (id - self.base) as usize;
        if i >= self.slots.len() {
            self.slots.resize_with(i + 1, || None);
        }
        if self.slots[i].replace(value).is_none() {
            self.len += 1;
        }
    }

    /// The message with this id.
    pub fn get(&self, id: MsgId) -> Option<&T> {
        let i = id.checked_sub(self.base)? as usize;
        self.slots.get(i)?.as_ref()
    }

    /// The message with this id, mutably.
    pub fn get_mut(&mut self, id: MsgId) -> Option<&mut T> {
        let i = id.checked_sub(self.base)? as usize;
        self.slots.get_mut(i)?.as_mut()
    }

    /// Removes and returns the message with this id.
    pub fn remove(&mut self, id: MsgId) -> Option<T> {
        let i = id.checked_sub(self.base)? as usize;
        let value = self.slots.get_mut(i)?.take()?;
        self.len -= 1;
        while matches!(self.slots.front(), Some(None)) {
            self.slots.pop_front();
            self.base += 1;
        }
        Some(value)
    }

    /// Number of messages.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when nothing is in flight.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The messages in id order.
    pub fn values(&self) -> impl Iterator<Item = &T> + '_ {
        self.slots.iter().flatten()
    }
}

impl<T: Hash> Hash for Window<T> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.len.hash(h);
        for v in self.values() {
            v.hash(h);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_keeps_messages_by_id_in_order() {
        let mut w = Window::default();
        for id in 5..10 {
            w.insert(id, id * 10);
        }
        assert_eq!(w.remove(7), Some(70));
        assert_eq!(w.remove(7), None);
        assert_eq!(w.remove(5), Some(50));
        assert_eq!(w.get(6), Some(&60));
        assert_eq!(w.get(4), None);
        *w.get_mut(9).unwrap() = 1;
        assert_eq!(w.values().copied().collect::<Vec<_>>(), vec![60, 80, 1]);
        assert_eq!(w.len(), 3);
        for id in [6, 8, 9] {
            w.remove(id);
        }
        assert!(w.is_empty());
        w.insert(20, 2);
        assert_eq!(w.get(20), Some(&2));
    }
}
