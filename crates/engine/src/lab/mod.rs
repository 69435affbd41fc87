//! A run as a viewer sees it, whatever the protocol: the facade the web app drives.
//!
//! [`Lab`] wraps a [`Sim`] behind the object-safe [`LabSim`] trait, so the app holds one value for
//! Raft today and for Paxos or two-phase commit tomorrow. [`Frame`] is the view model of one
//! instant: node roles and timers, messages in flight (and those recently lost), the partition, the
//! logs. Views are pure functions of a frame, and frames are plain data with native tests.

pub mod catalog;
pub mod classroom;
pub mod compare;
pub mod spacetime;
pub mod story;

use crate::check::history::LinReport;
use crate::check::lin::LinResult;
use crate::check::{CheckerSet, Invariant};
use crate::metrics::Metrics;
use crate::model::event::{Event, JsonFields, Message, Payload, Stamped};
use crate::model::text::{text, Text};
use crate::model::types::{Addr, Micros, MsgId, NodeId, MS};
use crate::model::view::{MsgLook, NodeDetail};
use crate::protocols::any::{AnyConfig, AnyNode};
use crate::run::describe::event_text;
use crate::run::runner::check_protocol;
use crate::run::scenario::is_notable;
pub use crate::run::setup::{Setup, LAB_NODES};
use crate::sim::action::Action;
use crate::sim::client::ClientConfig;
use crate::sim::net::NetConfig;
use crate::sim::protocol::Protocol;
use crate::sim::protocol::ScenarioView;
use crate::sim::timeline::{HistoryConfig, Intervention, Sim};
use crate::sim::world::{InFlight, SimConfig, Slot};

/// One node at one instant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeFrame {
    /// Node id.
    pub id: NodeId,
    /// Running (not crashed).
    pub up: bool,
    /// Role name (`down` when crashed).
    pub role: String,
    /// `term`, `ballot` or `epoch`.
    pub epoch_name: String,
    /// Its value (from durable state when crashed: shown as last known).
    pub epoch: u64,
    /// The primary timer (Raft: election) as (armed at, due at), when armed.
    pub timer: Option<(Micros, Micros)>,
    /// Clock rate in thousandths.
    pub drift: u32,
    /// Protocol detail (absent while crashed).
    pub detail: Option<NodeDetail>,
}

/// One message at one instant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MsgFrame {
    /// Message id.
    pub id: MsgId,
    /// Sender.
    pub from: Addr,
    /// Receiver.
    pub to: Addr,
    /// Sent at.
    pub sent_at: Micros,
    /// Arrives (or dies) at.
    pub deliver_at: Micros,
    /// When it was lost, for messages that died recently.
    pub died_at: Option<Micros>,
    /// Will it be lost on the way?
    pub doomed: bool,
    /// How it looks.
    pub look: MsgLook,
}

impl MsgFrame {
    /// Where along its path the message is at `t`, from 0 (sender) to 1 (receiver).
    pub fn progress(&self, t: Micros) -> f64 {
        let end = self.died_at.unwrap_or(self.deliver_at);
        let span = end.saturating_sub(self.sent_at).max(1) as f64;
        let full = self.deliver_at.saturating_sub(self.sent_at).max(1) as f64;
        let done = t.clamp(self.sent_at, end).saturating_sub(self.sent_at) as f64;
        (done.min(span) / full).clamp(0.0, 1.0)
    }
}

/// The whole lab at one instant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    /// Simulated time.
    pub t: Micros,
    /// Nodes, id order.
    pub nodes: Vec<NodeFrame>,
    /// Messages in flight, and those lost in the last [`FADE`].
    pub messages: Vec<MsgFrame>,
    /// Partition groups (one group when healed).
    pub groups: Vec<Vec<NodeId>>,
    /// Cut one-way links.
    pub cuts: Vec<(NodeId, NodeId)>,
    /// Network settings.
    pub net: NetConfig,
}

/// How long a lost message stays visible, fading out.
pub const FADE: Micros = 400 * MS;

/// A timeline marker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Marker {
    /// When.
    pub t: Micros,
    /// `election`, `crash`, `restart`, `partition`, `heal` or `violation`.
    pub kind: &'static str,
    /// A short description.
    pub text: Text,
}

