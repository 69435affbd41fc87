//! The timeline: a slider over simulated time with markers for elections, crashes, partitions
//! and violations.

use std::rc::Rc;

use quorum_engine::lab::Marker;
use quorum_engine::model::types::{fmt_time, Micros};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::i18n::{say, tr, Lang, Msg};

/// Props of the timeline.
#[derive(Properties, PartialEq, Clone)]
pub struct TimelineProps {
    /// Markers to show.
    pub markers: Rc<Vec<Marker>>,
    /// Present time.
    pub now: Micros,
    /// End of the timeline.
    pub horizon: Micros,
    /// Moves to a time.
    pub onseek: Callback<Micros>,
    /// The interface's language.
    pub lang: Lang,
}

/// The timeline slider with its markers; clicking a marker moves there.
#[function_component(Timeline)]
pub fn timeline(props: &TimelineProps) -> Html {
    let on_input = props.onseek.reform(|e: InputEvent| {
        e.target_unchecked_into::<HtmlInputElement>()
            .value()
            .parse()
            .unwrap_or(0)
    });
    let horizon = props.horizon as f64;
    html! {
        <div class="timeline">
            <div class="markers" aria-hidden="true">
                { for props.markers.iter().map(|m| {
                    let per_mille = (m.t as f64 / horizon * 1000.0).round() as u64;
                    let left = format!("left: {}.{}%", per_mille / 10, per_mille % 10);
                    let t = m.t;
                    html! { <span class={classes!("marker", m.kind)} style={left} title={format!("{} — {}", fmt_time(m.t), say(props.lang, &m.text))}
                        onclick={props.onseek.reform(move |_: MouseEvent| t)}></span> }
                }) }
            </div>
            <input data-testid="timeline" type="range" min="0" max={props.horizon.to_string()} step="1000"
                value={props.now.to_string()} oninput={on_input} aria-label={tr(props.lang, Msg::TimelineLabel)}
                aria-valuetext={fmt_time(props.now)} />
            <output data-testid="time-display" class="time">{ format!("t = {}", fmt_time(props.now)) }</output>
        </div>
    }
}
