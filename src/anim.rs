//! The animation loop: a `requestAnimationFrame` chain that advances the run (an
//! [`LabAction::Advance`] to the reducer), lays out the state's frame and draws it, redraws the
//! metrics chart when what it shows changed, measuring each frame's work for the frame-time probe
//! (and, apart, each panel refresh's). It cancels itself when the app unmounts.

mod drawn;
mod stats;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

pub use drawn::Drawn;
pub use stats::FrameStats;

use crate::canvas::chart::{chart, Series};
use crate::canvas::spacetime::{self as st, Window};
use crate::canvas::{self, Palette, Scene, ViewOptions};
use crate::dom;
use crate::i18n::Lang;
use crate::state::{Clock, DiagramUi, LabAction, LabState, MetricsView, Selection, Store, Ui};
use quorum_engine::lab::spacetime::Root;

/// How often the panels are refreshed while the animation runs.
const PANEL_REFRESH_MS: f64 = 120.0;

/// What the metrics chart was last drawn from: its data, the present, the timeline's end, the
/// theme and the language.
type ChartKey = (Rc<MetricsView>, u64, u64, (String, Lang));

/// What the diagram was last drawn from: the trace read, the present, the user's choices, the
/// operation under the pointer, the theme and the language.
type DiagramKey = (usize, u64, DiagramUi, Option<Root>, (String, Lang));

struct Loop {
    lab: UseReducerHandle<LabState>,
    canvas: NodeRef,
    lanes: Rc<Vec<NodeRef>>,
    chart: NodeRef,
    chart_key: RefCell<Option<ChartKey>>,
    diagram: NodeRef,
    diagram_key: RefCell<Option<DiagramKey>>,
    drawn: Rc<Drawn>,
    compact: bool,
    clock: Clock,
    last_wall: Cell<Option<f64>>,
    last_refresh: Cell<f64>,
    generation: Cell<u64>,
    palette: RefCell<(String, Palette)>,
    first_frame: Cell<bool>,
}

/// The canvases the loop draws on: the single lab's, the compare view's lanes' (one per run, in
/// lane order) and the metrics chart's.
pub struct Canvases {
    /// The single lab's canvas.
    pub lab: NodeRef,
    /// The compare view's lanes.
    pub lanes: Rc<Vec<NodeRef>>,
    /// The metrics chart.
    pub chart: NodeRef,
    /// The space-time diagram.
    pub diagram: NodeRef,
}

