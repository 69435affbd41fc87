//! Recovery blocks (Randell, "System Structure for Software Fault Tolerance", 1975) run on a pair
//! of nodes as the *Distributed Recovery Block* of Kim and Welch ("Distributed Execution of
//! Recovery Blocks", IEEE Transactions on Computers, 1989).
//!
//! **Randell's recovery block** guards a computation with an *acceptance test* and gives it
//! several *try blocks*, different implementations of the same function:
//!
//! ```text
//! ensure  acceptance test
//! by      primary routine
//! else by alternate
//! else error
//! ```
//!
//! On entry the block establishes a *recovery point* (a checkpoint of the state it may change).
//! The primary routine runs and its result is judged by the acceptance test; if it fails, the
//! state is *rolled back* to the recovery point and the alternate runs on the restored state, and
//! so on. Only a result that passes the test leaves the block. Here the "computation" is one
//! client operation (`put`, `get`, `cas`) on the key-value store of [`crate::model::kv`]: the
//! [`routines`] module holds the two try blocks and the acceptance test. The primary routine is
//! fast but has a *software fault* (option `software-fault`, on by default): on about one input
//! in four, picked deterministically from the input itself, it works on the neighbouring key. The
//! alternate is a separate, slower, correct implementation. The acceptance test checks the
//! operation's postcondition on its own key against the recovery point (a `put` left the value
//! written, a `get` returned the value the key held, a `cas` did what the expected value implied),
//! as acceptance tests do: a plausibility check of the output, not a second computation.
//!
//! **Kim and Welch's DRB** runs the same recovery block on two nodes at once, to tolerate hardware
//! faults (a node crash) and software faults (a try block's wrong result) the same way, with the
//! short recovery time real-time systems need. Nodes 1 and 2 form the pair: the *primary node*
//! runs the primary routine first and the alternate second; the *shadow node* runs them in the
//! opposite order, alternate first. Both start on the same input from the same state.
//!
//! - **Inputs.** Clients send their operations to the primary, which numbers them (input `i`
//!   follows the `i - 1` inputs already applied), forwards each one to the shadow with `Input`, and
//!   processes one input at a time. Each try block takes simulated time (the alternate longer).
//! - **Success.** When the primary's result passes the test, the primary sends it to the shadow
//!   with `Result` (the accepted state, a checkpoint of the whole store) and delivers it (applies
//!   it and answers the client) once the shadow has acknowledged it with `Ack`. The shadow
//!   installs the primary's state and drops its own computation of the input. The `Ack` names
//!   the state it acknowledges: its epoch, the input number and a digest of the content
//!   ([`state_digest`]); an acknowledgement of another state with as many inputs counts for
//!   nothing.
//! - **Software fault: role swap.** When the primary routine's result fails the test, the primary
//!   tells the shadow with `Failed`, rolls back and runs the alternate itself. The shadow, whose
//!   alternate result passed, *takes over*: it enters a new epoch as primary, and the former
//!   primary becomes its shadow (it receives the new primary's `Result`, acknowledges it, and the
//!   new primary delivers). From then on the roles, and so the order of the try blocks, are
//!   swapped. (If the former primary's own alternate result reaches the shadow first, the shadow
//!   acknowledges it and no swap happens; either way the input is delivered once, accepted.)
//! - **Crash: role swap.** The primary sends a `Heartbeat` every 50 ms. A shadow that hears
//!   nothing from it for 150 to 300 ms takes over alone: it delivers its own accepted result of
//!   the pending input (its alternate ran concurrently, so recovery is quick: the point of the
//!   DRB) and serves on without a shadow. A shadow whose primary restarts (it sends `Probe`, see
//!   below) takes over at once.
//! - **Fencing.** Every message carries the sender's epoch, and a node refuses a message of an
//!   older epoch, answering `Fence` with its own. A primary delivers only with its shadow's `Ack`
//!   of the same epoch, so a stale primary cut off from a shadow that took over can never deliver
//!   again: the shadow has moved to a higher epoch and refuses its `Result`. Only a shadow takes
//!   over; a primary that loses its shadow waits for it (with two nodes and no third party, one
//!   side of a partition must stay silent, and it is the primary's).
//! - **Rejoining.** A restarted node, or a primary that learns of a higher epoch, is
//!   `recovering`: it sends `Probe` (its epoch and the number of inputs it applied) every 50 ms.
//!   A restart first enters a new epoch (durably), so that nothing the new incarnation numbers
//!   can be confused with what its previous one left in flight: every message from before the
//!   crash is of an older epoch and fenced. (Reusing the epoch lost acknowledged writes: a
//!   result sent before the crash reached the shadow after the restart, and the restarted
//!   primary gave its input number to another command. The planted bug `ack-by-count` puts it
//!   back.) A primary that hears its restarted shadow's probe adopts the new epoch and stays
//!   primary, unless the prober applied more than it has (then it was primary after this one,
//!   and this one steps down); a shadow that hears its restarted primary's probe takes over.
//!   The primary answers with `State` (its whole store, a checkpoint); the node installs it,
//!   becomes the shadow and acknowledges; from that `Ack` on, the primary waits for the shadow
//!   again. Two recovering nodes compare what they applied (then epoch, then the lower id) and
//!   the more advanced one becomes primary of a new epoch.
//!
//! **Why it is safe.** A delivered result passed the acceptance test on the node that delivers
//! it. Applied states form one chain: a primary with a shadow applies an input only after the
//! shadow has it, a shadow that takes over holds everything its primary delivered, and a node
//! rejoins only by installing the primary's whole state. The linearizability of the client history
//! is checked like the other replicated stores'.
//!
//! **Nodes.** Two nodes are needed (`--nodes 1` is refused). With more, nodes 3 and up are idle
//! *spares*: they hold no state and redirect clients.
//!
//! **Durable:** the epoch, the number of inputs applied and the store (with its client sessions).
//! **Volatile:** the role, the known primary, the queue of inputs, the input in progress (its
//! recovery point and working copy) and whether the shadow is in sync. Planted bugs: [`BUGS`].

