use super::*;
use crate::synthetic::SplitMix64;

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn weekly(count: usize) -> Vec<NaiveDate> {
    (0..count).map(|week| day("2024-01-01") + chrono::Duration::weeks(week as i64)).collect()
}

#[test]
fn a_date_belongs_to_the_step_that_covers_it() {
    let dates = weekly(10);
    let axis = Axis::Dates(&dates);
    assert_eq!(axis.step_days(), 7.0);
    assert_eq!(axis.step_of(Moment::Date(day("2024-01-08")), 10), Ok(1));
    assert_eq!(axis.step_of(Moment::Date(day("2024-01-10")), 10), Ok(1));
    assert_eq!(axis.step_of(Moment::Date(day("2024-03-10")), 10), Ok(9));
    let outside = axis.step_of(Moment::Date(day("2024-03-11")), 10).unwrap_err();
    assert_eq!(outside.to_string(), "2024-03-11 is outside the series, which runs from 2024-01-01 to 2024-03-04");
    assert!(axis.step_of(Moment::Date(day("2023-12-31")), 10).is_err());
    assert_eq!(
        axis.step_of(Moment::Step(3), 10).unwrap_err().to_string(),
        "step 3 is a step number but the series has dates; give a date (YYYY-MM-DD)"
    );
    assert_eq!(axis.steps_for_days(28), 4);
    assert_eq!(axis.steps_for_days(30), 5);
    assert_eq!(Axis::Positions.step_of(Moment::Step(9), 10), Ok(9));
    assert!(Axis::Positions.step_of(Moment::Step(10), 10).is_err());
}

#[test]
fn a_step_in_the_level_is_found_on_either_scale_and_its_top_is_a_peak() {
    let mut random = SplitMix64::new(5);
    let values: Vec<f64> = (0..120)
        .map(|step| if (40..70).contains(&step) { 500.0 } else { 100.0 } * (1.0 + 0.05 * random.normal()))
        .collect();
    for scale in [Scale::Raw, Scale::Log] {
        let found = detect_series(&values, &Settings::default(), scale).unwrap();
        assert!(found.detection.changepoints.iter().any(|step| step.abs_diff(40) <= 1), "{:?}", found.detection);
        assert!(found.detection.changepoints.iter().any(|step| step.abs_diff(70) <= 1), "{:?}", found.detection);
        assert_eq!(found.peaks.len(), 1);
        assert!((40..70).contains(&found.peaks[0]));
    }
}

#[test]
fn detect_refuses_what_it_cannot_read() {
    let short = detect_series(&[1.0, 2.0, 3.0], &Settings::default(), Scale::Raw).unwrap_err();
    assert_eq!(short.to_string(), "the series is too short for changepoints: it needs at least 4 steps and has 3");
    let negative = detect_series(&[1.0, -2.0, 3.0, 4.0, 5.0], &Settings::default(), Scale::Log).unwrap_err();
    assert_eq!(negative, AnySeriesError::Negative { step: 1, value: -2.0 });
    assert_eq!(
        detect_series(&[1.0, f64::NAN, 3.0, 4.0], &Settings::default(), Scale::Raw),
        Err(AnySeriesError::NotFinite { step: 1 })
    );
}

#[test]
fn an_effect_on_a_weekly_series_counts_its_windows_in_weeks() {
    let mut random = SplitMix64::new(8);
    let dates = weekly(80);
    let values: Vec<f64> =
        (0..80).map(|week| if week >= 60 { 300.0 } else { 200.0 } * (0.03 * random.normal()).exp()).collect();
    let found =
        effect_series(&Axis::Dates(&dates), &values, &[], &[Moment::Date(day("2025-02-27"))], WindowDays::default())
            .unwrap();
    let (moment, path) = &found[0];
    assert_eq!(*moment, Moment::Date(day("2025-02-27")));
    // 2025-02-27 lies in the week starting 2025-02-24, the 60th.
    assert_eq!(path.event, 60);
    assert_eq!(path.end, 64);
    assert!((path.lift.estimate - 0.5).abs() < 0.05, "{}", path.lift.estimate);
    let early =
        effect_series(&Axis::Dates(&dates), &values, &[], &[Moment::Date(day("2024-01-15"))], WindowDays::default());
    assert!(matches!(early, Err(AnySeriesError::Effect { error: EffectError::TooShortBefore { .. }, .. })));
}

#[test]
fn the_decay_starts_at_the_highest_value_and_counts_days_between_dates() {
    let dates = weekly(40);
    // Half-life of 21 days over a baseline of 10, from a peak at week 5.
    let values: Vec<f64> = (0..40)
        .map(|week| if week < 5 { 20.0 } else { 10.0 + 1000.0 * 0.5_f64.powf((week - 5) as f64 * 7.0 / 21.0) })
        .collect();
    let decay = decay_series(&Axis::Dates(&dates), &values, None, None).unwrap();
    assert_eq!(decay.start, 5);
    assert_eq!(decay.points[1].0, 7.0);
    assert!((decay.estimate.fit.half_life_days - 21.0).abs() < 1.0, "{:?}", decay.estimate.fit);
    let late = decay_series(&Axis::Dates(&dates), &values, Some(Moment::Date(day("2024-09-16"))), None).unwrap_err();
    assert_eq!(
        late.to_string(),
        "the series is too short for a decay: it needs at least 8 positive values from its start and has 3"
    );
}
