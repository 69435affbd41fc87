//! One run's settings, whoever starts the run.

use crate::protocols::any::AnyNode;
use crate::sim::net::NetConfig;
use crate::sim::protocol::ProtocolOptions;

/// Everything that decides a run besides its interventions (and, for a randomized run, its length
/// and faults: [`crate::run::runner::RunSpec`]). The CLI's flags, a scenario's header lines, a
/// share link and the app's settings panel all describe a run with this one type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setup {
    /// Protocol name.
    pub protocol: String,
    /// Number of nodes.
    pub nodes: u32,
    /// Seed.
    pub seed: u64,
    /// Network settings.
    pub net: NetConfig,
    /// Options and planted bugs.
    pub options: ProtocolOptions,
    /// Background workload clients.
    pub clients: u32,
}

impl Default for Setup {
    /// The app's first run: five nodes, seed 1, one client, running the first protocol of this build (Raft when it
    /// is compiled in).
    fn default() -> Self {
        Setup {
            protocol: AnyNode::names()[0].into(),
            nodes: 5,
            seed: 1,
            net: NetConfig::default(),
            options: ProtocolOptions::default(),
            clients: 1,
        }
    }
}

/// How many nodes a run may have (a protocol may ask for more: `Protocol::check_nodes`).
pub const LAB_NODES: std::ops::RangeInclusive<u32> = 2..=9;
