//! Every protocol behind one type, for the web app.
//!
//! The simulator is generic over the protocol, so each protocol compiles its own copy of the
//! world, the time-travel machinery and the view model. Natively that costs nothing; in the browser
//! every copy adds to the download. [`AnyNode`] wraps every protocol in one enum (and [`AnyMsg`]
//! their messages), delegating each call, so the app compiles the simulator once for all of them.

use std::borrow::Cow;

use crate::check::Invariant;
use crate::model::chunked::Meter;
use crate::model::event::{JsonFields, Message};
use crate::model::kv::Cmd;
use crate::model::text::{text, Arg, Text};
use crate::model::types::{ClientId, NodeId};
use crate::model::view::{MsgLook, NodeDetail};
use crate::sim::protocol::ScenarioView;
use crate::sim::protocol::{Inspection, Out, Protocol, ProtocolOptions, RoleView, Spec, TimerId};

/// One input to a node.
enum Input<M> {
    Message(NodeId, M),
    Timer(TimerId),
    Request(ClientId, Cmd),
}

/// Runs one input through a wrapped protocol with an output buffer of its own message type, then
/// moves what it wrote into the wrapper's buffer. (One function per protocol, not per handler, so
/// the wrapper adds little code to the download.)
fn drive<P: Protocol>(
    p: &mut P,
    input: Input<P::Msg>,
    out: &mut Out<AnyMsg>,
    wrap: fn(P::Msg) -> AnyMsg,
) {
    let mut inner = Out::new(out.node);
    match input {
        Input::Message(from, m) => p.on_message(from, m, &mut inner),
        Input::Timer(t) => p.on_timer(t, &mut inner),
        Input::Request(c, cmd) => p.on_request(c, cmd, &mut inner),
    }
    move_out(inner, out, wrap);
}

fn move_out<M>(inner: Out<M>, out: &mut Out<AnyMsg>, wrap: fn(M) -> AnyMsg) {
    let Out {
        sends,
        mut replies,
        mut timers,
        events,
        ..
    } = inner;
    out.sends
        .extend(sends.into_iter().map(|(to, m)| (to, wrap(m))));
    out.replies.append(&mut replies);
    out.timers.append(&mut timers);
    out.events
        .extend(events.into_iter().map(|e| e.map_msg(wrap)));
}

