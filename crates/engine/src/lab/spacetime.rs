//! The space-time (Lamport) diagram of a run: one lane per node and per client, every message an
//! arrow from its send to its delivery or loss, crash intervals, partitions, and the marks a
//! reader looks for (role changes, commits, decisions, client operations, violations).
//!
//! [`SpaceTime`] is built incrementally from the trace, like [`crate::metrics::Metrics`]: the app
//! feeds it the events each frame adds ([`crate::lab::LabSim::diagram`]), and after a seek
//! backwards it is cut back to the trace's new length ([`SpaceTime::truncate`]) instead of being
//! rebuilt. Every item keeps its trace position, so a click on it seeks there.
//!
//! Two layouts: real time (an item's `t`), and causal: each item carries a Lamport clock (a lane's
//! events count up by one; a delivery comes after its send), so arrows never point backwards and
//! concurrent events share rows.
//!
//! Every item also names the client operation it was caused by, if any ([`Root`]): a client's
//! request starts the chain, a node handling a message passes that message's root to what it
//! sends and marks next, and a timer firing ends it. Highlighting one root shows everything one
//! request set off: the request, the replication it caused, the commits, the reply.

use std::collections::BTreeMap;

use crate::model::event::{DropReason, Event, Message, Payload, Stamped};
use crate::model::text::Text;
use crate::model::types::{Addr, ClientId, Micros, MsgId, NodeId, OpId};
use crate::sim::events::Events;

/// A client operation, as the root of what it caused.
pub type Root = (ClientId, OpId);

/// What became of a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    /// Still in flight at the end of the trace read so far.
    Flying,
    /// Delivered at this time (trace position, Lamport clock of the delivery).
    Delivered(Micros, usize, u64),
    /// Lost at this time, and why.
    Lost(Micros, usize, DropReason),
}

/// One message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arrow {
    /// Message id.
    pub id: MsgId,
    /// Sender.
    pub from: Addr,
    /// Receiver.
    pub to: Addr,
    /// Sent at.
    pub sent: Micros,
    /// Trace position of the send.
    pub index: usize,
    /// Lamport clock of the send.
    pub clock: u64,
    /// What became of it.
    pub fate: Fate,
    /// Its type (`AppendEntries`, `request op3 put 1 5`, `ok op3`).
    pub label: String,
    /// The client operation that caused it, if any.
    pub root: Option<Root>,
}

impl Arrow {
    /// When it ended (delivered or lost), if it has.
    pub fn end(&self) -> Option<Micros> {
        match self.fate {
            Fate::Flying => None,
            Fate::Delivered(t, ..) | Fate::Lost(t, ..) => Some(t),
        }
    }
}

/// What a mark on a lane is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkKind {
    /// The node crashed.
    Crash,
    /// The node restarted.
    Restart,
    /// The node changed role.
    Role,
    /// A commit, apply, choice, decision or output: something became final.
    Commit,
    /// A client invoked an operation.
    Invoke,
    /// A client's operation completed (ok or fail) or timed out (info).
    Done,
    /// A timer fired.
    Timeout,
    /// An invariant was violated.
    Violation,
}

/// One event drawn on a lane.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    /// When.
    pub t: Micros,
    /// Trace position.
    pub index: usize,
    /// Lamport clock.
    pub clock: u64,
    /// The lane (`None`: the whole run, e.g. a violation).
    pub lane: Option<Addr>,
    /// What it is.
    pub kind: MarkKind,
    /// A few words (`leader term=2`, `commit 4`).
    pub text: Text,
    /// The client operation that caused it, if any.
    pub root: Option<Root>,
}

/// A stretch of time with the network split.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Band {
    /// Began at.
    pub from: Micros,
    /// Ended at (`None`: not healed yet).
    pub to: Option<Micros>,
    /// Trace position of its start.
    pub index: usize,
    /// The groups.
    pub groups: Vec<Vec<NodeId>>,
}

/// The diagram of a run so far (see the module documentation).
#[derive(Clone, Debug, Default)]
pub struct SpaceTime {
    arrows: Vec<Arrow>,
    marks: Vec<Mark>,
    bands: Vec<Band>,
    lanes: Vec<Addr>,
    by_id: BTreeMap<MsgId, usize>,
    clocks: BTreeMap<Addr, u64>,
    cause: BTreeMap<Addr, Option<Root>>,
    longest: Micros,
    read: usize,
}

impl SpaceTime {
    /// An empty diagram of a run with `nodes` nodes (their lanes come first, in order).
    pub fn new(nodes: u32) -> Self {
        SpaceTime {
            lanes: (1..=nodes).map(Addr::Node).collect(),
            ..SpaceTime::default()
        }
    }

