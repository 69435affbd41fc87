//! The acceptor: one promise for every slot, one accepted value per slot, both durable.

use super::{MultiPaxos, MultiPaxosMsg, PValue, Role};
use crate::model::event::Event;
use crate::model::kv::Command;
use crate::model::types::NodeId;
use crate::sim::protocol::Out;

impl MultiPaxos {
    /// Phase 1b: promise a higher ballot (durably) and report what was accepted from `from_slot`
    /// on; refuse a lower one with the promise that stands. A repeated `Prepare` is answered again.
    pub(super) fn handle_prepare(
        &mut self,
        from: NodeId,
        ballot: u64,
        from_slot: u64,
        out: &mut Out<MultiPaxosMsg>,
    ) {
        if ballot < self.d.promised {
            return self.nack(from, ballot, out);
        }
        if ballot > self.d.promised {
            self.promise(ballot, out);
            self.v.leader = None;
            self.reset_election_timer(out);
        }
        let accepted = self
            .d
            .accepted
            .from_slot(from_slot)
            .map(|(slot, pv)| (slot, pv.clone()))
            .collect();
        out.send(from, MultiPaxosMsg::Promise { ballot, accepted });
    }

    /// Raises the durable promise to `ballot` and records it.
    pub(super) fn promise(&mut self, ballot: u64, out: &mut Out<MultiPaxosMsg>) {
        self.d.promised = ballot;
        out.emit(Event::Promise {
            node: self.id,
            ballot,
        });
    }

    /// Phase 2b for a remote leader: accept and answer `Accepted`, or refuse with a `Nack`. A
    /// leader whose ballot stands is followed (its `Accept` counts as a sign of life).
    pub(super) fn handle_accept(
        &mut self,
        from: NodeId,
        ballot: u64,
        slot: u64,
        cmd: Command,
        out: &mut Out<MultiPaxosMsg>,
    ) {
        let current = ballot >= self.d.promised;
        if !self.accept(ballot, slot, cmd, out) {
            return self.nack(from, ballot, out);
        }
        out.send(from, MultiPaxosMsg::Accepted { ballot, slot });
        if current && self.v.role == Role::Follower {
            self.follow(from, out);
        }
    }

    /// Accepts `cmd` in `slot` at `ballot` unless a higher ballot was promised (the planted bug
    /// `accept-below-promise` skips that check). Returns whether it accepted.
    pub(super) fn accept(
        &mut self,
        ballot: u64,
        slot: u64,
        cmd: Command,
        out: &mut Out<MultiPaxosMsg>,
    ) -> bool {
        if ballot < self.d.promised && !self.cfg.bugs.accept_below_promise {
            return false;
        }
        self.d.promised = self.d.promised.max(ballot);
        let value = PValue { ballot, cmd };
        if self.d.accepted.get(slot) == Some(&value) {
            return true;
        }
        out.emit(Event::Accept {
            node: self.id,
            slot,
            ballot,
            cmd: value.cmd.clone(),
        });
        self.d.accepted.set(slot, value);
        true
    }

    fn nack(&self, to: NodeId, ballot: u64, out: &mut Out<MultiPaxosMsg>) {
        let promised = self.d.promised;
        out.send(to, MultiPaxosMsg::Nack { ballot, promised });
    }
}
