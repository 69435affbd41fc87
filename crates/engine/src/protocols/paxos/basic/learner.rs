//! The learner: it learns the chosen value once, applies it to the store (slot 1) and answers
//! the clients waiting on the outcome.

use super::{Learned, Paxos, PaxosMsg, RETRY};
use crate::model::event::{Event, Response};
use crate::model::kv::{Command, KvResult};
use crate::model::types::{ClientId, NodeId, OpId};
use crate::sim::protocol::Out;

impl Paxos {
    /// Learns that `value` was chosen at `ballot` (a second announcement changes nothing): records
    /// it, applies it, stops proposing and answers every waiting client.
    pub(super) fn learn(&mut self, ballot: u64, value: Command, out: &mut Out<PaxosMsg>) {
        if self.v.learned.is_some() {
            return;
        }
        out.emit(Event::Chosen {
            node: self.id,
            slot: 1,
            cmd: value.clone(),
        });
        let result = match &value {
            Command::Client(cmd) => self.v.kv.apply(cmd),
            Command::Noop(_) => None,
        };
        out.emit(Event::Apply {
            node: self.id,
            index: 1,
            term: None,
            cmd: value.clone(),
        });
        self.v.learned = Some(Learned {
            ballot,
            value,
            result,
        });
        self.v.proposal = None;
        self.v.value = None;
        out.cancel_timer(RETRY);
        for (client, op) in std::mem::take(&mut self.v.waiting) {
            self.answer(client, op, out);
        }
    }

    /// Answers a client once the chosen value is known: `ok` if its command was chosen (and took
    /// effect), `fail` otherwise. Only one value is ever chosen, so any other command will never
    /// be applied: "definitely not applied" is exact. A chosen `cas` that found another value
    /// fails with `mismatch` (it read the key); a command not chosen fails without.
    pub(super) fn answer(&self, client: ClientId, op: OpId, out: &mut Out<PaxosMsg>) {
        let Some(learned) = &self.v.learned else {
            return;
        };
        let mine = matches!(&learned.value, Command::Client(c) if c.client == client && c.op == op);
        let response = match (mine, &learned.result) {
            (true, Some(KvResult::Ok(value))) => Response::Ok { op, value: *value },
            (mine, _) => Response::Fail { op, mismatch: mine },
        };
        out.reply(client, response);
    }

    /// A restarted learner asks every other node whether a value was chosen.
    pub(super) fn ask_what_is_chosen(&self, out: &mut Out<PaxosMsg>) {
        for p in self.peers() {
            out.send(p, PaxosMsg::WhatIsChosen);
        }
    }

    /// Tells a node that asked what was chosen, if this node knows.
    pub(super) fn handle_what_is_chosen(&self, from: NodeId, out: &mut Out<PaxosMsg>) {
        if let Some(learned) = &self.v.learned {
            out.send(from, learned.announcement());
        }
    }
}

impl Learned {
    /// The `Chosen` message announcing this value.
    pub(super) fn announcement(&self) -> PaxosMsg {
        PaxosMsg::Chosen {
            ballot: self.ballot,
            value: self.value.clone(),
        }
    }
}
