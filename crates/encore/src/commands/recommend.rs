//! `encore recommend` and `encore playlist`: OSTs for listeners who never watched their drama, and
//! playlists grown from a song, a drama or an artist, from implicit-feedback ALS over the store's
//! listens or any play-count file.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::time::Instant;

use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};

use encore_domain::Catalog;
use encore_lyrics::catalog_song_motifs;
use encore_recommend::evaluate::{mean, score, Metrics};
use encore_recommend::{source, AlsConfig, Iteration, Playlist, RecommendError, Recommender, Seed};

use super::catalog::stored_catalog;
use super::lyrics::read_lyrics;
use super::new_file::{refuse_existing, write_new};
use super::table::{Align, TextTable};
use super::{StoreArgs, UserInput};

/// The model's settings, shared by both commands (names as in the `implicit` library).
#[derive(Debug, Clone, Args)]
struct ModelArgs {
    /// Latent factors a listener and a song get.
    #[arg(long, default_value_t = 64)]
    factors: usize,
    /// λ: how strongly factors are pulled toward zero.
    #[arg(long, default_value_t = 0.05)]
    regularization: f32,
    /// α in the confidence 1 + α·plays that a listener likes what it played.
    #[arg(long, default_value_t = 10.0)]
    alpha: f32,
    /// Alternating rounds (users from songs, then songs from users).
    #[arg(long, default_value_t = 15)]
    iterations: usize,
    /// Conjugate-gradient steps per solve.
    #[arg(long, default_value_t = 3)]
    cg_steps: usize,
    /// The seed of the initial factors: the same seed gives the same answer on any core count.
    #[arg(long, value_name = "N", default_value_t = 42)]
    random_seed: u64,
    /// Worker threads (0: one per core).
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Learn from this play-count file instead of the store's listens: CSV, TSV or a workbook
    /// with a user column and an item column (or artist and track), and optionally a count
    /// (user,item,plays; header spellings as `user_id`, `track_id`, `playcount` work too; a row
    /// without a count is one play). Items that are catalog song ids count as those songs.
    #[arg(long, value_name = "FILE")]
    plays: Option<PathBuf>,
    /// The data folder holding melon-year-end/, or that folder itself: a catalog song's lyric
    /// there adds its motif families to what places the song when nobody has played it yet.
    /// Default: `data` in the nearest encore.toml, else $ENCORE_HOME/data; without lyrics there,
    /// songs are placed without them.
    #[arg(long, value_name = "FOLDER")]
    data: Option<PathBuf>,
    #[command(flatten)]
    store: StoreArgs,
}

impl ModelArgs {
    fn config(&self) -> AlsConfig {
        AlsConfig {
            factors: self.factors.max(1),
            regularization: self.regularization,
            alpha: self.alpha,
            iterations: self.iterations,
            cg_steps: self.cg_steps,
            seed: self.random_seed,
            threads: self.threads,
        }
    }

    /// The play counts and the catalog (from the store; a play-count file needs no store), with
    /// the catalog songs' lyric features where the data folder has their lyrics.
    fn load(&self) -> anyhow::Result<(source::Dataset, Option<Catalog>)> {
        let (mut data, catalog) = self.read_plays()?;
        if let Some(catalog) = &catalog {
            let lyrics = read_lyrics(self.data.as_deref())?;
            for (song_id, motifs) in catalog_song_motifs(catalog, &lyrics.rows) {
                data.add_context(song_id.as_str(), motifs.feature_names());
            }
        }
        Ok((data, catalog))
    }

    fn read_plays(&self) -> anyhow::Result<(source::Dataset, Option<Catalog>)> {
        match &self.plays {
            Some(path) => {
                let bytes = std::fs::read(path).map_err(|error| UserInput(format!("{}: {error}", path.display())))?;
                let name = path.display().to_string();
                let table = encore_ingest::table_bytes(&name, &bytes)?;
                let parsed = encore_ingest::parse_play_counts(&table, &name);
                for rejected in parsed.rejected.iter().take(20) {
                    eprintln!("{rejected}");
                }
                if parsed.rejected.len() > 20 {
                    eprintln!("… and {} more rows left out", parsed.rejected.len() - 20);
                }
                if parsed.rows.is_empty() {
                    return Err(UserInput(format!("{name}: no play counts to learn from")).into());
                }
                let catalog = self.store.open_for_reading().ok().and_then(|store| store.catalog().ok().flatten());
                Ok((source::from_counts(&parsed.rows, catalog.as_ref()), catalog))
            }
            None => {
                let store = self.store.open_for_reading()?;
                let catalog = stored_catalog(&store)?;
                let data = super::runtime()?.block_on(async {
                    let context = store.session().await?;
                    Ok::<_, anyhow::Error>(source::from_listens(&context, &catalog).await?)
                })?;
                Ok((data, Some(catalog)))
            }
        }
    }