mod checkers;
mod execution;
mod message;
mod primary;
mod rejoin;
pub mod routines;
mod shadow;
#[cfg(test)]
mod tests;
mod view;

use std::collections::VecDeque;

pub use checkers::{checkers, AcceptedResultsOnly, ConsistentOutputs, ONE_DELIVERER_PER_EPOCH};
pub use message::RecoveryBlockMsg;

use crate::model::event::{Block, Response};
use crate::model::kv::{Cmd, KvResult, KvStore};
use crate::model::text::{text, Text};
use crate::model::types::{ClientId, Micros, NodeId, MS};
use crate::model::view::NodeDetail;
use crate::sim::protocol::{
    Bug, Inspection, Out, Protocol, ProtocolOptions, RoleView, Spec, TimerId,
};

/// A try block is running; it finishes when this timer fires.
pub const COMPUTE: TimerId = TimerId(0);
/// The primary's heartbeat (and re-sending of an unacknowledged `Result`); a recovering node's
/// `Probe` tick.
pub const HEARTBEAT: TimerId = TimerId(1);
/// The shadow's failure detector: no word from the primary for this long, and it takes over.
pub const SUSPECT: TimerId = TimerId(2);

/// Recovery-block settings.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RecoveryBlockConfig {
    /// How long the primary routine takes.
    pub primary_block_time: Micros,
    /// How long the alternate takes (slower: a simpler, more careful implementation).
    pub alternate_block_time: Micros,
    /// Interval between heartbeats and probes.
    pub heartbeat_interval: Micros,
    /// Shortest silence of the primary before the shadow takes over.
    pub suspect_timeout_min: Micros,
    /// Longest silence of the primary before the shadow takes over.
    pub suspect_timeout_max: Micros,
    /// Whether the primary routine has its software fault.
    pub software_fault: bool,
    /// The primary routine is wrong on one input in this many.
    pub fault_one_in: u64,
    /// Planted bugs.
    pub bugs: RecoveryBlockBugs,
}

impl Default for RecoveryBlockConfig {
    fn default() -> Self {
        RecoveryBlockConfig {
            primary_block_time: 2 * MS,
            alternate_block_time: 6 * MS,
            heartbeat_interval: 50 * MS,
            suspect_timeout_min: 150 * MS,
            suspect_timeout_max: 300 * MS,
            software_fault: true,
            fault_one_in: 4,
            bugs: RecoveryBlockBugs::default(),
        }
    }
}

/// Deliberate mistakes a teacher (or a test) can switch on; each is caught by a checker.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct RecoveryBlockBugs {
    /// A try block's result is taken without running the acceptance test.
    pub skip_acceptance_test: bool,
    /// The alternate runs on the state the failed try block left behind.
    pub no_rollback: bool,
    /// A shadow takes over without starting a new epoch.
    pub swap_without_new_epoch: bool,
    /// A restarted node keeps its epoch, and a primary takes an acknowledgement by its count.
    pub ack_by_count: bool,
}

