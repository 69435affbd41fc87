//! Multi-Paxos, the usual construction (van Renesse & Altinbuken, "Paxos Made Moderately
//! Complex", 2015): a sequence of Paxos instances, one per *slot* of a replicated log, with one
//! leader running phase 1 once for all of them.
//!
//! Every node is an *acceptor* and a *learner*; one at a time acts as the *leader* (the
//! distinguished proposer). The replicated state machine is the key-value store of [`crate::model::kv`].
//!
//! - **Phase 1 for all slots (election).** A follower that hears nothing from a leader for a
//!   randomized timeout becomes a *candidate*: it picks a ballot with a higher round than any it has
//!   seen and sends `Prepare{ballot, from_slot}`, where `from_slot` is its first slot not known
//!   chosen. An acceptor that has promised nothing higher promises, durably, to ignore lower
//!   ballots in *every* slot, and answers `Promise` with every value it accepted from `from_slot`
//!   on (slot, ballot, command); otherwise it answers `Nack` with its promise.
//! - **Recovery.** With promises from a majority the candidate becomes leader. Before anything new,
//!   it proposes again, in its own ballot, every slot up to the highest one reported or decided:
//!   the value reported with the highest ballot, or a no-op where nobody reported anything (a gap).
//!   A value that may have been chosen was accepted by a majority, and that majority overlaps the
//!   promising one, so it is always found and kept. New client commands take fresh slots after.
//! - **Phase 2 per slot.** The leader sends `Accept{ballot, slot, cmd}`; an acceptor accepts unless
//!   it promised a higher ballot and answers `Accepted`. A majority of acceptances chooses the value:
//!   the leader sends `Decide` to every learner, re-sends unanswered `Accept`s every heartbeat, and
//!   answers the client once the slot is applied.
//! - **Learning and applying.** Learners apply decisions in slot order. The leader's `Heartbeat`
//!   (every 50 ms) keeps followers from timing out and carries its commit point (the end of its run
//!   of decided slots); a follower behind it answers `HeartbeatReply` with its own, and the leader
//!   sends the missing decisions (a restarted or lagging node catches up this way).
//! - **Leadership changes.** Any higher ballot (a `Prepare`, `Accept`, `Heartbeat` or a `Nack`'s
//!   promise) makes a leader or candidate step down; a leader that steps down answers its waiting
//!   clients with a redirect, and the store's sessions make their retries safe.
//!
//! **Durable:** the acceptor's promise and accepted values, the learner's decisions (a chosen
//! value never changes, so keeping it saves catching up) and a *checkpoint* of the store, written
//! every [`CHECKPOINT_INTERVAL`] applied slots: a restarted node starts from its checkpoint and
//! re-applies only the decisions after it, so a restart costs the same an hour into a run as at
//! its start (re-applying the whole decided prefix made long runs with crashes ever slower).
//! **Volatile:** the role, the leader's proposals and pending clients, the store.
//!
//! Planted bugs for teaching are listed in [`BUGS`].

mod acceptor;
mod leader;
mod learner;
mod message;
mod slots;
#[cfg(test)]
mod tests;
mod view;

use std::collections::BTreeMap;

pub use message::MultiPaxosMsg;
pub use slots::{PValue, Slots};

use crate::model::kv::{Cmd, Command, KvStore};
use crate::model::text::Text;
use crate::model::types::{ClientId, Micros, NodeId, OpId, MS};
use crate::model::view::NodeDetail;
use crate::sim::protocol::{
    Bug, Inspection, Out, Protocol, ProtocolOptions, RoleView, Spec, TimerId,
};

/// The leader-timeout timer: a follower that hears no leader for this long runs phase 1.
pub const ELECTION: TimerId = TimerId(0);
/// The leader's heartbeat timer (a candidate's timer to re-send `Prepare`).
pub const HEARTBEAT: TimerId = TimerId(1);

/// Multi-Paxos settings.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MultiPaxosConfig {
    /// Shortest leader timeout.
    pub election_timeout_min: Micros,
    /// Longest leader timeout.
    pub election_timeout_max: Micros,
    /// Interval between a leader's heartbeats (and re-sent `Accept`s).
    pub heartbeat_interval: Micros,
    /// Most decisions a leader sends in answer to one `HeartbeatReply`.
    pub max_catch_up: u64,
    /// Planted bugs.
    pub bugs: MultiPaxosBugs,
}

