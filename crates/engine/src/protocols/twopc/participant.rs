//! A participant: votes on its part of each transaction, holds its locks while prepared, applies
//! or discards what the coordinator decided, and, in doubt, asks until it learns the outcome.

use super::{DecidedTxn, PreparedTxn, TwoPcMsg, TwoPhaseCommit, COORDINATOR};
use crate::model::event::Event;
use crate::model::kv::KvOp;
use crate::model::types::{Key, NodeId, Value};
use crate::sim::protocol::Out;

impl TwoPhaseCommit {
    /// Phase 1 at a participant. A transaction seen before gets the same vote again, without a new
    /// event; otherwise the participant prepares (durably, before the vote leaves) or refuses.
    pub(super) fn handle_prepare(
        &mut self,
        txn: u64,
        ops: Vec<KvOp>,
        participants: Vec<NodeId>,
        out: &mut Out<TwoPcMsg>,
    ) {
        let p = &self.d.participant;
        if let Some(d) = p.decided.get(&txn) {
            let vote = match d.commit {
                true => TwoPcMsg::VoteYes { txn, reads: vec![] },
                false => TwoPcMsg::VoteNo { txn },
            };
            return out.send(COORDINATOR, vote);
        }
        if let Some(prepared) = p.prepared.get(&txn) {
            let reads = prepared.reads.clone();
            return out.send(COORDINATOR, TwoPcMsg::VoteYes { txn, reads });
        }
        match self.evaluate(&ops) {
            Some(reads) => self.prepare(txn, ops, participants, reads, out),
            None => self.refuse(txn, ops, out),
        }
    }

    /// Can this participant promise to commit `ops`? The values its reads see; `None` if a key
    /// is locked by another prepared transaction, or a `cas` finds another value than it expects.
    fn evaluate(&self, ops: &[KvOp]) -> Option<Vec<(Key, Option<Value>)>> {
        let p = &self.d.participant;
        let mut reads = Vec::new();
        for op in ops {
            if self.locked(op.key()) {
                return None;
            }
            let current = p.store.get(&op.key()).copied();
            match op {
                KvOp::Get { key } => reads.push((*key, current)),
                KvOp::Cas { from, .. } if *from != current => return None,
                _ => {}
            }
        }
        Some(reads)
    }

    /// Is `key` locked by a prepared transaction? (Never, with the planted bug `no-locks`.)
    pub(super) fn locked(&self, key: Key) -> bool {
        let prepared = self.d.participant.prepared.values();
        let mut keys = prepared.flat_map(|t| &t.ops).map(KvOp::key);
        !self.cfg.bugs.no_locks && keys.any(|k| k == key)
    }

    /// Votes yes: locks, staged writes and reads on disk first, then the vote.
    fn prepare(
        &mut self,
        txn: u64,
        ops: Vec<KvOp>,
        participants: Vec<NodeId>,
        reads: Vec<(Key, Option<Value>)>,
        out: &mut Out<TwoPcMsg>,
    ) {
        let prepared = PreparedTxn {
            ops,
            participants,
            reads: reads.clone(),
        };
        self.d.participant.prepared.insert(txn, prepared);
        self.part.waited.insert(txn, 0);
        out.emit(Event::Vote {
            node: self.id,
            txn,
            yes: true,
        });
        out.send(COORDINATOR, TwoPcMsg::VoteYes { txn, reads });
        self.arm_tick(out);
    }

    /// Votes no, which is also a unilateral abort: this participant promised nothing.
    fn refuse(&mut self, txn: u64, ops: Vec<KvOp>, out: &mut Out<TwoPcMsg>) {
        self.record_refusal(txn, ops, out);
        out.send(COORDINATOR, TwoPcMsg::VoteNo { txn });
    }

    /// Records a no vote and its abort, durably.
    fn record_refusal(&mut self, txn: u64, ops: Vec<KvOp>, out: &mut Out<TwoPcMsg>) {
        let decided = DecidedTxn { ops, commit: false };
        self.d.participant.decided.insert(txn, decided);
        out.emit(Event::Vote {
            node: self.id,
            txn,
            yes: false,
        });
        out.emit(Event::Decide {
            node: self.id,
            txn,
            commit: false,
        });
    }

    /// Phase 2 at a participant (`Commit`, `Abort`, or an `Outcome` answering its question): the
    /// decision is applied once; a commit from the coordinator is acknowledged (an abort too with
    /// `presumed-nothing`: under presumed abort nobody waits for it).
    pub(super) fn handle_outcome(
        &mut self,
        from: NodeId,
        txn: u64,
        commit: bool,
        out: &mut Out<TwoPcMsg>,
    ) {
        if !self.is_participant() {
            return;
        }
        if !self.d.participant.decided.contains_key(&txn) {
            self.learn(txn, commit, out);
        }
        if from == COORDINATOR && (commit || self.cfg.presumed_nothing) {
            out.send(COORDINATOR, TwoPcMsg::Ack { txn });
        }
    }

