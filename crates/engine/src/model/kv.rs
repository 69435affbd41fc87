//! The replicated key-value store that Raft, Multi-Paxos and primary-backup all serve.
//!
//! Clients issue `put`, `get` and `cas` operations. Each operation travels as a [`Cmd`] through the
//! protocol's log and is applied, in log order, to a [`KvStore`]. Because a client may retry an
//! operation (after a redirect, or a leader that stepped down), and the network may duplicate a
//! request, the store keeps a *session* per client (the Raft paper, section 8): the id and result of
//! the client's latest operation. A command that arrives again is answered from the session and not
//! executed twice, which keeps the store linearizable under retries.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::types::{ClientId, Key, OpId, Value};

/// An operation on the store.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "f", rename_all = "lowercase")]
pub enum KvOp {
    /// Set `key` to `value`.
    Put {
        /// The key written.
        key: Key,
        /// The value written (unique per write in generated workloads).
        value: Value,
    },
    /// Read `key`.
    Get {
        /// The key read.
        key: Key,
    },
    /// Set `key` to `to` only if it currently holds `from` (`None`: absent).
    Cas {
        /// The key.
        key: Key,
        /// The expected current value.
        from: Option<Value>,
        /// The new value.
        to: Value,
    },
}

impl KvOp {
    /// The key this operation touches.
    pub fn key(&self) -> Key {
        match self {
            KvOp::Put { key, .. } | KvOp::Get { key } | KvOp::Cas { key, .. } => *key,
        }
    }

    /// The Jepsen function name: `put`, `get` or `cas`.
    pub fn f(&self) -> &'static str {
        match self {
            KvOp::Put { .. } => "put",
            KvOp::Get { .. } => "get",
            KvOp::Cas { .. } => "cas",
        }
    }

    /// Reads an operation in the one command grammar that scenario scripts (`put 1 10`), share
    /// links (the same words joined by `_`) and the JS API (`request("put 1 10")`) share:
    /// `put KEY VALUE`, `get KEY` or `cas KEY FROM TO`, FROM `none` (or `n`) for an absent key.
    /// A wrong shape is [`OP_USAGE`]; a bad key or value says which word.
    pub fn parse_words(words: &[&str]) -> Result<KvOp, String> {
        Ok(match words {
            ["put", k, v] => KvOp::Put {
                key: parse_key(k)?,
                value: parse_value(v)?,
            },
            ["get", k] => KvOp::Get { key: parse_key(k)? },
            ["cas", k, from, to] => KvOp::Cas {
                key: parse_key(k)?,
                from: match *from {
                    "none" | "n" => None,
                    from => Some(parse_value(from)?),
                },
                to: parse_value(to)?,
            },
            _ => return Err(OP_USAGE.into()),
        })
    }

    /// The operation's words in the same grammar (`["cas", "1", "none", "3"]`).
    pub fn words(&self) -> Vec<String> {
        match self {
            KvOp::Put { key, value } => vec!["put".into(), key.to_string(), value.to_string()],
            KvOp::Get { key } => vec!["get".into(), key.to_string()],
            KvOp::Cas { key, from, to } => vec![
                "cas".into(),
                key.to_string(),
                from.map_or("none".into(), |f| f.to_string()),
                to.to_string(),
            ],
        }
    }
}

/// What [`KvOp::parse_words`] answers for words of the wrong shape.
pub const OP_USAGE: &str = "a request is put KEY VALUE, get KEY or cas KEY FROM TO";

fn parse_key(word: &str) -> Result<Key, String> {
    word.parse().map_err(|_| {
        format!(
            "{word:?} is not a key (keys are integers 0 to {})",
            Key::MAX
        )
    })
}

fn parse_value(word: &str) -> Result<Value, String> {
    word.parse()
        .map_err(|_| format!("{word:?} is not a value (values are non-negative integers)"))
}

