//! Listener behaviour from listening logs: when OSTs are played (hour × weekday in local time),
//! how plays move around a drama's airings, sessions and replays, how plays end, who stays after
//! the finale (cohorts, retention, the gateway split) and where the plays come from. Each analysis
//! is one DataFusion plan over the `listens` table (SQL, no row loops in Rust), so it runs the
//! same on the embedded store or on any engine that gives a `SessionContext` with `listens`
//! registered. `generator` writes listening logs with known truth for tests and benches.

pub mod around_airings;
pub mod cohorts;
pub mod countries;
mod error;
pub mod frames;
pub mod generator;
pub mod heatmap;
pub mod playback;
pub mod schedule;
pub mod scope;
pub mod sessions;
mod simulate;
pub mod tables;
pub mod zones;

use chrono_tz::Tz;
use datafusion::prelude::SessionContext;
use encore_domain::Catalog;
use serde::Serialize;

use crate::frames::{collect, int64_column, string_column};

pub use error::ListenersError;
pub use scope::{Resolved, Scope};

/// The memory a listener analysis's operators may hold before they spill to disk: the plans
/// sort and group every listen, which at 10^8 listens is far more than this.
pub const MEMORY_BYTES: usize = 3 << 30;

/// One listener analysis, to run alone (the bench times each against another engine).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Analysis {
    Heatmap,
    Airings,
    Sessions,
    Playback,
    Cohorts,
    Countries,
}

impl Analysis {
    pub const ALL: [Analysis; 6] = [
        Analysis::Heatmap,
        Analysis::Airings,
        Analysis::Sessions,
        Analysis::Playback,
        Analysis::Cohorts,
        Analysis::Countries,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Analysis::Heatmap => "heatmap",
            Analysis::Airings => "airings",
            Analysis::Sessions => "sessions",
            Analysis::Playback => "playback",
            Analysis::Cohorts => "cohorts",
            Analysis::Countries => "countries",
        }
    }

    pub fn named(name: &str) -> Option<Analysis> {
        Analysis::ALL.into_iter().find(|analysis| analysis.name() == name)
    }

    /// Whether it needs a drama (its airings).
    pub fn needs_drama(self) -> bool {
        matches!(self, Analysis::Airings | Analysis::Cohorts)
    }

    /// The analysis's SQL for a scope (and, for those that need one, its drama).
    pub fn sql(self, scope: &Resolved, drama_id: Option<&str>) -> Option<String> {
        Some(match self {
            Analysis::Heatmap => heatmap::sql(scope),
            Analysis::Sessions => sessions::sql(scope),
            Analysis::Playback => playback::sql(scope),
            Analysis::Countries => countries::sql(scope),
            Analysis::Airings => around_airings::sql(scope, drama_id?),
            Analysis::Cohorts => cohorts::sql(scope, drama_id?),
        })
    }
}

/// The answer of one analysis run alone.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OneAnalysis {
    Heatmap(heatmap::Heatmap),
    Airings(Option<around_airings::AiringCurve>),
    Sessions(sessions::Sessions),
    Playback(playback::Playback),
    Cohorts(Option<cohorts::Cohorts>),
    Countries(countries::Countries),
}

/// Runs one analysis of `scope`, registering the tables it joins.
pub async fn analyse_one(
    context: &SessionContext,
    catalog: &Catalog,
    scope: Scope,
    default_zone: Tz,
    analysis: Analysis,
) -> Result<OneAnalysis, ListenersError> {
    match analysis {
        Analysis::Heatmap => tables::register(context, catalog, default_zone).await?,
        _ => tables::register_without_zones(context, catalog)?,
    }
    let resolved = Resolved::new(catalog, scope)?;
    let drama_id = drama_of(catalog, &resolved);
    Ok(match (analysis, drama_id) {
        (Analysis::Heatmap, _) => OneAnalysis::Heatmap(heatmap::heatmap(context, &resolved).await?),
        (Analysis::Sessions, _) => OneAnalysis::Sessions(sessions::sessions(context, &resolved).await?),
        (Analysis::Playback, _) => OneAnalysis::Playback(playback::playback(context, &resolved).await?),
        (Analysis::Countries, _) => OneAnalysis::Countries(countries::countries(context, &resolved).await?),
        (Analysis::Airings, Some(drama)) => {
            OneAnalysis::Airings(Some(around_airings::around_airings(context, &resolved, drama.as_str()).await?))
        }
        (Analysis::Cohorts, Some(drama)) => {
            OneAnalysis::Cohorts(Some(cohorts::cohorts(context, &resolved, drama.as_str()).await?))
        }
        (Analysis::Airings, None) => OneAnalysis::Airings(None),
        (Analysis::Cohorts, None) => OneAnalysis::Cohorts(None),
    })
}