impl Default for MultiPaxosConfig {
    fn default() -> Self {
        MultiPaxosConfig {
            election_timeout_min: 150 * MS,
            election_timeout_max: 300 * MS,
            heartbeat_interval: 50 * MS,
            max_catch_up: 32,
            bugs: MultiPaxosBugs::default(),
        }
    }
}

/// Deliberate mistakes a teacher (or a test) can switch on; each is caught by a checker.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct MultiPaxosBugs {
    /// Acceptors accept whatever ballot they are asked to (breaks PromiseMonotonic).
    pub accept_below_promise: bool,
    /// A new leader ignores the values reported in promises and reuses their slots
    /// (breaks Agreement).
    pub skip_recovery: bool,
    /// The promise is kept only in memory, so a restarted acceptor accepts a deposed leader's
    /// lower ballot (breaks PromiseMonotonic and Agreement).
    pub forget_promise: bool,
}

/// The planted bugs of Multi-Paxos: name, the invariant made to catch it, the scenario that shows it, and what goes wrong.
pub const BUGS: &[Bug] = &[
    Bug {
        name: "accept-below-promise",
        caught_by: "PromiseMonotonic",
        scenario: "multipaxos_bug_accept_below_promise",
        about: "Acceptors accept an Accept whatever its ballot, so a deposed leader's lower ballot is accepted after a promise to a higher one (caught by PromiseMonotonic).",
    },
    Bug {
        name: "skip-recovery",
        caught_by: "Agreement",
        scenario: "multipaxos_bug_skip_recovery",
        about: "A new leader does not re-propose the values reported in promises and reuses their slots for new commands, so a chosen value is replaced (caught by Agreement).",
    },
    Bug {
        name: "forget-promise",
        caught_by: "PromiseMonotonic",
        scenario: "multipaxos_bug_forget_promise",
        about: "The promised ballot is kept only in memory, so a restarted acceptor accepts a deposed leader's lower ballot (caught by PromiseMonotonic, then Agreement).",
    },
];

impl MultiPaxosBugs {
    /// Switches a planted bug on by name; false for an unknown name.
    pub fn enable(&mut self, name: &str) -> bool {
        let flag = match name {
            "accept-below-promise" => &mut self.accept_below_promise,
            "skip-recovery" => &mut self.skip_recovery,
            "forget-promise" => &mut self.forget_promise,
            _ => return false,
        };
        *flag = true;
        true
    }
}

/// What a Multi-Paxos node keeps on disk.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct MultiPaxosDurable {
    /// Acceptor: the highest ballot promised (0: none), for every slot at once.
    pub promised: u64,
    /// Acceptor: the value accepted in each slot, with its ballot.
    pub accepted: Slots,
    /// Learner: the decisions learned, with the ballot each was chosen in.
    pub decided: Slots,
    /// Learner: the store as it was after applying a slot, written every
    /// [`CHECKPOINT_INTERVAL`] applied slots; a restart starts from it.
    pub checkpoint: Checkpoint,
}

/// Applied slots between two checkpoints of the store.
pub const CHECKPOINT_INTERVAL: u64 = 64;

/// The store saved on disk with the last slot it reflects.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Checkpoint {
    /// Every slot up to here is applied in `kv` (0: no checkpoint yet).
    pub applied: u64,
    /// The key-value store, client sessions included.
    pub kv: KvStore,
}

/// A node's role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// Acceptor and learner following a leader.
    Follower,
    /// Running phase 1.
    Candidate,
    /// Phase 1 done: proposing.
    Leader,
}

impl Role {
    /// The role's name in the trace.
    pub fn name(self) -> &'static str {
        match self {
            Role::Follower => "follower",
            Role::Candidate => "candidate",
            Role::Leader => "leader",
        }
    }
}

