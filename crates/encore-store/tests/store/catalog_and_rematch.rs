//! The catalog read back from the store, and stored rows re-matched when the catalog changes.

use std::path::Path;

use chrono::NaiveDate;
use encore_domain::{
    ArtistAlias, Catalog, ChartKind, Drama, DramaId, DramaViewing, Episode, Event, EventKind, EventSubject, Listen,
    ListenSource, PartialDate, SearchInterest, SearchPeriod, SearchSource, Song, SongAlias, SongId,
};
use encore_store::{RematchSummary, SourceRows, Store, StoreError};

use super::{batch, count, entry};

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn song(id: &str, title: &str) -> Song {
    Song {
        id: SongId::new(id),
        drama_id: DramaId::new("stranger"),
        ost_part: Some(1),
        title_en: title.into(),
        title_ko: String::new(),
        artists: vec!["Kate Bush".into()],
        release_date: Some(day("1985-05-16")),
        source: "https://example.org/songs".into(),
    }
}

fn catalog_with(songs: Vec<Song>) -> Catalog {
    Catalog { songs, ..Catalog::default() }
}

/// A catalog with every field filled, and one of each row with its optional fields empty.
fn full_catalog() -> Catalog {
    let filled_drama = Drama {
        id: DramaId::new("goblin"),
        title_en: "Guardian: The Lonely and Great God".into(),
        title_ko: "쓸쓸하고 찬란하神-도깨비".into(),
        network: "tvN".into(),
        premiere: Some(day("2016-12-02")),
        finale: Some(day("2017-01-21")),
        episode_count: Some(16),
        slot: "Fri-Sat 20:00".into(),
        source: "https://example.org/goblin".into(),
    };
    let bare_drama = Drama::titled("unaired", "", "미정");
    let filled_episode = Episode {
        drama_id: DramaId::new("goblin"),
        number: Some(16),
        air_date: Some(day("2017-01-21")),
        rating_nationwide: Some(18.68),
        rating_seoul: Some(20.513),
        rating_tnms: Some(15.1),
        basis: "paid_platform".into(),
        source: "https://example.org/ratings".into(),
    };
    let bare_episode = Episode {
        drama_id: DramaId::new("unaired"),
        number: None,
        air_date: None,
        rating_nationwide: None,
        rating_seoul: None,
        rating_tnms: None,
        basis: String::new(),
        source: String::new(),
    };
    let filled_song = Song {
        id: SongId::new("first_snow"),
        drama_id: DramaId::new("goblin"),
        ost_part: Some(9),
        title_en: "I Will Go To You Like the First Snow".into(),
        title_ko: "첫눈처럼 너에게 가겠다".into(),
        artists: vec!["Ailee".into(), "Crush".into()],
        release_date: Some(day("2017-01-15")),
        source: "https://example.org/first_snow".into(),
    };
    let bare_song = Song {
        id: SongId::new("untitled"),
        drama_id: DramaId::new("unaired"),
        ost_part: None,
        title_en: String::new(),
        title_ko: "무제".into(),
        artists: Vec::new(),
        release_date: None,
        source: String::new(),
    };
    let event = |subject, date, kind, value| Event {
        subject,
        date,
        kind,
        detail: "detail".into(),
        value,
        source: "https://example.org/events".into(),
    };
    Catalog {
        dramas: vec![filled_drama, bare_drama],
        episodes: vec![filled_episode, bare_episode],
        songs: vec![filled_song, bare_song],
        events: vec![
            event(
                EventSubject::Song(SongId::new("first_snow")),
                Some(PartialDate::Day(day("2017-01-15"))),
                EventKind::Release,
                Some(1),
            ),
            event(
                EventSubject::Song(SongId::new("first_snow")),
                Some(PartialDate::Month { year: 2017, month: 3 }),
                EventKind::ViewsMilestone,
                Some(100_000_000),
            ),
            event(EventSubject::Drama(DramaId::new("goblin")), Some(PartialDate::Year(2018)), EventKind::Award, None),
            event(
                EventSubject::Drama(DramaId::new("goblin")),
                Some(PartialDate::Interval { start: day("2017-01-14"), end: day("2017-01-20") }),
                EventKind::ViralTrend,
                None,
            ),
            event(EventSubject::Song(SongId::new("untitled")), None, EventKind::LivePerformance, None),
        ],
        artist_aliases: vec![ArtistAlias { name: "Ailee".into(), alias: "에일리".into(), source: "manual".into() }],
        song_aliases: vec![SongAlias {
            song_id: SongId::new("first_snow"),
            alias: "Cheotnuncheoreom".into(),
            source: String::new(),
        }],
    }
}

