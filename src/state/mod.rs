//! The app's state: the engine's run, the user's choices ([`Ui`]) and what the page shows, changed
//! only by the reducer over [`LabAction`] (the pattern of yew's `function_todomvc`).
//!
//! The reducer ([`LabState::apply`], behind [`Reducible::reduce`]) calls the engine and updates
//! plain values; it never touches the page. What the page does about a change (the address bar,
//! the clipboard, the canvas, the JavaScript API) happens in the app's hooks, which read the
//! state.
//!
//! After each action the reducer computes, once, the engine's [`Frame`] of the present instant
//! (what the canvas draws) and the [`View`] (what the panels show). The animation is the one
//! exception: [`LabAction::Advance`], sent by the animation loop on every frame while playing,
//! renews only the frame, and the loop sends [`LabAction::Refresh`] at most every 120 ms to renew
//! the view, so playing does not re-render the page sixty times a second.

mod action;
mod classroom;
mod compare;
mod diagram;
mod measure;
mod reduce;
mod store;
mod ui;
mod view;

use std::cell::{Ref, RefCell};
use std::rc::Rc;

use quorum_engine::lab::{new_lab, Frame, Lab, Setup};
use quorum_engine::model::types::Micros;
use quorum_engine::run::link::{self, SharedState};
use yew::Reducible;

use crate::i18n::Lang;

pub use action::{Clock, LabAction};
pub use classroom::{ClassCmd, ExerciseUi, Limits, TourUi};
pub use compare::{Compare, CompareView, COMPARE_DEFAULT};
pub use diagram::{
    message_type, Diagram, DiagramCmd, DiagramUi, Down, HistoryOp, HistoryView, Outcome, Verdict,
};
pub use measure::MetricsView;
pub use reduce::TRADEOFF_RUN;
pub use store::Store;
pub use ui::{Selection, Tool, Tradeoff, Ui, SPEED_MAX, SPEED_MIN};
use view::Scan;
pub use view::{DiagramPanel, Inspected, Menu, View};

/// The reducer's state. Cloning it is cheap: the run is shared (a run is too large to copy on
/// each action, and only the reducer changes it), the rest is small or behind `Rc`.
#[derive(Clone)]
pub struct LabState {
    run: Rc<RefCell<Lab>>,
    /// What the user chose.
    pub ui: Ui,
    /// The furthest time this branch has reached (the timeline's end).
    pub horizon: Micros,
    /// The engine's frame of the present instant: what the canvas draws.
    pub frame: Rc<Frame>,
    /// What the panels show.
    pub view: Rc<View>,
    /// What the last action did: `Err` with the reason when it failed (also shown as the alert).
    pub outcome: Result<(), String>,
    /// Counts the runs started: changes whenever a new run replaces the old one.
    pub generation: u64,
    /// The compare view's runs, while it is open (the single lab waits behind it).
    pub compare: Option<Compare>,
    scan: Scan,
}

impl LabState {
    /// A paused state running `config`.
    pub fn new(config: Setup) -> Result<Self, String> {
        let lab = new_lab(&config)?;
        let mut state = LabState {
            frame: Rc::new(lab.frame()),
            run: Rc::new(RefCell::new(lab)),
            ui: Ui::new(config),
            horizon: 0,
            view: Rc::default(),
            outcome: Ok(()),
            generation: 0,
            compare: None,
            scan: Scan::default(),
        };
        state.renew_view();
        Ok(state)
    }

    /// The state a page's query string asks for: a share link, a scenario name, or the default
    /// run, in the link's language or else `lang`. A broken link leaves the default run and an
    /// alert saying why.
    pub fn from_query(query: &str, lang: Lang) -> Self {
        let mut state = LabState::new(Setup::default()).expect("the default lab is valid");
        state.ui.lang = app_params(query).lang.unwrap_or(lang);
        let is_link = query
            .trim_start_matches('?')
            .split('&')
            .any(|p| p.starts_with("v="));
        let class = app_params(query).class;
        if is_link {
            state.apply(LabAction::LoadLink(query.to_string()));
        } else if let Some(name) = query_value(query, "sc") {
            state.apply(LabAction::LoadScenario(name));
        } else if let Some(id) = class.exercise.clone() {
            state.apply(LabAction::Class(ClassCmd::OpenExercise(id)));
            state.pin_limits(&class);
            state.renew_view();
        } else if let Some(id) = class.tour.clone() {
            state.apply(LabAction::Class(ClassCmd::OpenTour(id)));
        }
        // The view was first made in the default language.
        state.renew_view();
        state
    }