    /// Trace events read so far.
    pub fn len(&self) -> usize {
        self.read
    }

    /// Whether nothing has been read.
    pub fn is_empty(&self) -> bool {
        self.read == 0
    }

    /// The lanes: nodes in order, then clients as they first appear.
    pub fn lanes(&self) -> &[Addr] {
        &self.lanes
    }

    /// Every message, in sending order.
    pub fn arrows(&self) -> &[Arrow] {
        &self.arrows
    }

    /// Every mark, in trace order.
    pub fn marks(&self) -> &[Mark] {
        &self.marks
    }

    /// Every partition, in order.
    pub fn bands(&self) -> &[Band] {
        &self.bands
    }

    /// The messages drawn between `from` and `to`: sent before `to` and not ended before `from`
    /// (found by binary search over the sends, so a long run costs only what is on screen).
    pub fn arrows_between(&self, from: Micros, to: Micros) -> impl Iterator<Item = &Arrow> {
        let start = self
            .arrows
            .partition_point(|a| a.sent < from.saturating_sub(self.longest));
        let end = self.arrows.partition_point(|a| a.sent <= to);
        self.arrows[start..end.max(start)]
            .iter()
            .filter(move |a| a.end().is_none_or(|e| e >= from))
    }

    /// The marks between `from` and `to`.
    pub fn marks_between(&self, from: Micros, to: Micros) -> &[Mark] {
        let start = self.marks.partition_point(|m| m.t < from);
        let end = self.marks.partition_point(|m| m.t <= to);
        &self.marks[start..end.max(start)]
    }

    /// The intervals each node was down: (node, from, until), `None` while still down.
    pub fn down(&self) -> Vec<(NodeId, Micros, Option<Micros>)> {
        let mut open: BTreeMap<NodeId, Micros> = BTreeMap::new();
        let mut out = Vec::new();
        for m in &self.marks {
            let Some(Addr::Node(n)) = m.lane else {
                continue;
            };
            match m.kind {
                MarkKind::Crash => {
                    open.entry(n).or_insert(m.t);
                }
                MarkKind::Restart => {
                    if let Some(from) = open.remove(&n) {
                        out.push((n, from, Some(m.t)));
                    }
                }
                _ => {}
            }
        }
        out.extend(open.into_iter().map(|(n, from)| (n, from, None)));
        out
    }

    /// Reads the trace events from position `self.len()` on.
    pub fn observe_all<M: Message>(&mut self, trace: Events<'_, Stamped<M>>) {
        for s in trace.since(self.read) {
            self.observe(s);
        }
    }

    /// Reads one event (the next of the trace).
    pub fn observe<M: Message>(&mut self, s: &Stamped<M>) {
        let index = self.read;
        self.read += 1;
        match &s.ev {
            Event::Send {
                msg,
                from,
                to,
                payload,
                ..
            } => self.send(s.t, index, *msg, (*from, *to), payload),
            Event::Deliver { msg } => self.deliver(s.t, index, *msg),
            Event::Drop { msg, reason } => {
                if let Some(a) = self.by_id.get(msg).map(|i| &mut self.arrows[*i]) {
                    a.fate = Fate::Lost(s.t, index, *reason);
                    self.longest = self.longest.max(s.t - a.sent);
                }
            }
            Event::Partition { groups } => {
                self.heal(s.t);
                self.bands.push(Band {
                    from: s.t,
                    to: None,
                    index,
                    groups: groups.clone(),
                });
            }
            Event::Heal => self.heal(s.t),
            ev => self.mark(s.t, index, ev),
        }
    }

    /// Forgets everything read from trace position `len` on (after a seek backwards).
    pub fn truncate(&mut self, len: usize) {
        if len >= self.read {
            return;
        }
        self.read = len;
        self.arrows.retain(|a| a.index < len);
        self.marks.retain(|m| m.index < len);
        self.bands.retain(|b| b.index < len);
        for a in &mut self.arrows {
            match a.fate {
                Fate::Delivered(_, i, _) | Fate::Lost(_, i, _) if i >= len => a.fate = Fate::Flying,
                _ => {}
            }
        }
        if let Some(b) = self.bands.last_mut() {
            b.to = None;
        }
        self.rebuild_state();
    }

