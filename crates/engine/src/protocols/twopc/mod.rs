//! Two-phase commit (Gray, "Notes on Data Base Operating Systems", 1978): a *coordinator* makes
//! several *participants*, each owning part of the data, either all apply a transaction or all
//! discard it.
//!
//! **Who is who.** Node 1 is the coordinator ([`coordinator`]); nodes 2..n are participants
//! ([`participant`]), each owning a *shard* of the keys: key `k` lives on participant
//! `2 + (k - 1) % (n - 1)` ([`shard`]). (With a single node, node 1 plays both parts.)
//!
//! **The transactions.** Clients send their `put`, `get` and `cas` to node 1 (other nodes
//! redirect them there), and every operation becomes one transaction. So that transactions span
//! shards, each one also *mirrors* the operation on the next participant: key `k + 1000`
//! ([`MIRROR_OFFSET`]) on participant [`next_participant`]`(shard(k))` receives the value the
//! client writes (`put`, and `cas` if it succeeds), or is read alongside (`get`). A committed
//! write is therefore visible on two shards at once (`1=5` on one node, `1001=5` on the next), or
//! on neither: that is atomicity, seen in the stores. With three or more nodes every transaction
//! involves two participants.
//!
//! **Phase 1: prepare.** The coordinator sends each participant `Prepare{txn, ops}` with that
//! participant's operations (with the option `presumed-nothing` it first writes a *begin*
//! record, the transaction, its client command and its participants, to its durable log). A participant checks that it can
//! promise to commit: no key of the transaction is locked by another prepared transaction, and a
//! `cas` finds the value it expects. If so it *prepares*: it writes its locks, its staged writes and
//! what it read to durable state, and only then votes `VoteYes` (carrying the values read). From
//! this moment it has given up its right to abort on its own. Otherwise it votes `VoteNo` and
//! aborts at once, which it may do because it promised nothing.
//!
//! **Phase 2: decide.** With a yes from every participant the coordinator decides *commit*; a
//! single no, or a participant that does not vote within the vote timeout, decides *abort*. A
//! commit goes to the durable log first (this write, the commit record with the participants, is
//! the commit point), then `Commit` to every participant, which applies its staged writes,
//! releases its locks, and answers `Ack`; the coordinator re-sends `Commit` every few ticks to
//! participants that have not acknowledged it, and once all have, marks the record done (it
//! stays, so that a retried client request is answered, never executed twice). The coordinator
//! answers the client as soon as it has decided: `ok` for a commit (with the value a `get` read),
//! `fail` for an abort (definitely not applied). The locks make this safe: until a participant
//! has applied the writes, the keys stay locked, so no later transaction can observe the state
//! before them.
//!
//! **Presumed abort** (Mohan, Lindsay & Obermarck, "Transaction Management in the R*
//! Distributed Database Management System", 1986), the default. An abort is written nowhere:
//! the coordinator sends `Abort` only to the participants that voted yes (one that voted no has
//! aborted already), expects no acknowledgement, re-sends nothing, and forgets the transaction at
//! once. Whoever asks later about a transaction the coordinator does not know (a participant in
//! doubt, a late yes vote) is told abort: the *presumption*. It is safe because a commit is always
//! on the log before anyone hears of it, so "not on the log" can only mean "not committed". The
//! coordinator keeps, besides commit records, only what identifies requests: the next transaction
//! id and each client's latest request (so a duplicate of a request whose abort it answered is
//! not run again). Option `presumed-nothing`: the logged variant this module first implemented,
//! where the coordinator writes a begin record before `Prepare` and the abort decision to its
//! log, sends `Abort` to every participant, and participants acknowledge aborts, which are
//! re-sent until they do (measured costs per aborted transaction: docs/performance.md).
//! Participants remember the transactions they aborted in both variants: with a network that
//! duplicates messages, a participant that forgot its no vote could vote yes on a late copy of
//! the `Prepare`.
//!
//! **Participant failure: in doubt.** A prepared participant that crashes recovers *in doubt*:
//! its prepared transactions, locks included, are on disk. It may not guess (the others may have
//! committed, or aborted), so it asks the coordinator with `WhatHappened{txn}` at once, and keeps
//! asking every two ticks, until an `Outcome` arrives. The same happens to a prepared participant
//! whose decision is simply late.
//!
//! **Coordinator failure: blocking.** If the coordinator crashes after the participants have
//! prepared, they are stuck: they voted yes, so they cannot abort alone, and they do not know
//! whether the coordinator decided commit before it crashed. They hold their locks and wait; a
//! participant waiting longer than the blocking timeout shows the role `blocked`. This window is
//! two-phase commit's famous weakness. On restart the coordinator reads its log: a decided
//! transaction not yet acknowledged by everyone has its decision re-sent; a transaction begun but
//! not decided (only with `presumed-nothing` is there a record of one) is aborted and the abort is
//! announced. A `WhatHappened` about a transaction the log does not hold is answered abort.
//!
//! **Option `cooperative`: the cooperative termination protocol.** A blocked participant also asks
//! the other participants of the transaction (their list travels in `Prepare`). A participant
//! asked about transaction `t` answers by these rules:
//! 1. it has decided `t` (committed, aborted, or voted no): it answers that `Outcome`;
//! 2. it is itself prepared and undecided: it knows nothing more, and stays silent;
//! 3. it has never seen `t`'s `Prepare`: it *refuses* `t`. It records an abort durably (so a late
//!    `Prepare` gets a no vote), emits its no vote and answers `Outcome` abort. This is safe: the
//!    coordinator can commit only with this participant's yes, which it will now never give.
//!
//! The asker applies the first outcome it hears. If every other participant is prepared too, the
//! participants stay blocked until the coordinator returns: cooperation shortens the blocking
//! window, it does not close it (closing it takes three-phase commit, or consensus).
//!
//! **Time.** Nodes read no clock: a node busy with transactions arms its `tick` timer
//! ([`TwoPcConfig::tick`]) and counts ticks. The coordinator aborts a transaction still missing
//! votes after [`TwoPcConfig::vote_timeout_ticks`]; a prepared participant asks after
//! [`TwoPcConfig::doubt_ticks`] and is `blocked` after [`TwoPcConfig::blocked_ticks`].
//!
//! **Durable:** the coordinator's log (commit records; with `presumed-nothing` also begin and
//! abort records), the next transaction id and each client's latest request; a participant's
//! store, its prepared transactions (locks, staged writes, reads) and the outcome of every
//! transaction it decided. **Volatile:** the transactions being voted on (under presumed abort),
//! votes and acknowledgements being collected, waiting clients, tick counters. The checkers
//! ([`checkers`]) are **Atomicity**, **MirrorsAgree** and **NoInDoubtOnceCoordinatorBack**;
//! linearizability of the client history is checked too. The planted bugs are in [`BUGS`].

