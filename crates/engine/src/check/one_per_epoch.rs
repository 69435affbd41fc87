//! One holder per epoch: the shape of ElectionSafety (Raft: one leader per term), OnePrimaryPerEpoch
//! (primary-backup) and OneDelivererPerEpoch (recovery blocks). Each protocol names its rule (what
//! makes a node the holder of an epoch, and the invariant's name and wording); the checker is one.

use crate::model::chunked_map::ChunkedMap;
use crate::model::text::{Phrase, Text};

use super::Invariant;
use crate::model::chunked::Meter;
use crate::model::event::{Event, Message};
use crate::model::types::{Micros, NodeId};

/// What makes a node the holder of an epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seat {
    /// A `role` event with this role (e.g. `leader`) in the epoch.
    Role(&'static str),
    /// An `output` event (a delivered result) in the epoch.
    Output,
}

/// A protocol's one-holder-per-epoch rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EpochRule {
    /// The invariant's name.
    pub name: &'static str,
    /// One sentence for the user.
    pub describe: &'static str,
    /// What makes a node the epoch's holder.
    pub seat: Seat,
    /// The violation: e.g. [`Phrase::BothLeader`], "nodes {} and {} were both leader in term {}".
    pub clash: Phrase,
}

/// At most one node holds each epoch, by `rule`.
#[derive(Clone, Debug)]
pub struct OnePerEpoch {
    rule: &'static EpochRule,
    /// Epoch -> its holder (epochs only grow: copy-on-write chunks, shared by snapshots).
    holders: ChunkedMap<NodeId>,
}

impl OnePerEpoch {
    /// A checker of `rule`.
    pub fn new(rule: &'static EpochRule) -> Self {
        OnePerEpoch {
            rule,
            holders: ChunkedMap::new(),
        }
    }

    /// The (node, epoch) an event seats, if any.
    fn seated<M>(&self, ev: &Event<M>) -> Option<(NodeId, u64)> {
        match (self.rule.seat, ev) {
            (
                Seat::Role(wanted),
                Event::Role {
                    node, role, epoch, ..
                },
            ) if role == wanted => Some((*node, *epoch)),
            (Seat::Output, Event::Output { node, epoch, .. }) => Some((*node, *epoch)),
            _ => None,
        }
    }
}

impl<M: Message + 'static> Invariant<M> for OnePerEpoch {
    fn name(&self) -> &'static str {
        self.rule.name
    }

    fn describe(&self) -> &'static str {
        self.rule.describe
    }

    fn observe(&mut self, _t: Micros, ev: &Event<M>) -> Option<String> {
        let (node, epoch) = self.seated(ev)?;
        match self.holders.insert(epoch, node) {
            Some(other) if other != node => Some(
                Text {
                    phrase: self.rule.clash,
                    args: vec![other.into(), node.into(), epoch.into()],
                }
                .to_string(),
            ),
            _ => None,
        }
    }

    fn measure(&self, m: &mut Meter) {
        self.holders.measure(m, 0);
    }

    fn box_clone(&self) -> Box<dyn Invariant<M>> {
        Box::new(self.clone())
    }
}
