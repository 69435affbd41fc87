//! View changes: suspicion, standing for election, voting, forming the view (after catching up
//! with the longest log among the voters), and following a new view.

use super::{NodeSet, PrimaryBackup, PrimaryBackupMsg, Role, HEARTBEAT, SUSPECT};
use crate::model::kv::Command;
use crate::model::types::NodeId;
use crate::replicated::Entry;
use crate::sim::protocol::Out;

impl PrimaryBackup {
    /// Enters a higher epoch (durably, forgetting the vote) and steps down to recovering; `primary`
    /// is the sender when the message itself shows it is that epoch's primary.
    pub(super) fn enter_epoch(
        &mut self,
        epoch: u64,
        primary: Option<NodeId>,
        out: &mut Out<PrimaryBackupMsg>,
    ) {
        self.d.epoch = epoch;
        self.d.voted_for = None;
        self.v.backups = NodeSet::default();
        self.step_down(primary, out);
    }

    /// Stops leading or campaigning: recovering, following `primary` if known, its log trusted
    /// only up to the commit point until it has caught up again.
    pub(super) fn step_down(&mut self, primary: Option<NodeId>, out: &mut Out<PrimaryBackupMsg>) {
        if matches!(self.v.role, Role::Primary | Role::Candidate) {
            out.cancel_timer(HEARTBEAT);
        }
        self.v.role = Role::Recovering;
        self.v.primary = primary;
        self.v.votes = NodeSet::default();
        self.v.source = None;
        self.v.synced = self.d.commit;
        self.redirect_pending(out);
        self.reset_suspect_timer(out);
    }

    /// Suspects the primary (or, as primary, a backup): stands for primary of the next epoch. A
    /// primary standing again keeps its waiting clients; it answers them if it wins.
    pub(super) fn become_candidate(&mut self, out: &mut Out<PrimaryBackupMsg>) {
        if self.cfg.bugs.no_fencing {
            return self.promote_alone(out);
        }
        self.d.epoch += 1;
        self.d.voted_for = Some(self.id);
        self.v.role = Role::Candidate;
        self.v.primary = None;
        self.v.backups = NodeSet::default();
        self.v.votes = NodeSet::of(self.id);
        self.v.answered = NodeSet::of(self.id);
        self.v.reports[self.id as usize - 1] = self.log_position();
        self.v.source = None;
        self.reset_suspect_timer(out);
        if self.v.votes.len() >= self.majority() {
            return self.conclude_election(out);
        }
        self.ask_votes(out);
    }

    /// The planted bug `no-fencing`: a suspecting node makes itself primary of the next epoch at
    /// once, with every other node but the suspected primary as its backups.
    fn promote_alone(&mut self, out: &mut Out<PrimaryBackupMsg>) {
        let mut others = NodeSet::default();
        for p in self.peers().filter(|p| Some(*p) != self.v.primary) {
            others.insert(p);
        }
        self.d.epoch += 1;
        self.d.voted_for = Some(self.id);
        self.v.votes = others;
        self.v.votes.insert(self.id);
        self.become_primary(out);
    }

    /// Sends `StartView` to every node that has not answered yet; ticks again after an interval.
    fn ask_votes(&self, out: &mut Out<PrimaryBackupMsg>) {
        let (last_epoch, last_index) = self.log_position();
        let epoch = self.d.epoch;
        for p in self.peers().filter(|p| !self.v.answered.contains(*p)) {
            let msg = PrimaryBackupMsg::StartView {
                epoch,
                last_epoch,
                last_index,
            };
            out.send(p, msg);
        }
        out.set_timer(HEARTBEAT, self.cfg.heartbeat_interval);
    }

    /// A candidate's tick: with a majority, form the view with whoever voted; otherwise ask again.
    pub(super) fn candidate_tick(&mut self, out: &mut Out<PrimaryBackupMsg>) {
        if self.v.votes.len() >= self.majority() {
            return self.conclude_election(out);
        }
        self.ask_votes(out);
    }

