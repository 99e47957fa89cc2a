//! `encore lyrics`: the lyrics of Melon's year-end charts, OSTs against the other songs of the same
//! years. Reading the CSV files is this command's; every figure comes from `encore_lyrics`.

use std::path::{Path, PathBuf};

use clap::Args;
use serde_json::{json, Value};

use encore_lyrics::analysis::{ClaimTest, MotifComparison, PeriodAnalysis, CLAIMED_MOTIFS, LASTING_YEARS};
use encore_lyrics::proportions::{ShareDifference, Verdict};
use encore_lyrics::{analyse_lyrics, LyricsAnalysis, LyricsOptions, SongLyric, WordScore, DEFAULT_PRIOR_TOTAL};

use super::settings;
use super::table::{Align, TextTable};
use super::UserInput;

/// The folder of Melon's year-end CSVs under the data folder.
const MELON_FOLDER: &str = "melon-year-end";
/// The Melon genre that marks a Korean drama OST.
const DRAMA_GENRE: &str = "국내드라마";

/// What sets OST lyrics apart: distinguishing words (weighted log-odds with an informative
/// Dirichlet prior, Monroe, Colaresi & Quinn 2008) and motif families (seasons, parting, longing,
/// destiny, memory, light), OSTs against the other songs of Melon's year-end charts, per period.
///
/// Reads every `*.csv` of Melon's year-end Top 100 (`song_year,song_rank,singer,title,Genre,lyric`;
/// a Genre with 국내드라마 marks a drama OST). Also tests the claim that seasons, distance and
/// longing mark the OSTs that last, and prints its answer with its numbers.
#[derive(Debug, Args)]
pub struct LyricsArgs {
    /// The data folder holding melon-year-end/, or that folder itself. Default: `data` in the
    /// nearest encore.toml, else $ENCORE_HOME/data.
    #[arg(long, env = "ENCORE_DATA", value_name = "DIR")]
    data: Option<PathBuf>,
    /// Years per period (from the first year with lyrics): 8 gives 2000-07, 2008-15, 2016-23.
    #[arg(long, default_value_t = 8, value_name = "N")]
    period_years: i32,
    /// Distinguishing words shown per side and period.
    #[arg(long, default_value_t = 10, value_name = "K")]
    top: usize,
    /// The prior's total α₀ (the pooled corpus's word shares scaled to it).
    #[arg(long, default_value_t = DEFAULT_PRIOR_TOTAL, value_name = "ALPHA0")]
    prior_total: f64,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(arguments: LyricsArgs) -> anyhow::Result<()> {
    let data = settings::Project::find()?.resolve(settings::DATA, arguments.data.as_deref())?;
    let folder = if data.path.join(MELON_FOLDER).is_dir() { data.path.join(MELON_FOLDER) } else { data.path.clone() };
    let files = csv_files(&folder)?;
    if files.is_empty() {
        return Err(UserInput(format!(
            "no Melon year-end CSV files in {} (the data folder {data}); {}",
            folder.display(),
            data.how_to_set()
        ))
        .into());
    }
    let mut rows = Vec::new();
    let mut rejected = Vec::new();
    for file in &files {
        read_lyrics(file, &mut rows, &mut rejected)?;
    }
    // A bad row never drops the good ones: it is named here and left out.
    for problem in &rejected {
        eprintln!("rejected: {problem}");
    }
    let options = LyricsOptions {
        years_per_period: arguments.period_years,
        top_words: arguments.top,
        prior_total: arguments.prior_total,
    };
    let analysis = analyse_lyrics(&rows, options).map_err(|error| UserInput(error.to_string()))?;
    if arguments.json {
        println!("{}", serde_json::to_string_pretty(&analysis_json(&analysis, files.len(), rejected.len(), options))?);
    } else {
        print_text(&analysis, &folder, files.len(), rejected.len(), options);
    }
    Ok(())
}

fn csv_files(folder: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(folder)
        .map_err(|error| UserInput(format!("cannot read the folder {}: {error}", folder.display())))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry?.path();
        if path.extension().is_some_and(|extension| extension.eq_ignore_ascii_case("csv")) {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// The rows of one year-end file with their lyrics, into `rows`; a row that cannot be read or whose
/// year is not a number goes to `rejected`, named with its file and line.
fn read_lyrics(path: &Path, rows: &mut Vec<SongLyric>, rejected: &mut Vec<String>) -> anyhow::Result<()> {
    let mut reader = csv::Reader::from_path(path)?;
    let headers = reader.headers()?.clone();
    let column = |name: &str| {
        headers.iter().position(|header| header.trim_start_matches('\u{feff}') == name).ok_or_else(|| {
            UserInput(format!(
                "{} has no `{name}` column (a Melon year-end file has song_year,song_rank,singer,title,Genre,lyric)",
                path.display()
            ))
        })
    };
    let (year, singer, title, genre, lyric) =
        (column("song_year")?, column("singer")?, column("title")?, column("Genre")?, column("lyric")?);
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                rejected.push(format!("{}: {error}", path.display()));
                continue;
            }
        };
        let field = |index: usize| record.get(index).unwrap_or("").to_string();
        let line = record.position().map_or(0, |position| position.line());
        let Ok(year_value) = field(year).trim().parse::<i32>() else {
            rejected.push(format!("{}:{line}: field `song_year`: \"{}\" is not a year", path.display(), field(year)));
            continue;
        };
        rows.push(SongLyric {
            year: year_value,
            singer: field(singer),
            title: field(title),
            is_ost: field(genre).contains(DRAMA_GENRE),
            lyric: field(lyric),
        });
    }
    Ok(())
}

