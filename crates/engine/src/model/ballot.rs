//! Paxos-family ballots: totally ordered pairs (round, proposer) packed in one integer,
//! `100 × round + proposer` (node ids are below 100), so ballot 302 is round 3 of node 2 and the
//! integer order is the pair order. The views and scenario expectations print them with [`show`].

use crate::model::types::NodeId;

/// The packed ballot `(round, node)`.
pub fn ballot(round: u64, node: NodeId) -> u64 {
    round * 100 + u64::from(node)
}

/// The round of a packed ballot.
pub fn round_of(ballot: u64) -> u64 {
    ballot / 100
}

/// The proposer of a packed ballot.
pub fn proposer_of(ballot: u64) -> NodeId {
    (ballot % 100) as NodeId
}

/// A ballot as people read it: `3.2` (round 3 of node 2); `0` for none.
pub fn show(ballot: u64) -> String {
    if ballot == 0 {
        "0".into()
    } else {
        format!("{}.{}", round_of(ballot), proposer_of(ballot))
    }
}
