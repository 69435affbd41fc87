//! Each fault's recovery as a stacked bar, on one scale for all faults: detection, election (or
//! failover), catch-up, then the wait until a client was served, with the durations in columns.

use quorum_engine::metrics::FaultReport;
use quorum_engine::model::types::{fmt_time, Micros};
use yew::prelude::*;

use crate::i18n::{say_str, tr, Lang, Msg};
use crate::numbers::duration;

/// A part of a recovery.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// From the fault to the first node leaving its steady role.
    Detection,
    /// Until a node leads.
    Election,
    /// Until the first commit after that.
    CatchUp,
    /// Until a client operation sent after the fault completed.
    Served,
    /// Still going on: clients not served yet.
    Waiting,
}

impl Phase {
    /// The CSS class of its colour.
    fn class(self) -> &'static str {
        match self {
            Phase::Detection => "detect",
            Phase::Election => "elect",
            Phase::CatchUp => "catch-up",
            Phase::Served => "serve",
            Phase::Waiting => "waiting",
        }
    }

    /// How people call it.
    fn name(self, lang: Lang) -> &'static str {
        tr(
            lang,
            match self {
                Phase::Detection => Msg::Detection,
                Phase::Election => Msg::ElectionFailover,
                Phase::CatchUp => Msg::CatchUp,
                Phase::Served => Msg::WaitingUntilServed,
                Phase::Waiting => Msg::NotServedYet,
            },
        )
    }
}

/// The parts of `f`'s recovery as far as `now`, in order; a part that did not happen is left
/// out (a follower's crash is only a wait until served).
pub fn phases(f: &FaultReport, now: Micros) -> Vec<(Phase, Micros)> {
    let mut parts: Vec<(Phase, Micros)> = [
        (Phase::Detection, f.detection),
        (Phase::Election, f.election),
        (Phase::CatchUp, f.catch_up),
    ]
    .into_iter()
    .filter_map(|(p, d)| Some((p, d?)))
    .collect();
    let known: Micros = parts.iter().map(|(_, d)| d).sum();
    let rest = match f.recovery {
        Some(r) => (Phase::Served, r.saturating_sub(known)),
        None => (
            Phase::Waiting,
            now.saturating_sub(f.at).saturating_sub(known),
        ),
    };
    parts.push(rest);
    parts.retain(|(_, d)| *d > 0);
    parts
}

/// Props of the recovery table.
#[derive(Properties, PartialEq, Clone)]
pub struct RecoveryBarsProps {
    /// The faults so far and their recovery.
    pub faults: Vec<FaultReport>,
    /// The present.
    pub now: Micros,
    /// Moves the timeline to a fault's moment.
    pub onseek: Callback<Micros>,
    /// The interface's language.
    pub lang: Lang,
}

/// The recovery table.
#[function_component(RecoveryBars)]
pub fn recovery_bars(props: &RecoveryBarsProps) -> Html {
    let (lang, t) = (props.lang, |m: Msg| tr(props.lang, m));
    if props.faults.is_empty() {
        return html! {
            <p class="muted" data-testid="metrics-no-faults">{ t(Msg::NoFaultYet) }</p>
        };
    }
    let all: Vec<Vec<(Phase, Micros)>> =
        props.faults.iter().map(|f| phases(f, props.now)).collect();
    let longest = all
        .iter()
        .map(|p| p.iter().map(|(_, d)| d).sum::<Micros>())
        .max()
        .unwrap_or(0)
        .max(1);
    let head = |p: Phase| html! { <th scope="col"><span class={classes!("swatch", p.class())} aria-hidden="true"></span>{ p.name(lang) }</th> };
    html! {
        <table class="recovery" data-testid="metrics-faults">
            <caption>{ t(Msg::RecoveryCaption) }</caption>
            <thead><tr>
                <th scope="col">{"#"}</th><th scope="col">{ t(Msg::FaultColumn) }</th>
                { head(Phase::Detection) }{ head(Phase::Election) }{ head(Phase::CatchUp) }
                <th scope="col">{ t(Msg::ServedAfterColumn) }</th>
                <th scope="col" class="bar-head">{ t(Msg::RecoveryThen) }<span class={classes!("swatch", Phase::Served.class())} aria-hidden="true"></span>{ t(Msg::WaitingUntilServed) }</th>
            </tr></thead>
            <tbody>
                { for props.faults.iter().zip(&all).enumerate().map(|(i, (f, parts))| row(lang, i, f, parts, longest, &props.onseek)) }
            </tbody>
        </table>
    }
}