fn percent(value: f64) -> String {
    format!("{:.0}%", value * 100.0)
}

/// A share's difference in percentage points, signed, without a "-0".
fn points(value: f64) -> String {
    let rounded = (value * 100.0).round();
    if rounded == 0.0 {
        "0".to_string()
    } else {
        format!("{rounded:+.0}")
    }
}

/// `5/17 (29%) vs 100/700 (14%): +15 pts [−3, +38]`.
fn compared_text(compared: &ShareDifference) -> String {
    format!(
        "{}/{} ({}) vs {}/{} ({}): {} pts [{}, {}]",
        compared.first.with,
        compared.first.of,
        percent(compared.first.value()),
        compared.second.with,
        compared.second.of,
        percent(compared.second.value()),
        points(compared.difference),
        points(compared.low),
        points(compared.high),
    )
}

fn words_text(words: &[WordScore]) -> String {
    words.iter().map(|score| format!("{} {:.1}", score.word, score.z)).collect::<Vec<_>>().join(", ")
}

fn period_name(period: &PeriodAnalysis) -> String {
    format!("{}-{}", period.first_year, period.last_year)
}

fn print_text(analysis: &LyricsAnalysis, folder: &Path, files: usize, rejected: usize, options: LyricsOptions) {
    println!(
        "Melon year-end lyrics from {} ({files} files): {} rows, {} without lyrics{}",
        folder.display(),
        analysis.rows_read,
        analysis.rows_without_lyrics,
        if rejected == 0 { String::new() } else { format!(", {rejected} rejected (on stderr)") }
    );
    println!("\nSongs with lyrics per period (each song once; OST = Genre with {DRAMA_GENRE})");
    let mut sizes = TextTable::new(&[
        ("period", Align::Left, 12),
        ("OST songs", Align::Right, 10),
        ("other songs", Align::Right, 12),
    ]);
    for period in &analysis.periods {
        sizes.row(vec![period_name(period), period.ost_songs.to_string(), period.other_songs.to_string()]);
    }
    print!("{}", sizes.render());
    println!(
        "\nDistinguishing words (weighted log-odds, informative Dirichlet prior α0 = {}; z, a word counted once per song)",
        options.prior_total
    );
    for period in &analysis.periods {
        println!("{}  OST:  {}", period_name(period), words_text(&period.ost_words));
        println!("{}  rest: {}", " ".repeat(period_name(period).len()), words_text(&period.other_words));
    }
    println!("\nMotif families: songs using each, OST vs the rest (difference in points, 95% Newcombe interval)");
    let mut motifs =
        TextTable::new(&[("period", Align::Left, 12), ("family", Align::Left, 22), ("OST vs rest", Align::Left, 60)]);
    for period in &analysis.periods {
        for comparison in &period.motifs {
            motifs.row(vec![
                period_name(period),
                comparison.motif.name().to_string(),
                compared_text(&comparison.compared),
            ]);
        }
    }
    print!("{}", motifs.render());
    println!("\nMotif shares by year, OST rows / other rows");
    let mut header: Vec<(&str, Align, usize)> = vec![("year", Align::Left, 6)];
    let names: Vec<&str> = encore_lyrics::Motif::ALL.iter().map(|motif| motif.name()).collect();
    header.extend(names.iter().map(|name| (*name, Align::Right, 24)));
    let mut years = TextTable::new(&header);
    for year in &analysis.years {
        let mut cells = vec![year.year.to_string()];
        cells.extend(year.motifs.iter().map(|comparison| {
            let compared = &comparison.compared;
            let ost = if compared.first.of == 0 { "-".to_string() } else { percent(compared.first.value()) };
            format!("{ost} / {}", percent(compared.second.value()))
        }));
        years.row(cells);
    }
    print!("{}", years.render());
    print_claim(&analysis.claim);
}

