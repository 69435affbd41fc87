//! What the fault-recovery protocols did, read from the trace, as small tables for the app: the
//! failover timeline of primary-backup, the transactions and in-doubt windows of two-phase commit,
//! the try blocks of each recovery block, and the checkpoints and recoveries of Raft.
//!
//! Each table is derived from the trace up to the present moment, so it follows time travel.

use std::collections::BTreeMap;

use crate::model::event::{Block, Event, Stamped};
use crate::model::text::{join, text, Phrase, Text};
use crate::model::types::{fmt_time, Micros, NodeId};

/// A titled table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Story {
    /// Panel title.
    pub title: &'static str,
    /// Column headings.
    pub columns: Vec<&'static str>,
    /// Rows, most recent last (at most [`ROWS`]).
    pub rows: Vec<Vec<Text>>,
    /// One sentence saying how to read it.
    pub note: &'static str,
}

/// Rows kept (the latest ones).
pub const ROWS: usize = 8;

/// The story of a run of `protocol` (`None` for protocols without one).
pub fn story<'a, M: 'a>(
    protocol: &str,
    trace: impl IntoIterator<Item = &'a Stamped<M>>,
    now: Micros,
) -> Option<Story> {
    let mut story = table(protocol, trace, now)?;
    let extra = story.rows.len().saturating_sub(ROWS);
    story.rows.drain(..extra);
    Some(story)
}

/// The whole table of `protocol`.
fn table<'a, M: 'a>(
    protocol: &str,
    trace: impl IntoIterator<Item = &'a Stamped<M>>,
    now: Micros,
) -> Option<Story> {
    match protocol {
        "primary-backup" => Some(failovers(trace, now)),
        "2pc" => Some(transactions(trace, now)),
        "recovery-block" => Some(recovery_blocks(trace)),
        "raft" => Some(checkpoints(trace)),
        _ => None,
    }
}

/// A duration in milliseconds, for "how long" columns.
fn span(from: Micros, to: Micros) -> String {
    fmt_time(to.saturating_sub(from))
}

/// A cell of plain numbers or names.
fn plain(s: String) -> Text {
    text!(Word, s)
}

/// An empty cell.
fn dash() -> Text {
    text!(Dash)
}

/// One epoch of primary-backup: who failed, when the failure was suspected, when the new
/// primary took over and when it had caught up (its first commit in the epoch).
#[derive(Default)]
struct Epoch {
    failure: Option<(NodeId, Micros)>,
    suspected: Option<Micros>,
    primary: Option<(NodeId, Micros)>,
    caught_up: Option<Micros>,
}

fn failovers<'a, M: 'a>(trace: impl IntoIterator<Item = &'a Stamped<M>>, now: Micros) -> Story {
    let mut epochs: BTreeMap<u64, Epoch> = BTreeMap::new();
    let mut primary: Option<(NodeId, u64)> = None;
    let mut lost: Option<(NodeId, Micros)> = None;
    for s in trace {
        match &s.ev {
            Event::Crash { node } if primary.is_some_and(|(p, _)| p == *node) => {
                lost = Some((*node, s.t));
            }
            Event::Role {
                node, role, epoch, ..
            } => {
                let e = epochs.entry(*epoch).or_default();
                match role.as_ref() {
                    "candidate" if e.suspected.is_none() => {
                        e.suspected = Some(s.t);
                        e.failure = lost.take();
                    }
                    "primary" if e.primary.is_none() => {
                        e.primary = Some((*node, s.t));
                        primary = Some((*node, *epoch));
                    }
                    _ => {}
                }
            }
            Event::Commit { node, .. } => {
                if let Some((p, epoch)) = primary.filter(|(p, _)| p == node) {
                    let e = epochs.entry(epoch).or_default();
                    if e.primary.is_some_and(|(q, _)| q == p) && e.caught_up.is_none() {
                        e.caught_up = Some(s.t);
                    }
                }
            }
            _ => {}
        }
    }
    let rows = epochs
        .into_iter()
        .filter(|(_, e)| e.primary.is_some() || e.suspected.is_some())
        .map(|(epoch, e)| failover_row(epoch, &e, now))
        .collect();
    Story {
        title: "Failover timeline",
        columns: vec![
            "epoch",
            "primary",
            "failure",
            "detected after",
            "promoted after",
            "caught up after",
        ],
        rows,
        note: "Detection: from the primary's crash to a backup standing as candidate (heartbeats \
               stopped). Promotion: from standing to winning a majority of votes. Catch-up: from \
               promotion to the new primary's first commit in its epoch.",
    }
}

