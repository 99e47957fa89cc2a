//! Regional spread: where a song charted first, how long other regions took, and how its
//! attention divides among regions.
//!
//! Method, per region of the song's chart entries (a region is the chart's country, `kr`, `us`,
//! `global`):
//! - first chart day: the first day any entry of the region speaks for, no earlier than the
//!   song's release (see [`crate::attention::covered_days_since_release`]);
//! - lag from Korea: that day minus Korea's (`kr`) first chart day, in days; none without a Korean
//!   entry;
//! - share of attention: the region's daily index ([`crate::attention::song_attention`] over its
//!   entries) summed over days, divided by the sum over all regions.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use encore_domain::ChartEntry;

use crate::attention::{covered_days_since_release, song_attention};

pub const KOREA: &str = "kr";

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionSpread {
    pub region: String,
    pub first_chart_day: NaiveDate,
    pub lag_from_korea_days: Option<i64>,
    pub attention: f64,
    pub share: f64,
}

/// The spread of one song's entries over regions, earliest region first.
pub fn regional_spread(entries: &[ChartEntry], release: Option<NaiveDate>) -> Vec<RegionSpread> {
    let mut by_region: BTreeMap<&str, Vec<ChartEntry>> = BTreeMap::new();
    for entry in entries {
        by_region.entry(entry.region.as_str()).or_default().push(entry.clone());
    }
    let mut regions: Vec<RegionSpread> = by_region
        .iter()
        .filter_map(|(region, region_entries)| {
            let first_chart_day =
                region_entries.iter().map(|entry| covered_days_since_release(entry, release).0).min()?;
            let attention = song_attention(region_entries, release).iter().map(|point| point.value).sum();
            Some(RegionSpread {
                region: region.to_string(),
                first_chart_day,
                lag_from_korea_days: None,
                attention,
                share: 0.0,
            })
        })
        .collect();
    let korea_first = regions.iter().find(|region| region.region == KOREA).map(|region| region.first_chart_day);
    let total: f64 = regions.iter().map(|region| region.attention).sum();
    for region in &mut regions {
        region.lag_from_korea_days = korea_first.map(|first| (region.first_chart_day - first).num_days());
        region.share = if total > 0.0 { region.attention / total } else { 0.0 };
    }
    regions.sort_by(|left, right| (left.first_chart_day, &left.region).cmp(&(right.first_chart_day, &right.region)));
    regions
}

#[cfg(test)]
mod tests {
    use super::*;
    use encore_domain::ChartKind;

    fn entry(chart: ChartKind, region: &str, date: &str, rank: u32) -> ChartEntry {
        ChartEntry::new(chart, region, NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap(), rank, "t", "a")
    }

    #[test]
    fn regions_get_first_days_lags_from_korea_and_shares() {
        let entries = [
            entry(ChartKind::SpotifyDaily, "kr", "2025-01-01", 1),
            entry(ChartKind::SpotifyDaily, "kr", "2025-01-02", 200),
            entry(ChartKind::BillboardHot100, "us", "2025-01-18", 100),
        ];
        let spread = regional_spread(&entries, None);
        assert_eq!(spread.len(), 2);
        assert_eq!((spread[0].region.as_str(), spread[0].lag_from_korea_days), ("kr", Some(0)));
        // A Billboard week dated 2025-01-18 speaks from 2025-01-12 on.
        assert_eq!((spread[1].region.as_str(), spread[1].lag_from_korea_days), ("us", Some(11)));
        assert!((spread[0].attention - 100.5).abs() < 1e-9 && (spread[1].attention - 7.0).abs() < 1e-9);
        assert!((spread.iter().map(|region| region.share).sum::<f64>() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn without_korea_there_is_no_lag() {
        let spread = regional_spread(&[entry(ChartKind::BillboardHot100, "us", "2022-06-04", 8)], None);
        assert_eq!(spread[0].lag_from_korea_days, None);
        assert_eq!(regional_spread(&[], None), []);
    }
}
