//! What a run measured, read from its trace as it is recorded: availability, recovery time per
//! fault, client latency and throughput, messages per operation, and two-phase commit's blocked
//! time. Every protocol's trace holds the events these read, so one [`Metrics`] compares them all.
//!
//! [`Metrics`] is an observer: [`Metrics::observe`] takes each event once, in order, and keeps
//! running sums, so following a live run costs a few operations per event (the app feeds it the
//! new events of each frame; a seek backwards starts a fresh one). [`Metrics::report`] summarises.
//!
//! Definitions (docs/metrics.md has them with examples):
//! - **Availability**: clients are *unserved* while some operation has waited longer than
//!   [`STUCK`] and none completed (ok or fail) in the last [`STUCK`]; an ordinary operation never
//!   waits that long, so only a real outage counts. Availability is the share of time not
//!   unserved, counted once every client has had an operation completed (the first election and
//!   clients finding the leader are start-up, not a failure; a run in which some client is never
//!   served counts from the start). [`Bin`]s of [`BIN`] give the series a chart draws.
//! - **Recovery** of a fault (a crash, a partition, a cut link): *detection* is the first role
//!   change away from the steady state after it (a follower standing as candidate, a backup
//!   probing, a participant blocking), *election* ends when a node takes a leading role (leader,
//!   primary, coordinator, proposer), *catch-up* ends at the first commit, apply, choice or decision
//!   after that, and *served* is the first completion of a client operation whose request was
//!   sent after the fault (an answer already on its way says nothing about the cluster after the
//!   fault). A fault no role change followed (a follower's crash) has only *served*.
//! - **Blocked time** (two-phase commit): how long participants waited between voting yes and
//!   learning the outcome.

mod report;

pub use report::{FaultReport, MetricsReport, Percentiles};

use crate::model::text::{join, text, Phrase, Text};
use std::collections::{BTreeMap, BTreeSet};

use crate::model::event::{Event, Stamped};
use crate::model::types::{Addr, ClientId, Micros, NodeId, OpId, MS};

/// The width of a bin of the availability series.
pub const BIN: Micros = 100 * MS;

/// How long a client may wait, with nothing completing, before the cluster counts as unserving.
pub const STUCK: Micros = 100 * MS;

/// Roles that lead: the node clients are served through.
const LEADING: &[&str] = crate::model::view::LEADING_ROLES;

/// Roles a healthy cluster sits in; a change to any other role is a reaction to a fault.
const STEADY: &[&str] = &[
    "follower",
    "backup",
    "shadow",
    "participant",
    "acceptor",
    "learner",
    "spare",
];

/// One [`BIN`] of the availability series.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Bin {
    /// Operations completed in it (ok or fail).
    pub completed: u32,
    /// How long clients went unserved in it.
    pub unserved: Micros,
}

/// A fault and the moments of its recovery.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fault {
    /// When it happened.
    pub at: Micros,
    /// What it was, with the role of the node it hit (`crash n3 (leader)`).
    pub what: String,
    /// First reaction: a node leaving its steady role.
    pub detected: Option<Micros>,
    /// A node took a leading role after the detection.
    pub led: Option<Micros>,
    /// The first commit, apply, choice or decision after that.
    pub caught_up: Option<Micros>,
    /// The first client operation completed after the fault.
    pub served: Option<Micros>,
}

/// A completed client operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Done {
    /// When it completed.
    pub at: Micros,
    /// Invoke to completion.
    pub latency: Micros,
    /// Ok (true) or fail.
    pub ok: bool,
}

/// An operation waiting for its answer.
#[derive(Clone, Copy, Debug)]
struct Pending {
    invoked: Micros,
    /// When its client last sent it to a node.
    asked: Micros,
}

