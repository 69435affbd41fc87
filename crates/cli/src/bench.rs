//! `quorum bench`: engine throughput, time-travel memory and seek latency, measured on this machine.
//!
//! - `raftN_msgs_per_s`: messages delivered per wall-clock second by an N-node Raft cluster with
//!   one client request per 100 ms of simulated time, with the trace and time-travel snapshots kept
//!   in memory (as the app keeps them).
//! - `raft5_chaos_msgs_per_s`: the same under the chaos fault level with three clients.
//! - `paxos5_chaos_msgs_per_s`, `multipaxos5_msgs_per_s`, `multipaxos5_chaos_msgs_per_s`: the
//!   same workloads for single-decree Paxos (which decides once, then only retries and answers
//!   clients) and Multi-Paxos.
//! - `recoveryblock2_chaos_msgs_per_s`: the chaos workload for recovery blocks on their pair of
//!   nodes.
//! - `history_bytes_per_sim_s`: bytes held by the time-travel history (snapshots and intervention
//!   log) per simulated second, over a 10-minute 5-node run.
//! - `seek_ms_p50` / `seek_ms_p99`: wall time of `seek` to random points of that 10-minute run.
//!
//! - `--snapshots`: instead of the above, the Raft log-compaction trade-off: for snapshot
//!   intervals 16, 64, 256 and off, over ten 30-second 5-node chaos runs (seeds 1 to 10), the
//!   snapshots taken and installed, the bytes they wrote, and the log entries replayed per recovery.
//!
//! - `--long [--minutes M]`: every protocol for an hour on 9 nodes with 3 clients: history bytes
//!   per simulated second along the run, delivery rate, seek times (see [`crate::longbench`]).
//! - `--bugs [--seeds N] [--faults L,M]`: how many random seeds it takes to catch each planted bug
//!   (see [`crate::bugbench`]).
//!
//! Timings use the wall clock of the CLI (the engine itself never reads a clock). Each throughput
//! figure is the best of three repetitions.

use std::time::Instant;

use quorum_engine::model::types::{Micros, SEC};
use quorum_engine::protocols::paxos::basic::Paxos;
use quorum_engine::protocols::paxos::multi::MultiPaxos;
use quorum_engine::protocols::raft::Raft;
use quorum_engine::protocols::recovery_block::RecoveryBlock;
use quorum_engine::run::runner::{self, bench_sim};
use quorum_engine::sim::faults::FaultLevel;
use quorum_engine::sim::protocol::Protocol;

use crate::args;
use crate::Outcome;

struct Figures {
    throughput: Vec<(String, f64)>,
    history_bytes_per_sim_s: f64,
    seek_ms_p50: f64,
    seek_ms_p99: f64,
    seek_samples: usize,
}

/// Runs the benchmarks and prints the figures.
pub fn bench(argv: &[String]) -> Result<Outcome, String> {
    let a = args::parse(
        argv,
        &["seeds", "faults", "minutes", "max-mean"],
        &["json", "quick", "snapshots", "bugs", "long"],
    )?;
    if a.flag("bugs") {
        return crate::bugbench::bugs_table(&a);
    }
    if a.flag("long") {
        return crate::longbench::long_table(&a);
    }
    if ["seeds", "faults", "max-mean"]
        .iter()
        .any(|o| a.get(o).is_some())
    {
        return Err("--seeds, --faults and --max-mean go with --bugs".into());
    }
    if a.get("minutes").is_some() {
        return Err("--minutes goes with --long".into());
    }
    if a.flag("snapshots") {
        return snapshot_table();
    }
    let quick = a.flag("quick");
    let wall_budget = if quick { 0.2 } else { 1.5 };
    let mut throughput = Vec::new();
    for n in [3u32, 5, 9, 15, 51] {
        let figure = msgs_per_s::<Raft>(n, FaultLevel::None, wall_budget);
        throughput.push((format!("raft{n}_msgs_per_s"), figure));
    }
    let chaos = msgs_per_s::<Raft>(5, FaultLevel::Chaos, wall_budget);
    throughput.push(("raft5_chaos_msgs_per_s".into(), chaos));
    let paxos = msgs_per_s::<Paxos>(5, FaultLevel::Chaos, wall_budget);
    throughput.push(("paxos5_chaos_msgs_per_s".into(), paxos));
    let multi = msgs_per_s::<MultiPaxos>(5, FaultLevel::None, wall_budget);
    throughput.push(("multipaxos5_msgs_per_s".into(), multi));
    let multi_chaos = msgs_per_s::<MultiPaxos>(5, FaultLevel::Chaos, wall_budget);
    throughput.push(("multipaxos5_chaos_msgs_per_s".into(), multi_chaos));
    let rb_chaos = msgs_per_s::<RecoveryBlock>(2, FaultLevel::Chaos, wall_budget);
    throughput.push(("recoveryblock2_chaos_msgs_per_s".into(), rb_chaos));
    let minutes = if quick { 1 } else { 10 };
    let (history, p50, p99, samples) =
        history_and_seek(minutes * 60 * SEC, if quick { 40 } else { 200 });
    let f = Figures {
        throughput,
        history_bytes_per_sim_s: history,
        seek_ms_p50: p50,
        seek_ms_p99: p99,
        seek_samples: samples,
    };
    if a.flag("json") {
        say!("{}", json(&f));
    } else {
        print_table(&f);
    }
    Ok(Outcome::Holds)
}

