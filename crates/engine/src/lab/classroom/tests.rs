//! Every tour can be followed to its end, every exercise can be passed and failed.

use super::exercise::{exercises, parse_exercise, Kind, EXERCISE_FILES};
use super::tour::{parse_tour, tours, TourProgress, TOUR_FILES};
use super::{Pattern, Setup};
use crate::lab::Lab;
use crate::model::types::{Micros, MS, SEC};

/// The file names (without extension) in `classroom/DIR`.
fn folder(dir: &str, ext: &str) -> Vec<String> {
    let path = format!("{}/classroom/{dir}", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(path)
        .expect("the classroom folder")
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(ext).map(str::to_string)
        })
        .collect();
    names.sort();
    names
}

fn sorted(list: &[(&str, &str)]) -> Vec<String> {
    let mut names: Vec<String> = list.iter().map(|(n, _)| n.to_string()).collect();
    names.sort();
    names
}

#[test]
fn every_file_in_the_folders_is_listed() {
    assert_eq!(folder("tours", ".tour"), sorted(TOUR_FILES));
    assert_eq!(folder("exercises", ".ex"), sorted(EXERCISE_FILES));
}

#[test]
fn there_is_a_tour_for_every_protocol_and_twelve_exercises_of_four_kinds() {
    let tours = tours();
    for p in crate::lab::lab_protocols() {
        assert!(tours.iter().any(|t| t.protocol == p), "no tour for {p}");
    }
    let exercises = exercises();
    assert!(exercises.len() >= 12);
    for kind in ["Predict", "Break", "Fix", "Explain"] {
        assert!(
            exercises
                .iter()
                .any(|e| format!("{:?}", e.kind).starts_with(kind)),
            "no {kind} exercise"
        );
    }
}

/// Plays a tour as a student who does what each step suggests at once: every step that waits
/// for something sees it happen within `limit` of simulated time.
fn follow(tour: &super::tour::Tour, limit: Micros) {
    let mut lab: Option<Lab> = None;
    let mut progress: Option<TourProgress> = None;
    for (i, step) in tour.steps.iter().enumerate() {
        if let Some(setup) = &step.setup {
            lab = Some(setup.lab().unwrap().0);
        }
        let lab = lab.as_mut().unwrap();
        match progress.as_mut() {
            None => progress = Some(TourProgress::start(&**lab)),
            Some(p) => assert!(p.advance(tour, &**lab)),
        }
        let p = progress.as_mut().unwrap();
        assert_eq!(p.step, i);
        if let Some(command) = &step.suggest {
            lab.run_until(lab.now() + 20 * MS);
            let action = super::exercise::command_action(&**lab, command).unwrap();
            lab.intervene(action.unwrap_or_else(|| {
                panic!("{}: step {}: {command} aims at nobody", tour.id, i + 1)
            }));
        }
        if step.until.is_none() {
            continue;
        }
        let end = lab.now() + limit;
        while !p.done(tour, &**lab) && lab.now() < end {
            let t = lab.now() + 10 * MS;
            lab.run_until(t);
        }
        assert!(
            p.done(tour, &**lab),
            "{}: step {} never ends: {:?}",
            tour.id,
            i + 1,
            step.until
        );
    }
}

#[test]
fn every_tour_can_be_followed_to_its_end() {
    for tour in tours() {
        follow(&tour, 30 * SEC);
    }
}

#[test]
fn a_condition_is_looked_for_only_in_new_events_until_time_goes_back() {
    let tour = parse_tour(
        "t",
        "protocol raft\ntitle T\ntitle.zh T\nstep\nscenario first_election at 0ms\ntext a\ntext.zh a\nuntil role role=leader\nstep\ntext b\ntext.zh b\n",
    )
    .unwrap();
    let (mut lab, _) = tour.steps[0].setup.as_ref().unwrap().lab().unwrap();
    let mut p = TourProgress::start(&*lab);
    lab.run_until(100 * MS);
    assert!(!p.done(&tour, &*lab), "no leader at 100 ms");
    assert_eq!(p.scanned(), lab.trace_len(), "the next look starts here");
    lab.seek(50 * MS);
    assert!(!p.done(&tour, &*lab));
    assert_eq!(
        p.scanned(),
        lab.trace_len(),
        "a seek back shortens the look"
    );
    lab.run_until(2 * SEC);
    assert!(p.done(&tour, &*lab), "the election after the seek is seen");
    assert!(p.scanned() < lab.trace_len());
}

