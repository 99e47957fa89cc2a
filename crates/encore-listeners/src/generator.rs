//! A seeded generator of listening logs with known truth, for the accuracy tests and the bench:
//! listeners in countries and time zones, each in a taste cluster that favours some dramas; daily
//! rhythms in local time; watchers of a drama playing its OSTs from the premiere on,
//! more in the hours after each airing, with replays; gateway listeners who find the OSTs weeks
//! after the finale; everyone drifting away some weeks after the broadcast. The dramas are real
//! catalog dramas with their airings; the listeners, their plays and the background music are
//! made up, and every row says so (`source` = `generated`).
//!
//! A seed always gives the same rows, however many cores make them: each listener has its own
//! random stream.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use datafusion::arrow::array::{
    ArrayRef, BooleanArray, Int64Array, RecordBatch, StringBuilder, TimestampMicrosecondArray,
};
use encore_domain::{Catalog, ListenSource};
use encore_store::{listens_schema, StoreError};
use serde::Serialize;

use crate::schedule::airings;
use crate::simulate::{background_duration_ms, simulate, Listener, Role};
pub use crate::simulate::{taste_cluster, HOUR_SHARES, WEEKDAY_WEIGHTS};
use crate::zones::{day_number, zone_of};

/// The generator's knobs. [`GeneratorConfig::default`] is the model the accuracy tests check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GeneratorConfig {
    pub seed: u64,
    pub listeners: u64,
    /// The first day of the log and how many days it covers.
    pub start: NaiveDate,
    pub days: u32,
    /// Dramas whose listeners the log follows (catalog ids); their songs are the OSTs played.
    pub dramas: Vec<String>,
    /// Taste clusters: a listener's chance to watch a drama is multiplied by `taste.0` for the
    /// dramas of its cluster (drama number modulo clusters) and by `taste.1` for the others.
    pub clusters: usize,
    pub taste: (f64, f64),
    /// Background listening: sessions a day and tracks a session (means), from a pool of tracks
    /// that are no OST, played by a skewed popularity.
    pub sessions_per_day: f64,
    pub tracks_per_session: f64,
    pub background_tracks: u32,
    /// Chance a listener watches a drama (before the cluster's affinity), and for one who does
    /// not, that they find its OSTs after the finale.
    pub watch_share: f64,
    pub gateway_share: f64,
    /// A fan's OST plays a day (each may be followed by replays).
    pub ost_plays_per_day: f64,
    /// The OST play rate's multiplier in each of the hours after an airing starts.
    pub airing_lift: Vec<f64>,
    /// Chance an OST play is followed at once by the same song again.
    pub replay: f64,
    /// Chance a play runs to the end of the track; others stop uniformly between 5 % and 95 %.
    pub completion: f64,
    /// Weeks after the broadcast every fan keeps listening, then the weekly chance to keep on.
    pub plateau_weeks: u32,
    pub weekly_survival: f64,
    /// Countries and their weights.
    pub countries: Vec<(String, f64)>,
}

impl Default for GeneratorConfig {
    fn default() -> GeneratorConfig {
        GeneratorConfig {
            seed: 2022,
            listeners: 4_000,
            start: NaiveDate::from_ymd_opt(2022, 2, 1).unwrap_or_default(),
            days: 240,
            dramas: vec!["business_proposal".into(), "twenty_five_twenty_one".into()],
            clusters: 2,
            taste: (1.5, 0.75),
            sessions_per_day: 0.6,
            tracks_per_session: 4.0,
            background_tracks: 20_000,
            watch_share: 0.35,
            gateway_share: 0.08,
            ost_plays_per_day: 3.0,
            airing_lift: vec![3.0, 2.5, 2.0, 1.5, 1.25, 1.1],
            replay: 0.3,
            completion: 0.7,
            plateau_weeks: 3,
            weekly_survival: 0.8,
            countries: [("KR", 40.0), ("US", 15.0), ("JP", 10.0), ("ID", 8.0), ("PH", 7.0), ("BR", 6.0)]
                .into_iter()
                .chain([("MX", 5.0), ("TH", 4.0), ("GB", 3.0), ("DE", 2.0)])
                .map(|(country, weight)| (country.to_string(), weight))
                .collect(),
        }
    }
}

