//! Writes whole reports into temporary folders and reads back what people would see.

use std::fs;
use std::path::Path;

use chrono::{Duration, NaiveDate};

use encore_analytics::effect::{marketing_table, MarketingRow};
use encore_analytics::{daily_series_by_song, Case, DailyPanel, LeaderboardRow};
use encore_domain::{
    ChartEntry, ChartKind, Drama, DramaId, Episode, Event, EventKind, EventSubject, PartialDate, Song, SongId,
};
use encore_report::{write_report, Overwrite, Report, ReportError};

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
}

fn entry(chart: ChartKind, region: &str, date: NaiveDate, rank: u32) -> ChartEntry {
    ChartEntry { source_file: "f".into(), source_line: 1, ..ChartEntry::new(chart, region, date, rank, "t", "a") }
}

/// A chart run: one entry per `step_days` from `first`, with these ranks.
fn run(chart: ChartKind, region: &str, first: &str, step_days: i64, ranks: &[u32]) -> Vec<ChartEntry> {
    ranks
        .iter()
        .enumerate()
        .map(|(index, rank)| entry(chart, region, day(first) + Duration::days(step_days * index as i64), *rank))
        .collect()
}

fn drama(id: &str, title_en: &str, title_ko: &str, network: &str, premiere: &str, finale: &str) -> Drama {
    Drama {
        id: DramaId::new(id),
        title_en: title_en.into(),
        title_ko: title_ko.into(),
        network: network.into(),
        premiere: Some(day(premiere)),
        finale: Some(day(finale)),
        episode_count: None,
        slot: String::new(),
        source: String::new(),
    }
}

fn song(id: &str, drama_id: &str, title_en: &str, title_ko: &str, artists: &[&str], release: &str) -> Song {
    Song {
        id: SongId::new(id),
        drama_id: DramaId::new(drama_id),
        ost_part: Some(1),
        title_en: title_en.into(),
        title_ko: title_ko.into(),
        artists: artists.iter().map(|artist| artist.to_string()).collect(),
        release_date: Some(day(release)),
        source: String::new(),
    }
}

fn episode(drama_id: &str, number: u32, aired: &str, rating: Option<f64>) -> Episode {
    Episode {
        drama_id: DramaId::new(drama_id),
        number: Some(number),
        air_date: Some(day(aired)),
        rating_nationwide: rating,
        rating_seoul: None,
        rating_tnms: None,
        basis: String::new(),
        source: String::new(),
    }
}

fn song_event(song_id: &str, date: &str, kind: EventKind, detail: &str) -> Event {
    Event {
        subject: EventSubject::Song(SongId::new(song_id)),
        date: Some(PartialDate::parse(date).expect("test date")),
        kind,
        detail: detail.into(),
        value: None,
        source: String::new(),
    }
}

/// The catalog facts of the two test cases, owned here so cases can borrow them.
struct Facts {
    dramas: Vec<Drama>,
    songs: Vec<Song>,
    episodes: Vec<Episode>,
    events: Vec<Event>,
    entries: Vec<Vec<ChartEntry>>,
}

fn facts() -> Facts {
    // A 1985 single that a 2022 series brought back: two clusters 37 years apart.
    let mut hill_entries = run(
        ChartKind::BillboardHot100,
        "us",
        "1985-08-24",
        7,
        &[89, 72, 60, 48, 41, 36, 33, 31, 30, 30, 34, 45, 62, 80],
    );
    hill_entries.extend(run(
        ChartKind::BillboardHot100,
        "us",
        "2022-06-11",
        7,
        &[8, 4, 3, 4, 5, 6, 8, 10, 13, 17, 22, 29, 38, 47, 60, 74],
    ));
    let spotify: Vec<u32> =
        (0..110).map(|offset: u32| if offset < 14 { 150 - offset * 11 } else { 1 + (offset - 14) / 3 }).collect();
    hill_entries.extend(run(ChartKind::SpotifyDaily, "global", "2022-05-30", 1, &spotify));
    // A Korean OST charting within one season of its drama.
    let goblin_entries = run(ChartKind::BillboardHot100, "us", "2016-12-17", 7, &[95, 70, 52, 61, 80]);
    let mut episodes = vec![episode("st4", 1, "2022-05-27", None), episode("st4", 8, "2022-07-01", None)];
    episodes.extend((0..16).map(|number| {
        let aired = day("2016-12-02") + Duration::days(i64::from(number / 2) * 7 + i64::from(number % 2));
        Episode { air_date: Some(aired), ..episode("goblin", number + 1, "2016-12-02", Some(6.0 + f64::from(number))) }
    }));
    Facts {
        dramas: vec![
            drama("st4", "Stranger Things 4", "기묘한 이야기 4", "Netflix", "2022-05-27", "2022-07-01"),
            drama(
                "goblin",
                "Guardian: The Lonely & Great God <Goblin>",
                "쓸쓸하고 찬란하神-도깨비",
                "tvN",
                "2016-12-02",
                "2017-01-21",
            ),
        ],
        songs: vec![
            song("hill", "st4", "Running Up That Hill", "", &["Kate Bush"], "1985-08-05"),
            song("stay_with_me", "goblin", "Stay With Me", "스테이 위드 미", &["Chanyeol", "Punch"], "2016-12-02"),
        ],
        episodes,
        events: vec![
            song_event("hill", "2022-05-27", EventKind::ViralTrend, "Stranger Things 4 scene goes viral"),
            song_event("hill", "2022-06", EventKind::MusicVideo, "fan music video"),
            song_event("hill", "1985-09-02", EventKind::MusicVideo, "music video"),
            song_event("stay_with_me", "2016-12-10", EventKind::LivePerformance, "stage"),
        ],
        entries: vec![hill_entries, goblin_entries],
    }
}

