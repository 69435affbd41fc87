//! The plain part of the state: what the user chose (settings, playback, selection, tool).

use std::rc::Rc;

use quorum_engine::lab::catalog::BuiltIn;
use quorum_engine::lab::Setup;
use quorum_engine::model::types::{MsgId, NodeId};
use quorum_engine::run::runner::SnapshotFigures;

use super::classroom::{ExerciseUi, Limits, TourUi};
use super::diagram::DiagramUi;
use crate::i18n::Lang;

/// The slowest speed: 1/1000 of real time.
pub const SPEED_MIN: f64 = 0.001;
/// The fastest speed: 50 times real time.
pub const SPEED_MAX: f64 = 50.0;
/// The default speed: 1/50 of real time, so a 10 ms message takes half a second to fly.
pub const SPEED_DEFAULT: f64 = 0.02;

/// What is selected on the canvas.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Selection {
    /// Nothing.
    #[default]
    None,
    /// A node (its menu and inspector are open).
    Node(NodeId),
    /// A message in flight.
    Message(MsgId),
}

/// What a click on a node does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tool {
    /// Select and inspect.
    #[default]
    Inspect,
    /// Pick nodes for one side of a partition.
    Partition,
    /// Pick the two ends of a one-way link cut.
    Cut,
}

/// The option that sets Raft's snapshot interval.
pub(super) const SNAPSHOT_INTERVAL: &str = "snapshot-interval";
/// Raft's default snapshot interval (the engine's `snapshot-interval` default).
const DEFAULT_INTERVAL: u64 = 64;

/// The snapshot-interval comparison (Raft), or why it could not be made.
pub type Tradeoff = Result<Vec<SnapshotFigures>, String>;

/// The user's choices: plain values, replaced by the reducer, compared to decide re-renders.
#[derive(Clone, Debug, PartialEq)]
pub struct Ui {
    /// The settings of the run.
    pub config: Setup,
    /// The built-in scenario loaded, if any.
    pub scenario: Option<&'static BuiltIn>,
    /// Animation running.
    pub playing: bool,
    /// Simulated seconds per real second.
    pub speed: f64,
    /// A message for the user (bad link, failed expectation), shown with `role="alert"`.
    pub alert: Option<String>,
    /// Canvas selection.
    pub selection: Selection,
    /// Canvas tool.
    pub tool: Tool,
    /// Nodes picked by the partition or cut tool.
    pub picked: Vec<NodeId>,
    /// The last snapshot-interval comparison asked for (kept while the protocol stays).
    pub tradeoff: Option<Rc<Tradeoff>>,
    /// The metrics panel is open.
    pub metrics: bool,
    /// The space-time diagram is open.
    pub diagram: bool,
    /// The history view is open.
    pub history: bool,
    /// The diagram's layout, filters and highlight.
    pub chart: DiagramUi,
    /// The interface's language.
    pub lang: Lang,
    /// The tour in progress.
    pub tour: Option<TourUi>,
    /// The exercise open.
    pub exercise: Option<ExerciseUi>,
    /// What the student may do and see.
    pub limits: Limits,
}

impl Ui {
    /// A paused start for a run of `config`.
    pub fn new(config: Setup) -> Self {
        Ui {
            config,
            scenario: None,
            playing: false,
            speed: SPEED_DEFAULT,
            alert: None,
            selection: Selection::None,
            tool: Tool::Inspect,
            picked: Vec::new(),
            tradeoff: None,
            metrics: false,
            diagram: false,
            history: false,
            chart: DiagramUi::default(),
            lang: Lang::default(),
            tour: None,
            exercise: None,
            limits: Limits::default(),
        }
    }

    /// Raft's snapshot interval in applied entries (0: never); `None` for other protocols.
    pub fn snapshot_interval(&self) -> Option<u64> {
        (self.config.protocol == "raft").then(|| {
            self.config
                .options
                .value(SNAPSHOT_INTERVAL)
                .unwrap_or(DEFAULT_INTERVAL)
        })
    }

    /// True while the partition or cut tool picks nodes.
    pub fn picking(&self) -> bool {
        self.tool != Tool::Inspect
    }
}