/// An invariant and its status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvariantStatus {
    /// Name.
    pub name: String,
    /// What it demands.
    pub describe: String,
    /// The first violation so far: when, and what.
    pub violated: Option<(Micros, String)>,
}

/// One line of the textual event log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogLine {
    /// Position in the trace.
    pub index: usize,
    /// When.
    pub t: Micros,
    /// Event kind.
    pub kind: &'static str,
    /// What happened, actor first (the line without its time).
    pub text: Text,
}

/// A run driven by a viewer, independent of its protocol.
pub trait LabSim {
    /// Current simulated time.
    fn now(&self) -> Micros;
    /// Processes one event; false when nothing is left.
    fn step(&mut self) -> bool;
    /// Undoes one event.
    fn step_back(&mut self);
    /// Runs up to `t`.
    fn run_until(&mut self, t: Micros);
    /// Moves to `t`, forwards or backwards.
    fn seek(&mut self, t: Micros);
    /// Applies and records a user action now.
    fn intervene(&mut self, action: Action);
    /// The recorded interventions.
    fn interventions(&self) -> Vec<Intervention>;
    /// Digest of the whole world.
    fn digest(&self) -> u64;
    /// The view model of the present instant.
    fn frame(&self) -> Frame;
    /// Number of trace events so far.
    fn trace_len(&self) -> usize;
    /// The trace events from position `from` up to `to` (exclusive, clamped to the trace), as
    /// JSON lines in the trace format (`docs/trace.md`).
    fn trace_json(&self, from: usize, to: usize) -> Vec<String>;
    /// Notable events from trace position `from`, as text.
    fn log_lines(&self, from: usize, max: usize) -> Vec<LogLine>;
    /// Timeline markers from trace position `from`.
    fn markers(&self, from: usize) -> Vec<Marker>;
    /// Feeds the trace events from position `from` to `metrics` (the app keeps one [`Metrics`] and
    /// feeds it each frame's new events; after a seek backwards it starts a fresh one from 0).
    fn measure(&self, metrics: &mut Metrics, from: usize);
    /// Brings a space-time diagram up to the present: cut back after a seek backwards, then fed
    /// the trace events it has not read.
    fn diagram(&self, diagram: &mut spacetime::SpaceTime);
    /// When the client history so far is not linearizable: the key, what the checker found
    /// (the longest linearizable prefix, the operations that cannot come next) and a paragraph
    /// in plain words.
    fn lin_witness(
        &self,
    ) -> Option<(
        crate::model::types::Key,
        crate::check::witness::Witness,
        Text,
    )>;
    /// The invariants and their status.
    fn invariants(&self) -> Vec<InvariantStatus>;
    /// The node that leads now (leader, primary, coordinator): of several that think they lead,
    /// the one of the highest epoch. What a fault aimed by role hits.
    fn leader(&self) -> Option<NodeId>;
    /// A node's state as labelled fields.
    fn inspect_node(&self, id: NodeId) -> Vec<(String, String)>;
    /// A message's fields.
    fn inspect_message(&self, id: MsgId) -> Vec<(String, String)>;
    /// Messages in flight.
    fn in_flight_count(&self) -> usize;
    /// Compact frames leave out each node's detail (its log, slots or store): a small view that
    /// draws only roles and messages (the compare view's lanes) saves copying it every frame.
    fn set_compact(&mut self, compact: bool);
    /// Installs recorded interventions on a fresh run (share links).
    fn load_interventions(&mut self, list: Vec<Intervention>) -> Result<(), String>;
    /// What the run's recovery machinery did so far, as a table (failovers, transactions, try
    /// blocks, checkpoints), for protocols that have one.
    fn story(&self) -> Option<crate::lab::story::Story>;
}

/// A protocol-erased lab run.
pub type Lab = Box<dyn LabSim>;

/// Every protocol the web app runs, in menu order.
pub fn lab_protocols() -> impl Iterator<Item = &'static str> {
    AnyNode::names().into_iter()
}

