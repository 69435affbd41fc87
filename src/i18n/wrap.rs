//! Line breaking for canvas labels: Latin text breaks at spaces, CJK text between any two of its
//! characters (but never before closing punctuation such as `，` or `）`). Widths come from the
//! caller's `measure` (the canvas's `measureText`), so this stays a pure, natively tested function.

/// True for a character of CJK text (ideographs, kana, hangul and CJK or full-width punctuation),
/// after which or before which a line may break.
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}' | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}' | '\u{FF00}'..='\u{FFEF}' | '\u{20000}'..='\u{2FA1F}')
}

/// Punctuation that must not start a line.
fn is_closing(c: char) -> bool {
    "，。、；：？！）」』】》〉”’,.;:?!)".contains(c)
}

/// The pieces of `text` a line may break between, each with whether a space came before it.
fn pieces(text: &str) -> Vec<(bool, String)> {
    let mut out: Vec<(bool, String)> = Vec::new();
    let mut space = false;
    let mut joinable = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
            joinable = false;
            continue;
        }
        let cjk = is_cjk(c);
        match out.last_mut() {
            Some((_, last)) if !space && (is_closing(c) || (joinable && !cjk)) => last.push(c),
            _ => out.push((space, c.to_string())),
        }
        joinable = !cjk;
        space = false;
    }
    out
}

/// `text` broken into lines no wider than `max_width` where it can be (a single word wider than
/// that stays whole on its line). `measure` gives a string's width.
pub fn wrap_text(text: &str, max_width: f64, measure: impl Fn(&str) -> f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for (space, piece) in pieces(text) {
        let candidate = match (line.is_empty(), space) {
            (true, _) => piece.clone(),
            (false, true) => format!("{line} {piece}"),
            (false, false) => format!("{line}{piece}"),
        };
        if line.is_empty() || measure(&candidate) <= max_width {
            line = candidate;
        } else {
            lines.push(std::mem::replace(&mut line, piece));
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::wrap_text;

    /// A Latin character is 1 wide, a CJK one 2.
    fn width(s: &str) -> f64 {
        s.chars()
            .map(|c| if c.is_ascii() { 1.0 } else { 2.0 })
            .sum()
    }

    #[test]
    fn latin_text_breaks_at_spaces() {
        let lines = wrap_text("clients served per 100 ms", 12.0, width);
        assert_eq!(lines, ["clients", "served per", "100 ms"]);
    }

    #[test]
    fn cjk_text_breaks_between_any_two_characters_but_not_before_a_comma() {
        let lines = wrap_text("得到服务的客户端，每秒", 10.0, width);
        assert_eq!(lines, ["得到服务的", "客户端，每", "秒"]);
        let lines = wrap_text("延迟：每 100 ms 最快", 8.0, width);
        assert_eq!(lines, ["延迟：每", "100 ms", "最快"]);
    }

    #[test]
    fn a_word_wider_than_the_line_stays_whole_and_empty_text_is_one_line() {
        assert_eq!(
            wrap_text("linearizability", 5.0, width),
            ["linearizability"]
        );
        assert_eq!(wrap_text("", 5.0, width), [""]);
    }
}
