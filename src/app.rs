//! The root component: holds the reducer, runs the effects (the JavaScript API, the animation
//! loop, the keyboard, the address bar), and lays the panels out, giving each the part of the
//! state it shows. Embed mode shows only the canvas and the transport bar.

mod effects;
mod handlers;
mod keys;

use std::rc::Rc;

use yew::prelude::*;

use quorum_engine::lab::compare::MAX_PROTOCOLS;
use quorum_engine::lab::Setup;

use crate::anim::{use_animation, Canvases, Drawn};
use crate::api::share_url;
use crate::components::acceptors::Acceptors;
use crate::components::alert::Alert;
use crate::components::compare::CompareLanes;
use crate::components::compare_actions::CompareActions;
use crate::components::compare_picker::ComparePicker;
use crate::components::compare_table::CompareTable;
use crate::components::controls::Controls;
use crate::components::diagram::DiagramView;
use crate::components::embed_dialog::EmbedDialog;
use crate::components::event_log::EventLog;
use crate::components::exercise_panel::ExercisePanel;
use crate::components::help::Help;
use crate::components::history::HistoryPanel;
use crate::components::inspector::Inspector;
use crate::components::invariants::Invariants;
use crate::components::lab_canvas::LabCanvas;
use crate::components::log_grid::LogGrid;
use crate::components::message_menu::MessageMenu;
use crate::components::metrics::MetricsPanel;
use crate::components::node_menu::NodeMenu;
use crate::components::settings::Settings;
use crate::components::story::StoryPanel;
use crate::components::tools::Tools;
use crate::components::topbar::TopBar;
use crate::components::tour_panel::TourPanel;
use crate::components::tradeoff::Tradeoff;
use crate::dom;
use crate::i18n::{fill, tr, Lang, Msg};
use crate::state::{query_value, CompareView, LabState, Limits, Menu, Selection, COMPARE_DEFAULT};
use effects::{use_address_bar, use_api, use_html_lang, use_keyboard, use_result_post};
use handlers::{use_page_handlers, Handlers, PageHandlers};

/// Which dialog is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialog {
    /// None.
    None,
    /// The help overlay.
    Help,
    /// The embed snippet.
    Embed,
    /// The compare view's protocol picker.
    Compare,
}

/// What the layout functions share: the state, its callbacks, the canvas.
struct Parts<'a> {
    lab: &'a LabState,
    on: &'a Handlers,
    canvas: &'a NodeRef,
    lanes: &'a Rc<Vec<NodeRef>>,
    diagram: &'a NodeRef,
    drawn: &'a Rc<Drawn>,
}

/// The app.
#[function_component(App)]
pub fn app() -> Html {
    let query = use_memo((), |_| dom::query());
    let embed = query_value(&query, "embed").as_deref() == Some("1");
    let lab = use_reducer_eq(|| LabState::from_query(&query, dom::browser_lang()));
    let on = use_memo((), {
        let send = lab.dispatcher().to_callback();
        move |_| Handlers::new(send)
    });
    let drawn = use_memo((), |_| Drawn::default());
    let canvas = use_node_ref();
    let chart = use_node_ref();
    let diagram = use_node_ref();
    let lanes = use_memo((), |_| {
        (0..MAX_PROTOCOLS)
            .map(|_| NodeRef::default())
            .collect::<Vec<_>>()
    });
    let dialog = use_state(|| Dialog::None);
    let settings_open = use_state(|| false);
    let notice = use_state(|| None::<String>);
    use_api(&lab, &drawn);
    let canvases = Canvases {
        lab: canvas.clone(),
        lanes: lanes.clone(),
        chart: chart.clone(),
        diagram: diagram.clone(),
    };
    use_animation(&lab, &canvases, &drawn, embed);
    use_keyboard(&lab, &dialog);
    use_address_bar(&lab.view.link, lab.ui.playing, embed);
    use_html_lang(lab.ui.lang);
    let record = result_record(&lab);
    use_result_post(
        lab.ui.exercise.as_ref().map_or(0, |e| e.attempts),
        record.clone(),
    );
    let page = use_page_handlers(&lab, &dialog, &settings_open, &notice);
    let p = Parts {
        lab: &lab,
        on: &on,
        canvas: &canvas,
        lanes: &lanes,
        diagram: &diagram,
        drawn: &drawn,
    };
    if let Some(view) = &lab.view.compare {
        return compare_page(
            &p,
            view,
            embed,
            top_bar(&p, &page, &notice),
            &page.onclose,
            *dialog,
        );
    }
    if embed {
        return embed_page(&p, record);
    }
    let (lang, hides) = (lab.ui.lang, |name: &str| lab.ui.limits.hides(name));
    html! {
        <div class="app">
            { top_bar(&p, &page, &notice) }
            { alert(&p) }
            <main class="stage">
                <div class="canvas-column">
                    { tools(&p) }
                    { views(&p) }
                    { controls(&p) }
                </div>
                { side(&p, *settings_open, record) }
            </main>
            if let Some(view) = lab.view.history.as_ref().filter(|_| !hides("history")) {
                <HistoryPanel view={view.clone()} oncmd={on.ondiagram.clone()} {lang} />
            }
            if !hides("metrics") {
                <MetricsPanel metrics={lab.view.metrics.clone()} now={lab.view.t} chart={chart.clone()}
                    drawn={drawn.clone()} onseek={on.onseek.clone()} {lang} />
            }
            if !hides("story") { { story(&p) } }
            if !hides("log") {
                <section class="lower">
                    <LogGrid protocol={lab.ui.config.protocol.clone()} nodes={lab.view.nodes.clone()} {lang} />
                    <EventLog lines={lab.view.log.clone()} {lang} />
                </section>
            }
            { dialogs(&p, *dialog, &page.onclose) }
        </div>
    }
}