mod checkers;
mod coordinator;
mod message;
mod mirrors;
mod participant;
#[cfg(test)]
mod tests;
mod view;

use std::collections::{BTreeMap, BTreeSet};

pub use checkers::{checkers, Atomicity, MirrorsAgree, NoInDoubtOnceCoordinatorBack};
pub use message::TwoPcMsg;

use crate::model::chunked_map::ChunkedMap;
use crate::model::kv::{Cmd, KvOp};
use crate::model::text::Text;
use crate::model::types::{ClientId, Key, Micros, NodeId, OpId, Value, MS};
use crate::model::view::NodeDetail;
use crate::sim::protocol::{
    Bug, Inspection, Out, Protocol, ProtocolOptions, RoleView, Spec, TimerId,
};

/// The coordinator's node id.
pub const COORDINATOR: NodeId = 1;

/// A transaction mirrors its key `k` on the next participant as key `k + MIRROR_OFFSET`.
pub const MIRROR_OFFSET: Key = 1000;

/// The tick timer: the coordinator's vote timeouts and re-sends, a participant's doubt.
pub const TICK: TimerId = TimerId(0);

/// The participant that owns `key` in a cluster of `n` nodes (node 1 itself when `n` is 1).
pub fn shard(key: Key, n: u32) -> NodeId {
    if n < 2 {
        return COORDINATOR;
    }
    let k = u64::from(key) + u64::from(n) - 2;
    2 + (k % u64::from(n - 1)) as NodeId
}

