//! Raft, as in Ongaro & Ousterhout, "In Search of an Understandable Consensus Algorithm" (2014).
//!
//! A Raft cluster keeps a replicated log. Time is divided into *terms*, each beginning with an
//! election. A node is a follower, a candidate or a leader (plus the optional pre-candidate of
//! PreVote, section 9.6 of Ongaro's thesis):
//!
//! - **Election (section 5.2).** A follower that hears nothing from a leader for a randomized
//!   election timeout becomes a candidate: it increments its term, votes for itself and asks every
//!   other node for a vote with `RequestVote`. A node grants at most one vote per term, and only to
//!   a candidate whose log is at least as up-to-date as its own (section 5.4.1). A majority of votes
//!   makes the candidate leader. Randomized timeouts make split votes rare and short.
//! - **Replication (section 5.3).** The leader appends client commands to its log and sends them
//!   with `AppendEntries`, which carries the index and term of the entry just before the new ones.
//!   A follower accepts only if its log holds that entry (the consistency check), deleting any
//!   conflicting suffix; otherwise the leader backs `nextIndex` off and retries.
//! - **Commitment (sections 5.3, 5.4.2).** An entry is committed once the leader has stored it on a
//!   majority, *and* it is from the leader's current term: counting replicas of an older term's
//!   entry is unsafe (the paper's Figure 8). Committing an entry commits everything before it.
//! - **The no-op of a new term (section 8).** Because only current-term entries commit by
//!   counting, a new leader appends a no-op entry of its term as soon as it is elected: once the
//!   no-op is on a majority it commits, and with it every entry of earlier terms before it, without
//!   waiting for a client to write. (Option `noop`, on by default; off, an earlier term's entry
//!   waits for the next client command, `scenarios/raft_no_noop_leaves_previous_term_uncommitted.scn`.)
//! - **Safety.** Terms are persisted with `votedFor` and the log before any message depends on them;
//!   any message with a higher term makes the receiver step down to follower.
//!
//! The state machine is the replicated key-value store of [`crate::model::kv`]: commands are applied in
//! log order once committed, and the leader answers the client then.
//!
//! Log compaction (section 7): every node snapshots its state machine every
//! `snapshot_interval` applied entries and drops that prefix of its log; a leader sends its
//! snapshot with `InstallSnapshot` to a follower that needs compacted entries; a restarted node
//! recovers from its snapshot and replays the committed entries after it (see `snapshot.rs`).
//!
//! Options: PreVote (a node first asks whether it *could* win before disrupting anyone with a
//! higher term), CheckQuorum (a leader that stops hearing from a majority steps down), and the
//! conflict-term hint that lets a leader skip back a whole term at a time. Planted bugs for
//! teaching are listed in [`RaftBugs`].

mod checkers;
mod current_term_commit;
mod election;
mod message;
mod mirror;
mod replication;
mod snapshot;
mod snapshot_safety;

use crate::model::text::{text, Phrase, Text};
use std::collections::BTreeMap;

use crate::replicated::entry_label;
pub use crate::replicated::{Entry, Log};
pub use checkers::{checkers, SnapshotSafety, StateMachineSafety};
pub use message::RaftMsg;
pub use snapshot::Snapshot;

use crate::model::event::Response;
use crate::model::kv::{Cmd, KvStore};
use crate::model::types::{ClientId, Micros, NodeId, OpId, MS};
use crate::model::view::{CellState, LogCell, NodeDetail, PeerMark};
use crate::sim::protocol::{
    Bug, Inspection, Out, Protocol, ProtocolOptions, RoleView, Spec, TimerId,
};

/// The election timer (also CheckQuorum's timer on a leader).
pub const ELECTION: TimerId = TimerId(0);
/// The leader's heartbeat timer.
pub const HEARTBEAT: TimerId = TimerId(1);

/// Applied entries between two snapshots unless the `snapshot-interval` option says otherwise.
pub const DEFAULT_SNAPSHOT_INTERVAL: u64 = 64;