/// The embedded page: the canvas and the transport bar; with a tour or an exercise open (a
/// classroom page embedding one), also the tools and the tour's or exercise's panel beside them.
fn embed_page(p: &Parts, record: Option<AttrValue>) -> Html {
    let ui = &p.lab.ui;
    if ui.tour.is_none() && ui.exercise.is_none() {
        return html! { <div class="app embed">{ alert(p) }{ lab_canvas(p) }{ controls(p) }{ open_full(p.lab) }</div> };
    }
    html! {
        <div class="app embed class">
            { alert(p) }
            <main class="stage">
                <div class="canvas-column">{ tools(p) }{ lab_canvas(p) }{ controls(p) }</div>
                <aside class="side">{ class_panels(p, record) }</aside>
            </main>
            { open_full(p.lab) }
        </div>
    }
}

/// The tools bar (pointer, partition, heal), its actions as the limits allow.
fn tools(p: &Parts) -> Html {
    let (ui, on) = (&p.lab.ui, p.on);
    let (lang, limits) = (ui.lang, &ui.limits);
    html! {
        <Tools tool={ui.tool} picked={ui.picked.len()} ontool={on.ontool.clone()}
            onsplit={on.onsplit.clone()} onheal={on.onheal.clone()} {lang}
            partition={limits.allows("partition")} heal={limits.allows("heal")} />
    }
}

/// The open tour's and exercise's panels.
fn class_panels(p: &Parts, record: Option<AttrValue>) -> Html {
    let (ui, on) = (&p.lab.ui, p.on);
    let lang = ui.lang;
    html! {
        <>
            if let Some(tour) = &ui.tour {
                <TourPanel tour={tour.clone()} onclass={on.onclass.clone()} {lang} />
            }
            if let Some(exercise) = &ui.exercise {
                <ExercisePanel exercise={exercise.clone()} {record} onclass={on.onclass.clone()}
                    oncopy={Callback::from(|text: String| dom::copy_to_clipboard(&text))} {lang} />
            }
        </>
    }
}

fn top_bar(p: &Parts, page: &PageHandlers, notice: &Option<String>) -> Html {
    let (lab, on) = (p.lab, p.on);
    html! {
        <TopBar protocol={lab.ui.config.protocol.clone()} scenario={lab.ui.scenario} onscenario={on.onscenario.clone()}
            oncopy={page.oncopy.clone()} onembed={page.onembed.clone()} ontheme={page.ontheme.clone()}
            onhelp={page.onhelp.clone()} onsettings={page.onsettings.clone()} notice={notice.clone()}
            metrics={lab.ui.metrics} onmetrics={on.onmetrics.clone()} views={(lab.ui.diagram, lab.ui.history)}
            ondiagram={on.ontogglediagram.clone()} onhistory={on.ontogglehistory.clone()} comparing={lab.compare.is_some()}
            oncompare={page.oncomparepicker.clone()} onlab={on.onclosecompare.clone()} lang={lab.ui.lang}
            onlang={on.onlang.clone()} onclass={on.onclass.clone()} hidden={hidden_views(&lab.ui.limits)}
            settings={lab.ui.limits.allows("settings") || lab.ui.limits.allows("network")} />
    }
}

