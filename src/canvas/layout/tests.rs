//! Native tests of the layout: geometry, styles and hit testing on hand-built frames.

use super::messages::LABEL_LIMIT;
use super::*;
use crate::canvas::shapes::MsgStyle;
use quorum_engine::lab::{MsgFrame, FADE};
use quorum_engine::model::view::{MsgLook, NodeDetail};
use quorum_engine::sim::net::NetConfig;

const W: f64 = 800.0;
const H: f64 = 600.0;

fn opts() -> ViewOptions {
    ViewOptions {
        width: W,
        height: H,
        ..ViewOptions::default()
    }
}

fn node(id: NodeId) -> NodeFrame {
    NodeFrame {
        id,
        up: true,
        role: "follower".into(),
        epoch_name: "term".into(),
        epoch: 2,
        timer: None,
        drift: 1000,
        detail: Some(NodeDetail::default()),
    }
}

fn frame(n: u32) -> Frame {
    Frame {
        t: 1_000,
        nodes: (1..=n).map(node).collect(),
        messages: Vec::new(),
        groups: vec![(1..=n).collect()],
        cuts: Vec::new(),
        net: NetConfig::default(),
    }
}

fn msg(id: MsgId, from: Addr, to: Addr, look: MsgLook) -> MsgFrame {
    MsgFrame {
        id,
        from,
        to,
        sent_at: 1_000,
        deliver_at: 2_000,
        died_at: None,
        doomed: false,
        look,
    }
}

fn dist(a: (f64, f64), b: (f64, f64)) -> f64 {
    (a.0 - b.0).hypot(a.1 - b.1)
}

fn at(scene: &Scene, id: MsgId) -> (f64, f64) {
    let m = scene
        .messages
        .iter()
        .find(|m| m.id == id)
        .expect("message laid out");
    (m.x, m.y)
}

fn centre(scene: &Scene, id: NodeId) -> (f64, f64) {
    scene.node_center(id).expect("node laid out")
}

fn assert_on_ring_inside_and_apart(s: &Scene, w: f64, h: f64) {
    let r = s.node_r;
    for (i, n) in s.nodes.iter().enumerate() {
        assert!(
            (dist((n.x, n.y), s.center) - s.ring_r).abs() < 1e-6,
            "node {} off the ring",
            n.id
        );
        assert!(
            n.x - r >= 0.0 && n.x + r <= w && n.y - r >= 0.0 && n.y + r <= h,
            "node {} outside",
            n.id
        );
        for m in &s.nodes[i + 1..] {
            assert!(
                dist((n.x, n.y), (m.x, m.y)) > 2.0 * r,
                "nodes {} and {} overlap",
                n.id,
                m.id
            );
        }
    }
}

#[test]
fn nodes_sit_apart_on_a_circle_inside_the_canvas_for_every_size() {
    for n in 2..=9 {
        for (w, h) in [(W, H), (320.0, 240.0), (1920.0, 1080.0), (400.0, 900.0)] {
            let s = layout(
                &frame(n),
                &ViewOptions {
                    width: w,
                    height: h,
                    ..opts()
                },
            );
            assert_eq!(s.nodes.len(), n as usize);
            assert_on_ring_inside_and_apart(&s, w, h);
            let bottom = s.nodes.iter().map(|n| n.y).fold(0.0, f64::max);
            assert!(
                bottom + s.node_r * 2.2 <= h,
                "labels of the bottom node leave the canvas"
            );
        }
    }
}

#[test]
fn nodes_go_clockwise_by_id_from_the_top_whatever_the_frame_order() {
    let mut f = frame(5);
    f.nodes.reverse();
    let s = layout(&f, &opts());
    let ids: Vec<NodeId> = s.nodes.iter().map(|n| n.id).collect();
    assert_eq!(ids, [1, 2, 3, 4, 5]);
    let top = centre(&s, 1);
    assert!(
        (top.0 - W / 2.0).abs() < 1e-6 && top.1 < H / 2.0,
        "node 1 is at the top"
    );
    let angles: Vec<f64> = s
        .nodes
        .iter()
        .map(|n| {
            (n.y - s.center.1)
                .atan2(n.x - s.center.0)
                .rem_euclid(std::f64::consts::TAU)
        })
        .collect();
    let from_top: Vec<f64> = angles
        .iter()
        .map(|a| (a - angles[0]).rem_euclid(std::f64::consts::TAU))
        .collect();
    assert!(
        from_top.windows(2).all(|w| w[0] < w[1]),
        "clockwise by id: {from_top:?}"
    );
}

