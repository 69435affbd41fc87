//! The client history of a run, and its linearizability verdict.
//!
//! [`ClientHistory`] follows `invoke` / `ok` / `fail` / `info` events and remembers, per operation,
//! what was asked, when, and what came back. At the end of a run (or of a trace read back by
//! `quorum check`) it is handed to the linearizability checker of [`crate::check::lin`]: operations that
//! failed are left out (they definitely did not happen), operations without an answer are
//! uncertain (they may have happened at any instant after their invocation, or never).

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::check::lin::{check_history, LinKind, LinOp, LinResult};
use crate::check::Violation;
use crate::model::chunked::ChunkedVec;
use crate::model::event::Event;
use crate::model::kv::KvOp;
use crate::model::types::{ClientId, Key, Micros, OpId, Value};

/// Search steps allowed per key before the verdict is "unknown".
pub const LIN_BUDGET_PER_KEY: u64 = 2_000_000;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Outcome {
    Pending,
    Ok(Micros, Option<Value>),
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
    let (complete, read) = match r.outcome {
        Outcome::Fail => return None,
        Outcome::Pending => (None, None),
        Outcome::Ok(t, v) => (Some(t), v),
    };
    let kind = match &r.kv {
        KvOp::Put { value, .. } => LinKind::Put { value: *value },
        KvOp::Get { .. } => LinKind::Get { value: read },
        KvOp::Cas { from, to, .. } => LinKind::Cas {
            from: *from,
            to: *to,
        },
    };
    Some(LinOp {
        client: r.client,
        op,
        invoke: r.invoke,
        complete,
        kind,
    })
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
    /// The violation this report amounts to, if any.
    pub fn violation(&self, t: Micros) -> Option<Violation> {
        match &self.result {
            LinResult::Violation { detail } => Some(Violation {
                t,
                invariant: Cow::Borrowed("Linearizability"),
                detail: format!("key {}: {detail}", self.key.unwrap_or_default()),
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
