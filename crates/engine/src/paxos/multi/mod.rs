//! Multi-Paxos (being written).