/// Raft's settings.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RaftConfig {
    /// Shortest election timeout.
    pub election_timeout_min: Micros,
    /// Longest election timeout.
    pub election_timeout_max: Micros,
    /// Interval between a leader's heartbeats.
    pub heartbeat_interval: Micros,
    /// Most entries in one AppendEntries.
    pub max_entries_per_append: usize,
    /// Ask for pre-votes before starting a real election (thesis section 9.6).
    pub prevote: bool,
    /// A leader steps down when it has not heard from a majority within an election timeout.
    pub check_quorum: bool,
    /// Followers report the conflicting term so the leader can skip back a term at a time.
    pub conflict_hint: bool,
    /// Take a snapshot (and compact the log) every this many applied entries; 0: never.
    pub snapshot_interval: u64,
    /// A new leader appends a no-op entry of its term (section 8).
    pub noop: bool,
    /// Planted bugs.
    pub bugs: RaftBugs,
}

impl Default for RaftConfig {
    fn default() -> Self {
        RaftConfig {
            election_timeout_min: 150 * MS,
            election_timeout_max: 300 * MS,
            heartbeat_interval: 50 * MS,
            max_entries_per_append: 64,
            prevote: false,
            check_quorum: false,
            conflict_hint: false,
            snapshot_interval: DEFAULT_SNAPSHOT_INTERVAL,
            noop: true,
            bugs: RaftBugs::default(),
        }
    }
}

/// Deliberate mistakes a teacher (or a test) can switch on; each is caught by a checker.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct RaftBugs {
    /// Grant votes without the up-to-date-log check (breaks LeaderCompleteness).
    pub vote_without_log_check: bool,
    /// Commit entries of earlier terms by counting replicas (Figure 8; breaks CurrentTermCommit,
    /// and StateMachineSafety once a later leader overwrites the entry).
    pub commit_previous_term: bool,
    /// Keep `votedFor` only in memory, so a restarted node can vote twice in a term
    /// (breaks ElectionSafety).
    pub forget_vote: bool,
    /// Overwrite a conflicting entry without deleting the entries after it (breaks LogMatching).
    pub keep_stale_suffix: bool,
    /// Snapshot the whole log, applying entries that are not yet committed (breaks
    /// SnapshotSafety).
    pub snapshot_uncommitted: bool,
    /// Install any snapshot a leader sends, even one older than the state machine, and always
    /// discard the whole log (breaks SnapshotSafety).
    pub install_stale_snapshot: bool,
}

/// The planted bugs of Raft: name, the invariant made to catch it, the scenario that shows it, and what goes wrong.
pub const BUGS: &[Bug] = &[
    Bug {
        name: "vote-without-log-check",
        caught_by: "LeaderCompleteness",
        scenario: "bug_vote_without_log_check",
        about: "Voters skip the up-to-date-log check, so a node missing committed entries can become leader (caught by LeaderCompleteness).",
    },
    Bug {
        name: "commit-previous-term",
        caught_by: "CurrentTermCommit",
        scenario: "figure8_bug_commits_previous_term",
        about: "A leader commits an earlier term's entry by counting replicas, the paper's Figure 8 mistake (caught by CurrentTermCommit when it commits, and by StateMachineSafety and LeaderCompleteness once a later leader overwrites the entry). The no-op of a new term (option noop) hides it: its scenario turns the option off.",
    },
    Bug {
        name: "forget-vote",
        caught_by: "VoteOncePerTerm",
        scenario: "bug_forget_vote",
        about: "votedFor is kept only in memory, so a node that crashes and restarts can vote twice in one term (caught by VoteOncePerTerm when it votes again, and by ElectionSafety when two leaders follow).",
    },
    Bug {
        name: "keep-stale-suffix",
        caught_by: "LogMatching",
        scenario: "bug_keep_stale_suffix",
        about: "A follower overwrites a conflicting entry but keeps the stale entries after it (caught by LogMatching).",
    },
    Bug {
        name: "snapshot-uncommitted",
        caught_by: "SnapshotSafety",
        scenario: "bug_snapshot_uncommitted",
        about: "A node snapshots its whole log, applying entries that are not committed yet (caught by SnapshotSafety).",
    },
    Bug {
        name: "install-stale-snapshot",
        caught_by: "SnapshotSafety",
        scenario: "bug_install_stale_snapshot",
        about: "A follower installs a snapshot older than its state machine, rolling it back and discarding its log (caught by SnapshotSafety).",
    },
];

