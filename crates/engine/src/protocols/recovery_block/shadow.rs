//! The shadow node: running the alternate first on every input, installing the primary's accepted
//! results, and taking over (the role swap) when the primary's try block fails or the primary
//! falls silent.

use super::{state_digest, RecoveryBlock, RecoveryBlockMsg, Role, HEARTBEAT, SUSPECT};
use crate::model::event::{Block, Event};
use crate::model::kv::{Cmd, Command, KvResult, KvStore};
use crate::model::types::NodeId;
use crate::sim::protocol::Out;

impl RecoveryBlock {
    /// A new input from the primary: run the recovery block on it, alternate first.
    pub(super) fn handle_input(
        &mut self,
        from: NodeId,
        input: u64,
        cmd: Cmd,
        out: &mut Out<RecoveryBlockMsg>,
    ) {
        if self.v.role != Role::Shadow || self.v.primary != Some(from) {
            return;
        }
        self.reset_suspect_timer(out);
        let known = self.v.job.as_ref().is_some_and(|j| j.input == input);
        if input != self.d.applied + 1 || known {
            return;
        }
        // `Failed` may overtake its `Input` on the network.
        self.v.peer_failed = self.v.peer_failed.filter(|i| *i == input);
        self.start_job(input, cmd, Block::Alternate, out);
    }

    /// The primary routine failed its test on the primary: if this node's result for the input
    /// has already passed, take over now; otherwise when it does.
    pub(super) fn handle_failed(
        &mut self,
        from: NodeId,
        input: u64,
        out: &mut Out<RecoveryBlockMsg>,
    ) {
        if self.v.role != Role::Shadow || self.v.primary != Some(from) {
            return;
        }
        self.reset_suspect_timer(out);
        self.v.peer_failed = Some(input);
        let mine = self.v.job.as_ref().is_some_and(|j| j.input == input);
        if mine && self.accepted().is_some() {
            self.take_over("failed-test", true, out);
        }
    }

    /// The primary's accepted result with the state it produced: install it (dropping this node's
    /// own run of the input), become or stay its shadow, and acknowledge.
    pub(super) fn handle_result(
        &mut self,
        from: NodeId,
        input: u64,
        (cmd, result): (Cmd, KvResult),
        store: KvStore,
        out: &mut Out<RecoveryBlockMsg>,
    ) {
        if !matches!(self.v.role, Role::Shadow | Role::Recovering) {
            return;
        }
        if input > self.d.applied {
            self.d.store = store;
            self.d.store.remember(&cmd, result);
            self.d.applied = input;
            out.emit(Event::Apply {
                node: self.id,
                index: input,
                term: Some(self.d.epoch),
                cmd: Command::Client(cmd),
            });
        }
        self.become_shadow(from, out);
    }

    /// Follows `primary` as its shadow, holding its state up to `applied`, and acknowledges.
    pub(super) fn become_shadow(&mut self, primary: NodeId, out: &mut Out<RecoveryBlockMsg>) {
        if self.v.role == Role::Recovering {
            out.cancel_timer(HEARTBEAT);
        }
        self.v.role = Role::Shadow;
        self.v.primary = Some(primary);
        if self
            .v
            .job
            .as_ref()
            .is_some_and(|j| j.input <= self.d.applied)
        {
            self.v.job = None;
        }
        self.reset_suspect_timer(out);
        let ack = RecoveryBlockMsg::Ack {
            epoch: self.d.epoch,
            applied: self.d.applied,
            digest: state_digest(self.d.applied, &self.d.store),
        };
        out.send(primary, ack);
    }

    /// The primary is alive. A recovering node that hears it asks for its state.
    pub(super) fn handle_heartbeat(&mut self, from: NodeId, out: &mut Out<RecoveryBlockMsg>) {
        match self.v.role {
            Role::Shadow if self.v.primary == Some(from) => self.reset_suspect_timer(out),
            Role::Recovering => {
                self.v.primary = Some(from);
                self.probe(out);
            }
            _ => {}
        }
    }

    /// The role swap: this shadow becomes primary of a new epoch. With `keep_shadow` (the former
    /// primary is alive and reported its failed try block) the former primary becomes the shadow
    /// and must acknowledge the result first; otherwise this node delivers alone. An input whose
    /// result already passed here is delivered (the DRB's quick recovery); one still running is
    /// delivered when it passes.
    pub(super) fn take_over(
        &mut self,
        reason: &'static str,
        keep_shadow: bool,
        out: &mut Out<RecoveryBlockMsg>,
    ) {
        let former = self.peer();
        if !self.cfg.bugs.swap_without_new_epoch {
            self.d.epoch += 1;
        }
        out.emit(Event::Swap {
            node: self.id,
            former,
            epoch: self.d.epoch,
            reason: reason.into(),
        });
        self.v.role = Role::Primary;
        self.v.primary = Some(self.id);
        self.v.shadow_in_sync = keep_shadow;
        self.v.joining = false;
        self.v.peer_failed = None;
        out.cancel_timer(SUSPECT);
        out.set_timer(HEARTBEAT, self.cfg.heartbeat_interval);
        if self.accepted().is_some() {
            self.on_accepted(out);
        }
    }
}
