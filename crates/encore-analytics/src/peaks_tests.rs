//! Hand-made series with known peaks and causes.

use chrono::NaiveDate;

use encore_domain::{
    ChartEntry, ChartKind, ChartPeriod, Drama, DramaId, Episode, Event, EventKind, EventSubject, PartialDate, Platform,
    Song, SongId,
};

use super::*;

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn entry(chart: ChartKind, date: &str, rank: u32) -> ChartEntry {
    ChartEntry::new(chart, "us", day(date), rank, "t", "a")
}

fn weekly(first: &str, ranks: &[u32]) -> Vec<ChartEntry> {
    ranks
        .iter()
        .enumerate()
        .map(|(week, &rank)| {
            let date = day(first) + Duration::weeks(week as i64);
            entry(ChartKind::BillboardHot100, &date.to_string(), rank)
        })
        .collect()
}

/// A Bugs daily chart, one issue a day from `first`.
fn daily(first: &str, ranks: &[u32]) -> Vec<ChartEntry> {
    ranks
        .iter()
        .enumerate()
        .map(|(offset, &rank)| {
            let date = day(first) + Duration::days(offset as i64);
            entry(ChartKind::korean(Platform::Bugs, ChartPeriod::Day).unwrap(), &date.to_string(), rank)
        })
        .collect()
}

fn song(release: Option<&str>) -> Song {
    Song {
        id: SongId::new("song"),
        drama_id: DramaId::new("show"),
        ost_part: None,
        title_en: "Song".into(),
        title_ko: String::new(),
        artists: vec!["Singer".into()],
        release_date: release.map(day),
        source: String::new(),
    }
}

fn drama(premiere: &str, finale: &str) -> Drama {
    Drama {
        id: DramaId::new("show"),
        title_en: "Show".into(),
        title_ko: String::new(),
        network: String::new(),
        premiere: Some(day(premiere)),
        finale: Some(day(finale)),
        episode_count: None,
        slot: String::new(),
        source: String::new(),
    }
}

fn event(kind: EventKind, date: &str, detail: &str) -> Event {
    Event {
        subject: EventSubject::Song(SongId::new("song")),
        date: Some(PartialDate::Day(day(date))),
        kind,
        detail: detail.into(),
        value: None,
        source: String::new(),
    }
}

fn summary(peaks: &[Peak]) -> Vec<(String, u32, Prominence, Phase, CauseKind)> {
    peaks.iter().map(|peak| (peak.date.to_string(), peak.rank, peak.prominence, peak.phase, peak.cause.kind)).collect()
}

#[test]
fn an_old_song_revived_by_a_drama_has_an_original_run_and_a_revival() {
    let song = song(Some("1985-08-05"));
    let drama = drama("2022-05-27", "2022-07-01");
    let mut entries = weekly("1985-09-07", &[95, 60, 30, 50, 90]);
    // The real 2022 run: a dip to 9 after the finale is a wiggle, not a new rise.
    entries.extend(weekly("2022-06-11", &[8, 4, 5, 9, 6, 4, 4, 3, 3, 4]));
    let streaming_release = Event {
        subject: EventSubject::Drama(DramaId::new("show")),
        date: Some(PartialDate::Day(day("2022-05-27"))),
        kind: EventKind::Release,
        detail: "Show premiere".into(),
        value: None,
        source: String::new(),
    };
    let events = [streaming_release];
    let context = PeakContext { song: &song, drama: Some(&drama), episodes: &[], events: &events };
    let peaks = find_peaks(&entries, &context);
    assert_eq!(
        summary(&peaks),
        [
            ("1985-09-21".to_string(), 30, Prominence::Secondary, Phase::OriginalRun, CauseKind::Release),
            ("2022-07-30".to_string(), 3, Prominence::Primary, Phase::Revival, CauseKind::Premiere),
        ]
    );
    assert_eq!(peaks[1].describe(), "revival, summer, after the finale: Show premiere (2022-05-27)");
}

