//! What a viewer needs to draw a node and a message, independent of the protocol.
//!
//! Protocols describe themselves in these plain terms (a role, an epoch, a log of cells, marks on
//! peers, a key-value store), so one canvas and one set of panels can show Raft today and Paxos or
//! primary-backup tomorrow.

use crate::model::types::{Key, NodeId, Value};

/// The state of one log position (or Paxos slot) on one node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CellState {
    /// Stored but not known committed / chosen.
    Pending,
    /// Known committed / chosen.
    Committed,
}

/// One log position as drawn in the log grid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogCell {
    /// The entry's term or ballot round (colours the cell).
    pub epoch: u64,
    /// Committed or not.
    pub state: CellState,
    /// A short label (`put 1=5`, `noop`).
    pub label: String,
}

/// A leader's view of one peer (Raft: nextIndex and matchIndex).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PeerMark {
    /// The peer.
    pub peer: NodeId,
    /// Next index to send.
    pub next: u64,
    /// Highest index known replicated.
    pub matched: u64,
}

/// Everything about one running node a viewer draws.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NodeDetail {
    /// The log (or slots) as kept: position `snapshot_index + 1` first.
    pub log: Vec<LogCell>,
    /// The last position a snapshot replaced (Raft log compaction); 0 when nothing is compacted.
    pub snapshot_index: u64,
    /// Peers this node tracks (as leader).
    pub marks: Vec<PeerMark>,
    /// Votes (or promises) received while campaigning, as node ids.
    pub votes: Vec<NodeId>,
    /// Votes needed to win.
    pub quorum: u32,
    /// The replicated store as this node has applied it.
    pub kv: Vec<(Key, Value)>,
    /// Whom this node follows, if anyone.
    pub leader: Option<NodeId>,
    /// The roles this node plays (`proposer`, `acceptor`, `learner`), where a protocol has several.
    pub plays: Vec<&'static str>,
    /// Its acceptor state, for Paxos: the acceptors' table.
    pub acceptor: Option<AcceptorView>,
    /// A few words shown under the node on the canvas, after its epoch: what it is doing now
    /// (`i3: alternate ✓`, `in doubt: t1`), for protocols whose role alone does not say it.
    pub caption: Option<String>,
}

/// An acceptor's durable state, as the acceptors' table shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AcceptorView {
    /// The ballot promised (packed; see `model::ballot::show`), 0 for none.
    pub promised: u64,
    /// Accepted values: (slot, ballot, short label), slot order.
    pub accepted: Vec<(u64, u64, String)>,
}

/// How a message should look on the canvas.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MsgLook {
    /// A short label (`AE 3`, `vote`, `hb`).
    pub label: String,
    /// A reply (drawn hollow) rather than a request (drawn solid).
    pub reply: bool,
    /// Routine traffic (heartbeats) drawn lighter.
    pub light: bool,
    /// For votes and acknowledgements: granted (true) or refused (false).
    pub verdict: Option<bool>,
}

impl MsgLook {
    /// A plain request labelled `label`.
    pub fn request(label: impl Into<String>) -> Self {
        MsgLook {
            label: label.into(),
            reply: false,
            light: false,
            verdict: None,
        }
    }
}

/// A term, epoch or ballot as people read it: Paxos ballots (packed, see `model::ballot::show`) as
/// `round.node`, everything else as the number.
pub fn epoch_value(epoch_name: &str, epoch: u64) -> String {
    if epoch_name == "ballot" {
        crate::model::ballot::show(epoch)
    } else {
        epoch.to_string()
    }
}

/// The roles that lead, in every protocol: the node clients are served through, and what a fault
/// aimed at "the leader" hits.
pub const LEADING_ROLES: &[&str] = &["leader", "primary", "coordinator", "proposer"];
