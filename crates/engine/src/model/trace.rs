//! The trace as JSON Lines: writing events out, and reading a trace file back for `quorum check`.
//!
//! The format is a public interface, documented in `docs/trace.md`: one JSON object per line, each
//! with `t` (simulated microseconds) and `ev` (the kind) first. The first line is a `meta` event
//! naming the format version, protocol, node count and seed.

use std::borrow::Cow;
use std::fmt::Write;

use serde_json::Value as Json;

use crate::model::event::{
    Block, DropReason, Event, JsonFields, Message, Payload, Response, Stamped,
};
use crate::model::kv::{Command, KvOp, KvResult};
use crate::model::types::{Addr, Micros};

/// The trace format version written in every `meta` line.
pub const TRACE_VERSION: u64 = 1;

/// The first line of a trace: what produced it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceHeader {
    /// Format version ([`TRACE_VERSION`]).
    pub version: u64,
    /// Protocol name (`raft`, `paxos`, ...).
    pub protocol: String,
    /// Number of nodes.
    pub nodes: u32,
    /// The run's seed.
    pub seed: u64,
}

impl TraceHeader {
    /// The `meta` line.
    pub fn to_json(&self) -> String {
        format!(
            "{{\"t\":0,\"ev\":\"meta\",\"version\":{},\"protocol\":{},\"nodes\":{},\"seed\":{}}}",
            self.version,
            json_str(&self.protocol),
            self.nodes,
            self.seed
        )
    }
}

/// A JSON string literal for `s`.
pub fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

fn addr_json(a: Addr) -> String {
    match a {
        Addr::Node(n) => n.to_string(),
        Addr::Client(c) => format!("\"c{c}\""),
    }
}

fn opt_json(v: Option<u64>) -> String {
    v.map_or_else(|| "null".to_string(), |v| v.to_string())
}

fn command_json(cmd: &Command) -> String {
    serde_json::to_string(cmd).unwrap_or_default()
}

/// Writes one event as a JSON line (without the newline).
pub fn event_json<M: Message>(s: &Stamped<M>) -> String {
    let mut out = format!("{{\"t\":{},\"ev\":\"{}\"", s.t, s.ev.name());
    write_fields(&mut out, &s.ev);
    out.push('}');
    out
}

