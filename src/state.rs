//! The app's state: one [`Session`] holding the engine, and a reducer over [`LabAction`].
//!
//! The session lives behind an `Rc` shared by the reducer, the animation loop and the JavaScript
//! API, so each of them sees the same run. Every change goes through [`Session::apply`]; the
//! reducer calls it and hands Yew a new `Rc<LabState>` so the panels re-render, while the canvas
//! is redrawn by the animation loop on its own.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use quorum_engine::lab::catalog::{self, BuiltIn};
use quorum_engine::lab::{new_lab, Lab, LogLine, Marker, Setup};
use quorum_engine::model::types::{Micros, MsgId, NodeId, MS};
use quorum_engine::run::link::{self, SharedState};
use quorum_engine::sim::action::Action;
use yew::Reducible;

use serde_json::{json, Value};

/// The slowest speed: 1/1000 of real time.
pub const SPEED_MIN: f64 = 0.001;
/// The fastest speed: 50 times real time.
pub const SPEED_MAX: f64 = 50.0;
/// The default speed: 1/50 of real time, so a 10 ms message takes half a second to fly.
pub const SPEED_DEFAULT: f64 = 0.02;
/// Most engine work one animation frame may do, in wall milliseconds.
const FRAME_BUDGET_MS: f64 = 6.0;
/// Event-log lines kept for display.
const LOG_KEEP: usize = 300;

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

/// Everything a user (or the JS API) can do.
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
    /// Apply a fault or user action now.
    Act(Action),
    /// Start over with new settings.
    Reset(Setup),
    /// Load a share link.
    LoadLink(String),
    /// Load a built-in scenario by name.
    LoadScenario(String),
    /// Select something on the canvas.
    Select(Selection),
    /// Choose the canvas tool.
    Tool(Tool),
    /// A node clicked with the partition or cut tool.
    Pick(NodeId),
    /// Split the network: picked nodes against the rest.
    ApplyPartition,
    /// Dismiss the alert.
    ClearAlert,
    /// Nothing changed but the panels should redraw (the animation advanced).
    Refresh,
}

/// Per-frame work measurements, for the frame-time probe.
#[derive(Clone, Debug, Default)]
pub struct FrameStats {
    samples: Vec<f64>,
    next: usize,
    /// Frames measured in total.
    pub frames: u64,
}

impl FrameStats {
    const KEEP: usize = 600;

    /// Records one frame's work in milliseconds.
    pub fn record(&mut self, ms: f64) {
        if self.samples.len() < Self::KEEP {
            self.samples.push(ms);
        } else {
            self.samples[self.next] = ms;
        }
        self.next = (self.next + 1) % Self::KEEP;
        self.frames += 1;
    }

    /// The p-th percentile of the recent frames (0 when none).
    pub fn percentile(&self, p: f64) -> f64 {
        if self.samples.is_empty() {
            return 0.0;
        }
        let mut s = self.samples.clone();
        s.sort_by(f64::total_cmp);
        let i = ((s.len() - 1) as f64 * p / 100.0).round() as usize;
        s[i]
    }

    /// Forgets the samples.
    pub fn clear(&mut self) {
        self.samples.clear();
        self.next = 0;
    }
}

/// The running lab and everything the UI knows about it.
pub struct Session {
    lab: RefCell<Lab>,
    config: RefCell<Setup>,
    scenario: Cell<Option<&'static BuiltIn>>,
    /// Animation running.
    pub playing: Cell<bool>,
    /// Simulated seconds per real second.
    pub speed: Cell<f64>,
    /// The furthest time this branch has reached (the timeline's end).
    pub horizon: Cell<Micros>,
    /// A message for the user (bad link, failed expectation), shown with `role="alert"`.
    pub alert: RefCell<Option<String>>,
    /// Frame-time measurements.
    pub stats: RefCell<FrameStats>,
    /// Canvas selection.
    pub selection: Cell<Selection>,
    /// Canvas tool.
    pub tool: Cell<Tool>,
    /// Nodes picked by the partition or cut tool.
    pub picked: RefCell<Vec<NodeId>>,
    /// Node centres on the canvas, in CSS pixels, as last drawn.
    pub centers: RefCell<Vec<(NodeId, f64, f64)>>,
    /// Positions of the messages in flight on the canvas, as last drawn.
    pub msg_positions: RefCell<Vec<(MsgId, f64, f64)>>,
    markers: RefCell<(usize, Vec<Marker>)>,
    log: RefCell<(usize, Vec<LogLine>)>,
}

