//! A song's lyric as a chart gives it (Melon's year-end lists carry each song's lyric), with where
//! it was read.

/// One chart row's song and its lyric.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SongLyric {
    pub year: i32,
    pub singer: String,
    pub title: String,
    /// Whether the chart marks the song a drama OST (Melon: a genre with 국내드라마).
    pub is_ost: bool,
    /// Empty where the chart gives none.
    pub lyric: String,
    pub source_file: String,
    pub source_line: u64,
}