fn failover_row(epoch: u64, e: &Epoch, now: Micros) -> Vec<Text> {
    let pending = |from: Micros| text!(Waiting, span(from, now));
    let primary = e
        .primary
        .map_or_else(dash, |(n, t)| text!(NodeAt, n, fmt_time(t)));
    let failure = e
        .failure
        .map_or_else(dash, |(n, t)| text!(CrashedAt, n, fmt_time(t)));
    let detected = match (e.failure, e.suspected) {
        (Some((_, f)), Some(s)) => plain(span(f, s)),
        (None, Some(_)) => text!(NoCrashSilence),
        _ => dash(),
    };
    let promoted = match (e.suspected, e.primary) {
        (Some(s), Some((_, p))) => plain(span(s, p)),
        (Some(s), None) => pending(s),
        _ => dash(),
    };
    let caught_up = match (e.primary, e.caught_up) {
        (Some((_, p)), Some(c)) => plain(span(p, c)),
        (Some((_, p)), None) => pending(p),
        _ => dash(),
    };
    vec![
        plain(epoch.to_string()),
        primary,
        failure,
        detected,
        promoted,
        caught_up,
    ]
}

/// One transaction of two-phase commit: votes, the coordinator's decision, and when each
/// participant learned the outcome.
#[derive(Default)]
struct Txn {
    votes: Vec<(NodeId, bool, Micros)>,
    decided: Option<(bool, Micros)>,
    learned: BTreeMap<NodeId, Micros>,
    /// When a participant first learned abort (under presumed abort, the coordinator may never
    /// decide a transaction it forgot in a crash: its participants are told abort when they ask).
    presumed_abort: Option<Micros>,
}

fn transactions<'a, M: 'a>(trace: impl IntoIterator<Item = &'a Stamped<M>>, now: Micros) -> Story {
    let mut txns: BTreeMap<u64, Txn> = BTreeMap::new();
    let mut blocked: BTreeMap<NodeId, bool> = BTreeMap::new();
    for s in trace {
        match &s.ev {
            Event::Vote { node, txn, yes } => {
                txns.entry(*txn).or_default().votes.push((*node, *yes, s.t));
            }
            Event::Decide { node, txn, commit } => {
                let t = txns.entry(*txn).or_default();
                if *node == 1 {
                    t.decided.get_or_insert((*commit, s.t));
                } else {
                    t.learned.entry(*node).or_insert(s.t);
                    let voted_yes = t.votes.iter().any(|(n, yes, _)| n == node && *yes);
                    if !*commit && voted_yes {
                        t.presumed_abort.get_or_insert(s.t);
                    }
                }
            }
            Event::Role { node, role, .. } => {
                blocked.insert(*node, role == "blocked");
            }
            _ => {}
        }
    }
    let rows = txns
        .into_iter()
        .map(|(id, t)| txn_row(id, &t, &blocked, now))
        .collect();
    Story {
        title: "Transactions",
        columns: vec![
            "txn",
            "votes",
            "decision",
            "in doubt (yes vote → outcome known)",
        ],
        rows,
        note: "A participant that voted yes may neither commit nor abort until it learns the \
               decision: while the coordinator is down it is blocked, holding its locks.",
    }
}

