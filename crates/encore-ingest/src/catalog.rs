//! The catalog folder: `dramas.csv`, `episodes.csv`, `songs.csv`, `events.csv` and an optional
//! `artists.csv` (`name,alias,source`) and an optional `song_aliases.csv` (`song_id,alias,source`:
//! other titles a song goes by on charts), in the shape of `shared/data/facts`. Other files in the
//! folder (`chart_peaks.csv`, `README.md`, `SOURCES.md`) are not read.
//!
//! An event's `song_id_or_drama_id` is a song when songs.csv has that song id, else a drama when
//! dramas.csv has that drama id *or a song names it as its drama*. The second case covers the
//! facts' two Western shows (`stranger_things_s4`, `wednesday_s1`): songs.csv names them as
//! dramas, dramas.csv has no row for them, and each has a release event. References the catalog
//! cannot resolve are left to `Catalog::dangling_references`, not rejected here.

use std::collections::{HashMap, HashSet};
use std::io;
use std::path::Path;

use encore_domain::calendar::complete_calendars;
use encore_domain::{Catalog, DramaId, EventSubject, SongId};

pub use crate::catalog_rows::parse_song_aliases;
use crate::catalog_rows::{
    artist_alias, drama, episode, event, song, ARTIST_COLUMNS, ARTIST_OPTIONAL_COLUMNS, DRAMA_COLUMNS,
    DRAMA_OPTIONAL_COLUMNS, EPISODE_COLUMNS, EPISODE_OPTIONAL_COLUMNS, EVENT_COLUMNS, EVENT_OPTIONAL_COLUMNS,
    SONG_COLUMNS, SONG_OPTIONAL_COLUMNS,
};
use crate::error::{io_error, read_bytes, IngestError};
use crate::report::{Parsed, Rejected};
use crate::table::read_csv;

/// The contents of the catalog files. `artists` is `None` when the folder has no `artists.csv`.
#[derive(Debug, Clone, Copy)]
pub struct CatalogFiles<'a> {
    pub dramas: &'a [u8],
    pub episodes: &'a [u8],
    pub songs: &'a [u8],
    pub events: &'a [u8],
    pub artists: Option<&'a [u8]>,
}

/// A catalog and the rows of its files that could not be loaded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedCatalog {
    pub catalog: Catalog,
    pub rejected: Vec<Rejected>,
}

/// Parses the catalog files. `folder` only prefixes the file names in messages.
pub fn parse_catalog(files: &CatalogFiles<'_>, folder: &Path) -> ParsedCatalog {
    let name = |file: &str| folder.join(file).display().to_string();
    let mut rejected = Vec::new();

    let dramas_file = name("dramas.csv");
    let dramas = read_csv(files.dramas, &dramas_file, &DRAMA_COLUMNS, &DRAMA_OPTIONAL_COLUMNS, |row| {
        Ok((row.line(), drama(row)?))
    });
    let dramas = keep_first_of_each_id(dramas, &dramas_file, "drama_id", |drama| drama.id.as_str(), &mut rejected);

    let songs_file = name("songs.csv");
    let songs =
        read_csv(files.songs, &songs_file, &SONG_COLUMNS, &SONG_OPTIONAL_COLUMNS, |row| Ok((row.line(), song(row)?)));
    let songs = keep_first_of_each_id(songs, &songs_file, "song_id", |song| song.id.as_str(), &mut rejected);

    let episodes =
        read_csv(files.episodes, &name("episodes.csv"), &EPISODE_COLUMNS, &EPISODE_OPTIONAL_COLUMNS, episode);
    rejected.extend(episodes.rejected);

    let song_ids: HashSet<&str> = songs.iter().map(|song| song.id.as_str()).collect();
    let drama_ids: HashSet<&str> =
        dramas.iter().map(|drama| drama.id.as_str()).chain(songs.iter().map(|song| song.drama_id.as_str())).collect();
    let subject_of = |id: &str| {
        if song_ids.contains(id) {
            Some(EventSubject::Song(SongId::new(id)))
        } else if drama_ids.contains(id) {
            Some(EventSubject::Drama(DramaId::new(id)))
        } else {
            None
        }
    };
    let events = read_csv(files.events, &name("events.csv"), &EVENT_COLUMNS, &EVENT_OPTIONAL_COLUMNS, |row| {
        event(row, subject_of)
    });
    rejected.extend(events.rejected);

    let artist_aliases = match files.artists {
        Some(bytes) => {
            let aliases =
                read_csv(bytes, &name("artists.csv"), &ARTIST_COLUMNS, &ARTIST_OPTIONAL_COLUMNS, artist_alias);
            rejected.extend(aliases.rejected);
            aliases.rows
        }
        None => Vec::new(),
    };

    // Air dates the files lack are derived from each drama's slot, marked as derived.
    let catalog = complete_calendars(Catalog {
        dramas,
        episodes: episodes.rows,
        songs,
        events: events.rows,
        artist_aliases,
        song_aliases: Vec::new(),
    });
    ParsedCatalog { catalog, rejected }
}

