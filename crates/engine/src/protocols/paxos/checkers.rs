//! The safety properties of Paxos, as observers of the trace.
//!
//! - **Agreement**: at most one value is chosen per slot. A value counts as chosen when a majority
//!   of acceptors accepted it in the same ballot (`accept` events), or when a learner says it learned
//!   it (`chosen` events, which a buggy learner may emit too early).
//! - **LearnedImpliesChosen**: a learner learns only a chosen value: when a node says it learned a
//!   value in a slot (`chosen`), a majority of acceptors has already accepted that value in one
//!   ballot (`accept` events before it). A learner that counts too few acceptances is caught at
//!   the moment it learns, whether or not a second value is ever chosen.
//! - **Validity**: only a proposed value can be chosen (`propose` events).
//! - **PromiseMonotonic**: an acceptor's promise never goes backwards, and it never accepts below
//!   its promise.
//! - **StateMachineSafety**: no two nodes apply different commands at the same slot (the store).

use crate::model::text::text;
use std::collections::{BTreeMap, BTreeSet};

use crate::check::Invariant;
use crate::model::chunked::Meter;
use crate::model::chunked_map::ChunkedMap;
use crate::model::event::{Event, Message};
use crate::model::types::{Micros, NodeId};

/// The checkers of a Paxos or Multi-Paxos run over `n` nodes.
pub fn checkers<M: Message + 'static>(n: u32) -> Vec<Box<dyn Invariant<M>>> {
    vec![
        Box::new(Agreement {
            acceptances: Acceptances::new(n),
            ..Agreement::default()
        }),
        Box::new(LearnedImpliesChosen {
            acceptances: Acceptances::new(n),
        }),
        Box::new(Validity::default()),
        Box::new(PromiseMonotonic::default()),
        Box::new(crate::check::StateMachineSafety::default()),
    ]
}

/// The acceptances of a run, from its `accept` events: which acceptors accepted which value in
/// which ballot of which slot. What Agreement and LearnedImpliesChosen both count. Once a value
/// has a majority in a slot its count is done: its votes are dropped and only the fact is kept,
/// so a long run holds the votes of its open slots only.
#[derive(Clone, Debug, Default)]
pub struct Acceptances {
    majority: u32,
    /// (slot, ballot) -> value digest -> acceptors, for values without a majority yet.
    votes: BTreeMap<(u64, u64), BTreeMap<u64, BTreeSet<NodeId>>>,
    /// slot -> the values that had a majority in one ballot.
    reached: ChunkedMap<Vec<u64>>,
}

impl Acceptances {
    /// No acceptances yet, in a cluster of `n` acceptors.
    pub fn new(n: u32) -> Self {
        Acceptances {
            majority: n / 2 + 1,
            ..Acceptances::default()
        }
    }

    /// Records that `node` accepted the value with `digest` in `ballot` of `slot`; true when
    /// this acceptance is the one that makes a majority (the value is chosen now).
    pub fn accept(&mut self, node: NodeId, slot: u64, ballot: u64, digest: u64) -> bool {
        if self.reached(slot, digest) {
            return false;
        }
        let voters = self
            .votes
            .entry((slot, ballot))
            .or_default()
            .entry(digest)
            .or_default();
        if !(voters.insert(node) && voters.len() as u32 == self.majority) {
            return false;
        }
        self.reached.entry(slot, Vec::new).push(digest);
        self.forget(slot, digest);
        true
    }

    fn reached(&self, slot: u64, digest: u64) -> bool {
        self.reached.get(&slot).is_some_and(|d| d.contains(&digest))
    }

    /// Drops the votes for a value that has its majority in `slot`.
    fn forget(&mut self, slot: u64, digest: u64) {
        let keys: Vec<(u64, u64)> = self
            .votes
            .range((slot, 0)..=(slot, u64::MAX))
            .map(|(k, _)| *k)
            .collect();
        for k in keys {
            if let Some(values) = self.votes.get_mut(&k) {
                values.remove(&digest);
                if values.is_empty() {
                    self.votes.remove(&k);
                }
            }
        }
    }

    /// The most acceptors that accepted the value with `digest` in any one ballot of `slot`
    /// (a majority, once it had one).
    pub fn most(&self, slot: u64, digest: u64) -> usize {
        if self.reached(slot, digest) {
            return self.majority as usize;
        }
        let ballots = self.votes.range((slot, 0)..=(slot, u64::MAX));
        let counts = ballots.filter_map(|(_, values)| values.get(&digest).map(BTreeSet::len));
        counts.max().unwrap_or(0)
    }

    fn measure(&self, m: &mut Meter) {
        m.add(self.votes.values().map(|v| 48 + v.len() * 64).sum());
        self.reached.measure(m, 24);
    }
}

/// How a slot's value became known to be chosen, for the violation message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum How {
    /// A majority accepted it in this ballot.
    Majority(u64),
    /// This node said it learned it.
    Learned(NodeId),
}