/// A client command as it travels through a replicated log.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Cmd {
    /// The client that issued it (written `"c1"`, as everywhere in the trace).
    #[serde(with = "client_name")]
    pub client: ClientId,
    /// The operation id, unique in the run (the `op` of the trace).
    pub op: OpId,
    /// What to do.
    #[serde(flatten)]
    pub kv: KvOp,
}

/// Client ids travel as `"c1"`, `"c2"`, ... in JSON, as in every other trace field.
mod client_name {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::model::types::ClientId;

    pub fn serialize<S: Serializer>(id: &ClientId, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("c{id}"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<ClientId, D::Error> {
        let name = String::deserialize(d)?;
        name.strip_prefix('c')
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| serde::de::Error::custom(format!("bad client id {name:?}")))
    }
}

/// What a log entry carries: a client command, or nothing (a leader's no-op, a Paxos gap filler).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Command {
    /// A client's command.
    Client(Cmd),
    /// No operation.
    Noop(NoopTag),
}

/// The JSON shape of a no-op: `{"noop": true}`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NoopTag {
    /// Always true.
    pub noop: bool,
}

impl Command {
    /// A no-op command.
    pub fn noop() -> Self {
        Command::Noop(NoopTag { noop: true })
    }

    /// A 64-bit digest of the command, stable across platforms.
    pub fn digest(&self) -> u64 {
        let mut h = crate::model::hash::StableHasher::new();
        std::hash::Hash::hash(self, &mut h);
        std::hash::Hasher::finish(&h)
    }
}

/// The outcome of applying one operation.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum KvResult {
    /// Done; for `get` the value read, for `put` none.
    Ok(Option<Value>),
    /// A `cas` whose expected value did not match: nothing changed.
    CasFailed,
}

/// The state machine: keys, values and one session per client.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct KvStore {
    data: BTreeMap<Key, Value>,
    sessions: BTreeMap<ClientId, (OpId, KvResult)>,
}

impl KvStore {
    /// Applies `cmd` exactly once per operation id; a repeat returns the remembered result.
    /// Returns `None` for a stale repeat older than the client's latest operation.
    pub fn apply(&mut self, cmd: &Cmd) -> Option<KvResult> {
        if let Some((last, result)) = self.sessions.get(&cmd.client) {
            if *last == cmd.op {
                return Some(result.clone());
            }
            if *last > cmd.op {
                return None;
            }
        }
        let result = self.execute(&cmd.kv);
        self.sessions.insert(cmd.client, (cmd.op, result.clone()));
        Some(result)
    }

    /// The client's latest operation and its result, as its session remembers them.
    pub fn session(&self, client: ClientId) -> Option<(OpId, &KvResult)> {
        self.sessions.get(&client).map(|(op, r)| (*op, r))
    }

    /// Records `result` as the outcome of `cmd` in its client's session, without executing it
    /// (a recovery block executes first and records only a result that passed its test).
    pub fn remember(&mut self, cmd: &Cmd, result: KvResult) {
        self.sessions.insert(cmd.client, (cmd.op, result));
    }

    /// Executes an operation on the data alone: no session is consulted or updated.
    pub fn execute(&mut self, op: &KvOp) -> KvResult {
        match op {
            KvOp::Put { key, value } => {
                self.data.insert(*key, *value);
                KvResult::Ok(None)
            }
            KvOp::Get { key } => KvResult::Ok(self.data.get(key).copied()),
            KvOp::Cas { key, from, to } => {
                if self.data.get(key).copied() == *from {
                    self.data.insert(*key, *to);
                    KvResult::Ok(None)
                } else {
                    KvResult::CasFailed
                }
            }
        }
    }

    /// The current value of `key`.
    pub fn get(&self, key: Key) -> Option<Value> {
        self.data.get(&key).copied()
    }

    /// Number of keys and of client sessions (what a snapshot of the store holds).
    pub fn size(&self) -> (usize, usize) {
        (self.data.len(), self.sessions.len())
    }

    /// All keys and values, in key order.
    pub fn entries(&self) -> impl Iterator<Item = (Key, Value)> + '_ {
        self.data.iter().map(|(k, v)| (*k, *v))
    }
}

