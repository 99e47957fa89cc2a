//! Play counts: who played what how often, the input of a recommender. One row a user and item
//! (`user,item,plays`), or one row a play (a listening log without a count column: each row counts
//! once); the item is an item column or an artist and a track column. Header names in any case and
//! with the spellings of the common exports (`user_id`, `userId`, `listener`; `item_id`,
//! `track_id`, `song`; `playcount`, `count`, `plays`, `weight`, `rating`); comma, tab or semicolon
//! between fields; UTF-8 or EUC-KR; a workbook through [`crate::table_bytes`] first.

use crate::encoding::utf8_or_euc_kr;
use crate::report::{Parsed, Rejected};
use crate::table::{header_of, read_records, CsvRow, Header};

/// One user's plays of one item, as the file gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlayCount {
    pub user: String,
    pub item: String,
    pub plays: f64,
}

/// The header spellings of each column, compared without case, spaces, `_` or `-`.
const USER: &[&str] = &["user", "userid", "users", "listener", "listenerid", "username", "member", "customerid", "uid"];
const ITEM: &[&str] = &[
    "item",
    "itemid",
    "items",
    "trackid",
    "songid",
    "song",
    "recordingid",
    "recordingmbid",
    "trackuri",
    "spotifytrackuri",
    "iid",
];
const ARTIST: &[&str] = &["artist", "artistname", "artists", "masterdatatrackartistname", "masterdataalbumartistname"];
const TRACK: &[&str] = &["track", "trackname", "title", "songtitle", "name", "masterdatatrackname"];
const PLAYS: &[&str] = &[
    "plays",
    "playcount",
    "count",
    "listens",
    "listencount",
    "scrobbles",
    "streams",
    "weight",
    "rating",
    "value",
    "n",
];

/// The canonical names the rows are read by.
const CANONICAL: [(&str, &[&str]); 5] =
    [("user", USER), ("item", ITEM), ("artist", ARTIST), ("track", TRACK), ("plays", PLAYS)];

pub fn parse_play_counts(bytes: &[u8], file: &str) -> Parsed<PlayCount> {
    let text = utf8_or_euc_kr(bytes);
    let (header, data_start) = match header_of(&text, file) {
        Ok(found) => found,
        Err(rejected) => return Parsed::only_rejected(rejected),
    };
    let delimiter = delimiter_of(&text[..data_start]);
    let (header, data_start) = if delimiter == b',' {
        (header, data_start)
    } else {
        let line_end = text.iter().position(|&byte| byte == b'\n').map_or(text.len(), |end| end + 1);
        let line = String::from_utf8_lossy(&text[..line_end]);
        let names = line.trim_start_matches('\u{feff}').trim_end().split(char::from(delimiter));
        (names.map(|name| name.trim().trim_matches('"').to_string()).collect(), line_end)
    };
    let names: Vec<String> = header.iter().map(|name| canonical(name)).collect();
    let has = |column: &str| names.iter().any(|name| name == column);
    if !has("user") {
        let reason = format!("no user column: the header {header:?} has none of {} (any case)", USER.join(", "));
        return Parsed::only_rejected(Rejected::new(file, 1, "user", reason));
    }
    if !(has("item") || has("artist") && has("track")) {
        let reason = format!(
            "no item column: the header {header:?} needs one of {}, or an artist and a track column",
            ITEM.join(", ")
        );
        return Parsed::only_rejected(Rejected::new(file, 1, "item", reason));
    }
    let counted = has("plays");
    let given = Header::Given { names: &names, first_line: 2 };
    let mut parsed = read_records(
        &text[data_start..],
        file,
        delimiter,
        given,
        &["user"],
        &["item", "artist", "track", "plays"],
        |row| play_count(row, counted),
    );
    // A rejection names the column as the file spells it (`playcount`, `user_id:token`).
    for rejected in &mut parsed.rejected {
        if let Some(position) = names.iter().position(|name| *name == rejected.field) {
            rejected.field = header[position].trim_start_matches('\u{feff}').to_string();
        }
    }
    parsed
}

