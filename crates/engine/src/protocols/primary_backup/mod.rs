//! Primary-backup replication with automatic failover, promoted by a majority vote in the style of
//! Viewstamped Replication (Oki & Liskov 1988; Liskov & Cowling, "Viewstamped Replication
//! Revisited", 2012), with no outside configuration service.
//!
//! One node, the *primary*, serves every client operation; the others are *backups* that hold a
//! copy of its log. Time is divided into *views*, numbered by an *epoch*: a view is (epoch, primary,
//! backups). The state machine is the key-value store of [`crate::model::kv`].
//!
//! - **Normal operation.** The primary gives each operation (reads too, so they are linearizable)
//!   the next log index and sends it to every backup of the view with `Replicate`. A backup stores
//!   the entry in index order and answers `Ack`. Only when *every* backup of the view has
//!   acknowledged an index does the primary commit it: it applies the operation, answers the client,
//!   and tells the backups its commit point (in later `Replicate`s and `Heartbeat`s) so they apply
//!   it too. Backups never apply an entry the primary has not committed.
//! - **Failure detection.** The primary sends a `Heartbeat` every 50 ms. A backup that hears nothing
//!   from it for a randomized timeout *suspects* it. The primary, in turn, checks its backups: one
//!   that has been silent for a whole check interval is suspected, and the primary stands for
//!   re-election to form a view without it. The same check lets a node that was left out of the
//!   view (it was down, or cut off) back in once it has caught up.
//! - **Promotion by majority.** A suspecting node becomes a *candidate*: it enters epoch + 1, votes
//!   for itself and sends `StartView` to everyone. A node votes for at most one candidate per epoch
//!   (the epoch and the vote are durable), and only for a candidate whose log is at least as
//!   up-to-date as its own (last entry's epoch, then length). With votes from a majority of *all*
//!   nodes the candidate waits for the stragglers (until every node answered, or its next 50 ms
//!   tick) and then forms the view: its backups are exactly the nodes that voted for it.
//! - **Catch-up.** Before serving, the new primary makes sure it holds the longest log among its
//!   voters: each vote reports the voter's log, and if one is ahead the new primary fetches what it
//!   lacks (`Fetch` / `Entries`) first. (The voting rule already makes the candidate's log the most
//!   up-to-date among its voters, so this is insurance, and the step Viewstamped Replication relies
//!   on when voters do not compare logs.) It then appends a no-op of its own epoch and announces the
//!   view with `NewView`. Each member fetches the primary's log from its own commit point on,
//!   replacing any uncommitted suffix left by an older view; once it holds the whole log it is a
//!   backup again and acknowledges. The no-op commits once every member has it, and with it every
//!   entry the new primary adopted: like Raft, a primary only counts acknowledgements for an entry
//!   of its own epoch, since a copy of an older entry on every member of a view does not stop a
//!   later candidate with a different entry from winning (Raft's Figure 8).
//! - **Fencing.** Every message carries the sender's epoch. A node refuses anything from a lower
//!   epoch and answers with its own, and anything from a higher epoch makes it adopt that epoch and
//!   step down. A primary cut off with a minority can never commit again: some backup of its view is
//!   on the majority side, and either cannot hear it or has moved to a higher epoch and refuses its
//!   `Replicate`s. When the old primary hears the higher epoch, it steps down.
//!
//! **Why no acknowledged write is lost.** A write is acknowledged only once every member of a view
//! stores it, and the members of a view with the primary are a majority. Any later view is formed by
//! a majority of voters; two majorities share a node, which holds the write, and the new primary's
//! log is at least as up-to-date as that node's (by the voting rule, and again by the catch-up), so
//! every later primary holds it (the argument of Raft's Leader Completeness). A primary standing
//! for re-election keeps its waiting clients and answers them if it wins; a node that steps down
//! redirects them, and the store's sessions make their retries safe.
//!
//! **Durable:** the epoch, the vote, the log and its commit point. **Volatile:** the role, the view,
//! the store (rebuilt at boot by replaying the committed prefix of the log), votes and the clients
//! waiting for answers.
//!
//! Roles: `primary`, `backup` (a member of the view holding the primary's whole log), `candidate`
//! (collecting votes) and `recovering` (catching up: after a restart, a new view, or while left out
//! of the view). Planted bugs for teaching are listed in [`BUGS`].

