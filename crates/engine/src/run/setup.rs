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

/// A protocol with options, as `quorum compare --protocols` names it: `raft`, `raft:prevote`,
/// `raft:election-max-ms=151:!noop`. After the name, `:`-separated options: `NAME` or `NAME=on`
/// (on), `!NAME` or `NAME=off` (off), `NAME=N` (a number). Checked when a run is configured.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Variant {
    /// The text it was read from: how tables name it.
    pub label: String,
    /// Protocol name.
    pub protocol: String,
    /// Its options.
    pub options: ProtocolOptions,
}

impl std::str::FromStr for Variant {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let mut parts = s.split(':');
        let protocol = parts.next().unwrap_or("").trim().to_string();
        let mut options = ProtocolOptions::default();
        for o in parts {
            let (name, value) = o.split_once('=').unwrap_or((o, "on"));
            match (name.strip_prefix('!'), value) {
                (Some(off), "on") => options.flags.push((off.to_string(), false)),
                (None, "on" | "true") => options.flags.push((name.to_string(), true)),
                (None, "off" | "false") => options.flags.push((name.to_string(), false)),
                (None, n) if !name.is_empty() => match n.parse() {
                    Ok(n) => options.values.push((name.to_string(), n)),
                    Err(_) => {
                        return Err(format!(
                            "{s:?}: option {o:?} is not NAME, !NAME or NAME=on|off|NUMBER"
                        ))
                    }
                },
                _ => {
                    return Err(format!(
                        "{s:?}: option {o:?} is not NAME, !NAME or NAME=on|off|NUMBER"
                    ))
                }
            }
        }
        Ok(Variant {
            label: s.trim().to_string(),
            protocol,
            options,
        })
    }
}

#[cfg(test)]
mod variant_tests {
    use super::*;

    #[test]
    fn a_variant_reads_its_protocol_and_options() {
        let v: Variant = "raft:prevote:!noop:election-max-ms=151".parse().unwrap();
        assert_eq!(v.protocol, "raft");
        assert_eq!(v.label, "raft:prevote:!noop:election-max-ms=151");
        assert_eq!(v.options.flag("prevote"), Some(true));
        assert_eq!(v.options.flag("noop"), Some(false));
        assert_eq!(v.options.value("election-max-ms"), Some(151));
        let plain: Variant = "multi-paxos".parse().unwrap();
        assert_eq!(plain.options, ProtocolOptions::default());
        for bad in ["raft:=3", "raft:x=y", "raft:!x=off"] {
            assert!(bad.parse::<Variant>().is_err(), "{bad}");
        }
    }
}
