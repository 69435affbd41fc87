use super::*;
use crate::model::types::MS;

fn three() -> Vec<String> {
    ["raft", "multi-paxos", "primary-backup"]
        .map(String::from)
        .to_vec()
}

fn setup() -> Setup {
    Setup {
        nodes: 5,
        seed: 3,
        clients: 3,
        ..Setup::default()
    }
}

fn digests(c: &Comparison) -> Vec<u64> {
    c.lanes().iter().map(|l| l.lab.digest()).collect()
}

#[test]
fn crashing_the_leader_hits_each_runs_own_leader() {
    let mut c = Comparison::new(&setup(), &three()).unwrap();
    c.seek(2000 * MS);
    let leaders: Vec<Option<NodeId>> = c.lanes().iter().map(|l| l.lab.leader()).collect();
    assert!(leaders.iter().all(Option::is_some), "{leaders:?}");
    let hit = c.act(Aim::Leader(LeaderAction::Crash)).unwrap();
    assert_eq!(hit, leaders);
    for (lane, n) in c.lanes().iter().zip(&hit) {
        let frame = lane.lab.frame();
        let node = frame.nodes.iter().find(|f| Some(f.id) == *n).unwrap();
        assert!(!node.up, "{}: node {n:?} still up", lane.protocol);
    }
}

#[test]
fn a_comparison_replays_from_its_link_run_for_run() {
    let mut c = Comparison::new(&setup(), &three()).unwrap();
    c.seek(1500 * MS);
    c.act(Aim::Leader(LeaderAction::Crash)).unwrap();
    c.seek(3000 * MS);
    c.act(Aim::Node(Action::Partition(vec![vec![1, 2]])))
        .unwrap();
    c.seek(4000 * MS);
    c.act(Aim::Node(Action::Liveness)).unwrap();
    c.seek(6000 * MS);
    let link = c.link();
    assert!(
        link.contains("cmp=raft,multi-paxos,primary-backup"),
        "{link}"
    );
    assert!(
        link.contains("sch=1500000.cL~3000000.p1_2~4000000.live"),
        "{link}"
    );
    let again = Comparison::from_link(&link).unwrap();
    assert_eq!(again.now(), 6000 * MS);
    assert_eq!(digests(&again), digests(&c));
    assert_eq!(again.link(), link);
    assert_eq!(again.reports(), c.reports());
}

#[test]
fn seeking_back_and_forth_returns_to_the_same_worlds() {
    let mut c = Comparison::new(&setup(), &three()).unwrap();
    c.seek(2000 * MS);
    c.act(Aim::Leader(LeaderAction::Isolate)).unwrap();
    c.seek(5000 * MS);
    let (at5, reports) = (digests(&c), c.reports());
    c.seek(500 * MS);
    assert_ne!(digests(&c), at5);
    c.seek(5000 * MS);
    assert_eq!(digests(&c), at5);
    assert_eq!(c.reports(), reports);
}

#[test]
fn an_action_in_the_past_starts_a_new_branch_in_every_run() {
    let mut c = Comparison::new(&setup(), &three()).unwrap();
    c.seek(3000 * MS);
    c.act(Aim::Leader(LeaderAction::Crash)).unwrap();
    c.seek(1000 * MS);
    c.act(Aim::Leader(LeaderAction::Timeout)).unwrap();
    assert_eq!(c.schedule().len(), 1);
    assert_eq!(c.schedule()[0].at, 1000 * MS);
    c.seek(4000 * MS);
    for lane in c.lanes() {
        let ivs = lane.lab.interventions();
        assert_eq!(ivs.len(), 1, "{}: {ivs:?}", lane.protocol);
        assert!(matches!(ivs[0].action, Action::Timeout(_)));
    }
}

#[test]
fn the_first_divergence_is_where_one_run_serves_and_another_does_not() {
    let mut c = Comparison::new(&setup(), &three()).unwrap();
    c.seek(2000 * MS);
    assert_eq!(c.divergence(), None, "healthy runs all serve");
    c.act(Aim::Leader(LeaderAction::Crash)).unwrap();
    c.seek(6000 * MS);
    let d = c
        .divergence()
        .expect("recovery times differ between protocols");
    assert!(d.at >= 2000 * MS, "{d:?}");
    assert!(
        d.served.contains(&true) && d.served.contains(&false),
        "{d:?}"
    );
    let runs = c.metrics();
    let bin = (d.at / BIN) as usize;
    for b in 0..bin {
        let served: Vec<bool> = runs.iter().map(|m| m.bins()[b].unserved == 0).collect();
        assert!(
            served.iter().all(|s| *s == served[0]),
            "bin {b} already differs"
        );
    }
}

#[test]
fn bad_compare_links_and_actions_are_refused_with_a_reason() {
    let cases = [
        ("v=1&n=5&seed=1&c=1&t=0", "names its protocols"),
        ("v=1&cmp=raft&n=5&seed=1&c=1&t=0", "compare 2 to 4"),
        ("v=1&cmp=raft,raft&n=5&seed=1&c=1&t=0", "named twice"),
        ("v=1&cmp=raft,nope&n=5&seed=1&c=1&t=0", "nope"),
        ("v=1&cmp=raft,paxos&p=raft&n=5&seed=1&c=1&t=0", "no \"p\""),
        (
            "v=1&cmp=raft,paxos&n=5&seed=1&c=1&sch=5.D3&t=0",
            "one message",
        ),
        ("v=1&cmp=raft,paxos&n=5&seed=1&c=1&sch=5.c9&t=0", "node 9"),
        (
            "v=1&cmp=raft,paxos&n=5&seed=1&c=1&sch=9.cL~5.cL&t=0",
            "out of order",
        ),
        (
            "v=1&cmp=raft,paxos&n=5&seed=1&c=1&sch=x.cL&t=0",
            "not a number",
        ),
        ("v=1&cmp=raft,paxos&n=5&seed=1&c=1&sch=5&t=0", "AT.ACTION"),
        ("v=9&cmp=raft,paxos&n=5&seed=1&c=1&t=0", "version 9"),
    ];
    for (link, why) in cases {
        match Comparison::from_link(link) {
            Ok(_) => panic!("{link} was accepted"),
            Err(e) => assert!(e.to_string().contains(why), "{link}: {e}"),
        }
    }
    let mut c = Comparison::new(&setup(), &three()).unwrap();
    assert!(c.act(Aim::Node(Action::Crash(6))).is_err());
    assert!(c.act(Aim::Node(Action::DropMessage(1))).is_err());
    assert!(c.schedule().is_empty());
}

#[test]
fn only_compare_links_are_taken_for_compare_links() {
    assert!(is_compare_link("?v=1&cmp=raft,paxos&t=0"));
    assert!(is_compare_link("https://x/#v=1&cmp=raft,paxos"));
    assert!(!is_compare_link("v=1&p=raft&t=0"));
}
