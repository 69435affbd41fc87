use std::collections::BTreeSet;

use super::*;

/// The browser tests' list of English words that must not show in the Chinese interface.
const E2E_WORDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/e2e/i18n-en.json");

#[test]
fn languages_have_codes_and_parse_from_links_and_browser_tags() {
    assert_eq!(Lang::default(), Lang::En);
    assert_eq!(Lang::parse(Lang::Zh.code()), Some(Lang::Zh));
    assert_eq!(Lang::parse("zh-CN"), Some(Lang::Zh));
    assert_eq!(Lang::parse("en-US"), Some(Lang::En));
    assert_eq!(Lang::parse("fr"), None);
    assert_eq!(Lang::Zh.other(), Lang::En);
    assert_eq!(Lang::Zh.html_tag(), "zh-Hans");
}

#[test]
fn texts_come_in_both_languages_with_the_same_placeholders() {
    for msg in Msg::ALL {
        let (en, zh) = msg.pair();
        assert!(!en.is_empty() && !zh.is_empty(), "{msg:?}");
        assert_eq!(
            en.matches("{}").count(),
            zh.matches("{}").count(),
            "{msg:?}"
        );
    }
}

#[test]
fn placeholders_are_filled_in_order() {
    assert_eq!(
        fill(Lang::En, Msg::FaultAt, &["2", "1.5 s"]),
        "Fault 2 at 1.5 s"
    );
    assert_eq!(
        fill(Lang::Zh, Msg::FaultAt, &["2", "1.5 s"]),
        "故障 2，于 1.5 s"
    );
    assert_eq!(tr(Lang::Zh, Msg::Play), "▶ 播放");
    assert_eq!(engine_text(Lang::Zh, "First election"), "首次选举");
    assert_eq!(
        engine_text(Lang::Zh, "not in the table"),
        "not in the table"
    );
}

/// The English words of the app's table and of the engine's texts (phrases, words, fixed
/// sentences) that their Chinese does not keep (protocol terms such as leader, proper names such
/// as Lamport are in both and so allowed).
fn english_only_words() -> BTreeSet<String> {
    let words = |text: &'static str| {
        text.split(|c: char| !c.is_ascii_alphabetic())
            .filter(|w| w.len() >= 3)
            .map(str::to_ascii_lowercase)
            .collect::<Vec<_>>()
    };
    let kept: BTreeSet<String> = Msg::ALL.iter().flat_map(|m| words(m.pair().1)).collect();
    Msg::ALL
        .iter()
        .flat_map(|m| words(m.pair().0))
        .chain(super::engine_tests::engine_english_words())
        .filter(|w| !kept.contains(w))
        .collect()
}

#[test]
fn the_browser_tests_word_list_matches_the_table() {
    let words: Vec<String> = english_only_words().into_iter().collect();
    let json = format!("{}\n", serde_json::to_string_pretty(&words).expect("json"));
    let stored = std::fs::read_to_string(E2E_WORDS).unwrap_or_default();
    if stored != json {
        std::fs::write(E2E_WORDS, &json).expect("write the word list");
        panic!("tests/e2e/i18n-en.json was out of date and has been rewritten: commit it");
    }
}
