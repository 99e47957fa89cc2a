use chrono::Duration;

use super::*;
use crate::synthetic::{decay_case, generate};

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn synthetic_points(seed: u64) -> (crate::synthetic::Truth, Vec<(f64, f64)>) {
    let truth = decay_case(seed);
    let values = generate(&truth, seed);
    (truth, values.iter().enumerate().map(|(index, value)| (index as f64, *value)).collect())
}

/// The baseline as a caller knows it: the median of 30 days of the same song before the decay.
fn known_baseline(truth: &crate::synthetic::Truth, seed: u64) -> f64 {
    let before = crate::synthetic::Truth { days: 30, decay: None, ..truth.clone() };
    let mut values = generate(&before, seed + 1000);
    values.sort_by(f64::total_cmp);
    values[15]
}

#[test]
fn with_a_free_baseline_an_exponential_half_life_is_recovered_within_five_percent() {
    for seed in 0..12 {
        let (truth, points) = synthetic_points(seed);
        let decay = truth.decay.clone().unwrap();
        if decay.shape != crate::synthetic::DecayShape::Exponential {
            continue;
        }
        let (fit, _) = fit_best_decay(&points, None).unwrap();
        assert!((fit.half_life_days - decay.half_life).abs() / decay.half_life < 0.05, "seed {seed}: {fit:?}");
    }
}

#[test]
fn with_a_known_baseline_the_half_life_is_recovered_within_fifteen_percent_and_the_interval_covers_it() {
    let mut covered = 0;
    for seed in 0..12 {
        let (truth, points) = synthetic_points(seed);
        let decay = truth.decay.clone().unwrap();
        let (fit, _) = fit_best_decay(&points, Some(known_baseline(&truth, seed))).unwrap();
        let error = (fit.half_life_days - decay.half_life).abs() / decay.half_life;
        assert!(error < 0.15, "seed {seed}: {fit:?} vs {decay:?}");
        let (low, high) = half_life_interval(&points, &fit, true, 60, seed).unwrap();
        if low <= decay.half_life && decay.half_life <= high {
            covered += 1;
        }
    }
    assert!(covered >= 9, "interval covered the truth in {covered} of 12");
}

#[test]
fn the_shape_is_told_apart_when_the_decay_is_clear() {
    let mut right = 0;
    for seed in 0..12 {
        let (truth, points) = synthetic_points(seed);
        let (fit, _) = fit_best_decay(&points, None).unwrap();
        right += usize::from(fit.shape == truth.decay.unwrap().shape);
    }
    assert!(right >= 10, "{right} of 12");
}

#[test]
fn days_above_threshold_and_reentries_count_after_the_finale() {
    let finale = day("2022-07-01");
    let mut points: Vec<Point> = (0..20)
        .map(|offset| Point { date: finale - Duration::days(10) + Duration::days(offset), value: 80.0 })
        .collect();
    points.extend((40..45).map(|offset| Point { date: finale + Duration::days(offset), value: 30.0 }));
    points.extend((100..102).map(|offset| Point { date: finale + Duration::days(offset), value: 60.0 }));
    let result = longevity(&points, finale, 50.0, 365, 1);
    assert_eq!(result.days_above_threshold, 9 + 2);
    assert_eq!(result.reentries, 2);
    assert!(result.fit.is_some());
}

#[test]
fn too_few_points_fit_nothing() {
    let result = longevity(&[Point { date: day("2022-07-02"), value: 10.0 }], day("2022-07-01"), 50.0, 365, 1);
    assert_eq!((result.fit, result.half_life_interval, result.reentries), (None, None, 0));
}
