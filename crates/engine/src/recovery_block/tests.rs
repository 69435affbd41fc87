//! Recovery-block node by node, without the network: each test hands one node its inputs directly.

use std::borrow::Cow;

use super::*;
use crate::check::Invariant;
use crate::event::{Event, Message as _};
use crate::kv::KvOp;

type Msg = RecoveryBlockMsg;

fn boot(id: NodeId) -> RecoveryBlock {
    let cfg = RecoveryBlockConfig::default();
    RecoveryBlock::boot(
        id,
        2,
        &cfg,
        RecoveryBlockDurable::default(),
        &mut Out::new(id),
    )
}

fn deliver(node: &mut RecoveryBlock, from: NodeId, msg: Msg) -> Out<Msg> {
    let mut out = Out::new(node.id());
    node.on_message(from, msg, &mut out);
    out
}

fn fire(node: &mut RecoveryBlock, timer: TimerId) -> Out<Msg> {
    let mut out = Out::new(node.id());
    node.on_timer(timer, &mut out);
    out
}

fn request(node: &mut RecoveryBlock, cmd: Cmd) -> Out<Msg> {
    let mut out = Out::new(node.id());
    node.on_request(cmd.client, cmd, &mut out);
    out
}

/// The first put of client 1 (`op` 1, key 1, value 10) trips the primary routine's fault; the
/// put with `op` 2 to key 2 does not (see `routines::is_faulty`).
fn put(op: u64, key: u32, value: u64) -> Cmd {
    Cmd {
        client: 1,
        op,
        kv: KvOp::Put { key, value },
    }
}

fn kinds(out: &Out<Msg>) -> Vec<&'static str> {
    out.events.iter().map(|e| e.name()).collect()
}

fn sent(out: &Out<Msg>) -> Vec<Cow<'static, str>> {
    out.sends.iter().map(|(_, m)| m.kind()).collect()
}

#[test]
fn node_one_starts_as_primary_and_node_two_as_its_shadow() {
    let (n1, n2) = (boot(1), boot(2));
    assert_eq!((n1.v.role, n1.d.epoch), (Role::Primary, 1));
    assert_eq!((n2.v.role, n2.v.primary), (Role::Shadow, Some(1)));
    assert_eq!(boot(3).v.role, Role::Spare);
}

#[test]
fn the_primary_forwards_the_input_and_delivers_only_after_the_shadows_ack() {
    let mut n1 = boot(1);
    let cmd = put(2, 2, 20);
    assert!(!routines::is_faulty(&cmd, 4));
    let out = request(&mut n1, cmd);
    assert_eq!(sent(&out), ["Input"]);
    assert_eq!(kinds(&out), ["try"]);
    let out = fire(&mut n1, COMPUTE);
    assert_eq!(kinds(&out), ["test"]);
    assert_eq!(sent(&out), ["Result"]);
    assert!(out.replies.is_empty(), "no answer before the shadow has it");
    let out = deliver(
        &mut n1,
        2,
        Msg::Ack {
            epoch: 1,
            applied: 1,
        },
    );
    assert_eq!(kinds(&out), ["apply", "output"]);
    assert_eq!(out.replies.len(), 1);
    assert_eq!(n1.d.store.get(2), Some(20));
}

#[test]
fn a_failed_primary_routine_is_rolled_back_and_the_alternate_runs_on_the_recovery_point() {
    let mut n1 = boot(1);
    let cmd = put(1, 1, 10);
    assert!(routines::is_faulty(&cmd, 4));
    request(&mut n1, cmd);
    let out = fire(&mut n1, COMPUTE);
    assert_eq!(kinds(&out), ["test", "rollback", "try"]);
    assert_eq!(sent(&out), ["Failed"]);
    let job = n1.v.job.as_ref().unwrap();
    assert_eq!(job.work, job.recovery_point, "rolled back");
    let out = fire(&mut n1, COMPUTE);
    assert!(matches!(
        out.events[0],
        Event::Test {
            block: Block::Alternate,
            pass: true,
            ..
        }
    ));
    assert!(out.sends.is_empty(), "it leaves the input to the shadow");
}

