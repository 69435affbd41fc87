//! Raft's log: durable storage of entries, indexed from 1, with a compacted prefix (section 7).
//!
//! Every change goes through this type, and every change is reported as a trace event (`append`,
//! `truncate`), so invariant checkers can mirror each node's log from the trace alone. Compaction
//! (a snapshot replacing the prefix up to `snapshot_index`) is reported by the caller as a
//! `checkpoint` event.
//!
//! After compaction the log holds the entries `snapshot_index + 1 ..= last_index` and remembers
//! the index and term of the last entry the snapshot replaced, so the AppendEntries consistency
//! check still works at `prevLogIndex == snapshot_index`. Indexes below the snapshot are
//! *compacted*: their terms are gone ([`Log::term_at`] answers `None`, as past the end; tell the
//! two apart with [`Log::is_compacted`]).

use crate::model::chunked::ChunkedVec;
use crate::model::event::Event;
use crate::model::kv::Command;
use crate::sim::protocol::Out;

/// One log entry: the term in which a leader received it, and the command.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Entry {
    /// The leader's term when the entry was created.
    pub term: u64,
    /// The replicated command.
    pub cmd: Command,
}

/// A node's log. Index 0 is the empty prefix, with term 0; after a snapshot, `snapshot_index`
/// plays that part.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Log {
    entries: ChunkedVec<Entry>,
    snapshot_index: u64,
    snapshot_term: u64,
}

impl Log {
    /// The index of the last entry (the snapshot's last index when no entry follows it).
    pub fn last_index(&self) -> u64 {
        self.snapshot_index + self.entries.len() as u64
    }

    /// The last index the snapshot replaced (0: nothing compacted).
    pub fn snapshot_index(&self) -> u64 {
        self.snapshot_index
    }

    /// The term of the entry at [`Log::snapshot_index`].
    pub fn snapshot_term(&self) -> u64 {
        self.snapshot_term
    }

    /// True when `index` lies in the compacted prefix (its entry is only in the snapshot).
    pub fn is_compacted(&self, index: u64) -> bool {
        index < self.snapshot_index
    }

    /// Number of entries kept (after the snapshot).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the log keeps no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Counts the memory held by the entries.
    pub fn measure(&self, m: &mut crate::model::chunked::Meter) {
        m.chunked(&self.entries);
    }

    /// The term of the last entry (0 when empty).
    pub fn last_term(&self) -> u64 {
        self.entries.last().map_or(self.snapshot_term, |e| e.term)
    }

    /// The term of the entry at `index` (the snapshot's term at its last index, 0 for index 0;
    /// `None` past the end or in the compacted prefix).
    pub fn term_at(&self, index: u64) -> Option<u64> {
        if index == self.snapshot_index {
            return Some(self.snapshot_term);
        }
        self.get(index).map(|e| e.term)
    }

    /// The entry at `index` (`None` in the compacted prefix).
    pub fn get(&self, index: u64) -> Option<&Entry> {
        index
            .checked_sub(self.snapshot_index + 1)
            .and_then(|i| self.entries.get(i as usize))
    }

    /// Up to `max` entries starting at `from` (never from the compacted prefix).
    pub fn slice(&self, from: u64, max: usize) -> Vec<Entry> {
        let start = from.saturating_sub(self.snapshot_index + 1) as usize;
        self.entries.to_vec(start, start.saturating_add(max))
    }

