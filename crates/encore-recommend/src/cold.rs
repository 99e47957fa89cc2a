//! Factors for a song nobody has played yet, from what the catalog says of it.
//!
//! Each song is described by binary features: its drama, each of its artists, the drama's
//! network, its OST part (1, 2, 3, 4-6, 7 and later), when it came out against the broadcast
//! (before the premiere, on air, after the finale), its year, and whatever else the caller adds
//! (lyrics motifs, songs it charted beside). A ridge regression learned on the songs that have
//! plays maps features to factors: `W = (FᵀF + μI)⁻¹ FᵀY`, rows of `F` scaled to unit length, `Y`
//! the warm songs' ALS factors, solved by conjugate gradient (the system is small: one unknown a
//! feature). A new song's factors are its features times `W`: a new OST of a drama whose other
//! songs are played lands among them, one by a known vocalist near that vocalist's songs. A song
//! whose drama and artists have no plays at all gets no factors: nothing particular is known of it.

use std::collections::{BTreeMap, HashMap};

use encore_domain::{Catalog, Song};
use ndarray::{Array1, Array2, ArrayView1};

/// The features of one catalog song, as names.
pub fn features(song: &Song, catalog: &Catalog) -> Vec<String> {
    let mut names = vec!["all".to_string(), format!("drama:{}", song.drama_id.as_str())];
    for artist in &song.artists {
        names.push(format!("artist:{}", artist.trim().to_lowercase()));
    }
    let part = match song.ost_part {
        None => "none",
        Some(1) => "1",
        Some(2) => "2",
        Some(3) => "3",
        Some(4..=6) => "4-6",
        Some(_) => "7+",
    };
    names.push(format!("part:{part}"));
    let drama = catalog.dramas.iter().find(|drama| drama.id == song.drama_id);
    if let Some(drama) = drama {
        if !drama.network.is_empty() {
            names.push(format!("network:{}", drama.network.to_lowercase()));
        }
    }
    let premiere = drama.and_then(|drama| drama.premiere);
    let finale = drama.and_then(|drama| drama.finale);
    let timing = match (song.release_date, premiere, finale) {
        (Some(release), Some(premiere), _) if release < premiere => "before-premiere",
        (Some(release), _, Some(finale)) if release > finale => "after-finale",
        (Some(_), Some(_), _) => "on-air",
        _ => "unknown",
    };
    names.push(format!("timing:{timing}"));
    if let Some(year) = song.release_date.or(premiere).map(|day| chrono::Datelike::year(&day)) {
        names.push(format!("year:{year}"));
    }
    names
}

/// The learned map from features to factors.
#[derive(Debug, Clone)]
pub struct ColdStart {
    index: HashMap<String, usize>,
    weights: Array2<f64>,
}

impl ColdStart {
    /// Learns from the warm songs' features and factors; `ridge` is μ.
    pub fn learn<'a>(
        warm: impl IntoIterator<Item = (&'a [String], ArrayView1<'a, f32>)>,
        ridge: f64,
    ) -> Option<ColdStart> {
        let warm: Vec<(&[String], ArrayView1<f32>)> = warm.into_iter().collect();
        let factors = warm.first()?.1.len();
        let names: BTreeMap<&str, ()> =
            warm.iter().flat_map(|(names, _)| names.iter().map(|name| (name.as_str(), ()))).collect();
        let index: HashMap<String, usize> = names.keys().enumerate().map(|(at, name)| (name.to_string(), at)).collect();
        let width = index.len();
        let mut normal = Array2::<f64>::zeros((width, width));
        let mut right = Array2::<f64>::zeros((width, factors));
        for (names, factors_of) in &warm {
            let columns: Vec<usize> = names.iter().filter_map(|name| index.get(name).copied()).collect();
            let scale = 1.0 / (columns.len().max(1) as f64);
            for &a in &columns {
                for &b in &columns {
                    normal[[a, b]] += scale;
                }
                for (factor, value) in factors_of.iter().enumerate() {
                    right[[a, factor]] += scale.sqrt() * f64::from(*value);
                }
            }
        }
        normal.diag_mut().mapv_inplace(|value| value + ridge);
        let mut weights = Array2::<f64>::zeros((width, factors));
        for factor in 0..factors {
            let solution = conjugate_gradient(&normal, right.column(factor), width.max(1) * 2);
            weights.column_mut(factor).assign(&solution);
        }
        Some(ColdStart { index, weights })
    }

    /// Whether the song's drama or one of its artists was seen in training. Without either, the
    /// generic features (part, year, network) and the songs it charted beside would place it near
    /// the average popular song, as if known: such a song gets no factors. (Charting beside the
    /// same hits is common to most songs of a season; it moves a song, it does not identify one.)
    pub fn knows_something_of(&self, names: &[String]) -> bool {
        names.iter().any(|name| {
            ["drama:", "artist:"].iter().any(|prefix| name.starts_with(prefix)) && self.index.contains_key(name)
        })
    }

    /// The factors of a song with these features (features never seen in training count nothing).
    pub fn predict(&self, names: &[String]) -> Array1<f32> {
        let columns: Vec<usize> = names.iter().filter_map(|name| self.index.get(name).copied()).collect();
        let scale = 1.0 / (columns.len().max(1) as f64).sqrt();
        let mut factors = Array1::<f64>::zeros(self.weights.ncols());
        for column in columns {
            factors.scaled_add(scale, &self.weights.row(column));
        }
        factors.mapv(|value| value as f32)
    }
}

