//! Seeded synthetic daily series with known injected effects, to measure how well each analysis
//! recovers them.
//!
//! Method: a series is `baseline × noise + effects`, day by day. Noise is multiplicative
//! (log-normal, `exp(σ·z)`), as streaming counts are. Effects, each recorded in [`Truth`]:
//! - airing lifts: on each episode's day plus a lag, a bump of a given height that fades by half
//!   each following day;
//! - decay after a finale: `level × f(t)` with `f(t) = 2^(−t/h)` (exponential) or
//!   `(1 + t)^(−α)` (power law, `α = ln 2 / ln(1 + h)`), so the half-life `h` means the same for
//!   both: the days until the excess over the baseline halves;
//! - extra peaks: a triangular bump of a given height and half-width centred on a known day;
//! - step interventions: from a known day on, the series is multiplied by `1 + lift`.
//!
//! Randomness comes from [`SplitMix64`], seeded, so a seed always gives the same series.

/// The splitmix64 generator (Steele, Lea, Flood 2014): tiny, fast, and good enough for noise.
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut mixed = self.state;
        mixed = (mixed ^ (mixed >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        mixed = (mixed ^ (mixed >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        mixed ^ (mixed >> 31)
    }

    /// Uniform in `[0, 1)`.
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `[low, high)`.
    pub fn uniform(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.next_f64()
    }

    /// Uniform index in `0..len` (`len` > 0).
    pub fn index(&mut self, len: usize) -> usize {
        ((self.next_f64() * len as f64) as usize).min(len.saturating_sub(1))
    }

    /// Standard normal, by Box-Muller.
    pub fn normal(&mut self) -> f64 {
        let first = self.next_f64().max(f64::MIN_POSITIVE);
        let second = self.next_f64();
        (-2.0 * first.ln()).sqrt() * (std::f64::consts::TAU * second).cos()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DecayShape {
    Exponential,
    PowerLaw,
}

/// The excess left at `days` after the start of a decay with half-life `half_life`, from 1 at 0.
pub fn decay_factor(shape: DecayShape, half_life: f64, days: f64) -> f64 {
    match shape {
        DecayShape::Exponential => 0.5_f64.powf(days / half_life),
        DecayShape::PowerLaw => (1.0 + days).powf(-std::f64::consts::LN_2 / (1.0 + half_life).ln()),
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Decay {
    pub start_day: usize,
    pub level: f64,
    pub half_life: f64,
    pub shape: DecayShape,
}

/// What a synthetic series is made of: the recipe, and so the truth to recover.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Truth {
    pub days: usize,
    pub baseline: f64,
    /// Standard deviation of the log noise.
    pub noise: f64,
    /// Lag, in days, between an airing and its lift.
    pub airing_lag: usize,
    /// `(air day, lift height)` per episode.
    pub airings: Vec<(usize, f64)>,
    pub decay: Option<Decay>,
    /// `(day, height, half-width in days)` per extra peak.
    pub peaks: Vec<(usize, f64, usize)>,
    /// `(day, relative lift)` per step intervention.
    pub interventions: Vec<(usize, f64)>,
}

/// Builds the series a [`Truth`] describes, with noise drawn from `seed`.
pub fn generate(truth: &Truth, seed: u64) -> Vec<f64> {
    let mut random = SplitMix64::new(seed);
    let mut values = vec![truth.baseline; truth.days];
    for &(air_day, height) in &truth.airings {
        let start = air_day + truth.airing_lag;
        for (offset, value) in values.iter_mut().skip(start).take(6).enumerate() {
            *value += height * 0.5_f64.powi(offset as i32);
        }
    }
    if let Some(decay) = &truth.decay {
        for (day, value) in values.iter_mut().enumerate().skip(decay.start_day) {
            *value += decay.level * decay_factor(decay.shape, decay.half_life, (day - decay.start_day) as f64);
        }
    }
    for &(centre, height, half_width) in &truth.peaks {
        let width = half_width.max(1) as f64;
        for (day, value) in values.iter_mut().enumerate() {
            let distance = (day as f64 - centre as f64).abs();
            if distance < width {
                *value += height * (1.0 - distance / width);
            }
        }
    }
    for &(start, lift) in &truth.interventions {
        for value in values.iter_mut().skip(start) {
            *value *= 1.0 + lift;
        }
    }
    values.iter().map(|value| value * (truth.noise * random.normal()).exp()).collect()
}

/// A song around its drama: 16 weekly episodes with lifts that vary, a lag of 0-3 days.
pub fn airing_case(seed: u64) -> Truth {
    let mut random = SplitMix64::new(seed ^ 0xA1);
    let airings = (0..16).map(|episode| (21 + 7 * episode, random.uniform(20.0, 120.0))).collect();
    Truth { days: 150, baseline: 100.0, noise: 0.03, airing_lag: random.index(4), airings, ..Truth::default() }
}

/// A song after its finale: a decay of known shape and half-life (5-40 days) over a baseline.
pub fn decay_case(seed: u64) -> Truth {
    let mut random = SplitMix64::new(seed ^ 0xDE);
    let shape = if random.next_f64() < 0.5 { DecayShape::Exponential } else { DecayShape::PowerLaw };
    let decay =
        Decay { start_day: 0, level: random.uniform(300.0, 1000.0), half_life: random.uniform(5.0, 40.0), shape };
    Truth { days: 240, baseline: 20.0, noise: 0.05, decay: Some(decay), ..Truth::default() }
}

/// A long tail with two to four extra peaks of known days, heights (half to six times the
/// baseline) and half-widths (2-12 days), under 12 % day-to-day noise.
pub fn peaks_case(seed: u64) -> Truth {
    let mut random = SplitMix64::new(seed ^ 0x9E);
    let count = 2 + random.index(3);
    let spacing = 360 / count;
    let peaks = (0..count)
        .map(|position| {
            let centre = spacing * position + spacing / 2 + random.index(spacing / 3) - spacing / 6;
            (centre, random.uniform(25.0, 300.0), 2 + random.index(11))
        })
        .collect();
    Truth { days: 360, baseline: 50.0, noise: 0.12, peaks, ..Truth::default() }
}

/// A song with one marketing move on day 120 of 180 (lift −10 % to +80 %), a slow drift, and
/// `donor_count` comparable songs that share its drift but not its lift. Returns the truth, the
/// song's series and the donors' series.
pub fn intervention_case(seed: u64, donor_count: usize) -> (Truth, Vec<f64>, Vec<Vec<f64>>) {
    let mut random = SplitMix64::new(seed ^ 0x17);
    let days = 180;
    let lift = random.uniform(-0.1, 0.8);
    let drift: Vec<f64> = {
        let mut level = 0.0;
        (0..days)
            .map(|_| {
                level += 0.01 * random.normal();
                level
            })
            .collect()
    };
    let truth = Truth { days, baseline: 200.0, noise: 0.06, interventions: vec![(120, lift)], ..Truth::default() };
    let plain = generate(&truth, seed);
    let song = plain.iter().zip(&drift).map(|(value, shared)| value * shared.exp()).collect();
    let donors = (0..donor_count)
        .map(|donor| {
            let scale = random.uniform(50.0, 400.0);
            let mut noise = SplitMix64::new(seed.wrapping_mul(31).wrapping_add(donor as u64 + 1));
            drift.iter().map(|shared| scale * (shared + 0.06 * noise.normal()).exp()).collect()
        })
        .collect();
    (truth, song, donors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_series_and_noise_is_centred() {
        let truth = Truth { days: 2000, baseline: 100.0, noise: 0.1, ..Truth::default() };
        assert_eq!(generate(&truth, 7), generate(&truth, 7));
        assert_ne!(generate(&truth, 7), generate(&truth, 8));
        let mean_log: f64 = generate(&truth, 7).iter().map(|value| (value / 100.0).ln()).sum::<f64>() / 2000.0;
        assert!(mean_log.abs() < 0.01, "{mean_log}");
    }

    #[test]
    fn both_decay_shapes_halve_at_the_half_life() {
        for shape in [DecayShape::Exponential, DecayShape::PowerLaw] {
            assert!((decay_factor(shape, 12.0, 12.0) - 0.5).abs() < 1e-12);
            assert_eq!(decay_factor(shape, 12.0, 0.0), 1.0);
        }
    }

    #[test]
    fn effects_land_where_the_truth_says() {
        let truth = Truth {
            days: 30,
            baseline: 10.0,
            airing_lag: 2,
            airings: vec![(5, 8.0)],
            peaks: vec![(20, 5.0, 2)],
            interventions: vec![(25, 1.0)],
            ..Truth::default()
        };
        let values = generate(&truth, 1);
        assert_eq!((values[6], values[7], values[8]), (10.0, 18.0, 14.0));
        assert_eq!((values[19], values[20]), (12.5, 15.0));
        assert_eq!(values[29], 20.0);
    }
}
