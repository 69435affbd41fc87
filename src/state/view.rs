//! What the panels show: one [`View`], computed from the engine and the [`Ui`] after each change.

use std::rc::Rc;

use quorum_engine::lab::story::Story;
use quorum_engine::lab::{Frame, InvariantStatus, Lab, LogLine, Marker, NodeFrame};
use quorum_engine::model::types::{Micros, MsgId, NodeId};

use quorum_engine::model::types::Addr;

use super::compare::{schedule_markers, Compare, CompareView};
use super::diagram::{Diagram, HistoryView};
use super::measure::{Measure, MetricsView};
use super::ui::{Selection, Tool, Ui};
use crate::i18n::{fill, tr, Msg};

/// Event-log lines kept for display.
const LOG_KEEP: usize = 300;
/// Trace events read at most when the log catches up (older ones are not shown anyway).
const LOG_SCAN: usize = 20_000;

/// The inspector's content: the selected node's state or the selected message's fields.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Inspected {
    /// Panel title.
    pub title: String,
    /// Labelled fields (none when nothing is selected).
    pub fields: Vec<(String, String)>,
}

/// The menu open over the canvas.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Menu {
    /// None.
    #[default]
    None,
    /// A node's actions.
    Node {
        /// The node.
        id: NodeId,
        /// Running?
        up: bool,
    },
    /// A message's actions.
    Message {
        /// The message.
        id: MsgId,
        /// Still in flight?
        live: bool,
    },
}

/// Everything the panels display, as plain data; each panel gets the fields it shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct View {
    /// Simulated time of this view.
    pub t: Micros,
    /// The timeline's end.
    pub horizon: Micros,
    /// The nodes (the log grid, the acceptors' table).
    pub nodes: Rc<Vec<NodeFrame>>,
    /// Timeline markers up to now.
    pub markers: Rc<Vec<Marker>>,
    /// The latest event-log lines.
    pub log: Rc<Vec<LogLine>>,
    /// The invariants and their verdicts.
    pub invariants: Rc<Vec<InvariantStatus>>,
    /// The inspector's content.
    pub inspected: Rc<Inspected>,
    /// The menu open over the canvas.
    pub menu: Menu,
    /// The recovery story table, for protocols that have one.
    pub story: Option<Rc<Story>>,
    /// The share link of this moment (query string, without `?`).
    pub link: String,
    /// The metrics panel's content, while it is open.
    pub metrics: Option<Rc<MetricsView>>,
    /// The compare view's content, while it is open.
    pub compare: Option<Rc<CompareView>>,
    /// The space-time diagram's filters, while it is open.
    pub diagram: Option<Rc<DiagramPanel>>,
    /// The history view's content, while it is open.
    pub history: Option<Rc<HistoryView>>,
}

/// What the diagram's filters offer: the message types and lanes seen so far.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DiagramPanel {
    /// Message types, in the order they first appeared.
    pub types: Rc<Vec<String>>,
    /// Lanes: nodes, then clients.
    pub lanes: Vec<Addr>,
}

impl DiagramPanel {
    fn of(diagram: &Diagram) -> Self {
        DiagramPanel {
            types: diagram.types(),
            lanes: diagram
                .space()
                .map(|s| s.lanes().to_vec())
                .unwrap_or_default(),
        }
    }
}

/// The history view of `lab` at `t`.
fn history(lab: &Lab, diagram: &Diagram, t: Micros) -> Option<HistoryView> {
    let space = diagram.space()?;
    Some(HistoryView::of(&space, t, lab.lin_witness()))
}

