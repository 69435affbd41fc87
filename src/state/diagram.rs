//! The space-time diagram's and the history view's data: the user's choices for the diagram
//! ([`DiagramUi`]), one engine [`SpaceTime`] following the run (fed only the trace events added
//! since the last change, cut back after a seek backwards), and the history view
//! ([`HistoryView`]) made from its client marks and the linearizability checker's witness.

use std::cell::{Ref, RefCell};
use std::rc::Rc;

use quorum_engine::check::witness::Witness;
use quorum_engine::lab::spacetime::{Mark, MarkKind, Root, SpaceTime};
use quorum_engine::lab::Lab;
use quorum_engine::model::text::Text;
use quorum_engine::model::types::{Addr, ClientId, Key, Micros, MS, SEC};

/// The diagram's default window: this much simulated time fills its height.
pub const SPAN_DEFAULT: Micros = 400 * MS;

/// What the user chose for the diagram: plain values, part of [`super::Ui`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiagramUi {
    /// Lay events out by Lamport clock instead of simulated time.
    pub causal: bool,
    /// Simulated time the diagram's height shows (real-time layout).
    pub span: Micros,
    /// Message types not drawn (the first word of a message's label).
    pub hidden_types: Vec<String>,
    /// Lanes not drawn (with their messages).
    pub hidden_lanes: Vec<Addr>,
    /// The client operation whose chain is highlighted.
    pub focus: Option<Root>,
}

impl Default for DiagramUi {
    fn default() -> Self {
        DiagramUi {
            causal: false,
            span: SPAN_DEFAULT,
            hidden_types: Vec::new(),
            hidden_lanes: Vec::new(),
            focus: None,
        }
    }
}

/// A change to the diagram or history view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiagramCmd {
    /// Show or hide the diagram.
    Toggle,
    /// Show or hide the history view.
    ToggleHistory,
    /// Switch between real-time and causal layout.
    Causal,
    /// Show or hide one message type.
    Type(String),
    /// Show or hide one lane.
    Lane(Addr),
    /// Move to an item's moment and highlight the client operation that caused it (or, `None`,
    /// clear the highlight).
    Pick(Micros, Option<Root>),
    /// Stop highlighting.
    Clear,
}

impl DiagramUi {
    /// Applies `cmd` (all but the toggles and picks, which the reducer handles).
    pub(super) fn change(&mut self, cmd: DiagramCmd) {
        match cmd {
            DiagramCmd::Causal => self.causal = !self.causal,
            DiagramCmd::Type(t) => flip(&mut self.hidden_types, t),
            DiagramCmd::Lane(l) => flip(&mut self.hidden_lanes, l),
            DiagramCmd::Pick(_, root) => self.focus = root,
            DiagramCmd::Clear => self.focus = None,
            DiagramCmd::Toggle | DiagramCmd::ToggleHistory => {}
        }
    }
}

/// Removes `item` from `list`, or adds it if it was not there.
fn flip<T: PartialEq>(list: &mut Vec<T>, item: T) {
    match list.iter().position(|i| *i == item) {
        Some(at) => {
            list.remove(at);
        }
        None => list.push(item),
    }
}

/// A message's type: the first word of its label.
pub fn message_type(label: &str) -> &str {
    label.split(' ').next().unwrap_or(label)
}

/// The run's diagram, shared by every copy of the state like the run it follows. Only the
/// newest state feeds it.
#[derive(Clone, Default)]
pub struct Diagram(Rc<RefCell<Traced>>);

#[derive(Default)]
struct Traced {
    space: Option<SpaceTime>,
    types: Rc<Vec<String>>,
    typed: usize,
    downs: Vec<Down>,
    marked: usize,
}

/// A node's time down: from its crash (time, Lamport clock) to its restart (`None`: still down).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Down {
    /// The node's lane.
    pub lane: Addr,
    /// The crash: time and Lamport clock.
    pub from: (Micros, u64),
    /// The restart, if any.
    pub to: Option<(Micros, u64)>,
}