fn txn_row(id: u64, t: &Txn, blocked: &BTreeMap<NodeId, bool>, now: Micros) -> Vec<Text> {
    let votes: Vec<Text> = t
        .votes
        .iter()
        .map(|(n, yes, _)| {
            let vote = if *yes { Phrase::Yes } else { Phrase::No };
            text!(NodeSays, n, vote)
        })
        .collect();
    let decision = match (t.decided, t.presumed_abort) {
        (Some((commit, at)), _) => {
            let what = if commit {
                Phrase::Commit
            } else {
                Phrase::Abort
            };
            text!(DecidedAt, what, fmt_time(at))
        }
        (None, Some(at)) => text!(PresumedAbortAt, fmt_time(at)),
        (None, None) => text!(NoneYet),
    };
    let doubt: Vec<Text> = t
        .votes
        .iter()
        .filter(|(_, yes, _)| *yes)
        .map(|(n, _, voted)| match t.learned.get(n) {
            Some(at) => text!(NodeSays, n, span(*voted, *at)),
            None if blocked.get(n) == Some(&true) => text!(BlockedFor, n, span(*voted, now)),
            None => text!(WaitingFor, n, span(*voted, now)),
        })
        .collect();
    vec![
        plain(format!("t{id}")),
        join(votes, Phrase::Commas),
        decision,
        join(doubt, Phrase::Commas),
    ]
}

/// What happened to one input of a recovery block.
#[derive(Default)]
struct Input {
    steps: BTreeMap<NodeId, Vec<Text>>,
    output: Option<Text>,
}

fn recovery_blocks<'a, M: 'a>(trace: impl IntoIterator<Item = &'a Stamped<M>>) -> Story {
    let mut inputs: BTreeMap<u64, Input> = BTreeMap::new();
    let mut swap: Option<Text> = None;
    let short = |b: &Block| crate::model::text::block(*b);
    for s in trace {
        match &s.ev {
            Event::Test {
                node,
                input,
                block,
                pass,
                ..
            } => {
                let mark = if *pass { "\u{2713}" } else { "\u{2717}" };
                let steps = inputs
                    .entry(*input)
                    .or_default()
                    .steps
                    .entry(*node)
                    .or_default();
                steps.push(text!(Actor, short(block), mark));
            }
            Event::Rollback { node, input } => {
                let steps = inputs
                    .entry(*input)
                    .or_default()
                    .steps
                    .entry(*node)
                    .or_default();
                steps.push(text!(RollbackStep));
            }
            Event::Swap {
                node,
                former,
                epoch,
                reason,
                ..
            } => swap = Some(text!(TookOver, node, former, epoch, reason)),
            Event::Output {
                node,
                input,
                epoch,
                block,
                ..
            } => {
                let by = text!(DeliveredBy, node, short(block), epoch);
                let by = match swap.take() {
                    Some(s) => text!(Items, by, s),
                    None => by,
                };
                inputs.entry(*input).or_default().output = Some(by);
            }
            _ => {}
        }
    }
    let rows = inputs
        .into_iter()
        .map(|(id, i)| {
            let steps: Vec<Text> = i
                .steps
                .into_iter()
                .map(|(n, s)| text!(NodeSteps, n, join(s, Phrase::Arrows)))
                .collect();
            let output = i.output.unwrap_or_else(|| text!(NotYet));
            vec![plain(format!("i{id}")), join(steps, Phrase::Items), output]
        })
        .collect();
    Story {
        title: "Recovery blocks",
        columns: vec!["input", "try blocks and acceptance tests", "delivered by"],
        rows,
        note: "\u{2713}/\u{2717}: the acceptance test passed or failed. A failed test restores \
               the recovery point (rollback) before the next try block; the shadow ran the \
               alternate first and takes over when the primary node's result fails or it stops \
               answering.",
    }
}

/// Snapshots taken and recoveries made by each node.
#[derive(Default)]
struct Node {
    taken: u64,
    installed: u64,
    bytes: u64,
    last: u64,
    recovery: Option<(u64, u64)>,
}

