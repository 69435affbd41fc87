//! Protocol-independent runs: what the CLI's `run`, `sweep` and `check` do, callable from tests.
//!
//! A randomized run has two phases. In the *safety phase* (`duration`), faults of the chosen level
//! strike while clients keep working, and every invariant is checked after every event. Then the
//! *liveness phase* ([`LIVENESS_PHASE`] of simulated time) heals the network, restarts every node
//! and restores clocks; the run fails with "liveness" unless every workload client completes at
//! least one operation during it (one client's progress says nothing about a client stuck
//! behind a lost lock or a dead session).

use crate::check::history::{check_client_history, ClientHistory, LinReport};
use crate::check::{CheckerSet, Violation};
use crate::metrics::{Metrics, MetricsReport};
use crate::model::event::{Event, Message, Stamped};
use crate::model::text::{names, quoted, text, Arg, Text};
use crate::model::trace::{event_json, ParsedTrace, RawMsg, TraceHeader, TRACE_VERSION};
use crate::model::types::{ClientId, Micros, MS, SEC};
use crate::protocols::raft::Raft;
use crate::run::scenario::{execute, parse_script, Scenario, ScenarioOutcome, Settings};
use crate::run::setup::{Setup, Variant};
use crate::sim::action::Action;
use crate::sim::client::ClientConfig;
use crate::sim::faults::{plan, FaultLevel};
use crate::sim::net::NetConfig;
use crate::sim::protocol::ScenarioView;
use crate::sim::protocol::{Protocol, ProtocolOptions, Spec};
use crate::sim::timeline::{HistoryConfig, Sim};
use crate::sim::world::{Counters, SimConfig};

/// Length of the liveness phase that ends every run with faults.
pub const LIVENESS_PHASE: Micros = 5 * SEC;

registry!(define_protocol_names);

/// What to run: the run's [`Setup`] plus what a randomized run adds (its length, fault level,
/// the clients' pace, and whether to keep the trace).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunSpec {
    /// Protocol, cluster, seed, workload, options and network.
    pub setup: Setup,
    /// Length of the safety phase.
    pub duration: Micros,
    /// Fault level of the safety phase.
    pub faults: FaultLevel,
    /// Keep the trace (for export).
    pub keep_trace: bool,
    /// Measure the run ([`RunReport::metrics`]).
    pub measure: bool,
    /// Each client's pause between operations (shortest, longest).
    pub think: (Micros, Micros),
}

impl Default for RunSpec {
    fn default() -> Self {
        RunSpec {
            setup: Setup {
                protocol: "raft".into(),
                nodes: 5,
                seed: 1,
                clients: 3,
                options: ProtocolOptions::default(),
                net: NetConfig::default(),
            },
            duration: 10 * SEC,
            faults: FaultLevel::None,
            keep_trace: false,
            measure: false,
            think: (
                ClientConfig::default().think_min,
                ClientConfig::default().think_max,
            ),
        }
    }
}

/// What a run found.
#[derive(Clone, Debug)]
pub struct RunReport {
    /// The seed.
    pub seed: u64,
    /// Safety violations, in order.
    pub violations: Vec<Violation>,
    /// Whether the liveness phase made progress: every workload client completed an operation
    /// in it (`None`: no liveness phase).
    pub liveness: Option<bool>,
    /// The workload clients that completed no operation in the liveness phase.
    pub stalled_clients: Vec<ClientId>,
    /// Client operations that completed (ok or fail).
    pub completed_ops: u64,
    /// Client operations invoked.
    pub invoked_ops: usize,
    /// The linearizability verdict.
    pub lin: LinReport,
    /// Event counters.
    pub counters: Counters,
    /// Digest of the final world.
    pub digest: u64,
    /// Simulated end time.
    pub end: Micros,
    /// The trace as JSON Lines (with the `meta` line), when kept.
    pub trace: Option<String>,
    /// What the run measured, when asked ([`RunSpec::measure`]).
    pub metrics: Option<MetricsReport>,
}

impl RunReport {
    /// True when no invariant was violated and liveness (if checked) held.
    pub fn passed(&self) -> bool {
        self.violations.is_empty() && self.liveness != Some(false)
    }