/// Raft's numeric options: name, default, and what it sets.
pub const VALUE_OPTIONS: &[(&str, u64, &str)] = &[
    (
        "snapshot-interval",
        DEFAULT_SNAPSHOT_INTERVAL,
        "Take a snapshot and compact the log every N applied entries (0: never).",
    ),
    (
        "election-min-ms",
        150,
        "The shortest election timeout in ms; each timeout is drawn uniformly from min to max (more than the 50 ms heartbeat).",
    ),
    (
        "election-max-ms",
        300,
        "The longest election timeout in ms, at least the shortest and at most 10000 (the paper's Figure 16 compares 150-151 to 150-300).",
    ),
];

/// Raft's switchable options: name, default, and what it does.
pub const OPTIONS: &[(&str, bool, &str)] = &[
    ("prevote", false, "Ask for pre-votes before starting an election, so a rejoining node cannot disrupt the cluster (thesis 9.6)."),
    ("check-quorum", false, "A leader steps down when it has not heard from a majority within an election timeout."),
    ("conflict-hint", false, "Followers report the conflicting term so the leader backs nextIndex off a whole term at a time."),
    ("noop", true, "A new leader appends a no-op entry of its term (section 8), so entries of earlier terms commit without waiting for a client write."),
];

impl RaftBugs {
    /// Switches a planted bug on by name; false for an unknown name.
    pub fn enable(&mut self, name: &str) -> bool {
        let flag = match name {
            "vote-without-log-check" => &mut self.vote_without_log_check,
            "commit-previous-term" => &mut self.commit_previous_term,
            "forget-vote" => &mut self.forget_vote,
            "keep-stale-suffix" => &mut self.keep_stale_suffix,
            "snapshot-uncommitted" => &mut self.snapshot_uncommitted,
            "install-stale-snapshot" => &mut self.install_stale_snapshot,
            _ => return false,
        };
        *flag = true;
        true
    }
}

/// What a Raft node keeps on disk.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct RaftDurable {
    /// The latest term this node has seen.
    pub current_term: u64,
    /// Whom it voted for in `current_term`.
    pub voted_for: Option<NodeId>,
    /// The log (after the snapshot).
    pub log: Log,
    /// The latest snapshot of the state machine (`last_index` 0: none yet).
    pub snapshot: Snapshot,
    /// The commit index as last written (an optimisation: lets a restarted node replay what it
    /// knows committed; see `snapshot.rs`).
    pub commit_index: u64,
}

/// A node's role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// Follows a leader, votes, times out.
    Follower,
    /// Asking whether it could win an election (PreVote).
    PreCandidate,
    /// Running for leader.
    Candidate,
    /// Leads the term.
    Leader,
}

impl Role {
    /// The role's name in the trace.
    pub fn name(self) -> &'static str {
        match self {
            Role::Follower => "follower",
            Role::PreCandidate => "pre-candidate",
            Role::Candidate => "candidate",
            Role::Leader => "leader",
        }
    }
}

