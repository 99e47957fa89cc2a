//! Listens as columns: a listening log's listens appended field by field into one buffer per
//! column. A piece of a large log then costs a few allocations, not several a listen; its text
//! columns keep each distinct value once, as the dictionaries the store writes.

use std::borrow::Cow;
use std::hash::BuildHasher;

use chrono::DateTime;
use hashbrown::HashTable;

use crate::ids::SongId;
use crate::series::{Listen, ListenSource, Playback};

/// One listen as read from its log, its text borrowed from the file where it needs no unescaping;
/// the fields are those of [`Listen`] and its [`Playback`].
#[derive(Debug, Clone, PartialEq)]
pub struct ListenFields<'a> {
    pub user: Cow<'a, str>,
    /// Microseconds since the Unix epoch.
    pub listened_at: i64,
    pub artist: Cow<'a, str>,
    pub track: Cow<'a, str>,
    pub source_line: u64,
    pub album: Option<Cow<'a, str>>,
    pub ms_played: Option<i64>,
    pub duration_ms: Option<i64>,
    pub country: Option<Cow<'a, str>>,
    pub track_uri: Option<Cow<'a, str>>,
    pub reason_start: Option<Cow<'a, str>>,
    pub reason_end: Option<Cow<'a, str>>,
    pub shuffle: Option<bool>,
    pub skipped: Option<bool>,
    pub offline: Option<bool>,
}

impl<'a> ListenFields<'a> {
    /// A listen that says who, when (in microseconds since the Unix epoch) and what, and nothing
    /// of how it was played.
    pub fn new(user: Cow<'a, str>, listened_at: i64, artist: Cow<'a, str>, track: Cow<'a, str>) -> Self {
        ListenFields {
            user,
            listened_at,
            artist,
            track,
            source_line: 0,
            album: None,
            ms_played: None,
            duration_ms: None,
            country: None,
            track_uri: None,
            reason_start: None,
            reason_end: None,
            shuffle: None,
            skipped: None,
            offline: None,
        }
    }
}

/// A column of text, some of it maybe missing, as a dictionary: each distinct value's text once,
/// and each row's value by its number. A log names a few thousand users, artists and tracks
/// millions of times, so a row costs a lookup rather than a copy of its text, the matcher meets
/// each distinct value once, and the store writes the dictionary as Parquet's own.
#[derive(Clone)]
pub struct TextColumn {
    /// The distinct values' text, one after another, in the order they were first pushed.
    values: String,
    /// Where each distinct value ends in `values`, from a leading 0.
    ends: Vec<u32>,
    /// Each distinct value's number, found by the hash of its text.
    numbers: HashTable<u32>,
    /// Each row's value's number (0 for a missing value).
    keys: Vec<u32>,
    present: Vec<bool>,
    missing: usize,
    /// The most distinct text the column holds: what an end can say.
    limit: usize,
}

/// The hasher of a column's values: fixed, so that two columns of the same values are the same.
const HASHER: foldhash::fast::FixedState = foldhash::fast::FixedState::with_seed(0x0E5C_02E5);

impl Default for TextColumn {
    fn default() -> TextColumn {
        TextColumn::with_limit(i32::MAX as usize)
    }
}

impl PartialEq for TextColumn {
    /// The same values, numbered alike, in the same rows.
    fn eq(&self, other: &TextColumn) -> bool {
        (&self.values, &self.ends, &self.keys, &self.present, self.missing, self.limit)
            == (&other.values, &other.ends, &other.keys, &other.present, other.missing, other.limit)
    }
}

impl std::fmt::Debug for TextColumn {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_list().entries((0..self.len()).map(|row| self.get(row))).finish()
    }
}

/// A column's distinct values would be more text than an offset can say (2 GiB).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnFull;

impl TextColumn {
    /// A column with room for `rows` rows.
    pub fn with_capacity(rows: usize) -> TextColumn {
        let mut column = TextColumn::default();
        column.keys.reserve(rows);
        column.present.reserve(rows);
        column
    }

    fn with_limit(limit: usize) -> TextColumn {
        TextColumn {
            values: String::new(),
            ends: vec![0],
            numbers: HashTable::new(),
            keys: Vec::new(),
            present: Vec::new(),
            missing: 0,
            limit,
        }
    }

    pub fn len(&self) -> usize {
        self.present.len()
    }

    pub fn is_empty(&self) -> bool {
        self.present.is_empty()
    }

