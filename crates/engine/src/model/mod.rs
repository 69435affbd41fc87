//! The vocabulary every layer speaks: ids and simulated time, client commands and the key-value
//! store, the events a run records and their trace format, and how messages and nodes look. Nothing
//! here runs anything.

pub mod ballot;
pub mod chunked;
pub mod chunked_map;
pub mod event;
pub mod hash;
pub mod kv;
pub mod rng;
pub mod text;
pub mod trace;
pub mod types;
pub mod view;
