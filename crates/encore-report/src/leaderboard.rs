//! The leaderboard's cells, formatted once for both the HTML table and `leaderboard.csv`.

use crate::escape::csv_field;
use crate::names::{percent_text, score_text};
use encore_analytics::LeaderboardRow;

pub const CSV_HEADER: &str =
    "rank,song,artists,drama,eclipse_score,share_after_finale_percent,crossover,chart_days,year_end_lists";

/// One leaderboard row as text; `None` where the value is unknown (never charted, no finale, no
/// crossover), which the HTML shows as a dash and the CSV leaves empty.
#[derive(Debug, Clone, PartialEq)]
pub struct LeaderboardCells {
    pub rank: String,
    pub song: String,
    pub artists: String,
    pub drama: String,
    pub eclipse_score: String,
    pub share_after_finale_percent: Option<String>,
    pub crossover: Option<String>,
    /// Days on daily and weekly charts.
    pub chart_days: String,
    /// Year-end lists, counted apart: a list is not 365 chart days.
    pub year_end_lists: String,
}

impl LeaderboardCells {
    pub fn of(row: &LeaderboardRow) -> LeaderboardCells {
        LeaderboardCells {
            rank: row.rank.to_string(),
            song: row.song.clone(),
            artists: row.artists.clone(),
            drama: row.drama.clone(),
            eclipse_score: score_text(row.eclipse.score),
            share_after_finale_percent: row.eclipse.share_after_finale.map(percent_text),
            crossover: row.eclipse.crossover_text(),
            chart_days: row.eclipse.chart_days.to_string(),
            year_end_lists: row.eclipse.year_end_lists.to_string(),
        }
    }

    pub fn csv_line(&self) -> String {
        let fields = [
            self.rank.as_str(),
            &self.song,
            &self.artists,
            &self.drama,
            &self.eclipse_score,
            self.share_after_finale_percent.as_deref().unwrap_or(""),
            self.crossover.as_deref().unwrap_or(""),
            &self.chart_days,
            &self.year_end_lists,
        ];
        fields.iter().map(|field| csv_field(field)).collect::<Vec<_>>().join(",")
    }
}

/// The whole CSV file: header, then one line per row in the given order.
pub fn leaderboard_csv(rows: &[LeaderboardRow]) -> String {
    let mut csv = String::from(CSV_HEADER);
    csv.push('\n');
    for row in rows {
        csv.push_str(&LeaderboardCells::of(row).csv_line());
        csv.push('\n');
    }
    csv
}
