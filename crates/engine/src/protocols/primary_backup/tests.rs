//! Primary-backup node by node, without the network: each test hands one node its inputs directly.

use super::*;
use crate::check::Invariant;
use crate::model::event::Event;
use crate::model::kv::{Command, KvOp};
use crate::replicated::Entry;

type Msg = PrimaryBackupMsg;

fn boot_with(
    id: NodeId,
    n: u32,
    cfg: &PrimaryBackupConfig,
    d: PrimaryBackupDurable,
) -> PrimaryBackup {
    PrimaryBackup::boot(id, n, cfg, d, &mut Out::new(id))
}

fn boot(id: NodeId, n: u32) -> PrimaryBackup {
    boot_with(
        id,
        n,
        &PrimaryBackupConfig::default(),
        PrimaryBackupDurable::default(),
    )
}

fn deliver(node: &mut PrimaryBackup, from: NodeId, msg: Msg) -> Out<Msg> {
    let mut out = Out::new(node.id());
    node.on_message(from, msg, &mut out);
    out
}

fn fire(node: &mut PrimaryBackup, timer: TimerId) -> Out<Msg> {
    let mut out = Out::new(node.id());
    node.on_timer(timer, &mut out);
    out
}

fn put(op: u64, key: u32, value: u64) -> Cmd {
    Cmd {
        client: 1,
        op,
        kv: KvOp::Put { key, value },
    }
}

fn entry(epoch: u64, cmd: Command) -> Entry {
    Entry { term: epoch, cmd }
}

fn log_of(entries: Vec<Entry>) -> Log {
    let mut log = Log::default();
    for e in entries {
        log.append(e, &mut Out::<Msg>::new(1));
    }
    log
}

fn vote(epoch: u64, granted: bool, log: (u64, u64)) -> Msg {
    Msg::Vote {
        epoch,
        granted,
        last_epoch: log.0,
        last_index: log.1,
    }
}

fn ack(epoch: u64, index: u64) -> Msg {
    Msg::Ack {
        epoch,
        index,
        refused: false,
    }
}

fn set(ids: &[NodeId]) -> NodeSet {
    let mut s = NodeSet::default();
    ids.iter().for_each(|id| s.insert(*id));
    s
}

/// Node 1 of 3, elected primary of epoch 1 by nodes 2 and 3, its no-op acknowledged by both.
fn primary_of_three(cfg: &PrimaryBackupConfig) -> PrimaryBackup {
    let mut n1 = boot_with(1, 3, cfg, PrimaryBackupDurable::default());
    fire(&mut n1, SUSPECT);
    deliver(&mut n1, 2, vote(1, true, (0, 0)));
    deliver(&mut n1, 3, vote(1, true, (0, 0)));
    assert_eq!(n1.v.role, Role::Primary);
    deliver(&mut n1, 2, ack(1, 1));
    deliver(&mut n1, 3, ack(1, 1));
    assert_eq!(n1.d.commit, 1);
    n1
}

fn replies(out: &Out<Msg>) -> Vec<Response> {
    out.replies.iter().map(|(_, r)| r.clone()).collect()
}

#[test]
fn a_node_that_suspects_the_primary_stands_for_the_next_epoch() {
    let mut n1 = boot(1, 3);
    assert_eq!(n1.v.role, Role::Recovering);
    let out = fire(&mut n1, SUSPECT);
    assert_eq!(
        (n1.v.role, n1.d.epoch, n1.d.voted_for),
        (Role::Candidate, 1, Some(1))
    );
    let asked: Vec<NodeId> = out
        .sends
        .iter()
        .filter(|(_, m)| matches!(m, Msg::StartView { epoch: 1, .. }))
        .map(|(to, _)| *to)
        .collect();
    assert_eq!(asked, vec![2, 3]);
}

