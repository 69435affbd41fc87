//! The JavaScript API for embedders and tests: the same verbs on `window.quorumLab` and over
//! `postMessage`.
//!
//! Every call is validated here, in plain Rust over [`serde_json::Value`], before it touches the
//! state: [`parse_call`] turns a verb and its arguments into a [`Call`] or a clear error, and
//! [`run`] performs it: a change as an action to the app's reducer, a question answered from the
//! current state ([`read`]). Nothing received is ever evaluated as code. The wasm glue
//! ([`install`]) only converts between JavaScript values and JSON and posts replies.
//!
//! The contract for embedders is written up in `docs/embedding.md`.

mod glue;
mod read;

use std::collections::BTreeSet;

use quorum_engine::model::kv::KvOp;
use quorum_engine::model::types::{Key, Micros, NodeId, Value as KvValue};
use quorum_engine::sim::action::Action;
use serde_json::{Map, Value};

pub use glue::install;

use crate::anim::Drawn;
use crate::state::{LabAction, Store};

/// Every verb, as named on `window.quorumLab` and in a message's `verb`.
pub const VERBS: [&str; 18] = [
    "state",
    "load",
    "play",
    "pause",
    "step",
    "stepBack",
    "seek",
    "crash",
    "restart",
    "timeout",
    "partition",
    "heal",
    "request",
    "speed",
    "link",
    "frameStats",
    "scenario",
    "messagePosition",
];

/// The `type` of a request message.
pub const REQUEST_TYPE: &str = "quorumLab";
/// The `type` of a reply message.
pub const REPLY_TYPE: &str = "quorumLab:reply";
/// The largest integer a JavaScript number holds exactly (2^53 - 1).
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// One validated API call.
#[derive(Clone, Debug, PartialEq)]
pub enum Call {
    /// `state()`: the state object.
    State,
    /// `messagePosition(id)`: where a message in flight is drawn, `{x, y}` in CSS pixels
    /// relative to the canvas, or `null`.
    MessagePosition(u64),
    /// `load(link)`: open a share link or query string.
    Load(String),
    /// `play()`.
    Play,
    /// `pause()`.
    Pause,
    /// `step()`: one event forward.
    Step,
    /// `stepBack()`: one event back.
    StepBack,
    /// `seek(t)`: move to a simulated time in microseconds.
    Seek(Micros),
    /// `crash(n)`, `restart(n)`, `timeout(n)`, `partition(groups)`, `heal()`, `request(cmd)`.
    Act(Action),
    /// `speed(x)`: simulated seconds per real second.
    Speed(f64),
    /// `link()`: the full share URL.
    Link,
    /// `frameStats()`: the frame-time probe's figures.
    FrameStats,
    /// `scenario(name)`: load a built-in scenario.
    Scenario(String),
}

impl Call {
    /// The reducer action this call performs, or `None` for a read-only call.
    pub fn action(&self) -> Option<LabAction> {
        Some(match self {
            Call::State | Call::Link | Call::FrameStats | Call::MessagePosition(_) => return None,
            Call::Load(link) => LabAction::LoadLink(link.clone()),
            Call::Play => LabAction::Play,
            Call::Pause => LabAction::Pause,
            Call::Step => LabAction::Step,
            Call::StepBack => LabAction::StepBack,
            Call::Seek(t) => LabAction::Seek(*t),
            Call::Act(a) => LabAction::Act(a.clone()),
            Call::Speed(x) => LabAction::Speed(*x),
            Call::Scenario(name) => LabAction::LoadScenario(name.clone()),
        })
    }
}

/// Validates a call: `verb` with its `args` (trailing `undefined`s already dropped), for a lab of
/// `nodes` nodes (node ids are 1 to `nodes`).
pub fn parse_call(verb: &str, args: &[Value], nodes: u32) -> Result<Call, String> {
    match verb {
        "state" | "play" | "pause" | "step" | "stepBack" | "heal" | "link" | "frameStats" => {
            no_args(verb, args)
        }
        _ => one_arg_call(verb, args, nodes),
    }
}

