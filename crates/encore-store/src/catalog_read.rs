//! The stored catalog read back: the six catalog datasets decoded into the `Catalog` that
//! `schema::catalog_to_batches` wrote.

use std::path::{Path, PathBuf};

use datafusion::arrow::array::{Array, Date32Array, Float64Array, Int32Array, Int64Array, RecordBatch, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use encore_domain::{
    ArtistAlias, Catalog, Drama, DramaId, Episode, Event, EventKind, EventSubject, PartialDate, Song, SongAlias, SongId,
};

use crate::error::StoreError;
use crate::manifest::Manifest;
use crate::schema::{date_from_days, CATALOG_DATASETS};
use crate::Store;

/// How `songs.artists` joins a song's artists, as `catalog_to_batches` writes them.
const ARTIST_SEPARATOR: &str = "; ";

/// The catalog the manifest names, or `None` when it names none of the catalog datasets.
pub(crate) fn read(store: &Store, manifest: &Manifest) -> Result<Option<Catalog>, StoreError> {
    if CATALOG_DATASETS.iter().all(|name| manifest.dataset(name).is_none()) {
        return Ok(None);
    }
    let mut catalog = Catalog::default();
    for name in CATALOG_DATASETS {
        let Some(dataset) = manifest.dataset(name) else {
            continue;
        };
        for part in &dataset.parts {
            let path = store.root().join(&part.file);
            for batch in crate::files::read_parquet(&path)? {
                let columns = Columns { batch: &batch, path: &path };
                match name {
                    "dramas" => catalog.dramas.extend(dramas(&columns)?),
                    "episodes" => catalog.episodes.extend(episodes(&columns)?),
                    "songs" => catalog.songs.extend(songs(&columns)?),
                    "events" => catalog.events.extend(events(&columns)?),
                    "artist_aliases" => catalog.artist_aliases.extend(artist_aliases(&columns)?),
                    _ => catalog.song_aliases.extend(song_aliases(&columns)?),
                }
            }
        }
    }
    Ok(Some(catalog))
}

/// The columns of one stored batch, by name, in the types the catalog was written with.
struct Columns<'a> {
    batch: &'a RecordBatch,
    path: &'a Path,
}

impl Columns<'_> {
    fn corrupt(&self, reason: String) -> StoreError {
        StoreError::Corrupt { path: PathBuf::from(self.path), reason }
    }

    fn typed<A: Array + Clone + 'static>(&self, name: &str, data_type: DataType) -> Result<A, StoreError> {
        let column = self
            .batch
            .column_by_name(name)
            .ok_or_else(|| self.corrupt(format!("the catalog column `{name}` is missing")))?;
        let converted = cast(column, &data_type)?;
        converted
            .as_any()
            .downcast_ref::<A>()
            .cloned()
            .ok_or_else(|| self.corrupt(format!("the catalog column `{name}` is not of type {data_type}")))
    }

    fn texts(&self, name: &str) -> Result<Vec<String>, StoreError> {
        let array: StringArray = self.typed(name, DataType::Utf8)?;
        Ok((0..array.len())
            .map(|row| if array.is_null(row) { String::new() } else { array.value(row).to_string() })
            .collect())
    }

    fn optional_texts(&self, name: &str) -> Result<Vec<Option<String>>, StoreError> {
        let array: StringArray = self.typed(name, DataType::Utf8)?;
        Ok((0..array.len()).map(|row| (!array.is_null(row)).then(|| array.value(row).to_string())).collect())
    }

    fn dates(&self, name: &str) -> Result<Vec<Option<chrono::NaiveDate>>, StoreError> {
        let array: Date32Array = self.typed(name, DataType::Date32)?;
        Ok((0..array.len()).map(|row| (!array.is_null(row)).then(|| date_from_days(array.value(row)))).collect())
    }

    fn counts(&self, name: &str) -> Result<Vec<Option<u32>>, StoreError> {
        let array: Int32Array = self.typed(name, DataType::Int32)?;
        Ok((0..array.len())
            .map(|row| (!array.is_null(row)).then(|| array.value(row)).and_then(|value| u32::try_from(value).ok()))
            .collect())
    }

    fn integers(&self, name: &str) -> Result<Vec<Option<i64>>, StoreError> {
        let array: Int64Array = self.typed(name, DataType::Int64)?;
        Ok((0..array.len()).map(|row| (!array.is_null(row)).then(|| array.value(row))).collect())
    }

    fn floats(&self, name: &str) -> Result<Vec<Option<f64>>, StoreError> {
        let array: Float64Array = self.typed(name, DataType::Float64)?;
        Ok((0..array.len()).map(|row| (!array.is_null(row)).then(|| array.value(row))).collect())
    }
}