#[test]
fn a_winter_comeback_is_an_anniversary_not_a_release() {
    let song = song(Some("2017-01-07"));
    let drama = drama("2016-12-02", "2017-01-21");
    let entries = vec![
        entry(ChartKind::MELON_YEAR_END, "2017-12-31", 1),
        entry(ChartKind::SpotifyDaily, "2025-12-15", 175),
        entry(ChartKind::SpotifyDaily, "2025-12-18", 148),
        entry(ChartKind::SpotifyDaily, "2025-12-30", 189),
    ];
    let context = PeakContext { song: &song, drama: Some(&drama), episodes: &[], events: &[] };
    let peaks = find_peaks(&entries, &context);
    let comeback = peaks.iter().find(|peak| peak.chart == ChartKind::SpotifyDaily).unwrap();
    assert_eq!((comeback.rank, comeback.phase, comeback.season), (148, Phase::Revival, Some(Season::Winter)));
    assert_eq!(comeback.cause.kind, CauseKind::Anniversary);
    assert_eq!(comeback.cause.label, "9th anniversary of Show premiere (2016-12-02)");
    assert_eq!(comeback.prominence, Prominence::Secondary);
    let original = peaks.iter().find(|peak| peak.chart == ChartKind::MELON_YEAR_END).unwrap();
    assert_eq!((original.phase, original.prominence, original.season), (Phase::OriginalRun, Prominence::Primary, None));
}

#[test]
fn a_rise_with_nothing_near_it_is_unexplained() {
    let song = song(Some("2000-03-01"));
    let entries = weekly("2010-07-03", &[50, 40]);
    let context = PeakContext { song: &song, drama: None, episodes: &[], events: &[] };
    let peaks = find_peaks(&entries, &context);
    assert_eq!(peaks.len(), 1);
    assert_eq!((peaks[0].cause.kind, peaks[0].phase), (CauseKind::Unexplained, Phase::Revival));
}

#[test]
fn a_prominent_second_climb_inside_a_run_is_its_own_peak_with_its_own_cause() {
    let song = song(Some("2020-01-01"));
    let viral = Event {
        subject: EventSubject::Song(SongId::new("song")),
        date: Some(PartialDate::Day(day("2020-02-05"))),
        kind: EventKind::ViralTrend,
        detail: "dance challenge".into(),
        value: None,
        source: String::new(),
    };
    let counted = Event { kind: EventKind::ViewsMilestone, detail: "views".into(), ..viral.clone() };
    let ranks = [40, 10, 30, 60, 90, 70, 20, 5, 30];
    let entries = weekly("2020-01-11", &ranks);
    let events = [viral, counted];
    let context = PeakContext { song: &song, drama: None, episodes: &[], events: &events };
    let peaks = find_peaks(&entries, &context);
    assert_eq!(
        summary(&peaks),
        [
            ("2020-01-18".to_string(), 10, Prominence::Secondary, Phase::OriginalRun, CauseKind::Release),
            ("2020-02-29".to_string(), 5, Prominence::Primary, Phase::OriginalRun, CauseKind::ViralTrend),
        ]
    );
}

#[test]
fn small_wiggles_are_not_peaks() {
    let song = song(Some("2020-01-01"));
    let entries = weekly("2020-01-11", &[10, 12, 8, 9, 5, 7]);
    let context = PeakContext { song: &song, drama: None, episodes: &[], events: &[] };
    assert_eq!(find_peaks(&entries, &context).len(), 1);
}

#[test]
fn episodes_on_air_explain_a_rise_during_the_broadcast() {
    let song = song(None);
    let drama = drama("2020-01-01", "2020-03-01");
    let episode = Episode {
        drama_id: DramaId::new("show"),
        number: Some(6),
        air_date: Some(day("2020-01-20")),
        rating_nationwide: None,
        rating_seoul: None,
        rating_tnms: None,
        basis: String::new(),
        source: String::new(),
    };
    let entries = weekly("2020-01-25", &[50, 20]);
    let context =
        PeakContext { song: &song, drama: Some(&drama), episodes: std::slice::from_ref(&episode), events: &[] };
    let peaks = find_peaks(&entries, &context);
    assert_eq!(peaks[0].cause.kind, CauseKind::Airing);
    assert_eq!(peaks[0].cause.label, "Show episode 6 aired (2020-01-20)");
}

#[test]
fn a_sustained_second_climb_after_a_shallow_dip_is_found_by_changepoints() {
    let song = song(Some("2020-01-01"));
    // Weeks from 2020-01-11: a first level near #10, a dip to the mid-30s (scores 17 below the
    // second climb: too shallow for the fixed 25-point rule), a second level near #20, then out.
    let ranks = [60, 20, 15, 10, 12, 15, 33, 35, 34, 36, 22, 20, 18, 21, 60, 80];
    let entries = weekly("2020-01-11", &ranks);
    // Dated in the week of the climb (issue 10, 2020-03-21): the fixed rule's rise (the start of
    // the dip, 2020-02-22) would end its window before it.
    let events = [event(EventKind::ViralTrend, "2020-03-18", "dance challenge")];
    let context = PeakContext { song: &song, drama: None, episodes: &[], events: &events };
    let peaks = find_peaks(&entries, &context);
    assert_eq!(
        summary(&peaks),
        [
            ("2020-02-01".to_string(), 10, Prominence::Primary, Phase::OriginalRun, CauseKind::Release),
            ("2020-04-04".to_string(), 18, Prominence::Secondary, Phase::OriginalRun, CauseKind::ViralTrend),
        ]
    );
}

