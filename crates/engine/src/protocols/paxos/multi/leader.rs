//! The leader: phase 1 for all slots, recovery of what earlier leaders left, proposing, and
//! stepping down.

use std::collections::BTreeMap;

use super::{bit, MultiPaxos, MultiPaxosMsg, PValue, Proposal, Role, ELECTION, HEARTBEAT};
use crate::model::event::{Event, Response};
use crate::model::kv::{Cmd, Command};
use crate::model::types::{ClientId, NodeId};
use crate::protocols::paxos::{ballot, round_of};
use crate::sim::protocol::Out;

impl MultiPaxos {
    /// Steps down (or stays) as follower of `leader`; a leader answers its waiting clients with a
    /// redirect and forgets its proposals (they stay in the acceptors for the next leader to find).
    pub(super) fn become_follower(&mut self, leader: Option<NodeId>, out: &mut Out<MultiPaxosMsg>) {
        let was_leader = self.v.role == Role::Leader;
        self.v.role = Role::Follower;
        self.v.leader = leader;
        self.v.votes = 0;
        self.v.reported.clear();
        self.v.proposals.clear();
        out.cancel_timer(HEARTBEAT);
        if was_leader {
            self.redirect_pending(out);
        }
        self.reset_election_timer(out);
    }

    /// Phase 1a: a ballot with a round above any seen, promised to itself, sent to every peer with
    /// the first slot not known chosen.
    pub(super) fn become_candidate(&mut self, out: &mut Out<MultiPaxosMsg>) {
        if self.v.role == Role::Leader {
            self.redirect_pending(out);
        }
        let seen = self.v.highest_seen.max(self.d.promised);
        self.v.ballot = ballot(round_of(seen) + 1, self.id);
        self.v.highest_seen = self.v.ballot;
        self.v.role = Role::Candidate;
        self.v.leader = None;
        self.v.proposals.clear();
        self.v.from_slot = self.v.applied + 1;
        self.v.votes = 0;
        self.v.reported.clear();
        self.promise(self.v.ballot, out);
        self.reset_election_timer(out);
        out.set_timer(HEARTBEAT, self.cfg.heartbeat_interval);
        let own: Vec<(u64, PValue)> = self
            .d
            .accepted
            .from_slot(self.v.from_slot)
            .map(|(slot, pv)| (slot, pv.clone()))
            .collect();
        self.count_promise(self.id, own, out);
        if self.v.role == Role::Candidate {
            self.resend_prepare(out);
        }
    }

    /// Sends `Prepare` to every peer that has not promised yet.
    pub(super) fn resend_prepare(&mut self, out: &mut Out<MultiPaxosMsg>) {
        let (ballot, from_slot) = (self.v.ballot, self.v.from_slot);
        for p in self.peers().filter(|p| self.v.votes & bit(*p) == 0) {
            out.send(p, MultiPaxosMsg::Prepare { ballot, from_slot });
        }
        out.set_timer(HEARTBEAT, self.cfg.heartbeat_interval);
    }

    /// Counts a promise for the current candidacy.
    pub(super) fn handle_promise(
        &mut self,
        from: NodeId,
        ballot: u64,
        accepted: Vec<(u64, PValue)>,
        out: &mut Out<MultiPaxosMsg>,
    ) {
        if self.v.role == Role::Candidate && ballot == self.v.ballot {
            self.count_promise(from, accepted, out);
        }
    }

    /// Merges a promise's report (keeping the highest ballot per slot); a majority wins.
    fn count_promise(
        &mut self,
        from: NodeId,
        accepted: Vec<(u64, PValue)>,
        out: &mut Out<MultiPaxosMsg>,
    ) {
        if self.v.votes & bit(from) != 0 {
            return;
        }
        self.v.votes |= bit(from);
        for (slot, pv) in accepted {
            let known = self.v.reported.get(&slot).map_or(0, |k| k.ballot);
            if pv.ballot > known {
                self.v.reported.insert(slot, pv);
            }
        }
        if self.v.votes.count_ones() >= self.majority() {
            self.become_leader(out);
        }
    }

    /// Phase 1 is done: re-propose what the promises reported, fill gaps with no-ops, then serve.
    fn become_leader(&mut self, out: &mut Out<MultiPaxosMsg>) {
        self.v.role = Role::Leader;
        self.v.leader = Some(self.id);
        self.v.votes = 0;
        self.v.tick = 0;
        out.cancel_timer(ELECTION);
        let reported = std::mem::take(&mut self.v.reported);
        if self.cfg.bugs.skip_recovery {
            self.v.next_slot = self.v.from_slot;
        } else {
            self.recover(reported, out);
        }
        self.heartbeat(out);
    }

    /// Proposes, in every slot from `from_slot` up to the highest one reported or decided that is
    /// not decided here, the reported value with the highest ballot, or a no-op for a gap.
    fn recover(&mut self, reported: BTreeMap<u64, PValue>, out: &mut Out<MultiPaxosMsg>) {
        let last_reported = reported.keys().next_back().copied().unwrap_or(0);
        let top = last_reported.max(self.d.decided.last_slot());
        for slot in self.v.from_slot..=top {
            if self.d.decided.get(slot).is_some() {
                continue;
            }
            let cmd = reported
                .get(&slot)
                .map_or_else(Command::noop, |pv| pv.cmd.clone());
            self.propose(slot, cmd, out);
        }
        self.v.next_slot = top + 1;
    }

