//! Two-phase commit node by node, without the simulator: messages are delivered in the order
//! sent, a crashed node's messages are lost, ticks are fired by hand.

mod presumed_abort;

use std::collections::VecDeque;

use super::*;
use crate::check::Invariant;
use crate::model::event::{Event, Message, Response};

struct Cluster {
    cfg: TwoPcConfig,
    nodes: Vec<Result<TwoPhaseCommit, Box<TwoPcDurable>>>,
    queue: VecDeque<(NodeId, NodeId, TwoPcMsg)>,
    replies: Vec<(ClientId, Response)>,
    events: Vec<Event<TwoPcMsg>>,
    /// Every message sent: sender, receiver and kind.
    sent: Vec<(NodeId, NodeId, String)>,
}

impl Cluster {
    fn new(n: u32, cfg: TwoPcConfig) -> Self {
        let mut c = Cluster {
            cfg,
            nodes: (1..=n).map(|_| Err(Box::default())).collect(),
            queue: VecDeque::new(),
            replies: Vec::new(),
            events: Vec::new(),
            sent: Vec::new(),
        };
        for id in 1..=n {
            c.restart(id);
        }
        c
    }

    fn node(&self, id: NodeId) -> &TwoPhaseCommit {
        self.nodes[id as usize - 1].as_ref().expect("node is up")
    }

    fn take(&mut self, out: Out<TwoPcMsg>) {
        let from = out.node;
        let kinds = out
            .sends
            .iter()
            .map(|(to, m)| (from, *to, m.kind().into_owned()));
        self.sent.extend(kinds);
        self.queue
            .extend(out.sends.into_iter().map(|(to, m)| (from, to, m)));
        self.replies.extend(out.replies);
        self.events.extend(out.events);
    }

    fn with(&mut self, id: NodeId, f: impl FnOnce(&mut TwoPhaseCommit, &mut Out<TwoPcMsg>)) {
        let mut out = Out::new(id);
        if let Ok(node) = &mut self.nodes[id as usize - 1] {
            f(node, &mut out);
        }
        self.take(out);
    }

    fn request(&mut self, client: ClientId, op: OpId, kv: KvOp) {
        let cmd = Cmd { client, op, kv };
        self.with(COORDINATOR, |n, out| n.on_request(client, cmd, out));
    }

    fn step(&mut self) {
        let (from, to, msg) = self.queue.pop_front().expect("a message to deliver");
        self.with(to, |n, out| n.on_message(from, msg, out));
    }

    fn deliver_all(&mut self) {
        for _ in 0..10_000 {
            let Some((from, to, msg)) = self.queue.pop_front() else {
                return;
            };
            self.with(to, |n, out| n.on_message(from, msg, out));
        }
        panic!("messages never stopped");
    }

    fn tick(&mut self, id: NodeId, times: u32) {
        for _ in 0..times {
            self.with(id, |n, out| n.on_timer(TICK, out));
        }
    }

    fn crash(&mut self, id: NodeId) {
        let slot = &mut self.nodes[id as usize - 1];
        if let Ok(node) = slot {
            *slot = Err(Box::new(node.clone().into_durable()));
        }
    }

    fn restart(&mut self, id: NodeId) {
        let n = self.nodes.len() as u32;
        let Err(durable) = &self.nodes[id as usize - 1] else {
            return;
        };
        let mut out = Out::new(id);
        let node = TwoPhaseCommit::boot(id, n, &self.cfg, (**durable).clone(), &mut out);
        self.nodes[id as usize - 1] = Ok(node);
        self.take(out);
    }

    /// Delivers messages until one of `kind` from `from` is next, and drops that one.
    fn lose_next(&mut self, from: NodeId, kind: &str) {
        for _ in 0..1_000 {
            let next = self.queue.front().expect("the message comes");
            if next.0 == from && next.2.kind() == kind {
                self.queue.pop_front();
                return;
            }
            let (f, to, msg) = self.queue.pop_front().expect("present");
            self.with(to, |n, out| n.on_message(f, msg, out));
        }
    }

    fn store(&self, id: NodeId) -> Vec<(Key, Value)> {
        self.node(id)
            .d
            .participant
            .store
            .clone()
            .into_iter()
            .collect()
    }

