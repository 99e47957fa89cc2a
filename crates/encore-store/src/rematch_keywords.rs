//! Re-matching stored search-interest keywords against a catalog, inside the re-match's commit:
//! each distinct keyword is matched once by title (`KeywordMatcher`), and only the parts in which
//! a row's song or drama id changes are rewritten.

use std::collections::HashMap;

use datafusion::arrow::array::{Array, ArrayRef, RecordBatch, StringArray};
use datafusion::arrow::compute::cast;
use encore_domain::{Catalog, DramaId, KeywordMatch, KeywordMatcher, SongId};

use crate::error::StoreError;
use crate::manifest::Manifest;
use crate::rematch::{
    rewrite_changed_parts, text_column, DatasetRematch, RematchExample, RematchSummary, EXAMPLES_PER_DATASET,
};
use crate::series_schema::SEARCH_INTEREST;
use crate::Store;

/// Matches every stored keyword against `catalog` and rewrites (as `generation`) each part in
/// which a row's match changes, counting into `summary`'s `search_interest` entry.
pub(crate) fn rematch_keywords(
    store: &Store,
    manifest: &mut Manifest,
    catalog: &Catalog,
    generation: u64,
    summary: &mut RematchSummary,
) -> Result<(), StoreError> {
    let matcher = KeywordMatcher::new(catalog);
    let mut matched: HashMap<String, KeywordMatch> = HashMap::new();
    rewrite_changed_parts(store, manifest, SEARCH_INTEREST, generation, summary, |batch, report| {
        rematch_batch(batch, &matcher, &mut matched, report)
    })
}

/// The batch with its `song_id` and `drama_id` columns matched anew, and whether any changed.
fn rematch_batch(
    batch: &RecordBatch,
    matcher: &KeywordMatcher,
    matched: &mut HashMap<String, KeywordMatch>,
    report: &mut DatasetRematch,
) -> Result<(RecordBatch, bool), StoreError> {
    let keywords = text_column(batch, "keyword")?;
    let old_songs = text_column(batch, "song_id")?;
    let old_dramas = text_column(batch, "drama_id")?;
    let mut new_matches: Vec<KeywordMatch> = Vec::with_capacity(batch.num_rows());
    let mut changed = false;
    for row in 0..batch.num_rows() {
        let keyword = keywords.value(row);
        let new_match = matched.entry(keyword.to_string()).or_insert_with(|| matcher.match_keyword(keyword)).clone();
        let old_match = KeywordMatch {
            song_id: (!old_songs.is_null(row)).then(|| SongId::new(old_songs.value(row))),
            drama_id: (!old_dramas.is_null(row)).then(|| DramaId::new(old_dramas.value(row))),
        };
        report.rows_checked += 1;
        if old_match != new_match {
            changed = true;
            count_change(report, keyword, old_match, &new_match);
        }
        new_matches.push(new_match);
    }
    if !changed {
        return Ok((batch.clone(), false));
    }
    let mut columns: Vec<ArrayRef> = batch.columns().to_vec();
    let songs: StringArray = new_matches.iter().map(|found| found.song_id.as_ref().map(SongId::as_str)).collect();
    let dramas: StringArray = new_matches.iter().map(|found| found.drama_id.as_ref().map(DramaId::as_str)).collect();
    for (name, new_column) in [("song_id", songs), ("drama_id", dramas)] {
        let position = batch.schema().index_of(name)?;
        // The stored column may be a view or a large string; the new one keeps its type.
        columns[position] = cast(&new_column, batch.column(position).data_type())?;
    }
    Ok((RecordBatch::try_new(batch.schema(), columns)?, true))
}

fn count_change(report: &mut DatasetRematch, keyword: &str, old_match: KeywordMatch, new_match: &KeywordMatch) {
    let is_matched = |found: &KeywordMatch| found.song_id.is_some() || found.drama_id.is_some();
    match (is_matched(&old_match), is_matched(new_match)) {
        (false, true) => report.rows_newly_matched += 1,
        (true, false) => report.rows_no_longer_matched += 1,
        _ => report.rows_moved += 1,
    }
    let already_shown = report.examples.iter().any(|example| example.title == keyword);
    if report.examples.len() < EXAMPLES_PER_DATASET && !already_shown {
        report.examples.push(RematchExample {
            title: keyword.to_string(),
            artist: String::new(),
            old_song: old_match.song_id,
            new_song: new_match.song_id.clone(),
            old_drama: old_match.drama_id,
            new_drama: new_match.drama_id.clone(),
        });
    }
}