#[test]
fn the_catalog_reads_back_as_it_was_stored() {
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(folder.path()).unwrap();
    assert_eq!(store.catalog().unwrap(), None, "no catalog stored yet");
    let catalog = full_catalog();
    store.replace_catalog(&catalog, vec![]).unwrap();
    assert_eq!(store.catalog().unwrap(), Some(catalog));
    store.replace_catalog(&Catalog::default(), vec![]).unwrap();
    assert_eq!(store.catalog().unwrap(), Some(Catalog::default()), "an empty catalog is still a catalog");
}

fn listen(track: &str) -> Listen {
    Listen {
        source: ListenSource::LastFm,
        user: "minji".into(),
        listened_at: chrono::DateTime::from_timestamp(1_483_228_800, 0).unwrap(),
        artist: "Kate Bush".into(),
        track: track.into(),
        playback: Default::default(),
        source_file: "l.csv".into(),
        source_line: 2,
        song_id: None,
    }
}

fn chart_part_files(store: &Store) -> Vec<String> {
    let manifest = store.manifest().unwrap();
    manifest.dataset("billboard_hot100").unwrap().parts.iter().map(|part| part.file.clone()).collect()
}

fn chart_counts(summary: &RematchSummary) -> (usize, usize, usize, usize) {
    let chart = &summary.datasets["billboard_hot100"];
    (chart.rows_newly_matched, chart.rows_no_longer_matched, chart.rows_moved, chart.parts_rewritten)
}

