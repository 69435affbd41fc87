//! Export of a run to ShiViz's log format, so the space-time diagram can also be read in ShiViz
//! (and in TSViz and other tools that read the same format).
//!
//! ShiViz orders events by vector clocks, not by time. A file it uploads holds, on its first line,
//! the regular expression that parses each event, on its second the delimiter of several
//! executions (empty: one run), then the log, two lines per event: the event's text, and its host
//! with its vector clock as JSON (`n1 {"n1":3,"n2":1}`). A host's own entry counts its events from
//! 1 up, one step per event.
//!
//! Hosts are the nodes (`n1`) and the clients (`c1`). A send is an event of its sender; a delivery
//! an event of its receiver whose clock merges the sender's clock at the send, which is what
//! draws the arrow; a lost message is an event of its sender, after the send, naming why it was
//! lost (ShiViz draws no arrow for it). Events of the network or the run as a whole (partitions,
//! heals, phases) and invariant violations are events of a host `world` that takes part in no
//! message; a violation is the event ShiViz's search finds with `VIOLATION`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::model::event::{Event, Message, Stamped};
use crate::model::types::{Addr, MsgId};
use crate::run::scenario::describe;

/// The parser expression written on the file's first line: time in microseconds, the text, then
/// the host and its clock.
pub const REGEX: &str = r"(?<time>\d+)us (?<event>.*)\n(?<host>\S+) (?<clock>\{.*\})";

/// A vector clock: events seen per host.
type Clock = BTreeMap<String, u64>;

/// What the export remembers of a message in flight.
#[derive(Clone)]
struct Sent {
    clock: Clock,
    from: String,
    to: String,
    label: String,
}

/// The run's trace in ShiViz's log format (see the module documentation).
pub fn export<M: Message>(trace: &[Stamped<M>]) -> String {
    let mut out = format!("{REGEX}\n\n");
    let mut clocks: BTreeMap<String, Clock> = BTreeMap::new();
    let mut sent: BTreeMap<MsgId, Sent> = BTreeMap::new();
    for s in trace {
        let Some((host, text, merge)) = event_of(s, &mut sent) else {
            continue;
        };
        let clock = clocks.entry(host.clone()).or_default();
        if let Some(other) = merge {
            for (h, n) in other {
                let mine = clock.entry(h).or_default();
                *mine = (*mine).max(n);
            }
        }
        *clock.entry(host.clone()).or_default() += 1;
        if let Event::Send { msg, .. } = &s.ev {
            if let Some(m) = sent.get_mut(msg) {
                m.clock = clock.clone();
            }
        }
        let _ = writeln!(out, "{}us {}\n{host} {}", s.t, text, clock_json(clock));
    }
    out
}

/// The host, text and (for a delivery) the clock to merge of one event; `None` to leave it out.
fn event_of<M: Message>(
    s: &Stamped<M>,
    sent: &mut BTreeMap<MsgId, Sent>,
) -> Option<(String, String, Option<Clock>)> {
    match &s.ev {
        Event::Send {
            msg,
            from,
            to,
            payload,
            ..
        } => {
            let label = payload.label();
            let text = format!("send #{msg} {label} to {}", host(*to));
            sent.insert(
                *msg,
                Sent {
                    clock: Clock::new(),
                    from: host(*from),
                    to: host(*to),
                    label,
                },
            );
            Some((host(*from), text, None))
        }
        Event::Deliver { msg } => {
            let m = sent.remove(msg)?;
            let text = format!("receive #{msg} {} from {}", m.label, m.from);
            Some((m.to, text, Some(m.clock)))
        }
        Event::Drop { msg, reason } => {
            let m = sent.remove(msg)?;
            let text = format!("lost #{msg} {} to {} ({})", m.label, m.to, reason.name());
            Some((m.from, text, None))
        }
        // A copy has its own `send` line (the network sends it again); a delay changes nothing
        // causal.
        Event::Duplicate { .. } | Event::Delay { .. } => None,
        ev => {
            let text = describe(s);
            let text = text
                .split_once(' ')
                .map_or(text.clone(), |(_, b)| b.to_string());
            Some((ev.actor().map_or_else(|| "world".into(), host), text, None))
        }
    }
}

fn host(a: Addr) -> String {
    match a {
        Addr::Node(n) => format!("n{n}"),
        Addr::Client(_) => a.to_string(),
    }
}

fn clock_json(c: &Clock) -> String {
    let parts: Vec<String> = c.iter().map(|(h, n)| format!("\"{h}\":{n}")).collect();
    format!("{{{}}}", parts.join(","))
}

#[cfg(test)]
mod tests;
