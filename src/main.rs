//! Quorum Lab's web app: a Yew single-page app that animates the simulator on a canvas.
//!
//! The engine runs inside the page (compiled to WebAssembly with the app). [`state`] holds it with
//! the user's choices, changed only by a reducer that computes the frame and the view once per
//! change; the [`components`] show the parts of the view they are given; effects in [`app`] do
//! what touches the page; the canvas is redrawn on every animation frame ([`anim`]) from pure
//! layout code ([`canvas`]), never by re-rendering the component tree.

mod anim;
mod api;
mod app;
mod canvas;
mod components;
mod dom;
mod i18n;
mod numbers;
mod state;

fn main() {
    std::panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        web_sys::console::error_1(&message.clone().into());
        dom::show_fatal(&message);
    }));
    dom::set_theme(if dom::prefers_light() {
        "light"
    } else {
        "dark"
    });
    if let Some(boot) = dom::window()
        .document()
        .and_then(|d| d.get_element_by_id("boot"))
    {
        boot.remove();
    }
    yew::Renderer::<app::App>::new().render();
}
