//! The subcommands: run, sweep, check, bugs (bench lives in its own module).

use quorum_engine::model::trace::parse_trace;
use quorum_engine::model::types::MS;
use quorum_engine::run::runner::{self, check_protocol, RunSpec, PROTOCOLS};
use quorum_engine::run::setup::Setup;
use quorum_engine::sim::faults::FaultLevel;
use quorum_engine::sim::protocol::ProtocolOptions;

use crate::args::{self, Args};
use crate::{Outcome, USAGE};

/// Runs the subcommand named by the first argument.
pub fn dispatch(argv: &[String]) -> Result<Outcome, String> {
    let Some((cmd, rest)) = argv.split_first() else {
        say_raw!("{USAGE}");
        return Ok(Outcome::Holds);
    };
    match cmd.as_str() {
        "run" => run(rest),
        "sweep" => sweep(rest),
        "check" => check(rest),
        "metrics" => metrics(rest),
        "shiviz" => shiviz(rest),
        "compare" => crate::compare::compare(rest),
        "bugs" => bugs(rest),
        "bench" => crate::bench::bench(rest),
        "help" | "--help" | "-h" => {
            say_raw!("{USAGE}");
            Ok(Outcome::Holds)
        }
        other => Err(format!(
            "unknown command {other:?} (run, sweep, check, metrics, shiviz, compare, bugs, bench)"
        )),
    }
}

/// Options shared by `run` and `sweep`.
const SPEC_OPTIONS: &[&str] = &[
    "protocol",
    "nodes",
    "duration-ms",
    "faults",
    "clients",
    "bug",
    "option",
];

fn run_options() -> Vec<&'static str> {
    [SPEC_OPTIONS, &["seed", "scenario", "trace"]].concat()
}

fn sweep_options() -> Vec<&'static str> {
    [SPEC_OPTIONS, &["seeds"]].concat()
}

/// Fails on positional arguments where a command takes none.
fn no_positional(a: &Args, command: &str) -> Result<(), String> {
    match a.positional.first() {
        Some(p) => Err(format!("unexpected argument {p:?} for `quorum {command}`")),
        None => Ok(()),
    }
}

fn spec_from(a: &Args) -> Result<RunSpec, String> {
    spec_shaped(a, (a.num("nodes", 5)?, a.num("clients", 3)?))
}

/// The run settings of `a` for a cluster of `nodes` nodes and `clients` clients.
fn spec_shaped(a: &Args, (nodes, clients): (u32, u32)) -> Result<RunSpec, String> {
    let protocol = a.get("protocol").unwrap_or("raft").to_string();
    check_protocol(&protocol)?;
    let faults: FaultLevel = a.get("faults").unwrap_or("none").parse()?;
    let options = options_from(a)?;
    let spec = RunSpec {
        setup: Setup {
            protocol,
            nodes,
            seed: a.num("seed", 1)?,
            clients,
            options,
            ..RunSpec::default().setup
        },
        duration: a.num::<u64>("duration-ms", 10_000)?.saturating_mul(MS),
        faults,
        ..RunSpec::default()
    };
    runner::validate(&spec)?;
    Ok(spec)
}

/// The cluster shapes a sweep draws from, one per seed: `--nodes 2..=9` and `--clients 3,10`
/// (a single number, a list or a range each) vary the node and client counts from seed to seed,
/// so one sweep covers them all; the replay command of a failing seed names the ones it drew.
struct Shapes {
    nodes: Vec<u32>,
    clients: Vec<u32>,
}

impl Shapes {
    fn parse(a: &Args) -> Result<Self, String> {
        Ok(Shapes {
            nodes: args::choices("nodes", a.get("nodes").unwrap_or("5"))?,
            clients: args::choices("clients", a.get("clients").unwrap_or("3"))?,
        })
    }

    /// Every combination, to validate them all before the sweep starts.
    fn all(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        let clients = &self.clients;
        self.nodes
            .iter()
            .flat_map(move |n| clients.iter().map(move |c| (*n, *c)))
    }

    /// The shape of `seed`: a mix of the seed picks the node count and the client count.
    fn pick(&self, seed: u64) -> (u32, u32) {
        let mix = (seed ^ (seed >> 31)).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 32;
        let n = self.nodes.len() as u64;
        let nodes = self.nodes[(mix % n) as usize];
        let clients = self.clients[((mix / n) % self.clients.len() as u64) as usize];
        (nodes, clients)
    }

    fn describe(list: &[u32]) -> String {
        match list {
            [one] => one.to_string(),
            _ => list
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join("/"),
        }
    }
}

