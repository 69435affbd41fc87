//! The callbacks the panels get, made once: those that send an action, and those that act on
//! the page.

use std::rc::Rc;

use quorum_engine::lab::compare::Aim;
use quorum_engine::lab::Setup;
use quorum_engine::model::types::{Micros, NodeId};
use quorum_engine::sim::action::Action;
use quorum_engine::sim::net::NetConfig;
use yew::prelude::*;

use super::Dialog;
use crate::api::share_url;
use crate::canvas::Hit;
use crate::dom;
use crate::i18n::{tr, Lang, Msg};
use crate::state::{ClassCmd, DiagramCmd, LabAction, LabState, Selection, Store, Tool};

/// Every callback that only sends an action. Made once, so the panels' props compare equal from
/// one render to the next and a panel re-renders only when what it shows changed.
#[derive(Clone, PartialEq)]
pub struct Handlers {
    /// Steps back one event.
    pub onstepback: Callback<MouseEvent>,
    /// Plays or pauses.
    pub ontoggle: Callback<MouseEvent>,
    /// Steps one event.
    pub onstep: Callback<MouseEvent>,
    /// Sets the speed.
    pub onspeed: Callback<f64>,
    /// Moves to a time.
    pub onseek: Callback<Micros>,
    /// Pauses at a violation's moment.
    pub onjump: Callback<Micros>,
    /// Chooses a canvas tool.
    pub ontool: Callback<Tool>,
    /// Splits the picked nodes from the rest.
    pub onsplit: Callback<MouseEvent>,
    /// Heals the network.
    pub onheal: Callback<MouseEvent>,
    /// Loads a built-in scenario.
    pub onscenario: Callback<String>,
    /// A click on the canvas.
    pub onhit: Callback<Option<Hit>>,
    /// Performs a menu's action and closes the menu.
    pub onact: Callback<Action>,
    /// Closes the canvas menu.
    pub onclosemenu: Callback<MouseEvent>,
    /// Restarts with new settings.
    pub onrestart: Callback<Setup>,
    /// Changes the network now.
    pub onsetnetwork: Callback<NetConfig>,
    /// Restarts with another snapshot interval.
    pub oninterval: Callback<u64>,
    /// Compares snapshot intervals.
    pub oncompare: Callback<MouseEvent>,
    /// Dismisses the alert.
    pub ondismissalert: Callback<MouseEvent>,
    /// Shows or hides the metrics panel.
    pub onmetrics: Callback<MouseEvent>,
    /// Changes the space-time diagram or the history view.
    pub ondiagram: Callback<DiagramCmd>,
    /// Shows or hides the space-time diagram.
    pub ontogglediagram: Callback<MouseEvent>,
    /// Shows or hides the history view.
    pub ontogglehistory: Callback<MouseEvent>,
    /// Opens the compare view of these protocols.
    pub onopencompare: Callback<Vec<String>>,
    /// Leaves the compare view.
    pub onclosecompare: Callback<MouseEvent>,
    /// Applies a compare action in every run.
    pub onaim: Callback<Aim>,
    /// Chooses a node for the compare actions.
    pub onnode: Callback<Option<NodeId>>,
    /// Switches the interface's language.
    pub onlang: Callback<Lang>,
    /// A tour's or an exercise's command.
    pub onclass: Callback<ClassCmd>,
}

impl Handlers {
    /// The callbacks sending to `send`.
    pub fn new(send: Callback<LabAction>) -> Self {
        let click = |a: LabAction| send.reform(move |_: MouseEvent| a.clone());
        Handlers {
            onlang: send.reform(LabAction::Lang),
            onclass: send.reform(LabAction::Class),
            onstepback: click(LabAction::StepBack),
            ontoggle: click(LabAction::TogglePlay),
            onstep: click(LabAction::Step),
            onsplit: click(LabAction::ApplyPartition),
            onheal: click(LabAction::Act(Action::Heal)),
            onclosemenu: click(LabAction::Select(Selection::None)),
            oncompare: click(LabAction::CompareIntervals),
            ondismissalert: click(LabAction::ClearAlert),
            onmetrics: click(LabAction::ToggleMetrics),
            onclosecompare: click(LabAction::CloseCompare),
            ontogglediagram: click(LabAction::Diagram(DiagramCmd::Toggle)),
            ontogglehistory: click(LabAction::Diagram(DiagramCmd::ToggleHistory)),
            ondiagram: send.reform(LabAction::Diagram),
            onopencompare: send.reform(LabAction::OpenCompare),
            onaim: send.reform(LabAction::CompareAct),
            onnode: send.reform(|n: Option<NodeId>| {
                LabAction::Select(n.map_or(Selection::None, Selection::Node))
            }),
            onspeed: send.reform(LabAction::Speed),
            onseek: send.reform(LabAction::Seek),
            onjump: send.reform(LabAction::JumpTo),
            ontool: send.reform(LabAction::Tool),
            onscenario: send.reform(LabAction::LoadScenario),
            onhit: send.reform(LabAction::Click),
            onrestart: send.reform(LabAction::Reset),
            onsetnetwork: send.reform(|net| LabAction::Act(Action::Network(net))),
            oninterval: send.reform(LabAction::SnapshotInterval),
            onact: Callback::from(move |a| {
                send.emit(LabAction::Act(a));
                send.emit(LabAction::Select(Selection::None));
            }),
        }
    }
}

/// The top bar's callbacks that act on the page (clipboard, theme, dialogs, the settings panel)
/// rather than on the state. Made once, like [`Handlers`].
#[derive(Clone, PartialEq)]
pub struct PageHandlers {
    /// Copies the share link of the present instant and says so.
    pub oncopy: Callback<MouseEvent>,
    /// Opens the embed dialog.
    pub onembed: Callback<MouseEvent>,
    /// Opens the help.
    pub onhelp: Callback<MouseEvent>,
    /// Closes the open dialog.
    pub onclose: Callback<MouseEvent>,
    /// Switches the theme.
    pub ontheme: Callback<MouseEvent>,
    /// Shows or hides the settings panel.
    pub onsettings: Callback<MouseEvent>,
    /// Opens the compare dialog.
    pub oncomparepicker: Callback<MouseEvent>,
}

/// The page's callbacks over the app's dialog, settings-panel and notice states.
#[hook]
pub fn use_page_handlers(
    lab: &UseReducerHandle<LabState>,
    dialog: &UseStateHandle<Dialog>,
    settings_open: &UseStateHandle<bool>,
    notice: &UseStateHandle<Option<String>>,
) -> Rc<PageHandlers> {
    let (lab, dialog, open, notice) = (
        lab.clone(),
        dialog.setter(),
        settings_open.clone(),
        notice.setter(),
    );
    use_memo((), move |_| {
        let show = |d: Dialog| dialog.to_callback().reform(move |_: MouseEvent| d);
        PageHandlers {
            oncopy: Callback::from(move |_| {
                let link = lab.read(|s| s.link());
                dom::copy_to_clipboard(&share_url(&dom::base_url(), &link));
                let lang = lab.read(|s| s.ui.lang);
                notice.set(Some(tr(lang, Msg::LinkCopied).into()));
            }),
            onembed: show(Dialog::Embed),
            onhelp: show(Dialog::Help),
            oncomparepicker: show(Dialog::Compare),
            onclose: show(Dialog::None),
            ontheme: Callback::from(|_| dom::toggle_theme()),
            onsettings: Callback::from(move |_| {
                let now = open.clone();
                now.set(!*now);
            }),
        }
    })
}
