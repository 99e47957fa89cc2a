//! Where the play counts come from: the store's listens (each matched listen counted for its
//! catalog song, the others for their artist and track) or a play-count file, and what is known
//! of each item to show it.

use datafusion::arrow::array::{Array, AsArray, RecordBatch};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::prelude::SessionContext;
use encore_domain::Catalog;
use encore_ingest::PlayCount;

use crate::error::RecommendError;
use crate::matrix::{Plays, PlaysBuilder};

/// What is known of an item beyond its key.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ItemInfo {
    /// The catalog song it is, if any (its key is then the song id).
    pub song_id: Option<String>,
    pub artist: String,
    pub title: String,
    /// A playable address (`spotify:track:…`), where a log gave one.
    pub uri: Option<String>,
}

/// Play counts with their items described, in the order of `plays.items`.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    pub plays: Plays,
    pub items: Vec<ItemInfo>,
}

/// The store's listens as play counts per listener and item. Every catalog song is an item, played
/// or not, so a song nobody played yet can still be recommended (from its context).
pub async fn from_listens(context: &SessionContext, catalog: &Catalog) -> Result<Dataset, RecommendError> {
    let query = r#"SELECT "user", coalesce(song_id, lower(artist) || ' — ' || lower(track)) AS item,
            count(*) AS plays, min(artist) AS artist, min(track) AS title, max(track_uri) AS uri
        FROM listens GROUP BY 1, 2"#;
    let batches: Vec<RecordBatch> = context.sql(query).await?.collect().await?;
    let mut builder = PlaysBuilder::default();
    let mut described: std::collections::HashMap<String, ItemInfo> = std::collections::HashMap::new();
    for batch in &batches {
        let users = strings(batch, "user")?;
        let items = strings(batch, "item")?;
        let artists = strings(batch, "artist")?;
        let titles = strings(batch, "title")?;
        let uris = strings(batch, "uri")?;
        let plays = cast(column(batch, "plays")?, &DataType::Float64)?;
        let plays = plays.as_primitive::<datafusion::arrow::datatypes::Float64Type>();
        for row in 0..batch.num_rows() {
            let (Some(user), Some(item)) = (&users[row], &items[row]) else { continue };
            builder.add(user, item, plays.value(row) as f32);
            described.entry(item.clone()).or_insert_with(|| ItemInfo {
                song_id: None,
                artist: artists[row].clone().unwrap_or_default(),
                title: titles[row].clone().unwrap_or_default(),
                uri: uris[row].clone(),
            });
        }
    }
    for song in &catalog.songs {
        builder.add_item(song.id.as_str());
    }
    Ok(describe(builder.build(), catalog, described))
}

/// A play-count file's rows; an item that is a catalog song id is that song.
pub fn from_counts(rows: &[PlayCount], catalog: Option<&Catalog>) -> Dataset {
    let mut builder = PlaysBuilder::default();
    for row in rows {
        builder.add(&row.user, &row.item, row.plays as f32);
    }
    let plays = builder.build();
    match catalog {
        Some(catalog) => describe(plays, catalog, Default::default()),
        None => {
            let items =
                plays.items.iter().map(|item| ItemInfo { title: item.clone(), ..ItemInfo::default() }).collect();
            Dataset { plays, items }
        }
    }
}

fn describe(plays: Plays, catalog: &Catalog, mut described: std::collections::HashMap<String, ItemInfo>) -> Dataset {
    let songs: std::collections::HashMap<&str, &encore_domain::Song> =
        catalog.songs.iter().map(|song| (song.id.as_str(), song)).collect();
    let items = plays
        .items
        .iter()
        .map(|key| {
            let mut info =
                described.remove(key).unwrap_or_else(|| ItemInfo { title: key.clone(), ..ItemInfo::default() });
            if let Some(song) = songs.get(key.as_str()) {
                info.song_id = Some(key.clone());
                info.title = song.display_title().to_string();
                info.artist = song.artists.join(", ");
            }
            info
        })
        .collect();
    Dataset { plays, items }
}

fn column<'b>(batch: &'b RecordBatch, name: &str) -> Result<&'b dyn Array, RecommendError> {
    batch.column_by_name(name).map(|column| column.as_ref()).ok_or_else(|| {
        RecommendError::Engine(datafusion::error::DataFusionError::Internal(format!("no column {name}")))
    })
}

fn strings(batch: &RecordBatch, name: &str) -> Result<Vec<Option<String>>, RecommendError> {
    let column = cast(column(batch, name)?, &DataType::Utf8)?;
    let column = column.as_string::<i32>();
    Ok((0..column.len()).map(|row| (!column.is_null(row)).then(|| column.value(row).to_string())).collect())
}