/// The participant after `p` in the ring of participants 2..n (the mirror shard).
pub fn next_participant(p: NodeId, n: u32) -> NodeId {
    if n < 3 {
        return p;
    }
    2 + (p - 1) % (n - 1)
}

/// The operation a transaction runs on the mirror shard for the client's `op`.
pub fn mirror_op(op: &KvOp) -> KvOp {
    match *op {
        KvOp::Put { key, value } => KvOp::Put {
            key: key.wrapping_add(MIRROR_OFFSET),
            value,
        },
        KvOp::Cas { key, to, .. } => KvOp::Put {
            key: key.wrapping_add(MIRROR_OFFSET),
            value: to,
        },
        KvOp::Get { key } => KvOp::Get {
            key: key.wrapping_add(MIRROR_OFFSET),
        },
    }
}

/// The participants of a transaction for `op` and each one's operations, in node order.
pub fn plan(op: &KvOp, n: u32) -> BTreeMap<NodeId, Vec<KvOp>> {
    let home = shard(op.key(), n);
    let mut plan: BTreeMap<NodeId, Vec<KvOp>> = BTreeMap::new();
    plan.entry(home).or_default().push(op.clone());
    plan.entry(next_participant(home, n))
        .or_default()
        .push(mirror_op(op));
    plan
}

/// Two-phase commit's settings.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TwoPcConfig {
    /// The tick period of a busy node.
    pub tick: Micros,
    /// Ticks the coordinator waits for every vote before it aborts.
    pub vote_timeout_ticks: u32,
    /// Ticks between re-sends of a decision to participants that have not acknowledged it.
    pub resend_ticks: u32,
    /// Ticks a prepared participant waits for the decision before it asks the coordinator.
    pub doubt_ticks: u32,
    /// Ticks between two questions of a participant in doubt.
    pub ask_ticks: u32,
    /// Ticks after which a prepared participant counts as blocked (and, with `cooperative`, asks
    /// the other participants).
    pub blocked_ticks: u32,
    /// The cooperative termination protocol.
    pub cooperative: bool,
    /// The logged variant: begin and abort records, aborts acknowledged and re-sent (off:
    /// presumed abort).
    pub presumed_nothing: bool,
    /// Planted bugs.
    pub bugs: TwoPcBugs,
}

impl Default for TwoPcConfig {
    fn default() -> Self {
        TwoPcConfig {
            tick: 50 * MS,
            vote_timeout_ticks: 3,
            resend_ticks: 4,
            doubt_ticks: 4,
            ask_ticks: 2,
            blocked_ticks: 8,
            cooperative: false,
            presumed_nothing: false,
            bugs: TwoPcBugs::default(),
        }
    }
}

/// Deliberate mistakes a teacher (or a test) can switch on; each is caught by a checker.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct TwoPcBugs {
    /// The coordinator commits once every participant has voted, even if one voted no.
    pub commit_despite_no: bool,
    /// A participant keeps its prepared transactions in memory only.
    pub volatile_prepare: bool,
    /// Participants take no locks (breaks MirrorsAgree).
    pub no_locks: bool,
}

/// The planted bugs of two-phase commit: name, the invariant made to catch it, the scenario that shows it, and what goes wrong.
pub const BUGS: &[Bug] = &[
    Bug {
        name: "commit-despite-no",
        caught_by: "Atomicity",
        scenario: "twopc_bug_commit_despite_no",
        about: "The coordinator commits once every participant has voted, even when one voted no, so a participant that refused applies nothing while the others commit (caught by Atomicity).",
    },
    Bug {
        name: "volatile-prepare",
        caught_by: "Atomicity",
        scenario: "twopc_bug_volatile_prepare",
        about: "Participants keep their prepared state in memory only: one that crashes after voting yes forgets its vote, locks and writes, and aborts a transaction the coordinator committed (caught by Atomicity).",
    },
    Bug {
        name: "no-locks",
        caught_by: "MirrorsAgree",
        scenario: "twopc_bug_no_locks",
        about: "Participants take no locks, so a second transaction on a key prepares while the first is undecided; their commits can reach a key's two shards in different orders, and the key and its mirror end with different values (caught by MirrorsAgree).",
    },
];

