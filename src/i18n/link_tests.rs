//! Why a link cannot be opened, in Chinese: malformed share and compare links, at least one for
//! each reason the engine gives, are opened in both languages; the Chinese reason has no English
//! word but the link's own text and names, and the English is exactly what it always was.

use std::collections::{BTreeSet, HashSet};

use quorum_engine::lab::compare::{is_compare_link, Comparison};
use quorum_engine::lab::{new_lab, Setup};
use quorum_engine::model::text::{Arg, Phrase, Text};
use quorum_engine::run::link;

use super::engine_tests::words;
use super::{say, Lang};
use crate::state::{LabAction, LabState};

/// The phrases of the reasons a link or its settings are refused: the section of the engine's
/// table from `NotANumber` to `BrowserLacks`.
pub(super) fn link_phrases() -> &'static [Phrase] {
    let at = |p: Phrase| Phrase::ALL.iter().position(|x| *x == p).expect("a phrase");
    &Phrase::ALL[at(Phrase::NotANumber)..=at(Phrase::BrowserLacks)]
}

/// Reasons no link the app opens can give: the decoder reads no `live` action, every protocol is
/// built and runs in the browser, the decoder refuses node counts before the lab would, only Raft
/// has numeric options (and others ignore them), and a link without `cmp=` is no compare link.
const UNREACHABLE: &[Phrase] = &[
    Phrase::CompareNoProtocols,
    Phrase::InterventionNotUser,
    Phrase::NotImplemented,
    Phrase::BrowserLacks,
    Phrase::LabNodes,
    Phrase::NeedsShadow,
    Phrase::NoNumeric,
];

/// Broken links, each with the reason's phrase it shows.
const BROKEN: &[(&str, Phrase)] = &[
    ("v=x", Phrase::FormatVersion),
    ("v=1&n=x", Phrase::NodeCount),
    ("v=1&seed=abc", Phrase::Seed),
    ("v=1&c=-1", Phrase::ClientCount),
    ("v=1&opt=snapshot-interval.x", Phrase::OptionValue),
    ("v=1&net=x-2-0-0", Phrase::MinLatency),
    ("v=1&net=1-x-0-0", Phrase::MaxLatency),
    ("v=1&net=1-2-x-0", Phrase::Loss),
    ("v=1&net=1-2-0-x", Phrase::Duplication),
    ("v=1&t=soon", Phrase::Time),
    ("v=1&iv=10.x.c1", Phrase::Step),
    ("v=1&iv=10.1.cx", Phrase::Number),
    ("v=9&n=5", Phrase::OtherVersion),
    ("p=raft&n=5", Phrase::NoVersion),
    ("v=1&wat=1", Phrase::UnknownParameter),
    ("v=1&election=1", Phrase::UnknownParameter),
    ("v=1&net=1-2-3", Phrase::NetNeedsFour),
    ("v=1&net=9-2-0-0", Phrase::NetOutOfRange),
    ("v=1&iv=garbage", Phrase::NotAtStepAction),
    ("v=1&iv=10.1.c99999999999", Phrase::NodeOutOfRange),
    ("v=1&iv=10.1.zz", Phrase::UnknownAction),
    ("v=1&iv=10.1.p1_2-2_3", Phrase::TwoGroups),
    ("v=1&iv=10.1.x1", Phrase::InterventionN),
    ("v=1&t=99999999999", Phrase::MomentTooLate),
    ("v=1&n=50", Phrase::LinkNodes),
    ("v=1&c=21", Phrase::LinkClients),
    ("v=1&iv=10.5.c1~5.1.c2", Phrase::InterventionOrder),
    ("v=1&iv=10.1.c9", Phrase::InterventionNode),
    ("v=1&p=zab", Phrase::UnknownProtocol),
    ("v=1&p=raft&opt=bogus", Phrase::UnknownOption),
    ("v=1&p=primary-backup&opt=bogus", Phrase::NoOptions),
    ("v=1&p=raft&opt=commit.3", Phrase::UnknownNumeric),
    ("v=1&p=raft&bug=nope", Phrase::UnknownBug),
    ("v=1&p=raft&opt=election-min-ms.10", Phrase::ElectionMin),
    ("v=1&p=raft&opt=election-max-ms.99999", Phrase::ElectionMax),
    ("v=1&cmp=raft&t=0", Phrase::CompareCount),
    ("v=1&cmp=raft,raft&t=0", Phrase::NamedTwice),
    ("v=1&cmp=raft,zab&t=0", Phrase::Labeled),
    (
        "v=1&cmp=raft,paxos&sch=5.D1&t=0",
        Phrase::MessageNotCompared,
    ),
    ("v=1&cmp=raft,paxos&n=3&sch=5.c9&t=0", Phrase::NoSuchNode),
    ("v=1&cmp=raft,paxos&sch=5&t=0", Phrase::NotAtAction),
    ("v=1&cmp=raft,paxos&sch=x.cL&t=0", Phrase::TimeNotNumber),
    ("v=1&cmp=raft,paxos&sch=5.zz&t=0", Phrase::ScheduleEntry),
    ("v=1&cmp=raft,paxos&opt=prevote&t=0", Phrase::CompareHasNo),
    (
        "v=1&cmp=raft,paxos&sch=99999999999.cL&t=0",
        Phrase::ScheduleTooLate,
    ),
    (
        "v=1&cmp=raft,paxos&sch=9.cL~5.cL&t=0",
        Phrase::ScheduleOrder,
    ),
    ("v=1&cmp=raft,paxos&n=40&t=0", Phrase::LinkNodes),
];