fn case<'a>(facts: &'a Facts, index: usize) -> Case<'a> {
    let song = &facts.songs[index];
    let drama = facts.dramas.iter().find(|drama| drama.id == song.drama_id);
    let episodes: Vec<&Episode> = facts.episodes.iter().filter(|episode| episode.drama_id == song.drama_id).collect();
    let events: Vec<&Event> =
        facts.events.iter().filter(|event| event.subject == EventSubject::Song(song.id.clone())).collect();
    Case::analyse(song, drama, episodes, &[], events, facts.entries[index].clone())
}

fn report(facts: &Facts) -> Report<'_> {
    let cases = vec![case(facts, 0), case(facts, 1)];
    let leaderboard = cases
        .iter()
        .enumerate()
        .map(|(index, case)| LeaderboardRow {
            rank: index + 1,
            song: case.song.display_title().to_string(),
            artists: case.song.artists.join(", "),
            drama: case.drama.map(|drama| drama.display_title().to_string()).unwrap_or_default(),
            eclipse: case.eclipse.clone(),
            song_id: case.song.id.clone(),
        })
        .collect();
    let marketing = marketing_of(facts, &cases);
    Report {
        title: "Encore: OSTs & their dramas".into(),
        generated_from: vec!["catalog/".into(), "charts/".into()],
        cases,
        leaderboard,
        marketing,
        listeners: Vec::new(),
        sections: Default::default(),
    }
}