#[test]
fn a_voter_grants_one_vote_per_epoch_and_only_to_a_log_as_up_to_date_as_its_own() {
    let d = PrimaryBackupDurable {
        epoch: 1,
        log: log_of(vec![entry(1, Command::noop()), entry(1, Command::noop())]),
        ..PrimaryBackupDurable::default()
    };
    let mut n3 = boot_with(3, 3, &PrimaryBackupConfig::default(), d);
    let ask = |last_index| Msg::StartView {
        epoch: 2,
        last_epoch: 1,
        last_index,
    };
    let granted = |out: &Out<Msg>| matches!(out.sends[0].1, Msg::Vote { granted: true, .. });
    assert!(!granted(&deliver(&mut n3, 1, ask(1))), "shorter log");
    assert!(granted(&deliver(&mut n3, 2, ask(2))));
    assert!(
        !granted(&deliver(&mut n3, 1, ask(5))),
        "already voted in epoch 2"
    );
    assert!(
        granted(&deliver(&mut n3, 2, ask(2))),
        "a repeat to the same candidate"
    );
    assert_eq!((n3.d.epoch, n3.d.voted_for), (2, Some(2)));
}

#[test]
fn with_a_majority_the_candidate_waits_a_tick_for_stragglers_then_forms_the_view() {
    let mut n1 = boot(1, 5);
    fire(&mut n1, SUSPECT);
    deliver(&mut n1, 2, vote(1, true, (0, 0)));
    deliver(&mut n1, 3, vote(1, true, (0, 0)));
    deliver(&mut n1, 4, vote(1, false, (0, 0)));
    assert_eq!(n1.v.role, Role::Candidate, "node 5 has not answered yet");
    let out = fire(&mut n1, HEARTBEAT);
    assert_eq!(n1.v.role, Role::Primary);
    assert_eq!(n1.v.backups, set(&[2, 3]));
    assert_eq!(n1.d.log.get(1), Some(&entry(1, Command::noop())));
    let views = out
        .sends
        .iter()
        .filter(|(_, m)| {
            *m == Msg::NewView {
                epoch: 1,
                backups: set(&[2, 3]),
            }
        })
        .count();
    assert_eq!(views, 4, "every other node hears of the view");
}

#[test]
fn a_new_primary_behind_a_voter_fetches_the_longer_log_before_serving() {
    let mut n1 = boot(1, 3);
    fire(&mut n1, SUSPECT);
    deliver(&mut n1, 2, vote(1, true, (0, 2)));
    let out = deliver(&mut n1, 3, vote(1, true, (0, 0)));
    assert_eq!((n1.v.role, n1.v.source), (Role::Recovering, Some(2)));
    assert_eq!(out.sends, vec![(2, Msg::Fetch { epoch: 1, first: 1 })]);
    let entries = vec![entry(0, Command::Client(put(1, 1, 5))); 2];
    let batch = Msg::Entries {
        epoch: 1,
        first: 1,
        entries,
        last: 2,
        commit: 0,
    };
    deliver(&mut n1, 2, batch);
    assert_eq!(n1.v.role, Role::Primary);
    assert_eq!(
        n1.d.log.last_index(),
        3,
        "the voter's two entries, then the no-op"
    );
    assert_eq!(n1.v.backups, set(&[2, 3]));
}

#[test]
fn the_primary_acknowledges_a_write_only_after_every_backup_of_the_view() {
    let mut n1 = primary_of_three(&PrimaryBackupConfig::default());
    let mut out = Out::new(1);
    n1.on_request(1, put(1, 1, 5), &mut out);
    let replicated: Vec<NodeId> = out.sends.iter().map(|(to, _)| *to).collect();
    assert_eq!(replicated, vec![2, 3]);
    assert!(replies(&deliver(&mut n1, 2, ack(1, 2))).is_empty());
    let answer = replies(&deliver(&mut n1, 3, ack(1, 2)));
    assert_eq!(answer, vec![Response::Ok { op: 1, value: None }]);
    assert_eq!((n1.d.commit, n1.v.applied), (2, 2));
}

#[test]
fn with_ack_before_replication_the_primary_answers_before_any_backup_has_the_write() {
    let mut cfg = PrimaryBackupConfig::default();
    cfg.bugs.enable("ack-before-replication");
    let mut n1 = primary_of_three(&cfg);
    let mut out = Out::new(1);
    n1.on_request(1, put(1, 1, 5), &mut out);
    assert_eq!(replies(&out), vec![Response::Ok { op: 1, value: None }]);
}

