//! The compare view's engine: several protocols run side by side on one fault schedule, under one
//! time cursor, measured as they go.
//!
//! A [`Comparison`] holds one lab per protocol, all with the same nodes, seed, clients and network.
//! The user's actions form one *schedule*: each entry is stamped with the simulated time it was
//! made at and is aimed either at a node id (`crash 2`) or at a role ([`Aim::Leader`]: "crash the
//! leader" hits Raft's leader, Multi-Paxos's distinguished proposer, primary-backup's primary). Each
//! lab resolves a role at that moment in its own world, so the same schedule means the same thing
//! to every protocol. Moving the cursor moves every lab; an action after a seek into the past
//! starts a new branch in every lab, as in the single lab.
//!
//! Each lab is measured incrementally ([`Metrics`]), and [`Comparison::divergence`] names the
//! first moment the outcomes differ: the first [`BIN`] in which clients of one protocol went
//! unserved while those of another were served.
//!
//! A comparison round-trips through a share link ([`Comparison::link`], [`Comparison::from_link`]):
//!
//! ```text
//! v=1&cmp=raft,multi-paxos,primary-backup&n=5&seed=3&c=3&sch=2000000.cL~5000000.live&t=9000000
//! ```
//!
//! `sch` lists `AT.ACTION` entries separated by `~`: the single lab's action texts
//! ([`crate::run::link`]) plus `cL`, `iL` and `tL` (crash, isolate, time out the leader). Message
//! actions (drop, duplicate, delay one message) name a message of one run and cannot be compared.

use crate::lab::{new_lab, Lab};
use crate::metrics::{Metrics, MetricsReport, BIN};
use crate::model::text::{quoted, text, Arg, Phrase, Text};
use crate::model::types::{Micros, NodeId};
use crate::run::link::{self, SharedState};
use crate::run::scenario::LeaderAction;
use crate::run::setup::Setup;
use crate::sim::action::Action;

/// The most protocols one comparison runs.
pub const MAX_PROTOCOLS: usize = 4;

/// What an action of the schedule is aimed at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Aim {
    /// A concrete action, the same in every run (node ids, the network, a client request).
    Node(Action),
    /// An action on whichever node leads in each run at that moment.
    Leader(LeaderAction),
}

/// One entry of the schedule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scheduled {
    /// Simulated time it applies at.
    pub at: Micros,
    /// What it does.
    pub aim: Aim,
}

/// The first moment the runs' outcomes differ.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Divergence {
    /// Start of the first bin in which some runs served clients and others did not.
    pub at: Micros,
    /// For each run, in order: whether its clients were served throughout that bin.
    pub served: Vec<bool>,
}

/// One protocol's run in a comparison.
pub struct Lane {
    /// Protocol name.
    pub protocol: String,
    /// The run.
    pub lab: Lab,
    /// Schedule entries already part of this run's branch.
    applied: usize,
    /// Measurements of the run so far and the trace position they have read to.
    metrics: Metrics,
    measured: usize,
}

/// Several protocols on one schedule (see the module documentation).
pub struct Comparison {
    setup: Setup,
    lanes: Vec<Lane>,
    schedule: Vec<Scheduled>,
    now: Micros,
}

impl Comparison {
    /// Starts one run per protocol with `setup`'s nodes, seed, clients and network (each protocol
    /// with its default options). Two to [`MAX_PROTOCOLS`] distinct protocols.
    pub fn new(setup: &Setup, protocols: &[String]) -> Result<Self, Text> {
        if !(2..=MAX_PROTOCOLS).contains(&protocols.len()) {
            return Err(text!(CompareCount, MAX_PROTOCOLS, protocols.len()));
        }
        if let Some(p) = protocols
            .iter()
            .enumerate()
            .find_map(|(i, p)| protocols[..i].contains(p).then_some(p))
        {
            return Err(text!(NamedTwice, quoted(p)));
        }
        let lanes = protocols
            .iter()
            .map(|p| lane(setup, p))
            .collect::<Result<_, _>>()?;
        Ok(Comparison {
            setup: Setup {
                protocol: protocols[0].clone(),
                options: Default::default(),
                ..setup.clone()
            },
            lanes,
            schedule: Vec::new(),
            now: 0,
        })
    }

    /// Rebuilds a comparison from its share link and moves it to the link's moment.
    pub fn from_link(query: &str) -> Result<Self, Text> {
        let parts = split_link(query)?;
        let mut c = Comparison::new(&parts.base.config, &parts.protocols)?;
        c.schedule = parts.schedule;
        c.seek(parts.base.t);
        Ok(c)
    }

