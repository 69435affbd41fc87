//! Every planted bug is caught: each has a scenario (`scenarios/bug_NAME.scn`) whose run
//! violates the invariant the bug breaks, and the bugs that random faults expose are also found by
//! a short seed sweep. This is how we know each checker can fail.

use quorum_engine::faults::FaultLevel;
use quorum_engine::paxos::multi::MultiPaxos;
use quorum_engine::protocol::Protocol;
use quorum_engine::raft::Raft;
use quorum_engine::runner::{run, run_scenario, RunSpec};

const CAUGHT_BY: &[(&str, &str)] = &[
    ("vote-without-log-check", "LeaderCompleteness"),
    ("commit-previous-term", "StateMachineSafety"),
    ("forget-vote", "ElectionSafety"),
    ("keep-stale-suffix", "LogMatching"),
    ("snapshot-uncommitted", "SnapshotSafety"),
    ("install-stale-snapshot", "SnapshotSafety"),
];

fn scenario_for(bug: &str) -> String {
    let file = match bug {
        "commit-previous-term" => "figure8_bug_commits_previous_term".to_string(),
        other => format!("bug_{}", other.replace('-', "_")),
    };
    let path = format!("{}/scenarios/{file}.scn", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("no scenario {path} for bug {bug}"))
}

#[test]
fn every_listed_bug_has_a_checker_that_catches_it() {
    let listed: Vec<&str> = Raft::bugs().iter().map(|(n, _)| *n).collect();
    let covered: Vec<&str> = CAUGHT_BY.iter().map(|(n, _)| *n).collect();
    assert_eq!(listed, covered, "every planted bug needs an entry here");
    assert!(listed.len() >= 3);
    for (bug, invariant) in CAUGHT_BY {
        let r = run_scenario(&scenario_for(bug)).unwrap();
        assert!(
            r.violations.iter().any(|v| v.invariant == *invariant),
            "bug {bug} was not caught by {invariant}; violations: {:?}",
            r.violations
        );
    }
}

#[test]
fn the_same_schedules_hold_without_the_bugs() {
    for (bug, _) in CAUGHT_BY {
        let script = scenario_for(bug).replace(&format!("bug {bug}"), "");
        let r = run_scenario(&script).unwrap();
        assert!(
            r.violations.is_empty(),
            "{bug}'s schedule fails even without the bug: {:?}",
            r.violations
        );
    }
}

#[test]
fn random_partitions_find_the_voting_and_suffix_bugs_within_a_few_seeds() {
    for (bug, invariant) in [
        ("vote-without-log-check", "LeaderCompleteness"),
        ("keep-stale-suffix", "LogMatching"),
    ] {
        let found = (1..=20).find(|seed| {
            let mut spec = RunSpec {
                seed: *seed,
                faults: FaultLevel::Partition,
                ..RunSpec::default()
            };
            spec.options.bugs = vec![bug.to_string()];
            run(&spec)
                .unwrap()
                .violations
                .iter()
                .any(|v| v.invariant == invariant)
        });
        assert!(found.is_some(), "no seed in 1..=20 exposed {bug}");
    }
}

#[test]
fn chaos_sweeps_find_the_snapshot_bugs_within_a_few_seeds() {
    for bug in ["snapshot-uncommitted", "install-stale-snapshot"] {
        assert_some_seed_exposes(&chaos("raft", 5), bug, "SnapshotSafety");
    }
}

/// Reads `scenarios/{file}.scn`, the scenario that plants `bug`.
fn read_scenario(file: &str, bug: &str) -> String {
    let path = format!("{}/scenarios/{file}.scn", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("no scenario {path} for bug {bug}"))
}

/// Asserts that `caught_by` lists exactly the protocol's planted bugs, in order.
fn assert_covers(bugs: &[(&str, &str)], caught_by: &[(&str, &str)]) {
    let listed: Vec<&str> = bugs.iter().map(|(n, _)| *n).collect();
    let covered: Vec<&str> = caught_by.iter().map(|(n, _)| *n).collect();
    assert_eq!(listed, covered, "every planted bug needs an entry here");
}

/// Asserts that the scenario violates `invariant` with `bug` planted and nothing without it.
fn assert_scenario_catches(script: &str, bug: &str, invariant: &str) {
    let caught = run_scenario(script).unwrap().violations;
    assert!(
        caught.iter().any(|v| v.invariant == invariant),
        "bug {bug} was not caught by {invariant}; violations: {caught:?}"
    );
    let fixed = run_scenario(&script.replace(&format!("bug {bug}\n"), "")).unwrap();
    assert!(
        fixed.violations.is_empty(),
        "{bug}'s schedule fails even without the bug: {:?}",
        fixed.violations
    );
}

/// Asserts that one of seeds 1..=20 of `base` with `bug` planted violates `invariant`.
fn assert_some_seed_exposes(base: &RunSpec, bug: &str, invariant: &str) {
    let found = (1..=20).find(|seed| {
        let mut spec = RunSpec {
            seed: *seed,
            ..base.clone()
        };
        spec.options.bugs = vec![bug.to_string()];
        let report = run(&spec).unwrap();
        report.violations.iter().any(|v| v.invariant == invariant)
    });
    assert!(found.is_some(), "no chaos seed in 1..=20 exposed {bug}");
}