/// What a Raft node loses in a crash.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RaftVolatile {
    /// Current role.
    pub role: Role,
    /// The leader this node believes in.
    pub leader: Option<NodeId>,
    /// Highest index known committed.
    pub commit_index: u64,
    /// Highest index applied to the store.
    pub last_applied: u64,
    /// The replicated store.
    pub kv: KvStore,
    /// Votes (or pre-votes) received, as a bit set of node ids.
    pub votes: u64,
    /// Leader: next index to send to each node (index `id - 1`).
    pub next_index: Vec<u64>,
    /// Leader: highest index known replicated on each node.
    pub match_index: Vec<u64>,
    /// Leader: the last index of the newest AppendEntries with entries sent to each node and not
    /// yet acknowledged (0: none outstanding). While one is outstanding, new commands and stale
    /// or duplicated replies send nothing more to that node: one append in flight per follower,
    /// as etcd's probe state, re-sent by the heartbeat if it was lost.
    pub sent_to: Vec<u64>,
    /// Leader: nodes heard from since the last CheckQuorum tick.
    pub heard: u64,
    /// Leader: clients to answer when an index is applied.
    pub pending: BTreeMap<u64, (ClientId, OpId)>,
}

/// A Raft node.
#[derive(Clone, Debug, Hash)]
pub struct Raft {
    id: NodeId,
    n: u32,
    cfg: RaftConfig,
    /// Durable state.
    pub d: RaftDurable,
    /// Volatile state.
    pub v: RaftVolatile,
}

fn bit(id: NodeId) -> u64 {
    1u64 << (id - 1)
}

impl Raft {
    /// This node's id.
    pub fn id(&self) -> NodeId {
        self.id
    }

    /// The settings.
    pub fn config(&self) -> &RaftConfig {
        &self.cfg
    }

    fn majority(&self) -> u32 {
        self.n / 2 + 1
    }

    fn peers(&self) -> impl Iterator<Item = NodeId> {
        let me = self.id;
        (1..=self.n).filter(move |p| *p != me)
    }

    /// The log as its terms (`[1 1 2]`), or its length and last term when long.
    fn describe_log(&self) -> String {
        if self.d.log.len() > 24 {
            let (n, t) = (self.d.log.last_index(), self.d.log.last_term());
            return text!(LogSummaryTerm, n, t).to_string();
        }
        let terms: Vec<String> = self.d.log.entries().map(|e| e.term.to_string()).collect();
        match self.d.log.snapshot_index() {
            0 => format!("[{}]", terms.join(" ")),
            s => format!("[snap@{s} {}]", terms.join(" ")),
        }
    }

    fn reset_election_timer(&self, out: &mut Out<RaftMsg>) {
        out.set_timer_random(
            ELECTION,
            self.cfg.election_timeout_min,
            self.cfg.election_timeout_max,
        );
    }

    /// Answers every client waiting on this node with a redirect (after stepping down).
    fn redirect_pending(&mut self, out: &mut Out<RaftMsg>) {
        let hint = self.v.leader.filter(|l| *l != self.id);
        for (_, (client, op)) in std::mem::take(&mut self.v.pending) {
            out.reply(client, Response::Redirect { op, hint });
        }
    }
}

impl crate::sim::protocol::ScenarioView for Raft {
    fn is_leader(&self) -> bool {
        self.v.role == Role::Leader
    }

    fn applied(&self) -> u64 {
        self.v.last_applied
    }
}

/// Sets the election timeout range from options `election-min-ms` and `election-max-ms`.
fn election_timeouts(options: &ProtocolOptions, cfg: &mut RaftConfig) -> Result<(), Text> {
    let ms = |name: &str, default: Micros| {
        options
            .value(name)
            .map_or(default, |v| v.saturating_mul(MS))
    };
    let (min, max) = (
        ms("election-min-ms", cfg.election_timeout_min),
        ms("election-max-ms", cfg.election_timeout_max),
    );
    if min <= cfg.heartbeat_interval {
        return Err(text!(ElectionMin, cfg.heartbeat_interval / MS));
    }
    if max < min || max > 10_000 * MS {
        return Err(Text::word(Phrase::ElectionMax));
    }
    (cfg.election_timeout_min, cfg.election_timeout_max) = (min, max);
    Ok(())
}

