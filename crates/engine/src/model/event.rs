//! Trace events: everything that happens in a run, in the vocabulary of `docs/trace.md`.
//!
//! The engine keeps events as typed values (cheap to record, two million a second); they become
//! JSON only when exported ([`crate::model::trace`]). Invariant checkers read these same values, so a
//! trace exported by one machine and read back by `quorum check` is judged by the same code.

use std::borrow::Cow;

use crate::model::kv::{Cmd, Command, KvOp, KvResult};
use crate::model::types::{Addr, ClientId, Micros, MsgId, NodeId, OpId, Value};

/// A protocol message: anything that can be written as the fields of a `send` event.
pub trait Message: Clone + std::fmt::Debug + std::hash::Hash + PartialEq {
    /// The message type shown in the trace (`"AppendEntries"`, `"Prepare"`, ...).
    fn kind(&self) -> Cow<'static, str>;
    /// The message's own fields as JSON members.
    fn fields(&self, out: &mut JsonFields);

    /// A few words for textual logs when the message itself is a milestone (a vote granted or
    /// refused, a nack); `None` for routine traffic.
    fn milestone(&self) -> Option<String> {
        None
    }

    /// How the message looks on the canvas.
    fn look(&self) -> crate::model::view::MsgLook {
        crate::model::view::MsgLook::request(self.kind())
    }

    /// The term of the vote this message grants, if it grants one (Raft's `RequestVoteReply`
    /// with `granted`; pre-votes do not count): what the one-vote-per-term check reads.
    fn vote_granted(&self) -> Option<u64> {
        None
    }
}

/// A sink for a message's fields, written as `"name":value` JSON members.
#[derive(Default, Debug)]
pub struct JsonFields {
    /// The JSON text of the members written so far, each preceded by a comma.
    pub text: String,
    /// The same members as (name, JSON value) pairs, for inspectors.
    pub pairs: Vec<(String, String)>,
}

impl JsonFields {
    /// Adds an integer field.
    pub fn num(&mut self, name: &str, v: u64) {
        self.raw(name, &v.to_string());
    }

    /// Adds a boolean field.
    pub fn flag(&mut self, name: &str, v: bool) {
        self.raw(name, if v { "true" } else { "false" });
    }

    /// Adds an optional integer field (`null` when absent).
    pub fn opt(&mut self, name: &str, v: Option<u64>) {
        match v {
            Some(v) => self.num(name, v),
            None => self.raw(name, "null"),
        }
    }

    /// Adds a field whose value is already JSON text.
    pub fn raw(&mut self, name: &str, json: &str) {
        self.text.push_str(",\"");
        self.text.push_str(name);
        self.text.push_str("\":");
        self.text.push_str(json);
        self.pairs.push((name.to_string(), json.to_string()));
    }
}

/// What travels in a message: a protocol message, a client request or a reply to a client.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Payload<M> {
    /// Node-to-node protocol traffic.
    Proto(M),
    /// A client's command sent to a node.
    Request(Cmd),
    /// A node's answer to a client.
    Response(Response),
}

impl<M: Message> Payload<M> {
    /// What a message is, in a few words: the protocol's kind (or its milestone: a vote
    /// granted), a client's operation, or a node's answer.
    pub fn label(&self) -> String {
        match self {
            Payload::Proto(m) => m.milestone().unwrap_or_else(|| m.kind().into_owned()),
            Payload::Request(cmd) => format!(
                "request op{} {}",
                cmd.op,
                crate::model::kv::short_op(&cmd.kv)
            ),
            Payload::Response(Response::Ok { op, .. }) => format!("ok op{op}"),
            Payload::Response(Response::Fail { op, .. }) => format!("fail op{op}"),
            Payload::Response(Response::Redirect { op, hint }) => match hint {
                Some(n) => format!("redirect op{op} to n{n}"),
                None => format!("redirect op{op}"),
            },
        }
    }
}