fn options_from(a: &Args) -> Result<ProtocolOptions, String> {
    let mut options = ProtocolOptions {
        bugs: a.all("bug"),
        ..ProtocolOptions::default()
    };
    for o in a.all("option") {
        let (name, value) = o.split_once('=').unwrap_or((o.as_str(), "on"));
        match value {
            "on" | "true" => options.flags.push((name.to_string(), true)),
            "off" | "false" => options.flags.push((name.to_string(), false)),
            _ => match value.parse() {
                Ok(n) => options.values.push((name.to_string(), n)),
                Err(_) => {
                    return Err(format!(
                        "--option {o}: use NAME=on, NAME=off or NAME=NUMBER"
                    ))
                }
            },
        }
    }
    Ok(options)
}

fn run(argv: &[String]) -> Result<Outcome, String> {
    let a = args::parse(argv, &run_options(), &["metrics", "json"])?;
    if a.flag("json") && !a.flag("metrics") {
        return Err("--json goes with --metrics".into());
    }
    no_positional(&a, "run")?;
    if let Some(path) = a.get("scenario") {
        if let Some(other) = [SPEC_OPTIONS, &["seed"]]
            .concat()
            .into_iter()
            .find(|o| a.get(o).is_some())
        {
            return Err(format!(
                "--{other} cannot be combined with --scenario: the scenario file sets it"
            ));
        }
        return run_scenario(path, a.get("trace"));
    }
    let mut spec = spec_from(&a)?;
    spec.keep_trace = a.get("trace").is_some();
    spec.measure = a.flag("metrics");
    check_options(&spec)?;
    let report = runner::run(&spec)?;
    if let (Some(path), Some(trace)) = (a.get("trace"), &report.trace) {
        std::fs::write(path, trace).map_err(|e| format!("cannot write {path}: {e}"))?;
    }
    match &report.metrics {
        Some(m) if a.flag("json") => {
            let verdict = serde_json::json!({
                "seed": report.seed,
                "passed": report.passed(),
                "summary": report.summary(),
                "metrics": m,
            });
            say!("{verdict}");
            return Ok(if report.passed() {
                Outcome::Holds
            } else {
                Outcome::Violated
            });
        }
        Some(m) => say_raw!("{}", m.text()),
        None => {}
    }
    say!("{}", report.summary());
    if let Some(why) = report.lin.explanation() {
        say!("why not linearizable: {why}");
    }
    Ok(verdict(report.passed(), &spec))
}

fn check_options(spec: &RunSpec) -> Result<(), String> {
    runner::check_options(&spec.setup.protocol, &spec.setup.options)
}

fn verdict(passed: bool, spec: &RunSpec) -> Outcome {
    if passed {
        return Outcome::Holds;
    }
    say!("replay: {}", replay_command(spec));
    Outcome::Violated
}

/// The `quorum run` command line that replays a run.
pub(crate) fn replay_command(spec: &RunSpec) -> String {
    let mut cmd = format!(
        "quorum run --protocol {} --nodes {} --seed {} --duration-ms {} --faults {} --clients {}",
        spec.setup.protocol,
        spec.setup.nodes,
        spec.setup.seed,
        spec.duration / MS,
        spec.faults,
        spec.setup.clients
    );
    for b in &spec.setup.options.bugs {
        cmd.push_str(&format!(" --bug {b}"));
    }
    for (n, v) in &spec.setup.options.flags {
        cmd.push_str(&format!(" --option {n}={}", if *v { "on" } else { "off" }));
    }
    for (n, v) in &spec.setup.options.values {
        cmd.push_str(&format!(" --option {n}={v}"));
    }
    cmd
}

fn run_scenario(path: &str, trace: Option<&str>) -> Result<Outcome, String> {
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("cannot read scenario {path}: {e}"))?;
    let run = runner::run_scenario(&text).map_err(|e| format!("{path}: {e}"))?;
    say_raw!("{}", run.outcome.output);
    if let Some(t) = trace {
        std::fs::write(t, &run.trace).map_err(|e| format!("cannot write {t}: {e}"))?;
    }
    for f in &run.outcome.failures {
        say!("EXPECTATION FAILED {f}");
    }
    let unexpected: Vec<_> = run
        .violations
        .iter()
        .filter(|v| !run.expected.contains(&v.invariant.to_string()))
        .collect();
    for v in &run.violations {
        let tag = if unexpected.iter().any(|u| u.invariant == v.invariant) {
            "VIOLATION"
        } else {
            "expected violation"
        };
        say!("{tag} {} at t={}us: {}", v.invariant, v.t, v.detail);
    }
    let ok = run.outcome.failures.is_empty() && unexpected.is_empty();
    Ok(if ok {
        Outcome::Holds
    } else {
        Outcome::Violated
    })
}