/// A leader's proposal for one slot, waiting to be chosen.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Proposal {
    /// The value proposed.
    pub cmd: Command,
    /// Acceptors that accepted it, as a bit set of node ids.
    pub acks: u64,
    /// The heartbeat tick in which it was proposed (re-sent from the tick after next).
    pub tick: u64,
}

/// What a Multi-Paxos node loses in a crash.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MultiPaxosVolatile {
    /// Current role.
    pub role: Role,
    /// Own ballot as candidate or leader (0: none yet).
    pub ballot: u64,
    /// The highest ballot seen in any message or promise.
    pub highest_seen: u64,
    /// The leader this node follows.
    pub leader: Option<NodeId>,
    /// Every slot up to here is decided and applied.
    pub applied: u64,
    /// The replicated store.
    pub kv: KvStore,
    /// Candidate: promises received, as a bit set of node ids.
    pub votes: u64,
    /// Candidate: the first slot its phase 1 covers.
    pub from_slot: u64,
    /// Candidate: the highest-ballot value reported for each slot.
    pub reported: BTreeMap<u64, PValue>,
    /// Leader: proposals not yet chosen, by slot.
    pub proposals: BTreeMap<u64, Proposal>,
    /// Leader: the slot for the next client command.
    pub next_slot: u64,
    /// Leader: heartbeats sent so far in this leadership.
    pub tick: u64,
    /// Leader: clients to answer when a slot is applied.
    pub pending: BTreeMap<u64, (ClientId, OpId)>,
}

/// A Multi-Paxos node.
#[derive(Clone, Debug, Hash)]
pub struct MultiPaxos {
    id: NodeId,
    n: u32,
    cfg: MultiPaxosConfig,
    /// Durable state.
    pub d: MultiPaxosDurable,
    /// Volatile state.
    pub v: MultiPaxosVolatile,
}

fn bit(id: NodeId) -> u64 {
    1u64 << (id - 1)
}

impl MultiPaxos {
    /// This node's id.
    pub fn id(&self) -> NodeId {
        self.id
    }

    /// The settings.
    pub fn config(&self) -> &MultiPaxosConfig {
        &self.cfg
    }

    fn majority(&self) -> u32 {
        self.n / 2 + 1
    }

    fn peers(&self) -> impl Iterator<Item = NodeId> {
        let me = self.id;
        (1..=self.n).filter(move |p| *p != me)
    }

    fn reset_election_timer(&self, out: &mut Out<MultiPaxosMsg>) {
        out.set_timer_random(
            ELECTION,
            self.cfg.election_timeout_min,
            self.cfg.election_timeout_max,
        );
    }

    fn dispatch(&mut self, from: NodeId, msg: MultiPaxosMsg, out: &mut Out<MultiPaxosMsg>) {
        match msg {
            MultiPaxosMsg::Prepare { ballot, from_slot } => {
                self.handle_prepare(from, ballot, from_slot, out)
            }
            MultiPaxosMsg::Promise { ballot, accepted } => {
                self.handle_promise(from, ballot, accepted, out)
            }
            // A nack's promise was weighed above: one higher than our ballot deposed us.
            MultiPaxosMsg::Nack { .. } => {}
            MultiPaxosMsg::Accept { ballot, slot, cmd } => {
                self.handle_accept(from, ballot, slot, cmd, out)
            }
            MultiPaxosMsg::Accepted { ballot, slot } => {
                self.handle_accepted(from, ballot, slot, out)
            }
            MultiPaxosMsg::Decide { slot, ballot, cmd } => {
                self.learn(slot, PValue { ballot, cmd }, out)
            }
            MultiPaxosMsg::Heartbeat { ballot, commit } => {
                self.handle_heartbeat(from, ballot, commit, out)
            }
            MultiPaxosMsg::HeartbeatReply { ballot, applied } => {
                self.handle_heartbeat_reply(from, ballot, applied, out)
            }
        }
    }
}

impl crate::sim::protocol::ScenarioView for MultiPaxos {
    fn is_leader(&self) -> bool {
        self.v.role == Role::Leader
    }

    fn applied(&self) -> u64 {
        self.v.applied
    }
}