fn dramas(columns: &Columns) -> Result<Vec<Drama>, StoreError> {
    let (ids, titles_en, titles_ko) =
        (columns.texts("drama_id")?, columns.texts("title_en")?, columns.texts("title_ko")?);
    let (networks, premieres, finales) =
        (columns.texts("network")?, columns.dates("premiere")?, columns.dates("finale")?);
    let (episode_counts, slots, sources) =
        (columns.counts("episodes")?, columns.texts("slot")?, columns.texts("source")?);
    Ok((0..ids.len())
        .map(|row| Drama {
            id: DramaId::new(ids[row].clone()),
            title_en: titles_en[row].clone(),
            title_ko: titles_ko[row].clone(),
            network: networks[row].clone(),
            premiere: premieres[row],
            finale: finales[row],
            episode_count: episode_counts[row],
            slot: slots[row].clone(),
            source: sources[row].clone(),
        })
        .collect())
}

fn episodes(columns: &Columns) -> Result<Vec<Episode>, StoreError> {
    let (drama_ids, numbers, air_dates) =
        (columns.texts("drama_id")?, columns.counts("episode")?, columns.dates("air_date")?);
    let nationwide = columns.floats("nielsen_nationwide_pct")?;
    let seoul = columns.floats("nielsen_seoul_pct")?;
    let tnms = columns.floats("tnms_pct")?;
    let (bases, sources) = (columns.texts("basis")?, columns.texts("source")?);
    Ok((0..drama_ids.len())
        .map(|row| Episode {
            drama_id: DramaId::new(drama_ids[row].clone()),
            number: numbers[row],
            air_date: air_dates[row],
            rating_nationwide: nationwide[row],
            rating_seoul: seoul[row],
            rating_tnms: tnms[row],
            basis: bases[row].clone(),
            source: sources[row].clone(),
        })
        .collect())
}

fn songs(columns: &Columns) -> Result<Vec<Song>, StoreError> {
    let (ids, drama_ids, ost_parts) =
        (columns.texts("song_id")?, columns.texts("drama_id")?, columns.counts("ost_part")?);
    let (titles_en, titles_ko, artists) =
        (columns.texts("title_en")?, columns.texts("title_ko")?, columns.texts("artists")?);
    let (release_dates, sources) = (columns.dates("release_date")?, columns.texts("source")?);
    Ok((0..ids.len())
        .map(|row| Song {
            id: SongId::new(ids[row].clone()),
            drama_id: DramaId::new(drama_ids[row].clone()),
            ost_part: ost_parts[row],
            title_en: titles_en[row].clone(),
            title_ko: titles_ko[row].clone(),
            // A song without artists was stored as "", which must not read back as one empty name.
            artists: artists[row]
                .split(ARTIST_SEPARATOR)
                .filter(|artist| !artist.is_empty())
                .map(str::to_string)
                .collect(),
            release_date: release_dates[row],
            source: sources[row].clone(),
        })
        .collect())
}

fn events(columns: &Columns) -> Result<Vec<Event>, StoreError> {
    let (subject_kinds, subject_ids, dates) =
        (columns.texts("subject_kind")?, columns.texts("subject_id")?, columns.optional_texts("date")?);
    let (kinds, details, values, sources) =
        (columns.texts("kind")?, columns.texts("detail")?, columns.integers("value")?, columns.texts("source")?);
    let mut events = Vec::with_capacity(kinds.len());
    for row in 0..kinds.len() {
        let subject = match subject_kinds[row].as_str() {
            "song" => EventSubject::Song(SongId::new(subject_ids[row].clone())),
            "drama" => EventSubject::Drama(DramaId::new(subject_ids[row].clone())),
            other => return Err(columns.corrupt(format!("an event's subject is a `{other}`, not a song or drama"))),
        };
        let date = match &dates[row] {
            Some(text) => Some(PartialDate::parse(text).map_err(|error| columns.corrupt(error.to_string()))?),
            None => None,
        };
        let kind = kinds[row].parse::<EventKind>().map_err(|error| columns.corrupt(error.to_string()))?;
        events.push(Event {
            subject,
            date,
            kind,
            detail: details[row].clone(),
            value: values[row],
            source: sources[row].clone(),
        });
    }
    Ok(events)
}

fn artist_aliases(columns: &Columns) -> Result<Vec<ArtistAlias>, StoreError> {
    let (names, aliases, sources) = (columns.texts("name")?, columns.texts("alias")?, columns.texts("source")?);
    Ok((0..names.len())
        .map(|row| ArtistAlias { name: names[row].clone(), alias: aliases[row].clone(), source: sources[row].clone() })
        .collect())
}

fn song_aliases(columns: &Columns) -> Result<Vec<SongAlias>, StoreError> {
    let (song_ids, aliases, sources) = (columns.texts("song_id")?, columns.texts("alias")?, columns.texts("source")?);
    Ok((0..song_ids.len())
        .map(|row| SongAlias {
            song_id: SongId::new(song_ids[row].clone()),
            alias: aliases[row].clone(),
            source: sources[row].clone(),
        })
        .collect())
}
