//! Parsing throughput per chart format, in rows per second: once from memory (parsing alone) and
//! once from disk (reading and parsing). Billboard JSON, Spotify daily CSV and Melon year-end use
//! the real files in `../shared/data`; the formats it has no files of (the old Spotify layout,
//! Spotify weekly, Billboard CSV, Circle CSV in UTF-8 and EUC-KR) use files built here by repeating
//! the good rows of `tests/fixtures/` up to about 50,000 rows each.
//!
//! After the measurements, when `python3 -c "import duckdb, polars"` works, `compare.py` loads the
//! same files with DuckDB and Polars and its table is printed.

use std::path::{Path, PathBuf};
use std::process::Command;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput};
use encore_domain::ChartEntry;
use encore_ingest::{
    list_source_files, parse_billboard, parse_billboard_csv, parse_circle, parse_melon, parse_spotify, read_billboard,
    read_chart_file, read_melon, read_spotify, IngestError, Parsed, SourceFormat,
};

/// Rows per generated file.
const GENERATED_ROWS: usize = 50_000;

type Parse = fn(&[u8], &str) -> Parsed<ChartEntry>;
type Read = fn(&Path) -> Result<Parsed<ChartEntry>, IngestError>;

struct Source {
    name: &'static str,
    files: Vec<PathBuf>,
    contents: Vec<(String, Vec<u8>)>,
    rows: u64,
    parse: Parse,
    read: Read,
}

fn shared_data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")
}

/// Where the generated files are written (and left, for `compare.py` and for a look).
fn generated_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("encore-ingest-bench")
}

fn source(name: &'static str, files: Vec<PathBuf>, parse: Parse, read: Read) -> Source {
    let contents: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|path| (path.display().to_string(), std::fs::read(path).expect("a data file is readable")))
        .collect();
    let mut rows = 0;
    for (name, bytes) in &contents {
        let parsed = parse(bytes, name);
        assert!(
            parsed.rejected.is_empty(),
            "{name}: {} rows rejected, first {}",
            parsed.rejected.len(),
            parsed.rejected[0]
        );
        rows += parsed.rows.len() as u64;
    }
    Source { name, files, contents, rows, parse, read }
}

fn real_source(name: &'static str, folder: &str, parse: Parse, read: Read) -> Source {
    let files = list_source_files(&shared_data().join(folder)).expect("the shared data folder is readable");
    source(name, files, parse, read)
}

/// Writes a file named as the fixture `fixture` (its name carries the chart's date) holding the
/// fixture's header lines and then its good rows (those the parser returns) repeated up to
/// [`GENERATED_ROWS`] rows, byte for byte, so the encoding stays the fixture's.
fn generated_source(name: &'static str, fixture: &str, parse: Parse, read: Read) -> Source {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(fixture);
    let bytes = std::fs::read(&path).expect("the fixture is readable");
    let parsed = parse(&bytes, fixture);
    let lines: Vec<&[u8]> = bytes.split_inclusive(|&byte| byte == b'\n').collect();
    let good: Vec<usize> = parsed.rows.iter().map(|row| row.source_line as usize).collect();
    let first_row = good.iter().copied().min().expect("the fixture has good rows");
    let mut out: Vec<u8> = lines[..first_row - 1].concat();
    for index in 0..GENERATED_ROWS {
        let line = lines[good[index % good.len()] - 1];
        out.extend_from_slice(line);
        if !line.ends_with(b"\n") {
            out.push(b'\n');
        }
    }
    let dir = generated_dir().join(name);
    std::fs::create_dir_all(&dir).expect("the generated folder can be made");
    let file = dir.join(fixture);
    std::fs::write(&file, out).expect("the generated file can be written");
    let source = source(name, vec![file], parse, read);
    assert_eq!(source.rows, GENERATED_ROWS as u64, "{name}: every generated row parses");
    source
}

fn parse_all(source: &Source) -> usize {
    source.contents.iter().map(|(name, bytes)| (source.parse)(bytes, name).rows.len()).sum()
}

fn read_all(source: &Source) -> usize {
    source.files.iter().map(|path| (source.read)(path).map_or(0, |parsed| parsed.rows.len())).sum()
}

fn configure(group: &mut BenchmarkGroup<'_, WallTime>) {
    group.sample_size(10);
    group.warm_up_time(std::time::Duration::from_secs(1));
    group.measurement_time(std::time::Duration::from_secs(5));
}

fn ingest(criterion: &mut Criterion) {
    let sources = [
        real_source("billboard_3549_weeks", "billboard-hot-100", parse_billboard, read_billboard),
        real_source("spotify_365_days", "spotify-kr-daily-2025", parse_spotify, read_spotify),
        real_source("melon_24_years", "melon-year-end", parse_melon, read_melon),
        generated_source("spotify_old_layout", "regional-kr-daily-2017-01-01.csv", parse_spotify, read_spotify),
        generated_source("spotify_weekly", "regional-global-weekly-2023-01-05.csv", parse_spotify, read_spotify),
        generated_source("billboard_csv", "billboard-hot-100-2022.csv", parse_billboard_csv, |path| {
            read_chart_file(path, Some(SourceFormat::BillboardCsv))
        }),
        generated_source("circle_utf8", "circle-digital-2017-01-07.csv", parse_circle, |path| {
            read_chart_file(path, Some(SourceFormat::CircleCsv))
        }),
        generated_source("circle_euc_kr", "gaon_20160409.csv", parse_circle, |path| {
            read_chart_file(path, Some(SourceFormat::CircleCsv))
        }),
    ];

    let mut from_memory = criterion.benchmark_group("parse_from_memory");
    configure(&mut from_memory);
    for source in &sources {
        from_memory.throughput(Throughput::Elements(source.rows));
        from_memory.bench_function(source.name, |bencher| bencher.iter(|| parse_all(source)));
    }
    from_memory.finish();

    let mut from_disk = criterion.benchmark_group("read_and_parse_from_disk");
    configure(&mut from_disk);
    for source in &sources {
        from_disk.throughput(Throughput::Elements(source.rows));
        from_disk.bench_function(source.name, |bencher| bencher.iter(|| read_all(source)));
    }
    from_disk.finish();
}

/// Runs `compare.py` on the same files, or says how to get DuckDB and Polars.
fn compare() {
    let requirements = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/requirements.txt");
    let available = Command::new("python3")
        .args(["-c", "import duckdb, polars"])
        .output()
        .is_ok_and(|output| output.status.success());
    if !available {
        println!(
            "DuckDB/Polars comparison skipped: `pip install -r {}` (needs python3) to run it.",
            requirements.display()
        );
        return;
    }
    println!("\nThe same files loaded by DuckDB and Polars (compare.py, median of five runs):");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/compare.py");
    match Command::new("python3").arg(&script).arg(shared_data()).arg(generated_dir()).status() {
        Ok(status) if status.success() => {}
        Ok(status) => println!("compare.py failed: {status}"),
        Err(error) => println!("compare.py could not be run: {error}"),
    }
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    ingest(&mut criterion);
    criterion.final_summary();
    // `cargo test --benches` and `cargo bench -- --test` run each benchmark once, as a check.
    let checking = std::env::args().any(|arg| arg == "--test" || arg == "--list");
    if !checking {
        compare();
    }
}
