//! `encore lyrics`: the lyrics of Melon's year-end charts, OSTs against the other songs of the same
//! years. Reading the CSV files is this command's; every figure comes from `encore_lyrics`.

use std::path::{Path, PathBuf};

use clap::Args;

use encore_ingest::{read_melon_lyrics_folder, Rejected, DRAMA_GENRE};
use encore_lyrics::analysis::{ClaimTest, PeriodAnalysis, LASTING_YEARS};
use encore_lyrics::proportions::ShareDifference;
use encore_lyrics::{analyse_lyrics, LyricsAnalysis, LyricsOptions, SongLyric, WordScore};
use encore_report::lyrics_json::{claim_answer, lyrics_json, percent, points, LyricsRun};

use super::settings;
use super::table::{Align, TextTable};
use super::UserInput;

/// The folder of Melon's year-end CSVs under the data folder.
const MELON_FOLDER: &str = "melon-year-end";

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
    #[arg(long, default_value_t = LyricsOptions::DEFAULT.years_per_period, value_name = "N")]
    period_years: i32,
    /// Distinguishing words shown per side and period.
    #[arg(long, default_value_t = LyricsOptions::DEFAULT.top_words, value_name = "K")]
    top: usize,
    /// The prior's total α₀ (the pooled corpus's word shares scaled to it).
    #[arg(long, default_value_t = LyricsOptions::DEFAULT.prior_total, value_name = "ALPHA0")]
    prior_total: f64,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(arguments: LyricsArgs) -> anyhow::Result<()> {
    let lyrics = read_lyrics(arguments.data.as_deref())?;
    if lyrics.files == 0 {
        return Err(UserInput(format!(
            "no Melon year-end CSV files in {}; {}",
            lyrics.folder.display(),
            lyrics.how_to_set
        ))
        .into());
    }
    // A bad row never drops the good ones: it is named here and left out.
    for problem in &lyrics.rejected {
        eprintln!("rejected: {problem}");
    }
    let options = LyricsOptions {
        years_per_period: arguments.period_years,
        top_words: arguments.top,
        prior_total: arguments.prior_total,
    };
    let analysis = analyse_lyrics(&lyrics.rows, options).map_err(|error| UserInput(error.to_string()))?;
    if arguments.json {
        let run =
            LyricsRun { files: lyrics.files, rows_rejected: lyrics.rejected.len(), prior_total: options.prior_total };
        println!("{}", serde_json::to_string_pretty(&lyrics_json(&analysis, run))?);
    } else {
        print_text(&analysis, &lyrics.folder, lyrics.files, lyrics.rejected.len(), options);
    }
    Ok(())
}

/// The folder of Melon's year-end CSVs: `melon-year-end/` in the data folder (`data`, else the
/// project's); a data folder named on purpose that has no such sub-folder is read itself. The
/// default data folder is never read whole: its other CSVs are not lyrics. Also how to point
/// Encore at another folder.
pub fn melon_folder(data: Option<&Path>) -> anyhow::Result<(PathBuf, String)> {
    let resolved = settings::Project::find()?.resolve(settings::DATA, data)?;
    let inside = resolved.path.join(MELON_FOLDER);
    let folder = if data.is_some() && !inside.is_dir() { resolved.path.clone() } else { inside };
    Ok((folder, format!("the data folder is {resolved}; {}", resolved.how_to_set())))
}

/// The lyrics of Melon's year-end CSVs, as read from the data folder.
pub struct LyricsFiles {
    pub folder: PathBuf,
    pub files: usize,
    pub rows: Vec<SongLyric>,
    pub rejected: Vec<Rejected>,
    /// How the user points Encore at another data folder.
    pub how_to_set: String,
}

/// Reads the lyrics of the folder [`melon_folder`] names. A folder that does not exist holds no
/// files.
pub fn read_lyrics(data: Option<&Path>) -> anyhow::Result<LyricsFiles> {
    let (folder, how_to_set) = melon_folder(data)?;
    if !folder.is_dir() {
        return Ok(LyricsFiles { folder, files: 0, rows: Vec::new(), rejected: Vec::new(), how_to_set });
    }
    let (parsed, files) = read_melon_lyrics_folder(&folder).map_err(|error| UserInput(error.to_string()))?;
    Ok(LyricsFiles { folder, files, rows: parsed.rows, rejected: parsed.rejected, how_to_set })
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
