//! The properties of two-phase commit, as observers of the trace (`begin`, `vote` and `decide`
//! events, crashes and restarts).
//!
//! - **Atomicity** (Always): every node that decides a transaction decides the same outcome; a
//!   commit needs every vote to be yes: the coordinator decides commit only with a `vote yes`
//!   from every participant its `begin` named, there is no `vote no` for the transaction, before
//!   or after, and a participant commits only a transaction it voted yes on; a node never votes
//!   both ways.
//! - **MirrorsAgree** (Always, `mirrors.rs`): a key and its mirror go through the same committed
//!   writes in the same order.
//! - **NoInDoubtOnceCoordinatorBack** (Eventually): at the end of the run, with the coordinator
//!   and a participant up for at least [`GRACE`], that participant holds no transaction it
//!   prepared more than [`GRACE`] earlier: in doubt, it found out the outcome.

use crate::model::text::text;
use std::collections::{BTreeMap, BTreeSet};

use crate::model::chunked_map::ChunkedMap;

pub use super::mirrors::MirrorsAgree;
use super::COORDINATOR;
use crate::check::{Invariant, Kind};
use crate::model::event::{Event, Message};
use crate::model::types::{fmt_time, Micros, NodeId, SEC};

/// How long a node must have been up, and a transaction prepared, before NoInDoubt judges it.
pub const GRACE: Micros = SEC;

/// The checkers of a two-phase-commit run.
pub fn checkers<M: Message + 'static>(nodes: u32) -> Vec<Box<dyn Invariant<M>>> {
    vec![
        Box::new(Atomicity::default()),
        Box::new(MirrorsAgree::new(nodes)),
        Box::new(NoInDoubtOnceCoordinatorBack::default()),
    ]
}

fn outcome(commit: bool) -> &'static str {
    if commit {
        "commit"
    } else {
        "abort"
    }
}

/// Atomicity: all or nothing, and only with everyone's yes.
#[derive(Clone, Debug, Default)]
pub struct Atomicity {
    /// Transaction -> what was seen of it (kept in copy-on-write chunks: a long run has many).
    txns: ChunkedMap<Txn>,
}

/// What Atomicity knows of one transaction.
#[derive(Clone, Debug, Default)]
struct Txn {
    /// Its participants, from the coordinator's `begin`; dropped once decided.
    participants: Vec<NodeId>,
    /// Nodes that voted yes, and no.
    yes: BTreeSet<NodeId>,
    no: BTreeSet<NodeId>,
    /// The first decision seen, and who made it.
    decided: Option<(bool, NodeId)>,
}

impl Atomicity {
    fn vote(&mut self, node: NodeId, txn: u64, yes: bool) -> Option<String> {
        let t = self.txns.entry(txn, Txn::default);
        let (mine, other) = match yes {
            true => (&mut t.yes, &t.no),
            false => (&mut t.no, &t.yes),
        };
        mine.insert(node);
        if other.contains(&node) {
            return Some(text!(VotedBoth, node, txn).to_string());
        }
        match t.decided {
            Some((true, by)) if !yes => Some(text!(VotedNoCommitted, node, txn, by).to_string()),
            _ => None,
        }
    }

    fn decide(&mut self, node: NodeId, txn: u64, commit: bool) -> Option<String> {
        let t = self.txns.entry(txn, Txn::default);
        let participants = match node {
            COORDINATOR => std::mem::take(&mut t.participants),
            _ => Vec::new(),
        };
        let first = *t.decided.get_or_insert((commit, node));
        if first.0 != commit {
            let (mine, theirs) = (outcome(commit), outcome(first.0));
            return Some(text!(DecidedBut, node, mine, txn, first.1, theirs).to_string());
        }
        if !commit {
            return None;
        }
        if let Some(refused) = t.no.first() {
            return Some(text!(CommitThoughNo, node, txn, refused).to_string());
        }
        if let Some(p) = participants.iter().find(|p| !t.yes.contains(p)) {
            return Some(text!(CommitWithoutYes, node, txn, p).to_string());
        }
        (node != COORDINATOR && !t.yes.contains(&node))
            .then(|| text!(CommittedNoYes, node, txn).to_string())
    }
}