/// Extends `downs` with the crashes and restarts among `marks`.
fn note_downs(downs: &mut Vec<Down>, marks: &[Mark]) {
    for m in marks {
        let Some(lane) = m.lane else { continue };
        match m.kind {
            MarkKind::Crash => downs.push(Down {
                lane,
                from: (m.t, m.clock),
                to: None,
            }),
            MarkKind::Restart => {
                let open = downs.iter_mut().rev().find(|d| d.lane == lane);
                if let Some(d) = open.filter(|d| d.to.is_none()) {
                    d.to = Some((m.t, m.clock));
                }
            }
            _ => {}
        }
    }
}

/// One diagram is shared by every copy of a run's state: it equals only itself.
impl PartialEq for Diagram {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::fmt::Debug for Diagram {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Diagram")
    }
}

impl Diagram {
    /// Brings the diagram up to the present of `lab`, a run of `nodes` nodes.
    pub(super) fn catch_up(&self, lab: &Lab, nodes: u32) {
        let mut d = self.0.borrow_mut();
        let d = &mut *d;
        let space = d.space.get_or_insert_with(|| SpaceTime::new(nodes));
        lab.diagram(space);
        let arrows = space.arrows();
        d.typed = d.typed.min(arrows.len());
        for a in &arrows[d.typed..] {
            let t = message_type(&a.label);
            if !d.types.iter().any(|seen| seen == t) {
                Rc::make_mut(&mut d.types).push(t.to_string());
            }
        }
        d.typed = arrows.len();
        let marks = space.marks();
        if d.marked > marks.len() {
            d.downs.clear();
            d.marked = 0;
        }
        note_downs(&mut d.downs, &marks[d.marked..]);
        d.marked = marks.len();
    }

    /// The nodes' times down, in order of their crashes.
    pub fn downs(&self) -> Ref<'_, [Down]> {
        Ref::map(self.0.borrow(), |d| d.downs.as_slice())
    }

    /// Forgets what lies past the present (after going back in time, or changing the future).
    pub(super) fn rewind(&self, lab: &Lab) {
        let mut d = self.0.borrow_mut();
        if let Some(space) = d.space.as_mut() {
            space.truncate(lab.trace_len());
        }
        d.downs.clear();
        d.marked = 0;
    }

    /// The diagram as read so far (`None` before the first catch-up).
    pub fn space(&self) -> Option<Ref<'_, SpaceTime>> {
        Ref::filter_map(self.0.borrow(), |d| d.space.as_ref()).ok()
    }

    /// The message types seen so far, in the order they first appeared.
    pub fn types(&self) -> Rc<Vec<String>> {
        self.0.borrow().types.clone()
    }
}

/// How a client operation ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Still waiting.
    Open,
    /// Took effect.
    Ok,
    /// Definitely did not take effect.
    Fail,
    /// Unknown (timed out).
    Info,
}

/// What the linearizability checker says about an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Not part of the witness.
    None,
    /// In the longest linearizable prefix.
    Prefix,
    /// The operation that cannot be placed after the prefix.
    Blocked,
    /// Could come next in real time, but is impossible too.
    CannotFollow,
}

/// One client operation, as a bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryOp {
    /// The client and operation (the root of what it caused).
    pub root: Root,
    /// Invoked at.
    pub invoke: Micros,
    /// Answered at (`None`: open, or ended with `info`).
    pub done: Option<Micros>,
    /// How it ended.
    pub outcome: Outcome,
    /// What it did (`put 1 5`, `ok op3 read 5`).
    pub text: String,
    /// The checker's verdict.
    pub verdict: Verdict,
}

/// The history view: one row per client over a window of time.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HistoryView {
    /// The window's start.
    pub from: Micros,
    /// The window's end.
    pub to: Micros,
    /// Each client's operations in the window, by client.
    pub rows: Vec<(ClientId, Vec<HistoryOp>)>,
    /// The checker's explanation, when the history is not linearizable: the key and the paragraph.
    pub explanation: Option<(Key, Text)>,
    /// Operations in the whole history.
    pub total: usize,
}

