//! The JSON shapes of the recommendation answers (`/api/recommend/listeners`, `/api/recommend`,
//! `/api/playlist`), built from `encore_recommend`'s types. As with the listener answers, the
//! recommender's types are not the API: every field the dashboard reads is named here, so renaming
//! one in the recommender is a compile error here, not a silent change of the API.

use serde::Serialize;

use encore_recommend::playlist::Track;
use encore_recommend::recommend::{Because, Similar};
use encore_recommend::{AlsConfig, Playlist, Recommendation, Recommender, Seed};

/// The listeners one may ask recommendations for, most plays first.
#[derive(Debug, Clone, Serialize)]
pub struct ListenerChoicesView {
    pub listeners: Vec<ListenerChoice>,
    /// Every listener of the model, beyond the `limit` listed.
    pub total: usize,
    /// True when every listen came from Encore's generator: the listeners are made up.
    pub generated: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListenerChoice {
    pub user: String,
    /// The listener's plays the model learned from.
    pub plays: u64,
}

/// One listener's recommendations and the model that made them.
#[derive(Debug, Clone, Serialize)]
pub struct RecommendationsView {
    pub user: String,
    pub generated: bool,
    pub recommendations: Vec<RecommendationView>,
    pub model: ModelView,
}

/// The fitted model's settings and size.
#[derive(Debug, Clone, Serialize)]
pub struct ModelView {
    pub factors: usize,
    pub regularization: f32,
    pub alpha: f32,
    pub iterations: usize,
    pub listeners: usize,
    /// Items the model places: catalog songs (played or not) and the logs' other tracks.
    pub songs: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecommendationView {
    pub rank: usize,
    pub item: String,
    pub song_id: Option<String>,
    pub title: String,
    pub artist: String,
    pub drama_id: Option<String>,
    pub drama: Option<String>,
    pub score: f32,
    /// Nobody has played it yet: its place comes from its drama, artists and release.
    pub cold_start: bool,
    pub because: Vec<BecauseView>,
    pub similar: Vec<SimilarView>,
    pub explanation: String,
}

/// A song of the listener's that listeners of the recommended song also play.
#[derive(Debug, Clone, Serialize)]
pub struct BecauseView {
    pub item: String,
    pub title: String,
    pub co_listeners: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct SimilarView {
    pub item: String,
    pub title: String,
    pub similarity: f32,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlaylistView {
    pub seed: SeedView,
    pub variety: f32,
    pub generated: bool,
    pub tracks: Vec<TrackView>,
}

/// What the playlist grew from, as the seed text was read.
#[derive(Debug, Clone, Serialize)]
pub struct SeedView {
    /// `song`, `drama` or `artist`.
    pub kind: &'static str,
    /// The song's or drama's id, or the artist's name.
    pub id: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrackView {
    pub position: usize,
    pub song_id: String,
    pub title: String,
    pub artist: String,
    pub drama: String,
    pub similarity: f32,
    pub closest_before: f32,
    pub cold_start: bool,
    pub uri: Option<String>,
}

/// Every listener of the model with its plays, most first (ties by name).
pub fn listener_choices(recommender: &Recommender) -> Vec<ListenerChoice> {
    let plays = &recommender.data.plays;
    let mut choices: Vec<ListenerChoice> = plays
        .users
        .iter()
        .enumerate()
        .map(|(index, user)| {
            let (_, counts) = plays.by_user.row(index);
            ListenerChoice {
                user: user.clone(),
                plays: counts.iter().map(|&count| f64::from(count)).sum::<f64>() as u64,
            }
        })
        .collect();
    choices.sort_by(|left, right| right.plays.cmp(&left.plays).then_with(|| left.user.cmp(&right.user)));
    choices
}

pub fn model_view(recommender: &Recommender) -> ModelView {
    let AlsConfig { factors, regularization, alpha, iterations, .. } = recommender.config;
    ModelView {
        factors,
        regularization,
        alpha,
        iterations,
        listeners: recommender.data.plays.users.len(),
        songs: recommender.data.plays.items.len(),
    }
}

/// The answer of `/api/recommend` for `user`.
pub fn recommendations_view(
    user: String,
    recommendations: Vec<Recommendation>,
    model: ModelView,
    generated: bool,
) -> RecommendationsView {
    RecommendationsView {
        user,
        generated,
        recommendations: recommendations.into_iter().map(recommendation_view).collect(),
        model,
    }
}

fn recommendation_view(recommendation: Recommendation) -> RecommendationView {
    let Recommendation {
        rank,
        item,
        song_id,
        title,
        artist,
        drama_id,
        drama,
        score,
        cold_start,
        because,
        similar,
        explanation,
    } = recommendation;
    RecommendationView {
        rank,
        item,
        song_id,
        title,
        artist,
        drama_id,
        drama,
        score,
        cold_start,
        because: because
            .into_iter()
            .map(|Because { item, title, co_listeners }| BecauseView { item, title, co_listeners })
            .collect(),
        similar: similar
            .into_iter()
            .map(|Similar { item, title, similarity }| SimilarView { item, title, similarity })
            .collect(),
        explanation,
    }
}

/// The answer of `/api/playlist?format=json`.
pub fn playlist_view(playlist: Playlist, generated: bool) -> PlaylistView {
    let Playlist { seed, variety, tracks } = playlist;
    PlaylistView { seed: seed_view(seed), variety, generated, tracks: tracks.into_iter().map(track_view).collect() }
}

/// A seed's kind spelled here, so that the API does not follow a rename in the recommender.
fn seed_view(seed: Seed) -> SeedView {
    let (kind, id) = match seed {
        Seed::Song(id) => ("song", id),
        Seed::Drama(id) => ("drama", id),
        Seed::Artist(name) => ("artist", name),
    };
    SeedView { kind, id }
}

fn track_view(track: Track) -> TrackView {
    let Track { position, song_id, title, artist, drama, similarity, closest_before, cold_start, uri } = track;
    TrackView { position, song_id, title, artist, drama, similarity, closest_before, cold_start, uri }
}