impl Spec for Raft {
    type Config = RaftConfig;
    const NAME: &'static str = "raft";
    const PRIMARY_TIMER: TimerId = ELECTION;
    const TIMERS: &'static [&'static str] = &["election", "heartbeat"];
    const BUGS: &'static [Bug] = BUGS;
    const OPTIONS: &'static [(&'static str, bool, &'static str)] = OPTIONS;
    const VALUE_OPTIONS: &'static [(&'static str, u64, &'static str)] = VALUE_OPTIONS;

    fn configure(options: &ProtocolOptions) -> Result<RaftConfig, Text> {
        options.check_flags(OPTIONS)?;
        options.check_values(VALUE_OPTIONS)?;
        let mut cfg = RaftConfig::default();
        cfg.prevote = options.flag("prevote").unwrap_or(cfg.prevote);
        cfg.check_quorum = options.flag("check-quorum").unwrap_or(cfg.check_quorum);
        cfg.conflict_hint = options.flag("conflict-hint").unwrap_or(cfg.conflict_hint);
        cfg.noop = options.flag("noop").unwrap_or(cfg.noop);
        cfg.snapshot_interval = options
            .value("snapshot-interval")
            .unwrap_or(cfg.snapshot_interval);
        election_timeouts(options, &mut cfg)?;
        crate::sim::protocol::enable_bugs(options, Self::NAME, BUGS, |bug| cfg.bugs.enable(bug))?;
        Ok(cfg)
    }

    fn checkers<M: crate::model::event::Message + 'static>(
        _nodes: u32,
    ) -> Vec<Box<dyn crate::check::Invariant<M>>> {
        checkers()
    }
}

impl Protocol for Raft {
    type Msg = RaftMsg;
    type Durable = RaftDurable;

    fn boot(
        id: NodeId,
        n: u32,
        config: &RaftConfig,
        mut durable: RaftDurable,
        out: &mut Out<RaftMsg>,
    ) -> Self {
        assert!((1..=64).contains(&n), "Raft supports 1 to 64 nodes");
        if config.bugs.forget_vote {
            durable.voted_for = None;
        }
        let mut node = Raft {
            id,
            n,
            cfg: config.clone(),
            d: durable,
            v: RaftVolatile {
                role: Role::Follower,
                leader: None,
                commit_index: 0,
                last_applied: 0,
                kv: KvStore::default(),
                votes: 0,
                next_index: vec![1; n as usize],
                match_index: vec![0; n as usize],
                sent_to: vec![0; n as usize],
                heard: 0,
                pending: BTreeMap::new(),
            },
        };
        node.reset_election_timer(out);
        node.recover(out);
        node
    }

    fn into_durable(self) -> RaftDurable {
        self.d
    }

    fn on_message(&mut self, from: NodeId, msg: RaftMsg, out: &mut Out<RaftMsg>) {
        if msg.term() > self.d.current_term && !msg.is_prevote_traffic() {
            self.become_follower(msg.term(), None, out);
        }
        match msg {
            RaftMsg::RequestVote {
                term,
                last_log_index,
                last_log_term,
                prevote,
            } => self.handle_request_vote(from, term, last_log_index, last_log_term, prevote, out),
            RaftMsg::RequestVoteReply {
                term,
                granted,
                prevote,
            } => self.handle_vote_reply(from, term, granted, prevote, out),
            RaftMsg::AppendEntries {
                term,
                prev_log_index,
                prev_log_term,
                entries,
                leader_commit,
            } => self.handle_append_entries(
                from,
                term,
                prev_log_index,
                prev_log_term,
                entries,
                leader_commit,
                out,
            ),
            RaftMsg::AppendEntriesReply {
                term,
                success,
                match_index,
                conflict_index,
                conflict_term,
            } => self.handle_append_reply(
                from,
                term,
                success,
                match_index,
                conflict_index,
                conflict_term,
                out,
            ),
            RaftMsg::InstallSnapshot { term, snapshot, .. } => {
                self.handle_install_snapshot(from, term, snapshot, out)
            }
            RaftMsg::InstallSnapshotReply {
                term,
                last_included_index,
            } => self.handle_snapshot_reply(from, term, last_included_index, out),
        }
    }

