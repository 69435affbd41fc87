//! Exercises graded by the engine: predict, break it, fix it, explain.
//!
//! The grader is the lab itself: a prediction is compared with what the run does next (a fresh
//! run of the same setup, so the answer cannot depend on what the student did), a broken protocol
//! passes when its invariant checker reports the violation, a fix passes when the run's metrics
//! meet the target, and an explanation passes when the picked message is the one the exercise's
//! cause pattern names.

use super::{at, check_text, lines, set_text, Pattern, Setup, Text};
use crate::lab::{Lab, LabSim};
use crate::metrics::Metrics;
use crate::model::text::{quoted, text, Arg, Text as Said};
use crate::model::types::{fmt_time, Micros, MsgId};
use crate::run::scenario::{parse_command, Step};
use crate::run::setup::Setup as Settings;
use crate::sim::action::Action;
use crate::sim::timeline::Intervention;

/// Every exercise file (`classroom/exercises/`; a test checks the folder and this list agree).
pub const EXERCISE_FILES: &[(&str, &str)] = &[
    (
        "raft-predict-leader",
        include_str!("../../../classroom/exercises/raft-predict-leader.ex"),
    ),
    (
        "raft-predict-commit",
        include_str!("../../../classroom/exercises/raft-predict-commit.ex"),
    ),
    (
        "twopc-predict-decision",
        include_str!("../../../classroom/exercises/twopc-predict-decision.ex"),
    ),
    (
        "pb-predict-primary",
        include_str!("../../../classroom/exercises/pb-predict-primary.ex"),
    ),
    (
        "raft-break-forget-vote",
        include_str!("../../../classroom/exercises/raft-break-forget-vote.ex"),
    ),
    (
        "paxos-break-accept-below-promise",
        include_str!("../../../classroom/exercises/paxos-break-accept-below-promise.ex"),
    ),
    (
        "twopc-break-volatile-prepare",
        include_str!("../../../classroom/exercises/twopc-break-volatile-prepare.ex"),
    ),
    (
        "pb-break-no-fencing",
        include_str!("../../../classroom/exercises/pb-break-no-fencing.ex"),
    ),
    (
        "mpaxos-break-skip-recovery",
        include_str!("../../../classroom/exercises/mpaxos-break-skip-recovery.ex"),
    ),
    (
        "rb-break-swap-without-new-epoch",
        include_str!("../../../classroom/exercises/rb-break-swap-without-new-epoch.ex"),
    ),
    (
        "raft-fix-election-timeout",
        include_str!("../../../classroom/exercises/raft-fix-election-timeout.ex"),
    ),
    (
        "paxos-fix-duel",
        include_str!("../../../classroom/exercises/paxos-fix-duel.ex"),
    ),
    (
        "twopc-fix-blocking",
        include_str!("../../../classroom/exercises/twopc-fix-blocking.ex"),
    ),
    (
        "raft-explain-double-vote",
        include_str!("../../../classroom/exercises/raft-explain-double-vote.ex"),
    ),
    (
        "twopc-explain-commit-despite-no",
        include_str!("../../../classroom/exercises/twopc-explain-commit-despite-no.ex"),
    ),
];

/// The student actions an exercise may allow (`allow ...`); the app hides the others.
pub const ACTIONS: &[&str] = &[
    "crash",
    "restart",
    "partition",
    "heal",
    "request",
    "timeout",
    "message",
    "network",
    "settings",
];

/// The panels an exercise may hide (`hide ...`).
pub const PANELS: &[&str] = &[
    "invariants",
    "inspector",
    "log",
    "metrics",
    "diagram",
    "history",
    "story",
];

/// An exercise.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exercise {
    /// Stable name, used in links (`ex=NAME`) and result records: the file name without `.ex`.
    pub id: String,
    /// The protocol.
    pub protocol: String,
    /// Title.
    pub title: Text,
    /// The task, as the student reads it.
    pub text: Text,
    /// The run the exercise starts from.
    pub setup: Setup,
    /// Actions done to that run before the student takes over, at times from the setup's
    /// moment (`before 0ms crash leader`); the exercise begins after the last of them.
    pub before: Vec<(Micros, String)>,
    /// What kind, with what the grader needs.
    pub kind: Kind,
    /// Actions the student may take (from [`ACTIONS`]; empty: none, only watching and time).
    pub allow: Vec<String>,
    /// Panels hidden during the exercise (from [`PANELS`]).
    pub hide: Vec<String>,
}

