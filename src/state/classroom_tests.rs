//! The classroom through the reducer: exercises open with their limits, are graded and counted,
//! tours move on when their step's condition happens, and links keep all of it.

use std::rc::Rc;

use quorum_engine::lab::catalog;
use quorum_engine::model::types::{MS, SEC};
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

fn grade(s: &LabState) -> Option<bool> {
    let open = s.ui.exercise.as_ref()?;
    open.grade.as_ref().map(|g| g.pass)
}

/// The sample solution of `raft-break-forget-vote`, done through the reducer as a student would.
fn break_forget_vote(s: LabState) -> LabState {
    let at0 = [Action::Cut(1, 3), Action::Cut(3, 1), Action::Timeout(1)];
    let at20 = [Action::Crash(2), Action::Restart(2), Action::Timeout(3)];
    let mut s = s;
    for a in at0 {
        s = then(s, LabAction::Act(a));
        assert_eq!(s.outcome, Ok(()));
    }
    s = then(s, LabAction::Seek(20 * MS));
    for a in at20 {
        s = then(s, LabAction::Act(a));
        assert_eq!(s.outcome, Ok(()));
    }
    then(s, LabAction::Seek(10 * SEC))
}

#[test]
fn a_break_exercise_passes_with_the_students_own_interventions() {
    let s = LabState::from_query("?ex=raft-break-forget-vote", Lang::En);
    let s = then(break_forget_vote(s), class(ClassCmd::Answer(None)));
    assert_eq!(grade(&s), Some(true), "{:?}", s.ui.exercise);
}

#[test]
fn loading_the_solution_scenario_during_a_break_exercise_is_refused() {
    let s = LabState::from_query("?ex=raft-break-forget-vote&lang=zh", Lang::En);
    let s = then(s, LabAction::LoadScenario("bug_forget_vote".into()));
    assert!(
        s.outcome.as_ref().is_err_and(|e| e.contains("关闭练习")),
        "{:?}",
        s.outcome
    );
    assert!(s.lab().interventions().is_empty());
    let s = then(s, LabAction::Seek(10 * SEC));
    let s = then(s, class(ClassCmd::Answer(None)));
    assert_eq!(grade(&s), Some(false));
}

#[test]
fn loading_a_link_or_a_tour_during_an_exercise_is_refused() {
    let s = LabState::from_query("?ex=raft-break-forget-vote", Lang::En);
    let link = catalog::find("bug_forget_vote").unwrap().link().unwrap();
    let s = then(s, LabAction::LoadLink(link.into()));
    assert!(s.outcome.is_err());
    assert!(s.lab().interventions().is_empty());
    let s = then(s, class(ClassCmd::OpenTour("raft-election".into())));
    assert!(s.outcome.is_err() && s.ui.exercise.is_some() && s.ui.tour.is_none());
    let s = then(s, class(ClassCmd::CloseExercise));
    let s = then(s, LabAction::LoadScenario("bug_forget_vote".into()));
    assert_eq!(s.outcome, Ok(()));
}

#[test]
fn a_link_carrying_the_solution_does_not_pass_a_break_exercise() {
    let link = catalog::find("bug_forget_vote").unwrap().link().unwrap();
    let query = format!("?{link}&ex=raft-break-forget-vote");
    let s = LabState::from_query(&query, Lang::En);
    assert!(s.ui.exercise.is_some());
    let s = then(s, LabAction::Seek(10 * SEC));
    let s = then(s, class(ClassCmd::Answer(None)));
    assert_eq!(grade(&s), Some(false), "{:?}", s.ui.exercise);
}

#[test]
fn an_exercise_keeps_its_settings_even_when_a_teacher_allows_settings() {
    let query = "?ex=raft-break-forget-vote&allow=settings,crash,restart,partition,timeout";
    let s = LabState::from_query(query, Lang::En);
    let mut config = s.ui.config.clone();
    config.clients = 1;
    let s = then(s, LabAction::Reset(config));
    assert!(s.outcome.is_err(), "an exercise keeps its settings");
    let s = then(break_forget_vote(s), class(ClassCmd::Answer(None)));
    assert_eq!(grade(&s), Some(true));
}

#[test]
fn a_predict_exercise_holds_time_at_its_start_until_answered() {
    let s = LabState::from_query("?ex=twopc-predict-decision&lang=zh", Lang::En);
    let t0 = s.lab().now();
    let refused = |s: &LabState| s.outcome.as_ref().is_err_and(|e| e.contains("预测"));
    let mut s = s;
    for action in [
        LabAction::Play,
        LabAction::TogglePlay,
        LabAction::Step,
        LabAction::Seek(t0 + SEC),
        LabAction::JumpTo(t0 + 1),
    ] {
        s = then(s, action.clone());
        assert!(refused(&s), "{action:?}: {:?}", s.outcome);
        assert!(!s.ui.playing && s.lab().now() == t0, "{action:?}");
    }
    s = then(s, LabAction::Seek(t0 / 2));
    assert_eq!(s.outcome, Ok(()));
    for _ in 0..200 {
        s = then(s, LabAction::Step);
    }
    assert_eq!(s.lab().now(), t0, "stepping stops at the start");
    s = then(s, class(ClassCmd::Answer(Some("commit".into()))));
    s = then(s, LabAction::Seek(t0 + SEC));
    assert_eq!((s.outcome.clone(), s.lab().now()), (Ok(()), t0 + SEC));
}

#[test]
fn a_predict_exercise_opened_from_a_later_link_starts_at_its_start() {
    let s = LabState::from_query("?ex=twopc-predict-decision", Lang::En);
    let t0 = s.lab().now();
    let s = then(s, class(ClassCmd::Answer(Some("abort".into()))));
    let s = then(s, LabAction::Seek(t0 + SEC));
    let later = LabState::from_query(&format!("?{}", s.link()), Lang::En);
    assert!(later.ui.exercise.is_some());
    assert_eq!(later.lab().now(), t0, "{}", s.link());
}

#[test]
fn a_graders_refusal_is_said_in_chinese() {
    let s = LabState::from_query("?ex=raft-fix-election-timeout&lang=zh", Lang::En);
    let s = then(s, class(ClassCmd::Answer(Some("nonsense".into()))));
    let alert = s.ui.alert.clone().unwrap_or_default();
    assert!(alert.contains("不是可选的答案"), "{alert}");
    let s = LabState::from_query("?ex=twopc-explain-commit-despite-no&lang=zh", Lang::En);
    let s = then(s, class(ClassCmd::Answer(Some("x".into()))));
    let alert = s.ui.alert.clone().unwrap_or_default();
    assert!(alert.contains("不是消息编号"), "{alert}");
}
