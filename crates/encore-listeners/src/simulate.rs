//! One generated listener's plays: background sessions of music that is no OST, following a daily
//! rhythm in the listener's local time, and, for a drama the listener watches (or finds after its
//! finale, the gateway listeners), plays of its OSTs at a rate that bursts in the hours after each
//! airing and stops when the listener drifts away, weeks after the finale.

use chrono_tz::Tz;
use encore_analytics::synthetic::SplitMix64;

use crate::generator::{GeneratedDrama, Model};
use crate::zones::offset_seconds;

/// Share of a day's listening in each local hour (sums to 1): quiet at night, a morning
/// commute, lunch, and the evening peak.
pub const HOUR_SHARES: [f64; 24] = [
    0.020, 0.012, 0.008, 0.006, 0.005, 0.008, 0.020, 0.040, 0.055, 0.050, 0.045, 0.048, 0.058, 0.052, 0.045, 0.045,
    0.048, 0.055, 0.062, 0.066, 0.068, 0.068, 0.068, 0.048,
];

/// Each local weekday's listening relative to the mean (Monday first): more at the weekend.
pub const WEEKDAY_WEIGHTS: [f64; 7] = [0.95, 0.95, 0.95, 0.95, 1.0, 1.1, 1.1];

/// One play, before it becomes a row.
#[derive(Debug, Clone)]
pub struct Play {
    /// Unix seconds of the start.
    pub started: i64,
    /// `None` for background music; else (drama, song) positions.
    pub ost: Option<(usize, usize)>,
    pub background_track: u32,
    pub ms_played: i64,
    pub duration_ms: i64,
    pub completed: bool,
    pub replay: bool,
}

/// What the listener did with a drama, for the truth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    None,
    Watcher,
    Gateway,
}

pub struct Listener {
    pub country: usize,
    pub cluster: usize,
    pub roles: Vec<Role>,
    pub plays: Vec<Play>,
    pub sessions: u64,
}

/// Poisson draw by inversion (small means) or a rounded normal (large).
fn poisson(random: &mut SplitMix64, mean: f64) -> u64 {
    if mean <= 0.0 {
        return 0;
    }
    if mean > 30.0 {
        return (mean + mean.sqrt() * random.normal()).round().max(0.0) as u64;
    }
    let limit = (-mean).exp();
    let mut product = random.next_f64();
    let mut count = 0;
    while product > limit {
        count += 1;
        product *= random.next_f64();
    }
    count
}

/// A value from cumulative weights.
fn pick(random: &mut SplitMix64, cumulative: &[f64]) -> usize {
    let total = cumulative.last().copied().unwrap_or(0.0);
    let target = random.next_f64() * total;
    cumulative.partition_point(|&weight| weight <= target).min(cumulative.len().saturating_sub(1))
}

fn cumulative(weights: impl IntoIterator<Item = f64>) -> Vec<f64> {
    weights
        .into_iter()
        .scan(0.0, |sum, weight| {
            *sum += weight;
            Some(*sum)
        })
        .collect()
}

/// A background track's length, 2:30 to 4:30, fixed by its number.
pub fn background_duration_ms(track: u32) -> i64 {
    150_000 + i64::from(track.wrapping_mul(2_654_435_761) % 120_000)
}

/// A listener's random stream after its first draws: its country and its taste cluster.
fn identity(model: &Model, index: u64) -> (SplitMix64, usize, usize) {
    let config = &model.config;
    let mut random = SplitMix64::new(config.seed ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x5EED);
    let country = pick(&mut random, &model.country_cumulative);
    let cluster = random.index(config.clusters.max(1));
    (random, country, cluster)
}

/// The taste cluster of the listener numbered `index` (`listener-{index:07}` in the rows).
pub fn taste_cluster(model: &Model, index: u64) -> usize {
    identity(model, index).2
}

