//! What the recovery machinery did, as a table: the failover timeline (primary-backup), the
//! transactions and their in-doubt windows (2PC), the try blocks of each input (recovery blocks),
//! the checkpoints and recoveries of each node (Raft). Built by the engine from the trace so far.

use std::rc::Rc;

use quorum_engine::lab::story::Story;
use yew::prelude::*;

use crate::i18n::{engine_text, say, tr, Lang, Msg};

/// Props of the story panel.
#[derive(Properties, PartialEq, Clone)]
pub struct StoryProps {
    /// The table, for protocols that have one.
    pub story: Option<Rc<Story>>,
    /// Shown under the table (Raft's snapshot-interval controls).
    #[prop_or_default]
    pub children: Html,
    /// The interface's language.
    pub lang: Lang,
}

/// The story panel; shows nothing for protocols without one.
#[function_component(StoryPanel)]
pub fn story_panel(props: &StoryProps) -> Html {
    let Some(story) = &props.story else {
        return html! {};
    };
    let lang = props.lang;
    html! {
        <section class="panel story" data-testid="story" aria-labelledby="story-title">
            <h2 id="story-title">{ engine_text(lang, story.title) }</h2>
            if story.rows.is_empty() {
                <p class="muted">{ tr(lang, Msg::StoryEmpty) }</p>
            } else {
                <table>
                    <thead><tr>{ for story.columns.iter().map(|c| html! { <th scope="col">{ engine_text(lang, c) }</th> }) }</tr></thead>
                    <tbody>
                        { for story.rows.iter().map(|row| html! {
                            <tr>{ for row.iter().map(|cell| html! {
                                <td class={classes!(cell.to_string().contains("BLOCKED").then_some("alarm"))}>{ say(lang, cell) }</td>
                            }) }</tr>
                        }) }
                    </tbody>
                </table>
            }
            <p class="legend muted">{ engine_text(lang, story.note) }</p>
            { props.children.clone() }
        </section>
    }
}