impl GeneratorConfig {
    /// The demo's logs: the default model over the six catalog dramas on air between November
    /// 2021 and July 2022, in three taste clusters, so that listeners differ in which dramas they
    /// watch (what recommendations learn from).
    pub fn demo() -> GeneratorConfig {
        GeneratorConfig {
            start: NaiveDate::from_ymd_opt(2021, 11, 1).unwrap_or_default(),
            days: 273,
            dramas: ["red_sleeve", "our_beloved_summer", "young_lady_and_gentleman", "twenty_five_twenty_one"]
                .into_iter()
                .chain(["business_proposal", "stranger_things_s4"])
                .map(String::from)
                .collect(),
            clusters: 3,
            taste: (2.0, 0.4),
            ..GeneratorConfig::default()
        }
    }

    /// The default model with as many listeners as make about `listens` plays.
    pub fn for_listens(listens: u64) -> GeneratorConfig {
        let config = GeneratorConfig::default();
        let per_listener = config.days as f64 * config.sessions_per_day * config.tracks_per_session * 1.6;
        GeneratorConfig { listeners: ((listens as f64 / per_listener).ceil() as u64).max(1), ..config }
    }

    /// The source name stored with the rows: the generator and its knobs.
    pub fn source_name(&self) -> String {
        format!(
            "generated://listeners?seed={}&listeners={}&start={}&days={}&dramas={}",
            self.seed,
            self.listeners,
            self.start,
            self.days,
            self.dramas.join(",")
        )
    }
}

#[derive(Debug, Clone)]
pub struct GeneratedSong {
    pub id: String,
    pub title: String,
    pub artist: String,
    pub duration_ms: i64,
}

#[derive(Debug, Clone)]
pub struct GeneratedDrama {
    pub id: String,
    pub songs: Vec<GeneratedSong>,
    pub airings: Vec<DateTime<Utc>>,
}

impl GeneratedDrama {
    /// A day after the finale's airing: where the analyses' broadcast ends.
    pub fn broadcast_end(&self) -> Option<DateTime<Utc>> {
        self.airings.last().map(|last| *last + chrono::Duration::days(1))
    }
}

/// The configuration resolved against the catalog.
pub struct Model {
    pub config: GeneratorConfig,
    pub dramas: Vec<GeneratedDrama>,
    pub country_zones: Vec<Tz>,
    pub country_cumulative: Vec<f64>,
    pub first_day: i64,
}

impl Model {
    /// The dramas a taste cluster favours (catalog ids).
    pub fn favoured_dramas(&self, cluster: usize) -> Vec<&str> {
        let clusters = self.config.clusters.max(1);
        self.dramas
            .iter()
            .enumerate()
            .filter(|(position, _)| position % clusters == cluster)
            .map(|(_, drama)| drama.id.as_str())
            .collect()
    }

    pub fn new(config: GeneratorConfig, catalog: &Catalog) -> Model {
        let dramas = config
            .dramas
            .iter()
            .filter_map(|id| catalog.dramas.iter().find(|drama| drama.id.as_str() == id))
            .map(|drama| GeneratedDrama {
                id: drama.id.as_str().to_string(),
                songs: catalog
                    .songs
                    .iter()
                    .filter(|song| song.drama_id == drama.id)
                    .map(|song| GeneratedSong {
                        id: song.id.as_str().to_string(),
                        title: if song.title_en.is_empty() { song.title_ko.clone() } else { song.title_en.clone() },
                        artist: song.artists.join(", "),
                        duration_ms: 180_000
                            + (song.id.as_str().bytes().map(u64::from).sum::<u64>() % 80) as i64 * 1_000,
                    })
                    .collect(),
                airings: airings(catalog, drama).into_iter().map(|airing| airing.at).collect(),
            })
            .filter(|drama| !drama.songs.is_empty() && !drama.airings.is_empty())
            .collect();
        let country_zones = config.countries.iter().map(|(country, _)| zone_of(country, Tz::UTC)).collect();
        let mut sum = 0.0;
        let country_cumulative = config
            .countries
            .iter()
            .map(|(_, weight)| {
                sum += weight;
                sum
            })
            .collect();
        let first_day = day_number(config.start);
        Model { config, dramas, country_zones, country_cumulative, first_day }
    }

    /// The OST play rate's multiplier at a time (Unix seconds) for a watcher of the drama.
    pub fn burst(&self, drama: usize, at: i64) -> f64 {
        let lifts = &self.config.airing_lift;
        let hours = lifts.len() as i64;
        self.dramas[drama]
            .airings
            .iter()
            .map(|airing| (at - airing.timestamp()).div_euclid(3_600))
            .find(|hour| (0..hours).contains(hour))
            .map_or(1.0, |hour| lifts[hour as usize])
    }
}