    /// Applies (commit) or discards (abort) a prepared transaction and releases its locks.
    ///
    /// A decision about a transaction this participant never prepared cannot be a commit in a
    /// correct run: the coordinator commits only with this participant's yes vote, which is on
    /// disk. With the `volatile-prepare` bug it can be: the participant forgot its vote in a
    /// crash, has no writes to apply, and can only record the transaction as aborted.
    fn learn(&mut self, txn: u64, commit: bool, out: &mut Out<TwoPcMsg>) {
        let p = &mut self.d.participant;
        let (ops, commit) = match p.prepared.remove(&txn) {
            Some(prepared) => (prepared.ops, commit),
            None => (Vec::new(), false),
        };
        if commit {
            for (key, value) in writes(&ops) {
                p.store.insert(key, value);
            }
        }
        p.decided.insert(txn, DecidedTxn { ops, commit });
        self.part.waited.remove(&txn);
        out.emit(Event::Decide {
            node: self.id,
            txn,
            commit,
        });
    }

    /// With `cooperative`, another participant asks about `txn`: its outcome if decided; nothing
    /// if prepared (this node is as uncertain); and if `txn` was never prepared here, a refusal,
    /// which makes the outcome abort.
    pub(super) fn answer_peer(&mut self, from: NodeId, txn: u64, out: &mut Out<TwoPcMsg>) {
        if !self.cfg.cooperative || !self.is_participant() {
            return;
        }
        let p = &self.d.participant;
        if let Some(d) = p.decided.get(&txn) {
            let commit = d.commit;
            return out.send(from, TwoPcMsg::Outcome { txn, commit });
        }
        if p.prepared.contains_key(&txn) {
            return;
        }
        self.record_refusal(txn, Vec::new(), out);
        out.send(from, TwoPcMsg::Outcome { txn, commit: false });
    }

    /// A tick: each prepared transaction has waited one tick more. In doubt long enough, the
    /// participant asks the coordinator, and when blocked (with `cooperative`) the others too.
    pub(super) fn participant_tick(&mut self, out: &mut Out<TwoPcMsg>) {
        let cfg = &self.cfg;
        let mut asks = Vec::new();
        for (txn, waited) in &mut self.part.waited {
            *waited += 1;
            let due = *waited >= cfg.doubt_ticks
                && (*waited - cfg.doubt_ticks).is_multiple_of(cfg.ask_ticks);
            if due {
                asks.push((*txn, *waited >= cfg.blocked_ticks));
            }
        }
        for (txn, blocked) in asks {
            self.ask(txn, blocked && self.cfg.cooperative, out);
        }
        if !self.d.participant.prepared.is_empty() {
            self.arm_tick(out);
        }
    }

    /// Asks the coordinator how `txn` ended; with `peers`, also the other participants.
    fn ask(&self, txn: u64, peers: bool, out: &mut Out<TwoPcMsg>) {
        out.send(COORDINATOR, TwoPcMsg::WhatHappened { txn });
        let Some(prepared) = self.d.participant.prepared.get(&txn) else {
            return;
        };
        let others = prepared.participants.iter().filter(|p| **p != self.id);
        for p in others.filter(|_| peers) {
            out.send(*p, TwoPcMsg::WhatHappened { txn });
        }
    }

    /// Restart: every prepared transaction on disk is in doubt; ask the coordinator at once.
    pub(super) fn recover_in_doubt(&mut self, out: &mut Out<TwoPcMsg>) {
        let txns: Vec<u64> = self.d.participant.prepared.keys().copied().collect();
        for txn in txns {
            self.part.waited.insert(txn, 0);
            self.ask(txn, false, out);
        }
        if !self.d.participant.prepared.is_empty() {
            self.arm_tick(out);
        }
    }

    /// Holds a prepared transaction it has waited on past the blocking timeout.
    pub(super) fn is_blocked(&self) -> bool {
        let limit = self.cfg.blocked_ticks;
        self.part.waited.values().any(|w| *w >= limit)
    }
}

/// The writes of a participant's operations: `put`s, and `cas`es (checked when preparing).
pub(super) fn writes(ops: &[KvOp]) -> impl Iterator<Item = (Key, Value)> + '_ {
    ops.iter().filter_map(|op| match *op {
        KvOp::Put { key, value } => Some((key, value)),
        KvOp::Cas { key, to, .. } => Some((key, to)),
        KvOp::Get { .. } => None,
    })
}
