//! `quorum compare`: the same faults against several protocols, side by side.
//!
//! With `--scenario FILE` every protocol runs the script's steps with the script's settings
//! (faults aimed by role, `crash leader`, mean the same to each); with `--seeds A..B` every
//! protocol runs the same randomized fault plans (a plan is drawn from the seed alone, never from
//! the protocol's own randomness), and the table shows distributions over the seeds: the CDF of
//! the time clients went unserved after each fault, like Figure 16 of the Raft paper.

use std::fmt::Write as _;

use quorum_engine::metrics::{MetricsReport, Percentiles};
use quorum_engine::model::types::{Micros, MS};
use quorum_engine::run::runner::{self, RunSpec};
use quorum_engine::run::setup::Variant;

use crate::args::{self, Args};
use crate::Outcome;

/// The quantiles of the recovery-time CDF printed as text.
const QUANTILES: &[usize] = &[10, 25, 50, 75, 90, 95, 99, 100];

/// `quorum compare`.
pub fn compare(argv: &[String]) -> Result<Outcome, String> {
    let a = args::parse(
        argv,
        &[
            "protocols",
            "scenario",
            "seeds",
            "faults",
            "nodes",
            "clients",
            "duration-ms",
        ],
        &["json"],
    )?;
    if let Some(p) = a.positional.first() {
        return Err(format!("unexpected argument {p:?} for `quorum compare`"));
    }
    let protocols = protocol_list(&a)?;
    match (a.get("scenario"), a.get("seeds")) {
        (Some(path), None) => {
            if let Some(o) = ["faults", "nodes", "clients", "duration-ms"]
                .into_iter()
                .find(|o| a.get(o).is_some())
            {
                return Err(format!(
                    "--{o} cannot be combined with --scenario: the scenario sets it"
                ));
            }
            by_scenario(path, &protocols, a.flag("json"))
        }
        (None, Some(_)) => by_seeds(&a, &protocols),
        _ => Err("give either --scenario FILE or --seeds A..B".into()),
    }
}

/// `--protocols`: protocols, each with options if given (`raft:election-max-ms=151`).
fn protocol_list(a: &Args) -> Result<Vec<Variant>, String> {
    let list = a
        .get("protocols")
        .unwrap_or("raft,multi-paxos,primary-backup");
    let variants: Vec<Variant> = list
        .split(',')
        .map(str::parse)
        .collect::<Result<_, String>>()
        .map_err(|e| format!("--protocols {e}"))?;
    for v in &variants {
        runner::check_protocol(&v.protocol)?;
    }
    Ok(variants)
}

fn by_scenario(path: &str, protocols: &[Variant], json: bool) -> Result<Outcome, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let mut rows = Vec::new();
    let mut outcome = Outcome::Holds;
    for p in protocols {
        let run =
            runner::run_scenario_as(&text, p).map_err(|e| format!("{path} as {}: {e}", p.label))?;
        if !run.violations.is_empty() {
            outcome = Outcome::Violated;
        }
        rows.push((p.label.clone(), run.violations.len(), run.link, run.metrics));
    }
    if json {
        let list: Vec<_> = rows
            .iter()
            .map(|(p, v, link, m)| serde_json::json!({"protocol": p, "violations": v, "link": link, "metrics": m}))
            .collect();
        say!("{}", serde_json::Value::Array(list));
        return Ok(outcome);
    }
    say_raw!("{}", scenario_table(&rows));
    Ok(outcome)
}

fn scenario_table(rows: &[(String, usize, String, MetricsReport)]) -> String {
    let w = rows.iter().map(|r| r.0.len()).max().unwrap_or(0).max(16);
    let mut s = format!(
        "{:<w$} {:>8} {:>10} {:>8} {:>8} {:>9} {:>9} {:>8}  faults: recovery (detection + election + catch-up)\n",
        "protocol", "avail%", "unavail", "ok", "info", "p50", "p99", "msg/op"
    );
    for (p, violations, _, m) in rows {
        let _ = write!(
            s,
            "{:<w$} {:>8.2} {:>10} {:>8} {:>8} {:>9} {:>9} {:>8.1} ",
            p,
            m.availability * 100.0,
            ms(Some(m.unavailable)),
            m.ok,
            m.info,
            ms(m.latency.p50),
            ms(m.latency.p99),
            m.messages_per_op
        );
        let faults: Vec<String> = m
            .faults
            .iter()
            .map(|f| {
                format!(
                    "{} {} ({} + {} + {})",
                    f.what,
                    ms(f.recovery),
                    ms(f.detection),
                    ms(f.election),
                    ms(f.catch_up)
                )
            })
            .collect();
        let _ = writeln!(s, " {}", faults.join("; "));
        if *violations > 0 {
            let _ = writeln!(s, "{:<w$} {violations} invariant violations", "");
        }
    }
    s
}