    fn on_timer(&mut self, timer: TimerId, out: &mut Out<RaftMsg>) {
        match (timer, self.v.role) {
            (ELECTION, Role::Leader) => self.check_quorum(out),
            (ELECTION, _) if self.cfg.prevote => self.become_pre_candidate(out),
            (ELECTION, _) => self.become_candidate(out),
            (HEARTBEAT, Role::Leader) => self.broadcast_append(out),
            _ => {}
        }
    }

    fn on_request(&mut self, client: ClientId, cmd: Cmd, out: &mut Out<RaftMsg>) {
        if self.v.role == Role::Leader {
            self.handle_client_command(client, cmd, out);
        } else {
            out.reply(
                client,
                Response::Redirect {
                    op: cmd.op,
                    hint: self.v.leader,
                },
            );
        }
    }

    fn role(&self) -> RoleView {
        RoleView {
            role: self.v.role.name().into(),
            epoch_name: "term".into(),
            epoch: self.d.current_term,
        }
    }

    fn detail(&self) -> NodeDetail {
        let committed = self.v.commit_index;
        let log = self
            .d
            .log
            .indexed()
            .map(|(i, e)| LogCell {
                epoch: e.term,
                state: if i <= committed {
                    CellState::Committed
                } else {
                    CellState::Pending
                },
                label: entry_label(&e.cmd),
            })
            .collect();
        let leading = self.v.role == Role::Leader;
        let marks = self
            .peers()
            .filter(|_| leading)
            .map(|p| PeerMark {
                peer: p,
                next: self.v.next_index[p as usize - 1],
                matched: self.v.match_index[p as usize - 1],
            })
            .collect();
        let campaigning = matches!(self.v.role, Role::Candidate | Role::PreCandidate);
        let votes = (1..=self.n)
            .filter(|n| campaigning && self.v.votes & bit(*n) != 0)
            .collect();
        NodeDetail {
            log,
            marks,
            votes,
            quorum: self.majority(),
            kv: self.v.kv.entries().collect(),
            leader: self.v.leader,
            snapshot_index: self.d.log.snapshot_index(),
            ..NodeDetail::default()
        }
    }

    fn inspect(&self) -> Inspection {
        let mut fields = vec![
            ("role", self.v.role.name().to_string()),
            ("currentTerm", self.d.current_term.to_string()),
            (
                "votedFor",
                self.d.voted_for.map_or("none".into(), |v| v.to_string()),
            ),
            (
                "leader",
                self.v.leader.map_or("unknown".into(), |v| v.to_string()),
            ),
            ("log", self.describe_log()),
            ("commitIndex", self.v.commit_index.to_string()),
            ("lastApplied", self.v.last_applied.to_string()),
            ("snapshotIndex", self.d.snapshot.last_index.to_string()),
        ];
        if self.v.role == Role::Leader {
            fields.push(("nextIndex", format!("{:?}", self.v.next_index)));
            fields.push(("matchIndex", format!("{:?}", self.v.match_index)));
        }
        let kv: Vec<String> = self
            .v
            .kv
            .entries()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        fields.push(("store", kv.join(" ")));
        fields
    }

    fn measure(&self, m: &mut crate::model::chunked::Meter) {
        m.add(std::mem::size_of::<Self>() + self.v.pending.len() * 48 + 16 * self.n as usize);
        Self::measure_durable(&self.d, m);
    }

    fn measure_durable(d: &RaftDurable, m: &mut crate::model::chunked::Meter) {
        d.log.measure(m);
        m.add(d.snapshot.bytes() as usize);
    }
}
