//! The acceptor: phases 1b and 2b. Its promise and its acceptance are its durable state, written
//! before the reply that depends on them leaves.

use super::{Paxos, PaxosMsg};
use crate::model::event::Event;
use crate::model::kv::Command;
use crate::sim::protocol::Out;

impl Paxos {
    /// Phase 1b: promises `ballot` unless a higher ballot was promised, reporting the last
    /// acceptance. Returns the reply for the proposer.
    pub(super) fn handle_prepare(&mut self, ballot: u64, out: &mut Out<PaxosMsg>) -> PaxosMsg {
        if ballot < self.d.promised {
            return self.nack(ballot);
        }
        self.d.promised = ballot;
        out.emit(Event::Promise {
            node: self.id,
            ballot,
        });
        let reply = PaxosMsg::Promise {
            ballot,
            accepted: self.d.accepted.clone(),
        };
        self.notice_higher_ballot(out);
        reply
    }

    /// Phase 2b: accepts `value` at `ballot` unless a higher ballot was promised (accepting also
    /// promises `ballot`). Returns the reply for the proposer.
    pub(super) fn handle_accept(
        &mut self,
        ballot: u64,
        value: Command,
        out: &mut Out<PaxosMsg>,
    ) -> PaxosMsg {
        if ballot < self.d.promised && !self.cfg.bugs.accept_below_promise {
            return self.nack(ballot);
        }
        self.d.promised = self.d.promised.max(ballot);
        self.d.accepted = Some((ballot, value.clone()));
        out.emit(Event::Accept {
            node: self.id,
            slot: 1,
            ballot,
            cmd: value,
        });
        self.notice_higher_ballot(out);
        PaxosMsg::Accepted { ballot }
    }

    fn nack(&self, ballot: u64) -> PaxosMsg {
        PaxosMsg::Nack {
            ballot,
            promised: self.d.promised,
        }
    }
}