impl Spec for MultiPaxos {
    type Config = MultiPaxosConfig;
    const NAME: &'static str = "multi-paxos";
    const PRIMARY_TIMER: TimerId = ELECTION;
    const TIMERS: &'static [&'static str] = &["election", "heartbeat"];
    const BUGS: &'static [Bug] = BUGS;

    fn configure(options: &ProtocolOptions) -> Result<MultiPaxosConfig, Text> {
        options.check_flags(Self::options())?;
        let mut cfg = MultiPaxosConfig::default();
        crate::sim::protocol::enable_bugs(options, Self::NAME, BUGS, |bug| cfg.bugs.enable(bug))?;
        Ok(cfg)
    }

    fn checkers<M: crate::model::event::Message + 'static>(
        nodes: u32,
    ) -> Vec<Box<dyn crate::check::Invariant<M>>> {
        crate::protocols::paxos::checkers(nodes)
    }
}

impl Protocol for MultiPaxos {
    type Msg = MultiPaxosMsg;
    type Durable = MultiPaxosDurable;

    fn boot(
        id: NodeId,
        n: u32,
        config: &MultiPaxosConfig,
        mut durable: MultiPaxosDurable,
        out: &mut Out<MultiPaxosMsg>,
    ) -> Self {
        assert!((1..=64).contains(&n), "Multi-Paxos supports 1 to 64 nodes");
        if config.bugs.forget_promise {
            durable.promised = 0;
        }
        let mut node = MultiPaxos {
            id,
            n,
            cfg: config.clone(),
            v: MultiPaxosVolatile {
                role: Role::Follower,
                ballot: 0,
                highest_seen: durable.promised,
                leader: None,
                applied: durable.checkpoint.applied,
                kv: durable.checkpoint.kv.clone(),
                votes: 0,
                from_slot: 1,
                reported: BTreeMap::new(),
                proposals: BTreeMap::new(),
                next_slot: 1,
                tick: 0,
                pending: BTreeMap::new(),
            },
            d: durable,
        };
        node.apply_decided(out);
        node.reset_election_timer(out);
        node
    }

    fn into_durable(self) -> MultiPaxosDurable {
        self.d
    }

    fn on_message(&mut self, from: NodeId, msg: MultiPaxosMsg, out: &mut Out<MultiPaxosMsg>) {
        if let Some(b) = msg.claimed_ballot() {
            self.v.highest_seen = self.v.highest_seen.max(b);
            if self.v.role != Role::Follower && b > self.v.ballot {
                self.become_follower(msg.leader_hint(), out);
            }
        }
        self.dispatch(from, msg, out);
    }

    fn on_timer(&mut self, timer: TimerId, out: &mut Out<MultiPaxosMsg>) {
        match (timer, self.v.role) {
            (ELECTION, Role::Leader) => {}
            (ELECTION, _) => self.become_candidate(out),
            (HEARTBEAT, Role::Leader) => self.heartbeat(out),
            (HEARTBEAT, Role::Candidate) => self.resend_prepare(out),
            _ => {}
        }
    }

    fn on_request(&mut self, client: ClientId, cmd: Cmd, out: &mut Out<MultiPaxosMsg>) {
        self.handle_client_command(client, cmd, out);
    }

    fn role(&self) -> RoleView {
        let epoch = match self.v.role {
            Role::Follower => self.d.promised,
            Role::Candidate | Role::Leader => self.v.ballot,
        };
        RoleView {
            role: self.v.role.name().into(),
            epoch_name: "ballot".into(),
            epoch,
        }
    }

    fn inspect(&self) -> Inspection {
        self.inspection()
    }

    fn detail(&self) -> NodeDetail {
        self.node_detail()
    }

    fn measure(&self, m: &mut crate::model::chunked::Meter) {
        let v = &self.v;
        let entries = v.reported.len() + v.proposals.len() + v.pending.len();
        m.add(std::mem::size_of::<Self>() + entries * 96);
        Self::measure_durable(&self.d, m);
    }

    fn measure_durable(d: &MultiPaxosDurable, m: &mut crate::model::chunked::Meter) {
        d.accepted.measure(m);
        d.decided.measure(m);
        let (keys, sessions) = d.checkpoint.kv.size();
        m.add((keys + sessions) * 48);
    }
}