impl Session {
    /// A session running `config`.
    pub fn new(config: Setup) -> Result<Self, String> {
        let lab = new_lab(&config)?;
        Ok(Session {
            lab: RefCell::new(lab),
            config: RefCell::new(config),
            scenario: Cell::new(None),
            playing: Cell::new(false),
            speed: Cell::new(SPEED_DEFAULT),
            horizon: Cell::new(0),
            alert: RefCell::new(None),
            stats: RefCell::new(FrameStats::default()),
            selection: Cell::new(Selection::None),
            tool: Cell::new(Tool::Inspect),
            picked: RefCell::new(Vec::new()),
            centers: RefCell::new(Vec::new()),
            msg_positions: RefCell::new(Vec::new()),
            markers: RefCell::new((0, Vec::new())),
            log: RefCell::new((0, Vec::new())),
        })
    }

    /// A session from the page's query string: a share link, a scenario name, or the default.
    /// A broken link leaves the default lab running and an alert saying why.
    pub fn from_query(query: &str) -> Self {
        let session = Session::new(Setup::default()).expect("the default lab is valid");
        if query
            .trim_start_matches('?')
            .split('&')
            .any(|p| p.starts_with("v="))
        {
            session.report(session.load_link(query));
        } else if let Some(name) = query_value(query, "sc") {
            session.report(session.load_scenario(&name));
        }
        session
    }

    fn report(&self, result: Result<(), String>) {
        if let Err(e) = result {
            *self.alert.borrow_mut() = Some(e);
        }
    }

