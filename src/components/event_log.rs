//! The textual event log, in step with the animation, with an `aria-live` summary for screen
//! readers.

use std::rc::Rc;

use quorum_engine::lab::LogLine;
use quorum_engine::model::types::fmt_time;
use yew::prelude::*;

use crate::i18n::{say, tr, Lang, Msg};

/// Lines shown in the log.
const SHOWN: usize = 120;

/// Props of the event log.
#[derive(Properties, PartialEq, Clone)]
pub struct EventLogProps {
    /// The latest lines, oldest first.
    pub lines: Rc<Vec<LogLine>>,
    /// The interface's language.
    pub lang: Lang,
}

/// The event log.
#[function_component(EventLog)]
pub fn event_log(props: &EventLogProps) -> Html {
    let lines = &props.lines;
    let latest = lines.iter().rev().find(|l| {
        matches!(
            l.kind,
            "role" | "crash" | "restart" | "partition" | "heal" | "violation"
        )
    });
    let start = lines.len().saturating_sub(SHOWN);
    html! {
        <section class="panel event-log" aria-labelledby="log-title">
            <h2 id="log-title">{ tr(props.lang, Msg::EventLog) }</h2>
            <p class="sr-only" aria-live="polite" aria-atomic="true">{ latest.map(|l| say(props.lang, &l.text)).unwrap_or_default() }</p>
            <ol data-testid="event-log" reversed=true>
                { for lines[start..].iter().rev().map(|l| html! {
                    <li class={classes!("line", l.kind)}>
                        <time>{ fmt_time(l.t) }</time>
                        <span>{ say(props.lang, &l.text) }</span>
                    </li>
                }) }
            </ol>
        </section>
    }
}
