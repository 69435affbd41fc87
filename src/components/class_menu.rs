//! The top bar's classroom entries: the list of tours and the list of exercises.

use quorum_engine::lab::classroom::exercise::exercises;
use quorum_engine::lab::classroom::tour::tours;
use yew::prelude::*;

use crate::i18n::{tr, Lang, Msg};
use crate::state::ClassCmd;

/// Props of the classroom entries.
#[derive(Properties, PartialEq, Clone)]
pub struct ClassMenuProps {
    /// Opens a tour or an exercise.
    pub onclass: Callback<ClassCmd>,
    /// The interface's language.
    pub lang: Lang,
}

/// Which list is open.
#[derive(Clone, Copy, PartialEq)]
enum Open {
    None,
    Tours,
    Exercises,
}

/// The Tours and Exercises buttons, each opening its list.
#[function_component(ClassMenu)]
pub fn class_menu(props: &ClassMenuProps) -> Html {
    let open = use_state(|| Open::None);
    let lang = props.lang;
    let t = |m: Msg| tr(lang, m);
    let toggle = |which: Open| {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| {
            open.set(if *open == which { Open::None } else { which })
        })
    };
    let item = |id: String, title: String, cmd: fn(String) -> ClassCmd| {
        let (open, onclass) = (open.clone(), props.onclass.clone());
        let pick = Callback::from(move |_: MouseEvent| {
            open.set(Open::None);
            onclass.emit(cmd(id.clone()));
        });
        html! { <button role="menuitem" data-testid="class-item" onclick={pick}>{ title }</button> }
    };
    let code = lang.code();
    let list = match *open {
        Open::None => html! {},
        Open::Tours => html! { <div class="menu class-list" role="menu" data-testid="tour-list">
            { for tours().into_iter().map(|x| item(x.id, x.title.get(code).to_string(), ClassCmd::OpenTour)) }
        </div> },
        Open::Exercises => {
            html! { <div class="menu class-list" role="menu" data-testid="exercise-list">
                { for exercises().into_iter().map(|x| item(x.id, x.title.get(code).to_string(), ClassCmd::OpenExercise)) }
            </div> }
        }
    };
    html! {
        <span class="class-menu">
            <button data-testid="tours-button" aria-expanded={(*open == Open::Tours).to_string()}
                onclick={toggle(Open::Tours)} title={t(Msg::ToursTitle)}>{ t(Msg::Tours) }</button>
            <button data-testid="exercises-button" aria-expanded={(*open == Open::Exercises).to_string()}
                onclick={toggle(Open::Exercises)} title={t(Msg::ExercisesTitle)}>{ t(Msg::Exercises) }</button>
            { list }
        </span>
    }
}
