//! Where the play counts come from: the store's listens (each matched listen counted for its
//! catalog song, the others for their artist and track) or a play-count file, and what is known
//! of each item to show it.

use std::collections::HashMap;

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
    /// Features of catalog songs beyond the catalog's own (by song id), for placing a song nobody
    /// has played yet: `cochart:ID` for the songs it charted beside ([`charted_beside`]), and
    /// what a caller adds ([`Dataset::add_context`]).
    pub context: HashMap<String, Vec<String>>,
}

impl Dataset {
    /// Adds features to a catalog song's context (the lyric's motif families, say).
    pub fn add_context(&mut self, song_id: &str, names: impl IntoIterator<Item = String>) {
        self.context.entry(song_id.to_string()).or_default().extend(names);
    }
}

/// Songs a song charted beside that the context of a new song names: the most shared chart days.
pub const CHARTED_BESIDE: usize = 5;

/// The store's listens as play counts per listener and item, listeners and items numbered in
/// name order (the order a parallel aggregate answers in varies, and the seed's initial factors
/// go by number). Every catalog song is an item, played
/// or not, so a song nobody played yet can still be recommended (from its context).
pub async fn from_listens(context: &SessionContext, catalog: &Catalog) -> Result<Dataset, RecommendError> {
    let query = r#"SELECT "user", coalesce(song_id, lower(artist) || ' — ' || lower(track)) AS item,
            count(*) AS plays, min(artist) AS artist, min(track) AS title, max(track_uri) AS uri
        FROM listens GROUP BY 1, 2 ORDER BY 1, 2"#;
    let batches: Vec<RecordBatch> = context.sql(query).await?.collect().await?;
    let mut builder = PlaysBuilder::default();
    let mut described: HashMap<String, ItemInfo> = HashMap::new();
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
    let mut dataset = describe(builder.build(), catalog, described);
    if context.table_exist("chart_entries")? {
        dataset.context = charted_beside(context, CHARTED_BESIDE).await?;
    }
    Ok(dataset)
}

/// For each catalog song on the store's charts, `cochart:ID` of the `limit` songs it shared the
/// most chart days with (the same chart, region and date; ties by id): a new OST that entered
/// the charts before anyone's logs played it is placed beside the songs it charted with.
pub async fn charted_beside(
    context: &SessionContext,
    limit: usize,
) -> Result<HashMap<String, Vec<String>>, RecommendError> {
    let query = format!(
        r#"WITH days AS (
            SELECT DISTINCT song_id, chart, region, chart_date FROM chart_entries WHERE song_id IS NOT NULL),
        pairs AS (
            SELECT a.song_id AS song, b.song_id AS beside, count(*) AS days
            FROM days a JOIN days b
              ON a.chart = b.chart AND a.region = b.region AND a.chart_date = b.chart_date
             AND a.song_id <> b.song_id
            GROUP BY 1, 2),
        ranked AS (
            SELECT song, beside, row_number() OVER (PARTITION BY song ORDER BY days DESC, beside) AS place
            FROM pairs)
        SELECT song, beside FROM ranked WHERE place <= {limit} ORDER BY song, place"#
    );
    let batches: Vec<RecordBatch> = context.sql(&query).await?.collect().await?;
    let mut beside: HashMap<String, Vec<String>> = HashMap::new();
    for batch in &batches {
        let songs = strings(batch, "song")?;
        let others = strings(batch, "beside")?;
        for (song, other) in songs.into_iter().zip(others) {
            if let (Some(song), Some(other)) = (song, other) {
                beside.entry(song).or_default().push(format!("cochart:{other}"));
            }
        }
    }
    Ok(beside)
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
            Dataset { plays, items, context: HashMap::new() }
        }
    }
}

fn describe(plays: Plays, catalog: &Catalog, mut described: HashMap<String, ItemInfo>) -> Dataset {
    let songs: HashMap<&str, &encore_domain::Song> =
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
    Dataset { plays, items, context: HashMap::new() }
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use datafusion::arrow::array::{Date32Array, StringArray};
    use datafusion::arrow::datatypes::{Field, Schema};
    use datafusion::datasource::MemTable;

    use super::*;

    #[tokio::test]
    async fn songs_are_described_by_the_songs_they_shared_most_chart_days_with() {
        // (song, chart, region, day): s1 shares two days with s2 and one with s3; s4 is alone on
        // another chart; an unmatched row (no song id) counts for nothing.
        let rows = [
            (Some("s1"), "melon", "KR", 0),
            (Some("s2"), "melon", "KR", 0),
            (Some("s3"), "melon", "KR", 0),
            (Some("s1"), "melon", "KR", 1),
            (Some("s1"), "melon", "KR", 1),
            (Some("s2"), "melon", "KR", 1),
            (None, "melon", "KR", 1),
            (Some("s3"), "genie", "KR", 1),
            (Some("s4"), "genie", "US", 1),
        ];
        let schema = Arc::new(Schema::new(vec![
            Field::new("song_id", DataType::Utf8, true),
            Field::new("chart", DataType::Utf8, false),
            Field::new("region", DataType::Utf8, false),
            Field::new("chart_date", DataType::Date32, false),
        ]));
        let batch = RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(StringArray::from_iter(rows.iter().map(|row| row.0))),
                Arc::new(StringArray::from_iter_values(rows.iter().map(|row| row.1))),
                Arc::new(StringArray::from_iter_values(rows.iter().map(|row| row.2))),
                Arc::new(Date32Array::from_iter_values(rows.iter().map(|row| 19_000 + row.3))),
            ],
        )
        .unwrap();
        let context = SessionContext::new();
        context
            .register_table("chart_entries", Arc::new(MemTable::try_new(schema, vec![vec![batch]]).unwrap()))
            .unwrap();
        let beside = charted_beside(&context, 1).await.unwrap();
        let of = |song: &str| beside.get(song).cloned().unwrap_or_default();
        assert_eq!(of("s1"), ["cochart:s2"]);
        assert_eq!(of("s2"), ["cochart:s1"]);
        assert_eq!(of("s3"), ["cochart:s1"], "a tie (one day with each) goes to the first id");
        assert!(of("s4").is_empty());
        assert_eq!(charted_beside(&context, 5).await.unwrap()["s1"], ["cochart:s2", "cochart:s3"]);
    }
}
