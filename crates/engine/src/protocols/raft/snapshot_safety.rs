//! SnapshotSafety: log compaction never changes what a state machine holds.
//!
//! Three properties of a `checkpoint` (a node's own snapshot, or one it installed from a leader):
//!
//! 1. it covers only committed entries: every entry up to its index is known committed, and the
//!    node's log up to there is the committed log;
//! 2. every snapshot at one index holds the same state (the state machine is deterministic, so
//!    all nodes agree on the state after applying the committed entries up to an index);
//! 3. installing a snapshot never rolls a running state machine back: a node does not install a
//!    snapshot older than what it has already applied.

use crate::model::text::text;
use std::collections::BTreeMap;

use super::mirror::Replicas;
use crate::check::Invariant;
use crate::model::chunked::Meter;
use crate::model::chunked_map::ChunkedMap;
use crate::model::event::{Event, Message};
use crate::model::types::{Micros, NodeId};

/// SnapshotSafety: a snapshot holds only committed entries, agrees with every other snapshot at
/// its index, and is never installed over a state machine that is already past it.
#[derive(Clone, Debug, Default)]
pub struct SnapshotSafety {
    replicas: Replicas,
    /// Per snapshot index: the state digest first seen there, and which node wrote it.
    /// (Indexes only grow: copy-on-write chunks, shared by time-travel snapshots.)
    states: ChunkedMap<(u64, NodeId)>,
    /// Per running node: the highest index its state machine has applied since it booted.
    applied: BTreeMap<NodeId, u64>,
}

impl SnapshotSafety {
    fn check_committed(&self, node: NodeId, index: u64) -> Option<String> {
        let known = self.replicas.committed_len();
        if index > known {
            return Some(text!(SnapBeyondCommit, node, index, known).to_string());
        }
        let committed = self.replicas.committed_at(index as usize).0;
        (index > 0 && self.replicas.chain_at(node, index as usize) != Some(committed))
            .then(|| text!(SnapDiffers, node, index).to_string())
    }

    fn check_state(&mut self, node: NodeId, index: u64, state: u64) -> Option<String> {
        match self.states.get(&index) {
            Some((first, by)) if *first != state => {
                Some(text!(SnapStateDiffers, node, index, by).to_string())
            }
            Some(_) => None,
            None => {
                self.states.insert(index, (state, node));
                None
            }
        }
    }

    fn check_rollback(&mut self, node: NodeId, index: u64, from: Option<NodeId>) -> Option<String> {
        let applied = self.applied.entry(node).or_default();
        let before = *applied;
        *applied = before.max(index);
        let leader = from?;
        (index < before).then(|| text!(SnapRolledBack, node, leader, index, before).to_string())
    }
}

impl<M: Message + 'static> Invariant<M> for SnapshotSafety {
    fn name(&self) -> &'static str {
        "SnapshotSafety"
    }

    fn describe(&self) -> &'static str {
        "A snapshot holds only committed entries, agrees with every snapshot at its index, and never rolls a state machine back."
    }

    fn observe(&mut self, _t: Micros, ev: &Event<M>) -> Option<String> {
        let rollback = match ev {
            Event::Checkpoint {
                node, index, from, ..
            } => self.check_rollback(*node, *index, *from),
            _ => None,
        };
        self.replicas.observe(ev);
        match ev {
            Event::Apply { node, index, .. } => {
                let applied = self.applied.entry(*node).or_default();
                *applied = (*applied).max(*index);
                None
            }
            Event::Crash { node } => {
                self.applied.remove(node);
                None
            }
            Event::Recover {
                node, checkpoint, ..
            } => {
                self.applied.insert(*node, *checkpoint);
                None
            }
            Event::Checkpoint {
                node, index, state, ..
            } => rollback
                .or_else(|| self.check_committed(*node, *index))
                .or_else(|| self.check_state(*node, *index, *state)),
            _ => None,
        }
    }

    fn measure(&self, m: &mut Meter) {
        self.replicas.measure(m);
        self.states.measure(m, 0);
        m.add(self.applied.len() * 48);
    }

    fn box_clone(&self) -> Box<dyn Invariant<M>> {
        Box::new(self.clone())
    }
}
