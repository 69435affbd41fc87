//! The reducer: what each [`LabAction`] does to the run and to the plain state. Nothing here
//! touches the page.

mod classroom;
mod compare;

use std::cell::RefCell;
use std::rc::Rc;

use quorum_engine::lab::catalog::{self, BuiltIn};
use quorum_engine::lab::compare::is_compare_link;
use quorum_engine::lab::story::snapshot_tradeoff;
use quorum_engine::lab::{new_lab, Lab, Setup};
use quorum_engine::model::text::Text;
use quorum_engine::model::types::{Micros, NodeId, MS, SEC};
use quorum_engine::run::link;
use quorum_engine::sim::action::Action;

use super::classroom::{action_name, names, Limits};
use super::diagram::DiagramCmd;
use super::ui::SNAPSHOT_INTERVAL;
use super::view::{Scan, View};
use super::{
    app_params, ClassParams, Clock, LabAction, LabState, Selection, Tool, SPEED_MAX, SPEED_MIN,
};
use crate::canvas::Hit;
use crate::i18n::{fill, say, tr, Msg};

/// Most engine work one animation frame may do, in wall milliseconds.
pub(super) const FRAME_BUDGET_MS: f64 = 6.0;
/// Simulated length of each run of the snapshot-interval comparison.
pub const TRADEOFF_RUN: Micros = 20 * SEC;

impl LabState {
    /// Performs `action`: calls the engine, updates the plain state, then renews the frame and
    /// (except for an animation step) the view. A failure is kept in [`LabState::outcome`] and
    /// shown as the alert; the run stays as it was.
    pub fn apply(&mut self, action: LabAction) {
        match action {
            LabAction::Advance { wall_ms, clock } => self.animate(wall_ms, &clock),
            LabAction::Refresh => self.renew_view(),
            other => {
                self.outcome = self.perform(other);
                self.tour_tick();
                if let Err(e) = &self.outcome {
                    self.ui.alert = Some(e.clone());
                }
                self.renew_frame();
                self.renew_view();
            }
        }
    }

    /// The animation's step: runs on, and moves the tour on when its step's condition happened.
    fn animate(&mut self, wall_ms: f64, clock: &Clock) {
        if self.compare.is_some() {
            self.advance_compare(wall_ms, clock);
        } else {
            self.advance(wall_ms, clock);
        }
        self.outcome = Ok(());
        if self.compare.is_none() && self.tour_tick() {
            self.renew_view();
        }
        self.renew_frame();
        if self.ui.diagram && self.compare.is_none() {
            let lab = self.run.borrow();
            self.scan.diagram.catch_up(&lab, self.ui.config.nodes);
        }
    }

    /// Refuses what the open exercise does not allow, what would replace its run, and what would
    /// move past a prediction's moment before the answer.
    fn permit(&self, action: &LabAction) -> Result<(), String> {
        self.exercise_permits(action)?;
        let name = match action {
            LabAction::Act(a) => action_name(a),
            LabAction::ApplyPartition | LabAction::Tool(Tool::Partition | Tool::Cut) => "partition",
            LabAction::Reset(_) | LabAction::SnapshotInterval(_) => "settings",
            _ => return Ok(()),
        };
        match self.ui.limits.allows(name) {
            true => Ok(()),
            false => Err(fill(self.ui.lang, Msg::NotAllowed, &[name])),
        }
    }

    fn perform(&mut self, action: LabAction) -> Result<(), String> {
        self.permit(&action)?;
        let action = match self.compare.is_some() {
            true => match self.perform_compare(action) {
                Ok(result) => return result,
                Err(other) => *other,
            },
            false => action,
        };
        match action {
            LabAction::Play => self.ui.playing = true,
            LabAction::Pause => self.ui.playing = false,
            LabAction::TogglePlay => self.ui.playing = !self.ui.playing,
            LabAction::Step => self.step(),
            LabAction::StepBack => self.step_back(),
            LabAction::Speed(s) => self.ui.speed = s.clamp(SPEED_MIN, SPEED_MAX),
            LabAction::Seek(t) => self.seek(t),
            LabAction::JumpTo(t) => {
                self.ui.playing = false;
                self.seek(t);
            }
            LabAction::Act(a) => self.intervene(a),
            LabAction::Reset(config) => return self.reset(config),
            LabAction::SnapshotInterval(n) => return self.reset(with_interval(&self.ui.config, n)),
            LabAction::CompareIntervals => self.compare_intervals(),
            LabAction::LoadLink(l) => return self.load_link(&l),
            LabAction::LoadScenario(name) => return self.load_scenario(&name),
            LabAction::Select(s) => self.ui.selection = s,
            LabAction::Click(hit) => self.click(hit),
            LabAction::Tool(t) => self.set_tool(t),
            LabAction::ApplyPartition => self.apply_partition(),
            LabAction::Dismiss => self.dismiss(),
            LabAction::ClearAlert => self.ui.alert = None,
            LabAction::ToggleMetrics => self.ui.metrics = !self.ui.metrics,
            LabAction::Diagram(cmd) => self.change_diagram(cmd),
            LabAction::OpenCompare(protocols) => return self.open_compare(&protocols),
            LabAction::CloseCompare => self.close_compare(),
            LabAction::CompareAct(_) => return Err(tr(self.ui.lang, Msg::CompareNotOpen).into()),
            LabAction::Lang(lang) => self.ui.lang = lang,
            LabAction::Class(cmd) => return self.classroom(cmd),
            LabAction::Advance { .. } | LabAction::Refresh => {
                unreachable!("apply handles the animation's actions")
            }
        }
        Ok(())
    }