mod backup;
mod checkers;
mod display;
mod message;
mod primary;
#[cfg(test)]
mod tests;
mod view;

use std::collections::BTreeMap;

pub use checkers::{checkers, NoLostAcknowledgedWrite, ONE_PRIMARY_PER_EPOCH};
pub use message::PrimaryBackupMsg;

use crate::model::event::Response;
use crate::model::kv::{Cmd, KvStore};
use crate::model::text::Text;
use crate::model::types::{ClientId, Micros, NodeId, OpId, MS};
use crate::model::view::NodeDetail;
use crate::replicated::Log;
use crate::sim::protocol::{
    Bug, Inspection, Out, Protocol, ProtocolOptions, RoleView, Spec, TimerId,
};

/// The suspicion timer: a backup that hears no primary for this long suspects it (a candidate
/// tries again); on a primary it paces the check of its backups.
pub const SUSPECT: TimerId = TimerId(0);
/// The primary's heartbeat timer (a candidate's tick: re-send `StartView`, or form the view).
pub const HEARTBEAT: TimerId = TimerId(1);

/// Primary-backup settings.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PrimaryBackupConfig {
    /// Shortest time without a primary before a node suspects it.
    pub suspect_timeout_min: Micros,
    /// Longest time without a primary before a node suspects it.
    pub suspect_timeout_max: Micros,
    /// Interval between the primary's heartbeats (and a candidate's ticks).
    pub heartbeat_interval: Micros,
    /// How often the primary checks that every backup of its view has been heard from.
    pub backup_check_interval: Micros,
    /// Most entries in one `Entries` answer.
    pub max_entries_per_fetch: usize,
    /// Planted bugs.
    pub bugs: PrimaryBackupBugs,
}

impl Default for PrimaryBackupConfig {
    fn default() -> Self {
        PrimaryBackupConfig {
            suspect_timeout_min: 150 * MS,
            suspect_timeout_max: 300 * MS,
            heartbeat_interval: 50 * MS,
            backup_check_interval: 300 * MS,
            max_entries_per_fetch: 64,
            bugs: PrimaryBackupBugs::default(),
        }
    }
}

/// Deliberate mistakes a teacher (or a test) can switch on; each is caught by a checker.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct PrimaryBackupBugs {
    /// A suspecting node promotes itself without votes, and epochs are never checked: split brain
    /// (breaks OnePrimaryPerEpoch).
    pub no_fencing: bool,
    /// The primary acknowledges a write as soon as it stored it, before its backups have it
    /// (breaks NoLostAcknowledgedWrite when it fails right after).
    pub ack_before_replication: bool,
}

/// The planted bugs of primary-backup: name, the invariant made to catch it, the scenario that shows it, and what goes wrong.
pub const BUGS: &[Bug] = &[
    Bug {
        name: "no-fencing",
        caught_by: "OnePrimaryPerEpoch",
        scenario: "pb_bug_no_fencing",
        about: "A suspecting backup promotes itself without a majority, and nobody checks epochs: a deposed primary keeps serving and two nodes can be primary of one epoch, split brain (caught by OnePrimaryPerEpoch).",
    },
    Bug {
        name: "ack-before-replication",
        caught_by: "NoLostAcknowledgedWrite",
        scenario: "pb_bug_ack_before_replication",
        about: "The primary acknowledges a write as soon as it stored it, before every backup has it; if it fails right after, the next primary does not have the write (caught by NoLostAcknowledgedWrite).",
    },
];

