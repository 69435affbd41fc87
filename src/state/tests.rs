use std::cell::Cell;

use quorum_engine::metrics::{Metrics, MetricsReport};
use quorum_engine::model::types::{Addr, NodeId, MS, SEC};

use super::*;
use crate::canvas::Hit;
use quorum_engine::lab::compare::Aim;
use quorum_engine::run::scenario::LeaderAction;
use quorum_engine::sim::action::Action;

fn then(state: LabState, action: LabAction) -> LabState {
    let next = Rc::new(state).reduce(action);
    Rc::try_unwrap(next).unwrap_or_else(|rc| (*rc).clone())
}

fn alert(s: &LabState) -> &str {
    s.ui.alert.as_deref().unwrap_or_default()
}

/// A clock that moves 1 µs each time it is read (the budget is never spent).
fn ticking() -> Clock {
    let t = Rc::new(Cell::new(0.0));
    Clock(Rc::new(move || {
        t.set(t.get() + 0.001);
        t.get()
    }))
}

fn advance(wall_ms: f64) -> LabAction {
    LabAction::Advance {
        wall_ms,
        clock: ticking(),
    }
}

#[test]
fn a_broken_link_leaves_the_default_lab_and_an_alert() {
    let s = LabState::from_query("?v=1&n=40", Lang::En);
    assert!(alert(&s).contains("2 to 9"), "{}", alert(&s));
    assert_eq!(s.ui.config.nodes, 5);
    assert!(s.outcome.is_err());
    let s = LabState::from_query("?v=3", Lang::En);
    assert!(alert(&s).contains("version 3"));
}

#[test]
fn a_link_reproduces_the_state_it_was_copied_from() {
    let mut s = LabState::new(Setup::default()).unwrap();
    s.apply(LabAction::Seek(400 * MS));
    s.apply(LabAction::Act(Action::Crash(1)));
    s.apply(LabAction::Seek(900 * MS));
    let copy = LabState::from_query(&format!("?{}", s.link()), Lang::En);
    assert!(copy.ui.alert.is_none());
    assert_eq!(copy.lab().digest(), s.lab().digest());
    assert_eq!(copy.frame.t, 900 * MS);
    assert_eq!(copy.view.link, s.view.link);
}

#[test]
fn scenarios_load_rewound_with_their_actions_recorded() {
    let s = LabState::from_query("?sc=partitioned_leader_cannot_commit", Lang::En);
    assert!(s.ui.alert.is_none(), "{:?}", s.ui.alert);
    assert_eq!(s.frame.t, 0);
    assert!(s.horizon > 0);
    assert_eq!(s.view.horizon, s.horizon);
    assert!(!s.lab().interventions().is_empty());
    assert_eq!(
        s.ui.scenario.map(|b| b.name),
        Some("partitioned_leader_cannot_commit")
    );
    let missing = LabState::from_query("?sc=nope", Lang::En);
    assert!(missing.ui.alert.is_some());
}

#[test]
fn the_partition_tool_splits_picked_nodes_from_the_rest() {
    let mut s = LabState::new(Setup::default()).unwrap();
    s.apply(LabAction::Tool(Tool::Partition));
    s.apply(LabAction::Click(Some(Hit::Node(1))));
    s.apply(LabAction::Click(Some(Hit::Node(2))));
    assert_eq!(s.ui.picked, vec![1, 2]);
    assert_eq!(s.ui.selection, Selection::None, "picking does not select");
    s.apply(LabAction::ApplyPartition);
    assert_eq!(s.frame.groups, vec![vec![1, 2], vec![3, 4, 5]]);
    s.apply(LabAction::Tool(Tool::Cut));
    s.apply(LabAction::Click(Some(Hit::Node(4))));
    s.apply(LabAction::Click(Some(Hit::Node(5))));
    assert_eq!(s.frame.cuts, vec![(4, 5)]);
}

