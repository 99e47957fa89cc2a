use super::*;
use crate::synthetic::intervention_case;

#[test]
fn the_own_pre_period_recovers_the_lift_and_its_interval_covers_it() {
    let (mut covered, mut total_error) = (0, 0.0);
    for seed in 0..20 {
        let (truth, series, _) = intervention_case(seed, 0);
        let (event, true_lift) = truth.interventions[0];
        let lift = lift_from_own_pre_period(&series, event).unwrap();
        total_error += (lift.estimate - true_lift).abs();
        let (low, high) = lift.interval.unwrap();
        covered += usize::from(low <= true_lift && true_lift <= high);
    }
    assert!(total_error / 20.0 < 0.08, "mean absolute error {}", total_error / 20.0);
    assert!(covered >= 17, "covered {covered} of 20");
}

#[test]
fn comparable_songs_remove_the_shared_drift() {
    let (mut covered, mut total_error) = (0, 0.0);
    for seed in 0..20 {
        let (truth, series, donors) = intervention_case(seed, 4);
        let (event, true_lift) = truth.interventions[0];
        let lift = lift_from_comparables(&series, &donors, event).unwrap();
        total_error += (lift.estimate - true_lift).abs();
        let (low, high) = lift.interval.unwrap();
        covered += usize::from(low <= true_lift && true_lift <= high);
    }
    assert!(total_error / 20.0 < 0.05, "mean absolute error {}", total_error / 20.0);
    assert!(covered >= 17, "covered {covered} of 20");
}

#[test]
fn the_table_names_each_approach_and_says_when_there_is_no_series() {
    use encore_domain::PartialDate;
    let day = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap();
    let event = |kind, date: &str| Event {
        subject: EventSubject::Song(SongId::new("song")),
        date: Some(PartialDate::Day(day(date))),
        kind,
        detail: "d".into(),
        value: None,
        source: String::new(),
    };
    let (_, series, _) = intervention_case(3, 0);
    let start = day("2025-01-01");
    let points: Vec<Point> = series
        .iter()
        .enumerate()
        .map(|(offset, value)| Point { date: start + Duration::days(offset as i64), value: *value })
        .collect();
    let daily = BTreeMap::from([(SongId::new("song"), points)]);
    let events = [
        event(EventKind::MusicVideo, "2025-05-01"),
        event(EventKind::Award, "2025-05-01"),
        event(EventKind::ViralTrend, "2020-01-01"),
    ];
    let rows = marketing_table(&events, &daily, &DailyPanel::default());
    assert_eq!(rows.len(), 2);
    assert_eq!((rows[0].approach, rows[0].lift.is_none()), ("challenge / viral trend", true));
    assert_eq!(
        (rows[1].approach, rows[1].lift.map(|lift| lift.counterfactual)),
        ("music video", Some(Counterfactual::OwnPrePeriod))
    );
    assert!(rows[0].reason.as_deref().is_some_and(|reason| reason.contains("does not cover")), "{:?}", rows[0]);
    assert_eq!(rows[1].reason, None, "measured with an interval");
    let no_series = marketing_table(&events, &BTreeMap::new(), &DailyPanel::default());
    assert!(no_series.iter().all(|row| row.reason.as_deref().is_some_and(|reason| reason.contains("no daily"))));
}

#[test]
fn a_lift_without_an_interval_says_how_many_placebos_it_had() {
    let lift = Lift {
        counterfactual: Counterfactual::ComparableSongs,
        estimate: 0.3,
        interval: None,
        placebos: 4,
        chart: None,
    };
    let reason = reason_of(Some(&lift), true).unwrap_or_default();
    assert_eq!(reason, format!("no interval: 4 placebo dates in the pre-period, {MIN_PLACEBOS} needed"));
    let measured = Lift { interval: Some((0.1, 0.5)), ..lift };
    assert_eq!(reason_of(Some(&measured), true), None);
}

#[test]
fn a_drama_premiere_is_a_move_for_its_songs_released_before_it() {
    let (catalog, _) = crate::sample::sample_catalog();
    let moves = premiere_moves(&catalog);
    // The sample song came out on 2020-01-01, four days before its drama; the quiet song after it.
    assert_eq!(moves.len(), 1, "{moves:?}");
    assert_eq!(moves[0].subject, EventSubject::Song(SongId::new("sample_song")));
    assert_eq!(moves[0].date, Some(PartialDate::Day(NaiveDate::from_ymd_opt(2020, 1, 5).unwrap())));
    assert_eq!(moves[0].detail, "Sample Drama premiere, 4 days after the song's release");
    assert_eq!(approach_of(moves[0].kind), Some("pre-release single / release"));
}