fn write_fields<M: Message>(out: &mut String, ev: &Event<M>) {
    let _ = match ev {
        Event::Send { msg, from, to, deliver_at, payload } => {
            let _ = write!(
                out,
                ",\"msg\":{msg},\"from\":{},\"to\":{},\"deliver_at\":{deliver_at}",
                addr_json(*from),
                addr_json(*to)
            );
            write_payload(out, payload);
            Ok(())
        }
        Event::Deliver { msg } => write!(out, ",\"msg\":{msg}"),
        Event::Drop { msg, reason } => write!(out, ",\"msg\":{msg},\"reason\":\"{}\"", reason.name()),
        Event::Duplicate { msg, copy } => write!(out, ",\"msg\":{msg},\"copy\":{copy}"),
        Event::Delay { msg, deliver_at } => write!(out, ",\"msg\":{msg},\"deliver_at\":{deliver_at}"),
        Event::Timeout { node, timer } => write!(out, ",\"node\":{node},\"timer\":{}", json_str(timer)),
        Event::Crash { node } | Event::Restart { node } => write!(out, ",\"node\":{node}"),
        Event::Partition { groups } => write!(out, ",\"groups\":{}", serde_json::to_string(groups).unwrap_or_default()),
        Event::Heal => Ok(()),
        Event::Cut { from, to } => write!(out, ",\"from\":{from},\"to\":{to}"),
        Event::Drift { node, rate } => write!(out, ",\"node\":{node},\"rate\":{rate}"),
        Event::Network { latency_min, latency_max, loss_ppm, dup_ppm } => write!(
            out,
            ",\"latency_min\":{latency_min},\"latency_max\":{latency_max},\"loss_ppm\":{loss_ppm},\"dup_ppm\":{dup_ppm}"
        ),
        Event::Role { node, role, epoch_name, epoch } => {
            write!(out, ",\"node\":{node},\"role\":{},\"{epoch_name}\":{epoch}", json_str(role))
        }
        Event::Append { node, index, term, cmd } => write!(
            out,
            ",\"node\":{node},\"index\":{index},\"term\":{term},\"cmd\":{}",
            command_json(cmd)
        ),
        Event::Truncate { node, from } => write!(out, ",\"node\":{node},\"from\":{from}"),
        Event::Commit { node, index } => write!(out, ",\"node\":{node},\"index\":{index}"),
        Event::Apply { node, index, term, cmd } => {
            let _ = write!(out, ",\"node\":{node},\"index\":{index}");
            if let Some(term) = term {
                let _ = write!(out, ",\"term\":{term}");
            }
            write!(out, ",\"cmd\":{}", command_json(cmd))
        }
        Event::Invoke { client, op, kv } => write_invoke(out, *client, *op, kv),
        Event::Ok { client, op, value } => {
            write!(out, ",\"client\":\"c{client}\",\"op\":{op},\"value\":{}", opt_json(*value))
        }
        Event::Fail {
            client,
            op,
            mismatch,
        } => {
            let mismatch = if *mismatch { ",\"mismatch\":true" } else { "" };
            write!(out, ",\"client\":\"c{client}\",\"op\":{op}{mismatch}")
        }
        Event::Info { client, op } => write!(out, ",\"client\":\"c{client}\",\"op\":{op}"),
        Event::Violation { invariant, detail } => {
            write!(out, ",\"invariant\":{},\"detail\":{}", json_str(invariant), json_str(detail))
        }
        Event::Phase { name } => write!(out, ",\"name\":{}", json_str(name)),
        Event::Promise { node, ballot } => write!(out, ",\"node\":{node},\"ballot\":{ballot}"),
        Event::Propose { node, slot, ballot, cmd } | Event::Accept { node, slot, ballot, cmd } => write!(
            out,
            ",\"node\":{node},\"slot\":{slot},\"ballot\":{ballot},\"cmd\":{}",
            command_json(cmd)
        ),
        Event::Begin { node, txn, cmd, participants } => {
            let cmd = command_json(&Command::Client(cmd.clone()));
            let parts: Vec<String> = participants.iter().map(|p| p.to_string()).collect();
            write!(out, ",\"node\":{node},\"txn\":{txn},\"cmd\":{cmd},\"participants\":[{}]", parts.join(","))
        }
        Event::Vote { node, txn, yes } => {
            let v = if *yes { "yes" } else { "no" };
            write!(out, ",\"node\":{node},\"txn\":{txn},\"vote\":\"{v}\"")
        }
        Event::Decide { node, txn, commit } => {
            let o = if *commit { "commit" } else { "abort" };
            write!(out, ",\"node\":{node},\"txn\":{txn},\"outcome\":\"{o}\"")
        }
        Event::Chosen { node, slot, cmd } => {
            write!(out, ",\"node\":{node},\"slot\":{slot},\"cmd\":{}", command_json(cmd))
        }
        Event::Checkpoint { node, index, term, state, bytes, from } => write!(
            out,
            ",\"node\":{node},\"index\":{index},\"term\":{term},\"state\":\"{state:016x}\",\"bytes\":{bytes},\"from\":{}",
            opt_json(from.map(u64::from))
        ),
        Event::Recover { node, checkpoint, replayed } => write!(
            out,
            ",\"node\":{node},\"checkpoint\":{checkpoint},\"replayed\":{replayed}"
        ),
        _ => write_recovery_block(out, ev),
    };
}