    /// Fits with a progress bar; the seconds of every iteration.
    fn fit(&self, data: source::Dataset, catalog: Option<&Catalog>) -> anyhow::Result<(Recommender, Vec<f64>)> {
        let config = self.config();
        let bar = ProgressBar::new(config.iterations as u64);
        if let Ok(style) = ProgressStyle::with_template("{msg} {bar:30} {pos}/{len} iterations, {elapsed}") {
            bar.set_style(style);
        }
        bar.set_message(format!(
            "ALS on {} listeners × {} songs ({} pairs)",
            data.plays.users.len(),
            data.plays.items.len(),
            data.plays.nonzeros()
        ));
        let mut seconds = Vec::new();
        let recommender = Recommender::fit(data, config, catalog, |iteration: Iteration| {
            seconds.push(iteration.seconds);
            bar.set_position(iteration.number as u64);
        })
        .map_err(user_or_ours)?;
        bar.finish_and_clear();
        Ok((recommender, seconds))
    }
}

/// Recommends OSTs of dramas a listener has never played an OST of, each with the listeners and
/// songs that explain it, from implicit-feedback ALS (Hu, Koren & Volinsky, solved by conjugate
/// gradient as in the `implicit` library) over the store's listens or a play-count file. A song
/// nobody has played yet is placed by its drama, artists, OST part and release.
///
/// `--all` writes every listener's top items (not yet played) to a CSV instead; `--evaluate`
/// scores them against held-out plays (precision, recall, nDCG and MAP at --top).
#[derive(Debug, Args)]
pub struct RecommendArgs {
    /// The listener (as in the logs' user field, or the name given at ingest). Without it, --all
    /// or --evaluate, the model is fitted and summarised (with --timings: to time it).
    #[arg(long, value_name = "ID")]
    user: Option<String>,
    /// How many to recommend a listener (0 with --all: fit only, e.g. to time it).
    #[arg(long, default_value_t = 10)]
    top: usize,
    /// Recommend any item the listener has not played, not only OSTs of unwatched dramas (what
    /// a play-count file without catalog songs gets anyway).
    #[arg(long)]
    any: bool,
    /// Every listener's top items (not yet played), as CSV (user,rank,item,score) into --out.
    #[arg(long, conflicts_with = "user")]
    all: bool,
    /// Score every listener's top items against these held-out plays (a play-count file).
    #[arg(long, value_name = "FILE", conflicts_with = "user")]
    evaluate: Option<PathBuf>,
    /// Where --all writes (never over an existing file).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Write the seconds spent reading, fitting and on each iteration as JSON into FILE.
    #[arg(long, value_name = "FILE")]
    timings: Option<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(long, env = "ENCORE_JSON")]
    json: bool,
    #[command(flatten)]
    model: ModelArgs,
}

