//! Mirrors of each node's Raft log, rebuilt from the trace, for the invariant checkers.
//!
//! A mirrored entry keeps its term, its command's digest and the *chain digest* up to it, so two
//! logs agree up to an index exactly when their chain digests there are equal. Mirrors live in
//! [`ChunkedVec`]s, so time-travel snapshots share them. A node's own snapshot changes nothing in
//! its mirror (compaction drops committed entries, which never change); an *installed* snapshot
//! replaces the mirror by the prefix of a node that holds the snapshot's last entry.

use std::collections::BTreeMap;

use crate::model::chunked::{ChunkedVec, Meter};
use crate::model::event::{Event, Message};
use crate::model::kv::Command;
use crate::model::types::NodeId;

/// One mirrored entry: its term, its command's digest and the chain digest up to it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Mirrored {
    pub(super) term: u64,
    cmd: u64,
    pub(super) chain: u64,
}

/// A node's log, rebuilt from append/truncate events.
#[derive(Clone, Debug, Default)]
pub(super) struct Mirror {
    entries: ChunkedVec<Mirrored>,
}

impl Mirror {
    /// Records an append (or overwrite) at `index`; returns the 0-based position of the first
    /// entry whose chain digest changed.
    pub(super) fn append(&mut self, index: u64, term: u64, cmd: &Command) -> usize {
        let i = index as usize - 1;
        if i >= self.entries.len() {
            self.entries.resize(i + 1, Mirrored::default());
        }
        if let Some(e) = self.entries.get_mut(i) {
            *e = Mirrored {
                term,
                cmd: cmd.digest(),
                chain: 0,
            };
        }
        self.rechain(i);
        i
    }

    fn rechain(&mut self, from: usize) {
        for j in from..self.entries.len() {
            let prev = j
                .checked_sub(1)
                .and_then(|p| self.entries.get(p))
                .map_or(0, |e| e.chain);
            if let Some(e) = self.entries.get_mut(j) {
                e.chain = chain_digest(prev, e.term, e.cmd);
            }
        }
    }

    pub(super) fn truncate(&mut self, from: u64) {
        self.entries.truncate((from as usize).saturating_sub(1));
    }

    pub(super) fn len(&self) -> usize {
        self.entries.len()
    }

    pub(super) fn at(&self, pos: usize) -> Mirrored {
        self.entries.get(pos).copied().unwrap_or_default()
    }

    pub(super) fn chain_at(&self, index: usize) -> Option<u64> {
        index
            .checked_sub(1)
            .and_then(|i| self.entries.get(i))
            .map(|e| e.chain)
    }
}

