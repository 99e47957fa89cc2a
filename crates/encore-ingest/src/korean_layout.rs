//! The columns of a ranked-list CSV: which header cell is the rank, title, artist, date, site, …
//! by Korean and English synonyms or by the user's `--columns` map, and which line is the header
//! (metadata lines before it are skipped).

use std::fmt;
use std::str::FromStr;

use crate::error::IngestError;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Rank,
    Title,
    Artist,
    Album,
    /// The chart's date (a day, a range, a month or a year); never a release date.
    Date,
    /// A snapshot's hour, beside the date.
    Hour,
    /// The platform (`멜론`, `Genie`, …).
    Site,
    /// With `Week`: Circle's `year,time` week numbers.
    Year,
    Week,
}

/// Each role's header spellings, compared after trimming and lower-casing. A release date
/// (`발매일`, `release_date`) is deliberately absent: it is never the chart's date.
const SYNONYMS: [(Role, &[&str]); 9] = [
    (Role::Rank, &["순위", "rank", "ranking", "등수", "no", "no."]),
    (Role::Title, &["곡", "곡명", "제목", "노래", "title", "song", "song_title", "song title", "track"]),
    (Role::Artist, &["가수", "아티스트", "가수명", "artist", "artists", "singer"]),
    (Role::Album, &["앨범", "앨범명", "album"]),
    (Role::Date, &["날짜", "일자", "기간", "집계기간", "차트일", "date", "chart_date", "period"]),
    (Role::Hour, &["시간", "시각", "hour"]),
    (Role::Site, &["사이트", "플랫폼", "site", "platform"]),
    (Role::Year, &["year", "연도", "년도"]),
    (Role::Week, &["time", "week", "week_number", "주차"]),
];

/// The header names a role is looked for under, for messages.
pub(crate) fn synonyms_of(role: Role) -> &'static [&'static str] {
    let none: &'static [&'static str] = &[];
    SYNONYMS.iter().find(|(known, _)| *known == role).map_or(none, |(_, names)| *names)
}

/// The user's map of a file's columns: `rank=COL,title=COL,artist=COL[,date=COL][,album=COL]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMap {
    columns: Vec<(Role, String)>,
}

impl ColumnMap {
    fn column_of(&self, role: Role) -> Option<&str> {
        self.columns.iter().find(|(known, _)| *known == role).map(|(_, name)| name.as_str())
    }
}

impl fmt::Display for ColumnMap {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> =
            self.columns.iter().map(|(role, name)| format!("{}={name}", role_key(*role))).collect();
        formatter.write_str(&parts.join(","))
    }
}

fn role_key(role: Role) -> &'static str {
    match role {
        Role::Rank => "rank",
        Role::Title => "title",
        Role::Artist => "artist",
        Role::Album => "album",
        Role::Date => "date",
        Role::Hour => "hour",
        Role::Site => "site",
        Role::Year => "year",
        Role::Week => "week",
    }
}

impl FromStr for ColumnMap {
    type Err = IngestError;

    fn from_str(text: &str) -> Result<ColumnMap, IngestError> {
        let bad = |reason: String| IngestError::BadColumns { given: text.to_string(), reason };
        let keys = [Role::Rank, Role::Title, Role::Artist, Role::Date, Role::Album, Role::Hour, Role::Site];
        let mut columns: Vec<(Role, String)> = Vec::new();
        for part in text.split(',').map(str::trim).filter(|part| !part.is_empty()) {
            let (key, column) = part.split_once('=').ok_or_else(|| bad(format!("`{part}` is not KEY=COLUMN")))?;
            let key = key.trim().to_ascii_lowercase();
            let role = keys
                .into_iter()
                .find(|role| role_key(*role) == key)
                .ok_or_else(|| bad(format!("`{key}` is not one of rank, title, artist, date, album, hour, site")))?;
            if columns.iter().any(|(known, _)| *known == role) {
                return Err(bad(format!("`{key}` is given twice")));
            }
            columns.push((role, column.trim().to_string()));
        }
        for needed in [Role::Rank, Role::Title, Role::Artist] {
            if !columns.iter().any(|(known, _)| *known == needed) {
                return Err(bad(format!("`{}` is missing", role_key(needed))));
            }
        }
        Ok(ColumnMap { columns })
    }
}

/// Where each role sits in a header row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Layout {
    positions: Vec<(Role, usize)>,
}

