//! The API's read-only answers (`state()`, `link()`, `frameStats()`, `messagePosition(id)`),
//! from the current state and the canvas as last drawn.

use quorum_engine::lab::NodeFrame;
use serde_json::{json, Value};

use super::{share_url, Call};
use crate::anim::Drawn;
use crate::state::LabState;

/// The answer to a read-only call.
pub fn answer(s: &LabState, drawn: &Drawn, call: &Call, base_url: &dyn Fn() -> String) -> Value {
    match call {
        Call::State if s.compare.is_some() => compare_state(s, drawn),
        Call::State => state(s, drawn),
        Call::Link => Value::String(share_url(&base_url(), &s.link())),
        Call::MessagePosition(id) => drawn
            .message_position(*id)
            .map_or(Value::Null, |(x, y)| json!({"x": x, "y": y})),
        _ => frame_stats(s, drawn),
    }
}

/// `state()`: time, seed, protocol, nodes (with canvas centres), messages in flight, violations,
/// partition groups, cuts, the world digest, playback and the scenario.
fn state(s: &LabState, drawn: &Drawn) -> Value {
    let (frame, ui) = (&s.frame, &s.ui);
    let nodes: Vec<Value> = frame
        .nodes
        .iter()
        .map(|n| node(n, drawn.node_center(n.id)))
        .collect();
    let messages: Vec<Value> = frame
        .messages
        .iter()
        .filter(|m| m.died_at.is_none())
        .map(|m| {
            json!({"id": m.id, "from": m.from.to_string(), "to": m.to.to_string(), "label": m.look.label.clone()})
        })
        .collect();
    let groups: Vec<Value> = frame.groups.iter().map(|g| g.clone().into()).collect();
    let cuts: Vec<Value> = frame
        .cuts
        .iter()
        .map(|(a, b)| vec![*a, *b].into())
        .collect();
    let lab = s.lab();
    json!({"t": frame.t, "seed": ui.config.seed, "protocol": ui.config.protocol, "nodes": nodes, "in_flight": messages.len(), "messages": messages, "violations": violations(s), "groups": groups, "cuts": cuts, "hash": format!("{:016x}", lab.digest()), "playing": ui.playing, "speed": ui.speed, "scenario": ui.scenario.map(|s| s.name)})
}

/// `state()` in the compare view: the cursor, playback, the protocols, each run (`protocol`,
/// `hash`, `leader`, `nodes` as in the single lab's state), the digests joined as `hash`, and
/// the first divergence's time (`null` while there is none).
fn compare_state(s: &LabState, drawn: &Drawn) -> Value {
    let Some(c) = &s.compare else {
        return Value::Null;
    };
    let run = c.run();
    let mut hash = Vec::new();
    let mut lanes = Vec::new();
    for (i, (lane, frame)) in run.lanes().iter().zip(c.frames.iter()).enumerate() {
        let digest = format!("{:016x}", lane.lab.digest());
        let nodes: Vec<Value> = frame
            .nodes
            .iter()
            .map(|n| node(n, drawn.lane_node_center(i, n.id)))
            .collect();
        lanes.push(json!({"protocol": lane.protocol, "hash": digest, "leader": lane.lab.leader(), "nodes": nodes}));
        hash.push(digest);
    }
    let divergence = run.divergence().map(|d| d.at);
    json!({"compare": true, "t": run.now(), "lanes": lanes, "hash": hash.join(","), "divergence": divergence, "hits": c.hits(s.ui.lang), "playing": s.ui.playing})
}

fn violations(s: &LabState) -> Vec<Value> {
    s.lab()
        .invariants()
        .into_iter()
        .filter_map(|i| {
            let (t, d) = i.violated?;
            Some(json!({"invariant": i.name, "t": t, "detail": d}))
        })
        .collect()
}

fn node(n: &NodeFrame, center: Option<(f64, f64)>) -> Value {
    let (x, y) = center.unwrap_or((0.0, 0.0));
    json!({"id": n.id, "role": n.role.clone(), "term": n.epoch, "up": n.up, "x": x, "y": y, "log": n.detail.as_ref().map_or(0, |d| d.log.len())})
}

/// `frameStats()`: the frame-time probe's figures, and apart those of the panel refreshes while
/// playing (the reducer's view and Yew's render, which follow a frame's work every 120 ms).
fn frame_stats(s: &LabState, drawn: &Drawn) -> Value {
    let (stats, refreshes) = (drawn.stats.borrow(), drawn.refreshes.borrow());
    let in_flight = match &s.compare {
        Some(c) => c
            .run()
            .lanes()
            .iter()
            .map(|l| l.lab.in_flight_count())
            .sum(),
        None => s.lab().in_flight_count(),
    };
    json!({"frames": stats.frames, "p50_ms": stats.percentile(50.0), "p95_ms": stats.percentile(95.0), "max_ms": stats.percentile(100.0), "in_flight": in_flight,
        "refreshes": refreshes.frames, "refresh_p50_ms": refreshes.percentile(50.0), "refresh_p95_ms": refreshes.percentile(95.0), "refresh_max_ms": refreshes.percentile(100.0)})
}