/// Builds a lab run, or says why the settings cannot run (the error's `Display` is the English).
pub fn new_lab(config: &Setup) -> Result<Lab, crate::model::text::Text> {
    check_protocol(&config.protocol)?;
    if !crate::run::setup::LAB_NODES.contains(&config.nodes) {
        return Err(crate::model::text::text!(LabNodes, config.nodes));
    }
    let (protocol, checkers) =
        AnyConfig::for_protocol(&config.protocol, &config.options, config.nodes)?;
    Ok(Box::new(LabRun::<AnyNode>::new(config, protocol, checkers)))
}

struct LabRun<P: Protocol + ScenarioView> {
    sim: Sim<P>,
    protocol: String,
    /// The linearizability verdict of the client history so far, with the history's
    /// fingerprint (operations, completed operations) it was computed for.
    lin: std::cell::RefCell<((usize, usize), Option<LinReport>)>,
    /// Frames without node detail ([`LabSim::set_compact`]).
    compact: bool,
}

impl<P: Protocol + ScenarioView> LabRun<P> {
    fn new(config: &Setup, protocol: P::Config, checkers: Vec<Box<dyn Invariant<P::Msg>>>) -> Self {
        let sim_config = SimConfig {
            nodes: config.nodes,
            seed: config.seed,
            net: config.net,
            protocol,
            clients: ClientConfig {
                count: config.clients,
                ..ClientConfig::default()
            },
            faults: Vec::new(),
        };
        let sim = Sim::new(
            sim_config,
            CheckerSet::new(checkers),
            HistoryConfig::default(),
        );
        LabRun {
            sim,
            protocol: config.protocol.clone(),
            lin: std::cell::RefCell::new(((0, 0), None)),
            compact: false,
        }
    }

    /// Checks the client history so far (operations still waiting count as possibly taking
    /// effect later, so a prefix fails only when no completion could save it); remembered until
    /// the history changes.
    fn linearizability(&self) -> Option<String> {
        self.lin_report()?.violation(0).map(|v| v.detail)
    }

    /// The verdict on the client history so far; `None` while it holds.
    fn lin_report(&self) -> Option<LinReport> {
        let ops = self.sim.world().history_ops();
        let print = (
            ops.len(),
            ops.iter().filter(|(_, op)| op.complete.is_some()).count(),
        );
        let mut cache = self.lin.borrow_mut();
        if cache.0 != print {
            let report = crate::check::history::check_client_history(ops);
            let failed = matches!(report.result, LinResult::Violation { .. });
            *cache = (print, failed.then_some(report));
        }
        cache.1.clone()
    }

    fn node_frame(&self, id: NodeId, slot: &Slot<P>) -> NodeFrame {
        let w = self.sim.world();
        let primary = w.timers(id)[P::PRIMARY_TIMER.0 as usize];
        let (up, role, detail) = match slot {
            Slot::Up(p) => (true, p.role(), (!self.compact).then(|| p.detail())),
            Slot::Down(_) => (false, self.last_role(id), None),
        };
        NodeFrame {
            id,
            up,
            role: if up {
                role.role.into_owned()
            } else {
                "down".into()
            },
            epoch_name: role.epoch_name.into_owned(),
            epoch: role.epoch,
            timer: primary.due.map(|due| (primary.set_at, due)),
            drift: w.drift(id),
            detail,
        }
    }

    /// The last role a crashed node reported, from the trace.
    fn last_role(&self, id: NodeId) -> crate::sim::protocol::RoleView {
        let found = self.sim.trace().iter().rev().find_map(|s| match &s.ev {
            Event::Role {
                node,
                epoch_name,
                epoch,
                ..
            } if *node == id => Some((epoch_name.clone(), *epoch)),
            _ => None,
        });
        let (epoch_name, epoch) = found.unwrap_or(("term".into(), 0));
        crate::sim::protocol::RoleView {
            role: "down".into(),
            epoch_name,
            epoch,
        }
    }
}

fn msg_frame<M: Message>(m: &InFlight<M>, died_at: Option<Micros>) -> MsgFrame {
    let look = match &m.payload {
        Payload::Proto(p) => p.look(),
        Payload::Request(_) => MsgLook::request("request"),
        Payload::Response(_) => MsgLook {
            label: "reply".into(),
            reply: true,
            light: false,
            verdict: None,
        },
    };
    MsgFrame {
        id: m.id,
        from: m.from,
        to: m.to,
        sent_at: m.sent_at,
        deliver_at: m.deliver_at,
        died_at,
        doomed: m.doomed.is_some(),
        look,
    }
}

