//! Every planted bug is caught: each has a scenario (`scenarios/bug_NAME.scn`) whose run
//! violates the invariant the bug breaks, and the bugs that random faults expose are also found by
//! a short seed sweep. This is how we know each checker can fail.

use quorum_engine::faults::FaultLevel;
use quorum_engine::protocol::Protocol;
use quorum_engine::raft::Raft;
use quorum_engine::runner::{run, run_scenario, RunSpec};

const CAUGHT_BY: &[(&str, &str)] = &[
    ("vote-without-log-check", "LeaderCompleteness"),
    ("commit-previous-term", "StateMachineSafety"),
    ("forget-vote", "ElectionSafety"),
    ("keep-stale-suffix", "LogMatching"),
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
