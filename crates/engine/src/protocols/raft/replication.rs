//! Log replication and commitment (sections 5.3 and 5.4.2), and applying committed entries.

use super::{bit, Raft, RaftMsg, Role, HEARTBEAT};
use crate::model::event::{Event, Response};
use crate::model::kv::{Cmd, Command, KvResult};
use crate::model::types::{ClientId, NodeId};
use crate::replicated::Entry;
use crate::sim::protocol::Out;

impl Raft {
    /// Sends AppendEntries (entries from nextIndex, or a heartbeat) to every peer.
    pub(super) fn broadcast_append(&mut self, out: &mut Out<RaftMsg>) {
        for p in self.peers() {
            self.send_append(p, out);
        }
        out.set_timer(HEARTBEAT, self.cfg.heartbeat_interval);
    }

    /// Sends AppendEntries from the peer's nextIndex, or the snapshot when that entry is
    /// compacted (section 7).
    fn send_append(&mut self, peer: NodeId, out: &mut Out<RaftMsg>) {
        let next = self.v.next_index[peer as usize - 1];
        if next <= self.d.log.snapshot_index() {
            return self.send_snapshot(peer, out);
        }
        let prev_log_index = next - 1;
        let prev_log_term = self.d.log.term_at(prev_log_index).unwrap_or(0);
        let entries = self.d.log.slice(next, self.cfg.max_entries_per_append);
        if !entries.is_empty() {
            self.v.sent_to[peer as usize - 1] = prev_log_index + entries.len() as u64;
        }
        out.send(
            peer,
            RaftMsg::AppendEntries {
                term: self.d.current_term,
                prev_log_index,
                prev_log_term,
                entries,
                leader_commit: self.v.commit_index,
            },
        );
    }

    /// A leader takes a client command into its log and starts replicating it.
    pub(super) fn handle_client_command(
        &mut self,
        client: ClientId,
        cmd: Cmd,
        out: &mut Out<RaftMsg>,
    ) {
        let op = cmd.op;
        let entry = Entry {
            term: self.d.current_term,
            cmd: Command::Client(cmd),
        };
        self.d.log.append(entry, out);
        let last = self.d.log.last_index();
        self.v.match_index[self.id as usize - 1] = last;
        self.v.pending.insert(last, (client, op));
        self.advance_commit(out);
        for p in self.peers().collect::<Vec<_>>() {
            let i = p as usize - 1;
            if self.v.next_index[i] == last && self.v.sent_to[i] == 0 {
                self.send_append(p, out);
            }
        }
    }