fn marker<M>(s: &Stamped<M>) -> Option<Marker> {
    let (kind, text) = match &s.ev {
        Event::Role {
            node,
            role,
            epoch_name,
            epoch,
        } if role == "leader" => (
            "election",
            text!(
                LeadsMarker,
                node,
                epoch_name,
                crate::model::view::epoch_value(epoch_name, *epoch)
            ),
        ),
        Event::Crash { node } => ("crash", text!(CrashedMarker, node)),
        Event::Restart { node } => ("restart", text!(RestartedMarker, node)),
        Event::Partition { groups } => ("partition", text!(PartitionOf, format!("{groups:?}"))),
        Event::Cut { from, to } => ("partition", text!(CutMarker, from, to)),
        Event::Heal => ("heal", text!(HealedMarker)),
        Event::Violation { invariant, detail } => {
            ("violation", text!(ViolationMarker, invariant, detail))
        }
        _ => return None,
    };
    Some(Marker { t: s.t, kind, text })
}

impl<P: Protocol + ScenarioView> LabSim for LabRun<P> {
    fn now(&self) -> Micros {
        self.sim.now()
    }

    fn step(&mut self) -> bool {
        self.sim.step()
    }

    fn step_back(&mut self) {
        self.sim.step_back();
    }

    fn run_until(&mut self, t: Micros) {
        self.sim.run_until(t);
    }

    fn seek(&mut self, t: Micros) {
        self.sim.seek(t);
    }

    fn intervene(&mut self, action: Action) {
        self.sim.intervene(action);
    }

    fn interventions(&self) -> Vec<Intervention> {
        self.sim.interventions().to_vec()
    }

    fn digest(&self) -> u64 {
        self.sim.digest()
    }

    fn frame(&self) -> Frame {
        let w = self.sim.world();
        let t = w.now();
        let nodes = w
            .nodes()
            .iter()
            .enumerate()
            .map(|(i, s)| self.node_frame(i as NodeId + 1, s))
            .collect();
        let mut messages: Vec<MsgFrame> = w.in_flight().map(|m| msg_frame(m, None)).collect();
        let fading = w
            .recent_drops()
            .filter(|(_, died)| *died + FADE > t && *died <= t);
        messages.extend(fading.map(|(m, died)| msg_frame(m, Some(*died))));
        Frame {
            t,
            nodes,
            messages,
            groups: w.network().groups(),
            cuts: w.network().cuts().collect(),
            net: w.network().config,
        }
    }

    fn trace_len(&self) -> usize {
        self.sim.trace().len()
    }

    fn trace_json(&self, from: usize, to: usize) -> Vec<String> {
        let trace = self.sim.trace();
        let to = to.min(trace.len());
        let from = from.min(to);
        trace
            .range(from, to)
            .map(crate::model::trace::event_json)
            .collect()
    }

    fn log_lines(&self, from: usize, max: usize) -> Vec<LogLine> {
        let trace = self.sim.trace();
        trace
            .iter()
            .enumerate()
            .skip(from)
            .filter(|(_, s)| {
                is_notable(&s.ev) && !matches!(s.ev, Event::Append { .. } | Event::Commit { .. })
            })
            .take(max)
            .map(|(index, s)| LogLine {
                index,
                t: s.t,
                kind: s.ev.name(),
                text: event_text(&s.ev),
            })
            .collect()
    }

    fn measure(&self, metrics: &mut Metrics, from: usize) {
        for s in self.sim.trace().iter().skip(from) {
            metrics.observe(s);
        }
    }

    fn lin_witness(
        &self,
    ) -> Option<(
        crate::model::types::Key,
        crate::check::witness::Witness,
        Text,
    )> {
        let report = self.lin_report()?;
        let key = report.key.unwrap_or_default();
        let why = report.explanation()?;
        match report.result {
            LinResult::Violation { witness, .. } => Some((key, *witness, why)),
            _ => None,
        }
    }

