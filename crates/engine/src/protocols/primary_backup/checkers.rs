//! Primary-backup's safety properties, each an independent observer of the trace.
//!
//! - [`OnePrimaryPerEpoch`] reads `role` events: two nodes primary in one epoch is split brain.
//! - [`NoLostAcknowledgedWrite`] follows client writes from `invoke` to `ok`: the first primary to
//!   apply a write committed it at that index in its epoch; once the client has the answer, the
//!   write must sit at that index in the log of every primary of a later epoch. Logs are mirrored
//!   from `append` / `truncate` events; a new primary is checked when it writes the first entry
//!   of its own epoch (the no-op that opens its view), that is, once it has adopted its log.
//! - Raft's [`StateMachineSafety`]: no two nodes apply different commands at one index.
//!
//! Linearizability of the client history is checked for every protocol at the end of a run.

use crate::model::text::{text, Phrase};
use std::collections::BTreeMap;

use crate::check::StateMachineSafety;
use crate::check::{EpochRule, Invariant, OnePerEpoch};
use crate::model::chunked::{ChunkedVec, Meter};
use crate::model::event::{Event, Message};
use crate::model::kv::{Command, KvOp};
use crate::model::types::{Micros, NodeId, OpId};

/// The checkers for a primary-backup run.
pub fn checkers<M: Message + 'static>() -> Vec<Box<dyn Invariant<M>>> {
    vec![
        Box::new(OnePerEpoch::new(&ONE_PRIMARY_PER_EPOCH)),
        Box::new(NoLostAcknowledgedWrite::default()),
        Box::new(StateMachineSafety::default()),
    ]
}

/// OnePrimaryPerEpoch: at most one node is primary in a given epoch.
pub const ONE_PRIMARY_PER_EPOCH: EpochRule = EpochRule {
    name: "OnePrimaryPerEpoch",
    describe: "At most one node is primary in a given epoch.",
    seat: crate::check::Seat::Role("primary"),
    clash: Phrase::BothPrimary,
};

/// A write the client has been told about: where it was committed, and in which epoch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Acked {
    op: OpId,
    index: u64,
    digest: u64,
    epoch: u64,
}

/// A node as this checker sees it: primary of an epoch or not, and whether its log was checked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Seat {
    primary_of: Option<u64>,
    checked: bool,
}

/// NoLostAcknowledgedWrite: a write acknowledged to a client is in the log of every primary of a
/// later epoch, at the index where it was committed.
#[derive(Clone, Debug, Default)]
pub struct NoLostAcknowledgedWrite {
    /// Per node: the digest of the command at each index of its log.
    logs: Vec<ChunkedVec<u64>>,
    seats: Vec<Seat>,
    /// Writes invoked and not yet answered, with the first commit seen: (index, digest, epoch).
    open: BTreeMap<OpId, Option<(u64, u64, u64)>>,
    acked: ChunkedVec<Acked>,
}

impl NoLostAcknowledgedWrite {
    fn seat(&mut self, node: NodeId) -> &mut Seat {
        let i = node as usize - 1;
        if self.seats.len() <= i {
            self.seats.resize(i + 1, Seat::default());
        }
        &mut self.seats[i]
    }

    fn log(&mut self, node: NodeId) -> &mut ChunkedVec<u64> {
        let i = node as usize - 1;
        if self.logs.len() <= i {
            self.logs.resize(i + 1, ChunkedVec::new());
        }
        &mut self.logs[i]
    }

    fn record_append(&mut self, node: NodeId, index: u64, cmd: &Command) {
        let log = self.log(node);
        let i = index as usize - 1;
        if log.len() <= i {
            log.resize(i + 1, 0);
        }
        if let Some(slot) = log.get_mut(i) {
            *slot = cmd.digest();
        }
    }

    /// The first apply of an open write by a primary is its commit.
    fn record_apply(&mut self, node: NodeId, index: u64, cmd: &Command) {
        let Command::Client(c) = cmd else { return };
        let epoch = self.seats.get(node as usize - 1).and_then(|s| s.primary_of);
        if let (Some(slot @ None), Some(epoch)) = (self.open.get_mut(&c.op), epoch) {
            *slot = Some((index, cmd.digest(), epoch));
        }
    }

    fn missing(&self, node: NodeId, epoch: u64, a: &Acked) -> Option<String> {
        let has = self
            .logs
            .get(node as usize - 1)
            .and_then(|log| log.get(a.index as usize - 1))
            .is_some_and(|d| *d == a.digest);
        (a.epoch < epoch && !has)
            .then(|| text!(LacksWrite, node, epoch, a.op, a.index, a.epoch).to_string())
    }

    /// A new primary's first entry of its own epoch (written after any catch-up, whose entries
    /// are older): its log must hold every write acknowledged so far.
    fn check_new_primary(&mut self, node: NodeId, term: u64) -> Option<String> {
        let seat = self.seat(node);
        let epoch = seat.primary_of.filter(|e| !seat.checked && *e == term)?;
        seat.checked = true;
        self.acked.iter().find_map(|a| self.missing(node, epoch, a))
    }

    /// A write just acknowledged: every primary already checked must hold it too.
    fn acknowledge(&mut self, op: OpId) -> Option<String> {
        let (index, digest, epoch) = self.open.remove(&op).flatten()?;
        let a = Acked {
            op,
            index,
            digest,
            epoch,
        };
        self.acked.push(a);
        self.seats
            .iter()
            .zip(1..)
            .filter(|(s, _)| s.checked)
            .find_map(|(s, node)| self.missing(node, s.primary_of?, &a))
    }
}

impl<M: Message + 'static> Invariant<M> for NoLostAcknowledgedWrite {
    fn name(&self) -> &'static str {
        "NoLostAcknowledgedWrite"
    }

    fn describe(&self) -> &'static str {
        "A write acknowledged to a client is in the log of every primary of a later epoch."
    }

    fn observe(&mut self, _t: Micros, ev: &Event<M>) -> Option<String> {
        match ev {
            Event::Invoke { op, kv, .. } if !matches!(kv, KvOp::Get { .. }) => {
                self.open.insert(*op, None);
            }
            Event::Fail { op, .. } | Event::Info { op, .. } => {
                self.open.remove(op);
            }
            Event::Ok { op, .. } => return self.acknowledge(*op),
            Event::Role {
                node, role, epoch, ..
            } => {
                let primary_of = (role == "primary").then_some(*epoch);
                *self.seat(*node) = Seat {
                    primary_of,
                    checked: false,
                };
            }
            Event::Crash { node } => *self.seat(*node) = Seat::default(),
            Event::Append {
                node,
                index,
                term,
                cmd,
            } => {
                self.record_append(*node, *index, cmd);
                return self.check_new_primary(*node, *term);
            }
            Event::Truncate { node, from } => {
                self.log(*node).truncate((*from as usize).saturating_sub(1));
            }
            Event::Apply {
                node, index, cmd, ..
            } => self.record_apply(*node, *index, cmd),
            _ => {}
        }
        None
    }

    fn measure(&self, m: &mut Meter) {
        for log in &self.logs {
            m.chunked(log);
        }
        m.chunked(&self.acked);
        m.add(self.open.len() * 64 + self.seats.len() * 24);
    }

    fn box_clone(&self) -> Box<dyn Invariant<M>> {
        Box::new(self.clone())
    }
}
