//! Play, pause, step, speed and the timeline with its markers.

use quorum_engine::lab::Marker;
use quorum_engine::model::types::{fmt_time, Micros};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::{send, LabProps};
use crate::state::{LabAction, SPEED_MAX, SPEED_MIN};

/// The speed slider works on a log scale: position 0..=1000 maps to SPEED_MIN..=SPEED_MAX.
fn speed_from_slider(pos: f64) -> f64 {
    let (lo, hi) = (SPEED_MIN.ln(), SPEED_MAX.ln());
    (lo + (hi - lo) * pos / 1000.0).exp()
}

fn slider_from_speed(speed: f64) -> f64 {
    let (lo, hi) = (SPEED_MIN.ln(), SPEED_MAX.ln());
    ((speed.ln() - lo) / (hi - lo) * 1000.0).round()
}

/// Speed as people read it: "1/50×", "2×", "2.5×" (integer formatting only, to keep float
/// printing out of the bundle).
pub fn speed_label(speed: f64) -> String {
    if speed >= 1.0 {
        let tenths = (speed * 10.0).round() as u64;
        match tenths % 10 {
            0 => format!("{}×", tenths / 10),
            d => format!("{}.{d}×", tenths / 10),
        }
    } else {
        format!("1/{}×", (1.0 / speed).round() as u64)
    }
}

/// The transport bar.
#[function_component(Controls)]
pub fn controls(props: &LabProps) -> Html {
    let s = &props.session;
    let playing = s.playing.get();
    let now = s.now();
    let horizon = s.horizon.get().max(now).max(1);
    let on_speed = {
        let d = props.dispatch.clone();
        Callback::from(move |e: InputEvent| {
            let v = e
                .target_unchecked_into::<HtmlInputElement>()
                .value()
                .parse::<u32>()
                .map_or(0.0, f64::from);
            d.emit(LabAction::Speed(speed_from_slider(v)));
        })
    };
    html! {
        <div class="controls" role="toolbar" aria-label="Playback">
            <button data-testid="step-back" title="Step back one event (←)" aria-label="Step back"
                onclick={send(&props.dispatch, LabAction::StepBack)}>{"◀ Back"}</button>
            <button data-testid="play-toggle" class="primary" aria-pressed={playing.to_string()}
                title="Play or pause (Space)" onclick={send(&props.dispatch, LabAction::TogglePlay)}>
                { if playing { "❚❚ Pause" } else { "▶ Play" } }
            </button>
            <button data-testid="step" title="Step one event (→)" aria-label="Step"
                onclick={send(&props.dispatch, LabAction::Step)}>{"Step ▶"}</button>
            <label class="speed">
                <span>{"Speed "}<output>{speed_label(s.speed.get())}</output></span>
                <input data-testid="speed" type="range" min="0" max="1000" step="1"
                    value={(slider_from_speed(s.speed.get()) as u32).to_string()} oninput={on_speed}
                    aria-label="Speed" />
            </label>
            <Timeline markers={s.markers()} dispatch={props.dispatch.clone()} now={now} horizon={horizon} />
        </div>
    }
}

/// Props of the timeline.
#[derive(Properties, PartialEq, Clone)]
pub struct TimelineProps {
    /// Markers to show.
    pub markers: Vec<Marker>,
    /// Dispatcher.
    pub dispatch: Callback<LabAction>,
    /// Present time.
    pub now: Micros,
    /// End of the timeline.
    pub horizon: Micros,
}

/// The timeline slider with markers for elections, crashes, partitions and violations.
#[function_component(Timeline)]
fn timeline(props: &TimelineProps) -> Html {
    let on_seek = {
        let d = props.dispatch.clone();
        Callback::from(move |e: InputEvent| {
            let v: Micros = e
                .target_unchecked_into::<HtmlInputElement>()
                .value()
                .parse()
                .unwrap_or(0);
            d.emit(LabAction::Seek(v));
        })
    };
    let markers = &props.markers;
    let horizon = props.horizon as f64;
    html! {
        <div class="timeline">
            <div class="markers" aria-hidden="true">
                { for markers.iter().map(|m| {
                    let per_mille = (m.t as f64 / horizon * 1000.0).round() as u64;
                    let left = format!("left: {}.{}%", per_mille / 10, per_mille % 10);
                    let d = props.dispatch.clone();
                    let t = m.t;
                    html! { <span class={classes!("marker", m.kind)} style={left} title={format!("{} — {}", fmt_time(m.t), m.text)}
                        onclick={Callback::from(move |_| d.emit(LabAction::Seek(t)))}></span> }
                }) }
            </div>
            <input data-testid="timeline" type="range" min="0" max={props.horizon.to_string()} step="1000"
                value={props.now.to_string()} oninput={on_seek} aria-label="Timeline: simulated time"
                aria-valuetext={fmt_time(props.now)} />
            <output data-testid="time-display" class="time">{ format!("t = {}", fmt_time(props.now)) }</output>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_speed_slider_is_logarithmic_and_round_trips() {
        assert!((speed_from_slider(0.0) - SPEED_MIN).abs() < 1e-9);
        assert!((speed_from_slider(1000.0) - SPEED_MAX).abs() < 1e-6);
        for s in [0.001, 0.02, 1.0, 10.0] {
            let back = speed_from_slider(slider_from_speed(s));
            assert!((back - s).abs() / s < 0.02, "{s} -> {back}");
        }
        assert_eq!(speed_label(0.02), "1/50×");
        assert_eq!(speed_label(2.0), "2×");
    }
}
