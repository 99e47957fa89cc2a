//! Billboard charts as CSV, one row per entry with its week: the JSON's columns
//! (`date,song,artist,this_week,last_week,peak_position,weeks_on_chart`) or the widely shared
//! Kaggle spelling (`date,rank,song,artist,last-week,peak-rank,weeks-on-board`). An empty
//! `last_week` is a new entry. Hot 100 or Global 200 by the file's path, as for the JSON.

use encore_domain::ChartEntry;

use crate::billboard::{chart_of_file, entry, region_of, WeekRow};
use crate::report::{Parsed, Rejected};
use crate::table::{parse_day, read_csv, CsvRow};

const COLUMNS: [&str; 7] = [
    "date",
    "song",
    "artist",
    "this_week|rank",
    "last_week|last-week",
    "peak_position|peak-rank",
    "weeks_on_chart|weeks-on-board",
];

/// Parses one Billboard CSV file of any number of weeks.
pub fn parse_billboard_csv(bytes: &[u8], file_name: &str) -> Parsed<ChartEntry> {
    let chart = chart_of_file(file_name);
    let mut parsed = read_csv(bytes, file_name, &COLUMNS, &[], row_entry);
    for row in &mut parsed.rows {
        row.chart = chart;
        row.region = region_of(chart).to_string();
    }
    parsed
}

fn row_entry(row: &CsvRow<'_>) -> Result<ChartEntry, Rejected> {
    let date_text = row.text("date")?;
    let Some(chart_date) = parse_day(date_text) else {
        return Err(row.reject("date", format!("{date_text:?} is not a day (YYYY-MM-DD)")));
    };
    let week_row = WeekRow {
        song: row.text("song")?.to_string(),
        artist: row.text("artist")?.to_string(),
        this_week: row.number("this_week|rank")?,
        last_week: row.optional_number("last_week|last-week")?,
        peak_position: row.number("peak_position|peak-rank")?,
        weeks_on_chart: row.number("weeks_on_chart|weeks-on-board")?,
    };
    entry(week_row, chart_date, row.file(), row.line()).map_err(|mut rejected| {
        // `entry` names the JSON keys; name the columns as this file spells them.
        rejected.field = row.reject(&column_spec(&rejected.field), "").field;
        rejected
    })
}

fn column_spec(json_key: &str) -> String {
    COLUMNS
        .iter()
        .find(|spec| spec.split('|').any(|name| name == json_key))
        .map_or(json_key.to_string(), |spec| spec.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support;
    use encore_domain::ChartKind;

    #[test]
    fn reads_both_spellings_of_the_columns() {
        let json_columns = "date,song,artist,this_week,last_week,peak_position,weeks_on_chart\n\
                            2022-06-18,Running Up That Hill (A Deal With God),Kate Bush,4,,4,22\n\
                            2022-06-18,S,A,0,1,1,1\n\
                            18/06/2022,S,A,5,1,1,1\n";
        test_support::check(
            &parse_billboard_csv(json_columns.as_bytes(), "hot-100.csv"),
            &[
                r#"2022-06-18 us #4 "Running Up That Hill (A Deal With God)" by Kate Bush, prev -, peak 4, periods 22, line 2"#,
            ],
            &[
                "hot-100.csv:3: field `this_week`: 0 is not a rank (ranks start at 1)",
                "hot-100.csv:4: field `date`: \"18/06/2022\" is not a day (YYYY-MM-DD)",
            ],
        );
        let kaggle = "date,rank,song,artist,last-week,peak-rank,weeks-on-board\n2021-11-06,1,Easy On Me,Adele,1,1,3\n2021-11-06,2,S,,1,1,1\n";
        let parsed = parse_billboard_csv(kaggle.as_bytes(), "charts/billboard-global-200.csv");
        test_support::check(
            &parsed,
            &[r#"2021-11-06 global #1 "Easy On Me" by Adele, prev 1, peak 1, periods 3, line 2"#],
            &["charts/billboard-global-200.csv:3: field `artist`: is empty"],
        );
        assert_eq!(parsed.rows[0].chart, ChartKind::BillboardGlobal200);
    }
}