/// Running measurements of one run (see the module documentation).
#[derive(Clone, Debug, Default)]
pub struct Metrics {
    bins: Vec<Bin>,
    pending: BTreeMap<(ClientId, OpId), Pending>,
    done: Vec<Done>,
    info: u64,
    invoked: u64,
    proto_sends: u64,
    faults: Vec<Fault>,
    roles: BTreeMap<NodeId, String>,
    restarted: Option<(NodeId, Micros)>,
    voted: BTreeMap<(NodeId, u64), Micros>,
    blocked: Vec<Micros>,
    liveness_at: Option<Micros>,
    serving_since: Option<Micros>,
    waiting: BTreeSet<(Micros, ClientId, OpId)>,
    last_completed: Micros,
    unserved: Micros,
    unserved_clients: BTreeSet<ClientId>,
    served_once: BTreeSet<ClientId>,
    now: Micros,
}

impl Metrics {
    /// An observer that has seen nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes the next event of the run (events must come in trace order).
    pub fn observe<M>(&mut self, s: &Stamped<M>) {
        self.advance(s.t);
        match &s.ev {
            Event::Send { from, to, .. } => match (from, to) {
                (Addr::Node(_), Addr::Node(_)) => self.proto_sends += 1,
                (Addr::Client(c), _) => self.asked(*c, s.t),
                _ => {}
            },
            Event::Invoke { client, op, .. } => {
                self.invoked += 1;
                if self.serving_since.is_none() && !self.served_once.contains(client) {
                    self.unserved_clients.insert(*client);
                }
                self.pending.insert(
                    (*client, *op),
                    Pending {
                        invoked: s.t,
                        asked: s.t,
                    },
                );
                self.waiting.insert((s.t, *client, *op));
            }
            Event::Ok { client, op, .. } => self.complete(s.t, (*client, *op), true),
            Event::Fail { client, op, .. } => self.complete(s.t, (*client, *op), false),
            Event::Info { client, op } => {
                if let Some(p) = self.pending.remove(&(*client, *op)) {
                    self.waiting.remove(&(p.invoked, *client, *op));
                    self.info += 1;
                }
            }
            Event::Crash { node } => {
                let role = self.roles.get(node).cloned().unwrap_or_default();
                self.fault(s.t, text!(CrashOf, node, role).to_string());
            }
            Event::Restart { node } => self.restarted = Some((*node, s.t)),
            Event::Partition { groups } => self.fault(s.t, partition_text(groups, &self.roles)),
            Event::Cut { from, to } => self.fault(s.t, text!(CutOf, from, to).to_string()),
            Event::Role { node, role, .. } => self.role(s.t, *node, role),
            Event::Commit { .. }
            | Event::Apply { .. }
            | Event::Chosen { .. }
            | Event::Decide { .. } => self.progress(s.t),
            _ => {}
        }
        if let Event::Vote { node, txn, yes } = &s.ev {
            if *yes {
                self.voted.insert((*node, *txn), s.t);
            }
        }
        if let Event::Decide { node, txn, .. } = &s.ev {
            if let Some(t) = self.voted.remove(&(*node, *txn)) {
                self.blocked.push(s.t - t);
            }
        }
        if let Event::Phase { name } = &s.ev {
            if name == "liveness" {
                self.liveness_at = Some(s.t);
            }
        }
    }

    /// The availability series so far.
    pub fn bins(&self) -> &[Bin] {
        &self.bins
    }

    /// How long clients went unserved, in the time availability counts.
    pub fn unserved(&self) -> Micros {
        self.unserved
    }

    /// The time availability counts: from the moment every client had an operation completed
    /// (the whole run if that never happened).
    pub fn counted(&self) -> Micros {
        self.now - self.serving_since.unwrap_or(0)
    }

    /// Every completed operation so far, in completion order.
    pub fn done(&self) -> &[Done] {
        &self.done
    }

    /// Every fault so far, with its recovery.
    pub fn faults(&self) -> &[Fault] {
        &self.faults
    }

    /// The time of the last event seen.
    pub fn now(&self) -> Micros {
        self.now
    }

    /// Accounts the time from the last event up to `t`, in which nothing completed.
    fn advance(&mut self, t: Micros) {
        let from = self.now;
        self.now = self.now.max(t);
        self.bin(t);
        let Some((oldest, _, _)) = self.waiting.first() else {
            return;
        };
        let start = from.max(oldest + STUCK).max(self.last_completed + STUCK);
        if start >= self.now {
            return;
        }
        if self.serving_since.is_some() {
            self.unserved += self.now - start;
        }
        let mut at = start;
        while at < self.now {
            let end = (at / BIN + 1).saturating_mul(BIN).min(self.now);
            self.bin(at).unserved += end - at;
            at = end;
        }
    }

