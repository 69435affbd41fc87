//! Log compaction, InstallSnapshot and recovery (section 7 and Figure 13 of the paper).
//!
//! - **Compaction.** Once a node has applied `snapshot_interval` entries past its last snapshot, it
//!   writes its state machine (the key-value store *with* its client sessions, so deduplication
//!   survives) to disk as a snapshot, together with the index and term of the last entry it
//!   covers, and drops that prefix of its log. A snapshot only ever covers applied, hence
//!   committed, entries: the compacted prefix can never be asked to change.
//! - **InstallSnapshot.** A leader that must send a follower an entry it has already compacted
//!   (`nextIndex <= lastIncludedIndex`) sends its snapshot instead. The follower ignores a
//!   snapshot its state machine is already past; otherwise, if its log holds the snapshot's last
//!   entry it keeps the entries after it, else it discards its whole log, and it resets its state
//!   machine from the snapshot.
//! - **Recovery.** The snapshot is durable state. A restarted node loads it into its state
//!   machine and then replays the log entries after it up to its durable commit point. (Figure 2
//!   keeps commitIndex volatile; like etcd's `HardState.Commit`, this implementation also writes it
//!   to disk, so a restarted node can replay what it knows committed without waiting for a leader.
//!   That is safe because committed entries are never removed from a correct node's log.) The
//!   `recover` event reports the snapshot's index and the number of entries replayed: a longer
//!   snapshot interval means fewer, larger snapshots and longer replays.

use super::{bit, Raft, RaftMsg, Role};
use crate::model::event::Event;
use crate::model::hash::digest;
use crate::model::kv::KvStore;
use crate::model::types::NodeId;
use crate::sim::protocol::Out;

/// A snapshot of the state machine: the store after applying every entry up to `last_index`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Snapshot {
    /// The last log index the snapshot covers (0: no snapshot).
    pub last_index: u64,
    /// The term of that entry.
    pub last_term: u64,
    /// The key-value store, client sessions included.
    pub kv: KvStore,
}

impl Snapshot {
    /// The size of the snapshot's compact encoding: index and term, 12 bytes per key and value,
    /// 24 per client session.
    pub fn bytes(&self) -> u64 {
        let (keys, sessions) = self.kv.size();
        16 + 12 * keys as u64 + 24 * sessions as u64
    }

    /// A stable digest of the state the snapshot holds.
    pub fn state_digest(&self) -> u64 {
        digest(&self.kv)
    }
}

impl Raft {
    /// Takes a snapshot when enough entries were applied since the last one (section 7).
    pub(super) fn maybe_snapshot(&mut self, out: &mut Out<RaftMsg>) {
        let interval = self.cfg.snapshot_interval;
        if interval == 0 {
            return;
        }
        if self.cfg.bugs.snapshot_uncommitted
            && self.d.log.last_index() - self.d.log.snapshot_index() >= interval
        {
            self.apply_through(self.d.log.last_index(), out);
        }
        if self.v.last_applied - self.d.log.snapshot_index() >= interval {
            self.take_snapshot(out);
        }
    }

    /// Writes the state machine as it is now (after `last_applied`) to disk and compacts the log.
    fn take_snapshot(&mut self, out: &mut Out<RaftMsg>) {
        let index = self.v.last_applied;
        let Some(term) = self.d.log.term_at(index) else {
            return;
        };
        self.d.snapshot = Snapshot {
            last_index: index,
            last_term: term,
            kv: self.v.kv.clone(),
        };
        self.d.log.compact_to(index);
        self.emit_checkpoint(None, out);
    }

    fn emit_checkpoint(&self, from: Option<NodeId>, out: &mut Out<RaftMsg>) {
        let s = &self.d.snapshot;
        out.emit(Event::Checkpoint {
            node: self.id,
            index: s.last_index,
            term: s.last_term,
            state: s.state_digest(),
            bytes: s.bytes(),
            from,
        });
    }

