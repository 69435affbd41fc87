//! The classroom: guided tours and auto-checked exercises, both written as data files.
//!
//! A **tour** (`classroom/tours/NAME.tour`) is a list of steps. Each step has a short text in
//! English and Chinese, may load a run (a share link, or a menu scenario by name), may suggest an
//! action to the student, and may name a condition on the run: when a trace event matching it
//! happens, the tour moves on by itself. A student never clicks "Continue" to watch something
//! happen, and steps back by going back in time.
//!
//! An **exercise** (`classroom/exercises/NAME.ex`) sets up a run and asks something of the
//! student; the engine grades the answer with the same invariant checkers and metrics the rest of
//! the lab uses. Four kinds: predict what happens next, break a protocol that has a planted bug,
//! fix a setting to meet a metric target, and explain a violation by picking the message behind it.
//!
//! Both formats are line-based: `keyword rest-of-line`, `#` starts a comment, a blank line is
//! ignored, and a text has an English line (`text ...`) and a Chinese line (`text.zh ...`).
//! Conditions are patterns over trace events (`docs/trace.md`): the event's kind and the values
//! some of its fields must have, e.g. `role role=leader` or `violation invariant=ElectionSafety`.
//! `docs/classroom.md` documents the formats.

pub mod exercise;
pub mod tour;

#[cfg(test)]
mod tests;

use crate::lab::{new_lab, Lab, LabSim};
use crate::model::types::Micros;
use crate::run::link::{decode, SharedState};

/// A text in both languages of the app.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Text {
    /// English.
    pub en: String,
    /// Simplified Chinese.
    pub zh: String,
}

impl Text {
    /// A text from its two languages.
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Self {
        Text {
            en: en.into(),
            zh: zh.into(),
        }
    }

    /// The text in the language whose code is `lang` (`zh` for Chinese, anything else English).
    pub fn get(&self, lang: &str) -> &str {
        if lang == "zh" {
            &self.zh
        } else {
            &self.en
        }
    }
}

/// A condition on the run: a trace event of this kind whose fields have these values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    /// The event kind (`ev` in the trace), e.g. `role`, `apply`, `violation`, `decide`.
    pub kind: String,
    /// Field names and the values they must have (numbers as written, strings without quotes).
    pub fields: Vec<(String, String)>,
}

impl Pattern {
    /// Reads `KIND [FIELD=VALUE ...]`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut words = text.split_whitespace();
        let kind = words
            .next()
            .ok_or("a condition names a trace event kind, e.g. \"role role=leader\"")?;
        if !kind.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!("{kind:?} is not a trace event kind"));
        }
        let fields = words
            .map(|w| {
                w.split_once('=')
                    .filter(|(k, v)| !k.is_empty() && !v.is_empty())
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .ok_or_else(|| format!("{w:?} is not FIELD=VALUE"))
            })
            .collect::<Result<_, _>>()?;
        Ok(Pattern {
            kind: kind.to_string(),
            fields,
        })
    }

    /// Does this trace line (one JSON object, as `quorum run --trace` writes) match?
    pub fn matches(&self, line: &str) -> bool {
        let Ok(serde_json::Value::Object(event)) = serde_json::from_str(line) else {
            return false;
        };
        event.get("ev").and_then(|v| v.as_str()) == Some(self.kind.as_str())
            && self
                .fields
                .iter()
                .all(|(k, want)| event.get(k).is_some_and(|v| same(v, want)))
    }

    /// The value of `field` in a matching trace line, as text.
    pub fn field_of(line: &str, field: &str) -> Option<String> {
        let serde_json::Value::Object(event) = serde_json::from_str(line).ok()? else {
            return None;
        };
        event.get(field).map(|v| match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        })
    }

    /// The first trace position at or after `from` whose event matches, if any.
    pub fn find(&self, lab: &dyn crate::lab::LabSim, from: usize) -> Option<usize> {
        let lines = lab.trace_json(from, lab.trace_len());
        lines.iter().position(|l| self.matches(l)).map(|i| from + i)
    }

    /// The first matching event at or after `from`: its position, time and trace line.
    pub fn first(&self, lab: &dyn LabSim, from: usize) -> Option<(usize, Micros, String)> {
        let i = self.find(lab, from)?;
        let line = lab.trace_json(i, i + 1).pop()?;
        let t = Pattern::field_of(&line, "t")?.parse().ok()?;
        Some((i, t, line))
    }

    /// A violation of the invariant called `name`.
    pub fn violation(name: &str) -> Self {
        Pattern {
            kind: "violation".into(),
            fields: vec![("invariant".into(), name.to_string())],
        }
    }
}

