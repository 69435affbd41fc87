//! The app's two languages, English and Simplified Chinese, switched at run time.
//!
//! Every fixed text of the interface is a [`Msg`] key in one table (`texts.rs`), written with the
//! [`text_table!`] macro whose shape takes an English and a Chinese text for every key: a key used but
//! not in the table, or a key without its translation, does not compile. [`tr`] picks a text;
//! texts with numbers or names in them have `{}` placeholders, filled in order by [`fill`].
//!
//! The engine's fixed English texts that the app shows (scenario titles and what to watch for,
//! the story tables' titles, columns and notes, option and bug descriptions) are translated by
//! [`zh_of`], checked against the engine's lists by a native test. Words that Chinese teaching
//! material keeps in English (leader, follower, candidate, Raft, Paxos, invariant names) stay
//! English; docs/glossary.md lists the terms used.

mod engine;
mod texts;
mod wrap;

pub use engine::zh_of;
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

/// An engine text in `lang`: its Chinese translation when there is one, else itself.
pub fn engine_text(lang: Lang, english: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh_of(english).unwrap_or(english),
        Lang::En => english,
    }
}

#[cfg(test)]
mod tests;