/// The drama of a scope: the drama itself, or a song's.
pub fn drama_of(catalog: &Catalog, resolved: &Resolved) -> Option<encore_domain::DramaId> {
    match &resolved.scope {
        Scope::All => None,
        Scope::Drama(id) => Some(id.clone()),
        Scope::Song(id) => catalog.songs.iter().find(|song| &song.id == id).map(|song| song.drama_id.clone()),
    }
}

/// Every listener analysis of one scope.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListenerReport {
    pub scope: String,
    /// The session's listens by source (`generated` for the generator's), most first: a view
    /// labels generated logs as such.
    pub sources: Vec<(String, i64)>,
    pub heatmap: heatmap::Heatmap,
    pub sessions: sessions::Sessions,
    pub playback: playback::Playback,
    pub countries: countries::Countries,
    /// For a drama: the airing curve and cohorts; for a song, those of its drama.
    pub airings: Option<around_airings::AiringCurve>,
    pub cohorts: Option<cohorts::Cohorts>,
}

/// Runs every analysis of `scope` on the session's `listens`, registering the tables they join
/// (listens without a country are read in `default_zone`).
pub async fn analyse(
    context: &SessionContext,
    catalog: &Catalog,
    scope: Scope,
    default_zone: Tz,
) -> Result<ListenerReport, ListenersError> {
    tables::register(context, catalog, default_zone).await?;
    analyse_registered(context, catalog, scope).await
}

/// [`analyse`] in a session where [`tables::register`] has run: for several scopes, whose tables
/// (the zone offsets read every listen's country) are the same.
pub async fn analyse_registered(
    context: &SessionContext,
    catalog: &Catalog,
    scope: Scope,
) -> Result<ListenerReport, ListenersError> {
    let resolved = Resolved::new(catalog, scope)?;
    let drama_id = drama_of(catalog, &resolved);
    let (airings, cohorts) = match &drama_id {
        Some(drama_id) => (
            Some(around_airings::around_airings(context, &resolved, drama_id.as_str()).await?),
            Some(cohorts::cohorts(context, &resolved, drama_id.as_str()).await?),
        ),
        None => (None, None),
    };
    Ok(ListenerReport {
        scope: resolved.label.clone(),
        sources: sources(context).await?,
        heatmap: heatmap::heatmap(context, &resolved).await?,
        sessions: sessions::sessions(context, &resolved).await?,
        playback: playback::playback(context, &resolved).await?,
        countries: countries::countries(context, &resolved).await?,
        airings,
        cohorts,
    })
}

impl ListenerReport {
    /// Whether every listen analysed came from the generator.
    pub fn all_generated(&self) -> bool {
        !self.sources.is_empty() && self.sources.iter().all(|(source, _)| source == "generated")
    }
}

/// Listens by source, most first.
async fn sources(context: &SessionContext) -> Result<Vec<(String, i64)>, ListenersError> {
    let mut sources = Vec::new();
    for batch in collect(context, "SELECT source, count(*) AS listens FROM listens GROUP BY source").await? {
        let (names, counts) = (string_column(&batch, "source")?, int64_column(&batch, "listens")?);
        sources.extend((0..batch.num_rows()).map(|row| (names.value(row).to_string(), counts.value(row))));
    }
    sources.sort_by(|left, right| right.1.cmp(&left.1).then_with(|| left.0.cmp(&right.0)));
    Ok(sources)
}

/// The dramas whose OSTs the listens play, most plays first.
pub async fn dramas_listened(
    context: &SessionContext,
    catalog: &Catalog,
) -> Result<Vec<(encore_domain::DramaId, i64)>, ListenersError> {
    let query = "SELECT song_id, count(*) AS plays FROM listens WHERE song_id IS NOT NULL GROUP BY song_id";
    let mut plays: std::collections::BTreeMap<encore_domain::DramaId, i64> = std::collections::BTreeMap::new();
    for batch in collect(context, query).await? {
        let (songs, counts) = (string_column(&batch, "song_id")?, int64_column(&batch, "plays")?);
        for row in 0..batch.num_rows() {
            if let Some(song) = catalog.songs.iter().find(|song| song.id.as_str() == songs.value(row)) {
                *plays.entry(song.drama_id.clone()).or_default() += counts.value(row);
            }
        }
    }
    let mut dramas: Vec<_> = plays.into_iter().collect();
    dramas.sort_by(|left, right| right.1.cmp(&left.1).then_with(|| left.0.cmp(&right.0)));
    Ok(dramas)
}
