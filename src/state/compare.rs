//! The compare view's part of the state: an engine [`Comparison`] (two to four protocols on one
//! fault schedule under one time cursor), each run's frame of the present instant, and what the
//! panels show of it ([`CompareView`]).
//!
//! The comparison measures its runs itself, incrementally; the view only reads the reports.

use crate::i18n::{fill, say, tr, Lang, Msg};
use std::cell::{Ref, RefCell};
use std::rc::Rc;

use quorum_engine::lab::compare::{Aim, Comparison, Divergence, Scheduled};
use quorum_engine::lab::{Frame, Marker};
use quorum_engine::metrics::MetricsReport;
use quorum_engine::model::text::{Arg, Phrase, Text};
use quorum_engine::model::types::{Micros, NodeId};
use quorum_engine::run::scenario::LeaderAction;
use quorum_engine::sim::action::Action;

/// The protocols the compare view starts with.
pub const COMPARE_DEFAULT: [&str; 3] = ["raft", "multi-paxos", "primary-backup"];

/// A running comparison. Cloning it is cheap: the comparison is shared like the single lab's run.
#[derive(Clone)]
pub struct Compare {
    run: Rc<RefCell<Comparison>>,
    /// Each run's frame of the present instant, in lane order: what the lanes' canvases draw.
    pub frames: Rc<Vec<Frame>>,
    /// The furthest time this branch has reached (the timeline's end).
    pub horizon: Micros,
    /// The last action and the node it hit in each run.
    hits: Option<(Aim, Vec<Option<NodeId>>)>,
    /// The first divergence found on this branch, kept when the cursor goes back before it
    /// (the same schedule replays the same worlds, so it still lies ahead).
    found: Option<Divergence>,
}

impl Compare {
    /// Starts showing `run` at its present moment.
    pub fn new(run: Comparison) -> Self {
        let horizon = run.now().max(run.schedule().last().map_or(0, |s| s.at));
        let mut c = Compare {
            run: Rc::new(RefCell::new(run)),
            frames: Rc::default(),
            horizon,
            hits: None,
            found: None,
        };
        c.renew_frames();
        c
    }

    /// The engine's comparison, for reading.
    pub fn run(&self) -> Ref<'_, Comparison> {
        self.run.borrow()
    }

    /// Moves every run to `t`.
    pub fn seek(&mut self, t: Micros) {
        self.run.borrow_mut().seek(t);
    }

    /// What the last action hit in each run, as a sentence in `lang`.
    pub fn hits(&self, lang: Lang) -> Option<String> {
        let (aim, hit) = self.hits.as_ref()?;
        Some(hits_text(lang, aim, &self.protocols(), hit))
    }

    /// Applies an action in every run now; the timeline ends at the present (the future changed).
    /// A refusal says why in `lang`.
    pub fn act(&mut self, aim: Aim, lang: Lang) -> Result<(), String> {
        let hit = self
            .run
            .borrow_mut()
            .act(aim.clone())
            .map_err(|e| say(lang, &e))?;
        self.hits = Some((aim, hit));
        let now = self.run().now();
        self.horizon = now;
        self.found = self.found.take().filter(|d| d.at < now);
        Ok(())
    }

    /// Renews each run's frame and extends the timeline to the present.
    pub fn renew_frames(&mut self) {
        let run = self.run.borrow();
        self.frames = Rc::new(run.lanes().iter().map(|l| l.lab.frame()).collect());
        self.horizon = self.horizon.max(run.now());
    }

    /// The first divergence on this branch: found up to now, or earlier up to the horizon.
    fn divergence(&mut self) -> Option<Divergence> {
        let now = self.run().divergence();
        if now.is_some() {
            self.found = now;
        }
        self.found.clone()
    }

    /// The protocols compared, in lane order.
    pub fn protocols(&self) -> Vec<String> {
        self.run()
            .lanes()
            .iter()
            .map(|l| l.protocol.clone())
            .collect()
    }

    /// What the panels show of the comparison now.
    pub fn view(&mut self, lang: Lang) -> CompareView {
        let divergence = self.divergence();
        let run = self.run();
        CompareView {
            protocols: self.protocols(),
            nodes: run.setup().nodes,
            reports: run.reports(),
            divergence,
            hits: self.hits(lang),
            leaders: run.lanes().iter().map(|l| l.lab.leader()).collect(),
        }
    }
}

/// What the compare view's panels show, as plain data.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CompareView {
    /// The protocols, in lane order.
    pub protocols: Vec<String>,
    /// Nodes in every run.
    pub nodes: u32,
    /// Each run's measurements so far.
    pub reports: Vec<MetricsReport>,
    /// The first moment the outcomes differ, if they have.
    pub divergence: Option<Divergence>,
    /// What the last action hit in each run.
    pub hits: Option<String>,
    /// Each run's leader now.
    pub leaders: Vec<Option<NodeId>>,
}

/// An action's name as the compare view says it.
pub fn aim_name(lang: Lang, aim: &Aim) -> String {
    let n = |msg: Msg, n: &NodeId| fill(lang, msg, &[&n.to_string()]);
    match aim {
        Aim::Leader(LeaderAction::Crash) => tr(lang, Msg::HitCrashLeader).into(),
        Aim::Leader(LeaderAction::Isolate) => tr(lang, Msg::HitIsolateLeader).into(),
        Aim::Leader(LeaderAction::Timeout) => tr(lang, Msg::HitTimeOutLeader).into(),
        Aim::Node(Action::Crash(id)) => n(Msg::HitCrashN, id),
        Aim::Node(Action::Restart(id)) => n(Msg::HitRestartN, id),
        Aim::Node(Action::Liveness) => tr(lang, Msg::HitRecoverAll).into(),
        Aim::Node(Action::Heal) => tr(lang, Msg::Heal).into(),
        Aim::Node(Action::Partition(_)) => tr(lang, Msg::Partition).into(),
        Aim::Node(_) => "action".into(),
    }
}

/// The sentence saying what an action hit in each run: "crash leader: raft n3, multi-paxos n1,
/// primary-backup no leader"; an action by node id hits the same node everywhere.
pub fn hits_text(lang: Lang, aim: &Aim, protocols: &[String], hit: &[Option<NodeId>]) -> String {
    let name = aim_name(lang, aim);
    if !matches!(aim, Aim::Leader(_)) {
        return fill(lang, Msg::HitEveryRun, &[&name]);
    }
    let each: Vec<String> = protocols
        .iter()
        .zip(hit)
        .map(|(p, n)| match n {
            Some(n) => format!("{p} n{n}"),
            None => fill(lang, Msg::HitNoLeader, &[p]),
        })
        .collect();
    format!("{name}: {}", each.join(", "))
}

/// The timeline's markers for a schedule: one per action, of the kind its effect draws.
pub fn schedule_markers(lang: Lang, schedule: &[Scheduled]) -> Vec<Marker> {
    schedule
        .iter()
        .map(|s| Marker {
            t: s.at,
            kind: match &s.aim {
                Aim::Leader(LeaderAction::Crash) | Aim::Node(Action::Crash(_)) => "crash",
                Aim::Leader(LeaderAction::Isolate) | Aim::Node(Action::Partition(_)) => "partition",
                Aim::Leader(LeaderAction::Timeout) => "election",
                Aim::Node(Action::Heal) => "heal",
                _ => "restart",
            },
            text: Text {
                phrase: Phrase::Word,
                args: vec![Arg::Str(aim_name(lang, &s.aim))],
            },
        })
        .collect()
}