/// The fields of the recovery-block events `try`, `test`, `rollback`, `swap` and `output`.
fn write_recovery_block<M>(out: &mut String, ev: &Event<M>) -> std::fmt::Result {
    match ev {
        Event::Try { node, input, block } => {
            write!(
                out,
                ",\"node\":{node},\"input\":{input},\"block\":\"{}\"",
                block.name()
            )
        }
        Event::Test {
            node,
            input,
            block,
            pass,
            result,
        } => {
            write!(
                out,
                ",\"node\":{node},\"input\":{input},\"block\":\"{}\",\"pass\":{pass}",
                block.name()
            )?;
            write_result(out, result)
        }
        Event::Rollback { node, input } => write!(out, ",\"node\":{node},\"input\":{input}"),
        Event::Swap {
            node,
            former,
            epoch,
            reason,
        } => write!(
            out,
            ",\"node\":{node},\"former\":{former},\"epoch\":{epoch},\"reason\":{}",
            json_str(reason)
        ),
        Event::Output {
            node,
            input,
            epoch,
            block,
            cmd,
            result,
        } => {
            write!(
                out,
                ",\"node\":{node},\"input\":{input},\"epoch\":{epoch},\"block\":\"{}\",\"cmd\":{}",
                block.name(),
                command_json(cmd)
            )?;
            write_result(out, result)
        }
        _ => Ok(()),
    }
}

/// A try block's result as `"result":"ok"|"fail","value":V|null`.
pub fn write_result(out: &mut String, result: &KvResult) -> std::fmt::Result {
    match result {
        KvResult::Ok(v) => write!(out, ",\"result\":\"ok\",\"value\":{}", opt_json(*v)),
        KvResult::CasFailed => write!(out, ",\"result\":\"fail\",\"value\":null"),
    }
}

fn write_invoke(out: &mut String, client: u32, op: u64, kv: &KvOp) -> std::fmt::Result {
    let value = match kv {
        KvOp::Put { value, .. } => value.to_string(),
        KvOp::Get { .. } => "null".to_string(),
        KvOp::Cas { from, to, .. } => format!("[{},{to}]", opt_json(*from)),
    };
    write!(
        out,
        ",\"client\":\"c{client}\",\"op\":{op},\"f\":\"{}\",\"key\":{},\"value\":{value}",
        kv.f(),
        kv.key()
    )
}

fn write_payload<M: Message>(out: &mut String, payload: &Payload<M>) {
    match payload {
        Payload::Proto(m) => {
            let mut f = JsonFields::default();
            m.fields(&mut f);
            let _ = write!(out, ",\"type\":{}{}", json_str(&m.kind()), f.text);
        }
        Payload::Request(cmd) => {
            let _ = write!(
                out,
                ",\"type\":\"ClientRequest\",\"cmd\":{}",
                serde_json::to_string(cmd).unwrap_or_default()
            );
        }
        Payload::Response(r) => write_response(out, r),
    }
}

fn write_response(out: &mut String, r: &Response) {
    let _ = match r {
        Response::Ok { op, value } => {
            write!(
                out,
                ",\"type\":\"ClientReply\",\"op\":{op},\"result\":\"ok\",\"value\":{}",
                opt_json(*value)
            )
        }
        Response::Fail { op, mismatch } => write!(
            out,
            ",\"type\":\"ClientReply\",\"op\":{op},\"result\":\"fail\"{}",
            if *mismatch { ",\"mismatch\":true" } else { "" }
        ),
        Response::Redirect { op, hint } => write!(
            out,
            ",\"type\":\"ClientReply\",\"op\":{op},\"result\":\"redirect\",\"hint\":{}",
            opt_json(hint.map(u64::from))
        ),
    };
}

/// A message read back from a trace file: its type and raw fields.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RawMsg {
    /// The `type` field.
    pub kind: String,
    /// The whole line's JSON text.
    pub json: String,
}

impl Message for RawMsg {
    fn kind(&self) -> Cow<'static, str> {
        Cow::Owned(self.kind.clone())
    }

    fn vote_granted(&self) -> Option<u64> {
        if self.kind != "RequestVoteReply" {
            return None;
        }
        let v: Json = serde_json::from_str(&self.json).ok()?;
        let granted = v.get("granted")?.as_bool()?;
        granted.then(|| v.get("term")?.as_u64()).flatten()
    }

    fn fields(&self, _out: &mut JsonFields) {}
}

/// A trace file that could not be read: the line and what was wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceError {
    /// 1-based line number.
    pub line: usize,
    /// What was wrong.
    pub message: String,
}