/// Reads the catalog folder. Any of the four required files missing is an error; `artists.csv`
/// and `song_aliases.csv` may be absent.
pub fn read_catalog(folder: &Path) -> Result<ParsedCatalog, IngestError> {
    let metadata = std::fs::metadata(folder).map_err(|source| io_error(folder, source))?;
    if !metadata.is_dir() {
        let source = io::Error::new(io::ErrorKind::NotADirectory, "a catalog is a folder of CSV files");
        return Err(IngestError::Io { path: folder.to_path_buf(), source });
    }
    let dramas = read_bytes(&folder.join("dramas.csv"))?;
    let episodes = read_bytes(&folder.join("episodes.csv"))?;
    let songs = read_bytes(&folder.join("songs.csv"))?;
    let events = read_bytes(&folder.join("events.csv"))?;
    let artists = match read_bytes(&folder.join("artists.csv")) {
        Ok(bytes) => Some(bytes),
        Err(IngestError::Missing { .. }) => None,
        Err(error) => return Err(error),
    };
    let files = CatalogFiles {
        dramas: &dramas,
        episodes: &episodes,
        songs: &songs,
        events: &events,
        artists: artists.as_deref(),
    };
    let mut parsed = parse_catalog(&files, folder);
    let song_aliases_path = folder.join("song_aliases.csv");
    match read_bytes(&song_aliases_path) {
        Ok(bytes) => parse_song_aliases(&bytes, &song_aliases_path.display().to_string(), &mut parsed),
        Err(IngestError::Missing { .. }) => {}
        Err(error) => return Err(error),
    }
    Ok(parsed)
}