/// `put(1,10)`, `get(1)`, `cas(1,10,11)`.
pub fn short_op(kv: &KvOp) -> String {
    match kv {
        KvOp::Put { key, value } => format!("put({key},{value})"),
        KvOp::Get { key } => format!("get({key})"),
        KvOp::Cas {
            key,
            from: Some(f),
            to,
        } => format!("cas({key},{f},{to})"),
        KvOp::Cas {
            key,
            from: None,
            to,
        } => format!("cas({key},none,{to})"),
    }
}

/// Workload values pack the client id in the high bits; show them as `c2:7`.
pub fn short_value(v: u64) -> String {
    if v >> 32 == 0 {
        v.to_string()
    } else {
        format!("c{}:{}", v >> 32, v & 0xffff_ffff)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_grammar_reads_back_what_it_writes() {
        for op in [
            KvOp::Put { key: 1, value: 10 },
            KvOp::Get { key: 7 },
            KvOp::Cas {
                key: 2,
                from: None,
                to: 3,
            },
            KvOp::Cas {
                key: 2,
                from: Some(4),
                to: 5,
            },
        ] {
            let words = op.words();
            let refs: Vec<&str> = words.iter().map(String::as_str).collect();
            assert_eq!(KvOp::parse_words(&refs), Ok(op));
        }
        assert_eq!(
            KvOp::parse_words(&["cas", "1", "n", "2"]),
            Ok(KvOp::Cas {
                key: 1,
                from: None,
                to: 2
            })
        );
        assert_eq!(KvOp::parse_words(&["put", "1"]), Err(OP_USAGE.to_string()));
        let big = KvOp::parse_words(&["get", "5000000000"]).unwrap_err();
        assert!(big.contains("\"5000000000\" is not a key"), "{big}");
        let neg = KvOp::parse_words(&["put", "1", "-2"]).unwrap_err();
        assert!(neg.contains("\"-2\" is not a value"), "{neg}");
    }

    fn cmd(client: ClientId, op: OpId, kv: KvOp) -> Cmd {
        Cmd { client, op, kv }
    }

    #[test]
    fn a_repeated_command_is_answered_from_the_session_not_executed_twice() {
        let mut kv = KvStore::default();
        kv.apply(&cmd(1, 1, KvOp::Put { key: 1, value: 10 }));
        let cas = cmd(
            1,
            2,
            KvOp::Cas {
                key: 1,
                from: Some(10),
                to: 11,
            },
        );
        assert_eq!(kv.apply(&cas), Some(KvResult::Ok(None)));
        assert_eq!(kv.apply(&cas), Some(KvResult::Ok(None)));
        assert_eq!(kv.get(1), Some(11));
        assert_eq!(kv.apply(&cmd(1, 1, KvOp::Put { key: 1, value: 10 })), None);
        assert_eq!(kv.get(1), Some(11));
    }

    #[test]
    fn cas_fails_on_a_mismatch_and_changes_nothing() {
        let mut kv = KvStore::default();
        let r = kv.apply(&cmd(
            2,
            1,
            KvOp::Cas {
                key: 3,
                from: Some(1),
                to: 2,
            },
        ));
        assert_eq!(r, Some(KvResult::CasFailed));
        assert_eq!(kv.get(3), None);
    }

    #[test]
    fn commands_round_trip_through_json() {
        let c = Command::Client(cmd(
            1,
            9,
            KvOp::Cas {
                key: 2,
                from: None,
                to: 5,
            },
        ));
        let s = serde_json::to_string(&c).unwrap();
        assert_eq!(
            s,
            r#"{"client":"c1","op":9,"f":"cas","key":2,"from":null,"to":5}"#
        );
        assert_eq!(serde_json::from_str::<Command>(&s).unwrap(), c);
        let n = serde_json::to_string(&Command::noop()).unwrap();
        assert_eq!(
            serde_json::from_str::<Command>(&n).unwrap(),
            Command::noop()
        );
    }
}