fn chain_digest(prev: u64, term: u64, cmd_digest: u64) -> u64 {
    let mut x = prev ^ term.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ cmd_digest.rotate_left(17);
    x = (x ^ (x >> 31)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^ (x >> 29)
}

pub(super) fn mirror_mut(mirrors: &mut Vec<Mirror>, node: NodeId) -> &mut Mirror {
    let i = node as usize - 1;
    if mirrors.len() <= i {
        mirrors.resize(i + 1, Mirror::default());
    }
    &mut mirrors[i]
}

pub(super) fn measure_mirrors(mirrors: &[Mirror], m: &mut Meter) {
    for mirror in mirrors {
        m.chunked(&mirror.entries);
    }
}

impl Mirror {
    /// Does the mirrored log hold an entry of `term` at `index`?
    fn holds(&self, index: u64, term: u64) -> bool {
        index == 0 || (self.len() as u64 >= index && self.at(index as usize - 1).term == term)
    }
}

/// Makes `node`'s mirror hold a snapshot ending at (`index`, `term`): unchanged if it holds that
/// entry, otherwise the prefix of another node's mirror that does (Figure 13: the follower's log
/// is replaced by the snapshot). With no such mirror (a hand-written trace), the prefix is filled
/// with placeholders.
pub(super) fn install_mirror(mirrors: &mut Vec<Mirror>, node: NodeId, index: u64, term: u64) {
    if mirror_mut(mirrors, node).holds(index, term) {
        return;
    }
    let source = mirrors.iter().find(|m| m.holds(index, term)).cloned();
    let mirror = mirror_mut(mirrors, node);
    match source {
        Some(mut prefix) => {
            prefix.truncate(index + 1);
            *mirror = prefix;
        }
        None => {
            mirror.truncate(1);
            mirror.entries.resize(index as usize, Mirrored::default());
            if let Some(last) = index
                .checked_sub(1)
                .and_then(|i| mirror.entries.get_mut(i as usize))
            {
                last.term = term;
            }
        }
    }
}

/// Follows every node's log through `append`, `truncate` and `checkpoint` events (an installed
/// snapshot as in [`install_mirror`]); other events change nothing.
pub(super) fn follow_logs<M: Message>(mirrors: &mut Vec<Mirror>, ev: &Event<M>) {
    match ev {
        Event::Append {
            node,
            index,
            term,
            cmd,
        } => {
            mirror_mut(mirrors, *node).append(*index, *term, cmd);
        }
        Event::Truncate { node, from } => mirror_mut(mirrors, *node).truncate(*from),
        Event::Checkpoint {
            node, index, term, ..
        } => install_mirror(mirrors, *node, *index, *term),
        _ => {}
    }
}

/// Every node's mirrored log plus the committed prefix of the cluster: what the checkers that
/// reason about commitment (LeaderCompleteness, SnapshotSafety) share.
///
/// An index counts as committed in the term of the first node that reported committing it (the
/// leader commits before any follower learns of it).
#[derive(Clone, Debug, Default)]
pub(super) struct Replicas {
    logs: Vec<Mirror>,
    /// Per committed index: the chain digest and the term in which it was committed.
    committed: ChunkedVec<(u64, u64)>,
    terms: BTreeMap<NodeId, u64>,
}

impl Replicas {
    /// Follows `append`, `truncate`, `checkpoint`, `role` and `commit` events.
    pub(super) fn observe<M: Message>(&mut self, ev: &Event<M>) {
        follow_logs(&mut self.logs, ev);
        match ev {
            Event::Role { node, epoch, .. } => {
                self.terms.insert(*node, *epoch);
            }
            Event::Commit { node, index } => self.note_commit(*node, *index),
            _ => {}
        }
    }

    fn note_commit(&mut self, node: NodeId, index: u64) {
        let Some(log) = self.logs.get((node - 1) as usize) else {
            return;
        };
        let term = self.terms.get(&node).copied().unwrap_or_default();
        let upto = (index as usize).min(log.len());
        for i in self.committed.len()..upto {
            self.committed.push((log.at(i).chain, term));
        }
    }

    /// How many indexes are known committed.
    pub(super) fn committed_len(&self) -> u64 {
        self.committed.len() as u64
    }

    /// The committed entry's chain digest at `index` and the term it was committed in.
    pub(super) fn committed_at(&self, index: usize) -> (u64, u64) {
        self.committed.get(index - 1).copied().unwrap_or_default()
    }

    /// The chain digest of `node`'s mirrored log at `index`.
    pub(super) fn chain_at(&self, node: NodeId, index: usize) -> Option<u64> {
        self.logs
            .get((node - 1) as usize)
            .and_then(|l| l.chain_at(index))
    }

    /// The first committed index whose entry the node's log lacks.
    pub(super) fn first_missing(&self, node: NodeId) -> Option<usize> {
        let n = self.committed.len();
        let chain_at = |i: usize| self.chain_at(node, i);
        if n == 0 || chain_at(n) == Some(self.committed_at(n).0) {
            return None;
        }
        (1..=n).find(|i| chain_at(*i) != Some(self.committed_at(*i).0))
    }

    /// Counts the memory of the mirrors and the committed prefix.
    pub(super) fn measure(&self, m: &mut Meter) {
        measure_mirrors(&self.logs, m);
        m.chunked(&self.committed);
    }
}
