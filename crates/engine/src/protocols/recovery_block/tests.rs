//! Recovery-block node by node, without the network: each test hands one node its inputs directly.

use std::borrow::Cow;

use super::*;
use crate::check::Invariant;
use crate::model::event::{Event, Message as _};
use crate::model::kv::KvOp;

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
    let mut installed = n1.v.job.as_ref().unwrap().work.clone();
    installed.remember(&put(2, 2, 20), KvResult::Ok(None));
    let digest = state_digest(1, &installed);
    let out = deliver(
        &mut n1,
        2,
        Msg::Ack {
            epoch: 1,
            applied: 1,
            digest,
        },
    );
    assert_eq!(kinds(&out), ["apply", "output"]);
    assert_eq!(out.replies.len(), 1);
    assert_eq!(n1.d.store.get(2), Some(20));
}

/// The acknowledgement names the state, not its length: a shadow that holds another command at
/// the same input number (issue 15's lost write) does not let the primary deliver.
#[test]
fn an_ack_of_another_state_with_as_many_inputs_delivers_nothing() {
    let mut n1 = boot(1);
    request(&mut n1, put(2, 2, 20));
    fire(&mut n1, COMPUTE);
    let mut other = KvStore::default();
    other.execute(&KvOp::Put { key: 3, value: 30 });
    let stale = Msg::Ack {
        epoch: 1,
        applied: 1,
        digest: state_digest(1, &other),
    };
    let out = deliver(&mut n1, 2, stale.clone());
    assert!(kinds(&out).is_empty(), "no delivery on another state's ack");
    assert!(out.replies.is_empty());
    let mut buggy = RecoveryBlockConfig::default();
    buggy.bugs.ack_by_count = true;
    let mut n1 = RecoveryBlock::boot(
        1,
        2,
        &buggy,
        RecoveryBlockDurable::default(),
        &mut Out::new(1),
    );
    request(&mut n1, put(2, 2, 20));
    fire(&mut n1, COMPUTE);
    let out = deliver(&mut n1, 2, stale);
    assert_eq!(kinds(&out), ["apply", "output"], "ack-by-count takes it");
}

/// A restart starts a new epoch, so a `Result` its previous incarnation sent before the crash
/// is fenced wherever the new epoch is known, and the probe after the restart comes from it.
#[test]
fn a_restarted_node_enters_a_new_epoch_before_it_sends_anything() {
    let cfg = RecoveryBlockConfig::default();
    let durable = RecoveryBlockDurable {
        epoch: 3,
        applied: 2,
        ..RecoveryBlockDurable::default()
    };
    let mut n1 = RecoveryBlock::boot(1, 2, &cfg, durable.clone(), &mut Out::new(1));
    assert_eq!((n1.v.role, n1.d.epoch), (Role::Recovering, 4));
    let out = fire(&mut n1, HEARTBEAT);
    assert!(matches!(
        out.sends[..],
        [(
            2,
            Msg::Probe {
                epoch: 4,
                applied: 2
            }
        )]
    ));
    let mut buggy = cfg.clone();
    buggy.bugs.ack_by_count = true;
    let n1 = RecoveryBlock::boot(1, 2, &buggy, durable, &mut Out::new(1));
    assert_eq!(n1.d.epoch, 3, "the planted bug keeps the epoch");
}

#[test]
fn a_primary_keeps_serving_when_its_restarted_shadow_probes_from_a_new_epoch() {
    let mut n1 = boot(1);
    let out = deliver(
        &mut n1,
        2,
        Msg::Probe {
            epoch: 2,
            applied: 0,
        },
    );
    assert_eq!((n1.v.role, n1.d.epoch), (Role::Primary, 2));
    assert_eq!(sent(&out), ["State"]);
    let mut n2 = boot(2);
    let out = deliver(
        &mut n2,
        1,
        Msg::Probe {
            epoch: 2,
            applied: 0,
        },
    );
    assert_eq!(
        (n2.v.role, n2.d.epoch),
        (Role::Primary, 3),
        "its shadow takes over"
    );
    assert_eq!(sent(&out), ["State"]);
}

#[test]
fn a_primary_steps_down_when_a_prober_from_a_newer_epoch_applied_more() {
    let mut n1 = boot(1);
    let out = deliver(
        &mut n1,
        2,
        Msg::Probe {
            epoch: 5,
            applied: 3,
        },
    );
    assert_eq!((n1.v.role, n1.d.epoch), (Role::Recovering, 5));
    assert!(
        out.sends.is_empty(),
        "a recovering node with less leads nothing"
    );
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
    // Both restarted from epoch 3, so both recover in epoch 4.
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
            epoch: 4,
            applied: 5,
        },
    );
    assert_eq!(n1.v.role, Role::Recovering, "node 2 is further along");
    let out = deliver(
        &mut n2,
        1,
        Msg::Probe {
            epoch: 4,
            applied: 4,
        },
    );
    assert_eq!((n2.v.role, n2.d.epoch), (Role::Primary, 5));
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
        cmd: crate::model::kv::Command::noop(),
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
        cmd: crate::model::kv::Command::noop(),
        result: KvResult::Ok(value),
    };
    let mut one = crate::check::OnePerEpoch::new(&ONE_DELIVERER_PER_EPOCH);
    assert!(one.observe(0, &output(1, 1, None)).is_none());
    assert!(one.observe(1, &output(2, 1, None)).is_some());
    assert!(one.observe(2, &output(2, 2, None)).is_none());
    let mut same = ConsistentOutputs::default();
    assert!(same.observe(0, &output(1, 1, None)).is_none());
    assert!(same.observe(1, &output(2, 2, None)).is_none());
    assert!(same.observe(2, &output(2, 2, Some(3))).is_some());
}
