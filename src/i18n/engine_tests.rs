//! The engine's run-time texts in Chinese: every built-in scenario is run to its end and each
//! text the Chinese views show is checked for English words of the engine's tables.

use std::collections::BTreeSet;

use quorum_engine::lab::catalog::SCENARIOS;
use quorum_engine::lab::spacetime::SpaceTime;
use quorum_engine::lab::{new_lab, Lab};
use quorum_engine::metrics::Metrics;
use quorum_engine::model::text::Phrase;

use super::{about::ABOUT, engine::PAIRS, say, say_str, say_words, words::WORDS, zh_phrase, Lang};

/// The ASCII words (three letters or more) of `text`, lower-cased, leaving out identifiers (words
/// joined by `-` or `_`, such as `pre-candidate` or `last_log_index`) and quoted JSON strings:
/// the same rule as the browser test's.
pub(super) fn words(text: &str) -> Vec<String> {
    let unquoted: String = text.split('"').step_by(2).collect::<Vec<_>>().join(" ");
    unquoted
        .split(|c: char| !(c.is_ascii_alphabetic() || c == '-' || c == '_'))
        .filter(|w| !w.contains(['-', '_']) && w.len() >= 3)
        .map(str::to_ascii_lowercase)
        .collect()
}

/// The English words of the engine's texts that their Chinese does not keep. The reasons a link
/// is refused are left out: `link_tests` opens a broken link for each of them, and the browser
/// tests, which this list is for, read the views of runs that opened.
pub(super) fn engine_english_words() -> BTreeSet<String> {
    let refusals = super::link_tests::link_phrases();
    let phrases = Phrase::ALL
        .iter()
        .filter(|p| !refusals.contains(p))
        .map(|p| (p.en(), zh_phrase(*p)));
    let pairs: Vec<(&str, &str)> = phrases
        .chain(WORDS.iter().copied())
        .chain(ABOUT.iter().copied())
        .chain(PAIRS.iter().copied())
        .collect();
    let kept: BTreeSet<String> = pairs.iter().flat_map(|(_, zh)| words(zh)).collect();
    pairs
        .iter()
        .flat_map(|(en, _)| words(en))
        .filter(|w| !kept.contains(w))
        .collect()
}

/// A built-in scenario's lab at its end.
fn lab_at_end(link: &str) -> Lab {
    let state = quorum_engine::run::link::decode(link).expect("a link");
    let mut lab = new_lab(&state.config).expect("a lab");
    lab.load_interventions(state.interventions)
        .expect("interventions");
    lab.seek(state.t);
    lab
}

/// Every run-time engine text the Chinese views would show for `lab`, with its English.
fn shown(lab: &Lab) -> Vec<(String, String)> {
    let zh = Lang::Zh;
    let mut out: Vec<(String, String)> = Vec::new();
    let mut text = |t: &quorum_engine::model::text::Text| out.push((t.to_string(), say(zh, t)));
    lab.log_lines(0, usize::MAX)
        .iter()
        .for_each(|l| text(&l.text));
    lab.markers(0).iter().for_each(|m| text(&m.text));
    if let Some(story) = lab.story() {
        story.rows.iter().flatten().for_each(&mut text);
    }
    if let Some((_, _, why)) = lab.lin_witness() {
        text(&why);
    }
    let mut space = SpaceTime::new(lab.frame().nodes.len() as u32);
    lab.diagram(&mut space);
    space.marks().iter().for_each(|m| text(&m.text));
    let mut plain = |s: &str| out.push((s.to_string(), say_str(zh, s)));
    for i in lab.invariants() {
        plain(&i.describe);
        if let Some((_, detail)) = &i.violated {
            plain(detail);
        }
    }
    let frame = lab.frame();
    let mut labels = Vec::new();
    for n in &frame.nodes {
        plain(&n.role);
        for (k, v) in lab.inspect_node(n.id) {
            plain(&k);
            plain(&v);
        }
        if let Some(caption) = n.detail.as_ref().and_then(|d| d.caption.clone()) {
            plain(&caption);
        }
    }
    for m in &frame.messages {
        for (k, v) in lab.inspect_message(m.id) {
            plain(&k);
            // A message's type is its name in the papers (Promise, AppendEntries): kept.
            if k != "type" {
                plain(&v);
            }
        }
        labels.push(m.look.label.clone());
    }
    out.extend(labels.into_iter().map(|l| (l.clone(), say_words(zh, &l))));
    let mut metrics = Metrics::new();
    lab.measure(&mut metrics, 0);
    for f in metrics.report().faults {
        out.push((f.what.clone(), say_str(zh, &f.what)));
    }
    out
}

#[test]
fn every_engine_text_of_the_built_in_scenarios_is_said_in_chinese() {
    let english = engine_english_words();
    let mut left: BTreeSet<String> = BTreeSet::new();
    for s in SCENARIOS {
        let lab = lab_at_end(s.link().expect("a recorded link"));
        for (en, zh) in shown(&lab) {
            if words(&zh).iter().any(|w| english.contains(w)) {
                left.insert(format!("{en}  =>  {zh}"));
            }
        }
    }
    let left: Vec<String> = left.into_iter().collect();
    assert!(left.is_empty(), "English left:\n{}", left.join("\n"));
}

#[test]
fn chinese_phrases_have_the_english_placeholders() {
    for p in Phrase::ALL {
        let count = |s: &str| s.matches("{}").count();
        assert_eq!(count(p.en()), count(zh_phrase(*p)), "{p:?}");
    }
}

#[test]
fn sentences_are_said_in_chinese_and_english_is_unchanged() {
    let t = quorum_engine::model::text::Text::recognize("node 3 leads term 4").unwrap();
    assert_eq!(say(Lang::Zh, &t), "节点 3 领导任期 4");
    assert_eq!(say(Lang::En, &t), "node 3 leads term 4");
    assert_eq!(say_str(Lang::Zh, "n2 BLOCKED 1.2s"), "n2 阻塞 1.2s");
    assert_eq!(say_words(Lang::Zh, "commit t3"), "提交 t3");
    assert_eq!(
        say_str(Lang::Zh, "27entries/last-epoch-26"),
        "27 条条目/最后纪元 26"
    );
    assert_eq!(say_str(Lang::Zh, "AppendEntries"), "AppendEntries");
}
