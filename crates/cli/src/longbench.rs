//! `quorum bench --long`: every protocol for a long run (one hour of simulated time by default,
//! `--minutes M`) on 9 nodes with 3 clients, kept as the app keeps it (trace and time-travel
//! snapshots). At each tenth of the run it prints the time-travel history's bytes per simulated
//! second (flat in run length means memory stays bounded) and the delivery rate of that tenth;
//! at the end, the trace's kilobytes per simulated second (its events at their in-memory size,
//! what they hold on the heap not counted: the trace is kept beside the history, not in it) and
//! the wall time of seeking to 200 random points (p50, p99, max).

use std::time::Instant;

use quorum_engine::model::rng::Rng;
use quorum_engine::model::types::{Micros, SEC};
use quorum_engine::protocols::paxos::basic::Paxos;
use quorum_engine::protocols::paxos::multi::MultiPaxos;
use quorum_engine::protocols::primary_backup::PrimaryBackup;
use quorum_engine::protocols::raft::Raft;
use quorum_engine::protocols::recovery_block::RecoveryBlock;
use quorum_engine::protocols::twopc::TwoPhaseCommit;
use quorum_engine::run::runner::bench_sim_with;
use quorum_engine::sim::faults::FaultLevel;
use quorum_engine::sim::protocol::Protocol;
use quorum_engine::sim::timeline::Sim;

use crate::args::Args;
use crate::Outcome;

/// Seeks measured at the end of each run.
const SEEKS: usize = 200;

/// `quorum bench --long [--minutes M]`.
pub fn long_table(a: &Args) -> Result<Outcome, String> {
    let minutes: u64 = a.num("minutes", 60)?;
    if !(1..=60).contains(&minutes) {
        return Err("--minutes is 1 to 60".into());
    }
    let duration = minutes * 60 * SEC;
    say!(
        "{:<15} {:>10}  history KB per simulated second at each tenth of the run  {:>12} {:>8} {:>8} {:>8} {:>8}",
        "protocol", "wall", "msgs/s", "trace KB/s", "seek p50", "p99", "max"
    );
    let rows = [
        long::<Raft>(duration),
        long::<Paxos>(duration),
        long::<MultiPaxos>(duration),
        long::<PrimaryBackup>(duration),
        long::<TwoPhaseCommit>(duration),
        long::<RecoveryBlock>(duration),
    ];
    for r in rows {
        say!("{r}");
    }
    Ok(Outcome::Holds)
}

/// One protocol's long run, as a table row.
fn long<P: Protocol>(duration: Micros) -> String {
    let mut sim = bench_sim_with::<P>(9, 3, FaultLevel::None);
    let start = Instant::now();
    let mut kb = Vec::new();
    let mut rates = Vec::new();
    for tenth in 1..=10 {
        let t = duration * tenth / 10;
        let (before, clock) = (sim.world().counters().delivered, Instant::now());
        sim.run_until(t);
        let delivered = sim.world().counters().delivered - before;
        rates.push(delivered as f64 / clock.elapsed().as_secs_f64().max(1e-9));
        kb.push(sim.history_bytes() as f64 / 1024.0 / (t / SEC) as f64);
    }
    let wall = start.elapsed().as_secs_f64();
    let trace = sim.trace_bytes();
    let trace_kb = trace as f64 / 1024.0 / (duration / SEC) as f64;
    let seeks = seek_times(&mut sim, duration, SEEKS);
    let pct = |p: usize| seeks[(seeks.len() * p / 100).min(seeks.len() - 1)];
    let history: Vec<String> = kb.iter().map(|k| format!("{k:.1}")).collect();
    let (first, last) = (rates[0], rates[rates.len() - 1]);
    format!(
        "{:<15} {wall:>9.1}s  {}  {:>5.0}k->{:<5.0}k {trace_kb:>10.1} {:>7.2}ms {:>6.2}ms {:>6.2}ms",
        P::NAME,
        history.join(" "),
        first / 1e3,
        last / 1e3,
        pct(50),
        pct(99),
        seeks[seeks.len() - 1]
    )
}

/// Wall milliseconds of `samples` seeks to random points of the first `duration` of a run,
/// sorted.
pub fn seek_times<P: Protocol>(sim: &mut Sim<P>, duration: Micros, samples: usize) -> Vec<f64> {
    let mut rng = Rng::new(99);
    let mut times: Vec<f64> = (0..samples)
        .map(|_| {
            let target = rng.below(duration);
            let clock = Instant::now();
            sim.seek(target);
            clock.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times
}
