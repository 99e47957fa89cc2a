//! A small catalog with chart rows whose every figure is known by construction: the fixture the
//! views (report, API, `encore analyze`) pin their JSON shapes with, and a worked example.
//!
//! One drama, "Sample Drama" (nine weekly episodes from 2020-01-05, ratings falling from 20 % to
//! 12 %), with two songs: "Sample Song" on Spotify Korea's daily chart all through 2020's first
//! half (a lift of twice the episode's rating for three days after each airing, then a slow fade
//! after the finale; a music video on 2020-02-01), and "Quiet Song", which never charted (a
//! release event, so the marketing table has a row it cannot measure). A second drama, "Other
//! Drama", has one rated episode and no songs on any chart.

use chrono::{Duration, NaiveDate};

use encore_domain::{
    Catalog, ChartEntry, ChartKind, Drama, DramaId, Episode, Event, EventKind, EventSubject, PartialDate, Song, SongId,
};

/// The catalog and its matched chart rows.
pub fn sample_catalog() -> (Catalog, Vec<ChartEntry>) {
    let first_airing = day(2020, 1, 5);
    let airings: Vec<NaiveDate> = (0..9).map(|week| first_airing + Duration::weeks(week)).collect();
    let finale = airings[8];
    let ratings: Vec<f64> = (0..9).map(|week| 20.0 - week as f64).collect();
    let mut episodes: Vec<Episode> = airings
        .iter()
        .zip(&ratings)
        .enumerate()
        .map(|(index, (aired, rating))| episode("sample_drama", index as u32 + 1, *aired, *rating))
        .collect();
    episodes.push(episode("other_drama", 1, day(2020, 4, 4), 5.5));
    let catalog = Catalog {
        dramas: vec![
            drama("sample_drama", "Sample Drama", "샘플 드라마", first_airing, finale),
            drama("other_drama", "Other Drama", "다른 드라마", day(2020, 4, 4), day(2020, 4, 4)),
        ],
        episodes,
        songs: vec![
            song("sample_song", "Sample Song", "샘플 노래", day(2020, 1, 1)),
            song("quiet_song", "Quiet Song", "조용한 노래", day(2020, 1, 10)),
        ],
        events: vec![
            song_event("sample_song", day(2020, 2, 1), EventKind::MusicVideo, "official music video"),
            song_event("quiet_song", day(2020, 1, 10), EventKind::Release, "digital single"),
        ],
        artist_aliases: Vec::new(),
        song_aliases: Vec::new(),
    };
    let entries = (0..182)
        .map(|offset| {
            let date = day(2020, 1, 1) + Duration::days(offset);
            let lift: f64 = airings
                .iter()
                .zip(&ratings)
                .filter(|(aired, _)| (0..3).contains(&(date - **aired).num_days()))
                .map(|(_, rating)| 2.0 * rating)
                .sum();
            let fade = if date > finale { 0.5_f64.powf((date - finale).num_days() as f64 / 20.0) } else { 1.0 };
            let index = 5.0 + (55.0 + lift) * fade;
            // Spotify's daily index is (201 - rank) / 2.
            let rank = (201.0 - 2.0 * index).round().clamp(1.0, 200.0) as u32;
            let mut entry = ChartEntry::new(ChartKind::SpotifyDaily, "kr", date, rank, "Sample Song", "Sample Artist");
            entry.source_file = "sample.csv".to_string();
            entry.source_line = offset as u64 + 2;
            entry.song_id = Some(SongId::new("sample_song"));
            entry
        })
        .collect();
    (catalog, entries)
}

fn day(year: i32, month: u32, day_of_month: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day_of_month).unwrap_or_default()
}

fn drama(id: &str, title_en: &str, title_ko: &str, premiere: NaiveDate, finale: NaiveDate) -> Drama {
    Drama {
        id: DramaId::new(id),
        title_en: title_en.to_string(),
        title_ko: title_ko.to_string(),
        network: "KBS2".to_string(),
        premiere: Some(premiere),
        finale: Some(finale),
        episode_count: None,
        slot: String::new(),
        source: "sample".to_string(),
    }
}

fn song(id: &str, title_en: &str, title_ko: &str, release: NaiveDate) -> Song {
    Song {
        id: SongId::new(id),
        drama_id: DramaId::new("sample_drama"),
        ost_part: Some(1),
        title_en: title_en.to_string(),
        title_ko: title_ko.to_string(),
        artists: vec!["Sample Artist".to_string()],
        release_date: Some(release),
        source: "sample".to_string(),
    }
}

fn episode(drama_id: &str, number: u32, aired: NaiveDate, rating: f64) -> Episode {
    Episode {
        drama_id: DramaId::new(drama_id),
        number: Some(number),
        air_date: Some(aired),
        rating_nationwide: Some(rating),
        rating_seoul: None,
        rating_tnms: None,
        basis: "sample".to_string(),
        source: "sample".to_string(),
    }
}

fn song_event(song_id: &str, date: NaiveDate, kind: EventKind, detail: &str) -> Event {
    Event {
        subject: EventSubject::Song(SongId::new(song_id)),
        date: Some(PartialDate::Day(date)),
        kind,
        detail: detail.to_string(),
        value: None,
        source: "sample".to_string(),
    }
}