fn no_args(verb: &str, args: &[Value]) -> Result<Call, String> {
    if !args.is_empty() {
        return Err(format!("{verb}() takes no arguments, got {}", args.len()));
    }
    Ok(match verb {
        "state" => Call::State,
        "play" => Call::Play,
        "pause" => Call::Pause,
        "step" => Call::Step,
        "stepBack" => Call::StepBack,
        "heal" => Call::Act(Action::Heal),
        "link" => Call::Link,
        _ => Call::FrameStats,
    })
}

fn one_arg_call(verb: &str, args: &[Value], nodes: u32) -> Result<Call, String> {
    if !VERBS.contains(&verb) {
        return Err(format!(
            "unknown verb {verb:?}; the verbs are {}",
            VERBS.join(", ")
        ));
    }
    let [arg] = args else {
        return Err(format!("{verb}() takes 1 argument, got {}", args.len()));
    };
    Ok(match verb {
        "load" => Call::Load(string_arg(verb, arg, "a share link or query string")?),
        "scenario" => Call::Scenario(string_arg(verb, arg, "a scenario name")?),
        "seek" => Call::Seek(time_arg(arg)?),
        "messagePosition" => Call::MessagePosition(time_arg(arg)?),
        "speed" => Call::Speed(speed_arg(arg)?),
        "crash" => Call::Act(Action::Crash(node_arg(verb, arg, nodes)?)),
        "restart" => Call::Act(Action::Restart(node_arg(verb, arg, nodes)?)),
        "timeout" => Call::Act(Action::Timeout(node_arg(verb, arg, nodes)?)),
        "partition" => Call::Act(Action::Partition(groups_arg(arg, nodes)?)),
        _ => Call::Act(request_arg(arg, nodes)?),
    })
}

/// A short description of a JSON value for error messages.
fn shown(v: &Value) -> String {
    let kind = match v {
        Value::Null => return "null".into(),
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => return "an object".into(),
    };
    let text = v.to_string();
    if text.len() > 40 {
        format!("a {kind}")
    } else {
        format!("{kind} {text}")
    }
}

fn string_arg(verb: &str, arg: &Value, what: &str) -> Result<String, String> {
    arg.as_str()
        .map(str::to_string)
        .ok_or_else(|| format!("{verb}() expects {what} (a string), got {}", shown(arg)))
}

fn time_arg(arg: &Value) -> Result<Micros, String> {
    arg.as_u64()
        .filter(|t| *t <= MAX_SAFE_INTEGER)
        .ok_or_else(|| {
            format!(
                "seek() expects a time in microseconds (a non-negative integer), got {}",
                shown(arg)
            )
        })
}

fn speed_arg(arg: &Value) -> Result<f64, String> {
    arg.as_f64()
        .filter(|x| x.is_finite() && *x > 0.0)
        .ok_or_else(|| {
            format!(
                "speed() expects a positive number (simulated seconds per real second), got {}",
                shown(arg)
            )
        })
}

/// A node id in `1..=nodes`.
fn node_id(arg: &Value, nodes: u32) -> Result<NodeId, String> {
    let id = arg.as_u64().ok_or_else(|| {
        format!(
            "a node id is an integer from 1 to {nodes}, got {}",
            shown(arg)
        )
    })?;
    if id == 0 || id > u64::from(nodes) {
        return Err(format!(
            "there is no node {id}: node ids run from 1 to {nodes}"
        ));
    }
    Ok(id as NodeId)
}

fn node_arg(verb: &str, arg: &Value, nodes: u32) -> Result<NodeId, String> {
    node_id(arg, nodes).map_err(|e| format!("{verb}(): {e}"))
}

