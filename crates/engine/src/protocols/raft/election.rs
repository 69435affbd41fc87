//! Leader election (section 5.2), the voting rule (section 5.4.1), PreVote and CheckQuorum
//! (thesis sections 9.6 and 6.2).

use super::{bit, Raft, RaftMsg, Role, ELECTION, HEARTBEAT};
use crate::model::kv::Command;
use crate::model::types::NodeId;
use crate::replicated::Entry;
use crate::sim::protocol::Out;

impl Raft {
    /// Steps down (or stays) as follower; entering a higher term forgets the vote.
    pub(super) fn become_follower(
        &mut self,
        term: u64,
        leader: Option<NodeId>,
        out: &mut Out<RaftMsg>,
    ) {
        if term > self.d.current_term {
            self.d.current_term = term;
            self.d.voted_for = None;
        }
        let was_leader = self.v.role == Role::Leader;
        self.v.role = Role::Follower;
        self.v.leader = leader;
        if was_leader {
            out.cancel_timer(HEARTBEAT);
            self.redirect_pending(out);
        }
        self.reset_election_timer(out);
    }

    /// PreVote: ask whether an election in the next term could succeed, without entering it.
    pub(super) fn become_pre_candidate(&mut self, out: &mut Out<RaftMsg>) {
        self.v.role = Role::PreCandidate;
        self.v.leader = None;
        self.v.votes = bit(self.id);
        self.reset_election_timer(out);
        if self.v.votes.count_ones() >= self.majority() {
            return self.become_candidate(out);
        }
        self.ask_votes(self.d.current_term + 1, true, out);
    }

    /// Starts an election: a new term, a vote for itself, RequestVote to every peer.
    pub(super) fn become_candidate(&mut self, out: &mut Out<RaftMsg>) {
        self.d.current_term += 1;
        self.d.voted_for = Some(self.id);
        self.v.role = Role::Candidate;
        self.v.leader = None;
        self.v.votes = bit(self.id);
        self.reset_election_timer(out);
        if self.v.votes.count_ones() >= self.majority() {
            return self.become_leader(out);
        }
        self.ask_votes(self.d.current_term, false, out);
    }

    fn ask_votes(&self, term: u64, prevote: bool, out: &mut Out<RaftMsg>) {
        let (last_log_index, last_log_term) = (self.d.log.last_index(), self.d.log.last_term());
        for p in self.peers() {
            out.send(
                p,
                RaftMsg::RequestVote {
                    term,
                    last_log_index,
                    last_log_term,
                    prevote,
                },
            );
        }
    }

    /// Wins the election: initialise nextIndex/matchIndex, append the term's no-op (section 8;
    /// followers' nextIndex stays before it, so the first AppendEntries carries it) and assert
    /// leadership at once.
    pub(super) fn become_leader(&mut self, out: &mut Out<RaftMsg>) {
        self.v.role = Role::Leader;
        self.v.leader = Some(self.id);
        let next = self.d.log.last_index() + 1;
        self.v.next_index.iter_mut().for_each(|n| *n = next);
        self.v.match_index.iter_mut().for_each(|m| *m = 0);
        self.v.sent_to.iter_mut().for_each(|s| *s = 0);
        if self.cfg.noop {
            let term = self.d.current_term;
            let cmd = Command::noop();
            self.d.log.append(Entry { term, cmd }, out);
        }
        self.v.match_index[self.id as usize - 1] = self.d.log.last_index();
        self.v.heard = bit(self.id);
        if self.cfg.check_quorum {
            out.set_timer(ELECTION, self.cfg.election_timeout_max);
        } else {
            out.cancel_timer(ELECTION);
        }
        self.advance_commit(out);
        self.broadcast_append(out);
    }

    /// Answers RequestVote (or a pre-vote). Terms above ours were already adopted by the caller.
    pub(super) fn handle_request_vote(
        &mut self,
        from: NodeId,
        term: u64,
        last_log_index: u64,
        last_log_term: u64,
        prevote: bool,
        out: &mut Out<RaftMsg>,
    ) {
        let log_ok = self.cfg.bugs.vote_without_log_check
            || self.d.log.is_up_to_date(last_log_index, last_log_term);
        if prevote {
            let leader_alive = self.v.role == Role::Leader
                || (self.v.role == Role::Follower && self.v.leader.is_some());
            let granted = term > self.d.current_term && log_ok && !leader_alive;
            let term = if granted { term } else { self.d.current_term };
            return out.send(
                from,
                RaftMsg::RequestVoteReply {
                    term,
                    granted,
                    prevote,
                },
            );
        }
        let free = self.d.voted_for.is_none_or(|v| v == from);
        let granted = term == self.d.current_term && free && log_ok;
        if granted {
            self.d.voted_for = Some(from);
            self.reset_election_timer(out);
        }
        out.send(
            from,
            RaftMsg::RequestVoteReply {
                term: self.d.current_term,
                granted,
                prevote,
            },
        );
    }

    /// Counts a vote or pre-vote.
    pub(super) fn handle_vote_reply(
        &mut self,
        from: NodeId,
        term: u64,
        granted: bool,
        prevote: bool,
        out: &mut Out<RaftMsg>,
    ) {
        if !granted {
            return;
        }
        let counting = match (self.v.role, prevote) {
            (Role::PreCandidate, true) => term == self.d.current_term + 1,
            (Role::Candidate, false) => term == self.d.current_term,
            _ => false,
        };
        if !counting {
            return;
        }
        self.v.votes |= bit(from);
        if self.v.votes.count_ones() < self.majority() {
            return;
        }
        if prevote {
            self.become_candidate(out);
        } else {
            self.become_leader(out);
        }
    }

    /// CheckQuorum: a leader that has not heard from a majority since the last tick steps down.
    pub(super) fn check_quorum(&mut self, out: &mut Out<RaftMsg>) {
        if !self.cfg.check_quorum {
            return;
        }
        if self.v.heard.count_ones() < self.majority() {
            let term = self.d.current_term;
            return self.become_follower(term, None, out);
        }
        self.v.heard = bit(self.id);
        out.set_timer(ELECTION, self.cfg.election_timeout_max);
    }
}
