//! What viewers show of a recovery-block node: its role, the input in progress and the store.

use super::{Phase, RecoveryBlock, Role};
use crate::model::text::text;
use crate::model::view::NodeDetail;
use crate::sim::protocol::Inspection;

impl RecoveryBlock {
    /// The store and the primary this node follows (there is no log: a node keeps only the state
    /// its accepted results produced).
    pub(super) fn node_detail(&self) -> NodeDetail {
        NodeDetail {
            kv: self.d.store.entries().collect(),
            leader: self.v.primary,
            quorum: 2,
            caption: self.caption(),
            ..NodeDetail::default()
        }
    }

    /// The input in progress in a few words: the try block running, or the one accepted.
    fn caption(&self) -> Option<String> {
        let job = self.v.job.as_ref()?;
        let state = match &job.phase {
            Phase::Running(b) => text!(Trying, b.name()),
            Phase::Accepted(b, _) => text!(Actor, b.name(), "\u{2713}"),
            Phase::Failed => text!(AllBlocksFailed),
        };
        Some(text!(InputState, job.input, state).to_string())
    }

    /// Where the input in progress stands, in words.
    fn describe_job(&self) -> String {
        let Some(job) = &self.v.job else {
            return "none".into();
        };
        let phase = match &job.phase {
            Phase::Running(b) => text!(BlockRunning, b.name()),
            Phase::Accepted(b, _) if job.awaiting_ack.is_some() => {
                text!(BlockAwaitingAck, b.name())
            }
            Phase::Accepted(b, _) => text!(BlockAccepted, b.name()),
            Phase::Failed => text!(EveryBlockFailed),
        };
        text!(InputPhase, job.input, phase).to_string()
    }

    /// Labelled fields for inspectors and `status` lines.
    pub(super) fn inspection(&self) -> Inspection {
        let mut fields = vec![
            ("role", self.v.role.name().to_string()),
            ("epoch", self.d.epoch.to_string()),
            (
                "primary",
                self.v.primary.map_or("unknown".into(), |p| p.to_string()),
            ),
            ("applied", self.d.applied.to_string()),
            ("job", self.describe_job()),
        ];
        if self.v.role == Role::Primary {
            let shadow = if self.v.shadow_in_sync {
                "in sync"
            } else {
                "none"
            };
            fields.push(("shadow", shadow.to_string()));
            fields.push(("queued", self.v.queue.len().to_string()));
        }
        let kv: Vec<String> = self
            .d
            .store
            .entries()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        fields.push(("store", kv.join(" ")));
        fields
    }
}
