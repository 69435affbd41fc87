//! Multi-Paxos node by node, without the network: each test hands one node its inputs directly.

use super::*;
use crate::model::event::{Event, Response};
use crate::model::kv::KvOp;
use crate::protocols::paxos::ballot;

fn boot(id: NodeId, n: u32, cfg: &MultiPaxosConfig, d: MultiPaxosDurable) -> MultiPaxos {
    MultiPaxos::boot(id, n, cfg, d, &mut Out::new(id))
}

fn put(op: u64, key: u32, value: u64) -> Command {
    Command::Client(Cmd {
        client: 1,
        op,
        kv: KvOp::Put { key, value },
    })
}

fn pv(ballot: u64, cmd: Command) -> PValue {
    PValue { ballot, cmd }
}

fn deliver(node: &mut MultiPaxos, from: NodeId, msg: MultiPaxosMsg) -> Out<MultiPaxosMsg> {
    let mut out = Out::new(node.id());
    node.on_message(from, msg, &mut out);
    out
}

fn proposals(out: &Out<MultiPaxosMsg>) -> Vec<(u64, Command)> {
    out.events
        .iter()
        .filter_map(|e| match e {
            Event::Propose { slot, cmd, .. } => Some((*slot, cmd.clone())),
            _ => None,
        })
        .collect()
}

/// Node 1 of 5 runs phase 1 (after promising ballot 2.2 to node 2, so its own is 3.1) and hears
/// promises from nodes 2 and 3 reporting accepted values in slots 2 and 4.
fn elect_with_reports(cfg: &MultiPaxosConfig) -> (MultiPaxos, Out<MultiPaxosMsg>) {
    let mut n1 = boot(1, 5, cfg, MultiPaxosDurable::default());
    let prepare = MultiPaxosMsg::Prepare {
        ballot: ballot(2, 2),
        from_slot: 1,
    };
    deliver(&mut n1, 2, prepare);
    n1.on_timer(ELECTION, &mut Out::new(1));
    assert_eq!(n1.v.ballot, ballot(3, 1));
    let b = n1.v.ballot;
    let from_2 = vec![
        (2, pv(ballot(1, 1), put(1, 1, 1))),
        (4, pv(ballot(2, 2), put(2, 1, 2))),
    ];
    let from_3 = vec![(2, pv(ballot(2, 2), put(3, 1, 3)))];
    deliver(
        &mut n1,
        2,
        MultiPaxosMsg::Promise {
            ballot: b,
            accepted: from_2,
        },
    );
    assert_eq!(n1.v.role, Role::Candidate);
    let out = deliver(
        &mut n1,
        3,
        MultiPaxosMsg::Promise {
            ballot: b,
            accepted: from_3,
        },
    );
    (n1, out)
}

#[test]
fn a_new_leader_reproposes_the_highest_ballot_value_and_fills_gaps_with_noops() {
    let (n1, out) = elect_with_reports(&MultiPaxosConfig::default());
    assert_eq!(n1.v.role, Role::Leader);
    let expected = vec![
        (1, Command::noop()),
        (2, put(3, 1, 3)),
        (3, Command::noop()),
        (4, put(2, 1, 2)),
    ];
    assert_eq!(proposals(&out), expected);
    assert_eq!(n1.v.next_slot, 5);
}

#[test]
fn skip_recovery_drops_the_reports_and_reuses_their_slots() {
    let mut cfg = MultiPaxosConfig::default();
    cfg.bugs.skip_recovery = true;
    let (n1, out) = elect_with_reports(&cfg);
    assert_eq!(n1.v.role, Role::Leader);
    assert!(proposals(&out).is_empty());
    assert_eq!(n1.v.next_slot, 1);
}

#[test]
fn an_acceptor_refuses_a_ballot_below_its_promise_unless_the_bug_is_planted() {
    let high = ballot(3, 2);
    let low = ballot(1, 1);
    for bug in [false, true] {
        let mut cfg = MultiPaxosConfig::default();
        cfg.bugs.accept_below_promise = bug;
        let mut n3 = boot(3, 3, &cfg, MultiPaxosDurable::default());
        let prepare = MultiPaxosMsg::Prepare {
            ballot: high,
            from_slot: 1,
        };
        let out = deliver(&mut n3, 2, prepare);
        assert!(matches!(out.sends[0].1, MultiPaxosMsg::Promise { .. }));
        let accept = MultiPaxosMsg::Accept {
            ballot: low,
            slot: 1,
            cmd: put(1, 1, 1),
        };
        let out = deliver(&mut n3, 1, accept);
        let answer = &out.sends[0].1;
        if bug {
            assert!(matches!(answer, MultiPaxosMsg::Accepted { .. }));
        } else {
            let nack = MultiPaxosMsg::Nack {
                ballot: low,
                promised: high,
            };
            assert_eq!(*answer, nack);
        }
        assert_eq!(n3.d.promised, high, "a promise never goes down");
    }
}