/// What the generator knows of the rows it made, for checking the analyses: counts taken from
/// the rows themselves, and the model's parameters.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Truth {
    pub listens: u64,
    pub background_sessions: u64,
    pub skipped: u64,
    pub plays_by_country: BTreeMap<String, u64>,
    /// Listeners per taste cluster.
    pub listeners_by_cluster: BTreeMap<usize, u64>,
    /// Per drama: listeners with at least one play of its OSTs, by what they were.
    pub watchers_playing: BTreeMap<String, u64>,
    pub gateways_playing: BTreeMap<String, u64>,
    pub ost_plays: BTreeMap<String, u64>,
    /// OST plays that are replays the generator made.
    pub ost_replays: u64,
    pub all_ost_plays: u64,
}

impl Truth {
    fn add(&mut self, model: &Model, listener: &Listener) {
        let config = &model.config;
        self.listens += listener.plays.len() as u64;
        self.background_sessions += listener.sessions;
        self.skipped += listener.plays.iter().filter(|play| !play.completed).count() as u64;
        *self.listeners_by_cluster.entry(listener.cluster).or_default() += 1;
        *self.plays_by_country.entry(config.countries[listener.country].0.clone()).or_default() +=
            listener.plays.len() as u64;
        for (position, drama) in model.dramas.iter().enumerate() {
            let plays =
                listener.plays.iter().filter(|play| play.ost.is_some_and(|(of, _)| of == position)).count() as u64;
            *self.ost_plays.entry(drama.id.clone()).or_default() += plays;
            if plays > 0 {
                let counter = match listener.roles[position] {
                    Role::Watcher => &mut self.watchers_playing,
                    _ => &mut self.gateways_playing,
                };
                *counter.entry(drama.id.clone()).or_default() += 1;
            }
        }
        for play in listener.plays.iter().filter(|play| play.ost.is_some()) {
            self.all_ost_plays += 1;
            self.ost_replays += u64::from(play.replay);
        }
    }

    fn merge(&mut self, other: Truth) {
        self.listens += other.listens;
        self.background_sessions += other.background_sessions;
        self.skipped += other.skipped;
        self.ost_replays += other.ost_replays;
        self.all_ost_plays += other.all_ost_plays;
        for (cluster, count) in other.listeners_by_cluster {
            *self.listeners_by_cluster.entry(cluster).or_default() += count;
        }
        for (mine, theirs) in [
            (&mut self.plays_by_country, other.plays_by_country),
            (&mut self.watchers_playing, other.watchers_playing),
            (&mut self.gateways_playing, other.gateways_playing),
            (&mut self.ost_plays, other.ost_plays),
        ] {
            for (key, count) in theirs {
                *mine.entry(key).or_default() += count;
            }
        }
    }
}

/// The model's expected retention: the share of the broadcast's watchers playing in week `week`
/// after it (all keep on for the plateau, then each week with the survival chance).
pub fn expected_retention(config: &GeneratorConfig, week: u32) -> f64 {
    let weeks_past_plateau = (week + 1).saturating_sub(config.plateau_weeks);
    let plays_a_week = 7.0 * config.ost_plays_per_day;
    config.weekly_survival.powi(weeks_past_plateau as i32) * (1.0 - (-plays_a_week).exp())
}

/// The expected mean completion of plays.
pub fn expected_completion(config: &GeneratorConfig) -> f64 {
    config.completion + (1.0 - config.completion) * 0.5
}

/// Listeners made per batch.
pub const LISTENERS_PER_BATCH: u64 = 256;

/// The rows as Arrow batches of the `listens` schema, made on every core, in listener order, with
/// the truth once every batch has been taken. Memory holds a few batches per core.
pub fn generate(model: &Arc<Model>) -> Generation {
    Generation { model: Arc::clone(model), next_listener: 0, next_line: 1, truth: Truth::default(), ready: Vec::new() }
}

pub struct Generation {
    model: Arc<Model>,
    next_listener: u64,
    next_line: i64,
    truth: Truth,
    /// Made and not yet taken, last first: each listener range's columns (`source_line` still to
    /// number) and truth, or the panic of the worker that was making it.
    ready: Vec<Option<(Vec<ArrayRef>, Truth)>>,
}

impl Generation {
    /// The truth of the batches taken so far (all of them once the iterator is done).
    pub fn truth(&self) -> &Truth {
        &self.truth
    }