impl PrimaryBackupBugs {
    /// Switches a planted bug on by name; false for an unknown name.
    pub fn enable(&mut self, name: &str) -> bool {
        let flag = match name {
            "no-fencing" => &mut self.no_fencing,
            "ack-before-replication" => &mut self.ack_before_replication,
            _ => return false,
        };
        *flag = true;
        true
    }
}

/// A set of node ids (1 to 64) as a bit set: node n is bit n - 1.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct NodeSet(pub u64);

impl NodeSet {
    /// The set holding only `id`.
    pub fn of(id: NodeId) -> Self {
        NodeSet(1u64 << (id - 1))
    }

    /// Adds `id`.
    pub fn insert(&mut self, id: NodeId) {
        self.0 |= 1u64 << (id - 1);
    }

    /// The same set without `id`.
    pub fn without(self, id: NodeId) -> Self {
        NodeSet(self.0 & !(1u64 << (id - 1)))
    }

    /// Is `id` in the set?
    pub fn contains(self, id: NodeId) -> bool {
        id >= 1 && self.0 & (1u64 << (id - 1)) != 0
    }

    /// Number of members.
    pub fn len(self) -> u32 {
        self.0.count_ones()
    }

    /// True when empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The members, in increasing order.
    pub fn iter(self) -> impl Iterator<Item = NodeId> {
        (1..=64).filter(move |id| self.contains(*id))
    }
}

/// What a primary-backup node keeps on disk.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct PrimaryBackupDurable {
    /// The highest epoch this node has entered.
    pub epoch: u64,
    /// The candidate it voted for in `epoch`.
    pub voted_for: Option<NodeId>,
    /// The log of operations; an entry's `term` is the epoch of the primary that created it.
    pub log: Log,
    /// Every entry up to here is known committed (acknowledged by a whole view).
    pub commit: u64,
}

/// A node's role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// Serves clients and replicates to the backups of its view.
    Primary,
    /// A member of the view holding the primary's whole log.
    Backup,
    /// Collecting votes to become primary of a new view.
    Candidate,
    /// Catching up: after a restart, when a new view starts, or while left out of the view.
    Recovering,
}

impl Role {
    /// The role's name in the trace.
    pub fn name(self) -> &'static str {
        match self {
            Role::Primary => "primary",
            Role::Backup => "backup",
            Role::Candidate => "candidate",
            Role::Recovering => "recovering",
        }
    }
}

/// What a primary-backup node loses in a crash.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PrimaryBackupVolatile {
    /// Current role.
    pub role: Role,
    /// The primary of the current epoch, if known.
    pub primary: Option<NodeId>,
    /// The backups of the current view, as last announced by its primary.
    pub backups: NodeSet,
    /// The log is known equal to the primary's (or the catch-up source's) up to here.
    pub synced: u64,
    /// Highest index applied to the store.
    pub applied: u64,
    /// The replicated store.
    pub kv: KvStore,
    /// Candidate: nodes that granted their vote.
    pub votes: NodeSet,
    /// Candidate: nodes that answered at all.
    pub answered: NodeSet,
    /// Candidate: each voter's log as its vote reported it, (last entry's epoch, length), by node.
    pub reports: Vec<(u64, u64)>,
    /// New primary catching up: the voter whose longer log it is fetching.
    pub source: Option<NodeId>,
    /// Primary: the highest index each node acknowledged, by node.
    pub matched: Vec<u64>,
    /// Primary: nodes heard from since the last check of the backups.
    pub heard: NodeSet,
    /// Primary: clients to answer when an index is applied.
    pub pending: BTreeMap<u64, (ClientId, OpId)>,
}

/// A primary-backup node.
#[derive(Clone, Debug, Hash)]
pub struct PrimaryBackup {
    id: NodeId,
    n: u32,
    cfg: PrimaryBackupConfig,
    /// Durable state.
    pub d: PrimaryBackupDurable,
    /// Volatile state.
    pub v: PrimaryBackupVolatile,
}

impl PrimaryBackup {
    /// This node's id.
    pub fn id(&self) -> NodeId {
        self.id
    }

