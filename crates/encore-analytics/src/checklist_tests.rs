use chrono::Duration;

use encore_domain::{ChartEntry, ChartKind, DramaId, EventSubject, PartialDate};

use super::*;
use crate::sample::sample_catalog;
use crate::{analyse_catalog, Measured};

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn song(id: &str, drama_id: &str, title_en: &str, artist: &str, release: Option<NaiveDate>) -> Song {
    Song {
        id: SongId::new(id),
        drama_id: DramaId::new(drama_id),
        ost_part: None,
        title_en: title_en.to_string(),
        title_ko: String::new(),
        artists: vec![artist.to_string()],
        release_date: release,
        source: "test".to_string(),
    }
}

fn song_event(song_id: &str, date: &str, kind: EventKind, detail: &str) -> Event {
    Event {
        subject: EventSubject::Song(SongId::new(song_id)),
        date: Some(PartialDate::Day(day(date))),
        kind,
        detail: detail.to_string(),
        value: None,
        source: "test".to_string(),
    }
}

/// Daily Spotify Korea rows of a song at rank 50, `days` of them from `first`.
fn chart_days(song_id: &str, first: NaiveDate, days: i64) -> Vec<ChartEntry> {
    (0..days)
        .map(|offset| {
            let mut entry =
                ChartEntry::new(ChartKind::SpotifyDaily, "kr", first + Duration::days(offset), 50, song_id, "x");
            entry.song_id = Some(SongId::new(song_id));
            entry
        })
        .collect()
}

/// Checks one item of one song: its status and a part of its detail.
fn check(checklists: &[SongChecklist], song_id: &str, kind: ChecklistItemKind, status: &str, detail: &str) {
    let checklist = checklists.iter().find(|checklist| checklist.song_id.as_str() == song_id).unwrap();
    let evidence = checklist.item(kind).unwrap();
    assert_eq!(evidence.status(), status, "{song_id} {kind:?}: {evidence:?}");
    assert!(evidence.detail().contains(detail), "{song_id} {kind:?}: {evidence:?}");
}

/// The sample catalog, with an acoustic version of "Sample Song", a song with no events and a
/// later song by the same artist in the other drama.
fn audited_sample() -> Vec<SongChecklist> {
    let (mut catalog, entries) = sample_catalog();
    catalog.songs.push(song(
        "sample_song_acoustic",
        "sample_drama",
        "Sample Song (Acoustic Ver.)",
        "Someone Else",
        Some(day("2020-03-01")),
    ));
    catalog.songs.push(song("eventless_song", "sample_drama", "Eventless", "Nobody", Some(day("2020-01-20"))));
    catalog.songs.push(song("later_song", "other_drama", "Later", "Sample Artist", Some(day("2020-04-10"))));
    catalog.songs.push(song("airing_day_song", "sample_drama", "Airing Day", "Day Artist", Some(day("2020-01-12"))));
    catalog.songs.push(song("eve_song", "sample_drama", "Eve", "Eve Artist", Some(day("2020-01-04"))));
    catalog.songs.push(song("undated_song", "other_drama", "Undated", "Unknown Artist", None));
    let analysis = analyse_catalog(&catalog, entries, &[]);
    let lyric = |title: &str, text: &str| encore_domain::SongLyric {
        year: 2020,
        singer: "Sample Artist".to_string(),
        title: title.to_string(),
        is_ost: true,
        lyric: text.to_string(),
        source_file: "melon.csv".to_string(),
        source_line: 7,
    };
    let lyrics = encore_lyrics::catalog_song_motifs(
        &catalog,
        &[lyric("Sample Song", "첫눈 오는 날 너를 기다려"), lyric("Quiet Song", "dance all night")],
    );
    song_checklists(&catalog, &analysis, &lyrics)
}

#[test]
fn each_item_says_what_shows_it_or_why_it_cannot() {
    use ChecklistItemKind::*;
    let checklists = audited_sample();
    // Released 2020-01-01, four days before the premiere; the first episode aired 2020-01-05.
    check(&checklists, "sample_song", PreRelease, "evidenced", "4 days before the premiere (2020-01-05)");
    check(&checklists, "sample_song", ReleaseDuringBroadcast, "absent", "4 days before the first episode");
    check(&checklists, "sample_song", MusicVideo, "evidenced", "official music video (2020-02-01)");
    check(&checklists, "sample_song", Challenge, "absent", "none of the song's 1 catalog events");
    check(&checklists, "sample_song", RemixOrAcoustic, "evidenced", "sample_song_acoustic");
    check(&checklists, "sample_song", LivePerformance, "absent", "live_performance");
    // Its artist's other songs never charted.
    check(&checklists, "sample_song", VocalistPriorChartRecord, "absent", "none of the 2 other catalog songs");
    check(
        &checklists,
        "sample_song",
        UniversalMotifs,
        "evidenced",
        "(2020, melon.csv:7) uses season and weather, longing",
    );
    check(&checklists, "quiet_song", UniversalMotifs, "absent", "uses none of season");
    check(&checklists, "eve_song", UniversalMotifs, "no_data", "no lyric of this song was read");
    check(&checklists, "sample_song", ProductionQuality, "no_data", "no data can evidence");
    check(&checklists, "sample_song", VocalStrength, "no_data", "no data can evidence");

    // Released 2020-01-10, five days after episode 1; "Sample Song" had charted since 2020-01-01.
    check(&checklists, "quiet_song", PreRelease, "absent", "5 days after the premiere");
    check(&checklists, "quiet_song", ReleaseDuringBroadcast, "evidenced", "5 days after episode 1 aired (2020-01-05)");
    check(&checklists, "quiet_song", MusicVideo, "absent", "music_video");
    check(&checklists, "quiet_song", VocalistPriorChartRecord, "evidenced", "sample_song) charted from 2020-01-01");
    check(&checklists, "airing_day_song", ReleaseDuringBroadcast, "evidenced", "the day episode 2 aired (2020-01-12)");
    check(&checklists, "eve_song", PreRelease, "evidenced", "released 1 day before the premiere");
    check(&checklists, "later_song", VocalistPriorChartRecord, "evidenced", "sample_song");
    check(&checklists, "later_song", ReleaseDuringBroadcast, "absent", "after the last episode aired (2020-04-04)");
}