/// A chaos run of `protocol` on `nodes` nodes, the seed left to fill in.
fn chaos(protocol: &str, nodes: u32) -> RunSpec {
    RunSpec {
        protocol: protocol.into(),
        nodes,
        faults: FaultLevel::Chaos,
        ..RunSpec::default()
    }
}

/// Multi-Paxos's planted bugs and the invariant that catches each, in `MultiPaxos::bugs()` order.
const MULTI_PAXOS_CAUGHT_BY: &[(&str, &str)] = &[
    ("accept-below-promise", "PromiseMonotonic"),
    ("skip-recovery", "Agreement"),
    ("forget-promise", "PromiseMonotonic"),
];

#[test]
fn multi_paxos_bugs_are_caught_in_their_scenarios_and_the_schedules_hold_without_them() {
    assert_covers(MultiPaxos::bugs(), MULTI_PAXOS_CAUGHT_BY);
    for (bug, invariant) in MULTI_PAXOS_CAUGHT_BY {
        let file = format!("multipaxos_bug_{}", bug.replace('-', "_"));
        assert_scenario_catches(&read_scenario(&file, bug), bug, invariant);
    }
}

#[test]
fn multi_paxos_chaos_sweeps_find_every_bug_within_a_few_seeds() {
    for (bug, invariant) in MULTI_PAXOS_CAUGHT_BY {
        assert_some_seed_exposes(&chaos("multi-paxos", 5), bug, invariant);
    }
}

/// Basic Paxos's planted bugs, each with the invariant that catches it.
const BASIC_PAXOS_CAUGHT_BY: &[(&str, &str)] = &[
    ("accept-below-promise", "PromiseMonotonic"),
    ("ignore-promised-values", "Agreement"),
    ("learner-counts-minority", "Agreement"),
];

#[test]
fn basic_paxos_bugs_are_caught_in_their_scenarios_and_by_chaos_sweeps() {
    assert_covers(
        quorum_engine::paxos::basic::Paxos::bugs(),
        BASIC_PAXOS_CAUGHT_BY,
    );
    for (bug, invariant) in BASIC_PAXOS_CAUGHT_BY {
        let file = format!("paxos_bug_{}", bug.replace('-', "_"));
        assert_scenario_catches(&read_scenario(&file, bug), bug, invariant);
        assert_some_seed_exposes(&chaos("paxos", 5), bug, invariant);
    }
}

#[test]
fn two_phase_commit_bugs_are_caught_in_their_scenarios_and_by_chaos_sweeps() {
    let caught_by = [
        ("commit-despite-no", "Atomicity"),
        ("volatile-prepare", "Atomicity"),
    ];
    assert_covers(quorum_engine::twopc::TwoPhaseCommit::bugs(), &caught_by);
    for (bug, invariant) in caught_by {
        let file = format!("twopc_bug_{}", bug.replace('-', "_"));
        assert_scenario_catches(&read_scenario(&file, bug), bug, invariant);
        assert_some_seed_exposes(&chaos("2pc", 4), bug, invariant);
    }
}

/// Primary-backup's planted bugs and the invariant that catches each, in `PrimaryBackup::bugs()`
/// order.
const PRIMARY_BACKUP_CAUGHT_BY: &[(&str, &str)] = &[
    ("no-fencing", "OnePrimaryPerEpoch"),
    ("ack-before-replication", "NoLostAcknowledgedWrite"),
];

#[test]
fn primary_backup_bugs_are_caught_in_their_scenarios_and_by_chaos_sweeps() {
    assert_covers(
        quorum_engine::primary_backup::PrimaryBackup::bugs(),
        PRIMARY_BACKUP_CAUGHT_BY,
    );
    for (bug, invariant) in PRIMARY_BACKUP_CAUGHT_BY {
        let file = format!("pb_bug_{}", bug.replace('-', "_"));
        assert_scenario_catches(&read_scenario(&file, bug), bug, invariant);
        assert_some_seed_exposes(&chaos("primary-backup", 5), bug, invariant);
    }
}

/// Recovery blocks' planted bugs and the invariant that catches each, in `RecoveryBlock::bugs()`
/// order.
const RECOVERY_BLOCK_CAUGHT_BY: &[(&str, &str)] = &[
    ("skip-acceptance-test", "AcceptedResultsOnly"),
    ("no-rollback", "Linearizability"),
    ("swap-without-new-epoch", "OneDelivererPerEpoch"),
    ("ack-by-count", "StateMachineSafety"),
];

#[test]
fn recovery_block_bugs_are_caught_in_their_scenarios_and_by_chaos_sweeps() {
    assert_covers(
        quorum_engine::recovery_block::RecoveryBlock::bugs(),
        RECOVERY_BLOCK_CAUGHT_BY,
    );
    for (bug, invariant) in RECOVERY_BLOCK_CAUGHT_BY {
        let file = format!("rb_bug_{}", bug.replace('-', "_"));
        assert_scenario_catches(&read_scenario(&file, bug), bug, invariant);
        // ack-by-count needs two restarts around one in-flight result: about one chaos seed in
        // 2,000 finds it (with 10 clients), so its scenario is what proves the checker here.
        if *bug != "ack-by-count" {
            assert_some_seed_exposes(&chaos("recovery-block", 2), bug, invariant);
        }
    }
}