    /// A one-line verdict.
    pub fn summary(&self) -> String {
        if let Some(v) = self.violations.first() {
            return format!(
                "seed {}: VIOLATION {} at t={}us: {}",
                self.seed, v.invariant, v.t, v.detail
            );
        }
        if self.liveness == Some(false) {
            let stalled: Vec<String> = self
                .stalled_clients
                .iter()
                .map(|c| format!("c{c}"))
                .collect();
            return format!(
                "seed {}: VIOLATION liveness: {} of the clients ({}) completed no operation in the liveness phase",
                self.seed,
                stalled.len(),
                stalled.join(", ")
            );
        }
        format!(
            "seed {}: ok ({} ops completed of {}, {} messages delivered, linearizability {})",
            self.seed,
            self.completed_ops,
            self.invoked_ops,
            self.counters.delivered,
            self.lin.verdict()
        )
    }
}

/// Checks a protocol name: known and implemented.
pub fn check_protocol(name: &str) -> Result<(), Text> {
    match PROTOCOLS.iter().find(|(n, _)| *n == name) {
        Some((_, true)) => Ok(()),
        Some((_, false)) => {
            let ready: Vec<&str> = PROTOCOLS
                .iter()
                .filter(|(_, ok)| *ok)
                .map(|(n, _)| *n)
                .collect();
            Err(text!(NotImplemented, quoted(name), names(&ready)))
        }
        None => {
            let all: Vec<&str> = PROTOCOLS.iter().map(|(n, _)| *n).collect();
            Err(text!(UnknownProtocol, quoted(name), names(&all)))
        }
    }
}

/// Runs a spec to the end.
pub fn run(spec: &RunSpec) -> Result<RunReport, String> {
    check_protocol(&spec.setup.protocol)?;
    with_protocol!(spec.setup.protocol.as_str(), |P| run_with::<P>(spec))
}

/// The planted bugs of a protocol: name and a sentence each.
pub fn bugs(protocol: &str) -> Result<&'static [crate::sim::protocol::Bug], String> {
    check_protocol(protocol)?;
    with_protocol!(protocol, |P| Ok(P::bugs()))
}

/// The names of the invariants a run of `protocol` on `nodes` nodes checks (linearizability of
/// the client history, judged for every protocol, is not among them).
pub fn invariant_names(protocol: &str, nodes: u32) -> Result<Vec<&'static str>, String> {
    check_protocol(protocol)?;
    with_protocol!(protocol, |P| Ok(P::checkers::<<P as Protocol>::Msg>(nodes)
        .iter()
        .map(|c| c.name())
        .collect()))
}

/// The switchable options of a protocol: name, default and a sentence each.
pub fn options(protocol: &str) -> Result<&'static [(&'static str, bool, &'static str)], String> {
    check_protocol(protocol)?;
    with_protocol!(protocol, |P| Ok(P::options()))
}

/// Checks options and bug names against a protocol.
pub fn check_options(protocol: &str, options: &ProtocolOptions) -> Result<(), String> {
    check_protocol(protocol)?;
    with_protocol!(protocol, |P| {
        options.check_values(P::value_options())?;
        P::configure(options).map(|_| ()).map_err(String::from)
    })
}

/// Validates a spec's numbers.
pub fn validate(spec: &RunSpec) -> Result<(), String> {
    if !(1..=64).contains(&spec.setup.nodes) {
        return Err(format!(
            "--nodes must be between 1 and 64 (got {})",
            spec.setup.nodes
        ));
    }
    if spec.duration == 0 {
        return Err("--duration-ms must be positive".into());
    }
    if spec.duration > crate::model::types::MAX_RUN {
        return Err(format!(
            "--duration-ms must be at most {} (one hour of simulated time)",
            crate::model::types::MAX_RUN / crate::model::types::MS
        ));
    }
    if spec.setup.clients > 1000 {
        return Err("--clients must be at most 1000".into());
    }
    Ok(())
}

/// Builds the simulation of a spec (fault plan and liveness phase included).
pub fn build_sim<P: Protocol>(spec: &RunSpec, history: HistoryConfig) -> Result<Sim<P>, String> {
    validate(spec)?;
    P::check_nodes(spec.setup.nodes)?;
    let protocol = P::configure(&spec.setup.options)?;
    let mut faults = plan(
        spec.faults,
        spec.setup.nodes,
        spec.duration,
        spec.setup.seed,
        spec.setup.net,
    );
    if spec.faults != FaultLevel::None {
        faults.push((spec.duration, Action::Liveness));
    }
    let config = SimConfig {
        nodes: spec.setup.nodes,
        seed: spec.setup.seed,
        net: spec.setup.net,
        protocol,
        clients: ClientConfig {
            count: spec.setup.clients,
            think_min: spec.think.0,
            think_max: spec.think.1,
            ..ClientConfig::default()
        },
        faults,
    };
    Ok(Sim::new(
        config,
        CheckerSet::new(P::checkers(spec.setup.nodes)),
        history,
    ))
}

