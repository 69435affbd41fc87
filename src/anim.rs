//! The animation loop: a `requestAnimationFrame` chain that advances the run, lays out the frame
//! and draws it, measuring each frame's work for the frame-time probe. It cancels itself when the
//! component unmounts.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use crate::canvas::{self, Palette, Scene, ViewOptions};
use crate::dom;
use crate::state::{Selection, Session, Tool};

/// How often the panels are refreshed while the animation runs.
const PANEL_REFRESH_MS: f64 = 120.0;

/// What the loop shares with the canvas component (for hit testing).
#[derive(Default)]
pub struct CanvasShared {
    /// The last scene drawn.
    pub scene: RefCell<Option<Scene>>,
    /// The hovered item.
    pub hovered: Cell<Option<canvas::Hit>>,
}

struct Loop {
    session: Rc<Session>,
    canvas: NodeRef,
    shared: Rc<CanvasShared>,
    refresh: Callback<()>,
    compact: bool,
    last_wall: Cell<Option<f64>>,
    last_refresh: Cell<f64>,
    last_trace: Cell<usize>,
    palette: RefCell<(String, Palette)>,
    first_frame: Cell<bool>,
}

/// Runs the animation loop for a canvas while the calling component is mounted.
#[hook]
pub fn use_animation(
    session: Rc<Session>,
    canvas: NodeRef,
    shared: Rc<CanvasShared>,
    refresh: Callback<()>,
    compact: bool,
) {
    use_effect_with((), move |_| {
        let state = Rc::new(Loop {
            session,
            canvas,
            shared,
            refresh,
            compact,
            last_wall: Cell::new(None),
            last_refresh: Cell::new(0.0),
            last_trace: Cell::new(0),
            palette: RefCell::new((String::new(), Palette::dark())),
            first_frame: Cell::new(true),
        });
        let handle = start(state);
        move || handle.cancel()
    });
}

struct LoopHandle {
    id: Rc<Cell<i32>>,
    alive: Rc<Cell<bool>>,
}

impl LoopHandle {
    fn cancel(&self) {
        self.alive.set(false);
        let _ = dom::window().cancel_animation_frame(self.id.get());
    }
}

type FrameClosure = Rc<RefCell<Option<Closure<dyn FnMut(f64)>>>>;

fn start(state: Rc<Loop>) -> LoopHandle {
    let id = Rc::new(Cell::new(0));
    let alive = Rc::new(Cell::new(true));
    let closure: FrameClosure = Rc::new(RefCell::new(None));
    let (c2, id2, alive2) = (closure.clone(), id.clone(), alive.clone());
    *closure.borrow_mut() = Some(Closure::new(move |wall: f64| {
        if !alive2.get() {
            return;
        }
        state.tick(wall);
        if let Some(f) = c2.borrow().as_ref() {
            id2.set(request(f));
        }
    }));
    if let Some(f) = closure.borrow().as_ref() {
        id.set(request(f));
    }
    LoopHandle { id, alive }
}

fn request(f: &Closure<dyn FnMut(f64)>) -> i32 {
    dom::window()
        .request_animation_frame(f.as_ref().unchecked_ref())
        .unwrap_or(0)
}

impl Loop {
    fn tick(&self, wall: f64) {
        let Some(canvas) = self.canvas.cast::<HtmlCanvasElement>() else {
            return;
        };
        let dt = self
            .last_wall
            .replace(Some(wall))
            .map_or(0.0, |last| wall - last);
        let start = dom::now_ms();
        let mut clock = dom::now_ms;
        self.session.advance(dt, &mut clock);
        self.draw(&canvas);
        let work = dom::now_ms() - start;
        self.session.stats.borrow_mut().record(work);
        if self.first_frame.replace(false) {
            dom::set_window_number("quorumLabFirstFrameMs", dom::now_ms());
        }
        self.maybe_refresh(wall);
    }

    fn draw(&self, canvas: &HtmlCanvasElement) {
        let (w, h) = size_canvas(canvas);
        let Some(ctx) = dom::context_2d(canvas) else {
            return;
        };
        let frame = self.session.lab().frame();
        let opts = self.options(w, h);
        let scene = canvas::layout(&frame, &opts);
        let ratio = dom::window().device_pixel_ratio();
        let _ = ctx.set_transform(ratio, 0.0, 0.0, ratio, 0.0, 0.0);
        canvas::draw(&ctx, &scene, &self.palette(canvas));
        let centers = frame
            .nodes
            .iter()
            .filter_map(|n| scene.node_center(n.id).map(|(x, y)| (n.id, x, y)))
            .collect();
        *self.session.centers.borrow_mut() = centers;
        let live = scene.messages.iter().filter(|m| m.fade.is_none());
        *self.session.msg_positions.borrow_mut() = live.map(|m| (m.id, m.x, m.y)).collect();
        *self.shared.scene.borrow_mut() = Some(scene);
    }

    fn options(&self, width: f64, height: f64) -> ViewOptions {
        let (selected_node, selected_msg) = match self.session.selection.get() {
            Selection::Node(n) => (Some(n), None),
            Selection::Message(m) => (None, Some(m)),
            Selection::None => (None, None),
        };
        let picking = self.session.tool.get() != Tool::Inspect;
        ViewOptions {
            width,
            height,
            selected_node,
            selected_msg,
            hovered: self.shared.hovered.get(),
            picked: if picking {
                self.session.picked.borrow().clone()
            } else {
                Vec::new()
            },
            reduced_motion: dom::prefers_reduced_motion(),
            compact: self.compact,
        }
    }

    fn palette(&self, canvas: &HtmlCanvasElement) -> Palette {
        let theme = dom::theme();
        let mut cached = self.palette.borrow_mut();
        if cached.0 != theme {
            *cached = (theme, Palette::from_css(canvas));
        }
        cached.1.clone()
    }

    fn maybe_refresh(&self, wall: f64) {
        let len = self.session.lab().trace_len();
        let moved = len != self.last_trace.get();
        if moved && wall - self.last_refresh.get() >= PANEL_REFRESH_MS {
            self.last_trace.set(len);
            self.last_refresh.set(wall);
            self.refresh.emit(());
        }
    }
}

/// Matches the canvas's backing store to its CSS size and the device pixel ratio (HiDPI-sharp);
/// returns the CSS size.
fn size_canvas(canvas: &HtmlCanvasElement) -> (f64, f64) {
    let rect = canvas.get_bounding_client_rect();
    let ratio = dom::window().device_pixel_ratio();
    let (w, h) = (rect.width().max(1.0), rect.height().max(1.0));
    let (pw, ph) = ((w * ratio).round() as u32, (h * ratio).round() as u32);
    if canvas.width() != pw || canvas.height() != ph {
        canvas.set_width(pw);
        canvas.set_height(ph);
    }
    (w, h)
}
