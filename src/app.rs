//! The root component: the layout, the keyboard, the address bar kept in step with the state,
//! and the embed mode.

use std::rc::Rc;

use quorum_engine::sim::action::Action;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::components::acceptors::Acceptors;
use crate::components::controls::Controls;
use crate::components::embed_dialog::EmbedDialog;
use crate::components::event_log::EventLog;
use crate::components::help::Help;
use crate::components::inspector::Inspector;
use crate::components::invariants::Invariants;
use crate::components::lab_canvas::LabCanvas;
use crate::components::log_grid::LogGrid;
use crate::components::settings::Settings;
use crate::components::story::StoryPanel;
use crate::components::topbar::{Tools, TopBar};
use crate::components::LabProps;
use crate::dom;
use crate::state::{
    query_value, LabAction, LabState, Selection, Session, Tool, SPEED_MAX, SPEED_MIN,
};

/// Which dialog is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dialog {
    None,
    Help,
    Embed,
}

/// The app.
#[function_component(App)]
pub fn app() -> Html {
    let query = use_memo((), |_| dom::query());
    let embed = query_value(&query, "embed").as_deref() == Some("1");
    let lab = use_reducer(|| LabState {
        session: Rc::new(Session::from_query(&query)),
        version: 0,
    });
    let dialog = use_state(|| Dialog::None);
    let settings_open = use_state(|| false);
    let notice = use_state(|| None::<String>);
    let dispatch = {
        let lab = lab.clone();
        Callback::from(move |a: LabAction| lab.dispatch(a))
    };
    let props = LabProps {
        session: lab.session.clone(),
        version: lab.version,
        dispatch: dispatch.clone(),
    };
    use_api(&props);
    use_keyboard(&props, &dialog);
    use_address_bar(&props, embed);
    let close = {
        let dialog = dialog.clone();
        Callback::from(move |_| dialog.set(Dialog::None))
    };
    let dialogs = match *dialog {
        Dialog::Help => html! { <Help onclose={close} /> },
        Dialog::Embed => html! { <EmbedDialog link={props.session.link()} onclose={close} /> },
        Dialog::None => html! {},
    };
    if embed {
        return html! { <div class="app embed">{ alert(&props) }<LabCanvas lab={props.clone()} compact=true /><Controls ..props.clone() />{ open_full(&props) }</div> };
    }
    let open = |d: Dialog| {
        let dialog = dialog.clone();
        Callback::from(move |_| dialog.set(d))
    };
    let copy = {
        let (session, notice) = (props.session.clone(), notice.clone());
        Callback::from(move |_| {
            dom::copy_to_clipboard(&format!("{}?{}", dom::base_url(), session.link()));
            notice.set(Some("Link copied".into()));
        })
    };
    let toggle_settings = {
        let open = settings_open.clone();
        Callback::from(move |_| open.set(!*open))
    };
    html! {
        <div class="app">
            <TopBar lab={props.clone()} oncopy={copy} onembed={open(Dialog::Embed)} ontheme={Callback::from(|_| toggle_theme())}
                onhelp={open(Dialog::Help)} onsettings={toggle_settings} notice={(*notice).clone()} />
            { alert(&props) }
            <main class="stage">
                <div class="canvas-column">
                    <Tools ..props.clone() />
                    <LabCanvas lab={props.clone()} />
                    <Controls ..props.clone() />
                </div>
                <aside class="side">
                    if *settings_open { <Settings ..props.clone() /> }
                    <Invariants ..props.clone() />
                    <Acceptors ..props.clone() />
                    <Inspector ..props.clone() />
                </aside>
            </main>
            <StoryPanel ..props.clone() />
            <section class="lower">
                <LogGrid ..props.clone() />
                <EventLog ..props.clone() />
            </section>
            { dialogs }
        </div>
    }
}

fn alert(props: &LabProps) -> Html {
    let text = props.session.alert.borrow().clone();
    let clear = super::components::send(&props.dispatch, LabAction::ClearAlert);
    html! {
        <div class="alert-slot" data-testid="alert" role="alert">
            if let Some(t) = text {
                <div class="alert"><span>{ t }</span><button onclick={clear} aria-label="Dismiss">{"✕"}</button></div>
            }
        </div>
    }
}

fn open_full(props: &LabProps) -> Html {
    let href = format!("{}?{}", dom::base_url(), props.session.link());
    html! { <a class="open-full" href={href} target="_blank" rel="noopener">{"Open in Quorum Lab ↗"}</a> }
}

fn toggle_theme() {
    dom::set_theme(if dom::theme() == "light" {
        "dark"
    } else {
        "light"
    });
}

/// Installs the JavaScript API once.
#[hook]
fn use_api(props: &LabProps) {
    let (session, dispatch) = (props.session.clone(), props.dispatch.clone());
    use_effect_with((), move |_| {
        crate::api::install(session, dispatch);
    });
}

/// Keeps the address bar equal to the share link of the present state (while paused, so
/// playing does not flood the history API).
#[hook]
fn use_address_bar(props: &LabProps, embed: bool) {
    let session = props.session.clone();
    use_effect_with(props.version, move |_| {
        if !session.playing.get() {
            let link = session.link();
            dom::replace_query(&if embed {
                format!("embed=1&{link}")
            } else {
                link
            });
        }
    });
}

/// The keyboard shortcuts of the help overlay.
#[hook]
fn use_keyboard(props: &LabProps, dialog: &UseStateHandle<Dialog>) {
    let (session, dispatch, dialog) = (
        props.session.clone(),
        props.dispatch.clone(),
        dialog.clone(),
    );
    use_effect_with((), move |_| {
        let handler =
            Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |e: web_sys::KeyboardEvent| {
                if typing(&e) {
                    return;
                }
                if let Some(action) = key_action(&e.key(), &session, &dialog) {
                    e.prevent_default();
                    dispatch.emit(action);
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

/// True when the key goes to a text field, not to the shortcuts.
fn typing(e: &web_sys::KeyboardEvent) -> bool {
    let tag = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .map(|el| el.tag_name())
        .unwrap_or_default();
    matches!(tag.as_str(), "INPUT" | "TEXTAREA" | "SELECT")
        || e.ctrl_key()
        || e.meta_key()
        || e.alt_key()
}

fn key_action(key: &str, session: &Session, dialog: &UseStateHandle<Dialog>) -> Option<LabAction> {
    let speed = session.speed.get();
    Some(match key {
        " " => LabAction::TogglePlay,
        "ArrowRight" => LabAction::Step,
        "ArrowLeft" => LabAction::StepBack,
        "+" | "=" => LabAction::Speed((speed * 2.0).min(SPEED_MAX)),
        "-" | "_" => LabAction::Speed((speed / 2.0).max(SPEED_MIN)),
        "p" | "P" => LabAction::Tool(if session.tool.get() == Tool::Partition {
            Tool::Inspect
        } else {
            Tool::Partition
        }),
        "h" | "H" => LabAction::Act(Action::Heal),
        "t" | "T" => {
            toggle_theme();
            LabAction::Refresh
        }
        "?" => {
            dialog.set(Dialog::Help);
            LabAction::Refresh
        }
        "Escape" => {
            dialog.set(Dialog::None);
            session.tool.set(Tool::Inspect);
            LabAction::Select(Selection::None)
        }
        _ => return None,
    })
}
