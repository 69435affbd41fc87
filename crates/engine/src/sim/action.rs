//! Faults and user interventions: the inputs a run receives besides its seed.

use crate::model::kv::KvOp;
use crate::model::types::{Micros, MsgId, NodeId};
use crate::sim::net::NetConfig;

/// Something done to the world from outside: a planned fault or a user's intervention.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// Crash a node (volatile state lost, durable state kept).
    Crash(NodeId),
    /// Restart a crashed node from its durable state.
    Restart(NodeId),
    /// Split the network into groups (nodes not named form one more group).
    Partition(Vec<Vec<NodeId>>),
    /// Repair every partition and cut link.
    Heal,
    /// Cut the one-way link `from -> to`.
    Cut(NodeId, NodeId),
    /// Run a node's clock at a rate in thousandths of real time.
    Drift(NodeId, u32),
    /// Change latency, loss and duplication.
    Network(NetConfig),
    /// Fire a node's primary timer now (Raft: election timeout).
    Timeout(NodeId),
    /// Issue a client operation through the manual client, optionally to a given node.
    Request {
        /// Node to send to first (default: the believed leader).
        node: Option<NodeId>,
        /// The operation.
        op: KvOp,
    },
    /// Lose one message in flight.
    DropMessage(MsgId),
    /// Deliver a copy of one message in flight.
    DuplicateMessage(MsgId),
    /// Hold one message in flight back by a duration.
    DelayMessage(MsgId, Micros),
    /// Begin the liveness phase: heal, restart every node, restore clocks and network settings.
    Liveness,
    /// A nemesis of randomized plans: a fault aimed at whichever node leads when it strikes
    /// (leader, primary, coordinator; nothing happens if none does), undone `undo_after` later.
    AtLeader {
        /// What happens to the leader.
        fault: LeaderFault,
        /// When the node restarts or the partition heals.
        undo_after: Micros,
        /// When it strikes: at once, or armed until the leader takes a request or a node
        /// becomes leader.
        when: Strike,
    },
}

/// When a leader-aimed nemesis strikes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Strike {
    /// At the moment of its plan, whoever leads then.
    Now,
    /// Armed until the step in which the leading node takes a client's request (appends it to
    /// its log, proposes it, forwards it): the fault catches the entry on the leader alone.
    OnRequest,
    /// Armed until the step in which a node becomes leader: it is hit before it has done more
    /// than announce itself.
    OnElection,
}

/// What a leader-aimed nemesis does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LeaderFault {
    /// Crash it (a short `undo_after` restarts a just-elected leader at once).
    Crash,
    /// Partition it, with `with` other nodes, from the rest: the leader on a minority side.
    Isolate {
        /// How many other nodes share its side.
        with: u32,
    },
}

/// Checks partition groups: every node in at most one group (a node in two groups would be
/// connected to both sides, which is no partition).
pub fn check_groups(groups: &[Vec<NodeId>]) -> Result<(), crate::model::text::Text> {
    let mut seen = std::collections::BTreeSet::new();
    match groups.iter().flatten().find(|id| !seen.insert(**id)) {
        Some(dup) => Err(crate::model::text::text!(TwoGroups, dup)),
        None => Ok(()),
    }
}