pub fn run_recommend(arguments: RecommendArgs) -> anyhow::Result<()> {
    for path in [&arguments.out, &arguments.timings].into_iter().flatten() {
        refuse_existing(path)?;
    }
    let started = Instant::now();
    let (data, catalog) = arguments.model.load()?;
    let read_seconds = started.elapsed().as_secs_f64();
    let fitting = Instant::now();
    let (recommender, iteration_seconds) = arguments.model.fit(data, catalog.as_ref())?;
    let fit_seconds = fitting.elapsed().as_secs_f64();
    if let Some(path) = &arguments.timings {
        let timings = serde_json::json!({
            "read_seconds": read_seconds,
            "fit_seconds": fit_seconds,
            "iteration_seconds": iteration_seconds,
            "users": recommender.data.plays.users.len(),
            "items": recommender.data.plays.items.len(),
            "nonzeros": recommender.data.plays.nonzeros(),
            "config": recommender.config,
        });
        write_new(path, serde_json::to_string_pretty(&timings)?.as_bytes())?;
    }
    if arguments.all || arguments.evaluate.is_some() {
        return every_user(&arguments, &recommender);
    }
    let Some(user) = &arguments.user else {
        println!(
            "fitted ALS on {} listeners × {} items ({} pairs) in {fit_seconds:.2} s; give --user ID for recommendations",
            recommender.data.plays.users.len(),
            recommender.data.plays.items.len(),
            recommender.data.plays.nonzeros()
        );
        return Ok(());
    };
    let catalog_songs = recommender.data.items.iter().any(|info| info.song_id.is_some());
    let recommendations = match (&catalog, arguments.any || !catalog_songs) {
        (Some(catalog), false) => recommender.for_non_viewer(user, catalog, arguments.top).map_err(user_or_ours)?,
        (catalog, _) => {
            let index = recommender.user(user).map_err(user_or_ours)?;
            let empty = Catalog::default();
            let catalog = catalog.as_ref().unwrap_or(&empty);
            recommender
                .top_unplayed(index, arguments.top)
                .into_iter()
                .enumerate()
                .map(|(rank, (item, score))| recommender.recommendation(rank + 1, item, score, Some(index), catalog))
                .collect()
        }
    };
    if arguments.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({ "user": user, "recommendations": recommendations }))?
        );
        return Ok(());
    }
    if recommendations.is_empty() {
        println!("{user} has played an OST of every drama Encore knows: nothing left to recommend (try --any)");
        return Ok(());
    }
    println!(
        "for {user}: OSTs of dramas they have not played ({} listeners, {} songs)",
        recommender.data.plays.users.len(),
        recommender.data.plays.items.len()
    );
    let mut table = TextTable::new(&[
        ("#", Align::Right, 3),
        ("song", Align::Left, 34),
        ("drama", Align::Left, 24),
        ("score", Align::Right, 6),
        ("why", Align::Left, 60),
    ]);
    for recommendation in &recommendations {
        table.row(vec![
            recommendation.rank.to_string(),
            format!("{} — {}", recommendation.title, recommendation.artist),
            recommendation.drama.clone().unwrap_or_default(),
            format!("{:.3}", recommendation.score),
            recommendation.explanation.clone(),
        ]);
    }
    print!("{}", table.render());
    Ok(())
}