#[test]
fn a_message_leaves_its_sender_and_reaches_its_receiver_along_the_link() {
    let mut f = frame(5);
    f.messages.push(msg(
        7,
        Addr::Node(1),
        Addr::Node(3),
        MsgLook::request("AE 1"),
    ));
    let (a, b) = (1_000, 2_000);
    let place = |t| {
        let s = layout(&Frame { t, ..f.clone() }, &opts());
        (at(&s, 7), centre(&s, 1), centre(&s, 3), s.node_r)
    };
    let (start, n1, n3, r) = place(a);
    assert!(
        (dist(start, n1) - r).abs() < 1e-6,
        "starts on the sender's rim"
    );
    let (end, ..) = place(b);
    assert!(
        (dist(end, n3) - r).abs() < 1e-6,
        "ends on the receiver's rim"
    );
    let (mid, ..) = place((a + b) / 2);
    let halfway = ((n1.0 + n3.0) / 2.0, (n1.1 + n3.1) / 2.0);
    assert!(
        dist(mid, halfway) <= BEND * dist(n1, n3) / 2.0 + 1.0,
        "halfway, give or take the bend"
    );
    assert!(
        (dist(mid, n1) - dist(mid, n3)).abs() < 1.0,
        "equally far from both ends"
    );
    assert!(
        dist(mid, halfway) > 1.0,
        "the lane bends off the straight line"
    );
}

#[test]
fn the_two_directions_of_a_link_fly_on_separate_lanes() {
    let mut f = frame(3);
    f.t = 1_500;
    f.messages.push(msg(
        1,
        Addr::Node(1),
        Addr::Node(2),
        MsgLook::request("vote"),
    ));
    f.messages.push(msg(
        2,
        Addr::Node(2),
        Addr::Node(1),
        MsgLook::request("vote"),
    ));
    let s = layout(&f, &opts());
    assert!(
        dist(at(&s, 1), at(&s, 2)) > 2.0 * s.messages[0].size,
        "they do not overlap"
    );
}

#[test]
fn client_messages_fly_between_the_hub_and_the_node() {
    let mut f = frame(5);
    f.messages.push(msg(
        1,
        Addr::Client(1),
        Addr::Node(2),
        MsgLook::request("request"),
    ));
    let s = layout(&f, &opts());
    assert!(
        (dist(at(&s, 1), (s.hub.x, s.hub.y)) - s.hub.r).abs() < 1e-6,
        "starts on the hub"
    );
    assert_eq!((s.hub.x, s.hub.y), s.center);
    let s = layout(&Frame { t: 2_000, ..f }, &opts());
    assert!(
        (dist(at(&s, 1), centre(&s, 2)) - s.node_r).abs() < 1e-6,
        "arrives at the node"
    );
}

#[test]
fn hit_test_finds_a_node_at_its_centre_and_nothing_far_away() {
    let s = layout(&frame(5), &opts());
    for n in &s.nodes {
        assert_eq!(hit_test(&s, n.x, n.y), Some(Hit::Node(n.id)));
        assert_eq!(
            hit_test(&s, n.x + s.node_r * 0.9, n.y),
            Some(Hit::Node(n.id))
        );
    }
    assert_eq!(hit_test(&s, 2.0, 2.0), None);
    assert_eq!(hit_test(&s, s.hub.x + s.node_r * 2.0, s.hub.y), None);
}