/// The window shown without a violation: the last this much of the run.
const HISTORY_WINDOW: Micros = 2 * SEC;
/// Prefix operations shown before the blocked one.
const PREFIX_SHOWN: usize = 4;

impl HistoryView {
    /// The history of `space` at `now`, with the checker's `witness` if it found a violation.
    pub fn of(space: &SpaceTime, now: Micros, witness: Option<(Key, Witness, Text)>) -> Self {
        let mut ops = operations(space);
        let total = ops.len();
        let (from, to) = match &witness {
            Some((_, w, _)) => {
                mark(&mut ops, w);
                witness_window(w, now)
            }
            None => (now.saturating_sub(HISTORY_WINDOW), now.max(1)),
        };
        let mut rows: Vec<(ClientId, Vec<HistoryOp>)> = Vec::new();
        for op in ops {
            if op.invoke > to || op.done.unwrap_or(now) < from {
                continue;
            }
            let client = op.root.0;
            match rows.binary_search_by_key(&client, |(c, _)| *c) {
                Ok(i) => rows[i].1.push(op),
                Err(i) => rows.insert(i, (client, vec![op])),
            }
        }
        HistoryView {
            from,
            to,
            rows,
            explanation: witness.map(|(key, _, text)| (key, text)),
            total,
        }
    }
}

/// Every client operation, from the diagram's invoke and done marks.
fn operations(space: &SpaceTime) -> Vec<HistoryOp> {
    let mut ops: Vec<HistoryOp> = Vec::new();
    for m in space.marks() {
        let Some(root) = m.root else { continue };
        match m.kind {
            MarkKind::Invoke => ops.push(HistoryOp {
                root,
                invoke: m.t,
                done: None,
                outcome: Outcome::Open,
                text: m
                    .text
                    .to_string()
                    .split_once(' ')
                    .map_or("", |(_, op)| op)
                    .to_string(),
                verdict: Verdict::None,
            }),
            MarkKind::Done => {
                if let Some(op) = ops.iter_mut().rev().find(|o| o.root == root) {
                    let words = m.text.to_string();
                    op.outcome = match words.split(' ').next() {
                        Some("ok") => Outcome::Ok,
                        Some("fail") => Outcome::Fail,
                        _ => Outcome::Info,
                    };
                    op.done = (op.outcome != Outcome::Info).then_some(m.t);
                    let words: Vec<&str> = words.split(' ').collect();
                    if let ["ok", _, "read", value] = words[..] {
                        op.text = format!("{} → {value}", op.text);
                    }
                }
            }
            _ => {}
        }
    }
    ops
}

/// Marks the operations the witness names.
fn mark(ops: &mut [HistoryOp], w: &Witness) {
    let named = w
        .prefix
        .iter()
        .map(|o| (o, Verdict::Prefix))
        .chain(w.cannot_follow.iter().map(|o| (o, Verdict::CannotFollow)))
        .chain(w.stranded.iter().map(|o| (o, Verdict::CannotFollow)))
        .chain([(&w.blocked, Verdict::Blocked)]);
    for (lin, verdict) in named {
        let root = (lin.client, lin.op);
        if let Some(op) = ops.iter_mut().find(|o| o.root == root) {
            op.verdict = verdict;
        }
    }
}

/// The window around the witness: the last few prefix operations, the blocked one and those
/// that cannot follow, with a margin.
fn witness_window(w: &Witness, now: Micros) -> (Micros, Micros) {
    let shown = w.prefix.iter().rev().take(PREFIX_SHOWN);
    let all: Vec<_> = shown
        .chain(&w.cannot_follow)
        .chain(&w.stranded)
        .chain([&w.blocked])
        .collect();
    let from = all.iter().map(|o| o.invoke).min().unwrap_or(0);
    let to = all
        .iter()
        .map(|o| o.complete.unwrap_or(now))
        .max()
        .unwrap_or(now);
    let margin = ((to - from) / 10).max(MS);
    (from.saturating_sub(margin), to + margin)
}
