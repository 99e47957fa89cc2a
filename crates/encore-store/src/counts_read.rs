//! `daily_counts` read back by subject: what `encore detect|effect|decay --subject` analyses.

use chrono::NaiveDate;
use datafusion::arrow::array::{Array, Int64Array, RecordBatch};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;

use crate::append_search::{date_column, text_column};
use crate::limits::QueryLimits;
use crate::series_schema::DAILY_COUNTS;
use crate::{Store, StoreError};

/// One subject's count on one day, summed over the sources that count it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectCount {
    pub subject: String,
    pub date: NaiveDate,
    pub count: u64,
}

impl Store {
    /// The daily counts of `subjects` (pageviews, views, social counts as ingested, e.g.
    /// `en.wikipedia/Goblin_(TV_series)`), by subject and date; none when the store holds no
    /// `daily_counts` at all.
    pub async fn daily_counts_of(&self, subjects: &[String]) -> Result<Vec<SubjectCount>, StoreError> {
        if subjects.is_empty() || self.manifest()?.dataset(DAILY_COUNTS).is_none() {
            return Ok(Vec::new());
        }
        let quoted: Vec<String> = subjects.iter().map(|subject| format!("'{}'", subject.replace('\'', "''"))).collect();
        let query = format!(
            "SELECT subject, date, SUM(count) AS count FROM {DAILY_COUNTS} WHERE subject IN ({}) \
             GROUP BY subject, date ORDER BY subject, date",
            quoted.join(", ")
        );
        let batches = self.sql(&query, QueryLimits::unbounded()).await?;
        batches.iter().map(subject_counts).collect::<Result<Vec<_>, _>>().map(|parts| parts.concat())
    }
}

fn subject_counts(batch: &RecordBatch) -> Result<Vec<SubjectCount>, StoreError> {
    let subjects = text_column(batch, DAILY_COUNTS, "subject")?;
    let dates = date_column(batch, DAILY_COUNTS, "date")?;
    let counts_column = batch.column_by_name("count").ok_or_else(|| StoreError::Corrupt {
        path: std::path::PathBuf::from(DAILY_COUNTS),
        reason: "no `count` column".to_string(),
    })?;
    let counts_cast = cast(counts_column, &DataType::Int64)?;
    let counts = counts_cast.as_any().downcast_ref::<Int64Array>().ok_or_else(|| StoreError::Corrupt {
        path: std::path::PathBuf::from(DAILY_COUNTS),
        reason: "the column `count` does not hold numbers".to_string(),
    })?;
    Ok((0..batch.num_rows())
        .filter(|row| !subjects.is_null(*row) && !dates.is_null(*row))
        .filter_map(|row| {
            Some(SubjectCount {
                subject: subjects.value(row).to_string(),
                date: dates.value_as_date(row)?,
                count: u64::try_from(counts.value(row)).unwrap_or(0),
            })
        })
        .collect())
}