fn every_user(arguments: &RecommendArgs, recommender: &Recommender) -> anyhow::Result<()> {
    let held_out: Option<HashMap<String, HashSet<String>>> = match &arguments.evaluate {
        Some(path) => {
            let bytes = std::fs::read(path).map_err(|error| UserInput(format!("{}: {error}", path.display())))?;
            let name = path.display().to_string();
            let parsed = encore_ingest::parse_play_counts(&encore_ingest::table_bytes(&name, &bytes)?, &name);
            for rejected in parsed.rejected.iter().take(20) {
                eprintln!("{rejected}");
            }
            let mut relevant: HashMap<String, HashSet<String>> = HashMap::new();
            for row in parsed.rows {
                relevant.entry(row.user).or_default().insert(row.item);
            }
            Some(relevant)
        }
        None => None,
    };
    if arguments.top == 0 {
        return Ok(());
    }
    let mut writer = match &arguments.out {
        Some(_) => {
            let mut writer = csv::Writer::from_writer(Vec::new());
            writer.write_record(["user", "rank", "item", "score"])?;
            Some(writer)
        }
        None => None,
    };
    let mut scores: Vec<Metrics> = Vec::new();
    for (user, name) in recommender.data.plays.users.iter().enumerate() {
        let top = recommender.top_unplayed(user, arguments.top);
        if let Some(writer) = &mut writer {
            for (rank, (item, score)) in top.iter().enumerate() {
                let rank = (rank + 1).to_string();
                writer.write_record([
                    name.as_str(),
                    &rank,
                    &recommender.data.plays.items[*item],
                    &score.to_string(),
                ])?;
            }
        }
        if let Some(relevant) = held_out.as_ref().and_then(|held_out| held_out.get(name)) {
            let ranked: Vec<String> = top.iter().map(|(item, _)| recommender.data.plays.items[*item].clone()).collect();
            scores.push(score(&ranked, relevant, arguments.top));
        }
    }
    if let (Some(writer), Some(path)) = (writer, &arguments.out) {
        write_new(path, &writer.into_inner().map_err(|error| anyhow::anyhow!("{error}"))?)?;
        eprintln!("wrote every listener's top {} to {}", arguments.top, path.display());
    }
    if held_out.is_some() {
        let metrics = mean(scores);
        if arguments.json {
            println!(
                "{}",
                serde_json::to_string_pretty(&serde_json::json!({ "k": arguments.top, "metrics": metrics }))?
            );
        } else {
            let k = arguments.top;
            println!(
                "{} listeners with held-out plays: precision@{k} {:.4}, recall@{k} {:.4}, nDCG@{k} {:.4}, MAP@{k} {:.4}",
                metrics.users, metrics.precision, metrics.recall, metrics.ndcg, metrics.map
            );
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum PlaylistFormat {
    Table,
    Csv,
    Json,
    M3u,
}

/// Builds a playlist of OSTs from a seed (a song, a drama's OSTs, or an artist's songs), balancing
/// likeness to the seed and variety by maximal marginal relevance over ALS song factors; prints
/// it, or writes CSV, JSON or M3U.
#[derive(Debug, Args)]
pub struct PlaylistArgs {
    /// A song id or title, a drama id or title, or an artist (e.g. stay_with_me, goblin, "Ailee").
    #[arg(long, value_name = "SONG|DRAMA|ARTIST")]
    seed: String,
    /// How many songs.
    #[arg(long, default_value_t = 20)]
    length: usize,
    /// 0: the songs most like the seed; 1: the most varied; 0.3 by default.
    #[arg(long, default_value_t = 0.3)]
    variety: f32,
    /// Output format (default: from --out's extension, else a table).
    #[arg(long, value_enum)]
    format: Option<PlaylistFormat>,
    /// Write to FILE (never over an existing file) instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    #[command(flatten)]
    model: ModelArgs,
}

pub fn run_playlist(arguments: PlaylistArgs) -> anyhow::Result<()> {
    if !(0.0..=1.0).contains(&arguments.variety) {
        return Err(UserInput(format!("--variety {} is not between 0 and 1", arguments.variety)).into());
    }
    if let Some(path) = &arguments.out {
        refuse_existing(path)?;
    }
    let (data, catalog) = arguments.model.load()?;
    let catalog =
        catalog.ok_or_else(|| UserInput("a playlist needs the catalog: run `encore catalog` first".into()))?;
    let seed = Seed::resolve(&arguments.seed, &catalog).map_err(user_or_ours)?;
    let (recommender, _) = arguments.model.fit(data, Some(&catalog))?;
    let playlist = encore_recommend::playlist(&recommender, &catalog, seed, arguments.length, arguments.variety)
        .map_err(user_or_ours)?;
    let format = arguments.format.unwrap_or_else(|| {
        match arguments.out.as_ref().and_then(|path| path.extension()).and_then(|extension| extension.to_str()) {
            Some("csv") => PlaylistFormat::Csv,
            Some("json") => PlaylistFormat::Json,
            Some("m3u" | "m3u8") => PlaylistFormat::M3u,
            _ => PlaylistFormat::Table,
        }
    });
    let text = match format {
        PlaylistFormat::Table => playlist_table(&playlist),
        PlaylistFormat::Csv => playlist.to_csv(),
        PlaylistFormat::Json => serde_json::to_string_pretty(&playlist)? + "\n",
        PlaylistFormat::M3u => playlist.to_m3u(),
    };
    match &arguments.out {
        Some(path) => {
            write_new(path, text.as_bytes())?;
            eprintln!("wrote {} ({} songs)", path.display(), playlist.tracks.len());
        }
        None => print!("{text}"),
    }
    Ok(())
}

fn playlist_table(playlist: &Playlist) -> String {
    let mut table = TextTable::new(&[
        ("#", Align::Right, 3),
        ("song", Align::Left, 36),
        ("drama", Align::Left, 26),
        ("like seed", Align::Right, 9),
        ("like before", Align::Right, 11),
    ]);
    for track in &playlist.tracks {
        let cold = if track.cold_start { " (new)" } else { "" };
        table.row(vec![
            track.position.to_string(),
            format!("{} — {}{cold}", track.title, track.artist),
            track.drama.clone(),
            format!("{:.2}", track.similarity),
            format!("{:.2}", track.closest_before),
        ]);
    }
    table.render()
}

fn user_or_ours(error: RecommendError) -> anyhow::Error {
    if error.is_bad_input() {
        UserInput(error.to_string()).into()
    } else {
        error.into()
    }
}