#[test]
fn a_message_from_an_older_epoch_is_refused_with_the_newer_epoch() {
    let d = PrimaryBackupDurable {
        epoch: 2,
        ..PrimaryBackupDurable::default()
    };
    let mut n2 = boot_with(2, 3, &PrimaryBackupConfig::default(), d);
    let stale = Msg::Replicate {
        epoch: 1,
        index: 1,
        entry: entry(1, Command::Client(put(1, 1, 5))),
        commit: 0,
    };
    let out = deliver(&mut n2, 1, stale);
    let fenced = Msg::Ack {
        epoch: 2,
        index: 0,
        refused: true,
    };
    assert_eq!(out.sends, vec![(1, fenced)]);
    assert!(n2.d.log.is_empty());
}

#[test]
fn a_primary_steps_down_when_it_hears_a_higher_epoch_and_redirects_its_clients() {
    let mut n1 = primary_of_three(&PrimaryBackupConfig::default());
    n1.on_request(1, put(1, 1, 5), &mut Out::new(1));
    let fenced = Msg::Ack {
        epoch: 2,
        index: 0,
        refused: true,
    };
    let out = deliver(&mut n1, 2, fenced);
    assert_eq!((n1.v.role, n1.d.epoch), (Role::Recovering, 2));
    assert_eq!(
        replies(&out),
        vec![Response::Redirect { op: 1, hint: None }]
    );
}

#[test]
fn a_member_replaces_its_stale_suffix_and_becomes_a_backup_once_it_holds_the_whole_log() {
    let stale = entry(1, Command::Client(put(7, 1, 7)));
    let d = PrimaryBackupDurable {
        epoch: 1,
        log: log_of(vec![entry(1, Command::noop()), stale]),
        commit: 1,
        ..PrimaryBackupDurable::default()
    };
    let mut n2 = boot_with(2, 3, &PrimaryBackupConfig::default(), d);
    let view = Msg::NewView {
        epoch: 2,
        backups: set(&[2]),
    };
    let out = deliver(&mut n2, 3, view);
    assert_eq!(out.sends, vec![(3, Msg::Fetch { epoch: 2, first: 2 })]);
    let batch = Msg::Entries {
        epoch: 2,
        first: 2,
        entries: vec![entry(2, Command::noop())],
        last: 2,
        commit: 1,
    };
    let out = deliver(&mut n2, 3, batch);
    assert!(out
        .events
        .iter()
        .any(|e| matches!(e, Event::Truncate { from: 2, .. })));
    assert_eq!(n2.d.log.get(2), Some(&entry(2, Command::noop())));
    assert_eq!(n2.v.role, Role::Backup);
    assert_eq!(out.sends, vec![(3, ack(2, 2))]);
}

#[test]
fn a_restarted_node_replays_its_committed_prefix_and_recovers() {
    let d = PrimaryBackupDurable {
        epoch: 1,
        log: log_of(vec![
            entry(1, Command::Client(put(1, 1, 5))),
            entry(1, Command::Client(put(2, 1, 6))),
        ]),
        commit: 1,
        ..PrimaryBackupDurable::default()
    };
    let mut out = Out::new(2);
    let n2 = PrimaryBackup::boot(2, 3, &PrimaryBackupConfig::default(), d, &mut out);
    assert_eq!(
        (n2.v.role, n2.v.applied, n2.v.synced),
        (Role::Recovering, 1, 1)
    );
    assert_eq!(
        n2.v.kv.get(1),
        Some(5),
        "only the committed prefix is applied"
    );
    assert_eq!(out.events.len(), 1);
}

#[test]
fn a_primary_stands_again_when_a_backup_has_been_silent_for_a_check_interval() {
    let mut n1 = primary_of_three(&PrimaryBackupConfig::default());
    fire(&mut n1, SUSPECT);
    assert_eq!(n1.v.role, Role::Primary, "both backups were heard");
    n1.on_request(1, put(1, 1, 5), &mut Out::new(1));
    deliver(&mut n1, 2, ack(1, 2));
    let out = fire(&mut n1, SUSPECT);
    assert_eq!((n1.v.role, n1.d.epoch), (Role::Candidate, 2));
    assert!(out.replies.is_empty(), "it keeps its waiting client");
    assert_eq!(n1.v.pending.len(), 1);
}

