//! Quorum Lab's web app: a Yew single-page app that animates the simulator on a canvas.
//!
//! The engine runs inside the page (compiled to WebAssembly with the app). [`state`] holds it; the
//! components are views of its frames; the canvas is redrawn on every animation frame from pure
//! layout code ([`canvas`]), never by re-rendering the component tree.

mod canvas;

fn main() {}