    /// A client command: a leader proposes it in the next free slot (once, however often the same
    /// operation arrives); anyone else redirects the client to the leader it follows.
    pub(super) fn handle_client_command(
        &mut self,
        client: ClientId,
        cmd: Cmd,
        out: &mut Out<MultiPaxosMsg>,
    ) {
        if self.v.role != Role::Leader {
            let hint = self.v.leader.filter(|l| *l != self.id);
            return out.reply(client, Response::Redirect { op: cmd.op, hint });
        }
        if self.v.pending.values().any(|p| *p == (client, cmd.op)) {
            return;
        }
        let slot = self.v.next_slot;
        self.v.next_slot += 1;
        self.v.pending.insert(slot, (client, cmd.op));
        self.propose(slot, Command::Client(cmd), out);
    }

    /// Phase 2a: proposes `cmd` in `slot` at the leader's ballot, accepting it locally first.
    fn propose(&mut self, slot: u64, cmd: Command, out: &mut Out<MultiPaxosMsg>) {
        let ballot = self.v.ballot;
        out.emit(Event::Propose {
            node: self.id,
            slot,
            ballot,
            cmd: cmd.clone(),
        });
        let acks = if self.accept(ballot, slot, cmd.clone(), out) {
            bit(self.id)
        } else {
            0
        };
        for p in self.peers() {
            let cmd = cmd.clone();
            out.send(p, MultiPaxosMsg::Accept { ballot, slot, cmd });
        }
        let tick = self.v.tick;
        self.v.proposals.insert(slot, Proposal { cmd, acks, tick });
        self.check_chosen(slot, out);
    }

    /// Counts an acceptance of the current ballot.
    pub(super) fn handle_accepted(
        &mut self,
        from: NodeId,
        ballot: u64,
        slot: u64,
        out: &mut Out<MultiPaxosMsg>,
    ) {
        if self.v.role != Role::Leader || ballot != self.v.ballot {
            return;
        }
        if let Some(p) = self.v.proposals.get_mut(&slot) {
            p.acks |= bit(from);
            self.check_chosen(slot, out);
        }
    }

    /// A proposal accepted by a majority is chosen: learn it and tell every learner.
    fn check_chosen(&mut self, slot: u64, out: &mut Out<MultiPaxosMsg>) {
        let Some(p) = self.v.proposals.get(&slot) else {
            return;
        };
        if p.acks.count_ones() < self.majority() {
            return;
        }
        let (ballot, cmd) = (self.v.ballot, p.cmd.clone());
        for peer in self.peers() {
            let cmd = cmd.clone();
            out.send(peer, MultiPaxosMsg::Decide { slot, ballot, cmd });
        }
        self.learn(slot, PValue { ballot, cmd }, out);
    }

    /// Every heartbeat interval: a heartbeat with the commit point to every peer, and the
    /// `Accept`s still unanswered after a whole interval sent again.
    pub(super) fn heartbeat(&mut self, out: &mut Out<MultiPaxosMsg>) {
        self.v.tick += 1;
        let (ballot, commit) = (self.v.ballot, self.v.applied);
        for p in self.peers() {
            out.send(p, MultiPaxosMsg::Heartbeat { ballot, commit });
        }
        let stale = self.v.tick.saturating_sub(1);
        for (slot, prop) in self.v.proposals.iter().filter(|(_, p)| p.tick < stale) {
            let missing = self.peers().filter(|p| prop.acks & bit(*p) == 0);
            for p in missing {
                let (slot, cmd) = (*slot, prop.cmd.clone());
                out.send(p, MultiPaxosMsg::Accept { ballot, slot, cmd });
            }
        }
        out.set_timer(HEARTBEAT, self.cfg.heartbeat_interval);
    }

    /// A follower behind the commit point gets the decisions it lacks, a batch at a time.
    pub(super) fn handle_heartbeat_reply(
        &mut self,
        from: NodeId,
        ballot: u64,
        applied: u64,
        out: &mut Out<MultiPaxosMsg>,
    ) {
        if self.v.role != Role::Leader || ballot != self.v.ballot {
            return;
        }
        let last = self.v.applied.min(applied + self.cfg.max_catch_up);
        for slot in applied + 1..=last {
            if let Some(pv) = self.d.decided.get(slot) {
                let (ballot, cmd) = (pv.ballot, pv.cmd.clone());
                out.send(from, MultiPaxosMsg::Decide { slot, ballot, cmd });
            }
        }
    }

    /// Answers every client waiting on this node with a redirect (after stepping down).
    fn redirect_pending(&mut self, out: &mut Out<MultiPaxosMsg>) {
        let hint = self.v.leader.filter(|l| *l != self.id);
        for (_, (client, op)) in std::mem::take(&mut self.v.pending) {
            out.reply(client, Response::Redirect { op, hint });
        }
    }
}
