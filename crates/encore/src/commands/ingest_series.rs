//! The non-chart side of `encore ingest`: daily counts, listens (matched to catalog songs) and
//! drama lists, gathered per dataset and committed once each.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use encore_domain::{DailyCount, DramaMetadata, Episode, Listen, SongId, SongMatcher};
use encore_ingest::{parse_series, Rejected, SeriesFormat, SeriesRows};
use encore_store::{SourceRows, Store};

use super::ingest::ChartSummary;

/// The rows of every non-chart file read so far, by format (so that the files a commit skips are
/// counted on their format's row).
#[derive(Debug, Default)]
pub struct SeriesBatches {
    counts: BTreeMap<SeriesFormat, Vec<SourceRows<DailyCount>>>,
    listens: BTreeMap<SeriesFormat, Vec<SourceRows<Listen>>>,
    dramas: BTreeMap<SeriesFormat, Vec<SourceRows<DramaMetadata>>>,
    ratings: BTreeMap<SeriesFormat, Vec<SourceRows<Episode>>>,
    summary: BTreeMap<SeriesFormat, ChartSummary>,
}

impl SeriesBatches {
    /// Parses one file, matches its listens to catalog songs (each distinct track and artist once,
    /// through `matched`), counts it on its format's row and returns its rejected rows.
    pub fn add(
        &mut self,
        format: SeriesFormat,
        file: &Path,
        bytes: &[u8],
        matcher: &SongMatcher,
        matched: &mut HashMap<(String, String), Option<SongId>>,
    ) -> Vec<Rejected> {
        let parsed = parse_series(format, bytes, &file.display().to_string());
        let row = self.summary.entry(format).or_default();
        row.files += 1;
        row.rows_loaded += parsed.rows_len();
        match parsed {
            SeriesRows::Counts(counts) => {
                row.rows_rejected += counts.rejected.len();
                self.counts.entry(format).or_default().push(SourceRows::new(file, bytes, counts.rows));
                counts.rejected
            }
            SeriesRows::Listens(mut listens) => {
                row.rows_rejected += listens.rejected.len();
                for listen in &mut listens.rows {
                    listen.song_id = matched
                        .entry((listen.track.clone(), listen.artist.clone()))
                        .or_insert_with(|| matcher.match_row(&listen.track, &listen.artist).song_id().cloned())
                        .clone();
                    row.rows_matched += usize::from(listen.song_id.is_some());
                }
                self.listens.entry(format).or_default().push(SourceRows::new(file, bytes, listens.rows));
                listens.rejected
            }
            SeriesRows::Dramas(dramas) => {
                row.rows_rejected += dramas.rejected.len();
                self.dramas.entry(format).or_default().push(SourceRows::new(file, bytes, dramas.rows));
                dramas.rejected
            }
            SeriesRows::Ratings(ratings) => {
                row.rows_rejected += ratings.rejected.len();
                self.ratings.entry(format).or_default().push(SourceRows::new(file, bytes, ratings.rows));
                ratings.rejected
            }
        }
    }

    /// Commits each format's files (one commit per format) and returns each format's summary row,
    /// with the files skipped because the store already held them.
    pub fn commit(mut self, store: &Store) -> anyhow::Result<BTreeMap<SeriesFormat, ChartSummary>> {
        let mut skipped: Vec<(SeriesFormat, usize)> = Vec::new();
        for (format, batches) in &self.counts {
            skipped.push((*format, store.append_daily_counts(batches)?.sources_already_present));
        }
        for (format, batches) in &self.listens {
            skipped.push((*format, store.append_listens(batches)?.sources_already_present));
        }
        for (format, batches) in &self.dramas {
            skipped.push((*format, store.append_drama_metadata(batches)?.sources_already_present));
        }
        for (format, batches) in &self.ratings {
            skipped.push((*format, store.append_episode_ratings(batches)?.sources_already_present));
        }
        for (format, count) in skipped {
            if let Some(row) = self.summary.get_mut(&format) {
                row.files_already_held = count;
            }
        }
        Ok(self.summary)
    }
}

/// The summary table's name for a format's rows.
pub fn label(format: SeriesFormat) -> &'static str {
    match format {
        SeriesFormat::Pageviews => "Wikipedia pageviews",
        SeriesFormat::CountsCsv => "YouTube/social counts",
        SeriesFormat::LastFm => "Last.fm listens",
        SeriesFormat::ListenBrainz => "ListenBrainz listens",
        SeriesFormat::MyDramaList => "MyDramaList dramas",
        SeriesFormat::KoreanWikiDramas => "Korean wiki dramas",
        SeriesFormat::EpisodeRatings => "episode ratings",
    }
}