#[test]
fn playing_advances_by_speed_and_pausing_stops() {
    let s = Rc::new(LabState::new(Setup::default()).unwrap());
    let same = s.clone().reduce(advance(16.0));
    assert!(
        Rc::ptr_eq(&s, &same),
        "a paused step returns the same state"
    );
    let s = then(then((*s).clone(), LabAction::Play), LabAction::Speed(1.0));
    let moved = then(s.clone(), advance(50.0));
    assert_eq!(moved.frame.t, 50 * MS);
    assert_eq!(moved.horizon, 50 * MS);
    assert!(
        moved == s,
        "an animation step does not re-render the panels"
    );
    assert_eq!(moved.view.t, 0);
    let refreshed = then(moved, LabAction::Refresh);
    assert_eq!(refreshed.view.t, 50 * MS);
    assert!(refreshed != s);
    let paused = then(refreshed, LabAction::Pause);
    assert_eq!(then(paused.clone(), advance(50.0)).frame.t, paused.frame.t);
}

#[test]
fn an_exhausted_budget_stops_the_animation_step_early() {
    let mut s = LabState::new(Setup::default()).unwrap();
    s.apply(LabAction::Play);
    s.apply(LabAction::Speed(1.0));
    let slow = Clock(Rc::new({
        let t = Cell::new(0.0);
        move || {
            t.set(t.get() + 10.0);
            t.get()
        }
    }));
    s.apply(LabAction::Advance {
        wall_ms: 50.0,
        clock: slow,
    });
    assert_eq!(s.frame.t, 0, "the first read already spent the budget");
}

#[test]
fn the_view_follows_selection_and_going_back_in_time() {
    let mut s = LabState::new(Setup::default()).unwrap();
    s.apply(LabAction::Seek(1_000 * MS));
    assert!(!s.view.markers.is_empty(), "an election by 1 s");
    assert!(!s.view.log.is_empty());
    s.apply(LabAction::Click(Some(Hit::Node(2))));
    assert_eq!(s.view.inspected.title, "Node 2");
    assert_eq!(s.view.menu, Menu::Node { id: 2, up: true });
    s.apply(LabAction::Dismiss);
    assert_eq!(s.view.menu, Menu::None);
    s.apply(LabAction::Seek(0));
    assert!(s.view.markers.is_empty());
    assert!(s.view.log.iter().all(|l| l.t == 0));
    assert_eq!(s.view.horizon, 1_000 * MS);
}

#[test]
fn jumping_to_a_moment_pauses() {
    let mut s = LabState::new(Setup::default()).unwrap();
    s.apply(LabAction::Play);
    s.apply(LabAction::JumpTo(300 * MS));
    assert!(!s.ui.playing);
    assert_eq!(s.view.t, 300 * MS);
}

#[test]
fn the_snapshot_interval_restarts_the_run_with_it() {
    let mut s = LabState::new(Setup::default()).unwrap();
    s.apply(LabAction::Seek(200 * MS));
    let generation = s.generation;
    s.apply(LabAction::SnapshotInterval(16));
    assert_eq!(s.ui.config.options.value("snapshot-interval"), Some(16));
    assert_eq!(s.frame.t, 0);
    assert_eq!(s.generation, generation + 1);
    assert!(
        s.view.link.contains("snapshot-interval.16"),
        "{}",
        s.view.link
    );
}

/// A fresh measurement of the whole trace of `s`'s run.
fn measured_afresh(s: &LabState) -> MetricsReport {
    let mut metrics = Metrics::new();
    s.lab().measure(&mut metrics, 0);
    metrics.report()
}

fn shown_metrics(s: &LabState) -> MetricsReport {
    let view = s.view.metrics.as_ref().expect("the metrics panel is open");
    view.report.clone()
}

fn leader(s: &LabState) -> NodeId {
    let leader = s.frame.nodes.iter().find(|n| n.up && n.role == "leader");
    leader.expect("a leader").id
}

