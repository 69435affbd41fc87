//! The classroom's plain state: the tour in progress, the exercise open, and what the student may
//! do and see (`allow`/`hide`, from the exercise or pinned by a teacher's link).

use std::rc::Rc;

use quorum_engine::lab::classroom::exercise::{Candidate, Exercise, Grade};
use quorum_engine::lab::classroom::tour::{Tour, TourProgress};
use quorum_engine::model::types::Micros;
use quorum_engine::sim::action::Action;
use quorum_engine::sim::timeline::Intervention;

/// What the classroom's buttons ask for.
#[derive(Clone, Debug, PartialEq)]
pub enum ClassCmd {
    /// Open a tour by id, at its first step.
    OpenTour(String),
    /// Go to the tour's next step.
    TourNext,
    /// Go back one step (and back in time).
    TourBack,
    /// Do the step's suggested action.
    TourDo,
    /// Close the tour.
    CloseTour,
    /// Open an exercise by id, at the moment the student takes over.
    OpenExercise(String),
    /// Answer: a choice, an option value or a message id (`None`: check the run, for a break).
    Answer(Option<String>),
    /// Close the exercise.
    CloseExercise,
}

/// A tour in progress.
#[derive(Clone, Debug, PartialEq)]
pub struct TourUi {
    /// The tour.
    pub tour: Rc<Tour>,
    /// Where the student is in it.
    pub progress: TourProgress,
}

/// An exercise open.
#[derive(Clone, Debug, PartialEq)]
pub struct ExerciseUi {
    /// The exercise.
    pub exercise: Rc<Exercise>,
    /// The messages offered by an explain exercise.
    pub candidates: Rc<Vec<Candidate>>,
    /// Answers given.
    pub attempts: u32,
    /// The last grade.
    pub grade: Option<Grade>,
    /// The last answer given (empty for a break exercise's check).
    pub answer: String,
    /// The interventions the run held when the exercise opened on it: any beyond the exercise's
    /// start came with a link, and are not the student's.
    pub given: Rc<Vec<Intervention>>,
    /// A predict exercise not answered yet: the moment (its start) the run may not go past.
    pub hold: Option<Micros>,
}

/// What the student may do and see. `allow: None` allows everything.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Limits {
    /// The actions allowed (names of `exercise::ACTIONS`), or `None` for all.
    pub allow: Option<Vec<String>>,
    /// The panels hidden (names of `exercise::PANELS`).
    pub hide: Vec<String>,
    /// Set by a teacher's link (`allow=`, `hide=`): kept in share links and over exercises.
    pub pinned: bool,
}

impl Limits {
    /// May the student take the action called `name`?
    pub fn allows(&self, name: &str) -> bool {
        self.allow
            .as_ref()
            .is_none_or(|a| a.iter().any(|x| x == name))
    }

    /// Is the panel called `name` hidden?
    pub fn hides(&self, name: &str) -> bool {
        self.hide.iter().any(|x| x == name)
    }

    /// The link parameters of pinned limits (empty when not pinned).
    pub fn params(&self) -> String {
        if !self.pinned {
            return String::new();
        }
        let mut out = format!("&hide={}", self.hide.join(","));
        if let Some(a) = &self.allow {
            out.push_str(&format!("&allow={}", a.join(",")));
        }
        out
    }
}

/// A comma-separated list of names.
pub fn names(list: &str) -> Vec<String> {
    list.split(',')
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// The name an exercise's `allow` gives to an action.
pub fn action_name(action: &Action) -> &'static str {
    match action {
        Action::Crash(_) => "crash",
        Action::Restart(_) => "restart",
        Action::Partition(_) | Action::Cut(..) => "partition",
        Action::Heal => "heal",
        Action::Request { .. } => "request",
        Action::Timeout(_) => "timeout",
        Action::DropMessage(_) | Action::DuplicateMessage(_) | Action::DelayMessage(..) => {
            "message"
        }
        Action::Network(_) | Action::Drift(..) => "network",
        _ => "settings",
    }
}