    fn decisions(&self, txn: u64) -> Vec<(NodeId, bool)> {
        let decide = |e: &Event<TwoPcMsg>| match e {
            Event::Decide {
                node,
                txn: t,
                commit,
            } if *t == txn => Some((*node, *commit)),
            _ => None,
        };
        self.events.iter().filter_map(decide).collect()
    }

    /// The kinds of the messages sent so far about anything, in order, from `from` (0: anyone).
    fn sent_by(&self, from: NodeId) -> Vec<&str> {
        let mine = self.sent.iter().filter(|(f, _, _)| from == 0 || *f == from);
        mine.map(|(_, _, k)| k.as_str()).collect()
    }

    fn check_atomicity(&self) -> Option<String> {
        let mut a = Atomicity::default();
        let found = self
            .events
            .iter()
            .filter_map(|e| <Atomicity as Invariant<TwoPcMsg>>::observe(&mut a, 0, e));
        found.collect::<Vec<_>>().first().cloned()
    }
}

fn put(key: Key, value: Value) -> KvOp {
    KvOp::Put { key, value }
}

fn cluster(n: u32) -> Cluster {
    Cluster::new(n, TwoPcConfig::default())
}

#[test]
fn keys_live_on_their_shard_and_every_transaction_spans_two_participants() {
    assert_eq!(
        (shard(1, 4), shard(2, 4), shard(3, 4), shard(4, 4)),
        (2, 3, 4, 2)
    );
    let p = plan(&put(1, 5), 4);
    assert_eq!(p.keys().copied().collect::<Vec<_>>(), vec![2, 3]);
    assert_eq!(p[&3], vec![put(1001, 5)]);
    assert_eq!(
        plan(&put(3, 5), 4).keys().copied().collect::<Vec<_>>(),
        vec![2, 4]
    );
    assert_eq!(plan(&put(1, 5), 2)[&2], vec![put(1, 5), put(1001, 5)]);
    assert_eq!(plan(&put(1, 5), 1)[&1].len(), 2);
}

#[test]
fn a_put_commits_on_both_shards_and_the_client_gets_ok() {
    let mut c = cluster(4);
    c.request(7, 1, put(1, 5));
    c.deliver_all();
    assert_eq!(c.store(2), vec![(1, 5)]);
    assert_eq!(c.store(3), vec![(1001, 5)]);
    assert_eq!(c.replies, vec![(7, Response::Ok { op: 1, value: None })]);
    assert_eq!(c.decisions(1), vec![(1, true), (2, true), (3, true)]);
    assert!(c.node(1).d.coordinator.log[&1].done);
    c.request(8, 2, KvOp::Get { key: 1 });
    c.deliver_all();
    assert_eq!(
        c.replies[1],
        (
            8,
            Response::Ok {
                op: 2,
                value: Some(5)
            }
        )
    );
}

#[test]
fn a_cas_that_does_not_match_is_voted_down_and_the_client_fails() {
    let mut c = cluster(4);
    c.request(7, 1, put(2, 5));
    c.deliver_all();
    let cas = KvOp::Cas {
        key: 2,
        from: Some(6),
        to: 9,
    };
    c.request(7, 2, cas);
    c.deliver_all();
    assert_eq!(
        c.replies[1],
        (
            7,
            Response::Fail {
                op: 2,
                mismatch: false
            }
        )
    );
    assert_eq!(c.decisions(2), vec![(3, false), (1, false), (4, false)]);
    assert_eq!(c.store(3), vec![(2, 5)]);
    assert_eq!(c.store(4), vec![(1002, 5)]);
    assert_eq!(c.check_atomicity(), None);
}

#[test]
fn a_key_locked_by_a_prepared_transaction_makes_another_vote_no() {
    let mut c = cluster(4);
    c.request(7, 1, put(1, 5));
    c.lose_next(1, "Commit");
    c.queue.clear();
    c.request(8, 2, KvOp::Get { key: 1 });
    c.deliver_all();
    assert_eq!(
        c.replies.last(),
        Some(&(
            8,
            Response::Fail {
                op: 2,
                mismatch: false
            }
        ))
    );
    assert!(c.node(2).locked(1));
}