/// Which of the metrics panel, the diagram and the history the limits hide.
fn hidden_views(limits: &Limits) -> (bool, bool, bool) {
    (
        limits.hides("metrics"),
        limits.hides("diagram"),
        limits.hides("history"),
    )
}

/// The open exercise's result record, once an answer was graded: the exercise, the grade, the
/// attempts and the share link of the run.
fn result_record(lab: &LabState) -> Option<AttrValue> {
    let open = lab.ui.exercise.as_ref()?;
    let grade = open.grade.as_ref()?;
    let text = |s: &str| serde_json::Value::from(s).to_string();
    let link = share_url(&dom::base_url(), &lab.view.link);
    let record = format!(
        r#"{{"exercise":{},"pass":{},"attempts":{},"link":{}}}"#,
        text(&open.exercise.id),
        grade.pass,
        open.attempts,
        text(&link)
    );
    Some(record.into())
}

/// The compare view: the lanes, the shared transport bar, the actions and the metric table (in
/// embed mode the lanes and the transport bar).
fn compare_page(
    p: &Parts,
    view: &Rc<CompareView>,
    embed: bool,
    top: Html,
    onclose: &Callback<MouseEvent>,
    dialog: Dialog,
) -> Html {
    let on = p.on;
    let lanes = html! {
        <CompareLanes view={view.clone()} canvases={p.lanes.clone()} drawn={p.drawn.clone()}
            onhit={on.onhit.clone()} onjump={on.onjump.clone()} lang={p.lab.ui.lang} />
    };
    if embed {
        return html! { <div class="app embed comparing">{ alert(p) }{ lanes }{ controls(p) }{ open_full(p.lab) }</div> };
    }
    let lang = p.lab.ui.lang;
    let node = match p.lab.ui.selection {
        Selection::Node(n) => Some(n),
        _ => None,
    };
    html! {
        <div class="app comparing">
            { top }
            { alert(p) }
            <main class="compare-stage">
                { lanes }
                { controls(p) }
                <CompareActions nodes={view.nodes} {node} hits={view.hits.clone()} onnode={on.onnode.clone()} onaim={on.onaim.clone()} {lang} />
                <CompareTable view={view.clone()} {lang} />
            </main>
            { dialogs(p, dialog, onclose) }
        </div>
    }
}

fn alert(p: &Parts) -> Html {
    html! { <Alert text={p.lab.ui.alert.clone()} ondismiss={p.on.ondismissalert.clone()} lang={p.lab.ui.lang} /> }
}

fn lab_canvas(p: &Parts) -> Html {
    html! {
        <LabCanvas canvas={p.canvas.clone()} drawn={p.drawn.clone()} picking={p.lab.ui.picking()} onhit={p.on.onhit.clone()}
            label={tr(p.lab.ui.lang, Msg::CanvasLabel)}>
            { menu(p) }
        </LabCanvas>
    }
}

/// The ring, and the space-time diagram beside it while it is open.
fn views(p: &Parts) -> Html {
    let hidden = p.lab.ui.limits.hides("diagram");
    let Some(panel) = p.lab.view.diagram.as_ref().filter(|_| !hidden) else {
        return lab_canvas(p);
    };
    html! {
        <div class="views">
            { lab_canvas(p) }
            <DiagramView panel={panel.clone()} options={p.lab.ui.chart.clone()} diagram={p.lab.diagram().clone()}
                canvas={p.diagram.clone()} drawn={p.drawn.clone()} oncmd={p.on.ondiagram.clone()} lang={p.lab.ui.lang} />
        </div>
    }
}

