//! Scenario scripts: cluster settings, a timed list of actions, and expectations, as plain text.
//!
//! The same format drives the engine's golden tests, `quorum run --scenario FILE`, the app's
//! scenario menu and share links. One command per line; `#` starts a comment.
//!
//! ```text
//! # settings (before the first action)
//! protocol raft            nodes 5        seed 7         clients 0
//! option prevote on        bug forget-vote
//! latency 5ms 15ms         loss 5%        dup 1%
//! # actions
//! run 300ms                run-until leader [in 1 2] [max 5s]
//! crash 3                  restart 3      timeout 2      isolate 1
//! partition 1 2 | 3 4 5    heal           cut 1 2        drift 4 1500
//! request [to N] put 1 42 | get 1 | cas 1 42 43
//! # expectations (a failed one fails the scenario)
//! expect leader 3          expect leader in 3 4 5        expect no-leader
//! expect term 3 >= 2 (or <=, ==)
//! expect violation LogMatching  expect no-violation
//! expect committed 4 on 1 2 3
//! # output
//! status
//! ```
//!
//! `run` and `run-until` print the notable events of the stretch they ran (roles, faults, log
//! changes, commits, client outcomes, violations), which is what golden files record.

use std::fmt::Write;

use crate::model::event::{Event, Message, Payload};
use crate::model::kv::KvOp;
use crate::model::rng::PPM_ONE;
use crate::model::types::{fmt_time, parse_duration, Micros, NodeId, SEC};
pub use crate::run::describe::describe;
use crate::run::setup::Setup;
use crate::sim::action::Action;
use crate::sim::protocol::{Protocol, ScenarioView};

/// The settings part of a scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// Protocol, cluster, seed, workload, options and network.
    pub setup: Setup,
    /// Where `protocol`, `option` and `bug` settings were given: (line, setting, name), so that a
    /// name the protocol does not know can be reported at its line.
    pub lines: Vec<(usize, String, String)>,
}

impl Default for Settings {
    /// Raft on five nodes, seed 1, and no background clients: a script writes its own workload.
    fn default() -> Self {
        Settings {
            setup: Setup {
                protocol: "raft".into(),
                clients: 0,
                ..Setup::default()
            },
            lines: Vec::new(),
        }
    }
}

/// An expectation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expect {
    /// This node is in the leader role (a stale leader elsewhere does not matter).
    Leader(NodeId),
    /// Some node of this set is in the leader role.
    LeaderIn(Vec<NodeId>),
    /// No up node leads.
    NoLeader,
    /// A node's term/ballot/epoch compared with a value (`>=`, `<=` or `==`).
    Term(NodeId, String, u64),
    /// A named invariant has been violated.
    Violation(String),
    /// No invariant has been violated.
    NoViolation,
    /// These nodes have committed (applied) at least `index`.
    Committed(u64, Vec<NodeId>),
}

/// One scenario step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Apply an action now.
    Act(Action),
    /// Apply an action to whichever node leads now (the leader, primary, coordinator or
    /// proposer, the one of the highest epoch if several think they lead): one script means the
    /// same thing to every protocol.
    OnLeader(LeaderAction),
    /// Run for a duration.
    Run(Micros),
    /// Run until some node of the set (empty: any node) leads, for at most a duration.
    RunUntilLeader(Vec<NodeId>, Micros),
    /// Check an expectation.
    Expect(Expect),
    /// Print the state of every node.
    Status,
}

/// What a script can do to the node that leads (`crash leader`, `isolate leader`,
/// `timeout leader`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LeaderAction {
    /// Crash it.
    Crash,
    /// Partition it from every other node.
    Isolate,
    /// Fire its primary timer.
    Timeout,
}

