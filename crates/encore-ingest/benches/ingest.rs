//! Parsing throughput over the real chart files, in rows per second: once from memory (parsing
//! alone) and once from disk (reading and parsing).

use std::path::{Path, PathBuf};

use criterion::measurement::WallTime;
use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion, Throughput};
use encore_domain::ChartEntry;
use encore_ingest::{list_source_files, parse_billboard, parse_spotify, read_billboard, read_spotify, Parsed};

struct Source {
    name: &'static str,
    files: Vec<PathBuf>,
    contents: Vec<(String, Vec<u8>)>,
    rows: u64,
    parse: fn(&[u8], &str) -> Parsed<ChartEntry>,
    read: fn(&Path) -> Result<Parsed<ChartEntry>, encore_ingest::IngestError>,
}

fn source(
    name: &'static str,
    folder: &str,
    parse: fn(&[u8], &str) -> Parsed<ChartEntry>,
    read: fn(&Path) -> Result<Parsed<ChartEntry>, encore_ingest::IngestError>,
) -> Source {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data").join(folder);
    let files = list_source_files(&folder).expect("the shared data folder is readable");
    let contents: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|path| (path.display().to_string(), std::fs::read(path).expect("a data file is readable")))
        .collect();
    let rows = contents.iter().map(|(name, bytes)| parse(bytes, name).rows.len() as u64).sum();
    Source { name, files, contents, rows, parse, read }
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
    group.measurement_time(std::time::Duration::from_secs(10));
}

fn ingest(criterion: &mut Criterion) {
    let sources = [
        source("billboard_3549_weeks", "billboard-hot-100", parse_billboard, read_billboard),
        source("spotify_365_days", "spotify-kr-daily-2025", parse_spotify, read_spotify),
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

criterion_group!(benches, ingest);
criterion_main!(benches);
