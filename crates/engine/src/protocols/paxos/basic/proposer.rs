//! The proposer: phases 1a and 2a, counting replies, and retrying a ballot that failed.

use super::{bit, Paxos, PaxosMsg, Phase, Proposal, DISTINGUISHED, RETRY};
use crate::model::event::Event;
use crate::model::kv::{Cmd, Command};
use crate::model::types::{ClientId, NodeId};
use crate::protocols::paxos::{ballot, round_of};
use crate::sim::protocol::Out;

impl Paxos {
    /// A client's request: answered at once if the value is known, else the client waits for the
    /// outcome, and a node with nothing to propose yet proposes this command.
    pub(super) fn handle_request(&mut self, client: ClientId, cmd: Cmd, out: &mut Out<PaxosMsg>) {
        if self.v.learned.is_some() {
            return self.answer(client, cmd.op, out);
        }
        if !self.v.waiting.contains(&(client, cmd.op)) {
            self.v.waiting.push((client, cmd.op));
        }
        if self.v.value.is_none() {
            self.v.value = Some(Command::Client(cmd));
            self.v.tried = false;
            self.start_ballot(out);
        }
    }

    /// Phase 1a: a ballot in a round above every ballot seen, `Prepare` to every acceptor (this
    /// node's own acceptor last, locally). Since the node promised each of its earlier ballots
    /// durably, a restarted node never reuses one.
    pub(super) fn start_ballot(&mut self, out: &mut Out<PaxosMsg>) {
        let round = round_of(self.d.promised.max(self.v.highest_seen)) + 1;
        let b = ballot(round, self.id);
        self.v.proposal = Some(Proposal {
            ballot: b,
            phase: Phase::Prepare {
                promises: 0,
                highest: None,
            },
        });
        self.v.tried = true;
        out.set_timer(RETRY, self.cfg.ballot_timeout);
        for p in self.peers() {
            out.send(p, PaxosMsg::Prepare { ballot: b });
        }
        let reply = self.handle_prepare(b, out);
        self.handle_reply(self.id, reply, out);
    }

    /// A reply from an acceptor (possibly this node's own).
    pub(super) fn handle_reply(&mut self, from: NodeId, msg: PaxosMsg, out: &mut Out<PaxosMsg>) {
        match msg {
            PaxosMsg::Promise { ballot, accepted } => {
                self.handle_promise(from, ballot, accepted, out)
            }
            PaxosMsg::Nack { ballot, promised } => self.handle_nack(ballot, promised, out),
            PaxosMsg::Accepted { ballot } => self.handle_accepted(from, ballot, out),
            _ => {}
        }
    }

    fn handle_promise(
        &mut self,
        from: NodeId,
        ballot: u64,
        accepted: Option<(u64, Command)>,
        out: &mut Out<PaxosMsg>,
    ) {
        let majority = self.majority();
        let Some(Proposal {
            ballot: b,
            phase: Phase::Prepare { promises, highest },
        }) = &mut self.v.proposal
        else {
            return;
        };
        if *b != ballot {
            return;
        }
        *promises |= bit(from);
        if accepted.as_ref().map(|a| a.0) > highest.as_ref().map(|h| h.0) {
            *highest = accepted;
        }
        if promises.count_ones() >= majority {
            self.begin_accept(out);
        }
    }

    /// Phase 2a: proposes the value of the highest-ballot acceptance the promises reported, or
    /// this node's own value if they reported none; `Accept` to every acceptor, itself last.
    fn begin_accept(&mut self, out: &mut Out<PaxosMsg>) {
        let Some(Proposal {
            ballot: b,
            phase: Phase::Prepare { highest, .. },
        }) = self.v.proposal.take()
        else {
            return;
        };
        let own = self.v.value.clone().expect("a proposer has a value");
        let value = match highest {
            Some((_, v)) if !self.cfg.bugs.ignore_promised_values => v,
            _ => own,
        };
        self.v.proposal = Some(Proposal {
            ballot: b,
            phase: Phase::Accept {
                value: value.clone(),
                accepts: 0,
            },
        });
        out.emit(Event::Propose {
            node: self.id,
            slot: 1,
            ballot: b,
            cmd: value.clone(),
        });
        for p in self.peers() {
            let value = value.clone();
            out.send(p, PaxosMsg::Accept { ballot: b, value });
        }
        let reply = self.handle_accept(b, value, out);
        self.handle_reply(self.id, reply, out);
    }