#[test]
fn a_step_does_not_end_before_its_event_and_going_back_seeks_to_its_start() {
    let tour = parse_tour(
        "t",
        "protocol raft\ntitle T\ntitle.zh T\nstep\nscenario first_election at 0ms\ntext a\ntext.zh a\nuntil role role=leader\nstep\ntext b\ntext.zh b\nuntil after 1s\n",
    )
    .unwrap();
    let (mut lab, _) = tour.steps[0].setup.as_ref().unwrap().lab().unwrap();
    let mut p = TourProgress::start(&*lab);
    assert!(!p.done(&tour, &*lab), "nothing has happened yet");
    lab.run_until(100 * MS);
    assert!(!p.done(&tour, &*lab), "no leader at 100 ms");
    lab.run_until(2 * SEC);
    assert!(p.done(&tour, &*lab));
    assert!(p.advance(&tour, &*lab));
    let began = p.began[1].1;
    assert!(
        began < 2 * SEC,
        "the next step begins at the leader's election, not at the present"
    );
    lab.seek(began + SEC - MS);
    assert!(!p.done(&tour, &*lab), "a second has not passed");
    lab.run_until(began + SEC);
    assert!(p.done(&tour, &*lab));
    assert!(!p.advance(&tour, &*lab), "the last step");
    assert_eq!(p.back(&tour), Some((None, 0)));
    assert_eq!(p.back(&tour), None);
}

#[test]
fn going_back_over_a_step_that_loaded_a_run_loads_the_earlier_run() {
    let tour = parse_tour(
        "t",
        "protocol raft\ntitle T\ntitle.zh T\nstep\nscenario first_election at 0ms\ntext a\ntext.zh a\nstep\nscenario split_vote_resolved at 0ms\ntext b\ntext.zh b\n",
    )
    .unwrap();
    let (lab, _) = tour.steps[0].setup.as_ref().unwrap().lab().unwrap();
    let mut p = TourProgress::start(&*lab);
    p.advance(&tour, &*lab);
    let (reload, t) = p.back(&tour).unwrap();
    assert_eq!(
        reload,
        Some(Setup::Scenario("first_election".into(), Some(0)))
    );
    assert_eq!(t, 0);
}

#[test]
fn bad_classroom_files_are_refused_with_their_line() {
    let cases = [
        ("protocol raft\ntitle T\nstep\nscenario first_election\ntext a\ntext.zh a\n", "no Chinese"),
        ("protocol raft\ntitle T\ntitle.zh T\ntext a\n", ":4:"),
        ("protocol raft\ntitle T\ntitle.zh T\nstep\nscenario nope\n", "no menu scenario"),
        ("protocol raft\ntitle T\ntitle.zh T\nstep\nscenario first_election\ntext a\ntext.zh a\nuntil role role\n", "FIELD=VALUE"),
        ("protocol raft\ntitle T\ntitle.zh T\nstep\nlink v=9&p=raft\n", "version"),
        ("protocol raft\ntitle T\ntitle.zh T\nstep\nscenario first_election\nwobble\n", "not a tour keyword"),
    ];
    for (text, said) in cases {
        let e = parse_tour("bad", text).unwrap_err();
        assert!(e.contains(said), "{e:?} should say {said:?}");
    }
    let e = parse_exercise("bad", "protocol raft\nkind guess\n").unwrap_err();
    assert!(e.contains("predict, break, fix or explain"), "{e}");
    let e = parse_exercise("bad", "protocol raft\nkind break\nscenario first_election\ninvariant X\nmax-actions 2\nwithin 1s\nat 1s explode 3\n").unwrap_err();
    assert!(e.contains("bad.ex"), "{e}");
}