fn menu(p: &Parts) -> Html {
    let (onact, onclose) = (p.on.onact.clone(), p.on.onclosemenu.clone());
    let lang = p.lab.ui.lang;
    match p.lab.view.menu {
        Menu::Node { id, up } => {
            html! { <NodeMenu node={id} {up} at={p.drawn.node_center(id)} {onact} {onclose} {lang} limits={p.lab.ui.limits.clone()} /> }
        }
        Menu::Message { id, live } if p.lab.ui.limits.allows("message") => {
            html! { <MessageMenu msg={id} {live} {onact} {onclose} {lang} /> }
        }
        _ => html! {},
    }
}

fn controls(p: &Parts) -> Html {
    let (ui, view, on) = (&p.lab.ui, &p.lab.view, p.on);
    html! {
        <Controls playing={ui.playing} speed={ui.speed} now={view.t} horizon={view.horizon} markers={view.markers.clone()}
            onstepback={on.onstepback.clone()} ontoggle={on.ontoggle.clone()} onstep={on.onstep.clone()}
            onspeed={on.onspeed.clone()} onseek={on.onseek.clone()} lang={ui.lang} />
    }
}

fn side(p: &Parts, settings_open: bool, record: Option<AttrValue>) -> Html {
    let (lab, on) = (p.lab, p.on);
    let (lang, limits) = (lab.ui.lang, &lab.ui.limits);
    let settings = limits.allows("settings") || limits.allows("network");
    html! {
        <aside class="side">
            { class_panels(p, record) }
            if settings_open && settings {
                <Settings config={lab.ui.config.clone()} onrestart={on.onrestart.clone()} onsetnetwork={on.onsetnetwork.clone()} {lang} />
            }
            if !limits.hides("invariants") {
                <Invariants list={lab.view.invariants.clone()} onjump={on.onjump.clone()} {lang} />
            }
            <Acceptors nodes={lab.view.nodes.clone()} {lang} />
            if !limits.hides("inspector") {
                <Inspector inspected={lab.view.inspected.clone()} {lang} />
            }
        </aside>
    }
}

fn story(p: &Parts) -> Html {
    let (lab, on) = (p.lab, p.on);
    let lang = lab.ui.lang;
    html! {
        <StoryPanel story={lab.view.story.clone()} {lang}>
            if let Some(interval) = lab.ui.snapshot_interval() {
                <Tradeoff {interval} figures={lab.ui.tradeoff.clone()} oninterval={on.oninterval.clone()} oncompare={on.oncompare.clone()} {lang} />
            }
        </StoryPanel>
    }
}

fn dialogs(p: &Parts, dialog: Dialog, onclose: &Callback<MouseEvent>) -> Html {
    let (onclose, lang) = (onclose.clone(), p.lab.ui.lang);
    match dialog {
        Dialog::Help => html! { <Help {onclose} {lang} /> },
        Dialog::Embed => html! {
            <EmbedDialog base={dom::base_url()} link={p.lab.view.link.clone()}
                oncopy={Callback::from(|text: String| dom::copy_to_clipboard(&text))} {onclose} {lang} />
        },
        Dialog::Compare => html! {
            <ComparePicker chosen={chosen_protocols(p.lab)} settings={settings_text(lang, &p.lab.ui.config)}
                onstart={p.on.onopencompare.clone()} {onclose} {lang} />
        },
        Dialog::None => html! {},
    }
}

/// The protocols the compare dialog starts with: those compared now, else the defaults.
fn chosen_protocols(lab: &LabState) -> Vec<String> {
    match &lab.view.compare {
        Some(v) => v.protocols.clone(),
        None => COMPARE_DEFAULT.map(String::from).to_vec(),
    }
}

fn settings_text(lang: Lang, c: &Setup) -> AttrValue {
    let msg = match c.clients {
        1 => Msg::CompareSettingsOne,
        _ => Msg::CompareSettings,
    };
    let (nodes, seed, clients) = (
        c.nodes.to_string(),
        c.seed.to_string(),
        c.clients.to_string(),
    );
    fill(lang, msg, &[&nodes, &seed, &clients]).into()
}

fn open_full(lab: &LabState) -> Html {
    let href = share_url(&dom::base_url(), &lab.view.link);
    html! { <a class="open-full" href={href} target="_blank" rel="noopener">{ tr(lab.ui.lang, Msg::OpenFull) }</a> }
}
