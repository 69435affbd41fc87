//! The alert slot: a message for the user (a bad link, a failed call), with a dismiss button.

use yew::prelude::*;

use crate::i18n::{tr, Lang, Msg};

/// Props of the alert slot.
#[derive(Properties, PartialEq, Clone)]
pub struct AlertProps {
    /// The message, if any.
    pub text: Option<String>,
    /// Dismisses it.
    pub ondismiss: Callback<MouseEvent>,
    /// The interface's language.
    pub lang: Lang,
}

/// The alert slot (always present, so screen readers announce what appears in it).
#[function_component(Alert)]
pub fn alert(props: &AlertProps) -> Html {
    html! {
        <div class="alert-slot" data-testid="alert" role="alert">
            if let Some(t) = &props.text {
                <div class="alert"><span>{ t }</span><button onclick={props.ondismiss.clone()} aria-label={tr(props.lang, Msg::Dismiss)}>{"✕"}</button></div>
            }
        </div>
    }
}