/// Prints the log-compaction trade-off table (`quorum bench --snapshots`).
fn snapshot_table() -> Result<Outcome, String> {
    say!(
        "{:>9} {:>6} {:>9} {:>9} {:>12} {:>10} {:>17}",
        "interval",
        "taken",
        "installed",
        "KB",
        "compacted",
        "recoveries",
        "replayed/recovery"
    );
    for interval in [16, 64, 256, 0] {
        let f = runner::snapshot_tradeoff(interval, 1..11)?;
        let per = f.replayed as f64 / f.recoveries.max(1) as f64;
        let name = if interval == 0 {
            "off".to_string()
        } else {
            interval.to_string()
        };
        say!(
            "{name:>9} {:>6} {:>9} {:>9.1} {:>12} {:>10} {per:>17.1}",
            f.taken,
            f.installed,
            f.bytes as f64 / 1000.0,
            f.compacted,
            f.recoveries
        );
    }
    Ok(Outcome::Holds)
}

/// Repetitions of each throughput measurement; the best is reported, as usual for benchmarks on
/// a shared machine (a slower repetition measures interference, not the engine).
const REPEATS: usize = 3;

/// The best of [`REPEATS`] throughput measurements, each given a third of the wall budget.
fn msgs_per_s<P: Protocol>(nodes: u32, faults: FaultLevel, wall_budget: f64) -> f64 {
    (0..REPEATS)
        .map(|_| one_throughput::<P>(nodes, faults, wall_budget / REPEATS as f64))
        .fold(0.0, f64::max)
}

/// Runs [`bench_sim`] in 10-simulated-second chunks until the wall budget is spent; returns
/// messages delivered per wall-clock second.
fn one_throughput<P: Protocol>(nodes: u32, faults: FaultLevel, wall_budget: f64) -> f64 {
    let duration = 3_600 * SEC;
    let mut sim = bench_sim::<P>(nodes, faults);
    let start = Instant::now();
    let mut t = 0;
    while start.elapsed().as_secs_f64() < wall_budget && t < duration {
        t += 10 * SEC;
        sim.run_until(t);
    }
    let secs = start.elapsed().as_secs_f64();
    sim.world().counters().delivered as f64 / secs
}

/// Runs `duration` of the 5-node workload, then seeks to random points of it.
fn history_and_seek(duration: Micros, samples: usize) -> (f64, f64, f64, usize) {
    let mut sim = bench_sim::<Raft>(5, FaultLevel::None);
    sim.run_until(duration);
    let bytes = sim.history_bytes() as f64 / (duration / SEC) as f64;
    let times = crate::longbench::seek_times(&mut sim, duration, samples);
    let pct = |p: usize| times[(times.len() * p / 100).min(times.len() - 1)];
    (bytes, pct(50), pct(99), samples)
}

fn json(f: &Figures) -> String {
    let mut parts: Vec<String> = f
        .throughput
        .iter()
        .map(|(k, v)| format!("\"{k}\":{}", v.round()))
        .collect();
    parts.push(format!(
        "\"history_bytes_per_sim_s\":{}",
        f.history_bytes_per_sim_s.round()
    ));
    parts.push(format!("\"seek_ms_p50\":{:.3}", f.seek_ms_p50));
    parts.push(format!("\"seek_ms_p99\":{:.3}", f.seek_ms_p99));
    parts.push(format!("\"seek_samples\":{}", f.seek_samples));
    parts.push(format!("\"target\":\"{}\"", std::env::consts::ARCH));
    format!("{{{}}}", parts.join(","))
}

fn print_table(f: &Figures) {
    for (k, v) in &f.throughput {
        say!("{k:<28} {:>14.0}", v);
    }
    say!(
        "{:<28} {:>14.0}",
        "history_bytes_per_sim_s",
        f.history_bytes_per_sim_s
    );
    say!("{:<28} {:>14.3}", "seek_ms_p50", f.seek_ms_p50);
    say!(
        "{:<28} {:>14.3}  ({} seeks)",
        "seek_ms_p99",
        f.seek_ms_p99,
        f.seek_samples
    );
}
