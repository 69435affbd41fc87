//! The safety properties of Paxos, as observers of the trace.
//!
//! - **Agreement**: at most one value is chosen per slot. A value counts as chosen when a majority
//!   of acceptors accepted it in the same ballot (`accept` events), or when a learner says it learned
//!   it (`chosen` events, which a buggy learner may emit too early).
//! - **Validity**: only a proposed value can be chosen (`propose` events).
//! - **PromiseMonotonic**: an acceptor's promise never goes backwards, and it never accepts below
//!   its promise.
//! - **StateMachineSafety**: no two nodes apply different commands at the same slot (the store).

use std::collections::{BTreeMap, BTreeSet};

use crate::check::Invariant;
use crate::model::event::{Event, Message};
use crate::model::types::{Micros, NodeId};

/// The checkers of a Paxos or Multi-Paxos run over `n` nodes.
pub fn checkers<M: Message + 'static>(n: u32) -> Vec<Box<dyn Invariant<M>>> {
    vec![
        Box::new(Agreement {
            majority: n / 2 + 1,
            ..Agreement::default()
        }),
        Box::new(Validity::default()),
        Box::new(PromiseMonotonic::default()),
        Box::new(crate::check::StateMachineSafety::default()),
    ]
}

/// Agreement: at most one value is chosen per slot.
#[derive(Clone, Debug, Default)]
pub struct Agreement {
    majority: u32,
    /// (slot, ballot) -> value digest -> acceptors.
    votes: BTreeMap<(u64, u64), BTreeMap<u64, BTreeSet<NodeId>>>,
    /// slot -> (value digest, how it became known).
    chosen: BTreeMap<u64, (u64, String)>,
}

impl Agreement {
    fn choose(&mut self, slot: u64, digest: u64, how: String) -> Option<String> {
        match self.chosen.get(&slot) {
            Some((d, earlier)) if *d != digest => Some(format!(
                "two values chosen in slot {slot}: {earlier}, and a different one {how}"
            )),
            Some(_) => None,
            None => {
                self.chosen.insert(slot, (digest, how));
                None
            }
        }
    }
}

impl<M: Message + 'static> Invariant<M> for Agreement {
    fn name(&self) -> &'static str {
        "Agreement"
    }

    fn describe(&self) -> &'static str {
        "At most one value is chosen in each slot."
    }

    fn observe(&mut self, _t: Micros, ev: &Event<M>) -> Option<String> {
        match ev {
            Event::Accept {
                node,
                slot,
                ballot,
                cmd,
            } => {
                let digest = cmd.digest();
                let voters = self
                    .votes
                    .entry((*slot, *ballot))
                    .or_default()
                    .entry(digest)
                    .or_default();
                voters.insert(*node);
                let count = voters.len() as u32;
                (count == self.majority)
                    .then(|| format!("accepted by a majority in ballot {}", super::show(*ballot)))
                    .and_then(|how| self.choose(*slot, digest, how))
            }
            Event::Chosen { node, slot, cmd } => {
                self.choose(*slot, cmd.digest(), format!("learned by node {node}"))
            }
            _ => None,
        }
    }

    fn box_clone(&self) -> Box<dyn Invariant<M>> {
        Box::new(self.clone())
    }
}

/// Validity: only a value that was proposed can be accepted or learned.
#[derive(Clone, Debug, Default)]
pub struct Validity {
    proposed: BTreeMap<u64, BTreeSet<u64>>,
}

impl<M: Message + 'static> Invariant<M> for Validity {
    fn name(&self) -> &'static str {
        "Validity"
    }

    fn describe(&self) -> &'static str {
        "Only a proposed value can be chosen."
    }

    fn observe(&mut self, _t: Micros, ev: &Event<M>) -> Option<String> {
        match ev {
            Event::Propose { slot, cmd, .. } => {
                self.proposed.entry(*slot).or_default().insert(cmd.digest());
                None
            }
            Event::Accept {
                node, slot, cmd, ..
            }
            | Event::Chosen { node, slot, cmd } => {
                let known = self
                    .proposed
                    .get(slot)
                    .is_some_and(|p| p.contains(&cmd.digest()));
                (!known).then(|| {
                    format!("node {node} took a value in slot {slot} that nobody proposed")
                })
            }
            _ => None,
        }
    }

    fn box_clone(&self) -> Box<dyn Invariant<M>> {
        Box::new(self.clone())
    }
}

