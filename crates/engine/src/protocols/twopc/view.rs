//! What viewers show of a two-phase-commit node: one log cell per transaction, the votes the
//! coordinator collects, a participant's store, and the inspector's fields.

use super::{TwoPhaseCommit, TxnRecord, COORDINATOR};
use crate::model::kv::KvOp;
use crate::model::view::{CellState, LogCell, NodeDetail};
use crate::replicated::short_value;
use crate::sim::protocol::Inspection;

/// Transactions listed one by one in the inspector; beyond this, the latest ones.
const SHOWN_TXNS: usize = 8;

/// `put 1=5`, `get 1001`, `cas 2 5→7`.
fn op_label(op: &KvOp) -> String {
    match op {
        KvOp::Put { key, value } => format!("put {key}={}", short_value(*value)),
        KvOp::Get { key } => format!("get {key}"),
        KvOp::Cas { key, from, to } => {
            let from = from.map_or("none".to_string(), short_value);
            format!("cas {key} {from}\u{2192}{}", short_value(*to))
        }
    }
}

/// `t7 put 1=5`, with `✗` for an abort; `t7 refused` for a transaction never prepared.
fn txn_label(txn: u64, ops: &[KvOp], commit: Option<bool>) -> String {
    let body: Vec<String> = ops.iter().map(op_label).collect();
    let body = if body.is_empty() {
        "refused".to_string()
    } else {
        body.join(", ")
    };
    match commit {
        Some(false) => format!("t{txn} \u{2717} {body}"),
        _ => format!("t{txn} {body}"),
    }
}

fn cell(txn: u64, ops: &[KvOp], commit: Option<bool>) -> LogCell {
    LogCell {
        epoch: txn % 8,
        state: match commit {
            Some(true) => CellState::Committed,
            _ => CellState::Pending,
        },
        label: txn_label(txn, ops, commit),
    }
}

/// The last `SHOWN_TXNS` items, as `[a b c]`.
fn latest(items: impl DoubleEndedIterator<Item = String>) -> String {
    let mut last: Vec<String> = items.rev().take(SHOWN_TXNS).collect();
    last.reverse();
    format!("[{}]", last.join(" "))
}

fn outcome_mark(commit: Option<bool>) -> &'static str {
    match commit {
        Some(true) => "C",
        Some(false) => "A",
        None => "?",
    }
}

impl TwoPhaseCommit {
    /// Every transaction the coordinator knows, in id order: its log, and under presumed abort
    /// the transactions being voted on (aborted ones it has forgotten).
    fn known(&self) -> Vec<(u64, &TxnRecord)> {
        let logged = self.d.coordinator.log.iter();
        let voting = self.coord.voting.iter().map(|(t, r)| (*t, r));
        let mut all: Vec<(u64, &TxnRecord)> = logged.chain(voting).collect();
        all.sort_by_key(|(t, _)| *t);
        all
    }

    /// The coordinator's cells: one per transaction it knows.
    fn coordinator_cells(&self) -> Vec<LogCell> {
        self.known()
            .into_iter()
            .map(|(txn, r)| cell(txn, std::slice::from_ref(&r.cmd.kv), r.outcome))
            .collect()
    }

    /// A participant's cells: one per transaction it prepared or decided, in id order.
    fn participant_cells(&self) -> Vec<LogCell> {
        let p = &self.d.participant;
        let decided = p.decided.iter().map(|(t, d)| (t, &d.ops, Some(d.commit)));
        let prepared = p.prepared.iter().map(|(t, x)| (*t, &x.ops, None));
        let mut all: Vec<_> = decided.chain(prepared).collect();
        all.sort_by_key(|(t, _, _)| *t);
        all.into_iter().map(|(t, ops, c)| cell(t, ops, c)).collect()
    }

    /// The coordinator's yes votes for its oldest undecided transaction, and how many it needs.
    fn collecting(&self) -> (Vec<u32>, u32) {
        let undecided = self
            .coord
            .active
            .iter()
            .find(|(t, _)| self.record(**t).is_some_and(|r| r.outcome.is_none()));
        match undecided {
            Some((t, a)) => {
                let needed = self.record(*t).map_or(0, |r| r.participants.len() as u32);
                (a.votes.iter().copied().collect(), needed)
            }
            None => (Vec::new(), 0),
        }
    }

    /// One cell per transaction, votes being collected, the participant's store.
    pub(super) fn node_detail(&self) -> NodeDetail {
        let mut log = Vec::new();
        let mut plays = Vec::new();
        if self.is_coordinator() {
            log.extend(self.coordinator_cells());
            plays.push("coordinator");
        }
        if self.is_participant() {
            log.extend(self.participant_cells());
            plays.push("participant");
        }
        let (votes, quorum) = self.collecting();
        let doubt: Vec<String> = self
            .d
            .participant
            .prepared
            .keys()
            .map(|t| format!("t{t}"))
            .collect();
        NodeDetail {
            log,
            votes,
            quorum,
            kv: self.store_entries(),
            leader: Some(COORDINATOR),
            plays,
            caption: (!doubt.is_empty()).then(|| format!("in doubt: {}", doubt.join(" "))),
            ..NodeDetail::default()
        }
    }

    fn store_entries(&self) -> Vec<(u32, u64)> {
        let store = &self.d.participant.store;
        store.iter().map(|(k, v)| (*k, *v)).collect()
    }

    fn coordinator_fields(&self, fields: &mut Inspection) {
        let log = &self.d.coordinator.log;
        let known = self.known();
        let voting = known.iter().filter(|(_, r)| r.outcome.is_none());
        let unacked = log.iter().filter(|(_, r)| r.outcome.is_some() && !r.done);
        let commits = log.values().filter(|r| r.outcome == Some(true)).count();
        fields.push(("txns", (self.d.coordinator.next_txn - 1).to_string()));
        fields.push(("voting", latest(voting.map(|(t, _)| format!("t{t}")))));
        fields.push(("unacked", latest(unacked.map(|(t, _)| format!("t{t}")))));
        let aborts = self.decided_count() as usize - commits;
        fields.push(("decided", format!("{commits}C/{aborts}A")));
        let recent = log
            .iter()
            .map(|(t, r)| format!("t{t}{}", outcome_mark(r.outcome)));
        fields.push(("log", latest(recent)));
        if !self.coord.recovering.is_empty() {
            let rec = self.coord.recovering.iter().map(|t| format!("t{t}"));
            fields.push(("recovering", latest(rec)));
        }
    }

    fn participant_fields(&self, fields: &mut Inspection) {
        let p = &self.d.participant;
        let locks = p.prepared.values().flat_map(|t| &t.ops).map(|o| o.key());
        let locks: Vec<String> = locks.map(|k| k.to_string()).collect();
        fields.push(("locks", format!("[{}]", locks.join(" "))));
        let prepared = p.prepared.keys().map(|t| format!("t{t}"));
        fields.push(("prepared", latest(prepared)));
        let decided = p
            .decided
            .iter()
            .map(|(t, d)| format!("t{t}{}", outcome_mark(Some(d.commit))));
        fields.push(("decided", latest(decided)));
        let store: Vec<String> = p
            .store
            .iter()
            .map(|(k, v)| format!("{k}={}", short_value(*v)))
            .collect();
        fields.push(("store", store.join(" ")));
    }

    /// Labelled fields for inspectors and `status` lines.
    pub(super) fn inspection(&self) -> Inspection {
        let mut fields = vec![("role", self.role_name().to_string())];
        if self.is_coordinator() {
            self.coordinator_fields(&mut fields);
        }
        if self.is_participant() {
            self.participant_fields(&mut fields);
        }
        fields
    }
}