impl std::fmt::Display for TraceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// A parsed trace: its header and events.
#[derive(Clone, Debug)]
pub struct ParsedTrace {
    /// The `meta` line.
    pub header: TraceHeader,
    /// Every other line, in order.
    pub events: Vec<Stamped<RawMsg>>,
    /// The 1-based file line of each event.
    pub lines: Vec<usize>,
    /// Lines of event kinds this reader does not know (protocols may add kinds), skipped.
    pub skipped: usize,
}

/// Parses a JSON Lines trace, validating every line (fields present, times never going backwards).
pub fn parse_trace(text: &str) -> Result<ParsedTrace, TraceError> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let (_, first) = lines.next().ok_or(TraceError {
        line: 1,
        message: "the trace is empty".into(),
    })?;
    let header = parse_header(first).map_err(|message| TraceError { line: 1, message })?;
    let mut events = Vec::new();
    let mut numbers = Vec::new();
    let mut skipped = 0;
    let mut last_t = 0;
    for (i, line) in lines {
        let err = |message: String| TraceError {
            line: i + 1,
            message,
        };
        let Some(ev) = parse_line(line).map_err(err)? else {
            skipped += 1;
            continue;
        };
        if ev.t < last_t {
            return Err(err(format!(
                "time goes backwards ({} after {last_t})",
                ev.t
            )));
        }
        if ev.t > MAX_TRACE_TIME {
            return Err(err(format!(
                "time {} is past the longest run (one hour and the liveness phase: {MAX_TRACE_TIME}us)",
                ev.t
            )));
        }
        last_t = ev.t;
        events.push(ev);
        numbers.push(i + 1);
    }
    Ok(ParsedTrace {
        header,
        events,
        lines: numbers,
        skipped,
    })
}

fn parse_header(line: &str) -> Result<TraceHeader, String> {
    let v: Json = serde_json::from_str(line).map_err(|e| format!("not JSON: {e}"))?;
    if v.get("ev").and_then(Json::as_str) != Some("meta") {
        return Err("the first line must be the \"meta\" event".into());
    }
    let version = req_u64(&v, "version")?;
    if version != TRACE_VERSION {
        return Err(format!("trace format version {version} is not supported (this build reads version {TRACE_VERSION})"));
    }
    Ok(TraceHeader {
        version,
        protocol: req_str(&v, "protocol")?.to_string(),
        nodes: req_u32(&v, "nodes")?,
        seed: req_u64(&v, "seed")?,
    })
}

fn req<'a>(v: &'a Json, name: &str) -> Result<&'a Json, String> {
    v.get(name)
        .ok_or_else(|| format!("missing field \"{name}\""))
}

fn req_u64(v: &Json, name: &str) -> Result<u64, String> {
    req(v, name)?
        .as_u64()
        .ok_or_else(|| format!("field \"{name}\" must be a non-negative integer"))
}

/// The largest log index, slot or input number a trace may name: the checkers keep a table
/// indexed by it, so a larger one would be a memory bomb, and no run of at most one hour of
/// simulated time comes near it.
pub const MAX_TRACE_INDEX: u64 = 10_000_000;

/// The latest time a trace may name: the longest run (one hour) and its liveness phase, with a
/// minute to spare. Measuring a trace keeps per-100-ms bins, so a time past this is refused rather
/// than allocated for.
pub const MAX_TRACE_TIME: crate::model::types::Micros =
    crate::model::types::MAX_RUN + 60 * crate::model::types::SEC;

fn req_pos(v: &Json, name: &str) -> Result<u64, String> {
    match req_u64(v, name)? {
        0 => Err(format!("field \"{name}\" must be at least 1")),
        n if n > u64::from(u32::MAX) && name == "node" => {
            Err(format!("field \"{name}\" is too large"))
        }
        n if n > MAX_TRACE_INDEX && name != "node" => Err(format!(
            "field \"{name}\" is {n}, past the limit of {MAX_TRACE_INDEX}"
        )),
        n => Ok(n),
    }
}