/// A node's answer to a client request.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Response {
    /// The operation took effect; `value` is what a `get` read.
    Ok {
        /// The operation answered.
        op: OpId,
        /// The value read, if any.
        value: Option<Value>,
    },
    /// The operation definitely did not take effect.
    Fail {
        /// The operation answered.
        op: OpId,
        /// Why: `true` for a `cas` that was executed and found another value than it expected
        /// (it read the key, and the linearizability check holds it to that read); `false` for
        /// an operation that was not executed at all (Paxos: another value was chosen; two-phase
        /// commit: the transaction aborted).
        mismatch: bool,
    },
    /// This node cannot serve the request; try `hint` (the leader or primary it believes in).
    Redirect {
        /// The operation answered.
        op: OpId,
        /// Where to go instead, if known.
        hint: Option<NodeId>,
    },
}

impl Response {
    /// The operation this response answers.
    pub fn op(&self) -> OpId {
        match self {
            Response::Ok { op, .. } | Response::Fail { op, .. } | Response::Redirect { op, .. } => {
                *op
            }
        }
    }
}

/// Why a message never arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DropReason {
    /// Random loss of the network model.
    Loss,
    /// The two ends were in different partition groups, or the link was cut.
    Partition,
    /// The receiver was crashed when the message arrived.
    NodeDown,
    /// A user dropped it by hand.
    User,
}

impl DropReason {
    /// The name used in the trace.
    pub fn name(self) -> &'static str {
        match self {
            DropReason::Loss => "loss",
            DropReason::Partition => "partition",
            DropReason::NodeDown => "node-down",
            DropReason::User => "user",
        }
    }

    /// Parses a trace name back.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "loss" => DropReason::Loss,
            "partition" => DropReason::Partition,
            "node-down" => DropReason::NodeDown,
            "user" => DropReason::User,
            _ => return None,
        })
    }
}

