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
use crate::model::types::{fmt_time, Micros, MsgId};
use crate::run::scenario::{parse_command, Step};
use crate::sim::action::Action;

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
    pub fn start(&self) -> Result<Start, String> {
        let (mut lab, state) = self.setup.lab()?;
        run_with(&mut lab, &from(state.t, &self.before), 0)?;
        let t = lab.now();
        Ok(Start {
            made: lab.interventions().len(),
            lab,
            t,
        })
    }

    /// The share link of the moment the student takes over (what the app loads).
    pub fn link(&self) -> Result<String, String> {
        let Start { lab, t, .. } = self.start()?;
        let mut state = self.setup.state()?;
        state.interventions = lab.interventions();
        state.t = t;
        state.scenario = None;
        Ok(crate::run::link::encode(&state))
    }

    /// What the run does, for a predict exercise: the right answer.
    pub fn truth(&self) -> Result<String, String> {
        let Kind::Predict {
            event,
            field,
            within,
            ..
        } = &self.kind
        else {
            return Err("not a predict exercise".into());
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
    pub fn grade_prediction(&self, choice: &str) -> Result<Grade, String> {
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

    /// Grades a student's run of a break-it exercise: `lab` is the run, which started from this
    /// exercise's setup (whose own interventions are not counted).
    pub fn grade_break(&self, lab: &dyn LabSim) -> Result<Grade, String> {
        let Kind::Break {
            invariant,
            max_actions,
            within,
            ..
        } = &self.kind
        else {
            return Err("not a break-it exercise".into());
        };
        let Start { t: t0, made, .. } = self.start()?;
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
    pub fn grade_fix(&self, value: &str) -> Result<Grade, String> {
        let Kind::Fix {
            option,
            choices,
            seeds,
            ..
        } = &self.kind
        else {
            return Err("not a fix-it exercise".into());
        };
        if !choices.iter().any(|c| c == value) {
            return Err(format!("{value:?} is not one of the choices"));
        }
        let state = self.setup.state()?;
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
    ) -> Result<(bool, String, String), String> {
        let Kind::Fix {
            schedule,
            within,
            target,
            ..
        } = &self.kind
        else {
            unreachable!("fix_run is called for fix-it exercises");
        };
        let mut state = self.setup.state()?;
        state.config.seed = seed;
        set_option(&mut state.config.options, option, value)?;
        let mut lab = crate::lab::new_lab(&state.config)?;
        lab.load_interventions(state.interventions.clone())?;
        lab.run_until(state.t);
        run_with(&mut lab, &from(state.t, &self.before), 0)?;
        let (t0, start) = (lab.now(), lab.trace_len());
        run_with(&mut lab, &from(t0, schedule), t0 + within)?;
        Ok(measure(&*lab, start, t0, target))
    }

    /// The messages offered in an explain exercise: protocol messages sent shortly before the
    /// violation, the most recent last, with the cause among them.
    pub fn candidates(&self) -> Result<Vec<Candidate>, String> {
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
    pub fn grade_explanation(&self, msg: MsgId) -> Result<Grade, String> {
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
    fn explain_run(&self) -> Result<(Lab, Candidate, usize), String> {
        let Kind::Explain { invariant, cause } = &self.kind else {
            return Err("not an explain exercise".into());
        };
        let Start { lab, .. } = self.start()?;
        let violation = Pattern::violation(invariant);
        let end = violation
            .find(&*lab, 0)
            .ok_or_else(|| format!("the setup never violates {invariant}"))?;
        let lines = lab.trace_json(0, end);
        let cause = lines
            .iter()
            .rev()
            .filter(|l| cause.matches(l))
            .find_map(|l| candidate(l))
            .ok_or("no message before the violation matches the cause")?;
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
) -> Result<(), String> {
    match value {
        "on" | "off" => options.flags.push((option.to_string(), value == "on")),
        v => options.values.push((
            option.to_string(),
            v.parse().map_err(|_| format!("{v:?} is not a number"))?,
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
