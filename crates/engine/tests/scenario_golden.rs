//! Golden scenario tests: each `scenarios/NAME.scn` script runs, its expectations must hold,
//! and its output must equal `NAME.golden` beside it. After a deliberate change of behaviour,
//! regenerate with `UPDATE_GOLDEN=1 cargo test -p quorum-engine --test scenario_golden` and review
//! the diff like code.

use std::path::{Path, PathBuf};

use quorum_engine::runner::run_scenario;

fn scenario_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

fn check(name: &str) {
    let dir = scenario_dir();
    let script = std::fs::read_to_string(dir.join(format!("{name}.scn"))).expect("scenario file");
    let run = run_scenario(&script).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(
        run.outcome.failures.is_empty(),
        "{name}: failed expectations:\n{}\n\noutput:\n{}",
        run.outcome.failures.join("\n"),
        run.outcome.output
    );
    let golden = dir.join(format!("{name}.golden"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, &run.outcome.output).expect("write golden");
        return;
    }
    let want = std::fs::read_to_string(&golden)
        .unwrap_or_else(|_| panic!("{name}: no golden file; run with UPDATE_GOLDEN=1"));
    if want != run.outcome.output {
        let diff = first_difference(&want, &run.outcome.output);
        panic!("{name}: output differs from {}\n{diff}\n(regenerate with UPDATE_GOLDEN=1 if the change is intended)", golden.display());
    }
}

fn first_difference(want: &str, got: &str) -> String {
    let (w, g): (Vec<&str>, Vec<&str>) = (want.lines().collect(), got.lines().collect());
    let i = w
        .iter()
        .zip(&g)
        .position(|(a, b)| a != b)
        .unwrap_or(w.len().min(g.len()));
    format!(
        "first difference at line {}:\n  want: {:?}\n  got:  {:?}",
        i + 1,
        w.get(i),
        g.get(i)
    )
}

#[test]
fn every_scenario_file_has_a_test() {
    let mut names: Vec<String> = std::fs::read_dir(scenario_dir())
        .unwrap()
        .filter_map(|e| {
            e.ok()?
                .file_name()
                .into_string()
                .ok()?
                .strip_suffix(".scn")
                .map(String::from)
        })
        .collect();
    names.sort();
    assert_eq!(
        names,
        SCENARIOS.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        "list every scenario in SCENARIOS"
    );
}

const SCENARIOS: &[&str] = &[
    "bug_forget_vote",
    "bug_install_stale_snapshot",
    "bug_keep_stale_suffix",
    "bug_snapshot_uncommitted",
    "bug_vote_without_log_check",
    "candidate_with_stale_log_loses",
    "conflicting_suffix_repaired",
    "crash_restart_keeps_term_and_vote",
    "durable_vote_prevents_double_vote",
    "figure8_bug_commits_previous_term",
    "figure8_previous_term_not_committed",
    "first_election",
    "leader_steps_down_on_higher_term",
    "multipaxos_acceptor_crash",
    "multipaxos_bug_accept_below_promise",
    "multipaxos_bug_forget_promise",
    "multipaxos_bug_skip_recovery",
    "multipaxos_leader_change_completes_slot",
    "multipaxos_steady_state",
    "partitioned_leader_cannot_commit",
    "paxos_acceptor_crash_between_phases",
    "paxos_bug_accept_below_promise",
    "paxos_bug_ignore_promised_values",
    "paxos_bug_learner_counts_minority",
    "paxos_duelling_proposers",
    "paxos_duelling_resolved",
    "paxos_single_proposer",
    "pb_bug_ack_before_replication",
    "pb_bug_no_fencing",
    "pb_catch_up_after_restart",
    "pb_partitioned_primary_is_fenced",
    "pb_primary_fails_backup_takes_over",
    "prevote_rejoining_node",
    "raft_snapshot_lagging_follower",
    "raft_snapshot_restart_recovers",
    "rb_alternate_saves_the_day",
    "rb_bug_ack_by_count",
    "rb_bug_no_rollback",
    "rb_bug_skip_acceptance_test",
    "rb_bug_swap_without_new_epoch",
    "rb_partitioned_primary_is_fenced",
    "rb_primary_crash_shadow_takes_over",
    "rb_restart_never_reuses_an_input_number",
    "split_vote_resolved",
    "twopc_bug_commit_despite_no",
    "twopc_bug_volatile_prepare",
    "twopc_commit",
    "twopc_cooperative_termination",
    "twopc_coordinator_crash_blocks",
    "twopc_participant_crash_in_doubt",
    "twopc_vote_no_aborts",
];

#[test]
fn bug_forget_vote() {
    check("bug_forget_vote");
}

#[test]
fn bug_install_stale_snapshot() {
    check("bug_install_stale_snapshot");
}

#[test]
fn bug_snapshot_uncommitted() {
    check("bug_snapshot_uncommitted");
}

#[test]
fn raft_snapshot_lagging_follower() {
    check("raft_snapshot_lagging_follower");
}

#[test]
fn raft_snapshot_restart_recovers() {
    check("raft_snapshot_restart_recovers");
}

#[test]
fn bug_keep_stale_suffix() {
    check("bug_keep_stale_suffix");
}

#[test]
fn bug_vote_without_log_check() {
    check("bug_vote_without_log_check");
}

#[test]
fn candidate_with_stale_log_loses() {
    check("candidate_with_stale_log_loses");
}

#[test]
fn conflicting_suffix_repaired() {
    check("conflicting_suffix_repaired");
}

#[test]
fn crash_restart_keeps_term_and_vote() {
    check("crash_restart_keeps_term_and_vote");
}

#[test]
fn durable_vote_prevents_double_vote() {
    check("durable_vote_prevents_double_vote");
}

