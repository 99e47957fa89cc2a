//! Playlists from a seed (a song, a drama's OSTs or an artist's songs) that balance likeness to
//! the seed and variety, by maximal marginal relevance (Carbonell & Goldstein 1998): each next song
//! maximises `(1 − v)·sim(song, seed) − v·max sim(song, chosen)`, `v` the variety weight, where
//! `sim` is the cosine of ALS factors and the seed's vector is the mean of its songs' unit factors.
//! The songs are the catalog's OSTs (played, or placed by their context; a song nothing is known
//! of is left out).

use std::fmt::Write as _;

use encore_domain::Catalog;
use ndarray::Array1;
use serde::Serialize;

use crate::error::RecommendError;
use crate::recommend::Recommender;

/// What a playlist grows from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Seed {
    Song(String),
    Drama(String),
    Artist(String),
}

impl Seed {
    /// Reads a seed: a song id, a drama id, then a song or drama title (English or Korean), then
    /// an artist's name, compared without case.
    pub fn resolve(text: &str, catalog: &Catalog) -> Result<Seed, RecommendError> {
        let wanted = text.trim().to_lowercase();
        let same = |other: &str| !other.is_empty() && other.trim().to_lowercase() == wanted;
        if let Some(song) = catalog.songs.iter().find(|song| same(song.id.as_str())) {
            return Ok(Seed::Song(song.id.as_str().to_string()));
        }
        if let Some(drama) = catalog.dramas.iter().find(|drama| same(drama.id.as_str())) {
            return Ok(Seed::Drama(drama.id.as_str().to_string()));
        }
        if let Some(song) = catalog.songs.iter().find(|song| same(&song.title_en) || same(&song.title_ko)) {
            return Ok(Seed::Song(song.id.as_str().to_string()));
        }
        if let Some(drama) = catalog.dramas.iter().find(|drama| same(&drama.title_en) || same(&drama.title_ko)) {
            return Ok(Seed::Drama(drama.id.as_str().to_string()));
        }
        if let Some(artist) = catalog.songs.iter().flat_map(|song| &song.artists).find(|artist| same(artist)) {
            return Ok(Seed::Artist(artist.clone()));
        }
        Err(RecommendError::UnknownSeed(text.to_string()))
    }