/// An index that may be 0 (a checkpoint of nothing), with the same limit as [`req_pos`].
fn req_index(v: &Json, name: &str) -> Result<u64, String> {
    match req_u64(v, name)? {
        n if n > MAX_TRACE_INDEX => Err(format!(
            "field \"{name}\" is {n}, past the limit of {MAX_TRACE_INDEX}"
        )),
        n => Ok(n),
    }
}

fn req_u32(v: &Json, name: &str) -> Result<u32, String> {
    u32::try_from(req_u64(v, name)?).map_err(|_| format!("field \"{name}\" is too large"))
}

fn req_str<'a>(v: &'a Json, name: &str) -> Result<&'a str, String> {
    req(v, name)?
        .as_str()
        .ok_or_else(|| format!("field \"{name}\" must be a string"))
}

fn opt_u64(v: &Json, name: &str) -> Result<Option<u64>, String> {
    match v.get(name) {
        None | Some(Json::Null) => Ok(None),
        Some(x) => x
            .as_u64()
            .map(Some)
            .ok_or_else(|| format!("field \"{name}\" must be an integer or null")),
    }
}

fn client_id(v: &Json) -> Result<u32, String> {
    let s = req_str(v, "client")?;
    s.strip_prefix('c')
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| format!("bad client id {s:?} (expected \"c1\", \"c2\", ...)"))
}

fn parse_addr(v: &Json, name: &str) -> Result<Addr, String> {
    let a = req(v, name)?;
    if let Some(n) = a.as_u64() {
        return u32::try_from(n)
            .map(Addr::Node)
            .map_err(|_| format!("bad node id in \"{name}\""));
    }
    let s = a.as_str().unwrap_or_default();
    s.strip_prefix('c')
        .and_then(|n| n.parse().ok())
        .map(Addr::Client)
        .ok_or_else(|| format!("bad address in \"{name}\""))
}

fn parse_cmd(v: &Json) -> Result<Command, String> {
    serde_json::from_value(req(v, "cmd")?.clone()).map_err(|e| format!("bad \"cmd\": {e}"))
}

fn cow(s: &str) -> Cow<'static, str> {
    Cow::Owned(s.to_string())
}

/// Parses one event line; `None` for an event kind this reader does not know.
pub fn parse_line(line: &str) -> Result<Option<Stamped<RawMsg>>, String> {
    let v: Json = serde_json::from_str(line).map_err(|e| format!("not JSON: {e}"))?;
    if !v.is_object() {
        return Err("each line must be a JSON object".into());
    }
    let t: Micros = req_u64(&v, "t")?;
    Ok(parse_event(&v, line)?.map(|ev| Stamped { t, ev }))
}