/// The planted bugs of recovery blocks: name, the invariant made to catch it, the scenario that shows it, and what goes wrong.
pub const BUGS: &[Bug] = &[
    Bug {
        name: "skip-acceptance-test",
        caught_by: "AcceptedResultsOnly",
        scenario: "rb_bug_skip_acceptance_test",
        about: "A try block's result is delivered without the acceptance test: the faulty primary routine's wrong results reach clients (caught by AcceptedResultsOnly, and by Linearizability).",
    },
    Bug {
        name: "no-rollback",
        caught_by: "Linearizability",
        scenario: "rb_bug_no_rollback",
        about: "After a failed try block the state is not restored to the recovery point: the alternate runs on what the faulty primary routine left behind, and its write to the wrong key survives into the store (caught by Linearizability).",
    },
    Bug {
        name: "swap-without-new-epoch",
        caught_by: "OnePrimaryPerEpoch",
        scenario: "rb_bug_swap_without_new_epoch",
        about: "A shadow that takes over keeps the old epoch instead of starting a new one: two nodes are primary in one epoch (caught by OnePrimaryPerEpoch as it takes over) and both deliver, a stale primary not fenced (caught by OneDelivererPerEpoch).",
    },
    Bug {
        name: "ack-by-count",
        caught_by: "StateMachineSafety",
        scenario: "rb_bug_ack_by_count",
        about: "A restarted node keeps its epoch, and the primary takes the shadow's acknowledgement by its count of inputs alone: a result sent before a crash reaches the shadow after the restart, and the restarted primary, reusing that input number for another command, delivers it on the shadow's acknowledgement of the stale one (caught by StateMachineSafety, and by Linearizability).",
    },
];

/// The switchable options of recovery blocks.
pub const OPTIONS: &[(&str, bool, &str)] = &[(
    "software-fault",
    true,
    "The primary routine has a software fault: on about one input in four it works on the neighbouring key (1 and 2, 3 and 4, ...). Off: both try blocks are correct.",
)];

impl RecoveryBlockBugs {
    /// Switches a planted bug on by name; false for an unknown name.
    pub fn enable(&mut self, name: &str) -> bool {
        let flag = match name {
            "skip-acceptance-test" => &mut self.skip_acceptance_test,
            "no-rollback" => &mut self.no_rollback,
            "swap-without-new-epoch" => &mut self.swap_without_new_epoch,
            "ack-by-count" => &mut self.ack_by_count,
            _ => return false,
        };
        *flag = true;
        true
    }
}

/// What a recovery-block node keeps on disk.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct RecoveryBlockDurable {
    /// The highest epoch this node has entered (0: never booted).
    pub epoch: u64,
    /// The number of inputs applied to the store.
    pub applied: u64,
    /// The store, with its client sessions: the state every accepted result was applied to.
    pub store: KvStore,
}

/// A node's role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// Takes inputs, runs the primary routine first, delivers accepted results.
    Primary,
    /// Runs the alternate first on the same inputs; takes over when the primary fails.
    Shadow,
    /// After a restart or a higher epoch: probing for the primary's state.
    Recovering,
    /// Nodes 3 and up: idle.
    Spare,
}

impl Role {
    /// The role's name in the trace.
    pub fn name(self) -> &'static str {
        match self {
            Role::Primary => "primary",
            Role::Shadow => "shadow",
            Role::Recovering => "recovering",
            Role::Spare => "spare",
        }
    }
}

/// Where a node's work on one input stands.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Phase {
    /// A try block is running (the `COMPUTE` timer is armed).
    Running(Block),
    /// A try block's result was accepted: the state it produced is in `work`.
    Accepted(Block, KvResult),
    /// Every try block failed its test: the recovery block raised an error.
    Failed,
}

/// One input being processed: the recovery block's run on one node.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Job {
    /// The input's sequence number.
    pub input: u64,
    /// The client's command.
    pub cmd: Cmd,
    /// The recovery point: the state before the input.
    pub recovery_point: KvStore,
    /// The state the try blocks work on.
    pub work: KvStore,
    /// The try block this node runs first (primary: the primary routine; shadow: the alternate).
    pub first: Block,
    /// Where it stands.
    pub phase: Phase,
    /// Primary: the accepted result was sent to the shadow and awaits the `Ack` of this state
    /// digest (the state the shadow holds once it has installed the result).
    pub awaiting_ack: Option<u64>,
}