    /// The share link's query string: settings, protocols, schedule and the current moment.
    pub fn link(&self) -> String {
        let base = link::encode(&SharedState {
            config: self.setup.clone(),
            interventions: Vec::new(),
            t: self.now,
            scenario: None,
        });
        let protocols: Vec<&str> = self.lanes.iter().map(|l| l.protocol.as_str()).collect();
        let mut parts: Vec<String> = base
            .split('&')
            .filter(|p| !p.starts_with("p="))
            .map(String::from)
            .collect();
        parts.insert(1, format!("cmp={}", protocols.join(",")));
        if !self.schedule.is_empty() {
            let items: Vec<String> = self.schedule.iter().map(entry_text).collect();
            let at = parts.len() - 1;
            parts.insert(at, format!("sch={}", items.join("~")));
        }
        parts.join("&")
    }

    /// The runs, in the order their protocols were given.
    pub fn lanes(&self) -> &[Lane] {
        &self.lanes
    }

    /// The shared settings (the first protocol's name stands in `protocol`).
    pub fn setup(&self) -> &Setup {
        &self.setup
    }

    /// The schedule so far.
    pub fn schedule(&self) -> &[Scheduled] {
        &self.schedule
    }

    /// The shared time cursor.
    pub fn now(&self) -> Micros {
        self.now
    }

    /// Moves every run to `t`, forwards or backwards, applying the schedule entries due on the way.
    pub fn seek(&mut self, t: Micros) {
        for lane in &mut self.lanes {
            lane.advance(&self.schedule, t);
        }
        self.now = t;
        self.measure();
    }

    /// Applies an action now in every run (a role resolved in each) and adds it to the schedule;
    /// entries after now (left by a seek into the past) are discarded. Returns, per run, the node
    /// the action hit, or `None` where a role had nobody in it (nothing happened there).
    pub fn act(&mut self, aim: Aim) -> Result<Vec<Option<NodeId>>, Text> {
        check_aim(&aim, self.setup.nodes)?;
        self.seek(self.now);
        let kept = self.schedule.partition_point(|s| s.at <= self.now);
        self.schedule.truncate(kept);
        self.schedule.push(Scheduled { at: self.now, aim });
        let entry = self.schedule.last().expect("just pushed");
        let hit = self
            .lanes
            .iter_mut()
            .map(|lane| {
                lane.applied = kept;
                lane.apply(entry)
            })
            .collect();
        self.measure();
        Ok(hit)
    }

    /// What each run has measured up to now.
    pub fn reports(&self) -> Vec<MetricsReport> {
        self.lanes.iter().map(|l| l.metrics.report()).collect()
    }

    /// Each run's measurements up to now.
    pub fn metrics(&self) -> Vec<&Metrics> {
        self.lanes.iter().map(|l| &l.metrics).collect()
    }

    /// The first moment up to now at which some runs served their clients and others did not.
    pub fn divergence(&self) -> Option<Divergence> {
        divergence(&self.metrics())
    }

    fn measure(&mut self) {
        for lane in &mut self.lanes {
            let len = lane.lab.trace_len();
            if len < lane.measured {
                lane.metrics = Metrics::new();
                lane.measured = 0;
            }
            lane.lab.measure(&mut lane.metrics, lane.measured);
            lane.measured = len;
        }
    }
}

impl Lane {
    /// Moves this run to `t`, applying the schedule entries not yet in its branch at their times.
    fn advance(&mut self, schedule: &[Scheduled], t: Micros) {
        if t < self.lab.now() {
            self.lab.seek(t);
        }
        while let Some(entry) = schedule.get(self.applied).filter(|s| s.at <= t) {
            self.lab.seek(entry.at);
            self.apply(entry);
        }
        self.lab.seek(t);
    }

    /// Applies one entry now and counts it as part of the branch.
    fn apply(&mut self, entry: &Scheduled) -> Option<NodeId> {
        self.applied += 1;
        let (action, hit) = match &entry.aim {
            Aim::Node(a) => (a.clone(), target(a)),
            Aim::Leader(role) => {
                let n = self.lab.leader()?;
                (role.on(n), Some(n))
            }
        };
        self.lab.intervene(action);
        hit
    }
}

fn lane(setup: &Setup, protocol: &str) -> Result<Lane, Text> {
    let config = Setup {
        protocol: protocol.to_string(),
        options: Default::default(),
        ..setup.clone()
    };
    let mut lab = new_lab(&config).map_err(|e| text!(Labeled, Arg::Input(protocol.into()), e))?;
    lab.set_compact(true);
    Ok(Lane {
        protocol: protocol.to_string(),
        lab,
        applied: 0,
        metrics: Metrics::new(),
        measured: 0,
    })
}

/// The node a concrete action is aimed at, if one.
fn target(a: &Action) -> Option<NodeId> {
    match a {
        Action::Crash(n) | Action::Restart(n) | Action::Timeout(n) | Action::Drift(n, _) => {
            Some(*n)
        }
        _ => None,
    }
}

