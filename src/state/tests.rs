use std::cell::Cell;

use quorum_engine::metrics::{Metrics, MetricsReport};
use quorum_engine::model::types::{NodeId, MS};

use super::*;
use crate::canvas::Hit;
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
    let s = LabState::from_query("?v=1&n=40");
    assert!(alert(&s).contains("2 to 9"), "{}", alert(&s));
    assert_eq!(s.ui.config.nodes, 5);
    assert!(s.outcome.is_err());
    let s = LabState::from_query("?v=3");
    assert!(alert(&s).contains("version 3"));
}

#[test]
fn a_link_reproduces_the_state_it_was_copied_from() {
    let mut s = LabState::new(Setup::default()).unwrap();
    s.apply(LabAction::Seek(400 * MS));
    s.apply(LabAction::Act(Action::Crash(1)));
    s.apply(LabAction::Seek(900 * MS));
    let copy = LabState::from_query(&format!("?{}", s.link()));
    assert!(copy.ui.alert.is_none());
    assert_eq!(copy.lab().digest(), s.lab().digest());
    assert_eq!(copy.frame.t, 900 * MS);
    assert_eq!(copy.view.link, s.view.link);
}

#[test]
fn scenarios_load_rewound_with_their_actions_recorded() {
    let s = LabState::from_query("?sc=partitioned_leader_cannot_commit");
    assert!(s.ui.alert.is_none(), "{:?}", s.ui.alert);
    assert_eq!(s.frame.t, 0);
    assert!(s.horizon > 0);
    assert_eq!(s.view.horizon, s.horizon);
    assert!(!s.lab().interventions().is_empty());
    assert_eq!(
        s.ui.scenario.map(|b| b.name),
        Some("partitioned_leader_cannot_commit")
    );
    let missing = LabState::from_query("?sc=nope");
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
    let copy = LabState::from_query(&format!("?{}", s.link()));
    assert!(copy.ui.alert.is_none(), "{:?}", copy.ui.alert);
    assert!(copy.ui.metrics);
    assert_eq!(copy.view.link, s.view.link);
    let closed = LabState::from_query(&format!("?{}", s.link().replace("&panel=metrics", "")));
    assert!(!closed.ui.metrics && closed.ui.alert.is_none());
}
