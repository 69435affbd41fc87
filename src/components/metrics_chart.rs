//! The metrics chart's canvas (the animation loop draws it); a click moves the timeline to the
//! fault marker or the time under the pointer.

use std::rc::Rc;

use quorum_engine::model::types::Micros;
use yew::prelude::*;

use super::lab_canvas::local_point;
use crate::anim::Drawn;
use crate::i18n::{tr, Lang, Msg};

/// Props of the metrics chart.
#[derive(Properties, PartialEq, Clone)]
pub struct MetricsChartProps {
    /// The canvas element, for the animation loop.
    pub chart: NodeRef,
    /// The canvases as last drawn (where a click goes).
    pub drawn: Rc<Drawn>,
    /// Moves the timeline to a time.
    pub onseek: Callback<Micros>,
    /// The interface's language.
    pub lang: Lang,
}

/// The chart of availability and latency over time.
#[function_component(MetricsChart)]
pub fn metrics_chart(props: &MetricsChartProps) -> Html {
    let onclick = {
        let (canvas, drawn, onseek) = (
            props.chart.clone(),
            props.drawn.clone(),
            props.onseek.clone(),
        );
        Callback::from(move |e: MouseEvent| {
            if let Some(t) = local_point(&e, &canvas).and_then(|(x, y)| drawn.chart_hit(x, y)) {
                onseek.emit(t);
            }
        })
    };
    let t = |m: Msg| tr(props.lang, m);
    html! {
        <div class="metrics-chart">
            <canvas ref={props.chart.clone()} data-testid="metrics-chart" {onclick} role="img"
                aria-label={t(Msg::ChartLabel)} />
            <p class="legend muted">
                <span class="key served" aria-hidden="true"></span>{ t(Msg::ClientsServedKey) }
                <span class="key latency" aria-hidden="true"></span>{ t(Msg::LatencyRangeKey) }
                <span class="key fault" aria-hidden="true"></span>{ t(Msg::FaultKey) }
            </p>
        </div>
    }
}
