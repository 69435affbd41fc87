//! Small, safe wrappers over the browser: the window, time, the URL, the clipboard, the theme.

use wasm_bindgen::JsCast;

use crate::i18n::{tr, Lang, Msg};

/// The browser window.
pub fn window() -> web_sys::Window {
    web_sys::window().expect("a browser window")
}

/// Milliseconds since the page loaded (monotonic).
pub fn now_ms() -> f64 {
    window().performance().map_or(0.0, |p| p.now())
}

/// The page's query string, with its `?`.
pub fn query() -> String {
    window().location().search().unwrap_or_default()
}

/// The page's address without query or fragment.
pub fn base_url() -> String {
    let loc = window().location();
    format!(
        "{}{}",
        loc.origin().unwrap_or_default(),
        loc.pathname().unwrap_or_default()
    )
}

/// Replaces the address bar's query string without reloading or adding history entries.
pub fn replace_query(query: &str) {
    if let Ok(history) = window().history() {
        let url = format!("{}?{query}", base_url());
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Copies text to the clipboard (best effort: browsers may refuse outside secure contexts).
pub fn copy_to_clipboard(text: &str) {
    let _ = window().navigator().clipboard().write_text(text);
}

/// Does the user prefer reduced motion?
pub fn prefers_reduced_motion() -> bool {
    media_matches("(prefers-reduced-motion: reduce)")
}

/// Does the user prefer a light colour scheme?
pub fn prefers_light() -> bool {
    media_matches("(prefers-color-scheme: light)")
}

fn media_matches(query: &str) -> bool {
    window()
        .match_media(query)
        .ok()
        .flatten()
        .is_some_and(|m| m.matches())
}

/// The `data-theme` of the document (`dark` or `light`).
pub fn theme() -> String {
    root()
        .and_then(|r| r.get_attribute("data-theme"))
        .unwrap_or_else(|| "dark".into())
}

/// Sets the `data-theme` of the document.
pub fn set_theme(theme: &str) {
    if let Some(r) = root() {
        let _ = r.set_attribute("data-theme", theme);
    }
}

/// Switches between the dark and the light theme.
pub fn toggle_theme() {
    set_theme(if theme() == "light" { "dark" } else { "light" });
}

fn root() -> Option<web_sys::Element> {
    window().document()?.document_element()
}

/// The language the browser asks for (`navigator.language`): Chinese for `zh*`, else English.
pub fn browser_lang() -> Lang {
    window()
        .navigator()
        .language()
        .and_then(|tag| Lang::parse(&tag))
        .unwrap_or_default()
}

/// Sets the document's `lang` attribute (`en`, `zh-Hans`) and its title.
pub fn set_html_lang(tag: &str, title: &str) {
    if let Some(r) = root() {
        let _ = r.set_attribute("lang", tag);
    }
    if let Some(doc) = window().document() {
        doc.set_title(title);
    }
}

/// The interface's language as the document says it (for the fatal error, shown outside Yew).
fn page_lang() -> Lang {
    let tag = root().and_then(|r| r.get_attribute("lang"));
    tag.and_then(|t| Lang::parse(&t)).unwrap_or_default()
}

/// Shows a fatal error over the page, outside Yew (which may be what failed).
pub fn show_fatal(message: &str) {
    let Some(doc) = window().document() else {
        return;
    };
    let Some(body) = doc.body() else { return };
    let Ok(el) = doc.create_element("div") else {
        return;
    };
    el.set_id("error-overlay");
    let _ = el.set_attribute("data-testid", "error-overlay");
    let _ = el.set_attribute("role", "alert");
    let t = |m: Msg| tr(page_lang(), m);
    el.set_inner_html(&format!(
        "<h2>{}</h2><p>{}</p><pre>{}</pre><button onclick=\"location.reload()\">{}</button>",
        t(Msg::FatalTitle),
        t(Msg::FatalText),
        escape(message),
        t(Msg::Reload)
    ));
    let _ = body.append_child(&el);
}

/// Escapes text for HTML.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Sets a number on `window` (for probes read by tests and benchmarks).
pub fn set_window_number(name: &str, value: f64) {
    let _ = js_sys::Reflect::set(&window(), &name.into(), &value.into());
}

/// The 2D context of a canvas.
pub fn context_2d(
    canvas: &web_sys::HtmlCanvasElement,
) -> Option<web_sys::CanvasRenderingContext2d> {
    canvas.get_context("2d").ok().flatten()?.dyn_into().ok()
}

/// Posts `record` (a JSON object) to the parent page with `type` set to `kind`, when the app is
/// embedded in one (best effort: nothing happens on a page of its own).
pub fn post_to_parent(kind: &str, record: &str) {
    let win = window();
    let Ok(Some(parent)) = win.parent() else {
        return;
    };
    if js_sys::Object::is(&parent, &win) {
        return;
    }
    let Ok(message) = js_sys::JSON::parse(record) else {
        return;
    };
    let _ = js_sys::Reflect::set(&message, &"type".into(), &kind.into());
    let _ = parent.post_message(&message, "*");
}