    fn diagram(&self, diagram: &mut spacetime::SpaceTime) {
        let trace = self.sim.trace();
        diagram.truncate(trace.len());
        diagram.observe_all(trace);
    }

    fn markers(&self, from: usize) -> Vec<Marker> {
        self.sim
            .trace()
            .iter()
            .skip(from)
            .filter_map(marker)
            .collect()
    }

    fn invariants(&self) -> Vec<InvariantStatus> {
        let violations = self.sim.violations();
        let mut list: Vec<InvariantStatus> = self
            .sim
            .world()
            .invariants()
            .into_iter()
            .map(|(name, describe)| InvariantStatus {
                name: name.into(),
                describe: describe.into(),
                violated: violations
                    .iter()
                    .find(|v| v.invariant == name)
                    .map(|v| (v.t, v.detail.clone())),
            })
            .collect();
        list.push(InvariantStatus {
            name: "Linearizability".into(),
            describe: "Every client operation appears to take effect atomically between its invocation and its response (the history so far: operations still waiting may take effect later).".into(),
            violated: self.linearizability().map(|detail| (self.sim.now(), detail)),
        });
        list
    }

    fn leader(&self) -> Option<NodeId> {
        crate::run::scenario::leader(&self.sim)
    }

    fn story(&self) -> Option<crate::lab::story::Story> {
        crate::lab::story::story(&self.protocol, self.sim.trace().iter(), self.sim.now())
    }

    fn inspect_node(&self, id: NodeId) -> Vec<(String, String)> {
        let w = self.sim.world();
        let mut fields: Vec<(String, String)> = match w.nodes().get(id as usize - 1) {
            Some(Slot::Up(p)) => {
                let plays = p.detail().plays;
                let mut fields: Vec<_> = p
                    .inspect()
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect();
                if plays.len() > 1 {
                    fields.insert(1, ("plays".into(), plays.join(" + ")));
                }
                fields
            }
            Some(Slot::Down(_)) => {
                vec![("role".into(), text!(DownKept).to_string())]
            }
            None => return Vec::new(),
        };
        let timers = w.timers(id);
        for (slot, timer) in timers.iter().enumerate() {
            if let Some(due) = timer.due {
                let timer = crate::sim::protocol::TimerId(slot as u8);
                let name = match w.nodes().get(id as usize - 1) {
                    Some(Slot::Up(p)) => p.timer_label(timer),
                    _ => P::timer_name(timer),
                };
                fields.push((
                    text!(TimerOf, name).to_string(),
                    text!(FiresAt, crate::model::types::fmt_time(due)).to_string(),
                ));
            }
        }
        fields.push(("clock rate".into(), format!("{}/1000", w.drift(id))));
        fields
    }

    fn inspect_message(&self, id: MsgId) -> Vec<(String, String)> {
        let w = self.sim.world();
        let Some(m) = w
            .message(id)
            .or_else(|| w.recent_drops().find(|(m, _)| m.id == id).map(|(m, _)| m))
        else {
            return Vec::new();
        };
        let mut fields = vec![
            ("id".to_string(), m.id.to_string()),
            ("from".into(), m.from.to_string()),
            ("to".into(), m.to.to_string()),
            ("sent".into(), crate::model::types::fmt_time(m.sent_at)),
            (
                "arrives".into(),
                crate::model::types::fmt_time(m.deliver_at),
            ),
        ];
        if let Payload::Proto(p) = &m.payload {
            fields.push(("type".into(), p.kind().into_owned()));
            let mut f = JsonFields::default();
            p.fields(&mut f);
            fields.extend(f.pairs);
        }
        if m.doomed.is_some() {
            fields.push(("fate".into(), text!(WillBeLost).to_string()));
        }
        fields
    }

    fn in_flight_count(&self) -> usize {
        self.sim.world().in_flight().count()
    }

    fn set_compact(&mut self, compact: bool) {
        self.compact = compact;
    }

