//! The network model: latency, loss, duplication, partitions and one-way cuts.
//!
//! Every message draws its own latency uniformly from `latency_min..=latency_max`, so messages
//! between the same two nodes can overtake each other: reordering falls out of the model. Loss and
//! duplication are integer probabilities (parts per million). A partition assigns every node a
//! group; only nodes of the same group can talk. A cut removes one direction of one link. Clients
//! sit outside the cluster: partitions and cuts do not touch them, latency, loss and duplication do.

use std::collections::BTreeSet;

use crate::model::rng::Ppm;
use crate::model::types::{Addr, Micros, NodeId, MS};

/// Latency, loss and duplication settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct NetConfig {
    /// Shortest one-way latency.
    pub latency_min: Micros,
    /// Longest one-way latency.
    pub latency_max: Micros,
    /// Probability that a message is lost.
    pub loss_ppm: Ppm,
    /// Probability that a message is delivered twice.
    pub dup_ppm: Ppm,
}

impl Default for NetConfig {
    fn default() -> Self {
        NetConfig {
            latency_min: 5 * MS,
            latency_max: 15 * MS,
            loss_ppm: 0,
            dup_ppm: 0,
        }
    }
}

/// The network's current shape.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Network {
    /// Latency and loss settings.
    pub config: NetConfig,
    /// Partition group of each node (index `id - 1`); all zero when healed.
    group: Vec<u32>,
    /// Cut one-way links `(from, to)`.
    cuts: BTreeSet<(NodeId, NodeId)>,
}

impl Network {
    /// A fully connected network of `n` nodes.
    pub fn new(n: u32, config: NetConfig) -> Self {
        Network {
            config,
            group: vec![0; n as usize],
            cuts: BTreeSet::new(),
        }
    }

    /// Can a message from `from` reach `to` right now?
    pub fn reachable(&self, from: Addr, to: Addr) -> bool {
        match (from, to) {
            (Addr::Node(a), Addr::Node(b)) => self.nodes_connected(a, b),
            _ => true,
        }
    }

    fn nodes_connected(&self, a: NodeId, b: NodeId) -> bool {
        let ga = self.group.get(a as usize - 1);
        let gb = self.group.get(b as usize - 1);
        ga == gb && !self.cuts.contains(&(a, b))
    }

    /// Splits the nodes into `groups`; nodes not named form one more group together.
    pub fn partition(&mut self, groups: &[Vec<NodeId>]) {
        let rest = groups.len() as u32 + 1;
        self.group.iter_mut().for_each(|g| *g = rest);
        for (i, members) in groups.iter().enumerate() {
            for &n in members {
                if let Some(g) = self.group.get_mut(n as usize - 1) {
                    *g = i as u32 + 1;
                }
            }
        }
    }

    /// Cuts the one-way link `from -> to`.
    pub fn cut(&mut self, from: NodeId, to: NodeId) {
        self.cuts.insert((from, to));
    }

    /// Repairs every partition and cut.
    pub fn heal(&mut self) {
        self.group.iter_mut().for_each(|g| *g = 0);
        self.cuts.clear();
    }

    /// Is the network whole (no partition, no cut)?
    pub fn is_healed(&self) -> bool {
        self.cuts.is_empty() && self.group.iter().all(|g| *g == self.group[0])
    }

    /// The current partition groups (one group when healed).
    pub fn groups(&self) -> Vec<Vec<NodeId>> {
        let mut ids: Vec<u32> = self.group.clone();
        ids.sort_unstable();
        ids.dedup();
        ids.iter()
            .map(|g| {
                (1..=self.group.len() as u32)
                    .filter(|n| self.group[*n as usize - 1] == *g)
                    .collect()
            })
            .collect()
    }

    /// The cut one-way links.
    pub fn cuts(&self) -> impl Iterator<Item = (NodeId, NodeId)> + '_ {
        self.cuts.iter().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partition_separates_groups_but_not_clients() {
        let mut net = Network::new(5, NetConfig::default());
        net.partition(&[vec![1, 2], vec![3, 4, 5]]);
        assert!(net.reachable(Addr::Node(1), Addr::Node(2)));
        assert!(!net.reachable(Addr::Node(1), Addr::Node(3)));
        assert!(net.reachable(Addr::Client(1), Addr::Node(3)));
        assert_eq!(net.groups(), vec![vec![1, 2], vec![3, 4, 5]]);
        net.heal();
        assert!(net.reachable(Addr::Node(1), Addr::Node(3)));
        assert!(net.is_healed());
    }

    #[test]
    fn unnamed_nodes_form_their_own_group() {
        let mut net = Network::new(5, NetConfig::default());
        net.partition(&[vec![1]]);
        assert!(!net.reachable(Addr::Node(1), Addr::Node(2)));
        assert!(net.reachable(Addr::Node(2), Addr::Node(5)));
    }

    #[test]
    fn a_cut_is_one_way() {
        let mut net = Network::new(3, NetConfig::default());
        net.cut(1, 2);
        assert!(!net.reachable(Addr::Node(1), Addr::Node(2)));
        assert!(net.reachable(Addr::Node(2), Addr::Node(1)));
        assert!(!net.is_healed());
    }
}
