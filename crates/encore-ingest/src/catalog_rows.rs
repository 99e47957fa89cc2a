//! One row of each catalog file turned into its domain type (see `facts/README.md` for columns).

use std::collections::HashSet;

use encore_domain::{ArtistAlias, Drama, DramaId, Episode, Event, EventKind, EventSubject, Song, SongAlias, SongId};

use crate::catalog::ParsedCatalog;
use crate::report::Rejected;
use crate::table::{read_csv, CsvRow};

// Each file's columns: the required ones must be in the header; an optional column may be left
// out, and then reads as empty. catalog/README.md documents them.
pub(crate) const DRAMA_COLUMNS: [&str; 1] = ["drama_id"];
pub(crate) const DRAMA_OPTIONAL_COLUMNS: [&str; 8] =
    ["title_en", "title_ko", "network", "premiere", "finale", "episodes", "slot", "source"];
pub(crate) const EPISODE_COLUMNS: [&str; 1] = ["drama_id"];
/// `basis` was added later, as the last column; older files lack it.
pub(crate) const EPISODE_OPTIONAL_COLUMNS: [&str; 7] =
    ["episode", "air_date", "nielsen_nationwide_pct", "nielsen_seoul_pct", "tnms_pct", "source", "basis"];
pub(crate) const SONG_COLUMNS: [&str; 3] = ["song_id", "drama_id", "artists"];
pub(crate) const SONG_OPTIONAL_COLUMNS: [&str; 5] = ["ost_part", "title_en", "title_ko", "release_date", "source"];
pub(crate) const EVENT_COLUMNS: [&str; 2] = ["song_id_or_drama_id", "kind"];
pub(crate) const EVENT_OPTIONAL_COLUMNS: [&str; 4] = ["date", "detail", "value", "source"];
pub(crate) const ARTIST_COLUMNS: [&str; 2] = ["name", "alias"];
pub(crate) const ARTIST_OPTIONAL_COLUMNS: [&str; 1] = ["source"];

pub(crate) fn drama(row: &CsvRow<'_>) -> Result<Drama, Rejected> {
    Ok(Drama {
        id: DramaId::new(row.required_text("drama_id")?),
        title_en: row.text("title_en")?.to_string(),
        title_ko: row.text("title_ko")?.to_string(),
        network: row.text("network")?.to_string(),
        premiere: row.optional_day("premiere")?,
        finale: row.optional_day("finale")?,
        episode_count: row.optional_number("episodes")?,
        slot: row.text("slot")?.to_string(),
        source: row.text("source")?.to_string(),
    })
}

pub(crate) fn episode(row: &CsvRow<'_>) -> Result<Episode, Rejected> {
    Ok(Episode {
        drama_id: DramaId::new(row.required_text("drama_id")?),
        number: row.optional_number("episode")?,
        air_date: row.optional_day("air_date")?,
        rating_nationwide: percentage(row, "nielsen_nationwide_pct")?,
        rating_seoul: percentage(row, "nielsen_seoul_pct")?,
        rating_tnms: percentage(row, "tnms_pct")?,
        basis: row.text("basis")?.to_string(),
        source: row.text("source")?.to_string(),
    })
}

fn percentage(row: &CsvRow<'_>, column: &str) -> Result<Option<f64>, Rejected> {
    let Some(value) = row.optional_number::<f64>(column)? else {
        return Ok(None);
    };
    if !(0.0..=100.0).contains(&value) {
        return Err(row.reject(column, format!("\"{value}\" is not a percentage from 0 to 100")));
    }
    Ok(Some(value))
}

pub(crate) fn song(row: &CsvRow<'_>) -> Result<Song, Rejected> {
    let artists = row.text("artists")?.split(';').map(str::trim).filter(|name| !name.is_empty());
    Ok(Song {
        id: SongId::new(row.required_text("song_id")?),
        drama_id: DramaId::new(row.required_text("drama_id")?),
        ost_part: row.optional_number("ost_part")?,
        title_en: row.text("title_en")?.to_string(),
        title_ko: row.text("title_ko")?.to_string(),
        artists: artists.map(str::to_string).collect(),
        release_date: row.optional_day("release_date")?,
        source: row.text("source")?.to_string(),
    })
}

/// An event row; `subject_of` says what an id names, `None` when it names nothing known.
pub(crate) fn event(row: &CsvRow<'_>, subject_of: impl Fn(&str) -> Option<EventSubject>) -> Result<Event, Rejected> {
    let id = row.required_text("song_id_or_drama_id")?;
    let Some(subject) = subject_of(id) else {
        let reason = format!("`{id}` is neither a song id of songs.csv nor a drama id of dramas.csv or songs.csv");
        return Err(row.reject("song_id_or_drama_id", reason));
    };
    let kind: EventKind = row
        .required_text("kind")?
        .parse()
        .map_err(|error: encore_domain::catalog::UnknownEventKind| row.reject("kind", error.to_string()))?;
    Ok(Event {
        subject,
        date: row.optional_date("date")?,
        kind,
        detail: row.text("detail")?.to_string(),
        value: row.optional_number("value")?,
        source: row.text("source")?.to_string(),
    })
}

const SONG_ALIAS_COLUMNS: [&str; 2] = ["song_id", "alias"];
const SONG_ALIAS_OPTIONAL_COLUMNS: [&str; 1] = ["source"];

/// Parses `song_aliases.csv` into the catalog, rejecting aliases of songs it does not have.
pub fn parse_song_aliases(bytes: &[u8], file_name: &str, parsed: &mut ParsedCatalog) {
    let songs: HashSet<&str> = parsed.catalog.songs.iter().map(|song| song.id.as_str()).collect();
    let aliases = read_csv(bytes, file_name, &SONG_ALIAS_COLUMNS, &SONG_ALIAS_OPTIONAL_COLUMNS, |row| {
        let alias = song_alias(row)?;
        if !songs.contains(alias.song_id.as_str()) {
            return Err(row.reject("song_id", format!("`{}` is not a song of songs.csv", alias.song_id)));
        }
        Ok(alias)
    });
    parsed.catalog.song_aliases.extend(aliases.rows);
    parsed.rejected.extend(aliases.rejected);
}

fn song_alias(row: &CsvRow<'_>) -> Result<SongAlias, Rejected> {
    Ok(SongAlias {
        song_id: SongId::new(row.required_text("song_id")?),
        alias: row.required_text("alias")?.to_string(),
        source: row.text("source")?.to_string(),
    })
}

pub(crate) fn artist_alias(row: &CsvRow<'_>) -> Result<ArtistAlias, Rejected> {
    Ok(ArtistAlias {
        name: row.required_text("name")?.to_string(),
        alias: row.required_text("alias")?.to_string(),
        source: row.text("source")?.to_string(),
    })
}
