//! Quorum Lab's engine: a deterministic discrete-event simulator of distributed protocols.
//!
//! - [`world`]: the simulated world (nodes, network, clients, event queue), one event at a time.
//! - [`sim`]: a run with its trace, invariant checkers and time travel (`seek`).
//! - [`protocol`]: the sans-IO shape every protocol implements; [`raft`] is the first.
//! - [`check`], [`history`], [`lin`]: invariant checking, including linearizability.
//! - [`trace`]: the JSON Lines trace format of `docs/trace.md`.
//! - [`scenario`]: the scenario script format shared by tests, the CLI and the app.
//! - [`faults`]: randomized fault plans (`none`, `crash`, `partition`, `chaos`).
//! - [`runner`]: protocol-independent runs, sweeps and checks used by the CLI.
//!
//! Nothing here reads a clock, spawns a thread, touches the OS or uses floating point in a
//! decision: one seed and the recorded interventions reproduce a run exactly, on any platform.
#![deny(missing_docs)]

#[macro_use]
mod registry;

pub mod action;
pub mod any;
pub mod catalog;
pub mod check;
pub mod chunked;
pub mod client;
pub mod event;
pub mod faults;
pub mod hash;
pub mod history;
pub mod inflight;
pub mod kv;
pub mod lab;
pub mod lin;
pub mod link;
pub mod net;
pub mod paxos;
pub mod primary_backup;
pub mod protocol;
pub mod raft;
pub mod recovery_block;
pub mod replicated;
pub mod rng;
pub mod runner;
pub mod scenario;
pub mod sim;
pub mod story;
pub mod trace;
pub mod twopc;
pub mod types;
pub mod view;
pub mod world;

pub use action::Action;
pub use event::{Event, Stamped};
pub use protocol::Protocol;
pub use sim::{HistoryConfig, Sim};
pub use types::{Micros, NodeId};
pub use world::{SimConfig, World};
