//! Presumed abort (Mohan, Lindsay & Obermarck 1986) against the logged variant,
//! `presumed-nothing`: what an abort costs, and what a coordinator that forgot a transaction
//! answers.

use super::*;

/// `put 2 5` commits; then `cas 2 7 -> 9` finds 5 on node 3, which votes no, while node 4 (the
/// mirror) votes yes: the transaction aborts. Returns the cluster after everything settled.
fn aborted_cas(cfg: TwoPcConfig) -> Cluster {
    let mut c = Cluster::new(4, cfg);
    c.request(7, 1, put(2, 5));
    c.deliver_all();
    c.sent.clear();
    let cas = KvOp::Cas {
        key: 2,
        from: Some(7),
        to: 9,
    };
    c.request(7, 2, cas);
    c.deliver_all();
    c
}

#[test]
fn an_abort_is_not_logged_not_acknowledged_and_sent_only_to_the_participants_that_voted_yes() {
    let c = aborted_cas(TwoPcConfig::default());
    assert_eq!(c.decisions(2), vec![(3, false), (1, false), (4, false)]);
    assert_eq!(
        c.sent_by(0),
        vec!["Prepare", "Prepare", "VoteNo", "VoteYes", "Abort"]
    );
    let coordinator = c.node(1);
    assert!(
        !coordinator.d.coordinator.log.contains_key(&2),
        "not logged"
    );
    assert!(coordinator.coord.active.is_empty(), "forgotten");
    assert!(coordinator.record(2).is_none());
    assert_eq!(c.check_atomicity(), None);
}

#[test]
fn with_presumed_nothing_an_abort_is_logged_sent_to_everyone_and_acknowledged() {
    let c = aborted_cas(presumed_nothing());
    assert_eq!(
        c.sent_by(0),
        vec!["Prepare", "Prepare", "VoteNo", "VoteYes", "Abort", "Abort", "Ack", "Ack"]
    );
    let rec = &c.node(1).d.coordinator.log[&2];
    assert_eq!((rec.outcome, rec.done), (Some(false), true));
}

#[test]
fn a_participant_in_doubt_about_a_transaction_the_coordinator_forgot_is_told_abort() {
    let mut c = cluster(4);
    c.request(7, 1, put(1, 5));
    c.lose_next(2, "VoteYes");
    c.crash(1);
    c.deliver_all();
    c.restart(1);
    assert!(c.node(1).record(1).is_none(), "no begin record to recover");
    assert!(c.queue.is_empty(), "nothing to announce");
    for p in [2, 3] {
        c.tick(p, TwoPcConfig::default().doubt_ticks);
    }
    c.deliver_all();
    assert_eq!(c.decisions(1), vec![(2, false), (3, false)]);
    assert!(c.store(2).is_empty() && c.store(3).is_empty());
    assert!(
        !c.sent_by(0).contains(&"Ack"),
        "aborts are not acknowledged"
    );
}

#[test]
fn a_late_yes_vote_on_a_forgotten_transaction_is_answered_abort() {
    let mut c = cluster(4);
    c.request(7, 1, put(1, 5));
    let vote = c.queue.iter().position(|m| m.1 == 3).expect("Prepare to 3");
    let late = c.queue.remove(vote).expect("present");
    c.deliver_all();
    c.tick(1, TwoPcConfig::default().vote_timeout_ticks);
    c.deliver_all();
    assert_eq!(c.decisions(1), vec![(1, false), (2, false)]);
    c.queue.push_back(late);
    c.deliver_all();
    assert_eq!(c.decisions(1), vec![(1, false), (2, false), (3, false)]);
    assert!(c.node(3).d.participant.prepared.is_empty(), "no lock left");
}

#[test]
fn a_duplicate_of_a_request_whose_abort_was_answered_is_not_run_again_after_a_restart() {
    let mut c = aborted_cas(TwoPcConfig::default());
    c.crash(1);
    c.restart(1);
    let cas = KvOp::Cas {
        key: 2,
        from: Some(7),
        to: 9,
    };
    c.request(7, 2, cas);
    assert!(c.queue.is_empty(), "no new transaction");
    let fail = Response::Fail {
        op: 2,
        mismatch: false,
    };
    assert_eq!(c.replies.last(), Some(&(7, fail)));
    assert_eq!(c.node(1).d.coordinator.next_txn, 3);
}