/// What one protocol did over all the seeds.
#[derive(Default, serde::Serialize)]
struct Summary {
    protocol: String,
    runs: usize,
    violations: usize,
    availability_mean: f64,
    unavailable_mean: f64,
    throughput_mean: f64,
    messages_per_op_mean: f64,
    latency_p50_median: Option<Micros>,
    latency_p99_median: Option<Micros>,
    faults: usize,
    unrecovered: usize,
    /// Time clients went unserved after each fault, sorted (the CDF).
    recovery: Vec<Micros>,
    detection: Percentiles,
    election: Percentiles,
    catch_up: Percentiles,
    failing_seeds: Vec<u64>,
    /// The command that replays the first failing seed.
    replay: Option<String>,
}

fn by_seeds(a: &Args, protocols: &[Variant]) -> Result<Outcome, String> {
    let seeds = args::seed_range(a.required("seeds")?)?;
    let mut summaries = Vec::new();
    for p in protocols {
        let mut spec = seed_spec(a, p)?;
        let reports = run_seeds(&spec, seeds.clone())?;
        let mut summary = summarise(&p.label, &reports);
        if let Some(seed) = summary.failing_seeds.first() {
            spec.setup.seed = *seed;
            summary.replay = Some(crate::commands::replay_command(&spec));
        }
        summaries.push(summary);
    }
    let outcome = if summaries.iter().any(|s| s.violations > 0) {
        Outcome::Violated
    } else {
        Outcome::Holds
    };
    if a.flag("json") {
        say!(
            "{}",
            serde_json::to_string(&summaries).expect("serialisable")
        );
    } else {
        say_raw!("{}", seeds_table(&summaries));
    }
    Ok(outcome)
}

fn seed_spec(a: &Args, variant: &Variant) -> Result<RunSpec, String> {
    let mut spec = RunSpec {
        duration: a.num::<u64>("duration-ms", 20_000)?.saturating_mul(MS),
        faults: a.get("faults").unwrap_or("chaos").parse()?,
        measure: true,
        ..RunSpec::default()
    };
    spec.setup.protocol = variant.protocol.clone();
    spec.setup.options = variant.options.clone();
    spec.setup.nodes = a.num("nodes", 5)?;
    spec.setup.clients = a.num("clients", 3)?;
    runner::validate(&spec)?;
    Ok(spec)
}

/// Runs every seed on two threads (the machines this runs on have two cores), in seed order.
fn run_seeds(
    spec: &RunSpec,
    seeds: std::ops::Range<u64>,
) -> Result<Vec<(u64, bool, MetricsReport)>, String> {
    let all: Vec<u64> = seeds.collect();
    crate::par::over_seeds(&all, |seed| {
        let mut one = spec.clone();
        one.setup.seed = seed;
        let r = runner::run(&one)?;
        Ok((seed, r.passed(), r.metrics.expect("measured")))
    })
}

