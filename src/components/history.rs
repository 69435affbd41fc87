//! The history view: one row per client, each operation a bar from its invoke to its answer
//! (open-ended while waiting or when the outcome is unknown), coloured by outcome. When the
//! linearizability checker finds a violation, the explanation in plain words comes first, the
//! operations of the longest linearizable order are ticked, and the operation that cannot be
//! placed and those that cannot come next either are red. A click on an operation moves the
//! timeline to its invoke and highlights what it caused in the diagram.

use std::rc::Rc;

use quorum_engine::model::types::Micros;
use yew::prelude::*;

use crate::i18n::{fill, say, say_words, tr, Lang, Msg};
use crate::numbers::fixed;
use crate::state::{DiagramCmd, HistoryOp, HistoryView, Outcome, Verdict};

/// Props of the history view.
#[derive(Properties, PartialEq, Clone)]
pub struct HistoryProps {
    /// What it shows.
    pub view: Rc<HistoryView>,
    /// Moves to an operation and highlights it.
    pub oncmd: Callback<DiagramCmd>,
    /// The interface's language.
    pub lang: Lang,
}

/// The history view.
#[function_component(HistoryPanel)]
pub fn history_panel(props: &HistoryProps) -> Html {
    let (v, lang) = (&props.view, props.lang);
    let span = (v.to - v.from).max(1);
    html! {
        <section class="panel history" data-testid="history" aria-labelledby="history-title">
            <h2 id="history-title">{ tr(lang, Msg::ClientHistory) }</h2>
            if let Some((key, text)) = &v.explanation {
                <p class="history-explanation" data-testid="history-explanation" role="status">
                    <strong>{ fill(lang, Msg::NotLinearizable, &[&key.to_string()]) }</strong>{ say(lang, text) }
                </p>
            } else {
                <p class="muted">{ tr(lang, Msg::Linearizable) }</p>
            }
            <div class="history-rows">
                { for v.rows.iter().map(|(client, ops)| html! {
                    <div class="history-row" data-testid="history-row">
                        <b>{ format!("c{client}") }</b>
                        <div class="history-lane">
                            { for ops.iter().map(|op| bar(lang, op, v.from, span, v.to, &props.oncmd)) }
                        </div>
                    </div>
                }) }
            </div>
            <p class="legend muted">{ tr(lang, Msg::HistoryLegend) }</p>
        </section>
    }
}

/// One operation's bar, placed in percent of the window.
fn bar(
    lang: Lang,
    op: &HistoryOp,
    from: Micros,
    span: Micros,
    to: Micros,
    oncmd: &Callback<DiagramCmd>,
) -> Html {
    let pct = |t: Micros| (t.clamp(from, to) - from) as f64 * 100.0 / span as f64;
    let left = pct(op.invoke);
    let width = (pct(op.done.unwrap_or(to)) - left).max(0.6);
    let outcome = match op.outcome {
        Outcome::Ok => "ok",
        Outcome::Fail => "fail",
        Outcome::Info | Outcome::Open => "info",
    };
    let (verdict, tick) = match op.verdict {
        Verdict::None => ("", ""),
        Verdict::Prefix => ("prefix", "✓ "),
        Verdict::Blocked => ("blocked", "✗ "),
        Verdict::CannotFollow => ("cannot", "✗ "),
    };
    let title = format!("c{} {}: {}", op.root.0, op.text, say_words(lang, outcome));
    let pick = DiagramCmd::Pick(op.invoke, Some(op.root));
    let onclick = oncmd.reform(move |_: MouseEvent| pick.clone());
    html! {
        <button class={classes!("history-op", outcome, verdict)} data-testid="history-op" data-verdict={verdict}
            style={format!("left:{}%;width:{}%", fixed(left, 2), fixed(width, 2))} {title} {onclick}>
            { format!("{tick}{}", op.text) }
        </button>
    }
}