    fn load_interventions(&mut self, list: Vec<Intervention>) -> Result<(), String> {
        self.sim.load_interventions(list)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::types::SEC;

    #[test]
    fn a_lab_run_elects_a_leader_and_shows_it_in_the_frame() {
        let mut lab = new_lab(&Setup::default()).unwrap();
        lab.run_until(SEC);
        let f = lab.frame();
        assert_eq!(f.nodes.len(), 5);
        assert_eq!(f.nodes.iter().filter(|n| n.role == "leader").count(), 1);
        assert!(f.nodes.iter().all(|n| n.up && n.detail.is_some()));
        let markers = lab.markers(0);
        assert!(markers.iter().any(|m| m.kind == "election"));
        assert!(!lab.log_lines(0, 100).is_empty());
        assert_eq!(lab.invariants().len(), 9);
    }

    #[test]
    fn metrics_fed_frame_by_frame_equal_metrics_fed_the_whole_trace() {
        let config = Setup {
            clients: 2,
            ..Setup::default()
        };
        let mut lab = new_lab(&config).unwrap();
        let (mut live, mut fed) = (Metrics::new(), 0);
        for frame in 1..=40 {
            lab.run_until(frame * 50 * crate::model::types::MS);
            if frame == 20 {
                lab.intervene(Action::Crash(1));
            }
            lab.measure(&mut live, fed);
            fed = lab.trace_len();
        }
        let mut whole = Metrics::new();
        lab.measure(&mut whole, 0);
        let (a, b) = (live.report(), whole.report());
        assert!(a.ok > 0 && !a.faults.is_empty(), "{}", a.text());
        assert_eq!(a.json(), b.json());
    }

    #[test]
    fn every_protocol_of_the_cli_runs_a_lab() {
        let protocols: Vec<&str> = lab_protocols().collect();
        let cli: Vec<&str> = crate::run::runner::PROTOCOLS
            .iter()
            .map(|(p, _)| *p)
            .collect();
        assert_eq!(
            protocols, cli,
            "the app runs every protocol, in the CLI's order"
        );
        for protocol in protocols {
            let config = Setup {
                protocol: protocol.into(),
                clients: 2,
                ..Setup::default()
            };
            let mut lab = new_lab(&config).unwrap_or_else(|e| panic!("{protocol}: {e}"));
            lab.run_until(2 * SEC);
            assert!(
                lab.frame().nodes.iter().all(|n| n.detail.is_some()),
                "{protocol}"
            );
            let names: Vec<String> = lab.inspect_node(1).into_iter().map(|(k, _)| k).collect();
            // Timer names are the wrapped protocol's (Paxos has no election timer).
            let election = names.iter().any(|k| k == "election timer");
            match protocol {
                "raft" => assert!(election, "{names:?}"),
                "paxos" => assert!(!election, "{names:?}"),
                _ => {}
            }
        }
    }

    #[test]
    fn every_menu_scenario_replays_in_a_lab_and_bug_scenarios_turn_red() {
        for s in crate::lab::catalog::SCENARIOS {
            let state = crate::run::link::decode(s.link().expect("a recorded link")).unwrap();
            let mut lab = new_lab(&state.config).unwrap_or_else(|e| panic!("{}: {e}", s.name));
            lab.load_interventions(state.interventions).unwrap();
            lab.seek(state.t);
            assert_eq!(lab.now(), state.t, "{}", s.name);
            let red: Vec<String> = lab
                .invariants()
                .into_iter()
                .filter(|i| i.violated.is_some())
                .map(|i| i.name)
                .collect();
            let planted = s.name.contains("bug");
            assert_eq!(!red.is_empty(), planted, "{}: violated {red:?}", s.name);
            assert_eq!(s.protocol, state.config.protocol, "{}", s.name);
        }
    }

    #[test]
    fn a_history_that_is_not_linearizable_is_explained_and_a_sound_one_is_not() {
        let lab_of = |name: &str| {
            let s = crate::lab::catalog::find(name).unwrap();
            let state = crate::run::link::decode(s.link().unwrap()).unwrap();
            let mut lab = new_lab(&state.config).unwrap();
            lab.load_interventions(state.interventions).unwrap();
            lab.seek(state.t);
            lab
        };
        let (key, witness, why) = lab_of("rb_bug_ack_by_count")
            .lin_witness()
            .expect("the lost write is not linearizable");
        let why = why.to_string();
        assert!(why.starts_with(&format!("On key {key}, client ")), "{why}");
        assert!(
            why.contains("no order of the operations explains it"),
            "{why}"
        );
        assert!(witness.total > 0 && witness.prefix.len() < witness.total);
        assert!(lab_of("rb_restart_never_reuses_an_input_number")
            .lin_witness()
            .is_none());
    }

    #[test]
    fn a_compact_frame_is_the_frame_without_node_detail() {
        let mut lab = new_lab(&Setup::default()).unwrap();
        lab.run_until(800 * MS);
        let full = lab.frame();
        lab.set_compact(true);
        let compact = lab.frame();
        assert!(full.nodes.iter().any(|n| n.detail.is_some()));
        assert!(compact.nodes.iter().all(|n| n.detail.is_none()));
        let strip = |f: &Frame| {
            let mut f = f.clone();
            f.nodes.iter_mut().for_each(|n| n.detail = None);
            f
        };
        assert_eq!(strip(&full), compact);
    }

    #[test]
    fn an_unknown_protocol_is_refused_by_name() {
        let e = new_lab(&Setup {
            protocol: "no-such-protocol".into(),
            ..Setup::default()
        })
        .err()
        .unwrap()
        .to_string();
        assert!(e.contains("no-such-protocol"), "{e}");
    }

    #[test]
    fn crashed_nodes_and_lost_messages_are_visible() {
        let mut lab = new_lab(&Setup::default()).unwrap();
        lab.run_until(SEC);
        while lab.frame().messages.is_empty() {
            assert!(lab.step(), "the run never stops");
        }
        let id = lab.frame().messages[0].id;
        assert!(!lab.inspect_message(id).is_empty());
        lab.intervene(Action::DropMessage(id));
        let f = lab.frame();
        let dropped = f
            .messages
            .iter()
            .find(|m| m.id == id)
            .expect("the lost message fades");
        assert_eq!(dropped.died_at, Some(f.t));
        lab.intervene(Action::Crash(2));
        let n2 = &lab.frame().nodes[1];
        assert!(!n2.up);
        assert_eq!(n2.role, "down");
        assert!(n2.epoch >= 1);
    }

    #[test]
    fn progress_runs_from_sender_to_receiver() {
        let m = MsgFrame {
            id: 1,
            from: Addr::Node(1),
            to: Addr::Node(2),
            sent_at: 100,
            deliver_at: 200,
            died_at: None,
            doomed: false,
            look: MsgLook::request("x"),
        };
        assert_eq!(m.progress(50), 0.0);
        assert_eq!(m.progress(150), 0.5);
        assert_eq!(m.progress(300), 1.0);
        let died = MsgFrame {
            died_at: Some(150),
            ..m
        };
        assert_eq!(died.progress(190), 0.5);
    }

    #[test]
    fn a_scenario_recorded_in_a_lab_replays_from_a_link_to_the_same_world() {
        let script = include_str!("../../scenarios/figure8_bug_commits_previous_term.scn");
        let run = crate::run::runner::run_scenario(script).unwrap();
        assert!(run.outcome.failures.is_empty());
        let decoded = crate::run::link::decode(&run.link).unwrap();
        let mut lab = new_lab(&decoded.config).unwrap();
        lab.load_interventions(decoded.interventions.clone())
            .unwrap();
        lab.seek(decoded.t);
        let end = lab.digest();
        let broken = |lab: &Lab| lab.invariants().iter().any(|i| i.violated.is_some());
        assert!(broken(&lab));
        lab.seek(0);
        assert!(!broken(&lab));
        lab.seek(decoded.t);
        assert_eq!(lab.digest(), end);
        let mut again = new_lab(&decoded.config).unwrap();
        again.load_interventions(decoded.interventions).unwrap();
        again.seek(decoded.t);
        assert_eq!(again.digest(), end);
    }

    #[test]
    fn bad_configs_are_refused_with_a_reason() {
        let err = |c: Setup| new_lab(&c).err().map(String::from).unwrap_or_default();
        assert!(err(Setup {
            nodes: 12,
            ..Setup::default()
        })
        .contains("2 to 9"));
        assert!(err(Setup {
            protocol: "zab".into(),
            ..Setup::default()
        })
        .contains("unknown protocol"));
    }
}
