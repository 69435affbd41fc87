//! The simulated world: the protocol interface nodes implement, the network, workload clients,
//! fault plans and interventions, the world that runs one event at a time, and the
//! [`timeline::Sim`] that records a run's trace, checks it and travels in time.

pub mod action;
pub mod client;
pub mod events;
pub mod faults;
pub mod inflight;
pub mod net;
pub mod protocol;
pub mod timeline;
pub mod world;