/// Solves `A x = b` for a symmetric positive definite `A`.
fn conjugate_gradient(matrix: &Array2<f64>, right: ArrayView1<f64>, steps: usize) -> Array1<f64> {
    let mut x = Array1::<f64>::zeros(right.len());
    let mut residual = right.to_owned();
    let mut direction = residual.clone();
    let mut old = residual.dot(&residual);
    for _ in 0..steps {
        if old < 1e-24 {
            break;
        }
        let product = matrix.dot(&direction);
        let step = old / direction.dot(&product);
        x.scaled_add(step, &direction);
        residual.scaled_add(-step, &product);
        let new = residual.dot(&residual);
        direction = &residual + &(new / old * &direction);
        old = new;
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn conjugate_gradient_solves_a_small_system() {
        let matrix = array![[4.0, 1.0, 0.0], [1.0, 3.0, 1.0], [0.0, 1.0, 2.0]];
        let x = conjugate_gradient(&matrix, array![1.0, 2.0, 3.0].view(), 6);
        let back = matrix.dot(&x);
        for (got, want) in back.iter().zip([1.0, 2.0, 3.0]) {
            assert!((got - want).abs() < 1e-9, "{back}");
        }
    }

    #[test]
    fn a_new_song_lands_near_the_songs_that_share_its_features() {
        let names = |list: &[&str]| list.iter().map(|name| name.to_string()).collect::<Vec<_>>();
        let a = names(&["all", "drama:a", "artist:x"]);
        let b = names(&["all", "drama:b", "artist:y"]);
        let up = array![1.0f32, 0.0];
        let right = array![0.0f32, 1.0];
        let warm = vec![(a.as_slice(), up.view()), (a.as_slice(), up.view()), (b.as_slice(), right.view())];
        let model = ColdStart::learn(warm, 0.1).unwrap();
        let new_of_a = model.predict(&names(&["all", "drama:a", "artist:z"]));
        assert!(new_of_a[0] > 0.5 && new_of_a[0] > 3.0 * new_of_a[1].abs(), "{new_of_a}");
        let new_of_b = model.predict(&names(&["all", "drama:b"]));
        assert!(new_of_b[1] > new_of_b[0], "{new_of_b}");
    }

    #[test]
    fn a_new_drama_of_a_known_artist_is_placed_by_the_songs_it_charted_beside() {
        let names = |list: &[&str]| list.iter().map(|name| name.to_string()).collect::<Vec<_>>();
        // The artist sang for both kinds of drama: only the charts tell the new song's kind.
        let a = names(&["all", "drama:a", "artist:p", "cochart:hit"]);
        let b = names(&["all", "drama:b", "artist:p", "cochart:other"]);
        let up = array![1.0f32, 0.0];
        let right = array![0.0f32, 1.0];
        let warm = vec![(a.as_slice(), up.view()), (b.as_slice(), right.view())];
        let model = ColdStart::learn(warm, 0.1).unwrap();
        let charted = names(&["all", "drama:new", "artist:p", "cochart:hit"]);
        assert!(model.knows_something_of(&charted));
        let placed = model.predict(&charted);
        assert!(placed[0] > 2.0 * placed[1].abs(), "{placed}");
        // Charts alone do not make a song known.
        assert!(!model.knows_something_of(&names(&["all", "drama:new", "artist:new", "cochart:hit"])));
    }

    #[test]
    fn a_known_vocalists_new_song_is_placed_by_its_lyrics_motifs() {
        let names = |list: &[&str]| list.iter().map(|name| name.to_string()).collect::<Vec<_>>();
        // The vocalist's seasonal songs are played by one crowd, the songs of parting by another.
        let season = names(&["all", "drama:a", "artist:p", "lyrics:season-and-weather"]);
        let parting = names(&["all", "drama:b", "artist:p", "lyrics:distance-and-parting"]);
        let up = array![1.0f32, 0.0];
        let right = array![0.0f32, 1.0];
        let warm = vec![(season.as_slice(), up.view()), (parting.as_slice(), right.view())];
        let model = ColdStart::learn(warm, 0.1).unwrap();
        let new_song = names(&["all", "drama:new", "artist:p", "lyrics:distance-and-parting"]);
        let placed = model.predict(&new_song);
        assert!(placed[1] > 2.0 * placed[0].abs(), "{placed}");
        // Without its lyric, the same song sits between the two.
        let unknown = model.predict(&names(&["all", "drama:new", "artist:p"]));
        assert!((unknown[0] - unknown[1]).abs() < 1e-6, "{unknown}");
        // A lyric alone does not make a song known.
        assert!(!model.knows_something_of(&names(&["all", "drama:new", "artist:q", "lyrics:distance-and-parting"])));
    }
}
