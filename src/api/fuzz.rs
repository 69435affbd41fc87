//! Random API calls and `postMessage` requests, as a careless or hostile page would send them:
//! every one must be answered (an error saying why, or a result), never a panic. Deterministic
//! from its seed; `API_FUZZ_ITERS` sets the number of calls (2,000 by default).

use std::cell::RefCell;

use quorum_engine::lab::Setup;
use quorum_engine::model::rng::Rng;
use serde_json::{json, Map, Value};

use super::*;
use crate::state::LabState;

/// The longest seek a fuzzed call may run (a seek far ahead would make the test slow, not wrong).
const SEEK_LIMIT: Micros = 2_000_000;

fn iterations() -> u64 {
    std::env::var("API_FUZZ_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000)
}

/// A random JSON value of at most `depth` levels, biased to the shapes the API reads.
fn value(rng: &mut Rng, depth: u32) -> Value {
    let numbers = [
        json!(0),
        json!(1),
        json!(3),
        json!(9),
        json!(10),
        json!(-1),
        json!(0.5),
        json!(1e300),
        json!(u64::MAX),
        json!(9_007_199_254_740_993_u64),
        json!(300_000),
    ];
    let strings = [
        "",
        "to 3 put 1 1",
        "put 1",
        "get x",
        "cas 1 none 5",
        "?v=1&p=raft&n=3&t=0",
        "?v=9",
        "first_election",
        "nope",
        "\u{0}",
        "é",
        "v=1&cmp=raft,paxos&t=0",
    ];
    match rng.below(if depth == 0 { 4 } else { 6 }) {
        0 => numbers[rng.below(numbers.len() as u64) as usize].clone(),
        1 => json!(strings[rng.below(strings.len() as u64) as usize]),
        2 => json!(rng.below(2) == 0),
        3 => Value::Null,
        4 => Value::Array((0..rng.below(4)).map(|_| value(rng, depth - 1)).collect()),
        _ => {
            let keys = ["type", "id", "verb", "args", "x"];
            let map: Map<String, Value> = (0..rng.below(4))
                .map(|_| {
                    let k = keys[rng.below(keys.len() as u64) as usize];
                    (k.to_string(), value(rng, depth - 1))
                })
                .collect();
            Value::Object(map)
        }
    }
}

fn verb(rng: &mut Rng) -> String {
    match rng.below(8) {
        0 => "destroy".into(),
        1 => String::new(),
        2 => "STATE".into(),
        _ => VERBS[rng.below(VERBS.len() as u64) as usize].into(),
    }
}

/// Whether running `call` natively would only be slow (a seek or link far into the run).
fn too_slow(call: &Call) -> bool {
    match call {
        Call::Seek(t) => *t > SEEK_LIMIT,
        Call::Load(link) => !link.contains("t=0") || link.len() > 60,
        _ => false,
    }
}

#[test]
fn random_calls_are_answered_never_panicking() {
    let s = RefCell::new(LabState::new(Setup::default()).unwrap());
    let drawn = Drawn::default();
    let mut rng = Rng::new(11);
    let (mut accepted, mut refused) = (0, 0);
    for _ in 0..iterations() {
        let (verb, args) = (verb(&mut rng), value(&mut rng, 2));
        let args = args.as_array().cloned().unwrap_or_else(|| vec![args]);
        let nodes = s.read(|s| s.ui.config.nodes);
        match parse_call(&verb, &args, nodes) {
            Err(e) => {
                assert!(!e.trim().is_empty(), "{verb} {args:?}");
                refused += 1;
            }
            Ok(call) if too_slow(&call) => {}
            Ok(call) => {
                if let Err(e) = run(&s, &drawn, call, &|| "https://example.org/".into()) {
                    assert!(!e.trim().is_empty(), "{verb} {args:?}");
                }
                accepted += 1;
            }
        }
    }
    eprintln!("{accepted} calls run, {refused} refused");
    assert!(
        accepted > 50 && refused > 50,
        "{accepted} run, {refused} refused"
    );
}

#[test]
fn random_messages_get_a_reply_or_are_ignored() {
    let mut rng = Rng::new(12);
    for _ in 0..iterations() {
        let mut data = value(&mut rng, 3);
        if rng.below(2) == 0 {
            data = json!({"type": REQUEST_TYPE, "id": value(&mut rng, 1), "verb": verb(&mut rng), "args": value(&mut rng, 2)});
        }
        if let Some((id, request)) = parse_message(&data) {
            let answer = reply(id, request.map(|_| Value::Null));
            assert_eq!(answer.get("type"), Some(&json!(REPLY_TYPE)), "{data}");
        }
    }
}