fn run_with<P: Protocol>(spec: &RunSpec) -> Result<RunReport, String> {
    let history = HistoryConfig {
        keep_trace: spec.keep_trace,
        measure: spec.measure,
        snapshot_every_steps: u64::MAX,
        ..HistoryConfig::default()
    };
    let mut sim = build_sim::<P>(spec, history)?;
    sim.run_until(spec.duration);
    let before = sim.world().client_history().completed_per_client();
    let (liveness, stalled_clients) = if spec.faults == FaultLevel::None {
        (None, Vec::new())
    } else {
        sim.run_until(spec.duration + LIVENESS_PHASE);
        let history = sim.world().client_history();
        let stalled = history.stalled_since(&before, spec.setup.clients);
        (Some(stalled.is_empty()), stalled)
    };
    let lin = sim.finish();
    let trace = spec.keep_trace.then(|| export_trace(&sim, spec));
    let w = sim.world();
    Ok(RunReport {
        seed: spec.setup.seed,
        violations: sim.violations().to_vec(),
        liveness,
        stalled_clients,
        completed_ops: w.client_history().completed(),
        invoked_ops: w.client_history().invoked(),
        lin,
        counters: w.counters(),
        digest: sim.digest(),
        end: sim.now(),
        trace,
        metrics: sim.metrics().map(Metrics::report),
    })
}

/// The trace of a run as JSON Lines, `meta` line first.
pub fn export_trace<P: Protocol>(sim: &Sim<P>, spec: &RunSpec) -> String {
    let header = TraceHeader {
        version: TRACE_VERSION,
        protocol: spec.setup.protocol.clone(),
        nodes: spec.setup.nodes,
        seed: spec.setup.seed,
    };
    trace_text(&header, sim.trace().iter())
}

/// Writes a header and events as JSON Lines.
pub fn trace_text<'a, M: Message + 'a>(
    header: &TraceHeader,
    events: impl IntoIterator<Item = &'a Stamped<M>>,
) -> String {
    let mut out = header.to_json();
    out.push('\n');
    for e in events {
        out.push_str(&event_json(e));
        out.push('\n');
    }
    out
}

/// What `quorum check` found in a trace file.
#[derive(Clone, Debug)]
pub struct CheckReport {
    /// Events read.
    pub events: usize,
    /// Violations found by re-running every invariant.
    pub violations: Vec<Violation>,
    /// Linearizability verdict of the client history.
    pub lin: LinReport,
}

/// What a trace file measures ([`Metrics`] over every event).
pub fn trace_metrics(trace: &ParsedTrace) -> MetricsReport {
    let mut m = Metrics::new();
    trace.events.iter().for_each(|e| m.observe(e));
    m.report()
}

/// Runs every invariant of the trace's protocol over a parsed trace.
pub fn check_trace(trace: &ParsedTrace) -> Result<CheckReport, String> {
    check_protocol(&trace.header.protocol)?;
    let nodes = trace.header.nodes;
    let checkers = with_protocol!(trace.header.protocol.as_str(), |P| Ok(
        P::checkers::<RawMsg>(nodes)
    ))?;
    let mut set = CheckerSet::new(checkers);
    let mut history = ClientHistory::default();
    let mut violations = Vec::new();
    let mut sent = std::collections::BTreeSet::new();
    for (s, line) in trace.events.iter().zip(&trace.lines) {
        validate_event(&s.ev, trace.header.nodes, &mut sent)
            .map_err(|e| format!("line {line}: {e}"))?;
        set.observe(s.t, &s.ev, &mut violations);
        history.observe(s.t, &s.ev);
    }
    let end = trace.events.last().map_or(0, |s| s.t);
    set.finish(end, &mut violations);
    let lin = check_client_history(history.lin_ops());
    if let Some(v) = lin.violation(end) {
        violations.push(v);
    }
    Ok(CheckReport {
        events: trace.events.len(),
        violations,
        lin,
    })
}

