//! The built-in scenarios of the app's menu: a title, a sentence saying what to watch for, and the
//! scenario as a share link (settings, actions as interventions, end time).
//!
//! The links are generated from the scripts in `scenarios/NAME.scn` (the same scripts the golden
//! tests run) and stored in `scenarios/catalog/PROTOCOL.links`, so the browser replays a scenario without
//! parsing or executing its script. `tests/scenario_golden.rs` checks that every stored link is
//! what its script produces today (`UPDATE_GOLDEN=1` rewrites the file).

/// A built-in scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BuiltIn {
    /// The protocol it runs (`Protocol::NAME`): groups the menu.
    pub protocol: &'static str,
    /// File name without `.scn`; stable, used in links (`sc=NAME`).
    pub name: &'static str,
    /// Menu title.
    pub title: &'static str,
    /// What to watch for.
    pub watch: &'static str,
}

/// The protocols whose scenarios have recordings, each with its file of `NAME LINK` lines in
/// `scenarios/catalog/` (generated from the scripts).
pub const LINK_FILES: &[(&str, &str)] = &[
    ("raft", include_str!("../../scenarios/catalog/raft.links")),
    ("paxos", include_str!("../../scenarios/catalog/paxos.links")),
    (
        "multi-paxos",
        include_str!("../../scenarios/catalog/multi-paxos.links"),
    ),
    (
        "primary-backup",
        include_str!("../../scenarios/catalog/primary-backup.links"),
    ),
    (
        "recovery-block",
        include_str!("../../scenarios/catalog/recovery-block.links"),
    ),
    ("2pc", include_str!("../../scenarios/catalog/2pc.links")),
];

impl BuiltIn {
    /// The scenario as a share link's query string (`None` if its recording is missing).
    pub fn link(&self) -> Option<&'static str> {
        let (_, text) = LINK_FILES.iter().find(|(p, _)| *p == self.protocol)?;
        text.lines()
            .find_map(|l| l.strip_prefix(self.name)?.strip_prefix(' '))
    }
}

macro_rules! scenario {
    ($protocol:literal, $name:literal, $title:literal, $watch:literal) => {
        BuiltIn {
            protocol: $protocol,
            name: $name,
            title: $title,
            watch: $watch,
        }
    };
}