impl std::fmt::Display for How {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            How::Majority(b) => write!(f, "{}", text!(ByMajority, super::show(*b))),
            How::Learned(n) => write!(f, "{}", text!(LearnedBy, n)),
        }
    }
}

/// Agreement: at most one value is chosen per slot.
#[derive(Clone, Debug, Default)]
pub struct Agreement {
    acceptances: Acceptances,
    /// slot -> (value digest, how it became known).
    chosen: ChunkedMap<(u64, How)>,
}

impl Agreement {
    fn choose(&mut self, slot: u64, digest: u64, how: How) -> Option<String> {
        let (d, earlier) = *self.chosen.entry(slot, || (digest, how));
        (d != digest)
            .then(|| text!(TwoChosen, slot, earlier.to_string(), how.to_string()).to_string())
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
                self.acceptances
                    .accept(*node, *slot, *ballot, digest)
                    .then_some(How::Majority(*ballot))
                    .and_then(|how| self.choose(*slot, digest, how))
            }
            Event::Chosen { node, slot, cmd } => {
                self.choose(*slot, cmd.digest(), How::Learned(*node))
            }
            _ => None,
        }
    }

    fn measure(&self, m: &mut Meter) {
        self.acceptances.measure(m);
        self.chosen.measure(m, 0);
    }

    fn box_clone(&self) -> Box<dyn Invariant<M>> {
        Box::new(self.clone())
    }
}

/// LearnedImpliesChosen: a node learns (`chosen`) only a value that a majority of acceptors has
/// accepted in one ballot ("Paxos Made Simple", section 2.3: a learner must find out that a
/// majority accepted a proposal).
#[derive(Clone, Debug, Default)]
pub struct LearnedImpliesChosen {
    acceptances: Acceptances,
}

impl<M: Message + 'static> Invariant<M> for LearnedImpliesChosen {
    fn name(&self) -> &'static str {
        "LearnedImpliesChosen"
    }

    fn describe(&self) -> &'static str {
        "A node learns a value only once a majority of acceptors has accepted it in one ballot."
    }

    fn observe(&mut self, _t: Micros, ev: &Event<M>) -> Option<String> {
        match ev {
            Event::Accept {
                node,
                slot,
                ballot,
                cmd,
            } => {
                self.acceptances.accept(*node, *slot, *ballot, cmd.digest());
                None
            }
            Event::Chosen { node, slot, cmd } => {
                let most = self.acceptances.most(*slot, cmd.digest());
                let majority = self.acceptances.majority as usize;
                (most < majority)
                    .then(|| text!(LearnedMinority, node, slot, most, majority).to_string())
            }
            _ => None,
        }
    }

    fn measure(&self, m: &mut Meter) {
        self.acceptances.measure(m);
    }

    fn box_clone(&self) -> Box<dyn Invariant<M>> {
        Box::new(self.clone())
    }
}

/// Validity: only a value that was proposed can be accepted or learned.
#[derive(Clone, Debug, Default)]
pub struct Validity {
    proposed: ChunkedMap<Vec<u64>>,
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
                let digests = self.proposed.entry(*slot, Vec::new);
                if !digests.contains(&cmd.digest()) {
                    digests.push(cmd.digest());
                }
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
                (!known).then(|| text!(NobodyProposed, node, slot).to_string())
            }
            _ => None,
        }
    }

    fn measure(&self, m: &mut Meter) {
        self.proposed.measure(m, 24);
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
                    text!(
                        PromisedAfter,
                        node,
                        super::show(*ballot),
                        super::show(before)
                    )
                    .to_string()
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
                    let (b, p) = (super::show(*ballot), super::show(promised));
                    text!(AcceptedAfter, node, b, slot, p).to_string()
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
            acceptances: Acceptances::new(3),
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
            acceptances: Acceptances::new(3),
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
    fn a_value_learned_before_a_majority_accepted_it_is_caught_when_it_is_learned() {
        let mut c = LearnedImpliesChosen {
            acceptances: Acceptances::new(5),
        };
        let acc = |node, ballot, v| Event::Accept {
            node,
            slot: 1,
            ballot,
            cmd: value(v),
        };
        let learn = |node, v| Event::Chosen {
            node,
            slot: 1,
            cmd: value(v),
        };
        let split = vec![acc(1, 101, 7), acc(2, 101, 7), acc(3, 202, 7), learn(1, 7)];
        let early = feed(&mut c, split);
        assert_eq!(
            early.len(),
            1,
            "two in one ballot and one in another: {early:?}"
        );
        assert!(early[0].contains("at most 2 acceptors"), "{early:?}");
        let chosen = feed(&mut c, vec![acc(4, 202, 7), acc(5, 202, 7), learn(2, 7)]);
        assert!(chosen.is_empty(), "three of five in ballot 2.2: {chosen:?}");
        assert_eq!(feed(&mut c, vec![learn(3, 8)]).len(), 1, "never accepted");
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
