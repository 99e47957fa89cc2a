"""Loads the same chart files as `cargo bench -p encore-ingest` with DuckDB and Polars, for comparison.

Usage: python3 crates/encore-ingest/benches/compare.py [DATA_DIR]
(pip install -r crates/encore-ingest/benches/requirements.txt first). Prints rows/s per tool and
format, the median of five runs, reading from disk (the page cache is warm after the first run).
DuckDB and Polars use every core they find; the Rust parser runs on one.
"""

import glob
import os
import statistics
import sys
import time

import duckdb
import polars

DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "../../../../shared/data")
BILLBOARD = sorted(glob.glob(os.path.join(DATA, "billboard-hot-100", "*.json")))
SPOTIFY = sorted(glob.glob(os.path.join(DATA, "spotify-kr-daily-2025", "*.csv")))


def duckdb_billboard():
    connection = duckdb.connect()
    return connection.execute(
        "SELECT count(*) FROM (SELECT unnest(data, recursive := true) FROM read_json(?, format = 'auto'))",
        [BILLBOARD],
    ).fetchone()[0]


def duckdb_spotify():
    connection = duckdb.connect()
    return connection.execute("SELECT count(*) FROM read_csv(?, header = true)", [SPOTIFY]).fetchone()[0]


def polars_billboard():
    rows = 0
    for path in BILLBOARD:
        frame = polars.read_json(path).explode("data").unnest("data")
        rows += frame.height
    return rows


def polars_spotify():
    return polars.concat([polars.read_csv(path) for path in SPOTIFY]).height


def measure(load):
    times, rows = [], 0
    for _ in range(5):
        started = time.perf_counter()
        rows = load()
        times.append(time.perf_counter() - started)
    median = statistics.median(times)
    return rows, median


for name, load in [
    ("duckdb billboard", duckdb_billboard),
    ("polars billboard", polars_billboard),
    ("duckdb spotify", duckdb_spotify),
    ("polars spotify", polars_spotify),
]:
    rows, seconds = measure(load)
    print(f"{name:18} {rows:>8} rows  {seconds * 1000:8.1f} ms  {rows / seconds / 1e6:6.2f} M rows/s")
