//! The reducer's compare view: opening and closing it, and what the shared controls do to its
//! runs. Playback, speed, links and dialogs work as in the single lab.

use quorum_engine::lab::compare::{Aim, Comparison};
use quorum_engine::lab::new_lab;
use quorum_engine::model::text::Text;
use quorum_engine::model::types::{Micros, MS};

use super::FRAME_BUDGET_MS;
use crate::canvas::Hit;
use crate::i18n::{fill, say, Msg};
use crate::state::{Clock, Compare, LabAction, LabState, Selection, Tool};

/// How far Step and Back move the compare view's cursor (its runs have no common events).
pub const COMPARE_STEP: Micros = 10 * MS;
/// The smallest slice of simulated time the animation runs the lanes by between budget checks
/// (each slice moves and measures every run).
const SLICE: Micros = 8 * MS;

impl LabState {
    /// In the compare view, performs an action that moves or changes its runs (`Ok` with the
    /// outcome); hands back any other action (`Err`) to be performed as in the single lab.
    pub(super) fn perform_compare(
        &mut self,
        action: LabAction,
    ) -> Result<Result<(), String>, Box<LabAction>> {
        let lang = self.ui.lang;
        let c = self.compare.as_mut().expect("the compare view is open");
        let now = c.run().now();
        let pause_at = match action {
            LabAction::Step => Some(now + COMPARE_STEP),
            LabAction::StepBack => Some(now.saturating_sub(COMPARE_STEP)),
            LabAction::JumpTo(t) => Some(t),
            _ => None,
        };
        if let Some(t) = pause_at {
            self.ui.playing = false;
            c.seek(t);
            return Ok(Ok(()));
        }
        match action {
            LabAction::Seek(t) => c.seek(t),
            LabAction::Act(a) => return Ok(c.act(Aim::Node(a), lang)),
            LabAction::CompareAct(aim) => return Ok(c.act(aim, lang)),
            LabAction::Click(Some(Hit::Message(_))) => self.ui.selection = Selection::None,
            // The partition and cut tools pick nodes of one run; the compare view has none.
            LabAction::Tool(_) | LabAction::ApplyPartition => self.ui.tool = Tool::Inspect,
            other => return Err(Box::new(other)),
        }
        Ok(Ok(()))
    }

    /// Opens the compare view of `protocols` on the current settings, paused at time 0.
    pub(super) fn open_compare(&mut self, protocols: &[String]) -> Result<(), String> {
        let run = Comparison::new(&self.ui.config, protocols).map_err(|e| say(self.ui.lang, &e))?;
        self.show_compare(run);
        Ok(())
    }

    /// Leaves the compare view; the single lab is as it was left.
    pub(super) fn close_compare(&mut self) {
        self.compare = None;
        self.ui.playing = false;
        self.ui.selection = Selection::None;
        self.generation += 1;
    }

    /// Opens a compare link: the single lab restarts on its settings (the first protocol), and
    /// the compare view shows the link's moment. On error nothing changes.
    pub(super) fn load_compare_link(&mut self, text: &str) -> Result<(), String> {
        let lang = self.ui.lang;
        let cannot = |e: Text| fill(lang, Msg::CompareLinkCannotOpen, &[&say(lang, &e)]);
        let run = Comparison::from_link(text).map_err(cannot)?;
        let setup = run.setup().clone();
        let lab = new_lab(&setup).map_err(cannot)?;
        self.start(lab, setup, None);
        self.show_compare(run);
        Ok(())
    }

    fn show_compare(&mut self, run: Comparison) {
        self.compare = Some(Compare::new(run));
        self.ui.playing = false;
        self.ui.selection = Selection::None;
        self.ui.tool = Tool::Inspect;
        self.ui.picked.clear();
        self.generation += 1;
    }

    /// Runs every lane on by `wall_ms` of real time at the current speed, like the single lab's
    /// animation step.
    pub(super) fn advance_compare(&mut self, wall_ms: f64, clock: &Clock) {
        if !self.ui.playing {
            return;
        }
        let Some(c) = self.compare.as_mut() else {
            return;
        };
        let wall_ms = wall_ms.clamp(0.0, 100.0);
        let now = c.run().now();
        let target = now + (wall_ms * self.ui.speed * MS as f64).round() as Micros;
        let step = SLICE.max((target - now) / 4);
        let start = clock.now();
        while c.run().now() < target && clock.now() - start < FRAME_BUDGET_MS {
            let next = (c.run().now() + step).min(target);
            c.seek(next);
        }
    }
}