#[test]
fn the_metrics_fed_frame_by_frame_equal_a_fresh_measurement_also_after_going_back() {
    let config = Setup {
        clients: 2,
        ..Setup::default()
    };
    let mut s = LabState::new(config).unwrap();
    s.apply(LabAction::ToggleMetrics);
    s.apply(LabAction::Speed(1.0));
    s.apply(LabAction::Play);
    for frame in 1..=150 {
        s.apply(advance(16.0));
        if frame % 8 == 0 {
            s.apply(LabAction::Refresh);
        }
        if frame == 60 {
            s.apply(LabAction::Act(Action::Crash(leader(&s))));
            s.apply(LabAction::Play);
        }
    }
    s.apply(LabAction::Pause);
    let live = shown_metrics(&s);
    assert!(live.ok > 0 && live.faults.len() == 1, "{}", live.text());
    assert!(live.availability < 1.0, "{}", live.text());
    assert_eq!(live, measured_afresh(&s));

    s.apply(LabAction::Seek(500 * MS));
    let back = shown_metrics(&s);
    assert!(back.duration <= 500 * MS && back.faults.is_empty());
    assert_eq!(back, measured_afresh(&s));
    s.apply(LabAction::StepBack);
    assert_eq!(shown_metrics(&s), measured_afresh(&s));
    s.apply(LabAction::Seek(2_000 * MS));
    assert_eq!(shown_metrics(&s), measured_afresh(&s));
    assert_eq!(shown_metrics(&s).faults.len(), 1, "the crash is replayed");
}

#[test]
fn the_metrics_summary_is_made_only_while_the_panel_is_open_and_once_per_change() {
    let mut s = LabState::new(Setup::default()).unwrap();
    s.apply(LabAction::Seek(300 * MS));
    assert!(s.view.metrics.is_none());
    s.apply(LabAction::ToggleMetrics);
    let first = s.view.metrics.clone().expect("open");
    assert_eq!(first.report, measured_afresh(&s), "catches up when opened");
    s.apply(LabAction::Select(Selection::Node(2)));
    let same = s.view.metrics.clone().expect("open");
    assert!(Rc::ptr_eq(&first, &same), "nothing new in the trace");
    s.apply(LabAction::Seek(400 * MS));
    assert!(!Rc::ptr_eq(&first, s.view.metrics.as_ref().unwrap()));
}

#[test]
fn a_link_keeps_the_metrics_panel_open() {
    let mut s = LabState::new(Setup::default()).unwrap();
    s.apply(LabAction::ToggleMetrics);
    s.apply(LabAction::Seek(200 * MS));
    assert!(s.link().ends_with("&panel=metrics"), "{}", s.link());
    let copy = LabState::from_query(&format!("?{}", s.link()), Lang::En);
    assert!(copy.ui.alert.is_none(), "{:?}", copy.ui.alert);
    assert!(copy.ui.metrics);
    assert_eq!(copy.view.link, s.view.link);
    let closed = LabState::from_query(
        &format!("?{}", s.link().replace("&panel=metrics", "")),
        Lang::En,
    );
    assert!(!closed.ui.metrics && closed.ui.alert.is_none());
}

fn compared(protocols: &[&str]) -> LabState {
    let mut s = LabState::new(Setup {
        clients: 3,
        seed: 3,
        ..Setup::default()
    })
    .unwrap();
    s.apply(LabAction::OpenCompare(
        protocols.iter().map(|p| p.to_string()).collect(),
    ));
    s
}

#[test]
fn the_compare_view_opens_on_the_current_settings_and_closes_back_to_the_lab() {
    let mut s = LabState::new(Setup::default()).unwrap();
    s.apply(LabAction::Seek(700 * MS));
    let lab_digest = s.lab().digest();
    s = compared(&COMPARE_DEFAULT);
    let view = s.view.compare.clone().expect("the compare view is shown");
    assert_eq!(view.protocols, COMPARE_DEFAULT.map(String::from).to_vec());
    assert_eq!(s.compare.as_ref().unwrap().frames.len(), 3);
    assert!(s.view.link.contains("cmp=raft,multi-paxos,primary-backup"));
    assert!(s.view.link.contains("seed=3"), "{}", s.view.link);
    s.apply(LabAction::CloseCompare);
    assert!(s.view.compare.is_none() && s.compare.is_none());
    let mut lab = LabState::new(Setup::default()).unwrap();
    lab.apply(LabAction::Seek(700 * MS));
    assert_eq!(lab.lab().digest(), lab_digest);
}