#[test]
fn the_shadow_runs_the_alternate_first_and_takes_over_when_the_primary_fails() {
    let mut n2 = boot(2);
    let input = Msg::Input {
        epoch: 1,
        input: 1,
        cmd: put(1, 1, 10),
    };
    let out = deliver(&mut n2, 1, input);
    assert!(matches!(
        out.events[0],
        Event::Try {
            block: Block::Alternate,
            ..
        }
    ));
    deliver(&mut n2, 1, Msg::Failed { epoch: 1, input: 1 });
    let out = fire(&mut n2, COMPUTE);
    assert_eq!(kinds(&out), ["test", "swap"]);
    assert_eq!((n2.v.role, n2.d.epoch), (Role::Primary, 2));
    assert_eq!(
        sent(&out),
        ["Result"],
        "the former primary becomes the shadow"
    );
}

#[test]
fn a_silent_primary_is_replaced_and_the_shadow_delivers_its_own_result() {
    let mut n2 = boot(2);
    let input = Msg::Input {
        epoch: 1,
        input: 1,
        cmd: put(2, 2, 20),
    };
    deliver(&mut n2, 1, input);
    fire(&mut n2, COMPUTE);
    let out = fire(&mut n2, SUSPECT);
    assert_eq!(kinds(&out), ["swap", "apply", "output"]);
    assert_eq!(out.replies.len(), 1);
}

#[test]
fn a_stale_primary_is_fenced_and_steps_down() {
    let mut n2 = boot(2);
    fire(&mut n2, SUSPECT);
    assert_eq!(n2.d.epoch, 2);
    let out = deliver(
        &mut n2,
        1,
        Msg::Heartbeat {
            epoch: 1,
            applied: 0,
        },
    );
    assert!(matches!(out.sends[..], [(1, Msg::Fence { epoch: 2 })]));
    let mut n1 = boot(1);
    deliver(&mut n1, 2, Msg::Fence { epoch: 2 });
    assert_eq!((n1.v.role, n1.d.epoch), (Role::Recovering, 2));
}

#[test]
fn of_two_recovering_nodes_the_one_that_applied_more_leads() {
    let d = |applied| RecoveryBlockDurable {
        epoch: 3,
        applied,
        ..RecoveryBlockDurable::default()
    };
    let cfg = RecoveryBlockConfig::default();
    let mut n1 = RecoveryBlock::boot(1, 2, &cfg, d(4), &mut Out::new(1));
    let mut n2 = RecoveryBlock::boot(2, 2, &cfg, d(5), &mut Out::new(2));
    deliver(
        &mut n1,
        2,
        Msg::Probe {
            epoch: 3,
            applied: 5,
        },
    );
    assert_eq!(n1.v.role, Role::Recovering, "node 2 is further along");
    let out = deliver(
        &mut n2,
        1,
        Msg::Probe {
            epoch: 3,
            applied: 4,
        },
    );
    assert_eq!((n2.v.role, n2.d.epoch), (Role::Primary, 4));
    assert_eq!(sent(&out), ["State"]);
}

#[test]
fn accepted_results_only_fails_on_an_output_without_a_passing_test() {
    let mut c = AcceptedResultsOnly::default();
    let output = Event::<Msg>::Output {
        node: 1,
        input: 1,
        epoch: 1,
        block: Block::Primary,
        cmd: crate::kv::Command::noop(),
        result: KvResult::Ok(None),
    };
    assert!(c.observe(0, &output).is_some());
    let test = Event::<Msg>::Test {
        node: 1,
        input: 1,
        block: Block::Primary,
        pass: true,
        result: KvResult::Ok(None),
    };
    assert!(c.observe(1, &test).is_none());
    assert!(c.observe(2, &output).is_none());
}

#[test]
fn one_deliverer_per_epoch_and_consistent_outputs_fail_on_conflicting_outputs() {
    let output = |node, epoch, value| Event::<Msg>::Output {
        node,
        input: 1,
        epoch,
        block: Block::Primary,
        cmd: crate::kv::Command::noop(),
        result: KvResult::Ok(value),
    };
    let mut one = OneDelivererPerEpoch::default();
    assert!(one.observe(0, &output(1, 1, None)).is_none());
    assert!(one.observe(1, &output(2, 1, None)).is_some());
    assert!(one.observe(2, &output(2, 2, None)).is_none());
    let mut same = ConsistentOutputs::default();
    assert!(same.observe(0, &output(1, 1, None)).is_none());
    assert!(same.observe(1, &output(2, 2, None)).is_none());
    assert!(same.observe(2, &output(2, 2, Some(3))).is_some());
}