#[test]
fn a_message_wins_over_the_node_underneath_and_is_easy_to_hit() {
    let mut f = frame(5);
    f.messages.push(msg(
        9,
        Addr::Node(2),
        Addr::Node(4),
        MsgLook {
            light: true,
            ..MsgLook::request("hb")
        },
    ));
    let s = layout(&f, &opts());
    let (x, y) = at(&s, 9);
    assert!(
        dist((x, y), centre(&s, 2)) <= s.node_r + 1e-6,
        "the message is over its sender"
    );
    assert_eq!(hit_test(&s, x, y), Some(Hit::Message(9)));
    assert_eq!(
        hit_test(&s, x + 7.0, y - 7.0),
        Some(Hit::Message(9)),
        "hit within 10 px"
    );
}

#[test]
fn the_nearest_of_two_close_messages_is_hit() {
    let mut f = frame(5);
    f.messages
        .push(msg(1, Addr::Node(1), Addr::Node(3), MsgLook::request("a")));
    f.messages.push(MsgFrame {
        sent_at: 900,
        ..msg(2, Addr::Node(1), Addr::Node(3), MsgLook::request("b"))
    });
    f.t = 1_500;
    let s = layout(&f, &opts());
    let (a, b) = (at(&s, 1), at(&s, 2));
    assert!(dist(a, b) < 2.0 * MSG_HIT_MIN, "close enough to compete");
    assert_eq!(hit_test(&s, a.0, a.1), Some(Hit::Message(1)));
    assert_eq!(hit_test(&s, b.0, b.1), Some(Hit::Message(2)));
}

#[test]
fn a_partition_draws_a_region_per_group_and_none_when_healed() {
    let mut f = frame(5);
    let healed = layout(&f, &opts());
    assert!(
        healed.regions.is_empty() && healed.walls.is_empty(),
        "one group: no regions"
    );
    f.groups = vec![vec![1, 2, 5], vec![3, 4]];
    let s = layout(&f, &opts());
    assert_eq!(s.regions.len(), 2);
    let (big, small) = (&s.regions[0], &s.regions[1]);
    assert_eq!(
        big.members,
        [5, 1, 2],
        "one band across the top of the ring"
    );
    let spine = [centre(&s, 5), centre(&s, 1), centre(&s, 2)];
    assert_eq!(big.bands, [spine.to_vec()]);
    assert!(big.majority && big.label == "majority 3/5: n1 n2 n5");
    assert!(!small.majority && small.label == "minority 2/5: n3 n4");
    assert_eq!(small.members, [3, 4]);
    assert!(big.half_width > s.node_r, "the band covers its nodes");
    assert!(
        small.label_at.1 > big.label_at.1,
        "one legend line under the other"
    );
}

#[test]
fn cut_lines_cross_the_ring_between_neighbours_of_different_groups() {
    let mut f = frame(6);
    f.groups = vec![vec![1, 2, 3], vec![4, 5, 6]];
    let s = layout(&f, &opts());
    assert_eq!(s.walls.len(), 2, "between 3 and 4, and between 6 and 1");
    for w in &s.walls {
        let (inner, outer) = (dist(w.from, s.center), dist(w.to, s.center));
        assert!(
            inner < s.ring_r && outer > s.ring_r,
            "the line crosses the ring"
        );
        let mid = ((w.from.0 + w.to.0) / 2.0, (w.from.1 + w.to.1) / 2.0);
        let gaps: Vec<f64> = s.nodes.iter().map(|n| dist(mid, (n.x, n.y))).collect();
        let nearest = gaps.iter().cloned().fold(f64::MAX, f64::min);
        assert!(
            nearest > s.node_r * 1.5,
            "the line runs through a gap, not a node"
        );
    }
    let (n6, n1) = (centre(&s, 6), centre(&s, 1));
    assert!(
        s.walls
            .iter()
            .any(|w| (dist(w.to, n6) - dist(w.to, n1)).abs() < 1e-6),
        "one between 6 and 1"
    );
}