macro_rules! any_protocol {
    ($($V:ident($P:ty)),* $(,)?) => {
        /// A node of any protocol.
        #[derive(Clone, Debug, Hash)]
        pub enum AnyNode { $(
            /// A node of this protocol.
            $V($P)
        ),* }

        /// A message of any protocol.
        #[derive(Clone, Debug, Hash, PartialEq)]
        pub enum AnyMsg { $(
            /// A message of this protocol.
            $V(<$P as Protocol>::Msg)
        ),* }

        /// The settings of any protocol.
        #[derive(Clone, Debug)]
        pub enum AnyConfig { $(
            /// Settings of this protocol.
            $V(<$P as Spec>::Config)
        ),* }

        /// The durable state of any protocol (`Blank` before the first boot).
        #[derive(Clone, Debug, Default, Hash)]
        pub enum AnyDurable {
            /// Nothing stored yet.
            #[default]
            Blank,
            $(
            /// Durable state of this protocol.
            $V(<$P as Protocol>::Durable)
            ),*
        }

        impl Default for AnyConfig {
            fn default() -> Self {
                let first = AnyNode::names()[0];
                match AnyConfig::for_protocol(first, &ProtocolOptions::default(), 3) {
                    Ok((config, _)) => config,
                    Err(_) => unreachable!("a protocol configures with no options"),
                }
            }
        }

        impl AnyNode {
            /// The names (`Protocol::NAME`) of every protocol the app runs, in menu order.
            pub fn names() -> Vec<&'static str> {
                vec![$(<$P as Spec>::NAME),*]
            }
        }

        impl AnyConfig {
            /// The settings and checkers of the protocol called `name` (`Protocol::NAME`) on
            /// `nodes` nodes, or why there are none.
            pub fn for_protocol(
                name: &str,
                options: &ProtocolOptions,
                nodes: u32,
            ) -> Result<(AnyConfig, Vec<Box<dyn Invariant<AnyMsg>>>), Text> {
                $(if name == <$P as Spec>::NAME {
                    <$P>::check_nodes(nodes)?;
                    let config = AnyConfig::$V(<$P>::configure(options)?);
                    return Ok((config, <$P>::checkers::<AnyMsg>(nodes)));
                })*
                let name = Arg::Input(name.to_string());
                Err(text!(BrowserLacks, name.clone(), name))
            }
        }

        $(impl From<<$P as Spec>::Config> for AnyConfig {
            fn from(c: <$P as Spec>::Config) -> Self {
                AnyConfig::$V(c)
            }
        })*

        impl Message for AnyMsg {
            fn kind(&self) -> Cow<'static, str> {
                match self { $(AnyMsg::$V(m) => m.kind()),* }
            }

            fn fields(&self, out: &mut JsonFields) {
                match self { $(AnyMsg::$V(m) => m.fields(out)),* }
            }

            fn milestone(&self) -> Option<String> {
                match self { $(AnyMsg::$V(m) => m.milestone()),* }
            }

            fn look(&self) -> MsgLook {
                match self { $(AnyMsg::$V(m) => m.look()),* }
            }

            fn vote_granted(&self) -> Option<u64> {
                match self { $(AnyMsg::$V(m) => m.vote_granted()),* }
            }
        }

        impl Spec for AnyNode {
            type Config = AnyConfig;
            const NAME: &'static str = "any";
            const PRIMARY_TIMER: TimerId = TimerId(0);
            const TIMERS: &'static [&'static str] = &["election", "heartbeat"];

            fn configure(_options: &ProtocolOptions) -> Result<AnyConfig, Text> {
                Err(text!(Word, "configure the wrapped protocol instead (lab::new_lab does)"))
            }

            fn checkers<M: Message + 'static>(_nodes: u32) -> Vec<Box<dyn crate::check::Invariant<M>>> {
                Vec::new()
            }
        }

        impl Protocol for AnyNode {
            type Msg = AnyMsg;
            type Durable = AnyDurable;

            fn boot(id: NodeId, n: u32, config: &AnyConfig, durable: AnyDurable, out: &mut Out<AnyMsg>) -> Self {
                match config { $(
                    AnyConfig::$V(c) => {
                        let d = match durable { AnyDurable::$V(d) => d, _ => Default::default() };
                        let mut inner = Out::new(out.node);
                        let node = <$P>::boot(id, n, c, d, &mut inner);
                        move_out(inner, out, AnyMsg::$V);
                        AnyNode::$V(node)
                    }
                ),* }
            }

            fn into_durable(self) -> AnyDurable {
                match self { $(AnyNode::$V(p) => AnyDurable::$V(p.into_durable())),* }
            }

            fn on_message(&mut self, from: NodeId, msg: AnyMsg, out: &mut Out<AnyMsg>) {
                #[allow(unreachable_patterns)]
                match (self, msg) {
                    $((AnyNode::$V(p), AnyMsg::$V(m)) => drive(p, Input::Message(from, m), out, AnyMsg::$V),)*
                    _ => {}
                }
            }

            fn on_timer(&mut self, timer: TimerId, out: &mut Out<AnyMsg>) {
                match self { $(AnyNode::$V(p) => drive(p, Input::Timer(timer), out, AnyMsg::$V)),* }
            }

            fn on_request(&mut self, client: ClientId, cmd: Cmd, out: &mut Out<AnyMsg>) {
                match self { $(AnyNode::$V(p) => drive(p, Input::Request(client, cmd), out, AnyMsg::$V)),* }
            }

            fn role(&self) -> RoleView {
                match self { $(AnyNode::$V(p) => p.role()),* }
            }

            fn timer_label(&self, timer: TimerId) -> &'static str {
                match self { $(AnyNode::$V(_) => <$P>::timer_name(timer)),* }
            }

            fn inspect(&self) -> Inspection {
                match self { $(AnyNode::$V(p) => p.inspect()),* }
            }

            fn detail(&self) -> NodeDetail {
                match self { $(AnyNode::$V(p) => p.detail()),* }
            }

            fn measure(&self, m: &mut Meter) {
                match self { $(AnyNode::$V(p) => p.measure(m)),* }
            }

            fn measure_durable(durable: &AnyDurable, m: &mut Meter) {
                match durable {
                    AnyDurable::Blank => {}
                    $(AnyDurable::$V(d) => <$P>::measure_durable(d, m)),*
                }
            }
        }

        impl ScenarioView for AnyNode {
            fn is_leader(&self) -> bool {
                match self { $(AnyNode::$V(p) => p.is_leader()),* }
            }

            fn applied(&self) -> u64 {
                match self { $(AnyNode::$V(p) => p.applied()),* }
            }
        }
    };
}

// Every protocol of the registry, all in the one page of the app.
registry!(any_protocol);
