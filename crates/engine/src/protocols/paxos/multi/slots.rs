//! Values by slot: an acceptor's accepted values and a learner's decisions.
//!
//! Slots are numbered from 1 and filled mostly in order, so a [`ChunkedVec`] of optional values
//! holds them: copies made by time-travel snapshots share every chunk that has not changed.

use crate::model::chunked::{ChunkedVec, Meter};
use crate::model::kv::Command;

/// A value tagged with a ballot (the paper's *pvalue*): what an acceptor accepted, or a decision
/// with the ballot in which it was chosen.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PValue {
    /// The ballot (packed, see [`crate::protocols::paxos::ballot`]).
    pub ballot: u64,
    /// The command.
    pub cmd: Command,
}

/// A sparse map from slot (from 1) to [`PValue`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Slots {
    values: ChunkedVec<Option<PValue>>,
}

impl Slots {
    /// The value in `slot`, if any.
    pub fn get(&self, slot: u64) -> Option<&PValue> {
        let i = usize::try_from(slot.checked_sub(1)?).ok()?;
        self.values.get(i).and_then(Option::as_ref)
    }

    /// Stores `value` in `slot` (slot 0 does not exist).
    pub fn set(&mut self, slot: u64, value: PValue) {
        assert!(slot >= 1, "slots are numbered from 1");
        let i = (slot - 1) as usize;
        if self.values.len() <= i {
            self.values.resize(i + 1, None);
        }
        if let Some(cell) = self.values.get_mut(i) {
            *cell = Some(value);
        }
    }

    /// The highest slot that may hold a value (0 when empty).
    pub fn last_slot(&self) -> u64 {
        self.values.len() as u64
    }

    /// The slots holding a value, from `from` on, in slot order.
    pub fn from_slot(&self, from: u64) -> impl Iterator<Item = (u64, &PValue)> + '_ {
        let start = from.max(1);
        (start..=self.last_slot()).filter_map(move |s| self.get(s).map(|v| (s, v)))
    }

    /// Counts the memory the values hold.
    pub fn measure(&self, m: &mut Meter) {
        m.chunked(&self.values);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_sparse_and_numbered_from_one() {
        let mut s = Slots::default();
        let v = |b| PValue {
            ballot: b,
            cmd: Command::noop(),
        };
        s.set(3, v(101));
        s.set(1, v(202));
        assert_eq!(s.last_slot(), 3);
        assert_eq!(s.get(2), None);
        assert_eq!(s.get(0), None);
        assert_eq!(s.get(3).map(|p| p.ballot), Some(101));
        let from2: Vec<u64> = s.from_slot(2).map(|(slot, _)| slot).collect();
        assert_eq!(from2, vec![3]);
    }
}