/// Every built-in scenario, in teaching order.
pub const SCENARIOS: &[BuiltIn] = &[
    scenario!("raft", "first_election", "First election", "Every node starts as a follower; the first election timer to run out makes a candidate, which collects a majority of votes and becomes leader."),
    scenario!("raft", "split_vote_resolved", "Split vote", "Two candidates split the votes in term 1, so nobody wins; randomized timeouts let one of them win term 2."),
    scenario!("raft", "candidate_with_stale_log_loses", "A stale candidate loses", "Node 3 missed a committed entry; when it runs for leader, the others refuse their votes because its log is behind."),
    scenario!("raft", "leader_steps_down_on_higher_term", "Leader steps down", "An isolated follower keeps raising its term; when it returns, the leader sees the higher term and steps down."),
    scenario!("raft", "partitioned_leader_cannot_commit", "Partitioned leader cannot commit", "The old leader, cut off with a minority, appends a request that never commits; the majority elects a new leader and keeps serving."),
    scenario!("raft", "conflicting_suffix_repaired", "Conflicting entries repaired", "The old leader's uncommitted entries conflict with the new leader's log and are deleted and replaced when it rejoins."),
    scenario!("raft", "prevote_rejoining_node", "PreVote on a rejoining node", "With PreVote on, the isolated node only asks for pre-votes, so its term never grows and its return disrupts nobody."),
    scenario!("raft", "crash_restart_keeps_term_and_vote", "Crash and restart", "A crashed node comes back with its term, vote and log (durable state) and rebuilds its store (volatile state) by replaying the entries it knew committed."),
    scenario!("raft", "figure8_previous_term_not_committed", "The paper's Figure 8", "With the no-op of a new term off, an old-term entry reaches a majority but is not committed by counting replicas; a later leader overwrites it safely."),
    scenario!("raft", "figure8_bug_commits_previous_term", "Figure 8 with the bug", "Planted bug: the leader commits an old-term entry by counting replicas (CurrentTermCommit); a later leader overwrites it and StateMachineSafety turns red."),
    scenario!("raft", "raft_noop_commits_previous_term", "A new leader's no-op", "The old leader's entry is on every live node but uncommitted; the new leader's no-op of its own term commits it at once, with no client writing (section 8)."),
    scenario!("raft", "raft_no_noop_leaves_previous_term_uncommitted", "No no-op: the old entry waits", "The same schedule with option noop off: the old entry stays uncommitted for 5 s under the new leader, until a client writes."),
    scenario!("raft", "durable_vote_prevents_double_vote", "A durable vote", "Node 2 votes, crashes and restarts; it remembers its vote and refuses a second candidate in the same term."),
    scenario!("raft", "bug_forget_vote", "Bug: vote forgotten", "Planted bug: votedFor is not persisted, so node 2 votes twice in term 1 and two leaders appear (ElectionSafety)."),
    scenario!("raft", "bug_vote_without_log_check", "Bug: no log check in votes", "Planted bug: voters skip the up-to-date check, a stale node wins, and a committed entry is missing from its log (LeaderCompleteness)."),
    scenario!("raft", "raft_snapshot_lagging_follower", "Catching up by snapshot", "The leader has compacted the entries a cut-off follower lacks, so when it returns it receives the snapshot (InstallSnapshot) and then the newer entries."),
    scenario!("raft", "raft_snapshot_restart_recovers", "Recovery from a checkpoint", "A node that took snapshots crashes and restarts: it loads its snapshot and replays only the committed entries after it (the recover line)."),
    scenario!("raft", "bug_snapshot_uncommitted", "Bug: snapshot of uncommitted entries", "Planted bug: nodes snapshot their whole log, entries not yet committed included (SnapshotSafety)."),
    scenario!("raft", "bug_install_stale_snapshot", "Bug: stale snapshot installed", "Planted bug: a delayed InstallSnapshot rolls a follower's store back and drops entries from its log (SnapshotSafety)."),
    scenario!("raft", "bug_keep_stale_suffix", "Bug: stale suffix kept", "Planted bug: a follower overwrites one conflicting entry but keeps stale entries after it, so logs mix two histories (LogMatching)."),
    scenario!("paxos", "paxos_single_proposer", "Paxos: one proposer", "Node 1 runs ballot 1.1: Prepare, a majority of promises, Accept with its own value, a majority of acceptances: the value is chosen and every learner is told."),
    scenario!("paxos", "paxos_duelling_proposers", "Paxos: duelling proposers", "Back-off is off: two proposers keep pre-empting each other with higher ballots, so nothing is ever chosen although no message is lost (the livelock of section 2.4)."),
    scenario!("paxos", "paxos_duelling_resolved", "Paxos: duel resolved by back-off", "The same duel with randomized back-off: one proposer finishes both phases while the other waits, and a value is chosen within a few rounds."),
    scenario!("paxos", "paxos_acceptor_crash_between_phases", "Paxos: acceptor crash between phases", "Node 3 promises, then crashes before the Accept arrives; a majority is enough, and on restart it still remembers its promise (durable) and learns the chosen value."),
    scenario!("paxos", "paxos_bug_accept_below_promise", "Paxos bug: accept below promise", "Planted bug: acceptors accept a ballot lower than the one they promised (PromiseMonotonic)."),
    scenario!("paxos", "paxos_bug_ignore_promised_values", "Paxos bug: promised values ignored", "Planted bug: a proposer proposes its own value although a promise reports an accepted one, and a second value is chosen (Agreement)."),
    scenario!("paxos", "paxos_bug_learner_counts_minority", "Paxos bug: learner counts a minority", "Planted bug: one acceptance is taken as a choice (LearnedImpliesChosen); two different values end up chosen (Agreement)."),
    scenario!("multi-paxos", "multipaxos_steady_state", "Multi-Paxos: steady state", "The leader runs phase 1 once for every slot, then one Accept round per command; chosen slots fill left to right on every node."),
    scenario!("multi-paxos", "multipaxos_leader_change_completes_slot", "Multi-Paxos: a new leader completes a slot", "The old leader left slot 3 accepted by a minority and slot 2 empty; the new leader re-proposes slot 3's value and fills slot 2 with a no-op (\u{2205})."),
    scenario!("multi-paxos", "multipaxos_acceptor_crash", "Multi-Paxos: acceptor crash", "Node 3 misses slots 3 to 5 while down; its durable state survives, and the leader sends it the decisions it missed."),
    scenario!("multi-paxos", "multipaxos_bug_accept_below_promise", "Multi-Paxos bug: accept below promise", "Planted bug: a deposed leader's old ballot is accepted despite a newer promise, and slot 2 gets a second value (Agreement)."),
    scenario!("multi-paxos", "multipaxos_bug_forget_promise", "Multi-Paxos bug: promise forgotten", "Planted bug: the promise is not durable; after a restart node 2 accepts an old ballot and slot 2 gets a second value (Agreement)."),
    scenario!("multi-paxos", "multipaxos_bug_skip_recovery", "Multi-Paxos bug: recovery skipped", "Planted bug: the new leader ignores the values the promises report and puts a new command in a slot already chosen (Agreement)."),
    scenario!("primary-backup", "pb_primary_fails_backup_takes_over", "Primary-backup: failover", "The primary crashes; the backups stop hearing heartbeats, one stands for epoch 2, the other votes for it, and the new primary catches up and serves: detection delay, promotion, catch-up."),
    scenario!("primary-backup", "pb_catch_up_after_restart", "Primary-backup: a backup catches up", "A backup misses writes while down; the primary forms a smaller view to keep acknowledging, and the restarted node catches up and rejoins."),
    scenario!("primary-backup", "pb_partitioned_primary_is_fenced", "Primary-backup: a stale primary is fenced", "The primary is cut off with a minority; its write is never acknowledged, the majority promotes a new primary in a higher epoch, and the old one is refused (fenced) when it returns."),
    scenario!("primary-backup", "pb_bug_no_fencing", "Primary-backup bug: split brain", "Planted bug: promotion without a majority and without fencing; two nodes act as primary of one epoch (OnePrimaryPerEpoch)."),
    scenario!("primary-backup", "pb_bug_ack_before_replication", "Primary-backup bug: early acknowledgement", "Planted bug: the primary acknowledges a write before its backups have it, then crashes; the new primary never had it (NoLostAcknowledgedWrite)."),
    scenario!("recovery-block", "rb_alternate_saves_the_day", "Recovery blocks: the alternate saves the day", "The primary routine's software fault gives a wrong result; the acceptance test rejects it, the state is rolled back to the recovery point, and the shadow's alternate result is delivered after a role swap."),
    scenario!("recovery-block", "rb_primary_crash_shadow_takes_over", "Recovery blocks: the primary node crashes", "The primary node crashes mid-input; the shadow, which ran the alternate on the same input, hears no heartbeat, takes over and delivers."),
    scenario!("recovery-block", "rb_partitioned_primary_is_fenced", "Recovery blocks: a stale primary is fenced", "Cut off from its shadow, the old primary cannot deliver (it needs the shadow's acknowledgement), while the shadow takes over in a new epoch."),
    scenario!("recovery-block", "rb_bug_skip_acceptance_test", "Recovery-block bug: no acceptance test", "Planted bug: a try block's result is delivered untested, and a wrong result reaches the client (AcceptedResultsOnly)."),
    scenario!("recovery-block", "rb_bug_no_rollback", "Recovery-block bug: no rollback", "Planted bug: the alternate runs on the state the failed primary routine left behind (caught by linearizability at the end of the run)."),
    scenario!("recovery-block", "rb_restart_never_reuses_an_input_number", "Recovery blocks: restarts never reuse an input number", "Both nodes restart while a result is in flight; each restart starts a new epoch, so the stale result is fenced and the write that follows is acknowledged by epoch, number and content (the fix of a lost acknowledged write)."),
    scenario!("recovery-block", "rb_bug_swap_without_new_epoch", "Recovery-block bug: no new epoch", "Planted bug: the shadow takes over without starting a new epoch, so two nodes are primary, and deliver, in one epoch (OnePrimaryPerEpoch, OneDelivererPerEpoch)."),
    scenario!("recovery-block", "rb_bug_ack_by_count", "Recovery-block bug: acknowledgement by count", "Planted bug: a restarted node keeps its epoch and acknowledgements name only a count; a stale result from before a crash is taken for another write's, which is lost (StateMachineSafety, Linearizability)."),
    scenario!("2pc", "twopc_commit", "2PC: commit", "Phase 1: both participants lock and vote yes; phase 2: the coordinator logs commit, tells them, and they apply and release their locks."),
    scenario!("2pc", "twopc_vote_no_aborts", "2PC: one no vote aborts", "A participant votes no (its cas fails); the coordinator decides abort, tells only the participant that voted yes, which rolls back, and forgets the transaction (presumed abort)."),
    scenario!("2pc", "twopc_coordinator_crash_blocks", "2PC: the coordinator crashes (blocking)", "Both participants voted yes and the coordinator crashed: they may neither commit nor abort, so they hold their locks, blocked, until the restarted coordinator, which does not know the transaction, answers their question: abort."),
    scenario!("2pc", "twopc_participant_crash_in_doubt", "2PC: a participant recovers in doubt", "A participant crashes while prepared; its prepared state is durable, so it restarts in doubt, asks the coordinator, and learns the outcome."),
    scenario!("2pc", "twopc_cooperative_termination", "2PC: cooperative termination", "With the coordinator down, a blocked participant asks the other participant, which knows the decision, and finishes without waiting."),
    scenario!("2pc", "twopc_bug_commit_despite_no", "2PC bug: commit despite a no", "Planted bug: the coordinator commits although a participant voted no (Atomicity)."),
    scenario!("2pc", "twopc_presumed_nothing_vote_no_aborts", "2PC: the logged variant", "With option presumed-nothing the same abort is written to the log, sent to both participants and acknowledged by both; presumed abort does none of this."),
    scenario!("2pc", "twopc_bug_no_locks", "2PC bug: no locks", "Planted bug: participants take no locks, two transactions on one key reach its two shards in different orders, and the key and its mirror end different (MirrorsAgree)."),
    scenario!("2pc", "twopc_bug_volatile_prepare", "2PC bug: volatile prepare", "Planted bug: prepared state is not durable; a participant that voted yes forgets the transaction on restart (Atomicity)."),
];

/// The built-in scenario with this name.
pub fn find(name: &str) -> Option<&'static BuiltIn> {
    SCENARIOS.iter().find(|s| s.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scenario_has_a_valid_link_and_names_are_unique() {
        for s in SCENARIOS {
            let link = s.link().unwrap_or_else(|| panic!("{} has no link", s.name));
            crate::run::link::decode(link).unwrap_or_else(|e| panic!("{}: {e}", s.name));
            assert_eq!(SCENARIOS.iter().filter(|o| o.name == s.name).count(), 1);
        }
        assert!(find("first_election").is_some());
        assert!(find("nope").is_none());
    }
}