#[test]
fn a_caught_up_node_outside_the_view_is_taken_back_at_the_next_check() {
    let mut n1 = boot(1, 3);
    fire(&mut n1, SUSPECT);
    deliver(&mut n1, 2, vote(1, true, (0, 0)));
    fire(&mut n1, HEARTBEAT);
    assert_eq!(n1.v.backups, set(&[2]));
    deliver(&mut n1, 2, ack(1, 1));
    deliver(&mut n1, 3, ack(1, 1));
    fire(&mut n1, SUSPECT);
    assert_eq!((n1.v.role, n1.d.epoch), (Role::Candidate, 2));
}

#[test]
fn without_fencing_a_suspecting_backup_promotes_itself_without_votes() {
    let mut cfg = PrimaryBackupConfig::default();
    cfg.bugs.enable("no-fencing");
    let mut n2 = boot_with(2, 3, &cfg, PrimaryBackupDurable::default());
    fire(&mut n2, SUSPECT);
    assert_eq!((n2.v.role, n2.d.epoch), (Role::Primary, 1));
    let stale = Msg::Heartbeat {
        epoch: 0,
        backups: set(&[3]),
        last: 0,
        commit: 0,
    };
    deliver(&mut n2, 1, stale);
    assert_eq!(n2.v.role, Role::Primary, "nothing fences it");
}

#[test]
fn configure_knows_the_planted_bugs_and_no_options() {
    let mut opts = ProtocolOptions {
        bugs: vec!["no-fencing".into(), "ack-before-replication".into()],
        ..ProtocolOptions::default()
    };
    let cfg = PrimaryBackup::configure(&opts).unwrap();
    assert!(cfg.bugs.no_fencing && cfg.bugs.ack_before_replication);
    opts.bugs = vec!["typo".into()];
    assert!(PrimaryBackup::configure(&opts)
        .unwrap_err()
        .to_string()
        .contains("unknown primary-backup bug"));
}

fn role(node: NodeId, name: &'static str, epoch: u64) -> Event<Msg> {
    Event::Role {
        node,
        role: name.into(),
        epoch_name: "epoch".into(),
        epoch,
    }
}

#[test]
fn one_primary_per_epoch_catches_two_primaries_of_one_epoch() {
    let mut c = crate::check::OnePerEpoch::new(&ONE_PRIMARY_PER_EPOCH);
    let mut see = |ev: Event<Msg>| Invariant::<Msg>::observe(&mut c, 0, &ev);
    assert_eq!(see(role(1, "primary", 1)), None);
    assert_eq!(see(role(2, "primary", 2)), None);
    assert!(see(role(3, "primary", 2)).is_some());
}

/// Client 1's put (op 1) committed at index 1 by primary 1 of epoch 1 and acknowledged; then node
/// 2 becomes primary of epoch 2 holding `at_index_1` at index 1.
fn new_primary_after_an_acknowledged_write(at_index_1: Command) -> Option<String> {
    let mut c = NoLostAcknowledgedWrite::default();
    let write = Command::Client(put(1, 1, 5));
    let events = [
        role(1, "primary", 1),
        Event::Invoke {
            client: 1,
            op: 1,
            kv: KvOp::Put { key: 1, value: 5 },
        },
        Event::Append {
            node: 1,
            index: 1,
            term: 1,
            cmd: write.clone(),
        },
        Event::Apply {
            node: 1,
            index: 1,
            term: Some(1),
            cmd: write,
        },
        Event::Ok {
            client: 1,
            op: 1,
            value: None,
        },
        Event::Append {
            node: 2,
            index: 1,
            term: 1,
            cmd: at_index_1,
        },
        role(2, "primary", 2),
        Event::Append {
            node: 2,
            index: 2,
            term: 2,
            cmd: Command::noop(),
        },
    ];
    events
        .iter()
        .find_map(|ev| Invariant::<Msg>::observe(&mut c, 0, ev))
}

#[test]
fn no_lost_acknowledged_write_checks_each_new_primary_for_every_acknowledged_write() {
    assert_eq!(
        new_primary_after_an_acknowledged_write(Command::Client(put(1, 1, 5))),
        None
    );
    let lost = new_primary_after_an_acknowledged_write(Command::noop());
    assert!(lost.is_some_and(|v| v.contains("node 2, primary of epoch 2, lacks the write of op 1")));
}