/// Two-phase commit's switchable options: name, default, and what it does.
pub const OPTIONS: &[(&str, bool, &str)] = &[
    ("cooperative", false, "A blocked participant asks the other participants; one that decided, voted no or never prepared (and then refuses to) tells it the outcome, without the coordinator."),
    ("presumed-nothing", false, "The logged variant instead of presumed abort: the coordinator writes a begin record and the abort decision to its log, sends Abort to every participant and re-sends it until acknowledged."),
];

impl TwoPcBugs {
    /// Switches a planted bug on by name; false for an unknown name.
    pub fn enable(&mut self, name: &str) -> bool {
        let flag = match name {
            "commit-despite-no" => &mut self.commit_despite_no,
            "volatile-prepare" => &mut self.volatile_prepare,
            "no-locks" => &mut self.no_locks,
            _ => return false,
        };
        *flag = true;
        true
    }
}

/// The coordinator's record of one transaction: on its durable log once committed (with
/// `presumed-nothing`, from the start), in memory while the votes are collected.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TxnRecord {
    /// The client command the transaction runs.
    pub cmd: Cmd,
    /// Its participants, in node order.
    pub participants: Vec<NodeId>,
    /// The decision: commit (true) or abort (false); `None` while votes are collected.
    pub outcome: Option<bool>,
    /// What a committed `get` read (the client's answer).
    pub read: Option<Value>,
    /// Every participant acknowledged the decision.
    pub done: bool,
}

/// What the coordinator keeps on disk: its decision log and what identifies requests.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CoordinatorDurable {
    /// The next transaction id (ids are never reused, even across crashes).
    pub next_txn: u64,
    /// Commit records (with `presumed-nothing`, a record per transaction begun), by id (in
    /// copy-on-write chunks: kept for the whole run, shared by time-travel snapshots).
    pub log: ChunkedMap<TxnRecord>,
    /// Each client's latest operation and its transaction: a duplicate or older request is
    /// never run again, even after the transaction was aborted and forgotten.
    pub sessions: BTreeMap<ClientId, (OpId, u64)>,
}

impl Default for CoordinatorDurable {
    fn default() -> Self {
        CoordinatorDurable {
            next_txn: 1,
            log: ChunkedMap::new(),
            sessions: BTreeMap::new(),
        }
    }
}

/// A transaction a participant prepared: voted yes on, not yet decided.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PreparedTxn {
    /// This participant's operations (their keys are its locks; their writes are staged).
    pub ops: Vec<KvOp>,
    /// Every participant of the transaction (whom to ask, with `cooperative`).
    pub participants: Vec<NodeId>,
    /// The values its `get`s read, by key.
    pub reads: Vec<(Key, Option<Value>)>,
}

/// A transaction a participant decided.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DecidedTxn {
    /// This participant's operations (empty if it never prepared them).
    pub ops: Vec<KvOp>,
    /// Committed (true) or aborted (false).
    pub commit: bool,
}

/// What a participant keeps on disk.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ParticipantDurable {
    /// Its shard of the store.
    pub store: BTreeMap<Key, Value>,
    /// Prepared transactions, by id.
    pub prepared: BTreeMap<u64, PreparedTxn>,
    /// Decided transactions, by id (so a duplicate `Prepare` or `Commit` changes nothing; in
    /// copy-on-write chunks, as the coordinator's log).
    pub decided: ChunkedMap<DecidedTxn>,
}

/// What a two-phase-commit node keeps through a crash (node 1 uses the coordinator's part, the
/// others the participant's).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct TwoPcDurable {
    /// The coordinator's log.
    pub coordinator: CoordinatorDurable,
    /// The participant's store and transactions.
    pub participant: ParticipantDurable,
}