fn groups_arg(arg: &Value, nodes: u32) -> Result<Vec<Vec<NodeId>>, String> {
    let usage = "partition() expects an array of arrays of node ids, e.g. [[1,2],[3,4,5]]";
    let groups = arg
        .as_array()
        .filter(|g| !g.is_empty())
        .ok_or_else(|| format!("{usage}, got {}", shown(arg)))?;
    let mut seen = BTreeSet::new();
    let mut out = Vec::with_capacity(groups.len());
    for group in groups {
        let ids = group
            .as_array()
            .filter(|g| !g.is_empty())
            .ok_or_else(|| format!("{usage}; one group is {}", shown(group)))?;
        let ids: Vec<NodeId> = ids
            .iter()
            .map(|id| node_id(id, nodes).map_err(|e| format!("partition(): {e}")))
            .collect::<Result<_, _>>()?;
        if let Some(dup) = ids.iter().find(|id| !seen.insert(**id)) {
            return Err(format!("partition(): node {dup} appears more than once"));
        }
        out.push(ids);
    }
    Ok(out)
}

const REQUEST_USAGE: &str = "request() expects \"put K V\", \"get K\" or \"cas K FROM TO\" \
    (FROM may be \"none\"), optionally prefixed \"to N \", \
    or an object {f, key, value, from, to, node}";

fn request_arg(arg: &Value, nodes: u32) -> Result<Action, String> {
    match arg {
        Value::String(text) => request_text(text, nodes),
        Value::Object(fields) => request_object(fields, nodes),
        other => Err(format!("{REQUEST_USAGE}; got {}", shown(other))),
    }
}

/// `[to N] put K V | get K | cas K FROM TO`: the engine's command grammar
/// ([`KvOp::parse_words`]), as in scenario scripts.
fn request_text(text: &str, nodes: u32) -> Result<Action, String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let (node, op) = match words.as_slice() {
        ["to", n, op @ ..] => (Some(text_node(n, nodes)?), op),
        op => (None, op),
    };
    let op = KvOp::parse_words(op).map_err(|e| {
        if e == quorum_engine::model::kv::OP_USAGE {
            format!("{REQUEST_USAGE}; got {text:?}")
        } else {
            format!("request(): {e}")
        }
    })?;
    Ok(Action::Request { node, op })
}

fn text_node(word: &str, nodes: u32) -> Result<NodeId, String> {
    let id: u64 = word
        .parse()
        .map_err(|_| format!("request(): {word:?} is not a node id (1 to {nodes})"))?;
    node_id(&Value::from(id), nodes).map_err(|e| format!("request(): {e}"))
}

/// `{f, key, value, from, to, node}`.
fn request_object(fields: &Map<String, Value>, nodes: u32) -> Result<Action, String> {
    let f = fields.get("f").and_then(Value::as_str).unwrap_or("");
    let allowed: &[&str] = match f {
        "put" => &["f", "key", "value", "node"],
        "get" => &["f", "key", "node"],
        "cas" => &["f", "key", "from", "to", "node"],
        _ => {
            return Err(format!(
                "request(): \"f\" must be \"put\", \"get\" or \"cas\", got {}",
                shown_field(fields, "f")
            ))
        }
    };
    if let Some(extra) = fields.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(format!(
            "request(): a {f} request has no field {extra:?} (fields: {})",
            allowed.join(", ")
        ));
    }
    let key = object_key(fields)?;
    let op = match f {
        "put" => KvOp::Put {
            key,
            value: object_value(fields, "value")?,
        },
        "get" => KvOp::Get { key },
        _ => KvOp::Cas {
            key,
            from: object_from(fields)?,
            to: object_value(fields, "to")?,
        },
    };
    let node = match fields.get("node") {
        None | Some(Value::Null) => None,
        Some(n) => Some(node_id(n, nodes).map_err(|e| format!("request(): \"node\": {e}"))?),
    };
    Ok(Action::Request { node, op })
}

fn shown_field(fields: &Map<String, Value>, name: &str) -> String {
    fields
        .get(name)
        .map_or_else(|| "nothing".to_string(), shown)
}