impl LeaderAction {
    /// The concrete action on node `n` (what the run records, and a share link replays).
    pub fn on(self, n: NodeId) -> Action {
        match self {
            LeaderAction::Crash => Action::Crash(n),
            LeaderAction::Isolate => Action::Partition(vec![vec![n]]),
            LeaderAction::Timeout => Action::Timeout(n),
        }
    }
}

/// A parsed scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scenario {
    /// Settings.
    pub settings: Settings,
    /// Steps with their 1-based line numbers.
    pub steps: Vec<(usize, Step)>,
    /// The source text of each step, for output labels.
    pub texts: Vec<String>,
}

/// A scenario that could not be parsed: where and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line number.
    pub line: usize,
    /// What was wrong.
    pub message: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// Parses a scenario script (step line numbers are filled in by [`parse_script`]).
fn parse(text: &str) -> Result<Scenario, ParseError> {
    let mut sc = Scenario {
        settings: Settings::default(),
        steps: Vec::new(),
        texts: Vec::new(),
    };
    for (i, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or("").trim();
        if line.is_empty() || line == "----" {
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        parse_line(&mut sc, &words).map_err(|message| ParseError {
            line: i + 1,
            message,
        })?;
        if matches!(words[0], "bug" | "option" | "protocol") {
            sc.settings.lines.push((
                i + 1,
                words[0].to_string(),
                words.get(1).unwrap_or(&"").to_string(),
            ));
        }
    }
    Ok(sc)
}

fn parse_line(sc: &mut Scenario, w: &[&str]) -> Result<(), String> {
    if let Some(done) = parse_setting(&mut sc.settings, w, sc.steps.is_empty())? {
        return done;
    }
    sc.steps.push((0, parse_step(w)?));
    sc.texts.push(w.join(" "));
    Ok(())
}

/// Some(Ok) when `w` was a setting.
fn parse_setting(
    s: &mut Settings,
    w: &[&str],
    first: bool,
) -> Result<Option<Result<(), String>>, String> {
    let is_setting = matches!(
        w[0],
        "protocol" | "nodes" | "seed" | "clients" | "option" | "bug" | "latency" | "loss" | "dup"
    );
    if !is_setting {
        return Ok(None);
    }
    if !first {
        return Err(format!(
            "{:?} is a setting: settings come before the first action",
            w[0]
        ));
    }
    match w {
        ["protocol", p] => s.setup.protocol = p.to_string(),
        ["nodes", n] => {
            s.setup.nodes = num(n, "nodes").and_then(|n| in_range(n, 1, 64, "nodes"))? as u32
        }
        ["seed", n] => s.setup.seed = num(n, "seed")?,
        ["clients", n] => {
            s.setup.clients = num(n, "clients").and_then(|n| in_range(n, 0, 100, "clients"))? as u32
        }
        ["option", name, v] => match v.parse() {
            Ok(n) => s.setup.options.values.push((name.to_string(), n)),
            Err(_) => s.setup.options.flags.push((name.to_string(), on_off(v)?)),
        },
        ["bug", name] => s.setup.options.bugs.push(name.to_string()),
        ["latency", a, b] => {
            s.setup.net.latency_min = parse_duration(a)?;
            s.setup.net.latency_max = parse_duration(b)?.max(s.setup.net.latency_min);
        }
        ["loss", p] => s.setup.net.loss_ppm = percent(p)?,
        ["dup", p] => s.setup.net.dup_ppm = percent(p)?,
        _ => return Err(format!("bad setting {:?}", w.join(" "))),
    }
    Ok(Some(Ok(())))
}

fn num(s: &str, what: &str) -> Result<u64, String> {
    s.parse()
        .map_err(|_| format!("{what} must be a number, not {s:?}"))
}

fn in_range(n: u64, lo: u64, hi: u64, what: &str) -> Result<u64, String> {
    if (lo..=hi).contains(&n) {
        Ok(n)
    } else {
        Err(format!("{what} must be between {lo} and {hi}"))
    }
}

fn node(s: &str) -> Result<NodeId, String> {
    s.parse()
        .ok()
        .filter(|n| *n >= 1)
        .ok_or_else(|| format!("{s:?} is not a node id (1, 2, ...)"))
}

fn nodes(ws: &[&str]) -> Result<Vec<NodeId>, String> {
    ws.iter().map(|w| node(w)).collect()
}

fn on_off(s: &str) -> Result<bool, String> {
    match s {
        "on" | "true" => Ok(true),
        "off" | "false" => Ok(false),
        _ => Err(format!("expected on or off, not {s:?}")),
    }
}

fn percent(s: &str) -> Result<u32, String> {
    let v: u64 = s
        .trim_end_matches('%')
        .parse()
        .map_err(|_| format!("{s:?} is not a percentage"))?;
    if v > 100 {
        return Err("a percentage is at most 100%".into());
    }
    Ok((v * u64::from(PPM_ONE) / 100) as u32)
}

/// Reads one action a person or a lesson can do to a run of `nodes` nodes, in the scripts' words
/// (`crash 2`, `crash leader`, `partition 1 2 | 3 4 5`, `request put 1 10`, ...): an action on a
/// node or on whichever node leads. Runs and expectations are not actions.
pub fn parse_command(line: &str, nodes: u32) -> Result<Step, String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let step = parse_step(&words)?;
    match step {
        Step::Act(_) | Step::OnLeader(_) => {
            check_ids(&step, nodes)?;
            Ok(step)
        }
        _ => Err(format!(
            "{line:?} is not an action (crash, restart, partition, heal, request, ...)"
        )),
    }
}

