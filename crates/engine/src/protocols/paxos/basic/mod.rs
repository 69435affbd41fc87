//! Single-decree Basic Paxos, as in Lamport, "Paxos Made Simple" (2001): the cluster chooses one
//! value, once, and every node learns it.
//!
//! Every node plays all three roles of the paper:
//!
//! - **Proposer** ([`proposer`]). A client request gives a node a value to propose. It picks a
//!   ballot `(round, id)` above every ballot it has seen and sends `Prepare(b)` to every acceptor,
//!   itself included (its own acceptor answers locally, without a message). With promises from a
//!   majority it sends `Accept(b, v)`, where `v` is the value of the highest-ballot acceptance the
//!   promises reported, or its own value when none was reported: this is the rule that keeps a
//!   value that may already be chosen.
//! - **Acceptor** ([`acceptor`]). It answers `Prepare(b)` with `Promise(b, accepted)` unless it
//!   has promised a higher ballot, in which case it answers `Nack(b, promised)`. It accepts
//!   `Accept(b, v)` unless it has promised a higher ballot. Its promise and its acceptance are its
//!   durable state: they survive a crash and are on disk before the reply leaves.
//! - **Learner** ([`learner`]). Acceptors answer `Accepted(b)` to the proposer only; the proposer
//!   acts as the paper's *distinguished learner*: when a majority has accepted its ballot, the
//!   value is chosen, and it tells every other node with `Chosen(b, v)`. That costs `n` messages
//!   instead of the `n²` of every acceptor telling every learner. A learner applies the value to
//!   its key-value store (slot 1, the only one) and answers the clients waiting on it: `ok` to the
//!   client whose command was chosen, `fail` (definitely not applied) to the others. What a
//!   learner knows is volatile: a node that restarts with a durable promise asks the others with
//!   `WhatIsChosen`, and otherwise re-learns the value the next time it runs a ballot, since any
//!   ballot after the choice proposes the chosen value again.
//!
//! **Duelling proposers.** Two proposers can keep pre-empting each other: each new `Prepare`
//! makes the acceptors refuse the other's `Accept`, forever (the paper's section 2.4). A proposer
//! abandons its ballot as soon as it hears of a higher one (a `Nack`, or a higher `Prepare`
//! reaching its own acceptor), and retries with a higher round after its retry timer; a ballot
//! that gets no majority within `ballot_timeout` is retried too. Two options decide how:
//!
//! - `backoff` (on by default): the retry waits a random delay, so one proposer usually finishes
//!   before the other comes back. Off: a fixed short delay, and two proposers with equal
//!   latencies duel forever (`scenarios/paxos_duelling_proposers.scn`).
//! - `distinguished` (off by default): only node 1 ever retries. Any other node runs one ballot
//!   for its value; if that ballot fails, it forwards its value to node 1 (`Forward`) and waits to
//!   be told what was chosen. Node 1 adopts a forwarded value when it has none of its own.
//!
//! Ballots are packed integers ([`crate::protocols::paxos::ballot`]); the planted bugs are in [`PaxosBugs`].

mod acceptor;
mod learner;
mod message;
mod proposer;
#[cfg(test)]
mod tests;

pub use message::PaxosMsg;

use crate::model::kv::{Cmd, Command, KvResult, KvStore};
use crate::model::text::Text;
use crate::model::types::{ClientId, Micros, NodeId, OpId, MS};
use crate::model::view::{AcceptorView, CellState, LogCell, NodeDetail};
use crate::protocols::paxos::{round_of, show};
use crate::replicated::entry_label;
use crate::sim::protocol::{
    Bug, Inspection, Out, Protocol, ProtocolOptions, RoleView, Spec, TimerId,
};

/// The retry timer: a running ballot's deadline, or the wait before the next ballot.
pub const RETRY: TimerId = TimerId(0);

/// What the store holds once the value is applied: one key and one client session.
const STORE_BYTES: usize = 64;

/// The node every other node forwards its value to when `distinguished` is on.
pub const DISTINGUISHED: NodeId = 1;

