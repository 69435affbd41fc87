//! Recovery-block messages between the primary and the shadow. Every message carries the
//! sender's epoch, which is what fences a stale primary.

use crate::model::text::text;
use std::borrow::Cow;

use crate::model::event::{Block, JsonFields, Message};
use crate::model::kv::{Cmd, KvResult, KvStore};
use crate::model::view::MsgLook;

/// A recovery-block message.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RecoveryBlockMsg {
    /// The primary forwards a client input to the shadow, which runs its alternate on it.
    Input {
        /// The primary's epoch.
        epoch: u64,
        /// The input's number.
        input: u64,
        /// The client's command.
        cmd: Cmd,
    },
    /// The primary routine's result failed the acceptance test on the primary.
    Failed {
        /// The primary's epoch.
        epoch: u64,
        /// The input.
        input: u64,
    },
    /// An accepted result and the state it produced, for the shadow to install and acknowledge.
    Result {
        /// The primary's epoch.
        epoch: u64,
        /// The input.
        input: u64,
        /// The try block that produced it.
        block: Block,
        /// The client's command (boxed, like the store: every protocol's messages share one
        /// enum in the browser, whose size is that of the largest).
        cmd: Box<Cmd>,
        /// The result.
        result: KvResult,
        /// The whole store after the input.
        store: Box<KvStore>,
    },
    /// The shadow holds the primary's state up to input `applied`, and this exact state: the
    /// acknowledgement names the epoch, the input number and (by `digest`) the content, so that
    /// it can never be taken for another state with as many inputs.
    Ack {
        /// The shadow's epoch.
        epoch: u64,
        /// Inputs applied.
        applied: u64,
        /// The digest of the state acknowledged ([`super::state_digest`]).
        digest: u64,
    },
    /// The primary is alive.
    Heartbeat {
        /// The primary's epoch.
        epoch: u64,
        /// Inputs applied at the primary.
        applied: u64,
    },
    /// A recovering node asks for the primary's state.
    Probe {
        /// The sender's epoch.
        epoch: u64,
        /// Inputs applied at the sender.
        applied: u64,
    },
    /// The primary's whole state, answering `Probe`: a checkpoint to install.
    State {
        /// The primary's epoch.
        epoch: u64,
        /// Inputs applied.
        applied: u64,
        /// The store.
        store: KvStore,
    },
    /// The answer to a message of an older epoch, carrying the newer one.
    Fence {
        /// The refusing node's epoch.
        epoch: u64,
    },
}

impl RecoveryBlockMsg {
    /// The epoch the message carries.
    pub fn epoch(&self) -> u64 {
        use RecoveryBlockMsg as M;
        match self {
            M::Input { epoch, .. }
            | M::Failed { epoch, .. }
            | M::Result { epoch, .. }
            | M::Ack { epoch, .. }
            | M::Heartbeat { epoch, .. }
            | M::Probe { epoch, .. }
            | M::State { epoch, .. }
            | M::Fence { epoch } => *epoch,
        }
    }
}

fn store_json(store: &KvStore) -> String {
    let pairs: Vec<String> = store.entries().map(|(k, v)| format!("[{k},{v}]")).collect();
    format!("[{}]", pairs.join(","))
}

fn reply(label: String, verdict: Option<bool>, light: bool) -> MsgLook {
    MsgLook {
        label,
        reply: true,
        light,
        verdict,
    }
}

impl Message for RecoveryBlockMsg {
    fn kind(&self) -> Cow<'static, str> {
        use RecoveryBlockMsg as M;
        Cow::Borrowed(match self {
            M::Input { .. } => "Input",
            M::Failed { .. } => "Failed",
            M::Result { .. } => "Result",
            M::Ack { .. } => "Ack",
            M::Heartbeat { .. } => "Heartbeat",
            M::Probe { .. } => "Probe",
            M::State { .. } => "State",
            M::Fence { .. } => "Fence",
        })
    }

    fn look(&self) -> MsgLook {
        use RecoveryBlockMsg as M;
        match self {
            M::Input { input, .. } => MsgLook::request(format!("in {input}")),
            M::Failed { input, .. } => MsgLook::request(format!("failed {input}")),
            M::Result { input, .. } => MsgLook::request(format!("R {input}")),
            M::Ack { applied, .. } => reply(format!("ack {applied}"), None, true),
            M::Heartbeat { .. } => MsgLook {
                light: true,
                ..MsgLook::request("hb")
            },
            M::Probe { .. } => MsgLook::request("probe"),
            M::State { applied, .. } => reply(format!("state {applied}"), None, false),
            M::Fence { .. } => reply("fenced".into(), Some(false), false),
        }
    }

    fn milestone(&self) -> Option<String> {
        match self {
            RecoveryBlockMsg::Failed { input, .. } => Some(text!(RoutineFailed, input).to_string()),
            RecoveryBlockMsg::Fence { epoch } => Some(text!(FencedBy, epoch).to_string()),
            _ => None,
        }
    }

    fn fields(&self, out: &mut JsonFields) {
        use RecoveryBlockMsg as M;
        out.num("epoch", self.epoch());
        match self {
            M::Input { input, cmd, .. } => {
                out.num("input", *input);
                out.raw("cmd", &serde_json::to_string(cmd).unwrap_or_default());
            }
            M::Failed { input, .. } => out.num("input", *input),
            M::Result {
                input,
                block,
                cmd,
                result,
                store,
                ..
            } => {
                out.num("input", *input);
                out.raw("block", &format!("\"{}\"", block.name()));
                out.raw("cmd", &serde_json::to_string(cmd).unwrap_or_default());
                result_fields(result, out);
                out.raw("store", &store_json(store));
            }
            M::Ack {
                applied, digest, ..
            } => {
                out.num("applied", *applied);
                out.raw("digest", &format!("\"{digest:016x}\""));
            }
            M::Heartbeat { applied, .. } | M::Probe { applied, .. } => out.num("applied", *applied),
            M::State { applied, store, .. } => {
                out.num("applied", *applied);
                out.raw("store", &store_json(store));
            }
            M::Fence { .. } => {}
        }
    }
}

fn result_fields(result: &KvResult, out: &mut JsonFields) {
    match result {
        KvResult::Ok(v) => {
            out.raw("result", "\"ok\"");
            out.opt("value", *v);
        }
        KvResult::CasFailed => {
            out.raw("result", "\"fail\"");
            out.opt("value", None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::kv::KvOp;

    #[test]
    fn a_result_carries_its_block_result_and_the_whole_store() {
        let mut store = KvStore::default();
        store.execute(&KvOp::Put { key: 1, value: 7 });
        let cmd = Cmd {
            client: 2,
            op: 5,
            kv: KvOp::Put { key: 1, value: 7 },
        };
        let msg = RecoveryBlockMsg::Result {
            epoch: 3,
            input: 4,
            block: Block::Alternate,
            cmd: Box::new(cmd),
            result: KvResult::Ok(None),
            store: Box::new(store),
        };
        let mut f = JsonFields::default();
        msg.fields(&mut f);
        assert_eq!(
            f.text,
            ",\"epoch\":3,\"input\":4,\"block\":\"alternate\",\"cmd\":{\"client\":\"c2\",\"op\":5,\"f\":\"put\",\"key\":1,\"value\":7},\"result\":\"ok\",\"value\":null,\"store\":[[1,7]]"
        );
        assert_eq!(msg.look().label, "R 4");
        assert_eq!(msg.epoch(), 3);
    }
}