    /// Appends a value, or a missing one.
    pub fn push(&mut self, value: Option<&str>) -> Result<(), ColumnFull> {
        let key = match value {
            Some(text) => self.next_number(text)?,
            None => 0,
        };
        self.keys.push(key);
        self.present.push(value.is_some());
        self.missing += usize::from(value.is_none());
        Ok(())
    }

    /// Appends missing values up to `rows` rows.
    pub fn pad(&mut self, rows: usize) {
        let short = rows.saturating_sub(self.len());
        self.keys.resize(self.keys.len() + short, 0);
        self.present.resize(self.present.len() + short, false);
        self.missing += short;
    }

    /// Each row's value's number, 0 where it is missing.
    pub fn keys(&self) -> &[u32] {
        &self.keys
    }

    /// Whether each row has a value.
    pub fn present(&self) -> &[bool] {
        &self.present
    }

    /// Appends the value numbered `key` (by [`TextColumn::number`]), or a missing one.
    pub fn push_number(&mut self, key: Option<u32>) {
        debug_assert!(key.is_none_or(|key| (key as usize) < self.distinct()));
        self.keys.push(key.unwrap_or(0));
        self.present.push(key.is_some());
        self.missing += usize::from(key.is_none());
    }

    /// The number of the distinct value `text`, added to the dictionary (in no row) if it is new.
    pub fn number(&mut self, text: &str) -> Result<u32, ColumnFull> {
        let TextColumn { values, ends, numbers, .. } = self;
        let hash = HASHER.hash_one(text);
        if let Some(&number) = numbers.find(hash, |&number| dictionary_value(values, ends, number) == text) {
            return Ok(number);
        }
        let end = values.len() + text.len();
        let end = u32::try_from(end).ok().filter(|&end| end as usize <= self.limit).ok_or(ColumnFull)?;
        let number = (ends.len() - 1) as u32;
        values.push_str(text);
        ends.push(end);
        numbers.insert_unique(hash, number, |&number| HASHER.hash_one(dictionary_value(values, ends, number)));
        Ok(number)
    }

    /// [`TextColumn::number`] of a value for the next row. A log's rows often repeat the row
    /// before (one listener, an album played through): the last row's value is compared first,
    /// not looked up.
    pub fn next_number(&mut self, text: &str) -> Result<u32, ColumnFull> {
        match self.last_value() {
            Some((key, last)) if last == text => Ok(key),
            _ => self.number(text),
        }
    }

    /// The last row's value and its number, if it has one.
    fn last_value(&self) -> Option<(u32, &str)> {
        let key = self.key(self.len().checked_sub(1)?)?;
        Some((key, self.value(key)))
    }

    /// How many distinct values the dictionary holds.
    pub fn distinct(&self) -> usize {
        self.ends.len() - 1
    }

    /// How much text the distinct values are.
    pub fn distinct_bytes(&self) -> usize {
        self.values.len()
    }

    /// The distinct value numbered `key`.
    pub fn value(&self, key: u32) -> &str {
        dictionary_value(&self.values, &self.ends, key)
    }

    /// The number of the value at `row`; `None` where it is missing or past the end.
    pub fn key(&self, row: usize) -> Option<u32> {
        self.present.get(row).copied()?.then(|| self.keys[row])
    }

    /// The value at `row`; `None` where it is missing or past the end.
    pub fn get(&self, row: usize) -> Option<&str> {
        self.key(row).map(|key| self.value(key))
    }

    /// How many values are missing.
    pub fn missing(&self) -> usize {
        self.missing
    }

    /// Keeps the first `rows` values, and of the dictionary the values they hold: numbered in the
    /// order first pushed, the values first met in a later row, or numbered for no row, are the
    /// dictionary's last.
    fn truncate(&mut self, rows: usize) {
        if rows < self.len() {
            self.missing -= self.present[rows..].iter().filter(|present| !**present).count();
            self.keys.truncate(rows);
            self.present.truncate(rows);
        }
        let kept = self.keys.iter().zip(&self.present).filter(|(_, present)| **present).map(|(key, _)| key + 1);
        let distinct = kept.max().unwrap_or(0) as usize;
        self.numbers.retain(|number| (*number as usize) < distinct);
        self.ends.truncate(distinct + 1);
        self.values.truncate(self.ends[distinct] as usize);
    }
}

/// Appends `value` to an optional column of `rows` listens so far, padded with missing values up
/// to them first; nothing for a missing value (it is missing past the column's end).
fn push_optional<T>(column: &mut Vec<Option<T>>, rows: usize, value: Option<T>) {
    if value.is_some() {
        column.resize_with(rows, || None);
        column.push(value);
    }
}

/// The value of an optional column at `row`: missing past its end.
fn optional_at<T: Copy>(column: &[Option<T>], row: usize) -> Option<T> {
    column.get(row).copied().flatten()
}

