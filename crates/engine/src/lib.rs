//! Quorum Lab's engine: a deterministic discrete-event simulator of distributed protocols.
//!
//! The folders are layers, each using only those above it in this list:
//!
//! - [`model`]: ids, time, client commands, events, the trace format of `docs/trace.md`.
//! - [`check`]: invariant checkers, the client history and linearizability.
//! - [`metrics`]: availability, recovery time per fault, latency and throughput from the trace.
//! - [`sim`]: the protocol interface, network, clients, faults, the world and the recorded run
//!   ([`Sim`]) with time travel.
//! - [`replicated`]: what log-replicating protocols share.
//! - [`protocols`]: one folder per protocol and the registry that lists them.
//! - [`run`]: runs, sweeps, trace checks, scenario scripts and share links (the CLI's engine).
//! - [`lab`]: the viewer facade the web app drives, the scenario catalog and the story tables.
//!
//! Nothing here reads a clock, spawns a thread, touches the OS or uses floating point in a
//! decision: one seed and the recorded interventions reproduce a run exactly, on any platform.
#![deny(missing_docs)]

pub mod model;

pub mod check;
pub mod metrics;
pub mod sim;

pub mod replicated;

#[macro_use]
pub mod protocols;

pub mod run;

pub mod lab;

pub use model::event::{Event, Stamped};
pub use model::types::{Micros, NodeId};
pub use sim::action::Action;
pub use sim::protocol::Protocol;
pub use sim::timeline::{HistoryConfig, Sim};
pub use sim::world::{SimConfig, World};