#[tokio::test]
async fn stored_rows_follow_the_catalog_as_it_changes() {
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(folder.path()).unwrap();
    let hill = "Running Up That Hill";
    // Two weeks with the song in one file, a week without it in another: two parts.
    let with_song = batch(
        "a.json",
        "weeks with the song",
        vec![
            entry("2022-06-11", 8, hill, None),
            entry("2022-06-11", 9, "Other", None),
            entry("2022-06-25", 4, hill, None),
        ],
    );
    store.append_chart(ChartKind::BillboardHot100, &[with_song]).unwrap();
    let without_song = batch("b.json", "a week without it", vec![entry("2022-06-18", 1, "Other", None)]);
    store.append_chart(ChartKind::BillboardHot100, &[without_song]).unwrap();
    store
        .append_listens(&[SourceRows::new(Path::new("l.csv"), b"listens", vec![listen(hill), listen("Other")])])
        .unwrap();
    let parts_before = chart_part_files(&store);

    let summary = store.replace_catalog(&catalog_with(vec![song("ruth", hill)]), vec![]).unwrap();
    assert_eq!(chart_counts(&summary), (2, 0, 0, 1));
    assert_eq!(summary.datasets["billboard_hot100"].rows_checked, 4);
    assert_eq!(summary.datasets["listens"].rows_newly_matched, 1);
    assert_eq!(summary.rows_changed(), 3);
    let examples: Vec<String> = summary.datasets["billboard_hot100"].examples.iter().map(ToString::to_string).collect();
    assert_eq!(examples, vec!["Running Up That Hill / Kate Bush: (none) -> ruth"]);
    assert_eq!(count(&store, "SELECT count(*) FROM chart_entries WHERE song_id = 'ruth'").await, 2);
    assert_eq!(count(&store, "SELECT count(*) FROM listens WHERE song_id = 'ruth'").await, 1);
    let parts_after = chart_part_files(&store);
    assert_ne!(parts_after[0], parts_before[0], "the part with the song is rewritten");
    assert_eq!(parts_after[1], parts_before[1], "the part without it is left as it was");
    let manifest = store.manifest().unwrap();
    let rewritten = &manifest.dataset("billboard_hot100").unwrap().parts[0];
    assert_eq!(rewritten.issues, vec!["us/2022-06-11".to_string(), "us/2022-06-25".to_string()]);
    assert_eq!(rewritten.sources[0].path, "a.json");

    let summary = store.replace_catalog(&catalog_with(vec![song("ruth_remastered", hill)]), vec![]).unwrap();
    assert_eq!(chart_counts(&summary), (0, 0, 2, 1));
    assert_eq!(summary.datasets["listens"].rows_moved, 1);
    assert_eq!(
        summary.datasets["billboard_hot100"].examples[0].to_string(),
        "Running Up That Hill / Kate Bush: ruth -> ruth_remastered"
    );
    assert_eq!(count(&store, "SELECT count(*) FROM chart_entries WHERE song_id = 'ruth_remastered'").await, 2);

    let summary = store.replace_catalog(&catalog_with(vec![song("other_song", "Another Title")]), vec![]).unwrap();
    assert_eq!(chart_counts(&summary), (0, 2, 0, 1));
    assert_eq!(summary.datasets["listens"].rows_no_longer_matched, 1);
    assert_eq!(count(&store, "SELECT count(*) FROM chart_entries WHERE song_id IS NOT NULL").await, 0);
    assert_eq!(count(&store, "SELECT count(*) FROM billboard_hot100").await, 4, "no row lost or doubled");
    assert_eq!(chart_part_files(&store)[1], parts_before[1]);

    // The rewritten part still knows its chart issues: a re-issued week replaces its rows.
    let corrected = batch("c.json", "corrected", vec![entry("2022-06-25", 1, "Corrected", None)]);
    let appended = store.append_chart(ChartKind::BillboardHot100, &[corrected]).unwrap();
    assert_eq!((appended.rows_added, appended.rows_replaced), (1, 1));
    assert_eq!(count(&store, "SELECT count(*) FROM billboard_hot100").await, 4);
}

#[tokio::test]
async fn rematch_uses_the_stored_catalog_and_commits_only_a_change() {
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(folder.path()).unwrap();
    let error = store.rematch().unwrap_err();
    assert!(matches!(error, StoreError::NoCatalog { .. }) && error.is_user_error(), "{error}");
    let hill = "Running Up That Hill";
    store.replace_catalog(&catalog_with(vec![song("ruth", hill)]), vec![]).unwrap();
    // Rows stored unmatched, as an ingest with an older catalog would have left them.
    let week = batch("a.json", "one week", vec![entry("2022-06-11", 8, hill, None), entry("2022-06-11", 9, "X", None)]);
    store.append_chart(ChartKind::BillboardHot100, &[week]).unwrap();
    let summary = store.rematch().unwrap();
    assert_eq!(chart_counts(&summary), (1, 0, 0, 1));
    assert_eq!(count(&store, "SELECT count(*) FROM chart_entries WHERE song_id = 'ruth'").await, 1);
    let generation = store.manifest().unwrap().generation;
    let again = store.rematch().unwrap();
    assert_eq!(again.rows_changed(), 0);
    assert_eq!(store.manifest().unwrap().generation, generation, "nothing changed, nothing committed");
}

fn search(keyword: &str, date: &str) -> SearchInterest {
    SearchInterest {
        source: SearchSource::GoogleTrends,
        keyword: keyword.into(),
        geo: "South Korea".into(),
        period: SearchPeriod::Day,
        date: day(date),
        value: 50.0,
        below_one: false,
        range_start: day("2022-06-11"),
        range_end: day("2022-06-12"),
        source_file: "multiTimeline.csv".into(),
        source_line: 4,
        song_id: None,
        drama_id: None,
    }
}

