//! What the page does about the state, as hooks with cleanup: the JavaScript API, the address
//! bar, the keyboard shortcuts.

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::keys::{key_command, typing, KeyCommand};
use super::Dialog;
use crate::anim::Drawn;
use crate::dom;
use crate::i18n::{tr, Lang, Msg};
use crate::state::{LabAction, LabState, Store};

/// Installs the JavaScript API while the app is mounted.
#[hook]
pub fn use_api(lab: &UseReducerHandle<LabState>, drawn: &Rc<Drawn>) {
    let (lab, drawn) = (lab.clone(), drawn.clone());
    use_effect_with((), move |_| {
        let installed = crate::api::install(lab, drawn);
        move || drop(installed)
    });
}

/// Keeps the address bar equal to the share link of the moment shown, while paused (playing
/// would flood the history API). An embedded page keeps its `embed=1`.
#[hook]
pub fn use_address_bar(link: &str, playing: bool, embed: bool) {
    use_effect_with((link.to_string(), playing), move |(link, playing)| {
        if !*playing {
            dom::replace_query(&if embed {
                format!("embed=1&{link}")
            } else {
                link.clone()
            });
        }
    });
}

/// Posts an exercise's result record to the parent page each time an answer is graded.
#[hook]
pub fn use_result_post(attempts: u32, record: Option<AttrValue>) {
    use_effect_with(attempts, move |_| {
        if let Some(record) = record {
            dom::post_to_parent("quorum-lab:result", &record);
        }
    });
}

/// Keeps `<html lang>` and the page title in the interface's language (`en` or `zh-Hans`).
#[hook]
pub fn use_html_lang(lang: Lang) {
    use_effect_with(lang, |lang| {
        dom::set_html_lang(lang.html_tag(), tr(*lang, Msg::PageTitle))
    });
}

/// The keyboard shortcuts of the help overlay, while the app is mounted.
#[hook]
pub fn use_keyboard(lab: &UseReducerHandle<LabState>, dialog: &UseStateHandle<Dialog>) {
    let (lab, dialog) = (lab.clone(), dialog.clone());
    use_effect_with((), move |_| {
        let handler =
            Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |e: web_sys::KeyboardEvent| {
                if typing(&e) {
                    return;
                }
                if let Some(command) = lab.read(|s| key_command(&e.key(), &s.ui)) {
                    e.prevent_default();
                    perform(command, &lab, &dialog);
                }
            });
        let doc = dom::window().document().expect("a document");
        let _ = doc.add_event_listener_with_callback("keydown", handler.as_ref().unchecked_ref());
        move || {
            let _ = doc
                .remove_event_listener_with_callback("keydown", handler.as_ref().unchecked_ref());
        }
    });
}

fn perform(command: KeyCommand, lab: &impl Store, dialog: &UseStateHandle<Dialog>) {
    match command {
        KeyCommand::Lab(action) => lab.send(action),
        KeyCommand::Theme => dom::toggle_theme(),
        KeyCommand::Help => dialog.set(Dialog::Help),
        KeyCommand::Escape => {
            dialog.set(Dialog::None);
            lab.send(LabAction::Dismiss);
        }
    }
}