fn validate_event<M>(
    ev: &Event<M>,
    nodes: u32,
    sent: &mut std::collections::BTreeSet<u64>,
) -> Result<(), String> {
    let node = match ev {
        Event::Crash { node } | Event::Restart { node } | Event::Role { node, .. } => Some(*node),
        Event::Append { node, .. } | Event::Truncate { node, .. } => Some(*node),
        Event::Commit { node, .. } | Event::Apply { node, .. } => Some(*node),
        Event::Timeout { node, .. } | Event::Drift { node, .. } => Some(*node),
        Event::Promise { node, .. } | Event::Propose { node, .. } => Some(*node),
        Event::Accept { node, .. } | Event::Chosen { node, .. } => Some(*node),
        Event::Vote { node, .. } | Event::Decide { node, .. } => Some(*node),
        Event::Checkpoint { node, .. } | Event::Recover { node, .. } => Some(*node),
        Event::Try { node, .. } | Event::Test { node, .. } => Some(*node),
        Event::Rollback { node, .. } | Event::Output { node, .. } => Some(*node),
        Event::Swap { node, former, .. } => Some(if *former > nodes { *former } else { *node }),
        _ => None,
    };
    if let Some(n) = node.filter(|n| *n == 0 || *n > nodes) {
        return Err(format!(
            "node {n} does not exist (the meta line says {nodes} nodes)"
        ));
    }
    validate_reference(ev, sent)
}

fn validate_reference<M>(
    ev: &Event<M>,
    sent: &mut std::collections::BTreeSet<u64>,
) -> Result<(), String> {
    match ev {
        Event::Send { msg, .. } => {
            sent.insert(*msg);
        }
        Event::Duplicate { copy, msg } => {
            if !sent.contains(msg) {
                return Err(format!("duplicate of message {msg}, which was never sent"));
            }
            sent.insert(*copy);
        }
        Event::Deliver { msg } | Event::Drop { msg, .. } | Event::Delay { msg, .. }
            if !sent.contains(msg) =>
        {
            return Err(format!(
                "{} of message {msg}, which was never sent",
                ev.name()
            ));
        }
        _ => {}
    }
    Ok(())
}

/// A scenario run: its printed output, failed expectations, violations and trace.
#[derive(Clone, Debug)]
pub struct ScenarioRun {
    /// What the scenario printed and which expectations failed.
    pub outcome: ScenarioOutcome,
    /// Violations found.
    pub violations: Vec<Violation>,
    /// The trace as JSON Lines.
    pub trace: String,
    /// Invariants the scenario expects to be violated (`expect violation NAME`).
    pub expected: Vec<String>,
    /// Digest of the final world.
    pub digest: u64,
    /// The scenario as a share link: its settings, its actions as interventions, and the time it
    /// ended (the app's scenario menu loads these).
    pub link: String,
    /// What the run measured.
    pub metrics: MetricsReport,
}

/// Parses and runs a scenario script.
pub fn run_scenario(text: &str) -> Result<ScenarioRun, String> {
    let sc = parse_script(text).map_err(|e| e.to_string())?;
    check_protocol(&sc.settings.setup.protocol)
        .map_err(|e| at_setting(&sc.settings, "protocol", "", e))?;
    with_protocol!(sc.settings.setup.protocol.as_str(), |P| scenario_with::<P>(
        &sc
    ))
}

fn at_setting(settings: &Settings, kind: &str, name: &str, message: impl Into<String>) -> String {
    let message = message.into();
    let found = settings
        .lines
        .iter()
        .rev()
        .find(|(_, k, n)| k == kind && (name.is_empty() || n == name));
    match found {
        Some((line, _, _)) => format!("line {line}: {message}"),
        None => message,
    }
}

/// Checks a scenario's option and bug names against the protocol's, reporting the line.
fn check_names<P: Protocol>(settings: &Settings) -> Result<(), String> {
    for (name, _) in &settings.setup.options.flags {
        if !P::options().iter().any(|(o, _, _)| o == name) {
            let known: Vec<&str> = P::options().iter().map(|(o, _, _)| *o).collect();
            let msg = text!(UnknownOption, quoted(name), names(&known));
            return Err(at_setting(settings, "option", name, msg));
        }
    }
    if let Err(msg) = settings.setup.options.check_values(P::value_options()) {
        let name = settings
            .setup
            .options
            .values
            .iter()
            .map(|(n, _)| n.as_str());
        let bad = name
            .into_iter()
            .find(|n| !P::value_options().iter().any(|(o, _, _)| o == n));
        return Err(at_setting(settings, "option", bad.unwrap_or(""), msg));
    }
    for name in &settings.setup.options.bugs {
        if !P::bugs().iter().any(|b| b.name == name) {
            let known: Vec<&str> = P::bugs().iter().map(|b| b.name).collect();
            let protocol = Arg::Input(P::NAME.into());
            let msg = text!(UnknownBug, protocol, quoted(name), names(&known));
            return Err(at_setting(settings, "bug", name, msg));
        }
    }
    Ok(())
}

