//! Properties that must hold for every seed: invariants under every fault level, time travel that
//! lands on exactly the world a straight run reaches, well-formed traces that `quorum check` judges
//! the same way as the live checkers, bounded history memory.

use std::collections::{BTreeMap, BTreeSet};

use quorum_engine::model::event::Event;
use quorum_engine::model::rng::Rng;
use quorum_engine::model::trace::parse_trace;
use quorum_engine::model::types::{MS, SEC};
use quorum_engine::protocols::raft::Raft;
use quorum_engine::run::runner::{build_sim, check_trace, run, RunSpec};
use quorum_engine::run::setup::Setup;
use quorum_engine::sim::faults::FaultLevel;
use quorum_engine::sim::timeline::{HistoryConfig, Sim};
use quorum_engine::Action;

fn sim(seed: u64, every: u64) -> Sim<Raft> {
    let spec = RunSpec {
        setup: Setup {
            seed,
            clients: 2,
            ..RunSpec::default().setup
        },
        faults: FaultLevel::Chaos,
        duration: 8 * SEC,
        ..RunSpec::default()
    };
    build_sim(
        &spec,
        HistoryConfig {
            snapshot_every_steps: every,
            ..HistoryConfig::default()
        },
    )
    .unwrap()
}

#[test]
fn every_fault_level_keeps_every_invariant_and_recovers() {
    for faults in [
        FaultLevel::None,
        FaultLevel::Crash,
        FaultLevel::Partition,
        FaultLevel::Chaos,
    ] {
        for seed in 100..125 {
            for nodes in [3, 5] {
                let spec = RunSpec {
                    setup: Setup {
                        seed,
                        nodes,
                        ..RunSpec::default().setup
                    },
                    faults,
                    duration: 8 * SEC,
                    ..RunSpec::default()
                };
                let r = run(&spec).unwrap();
                assert!(r.passed(), "{faults} nodes {nodes}: {}", r.summary());
                assert!(r.completed_ops > 0, "{faults} seed {seed}: no progress");
            }
        }
    }
}

#[test]
fn seeking_anywhere_gives_the_world_a_straight_run_reaches() {
    let mut rng = Rng::new(5);
    let mut travelling = sim(21, 700);
    travelling.run_until(8 * SEC);
    for _ in 0..25 {
        let t = rng.below(8 * SEC);
        travelling.seek(t);
        let mut straight = sim(21, u64::MAX);
        straight.run_until(t);
        assert_eq!(travelling.digest(), straight.digest(), "seek to {t}us");
        assert_eq!(
            travelling.trace().len(),
            straight.trace().len(),
            "trace length after seek to {t}us"
        );
    }
}

#[test]
fn thinned_snapshots_stay_within_the_replay_floor_and_seeks_stay_exact() {
    let spec = RunSpec {
        setup: Setup {
            seed: 13,
            clients: 2,
            ..RunSpec::default().setup
        },
        faults: FaultLevel::Chaos,
        duration: 8 * SEC,
        ..RunSpec::default()
    };
    let history = HistoryConfig {
        snapshot_every_steps: 20,
        max_snapshots: 16,
        max_replay_steps: 80,
        ..HistoryConfig::default()
    };
    let mut travelling: Sim<Raft> = build_sim(&spec, history).unwrap();
    travelling.run_until(8 * SEC);
    let steps: Vec<u64> = travelling.snapshot_steps().collect();
    assert!(steps.len() > 16, "the floor outweighs the count: {steps:?}");
    let gaps: Vec<u64> = steps.windows(2).map(|w| w[1] - w[0]).collect();
    assert!(gaps.iter().all(|g| *g <= 80), "gaps {gaps:?}");
    assert!(
        gaps.iter().any(|g| *g > 20),
        "older snapshots were thinned: {gaps:?}"
    );
    let mut rng = Rng::new(8);
    for _ in 0..20 {
        let t = rng.below(8 * SEC);
        travelling.seek(t);
        let mut straight: Sim<Raft> = build_sim(&spec, HistoryConfig::default()).unwrap();
        straight.run_until(t);
        assert_eq!(travelling.digest(), straight.digest(), "seek to {t}us");
        assert_eq!(travelling.trace().len(), straight.trace().len());
    }
}

#[test]
fn step_back_undoes_exactly_one_step() {
    let mut s = sim(4, 300);
    s.run_until(2 * SEC);
    s.step();
    let before = s.digest();
    let steps = s.world().steps();
    s.step();
    assert_ne!(s.digest(), before);
    s.step_back();
    assert_eq!(s.world().steps(), steps);
    assert_eq!(s.digest(), before);
}

