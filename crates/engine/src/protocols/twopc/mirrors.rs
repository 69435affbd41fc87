//! MirrorsAgree: a key and its mirror go through the same committed writes, in the same order.
//!
//! Every transaction on key `k` also writes (or reads) key `k + 1000` on the next participant
//! ([`super::mirror_op`]), so the two copies should always hold the same value once both have
//! applied the same commits. That takes more than Atomicity (every participant decides the same
//! outcome): two transactions on `k` must also reach both copies in the same order. The locks
//! make it so: a participant holds a key's lock from its yes vote until it applies the decision,
//! so a second transaction on the key cannot prepare on either copy while the first is
//! undecided anywhere.
//!
//! The checker reads `begin` (the transaction's command and participants, which say what each
//! participant writes) and the participants' `decide` lines. For each key it follows, on each
//! copy, the chain of committed transactions that wrote the pair: when both copies have applied
//! a transaction, the one before it must be the same on both.

use crate::model::text::text;
use std::collections::BTreeMap;

use super::{next_participant, shard};
use crate::check::Invariant;
use crate::model::chunked::Meter;
use crate::model::event::{Event, Message};
use crate::model::kv::KvOp;
use crate::model::types::{Key, Micros, NodeId};

/// Where a transaction writes a key and its mirror, and what each copy held before it.
#[derive(Clone, Debug)]
struct Pair {
    key: Key,
    home: NodeId,
    mirror: NodeId,
    /// The transaction each copy applied before this one (0: none), once it has applied it.
    home_after: Option<u64>,
    mirror_after: Option<u64>,
}

/// MirrorsAgree: a key and its mirror go through the same committed writes in the same order.
#[derive(Clone, Debug, Default)]
pub struct MirrorsAgree {
    nodes: u32,
    /// Writing transactions begun and not yet applied on both copies.
    pairs: BTreeMap<u64, Pair>,
    /// Per key: the last transaction applied to the key itself, and to its mirror.
    last: BTreeMap<Key, (u64, u64)>,
}

impl MirrorsAgree {
    /// A checker for a cluster of `nodes` (which fixes the shards).
    pub fn new(nodes: u32) -> Self {
        MirrorsAgree {
            nodes,
            ..MirrorsAgree::default()
        }
    }

    fn begin(&mut self, txn: u64, kv: &KvOp) {
        if matches!(kv, KvOp::Get { .. }) {
            return;
        }
        let key = kv.key();
        let home = shard(key, self.nodes);
        let pair = Pair {
            key,
            home,
            mirror: next_participant(home, self.nodes),
            home_after: None,
            mirror_after: None,
        };
        self.pairs.insert(txn, pair);
    }

    fn commit(&mut self, node: NodeId, txn: u64) -> Option<String> {
        let pair = self.pairs.get_mut(&txn)?;
        let last = self.last.entry(pair.key).or_default();
        if node == pair.home && pair.home_after.is_none() {
            pair.home_after = Some(std::mem::replace(&mut last.0, txn));
        }
        if node == pair.mirror && pair.mirror_after.is_none() {
            pair.mirror_after = Some(std::mem::replace(&mut last.1, txn));
        }
        let (Some(home_after), Some(mirror_after)) = (pair.home_after, pair.mirror_after) else {
            return None;
        };
        let pair = self.pairs.remove(&txn)?;
        (home_after != mirror_after).then(|| {
            let mirror = pair.key.wrapping_add(super::MIRROR_OFFSET);
            let (home, key) = (pair.home, pair.key);
            text!(
                MirrorsDiffer,
                home,
                txn,
                key,
                home_after,
                pair.mirror,
                mirror,
                mirror_after
            )
            .to_string()
        })
    }
}

impl<M: Message + 'static> Invariant<M> for MirrorsAgree {
    fn name(&self) -> &'static str {
        "MirrorsAgree"
    }

    fn describe(&self) -> &'static str {
        "A key and its mirror on the next participant go through the same committed writes, in the same order."
    }

    fn observe(&mut self, _t: Micros, ev: &Event<M>) -> Option<String> {
        match ev {
            Event::Begin { txn, cmd, .. } => {
                self.begin(*txn, &cmd.kv);
                None
            }
            Event::Decide {
                node,
                txn,
                commit: true,
            } => self.commit(*node, *txn),
            Event::Decide {
                txn, commit: false, ..
            } => {
                self.pairs.remove(txn);
                None
            }
            _ => None,
        }
    }

    fn measure(&self, m: &mut Meter) {
        m.add(std::mem::size_of_val(self) + (self.pairs.len() + self.last.len()) * 64);
    }

    fn box_clone(&self) -> Box<dyn Invariant<M>> {
        Box::new(self.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::kv::Cmd;
    use crate::model::trace::RawMsg;

    fn begin(txn: u64, value: u64) -> Event<RawMsg> {
        let kv = KvOp::Put { key: 1, value };
        Event::Begin {
            node: 1,
            txn,
            cmd: Cmd {
                client: 1,
                op: txn,
                kv,
            },
            participants: vec![2, 3],
        }
    }

    fn commit(node: NodeId, txn: u64) -> Event<RawMsg> {
        Event::Decide {
            node,
            txn,
            commit: true,
        }
    }

    fn feed(evs: &[Event<RawMsg>]) -> Vec<String> {
        let mut c = MirrorsAgree::new(4);
        evs.iter().filter_map(|e| c.observe(0, e)).collect()
    }

    #[test]
    fn two_commits_reaching_a_key_and_its_mirror_in_different_orders_are_caught() {
        // Key 1 lives on node 2, its mirror 1001 on node 3.
        let same = [
            begin(1, 5),
            begin(2, 6),
            commit(2, 1),
            commit(3, 1),
            commit(3, 2),
            commit(2, 2),
        ];
        assert!(feed(&same).is_empty(), "{:?}", feed(&same));
        let crossed = [
            begin(1, 5),
            begin(2, 6),
            commit(2, 1),
            commit(2, 2),
            commit(3, 2),
            commit(3, 1),
        ];
        let found = feed(&crossed);
        assert_eq!(found.len(), 2, "t2 and then t1 cross: {found:?}");
        assert!(found[0].contains("n2 applied t2 to key 1 after t1, but n3 applied it to the mirror key 1001 after t0"), "{found:?}");
    }
}