fn parse_event(v: &Json, line: &str) -> Result<Option<Event<RawMsg>>, String> {
    let kind = req_str(v, "ev")?;
    let node = || req_pos(v, "node").map(|n| n as u32);
    Ok(Some(match kind {
        "send" => Event::Send {
            msg: req_u64(v, "msg")?,
            from: parse_addr(v, "from")?,
            to: parse_addr(v, "to")?,
            deliver_at: opt_u64(v, "deliver_at")?.unwrap_or(0),
            payload: Payload::Proto(RawMsg {
                kind: req_str(v, "type")?.to_string(),
                json: line.to_string(),
            }),
        },
        "deliver" => Event::Deliver {
            msg: req_u64(v, "msg")?,
        },
        "drop" => Event::Drop {
            msg: req_u64(v, "msg")?,
            reason: DropReason::parse(req_str(v, "reason")?).ok_or("unknown drop reason")?,
        },
        "duplicate" => Event::Duplicate {
            msg: req_u64(v, "msg")?,
            copy: req_u64(v, "copy")?,
        },
        "delay" => Event::Delay {
            msg: req_u64(v, "msg")?,
            deliver_at: req_u64(v, "deliver_at")?,
        },
        "timeout" => Event::Timeout {
            node: node()?,
            timer: cow(req_str(v, "timer")?),
        },
        "crash" => Event::Crash { node: node()? },
        "restart" => Event::Restart { node: node()? },
        "partition" => Event::Partition {
            groups: serde_json::from_value(req(v, "groups")?.clone())
                .map_err(|_| "\"groups\" must be a list of lists of node ids")?,
        },
        "heal" => Event::Heal,
        "cut" => Event::Cut {
            from: req_u32(v, "from")?,
            to: req_u32(v, "to")?,
        },
        "drift" => Event::Drift {
            node: node()?,
            rate: req_u32(v, "rate")?,
        },
        "network" => Event::Network {
            latency_min: req_u64(v, "latency_min")?,
            latency_max: req_u64(v, "latency_max")?,
            loss_ppm: req_u32(v, "loss_ppm")?,
            dup_ppm: req_u32(v, "dup_ppm")?,
        },
        "role" => parse_role(v)?,
        "append" => Event::Append {
            node: node()?,
            index: req_pos(v, "index")?,
            term: req_u64(v, "term")?,
            cmd: parse_cmd(v)?,
        },
        "truncate" => Event::Truncate {
            node: node()?,
            from: req_index(v, "from")?,
        },
        "commit" => Event::Commit {
            node: node()?,
            index: req_pos(v, "index")?,
        },
        "apply" => Event::Apply {
            node: node()?,
            index: req_pos(v, "index")?,
            term: opt_u64(v, "term")?,
            cmd: parse_cmd(v)?,
        },
        "invoke" => parse_invoke(v)?,
        "ok" => Event::Ok {
            client: client_id(v)?,
            op: req_u64(v, "op")?,
            value: opt_u64(v, "value")?,
        },
        "fail" => Event::Fail {
            client: client_id(v)?,
            op: req_u64(v, "op")?,
            mismatch: v.get("mismatch").and_then(Json::as_bool).unwrap_or(false),
        },
        "info" => Event::Info {
            client: client_id(v)?,
            op: req_u64(v, "op")?,
        },
        "violation" => Event::Violation {
            invariant: cow(req_str(v, "invariant")?),
            detail: req_str(v, "detail")?.to_string(),
        },
        "phase" => Event::Phase {
            name: cow(req_str(v, "name")?),
        },
        "promise" => Event::Promise {
            node: node()?,
            ballot: req_u64(v, "ballot")?,
        },
        "propose" => Event::Propose {
            node: node()?,
            slot: req_pos(v, "slot")?,
            ballot: req_u64(v, "ballot")?,
            cmd: parse_cmd(v)?,
        },
        "accept" => Event::Accept {
            node: node()?,
            slot: req_pos(v, "slot")?,
            ballot: req_u64(v, "ballot")?,
            cmd: parse_cmd(v)?,
        },
        "begin" => Event::Begin {
            node: node()?,
            txn: req_u64(v, "txn")?,
            cmd: match parse_cmd(v)? {
                Command::Client(cmd) => cmd,
                Command::Noop(_) => return Err("a transaction runs a client command".into()),
            },
            participants: serde_json::from_value(req(v, "participants")?.clone())
                .map_err(|_| "\"participants\" must be a list of node ids")?,
        },
        "vote" => Event::Vote {
            node: node()?,
            txn: req_u64(v, "txn")?,
            yes: match req_str(v, "vote")? {
                "yes" => true,
                "no" => false,
                other => return Err(format!("vote must be \"yes\" or \"no\", not {other:?}")),
            },
        },
        "decide" => Event::Decide {
            node: node()?,
            txn: req_u64(v, "txn")?,
            commit: match req_str(v, "outcome")? {
                "commit" => true,
                "abort" => false,
                other => {
                    return Err(format!(
                        "outcome must be \"commit\" or \"abort\", not {other:?}"
                    ))
                }
            },
        },
        "chosen" => Event::Chosen {
            node: node()?,
            slot: req_pos(v, "slot")?,
            cmd: parse_cmd(v)?,
        },
        "checkpoint" => parse_checkpoint(v)?,
        "recover" => Event::Recover {
            node: node()?,
            checkpoint: req_u64(v, "checkpoint")?,
            replayed: req_u64(v, "replayed")?,
        },
        other => return parse_recovery_block(other, v),
    }))
}