/// Why the app cannot open `query`, as the engine says it (the reducer's order: a compare link
/// is read as one, a share link is decoded and its settings built).
fn reason(query: &str) -> Text {
    if is_compare_link(query) {
        return Comparison::from_link(query).err().expect("refused");
    }
    match link::decode(query) {
        Err(e) => e,
        Ok(state) => new_lab(&state.config).err().expect("refused"),
    }
}

/// The phrases of `t`, nested ones too, and the words of what someone wrote and of the names in
/// it (its [`Arg::Input`]s), which every language keeps as they are.
fn parts(t: &Text, phrases: &mut HashSet<Phrase>, inputs: &mut BTreeSet<String>) {
    phrases.insert(t.phrase);
    for a in &t.args {
        match a {
            Arg::Input(s) => inputs.extend(words(&s.replace('"', " "))),
            Arg::Text(inner) => parts(inner, phrases, inputs),
            Arg::Str(_) => {}
        }
    }
}

/// The app's alert on opening (or pasting) `query` in `lang`.
fn alert(query: &str, lang: Lang) -> String {
    let mut state = LabState::new(Setup::default()).expect("the default lab");
    state.ui.lang = lang;
    state.apply(LabAction::LoadLink(query.to_string()));
    state.ui.alert.unwrap_or_else(|| panic!("{query} opened"))
}

/// Names the Chinese keeps: the app's, and the protocol of the compare link's example.
const NAMES: &[&str] = &["quorum", "lab", "cmp", "raft"];

#[test]
fn a_broken_link_says_why_in_chinese_with_no_english_word() {
    let mut seen = HashSet::new();
    for (query, phrase) in BROKEN {
        let text = reason(query);
        let mut shown = HashSet::new();
        let mut kept: BTreeSet<String> = NAMES.iter().map(|w| w.to_string()).collect();
        parts(&text, &mut shown, &mut kept);
        assert!(shown.contains(phrase), "{query}: {text}");
        seen.extend(shown);
        let (zh, en) = (alert(query, Lang::Zh), alert(query, Lang::En));
        assert!(zh.contains(&say(Lang::Zh, &text)), "{query}: {zh}");
        assert!(en.contains(&text.to_string()), "{query}: {en}");
        let english: Vec<String> = words(&zh)
            .into_iter()
            .filter(|w| !kept.contains(w))
            .collect();
        assert!(english.is_empty(), "{query}: {zh} has {english:?}");
    }
    for p in link_phrases() {
        if !UNREACHABLE.contains(p) {
            assert!(seen.contains(p), "no broken link shows {p:?}");
        }
    }
}

#[test]
fn a_broken_link_says_why_in_english_as_it_always_did() {
    let en = |q: &str| reason(q).to_string();
    assert_eq!(
        en("v=1&seed=abc"),
        "the link's seed \"abc\" is not a number"
    );
    assert_eq!(
        en("v=1&n=50"),
        "the link asks for 50 nodes; the lab runs 2 to 9"
    );
    assert_eq!(
        en("v=1&iv=garbage"),
        "intervention 1 of the link: \"garbage\" is not AT.STEP.ACTION"
    );
    assert_eq!(
        en("p=raft"),
        "this link has no format version (v=...): it was not made by Quorum Lab's Copy link"
    );
    assert_eq!(
        en("v=1&p=raft&bug=nope"),
        "unknown raft bug \"nope\" (known: vote-without-log-check, commit-previous-term, \
         forget-vote, keep-stale-suffix, snapshot-uncommitted, install-stale-snapshot)"
    );
    assert_eq!(
        en("v=1&cmp=raft,paxos&sch=5.D1&t=0"),
        "schedule entry 1: an action on one message cannot be compared: each run has its own \
         messages"
    );
    assert_eq!(
        alert("?v=1&n=50", Lang::En),
        "This link cannot be opened: the link asks for 50 nodes; the lab runs 2 to 9."
    );
}

#[test]
fn a_broken_link_keeps_what_it_wrote_untranslated() {
    let zh = |q: &str| say(Lang::Zh, &reason(q));
    assert_eq!(zh("v=1&election=1"), "链接中有未知参数 \"election\"");
    assert_eq!(zh("v=1&seed=abc"), "链接中的种子 \"abc\" 不是数字");
    assert_eq!(
        zh("v=1&iv=10.1.c9"),
        "链接中的第 1 个干预指定了节点 9，但只有 5 个节点"
    );
    assert_eq!(
        alert("?v=1&n=50&lang=zh", Lang::En),
        "无法打开这个链接：链接要求 50 个节点；实验室只能运行 2 到 9 个。"
    );
}