/// One thing that happened. Field names follow `docs/trace.md`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event<M> {
    /// A message left `from` for `to`; it is due at `deliver_at`.
    Send {
        /// Message id.
        msg: MsgId,
        /// Sender.
        from: Addr,
        /// Receiver.
        to: Addr,
        /// When it will arrive unless lost.
        deliver_at: Micros,
        /// What it carries.
        payload: Payload<M>,
    },
    /// A message arrived and was handled.
    Deliver {
        /// Message id.
        msg: MsgId,
    },
    /// A message was lost.
    Drop {
        /// Message id.
        msg: MsgId,
        /// Why.
        reason: DropReason,
    },
    /// A copy of an in-flight message was made (by the network or a user).
    Duplicate {
        /// The original.
        msg: MsgId,
        /// The copy's id.
        copy: MsgId,
    },
    /// A user held an in-flight message back.
    Delay {
        /// Message id.
        msg: MsgId,
        /// Its new arrival time.
        deliver_at: Micros,
    },
    /// A node's timer fired (`timer` is the protocol's name for it).
    Timeout {
        /// The node.
        node: NodeId,
        /// Which timer.
        timer: Cow<'static, str>,
    },
    /// A node crashed: volatile state lost, durable state kept.
    Crash {
        /// The node.
        node: NodeId,
    },
    /// A node restarted from its durable state.
    Restart {
        /// The node.
        node: NodeId,
    },
    /// The network split into groups; only nodes in the same group can talk.
    Partition {
        /// The groups.
        groups: Vec<Vec<NodeId>>,
    },
    /// Every partition and cut link was repaired.
    Heal,
    /// The one-way link `from -> to` was cut (messages that way are lost).
    Cut {
        /// Sender side.
        from: NodeId,
        /// Receiver side.
        to: NodeId,
    },
    /// A node's clock now runs at `rate` thousandths of real time (1000 = true time).
    Drift {
        /// The node.
        node: NodeId,
        /// Rate in thousandths.
        rate: u32,
    },
    /// The network's latency, loss or duplication settings changed.
    Network {
        /// Minimum one-way latency.
        latency_min: Micros,
        /// Maximum one-way latency.
        latency_max: Micros,
        /// Loss probability, parts per million.
        loss_ppm: u32,
        /// Duplication probability, parts per million.
        dup_ppm: u32,
    },
    /// A node's role, or its term / ballot / epoch, changed.
    Role {
        /// The node.
        node: NodeId,
        /// The new role (`follower`, `candidate`, `leader`, ...).
        role: Cow<'static, str>,
        /// The name of the epoch counter: `term`, `ballot` or `epoch`.
        epoch_name: Cow<'static, str>,
        /// Its value.
        epoch: u64,
    },
    /// A node appended an entry to its log (or overwrote one at `index`).
    Append {
        /// The node.
        node: NodeId,
        /// Log position, from 1.
        index: u64,
        /// The entry's term (or ballot).
        term: u64,
        /// The entry's command.
        cmd: Command,
    },
    /// A node deleted its log from `from` onwards.
    Truncate {
        /// The node.
        node: NodeId,
        /// First deleted index.
        from: u64,
    },
    /// A node learned that its log is committed up to `index`.
    Commit {
        /// The node.
        node: NodeId,
        /// Commit index.
        index: u64,
    },
    /// A node applied an entry to its state machine.
    Apply {
        /// The node.
        node: NodeId,
        /// Log position (slot).
        index: u64,
        /// The entry's term, where the protocol has one.
        term: Option<u64>,
        /// The command.
        cmd: Command,
    },
    /// A client invoked an operation.
    Invoke {
        /// The client.
        client: ClientId,
        /// The operation id.
        op: OpId,
        /// The operation.
        kv: KvOp,
    },
    /// The operation completed.
    Ok {
        /// The client.
        client: ClientId,
        /// The operation id.
        op: OpId,
        /// The value read (for `get`).
        value: Option<Value>,
    },
    /// The operation definitely did not take effect.
    Fail {
        /// The client.
        client: ClientId,
        /// The operation id.
        op: OpId,
        /// A `cas` that found another value than it expected (see [`Response::Fail`]).
        mismatch: bool,
    },
    /// The client gave up waiting: the outcome is unknown.
    Info {
        /// The client.
        client: ClientId,
        /// The operation id.
        op: OpId,
    },
    /// An invariant was violated.
    Violation {
        /// The invariant's name.
        invariant: Cow<'static, str>,
        /// What was seen.
        detail: String,
    },
    /// A run phase began: `liveness`, when faults stop and everything is healed and restarted.
    Phase {
        /// The phase name.
        name: Cow<'static, str>,
    },
    /// Paxos: an acceptor promised to ignore ballots below `ballot` (phase 1b).
    Promise {
        /// The acceptor.
        node: NodeId,
        /// The ballot promised (`100 × round + proposer`).
        ballot: u64,
    },
    /// Paxos: a proposer asked acceptors to accept `cmd` in `slot` at `ballot` (phase 2a).
    Propose {
        /// The proposer.
        node: NodeId,
        /// The slot (1 for single-decree Paxos).
        slot: u64,
        /// The ballot.
        ballot: u64,
        /// The value proposed.
        cmd: Command,
    },
    /// Paxos: an acceptor accepted `cmd` in `slot` at `ballot` (phase 2b).
    Accept {
        /// The acceptor.
        node: NodeId,
        /// The slot.
        slot: u64,
        /// The ballot.
        ballot: u64,
        /// The value accepted.
        cmd: Command,
    },
    /// Two-phase commit: the coordinator began a transaction for a client command and sends
    /// `Prepare` to its participants. (A trace event, not a log record: with presumed abort the
    /// coordinator writes nothing to its log at this point.)
    Begin {
        /// The coordinator.
        node: NodeId,
        /// The transaction id.
        txn: u64,
        /// The client command the transaction runs.
        cmd: Cmd,
        /// Its participants, in node order: a commit needs a yes vote from each.
        participants: Vec<NodeId>,
    },
    /// Two-phase commit: a participant voted on a transaction.
    Vote {
        /// The participant.
        node: NodeId,
        /// The transaction id.
        txn: u64,
        /// `yes` (prepared) or `no`.
        yes: bool,
    },
    /// Two-phase commit: a node decided (coordinator) or learned (participant) an outcome.
    Decide {
        /// The node.
        node: NodeId,
        /// The transaction id.
        txn: u64,
        /// Commit (true) or abort (false).
        commit: bool,
    },
    /// Paxos: a learner learned that `cmd` is chosen in `slot`.
    Chosen {
        /// The learner.
        node: NodeId,
        /// The slot.
        slot: u64,
        /// The value.
        cmd: Command,
    },
    /// A node took a snapshot of its state machine up to `index` and compacted its log there, or
    /// (with `from`) installed a snapshot a leader sent.
    Checkpoint {
        /// The node.
        node: NodeId,
        /// The last log index the snapshot covers.
        index: u64,
        /// The term of the entry at `index`.
        term: u64,
        /// A stable digest of the state machine the snapshot holds.
        state: u64,
        /// The snapshot's size in bytes (its compact encoding).
        bytes: u64,
        /// The leader whose snapshot was installed; `None` for the node's own snapshot.
        from: Option<NodeId>,
    },
    /// A restarted node rebuilt its state machine: loaded the snapshot ending at `checkpoint`
    /// (0: none) and replayed `replayed` log entries after it.
    Recover {
        /// The node.
        node: NodeId,
        /// The last index of the snapshot loaded (0: no snapshot).
        checkpoint: u64,
        /// Log entries applied again after the snapshot.
        replayed: u64,
    },
    /// Recovery block: a node established a recovery point and started a try block on an input.
    Try {
        /// The node.
        node: NodeId,
        /// The input (its sequence number).
        input: u64,
        /// Which try block.
        block: Block,
    },
    /// Recovery block: a node ran the acceptance test on a try block's result.
    Test {
        /// The node.
        node: NodeId,
        /// The input.
        input: u64,
        /// The try block whose result was tested.
        block: Block,
        /// Whether the result was accepted.
        pass: bool,
        /// The result tested.
        result: KvResult,
    },
    /// Recovery block: a node restored the recovery point of an input (before its next try block).
    Rollback {
        /// The node.
        node: NodeId,
        /// The input.
        input: u64,
    },
    /// Recovery block: `node` took the primary role over from `former` in a new `epoch`.
    Swap {
        /// The new primary.
        node: NodeId,
        /// The node it replaces.
        former: NodeId,
        /// The epoch it starts.
        epoch: u64,
        /// Why: `failed-test`, `timeout` or `restart`.
        reason: Cow<'static, str>,
    },
    /// Recovery block: the primary delivered the accepted result of an input to its client.
    Output {
        /// The delivering node.
        node: NodeId,
        /// The input.
        input: u64,
        /// The node's epoch.
        epoch: u64,
        /// The try block whose result it is.
        block: Block,
        /// The client's command.
        cmd: Command,
        /// The result delivered.
        result: KvResult,
    },
}

