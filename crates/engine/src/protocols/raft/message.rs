//! Raft's messages (Figure 2's RPCs and their replies, PreVote, and Figure 13's InstallSnapshot).

use crate::model::text::text;
use std::borrow::Cow;

use super::snapshot::Snapshot;
use crate::model::event::{JsonFields, Message};
use crate::model::types::NodeId;
use crate::model::view::MsgLook;
use crate::replicated::Entry;

/// A Raft message.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RaftMsg {
    /// A candidate asks for a vote (`prevote`: only asks whether it could win, section 9.6).
    RequestVote {
        /// The candidate's term (for a pre-vote: the term it would stand in).
        term: u64,
        /// Index of the candidate's last log entry.
        last_log_index: u64,
        /// Term of the candidate's last log entry.
        last_log_term: u64,
        /// A pre-vote request.
        prevote: bool,
    },
    /// A vote, granted or refused.
    RequestVoteReply {
        /// The voter's term (for a granted pre-vote: the term asked about).
        term: u64,
        /// Whether the vote is granted.
        granted: bool,
        /// Answers a pre-vote.
        prevote: bool,
    },
    /// The leader replicates entries (none: a heartbeat) and tells its commit index.
    AppendEntries {
        /// The leader's term.
        term: u64,
        /// Index of the entry just before the new ones.
        prev_log_index: u64,
        /// Its term.
        prev_log_term: u64,
        /// The entries to store.
        entries: Vec<Entry>,
        /// The leader's commit index.
        leader_commit: u64,
    },
    /// A follower's answer to AppendEntries.
    AppendEntriesReply {
        /// The follower's term.
        term: u64,
        /// Whether the consistency check passed and the entries were stored.
        success: bool,
        /// On success: the index of the last entry now known to match the leader's.
        match_index: u64,
        /// On failure: where the leader may retry (the follower's hint).
        conflict_index: u64,
        /// On failure with the hint option: the term of the follower's conflicting entry.
        conflict_term: Option<u64>,
    },
    /// The leader sends its snapshot to a follower that needs entries it has compacted (Figure 13,
    /// sent whole rather than in chunks).
    InstallSnapshot {
        /// The leader's term.
        term: u64,
        /// The leader, so the follower can redirect clients.
        leader: NodeId,
        /// The snapshot: lastIncludedIndex, lastIncludedTerm and the state machine.
        snapshot: Snapshot,
    },
    /// A follower's answer to InstallSnapshot.
    InstallSnapshotReply {
        /// The follower's term.
        term: u64,
        /// The snapshot's last index, echoed so the leader knows what the follower now holds
        /// (0 when the request was refused for a stale term).
        last_included_index: u64,
    },
}

impl RaftMsg {
    /// The term the message carries.
    pub fn term(&self) -> u64 {
        match self {
            RaftMsg::RequestVote { term, .. }
            | RaftMsg::RequestVoteReply { term, .. }
            | RaftMsg::AppendEntries { term, .. }
            | RaftMsg::AppendEntriesReply { term, .. }
            | RaftMsg::InstallSnapshot { term, .. }
            | RaftMsg::InstallSnapshotReply { term, .. } => *term,
        }
    }

    /// Pre-vote requests and granted pre-votes carry a term nobody has entered yet; they must not
    /// move anyone's term.
    pub fn is_prevote_traffic(&self) -> bool {
        matches!(
            self,
            RaftMsg::RequestVote { prevote: true, .. }
                | RaftMsg::RequestVoteReply {
                    prevote: true,
                    granted: true,
                    ..
                }
        )
    }
}

impl Message for RaftMsg {
    fn vote_granted(&self) -> Option<u64> {
        match self {
            RaftMsg::RequestVoteReply {
                term,
                granted: true,
                prevote: false,
            } => Some(*term),
            _ => None,
        }
    }