/// Refuses actions that mean nothing across runs, and nodes the runs do not have.
fn check_aim(aim: &Aim, nodes: u32) -> Result<(), Text> {
    let Aim::Node(action) = aim else {
        return Ok(());
    };
    if let Action::DropMessage(_) | Action::DuplicateMessage(_) | Action::DelayMessage(..) = action
    {
        return Err(Text::word(Phrase::MessageNotCompared));
    }
    match link::node_ids(action)
        .into_iter()
        .find(|id| *id == 0 || *id > nodes)
    {
        Some(bad) => Err(text!(NoSuchNode, bad, nodes)),
        None => Ok(()),
    }
}

/// The first bin, over the bins every run has, in which runs disagree on being served.
pub fn divergence(runs: &[&Metrics]) -> Option<Divergence> {
    let bins = runs.iter().map(|m| m.bins().len()).min()?;
    (0..bins).find_map(|b| {
        let served: Vec<bool> = runs.iter().map(|m| m.bins()[b].unserved == 0).collect();
        served.iter().any(|s| *s != served[0]).then(|| Divergence {
            at: b as Micros * BIN,
            served,
        })
    })
}

fn entry_text(s: &Scheduled) -> String {
    let action = match &s.aim {
        Aim::Node(a) => link::action_text(a),
        Aim::Leader(LeaderAction::Crash) => "cL".into(),
        Aim::Leader(LeaderAction::Isolate) => "iL".into(),
        Aim::Leader(LeaderAction::Timeout) => "tL".into(),
    };
    format!("{}.{action}", s.at)
}

fn parse_entry(item: &str) -> Result<Scheduled, Text> {
    let (at, action) = item
        .split_once('.')
        .ok_or_else(|| text!(NotAtAction, quoted(item)))?;
    let at: Micros = at
        .parse()
        .map_err(|_| text!(TimeNotNumber, quoted(at), quoted(item)))?;
    let aim = match action {
        "cL" => Aim::Leader(LeaderAction::Crash),
        "iL" => Aim::Leader(LeaderAction::Isolate),
        "tL" => Aim::Leader(LeaderAction::Timeout),
        "live" => Aim::Node(Action::Liveness),
        other => Aim::Node(link::parse_action(other)?),
    };
    Ok(Scheduled { at, aim })
}

/// A compare link taken apart.
struct LinkParts {
    base: SharedState,
    protocols: Vec<String>,
    schedule: Vec<Scheduled>,
}

/// Whether a share link is a compare link (it names protocols with `cmp=`).
pub fn is_compare_link(query: &str) -> bool {
    let query = query.split_once('?').map_or(query, |(_, q)| q);
    query.split(['&', '#']).any(|p| p.starts_with("cmp="))
}

fn split_link(query: &str) -> Result<LinkParts, Text> {
    let query = query.split_once('?').map_or(query, |(_, q)| q);
    let query = query.split('#').next().unwrap_or("");
    let (mut protocols, mut schedule, mut rest) = (None, Vec::new(), Vec::new());
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        match pair.split_once('=') {
            Some(("cmp", v)) => protocols = Some(v.split(',').map(String::from).collect()),
            Some(("sch", v)) => schedule = parse_schedule(v)?,
            Some(("p" | "iv" | "opt" | "bug", _)) => {
                let key = pair.split('=').next().unwrap_or(pair);
                return Err(text!(CompareHasNo, quoted(key)));
            }
            _ => rest.push(pair),
        }
    }
    let protocols: Vec<String> = protocols.ok_or_else(|| Text::word(Phrase::CompareNoProtocols))?;
    let first = protocols.first().cloned().unwrap_or_default();
    rest.push("");
    let base = link::decode(&format!("{}p={first}", rest.join("&")))?;
    if schedule.iter().any(|s| s.at > crate::model::types::MAX_RUN) {
        return Err(Text::word(Phrase::ScheduleTooLate));
    }
    for (i, s) in schedule.iter().enumerate() {
        check_aim(&s.aim, base.config.nodes).map_err(|e| text!(ScheduleEntry, i + 1, e))?;
    }
    Ok(LinkParts {
        base,
        protocols,
        schedule,
    })
}

fn parse_schedule(value: &str) -> Result<Vec<Scheduled>, Text> {
    let list = value
        .split('~')
        .filter(|i| !i.is_empty())
        .enumerate()
        .map(|(i, item)| parse_entry(item).map_err(|e| text!(ScheduleEntry, i + 1, e)))
        .collect::<Result<Vec<_>, _>>()?;
    if list.windows(2).any(|w| w[1].at < w[0].at) {
        return Err(Text::word(Phrase::ScheduleOrder));
    }
    Ok(list)
}

#[cfg(test)]
mod tests;
