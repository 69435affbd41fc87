//! The classroom's actions: tours (load each step's run, move on when its condition happens) and
//! exercises (load the moment the student takes over, grade answers, count attempts).
//!
//! While an exercise is open, nothing replaces its run (a scenario, a link, a tour, the compare
//! view, new settings are refused until the student closes it), and until a prediction is given
//! the run cannot go past the exercise's start.

use std::rc::Rc;

use quorum_engine::lab::classroom::exercise::{
    command_action, find_exercise, Attempt, Exercise, Kind,
};
use quorum_engine::lab::classroom::tour::{find_tour, TourProgress};
use quorum_engine::lab::classroom::Setup;
use quorum_engine::model::text::{quoted, text, Text};
use quorum_engine::model::types::Micros;

use crate::i18n::{fill, say, tr, Msg};
use crate::state::classroom::{ClassCmd, ExerciseUi, Limits, TourUi};
use crate::state::diagram::DiagramCmd;
use crate::state::{LabAction, LabState};

impl LabState {
    /// Performs a classroom command.
    pub(super) fn classroom(&mut self, cmd: ClassCmd) -> Result<(), String> {
        match cmd {
            ClassCmd::OpenTour(id) => return self.open_tour(&id),
            ClassCmd::TourNext => return self.tour_next(),
            ClassCmd::TourBack => return self.tour_back(),
            ClassCmd::TourDo => return self.tour_do(),
            ClassCmd::CloseTour => self.ui.tour = None,
            ClassCmd::OpenExercise(id) => return self.open_exercise(&id),
            ClassCmd::Answer(answer) => return self.answer(answer),
            ClassCmd::CloseExercise => {
                self.ui.exercise = None;
                if !self.ui.limits.pinned {
                    self.ui.limits = Limits::default();
                }
            }
        }
        Ok(())
    }

    /// Opens a tour at its first step, loading that step's run if it has one.
    pub(super) fn open_tour(&mut self, id: &str) -> Result<(), String> {
        let tour = find_tour(id).ok_or_else(|| fill(self.ui.lang, Msg::NoTour, &[id]))?;
        if let Some(setup) = &tour.steps.first().and_then(|s| s.setup.clone()) {
            self.load_setup(setup)?;
        }
        self.attach_tour(id)
    }

    /// Opens the tour `id` at its first step on the run already loaded.
    pub(super) fn attach_tour(&mut self, id: &str) -> Result<(), String> {
        let tour = find_tour(id).ok_or_else(|| fill(self.ui.lang, Msg::NoTour, &[id]))?;
        let progress = TourProgress::start(&**self.lab());
        self.ui.exercise = None;
        self.ui.tour = Some(TourUi {
            tour: Rc::new(tour),
            progress,
        });
        Ok(())
    }

    /// Loads a tour step's run.
    fn load_setup(&mut self, setup: &Setup) -> Result<(), String> {
        self.load_link(&setup.link()?)
    }

    /// Moves the tour on: loads the next step's run, if any, then advances.
    fn tour_next(&mut self) -> Result<(), String> {
        let Some(TourUi { tour, .. }) = self.ui.tour.clone() else {
            return Ok(());
        };
        let step = self.ui.tour.as_ref().map_or(0, |t| t.progress.step);
        if let Some(setup) = tour.steps.get(step + 1).and_then(|s| s.setup.clone()) {
            self.load_setup(&setup)?;
        }
        let lab = self.run.clone();
        let lab = lab.borrow();
        if let Some(t) = &mut self.ui.tour {
            t.progress.advance(&tour, &**lab);
        }
        Ok(())
    }

    /// Goes back one step: reloads the run the step had if it changed, then seeks to when the
    /// step began.
    fn tour_back(&mut self) -> Result<(), String> {
        let Some(t) = &mut self.ui.tour else {
            return Ok(());
        };
        let tour = t.tour.clone();
        let Some((reload, at)) = t.progress.back(&tour) else {
            return Ok(());
        };
        if let Some(setup) = reload {
            self.load_setup(&setup)?;
        }
        self.ui.playing = false;
        self.seek(at);
        Ok(())
    }

    /// Does the step's suggested action, recorded like any intervention.
    fn tour_do(&mut self) -> Result<(), String> {
        let Some(t) = &self.ui.tour else {
            return Ok(());
        };
        let Some(command) = t.tour.steps[t.progress.step].suggest.clone() else {
            return Ok(());
        };
        let action = command_action(&**self.lab(), &command)?;
        let action = action.ok_or_else(|| tr(self.ui.lang, Msg::NobodyLeads).to_string())?;
        self.intervene(action);
        Ok(())
    }

    /// Called after every change: when the tour's step's condition has happened, moves on.
    /// True when it did.
    pub(super) fn tour_tick(&mut self) -> bool {
        if self.compare.is_some() {
            return false;
        }
        let lab = self.run.clone();
        let lab = lab.borrow();
        let Some(t) = self.ui.tour.as_mut() else {
            return false;
        };
        let last = t.progress.step + 1 >= t.tour.steps.len();
        if last || !t.progress.done(&t.tour, &**lab) {
            return false;
        }
        drop(lab);
        self.outcome = self.tour_next();
        true
    }

