//! Two-phase commit's messages: the two phases, acknowledgements, and the questions of a
//! participant in doubt.

use crate::model::text::{text, Phrase};
use std::borrow::Cow;

use crate::model::event::{JsonFields, Message};
use crate::model::kv::KvOp;
use crate::model::types::{Key, NodeId, Value};
use crate::model::view::MsgLook;

/// A two-phase-commit message.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TwoPcMsg {
    /// Phase 1, coordinator to participant: prepare your part of `txn`.
    Prepare {
        /// The transaction.
        txn: u64,
        /// This participant's operations.
        ops: Vec<KvOp>,
        /// Every participant of the transaction.
        participants: Vec<NodeId>,
    },
    /// Phase 1, participant to coordinator: prepared (durably), with the values its reads saw.
    VoteYes {
        /// The transaction.
        txn: u64,
        /// What the participant's `get`s read, by key.
        reads: Vec<(Key, Option<Value>)>,
    },
    /// Phase 1, participant to coordinator: cannot prepare (a lock is taken, or a `cas` does not
    /// match); the participant has aborted.
    VoteNo {
        /// The transaction.
        txn: u64,
    },
    /// Phase 2, coordinator to participant: the transaction committed.
    Commit {
        /// The transaction.
        txn: u64,
    },
    /// Phase 2, coordinator to participant: the transaction aborted.
    Abort {
        /// The transaction.
        txn: u64,
    },
    /// Participant to coordinator: the decision is applied.
    Ack {
        /// The transaction.
        txn: u64,
    },
    /// A participant in doubt asks the coordinator (or, with `cooperative`, another participant)
    /// how `txn` ended.
    WhatHappened {
        /// The transaction.
        txn: u64,
    },
    /// The answer to `WhatHappened`.
    Outcome {
        /// The transaction.
        txn: u64,
        /// Committed (true) or aborted (false).
        commit: bool,
    },
}

impl TwoPcMsg {
    /// The transaction the message is about.
    pub fn txn(&self) -> u64 {
        match self {
            TwoPcMsg::Prepare { txn, .. }
            | TwoPcMsg::VoteYes { txn, .. }
            | TwoPcMsg::VoteNo { txn }
            | TwoPcMsg::Commit { txn }
            | TwoPcMsg::Abort { txn }
            | TwoPcMsg::Ack { txn }
            | TwoPcMsg::WhatHappened { txn }
            | TwoPcMsg::Outcome { txn, .. } => *txn,
        }
    }
}

fn outcome_name(commit: bool) -> &'static str {
    if commit {
        "commit"
    } else {
        "abort"
    }
}

fn reply(label: String, verdict: Option<bool>, light: bool) -> MsgLook {
    MsgLook {
        label,
        reply: true,
        light,
        verdict,
    }
}

fn ops_json(ops: &[KvOp]) -> String {
    serde_json::to_string(ops).unwrap_or_default()
}

fn reads_json(reads: &[(Key, Option<Value>)]) -> String {
    serde_json::to_string(reads).unwrap_or_default()
}

fn nodes_json(nodes: &[NodeId]) -> String {
    serde_json::to_string(nodes).unwrap_or_default()
}

impl Message for TwoPcMsg {
    fn kind(&self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            TwoPcMsg::Prepare { .. } => "Prepare",
            TwoPcMsg::VoteYes { .. } => "VoteYes",
            TwoPcMsg::VoteNo { .. } => "VoteNo",
            TwoPcMsg::Commit { .. } => "Commit",
            TwoPcMsg::Abort { .. } => "Abort",
            TwoPcMsg::Ack { .. } => "Ack",
            TwoPcMsg::WhatHappened { .. } => "WhatHappened",
            TwoPcMsg::Outcome { .. } => "Outcome",
        })
    }

    fn look(&self) -> MsgLook {
        let t = self.txn();
        match self {
            TwoPcMsg::Prepare { .. } => MsgLook::request(format!("P t{t}")),
            TwoPcMsg::VoteYes { .. } => reply(format!("yes t{t}"), Some(true), false),
            TwoPcMsg::VoteNo { .. } => reply(format!("no t{t}"), Some(false), false),
            TwoPcMsg::Commit { .. } => MsgLook::request(format!("commit t{t}")),
            TwoPcMsg::Abort { .. } => MsgLook::request(format!("abort t{t}")),
            TwoPcMsg::Ack { .. } => reply(format!("ack t{t}"), None, true),
            TwoPcMsg::WhatHappened { .. } => MsgLook {
                label: format!("t{t}?"),
                reply: false,
                light: true,
                verdict: None,
            },
            TwoPcMsg::Outcome { commit, .. } => {
                reply(format!("t{t} {}", outcome_name(*commit)), None, false)
            }
        }
    }

    fn milestone(&self) -> Option<String> {
        let t = self.txn();
        match self {
            TwoPcMsg::VoteYes { .. } => Some(text!(TxnVote, Phrase::Yes, t).to_string()),
            TwoPcMsg::VoteNo { .. } => Some(text!(TxnVote, Phrase::No, t).to_string()),
            TwoPcMsg::Commit { .. } => Some(text!(TxnCommit, t).to_string()),
            TwoPcMsg::Abort { .. } => Some(text!(TxnAbort, t).to_string()),
            TwoPcMsg::Outcome { commit, .. } => {
                Some(text!(TxnOutcome, t, outcome_name(*commit)).to_string())
            }
            _ => None,
        }
    }

    fn fields(&self, out: &mut JsonFields) {
        out.num("txn", self.txn());
        match self {
            TwoPcMsg::Prepare {
                ops, participants, ..
            } => {
                out.raw("ops", &ops_json(ops));
                out.raw("participants", &nodes_json(participants));
            }
            TwoPcMsg::VoteYes { reads, .. } => out.raw("reads", &reads_json(reads)),
            TwoPcMsg::Outcome { commit, .. } => {
                out.raw("outcome", &format!("\"{}\"", outcome_name(*commit)))
            }
            _ => {}
        }
    }
}