/// Basic Paxos's settings.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PaxosConfig {
    /// How long a ballot may run without reaching a majority before it is retried.
    pub ballot_timeout: Micros,
    /// The wait before retrying a failed ballot (the shortest wait with back-off).
    pub retry_delay: Micros,
    /// The longest randomized wait before retrying, with back-off.
    pub backoff_max: Micros,
    /// Randomize the wait before retrying.
    pub backoff: bool,
    /// Only node 1 retries; the others forward their value to it.
    pub distinguished: bool,
    /// Planted bugs.
    pub bugs: PaxosBugs,
}

impl Default for PaxosConfig {
    fn default() -> Self {
        PaxosConfig {
            ballot_timeout: 100 * MS,
            retry_delay: 5 * MS,
            backoff_max: 100 * MS,
            backoff: true,
            distinguished: false,
            bugs: PaxosBugs::default(),
        }
    }
}

/// Deliberate mistakes a teacher (or a test) can switch on; each is caught by a checker.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct PaxosBugs {
    /// Acceptors accept ballots below their promise (breaks PromiseMonotonic).
    pub accept_below_promise: bool,
    /// Proposers propose their own value even when a promise reports an accepted one
    /// (breaks Agreement).
    pub ignore_promised_values: bool,
    /// The learner declares a value chosen after a single acceptance (breaks
    /// LearnedImpliesChosen, and Agreement when another value is chosen later).
    pub learner_counts_minority: bool,
}

/// The planted bugs of Basic Paxos: name, the invariant made to catch it, the scenario that shows it, and what goes wrong.
pub const BUGS: &[Bug] = &[
    Bug {
        name: "accept-below-promise",
        caught_by: "PromiseMonotonic",
        scenario: "paxos_bug_accept_below_promise",
        about: "Acceptors accept a ballot below the one they promised, breaking the promise that made a later proposer's choice safe (caught by PromiseMonotonic).",
    },
    Bug {
        name: "ignore-promised-values",
        caught_by: "Agreement",
        scenario: "paxos_bug_ignore_promised_values",
        about: "A proposer proposes its own value even when the promises report an accepted one, so a chosen value can be replaced (caught by Agreement).",
    },
    Bug {
        name: "learner-counts-minority",
        caught_by: "LearnedImpliesChosen",
        scenario: "paxos_bug_learner_counts_minority",
        about: "The learner declares a value chosen after a single acceptance instead of a majority (caught by LearnedImpliesChosen when it learns, and by Agreement if a different value is chosen later).",
    },
];

/// Basic Paxos's switchable options: name, default, and what it does.
pub const OPTIONS: &[(&str, bool, &str)] = &[
    ("backoff", true, "A proposer whose ballot failed waits a random delay before retrying, so duelling proposers stop pre-empting each other."),
    ("distinguished", false, "Only node 1 retries failed ballots; the other nodes forward their value to it."),
];

impl PaxosBugs {
    /// Switches a planted bug on by name; false for an unknown name.
    pub fn enable(&mut self, name: &str) -> bool {
        let flag = match name {
            "accept-below-promise" => &mut self.accept_below_promise,
            "ignore-promised-values" => &mut self.ignore_promised_values,
            "learner-counts-minority" => &mut self.learner_counts_minority,
            _ => return false,
        };
        *flag = true;
        true
    }
}

/// What an acceptor keeps on disk.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct PaxosDurable {
    /// The highest ballot promised (0: none).
    pub promised: u64,
    /// The last acceptance: ballot and value.
    pub accepted: Option<(u64, Command)>,
}

/// Where a running ballot is.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Phase 1: collecting promises.
    Prepare {
        /// Acceptors that promised, as a bit set of node ids.
        promises: u64,
        /// The highest-ballot acceptance the promises reported.
        highest: Option<(u64, Command)>,
    },
    /// Phase 2: collecting acceptances of `value`.
    Accept {
        /// The value proposed.
        value: Command,
        /// Acceptors that accepted, as a bit set of node ids.
        accepts: u64,
    },
}

/// A ballot this node is running as proposer.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Proposal {
    /// The ballot.
    pub ballot: u64,
    /// Its phase.
    pub phase: Phase,
}

/// The value this node learned: the ballot it was chosen in, the value, and its result.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Learned {
    /// The ballot in which a majority accepted it.
    pub ballot: u64,
    /// The value.
    pub value: Command,
    /// What applying it to the store returned.
    pub result: Option<KvResult>,
}

