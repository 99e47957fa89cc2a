//! Episode calendars: the air dates a catalog lacks, derived from a drama's premiere, finale,
//! weekly slot and episode count, and marked as derived.
//!
//! Method: the slot names the weekdays a drama airs on (`Mon-Tue 22:00`, `Thu 21:00`, `월화`,
//! `Sat, Sun`). An episode without a date takes the date reached by walking forward over slot
//! days from the nearest earlier episode whose date is known (the premiere is episode 1's date,
//! the finale the last episode's). A derived date that would reach or pass the next known date,
//! or pass the finale, is not given: the broadcast skipped a week there (a holiday, an election, a
//! sports event), and guessing would misplace every later episode.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use crate::catalog::{Catalog, Drama, Episode};

/// What an episode's `source` says when its air date was derived rather than sourced.
pub const DERIVED_AIR_DATE: &str = "air date derived from the drama's premiere, finale and weekly slot";

const WEEKDAYS: [Weekday; 7] =
    [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];

/// The weekdays a slot names, Monday first. English day names (three letters or whole) and Korean
/// ones (`월화`, `수목`, `금토`, `토일`, `월~금`); `A-B` and `A~B` are ranges, `,`, `/` and `&`
/// separate days. Times and notes in the slot are ignored; an empty answer means the slot names no day.
pub fn slot_weekdays(slot: &str) -> Vec<Weekday> {
    let mut reader = SlotReader::default();
    let mut word = String::new();
    // `월요일` is Monday: its `일` is not Sunday.
    let text = slot.replace("요일", "");
    // Letters gather into words; a Korean day is one syllable, a word of its own.
    for character in text.chars().chain(std::iter::once(' ')) {
        if character.is_ascii_alphabetic() {
            word.push(character);
            continue;
        }
        if let Some(day) = english_day(&word) {
            reader.day(day);
        }
        word.clear();
        if let Some(day) = korean_day(character) {
            reader.day(day);
        } else if character == '-' || character == '~' {
            reader.pending_range = reader.last.is_some();
        } else if (character.is_ascii_digit() || character == '(') && !reader.days.is_empty() {
            // A time or a note follows the days.
            break;
        }
    }
    WEEKDAYS.into_iter().filter(|day| reader.days.contains(day)).collect()
}

/// The days read so far, and whether the next day closes a range opened by the last one.
#[derive(Default)]
struct SlotReader {
    days: Vec<Weekday>,
    last: Option<Weekday>,
    pending_range: bool,
}

impl SlotReader {
    fn day(&mut self, day: Weekday) {
        match (self.pending_range, self.last) {
            (true, Some(from)) => {
                let mut current = from;
                while current != day {
                    current = current.succ();
                    self.days.push(current);
                }
            }
            _ => self.days.push(day),
        }
        self.pending_range = false;
        self.last = Some(day);
    }
}

fn english_day(word: &str) -> Option<Weekday> {
    const NAMES: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
    let lower = word.to_ascii_lowercase();
    if lower.len() < 3 {
        return None;
    }
    let index = NAMES.iter().position(|name| name.starts_with(&lower) || lower == format!("{name}s"))?;
    Some(WEEKDAYS[index])
}

fn korean_day(character: char) -> Option<Weekday> {
    let index = "월화수목금토일".chars().position(|day| day == character)?;
    Some(WEEKDAYS[index])
}

