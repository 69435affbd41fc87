//! The backup's side: storing replicated entries in order, catching up (`Fetch` / `Entries`),
//! acknowledging, and applying what the primary has committed.

use super::{PrimaryBackup, PrimaryBackupMsg, Role};
use crate::model::event::{Event, Response};
use crate::model::kv::{Command, KvResult};
use crate::model::types::NodeId;
use crate::replicated::Entry;
use crate::sim::protocol::Out;

impl PrimaryBackup {
    /// Stores the next entry from the primary and acknowledges it. A backup missing an earlier
    /// entry fetches instead; a node still recovering ignores `Replicate` (it is fetching).
    pub(super) fn handle_replicate(
        &mut self,
        from: NodeId,
        index: u64,
        entry: Entry,
        commit: u64,
        out: &mut Out<PrimaryBackupMsg>,
    ) {
        if self.v.role == Role::Primary || self.v.primary != Some(from) {
            return;
        }
        self.reset_suspect_timer(out);
        if self.v.role != Role::Backup {
            return;
        }
        let next = self.d.log.last_index() + 1;
        if index > next {
            return self.fetch(out);
        }
        if index == next {
            self.d.log.append(entry, out);
            self.v.synced = index;
        }
        self.learn_commit(commit, out);
        self.acknowledge(out);
    }

    /// The primary's heartbeat: follow it, learn its commit point and view, and acknowledge (or
    /// fetch, when behind).
    pub(super) fn handle_heartbeat(
        &mut self,
        from: NodeId,
        backups: super::NodeSet,
        last: u64,
        commit: u64,
        out: &mut Out<PrimaryBackupMsg>,
    ) {
        if self.v.role == Role::Primary {
            return;
        }
        self.follow(from, backups, out);
        self.learn_commit(commit, out);
        self.report(last, out);
    }

    /// A batch of the source's log (the primary's, or for a new primary a voter's) from `first`
    /// on: store it, replacing whatever differs; once the source has nothing more, drop whatever
    /// this log holds beyond the part known equal (a stale suffix of an older view).
    pub(super) fn handle_entries(
        &mut self,
        sender: NodeId,
        first: u64,
        entries: Vec<Entry>,
        (last, commit): (u64, u64),
        out: &mut Out<PrimaryBackupMsg>,
    ) {
        let source = self.v.source.or(self.v.primary);
        let fetching = matches!(self.v.role, Role::Backup | Role::Recovering);
        if !fetching || source != Some(sender) || first > self.v.synced + 1 {
            return;
        }
        if self.v.source.is_none() {
            self.reset_suspect_timer(out);
        }
        let end = first - 1 + entries.len() as u64;
        let progress = end > self.v.synced;
        self.store_from(first, entries, out);
        self.v.synced = self.v.synced.max(end);
        if self.v.synced >= last {
            self.d.log.truncate_from(self.v.synced + 1, out);
        }
        self.learn_commit(commit, out);
        if self.v.synced < last {
            // A stale batch that brought nothing new leaves the fetching to the newer one.
            if progress {
                self.fetch(out);
            }
            return;
        }
        if self.v.source.is_some() {
            return self.become_primary(out);
        }
        self.report(last, out);
    }

    /// Writes `entries` at `from`, `from + 1`, ...: an equal entry is kept, a different one is
    /// deleted with everything after it.
    fn store_from(&mut self, from: u64, entries: Vec<Entry>, out: &mut Out<PrimaryBackupMsg>) {
        for (k, entry) in entries.into_iter().enumerate() {
            let index = from + k as u64;
            match self.d.log.get(index) {
                Some(e) if *e == entry => continue,
                Some(_) => {
                    self.d.log.truncate_from(index, out);
                    self.d.log.append(entry, out);
                }
                None => self.d.log.append(entry, out),
            }
        }
    }

    /// Asks the catch-up source for its log after the part known equal.
    pub(super) fn fetch(&self, out: &mut Out<PrimaryBackupMsg>) {
        let Some(source) = self.v.source.or(self.v.primary) else {
            return;
        };
        let msg = PrimaryBackupMsg::Fetch {
            epoch: self.d.epoch,
            first: self.v.synced + 1,
        };
        out.send(source, msg);
    }

    /// Tells the primary how far the log matches its own: a member holding the whole log is a
    /// backup and acknowledges; a node behind fetches.
    fn report(&mut self, last: u64, out: &mut Out<PrimaryBackupMsg>) {
        let whole = self.v.synced == self.d.log.last_index() && self.v.synced >= last;
        if !whole {
            return self.fetch(out);
        }
        let member = self.v.backups.contains(self.id);
        if self.v.role == Role::Recovering && member {
            self.v.role = Role::Backup;
        }
        self.acknowledge(out);
    }

    fn acknowledge(&self, out: &mut Out<PrimaryBackupMsg>) {
        if let Some(p) = self.v.primary {
            let ack = PrimaryBackupMsg::Ack {
                epoch: self.d.epoch,
                index: self.v.synced,
                refused: false,
            };
            out.send(p, ack);
        }
    }

    /// The primary's commit point covers this node's log only as far as it matches the primary's.
    fn learn_commit(&mut self, commit: u64, out: &mut Out<PrimaryBackupMsg>) {
        self.set_commit(commit.min(self.v.synced), out);
    }

    /// Raises the commit point (durably) and applies what it covers.
    pub(super) fn set_commit(&mut self, index: u64, out: &mut Out<PrimaryBackupMsg>) {
        let index = index.min(self.d.log.last_index());
        if index <= self.d.commit {
            return;
        }
        self.d.commit = index;
        out.emit(Event::Commit {
            node: self.id,
            index,
        });
        self.apply_committed(out);
    }

    /// Applies committed entries in order; the primary answers the clients waiting on them. (At
    /// boot this rebuilds the store from the durable log.)
    pub(super) fn apply_committed(&mut self, out: &mut Out<PrimaryBackupMsg>) {
        while self.v.applied < self.d.commit {
            let index = self.v.applied + 1;
            let Some(entry) = self.d.log.get(index).cloned() else {
                return;
            };
            self.v.applied = index;
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

    /// Answers the client waiting on `index`: the store's result if the index holds its
    /// operation, otherwise a redirect (the client will retry).
    fn answer_client(
        &mut self,
        index: u64,
        cmd: &Command,
        result: Option<KvResult>,
        out: &mut Out<PrimaryBackupMsg>,
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
