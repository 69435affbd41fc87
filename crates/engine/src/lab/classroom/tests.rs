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

/// Every exercise file in the folder, read from disk and parsed, listed or not: the grading tests
/// below play them all, so a new file is checked before it is listed.
fn on_disk() -> Vec<super::exercise::Exercise> {
    folder("exercises", ".ex")
        .iter()
        .map(|name| {
            let path = format!(
                "{}/classroom/exercises/{name}.ex",
                env!("CARGO_MANIFEST_DIR")
            );
            let text = std::fs::read_to_string(path).expect("an exercise file");
            parse_exercise(name, &text).unwrap_or_else(|e| panic!("{e}"))
        })
        .collect()
}

#[test]
fn every_file_in_the_folders_is_listed() {
    assert_eq!(folder("tours", ".tour"), sorted(TOUR_FILES));
    let listed = sorted(EXERCISE_FILES);
    let missing: Vec<String> = folder("exercises", ".ex")
        .into_iter()
        .filter(|n| !listed.contains(n))
        .map(|n| {
            format!(
                "    (\n        \"{n}\",\n        include_str!(\"../../../classroom/exercises/{n}.ex\"),\n    ),"
            )
        })
        .collect();
    assert!(
        missing.is_empty(),
        "exercise files not in EXERCISE_FILES (exercise.rs); add:\n{}",
        missing.join("\n")
    );
    assert_eq!(folder("exercises", ".ex"), listed);
}

#[test]
fn every_protocol_has_a_tour_and_an_exercise() {
    let (tours, exercises) = (tours(), exercises());
    for p in crate::lab::lab_protocols() {
        assert!(tours.iter().any(|t| t.protocol == p), "no tour for {p}");
        assert!(
            exercises.iter().any(|e| e.protocol == p),
            "no exercise for {p}"
        );
    }
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
    for ex in on_disk() {
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
    for ex in on_disk() {
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
    for ex in on_disk() {
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
    for ex in on_disk() {
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

/// Does `actions` (times from `t0`) on `lab`.
fn act(lab: &mut Lab, t0: Micros, actions: &[(Micros, String)]) {
    for (t, command) in actions {
        lab.run_until(t0 + t);
        let a = super::exercise::command_action(&**lab, command)
            .unwrap()
            .unwrap();
        lab.intervene(a);
    }
}

/// Does `actions` (times from `t0`) on `lab`, then runs it 30 s past `t0`.
fn play(lab: &mut Lab, t0: Micros, actions: &[(Micros, String)]) {
    act(lab, t0, actions);
    lab.run_until(t0 + 30 * SEC);
}

/// The break exercises of Multi-Paxos, recovery blocks and primary-backup: the sample solution
/// passes; every shorter attempt (its first actions only, down to none) fails; and the same
/// actions on the same run without the planted bug never break the invariant, so it is the bug
/// the student exposes.
#[test]
fn the_multi_paxos_recovery_block_and_primary_backup_exercises_need_the_whole_solution_and_the_bug()
{
    let cases = [
        ("mpaxos-break-skip-recovery", "skip-recovery"),
        ("rb-break-swap-without-new-epoch", "swap-without-new-epoch"),
        ("pb-break-no-fencing", "no-fencing"),
    ];
    let all = on_disk();
    for (id, bug) in cases {
        let ex = all.iter().find(|e| e.id == id).expect(id);
        let Kind::Break {
            solution,
            invariant,
            ..
        } = &ex.kind
        else {
            panic!("{id} is a break exercise");
        };
        for k in 0..=solution.len() {
            let super::exercise::Start { mut lab, t: t0, .. } = ex.start().unwrap();
            play(&mut lab, t0, &solution[..k]);
            let g = ex.grade_break(&*lab).unwrap();
            assert_eq!(
                g.pass,
                k == solution.len(),
                "{id} with the first {k} actions of its solution: {:?}",
                g.why.en
            );
        }
        let Setup::Link(query) = &ex.setup else {
            panic!("{id} starts from a link");
        };
        let fixed = query.replace(&format!("&bug={bug}"), "");
        assert_ne!(&fixed, query, "{id}'s link switches on {bug}");
        let (mut lab, state) = Setup::Link(fixed).lab().unwrap();
        act(&mut lab, state.t, &ex.before);
        let t0 = lab.now();
        play(&mut lab, t0, solution);
        assert!(
            Pattern::violation(invariant).first(&*lab, 0).is_none(),
            "{id}: {invariant} fails without the bug"
        );
    }
}

/// Every text of the tours and exercises (on disk, listed or not): (file, English, Chinese).
fn all_texts() -> Vec<(String, String, String)> {
    let mut texts = Vec::new();
    for t in tours() {
        texts.push((t.id.clone(), t.title.en.clone(), t.title.zh.clone()));
        for s in &t.steps {
            texts.push((t.id.clone(), s.text.en.clone(), s.text.zh.clone()));
        }
    }
    for e in on_disk() {
        texts.push((e.id.clone(), e.title.en.clone(), e.title.zh.clone()));
        texts.push((e.id, e.text.en, e.text.zh));
    }
    texts
}

/// The Chinese of every tour and exercise keeps no English word the Chinese interface translates
/// (tests/e2e/i18n-en.json, generated from the app's tables: `proposer`, `epoch`, `ballot` ...),
/// by the browser test's rule: identifiers joined by `-` or `_` (bugs, options) and commands
/// (`put(1,7)`) are names and stay. It also refuses the Chinese terms the glossary replaced.
#[test]
fn chinese_texts_use_the_interface_and_glossary_terms() {
    let path = format!(
        "{}/../../tests/e2e/i18n-en.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let list: Vec<String> =
        serde_json::from_str(&std::fs::read_to_string(path).expect("i18n-en.json")).unwrap();
    let english: std::collections::BTreeSet<String> = list.into_iter().collect();
    let not_glossary = [
        ("故障切换", "故障转移"),
        ("接受测试", "验收测试"),
        ("提升了", "晋升"),
        ("软件缺陷", "软件故障"),
        ("竞争的", "决斗的"),
    ];
    let mut found = Vec::new();
    for (file, _, zh) in all_texts() {
        let prose: String = zh
            .split_whitespace()
            .filter(|w| !w.contains(['-', '_', '(']))
            .collect::<Vec<_>>()
            .join(" ");
        for w in prose.split(|c: char| !c.is_ascii_alphabetic()) {
            if w.len() >= 3 && english.contains(&w.to_ascii_lowercase()) {
                found.push(format!("{file}: {w:?} in {zh:?}"));
            }
        }
        for (wrong, right) in not_glossary {
            if zh.contains(wrong) {
                found.push(format!("{file}: {wrong} (glossary: {right}) in {zh:?}"));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// A menu scenario a tour or exercise names in English is named by its menu title.
#[test]
fn menu_scenarios_are_named_by_their_titles() {
    let titles: Vec<&str> = crate::lab::catalog::SCENARIOS
        .iter()
        .map(|s| s.title)
        .collect();
    for (file, en, _) in all_texts() {
        for part in en.split("menu scenario \"").skip(1) {
            let name = part.split('"').next().unwrap();
            assert!(
                titles.contains(&name),
                "{file}: no menu scenario is called {name:?}"
            );
        }
    }
}