#[test]
fn figure8_bug_commits_previous_term() {
    check("figure8_bug_commits_previous_term");
}

#[test]
fn figure8_previous_term_not_committed() {
    check("figure8_previous_term_not_committed");
}

#[test]
fn first_election() {
    check("first_election");
}

#[test]
fn leader_steps_down_on_higher_term() {
    check("leader_steps_down_on_higher_term");
}

#[test]
fn partitioned_leader_cannot_commit() {
    check("partitioned_leader_cannot_commit");
}

#[test]
fn prevote_rejoining_node() {
    check("prevote_rejoining_node");
}

#[test]
fn split_vote_resolved() {
    check("split_vote_resolved");
}

#[test]
fn multipaxos_acceptor_crash() {
    check("multipaxos_acceptor_crash");
}

#[test]
fn multipaxos_bug_accept_below_promise() {
    check("multipaxos_bug_accept_below_promise");
}

#[test]
fn multipaxos_bug_forget_promise() {
    check("multipaxos_bug_forget_promise");
}

#[test]
fn multipaxos_bug_skip_recovery() {
    check("multipaxos_bug_skip_recovery");
}

#[test]
fn multipaxos_leader_change_completes_slot() {
    check("multipaxos_leader_change_completes_slot");
}

#[test]
fn multipaxos_steady_state() {
    check("multipaxos_steady_state");
}

/// The app's scenario menu replays stored links (`scenarios/catalog/PROTOCOL.links`); they must be
/// what the scripts produce today, and each scenario's protocol must be the one its script runs.
#[test]
fn the_catalog_links_are_what_the_scripts_produce() {
    let dir = scenario_dir();
    let mut files: std::collections::BTreeMap<&str, String> = quorum_engine::catalog::LINK_FILES
        .iter()
        .map(|(p, _)| (*p, String::new()))
        .collect();
    for s in quorum_engine::catalog::SCENARIOS {
        let script = std::fs::read_to_string(dir.join(format!("{}.scn", s.name))).expect("script");
        let run = run_scenario(&script).unwrap_or_else(|e| panic!("{}: {e}", s.name));
        assert!(
            run.link.contains(&format!("&p={}&", s.protocol)),
            "{} is listed as {} but runs {}",
            s.name,
            s.protocol,
            run.link
        );
        let file = files
            .get_mut(s.protocol)
            .expect("a protocol with a link file");
        *file += &format!("{} {}\n", s.name, run.link);
    }
    for (protocol, text) in files {
        let path = dir.join("catalog").join(format!("{protocol}.links"));
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&path, &text).expect("write a catalog file");
            continue;
        }
        let stored = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(
            stored,
            text,
            "{} is stale: regenerate with UPDATE_GOLDEN=1",
            path.display()
        );
    }
}

#[test]
fn paxos_acceptor_crash_between_phases() {
    check("paxos_acceptor_crash_between_phases");
}

#[test]
fn paxos_bug_accept_below_promise() {
    check("paxos_bug_accept_below_promise");
}

#[test]
fn paxos_bug_ignore_promised_values() {
    check("paxos_bug_ignore_promised_values");
}

#[test]
fn paxos_bug_learner_counts_minority() {
    check("paxos_bug_learner_counts_minority");
}

#[test]
fn paxos_duelling_proposers() {
    check("paxos_duelling_proposers");
}

#[test]
fn paxos_duelling_resolved() {
    check("paxos_duelling_resolved");
}

#[test]
fn paxos_single_proposer() {
    check("paxos_single_proposer");
}

#[test]
fn twopc_bug_commit_despite_no() {
    check("twopc_bug_commit_despite_no");
}

#[test]
fn twopc_bug_volatile_prepare() {
    check("twopc_bug_volatile_prepare");
}

#[test]
fn twopc_commit() {
    check("twopc_commit");
}

#[test]
fn twopc_cooperative_termination() {
    check("twopc_cooperative_termination");
}

#[test]
fn twopc_coordinator_crash_blocks() {
    check("twopc_coordinator_crash_blocks");
}

#[test]
fn twopc_participant_crash_in_doubt() {
    check("twopc_participant_crash_in_doubt");
}

#[test]
fn twopc_vote_no_aborts() {
    check("twopc_vote_no_aborts");
}

#[test]
fn pb_bug_ack_before_replication() {
    check("pb_bug_ack_before_replication");
}

#[test]
fn pb_bug_no_fencing() {
    check("pb_bug_no_fencing");
}

#[test]
fn pb_catch_up_after_restart() {
    check("pb_catch_up_after_restart");
}

#[test]
fn pb_partitioned_primary_is_fenced() {
    check("pb_partitioned_primary_is_fenced");
}

#[test]
fn pb_primary_fails_backup_takes_over() {
    check("pb_primary_fails_backup_takes_over");
}

#[test]
fn rb_alternate_saves_the_day() {
    check("rb_alternate_saves_the_day");
}

#[test]
fn rb_bug_ack_by_count() {
    check("rb_bug_ack_by_count");
}

#[test]
fn rb_restart_never_reuses_an_input_number() {
    check("rb_restart_never_reuses_an_input_number");
}

#[test]
fn rb_bug_no_rollback() {
    check("rb_bug_no_rollback");
}

#[test]
fn rb_bug_skip_acceptance_test() {
    check("rb_bug_skip_acceptance_test");
}

#[test]
fn rb_bug_swap_without_new_epoch() {
    check("rb_bug_swap_without_new_epoch");
}

#[test]
fn rb_partitioned_primary_is_fenced() {
    check("rb_partitioned_primary_is_fenced");
}

#[test]
fn rb_primary_crash_shadow_takes_over() {
    check("rb_primary_crash_shadow_takes_over");
}
