use super::*;

fn day(offset: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2022, 1, 1).unwrap() + Duration::days(offset)
}

/// A row of a 100-place daily chart on day `offset`.
fn row(offset: i64, rank: u32, key: &str) -> ChartEntry {
    ChartEntry::new(ChartKind::SpotifyDaily, "kr", day(offset), rank, key, "artist")
}

/// Songs entering on day `entry` at rank 20 and sliding `slide` places a day; a song off the chart
/// past its last place. The tracked song enters on day 20, slides like the others for 10 days, and
/// from its move on day 30 climbs to rank `after_move`.
fn panel(peers: usize, after_move: Option<u32>) -> Vec<ChartEntry> {
    let mut rows = vec![row(0, 1, "old song")];
    for peer in 0..peers {
        let entry = 1 + (peer % 20) as i64;
        let slide = 2 + (peer % 3) as u32;
        for age in 0..60 {
            let rank = 20 + slide * age as u32;
            if rank <= 200 {
                rows.push(row(entry + age, rank, &format!("peer {peer}")));
            }
        }
    }
    for age in 0..70 {
        let rank = match (age, after_move) {
            (0..=9, _) | (_, None) => 20 + 3 * age as u32,
            (_, Some(rank)) => rank,
        };
        let mut tracked = row(20 + age, rank.min(200), "love, maybe");
        tracked.song_id = Some(SongId::new("love_maybe"));
        rows.push(tracked);
    }
    rows.push(row(100, 1, "old song"));
    rows
}

#[test]
fn a_climb_against_sliding_songs_of_the_same_age_is_a_lift_with_an_interval_that_excludes_zero() {
    let panel = DailyPanel::from_entries(&panel(30, Some(5)));
    let lift = panel.lift_against_songs_of_the_same_age(&SongId::new("love_maybe"), day(30)).unwrap();
    assert_eq!(lift.counterfactual, Counterfactual::SongsOfTheSameAge);
    assert_eq!(lift.chart, Some(ChartKind::SpotifyDaily));
    assert_eq!(lift.placebos, 30);
    let (low, high) = lift.interval.unwrap();
    assert!(low > 0.0 && low < lift.estimate && lift.estimate < high, "{lift:?}");
}

#[test]
fn a_song_that_slides_like_its_peers_has_no_lift() {
    let panel = DailyPanel::from_entries(&panel(30, None));
    let lift = panel.lift_against_songs_of_the_same_age(&SongId::new("love_maybe"), day(30)).unwrap();
    let (low, high) = lift.interval.unwrap();
    assert!(lift.estimate.abs() < 0.1 && low < 0.0 && high > 0.0, "{lift:?}");
}

#[test]
fn too_few_peers_an_unseen_entry_or_an_age_outside_the_window_measure_nothing() {
    let song = SongId::new("love_maybe");
    let few = DailyPanel::from_entries(&panel(MIN_PLACEBOS - 1, Some(5)));
    assert!(few.lift_against_songs_of_the_same_age(&song, day(30)).is_none());
    let full = DailyPanel::from_entries(&panel(30, Some(5)));
    assert!(full.lift_against_songs_of_the_same_age(&song, day(20 + MIN_AGE_DAYS as i64 - 1)).is_none());
    assert!(full.lift_against_songs_of_the_same_age(&song, day(20 + PRE_DAYS as i64)).is_none());
    let mut censored = panel(30, Some(5));
    censored.retain(|entry| entry.chart_date >= day(20));
    let censored = DailyPanel::from_entries(&censored);
    assert!(censored.lift_against_songs_of_the_same_age(&song, day(30)).is_none());
}