    /// Refuses, while an exercise is open, what would replace its run, and, until a prediction is
    /// given, what would move the run past the exercise's start.
    pub(super) fn exercise_permits(&self, action: &LabAction) -> Result<(), String> {
        let Some(open) = &self.ui.exercise else {
            return Ok(());
        };
        let lang = self.ui.lang;
        match action {
            LabAction::LoadLink(_)
            | LabAction::LoadScenario(_)
            | LabAction::OpenCompare(_)
            | LabAction::Reset(_)
            | LabAction::SnapshotInterval(_)
            | LabAction::Class(ClassCmd::OpenTour(_)) => {
                Err(tr(lang, Msg::ExerciseKeepsRun).into())
            }
            _ if open.hold.is_some_and(|h| self.passes(action, h)) => {
                Err(tr(lang, Msg::PredictFirst).into())
            }
            _ => Ok(()),
        }
    }

    /// Would `action` take the run past `hold`? (Playing or stepping from before it stops there.)
    fn passes(&self, action: &LabAction, hold: Micros) -> bool {
        let at_hold = self.lab().now() >= hold;
        match action {
            LabAction::Play | LabAction::Step => at_hold,
            LabAction::TogglePlay => at_hold && !self.ui.playing,
            LabAction::Seek(t)
            | LabAction::JumpTo(t)
            | LabAction::Diagram(DiagramCmd::Pick(t, _)) => *t > hold,
            _ => false,
        }
    }

    /// The moment a predict exercise holds the run at, if one awaits its answer.
    pub(super) fn hold(&self) -> Option<Micros> {
        self.ui.exercise.as_ref().and_then(|e| e.hold)
    }

    /// An engine text in the interface's language.
    fn said(&self, e: Text) -> String {
        say(self.ui.lang, &e)
    }

    /// Opens an exercise at the moment the student takes over, with its limits (unless a
    /// teacher's link pinned others).
    pub(super) fn open_exercise(&mut self, id: &str) -> Result<(), String> {
        let ex = find_exercise(id).ok_or_else(|| fill(self.ui.lang, Msg::NoExercise, &[id]))?;
        self.load_link(&ex.link().map_err(|e| self.said(e))?)?;
        self.attach_exercise(ex.id.clone())
    }

    /// Loads a predict exercise's start unless the run is exactly that (a link may carry a later
    /// moment, or another run); returns the start's moment.
    fn predict_start(&mut self, ex: &Exercise) -> Result<Micros, String> {
        let start = ex.start().map_err(|e| self.said(e))?;
        let config = ex.setup.state()?.config;
        let same = self.ui.config == config
            && self.lab().interventions() == start.lab.interventions()
            && self.lab().now() == start.t;
        if !same {
            self.load_link(&ex.link().map_err(|e| self.said(e))?)?;
        }
        Ok(start.t)
    }

    /// Opens the exercise `id` on the run already loaded (a predict exercise on its own start).
    pub(super) fn attach_exercise(&mut self, id: String) -> Result<(), String> {
        let ex = find_exercise(&id).ok_or_else(|| fill(self.ui.lang, Msg::NoExercise, &[&id]))?;
        let (candidates, hold) = match ex.kind {
            Kind::Explain { .. } => (ex.candidates().map_err(|e| self.said(e))?, None),
            Kind::Predict { .. } => (Vec::new(), Some(self.predict_start(&ex)?)),
            _ => (Vec::new(), None),
        };
        if !self.ui.limits.pinned {
            self.ui.limits = Limits {
                allow: Some(ex.allow.clone()),
                hide: ex.hide.clone(),
                pinned: false,
            };
        }
        self.ui.tour = None;
        let given = Rc::new(self.lab().interventions());
        self.ui.exercise = Some(ExerciseUi {
            exercise: Rc::new(ex),
            candidates: Rc::new(candidates),
            attempts: 0,
            grade: None,
            answer: String::new(),
            given,
            hold,
        });
        Ok(())
    }

    /// Grades an answer and counts it.
    fn answer(&mut self, answer: Option<String>) -> Result<(), String> {
        let Some(open) = &self.ui.exercise else {
            return Ok(());
        };
        let (ex, earlier) = (open.exercise.clone(), open.given.clone());
        let given = answer.unwrap_or_default();
        let grade = match ex.kind {
            Kind::Predict { .. } => ex.grade_prediction(&given),
            Kind::Fix { .. } => ex.grade_fix(&given),
            Kind::Explain { .. } => given
                .parse()
                .map_err(|_| text!(NotAMessageId, quoted(&given)))
                .and_then(|m| ex.grade_explanation(m)),
            Kind::Break { .. } => ex.grade_attempt(&Attempt {
                lab: &**self.lab(),
                config: &self.ui.config,
                given: &earlier,
            }),
        }
        .map_err(|e| self.said(e))?;
        if let Some(open) = &mut self.ui.exercise {
            open.attempts += 1;
            open.grade = Some(grade);
            open.answer = given;
            open.hold = None;
        }
        Ok(())
    }
}
