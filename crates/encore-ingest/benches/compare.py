"""Loads the same chart files as `cargo bench -p encore-ingest` with DuckDB and Polars, for comparison.

Usage: python3 crates/encore-ingest/benches/compare.py [DATA_DIR [GENERATED_DIR]]
(pip install -r crates/encore-ingest/benches/requirements.txt first). `cargo bench -p encore-ingest`
runs it at the end with both folders: GENERATED_DIR holds the files the bench builds from the test
fixtures (one folder per format, as `target/tmp/encore-ingest-bench`); without it only the real
files of DATA_DIR are loaded. Prints rows/s per tool and format, the median of five runs, reading
from disk (the page cache is warm after the first run). DuckDB and Polars use every core they find;
the Rust parser runs on one. DuckDB reads no EUC-KR without its `encodings` extension (a download),
so that file is Polars only, decoded by Python first (the decoding is timed).
"""

import glob
import io
import os
import statistics
import sys
import time

import duckdb
import polars

DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "../../../../shared/data")
GENERATED = sys.argv[2] if len(sys.argv) > 2 else None
BILLBOARD = sorted(glob.glob(os.path.join(DATA, "billboard-hot-100", "*.json")))
SPOTIFY = sorted(glob.glob(os.path.join(DATA, "spotify-kr-daily-2025", "*.csv")))
MELON = sorted(glob.glob(os.path.join(DATA, "melon-year-end", "*.csv")))


def generated(folder):
    return sorted(glob.glob(os.path.join(GENERATED, folder, "*.csv")))


def duckdb_billboard():
    connection = duckdb.connect()
    return connection.execute(
        "SELECT count(*) FROM (SELECT unnest(data, recursive := true) FROM read_json(?, format = 'auto'))",
        [BILLBOARD],
    ).fetchone()[0]


def duckdb_csv(files, skip=0):
    def load():
        connection = duckdb.connect()
        return connection.execute(
            "SELECT count(*) FROM read_csv(?, header = true, skip = ?)", [files, skip]
        ).fetchone()[0]

    return load


def polars_billboard():
    rows = 0
    for path in BILLBOARD:
        frame = polars.read_json(path).explode("data").unnest("data")
        rows += frame.height
    return rows


def polars_csv(files, skip=0):
    return lambda: polars.concat([polars.read_csv(path, skip_rows=skip) for path in files]).height


def polars_euc_kr(files):
    def load():
        frames = [polars.read_csv(io.BytesIO(open(path, "rb").read().decode("euc-kr").encode())) for path in files]
        return polars.concat(frames).height

    return load


def measure(load):
    times, rows = [], 0
    for _ in range(5):
        started = time.perf_counter()
        rows = load()
        times.append(time.perf_counter() - started)
    median = statistics.median(times)
    return rows, median


LOADS = [
    ("duckdb billboard", duckdb_billboard),
    ("polars billboard", polars_billboard),
    ("duckdb spotify", duckdb_csv(SPOTIFY)),
    ("polars spotify", polars_csv(SPOTIFY)),
    ("duckdb melon", duckdb_csv(MELON)),
    ("polars melon", polars_csv(MELON)),
]
if GENERATED:
    for name, folder, skip in [
        ("spotify old", "spotify_old_layout", 1),
        ("spotify weekly", "spotify_weekly", 0),
        ("billboard csv", "billboard_csv", 0),
        ("circle utf-8", "circle_utf8", 0),
    ]:
        LOADS.append((f"duckdb {name}", duckdb_csv(generated(folder), skip)))
        LOADS.append((f"polars {name}", polars_csv(generated(folder), skip)))
    LOADS.append(("polars circle euc-kr", polars_euc_kr(generated("circle_euc_kr"))))

for name, load in LOADS:
    rows, seconds = measure(load)
    print(f"{name:22} {rows:>8} rows  {seconds * 1000:8.1f} ms  {rows / seconds / 1e6:7.3f} M rows/s")
