//! Recommendations on generated listening logs whose tastes are known: each listener is in a
//! taste cluster that watches some dramas twice as often as the others. Recommending OSTs of
//! dramas a listener has not played should favour its cluster's dramas, which popularity cannot
//! know; a song held out of training should still land near its drama's songs.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use encore_domain::Catalog;
use encore_listeners::generator::{generate, taste_cluster, GeneratorConfig, Model};
use encore_recommend::recommend::{drama_of_items, top};
use encore_recommend::{playlist, source, AlsConfig, Recommender, Seed};
use encore_store::{SourceFile, Store};

fn catalog() -> Catalog {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../catalog");
    encore_ingest::read_catalog(&folder).unwrap().catalog
}

struct Generated {
    _folder: tempfile::TempDir,
    store: Store,
    model: Arc<Model>,
    catalog: Catalog,
}

fn generated(listeners: u64) -> Generated {
    let catalog = catalog();
    let config =
        GeneratorConfig { listeners, sessions_per_day: 0.15, background_tracks: 3_000, ..GeneratorConfig::demo() };
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(&folder.path().join("store")).unwrap();
    let model = Arc::new(Model::new(config.clone(), &catalog));
    assert_eq!(model.dramas.len(), 6, "the demo's six dramas have songs and airings");
    let source = SourceFile { path: config.source_name(), content: "test".into() };
    store.append_listen_batches(source, generate(&model)).unwrap();
    Generated { _folder: folder, store, model, catalog }
}