    fn fill(&mut self) {
        let cores = std::thread::available_parallelism().map_or(1, usize::from) as u64;
        let model = &self.model;
        let starts: Vec<u64> = (0..cores * 2)
            .map(|chunk| self.next_listener + chunk * LISTENERS_PER_BATCH)
            .filter(|&start| start < model.config.listeners)
            .collect();
        self.next_listener += cores * 2 * LISTENERS_PER_BATCH;
        let mut made: Vec<Option<(Vec<ArrayRef>, Truth)>> = std::thread::scope(|scope| {
            let workers: Vec<_> = starts
                .iter()
                .map(|&start| {
                    scope.spawn(move || {
                        let end = (start + LISTENERS_PER_BATCH).min(model.config.listeners);
                        rows(model, start..end)
                    })
                })
                .collect();
            workers.into_iter().map(|worker| worker.join().ok()).collect()
        });
        made.reverse();
        self.ready = made;
    }
}

impl Iterator for Generation {
    type Item = Result<RecordBatch, StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.ready.is_empty() {
            if self.next_listener >= self.model.config.listeners {
                return None;
            }
            self.fill();
        }
        let Some((mut columns, truth)) = self.ready.pop()? else {
            return Some(Err(StoreError::Engine(datafusion::error::DataFusionError::Internal(
                "making generated listens panicked".into(),
            ))));
        };
        self.truth.merge(truth);
        let schema = listens_schema();
        let rows = columns.first().map_or(0, |column| column.len()) as i64;
        let lines: ArrayRef = Arc::new(Int64Array::from_iter_values(self.next_line..self.next_line + rows));
        self.next_line += rows;
        match schema.index_of("source_line") {
            Ok(position) => columns[position] = lines,
            Err(error) => return Some(Err(error.into())),
        }
        Some(RecordBatch::try_new(schema, columns).map_err(StoreError::from))
    }
}

/// The columns of a range of listeners' rows, in the `listens` schema's order (their
/// `source_line` left for the iterator to number).
fn rows(model: &Model, listeners: std::ops::Range<u64>) -> (Vec<ArrayRef>, Truth) {
    let config = &model.config;
    let mut truth = Truth::default();
    let mut users = StringBuilder::new();
    let mut times = Vec::new();
    let mut artists = StringBuilder::new();
    let mut tracks = StringBuilder::new();
    let mut song_ids = StringBuilder::new();
    let mut ms_played = Vec::new();
    let mut durations = Vec::new();
    let mut countries = StringBuilder::new();
    let mut reasons_end = StringBuilder::new();
    let mut skipped = Vec::new();
    for index in listeners {
        let listener = simulate(model, index);
        truth.add(model, &listener);
        let user = format!("listener-{index:07}");
        let country = &config.countries[listener.country].0;
        for play in &listener.plays {
            users.append_value(&user);
            times.push(play.started * 1_000_000);
            match play.ost {
                Some((drama, song)) => {
                    let song = &model.dramas[drama].songs[song];
                    artists.append_value(&song.artist);
                    tracks.append_value(&song.title);
                    song_ids.append_value(&song.id);
                }
                None => {
                    artists.append_value(format!("Generated Artist {}", play.background_track % 2_000));
                    tracks.append_value(format!("Generated Track {}", play.background_track));
                    song_ids.append_null();
                }
            }
            ms_played.push(play.ms_played);
            durations.push(if play.ost.is_some() {
                play.duration_ms
            } else {
                background_duration_ms(play.background_track)
            });
            countries.append_value(country);
            reasons_end.append_value(if play.completed { "trackdone" } else { "fwdbtn" });
            skipped.push(!play.completed);
        }
    }
    let count = times.len();
    let constant = |text: &str| -> ArrayRef {
        let mut builder = StringBuilder::new();
        (0..count).for_each(|_| builder.append_value(text));
        Arc::new(builder.finish())
    };
    let nulls = |count: usize| -> ArrayRef {
        let mut builder = StringBuilder::new();
        builder.append_nulls(count);
        Arc::new(builder.finish())
    };
    let columns: Vec<ArrayRef> = vec![
        constant(ListenSource::Generated.as_str()),
        Arc::new(users.finish()),
        Arc::new(TimestampMicrosecondArray::from(times).with_timezone("UTC")),
        Arc::new(artists.finish()),
        Arc::new(tracks.finish()),
        Arc::new(song_ids.finish()),
        constant(&config.source_name()),
        Arc::new(Int64Array::from(vec![0; count])),
        nulls(count),
        Arc::new(Int64Array::from(ms_played)),
        Arc::new(Int64Array::from(durations)),
        Arc::new(countries.finish()),
        nulls(count),
        nulls(count),
        Arc::new(reasons_end.finish()),
        Arc::new(BooleanArray::from(vec![None; count])),
        Arc::new(BooleanArray::from(skipped)),
        Arc::new(BooleanArray::from(vec![None; count])),
    ];
    (columns, truth)
}