#[test]
fn crashing_the_leader_in_the_compare_view_says_whom_it_hit_in_each_run() {
    let mut s = compared(&COMPARE_DEFAULT);
    s.apply(LabAction::Seek(2000 * MS));
    let leaders = s.view.compare.as_ref().unwrap().leaders.clone();
    s.apply(LabAction::CompareAct(Aim::Leader(LeaderAction::Crash)));
    let hits = s.view.compare.as_ref().unwrap().hits.clone().unwrap();
    for (p, n) in COMPARE_DEFAULT.iter().zip(&leaders) {
        assert!(hits.contains(&format!("{p} n{}", n.unwrap())), "{hits}");
    }
    let c = s.compare.as_ref().unwrap();
    for (frame, n) in c.frames.iter().zip(&leaders) {
        assert!(!frame.nodes[n.unwrap() as usize - 1].up);
    }
    assert_eq!(s.view.markers.len(), 1);
    assert!(s.view.link.contains("sch=2000000.cL"), "{}", s.view.link);
}

#[test]
fn a_compare_link_reopens_the_same_moment_and_seeking_back_replays_it() {
    let mut s = compared(&["raft", "primary-backup"]);
    s.apply(LabAction::Seek(1500 * MS));
    s.apply(LabAction::Act(Action::Crash(2)));
    s.apply(LabAction::Seek(4000 * MS));
    let digests = |s: &LabState| -> Vec<u64> {
        let c = s.compare.as_ref().unwrap();
        let run = c.run();
        run.lanes().iter().map(|l| l.lab.digest()).collect()
    };
    let at4 = digests(&s);
    let copy = LabState::from_query(&format!("?{}", s.link()), Lang::En);
    assert!(copy.ui.alert.is_none(), "{:?}", copy.ui.alert);
    assert_eq!(digests(&copy), at4);
    assert_eq!(copy.view.link, s.view.link);
    let (a, b) = (
        copy.view.compare.clone().unwrap(),
        s.view.compare.clone().unwrap(),
    );
    assert_eq!((&a.reports, &a.divergence), (&b.reports, &b.divergence));
    s.apply(LabAction::StepBack);
    assert_eq!(s.view.t, 3990 * MS);
    s.apply(LabAction::Seek(500 * MS));
    s.apply(LabAction::Seek(4000 * MS));
    assert_eq!(digests(&s), at4);
}

#[test]
fn a_bad_compare_link_leaves_the_lab_usable_with_an_alert() {
    let s = LabState::from_query("?v=1&cmp=raft,raft&n=5&seed=1&c=1&t=0", Lang::En);
    assert!(alert(&s).contains("named twice"), "{}", alert(&s));
    assert!(s.compare.is_none());
    let mut s = compared(&["raft", "multi-paxos"]);
    s.apply(LabAction::LoadLink("v=1&cmp=raft&t=0".into()));
    assert!(alert(&s).contains("compare 2 to 4"), "{}", alert(&s));
    assert!(s.compare.is_some(), "the open comparison stays");
    s.apply(LabAction::Act(Action::DropMessage(1)));
    assert!(alert(&s).contains("one message"), "{}", alert(&s));
}

#[test]
fn playing_the_compare_view_moves_every_run_under_one_cursor() {
    let mut s = compared(&COMPARE_DEFAULT);
    s.apply(LabAction::Speed(1.0));
    s.apply(LabAction::Play);
    for _ in 0..10 {
        s.apply(advance(50.0));
    }
    let c = s.compare.as_ref().unwrap();
    assert_eq!(c.run().now(), 500 * MS);
    assert!(c.frames.iter().all(|f| f.t == 500 * MS));
}

