//! The one shape every protocol has: a sans-IO state machine per node.
//!
//! A node never sends, sleeps, reads a clock or draws a random number. The simulator hands it one
//! input at a time (a message, a timer that fired, a client request) together with an [`Out`]
//! buffer, and the node writes its reactions there: messages to send, timers to set or cancel,
//! replies to clients and trace events. Randomness (a randomized election timeout) is something a
//! node *asks for* through `Out`, and the simulator draws it from the run's seeded generator.
//!
//! Durable and volatile state are separate types: [`Protocol::into_durable`] is what a crash keeps,
//! and [`Protocol::boot`] rebuilds a node from it. A durable write is a plain assignment to the
//! durable part inside a handler; since the simulator never crashes a node in the middle of a
//! handler, every write is on disk before the messages that depend on it leave.

use std::borrow::Cow;

use crate::model::event::{Event, Message, Response};
use crate::model::kv::Cmd;
use crate::model::text::{names, quoted, text, Arg, Text};
use crate::model::types::{ClientId, Micros, NodeId};

/// A timer slot of a node. Each protocol names its own (Raft: election, heartbeat).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimerId(pub u8);

/// The most timers one node may have.
pub const MAX_TIMERS: usize = 4;

/// A timer request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimerCmd {
    /// (Re)arm `timer` to fire after a delay drawn uniformly from `min..=max` (node-clock time).
    Set {
        /// Which timer.
        timer: TimerId,
        /// Shortest delay.
        min: Micros,
        /// Longest delay.
        max: Micros,
    },
    /// Disarm `timer`.
    Cancel(TimerId),
}

/// What a node's role looks like from outside: shown on the canvas and in `role` trace events.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RoleView {
    /// The role name (`follower`, `candidate`, `leader`, `proposer`, ...).
    pub role: Cow<'static, str>,
    /// The name of the node's epoch counter: `term`, `ballot` or `epoch`.
    pub epoch_name: Cow<'static, str>,
    /// Its value.
    pub epoch: u64,
}

/// The output buffer of one handler call.
#[derive(Clone, Debug)]
pub struct Out<M> {
    /// The node writing.
    pub node: NodeId,
    pub(crate) sends: Vec<(NodeId, M)>,
    pub(crate) replies: Vec<(ClientId, Response)>,
    pub(crate) timers: Vec<TimerCmd>,
    pub(crate) events: Vec<Event<M>>,
}

impl<M> Out<M> {
    /// An empty buffer for `node`.
    pub fn new(node: NodeId) -> Self {
        Out {
            node,
            sends: Vec::new(),
            replies: Vec::new(),
            timers: Vec::new(),
            events: Vec::new(),
        }
    }

    /// Sends `msg` to node `to`.
    pub fn send(&mut self, to: NodeId, msg: M) {
        self.sends.push((to, msg));
    }

    /// Answers a client.
    pub fn reply(&mut self, client: ClientId, response: Response) {
        self.replies.push((client, response));
    }

    /// Arms `timer` to fire after exactly `delay` of the node's own clock.
    pub fn set_timer(&mut self, timer: TimerId, delay: Micros) {
        self.timers.push(TimerCmd::Set {
            timer,
            min: delay,
            max: delay,
        });
    }

    /// Arms `timer` to fire after a delay the simulator draws uniformly from `min..=max`.
    pub fn set_timer_random(&mut self, timer: TimerId, min: Micros, max: Micros) {
        self.timers.push(TimerCmd::Set { timer, min, max });
    }

    /// Disarms `timer`.
    pub fn cancel_timer(&mut self, timer: TimerId) {
        self.timers.push(TimerCmd::Cancel(timer));
    }

    /// Records a trace event (append, commit, apply, ...).
    pub fn emit(&mut self, ev: Event<M>) {
        self.events.push(ev);
    }

    /// True when the buffer holds nothing.
    pub fn is_empty(&self) -> bool {
        self.sends.is_empty()
            && self.replies.is_empty()
            && self.timers.is_empty()
            && self.events.is_empty()
    }

    pub(crate) fn clear(&mut self, node: NodeId) {
        self.node = node;
        self.sends.clear();
        self.replies.clear();
        self.timers.clear();
        self.events.clear();
    }
}

/// Named options and planted bugs, as given on a command line, in a scenario or in a link.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ProtocolOptions {
    /// Options switched on or off by name.
    pub flags: Vec<(String, bool)>,
    /// Planted bugs switched on by name.
    pub bugs: Vec<String>,
    /// Options set to a number by name (Raft: `snapshot-interval`).
    pub values: Vec<(String, u64)>,
}

