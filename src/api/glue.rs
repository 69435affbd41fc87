//! The wasm glue of the API: `window.quorumLab` and the `message` listener, converting between
//! JavaScript values and JSON and posting replies.

use std::rc::Rc;

use serde_json::Value;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use yew::UseReducerHandle;

use super::{js_safe, parse_call, parse_message, reply, run, REQUEST_TYPE, VERBS};
use crate::anim::Drawn;
use crate::state::{LabState, Store};

/// What every call reaches: the app's reducer and the canvas as last drawn.
#[derive(Clone)]
struct Target {
    lab: UseReducerHandle<LabState>,
    drawn: Rc<Drawn>,
}

impl Target {
    /// Validates and performs one call.
    fn call(&self, verb: &str, args: &[Value]) -> Result<Value, String> {
        let nodes = self.lab.read(|s| s.ui.config.nodes);
        let call = parse_call(verb, args, nodes)?;
        run(&self.lab, &self.drawn, call, &crate::dom::base_url).map(js_safe)
    }
}

/// JSON to a JavaScript value, through the browser's `JSON.parse` (plain objects and arrays,
/// `null` kept as `null`).
fn to_js(value: &Value) -> Result<JsValue, String> {
    let text = serde_json::to_string(value).map_err(|e| e.to_string())?;
    js_sys::JSON::parse(&text).map_err(|_| "the answer could not be read back as JSON".into())
}

/// A JavaScript value to JSON, through the browser's `JSON.stringify` (`undefined` becomes
/// `null`). Functions, symbols, BigInts and cyclic objects are refused.
fn from_js(value: JsValue) -> Result<Value, String> {
    if value.is_undefined() {
        return Ok(Value::Null);
    }
    let text = js_sys::JSON::stringify(&value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or("an argument is not JSON data (a function, a symbol, a BigInt or a cycle)")?;
    serde_json::from_str(&text).map_err(|e| e.to_string())
}

/// `window.quorumLab` and the `message` listener, while installed: dropping this removes both.
pub struct Installed {
    _methods: Vec<Method>,
    listener: Closure<dyn Fn(web_sys::MessageEvent)>,
}

impl Drop for Installed {
    fn drop(&mut self) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let listener = self.listener.as_ref().unchecked_ref();
        let _ = window.remove_event_listener_with_callback("message", listener);
        let _ = js_sys::Reflect::delete_property(&window, &JsValue::from_str("quorumLab"));
    }
}

/// Installs `window.quorumLab` and the `message` listener, both driving `lab`.
pub fn install(lab: UseReducerHandle<LabState>, drawn: Rc<Drawn>) -> Option<Installed> {
    let window = web_sys::window()?;
    let target = Target { lab, drawn };
    let api = js_sys::Object::new();
    let methods: Vec<Method> = VERBS
        .iter()
        .map(|verb| {
            let method = verb_method(target.clone(), verb);
            let _ = js_sys::Reflect::set(&api, &JsValue::from_str(verb), method.as_ref());
            method
        })
        .collect();
    let _ = js_sys::Reflect::set(&window, &JsValue::from_str("quorumLab"), &api);
    let listener =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event| on_message(&target, &event));
    let _ = window.add_event_listener_with_callback("message", listener.as_ref().unchecked_ref());
    Some(Installed {
        _methods: methods,
        listener,
    })
}

/// A method of `window.quorumLab`: returns the result or throws an `Error`. It takes up to two
/// arguments so that a surplus argument is reported rather than ignored.
type Method = Closure<dyn Fn(JsValue, JsValue) -> Result<JsValue, JsValue>>;

fn verb_method(target: Target, verb: &'static str) -> Method {
    Closure::new(move |a: JsValue, b: JsValue| {
        js_call(&target, verb, [a, b])
            .map_err(|e| js_sys::Error::new(&format!("quorumLab.{verb}: {e}")).into())
    })
}

fn js_call(target: &Target, verb: &str, raw: [JsValue; 2]) -> Result<JsValue, String> {
    let given = raw
        .iter()
        .rposition(|a| !a.is_undefined())
        .map_or(0, |i| i + 1);
    let args: Vec<Value> = raw
        .into_iter()
        .take(given)
        .map(from_js)
        .collect::<Result<_, _>>()?;
    to_js(&target.call(verb, &args)?)
}

/// Is this message's data an object whose `type` is `"quorumLab"`? Checked before converting, so
/// other libraries' messages are left alone.
fn is_request(data: &JsValue) -> bool {
    data.is_object()
        && js_sys::Reflect::get(data, &JsValue::from_str("type"))
            .ok()
            .and_then(|t| t.as_string())
            .is_some_and(|t| t == REQUEST_TYPE)
}

fn on_message(target: &Target, event: &web_sys::MessageEvent) {
    let data = event.data();
    if !is_request(&data) {
        return;
    }
    let id = js_sys::Reflect::get(&data, &JsValue::from_str("id"))
        .map_or(Value::Null, |id| from_js(id).unwrap_or(Value::Null));
    let answer = match from_js(data).map(|d| parse_message(&d)) {
        Err(e) => reply(id, Err(format!("the message is not plain data: {e}"))),
        Ok(None) => return,
        Ok(Some((id, request))) => reply(
            id,
            request.and_then(|(verb, args)| target.call(&verb, &args)),
        ),
    };
    post_reply(event, &answer);
}

/// Posts a reply back to the window that sent the request, to any origin.
fn post_reply(event: &web_sys::MessageEvent, answer: &Value) {
    let Some(source) = event.source() else {
        return;
    };
    let Ok(message) = to_js(answer) else {
        return;
    };
    // A cross-origin window fails `instanceof Window` in this realm, but `postMessage` works on it.
    let target: web_sys::Window = source.unchecked_into();
    let _ = target.post_message(&message, "*");
}