    /// The kept entries, in order, with their indexes.
    pub fn indexed(&self) -> impl Iterator<Item = (u64, &Entry)> + '_ {
        let base = self.snapshot_index;
        self.entries
            .iter()
            .enumerate()
            .map(move |(i, e)| (base + 1 + i as u64, e))
    }

    /// The kept entries, in order.
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
        let Some(pos) = index.checked_sub(self.snapshot_index + 1) else {
            return;
        };
        out.emit(Event::Append {
            node: out.node,
            index,
            term: entry.term,
            cmd: entry.cmd.clone(),
        });
        if let Some(slot) = self.entries.get_mut(pos as usize) {
            *slot = entry;
        }
    }

    /// Deletes the entry at `from` and everything after it. The compacted prefix is committed and
    /// never deleted, so `from` is raised past it.
    pub fn truncate_from<M>(&mut self, from: u64, out: &mut Out<M>) {
        let from = from.max(self.snapshot_index + 1);
        if from <= self.last_index() {
            out.emit(Event::Truncate {
                node: out.node,
                from,
            });
            self.entries
                .truncate((from - self.snapshot_index - 1) as usize);
        }
    }

    /// Log compaction: drops every entry up to `index` (which the caller has captured in a
    /// snapshot), remembering its term. Does nothing unless `index` is past the current snapshot
    /// and in the log.
    pub fn compact_to(&mut self, index: u64) {
        let Some(term) = self.term_at(index).filter(|_| index > self.snapshot_index) else {
            return;
        };
        let kept = self
            .entries
            .to_vec((index - self.snapshot_index) as usize, self.entries.len());
        self.entries = ChunkedVec::new();
        kept.into_iter().for_each(|e| self.entries.push(e));
        self.snapshot_index = index;
        self.snapshot_term = term;
    }

    /// Installs a snapshot ending at (`index`, `term`) (Figure 13, steps 6 and 7): if the log
    /// holds that entry, the entries after it are kept; otherwise the whole log is discarded
    /// (a `truncate` event reports entries past `index` that go).
    pub fn install<M>(&mut self, index: u64, term: u64, out: &mut Out<M>) {
        if index > self.snapshot_index && self.term_at(index) == Some(term) {
            return self.compact_to(index);
        }
        self.reset_to(index, term, out);
    }

    /// Discards the whole log and starts it after (`index`, `term`), as after installing a
    /// snapshot that the log does not contain (a `truncate` event reports entries past `index`).
    pub fn reset_to<M>(&mut self, index: u64, term: u64, out: &mut Out<M>) {
        if self.last_index() > index {
            out.emit(Event::Truncate {
                node: out.node,
                from: index + 1,
            });
        }
        self.entries = ChunkedVec::new();
        self.snapshot_index = index;
        self.snapshot_term = term;
    }

    /// The first index of the run of entries with the same term as the entry at `index` (never
    /// below the first entry after the snapshot).
    pub fn first_index_of_term_at(&self, index: u64) -> u64 {
        let term = self.term_at(index);
        let mut i = index;
        while i > self.snapshot_index + 1 && self.term_at(i - 1) == term {
            i -= 1;
        }
        i
    }

    /// The last index holding an entry of `term` (`None` if none is kept after the snapshot).
    pub fn last_index_of_term(&self, term: u64) -> Option<u64> {
        let mut i = self.last_index();
        while i > self.snapshot_index {
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

    fn log_of(terms: &[u64]) -> Log {
        let mut log = Log::default();
        let mut out: Out<()> = Out::new(1);
        terms.iter().for_each(|t| log.append(e(*t), &mut out));
        log
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
        let log = log_of(&[1, 2]);
        assert!(log.is_up_to_date(1, 3));
        assert!(log.is_up_to_date(2, 2));
        assert!(!log.is_up_to_date(5, 1));
        assert!(!log.is_up_to_date(1, 2));
    }

    #[test]
    fn a_compacted_log_keeps_its_indexes_and_the_term_at_the_snapshot() {
        let mut log = log_of(&[1, 1, 2, 2, 3, 3]);
        log.compact_to(4);
        assert_eq!((log.snapshot_index(), log.snapshot_term()), (4, 2));
        assert_eq!((log.last_index(), log.last_term(), log.len()), (6, 3, 2));
        assert_eq!(log.term_at(4), Some(2));
        assert_eq!(log.term_at(3), None);
        assert!(log.is_compacted(3) && !log.is_compacted(4));
        assert_eq!(log.get(5).map(|e| e.term), Some(3));
        assert_eq!(log.slice(2, 10).len(), 2);
        assert_eq!(log.first_index_of_term_at(6), 5);
        assert_eq!(log.last_index_of_term(2), None);
        let mut out: Out<()> = Out::new(1);
        log.truncate_from(2, &mut out);
        assert_eq!(log.last_index(), 4, "the compacted prefix is never deleted");
    }

    #[test]
    fn installing_a_snapshot_keeps_a_matching_suffix_and_discards_a_conflicting_log() {
        let mut out: Out<()> = Out::new(1);
        let mut kept = log_of(&[1, 1, 2, 2]);
        kept.install(3, 2, &mut out);
        assert_eq!((kept.snapshot_index(), kept.last_index()), (3, 4));
        assert!(out.events.is_empty());
        let mut gone = log_of(&[1, 1, 1, 1, 1]);
        gone.install(3, 2, &mut out);
        assert_eq!(
            (gone.snapshot_index(), gone.last_index(), gone.len()),
            (3, 3, 0)
        );
        assert!(matches!(out.events[..], [Event::Truncate { from: 4, .. }]));
    }
}
