//! Raft's safety properties (Figure 3 of the paper), each an independent observer of the trace.
//!
//! The checkers rebuild what they need from `role`, `append`, `truncate`, `checkpoint`, `commit`
//! and `apply` events. Logs are mirrored as *chain digests* (see `mirror.rs`): the digest at index
//! i covers every entry up to i, so two logs agree up to i exactly when their digests at i are
//! equal, and each comparison is O(1). Log compaction is invisible to the mirrors (a snapshot only
//! replaces committed entries, which never change); an installed snapshot makes the node's mirror
//! hold the snapshot's prefix.

use crate::model::text::{text, Phrase};
use std::collections::BTreeMap;

pub use super::current_term_commit::CurrentTermCommit;
use super::mirror::{install_mirror, measure_mirrors, mirror_mut, Mirror, Mirrored, Replicas};
pub use super::snapshot_safety::SnapshotSafety;
pub use crate::check::StateMachineSafety;
use crate::check::{EpochRule, Invariant, OnePerEpoch, Seat};
use crate::model::chunked::{ChunkedVec, Meter};
use crate::model::event::{Event, Message, Payload};
use crate::model::types::Addr;
use crate::model::types::{Micros, NodeId};

/// The checkers for a Raft run.
pub fn checkers<M: Message + 'static>() -> Vec<Box<dyn Invariant<M>>> {
    vec![
        Box::new(OnePerEpoch::new(&ELECTION_SAFETY)),
        Box::new(VoteOncePerTerm::default()),
        Box::new(LeaderAppendOnly::default()),
        Box::new(LogMatching::default()),
        Box::new(LeaderCompleteness::default()),
        Box::new(CurrentTermCommit::default()),
        Box::new(StateMachineSafety::default()),
        Box::new(SnapshotSafety::default()),
    ]
}

/// ElectionSafety: at most one leader can be elected in a given term.
pub const ELECTION_SAFETY: EpochRule = EpochRule {
    name: "ElectionSafety",
    describe: "At most one leader is elected in a given term.",
    seat: Seat::Role("leader"),
    clash: Phrase::BothLeader,
};

/// VoteOncePerTerm: a node grants at most one candidate its vote in a given term (Figure 2:
/// votedFor is durable). Reads the `RequestVoteReply` messages that grant a vote, so a lost
/// vote is caught when it is cast, before two leaders exist.
#[derive(Clone, Debug, Default)]
pub struct VoteOncePerTerm {
    /// (voter, term) -> the candidate it voted for.
    votes: BTreeMap<(NodeId, u64), NodeId>,
}

impl<M: Message + 'static> Invariant<M> for VoteOncePerTerm {
    fn name(&self) -> &'static str {
        "VoteOncePerTerm"
    }

    fn describe(&self) -> &'static str {
        "A node votes for at most one candidate in a given term."
    }

    fn reads_network(&self) -> bool {
        true
    }

    fn observe(&mut self, _t: Micros, ev: &Event<M>) -> Option<String> {
        let Event::Send {
            from: Addr::Node(voter),
            to: Addr::Node(candidate),
            payload: Payload::Proto(msg),
            ..
        } = ev
        else {
            return None;
        };
        let term = msg.vote_granted()?;
        match self.votes.insert((*voter, term), *candidate) {
            Some(other) if other != *candidate => {
                Some(text!(VotedTwice, voter, other, candidate, term).to_string())
            }
            _ => None,
        }
    }

    fn measure(&self, m: &mut Meter) {
        m.add(self.votes.len() * 48);
    }

    fn box_clone(&self) -> Box<dyn Invariant<M>> {
        Box::new(self.clone())
    }
}

/// LeaderAppendOnly: a leader never overwrites or deletes entries in its log.
#[derive(Clone, Debug, Default)]
pub struct LeaderAppendOnly {
    leader: BTreeMap<NodeId, bool>,
    len: BTreeMap<NodeId, u64>,
}

impl LeaderAppendOnly {
    fn is_leader(&self, node: NodeId) -> bool {
        self.leader.get(&node) == Some(&true)
    }
}

impl<M: Message + 'static> Invariant<M> for LeaderAppendOnly {
    fn name(&self) -> &'static str {
        "LeaderAppendOnly"
    }

    fn describe(&self) -> &'static str {
        "A leader never overwrites or deletes entries in its log; it only appends."
    }

    fn observe(&mut self, _t: Micros, ev: &Event<M>) -> Option<String> {
        match ev {
            Event::Role { node, role, .. } => {
                self.leader.insert(*node, role == "leader");
            }
            Event::Crash { node } => {
                self.leader.insert(*node, false);
            }
            Event::Append { node, index, .. } => {
                let len = self.len.entry(*node).or_default();
                let overwrite = *index <= *len;
                *len = (*len).max(*index);
                if overwrite && self.is_leader(*node) {
                    return Some(text!(Overwrote, node, index).to_string());
                }
            }
            Event::Checkpoint { node, index, .. } => {
                let len = self.len.entry(*node).or_default();
                *len = (*len).max(*index);
            }
            Event::Truncate { node, from } => {
                let len = self.len.entry(*node).or_default();
                *len = (*len).min(from.saturating_sub(1));
                if self.is_leader(*node) {
                    return Some(text!(DeletedFrom, node, from).to_string());
                }
            }
            _ => {}
        }
        None
    }

    fn measure(&self, m: &mut Meter) {
        m.add((self.leader.len() + self.len.len()) * 48);
    }

    fn box_clone(&self) -> Box<dyn Invariant<M>> {
        Box::new(self.clone())
    }
}

