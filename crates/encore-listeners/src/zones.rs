//! A listen's local time: the time zone of its country (Spotify's `conn_country`), or the zone the
//! user names for logs that carry no country (Last.fm, ListenBrainz). Plans join the table
//! `zone_offsets` (`country`, `utc_day`, `offset_seconds`) on the listen's country and UTC day, so
//! daylight saving time is followed day by day and the conversion stays one hash join, the same on
//! one machine or a cluster.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, Offset, TimeZone};
use chrono_tz::Tz;
use datafusion::arrow::array::{ArrayRef, Int64Array, RecordBatch, StringArray};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};

use crate::error::ListenersError;

/// The key `zone_offsets` gives listens without a country.
pub const NO_COUNTRY: &str = "";

/// Each country's zone: where most of its people live, for countries with several (the United
/// States by New York, Brazil by São Paulo, Russia by Moscow, Indonesia by Jakarta, Australia by
/// Sydney, Canada by Toronto, Mexico by Mexico City). A country missing here is read in the
/// default zone.
const COUNTRY_ZONES: &[(&str, &str)] = &[
    ("AE", "Asia/Dubai"),
    ("AR", "America/Argentina/Buenos_Aires"),
    ("AT", "Europe/Vienna"),
    ("AU", "Australia/Sydney"),
    ("BD", "Asia/Dhaka"),
    ("BE", "Europe/Brussels"),
    ("BR", "America/Sao_Paulo"),
    ("CA", "America/Toronto"),
    ("CH", "Europe/Zurich"),
    ("CL", "America/Santiago"),
    ("CN", "Asia/Shanghai"),
    ("CO", "America/Bogota"),
    ("CZ", "Europe/Prague"),
    ("DE", "Europe/Berlin"),
    ("DK", "Europe/Copenhagen"),
    ("EG", "Africa/Cairo"),
    ("ES", "Europe/Madrid"),
    ("FI", "Europe/Helsinki"),
    ("FR", "Europe/Paris"),
    ("GB", "Europe/London"),
    ("GR", "Europe/Athens"),
    ("HK", "Asia/Hong_Kong"),
    ("HU", "Europe/Budapest"),
    ("ID", "Asia/Jakarta"),
    ("IE", "Europe/Dublin"),
    ("IL", "Asia/Jerusalem"),
    ("IN", "Asia/Kolkata"),
    ("IT", "Europe/Rome"),
    ("JP", "Asia/Tokyo"),
    ("KH", "Asia/Phnom_Penh"),
    ("KR", "Asia/Seoul"),
    ("KZ", "Asia/Almaty"),
    ("MA", "Africa/Casablanca"),
    ("MM", "Asia/Yangon"),
    ("MN", "Asia/Ulaanbaatar"),
    ("MX", "America/Mexico_City"),
    ("MY", "Asia/Kuala_Lumpur"),
    ("NG", "Africa/Lagos"),
    ("NL", "Europe/Amsterdam"),
    ("NO", "Europe/Oslo"),
    ("NZ", "Pacific/Auckland"),
    ("PE", "America/Lima"),
    ("PH", "Asia/Manila"),
    ("PK", "Asia/Karachi"),
    ("PL", "Europe/Warsaw"),
    ("PT", "Europe/Lisbon"),
    ("RO", "Europe/Bucharest"),
    ("RU", "Europe/Moscow"),
    ("SA", "Asia/Riyadh"),
    ("SE", "Europe/Stockholm"),
    ("SG", "Asia/Singapore"),
    ("TH", "Asia/Bangkok"),
    ("TR", "Europe/Istanbul"),
    ("TW", "Asia/Taipei"),
    ("UA", "Europe/Kyiv"),
    ("US", "America/New_York"),
    ("VN", "Asia/Ho_Chi_Minh"),
    ("ZA", "Africa/Johannesburg"),
];

