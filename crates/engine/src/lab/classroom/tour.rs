//! Guided tours: steps of text that load runs, suggest actions and move on by themselves when
//! something happens in the run.

use super::{at, check_text, lines, set_text, Pattern, Setup, Text};
use crate::lab::LabSim;
use crate::model::types::Micros;

/// Every tour file, in teaching order (`classroom/tours/`; a test checks the folder and this list
/// agree).
pub const TOUR_FILES: &[(&str, &str)] = &[
    (
        "raft-election",
        include_str!("../../../classroom/tours/raft-election.tour"),
    ),
    (
        "raft-replication",
        include_str!("../../../classroom/tours/raft-replication.tour"),
    ),
    (
        "paxos-duel",
        include_str!("../../../classroom/tours/paxos-duel.tour"),
    ),
    (
        "multi-paxos",
        include_str!("../../../classroom/tours/multi-paxos.tour"),
    ),
    (
        "primary-backup",
        include_str!("../../../classroom/tours/primary-backup.tour"),
    ),
    (
        "twopc-blocking",
        include_str!("../../../classroom/tours/twopc-blocking.tour"),
    ),
    (
        "checkpoints",
        include_str!("../../../classroom/tours/checkpoints.tour"),
    ),
    (
        "recovery-blocks",
        include_str!("../../../classroom/tours/recovery-blocks.tour"),
    ),
];

/// A guided tour.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tour {
    /// Stable name, used in links (`tour=NAME`): the file name without `.tour`.
    pub id: String,
    /// The protocol it is about (menus group by it).
    pub protocol: String,
    /// Title.
    pub title: Text,
    /// The steps, in order.
    pub steps: Vec<TourStep>,
}

/// One step of a tour.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TourStep {
    /// What to read.
    pub text: Text,
    /// A run to load when the step begins (`None`: go on with the run as it is).
    pub setup: Option<Setup>,
    /// An action suggested to the student, in the scripts' words (`crash leader`); the app offers
    /// a button that does it.
    pub suggest: Option<String>,
    /// What moves the tour on by itself (`None`: the student moves on).
    pub until: Option<Until>,
}

/// What ends a step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Until {
    /// A trace event like this happens after the step began.
    Event(Pattern),
    /// This much simulated time passes after the step began.
    After(Micros),
}