/// What a recovery-block node loses in a crash.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RecoveryBlockVolatile {
    /// Current role.
    pub role: Role,
    /// The primary of the current epoch, if known.
    pub primary: Option<NodeId>,
    /// Primary: the shadow holds this node's state and must acknowledge every result.
    pub shadow_in_sync: bool,
    /// Primary: the peer was sent `State` and its `Ack` will make it the shadow.
    pub joining: bool,
    /// Primary: client inputs waiting for their turn.
    pub queue: VecDeque<Cmd>,
    /// The input in progress.
    pub job: Option<Job>,
    /// Shadow: the primary reported that its primary routine failed on this input.
    pub peer_failed: Option<u64>,
}

/// The digest of a node's applied state: the number of inputs applied and the store they
/// produced (its data and its client sessions, which name each client's last operation). A
/// shadow's `Ack` carries it, so an acknowledgement identifies the state, not just its length.
pub fn state_digest(applied: u64, store: &KvStore) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = crate::model::hash::StableHasher::new();
    (applied, store).hash(&mut h);
    h.finish()
}

/// A recovery-block node.
#[derive(Clone, Debug, Hash)]
pub struct RecoveryBlock {
    id: NodeId,
    cfg: RecoveryBlockConfig,
    /// Durable state.
    pub d: RecoveryBlockDurable,
    /// Volatile state.
    pub v: RecoveryBlockVolatile,
}

impl RecoveryBlock {
    /// This node's id.
    pub fn id(&self) -> NodeId {
        self.id
    }

    /// The settings.
    pub fn config(&self) -> &RecoveryBlockConfig {
        &self.cfg
    }

    /// The other node of the pair (nodes 1 and 2).
    fn peer(&self) -> NodeId {
        3 - self.id
    }

    fn reset_suspect_timer(&self, out: &mut Out<RecoveryBlockMsg>) {
        out.set_timer_random(
            SUSPECT,
            self.cfg.suspect_timeout_min,
            self.cfg.suspect_timeout_max,
        );
    }

    /// Answers a client that asked the wrong node.
    fn redirect(&self, client: ClientId, cmd: &Cmd, out: &mut Out<RecoveryBlockMsg>) {
        let hint = self.v.primary.filter(|p| *p != self.id);
        out.reply(client, Response::Redirect { op: cmd.op, hint });
    }

    fn dispatch(&mut self, from: NodeId, msg: RecoveryBlockMsg, out: &mut Out<RecoveryBlockMsg>) {
        use RecoveryBlockMsg as M;
        match msg {
            M::Input { input, cmd, .. } => self.handle_input(from, input, cmd, out),
            M::Failed { input, .. } => self.handle_failed(from, input, out),
            M::Result {
                input,
                cmd,
                result,
                store,
                ..
            } => self.handle_result(from, input, (*cmd, result), *store, out),
            M::Ack {
                applied, digest, ..
            } => self.handle_ack(from, (applied, digest), out),
            M::Heartbeat { .. } => self.handle_heartbeat(from, out),
            M::Probe { applied, .. } => self.handle_probe(from, applied, out),
            M::State { applied, store, .. } => self.handle_state(from, applied, store, out),
            // Its epoch was weighed by the caller: it was higher, and this node stepped down.
            M::Fence { .. } => {}
        }
    }

    /// First boot: node 1 is primary and node 2 its shadow in epoch 1, both with empty stores;
    /// nodes 3 and up are spares.
    fn first_boot(&mut self, out: &mut Out<RecoveryBlockMsg>) {
        match self.id {
            1 => {
                self.d.epoch = 1;
                self.v.role = Role::Primary;
                self.v.primary = Some(1);
                self.v.shadow_in_sync = true;
                out.set_timer(HEARTBEAT, self.cfg.heartbeat_interval);
            }
            2 => {
                self.d.epoch = 1;
                self.v.role = Role::Shadow;
                self.v.primary = Some(1);
                self.reset_suspect_timer(out);
            }
            _ => self.v.role = Role::Spare,
        }
    }
}

impl crate::sim::protocol::ScenarioView for RecoveryBlock {
    fn is_leader(&self) -> bool {
        self.v.role == Role::Primary
    }

    fn applied(&self) -> u64 {
        self.d.applied
    }
}

