//! The learner: decisions (durable), applying them in slot order to the store, answering clients,
//! and the follower's side of heartbeats (staying put, and asking for missing decisions).

use super::{Checkpoint, MultiPaxos, MultiPaxosMsg, PValue, Role, CHECKPOINT_INTERVAL};
use crate::model::event::{Event, Response};
use crate::model::kv::{Command, KvResult};
use crate::model::types::NodeId;
use crate::sim::protocol::Out;

impl MultiPaxos {
    /// Learns that `value` is chosen in `slot` (once; a repeat is ignored) and applies every
    /// decision now in order.
    pub(super) fn learn(&mut self, slot: u64, value: PValue, out: &mut Out<MultiPaxosMsg>) {
        if slot == 0 || self.d.decided.get(slot).is_some() {
            return;
        }
        out.emit(Event::Chosen {
            node: self.id,
            slot,
            cmd: value.cmd.clone(),
        });
        self.d.decided.set(slot, value);
        self.v.proposals.remove(&slot);
        if self.v.role == Role::Leader {
            self.v.next_slot = self.v.next_slot.max(slot + 1);
        }
        self.apply_decided(out);
    }

    /// Applies decisions in slot order up to the first undecided slot, checkpointing the store
    /// every [`CHECKPOINT_INTERVAL`] slots; the leader answers the clients waiting on them. (At
    /// boot this rebuilds the store from the checkpoint and the durable decisions after it.)
    pub(super) fn apply_decided(&mut self, out: &mut Out<MultiPaxosMsg>) {
        while let Some(pv) = self.d.decided.get(self.v.applied + 1) {
            let cmd = pv.cmd.clone();
            self.v.applied += 1;
            let slot = self.v.applied;
            let result = match &cmd {
                Command::Client(c) => self.v.kv.apply(c),
                Command::Noop(_) => None,
            };
            if slot.is_multiple_of(CHECKPOINT_INTERVAL) {
                self.d.checkpoint = Checkpoint {
                    applied: slot,
                    kv: self.v.kv.clone(),
                };
            }
            out.emit(Event::Apply {
                node: self.id,
                index: slot,
                term: None,
                cmd: cmd.clone(),
            });
            self.answer_client(slot, &cmd, result, out);
        }
    }

    /// Answers the client waiting on `slot`: the store's result if the slot holds its operation,
    /// otherwise a redirect (another leader's value won the slot; the client will retry).
    fn answer_client(
        &mut self,
        slot: u64,
        cmd: &Command,
        result: Option<KvResult>,
        out: &mut Out<MultiPaxosMsg>,
    ) {
        let Some((client, op)) = self.v.pending.remove(&slot) else {
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

    /// A follower hears its leader: a heartbeat below the promise is refused (so a deposed leader
    /// finds out); otherwise the sender is followed, and a follower behind the commit point asks
    /// for what it misses.
    pub(super) fn handle_heartbeat(
        &mut self,
        from: NodeId,
        ballot: u64,
        commit: u64,
        out: &mut Out<MultiPaxosMsg>,
    ) {
        if ballot < self.d.promised {
            let promised = self.d.promised;
            return out.send(from, MultiPaxosMsg::Nack { ballot, promised });
        }
        if self.v.role != Role::Follower {
            return;
        }
        self.follow(from, out);
        if self.v.applied < commit {
            let applied = self.v.applied;
            out.send(from, MultiPaxosMsg::HeartbeatReply { ballot, applied });
        }
    }

    /// Follows `leader`: remember it for redirects and restart the leader timeout.
    pub(super) fn follow(&mut self, leader: NodeId, out: &mut Out<MultiPaxosMsg>) {
        self.v.leader = Some(leader);
        self.reset_election_timer(out);
    }
}
