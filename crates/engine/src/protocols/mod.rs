//! The protocols, one folder each, and the registry that lists them once. No protocol imports
//! another: what several share lives in `crate::replicated` and `crate::check`.

#[macro_use]
mod registry;

pub mod any;
pub mod paxos;
pub mod primary_backup;
pub mod raft;
pub mod recovery_block;
pub mod twopc;
