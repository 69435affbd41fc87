//! What the protocols that replicate a log of client commands share: the log itself (Raft and
//! primary-backup keep one) and the short labels of its entries that the views show. Nothing here
//! depends on any one protocol.

mod log;

pub use log::{Entry, Log};

/// A short label for a log entry (`put 1=5`, `get 2`, `cas 1 5→6`, `noop`).
pub fn entry_label(cmd: &crate::model::kv::Command) -> String {
    use crate::model::kv::{Command, KvOp};
    match cmd {
        Command::Noop(_) => "noop".into(),
        Command::Client(c) => match &c.kv {
            KvOp::Put { key, value } => format!("put {key}={}", short_value(*value)),
            KvOp::Get { key } => format!("get {key}"),
            KvOp::Cas { key, from, to } => {
                let from = from.map_or("none".to_string(), short_value);
                format!("cas {key} {from}\u{2192}{}", short_value(*to))
            }
        },
    }
}

pub use crate::model::kv::short_value;