#[test]
fn a_participant_that_crashes_prepared_recovers_in_doubt_asks_and_learns() {
    let mut c = cluster(4);
    c.request(7, 1, put(1, 5));
    c.lose_next(1, "Commit");
    c.crash(3);
    c.deliver_all();
    c.restart(3);
    assert_eq!(c.node(3).role().role, "prepared");
    assert!(c
        .queue
        .iter()
        .any(|m| m.2 == TwoPcMsg::WhatHappened { txn: 1 }));
    c.deliver_all();
    assert_eq!(c.store(3), vec![(1001, 5)]);
    assert_eq!(c.node(3).role().role, "participant");
}

#[test]
fn a_participant_without_its_decision_is_blocked_and_keeps_its_locks() {
    let mut c = cluster(4);
    c.request(7, 1, put(1, 5));
    c.lose_next(2, "VoteYes");
    c.crash(1);
    c.deliver_all();
    c.tick(2, TwoPcConfig::default().blocked_ticks);
    assert_eq!(c.node(2).role().role, "blocked");
    assert!(c.node(2).locked(1));
    assert_eq!(c.node(3).role().role, "prepared");
}

#[test]
fn with_presumed_nothing_a_coordinator_that_restarts_before_deciding_aborts_and_announces_it() {
    let mut c = Cluster::new(4, presumed_nothing());
    c.request(7, 1, put(1, 5));
    c.lose_next(2, "VoteYes");
    c.crash(1);
    c.deliver_all();
    c.restart(1);
    c.deliver_all();
    assert_eq!(c.decisions(1), vec![(1, false), (2, false), (3, false)]);
    assert!(c.store(2).is_empty() && c.store(3).is_empty());
    assert!(c.node(1).coord.recovering.is_empty());
}

#[test]
fn a_coordinator_that_restarts_after_deciding_sends_its_decision_again() {
    let mut c = cluster(4);
    c.request(7, 1, put(1, 5));
    c.lose_next(1, "Commit");
    c.queue.clear();
    c.crash(1);
    c.restart(1);
    assert!(!crate::sim::protocol::ScenarioView::is_leader(c.node(1)));
    c.deliver_all();
    assert_eq!(c.store(2), vec![(1, 5)]);
    assert!(crate::sim::protocol::ScenarioView::is_leader(c.node(1)));
}

#[test]
fn a_repeated_request_is_answered_from_the_log_and_not_run_again() {
    let mut c = cluster(4);
    c.request(7, 1, put(1, 5));
    c.deliver_all();
    c.crash(1);
    c.restart(1);
    c.request(7, 1, put(1, 5));
    assert!(c.queue.is_empty());
    assert_eq!(c.replies.len(), 2);
    assert_eq!(c.node(1).d.coordinator.next_txn, 2);
}

#[test]
fn a_coordinator_aborts_when_a_vote_does_not_come_in_time() {
    let mut c = cluster(4);
    c.crash(3);
    c.request(7, 1, put(1, 5));
    c.deliver_all();
    c.tick(1, TwoPcConfig::default().vote_timeout_ticks);
    c.deliver_all();
    assert_eq!(
        c.replies,
        vec![(
            7,
            Response::Fail {
                op: 1,
                mismatch: false
            }
        )]
    );
    assert!(c.store(2).is_empty());
}

fn presumed_nothing() -> TwoPcConfig {
    TwoPcConfig {
        presumed_nothing: true,
        ..TwoPcConfig::default()
    }
}

fn cooperative() -> TwoPcConfig {
    TwoPcConfig {
        cooperative: true,
        ..TwoPcConfig::default()
    }
}

#[test]
fn cooperative_a_blocked_participant_learns_the_commit_from_one_that_knows() {
    let mut c = Cluster::new(4, cooperative());
    c.request(7, 1, put(1, 5));
    while c.node(1).record(1).and_then(|r| r.outcome).is_none() {
        c.step();
    }
    c.queue.retain(|m| m.1 != 3);
    c.crash(1);
    c.deliver_all();
    c.tick(3, TwoPcConfig::default().blocked_ticks);
    c.deliver_all();
    assert_eq!(c.store(3), vec![(1001, 5)]);
    assert_eq!(c.check_atomicity(), None);
}