fn play_count(row: &CsvRow<'_>, counted: bool) -> Result<PlayCount, Rejected> {
    let user = row.required_text("user")?.to_string();
    let item = match row.text("item")?.trim() {
        "" => {
            let artist = row.text("artist")?.trim();
            let track = row.text("track")?.trim();
            if artist.is_empty() || track.is_empty() {
                return Err(row.reject("item", "no item, and no artist and track to name one"));
            }
            format!("{artist} — {track}")
        }
        item => item.to_string(),
    };
    let plays = if counted {
        let text = row.text("plays")?.trim();
        let number: f64 = text
            .replace([',', '_'], "")
            .parse()
            .map_err(|_| row.reject("plays", format!("{text:?} is not a number")))?;
        if !number.is_finite() || number < 0.0 {
            return Err(row.reject("plays", format!("{text:?} is not a count (zero or more)")));
        }
        number
    } else {
        1.0
    };
    Ok(PlayCount { user, item, plays })
}

fn canonical(name: &str) -> String {
    // `user_id:token` (RecBole's atomic files) names its type after a colon.
    let head = name.trim_start_matches('\u{feff}').split(':').next().unwrap_or(name);
    let key: String =
        head.chars().filter(|character| character.is_alphanumeric()).flat_map(char::to_lowercase).collect();
    CANONICAL
        .iter()
        .find(|(_, spellings)| spellings.contains(&key.as_str()))
        .map_or(key, |(canonical, _)| canonical.to_string())
}

/// Comma unless the header line has more tabs or semicolons than commas.
fn delimiter_of(header: &[u8]) -> u8 {
    let count = |wanted: u8| header.iter().filter(|&&byte| byte == wanted).count();
    [b'\t', b';'].into_iter().filter(|&byte| count(byte) > count(b',')).max_by_key(|&byte| count(byte)).unwrap_or(b',')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(parsed: &Parsed<PlayCount>) -> Vec<(String, String, f64)> {
        parsed.rows.iter().map(|row| (row.user.clone(), row.item.clone(), row.plays)).collect()
    }

    #[test]
    fn header_synonyms_and_separators() {
        let comma = parse_play_counts(b"User_ID,Track ID,PlayCount\nann,t1,3\nbo,t2,\"1,200\"\n", "a.csv");
        assert_eq!(rows(&comma), [("ann".into(), "t1".into(), 3.0), ("bo".into(), "t2".into(), 1200.0)]);
        let tab = parse_play_counts(
            b"user_id:token\titem_id:token\trating:float\ttimestamp:float\n196\t242\t3\t881250949\n",
            "ml.inter",
        );
        assert_eq!(rows(&tab), [("196".into(), "242".into(), 3.0)]);
        assert!(tab.rejected.is_empty(), "{:?}", tab.rejected);
        let semicolon =
            parse_play_counts("listener;artist;title\nann;아이유;밤편지\nann;아이유;밤편지\n".as_bytes(), "b.csv");
        assert_eq!(rows(&semicolon).len(), 2);
        assert_eq!(semicolon.rows[0].item, "아이유 — 밤편지");
        assert_eq!(semicolon.rows[0].plays, 1.0);
    }

    #[test]
    fn a_bad_row_names_its_line_and_field_and_the_good_rows_stay() {
        let parsed = parse_play_counts(b"User,item,Play Count\nann,a,2\nbo,b,many\ncy,c,-1\n,d,1\ndee,e,4\n", "p.csv");
        assert_eq!(rows(&parsed), [("ann".into(), "a".into(), 2.0), ("dee".into(), "e".into(), 4.0)]);
        let messages: Vec<String> = parsed.rejected.iter().map(ToString::to_string).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        // Each names the column as the file spells it.
        assert!(messages[0].starts_with("p.csv:3: field `Play Count`"), "{messages:?}");
        assert!(messages[1].starts_with("p.csv:4: field `Play Count`"), "{messages:?}");
        assert!(messages[2].starts_with("p.csv:5: field `User`"), "{messages:?}");
    }

    #[test]
    fn a_file_without_the_columns_says_which_it_needs() {
        let parsed = parse_play_counts(b"name,score\nann,3\n", "x.csv");
        assert!(parsed.rows.is_empty());
        assert!(parsed.rejected[0].to_string().contains("no user column"), "{:?}", parsed.rejected);
    }
}
