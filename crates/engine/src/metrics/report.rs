//! The summary of a [`Metrics`]: figures a person compares (text) or a program reads (JSON).

use std::fmt::Write;

use serde::Serialize;

use super::{Bin, Done, Fault, Metrics, BIN};
use crate::model::types::{fmt_time, Micros, SEC};

/// Latency percentiles, in microseconds (`None` with no operation).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Percentiles {
    /// Operations counted.
    pub count: usize,
    /// Median.
    pub p50: Option<Micros>,
    /// 95th percentile.
    pub p95: Option<Micros>,
    /// 99th percentile.
    pub p99: Option<Micros>,
    /// Slowest.
    pub max: Option<Micros>,
}

impl Percentiles {
    /// The percentiles of `latencies` (nearest rank).
    pub fn of(mut latencies: Vec<Micros>) -> Self {
        latencies.sort_unstable();
        let rank = |p: usize| -> Option<Micros> {
            let n = latencies.len();
            (n > 0).then(|| latencies[(n * p).div_ceil(100).clamp(1, n) - 1])
        };
        Percentiles {
            count: latencies.len(),
            p50: rank(50),
            p95: rank(95),
            p99: rank(99),
            max: latencies.last().copied(),
        }
    }
}

/// One fault's recovery, as durations (microseconds).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FaultReport {
    /// When it happened.
    pub at: Micros,
    /// What it was.
    pub what: String,
    /// Fault to first reaction.
    pub detection: Option<Micros>,
    /// Reaction to a node leading.
    pub election: Option<Micros>,
    /// Leading to the first commit (or apply, choice, decision).
    pub catch_up: Option<Micros>,
    /// Fault to the first completed client operation: the time clients went unserved.
    pub recovery: Option<Micros>,
}

impl From<&Fault> for FaultReport {
    fn from(f: &Fault) -> Self {
        let since = |a: Option<Micros>, b: Option<Micros>| Some(b? - a?);
        FaultReport {
            at: f.at,
            what: f.what.clone(),
            detection: since(Some(f.at), f.detected),
            election: since(f.detected, f.led),
            catch_up: since(f.led, f.caught_up),
            recovery: since(Some(f.at), f.served),
        }
    }
}

/// Everything a run measured.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MetricsReport {
    /// Simulated time covered.
    pub duration: Micros,
    /// Share of the counted time in which clients were served (1.0 = always).
    pub availability: f64,
    /// How long clients went unserved.
    pub unavailable: Micros,
    /// Operations invoked.
    pub invoked: u64,
    /// Operations that took effect.
    pub ok: u64,
    /// Operations that definitely did not.
    pub fail: u64,
    /// Operations whose client gave up (outcome unknown).
    pub info: u64,
    /// Completed operations per simulated second.
    pub throughput: f64,
    /// Latency of completed operations.
    pub latency: Percentiles,
    /// Latency per simulated second of completion.
    pub latency_by_second: Vec<Percentiles>,
    /// Protocol messages sent per completed operation.
    pub messages_per_op: f64,
    /// Every fault and its recovery.
    pub faults: Vec<FaultReport>,
    /// Two-phase commit: time participants spent prepared but undecided.
    pub blocked: Percentiles,
    /// Total blocked time.
    pub blocked_total: Micros,
}

impl Metrics {
    /// The summary of everything seen so far.
    pub fn report(&self) -> MetricsReport {
        let completed = self.done.len() as u64;
        let ok = self.done.iter().filter(|d| d.ok).count() as u64;

        let seconds = (self.now as f64 / SEC as f64).max(1e-9);
        MetricsReport {
            duration: self.now,
            availability: 1.0 - self.unserved() as f64 / self.counted().max(1) as f64,
            unavailable: self.unserved(),
            invoked: self.invoked,
            ok,
            fail: completed - ok,
            info: self.info,
            throughput: completed as f64 / seconds,
            latency: Percentiles::of(self.done.iter().map(|d| d.latency).collect()),
            latency_by_second: by_second(&self.done, self.now),
            messages_per_op: self.proto_sends as f64 / completed.max(1) as f64,
            faults: self.faults.iter().map(FaultReport::from).collect(),
            blocked: Percentiles::of(self.blocked.clone()),
            blocked_total: self.blocked.iter().sum(),
        }
    }

    /// The availability series as (bin start, bin) pairs, for charts.
    pub fn series(&self) -> impl Iterator<Item = (Micros, &Bin)> {
        self.bins
            .iter()
            .enumerate()
            .map(|(i, b)| (i as Micros * BIN, b))
    }
}

fn by_second(done: &[Done], now: Micros) -> Vec<Percentiles> {
    let seconds = usize::try_from(now / SEC).unwrap_or(0) + 1;
    let mut buckets = vec![Vec::new(); seconds.min(100_000)];
    for d in done {
        if let Some(b) = buckets.get_mut(usize::try_from(d.at / SEC).unwrap_or(usize::MAX)) {
            b.push(d.latency);
        }
    }
    buckets.into_iter().map(Percentiles::of).collect()
}

/// `12.3 ms`, or `-` for nothing.
fn ms(t: Option<Micros>) -> String {
    t.map_or("-".into(), |t| format!("{:.1} ms", t as f64 / 1000.0))
}

impl MetricsReport {
    /// The report as JSON.
    pub fn json(&self) -> String {
        serde_json::to_string(self).expect("a report serialises")
    }

    /// The report as a few lines of text.
    pub fn text(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "availability {:.2}% ({} unavailable of {})",
            self.availability * 100.0,
            ms(Some(self.unavailable)),
            fmt_time(self.duration)
        );
        let _ = writeln!(
            s,
            "operations {} invoked: {} ok, {} fail, {} info; {:.1} completed/s; {:.1} messages per operation",
            self.invoked, self.ok, self.fail, self.info, self.throughput, self.messages_per_op
        );
        let l = &self.latency;
        let _ = writeln!(
            s,
            "latency p50 {} p95 {} p99 {} max {}",
            ms(l.p50),
            ms(l.p95),
            ms(l.p99),
            ms(l.max)
        );
        if self.blocked.count > 0 {
            let _ = writeln!(
                s,
                "blocked (prepared, undecided) {} times: total {}, p50 {}, max {}",
                self.blocked.count,
                ms(Some(self.blocked_total)),
                ms(self.blocked.p50),
                ms(self.blocked.max)
            );
        }
        for f in &self.faults {
            let _ = writeln!(
                s,
                "fault at {} {}: detection {}, election {}, catch-up {}, clients served again after {}",
                fmt_time(f.at),
                f.what,
                ms(f.detection),
                ms(f.election),
                ms(f.catch_up),
                ms(f.recovery)
            );
        }
        s
    }
}
