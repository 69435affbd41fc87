use super::*;
use crate::lab::{new_lab, Lab};
use crate::model::types::MS;
use crate::run::setup::Setup;
use crate::sim::action::Action;

/// A Raft lab with three clients: a crash of node 2 at 1 s, a partition at 1.5 s, healed and
/// restarted at 2.5 s, run to 3 s.
fn run() -> Lab {
    let mut lab = new_lab(&Setup {
        clients: 3,
        ..Setup::default()
    })
    .unwrap();
    lab.run_until(1000 * MS);
    lab.intervene(Action::Crash(2));
    lab.run_until(1500 * MS);
    lab.intervene(Action::Partition(vec![vec![1, 3]]));
    lab.run_until(2500 * MS);
    lab.intervene(Action::Heal);
    lab.intervene(Action::Restart(2));
    lab.run_until(3000 * MS);
    lab
}

fn diagram(lab: &Lab) -> SpaceTime {
    let mut d = SpaceTime::new(5);
    lab.diagram(&mut d);
    d
}

#[test]
fn every_message_runs_from_its_send_to_its_end_and_deliveries_come_after_sends() {
    let lab = run();
    let d = diagram(&lab);
    assert_eq!(d.len(), lab.trace_len());
    assert_eq!(&d.lanes()[..5], &[1, 2, 3, 4, 5].map(Addr::Node));
    assert!(d.lanes().contains(&Addr::Client(1)), "{:?}", d.lanes());
    assert!(d.arrows().len() > 300, "{} arrows", d.arrows().len());
    let (mut delivered, mut lost) = (0, 0);
    for a in d.arrows() {
        match a.fate {
            Fate::Delivered(t, _, clock) => {
                delivered += 1;
                assert!(t >= a.sent && clock > a.clock, "{a:?}");
            }
            Fate::Lost(t, _, _) => {
                lost += 1;
                assert!(t >= a.sent, "{a:?}");
            }
            Fate::Flying => {}
        }
    }
    assert!(
        delivered > 300 && lost > 0,
        "{delivered} delivered, {lost} lost"
    );
    let mut last: BTreeMap<Addr, u64> = BTreeMap::new();
    let sends = d.arrows().iter().map(|a| (a.index, a.from, a.clock));
    let marks = d
        .marks()
        .iter()
        .filter_map(|m| Some((m.index, m.lane?, m.clock)));
    let mut events: Vec<(usize, Addr, u64)> = sends.chain(marks).collect();
    events.sort();
    for (_, lane, clock) in events {
        let prev = last.insert(lane, clock).unwrap_or(0);
        assert!(clock > prev, "{lane}: clock {clock} after {prev}");
    }
}

#[test]
fn crashes_and_partitions_become_intervals() {
    let d = diagram(&run());
    assert_eq!(d.down(), vec![(2, 1000 * MS, Some(2500 * MS))]);
    assert_eq!(d.bands().len(), 1);
    assert_eq!(
        (d.bands()[0].from, d.bands()[0].to),
        (1500 * MS, Some(2500 * MS))
    );
    assert!(d
        .marks()
        .iter()
        .any(|m| m.kind == MarkKind::Role && m.text.to_string().starts_with("leader")));
}

#[test]
fn read_bit_by_bit_or_cut_back_it_is_the_same_diagram() {
    let mut lab = run();
    let whole = diagram(&lab);
    let mut d = SpaceTime::new(5);
    lab.seek(0);
    for t in (0..=3000).step_by(70) {
        lab.seek(t * MS);
        lab.diagram(&mut d);
    }
    lab.seek(3000 * MS);
    lab.diagram(&mut d);
    assert_eq!(
        (d.arrows(), d.marks(), d.bands()),
        (whole.arrows(), whole.marks(), whole.bands())
    );
    lab.seek(1200 * MS);
    lab.diagram(&mut d);
    let mut fresh = SpaceTime::new(5);
    lab.diagram(&mut fresh);
    assert_eq!(
        (d.arrows(), d.marks(), d.bands()),
        (fresh.arrows(), fresh.marks(), fresh.bands())
    );
    assert_eq!(d.lanes(), fresh.lanes());
    lab.seek(3000 * MS);
    lab.diagram(&mut d);
    assert_eq!(d.arrows(), whole.arrows());
}

#[test]
fn the_visible_window_holds_exactly_the_messages_that_cross_it() {
    let d = diagram(&run());
    for (from, to) in [(0, 100), (1200, 1300), (2400, 2600), (2990, 3000)] {
        let (from, to) = (from * MS, to * MS);
        let got: Vec<MsgId> = d.arrows_between(from, to).map(|a| a.id).collect();
        let want: Vec<MsgId> = d
            .arrows()
            .iter()
            .filter(|a| a.sent <= to && a.end().is_none_or(|e| e >= from))
            .map(|a| a.id)
            .collect();
        assert_eq!(got, want, "{from}..{to}");
        assert!(!got.is_empty());
    }
}

#[test]
fn a_client_request_roots_the_replication_commit_and_reply_it_caused() {
    let d = diagram(&run());
    let request = d
        .arrows()
        .iter()
        .find(|a| {
            a.label.starts_with("request")
                && matches!(a.fate, Fate::Delivered(..))
                && a.to == Addr::Node(1)
        })
        .or_else(|| {
            d.arrows()
                .iter()
                .find(|a| a.label.starts_with("request") && a.label.contains(" put("))
        })
        .expect("a request");
    let root = request.root.expect("a request is its own root");
    let caused: Vec<&Arrow> = d.arrows().iter().filter(|a| a.root == Some(root)).collect();
    assert!(
        caused
            .iter()
            .any(|a| a.label.starts_with("ok op") || a.label.starts_with("redirect")),
        "the answer belongs to the request: {caused:?}"
    );
    let puts: Vec<&Arrow> = d
        .arrows()
        .iter()
        .filter(|a| a.label.starts_with("request") && a.label.contains(" put("))
        .collect();
    let replicated = puts.iter().any(|p| {
        let r = p.root;
        d.arrows()
            .iter()
            .any(|a| a.root == r && a.label.contains("Append"))
            && d.marks()
                .iter()
                .any(|m| m.root == r && m.kind == MarkKind::Commit)
    });
    assert!(
        replicated,
        "some write's AppendEntries and commit carry its root"
    );
}