/// The drama's episode rows with every missing air date the slot allows derived, and a row added
/// for each episode number up to the episode count that has none. A row whose date was derived
/// says so in its `source` ([`DERIVED_AIR_DATE`]); sourced dates are never changed.
pub fn with_derived_air_dates(drama: &Drama, episodes: Vec<Episode>) -> Vec<Episode> {
    let weekdays = slot_weekdays(&drama.slot);
    let last_number = episodes.iter().filter_map(|episode| episode.number).max();
    let Some(count) = drama.episode_count.or(last_number).filter(|_| !weekdays.is_empty()) else {
        return episodes;
    };
    let mut known: BTreeMap<u32, NaiveDate> = BTreeMap::new();
    for episode in &episodes {
        if let (Some(number), Some(date)) = (episode.number, episode.air_date) {
            let earliest = known.entry(number).or_insert(date);
            *earliest = (*earliest).min(date);
        }
    }
    if let Some(premiere) = drama.premiere {
        known.entry(1).or_insert(premiere);
    }
    if let Some(finale) = drama.finale {
        known.entry(count).or_insert(finale);
    }
    let derived: BTreeMap<u32, NaiveDate> = (1..=count)
        .filter(|number| !episodes.iter().any(|episode| episode.number == Some(*number) && episode.air_date.is_some()))
        .filter_map(|number| Some((number, derive(number, &known, &weekdays, drama.finale)?)))
        .collect();
    let mut completed: Vec<Episode> = episodes
        .into_iter()
        .map(|mut episode| {
            if let (None, Some(date)) = (episode.air_date, episode.number.and_then(|number| derived.get(&number))) {
                episode.air_date = Some(*date);
                episode.source = if episode.source.is_empty() {
                    DERIVED_AIR_DATE.to_string()
                } else {
                    format!("{} | {DERIVED_AIR_DATE}", episode.source)
                };
            }
            episode
        })
        .collect();
    for (number, date) in &derived {
        if !completed.iter().any(|episode| episode.number == Some(*number)) {
            completed.push(Episode {
                drama_id: drama.id.clone(),
                number: Some(*number),
                air_date: Some(*date),
                rating_nationwide: None,
                rating_seoul: None,
                rating_tnms: None,
                basis: String::new(),
                source: DERIVED_AIR_DATE.to_string(),
            });
        }
    }
    completed
}

/// The catalog with every drama's calendar completed by [`with_derived_air_dates`]: each drama's
/// episodes in their order, then the rows it added; episodes of dramas the catalog lacks last.
pub fn complete_calendars(mut catalog: Catalog) -> Catalog {
    let mut remaining = std::mem::take(&mut catalog.episodes);
    let mut completed = Vec::with_capacity(remaining.len());
    for drama in &catalog.dramas {
        let (own, others): (Vec<Episode>, Vec<Episode>) =
            remaining.into_iter().partition(|episode| episode.drama_id == drama.id);
        remaining = others;
        completed.extend(with_derived_air_dates(drama, own));
    }
    completed.extend(remaining);
    catalog.episodes = completed;
    catalog
}

/// The date of episode `number`, walked over slot days from the nearest earlier known episode;
/// `None` when no earlier date is known or the walk reaches the next known date or the finale.
fn derive(
    number: u32,
    known: &BTreeMap<u32, NaiveDate>,
    weekdays: &[Weekday],
    finale: Option<NaiveDate>,
) -> Option<NaiveDate> {
    if let Some(date) = known.get(&number) {
        return Some(*date);
    }
    let (&from_number, &from_date) = known.range(..number).next_back()?;
    let mut date = from_date;
    for _ in from_number..number {
        date = next_slot_day(date, weekdays)?;
    }
    let next_known = known.range(number + 1..).next().map(|(_, date)| *date);
    let too_late = next_known.is_some_and(|next| date >= next) || finale.is_some_and(|finale| date > finale);
    (!too_late).then_some(date)
}

