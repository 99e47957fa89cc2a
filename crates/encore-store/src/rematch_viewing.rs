//! Re-matching stored Netflix Top 10 rows against a catalog, inside the re-match's commit: each
//! distinct show and season is matched once (`ViewingMatcher`), and only the parts in which a row's
//! drama id changes are rewritten, so a drama added to the catalog gets its viewing without a
//! second download.

use std::collections::HashMap;

use datafusion::arrow::array::{Array, ArrayRef, RecordBatch, StringArray};
use datafusion::arrow::compute::cast;
use encore_domain::{Catalog, DramaId, ViewingMatcher};

use crate::error::StoreError;
use crate::manifest::Manifest;
use crate::rematch::{
    rewrite_changed_parts, text_column, DatasetRematch, RematchExample, RematchSummary, EXAMPLES_PER_DATASET,
};
use crate::viewing::DRAMA_VIEWING;
use crate::Store;

/// Matches every stored viewing row against `catalog` and rewrites (as `generation`) each part in
/// which a row's drama changes, counting into `summary`'s `drama_viewing` entry.
pub(crate) fn rematch_viewing(
    store: &Store,
    manifest: &mut Manifest,
    catalog: &Catalog,
    generation: u64,
    summary: &mut RematchSummary,
) -> Result<(), StoreError> {
    let matcher = ViewingMatcher::new(catalog);
    let mut matched: HashMap<(String, String), Option<DramaId>> = HashMap::new();
    rewrite_changed_parts(store, manifest, DRAMA_VIEWING, generation, summary, |batch, report| {
        rematch_batch(batch, &matcher, &mut matched, report)
    })
}

/// The batch with its `drama_id` column matched anew, and whether any row's drama changed.
fn rematch_batch(
    batch: &RecordBatch,
    matcher: &ViewingMatcher,
    matched: &mut HashMap<(String, String), Option<DramaId>>,
    report: &mut DatasetRematch,
) -> Result<(RecordBatch, bool), StoreError> {
    let shows = text_column(batch, "show_title")?;
    let seasons = text_column(batch, "season_title")?;
    let old_dramas = text_column(batch, "drama_id")?;
    let mut new_dramas: Vec<Option<DramaId>> = Vec::with_capacity(batch.num_rows());
    let mut changed = false;
    for row in 0..batch.num_rows() {
        let (show, season) = (shows.value(row), seasons.value(row));
        let new_drama = matched
            .entry((show.to_string(), season.to_string()))
            .or_insert_with(|| matcher.match_titles(show, season))
            .clone();
        let old_drama = (!old_dramas.is_null(row)).then(|| DramaId::new(old_dramas.value(row)));
        report.rows_checked += 1;
        if old_drama != new_drama {
            changed = true;
            count_change(report, show, season, old_drama, &new_drama);
        }
        new_dramas.push(new_drama);
    }
    if !changed {
        return Ok((batch.clone(), false));
    }
    let mut columns: Vec<ArrayRef> = batch.columns().to_vec();
    let dramas: StringArray = new_dramas.iter().map(|drama| drama.as_ref().map(DramaId::as_str)).collect();
    let position = batch.schema().index_of("drama_id")?;
    // The stored column may be a view or a large string; the new one keeps its type.
    columns[position] = cast(&dramas, batch.column(position).data_type())?;
    Ok((RecordBatch::try_new(batch.schema(), columns)?, true))
}

fn count_change(
    report: &mut DatasetRematch,
    show: &str,
    season: &str,
    old_drama: Option<DramaId>,
    new_drama: &Option<DramaId>,
) {
    match (&old_drama, new_drama) {
        (None, Some(_)) => report.rows_newly_matched += 1,
        (Some(_), None) => report.rows_no_longer_matched += 1,
        _ => report.rows_moved += 1,
    }
    let already_shown = report.examples.iter().any(|example| example.title == show && example.artist == season);
    if report.examples.len() < EXAMPLES_PER_DATASET && !already_shown {
        report.examples.push(RematchExample {
            title: show.to_string(),
            artist: season.to_string(),
            old_song: None,
            new_song: None,
            old_drama,
            new_drama: new_drama.clone(),
        });
    }
}