/// What a Paxos node loses in a crash: its proposer and learner state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct PaxosVolatile {
    /// The value this node proposes (its first client's command, or one forwarded to it).
    pub value: Option<Command>,
    /// Clients waiting for the outcome, with their operations.
    pub waiting: Vec<(ClientId, OpId)>,
    /// The ballot being run, if any.
    pub proposal: Option<Proposal>,
    /// The highest ballot heard of in a refusal.
    pub highest_seen: u64,
    /// Whether this node has run a ballot for its value (with `distinguished`, others run one).
    pub tried: bool,
    /// The chosen value, once learned.
    pub learned: Option<Learned>,
    /// The store, holding the chosen command once applied.
    pub kv: KvStore,
}

/// A Basic Paxos node: proposer, acceptor and learner.
#[derive(Clone, Debug, Hash)]
pub struct Paxos {
    id: NodeId,
    n: u32,
    cfg: PaxosConfig,
    /// Durable state (the acceptor's).
    pub d: PaxosDurable,
    /// Volatile state (the proposer's and the learner's).
    pub v: PaxosVolatile,
}

fn bit(id: NodeId) -> u64 {
    1u64 << (id - 1)
}

/// A command as the scenario output writes it: `put(1,5)`.
fn short(cmd: &Command) -> String {
    match cmd {
        Command::Noop(_) => "noop".into(),
        Command::Client(c) => crate::model::kv::short_op(&c.kv),
    }
}

impl Paxos {
    /// This node's id.
    pub fn id(&self) -> NodeId {
        self.id
    }

    /// The settings.
    pub fn config(&self) -> &PaxosConfig {
        &self.cfg
    }

    fn majority(&self) -> u32 {
        self.n / 2 + 1
    }

    fn peers(&self) -> impl Iterator<Item = NodeId> {
        let me = self.id;
        (1..=self.n).filter(move |p| *p != me)
    }

    /// The node's ballot as the canvas shows it: its own while proposing, else its promise.
    fn current_ballot(&self) -> u64 {
        self.v
            .proposal
            .as_ref()
            .map_or(self.d.promised, |p| p.ballot)
    }

    fn role_name(&self) -> &'static str {
        if self.v.proposal.is_some() {
            "proposer"
        } else if self.v.learned.is_some() {
            "learner"
        } else {
            "acceptor"
        }
    }

    /// Slot 1 as a log cell: the chosen value once known, else the accepted one.
    fn slot_cell(&self) -> Option<LogCell> {
        let (ballot, value, state) = match (&self.v.learned, &self.d.accepted) {
            (Some(l), _) => (l.ballot, &l.value, CellState::Committed),
            (None, Some((b, v))) => (*b, v, CellState::Pending),
            (None, None) => return None,
        };
        Some(LogCell {
            epoch: round_of(ballot),
            state,
            label: entry_label(value),
        })
    }

    /// Acceptors counting towards a majority: promises in phase 1, acceptances in phase 2.
    fn votes(&self) -> Vec<NodeId> {
        let set = match self.v.proposal.as_ref().map(|p| &p.phase) {
            Some(Phase::Prepare { promises, .. }) => *promises,
            Some(Phase::Accept { accepts, .. }) => *accepts,
            None => 0,
        };
        (1..=self.n).filter(|n| set & bit(*n) != 0).collect()
    }
}

impl crate::sim::protocol::ScenarioView for Paxos {
    fn is_leader(&self) -> bool {
        self.v.proposal.is_some()
    }

    fn applied(&self) -> u64 {
        u64::from(self.v.learned.is_some())
    }
}

impl Spec for Paxos {
    type Config = PaxosConfig;
    const NAME: &'static str = "paxos";
    const PRIMARY_TIMER: TimerId = RETRY;
    const TIMERS: &'static [&'static str] = &["retry"];
    const BUGS: &'static [Bug] = BUGS;
    const OPTIONS: &'static [(&'static str, bool, &'static str)] = OPTIONS;

    fn configure(options: &ProtocolOptions) -> Result<PaxosConfig, Text> {
        options.check_flags(OPTIONS)?;
        let mut cfg = PaxosConfig::default();
        cfg.backoff = options.flag("backoff").unwrap_or(cfg.backoff);
        cfg.distinguished = options.flag("distinguished").unwrap_or(cfg.distinguished);
        crate::sim::protocol::enable_bugs(options, Self::NAME, BUGS, |bug| cfg.bugs.enable(bug))?;
        Ok(cfg)
    }

    fn checkers<M: crate::model::event::Message + 'static>(
        nodes: u32,
    ) -> Vec<Box<dyn crate::check::Invariant<M>>> {
        crate::protocols::paxos::checkers(nodes)
    }
}