impl ProtocolOptions {
    /// The value given for option `name`, if any.
    pub fn flag(&self, name: &str) -> Option<bool> {
        self.flags
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| *v)
    }

    /// The number given for option `name`, if any.
    pub fn value(&self, name: &str) -> Option<u64> {
        self.values
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| *v)
    }

    /// Fails with a clear message when a numeric option is not one of `known`.
    pub fn check_values(&self, known: &[(&str, u64, &str)]) -> Result<(), Text> {
        let Some((n, _)) = self
            .values
            .iter()
            .find(|(n, _)| !known.iter().any(|(k, _, _)| k == n))
        else {
            return Ok(());
        };
        let known: Vec<&str> = known.iter().map(|(k, _, _)| *k).collect();
        Err(match known.is_empty() {
            true => text!(NoNumeric, quoted(n)),
            false => text!(UnknownNumeric, quoted(n), names(&known)),
        })
    }

    /// Fails with a clear message when an option is not one of `known`.
    pub fn check_flags(&self, known: &[(&str, bool, &str)]) -> Result<(), Text> {
        let Some((n, _)) = self
            .flags
            .iter()
            .find(|(n, _)| !known.iter().any(|(k, _, _)| k == n))
        else {
            return Ok(());
        };
        if known.is_empty() {
            return Err(text!(NoOptions, quoted(n)));
        }
        let known: Vec<&str> = known.iter().map(|(k, _, _)| *k).collect();
        Err(text!(UnknownOption, quoted(n), names(&known)))
    }
}

/// A key/value description of a node's state, for inspectors and `status` lines.
pub type Inspection = Vec<(&'static str, String)>;

/// A planted bug: a deliberate mistake that a teacher or a test switches on by name, declared
/// once, next to the protocol, with the invariant made to catch it and the scenario that shows it
/// (`scenarios/SCENARIO.scn`: with the bug it violates `caught_by`; without it, it holds).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bug {
    /// The name (`--bug NAME`, `bug NAME` in a scenario, `bug=NAME` in a link).
    pub name: &'static str,
    /// The invariant made to catch it.
    pub caught_by: &'static str,
    /// The scenario that shows it, without `.scn`.
    pub scenario: &'static str,
    /// What goes wrong, in a sentence or two.
    pub about: &'static str,
}

/// Switches on, with `enable`, each planted bug `options` names, or says which bugs `protocol`
/// knows (`known`: name and sentence, as `Protocol::bugs` lists them).
pub fn enable_bugs(
    options: &ProtocolOptions,
    protocol: &str,
    known: &[Bug],
    mut enable: impl FnMut(&str) -> bool,
) -> Result<(), Text> {
    match options.bugs.iter().find(|bug| !enable(bug)) {
        None => Ok(()),
        Some(bug) => {
            let known: Vec<&str> = known.iter().map(|b| b.name).collect();
            let protocol = Arg::Input(protocol.to_string());
            Err(text!(UnknownBug, protocol, quoted(bug), names(&known)))
        }
    }
}

/// What a protocol is, apart from any node: its name, timers, planted bugs, options, settings
/// and invariant checkers. Everything has a default but the name, the timers, the settings and
/// the checkers, so a protocol declares tables, not methods.
pub trait Spec {
    /// Settings shared by every node (timeouts, options, planted bugs).
    type Config: Clone + std::fmt::Debug + Default;

    /// The protocol's name on the command line and in traces (`raft`, `paxos`, ...).
    const NAME: &'static str;

    /// The timer that "time out now" fires (Raft: the election timer).
    const PRIMARY_TIMER: TimerId;