/// Every tour, parsed.
pub fn tours() -> Vec<Tour> {
    TOUR_FILES
        .iter()
        .map(|(id, text)| parse_tour(id, text).unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

/// The tour called `id`.
pub fn find_tour(id: &str) -> Option<Tour> {
    let (id, text) = TOUR_FILES.iter().find(|(name, _)| *name == id)?;
    parse_tour(id, text).ok()
}

/// Reads a tour file.
pub fn parse_tour(id: &str, text: &str) -> Result<Tour, String> {
    let file = format!("{id}.tour");
    let mut tour = Tour {
        id: id.to_string(),
        protocol: String::new(),
        title: Text::default(),
        steps: Vec::new(),
    };
    for line in lines(text) {
        let problem = |m: String| at(&file, line.number, m);
        match (line.keyword, tour.steps.last_mut()) {
            ("protocol", _) => tour.protocol = line.rest.to_string(),
            ("title" | "title.zh", _) => set_text(&mut tour.title, line.keyword, line.rest),
            ("step", _) => tour.steps.push(TourStep::default()),
            (_, None) => return Err(problem(format!("{:?} before the first step", line.keyword))),
            (keyword, Some(step)) => read_step_line(step, keyword, line.rest).map_err(problem)?,
        }
    }
    check_tour(&tour).map_err(|m| at(&file, 1, m))?;
    Ok(tour)
}

fn read_step_line(step: &mut TourStep, keyword: &str, rest: &str) -> Result<(), String> {
    match keyword {
        "text" | "text.zh" => set_text(&mut step.text, keyword, rest),
        "link" | "scenario" => step.setup = Some(Setup::parse(keyword, rest)?),
        "do" => step.suggest = Some(rest.to_string()),
        "until" => step.until = Some(parse_until(rest)?),
        _ => {
            return Err(format!(
                "{keyword:?} is not a tour keyword (text, link, scenario, do, until)"
            ))
        }
    }
    Ok(())
}

fn parse_until(rest: &str) -> Result<Until, String> {
    match rest.strip_prefix("after ") {
        Some(d) => Ok(Until::After(super::duration(d.trim())?)),
        None => Ok(Until::Event(Pattern::parse(rest)?)),
    }
}

fn check_tour(tour: &Tour) -> Result<(), String> {
    check_text(&tour.title, "title")?;
    if crate::run::runner::check_protocol(&tour.protocol).is_err() {
        return Err(format!(
            "protocol {:?} is not one this build runs",
            tour.protocol
        ));
    }
    let Some(first) = tour.steps.first() else {
        return Err("a tour has at least one step".into());
    };
    if first.setup.is_none() {
        return Err("the first step loads a run (link or scenario)".into());
    }
    for (i, step) in tour.steps.iter().enumerate() {
        check_text(&step.text, &format!("step {} text", i + 1))?;
    }
    Ok(())
}

/// Where a student is in a tour: the step, and where in the run each step began (for going
/// back, and for matching only what happens after a step began).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TourProgress {
    /// The step shown (0-based).
    pub step: usize,
    /// For each step reached: the trace position and time at which it began.
    pub began: Vec<(usize, Micros)>,
    /// How far the current step's condition has been looked for without a match, and the run's
    /// time then: the next look starts there, so a frame reads only the events it added (a run
    /// whose time went back since, by a seek or a change of the past, is read again from the
    /// step's beginning).
    scanned: (usize, Micros),
}

impl TourProgress {
    /// At the first step, which began at `lab`'s present.
    pub fn start(lab: &dyn LabSim) -> Self {
        let now = (lab.trace_len(), lab.now());
        TourProgress {
            step: 0,
            began: vec![now],
            scanned: now,
        }
    }

    /// Has the current step's condition happened in `lab`? (A step without one never ends by
    /// itself; a step whose condition happened before a seek back is not ended by it.)
    pub fn done(&mut self, tour: &Tour, lab: &dyn LabSim) -> bool {
        self.reached(tour, lab).is_some()
    }

    /// Where the current step's condition happened: the trace position and time just after it.
    fn reached(&mut self, tour: &Tour, lab: &dyn LabSim) -> Option<(usize, Micros)> {
        let step = tour.steps.get(self.step)?;
        let (from, t0) = self.began[self.step];
        let (len, now) = (lab.trace_len(), lab.now());
        match step.until.as_ref()? {
            Until::After(d) => (now >= t0.saturating_add(*d)).then_some((len, now)),
            Until::Event(p) => {
                if from > len {
                    return None;
                }
                let (seen, seen_at) = self.scanned;
                let start = if now < seen_at {
                    from
                } else {
                    seen.clamp(from, len)
                };
                let hit = p.first(lab, start).map(|(i, t, _)| (i + 1, t));
                if hit.is_none() {
                    self.scanned = (len, now);
                }
                hit
            }
        }
    }

    /// The trace position up to which the current step's condition has been looked for.
    pub fn scanned(&self) -> usize {
        self.scanned.0
    }

    /// Moves to the next step. It begins just after the event that ended this step, so what
    /// happens right after that event (in the same frame) counts for the next step; a step that
    /// loads a run begins at that run's present (the caller loads it first). False at the last
    /// step.
    pub fn advance(&mut self, tour: &Tour, lab: &dyn LabSim) -> bool {
        if self.step + 1 >= tour.steps.len() {
            return false;
        }
        let loads = tour.steps[self.step + 1].setup.is_some();
        let begin = match self.reached(tour, lab) {
            Some(at) if !loads => at,
            _ => (lab.trace_len(), lab.now()),
        };
        self.step += 1;
        self.began.truncate(self.step);
        self.began.push(begin);
        self.scanned = begin;
        true
    }

    /// Moves back one step. Returns what the caller does to get there: load a run again (when
    /// the step left had loaded another one: the run of the latest earlier step that loads one)
    /// and seek to the moment the step began. `None` at the first step.
    pub fn back(&mut self, tour: &Tour) -> Option<(Option<Setup>, Micros)> {
        if self.step == 0 {
            return None;
        }
        let left = self.step;
        self.step -= 1;
        self.began.truncate(self.step + 1);
        self.scanned = self.began[self.step];
        let reload = tour.steps[left].setup.as_ref().and_then(|_| {
            tour.steps[..=self.step]
                .iter()
                .rev()
                .find_map(|s| s.setup.clone())
        });
        Some((reload, self.began[self.step].1))
    }
}
