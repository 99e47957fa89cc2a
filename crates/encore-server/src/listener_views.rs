//! The JSON shape of a listener answer (`/api/listeners`, `/api/songs/{id}/listeners`,
//! `/api/dramas/{id}/listeners`), built from an [`encore_listeners::ListenerReport`]. The analytics
//! types are not the API: this module names every field the dashboard reads, so renaming one in
//! the analysis is a compile error here, not a silent change of the API. Every figure comes from
//! the report; the view only arranges it and names it (a phase's label, a ratio the report's own
//! methods give).

use std::collections::BTreeMap;

use serde::Serialize;

use encore_listeners::around_airings::{AiringCurve, AiringPoint, HOURS_AFTER, HOURS_BEFORE};
use encore_listeners::cohorts::{Cohorts, Phase, RetentionCurve, RETENTION_WEEKS};
use encore_listeners::countries::Countries;
use encore_listeners::heatmap::{HeatCell, Heatmap, WEEKDAYS};
use encore_listeners::playback::{Playback, PlaybackCounts};
use encore_listeners::sessions::{ReplayCounts, Sessions, SESSION_GAP_SECONDS};
use encore_listeners::{ListenerReport, Scope};

/// What an answer is about, as the request named it.
#[derive(Debug, Clone, Serialize)]
pub struct ScopeView {
    /// `all`, `song` or `drama`.
    pub kind: &'static str,
    /// The song's or drama's id; `None` for all music.
    pub id: Option<String>,
    /// For people: `Business Proposal OSTs`, a song's title and artists, or `all music`.
    pub label: String,
}

/// One scope's listener behaviour.
#[derive(Debug, Clone, Serialize)]
pub struct ListenerView {
    pub scope: ScopeView,
    /// The IANA zone listens without a country were read in.
    pub time_zone: String,
    /// Every listen in the store, of any scope; 0 when the store holds none.
    pub listens: i64,
    /// True when every listen came from Encore's generator: the figures describe its model, not
    /// real listeners, and the dashboard says so.
    pub generated: bool,
    /// Listens by source (`generated`, `spotify_extended`, `lastfm`…), most first.
    pub sources: Vec<SourceView>,
    pub heatmap: HeatmapView,
    /// For a drama or a song: its drama's airings; `None` for all music.
    pub airings: Option<AiringsView>,
    pub cohorts: Option<CohortsView>,
    pub sessions: SessionsView,
    pub playback: PlaybackView,
    pub countries: CountriesView,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    pub source: String,
    pub listens: i64,
}