#[test]
fn the_first_divergence_stays_known_when_the_cursor_goes_back_to_it() {
    let mut s = compared(&COMPARE_DEFAULT);
    s.apply(LabAction::Seek(2000 * MS));
    s.apply(LabAction::CompareAct(Aim::Leader(LeaderAction::Crash)));
    s.apply(LabAction::Seek(6000 * MS));
    let d = s.view.compare.as_ref().unwrap().divergence.clone().unwrap();
    s.apply(LabAction::JumpTo(d.at));
    assert_eq!(s.view.t, d.at);
    assert_eq!(s.view.compare.as_ref().unwrap().divergence, Some(d.clone()));
    s.apply(LabAction::Seek(d.at - 500 * MS));
    s.apply(LabAction::CompareAct(Aim::Node(Action::Liveness)));
    assert_eq!(
        s.view.compare.as_ref().unwrap().divergence,
        None,
        "the future changed"
    );
}

#[test]
fn the_diagram_follows_the_run_and_is_cut_back_by_a_seek() {
    let mut s = LabState::new(Setup::default()).unwrap();
    s.apply(LabAction::Diagram(DiagramCmd::Toggle));
    s.apply(LabAction::Seek(600 * MS));
    let panel = s.view.diagram.clone().expect("open");
    assert!(
        panel.types.iter().any(|t| t == "AppendEntries"),
        "{:?}",
        panel.types
    );
    assert_eq!(panel.lanes.first(), Some(&Addr::Node(1)));
    let read = s.diagram().space().unwrap().len();
    assert_eq!(read, s.lab().trace_len());
    s.apply(LabAction::Play);
    s.apply(advance(100.0));
    assert_eq!(
        s.diagram().space().unwrap().len(),
        s.lab().trace_len(),
        "each frame"
    );
    s.apply(LabAction::Seek(300 * MS));
    let space = s.diagram().space().unwrap();
    assert_eq!(space.len(), s.lab().trace_len());
    assert!(space.arrows().iter().all(|a| a.sent <= 300 * MS));
}

#[test]
fn a_pick_moves_to_the_items_moment_and_highlights_its_request() {
    let mut s = LabState::new(Setup::default()).unwrap();
    s.apply(LabAction::Seek(SEC));
    s.apply(LabAction::Diagram(DiagramCmd::Pick(500 * MS, Some((1, 2)))));
    assert_eq!(s.frame.t, 500 * MS);
    assert_eq!(s.ui.chart.focus, Some((1, 2)));
    s.apply(LabAction::Diagram(DiagramCmd::Type("AppendEntries".into())));
    assert_eq!(s.ui.chart.hidden_types, ["AppendEntries"]);
    s.apply(LabAction::Diagram(DiagramCmd::Clear));
    assert_eq!(s.ui.chart.focus, None);
}

#[test]
fn a_link_keeps_the_diagram_and_history_open() {
    let mut s = LabState::new(Setup::default()).unwrap();
    s.apply(LabAction::Diagram(DiagramCmd::Toggle));
    s.apply(LabAction::Diagram(DiagramCmd::ToggleHistory));
    s.apply(LabAction::Seek(200 * MS));
    assert!(
        s.link().ends_with("&panel=diagram&panel=history"),
        "{}",
        s.link()
    );
    let copy = LabState::from_query(&format!("?{}", s.link()), Lang::En);
    assert!(copy.ui.alert.is_none(), "{:?}", copy.ui.alert);
    assert!(copy.ui.diagram && copy.ui.history && !copy.ui.metrics);
    assert_eq!(copy.frame.t, 200 * MS);
    assert!(copy.view.history.is_some());
}

