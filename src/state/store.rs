//! Reading and changing the state from code that outlives a render: the animation loop, the
//! keyboard shortcuts, the JavaScript API.

use std::cell::RefCell;

use yew::UseReducerHandle;

use super::{LabAction, LabState};

/// Where actions go and the current state comes from.
pub trait Store {
    /// Sends an action to the reducer, which runs it at once.
    fn send(&self, action: LabAction);
    /// Reads the current state.
    fn read<R>(&self, f: impl FnOnce(&LabState) -> R) -> R;
}

/// The app's reducer handle. A handle keeps alive every state it has been read at, so each read
/// goes through a fresh copy of it: a long-lived handle read sixty times a second would
/// otherwise hold every frame of the run.
impl Store for UseReducerHandle<LabState> {
    fn send(&self, action: LabAction) {
        self.dispatch(action);
    }

    fn read<R>(&self, f: impl FnOnce(&LabState) -> R) -> R {
        let fresh = self.clone();
        f(&fresh)
    }
}

/// A plain state, for tests: actions apply in place.
impl Store for RefCell<LabState> {
    fn send(&self, action: LabAction) {
        self.borrow_mut().apply(action);
    }

    fn read<R>(&self, f: impl FnOnce(&LabState) -> R) -> R {
        f(&self.borrow())
    }
}