/// PromiseMonotonic: an acceptor's promise never decreases and it never accepts below it.
#[derive(Clone, Debug, Default)]
pub struct PromiseMonotonic {
    promised: BTreeMap<NodeId, u64>,
}

impl<M: Message + 'static> Invariant<M> for PromiseMonotonic {
    fn name(&self) -> &'static str {
        "PromiseMonotonic"
    }

    fn describe(&self) -> &'static str {
        "An acceptor's promise never goes backwards, and it never accepts a ballot below it."
    }

    fn observe(&mut self, _t: Micros, ev: &Event<M>) -> Option<String> {
        match ev {
            Event::Promise { node, ballot } => {
                let before = self.promised.insert(*node, *ballot).unwrap_or(0);
                (*ballot < before).then(|| {
                    self.promised.insert(*node, before);
                    format!(
                        "acceptor {node} promised ballot {} after promising {}",
                        super::show(*ballot),
                        super::show(before)
                    )
                })
            }
            Event::Accept {
                node, ballot, slot, ..
            } => {
                let promised = self.promised.get(node).copied().unwrap_or(0);
                if *ballot > promised {
                    self.promised.insert(*node, *ballot);
                }
                (*ballot < promised).then(|| {
                    format!(
                        "acceptor {node} accepted ballot {} in slot {slot} after promising {}",
                        super::show(*ballot),
                        super::show(promised)
                    )
                })
            }
            _ => None,
        }
    }

    fn box_clone(&self) -> Box<dyn Invariant<M>> {
        Box::new(self.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::kv::Command;
    use crate::model::trace::RawMsg;

    fn value(n: u64) -> Command {
        Command::Client(crate::model::kv::Cmd {
            client: 1,
            op: n,
            kv: crate::model::kv::KvOp::Get { key: 1 },
        })
    }

    fn feed(c: &mut dyn Invariant<RawMsg>, evs: Vec<Event<RawMsg>>) -> Vec<String> {
        evs.iter().filter_map(|e| c.observe(0, e)).collect()
    }

    #[test]
    fn agreement_fails_when_two_majorities_accept_different_values() {
        let mut a = Agreement {
            majority: 2,
            ..Agreement::default()
        };
        let acc = |node, ballot, v| Event::Accept {
            node,
            slot: 1,
            ballot,
            cmd: value(v),
        };
        let ok = feed(
            &mut a,
            vec![
                acc(1, 101, 7),
                acc(2, 101, 7),
                acc(3, 202, 7),
                acc(1, 202, 7),
            ],
        );
        assert!(ok.is_empty());
        let bad = feed(&mut a, vec![acc(2, 303, 8), acc(3, 303, 8)]);
        assert_eq!(bad.len(), 1, "{bad:?}");
        let mut b = Agreement {
            majority: 2,
            ..Agreement::default()
        };
        let learned = feed(
            &mut b,
            vec![
                Event::Chosen {
                    node: 1,
                    slot: 1,
                    cmd: value(1),
                },
                acc(1, 101, 2),
                acc(2, 101, 2),
            ],
        );
        assert_eq!(learned.len(), 1);
    }

    #[test]
    fn validity_fails_for_an_unproposed_value() {
        let mut v = Validity::default();
        let prop = Event::Propose {
            node: 1,
            slot: 1,
            ballot: 101,
            cmd: value(1),
        };
        assert!(feed(
            &mut v,
            vec![
                prop,
                Event::Accept {
                    node: 2,
                    slot: 1,
                    ballot: 101,
                    cmd: value(1)
                }
            ]
        )
        .is_empty());
        assert_eq!(
            feed(
                &mut v,
                vec![Event::Accept {
                    node: 2,
                    slot: 1,
                    ballot: 101,
                    cmd: value(9)
                }]
            )
            .len(),
            1
        );
    }

    #[test]
    fn promises_never_go_backwards() {
        let mut p = PromiseMonotonic::default();
        assert!(feed(
            &mut p,
            vec![
                Event::Promise {
                    node: 1,
                    ballot: 201
                },
                Event::Promise {
                    node: 1,
                    ballot: 302
                }
            ]
        )
        .is_empty());
        assert_eq!(
            feed(
                &mut p,
                vec![Event::Promise {
                    node: 1,
                    ballot: 102
                }]
            )
            .len(),
            1
        );
        assert_eq!(
            feed(
                &mut p,
                vec![Event::Accept {
                    node: 1,
                    slot: 1,
                    ballot: 201,
                    cmd: value(1)
                }]
            )
            .len(),
            1
        );
    }
}