    /// Sends the leader's snapshot to a follower that needs compacted entries.
    pub(super) fn send_snapshot(&self, peer: NodeId, out: &mut Out<RaftMsg>) {
        out.send(
            peer,
            RaftMsg::InstallSnapshot {
                term: self.d.current_term,
                leader: self.id,
                snapshot: self.d.snapshot.clone(),
            },
        );
    }

    /// A follower's side of InstallSnapshot (Figure 13). Terms above ours were already adopted.
    pub(super) fn handle_install_snapshot(
        &mut self,
        from: NodeId,
        term: u64,
        snapshot: Snapshot,
        out: &mut Out<RaftMsg>,
    ) {
        if term < self.d.current_term {
            return self.reply_snapshot(from, 0, out);
        }
        self.follow(from, term, out);
        let index = snapshot.last_index;
        let stale = index <= self.v.commit_index;
        if stale && !self.cfg.bugs.install_stale_snapshot {
            return self.reply_snapshot(from, index, out);
        }
        if self.cfg.bugs.install_stale_snapshot {
            self.d.log.reset_to(index, snapshot.last_term, out);
        } else {
            self.d.log.install(index, snapshot.last_term, out);
        }
        self.v.kv = snapshot.kv.clone();
        self.v.last_applied = index;
        self.v.commit_index = index;
        self.d.commit_index = index;
        self.d.snapshot = snapshot;
        self.emit_checkpoint(Some(from), out);
        self.reply_snapshot(from, index, out);
    }

    fn reply_snapshot(&self, to: NodeId, last_included_index: u64, out: &mut Out<RaftMsg>) {
        out.send(
            to,
            RaftMsg::InstallSnapshotReply {
                term: self.d.current_term,
                last_included_index,
            },
        );
    }

    /// The leader's side: the follower now holds everything up to the snapshot.
    pub(super) fn handle_snapshot_reply(
        &mut self,
        from: NodeId,
        term: u64,
        last_included_index: u64,
        out: &mut Out<RaftMsg>,
    ) {
        if self.v.role != Role::Leader || term != self.d.current_term {
            return;
        }
        // A reply in the leader's term is word from a follower, whatever it says: CheckQuorum
        // counts it like an AppendEntries reply (issue 16: it did not).
        self.v.heard |= bit(from);
        if last_included_index > 0 {
            self.note_match(from, last_included_index, out);
        }
    }

    /// Rebuilds the state machine after a boot: the snapshot, then the log entries after it up to
    /// the durable commit point. A restarted node (one with anything on disk) reports it with a
    /// `recover` event before the replayed `apply` lines.
    pub(super) fn recover(&mut self, out: &mut Out<RaftMsg>) {
        let s = &self.d.snapshot;
        self.v.kv = s.kv.clone();
        self.v.last_applied = s.last_index;
        let target = self
            .d
            .commit_index
            .min(self.d.log.last_index())
            .max(s.last_index);
        self.v.commit_index = target;
        if self.d.current_term > 0 || self.d.log.last_index() > 0 {
            out.emit(Event::Recover {
                node: self.id,
                checkpoint: s.last_index,
                replayed: target - s.last_index,
            });
        }
        self.apply_committed(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocols::raft::{RaftConfig, RaftDurable};
    use crate::sim::protocol::{Out, Protocol};

    #[test]
    fn check_quorum_counts_a_follower_that_answers_install_snapshot_as_heard() {
        let mut leader = Raft::boot(
            1,
            3,
            &RaftConfig::default(),
            RaftDurable::default(),
            &mut Out::new(1),
        );
        leader.d.current_term = 2;
        leader.v.role = Role::Leader;
        leader.v.heard = bit(1);
        let reply = RaftMsg::InstallSnapshotReply {
            term: 2,
            last_included_index: 0,
        };
        leader.on_message(2, reply, &mut Out::new(1));
        assert_ne!(
            leader.v.heard & bit(2),
            0,
            "node 2 answered in the leader's term"
        );
    }
}
