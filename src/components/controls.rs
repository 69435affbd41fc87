//! Play, pause, step, speed and the timeline with its markers.

use std::rc::Rc;

use quorum_engine::lab::Marker;
use quorum_engine::model::types::Micros;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::timeline::Timeline;
use crate::i18n::{tr, Lang, Msg};
use crate::state::{SPEED_MAX, SPEED_MIN};

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

/// Props of the transport bar.
#[derive(Properties, PartialEq, Clone)]
pub struct ControlsProps {
    /// Playing?
    pub playing: bool,
    /// Simulated seconds per real second.
    pub speed: f64,
    /// Present time.
    pub now: Micros,
    /// End of the timeline.
    pub horizon: Micros,
    /// Timeline markers.
    pub markers: Rc<Vec<Marker>>,
    /// Steps back one event.
    pub onstepback: Callback<MouseEvent>,
    /// Plays or pauses.
    pub ontoggle: Callback<MouseEvent>,
    /// Steps one event.
    pub onstep: Callback<MouseEvent>,
    /// Sets the speed.
    pub onspeed: Callback<f64>,
    /// Moves to a time.
    pub onseek: Callback<Micros>,
    /// The interface's language.
    pub lang: Lang,
}

/// The transport bar.
#[function_component(Controls)]
pub fn controls(props: &ControlsProps) -> Html {
    let playing = props.playing;
    let horizon = props.horizon.max(props.now).max(1);
    let on_speed = props.onspeed.reform(|e: InputEvent| {
        let pos = e
            .target_unchecked_into::<HtmlInputElement>()
            .value()
            .parse::<u32>()
            .map_or(0.0, f64::from);
        speed_from_slider(pos)
    });
    let lang = props.lang;
    let t = |m: Msg| tr(lang, m);
    html! {
        <div class="controls" role="toolbar" aria-label={t(Msg::Playback)}>
            <button data-testid="step-back" title={t(Msg::StepBackTitle)} aria-label={t(Msg::StepBack)}
                onclick={props.onstepback.clone()}>{ t(Msg::Back) }</button>
            <button data-testid="play-toggle" class="primary" aria-pressed={playing.to_string()}
                title={t(Msg::PlayTitle)} onclick={props.ontoggle.clone()}>
                { if playing { t(Msg::Pause) } else { t(Msg::Play) } }
            </button>
            <button data-testid="step" title={t(Msg::StepTitle)} aria-label={t(Msg::Step)}
                onclick={props.onstep.clone()}>{ t(Msg::StepButton) }</button>
            <label class="speed">
                <span>{ t(Msg::Speed) }{" "}<output>{speed_label(props.speed)}</output></span>
                <input data-testid="speed" type="range" min="0" max="1000" step="1"
                    value={(slider_from_speed(props.speed) as u32).to_string()} oninput={on_speed}
                    aria-label={t(Msg::Speed)} />
            </label>
            <Timeline markers={props.markers.clone()} now={props.now} horizon={horizon} onseek={props.onseek.clone()} {lang} />
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
