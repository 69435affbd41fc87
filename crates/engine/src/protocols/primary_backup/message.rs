//! Primary-backup messages: replication, heartbeats, view changes and catch-up. Every message
//! carries the sender's epoch, which is what fences a deposed primary.

use crate::model::text::text;
use std::borrow::Cow;

use super::NodeSet;
use crate::model::event::{JsonFields, Message};
use crate::model::types::NodeId;
use crate::model::view::MsgLook;
use crate::replicated::Entry;

/// A primary-backup message.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PrimaryBackupMsg {
    /// A candidate asks for a vote to become primary of `epoch`.
    StartView {
        /// The epoch of the proposed view.
        epoch: u64,
        /// The epoch of the candidate's last log entry.
        last_epoch: u64,
        /// The length of the candidate's log.
        last_index: u64,
    },
    /// A vote, granted or refused, reporting the voter's log.
    Vote {
        /// The voter's epoch.
        epoch: u64,
        /// Whether the vote is granted.
        granted: bool,
        /// The epoch of the voter's last log entry.
        last_epoch: u64,
        /// The length of the voter's log.
        last_index: u64,
    },
    /// The new primary announces its view.
    NewView {
        /// The view's epoch.
        epoch: u64,
        /// The view's backups.
        backups: NodeSet,
    },
    /// The primary sends one new entry to a backup of its view.
    Replicate {
        /// The primary's epoch.
        epoch: u64,
        /// The entry's index.
        index: u64,
        /// The entry.
        entry: Entry,
        /// The primary's commit point.
        commit: u64,
    },
    /// The sender's log equals the primary's up to `index`; or, `refused`, the answer to a
    /// message from an older epoch, carrying the newer one (fencing).
    Ack {
        /// The sender's epoch.
        epoch: u64,
        /// The log matches the primary's up to here.
        index: u64,
        /// The message answered came from an older epoch and was refused.
        refused: bool,
    },
    /// The primary is alive; it tells its view, the end of its log and its commit point.
    Heartbeat {
        /// The primary's epoch.
        epoch: u64,
        /// The view's backups.
        backups: NodeSet,
        /// The index of the primary's last entry.
        last: u64,
        /// The primary's commit point.
        commit: u64,
    },
    /// A node catching up asks for the log from index `first` on.
    Fetch {
        /// The sender's epoch.
        epoch: u64,
        /// The first index wanted.
        first: u64,
    },
    /// A batch of the sender's log, answering `Fetch`.
    Entries {
        /// The sender's epoch.
        epoch: u64,
        /// The index of the first entry sent.
        first: u64,
        /// The entries.
        entries: Vec<Entry>,
        /// The index of the sender's last entry.
        last: u64,
        /// The sender's commit point.
        commit: u64,
    },
}

impl PrimaryBackupMsg {
    /// The epoch the message carries.
    pub fn epoch(&self) -> u64 {
        match self {
            PrimaryBackupMsg::StartView { epoch, .. }
            | PrimaryBackupMsg::Vote { epoch, .. }
            | PrimaryBackupMsg::NewView { epoch, .. }
            | PrimaryBackupMsg::Replicate { epoch, .. }
            | PrimaryBackupMsg::Ack { epoch, .. }
            | PrimaryBackupMsg::Heartbeat { epoch, .. }
            | PrimaryBackupMsg::Fetch { epoch, .. }
            | PrimaryBackupMsg::Entries { epoch, .. } => *epoch,
        }
    }

    /// Replaces the epoch the message carries (only the planted bug `no-fencing` does this).
    pub fn set_epoch(&mut self, to: u64) {
        match self {
            PrimaryBackupMsg::StartView { epoch, .. }
            | PrimaryBackupMsg::Vote { epoch, .. }
            | PrimaryBackupMsg::NewView { epoch, .. }
            | PrimaryBackupMsg::Replicate { epoch, .. }
            | PrimaryBackupMsg::Ack { epoch, .. }
            | PrimaryBackupMsg::Heartbeat { epoch, .. }
            | PrimaryBackupMsg::Fetch { epoch, .. }
            | PrimaryBackupMsg::Entries { epoch, .. } => *epoch = to,
        }
    }

    /// The sender, when only the primary of the message's epoch sends this kind of message.
    pub fn primary_hint(&self, from: NodeId) -> Option<NodeId> {
        match self {
            PrimaryBackupMsg::NewView { .. }
            | PrimaryBackupMsg::Replicate { .. }
            | PrimaryBackupMsg::Heartbeat { .. } => Some(from),
            _ => None,
        }
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

impl Message for PrimaryBackupMsg {
    fn kind(&self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            PrimaryBackupMsg::StartView { .. } => "StartView",
            PrimaryBackupMsg::Vote { .. } => "Vote",
            PrimaryBackupMsg::NewView { .. } => "NewView",
            PrimaryBackupMsg::Replicate { .. } => "Replicate",
            PrimaryBackupMsg::Ack { .. } => "Ack",
            PrimaryBackupMsg::Heartbeat { .. } => "Heartbeat",
            PrimaryBackupMsg::Fetch { .. } => "Fetch",
            PrimaryBackupMsg::Entries { .. } => "Entries",
        })
    }

