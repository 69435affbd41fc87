//! One line of words per notable event, as scenario outputs, goldens, the ShiViz export and the
//! app's event log show it (`0.5s n3 leader term=2`). The line is a [`Text`], so the app can say it
//! in another language; `describe` writes the English.

use crate::model::event::{Event, Message, Payload, Stamped};
use crate::model::kv::{short_op, Command};
use crate::model::text::{block as block_word, text, Phrase, Text};
use crate::model::types::fmt_time;

/// A compact human line for a notable event: its time, then [`event_text`].
pub fn describe<M: Message>(s: &Stamped<M>) -> String {
    format!("{} {}", fmt_time(s.t), event_text(&s.ev))
}

/// What happened, with its actor first (`n3 leader term=2`, `c1 invoke op4 put 1 5`).
pub fn event_text<M: Message>(ev: &Event<M>) -> Text {
    match (actor(ev), body(ev)) {
        (Some(who), body) => text!(Actor, who, body),
        (None, body) => body,
    }
}

/// The name the line starts with: `n3` or `c1` (none for network-wide events and timeouts).
fn actor<M: Message>(ev: &Event<M>) -> Option<String> {
    match ev {
        Event::Timeout { .. } => None,
        Event::Send { from, .. } => Some(format!("n{from}")),
        _ => ev.actor().map(|a| match a {
            crate::model::types::Addr::Node(n) => format!("n{n}"),
            crate::model::types::Addr::Client(c) => format!("c{c}"),
        }),
    }
}

/// What happened, without the actor (a diagram's mark on the actor's lane).
pub fn body<M: Message>(ev: &Event<M>) -> Text {
    let ballot = |b: &u64| crate::model::ballot::show(*b);
    match ev {
        Event::Role {
            role,
            epoch_name,
            epoch,
            ..
        } => text!(
            RoleIs,
            role,
            epoch_name,
            crate::model::view::epoch_value(epoch_name, *epoch)
        ),
        Event::Append {
            index, term, cmd, ..
        } => text!(AppendAt, index, term, short_cmd(cmd)),
        Event::Truncate { from, .. } => text!(TruncateFrom, from),
        Event::Commit { index, .. } => text!(CommitN, index),
        Event::Crash { .. } => Text::word(Phrase::CrashEv),
        Event::Restart { .. } => Text::word(Phrase::RestartEv),
        Event::Partition { groups } => text!(PartitionOf, format!("{groups:?}")),
        Event::Heal => Text::word(Phrase::HealEv),
        Event::Promise { ballot: b, .. } => text!(PromiseEv, ballot(b)),
        Event::Propose {
            slot,
            ballot: b,
            cmd,
            ..
        } => text!(ProposeEv, slot, ballot(b), short_cmd(cmd)),
        Event::Accept {
            slot,
            ballot: b,
            cmd,
            ..
        } => text!(AcceptEv, slot, ballot(b), short_cmd(cmd)),
        Event::Chosen { slot, cmd, .. } => text!(ChosenEv, slot, short_cmd(cmd)),
        Event::Begin {
            txn,
            cmd,
            participants,
            ..
        } => {
            let parts: Vec<String> = participants.iter().map(|p| format!("n{p}")).collect();
            text!(BeginsOn, txn, short_op(&cmd.kv), parts.join(" "))
        }
        Event::Vote { txn, yes, .. } => text!(VotesOn, yes_no(*yes), txn),
        Event::Decide { txn, commit, .. } => {
            let what = if *commit {
                Phrase::Commit
            } else {
                Phrase::Abort
            };
            text!(Decides, what, txn)
        }
        Event::Checkpoint {
            index, from: None, ..
        } => text!(CheckpointN, index),
        Event::Checkpoint {
            index,
            from: Some(l),
            ..
        } => text!(InstallsFrom, index, l),
        Event::Recover {
            checkpoint,
            replayed,
            ..
        } => text!(RecoverEv, checkpoint, replayed),
        Event::Try { input, block, .. } => text!(TryOn, block_word(*block), input),
        Event::Test {
            input, block, pass, ..
        } => {
            let verdict = if *pass { Phrase::Pass } else { Phrase::Fail };
            text!(TestOn, block_word(*block), input, verdict)
        }
        Event::Rollback { input, .. } => text!(RollbackEv, input),
        Event::Swap {
            former,
            epoch,
            reason,
            ..
        } => text!(TakesOver, former, epoch, reason),
        Event::Output {
            input, block, cmd, ..
        } => text!(OutputEv, input, block_word(*block), short_cmd(cmd)),
        _ => network_or_client(ev),
    }
}

/// The network's, the clients' and the checkers' events.
fn network_or_client<M: Message>(ev: &Event<M>) -> Text {
    match ev {
        Event::Drop { msg, reason } => text!(Dropped, msg, reason.name()),
        Event::Delay { msg, deliver_at } => text!(HeldBack, msg, fmt_time(*deliver_at)),
        Event::Cut { from, to } => text!(CutEv, from, to),
        Event::Drift { rate, .. } => text!(ClockRate, rate),
        Event::Invoke { op, kv, .. } => text!(InvokeEv, op, short_op(kv)),
        Event::Ok {
            op, value: Some(v), ..
        } => text!(OkRead, op, crate::replicated::short_value(*v)),
        Event::Ok { op, .. } => text!(OkEv, op),
        Event::Fail { op, .. } => text!(FailEv, op),
        Event::Info { op, .. } => text!(InfoEv, op),
        Event::Violation { invariant, detail } => text!(ViolationEv, invariant, detail),
        Event::Send {
            to,
            payload: Payload::Proto(m),
            ..
        } => match m.milestone() {
            Some(milestone) => text!(SendsTo, to.to_string(), milestone),
            None => text!(SendsTo, to.to_string(), m.kind()),
        },
        other => text!(Word, other.name()),
    }
}

/// `yes` or `no`.
fn yes_no(yes: bool) -> Phrase {
    if yes {
        Phrase::Yes
    } else {
        Phrase::No
    }
}

fn short_cmd(cmd: &Command) -> String {
    match cmd {
        Command::Noop(_) => "noop".into(),
        Command::Client(c) => short_op(&c.kv),
    }
}