/// A recovery block's try blocks: the primary routine and the alternate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Block {
    /// The primary routine: fast, but with a software fault on some inputs.
    Primary,
    /// The alternate: a different, slower, correct implementation.
    Alternate,
}

impl Block {
    /// The name used in the trace.
    pub fn name(self) -> &'static str {
        match self {
            Block::Primary => "primary",
            Block::Alternate => "alternate",
        }
    }

    /// Parses a trace name back.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "primary" => Some(Block::Primary),
            "alternate" => Some(Block::Alternate),
            _ => None,
        }
    }

    /// The other block.
    pub fn other(self) -> Self {
        match self {
            Block::Primary => Block::Alternate,
            Block::Alternate => Block::Primary,
        }
    }
}

impl<M> Payload<M> {
    /// The same payload with its protocol message converted by `f`.
    pub fn map_msg<N>(self, f: impl FnOnce(M) -> N) -> Payload<N> {
        match self {
            Payload::Proto(m) => Payload::Proto(f(m)),
            Payload::Request(c) => Payload::Request(c),
            Payload::Response(r) => Payload::Response(r),
        }
    }
}

impl<M> Event<M> {
    /// The same event with its message type converted by `f` (only `send` carries a message).
    pub fn map_msg<N>(self, f: impl FnOnce(M) -> N) -> Event<N> {
        use Event as E;
        match self {
            E::Send {
                msg,
                from,
                to,
                deliver_at,
                payload,
            } => E::Send {
                msg,
                from,
                to,
                deliver_at,
                payload: payload.map_msg(f),
            },
            E::Deliver { msg } => E::Deliver { msg },
            E::Drop { msg, reason } => E::Drop { msg, reason },
            E::Duplicate { msg, copy } => E::Duplicate { msg, copy },
            E::Delay { msg, deliver_at } => E::Delay { msg, deliver_at },
            E::Timeout { node, timer } => E::Timeout { node, timer },
            E::Crash { node } => E::Crash { node },
            E::Restart { node } => E::Restart { node },
            E::Partition { groups } => E::Partition { groups },
            E::Heal => E::Heal,
            E::Cut { from, to } => E::Cut { from, to },
            E::Drift { node, rate } => E::Drift { node, rate },
            E::Network {
                latency_min,
                latency_max,
                loss_ppm,
                dup_ppm,
            } => E::Network {
                latency_min,
                latency_max,
                loss_ppm,
                dup_ppm,
            },
            E::Role {
                node,
                role,
                epoch_name,
                epoch,
            } => E::Role {
                node,
                role,
                epoch_name,
                epoch,
            },
            E::Append {
                node,
                index,
                term,
                cmd,
            } => E::Append {
                node,
                index,
                term,
                cmd,
            },
            E::Truncate { node, from } => E::Truncate { node, from },
            E::Commit { node, index } => E::Commit { node, index },
            E::Apply {
                node,
                index,
                term,
                cmd,
            } => E::Apply {
                node,
                index,
                term,
                cmd,
            },
            E::Invoke { client, op, kv } => E::Invoke { client, op, kv },
            E::Ok { client, op, value } => E::Ok { client, op, value },
            E::Fail {
                client,
                op,
                mismatch,
            } => E::Fail {
                client,
                op,
                mismatch,
            },
            E::Info { client, op } => E::Info { client, op },
            E::Violation { invariant, detail } => E::Violation { invariant, detail },
            E::Phase { name } => E::Phase { name },
            E::Promise { node, ballot } => E::Promise { node, ballot },
            E::Propose {
                node,
                slot,
                ballot,
                cmd,
            } => E::Propose {
                node,
                slot,
                ballot,
                cmd,
            },
            E::Accept {
                node,
                slot,
                ballot,
                cmd,
            } => E::Accept {
                node,
                slot,
                ballot,
                cmd,
            },
            E::Chosen { node, slot, cmd } => E::Chosen { node, slot, cmd },
            E::Begin {
                node,
                txn,
                cmd,
                participants,
            } => E::Begin {
                node,
                txn,
                cmd,
                participants,
            },
            E::Vote { node, txn, yes } => E::Vote { node, txn, yes },
            E::Decide { node, txn, commit } => E::Decide { node, txn, commit },
            E::Checkpoint {
                node,
                index,
                term,
                state,
                bytes,
                from,
            } => E::Checkpoint {
                node,
                index,
                term,
                state,
                bytes,
                from,
            },
            E::Recover {
                node,
                checkpoint,
                replayed,
            } => E::Recover {
                node,
                checkpoint,
                replayed,
            },
            E::Try { node, input, block } => E::Try { node, input, block },
            E::Test {
                node,
                input,
                block,
                pass,
                result,
            } => E::Test {
                node,
                input,
                block,
                pass,
                result,
            },
            E::Rollback { node, input } => E::Rollback { node, input },
            E::Swap {
                node,
                former,
                epoch,
                reason,
            } => E::Swap {
                node,
                former,
                epoch,
                reason,
            },
            E::Output {
                node,
                input,
                epoch,
                block,
                cmd,
                result,
            } => E::Output {
                node,
                input,
                epoch,
                block,
                cmd,
                result,
            },
        }
    }