    fn rebuild_state(&mut self) {
        self.by_id = self
            .arrows
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id, i))
            .collect();
        self.clocks.clear();
        self.cause.clear();
        let arrows = self.arrows.iter().map(|a| (a.from, a.clock));
        let deliveries = self.arrows.iter().filter_map(|a| match a.fate {
            Fate::Delivered(_, _, c) => Some((a.to, c)),
            _ => None,
        });
        let marks = self.marks.iter().filter_map(|m| Some((m.lane?, m.clock)));
        for (lane, c) in arrows.chain(deliveries).chain(marks) {
            let e = self.clocks.entry(lane).or_default();
            *e = (*e).max(c);
        }
        let clients: Vec<Addr> = self
            .lanes
            .iter()
            .filter(|l| matches!(l, Addr::Client(_)))
            .copied()
            .collect();
        for c in clients {
            if !self.clocks.contains_key(&c) {
                self.lanes.retain(|l| *l != c);
            }
        }
    }

    fn heal(&mut self, t: Micros) {
        if let Some(b) = self.bands.last_mut().filter(|b| b.to.is_none()) {
            b.to = Some(t);
        }
    }

    /// The lane's next Lamport clock, at least `after + 1`.
    fn tick(&mut self, lane: Addr, after: u64) -> u64 {
        if !self.lanes.contains(&lane) {
            self.lanes.push(lane);
        }
        let c = self.clocks.entry(lane).or_default();
        *c = (*c).max(after) + 1;
        *c
    }

    fn send<M: Message>(
        &mut self,
        t: Micros,
        index: usize,
        id: MsgId,
        (from, to): (Addr, Addr),
        payload: &Payload<M>,
    ) {
        let root = match payload {
            Payload::Request(cmd) => Some((cmd.client, cmd.op)),
            _ => self.cause.get(&from).copied().flatten(),
        };
        let clock = self.tick(from, 0);
        if !self.lanes.contains(&to) {
            self.lanes.push(to);
        }
        self.by_id.insert(id, self.arrows.len());
        self.arrows.push(Arrow {
            id,
            from,
            to,
            sent: t,
            index,
            clock,
            fate: Fate::Flying,
            label: payload.label(),
            root,
        });
    }

    fn deliver(&mut self, t: Micros, index: usize, id: MsgId) {
        let Some(&i) = self.by_id.get(&id) else {
            return;
        };
        let (to, sent_clock, sent, root) = {
            let a = &self.arrows[i];
            (a.to, a.clock, a.sent, a.root)
        };
        let clock = self.tick(to, sent_clock);
        self.cause.insert(to, root);
        let a = &mut self.arrows[i];
        a.fate = Fate::Delivered(t, index, clock);
        self.longest = self.longest.max(t - sent);
    }

    fn mark<M: Message>(&mut self, t: Micros, index: usize, ev: &Event<M>) {
        let Some(kind) = mark_kind(ev) else {
            return;
        };
        let lane = ev.actor();
        let root = match ev {
            Event::Invoke { client, op, .. }
            | Event::Ok { client, op, .. }
            | Event::Fail { client, op, .. }
            | Event::Info { client, op } => Some((*client, *op)),
            _ => lane.and_then(|l| self.cause.get(&l).copied().flatten()),
        };
        if let (MarkKind::Timeout | MarkKind::Restart | MarkKind::Crash, Some(l)) = (kind, lane) {
            self.cause.insert(l, None);
        }
        let clock = match lane {
            Some(l) => self.tick(l, 0),
            None => self.clocks.values().copied().max().unwrap_or(0),
        };
        self.marks.push(Mark {
            t,
            index,
            clock,
            lane,
            kind,
            text: mark_text(ev),
            root,
        });
    }
}

/// How an event is drawn, if it is.
fn mark_kind<M>(ev: &Event<M>) -> Option<MarkKind> {
    Some(match ev {
        Event::Crash { .. } => MarkKind::Crash,
        Event::Restart { .. } => MarkKind::Restart,
        Event::Role { .. } | Event::Swap { .. } => MarkKind::Role,
        Event::Commit { .. }
        | Event::Chosen { .. }
        | Event::Decide { .. }
        | Event::Output { .. }
        | Event::Checkpoint { .. }
        | Event::Recover { .. } => MarkKind::Commit,
        Event::Invoke { .. } => MarkKind::Invoke,
        Event::Ok { .. } | Event::Fail { .. } | Event::Info { .. } => MarkKind::Done,
        Event::Timeout { .. } => MarkKind::Timeout,
        Event::Violation { .. } => MarkKind::Violation,
        _ => return None,
    })
}

/// The mark's words: the event log's line without its time and node.
fn mark_text<M: Message>(ev: &Event<M>) -> Text {
    match ev.actor() {
        Some(_) => crate::run::describe::body(ev),
        None => crate::run::describe::event_text(ev),
    }
}

#[cfg(test)]
mod tests;