impl<M: Message + 'static> Invariant<M> for Atomicity {
    fn name(&self) -> &'static str {
        "Atomicity"
    }

    fn describe(&self) -> &'static str {
        "Every node that decides a transaction decides the same outcome, and a commit needs a yes vote from every participant."
    }

    fn observe(&mut self, _t: Micros, ev: &Event<M>) -> Option<String> {
        match ev {
            Event::Begin {
                txn, participants, ..
            } => {
                self.txns.entry(*txn, Txn::default).participants = participants.clone();
                None
            }
            Event::Vote { node, txn, yes } => self.vote(*node, *txn, *yes),
            Event::Decide { node, txn, commit } => self.decide(*node, *txn, *commit),
            _ => None,
        }
    }

    fn measure(&self, m: &mut crate::model::chunked::Meter) {
        m.add(std::mem::size_of_val(self));
        self.txns.measure(m, 96);
    }

    fn box_clone(&self) -> Box<dyn Invariant<M>> {
        Box::new(self.clone())
    }
}

/// NoInDoubtOnceCoordinatorBack: once the coordinator is back, participants in doubt learn the
/// outcome.
#[derive(Clone, Debug, Default)]
pub struct NoInDoubtOnceCoordinatorBack {
    /// (participant, transaction) -> when it voted yes; removed when it decides.
    prepared: BTreeMap<(NodeId, u64), Micros>,
    /// Nodes crashed now.
    down: BTreeSet<NodeId>,
    /// When each restarted node came back (absent: up since the start).
    up_since: BTreeMap<NodeId, Micros>,
}

impl NoInDoubtOnceCoordinatorBack {
    /// Has `node` been up for at least [`GRACE`] at `t`?
    fn settled(&self, node: NodeId, t: Micros) -> bool {
        let since = self.up_since.get(&node).copied().unwrap_or(0);
        !self.down.contains(&node) && since + GRACE <= t
    }
}

impl<M: Message + 'static> Invariant<M> for NoInDoubtOnceCoordinatorBack {
    fn name(&self) -> &'static str {
        "NoInDoubtOnceCoordinatorBack"
    }

    fn describe(&self) -> &'static str {
        "By the end of the run, with the coordinator back, no participant still holds a prepared transaction it cannot resolve."
    }

    fn kind(&self) -> Kind {
        Kind::Eventually
    }

    fn observe(&mut self, t: Micros, ev: &Event<M>) -> Option<String> {
        match ev {
            Event::Vote {
                node,
                txn,
                yes: true,
            } => {
                self.prepared.entry((*node, *txn)).or_insert(t);
            }
            Event::Decide { node, txn, .. } => {
                self.prepared.remove(&(*node, *txn));
            }
            Event::Crash { node } => {
                self.down.insert(*node);
            }
            Event::Restart { node } => {
                self.down.remove(node);
                self.up_since.insert(*node, t);
            }
            _ => {}
        }
        None
    }

    fn finish(&mut self, t: Micros) -> Option<String> {
        if !self.settled(COORDINATOR, t) {
            return None;
        }
        let mut stuck = self
            .prepared
            .iter()
            .filter(|((node, _), since)| self.settled(*node, t) && **since + GRACE <= t);
        let ((node, txn), since) = stuck.next()?;
        let more = stuck.count();
        let others = match more {
            0 => String::new(),
            n => text!(AndNMore, n).to_string(),
        };
        Some(text!(StillInDoubt, node, txn, fmt_time(*since), others).to_string())
    }

    fn measure(&self, m: &mut crate::model::chunked::Meter) {
        let entries = self.prepared.len() + self.down.len() + self.up_since.len();
        m.add(std::mem::size_of_val(self) + entries * 48);
    }

    fn box_clone(&self) -> Box<dyn Invariant<M>> {
        Box::new(self.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::kv::{Cmd, KvOp};
    use crate::model::trace::RawMsg;

    #[test]
    fn a_commit_without_a_yes_vote_from_every_participant_begin_named_is_caught() {
        let kv = KvOp::Put { key: 1, value: 5 };
        let evs: Vec<Event<RawMsg>> = vec![
            Event::Begin {
                node: 1,
                txn: 1,
                cmd: Cmd {
                    client: 1,
                    op: 1,
                    kv,
                },
                participants: vec![2, 3],
            },
            Event::Vote {
                node: 2,
                txn: 1,
                yes: true,
            },
            Event::Decide {
                node: 1,
                txn: 1,
                commit: true,
            },
        ];
        let mut a = Atomicity::default();
        let found: Vec<String> = evs.iter().filter_map(|e| a.observe(0, e)).collect();
        assert_eq!(
            found,
            ["n1 decided commit on t1 without a yes vote from n3"]
        );
    }
}