    /// The trace name of this event kind (the `ev` field).
    pub fn name(&self) -> &'static str {
        match self {
            Event::Send { .. } => "send",
            Event::Deliver { .. } => "deliver",
            Event::Drop { .. } => "drop",
            Event::Duplicate { .. } => "duplicate",
            Event::Delay { .. } => "delay",
            Event::Timeout { .. } => "timeout",
            Event::Crash { .. } => "crash",
            Event::Restart { .. } => "restart",
            Event::Partition { .. } => "partition",
            Event::Heal => "heal",
            Event::Cut { .. } => "cut",
            Event::Drift { .. } => "drift",
            Event::Network { .. } => "network",
            Event::Role { .. } => "role",
            Event::Append { .. } => "append",
            Event::Truncate { .. } => "truncate",
            Event::Commit { .. } => "commit",
            Event::Apply { .. } => "apply",
            Event::Invoke { .. } => "invoke",
            Event::Ok { .. } => "ok",
            Event::Fail { .. } => "fail",
            Event::Info { .. } => "info",
            Event::Violation { .. } => "violation",
            Event::Phase { .. } => "phase",
            Event::Promise { .. } => "promise",
            Event::Propose { .. } => "propose",
            Event::Accept { .. } => "accept",
            Event::Chosen { .. } => "chosen",
            Event::Begin { .. } => "begin",
            Event::Vote { .. } => "vote",
            Event::Decide { .. } => "decide",
            Event::Checkpoint { .. } => "checkpoint",
            Event::Recover { .. } => "recover",
            Event::Try { .. } => "try",
            Event::Test { .. } => "test",
            Event::Rollback { .. } => "rollback",
            Event::Swap { .. } => "swap",
            Event::Output { .. } => "output",
        }
    }

    /// Where the event happened: the node or client it belongs to; `None` for what happens to the
    /// network or the run as a whole, and for a message's later fate (its delivery, loss,
    /// duplication or delay belongs to the message: see its `send`).
    pub fn actor(&self) -> Option<Addr> {
        match self {
            Event::Send { from, .. } => Some(*from),
            Event::Timeout { node, .. }
            | Event::Crash { node }
            | Event::Restart { node }
            | Event::Drift { node, .. }
            | Event::Role { node, .. }
            | Event::Append { node, .. }
            | Event::Truncate { node, .. }
            | Event::Commit { node, .. }
            | Event::Apply { node, .. }
            | Event::Promise { node, .. }
            | Event::Propose { node, .. }
            | Event::Accept { node, .. }
            | Event::Chosen { node, .. }
            | Event::Begin { node, .. }
            | Event::Vote { node, .. }
            | Event::Decide { node, .. }
            | Event::Checkpoint { node, .. }
            | Event::Recover { node, .. }
            | Event::Try { node, .. }
            | Event::Test { node, .. }
            | Event::Rollback { node, .. }
            | Event::Swap { node, .. }
            | Event::Output { node, .. } => Some(Addr::Node(*node)),
            Event::Invoke { client, .. }
            | Event::Ok { client, .. }
            | Event::Fail { client, .. }
            | Event::Info { client, .. } => Some(Addr::Client(*client)),
            Event::Deliver { .. }
            | Event::Drop { .. }
            | Event::Duplicate { .. }
            | Event::Delay { .. }
            | Event::Partition { .. }
            | Event::Heal
            | Event::Cut { .. }
            | Event::Network { .. }
            | Event::Violation { .. }
            | Event::Phase { .. } => None,
        }
    }
}

/// An event with the simulated time at which it happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stamped<M> {
    /// Simulated time.
    pub t: Micros,
    /// The event.
    pub ev: Event<M>,
}
