//! The classroom through the reducer: exercises open with their limits, are graded and counted,
//! tours move on when their step's condition happens, and links keep all of it.

use std::rc::Rc;

use quorum_engine::sim::action::Action;
use yew::Reducible;

use super::{ClassCmd, LabAction, LabState};
use crate::i18n::Lang;

fn then(state: LabState, action: LabAction) -> LabState {
    let next = Rc::new(state).reduce(action);
    Rc::try_unwrap(next).unwrap_or_else(|rc| (*rc).clone())
}

fn class(cmd: ClassCmd) -> LabAction {
    LabAction::Class(cmd)
}

#[test]
fn a_predict_exercise_grades_and_counts_each_answer() {
    let s = LabState::from_query("?ex=twopc-predict-decision", Lang::En);
    let s = then(s, class(ClassCmd::Answer(Some("commit".into()))));
    assert_eq!(
        s.ui.exercise
            .as_ref()
            .unwrap()
            .grade
            .as_ref()
            .map(|g| g.pass),
        Some(false)
    );
    let s = then(s, class(ClassCmd::Answer(Some("abort".into()))));
    let open = s.ui.exercise.as_ref().unwrap();
    assert_eq!(
        (open.attempts, open.grade.as_ref().map(|g| g.pass)),
        (2, Some(true))
    );
    assert!(
        s.link().contains("ex=twopc-predict-decision"),
        "{}",
        s.link()
    );
}

#[test]
fn an_exercise_refuses_the_actions_it_does_not_allow() {
    let s = LabState::from_query("?ex=raft-predict-leader", Lang::En);
    let before = s.lab().interventions().len();
    let s = then(s, LabAction::Act(Action::Crash(1)));
    assert!(s.outcome.as_ref().is_err_and(|e| e.contains("crash")));
    assert_eq!(s.lab().interventions().len(), before);
    assert!(s.ui.limits.hides("inspector"));
}

#[test]
fn a_teachers_link_pins_its_limits_over_the_exercises() {
    let s = LabState::from_query("?ex=raft-predict-leader&allow=crash&hide=metrics", Lang::En);
    assert!(s.ui.limits.allows("crash") && !s.ui.limits.allows("restart"));
    assert!(s.ui.limits.hides("metrics") && !s.ui.limits.hides("inspector"));
    let s = then(s, LabAction::Act(Action::Crash(1)));
    assert_eq!(s.outcome, Ok(()));
    assert!(s.link().contains("&allow=crash"), "{}", s.link());
    let s = then(s, class(ClassCmd::CloseExercise));
    assert!(s.ui.limits.pinned);
}

#[test]
fn a_tour_moves_on_when_its_step_condition_happens() {
    let s = LabState::from_query("?tour=raft-election", Lang::En);
    assert_eq!(s.ui.tour.as_ref().unwrap().progress.step, 0);
    let mut s = s;
    for _ in 0..400 {
        if s.ui.tour.as_ref().unwrap().progress.step > 0 {
            break;
        }
        s = then(s, LabAction::Step);
    }
    assert_eq!(s.ui.tour.as_ref().unwrap().progress.step, 1);
    let s = then(s, class(ClassCmd::TourBack));
    assert_eq!(s.ui.tour.as_ref().unwrap().progress.step, 0);
    assert!(s.link().contains("tour=raft-election"));
}