    /// The settings.
    pub fn config(&self) -> &PrimaryBackupConfig {
        &self.cfg
    }

    fn majority(&self) -> u32 {
        self.n / 2 + 1
    }

    fn peers(&self) -> impl Iterator<Item = NodeId> {
        let me = self.id;
        (1..=self.n).filter(move |p| *p != me)
    }

    /// The log's position as a vote compares it: (last entry's epoch, length).
    fn log_position(&self) -> (u64, u64) {
        (self.d.log.last_term(), self.d.log.last_index())
    }

    fn reset_suspect_timer(&self, out: &mut Out<PrimaryBackupMsg>) {
        out.set_timer_random(
            SUSPECT,
            self.cfg.suspect_timeout_min,
            self.cfg.suspect_timeout_max,
        );
    }

    /// Answers every client waiting on this node with a redirect to the primary it knows.
    fn redirect_pending(&mut self, out: &mut Out<PrimaryBackupMsg>) {
        let hint = self.v.primary.filter(|p| *p != self.id);
        for (_, (client, op)) in std::mem::take(&mut self.v.pending) {
            out.reply(client, Response::Redirect { op, hint });
        }
    }

    /// Fences a message from an older epoch: the answer carries this node's epoch, so a deposed
    /// primary or a stale candidate learns it and steps down.
    fn fence(&self, from: NodeId, msg: &PrimaryBackupMsg, out: &mut Out<PrimaryBackupMsg>) {
        let epoch = self.d.epoch;
        match msg {
            PrimaryBackupMsg::StartView { .. } => {
                let (last_epoch, last_index) = self.log_position();
                let granted = false;
                let vote = PrimaryBackupMsg::Vote {
                    epoch,
                    granted,
                    last_epoch,
                    last_index,
                };
                out.send(from, vote);
            }
            PrimaryBackupMsg::Replicate { .. }
            | PrimaryBackupMsg::Heartbeat { .. }
            | PrimaryBackupMsg::NewView { .. }
            | PrimaryBackupMsg::Fetch { .. } => {
                let refused = true;
                out.send(
                    from,
                    PrimaryBackupMsg::Ack {
                        epoch,
                        index: 0,
                        refused,
                    },
                )
            }
            _ => {}
        }
    }

    fn dispatch(&mut self, from: NodeId, msg: PrimaryBackupMsg, out: &mut Out<PrimaryBackupMsg>) {
        use PrimaryBackupMsg as M;
        match msg {
            M::StartView {
                last_epoch,
                last_index,
                ..
            } => self.handle_start_view(from, (last_epoch, last_index), out),
            M::Vote {
                granted,
                last_epoch,
                last_index,
                ..
            } => self.handle_vote(from, granted, (last_epoch, last_index), out),
            M::NewView { backups, .. } => self.handle_new_view(from, backups, out),
            M::Replicate {
                index,
                entry,
                commit,
                ..
            } => self.handle_replicate(from, index, entry, commit, out),
            // A refusal's epoch was weighed above: it was higher, and this node stepped down.
            M::Ack { refused: true, .. } => {}
            M::Ack { index, .. } => self.handle_ack(from, index, out),
            M::Heartbeat {
                backups,
                last,
                commit,
                ..
            } => self.handle_heartbeat(from, backups, last, commit, out),
            M::Fetch { first, .. } => self.handle_fetch(from, first, out),
            M::Entries {
                first,
                entries,
                last,
                commit,
                ..
            } => self.handle_entries(from, first, entries, (last, commit), out),
        }
    }
}

impl crate::sim::protocol::ScenarioView for PrimaryBackup {
    fn is_leader(&self) -> bool {
        self.v.role == Role::Primary
    }

    fn applied(&self) -> u64 {
        self.v.applied
    }
}