#[test]
fn interleaved_groups_get_one_band_per_run_of_neighbours() {
    let mut f = frame(7);
    f.groups = vec![vec![1, 3, 5], vec![2, 4], vec![6, 7]];
    let s = layout(&f, &opts());
    let bands: Vec<usize> = s.regions.iter().map(|r| r.bands.len()).collect();
    assert_eq!(bands, [3, 2, 1]);
    assert_eq!(s.regions[2].bands[0], [centre(&s, 6), centre(&s, 7)]);
    assert_eq!(s.walls.len(), 6, "every neighbour pair but 6-7 is split");
    let wrapping = layout(
        &Frame {
            groups: vec![vec![1, 7], vec![2, 3, 4, 5, 6]],
            ..f
        },
        &opts(),
    );
    assert_eq!(
        wrapping.regions[0].members,
        [7, 1],
        "a group across the top is one band"
    );
    assert_eq!(wrapping.regions[0].bands.len(), 1);
}

#[test]
fn an_isolated_node_gets_its_own_region() {
    let mut f = frame(3);
    f.groups = vec![vec![1, 3], vec![2]];
    let s = layout(&f, &opts());
    assert_eq!(s.regions[1].bands, [vec![centre(&s, 2)]]);
    assert_eq!(s.regions[0].members, [3, 1]);
}

#[test]
fn message_labels_never_overlap_but_the_selected_one_stays() {
    let mut f = frame(3);
    for i in 0..6 {
        let sent = 1_000 - i * 60;
        f.messages.push(MsgFrame {
            sent_at: sent,
            ..msg(
                i,
                Addr::Node(1),
                Addr::Node(2),
                MsgLook::request("AppendEntries"),
            )
        });
    }
    f.t = 1_400;
    let s = layout(
        &f,
        &ViewOptions {
            selected_msg: Some(5),
            ..opts()
        },
    );
    let labelled: Vec<MsgId> = s
        .messages
        .iter()
        .filter(|m| m.label.is_some())
        .map(|m| m.id)
        .collect();
    assert!(
        labelled.contains(&5),
        "the selected message keeps its label"
    );
    assert!(
        (2..6).contains(&labelled.len()),
        "crowded labels are dropped, others kept: {labelled:?}"
    );
    let rects: Vec<[f64; 4]> = s
        .messages
        .iter()
        .filter(|m| m.label.is_some())
        .map(|m| {
            let (x, y) = m.label_at();
            [
                x,
                y - s.fonts.small_px,
                x + 13.0 * s.fonts.small_px * 0.6,
                y,
            ]
        })
        .collect();
    for (i, a) in rects.iter().enumerate() {
        for b in &rects[i + 1..] {
            let apart = a[2] <= b[0] || b[2] <= a[0] || a[3] <= b[1] || b[3] <= a[1];
            assert!(apart, "labels {a:?} and {b:?} overlap");
        }
        let inside = |n: &&NodeShape| {
            a[0] < n.x + s.node_r
                && n.x - s.node_r < a[2]
                && a[1] < n.y + s.node_r
                && n.y - s.node_r < a[3]
        };
        assert!(
            s.nodes.iter().find(inside).is_none(),
            "label {a:?} covers a node"
        );
    }
}

#[test]
fn a_one_way_cut_is_an_arrow_from_sender_to_receiver() {
    let mut f = frame(5);
    f.cuts = vec![(2, 4)];
    let s = layout(&f, &opts());
    assert_eq!(s.cuts.len(), 1);
    let c = s.cuts[0].curve;
    assert!((dist((c.x0, c.y0), centre(&s, 2)) - s.node_r).abs() < 1e-6);
    assert!((dist((c.x1, c.y1), centre(&s, 4)) - s.node_r).abs() < 1e-6);
    assert!(s.regions.is_empty(), "a cut alone is not a partition");
}

#[test]
fn a_crashed_node_is_drawn_down_without_timer_or_votes() {
    let mut f = frame(3);
    f.nodes[1] = NodeFrame {
        up: false,
        role: "down".into(),
        timer: Some((0, 5_000)),
        detail: None,
        ..node(2)
    };
    let s = layout(&f, &opts());
    let n2 = s.node(2).expect("laid out");
    assert!(n2.down() && n2.role == Role::Down);
    assert_eq!(n2.role.letter(), '\u{2715}');
    assert_eq!((n2.timer_left, n2.votes), (None, None));
    assert_eq!(n2.epoch_text, "term 2", "last known term");
    assert!(!s.node(1).expect("laid out").down());
}

