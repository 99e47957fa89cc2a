use super::*;
use crate::synthetic::SplitMix64;

fn noise(seed: u64, count: usize) -> Vec<f64> {
    let mut random = SplitMix64::new(seed);
    (0..count).map(|_| random.normal()).collect()
}

fn near(found: &[usize], truth: usize, tolerance: usize) -> bool {
    found.iter().any(|changepoint| changepoint.abs_diff(truth) <= tolerance)
}

#[test]
fn the_default_finds_a_step_in_mean_with_the_mean_cost() {
    let mut values = noise(1, 300);
    for value in values.iter_mut().skip(120) {
        *value += 3.0;
    }
    let found = detect(&values, &Settings::default()).unwrap();
    assert_eq!(found.cost, Cost::Mean);
    assert_eq!(found.changepoints.len(), 1, "{:?}", found.changepoints);
    assert!(near(&found.changepoints, 120, 2));
    assert!((found.segments[1].mean - found.segments[0].mean - 3.0).abs() < 0.4);
}

#[test]
fn the_default_finds_a_change_of_trend_with_the_linear_cost() {
    let values: Vec<f64> = noise(2, 400)
        .iter()
        .enumerate()
        .map(|(index, noise)| {
            let time = index as f64;
            let trend = if index < 250 { 0.1 * time } else { 25.0 - 0.2 * (time - 250.0) };
            trend + noise
        })
        .collect();
    let found = detect(&values, &Settings::default()).unwrap();
    assert_eq!(found.cost, Cost::Linear);
    assert!(near(&found.changepoints, 250, 5), "{:?}", found.changepoints);
    let slopes: Vec<f64> = found.segments.iter().filter_map(|segment| segment.slope).collect();
    assert!((slopes[0] - 0.1).abs() < 0.02 && (slopes[slopes.len() - 1] + 0.2).abs() < 0.03, "{slopes:?}");
}

#[test]
fn the_default_finds_a_change_of_variance_with_the_meanvar_cost() {
    let values: Vec<f64> =
        noise(3, 400).iter().enumerate().map(|(index, noise)| if index < 200 { *noise } else { 5.0 * noise }).collect();
    let found = detect(&values, &Settings::default()).unwrap();
    assert_eq!(found.cost, Cost::MeanVar);
    assert!(near(&found.changepoints, 200, 5), "{:?}", found.changepoints);
    let last = &found.segments[found.segments.len() - 1];
    assert!(last.variance > 10.0 * found.segments[0].variance);
}

#[test]
fn pure_noise_has_no_changepoint() {
    for seed in 10..20 {
        let found = detect(&noise(seed, 500), &Settings::default()).unwrap();
        assert_eq!(found.changepoints, Vec::<usize>::new(), "seed {seed}");
        assert_eq!(found.segments.len(), 1);
    }
}

#[test]
fn a_given_cost_and_penalty_are_plain_pelt() {
    let mut values = vec![0.0; 50];
    values.extend(vec![5.0; 30]);
    values.extend(vec![1.0; 40]);
    let settings = Settings { cost: Some(Cost::Mean), penalty: Penalty::Value(1.0), min_segment: 2 };
    let found = detect(&values, &settings).unwrap();
    assert_eq!(found.changepoints, [50, 80]);
    assert_eq!(
        found.segments.iter().map(|segment| (segment.start, segment.end)).collect::<Vec<_>>(),
        [(0, 50), (50, 80), (80, 120)]
    );
    assert_eq!(found.segments[1].mean, 5.0);
    assert_eq!(found.segments[1].slope, None);
}

#[test]
fn the_min_segment_is_kept() {
    let mut values = noise(4, 100);
    values[50] += 40.0;
    let settings = Settings { min_segment: 5, ..Settings::default() };
    let found = detect(&values, &settings).unwrap();
    assert!(found.segments.iter().all(|segment| segment.end - segment.start >= 5), "{:?}", found.changepoints);
}

#[test]
fn short_constant_or_bad_series() {
    assert_eq!(detect(&[1.0, f64::NAN, 2.0], &Settings::default()), None);
    let constant = detect(&[2.0; 30], &Settings::default()).unwrap();
    assert_eq!((constant.changepoints.len(), constant.segments.len()), (0, 1));
    assert_eq!(constant.segments[0].mean, 2.0);
    let empty = detect(&[], &Settings::default()).unwrap();
    assert!(empty.segments.is_empty());
    let short = detect(&[1.0, 9.0, 1.0], &Settings::default()).unwrap();
    assert_eq!(short.changepoints, Vec::<usize>::new());
}

#[test]
fn independent_noise_weighs_about_as_bic_and_dependent_noise_four_times() {
    let independent = noise(21, 2000);
    assert!(criterion_weight(&independent) < 1.3, "{}", criterion_weight(&independent));
    let mut level = 0.0;
    let dependent: Vec<f64> = independent
        .iter()
        .map(|shock| {
            level = 0.8 * level + shock;
            level
        })
        .collect();
    assert_eq!(criterion_weight(&dependent), MAX_CRITERION_WEIGHT);
    let mut walk = 0.0;
    let random_walk: Vec<f64> = independent
        .iter()
        .map(|shock| {
            walk += shock;
            walk
        })
        .collect();
    assert_eq!(criterion_weight(&random_walk), MAX_CRITERION_WEIGHT);
}

#[test]
fn a_short_series_or_one_with_no_measurable_noise_weighs_as_bic() {
    let mut random_walk = noise(22, MIN_DEPENDENCE_POINTS - 1);
    for index in 1..random_walk.len() {
        random_walk[index] += random_walk[index - 1];
    }
    assert_eq!(criterion_weight(&random_walk), 1.0);
    // Weekly three-day pulses on a flat line: most differences are 0.
    let pulses: Vec<f64> = (0..140).map(|day| if day % 7 < 3 { 90.0 } else { 60.0 }).collect();
    assert_eq!(criterion_weight(&pulses), 1.0);
    let found = detect(&pulses, &Settings::default()).unwrap();
    assert_eq!(found.changepoints.len(), 39, "{:?}", found.changepoints);
}
