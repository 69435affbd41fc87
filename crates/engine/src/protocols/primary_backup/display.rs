//! What viewers show of a primary-backup node: the log grid, the view, the inspector fields.

use super::{PrimaryBackup, Role};
use crate::model::text::text;
use crate::model::view::{CellState, LogCell, NodeDetail, PeerMark};
use crate::replicated::entry_label;
use crate::sim::protocol::Inspection;

/// Entries shown one by one in the inspector; beyond this, a summary.
const SHOWN_ENTRIES: usize = 24;

impl PrimaryBackup {
    /// The log (committed cells up to the commit point), the primary's marks on its backups, the
    /// votes while campaigning, the store and the primary this node follows.
    pub(super) fn node_detail(&self) -> NodeDetail {
        let commit = self.d.commit;
        let log = self
            .d
            .log
            .entries()
            .zip(1u64..)
            .map(|(e, index)| LogCell {
                epoch: e.term,
                state: if index <= commit {
                    CellState::Committed
                } else {
                    CellState::Pending
                },
                label: entry_label(&e.cmd),
            })
            .collect();
        let leading = self.v.role == Role::Primary;
        let marks = self
            .v
            .backups
            .iter()
            .filter(|_| leading)
            .map(|peer| {
                let matched = self.v.matched[peer as usize - 1];
                let next = matched + 1;
                PeerMark {
                    peer,
                    next,
                    matched,
                }
            })
            .collect();
        let campaigning = self.v.role == Role::Candidate;
        NodeDetail {
            log,
            marks,
            votes: self.v.votes.iter().filter(|_| campaigning).collect(),
            quorum: self.majority(),
            kv: self.v.kv.entries().collect(),
            leader: self.v.primary,
            ..NodeDetail::default()
        }
    }

    /// The log as the epochs of its entries (`[1 1 2]`), or its length and last epoch when long.
    fn describe_log(&self) -> String {
        let log = &self.d.log;
        if log.len() > SHOWN_ENTRIES {
            return text!(LogSummaryEpoch, log.len(), log.last_term()).to_string();
        }
        let epochs: Vec<String> = log.entries().map(|e| e.term.to_string()).collect();
        format!("[{}]", epochs.join(" "))
    }

    /// Labelled fields for inspectors and `status` lines.
    pub(super) fn inspection(&self) -> Inspection {
        let backups: Vec<String> = self.v.backups.iter().map(|b| b.to_string()).collect();
        let mut fields = vec![
            ("role", self.v.role.name().to_string()),
            ("epoch", self.d.epoch.to_string()),
            (
                "votedFor",
                self.d.voted_for.map_or("none".into(), |v| v.to_string()),
            ),
            (
                "primary",
                self.v.primary.map_or("unknown".into(), |p| p.to_string()),
            ),
            ("backups", format!("[{}]", backups.join(" "))),
            ("log", self.describe_log()),
            ("commit", self.d.commit.to_string()),
            ("applied", self.v.applied.to_string()),
        ];
        if self.v.role == Role::Primary {
            fields.push(("matched", format!("{:?}", self.v.matched)));
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
}
