//! Netflix's global weekly Top 10 (`all-weeks-global.tsv` from Netflix's Top 10 site): one row per
//! title, list and week, tab-separated, with the week's hours viewed. Columns: `week` (the Sunday
//! ending a Monday-to-Sunday week), `category`, `weekly_rank`, `show_title`, `season_title`,
//! `weekly_hours_viewed`, `runtime`, `weekly_views`, `cumulative_weeks_in_top_10`, and in Netflix's
//! own download `is_staggered_launch` and `episode_launch_details` (a quoted JSON list), which are
//! read past. `runtime` and `weekly_views` are empty in the early weeks.

use encore_domain::DramaViewing;

use crate::report::Parsed;
use crate::table::{parse_day, read_delimited};

/// The first columns of the header, which tell the format.
const HEADER_START: &[u8] = b"week\tcategory\tweekly_rank\tshow_title\tseason_title\tweekly_hours_viewed";

/// Whether a file's first bytes (byte-order mark and leading whitespace dropped) are this format's.
pub(crate) fn is_netflix_top10(text: &[u8]) -> bool {
    text.starts_with(HEADER_START)
}

/// Parses the Top 10 TSV; a bad row is rejected with its line and field, the others load.
pub fn parse_netflix_top10(bytes: &[u8], file_name: &str) -> Parsed<DramaViewing> {
    let required = [
        "week",
        "category",
        "weekly_rank",
        "show_title",
        "season_title",
        "weekly_hours_viewed",
        "cumulative_weeks_in_top_10",
    ];
    let optional = ["runtime", "weekly_views", "is_staggered_launch", "episode_launch_details"];
    read_delimited(bytes, file_name, b'\t', &required, &optional, |row| {
        let week_text = row.text("week")?;
        let week_end = parse_day(week_text)
            .ok_or_else(|| row.reject("week", format!("{week_text:?} is not a day (YYYY-MM-DD)")))?;
        let runtime_hours: Option<f64> = row.optional_number("runtime")?;
        if runtime_hours.is_some_and(|hours| !hours.is_finite() || hours < 0.0) {
            return Err(row.reject("runtime", "is not a number of hours"));
        }
        Ok(DramaViewing {
            week_end,
            category: row.required_text("category")?.to_string(),
            rank: row.rank("weekly_rank")?,
            show_title: row.required_text("show_title")?.to_string(),
            season_title: row.text("season_title")?.to_string(),
            hours_viewed: row.number("weekly_hours_viewed")?,
            runtime_hours,
            views: row.optional_number("weekly_views")?,
            weeks_in_top10: row.number("cumulative_weeks_in_top_10")?,
            drama_id: None,
            source_file: row.file().to_string(),
            source_line: row.line(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "week\tcategory\tweekly_rank\tshow_title\tseason_title\tweekly_hours_viewed\truntime\t\
                          weekly_views\tcumulative_weeks_in_top_10\tis_staggered_launch\tepisode_launch_details\n";

    fn rows(parsed: &Parsed<DramaViewing>) -> Vec<String> {
        parsed
            .rows
            .iter()
            .map(|row| {
                format!(
                    "{} {} #{} {} / {} {}h {:?} {:?} {}w line {}",
                    row.week_end,
                    row.category,
                    row.rank,
                    row.show_title,
                    row.season_title,
                    row.hours_viewed,
                    row.runtime_hours,
                    row.views,
                    row.weeks_in_top10,
                    row.source_line
                )
            })
            .collect()
    }

    fn rejections(parsed: &Parsed<DramaViewing>) -> Vec<String> {
        parsed.rejected.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn good_rows_load_and_bad_ones_are_named() {
        let text = format!(
            "{HEADER}\
             2022-06-05\tTV (English)\t1\tStranger Things\tStranger Things 4\t335010000\t\t\t2\tFalse\t\n\
             2022-06-12\tTV (English)\t1\tStranger Things\tStranger Things 4\tmany\t\t\t3\tFalse\t\n\
             2022-02-30\tTV (Non-English)\t1\tBusiness Proposal\tBusiness Proposal: Limited Series\t23480000\t\t\t2\tFalse\t\n\
             2025-12-28\tTV (English)\t1\tStranger Things\tStranger Things 5\t284800000\t8.25\t34500000\t5\tTrue\t\
             \"[{{\"\"episode_launch_date\"\": \"\"2025-11-26\"\", \"\"episodes\"\": \"\"1-4\"\"}}]\"\n"
        );
        let parsed = parse_netflix_top10(text.as_bytes(), "all-weeks-global.tsv");
        assert_eq!(
            rows(&parsed),
            [
                "2022-06-05 TV (English) #1 Stranger Things / Stranger Things 4 335010000h None None 2w line 2",
                "2025-12-28 TV (English) #1 Stranger Things / Stranger Things 5 284800000h Some(8.25) Some(34500000) 5w line 5",
            ]
        );
        assert_eq!(
            rejections(&parsed),
            [
                "all-weeks-global.tsv:3: field `weekly_hours_viewed`: \"many\" is not a number",
                "all-weeks-global.tsv:4: field `week`: \"2022-02-30\" is not a day (YYYY-MM-DD)",
            ]
        );
    }

    #[test]
    fn the_shorter_layout_without_launch_details_reads_too() {
        let text = "week\tcategory\tweekly_rank\tshow_title\tseason_title\tweekly_hours_viewed\truntime\tweekly_views\t\
                    cumulative_weeks_in_top_10\n\
                    2022-04-10\tTV (Non-English)\t2\tBusiness Proposal\tBusiness Proposal: Limited Series\t41460000\t\t\t5\n";
        let parsed = parse_netflix_top10(text.as_bytes(), "t.tsv");
        assert_eq!(parsed.rejected, []);
        assert_eq!(parsed.rows[0].hours_viewed, 41_460_000);
        assert_eq!(parsed.rows[0].season_title, "Business Proposal: Limited Series");
        let missing = parse_netflix_top10(b"week\tcategory\n", "m.tsv");
        assert_eq!(missing.rows.len(), 0);
        assert_eq!(missing.rejected.len(), 1);
    }

    #[test]
    fn detection_reads_the_header() {
        assert!(is_netflix_top10(HEADER.as_bytes()));
        assert!(!is_netflix_top10(b"week,category,weekly_rank\n"));
        assert!(!is_netflix_top10(b"date,subject,count\n"));
    }
}