fn summarise(protocol: &str, reports: &[(u64, bool, MetricsReport)]) -> Summary {
    let n = reports.len().max(1) as f64;
    let mean = |f: &dyn Fn(&MetricsReport) -> f64| reports.iter().map(|r| f(&r.2)).sum::<f64>() / n;
    let faults: Vec<_> = reports.iter().flat_map(|r| &r.2.faults).collect();
    let mut recovery: Vec<Micros> = faults.iter().filter_map(|f| f.recovery).collect();
    recovery.sort_unstable();
    let phase = |f: &dyn Fn(&quorum_engine::metrics::FaultReport) -> Option<Micros>| {
        Percentiles::of(faults.iter().filter_map(|x| f(x)).collect())
    };
    Summary {
        protocol: protocol.to_string(),
        runs: reports.len(),
        violations: reports.iter().filter(|r| !r.1).count(),
        availability_mean: mean(&|m| m.availability),
        unavailable_mean: mean(&|m| m.unavailable as f64),
        throughput_mean: mean(&|m| m.throughput),
        messages_per_op_mean: mean(&|m| m.messages_per_op),
        latency_p50_median: Percentiles::of(
            reports.iter().filter_map(|r| r.2.latency.p50).collect(),
        )
        .p50,
        latency_p99_median: Percentiles::of(
            reports.iter().filter_map(|r| r.2.latency.p99).collect(),
        )
        .p50,
        faults: faults.len(),
        unrecovered: faults.len() - recovery.len(),
        recovery,
        detection: phase(&|f| f.detection),
        election: phase(&|f| f.election),
        catch_up: phase(&|f| f.catch_up),
        failing_seeds: reports.iter().filter(|r| !r.1).map(|r| r.0).collect(),
        replay: None,
    }
}

fn seeds_table(rows: &[Summary]) -> String {
    let w = rows
        .iter()
        .map(|r| r.protocol.len())
        .max()
        .unwrap_or(0)
        .max(16);
    let mut s = format!(
        "{:<w$} {:>6} {:>6} {:>8} {:>10} {:>8} {:>8} {:>8} {:>8}\n",
        "protocol", "runs", "viol", "avail%", "unavail", "ops/s", "p50", "p99", "msg/op"
    );
    for r in rows {
        let _ = writeln!(
            s,
            "{:<w$} {:>6} {:>6} {:>8.2} {:>10} {:>8.1} {:>8} {:>8} {:>8.1}",
            r.protocol,
            r.runs,
            r.violations,
            r.availability_mean * 100.0,
            ms(Some(r.unavailable_mean as Micros)),
            r.throughput_mean,
            ms(r.latency_p50_median),
            ms(r.latency_p99_median),
            r.messages_per_op_mean
        );
    }
    let _ = writeln!(
        s,
        "\ntime clients went unserved after a fault (CDF over every fault of every seed):"
    );
    let head: Vec<String> = QUANTILES
        .iter()
        .map(|q| format!("{:>9}", format!("{q}%")))
        .collect();
    let _ = writeln!(s, "{:<w$} {:>7} {}", "protocol", "faults", head.join(" "));
    for r in rows {
        let cells: Vec<String> = QUANTILES
            .iter()
            .map(|q| format!("{:>9}", ms(quantile(&r.recovery, *q))))
            .collect();
        let _ = writeln!(s, "{:<w$} {:>7} {}", r.protocol, r.faults, cells.join(" "));
    }
    let _ = writeln!(s, "\nrecovery phases, median (p95):");
    for r in rows {
        let _ = writeln!(
            s,
            "{:<w$} detection {} ({}), election {} ({}), catch-up {} ({}); {} faults never recovered before the run ended",
            r.protocol,
            ms(r.detection.p50),
            ms(r.detection.p95),
            ms(r.election.p50),
            ms(r.election.p95),
            ms(r.catch_up.p50),
            ms(r.catch_up.p95),
            r.unrecovered
        );
        if let Some(replay) = &r.replay {
            let _ = writeln!(
                s,
                "{:<w$} violations on {} seeds ({}); replay the first: {replay}",
                "",
                r.failing_seeds.len(),
                seed_list(&r.failing_seeds)
            );
        }
    }
    s
}

/// The first ten seeds of a list, and how many more there are.
fn seed_list(seeds: &[u64]) -> String {
    let shown: Vec<String> = seeds.iter().take(10).map(u64::to_string).collect();
    match seeds.len().saturating_sub(10) {
        0 => shown.join(", "),
        more => format!("{}, and {more} more", shown.join(", ")),
    }
}

/// The `q`-th percentile of sorted values (nearest rank).
fn quantile(sorted: &[Micros], q: usize) -> Option<Micros> {
    let n = sorted.len();
    (n > 0).then(|| sorted[(n * q).div_ceil(100).clamp(1, n) - 1])
}

fn ms(t: Option<Micros>) -> String {
    t.map_or("-".into(), |t| format!("{:.1}ms", t as f64 / 1000.0))
}
