//! Everything that can happen to the state: [`LabAction`].

use std::fmt;
use std::rc::Rc;

use quorum_engine::lab::compare::Aim;
use quorum_engine::lab::Setup;
use quorum_engine::model::types::Micros;
use quorum_engine::sim::action::Action;

use super::classroom::ClassCmd;
use super::diagram::DiagramCmd;
use super::ui::{Selection, Tool};
use crate::canvas::Hit;
use crate::i18n::Lang;

/// A wall clock in milliseconds, which bounds the engine work of one animation frame: the
/// browser's `performance.now()`, or a counter in tests. It is how the reducer measures its own
/// work, not part of what happened, so any two clocks compare equal.
#[derive(Clone)]
pub struct Clock(pub Rc<dyn Fn() -> f64>);

impl Clock {
    /// The time now, in milliseconds.
    pub fn now(&self) -> f64 {
        (self.0)()
    }
}

impl PartialEq for Clock {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Clock")
    }
}

/// Everything a user, the animation loop or the JS API can do.
#[derive(Clone, Debug, PartialEq)]
pub enum LabAction {
    /// Start the animation.
    Play,
    /// Stop it.
    Pause,
    /// Play or pause.
    TogglePlay,
    /// Process one event.
    Step,
    /// Undo one event.
    StepBack,
    /// Set the speed (simulated seconds per real second).
    Speed(f64),
    /// Move to a simulated time.
    Seek(Micros),
    /// Pause and move to a simulated time (a violation's moment).
    JumpTo(Micros),
    /// Apply a fault or user action now.
    Act(Action),
    /// Start over with new settings.
    Reset(Setup),
    /// Start over with Raft's snapshot interval set to this many applied entries.
    SnapshotInterval(u64),
    /// Compare Raft's snapshot intervals on the current settings.
    CompareIntervals,
    /// Load a share link.
    LoadLink(String),
    /// Load a built-in scenario by name.
    LoadScenario(String),
    /// Select something on the canvas.
    Select(Selection),
    /// A click on the canvas, on something or on nothing: selects or picks, by the tool.
    Click(Option<Hit>),
    /// Choose the canvas tool.
    Tool(Tool),
    /// Split the network: picked nodes against the rest.
    ApplyPartition,
    /// Close the menus and go back to the inspect tool (Escape).
    Dismiss,
    /// Dismiss the alert.
    ClearAlert,
    /// Show or hide the metrics panel.
    ToggleMetrics,
    /// Change the space-time diagram or the history view.
    Diagram(DiagramCmd),
    /// Open the compare view: these protocols on the current nodes, seed, clients and network.
    OpenCompare(Vec<String>),
    /// Leave the compare view, back to the single lab as it was.
    CloseCompare,
    /// In the compare view: apply an action in every run now.
    CompareAct(Aim),
    /// The animation loop's step: run on by `wall_ms` of real time at the current speed (when
    /// playing), spending at most a frame's budget of `clock` time. Renews the frame the canvas
    /// draws, not the view.
    Advance {
        /// Real time since the last frame, in milliseconds.
        wall_ms: f64,
        /// The clock the budget is measured with.
        clock: Clock,
    },
    /// Renew the view after the animation advanced the run.
    Refresh,
    /// Switch the interface's language.
    Lang(Lang),
    /// A tour's or an exercise's command.
    Class(ClassCmd),
}
