//! The "Embed" dialog: an iframe snippet reproducing the current state.

use yew::prelude::*;

use crate::i18n::{tr, Lang, Msg};

/// Props of the embed dialog.
#[derive(Properties, PartialEq, Clone)]
pub struct EmbedProps {
    /// The page's address without query (origin and path).
    pub base: String,
    /// The share link's query string.
    pub link: String,
    /// Copies text to the clipboard.
    pub oncopy: Callback<String>,
    /// Closes the dialog.
    pub onclose: Callback<MouseEvent>,
    /// The interface's language.
    pub lang: Lang,
}

/// The iframe snippet for a state.
pub fn snippet(base: &str, link: &str) -> String {
    format!(
        "<iframe src=\"{base}?embed=1&{link}\" width=\"800\" height=\"500\" title=\"Quorum Lab\" loading=\"lazy\" style=\"border:0\"></iframe>"
    )
}

/// The embed dialog.
#[function_component(EmbedDialog)]
pub fn embed_dialog(props: &EmbedProps) -> Html {
    let code = snippet(&props.base, &props.link);
    let copy = {
        let code = code.clone();
        props.oncopy.reform(move |_: MouseEvent| code.clone())
    };
    let t = |m: Msg| tr(props.lang, m);
    html! {
        <div class="overlay" data-testid="embed-dialog" role="dialog" aria-modal="true" aria-labelledby="embed-title">
            <div class="dialog">
                <h2 id="embed-title">{ t(Msg::EmbedTitle) }</h2>
                <p>{ t(Msg::EmbedIntro) }</p>
                <textarea data-testid="embed-snippet" readonly=true rows="4" value={code} />
                <div class="row">
                    <button class="primary" onclick={copy}>{ t(Msg::CopySnippet) }</button>
                    <button onclick={props.onclose.clone()}>{ t(Msg::Close) }</button>
                </div>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_snippet_embeds_the_link_in_an_800_by_500_frame() {
        let s = super::snippet("https://lab.example/", "v=1&seed=3");
        assert!(s.contains("src=\"https://lab.example/?embed=1&v=1&seed=3\""));
        assert!(s.contains("width=\"800\"") && s.contains("height=\"500\""));
    }
}
