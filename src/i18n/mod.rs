//! The app's two languages, English and Simplified Chinese, switched at run time.
//!
//! Every fixed text of the interface is a [`Msg`] key in one table (`texts.rs`), written with the
//! [`text_table!`] macro whose shape takes an English and a Chinese text for every key: a key used but
//! not in the table, or a key without its translation, does not compile. [`tr`] picks a text;
//! texts with numbers or names in them have `{}` placeholders, filled in order by [`fill`].
//!
//! The engine's fixed English texts that the app shows (scenario titles and what to watch for,
//! the story tables' titles, columns and notes, invariant, option and bug descriptions) are
//! translated by [`zh_of`], checked against the engine's lists by a native test. What the engine
//! writes at run time is a [`Text`] (a phrase key and its arguments), said in Chinese by [`say`]
//! with the phrase's Chinese template (`phrases.rs`, one `match` arm per phrase); plain strings
//! the engine wrote from its templates (violation details, inspector values, fault names) are
//! read back into a phrase by [`say_str`], and single words (role names, field names) come from
//! `words.rs`. Words that Chinese teaching material keeps in English (leader, follower,
//! candidate, Raft, Paxos, invariant and message names) stay English; docs/glossary.md lists the
//! terms used.

mod about;
mod engine;
mod phrases;
mod texts;
mod words;
mod wrap;

pub use engine::zh_of;
pub use phrases::zh_phrase;
use quorum_engine::model::text::{fill_template, Arg, Phrase, Text};
pub use texts::Msg;
pub use wrap::wrap_text;

/// A language of the interface.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English (the default).
    #[default]
    En,
    /// Simplified Chinese.
    Zh,
}

impl Lang {
    /// The code of the share link's `lang` parameter: `en` or `zh`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// The language of a link's `lang` value, or of a browser language tag (`zh-CN`, `en-US`):
    /// Chinese for any tag starting with `zh`, English for one starting with `en`.
    pub fn parse(tag: &str) -> Option<Lang> {
        let tag = tag.to_ascii_lowercase();
        if tag.starts_with("zh") {
            Some(Lang::Zh)
        } else if tag.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The `<html lang>` value: `en` or `zh-Hans`.
    pub fn html_tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-Hans",
        }
    }

    /// The other language (what the toggle switches to).
    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Zh,
            Lang::Zh => Lang::En,
        }
    }
}

/// Writes the table of interface texts: `Key => "English" | "中文",` for every key. The macro
/// matches only rows with both texts, so a missing translation fails the build.
macro_rules! text_table {
    ($($key:ident => $en:literal | $zh:literal,)*) => {
        /// Every fixed text of the interface (the variant's doc is its English text).
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Msg {
            $(#[doc = $en] $key,)*
        }

        impl Msg {
            /// Every key, in the table's order.
            #[cfg(test)]
            pub const ALL: &'static [Msg] = &[$(Msg::$key,)*];

            /// The English and the Chinese text.
            pub(super) fn pair(self) -> (&'static str, &'static str) {
                match self {
                    $(Msg::$key => ($en, $zh),)*
                }
            }
        }
    };
}
pub(crate) use text_table;

/// The text of `msg` in `lang`.
pub fn tr(lang: Lang, msg: Msg) -> &'static str {
    let (en, zh) = msg.pair();
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// The text of `msg` in `lang` with its `{}` placeholders replaced by `args`, in order.
pub fn fill(lang: Lang, msg: Msg, args: &[&str]) -> String {
    let mut out = String::new();
    let mut args = args.iter();
    for (i, part) in tr(lang, msg).split("{}").enumerate() {
        if i > 0 {
            out.push_str(args.next().copied().unwrap_or_default());
        }
        out.push_str(part);
    }
    out
}

/// An engine text written at run time, in `lang`.
pub fn say(lang: Lang, text: &Text) -> String {
    if lang == Lang::En {
        return text.to_string();
    }
    let mut out = String::new();
    let _ = fill_template(&mut out, zh_phrase(text.phrase), |f, i| {
        match text.args.get(i) {
            Some(Arg::Text(t)) => f.write_str(&say(lang, t)),
            Some(Arg::Str(s)) => f.write_str(&say_str(lang, s)),
            Some(Arg::Input(s)) => f.write_str(s),
            None => Ok(()),
        }
    });
    out
}

/// A plain string the engine wrote (a word, a number, or a sentence from one of its phrase
/// templates), in `lang`: a known word or phrase is translated, a sentence is read back into its
/// phrase ([`Text::recognize`]) and said, and anything else is kept word by word, translating
/// the words it knows (`commit t3`, `ack 4`).
pub fn say_str(lang: Lang, s: &str) -> String {
    if lang == Lang::En || !s.bytes().any(|b| b.is_ascii_alphabetic()) {
        return s.to_string();
    }
    if let Some(zh) = zh_word(s) {
        return zh.to_string();
    }
    if s.contains([' ', '/']) {
        if let Some(text) = Text::recognize(s) {
            return say(lang, &text);
        }
    }
    say_words(lang, s)
}

/// A short label (a message's on the canvas: `commit t3`, `ack 4`, `chosen?`, `[snap@4 1]`) in
/// `lang`, word by word: a word the engine's tables know is translated, even with punctuation
/// around it; the others are kept.
pub fn say_words(lang: Lang, s: &str) -> String {
    if lang == Lang::En || zh_word(s).is_some() {
        return say_str(lang, s);
    }
    let word = |w: &str| -> String {
        let letters = |c: char| c.is_ascii_alphabetic();
        let (Some(start), Some(end)) = (w.find(letters), w.rfind(letters)) else {
            return w.to_string();
        };
        match zh_word(&w[start..=end]) {
            Some(zh) => format!("{}{zh}{}", &w[..start], &w[end + 1..]),
            None => w.to_string(),
        }
    };
    s.split(' ').map(word).collect::<Vec<_>>().join(" ")
}

/// The Chinese of a single engine word or argumentless phrase, if known.
fn zh_word(s: &str) -> Option<&'static str> {
    let word = words::WORDS
        .iter()
        .find(|(en, _)| *en == s)
        .map(|(_, zh)| *zh);
    word.or_else(|| {
        Phrase::ALL
            .iter()
            .find(|p| p.en() == s && !s.contains("{}"))
            .map(|p| zh_phrase(*p))
    })
    .or_else(|| zh_of(s))
}

/// An engine text in `lang`: its Chinese translation when there is one, else itself.
pub fn engine_text(lang: Lang, english: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh_of(english).unwrap_or(english),
        Lang::En => english,
    }
}

#[cfg(test)]
mod engine_tests;
#[cfg(test)]
mod link_tests;
#[cfg(test)]
mod tests;