#[test]
fn a_song_with_no_events_says_so_rather_than_scoring_absent() {
    use ChecklistItemKind::*;
    let checklists = audited_sample();
    let eventless = checklists.iter().find(|checklist| checklist.song_id.as_str() == "eventless_song").unwrap();
    assert_eq!(eventless.event_count, 0);
    for kind in [MusicVideo, Challenge, RemixOrAcoustic, LivePerformance] {
        check(&checklists, "eventless_song", kind, "no_data", "no events for this song");
    }
    check(&checklists, "eventless_song", VocalistPriorChartRecord, "absent", "no other catalog song by Nobody");
    check(&checklists, "undated_song", PreRelease, "no_data", "release date is unknown");
    check(&checklists, "undated_song", ReleaseDuringBroadcast, "no_data", "release date is unknown");
    let undated = checklists.iter().find(|checklist| checklist.song_id.as_str() == "undated_song").unwrap();
    assert_eq!(undated.days_from_premiere, None);
    assert_eq!(checklists.iter().find(|c| c.song_id.as_str() == "sample_song").unwrap().days_from_premiere, Some(-4));
}

/// Seven charting songs of the sample drama (finale 2020-03-01): four with a music video, on the
/// chart 30, 40, 50 and 60 days after the finale, three without, 5, 10 and 15 days.
#[test]
fn the_outcome_table_compares_songs_with_and_without_each_item() {
    let (mut catalog, _) = sample_catalog();
    catalog.songs.clear();
    catalog.events.clear();
    let finale = day("2020-03-01");
    let mut entries = Vec::new();
    for (index, days_after) in [30, 40, 50, 60, 5, 10, 15].into_iter().enumerate() {
        let id = format!("song_{index}");
        catalog.songs.push(song(&id, "sample_drama", &id, &id, Some(day("2020-02-01"))));
        let kind = if index < 4 { EventKind::MusicVideo } else { EventKind::Release };
        catalog.events.push(song_event(&id, "2020-02-01", kind, "event"));
        entries.extend(chart_days(&id, day("2020-02-01"), (finale - day("2020-02-01")).num_days() + 1 + days_after));
    }
    let analysis = analyse_catalog(&catalog, entries, &[]);
    let checklists = song_checklists(&catalog, &analysis, &BTreeMap::new());
    let rows = checklist_outcomes(&checklists, &analysis);
    assert_eq!(rows.len(), ChecklistItemKind::ALL.len() * OutcomeMetric::ALL.len());
    let row_of = |item, metric| rows.iter().find(|row| row.item == item && row.metric == metric).unwrap();

    let video_days = row_of(ChecklistItemKind::MusicVideo, OutcomeMetric::ChartDaysAfterFinale);
    assert_eq!((video_days.songs_with, video_days.songs_without, video_days.songs_without_data), (4, 3, 0));
    let comparison = video_days.comparison.value().expect("both sides have three songs or more");
    assert_eq!((comparison.mean_with, comparison.mean_without, comparison.difference), (45.0, 10.0, 35.0));
    let (low, high) = comparison.interval;
    assert!(low > 0.0 && low < 35.0 && high > 35.0 && high <= 55.0, "{low} {high}");
    // The same catalog gives the same interval.
    assert_eq!(checklist_outcomes(&checklists, &analysis), rows);

    let video_score = row_of(ChecklistItemKind::MusicVideo, OutcomeMetric::EclipseScore);
    let scores = video_score.comparison.value().expect("the drama has attention");
    assert!(scores.difference > 0.0, "{scores:?}");

    // No song has a challenge: too few songs, said so rather than a difference of 0.
    let challenge = row_of(ChecklistItemKind::Challenge, OutcomeMetric::EclipseScore);
    assert_eq!((challenge.songs_with, challenge.songs_without), (0, 7));
    assert!(
        matches!(&challenge.comparison, Measured::NotMeasurable { not_measurable } if not_measurable.starts_with("too few songs"))
    );
    // Items no data can evidence are listed with the reason.
    let quality = row_of(ChecklistItemKind::ProductionQuality, OutcomeMetric::EclipseScore);
    assert_eq!((quality.songs_with, quality.songs_without, quality.songs_without_data), (0, 0, 7));
    assert!(
        matches!(&quality.comparison, Measured::NotMeasurable { not_measurable } if not_measurable.contains("no data"))
    );
}