    /// A follower's side of AppendEntries: the consistency check, conflict repair, commit.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn handle_append_entries(
        &mut self,
        from: NodeId,
        term: u64,
        prev_log_index: u64,
        prev_log_term: u64,
        entries: Vec<Entry>,
        leader_commit: u64,
        out: &mut Out<RaftMsg>,
    ) {
        if term < self.d.current_term {
            return self.reply_append(from, false, 0, 0, None, out);
        }
        self.follow(from, term, out);
        let (prev_log_index, prev_log_term, entries) =
            self.skip_compacted(prev_log_index, prev_log_term, entries);
        match self.d.log.term_at(prev_log_index) {
            None => {
                let next = self.d.log.last_index() + 1;
                return self.reply_append(from, false, 0, next, None, out);
            }
            Some(t) if t != prev_log_term => {
                let first = self.d.log.first_index_of_term_at(prev_log_index);
                let first = first.max(self.d.log.snapshot_index() + 1);
                return self.reply_append(from, false, 0, first.min(prev_log_index), Some(t), out);
            }
            Some(_) => {}
        }
        let last_new = prev_log_index + entries.len() as u64;
        self.store_entries(prev_log_index, entries, out);
        if leader_commit > self.v.commit_index {
            self.set_commit(leader_commit.min(last_new), out);
        }
        self.reply_append(from, true, last_new, 0, None, out);
    }

    /// Recognises `from` as the leader of `term` (stepping down if needed) and resets the
    /// election timer.
    pub(super) fn follow(&mut self, from: NodeId, term: u64, out: &mut Out<RaftMsg>) {
        if self.v.role != Role::Follower || self.v.leader != Some(from) {
            self.become_follower(term, Some(from), out);
        } else {
            self.reset_election_timer(out);
        }
    }

    /// Drops the entries of an AppendEntries that this node's snapshot already covers: they are
    /// committed, so they match the leader's, and the check moves to the snapshot's last entry.
    fn skip_compacted(
        &self,
        prev: u64,
        prev_term: u64,
        mut entries: Vec<Entry>,
    ) -> (u64, u64, Vec<Entry>) {
        let base = self.d.log.snapshot_index();
        if prev >= base {
            return (prev, prev_term, entries);
        }
        let covered = ((base - prev) as usize).min(entries.len());
        entries.drain(..covered);
        (base, self.d.log.snapshot_term(), entries)
    }

    /// Stores new entries after `prev`, deleting a conflicting suffix (Figure 2, receiver rule 3).
    fn store_entries(&mut self, prev: u64, entries: Vec<Entry>, out: &mut Out<RaftMsg>) {
        for (k, entry) in entries.into_iter().enumerate() {
            let index = prev + 1 + k as u64;
            match self.d.log.term_at(index) {
                Some(t) if t == entry.term => continue,
                Some(_) if self.cfg.bugs.keep_stale_suffix => {
                    self.d.log.overwrite(index, entry, out)
                }
                Some(_) => {
                    self.d.log.truncate_from(index, out);
                    self.d.log.append(entry, out);
                }
                None => self.d.log.append(entry, out),
            }
        }
    }

    fn reply_append(
        &self,
        to: NodeId,
        success: bool,
        match_index: u64,
        conflict_index: u64,
        conflict_term: Option<u64>,
        out: &mut Out<RaftMsg>,
    ) {
        let conflict_term = conflict_term.filter(|_| self.cfg.conflict_hint);
        let term = self.d.current_term;
        out.send(
            to,
            RaftMsg::AppendEntriesReply {
                term,
                success,
                match_index,
                conflict_index,
                conflict_term,
            },
        );
    }

    /// The leader's side: advance matchIndex and commit, or back nextIndex off and retry.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn handle_append_reply(
        &mut self,
        from: NodeId,
        term: u64,
        success: bool,
        match_index: u64,
        conflict_index: u64,
        conflict_term: Option<u64>,
        out: &mut Out<RaftMsg>,
    ) {
        if self.v.role != Role::Leader || term != self.d.current_term {
            return;
        }
        self.v.heard |= bit(from);
        let i = from as usize - 1;
        if success {
            return self.note_match(from, match_index, out);
        }
        let before = self.v.next_index[i];
        let next = self.back_off(before, conflict_index, conflict_term);
        self.v.next_index[i] = next.max(self.v.match_index[i] + 1);
        self.v.sent_to[i] = 0;
        // Retry at once only when the refusal moved nextIndex: a duplicated refusal, or one that
        // cannot move it (a follower refusing what it had acknowledged, which only a planted bug
        // makes happen), would otherwise keep a chain of appends going for ever, one more chain
        // per duplicate. The heartbeat retries those.
        if self.v.next_index[i] != before {
            self.send_append(from, out);
        }
    }

    /// A follower holds the leader's log up to `match_index`: advance its matchIndex, commit what
    /// a majority holds, and send it what it still lacks.
    /// Only the acknowledgement of the newest append sent sends more: a stale or duplicated
    /// one (an older append, or one the heartbeat re-sent) would start a second chain of appends.
    pub(super) fn note_match(&mut self, from: NodeId, match_index: u64, out: &mut Out<RaftMsg>) {
        let i = from as usize - 1;
        self.v.match_index[i] = self.v.match_index[i].max(match_index);
        self.v.next_index[i] = self.v.next_index[i].max(self.v.match_index[i] + 1);
        if match_index >= self.v.sent_to[i] {
            self.v.sent_to[i] = 0;
        }
        self.advance_commit(out);
        if self.v.sent_to[i] == 0 && self.v.next_index[i] <= self.d.log.last_index() {
            self.send_append(from, out);
        }
    }

    /// Where to retry after a refused AppendEntries: one entry back (never past the follower's
    /// end), or with the conflict-term hint, past the whole conflicting term at once.
    fn back_off(&self, next: u64, conflict_index: u64, conflict_term: Option<u64>) -> u64 {
        let hinted = match conflict_term {
            Some(t) => self
                .d
                .log
                .last_index_of_term(t)
                .map_or(conflict_index, |last| last + 1),
            None => conflict_index,
        };
        let plain = next.saturating_sub(1).max(1);
        if conflict_term.is_some() {
            hinted.max(1)
        } else if conflict_index > 0 {
            plain.min(conflict_index).max(1)
        } else {
            plain
        }
    }

    /// Commits the highest index stored on a majority, if it is from the current term (5.4.2).
    pub(super) fn advance_commit(&mut self, out: &mut Out<RaftMsg>) {
        let mut buf = [0u64; 64];
        let matched = &mut buf[..self.v.match_index.len()];
        matched.copy_from_slice(&self.v.match_index);
        matched.sort_unstable_by(|a, b| b.cmp(a));
        let n = matched[self.majority() as usize - 1];
        if n <= self.v.commit_index {
            return;
        }
        let current = self.d.log.term_at(n) == Some(self.d.current_term);
        if current || self.cfg.bugs.commit_previous_term {
            self.set_commit(n, out);
        }
    }

    fn set_commit(&mut self, index: u64, out: &mut Out<RaftMsg>) {
        if index <= self.v.commit_index {
            return;
        }
        self.v.commit_index = index;
        self.d.commit_index = index;
        out.emit(Event::Commit {
            node: self.id,
            index,
        });
        self.apply_committed(out);
    }

    /// Applies committed entries in order (the leader answers the clients waiting on them), then
    /// takes a snapshot if one is due.
    pub(super) fn apply_committed(&mut self, out: &mut Out<RaftMsg>) {
        self.apply_through(self.v.commit_index, out);
        self.maybe_snapshot(out);
    }

    /// Applies the entries after `lastApplied` up to `index`.
    pub(super) fn apply_through(&mut self, index: u64, out: &mut Out<RaftMsg>) {
        while self.v.last_applied < index {
            self.v.last_applied += 1;
            let index = self.v.last_applied;
            let entry = self
                .d
                .log
                .get(index)
                .expect("committed entries are in the log")
                .clone();
            let result = match &entry.cmd {
                Command::Client(cmd) => self.v.kv.apply(cmd),
                Command::Noop(_) => None,
            };
            out.emit(Event::Apply {
                node: self.id,
                index,
                term: Some(entry.term),
                cmd: entry.cmd.clone(),
            });
            self.answer_client(index, &entry.cmd, result, out);
        }
    }

    fn answer_client(
        &mut self,
        index: u64,
        cmd: &Command,
        result: Option<KvResult>,
        out: &mut Out<RaftMsg>,
    ) {
        let Some((client, op)) = self.v.pending.remove(&index) else {
            return;
        };
        let response = match (cmd, result) {
            (Command::Client(c), Some(KvResult::Ok(value))) if c.op == op => {
                Response::Ok { op, value }
            }
            (Command::Client(c), Some(KvResult::CasFailed)) if c.op == op => {
                Response::Fail { op, mismatch: true }
            }
            _ => Response::Redirect { op, hint: None },
        };
        out.reply(client, response);
    }
}
