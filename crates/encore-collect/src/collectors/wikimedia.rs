//! Wikimedia pageviews REST API, per article and day (no key):
//! `GET {base}/metrics/pageviews/per-article/{project}/all-access/user/{article}/daily/{start}/{end}`,
//! dates `YYYYMMDD`, answering `{"items":[{"project","article","granularity","timestamp":"2026110100",
//! "access","agent","views"}]}`. Only human traffic (`user`) is counted, over all access methods.
//! A 404 is the API's "no data for these dates" (a day not yet published, an article nobody read).
//! The days after the article's checkpoint up to yesterday are fetched and handed to the ingest
//! pipeline as the same JSON, so they land in `daily_counts` as `encore ingest` stores such a file.

use chrono::{Duration, NaiveDate};
use encore_pipeline::Input;
use serde_json::Value;

use super::checkpoint::last_pageview_days;
use super::{json, Fetched, SubjectOutcome};
use crate::error::CollectError;
use crate::polite::Client;
use crate::watch::{Article, WatchList};
use crate::Environment;
use encore_store::Store;

pub(crate) const API: &str = "wikimedia";

pub(crate) fn collect(store: &Store, watch: &WatchList, environment: &Environment) -> Fetched {
    let mut articles: Vec<&Article> = watch.subjects.iter().flat_map(|watched| &watched.wikipedia).collect();
    articles.sort_by_key(|article| article.subject());
    articles.dedup();
    let mut fetched = Fetched::default();
    if articles.is_empty() {
        return fetched;
    }
    let subjects: Vec<String> = articles.iter().map(|article| article.subject()).collect();
    let checkpoints = match last_pageview_days(store, &subjects) {
        Ok(checkpoints) => checkpoints,
        Err(error) => {
            fetched.outcomes.extend(subjects.iter().map(|subject| SubjectOutcome::failed(API, subject, &error)));
            return fetched;
        }
    };
    let mut client = Client::new(API, environment, environment.politeness.wikimedia);
    let today = environment.clock.now().date_naive();
    for article in articles {
        let subject = article.subject();
        let after = checkpoints.get(&subject).copied();
        match fetch_article(&mut client, article, after, today, watch.backfill_days) {
            Ok(Some((input, days))) => {
                fetched.outcomes.push(SubjectOutcome::fetched(API, &subject, days, Some(input.name())));
                fetched.inputs.push(input);
            }
            Ok(None) => fetched.outcomes.push(SubjectOutcome::fetched(API, &subject, 0, None)),
            Err(error) => fetched.outcomes.push(SubjectOutcome::failed(API, &subject, &error)),
        }
    }
    fetched
}

/// The article's days after `after` (or the backfill) up to yesterday, as a pageviews file; `None`
/// when there is nothing new.
fn fetch_article(
    client: &mut Client<'_>,
    article: &Article,
    after: Option<NaiveDate>,
    today: NaiveDate,
    backfill_days: u32,
) -> Result<Option<(Input, usize)>, CollectError> {
    let start = match after {
        Some(day) => day + Duration::days(1),
        None => today - Duration::days(i64::from(backfill_days)),
    };
    // Today's views are still being counted: the API publishes a day once it is over.
    let end = today - Duration::days(1);
    if start > end {
        return Ok(None);
    }
    let url = format!(
        "{}/metrics/pageviews/per-article/{}/all-access/user/{}/daily/{}/{}",
        client_base(client),
        crate::url::encode(&article.project),
        crate::url::encode(&article.title),
        start.format("%Y%m%d"),
        end.format("%Y%m%d"),
    );
    let Some(body) = client.get(&url, true)? else {
        return Ok(None);
    };
    let document = json(&body).map_err(|reason| client.malformed(&url, &reason))?;
    let items =
        document.get("items").and_then(Value::as_array).ok_or_else(|| client.malformed(&url, "no `items` array"))?;
    // Keep only the days the store lacks, as the API gave them, under the watch list's subject.
    let mut kept = Vec::new();
    for (position, item) in items.iter().enumerate() {
        let day = item
            .get("timestamp")
            .and_then(Value::as_str)
            .and_then(|timestamp| NaiveDate::parse_from_str(timestamp.get(..8)?, "%Y%m%d").ok())
            .ok_or_else(|| client.malformed(&url, &format!("items[{position}].timestamp is not YYYYMMDDHH")))?;
        if item.get("views").and_then(Value::as_u64).is_none() {
            return Err(client.malformed(&url, &format!("items[{position}].views is not a whole number")));
        }
        if day >= start && day <= end {
            let mut item = item.clone();
            if let Some(fields) = item.as_object_mut() {
                fields.insert("project".to_string(), Value::String(article.project.clone()));
                fields.insert("article".to_string(), Value::String(article.title.clone()));
            }
            kept.push((day, item));
        }
    }
    kept.sort_by_key(|(day, _)| *day);
    kept.dedup_by_key(|(day, _)| *day);
    let (Some((first, _)), Some((last, _))) = (kept.first(), kept.last()) else {
        return Ok(None);
    };
    let fetched = client.environment().clock.now().timestamp();
    let name = format!("collect/wikipedia_pageviews/{}/{first}..{last}.fetched-{fetched}.json", article.subject());
    let days = kept.len();
    let document = serde_json::json!({ "items": kept.into_iter().map(|(_, item)| item).collect::<Vec<Value>>() });
    let bytes = serde_json::to_vec(&document).map_err(|error| CollectError::Internal(error.to_string()))?;
    Ok(Some((Input::Upload { name, bytes }, days)))
}

fn client_base(client: &Client<'_>) -> String {
    client.environment().endpoints.wikimedia.trim_end_matches('/').to_string()
}