/// The marketing table of the facts' events, measured on the cases' daily series.
fn marketing_of(facts: &Facts, cases: &[Case<'_>]) -> Vec<MarketingRow> {
    marketing_table(&facts.events, &daily_series_by_song(cases), &DailyPanel::default())
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

#[test]
fn the_page_shows_the_leaderboard_and_every_case() {
    let facts = facts();
    let report = report(&facts);
    let folder = tempfile::tempdir().unwrap();
    let html_path = write_report(&folder.path().join("report"), &report, Overwrite::OnlyEncoreReports).unwrap();
    let html = read(&html_path);

    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<meta charset=\"utf-8\">"));
    assert!(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"));
    assert!(html.contains("<title>Encore: OSTs &amp; their dramas</title>"));
    // Leaderboard rows in order, linking to their cases.
    let first = html.find("<a href=\"#hill\">Running Up That Hill</a>").expect("first row");
    let second = html.find("<a href=\"#stay_with_me\">Stay With Me</a>").expect("second row");
    assert!(first < second);
    assert!(html.contains(&format!("{:.2}", report.cases[0].eclipse.score)));
    // Catalog text is escaped; Hangul arrives as is.
    assert!(html.contains("Guardian: The Lonely &amp; Great God &lt;Goblin&gt;"));
    assert!(!html.contains("<Goblin>"));
    assert!(html.contains("<span class=\"ko\" lang=\"ko\">스테이 위드 미</span>"));
    assert!(html.contains("id=\"hill\"") && html.contains("id=\"stay_with_me\""));
    assert!(html.contains("Generated from: catalog/, charts/"));
    // Each figure says how to read it, and every screen offers a way back to the leaderboard.
    assert_eq!(html.matches("<figcaption>").count(), 4);
    assert!(html.contains("class=\"to-top\" href=\"#leaderboard\""));
    // Every peak is described in its case's table.
    for case in &report.cases {
        assert!(!case.peaks.is_empty(), "{} has peaks", case.song.id);
        for peak in &case.peaks {
            assert!(html.contains(&encore_report::escape_html(&peak.describe())), "{}", peak.describe());
        }
    }
    // Every image the page shows exists.
    let folder_of_report = html_path.parent().unwrap();
    let sources: Vec<&str> = html.split("<img src=\"").skip(1).filter_map(|rest| rest.split('"').next()).collect();
    assert_eq!(sources, ["hill-chart.svg", "hill-eclipse.svg", "stay_with_me-chart.svg", "stay_with_me-eclipse.svg"]);
    for source in sources {
        let svg = read(&folder_of_report.join(source));
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"), "{source}");
        assert!(svg.contains("<polyline") || svg.contains("<path"), "{source}");
    }
}

#[test]
fn a_song_charting_decades_apart_gets_a_panel_per_decade() {
    let facts = facts();
    let report = report(&facts);
    let hill = &report.cases[0];
    let folder = tempfile::tempdir().unwrap();
    let html_path = write_report(&folder.path().join("report"), &report, Overwrite::OnlyEncoreReports).unwrap();
    let chart = read(&html_path.with_file_name("hill-chart.svg"));
    // Each panel is captioned with its own dates (`Aug 1985 to Dec 1985`): two for the song that
    // charted in 1985 and 2022, one for the song that charted in one season.
    assert_eq!(chart.matches(" to ").count(), 2);
    assert!(chart.contains("1985 to") && chart.contains("2022 to"));
    assert_eq!(read(&html_path.with_file_name("hill-eclipse.svg")).matches(" to ").count(), 2);
    assert_eq!(read(&html_path.with_file_name("stay_with_me-chart.svg")).matches(" to ").count(), 1);
    // Peaks are labelled with rank and cause.
    let primary = hill.peaks.iter().find(|peak| peak.prominence == encore_analytics::Prominence::Primary).unwrap();
    assert!(chart.contains(&format!("#{} ", primary.rank)), "primary peak label");
    assert!(chart.contains(">premiere") || chart.contains("premiere\n"));
    assert!(chart.contains("chart rank (1 = top)"), "value axis title");
    let eclipse_chart = read(&html_path.with_file_name("hill-eclipse.svg"));
    assert!(eclipse_chart.contains("finale"));
    if let Some(crossover) = hill.eclipse.crossover {
        assert!(eclipse_chart.contains(&format!("crossover {crossover}")));
    }
}

#[test]
fn the_csv_has_the_same_rows() {
    let facts = facts();
    let report = report(&facts);
    let folder = tempfile::tempdir().unwrap();
    let html_path = write_report(&folder.path().join("report"), &report, Overwrite::OnlyEncoreReports).unwrap();
    let csv = read(&html_path.with_file_name("leaderboard.csv"));
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "rank,song,artists,drama,eclipse_score,share_after_finale_percent,crossover,chart_days,year_end_lists"
    );
    assert!(lines[1].starts_with("1,Running Up That Hill,Kate Bush,Stranger Things 4,"));
    assert!(lines[2].starts_with("2,Stay With Me,\"Chanyeol, Punch\",Guardian: The Lonely & Great God <Goblin>,"));
    assert_eq!(lines.len(), 3);
}