fn parse_step(w: &[&str]) -> Result<Step, String> {
    Ok(match w {
        ["run", d] => Step::Run(parse_duration(d)?),
        ["run-until", "leader", rest @ ..] => parse_run_until(rest)?,
        ["status"] => Step::Status,
        ["expect", rest @ ..] => Step::Expect(parse_expect(rest)?),
        ["crash", "leader"] => Step::OnLeader(LeaderAction::Crash),
        ["isolate", "leader"] => Step::OnLeader(LeaderAction::Isolate),
        ["timeout", "leader"] => Step::OnLeader(LeaderAction::Timeout),
        _ => Step::Act(parse_action(w)?),
    })
}

fn parse_run_until(w: &[&str]) -> Result<Step, String> {
    let (set, max) = match w {
        ["in", rest @ ..] => match rest {
            [ns @ .., "max", d] => (nodes(ns)?, parse_duration(d)?),
            ns => (nodes(ns)?, 5 * SEC),
        },
        ["max", d] => (Vec::new(), parse_duration(d)?),
        [] => (Vec::new(), 5 * SEC),
        _ => return Err("use run-until leader [in N...] [max DURATION]".into()),
    };
    Ok(Step::RunUntilLeader(set, max))
}

fn parse_action(w: &[&str]) -> Result<Action, String> {
    Ok(match w {
        ["crash", n] => Action::Crash(node(n)?),
        ["restart", n] => Action::Restart(node(n)?),
        ["timeout", n] => Action::Timeout(node(n)?),
        ["isolate", n] => Action::Partition(vec![vec![node(n)?]]),
        ["heal"] => Action::Heal,
        ["cut", a, b] => Action::Cut(node(a)?, node(b)?),
        ["drift", n, r] => Action::Drift(
            node(n)?,
            num(r, "rate").and_then(|r| in_range(r, 100, 10_000, "rate"))? as u32,
        ),
        ["partition", rest @ ..] => Action::Partition(parse_groups(rest)?),
        ["request", "to", n, op @ ..] => Action::Request {
            node: Some(node(n)?),
            op: parse_op(op)?,
        },
        ["request", op @ ..] => Action::Request {
            node: None,
            op: parse_op(op)?,
        },
        _ => return Err(format!("unknown command {:?}", w.join(" "))),
    })
}