#[test]
fn a_pattern_matches_kind_and_fields() {
    let p = Pattern::parse("role role=leader node=2").unwrap();
    assert!(p.matches(r#"{"t":5,"ev":"role","node":2,"role":"leader","term":1}"#));
    assert!(!p.matches(r#"{"t":5,"ev":"role","node":3,"role":"leader","term":1}"#));
    assert!(!p.matches(r#"{"t":5,"ev":"apply","node":2,"role":"leader"}"#));
    assert!(!p.matches("not json"));
    assert!(Pattern::parse("").is_err());
    assert!(Pattern::parse("ro{le").is_err());
}

#[test]
fn every_prediction_is_graded_against_the_run() {
    for ex in exercises() {
        let Kind::Predict { choices, .. } = &ex.kind else {
            continue;
        };
        let truth = ex.truth().unwrap();
        assert!(
            choices.contains(&truth),
            "{}: the answer {truth:?} is not offered in {choices:?}",
            ex.id
        );
        assert!(ex.grade_prediction(&truth).unwrap().pass, "{}", ex.id);
        let wrong = choices.iter().find(|c| **c != truth).unwrap();
        assert!(!ex.grade_prediction(wrong).unwrap().pass, "{}", ex.id);
    }
}

#[test]
fn every_break_exercise_is_solvable_and_doing_nothing_fails() {
    for ex in exercises() {
        let Kind::Break {
            solution,
            max_actions,
            ..
        } = &ex.kind
        else {
            continue;
        };
        assert!(
            !solution.is_empty(),
            "{}: a break exercise carries a sample solution",
            ex.id
        );
        assert!(solution.len() <= *max_actions, "{}", ex.id);
        let mut idle = ex.start().unwrap();
        idle.lab.run_until(idle.t + 30 * SEC);
        let g = ex.grade_break(&*idle.lab).unwrap();
        assert!(
            !g.pass,
            "{}: passes without the student doing anything: {:?}",
            ex.id, g.why
        );
        let super::exercise::Start { mut lab, t: t0, .. } = ex.start().unwrap();
        for (t, command) in solution {
            lab.run_until(t0 + t);
            let a = super::exercise::command_action(&*lab, command)
                .unwrap()
                .unwrap();
            lab.intervene(a);
        }
        lab.run_until(t0 + 30 * SEC);
        let g = ex.grade_break(&*lab).unwrap();
        assert!(g.pass, "{}: the sample solution fails: {:?}", ex.id, g.why);
    }
}

#[test]
fn every_fix_exercise_has_a_passing_and_a_failing_choice() {
    for ex in exercises() {
        let Kind::Fix { choices, .. } = &ex.kind else {
            continue;
        };
        let grades: Vec<bool> = choices
            .iter()
            .map(|c| ex.grade_fix(c).unwrap().pass)
            .collect();
        assert!(
            grades.contains(&true),
            "{}: no choice passes: {:?}",
            ex.id,
            choices
                .iter()
                .map(|c| ex.grade_fix(c).unwrap().why.en)
                .collect::<Vec<_>>()
        );
        assert!(grades.contains(&false), "{}: every choice passes", ex.id);
        assert!(ex.grade_fix("nonsense").is_err());
    }
}

#[test]
fn every_explain_exercise_offers_its_cause_and_grades_the_pick() {
    for ex in exercises() {
        let Kind::Explain { .. } = &ex.kind else {
            continue;
        };
        let offered = ex.candidates().unwrap();
        assert!(offered.len() >= 4, "{}: {offered:?}", ex.id);
        let right: Vec<_> = offered
            .iter()
            .filter(|c| ex.grade_explanation(c.msg).unwrap().pass)
            .collect();
        assert_eq!(
            right.len(),
            1,
            "{}: exactly one right message among {offered:?}",
            ex.id
        );
    }
}
