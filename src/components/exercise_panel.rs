//! The exercise panel: the task, the answers it offers (by kind), the grade and the result record.

use quorum_engine::lab::classroom::exercise::Kind;
use yew::prelude::*;

use crate::i18n::{fill, tr, Lang, Msg};
use crate::numbers::moment;
use crate::state::{ClassCmd, ExerciseUi};

/// Props of the exercise panel.
#[derive(Properties, PartialEq, Clone)]
pub struct ExercisePanelProps {
    /// The exercise open.
    pub exercise: ExerciseUi,
    /// The result record (JSON), once an answer was graded.
    pub record: Option<AttrValue>,
    /// Sends the panel's commands.
    pub onclass: Callback<ClassCmd>,
    /// Copies a text.
    pub oncopy: Callback<String>,
    /// The interface's language.
    pub lang: Lang,
}

/// The answers an exercise offers: (value, label).
fn choices(open: &ExerciseUi) -> Vec<(String, String)> {
    match &open.exercise.kind {
        Kind::Predict { choices, field, .. } => {
            let node = field.as_deref() == Some("node");
            let label = |c: &String| if node { format!("n{c}") } else { c.clone() };
            choices.iter().map(|c| (c.clone(), label(c))).collect()
        }
        Kind::Fix {
            option, choices, ..
        } => choices
            .iter()
            .map(|c| (c.clone(), format!("{option} = {c}")))
            .collect(),
        Kind::Explain { .. } => open
            .candidates
            .iter()
            .map(|c| (c.msg.to_string(), format!("{} · {}", moment(c.t), c.text)))
            .collect(),
        Kind::Break { .. } => Vec::new(),
    }
}

/// The exercise panel.
#[function_component(ExercisePanel)]
pub fn exercise_panel(props: &ExercisePanelProps) -> Html {
    let (lang, code) = (props.lang, props.lang.code());
    let t = |m: Msg| tr(lang, m);
    let open = &props.exercise;
    let ex = &open.exercise;
    let answer = |v: Option<String>| {
        props
            .onclass
            .reform(move |_: MouseEvent| ClassCmd::Answer(v.clone()))
    };
    let explain = matches!(ex.kind, Kind::Explain { .. });
    html! {
        <section class="panel class-panel" data-testid="exercise-panel" aria-labelledby="ex-title">
            <h2 id="ex-title">{ ex.title.get(code) }</h2>
            <p data-testid="exercise-text">{ ex.text.get(code) }</p>
            <div class={classes!("choices", explain.then_some("column"))}>
                { for choices(open).into_iter().map(|(v, label)| html! {
                    <button data-testid="exercise-choice" data-value={v.clone()} aria-pressed={(open.grade.is_some() && open.answer == v).to_string()}
                        onclick={answer(Some(v))}>{ label }</button>
                }) }
                if matches!(ex.kind, Kind::Break { .. }) {
                    <button class="primary" data-testid="exercise-check" onclick={answer(None)}>{ t(Msg::CheckRun) }</button>
                }
            </div>
            if let Some(g) = &open.grade {
                <p class={classes!("grade", if g.pass { "pass" } else { "fail" })} data-testid="exercise-result"
                    data-pass={g.pass.to_string()} role="status">{ if g.pass { "✓ " } else { "✗ " } }{ g.why.get(code) }</p>
                <p class="muted" data-testid="exercise-attempts">{ fill(lang, Msg::Attempts, &[&open.attempts.to_string()]) }</p>
            }
            if let Some(record) = &props.record {
                { record_row(record, &props.oncopy, lang) }
            }
            <div class="row">
                <button class="quiet" data-testid="exercise-close" onclick={props.onclass.reform(|_: MouseEvent| ClassCmd::CloseExercise)}>{ t(Msg::Close) }</button>
            </div>
        </section>
    }
}

/// The result record in a read-only field, with a Copy button.
fn record_row(record: &AttrValue, oncopy: &Callback<String>, lang: Lang) -> Html {
    let text = record.to_string();
    let copy = oncopy.reform(move |_: MouseEvent| text.clone());
    html! {
        <label class="record">{ tr(lang, Msg::ResultRecord) }
            <span class="row">
                <input data-testid="exercise-record" readonly=true value={record.clone()} />
                <button data-testid="exercise-copy" onclick={copy}>{ tr(lang, Msg::Copy) }</button>
            </span>
        </label>
    }
}