/// LogMatching: if two logs contain an entry with the same index and term, the logs are identical
/// in all entries up through that index.
///
/// In Raft an (index, term) pair names one entry for all time, created by that term's leader on
/// top of one fixed prefix, so the checker remembers, per index, the chain digest first seen for
/// each term, and compares every later copy with it.
#[derive(Clone, Debug, Default)]
pub struct LogMatching {
    logs: Vec<Mirror>,
    seen: ChunkedVec<Vec<(u64, u64, NodeId)>>,
}

impl LogMatching {
    fn compare(&mut self, node: NodeId, index: u64, term: u64, digest: u64) -> Option<String> {
        let i = index as usize - 1;
        if self.seen.len() <= i {
            self.seen.resize(i + 1, Vec::new());
        }
        let known = self
            .seen
            .get(i)?
            .iter()
            .find(|(t, _, _)| *t == term)
            .copied();
        match known {
            Some((_, d, other)) if d != digest && other == node => {
                Some(text!(LogChanged, node, term, index).to_string())
            }
            Some((_, d, other)) if d != digest => {
                Some(text!(LogsDiffer, other, node, term, index).to_string())
            }
            Some(_) => None,
            None => {
                self.seen.get_mut(i)?.push((term, digest, node));
                None
            }
        }
    }
}

impl<M: Message + 'static> Invariant<M> for LogMatching {
    fn name(&self) -> &'static str {
        "LogMatching"
    }

    fn describe(&self) -> &'static str {
        "If two logs contain an entry with the same index and term, the logs are identical up to that index."
    }

    fn observe(&mut self, _t: Micros, ev: &Event<M>) -> Option<String> {
        match ev {
            Event::Append {
                node,
                index,
                term,
                cmd,
            } => {
                let log = mirror_mut(&mut self.logs, *node);
                let from = log.append(*index, *term, cmd);
                let changed: Vec<(u64, Mirrored)> = (from..log.len())
                    .map(|i| (i as u64 + 1, log.at(i)))
                    .collect();
                changed
                    .into_iter()
                    .find_map(|(i, e)| self.compare(*node, i, e.term, e.chain))
            }
            Event::Truncate { node, from } => {
                mirror_mut(&mut self.logs, *node).truncate(*from);
                None
            }
            Event::Checkpoint {
                node, index, term, ..
            } => {
                install_mirror(&mut self.logs, *node, *index, *term);
                None
            }
            _ => None,
        }
    }

    fn measure(&self, m: &mut Meter) {
        measure_mirrors(&self.logs, m);
        m.chunked(&self.seen);
    }

    fn box_clone(&self) -> Box<dyn Invariant<M>> {
        Box::new(self.clone())
    }
}

/// LeaderCompleteness: an entry committed in a term is present in the logs of the leaders of all
/// later terms.
///
/// An index counts as committed in the term of the first node that reported committing it (the
/// leader commits before any follower learns of it).
#[derive(Clone, Debug, Default)]
pub struct LeaderCompleteness {
    replicas: Replicas,
    leaders: BTreeMap<NodeId, u64>,
}

impl LeaderCompleteness {
    fn check_leader(&self, node: NodeId, term: u64) -> Option<String> {
        let i = self.replicas.first_missing(node)?;
        let (_, committed_in) = self.replicas.committed_at(i);
        (committed_in < term).then(|| text!(LeaderLacks, node, term, i, committed_in).to_string())
    }
}

impl<M: Message + 'static> Invariant<M> for LeaderCompleteness {
    fn name(&self) -> &'static str {
        "LeaderCompleteness"
    }

    fn describe(&self) -> &'static str {
        "An entry committed in a term is present in the logs of the leaders of all later terms."
    }

    fn observe(&mut self, _t: Micros, ev: &Event<M>) -> Option<String> {
        self.replicas.observe(ev);
        match ev {
            Event::Role {
                node, role, epoch, ..
            } => {
                if role != "leader" {
                    self.leaders.remove(node);
                    return None;
                }
                self.leaders.insert(*node, *epoch);
                self.check_leader(*node, *epoch)
            }
            Event::Crash { node } => {
                self.leaders.remove(node);
                None
            }
            Event::Commit { .. } => self
                .leaders
                .iter()
                .find_map(|(n, t)| self.check_leader(*n, *t)),
            _ => None,
        }
    }

    fn measure(&self, m: &mut Meter) {
        self.replicas.measure(m);
    }

    fn box_clone(&self) -> Box<dyn Invariant<M>> {
        Box::new(self.clone())
    }
}