    fn bin(&mut self, t: Micros) -> &mut Bin {
        self.bin_at(bin_of(t))
    }

    fn bin_at(&mut self, b: usize) -> &mut Bin {
        if self.bins.len() <= b {
            self.bins.resize(b + 1, Bin::default());
        }
        &mut self.bins[b]
    }

    /// A client sent its request (again): a client has one operation in flight at a time.
    fn asked(&mut self, client: ClientId, t: Micros) {
        let ops = self.pending.range_mut((client, 0)..=(client, OpId::MAX));
        ops.for_each(|(_, p)| p.asked = t);
    }

    fn complete(&mut self, at: Micros, key: (ClientId, OpId), ok: bool) {
        let Some(p) = self.pending.remove(&key) else {
            return;
        };
        self.waiting.remove(&(p.invoked, key.0, key.1));
        self.last_completed = at;
        self.bin(at).completed += 1;
        self.unserved_clients.remove(&key.0);
        self.served_once.insert(key.0);
        if self.unserved_clients.is_empty() && self.serving_since.is_none() {
            self.serving_since = Some(at);
        }
        self.done.push(Done {
            at,
            latency: at - p.invoked,
            ok,
        });
        // Only a request sent after the fault shows the cluster serving again: an answer already
        // on its way when the leader crashed says nothing about the cluster after the crash.
        for f in self
            .faults
            .iter_mut()
            .filter(|f| f.served.is_none() && f.at <= p.asked)
        {
            f.served = Some(at);
        }
    }

    fn fault(&mut self, at: Micros, what: String) {
        self.faults.push(Fault {
            at,
            what,
            detected: None,
            led: None,
            caught_up: None,
            served: None,
        });
    }

    fn role(&mut self, at: Micros, node: NodeId, role: &str) {
        let changed = self.roles.get(&node).is_none_or(|r| r != role);
        self.roles.insert(node, role.to_string());
        let rebooting = self.restarted == Some((node, at));
        if !changed || rebooting {
            return;
        }
        let leading = LEADING.contains(&role);
        for f in self.faults.iter_mut().filter(|f| f.served.is_none()) {
            if f.detected.is_none() && (leading || !STEADY.contains(&role)) {
                // A backup that takes over at once detects and is elected in one step.
                f.detected = Some(at);
            }
            if f.detected.is_some() && f.led.is_none() && leading {
                f.led = Some(at);
            }
        }
    }

    fn progress(&mut self, at: Micros) {
        for f in self.faults.iter_mut() {
            if f.led.is_some() && f.caught_up.is_none() {
                f.caught_up = Some(at);
            }
        }
    }
}

fn bin_of(t: Micros) -> usize {
    usize::try_from(t / BIN).unwrap_or(usize::MAX - 1)
}

/// `partition {1,2} | {3,4,5} (leader n1 in the minority)`.
fn partition_text(groups: &[Vec<NodeId>], roles: &BTreeMap<NodeId, String>) -> String {
    let text: Vec<String> = groups
        .iter()
        .map(|g| {
            let ids: Vec<String> = g.iter().map(|n| format!("n{n}")).collect();
            format!("{{{}}}", ids.join(","))
        })
        .collect();
    let largest = groups.iter().map(Vec::len).max().unwrap_or(0);
    let cut_off: Vec<Text> = groups
        .iter()
        .filter(|g| g.len() < largest)
        .flatten()
        .filter(|n| roles.get(n).is_some_and(|r| LEADING.contains(&r.as_str())))
        .map(|n| text!(RoleNode, &roles[n], n))
        .collect();
    if cut_off.is_empty() {
        text!(PartitionOf, text.join(" | ")).to_string()
    } else {
        let cut_off = join(cut_off, Phrase::Commas);
        text!(PartitionCutOff, text.join(" | "), cut_off).to_string()
    }
}

#[cfg(test)]
mod tests;