fn object_key(fields: &Map<String, Value>) -> Result<Key, String> {
    fields
        .get("key")
        .and_then(Value::as_u64)
        .and_then(|k| Key::try_from(k).ok())
        .ok_or_else(|| {
            format!(
                "request(): \"key\" must be an integer 0 to {}, got {}",
                Key::MAX,
                shown_field(fields, "key")
            )
        })
}

fn object_value(fields: &Map<String, Value>, name: &str) -> Result<KvValue, String> {
    fields.get(name).and_then(Value::as_u64).ok_or_else(|| {
        format!(
            "request(): {name:?} must be a non-negative integer, got {}",
            shown_field(fields, name)
        )
    })
}

/// A cas's expected value: a number, or `null`, `"none"` or absent for "no value yet".
fn object_from(fields: &Map<String, Value>) -> Result<Option<KvValue>, String> {
    match fields.get("from") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s == "none" => Ok(None),
        Some(_) => object_value(fields, "from").map(Some),
    }
}

/// Performs a validated call on `lab`: a mutating call goes to the reducer and returns `null` or
/// the reason it failed; a read-only call answers from the current state and the canvas as last
/// `drawn`. `base_url` gives the page's origin and path, for `link()`.
pub fn run(
    lab: &impl Store,
    drawn: &Drawn,
    call: Call,
    base_url: &dyn Fn() -> String,
) -> Result<Value, String> {
    match call.action() {
        Some(action) => {
            lab.send(action);
            lab.read(|s| s.outcome.clone()).map(|()| Value::Null)
        }
        None => Ok(lab.read(|s| read::answer(s, drawn, &call, base_url))),
    }
}

/// The full share URL: the page's origin and path, `?`, and the link's query string.
pub fn share_url(base_url: &str, query: &str) -> String {
    format!("{base_url}?{query}")
}

/// Makes a result safe for JavaScript: integers beyond 2^53 - 1 (which a JS number cannot hold
/// exactly, e.g. a large seed) become decimal strings.
pub fn js_safe(value: Value) -> Value {
    match value {
        Value::Number(n) if n.as_u64().is_some_and(|u| u > MAX_SAFE_INTEGER) => {
            Value::String(n.to_string())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(js_safe).collect()),
        Value::Object(fields) => {
            Value::Object(fields.into_iter().map(|(k, v)| (k, js_safe(v))).collect())
        }
        other => other,
    }
}

/// A request message's verb and arguments, or why the message is malformed.
pub type Request = Result<(String, Vec<Value>), String>;

/// Reads a message's data: `None` when it is not for us (its `type` is not `"quorumLab"`),
/// otherwise its `id` (`null` when missing) and the request.
pub fn parse_message(data: &Value) -> Option<(Value, Request)> {
    if data.get("type").and_then(Value::as_str) != Some(REQUEST_TYPE) {
        return None;
    }
    let id = data.get("id").cloned().unwrap_or(Value::Null);
    let verb = data.get("verb").and_then(Value::as_str).map(str::to_string);
    let request = match (verb, data.get("args")) {
        (None, _) => Err(format!(
            "a quorumLab message needs a string \"verb\" (one of {})",
            VERBS.join(", ")
        )),
        (Some(verb), None | Some(Value::Null)) => Ok((verb, Vec::new())),
        (Some(verb), Some(Value::Array(args))) => Ok((verb, args.clone())),
        (Some(_), Some(other)) => Err(format!(
            "a quorumLab message's \"args\" must be an array, got {}",
            shown(other)
        )),
    };
    Some((id, request))
}

/// The reply to a request with `id`.
pub fn reply(id: Value, outcome: Result<Value, String>) -> Value {
    match outcome {
        Ok(result) => {
            serde_json::json!({"type": REPLY_TYPE, "id": id, "ok": true, "result": result})
        }
        Err(error) => {
            serde_json::json!({"type": REPLY_TYPE, "id": id, "ok": false, "error": error})
        }
    }
}

