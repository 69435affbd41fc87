//! Single-decree Basic Paxos (being written).
