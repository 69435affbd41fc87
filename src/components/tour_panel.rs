//! The tour panel: the step's text, its suggested action, and the way back and on.

use yew::prelude::*;

use crate::i18n::{fill, tr, Lang, Msg};
use crate::state::{ClassCmd, TourUi};

/// Props of the tour panel.
#[derive(Properties, PartialEq, Clone)]
pub struct TourPanelProps {
    /// The tour in progress.
    pub tour: TourUi,
    /// Sends the panel's commands.
    pub onclass: Callback<ClassCmd>,
    /// The interface's language.
    pub lang: Lang,
}

/// The tour panel.
#[function_component(TourPanel)]
pub fn tour_panel(props: &TourPanelProps) -> Html {
    let (lang, code) = (props.lang, props.lang.code());
    let t = |m: Msg| tr(lang, m);
    let send = |c: ClassCmd| props.onclass.reform(move |_: MouseEvent| c.clone());
    let (tour, k) = (&props.tour.tour, props.tour.progress.step);
    let step = &tour.steps[k];
    let counter = fill(
        lang,
        Msg::StepOf,
        &[&(k + 1).to_string(), &tour.steps.len().to_string()],
    );
    html! {
        <section class="panel class-panel" data-testid="tour-panel" aria-labelledby="tour-title">
            <h2 id="tour-title">{ tour.title.get(code) }</h2>
            <p class="muted" data-testid="tour-step">{ counter }</p>
            <p data-testid="tour-text">{ step.text.get(code) }</p>
            <div class="row">
                if step.suggest.is_some() {
                    <button class="primary" data-testid="tour-do" onclick={send(ClassCmd::TourDo)}>{ t(Msg::DoIt) }</button>
                }
                <button data-testid="tour-back" disabled={k == 0} onclick={send(ClassCmd::TourBack)}>{ t(Msg::Back) }</button>
                <button data-testid="tour-next" disabled={k + 1 == tour.steps.len()} onclick={send(ClassCmd::TourNext)}>{ t(Msg::Next) }</button>
                <button class="quiet" data-testid="tour-close" onclick={send(ClassCmd::CloseTour)}>{ t(Msg::Close) }</button>
            </div>
        </section>
    }
}