/// Keeps the rows, rejecting any whose id an earlier row already has.
fn keep_first_of_each_id<T>(
    parsed: Parsed<(u64, T)>,
    file: &str,
    id_column: &str,
    id_of: impl Fn(&T) -> &str,
    rejected: &mut Vec<Rejected>,
) -> Vec<T> {
    rejected.extend(parsed.rejected);
    let mut first_line_of_id: HashMap<String, u64> = HashMap::new();
    let mut kept = Vec::with_capacity(parsed.rows.len());
    for (line, row) in parsed.rows {
        let id = id_of(&row);
        if let Some(first_line) = first_line_of_id.get(id) {
            rejected.push(Rejected::new(
                file,
                line,
                id_column,
                format!("`{id}` is already the id of line {first_line}"),
            ));
            continue;
        }
        first_line_of_id.insert(id.to_string(), line);
        kept.push(row);
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use encore_domain::{EventKind, PartialDate};

    const DRAMAS: &str = "drama_id,title_en,title_ko,network,premiere,finale,episodes,slot,source\n\
        goblin,Guardian,도깨비,tvN,2016-12-02,2017-01-21,16,Fri-Sat 20:00,https://a | https://b\n";
    const SONGS: &str = "song_id,drama_id,ost_part,title_en,title_ko,artists,release_date,source\n\
        stay_with_me,goblin,1,Stay With Me,스테이 위드 미,Chanyeol; Punch,2016-12-03,s\n\
        ruth,stranger_things_s4,,Running Up That Hill,,Kate Bush,,s\n";
    const EPISODES: &str = "drama_id,episode,air_date,nielsen_nationwide_pct,nielsen_seoul_pct,tnms_pct,source,basis\n\
        goblin,16,2017-01-21,18.68,,,s,\n\
        goblin,,2017-01-20,20.5,,,s,paid_platform\n";
    const EVENTS: &str = "song_id_or_drama_id,date,kind,detail,value,source\n\
        stay_with_me,2016-12-03,release,single,,s\n\
        goblin,2017,award,\"best OST, 2017\",1,s\n\
        stranger_things_s4,2022-05-27,release,season 4,,s\n";

    fn parse(dramas: &str, episodes: &str, songs: &str, events: &str, artists: Option<&str>) -> ParsedCatalog {
        let files = CatalogFiles {
            dramas: dramas.as_bytes(),
            episodes: episodes.as_bytes(),
            songs: songs.as_bytes(),
            events: events.as_bytes(),
            artists: artists.map(str::as_bytes),
        };
        parse_catalog(&files, Path::new("facts"))
    }

    /// Parses a catalog whose files are the good ones above plus `extra_rows` appended to the
    /// file named, and asserts the rejections.
    fn check_rejected(file: &str, extra_rows: &str, expected: &[&str]) -> Catalog {
        let with_extra = |name: &str, text: &str| {
            if name == file {
                format!("{text}{extra_rows}")
            } else {
                text.to_string()
            }
        };
        let parsed = parse(
            &with_extra("dramas", DRAMAS),
            &with_extra("episodes", EPISODES),
            &with_extra("songs", SONGS),
            &with_extra("events", EVENTS),
            Some(&with_extra("artists", "name,alias,source\nAilee,에일리,s\n")),
        );
        let rejected: Vec<String> = parsed.rejected.iter().map(ToString::to_string).collect();
        assert_eq!(rejected, expected, "{file} + {extra_rows:?}");
        parsed.catalog
    }

    #[test]
    fn reads_every_file_into_the_catalog() {
        let catalog = check_rejected("", "", &[]);
        let goblin = &catalog.dramas[0];
        assert_eq!(
            (goblin.id.as_str(), goblin.episode_count, goblin.premiere.map(|day| day.to_string())),
            ("goblin", Some(16), Some("2016-12-02".to_string()))
        );
        assert_eq!(catalog.songs[0].artists, ["Chanyeol", "Punch"]);
        assert_eq!(catalog.songs[1].release_date, None);
        assert_eq!(catalog.episodes[1].number, None);
        assert_eq!(catalog.episodes[1].basis, "paid_platform");
        let subjects: Vec<&EventSubject> = catalog.events.iter().map(|event| &event.subject).collect();
        assert_eq!(
            subjects,
            [
                &EventSubject::Song(SongId::new("stay_with_me")),
                &EventSubject::Drama(DramaId::new("goblin")),
                &EventSubject::Drama(DramaId::new("stranger_things_s4")),
            ]
        );
        assert_eq!(
            (catalog.events[1].date, catalog.events[1].kind, catalog.events[1].value),
            (Some(PartialDate::Year(2017)), EventKind::Award, Some(1))
        );
        assert_eq!(catalog.events[1].detail, "best OST, 2017");
        assert_eq!(catalog.artist_aliases[0].alias, "에일리");
    }

    #[test]
    fn a_bad_row_names_file_line_and_field_and_the_others_still_load() {
        check_rejected(
            "dramas",
            "dots,DotS,태양의 후예,KBS2,2016-02,2016-04-14,16,,s\n",
            &["facts/dramas.csv:3: field `premiere`: \"2016-02\" is not a day: this column needs YYYY-MM-DD"],
        );
        check_rejected("dramas", "dots,DotS,태양의 후예,KBS2,2016-02-24,someday,16,,s\n", &["facts/dramas.csv:3: field `finale`: `someday` is not a date (expected YYYY-MM-DD, YYYY-MM, YYYY or YYYY-MM-DD/YYYY-MM-DD)"]);
        check_rejected(
            "dramas",
            "goblin,Again,,tvN,,,x16,,s\n",
            &["facts/dramas.csv:3: field `episodes`: \"x16\" is not a number"],
        );
        check_rejected(
            "dramas",
            "goblin,Again,,tvN,,,,,s\n",
            &["facts/dramas.csv:3: field `drama_id`: `goblin` is already the id of line 2"],
        );
        check_rejected(
            "episodes",
            "goblin,1,2016-12-02,6.3,,\n",
            &["facts/episodes.csv:4: has 6 fields where the header has 8"],
        );
        check_rejected(
            "episodes",
            "goblin,1,2016-12-02,630,,,s,\n",
            &["facts/episodes.csv:4: field `nielsen_nationwide_pct`: \"630\" is not a percentage from 0 to 100"],
        );
        check_rejected("songs", ",goblin,,T,,A,,s\n", &["facts/songs.csv:4: field `song_id`: is empty"]);
        check_rejected(
            "songs",
            "s2,goblin,2,T,,A,2016-12,s\n",
            &["facts/songs.csv:4: field `release_date`: \"2016-12\" is not a day: this column needs YYYY-MM-DD"],
        );
        check_rejected("events", "gobln,2017,award,x,,s\n", &["facts/events.csv:5: field `song_id_or_drama_id`: `gobln` is neither a song id of songs.csv nor a drama id of dramas.csv or songs.csv"]);
        check_rejected("events", "goblin,2017,premiere,x,,s\n", &["facts/events.csv:5: field `kind`: `premiere` is not an event kind (one of release, music_video, views_milestone, chart_entry, chart_reentry, award, anniversary, viral_trend, live_performance, remix_release)"]);
        check_rejected(
            "events",
            "goblin,2017,award,x,1.5M,s\n",
            &["facts/events.csv:5: field `value`: \"1.5M\" is not a number"],
        );
        check_rejected("artists", "Davichi,,s\n", &["facts/artists.csv:3: field `alias`: is empty"]);
    }

    #[test]
    fn a_catalog_of_only_the_required_columns_loads_and_a_missing_one_is_named() {
        let parsed = parse(
            "drama_id\nmy_drama\n",
            "drama_id\n",
            "song_id,drama_id,artists,title_ko\nmy_song,my_drama,멜로망스,사랑인가 봐\n",
            "kind,song_id_or_drama_id\nrelease,my_song\n",
            None,
        );
        assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
        let catalog = parsed.catalog;
        assert_eq!((catalog.dramas.len(), catalog.songs.len(), catalog.events.len()), (1, 1, 1));
        assert_eq!((catalog.songs[0].title_ko.as_str(), catalog.songs[0].title_en.as_str()), ("사랑인가 봐", ""));
        assert_eq!(catalog.events[0].date, None);
        let without_artists =
            parse("drama_id\nd\n", "drama_id\n", "song_id,drama_id\ns,d\n", "song_id_or_drama_id,kind\n", None);
        assert_eq!(
            without_artists.rejected[0].to_string(),
            "facts/songs.csv:1: field `artists`: the header has no `artists` column (it has song_id,drama_id)"
        );
    }

    #[test]
    fn a_rejected_song_takes_its_events_with_it() {
        let catalog = check_rejected(
            "songs",
            "my_eyes,goblin,x,My Eyes,,10cm,,s\n",
            &["facts/songs.csv:4: field `ost_part`: \"x\" is not a number"],
        );
        assert_eq!(catalog.songs.len(), 2);
        let events = format!("{EVENTS}my_eyes,2016-12-10,release,single,,s\n");
        let parsed = parse(DRAMAS, EPISODES, &format!("{SONGS}my_eyes,goblin,x,My Eyes,,10cm,,s\n"), &events, None);
        assert_eq!(parsed.rejected.len(), 2);
        assert_eq!((parsed.rejected[1].line, parsed.rejected[1].field.as_str()), (5, "song_id_or_drama_id"));
    }

    #[test]
    fn reading_a_folder_needs_the_four_files_but_not_artists() {
        let folder = tempfile::tempdir().unwrap();
        for (name, text) in [("dramas.csv", DRAMAS), ("episodes.csv", EPISODES), ("songs.csv", SONGS)] {
            std::fs::write(folder.path().join(name), text).unwrap();
        }
        let missing = read_catalog(folder.path()).map(|_| ()).unwrap_err();
        assert_eq!(
            missing.to_string(),
            format!("no such file or folder: {}", folder.path().join("events.csv").display())
        );
        std::fs::write(folder.path().join("events.csv"), EVENTS).unwrap();
        std::fs::write(folder.path().join("chart_peaks.csv"), "not,read\n").unwrap();
        let parsed = read_catalog(folder.path()).unwrap();
        assert_eq!((parsed.catalog.dramas.len(), parsed.catalog.events.len(), parsed.rejected.len()), (1, 3, 0));
        assert!(parsed.catalog.artist_aliases.is_empty());
        std::fs::write(
            folder.path().join("song_aliases.csv"),
            "song_id,alias,source\nstay_with_me,Stay With Me (Goblin OST),s\nnope,X,s\n",
        )
        .unwrap();
        let with_aliases = read_catalog(folder.path()).unwrap();
        assert_eq!(with_aliases.catalog.song_aliases.len(), 1);
        assert_eq!(with_aliases.catalog.song_aliases[0].alias, "Stay With Me (Goblin OST)");
        assert!(with_aliases.rejected[0]
            .to_string()
            .ends_with("song_aliases.csv:3: field `song_id`: `nope` is not a song of songs.csv"));
    }
}