/// The zone a country's listens are read in, `default` for a country the table lacks.
pub fn zone_of(country: &str, default: Tz) -> Tz {
    let upper = country.trim().to_ascii_uppercase();
    COUNTRY_ZONES
        .binary_search_by(|(code, _)| code.cmp(&upper.as_str()))
        .ok()
        .and_then(|position| COUNTRY_ZONES[position].1.parse().ok())
        .unwrap_or(default)
}

/// A zone by its IANA name (`Asia/Seoul`), or `UTC`.
pub fn parse_zone(name: &str) -> Result<Tz, ListenersError> {
    name.trim().parse().map_err(|_| ListenersError::UnknownZone { given: name.to_string() })
}

/// The schema of `zone_offsets`.
pub fn zone_offsets_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("country", DataType::Utf8, false),
        Field::new("utc_day", DataType::Int64, false),
        Field::new("offset_seconds", DataType::Int64, false),
    ]))
}

/// `zone_offsets` for `countries` (and listens without one, [`NO_COUNTRY`], read in `default`)
/// over the UTC days `first..=last` (days since 1970-01-01): each day's offset is the zone's at
/// noon UTC, so only the few hours around a daylight-saving change are read an hour off.
pub fn zone_offsets(
    countries: &BTreeSet<String>,
    first: i64,
    last: i64,
    default: Tz,
) -> Result<RecordBatch, ListenersError> {
    let keys: BTreeSet<&str> = countries.iter().map(String::as_str).chain([NO_COUNTRY]).collect();
    let mut country_column = Vec::new();
    let mut days = Vec::new();
    let mut offsets = Vec::new();
    for key in keys {
        let zone = if key == NO_COUNTRY { default } else { zone_of(key, default) };
        for day in first..=last {
            country_column.push(key);
            days.push(day);
            offsets.push(offset_seconds(zone, day));
        }
    }
    let columns: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from(country_column)),
        Arc::new(Int64Array::from(days)),
        Arc::new(Int64Array::from(offsets)),
    ];
    Ok(RecordBatch::try_new(zone_offsets_schema(), columns)?)
}

/// The zone's offset from UTC, in seconds, at noon UTC of the day.
pub fn offset_seconds(zone: Tz, utc_day: i64) -> i64 {
    let noon = DateTime::UNIX_EPOCH + Duration::days(utc_day) + Duration::hours(12);
    i64::from(zone.offset_from_utc_datetime(&noon.naive_utc()).fix().local_minus_utc())
}

/// Days since 1970-01-01 of a date.
pub fn day_number(date: NaiveDate) -> i64 {
    (date - DateTime::UNIX_EPOCH.date_naive()).num_days()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_and_every_zone_exists() {
        assert!(COUNTRY_ZONES.windows(2).all(|pair| pair[0].0 < pair[1].0));
        for (country, zone) in COUNTRY_ZONES {
            assert!(zone.parse::<Tz>().is_ok(), "{country}: {zone}");
        }
    }

    #[test]
    fn offsets_follow_the_country_and_daylight_saving() {
        let seoul = zone_of("kr", Tz::UTC);
        let winter = day_number(NaiveDate::from_ymd_opt(2022, 1, 10).unwrap());
        let summer = day_number(NaiveDate::from_ymd_opt(2022, 7, 10).unwrap());
        assert_eq!((offset_seconds(seoul, winter), offset_seconds(seoul, summer)), (9 * 3600, 9 * 3600));
        let new_york = zone_of("US", Tz::UTC);
        assert_eq!((offset_seconds(new_york, winter), offset_seconds(new_york, summer)), (-5 * 3600, -4 * 3600));
        assert_eq!(zone_of("XX", Tz::Asia__Tokyo), Tz::Asia__Tokyo);
        let countries = BTreeSet::from(["KR".to_string(), "US".to_string()]);
        let table = zone_offsets(&countries, winter, winter + 1, Tz::UTC).unwrap();
        assert_eq!(table.num_rows(), 6, "two days for each of KR, US and no country");
        assert!(parse_zone("Mars/Olympus").is_err());
    }
}
