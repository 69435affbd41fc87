//! Metrics read from real runs: a quiet cluster is always available, and a leader's crash shows
//! every phase of its recovery, for each protocol that elects a leader.

use quorum_engine::metrics::MetricsReport;
use quorum_engine::model::types::SEC;
use quorum_engine::run::runner::{self, run, RunSpec};
use quorum_engine::run::setup::Setup;
use quorum_engine::sim::faults::FaultLevel;

fn measured(protocol: &str, seed: u64, faults: FaultLevel) -> MetricsReport {
    let spec = RunSpec {
        setup: Setup {
            protocol: protocol.into(),
            seed,
            ..RunSpec::default().setup
        },
        faults,
        duration: 20 * SEC,
        measure: true,
        ..RunSpec::default()
    };
    run(&spec).unwrap().metrics.expect("measured")
}

#[test]
fn a_run_without_faults_is_always_available() {
    for protocol in ["raft", "multi-paxos", "primary-backup"] {
        let m = measured(protocol, 1, FaultLevel::None);
        assert_eq!(m.availability, 1.0, "{protocol}: {}", m.text());
        assert!(m.faults.is_empty());
        let cut_by_the_end = 3;
        assert!(
            m.ok > 100 && m.info <= cut_by_the_end,
            "{protocol}: {}",
            m.text()
        );
    }
}

#[test]
fn a_leader_crash_is_detected_then_a_new_leader_catches_up_and_serves() {
    for protocol in ["raft", "multi-paxos", "primary-backup"] {
        let found = (1..=20).find_map(|seed| {
            let m = measured(protocol, seed, FaultLevel::Crash);
            let leader_crash = m
                .faults
                .iter()
                .find(|f| f.what.contains("(leader)") || f.what.contains("(primary)"))?;
            Some((leader_crash.clone(), m))
        });
        let (f, m) = found.unwrap_or_else(|| panic!("{protocol}: no leader crash in 20 seeds"));
        let phases = (f.detection, f.election, f.catch_up, f.recovery);
        assert!(
            matches!(phases, (Some(_), Some(_), Some(_), Some(_))),
            "{protocol}: {f:?}"
        );
        let (d, e, c, r) = (
            phases.0.unwrap(),
            phases.1.unwrap(),
            phases.2.unwrap(),
            phases.3.unwrap(),
        );
        assert!(
            d + e + c <= r + SEC,
            "{protocol}: phases {d}+{e}+{c} against {r}"
        );
        assert!(
            m.availability < 1.0,
            "{protocol}: a leader crash costs availability"
        );
    }
}

#[test]
fn quorum_metrics_on_an_exported_trace_matches_the_live_measurement() {
    let mut spec = RunSpec {
        faults: FaultLevel::Chaos,
        measure: true,
        keep_trace: true,
        ..RunSpec::default()
    };
    spec.setup.seed = 9;
    let live = run(&spec).unwrap();
    let trace = quorum_engine::model::trace::parse_trace(live.trace.as_deref().unwrap()).unwrap();
    assert_eq!(runner::trace_metrics(&trace), live.metrics.unwrap());
}