/// Runs the animation loop on the `canvases` shown while the calling component is mounted.
/// `compact` draws fewer labels (embed mode).
#[hook]
pub fn use_animation(
    lab: &UseReducerHandle<LabState>,
    canvases: &Canvases,
    drawn: &Rc<Drawn>,
    compact: bool,
) {
    let (lab, drawn) = (lab.clone(), drawn.clone());
    let (canvas, lanes, chart, diagram) = (
        canvases.lab.clone(),
        canvases.lanes.clone(),
        canvases.chart.clone(),
        canvases.diagram.clone(),
    );
    use_effect_with((), move |_| {
        let generation = lab.read(|s| s.generation);
        let state = Rc::new(Loop {
            lab,
            canvas,
            lanes,
            chart,
            chart_key: RefCell::new(None),
            diagram,
            diagram_key: RefCell::new(None),
            drawn,
            compact,
            clock: Clock(Rc::new(dom::now_ms)),
            last_wall: Cell::new(None),
            last_refresh: Cell::new(0.0),
            generation: Cell::new(generation),
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
    /// One animation frame: advance, draw, measure; then, outside the measured work, ask for
    /// the panels to catch up.
    fn tick(&self, wall: f64) {
        let comparing = self.lab.read(|s| s.compare.is_some());
        let surface = match comparing {
            true => self
                .lanes
                .first()
                .and_then(NodeRef::cast::<HtmlCanvasElement>),
            false => self.canvas.cast::<HtmlCanvasElement>(),
        };
        let Some(canvas) = surface else {
            return;
        };
        let dt = self
            .last_wall
            .replace(Some(wall))
            .map_or(0.0, |last| wall - last);
        let start = dom::now_ms();
        self.lab.send(LabAction::Advance {
            wall_ms: dt,
            clock: self.clock.clone(),
        });
        let generation = match comparing {
            true => self.draw_lanes(&canvas),
            false => self.draw(&canvas),
        };
        self.draw_chart(&canvas);
        self.draw_diagram(&canvas);
        self.record(dom::now_ms() - start, generation);
        if self.first_frame.replace(false) {
            dom::set_window_number("quorumLabFirstFrameMs", dom::now_ms());
        }
        self.maybe_refresh(wall);
    }

    /// Draws the state's frame; returns the run's generation.
    fn draw(&self, canvas: &HtmlCanvasElement) -> u64 {
        let (w, h, _) = size_canvas(canvas);
        let (scene, generation) = self.lab.read(|s| {
            let scene = canvas::layout(&s.frame, &self.options(&s.ui, w, h));
            (scene, s.generation)
        });
        if let Some(ctx) = dom::context_2d(canvas) {
            let ratio = dom::window().device_pixel_ratio();
            let _ = ctx.set_transform(ratio, 0.0, 0.0, ratio, 0.0, 0.0);
            canvas::draw(&ctx, &scene, &self.palette(canvas));
        }
        self.keep(scene);
        generation
    }

    /// Draws each compare lane's frame on its canvas (`first` is the first lane's, whose
    /// stylesheet gives the palette); returns the run's generation.
    fn draw_lanes(&self, first: &HtmlCanvasElement) -> u64 {
        let palette = self.palette(first);
        let ratio = dom::window().device_pixel_ratio();
        let (frames, ui, generation) = self.lab.read(|s| {
            let frames = s.compare.as_ref().map(|c| c.frames.clone());
            (frames.unwrap_or_default(), s.ui.clone(), s.generation)
        });
        let mut scenes = Vec::with_capacity(frames.len());
        for (frame, target) in frames.iter().zip(self.lanes.iter()) {
            let Some(canvas) = target.cast::<HtmlCanvasElement>() else {
                continue;
            };
            let (w, h, _) = size_canvas(&canvas);
            let mut options = self.options(&ui, w, h);
            options.compact = true;
            let scene = canvas::layout(frame, &options);
            if let Some(ctx) = dom::context_2d(&canvas) {
                let _ = ctx.set_transform(ratio, 0.0, 0.0, ratio, 0.0, 0.0);
                canvas::draw(&ctx, &scene, &palette);
            }
            scenes.push(scene);
        }
        *self.drawn.lanes.borrow_mut() = scenes;
        *self.drawn.scene.borrow_mut() = None;
        generation
    }

    /// Redraws the metrics chart, while its panel is open, when what it shows, its size or the
    /// theme changed (the palette is the one `canvas` reads).
    fn draw_chart(&self, canvas: &HtmlCanvasElement) {
        let Some(target) = self.chart.cast::<HtmlCanvasElement>() else {
            return;
        };
        let shown = self.lab.read(|s| {
            let view = &s.view;
            Some((view.metrics.clone()?, view.t, view.horizon, s.ui.lang))
        });
        let Some((metrics, t, horizon, lang)) = shown else {
            return;
        };
        let (w, h, resized) = size_canvas(&target);
        let key = (metrics, t, horizon, (dom::theme(), lang));
        let mut last = self.chart_key.borrow_mut();
        let same = last.as_ref().is_some_and(|k| {
            Rc::ptr_eq(&k.0, &key.0) && (k.1, k.2, &k.3) == (key.1, key.2, &key.3)
        });
        if same && !resized {
            return;
        }
        let m = &key.0;
        let series = Series {
            bins: &m.bins,
            latency: &m.latency,
            faults: &m.report.faults,
            now: t,
            end: horizon,
        };
        let drawn = chart(&series, w, h);
        if let Some(ctx) = dom::context_2d(&target) {
            let ratio = dom::window().device_pixel_ratio();
            let _ = ctx.set_transform(ratio, 0.0, 0.0, ratio, 0.0, 0.0);
            canvas::draw_chart(&ctx, &drawn, &self.palette(canvas), lang);
        }
        *self.drawn.chart.borrow_mut() = Some(drawn);
        *last = Some(key);
    }

    /// Redraws the space-time diagram, while it is open, when the run, the user's choices, the
    /// pointer's operation, the theme or its size changed (the palette is the one `canvas`
    /// reads).
    fn draw_diagram(&self, canvas: &HtmlCanvasElement) {
        let Some(target) = self.diagram.cast::<HtmlCanvasElement>() else {
            return;
        };
        let (w, h, resized) = size_canvas(&target);
        let hover = self.drawn.diagram_hover.get();
        let scene = self.lab.read(|s| {
            let diagram = s.diagram();
            let space = diagram.space()?;
            let key = (
                space.len(),
                s.now(),
                s.ui.chart.clone(),
                hover,
                (dom::theme(), s.ui.lang),
            );
            let mut last = self.diagram_key.borrow_mut();
            if !resized && last.as_ref() == Some(&key) {
                return None;
            }
            let downs = diagram.downs();
            let window = Window {
                space: &space,
                downs: &downs,
                ui: &s.ui.chart,
                hover,
                now: s.now(),
                lang: s.ui.lang,
            };
            let scene = st::layout(&window, w, h);
            *last = Some(key);
            Some(scene)
        });
        let Some(scene) = scene else {
            return;
        };
        if let Some(ctx) = dom::context_2d(&target) {
            let ratio = dom::window().device_pixel_ratio();
            let _ = ctx.set_transform(ratio, 0.0, 0.0, ratio, 0.0, 0.0);
            canvas::draw_spacetime(&ctx, &scene, &self.palette(canvas));
        }
        *self.drawn.spacetime.borrow_mut() = Some(scene);
    }

    fn keep(&self, scene: Scene) {
        *self.drawn.scene.borrow_mut() = Some(scene);
    }

    /// Records a frame's work; a new run starts the probe's samples afresh.
    fn record(&self, work_ms: f64, generation: u64) {
        let mut stats = self.drawn.stats.borrow_mut();
        if self.generation.replace(generation) != generation {
            stats.clear();
            self.drawn.refreshes.borrow_mut().clear();
        }
        stats.record(work_ms);
    }

    fn options(&self, ui: &Ui, width: f64, height: f64) -> ViewOptions {
        let (selected_node, selected_msg) = match ui.selection {
            Selection::Node(n) => (Some(n), None),
            Selection::Message(m) => (None, Some(m)),
            Selection::None => (None, None),
        };
        ViewOptions {
            width,
            height,
            selected_node,
            selected_msg,
            hovered: self.drawn.hovered.get(),
            picked: if ui.picking() {
                ui.picked.clone()
            } else {
                Vec::new()
            },
            reduced_motion: dom::prefers_reduced_motion(),
            compact: self.compact,
            lang: ui.lang,
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

    /// While the run moves, renews the view at most every [`PANEL_REFRESH_MS`], and measures the
    /// refresh: the reducer's work, then Yew's render of the panels, which runs in a microtask
    /// the send queued (the one queued after it runs once the render is done).
    fn maybe_refresh(&self, wall: f64) {
        let behind = self.lab.read(|s| s.view.t != s.now());
        if behind && wall - self.last_refresh.get() >= PANEL_REFRESH_MS {
            self.last_refresh.set(wall);
            let start = dom::now_ms();
            self.lab.send(LabAction::Refresh);
            let drawn = self.drawn.clone();
            yew::platform::spawn_local(async move {
                drawn.refreshes.borrow_mut().record(dom::now_ms() - start);
            });
        }
    }
}

/// Matches the canvas's backing store to its CSS size and the device pixel ratio (HiDPI-sharp);
/// returns the CSS size and whether the backing store changed (which clears it).
fn size_canvas(canvas: &HtmlCanvasElement) -> (f64, f64, bool) {
    let rect = canvas.get_bounding_client_rect();
    let ratio = dom::window().device_pixel_ratio();
    let (w, h) = (rect.width().max(1.0), rect.height().max(1.0));
    let (pw, ph) = ((w * ratio).round() as u32, (h * ratio).round() as u32);
    let resized = canvas.width() != pw || canvas.height() != ph;
    if resized {
        canvas.set_width(pw);
        canvas.set_height(ph);
    }
    (w, h, resized)
}
