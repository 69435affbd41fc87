//! What viewers show of a Multi-Paxos node: the slot grid, the acceptor's table, the inspector.

use super::{bit, MultiPaxos, Role};
use crate::model::text::text;
use crate::model::view::{AcceptorView, CellState, LogCell, NodeDetail};
use crate::protocols::paxos::{round_of, show};
use crate::replicated::entry_label;
use crate::sim::protocol::{Inspection, Protocol};

/// Slots shown one by one in the inspector; beyond this, a summary.
const SHOWN_SLOTS: u64 = 24;

impl MultiPaxos {
    fn last_slot(&self) -> u64 {
        self.d.accepted.last_slot().max(self.d.decided.last_slot())
    }

    /// One cell per slot: a decision (committed, in the round it was chosen), else the accepted
    /// value (pending, in the round it was accepted), else an empty cell.
    fn cell(&self, slot: u64) -> LogCell {
        if let Some(pv) = self.d.decided.get(slot) {
            return LogCell {
                epoch: round_of(pv.ballot),
                state: CellState::Committed,
                label: entry_label(&pv.cmd),
            };
        }
        match self.d.accepted.get(slot) {
            Some(pv) => LogCell {
                epoch: round_of(pv.ballot),
                state: CellState::Pending,
                label: entry_label(&pv.cmd),
            },
            None => LogCell {
                epoch: 0,
                state: CellState::Pending,
                label: String::new(),
            },
        }
    }

    fn acceptor_view(&self) -> AcceptorView {
        AcceptorView {
            promised: self.d.promised,
            accepted: self
                .d
                .accepted
                .from_slot(1)
                .map(|(slot, pv)| (slot, pv.ballot, entry_label(&pv.cmd)))
                .collect(),
        }
    }

    /// The slot grid, the acceptor's table, promises counted, the store.
    pub(super) fn node_detail(&self) -> NodeDetail {
        let campaigning = self.v.role == Role::Candidate;
        let votes = (1..=self.n)
            .filter(|p| campaigning && self.v.votes & bit(*p) != 0)
            .collect();
        let plays = match self.v.role {
            Role::Follower => vec!["acceptor", "learner"],
            Role::Candidate | Role::Leader => vec!["proposer", "acceptor", "learner"],
        };
        NodeDetail {
            log: (1..=self.last_slot()).map(|s| self.cell(s)).collect(),
            votes,
            quorum: self.majority(),
            kv: self.v.kv.entries().collect(),
            leader: self.v.leader,
            plays,
            acceptor: Some(self.acceptor_view()),
            ..NodeDetail::default()
        }
    }

    /// The slots as `[put 1=5 noop put 2=6?]` (`?`: accepted, not known chosen; `_`: empty), or
    /// a count when long.
    fn describe_slots(&self) -> String {
        let last = self.last_slot();
        if last > SHOWN_SLOTS {
            return text!(SlotsSummary, last, self.v.applied).to_string();
        }
        let cells: Vec<String> = (1..=last)
            .map(|s| {
                let c = self.cell(s);
                match (c.state, c.label.is_empty()) {
                    (_, true) => "_".to_string(),
                    (CellState::Committed, _) => c.label,
                    (CellState::Pending, _) => format!("{}?", c.label),
                }
            })
            .collect();
        format!("[{}]", cells.join(", "))
    }

    /// Labelled fields for inspectors and `status` lines.
    pub(super) fn inspection(&self) -> Inspection {
        let mut fields = vec![
            ("role", self.v.role.name().to_string()),
            ("ballot", show(self.role().epoch)),
            ("promised", show(self.d.promised)),
            (
                "leader",
                self.v.leader.map_or("unknown".into(), |v| v.to_string()),
            ),
            ("slots", self.describe_slots()),
            ("applied", self.v.applied.to_string()),
        ];
        if self.v.role == Role::Leader {
            fields.push(("nextSlot", self.v.next_slot.to_string()));
            let open: Vec<String> = self.v.proposals.keys().map(u64::to_string).collect();
            fields.push(("proposing", format!("[{}]", open.join(" "))));
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