#[cfg(test)]
mod fuzz;

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use quorum_engine::lab::Setup;
    use serde_json::json;

    use crate::state::LabState;

    use super::*;

    fn call(verb: &str, args: Value) -> Result<Call, String> {
        parse_call(verb, args.as_array().expect("args are an array"), 5)
    }

    fn error(verb: &str, args: Value) -> String {
        call(verb, args).expect_err("the call is rejected")
    }

    fn request(cmd: Value) -> Result<Action, String> {
        match call("request", Value::Array(vec![cmd]))? {
            Call::Act(a) => Ok(a),
            other => panic!("request parsed as {other:?}"),
        }
    }

    #[test]
    fn every_verb_parses() {
        let cases = [
            ("state", json!([]), Call::State),
            ("load", json!(["?v=1&n=3"]), Call::Load("?v=1&n=3".into())),
            ("play", json!([]), Call::Play),
            ("pause", json!([]), Call::Pause),
            ("step", json!([]), Call::Step),
            ("stepBack", json!([]), Call::StepBack),
            ("seek", json!([1500000]), Call::Seek(1_500_000)),
            ("crash", json!([3]), Call::Act(Action::Crash(3))),
            ("restart", json!([5]), Call::Act(Action::Restart(5))),
            ("timeout", json!([1]), Call::Act(Action::Timeout(1))),
            (
                "partition",
                json!([[[1, 2], [3, 4, 5]]]),
                Call::Act(Action::Partition(vec![vec![1, 2], vec![3, 4, 5]])),
            ),
            ("heal", json!([]), Call::Act(Action::Heal)),
            (
                "request",
                json!(["get 7"]),
                Call::Act(Action::Request {
                    node: None,
                    op: KvOp::Get { key: 7 },
                }),
            ),
            ("speed", json!([0.5]), Call::Speed(0.5)),
            ("link", json!([]), Call::Link),
            ("frameStats", json!([]), Call::FrameStats),
            (
                "scenario",
                json!(["first_election"]),
                Call::Scenario("first_election".into()),
            ),
            ("messagePosition", json!([42]), Call::MessagePosition(42)),
        ];
        assert_eq!(cases.len(), VERBS.len());
        for (verb, args, expected) in cases {
            assert_eq!(call(verb, args), Ok(expected), "{verb}");
        }
    }

    #[test]
    fn request_strings_parse_with_an_optional_target_node() {
        assert_eq!(
            request(json!("put 1 42")),
            Ok(Action::Request {
                node: None,
                op: KvOp::Put { key: 1, value: 42 }
            })
        );
        assert_eq!(
            request(json!("to 2 cas 1 none 5")),
            Ok(Action::Request {
                node: Some(2),
                op: KvOp::Cas {
                    key: 1,
                    from: None,
                    to: 5
                }
            })
        );
        assert_eq!(
            request(json!("  cas 3 4   5 ")),
            Ok(Action::Request {
                node: None,
                op: KvOp::Cas {
                    key: 3,
                    from: Some(4),
                    to: 5
                }
            })
        );
    }

    #[test]
    fn request_objects_parse() {
        assert_eq!(
            request(json!({"f": "put", "key": 1, "value": 9, "node": 4})),
            Ok(Action::Request {
                node: Some(4),
                op: KvOp::Put { key: 1, value: 9 }
            })
        );
        assert_eq!(
            request(json!({"f": "get", "key": 2, "node": null})),
            Ok(Action::Request {
                node: None,
                op: KvOp::Get { key: 2 }
            })
        );
        for from in [serde_json::json!(null), serde_json::json!("none")] {
            assert_eq!(
                request(json!({"f": "cas", "key": 1, "from": from, "to": 3})),
                Ok(Action::Request {
                    node: None,
                    op: KvOp::Cas {
                        key: 1,
                        from: None,
                        to: 3
                    }
                })
            );
        }
        assert_eq!(
            request(json!({"f": "cas", "key": 1, "from": 2, "to": 3})),
            Ok(Action::Request {
                node: None,
                op: KvOp::Cas {
                    key: 1,
                    from: Some(2),
                    to: 3
                }
            })
        );
    }

    #[test]
    fn malformed_requests_are_rejected_clearly() {
        let cases = [
            (json!("put 1"), "\"put K V\""),
            (json!("delete 1"), "got \"delete 1\""),
            (json!("put x 1"), "\"x\" is not a key"),
            (json!("put 1 -2"), "\"-2\" is not a value"),
            (json!("to 9 get 1"), "there is no node 9"),
            (json!("to me get 1"), "\"me\" is not a node id"),
            (json!(""), "request() expects"),
            (json!(42), "got number 42"),
            (
                json!({"f": "del", "key": 1}),
                "\"f\" must be \"put\", \"get\" or \"cas\"",
            ),
            (json!({"key": 1}), "got nothing"),
            (
                json!({"f": "get", "key": 1, "value": 2}),
                "has no field \"value\"",
            ),
            (
                json!({"f": "put", "key": 1}),
                "\"value\" must be a non-negative integer, got nothing",
            ),
            (
                json!({"f": "get", "key": "1"}),
                "\"key\" must be an integer",
            ),
            (
                json!({"f": "get", "key": 1, "node": 0}),
                "there is no node 0",
            ),
            (
                json!({"f": "cas", "key": 1, "from": true, "to": 2}),
                "\"from\" must be",
            ),
        ];
        for (cmd, expected) in cases {
            let e = request(cmd.clone()).expect_err("rejected");
            assert!(e.contains(expected), "{cmd}: {e}");
        }
    }

    #[test]
    fn node_ids_must_be_in_range() {
        for bad in [json!([0]), json!([6]), json!([-1])] {
            assert!(error("crash", bad.clone()).contains("node"), "{bad}");
        }
        assert_eq!(
            error("restart", json!([6])),
            "restart(): there is no node 6: node ids run from 1 to 5"
        );
        assert!(error("timeout", json!([1.5])).contains("integer from 1 to 5"));
        assert!(error("partition", json!([[[1, 2], [3, 9]]])).contains("there is no node 9"));
    }

    #[test]
    fn wrong_argument_types_and_counts_are_rejected() {
        assert_eq!(
            error("crash", json!(["3"])),
            "crash(): a node id is an integer from 1 to 5, got string \"3\""
        );
        assert_eq!(error("crash", json!([])), "crash() takes 1 argument, got 0");
        assert_eq!(
            error("crash", json!([1, 2])),
            "crash() takes 1 argument, got 2"
        );
        assert_eq!(
            error("play", json!([true])),
            "play() takes no arguments, got 1"
        );
        assert!(error("seek", json!([-5])).contains("non-negative integer"));
        assert!(error("seek", json!([1.5])).contains("non-negative integer"));
        assert!(error("seek", json!(["100"])).contains("got string \"100\""));
        assert!(error("speed", json!([0])).contains("positive number"));
        assert!(error("speed", json!(["fast"])).contains("positive number"));
        assert!(error("load", json!([{}])).contains("got an object"));
        assert!(error("scenario", json!([null])).contains("got null"));
        assert!(error("partition", json!([[1, 2]])).contains("one group is number 1"));
        assert!(error("partition", json!([[]])).contains("array of arrays"));
        assert!(error("partition", json!([[[1], []]])).contains("one group is array []"));
        assert!(
            error("partition", json!([[[1, 2], [2, 3]]])).contains("node 2 appears more than once")
        );
    }

    #[test]
    fn unknown_verbs_are_rejected() {
        let e = error("explode", json!([]));
        assert!(e.starts_with("unknown verb \"explode\""), "{e}");
        assert!(e.contains("stepBack"));
        assert!(error("constructor", json!([1])).starts_with("unknown verb"));
    }

    #[test]
    fn messages_of_other_types_are_ignored() {
        assert_eq!(
            parse_message(&json!({"type": "other", "verb": "play"})),
            None
        );
        assert_eq!(parse_message(&json!("quorumLab")), None);
        assert_eq!(parse_message(&json!({"type": REPLY_TYPE, "id": 1})), None);
    }

    #[test]
    fn messages_carry_an_id_a_verb_and_optional_args() {
        let m = json!({"type": "quorumLab", "id": {"n": 7}, "verb": "crash", "args": [3]});
        assert_eq!(
            parse_message(&m),
            Some((json!({"n": 7}), Ok(("crash".to_string(), vec![json!(3)]))))
        );
        let m = json!({"type": "quorumLab", "verb": "play"});
        assert_eq!(
            parse_message(&m),
            Some((Value::Null, Ok(("play".to_string(), vec![]))))
        );
        let (_, r) = parse_message(&json!({"type": "quorumLab", "id": 1})).unwrap();
        assert!(r.unwrap_err().contains("needs a string \"verb\""));
        let (_, r) =
            parse_message(&json!({"type": "quorumLab", "id": 1, "verb": "crash", "args": 3}))
                .unwrap();
        assert!(r.unwrap_err().contains("\"args\" must be an array"));
    }

    #[test]
    fn replies_echo_the_id() {
        assert_eq!(
            reply(json!("a"), Ok(json!(null))),
            json!({"type": "quorumLab:reply", "id": "a", "ok": true, "result": null})
        );
        assert_eq!(
            reply(json!(2), Err("no".into())),
            json!({"type": "quorumLab:reply", "id": 2, "ok": false, "error": "no"})
        );
    }

    #[test]
    fn large_integers_become_strings_for_javascript() {
        let v = js_safe(
            json!({"seed": u64::MAX, "t": 5, "list": [MAX_SAFE_INTEGER, MAX_SAFE_INTEGER + 1], "x": 0.5}),
        );
        assert_eq!(
            v,
            json!({"seed": u64::MAX.to_string(), "t": 5, "list": [MAX_SAFE_INTEGER, "9007199254740992"], "x": 0.5})
        );
    }

    #[test]
    fn calls_drive_the_state() {
        let s = RefCell::new(LabState::new(Setup::default()).unwrap());
        let drawn = Drawn::default();
        let go = |verb: &str, args: Value| {
            let nodes = s.read(|s| s.ui.config.nodes);
            let call = parse_call(verb, args.as_array().unwrap(), nodes)?;
            run(&s, &drawn, call, &|| "https://example.org/lab/".to_string())
        };
        assert_eq!(go("seek", json!([300_000])), Ok(Value::Null));
        go("crash", json!([2])).unwrap();
        go("partition", json!([[[1], [3, 4, 5]]])).unwrap();
        go("request", json!(["to 3 put 1 1"])).unwrap();
        go("play", json!([])).unwrap();
        let state = go("state", json!([])).unwrap();
        assert_eq!(state.get("t"), Some(&json!(300_000)));
        assert_eq!(state.get("playing"), Some(&json!(true)));
        let nodes = state.get("nodes").and_then(Value::as_array).unwrap();
        assert_eq!(nodes[1].get("up"), Some(&json!(false)));
        let link = go("link", json!([])).unwrap();
        let link = link.as_str().unwrap();
        assert!(link.starts_with("https://example.org/lab/?v=1&"), "{link}");
        assert!(link.contains("iv="), "{link}");
        assert!(go("frameStats", json!([])).unwrap().get("frames").is_some());
        assert_eq!(go("messagePosition", json!([1])), Ok(Value::Null));
        assert!(go("load", json!(["?v=9"]))
            .unwrap_err()
            .contains("version 9"));
        go("scenario", json!(["first_election"])).unwrap();
        assert_eq!(
            go("state", json!([]))
                .unwrap()
                .get("scenario")
                .cloned()
                .unwrap_or(Value::Null),
            json!("first_election")
        );
        assert!(go("scenario", json!(["nope"]))
            .unwrap_err()
            .contains("no scenario called"));
    }
}