impl Spec for PrimaryBackup {
    type Config = PrimaryBackupConfig;
    const NAME: &'static str = "primary-backup";
    const PRIMARY_TIMER: TimerId = SUSPECT;
    const TIMERS: &'static [&'static str] = &["suspect", "heartbeat"];
    const BUGS: &'static [Bug] = BUGS;

    fn configure(options: &ProtocolOptions) -> Result<PrimaryBackupConfig, Text> {
        options.check_flags(Self::options())?;
        let mut cfg = PrimaryBackupConfig::default();
        crate::sim::protocol::enable_bugs(options, Self::NAME, BUGS, |bug| cfg.bugs.enable(bug))?;
        Ok(cfg)
    }

    fn checkers<M: crate::model::event::Message + 'static>(
        _nodes: u32,
    ) -> Vec<Box<dyn crate::check::Invariant<M>>> {
        checkers()
    }
}

impl Protocol for PrimaryBackup {
    type Msg = PrimaryBackupMsg;
    type Durable = PrimaryBackupDurable;

    fn boot(
        id: NodeId,
        n: u32,
        config: &PrimaryBackupConfig,
        mut durable: PrimaryBackupDurable,
        out: &mut Out<PrimaryBackupMsg>,
    ) -> Self {
        assert!(
            (1..=64).contains(&n),
            "primary-backup supports 1 to 64 nodes"
        );
        durable.commit = durable.commit.min(durable.log.last_index());
        let mut node = PrimaryBackup {
            id,
            n,
            cfg: config.clone(),
            v: PrimaryBackupVolatile {
                role: Role::Recovering,
                primary: None,
                backups: NodeSet::default(),
                synced: durable.commit,
                applied: 0,
                kv: KvStore::default(),
                votes: NodeSet::default(),
                answered: NodeSet::default(),
                reports: vec![(0, 0); n as usize],
                source: None,
                matched: vec![0; n as usize],
                heard: NodeSet::default(),
                pending: BTreeMap::new(),
            },
            d: durable,
        };
        node.apply_committed(out);
        node.reset_suspect_timer(out);
        node
    }

    fn into_durable(self) -> PrimaryBackupDurable {
        self.d
    }

    fn on_message(
        &mut self,
        from: NodeId,
        mut msg: PrimaryBackupMsg,
        out: &mut Out<PrimaryBackupMsg>,
    ) {
        let epoch = msg.epoch();
        let unfenced = self.cfg.bugs.no_fencing;
        if unfenced && (epoch < self.d.epoch || self.v.role == Role::Primary) {
            // The planted bug: an old epoch passes for the current one, and a primary never yields.
            msg.set_epoch(self.d.epoch);
        } else if epoch < self.d.epoch {
            return self.fence(from, &msg, out);
        } else if epoch > self.d.epoch {
            self.enter_epoch(epoch, msg.primary_hint(from), out);
        }
        self.dispatch(from, msg, out);
    }

    fn on_timer(&mut self, timer: TimerId, out: &mut Out<PrimaryBackupMsg>) {
        match (timer, self.v.role) {
            (SUSPECT, Role::Primary) => self.check_backups(out),
            (SUSPECT, _) => self.become_candidate(out),
            (HEARTBEAT, Role::Primary) => self.heartbeat(out),
            (HEARTBEAT, Role::Candidate) => self.candidate_tick(out),
            _ => {}
        }
    }

    fn on_request(&mut self, client: ClientId, cmd: Cmd, out: &mut Out<PrimaryBackupMsg>) {
        if self.v.role == Role::Primary {
            return self.handle_client_command(client, cmd, out);
        }
        let hint = self.v.primary.filter(|p| *p != self.id);
        out.reply(client, Response::Redirect { op: cmd.op, hint });
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
        let per_node = self.v.reports.len() * 16 + self.v.matched.len() * 8;
        m.add(std::mem::size_of::<Self>() + self.v.pending.len() * 48 + per_node);
        Self::measure_durable(&self.d, m);
    }

    fn measure_durable(d: &PrimaryBackupDurable, m: &mut crate::model::chunked::Meter) {
        d.log.measure(m);
    }
}