    fn kind(&self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            RaftMsg::RequestVote { prevote: false, .. } => "RequestVote",
            RaftMsg::RequestVote { prevote: true, .. } => "PreVote",
            RaftMsg::RequestVoteReply { prevote: false, .. } => "RequestVoteReply",
            RaftMsg::RequestVoteReply { prevote: true, .. } => "PreVoteReply",
            RaftMsg::AppendEntries { .. } => "AppendEntries",
            RaftMsg::AppendEntriesReply { .. } => "AppendEntriesReply",
            RaftMsg::InstallSnapshot { .. } => "InstallSnapshot",
            RaftMsg::InstallSnapshotReply { .. } => "InstallSnapshotReply",
        })
    }

    fn look(&self) -> MsgLook {
        match self {
            RaftMsg::RequestVote { prevote, .. } => {
                MsgLook::request(if *prevote { "PreVote" } else { "RequestVote" })
            }
            RaftMsg::RequestVoteReply {
                granted, prevote, ..
            } => MsgLook {
                label: if *prevote { "pre-vote" } else { "vote" }.into(),
                reply: true,
                light: false,
                verdict: Some(*granted),
            },
            RaftMsg::AppendEntries { entries, .. } if entries.is_empty() => MsgLook {
                label: "hb".into(),
                reply: false,
                light: true,
                verdict: None,
            },
            RaftMsg::AppendEntries { entries, .. } => {
                MsgLook::request(format!("AE {}", entries.len()))
            }
            RaftMsg::AppendEntriesReply { success, .. } => MsgLook {
                label: "ack".into(),
                reply: true,
                light: *success,
                verdict: Some(*success),
            },
            RaftMsg::InstallSnapshot { snapshot, .. } => {
                MsgLook::request(format!("SNAP \u{2264}{}", snapshot.last_index))
            }
            RaftMsg::InstallSnapshotReply {
                last_included_index,
                ..
            } => MsgLook {
                label: "snap ack".into(),
                reply: true,
                light: false,
                verdict: Some(*last_included_index > 0),
            },
        }
    }

    fn milestone(&self) -> Option<String> {
        match self {
            RaftMsg::RequestVoteReply {
                term,
                granted,
                prevote,
            } => {
                let verdict = crate::model::text::granted(*granted);
                let t = if *prevote {
                    text!(PreVoteForTerm, verdict, term)
                } else {
                    text!(VoteForTerm, verdict, term)
                };
                Some(t.to_string())
            }
            RaftMsg::InstallSnapshot { snapshot, .. } => Some(
                text!(
                    SnapshotUpTo,
                    snapshot.last_index,
                    snapshot.last_term,
                    snapshot.bytes()
                )
                .to_string(),
            ),
            _ => None,
        }
    }

    fn fields(&self, out: &mut JsonFields) {
        match self {
            RaftMsg::RequestVote {
                term,
                last_log_index,
                last_log_term,
                ..
            } => {
                out.num("term", *term);
                out.num("last_log_index", *last_log_index);
                out.num("last_log_term", *last_log_term);
            }
            RaftMsg::RequestVoteReply { term, granted, .. } => {
                out.num("term", *term);
                out.flag("granted", *granted);
            }
            RaftMsg::AppendEntries {
                term,
                prev_log_index,
                prev_log_term,
                entries,
                leader_commit,
            } => {
                out.num("term", *term);
                out.num("prev_log_index", *prev_log_index);
                out.num("prev_log_term", *prev_log_term);
                let list: Vec<String> = entries
                    .iter()
                    .map(|e| {
                        format!(
                            "{{\"term\":{},\"cmd\":{}}}",
                            e.term,
                            serde_json::to_string(&e.cmd).unwrap_or_default()
                        )
                    })
                    .collect();
                out.raw("entries", &format!("[{}]", list.join(",")));
                out.num("leader_commit", *leader_commit);
            }
            RaftMsg::AppendEntriesReply {
                term,
                success,
                match_index,
                conflict_index,
                conflict_term,
            } => {
                out.num("term", *term);
                out.flag("success", *success);
                out.num("match_index", *match_index);
                out.num("conflict_index", *conflict_index);
                out.opt("conflict_term", *conflict_term);
            }
            RaftMsg::InstallSnapshot {
                term,
                leader,
                snapshot,
            } => {
                let (keys, sessions) = snapshot.kv.size();
                out.num("term", *term);
                out.num("leader", u64::from(*leader));
                out.num("last_included_index", snapshot.last_index);
                out.num("last_included_term", snapshot.last_term);
                out.num("bytes", snapshot.bytes());
                out.num("keys", keys as u64);
                out.num("sessions", sessions as u64);
            }
            RaftMsg::InstallSnapshotReply {
                term,
                last_included_index,
            } => {
                out.num("term", *term);
                out.num("last_included_index", *last_included_index);
            }
        }
    }
}
