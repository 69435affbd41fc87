//! The client history of a run, and its linearizability verdict.
//!
//! [`ClientHistory`] follows `invoke` / `ok` / `fail` / `info` events and remembers, per operation,
//! what was asked, when, and what came back. At the end of a run (or of a trace read back by
//! `quorum check`) it is handed to the linearizability checker of [`crate::check::lin`]: operations that
//! failed are left out (they definitely did not happen), except a `cas` that failed because the
//! key held another value (`fail` with `mismatch`): that one read the key, and is checked as a
//! read that saw anything but its `from`. Operations without an answer are uncertain (they may
//! have happened at any instant after their invocation, or never).

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::check::lin::{check_history, LinKind, LinOp, LinResult};
use crate::check::Violation;
use crate::model::chunked::ChunkedVec;
use crate::model::event::Event;
use crate::model::kv::KvOp;
use crate::model::text::{text, Text};
use crate::model::types::{ClientId, Key, Micros, OpId, Value};

/// Search steps allowed per key before the verdict is "unknown".
pub const LIN_BUDGET_PER_KEY: u64 = 2_000_000;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Outcome {
    Pending,
    Ok(Micros, Option<Value>),
    /// A `cas` that found another value than it expected, answered at this instant.
    Mismatch(Micros),
    Fail,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct OpRecord {
    op: OpId,
    client: ClientId,
    invoke: Micros,
    kv: KvOp,
    outcome: Outcome,
}

/// Every client operation of a run, as seen in the trace.
///
/// Records are kept in invocation order in copy-on-write chunks (snapshots share them). The
/// simulator numbers operations 1, 2, 3, ... in that order, so the record of op `n` is found at
/// position `n - 1`; traces from elsewhere may number them otherwise, and those are found through
/// `index`.
#[derive(Clone, Debug, Default)]
pub struct ClientHistory {
    ops: ChunkedVec<OpRecord>,
    index: BTreeMap<OpId, usize>,
    completed: u64,
}

impl ClientHistory {
    /// Follows one event.
    pub fn observe<M>(&mut self, t: Micros, ev: &Event<M>) {
        match ev {
            Event::Invoke { client, op, kv } => {
                if *op != self.ops.len() as OpId + 1 {
                    self.index.insert(*op, self.ops.len());
                }
                let (client, kv) = (*client, kv.clone());
                let record = OpRecord {
                    op: *op,
                    client,
                    invoke: t,
                    kv,
                    outcome: Outcome::Pending,
                };
                self.ops.push(record);
            }
            Event::Ok { op, value, .. } => self.complete(*op, Outcome::Ok(t, *value)),
            Event::Fail {
                op, mismatch: true, ..
            } => self.complete(*op, Outcome::Mismatch(t)),
            Event::Fail { op, .. } => self.complete(*op, Outcome::Fail),
            _ => {}
        }
    }

    fn position(&self, op: OpId) -> Option<usize> {
        let direct = op.checked_sub(1).map(|p| p as usize);
        match direct.and_then(|p| self.ops.get(p).map(|r| (p, r.op))) {
            Some((p, found)) if found == op => Some(p),
            _ => self.index.get(&op).copied(),
        }
    }

    fn complete(&mut self, op: OpId, outcome: Outcome) {
        let Some(p) = self.position(op) else { return };
        if let Some(r) = self.ops.get_mut(p) {
            if r.outcome == Outcome::Pending {
                r.outcome = outcome;
                self.completed += 1;
            }
        }
    }

    /// Counts the memory held.
    pub fn measure(&self, m: &mut crate::model::chunked::Meter) {
        m.chunked(&self.ops);
        m.add(self.index.len() * 48);
    }

    /// Operations answered with `ok` or `fail` so far.
    pub fn completed(&self) -> u64 {
        self.completed
    }

    /// Operations each client has had answered with `ok` or `fail` so far (clients with none
    /// are absent).
    pub fn completed_per_client(&self) -> BTreeMap<ClientId, u64> {
        let mut per_client = BTreeMap::new();
        let done = self.ops.iter().filter(|r| r.outcome != Outcome::Pending);
        for r in done {
            *per_client.entry(r.client).or_default() += 1;
        }
        per_client
    }

    /// Of clients `1..=clients`, those with no operation answered since `before` (an earlier
    /// [`ClientHistory::completed_per_client`]): the liveness phase requires every client to
    /// make progress, not merely some.
    pub fn stalled_since(&self, before: &BTreeMap<ClientId, u64>, clients: u32) -> Vec<ClientId> {
        let now = self.completed_per_client();
        (1..=clients)
            .filter(|c| now.get(c) == before.get(c))
            .collect()
    }

    /// Operations invoked so far.
    pub fn invoked(&self) -> usize {
        self.ops.len()
    }

    /// The history in the checker's terms, one entry per operation that may have happened.
    pub fn lin_ops(&self) -> Vec<(Key, LinOp)> {
        self.ops
            .iter()
            .filter_map(|r| Some((r.kv.key(), lin_op(r.op, r)?)))
            .collect()
    }
}

fn lin_op(op: OpId, r: &OpRecord) -> Option<LinOp> {
    let (complete, kind) = match (&r.outcome, &r.kv) {
        (Outcome::Fail, _) => return None,
        (Outcome::Mismatch(t), KvOp::Cas { from, .. }) => {
            (Some(*t), LinKind::CasFailed { from: *from })
        }
        (Outcome::Mismatch(_), _) => return None,
        (Outcome::Pending, kv) => (None, lin_kind(kv, None)),
        (Outcome::Ok(t, read), kv) => (Some(*t), lin_kind(kv, *read)),
    };
    Some(LinOp {
        client: r.client,
        op,
        invoke: r.invoke,
        complete,
        kind,
    })
}

/// What an operation that took effect did, `read` being what a `get` saw.
fn lin_kind(kv: &KvOp, read: Option<Value>) -> LinKind {
    match kv {
        KvOp::Put { value, .. } => LinKind::Put { value: *value },
        KvOp::Get { .. } => LinKind::Get { value: read },
        KvOp::Cas { from, to, .. } => LinKind::Cas {
            from: *from,
            to: *to,
        },
    }
}

/// The linearizability verdict of a history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinReport {
    /// Operations checked.
    pub ops: usize,
    /// The first key that failed or was undecided.
    pub key: Option<Key>,
    /// The verdict.
    pub result: LinResult,
}