fn sweep(argv: &[String]) -> Result<Outcome, String> {
    let a = args::parse(argv, &sweep_options(), &[])?;
    no_positional(&a, "sweep")?;
    let seeds = args::seed_range(a.required("seeds")?)?;
    let shapes = Shapes::parse(&a)?;
    for shape in shapes.all() {
        spec_shaped(&a, shape)?;
    }
    let mut spec = spec_shaped(&a, shapes.pick(seeds.start))?;
    if a.get("duration-ms").is_none() {
        spec.duration = 20_000 * MS;
    }
    check_options(&spec)?;
    let (mut failed, total) = (Vec::new(), seeds.end - seeds.start);
    let mut unverified = Vec::new();
    for seed in seeds {
        spec.setup.seed = seed;
        (spec.setup.nodes, spec.setup.clients) = shapes.pick(seed);
        let report = runner::run(&spec)?;
        if !report.passed() {
            say!("{}", report.summary());
            say!("replay: {}", replay_command(&spec));
            failed.push(seed);
        } else if !report.lin.decided() {
            say!("{}", report.summary());
            unverified.push(seed);
        }
    }
    say!(
        "sweep: {} passed, {} failed ({} {} on {} nodes, {} clients, faults {})",
        total - failed.len() as u64,
        failed.len(),
        total,
        if total == 1 { "seed" } else { "seeds" },
        Shapes::describe(&shapes.nodes),
        Shapes::describe(&shapes.clients),
        spec.faults
    );
    if !failed.is_empty() {
        say!("failing seeds: {failed:?}");
    }
    if !unverified.is_empty() {
        say!("linearizability NOT VERIFIED (the search gave up) for seeds: {unverified:?}");
    }
    Ok(if failed.is_empty() {
        Outcome::Holds
    } else {
        Outcome::Violated
    })
}

fn check(argv: &[String]) -> Result<Outcome, String> {
    let a = args::parse(argv, &[], &[])?;
    let [path] = a.positional.as_slice() else {
        return Err("usage: quorum check FILE.jsonl".into());
    };
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let trace = parse_trace(&text).map_err(|e| format!("{path}: {e}"))?;
    if trace.skipped > 0 {
        say!(
            "{path}: skipped {} lines of event kinds this version does not know",
            trace.skipped
        );
    }
    let report = runner::check_trace(&trace).map_err(|e| format!("{path}: {e}"))?;
    for v in &report.violations {
        say!("VIOLATION {} at t={}us: {}", v.invariant, v.t, v.detail);
    }
    if !report.lin.decided() {
        say!("{path}: linearizability {}", report.lin.verdict());
    }
    if let Some(why) = report.lin.explanation() {
        say!("why not linearizable: {why}");
    }
    say!(
        "{path}: {} events, protocol {}, {} nodes, seed {}: {}",
        report.events,
        trace.header.protocol,
        trace.header.nodes,
        trace.header.seed,
        if report.violations.is_empty() {
            "every invariant holds"
        } else {
            "violations found"
        }
    );
    if !report.violations.is_empty() {
        say!("seed {}", trace.header.seed);
    }
    Ok(if report.violations.is_empty() {
        Outcome::Holds
    } else {
        Outcome::Violated
    })
}

/// `quorum metrics FILE.jsonl [--json]`: what a trace measures.
fn metrics(argv: &[String]) -> Result<Outcome, String> {
    let a = args::parse(argv, &[], &["json"])?;
    let [path] = a.positional.as_slice() else {
        return Err("usage: quorum metrics FILE.jsonl [--json]".into());
    };
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let trace = parse_trace(&text).map_err(|e| format!("{path}: {e}"))?;
    let report = runner::trace_metrics(&trace);
    if a.flag("json") {
        say!("{}", report.json());
    } else {
        say!(
            "{path}: protocol {}, {} nodes, seed {}",
            trace.header.protocol,
            trace.header.nodes,
            trace.header.seed
        );
        say_raw!("{}", report.text());
    }
    Ok(Outcome::Holds)
}

/// `quorum shiviz TRACE.jsonl`: the trace in ShiViz's log format, on stdout.
fn shiviz(argv: &[String]) -> Result<Outcome, String> {
    let a = args::parse(argv, &[], &[])?;
    let [path] = a.positional.as_slice() else {
        return Err(
            "usage: quorum shiviz FILE.jsonl (writes ShiViz's log format to stdout)".into(),
        );
    };
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let trace = parse_trace(&text).map_err(|e| format!("{path}: {e}"))?;
    say_raw!("{}", quorum_engine::run::shiviz::export(&trace.events));
    Ok(Outcome::Holds)
}

fn bugs(argv: &[String]) -> Result<Outcome, String> {
    let a = args::parse(argv, &["protocol"], &[])?;
    no_positional(&a, "bugs")?;
    let protocols: Vec<&str> = match a.get("protocol") {
        Some(p) => {
            check_protocol(p)?;
            vec![p]
        }
        None => PROTOCOLS
            .iter()
            .filter(|(_, ok)| *ok)
            .map(|(n, _)| *n)
            .collect(),
    };
    for p in protocols {
        for bug in runner::bugs(p)? {
            let (name, sentence) = (bug.name, bug.about);
            say!("{name}  {sentence}");
        }
    }
    Ok(Outcome::Holds)
}