#[test]
fn a_restarted_node_keeps_promise_accepted_values_and_decisions_and_rebuilds_its_store() {
    let cfg = MultiPaxosConfig::default();
    let mut n2 = boot(2, 3, &cfg, MultiPaxosDurable::default());
    let b = ballot(1, 1);
    deliver(
        &mut n2,
        1,
        MultiPaxosMsg::Prepare {
            ballot: b,
            from_slot: 1,
        },
    );
    for (slot, cmd) in [(1, put(1, 1, 10)), (2, put(2, 2, 20))] {
        let accept = MultiPaxosMsg::Accept {
            ballot: b,
            slot,
            cmd: cmd.clone(),
        };
        deliver(&mut n2, 1, accept);
        deliver(
            &mut n2,
            1,
            MultiPaxosMsg::Decide {
                slot,
                ballot: b,
                cmd,
            },
        );
    }
    assert_eq!(n2.v.applied, 2);
    let mut out = Out::new(2);
    let back = MultiPaxos::boot(2, 3, &cfg, n2.clone().into_durable(), &mut out);
    assert_eq!((back.d.promised, back.v.applied), (b, 2));
    assert_eq!(
        back.v.kv.entries().collect::<Vec<_>>(),
        vec![(1, 10), (2, 20)]
    );
    assert_eq!(back.d.accepted, n2.d.accepted);
    let applies = out
        .events
        .iter()
        .filter(|e| matches!(e, Event::Apply { .. }));
    assert_eq!(applies.count(), 2);
    let mut forgetful = cfg.clone();
    forgetful.bugs.forget_promise = true;
    let lost = boot(2, 3, &forgetful, n2.into_durable());
    assert_eq!(lost.d.promised, 0);
}

#[test]
fn a_restart_starts_from_the_last_checkpoint_and_reapplies_only_the_decisions_after_it() {
    let cfg = MultiPaxosConfig::default();
    let mut n2 = boot(2, 3, &cfg, MultiPaxosDurable::default());
    let b = ballot(1, 1);
    let last = CHECKPOINT_INTERVAL * 2 + 5;
    for slot in 1..=last {
        let cmd = put(slot, (slot % 3) as u32, slot * 10);
        deliver(
            &mut n2,
            1,
            MultiPaxosMsg::Decide {
                slot,
                ballot: b,
                cmd,
            },
        );
    }
    assert_eq!(n2.v.applied, last);
    assert_eq!(n2.d.checkpoint.applied, CHECKPOINT_INTERVAL * 2);
    let mut out = Out::new(2);
    let back = MultiPaxos::boot(2, 3, &cfg, n2.clone().into_durable(), &mut out);
    assert_eq!(back.v.applied, last);
    assert_eq!(
        back.v.kv, n2.v.kv,
        "the checkpoint plus the rest rebuild the same store"
    );
    let applied: Vec<u64> = out
        .events
        .iter()
        .filter_map(|e| match e {
            Event::Apply { index, .. } => Some(*index),
            _ => None,
        })
        .collect();
    let after: Vec<u64> = (CHECKPOINT_INTERVAL * 2 + 1..=last).collect();
    assert_eq!(applied, after);
}

#[test]
fn a_leader_that_hears_a_higher_ballot_steps_down_and_redirects_its_clients() {
    let cfg = MultiPaxosConfig::default();
    let mut n1 = boot(1, 3, &cfg, MultiPaxosDurable::default());
    n1.on_timer(ELECTION, &mut Out::new(1));
    let b = n1.v.ballot;
    deliver(
        &mut n1,
        2,
        MultiPaxosMsg::Promise {
            ballot: b,
            accepted: vec![],
        },
    );
    assert_eq!(n1.v.role, Role::Leader);
    let cmd = Cmd {
        client: 7,
        op: 1,
        kv: KvOp::Get { key: 1 },
    };
    n1.on_request(7, cmd, &mut Out::new(1));
    assert_eq!(n1.v.pending.len(), 1);
    let heartbeat = MultiPaxosMsg::Heartbeat {
        ballot: ballot(2, 3),
        commit: 0,
    };
    let out = deliver(&mut n1, 3, heartbeat);
    assert_eq!(n1.v.role, Role::Follower);
    let redirect = Response::Redirect {
        op: 1,
        hint: Some(3),
    };
    assert_eq!(out.replies, vec![(7, redirect)]);
}

#[test]
fn a_lagging_follower_asks_and_the_leader_sends_the_missing_decisions() {
    let cfg = MultiPaxosConfig::default();
    let mut n1 = boot(1, 3, &cfg, MultiPaxosDurable::default());
    n1.on_timer(ELECTION, &mut Out::new(1));
    let b = n1.v.ballot;
    deliver(
        &mut n1,
        2,
        MultiPaxosMsg::Promise {
            ballot: b,
            accepted: vec![],
        },
    );
    for op in 1..=3 {
        let cmd = Cmd {
            client: 1,
            op,
            kv: KvOp::Put { key: 1, value: op },
        };
        n1.on_request(1, cmd, &mut Out::new(1));
        deliver(
            &mut n1,
            2,
            MultiPaxosMsg::Accepted {
                ballot: b,
                slot: op,
            },
        );
    }
    assert_eq!(n1.v.applied, 3);
    let mut n3 = boot(3, 3, &cfg, MultiPaxosDurable::default());
    let out = deliver(
        &mut n3,
        1,
        MultiPaxosMsg::Heartbeat {
            ballot: b,
            commit: 3,
        },
    );
    let ask = out.sends[0].1.clone();
    assert_eq!(
        ask,
        MultiPaxosMsg::HeartbeatReply {
            ballot: b,
            applied: 0
        }
    );
    let out = deliver(&mut n1, 3, ask);
    for (_, decide) in out.sends {
        deliver(&mut n3, 1, decide);
    }
    assert_eq!(n3.v.applied, 3);
    assert_eq!(n3.v.leader, Some(1));
}