impl LinReport {
    /// Whether the checker reached a verdict. `false`: the search gave up, so the history was
    /// not verified (it may or may not be linearizable), and a run must say so.
    pub fn decided(&self) -> bool {
        self.result != LinResult::Unknown
    }

    /// The verdict in words for a run's summary: `Linearizable`, `Violation on key K`, or
    /// `NOT VERIFIED (the search gave up on key K)`.
    pub fn verdict(&self) -> String {
        let key = self.key.unwrap_or_default();
        match self.result {
            LinResult::Linearizable => "Linearizable".into(),
            LinResult::Violation { .. } => format!("Violation on key {key}"),
            LinResult::Unknown => format!("NOT VERIFIED (the search gave up on key {key})"),
        }
    }

    /// Why the history is not linearizable, in a paragraph of plain words (see
    /// [`crate::check::witness`]); `None` unless the verdict is a violation.
    pub fn explanation(&self) -> Option<Text> {
        match &self.result {
            LinResult::Violation { witness, .. } => {
                Some(witness.explain(self.key.unwrap_or_default()))
            }
            _ => None,
        }
    }

    /// The violation this report amounts to, if any.
    pub fn violation(&self, t: Micros) -> Option<Violation> {
        match &self.result {
            LinResult::Violation { detail, .. } => Some(Violation {
                t,
                invariant: Cow::Borrowed("Linearizability"),
                detail: text!(LinKey, self.key.unwrap_or_default(), detail).to_string(),
            }),
            _ => None,
        }
    }
}

/// Checks a history for linearizability, key by key.
pub fn check_client_history(ops: Vec<(Key, LinOp)>) -> LinReport {
    let n = ops.len();
    let (key, result) = check_history(&ops, LIN_BUDGET_PER_KEY);
    LinReport {
        ops: n,
        key,
        result,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::trace::RawMsg;

    fn invoke(client: ClientId, op: OpId, kv: KvOp) -> Event<RawMsg> {
        Event::Invoke { client, op, kv }
    }

    fn ok(client: ClientId, op: OpId) -> Event<RawMsg> {
        Event::Ok {
            client,
            op,
            value: None,
        }
    }

    fn fail(client: ClientId, op: OpId, mismatch: bool) -> Event<RawMsg> {
        Event::Fail {
            client,
            op,
            mismatch,
        }
    }

    /// `put 1 7` answered ok, then `cas 1 FROM -> 9` answered fail (with or without mismatch).
    fn put_then_failed_cas(from: Value, mismatch: bool) -> LinReport {
        let mut h = ClientHistory::default();
        h.observe(0, &invoke(1, 1, KvOp::Put { key: 1, value: 7 }));
        h.observe(5, &ok(1, 1));
        let cas = KvOp::Cas {
            key: 1,
            from: Some(from),
            to: 9,
        };
        h.observe(10, &invoke(1, 2, cas));
        h.observe(15, &fail(1, 2, mismatch));
        check_client_history(h.lin_ops())
    }

    #[test]
    fn a_cas_answered_failed_although_the_key_held_its_value_is_a_linearizability_violation() {
        let wrong = put_then_failed_cas(7, true);
        let v = wrong.violation(15).expect("a wrongly failed cas is caught");
        assert!(v.detail.contains("cas 7 failed"), "{}", v.detail);
        assert!(put_then_failed_cas(8, true).violation(15).is_none());
        assert!(
            put_then_failed_cas(7, false).violation(15).is_none(),
            "a cas never executed (aborted, not chosen) reads nothing"
        );
    }

    #[test]
    fn a_client_that_completes_nothing_is_stalled_though_another_progresses() {
        let mut h = ClientHistory::default();
        h.observe(0, &invoke(1, 1, KvOp::Get { key: 1 }));
        h.observe(0, &invoke(2, 2, KvOp::Get { key: 1 }));
        let before = h.completed_per_client();
        h.observe(5, &ok(1, 1));
        assert!(h.completed() > 0, "some client progressed");
        assert_eq!(h.stalled_since(&before, 2), vec![2]);
        h.observe(6, &fail(2, 2, false));
        assert!(h.stalled_since(&before, 2).is_empty());
    }
}