fn checkpoints<'a, M: 'a>(trace: impl IntoIterator<Item = &'a Stamped<M>>) -> Story {
    let mut nodes: BTreeMap<NodeId, Node> = BTreeMap::new();
    for s in trace {
        match &s.ev {
            Event::Checkpoint {
                node,
                index,
                bytes,
                from,
                ..
            } => {
                let n = nodes.entry(*node).or_default();
                if from.is_some() {
                    n.installed += 1;
                } else {
                    n.taken += 1;
                    n.bytes += bytes;
                }
                n.last = *index;
            }
            Event::Recover {
                node,
                checkpoint,
                replayed,
            } => nodes.entry(*node).or_default().recovery = Some((*checkpoint, *replayed)),
            _ => {}
        }
    }
    let rows = nodes
        .into_iter()
        .map(|(id, n)| {
            let recovery = n
                .recovery
                .map_or_else(dash, |(c, r)| text!(FromSnapshot, c, r));
            vec![
                plain(format!("n{id}")),
                plain(n.taken.to_string()),
                plain(n.installed.to_string()),
                plain(n.last.to_string()),
                plain(format!("{}.{} KB", n.bytes / 1000, n.bytes % 1000 / 100)),
                recovery,
            ]
        })
        .collect();
    Story {
        title: "Checkpoints",
        columns: vec![
            "node",
            "snapshots taken",
            "installed",
            "last index",
            "written",
            "last recovery",
        ],
        rows,
        note: "A node snapshots its store every snapshot-interval applied entries and drops the \
               log before it; a restart loads the snapshot and replays only the entries after it.",
    }
}

/// The snapshot intervals the trade-off table compares (0: compaction off).
pub const TRADEOFF_INTERVALS: [u64; 6] = [8, 16, 32, 64, 128, 0];

/// The log-compaction trade-off for the lab's settings (protocol Raft): for each interval, one
/// chaos run of `duration` with the settings' seed, nodes, clients and network (crashes and
/// partitions drawn from the seed, as `quorum run --faults chaos`), its checkpoints and
/// recoveries added up. Small intervals cost more snapshots (bytes written); large ones make a
/// restart replay more of the log.
pub fn snapshot_tradeoff(
    config: &crate::run::setup::Setup,
    duration: Micros,
) -> Result<Vec<crate::run::runner::SnapshotFigures>, String> {
    TRADEOFF_INTERVALS
        .iter()
        .map(|&interval| tradeoff_run(config, interval, duration))
        .collect()
}

fn tradeoff_run(
    config: &crate::run::setup::Setup,
    interval: u64,
    duration: Micros,
) -> Result<crate::run::runner::SnapshotFigures, String> {
    use crate::protocols::any::{AnyConfig, AnyNode};
    let mut options = config.options.clone();
    options
        .values
        .retain(|(name, _)| name != "snapshot-interval");
    options.values.push(("snapshot-interval".into(), interval));
    let (protocol, checkers) = AnyConfig::for_protocol(&config.protocol, &options, config.nodes)?;
    let faults = crate::sim::faults::plan(
        crate::sim::faults::FaultLevel::Chaos,
        config.nodes,
        duration,
        config.seed,
        config.net,
    );
    let sim_config = crate::sim::world::SimConfig {
        nodes: config.nodes,
        seed: config.seed,
        net: config.net,
        protocol,
        clients: crate::sim::client::ClientConfig {
            count: config.clients.max(1),
            ..crate::sim::client::ClientConfig::default()
        },
        faults,
    };
    let history = crate::sim::timeline::HistoryConfig {
        snapshot_every_steps: u64::MAX,
        ..crate::sim::timeline::HistoryConfig::default()
    };
    let mut sim: crate::sim::timeline::Sim<AnyNode> = crate::sim::timeline::Sim::new(
        sim_config,
        crate::check::CheckerSet::new(checkers),
        history,
    );
    sim.run_until(duration);
    let mut figures = crate::run::runner::SnapshotFigures {
        interval,
        ..Default::default()
    };
    let mut last = BTreeMap::new();
    sim.trace()
        .iter()
        .for_each(|s| figures.count(&s.ev, &mut last));
    Ok(figures)
}

#[cfg(test)]
mod tests;