fn parse_groups(w: &[&str]) -> Result<Vec<Vec<NodeId>>, String> {
    let joined = w.join(" ");
    let groups: Vec<Vec<NodeId>> = joined
        .split('|')
        .map(|g| nodes(&g.split_whitespace().collect::<Vec<_>>()))
        .collect::<Result<_, _>>()?;
    if groups.iter().any(Vec::is_empty) {
        return Err(
            "partition groups are node ids separated by |, e.g. partition 1 2 | 3 4 5".into(),
        );
    }
    crate::sim::action::check_groups(&groups)?;
    Ok(groups)
}

fn parse_op(w: &[&str]) -> Result<KvOp, String> {
    KvOp::parse_words(w)
}

fn parse_expect(w: &[&str]) -> Result<Expect, String> {
    Ok(match w {
        ["leader", "in", ns @ ..] if !ns.is_empty() => Expect::LeaderIn(nodes(ns)?),
        ["leader", n] => Expect::Leader(node(n)?),
        ["no-leader"] => Expect::NoLeader,
        ["term", n, op @ (">=" | "<=" | "=="), t] => {
            Expect::Term(node(n)?, op.to_string(), num(t, "term")?)
        }
        ["violation", name] => Expect::Violation(name.to_string()),
        ["no-violation"] => Expect::NoViolation,
        ["committed", i, "on", ns @ ..] if !ns.is_empty() => {
            Expect::Committed(num(i, "index")?, nodes(ns)?)
        }
        _ => return Err(format!("unknown expectation {:?}", w.join(" "))),
    })
}

fn check_ids(step: &Step, n: u32) -> Result<(), String> {
    let ids: Vec<NodeId> = match step {
        Step::Act(
            Action::Crash(a) | Action::Restart(a) | Action::Timeout(a) | Action::Drift(a, _),
        ) => vec![*a],
        Step::Act(Action::Cut(a, b)) => vec![*a, *b],
        Step::Act(Action::Partition(g)) => g.concat(),
        Step::Act(Action::Request { node: Some(a), .. }) => vec![*a],
        Step::Expect(Expect::Leader(a) | Expect::Term(a, _, _)) => vec![*a],
        Step::Expect(Expect::LeaderIn(v) | Expect::Committed(_, v))
        | Step::RunUntilLeader(v, _) => v.clone(),
        _ => vec![],
    };
    match ids.iter().find(|id| **id > n) {
        Some(id) => Err(format!(
            "node {id} does not exist (the cluster has {n} nodes)"
        )),
        None => Ok(()),
    }
}

/// Fills in line numbers (the parser pushes steps in order; this pairs them with their lines).
fn number_lines(text: &str, sc: &mut Scenario) {
    let lines = text.lines().enumerate().filter_map(|(i, raw)| {
        let l = raw.split('#').next().unwrap_or("").trim();
        let w: Vec<&str> = l.split_whitespace().collect();
        let setting = w.first().is_some_and(|f| {
            matches!(
                *f,
                "protocol"
                    | "nodes"
                    | "seed"
                    | "clients"
                    | "option"
                    | "bug"
                    | "latency"
                    | "loss"
                    | "dup"
            )
        });
        (!l.is_empty() && l != "----" && !setting).then_some(i + 1)
    });
    for ((line, _), n) in sc.steps.iter_mut().zip(lines) {
        *line = n;
    }
}

/// Parses a scenario script, with line numbers on every step.
pub fn parse_script(text: &str) -> Result<Scenario, ParseError> {
    let mut sc = parse(text)?;
    number_lines(text, &mut sc);
    check_length(&sc)?;
    let n = sc.settings.setup.nodes;
    for (line, step) in &sc.steps {
        check_ids(step, n).map_err(|message| ParseError {
            line: *line,
            message,
        })?;
    }
    Ok(sc)
}