    /// Answers `StartView` (a higher epoch was already entered by the caller): one vote per epoch,
    /// and only for a log at least as up-to-date as this node's.
    pub(super) fn handle_start_view(
        &mut self,
        from: NodeId,
        candidate_log: (u64, u64),
        out: &mut Out<PrimaryBackupMsg>,
    ) {
        let free = self.d.voted_for.is_none_or(|v| v == from);
        let granted = free && candidate_log >= self.log_position();
        if granted {
            self.d.voted_for = Some(from);
            self.reset_suspect_timer(out);
        }
        let (last_epoch, last_index) = self.log_position();
        let vote = PrimaryBackupMsg::Vote {
            epoch: self.d.epoch,
            granted,
            last_epoch,
            last_index,
        };
        out.send(from, vote);
    }

    /// Counts a vote of the current epoch. Once every node has answered and a majority granted,
    /// the view forms at once; with a majority but answers missing, at the next tick.
    pub(super) fn handle_vote(
        &mut self,
        from: NodeId,
        granted: bool,
        voter_log: (u64, u64),
        out: &mut Out<PrimaryBackupMsg>,
    ) {
        if self.v.role != Role::Candidate {
            return;
        }
        self.v.answered.insert(from);
        if granted {
            self.v.votes.insert(from);
            self.v.reports[from as usize - 1] = voter_log;
        }
        let everyone = self.v.answered.len() == self.n;
        if everyone && self.v.votes.len() >= self.majority() {
            self.conclude_election(out);
        }
    }

    /// Won: the voters become the view's backups. If a voter's log is ahead of this node's, fetch
    /// it first (recovering); otherwise start serving.
    fn conclude_election(&mut self, out: &mut Out<PrimaryBackupMsg>) {
        out.cancel_timer(HEARTBEAT);
        let own = self.log_position();
        let ahead = self
            .v
            .votes
            .without(self.id)
            .iter()
            .map(|p| (self.v.reports[p as usize - 1], p))
            .filter(|(log, _)| *log > own)
            .max();
        let Some((_, source)) = ahead else {
            return self.become_primary(out);
        };
        self.v.role = Role::Recovering;
        self.v.source = Some(source);
        self.v.synced = self.d.commit;
        self.fetch(out);
    }

    /// Starts serving: a no-op of the new epoch ends the log, and `NewView` tells every node who
    /// the backups are. The no-op commits once every backup holds it, committing what came before.
    pub(super) fn become_primary(&mut self, out: &mut Out<PrimaryBackupMsg>) {
        self.v.role = Role::Primary;
        self.v.primary = Some(self.id);
        self.v.source = None;
        self.v.backups = self.v.votes.without(self.id);
        self.v.votes = NodeSet::default();
        self.v.matched.iter_mut().for_each(|m| *m = 0);
        self.v.heard = NodeSet::default();
        let noop = Entry {
            term: self.d.epoch,
            cmd: Command::noop(),
        };
        self.d.log.append(noop, out);
        self.v.synced = self.d.log.last_index();
        let (epoch, backups) = (self.d.epoch, self.v.backups);
        for p in self.peers() {
            out.send(p, PrimaryBackupMsg::NewView { epoch, backups });
        }
        out.set_timer(HEARTBEAT, self.cfg.heartbeat_interval);
        out.set_timer(SUSPECT, self.cfg.backup_check_interval);
        self.advance_commit(out);
    }

    /// A new view was announced: follow its primary and catch up with its log.
    pub(super) fn handle_new_view(
        &mut self,
        from: NodeId,
        backups: NodeSet,
        out: &mut Out<PrimaryBackupMsg>,
    ) {
        if self.v.role == Role::Primary {
            return;
        }
        self.follow(from, backups, out);
        self.fetch(out);
    }

    /// Follows `primary` of the current epoch. A node that was following someone else (or nobody,
    /// or campaigning) starts recovering: its log is trusted only up to its commit point.
    pub(super) fn follow(
        &mut self,
        primary: NodeId,
        backups: NodeSet,
        out: &mut Out<PrimaryBackupMsg>,
    ) {
        self.v.backups = backups;
        self.reset_suspect_timer(out);
        if self.v.primary == Some(primary) && self.v.role != Role::Candidate {
            return;
        }
        self.step_down(Some(primary), out);
    }
}
