//! Reading workbooks, in rows per second: the 208 Genie and Bugs workbooks of
//! `../shared/data/kr-platform-charts-2022q1` (20,800 rows) read into chart entries (workbook to
//! CSV, format detected, each row parsed, dated and charted), from memory, from disk, and from disk
//! on two threads, beside the same rows as one CSV file.
//!
//! After the measurements, when `python3 -c "import polars, fastexcel"` works, `compare_workbooks.py`
//! loads the same workbooks with Polars' `read_excel` (its calamine engine, fastexcel) and the
//! table of both times and their ratio is printed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use encore_ingest::{list_source_files, parse_chart, read_chart_file, table_bytes, SourceFormat};

const FOLDERS: [&str; 4] = ["day_bugs", "day_genie", "week_bugs", "week_genie"];

fn workbook_folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/kr-platform-charts-2022q1")
}

/// Where the one CSV of every row is written (and left, for a look).
fn generated_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("encore-ingest-bench")
}

struct Workbooks {
    files: Vec<PathBuf>,
    contents: Vec<(String, Vec<u8>)>,
    rows: u64,
    one_csv: Vec<u8>,
}

/// Reads CSV bytes into rows, counting them.
fn csv_rows(csv: &[u8]) -> u64 {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(csv);
    let mut record = csv::ByteRecord::new();
    let mut rows = 0;
    while reader.read_byte_record(&mut record).unwrap_or(false) {
        rows += 1;
    }
    rows
}

/// One workbook's chart entries, read through its CSV.
fn workbook_rows(name: &str, bytes: &[u8]) -> u64 {
    table_bytes(name, bytes).map_or(0, |csv| parse_chart(SourceFormat::KoreanChart, &csv, name).rows.len() as u64)
}

/// The chart entries of the one CSV of every row (named as a Genie daily chart, so that the
/// reader knows its chart as it would from a workbook's name).
fn one_csv_rows(csv: &[u8]) -> u64 {
    parse_chart(SourceFormat::KoreanChart, csv, "day_genie_2022q1.csv").rows.len() as u64
}

fn load() -> Workbooks {
    let mut files = Vec::new();
    for folder in FOLDERS {
        files.extend(list_source_files(&workbook_folder().join(folder)).expect("the shared data folder is readable"));
    }
    let contents: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|path| (path.display().to_string(), std::fs::read(path).expect("a workbook is readable")))
        .collect();
    let mut one_csv = Vec::new();
    let mut rows = 0;
    for (index, (name, bytes)) in contents.iter().enumerate() {
        let csv = table_bytes(name, bytes).expect("every workbook converts");
        // The header once, then every file's rows.
        let skip =
            if index == 0 { 0 } else { csv.iter().position(|&byte| byte == b'\n').map_or(csv.len(), |at| at + 1) };
        one_csv.extend_from_slice(&csv[skip..]);
        rows += csv_rows(&csv);
    }
    assert_eq!(rows, 20_800, "208 workbooks of 100 rows");
    assert_eq!(csv_rows(&one_csv), rows);
    assert_eq!(one_csv_rows(&one_csv), rows, "the one CSV parses whole");
    let parsed: u64 = contents.iter().map(|(name, bytes)| workbook_rows(name, bytes)).sum();
    assert_eq!(parsed, rows, "every workbook row parses");
    std::fs::create_dir_all(generated_dir()).expect("the generated folder can be made");
    std::fs::write(generated_dir().join("kr-platform-charts-2022q1.csv"), &one_csv).expect("the CSV can be written");
    Workbooks { files, contents, rows, one_csv }
}

fn from_memory(workbooks: &Workbooks) -> u64 {
    workbooks.contents.iter().map(|(name, bytes)| workbook_rows(name, bytes)).sum()
}

/// As `encore ingest` reads a file: from disk, format detected, parsed.
fn from_disk(files: &[PathBuf]) -> u64 {
    files.iter().map(|path| read_chart_file(path, None).map_or(0, |parsed| parsed.rows.len() as u64)).sum()
}