fn next_slot_day(after: NaiveDate, weekdays: &[Weekday]) -> Option<NaiveDate> {
    (1..=7).map(|offset| after + Duration::days(offset)).find(|date| weekdays.contains(&date.weekday()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::DramaId;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn check_slot(slot: &str, expected: &[Weekday]) {
        assert_eq!(slot_weekdays(slot), expected, "{slot}");
    }

    #[test]
    fn slots_name_their_weekdays_in_english_or_korean() {
        use Weekday::*;
        check_slot("Mon-Tue 22:00", &[Mon, Tue]);
        check_slot("Thu 21:00", &[Thu]);
        check_slot("Sat-Sun 21:10 (later episodes 21:20)", &[Sat, Sun]);
        check_slot("Wed-Thu", &[Wed, Thu]);
        check_slot("Mon-Fri 19:00", &[Mon, Tue, Wed, Thu, Fri]);
        check_slot("Saturday, Sunday", &[Sat, Sun]);
        check_slot("월화 22:00", &[Mon, Tue]);
        check_slot("수목드라마", &[Wed, Thu]);
        check_slot("월~금", &[Mon, Tue, Wed, Thu, Fri]);
        check_slot("Fri & Sat", &[Fri, Sat]);
        check_slot("", &[]);
        check_slot("22:00", &[]);
        check_slot("Netflix", &[]);
    }

    fn drama(slot: &str, premiere: &str, finale: &str, count: u32) -> Drama {
        Drama {
            id: DramaId::new("d"),
            title_en: String::new(),
            title_ko: String::new(),
            network: String::new(),
            premiere: Some(day(premiere)),
            finale: Some(day(finale)),
            episode_count: Some(count),
            slot: slot.to_string(),
            source: String::new(),
        }
    }

    fn episode(number: u32, aired: Option<&str>, rating: Option<f64>) -> Episode {
        Episode {
            drama_id: DramaId::new("d"),
            number: Some(number),
            air_date: aired.map(day),
            rating_nationwide: rating,
            rating_seoul: None,
            rating_tnms: None,
            basis: String::new(),
            source: "https://example.org/ratings".to_string(),
        }
    }

    fn dates(episodes: &[Episode]) -> Vec<(u32, String)> {
        let mut pairs: Vec<(u32, String)> = episodes
            .iter()
            .map(|episode| {
                (episode.number.unwrap_or(0), episode.air_date.map(|date| date.to_string()).unwrap_or_default())
            })
            .collect();
        pairs.sort();
        pairs
    }

    #[test]
    fn missing_dates_are_walked_over_slot_days_and_marked() {
        // Business Proposal: Mon-Tue from 2022-02-28, 12 episodes to 2022-04-05; the catalog gives
        // episode 2's rating without its date and has no row at all for episode 4.
        let drama = drama("Mon-Tue 22:00", "2022-02-28", "2022-04-05", 12);
        let episodes = vec![
            episode(1, Some("2022-02-28"), Some(4.9)),
            episode(2, None, Some(6.5)),
            episode(3, Some("2022-03-07"), Some(8.1)),
        ];
        let completed = with_derived_air_dates(&drama, episodes);
        let all = dates(&completed);
        assert_eq!(all.len(), 12);
        assert_eq!(all[1], (2, "2022-03-01".to_string()));
        assert_eq!(all[3], (4, "2022-03-08".to_string()));
        assert_eq!(all[11], (12, "2022-04-05".to_string()));
        let second = completed.iter().find(|episode| episode.number == Some(2)).unwrap();
        assert_eq!(second.rating_nationwide, Some(6.5), "the sourced rating is kept");
        assert!(
            second.source.starts_with("https://example.org/ratings | ") && second.source.ends_with(DERIVED_AIR_DATE)
        );
        let first = completed.iter().find(|episode| episode.number == Some(1)).unwrap();
        assert_eq!(first.source, "https://example.org/ratings", "a sourced date is not marked");
    }

    #[test]
    fn a_skipped_week_stops_the_walk_instead_of_misplacing_episodes() {
        // Known: episode 5 aired a week later than the slot would say (a week off after episode 4).
        let drama = drama("Sat-Sun", "2020-01-04", "2020-02-16", 12);
        let episodes = vec![episode(1, Some("2020-01-04"), None), episode(5, Some("2020-01-25"), None)];
        let all = dates(&with_derived_air_dates(&drama, episodes));
        let of = |number: u32| all.iter().find(|(n, _)| *n == number).map(|(_, date)| date.clone());
        assert_eq!(of(2), Some("2020-01-05".to_string()));
        assert_eq!(of(4), Some("2020-01-12".to_string()));
        // 6..11 walk on from episode 5; 11 would be 2020-02-08, before the finale (episode 12).
        assert_eq!(of(6), Some("2020-01-26".to_string()));
        assert_eq!(of(12), Some("2020-02-16".to_string()));
        // A slot that names no day derives nothing.
        let unknown =
            with_derived_air_dates(&self::drama("", "2020-01-04", "2020-02-16", 12), vec![episode(2, None, None)]);
        assert_eq!(dates(&unknown), [(2, String::new())]);
    }
}