impl Layout {
    /// The header's layout, by `map` when given, else by the synonyms; `None` unless it has a
    /// rank, a title and an artist column.
    pub(crate) fn of_header(header: &[String], map: Option<&ColumnMap>) -> Option<Layout> {
        let normal: Vec<String> = header.iter().map(|cell| normalise(cell)).collect();
        let mut positions = Vec::new();
        for (role, names) in SYNONYMS {
            let found = match map {
                Some(map) => {
                    map.column_of(role).and_then(|name| normal.iter().position(|cell| *cell == normalise(name)))
                }
                None => normal.iter().position(|cell| names.contains(&cell.as_str())),
            };
            if let Some(position) = found {
                positions.push((role, position));
            }
        }
        let layout = Layout { positions };
        [Role::Rank, Role::Title, Role::Artist].iter().all(|role| layout.has(*role)).then_some(layout)
    }

    pub(crate) fn position(&self, role: Role) -> Option<usize> {
        self.positions.iter().find(|(known, _)| *known == role).map(|(_, position)| *position)
    }

    pub(crate) fn has(&self, role: Role) -> bool {
        self.position(role).is_some()
    }

    /// Whether the rows carry Circle's `year` and `time` week numbers (and no date column).
    pub(crate) fn has_week_numbers(&self) -> bool {
        self.has(Role::Year) && self.has(Role::Week) && !self.has(Role::Date)
    }
}

fn normalise(cell: &str) -> String {
    cell.trim_start_matches('\u{FEFF}').trim().trim_matches('"').trim().to_lowercase()
}

/// How many lines before the header may be metadata (a title, an export time, a blank line).
pub(crate) const PREAMBLE_LINES: usize = 20;

/// The cells of a CSV line, unquoted (for looking at headers; rows go through the csv reader).
pub(crate) fn cells_of_line(line: &str) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(line.as_bytes());
    let mut record = csv::StringRecord::new();
    match reader.read_record(&mut record) {
        Ok(true) => record.iter().map(str::to_string).collect(),
        _ => Vec::new(),
    }
}

/// Whether one of the first lines of `text` is a ranked list's header (for detection).
pub(crate) fn has_ranked_header(text: &str) -> bool {
    text.lines().take(PREAMBLE_LINES + 1).any(|line| Layout::of_header(&cells_of_line(line), None).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(header: &str, map: Option<&str>) -> Option<Vec<(Role, usize)>> {
        let map: Option<ColumnMap> = map.map(|map| map.parse().unwrap());
        Layout::of_header(&cells_of_line(header), map.as_ref()).map(|layout| layout.positions)
    }

    #[test]
    fn headers_are_read_by_korean_and_english_synonyms() {
        use Role::*;
        assert_eq!(
            roles("날짜,순위,곡,가수,앨범", None),
            Some(vec![(Rank, 1), (Title, 2), (Artist, 3), (Album, 4), (Date, 0)])
        );
        assert_eq!(
            roles("year,time,rank,song_title,artist,album", None),
            Some(vec![(Rank, 2), (Title, 3), (Artist, 4), (Album, 5), (Year, 0), (Week, 1)])
        );
        assert_eq!(
            roles("\u{FEFF}Rank, Title ,Artist,Site", None),
            Some(vec![(Rank, 0), (Title, 1), (Artist, 2), (Site, 3)])
        );
        // A release date is not the chart's date.
        assert_eq!(roles("순위,제목,가수,발매일", None), Some(vec![(Rank, 0), (Title, 1), (Artist, 2)]));
        assert_eq!(roles("pos,name,by", None), None);
        assert_eq!(
            roles("pos,name,by,day", Some("rank=pos,title=name,artist=by,date=day")),
            Some(vec![(Rank, 0), (Title, 1), (Artist, 2), (Date, 3)])
        );
    }

    #[test]
    fn column_maps_need_rank_title_and_artist() {
        let error = |text: &str| text.parse::<ColumnMap>().unwrap_err().to_string();
        assert_eq!(
            error("rank=pos,title=name"),
            "--columns rank=pos,title=name: `artist` is missing (give rank=COL,title=COL,artist=COL[,date=COL][,album=COL])"
        );
        assert!(error("rank=pos,title=name,artist=by,genre=g").contains("`genre` is not one of"));
        assert!(error("rank").contains("`rank` is not KEY=COLUMN"));
        let map: ColumnMap = "rank=pos, title=name,artist=by".parse().unwrap();
        assert_eq!(map.to_string(), "rank=pos,title=name,artist=by");
    }
}
