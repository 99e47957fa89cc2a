use super::*;
use crate::synthetic::{intervention_case, SplitMix64};

/// A flat noisy series at `level` with a step to `level × ratio` from `event` on.
fn stepped(length: usize, event: usize, level: f64, ratio: f64, seed: u64) -> Vec<f64> {
    let mut random = SplitMix64::new(seed);
    (0..length)
        .map(|step| {
            let base = if step >= event { level * ratio } else { level };
            base * (0.05 * random.normal()).exp()
        })
        .collect()
}

#[test]
fn the_path_sums_to_its_cumulative_effect_and_its_lift_matches_the_step() {
    let series = stepped(200, 150, 1000.0, 1.5, 7);
    let path = effect_path(&series, Control::OwnPrePeriod, 150, Window::default()).unwrap();
    assert!((path.lift.estimate - 0.5).abs() < 0.05, "lift {}", path.lift.estimate);
    let (low, high) = path.lift.interval.unwrap();
    assert!(low < 0.5 && 0.5 < high, "{low} {high}");
    let pointwise_sum: f64 = path.steps.iter().filter_map(|step| step.pointwise).sum();
    assert!((pointwise_sum - path.cumulative).abs() < 1e-6);
    // 28 days of about +500 a day.
    assert!((path.cumulative - 28.0 * 500.0).abs() < 28.0 * 60.0, "cumulative {}", path.cumulative);
    let (cumulative_low, cumulative_high) = path.cumulative_interval.unwrap();
    assert!(cumulative_low < path.cumulative && path.cumulative < cumulative_high);
    assert_eq!(path.steps.first().unwrap().index, 150 - PRE_DAYS);
    assert_eq!(path.end, 178);
    let after: Vec<&EffectStep> = path.steps.iter().filter(|step| step.index >= 150).collect();
    assert_eq!(after.len(), POST_DAYS);
    for step in after {
        let (band_low, band_high) = step.band.unwrap();
        let expected = step.counterfactual.unwrap();
        assert!(band_low < expected && expected < band_high);
        assert!((expected - 1000.0).abs() < 30.0, "counterfactual {expected}");
    }
}

#[test]
fn no_step_gives_a_lift_near_zero_whose_interval_holds_zero() {
    let series = stepped(200, 150, 300.0, 1.0, 11);
    let path = effect_path(&series, Control::OwnPrePeriod, 150, Window::default()).unwrap();
    let (low, high) = path.lift.interval.unwrap();
    assert!(low < 0.0 && 0.0 < high, "{low} {high}");
}

#[test]
fn the_synthetic_control_path_agrees_with_the_marketing_lift() {
    let (truth, series, donors) = intervention_case(5, 4);
    let (event, true_lift) = truth.interventions[0];
    let path = effect_path(&series, Control::Comparables(&donors), event, Window::default()).unwrap();
    assert_eq!(Some(path.lift), crate::effect::lift_from_comparables(&series, &donors, event));
    assert!((path.lift.estimate - true_lift).abs() < 0.1, "{} vs {true_lift}", path.lift.estimate);
    assert_eq!(path.weights.len(), 4);
    assert!((path.weights.iter().sum::<f64>() - 1.0).abs() < 1e-9);
}

#[test]
fn a_longer_post_window_is_honoured() {
    let series = stepped(300, 150, 100.0, 2.0, 3);
    let window = Window { post: 60, ..Window::default() };
    let path = effect_path(&series, Control::OwnPrePeriod, 150, window).unwrap();
    assert_eq!(path.end, 210);
    assert!((path.lift.estimate - 1.0).abs() < 0.1, "{}", path.lift.estimate);
}

#[test]
fn too_little_before_or_after_is_said() {
    let series = stepped(40, 10, 100.0, 2.0, 1);
    assert_eq!(
        effect_path(&series, Control::OwnPrePeriod, 10, Window::default()),
        Err(EffectError::TooShortBefore { needed: 14, found: 10 })
    );
    assert_eq!(
        effect_path(&series, Control::OwnPrePeriod, 40, Window::default()),
        Err(EffectError::EventOutside { event: 40, length: 40 })
    );
    let mut zeros_after = stepped(60, 30, 100.0, 1.0, 1);
    for value in zeros_after.iter_mut().skip(30) {
        *value = 0.0;
    }
    assert_eq!(
        effect_path(&zeros_after, Control::OwnPrePeriod, 30, Window::default()),
        Err(EffectError::TooShortAfter { needed: 14, found: 0 })
    );
}

#[test]
fn two_interventions_are_each_measured_between_their_neighbours() {
    // +50 % from 120, then a further +100 % from 260.
    let mut series = stepped(400, 120, 200.0, 1.5, 9);
    for value in series.iter_mut().skip(260) {
        *value *= 2.0;
    }
    let paths = intervention_paths(&series, &[], &[120, 260], Window::default());
    let first = paths[0].as_ref().unwrap();
    let second = paths[1].as_ref().unwrap();
    assert!((first.lift.estimate - 0.5).abs() < 0.06, "first {}", first.lift.estimate);
    assert!((second.lift.estimate - 1.0).abs() < 0.1, "second {}", second.lift.estimate);
    assert_eq!((first.event, second.event), (120, 260));
    assert!(second.steps.iter().all(|step| step.index >= 120 + POST_DAYS));
    assert!(first.steps.iter().all(|step| step.index < 260));
}