/// The simulation a scenario's settings describe.
pub fn scenario_sim<P: Protocol>(settings: &Settings) -> Result<Sim<P>, String> {
    check_names::<P>(settings)?;
    P::check_nodes(settings.setup.nodes).map_err(|e| at_setting(settings, "nodes", "", e))?;
    let config = SimConfig {
        nodes: settings.setup.nodes,
        seed: settings.setup.seed,
        net: settings.setup.net,
        protocol: P::configure(&settings.setup.options)?,
        clients: ClientConfig {
            count: settings.setup.clients,
            ..ClientConfig::default()
        },
        faults: Vec::new(),
    };
    Ok(Sim::new(
        config,
        CheckerSet::new(P::checkers(settings.setup.nodes)),
        HistoryConfig {
            measure: true,
            ..HistoryConfig::default()
        },
    ))
}

fn scenario_with<P: Protocol + ScenarioView>(sc: &Scenario) -> Result<ScenarioRun, String> {
    let mut sim = scenario_sim::<P>(&sc.settings)?;
    let outcome = execute(sc, &mut sim);
    let link = crate::run::link::encode(&crate::run::link::SharedState {
        config: sc.settings.setup.clone(),
        interventions: sim.interventions().to_vec(),
        t: sim.now(),
        scenario: None,
    });
    sim.finish();
    let header = TraceHeader {
        version: TRACE_VERSION,
        protocol: sc.settings.setup.protocol.clone(),
        nodes: sc.settings.setup.nodes,
        seed: sc.settings.setup.seed,
    };
    let expected = sc
        .steps
        .iter()
        .filter_map(|(_, s)| match s {
            crate::run::scenario::Step::Expect(crate::run::scenario::Expect::Violation(n)) => {
                Some(n.clone())
            }
            _ => None,
        })
        .collect();
    Ok(ScenarioRun {
        link,
        expected,
        outcome,
        violations: sim.violations().to_vec(),
        trace: trace_text(&header, sim.trace().iter()),
        digest: sim.digest(),
        metrics: sim
            .metrics()
            .map(Metrics::report)
            .unwrap_or_else(|| Metrics::new().report()),
    })
}

/// Runs a scenario script with another protocol than its own (`quorum compare --scenario`): the
/// same steps, settings and seed, so a script that aims its faults by role (`crash leader`) means
/// the same thing to every protocol. The variant's options are added to the script's.
pub fn run_scenario_as(text: &str, variant: &Variant) -> Result<ScenarioRun, String> {
    let mut sc = parse_script(text).map_err(|e| e.to_string())?;
    let protocol = variant.protocol.as_str();
    check_protocol(protocol)?;
    let setup = &mut sc.settings.setup;
    setup.protocol = protocol.to_string();
    setup
        .options
        .flags
        .extend(variant.options.flags.iter().cloned());
    setup
        .options
        .values
        .extend(variant.options.values.iter().cloned());
    with_protocol!(protocol, |P| scenario_with::<P>(&sc))
}

/// A fixed workload whose digests must be identical on every platform: a chaos run of every
/// protocol with its trace, plus a Raft run with user interventions, a seek into the past and a
/// new branch. Returns the probe's text, one `name digest` line each.
pub fn determinism_probe() -> String {
    let mut out = String::new();
    for protocol in [
        "raft",
        "paxos",
        "multi-paxos",
        "primary-backup",
        "2pc",
        "recovery-block",
    ] {
        let spec = RunSpec {
            setup: Setup {
                protocol: protocol.into(),
                seed: 42,
                ..RunSpec::default().setup
            },
            faults: FaultLevel::Chaos,
            duration: 10 * SEC,
            keep_trace: true,
            ..RunSpec::default()
        };
        let report = run(&spec).expect("the probe spec is valid");
        let trace = crate::model::hash::digest(report.trace.as_deref().unwrap_or_default());
        out.push_str(&format!(
            "{protocol} trace {trace:016x}\n{protocol} world {:016x}\n",
            report.digest
        ));
    }
    out.push_str(&format!("time-travel {:016x}\n", time_travel_probe()));
    out
}

