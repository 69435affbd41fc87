use crate::i18n::Lang;
use quorum_engine::lab::{new_lab, Setup};
use quorum_engine::sim::action::Action;

use super::*;

/// A default Raft run (5 nodes, clients) played to `t`, with node 1 crashed at 300 ms, and its
/// diagram.
fn run(t: Micros) -> (SpaceTime, Vec<Down>) {
    let mut lab = new_lab(&Setup::default()).expect("default lab");
    lab.run_until(300 * MS);
    lab.intervene(Action::Crash(1));
    lab.run_until(t);
    let mut space = SpaceTime::new(5);
    lab.diagram(&mut space);
    let downs: Vec<Down> = space
        .down()
        .into_iter()
        .map(|(n, from, to)| Down {
            lane: Addr::Node(n),
            from: (from, 0),
            to: to.map(|t| (t, 0)),
        })
        .collect();
    (space, downs)
}

fn window<'a>(
    space: &'a SpaceTime,
    downs: &'a [Down],
    ui: &'a DiagramUi,
    now: Micros,
) -> Window<'a> {
    Window {
        space,
        downs,
        ui,
        hover: None,
        now,
        lang: Lang::En,
    }
}

#[test]
fn messages_run_down_from_send_to_delivery_and_the_present_is_near_the_bottom() {
    let (space, downs) = run(SEC);
    let ui = DiagramUi::default();
    let s = layout(&window(&space, &downs, &ui, SEC), 600.0, 400.0);
    assert!(space.lanes().len() > 5, "client lanes follow the nodes");
    assert_eq!(s.lanes.len(), space.lanes().len());
    assert_eq!(s.lanes[0].name, "n1");
    assert!(!s.arrows.is_empty());
    let t0 = SEC - ui.span * 85 / 100;
    let expected = space.arrows_between(t0, SEC + ui.span).count();
    assert_eq!(
        s.arrows.len(),
        expected,
        "only the window's arrows are laid out"
    );
    for a in s.arrows.iter().filter(|a| !a.lost && !a.flying) {
        assert!(a.to.1 >= a.from.1, "time runs downwards");
    }
    assert!((s.cursor - (TOP + (400.0 - TOP - BOTTOM) * CURSOR_SHARE)).abs() < 0.5);
    assert_eq!(s.time_at(s.cursor), Some(SEC));
    assert!(s.ticks.iter().all(|t| t.y >= TOP - 1.0 && t.y <= 400.0));
    let crash = s.spans.iter().find(|d| d.x == Some(s.lanes[0].x));
    assert!(crash.is_some(), "node 1's lane is greyed while it is down");
}

#[test]
fn a_click_on_an_item_gives_its_moment_and_its_client_operation() {
    let (space, downs) = run(SEC);
    let ui = DiagramUi::default();
    let s = layout(&window(&space, &downs, &ui, SEC), 600.0, 400.0);
    let request = s
        .arrows
        .iter()
        .find(|a| a.style == Style::Request && !a.flying)
        .expect("a client request in the window");
    let arrow = &space.arrows()[request.index];
    let hit = s.hit(&space, request.from.0, request.from.1).expect("hit");
    assert_eq!(hit.t(), arrow.sent);
    assert_eq!(hit.root(), arrow.root);
    assert!(hit.root().is_some());
    let words = hit.describe(&space, Lang::En);
    assert!(words.contains("op") && words.contains(" at "), "{words}");
    assert_eq!(s.hit(&space, 1.0, 399.0), None);
}

#[test]
fn filters_hide_types_and_lanes_and_a_focus_dims_the_rest() {
    let (space, downs) = run(SEC);
    let mut ui = DiagramUi::default();
    let all = layout(&window(&space, &downs, &ui, SEC), 600.0, 400.0);
    ui.hidden_types.push("request".into());
    ui.hidden_lanes.push(Addr::Node(2));
    let some = layout(&window(&space, &downs, &ui, SEC), 600.0, 400.0);
    assert!(some.arrows.len() < all.arrows.len());
    assert!(some.arrows.iter().all(|a| a.style != Style::Request));
    assert!(some.lanes.iter().all(|l| l.lane != Addr::Node(2)));
    let root = space.arrows().iter().rev().find_map(|a| a.root);
    ui.focus = root;
    let lit = layout(&window(&space, &downs, &ui, SEC), 600.0, 400.0);
    assert!(lit.arrows.iter().all(|a| a.lit != Lit::Plain));
}

#[test]
fn the_causal_layout_never_points_backwards() {
    let (space, downs) = run(2 * SEC);
    let ui = DiagramUi {
        causal: true,
        ..DiagramUi::default()
    };
    let s = layout(&window(&space, &downs, &ui, 2 * SEC), 600.0, 400.0);
    assert!(s.causal && s.ticks.is_empty());
    let delivered: Vec<_> = s.arrows.iter().filter(|a| !a.lost && !a.flying).collect();
    assert!(!delivered.is_empty());
    assert!(delivered.iter().all(|a| a.to.1 > a.from.1));
    assert!(s.arrows.len() < space.arrows().len(), "culled");
    assert_eq!(s.time_at(100.0), None);
}

#[test]
fn role_changes_read_like_the_rings_letters() {
    assert_eq!(role_text("leader term=2"), "L t2");
    assert_eq!(role_text("primary epoch=12"), "P e12");
    assert_eq!(role_text("follower"), "F");
}
