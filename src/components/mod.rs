//! The app's panels: each one file, each a view of the session.

pub mod acceptors;
pub mod controls;
pub mod embed_dialog;
pub mod event_log;
pub mod help;
pub mod inspector;
pub mod invariants;
pub mod lab_canvas;
pub mod log_grid;
pub mod menus;
pub mod settings;
pub mod story;
pub mod topbar;

use std::rc::Rc;

use yew::prelude::*;

use crate::state::{LabAction, Session};

/// What every panel receives: the session, the version that changed, and the dispatcher.
#[derive(Properties, Clone)]
pub struct LabProps {
    /// The session.
    pub session: Rc<Session>,
    /// Changes whenever anything changed; panels re-render then.
    pub version: u64,
    /// Sends an action to the reducer.
    pub dispatch: Callback<LabAction>,
}

impl PartialEq for LabProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.session, &other.session) && self.version == other.version
    }
}

/// A callback that sends a fixed action.
pub fn send(dispatch: &Callback<LabAction>, action: LabAction) -> Callback<MouseEvent> {
    let dispatch = dispatch.clone();
    Callback::from(move |_| dispatch.emit(action.clone()))
}
