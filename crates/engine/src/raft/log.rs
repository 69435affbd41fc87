//! Raft's log: durable storage of entries, indexed from 1.
//!
//! Every change goes through this type, and every change is reported as a trace event (`append`,
//! `truncate`), so invariant checkers can mirror each node's log from the trace alone.

use crate::chunked::ChunkedVec;
use crate::event::Event;
use crate::kv::Command;
use crate::protocol::Out;

/// One log entry: the term in which a leader received it, and the command.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Entry {
    /// The leader's term when the entry was created.
    pub term: u64,
    /// The replicated command.
    pub cmd: Command,
}

/// A node's log. Index 0 is the empty prefix, with term 0.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Log {
    entries: ChunkedVec<Entry>,
}

impl Log {
    /// The index of the last entry (0 when empty).
    pub fn last_index(&self) -> u64 {
        self.entries.len() as u64
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the log has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Counts the memory held by the entries.
    pub fn measure(&self, m: &mut crate::chunked::Meter) {
        m.chunked(&self.entries);
    }

    /// The term of the last entry (0 when empty).
    pub fn last_term(&self) -> u64 {
        self.entries.last().map_or(0, |e| e.term)
    }

    /// The term of the entry at `index` (0 for index 0; `None` past the end).
    pub fn term_at(&self, index: u64) -> Option<u64> {
        if index == 0 {
            return Some(0);
        }
        self.entries.get(index as usize - 1).map(|e| e.term)
    }

    /// The entry at `index`.
    pub fn get(&self, index: u64) -> Option<&Entry> {
        index
            .checked_sub(1)
            .and_then(|i| self.entries.get(i as usize))
    }

    /// Up to `max` entries starting at `from`.
    pub fn slice(&self, from: u64, max: usize) -> Vec<Entry> {
        let start = (from.max(1) - 1) as usize;
        self.entries.to_vec(start, start.saturating_add(max))
    }

    /// All entries, in order.
    pub fn entries(&self) -> impl DoubleEndedIterator<Item = &Entry> + '_ {
        self.entries.iter()
    }

    /// Appends one entry at the end.
    pub fn append<M>(&mut self, entry: Entry, out: &mut Out<M>) {
        let index = self.last_index() + 1;
        out.emit(Event::Append {
            node: out.node,
            index,
            term: entry.term,
            cmd: entry.cmd.clone(),
        });
        self.entries.push(entry);
    }

    /// Replaces the entry at `index` in place, keeping what follows (only a planted bug does this).
    pub fn overwrite<M>(&mut self, index: u64, entry: Entry, out: &mut Out<M>) {
        out.emit(Event::Append {
            node: out.node,
            index,
            term: entry.term,
            cmd: entry.cmd.clone(),
        });
        if let Some(slot) = self.entries.get_mut(index as usize - 1) {
            *slot = entry;
        }
    }

    /// Deletes the entry at `from` and everything after it.
    pub fn truncate_from<M>(&mut self, from: u64, out: &mut Out<M>) {
        if from <= self.last_index() {
            out.emit(Event::Truncate {
                node: out.node,
                from,
            });
            self.entries.truncate(from as usize - 1);
        }
    }

    /// The first index of the run of entries with the same term as the entry at `index`.
    pub fn first_index_of_term_at(&self, index: u64) -> u64 {
        let term = self.term_at(index);
        let mut i = index;
        while i > 1 && self.term_at(i - 1) == term {
            i -= 1;
        }
        i
    }

    /// The last index holding an entry of `term`.
    pub fn last_index_of_term(&self, term: u64) -> Option<u64> {
        let mut i = self.last_index();
        while i > 0 {
            match self.term_at(i) {
                Some(t) if t == term => return Some(i),
                Some(t) if t < term => return None,
                _ => i -= 1,
            }
        }
        None
    }

    /// Is a log ending at (`last_index`, `last_term`) at least as up-to-date as this one (5.4.1)?
    pub fn is_up_to_date(&self, last_index: u64, last_term: u64) -> bool {
        (last_term, last_index) >= (self.last_term(), self.last_index())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(term: u64) -> Entry {
        Entry {
            term,
            cmd: Command::noop(),
        }
    }

    #[test]
    fn terms_and_indexes_start_at_one() {
        let mut log = Log::default();
        let mut out: Out<()> = Out::new(1);
        assert_eq!(
            (log.last_index(), log.last_term(), log.term_at(0)),
            (0, 0, Some(0))
        );
        for t in [1, 1, 2, 2, 2, 3] {
            log.append(e(t), &mut out);
        }
        assert_eq!(log.term_at(4), Some(2));
        assert_eq!(log.term_at(7), None);
        assert_eq!(log.first_index_of_term_at(5), 3);
        assert_eq!(log.last_index_of_term(2), Some(5));
        assert_eq!(log.slice(5, 10).len(), 2);
        log.truncate_from(3, &mut out);
        assert_eq!(log.last_index(), 2);
        assert_eq!(out.events.len(), 7);
    }

    #[test]
    fn up_to_date_compares_last_term_then_length() {
        let mut log = Log::default();
        let mut out: Out<()> = Out::new(1);
        log.append(e(1), &mut out);
        log.append(e(2), &mut out);
        assert!(log.is_up_to_date(1, 3));
        assert!(log.is_up_to_date(2, 2));
        assert!(!log.is_up_to_date(5, 1));
        assert!(!log.is_up_to_date(1, 2));
    }
}
