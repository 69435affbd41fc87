//! Epochs and rejoining: fencing messages of older epochs, stepping down on a newer one, probing
//! for the primary's state after a restart, and choosing a primary when both nodes recover.

use super::{RecoveryBlock, RecoveryBlockMsg, Role, COMPUTE, HEARTBEAT, SUSPECT};
use crate::model::kv::KvStore;
use crate::model::types::NodeId;
use crate::sim::protocol::Out;

impl RecoveryBlock {
    /// A restart: the node enters a new epoch (durably) before it sends anything, and recovers.
    /// Its previous incarnation may have left messages in flight, numbered in the old epoch (a
    /// `Result` for an input it never delivered, a `State`); in the new epoch every one of them
    /// is fenced, so nothing this incarnation numbers can be confused with them, and a probe it
    /// answers reports a state that no message from before the crash can still change.
    pub(super) fn restart(&mut self, out: &mut Out<RecoveryBlockMsg>) {
        if !self.cfg.bugs.ack_by_count {
            self.d.epoch += 1;
        }
        out.set_timer(HEARTBEAT, self.cfg.heartbeat_interval);
    }

    /// Whether `msg` is the peer's `Probe` from the new epoch its restart started, received by its
    /// shadow (which adopts the epoch and takes over in the next) or by a primary that holds at
    /// least as much as the prober (it adopts the epoch, stays primary and sends its state):
    /// neither steps down for it. A prober with more inputs applied was primary after this one
    /// (it delivered what this node never saw): this node is stale and steps down.
    pub(super) fn peer_restarted(&self, from: NodeId, msg: &RecoveryBlockMsg) -> bool {
        let RecoveryBlockMsg::Probe { applied, .. } = msg else {
            return false;
        };
        match self.v.role {
            Role::Primary => *applied <= self.d.applied,
            Role::Shadow => self.v.primary == Some(from),
            Role::Recovering | Role::Spare => false,
        }
    }

    /// Refuses a message of an older epoch, answering with this node's epoch. A recovering node
    /// only drops it: it serves no epoch yet, and its `Probe` tells the peer of the new epoch
    /// (a primary hearing the probe of its restarted shadow stays primary; a fence would have
    /// made it step down).
    pub(super) fn fence(
        &self,
        from: NodeId,
        msg: &RecoveryBlockMsg,
        out: &mut Out<RecoveryBlockMsg>,
    ) {
        let recovering = self.v.role == Role::Recovering;
        if !recovering && !matches!(msg, RecoveryBlockMsg::Fence { .. }) {
            out.send(
                from,
                RecoveryBlockMsg::Fence {
                    epoch: self.d.epoch,
                },
            );
        }
    }

    /// Enters a higher epoch (durably) and steps down to recovering: whatever this node was doing
    /// belongs to an older epoch. Waiting clients are redirected; they will retry.
    pub(super) fn enter_epoch(&mut self, epoch: u64, out: &mut Out<RecoveryBlockMsg>) {
        self.d.epoch = epoch;
        let queue = std::mem::take(&mut self.v.queue);
        let job = self.v.job.take();
        self.v.primary = None;
        for cmd in queue.iter().chain(job.as_ref().map(|j| &j.cmd)) {
            self.redirect(cmd.client, cmd, out);
        }
        if self.v.role != Role::Recovering {
            out.cancel_timer(SUSPECT);
            out.set_timer(HEARTBEAT, self.cfg.heartbeat_interval);
        }
        out.cancel_timer(COMPUTE);
        self.v.role = Role::Recovering;
        self.v.shadow_in_sync = false;
        self.v.joining = false;
        self.v.peer_failed = None;
    }

    /// A recovering node's tick: tell the peer how far this node got, and ask for its state.
    pub(super) fn probe(&mut self, out: &mut Out<RecoveryBlockMsg>) {
        let msg = RecoveryBlockMsg::Probe {
            epoch: self.d.epoch,
            applied: self.d.applied,
        };
        out.send(self.peer(), msg);
        out.set_timer(HEARTBEAT, self.cfg.heartbeat_interval);
    }

    /// The peer is recovering. A primary sends it the state; a shadow learns that its primary
    /// restarted and takes over first; a recovering node that is further along than the prober
    /// becomes primary of a new epoch (the other one waits for its state).
    pub(super) fn handle_probe(
        &mut self,
        from: NodeId,
        applied: u64,
        out: &mut Out<RecoveryBlockMsg>,
    ) {
        match self.v.role {
            Role::Shadow => self.take_over("restart", false, out),
            Role::Recovering if self.leads_recovery(from, applied) => self.become_primary(out),
            Role::Primary => {}
            _ => return,
        }
        if self.v.role == Role::Primary {
            self.send_state(from, out);
        }
    }

    /// Of two recovering nodes, the one that applied more leads (then the lower id).
    fn leads_recovery(&self, other: NodeId, other_applied: u64) -> bool {
        (self.d.applied, other) > (other_applied, self.id)
    }

    /// Becomes primary of a new epoch, alone, after a recovery.
    fn become_primary(&mut self, out: &mut Out<RecoveryBlockMsg>) {
        self.d.epoch += 1;
        self.v.role = Role::Primary;
        self.v.primary = Some(self.id);
        self.v.shadow_in_sync = false;
        out.set_timer(HEARTBEAT, self.cfg.heartbeat_interval);
    }

    /// Sends the whole applied state to a node catching up; its `Ack` makes it the shadow. From
    /// here on every result waits for that node's acknowledgement: the node may install this
    /// state and, as shadow, take over, so it must never miss a result delivered after it.
    pub(super) fn send_state(&mut self, to: NodeId, out: &mut Out<RecoveryBlockMsg>) {
        self.v.joining = true;
        self.v.shadow_in_sync = true;
        let msg = RecoveryBlockMsg::State {
            epoch: self.d.epoch,
            applied: self.d.applied,
            store: self.d.store.clone(),
        };
        out.send(to, msg);
    }

    /// The primary's state: a recovering node installs it and becomes the shadow.
    pub(super) fn handle_state(
        &mut self,
        from: NodeId,
        applied: u64,
        store: KvStore,
        out: &mut Out<RecoveryBlockMsg>,
    ) {
        if !matches!(self.v.role, Role::Recovering | Role::Shadow) {
            return;
        }
        if applied < self.d.applied {
            // Never expected (applied states form one chain, and a primary holds the longest);
            // refusing keeps this node from acknowledging a state it does not hold.
            return;
        }
        self.d.store = store;
        self.d.applied = applied;
        self.become_shadow(from, out);
    }
}