/// The four kinds of exercise.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Predict what happens next: the value of `field` in the first event matching `event`
    /// within `within` of the setup's moment (without a field: "yes" if such an event happens,
    /// "no" if not).
    Predict {
        /// The event that settles the question.
        event: Pattern,
        /// The field whose value is the answer.
        field: Option<String>,
        /// How long the run is watched.
        within: Micros,
        /// The answers offered.
        choices: Vec<String>,
    },
    /// With a planted bug on, make the named invariant fail within `max_actions` interventions
    /// and `within` of simulated time.
    Break {
        /// The invariant to violate.
        invariant: String,
        /// At most this many interventions.
        max_actions: usize,
        /// Within this much simulated time from the setup's moment.
        within: Micros,
        /// A sample solution (actions at times from the setup's moment); the tests check it.
        solution: Vec<(Micros, String)>,
    },
    /// Choose a setting so that a metric target holds over a fixed schedule of faults.
    Fix {
        /// The option to choose (a value option, or a flag with choices `on`/`off`).
        option: String,
        /// The values offered.
        choices: Vec<String>,
        /// The fault schedule, at times from the setup's moment.
        schedule: Vec<(Micros, String)>,
        /// The length of each run.
        within: Micros,
        /// The seeds it must hold for (empty: the setup's seed).
        seeds: Vec<u64>,
        /// The target.
        target: Target,
    },
    /// Pick the message behind the violation of `invariant`: the last message sent before it that
    /// matches `cause`.
    Explain {
        /// The violated invariant.
        invariant: String,
        /// A pattern of `send` events naming the causing message.
        cause: Pattern,
    },
}

/// A metric target of a fix-it exercise.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// Clients go unserved at most this long in total.
    Unavailable(Micros),
    /// Every fault is recovered from (clients served again) within this long.
    Recovery(Micros),
    /// An event matching the pattern happens within this long of the setup's moment.
    First(Pattern, Micros),
}

/// A grade.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grade {
    /// Passed.
    pub pass: bool,
    /// Why, in words the student reads.
    pub why: Text,
}

impl Grade {
    fn new(pass: bool, en: String, zh: String) -> Self {
        Grade {
            pass,
            why: Text::new(en, zh),
        }
    }
}

/// A message a student can pick in an explain exercise.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// The message.
    pub msg: MsgId,
    /// When it was sent.
    pub t: Micros,
    /// Its type, sender, receiver and a few fields.
    pub text: String,
}

