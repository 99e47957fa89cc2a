//! Where the plays come from: plays and listeners by country over the whole log and by month, so
//! a song's spread beyond Korea shows as its shares move. Listens whose log names no country are
//! under "" (unknown).
//!
//! Plan: one aggregate with two grouping sets, (country) and (country, month).

use std::collections::BTreeMap;

use datafusion::arrow::array::Array;
use datafusion::prelude::SessionContext;
use serde::Serialize;

use crate::error::ListenersError;
use crate::frames::{collect, int64_column, string_column};
use crate::scope::Resolved;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Countries {
    pub scope: String,
    /// Per country, most plays first.
    pub countries: Vec<CountryTotal>,
    /// Per month (`YYYY-MM`), each country's plays.
    pub months: Vec<CountryMonth>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountryTotal {
    pub country: String,
    pub plays: i64,
    pub listeners: i64,
    pub share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountryMonth {
    pub month: String,
    pub plays: i64,
    /// Country → plays that month.
    pub by_country: BTreeMap<String, i64>,
}

pub fn sql(scope: &Resolved) -> String {
    format!(
        "SELECT country, month, count(*) AS plays, count(DISTINCT \"user\") AS listeners
         FROM (SELECT coalesce(country, '') AS country, \"user\",
                CAST(date_part('year', listened_at) * 100 + date_part('month', listened_at) AS BIGINT) AS month
             FROM listens WHERE {condition})
         GROUP BY GROUPING SETS ((country), (country, month))",
        condition = scope.condition(),
    )
}

pub async fn countries(context: &SessionContext, scope: &Resolved) -> Result<Countries, ListenersError> {
    let mut totals = Vec::new();
    let mut months: BTreeMap<i64, BTreeMap<String, i64>> = BTreeMap::new();
    for batch in collect(context, &sql(scope)).await? {
        let (country, month) = (string_column(&batch, "country")?, int64_column(&batch, "month")?);
        let (plays, listeners) = (int64_column(&batch, "plays")?, int64_column(&batch, "listeners")?);
        for row in 0..batch.num_rows() {
            let name = country.value(row).to_string();
            if month.is_null(row) {
                totals.push(CountryTotal {
                    country: name,
                    plays: plays.value(row),
                    listeners: listeners.value(row),
                    share: 0.0,
                });
            } else {
                months.entry(month.value(row)).or_default().insert(name, plays.value(row));
            }
        }
    }
    let all: i64 = totals.iter().map(|total| total.plays).sum();
    for total in &mut totals {
        total.share = if all > 0 { total.plays as f64 / all as f64 } else { 0.0 };
    }
    totals.sort_by(|left, right| right.plays.cmp(&left.plays).then_with(|| left.country.cmp(&right.country)));
    let months = months
        .into_iter()
        .map(|(month, by_country)| CountryMonth {
            month: format!("{}-{:02}", month / 100, month % 100),
            plays: by_country.values().sum(),
            by_country,
        })
        .collect();
    Ok(Countries { scope: scope.label.clone(), countries: totals, months })
}