impl Spec for RecoveryBlock {
    type Config = RecoveryBlockConfig;
    const NAME: &'static str = "recovery-block";
    const PRIMARY_TIMER: TimerId = SUSPECT;
    const TIMERS: &'static [&'static str] = &["compute", "heartbeat", "suspect"];
    const BUGS: &'static [Bug] = BUGS;
    const OPTIONS: &'static [(&'static str, bool, &'static str)] = OPTIONS;

    fn check_nodes(nodes: u32) -> Result<(), Text> {
        if nodes < 2 {
            return Err(text!(NeedsShadow, nodes));
        }
        Ok(())
    }

    fn configure(options: &ProtocolOptions) -> Result<RecoveryBlockConfig, Text> {
        options.check_flags(Self::options())?;
        let mut cfg = RecoveryBlockConfig {
            software_fault: options.flag("software-fault").unwrap_or(true),
            ..RecoveryBlockConfig::default()
        };
        crate::sim::protocol::enable_bugs(options, Self::NAME, BUGS, |bug| cfg.bugs.enable(bug))?;
        Ok(cfg)
    }

    fn checkers<M: crate::model::event::Message + 'static>(
        _nodes: u32,
    ) -> Vec<Box<dyn crate::check::Invariant<M>>> {
        checkers()
    }
}

impl Protocol for RecoveryBlock {
    type Msg = RecoveryBlockMsg;
    type Durable = RecoveryBlockDurable;

    fn boot(
        id: NodeId,
        n: u32,
        config: &RecoveryBlockConfig,
        durable: RecoveryBlockDurable,
        out: &mut Out<RecoveryBlockMsg>,
    ) -> Self {
        assert!(n >= 2, "recovery-block needs at least 2 nodes");
        let mut node = RecoveryBlock {
            id,
            cfg: config.clone(),
            v: RecoveryBlockVolatile {
                role: Role::Recovering,
                primary: None,
                shadow_in_sync: false,
                joining: false,
                queue: VecDeque::new(),
                job: None,
                peer_failed: None,
            },
            d: durable,
        };
        if node.d.epoch == 0 {
            node.first_boot(out);
        } else if id > 2 {
            node.v.role = Role::Spare;
        } else {
            node.restart(out);
        }
        node
    }

    fn into_durable(self) -> RecoveryBlockDurable {
        self.d
    }

    fn on_message(&mut self, from: NodeId, msg: RecoveryBlockMsg, out: &mut Out<RecoveryBlockMsg>) {
        if self.v.role == Role::Spare || from > 2 {
            return;
        }
        let epoch = msg.epoch();
        if epoch < self.d.epoch {
            return self.fence(from, &msg, out);
        }
        if epoch > self.d.epoch {
            if self.peer_restarted(from, &msg) {
                // It probes from the new epoch of its restart (see `handle_probe`).
                self.d.epoch = epoch;
            } else {
                self.enter_epoch(epoch, out);
            }
        }
        self.dispatch(from, msg, out);
    }

    fn on_timer(&mut self, timer: TimerId, out: &mut Out<RecoveryBlockMsg>) {
        match (timer, self.v.role) {
            (COMPUTE, Role::Primary | Role::Shadow) => self.finish_block(out),
            (HEARTBEAT, Role::Primary) => self.heartbeat(out),
            (HEARTBEAT, Role::Recovering) => self.probe(out),
            (SUSPECT, Role::Shadow) => self.take_over("timeout", false, out),
            _ => {}
        }
    }

    fn on_request(&mut self, client: ClientId, cmd: Cmd, out: &mut Out<RecoveryBlockMsg>) {
        if self.v.role == Role::Primary {
            return self.handle_client_command(client, cmd, out);
        }
        self.redirect(client, &cmd, out);
    }

    fn role(&self) -> RoleView {
        RoleView {
            role: self.v.role.name().into(),
            epoch_name: "epoch".into(),
            epoch: self.d.epoch,
        }
    }

    fn inspect(&self) -> Inspection {
        self.inspection()
    }

    fn detail(&self) -> NodeDetail {
        self.node_detail()
    }

    fn measure(&self, m: &mut crate::model::chunked::Meter) {
        let job = self.v.job.as_ref().map_or(0, |j| {
            (j.recovery_point.entries().count() + j.work.entries().count()) * 16 + 64
        });
        m.add(std::mem::size_of::<Self>() + self.v.queue.len() * 48 + job);
        Self::measure_durable(&self.d, m);
    }

    fn measure_durable(d: &RecoveryBlockDurable, m: &mut crate::model::chunked::Meter) {
        m.add(d.store.entries().count() * 16 + 64);
    }
}