/// The same, the files shared between two threads.
fn from_disk_two_threads(workbooks: &Workbooks) -> u64 {
    let (first, second) = workbooks.files.split_at(workbooks.files.len() / 2);
    std::thread::scope(|scope| {
        let other = scope.spawn(|| from_disk(second));
        from_disk(first) + other.join().unwrap_or(0)
    })
}

fn bench(criterion: &mut Criterion, workbooks: &Workbooks) {
    let mut group = criterion.benchmark_group("workbooks");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));
    group.throughput(Throughput::Elements(workbooks.rows));
    group.bench_function("xlsx_208_to_chart_rows_from_memory", |bencher| bencher.iter(|| from_memory(workbooks)));
    group.bench_function("xlsx_208_to_chart_rows_from_disk", |bencher| bencher.iter(|| from_disk(&workbooks.files)));
    group.bench_function("xlsx_208_to_chart_rows_from_disk_2_threads", |bencher| {
        bencher.iter(|| from_disk_two_threads(workbooks))
    });
    group.bench_function("same_rows_as_one_csv", |bencher| bencher.iter(|| one_csv_rows(&workbooks.one_csv)));
    group.finish();
}

/// The median of five runs, as `compare_workbooks.py` times Polars.
fn median_of_five(mut run: impl FnMut() -> u64) -> Duration {
    let mut times: Vec<Duration> = (0..5)
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(run());
            started.elapsed()
        })
        .collect();
    times.sort();
    times[2]
}

/// Times Polars on the same workbooks and prints both times and their ratio, or says how to get
/// Polars.
fn compare(workbooks: &Workbooks) {
    let requirements = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/requirements.txt");
    let available = Command::new("python3")
        .args(["-c", "import polars, fastexcel"])
        .output()
        .is_ok_and(|output| output.status.success());
    if !available {
        println!("Polars comparison skipped: `pip install -r {}` (needs python3) to run it.", requirements.display());
        return;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/compare_workbooks.py");
    let output = match Command::new("python3").arg(&script).arg(workbook_folder()).output() {
        Ok(output) if output.status.success() => output,
        Ok(output) => return println!("compare_workbooks.py failed: {}", String::from_utf8_lossy(&output.stderr)),
        Err(error) => return println!("compare_workbooks.py could not be run: {error}"),
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let polars_ms: Option<f64> = stdout
        .lines()
        .find_map(|line| line.strip_prefix("polars_read_excel_ms "))
        .and_then(|value| value.trim().parse().ok());
    let Some(polars_ms) = polars_ms else {
        return println!("compare_workbooks.py said nothing of use: {stdout}");
    };
    let one_thread_ms = median_of_five(|| from_disk(&workbooks.files)).as_secs_f64() * 1000.0;
    let two_threads_ms = median_of_five(|| from_disk_two_threads(workbooks)).as_secs_f64() * 1000.0;
    println!("\nThe 208 workbooks (20,800 rows) from disk, median of five runs:");
    println!("{:<52} {:>10} {:>16}", "reader", "ms", "Polars / it");
    println!("{:<52} {:>10.1} {:>16}", "Polars read_excel (calamine engine), one DataFrame", polars_ms, "1.00");
    for (reader, ms) in
        [("Encore, chart entries, one thread", one_thread_ms), ("Encore, chart entries, two threads", two_threads_ms)]
    {
        println!("{reader:<52} {ms:>10.1} {:>16.2}", polars_ms / ms);
    }
}

fn main() {
    let workbooks = load();
    let mut criterion = Criterion::default().configure_from_args();
    bench(&mut criterion, &workbooks);
    criterion.final_summary();
    // `cargo test --benches` and `cargo bench -- --test` run each benchmark once, as a check.
    let checking = std::env::args().any(|arg| arg == "--test" || arg == "--list");
    if !checking {
        compare(&workbooks);
    }
}