/// Every exercise, parsed.
pub fn exercises() -> Vec<Exercise> {
    EXERCISE_FILES
        .iter()
        .map(|(id, text)| parse_exercise(id, text).unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

/// The exercise called `id`.
pub fn find_exercise(id: &str) -> Option<Exercise> {
    let (id, text) = EXERCISE_FILES.iter().find(|(name, _)| *name == id)?;
    parse_exercise(id, text).ok()
}

/// The fields of an exercise file before they are put together.
#[derive(Default)]
struct Draft {
    protocol: String,
    kind: String,
    title: Text,
    text: Text,
    setup: Option<Setup>,
    allow: Vec<String>,
    hide: Vec<String>,
    event: Option<Pattern>,
    field: Option<String>,
    within: Option<Micros>,
    choices: Vec<String>,
    invariant: Option<String>,
    max_actions: Option<usize>,
    timed: Vec<(Micros, String)>,
    before: Vec<(Micros, String)>,
    option: Option<String>,
    seeds: Vec<u64>,
    target: Option<Target>,
}

/// Reads an exercise file.
pub fn parse_exercise(id: &str, text: &str) -> Result<Exercise, String> {
    let file = format!("{id}.ex");
    let mut draft = Draft::default();
    for line in lines(text) {
        read_line(&mut draft, line.keyword, line.rest).map_err(|m| at(&file, line.number, m))?;
    }
    let exercise = finish(id, draft).map_err(|m| at(&file, 1, m))?;
    check(&exercise).map_err(|m| at(&file, 1, m))?;
    Ok(exercise)
}

fn words(rest: &str) -> Vec<String> {
    rest.split_whitespace().map(str::to_string).collect()
}

fn read_line(d: &mut Draft, keyword: &str, rest: &str) -> Result<(), String> {
    match keyword {
        "protocol" => d.protocol = rest.to_string(),
        "kind" => d.kind = rest.to_string(),
        "title" | "title.zh" => set_text(&mut d.title, keyword, rest),
        "text" | "text.zh" => set_text(&mut d.text, keyword, rest),
        "link" | "scenario" => d.setup = Some(Setup::parse(keyword, rest)?),
        "allow" => d.allow = words(rest),
        "hide" => d.hide = words(rest),
        "answer" | "cause" => d.event = Some(Pattern::parse(rest)?),
        "field" => d.field = Some(rest.to_string()),
        "within" => d.within = Some(super::duration(rest)?),
        "choices" => d.choices = words(rest),
        "invariant" => d.invariant = Some(rest.to_string()),
        "max-actions" => d.max_actions = Some(rest.parse().map_err(|_| "max-actions is a count")?),
        "at" => d.timed.push(timed(rest)?),
        "before" => d.before.push(timed(rest)?),
        "choose" => {
            let mut w = words(rest);
            if w.len() < 3 {
                return Err("choose OPTION VALUE VALUE ... (at least two values)".into());
            }
            d.option = Some(w.remove(0));
            d.choices = w;
        }
        "seeds" => {
            d.seeds = rest
                .split_whitespace()
                .map(|s| s.parse().map_err(|_| format!("{s:?} is not a seed")))
                .collect::<Result<_, String>>()?;
        }
        "target" => d.target = Some(parse_target(rest)?),
        _ => return Err(format!("{keyword:?} is not an exercise keyword")),
    }
    Ok(())
}

/// Reads `DURATION COMMAND` (an action at a time from the setup's moment).
fn timed(rest: &str) -> Result<(Micros, String), String> {
    let (t, command) = rest
        .split_once(char::is_whitespace)
        .ok_or("at DURATION COMMAND, e.g. \"at 1s crash leader\"")?;
    Ok((super::duration(t)?, command.trim().to_string()))
}

fn parse_target(rest: &str) -> Result<Target, String> {
    let w: Vec<&str> = rest.split_whitespace().collect();
    match w.as_slice() {
        ["unavailable", "<=", d] => Ok(Target::Unavailable(super::duration(d)?)),
        ["recovery", "<=", d] => Ok(Target::Recovery(super::duration(d)?)),
        ["first", pattern @ .., "<=", d] => Ok(Target::First(
            Pattern::parse(&pattern.join(" "))?,
            super::duration(d)?,
        )),
        _ => Err("target unavailable <= D | recovery <= D | first EVENT [F=V ...] <= D".into()),
    }
}

fn need<T>(v: Option<T>, what: &str) -> Result<T, String> {
    v.ok_or_else(|| format!("this kind of exercise needs a {what} line"))
}

fn finish(id: &str, d: Draft) -> Result<Exercise, String> {
    let kind = match d.kind.as_str() {
        "predict" => Kind::Predict {
            event: need(d.event, "answer")?,
            field: d.field,
            within: need(d.within, "within")?,
            choices: d.choices,
        },
        "break" => Kind::Break {
            invariant: need(d.invariant, "invariant")?,
            max_actions: need(d.max_actions, "max-actions")?,
            within: need(d.within, "within")?,
            solution: d.timed,
        },
        "fix" => Kind::Fix {
            option: need(d.option, "choose")?,
            choices: d.choices,
            schedule: d.timed,
            within: need(d.within, "within")?,
            seeds: d.seeds,
            target: need(d.target, "target")?,
        },
        "explain" => Kind::Explain {
            invariant: need(d.invariant, "invariant")?,
            cause: need(d.event, "cause")?,
        },
        other => return Err(format!("kind {other:?}: predict, break, fix or explain")),
    };
    Ok(Exercise {
        id: id.to_string(),
        protocol: d.protocol,
        title: d.title,
        text: d.text,
        setup: need(d.setup, "link or scenario")?,
        before: d.before,
        kind,
        allow: d.allow,
        hide: d.hide,
    })
}

fn check(ex: &Exercise) -> Result<(), String> {
    check_text(&ex.title, "title")?;
    check_text(&ex.text, "text")?;
    let state = ex.setup.state()?;
    if state.config.protocol != ex.protocol {
        return Err(format!(
            "the setup runs {}, not {}",
            state.config.protocol, ex.protocol
        ));
    }
    if let Some(a) = ex.allow.iter().find(|a| !ACTIONS.contains(&a.as_str())) {
        return Err(format!("allow {a:?}: one of {}", ACTIONS.join(", ")));
    }
    if let Some(p) = ex.hide.iter().find(|p| !PANELS.contains(&p.as_str())) {
        return Err(format!("hide {p:?}: one of {}", PANELS.join(", ")));
    }
    let commands = match &ex.kind {
        Kind::Break { solution, .. } => solution.as_slice(),
        Kind::Fix { schedule, .. } => schedule.as_slice(),
        _ => &[],
    };
    for (_, c) in commands.iter().chain(&ex.before) {
        parse_command(c, state.config.nodes)?;
    }
    match &ex.kind {
        Kind::Predict { choices, .. } | Kind::Fix { choices, .. } if choices.len() < 2 => {
            Err("at least two choices".into())
        }
        _ => Ok(()),
    }
}

/// The action a command means in `lab` now (`crash leader` aims at whoever leads; `None` when
/// it aims at the leader and nobody leads).
pub fn command_action(lab: &dyn LabSim, command: &str) -> Result<Option<Action>, String> {
    let nodes = lab.frame().nodes.len() as u32;
    Ok(match parse_command(command, nodes)? {
        Step::Act(a) => Some(a),
        Step::OnLeader(on) => lab.leader().map(|n| on.on(n)),
        _ => None,
    })
}

/// Runs `lab` to `t`, doing each of `actions` (times absolute) when its time comes.
fn run_with(lab: &mut Lab, actions: &[(Micros, String)], t: Micros) -> Result<(), String> {
    for (at, command) in actions {
        lab.run_until(*at);
        if let Some(a) = command_action(&**lab, command)? {
            lab.intervene(a);
        }
    }
    lab.run_until(t);
    Ok(())
}

/// Actions at times from `t0`, made absolute.
fn from(t0: Micros, actions: &[(Micros, String)]) -> Vec<(Micros, String)> {
    actions.iter().map(|(t, c)| (t0 + t, c.clone())).collect()
}

/// Why an exercise's own run cannot be set up (a problem in its file, which the tests rule out).
fn unset(e: impl Into<String>) -> Said {
    text!(ExerciseSetup, Arg::Input(e.into()))
}

/// A grader asked about another kind of exercise (`kind` as the files write it).
fn not_kind(kind: &str) -> Said {
    text!(NotKindExercise, Arg::Input(kind.to_string()))
}

/// Does `lab` descend from `start`: the same trace up to the start's moment, and the start's
/// interventions first?
fn descends(lab: &dyn LabSim, start: &Start) -> bool {
    let n = start.lab.trace_len();
    lab.interventions().starts_with(&start.lab.interventions())
        && lab.trace_len() >= n
        && lab.trace_json(0, n) == start.lab.trace_json(0, n)
}

/// The grade of a run that does not descend from the exercise's start.
fn not_from_start() -> Grade {
    Grade::new(
        false,
        "This is not a run of the exercise: it does not start from the exercise's start. Open the exercise again and break it from there.".into(),
        "这不是本练习的运行：它不是从练习的起点开始的。重新打开练习，从起点开始破坏它。".into(),
    )
}

/// The grade of a run whose settings differ from the exercise's.
fn other_settings() -> Grade {
    Grade::new(
        false,
        "This is not a run of the exercise: its settings differ from the exercise's. Open the exercise again and break it with its own settings.".into(),
        "这不是本练习的运行：它的设置与练习不同。重新打开练习，用练习自己的设置来破坏它。".into(),
    )
}

/// The grade of a run holding `n` interventions that came with the link it was opened from.
fn not_yours(n: usize) -> Grade {
    Grade::new(
        false,
        format!("{n} interventions of this run came with the link it was opened from; only the ones you make count. Open the exercise again and make them yourself."),
        format!("这次运行中有 {n} 次干预是随打开它的链接一起来的；只有你自己做的干预才算数。重新打开练习，自己来做。"),
    )
}

/// A student's run of a break-it exercise, as the app hands it to the grader.
pub struct Attempt<'a> {
    /// The run.
    pub lab: &'a dyn LabSim,
    /// Its settings.
    pub config: &'a Settings,
    /// The interventions the run held when the exercise was opened on it: those beyond the
    /// exercise's start came with a link, and are not the student's.
    pub given: &'a [Intervention],
}

/// An exercise's run at the moment the student takes over.
pub struct Start {
    /// The run.
    pub lab: Lab,
    /// Its moment.
    pub t: Micros,
    /// Interventions already made by the setup (not the student's).
    pub made: usize,
}

impl Exercise {
    /// The run at the moment the student takes over: the setup, and the actions done before.
    pub fn start(&self) -> Result<Start, Said> {
        let (mut lab, state) = self.setup.lab().map_err(unset)?;
        run_with(&mut lab, &from(state.t, &self.before), 0).map_err(unset)?;
        let t = lab.now();
        Ok(Start {
            made: lab.interventions().len(),
            lab,
            t,
        })
    }

    /// The share link of the moment the student takes over (what the app loads).
    pub fn link(&self) -> Result<String, Said> {
        let Start { lab, t, .. } = self.start()?;
        let mut state = self.setup.state().map_err(unset)?;
        state.interventions = lab.interventions();
        state.t = t;
        state.scenario = None;
        Ok(crate::run::link::encode(&state))
    }

    /// What the run does, for a predict exercise: the right answer.
    pub fn truth(&self) -> Result<String, Said> {
        let Kind::Predict {
            event,
            field,
            within,
            ..
        } = &self.kind
        else {
            return Err(not_kind("predict"));
        };
        let Start { mut lab, t, .. } = self.start()?;
        let from = lab.trace_len();
        lab.run_until(t + within);
        let hit = event.first(&*lab, from).map(|(_, _, line)| line);
        Ok(match (field, hit) {
            (None, hit) => if hit.is_some() { "yes" } else { "no" }.to_string(),
            (Some(f), Some(line)) => Pattern::field_of(&line, f).unwrap_or_default(),
            (Some(_), None) => "none".to_string(),
        })
    }

    /// Grades a prediction.
    pub fn grade_prediction(&self, choice: &str) -> Result<Grade, Said> {
        let truth = self.truth()?;
        Ok(if choice == truth {
            Grade::new(true, format!("Right: {truth}."), format!("正确：{truth}。"))
        } else {
            Grade::new(
                false,
                format!("Not {choice}: the run says {truth}. Play it to see why."),
                format!("不是 {choice}：运行的结果是 {truth}。播放看看为什么。"),
            )
        })
    }

    /// Grades a student's run of a break-it exercise as the app hands it over: the run must have
    /// this exercise's settings exactly (protocol, nodes, seed, clients, network, options, bugs),
    /// and only the interventions the student made count (not those that came with a link the
    /// exercise was opened from); then [`Exercise::grade_break`] grades it.
    pub fn grade_attempt(&self, attempt: &Attempt) -> Result<Grade, Said> {
        let state = self.setup.state().map_err(unset)?;
        if *attempt.config != state.config {
            return Ok(other_settings());
        }
        let made = self.start()?.made;
        let ivs = attempt.lab.interventions();
        let kept = ivs.iter().zip(attempt.given).take_while(|(a, b)| a == b);
        match kept.count().saturating_sub(made) {
            0 => self.grade_break(attempt.lab),
            n => Ok(not_yours(n)),
        }
    }

    /// Grades a run of a break-it exercise. `lab` must descend from the exercise's start: the
    /// same trace up to the moment the student took over and the start's own interventions
    /// first, which are not counted. The run's settings are not checked here (a lab does not
    /// tell them): outside the crate, [`Exercise::grade_attempt`] is the grader.
    pub(crate) fn grade_break(&self, lab: &dyn LabSim) -> Result<Grade, Said> {
        let Kind::Break {
            invariant,
            max_actions,
            within,
            ..
        } = &self.kind
        else {
            return Err(not_kind("break-it"));
        };
        let start = self.start()?;
        if !descends(lab, &start) {
            return Ok(not_from_start());
        }
        let Start { t: t0, made, .. } = start;
        let used = lab.interventions().len().saturating_sub(made);
        let violation = Pattern::violation(invariant);
        let found = violation.first(lab, 0).map(|(_, t, _)| t);
        Ok(match found {
            _ if used > *max_actions => Grade::new(
                false,
                format!("{used} interventions; the exercise allows {max_actions}. Go back in time and try with fewer."),
                format!("用了 {used} 次干预，本题最多允许 {max_actions} 次。回到过去，用更少的干预再试。"),
            ),
            Some(t) if t <= t0 + within => Grade::new(
                true,
                format!("{invariant} failed at {} with {used} interventions.", fmt_time(t)),
                format!("{invariant} 在 {} 被违反，用了 {used} 次干预。", fmt_time(t)),
            ),
            Some(t) => Grade::new(
                false,
                format!("{invariant} failed at {}, later than the {} allowed.", fmt_time(t), fmt_time(t0 + within)),
                format!("{invariant} 在 {} 才被违反，晚于允许的 {}。", fmt_time(t), fmt_time(t0 + within)),
            ),
            None => Grade::new(
                false,
                format!("{invariant} has not failed yet."),
                format!("{invariant} 还没有被违反。"),
            ),
        })
    }

    /// Grades a fix-it choice: runs the schedule with the option set to `value` on every seed.
    pub fn grade_fix(&self, value: &str) -> Result<Grade, Said> {
        let Kind::Fix {
            option,
            choices,
            seeds,
            ..
        } = &self.kind
        else {
            return Err(not_kind("fix-it"));
        };
        if !choices.iter().any(|c| c == value) {
            return Err(text!(NotAChoice, quoted(value)));
        }
        let state = self.setup.state().map_err(unset)?;
        let seeds = if seeds.is_empty() {
            vec![state.config.seed]
        } else {
            seeds.clone()
        };
        for seed in seeds {
            let (met, en, zh) = self.fix_run(option, value, seed)?;
            if !met {
                return Ok(Grade::new(
                    false,
                    format!("{option}={value}, seed {seed}: {en}"),
                    format!("{option}={value}，种子 {seed}：{zh}"),
                ));
            }
        }
        Ok(Grade::new(
            true,
            format!("{option}={value} meets the target on every seed."),
            format!("{option}={value} 在每个种子上都达到了目标。"),
        ))
    }

    /// One run of a fix-it exercise: whether the target was met, and the measured figure.
    fn fix_run(
        &self,
        option: &str,
        value: &str,
        seed: u64,
    ) -> Result<(bool, String, String), Said> {
        let Kind::Fix {
            schedule,
            within,
            target,
            ..
        } = &self.kind
        else {
            unreachable!("fix_run is called for fix-it exercises");
        };
        let mut state = self.setup.state().map_err(unset)?;
        state.config.seed = seed;
        set_option(&mut state.config.options, option, value)?;
        let mut lab = crate::lab::new_lab(&state.config)?;
        lab.load_interventions(state.interventions.clone())
            .map_err(unset)?;
        lab.run_until(state.t);
        run_with(&mut lab, &from(state.t, &self.before), 0).map_err(unset)?;
        let (t0, start) = (lab.now(), lab.trace_len());
        run_with(&mut lab, &from(t0, schedule), t0 + within).map_err(unset)?;
        Ok(measure(&*lab, start, t0, target))
    }

    /// The messages offered in an explain exercise: protocol messages sent shortly before the
    /// violation, the most recent last, with the cause among them.
    pub fn candidates(&self) -> Result<Vec<Candidate>, Said> {
        let (lab, cause, end) = self.explain_run()?;
        let lines = lab.trace_json(0, end);
        let mut sends: Vec<Candidate> = lines
            .iter()
            .filter(|l| l.contains("\"ev\":\"send\""))
            .filter_map(|l| candidate(l))
            .collect();
        let keep = sends.len().saturating_sub(CANDIDATES);
        let mut offered = sends.split_off(keep);
        if !offered.iter().any(|c| c.msg == cause.msg) {
            offered.remove(0);
            offered.insert(0, cause);
        }
        Ok(offered)
    }

    /// Grades a picked message.
    pub fn grade_explanation(&self, msg: MsgId) -> Result<Grade, Said> {
        let (_, cause, _) = self.explain_run()?;
        Ok(if msg == cause.msg {
            Grade::new(
                true,
                format!("Right: {}.", cause.text),
                format!("正确：{}。", cause.text),
            )
        } else {
            Grade::new(
                false,
                format!("Not message {msg}. Follow the arrows back from the violation."),
                format!("不是消息 {msg}。从违反处沿着箭头往回找。"),
            )
        })
    }

    /// The explain exercise's run up to its violation, the causing message, and the trace
    /// position of the violation.
    fn explain_run(&self) -> Result<(Lab, Candidate, usize), Said> {
        let Kind::Explain { invariant, cause } = &self.kind else {
            return Err(not_kind("explain"));
        };
        let Start { lab, .. } = self.start()?;
        let violation = Pattern::violation(invariant);
        let end = violation
            .find(&*lab, 0)
            .ok_or_else(|| text!(NeverViolates, Arg::Input(invariant.clone())))?;
        let lines = lab.trace_json(0, end);
        let cause = lines
            .iter()
            .rev()
            .filter(|l| cause.matches(l))
            .find_map(|l| candidate(l))
            .ok_or(text!(NoCauseMessage))?;
        Ok((lab, cause, end))
    }
}

/// How many messages an explain exercise offers.
pub const CANDIDATES: usize = 8;

/// A sent message as a candidate (`None` for other lines).
fn candidate(line: &str) -> Option<Candidate> {
    let get = |f: &str| Pattern::field_of(line, f);
    let (from, to) = (get("from")?, get("to")?);
    if from.starts_with('c') || to.starts_with('c') {
        return None;
    }
    let msg = get("msg")?.parse().ok()?;
    let t = get("t")?.parse().ok()?;
    let extra: Vec<String> = [
        "term", "ballot", "granted", "success", "txn", "vote", "outcome", "epoch",
    ]
    .iter()
    .filter_map(|f| get(f).filter(|v| v != "null").map(|v| format!("{f}={v}")))
    .collect();
    let text = format!("{} n{} → n{} {}", get("type")?, from, to, extra.join(" "));
    Some(Candidate {
        msg,
        t,
        text: text.trim_end().to_string(),
    })
}

/// Sets `option` to `value` (`on`/`off` for a flag).
fn set_option(
    options: &mut crate::sim::protocol::ProtocolOptions,
    option: &str,
    value: &str,
) -> Result<(), Said> {
    match value {
        "on" | "off" => options.flags.push((option.to_string(), value == "on")),
        v => options.values.push((
            option.to_string(),
            v.parse().map_err(|_| text!(ValueNotNumber, quoted(v)))?,
        )),
    }
    Ok(())
}

/// Whether `lab`'s run from trace position `from` (the setup's moment `t0`) meets `target`, with
/// the measured figure in words.
fn measure(lab: &dyn LabSim, from: usize, t0: Micros, target: &Target) -> (bool, String, String) {
    let mut metrics = Metrics::new();
    lab.measure(&mut metrics, 0);
    match target {
        Target::Unavailable(max) => {
            let u = metrics.unserved();
            (
                u <= *max,
                format!(
                    "clients unserved for {} (target {}).",
                    fmt_time(u),
                    fmt_time(*max)
                ),
                format!(
                    "客户端有 {} 未被服务（目标 {}）。",
                    fmt_time(u),
                    fmt_time(*max)
                ),
            )
        }
        Target::Recovery(max) => {
            let worst = metrics
                .faults()
                .iter()
                .map(|f| f.served.map_or(Micros::MAX, |s| s.saturating_sub(f.at)))
                .max()
                .unwrap_or(0);
            let said = if worst == Micros::MAX {
                "never".to_string()
            } else {
                fmt_time(worst)
            };
            (
                worst <= *max,
                format!(
                    "the slowest recovery took {said} (target {}).",
                    fmt_time(*max)
                ),
                format!("最慢的一次恢复用了 {said}（目标 {}）。", fmt_time(*max)),
            )
        }
        Target::First(p, max) => {
            let t = p.first(lab, from).map(|(_, t, _)| t.saturating_sub(t0));
            match t {
                Some(t) => (
                    t <= *max,
                    format!(
                        "the first {} came after {} (target {}).",
                        p.kind,
                        fmt_time(t),
                        fmt_time(*max)
                    ),
                    format!(
                        "第一个 {} 出现在 {} 之后（目标 {}）。",
                        p.kind,
                        fmt_time(t),
                        fmt_time(*max)
                    ),
                ),
                None => (
                    false,
                    format!("no {} happened (target {}).", p.kind, fmt_time(*max)),
                    format!("没有出现 {}（目标 {}）。", p.kind, fmt_time(*max)),
                ),
            }
        }
    }
}

#[cfg(test)]
mod guard_tests {
    //! A break-it exercise is graded on the student's own run from its start, and the grader's
    //! refusals are phrases the app can say in Chinese.

    use super::*;
    use crate::lab::catalog;
    use crate::model::text::Phrase;
    use crate::model::types::SEC;
    use crate::run::link::decode;

    /// A menu scenario's run at `t`, with its settings and interventions.
    fn scenario_run(name: &str, t: Micros) -> (Lab, Settings, Vec<Intervention>) {
        let state = decode(catalog::find(name).unwrap().link().unwrap()).unwrap();
        let mut lab = crate::lab::new_lab(&state.config).unwrap();
        lab.load_interventions(state.interventions.clone()).unwrap();
        lab.run_until(t);
        (lab, state.config, state.interventions)
    }

    #[test]
    fn the_menu_scenario_that_solves_a_break_exercise_does_not_pass_it() {
        let ex = find_exercise("raft-break-forget-vote").unwrap();
        let (lab, config, given) = scenario_run("bug_forget_vote", 10 * SEC);
        let attempt = Attempt {
            lab: &*lab,
            config: &config,
            given: &given,
        };
        let g = ex.grade_attempt(&attempt).unwrap();
        assert!(!g.pass, "{:?}", g.why);
        assert!(g.why.en.contains("came with the link"), "{:?}", g.why);
    }

    #[test]
    fn a_run_with_other_settings_does_not_pass_a_break_exercise() {
        let ex = find_exercise("twopc-break-volatile-prepare").unwrap();
        let (lab, mut config, _) = scenario_run("twopc_bug_volatile_prepare", 5 * SEC);
        let given = ex.start().unwrap().lab.interventions();
        config.clients = 1;
        let attempt = Attempt {
            lab: &*lab,
            config: &config,
            given: &given,
        };
        assert!(!ex.grade_attempt(&attempt).unwrap().pass);
    }

    #[test]
    fn a_run_of_another_seed_does_not_pass_a_break_exercise() {
        let ex = find_exercise("paxos-break-accept-below-promise").unwrap();
        let link = "v=1&p=paxos&n=3&seed=7&c=0&bug=accept-below-promise&net=10000-10000-0-0\
                    &iv=0.0.q1_put_1_1~15000.1.q2_put_1_2&t=0";
        let state = decode(link).unwrap();
        let mut lab = crate::lab::new_lab(&state.config).unwrap();
        lab.load_interventions(state.interventions).unwrap();
        lab.run_until(2 * SEC);
        let attempt = Attempt {
            lab: &*lab,
            config: &state.config,
            given: &[],
        };
        let g = ex.grade_attempt(&attempt).unwrap();
        assert!(!g.pass, "{:?}", g.why);
    }

    #[test]
    fn the_students_own_solution_passes_through_grade_attempt() {
        let ex = find_exercise("twopc-break-volatile-prepare").unwrap();
        let Start { mut lab, t, .. } = ex.start().unwrap();
        let given = lab.interventions();
        let Kind::Break { solution, .. } = &ex.kind else {
            unreachable!()
        };
        run_with(&mut lab, &from(t, solution), t + 5 * SEC).unwrap();
        let config = ex.setup.state().unwrap().config;
        let attempt = Attempt {
            lab: &*lab,
            config: &config,
            given: &given,
        };
        let g = ex.grade_attempt(&attempt).unwrap();
        assert!(g.pass, "{:?}", g.why);
    }

    #[test]
    fn the_graders_refusals_are_phrases() {
        let fix = find_exercise("raft-fix-election-timeout").unwrap();
        let e = fix.grade_fix("nonsense").unwrap_err();
        assert_eq!(e.phrase, Phrase::NotAChoice);
        let e = fix.grade_break(&*fix.start().unwrap().lab).unwrap_err();
        assert_eq!(e.phrase, Phrase::NotKindExercise);
        assert_eq!(fix.truth().unwrap_err().phrase, Phrase::NotKindExercise);
    }
}