#[test]
fn the_changepoint_gives_the_rise_of_a_prominent_climb_inside_a_long_run() {
    let song = song(Some("2020-01-01"));
    // A deep dip (the fixed rule finds the second peak) whose floor lasts six weeks: the climb
    // starts where the low level ends (the issue of 2020-03-21), not at the dip's lowest week
    // (2020-02-22), so a performance that week explains it, not the music video before the dip.
    let ranks = [30, 10, 8, 12, 70, 75, 80, 72, 78, 74, 30, 12, 5, 9, 40, 90];
    let entries = weekly("2020-01-11", &ranks);
    let events = [
        event(EventKind::MusicVideo, "2020-02-20", "music video"),
        event(EventKind::LivePerformance, "2020-03-17", "live on a music show"),
    ];
    let context = PeakContext { song: &song, drama: None, episodes: &[], events: &events };
    let peaks = find_peaks(&entries, &context);
    assert_eq!(
        summary(&peaks),
        [
            ("2020-01-25".to_string(), 8, Prominence::Secondary, Phase::OriginalRun, CauseKind::Release),
            ("2020-04-04".to_string(), 5, Prominence::Primary, Phase::OriginalRun, CauseKind::LivePerformance),
        ]
    );
}

#[test]
fn noise_in_a_long_run_is_not_a_peak() {
    let song = song(Some("2020-01-01"));
    let ranks = [30, 26, 33, 28, 35, 27, 31, 25, 34, 29, 32, 27, 36, 30, 28, 33, 26, 31, 29, 35];
    let entries = weekly("2020-01-11", &ranks);
    let context = PeakContext { song: &song, drama: None, episodes: &[], events: &[] };
    assert_eq!(find_peaks(&entries, &context).len(), 1);
}

#[test]
fn a_reentry_with_no_cause_carries_the_catalogs_reentry_report() {
    let song = song(Some("2020-01-01"));
    let mut entries = weekly("2020-01-11", &[50, 20, 40]);
    entries.extend(weekly("2021-09-04", &[70, 45, 60]));
    let reported = event(EventKind::ChartReentry, "2021-08-30", "back on the Hot 100");
    let first_entry = event(EventKind::ChartReentry, "2020-01-08", "reported entry");
    let events = [reported.clone(), first_entry];
    let context = PeakContext { song: &song, drama: None, episodes: &[], events: &events };
    let peaks = find_peaks(&entries, &context);
    // The first run is not a re-entry, and has a cause (the release).
    assert_eq!((peaks[0].cause.kind, &peaks[0].reentry), (CauseKind::Release, &None));
    assert_eq!(peaks[1].cause.kind, CauseKind::Unexplained);
    let reentry = peaks[1].reentry.as_ref().unwrap();
    assert_eq!((reentry.date, reentry.label.as_str()), (day("2021-08-30"), "back on the Hot 100 (2021-08-30)"));
    assert_eq!(
        peaks[1].describe(),
        "revival, autumn: unexplained; chart re-entry reported: back on the Hot 100 (2021-08-30)"
    );

    // A real cause in the window wins over the observation.
    let live = event(EventKind::LivePerformance, "2021-08-20", "festival set");
    let events = [reported, live];
    let context = PeakContext { song: &song, drama: None, episodes: &[], events: &events };
    let peaks = find_peaks(&entries, &context);
    assert_eq!((peaks[1].cause.kind, &peaks[1].reentry), (CauseKind::LivePerformance, &None));

    // No report in the window: plain "unexplained".
    let context = PeakContext { song: &song, drama: None, episodes: &[], events: &[] };
    assert_eq!(find_peaks(&entries, &context)[1].reentry, None);
}