impl Protocol for Paxos {
    type Msg = PaxosMsg;
    type Durable = PaxosDurable;

    fn boot(
        id: NodeId,
        n: u32,
        config: &PaxosConfig,
        durable: PaxosDurable,
        out: &mut Out<PaxosMsg>,
    ) -> Self {
        assert!((1..=64).contains(&n), "Basic Paxos supports 1 to 64 nodes");
        let node = Paxos {
            id,
            n,
            cfg: config.clone(),
            d: durable,
            v: PaxosVolatile::default(),
        };
        if node.d != PaxosDurable::default() {
            node.ask_what_is_chosen(out);
        }
        node
    }

    fn into_durable(self) -> PaxosDurable {
        self.d
    }

    fn on_message(&mut self, from: NodeId, msg: PaxosMsg, out: &mut Out<PaxosMsg>) {
        match msg {
            PaxosMsg::Prepare { ballot } => {
                let reply = self.handle_prepare(ballot, out);
                out.send(from, reply);
            }
            PaxosMsg::Accept { ballot, value } => {
                let reply = self.handle_accept(ballot, value, out);
                out.send(from, reply);
            }
            PaxosMsg::Promise { .. } | PaxosMsg::Nack { .. } | PaxosMsg::Accepted { .. } => {
                self.handle_reply(from, msg, out)
            }
            PaxosMsg::Chosen { ballot, value } => self.learn(ballot, value, out),
            PaxosMsg::WhatIsChosen => self.handle_what_is_chosen(from, out),
            PaxosMsg::Forward { value } => self.handle_forward(from, value, out),
        }
    }

    fn on_timer(&mut self, timer: TimerId, out: &mut Out<PaxosMsg>) {
        if timer == RETRY {
            self.handle_retry_timer(out);
        }
    }

    fn on_request(&mut self, client: ClientId, cmd: Cmd, out: &mut Out<PaxosMsg>) {
        self.handle_request(client, cmd, out);
    }

    fn role(&self) -> RoleView {
        RoleView {
            role: self.role_name().into(),
            epoch_name: "ballot".into(),
            epoch: self.current_ballot(),
        }
    }

    fn detail(&self) -> NodeDetail {
        let accepted = self
            .d
            .accepted
            .iter()
            .map(|(b, v)| (1, *b, entry_label(v)))
            .collect();
        NodeDetail {
            log: self.slot_cell().into_iter().collect(),
            votes: self.votes(),
            quorum: self.majority(),
            kv: self.v.kv.entries().collect(),
            plays: vec!["proposer", "acceptor", "learner"],
            acceptor: Some(AcceptorView {
                promised: self.d.promised,
                accepted,
            }),
            ..NodeDetail::default()
        }
    }

    fn inspect(&self) -> Inspection {
        let accepted = self
            .d
            .accepted
            .as_ref()
            .map_or("none".into(), |(b, v)| format!("{}@{}", short(v), show(*b)));
        let kv: Vec<String> = self
            .v
            .kv
            .entries()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        vec![
            ("role", self.role_name().to_string()),
            ("ballot", show(self.current_ballot())),
            ("promised", show(self.d.promised)),
            ("accepted", accepted),
            (
                "proposing",
                self.v.value.as_ref().map_or("none".into(), short),
            ),
            (
                "chosen",
                self.v
                    .learned
                    .as_ref()
                    .map_or("none".into(), |l| short(&l.value)),
            ),
            ("store", kv.join(" ")),
        ]
    }

    fn measure(&self, m: &mut crate::model::chunked::Meter) {
        let own = std::mem::size_of::<Self>() - std::mem::size_of::<PaxosDurable>();
        let waiting = self.v.waiting.capacity() * std::mem::size_of::<(ClientId, OpId)>();
        m.add(own + waiting + STORE_BYTES);
        Self::measure_durable(&self.d, m);
    }

    fn measure_durable(_durable: &PaxosDurable, m: &mut crate::model::chunked::Meter) {
        m.add(std::mem::size_of::<PaxosDurable>());
    }
}