    /// The timers' names, by `TimerId` (for `timeout` events and the inspector).
    const TIMERS: &'static [&'static str];

    /// The planted bugs.
    const BUGS: &'static [Bug] = &[];

    /// The switchable options: name, default and a sentence each.
    const OPTIONS: &'static [(&'static str, bool, &'static str)] = &[];

    /// The options that take a number: name, default and a sentence each.
    const VALUE_OPTIONS: &'static [(&'static str, u64, &'static str)] = &[];

    /// The name of a timer, for `timeout` events.
    fn timer_name(timer: TimerId) -> &'static str {
        Self::TIMERS
            .get(timer.0 as usize)
            .copied()
            .unwrap_or("timer")
    }

    /// The planted bugs ([`Spec::BUGS`]).
    fn bugs() -> &'static [Bug] {
        Self::BUGS
    }

    /// The switchable options ([`Spec::OPTIONS`]).
    fn options() -> &'static [(&'static str, bool, &'static str)] {
        Self::OPTIONS
    }

    /// The numeric options ([`Spec::VALUE_OPTIONS`]).
    fn value_options() -> &'static [(&'static str, u64, &'static str)] {
        Self::VALUE_OPTIONS
    }

    /// Fails with a clear message when the protocol cannot run on `nodes` nodes.
    fn check_nodes(_nodes: u32) -> Result<(), Text> {
        Ok(())
    }

    /// Builds a configuration from named options and bugs.
    fn configure(options: &ProtocolOptions) -> Result<Self::Config, Text>;

    /// The protocol's invariant checkers for a cluster of `nodes`.
    /// (Generic over the message type, so a trace read from a file can be checked too.)
    fn checkers<M: crate::model::event::Message + 'static>(
        nodes: u32,
    ) -> Vec<Box<dyn crate::check::Invariant<M>>>;
}

/// A distributed protocol's node, as one sans-IO state machine: what one node does with each input
/// (the protocol as a whole, apart from any node, is its [`Spec`]).
pub trait Protocol: Spec + Clone + std::fmt::Debug + std::hash::Hash {
    /// The protocol's messages.
    type Msg: Message + 'static;
    /// What survives a crash.
    type Durable: Clone + std::fmt::Debug + std::hash::Hash + Default;

    /// Starts node `id` of `n` from `durable` (empty on first boot); arms its first timers.
    fn boot(
        id: NodeId,
        n: u32,
        config: &Self::Config,
        durable: Self::Durable,
        out: &mut Out<Self::Msg>,
    ) -> Self;

    /// What the node keeps through a crash.
    fn into_durable(self) -> Self::Durable;

    /// Handles a message from another node.
    fn on_message(&mut self, from: NodeId, msg: Self::Msg, out: &mut Out<Self::Msg>);

    /// Handles a timer that fired.
    fn on_timer(&mut self, timer: TimerId, out: &mut Out<Self::Msg>);

    /// Handles a client's request.
    fn on_request(&mut self, client: ClientId, cmd: Cmd, out: &mut Out<Self::Msg>);

    /// The node's current role and epoch.
    fn role(&self) -> RoleView;

    /// The name of this node's timer `timer` (as `timer_name`; wrappers of several protocols
    /// answer for the protocol they wrap).
    fn timer_label(&self, timer: TimerId) -> &'static str {
        Self::timer_name(timer)
    }

    /// The node's state as labelled fields, for inspectors.
    fn inspect(&self) -> Inspection;

    /// What a viewer draws for this node: log cells, peer marks, votes, store.
    fn detail(&self) -> crate::model::view::NodeDetail;

    /// Counts the memory this node holds (state, logs, buffers); shared chunks count once.
    fn measure(&self, m: &mut crate::model::chunked::Meter);

    /// Counts the memory a crashed node's durable state holds.
    fn measure_durable(durable: &Self::Durable, m: &mut crate::model::chunked::Meter);
}

/// What a protocol exposes to scenario expectations.
pub trait ScenarioView {
    /// Is this node the leader / primary / distinguished proposer?
    fn is_leader(&self) -> bool;
    /// The highest index this node has applied.
    fn applied(&self) -> u64;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bugs_are_enabled_by_name_or_refused_with_the_known_names() {
        let bug = |name| Bug {
            name,
            caught_by: "Demo",
            scenario: "demo",
            about: "a demo",
        };
        let known = [bug("a"), bug("b")];
        let options = ProtocolOptions {
            bugs: vec!["b".into()],
            ..ProtocolOptions::default()
        };
        let mut on = Vec::new();
        let ok = enable_bugs(&options, "demo", &known, |bug| {
            on.push(bug.to_string());
            known.iter().any(|b| b.name == bug)
        });
        assert_eq!((ok, on), (Ok(()), vec!["b".to_string()]));
        let typo = ProtocolOptions {
            bugs: vec!["b".into(), "c".into()],
            ..ProtocolOptions::default()
        };
        let err = enable_bugs(&typo, "demo", &known, |bug| bug != "c")
            .unwrap_err()
            .to_string();
        assert_eq!(err, "unknown demo bug \"c\" (known: a, b)");
    }
}