/// The distinct value numbered `number` of a dictionary's text `values`, which ends where `ends`
/// says.
fn dictionary_value<'v>(values: &'v str, ends: &[u32], number: u32) -> &'v str {
    let number = number as usize;
    &values[ends[number] as usize..ends[number + 1] as usize]
}

/// Microseconds since the Unix epoch of the time `seconds` after it, if a [`DateTime`] can hold
/// it: what `DateTime::from_timestamp(seconds, 0)` and then `timestamp_micros` give, without
/// working out the date between.
pub fn unix_seconds_micros(seconds: i64) -> Option<i64> {
    // `DateTime::<Utc>::MIN_UTC` and `MAX_UTC` in whole seconds (a test holds them to chrono's).
    const EARLIEST: i64 = -8_334_601_228_800;
    const LATEST: i64 = 8_210_266_876_799;
    (EARLIEST..=LATEST).contains(&seconds).then(|| seconds * 1_000_000)
}

/// A listen that says who, when and what, by the numbers its text has in the dictionaries of the
/// columns it is pushed to ([`TextColumn::number`]); see [`ListenColumns::push_numbered`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberedListen {
    pub user: u32,
    /// Microseconds since the Unix epoch.
    pub listened_at: i64,
    pub artist: u32,
    pub track: u32,
    pub album: Option<u32>,
    pub duration_ms: Option<i64>,
    pub track_uri: Option<u32>,
    pub source_line: u64,
}

/// Listens of one log as columns, in the order they were pushed; `song_id` is filled by matching,
/// after the reading. A column of what a listen may not say (its album, how it was played) holds
/// rows only up to the last listen that says it and is missing in the rows past its end, so a log
/// that never says it (a scrobble names no country) costs nothing a row.
#[derive(Debug, Clone, PartialEq)]
pub struct ListenColumns {
    pub source: ListenSource,
    pub user: TextColumn,
    /// Microseconds since the Unix epoch.
    pub listened_at: Vec<i64>,
    pub artist: TextColumn,
    pub track: TextColumn,
    pub source_line: Vec<u64>,
    pub album: TextColumn,
    pub ms_played: Vec<Option<i64>>,
    pub duration_ms: Vec<Option<i64>>,
    pub country: TextColumn,
    pub track_uri: TextColumn,
    pub reason_start: TextColumn,
    pub reason_end: TextColumn,
    pub shuffle: Vec<Option<bool>>,
    pub skipped: Vec<Option<bool>>,
    pub offline: Vec<Option<bool>>,
    /// Empty until matched; then one value a listen, missing where it matched no song.
    pub song_id: TextColumn,
}

impl ListenColumns {
    pub fn new(source: ListenSource) -> ListenColumns {
        ListenColumns::with_capacity(source, 0)
    }

    /// Columns with room for `rows` listens: growing by doubling copies every row each time.
    pub fn with_capacity(source: ListenSource, rows: usize) -> ListenColumns {
        let text = || TextColumn::with_capacity(rows);
        ListenColumns {
            source,
            user: text(),
            listened_at: Vec::with_capacity(rows),
            artist: text(),
            track: text(),
            source_line: Vec::with_capacity(rows),
            album: text(),
            ms_played: Vec::with_capacity(rows),
            duration_ms: Vec::with_capacity(rows),
            country: text(),
            track_uri: text(),
            reason_start: text(),
            reason_end: text(),
            shuffle: Vec::with_capacity(rows),
            skipped: Vec::with_capacity(rows),
            offline: Vec::with_capacity(rows),
            song_id: TextColumn::default(),
        }
    }

    pub fn len(&self) -> usize {
        self.listened_at.len()
    }

    pub fn is_empty(&self) -> bool {
        self.listened_at.is_empty()
    }

    /// Appends one listen; a listen whose text does not fit leaves the columns as they were.
    pub fn push(&mut self, listen: &ListenFields<'_>) -> Result<(), ColumnFull> {
        let rows = self.len();
        let pushed = self.push_text(listen);
        if pushed.is_err() {
            self.truncate(rows);
            return pushed;
        }
        self.listened_at.push(listen.listened_at);
        self.source_line.push(listen.source_line);
        push_optional(&mut self.ms_played, rows, listen.ms_played);
        push_optional(&mut self.duration_ms, rows, listen.duration_ms);
        push_optional(&mut self.shuffle, rows, listen.shuffle);
        push_optional(&mut self.skipped, rows, listen.skipped);
        push_optional(&mut self.offline, rows, listen.offline);
        Ok(())
    }