/// A transaction the coordinator is working on: collecting votes, or acknowledgements.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Active {
    /// Participants that voted (yes, or with `commit-despite-no` either way).
    pub votes: BTreeSet<NodeId>,
    /// A participant voted no.
    pub no: bool,
    /// What the client's `get` read on its key's shard.
    pub read: Option<Value>,
    /// Clients waiting for the outcome.
    pub clients: Vec<ClientId>,
    /// Ticks since the transaction began, or since the decision was last sent.
    pub ticks: u32,
    /// Participants that acknowledged the decision.
    pub acks: BTreeSet<NodeId>,
}

/// The coordinator's volatile state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct CoordinatorVolatile {
    /// Transactions undecided, or decided but not acknowledged by everyone.
    pub active: BTreeMap<u64, Active>,
    /// Under presumed abort: the records of the transactions being voted on (not on the log).
    pub voting: BTreeMap<u64, TxnRecord>,
    /// Under presumed abort: transactions aborted (and forgotten) since this node booted.
    pub aborted: u64,
    /// Transactions found unfinished in the log at restart and not yet acknowledged.
    pub recovering: BTreeSet<u64>,
}

/// A participant's volatile state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ParticipantVolatile {
    /// Ticks each prepared transaction has waited for its decision (since it prepared, or since
    /// the restart).
    pub waited: BTreeMap<u64, u32>,
}

/// A two-phase-commit node: the coordinator (node 1) or a participant.
#[derive(Clone, Debug, Hash)]
pub struct TwoPhaseCommit {
    id: NodeId,
    n: u32,
    cfg: TwoPcConfig,
    /// Durable state.
    pub d: TwoPcDurable,
    /// The coordinator's volatile state (node 1).
    pub coord: CoordinatorVolatile,
    /// The participant's volatile state.
    pub part: ParticipantVolatile,
    /// The tick timer is armed.
    ticking: bool,
}

impl TwoPhaseCommit {
    /// This node's id.
    pub fn id(&self) -> NodeId {
        self.id
    }

    /// The settings.
    pub fn config(&self) -> &TwoPcConfig {
        &self.cfg
    }

    /// Is this node the coordinator?
    pub fn is_coordinator(&self) -> bool {
        self.id == COORDINATOR
    }

    /// Does this node own a shard (every node but the coordinator, and node 1 when alone)?
    pub fn is_participant(&self) -> bool {
        self.id != COORDINATOR || self.n == 1
    }

    /// Arms the tick timer unless it is armed already (re-arming would postpone it).
    fn arm_tick(&mut self, out: &mut Out<TwoPcMsg>) {
        if !self.ticking {
            self.ticking = true;
            out.set_timer(TICK, self.cfg.tick);
        }
    }

    fn on_tick(&mut self, out: &mut Out<TwoPcMsg>) {
        self.ticking = false;
        if self.is_coordinator() {
            self.coordinator_tick(out);
        }
        if self.is_participant() {
            self.participant_tick(out);
        }
    }

    /// The role name: `coordinator`, or a participant's `participant`, `prepared` or `blocked`.
    fn role_name(&self) -> &'static str {
        if self.is_coordinator() {
            "coordinator"
        } else if self.is_blocked() {
            "blocked"
        } else if !self.d.participant.prepared.is_empty() {
            "prepared"
        } else {
            "participant"
        }
    }
}

impl crate::sim::protocol::ScenarioView for TwoPhaseCommit {
    fn is_leader(&self) -> bool {
        self.is_coordinator() && self.coord.recovering.is_empty()
    }

    fn applied(&self) -> u64 {
        if self.is_coordinator() {
            self.decided_count()
        } else {
            self.d.participant.decided.len() as u64
        }
    }
}

impl Spec for TwoPhaseCommit {
    type Config = TwoPcConfig;
    const NAME: &'static str = "2pc";
    const PRIMARY_TIMER: TimerId = TICK;
    const TIMERS: &'static [&'static str] = &["tick"];
    const BUGS: &'static [Bug] = BUGS;
    const OPTIONS: &'static [(&'static str, bool, &'static str)] = OPTIONS;

    fn configure(options: &ProtocolOptions) -> Result<TwoPcConfig, Text> {
        options.check_flags(OPTIONS)?;
        let mut cfg = TwoPcConfig::default();
        cfg.cooperative = options.flag("cooperative").unwrap_or(cfg.cooperative);
        cfg.presumed_nothing = options
            .flag("presumed-nothing")
            .unwrap_or(cfg.presumed_nothing);
        crate::sim::protocol::enable_bugs(options, Self::NAME, BUGS, |bug| cfg.bugs.enable(bug))?;
        Ok(cfg)
    }

    fn checkers<M: crate::model::event::Message + 'static>(
        nodes: u32,
    ) -> Vec<Box<dyn crate::check::Invariant<M>>> {
        checkers(nodes)
    }
}

