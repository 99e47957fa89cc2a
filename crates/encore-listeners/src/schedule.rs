//! When a drama's episodes went out, to the minute: the catalog gives air dates and a slot
//! (`Fri-Sat 20:00`, `Thu 21:00`); an airing is every listed air date, and every date of the slot's
//! weekdays from the premiere to the finale, at the slot's time in Seoul. A drama released on a
//! streaming service (Netflix) airs at midnight Pacific time on each listed date, all episodes of
//! a date as one airing.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use encore_domain::{Catalog, Drama, DramaId};

/// One airing: the broadcast of one or more episodes starting at `at`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Airing {
    pub drama_id: DramaId,
    /// 1 for the premiere, counting airings.
    pub number: u32,
    pub at: DateTime<Utc>,
}

/// The slot time taken when a Korean drama's slot names no time: the most common start of a
/// prime-time drama.
const DEFAULT_SLOT_TIME: (u32, u32) = (21, 0);

/// The drama's airings in time order; empty when the catalog gives neither dates nor a premiere.
pub fn airings(catalog: &Catalog, drama: &Drama) -> Vec<Airing> {
    let streaming = drama.network.eq_ignore_ascii_case("netflix");
    let (zone, time) = if streaming {
        (Tz::America__Los_Angeles, NaiveTime::MIN)
    } else {
        let (hour, minute) = slot_time(&drama.slot).unwrap_or(DEFAULT_SLOT_TIME);
        (Tz::Asia__Seoul, NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN))
    };
    let mut dates: BTreeSet<NaiveDate> = catalog
        .episodes
        .iter()
        .filter(|episode| episode.drama_id == drama.id)
        .filter_map(|episode| episode.air_date)
        .collect();
    if !streaming {
        dates.extend(slot_dates(drama));
    }
    dates
        .into_iter()
        .zip(1..)
        .filter_map(|(date, number)| {
            let at = zone.from_local_datetime(&date.and_time(time)).earliest()?.with_timezone(&Utc);
            Some(Airing { drama_id: drama.id.clone(), number, at })
        })
        .collect()
}

/// The dates of the slot's weekdays from the premiere to the finale.
fn slot_dates(drama: &Drama) -> Vec<NaiveDate> {
    let (Some(premiere), Some(finale)) = (drama.premiere, drama.finale) else {
        return Vec::new();
    };
    let weekdays = slot_weekdays(&drama.slot);
    premiere.iter_days().take_while(|date| *date <= finale).filter(|date| weekdays.contains(&date.weekday())).collect()
}

/// The weekdays a slot names: `Fri-Sat` is Friday and Saturday, `Mon-Fri` the five between.
fn slot_weekdays(slot: &str) -> Vec<Weekday> {
    let days = slot.split_whitespace().next().unwrap_or_default();
    let named: Vec<Weekday> = days.split('-').filter_map(|day| day.parse::<Weekday>().ok()).collect();
    match named.as_slice() {
        [first, last] if days.contains('-') => {
            let mut day = *first;
            let mut all = vec![day];
            while day != *last && all.len() < 7 {
                day = day.succ();
                all.push(day);
            }
            all
        }
        _ => named,
    }
}

/// The first `HH:MM` of a slot.
fn slot_time(slot: &str) -> Option<(u32, u32)> {
    slot.split_whitespace().find_map(|word| {
        let (hour, minute) = word.split_once(':')?;
        let hour: u32 = hour.parse().ok()?;
        let minute: u32 = minute.get(..2)?.parse().ok()?;
        (hour < 24 && minute < 60).then_some((hour, minute))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drama(network: &str, slot: &str, premiere: &str, finale: &str) -> Drama {
        let mut drama = Drama::titled("d", "D", "디");
        drama.network = network.into();
        drama.slot = slot.into();
        drama.premiere = premiere.parse().ok();
        drama.finale = finale.parse().ok();
        drama
    }

    #[test]
    fn slots_give_weekdays_and_time() {
        assert_eq!(slot_weekdays("Fri-Sat 20:00"), [Weekday::Fri, Weekday::Sat]);
        assert_eq!(slot_weekdays("Thu 21:00"), [Weekday::Thu]);
        assert_eq!(slot_weekdays("Sat-Sun 21:10 (later episodes 21:20)"), [Weekday::Sat, Weekday::Sun]);
        assert_eq!(slot_weekdays("Mon-Fri"), [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri]);
        assert_eq!(slot_time("Sat-Sun 21:10 (later episodes 21:20)"), Some((21, 10)));
        assert_eq!(slot_time("Wed-Thu"), None);
    }

    #[test]
    fn a_korean_drama_airs_on_its_slot_in_seoul_time() {
        let catalog = Catalog::default();
        let business_proposal = drama("SBS", "Mon-Tue 22:00", "2022-02-28", "2022-04-05");
        let airings = airings(&catalog, &business_proposal);
        assert_eq!(airings.len(), 12);
        assert_eq!(airings[0].at.to_rfc3339(), "2022-02-28T13:00:00+00:00");
        assert_eq!((airings[11].number, airings[11].at.to_rfc3339().as_str()), (12, "2022-04-05T13:00:00+00:00"));
    }

    #[test]
    fn a_streaming_release_airs_at_midnight_pacific_on_its_listed_dates() {
        let mut catalog = Catalog::default();
        let stranger_things = drama("Netflix", "", "2022-05-27", "2022-07-01");
        for date in ["2022-05-27", "2022-05-27", "2022-07-01"] {
            catalog.episodes.push(encore_domain::Episode {
                drama_id: stranger_things.id.clone(),
                number: None,
                air_date: date.parse().ok(),
                rating_nationwide: None,
                rating_seoul: None,
                rating_tnms: None,
                basis: String::new(),
                source: String::new(),
            });
        }
        let times: Vec<String> =
            airings(&catalog, &stranger_things).iter().map(|airing| airing.at.to_rfc3339()).collect();
        assert_eq!(times, ["2022-05-27T07:00:00+00:00", "2022-07-01T07:00:00+00:00"]);
    }
}