#[test]
fn a_new_report_replaces_the_old_folder_entirely() {
    let facts = facts();
    let report = report(&facts);
    let folder = tempfile::tempdir().unwrap();
    let target = folder.path().join("report");
    write_report(&target, &report, Overwrite::OnlyEncoreReports).unwrap();
    fs::write(target.join("stale.txt"), "from an older report").unwrap();
    write_report(&target, &report, Overwrite::OnlyEncoreReports).unwrap();
    assert!(!target.join("stale.txt").exists());
    assert!(target.join("report.html").exists());
    // No staging or set-aside folder is left next to it.
    let siblings: Vec<String> = fs::read_dir(folder.path())
        .unwrap()
        .map(|item| item.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(siblings, ["report"]);
}

#[test]
fn bad_slugs_and_dangling_links_are_refused_before_anything_is_written() {
    let facts = facts();
    let folder = tempfile::tempdir().unwrap();
    let target = folder.path().join("report");

    let mut unsafe_facts = self::facts();
    unsafe_facts.songs[0].id = SongId::new("../hill");
    let unsafe_slug = report(&unsafe_facts);
    assert!(matches!(
        write_report(&target, &unsafe_slug, Overwrite::OnlyEncoreReports),
        Err(ReportError::BadInput { .. })
    ));

    let mut dangling = report(&facts);
    dangling.leaderboard[1].song_id = SongId::new("missing");
    assert!(matches!(
        write_report(&target, &dangling, Overwrite::OnlyEncoreReports),
        Err(ReportError::BadInput { .. })
    ));
    assert!(!target.exists());
}

#[test]
fn a_folder_encore_did_not_write_is_never_replaced_unless_forced() {
    let facts = facts();
    let report = report(&facts);
    let folder = tempfile::tempdir().unwrap();
    let target = folder.path().join("analysis");
    fs::create_dir_all(target.join("store")).unwrap();
    fs::write(target.join("notes.xlsx"), "the user's own notes").unwrap();
    let refused = write_report(&target, &report, Overwrite::OnlyEncoreReports);
    let message = refused.as_ref().map(|_| ()).unwrap_err().to_string();
    assert!(matches!(refused, Err(ReportError::NotEncores { .. })), "{message}");
    assert!(message.contains("--force") && message.contains(".encore-report"), "{message}");
    assert_eq!(fs::read_to_string(target.join("notes.xlsx")).unwrap(), "the user's own notes");
    assert!(target.join("store").is_dir());
    let siblings = fs::read_dir(folder.path()).unwrap().count();
    assert_eq!(siblings, 1, "nothing staged beside a refused target");

    // An empty folder is fine; so is anything, when forced.
    let empty = folder.path().join("empty");
    fs::create_dir_all(&empty).unwrap();
    write_report(&empty, &report, Overwrite::OnlyEncoreReports).unwrap();
    assert!(empty.join(".encore-report").is_file());
    write_report(&target, &report, Overwrite::Anything).unwrap();
    assert!(!target.join("notes.xlsx").exists());
    assert!(target.join("report.html").is_file());
}

/// A song with a Hangul title only, three clusters, three charts, many episodes, events and peaks.
fn crowded_facts() -> Facts {
    let mut entries = vec![
        entry(ChartKind::MELON_YEAR_END, "kr", day("2008-12-31"), 90),
        entry(ChartKind::MELON_YEAR_END, "kr", day("2018-12-31"), 5),
        entry(ChartKind::MELON_YEAR_END, "kr", day("2019-12-31"), 3),
        entry(ChartKind::MELON_YEAR_END, "kr", day("2020-12-31"), 20),
    ];
    let waves: Vec<u32> =
        (0..700u32).map(|offset| 20 + ((offset * 37) % 150) / 3 + if offset % 90 < 10 { 0 } else { 60 }).collect();
    entries.extend(run(ChartKind::SpotifyDaily, "kr", "2018-03-20", 1, &waves[..200]));
    entries.extend(run(
        ChartKind::SpotifyDaily,
        "global",
        "2018-04-01",
        1,
        &waves[300..420].iter().map(|rank| rank + 90).collect::<Vec<_>>(),
    ));
    let episodes = (0..32)
        .map(|number| episode("kiss", number + 1, "2018-02-19", Some(5.0)))
        .enumerate()
        .map(|(index, episode)| Episode {
            air_date: Some(day("2018-02-19") + Duration::days(index as i64 / 2 * 7 + index as i64 % 2)),
            ..episode
        })
        .collect();
    let mut events = vec![
        song_event("moment", "2018-03-20", EventKind::Release, "release"),
        song_event("moment", "2018-03-28", EventKind::MusicVideo, "MV"),
        song_event("moment", "2018-05-01", EventKind::RemixRelease, "acoustic"),
        song_event("moment", "2018-05-03", EventKind::LivePerformance, "stage"),
        song_event("moment", "2018-05-05", EventKind::ViralTrend, "cover trend"),
        song_event("moment", "2018-05-06", EventKind::Award, "award"),
    ];
    events.extend((0..12).map(|week| {
        song_event("moment", &(day("2018-06-01") + Duration::weeks(week)).to_string(), EventKind::ViralTrend, "wave")
    }));
    Facts {
        dramas: vec![drama(
            "kiss",
            "Should We Kiss First? And a Title Long Enough to Need Cutting Short",
            "키스 먼저 할까요?",
            "SBS",
            "2018-02-19",
            "2018-04-10",
        )],
        songs: vec![song("moment", "kiss", "", "모든 날, 모든 순간", &["폴킴 (Paul Kim)"], "2018-03-20")],
        episodes,
        events,
        entries: vec![entries],
    }
}

#[test]
fn a_crowded_case_still_draws_every_panel() {
    let facts = crowded_facts();
    let crowded = case(&facts, 0);
    assert!(crowded.peaks.len() > 5, "{} peaks", crowded.peaks.len());
    let report = Report {
        title: "crowded".into(),
        generated_from: Vec::new(),
        cases: vec![crowded],
        leaderboard: Vec::new(),
        marketing: Vec::new(),
        listeners: Vec::new(),
        sections: Default::default(),
    };
    let folder = tempfile::tempdir().unwrap();
    let html_path = write_report(&folder.path().join("report"), &report, Overwrite::OnlyEncoreReports).unwrap();
    let chart = read(&html_path.with_file_name("moment-chart.svg"));
    assert_eq!(chart.matches(" to ").count(), 2, "2008 and 2018-2020, merged within two years");
    assert!(chart.contains("모든 날, 모든 순간") && chart.contains("<polyline"));
}

/// Not a check: writes the reports to `$ENCORE_REPORT_PREVIEW` for a person to look at.
#[test]
fn preview_when_asked() {
    let Ok(preview) = std::env::var("ENCORE_REPORT_PREVIEW") else { return };
    let facts = facts();
    write_report(Path::new(&preview).join("cases").as_path(), &report(&facts), Overwrite::Anything).unwrap();
    let crowded_facts = crowded_facts();
    let crowded = Report {
        title: "crowded".into(),
        generated_from: Vec::new(),
        cases: vec![case(&crowded_facts, 0)],
        leaderboard: Vec::new(),
        marketing: Vec::new(),
        listeners: Vec::new(),
        sections: Default::default(),
    };
    write_report(Path::new(&preview).join("crowded").as_path(), &crowded, Overwrite::Anything).unwrap();
}

/// A Korean OST whose daily index rises by twice the rating in the three days after each airing
/// (ratings falling week by week) and decays exponentially from the finale on, half-life 20 days,
/// to a baseline of 5.
fn fading_facts() -> Facts {
    let finale = day("2020-03-01");
    let airings: Vec<NaiveDate> = (0..9).map(|week| day("2020-01-05") + Duration::weeks(week)).collect();
    let ratings: Vec<f64> = (0..9).map(|number| 13.0 - f64::from(number)).collect();
    let entries: Vec<ChartEntry> = (0..180)
        .map(|offset| {
            let date = day("2020-01-01") + Duration::days(offset);
            let value = if date >= finale {
                5.0 + 55.0 * 0.5_f64.powf((date - finale).num_days() as f64 / 20.0)
            } else {
                let bump = airings
                    .iter()
                    .zip(&ratings)
                    .find(|(aired, _)| (0..3).contains(&(date - **aired).num_days()))
                    .map(|(_, rating)| 2.0 * rating)
                    .unwrap_or(0.0);
                60.0 + bump
            };
            // Spotify's daily index is (201 - rank) / 2.
            let rank = (201.0 - 2.0 * value).round().clamp(1.0, 200.0) as u32;
            entry(ChartKind::SpotifyDaily, "kr", date, rank)
        })
        .collect();
    let episodes = airings
        .iter()
        .zip(&ratings)
        .enumerate()
        .map(|(index, (aired, rating))| episode("fade_drama", index as u32 + 1, &aired.to_string(), Some(*rating)))
        .collect();
    Facts {
        dramas: vec![drama("fade_drama", "Fading", "", "KBS2", "2020-01-05", "2020-03-01")],
        songs: vec![song("fade", "fade_drama", "Fade Away", "", &["Singer"], "2020-01-01")],
        episodes,
        events: vec![song_event("fade", "2020-02-10", EventKind::MusicVideo, "music video")],
        entries: vec![entries],
    }
}

#[test]
fn a_decay_after_the_finale_shows_its_half_life_and_the_airings_their_response() {
    let facts = fading_facts();
    let fade = case(&facts, 0);
    let longevity = fade.longevity.value().expect("longevity measured");
    let fit = longevity.fit.expect("decay fitted");
    assert!((17.0..23.0).contains(&fit.half_life_days), "half-life {}", fit.half_life_days);
    let (low, high) = longevity.half_life_interval.expect("interval");
    assert!(low <= fit.half_life_days && fit.half_life_days <= high, "{low} {high}");
    let airing = fade.airing.value().expect("airing measured");
    assert_eq!(airing.lag_days, 0);
    assert_eq!(airing.strongest.and_then(|episode| episode.airing.number), Some(1));
    assert!(airing.rating_correlation.expect("correlation").r > 0.5);
    let spread = fade.spread.value().expect("spread");
    assert_eq!(spread.len(), 1);
    assert_eq!((spread[0].region.as_str(), spread[0].lag_from_korea_days), ("kr", Some(0)));

    let marketing = marketing_of(&facts, std::slice::from_ref(&fade));
    let report = Report {
        title: "fading".into(),
        generated_from: Vec::new(),
        cases: vec![fade],
        leaderboard: Vec::new(),
        marketing,
        listeners: Vec::new(),
        sections: Default::default(),
    };
    let folder = tempfile::tempdir().unwrap();
    let html_path = write_report(&folder.path().join("report"), &report, Overwrite::OnlyEncoreReports).unwrap();
    let html = read(&html_path);
    assert!(html.contains("<h3>Longevity after the finale</h3>"));
    assert!(html.contains(&format!(
        "half-life <strong>{:.1} days</strong> (95 % interval {low:.1} to {high:.1} days)",
        fit.half_life_days
    )));
    assert!(html.contains("<p>Lag 0 days;") && html.contains("strongest: episode 1 (2020-01-05)"));
    assert!(html.contains("<td>kr</td><td class=\"date\">2020-01-01</td><td class=\"number\">+0 days</td>"));
    // The music video is in the marketing table with a measured lift.
    let marketing = html.split("<section id=\"marketing\">").nth(1).expect("marketing section");
    assert!(marketing.contains("<td>music video</td><td><a href=\"#fade\">Fade Away</a>"), "{marketing}");
    assert!(!marketing.contains("not measurable: no daily"), "{marketing}");

    let json: serde_json::Value = serde_json::from_str(&read(&html_path.with_file_name("report.json"))).unwrap();
    let case_json = &json["cases"][0];
    let half_life = case_json["longevity"]["fit"]["half_life_days"].as_f64().unwrap();
    assert!((half_life - fit.half_life_days).abs() < 1e-9);
    assert_eq!(case_json["airing"]["lag_days"], 0);
    assert_eq!(case_json["spread"][0]["region"], "kr");
    assert_eq!(json["marketing"][0]["approach"], "music video");
    assert!(json["marketing"][0]["lift"]["estimate"].is_number());
}

#[test]
fn what_the_data_cannot_show_is_said_not_hidden() {
    // Year-end ranks only: no days to fit a decay or to see an airing in.
    let mut facts = fading_facts();
    facts.entries = vec![vec![entry(ChartKind::MELON_YEAR_END, "kr", day("2020-12-31"), 12)]];
    let year_end_only = case(&facts, 0);
    // The hill charted in the US and worldwide, never in Korea.
    let hill_facts = self::facts();
    let hill = case(&hill_facts, 0);
    let marketing = marketing_of(&facts, std::slice::from_ref(&year_end_only));
    let report = Report {
        title: "gaps".into(),
        generated_from: Vec::new(),
        cases: vec![year_end_only, hill],
        leaderboard: Vec::new(),
        marketing,
        listeners: Vec::new(),
        sections: Default::default(),
    };
    let folder = tempfile::tempdir().unwrap();
    let html_path = write_report(&folder.path().join("report"), &report, Overwrite::OnlyEncoreReports).unwrap();
    let html = read(&html_path);
    assert!(html.contains(
        "Not measurable: no daily or weekly chart entries (year-end ranks have no days).</p>\n<h3>Airing response</h3>\n\
         <p class=\"note\">Not measurable: no daily or weekly chart data during the broadcast (2020-01-05 to 2020-03-01)."
    ));
    assert!(html.contains("\u{2014} (no Korean chart entry)"));
    // The fade's music video has no daily series under it now.
    assert!(html.contains("not measurable: the song has no daily or weekly chart series"));
    let json: serde_json::Value = serde_json::from_str(&read(&html_path.with_file_name("report.json"))).unwrap();
    assert_eq!(
        json["cases"][0]["longevity"]["not_measurable"],
        "no daily or weekly chart entries (year-end ranks have no days)"
    );
    assert!(json["cases"][1]["longevity"]["fit"]["half_life_days"].is_number());
    // Every marketing row shows a lift or why there is none.
    let marketing = html.split("<section id=\"marketing\">").nth(1).unwrap().split("</section>").next().unwrap();
    for row in marketing.split("<tr>").skip(2) {
        assert!(row.contains('%') || row.contains("not measurable: "), "{row}");
    }
}
