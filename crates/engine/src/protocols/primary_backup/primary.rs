//! The primary: taking client operations into the log, replicating them to every backup of the
//! view, committing once all of them acknowledged, heartbeats, and checking on the backups.

use super::{NodeSet, PrimaryBackup, PrimaryBackupMsg, Role, HEARTBEAT, SUSPECT};
use crate::model::kv::{Cmd, Command};
use crate::model::types::{ClientId, NodeId};
use crate::replicated::Entry;
use crate::sim::protocol::Out;

impl PrimaryBackup {
    /// Takes a client operation (once, however often the same one arrives) into the next index
    /// and sends it to every backup of the view.
    pub(super) fn handle_client_command(
        &mut self,
        client: ClientId,
        cmd: Cmd,
        out: &mut Out<PrimaryBackupMsg>,
    ) {
        if self.v.pending.values().any(|p| *p == (client, cmd.op)) {
            return;
        }
        let op = cmd.op;
        let entry = Entry {
            term: self.d.epoch,
            cmd: Command::Client(cmd),
        };
        self.d.log.append(entry.clone(), out);
        let index = self.d.log.last_index();
        self.v.synced = index;
        self.v.pending.insert(index, (client, op));
        let (epoch, commit) = (self.d.epoch, self.d.commit);
        for b in self.v.backups.iter() {
            let entry = entry.clone();
            let msg = PrimaryBackupMsg::Replicate {
                epoch,
                index,
                entry,
                commit,
            };
            out.send(b, msg);
        }
        self.advance_commit(out);
    }

    /// A node of the current epoch says its log equals the primary's up to `index`.
    pub(super) fn handle_ack(&mut self, from: NodeId, index: u64, out: &mut Out<PrimaryBackupMsg>) {
        if self.v.role != Role::Primary {
            return;
        }
        self.v.heard.insert(from);
        let matched = &mut self.v.matched[from as usize - 1];
        *matched = (*matched).max(index.min(self.d.log.last_index()));
        self.advance_commit(out);
    }

    /// Commits the highest index every backup of the view has acknowledged, if it is an entry of
    /// this primary's epoch (an older entry commits with the first one of this epoch after it).
    pub(super) fn advance_commit(&mut self, out: &mut Out<PrimaryBackupMsg>) {
        let mut index = self.d.log.last_index();
        if !self.cfg.bugs.ack_before_replication {
            for b in self.v.backups.iter() {
                index = index.min(self.v.matched[b as usize - 1]);
            }
        }
        if index > self.d.commit && self.d.log.term_at(index) == Some(self.d.epoch) {
            self.set_commit(index, out);
        }
    }

    /// Every heartbeat interval: the view, the end of the log and the commit point to every node,
    /// members or not (a node left out of the view follows along and catches up).
    pub(super) fn heartbeat(&mut self, out: &mut Out<PrimaryBackupMsg>) {
        let (epoch, backups) = (self.d.epoch, self.v.backups);
        let (last, commit) = (self.d.log.last_index(), self.d.commit);
        for p in self.peers() {
            let msg = PrimaryBackupMsg::Heartbeat {
                epoch,
                backups,
                last,
                commit,
            };
            out.send(p, msg);
        }
        out.set_timer(HEARTBEAT, self.cfg.heartbeat_interval);
    }

    /// The primary's own failure detector, once per check interval: a backup not heard from since
    /// the last check is suspected, and a node outside the view that has caught up may join. Either
    /// way the primary stands for re-election, and the new view holds whoever votes.
    pub(super) fn check_backups(&mut self, out: &mut Out<PrimaryBackupMsg>) {
        let heard = self.v.heard;
        let silent = self.v.backups.iter().any(|b| !heard.contains(b));
        let outside = self.outside_view();
        let joiner = outside
            .iter()
            .any(|p| heard.contains(p) && self.v.matched[p as usize - 1] >= self.d.commit);
        if silent || joiner {
            return self.become_candidate(out);
        }
        self.v.heard = NodeSet::default();
        out.set_timer(SUSPECT, self.cfg.backup_check_interval);
    }

    fn outside_view(&self) -> NodeSet {
        let mut outside = NodeSet::default();
        for p in self.peers().filter(|p| !self.v.backups.contains(*p)) {
            outside.insert(p);
        }
        outside
    }

    /// Serves a `Fetch` of the current epoch with a batch of entries from `first` on. The primary
    /// serves its backups and nodes catching up; a voter serves a new primary that is behind it.
    pub(super) fn handle_fetch(
        &mut self,
        requester: NodeId,
        first: u64,
        out: &mut Out<PrimaryBackupMsg>,
    ) {
        if self.v.role == Role::Primary {
            self.v.heard.insert(requester);
        }
        let first = first.max(1);
        let msg = PrimaryBackupMsg::Entries {
            epoch: self.d.epoch,
            first,
            entries: self.d.log.slice(first, self.cfg.max_entries_per_fetch),
            last: self.d.log.last_index(),
            commit: self.d.commit,
        };
        out.send(requester, msg);
    }
}