    /// Appends a listen that says who, when and what, its text by its numbers in the columns'
    /// dictionaries, and of how it was played no more than the track's length.
    pub fn push_numbered(&mut self, listen: NumberedListen) {
        let rows = self.len();
        self.user.push_number(Some(listen.user));
        self.listened_at.push(listen.listened_at);
        self.artist.push_number(Some(listen.artist));
        self.track.push_number(Some(listen.track));
        self.source_line.push(listen.source_line);
        for (column, key) in [(&mut self.album, listen.album), (&mut self.track_uri, listen.track_uri)] {
            if key.is_some() {
                column.pad(rows);
                column.push_number(key);
            }
        }
        push_optional(&mut self.duration_ms, rows, listen.duration_ms);
    }

    /// Drops the rows from `rows` on, and of each text column's dictionary the values no row
    /// left holds: what a listen that did not fit numbered before it failed.
    pub fn truncate(&mut self, rows: usize) {
        for column in self.text_columns() {
            column.truncate(rows);
        }
        self.listened_at.truncate(rows);
        self.source_line.truncate(rows);
        self.ms_played.truncate(rows);
        self.duration_ms.truncate(rows);
        self.shuffle.truncate(rows);
        self.skipped.truncate(rows);
        self.offline.truncate(rows);
    }

    fn push_text(&mut self, listen: &ListenFields<'_>) -> Result<(), ColumnFull> {
        let rows = self.len();
        self.user.push(Some(&listen.user))?;
        self.artist.push(Some(&listen.artist))?;
        self.track.push(Some(&listen.track))?;
        let optional = [
            (&mut self.album, &listen.album),
            (&mut self.country, &listen.country),
            (&mut self.track_uri, &listen.track_uri),
            (&mut self.reason_start, &listen.reason_start),
            (&mut self.reason_end, &listen.reason_end),
        ];
        for (column, value) in optional {
            if let Some(value) = value {
                column.pad(rows);
                column.push(Some(value))?;
            }
        }
        Ok(())
    }

    fn text_columns(&mut self) -> [&mut TextColumn; 8] {
        [
            &mut self.user,
            &mut self.artist,
            &mut self.track,
            &mut self.album,
            &mut self.country,
            &mut self.track_uri,
            &mut self.reason_start,
            &mut self.reason_end,
        ]
    }

    /// The listens as rows, each naming `source_file`.
    pub fn listens(&self, source_file: &str) -> Vec<Listen> {
        (0..self.len()).map(|row| self.listen(row, source_file)).collect()
    }