/// Search keywords are matched by title when the catalog changes, to a song and to a drama; a
/// re-issued series replaces the stored one, and the re-matched part keeps its series.
#[tokio::test]
async fn search_keywords_follow_the_catalog_and_a_reissued_series_replaces_its_rows() {
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(folder.path()).unwrap();
    let hill = "Running Up That Hill";
    let rows = vec![search(hill, "2022-06-11"), search(hill, "2022-06-12"), search("Stranger Things", "2022-06-11")];
    let first = store.append_search_interest(&[SourceRows::new(Path::new("a.csv"), b"first", rows.clone())]).unwrap();
    assert_eq!(first.rows_added, 3);
    let mut catalog = catalog_with(vec![song("ruth", hill)]);
    catalog.dramas.push(Drama { title_en: "Stranger Things".into(), ..full_catalog().dramas[0].clone() });
    let summary = store.replace_catalog(&catalog, vec![]).unwrap();
    let keywords = &summary.datasets["search_interest"];
    assert_eq!((keywords.rows_checked, keywords.rows_newly_matched, keywords.parts_rewritten), (3, 3, 1));
    let examples: Vec<String> = keywords.examples.iter().map(ToString::to_string).collect();
    assert_eq!(examples, ["Running Up That Hill: (none) -> ruth", "Stranger Things: (none) -> drama goblin"]);
    assert_eq!(count(&store, "SELECT count(*) FROM search_interest WHERE song_id = 'ruth'").await, 2);
    assert_eq!(count(&store, "SELECT count(*) FROM search_interest WHERE drama_id = 'goblin'").await, 1);
    let again = store.append_search_interest(&[SourceRows::new(Path::new("b.csv"), b"again", rows)]).unwrap();
    assert_eq!((again.rows_added, again.rows_replaced), (3, 3));
    assert_eq!(count(&store, "SELECT count(*) FROM search_interest").await, 3);
}

fn viewing_row(show: &str, season: &str, week_end: &str) -> DramaViewing {
    DramaViewing {
        week_end: day(week_end),
        category: "TV (Non-English)".into(),
        rank: 1,
        show_title: show.into(),
        season_title: season.into(),
        hours_viewed: 1_000_000,
        runtime_hours: None,
        views: None,
        weeks_in_top10: 1,
        drama_id: None,
        source_file: "all-weeks-global.tsv".into(),
        source_line: 2,
    }
}

/// Netflix rows stored before their drama was in the catalog get it when the catalog gains it, and
/// lose it when the catalog drops it.
#[tokio::test]
async fn viewing_rows_follow_the_catalog_as_it_changes() {
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(folder.path()).unwrap();
    store.replace_catalog(&catalog_with(vec![song("ruth", "Running Up That Hill")]), vec![]).unwrap();
    let rows = vec![
        viewing_row("Business Proposal", "Business Proposal: Limited Series", "2022-03-06"),
        viewing_row("Squid Game", "Squid Game: Season 1", "2022-03-06"),
    ];
    store
        .append_drama_viewing(&[SourceRows::new(Path::new("all-weeks-global.tsv"), b"week of 2022-03-06", rows)])
        .unwrap();
    assert_eq!(count(&store, "SELECT count(*) FROM drama_viewing WHERE drama_id IS NOT NULL").await, 0);

    let mut with_drama = catalog_with(vec![song("ruth", "Running Up That Hill")]);
    with_drama.dramas.push(Drama::titled("business_proposal", "Business Proposal", "사내맞선"));
    let summary = store.replace_catalog(&with_drama, vec![]).unwrap();
    let report = &summary.datasets["drama_viewing"];
    assert_eq!((report.rows_checked, report.rows_newly_matched, report.rows_no_longer_matched), (2, 1, 0));
    assert_eq!(report.examples[0].new_drama, Some(DramaId::new("business_proposal")));
    let matched = "SELECT count(*) FROM drama_viewing WHERE drama_id = 'business_proposal'";
    assert_eq!(count(&store, matched).await, 1);

    let summary = store.replace_catalog(&catalog_with(vec![song("ruth", "Running Up That Hill")]), vec![]).unwrap();
    assert_eq!(summary.datasets["drama_viewing"].rows_no_longer_matched, 1);
    assert_eq!(count(&store, matched).await, 0);
}
