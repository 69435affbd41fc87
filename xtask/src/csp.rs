//! A strict Content-Security-Policy for the built site: after Trunk has written `dist/`, every
//! inline script of every page moves into a file of its own (named by a hash of its content), and
//! each page gets a policy that allows scripts only from the site itself, WebAssembly compilation,
//! and nothing evaluated from strings.

use std::fs;
use std::path::Path;

/// The policy every page carries. `'wasm-unsafe-eval'` lets the page compile its WebAssembly and
/// nothing else (no `eval`, no `new Function`); styles may be inline because the app sets style
/// attributes; frames only from the site (the embedding example frames the app).
pub const POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; frame-src 'self'; \
object-src 'none'; base-uri 'none'; form-action 'none'";

/// Applies the policy to every `.html` file directly in `dist`.
pub fn harden(dist: &Path) -> Result<(), String> {
    let pages = fs::read_dir(dist).map_err(|e| format!("cannot read {}: {e}", dist.display()))?;
    for entry in pages.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|x| x == "html") {
            harden_page(dist, &path)?;
        }
    }
    Ok(())
}

fn harden_page(dist: &Path, page: &Path) -> Result<(), String> {
    let html =
        fs::read_to_string(page).map_err(|e| format!("cannot read {}: {e}", page.display()))?;
    let stem = page.file_stem().and_then(|s| s.to_str()).unwrap_or("page");
    let (html, scripts) = externalize(&html, stem);
    for (name, body) in scripts {
        fs::write(dist.join(&name), body).map_err(|e| format!("cannot write {name}: {e}"))?;
    }
    let html = with_policy(&html)?;
    fs::write(page, html).map_err(|e| format!("cannot write {}: {e}", page.display()))
}

/// The page with each inline script replaced by a `src` reference, and the files to write.
pub fn externalize(html: &str, stem: &str) -> (String, Vec<(String, String)>) {
    let mut out = String::with_capacity(html.len());
    let mut files = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find("<script") {
        let Some(tag_end) = rest[open..].find('>').map(|i| open + i) else {
            break;
        };
        let Some(close) = rest[tag_end..].find("</script>").map(|i| tag_end + i) else {
            break;
        };
        let tag = &rest[open..tag_end];
        let body = &rest[tag_end + 1..close];
        out.push_str(&rest[..open]);
        if tag.contains("src=") || body.trim().is_empty() {
            out.push_str(&rest[open..close]);
        } else {
            let name = format!("{stem}-{:016x}.js", fnv(body));
            out.push_str(&format!("{tag} src=./{name}>"));
            files.push((name, body.to_string()));
        }
        out.push_str("</script>");
        rest = &rest[close + "</script>".len()..];
    }
    out.push_str(rest);
    (out, files)
}

/// The page with the policy at the start of its head (just after `<head>`, or after the charset
/// of a minified page that leaves `<head>` out), before any script.
pub fn with_policy(html: &str) -> Result<String, String> {
    let head = match html.find("<head>") {
        Some(i) => i + "<head>".len(),
        None => {
            let charset = html
                .find("<meta charset")
                .ok_or("a page without <head> or charset")?;
            charset + html[charset..].find('>').ok_or("an unclosed <meta>")? + 1
        }
    };
    let meta = format!("<meta http-equiv=Content-Security-Policy content=\"{POLICY}\">");
    Ok(format!("{}{meta}{}", &html[..head], &html[head..]))
}

/// FNV-1a, enough to give each script file a name that changes with its content.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_move_to_files_and_referenced_ones_stay() {
        let page = "<html><head><script type=module>import x from '/a.js';</script>\
                    <script src=/b.js></script></head><body><script>go()</script></body></html>";
        let (html, files) = externalize(page, "index");
        assert_eq!(files.len(), 2);
        assert_eq!(files[0].1, "import x from '/a.js';");
        assert!(files[0].0.starts_with("index-") && files[0].0.ends_with(".js"));
        assert!(html.contains(&format!(
            "<script type=module src=./{}></script>",
            files[0].0
        )));
        assert!(html.contains("<script src=/b.js></script>"));
        assert!(!html.contains("go()"), "{html}");
    }

    #[test]
    fn the_policy_comes_first_in_the_head_and_forbids_eval() {
        let html = with_policy("<html><head><title>t</title></head></html>").unwrap();
        assert!(html.starts_with("<html><head><meta http-equiv=Content-Security-Policy"));
        assert!(POLICY.contains("script-src 'self' 'wasm-unsafe-eval';"));
        assert!(
            !POLICY.contains("'unsafe-eval'")
                && !POLICY.contains("script-src 'self' 'unsafe-inline'")
        );
        assert!(with_policy("<p>no head</p>").is_err());
        let minified =
            with_policy("<!doctype html><html lang=en><meta charset=utf-8><script>").unwrap();
        assert!(minified.starts_with("<!doctype html><html lang=en><meta charset=utf-8><meta http-equiv=Content-Security-Policy"));
    }
}