/// Refuses a script whose `run` steps add up to more than [`crate::model::types::MAX_RUN`].
fn check_length(sc: &Scenario) -> Result<(), ParseError> {
    let mut total: Micros = 0;
    for (line, step) in &sc.steps {
        let d = match step {
            Step::Run(d) | Step::RunUntilLeader(_, d) => *d,
            _ => 0,
        };
        total = total.saturating_add(d);
        if total > crate::model::types::MAX_RUN {
            return Err(ParseError {
                line: *line,
                message: "the script runs longer than one hour of simulated time, the limit".into(),
            });
        }
    }
    Ok(())
}

/// Is this event worth a line in a scenario's output?
pub fn is_notable<M: Message>(ev: &Event<M>) -> bool {
    match ev {
        Event::Send {
            payload: Payload::Proto(m),
            ..
        } => m.milestone().is_some(),
        Event::Drop { reason, .. } => *reason == crate::model::event::DropReason::User,
        Event::Send { .. }
        | Event::Deliver { .. }
        | Event::Duplicate { .. }
        | Event::Timeout { .. }
        | Event::Apply { .. } => false,
        _ => true,
    }
}

/// The result of running a scenario.
#[derive(Clone, Debug, Default)]
pub struct ScenarioOutcome {
    /// The output, one block per step that prints (run, status).
    pub output: String,
    /// Expectations that failed, with their line numbers.
    pub failures: Vec<String>,
}

/// Runs a scenario on an already-built simulation.
pub fn execute<P: Protocol + ScenarioView>(
    sc: &Scenario,
    sim: &mut crate::sim::timeline::Sim<P>,
) -> ScenarioOutcome {
    let mut out = ScenarioOutcome::default();
    for ((line, step), text) in sc.steps.iter().zip(&sc.texts) {
        let mark = sim.trace().len();
        match step {
            Step::Act(a) => sim.intervene(a.clone()),
            Step::OnLeader(a) => match leader(sim) {
                Some(n) => sim.intervene(a.on(n)),
                None => {
                    out.failures.push(format!(
                        "line {line}: no node leads, so `{text}` did nothing"
                    ));
                    continue;
                }
            },
            Step::Run(d) => sim.run_for(*d),
            Step::RunUntilLeader(set, max) => run_until_leader(sim, set, *max),
            Step::Status => {
                let _ = writeln!(out.output, "> status @ {}", fmt_time(sim.now()));
                out.output.push_str(&status(sim));
                continue;
            }
            Step::Expect(e) => {
                if let Err(msg) = expect(sim, e) {
                    out.failures.push(format!("line {line}: {msg}"));
                }
                continue;
            }
        }
        let _ = writeln!(out.output, "> {text} @ {}", fmt_time(sim.now()));
        for s in sim.trace().since(mark).filter(|s| is_notable(&s.ev)) {
            let _ = writeln!(out.output, "  {}", describe(s));
        }
    }
    out
}

fn leaders<P: Protocol + ScenarioView>(sim: &crate::sim::timeline::Sim<P>) -> Vec<NodeId> {
    (1..=sim.world().config().nodes)
        .filter(|n| sim.world().node(*n).is_some_and(|p| p.is_leader()))
        .collect()
}

/// The node that leads now: of several that think they lead, the one of the highest epoch.
pub(crate) fn leader<P: Protocol + ScenarioView>(
    sim: &crate::sim::timeline::Sim<P>,
) -> Option<NodeId> {
    let epoch = |n: &NodeId| sim.world().node(*n).map_or(0, |p| p.role().epoch);
    leaders(sim)
        .into_iter()
        .max_by_key(|n| (epoch(n), std::cmp::Reverse(*n)))
}

fn run_until_leader<P: Protocol + ScenarioView>(
    sim: &mut crate::sim::timeline::Sim<P>,
    set: &[NodeId],
    max: Micros,
) {
    let end = sim.now() + max;
    let found = |sim: &crate::sim::timeline::Sim<P>| {
        leaders(sim)
            .iter()
            .any(|l| set.is_empty() || set.contains(l))
    };
    while !found(sim) && sim.now() < end {
        let next = sim.world().next_time().unwrap_or(end).min(end);
        sim.run_until(next);
    }
}