pub fn simulate(model: &Model, index: u64) -> Listener {
    let config = &model.config;
    let (mut random, country, cluster) = identity(model, index);
    let zone: Tz = model.country_zones[country];
    let first_day = model.first_day;
    let offsets: Vec<i64> = (0..i64::from(config.days)).map(|day| offset_seconds(zone, first_day + day)).collect();
    let hours = cumulative(HOUR_SHARES);
    let mut plays = Vec::new();
    let mut sessions = 0;
    // Background sessions, day by day in local time.
    for (day, &offset) in offsets.iter().enumerate() {
        let local_day = first_day + day as i64;
        let weekday = ((local_day + 3).rem_euclid(7)) as usize;
        for _ in 0..poisson(&mut random, config.sessions_per_day * WEEKDAY_WEIGHTS[weekday]) {
            sessions += 1;
            let hour = pick(&mut random, &hours) as i64;
            let mut started = local_day * 86_400 + hour * 3_600 + (random.next_f64() * 3_600.0) as i64 - offset;
            loop {
                let track = (config.background_tracks as f64 * random.next_f64().powi(2)) as u32;
                let play = play_of(&mut random, config.completion, started, None, track, background_duration_ms(track));
                started += play.ms_played / 1000 + 1 + (random.next_f64() * 5.0) as i64;
                plays.push(play);
                if random.next_f64() < 1.0 / config.tracks_per_session.max(1.0) {
                    break;
                }
            }
        }
    }
    let roles: Vec<Role> = model
        .dramas
        .iter()
        .enumerate()
        .map(|(position, drama)| {
            let affinity = if position % config.clusters.max(1) == cluster { config.taste.0 } else { config.taste.1 };
            let role = if random.next_f64() < (config.watch_share * affinity).min(1.0) {
                Role::Watcher
            } else if random.next_f64() < config.gateway_share {
                Role::Gateway
            } else {
                Role::None
            };
            if role != Role::None {
                ost_plays(model, &mut random, position, drama, role, &offsets, &mut plays);
            }
            role
        })
        .collect();
    plays.sort_by_key(|play| play.started);
    Listener { country, cluster, roles, plays, sessions }
}

/// When a fan of the drama plays its OSTs: from the premiere's airing (watchers) or from a
/// day three to eleven weeks after the broadcast (gateway listeners), until some weeks after it.
fn ost_plays(
    model: &Model,
    random: &mut SplitMix64,
    position: usize,
    drama: &GeneratedDrama,
    role: Role,
    offsets: &[i64],
    plays: &mut Vec<Play>,
) {
    let config = &model.config;
    let (Some(first_air), Some(broadcast_end)) = (drama.airings.first(), drama.broadcast_end()) else { return };
    let start = match role {
        Role::Watcher => first_air.timestamp(),
        _ => broadcast_end.timestamp() + 21 * 86_400 + (random.next_f64() * 56.0 * 86_400.0) as i64,
    };
    let mut weeks_kept = i64::from(config.plateau_weeks);
    while random.next_f64() < config.weekly_survival {
        weeks_kept += 1;
    }
    let end = match role {
        Role::Watcher => broadcast_end.timestamp() + weeks_kept * 7 * 86_400,
        _ => start + weeks_kept * 7 * 86_400,
    };
    let song_weights = cumulative((0..drama.songs.len()).map(|song| 1.0 / (song as f64 + 1.0)));
    let per_day = config.ost_plays_per_day;
    for (day, &offset) in offsets.iter().enumerate() {
        let local_day = model.first_day + day as i64;
        let weekday = ((local_day + 3).rem_euclid(7)) as usize;
        let day_start = local_day * 86_400 - offset;
        if day_start + 86_400 <= start || day_start >= end {
            continue;
        }
        let rates: Vec<f64> = (0..24)
            .map(|hour| {
                let hour_start = day_start + hour * 3_600;
                let active = hour_start >= start && hour_start < end;
                let burst = if role == Role::Watcher { model.burst(position, hour_start) } else { 1.0 };
                if active {
                    per_day * HOUR_SHARES[hour as usize] * WEEKDAY_WEIGHTS[weekday] * burst
                } else {
                    0.0
                }
            })
            .collect();
        let rates_cumulative = cumulative(rates.iter().copied());
        let total = rates_cumulative.last().copied().unwrap_or(0.0);
        for _ in 0..poisson(random, total) {
            let hour = pick(random, &rates_cumulative) as i64;
            let mut started = day_start + hour * 3_600 + (random.next_f64() * 3_600.0) as i64;
            let song = pick(random, &song_weights);
            let duration = drama.songs[song].duration_ms;
            let mut replay = false;
            loop {
                let mut play = play_of(random, config.completion, started, Some((position, song)), 0, duration);
                play.replay = replay;
                started += play.ms_played / 1000 + 1;
                plays.push(play);
                if random.next_f64() >= config.replay {
                    break;
                }
                replay = true;
            }
        }
    }
}

fn play_of(
    random: &mut SplitMix64,
    completion: f64,
    started: i64,
    ost: Option<(usize, usize)>,
    background_track: u32,
    duration_ms: i64,
) -> Play {
    let completed = random.next_f64() < completion;
    let ms_played = if completed { duration_ms } else { (duration_ms as f64 * random.uniform(0.05, 0.95)) as i64 };
    Play { started, ost, background_track, ms_played, duration_ms, completed, replay: false }
}