    fn lab_mut(&self) -> std::cell::RefMut<'_, Lab> {
        self.run.borrow_mut()
    }

    /// Takes the engine's frame of the present instant and extends the timeline to it.
    fn renew_frame(&mut self) {
        if let Some(c) = &mut self.compare {
            c.renew_frames();
            return;
        }
        let frame = self.lab().frame();
        self.horizon = self.horizon.max(frame.t);
        self.frame = Rc::new(frame);
    }

    /// Computes the view of the present instant.
    pub(super) fn renew_view(&mut self) {
        if let Some(c) = &mut self.compare {
            self.view = Rc::new(View::of_compare(c, &self.ui));
            return;
        }
        let lab = self.run.borrow();
        self.scan.catch_up(&lab, self.ui.metrics);
        if self.ui.diagram || self.ui.history {
            self.scan.diagram.catch_up(&lab, self.ui.config.nodes);
        }
        let view = View::build(&lab, &self.frame, &self.ui, self.horizon, &self.scan);
        drop(lab);
        self.view = Rc::new(view);
    }

    /// Forgets the markers and log lines past the present (after going back in time, or
    /// changing the future).
    fn rescan(&mut self) {
        let lab = self.run.borrow();
        self.scan.rewind(&lab);
    }

    /// One event on, but not past the moment a prediction holds the run at.
    fn step(&mut self) {
        self.ui.playing = false;
        self.lab_mut().step();
        if let Some(hold) = self.hold().filter(|h| self.lab().now() > *h) {
            self.seek(hold);
        }
    }

    fn step_back(&mut self) {
        self.ui.playing = false;
        self.lab_mut().step_back();
        self.rescan();
    }

    fn seek(&mut self, t: Micros) {
        let back = t < self.lab().now();
        self.lab_mut().seek(t);
        if back {
            self.rescan();
        }
    }

    /// An intervention rewrites the future: the timeline ends at the present.
    fn intervene(&mut self, action: Action) {
        self.lab_mut().intervene(action);
        let now = self.lab().now();
        self.horizon = now;
        self.rescan();
    }

    /// Runs on by `wall_ms` of real time at the current speed (at most 100 ms, after a stall),
    /// in slices, stopping early when the frame's budget is spent, and pausing at the moment a
    /// prediction holds the run at.
    fn advance(&mut self, wall_ms: f64, clock: &Clock) {
        if !self.ui.playing {
            return;
        }
        let hold = self.hold().unwrap_or(Micros::MAX);
        let wall_ms = wall_ms.clamp(0.0, 100.0);
        let mut lab = self.lab_mut();
        let target = lab.now() + (wall_ms * self.ui.speed * MS as f64).round() as Micros;
        let target = target.min(hold);
        let step = (2 * MS).max(target.saturating_sub(lab.now()) / 8);
        let start = clock.now();
        while lab.now() < target && clock.now() - start < FRAME_BUDGET_MS {
            let next = (lab.now() + step).min(target);
            lab.run_until(next);
        }
        let held = lab.now() >= hold;
        drop(lab);
        self.ui.playing &= !held;
    }

    /// Starts a new run of `config`; the scenario, if any, is set by the caller.
    fn reset(&mut self, config: Setup) -> Result<(), String> {
        let lab = new_lab(&config).map_err(|e| say(self.ui.lang, &e))?;
        self.start(lab, config, None);
        Ok(())
    }

    /// Replaces the run. The plain state keeps playback, speed, tool and alert.
    fn start(&mut self, lab: Lab, config: Setup, scenario: Option<&'static BuiltIn>) {
        if config.protocol != self.ui.config.protocol {
            self.ui.tradeoff = None;
        }
        self.run = Rc::new(RefCell::new(lab));
        self.ui.config = config;
        self.ui.scenario = scenario;
        self.ui.selection = Selection::None;
        self.ui.picked.clear();
        self.ui.chart.focus = None;
        self.ui.chart.hidden_lanes.clear();
        self.horizon = 0;
        self.scan = Scan::default();
        self.generation += 1;
        self.compare = None;
    }

    /// Loads a share link: settings, interventions and time. On error the current run stays.
    fn load_link(&mut self, text: &str) -> Result<(), String> {
        let params = app_params(text);
        if let Some(lang) = params.lang {
            self.ui.lang = lang;
        }
        let lang = self.ui.lang;
        let cannot = |e: Text| fill(lang, Msg::LinkCannotOpen, &[&say(lang, &e)]);
        let text = params.engine;
        if is_compare_link(&text) {
            return self.load_compare_link(&text);
        }
        let [metrics, diagram, history] = params.open;
        let state = link::decode(&text).map_err(cannot)?;
        let mut lab = new_lab(&state.config).map_err(cannot)?;
        lab.load_interventions(state.interventions.clone())?;
        let end = state
            .interventions
            .last()
            .map_or(state.t, |iv| iv.at.max(state.t));
        lab.seek(end);
        lab.seek(state.t);
        let scenario = state.scenario.as_deref().and_then(catalog::find);
        self.start(lab, state.config, scenario);
        self.horizon = end;
        self.ui.playing = false;
        self.ui.metrics |= metrics;
        self.ui.diagram |= diagram;
        self.ui.history |= history;
        self.load_class(params.class)
    }

    /// Applies a link's classroom parameters: a teacher's limits, the exercise or tour it opens
    /// on the run just loaded.
    fn load_class(&mut self, class: ClassParams) -> Result<(), String> {
        self.pin_limits(&class);
        if let Some(id) = class.exercise {
            self.attach_exercise(id)?;
        }
        if let Some(id) = class.tour {
            self.attach_tour(&id)?;
        }
        Ok(())
    }

    /// Pins a teacher's link's limits (`allow=`, `hide=`), if it has any.
    pub(super) fn pin_limits(&mut self, class: &ClassParams) {
        if class.allow.is_some() || class.hide.is_some() {
            self.ui.limits = Limits {
                allow: class.allow.as_deref().map(names),
                hide: class.hide.as_deref().map(names).unwrap_or_default(),
                pinned: true,
            };
        }
    }

    /// Loads a built-in scenario from its stored link (settings, actions as interventions, end
    /// time), then rewinds to the start so it can be watched unfolding.
    fn load_scenario(&mut self, name: &str) -> Result<(), String> {
        let built_in =
            catalog::find(name).ok_or_else(|| fill(self.ui.lang, Msg::NoScenario, &[name]))?;
        let link = built_in
            .link()
            .ok_or_else(|| fill(self.ui.lang, Msg::NoRecording, &[name]))?;
        self.load_link(link)?;
        self.ui.scenario = Some(built_in);
        self.lab_mut().seek(0);
        Ok(())
    }

    /// Opens or closes the diagram or the history view, changes the diagram's layout or
    /// filters, or moves to an item's moment and highlights its chain.
    fn change_diagram(&mut self, cmd: DiagramCmd) {
        match cmd {
            DiagramCmd::Toggle => self.ui.diagram = !self.ui.diagram,
            DiagramCmd::ToggleHistory => self.ui.history = !self.ui.history,
            DiagramCmd::Pick(t, _) => {
                self.ui.playing = false;
                self.seek(t);
            }
            _ => {}
        }
        self.ui.chart.change(cmd);
    }

    fn compare_intervals(&mut self) {
        let figures = snapshot_tradeoff(&self.ui.config, TRADEOFF_RUN);
        self.ui.tradeoff = Some(Rc::new(figures));
    }

    /// A click selects what it hit, except that the partition and cut tools pick nodes.
    fn click(&mut self, hit: Option<Hit>) {
        match (hit, self.ui.tool) {
            (Some(Hit::Node(n)), Tool::Partition | Tool::Cut) => self.pick(n),
            (Some(Hit::Node(n)), Tool::Inspect) => self.ui.selection = Selection::Node(n),
            (Some(Hit::Message(m)), _) => self.ui.selection = Selection::Message(m),
            (None, _) => self.ui.selection = Selection::None,
        }
    }

    fn set_tool(&mut self, t: Tool) {
        self.ui.tool = t;
        self.ui.picked.clear();
    }

    fn dismiss(&mut self) {
        self.set_tool(Tool::Inspect);
        self.ui.selection = Selection::None;
    }

    /// Picks or unpicks a node; with the cut tool, the second pick cuts the link between them.
    fn pick(&mut self, n: NodeId) {
        let picked = &mut self.ui.picked;
        match picked.iter().position(|p| *p == n) {
            Some(i) => {
                picked.remove(i);
            }
            None => picked.push(n),
        }
        if self.ui.tool == Tool::Cut && picked.len() == 2 {
            let (a, b) = (picked[0], picked[1]);
            picked.clear();
            self.intervene(Action::Cut(a, b));
        }
    }

    fn apply_partition(&mut self) {
        let picked = std::mem::take(&mut self.ui.picked);
        let rest: Vec<NodeId> = (1..=self.ui.config.nodes)
            .filter(|id| !picked.contains(id))
            .collect();
        if !picked.is_empty() && !rest.is_empty() {
            self.intervene(Action::Partition(vec![picked, rest]));
        }
        self.ui.tool = Tool::Inspect;
    }
}

/// `config` with Raft's snapshot interval set to `interval` applied entries (at most 100,000).
fn with_interval(config: &Setup, interval: u64) -> Setup {
    let mut c = config.clone();
    c.options.values.retain(|(n, _)| n != SNAPSHOT_INTERVAL);
    c.options
        .values
        .push((SNAPSHOT_INTERVAL.into(), interval.min(100_000)));
    c
}
