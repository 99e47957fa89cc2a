//! Listens as columns: a listening log's listens appended field by field into one buffer per
//! column. A piece of a large log then costs a few allocations, not several a listen, and its
//! buffers become the store's Arrow arrays as they are, without a copy.

use std::borrow::Cow;

use chrono::{DateTime, Utc};

use crate::ids::SongId;
use crate::series::{Listen, ListenSource, Playback};

/// One listen as read from its log, its text borrowed from the file where it needs no unescaping;
/// the fields are those of [`Listen`] and its [`Playback`].
#[derive(Debug, Clone, PartialEq)]
pub struct ListenFields<'a> {
    pub user: Cow<'a, str>,
    pub listened_at: DateTime<Utc>,
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
    /// A listen that says who, when and what, and nothing of how it was played.
    pub fn new(user: Cow<'a, str>, listened_at: DateTime<Utc>, artist: Cow<'a, str>, track: Cow<'a, str>) -> Self {
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

/// A column of text, some of it maybe missing: every value's text one after another, and where
/// each ends, as Arrow lays out a string array (its offsets start at 0).
#[derive(Debug, Clone, PartialEq)]
pub struct TextColumn {
    text: String,
    offsets: Vec<i32>,
    present: Vec<bool>,
    missing: usize,
    /// The most text the column holds: what an offset can say.
    limit: usize,
}

impl Default for TextColumn {
    fn default() -> TextColumn {
        TextColumn::with_limit(i32::MAX as usize)
    }
}

/// A column would hold more text than an Arrow string array can address (2 GiB).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnFull;

impl TextColumn {
    fn with_limit(limit: usize) -> TextColumn {
        TextColumn { text: String::new(), offsets: vec![0], present: Vec::new(), missing: 0, limit }
    }

    pub fn len(&self) -> usize {
        self.present.len()
    }

    pub fn is_empty(&self) -> bool {
        self.present.is_empty()
    }

    /// Appends a value, or a missing one.
    pub fn push(&mut self, value: Option<&str>) -> Result<(), ColumnFull> {
        let text = value.unwrap_or_default();
        let end = self.text.len() + text.len();
        let end = i32::try_from(end).ok().filter(|_| end <= self.limit).ok_or(ColumnFull)?;
        self.text.push_str(text);
        self.offsets.push(end);
        self.present.push(value.is_some());
        self.missing += usize::from(value.is_none());
        Ok(())
    }

    /// The value at `row`; `None` where it is missing or past the end.
    pub fn get(&self, row: usize) -> Option<&str> {
        if !*self.present.get(row)? {
            return None;
        }
        let (start, end) = (self.offsets[row], self.offsets[row + 1]);
        self.text.get(usize::try_from(start).ok()?..usize::try_from(end).ok()?)
    }

    /// How many values are missing.
    pub fn missing(&self) -> usize {
        self.missing
    }

    /// The column's buffers: the text, where each value ends (from a leading 0), and which values
    /// are present.
    pub fn into_parts(self) -> (String, Vec<i32>, Vec<bool>) {
        (self.text, self.offsets, self.present)
    }

    /// Keeps the first `rows` values.
    fn truncate(&mut self, rows: usize) {
        if rows >= self.len() {
            return;
        }
        let end = usize::try_from(self.offsets[rows]).unwrap_or(0);
        self.text.truncate(end);
        self.offsets.truncate(rows + 1);
        self.missing -= self.present[rows..].iter().filter(|present| !**present).count();
        self.present.truncate(rows);
    }
}

/// Listens of one log as columns, in the order they were pushed; `song_id` is filled by matching,
/// after the reading.
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
        ListenColumns {
            source,
            user: TextColumn::default(),
            listened_at: Vec::new(),
            artist: TextColumn::default(),
            track: TextColumn::default(),
            source_line: Vec::new(),
            album: TextColumn::default(),
            ms_played: Vec::new(),
            duration_ms: Vec::new(),
            country: TextColumn::default(),
            track_uri: TextColumn::default(),
            reason_start: TextColumn::default(),
            reason_end: TextColumn::default(),
            shuffle: Vec::new(),
            skipped: Vec::new(),
            offline: Vec::new(),
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
            for column in self.text_columns() {
                column.truncate(rows);
            }
            return pushed;
        }
        self.listened_at.push(listen.listened_at.timestamp_micros());
        self.source_line.push(listen.source_line);
        self.ms_played.push(listen.ms_played);
        self.duration_ms.push(listen.duration_ms);
        self.shuffle.push(listen.shuffle);
        self.skipped.push(listen.skipped);
        self.offline.push(listen.offline);
        Ok(())
    }

    fn push_text(&mut self, listen: &ListenFields<'_>) -> Result<(), ColumnFull> {
        self.user.push(Some(&listen.user))?;
        self.artist.push(Some(&listen.artist))?;
        self.track.push(Some(&listen.track))?;
        self.album.push(listen.album.as_deref())?;
        self.country.push(listen.country.as_deref())?;
        self.track_uri.push(listen.track_uri.as_deref())?;
        self.reason_start.push(listen.reason_start.as_deref())?;
        self.reason_end.push(listen.reason_end.as_deref())
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
                ms_played: self.ms_played[row],
                duration_ms: self.duration_ms[row],
                country: text(&self.country),
                track_uri: text(&self.track_uri),
                reason_start: text(&self.reason_start),
                reason_end: text(&self.reason_end),
                shuffle: self.shuffle[row],
                skipped: self.skipped[row],
                offline: self.offline[row],
            },
            source_file: source_file.to_string(),
            source_line: self.source_line[row],
            song_id: self.song_id.get(row).map(SongId::new),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listens_pushed_as_fields_read_back_as_the_same_listens() {
        let at = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let mut columns = ListenColumns::new(ListenSource::SpotifyExtended);
        let mut first = ListenFields::new("minji".into(), at, "Ailee".into(), "첫눈처럼 너에게 가겠다".into());
        first.source_line = 3;
        first.album = Some("도깨비 OST".into());
        first.skipped = Some(true);
        let mut second = ListenFields::new("minji".into(), at, "Gummy".into(), "You Are My Everything".into());
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
        assert_eq!((columns.album.missing(), columns.country.missing()), (1, 2));
    }

    #[test]
    fn a_column_past_its_limit_refuses_the_value_and_keeps_what_it_had() {
        let mut column = TextColumn::with_limit(4);
        column.push(Some("a")).unwrap();
        column.push(None).unwrap();
        let kept = column.clone();
        column.push(Some("bcd")).unwrap();
        assert_eq!(column.push(Some("e")), Err(ColumnFull));
        column.truncate(2);
        assert_eq!(column, kept);
        assert_eq!((column.get(0), column.get(1), column.get(2)), (Some("a"), None, None));

        let at = DateTime::from_timestamp(0, 0).unwrap();
        let mut columns = ListenColumns::new(ListenSource::LastFm);
        columns.track = TextColumn::with_limit(2);
        columns.push(&ListenFields::new("u".into(), at, "A".into(), "T".into())).unwrap();
        let before = columns.clone();
        assert_eq!(columns.push(&ListenFields::new("v".into(), at, "B".into(), "TT".into())), Err(ColumnFull));
        assert_eq!(columns, before, "no column keeps a part of the refused listen");
    }
}