    /// The lab, for reading.
    pub fn lab(&self) -> std::cell::Ref<'_, Lab> {
        self.lab.borrow()
    }

    /// The current settings.
    pub fn config(&self) -> Setup {
        self.config.borrow().clone()
    }

    /// The built-in scenario loaded, if any.
    pub fn scenario(&self) -> Option<&'static BuiltIn> {
        self.scenario.get()
    }

    /// Current simulated time.
    pub fn now(&self) -> Micros {
        self.lab.borrow().now()
    }

    /// Applies an action. Errors are also shown as the alert.
    pub fn apply(&self, action: LabAction) -> Result<(), String> {
        let result = self.apply_inner(action);
        self.report(result.clone());
        self.horizon.set(self.horizon.get().max(self.now()));
        result
    }

    fn apply_inner(&self, action: LabAction) -> Result<(), String> {
        match action {
            LabAction::Play => self.playing.set(true),
            LabAction::Pause => self.playing.set(false),
            LabAction::TogglePlay => self.playing.set(!self.playing.get()),
            LabAction::Step => self.step(),
            LabAction::StepBack => self.step_back(),
            LabAction::Speed(s) => self.speed.set(s.clamp(SPEED_MIN, SPEED_MAX)),
            LabAction::Seek(t) => self.seek(t),
            LabAction::Act(a) => self.intervene(a),
            LabAction::Reset(config) => return self.reset(config, None),
            LabAction::LoadLink(l) => return self.load_link(&l),
            LabAction::LoadScenario(name) => return self.load_scenario(&name),
            LabAction::Select(s) => self.selection.set(s),
            LabAction::Tool(t) => self.set_tool(t),
            LabAction::Pick(n) => self.pick(n),
            LabAction::ApplyPartition => self.apply_partition(),
            LabAction::ClearAlert => *self.alert.borrow_mut() = None,
            LabAction::Refresh => {}
        }
        Ok(())
    }

    fn step(&self) {
        self.playing.set(false);
        self.lab.borrow_mut().step();
    }

    fn step_back(&self) {
        self.playing.set(false);
        self.lab.borrow_mut().step_back();
        self.rescan();
    }

    fn seek(&self, t: Micros) {
        let back = t < self.now();
        self.lab.borrow_mut().seek(t);
        if back {
            self.rescan();
        }
    }

    fn intervene(&self, action: Action) {
        self.lab.borrow_mut().intervene(action);
        self.horizon.set(self.now());
        self.rescan();
    }

    /// Forgets cached markers and log lines past the present (after going back in time).
    fn rescan(&self) {
        let len = self.lab.borrow().trace_len();
        let mut m = self.markers.borrow_mut();
        let now = self.now();
        m.1.retain(|x| x.t <= now);
        m.0 = m.0.min(len);
        let mut l = self.log.borrow_mut();
        l.1.retain(|x| x.index < len);
        l.0 = l.0.min(len);
    }

    fn reset(&self, config: Setup, scenario: Option<&'static BuiltIn>) -> Result<(), String> {
        let lab = new_lab(&config)?;
        *self.lab.borrow_mut() = lab;
        *self.config.borrow_mut() = config;
        self.scenario.set(scenario);
        self.horizon.set(0);
        self.selection.set(Selection::None);
        self.picked.borrow_mut().clear();
        *self.markers.borrow_mut() = (0, Vec::new());
        *self.log.borrow_mut() = (0, Vec::new());
        self.stats.borrow_mut().clear();
        Ok(())
    }

    /// Loads a share link: settings, interventions and time. On error the current run stays.
    pub fn load_link(&self, text: &str) -> Result<(), String> {
        let state = link::decode(text).map_err(|e| format!("This link cannot be opened: {e}."))?;
        let mut lab =
            new_lab(&state.config).map_err(|e| format!("This link cannot be opened: {e}."))?;
        lab.load_interventions(state.interventions.clone())?;
        let end = state
            .interventions
            .last()
            .map_or(state.t, |iv| iv.at.max(state.t));
        lab.seek(end);
        lab.seek(state.t);
        let scenario = state.scenario.as_deref().and_then(catalog::find);
        self.reset(state.config, scenario)?;
        *self.lab.borrow_mut() = lab;
        self.horizon.set(end);
        self.playing.set(false);
        Ok(())
    }

    /// Loads a built-in scenario from its stored link (settings, actions as interventions, end
    /// time), then rewinds to the start so it can be watched unfolding.
    pub fn load_scenario(&self, name: &str) -> Result<(), String> {
        let built_in = catalog::find(name)
            .ok_or_else(|| format!("There is no scenario called \"{name}\"."))?;
        let link = built_in
            .link()
            .ok_or_else(|| format!("Scenario {name} has no recording."))?;
        self.load_link(link)?;
        self.scenario.set(Some(built_in));
        self.lab.borrow_mut().seek(0);
        Ok(())
    }

    fn set_tool(&self, t: Tool) {
        self.tool.set(t);
        self.picked.borrow_mut().clear();
    }

    fn pick(&self, n: NodeId) {
        let tool = self.tool.get();
        let mut picked = self.picked.borrow_mut();
        if let Some(i) = picked.iter().position(|p| *p == n) {
            picked.remove(i);
        } else {
            picked.push(n);
        }
        if tool == Tool::Cut && picked.len() == 2 {
            let (a, b) = (picked[0], picked[1]);
            picked.clear();
            drop(picked);
            self.intervene(Action::Cut(a, b));
        }
    }

    fn apply_partition(&self) {
        let picked = std::mem::take(&mut *self.picked.borrow_mut());
        let n = self.config.borrow().nodes;
        let rest: Vec<NodeId> = (1..=n).filter(|id| !picked.contains(id)).collect();
        if !picked.is_empty() && !rest.is_empty() {
            self.intervene(Action::Partition(vec![picked, rest]));
        }
        self.tool.set(Tool::Inspect);
    }

    /// Advances the animation by `wall_ms` of real time at the current speed, within the frame
    /// budget. Returns true when the run moved.
    pub fn advance(&self, wall_ms: f64, clock: &mut dyn FnMut() -> f64) -> bool {
        if !self.playing.get() {
            return false;
        }
        let wall_ms = wall_ms.clamp(0.0, 100.0);
        let target = self.now() + (wall_ms * self.speed.get() * MS as f64).round() as Micros;
        let start = clock();
        let mut lab = self.lab.borrow_mut();
        let step = (2 * MS).max((target - lab.now()) / 8);
        while lab.now() < target && clock() - start < FRAME_BUDGET_MS {
            let next = (lab.now() + step).min(target);
            lab.run_until(next);
        }
        drop(lab);
        self.horizon.set(self.horizon.get().max(self.now()));
        true
    }

    /// Timeline markers up to now (scanned incrementally).
    pub fn markers(&self) -> Vec<Marker> {
        let lab = self.lab.borrow();
        let mut m = self.markers.borrow_mut();
        let len = lab.trace_len();
        if m.0 < len {
            let new = lab.markers(m.0);
            m.1.extend(new);
            m.0 = len;
        }
        m.1.clone()
    }

    /// The most recent event-log lines (scanned incrementally).
    pub fn log_lines(&self) -> Vec<LogLine> {
        let lab = self.lab.borrow();
        let mut l = self.log.borrow_mut();
        let len = lab.trace_len();
        if l.0 < len {
            let start = l.0.max(len.saturating_sub(20_000));
            let new = lab.log_lines(start, usize::MAX);
            l.1.extend(new);
            let excess = l.1.len().saturating_sub(LOG_KEEP);
            l.1.drain(..excess);
            l.0 = len;
        }
        l.1.clone()
    }

    /// The share link of the present state (query string, without `?`).
    pub fn link(&self) -> String {
        let lab = self.lab.borrow();
        link::encode(&SharedState {
            config: self.config(),
            interventions: lab.interventions(),
            t: lab.now(),
            scenario: self.scenario.get().map(|s| s.name.to_string()),
        })
    }

    /// The JS API's `state()`: time, seed, protocol, nodes (with canvas centres), messages in
    /// flight, violations, partition groups and the world digest.
    pub fn state_json(&self) -> Value {
        let lab = self.lab.borrow();
        let frame = lab.frame();
        let nodes = frame
            .nodes
            .iter()
            .map(|n| self.node_json(n))
            .collect::<Vec<_>>();
        let violations: Vec<Value> = lab
            .invariants()
            .into_iter()
            .filter_map(|i| {
                let (t, d) = i.violated?;
                Some(json!({"invariant": i.name, "t": t, "detail": d}))
            })
            .collect();
        let messages: Vec<Value> = frame
            .messages
            .iter()
            .filter(|m| m.died_at.is_none())
            .map(|m| {
                json!({"id": m.id, "from": m.from.to_string(), "to": m.to.to_string(), "label": m.look.label.clone()})
            })
            .collect();
        let config = self.config();
        let groups: Vec<Value> = frame.groups.iter().map(|g| g.clone().into()).collect();
        let cuts: Vec<Value> = frame
            .cuts
            .iter()
            .map(|(a, b)| vec![*a, *b].into())
            .collect();
        json!({"t": frame.t, "seed": config.seed, "protocol": config.protocol, "nodes": nodes, "in_flight": messages.len(), "messages": messages, "violations": violations, "groups": groups, "cuts": cuts, "hash": format!("{:016x}", lab.digest()), "playing": self.playing.get(), "speed": self.speed.get(), "scenario": self.scenario.get().map(|s| s.name)})
    }

    fn node_json(&self, n: &quorum_engine::lab::NodeFrame) -> Value {
        let centers = self.centers.borrow();
        let (x, y) = centers
            .iter()
            .find(|c| c.0 == n.id)
            .map_or((0.0, 0.0), |c| (c.1, c.2));
        json!({"id": n.id, "role": n.role.clone(), "term": n.epoch, "up": n.up, "x": x, "y": y, "log": n.detail.as_ref().map_or(0, |d| d.log.len())})
    }

    /// Where a message in flight was last drawn (`{x, y}`), or `null`.
    pub fn message_position(&self, id: MsgId) -> Value {
        let found = self
            .msg_positions
            .borrow()
            .iter()
            .find(|m| m.0 == id)
            .map(|m| (m.1, m.2));
        found.map_or(Value::Null, |(x, y)| json!({"x": x, "y": y}))
    }

    /// The frame-time probe's figures.
    pub fn frame_stats(&self) -> Value {
        let s = self.stats.borrow();
        json!({"frames": s.frames, "p50_ms": s.percentile(50.0), "p95_ms": s.percentile(95.0), "max_ms": s.percentile(100.0), "in_flight": self.lab.borrow().in_flight_count()})
    }
}