#[test]
fn a_candidate_shows_votes_of_quorum_and_a_draining_timer() {
    let mut f = frame(5);
    f.t = 3_000;
    let detail = NodeDetail {
        votes: vec![1, 3],
        quorum: 3,
        ..NodeDetail::default()
    };
    f.nodes[0] = NodeFrame {
        role: "candidate".into(),
        timer: Some((2_000, 6_000)),
        detail: Some(detail),
        ..node(1)
    };
    f.nodes[1].timer = Some((0, 2_000));
    let s = layout(&f, &opts());
    let n1 = s.node(1).expect("laid out");
    assert_eq!(n1.role, Role::Candidate);
    assert_eq!(n1.votes, Some((2, 3)));
    assert_eq!(n1.timer_left, Some(0.75));
    assert_eq!(
        s.node(2).expect("laid out").timer_left,
        Some(0.0),
        "overdue timers are empty"
    );
    assert_eq!(
        s.node(2).expect("laid out").votes,
        None,
        "followers show no votes"
    );
}

#[test]
fn roles_map_to_letters() {
    let letters: String = [
        "follower",
        "pre-candidate",
        "candidate",
        "leader",
        "acceptor",
    ]
    .iter()
    .map(|r| Role::from_name(r, true).letter())
    .collect();
    assert_eq!(letters, "FPCLA");
    assert_eq!(Role::from_name("leader", false), Role::Down);
    let shadow = Role::from_name("shadow", true).letter();
    assert_ne!(
        Role::from_name("spare", true).letter(),
        shadow,
        "a spare is not a shadow"
    );
}

#[test]
fn drifting_clocks_get_a_multiplier_badge() {
    let mut f = frame(4);
    for (n, rate) in f.nodes.iter_mut().zip([1500, 500, 1250, 2000]) {
        n.drift = rate;
    }
    f.nodes.push(node(5));
    let s = layout(&f, &opts());
    let badges: Vec<Option<&str>> = s.nodes.iter().map(|n| n.drift.as_deref()).collect();
    assert_eq!(
        badges,
        [
            Some("\u{d7}1.5"),
            Some("\u{d7}0.5"),
            Some("\u{d7}1.25"),
            Some("\u{d7}2"),
            None
        ]
    );
}

#[test]
fn message_styles_follow_their_look() {
    let looks = [
        MsgLook::request("AE 1"),
        MsgLook {
            reply: true,
            ..MsgLook::request("reply")
        },
        MsgLook {
            light: true,
            ..MsgLook::request("hb")
        },
        MsgLook {
            light: true,
            reply: true,
            verdict: Some(true),
            ..MsgLook::request("ack")
        },
        MsgLook {
            reply: true,
            verdict: Some(true),
            ..MsgLook::request("vote")
        },
        MsgLook {
            reply: true,
            verdict: Some(false),
            ..MsgLook::request("vote")
        },
    ];
    let mut f = frame(3);
    f.t = 1_500;
    for (i, look) in looks.into_iter().enumerate() {
        f.messages
            .push(msg(i as MsgId, Addr::Node(1), Addr::Node(2), look));
    }
    let s = layout(&f, &opts());
    let styles: Vec<MsgStyle> = s.messages.iter().map(|m| m.style).collect();
    use MsgStyle::*;
    assert_eq!(
        styles,
        [Request, Reply, Heartbeat, LightReply, Granted, Refused]
    );
    assert!(
        s.messages[2].size < s.messages[0].size,
        "heartbeats are smaller"
    );
    assert_eq!(s.messages[2].label, None, "heartbeats are not labelled");
    assert_eq!(s.label(&s.messages[0]), Some("AE 1"));
    assert_eq!(s.labels, ["AE 1", "reply", "vote"], "labels are shared");
}