fn row(
    lang: Lang,
    i: usize,
    f: &FaultReport,
    parts: &[(Phase, Micros)],
    longest: Micros,
    onseek: &Callback<Micros>,
) -> Html {
    let at = f.at;
    let cell =
        |d: Option<Micros>| html! { <td class="num">{ d.map_or("—".into(), duration) }</td> };
    let served = f
        .recovery
        .map_or_else(|| tr(lang, Msg::NotYet).into(), duration);
    let label: Vec<String> = parts
        .iter()
        .map(|(p, d)| format!("{} {}", p.name(lang), duration(*d)))
        .collect();
    html! {
        <tr data-testid="metrics-fault">
            <th scope="row" class="num">{ i + 1 }</th>
            <td class="what">
                <button class="link" title={tr(lang, Msg::MoveToFault)} onclick={onseek.reform(move |_: MouseEvent| at)}>{ fmt_time(at) }</button>
                { " " }{ say_str(lang, &f.what) }
            </td>
            { cell(f.detection) }{ cell(f.election) }{ cell(f.catch_up) }
            <td class="num">{ served }</td>
            <td class="bar-cell">
                <div class="bar" role="img" aria-label={label.join(", ")}>
                    { for parts.iter().map(|(p, d)| {
                        let per_mille = d * 1000 / longest;
                        let style = format!("width: {}.{}%", per_mille / 10, per_mille % 10);
                        html! { <span class={classes!("seg", p.class())} {style} title={format!("{} {}", p.name(lang), duration(*d))}></span> }
                    }) }
                </div>
            </td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use quorum_engine::model::types::MS;

    use super::*;

    fn fault(
        detection: Option<Micros>,
        election: Option<Micros>,
        recovery: Option<Micros>,
    ) -> FaultReport {
        FaultReport {
            at: 1_000 * MS,
            what: "crash n1 (leader)".into(),
            detection,
            election,
            catch_up: election.map(|_| 5 * MS),
            recovery,
        }
    }

    #[test]
    fn a_recovery_is_detection_election_catch_up_then_the_wait_until_served() {
        let f = fault(Some(150 * MS), Some(20 * MS), Some(230 * MS));
        assert_eq!(
            phases(&f, 2_000 * MS),
            [
                (Phase::Detection, 150 * MS),
                (Phase::Election, 20 * MS),
                (Phase::CatchUp, 5 * MS),
                (Phase::Served, 55 * MS)
            ]
        );
        let follower = fault(None, None, Some(40 * MS));
        assert_eq!(phases(&follower, 2_000 * MS), [(Phase::Served, 40 * MS)]);
    }

    #[test]
    fn an_unfinished_recovery_waits_until_now() {
        let f = fault(Some(150 * MS), None, None);
        assert_eq!(
            phases(&f, 1_400 * MS),
            [(Phase::Detection, 150 * MS), (Phase::Waiting, 250 * MS)]
        );
        let served_before_catch_up = fault(Some(150 * MS), Some(20 * MS), Some(160 * MS));
        let parts = phases(&served_before_catch_up, 2_000 * MS);
        assert_eq!(
            parts.last(),
            Some(&(Phase::CatchUp, 5 * MS)),
            "no negative wait"
        );
    }
}