#[test]
fn cooperative_a_participant_that_never_prepared_refuses_and_the_transaction_aborts() {
    let mut c = Cluster::new(4, cooperative());
    c.request(7, 1, put(1, 5));
    c.queue.retain(|m| m.1 != 3);
    c.deliver_all();
    c.crash(1);
    c.tick(2, TwoPcConfig::default().blocked_ticks);
    c.deliver_all();
    assert_eq!(c.decisions(1), vec![(3, false), (2, false)]);
    assert_eq!(c.node(2).role().role, "participant");
    c.restart(1);
    c.deliver_all();
    assert_eq!(c.check_atomicity(), None);
    assert!(c.store(2).is_empty());
}

#[test]
fn without_cooperation_a_peer_stays_silent() {
    let mut c = cluster(4);
    c.request(7, 1, put(1, 5));
    c.queue.retain(|m| m.1 != 3);
    c.deliver_all();
    c.crash(1);
    c.tick(2, 2 * TwoPcConfig::default().blocked_ticks);
    c.deliver_all();
    assert_eq!(c.node(2).role().role, "blocked");
    assert!(c.node(3).d.participant.decided.is_empty());
}

#[test]
fn planted_commit_despite_no_breaks_atomicity() {
    let mut cfg = TwoPcConfig::default();
    cfg.bugs.commit_despite_no = true;
    let mut c = Cluster::new(4, cfg);
    let cas = KvOp::Cas {
        key: 1,
        from: Some(3),
        to: 4,
    };
    c.request(7, 1, cas);
    c.deliver_all();
    assert!(c.check_atomicity().is_some());
}

#[test]
fn planted_volatile_prepare_forgets_a_yes_vote_in_a_crash() {
    let mut cfg = TwoPcConfig::default();
    cfg.bugs.volatile_prepare = true;
    let mut c = Cluster::new(4, cfg);
    c.request(7, 1, put(1, 5));
    c.lose_next(1, "Commit");
    c.crash(3);
    c.deliver_all();
    c.restart(3);
    assert!(!c.node(3).locked(1001));
    c.tick(1, TwoPcConfig::default().resend_ticks);
    c.deliver_all();
    assert!(c.store(3).is_empty());
    let found = c.check_atomicity().expect("caught");
    assert!(found.contains("n3 decided abort on t1"), "{found}");
}

#[test]
fn a_lone_node_coordinates_and_owns_the_only_shard() {
    let mut c = cluster(1);
    c.request(7, 1, put(1, 5));
    c.deliver_all();
    assert_eq!(c.store(1), vec![(1, 5), (1001, 5)]);
    assert_eq!(c.replies, vec![(7, Response::Ok { op: 1, value: None })]);
}

#[test]
fn no_in_doubt_reports_a_participant_left_prepared_with_the_coordinator_up() {
    let mut check = NoInDoubtOnceCoordinatorBack::default();
    let vote = Event::<TwoPcMsg>::Vote {
        node: 2,
        txn: 4,
        yes: true,
    };
    <NoInDoubtOnceCoordinatorBack as Invariant<TwoPcMsg>>::observe(&mut check, 0, &vote);
    let mut late = check.clone();
    assert!(Invariant::<TwoPcMsg>::finish(&mut check, 5 * crate::model::types::SEC).is_some());
    let crash = Event::<TwoPcMsg>::Crash { node: 1 };
    late.observe(100, &crash);
    assert_eq!(
        Invariant::<TwoPcMsg>::finish(&mut late, 5 * crate::model::types::SEC),
        None
    );
}

#[test]
fn unknown_options_and_bugs_are_refused_with_the_known_names() {
    let mut opts = ProtocolOptions::default();
    opts.flags.push(("prevote".into(), true));
    let e = TwoPhaseCommit::configure(&opts).unwrap_err().to_string();
    assert!(e.contains("cooperative"), "{e}");
    let mut opts = ProtocolOptions::default();
    opts.bugs.push("forget-vote".into());
    let e = TwoPhaseCommit::configure(&opts).unwrap_err().to_string();
    assert!(e.contains("commit-despite-no, volatile-prepare"), "{e}");
    opts.bugs = vec!["volatile-prepare".into()];
    opts.flags = vec![("cooperative".into(), true)];
    let cfg = TwoPhaseCommit::configure(&opts).unwrap();
    assert!(cfg.bugs.volatile_prepare && cfg.cooperative);
}