fn print_claim(claim: &ClaimTest) {
    println!(
        "\nClaim: \"seasons, distance, longing appear frequently\" in lasting OSTs ({} OSTs on the year-end chart in {LASTING_YEARS}+ years),",
        claim.lasting_osts.len()
    );
    let years: Vec<String> = claim.years.iter().map(|year| year.to_string()).collect();
    println!("against the songs charted in the same years ({}), each song once", years.join(", "));
    for (against_other, against_one_year) in claim.against_other_songs.iter().zip(&claim.against_one_year_osts) {
        println!("  {:<22} vs other songs {}", against_other.motif.name(), compared_text(&against_other.compared));
        println!("  {:<22} vs one-year OSTs {}", "", compared_text(&against_one_year.compared));
    }
    println!("  {:<22} vs other songs {}", "any of the three", compared_text(&claim.any_claimed_against_other_songs));
    println!("Answer: {}", claim_answer(claim));
}

/// The one line answering the essay's claim, with its numbers.
fn claim_answer(claim: &ClaimTest) -> String {
    let higher: Vec<&MotifComparison> = claim
        .against_other_songs
        .iter()
        .filter(|comparison| comparison.compared.verdict() == Verdict::Higher)
        .collect();
    let named = |comparisons: &[&MotifComparison]| {
        comparisons
            .iter()
            .map(|comparison| format!("{} {}", comparison.motif.name(), points(comparison.compared.difference)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let all: Vec<&MotifComparison> = claim.against_other_songs.iter().collect();
    let any = &claim.any_claimed_against_other_songs;
    let verdict = match higher.len() {
        count if count == CLAIMED_MOTIFS.len() => "supported",
        0 => "not supported",
        _ => "partly supported",
    };
    format!(
        "{verdict}: lasting OSTs against other songs, {} points; {} of {} families clearly more frequent (95% interval above 0){}; any of the three in {} of lasting OSTs vs {} of other songs",
        named(&all),
        higher.len(),
        CLAIMED_MOTIFS.len(),
        if higher.is_empty() { String::new() } else { format!(": {}", named(&higher)) },
        percent(any.first.value()),
        percent(any.second.value()),
    )
}

fn compared_json(compared: &ShareDifference) -> Value {
    json!({
        "ost_with": compared.first.with,
        "ost_of": compared.first.of,
        "other_with": compared.second.with,
        "other_of": compared.second.of,
        "difference": compared.difference,
        "low": compared.low,
        "high": compared.high,
    })
}

fn motifs_json(comparisons: &[MotifComparison]) -> Vec<Value> {
    comparisons
        .iter()
        .map(|comparison| json!({ "family": comparison.motif.name(), "share": compared_json(&comparison.compared) }))
        .collect()
}

fn words_json(words: &[WordScore]) -> Vec<Value> {
    words
        .iter()
        .map(|score| {
            json!({
                "word": score.word,
                "ost_songs": score.count_a,
                "other_songs": score.count_b,
                "delta": score.delta,
                "variance": score.variance,
                "z": score.z,
            })
        })
        .collect()
}

fn analysis_json(analysis: &LyricsAnalysis, files: usize, rejected: usize, options: LyricsOptions) -> Value {
    let periods: Vec<Value> = analysis
        .periods
        .iter()
        .map(|period| {
            json!({
                "first_year": period.first_year,
                "last_year": period.last_year,
                "ost_songs": period.ost_songs,
                "other_songs": period.other_songs,
                "ost_words": words_json(&period.ost_words),
                "other_words": words_json(&period.other_words),
                "motifs": motifs_json(&period.motifs),
            })
        })
        .collect();
    let years: Vec<Value> =
        analysis.years.iter().map(|year| json!({ "year": year.year, "motifs": motifs_json(&year.motifs) })).collect();
    let claim = &analysis.claim;
    json!({
        "files": files,
        "rows": analysis.rows_read,
        "rows_without_lyrics": analysis.rows_without_lyrics,
        "rows_rejected": rejected,
        "prior_total": options.prior_total,
        "periods": periods,
        "years": years,
        "claim": {
            "lasting_years": LASTING_YEARS,
            "lasting_osts": claim.lasting_osts,
            "years": claim.years,
            "against_other_songs": motifs_json(&claim.against_other_songs),
            "against_one_year_osts": motifs_json(&claim.against_one_year_osts),
            "any_against_other_songs": compared_json(&claim.any_claimed_against_other_songs),
            "answer": claim_answer(claim),
        },
    })
}