fn config() -> AlsConfig {
    AlsConfig { factors: 16, iterations: 10, threads: 2, ..AlsConfig::default() }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn non_viewer_recommendations_follow_the_listeners_taste_better_than_popularity() {
    let generated = generated(1_500);
    let context = generated.store.session().await.unwrap();
    let data = source::from_listens(&context, &generated.catalog).await.unwrap();
    let recommender = Recommender::fit(data, config(), Some(&generated.catalog), |_| {}).unwrap();
    let drama_of = drama_of_items(&recommender.data, &generated.catalog);
    let popularity = ndarray::Array1::from(recommender.data.plays.item_totals());
    let generated_dramas: BTreeSet<&str> = generated.model.dramas.iter().map(|drama| drama.id.as_str()).collect();

    let (mut listeners, mut als_hits, mut popular_hits, mut chance) = (0, 0, 0, 0.0);
    let dramas_of_user = |user: usize| -> BTreeSet<&str> {
        recommender.data.plays.by_user.row(user).0.iter().filter_map(|&item| drama_of[item as usize]).collect()
    };
    let mut together: HashMap<(&str, &str), usize> = HashMap::new();
    let mut listeners_of: HashMap<&str, usize> = HashMap::new();
    for user in 0..recommender.data.plays.users.len() {
        let played = dramas_of_user(user);
        for &drama in &played {
            *listeners_of.entry(drama).or_default() += 1;
            for &other in &played {
                *together.entry((drama, other)).or_default() += 1;
            }
        }
    }
    let mut co_hits = 0usize;
    for (index, user) in recommender.data.plays.users.iter().enumerate() {
        let number: u64 = user.trim_start_matches("listener-").parse().unwrap();
        let favoured: BTreeSet<&str> =
            generated.model.favoured_dramas(taste_cluster(&generated.model, number)).into_iter().collect();
        let played = dramas_of_user(index);
        let unplayed: Vec<&str> = generated_dramas.difference(&played).copied().collect();
        // Only listeners with a choice to make: an unplayed drama of their taste and one not.
        if !unplayed.iter().any(|drama| favoured.contains(drama))
            || unplayed.iter().all(|drama| favoured.contains(drama))
        {
            continue;
        }
        listeners += 1;
        // For scale: the unplayed drama most often played by the listeners of its played ones.
        let co_played = |drama: &str| -> f64 {
            played
                .iter()
                .filter_map(|other| {
                    together.get(&(*other, drama)).map(|both| *both as f64 / listeners_of[other] as f64)
                })
                .sum()
        };
        let best = unplayed.iter().copied().max_by(|a, b| co_played(a).total_cmp(&co_played(b)).then(b.cmp(a)));
        co_hits += usize::from(best.is_some_and(|best| favoured.contains(best)));
        // The first recommendation of a drama whose tastes the model knows (a song of another
        // drama, placed by an artist it shares, is a fair pick but outside the test).
        let recommendations = recommender.for_non_viewer(user, &generated.catalog, 40).unwrap();
        assert!(recommendations.iter().all(|pick| !played.contains(pick.drama_id.as_deref().unwrap())));
        let first = recommendations
            .iter()
            .filter_map(|pick| pick.drama_id.as_deref())
            .find(|drama| generated_dramas.contains(drama))
            .unwrap();
        als_hits += usize::from(favoured.contains(first));
        chance += unplayed.iter().filter(|drama| favoured.contains(*drama)).count() as f64 / unplayed.len() as f64;
        let popular = top(popularity.view(), 1, |item| drama_of[item].is_some_and(|drama| !played.contains(drama)));
        popular_hits += usize::from(drama_of[popular[0].0].is_some_and(|drama| favoured.contains(drama)));
    }
    assert!(listeners > 200, "{listeners} listeners with a choice");
    let (als, popular) = (als_hits as f64 / listeners as f64, popular_hits as f64 / listeners as f64);
    let chance = chance / listeners as f64;
    let co_played = co_hits as f64 / listeners as f64;
    eprintln!(
        "{listeners} listeners; first pick of the listener's taste: ALS {als:.3}, popularity {popular:.3}, \
         drama co-listening {co_played:.3}, chance {chance:.3}"
    );
    // A favoured drama is five times as likely to be watched; the first pick should lean to it,
    // which popularity cannot (it is below chance: the listener has already played the popular
    // dramas of its taste).
    assert!(als > chance + 0.08, "ALS picks a drama of the listener's taste for {als:.3} (chance {chance:.3})");
    assert!(als > popular + 0.1, "ALS {als:.3} vs popularity {popular:.3}");

    // Every recommendation explains itself with songs the listener plays.
    let user = &recommender.data.plays.users[0];
    let recommendations = recommender.for_non_viewer(user, &generated.catalog, 5).unwrap();
    let warm = recommendations.iter().find(|recommendation| !recommendation.cold_start).unwrap();
    assert!(!warm.because.is_empty() && warm.explanation.starts_with("listeners of"), "{warm:?}");
    assert_eq!(warm.similar.len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_song_held_out_of_training_lands_among_its_dramas_songs() {
    let generated = generated(600);
    let context = generated.store.session().await.unwrap();
    let full = source::from_listens(&context, &generated.catalog).await.unwrap();
    // Hold out each drama's second most played song: its listens are dropped, its column stays.
    let drama_of = drama_of_items(&full, &generated.catalog);
    let totals = full.plays.item_totals();
    let mut by_drama: HashMap<&str, Vec<usize>> = HashMap::new();
    for (item, drama) in drama_of.iter().enumerate() {
        if let Some(drama) = drama {
            if totals[item] > 0.0 {
                by_drama.entry(drama).or_default().push(item);
            }
        }
    }
    let mut held: Vec<usize> = Vec::new();
    for items in by_drama.values_mut() {
        items.sort_by(|a, b| totals[*b].total_cmp(&totals[*a]));
        if items.len() >= 3 {
            held.push(items[1]);
        }
    }
    assert!(held.len() >= 3, "{held:?}");
    let held_keys: BTreeSet<&str> = held.iter().map(|&item| full.plays.items[item].as_str()).collect();
    let mut builder = encore_recommend::PlaysBuilder::default();
    for (user, name) in full.plays.users.iter().enumerate() {
        let (items, counts) = full.plays.by_user.row(user);
        for (&item, &count) in items.iter().zip(counts) {
            let key = full.plays.items[item as usize].as_str();
            if held_keys.contains(key) {
                builder.add_item(key);
            } else {
                builder.add(name, key, count);
            }
        }
    }
    for song in &generated.catalog.songs {
        builder.add_item(song.id.as_str());
    }
    let plays = builder.build();
    let items = plays.items.iter().map(|key| full.items[full.plays.item_index()[key.as_str()]].clone()).collect();
    let training = source::Dataset { plays, items, context: full.context.clone() };
    let recommender = Recommender::fit(training, config(), Some(&generated.catalog), |_| {}).unwrap();
    let drama_of = drama_of_items(&recommender.data, &generated.catalog);
    for key in held_keys {
        let item = recommender.data.plays.item_index()[key];
        assert!(recommender.cold[item], "{key} has no plays in training");
        // Its nearest warm song is of its own drama.
        let nearest = recommender.similar(item, 1, |other| other != item && !recommender.cold[other]);
        assert_eq!(
            drama_of[nearest[0].0], drama_of[item],
            "{key}: nearest {}",
            recommender.data.plays.items[nearest[0].0]
        );
    }

    // A playlist from a drama: its length, no song twice, the seed's songs first.
    let seed = Seed::resolve("Business Proposal", &generated.catalog).unwrap();
    assert_eq!(seed, Seed::Drama("business_proposal".into()));
    let list = playlist(&recommender, &generated.catalog, seed, 12, 0.3).unwrap();
    assert_eq!(list.tracks.len(), 12);
    let distinct: BTreeSet<&str> = list.tracks.iter().map(|track| track.song_id.as_str()).collect();
    assert_eq!(distinct.len(), 12);
    assert_eq!(list.tracks[0].drama, "Business Proposal");
    assert!(list.tracks.windows(2).all(|pair| pair[1].position == pair[0].position + 1));
    let m3u = list.to_m3u();
    assert!(m3u.starts_with("#EXTM3U\n") && m3u.matches("#EXTINF:").count() == 12, "{m3u}");
    let csv = list.to_csv();
    assert_eq!(csv.lines().count(), 13);
    // More variety, less likeness to the seed on average.
    let varied = playlist(&recommender, &generated.catalog, Seed::Drama("business_proposal".into()), 12, 0.9).unwrap();
    let mean_similarity =
        |list: &encore_recommend::Playlist| list.tracks.iter().map(|track| track.similarity).sum::<f32>() / 12.0;
    assert!(mean_similarity(&varied) <= mean_similarity(&list) + 1e-6);
}

#[test]
fn a_play_count_file_with_a_bad_row_keeps_the_good_ones() {
    let parsed =
        encore_ingest::parse_play_counts(b"userId,itemId,count\na,x,3\nb,x,oops\nb,y,2\nc,y,1\nc,x,1\n", "plays.csv");
    assert_eq!(parsed.rows.len(), 4);
    assert_eq!(parsed.rejected.len(), 1);
    let data = source::from_counts(&parsed.rows, None);
    let recommender =
        Recommender::fit(data, AlsConfig { factors: 2, iterations: 5, ..AlsConfig::default() }, None, |_| {}).unwrap();
    let a = recommender.user("a").unwrap();
    assert_eq!(recommender.top_unplayed(a, 5).len(), 1, "a has one item left to hear");
    assert!(recommender.user("nobody").is_err());
}