/// The value of `key` in a query string.
pub fn query_value(query: &str, key: &str) -> Option<String> {
    query.trim_start_matches('?').split('&').find_map(|p| {
        p.split_once('=')
            .filter(|(k, _)| *k == key)
            .map(|(_, v)| v.to_string())
    })
}

/// The reducer's state: the shared session and a version that changes on every action.
pub struct LabState {
    /// The session.
    pub session: Rc<Session>,
    /// Bumped on every action, so Yew re-renders.
    pub version: u64,
}

impl PartialEq for LabState {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.session, &other.session) && self.version == other.version
    }
}

impl Reducible for LabState {
    type Action = LabAction;

    fn reduce(self: Rc<Self>, action: LabAction) -> Rc<Self> {
        let _ = self.session.apply(action);
        Rc::new(LabState {
            session: self.session.clone(),
            version: self.version + 1,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock() -> f64 {
        0.0
    }

    #[test]
    fn a_broken_link_leaves_the_default_lab_and_an_alert() {
        let s = Session::from_query("?v=1&n=40");
        assert!(s
            .alert
            .borrow()
            .as_deref()
            .unwrap_or_default()
            .contains("2 to 9"));
        assert_eq!(s.config().nodes, 5);
        let s = Session::from_query("?v=3");
        assert!(s
            .alert
            .borrow()
            .as_deref()
            .unwrap_or_default()
            .contains("version 3"));
    }

    #[test]
    fn a_link_reproduces_the_state_it_was_copied_from() {
        let s = Session::new(Setup::default()).unwrap();
        s.apply(LabAction::Seek(400 * MS)).unwrap();
        s.apply(LabAction::Act(Action::Crash(1))).unwrap();
        s.apply(LabAction::Seek(900 * MS)).unwrap();
        let copy = Session::from_query(&format!("?{}", s.link()));
        assert!(copy.alert.borrow().is_none());
        assert_eq!(copy.state_json().get("hash"), s.state_json().get("hash"));
        assert_eq!(copy.now(), 900 * MS);
    }

    #[test]
    fn scenarios_load_rewound_with_their_actions_recorded() {
        let s = Session::from_query("?sc=partitioned_leader_cannot_commit");
        assert!(s.alert.borrow().is_none(), "{:?}", s.alert.borrow());
        assert_eq!(s.now(), 0);
        assert!(s.horizon.get() > 0);
        assert!(!s.lab().interventions().is_empty());
        let missing = Session::from_query("?sc=nope");
        assert!(missing.alert.borrow().is_some());
    }

    #[test]
    fn the_partition_tool_splits_picked_nodes_from_the_rest() {
        let s = Session::new(Setup::default()).unwrap();
        s.apply(LabAction::Tool(Tool::Partition)).unwrap();
        s.apply(LabAction::Pick(1)).unwrap();
        s.apply(LabAction::Pick(2)).unwrap();
        s.apply(LabAction::ApplyPartition).unwrap();
        assert_eq!(s.lab().frame().groups, vec![vec![1, 2], vec![3, 4, 5]]);
        s.apply(LabAction::Tool(Tool::Cut)).unwrap();
        s.apply(LabAction::Pick(4)).unwrap();
        s.apply(LabAction::Pick(5)).unwrap();
        assert_eq!(s.lab().frame().cuts, vec![(4, 5)]);
    }

    #[test]
    fn playing_advances_by_speed_and_pausing_stops() {
        let s = Session::new(Setup::default()).unwrap();
        assert!(!s.advance(16.0, &mut clock));
        s.apply(LabAction::Play).unwrap();
        s.apply(LabAction::Speed(1.0)).unwrap();
        let mut t = 0.0;
        let mut ticking = move || {
            t += 0.001;
            t
        };
        assert!(s.advance(50.0, &mut ticking));
        assert_eq!(s.now(), 50 * MS);
        s.apply(LabAction::Pause).unwrap();
        assert!(!s.advance(50.0, &mut clock));
    }

    #[test]
    fn frame_stats_report_percentiles() {
        let mut f = FrameStats::default();
        for i in 1..=100 {
            f.record(i as f64);
        }
        assert_eq!(f.percentile(50.0), 51.0);
        assert_eq!(f.percentile(100.0), 100.0);
        assert_eq!(f.frames, 100);
    }
}
