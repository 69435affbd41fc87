use std::borrow::Cow;

use super::*;
use crate::model::types::SEC;

type E = Event<()>;

fn feed(events: &[(Micros, E)]) -> Metrics {
    let mut m = Metrics::new();
    for (t, ev) in events {
        m.observe(&Stamped {
            t: *t,
            ev: ev.clone(),
        });
    }
    m
}

fn invoke(client: ClientId, op: OpId) -> E {
    Event::Invoke {
        client,
        op,
        kv: crate::model::kv::KvOp::Get { key: 1 },
    }
}

fn ok(client: ClientId, op: OpId) -> E {
    Event::Ok {
        client,
        op,
        value: None,
    }
}

fn role(node: NodeId, role: &'static str) -> E {
    Event::Role {
        node,
        role: Cow::Borrowed(role),
        epoch_name: Cow::Borrowed("term"),
        epoch: 1,
    }
}

#[test]
fn clients_are_unserved_while_an_operation_waits_too_long_with_nothing_completing() {
    let m = feed(&[
        (0, invoke(1, 1)),
        (150 * MS, ok(1, 1)),
        (200 * MS, invoke(1, 2)),
        (250 * MS, invoke(2, 1)),
        (280 * MS, ok(2, 1)),
        (550 * MS, ok(1, 2)),
    ]);
    let unserved: Vec<Micros> = m.bins().iter().map(|b| b.unserved).collect();
    assert_eq!(
        unserved,
        [0, 50 * MS, 0, 20 * MS, 100 * MS, 50 * MS],
        "the series shows start-up too"
    );
    let r = m.report();
    assert_eq!(
        r.unavailable,
        170 * MS,
        "op 2 waits from 200 ms; 280 ms + STUCK to 550 ms"
    );
    let counted = 550 - 150;
    assert!(
        (r.availability - (1.0 - 170.0 / counted as f64)).abs() < 1e-9,
        "start-up (up to 150 ms) does not count: {}",
        r.availability
    );
    assert_eq!(r.latency.max, Some(350 * MS));
}

#[test]
fn an_ordinary_operation_is_never_an_outage() {
    let m = feed(&[(90 * MS, invoke(1, 1)), (180 * MS, ok(1, 1))]);
    assert!(m.bins().iter().all(|b| b.unserved == 0));
}

#[test]
fn a_leader_crash_recovers_through_detection_election_and_catch_up() {
    let m = feed(&[
        (0, role(1, "leader")),
        (0, role(2, "follower")),
        (SEC - 20 * MS, invoke(9, 9)),
        (SEC, Event::Crash { node: 1 }),
        (SEC, ok(9, 9)),
        (SEC + 10 * MS, invoke(1, 1)),
        (SEC + 300 * MS, role(2, "candidate")),
        (SEC + 350 * MS, role(2, "leader")),
        (SEC + 360 * MS, Event::Commit { node: 2, index: 4 }),
        (SEC + 400 * MS, ok(1, 1)),
    ]);
    let f = &m.report().faults[0];
    assert_eq!(f.what, "crash n1 (leader)");
    assert_eq!(f.detection, Some(300 * MS));
    assert_eq!(f.election, Some(50 * MS));
    assert_eq!(f.catch_up, Some(10 * MS));
    assert_eq!(
        f.recovery,
        Some(400 * MS),
        "the answer already on its way at the crash does not count"
    );
}

#[test]
fn a_follower_crash_needs_no_election_and_a_restart_is_no_reaction() {
    let m = feed(&[
        (0, role(1, "leader")),
        (0, role(3, "follower")),
        (SEC, Event::Crash { node: 3 }),
        (2 * SEC, Event::Restart { node: 3 }),
        (2 * SEC, role(3, "follower")),
        (2 * SEC, invoke(1, 1)),
        (2 * SEC + 5 * MS, ok(1, 1)),
    ]);
    let f = &m.report().faults[0];
    assert_eq!(f.what, "crash n3 (follower)");
    assert_eq!((f.detection, f.election, f.catch_up), (None, None, None));
    assert_eq!(f.recovery, Some(SEC + 5 * MS));
}

#[test]
fn a_partition_names_the_leader_it_cuts_off() {
    let m = feed(&[
        (0, role(1, "leader")),
        (
            SEC,
            Event::Partition {
                groups: vec![vec![1, 2], vec![3, 4, 5]],
            },
        ),
    ]);
    assert_eq!(
        m.faults()[0].what,
        "partition {n1,n2} | {n3,n4,n5} (leader n1 cut off)"
    );
}

#[test]
fn percentiles_use_the_nearest_rank() {
    let p = Percentiles::of((1..=100).rev().collect());
    assert_eq!(
        (p.p50, p.p95, p.p99, p.max),
        (Some(50), Some(95), Some(99), Some(100))
    );
    assert_eq!(Percentiles::of(vec![]).p50, None);
    assert_eq!(Percentiles::of(vec![7]).p99, Some(7));
}

#[test]
fn blocked_time_runs_from_a_yes_vote_to_the_decision() {
    let m = feed(&[
        (
            SEC,
            Event::Vote {
                node: 2,
                txn: 1,
                yes: true,
            },
        ),
        (
            SEC,
            Event::Vote {
                node: 3,
                txn: 1,
                yes: false,
            },
        ),
        (
            3 * SEC,
            Event::Decide {
                node: 2,
                txn: 1,
                commit: false,
            },
        ),
    ]);
    let r = m.report();
    assert_eq!((r.blocked.count, r.blocked_total), (1, 2 * SEC));
}

#[test]
fn an_operation_the_client_gave_up_on_counts_as_info_not_latency() {
    let m = feed(&[(0, invoke(1, 1)), (SEC, Event::Info { client: 1, op: 1 })]);
    let r = m.report();
    assert_eq!((r.info, r.latency.count, r.ok), (1, 0, 0));
    assert!(r.text().contains("1 info"), "{}", r.text());
}