#[test]
fn an_intervention_after_seeking_back_starts_a_new_branch() {
    let mut s = sim(8, 400);
    s.run_until(SEC);
    s.intervene(Action::Crash(3));
    s.run_until(3 * SEC);
    s.seek(500 * MS);
    s.intervene(Action::Crash(5));
    assert_eq!(
        s.interventions().len(),
        1,
        "the old future's intervention is discarded"
    );
    s.seek(3 * SEC);
    let mut fresh = sim(8, u64::MAX);
    fresh.run_until(500 * MS);
    fresh.intervene(Action::Crash(5));
    fresh.run_until(3 * SEC);
    assert_eq!(s.digest(), fresh.digest());
    assert!(
        !s.world().is_up(5)
            || s.trace()
                .iter()
                .any(|e| matches!(e.ev, Event::Restart { node: 5 }))
    );
}

#[test]
fn history_memory_stays_bounded_on_long_runs() {
    let spec = RunSpec {
        setup: Setup {
            seed: 2,
            clients: 1,
            ..RunSpec::default().setup
        },
        duration: 120 * SEC,
        ..RunSpec::default()
    };
    let history = HistoryConfig {
        snapshot_every_steps: 200,
        max_snapshots: 32,
        max_replay_steps: u64::MAX,
        keep_trace: false,
        measure: false,
    };
    let mut s: Sim<Raft> = build_sim(&spec, history).unwrap();
    s.run_until(120 * SEC);
    assert!(s.snapshot_count() <= 32, "{} snapshots", s.snapshot_count());
    assert!(s.trace().is_empty());
    s.seek(SEC);
    assert_eq!(s.now(), SEC);
}

#[test]
fn traces_are_well_formed() {
    for seed in 1..6 {
        let spec = RunSpec {
            setup: Setup {
                seed,
                ..RunSpec::default().setup
            },
            faults: FaultLevel::Chaos,
            keep_trace: true,
            ..RunSpec::default()
        };
        let text = run(&spec).unwrap().trace.unwrap();
        let trace = parse_trace(&text).unwrap();
        let mut sent = BTreeSet::new();
        let mut outcome: BTreeMap<u64, usize> = BTreeMap::new();
        let mut last = 0;
        for s in &trace.events {
            assert!(s.t >= last);
            last = s.t;
            match &s.ev {
                Event::Send {
                    msg, deliver_at, ..
                } => {
                    assert!(*deliver_at > s.t);
                    assert!(sent.insert(*msg), "message id {msg} reused");
                }
                Event::Deliver { msg } | Event::Drop { msg, .. } => assert!(sent.contains(msg)),
                Event::Invoke { op, .. } => assert!(outcome.insert(*op, 0).is_none()),
                Event::Ok { op, .. } | Event::Fail { op, .. } | Event::Info { op, .. } => {
                    *outcome.get_mut(op).expect("completion of an invoked op") += 1;
                }
                _ => {}
            }
        }
        assert!(
            outcome.values().all(|n| *n <= 1),
            "an operation completed twice"
        );
    }
}

