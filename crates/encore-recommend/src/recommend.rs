//! A fitted model and what it answers: a listener's top items, OSTs of dramas a listener has never
//! played (with the listeners and songs that explain each), and songs like a song.

use std::collections::{BTreeSet, HashMap};

use encore_domain::Catalog;
use ndarray::{Array1, Array2, ArrayView1};
use serde::Serialize;

use crate::als::{fit, AlsConfig, Factors, Iteration};
use crate::cold::{features, ColdStart};
use crate::error::RecommendError;
use crate::source::Dataset;

/// The ridge μ of the cold-start regression.
pub const COLD_START_RIDGE: f64 = 1.0;

pub struct Recommender {
    pub data: Dataset,
    pub factors: Factors,
    pub config: AlsConfig,
    /// Items with no plays whose factors came from their context.
    pub cold: Vec<bool>,
    /// Item factors scaled to unit length, for cosine similarity.
    unit_items: Array2<f32>,
}

/// One recommended OST and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recommendation {
    pub rank: usize,
    pub item: String,
    pub song_id: Option<String>,
    pub title: String,
    pub artist: String,
    pub drama_id: Option<String>,
    pub drama: Option<String>,
    pub score: f32,
    /// True when nobody has played it yet and its factors come from its context.
    pub cold_start: bool,
    /// Songs of the listener's that listeners of this one also play, with how many do.
    pub because: Vec<Because>,
    /// The nearest songs by factor similarity.
    pub similar: Vec<Similar>,
    /// One sentence saying the above.
    pub explanation: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Because {
    pub item: String,
    pub title: String,
    pub co_listeners: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Similar {
    pub item: String,
    pub title: String,
    pub similarity: f32,
}

impl Recommender {
    /// Fits ALS on the plays; with a catalog, every catalog song without plays then gets its
    /// factors from its context ([`crate::cold`]), learned on the songs with plays.
    pub fn fit(
        data: Dataset,
        config: AlsConfig,
        catalog: Option<&Catalog>,
        on_iteration: impl FnMut(Iteration),
    ) -> Result<Recommender, RecommendError> {
        if data.plays.nonzeros() == 0 {
            return Err(RecommendError::NoPlays);
        }
        let mut factors = fit(&data.plays, &config, on_iteration);
        let mut cold = vec![false; data.plays.items.len()];
        if let Some(catalog) = catalog {
            cold_start(&data, catalog, &mut factors.items, &mut cold);
        }
        let unit_items = unit_rows(&factors.items);
        Ok(Recommender { data, factors, config, cold, unit_items })
    }

    pub fn user(&self, name: &str) -> Result<usize, RecommendError> {
        self.data.plays.user_index(name).ok_or_else(|| RecommendError::UnknownUser(name.to_string()))
    }

    /// Every item's score for a user: `x_u · y_i`.
    pub fn scores(&self, user: usize) -> Array1<f32> {
        self.factors.items.dot(&self.factors.users.row(user))
    }

    /// The user's `count` best items among those it has not played, best first.
    pub fn top_unplayed(&self, user: usize, count: usize) -> Vec<(usize, f32)> {
        let played: BTreeSet<u32> = self.data.plays.by_user.row(user).0.iter().copied().collect();
        top(self.scores(user).view(), count, |item| !played.contains(&(item as u32)))
    }

    /// OSTs of the dramas the listener has played no OST of, best first, each explained. A song
    /// nothing is known of (no plays, and none of its drama's or artists') is not recommended.
    pub fn for_non_viewer(
        &self,
        user: &str,
        catalog: &Catalog,
        count: usize,
    ) -> Result<Vec<Recommendation>, RecommendError> {
        let user = self.user(user)?;
        let drama_of = drama_of_items(&self.data, catalog);
        let (played, _) = self.data.plays.by_user.row(user);
        let seen: BTreeSet<&str> = played.iter().filter_map(|&item| drama_of[item as usize]).collect();
        let picks = top(self.scores(user).view(), count, |item| {
            drama_of[item].is_some_and(|drama| !seen.contains(drama)) && self.is_known(item)
        });
        Ok(picks
            .into_iter()
            .enumerate()
            .map(|(rank, (item, score))| self.recommendation(rank + 1, item, score, Some(user), catalog))
            .collect())
    }

    /// One item as a recommendation, with its reasons for `user` (if any).
    pub fn recommendation(
        &self,
        rank: usize,
        item: usize,
        score: f32,
        user: Option<usize>,
        catalog: &Catalog,
    ) -> Recommendation {
        let info = &self.data.items[item];
        let drama = info
            .song_id
            .as_deref()
            .and_then(|song| catalog.songs.iter().find(|candidate| candidate.id.as_str() == song))
            .and_then(|song| catalog.dramas.iter().find(|drama| drama.id == song.drama_id));
        let because = user.map(|user| self.because(user, item)).unwrap_or_default();
        let similar: Vec<Similar> = self
            .similar(item, 3, |other| other != item && !self.cold[other])
            .into_iter()
            .map(|(other, similarity)| Similar {
                item: self.data.plays.items[other].clone(),
                title: self.label(other),
                similarity,
            })
            .collect();
        let explanation = if self.cold[item] {
            let near = similar.iter().map(|similar| similar.title.as_str()).collect::<Vec<_>>().join(", ");
            format!("new: nobody has played it yet; placed by its drama, artists and release near {near}")
        } else if because.is_empty() {
            format!(
                "its listeners play what you play (nearest: {})",
                similar.first().map_or("", |similar| similar.title.as_str())
            )
        } else {
            let names: Vec<String> =
                because.iter().map(|because| format!("{} ({} of them)", because.title, because.co_listeners)).collect();
            format!("listeners of {} also play this", names.join(" and "))
        };
        Recommendation {
            rank,
            item: self.data.plays.items[item].clone(),
            song_id: info.song_id.clone(),
            title: info.title.clone(),
            artist: info.artist.clone(),
            drama_id: drama.map(|drama| drama.id.as_str().to_string()),
            drama: drama
                .map(|drama| if drama.title_en.is_empty() { drama.title_ko.clone() } else { drama.title_en.clone() }),
            score,
            cold_start: self.cold[item],
            because,
            similar,
            explanation,
        }
    }

    /// The user's two played items with the most listeners in common with `item`.
    fn because(&self, user: usize, item: usize) -> Vec<Because> {
        let (played, _) = self.data.plays.by_user.row(user);
        let mut shared: Vec<(usize, usize)> = played
            .iter()
            .map(|&other| (other as usize, self.co_listeners(other as usize, item)))
            .filter(|&(_, count)| count > 0)
            .collect();
        shared.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        shared
            .into_iter()
            .take(2)
            .map(|(other, co_listeners)| Because {
                item: self.data.plays.items[other].clone(),
                title: self.label(other),
                co_listeners,
            })
            .collect()
    }

    /// Whether the model places the item anywhere: false for a song with no plays whose drama and
    /// artists have none either (its factors are zero).
    pub fn is_known(&self, item: usize) -> bool {
        self.unit_items.row(item).iter().any(|value| *value != 0.0)
    }

    /// Listeners who played both items.
    pub fn co_listeners(&self, a: usize, b: usize) -> usize {
        let (first, _) = self.data.plays.by_item.row(a);
        let (second, _) = self.data.plays.by_item.row(b);
        let (mut i, mut j, mut both) = (0, 0, 0);
        while i < first.len() && j < second.len() {
            match first[i].cmp(&second[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    both += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        both
    }

    /// The `count` items most like `item` by cosine of factors, among those `keep` accepts.
    pub fn similar(&self, item: usize, count: usize, keep: impl Fn(usize) -> bool) -> Vec<(usize, f32)> {
        let scores = self.unit_items.dot(&self.unit_items.row(item));
        top(scores.view(), count, keep)
    }

    /// Cosine similarity of two items' factors.
    pub fn similarity(&self, a: usize, b: usize) -> f32 {
        self.unit_items.row(a).dot(&self.unit_items.row(b))
    }

    /// Unit-length factors of an item.
    pub fn unit_item(&self, item: usize) -> ArrayView1<'_, f32> {
        self.unit_items.row(item)
    }

    /// "Title — Artist" of an item.
    pub fn label(&self, item: usize) -> String {
        let info = &self.data.items[item];
        if info.artist.is_empty() {
            info.title.clone()
        } else {
            format!("{} — {}", info.title, info.artist)
        }
    }
}

/// Each item's drama id (catalog songs only).
pub fn drama_of_items<'c>(data: &Dataset, catalog: &'c Catalog) -> Vec<Option<&'c str>> {
    let drama_of: HashMap<&str, &str> =
        catalog.songs.iter().map(|song| (song.id.as_str(), song.drama_id.as_str())).collect();
    data.items.iter().map(|info| info.song_id.as_deref().and_then(|song| drama_of.get(song).copied())).collect()
}

/// Gives every catalog song with no plays factors from its context.
fn cold_start(data: &Dataset, catalog: &Catalog, items: &mut Array2<f32>, cold: &mut [bool]) {
    let songs: HashMap<&str, &encore_domain::Song> =
        catalog.songs.iter().map(|song| (song.id.as_str(), song)).collect();
    let described: Vec<Option<Vec<String>>> = data
        .items
        .iter()
        .map(|info| {
            let song = songs.get(info.song_id.as_deref()?)?;
            let mut names = features(song, catalog);
            names.extend(data.context.get(song.id.as_str()).into_iter().flatten().cloned());
            Some(names)
        })
        .collect();
    let played = |item: usize| !data.plays.by_item.row(item).0.is_empty();
    let warm = described
        .iter()
        .enumerate()
        .filter(|&(item, names)| names.is_some() && played(item))
        .filter_map(|(item, names)| names.as_deref().map(|names| (names, items.row(item))));
    let Some(model) = ColdStart::learn(warm, COLD_START_RIDGE) else { return };
    for (item, names) in described.iter().enumerate() {
        if let Some(names) = names {
            if !played(item) {
                if model.knows_something_of(names) {
                    items.row_mut(item).assign(&model.predict(names));
                } else {
                    items.row_mut(item).fill(0.0);
                }
                cold[item] = true;
            }
        }
    }
}

fn unit_rows(matrix: &Array2<f32>) -> Array2<f32> {
    let mut unit = matrix.clone();
    for mut row in unit.rows_mut() {
        let norm = row.dot(&row).sqrt();
        if norm > 0.0 {
            row /= norm;
        }
    }
    unit
}

/// The `count` highest scores among the indices `keep` accepts, best first (ties by index).
pub fn top(scores: ArrayView1<f32>, count: usize, keep: impl Fn(usize) -> bool) -> Vec<(usize, f32)> {
    let mut candidates: Vec<(usize, f32)> = scores
        .iter()
        .enumerate()
        .filter(|&(index, score)| score.is_finite() && keep(index))
        .map(|(index, &score)| (index, score))
        .collect();
    let order = |a: &(usize, f32), b: &(usize, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    if candidates.len() > count && count > 0 {
        candidates.select_nth_unstable_by(count - 1, order);
        candidates.truncate(count);
    }
    candidates.sort_by(order);
    candidates.truncate(count);
    candidates
}