impl View {
    /// The view of `lab` at `frame`, with the markers and log lines `scan` has collected.
    pub(super) fn build(lab: &Lab, frame: &Frame, ui: &Ui, horizon: Micros, scan: &Scan) -> View {
        View {
            t: frame.t,
            horizon,
            nodes: Rc::new(frame.nodes.clone()),
            markers: scan.markers.clone(),
            log: scan.log.clone(),
            invariants: Rc::new(lab.invariants()),
            inspected: Rc::new(inspect(lab, ui)),
            menu: menu(frame, ui),
            story: lab.story().map(Rc::new),
            link: super::share_link(lab, ui),
            metrics: ui.metrics.then(|| scan.measure.view()),
            compare: None,
            diagram: ui.diagram.then(|| Rc::new(DiagramPanel::of(&scan.diagram))),
            history: ui
                .history
                .then(|| history(lab, &scan.diagram, frame.t).map(Rc::new))
                .flatten(),
        }
    }

    /// The view of the compare view's runs: the cursor, the schedule's markers, the link and the
    /// comparison's content.
    pub(super) fn of_compare(c: &mut Compare, ui: &Ui) -> View {
        let compare = Some(Rc::new(c.view(ui.lang)));
        let run = c.run();
        View {
            t: run.now(),
            horizon: c.horizon,
            markers: Rc::new(schedule_markers(ui.lang, run.schedule())),
            link: super::with_lang(run.link(), ui.lang),
            compare,
            ..View::default()
        }
    }
}

fn inspect(lab: &Lab, ui: &Ui) -> Inspected {
    let lang = ui.lang;
    let (title, fields) = match ui.selection {
        Selection::Node(n) => (
            fill(lang, Msg::NodeN, &[&n.to_string()]),
            lab.inspect_node(n),
        ),
        Selection::Message(m) => (
            fill(lang, Msg::MessageN, &[&m.to_string()]),
            lab.inspect_message(m),
        ),
        Selection::None => (tr(lang, Msg::Inspector).to_string(), Vec::new()),
    };
    Inspected { title, fields }
}

/// A node's menu opens only with the inspect tool (the other tools pick nodes instead).
fn menu(frame: &Frame, ui: &Ui) -> Menu {
    match ui.selection {
        Selection::Node(id) if ui.tool == Tool::Inspect => Menu::Node {
            id,
            up: frame.nodes.get(id as usize - 1).is_some_and(|n| n.up),
        },
        Selection::Message(id) => Menu::Message {
            id,
            live: frame
                .messages
                .iter()
                .any(|m| m.id == id && m.died_at.is_none()),
        },
        _ => Menu::None,
    }
}

/// The timeline markers, log lines and metrics read so far, extended as the trace grows.
#[derive(Clone, Debug, Default)]
pub(super) struct Scan {
    markers_to: usize,
    markers: Rc<Vec<Marker>>,
    log_to: usize,
    log: Rc<Vec<LogLine>>,
    measure: Measure,
    pub(super) diagram: Diagram,
}

impl Scan {
    /// Reads the trace events added since the last call; the metrics only when `measure` (while
    /// their panel is open: they catch up when it opens).
    pub(super) fn catch_up(&mut self, lab: &Lab, measure: bool) {
        if measure {
            self.measure.catch_up(lab);
        }
        let len = lab.trace_len();
        if self.markers_to < len {
            Rc::make_mut(&mut self.markers).extend(lab.markers(self.markers_to));
            self.markers_to = len;
        }
        if self.log_to < len {
            let start = self.log_to.max(len.saturating_sub(LOG_SCAN));
            let log = Rc::make_mut(&mut self.log);
            log.extend(lab.log_lines(start, usize::MAX));
            let excess = log.len().saturating_sub(LOG_KEEP);
            log.drain(..excess);
            self.log_to = len;
        }
    }

    /// Forgets what lies past the present (after going back in time, or changing the future).
    pub(super) fn rewind(&mut self, lab: &Lab) {
        let (len, now) = (lab.trace_len(), lab.now());
        if self.markers.iter().any(|m| m.t > now) {
            Rc::make_mut(&mut self.markers).retain(|m| m.t <= now);
        }
        self.markers_to = self.markers_to.min(len);
        if self.log.iter().any(|l| l.index >= len) {
            Rc::make_mut(&mut self.log).retain(|l| l.index < len);
        }
        self.log_to = self.log_to.min(len);
        self.measure.rewind(lab);
        self.diagram.rewind(lab);
    }
}