/// Does a JSON value read as `want`?
fn same(v: &serde_json::Value, want: &str) -> bool {
    match v {
        serde_json::Value::String(s) => s == want,
        serde_json::Value::Bool(b) => want == if *b { "true" } else { "false" },
        serde_json::Value::Number(n) => n.to_string() == want,
        serde_json::Value::Null => want == "null",
        _ => false,
    }
}

/// A run to load: a share link's query, or a menu scenario by name (optionally at a moment other
/// than the end of its recording).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Setup {
    /// A share link (`v=1&p=raft&...`).
    Link(String),
    /// A menu scenario (`lab/catalog.rs`) at a moment (`None`: where its recording ends).
    Scenario(String, Option<Micros>),
}

impl Setup {
    /// Reads `link QUERY` or `scenario NAME [at DURATION]` (the keyword already taken).
    fn parse(keyword: &str, rest: &str) -> Result<Self, String> {
        match keyword {
            "link" => {
                decode(rest)?;
                Ok(Setup::Link(rest.to_string()))
            }
            _ => {
                let (name, at) = match rest.split_once(" at ") {
                    Some((name, at)) => (name.trim(), Some(duration(at.trim())?)),
                    None => (rest.trim(), None),
                };
                let setup = Setup::Scenario(name.to_string(), at);
                setup.link()?;
                Ok(setup)
            }
        }
    }

    /// The share link this setup loads (a scenario's recording with its moment replaced).
    pub fn link(&self) -> Result<String, String> {
        match self {
            Setup::Link(link) => Ok(link.clone()),
            Setup::Scenario(name, at) => {
                let built_in = crate::lab::catalog::find(name)
                    .ok_or_else(|| format!("there is no menu scenario called {name:?}"))?;
                let link = built_in
                    .link()
                    .ok_or_else(|| format!("the scenario {name:?} has no recording"))?;
                Ok(match at {
                    None => link.to_string(),
                    Some(t) => with_moment(link, *t),
                })
            }
        }
    }

    /// The decoded link.
    pub fn state(&self) -> Result<SharedState, String> {
        Ok(decode(&self.link()?)?)
    }

    /// A lab at this setup's moment.
    pub fn lab(&self) -> Result<(Lab, SharedState), String> {
        let state = self.state()?;
        let mut lab = new_lab(&state.config)?;
        lab.load_interventions(state.interventions.clone())?;
        lab.run_until(state.t);
        Ok((lab, state))
    }
}

/// `link` with its moment (`t=`) replaced by `t`.
fn with_moment(link: &str, t: Micros) -> String {
    let kept: Vec<&str> = link.split('&').filter(|p| !p.starts_with("t=")).collect();
    format!("{}&t={t}", kept.join("&"))
}

/// Reads a duration such as `2s`, `150ms` or `500us`, as the scenario scripts write them.
pub fn duration(s: &str) -> Result<Micros, String> {
    crate::model::types::parse_duration(s)
}

/// One line of a classroom file: its 1-based number, keyword and the rest.
struct Line<'a> {
    number: usize,
    keyword: &'a str,
    rest: &'a str,
}

/// The meaningful lines of a classroom file (comments and blank lines left out).
fn lines(text: &str) -> impl Iterator<Item = Line<'_>> {
    text.lines().enumerate().filter_map(|(i, raw)| {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            return None;
        }
        let (keyword, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        Some(Line {
            number: i + 1,
            keyword,
            rest: rest.trim(),
        })
    })
}

/// A problem in a classroom file: which file, which line, what.
fn at(file: &str, line: usize, message: impl std::fmt::Display) -> String {
    format!("{file}:{line}: {message}")
}

/// Sets the English or Chinese half of `text` from a `text`/`text.zh` line (or `title`, `ask`...).
fn set_text(text: &mut Text, keyword: &str, rest: &str) {
    if keyword.ends_with(".zh") {
        text.zh = rest.to_string();
    } else {
        text.en = rest.to_string();
    }
}

/// Checks that a text has both languages.
fn check_text(text: &Text, what: &str) -> Result<(), String> {
    match (text.en.is_empty(), text.zh.is_empty()) {
        (false, false) => Ok(()),
        (true, _) => Err(format!("{what} has no English line")),
        (_, true) => Err(format!("{what} has no Chinese line ({what}.zh)")),
    }
}