#[test]
fn a_lost_message_fades_where_it_died() {
    let mut f = frame(3);
    f.messages.push(MsgFrame {
        died_at: Some(1_500),
        ..msg(1, Addr::Node(1), Addr::Node(2), MsgLook::request("AE 1"))
    });
    f.t = 1_500 + FADE / 4;
    let s = layout(&f, &opts());
    let m = &s.messages[0];
    assert_eq!(m.fade, Some(0.25));
    assert!((m.alpha() - 0.75).abs() < 1e-9);
    assert_eq!(m.label, None);
    let later = layout(
        &Frame {
            t: 1_500 + FADE,
            ..f.clone()
        },
        &opts(),
    );
    assert_eq!(
        (later.messages[0].x, later.messages[0].y),
        (m.x, m.y),
        "it stays where it died"
    );
    assert_eq!(later.messages[0].alpha(), 0.0);
}

#[test]
fn crowded_or_compact_canvases_keep_only_the_selected_label() {
    let mut f = frame(5);
    for i in 0..(LABEL_LIMIT as MsgId + 10) {
        let (from, to) = (i as NodeId % 5 + 1, (i as NodeId + 1) % 5 + 1);
        let look = MsgLook::request(format!("AE {}", i % 3));
        f.messages
            .push(msg(i, Addr::Node(from), Addr::Node(to), look));
    }
    let selected = ViewOptions {
        selected_msg: Some(3),
        ..opts()
    };
    let s = layout(&f, &selected);
    let labelled: Vec<MsgId> = s
        .messages
        .iter()
        .filter(|m| m.label.is_some())
        .map(|m| m.id)
        .collect();
    assert_eq!(labelled, [3]);
    assert_eq!(s.labels.len(), 3, "labels are interned");
    f.messages.truncate(5);
    f.t = 1_500;
    let compact = layout(
        &f,
        &ViewOptions {
            compact: true,
            ..selected
        },
    );
    let labelled: Vec<MsgId> = compact
        .messages
        .iter()
        .filter(|m| m.label.is_some())
        .map(|m| m.id)
        .collect();
    assert_eq!(labelled, [3]);
    let look = MsgLook::request("AE 1");
    let lone = Frame {
        messages: vec![msg(9, Addr::Node(1), Addr::Node(3), look)],
        ..f
    };
    let roomy = layout(&lone, &opts());
    assert!(
        roomy.messages[0].label.is_some(),
        "a quiet canvas labels it"
    );
    let compact = layout(
        &lone,
        &ViewOptions {
            compact: true,
            ..opts()
        },
    );
    assert_eq!(compact.messages[0].label, None, "compact mode does not");
}

#[test]
fn selection_hover_and_picks_mark_their_shapes() {
    let mut f = frame(5);
    f.messages
        .push(msg(4, Addr::Node(1), Addr::Node(2), MsgLook::request("x")));
    let o = ViewOptions {
        selected_node: Some(2),
        hovered: Some(Hit::Message(4)),
        picked: vec![3, 5],
        ..opts()
    };
    let s = layout(&f, &o);
    let flags: Vec<(bool, bool, bool)> = s
        .nodes
        .iter()
        .map(|n| (n.selected, n.hovered, n.picked))
        .collect();
    let (no, sel, pick) = (
        (false, false, false),
        (true, false, false),
        (false, false, true),
    );
    assert_eq!(flags, [no, sel, pick, no, pick]);
    assert!(s.messages[0].hovered && !s.messages[0].selected);
    let hovered_node = layout(
        &f,
        &ViewOptions {
            hovered: Some(Hit::Node(1)),
            ..opts()
        },
    );
    assert!(hovered_node.nodes[0].hovered);
}

#[test]
fn node_centres_are_reported_for_present_nodes_only() {
    let s = layout(&frame(3), &opts());
    assert!(s.node_center(3).is_some());
    assert_eq!(s.node_center(4), None);
    assert_eq!(Scene::default().node_center(1), None);
    assert_eq!(hit_test(&Scene::default(), 0.0, 0.0), None);
}