/// Hour of day × weekday in local time, Monday first.
#[derive(Debug, Clone, Serialize)]
pub struct HeatmapView {
    pub weekdays: Vec<&'static str>,
    /// Plays in scope and all plays.
    pub plays: i64,
    pub all_plays: i64,
    /// `cells[weekday][hour]`.
    pub cells: Vec<Vec<HeatCellView>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HeatCellView {
    pub plays: i64,
    pub all_plays: i64,
    pub share: f64,
    pub baseline_share: f64,
    /// The scope's share against all music's; `None` where either has no play.
    pub index: Option<f64>,
}

/// Lift per hour around the drama's airings, with its 95 % interval.
#[derive(Debug, Clone, Serialize)]
pub struct AiringsView {
    pub airings: i64,
    pub hours_before: i64,
    pub hours_after: i64,
    /// One point per hour offset, from `-hours_before` to `hours_after - 1`.
    pub points: Vec<AiringPointView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AiringPointView {
    pub offset_hours: i64,
    pub plays: f64,
    pub baseline: f64,
    pub lift: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

/// The gateway split and retention after the broadcast.
#[derive(Debug, Clone, Serialize)]
pub struct CohortsView {
    /// Weeks after the broadcast each curve follows.
    pub weeks: i64,
    /// Share of listeners whose first play came after the finale.
    pub gateway_share: Option<f64>,
    pub first_plays: Vec<PhaseCount>,
    pub retention: Vec<RetentionView>,
    /// Per week of first play (0 = the premiere's week).
    pub by_first_week: Vec<RetentionView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PhaseCount {
    /// `before_premiere`, `during_broadcast` or `after_finale`.
    pub phase: &'static str,
    pub label: &'static str,
    pub listeners: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct RetentionView {
    pub phase: &'static str,
    pub label: &'static str,
    pub first_week: Option<i64>,
    pub listeners: i64,
    /// `shares[n]`: the share of the cohort playing in week n after the broadcast.
    pub shares: Vec<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SessionsView {
    /// A gap longer than this between plays starts a new session.
    pub gap_minutes: i64,
    pub sessions: i64,
    pub listeners: i64,
    pub plays_per_session: Option<f64>,
    /// All plays, plays of any catalog OST, and the plays in scope.
    pub all: ReplayView,
    pub ost: ReplayView,
    pub in_scope: ReplayView,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReplayView {
    pub plays: i64,
    pub replays: i64,
    pub replay_share: Option<f64>,
    pub streaks: i64,
    pub plays_in_streaks: i64,
    pub mean_streak: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlaybackView {
    pub all: PlaybackCountsView,
    pub ost: PlaybackCountsView,
    pub in_scope: PlaybackCountsView,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlaybackCountsView {
    pub plays: i64,
    /// Mean share of the track played, over the plays whose log says.
    pub completion: Option<f64>,
    pub skipped: i64,
    /// Plays by end reason, most first; `""` where the log gives none.
    pub by_end_reason: Vec<EndReasonView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EndReasonView {
    pub reason: String,
    pub plays: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct CountriesView {
    /// Per country (`""` when the log names none), most plays first.
    pub countries: Vec<CountryView>,
    /// Per month (`YYYY-MM`), its plays and each country's.
    pub months: Vec<CountryMonthView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CountryView {
    pub country: String,
    pub plays: i64,
    pub listeners: i64,
    pub share: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct CountryMonthView {
    pub month: String,
    pub plays: i64,
    pub by_country: BTreeMap<String, i64>,
}

impl ScopeView {
    pub fn new(scope: &Scope, label: String) -> ScopeView {
        let (kind, id) = match scope {
            Scope::All => ("all", None),
            Scope::Song(id) => ("song", Some(id.as_str().to_string())),
            Scope::Drama(id) => ("drama", Some(id.as_str().to_string())),
        };
        ScopeView { kind, id, label }
    }
}

/// The answer for `scope` from its report, its listens read in `time_zone` where they name no
/// country.
pub fn listener_view(report: ListenerReport, scope: &Scope, time_zone: &str) -> ListenerView {
    let generated = report.all_generated();
    let ListenerReport { scope: label, sources, heatmap, sessions, playback, countries, airings, cohorts } = report;
    ListenerView {
        scope: ScopeView::new(scope, label),
        time_zone: time_zone.to_string(),
        listens: sources.iter().map(|(_, listens)| listens).sum(),
        generated,
        sources: sources.into_iter().map(|(source, listens)| SourceView { source, listens }).collect(),
        heatmap: heatmap_view(heatmap),
        airings: airings.map(airings_view),
        cohorts: cohorts.map(cohorts_view),
        sessions: sessions_view(&sessions),
        playback: playback_view(playback),
        countries: countries_view(countries),
    }
}

fn heatmap_view(heatmap: Heatmap) -> HeatmapView {
    let cell = |cell: &HeatCell| HeatCellView {
        plays: cell.plays,
        all_plays: cell.all_plays,
        share: cell.share,
        baseline_share: cell.baseline_share,
        index: cell.index,
    };
    HeatmapView {
        weekdays: WEEKDAYS.to_vec(),
        plays: heatmap.plays,
        all_plays: heatmap.all_plays,
        cells: heatmap.cells.iter().map(|day| day.iter().map(cell).collect()).collect(),
    }
}

fn airings_view(curve: AiringCurve) -> AiringsView {
    let point = |point: &AiringPoint| AiringPointView {
        offset_hours: point.offset_hours,
        plays: point.plays,
        baseline: point.baseline,
        lift: point.lift,
        low: point.low,
        high: point.high,
    };
    AiringsView {
        airings: curve.airings,
        hours_before: HOURS_BEFORE,
        hours_after: HOURS_AFTER,
        points: curve.points.iter().map(point).collect(),
    }
}

fn cohorts_view(cohorts: Cohorts) -> CohortsView {
    let curve = |curve: RetentionCurve| RetentionView {
        phase: phase_name(curve.phase),
        label: curve.phase.label(),
        first_week: curve.first_week,
        listeners: curve.listeners,
        shares: curve.shares,
    };
    CohortsView {
        weeks: RETENTION_WEEKS,
        gateway_share: cohorts.gateway_share(),
        first_plays: cohorts
            .first_plays
            .iter()
            .map(|&(phase, listeners)| PhaseCount { phase: phase_name(phase), label: phase.label(), listeners })
            .collect(),
        retention: cohorts.retention.into_iter().map(curve).collect(),
        by_first_week: cohorts.by_first_week.into_iter().map(curve).collect(),
    }
}

/// A phase's name in the API, spelled here so that the API does not follow a rename in the
/// analysis.
fn phase_name(phase: Phase) -> &'static str {
    match phase {
        Phase::BeforePremiere => "before_premiere",
        Phase::DuringBroadcast => "during_broadcast",
        Phase::AfterFinale => "after_finale",
    }
}

fn sessions_view(sessions: &Sessions) -> SessionsView {
    let counts = |counts: &ReplayCounts| ReplayView {
        plays: counts.plays,
        replays: counts.replays,
        replay_share: counts.replay_share(),
        streaks: counts.streaks,
        plays_in_streaks: counts.plays_in_streaks,
        mean_streak: counts.mean_streak(),
    };
    SessionsView {
        gap_minutes: SESSION_GAP_SECONDS / 60,
        sessions: sessions.sessions,
        listeners: sessions.listeners,
        plays_per_session: sessions.plays_per_session(),
        all: counts(&sessions.all),
        ost: counts(&sessions.ost),
        in_scope: counts(&sessions.in_scope),
    }
}

fn playback_view(playback: Playback) -> PlaybackView {
    let counts = |counts: PlaybackCounts| PlaybackCountsView {
        plays: counts.plays,
        completion: counts.completion,
        skipped: counts.skipped,
        by_end_reason: counts
            .by_end_reason
            .into_iter()
            .map(|(reason, plays)| EndReasonView { reason, plays })
            .collect(),
    };
    PlaybackView { all: counts(playback.all), ost: counts(playback.ost), in_scope: counts(playback.in_scope) }
}

fn countries_view(countries: Countries) -> CountriesView {
    CountriesView {
        countries: countries
            .countries
            .into_iter()
            .map(|total| CountryView {
                country: total.country,
                plays: total.plays,
                listeners: total.listeners,
                share: total.share,
            })
            .collect(),
        months: countries
            .months
            .into_iter()
            .map(|month| CountryMonthView { month: month.month, plays: month.plays, by_country: month.by_country })
            .collect(),
    }
}
