//! Runs as the CLI, the tests and the app start them: one run's settings, protocol-independent
//! runs, sweeps and trace checks ([`runner`]), scenario scripts ([`scenario`]) and share links
//! ([`link`]).

pub mod describe;
pub mod link;
pub mod runner;
pub mod scenario;
pub mod setup;
pub mod shiviz;
