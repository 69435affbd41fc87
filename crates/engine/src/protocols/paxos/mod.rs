//! Paxos: single-decree Basic Paxos ([`basic`]) and Multi-Paxos ([`multi`]), with the ballots and
//! the safety checkers they share.
//!
//! Paxos (Lamport, "Paxos Made Simple") chooses one value among those proposed, despite crashes and
//! lost or reordered messages. *Proposers* run numbered *ballots*; *acceptors* vote; *learners* find
//! out what was chosen. A ballot has two phases:
//!
//! 1. **Prepare / Promise.** A proposer picks a ballot higher than any it has seen and sends
//!    `Prepare(b)`. An acceptor that has not promised a higher ballot promises to ignore ballots
//!    below `b`, and reports the highest-ballot value it has already accepted, if any.
//! 2. **Accept / Accepted.** With promises from a majority, the proposer proposes a value: the one
//!    reported with the highest ballot, or (only if none was reported) its own. An acceptor accepts
//!    unless it has promised a higher ballot. A value accepted by a majority in one ballot is
//!    *chosen*; learners are told.
//!
//! Any two majorities intersect, so a later ballot always hears of a value that may have been chosen
//! and proposes it again: once chosen, a value stays chosen. Promises and acceptances are durable.
//!
//! **Ballots** are totally ordered pairs (round, proposer); here they are packed in one integer,
//! `100 × round + proposer` (node ids are below 100), so ballot 302 is round 3 of node 2 and the
//! integer order is the pair order. [`ballot`] and [`show`] convert.
//!
//! The checkers read the `promise`, `propose`, `accept` and `chosen` trace events (plus `apply` for
//! the replicated store), like every checker in Quorum Lab.

pub mod basic;
mod checkers;
pub mod multi;

pub use crate::model::ballot::{ballot, proposer_of, round_of, show};
pub use checkers::checkers;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_ballots_order_like_pairs() {
        assert!(ballot(3, 1) > ballot(2, 9));
        assert!(ballot(3, 2) > ballot(3, 1));
        assert_eq!((round_of(ballot(7, 4)), proposer_of(ballot(7, 4))), (7, 4));
        assert_eq!(show(ballot(3, 2)), "3.2");
        assert_eq!(show(0), "0");
    }
}