fn expect<P: Protocol + ScenarioView>(
    sim: &crate::sim::timeline::Sim<P>,
    e: &Expect,
) -> Result<(), String> {
    let ls = leaders(sim);
    let ok = match e {
        Expect::Leader(n) => ls.contains(n),
        Expect::LeaderIn(set) => ls.iter().any(|l| set.contains(l)),
        Expect::NoLeader => ls.is_empty(),
        Expect::Term(n, op, t) => sim
            .world()
            .node(*n)
            .is_some_and(|p| compare(p.role().epoch, op, *t)),
        Expect::Violation(name) => sim
            .violations()
            .iter()
            .any(|v| v.invariant == name.as_str()),
        Expect::NoViolation => sim.violations().is_empty(),
        Expect::Committed(i, ns) => ns
            .iter()
            .all(|n| sim.world().node(*n).is_some_and(|p| p.applied() >= *i)),
    };
    if ok {
        return Ok(());
    }
    let violations: Vec<String> = sim
        .violations()
        .iter()
        .map(|v| format!("{}: {}", v.invariant, v.detail))
        .collect();
    Err(format!(
        "expected {e:?}; leaders now {ls:?}; violations {violations:?}"
    ))
}

fn compare(a: u64, op: &str, b: u64) -> bool {
    match op {
        ">=" => a >= b,
        "<=" => a <= b,
        _ => a == b,
    }
}

/// One line per node: role, epoch and the protocol's own fields.
pub fn status<P: Protocol>(sim: &crate::sim::timeline::Sim<P>) -> String {
    let mut s = String::new();
    for (i, slot) in sim.world().nodes().iter().enumerate() {
        match slot {
            crate::sim::world::Slot::Up(p) => {
                let fields: Vec<String> = p
                    .inspect()
                    .into_iter()
                    .skip(1)
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                let _ = writeln!(s, "  n{} {} {}", i + 1, p.role().role, fields.join(" "));
            }
            crate::sim::world::Slot::Down(_) => {
                let _ = writeln!(s, "  n{} down", i + 1);
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_script_parses_with_settings_actions_and_expectations() {
        let sc = parse_script("nodes 3\nseed 9\noption prevote on\n\nrun 200ms # go\npartition 1 | 2 3\nrequest to 2 cas 1 none 5\nexpect leader in 2 3\n").unwrap();
        assert_eq!(sc.settings.setup.nodes, 3);
        assert_eq!(sc.settings.setup.seed, 9);
        assert_eq!(sc.settings.setup.options.flag("prevote"), Some(true));
        assert_eq!(sc.steps.len(), 4);
        assert_eq!(sc.steps[0], (5, Step::Run(200_000)));
        assert_eq!(
            sc.steps[1].1,
            Step::Act(Action::Partition(vec![vec![1], vec![2, 3]]))
        );
        assert_eq!(sc.steps[3], (8, Step::Expect(Expect::LeaderIn(vec![2, 3]))));
    }

    #[test]
    fn bad_scripts_say_which_line_and_why() {
        let e = parse_script("nodes 3\ncrash 4\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("does not exist"), "{}", e.message);
        assert!(parse_script("run 1h")
            .unwrap_err()
            .message
            .contains("duration"));
        assert!(parse_script("run 1s\nnodes 3")
            .unwrap_err()
            .message
            .contains("settings come before"));
        assert!(parse_script("explode 1")
            .unwrap_err()
            .message
            .contains("unknown command"));
        assert!(parse_script("partition 1 | | 2").is_err());
        assert!(parse_script("nodes 99").is_err());
        assert!(parse_script("request put x 1").is_err());
    }
}