/// Parses the recovery-block events; `None` for a kind this version does not know.
fn parse_recovery_block(kind: &str, v: &Json) -> Result<Option<Event<RawMsg>>, String> {
    let node = || req_pos(v, "node").map(|n| n as u32);
    Ok(Some(match kind {
        "try" => Event::Try {
            node: node()?,
            input: req_pos(v, "input")?,
            block: parse_block(v)?,
        },
        "test" => Event::Test {
            node: node()?,
            input: req_pos(v, "input")?,
            block: parse_block(v)?,
            pass: req(v, "pass")?
                .as_bool()
                .ok_or("field \"pass\" must be true or false")?,
            result: parse_result(v)?,
        },
        "rollback" => Event::Rollback {
            node: node()?,
            input: req_pos(v, "input")?,
        },
        "swap" => Event::Swap {
            node: node()?,
            former: req_pos(v, "former")? as u32,
            epoch: req_u64(v, "epoch")?,
            reason: cow(req_str(v, "reason")?),
        },
        "output" => Event::Output {
            node: node()?,
            input: req_pos(v, "input")?,
            epoch: req_u64(v, "epoch")?,
            block: parse_block(v)?,
            cmd: parse_cmd(v)?,
            result: parse_result(v)?,
        },
        _ => return Ok(None),
    }))
}

fn parse_checkpoint(v: &Json) -> Result<Event<RawMsg>, String> {
    let state = req_str(v, "state")?;
    let state = u64::from_str_radix(state, 16)
        .map_err(|_| format!("field \"state\" must be a hexadecimal digest, not {state:?}"))?;
    let from = opt_u64(v, "from")?
        .map(|f| u32::try_from(f).map_err(|_| "field \"from\" is too large".to_string()))
        .transpose()?;
    Ok(Event::Checkpoint {
        node: req_pos(v, "node")? as u32,
        index: req_index(v, "index")?,
        term: req_u64(v, "term")?,
        state,
        bytes: req_u64(v, "bytes")?,
        from,
    })
}

fn parse_block(v: &Json) -> Result<Block, String> {
    let name = req_str(v, "block")?;
    Block::parse(name)
        .ok_or_else(|| format!("block must be \"primary\" or \"alternate\", not {name:?}"))
}

fn parse_result(v: &Json) -> Result<KvResult, String> {
    match req_str(v, "result")? {
        "ok" => Ok(KvResult::Ok(opt_u64(v, "value")?)),
        "fail" => Ok(KvResult::CasFailed),
        other => Err(format!("result must be \"ok\" or \"fail\", not {other:?}")),
    }
}

fn parse_role(v: &Json) -> Result<Event<RawMsg>, String> {
    let epoch_name = ["term", "ballot", "epoch"]
        .into_iter()
        .find(|k| v.get(*k).is_some())
        .ok_or("a role event needs one of \"term\", \"ballot\" or \"epoch\"")?;
    Ok(Event::Role {
        node: req_u32(v, "node")?,
        role: cow(req_str(v, "role")?),
        epoch_name: Cow::Borrowed(epoch_name),
        epoch: req_u64(v, epoch_name)?,
    })
}

fn parse_invoke(v: &Json) -> Result<Event<RawMsg>, String> {
    let key = req_u32(v, "key")?;
    let value = req(v, "value")?;
    let kv = match req_str(v, "f")? {
        "put" => KvOp::Put {
            key,
            value: value.as_u64().ok_or("a put needs an integer value")?,
        },
        "get" => KvOp::Get { key },
        "cas" => {
            let pair = value
                .as_array()
                .filter(|a| a.len() == 2)
                .ok_or("a cas value is [from, to]")?;
            KvOp::Cas {
                key,
                from: pair[0].as_u64(),
                to: pair[1].as_u64().ok_or("a cas needs an integer new value")?,
            }
        }
        other => return Err(format!("unknown f {other:?}")),
    };
    Ok(Event::Invoke {
        client: client_id(v)?,
        op: req_u64(v, "op")?,
        kv,
    })
}