impl Protocol for TwoPhaseCommit {
    type Msg = TwoPcMsg;
    type Durable = TwoPcDurable;

    fn boot(
        id: NodeId,
        n: u32,
        config: &TwoPcConfig,
        durable: TwoPcDurable,
        out: &mut Out<TwoPcMsg>,
    ) -> Self {
        let mut node = TwoPhaseCommit {
            id,
            n,
            cfg: config.clone(),
            d: durable,
            coord: CoordinatorVolatile::default(),
            part: ParticipantVolatile::default(),
            ticking: false,
        };
        if node.is_coordinator() {
            node.recover(out);
        }
        if node.is_participant() {
            node.recover_in_doubt(out);
        }
        node
    }

    fn into_durable(self) -> TwoPcDurable {
        let mut d = self.d;
        if self.cfg.bugs.volatile_prepare {
            d.participant.prepared.clear();
        }
        d
    }

    fn on_message(&mut self, from: NodeId, msg: TwoPcMsg, out: &mut Out<TwoPcMsg>) {
        match msg {
            TwoPcMsg::Prepare {
                txn,
                ops,
                participants,
            } => self.handle_prepare(txn, ops, participants, out),
            TwoPcMsg::VoteYes { txn, reads } => self.handle_vote(from, txn, Some(reads), out),
            TwoPcMsg::VoteNo { txn } => self.handle_vote(from, txn, None, out),
            TwoPcMsg::Commit { txn } => self.handle_outcome(from, txn, true, out),
            TwoPcMsg::Abort { txn } => self.handle_outcome(from, txn, false, out),
            TwoPcMsg::Outcome { txn, commit } => self.handle_outcome(from, txn, commit, out),
            TwoPcMsg::Ack { txn } => self.handle_ack(from, txn),
            TwoPcMsg::WhatHappened { txn } if self.is_coordinator() => {
                self.answer_what_happened(from, txn, out)
            }
            TwoPcMsg::WhatHappened { txn } => self.answer_peer(from, txn, out),
        }
    }

    fn on_timer(&mut self, timer: TimerId, out: &mut Out<TwoPcMsg>) {
        if timer == TICK {
            self.on_tick(out);
        }
    }

    fn on_request(&mut self, client: ClientId, cmd: Cmd, out: &mut Out<TwoPcMsg>) {
        self.handle_request(client, cmd, out);
    }

    fn role(&self) -> RoleView {
        RoleView {
            role: self.role_name().into(),
            epoch_name: "epoch".into(),
            epoch: 0,
        }
    }

    fn inspect(&self) -> Inspection {
        self.inspection()
    }

    fn detail(&self) -> NodeDetail {
        self.node_detail()
    }

    fn measure(&self, m: &mut crate::model::chunked::Meter) {
        let active = self.coord.active.len() * std::mem::size_of::<Active>();
        let voting = self.coord.voting.len() * (std::mem::size_of::<TxnRecord>() + 48);
        let waited = self.part.waited.len() * 16;
        m.add(std::mem::size_of::<Self>() + active + voting + waited);
        Self::measure_durable(&self.d, m);
    }

    fn measure_durable(d: &TwoPcDurable, m: &mut crate::model::chunked::Meter) {
        d.coordinator.log.measure(m, 48);
        d.participant.decided.measure(m, 32);
        let sessions = d.coordinator.sessions.len() * 32;
        let p = &d.participant;
        let store = p.store.len() * 32;
        let prepared = p.prepared.len() * (std::mem::size_of::<PreparedTxn>() + 96);
        m.add(std::mem::size_of::<TwoPcDurable>() + sessions + store + prepared);
    }
}