    fn songs<'c>(&self, catalog: &'c Catalog) -> Vec<&'c str> {
        catalog
            .songs
            .iter()
            .filter(|song| match self {
                Seed::Song(id) => song.id.as_str() == id,
                Seed::Drama(id) => song.drama_id.as_str() == id,
                Seed::Artist(name) => song.artists.iter().any(|artist| artist.to_lowercase() == name.to_lowercase()),
            })
            .map(|song| song.id.as_str())
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Playlist {
    pub seed: Seed,
    pub variety: f32,
    pub tracks: Vec<Track>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Track {
    pub position: usize,
    pub song_id: String,
    pub title: String,
    pub artist: String,
    pub drama: String,
    /// Cosine of the song's factors with the seed's.
    pub similarity: f32,
    /// The largest cosine with a song before it in the list (0 for the first).
    pub closest_before: f32,
    pub cold_start: bool,
    /// A playable address where the logs gave one.
    pub uri: Option<String>,
}

/// Builds a playlist of up to `length` OSTs.
pub fn playlist(
    recommender: &Recommender,
    catalog: &Catalog,
    seed: Seed,
    length: usize,
    variety: f32,
) -> Result<Playlist, RecommendError> {
    let item_of: std::collections::HashMap<&str, usize> = recommender
        .data
        .items
        .iter()
        .enumerate()
        .filter(|(item, _)| recommender.is_known(*item))
        .filter_map(|(item, info)| info.song_id.as_deref().map(|song| (song, item)))
        .collect();
    let seed_items: Vec<usize> = seed.songs(catalog).iter().filter_map(|song| item_of.get(song).copied()).collect();
    if seed_items.is_empty() {
        return Err(RecommendError::UnknownSeed(format!("{seed:?} (no song of it has factors)")));
    }
    let factors = recommender.factors.items.ncols();
    let mut center = Array1::<f32>::zeros(factors);
    for &item in &seed_items {
        center += &recommender.unit_item(item);
    }
    let norm = center.dot(&center).sqrt();
    if norm > 0.0 {
        center /= norm;
    }
    let mut candidates: Vec<usize> = item_of.values().copied().collect();
    candidates.sort_unstable();
    let relevance: Vec<f32> = candidates.iter().map(|&item| recommender.unit_item(item).dot(&center)).collect();
    let mut chosen: Vec<(usize, f32, f32)> = Vec::new();
    let mut closest = vec![0f32; candidates.len()];
    let mut taken = vec![false; candidates.len()];
    while chosen.len() < length.min(candidates.len()) {
        let best = (0..candidates.len()).filter(|&at| !taken[at]).max_by(|&a, &b| {
            let value = |at: usize| (1.0 - variety) * relevance[at] - variety * closest[at];
            value(a).total_cmp(&value(b)).then(b.cmp(&a))
        });
        let Some(best) = best else { break };
        taken[best] = true;
        chosen.push((candidates[best], relevance[best], closest[best]));
        for (at, &item) in candidates.iter().enumerate() {
            if !taken[at] {
                closest[at] = closest[at].max(recommender.similarity(item, candidates[best]));
            }
        }
    }
    let tracks = chosen
        .into_iter()
        .enumerate()
        .map(|(position, (item, similarity, closest_before))| {
            let info = &recommender.data.items[item];
            let song_id = info.song_id.clone().unwrap_or_default();
            let drama = catalog
                .songs
                .iter()
                .find(|song| song.id.as_str() == song_id)
                .and_then(|song| catalog.dramas.iter().find(|drama| drama.id == song.drama_id))
                .map(|drama| if drama.title_en.is_empty() { drama.title_ko.clone() } else { drama.title_en.clone() })
                .unwrap_or_default();
            Track {
                position: position + 1,
                song_id,
                title: info.title.clone(),
                artist: info.artist.clone(),
                drama,
                similarity,
                closest_before: if position == 0 { 0.0 } else { closest_before },
                cold_start: recommender.cold[item],
                uri: info.uri.clone(),
            }
        })
        .collect();
    Ok(Playlist { seed, variety, tracks })
}

impl Playlist {
    pub fn to_csv(&self) -> String {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let _ = writer.write_record([
            "position",
            "song_id",
            "title",
            "artist",
            "drama",
            "similarity",
            "closest_before",
            "cold_start",
            "uri",
        ]);
        for track in &self.tracks {
            let _ = writer.write_record([
                track.position.to_string(),
                track.song_id.clone(),
                track.title.clone(),
                track.artist.clone(),
                track.drama.clone(),
                format!("{:.4}", track.similarity),
                format!("{:.4}", track.closest_before),
                track.cold_start.to_string(),
                track.uri.clone().unwrap_or_default(),
            ]);
        }
        String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
    }

    /// Extended M3U: a `#EXTINF` line per track, then where to play it: the logs' Spotify URI, or a
    /// Spotify search for the artist and title.
    pub fn to_m3u(&self) -> String {
        let mut text = String::from("#EXTM3U\n#PLAYLIST:Encore OSTs\n");
        for track in &self.tracks {
            let name = format!("{} - {}", track.artist, track.title).replace(['\n', '\r'], " ");
            let _ = writeln!(text, "#EXTINF:-1,{name}");
            match &track.uri {
                Some(uri) => {
                    let _ = writeln!(text, "{uri}");
                }
                None => {
                    let _ = writeln!(
                        text,
                        "https://open.spotify.com/search/{}",
                        percent_encode(&format!("{} {}", track.artist, track.title))
                    );
                }
            }
        }
        text
    }
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => char::from(byte).to_string(),
            _ => format!("%{byte:02X}"),
        })
        .collect()
}