#[test]
fn quorum_check_reaches_the_live_verdict_from_the_exported_trace() {
    for (bug, faults) in [
        (None, FaultLevel::Chaos),
        (Some("vote-without-log-check"), FaultLevel::Partition),
    ] {
        for seed in 1..4 {
            let mut spec = RunSpec {
                setup: Setup {
                    seed,
                    ..RunSpec::default().setup
                },
                faults,
                keep_trace: true,
                ..RunSpec::default()
            };
            spec.setup.options.bugs = bug.map(String::from).into_iter().collect();
            let live = run(&spec).unwrap();
            let checked = check_trace(&parse_trace(live.trace.as_ref().unwrap()).unwrap()).unwrap();
            let names = |v: &[quorum_engine::check::Violation]| {
                v.iter()
                    .map(|v| (v.t, v.invariant.to_string()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(
                names(&checked.violations),
                names(&live.violations),
                "seed {seed} bug {bug:?}"
            );
        }
    }
}

#[test]
fn without_faults_every_operation_completes() {
    for seed in 1..10 {
        let r = run(&RunSpec {
            setup: Setup {
                seed,
                clients: 4,
                ..RunSpec::default().setup
            },
            ..RunSpec::default()
        })
        .unwrap();
        assert!(r.passed());
        assert!(
            r.invoked_ops as u64 - r.completed_ops <= 4,
            "{}",
            r.summary()
        );
    }
}

/// Issue 16: every reply and every new command used to send another AppendEntries, and
/// duplicated replies kept extra chains alive: this run delivered 1,570,039 messages (40 clients;
/// 100 clients did not finish in 15 minutes). With one append in flight per follower it delivers
/// about 15,000, and every client count stays in proportion.
#[test]
fn raft_keeps_one_append_in_flight_per_follower_so_many_clients_make_no_message_storm() {
    use quorum_engine::run::runner::{run, RunSpec};
    use quorum_engine::sim::faults::FaultLevel;
    for (clients, bound) in [(20, 20_000), (40, 30_000), (100, 60_000)] {
        let spec = RunSpec {
            setup: Setup {
                protocol: "raft".into(),
                nodes: 5,
                seed: 4,
                clients,
                ..RunSpec::default().setup
            },
            duration: 10 * quorum_engine::model::types::SEC,
            faults: FaultLevel::Chaos,
            ..RunSpec::default()
        };
        let report = run(&spec).unwrap();
        let delivered = report.counters.delivered;
        assert!(
            delivered < bound,
            "{clients} clients: {delivered} messages delivered"
        );
        assert!(report.violations.is_empty(), "{:?}", report.violations);
    }
}

/// Issue 16: a client followed every redirect at once, duplicates included, so with no leader
/// and duplicated messages one operation made 43,903 requests in a second (10% duplication, 5
/// isolated nodes) and at 20% exhausted memory. It now follows only the redirect of the node it
/// last asked, and backs off (10 to 160 ms, with jitter) after the first.
#[test]
fn with_no_leader_to_find_a_client_backs_off_instead_of_storming() {
    for dup in ["10%", "20%", "50%"] {
        let script = format!(
            "protocol raft\nnodes 5\nseed 1\ndup {dup}\npartition 1 | 2 | 3 | 4 | 5\nrequest put 1 1\nrun 1s\n"
        );
        let run = quorum_engine::run::runner::run_scenario(&script).unwrap();
        let requests = run
            .trace
            .lines()
            .filter(|l| l.contains("\"type\":\"ClientRequest\""))
            .count();
        assert!(
            (2..100).contains(&requests),
            "dup {dup}: {requests} requests"
        );
    }
}

#[test]
fn multi_paxos_time_travel_replays_a_chaos_run_exactly() {
    use quorum_engine::protocols::paxos::multi::MultiPaxos;
    let spec = RunSpec {
        setup: Setup {
            protocol: "multi-paxos".into(),
            seed: 5,
            ..RunSpec::default().setup
        },
        faults: FaultLevel::Chaos,
        ..RunSpec::default()
    };
    let history = HistoryConfig {
        snapshot_every_steps: 300,
        ..HistoryConfig::default()
    };
    let mut sim: Sim<MultiPaxos> = build_sim(&spec, history).unwrap();
    sim.run_until(3 * SEC);
    let (digest, events) = (sim.digest(), sim.trace().len());
    sim.seek(SEC);
    sim.run_until(3 * SEC);
    assert_eq!((sim.digest(), sim.trace().len()), (digest, events));
}

/// Swarm plans' leader nemeses hit whichever node leads when they fire: every crash the plan aims
/// at a leader lands on a node the trace shows leading at that moment, and the node comes back.
#[test]
fn swarm_nemeses_crash_the_node_that_leads_then_restart_it() {
    use quorum_engine::sim::action::{LeaderFault, Strike};
    use quorum_engine::sim::faults::plan;
    use quorum_engine::sim::net::NetConfig;
    let mut checked = 0;
    for seed in 1..40 {
        let planned = plan(FaultLevel::Swarm, 5, 8 * SEC, seed, NetConfig::default());
        let crashes: Vec<u64> = planned
            .iter()
            .filter_map(|(t, a)| match a {
                Action::AtLeader {
                    fault: LeaderFault::Crash,
                    undo_after,
                    when: Strike::Now,
                } if *undo_after > 100 * MS => Some(*t),
                _ => None,
            })
            .collect();
        if crashes.is_empty() {
            continue;
        }
        let spec = RunSpec {
            setup: Setup {
                seed,
                ..RunSpec::default().setup
            },
            duration: 8 * SEC,
            faults: FaultLevel::Swarm,
            keep_trace: true,
            ..RunSpec::default()
        };
        let trace = parse_trace(&run(&spec).unwrap().trace.unwrap()).unwrap();
        let mut roles: BTreeMap<u32, String> = BTreeMap::new();
        let mut down: BTreeSet<u32> = BTreeSet::new();
        for s in &trace.events {
            match &s.ev {
                Event::Role { node, role, .. } => {
                    roles.insert(*node, role.to_string());
                }
                Event::Crash { node } => {
                    if crashes.contains(&s.t) && !down.contains(node) {
                        let role = roles.get(node).map(String::as_str);
                        let leader_up = roles
                            .iter()
                            .any(|(n, r)| r == "leader" && !down.contains(n));
                        assert!(
                            role == Some("leader") || !leader_up,
                            "seed {seed}: crash of n{node} ({role:?}) at {}",
                            s.t
                        );
                        checked += 1;
                    }
                    down.insert(*node);
                }
                Event::Restart { node } => {
                    down.remove(node);
                }
                _ => {}
            }
        }
    }
    assert!(checked > 10, "{checked} leader crashes checked");
}

/// A Raft run of five nodes and two clients without planned faults, its trace kept.
fn quiet_raft(seed: u64) -> Sim<Raft> {
    let spec = RunSpec {
        setup: Setup {
            seed,
            clients: 2,
            ..RunSpec::default().setup
        },
        faults: FaultLevel::None,
        duration: 10 * SEC,
        keep_trace: true,
        ..RunSpec::default()
    };
    build_sim(&spec, HistoryConfig::default()).unwrap()
}

/// The first crash after event `from`: its index in the trace, node and time.
fn first_crash(sim: &Sim<Raft>, from: usize) -> (usize, u32, u64) {
    let trace = sim.trace();
    (from..trace.len())
        .find_map(|i| match trace[i].ev {
            Event::Crash { node } => Some((i, node, trace[i].t)),
            _ => None,
        })
        .expect("the nemesis struck")
}

/// An armed nemesis waits for its moment: "on request" crashes the leader in the very step in
/// which a client's request reached it and it appended the entry; "on election" crashes a node
/// in the step in which it became leader. Both restart it `undo_after` later.
#[test]
fn armed_nemeses_strike_the_leader_as_it_takes_a_request_or_is_elected() {
    use quorum_engine::model::event::Payload;
    use quorum_engine::model::types::Addr;
    use quorum_engine::sim::action::{LeaderFault, Strike};
    let nemesis = |when| Action::AtLeader {
        fault: LeaderFault::Crash,
        undo_after: 400 * MS,
        when,
    };
    for seed in 1..6 {
        let mut sim = quiet_raft(seed);
        sim.run_until(2 * SEC);
        let mark = sim.trace().len();
        sim.intervene(nemesis(Strike::OnRequest));
        sim.run_until(3 * SEC);
        let (i, n, t) = first_crash(&sim, mark);
        let trace = sim.trace();
        let step: Vec<_> = (mark..i)
            .rev()
            .map(|j| &trace[j])
            .take_while(|s| s.t == t)
            .collect();
        let requests: BTreeSet<u64> = trace
            .iter()
            .filter_map(|s| match &s.ev {
                Event::Send {
                    msg,
                    to: Addr::Node(to),
                    payload: Payload::Request(_),
                    ..
                } if *to == n => Some(*msg),
                _ => None,
            })
            .collect();
        assert!(
            step.iter()
                .any(|s| matches!(s.ev, Event::Deliver { msg } if requests.contains(&msg))),
            "seed {seed}: n{n} crashed at {t} without taking a request in that step"
        );
        assert!(step
            .iter()
            .any(|s| matches!(s.ev, Event::Append { node, .. } if node == n)));
        assert!(trace
            .since(i)
            .any(|s| s.ev == Event::Restart { node: n } && s.t == t + 400 * MS));

        let mut sim = quiet_raft(seed);
        sim.run_until(2 * SEC);
        sim.intervene(nemesis(Strike::OnElection));
        sim.run_until(2 * SEC + 50 * MS);
        assert!(
            sim.trace()
                .iter()
                .all(|s| !matches!(s.ev, Event::Crash { .. })),
            "seed {seed}: it waits for an election"
        );
        let leader = sim.trace().iter().rev().find_map(|s| match &s.ev {
            Event::Role { node, role, .. } if role == "leader" => Some(*node),
            _ => None,
        });
        sim.intervene(Action::Crash(leader.expect("a leader")));
        let mark = sim.trace().len();
        sim.run_until(4 * SEC);
        let (i, n, t) = first_crash(&sim, mark);
        let trace = sim.trace();
        let became = (mark..i).rev().map(|j| &trace[j]).take_while(|s| s.t == t).any(
            |s| matches!(&s.ev, Event::Role { node, role, .. } if *node == n && role == "leader"),
        );
        assert!(
            became,
            "seed {seed}: n{n} crashed at {t} but was not elected in that step"
        );
    }
}