    /// The engine, for reading (the JavaScript API's queries). Only the reducer changes it.
    pub fn lab(&self) -> Ref<'_, Lab> {
        self.run.borrow()
    }

    /// The share link of the present instant (query string, without `?`).
    pub fn link(&self) -> String {
        match &self.compare {
            Some(c) => with_lang(c.run().link(), self.ui.lang),
            None => share_link(&self.lab(), &self.ui),
        }
    }

    /// The space-time diagram of the run (up to date while the diagram or the history is open).
    pub fn diagram(&self) -> &Diagram {
        &self.scan.diagram
    }

    /// The present instant the canvases show: the compare view's cursor while it is open, else
    /// the lab's frame's time.
    pub fn now(&self) -> Micros {
        match &self.compare {
            Some(c) => c.run().now(),
            None => self.frame.t,
        }
    }
}

/// The share link's parameters that open the metrics panel, the space-time diagram and the
/// history view. They are the app's, not the engine's link format: [`app_params`] takes them off
/// (and the language's, [`LANG_PARAM`]) before the engine reads a link.
const PANEL_PARAMS: [&str; 3] = ["panel=metrics", "panel=diagram", "panel=history"];
/// The share link's parameter of the interface's language (`lang=zh`); absent for the default.
const LANG_PARAM: &str = "lang=";

/// The share link of `lab`'s present instant with the settings, scenario, panels and language of
/// `ui`.
fn share_link(lab: &Lab, ui: &Ui) -> String {
    let link = link::encode(&SharedState {
        config: ui.config.clone(),
        interventions: lab.interventions(),
        t: lab.now(),
        scenario: ui.scenario.map(|s| s.name.to_string()),
    });
    let open = [ui.metrics, ui.diagram, ui.history];
    let panels = PANEL_PARAMS.iter().zip(open).filter(|(_, o)| *o);
    let mut link = panels.fold(link, |link, (p, _)| format!("{link}&{p}"));
    if let Some(e) = &ui.exercise {
        link = format!("{link}&ex={}", e.exercise.id);
    }
    if let Some(t) = &ui.tour {
        link = format!("{link}&tour={}", t.tour.id);
    }
    with_lang(link + &ui.limits.params(), ui.lang)
}

/// `link` with the language's parameter when it is not the default.
fn with_lang(link: String, lang: Lang) -> String {
    match lang {
        Lang::En => link,
        _ => format!("{link}&{LANG_PARAM}{}", lang.code()),
    }
}

/// What a link says for the app rather than the engine.
#[derive(Debug, PartialEq)]
struct AppParams {
    /// The link without the app's parameters, for the engine.
    engine: String,
    /// Which panels it opens: metrics, diagram, history.
    open: [bool; 3],
    /// Its language, if it names one.
    lang: Option<Lang>,
    /// Its classroom parameters.
    class: ClassParams,
}

/// A link's classroom parameters: `ex=`, `tour=`, `allow=`, `hide=`.
#[derive(Debug, Default, PartialEq)]
struct ClassParams {
    exercise: Option<String>,
    tour: Option<String>,
    allow: Option<String>,
    hide: Option<String>,
}

impl ClassParams {
    /// Takes `p` if it is a classroom parameter.
    fn take(&mut self, p: &str) -> bool {
        let Some((key, value)) = p.split_once('=') else {
            return false;
        };
        let slot = match key {
            "ex" => &mut self.exercise,
            "tour" => &mut self.tour,
            "allow" => &mut self.allow,
            "hide" => &mut self.hide,
            _ => return false,
        };
        *slot = Some(value.to_string());
        true
    }
}

/// A link's app parameters, taken off the part for the engine.
fn app_params(text: &str) -> AppParams {
    let (base, query) = match text.split_once('?') {
        Some((base, query)) => (format!("{base}?"), query),
        None => (String::new(), text),
    };
    let mut open = [false; 3];
    let mut lang = None;
    let mut class = ClassParams::default();
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| {
            if class.take(p) {
                return false;
            }
            if let Some(code) = p.strip_prefix(LANG_PARAM) {
                lang = Lang::parse(code);
                return false;
            }
            let ours = PANEL_PARAMS.iter().position(|q| q == p);
            if let Some(i) = ours {
                open[i] = true;
            }
            ours.is_none()
        })
        .collect();
    AppParams {
        engine: format!("{base}{}", kept.join("&")),
        open,
        lang,
        class,
    }
}

impl Reducible for LabState {
    type Action = LabAction;

    /// Applies `action` to a copy of the state. An animation step while paused changes nothing
    /// and returns the same state.
    fn reduce(self: Rc<Self>, action: LabAction) -> Rc<Self> {
        if matches!(action, LabAction::Advance { .. }) && !self.ui.playing {
            return self;
        }
        let mut next = (*self).clone();
        next.apply(action);
        Rc::new(next)
    }
}

/// Two states look the same when the user's choices and the view are the same: an animation
/// step, which renews only the canvas's frame, does not re-render the page.
impl PartialEq for LabState {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.view, &other.view) && self.ui == other.ui
    }
}

/// The value of `key` in a query string.
pub fn query_value(query: &str, key: &str) -> Option<String> {
    query.trim_start_matches('?').split('&').find_map(|p| {
        p.split_once('=')
            .filter(|(k, _)| *k == key)
            .map(|(_, v)| v.to_string())
    })
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod classroom_tests;