#[test]
fn each_peak_says_whether_it_came_before_during_or_after_the_broadcast() {
    let song = song(Some("2019-11-20"));
    let drama = drama("2020-01-01", "2020-03-01");
    let mut entries = weekly("2019-11-30", &[60, 40, 70]);
    entries.extend(weekly("2020-02-15", &[50, 20, 45]));
    entries.extend(weekly("2020-06-06", &[80, 30, 90]));
    entries.push(entry(ChartKind::MELON_YEAR_END, "2020-12-31", 3));
    let context = PeakContext { song: &song, drama: Some(&drama), episodes: &[], events: &[] };
    let peaks = find_peaks(&entries, &context);
    let timings: Vec<(String, Option<Timing>)> =
        peaks.iter().map(|peak| (peak.date.to_string(), peak.timing)).collect();
    assert_eq!(
        timings,
        [
            ("2019-12-07".to_string(), Some(Timing::BeforePremiere)),
            ("2020-02-22".to_string(), Some(Timing::DuringBroadcast)),
            ("2020-06-13".to_string(), Some(Timing::AfterFinale)),
            ("2020-12-31".to_string(), None),
        ]
    );
    assert_eq!(peaks[1].describe(), "original run, winter, during the broadcast: Show premiere (2020-01-01)");
    assert_eq!(Timing::of(day("2020-03-01"), Some(&drama)), Some(Timing::DuringBroadcast));
    assert_eq!(Timing::of(day("2020-03-02"), Some(&drama)), Some(Timing::AfterFinale));
    assert_eq!(Timing::of(day("2020-03-02"), None), None);
}

/// Love, Maybe on Bugs' daily chart, 2022-02-18 to 03-10 (the real ranks): released ten days before
/// the premiere, it slid to #94, hovered in the 50s-80s through episodes 1 and 2, then leapt from
/// #61 to #1 in three days after episodes 3 and 4 (2022-03-07 and 03-08). The climb is dated by its
/// steepest step, so the leap is put down to the episodes just before it, not to the first ones.
#[test]
fn a_leap_after_a_long_hover_is_explained_by_what_came_just_before_it() {
    let song = song(Some("2022-02-18"));
    let drama = drama("2022-02-28", "2022-04-05");
    let airing = |number: u32, date: &str| Episode {
        drama_id: DramaId::new("show"),
        number: Some(number),
        air_date: Some(day(date)),
        rating_nationwide: None,
        rating_seoul: None,
        rating_tnms: None,
        basis: String::new(),
        source: String::new(),
    };
    let episodes = [airing(1, "2022-02-28"), airing(2, "2022-03-01"), airing(3, "2022-03-07"), airing(4, "2022-03-08")];
    let ranks = [14, 21, 25, 60, 58, 70, 72, 88, 91, 94, 84, 60, 67, 54, 68, 84, 61, 35, 4, 1, 1];
    let entries = daily("2022-02-18", &ranks);
    let context = PeakContext { song: &song, drama: Some(&drama), episodes: &episodes, events: &[] };
    let peaks = find_peaks(&entries, &context);
    let top = peaks.iter().find(|peak| peak.rank == 1).unwrap();
    assert_eq!(top.date, day("2022-03-09"));
    assert_eq!(top.cause.label, "Show episode 4 aired (2022-03-08)");
    assert_eq!(peaks[0].cause.kind, CauseKind::Release);
}

/// A daily chart with a three-day lift after each weekly episode, on a flat line: the last lift
/// (24 points) is under the 25-point prominence floor, so only the run's levels find it. The run
/// is short (35 issues) and its differences mostly 0, so the detector weighs its parameters as
/// BIC does and cuts every lift.
#[test]
fn each_episode_lift_on_a_flat_daily_run_is_a_peak() {
    let song = song(Some("2020-01-01"));
    let lifts = [40, 36, 32, 28, 24];
    let mut ranks = Vec::new();
    for lift in lifts {
        ranks.extend([41 - lift; 3]);
        ranks.extend([41; 4]);
    }
    let entries = daily("2020-01-06", &ranks);
    let context = PeakContext { song: &song, drama: None, episodes: &[], events: &[] };
    let peaks = find_peaks(&entries, &context);
    let ranks_found: Vec<u32> = peaks.iter().map(|peak| peak.rank).collect();
    assert_eq!(ranks_found, [1, 5, 9, 13, 17]);
    assert_eq!(peaks[4].date, day("2020-02-03"));
}

/// Running Up That Hill's 1985-86 run on the Hot 100 (the real ranks): 13 weeks up to #30, 7 down.
/// The levels fit the climb and the fall with two lines that meet at the top; the peak is the
/// run's best week, once, not also the week before it where the rising line ends.
#[test]
fn a_smooth_climb_and_fall_is_one_peak_at_the_best_week() {
    let song = song(Some("1985-08-05"));
    let ranks = [95, 90, 82, 72, 70, 63, 57, 47, 42, 39, 35, 31, 30, 43, 58, 68, 75, 75, 91, 99];
    let entries = weekly("1985-09-07", &ranks);
    let context = PeakContext { song: &song, drama: None, episodes: &[], events: &[] };
    let peaks = find_peaks(&entries, &context);
    assert_eq!(
        summary(&peaks),
        [("1985-11-30".to_string(), 30, Prominence::Primary, Phase::OriginalRun, CauseKind::Release)]
    );
}