fn time_travel_probe() -> u64 {
    let spec = RunSpec {
        setup: Setup {
            seed: 7,
            clients: 2,
            ..RunSpec::default().setup
        },
        ..RunSpec::default()
    };
    let history = HistoryConfig {
        snapshot_every_steps: 500,
        ..HistoryConfig::default()
    };
    let mut sim: Sim<Raft> = build_sim(&spec, history).expect("valid");
    sim.run_until(2 * SEC);
    sim.intervene(Action::Crash(1));
    sim.run_until(3 * SEC);
    sim.intervene(Action::Partition(vec![vec![2, 3]]));
    sim.run_until(5 * SEC);
    sim.seek(2_500_000);
    sim.intervene(Action::Restart(1));
    sim.run_until(6 * SEC);
    sim.digest()
}

/// The throughput benchmark's workload: an N-node Raft cluster, one client request per 100 ms of
/// simulated time (or three busy clients under chaos), trace and time-travel snapshots kept.
/// The CLI and the wasm benchmark time it with their own clocks.
pub fn bench_sim<P: Protocol>(nodes: u32, faults: FaultLevel) -> Sim<P> {
    let clients = if faults == FaultLevel::None { 1 } else { 3 };
    bench_sim_with::<P>(nodes, clients, faults)
}

/// [`bench_sim`] with a chosen number of clients (one pauses 100 ms between operations; several
/// pause 50 to 150 ms, as in randomized runs).
pub fn bench_sim_with<P: Protocol>(nodes: u32, clients: u32, faults: FaultLevel) -> Sim<P> {
    let think = if clients == 1 {
        (100 * MS, 100 * MS)
    } else {
        RunSpec::default().think
    };
    let spec = RunSpec {
        setup: Setup {
            nodes,
            clients,
            seed: 7,
            protocol: P::NAME.into(),
            ..RunSpec::default().setup
        },
        faults,
        duration: 3_600 * SEC,
        think,
        keep_trace: true,
        measure: false,
    };
    build_sim(&spec, HistoryConfig::default()).expect("the benchmark spec is valid")
}

/// What log compaction cost and saved over a set of Raft chaos runs at one snapshot interval.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SnapshotFigures {
    /// The snapshot interval (0: compaction off).
    pub interval: u64,
    /// Snapshots nodes took of their own state.
    pub taken: u64,
    /// Snapshots nodes installed from a leader.
    pub installed: u64,
    /// Bytes of snapshots written (taken and installed).
    pub bytes: u64,
    /// Log entries compacted away by the snapshots taken.
    pub compacted: u64,
    /// Restarts that recovered.
    pub recoveries: u64,
    /// Log entries replayed by those recoveries.
    pub replayed: u64,
}

/// Runs a 30-second Raft chaos run on 5 nodes for each of `seeds` with `snapshot-interval`
/// `interval` and adds up its `checkpoint` and `recover` events: the trade-off between how often
/// a node snapshots and how much it replays after a crash.
pub fn snapshot_tradeoff(
    interval: u64,
    seeds: std::ops::Range<u64>,
) -> Result<SnapshotFigures, String> {
    let mut f = SnapshotFigures {
        interval,
        ..SnapshotFigures::default()
    };
    for seed in seeds {
        let mut spec = RunSpec {
            setup: Setup {
                seed,
                ..RunSpec::default().setup
            },
            faults: FaultLevel::Chaos,
            duration: 30 * SEC,
            ..RunSpec::default()
        };
        spec.setup.options.values = vec![("snapshot-interval".into(), interval)];
        let mut sim = build_sim::<Raft>(&spec, HistoryConfig::default())?;
        sim.run_until(spec.duration);
        let mut last = std::collections::BTreeMap::new();
        sim.trace().iter().for_each(|s| f.count(&s.ev, &mut last));
    }
    Ok(f)
}

impl SnapshotFigures {
    /// Adds one trace event (`checkpoint` and `recover` count); `last` remembers each node's
    /// latest snapshot index.
    pub fn count<M>(&mut self, ev: &Event<M>, last: &mut std::collections::BTreeMap<u32, u64>) {
        match ev {
            Event::Checkpoint {
                node,
                index,
                bytes,
                from,
                ..
            } => {
                let before = last.insert(*node, *index).unwrap_or(0);
                self.bytes += bytes;
                match from {
                    Some(_) => self.installed += 1,
                    None => {
                        self.taken += 1;
                        self.compacted += index.saturating_sub(before);
                    }
                }
            }
            Event::Recover { replayed, .. } => {
                self.recoveries += 1;
                self.replayed += replayed;
            }
            _ => {}
        }
    }
}