    fn listen(&self, row: usize, source_file: &str) -> Listen {
        let text = |column: &TextColumn| column.get(row).map(str::to_string);
        Listen {
            source: self.source,
            user: text(&self.user).unwrap_or_default(),
            listened_at: DateTime::from_timestamp_micros(self.listened_at[row]).unwrap_or_default(),
            artist: text(&self.artist).unwrap_or_default(),
            track: text(&self.track).unwrap_or_default(),
            playback: Playback {
                album: text(&self.album),
                ms_played: optional_at(&self.ms_played, row),
                duration_ms: optional_at(&self.duration_ms, row),
                country: text(&self.country),
                track_uri: text(&self.track_uri),
                reason_start: text(&self.reason_start),
                reason_end: text(&self.reason_end),
                shuffle: optional_at(&self.shuffle, row),
                skipped: optional_at(&self.skipped, row),
                offline: optional_at(&self.offline, row),
            },
            source_file: source_file.to_string(),
            source_line: self.source_line[row],
            song_id: self.song_id.get(row).map(SongId::new),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;

    #[test]
    fn listens_pushed_as_fields_read_back_as_the_same_listens() {
        let at = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let mut columns = ListenColumns::new(ListenSource::SpotifyExtended);
        let mut first =
            ListenFields::new("minji".into(), at.timestamp_micros(), "Ailee".into(), "첫눈처럼 너에게 가겠다".into());
        first.source_line = 3;
        first.album = Some("도깨비 OST".into());
        first.skipped = Some(true);
        let mut second =
            ListenFields::new("minji".into(), at.timestamp_micros(), "Gummy".into(), "You Are My Everything".into());
        second.source_line = 4;
        second.ms_played = Some(1200);
        columns.push(&first).unwrap();
        columns.push(&second).unwrap();
        let listens = columns.listens("history.json");
        assert_eq!(listens.len(), 2);
        assert_eq!((listens[0].track.as_str(), listens[0].source_line), ("첫눈처럼 너에게 가겠다", 3));
        assert_eq!(listens[0].playback.album.as_deref(), Some("도깨비 OST"));
        assert_eq!((listens[0].playback.skipped, listens[1].playback.ms_played), (Some(true), Some(1200)));
        assert_eq!((listens[1].playback.album.as_deref(), listens[1].listened_at), (None, at));
        // The album ends with the first listen, the only one with one; no listen names a country.
        assert_eq!((columns.album.len(), columns.album.missing(), columns.country.len()), (1, 0, 0));
        assert_eq!((columns.skipped.len(), columns.ms_played.len()), (1, 2));

        let mut third = first.clone();
        third.country = Some("KR".into());
        columns.push(&third).unwrap();
        assert_eq!((columns.country.len(), columns.country.missing()), (3, 2));
        assert_eq!((columns.album.len(), columns.album.missing()), (3, 1));
        let listens = columns.listens("history.json");
        assert_eq!(listens[2].playback.country.as_deref(), Some("KR"));
        assert_eq!(listens[2].playback.album.as_deref(), Some("도깨비 OST"));
        assert_eq!((listens[1].playback.skipped, listens[2].playback.skipped), (None, Some(true)));
    }

    #[test]
    fn unix_seconds_are_the_micros_chrono_gives_within_its_range() {
        let (earliest, latest) = (DateTime::<Utc>::MIN_UTC.timestamp(), DateTime::<Utc>::MAX_UTC.timestamp());
        let mut seconds = vec![i64::MIN, i64::MAX, 0, -1, 1_600_000_000, earliest - 1, latest + 1];
        seconds.extend([earliest, latest]);
        seconds.extend((0..2000).map(|step| earliest + step * ((latest - earliest) / 1999)));
        for seconds in seconds {
            let chrono = DateTime::from_timestamp(seconds, 0).map(|time| time.timestamp_micros());
            assert_eq!(unix_seconds_micros(seconds), chrono, "{seconds}");
        }
    }

    #[test]
    fn a_value_pushed_again_is_numbered_as_before_and_kept_once() {
        let mut column = TextColumn::default();
        for value in [Some("Ailee"), None, Some("에일리"), Some("Ailee"), Some(""), Some("에일리")] {
            column.push(value).unwrap();
        }
        assert_eq!(column.distinct(), 3);
        let keys: Vec<Option<u32>> = (0..column.len()).map(|row| column.key(row)).collect();
        assert_eq!(keys, [Some(0), None, Some(1), Some(0), Some(2), Some(1)]);
        let values: Vec<Option<&str>> = (0..column.len()).map(|row| column.get(row)).collect();
        assert_eq!(values, [Some("Ailee"), None, Some("에일리"), Some("Ailee"), Some(""), Some("에일리")]);
        assert_eq!((column.missing(), column.get(6), column.key(6)), (1, None, None));

        let song = column.number("Stay With Me").unwrap();
        assert_eq!((song, column.number("에일리").unwrap(), column.len()), (3, 1, 6), "numbered, in no row yet");
        column.push_number(Some(song));
        column.push_number(None);
        assert_eq!((column.get(6), column.get(7), column.missing()), (Some("Stay With Me"), None, 2));
        assert_eq!(
            (column.values.as_str(), column.ends.as_slice()),
            ("Ailee에일리Stay With Me", &[0, 5, 14, 14, 26][..])
        );
        assert_eq!((column.distinct_bytes(), column.keys.len()), (26, column.present.len()));
    }

    #[test]
    fn a_column_past_its_limit_refuses_the_value_and_keeps_what_it_had() {
        let mut column = TextColumn::with_limit(4);
        column.push(Some("a")).unwrap();
        column.push(None).unwrap();
        let kept = column.clone();
        column.push(Some("bcd")).unwrap();
        assert_eq!(column.push(Some("e")), Err(ColumnFull));
        column.push(Some("a")).unwrap();
        column.truncate(2);
        assert_eq!(column, kept);
        assert_eq!((column.get(0), column.get(1), column.get(2)), (Some("a"), None, None));

        let at = DateTime::from_timestamp(0, 0).unwrap();
        let mut columns = ListenColumns::new(ListenSource::LastFm);
        columns.track = TextColumn::with_limit(2);
        columns.push(&ListenFields::new("u".into(), at.timestamp_micros(), "A".into(), "T".into())).unwrap();
        let before = columns.clone();
        assert_eq!(
            columns.push(&ListenFields::new("v".into(), at.timestamp_micros(), "B".into(), "TT".into())),
            Err(ColumnFull)
        );
        assert_eq!(columns, before, "no column keeps a part of the refused listen");
    }
}