    /// Counts an acceptance; with a majority the value is chosen, and this node, as the
    /// distinguished learner, tells every other node.
    fn handle_accepted(&mut self, from: NodeId, ballot: u64, out: &mut Out<PaxosMsg>) {
        let needed = if self.cfg.bugs.learner_counts_minority {
            1
        } else {
            self.majority()
        };
        let Some(Proposal {
            ballot: b,
            phase: Phase::Accept { value, accepts },
        }) = &mut self.v.proposal
        else {
            return;
        };
        if *b != ballot {
            return;
        }
        *accepts |= bit(from);
        if accepts.count_ones() < needed {
            return;
        }
        let value = value.clone();
        self.learn(ballot, value, out);
        if let Some(learned) = &self.v.learned {
            for p in self.peers() {
                out.send(p, learned.announcement());
            }
        }
    }

    fn handle_nack(&mut self, ballot: u64, promised: u64, out: &mut Out<PaxosMsg>) {
        self.v.highest_seen = self.v.highest_seen.max(promised);
        if self.v.proposal.as_ref().is_some_and(|p| p.ballot == ballot) {
            self.abandon(out);
        }
    }

    /// This node's acceptor promised a ballot above the one its proposer runs: that ballot can no
    /// longer win, so the proposer abandons it (the paper's advice in section 2.4).
    pub(super) fn notice_higher_ballot(&mut self, out: &mut Out<PaxosMsg>) {
        let promised = self.d.promised;
        let outbid = self
            .v
            .proposal
            .as_ref()
            .is_some_and(|p| p.ballot < promised);
        if outbid {
            self.abandon(out);
        }
    }

    /// Gives the running ballot up. The node retries after its retry timer, or, with
    /// `distinguished` on a node other than node 1, hands its value to node 1.
    fn abandon(&mut self, out: &mut Out<PaxosMsg>) {
        self.v.proposal = None;
        if self.may_retry() {
            return self.arm_retry(out);
        }
        out.cancel_timer(RETRY);
        if let Some(value) = self.v.value.clone() {
            out.send(DISTINGUISHED, PaxosMsg::Forward { value });
        }
    }

    fn may_retry(&self) -> bool {
        !self.cfg.distinguished || self.id == DISTINGUISHED || !self.v.tried
    }

    fn arm_retry(&self, out: &mut Out<PaxosMsg>) {
        if self.cfg.backoff {
            out.set_timer_random(RETRY, self.cfg.retry_delay, self.cfg.backoff_max);
        } else {
            out.set_timer(RETRY, self.cfg.retry_delay);
        }
    }

    /// The retry timer: a running ballot ran out of time, or the wait after a failed one is
    /// over. Either way, a node that still has a value to propose starts a higher ballot.
    pub(super) fn handle_retry_timer(&mut self, out: &mut Out<PaxosMsg>) {
        if self.v.learned.is_some() || self.v.value.is_none() {
            return;
        }
        if self.may_retry() {
            self.start_ballot(out);
        } else if self.v.proposal.is_some() {
            self.abandon(out);
        }
    }

    /// Node 1, with `distinguished`: adopts a forwarded value if it has none of its own, or tells
    /// the sender what was chosen.
    pub(super) fn handle_forward(&mut self, from: NodeId, value: Command, out: &mut Out<PaxosMsg>) {
        if let Some(learned) = &self.v.learned {
            return out.send(from, learned.announcement());
        }
        if self.v.value.is_none() {
            self.v.value = Some(value);
            self.start_ballot(out);
        }
    }
}