#[test]
fn the_history_explains_a_planted_bugs_violation() {
    let mut s = LabState::from_query("?sc=rb_bug_ack_by_count", Lang::En);
    assert!(s.ui.alert.is_none(), "{:?}", s.ui.alert);
    s.apply(LabAction::Diagram(DiagramCmd::ToggleHistory));
    s.apply(LabAction::Seek(s.horizon));
    let h = s.view.history.clone().expect("open");
    let (_, text) = h.explanation.clone().expect("a linearizability violation");
    let text = text.to_string();
    assert!(
        text.contains("no order of the operations explains it"),
        "{text}"
    );
    let verdicts: Vec<Verdict> = h
        .rows
        .iter()
        .flat_map(|(_, ops)| ops.iter().map(|o| o.verdict))
        .collect();
    assert!(verdicts.contains(&Verdict::Blocked), "{verdicts:?}");
    assert!(h
        .rows
        .iter()
        .all(|(_, ops)| ops.iter().all(|o| o.invoke <= h.to)));
}

#[test]
fn the_reducer_switches_the_language_and_the_link_keeps_it() {
    let s = LabState::from_query("?sc=first_election", Lang::En);
    assert_eq!(s.ui.lang, Lang::En);
    assert!(!s.link().contains("lang="), "{}", s.link());
    let s = then(s, LabAction::Lang(Lang::Zh));
    assert_eq!(s.ui.lang, Lang::Zh);
    assert!(s.view.link.ends_with("&lang=zh"), "{}", s.view.link);
    assert_eq!(s.link(), s.view.link);
    let copy = LabState::from_query(&format!("?{}", s.link()), Lang::En);
    assert_eq!(
        copy.ui.lang,
        Lang::Zh,
        "the link's language wins over the default"
    );
    assert!(copy.ui.alert.is_none(), "{:?}", copy.ui.alert);
    assert_eq!(copy.view.link, s.view.link);
    assert_eq!(copy.lab().digest(), s.lab().digest());
}

#[test]
fn a_link_without_a_language_opens_in_the_default_one() {
    let s = LabState::new(Setup::default()).unwrap();
    let zh = LabState::from_query(&format!("?{}", s.link()), Lang::Zh);
    assert_eq!(zh.ui.lang, Lang::Zh);
    assert!(zh.link().ends_with("&lang=zh"), "{}", zh.link());
    let en = LabState::from_query(&format!("?{}&lang=en", s.link()), Lang::Zh);
    assert_eq!(en.ui.lang, Lang::En);
    assert_eq!(en.link(), s.link());
    assert_eq!(LabState::from_query("", Lang::Zh).ui.lang, Lang::Zh);
}

#[test]
fn a_bare_language_parameter_opens_the_default_lab_in_that_language() {
    let chinese = LabState::from_query("?lang=zh", Lang::En);
    assert_eq!(chinese.ui.lang, Lang::Zh);
    assert_eq!(chinese.view, LabState::from_query("", Lang::Zh).view);
    assert_ne!(chinese.view, LabState::from_query("", Lang::En).view);
}

#[test]
fn a_compare_link_keeps_the_language_and_errors_speak_it() {
    let s = then(compared(&["raft", "paxos"]), LabAction::Lang(Lang::Zh));
    assert!(s.view.link.contains("cmp=raft,paxos") && s.view.link.ends_with("&lang=zh"));
    let copy = LabState::from_query(&format!("?{}", s.link()), Lang::En);
    assert!(
        copy.compare.is_some() && copy.ui.alert.is_none(),
        "{:?}",
        copy.ui.alert
    );
    assert_eq!(copy.ui.lang, Lang::Zh);
    let refused = then(s.clone(), LabAction::Act(Action::Crash(9)));
    assert!(
        alert(&refused).starts_with("节点 9 不存在"),
        "{}",
        alert(&refused)
    );
    let in_english = then(refused, LabAction::Lang(Lang::En));
    let refused = then(in_english, LabAction::Act(Action::DropMessage(1)));
    assert!(
        alert(&refused).starts_with("an action on one message"),
        "{}",
        alert(&refused)
    );
    let broken = LabState::from_query("?v=1&n=40&lang=zh", Lang::En);
    assert!(
        alert(&broken).starts_with("无法打开这个链接"),
        "{}",
        alert(&broken)
    );
}