    fn look(&self) -> MsgLook {
        match self {
            PrimaryBackupMsg::StartView { epoch, .. } => MsgLook::request(format!("SV e{epoch}")),
            PrimaryBackupMsg::Vote { granted, .. } => reply("vote".into(), Some(*granted), false),
            PrimaryBackupMsg::NewView { epoch, .. } => MsgLook::request(format!("NV e{epoch}")),
            PrimaryBackupMsg::Replicate { index, .. } => MsgLook::request(format!("R {index}")),
            PrimaryBackupMsg::Ack { refused: true, .. } => {
                reply("fenced".into(), Some(false), false)
            }
            PrimaryBackupMsg::Ack { index, .. } => reply(format!("ack {index}"), None, true),
            PrimaryBackupMsg::Heartbeat { .. } => MsgLook {
                light: true,
                ..MsgLook::request("hb")
            },
            PrimaryBackupMsg::Fetch { first, .. } => MsgLook::request(format!("fetch {first}+")),
            PrimaryBackupMsg::Entries { entries, .. } => {
                reply(format!("E {}", entries.len()), None, false)
            }
        }
    }

    fn milestone(&self) -> Option<String> {
        match self {
            PrimaryBackupMsg::Vote { epoch, granted, .. } => {
                Some(text!(VoteForEpoch, crate::model::text::granted(*granted), epoch).to_string())
            }
            PrimaryBackupMsg::Ack {
                epoch,
                refused: true,
                ..
            } => Some(text!(FencedBy, epoch).to_string()),
            PrimaryBackupMsg::NewView { epoch, backups } => {
                let list: Vec<String> = backups.iter().map(|b| b.to_string()).collect();
                Some(text!(NewView, epoch, list.join(" ")).to_string())
            }
            _ => None,
        }
    }

    fn fields(&self, out: &mut JsonFields) {
        out.num("epoch", self.epoch());
        match self {
            PrimaryBackupMsg::StartView {
                last_epoch,
                last_index,
                ..
            } => {
                out.num("last_epoch", *last_epoch);
                out.num("last_index", *last_index);
            }
            PrimaryBackupMsg::Vote {
                granted,
                last_epoch,
                last_index,
                ..
            } => {
                out.flag("granted", *granted);
                out.num("last_epoch", *last_epoch);
                out.num("last_index", *last_index);
            }
            PrimaryBackupMsg::NewView { backups, .. } => out.raw("backups", &set_json(*backups)),
            PrimaryBackupMsg::Replicate {
                index,
                entry,
                commit,
                ..
            } => {
                out.num("index", *index);
                out.raw("entry", &entry_json(entry));
                out.num("commit", *commit);
            }
            PrimaryBackupMsg::Ack { index, refused, .. } => {
                out.num("index", *index);
                out.flag("refused", *refused);
            }
            PrimaryBackupMsg::Heartbeat {
                backups,
                last,
                commit,
                ..
            } => {
                out.raw("backups", &set_json(*backups));
                out.num("last", *last);
                out.num("commit", *commit);
            }
            PrimaryBackupMsg::Fetch { first, .. } => out.num("first", *first),
            PrimaryBackupMsg::Entries {
                first,
                entries,
                last,
                commit,
                ..
            } => {
                out.num("first", *first);
                let list: Vec<String> = entries.iter().map(entry_json).collect();
                out.raw("entries", &format!("[{}]", list.join(",")));
                out.num("last", *last);
                out.num("commit", *commit);
            }
        }
    }
}

fn set_json(set: NodeSet) -> String {
    let ids: Vec<String> = set.iter().map(|id| id.to_string()).collect();
    format!("[{}]", ids.join(","))
}

fn entry_json(e: &Entry) -> String {
    format!(
        "{{\"epoch\":{},\"cmd\":{}}}",
        e.term,
        serde_json::to_string(&e.cmd).unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::kv::Command;

    #[test]
    fn fields_carry_the_epoch_first_and_looks_name_indexes() {
        let r = PrimaryBackupMsg::Replicate {
            epoch: 3,
            index: 7,
            entry: Entry {
                term: 2,
                cmd: Command::noop(),
            },
            commit: 5,
        };
        let mut f = JsonFields::default();
        r.fields(&mut f);
        assert_eq!(
            f.text,
            ",\"epoch\":3,\"index\":7,\"entry\":{\"epoch\":2,\"cmd\":{\"noop\":true}},\"commit\":5"
        );
        assert_eq!(r.look().label, "R 7");
        assert_eq!(r.primary_hint(4), Some(4));
        let mut view = NodeSet::of(2);
        view.insert(5);
        let nv = PrimaryBackupMsg::NewView {
            epoch: 4,
            backups: view,
        };
        assert_eq!(
            nv.milestone().as_deref(),
            Some("new view of epoch 4, backups [2 5]")
        );
        let vote = PrimaryBackupMsg::Vote {
            epoch: 4,
            granted: false,
            last_epoch: 1,
            last_index: 3,
        };
        assert_eq!(vote.look().verdict, Some(false));
        assert_eq!(vote.primary_hint(1), None);
    }
}
